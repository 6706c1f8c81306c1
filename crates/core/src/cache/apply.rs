//! Applying a page of the change feed, with its cursor, in one transaction.

use std::collections::BTreeSet;

use rusqlite::{Transaction, params};

use domkom_domain::wire::{self, Change, ChangeKind, ChangeOp};

use super::Cache;
use crate::error::{CoreError, Result};

/// A message that arrived and was not in the cache before (for notifications).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NewMessage {
    /// Community.
    pub community_id: i64,
    /// Message id.
    pub id: i64,
    /// Author's person id.
    pub author_id: i64,
    /// Author's name.
    pub author_name: String,
    /// The text.
    pub body: String,
}

/// What one applied page changed, so the app re-reads only that.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    /// Changes applied.
    pub count: usize,
    /// Messages applied.
    pub messages: usize,
    /// Communities whose messages changed.
    pub chats: BTreeSet<i64>,
    /// Whether the list of houses or communities (or memberships) changed.
    pub houses: bool,
    /// Communities newly joined (their older history is fetched on demand).
    pub joined: BTreeSet<i64>,
    /// Client keys of messages that arrived, so their outbox items can go.
    pub delivered_keys: Vec<String>,
    /// Messages newer than anything cached in their chat before this page.
    pub new_messages: Vec<NewMessage>,
    /// Each touched chat's newest message id before this page.
    newest_before: std::collections::HashMap<i64, i64>,
}

fn decode<T: serde::de::DeserializeOwned>(c: &Change) -> Result<T> {
    c.entity().map_err(|e| CoreError::Network(format!("the server sent a {:?} the client cannot read: {e}", c.kind)))
}

/// Stores one message row (used by the feed, history pages and send answers).
pub(crate) fn upsert_message(tx: &Transaction<'_>, m: &wire::Message) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO messages (id, community_id, author_id, author_name, author_flat, author_role, client_key, body, \
         reply_to, created_at, edited_at, deleted_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) \
         ON CONFLICT (id) DO UPDATE SET author_name = excluded.author_name, author_flat = excluded.author_flat, \
         author_role = excluded.author_role, body = excluded.body, edited_at = excluded.edited_at, \
         deleted_at = excluded.deleted_at",
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
        m.deleted_at
    ])?;
    // A confirmed message replaces its local echo.
    tx.prepare_cached("DELETE FROM outbox WHERE client_key = ?1")?.execute([&m.client_key])?;
    Ok(())
}

/// Removes everything of a community from the cache.
fn purge_community(tx: &Transaction<'_>, community: i64) -> Result<()> {
    for sql in [
        "DELETE FROM messages WHERE community_id = ?1",
        "DELETE FROM history_gaps WHERE community_id = ?1",
        "DELETE FROM read_state WHERE community_id = ?1",
        "DELETE FROM communities WHERE id = ?1",
        "DELETE FROM memberships WHERE community_id = ?1",
    ] {
        tx.execute(sql, [community])?;
    }
    Ok(())
}

