//! What changed, told to the app so it re-reads only that.

use serde::Serialize;

use domkom_domain::id::{AccountId, CommunityId, DeviceId, HouseId, TicketId};

/// One change the app may want to show. Each kind of cached entity has its own, so the UI
/// re-reads only what changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// The chat list changed (joined, left, renamed, a new last message, unread counts).
    Chats,
    /// A chat's messages changed.
    Chat {
        /// The community.
        community_id: CommunityId,
    },
    /// A message arrived that was not here before (the app decides whether to notify).
    NewMessage(crate::chat::NewMessage),
    /// An outage notice arrived for one of the person's houses (the app decides whether to
    /// notify: `notification_for`).
    NewOutage(crate::notice::NewOutage),
    /// An emergency ticket arrived, new (the app tells a dispatcher).
    NewEmergency(crate::ticket::NewEmergency),
    /// A message was pinned above its chat (the app tells the members).
    NewPin(crate::chat::NewPin),
    /// A chat's moderation log changed.
    ModLog {
        /// The community.
        community_id: CommunityId,
    },
    /// A chat's complaints changed.
    Reports {
        /// The community.
        community_id: CommunityId,
    },
    /// A chat's polls changed (a new poll, a tally, the person's vote).
    Polls {
        /// The community.
        community_id: CommunityId,
    },
    /// Applications for admin rights changed (the Inspection's queue, staff's own).
    Applications,
    /// The person's houses or their passports changed.
    Houses,
    /// A house's tickets changed.
    Tickets {
        /// The house.
        house_id: HouseId,
    },
    /// One ticket's pending writes changed (queued, failed).
    Ticket {
        /// The ticket.
        ticket_id: TicketId,
    },
    /// A house's notices (outages) changed.
    Notices {
        /// The house.
        house_id: HouseId,
    },
    /// A house's capital-repair plan changed.
    RepairPlans {
        /// The house.
        house_id: HouseId,
    },
    /// The person's personal accounts changed.
    Accounts,
    /// An account's bills changed.
    Bills {
        /// The account.
        account_id: AccountId,
    },
    /// The person's metering devices changed.
    Devices,
    /// A device's readings changed.
    Readings {
        /// The device.
        device_id: DeviceId,
    },
    /// The sync status changed.
    Sync(SyncStatus),
    /// The outbox changed (queued, sent, failed).
    Outbox,
    /// The session ended; sign in again.
    SignedOut,
}

/// Where syncing stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SyncStatus {
    /// Fetching changes: `done` of about `total`.
    Syncing {
        /// Changes applied so far in this run.
        done: i64,
        /// Changes to fetch in all, as far as the server said.
        total: i64,
    },
    /// Up to date and listening for pushes.
    Live {
        /// The cursor.
        cursor: i64,
    },
    /// The server cannot be reached; trying again in `retry_in_ms`.
    Offline {
        /// Milliseconds to the next try.
        retry_in_ms: u64,
        /// Why.
        reason: String,
    },
}
