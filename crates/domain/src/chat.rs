//! The rules of a community's chat: who may read, post, edit, delete and join, and when a
//! repeated send is the same message. Pure functions over roles and facts the caller looked
//! up, so every store (and the client, to hide what it may not do) applies the same rules.

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::id::*;
use crate::role::{Role, StaffRole};
use crate::vocab::vocabulary;

vocabulary! {
    /// What a community is.
    pub enum CommunityKind {
        /// The official chat of one house (16 or more flats).
        HouseChat = "house_chat",
        /// An information channel of a microdistrict: many houses, written by the organisation.
        Microdistrict = "microdistrict",
    }
}

vocabulary! {
    /// Whether the Inspection has granted a managing organisation admin rights over a community.
    pub enum AdminStatus {
        /// The organisation named by `admin_org_id` moderates.
        Granted = "granted",
        /// No organisation moderates yet: only the Inspection does.
        Pending = "pending",
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
    /// A house of 16 or more flats has its official chat; nobody opens another.
    #[error("a house of 16 or more flats has its official chat")]
    OfficialHouse,
    /// The house has a chat already.
    #[error("the house has a chat already")]
    ChatExists,
    /// Only a microdistrict channel's post names houses.
    #[error("only a post in a microdistrict channel is addressed to some of its houses")]
    TargetsOutsideChannel,
    /// A named house is not one of the channel's.
    #[error("house {0} is not one of the channel's houses")]
    HouseNotInChannel(HouseId),
    /// A dispatcher addresses only houses their organisation manages.
    #[error("house {0} is not managed by your organisation")]
    HouseNotManaged(HouseId),
    /// A reaction outside the offered set.
    #[error("not one of the offered reactions")]
    UnknownReaction,
    /// More houses named than [`MAX_POST_HOUSES`] (counted as sent).
    #[error("a post names at most {MAX_POST_HOUSES} houses")]
    TooManyHouses,
}

/// The most houses a channel's post names (the schema's `maxItems`); more is the whole complex.
pub const MAX_POST_HOUSES: usize = 50;

/// Houses with at least this many flats get an official chat; smaller ones may open one.
pub const OFFICIAL_CHAT_FLATS: i64 = 16;

/// Whether a person may open a chat for a house: only a house under 16 flats without one,
/// and only a verified owner or tenant there, or its managing organisation's staff.
pub fn may_open_chat(flats: i64, has_chat: bool, holds_premises: bool, manages: bool) -> Result<(), Refusal> {
    if flats >= OFFICIAL_CHAT_FLATS {
        return Err(Refusal::OfficialHouse);
    }
    if has_chat {
        return Err(Refusal::ChatExists);
    }
    if !holds_premises && !manages {
        return Err(Refusal::NotOwner);
    }
    Ok(())
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

/// Whether a channel post may be addressed to these houses (none: the whole channel).
/// Only a microdistrict channel's post names houses, each one of the channel's; a poster who
/// is not the Inspection names only houses their organisation manages (`managed`).
pub fn check_targets(
    kind: CommunityKind,
    targets: &[HouseId],
    channel_houses: &[HouseId],
    managed: Option<&std::collections::BTreeSet<HouseId>>,
) -> Result<(), Refusal> {
    if targets.is_empty() {
        return Ok(());
    }
    if kind != CommunityKind::Microdistrict {
        return Err(Refusal::TargetsOutsideChannel);
    }
    if targets.len() > MAX_POST_HOUSES {
        return Err(Refusal::TooManyHouses);
    }
    for &house in targets {
        if !channel_houses.contains(&house) {
            return Err(Refusal::HouseNotInChannel(house));
        }
        if let Some(managed) = managed
            && !managed.contains(&house)
        {
            return Err(Refusal::HouseNotManaged(house));
        }
    }
    Ok(())
}

/// Whether a person sees a post addressed to some houses (none: everyone in the community
/// does): its author, the Inspection, and whoever lives in or manages one of them.
pub fn sees_post(targets: &[HouseId], is_author: bool, is_inspector: bool, houses: &impl Fn(HouseId) -> bool) -> bool {
    targets.is_empty() || is_author || is_inspector || targets.iter().any(|&h| houses(h))
}

/// The reactions a message can get: one per person, replaced by the next.
pub const REACTIONS: [&str; 6] = ["👍", "❤️", "😂", "😮", "😢", "🙏"];

/// [`reaction`]'s rule as the API's schema states it (ECMA-262): an offered emoji, with or
/// without one emoji presentation selector after it.
pub const REACTION_PATTERN: &str = "^(👍|❤|😂|😮|😢|🙏)\\uFE0F?$";

/// The offered reaction this is, with or without the emoji presentation selector after it (a
/// keyboard may type ❤ for ❤️).
pub fn reaction(emoji: &str) -> Result<&'static str, Refusal> {
    let base = emoji.strip_suffix('\u{fe0f}').unwrap_or(emoji);
    REACTIONS.into_iter().find(|r| r.trim_end_matches('\u{fe0f}') == base).ok_or(Refusal::UnknownReaction)
}

/// A send under an idempotency key that already stored a message: the same send again
/// (same community, same text, or the message was deleted since) gets the stored message
/// back; anything else reused the key for a different message.
pub fn resend(
    stored_community: CommunityId,
    stored_body: &str,
    stored_deleted: bool,
    community: CommunityId,
    body: &str,
) -> Result<(), Refusal> {
    if stored_community != community || (stored_body != body && !stored_deleted) {
        return Err(Refusal::KeyReused);
    }
    Ok(())
}

// ---- Wire types ----

/// A community: an official house chat or a microdistrict channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Community {
    /// Id.
    pub id: CommunityId,
    /// A house chat or a microdistrict channel.
    pub kind: CommunityKind,
    /// The house of a house chat.
    pub house_id: Option<HouseId>,
    /// Title.
    pub title: String,
    /// Always `inspection`: the Inspection owns every community.
    pub owner: String,
    /// The organisation holding admin rights.
    pub admin_org_id: Option<OrgId>,
    /// Whether an organisation holds admin rights.
    pub admin_status: AdminStatus,
    /// Created at.
    pub created_at: String,
    /// The houses the community covers.
    pub house_ids: Vec<HouseId>,
    /// Slow mode: one message per this many seconds per member (0: off).
    #[serde(default)]
    pub slow_mode_s: u32,
    /// An official chat (a house of 16 or more flats, or a channel); false for a small
    /// house's chat that an owner or its organisation opened («неофициальный»).
    #[serde(default = "official_by_default")]
    pub official: bool,
    /// Who opened an unofficial chat.
    #[serde(default)]
    pub opened_by: Option<String>,
}

