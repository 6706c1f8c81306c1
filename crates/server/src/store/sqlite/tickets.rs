//! Tickets in SQLite: filed, moved, confirmed, assigned, commented and co-signed, each write
//! judged by the domain's rules and the store's clock, each recorded in the change log (an
//! internal comment for the house's staff only), and each step of a ticket made from a chat
//! message told in that chat.

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{OptionalExtension, Transaction, params};

use domkom_domain::id::*;
use domkom_domain::ticket::{
    AssignTicket, CommentTicket, ConfirmTicket, DAILY_TICKETS, FileTicket, HouseShape, MoveTicket, Mover, Staff,
    TicketComment, TicketMove, TicketPlace, TicketSource, TicketStatus, check_comment, check_ticket, may_move,
    ticket_deadline,
};
use domkom_domain::time::local_time;
use domkom_domain::wire::{ChangeKind, Ticket};

use super::house::{house_gate, sql_limit};
use super::{SqliteStore, changelog, one, rows, visible};
use crate::store::{
    Assignee, Commented, Filed, StoreError, StoreResult, TicketFilter, TicketQuery, TicketRefusal, TicketStore, Viewer,
    What,
};

/// A ticket's row as the rules need it.
struct Row {
    house: HouseId,
    premises: Option<PremisesId>,
    author: PersonId,
    status: TicketStatus,
    place: TicketPlace,
    closed_at: Option<String>,
    confirmed: bool,
    message: Option<MessageId>,
    title: String,
    timezone: String,
}

fn row(tx: &Transaction<'_>, viewer: &Viewer, id: TicketId) -> Result<Row, TicketRefusal> {
    let found = tx
        .query_row(
            "SELECT t.house_id, t.author_id, t.status, t.place, t.closed_at, t.confirmed_at IS NOT NULL, \
             t.message_id, t.title, h.timezone, t.premises_id FROM tickets t JOIN houses h ON h.id = t.house_id \
             WHERE t.id = ?1",
            [id],
            |r| {
                Ok(Row {
                    house: r.get(0)?,
                    premises: r.get(9)?,
                    author: r.get(1)?,
                    status: parse_status(r.get::<_, String>(2)?),
                    place: TicketPlace::parse(&r.get::<_, String>(3)?).unwrap_or(TicketPlace::Other),
                    closed_at: r.get(4)?,
                    confirmed: r.get(5)?,
                    message: r.get(6)?,
                    title: r.get(7)?,
                    timezone: r.get(8)?,
                })
            },
        )
        .optional()?
        .ok_or(StoreError::NotFound(What::Ticket))?;
    if !sees_ticket(viewer, found.house, found.place, found.premises) {
        return Err(StoreError::NotVisible(What::Ticket).into());
    }
    Ok(found)
}

/// Whether the viewer sees a ticket: a ticket about a flat only its holders and the house's
/// staff, any other the house (as the feed views record them).
fn sees_ticket(viewer: &Viewer, house: HouseId, place: TicketPlace, premises: Option<PremisesId>) -> bool {
    use crate::store::Scope;
    match (place, premises) {
        (TicketPlace::Flat, Some(p)) => viewer.sees(Scope::Premises(p)) || viewer.sees(Scope::Staff(house)),
        _ => viewer.sees(Scope::House(house)),
    }
}

/// The entities in order, each once (one seen through two audiences, a flat ticket by its
/// holder who also works for the house, comes twice).
fn once_each<T, K: Ord + Copy>(found: Vec<T>, key: impl Fn(&T) -> K) -> Vec<T> {
    let mut seen = std::collections::BTreeSet::new();
    found.into_iter().filter(|t| seen.insert(key(t))).collect()
}

fn parse_status(text: String) -> TicketStatus {
    // The column's CHECK admits only the vocabulary.
    TicketStatus::parse(&text).unwrap_or(TicketStatus::New)
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn is_cosigner(tx: &Transaction<'_>, ticket: TicketId, person: PersonId) -> rusqlite::Result<bool> {
    tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM ticket_cosigners WHERE ticket_id = ?1 AND person_id = ?2)",
        params![ticket, person],
        |r| r.get(0),
    )
}

