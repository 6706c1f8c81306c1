//! The rules of a community's chat: who may read, post, edit, delete and join, and when a
//! repeated send is the same message. Pure functions over roles and facts the caller looked
//! up, so every store (and the client, to hide what it may not do) applies the same rules.

use crate::role::{Role, StaffRole};

/// What a community is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommunityKind {
    /// The official chat of one house (16 or more flats).
    HouseChat,
    /// An information channel of a microdistrict: many houses, written by the organisation.
    Microdistrict,
}

impl CommunityKind {
    /// The kind's stable name, as stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            CommunityKind::HouseChat => "house_chat",
            CommunityKind::Microdistrict => "microdistrict",
        }
    }

    /// Parses a stored kind name.
    pub fn parse(s: &str) -> Option<CommunityKind> {
        match s {
            "house_chat" => Some(CommunityKind::HouseChat),
            "microdistrict" => Some(CommunityKind::Microdistrict),
            _ => None,
        }
    }
}

/// Why a chat action is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The person is not a member of the community (and not the Inspection).
    #[error("not a member of this community")]
    NotMember,
    /// Residents do not write to a microdistrict channel; the organisation does.
    #[error("a microdistrict channel is written by the managing organisation only")]
    ReadOnlyChannel,
    /// Only the author edits a message.
    #[error("only the author may edit a message")]
    NotAuthor,
    /// Only the author or a moderator deletes a message.
    #[error("only the author or a moderator may delete a message")]
    NotAuthorOrModerator,
    /// A deleted message keeps no text to edit.
    #[error("the message is deleted")]
    MessageDeleted,
    /// An idempotency key already stored another message.
    #[error("the idempotency key was used for another message")]
    KeyReused,
    /// Only house chats are joined; channels come with them.
    #[error("only a house chat can be joined")]
    NotJoinable,
    /// Joining needs a premises held in the house, as the registry says.
    #[error("no confirmed premises in this house")]
    NotOwner,
}

/// A person's role in a community: their membership's role, or the Inspection's, which owns
/// every community without joining it.
pub fn effective_role(membership: Option<Role>, staff: Option<StaffRole>) -> Option<Role> {
    match (membership, staff) {
        (Some(role), _) => Some(role),
        (None, Some(StaffRole::Inspector)) => Some(Role::Inspector),
        (None, _) => None,
    }
}

/// Whether a person with this role (none: no role) may read the community's history.
pub fn may_read(role: Option<Role>) -> Result<(), Refusal> {
    role.map(|_| ()).ok_or(Refusal::NotMember)
}

/// Whether a person may post in a community of this kind.
pub fn may_post(kind: CommunityKind, role: Option<Role>) -> Result<(), Refusal> {
    match (kind, role.ok_or(Refusal::NotMember)?) {
        (CommunityKind::Microdistrict, Role::Resident) => Err(Refusal::ReadOnlyChannel),
        _ => Ok(()),
    }
}

/// Whether a person may edit a message: their own, while it is not deleted.
pub fn may_edit(role: Option<Role>, is_author: bool, deleted: bool) -> Result<(), Refusal> {
    may_read(role)?;
    if !is_author {
        return Err(Refusal::NotAuthor);
    }
    if deleted {
        return Err(Refusal::MessageDeleted);
    }
    Ok(())
}

/// Whether a person may delete a message: their own, or anyone's as a moderator.
pub fn may_delete(role: Option<Role>, is_author: bool) -> Result<(), Refusal> {
    let role = role.ok_or(Refusal::NotMember)?;
    if is_author || role.moderates() { Ok(()) } else { Err(Refusal::NotAuthorOrModerator) }
}

/// Whether a person may join a community: only a house chat, and only with a premises held
/// in its house.
pub fn may_join(kind: CommunityKind, holds_premises_in_house: bool) -> Result<(), Refusal> {
    if kind != CommunityKind::HouseChat {
        return Err(Refusal::NotJoinable);
    }
    if !holds_premises_in_house {
        return Err(Refusal::NotOwner);
    }
    Ok(())
}

