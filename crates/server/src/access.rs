//! Who may see what: the audiences of the change log and a signed-in person's view of them.
//! Pure: the store fills a [`Viewer`] in, and every read and the push stream ask it.

use std::collections::{BTreeMap, BTreeSet};

use domkom_domain::id::*;
use domkom_domain::wire::PersonInfo;
use domkom_domain::{Role, StaffRole, chat};

/// Who may see an entry of the change log: one audience, like a house or a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// Members of a community.
    Community(CommunityId),
    /// People related to a house: its owners and tenants, its managing staff.
    House(HouseId),
    /// The holders of a premises: its accounts, meters and bills.
    Premises(PremisesId),
    /// One person.
    Person(PersonId),
    /// The staff of a house: its managing organisation's dispatchers, and the Inspection
    /// (internal ticket comments).
    Staff(HouseId),
    /// The moderators of a community (its chairs where the organisation holds admin rights)
    /// and the Inspection: complaints and the words of deleted messages.
    Moderators(CommunityId),
}

impl Scope {
    /// Reads the stored (letter, id) form.
    pub fn from_stored(letter: &str, id: i64) -> Option<Scope> {
        Some(match letter {
            "c" => Scope::Community(CommunityId(id)),
            "h" => Scope::House(HouseId(id)),
            "f" => Scope::Premises(PremisesId(id)),
            "p" => Scope::Person(PersonId(id)),
            "s" => Scope::Staff(HouseId(id)),
            "m" => Scope::Moderators(CommunityId(id)),
            _ => return None,
        })
    }

    /// The stored (letter, id) form.
    pub fn to_stored(self) -> (&'static str, i64) {
        match self {
            Scope::Community(id) => ("c", id.get()),
            Scope::House(id) => ("h", id.get()),
            Scope::Premises(id) => ("f", id.get()),
            Scope::Person(id) => ("p", id.get()),
            Scope::Staff(id) => ("s", id.get()),
            Scope::Moderators(id) => ("m", id.get()),
        }
    }

    /// Parses the API form `c:12`, `h:3`, `f:9`, `p:1`, `s:3`, `m:12`: a letter, a colon and 1 to 18
    /// digits (no sign), exactly as the OpenAPI pattern states.
    pub fn parse(text: &str) -> Option<Scope> {
        let (letter, id) = text.split_once(':')?;
        if id.is_empty() || id.len() > 18 || !id.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Scope::from_stored(letter, id.parse().ok()?)
    }
}

/// A signed-in person and everything they may see right now.
#[derive(Debug, Clone)]
pub struct Viewer {
    /// The person.
    pub person: PersonInfo,
    /// Staff work, for a dispatcher or an inspector.
    pub staff: Option<StaffRole>,
    /// Staff organisation, for a dispatcher.
    pub org_id: Option<OrgId>,
    /// Premises the person owns or rents.
    pub premises: BTreeSet<PremisesId>,
    /// Houses the person owns in or whose organisation manages them.
    pub houses: BTreeSet<HouseId>,
    /// Houses where the person holds a premises (not through staff work).
    pub own_houses: BTreeSet<HouseId>,
    /// Houses the person's organisation manages now, for a dispatcher.
    pub managed: BTreeSet<HouseId>,
    /// Communities the person belongs to, with the role.
    pub communities: BTreeMap<CommunityId, Role>,
    /// Communities the person moderates: a chair's where the organisation holds admin rights.
    pub moderates: BTreeSet<CommunityId>,
}

impl Viewer {
    /// Whether this person works for the State Housing Inspection.
    pub fn is_inspector(&self) -> bool {
        self.staff == Some(StaffRole::Inspector)
    }

    /// Whether the person may see entries of this audience. The Inspection owns every
    /// community and house, but not people's bills and meters.
    pub fn sees(&self, scope: Scope) -> bool {
        match scope {
            Scope::Community(id) => self.is_inspector() || self.communities.contains_key(&id),
            Scope::House(id) => self.is_inspector() || self.houses.contains(&id),
            Scope::Premises(id) => self.premises.contains(&id),
            Scope::Person(id) => id == self.person.id,
            Scope::Staff(id) => self.is_inspector() || self.managed.contains(&id),
            Scope::Moderators(id) => self.is_inspector() || self.moderates.contains(&id),
        }
    }

    /// Whether the person works a house's tickets: a dispatcher of its managing organisation.
    pub fn dispatches(&self, house: HouseId) -> bool {
        self.staff == Some(StaffRole::Dispatcher) && self.managed.contains(&house)
    }

    /// The audiences to read the change log for (all of them but the Inspection's).
    pub fn scopes(&self) -> Vec<Scope> {
        let mut out = vec![Scope::Person(self.person.id)];
        out.extend(self.premises.iter().map(|&id| Scope::Premises(id)));
        out.extend(self.houses.iter().map(|&id| Scope::House(id)));
        out.extend(self.managed.iter().map(|&id| Scope::Staff(id)));
        out.extend(self.communities.keys().map(|&id| Scope::Community(id)));
        out.extend(self.moderates.iter().map(|&id| Scope::Moderators(id)));
        out
    }

    /// The person's role in a community, if they may take part in it.
    pub fn role_in(&self, community: CommunityId) -> Option<Role> {
        chat::effective_role(self.communities.get(&community).copied(), self.staff)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_parse_only_in_their_documented_form() {
        assert_eq!(Scope::parse("c:12"), Some(Scope::Community(CommunityId(12))));
        assert_eq!(Scope::parse("f:9"), Some(Scope::Premises(PremisesId(9))));
        assert_eq!(Scope::parse("s:3"), Some(Scope::Staff(HouseId(3))));
        assert_eq!(Scope::parse("m:4"), Some(Scope::Moderators(CommunityId(4))));
        for bad in ["c:", "c:+1", "c:-1", "x:1", "c:1234567890123456789", "c:1 ", "c1"] {
            assert_eq!(Scope::parse(bad), None, "{bad}");
        }
    }
}
