//! Bulk data for tests and benchmarks: many messages written at once, with the change-log
//! entries clients sync them by, far faster than sending them through the API.

use domkom_domain::id::{CommunityId, PersonId};

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
