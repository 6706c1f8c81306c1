//! Bulk data for tests and benchmarks: many messages or bills written at once, with the
//! change-log entries clients sync them by, far faster than sending them through the API.

use domkom_domain::id::{AccountId, CommunityId, PersonId};

use crate::store::SqliteStore;

/// The oldest chat membership of a demo person (`resident`, `chair`, …): (community, person).
pub fn demo_member(store: &SqliteStore, demo_key: &str) -> anyhow::Result<(CommunityId, PersonId)> {
    Ok(store.with_writer(|c| {
        c.query_row(
            "SELECT m.community_id, m.person_id FROM memberships m JOIN persons p ON p.id = m.person_id \
             WHERE p.demo_key = ?1 AND m.left_at IS NULL ORDER BY m.community_id LIMIT 1",
            [demo_key],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    })?)
}

/// Adds `n` messages by `author` to `community`, the i-th (from 0) with the body `body(i)`,
/// all created at `created_at` (RFC 3339), in one transaction with their change-log entries.
pub fn add_messages(
    store: &SqliteStore,
    community: CommunityId,
    author: PersonId,
    n: u64,
    created_at: &str,
    mut body: impl FnMut(u64) -> String,
) -> anyhow::Result<()> {
    store.with_writer(|c| -> rusqlite::Result<()> {
        let tx = c.transaction()?;
        let first: i64 = tx.query_row("SELECT coalesce(max(id), 0) FROM messages", [], |r| r.get(0))?;
        {
            let mut insert = tx.prepare(
                "INSERT INTO messages (community_id, author_id, client_key, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for i in 0..n {
                let key = format!("bulk-{first}-{i}");
                insert.execute(rusqlite::params![community, author, key, body(i), created_at])?;
            }
        }
        tx.execute(
            "INSERT INTO changes (kind, entity_id, scope, scope_id, op, payload) \
             SELECT 'message', id, scope, scope_id, 'upsert', payload FROM feed_message WHERE id > ?1 ORDER BY id",
            [first],
        )?;
        tx.commit()
    })?;
    Ok(())
}

/// Gives a demo person's first account `months` more bills before its oldest, each a copy of
/// one of its seeded bills (lines, recalculations, instalments) under an earlier period, with
/// their change-log entries: years of history for the benchmarks. Returns the account.
pub fn add_older_bills(store: &SqliteStore, demo_key: &str, months: u32) -> anyhow::Result<AccountId> {
    Ok(store.with_writer(|c| -> rusqlite::Result<AccountId> {
        let tx = c.transaction()?;
        let account: AccountId = tx.query_row(
            "SELECT a.id FROM accounts a JOIN ownerships o ON o.premises_id = a.premises_id \
             JOIN persons p ON p.id = o.person_id WHERE p.demo_key = ?1 ORDER BY a.id LIMIT 1",
            [demo_key],
            |r| r.get(0),
        )?;
        let first: i64 = tx.query_row("SELECT coalesce(max(id), 0) FROM bills", [], |r| r.get(0))?;
        let models: Vec<(i64, String)> = {
            let mut st = tx.prepare("SELECT id, period FROM bills WHERE account_id = ?1 ORDER BY period")?;
            st.query_map([account], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?
        };
        let Some((_, oldest)) = models.first().cloned() else { return Ok(account) };
        let (mut y, mut m): (i32, u32) = (oldest[..4].parse().unwrap_or(2024), oldest[5..].parse().unwrap_or(1));
        for k in 0..months as usize {
            (y, m) = if m == 1 { (y - 1, 12) } else { (y, m - 1) };
            let (model, _) = &models[k % models.len()];
            let id = first + 1 + k as i64;
            tx.execute(
                "INSERT INTO bills (id, account_id, org_id, period, payer, readings_json, reference_json, debt, paid, \
                 penalties, total, issued_on) SELECT ?1, account_id, org_id, ?2, payer, readings_json, reference_json, \
                 debt, paid, penalties, total, ?3 FROM bills WHERE id = ?4",
                rusqlite::params![id, format!("{y:04}-{m:02}"), format!("{y:04}-{m:02}-28"), model],
            )?;
            for table in [
                "bill_lines (bill_id, service, unit, volume, volume_method, common_volume, common_method, rate, \
                 accrued, recalculation, discount, factor, payable, unread_periods) SELECT ?1, service, unit, volume, \
                 volume_method, common_volume, common_method, rate, accrued, recalculation, discount, factor, payable, \
                 unread_periods FROM bill_lines",
                "bill_recalculations (bill_id, service, reason, amount) SELECT ?1, service, reason, amount \
                 FROM bill_recalculations",
                "bill_instalments (bill_id, service, amount, interest, remaining) SELECT ?1, service, amount, \
                 interest, remaining FROM bill_instalments",
            ] {
                tx.execute(&format!("INSERT INTO {table} WHERE bill_id = ?2 ORDER BY id"), [id, *model])?;
            }
        }
        tx.execute(
            "INSERT INTO changes (kind, entity_id, scope, scope_id, op, payload) \
             SELECT 'bill', id, scope, scope_id, 'upsert', payload FROM feed_bill WHERE id > ?1 ORDER BY id",
            [first],
        )?;
        tx.commit()?;
        Ok(account)
    })?)
}

/// Adds `n` tickets to the houses a demo dispatcher's organisation manages, copies of the
/// seeded ones with their statuses, categories and deadlines spread over ±6 weeks of the
/// seed's "now", each with its registration in its history and its change-log entries: a
/// big organisation's queue for the benchmarks. Returns the first new id.
pub fn add_tickets(store: &SqliteStore, dispatcher: &str, n: u32) -> anyhow::Result<i64> {
    Ok(store.with_writer(|c| -> rusqlite::Result<i64> {
        let tx = c.transaction()?;
        let first: i64 = tx.query_row("SELECT coalesce(max(id), 0) + 1 FROM tickets", [], |r| r.get(0))?;
        tx.execute(
            "WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i + 1 < ?2),
                  models AS (SELECT row_number() OVER (ORDER BY t.id) - 1 AS m, t.* FROM tickets t
                             WHERE t.house_id IN (SELECT mp.house_id FROM management_periods mp
                                                  JOIN persons p ON p.org_id = mp.org_id
                                                  WHERE p.demo_key = ?1 AND mp.to_date IS NULL)),
                  size AS (SELECT count(*) AS n FROM models)
             INSERT INTO tickets (house_id, premises_id, author_id, category, emergency, title, body, status, created_at,
                                  deadline_at, updated_at, place, entrance, assignee_id)
             SELECT m.house_id, m.premises_id, m.author_id, m.category, m.emergency, m.title, m.body,
                    CASE k.i % 10 WHEN 0 THEN 'new' WHEN 1 THEN 'accepted' WHEN 2 THEN 'in_work'
                                  WHEN 3 THEN 'rejected' ELSE 'done' END,
                    strftime('%Y-%m-%dT%H:%M:%SZ', '2026-11-24T09:00:00Z', printf('%+d minutes', -((k.i * 7919) % 87000) - 120)),
                    strftime('%Y-%m-%dT%H:%M:%SZ', '2026-11-24T09:00:00Z', printf('%+d minutes', ((k.i * 104729) % 120960) - 60480)),
                    strftime('%Y-%m-%dT%H:%M:%SZ', '2026-11-24T09:00:00Z', printf('%+d minutes', -((k.i * 7919) % 87000) - 60)),
                    m.place, m.entrance, m.assignee_id
             FROM k JOIN size JOIN models m ON m.m = k.i % size.n",
            rusqlite::params![dispatcher, n],
        )?;
        tx.execute(
            "UPDATE tickets SET closed_at = updated_at WHERE id >= ?1 AND status IN ('done', 'rejected')",
            [first],
        )?;
        tx.execute(
            "INSERT INTO ticket_events (ticket_id, status, actor_id, at, note) \
             SELECT id, 'new', author_id, created_at, '' FROM tickets WHERE id >= ?1",
            [first],
        )?;
        tx.execute(
            "INSERT INTO changes (kind, entity_id, scope, scope_id, op, payload) \
             SELECT 'ticket', id, scope, scope_id, 'upsert', payload FROM feed_ticket WHERE id >= ?1 ORDER BY id",
            [first],
        )?;
        tx.commit()?;
        Ok(first)
    })?)
}

/// Adds `n` entries to a community's moderation log by the chair of the demo house (pins,
/// mutes and slow-mode changes by turns, each with a reason), with their change-log entries.
pub fn add_mod_log(store: &SqliteStore, community: CommunityId, n: u64) -> anyhow::Result<()> {
    let (_, chair) = demo_member(store, "chair")?;
    store.with_writer(|c| -> rusqlite::Result<()> {
        let tx = c.transaction()?;
        let first: i64 = tx.query_row("SELECT coalesce(max(id), 0) FROM mod_log", [], |r| r.get(0))?;
        let message: Option<i64> =
            tx.query_row("SELECT max(id) FROM messages WHERE community_id = ?1", [community], |r| r.get(0))?;
        {
            let mut insert = tx.prepare(
                "INSERT INTO mod_log (community_id, action, actor_id, actor_role, at, reason, message_id, seconds) \
                 VALUES (?1, ?2, ?3, 'chair', ?4, ?5, ?6, ?7)",
            )?;
            for i in 0..n {
                let (action, seconds) = match i % 3 {
                    0 => ("pin", None),
                    1 => ("unpin", None),
                    _ => ("slow_mode", Some((i % 60) as i64)),
                };
                let at = format!(
                    "2025-{:02}-{:02}T{:02}:{:02}:00+03:00",
                    1 + (i / 2000) % 12,
                    1 + (i / 70) % 28,
                    (i / 60) % 24,
                    i % 60
                );
                insert.execute(rusqlite::params![
                    community,
                    action,
                    chair,
                    at,
                    format!("Запись журнала {i}"),
                    message,
                    seconds
                ])?;
            }
        }
        tx.execute(
            "INSERT INTO changes (kind, entity_id, scope, scope_id, op, payload) \
             SELECT 'mod_entry', id, scope, scope_id, 'upsert', payload FROM feed_mod_entry WHERE id > ?1 ORDER BY id",
            [first],
        )?;
        tx.commit()
    })?;
    Ok(())
}
