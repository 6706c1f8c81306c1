//! Storing chats, memberships and messages from the feed, from history pages and from the
//! answers to sends.

use rusqlite::{OptionalExtension, Transaction, params};

use domkom_domain::id::*;
use domkom_domain::wire::{self, Change, ChangeKind, ChangeOp};

use crate::cache::Cache;
use crate::error::Result;
use crate::events::Event;
use crate::feed::{Applied, decode};

/// A message that arrived and was not in the cache before (for notifications).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NewMessage {
    /// Community.
    pub community_id: CommunityId,
    /// Message id.
    pub id: MessageId,
    /// Author's person id.
    pub author_id: PersonId,
    /// Author's name.
    pub author_name: String,
    /// The text.
    pub body: String,
    /// The notice the message tells of (an outage), which has its own notification.
    pub notice_id: Option<NoticeId>,
    /// The ticket the message reports on (a status post), told in the ticket itself.
    pub ticket_id: Option<TicketId>,
}

/// A message newly pinned above its chat (members are told).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NewPin {
    /// Community.
    pub community_id: CommunityId,
    /// Message id.
    pub id: MessageId,
    /// Author's name.
    pub author_name: String,
    /// The text.
    pub body: String,
}

/// Stores one message row (from the feed, a history page or a send's answer); a confirmed
/// message replaces its local echo in the outbox. True when it did so.
pub(crate) fn store_message(tx: &Transaction<'_>, m: &wire::Message) -> Result<bool> {
    tx.prepare_cached(
        "INSERT INTO messages (id, community_id, author_id, author_name, author_flat, author_role, client_key, body, \
         reply_to, created_at, edited_at, deleted_at, notice_id, ticket_id, pinned_at, deleted_reason, houses) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17) \
         ON CONFLICT (id) DO UPDATE SET author_name = excluded.author_name, author_flat = excluded.author_flat, \
         author_role = excluded.author_role, body = excluded.body, edited_at = excluded.edited_at, \
         deleted_at = excluded.deleted_at, ticket_id = excluded.ticket_id, pinned_at = excluded.pinned_at, \
         deleted_reason = excluded.deleted_reason, houses = excluded.houses",
    )?
    .execute(params![
        m.id,
        m.community_id,
        m.author.id,
        m.author.name,
        m.author.flat,
        m.author.role.as_str(),
        m.client_key,
        m.body,
        m.reply_to,
        m.created_at,
        m.edited_at,
        m.deleted_at,
        m.notice_id,
        m.ticket_id,
        m.pinned_at,
        m.deleted_reason,
        (!m.houses.is_empty()).then(|| serde_json::to_string(&m.houses).unwrap_or_default())
    ])?;
    crate::outbox::delivered(tx, &m.client_key)
}

/// Removes everything of a community from the cache.
fn purge_community(tx: &Transaction<'_>, community: CommunityId) -> Result<()> {
    for sql in [
        "DELETE FROM messages WHERE community_id = ?1",
        "DELETE FROM reactions WHERE community_id = ?1",
        "DELETE FROM history_gaps WHERE community_id = ?1",
        "DELETE FROM read_state WHERE community_id = ?1",
        "DELETE FROM communities WHERE id = ?1",
        "DELETE FROM memberships WHERE community_id = ?1",
        "DELETE FROM mod_log WHERE community_id = ?1",
        "DELETE FROM reports WHERE community_id = ?1",
        "DELETE FROM my_votes WHERE poll_id IN (SELECT id FROM polls WHERE community_id = ?1)",
        "DELETE FROM polls WHERE community_id = ?1",
    ] {
        tx.execute(sql, [community])?;
    }
    Ok(())
}

