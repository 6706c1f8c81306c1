//! What readers add to the histories: a channel post for one house of each complex (works
//! that concern only it), and neighbours' reactions to messages and posts.

use chrono::Duration;
use rusqlite::{Transaction, params};

use super::util::{now, ts};

/// Writes, for each complex's channel, one post for its first house only.
pub(super) fn write_house_posts(tx: &Transaction<'_>, channels: &[i64]) -> anyhow::Result<()> {
    let works = now() + Duration::days(2);
    for &channel in channels {
        let target: Option<(i64, String)> = tx
            .query_row(
                "SELECT h.id, h.address FROM community_houses ch JOIN houses h ON h.id = ch.house_id \
                 WHERE ch.community_id = ?1 ORDER BY h.id LIMIT 1",
                [channel],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .ok();
        let last: Option<(i64, String)> = tx
            .query_row(
                "SELECT author_id, created_at FROM messages WHERE community_id = ?1 ORDER BY id DESC LIMIT 1",
                [channel],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .ok();
        let (Some((house, address)), Some((author, last_at))) = (target, last) else { continue };
        // After the channel's newest post (ids follow time) and before the seed's now.
        let last_at = chrono::DateTime::parse_from_rfc3339(&last_at)?.naive_local();
        let at = (last_at + Duration::minutes(1)).max(now() - Duration::minutes(30));
        if at >= now() {
            continue;
        }
        let body = format!(
            "Жителям дома {address}: {} с 9:00 до 16:00 — промывка и опрессовка системы отопления. \
             Батареи будут холодными, в стояках возможен шум. Остальных домов комплекса работы не касаются.",
            works.format("%d.%m")
        );
        let id: i64 = tx.query_row(
            "INSERT INTO messages (community_id, author_id, client_key, body, created_at) \
             VALUES (?1, ?2, 'seed-house-post-' || ?1, ?3, ?4) RETURNING id",
            params![channel, author, body, ts(at)],
            |r| r.get(0),
        )?;
        tx.execute("INSERT INTO message_houses (message_id, house_id) VALUES (?1, ?2)", params![id, house])?;
    }
    Ok(())
}

/// Neighbours react to some of the messages they could read: about one message in five,
/// by about one member in eleven, mostly with 👍, 🙏 or ❤️; a post for some houses only by
/// their residents.
pub(super) fn write_reactions(tx: &Transaction<'_>) -> anyhow::Result<()> {
    tx.execute(
        "INSERT INTO reactions (message_id, person_id, emoji, at) \
         SELECT m.id, ms.person_id, \
                CASE (ms.person_id + m.id) % 10 WHEN 0 THEN '❤️' WHEN 1 THEN '❤️' WHEN 2 THEN '🙏' \
                     WHEN 3 THEN '🙏' ELSE '👍' END, \
                m.created_at \
         FROM messages m JOIN memberships ms ON ms.community_id = m.community_id AND ms.left_at IS NULL \
         WHERE m.deleted_at IS NULL AND m.id % 5 = 0 AND (ms.person_id * 31 + m.id) % 11 = 0 \
           AND ms.person_id != m.author_id AND ms.joined_at <= m.created_at \
           AND (NOT EXISTS (SELECT 1 FROM message_houses t WHERE t.message_id = m.id) \
                OR EXISTS (SELECT 1 FROM message_houses t JOIN premises p ON p.house_id = t.house_id \
                           JOIN ownerships o ON o.premises_id = p.id AND o.until IS NULL \
                           WHERE t.message_id = m.id AND o.person_id = ms.person_id)) \
         ORDER BY m.id, ms.person_id",
        [],
    )?;
    Ok(())
}
