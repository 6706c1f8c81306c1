//! Moderation on the client: the log and the complaints the feed brings ([`apply`]), the
//! reads (a chat's pins, its log, the moderators' queue), and the handle whose actions ask
//! the server and then sync, so the cache shows their outcome at once.

use reqwest::Method;
use rusqlite::{Transaction, params};
use serde::Serialize;

use domkom_domain::id::*;
use domkom_domain::moderation::{self, Resolution};
use domkom_domain::wire::{self, Change, ChangeKind, ChangeOp, ModEntry, Report};

use crate::cache::Cache;
use crate::client::Client;
use crate::error::{CoreError, Result};
use crate::events::Event;
use crate::feed::{Applied, decode};
use crate::sync::blocking;

/// A message pinned above its chat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Pin {
    /// The message.
    pub message_id: MessageId,
    /// Its author.
    pub author_name: String,
    /// Its text.
    pub body: String,
    /// When it was pinned.
    pub pinned_at: String,
}

/// Stores a log entry or a complaint from the feed.
pub(crate) fn apply(tx: &Transaction<'_>, c: &Change, out: &mut Applied) -> Result<()> {
    match (c.kind, c.op) {
        (ChangeKind::ModEntry, ChangeOp::Upsert) => {
            let e: ModEntry = decode(c)?;
            // A moderator gets an entry twice (the members' copy and theirs with the deleted
            // words): whichever comes last, the words stay.
            tx.prepare_cached(
                "INSERT INTO mod_log (id, community_id, payload) VALUES (?1, ?2, ?3) ON CONFLICT (id) DO UPDATE SET \
                 payload = iif(json_extract(excluded.payload, '$.removed_text') IS NULL \
                   AND json_extract(mod_log.payload, '$.removed_text') IS NOT NULL, \
                   json_set(excluded.payload, '$.removed_text', json_extract(mod_log.payload, '$.removed_text')), \
                   excluded.payload)",
            )?
            .execute(params![e.id, e.community_id, c.data.to_string()])?;
            out.changed(Event::ModLog { community_id: e.community_id });
        }
        (ChangeKind::Report, ChangeOp::Upsert) => {
            let r: Report = decode(c)?;
            tx.prepare_cached(
                "INSERT INTO reports (id, community_id, open, payload) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (id) DO UPDATE SET open = excluded.open, payload = excluded.payload",
            )?
            .execute(params![
                r.id,
                r.community_id,
                r.state == moderation::ReportState::Open,
                c.data.to_string()
            ])?;
            out.changed(Event::Reports { community_id: r.community_id });
        }
        (kind @ (ChangeKind::ModEntry | ChangeKind::Report), ChangeOp::Delete) => {
            let table = if kind == ChangeKind::ModEntry { "mod_log" } else { "reports" };
            let community: Option<CommunityId> = rusqlite::OptionalExtension::optional(tx.query_row(
                &format!("SELECT community_id FROM {table} WHERE id = ?1"),
                [c.id],
                |r| r.get(0),
            ))?;
            tx.execute(&format!("DELETE FROM {table} WHERE id = ?1"), [c.id])?;
            if let Some(community_id) = community {
                out.changed(if kind == ChangeKind::ModEntry {
                    Event::ModLog { community_id }
                } else {
                    Event::Reports { community_id }
                });
            }
        }
        (other, _) => return Err(crate::feed::misrouted(other)),
    }
    Ok(())
}

