//! What the outbox can hold: one variant per kind of write, its call to the server and
//! where its answer is stored. A new kind of write (a reading, a ticket, a vote) is a new
//! variant here; the queue, its retries and its failed state serve it unchanged.

use rusqlite::Transaction;
use serde::{Deserialize, Serialize};

use domkom_domain::id::*;
use domkom_domain::meter::SubmitReading;
use domkom_domain::notice::{OutageType, PostOutage};
use domkom_domain::ticket::{
    AssignTicket, CommentTicket, ConfirmTicket, FileTicket, MoveTicket, TicketCategory, TicketPlace, TicketProblem,
    TicketStatus,
};
use domkom_domain::wire;

use crate::api::Api;
use crate::cache::Cache;
use crate::error::{CoreError, Result};
use crate::events::Event;

/// A write waiting in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Request {
    /// A message to a chat.
    SendMessage {
        /// The community.
        community_id: CommunityId,
        /// The text, already checked by the message rules.
        body: String,
        /// The message replied to.
        reply_to: Option<MessageId>,
        /// In a microdistrict channel: the houses the post is for (empty: all).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        houses: Vec<HouseId>,
    },
    /// A meter reading, already checked by the reading rules against the cache.
    SubmitReading {
        /// The meter.
        device_id: DeviceId,
        /// Zone T1 (or the only zone), as entered.
        t1: String,
        /// Zone T2.
        t2: Option<String>,
        /// Zone T3.
        t3: Option<String>,
        /// The person confirmed a use far above the usual.
        confirm: bool,
    },
    /// A dispatcher's outage notice, already checked by the outage rules.
    PostOutage {
        /// The houses affected.
        houses: Vec<HouseId>,
        /// The service's stable name, e.g. `cold_water`.
        service: String,
        /// How far the outage goes.
        outage_type: OutageType,
        /// Start, RFC 3339 UTC.
        starts_at: String,
        /// End, RFC 3339 UTC.
        ends_at: String,
        /// Why.
        reason: String,
    },
    /// A ticket, already checked by the filing rules.
    FileTicket {
        /// The house.
        house_id: HouseId,
        /// What it is about.
        category: TicketCategory,
        /// What exactly.
        problem: Option<TicketProblem>,
        /// An emergency.
        emergency: bool,
        /// Where.
        place: TicketPlace,
        /// The entrance.
        entrance: Option<i64>,
        /// The floor.
        floor: Option<i64>,
        /// The text.
        body: String,
        /// The chat message it is made from.
        message_id: Option<MessageId>,
        /// The deadline the rules give it from the moment it was queued (the server's counts).
        deadline_at: String,
        /// The keys of its photos waiting in the outbox file, uploaded just before it is filed.
        #[serde(default)]
        photos: Vec<String>,
    },
    /// A move of a ticket, already checked by the table of moves.
    MoveTicket {
        /// The ticket.
        ticket_id: TicketId,
        /// The status the person saw.
        from: TicketStatus,
        /// The status asked for.
        to: TicketStatus,
        /// The reason.
        note: String,
        /// The rating, for a reopening.
        rating: Option<u8>,
    },
    /// The author confirms the work done.
    ConfirmTicket {
        /// The ticket.
        ticket_id: TicketId,
        /// The rating.
        rating: Option<u8>,
    },
    /// A dispatcher gives a ticket to an executor (none: takes it back).
    AssignTicket {
        /// The ticket.
        ticket_id: TicketId,
        /// The executor.
        assignee_id: Option<PersonId>,
    },
    /// A comment on a ticket.
    CommentTicket {
        /// The ticket.
        ticket_id: TicketId,
        /// The text, checked.
        body: String,
        /// For the staff only.
        internal: bool,
    },
    /// A resident joins a ticket ("me too") or leaves it.
    JoinTicket {
        /// The ticket.
        ticket_id: TicketId,
        /// Join (or leave).
        join: bool,
    },
    /// A vote in a poll, already checked against the cached poll.
    Vote {
        /// The poll.
        poll_id: PollId,
        /// Its chat.
        community_id: CommunityId,
        /// The option's index, from 0.
        option: u32,
    },
    /// The person's reaction to a message (none: taken back), replacing one still waiting.
    React {
        /// The message.
        message_id: MessageId,
        /// Its chat.
        community_id: CommunityId,
        /// One of the offered reactions, or none.
        emoji: Option<String>,
    },
}

