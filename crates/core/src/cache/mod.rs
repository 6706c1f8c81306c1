//! The local cache: an SQLCipher-encrypted SQLite file in WAL mode with one writer and a
//! pool of readers, with the outbox file attached. Calls block; the client runs them off
//! the async threads. What is stored where belongs to the feature modules (`chat`,
//! `house`, `ticket`, …); this module only opens, migrates, reads, writes and closes.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};

use rand::RngCore;
use rusqlite::{Connection, Transaction, TransactionBehavior};
use serde::Serialize;

use crate::error::{CoreError, Result};
use crate::secrets::SecretStore;

/// The outbox file's migrations, applied to the attached schema `outbox`.
const OUTBOX_MIGRATIONS: &[(&str, &str)] = &[
    ("001_outbox", include_str!("../../migrations/outbox/001_outbox.sql")),
    ("002_typed_requests", include_str!("../../migrations/outbox/002_typed_requests.sql")),
    ("003_error_params", include_str!("../../migrations/outbox/003_error_params.sql")),
    ("004_photos", include_str!("../../migrations/outbox/004_photos.sql")),
];

/// The cache's migrations; the index + 1 is the schema version.
const MIGRATIONS: &[(&str, &str)] = &[
    ("001_cache", include_str!("../../migrations/001_cache.sql")),
    ("002_chat_settings", include_str!("../../migrations/002_chat_settings.sql")),
    ("003_server_clock", include_str!("../../migrations/003_server_clock.sql")),
    ("004_reminders", include_str!("../../migrations/004_reminders.sql")),
    ("005_message_notice", include_str!("../../migrations/005_message_notice.sql")),
    ("006_tickets", include_str!("../../migrations/006_tickets.sql")),
    ("007_ticket_days", include_str!("../../migrations/007_ticket_days.sql")),
    ("008_photos", include_str!("../../migrations/008_photos.sql")),
    ("009_emergencies_first", include_str!("../../migrations/009_emergencies_first.sql")),
    ("010_desk_period_index", include_str!("../../migrations/010_desk_period_index.sql")),
    ("011_moderation", include_str!("../../migrations/011_moderation.sql")),
    ("012_governance", include_str!("../../migrations/012_governance.sql")),
    ("013_polls", include_str!("../../migrations/013_polls.sql")),
    ("014_channel_posts_and_reactions", include_str!("../../migrations/014_channel_posts_and_reactions.sql")),
];

/// The name of the cache key in the secret store.
pub const KEY_NAME: &str = "cache-key";

/// A 256-bit raw SQLCipher key, as 64 hex digits.
#[derive(Clone)]
pub struct CacheKey(String);

impl std::fmt::Debug for CacheKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CacheKey(…)")
    }
}

/// Whether opening may repair the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Reads only: a cache that cannot be used is reported, never set aside.
    ReadOnly,
    /// Reads and writes: a damaged cache is set aside and rebuilt (the outbox is kept
    /// whenever it can still be read).
    ReadWrite,
}

/// How the cache came to be opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opened {
    /// The existing cache, as it was.
    Existing,
    /// A new, empty cache (first run).
    New,
    /// The old cache could not be used (its key is gone, or it is corrupt) and was set
    /// aside; this one is empty and will be rebuilt from the server.
    Rebuilt,
}

impl CacheKey {
    /// A fresh random key.
    pub fn generate() -> CacheKey {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        CacheKey(bytes.iter().map(|b| format!("{b:02x}")).collect())
    }

    /// The key as the secret store holds it (for tests that search the disk for it).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The encrypted cache.
pub struct Cache {
    path: PathBuf,
    key: CacheKey,
    /// None once closed (signed out).
    writer: Mutex<Option<Connection>>,
    readers: Mutex<Vec<Connection>>,
    closed: AtomicBool,
}

/// The outbox file beside a cache file.
pub fn outbox_path(cache: &Path) -> PathBuf {
    cache.with_file_name("outbox.db")
}

/// Opens the cache file with the outbox file attached as schema `outbox`.
fn open_connection(path: &Path, key: &CacheKey) -> Result<Connection> {
    let conn = open_file(path, key)?;
    let outbox = outbox_path(path);
    conn.execute(
        "ATTACH DATABASE ?1 AS outbox KEY ?2",
        rusqlite::params![outbox.to_string_lossy(), format!("x'{}'", key.0)],
    )?;
    conn.query_row("SELECT count(*) FROM outbox.sqlite_master", [], |r| r.get::<_, i64>(0)).map_err(|e| {
        CoreError::Cache {
            reason: "cannot read the outbox file (wrong key or corrupt file)".into(),
            source: Some(Box::new(e)),
        }
    })?;
    conn.pragma_update(Some("outbox"), "journal_mode", "WAL")?;
    conn.pragma_update(Some("outbox"), "secure_delete", "ON")?;
    Ok(conn)
}

/// Opens one encrypted file.
fn open_file(path: &Path, key: &CacheKey) -> Result<Connection> {
    let conn = Connection::open(path)?;
    // The raw-key form skips the key derivation: the key is already 256 random bits.
    conn.pragma_update(None, "key", format!("x'{}'", key.0))?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    // Reading the schema is the first thing that fails on a wrong key or a corrupt file.
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)).map_err(|e| CoreError::Cache {
        reason: "cannot read the cache (wrong key or corrupt file)".into(),
        source: Some(Box::new(e)),
    })?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // Purged rows (a house one no longer belongs to) are overwritten, not just unlinked.
    conn.pragma_update(None, "secure_delete", "ON")?;
    // Every page read from disk is decrypted: a page cache of up to 8 MiB a connection (used
    // only as the data grows) keeps a big queue's narrow index and the open chats decrypted
    // between reads. 32 MiB bought the desk nothing once its counts read indexes alone, and
    // took the app over its memory goal with 1,000,000 messages cached (315 MB PSS; 281 now).
    conn.pragma_update(None, "cache_size", -8_192)?;
    Ok(conn)
}

