//! Every type that crosses HTTP between the reference backend and the client, gathered from
//! the feature modules that declare them, so a caller can name them in one place. Amounts
//! are kopecks, areas hundredths of a square metre, times RFC 3339 strings, dates
//! `YYYY-MM-DD`, periods `YYYY-MM`.

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

pub use crate::auth::{DemoPerson, Me, PersonInfo, TokenResponse};
pub use crate::bill::{
    Account, Bill, BillReading, ChargeLine, Instalment, Norm, Payer, Recalculation, Reference, Tariff, VolumeMethod,
};
pub use crate::chat::{
    AdminStatus, Author, ChatOffer, Community, CommunityKind, EditMessage, Membership, Message, MessagesPage, React,
    Reaction, SendMessage,
};
pub use crate::feed::{Change, ChangeKind, ChangeOp, ChangesPage, PushEvent, STREAM_CLOSE_REAUTHENTICATE};
pub use crate::governance::{
    AdminApplication, ApplicationState, ApplyForRights, DecideApplication, TransferHouse, Transferred,
};
pub use crate::house::{
    Entrance, House, HouseState, Lift, LiftKind, ManagementType, Org, OrgKind, Ownership, Premises, PremisesKind,
    Relation, RepairFund, RepairPlan, RepairStatus,
};
pub use crate::id::*;
pub use crate::meter::{Device, DeviceKind, Reading, ReadingSource, Resource};
pub use crate::moderation::{
    Appeal, AppealText, BanMember, ModAction, ModEntry, MuteMember, RemoveMessage, Report, ReportMessage, ReportState,
    Resolution, ResolveReport, SetSlowMode,
};
pub use crate::notice::{Notice, NoticeKind, OutageType, PostOutage};
pub use crate::poll::{CastVote, OpenPoll, Poll, PollBasis, PollOption, Voted};
pub use crate::stats::{ByManagement, CityStats, OrgCounts};
pub use crate::ticket::{
    AssignTicket, CommentTicket, ConfirmTicket, FileTicket, MoveTicket, Staff, Ticket, TicketCategory, TicketComment,
    TicketEvent, TicketEventKind, TicketPlace, TicketProblem, TicketSource, TicketStatus,
};

/// An error answer: a stable code a program can branch on and a message for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ApiError {
    /// Stable machine-readable code, e.g. `not_member`, `rate_limited`.
    pub code: String,
    /// What was wrong and what to do, for a person.
    pub message: String,
    /// The values the message names (a previous reading, a window's dates…), so that a
    /// client can word the refusal in its own language.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub params: std::collections::BTreeMap<String, String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Role, StaffRole};

    /// Each value's wire name (what serde, OpenAPI and TypeScript say) is the name it is
    /// stored and parsed by.
    fn agrees<T: Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug + Copy>(
        all: &[T],
        name: fn(T) -> &'static str,
    ) {
        for &v in all {
            let json = serde_json::to_value(v).unwrap_or_default();
            assert_eq!(json, serde_json::Value::String(name(v).to_owned()), "{v:?}");
            assert_eq!(serde_json::from_value::<T>(json).ok(), Some(v), "{v:?} reads back");
        }
    }

    #[test]
    fn every_vocabulary_travels_by_its_stored_name() {
        agrees(Role::ALL, Role::as_str);
        agrees(StaffRole::ALL, StaffRole::as_str);
        agrees(ChangeKind::ALL, ChangeKind::as_str);
        agrees(CommunityKind::ALL, CommunityKind::as_str);
        agrees(AdminStatus::ALL, AdminStatus::as_str);
        agrees(OrgKind::ALL, OrgKind::as_str);
        agrees(ManagementType::ALL, ManagementType::as_str);
        agrees(HouseState::ALL, HouseState::as_str);
        agrees(RepairFund::ALL, RepairFund::as_str);
        agrees(LiftKind::ALL, LiftKind::as_str);
        agrees(PremisesKind::ALL, PremisesKind::as_str);
        agrees(Relation::ALL, Relation::as_str);
        agrees(RepairStatus::ALL, RepairStatus::as_str);
        agrees(TicketCategory::ALL, TicketCategory::as_str);
        agrees(TicketPlace::ALL, TicketPlace::as_str);
        agrees(TicketProblem::ALL, TicketProblem::as_str);
        agrees(TicketStatus::ALL, TicketStatus::as_str);
        agrees(TicketEventKind::ALL, TicketEventKind::as_str);
        agrees(TicketSource::ALL, TicketSource::as_str);
        agrees(Resource::ALL, Resource::as_str);
        agrees(DeviceKind::ALL, DeviceKind::as_str);
        agrees(ReadingSource::ALL, ReadingSource::as_str);
        agrees(VolumeMethod::ALL, VolumeMethod::as_str);
        agrees(NoticeKind::ALL, NoticeKind::as_str);
        agrees(OutageType::ALL, OutageType::as_str);
        agrees(ModAction::ALL, ModAction::as_str);
        agrees(ReportState::ALL, ReportState::as_str);
        agrees(Resolution::ALL, Resolution::as_str);
        agrees(ApplicationState::ALL, ApplicationState::as_str);
        agrees(PollBasis::ALL, PollBasis::as_str);
    }

    #[test]
    fn an_unknown_name_is_refused() {
        assert!(serde_json::from_str::<Resource>("\"steam\"").is_err());
        assert_eq!(Resource::parse("steam"), None);
    }
}
