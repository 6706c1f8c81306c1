//! The change feed: every entity a person may see, as changes after a cursor, and the push
//! stream that says when there are more.

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::vocab::vocabulary;

vocabulary! {
    /// The kinds of entity the change feed carries, in the order a first sync wants them.
    pub enum ChangeKind {
        /// A house and its passport.
        House = "house",
        /// A house chat or microdistrict channel.
        Community = "community",
        /// The person's membership of a community.
        Membership = "membership",
        /// The person's ownership or tenancy of a premises.
        Ownership = "ownership",
        /// A personal account.
        Account = "account",
        /// A metering device.
        Device = "device",
        /// A meter reading.
        Reading = "reading",
        /// A unified payment document.
        Bill = "bill",
        /// An outage or information notice.
        Notice = "notice",
        /// A capital-repair plan item.
        RepairPlan = "repair_plan",
        /// A ticket with its status history.
        Ticket = "ticket",
        /// A comment on a ticket (internal ones for the staff only).
        TicketComment = "ticket_comment",
        /// A chat message.
        Message = "message",
        /// A person's reaction to a message, read by whoever reads the message.
        Reaction = "reaction",
        /// An entry of a community's moderation log (the text of a deleted message only
        /// for its moderators).
        ModEntry = "mod_entry",
        /// A complaint about a message: for the community's moderators and its reporter.
        Report = "report",
        /// An application for a community's admin rights: for the house's staff, the
        /// Inspection and the applicant.
        AdminApplication = "admin_application",
        /// A poll in a chat, with its tally.
        Poll = "poll",
    }
}

/// Whether a change brings an entity's new state or says it is gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ChangeOp {
    /// `data` is the entity's whole current state.
    Upsert,
    /// The entity is gone for this reader; `data` holds only its id.
    Delete,
}

/// One entry of the change feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Change {
    /// Position in the server's change log; strictly increasing within a page.
    pub seq: i64,
    /// What kind of entity changed.
    pub kind: ChangeKind,
    /// Upsert or delete.
    pub op: ChangeOp,
    /// The entity's id within its kind.
    pub id: i64,
    /// The entity (see the kind's type) or, for a delete, `{"id": …}`.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub data: serde_json::Value,
}

impl Change {
    /// Reads `data` as the entity type of this kind (straight from the parsed value: a
    /// first sync reads a hundred thousand of these, and copying each first costs).
    pub fn entity<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        T::deserialize(&self.data)
    }
}

/// A page of the change feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ChangesPage {
    /// The changes after the requested cursor that the caller may see, in order.
    pub changes: Vec<Change>,
    /// The cursor to ask from next time; store it with the applied changes.
    pub cursor: i64,
    /// Whether more changes wait after `cursor`.
    pub has_more: bool,
    /// The newest seq in the server's log, for progress reports.
    pub head: i64,
}

/// The close code of a push stream whose access token expired or whose session ended:
/// the client renews its token and opens the stream again (no sign of being offline).
pub const STREAM_CLOSE_REAUTHENTICATE: u16 = 4001;

/// What the push stream sends: there are changes up to `seq` to fetch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PushEvent {
    /// Sent on connect: the newest change the server holds.
    Hello {
        /// The newest seq in the log.
        head: i64,
    },
    /// A change the person may see was committed at `seq`.
    Changed {
        /// The seq of that change.
        seq: i64,
    },
}