fn migrate_schema(conn: &mut Connection, schema: &str, migrations: &[(&str, &str)]) -> Result<()> {
    let current: i64 = conn.query_row(&format!("PRAGMA {schema}.user_version"), [], |r| r.get(0))?;
    let latest = migrations.len() as i64;
    if current > latest {
        return Err(CoreError::CacheTooNew { found: current, supported: latest });
    }
    for (index, (_name, sql)) in migrations.iter().enumerate().skip(current as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(Some(schema), "user_version", index as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

fn migrate(conn: &mut Connection) -> Result<()> {
    migrate_schema(conn, "main", MIGRATIONS)?;
    migrate_schema(conn, "outbox", OUTBOX_MIGRATIONS)
}

/// Moves a cache file (and its WAL) aside so a new one can start; the old one is kept
/// for a person or a developer to look at, never read again.
fn set_aside(path: &Path) -> Result<()> {
    let stamp = chrono::Utc::now().format("%Y%m%d%H%M%S");
    for suffix in ["", "-wal", "-shm"] {
        let from = PathBuf::from(format!("{}{suffix}", path.display()));
        if from.exists() {
            std::fs::rename(&from, format!("{}.unusable-{stamp}{suffix}", path.display()))?;
        }
    }
    Ok(())
}

/// The cache's state.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Status {
    /// The feed cursor.
    pub cursor: i64,
    /// When the last page was applied.
    pub synced_at: Option<String>,
    /// Cache file size with its WAL, bytes.
    pub cache_bytes: u64,
    /// Outbox items waiting.
    pub outbox_pending: i64,
    /// Outbox items failed.
    pub outbox_failed: i64,
    /// Cached messages.
    pub messages: i64,
    /// The signed-in person, as cached.
    pub person: Option<domkom_domain::wire::PersonInfo>,
}

/// What a read-only command says when the cache would need a repair it may not make.
fn needs_repair(reason: &str) -> CoreError {
    CoreError::cache(format!("{reason}; run `domkom sync` (or open the app) to rebuild it from the server"))
}

impl Cache {
    /// Opens the cache in `path` (and the outbox beside it) with its key from the secret
    /// store, making a key for a new cache. With [`Access::ReadWrite`], a cache whose key is
    /// gone, or that cannot be read, is set aside and started anew; the outbox lives in its
    /// own file and survives a damaged cache. With [`Access::ReadOnly`] nothing is set aside.
    pub fn open(path: &Path, secrets: &dyn SecretStore, access: Access) -> Result<(Cache, Opened)> {
        let exists = path.exists() || outbox_path(path).exists();
        let stored = secrets.get(KEY_NAME)?;
        let (key, mut opened) = match (stored, exists) {
            (Some(k), true) => (CacheKey(k), Opened::Existing),
            (Some(k), false) => (CacheKey(k), Opened::New),
            (None, true) if access == Access::ReadOnly => {
                return Err(needs_repair("the cache key is gone from the keyring"));
            }
            (None, exists) => {
                if exists {
                    // Without the key neither file can be read: both start anew.
                    tracing::warn!("the cache key is gone from the keyring: starting a new cache");
                    set_aside(path)?;
                    set_aside(&outbox_path(path))?;
                }
                let key = CacheKey::generate();
                secrets.set(KEY_NAME, &key.0)?;
                (key, if exists { Opened::Rebuilt } else { Opened::New })
            }
        };
        let attempt = |key: &CacheKey| open_connection(path, key).and_then(|mut c| migrate(&mut c).map(|_| c));
        let conn = match attempt(&key) {
            Ok(c) => c,
            Err(e @ CoreError::CacheTooNew { .. }) => return Err(e),
            Err(e) if access == Access::ReadOnly => {
                tracing::warn!(error = %e, "the cache cannot be used");
                return Err(needs_repair("the cache cannot be read"));
            }
            Err(e) => {
                // Which file is damaged? The outbox is kept whenever it can still be read.
                let outbox_ok = open_file(&outbox_path(path), &key).is_ok();
                tracing::warn!(error = %e, outbox_ok, "the cache cannot be used: setting it aside and rebuilding");
                set_aside(path)?;
                if !outbox_ok {
                    set_aside(&outbox_path(path))?;
                }
                opened = Opened::Rebuilt;
                attempt(&key)?
            }
        };
        let cache = Cache {
            path: path.to_owned(),
            key,
            writer: Mutex::new(Some(conn)),
            readers: Mutex::new(Vec::new()),
            closed: AtomicBool::new(false),
        };
        Ok((cache, opened))
    }

    /// Runs `f` in one immediate write transaction.
    pub fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut writer = lock(&self.writer);
        let conn = writer.as_mut().ok_or_else(closed)?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Runs `f` on a pooled reader.
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        if self.closed.load(Ordering::Acquire) {
            return Err(closed());
        }
        let pooled = lock(&self.readers).pop();
        let conn = match pooled {
            Some(c) => c,
            None => open_connection(&self.path, &self.key)?,
        };
        let out = f(&conn);
        if !self.closed.load(Ordering::Acquire) {
            lock(&self.readers).push(conn);
        }
        out
    }

    /// The cache file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Empties everything the server can give back, keeping the outbox.
    pub fn clear_synced(&self) -> Result<()> {
        self.write(|tx| {
            tx.execute_batch(
                "DELETE FROM houses; DELETE FROM communities; DELETE FROM memberships; DELETE FROM ownerships;
                 DELETE FROM messages; DELETE FROM history_gaps; DELETE FROM read_state; DELETE FROM tickets; DELETE FROM ticket_photos;
                 DELETE FROM notices; DELETE FROM repair_plans; DELETE FROM accounts; DELETE FROM devices;
                 DELETE FROM readings; DELETE FROM bills; DELETE FROM chat_settings;
                 DELETE FROM mod_log; DELETE FROM reports; DELETE FROM admin_applications;
                 DELETE FROM polls; DELETE FROM my_votes; DELETE FROM reactions;
                 UPDATE sync_state SET cursor = 0, person_id = NULL, person = NULL, synced_at = NULL;",
            )?;
            Ok(())
        })
    }

    /// Closes every connection, then deletes both files and the key (sign-out). Calls after
    /// this fail as signed out; a read still running finishes on its own connection.
    pub fn destroy(&self, secrets: &dyn SecretStore) -> Result<()> {
        self.closed.store(true, Ordering::Release);
        let writer = lock(&self.writer).take();
        drop(writer);
        lock(&self.readers).clear();
        for file in [self.path.clone(), outbox_path(&self.path)] {
            for suffix in ["", "-wal", "-shm"] {
                let p = PathBuf::from(format!("{}{suffix}", file.display()));
                if p.exists() {
                    std::fs::remove_file(&p)?;
                }
            }
        }
        secrets.delete(KEY_NAME)
    }
}

impl Cache {
    /// Cursor, sizes and outbox counts.
    pub fn status(&self) -> Result<Status> {
        let mut bytes = 0;
        for suffix in ["", "-wal"] {
            if let Ok(m) = std::fs::metadata(format!("{}{suffix}", self.path().display())) {
                bytes += m.len();
            }
        }
        self.read(|c| {
            let (cursor, synced_at): (i64, Option<String>) =
                c.query_row("SELECT cursor, synced_at FROM sync_state WHERE id = 1", [], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?;
            let (pending, failed): (i64, i64) = c.query_row(
                "SELECT coalesce(sum(state = 'pending'), 0), coalesce(sum(state = 'failed'), 0) FROM outbox.requests",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let messages: i64 = c.query_row("SELECT count(*) FROM messages", [], |r| r.get(0))?;
            Ok(Status {
                cursor,
                synced_at,
                cache_bytes: bytes,
                outbox_pending: pending,
                outbox_failed: failed,
                messages,
                person: crate::feed::cached_person(c)?,
            })
        })
    }
}

/// The error of a call after sign-out closed the cache.
fn closed() -> CoreError {
    CoreError::SignedOut("signed out: this cache was closed".into())
}

/// Reads the server's JSON kept in the `payload` column of each row a query returns.
pub(crate) fn payloads<T: serde::de::DeserializeOwned>(
    c: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<T>> {
    let mut stmt = c.prepare_cached(sql)?;
    let rows = stmt.query_map(params, |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for row in rows {
        out.push(serde_json::from_str(&row?).map_err(|e| CoreError::Cache {
            reason: "a cached entity cannot be read".into(),
            source: Some(Box::new(e)),
        })?);
    }
    Ok(out)
}