/// Removes a house and everything of it, once no ownership keeps it in view. Staff see
/// houses through their organisation; the server tells them with a house delete.
fn purge_house_if_unowned(tx: &Transaction<'_>, house: i64) -> Result<()> {
    let still: i64 = tx.query_row("SELECT count(*) FROM ownerships WHERE house_id = ?1", [house], |r| r.get(0))?;
    if still > 0 {
        return Ok(());
    }
    let staff: i64 = tx.query_row(
        "SELECT count(*) FROM sync_state WHERE json_extract(person, '$.staff_role') IS NOT NULL",
        [],
        |r| r.get(0),
    )?;
    if staff > 0 {
        return Ok(());
    }
    for sql in [
        "DELETE FROM readings WHERE device_id IN (SELECT id FROM devices WHERE house_id = ?1)",
        "DELETE FROM devices WHERE house_id = ?1",
        "DELETE FROM bills WHERE account_id IN (SELECT id FROM accounts WHERE house_id = ?1)",
        "DELETE FROM accounts WHERE house_id = ?1",
        "DELETE FROM tickets WHERE house_id = ?1",
        "DELETE FROM notices WHERE house_id = ?1",
        "DELETE FROM repair_plans WHERE house_id = ?1",
        "DELETE FROM houses WHERE id = ?1",
    ] {
        tx.execute(sql, [house])?;
    }
    let chats: Vec<i64> = tx
        .prepare("SELECT id FROM communities WHERE house_id = ?1")?
        .query_map([house], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for c in chats {
        purge_community(tx, c)?;
    }
    Ok(())
}

fn apply_one(tx: &Transaction<'_>, c: &Change, out: &mut Applied) -> Result<()> {
    let payload = c.data.to_string();
    match (c.kind, c.op) {
        (ChangeKind::Message, ChangeOp::Upsert) => {
            let m: wire::Message = decode(c)?;
            let newest = match out.newest_before.get(&m.community_id) {
                Some(&n) => n,
                None => {
                    let n: i64 = tx.query_row(
                        "SELECT coalesce(max(id), 0) FROM messages WHERE community_id = ?1",
                        [m.community_id],
                        |r| r.get(0),
                    )?;
                    out.newest_before.insert(m.community_id, n);
                    n
                }
            };
            if m.id > newest && m.deleted_at.is_none() {
                out.new_messages.push(NewMessage {
                    community_id: m.community_id,
                    id: m.id,
                    author_id: m.author.id,
                    author_name: m.author.name.clone(),
                    body: m.body.clone(),
                });
            }
            upsert_message(tx, &m)?;
            out.messages += 1;
            out.chats.insert(m.community_id);
            out.delivered_keys.push(m.client_key);
        }
        (ChangeKind::Message, ChangeOp::Delete) => {
            tx.execute("DELETE FROM messages WHERE id = ?1", [c.id])?;
        }
        (ChangeKind::House, ChangeOp::Upsert) => {
            let h: wire::House = decode(c)?;
            tx.prepare_cached(
                "INSERT INTO houses (id, address, payload) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (id) DO UPDATE SET address = excluded.address, payload = excluded.payload",
            )?
            .execute(params![h.id, h.address, payload])?;
            out.houses = true;
        }
        (ChangeKind::House, ChangeOp::Delete) => {
            tx.execute("DELETE FROM ownerships WHERE house_id = ?1", [c.id])?;
            purge_house_if_unowned(tx, c.id)?;
            out.houses = true;
        }
        (ChangeKind::Community, ChangeOp::Upsert) => {
            let cm: wire::Community = decode(c)?;
            tx.prepare_cached(
                "INSERT INTO communities (id, house_id, kind, title, payload) VALUES (?1, ?2, ?3, ?4, ?5) \
                 ON CONFLICT (id) DO UPDATE SET house_id = excluded.house_id, kind = excluded.kind, \
                 title = excluded.title, payload = excluded.payload",
            )?
            .execute(params![cm.id, cm.house_id, cm.kind, cm.title, payload])?;
            out.houses = true;
        }
        (ChangeKind::Community, ChangeOp::Delete) => {
            purge_community(tx, c.id)?;
            out.houses = true;
        }
        (ChangeKind::Membership, ChangeOp::Upsert) => {
            let m: wire::Membership = decode(c)?;
            let known: i64 = tx.query_row("SELECT count(*) FROM memberships WHERE id = ?1", [m.id], |r| r.get(0))?;
            tx.prepare_cached(
                "INSERT INTO memberships (id, community_id, role, payload) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (id) DO UPDATE SET role = excluded.role, payload = excluded.payload",
            )?
            .execute(params![m.id, m.community_id, m.role.as_str(), payload])?;
            if known == 0 {
                out.joined.insert(m.community_id);
            }
            out.houses = true;
        }
        (ChangeKind::Membership, ChangeOp::Delete) => {
            // The membership ended: nothing of that community may stay on this machine.
            let community: Option<i64> =
                tx.query_row("SELECT community_id FROM memberships WHERE id = ?1", [c.id], |r| r.get(0)).ok();
            if let Some(community) = community {
                purge_community(tx, community)?;
                out.chats.insert(community);
            }
            tx.execute("DELETE FROM memberships WHERE id = ?1", [c.id])?;
            out.houses = true;
        }
        (ChangeKind::Ownership, ChangeOp::Upsert) => {
            let o: wire::Ownership = decode(c)?;
            tx.prepare_cached(
                "INSERT INTO ownerships (id, house_id, premises_id, payload) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (id) DO UPDATE SET payload = excluded.payload",
            )?
            .execute(params![o.id, o.house_id, o.premises_id, payload])?;
            out.houses = true;
        }
        (ChangeKind::Ownership, ChangeOp::Delete) => {
            let row: Option<(i64, i64)> = tx
                .query_row("SELECT house_id, premises_id FROM ownerships WHERE id = ?1", [c.id], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .ok();
            tx.execute("DELETE FROM ownerships WHERE id = ?1", [c.id])?;
            if let Some((house, premises)) = row {
                tx.execute(
                    "DELETE FROM readings WHERE device_id IN (SELECT id FROM devices WHERE premises_id = ?1)",
                    [premises],
                )?;
                tx.execute("DELETE FROM devices WHERE premises_id = ?1", [premises])?;
                tx.execute(
                    "DELETE FROM bills WHERE account_id IN (SELECT id FROM accounts WHERE premises_id = ?1)",
                    [premises],
                )?;
                tx.execute("DELETE FROM accounts WHERE premises_id = ?1", [premises])?;
                purge_house_if_unowned(tx, house)?;
            }
            out.houses = true;
        }
        (ChangeKind::Ticket, ChangeOp::Upsert) => {
            let t: wire::Ticket = decode(c)?;
            tx.prepare_cached(
                "INSERT INTO tickets (id, house_id, status, payload) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (id) DO UPDATE SET status = excluded.status, payload = excluded.payload",
            )?
            .execute(params![t.id, t.house_id, t.status, payload])?;
        }
        (ChangeKind::Notice, ChangeOp::Upsert) => {
            // A notice covering many houses comes once per house of the person's.
            let n: wire::Notice = decode(c)?;
            tx.prepare_cached(
                "INSERT INTO notices (id, house_id, payload) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (id, house_id) DO UPDATE SET payload = excluded.payload",
            )?
            .execute(params![n.id, n.house_id, payload])?;
        }
        (ChangeKind::RepairPlan, ChangeOp::Upsert) => {
            let r: wire::RepairPlan = decode(c)?;
            tx.prepare_cached(
                "INSERT INTO repair_plans (id, house_id, payload) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (id) DO UPDATE SET payload = excluded.payload",
            )?
            .execute(params![r.id, r.house_id, payload])?;
        }
        (ChangeKind::Account, ChangeOp::Upsert) => {
            let a: wire::Account = decode(c)?;
            tx.prepare_cached(
                "INSERT INTO accounts (id, premises_id, house_id, payload) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (id) DO UPDATE SET payload = excluded.payload",
            )?
            .execute(params![a.id, a.premises_id, a.house_id, payload])?;
        }
        (ChangeKind::Device, ChangeOp::Upsert) => {
            let d: wire::Device = decode(c)?;
            tx.prepare_cached(
                "INSERT INTO devices (id, house_id, premises_id, payload) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (id) DO UPDATE SET payload = excluded.payload",
            )?
            .execute(params![d.id, d.house_id, d.premises_id, payload])?;
        }
        (ChangeKind::Reading, ChangeOp::Upsert) => {
            let r: wire::Reading = decode(c)?;
            tx.prepare_cached(
                "INSERT INTO readings (id, device_id, period, payload) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (id) DO UPDATE SET period = excluded.period, payload = excluded.payload",
            )?
            .execute(params![r.id, r.device_id, r.period, payload])?;
        }
        (ChangeKind::Bill, ChangeOp::Upsert) => {
            let b: wire::Bill = decode(c)?;
            tx.prepare_cached(
                "INSERT INTO bills (id, account_id, period, payload) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (id) DO UPDATE SET payload = excluded.payload",
            )?
            .execute(params![b.id, b.account_id, b.period, payload])?;
        }
        (kind, ChangeOp::Delete) => {
            let table = match kind {
                ChangeKind::Ticket => "tickets",
                ChangeKind::Notice => "notices",
                ChangeKind::RepairPlan => "repair_plans",
                ChangeKind::Account => "accounts",
                ChangeKind::Device => "devices",
                ChangeKind::Reading => "readings",
                _ => "bills",
            };
            tx.execute(&format!("DELETE FROM {table} WHERE id = ?1"), [c.id])?;
        }
    }
    out.count += 1;
    Ok(())
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

    /// Stores a page of history fetched on demand, and moves the chat's gap below it.
    pub fn apply_history(&self, community: i64, page: &wire::MessagesPage) -> Result<()> {
        self.write(|tx| {
            for m in &page.messages {
                upsert_message(tx, m)?;
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

    /// The global cursor.
    pub fn cursor(&self) -> Result<i64> {
        self.read(|c| Ok(c.query_row("SELECT cursor FROM sync_state WHERE id = 1", [], |r| r.get(0))?))
    }

    /// Remembers who this cache belongs to.
    pub fn set_person(&self, person: &wire::PersonInfo) -> Result<()> {
        let json = serde_json::to_string(person).map_err(|e| CoreError::Cache(e.to_string()))?;
        self.write(|tx| {
            tx.execute("UPDATE sync_state SET person_id = ?1, person = ?2 WHERE id = 1", params![person.id, json])?;
            Ok(())
        })
    }
}
