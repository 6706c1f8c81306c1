//! A dispatcher's outage notice in SQLite: checked by the domain's rules, stored once per
//! idempotency key, and told in each house's chat by a message that names it.

use rusqlite::{OptionalExtension, Transaction, params};

use domkom_domain::id::*;
use domkom_domain::notice::{CheckedOutage, PostOutage, check_outage};
use domkom_domain::role::StaffRole;
use domkom_domain::time::local_time;
use domkom_domain::wire::{ChangeKind, Notice};

use super::{SqliteStore, changelog, rows};
use crate::store::{OutageRefusal, Posted, StoreError, Viewer, What};

/// Posts an outage for houses the viewer's organisation manages now.
pub(super) fn post_outage(store: &SqliteStore, viewer: &Viewer, req: &PostOutage) -> Result<Posted, OutageRefusal> {
    let now = store.clock.now();
    let created_at = store.now_rfc3339();
    let request = serde_json::to_string(req).map_err(|e| StoreError::Corrupt { kind: "notice", source: e })?;
    store.write(|tx| {
        let (Some(StaffRole::Dispatcher), Some(org)) = (viewer.staff, viewer.org_id) else {
            return Err(OutageRefusal::NotDispatcher);
        };
        let seen: Option<(NoticeId, String)> = tx
            .query_row(
                "SELECT id, request FROM notices WHERE author_id = ?1 AND client_key = ?2",
                params![viewer.person.id, req.client_key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((id, earlier)) = seen {
            return if earlier == request {
                Ok(Posted { notice: first_copy(tx, id)?, created: false })
            } else {
                Err(OutageRefusal::KeyReused)
            };
        }
        let outage = check_outage(req, now)?;
        for &house in &req.houses {
            let managed: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM management_periods WHERE house_id = ?1 AND org_id = ?2 \
                 AND to_date IS NULL)",
                params![house, org],
                |r| r.get(0),
            )?;
            if !managed {
                return Err(OutageRefusal::NotManaged(house));
            }
        }
        let id: NoticeId = tx.query_row(
            "INSERT INTO notices (kind, outage_type, service, title, reason, starts_at, ends_at, org_id, created_at, \
             author_id, client_key, request) VALUES ('outage', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id",
            params![
                req.outage_type,
                outage.service,
                outage.title,
                outage.reason,
                outage.start.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                outage.end.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                org,
                created_at,
                viewer.person.id,
                req.client_key,
                request
            ],
            |r| r.get(0),
        )?;
        for &house in &req.houses {
            tx.execute("INSERT INTO notice_houses (notice_id, house_id) VALUES (?1, ?2)", params![id, house])?;
        }
        changelog::record(tx, ChangeKind::Notice, id)?;
        for &house in &req.houses {
            tell_the_chat(tx, viewer.person.id, id, house, &outage, &created_at)?;
        }
        tell_the_channels(tx, viewer.person.id, id, &req.houses, &outage, &created_at)?;
        Ok(Posted { notice: first_copy(tx, id)?, created: true })
    })
}

/// The notice as the first house named sees it.
fn first_copy(tx: &Transaction<'_>, id: NoticeId) -> Result<Notice, OutageRefusal> {
    let found = rows::<Notice>(tx, ChangeKind::Notice, "id = ?1 ORDER BY scope_id LIMIT 1", [id])?;
    found.into_iter().next().map(|(_, n)| n).ok_or(OutageRefusal::Store(StoreError::NotFound(What::Notice)))
}

/// Posts the notice once in each microdistrict channel covering some of its houses, naming
/// them, so the whole complex hears of it.
fn tell_the_channels(
    tx: &Transaction<'_>,
    author: PersonId,
    notice: NoticeId,
    houses: &[HouseId],
    outage: &CheckedOutage,
    created_at: &str,
) -> Result<(), OutageRefusal> {
    let list = serde_json::to_string(&houses.iter().map(|h| h.get()).collect::<Vec<_>>()).unwrap_or_default();
    let channels: Vec<CommunityId> = tx
        .prepare(
            "SELECT DISTINCT c.id FROM communities c JOIN community_houses ch ON ch.community_id = c.id \
             WHERE c.kind = 'microdistrict' AND ch.house_id IN (SELECT value FROM json_each(?1)) ORDER BY c.id",
        )?
        .query_map([&list], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for channel in channels {
        let affected: Vec<(String, String)> = tx
            .prepare(
                "SELECT h.address, h.timezone FROM houses h JOIN community_houses ch ON ch.house_id = h.id \
                 WHERE ch.community_id = ?1 AND h.id IN (SELECT value FROM json_each(?2)) ORDER BY h.address",
            )?
            .query_map(params![channel, &list], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let Some((_, timezone)) = affected.first() else { continue };
        let local = |t| local_time(t, timezone).map(|t| t.format("%d.%m.%Y %H:%M").to_string()).unwrap_or_default();
        let addresses: Vec<&str> = affected.iter().map(|(a, _)| a.as_str()).collect();
        let stop = if outage.reason.ends_with(['.', '!', '?', '…']) { "" } else { "." };
        let body = format!(
            "{}: с {} до {}. Дома: {}. {}{stop} Жители этих домов найдут подробности в разделе «Объявления».",
            outage.title,
            local(outage.start),
            local(outage.end),
            addresses.join("; "),
            outage.reason
        );
        // Without the notice's id: most of the complex has no copy of the notice, so this
        // message is what notifies them.
        let id: MessageId = tx.query_row(
            "INSERT INTO messages (community_id, author_id, client_key, body, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
            params![channel, author, format!("notice-{notice}-c{channel}"), body, created_at],
            |r| r.get(0),
        )?;
        changelog::record(tx, ChangeKind::Message, id)?;
    }
    Ok(())
}

/// Posts the notice in the house's chat, in the house's time, as the dispatcher's message.
fn tell_the_chat(
    tx: &Transaction<'_>,
    author: PersonId,
    notice: NoticeId,
    house: HouseId,
    outage: &CheckedOutage,
    created_at: &str,
) -> Result<(), OutageRefusal> {
    let chat: Option<(CommunityId, String)> = tx
        .query_row(
            "SELECT c.id, h.timezone FROM communities c JOIN houses h ON h.id = c.house_id \
             WHERE c.kind = 'house_chat' AND c.house_id = ?1",
            [house],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((community, timezone)) = chat else { return Ok(()) };
    let local = |t| local_time(t, &timezone).map(|t| t.format("%d.%m.%Y %H:%M").to_string()).unwrap_or_default();
    let stop = if outage.reason.ends_with(['.', '!', '?', '…']) { "" } else { "." };
    let body = format!(
        "{}: с {} до {}. {}{stop} Подробности — в разделе «Объявления».",
        outage.title,
        local(outage.start),
        local(outage.end),
        outage.reason
    );
    let id: MessageId = tx.query_row(
        "INSERT INTO messages (community_id, author_id, client_key, body, created_at, notice_id) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
        params![community, author, format!("notice-{notice}-{house}"), body, created_at, notice],
        |r| r.get(0),
    )?;
    changelog::record(tx, ChangeKind::Message, id)?;
    Ok(())
}
