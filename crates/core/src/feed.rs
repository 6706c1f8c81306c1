//! Applying a page of the change feed, with its cursor, in one transaction. Each change
//! goes to the feature that owns its kind; the match is exhaustive, so a kind added to the
//! wire does not compile until some feature stores it and says what it changed.

use std::collections::{BTreeSet, HashMap};

use rusqlite::{Connection, Transaction, params};

use domkom_domain::id::*;
use domkom_domain::wire::{self, Change, ChangeKind};

use crate::cache::Cache;
use crate::chat::NewMessage;
use crate::error::{CoreError, Result};
use crate::events::Event;

/// What one applied page changed, so the app re-reads only that.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    /// Changes applied.
    pub count: usize,
    /// Messages applied.
    pub messages: usize,
    /// What changed, once each, in the order first seen.
    pub events: Vec<Event>,
    /// Communities newly joined (their older history is fetched on demand).
    pub joined: BTreeSet<CommunityId>,
    /// Whether any outbox item was confirmed by this page.
    pub delivered: bool,
    /// Messages newer than anything cached in their chat before this page.
    pub new_messages: Vec<NewMessage>,
    /// Messages newly pinned (a known message whose pin arrived in this page).
    pub new_pins: Vec<crate::chat::NewPin>,
    /// Outage notices not cached before this page.
    pub new_outages: Vec<crate::notice::NewOutage>,
    /// Emergency tickets, new and not cached before this page.
    pub new_emergencies: Vec<wire::Ticket>,
    /// Each touched chat's newest message id before this page.
    pub(crate) newest_before: HashMap<CommunityId, MessageId>,
}

impl Applied {
    /// Records that something changed (once per page).
    pub fn changed(&mut self, event: Event) {
        if !self.events.contains(&event) {
            self.events.push(event);
        }
    }
}

/// Reads a change's entity as the wire type of its kind.
pub(crate) fn decode<T: serde::de::DeserializeOwned>(c: &Change) -> Result<T> {
    c.entity().map_err(|e| CoreError::network(format!("the server sent a {:?} the client cannot read: {e}", c.kind)))
}

/// Stores one change through the feature that owns its kind.
fn apply_one(tx: &Transaction<'_>, c: &Change, out: &mut Applied) -> Result<()> {
    match c.kind {
        ChangeKind::Message | ChangeKind::Community | ChangeKind::Membership | ChangeKind::Reaction => {
            crate::chat::apply(tx, c, out)?
        }
        ChangeKind::House | ChangeKind::Ownership => crate::house::apply(tx, c, out)?,
        ChangeKind::Ticket | ChangeKind::TicketComment => crate::ticket::apply(tx, c, out)?,
        ChangeKind::Notice | ChangeKind::RepairPlan => crate::notice::apply(tx, c, out)?,
        ChangeKind::Account | ChangeKind::Bill => crate::bill::apply(tx, c, out)?,
        ChangeKind::Device | ChangeKind::Reading => crate::meter::apply(tx, c, out)?,
        ChangeKind::ModEntry | ChangeKind::Report => crate::moderation::apply(tx, c, out)?,
        ChangeKind::AdminApplication => crate::governance::apply(tx, c, out)?,
        ChangeKind::Poll => crate::poll::apply(tx, c, out)?,
    }
    out.count += 1;
    Ok(())
}

/// The signed-in person kept in `sync_state`, if any.
pub(crate) fn cached_person(c: &Connection) -> Result<Option<wire::PersonInfo>> {
    let person: Option<String> = c.query_row("SELECT person FROM sync_state WHERE id = 1", [], |r| r.get(0))?;
    Ok(person.and_then(|p| serde_json::from_str(&p).ok()))
}

/// The signed-in person's id (0 before any sign-in).
pub(crate) fn me(c: &Connection) -> Result<PersonId> {
    Ok(c.query_row("SELECT coalesce(person_id, 0) FROM sync_state WHERE id = 1", [], |r| r.get(0))?)
}

impl Cache {
    /// Applies a page of changes and moves the cursor, all in one transaction, so a crash
    /// or a cut connection never leaves half a page and a retry never doubles anything.
    pub fn apply_page(&self, page: &wire::ChangesPage, expected_cursor: i64) -> Result<Applied> {
        self.write(|tx| {
            let current: i64 = tx.query_row("SELECT cursor FROM sync_state WHERE id = 1", [], |r| r.get(0))?;
            if current != expected_cursor {
                // Another sync applied this page meanwhile: applying it again is harmless but
                // moving the cursor back is not.
                return Ok(Applied::default());
            }
            let mut out = Applied::default();
            for change in &page.changes {
                apply_one(tx, change, &mut out)?;
            }
            tx.execute(
                "UPDATE sync_state SET cursor = ?1, synced_at = ?2 WHERE id = 1",
                params![page.cursor, chrono::Utc::now().to_rfc3339()],
            )?;
            Ok(out)
        })
    }

