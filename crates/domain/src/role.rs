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

/// The work a staff member does, beside any community role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StaffRole {
    /// Staff of a management organisation: sees the houses it manages.
    Dispatcher,
    /// The State Housing Inspection: sees every house and community, keeps the registry.
    Inspector,
}

impl StaffRole {
    /// The staff role's stable name, as stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            StaffRole::Dispatcher => "dispatcher",
            StaffRole::Inspector => "inspector",
        }
    }

    /// Parses a stored staff role name.
    pub fn parse(s: &str) -> Option<StaffRole> {
        match s {
            "dispatcher" => Some(StaffRole::Dispatcher),
            "inspector" => Some(StaffRole::Inspector),
            _ => None,
        }
    }

    /// Whether this staff member may record changes in the housing registry (a sale ending
    /// an ownership): only the Inspection keeps it.
    pub fn keeps_registry(self) -> bool {
        self == StaffRole::Inspector
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for role in [Role::Resident, Role::Chair, Role::Dispatcher, Role::Inspector] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        for staff in [StaffRole::Dispatcher, StaffRole::Inspector] {
            assert_eq!(StaffRole::parse(staff.as_str()), Some(staff));
        }
        assert_eq!(StaffRole::parse("chair"), None);
    }

    #[test]
    fn only_the_inspection_keeps_the_registry() {
        assert!(StaffRole::Inspector.keeps_registry());
        assert!(!StaffRole::Dispatcher.keeps_registry());
    }
}
