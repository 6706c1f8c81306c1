//! The demo house's moderation so far: the chair pinned the house rules, deleted an
//! advertisement with a reason (its words kept in the log for moderators), and the demo
//! resident's complaint about a rude message waits in the queue.

use rusqlite::{OptionalExtension, Transaction, params};

use super::demo::demo_id;
use super::plan::DEMO_HOUSE;
use super::registry::Registry;

/// Writes the demo house's moderation history.
pub(super) fn write(tx: &Transaction<'_>, reg: &Registry) -> anyhow::Result<()> {
    let Some(community) = reg.community[DEMO_HOUSE] else { return Ok(()) };
    let chair = demo_id("chair");
    let resident = demo_id("resident");
    // The time of the message after `id` in the chat: when the moderator acted.
    let after = |id: i64| -> rusqlite::Result<String> {
        tx.query_row(
            "SELECT coalesce((SELECT created_at FROM messages WHERE community_id = ?1 AND id > ?2 ORDER BY id LIMIT 1), \
             (SELECT created_at FROM messages WHERE id = ?2))",
            params![community, id],
            |r| r.get(0),
        )
    };
    let log = |action: &str, at: &str, reason: Option<&str>, message: i64, person: Option<i64>, text: Option<&str>| {
        tx.execute(
            "INSERT INTO mod_log (community_id, action, actor_id, actor_role, at, reason, message_id, person_id, \
             removed_text) VALUES (?1, ?2, ?3, 'chair', ?4, ?5, ?6, ?7, ?8)",
            params![community, action, chair, at, reason, message, person, text],
        )
    };

    let pinned: Option<i64> = tx
        .query_row(
            "SELECT id FROM messages WHERE community_id = ?1 AND author_id = ?2 AND deleted_at IS NULL \
             ORDER BY length(body) DESC, id LIMIT 1",
            params![community, chair],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(id) = pinned {
        let at = after(id)?;
        tx.execute("UPDATE messages SET pinned_at = ?2 WHERE id = ?1", params![id, at])?;
        log("pin", &at, None, id, None, None)?;
    }

    // Two messages of ordinary neighbours from the first half of the history.
    let others: Vec<(i64, i64, String)> = tx
        .prepare(
            "SELECT id, author_id, body FROM messages WHERE community_id = ?1 AND deleted_at IS NULL \
             AND author_id NOT IN (SELECT id FROM persons WHERE demo_key IS NOT NULL OR staff_role IS NOT NULL) \
             AND id < (SELECT avg(id) FROM messages WHERE community_id = ?1) ORDER BY id LIMIT 2",
        )?
        .query_map([community], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    if let [(removed, author, body), (reported, _, excerpt)] = others.as_slice() {
        let at = after(*removed)?;
        let reason = "Реклама: объявления о продаже — на доске у подъезда";
        tx.execute(
            "UPDATE messages SET body = '', deleted_at = ?2, deleted_reason = ?3 WHERE id = ?1",
            params![removed, at, reason],
        )?;
        log("delete", &at, Some(reason), *removed, Some(*author), Some(body))?;
        tx.execute(
            "INSERT INTO reports (community_id, message_id, reporter_id, reason, excerpt, at, client_key) \
             VALUES (?1, ?2, ?3, 'Грубость в адрес соседей', ?4, ?5, '0192a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b')",
            params![community, reported, resident, excerpt, after(*reported)?],
        )?;
    }
    Ok(())
}

/// Two polls of the demo house's chat: one running (a barrier in the yard), one closed with
/// its final tally (the playground), each with votes of owners of the house.
pub(super) fn write_polls(tx: &Transaction<'_>, reg: &Registry) -> anyhow::Result<()> {
    let Some(community) = reg.community[DEMO_HOUSE] else { return Ok(()) };
    let chair = demo_id("chair");
    let polls = [
        (
            "Ставим шлагбаум на въезде во двор? Собираем мнения до общего собрания.",
            r#"["Да, ставим","Нет, не нужно","Всё равно"]"#,
            "per_premises",
            "2026-11-10T18:00:00+03:00",
            "2027-03-01T20:00:00+03:00",
            "0192a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a61",
        ),
        (
            "Какое покрытие выбрать для детской площадки?",
            r#"["Резиновая крошка","Песок","Искусственная трава"]"#,
            "by_area",
            "2025-09-01T10:00:00+03:00",
            "2025-09-15T20:00:00+03:00",
            "0192a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a62",
        ),
    ];
    for (question, options, basis, created, closes, key) in polls {
        let id: i64 = tx.query_row(
            "INSERT INTO polls (community_id, question, options, basis, opened_by, created_at, closes_at, client_key, \
             request) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, '{}') RETURNING id",
            params![community, question, options, basis, chair, created, closes, key],
            |r| r.get(0),
        )?;
        // Owners who joined the chat vote, each for their premises; the demo resident has not yet.
        tx.execute(
            "INSERT INTO poll_votes (poll_id, premises_id, person_id, option, area, at, client_key) \
             SELECT ?1, p.id, min(o.person_id), (p.id * 7 + ?1) % 3, p.total_area, ?2, 'seed-' || ?1 || '-' || p.id \
             FROM premises p JOIN ownerships o ON o.premises_id = p.id AND o.until IS NULL \
             JOIN memberships m ON m.person_id = o.person_id AND m.community_id = ?3 AND m.left_at IS NULL \
             JOIN communities c ON c.id = ?3 AND c.house_id = p.house_id \
             WHERE o.person_id != ?4 GROUP BY p.id ORDER BY p.id LIMIT 60",
            params![id, created, community, demo_id("resident")],
        )?;
    }
    Ok(())
}
