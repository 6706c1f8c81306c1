//! The outbox table: messages written here that the server has not confirmed yet.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::Cache;
use crate::error::{CoreError, Result};

/// One message waiting to be sent, or failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OutboxItem {
    /// Local id.
    pub id: i64,
    /// The idempotency key (UUIDv7).
    pub client_key: String,
    /// Community.
    pub community_id: i64,
    /// Text.
    pub body: String,
    /// Replied-to message.
    pub reply_to: Option<i64>,
    /// `pending` or `failed`.
    pub state: String,
    /// Send attempts so far.
    pub attempts: i64,
    /// Unix milliseconds before which it is not tried again.
    pub next_attempt_at: i64,
    /// The server's code when it failed.
    pub error_code: Option<String>,
    /// The server's reason when it failed.
    pub error_message: Option<String>,
    /// When it was written.
    pub created_at: String,
}

const COLUMNS: &str = "id, client_key, community_id, body, reply_to, state, attempts, next_attempt_at, error_code, \
                       error_message, created_at";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<OutboxItem> {
    Ok(OutboxItem {
        id: r.get(0)?,
        client_key: r.get(1)?,
        community_id: r.get(2)?,
        body: r.get(3)?,
        reply_to: r.get(4)?,
        state: r.get(5)?,
        attempts: r.get(6)?,
        next_attempt_at: r.get(7)?,
        error_code: r.get(8)?,
        error_message: r.get(9)?,
        created_at: r.get(10)?,
    })
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

impl Cache {
    /// Adds a message to the outbox (it shows at once as a local echo).
    pub fn enqueue(&self, community: i64, body: &str, reply_to: Option<i64>) -> Result<OutboxItem> {
        let key = uuid::Uuid::now_v7().to_string();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO outbox (client_key, community_id, body, reply_to, state, created_at) \
                 VALUES (?1, ?2, ?3, ?4, 'pending', ?5)",
                params![key, community, body, reply_to, chrono::Utc::now().to_rfc3339()],
            )?;
            Ok(tx.query_row(&format!("SELECT {COLUMNS} FROM outbox WHERE client_key = ?1"), [&key], row)?)
        })
    }

    /// Every item, oldest first.
    pub fn outbox(&self) -> Result<Vec<OutboxItem>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(&format!("SELECT {COLUMNS} FROM outbox ORDER BY id"))?;
            Ok(stmt.query_map([], row)?.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// The pending items due now, oldest first, and when the next one falls due.
    pub fn outbox_due(&self) -> Result<(Vec<OutboxItem>, Option<i64>)> {
        let now = now_ms();
        let items = self.outbox()?;
        let next =
            items.iter().filter(|i| i.state == "pending" && i.next_attempt_at > now).map(|i| i.next_attempt_at).min();
        Ok((items.into_iter().filter(|i| i.state == "pending" && i.next_attempt_at <= now).collect(), next))
    }

    /// Records a transient failure: try again after `delay_ms`.
    pub fn outbox_retry_later(&self, id: i64, delay_ms: i64, reason: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?2, error_message = ?3 WHERE id = ?1",
                params![id, now_ms() + delay_ms, reason],
            )?;
            Ok(())
        })
    }

    /// The server answers again: items waiting out a network failure go at once (those
    /// told to wait by a 429 keep waiting).
    pub fn outbox_wake(&self) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE outbox SET next_attempt_at = 0 WHERE state = 'pending' \
                 AND coalesce(error_message, '') != 'rate limited'",
                [],
            )?;
            Ok(())
        })
    }

    /// Records a refusal: the item waits, failed, for the person to retry, edit or discard.
    pub fn outbox_fail(&self, id: i64, code: &str, message: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE outbox SET state = 'failed', attempts = attempts + 1, error_code = ?2, error_message = ?3 \
                 WHERE id = ?1",
                params![id, code, message],
            )?;
            Ok(())
        })
    }

    /// Puts a failed item back in line, optionally with new text.
    pub fn outbox_retry(&self, client_key: &str, new_body: Option<&str>) -> Result<()> {
        self.write(|tx| {
            let item: Option<OutboxItem> = tx
                .query_row(&format!("SELECT {COLUMNS} FROM outbox WHERE client_key = ?1"), [client_key], row)
                .optional()?;
            let item = item.ok_or_else(|| CoreError::Invalid("there is no such unsent message".into()))?;
            match new_body {
                // New text is a new message to the server: it gets a new idempotency key, or
                // the server would rightly refuse the old key with other text.
                Some(body) if body != item.body => {
                    tx.execute(
                        "UPDATE outbox SET body = ?2, client_key = ?3, state = 'pending', next_attempt_at = 0, \
                         error_code = NULL, error_message = NULL WHERE id = ?1",
                        params![item.id, body, uuid::Uuid::now_v7().to_string()],
                    )?;
                }
                _ => {
                    tx.execute(
                        "UPDATE outbox SET state = 'pending', next_attempt_at = 0, error_code = NULL, \
                         error_message = NULL WHERE id = ?1",
                        [item.id],
                    )?;
                }
            }
            Ok(())
        })
    }

    /// Drops an unsent item for good.
    pub fn outbox_discard(&self, client_key: &str) -> Result<bool> {
        self.write(|tx| Ok(tx.execute("DELETE FROM outbox WHERE client_key = ?1", [client_key])? > 0))
    }

    /// Stores the server's confirmation of a sent item: the message replaces the echo.
    pub fn outbox_delivered(&self, message: &domkom_domain::wire::Message) -> Result<()> {
        self.write(|tx| super::apply::upsert_message(tx, message))
    }
}
