//! The outbox: typed requests written here that the server has not confirmed yet, each
//! with the idempotency key the server stores once however often it is sent. It lives in a
//! file of its own (`outbox.db`), since it is the one thing the server cannot give back.

mod request;

pub use request::Request;

/// A change to a failed request before it is tried again (new text for a message).
pub type Edit = Box<dyn Fn(&mut Request) + Send + Sync>;

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use crate::cache::Cache;
use crate::error::{CoreError, Result};

/// Where an item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum OutboxState {
    /// Waiting to be sent (again).
    Pending,
    /// Refused by the server; waits for the person to retry, edit or discard it.
    Failed,
}

impl OutboxState {
    /// Reads the stored state.
    pub(crate) fn parse(text: &str) -> OutboxState {
        if text == "failed" { OutboxState::Failed } else { OutboxState::Pending }
    }
}

/// One request waiting to be sent, or failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OutboxItem {
    /// Local id.
    pub id: i64,
    /// The idempotency key (UUIDv7).
    pub client_key: String,
    /// What to do.
    pub request: Request,
    /// Pending or failed.
    pub state: OutboxState,
    /// Send attempts so far.
    pub attempts: i64,
    /// Unix milliseconds before which it is not tried again.
    pub next_attempt_at: i64,
    /// The server's code when it failed.
    pub error_code: Option<String>,
    /// The server's reason when it failed, or why the last attempt did not get through.
    pub error_message: Option<String>,
    /// The values the server's reason names, for wording it in the person's language.
    pub error_params: std::collections::BTreeMap<String, String>,
    /// When it was written.
    pub created_at: String,
}

const COLUMNS: &str =
    "id, client_key, payload, state, attempts, next_attempt_at, error_code, error_message, created_at, error_params";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<OutboxItem> {
    let payload: String = r.get(2)?;
    let request = serde_json::from_str(&payload)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(2, rusqlite::types::Type::Text, Box::new(e)))?;
    Ok(OutboxItem {
        id: r.get(0)?,
        client_key: r.get(1)?,
        request,
        state: OutboxState::parse(&r.get::<_, String>(3)?),
        attempts: r.get(4)?,
        next_attempt_at: r.get(5)?,
        error_code: r.get(6)?,
        error_message: r.get(7)?,
        created_at: r.get(8)?,
        error_params: r.get::<_, Option<String>>(9)?.and_then(|p| serde_json::from_str(&p).ok()).unwrap_or_default(),
    })
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn to_json(request: &Request) -> Result<String> {
    serde_json::to_string(request).map_err(|e| CoreError::cache(format!("cannot store a request: {e}")))
}