/// Everyone the viewer moves a ticket as.
fn movers(tx: &Transaction<'_>, viewer: &Viewer, id: TicketId, t: &Row) -> rusqlite::Result<Vec<Mover>> {
    let mut out = Vec::new();
    if viewer.dispatches(t.house) {
        out.push(Mover::Dispatcher);
    }
    if t.author == viewer.person.id {
        out.push(Mover::Author);
    }
    if is_cosigner(tx, id, viewer.person.id)? {
        out.push(Mover::Cosigner);
    }
    if viewer.is_inspector() {
        out.push(Mover::Inspector);
    }
    if out.is_empty() {
        out.push(Mover::Other);
    }
    Ok(out)
}

/// The ticket as its house sees it, read inside the write.
fn current(tx: &Transaction<'_>, id: TicketId) -> Result<Ticket, TicketRefusal> {
    let found = rows::<Ticket>(tx, ChangeKind::Ticket, "id = ?1", [id])?;
    Ok(found.into_iter().next().map(|(_, t)| t).ok_or(StoreError::NotFound(What::Ticket))?)
}

/// The first premises the person holds in the house.
fn premises_in(tx: &Transaction<'_>, person: PersonId, house: HouseId) -> rusqlite::Result<Option<PremisesId>> {
    tx.query_row(
        "SELECT o.premises_id FROM ownerships o JOIN premises p ON p.id = o.premises_id \
         WHERE o.person_id = ?1 AND p.house_id = ?2 AND o.until IS NULL ORDER BY o.id LIMIT 1",
        params![person, house],
        |r| r.get(0),
    )
    .optional()
}

/// What a status reads as in a chat post.
fn status_words(from: Option<TicketStatus>, to: TicketStatus) -> &'static str {
    match (from, to) {
        (None, _) => "зарегистрирована",
        (Some(TicketStatus::Done), TicketStatus::New) => "открыта повторно",
        (Some(TicketStatus::Done), TicketStatus::InWork) => "возвращена в работу",
        (Some(TicketStatus::InWork), TicketStatus::Accepted) => "работы приостановлены",
        (_, TicketStatus::New) => "зарегистрирована",
        (_, TicketStatus::Accepted) => "принята",
        (_, TicketStatus::InWork) => "в работе",
        (_, TicketStatus::Done) => "выполнена",
        (_, TicketStatus::Rejected) => "отклонена",
        (_, TicketStatus::Withdrawn) => "отозвана",
    }
}

/// Tells the chat of a step of a ticket made from one of its messages, as a reply to it.
fn tell_the_chat(
    tx: &Transaction<'_>,
    id: TicketId,
    t: &Row,
    actor: PersonId,
    step: (Option<TicketStatus>, TicketStatus),
    note: &str,
    (key, at): (&str, &str),
) -> Result<(), TicketRefusal> {
    let Some(original) = t.message else { return Ok(()) };
    let community: CommunityId =
        tx.query_row("SELECT community_id FROM messages WHERE id = ?1", [original], |r| r.get(0))?;
    let deadline: String = tx.query_row("SELECT deadline_at FROM tickets WHERE id = ?1", [id], |r| r.get(0))?;
    let mut body = format!("Заявка №{id} «{}»: {}.", t.title, status_words(step.0, step.1));
    if !step.1.is_closed()
        && let Ok(at) = DateTime::parse_from_rfc3339(&deadline)
        && let Ok(local) = local_time(at.to_utc(), &t.timezone)
    {
        body.push_str(&format!(" Срок — до {}.", local.format("%d.%m %H:%M")));
    }
    if !note.trim().is_empty() {
        body.push_str(&format!(" {}", note.trim()));
    }
    let message: MessageId = tx.query_row(
        "INSERT INTO messages (community_id, author_id, client_key, body, reply_to, created_at, ticket_id) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
        params![community, actor, format!("ticket-{id}-{key}"), body, original, at, id],
        |r| r.get(0),
    )?;
    changelog::record(tx, ChangeKind::Message, message)?;
    Ok(())
}