/// Removes the chats of a house that left the person's view.
pub(crate) fn purge_house(tx: &Transaction<'_>, house: HouseId, out: &mut Applied) -> Result<()> {
    let chats: Vec<CommunityId> = tx
        .prepare("SELECT id FROM communities WHERE house_id = ?1")?
        .query_map([house], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for c in chats {
        purge_community(tx, c)?;
        out.changed(Event::Chat { community_id: c });
    }
    out.changed(Event::Chats);
    Ok(())
}

/// Stores a reaction (from the feed or a reaction's answer): the person's one reaction to
/// the message.
pub(crate) fn store_reaction(tx: &Transaction<'_>, r: &wire::Reaction) -> Result<()> {
    tx.prepare_cached("DELETE FROM reactions WHERE message_id = ?1 AND person_id = ?2 AND id != ?3")?
        .execute(params![r.message_id, r.person_id, r.id])?;
    tx.prepare_cached(
        "INSERT INTO reactions (id, message_id, community_id, person_id, emoji) VALUES (?1, ?2, ?3, ?4, ?5) \
         ON CONFLICT (id) DO UPDATE SET message_id = excluded.message_id, community_id = excluded.community_id, \
         person_id = excluded.person_id, emoji = excluded.emoji",
    )?
    .execute(params![r.id, r.message_id, r.community_id, r.person_id, r.emoji])?;
    Ok(())
}

/// Stores a message, community, membership or reaction change.
pub(crate) fn apply(tx: &Transaction<'_>, c: &Change, out: &mut Applied) -> Result<()> {
    match (c.kind, c.op) {
        (ChangeKind::Message, ChangeOp::Upsert) => {
            let m: wire::Message = decode(c)?;
            let newest = match out.newest_before.get(&m.community_id) {
                Some(&n) => n,
                None => {
                    let n: MessageId = tx.query_row(
                        "SELECT coalesce(max(id), 0) FROM messages WHERE community_id = ?1",
                        [m.community_id],
                        |r| r.get(0),
                    )?;
                    out.newest_before.insert(m.community_id, n);
                    n
                }
            };
            let was_pinned: Option<Option<String>> = tx
                .prepare_cached("SELECT pinned_at FROM messages WHERE id = ?1")?
                .query_row([m.id], |r| r.get(0))
                .optional()?;
            if m.pinned_at.is_some() && was_pinned.is_some_and(|p| p.is_none()) {
                out.new_pins.push(NewPin {
                    community_id: m.community_id,
                    id: m.id,
                    author_name: m.author.name.clone(),
                    body: m.body.clone(),
                });
            }
            // Only a chat the person is in notifies: a channel's post for their house reaches
            // a resident who is not in the channel too, and waits there unseen.
            let in_chat: bool = tx
                .prepare_cached("SELECT EXISTS (SELECT 1 FROM memberships WHERE community_id = ?1)")?
                .query_row([m.community_id], |r| r.get(0))?;
            if in_chat && m.id > newest && m.deleted_at.is_none() {
                out.new_messages.push(NewMessage {
                    community_id: m.community_id,
                    id: m.id,
                    author_id: m.author.id,
                    author_name: m.author.name.clone(),
                    body: m.body.clone(),
                    notice_id: m.notice_id,
                    ticket_id: m.ticket_id,
                });
            }
            out.delivered |= store_message(tx, &m)?;
            out.messages += 1;
            out.changed(Event::Chat { community_id: m.community_id });
            // The list shows each chat's newest message and unread count.
            out.changed(Event::Chats);
        }
        (ChangeKind::Message, ChangeOp::Delete) => {
            let community: Option<CommunityId> =
                tx.query_row("SELECT community_id FROM messages WHERE id = ?1", [c.id], |r| r.get(0)).optional()?;
            tx.execute("DELETE FROM messages WHERE id = ?1", [c.id])?;
            tx.execute("DELETE FROM reactions WHERE message_id = ?1", [c.id])?;
            if let Some(community_id) = community {
                out.changed(Event::Chat { community_id });
                out.changed(Event::Chats);
            }
        }
        (ChangeKind::Community, ChangeOp::Upsert) => {
            let cm: wire::Community = decode(c)?;
            tx.prepare_cached(
                "INSERT INTO communities (id, house_id, kind, title, payload) VALUES (?1, ?2, ?3, ?4, ?5) \
                 ON CONFLICT (id) DO UPDATE SET house_id = excluded.house_id, kind = excluded.kind, \
                 title = excluded.title, payload = excluded.payload",
            )?
            .execute(params![cm.id, cm.house_id, cm.kind, cm.title, c.data.to_string()])?;
            crate::moderation::forget_unless_moderating(tx, cm.id)?;
            out.changed(Event::Chats);
        }
        (ChangeKind::Community, ChangeOp::Delete) => {
            purge_community(tx, CommunityId(c.id))?;
            out.changed(Event::Chat { community_id: CommunityId(c.id) });
            out.changed(Event::Chats);
        }
        (ChangeKind::Membership, ChangeOp::Upsert) => {
            let m: wire::Membership = decode(c)?;
            let known: i64 = tx.query_row("SELECT count(*) FROM memberships WHERE id = ?1", [m.id], |r| r.get(0))?;
            tx.prepare_cached(
                "INSERT INTO memberships (id, community_id, role, payload) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (id) DO UPDATE SET role = excluded.role, payload = excluded.payload",
            )?
            .execute(params![m.id, m.community_id, m.role.as_str(), c.data.to_string()])?;
            crate::moderation::forget_unless_moderating(tx, m.community_id)?;
            if known == 0 {
                out.joined.insert(m.community_id);
            }
            out.changed(Event::Chats);
        }
        (ChangeKind::Membership, ChangeOp::Delete) => {
            // The membership ended: nothing of that community may stay on this machine.
            let community: Option<CommunityId> =
                tx.query_row("SELECT community_id FROM memberships WHERE id = ?1", [c.id], |r| r.get(0)).optional()?;
            if let Some(community) = community {
                purge_community(tx, community)?;
                out.changed(Event::Chat { community_id: community });
            }
            tx.execute("DELETE FROM memberships WHERE id = ?1", [c.id])?;
            out.changed(Event::Chats);
        }
        (ChangeKind::Reaction, ChangeOp::Upsert) => {
            let r: wire::Reaction = decode(c)?;
            store_reaction(tx, &r)?;
            out.changed(Event::Chat { community_id: r.community_id });
        }
        (ChangeKind::Reaction, ChangeOp::Delete) => {
            let community: Option<CommunityId> = tx
                .query_row("DELETE FROM reactions WHERE id = ?1 RETURNING community_id", [c.id], |r| r.get(0))
                .optional()?;
            if let Some(community_id) = community {
                out.changed(Event::Chat { community_id });
            }
        }
        (other, _) => return Err(crate::feed::misrouted(other)),
    }
    Ok(())
}

impl Cache {
    /// Stores a page of history fetched on demand, and moves the chat's gap below it.
    pub fn apply_history(&self, community: CommunityId, page: &wire::MessagesPage) -> Result<()> {
        self.write(|tx| {
            for m in &page.messages {
                store_message(tx, m)?;
            }
            for r in &page.reactions {
                store_reaction(tx, r)?;
            }
            let oldest = page.messages.iter().map(|m| m.id).min();
            match (page.has_more, oldest) {
                (true, Some(oldest)) => {
                    tx.execute(
                        "INSERT INTO history_gaps (community_id, below_id) VALUES (?1, ?2) \
                         ON CONFLICT (community_id) DO UPDATE SET below_id = min(below_id, excluded.below_id)",
                        params![community, oldest],
                    )?;
                }
                _ => {
                    tx.execute("DELETE FROM history_gaps WHERE community_id = ?1", [community])?;
                }
            }
            Ok(())
        })
    }

    /// Stores a message the server answered with (an edit, a delete).
    pub fn store_message(&self, message: &wire::Message) -> Result<()> {
        self.write(|tx| store_message(tx, message).map(|_| ()))
    }
}