impl Cache {
    /// Adds a request to the outbox under a fresh idempotency key.
    pub fn enqueue(&self, request: &Request) -> Result<OutboxItem> {
        let key = uuid::Uuid::now_v7().to_string();
        let payload = to_json(request)?;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO outbox.requests (client_key, kind, payload, state, created_at) \
                 VALUES (?1, ?2, ?3, 'pending', ?4)",
                params![key, request.kind(), payload, chrono::Utc::now().to_rfc3339()],
            )?;
            Ok(tx.query_row(&format!("SELECT {COLUMNS} FROM outbox.requests WHERE client_key = ?1"), [&key], row)?)
        })
    }

    /// Every item, oldest first.
    pub fn outbox(&self) -> Result<Vec<OutboxItem>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(&format!("SELECT {COLUMNS} FROM outbox.requests ORDER BY id"))?;
            Ok(stmt.query_map([], row)?.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// The pending items due now, oldest first, and when the next one falls due.
    pub fn outbox_due(&self) -> Result<(Vec<OutboxItem>, Option<i64>)> {
        let now = now_ms();
        let pending = self.outbox()?.into_iter().filter(|i| i.state == OutboxState::Pending);
        let (due, later): (Vec<_>, Vec<_>) = pending.partition(|i| i.next_attempt_at <= now);
        Ok((due, later.iter().map(|i| i.next_attempt_at).min()))
    }

    /// Records a transient failure: try again after `delay_ms`. `rate_limited` marks a wait
    /// the server asked for, which a reconnect does not cut short.
    pub fn outbox_retry_later(&self, id: i64, delay_ms: i64, reason: &str, rate_limited: bool) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE outbox.requests SET attempts = attempts + 1, next_attempt_at = ?2, error_message = ?3, \
                 rate_limited = ?4 WHERE id = ?1",
                params![id, now_ms() + delay_ms, reason, rate_limited],
            )?;
            Ok(())
        })
    }

    /// The server answers again: items waiting out a network failure go at once (those
    /// told to wait by a 429 keep waiting).
    pub fn outbox_wake(&self) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE outbox.requests SET next_attempt_at = 0 WHERE state = 'pending' AND rate_limited = 0",
                [],
            )?;
            Ok(())
        })
    }

    /// Records a refusal: the item waits, failed, for the person to retry, edit or discard.
    pub fn outbox_fail(
        &self,
        id: i64,
        code: &str,
        message: &str,
        named: &std::collections::BTreeMap<String, String>,
    ) -> Result<()> {
        let named = (!named.is_empty()).then(|| serde_json::to_string(named).unwrap_or_default());
        self.write(|tx| {
            tx.execute(
                "UPDATE outbox.requests SET state = 'failed', attempts = attempts + 1, rate_limited = 0, \
                 error_code = ?2, error_message = ?3, error_params = ?4 WHERE id = ?1",
                params![id, code, message, named],
            )?;
            Ok(())
        })
    }

    /// Puts a failed item back in line, optionally changed by `edit`. A changed request is
    /// a new request to the server: it gets a new idempotency key, or the server would
    /// rightly refuse the old key with other content.
    pub fn outbox_retry(&self, client_key: &str, edit: Option<&dyn Fn(&mut Request)>) -> Result<OutboxItem> {
        self.write(|tx| {
            let item = tx
                .query_row(&format!("SELECT {COLUMNS} FROM outbox.requests WHERE client_key = ?1"), [client_key], row)
                .optional()?
                .ok_or_else(|| no_such_item(client_key))?;
            let mut request = item.request.clone();
            if let Some(edit) = edit {
                edit(&mut request);
            }
            let key = if request == item.request { item.client_key.clone() } else { uuid::Uuid::now_v7().to_string() };
            tx.execute(
                "UPDATE outbox.requests SET payload = ?2, client_key = ?3, state = 'pending', next_attempt_at = 0, \
                 rate_limited = 0, error_code = NULL, error_message = NULL, error_params = NULL WHERE id = ?1",
                params![item.id, to_json(&request)?, key],
            )?;
            Ok(tx.query_row(&format!("SELECT {COLUMNS} FROM outbox.requests WHERE id = ?1"), [item.id], row)?)
        })
    }

    /// One item by its key.
    pub fn outbox_item(&self, client_key: &str) -> Result<Option<OutboxItem>> {
        self.read(|c| {
            Ok(c.query_row(&format!("SELECT {COLUMNS} FROM outbox.requests WHERE client_key = ?1"), [client_key], row)
                .optional()?)
        })
    }

    /// Drops an unsent item for good; false when there was none.
    pub fn outbox_discard(&self, client_key: &str) -> Result<bool> {
        self.write(|tx| {
            crate::ticket::drop_carried_photos(tx, client_key)?;
            Ok(tx.execute("DELETE FROM outbox.requests WHERE client_key = ?1", [client_key])? > 0)
        })
    }

    /// Drops every unsent item (another person signed in here).
    pub fn outbox_clear(&self) -> Result<()> {
        self.write(|tx| Ok(tx.execute_batch("DELETE FROM outbox.requests; DELETE FROM outbox.photos")?))
    }
}

/// The refusal for an item that is not (or no longer) in the outbox.
fn no_such_item(client_key: &str) -> CoreError {
    CoreError::invalid(
        "no_such_outbox_item",
        &[("client_key", client_key.to_owned())],
        "there is no such unsent item: it was sent or discarded meanwhile",
    )
}

/// Removes the item a confirmed write came from (in the transaction storing what it made);
/// true when there was one.
pub(crate) fn delivered(tx: &rusqlite::Transaction<'_>, client_key: &str) -> Result<bool> {
    crate::ticket::drop_carried_photos(tx, client_key)?;
    Ok(tx.prepare_cached("DELETE FROM outbox.requests WHERE client_key = ?1")?.execute([client_key])? > 0)
}
