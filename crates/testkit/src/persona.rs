//! The demo persons every seed has (see the README's table), typed, so a test names who
//! acts instead of spelling a key.

/// A demo person of the reference backend's seeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Persona {
    /// Owner of a flat in the demo house: reads and writes its chat, sees her flat's bills.
    Resident,
    /// Chair of the demo house: a resident who moderates.
    Chair,
    /// Owns flats in the demo house and in a second house.
    MultiOwner,
    /// A resident of another house: cannot see the demo house.
    Neighbour,
    /// Staff of the УК managing the demo house.
    Dispatcher,
    /// The State Housing Inspection.
    Inspector,
    /// An unconfirmed account owning a flat in the demo house.
    Unverified,
    /// An owner in the demo house who has not joined its chat.
    NotJoined,
}

impl Persona {
    /// Every persona.
    pub const ALL: [Persona; 8] = [
        Persona::Resident,
        Persona::Chair,
        Persona::MultiOwner,
        Persona::Neighbour,
        Persona::Dispatcher,
        Persona::Inspector,
        Persona::Unverified,
        Persona::NotJoined,
    ];

    /// The key the backend knows the person by (`domkom login --demo KEY`).
    pub fn key(self) -> &'static str {
        match self {
            Persona::Resident => "resident",
            Persona::Chair => "chair",
            Persona::MultiOwner => "multi-owner",
            Persona::Neighbour => "neighbour",
            Persona::Dispatcher => "dispatcher",
            Persona::Inspector => "inspector",
            Persona::Unverified => "unverified",
            Persona::NotJoined => "not-joined",
        }
    }
}

impl std::fmt::Display for Persona {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}
