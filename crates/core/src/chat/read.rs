//! The chat reads the app and the CLI make: the chat list, a chat's messages, and the
//! person's own marks (read up to, muted).

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use domkom_domain::Role;
use domkom_domain::chat::{self, AdminStatus, CommunityKind};
use domkom_domain::house::ManagementType;
use domkom_domain::id::*;
use domkom_domain::moderation;
use domkom_domain::{governance, poll};

use crate::cache::Cache;
use crate::error::Result;
use crate::feed::{cached_person, me};
use crate::outbox::OutboxState;

/// One entry of the chat list: a community the person belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ChatSummary {
    /// The community.
    pub community_id: CommunityId,
    /// A house chat or a microdistrict channel.
    pub kind: CommunityKind,
    /// Its title.
    pub title: String,
    /// Its house, for a house chat.
    pub house_id: Option<HouseId>,
    /// The house's address, when cached.
    pub address: Option<String>,
    /// The person's role in it.
    pub role: Role,
    /// Whether the person may moderate it (pin, delete others' messages with a reason, mute,
    /// ban): the domain's rule for the role and the community's admin rights, so the UI
    /// never re-derives it.
    pub can_moderate: bool,
    /// The person is muted in it until then (they read but may not send).
    pub muted_until: Option<String>,
    /// Whether that mute still runs, by the server's clock.
    pub muted_now: bool,
    /// Whether the person may write in it (a resident does not write in a channel; a
    /// running mute stops anyone).
    pub can_post: bool,
    /// Whether the person votes in its polls (a holder of a premises there).
    pub can_vote: bool,
    /// Whether the person may apply for its admin rights, which are pending: the managing
    /// organisation's dispatcher, or the chair of a house without a management company.
    pub can_apply: bool,
    /// Slow mode: one message per this many seconds (0: off).
    pub slow_mode_s: u32,
    /// An official chat; false for a small house's chat an owner or its organisation opened.
    pub official: bool,
    /// Who opened an unofficial chat.
    pub opened_by: Option<String>,
    /// Whether the Inspection has granted the organisation admin rights (else only the
    /// Inspection moderates; the organisation or a ТСЖ's chair may apply).
    pub admin_status: AdminStatus,
    /// Messages by others after the last one read.
    pub unread: i64,
    /// The newest message's time.
    pub last_at: Option<String>,
    /// The newest message's text, shortened.
    pub last_text: Option<String>,
    /// Whether notifications for it are off.
    pub muted: bool,
}

/// Where a message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum MessageState {
    /// The server has it.
    Sent,
    /// In the outbox, waiting to be sent.
    Pending,
    /// Refused by the server; retry, edit or discard it.
    Failed,
}

/// Reads a stored role (roles are written by this crate from the wire's enum).
fn role(text: &str) -> Role {
    Role::parse(text).unwrap_or(Role::Resident)
}

/// A message as the timeline shows it; local echoes have no server id yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ChatMessage {
    /// Server id; None for an item still in the outbox.
    pub id: Option<MessageId>,
    /// The idempotency key.
    pub client_key: String,
    /// Community.
    pub community_id: CommunityId,
    /// Author's person id (None for the person's own pending item).
    pub author_id: Option<PersonId>,
    /// Author's name.
    pub author_name: String,
    /// Author's flat.
    pub author_flat: Option<String>,
    /// Author's role.
    pub author_role: Role,
    /// Plain text.
    pub body: String,
    /// Replied-to message.
    pub reply_to: Option<MessageId>,
    /// Created at.
    pub created_at: String,
    /// Edited at.
    pub edited_at: Option<String>,
    /// Deleted at.
    pub deleted_at: Option<String>,
    /// The notice (an outage) this message tells the chat of, shown as a notice.
    pub notice_id: Option<NoticeId>,
    /// The ticket this message reports on (a status post) or was made into.
    pub ticket_id: Option<TicketId>,
    /// Pinned above the chat by a moderator at.
    pub pinned_at: Option<String>,
    /// Deleted by a moderator for this reason.
    pub deleted_reason: Option<String>,
    /// A channel post for some of its houses: their addresses (empty: for everyone).
    pub for_houses: Vec<String>,
    /// Reactions, in the offered order, with how many and whether one is the person's.
    pub reactions: Vec<ReactionCount>,
    /// Sent, or still in the outbox.
    pub state: MessageState,
    /// Why it failed, from the server.
    pub error: Option<String>,
}

