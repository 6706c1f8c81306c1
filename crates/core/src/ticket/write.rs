//! `client.tickets()`: a person's tickets from the cache (offline too), and the writes, each
//! checked here by the rules the server applies so a mistake is said at once, then sent
//! through the outbox (now, or when the link is back, exactly once).

use serde::{Deserialize, Serialize};

use domkom_domain::id::*;
use domkom_domain::role::StaffRole;
use domkom_domain::ticket::{
    FileTicket, HouseShape, MoveRefusal, Staff, TicketCategory, TicketMove, TicketPlace, TicketProblem, TicketStatus,
    check_comment, check_ticket, may_move, ticket_deadline,
};
use domkom_domain::wire;

use super::desk::{QueuePage, TicketQuery};
use super::{Me, TicketView};
use crate::cache::Cache;
use crate::client::Written;
use crate::error::{CoreError, Result};
use crate::outbox::{OutboxState, Request};
use crate::sync::blocking;

/// A ticket as a person fills it in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TicketDraft {
    /// The house.
    pub house_id: HouseId,
    /// What it is about.
    pub category: TicketCategory,
    /// What exactly, where the category alone does not set the deadline.
    #[serde(default)]
    pub problem: Option<TicketProblem>,
    /// An emergency.
    #[serde(default)]
    pub emergency: bool,
    /// Where.
    pub place: TicketPlace,
    /// The entrance, for a place in one.
    #[serde(default)]
    pub entrance: Option<i64>,
    /// The floor, for a landing.
    #[serde(default)]
    pub floor: Option<i64>,
    /// What is wrong.
    pub body: String,
    /// The chat message it is made from.
    #[serde(default)]
    pub message_id: Option<MessageId>,
    /// Photos chosen for it (`add_photo`'s keys), at most five.
    #[serde(default)]
    pub photos: Vec<String>,
}

/// A ticket filed but not yet delivered: shown with the deadline the rules give it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PendingTicket {
    /// Its outbox key.
    pub client_key: String,
    /// The house.
    pub house_id: HouseId,
    /// Category.
    pub category: TicketCategory,
    /// The text.
    pub body: String,
    /// The deadline counted from when it was filed.
    pub deadline_at: String,
    /// How many photos go with it.
    pub photos: u32,
    /// Waiting or refused.
    pub state: OutboxState,
    /// Why it was refused.
    pub error_message: Option<String>,
    /// The refusal's code, for wording it in the person's language.
    pub error_code: Option<String>,
    /// The values the refusal names.
    pub error_params: std::collections::BTreeMap<String, String>,
}

/// A ticket with its comments, as the person may read and work it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TicketDetail {
    /// The ticket and what the person may do.
    pub view: TicketView,
    /// Its comments the person may read, oldest first.
    pub comments: Vec<wire::TicketComment>,
}

/// A person's tickets.
pub struct Tickets<'a> {
    pub(super) client: &'a crate::Client,
}

impl crate::Client {
    /// Tickets: the person's houses' (a dispatcher's: the organisation's), and the desk.
    pub fn tickets(&self) -> Tickets<'_> {
        Tickets { client: self }
    }
}

pub(super) fn no_ticket(id: TicketId) -> CoreError {
    CoreError::invalid(
        "no_such_ticket",
        &[("id", id.to_string())],
        format!("no ticket {id} among your houses'; `domkom tickets` lists them"),
    )
}

impl Cache {
    /// Who the signed-in person is to tickets.
    pub(crate) fn ticket_me(&self) -> Result<Me> {
        let person = self.person()?;
        let houses_lived = self.read(|c| {
            let mut stmt = c.prepare_cached("SELECT DISTINCT house_id FROM ownerships ORDER BY house_id")?;
            let rows = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<HouseId>>>()?;
            Ok(rows)
        })?;
        // A dispatcher works the tickets of the houses their organisation manages now.
        let org = person.as_ref().filter(|p| p.staff_role == Some(StaffRole::Dispatcher)).and_then(|p| p.org_id);
        let dispatches = match org {
            None => Vec::new(),
            Some(org) => self
                .houses()?
                .into_iter()
                .filter(|h| h.org.as_ref().is_some_and(|o| o.id == org))
                .map(|h| h.id)
                .collect(),
        };
        Ok(Me { id: person.map_or(PersonId(0), |p| p.id), dispatches, houses_lived })
    }
}

