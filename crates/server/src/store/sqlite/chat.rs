//! Communities and their chats in SQLite. The rules come from `domkom_domain::chat`; this
//! file looks up the facts they need and stores what they allow.

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use domkom_domain::Role;
use domkom_domain::chat::{self, CommunityKind, Refusal};
use domkom_domain::id::*;
use domkom_domain::message::validate_message_body;
use domkom_domain::moderation::ModRefusal;
use domkom_domain::wire::{ChangeKind, Community, Membership, Message, MessagesPage, Reaction};

use super::{SqliteStore, changelog, decode, ids, moderation, one, rows};
use crate::store::{ChatError, ChatStore, Sent, StoreError, StoreResult, Viewer, What};

/// A message as the feed renders it.
pub(super) fn message_of(conn: &Connection, id: MessageId) -> StoreResult<Message> {
    let payload: Option<String> = conn
        .prepare_cached("SELECT payload FROM feed_message WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    decode(ChangeKind::Message, &payload.ok_or(StoreError::NotFound(What::Message))?)
}

/// A message and the viewer's role in its community, refused when they have none.
/// A post addressed to other houses is not found for the viewer, as if it did not exist.
pub(super) fn visible_message(conn: &Connection, viewer: &Viewer, id: MessageId) -> Result<(Message, Role), ChatError> {
    let message = message_of(conn, id)?;
    let role = viewer.role_in(message.community_id);
    chat::may_read(role)?;
    if !sees_message(viewer, &message) {
        return Err(StoreError::NotFound(What::Message).into());
    }
    Ok((message, role.unwrap_or(Role::Resident)))
}

/// Whether the viewer may see this message, as far as its addressing goes: a post for some
/// houses only for their residents and staff, its author and the Inspection.
pub(super) fn sees_message(viewer: &Viewer, message: &Message) -> bool {
    chat::sees_post(&message.houses, message.author.id == viewer.person.id, viewer.is_inspector(), &|h| {
        viewer.houses.contains(&h)
    })
}

/// Refuses, as not found, a message addressed to houses the viewer has nothing to do with.
pub(super) fn addressed_to(conn: &Connection, viewer: &Viewer, id: MessageId) -> StoreResult<()> {
    if sees_message(viewer, &message_of(conn, id)?) { Ok(()) } else { Err(StoreError::NotFound(What::Message)) }
}

/// A reaction from a row of (id, message, community, person, emoji, at).
fn reaction_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Reaction> {
    Ok(Reaction {
        id: r.get(0)?,
        message_id: r.get(1)?,
        community_id: r.get(2)?,
        person_id: r.get(3)?,
        emoji: r.get(4)?,
        at: r.get(5)?,
    })
}

/// The viewer's houses as a JSON array, for `json_each` in a query.
fn houses_json(viewer: &Viewer) -> String {
    serde_json::to_string(&viewer.houses).unwrap_or_else(|_| "[]".into())
}

/// A community's kind and house, or not found.
pub(super) fn community_kind(
    conn: &Connection,
    community: CommunityId,
) -> StoreResult<(CommunityKind, Option<HouseId>)> {
    let row = conn
        .prepare_cached("SELECT kind, house_id FROM communities WHERE id = ?1")?
        .query_row([community], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    row.ok_or(StoreError::NotFound(What::Community))
}

/// Upserts an active membership and records it.
pub(super) fn activate_membership(
    tx: &Transaction<'_>,
    community: CommunityId,
    person: PersonId,
    role: Role,
    at: &str,
) -> rusqlite::Result<MembershipId> {
    let id: MembershipId = tx.query_row(
        "INSERT INTO memberships (community_id, person_id, role, joined_at) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (community_id, person_id) DO UPDATE SET left_at = NULL, joined_at = \
         iif(memberships.left_at IS NULL, memberships.joined_at, excluded.joined_at), \
         role = iif(memberships.left_at IS NULL, memberships.role, excluded.role) RETURNING id",
        params![community, person, role, at],
        |r| r.get(0),
    )?;
    changelog::record(tx, ChangeKind::Membership, id.get())?;
    rerecord_own_polls(tx, id.get())?;
    // The community's entry is older than a joining client's cursor: record it again so
    // the new member's next sync brings the chat itself (its history comes by pages).
    changelog::record(tx, ChangeKind::Community, community.get())?;
    Ok(id)
}

/// Ends a membership and tells its holder, whose client then purges the community.
pub(super) fn end_membership(tx: &Transaction<'_>, membership_id: i64, at: &str) -> rusqlite::Result<()> {
    tx.execute("UPDATE memberships SET left_at = ?2 WHERE id = ?1 AND left_at IS NULL", params![membership_id, at])?;
    changelog::record_removal(tx, ChangeKind::Membership, membership_id)?;
    rerecord_own_polls(tx, membership_id)
}

/// Records again the polls a member voted in, whose own copy (with their choice) follows the
/// membership: gone once they leave, back when they return.
fn rerecord_own_polls(tx: &Transaction<'_>, membership_id: i64) -> rusqlite::Result<()> {
    let polls = ids::<i64>(
        tx,
        "SELECT DISTINCT v.poll_id FROM poll_votes v JOIN polls p ON p.id = v.poll_id \
         JOIN memberships m ON m.community_id = p.community_id AND m.person_id = v.person_id WHERE m.id = ?1",
        membership_id,
    )?;
    for poll in polls {
        changelog::record(tx, ChangeKind::Poll, poll)?;
    }
    Ok(())
}

impl ChatStore for SqliteStore {
    fn community(&self, viewer: &Viewer, id: CommunityId) -> StoreResult<Community> {
        one(&*self.reader()?, viewer, ChangeKind::Community, id, What::Community)
    }

    fn history(
        &self,
        viewer: &Viewer,
        community: CommunityId,
        before: Option<MessageId>,
        limit: usize,
    ) -> Result<MessagesPage, ChatError> {
        let c = self.reader()?;
        community_kind(&c, community)?;
        chat::may_read(viewer.role_in(community))?;
        let fetch = i64::try_from(limit.saturating_add(1)).unwrap_or(i64::MAX);
        // A post for some houses only where the viewer may read it; each message once,
        // although such a post has several audiences.
        let mut messages: Vec<Message> = rows(
            &c,
            ChangeKind::Message,
            "id IN (SELECT m.id FROM messages m WHERE m.community_id = ?1 AND m.id < ?2 \
                    AND (?4 OR m.author_id = ?5 \
                         OR NOT EXISTS (SELECT 1 FROM message_houses t WHERE t.message_id = m.id) \
                         OR EXISTS (SELECT 1 FROM message_houses t WHERE t.message_id = m.id \
                                    AND t.house_id IN (SELECT value FROM json_each(?6)))) \
                    ORDER BY m.id DESC LIMIT ?3) \
             ORDER BY id DESC",
            params![
                community,
                before.unwrap_or(MessageId(i64::MAX)),
                fetch,
                viewer.is_inspector(),
                viewer.person.id,
                houses_json(viewer)
            ],
        )?
        .into_iter()
        .map(|(_, m)| m)
        .collect();
        messages.dedup_by_key(|m| m.id);
        let has_more = messages.len() > limit;
        messages.truncate(limit);
        // Their reactions come with them: a member who joined later has no feed entries of
        // them (they are older than the client's cursor).
        let page_ids = serde_json::to_string(&messages.iter().map(|m| m.id).collect::<Vec<_>>()).unwrap_or_default();
        let reactions = c
            .prepare_cached(
                "SELECT r.id, r.message_id, m.community_id, r.person_id, r.emoji, r.at \
                 FROM reactions r JOIN messages m ON m.id = r.message_id \
                 WHERE r.message_id IN (SELECT value FROM json_each(?1)) ORDER BY r.id",
            )?
            .query_map([page_ids], reaction_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(MessagesPage { messages, has_more, reactions })
    }

    fn post_message(
        &self,
        viewer: &Viewer,
        community: CommunityId,
        client_key: &str,
        body: &str,
        reply_to: Option<MessageId>,
        houses: &[HouseId],
    ) -> Result<Sent, ChatError> {
        let body = validate_message_body(body)?;
        let mut targets = houses.to_vec();
        targets.sort_unstable();
        targets.dedup();
        self.write(|tx| {
            let (kind, _) = community_kind(tx, community)?;
            if viewer.role_in(community).is_none() && moderation::banned(tx, community, viewer.person.id)? {
                return Err(ModRefusal::Banned.into());
            }
            chat::may_post(kind, viewer.role_in(community))?;
            // The count as sent is the schema's `maxItems`; a house named twice is named once.
            if houses.len() > chat::MAX_POST_HOUSES {
                return Err(Refusal::TooManyHouses.into());
            }
            let channel_houses = ids::<HouseId>(
                tx,
                "SELECT house_id FROM community_houses WHERE community_id = ?1 ORDER BY house_id",
                community,
            )?;
            // A reply to a post for some houses goes to the same houses (a wider audience would
            // quote what it may not read); a post the sender may not read is no reply target.
            if let Some(parent) = reply_to {
                let found =
                    message_of(tx, parent).ok().filter(|m| m.community_id == community && sees_message(viewer, m));
                let parent = found.ok_or(ChatError::ReplyToUnknown)?;
                if !parent.houses.is_empty() && targets.is_empty() {
                    targets = parent.houses;
                }
            }
            let managed = (!viewer.is_inspector()).then_some(&viewer.managed);
            chat::check_targets(kind, &targets, &channel_houses, managed)?;
            let existing: Option<(MessageId, String)> = tx
                .query_row(
                    "SELECT id, body FROM messages WHERE author_id = ?1 AND client_key = ?2",
                    params![viewer.person.id, client_key],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            if let Some((id, stored)) = existing {
                let message = message_of(tx, id)?;
                chat::resend(message.community_id, &stored, message.deleted_at.is_some(), community, body)?;
                return Ok(Sent { message, created: false });
            }
            let now = self.now_rfc3339();
            moderation::check_send(tx, viewer, community, &now, true)?;
            let id: MessageId = tx.query_row(
                "INSERT INTO messages (community_id, author_id, client_key, body, reply_to, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
                params![community, viewer.person.id, client_key, body, reply_to, now],
                |r| r.get(0),
            )?;
            for house in &targets {
                tx.execute("INSERT INTO message_houses (message_id, house_id) VALUES (?1, ?2)", params![id, house])?;
            }
            changelog::record(tx, ChangeKind::Message, id)?;
            Ok(Sent { message: message_of(tx, id)?, created: true })
        })
    }

    fn react(&self, viewer: &Viewer, message: MessageId, emoji: &str) -> Result<Reaction, ChatError> {
        let emoji = chat::reaction(emoji)?;
        self.write(|tx| {
            let (found, _) = visible_message(tx, viewer, message)?;
            if found.deleted_at.is_some() {
                return Err(Refusal::MessageDeleted.into());
            }
            // A reaction is a word in the chat: a muted member reads until the mute ends. Taking
            // one back stays open to them.
            moderation::check_send(tx, viewer, found.community_id, &self.now_rfc3339(), false)?;
            let id: ReactionId = tx.query_row(
                "INSERT INTO reactions (message_id, person_id, emoji, at) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (message_id, person_id) DO UPDATE SET emoji = excluded.emoji, \
                 at = iif(reactions.emoji = excluded.emoji, reactions.at, excluded.at) RETURNING id",
                params![message, viewer.person.id, emoji, self.now_rfc3339()],
                |r| r.get(0),
            )?;
            changelog::record(tx, ChangeKind::Reaction, id)?;
            Ok(tx.query_row(
                "SELECT r.id, r.message_id, m.community_id, r.person_id, r.emoji, r.at \
                 FROM reactions r JOIN messages m ON m.id = r.message_id WHERE r.id = ?1",
                [id],
                reaction_row,
            )?)
        })
    }

    fn unreact(&self, viewer: &Viewer, message: MessageId) -> Result<(), ChatError> {
        self.write(|tx| {
            visible_message(tx, viewer, message)?;
            let id: Option<ReactionId> = tx
                .query_row(
                    "DELETE FROM reactions WHERE message_id = ?1 AND person_id = ?2 RETURNING id",
                    params![message, viewer.person.id],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(id) = id {
                changelog::record_removal(tx, ChangeKind::Reaction, id)?;
            }
            Ok(())
        })
    }

    fn edit_message(&self, viewer: &Viewer, id: MessageId, body: &str) -> Result<Message, ChatError> {
        let body = validate_message_body(body)?;
        self.write(|tx| {
            let (message, role) = visible_message(tx, viewer, id)?;
            chat::may_edit(Some(role), message.author.id == viewer.person.id, message.deleted_at.is_some())?;
            moderation::check_send(tx, viewer, message.community_id, &self.now_rfc3339(), false)?;
            tx.execute(
                "UPDATE messages SET body = ?2, edited_at = ?3 WHERE id = ?1",
                params![id, body, self.now_rfc3339()],
            )?;
            changelog::record(tx, ChangeKind::Message, id)?;
            Ok(message_of(tx, id)?)
        })
    }

    fn delete_message(&self, viewer: &Viewer, id: MessageId) -> Result<Message, ChatError> {
        self.write(|tx| {
            let (message, role) = visible_message(tx, viewer, id)?;
            let is_author = message.author.id == viewer.person.id;
            chat::may_delete(Some(role), is_author)?;
            if !is_author {
                // Someone else's message goes only with a reason members will read.
                return Err(ModRefusal::ReasonRequired.into());
            }
            if message.deleted_at.is_none() {
                // The text is erased, not hidden: a deleted message keeps no words.
                let at = self.now_rfc3339();
                tx.execute(
                    "UPDATE messages SET body = '', deleted_at = ?2, pinned_at = NULL WHERE id = ?1",
                    params![id, at],
                )?;
                changelog::record(tx, ChangeKind::Message, id)?;
                // Complaints about it are settled: the words are gone.
                let open = ids::<i64>(tx, "SELECT id FROM reports WHERE message_id = ?1 AND state = 'open'", id)?;
                for report in open {
                    tx.execute(
                        "UPDATE reports SET state = 'deleted', resolved_at = ?2 WHERE id = ?1",
                        params![report, at],
                    )?;
                    changelog::record(tx, ChangeKind::Report, report)?;
                }
            }
            Ok(message_of(tx, id)?)
        })
    }

    fn open_house_chat(&self, viewer: &Viewer, house: HouseId) -> Result<Community, ChatError> {
        self.write(|tx| {
            let found: Option<(i64, String, bool)> = tx
                .query_row(
                    "SELECT h.flats, h.address, EXISTS (SELECT 1 FROM communities c WHERE c.house_id = h.id) \
                     FROM houses h WHERE h.id = ?1",
                    [house],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            let (flats, address, has_chat) = found.ok_or(StoreError::NotFound(What::House))?;
            let holds = viewer.own_houses.contains(&house);
            chat::may_open_chat(flats, has_chat, holds, viewer.dispatches(house))?;
            let at = self.now_rfc3339();
            // "г. Казань, ул. X, д. N" is titled as the official chats are: "Дом: ул. X, д. N".
            let street = address.split_once(", ").map_or(address.as_str(), |(_, rest)| rest);
            let id: CommunityId = tx.query_row(
                "INSERT INTO communities (kind, house_id, title, admin_org_id, admin_status, created_at, official, opened_by) \
                 VALUES ('house_chat', ?1, ?2, ?3, 'granted', ?4, 0, ?5) RETURNING id",
                params![house, format!("Дом: {street}"), if holds { None } else { viewer.org_id }, at, viewer.person.id],
                |r| r.get(0),
            )?;
            tx.execute("INSERT INTO community_houses (community_id, house_id) VALUES (?1, ?2)", params![id, house])?;
            activate_membership(tx, id, viewer.person.id, Role::Chair, &at)?;
            // The managing organisation's dispatchers are in it, as in every house chat of
            // theirs (and so may apply for its rights).
            let staff = ids::<PersonId>(
                tx,
                "SELECT p.id FROM persons p JOIN management_periods mp ON mp.org_id = p.org_id \
                 WHERE mp.house_id = ?1 AND mp.to_date IS NULL AND p.staff_role = 'dispatcher'",
                house,
            )?;
            for person in staff.into_iter().filter(|&p| p != viewer.person.id) {
                activate_membership(tx, id, person, Role::Dispatcher, &at)?;
            }
            // The passport names its chat now; its owners are offered it.
            changelog::record(tx, ChangeKind::House, house.get())?;
            let payload: String = tx.query_row("SELECT payload FROM feed_community WHERE id = ?1", [id], |r| r.get(0))?;
            Ok(decode(ChangeKind::Community, &payload)?)
        })
    }

    fn join(&self, viewer: &Viewer, community: CommunityId) -> Result<Membership, ChatError> {
        self.write(|tx| {
            let (kind, house) = community_kind(tx, community)?;
            let holds = house.is_some_and(|h| viewer.own_houses.contains(&h));
            chat::may_join(kind, holds)?;
            if moderation::banned(tx, community, viewer.person.id)? {
                return Err(ModRefusal::Banned.into());
            }
            let house = house.ok_or(Refusal::NotJoinable)?;
            let role = viewer.communities.get(&community).copied().unwrap_or(Role::Resident);
            let id = activate_membership(tx, community, viewer.person.id, role, &self.now_rfc3339())?;
            let channels = ids(
                tx,
                "SELECT c.id FROM communities c JOIN community_houses ch ON ch.community_id = c.id \
                 WHERE c.kind = 'microdistrict' AND ch.house_id = ?1",
                house,
            )?;
            for channel in channels {
                activate_membership(tx, channel, viewer.person.id, Role::Resident, &self.now_rfc3339())?;
            }
            let payload: String =
                tx.query_row("SELECT payload FROM feed_membership WHERE id = ?1", [id], |r| r.get(0))?;
            Ok(decode(ChangeKind::Membership, &payload)?)
        })
    }

    fn leave(&self, viewer: &Viewer, community: CommunityId) -> Result<(), ChatError> {
        self.write(|tx| {
            let id: Option<i64> = tx
                .query_row(
                    "SELECT id FROM memberships WHERE community_id = ?1 AND person_id = ?2 AND left_at IS NULL",
                    params![community, viewer.person.id],
                    |r| r.get(0),
                )
                .optional()?;
            end_membership(tx, id.ok_or(Refusal::NotMember)?, &self.now_rfc3339())?;
            Ok(())
        })
    }
}
