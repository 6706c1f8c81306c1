//! Roles of people in a community.

use crate::vocab::vocabulary;

vocabulary! {
    /// What a person may do in a community.
    pub enum Role {
        /// A verified owner or registered tenant: reads and writes the chat.
        Resident = "resident",
        /// A ТСЖ/ЖСК chair or the УК's moderator: moderates the chat.
        Chair = "chair",
        /// Staff of the managing organisation: works tickets, posts notices.
        Dispatcher = "dispatcher",
        /// The State Housing Inspection: owns every community.
        Inspector = "inspector",
    }
}

impl Role {
    /// Whether the role may moderate (pin, delete others' messages, mute, ban).
    pub fn moderates(self) -> bool {
        matches!(self, Role::Chair | Role::Inspector)
    }
}

vocabulary! {
    /// The work a staff member does, beside any community role.
    pub enum StaffRole {
        /// Staff of a management organisation: sees the houses it manages.
        Dispatcher = "dispatcher",
        /// The State Housing Inspection: sees every house and community, keeps the registry.
        Inspector = "inspector",
    }
}

impl StaffRole {
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