/// A chat joined after the first sync: its pins, its log and (for a moderator) its
/// complaints, which are older than the cursor.
pub(crate) async fn catch_up(
    api: &crate::api::Api,
    cache: &std::sync::Arc<Cache>,
    community: CommunityId,
) -> Result<()> {
    let pins: Vec<wire::Message> =
        api.call::<(), _>(Method::GET, &format!("v1/communities/{community}/pins"), None).await?;
    let log: Vec<ModEntry> =
        api.call::<(), _>(Method::GET, &format!("v1/communities/{community}/modlog?limit=1000"), None).await?;
    let reports: Vec<Report> =
        match api.call::<(), _>(Method::GET, &format!("v1/communities/{community}/reports"), None).await {
            Ok(r) => r,
            Err(CoreError::Refused { .. }) => Vec::new(),
            Err(e) => return Err(e),
        };
    let polls: Vec<wire::Poll> =
        api.call::<(), _>(Method::GET, &format!("v1/communities/{community}/polls"), None).await.unwrap_or_default();
    let as_change =
        |kind: ChangeKind, id: i64, data: serde_json::Value| Change { seq: 0, kind, op: ChangeOp::Upsert, id, data };
    let mut changes = Vec::with_capacity(pins.len() + log.len() + reports.len() + polls.len());
    for p in polls {
        changes.push(as_change(ChangeKind::Poll, p.id.get(), serde_json::to_value(&p).unwrap_or_default()));
    }
    for m in pins {
        changes.push(as_change(ChangeKind::Message, m.id.get(), serde_json::to_value(&m).unwrap_or_default()));
    }
    for e in log {
        changes.push(as_change(ChangeKind::ModEntry, e.id.get(), serde_json::to_value(&e).unwrap_or_default()));
    }
    for r in reports {
        changes.push(as_change(ChangeKind::Report, r.id.get(), serde_json::to_value(&r).unwrap_or_default()));
    }
    blocking(cache, move |c| c.apply_catch_up(&changes).map(drop)).await
}

/// Forgets what only a moderator may keep (deleted words, others' complaints) of a chat the
/// person no longer moderates (rights gone back to pending, stepped down).
pub(crate) fn forget_unless_moderating(tx: &Transaction<'_>, community: CommunityId) -> Result<()> {
    let person = crate::feed::cached_person(tx)?;
    if person.as_ref().and_then(|p| p.staff_role) == Some(domkom_domain::StaffRole::Inspector) {
        return Ok(());
    }
    let facts: Option<(Option<String>, Option<String>)> = rusqlite::OptionalExtension::optional(tx.query_row(
        "SELECT json_extract(c.payload, '$.admin_status'), m.role FROM communities c \
         LEFT JOIN memberships m ON m.community_id = c.id WHERE c.id = ?1",
        [community],
        |r| Ok((r.get(0)?, r.get(1)?)),
    ))?;
    let Some((admin, role)) = facts else { return Ok(()) };
    let admin = admin.as_deref().and_then(domkom_domain::chat::AdminStatus::parse);
    let role = role.as_deref().and_then(domkom_domain::Role::parse);
    if admin.is_some_and(|a| moderation::may_moderate(role, a).is_ok()) {
        return Ok(());
    }
    let me = person.map_or(0, |p| p.id.get());
    tx.execute(
        "UPDATE mod_log SET payload = json_set(payload, '$.removed_text', NULL) \
         WHERE community_id = ?1 AND json_extract(payload, '$.removed_text') IS NOT NULL",
        [community],
    )?;
    tx.execute(
        "DELETE FROM reports WHERE community_id = ?1 AND json_extract(payload, '$.reporter_id') != ?2",
        params![community, me],
    )?;
    Ok(())
}

