//! Polls on the client: the polls of the person's chats with their tallies (from the feed),
//! the person's own choice, and votes through the outbox, so a vote cast offline counts once
//! the link is back.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;

use domkom_domain::id::*;
use domkom_domain::poll::{self, PollBasis};
use domkom_domain::wire::{self, Change, ChangeKind, ChangeOp, Poll};

use crate::cache::Cache;
use crate::client::{Client, Written};
use crate::error::{CoreError, Result};
use crate::events::Event;
use crate::feed::{Applied, decode};
use crate::outbox::Request;
use crate::sync::blocking;

/// A poll as the chat shows it: the tally, whether it is final, and the person's choice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PollView {
    /// The poll with its tally.
    pub poll: Poll,
    /// Closed: the results are final.
    pub closed: bool,
    /// The option the person chose, if they voted (a vote waiting in the outbox counts).
    pub my_vote: Option<u32>,
    /// Whether the person's vote still waits in the outbox.
    pub pending: bool,
    /// A vote the server refused (the poll closed meanwhile, a co-owner voted first): its
    /// code, and the outbox key to discard it by.
    pub refused: Option<RefusedVote>,
}

/// A vote the server refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RefusedVote {
    /// The refusal's code, e.g. `poll_closed`.
    pub code: Option<String>,
    /// The outbox item's key.
    pub client_key: String,
}

/// Stores a poll from the feed.
pub(crate) fn apply(tx: &Transaction<'_>, c: &Change, out: &mut Applied) -> Result<()> {
    let community: Option<CommunityId> = match (c.kind, c.op) {
        (ChangeKind::Poll, ChangeOp::Upsert) => {
            let p: Poll = decode(c)?;
            tx.prepare_cached(
                "INSERT INTO polls (id, community_id, payload) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (id) DO UPDATE SET payload = excluded.payload",
            )?
            .execute(params![p.id, p.community_id, c.data.to_string()])?;
            // The person's own copy says what they chose, on whichever device they voted.
            if let Some(option) = p.my_option {
                tx.prepare_cached(
                    "INSERT INTO my_votes (poll_id, option) VALUES (?1, ?2) \
                     ON CONFLICT (poll_id) DO UPDATE SET option = excluded.option",
                )?
                .execute(params![p.id, option])?;
            }
            Some(p.community_id)
        }
        (ChangeKind::Poll, ChangeOp::Delete) => {
            let community =
                tx.query_row("SELECT community_id FROM polls WHERE id = ?1", [c.id], |r| r.get(0)).optional()?;
            tx.execute("DELETE FROM polls WHERE id = ?1", [c.id])?;
            tx.execute("DELETE FROM my_votes WHERE poll_id = ?1", [c.id])?;
            community
        }
        (other, _) => return Err(crate::feed::misrouted(other)),
    };
    if let Some(community_id) = community {
        out.changed(Event::Polls { community_id });
    }
    Ok(())
}

/// Keeps the person's choice after the server counted it.
pub(crate) fn store_vote(tx: &Transaction<'_>, voted: &wire::Voted) -> Result<()> {
    tx.execute(
        "INSERT INTO polls (id, community_id, payload) VALUES (?1, ?2, ?3) \
         ON CONFLICT (id) DO UPDATE SET payload = excluded.payload",
        params![voted.poll.id, voted.poll.community_id, serde_json::to_string(&voted.poll).unwrap_or_default()],
    )?;
    tx.execute(
        "INSERT INTO my_votes (poll_id, option) VALUES (?1, ?2) ON CONFLICT (poll_id) DO UPDATE SET option = excluded.option",
        params![voted.poll.id, voted.option],
    )?;
    Ok(())
}

impl Cache {
    /// Drops a poll's votes waiting or refused in the outbox.
    pub fn drop_votes(&self, poll: PollId) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "DELETE FROM outbox.requests WHERE kind = 'vote' AND json_extract(payload, '$.poll_id') = ?1",
                [poll],
            )?;
            Ok(())
        })
    }

    /// A chat's polls, newest first, with the person's choice (a vote in the outbox counts).
    pub fn polls(&self, community: CommunityId, now: DateTime<Utc>) -> Result<Vec<PollView>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT p.payload, v.option, \
                   (SELECT json_extract(r.payload, '$.option') FROM outbox.requests r WHERE r.kind = 'vote' \
                    AND r.state = 'pending' AND json_extract(r.payload, '$.poll_id') = p.id ORDER BY r.id DESC LIMIT 1), \
                   (SELECT json_array(r.client_key, r.error_code) FROM outbox.requests r WHERE r.kind = 'vote' \
                    AND r.state = 'failed' AND json_extract(r.payload, '$.poll_id') = p.id ORDER BY r.id DESC LIMIT 1) \
                 FROM polls p LEFT JOIN my_votes v ON v.poll_id = p.id WHERE p.community_id = ?1 ORDER BY p.id DESC",
            )?;
            let rows = stmt.query_map([community], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<u32>>(1)?,
                    r.get::<_, Option<u32>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                ))
            })?;
            let mut out = Vec::new();
            for row in rows {
                let (payload, mine, waiting, failed) = row?;
                let poll: Poll =
                    serde_json::from_str(&payload).map_err(|e| CoreError::cache(format!("a cached poll: {e}")))?;
                let closed = DateTime::parse_from_rfc3339(&poll.closes_at).is_ok_and(|t| t <= now);
                let refused = failed
                    .and_then(|f| serde_json::from_str::<(String, Option<String>)>(&f).ok())
                    .map(|(client_key, code)| RefusedVote { code, client_key });
                out.push(PollView { poll, closed, my_vote: waiting.or(mine), pending: waiting.is_some(), refused });
            }
            Ok(out)
        })
    }
}