/// A house a channel's post may be addressed to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ChannelHouse {
    /// The house.
    pub house_id: HouseId,
    /// Its address.
    pub address: String,
}

/// How many people reacted to a message with one emoji.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReactionCount {
    /// One of the offered reactions.
    pub emoji: String,
    /// How many people.
    pub count: u32,
    /// Whether the person is one of them (a reaction waiting in the outbox counts).
    pub mine: bool,
}

/// The addresses of the houses a post is for, from their ids as cached (`#id` when a house
/// is not cached).
fn house_addresses(c: &rusqlite::Connection, ids: Option<String>) -> rusqlite::Result<Vec<String>> {
    let Some(ids) = ids else { return Ok(Vec::new()) };
    let mut stmt = c.prepare_cached(
        "SELECT coalesce(h.address, '#' || j.value) FROM json_each(?1) j LEFT JOIN houses h ON h.id = j.value \
         ORDER BY j.key",
    )?;
    stmt.query_map([ids], |r| r.get(0))?.collect()
}

/// The reactions to these messages, the person's own as the outbox last has it.
fn reactions_of(c: &rusqlite::Connection, me: PersonId, messages: &mut [ChatMessage]) -> rusqlite::Result<()> {
    let ids: Vec<i64> = messages.iter().filter_map(|m| m.id.map(|id| id.get())).collect();
    if ids.is_empty() {
        return Ok(());
    }
    let ids = serde_json::to_string(&ids).unwrap_or_default();
    // Each message's reactions by others, and the person's own: the newest waiting in the
    // outbox (null: taken back), else the cached one.
    let mut stmt = c.prepare_cached(
        "WITH page(id) AS (SELECT value FROM json_each(?1)), \
         waiting AS (SELECT json_extract(o.payload, '$.message_id') AS message_id, \
                            json_extract(o.payload, '$.emoji') AS emoji, max(o.id) \
                     FROM outbox.requests o WHERE o.kind = 'react' AND o.state = 'pending' \
                     AND json_extract(o.payload, '$.message_id') IN (SELECT id FROM page) \
                     GROUP BY json_extract(o.payload, '$.message_id')), \
         everyone AS (SELECT r.message_id, r.emoji, r.person_id = ?2 AS mine FROM reactions r \
                      WHERE r.message_id IN (SELECT id FROM page) \
                      AND NOT (r.person_id = ?2 AND r.message_id IN (SELECT message_id FROM waiting)) \
                      UNION ALL SELECT message_id, emoji, 1 FROM waiting WHERE emoji IS NOT NULL) \
         SELECT message_id, emoji, count(*), max(mine) FROM everyone GROUP BY message_id, emoji",
    )?;
    let rows = stmt.query_map(params![ids, me], |r| {
        Ok((
            r.get::<_, MessageId>(0)?,
            ReactionCount { emoji: r.get(1)?, count: r.get(2)?, mine: r.get::<_, i64>(3)? != 0 },
        ))
    })?;
    let mut found: std::collections::HashMap<MessageId, Vec<ReactionCount>> = std::collections::HashMap::new();
    for row in rows {
        let (id, count) = row?;
        found.entry(id).or_default().push(count);
    }
    let rank = |e: &str| domkom_domain::chat::REACTIONS.iter().position(|r| *r == e).unwrap_or(usize::MAX);
    for m in messages.iter_mut() {
        if let Some(mut list) = m.id.and_then(|id| found.remove(&id)) {
            list.sort_by_key(|r| rank(&r.emoji));
            m.reactions = list;
        }
    }
    Ok(())
}