impl SqliteStore {
    /// Writes one event of a ticket and records the ticket's new state.
    #[allow(clippy::too_many_arguments)]
    fn event(
        &self,
        tx: &Transaction<'_>,
        id: TicketId,
        kind: &str,
        status: TicketStatus,
        actor: PersonId,
        note: &str,
        rating: Option<u8>,
        assignee: Option<PersonId>,
        key: Option<(&str, &str)>,
    ) -> rusqlite::Result<i64> {
        tx.query_row(
            "INSERT INTO ticket_events (ticket_id, kind, status, actor_id, at, note, rating, assignee_id, client_key, \
             request) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id",
            params![
                id,
                kind,
                status.as_str(),
                actor,
                self.now_rfc3339(),
                note,
                rating,
                assignee,
                key.map(|k| k.0),
                key.map(|k| k.1)
            ],
            |r| r.get(0),
        )
    }

    /// A replay of an event by its key: the ticket, or a refusal if the key meant another request.
    fn replayed(
        &self,
        tx: &Transaction<'_>,
        viewer: &Viewer,
        ticket: TicketId,
        key: &str,
        request: &str,
    ) -> Result<Option<Ticket>, TicketRefusal> {
        let seen: Option<(TicketId, Option<String>)> = tx
            .query_row(
                "SELECT ticket_id, request FROM ticket_events WHERE actor_id = ?1 AND client_key = ?2",
                params![viewer.person.id, key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        match seen {
            None => Ok(None),
            Some((id, earlier)) if id == ticket && earlier.as_deref() == Some(request) => Ok(Some(current(tx, id)?)),
            Some(_) => Err(TicketRefusal::KeyReused),
        }
    }
}

fn request_text<T: serde::Serialize>(req: &T) -> Result<String, TicketRefusal> {
    serde_json::to_string(req).map_err(|e| StoreError::Corrupt { kind: "ticket", source: e }.into())
}

impl TicketStore for SqliteStore {
    fn tickets(&self, viewer: &Viewer, house: HouseId, filter: TicketFilter) -> StoreResult<Vec<Ticket>> {
        let c = self.reader()?;
        house_gate(&c, viewer, house)?;
        // Filtered and paged by the (house_id, status) index, not in memory.
        let found = rows(
            &c,
            ChangeKind::Ticket,
            "id IN (SELECT id FROM tickets WHERE house_id = ?1 AND (?2 IS NULL OR status = ?2) AND id > ?3 \
                    ORDER BY id LIMIT ?4) ORDER BY id",
            params![house, filter.status.map(|s| s.as_str()), filter.after, sql_limit(filter.limit)],
        )?;
        Ok(once_each(visible(viewer, found), |t: &Ticket| t.id))
    }

    fn queue(&self, viewer: &Viewer, q: &TicketQuery) -> StoreResult<Vec<Ticket>> {
        let c = self.reader()?;
        if let Some(house) = q.house {
            house_gate(&c, viewer, house)?;
        }
        let houses: Option<String> = if viewer.is_inspector() {
            None
        } else {
            Some(serde_json::to_string(&viewer.houses).map_err(|e| StoreError::Corrupt { kind: "house", source: e })?)
        };
        let (nobody, assignee) = match q.assignee {
            None => (false, None),
            Some(Assignee::Nobody) => (true, None),
            Some(Assignee::Person(p)) => (false, Some(p)),
        };
        let found = rows(
            &c,
            ChangeKind::Ticket,
            "id IN (SELECT id FROM tickets WHERE id > ?1 \
                    AND (?2 IS NULL OR house_id IN (SELECT value FROM json_each(?2))) \
                    AND (?3 IS NULL OR house_id = ?3) AND (?4 IS NULL OR status = ?4) \
                    AND (?5 IS NULL OR category = ?5) AND (?6 = 0 OR assignee_id IS NULL) \
                    AND (?7 IS NULL OR assignee_id = ?7) \
                    AND (?8 = 0 OR (status IN ('new', 'accepted', 'in_work') AND deadline_s < ?9)) \
                    ORDER BY id LIMIT ?10) ORDER BY id",
            params![
                q.after,
                houses,
                q.house,
                q.status.map(|s| s.as_str()),
                q.category.map(|s| s.as_str()),
                nobody,
                assignee,
                q.overdue,
                self.clock.now().timestamp(),
                sql_limit(q.limit)
            ],
        )?;
        Ok(once_each(visible(viewer, found), |t: &Ticket| t.id))
    }

    fn ticket(&self, viewer: &Viewer, id: TicketId) -> StoreResult<Ticket> {
        one(&*self.reader()?, viewer, ChangeKind::Ticket, id, What::Ticket)
    }

    fn ticket_comments(&self, viewer: &Viewer, id: TicketId) -> StoreResult<Vec<TicketComment>> {
        let c = self.reader()?;
        one::<Ticket>(&c, viewer, ChangeKind::Ticket, id, What::Ticket)?;
        Ok(visible(
            viewer,
            rows(
                &c,
                ChangeKind::TicketComment,
                "id IN (SELECT id FROM ticket_comments WHERE ticket_id = ?1) ORDER BY id",
                [id],
            )?,
        ))
    }

    fn file_ticket(&self, viewer: &Viewer, req: &FileTicket) -> Result<Filed, TicketRefusal> {
        let request = request_text(req)?;
        let now = self.clock.now();
        self.write(|tx| {
            let seen: Option<(TicketId, Option<String>)> = tx
                .query_row(
                    "SELECT id, request FROM tickets WHERE client_key = ?2 AND \
                     (author_id = ?1 OR id IN (SELECT ticket_id FROM ticket_events WHERE actor_id = ?1 AND client_key = ?2))",
                    params![viewer.person.id, req.client_key],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            if let Some((id, earlier)) = seen {
                return if earlier.as_deref() == Some(request.as_str()) {
                    Ok(Filed { ticket: current(tx, id)?, created: false })
                } else {
                    Err(TicketRefusal::KeyReused)
                };
            }
            let used: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM ticket_events WHERE actor_id = ?1 AND client_key = ?2)",
                params![viewer.person.id, req.client_key],
                |r| r.get(0),
            )?;
            if used {
                return Err(TicketRefusal::KeyReused);
            }
            house_gate(tx, viewer, req.house_id)?;
            let (floors, timezone): (i64, String) =
                tx.query_row("SELECT floors, timezone FROM houses WHERE id = ?1", [req.house_id], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?;
            let entrances: i64 =
                tx.query_row("SELECT count(*) FROM entrances WHERE house_id = ?1", [req.house_id], |r| r.get(0))?;
            // Who the ticket is for: a resident files their own; a dispatcher makes one from a
            // resident's chat message, for its author.
            let mut source = TicketSource::Resident;
            let author = if let Some(message) = req.message_id {
                let found: Option<(PersonId, CommunityId, Option<HouseId>, bool)> = tx
                    .query_row(
                        "SELECT m.author_id, c.id, c.house_id, m.deleted_at IS NULL FROM messages m \
                         JOIN communities c ON c.id = m.community_id WHERE m.id = ?1 AND c.kind = 'house_chat'",
                        [message],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                    )
                    .optional()?;
                let Some((writer, community, Some(house), true)) = found else {
                    return Err(TicketRefusal::MessageElsewhere);
                };
                let readable = viewer.sees(crate::store::Scope::Community(community)) || viewer.dispatches(house);
                if house != req.house_id || !readable {
                    return Err(TicketRefusal::MessageElsewhere);
                }
                let made: Option<TicketId> =
                    tx.query_row("SELECT id FROM tickets WHERE message_id = ?1", [message], |r| r.get(0)).optional()?;
                if let Some(made) = made {
                    return Err(TicketRefusal::MessageAlreadyTicket(made));
                }
                source = TicketSource::Chat;
                // A dispatcher makes one of a resident's message, for them; a resident only of
                // their own.
                if !viewer.dispatches(req.house_id) && writer != viewer.person.id {
                    return Err(TicketRefusal::MessageElsewhere);
                }
                writer
            } else {
                viewer.person.id
            };
            let author_premises = premises_in(tx, author, req.house_id)?;
            if author_premises.is_none() {
                return Err(TicketRefusal::NotResident);
            }
            let today: i64 = tx.query_row(
                "SELECT count(*) FROM tickets WHERE author_id = ?1 AND CAST(strftime('%s', created_at) AS INTEGER) >= ?2",
                params![author, (now - chrono::Duration::days(1)).timestamp()],
                |r| r.get(0),
            )?;
            if today >= DAILY_TICKETS {
                return Err(TicketRefusal::DailyLimit);
            }
            let checked = check_ticket(req, HouseShape { entrances, floors })?;
            let deadline = ticket_deadline(&checked.rule, now, &timezone)
                .map_err(|e| StoreError::Corrupt { kind: "house", source: serde::de::Error::custom(e) })?;
            let created_at = self.now_rfc3339();
            let premises = if req.place == TicketPlace::Flat { author_premises } else { None };
            let id: TicketId = tx.query_row(
                "INSERT INTO tickets (house_id, premises_id, author_id, category, problem, emergency, place, entrance, \
                 floor, source, message_id, title, body, status, created_at, deadline_at, updated_at, client_key, \
                 request) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 'new', ?14, ?15, ?14, ?16, \
                 ?17) RETURNING id",
                params![
                    req.house_id,
                    premises,
                    author,
                    req.category.as_str(),
                    req.problem.map(|p| p.as_str()),
                    checked.emergency,
                    req.place.as_str(),
                    req.entrance,
                    req.floor,
                    source.as_str(),
                    req.message_id,
                    checked.title,
                    checked.body,
                    created_at,
                    stamp(deadline),
                    req.client_key,
                    request
                ],
                |r| r.get(0),
            )?;
            // Its photos: each one the filer uploaded, in the order given (a repeat counts once).
            for (position, photo) in req.photos.iter().enumerate() {
                let theirs: bool = tx.query_row(
                    "SELECT EXISTS (SELECT 1 FROM photos WHERE id = ?1 AND uploaded_by = ?2) \
                     OR EXISTS (SELECT 1 FROM uploads WHERE photo_id = ?1 AND owner_id = ?2)",
                    params![photo, viewer.person.id],
                    |r| r.get(0),
                )?;
                if !theirs {
                    return Err(TicketRefusal::PhotoUnknown(photo.clone()));
                }
                tx.execute(
                    "INSERT OR IGNORE INTO ticket_photos (ticket_id, photo_id, position) VALUES (?1, ?2, ?3)",
                    params![id, photo, position as i64],
                )?;
            }
            let key = (req.client_key.as_str(), request.as_str());
            let actor = viewer.person.id;
            let event = self.event(tx, id, "status", TicketStatus::New, actor, "", None, None, Some(key))?;
            changelog::record(tx, ChangeKind::Ticket, id)?;
            if let Some(message) = req.message_id {
                changelog::record(tx, ChangeKind::Message, message)?;
                let t = row(tx, viewer, id)?;
                tell_the_chat(tx, id, &t, actor, (None, TicketStatus::New), "", (&event.to_string(), &created_at))?;
            }
            Ok(Filed { ticket: current(tx, id)?, created: true })
        })
    }

    fn move_ticket(&self, viewer: &Viewer, id: TicketId, req: &MoveTicket) -> Result<Filed, TicketRefusal> {
        let request = request_text(req)?;
        let now = self.clock.now();
        self.write(|tx| {
            if let Some(ticket) = self.replayed(tx, viewer, id, &req.client_key, &request)? {
                return Ok(Filed { ticket, created: false });
            }
            let t = row(tx, viewer, id)?;
            let mut step = TicketMove { from: req.from, to: req.to, note: req.note.clone(), rating: req.rating };
            let done_at = t.closed_at.as_deref().and_then(|c| DateTime::parse_from_rfc3339(c).ok()).map(|d| d.to_utc());
            let mut verdict = Ok(());
            for mover in movers(tx, viewer, id, &t)? {
                verdict = may_move(mover, &step, done_at.filter(|_| t.status == TicketStatus::Done), now);
                if verdict.is_ok() {
                    break;
                }
            }
            verdict?;
            step.note = step.note.trim().to_owned();
            if t.status != req.from {
                return Err(TicketRefusal::StatusChanged(t.status));
            }
            let key = (req.client_key.as_str(), request.as_str());
            // The author withdraws from a ticket neighbours joined: they still have the
            // problem, so it stays open and passes to the one who joined first.
            if req.to == TicketStatus::Withdrawn && t.author == viewer.person.id {
                let heir: Option<PersonId> = tx
                    .query_row(
                        "SELECT person_id FROM ticket_cosigners WHERE ticket_id = ?1 ORDER BY joined_at, person_id LIMIT 1",
                        [id],
                        |r| r.get(0),
                    )
                    .optional()?;
                if let Some(heir) = heir {
                    tx.execute("DELETE FROM ticket_cosigners WHERE ticket_id = ?1 AND person_id = ?2", params![id, heir])?;
                    tx.execute(
                        "UPDATE tickets SET author_id = ?2, updated_at = ?3 WHERE id = ?1",
                        params![id, heir, self.now_rfc3339()],
                    )?;
                    self.event(tx, id, "handover", t.status, viewer.person.id, &step.note, None, Some(heir), Some(key))?;
                    changelog::record(tx, ChangeKind::Ticket, id)?;
                    return Ok(Filed { ticket: current(tx, id)?, created: true });
                }
            }
            let reopening = req.from == TicketStatus::Done && req.to == TicketStatus::New;
            if reopening && t.confirmed {
                return Err(TicketRefusal::AlreadyConfirmed);
            }
            let stamped = self.now_rfc3339();
            tx.execute(
                "UPDATE tickets SET status = ?2, updated_at = ?3, closed_at = iif(?4, ?3, NULL) WHERE id = ?1",
                params![id, req.to.as_str(), stamped, req.to.is_closed()],
            )?;
            if req.from == TicketStatus::Done {
                // Sent back or reopened: the work is to be done (and confirmed) again.
                tx.execute("UPDATE tickets SET confirmed_at = NULL, rating = NULL WHERE id = ?1", [id])?;
            }
            if reopening {
                let (category, problem, emergency): (String, Option<String>, bool) =
                    tx.query_row("SELECT category, problem, emergency FROM tickets WHERE id = ?1", [id], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                    })?;
                let rule = domkom_domain::ticket::TicketCategory::parse(&category).and_then(|c| {
                    let p = problem.as_deref().and_then(domkom_domain::ticket::TicketProblem::parse);
                    domkom_domain::ticket::find_rule(domkom_domain::ticket::FEDERAL_RULES, c, p, emergency).copied()
                });
                tx.execute("UPDATE tickets SET reopened = reopened + 1 WHERE id = ?1", [id])?;
                if let Some(rule) = rule {
                    let deadline = ticket_deadline(&rule, now, &t.timezone)
                        .map_err(|e| StoreError::Corrupt { kind: "house", source: serde::de::Error::custom(e) })?;
                    tx.execute("UPDATE tickets SET deadline_at = ?2 WHERE id = ?1", params![id, stamp(deadline)])?;
                }
            }
            let event =
                self.event(tx, id, "status", req.to, viewer.person.id, &step.note, req.rating, None, Some(key))?;
            changelog::record(tx, ChangeKind::Ticket, id)?;
            let post = (event.to_string(), stamped);
            tell_the_chat(tx, id, &t, viewer.person.id, (Some(req.from), req.to), &step.note, (&post.0, &post.1))?;
            Ok(Filed { ticket: current(tx, id)?, created: true })
        })
    }

    fn confirm_ticket(&self, viewer: &Viewer, id: TicketId, req: &ConfirmTicket) -> Result<Filed, TicketRefusal> {
        let request = request_text(req)?;
        self.write(|tx| {
            if let Some(ticket) = self.replayed(tx, viewer, id, &req.client_key, &request)? {
                return Ok(Filed { ticket, created: false });
            }
            let t = row(tx, viewer, id)?;
            if t.author != viewer.person.id {
                return Err(TicketRefusal::NotAuthor);
            }
            if t.status != TicketStatus::Done {
                return Err(TicketRefusal::NotDone);
            }
            if t.confirmed {
                return Err(TicketRefusal::AlreadyConfirmed);
            }
            if req.rating.is_some_and(|r| !(1..=5).contains(&r)) {
                return Err(domkom_domain::ticket::MoveRefusal::RatingInvalid.into());
            }
            let stamped = self.now_rfc3339();
            tx.execute(
                "UPDATE tickets SET confirmed_at = ?2, rating = ?3, updated_at = ?2 WHERE id = ?1",
                params![id, stamped, req.rating],
            )?;
            let key = (req.client_key.as_str(), request.as_str());
            self.event(tx, id, "confirm", TicketStatus::Done, viewer.person.id, "", req.rating, None, Some(key))?;
            changelog::record(tx, ChangeKind::Ticket, id)?;
            Ok(Filed { ticket: current(tx, id)?, created: true })
        })
    }

    fn assign_ticket(&self, viewer: &Viewer, id: TicketId, req: &AssignTicket) -> Result<Ticket, TicketRefusal> {
        self.write(|tx| {
            let t = row(tx, viewer, id)?;
            if !viewer.dispatches(t.house) {
                return Err(TicketRefusal::NotDispatcher);
            }
            if let Some(person) = req.assignee_id {
                let on_staff: bool = tx.query_row(
                    "SELECT EXISTS (SELECT 1 FROM persons p JOIN management_periods mp ON mp.org_id = p.org_id \
                     WHERE p.id = ?1 AND mp.house_id = ?2 AND mp.to_date IS NULL \
                     AND (p.trade IS NOT NULL OR p.staff_role = 'dispatcher'))",
                    params![person, t.house],
                    |r| r.get(0),
                )?;
                if !on_staff {
                    return Err(TicketRefusal::NotStaff(person));
                }
            }
            let before: Option<PersonId> =
                tx.query_row("SELECT assignee_id FROM tickets WHERE id = ?1", [id], |r| r.get(0))?;
            if before == req.assignee_id {
                return current(tx, id);
            }
            tx.execute(
                "UPDATE tickets SET assignee_id = ?2, updated_at = ?3 WHERE id = ?1",
                params![id, req.assignee_id, self.now_rfc3339()],
            )?;
            self.event(tx, id, "assign", t.status, viewer.person.id, "", None, req.assignee_id, None)?;
            changelog::record(tx, ChangeKind::Ticket, id)?;
            current(tx, id)
        })
    }

    fn comment_ticket(&self, viewer: &Viewer, id: TicketId, req: &CommentTicket) -> Result<Commented, TicketRefusal> {
        let request = request_text(req)?;
        self.write(|tx| {
            let seen: Option<(TicketCommentId, TicketId, Option<String>)> = tx
                .query_row(
                    "SELECT id, ticket_id, request FROM ticket_comments WHERE author_id = ?1 AND client_key = ?2",
                    params![viewer.person.id, req.client_key],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            if let Some((cid, on, earlier)) = seen {
                return if on == id && earlier.as_deref() == Some(request.as_str()) {
                    Ok(Commented { comment: comment(tx, cid)?, created: false })
                } else {
                    Err(TicketRefusal::KeyReused)
                };
            }
            let t = row(tx, viewer, id)?;
            let staff = viewer.dispatches(t.house);
            if req.internal && !staff {
                return Err(TicketRefusal::InternalForbidden);
            }
            if !staff && t.author != viewer.person.id && !is_cosigner(tx, id, viewer.person.id)? {
                return Err(TicketRefusal::NotParticipant);
            }
            if !staff && t.status.is_closed() {
                return Err(TicketRefusal::Closed);
            }
            let body = check_comment(&req.body)?;
            let cid: TicketCommentId = tx.query_row(
                "INSERT INTO ticket_comments (ticket_id, author_id, internal, body, created_at, client_key, request) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
                params![id, viewer.person.id, req.internal, body, self.now_rfc3339(), req.client_key, request],
                |r| r.get(0),
            )?;
            changelog::record(tx, ChangeKind::TicketComment, cid)?;
            Ok(Commented { comment: comment(tx, cid)?, created: true })
        })
    }

    fn cosign_ticket(&self, viewer: &Viewer, id: TicketId, join: bool) -> Result<Ticket, TicketRefusal> {
        self.write(|tx| {
            let t = row(tx, viewer, id)?;
            let Some(premises) = premises_in(tx, viewer.person.id, t.house)? else {
                return Err(TicketRefusal::NotResident);
            };
            if join {
                if t.author == viewer.person.id || t.place == TicketPlace::Flat {
                    return Err(TicketRefusal::CannotCosign);
                }
                if t.status.is_closed() {
                    return Err(TicketRefusal::Closed);
                }
                tx.execute(
                    "INSERT OR IGNORE INTO ticket_cosigners (ticket_id, person_id, premises_id, joined_at) \
                     VALUES (?1, ?2, ?3, ?4)",
                    params![id, viewer.person.id, premises, self.now_rfc3339()],
                )?;
            } else {
                tx.execute(
                    "DELETE FROM ticket_cosigners WHERE ticket_id = ?1 AND person_id = ?2",
                    params![id, viewer.person.id],
                )?;
            }
            if tx.changes() > 0 {
                changelog::record(tx, ChangeKind::Ticket, id)?;
            }
            current(tx, id)
        })
    }

    fn staff(&self, viewer: &Viewer, house: HouseId) -> StoreResult<Vec<Staff>> {
        let c = self.reader()?;
        house_gate(&c, viewer, house)?;
        if !viewer.is_inspector() && !viewer.dispatches(house) {
            return Err(StoreError::NotVisible(What::Person));
        }
        let mut stmt = c.prepare_cached(
            "SELECT p.id, p.full_name, p.org_id, coalesce(p.trade, 'dispatcher') FROM persons p \
             JOIN management_periods mp ON mp.org_id = p.org_id AND mp.to_date IS NULL \
             WHERE mp.house_id = ?1 AND (p.trade IS NOT NULL OR p.staff_role = 'dispatcher') \
             ORDER BY p.trade IS NULL, p.trade, p.full_name",
        )?;
        let found = stmt
            .query_map([house], |r| {
                Ok(Staff { person_id: r.get(0)?, name: r.get(1)?, org_id: r.get(2)?, trade: r.get(3)? })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(found)
    }
}

/// One comment as stored, for its author.
fn comment(tx: &Transaction<'_>, id: TicketCommentId) -> Result<TicketComment, TicketRefusal> {
    let found = rows::<TicketComment>(tx, ChangeKind::TicketComment, "id = ?1", [id])?;
    Ok(found.into_iter().next().map(|(_, c)| c).ok_or(StoreError::NotFound(What::TicketComment))?)
}