/// Polls of the person's chats.
pub struct Polls<'a> {
    client: &'a Client,
}

impl Client {
    /// Polls: open one (moderators), read them, vote.
    pub fn polls(&self) -> Polls<'_> {
        Polls { client: self }
    }
}

impl Polls<'_> {
    /// A chat's polls with their tallies and the person's vote (from the cache; offline too).
    pub async fn list(&self, community: CommunityId) -> Result<Vec<PollView>> {
        // The server's clock, as the rules reckon closing (a skewed machine is not trusted).
        let now = self.client.api.http().clock().now();
        blocking(&self.client.cache, move |c| c.polls(community, now)).await
    }

    /// Every cached poll of the person's chats, newest first.
    pub async fn all(&self) -> Result<Vec<PollView>> {
        let chats = self.client.chats().list().await?;
        let mut out = Vec::new();
        for c in chats {
            out.extend(self.list(c.community_id).await?);
        }
        Ok(out)
    }

    /// Opens a poll (needs the server; the chat's moderators and the Inspection).
    pub async fn open(
        &self,
        community: CommunityId,
        question: &str,
        options: &[String],
        basis: PollBasis,
        closes_at: &str,
    ) -> Result<Poll> {
        let now = self.client.api.http().clock().now().fixed_offset();
        // Checked as it is sent: trimmed.
        let options: Vec<String> = options.iter().map(|o| o.trim().to_owned()).collect();
        let (question, options, closes) =
            poll::check_poll(question.trim(), &options, closes_at.trim(), now).map_err(|e| CoreError::refused(&e))?;
        let body = wire::OpenPoll {
            client_key: uuid::Uuid::now_v7().to_string(),
            question,
            options,
            basis,
            closes_at: closes.to_rfc3339(),
        };
        let poll: Poll = self
            .client
            .api
            .call(reqwest::Method::POST, &format!("v1/communities/{community}/polls"), Some(&body))
            .await?;
        self.client.engine.sync(&|_, _| {}).await?;
        Ok(poll)
    }

    /// Votes (queued in the outbox, sent at once when online): checked against the cached
    /// poll first, so a closed poll or a missing option is said offline too.
    pub async fn vote(&self, poll_id: PollId, option: u32) -> Result<Written> {
        let now = self.client.api.http().clock().now();
        // The poll, and how many premises the person holds in its chat's house now.
        let (poll, held) = blocking(&self.client.cache, move |c| {
            c.read(|conn| {
                let poll: Option<String> =
                    conn.query_row("SELECT payload FROM polls WHERE id = ?1", [poll_id], |r| r.get(0)).optional()?;
                let held: i64 = conn.query_row(
                    "SELECT count(*) FROM polls p JOIN communities cm ON cm.id = p.community_id \
                     JOIN ownerships o ON o.house_id = cm.house_id \
                     WHERE p.id = ?1 AND json_extract(o.payload, '$.until') IS NULL",
                    [poll_id],
                    |r| r.get(0),
                )?;
                Ok((poll, held))
            })
        })
        .await?;
        let poll: Poll = match poll {
            Some(p) => serde_json::from_str(&p).map_err(|e| CoreError::cache(format!("a cached poll: {e}")))?,
            None => {
                return Err(CoreError::invalid(
                    "no_such_poll",
                    &[("poll", poll_id.to_string())],
                    format!("no poll {poll_id} among your chats' polls; `domkom polls CHAT` lists them"),
                ));
            }
        };
        // Who votes before what: the server's order, so staff hear that they have no flat there.
        poll::may_vote(held.max(0) as usize).map_err(|e| CoreError::refused(&e))?;
        let closes = DateTime::parse_from_rfc3339(&poll.closes_at).map_err(|e| CoreError::cache(e.to_string()))?;
        poll::check_vote(option, poll.options.len(), closes, now.fixed_offset()).map_err(|e| CoreError::refused(&e))?;
        // A newer choice replaces one still waiting or refused: an older one sent later must
        // not win.
        blocking(&self.client.cache, move |c| c.drop_votes(poll_id)).await?;
        self.client.enqueue(Request::Vote { poll_id, community_id: poll.community_id, option }).await
    }
}