impl Cache {
    /// The chat list with unread counts, in the order of the newest message; `now` (the
    /// server's clock) says whether a mute still runs.
    pub fn chat_list(&self, now: chrono::DateTime<chrono::Utc>) -> Result<Vec<ChatSummary>> {
        self.read(|c| {
            let me = me(c)?;
            let mut stmt = c.prepare_cached(
                "SELECT cm.id, cm.kind, cm.title, cm.house_id, h.address, m.role, \
                   (SELECT count(*) FROM (SELECT 1 FROM messages x WHERE x.community_id = cm.id \
                      AND x.id > coalesce((SELECT last_read_id FROM read_state r WHERE r.community_id = cm.id), 0) \
                      AND x.author_id != ?1 AND x.deleted_at IS NULL LIMIT ?2)), \
                   last.created_at, substr(last.body, 1, 120), \
                   coalesce((SELECT muted FROM chat_settings s WHERE s.community_id = cm.id), 0), \
                   json_extract(cm.payload, '$.admin_status'), json_extract(m.payload, '$.muted_until'), \
                   coalesce(json_extract(cm.payload, '$.slow_mode_s'), 0), \
                   coalesce(json_extract(cm.payload, '$.official'), 1), json_extract(cm.payload, '$.opened_by'), \
                   json_extract(h.payload, '$.management_type'), json_extract(cm.payload, '$.admin_org_id'), \
                   (SELECT count(*) FROM ownerships o WHERE o.house_id = cm.house_id \
                      AND json_extract(o.payload, '$.until') IS NULL) \
                 FROM memberships m JOIN communities cm ON cm.id = m.community_id \
                 LEFT JOIN houses h ON h.id = cm.house_id \
                 LEFT JOIN messages last ON last.id = (SELECT max(id) FROM messages y WHERE y.community_id = cm.id) \
                 ORDER BY last.id DESC NULLS LAST, cm.id",
            )?;
            let rows = stmt.query_map(params![me, domkom_domain::message::UNREAD_COUNT_CAP], |r| {
                let role = role(&r.get::<_, String>(5)?);
                let kind: CommunityKind = r.get(1)?;
                let admin = AdminStatus::parse(&r.get::<_, Option<String>>(10)?.unwrap_or_default())
                    .unwrap_or(AdminStatus::Pending);
                let management = r.get::<_, Option<String>>(15)?.as_deref().and_then(ManagementType::parse);
                let muted_until: Option<String> = r.get(11)?;
                let muted_now = muted_until
                    .as_deref()
                    .and_then(|u| chrono::DateTime::parse_from_rfc3339(u).ok())
                    .is_some_and(|u| u > now);
                Ok(ChatSummary {
                    muted_now,
                    can_post: !muted_now && chat::may_post(kind, Some(role)).is_ok(),
                    can_vote: kind == CommunityKind::HouseChat
                        && poll::may_vote(r.get::<_, i64>(17)?.max(0) as usize).is_ok(),
                    // Pending rights; or a small house's chat its owner opened, which the
                    // house's organisation may take over by the Inspection's grant.
                    can_apply: kind == CommunityKind::HouseChat
                        && management.is_some_and(|m| governance::may_apply(role, m))
                        && (admin == AdminStatus::Pending
                            || (r.get::<_, i64>(13)? == 0
                                && role == Role::Dispatcher
                                && r.get::<_, Option<i64>>(16)?.is_none())),
                    community_id: r.get(0)?,
                    kind,
                    title: r.get(2)?,
                    house_id: r.get(3)?,
                    address: r.get(4)?,
                    role,
                    admin_status: admin,
                    can_moderate: moderation::may_moderate(Some(role), admin).is_ok(),
                    muted_until,
                    slow_mode_s: r.get(12)?,
                    official: r.get::<_, i64>(13)? != 0,
                    opened_by: r.get(14)?,
                    unread: r.get(6)?,
                    last_at: r.get(7)?,
                    last_text: r.get(8)?,
                    muted: r.get::<_, i64>(9)? == 1,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// A page of a chat, newest first; the first page starts with the outbox's local echoes.
    pub fn messages(
        &self,
        community: CommunityId,
        before: Option<MessageId>,
        limit: usize,
    ) -> Result<Vec<ChatMessage>> {
        self.read(|c| {
            let mut out = Vec::new();
            if before.is_none() {
                let mut stmt = c.prepare_cached(
                    "SELECT client_key, json_extract(payload, '$.body'), json_extract(payload, '$.reply_to'), \
                     created_at, state, error_message, nullif(json_extract(payload, '$.houses'), '[]') \
                     FROM outbox.requests \
                     WHERE kind = 'send_message' AND json_extract(payload, '$.community_id') = ?1 ORDER BY id DESC",
                )?;
                let name = cached_person(c)?.map(|p| p.name).unwrap_or_default();
                let rows = stmt.query_map([community], |r| {
                    Ok(ChatMessage {
                        id: None,
                        client_key: r.get(0)?,
                        community_id: community,
                        author_id: None,
                        author_name: name.clone(),
                        author_flat: None,
                        author_role: Role::Resident,
                        body: r.get(1)?,
                        reply_to: r.get(2)?,
                        created_at: r.get(3)?,
                        edited_at: None,
                        deleted_at: None,
                        notice_id: None,
                        ticket_id: None,
                        pinned_at: None,
                        deleted_reason: None,
                        for_houses: house_addresses(c, r.get(6)?)?,
                        reactions: Vec::new(),
                        state: match OutboxState::parse(&r.get::<_, String>(4)?) {
                            OutboxState::Pending => MessageState::Pending,
                            OutboxState::Failed => MessageState::Failed,
                        },
                        error: r.get(5)?,
                    })
                })?;
                for row in rows {
                    out.push(row?);
                }
            }
            let mut stmt = c.prepare_cached(
                "SELECT id, client_key, author_id, author_name, author_flat, author_role, body, reply_to, created_at, \
                 edited_at, deleted_at, notice_id, ticket_id, pinned_at, deleted_reason, houses FROM messages \
                 WHERE community_id = ?1 AND id < ?2 \
                 ORDER BY id DESC LIMIT ?3",
            )?;
            let rows =
                stmt.query_map(params![community, before.unwrap_or(MessageId(i64::MAX)), limit as i64], |r| {
                    Ok(ChatMessage {
                        id: Some(r.get(0)?),
                        client_key: r.get(1)?,
                        community_id: community,
                        author_id: Some(r.get(2)?),
                        author_name: r.get(3)?,
                        author_flat: r.get(4)?,
                        author_role: role(&r.get::<_, String>(5)?),
                        body: r.get(6)?,
                        reply_to: r.get(7)?,
                        created_at: r.get(8)?,
                        edited_at: r.get(9)?,
                        deleted_at: r.get(10)?,
                        notice_id: r.get(11)?,
                        ticket_id: r.get(12)?,
                        pinned_at: r.get(13)?,
                        deleted_reason: r.get(14)?,
                        for_houses: house_addresses(c, r.get(15)?)?,
                        reactions: Vec::new(),
                        state: MessageState::Sent,
                        error: None,
                    })
                })?;
            for row in rows {
                out.push(row?);
            }
            reactions_of(c, me(c)?, &mut out)?;
            Ok(out)
        })
    }

    /// A cached community as the server sent it.
    pub fn community(&self, id: CommunityId) -> Result<Option<domkom_domain::wire::Community>> {
        self.read(|c| {
            let payload: Option<String> =
                c.query_row("SELECT payload FROM communities WHERE id = ?1", [id], |r| r.get(0)).optional()?;
            payload
                .map(|p| {
                    serde_json::from_str(&p).map_err(|e| crate::error::CoreError::cache(format!("a community: {e}")))
                })
                .transpose()
        })
    }

    /// The houses of a channel the person may address a post to: those of its houses that
    /// are cached (staff cache the houses they manage, the Inspection every house), by address.
    pub fn channel_houses(&self, community: CommunityId) -> Result<Vec<ChannelHouse>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT h.id, h.address FROM communities cm, json_each(json_extract(cm.payload, '$.house_ids')) j \
                 JOIN houses h ON h.id = j.value WHERE cm.id = ?1 AND cm.kind = 'microdistrict' ORDER BY h.address",
            )?;
            let rows = stmt.query_map([community], |r| Ok(ChannelHouse { house_id: r.get(0)?, address: r.get(1)? }))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// A cached community by its id, or the chat of a cached house by the house's id.
    pub fn cached_community(&self, id: i64) -> Result<Option<CommunityId>> {
        self.read(|c| {
            Ok(c.query_row(
                "SELECT id FROM communities WHERE id = ?1 \
                 UNION ALL SELECT id FROM communities WHERE house_id = ?1 AND kind = 'house_chat' LIMIT 1",
                [id],
                |r| r.get(0),
            )
            .optional()?)
        })
    }

    /// The community of a cached message.
    pub fn message_community(&self, id: MessageId) -> Result<Option<CommunityId>> {
        self.read(|c| {
            Ok(c.query_row("SELECT community_id FROM messages WHERE id = ?1", [id], |r| r.get(0)).optional()?)
        })
    }

    /// Drops the person's reactions to a message still waiting or refused in the outbox: a
    /// newer one replaces them, so an older one sent later cannot win.
    pub fn drop_reactions(&self, message: MessageId) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "DELETE FROM outbox.requests WHERE kind = 'react' AND json_extract(payload, '$.message_id') = ?1",
                [message],
            )?;
            Ok(())
        })
    }

    /// Notes that a chat's whole history is cached: no gap remains to page into.
    pub fn history_complete(&self, community: CommunityId) -> Result<()> {
        self.write(|tx| {
            tx.execute("DELETE FROM history_gaps WHERE community_id = ?1", [community])?;
            Ok(())
        })
    }

    /// How many of a chat's messages the cache holds.
    pub fn message_count(&self, community: CommunityId) -> Result<usize> {
        self.read(|c| {
            let n: i64 =
                c.query_row("SELECT count(*) FROM messages WHERE community_id = ?1", [community], |r| r.get(0))?;
            Ok(usize::try_from(n).unwrap_or(0))
        })
    }

    /// The id below which a chat's cached history may be missing messages, if any.
    pub fn gap_below(&self, community: CommunityId) -> Result<Option<MessageId>> {
        self.read(|c| {
            Ok(c.query_row("SELECT below_id FROM history_gaps WHERE community_id = ?1", [community], |r| r.get(0))
                .optional()?)
        })
    }

    /// Marks a chat read up to a message.
    pub fn mark_read(&self, community: CommunityId, up_to: MessageId) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO read_state (community_id, last_read_id) VALUES (?1, ?2) \
                 ON CONFLICT (community_id) DO UPDATE SET last_read_id = max(last_read_id, excluded.last_read_id)",
                params![community, up_to],
            )?;
            Ok(())
        })
    }

    /// Turns a chat's notifications off or on.
    pub fn set_muted(&self, community: CommunityId, muted: bool) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO chat_settings (community_id, muted) VALUES (?1, ?2) \
                 ON CONFLICT (community_id) DO UPDATE SET muted = excluded.muted",
                params![community, i64::from(muted)],
            )?;
            Ok(())
        })
    }

    /// Marks every chat without a read marker as read to its newest message (after a first
    /// sync, so years of history do not count as unread).
    pub fn mark_all_read_if_new(&self) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT OR IGNORE INTO read_state (community_id, last_read_id) \
                 SELECT community_id, max(id) FROM messages GROUP BY community_id",
                [],
            )?;
            Ok(())
        })
    }
}
