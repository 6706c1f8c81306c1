//! Recording changes into the change log from the `feed_<kind>` views.
//!
//! A change replaces the entity's earlier entries, so the log holds each entity's newest
//! state once per audience, in the order of the changes.

use rusqlite::{Connection, params};

use domkom_domain::wire::ChangeKind;

/// The view that renders each kind's payload.
pub(crate) fn view(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::House => "feed_house",
        ChangeKind::Community => "feed_community",
        ChangeKind::Membership => "feed_membership",
        ChangeKind::Ownership => "feed_ownership",
        ChangeKind::Message => "feed_message",
        ChangeKind::Ticket => "feed_ticket",
        ChangeKind::TicketComment => "feed_ticket_comment",
        ChangeKind::Device => "feed_device",
        ChangeKind::Reading => "feed_reading",
        ChangeKind::Account => "feed_account",
        ChangeKind::Bill => "feed_bill",
        ChangeKind::Notice => "feed_notice",
        ChangeKind::RepairPlan => "feed_repair_plan",
        ChangeKind::ModEntry => "feed_mod_entry",
        ChangeKind::Report => "feed_report",
        ChangeKind::AdminApplication => "feed_admin_application",
        ChangeKind::Poll => "feed_poll",
        ChangeKind::Reaction => "feed_reaction",
    }
}

/// Records the current state of one entity as its newest change.
pub fn record(conn: &Connection, kind: ChangeKind, id: impl Into<i64>) -> rusqlite::Result<()> {
    let id: i64 = id.into();
    // A tombstone for an audience the entity no longer reaches stays: a client that has not
    // synced since must still learn that it is gone.
    conn.execute(
        &format!(
            "DELETE FROM changes WHERE kind = ?1 AND entity_id = ?2 AND (op = 'upsert' \
             OR (scope, scope_id) IN (SELECT scope, scope_id FROM {} WHERE id = ?2))",
            view(kind)
        ),
        params![kind.as_str(), id],
    )?;
    conn.execute(
        &format!(
            "INSERT INTO changes (kind, entity_id, scope, scope_id, op, payload) \
             SELECT ?1, id, scope, scope_id, 'upsert', payload FROM {} WHERE id = ?2",
            view(kind)
        ),
        params![kind.as_str(), id],
    )?;
    Ok(())
}

/// Records that an entity is gone for the audiences that saw it, as a tombstone.
pub fn record_removal(conn: &Connection, kind: ChangeKind, id: impl Into<i64>) -> rusqlite::Result<()> {
    let id: i64 = id.into();
    let scopes: Vec<(String, i64)> = conn
        .prepare("SELECT scope, scope_id FROM changes WHERE kind = ?1 AND entity_id = ?2")?
        .query_map(params![kind.as_str(), id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    conn.execute("DELETE FROM changes WHERE kind = ?1 AND entity_id = ?2", params![kind.as_str(), id])?;
    let mut insert = conn.prepare(
        "INSERT INTO changes (kind, entity_id, scope, scope_id, op, payload) \
         VALUES (?1, ?2, ?3, ?4, 'delete', json_object('id', ?2))",
    )?;
    for (scope, scope_id) in scopes {
        insert.execute(params![kind.as_str(), id, scope, scope_id])?;
    }
    Ok(())
}

/// Tells one person that an entity left their view (a house their organisation no longer
/// manages), as a tombstone in their own audience.
pub fn record_removal_for(
    conn: &Connection,
    kind: ChangeKind,
    id: impl Into<i64>,
    person: i64,
) -> rusqlite::Result<()> {
    let id: i64 = id.into();
    conn.execute(
        "DELETE FROM changes WHERE kind = ?1 AND entity_id = ?2 AND scope = 'p' AND scope_id = ?3",
        params![kind.as_str(), id, person],
    )?;
    conn.execute(
        "INSERT INTO changes (kind, entity_id, scope, scope_id, op, payload) \
         VALUES (?1, ?2, 'p', ?3, 'delete', json_object('id', ?2))",
        params![kind.as_str(), id, person],
    )?;
    Ok(())
}

/// Records an entity's current state in one person's own audience as well, so that their
/// push stream works out anew what they may see (staff who gained a house without a chat,
/// whose membership would otherwise have told it). The entity's next record replaces it.
pub fn record_for(conn: &Connection, kind: ChangeKind, id: impl Into<i64>, person: i64) -> rusqlite::Result<()> {
    let id: i64 = id.into();
    conn.execute(
        "DELETE FROM changes WHERE kind = ?1 AND entity_id = ?2 AND scope = 'p' AND scope_id = ?3",
        params![kind.as_str(), id, person],
    )?;
    conn.execute(
        &format!(
            "INSERT INTO changes (kind, entity_id, scope, scope_id, op, payload) \
             SELECT ?1, id, 'p', ?3, 'upsert', payload FROM {} WHERE id = ?2 LIMIT 1",
            view(kind)
        ),
        params![kind.as_str(), id, person],
    )?;
    Ok(())
}

/// Records every entity of every kind, in dependency order; used by the seed.
pub fn record_all(conn: &Connection) -> rusqlite::Result<()> {
    for &kind in ChangeKind::ALL {
        conn.execute(
            &format!(
                "INSERT INTO changes (kind, entity_id, scope, scope_id, op, payload) \
                 SELECT ?1, id, scope, scope_id, 'upsert', payload FROM {} ORDER BY id",
                view(kind)
            ),
            params![kind.as_str()],
        )?;
    }
    Ok(())
}