impl Tickets<'_> {
    pub(super) fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.client.api.http().clock().now()
    }

    /// The tickets of a house (or of all the person's houses), newest first, each with what
    /// the person may do (works offline).
    pub async fn list(&self, house: Option<HouseId>) -> Result<Vec<TicketView>> {
        let now = self.now();
        blocking(&self.client.cache, move |c| {
            let me = c.ticket_me()?;
            let houses: Vec<HouseId> = match house {
                Some(h) => vec![h],
                None => c.houses()?.into_iter().map(|h| h.id).collect(),
            };
            let mut out = Vec::new();
            for h in houses {
                out.extend(c.tickets(h.get())?.into_iter().map(|t| TicketView::of(t, &me, now)));
            }
            out.sort_by_key(|v| std::cmp::Reverse(v.ticket.id));
            Ok(out)
        })
        .await
    }

    /// One ticket with its comments (works offline).
    pub async fn show(&self, id: TicketId) -> Result<TicketDetail> {
        let now = self.now();
        blocking(&self.client.cache, move |c| {
            let me = c.ticket_me()?;
            let ticket = c.ticket(id)?.ok_or_else(|| no_ticket(id))?;
            Ok(TicketDetail { view: TicketView::of(ticket, &me, now), comments: c.ticket_comments(id)? })
        })
        .await
    }

    /// The ticket filed with this key, once delivered.
    pub async fn by_key(&self, client_key: &str) -> Result<Option<wire::Ticket>> {
        let key = client_key.to_owned();
        blocking(&self.client.cache, move |c| c.ticket_by_key(&key)).await
    }

    /// Tickets filed here and not yet delivered, oldest first, with their provisional deadlines.
    pub async fn pending(&self) -> Result<Vec<PendingTicket>> {
        blocking(&self.client.cache, |c| {
            Ok(c.outbox()?
                .into_iter()
                .filter_map(|item| match item.request {
                    Request::FileTicket { house_id, category, body, deadline_at, photos, .. } => Some(PendingTicket {
                        client_key: item.client_key,
                        house_id,
                        category,
                        body,
                        deadline_at,
                        photos: photos.len() as u32,
                        state: item.state,
                        error_message: item.error_message,
                        error_code: item.error_code,
                        error_params: item.error_params,
                    }),
                    _ => None,
                })
                .collect())
        })
        .await
    }

    /// Open tickets of the house about common property in a category, which the person may
    /// join instead of filing the same again ("me too"; works offline).
    pub async fn similar(&self, house: HouseId, category: TicketCategory) -> Result<Vec<TicketView>> {
        Ok(self
            .list(Some(house))
            .await?
            .into_iter()
            .filter(|v| v.ticket.category == category && !v.ticket.status.is_closed())
            .filter(|v| v.ticket.place != TicketPlace::Flat)
            .collect())
    }

    /// Checks a draft without filing it, as the form is filled in; gives the deadline the
    /// rules would set now (RFC 3339).
    pub async fn check(&self, draft: TicketDraft) -> Result<String> {
        Ok(self.checked(draft).await?.1)
    }

    /// Files a ticket. Checked here first (the house's entrances and floors, the text, the
    /// emergency), so a mistake is said at once, offline too; then it goes through the outbox.
    pub async fn file(&self, draft: TicketDraft) -> Result<Written> {
        let photos = draft.photos.clone();
        let photos = blocking(&self.client.cache, move |c| super::photo::check_draft_photos(c, &photos)).await?;
        let (req, deadline_at) = self.checked(draft).await?;
        let FileTicket { house_id, category, problem, emergency, place, entrance, floor, body, message_id, .. } = req;
        self.client
            .enqueue(Request::FileTicket {
                house_id,
                category,
                problem,
                emergency,
                place,
                entrance,
                floor,
                body,
                message_id,
                deadline_at,
                photos,
            })
            .await
    }

    async fn checked(&self, draft: TicketDraft) -> Result<(FileTicket, String)> {
        let now = self.now();
        blocking(&self.client.cache, move |c| {
            let house = c.house(draft.house_id)?.ok_or_else(|| {
                CoreError::invalid(
                    "no_such_house",
                    &[("house", draft.house_id.to_string())],
                    format!("house {} is not one of yours; `domkom houses` lists them", draft.house_id),
                )
            })?;
            let me = c.ticket_me()?;
            let may_file = me.houses_lived.contains(&draft.house_id)
                || (me.dispatches.contains(&draft.house_id) && draft.message_id.is_some());
            if !may_file {
                return Err(CoreError::invalid(
                    "ticket_not_resident",
                    &[],
                    "only residents of the house file its tickets; a dispatcher makes one from a resident's chat message",
                ));
            }
            let req = FileTicket {
                client_key: String::new(),
                house_id: draft.house_id,
                category: draft.category,
                problem: draft.problem,
                emergency: draft.emergency,
                place: draft.place,
                entrance: draft.entrance,
                floor: draft.floor,
                body: draft.body.trim().to_owned(),
                message_id: draft.message_id,
                photos: Vec::new(),
            };
            let shape = HouseShape { entrances: house.entrances.len() as i64, floors: house.floors };
            let checked = check_ticket(&req, shape).map_err(|e| CoreError::refused(&e))?;
            let deadline = ticket_deadline(&checked.rule, now, &house.timezone)
                .map_err(|e| CoreError::cache(format!("a cached house has a bad time zone: {e}")))?;
            Ok((req, deadline.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)))
        })
        .await
    }

    /// Moves a ticket, checked by the table of moves against the cached ticket.
    pub async fn move_to(&self, id: TicketId, to: TicketStatus, note: &str, rating: Option<u8>) -> Result<Written> {
        let now = self.now();
        let note = note.trim().to_owned();
        let request = blocking(&self.client.cache, move |c| {
            let me = c.ticket_me()?;
            let ticket = c.ticket(id)?.ok_or_else(|| no_ticket(id))?;
            let view = TicketView::of(ticket.clone(), &me, now);
            let step = TicketMove { from: ticket.status, to, note: note.clone(), rating };
            if !view.moves.iter().any(|m| m.to == to) {
                let invalid = domkom_domain::ticket::moves_for(domkom_domain::ticket::Mover::Dispatcher, ticket.status)
                    .iter()
                    .chain(domkom_domain::ticket::moves_for(domkom_domain::ticket::Mover::Author, ticket.status).iter())
                    .all(|m| m.0 != to);
                let refusal = if invalid {
                    MoveRefusal::Invalid { from: ticket.status, to }
                } else {
                    MoveRefusal::Forbidden { from: ticket.status, to }
                };
                return Err(CoreError::refused(&refusal));
            }
            let done_at = ticket.closed_at.as_deref().and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok());
            let done_at = done_at.map(|d| d.to_utc()).filter(|_| ticket.status == TicketStatus::Done);
            // As the server does: the move passes if any of the person's parts may make it.
            let mut verdict = Ok(());
            for mover in view.movers() {
                verdict = may_move(mover, &step, done_at, now);
                if verdict.is_ok() {
                    break;
                }
            }
            verdict.map_err(|e| CoreError::refused(&e))?;
            Ok(Request::MoveTicket { ticket_id: id, from: ticket.status, to, note, rating })
        })
        .await?;
        self.client.enqueue(request).await
    }

    /// The author confirms a done ticket.
    pub async fn confirm(&self, id: TicketId, rating: Option<u8>) -> Result<Written> {
        let now = self.now();
        blocking(&self.client.cache, move |c| {
            let me = c.ticket_me()?;
            let ticket = c.ticket(id)?.ok_or_else(|| no_ticket(id))?;
            if !TicketView::of(ticket, &me, now).can_confirm {
                return Err(CoreError::invalid("ticket_not_done", &[], "only the author confirms a done ticket, once"));
            }
            if rating.is_some_and(|r| !(1..=5).contains(&r)) {
                return Err(CoreError::refused(&MoveRefusal::RatingInvalid));
            }
            Ok(())
        })
        .await?;
        self.client.enqueue(Request::ConfirmTicket { ticket_id: id, rating }).await
    }

    /// A dispatcher gives a ticket to an executor of the organisation, or takes it back.
    pub async fn assign(&self, id: TicketId, assignee: Option<PersonId>) -> Result<Written> {
        let now = self.now();
        blocking(&self.client.cache, move |c| {
            let me = c.ticket_me()?;
            let ticket = c.ticket(id)?.ok_or_else(|| no_ticket(id))?;
            if !TicketView::of(ticket.clone(), &me, now).staff {
                return Err(CoreError::invalid(
                    "not_dispatcher",
                    &[],
                    "only a dispatcher of the managing organisation assigns tickets",
                ));
            }
            if let Some(person) = assignee {
                let staff = c.staff(ticket.house_id)?;
                if !staff.is_empty() && !staff.iter().any(|s| s.person_id == person) {
                    return Err(CoreError::invalid(
                        "assignee_not_staff",
                        &[("person", person.to_string())],
                        format!("person {person} is not on the organisation's staff; `domkom staff` lists them"),
                    ));
                }
            }
            Ok(())
        })
        .await?;
        self.client.enqueue(Request::AssignTicket { ticket_id: id, assignee_id: assignee }).await
    }

    /// Comments on a ticket (internal: for the staff only, and only staff write those).
    pub async fn comment(&self, id: TicketId, body: &str, internal: bool) -> Result<Written> {
        let now = self.now();
        let body = check_comment(body.trim()).map_err(|e| CoreError::refused(&e))?;
        blocking(&self.client.cache, move |c| {
            let me = c.ticket_me()?;
            let ticket = c.ticket(id)?.ok_or_else(|| no_ticket(id))?;
            let view = TicketView::of(ticket, &me, now);
            if internal && !view.staff {
                return Err(CoreError::invalid(
                    "comment_internal_forbidden",
                    &[],
                    "only staff write internal comments",
                ));
            }
            if !view.can_comment {
                return Err(CoreError::invalid(
                    "ticket_not_participant",
                    &[],
                    "only the ticket's author, co-signers and the staff comment on an open ticket",
                ));
            }
            Ok(())
        })
        .await?;
        self.client.enqueue(Request::CommentTicket { ticket_id: id, body, internal }).await
    }

    /// Joins a ticket ("me too"), or leaves it.
    pub async fn join(&self, id: TicketId, join: bool) -> Result<Written> {
        let now = self.now();
        blocking(&self.client.cache, move |c| {
            let me = c.ticket_me()?;
            let ticket = c.ticket(id)?.ok_or_else(|| no_ticket(id))?;
            let view = TicketView::of(ticket, &me, now);
            if join && !view.can_join {
                return Err(CoreError::invalid(
                    "ticket_cannot_cosign",
                    &[],
                    "join an open ticket of your house about common property, not your own",
                ));
            }
            Ok(())
        })
        .await?;
        self.client.enqueue(Request::JoinTicket { ticket_id: id, join }).await
    }

    /// How many open tickets of the houses the person dispatches are past their deadline by
    /// the server's clock (none for a resident): for the window title.
    pub async fn overdue_count(&self) -> Result<i64> {
        let now = self.now().timestamp();
        blocking(&self.client.cache, move |c| {
            let houses = c.ticket_me()?.dispatches;
            if houses.is_empty() {
                return Ok(0);
            }
            let query = TicketQuery { overdue: true, houses, limit: 1, ..TicketQuery::default() };
            Ok(i64::from(c.queue(&query, now)?.total))
        })
        .await
    }

    /// The queue at the server's clock (works offline).
    pub async fn queue(&self, query: TicketQuery) -> Result<QueuePage> {
        let now = self.now().timestamp();
        blocking(&self.client.cache, move |c| c.queue(&query, now)).await
    }

    /// The staff of a house's organisation: fetched when online and kept, so assigning works
    /// offline after.
    pub async fn staff(&self, house: HouseId) -> Result<Vec<Staff>> {
        match self.client.api.staff(house).await {
            Ok(staff) => {
                let kept = staff.clone();
                blocking(&self.client.cache, move |c| c.keep_staff(house, &kept)).await?;
                Ok(staff)
            }
            Err(e) if e.is_transient() => blocking(&self.client.cache, move |c| c.staff(house)).await,
            Err(e) => Err(e),
        }
    }
}

impl Cache {
    /// The kept staff of a house's organisation.
    pub fn staff(&self, house: HouseId) -> Result<Vec<Staff>> {
        self.read(|c| crate::cache::payloads(c, "SELECT payload FROM staff WHERE house_id = ?1", [house]))
    }

    /// Keeps the staff of a house's organisation.
    pub fn keep_staff(&self, house: HouseId, staff: &[Staff]) -> Result<()> {
        self.write(|tx| {
            tx.execute("DELETE FROM staff WHERE house_id = ?1", [house])?;
            for s in staff {
                tx.execute(
                    "INSERT INTO staff (house_id, person_id, payload) VALUES (?1, ?2, ?3)",
                    rusqlite::params![house, s.person_id, serde_json::to_string(s).unwrap_or_default()],
                )?;
            }
            Ok(())
        })
    }
}
