//! Tickets (заявки) in the cache: stored from the feed with the columns the desk filters by,
//! their comments (internal ones reach only the staff's caches), and the writes a resident or
//! a dispatcher makes, checked by the domain's rules offline before they go to the outbox.

mod desk;
mod export;
mod photo;
mod report;
mod write;

pub use desk::{AssigneeFilter, QueuePage, QueueRow, TicketQuery};
pub use export::{EXPORT_COLUMNS, Export, ExportFormat, ExportWords, ExportedFile};
pub use photo::{CHUNK_BYTES, StagedPhoto};
pub(crate) use photo::{
    drop_carried as drop_carried_photos, forget_uploads, keep_sent as keep_sent_photos, upload_all as upload_photos,
};
pub use report::{ReportBy, ReportLine, ReportQuery, TicketReport};
pub use write::{PendingTicket, TicketDetail, TicketDraft, Tickets};

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;

use domkom_domain::id::*;
use domkom_domain::ticket::{Mover, TicketStatus, moves_for};
use domkom_domain::wire::{self, Change, ChangeKind, ChangeOp};

use crate::cache::Cache;
use crate::error::Result;
use crate::events::Event;
use crate::feed::{Applied, decode, delete_row, misrouted};

/// The queue's order as one integer: open emergencies first (a burst pipe waits for nothing),
/// those no one has taken yet ahead of those being worked; then the other open tickets; each
/// group by deadline; then closed ones newest first (migrations 006 and 009 compute the same
/// for rows already cached).
pub(crate) fn sort_key(status: TicketStatus, emergency: bool, created_s: i64, deadline_s: i64) -> i64 {
    match (status, emergency) {
        (s, _) if s.is_closed() => 8_000_000_000 - created_s,
        (TicketStatus::New, true) => deadline_s - 2 * EMERGENCY_FIRST,
        (_, true) => deadline_s - EMERGENCY_FIRST,
        (_, false) => deadline_s,
    }
}

/// How far ahead of the next group of the queue a group of emergencies sorts, in seconds
/// (beyond any deadline's Unix seconds).
const EMERGENCY_FIRST: i64 = 4_000_000_000;

/// Unix seconds of an RFC 3339 time (0 when unreadable).
pub(crate) fn seconds(t: &str) -> i64 {
    DateTime::parse_from_rfc3339(t).map(|d| d.timestamp()).unwrap_or(0)
}

/// The time zone of a cached house.
fn house_zone(tx: &Transaction<'_>, house: HouseId) -> Result<Option<chrono_tz::Tz>> {
    let name: Option<String> = tx
        .prepare_cached("SELECT json_extract(payload, '$.timezone') FROM houses WHERE id = ?1")?
        .query_row([house], |r| r.get(0))
        .optional()?
        .flatten();
    Ok(name.and_then(|n| domkom_domain::time::zone(&n).ok()))
}

/// The day (`YYYY-MM-DD`) a time falls on in the house's zone; without the zone, in the
/// offset the time is written in.
pub(crate) fn local_day(t: &str, zone: Option<&chrono_tz::Tz>) -> String {
    match (DateTime::parse_from_rfc3339(t), zone) {
        (Ok(d), Some(z)) => d.with_timezone(z).date_naive().to_string(),
        (Ok(d), None) => d.date_naive().to_string(),
        (Err(_), _) => t.get(..10).unwrap_or_default().to_owned(),
    }
}

/// Stores a write's answer unless the feed already brought a newer state of the ticket.
pub(crate) fn store_answer(tx: &Transaction<'_>, t: &wire::Ticket) -> Result<()> {
    let cached: Option<String> = tx
        .query_row("SELECT json_extract(payload, '$.updated_at') FROM tickets WHERE id = ?1", [t.id], |r| r.get(0))
        .optional()?;
    if cached.is_some_and(|c| seconds(&c) > seconds(&t.updated_at)) {
        return Ok(());
    }
    store_ticket(tx, t)
}