/// What the server made of a request.
#[derive(Debug, Clone)]
pub enum Done {
    /// The stored message.
    Message(wire::Message),
    /// The reading taken, with the key it was submitted under.
    Reading(wire::Reading, String),
    /// The notice posted, with its key.
    Notice(wire::Notice, String),
    /// The ticket as it stands after the write, with its key.
    Ticket(wire::Ticket, String),
    /// The comment stored.
    Comment(wire::TicketComment),
    /// The vote counted, with its key.
    Vote(wire::Voted, String),
    /// The person's reaction to a message as it now stands (none: no reaction), with its
    /// community and key.
    Reaction(MessageId, CommunityId, Option<wire::Reaction>, String),
}

impl Request {
    /// The stable name stored beside the payload.
    pub fn kind(&self) -> &'static str {
        match self {
            Request::SendMessage { .. } => "send_message",
            Request::SubmitReading { .. } => "submit_reading",
            Request::PostOutage { .. } => "post_outage",
            Request::FileTicket { .. } => "file_ticket",
            Request::MoveTicket { .. } => "move_ticket",
            Request::ConfirmTicket { .. } => "confirm_ticket",
            Request::AssignTicket { .. } => "assign_ticket",
            Request::CommentTicket { .. } => "comment_ticket",
            Request::JoinTicket { .. } => "join_ticket",
            Request::Vote { .. } => "vote",
            Request::React { .. } => "react",
        }
    }

    /// The event that shows this request (queued, failed) where it belongs.
    pub fn event(&self) -> Event {
        match self {
            Request::SendMessage { community_id, .. } => Event::Chat { community_id: *community_id },
            Request::SubmitReading { device_id, .. } => Event::Readings { device_id: *device_id },
            Request::PostOutage { houses, .. } => {
                Event::Notices { house_id: houses.first().copied().unwrap_or(HouseId(0)) }
            }
            Request::FileTicket { house_id, .. } => Event::Tickets { house_id: *house_id },
            Request::MoveTicket { ticket_id, .. }
            | Request::ConfirmTicket { ticket_id, .. }
            | Request::AssignTicket { ticket_id, .. }
            | Request::CommentTicket { ticket_id, .. }
            | Request::JoinTicket { ticket_id, .. } => Event::Ticket { ticket_id: *ticket_id },
            Request::Vote { community_id, .. } => Event::Polls { community_id: *community_id },
            Request::React { community_id, .. } => Event::Chat { community_id: *community_id },
        }
    }

    /// Sends it with its idempotency key.
    pub async fn send(&self, api: &Api, cache: &std::sync::Arc<Cache>, client_key: &str) -> Result<Done> {
        match self {
            Request::SendMessage { community_id, body, reply_to, houses } => {
                Ok(Done::Message(api.send(*community_id, client_key, body, *reply_to, houses).await?))
            }
            Request::SubmitReading { device_id, t1, t2, t3, confirm } => {
                let req = SubmitReading {
                    client_key: client_key.to_owned(),
                    t1: t1.clone(),
                    t2: t2.clone(),
                    t3: t3.clone(),
                    confirm: *confirm,
                };
                Ok(Done::Reading(api.submit_reading(*device_id, &req).await?, client_key.to_owned()))
            }
            Request::PostOutage { houses, service, outage_type, starts_at, ends_at, reason } => {
                let req = PostOutage {
                    client_key: client_key.to_owned(),
                    houses: houses.clone(),
                    service: service.clone(),
                    outage_type: *outage_type,
                    starts_at: starts_at.clone(),
                    ends_at: ends_at.clone(),
                    reason: reason.clone(),
                };
                Ok(Done::Notice(api.post_outage(&req).await?, client_key.to_owned()))
            }
            Request::FileTicket {
                house_id,
                category,
                problem,
                emergency,
                place,
                entrance,
                floor,
                body,
                message_id,
                photos,
                ..
            } => {
                let keys = photos.clone();
                let photos = crate::ticket::upload_photos(api, cache, &keys).await?;
                let req = FileTicket {
                    client_key: client_key.to_owned(),
                    house_id: *house_id,
                    category: *category,
                    problem: *problem,
                    emergency: *emergency,
                    place: *place,
                    entrance: *entrance,
                    floor: *floor,
                    body: body.clone(),
                    message_id: *message_id,
                    photos,
                };
                match api.file_ticket(&req).await {
                    Ok(ticket) => Ok(Done::Ticket(ticket, client_key.to_owned())),
                    // The server no longer has a photo it once took (its data was reset): the
                    // next try uploads them again.
                    Err(CoreError::Refused { status, code, message, params }) if code == "photo_unknown" => {
                        crate::ticket::forget_uploads(cache, keys).await?;
                        Err(CoreError::Refused { status, code, message, params })
                    }
                    Err(e) => Err(e),
                }
            }
            Request::MoveTicket { ticket_id, from, to, note, rating } => {
                let req = MoveTicket {
                    client_key: client_key.to_owned(),
                    from: *from,
                    to: *to,
                    note: note.clone(),
                    rating: *rating,
                };
                Ok(Done::Ticket(api.move_ticket(*ticket_id, &req).await?, client_key.to_owned()))
            }
            Request::ConfirmTicket { ticket_id, rating } => {
                let req = ConfirmTicket { client_key: client_key.to_owned(), rating: *rating };
                Ok(Done::Ticket(api.confirm_ticket(*ticket_id, &req).await?, client_key.to_owned()))
            }
            Request::AssignTicket { ticket_id, assignee_id } => {
                let req = AssignTicket { assignee_id: *assignee_id };
                Ok(Done::Ticket(api.assign_ticket(*ticket_id, &req).await?, client_key.to_owned()))
            }
            Request::CommentTicket { ticket_id, body, internal } => {
                let req = CommentTicket { client_key: client_key.to_owned(), body: body.clone(), internal: *internal };
                Ok(Done::Comment(api.comment_ticket(*ticket_id, &req).await?))
            }
            Request::JoinTicket { ticket_id, join } => {
                Ok(Done::Ticket(api.join_ticket(*ticket_id, *join).await?, client_key.to_owned()))
            }
            Request::Vote { poll_id, option, .. } => {
                let req = wire::CastVote { client_key: client_key.to_owned(), option: *option };
                let voted: wire::Voted =
                    api.call(reqwest::Method::POST, &format!("v1/polls/{poll_id}/votes"), Some(&req)).await?;
                Ok(Done::Vote(voted, client_key.to_owned()))
            }
            Request::React { message_id, community_id, emoji } => {
                let answer = match emoji {
                    Some(emoji) => api.react(*message_id, emoji).await.map(Some),
                    None => api.unreact(*message_id).await.map(|()| None),
                };
                match answer {
                    Ok(reaction) => Ok(Done::Reaction(*message_id, *community_id, reaction, client_key.to_owned())),
                    // The message went (deleted, or out of the person's view): a reaction to it
                    // is moot, not a failure to show. A moderator's mute is: it waits, failed,
                    // with the server's words on until when.
                    Err(CoreError::Refused { status: 403 | 404 | 409, code, .. }) if code != "muted" => {
                        Ok(Done::Reaction(*message_id, *community_id, None, client_key.to_owned()))
                    }
                    Err(e) => Err(e),
                }
            }
        }
    }
}

