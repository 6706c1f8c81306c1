//! Every type that crosses HTTP between the reference backend and the client, gathered from
//! the feature modules that declare them, so a caller can name them in one place. Amounts
//! are kopecks, areas hundredths of a square metre, times RFC 3339 strings, dates
//! `YYYY-MM-DD`, periods `YYYY-MM`.

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

pub use crate::auth::{DemoPerson, Me, PersonInfo, TokenResponse};
pub use crate::bill::{Account, Bill, BillReading, ChargeLine, Instalment, Recalculation, VolumeMethod};
pub use crate::chat::{
    AdminStatus, Author, ChatOffer, Community, CommunityKind, EditMessage, Membership, Message, MessagesPage,
    SendMessage,
};
pub use crate::feed::{Change, ChangeKind, ChangeOp, ChangesPage, PushEvent, STREAM_CLOSE_REAUTHENTICATE};
pub use crate::house::{
    Entrance, House, HouseState, Lift, LiftKind, ManagementType, Org, OrgKind, Ownership, Premises, PremisesKind,
    Relation, RepairFund, RepairPlan, RepairStatus,
};
pub use crate::id::*;
pub use crate::meter::{Device, DeviceKind, Reading, ReadingSource, Resource};
pub use crate::notice::{Notice, NoticeKind, OutageType};
pub use crate::stats::{ByManagement, CityStats, OrgCounts};
pub use crate::ticket::{Ticket, TicketCategory, TicketEvent, TicketStatus};

/// An error answer: a stable code a program can branch on and a message for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ApiError {
    /// Stable machine-readable code, e.g. `not_member`, `rate_limited`.
    pub code: String,
    /// What was wrong and what to do, for a person.
    pub message: String,
}