fn official_by_default() -> bool {
    true
}

/// A person's membership of a community.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Membership {
    /// Id.
    pub id: MembershipId,
    /// Community.
    pub community_id: CommunityId,
    /// Person.
    pub person_id: PersonId,
    /// Role in the community.
    pub role: Role,
    /// Joined at.
    pub joined_at: String,
    /// Left at (a delete change follows).
    pub left_at: Option<String>,
    /// Muted by a moderator until then: the member reads but may not send.
    #[serde(default)]
    pub muted_until: Option<String>,
}

/// The author of a message as shown beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Author {
    /// Person id.
    pub id: PersonId,
    /// Name as shown.
    pub name: String,
    /// Flat number in the chat's house, if any.
    pub flat: Option<String>,
    /// Role in the community.
    pub role: Role,
}

/// A chat message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Message {
    /// Server id; increases with time within a community.
    pub id: MessageId,
    /// Community.
    pub community_id: CommunityId,
    /// Author.
    pub author: Author,
    /// The idempotency key the sending client made.
    pub client_key: String,
    /// Plain text (never HTML); empty once deleted.
    pub body: String,
    /// The message replied to.
    pub reply_to: Option<MessageId>,
    /// Created at.
    pub created_at: String,
    /// Last edited at.
    pub edited_at: Option<String>,
    /// Deleted at.
    pub deleted_at: Option<String>,
    /// The notice this message tells the chat of (an outage a dispatcher posted), if any.
    #[serde(default)]
    pub notice_id: Option<NoticeId>,
    /// The ticket this message reports on (a status post) or was made into, if any.
    #[serde(default)]
    pub ticket_id: Option<TicketId>,
    /// Pinned above the chat by a moderator at.
    #[serde(default)]
    pub pinned_at: Option<String>,
    /// Deleted by a moderator for this reason (members see «удалено модератором: …»).
    #[serde(default)]
    pub deleted_reason: Option<String>,
    /// A channel post for some of its houses: only their residents and staff read it
    /// (empty: the whole community).
    #[serde(default)]
    pub houses: Vec<HouseId>,
}