    /// Applies changes of one audience caught up separately (a newly joined community),
    /// without moving the global cursor.
    pub fn apply_catch_up(&self, changes: &[Change]) -> Result<Applied> {
        self.write(|tx| {
            let mut out = Applied::default();
            for change in changes {
                apply_one(tx, change, &mut out)?;
            }
            Ok(out)
        })
    }

    /// The global cursor.
    pub fn cursor(&self) -> Result<i64> {
        self.read(|c| Ok(c.query_row("SELECT cursor FROM sync_state WHERE id = 1", [], |r| r.get(0))?))
    }

    /// The server's clock offset as of the last sync (server minus machine, ms).
    pub fn server_offset_ms(&self) -> Result<Option<i64>> {
        self.read(|c| Ok(c.query_row("SELECT server_offset_ms FROM sync_state WHERE id = 1", [], |r| r.get(0))?))
    }

    /// Keeps the server's clock offset for the offline checks.
    pub fn set_server_offset_ms(&self, ms: Option<i64>) -> Result<()> {
        self.write(|tx| {
            tx.execute("UPDATE sync_state SET server_offset_ms = ?1 WHERE id = 1", [ms])?;
            Ok(())
        })
    }

    /// Remembers who this cache belongs to.
    pub fn set_person(&self, person: &wire::PersonInfo) -> Result<()> {
        let json = serde_json::to_string(person).map_err(|e| CoreError::cache(e.to_string()))?;
        self.write(|tx| {
            tx.execute("UPDATE sync_state SET person_id = ?1, person = ?2 WHERE id = 1", params![person.id, json])?;
            Ok(())
        })
    }

    /// The signed-in person as the last sign-in or sync told (works offline).
    pub fn person(&self) -> Result<Option<wire::PersonInfo>> {
        self.read(cached_person)
    }
}

/// Upserts a row of `table` keyed by `id` with extra key columns and the server's JSON:
/// the shape every kind without columns of its own is cached in.
pub(crate) fn upsert_row(
    tx: &Transaction<'_>,
    table: &str,
    keys: &[(&str, &dyn rusqlite::ToSql)],
    change: &Change,
) -> Result<()> {
    let names: Vec<&str> = keys.iter().map(|(n, _)| *n).collect();
    let marks: Vec<String> = (0..keys.len() + 2).map(|i| format!("?{}", i + 1)).collect();
    let updates: Vec<String> = names.iter().chain(["payload"].iter()).map(|n| format!("{n} = excluded.{n}")).collect();
    let conflict = if table == "notices" { "id, house_id" } else { "id" };
    let sql = format!(
        "INSERT INTO {table} (id, {}, payload) VALUES ({}) ON CONFLICT ({conflict}) DO UPDATE SET {}",
        names.join(", "),
        marks.join(", "),
        updates.join(", ")
    );
    let payload = change.data.to_string();
    let mut values: Vec<&dyn rusqlite::ToSql> = vec![&change.id];
    values.extend(keys.iter().map(|(_, v)| *v));
    values.push(&payload);
    tx.prepare_cached(&sql)?.execute(values.as_slice())?;
    Ok(())
}

/// Deletes the rows of `table` with this id; the value of `column` in the deleted rows
/// (e.g. their house), so the right event can be sent.
pub(crate) fn delete_row<T: rusqlite::types::FromSql>(
    tx: &Transaction<'_>,
    table: &str,
    column: &str,
    id: i64,
) -> Result<Vec<T>> {
    let owners: Vec<T> = tx
        .prepare_cached(&format!("SELECT DISTINCT {column} FROM {table} WHERE id = ?1"))?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    tx.prepare_cached(&format!("DELETE FROM {table} WHERE id = ?1"))?.execute([id])?;
    Ok(owners)
}

/// A change handed to a feature that does not own its kind: a bug in [`apply_one`].
pub(crate) fn misrouted(kind: ChangeKind) -> CoreError {
    CoreError::cache(format!("a {kind:?} change reached the wrong feature"))
}