impl Done {
    /// Stores what the server made (which also removes the outbox item it came from).
    pub fn store(&self, tx: &Transaction<'_>) -> Result<()> {
        match self {
            Done::Message(m) => crate::chat::store_message(tx, m).map(|_| ()),
            Done::Reading(r, client_key) => {
                crate::meter::store_reading(tx, r)?;
                crate::outbox::delivered(tx, client_key).map(|_| ())
            }
            Done::Notice(n, client_key) => {
                crate::notice::store_notice(tx, n)?;
                crate::outbox::delivered(tx, client_key).map(|_| ())
            }
            Done::Ticket(t, client_key) => {
                crate::ticket::store_answer(tx, t)?;
                crate::ticket::keep_sent_photos(tx, t)?;
                crate::outbox::delivered(tx, client_key).map(|_| ())
            }
            Done::Comment(c) => {
                crate::ticket::store_comment(tx, c)?;
                crate::outbox::delivered(tx, &c.client_key).map(|_| ())
            }
            Done::Vote(v, client_key) => {
                crate::poll::store_vote(tx, v)?;
                crate::outbox::delivered(tx, client_key).map(|_| ())
            }
            Done::Reaction(message, _, reaction, client_key) => {
                match reaction {
                    Some(r) => crate::chat::store_reaction(tx, r)?,
                    None => {
                        tx.execute(
                            "DELETE FROM reactions WHERE message_id = ?1 AND person_id = \
                             (SELECT coalesce(person_id, 0) FROM sync_state WHERE id = 1)",
                            [message],
                        )?;
                    }
                }
                crate::outbox::delivered(tx, client_key).map(|_| ())
            }
        }
    }

    /// The event that shows it.
    pub fn event(&self) -> Event {
        match self {
            Done::Message(m) => Event::Chat { community_id: m.community_id },
            Done::Reading(r, _) => Event::Readings { device_id: r.device_id },
            Done::Notice(n, _) => Event::Notices { house_id: n.house_id },
            Done::Ticket(t, _) => Event::Tickets { house_id: t.house_id },
            Done::Comment(c) => Event::Tickets { house_id: c.house_id },
            Done::Vote(v, _) => Event::Polls { community_id: v.poll.community_id },
            Done::Reaction(_, community_id, _, _) => Event::Chat { community_id: *community_id },
        }
    }
}