/// A person's reaction to a message: one per person and message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Reaction {
    /// Id.
    pub id: ReactionId,
    /// The message.
    pub message_id: MessageId,
    /// Its community.
    pub community_id: CommunityId,
    /// Who reacted.
    pub person_id: PersonId,
    /// One of the offered reactions.
    pub emoji: String,
    /// When it was set.
    pub at: String,
}

/// A reaction to set on a message, replacing the person's earlier one. Unknown fields are refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct React {
    /// One of 👍 ❤️ 😂 😮 😢 🙏.
    #[cfg_attr(feature = "openapi", schema(pattern = "^(👍|❤|😂|😮|😢|🙏)\\uFE0F?$"))]
    pub emoji: String,
}

/// A page of chat history, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MessagesPage {
    /// Messages with ids below `before`, newest first.
    pub messages: Vec<Message>,
    /// Whether older messages remain.
    pub has_more: bool,
    /// The reactions to these messages.
    #[serde(default)]
    pub reactions: Vec<Reaction>,
}

/// A new message to send. Unknown fields are refused. The schema states the rules of
/// [`crate::message::validate_message_body`] for the body, and a hyphenated UUID for the key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SendMessage {
    /// A UUID the client made for this message; sending it again stores nothing new.
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
    )]
    pub client_key: String,
    /// Plain text, 1 to 4000 characters, with some that are not white space.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::message::body_schema))]
    pub body: String,
    /// The message this one replies to, in the same chat.
    #[serde(default, deserialize_with = "crate::json::optional_integer")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub reply_to: Option<MessageId>,
    /// In a microdistrict channel: the houses the post is for (absent or empty: all of them).
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "crate::json::integers")]
    #[cfg_attr(feature = "openapi", schema(max_items = 50))]
    pub houses: Vec<HouseId>,
}

/// A new text for one's own message. Unknown fields are refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EditMessage {
    /// Plain text, 1 to 4000 characters, with some that are not white space.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::message::body_schema))]
    pub body: String,
}

