//! The SQLite store: one writer connection behind a mutex, a pool of readers, WAL. Each
//! feature's trait is implemented in its own file beside this one.

mod auth;
pub mod changelog;
mod chat;
mod feed;
mod governance;
mod house;
pub mod migrate;
mod moderation;
mod notices;
mod photos;
mod polls;
mod registry;
mod services;
mod stats;
mod tickets;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, RwLock};

use rusqlite::types::FromSql;
use rusqlite::{Connection, Params, ToSql, Transaction, TransactionBehavior};
use serde::de::DeserializeOwned;

use domkom_domain::wire::ChangeKind;

use crate::clock::Clock;

use super::{ChangeHook, Scope, StoreError, StoreResult, Viewer, What};

/// Opens (creating if needed) a database file with the settings every connection uses.
pub fn open_connection(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(conn)
}

/// The database file inside a data directory.
pub fn db_path(data_dir: &Path) -> PathBuf {
    data_dir.join("domkom-server.db")
}

/// The backend's data in one SQLite file.
pub struct SqliteStore {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    hook: RwLock<Option<ChangeHook>>,
    clock: Clock,
}

/// A pooled reader that goes back to the pool when dropped.
struct Reader<'a> {
    conn: Option<Connection>,
    pool: &'a Mutex<Vec<Connection>>,
}

impl std::ops::Deref for Reader<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        // The option is only emptied in drop.
        self.conn.as_ref().unwrap_or_else(|| unreachable!("reader used after drop"))
    }
}

impl std::ops::DerefMut for Reader<'_> {
    fn deref_mut(&mut self) -> &mut Connection {
        self.conn.as_mut().unwrap_or_else(|| unreachable!("reader used after drop"))
    }
}

impl Drop for Reader<'_> {
    fn drop(&mut self) {
        if let (Some(conn), Ok(mut pool)) = (self.conn.take(), self.pool.lock()) {
            pool.push(conn);
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock leaves SQLite consistent (transactions roll back).
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl SqliteStore {
    /// Opens the store in a file, migrating it to the latest schema.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        let mut writer = open_connection(path)?;
        migrate::migrate(&mut writer)?;
        Ok(SqliteStore {
            path: path.to_owned(),
            writer: Mutex::new(writer),
            readers: Mutex::new(Vec::new()),
            hook: RwLock::new(None),
            clock: Clock::system(),
        })
    }

    /// The store with its writes stamped by `clock` (the server's, which `--now` may pin).
    pub fn with_clock(mut self, clock: Clock) -> SqliteStore {
        self.clock = clock;
        self
    }

    /// The time as stored: RFC 3339 UTC with milliseconds, by the store's clock.
    fn now_rfc3339(&self) -> String {
        self.clock.now_rfc3339()
    }

    /// Sets the function told of every committed change.
    pub fn set_hook(&self, hook: ChangeHook) {
        if let Ok(mut h) = self.hook.write() {
            *h = Some(hook);
        }
    }

    /// Runs a closure on the writer connection directly (seeding, maintenance).
    pub fn with_writer<T>(&self, f: impl FnOnce(&mut Connection) -> T) -> T {
        f(&mut lock(&self.writer))
    }

    fn reader(&self) -> StoreResult<Reader<'_>> {
        let pooled = lock(&self.readers).pop();
        let conn = match pooled {
            Some(c) => c,
            None => open_connection(&self.path)?,
        };
        Ok(Reader { conn: Some(conn), pool: &self.readers })
    }

    /// Runs `f` in one immediate write transaction and tells the hook what it changed.
    fn write<T, E: From<rusqlite::Error>>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T, E>) -> Result<T, E> {
        let mut conn = lock(&self.writer);
        let head: i64 = conn.query_row("SELECT coalesce(max(seq), 0) FROM changes", [], |r| r.get(0))?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        if let Ok(hook) = self.hook.read()
            && let Some(hook) = hook.as_ref()
        {
            let mut stmt =
                conn.prepare_cached("SELECT seq, scope, scope_id FROM changes WHERE seq > ?1 ORDER BY seq")?;
            let rows =
                stmt.query_map([head], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?)))?;
            for row in rows {
                let (seq, letter, id) = row?;
                if let Some(scope) = Scope::from_stored(&letter, id) {
                    hook(seq, scope);
                }
            }
        }
        Ok(out)
    }
}

/// Reads a feed view's payload as its wire type.
fn decode<T: DeserializeOwned>(kind: ChangeKind, payload: &str) -> StoreResult<T> {
    serde_json::from_str(payload).map_err(|source| StoreError::Corrupt { kind: kind.as_str(), source })
}

/// Rows of a kind's feed view with their audience, decoded; `rest` follows `WHERE` and may
/// order and limit.
fn rows<T: DeserializeOwned>(
    conn: &Connection,
    kind: ChangeKind,
    rest: &str,
    params: impl Params,
) -> StoreResult<Vec<(Scope, T)>> {
    let sql = format!("SELECT scope, scope_id, payload FROM {} WHERE {rest}", changelog::view(kind));
    let mut stmt = conn.prepare_cached(&sql)?;
    let found = stmt
        .query_map(params, |r| Ok((stored_scope(r, 0)?, r.get::<_, String>(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    found.into_iter().map(|(scope, payload)| Ok((scope, decode(kind, &payload)?))).collect()
}

/// Reads an audience stored as (letter, id) in two columns from `at`.
fn stored_scope(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Scope> {
    let letter: String = r.get(at)?;
    Scope::from_stored(&letter, r.get(at + 1)?).ok_or_else(|| unreadable(at, format!("unknown audience {letter}")))
}

/// A stored value this build cannot read (the schema's CHECKs should make it impossible).
fn unreadable(column: usize, what: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, what.into())
}

/// What of these rows the viewer may see.
fn visible<T>(viewer: &Viewer, found: Vec<(Scope, T)>) -> Vec<T> {
    found.into_iter().filter(|(scope, _)| viewer.sees(*scope)).map(|(_, t)| t).collect()
}

/// One entity by id: not found when it does not exist, not visible when it is not the viewer's.
fn one<T: DeserializeOwned>(
    conn: &Connection,
    viewer: &Viewer,
    kind: ChangeKind,
    id: impl ToSql,
    what: What,
) -> StoreResult<T> {
    let found = rows::<T>(conn, kind, "id = ?1", [id])?;
    if found.is_empty() {
        return Err(StoreError::NotFound(what));
    }
    visible(viewer, found).into_iter().next().ok_or(StoreError::NotVisible(what))
}

/// Checks that a row exists (`sql` selects its audience as (letter, id)) and that the viewer
/// sees it.
fn gate(conn: &Connection, viewer: &Viewer, sql: &str, id: impl ToSql, what: What) -> StoreResult<()> {
    use rusqlite::OptionalExtension;
    let scope = conn.prepare_cached(sql)?.query_row([id], |r| stored_scope(r, 0)).optional()?;
    let scope = scope.ok_or(StoreError::NotFound(what))?;
    if viewer.sees(scope) { Ok(()) } else { Err(StoreError::NotVisible(what)) }
}

/// Ids selected by a one-parameter query.
fn ids<T: FromSql>(conn: &Connection, sql: &str, param: impl ToSql) -> rusqlite::Result<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([param], |r| r.get(0))?;
    rows.collect()
}
