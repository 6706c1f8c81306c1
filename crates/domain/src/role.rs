//! Roles of people in a community.

use serde::{Deserialize, Serialize};

/// What a person may do in a community.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A verified owner or registered tenant: reads and writes the chat.
    Resident,
    /// A ТСЖ/ЖСК chair or the УК's moderator: moderates the chat.
    Chair,
    /// Staff of the managing organisation: works tickets, posts notices.
    Dispatcher,
    /// The State Housing Inspection: owns every community.
    Inspector,
}

impl Role {
    /// The role's stable name, as stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Resident => "resident",
            Role::Chair => "chair",
            Role::Dispatcher => "dispatcher",
            Role::Inspector => "inspector",
        }
    }

    /// Parses a stored role name.
    pub fn parse(s: &str) -> Option<Role> {
        Some(match s {
            "resident" => Role::Resident,
            "chair" => Role::Chair,
            "dispatcher" => Role::Dispatcher,
            "inspector" => Role::Inspector,
            _ => return None,
        })
    }

    /// Whether the role may moderate (pin, delete others' messages, mute, ban).
    pub fn moderates(self) -> bool {
        matches!(self, Role::Chair | Role::Inspector)
    }
}