/// A house chat the person may join: ownership is confirmed, not joined yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ChatOffer {
    /// The community to join.
    pub community_id: CommunityId,
    /// Its title.
    pub title: String,
    /// Its house.
    pub house_id: HouseId,
    /// The house's address.
    pub address: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The schema's pattern for a reaction takes what [`reaction`] takes, and nothing else.
    #[test]
    fn the_reaction_pattern_agrees_with_the_rule() {
        let pattern = regex::Regex::new(REACTION_PATTERN).unwrap();
        let sel = '\u{fe0f}';
        for r in REACTIONS {
            let bare = r.trim_end_matches(sel);
            for text in [bare.to_owned(), format!("{bare}{sel}"), format!("{bare}{sel}{sel}"), format!("{sel}{bare}")] {
                assert_eq!(pattern.is_match(&text), reaction(&text).is_ok(), "{text:?}");
            }
            assert_eq!(reaction(&format!("{bare}{sel}")), Ok(r));
        }
        for text in ["", "👎", "👍👍", "+1", "\u{fe0f}"] {
            assert!(!pattern.is_match(text) && reaction(text).is_err(), "{text:?}");
        }
    }

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
        assert_eq!(resend(CommunityId(1), "привет", false, CommunityId(1), "привет"), Ok(()));
        assert_eq!(
            resend(CommunityId(1), "", true, CommunityId(1), "привет"),
            Ok(()),
            "deleted since: the send is answered, not redone"
        );
        assert_eq!(resend(CommunityId(1), "привет", false, CommunityId(1), "пока"), Err(Refusal::KeyReused));
        assert_eq!(resend(CommunityId(1), "привет", false, CommunityId(2), "привет"), Err(Refusal::KeyReused));
    }

    #[test]
    fn only_small_houses_without_a_chat_open_one_by_their_owners_or_organisation() {
        assert_eq!(may_open_chat(8, false, true, false), Ok(()));
        assert_eq!(may_open_chat(8, false, false, true), Ok(()));
        assert_eq!(may_open_chat(8, false, false, false), Err(Refusal::NotOwner));
        assert_eq!(may_open_chat(8, true, true, false), Err(Refusal::ChatExists));
        assert_eq!(may_open_chat(16, false, true, true), Err(Refusal::OfficialHouse));
    }

    #[test]
    fn a_channel_post_names_only_its_houses_and_only_managed_ones() {
        let channel = [HouseId(1), HouseId(2), HouseId(3)];
        let managed: std::collections::BTreeSet<HouseId> = [HouseId(1), HouseId(2)].into();
        let micro = CommunityKind::Microdistrict;
        assert_eq!(check_targets(micro, &[], &channel, Some(&managed)), Ok(()));
        assert_eq!(check_targets(micro, &[HouseId(2)], &channel, Some(&managed)), Ok(()));
        assert_eq!(
            check_targets(micro, &[HouseId(3)], &channel, Some(&managed)),
            Err(Refusal::HouseNotManaged(HouseId(3)))
        );
        assert_eq!(check_targets(micro, &[HouseId(3)], &channel, None), Ok(()), "the Inspection names any");
        assert_eq!(check_targets(micro, &[HouseId(9)], &channel, None), Err(Refusal::HouseNotInChannel(HouseId(9))));
        assert_eq!(
            check_targets(CommunityKind::HouseChat, &[HouseId(1)], &channel, None),
            Err(Refusal::TargetsOutsideChannel)
        );
    }

    #[test]
    fn a_post_for_some_houses_is_read_there_only() {
        let lives_in_2 = |h: HouseId| h == HouseId(2);
        assert!(sees_post(&[], false, false, &lives_in_2));
        assert!(sees_post(&[HouseId(1), HouseId(2)], false, false, &lives_in_2));
        assert!(!sees_post(&[HouseId(1)], false, false, &lives_in_2));
        assert!(sees_post(&[HouseId(1)], true, false, &lives_in_2), "its author");
        assert!(sees_post(&[HouseId(1)], false, true, &lives_in_2), "the Inspection");
    }

    #[test]
    fn reactions_are_a_closed_set() {
        for emoji in REACTIONS {
            assert_eq!(reaction(emoji), Ok(emoji));
        }
        assert_eq!(reaction("\u{2764}"), Ok("❤️"), "a heart typed without the selector");
        for bad in ["", "👍👍", "<b>", "🤡", "👍 ", "\u{fe0f}"] {
            assert_eq!(reaction(bad), Err(Refusal::UnknownReaction), "{bad}");
        }
    }

    #[test]
    fn kinds_round_trip() {
        for kind in [CommunityKind::HouseChat, CommunityKind::Microdistrict] {
            assert_eq!(CommunityKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(CommunityKind::parse("forum"), None);
    }
}
