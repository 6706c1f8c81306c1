//! Numbered SQL migrations, each applied in one transaction.

use rusqlite::Connection;

use crate::store::StoreError;

/// The migrations in order; the index + 1 is the schema version it brings.
const MIGRATIONS: &[(&str, &str)] = &[
    ("001_registry", include_str!("../../../migrations/001_registry.sql")),
    ("002_communities", include_str!("../../../migrations/002_communities.sql")),
    ("003_services", include_str!("../../../migrations/003_services.sql")),
    ("004_sync_auth", include_str!("../../../migrations/004_sync_auth.sql")),
    ("005_feed_views", include_str!("../../../migrations/005_feed_views.sql")),
    ("006_deadline_rules", include_str!("../../../migrations/006_deadline_rules.sql")),
    ("007_reading_submissions", include_str!("../../../migrations/007_reading_submissions.sql")),
    ("008_preventive_outages", include_str!("../../../migrations/008_preventive_outages.sql")),
    ("009_unread_periods", include_str!("../../../migrations/009_unread_periods.sql")),
    ("010_posted_notices", include_str!("../../../migrations/010_posted_notices.sql")),
    ("011_ticket_desk", include_str!("../../../migrations/011_ticket_desk.sql")),
    ("012_photos", include_str!("../../../migrations/012_photos.sql")),
    ("013_ticket_handover", include_str!("../../../migrations/013_ticket_handover.sql")),
    ("014_moderation", include_str!("../../../migrations/014_moderation.sql")),
    ("015_governance", include_str!("../../../migrations/015_governance.sql")),
    ("016_polls", include_str!("../../../migrations/016_polls.sql")),
    ("017_small_house_chats", include_str!("../../../migrations/017_small_house_chats.sql")),
    ("018_channel_posts_and_reactions", include_str!("../../../migrations/018_channel_posts_and_reactions.sql")),
    ("019_my_votes_everywhere", include_str!("../../../migrations/019_my_votes_everywhere.sql")),
];

/// The schema version this build writes.
pub fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// Brings the database up to the latest schema; refuses one made by a newer build.
pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    migrate_to(conn, latest_version())
}

/// Brings the database up to schema `version`.
fn migrate_to(conn: &mut Connection, version: i64) -> Result<(), StoreError> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > latest_version() {
        return Err(StoreError::NewerSchema { found: current, supported: latest_version() });
    }
    for (index, (name, sql)) in
        MIGRATIONS.iter().enumerate().skip(current as usize).take((version - current).max(0) as usize)
    {
        let tx = conn.transaction()?;
        tx.execute_batch(sql).map_err(|source| StoreError::Migration { name, source })?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(c: &Connection, sql: &str) -> i64 {
        c.query_row(sql, [], |r| r.get(0)).unwrap_or(-1)
    }

    /// The change log is rebuilt for the staff audience: every entry keeps its seq, and the
    /// next seq stays above any ever given (a client's cursor never sees one twice).
    #[test]
    fn the_staff_audience_keeps_every_seq_and_the_high_water_mark() -> Result<(), StoreError> {
        let mut c = Connection::open_in_memory()?;
        migrate_to(&mut c, 10)?;
        for n in 1..=5 {
            c.execute(
                "INSERT INTO changes (kind, entity_id, scope, scope_id, op, payload) VALUES ('house', ?1, 'h', ?1, 'upsert', '{}')",
                [n],
            )?;
        }
        // The newest entries superseded and gone: the counter is above every seq left.
        c.execute("DELETE FROM changes WHERE seq > 3", [])?;
        let refused = c.execute(
            "INSERT INTO changes (kind, entity_id, scope, scope_id, op, payload) VALUES ('x', 1, 's', 1, 'upsert', '{}')",
            [],
        );
        assert!(refused.is_err(), "schema 10 has no staff audience");
        migrate(&mut c)?;
        assert_eq!(count(&c, "SELECT count(*) FROM changes WHERE seq <= 3"), 3);
        c.execute(
            "INSERT INTO changes (kind, entity_id, scope, scope_id, op, payload) VALUES ('ticket_comment', 1, 's', 1, 'upsert', '{}')",
            [],
        )?;
        assert_eq!(count(&c, "SELECT max(seq) FROM changes"), 6);

        // A log emptied to the last entry keeps its counter too.
        let mut empty = Connection::open_in_memory()?;
        migrate_to(&mut empty, 10)?;
        empty.execute(
            "INSERT INTO changes (kind, entity_id, scope, scope_id, op, payload) VALUES ('house', 1, 'h', 1, 'upsert', '{}')",
            [],
        )?;
        empty.execute("DELETE FROM changes", [])?;
        migrate(&mut empty)?;
        empty.execute(
            "INSERT INTO changes (kind, entity_id, scope, scope_id, op, payload) VALUES ('house', 1, 'h', 1, 'upsert', '{}')",
            [],
        )?;
        assert_eq!(count(&empty, "SELECT max(seq) FROM changes"), 2);
        Ok(())
    }
}