/// Stores one ticket as the server sent it, with its desk columns and its words for search.
pub(crate) fn store_ticket(tx: &Transaction<'_>, t: &wire::Ticket) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO tickets (id, house_id, status, payload) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (id) DO UPDATE SET house_id = excluded.house_id, status = excluded.status, \
         payload = excluded.payload",
    )?
    .execute(params![t.id, t.house_id, t.status.as_str(), serde_json::to_string(t).unwrap_or_default()])?;
    let (created, deadline) = (seconds(&t.created_at), seconds(&t.deadline_at));
    let zone = house_zone(tx, t.house_id)?;
    tx.prepare_cached(
        "INSERT OR REPLACE INTO ticket_index (id, house_id, status, category, emergency, place, entrance, assignee_id, \
         created_s, deadline_s, sort_key, closed_s, created_day, closed_day) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?
    .execute(params![
        t.id,
        t.house_id,
        t.status.as_str(),
        t.category.as_str(),
        t.emergency,
        t.place.as_str(),
        t.entrance,
        t.assignee_id,
        created,
        deadline,
        sort_key(t.status, t.emergency, created, deadline),
        t.closed_at.as_deref().map(seconds),
        local_day(&t.created_at, zone.as_ref()),
        t.closed_at.as_deref().map(|c| local_day(c, zone.as_ref()))
    ])?;
    tx.prepare_cached("DELETE FROM tickets_fts WHERE rowid = ?1")?.execute([t.id])?;
    tx.prepare_cached("INSERT INTO tickets_fts (rowid, title, body) VALUES (?1, ?2, ?3)")?
        .execute(params![t.id, t.title, t.body])?;
    Ok(())
}

/// Stores one comment.
pub(crate) fn store_comment(tx: &Transaction<'_>, c: &wire::TicketComment) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO ticket_comments (id, ticket_id, house_id, internal, payload) VALUES (?1, ?2, ?3, ?4, ?5) \
         ON CONFLICT (id) DO UPDATE SET payload = excluded.payload, internal = excluded.internal",
    )?
    .execute(params![c.id, c.ticket_id, c.house_id, c.internal, serde_json::to_string(c).unwrap_or_default()])?;
    Ok(())
}

/// Stores a ticket or comment change.
pub(crate) fn apply(tx: &Transaction<'_>, c: &Change, out: &mut Applied) -> Result<()> {
    match (c.kind, c.op) {
        (ChangeKind::Ticket, ChangeOp::Upsert) => {
            let t: wire::Ticket = decode(c)?;
            let known: bool =
                tx.query_row("SELECT EXISTS (SELECT 1 FROM tickets WHERE id = ?1)", [t.id], |r| r.get(0))?;
            if !known && t.emergency && t.status == TicketStatus::New {
                out.new_emergencies.push(t.clone());
            }
            store_ticket(tx, &t)?;
            out.changed(Event::Tickets { house_id: t.house_id });
        }
        (ChangeKind::Ticket, ChangeOp::Delete) => {
            tx.execute("DELETE FROM tickets_fts WHERE rowid = ?1", [c.id])?;
            tx.execute("DELETE FROM ticket_index WHERE id = ?1", [c.id])?;
            tx.execute("DELETE FROM ticket_comments WHERE ticket_id = ?1", [c.id])?;
            photo::forget(tx, Some(TicketId(c.id)), None)?;
            for house_id in delete_row(tx, "tickets", "house_id", c.id)? {
                out.changed(Event::Tickets { house_id });
            }
        }
        (ChangeKind::TicketComment, ChangeOp::Upsert) => {
            let comment: wire::TicketComment = decode(c)?;
            store_comment(tx, &comment)?;
            crate::outbox::delivered(tx, &comment.client_key)?;
            out.changed(Event::Tickets { house_id: comment.house_id });
        }
        (ChangeKind::TicketComment, ChangeOp::Delete) => {
            for house_id in delete_row(tx, "ticket_comments", "house_id", c.id)? {
                out.changed(Event::Tickets { house_id });
            }
        }
        (kind, _) => return Err(misrouted(kind)),
    }
    Ok(())
}

/// Removes a house's tickets and comments (the house left the person's view).
pub(crate) fn purge_house(tx: &Transaction<'_>, house: HouseId) -> Result<()> {
    tx.execute("DELETE FROM tickets_fts WHERE rowid IN (SELECT id FROM tickets WHERE house_id = ?1)", [house])?;
    tx.execute("DELETE FROM ticket_comments WHERE house_id = ?1", [house])?;
    tx.execute("DELETE FROM staff WHERE house_id = ?1", [house])?;
    photo::forget(tx, None, Some(house.get()))?;
    tx.execute("DELETE FROM ticket_index WHERE house_id = ?1", [house])?;
    tx.execute("DELETE FROM tickets WHERE house_id = ?1", [house])?;
    Ok(())
}

/// An emergency ticket that just arrived, for a dispatcher's notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NewEmergency {
    /// The ticket.
    pub ticket_id: TicketId,
    /// Its house.
    pub house_id: HouseId,
    /// Its title.
    pub title: String,
    /// Its category.
    pub category: domkom_domain::ticket::TicketCategory,
}