/// A send under an idempotency key that already stored a message: the same send again
/// (same community, same text, or the message was deleted since) gets the stored message
/// back; anything else reused the key for a different message.
pub fn resend(
    stored_community: i64,
    stored_body: &str,
    stored_deleted: bool,
    community: i64,
    body: &str,
) -> Result<(), Refusal> {
    if stored_community != community || (stored_body != body && !stored_deleted) {
        return Err(Refusal::KeyReused);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL_ROLES: [Role; 4] = [Role::Resident, Role::Chair, Role::Dispatcher, Role::Inspector];

    #[test]
    fn the_inspection_has_a_role_everywhere_and_others_only_by_membership() {
        assert_eq!(effective_role(None, Some(StaffRole::Inspector)), Some(Role::Inspector));
        assert_eq!(effective_role(None, Some(StaffRole::Dispatcher)), None);
        assert_eq!(effective_role(None, None), None);
        assert_eq!(effective_role(Some(Role::Chair), Some(StaffRole::Inspector)), Some(Role::Chair));
    }

    #[test]
    fn residents_read_channels_but_do_not_write_them() {
        assert_eq!(may_post(CommunityKind::Microdistrict, Some(Role::Resident)), Err(Refusal::ReadOnlyChannel));
        for role in [Role::Chair, Role::Dispatcher, Role::Inspector] {
            assert_eq!(may_post(CommunityKind::Microdistrict, Some(role)), Ok(()), "{role:?}");
        }
        for role in ALL_ROLES {
            assert_eq!(may_post(CommunityKind::HouseChat, Some(role)), Ok(()), "{role:?}");
            assert_eq!(may_read(Some(role)), Ok(()));
        }
        assert_eq!(may_post(CommunityKind::HouseChat, None), Err(Refusal::NotMember));
        assert_eq!(may_read(None), Err(Refusal::NotMember));
    }

    #[test]
    fn only_the_author_edits_and_not_once_deleted() {
        for role in ALL_ROLES {
            assert_eq!(may_edit(Some(role), true, false), Ok(()));
            assert_eq!(may_edit(Some(role), false, false), Err(Refusal::NotAuthor), "{role:?} edits only own");
            assert_eq!(may_edit(Some(role), true, true), Err(Refusal::MessageDeleted));
        }
        assert_eq!(may_edit(None, true, false), Err(Refusal::NotMember));
    }

    #[test]
    fn moderators_delete_anyones_others_their_own() {
        assert_eq!(may_delete(Some(Role::Chair), false), Ok(()));
        assert_eq!(may_delete(Some(Role::Inspector), false), Ok(()));
        assert_eq!(may_delete(Some(Role::Resident), false), Err(Refusal::NotAuthorOrModerator));
        assert_eq!(may_delete(Some(Role::Dispatcher), false), Err(Refusal::NotAuthorOrModerator));
        for role in ALL_ROLES {
            assert_eq!(may_delete(Some(role), true), Ok(()));
        }
        assert_eq!(may_delete(None, true), Err(Refusal::NotMember));
    }

    #[test]
    fn only_house_chats_are_joined_and_only_by_holders() {
        assert_eq!(may_join(CommunityKind::HouseChat, true), Ok(()));
        assert_eq!(may_join(CommunityKind::HouseChat, false), Err(Refusal::NotOwner));
        assert_eq!(may_join(CommunityKind::Microdistrict, true), Err(Refusal::NotJoinable));
    }

    #[test]
    fn a_key_sends_one_message() {
        assert_eq!(resend(1, "привет", false, 1, "привет"), Ok(()));
        assert_eq!(resend(1, "", true, 1, "привет"), Ok(()), "deleted since: the send is answered, not redone");
        assert_eq!(resend(1, "привет", false, 1, "пока"), Err(Refusal::KeyReused));
        assert_eq!(resend(1, "привет", false, 2, "привет"), Err(Refusal::KeyReused));
    }

    #[test]
    fn kinds_round_trip() {
        for kind in [CommunityKind::HouseChat, CommunityKind::Microdistrict] {
            assert_eq!(CommunityKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(CommunityKind::parse("forum"), None);
    }
}