/// Reads payload rows as their wire type.
fn payloads<T: serde::de::DeserializeOwned>(
    c: &rusqlite::Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<T>> {
    let mut stmt = c.prepare_cached(sql)?;
    let rows = stmt.query_map(params, |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for row in rows {
        out.push(serde_json::from_str(&row?).map_err(|e| CoreError::cache(format!("a cached entry: {e}")))?);
    }
    Ok(out)
}

impl Cache {
    /// A chat's pinned messages, newest pin first.
    pub fn pins(&self, community: CommunityId) -> Result<Vec<Pin>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT id, author_name, body, pinned_at FROM messages \
                 WHERE community_id = ?1 AND pinned_at IS NOT NULL AND deleted_at IS NULL \
                 ORDER BY julianday(pinned_at) DESC",
            )?;
            let rows = stmt.query_map([community], |r| {
                Ok(Pin { message_id: r.get(0)?, author_name: r.get(1)?, body: r.get(2)?, pinned_at: r.get(3)? })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// A page of a chat's moderation log, newest first.
    pub fn mod_log(&self, community: CommunityId, before: Option<ModEntryId>, limit: usize) -> Result<Vec<ModEntry>> {
        self.read(|c| {
            payloads(
                c,
                "SELECT payload FROM mod_log WHERE community_id = ?1 AND id < ?2 ORDER BY id DESC LIMIT ?3",
                params![community, before.unwrap_or(ModEntryId(i64::MAX)), i64::try_from(limit).unwrap_or(i64::MAX)],
            )
        })
    }

    /// Appeals waiting for the Inspection's answer, oldest first, over every cached chat.
    pub fn open_appeals(&self) -> Result<Vec<ModEntry>> {
        self.read(|c| {
            payloads(
                c,
                "SELECT payload FROM mod_log WHERE json_extract(payload, '$.appeal') IS NOT NULL \
                 AND json_extract(payload, '$.appeal.answer') IS NULL ORDER BY json_extract(payload, '$.appeal.at'), id",
                [],
            )
        })
    }

    /// A chat's complaints the person sees (all, for a moderator; their own otherwise), open
    /// ones first, newest first.
    pub fn reports(&self, community: CommunityId) -> Result<Vec<Report>> {
        self.read(|c| {
            payloads(c, "SELECT payload FROM reports WHERE community_id = ?1 ORDER BY open DESC, id DESC", [community])
        })
    }
}

/// Moderation of the signed-in person's chats.
pub struct Moderation<'a> {
    client: &'a Client,
}

impl Client {
    /// Moderation: actions for moderators, complaints and appeals for members.
    pub fn moderation(&self) -> Moderation<'_> {
        Moderation { client: self }
    }
}

/// A reason checked by the domain's rule before anything is sent: what is sent, trimmed.
fn reason(text: Option<&str>, required: bool) -> Result<Option<String>> {
    moderation::check_reason(text.map(str::trim), required).map_err(|e| CoreError::refused(&e))
}

impl Moderation<'_> {
    /// Asks the server, then syncs so the outcome is in the cache.
    async fn act<B: Serialize, T: serde::de::DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<T> {
        let answer = self.client.api.call(method, path, body).await?;
        self.client.engine.sync(&|_, _| {}).await?;
        Ok(answer)
    }

    /// A chat's pinned messages, newest first (from the cache; works offline).
    pub async fn pins(&self, community: CommunityId) -> Result<Vec<Pin>> {
        blocking(&self.client.cache, move |c| c.pins(community)).await
    }

    /// Pins a message above its chat, or takes it down.
    pub async fn pin(&self, message: MessageId, pinned: bool) -> Result<wire::Message> {
        let method = if pinned { Method::PUT } else { Method::DELETE };
        self.act::<(), _>(method, &format!("v1/messages/{message}/pin"), None).await
    }

    /// Deletes someone's message with a reason members will read in its place.
    pub async fn remove(&self, message: MessageId, why: &str) -> Result<wire::Message> {
        let body = wire::RemoveMessage { reason: reason(Some(why), true)?.unwrap_or_default() };
        self.act(Method::POST, &format!("v1/messages/{message}/removal"), Some(&body)).await
    }

    /// Mutes a resident for `seconds`.
    pub async fn mute(
        &self,
        community: CommunityId,
        person: PersonId,
        seconds: u32,
        why: Option<&str>,
    ) -> Result<ModEntry> {
        moderation::check_mute(seconds).map_err(|e| CoreError::refused(&e))?;
        let body = wire::MuteMember { person_id: person, seconds, reason: reason(why, false)? };
        self.act(Method::POST, &format!("v1/communities/{community}/mutes"), Some(&body)).await
    }

    /// Lifts a mute.
    pub async fn unmute(&self, community: CommunityId, person: PersonId) -> Result<ModEntry> {
        self.act::<(), _>(Method::DELETE, &format!("v1/communities/{community}/mutes/{person}"), None).await
    }

    /// Bans a resident from a chat.
    pub async fn ban(&self, community: CommunityId, person: PersonId, why: &str) -> Result<ModEntry> {
        let body = wire::BanMember { person_id: person, reason: reason(Some(why), true)?.unwrap_or_default() };
        self.act(Method::POST, &format!("v1/communities/{community}/bans"), Some(&body)).await
    }

    /// Lifts a ban (the Inspection).
    pub async fn unban(&self, community: CommunityId, person: PersonId) -> Result<ModEntry> {
        self.act::<(), _>(Method::DELETE, &format!("v1/communities/{community}/bans/{person}"), None).await
    }

    /// Sets slow mode (0: off).
    pub async fn slow_mode(&self, community: CommunityId, seconds: u32) -> Result<wire::Community> {
        moderation::check_slow_mode(seconds).map_err(|e| CoreError::refused(&e))?;
        let body = wire::SetSlowMode { seconds };
        self.act(Method::PUT, &format!("v1/communities/{community}/slow-mode"), Some(&body)).await
    }

    /// Complains about a message.
    pub async fn report(&self, message: MessageId, why: &str) -> Result<Report> {
        let body = wire::ReportMessage {
            client_key: uuid::Uuid::now_v7().to_string(),
            reason: reason(Some(why), true)?.unwrap_or_default(),
        };
        self.act(Method::POST, &format!("v1/messages/{message}/reports"), Some(&body)).await
    }

    /// A chat's complaints (from the cache; works offline).
    pub async fn reports(&self, community: CommunityId) -> Result<Vec<Report>> {
        blocking(&self.client.cache, move |c| c.reports(community)).await
    }

    /// Resolves a complaint by deleting the message or dismissing it.
    pub async fn resolve(&self, report: ReportId, resolution: Resolution, why: Option<&str>) -> Result<Report> {
        let body = wire::ResolveReport { action: resolution, reason: reason(why, false)? };
        self.act(Method::POST, &format!("v1/reports/{report}/resolution"), Some(&body)).await
    }

    /// A page of a chat's log, newest first: from the cache for the person's chats (offline
    /// too), from the server for a chat they are not in (the Inspection's).
    pub async fn log(&self, community: CommunityId, before: Option<ModEntryId>, limit: usize) -> Result<Vec<ModEntry>> {
        let mine = self.client.chats().list().await?.iter().any(|c| c.community_id == community);
        if mine {
            return blocking(&self.client.cache, move |c| c.mod_log(community, before, limit)).await;
        }
        let mut path = format!("v1/communities/{community}/modlog?limit={}", limit.clamp(1, 1000));
        if let Some(b) = before {
            path.push_str(&format!("&before={b}"));
        }
        self.client.api.call::<(), _>(Method::GET, &path, None).await
    }

    /// Appeals waiting for the Inspection's answer (from the cache; the Inspection has every
    /// chat's log).
    pub async fn open_appeals(&self) -> Result<Vec<ModEntry>> {
        blocking(&self.client.cache, |c| c.open_appeals()).await
    }

    /// Appeals a log entry to the Inspection.
    pub async fn appeal(&self, entry: ModEntryId, text: &str) -> Result<ModEntry> {
        let body = wire::AppealText { text: reason(Some(text), true)?.unwrap_or_default() };
        self.act(Method::POST, &format!("v1/modlog/{entry}/appeal"), Some(&body)).await
    }

    /// Answers an appeal (the Inspection).
    pub async fn answer(&self, entry: ModEntryId, text: &str) -> Result<ModEntry> {
        let body = wire::AppealText { text: reason(Some(text), true)?.unwrap_or_default() };
        self.act(Method::POST, &format!("v1/modlog/{entry}/answer"), Some(&body)).await
    }
}