/// A move the person may make from a ticket's status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MoveOption {
    /// The status it leads to.
    pub to: TicketStatus,
    /// A reason must be given.
    pub needs_reason: bool,
    /// A rating must be given (a reopening).
    pub needs_rating: bool,
}

/// A ticket with what the person may do with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TicketView {
    /// The ticket.
    pub ticket: wire::Ticket,
    /// Open and past its deadline by the server's clock.
    pub overdue: bool,
    /// The person filed it.
    pub mine: bool,
    /// The person joined it ("me too").
    pub joined: bool,
    /// The moves the person may make.
    pub moves: Vec<MoveOption>,
    /// The person may confirm the work done.
    pub can_confirm: bool,
    /// The person may join it.
    pub can_join: bool,
    /// The person may comment on it.
    pub can_comment: bool,
    /// The person may write internal comments and assign it (a dispatcher of the house).
    pub staff: bool,
    /// The server's time this was judged at (RFC 3339): countdowns run from it, not from the
    /// machine's clock, which may be off.
    pub now: String,
}

/// Who the person is to tickets: their id, the houses they dispatch (their organisation
/// manages), and where they live.
#[derive(Debug, Clone)]
pub(crate) struct Me {
    pub id: PersonId,
    pub dispatches: Vec<HouseId>,
    pub houses_lived: Vec<HouseId>,
}

impl TicketView {
    /// Every part the person plays in this ticket, as the table of moves names them.
    pub(crate) fn movers(&self) -> Vec<Mover> {
        let mut out = Vec::new();
        if self.staff {
            out.push(Mover::Dispatcher);
        }
        if self.mine {
            out.push(Mover::Author);
        }
        if self.joined {
            out.push(Mover::Cosigner);
        }
        out
    }

    /// The ticket as this person may work it, at `now`.
    pub(crate) fn of(ticket: wire::Ticket, me: &Me, now: DateTime<Utc>) -> TicketView {
        let mine = ticket.author_id == me.id;
        let joined = ticket.cosigners.contains(&me.id);
        let lives = me.houses_lived.contains(&ticket.house_id);
        let staff = me.dispatches.contains(&ticket.house_id);
        let mut movers = Vec::new();
        if staff {
            movers.push(Mover::Dispatcher);
        }
        if mine {
            movers.push(Mover::Author);
        }
        if joined {
            movers.push(Mover::Cosigner);
        }
        let mut moves: Vec<MoveOption> = Vec::new();
        for mover in movers {
            for (to, needs_reason, needs_rating) in moves_for(mover, ticket.status) {
                if !moves.iter().any(|m| m.to == to) {
                    moves.push(MoveOption { to, needs_reason, needs_rating });
                }
            }
        }
        let confirmed = ticket.confirmed_at.is_some();
        if confirmed {
            moves.retain(|m| !m.needs_rating);
        }
        let open = !ticket.status.is_closed();
        let overdue = open && seconds(&ticket.deadline_at) < now.timestamp();
        TicketView {
            overdue,
            mine,
            joined,
            moves,
            can_confirm: mine && ticket.status == TicketStatus::Done && !confirmed,
            can_join: lives && open && !mine && !joined && ticket.place != domkom_domain::ticket::TicketPlace::Flat,
            can_comment: staff || (open && (mine || joined)),
            staff,
            now: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            ticket,
        }
    }
}

impl Cache {
    /// A house's cached tickets, newest first.
    pub fn tickets(&self, house: i64) -> Result<Vec<wire::Ticket>> {
        self.read(|c| {
            crate::cache::payloads(c, "SELECT payload FROM tickets WHERE house_id = ?1 ORDER BY id DESC", [house])
        })
    }

    /// The cached ticket filed with this key.
    pub fn ticket_by_key(&self, client_key: &str) -> Result<Option<wire::Ticket>> {
        self.read(|c| {
            Ok(crate::cache::payloads(
                c,
                "SELECT payload FROM tickets WHERE json_extract(payload, '$.client_key') = ?1",
                [client_key],
            )?
            .pop())
        })
    }

    /// One cached ticket.
    pub fn ticket(&self, id: TicketId) -> Result<Option<wire::Ticket>> {
        self.read(|c| Ok(crate::cache::payloads(c, "SELECT payload FROM tickets WHERE id = ?1", [id])?.pop()))
    }

    /// A ticket's cached comments, oldest first.
    pub fn ticket_comments(&self, id: TicketId) -> Result<Vec<wire::TicketComment>> {
        self.read(|c| {
            crate::cache::payloads(c, "SELECT payload FROM ticket_comments WHERE ticket_id = ?1 ORDER BY id", [id])
        })
    }
}
