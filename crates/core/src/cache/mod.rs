//! The local cache: an SQLCipher-encrypted SQLite file in WAL mode with one writer and a
//! pool of readers. Calls block; the client runs them off the async threads.

mod apply;
mod outbox;
mod read;

pub use apply::{Applied, NewMessage};
pub use outbox::OutboxItem;
pub use read::{ChatMessage, HouseSummary, SearchHit, Status};

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rand::RngCore;
use rusqlite::{Connection, Transaction, TransactionBehavior};

use crate::error::{CoreError, Result};
use crate::secrets::SecretStore;

/// The cache's migrations; the index + 1 is the schema version.
const MIGRATIONS: &[(&str, &str)] = &[
    ("001_cache", include_str!("../../migrations/001_cache.sql")),
    ("002_chat_settings", include_str!("../../migrations/002_chat_settings.sql")),
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
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
}

fn open_connection(path: &Path, key: &CacheKey) -> Result<Connection> {
    let conn = Connection::open(path)?;
    // The raw-key form skips the key derivation: the key is already 256 random bits.
    conn.pragma_update(None, "key", format!("x'{}'", key.0))?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    // Reading the schema is the first thing that fails on a wrong key or a corrupt file.
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0))
        .map_err(|e| CoreError::Cache(format!("cannot read the cache (wrong key or corrupt file): {e}")))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // Purged rows (a house one no longer belongs to) are overwritten, not just unlinked.
    conn.pragma_update(None, "secure_delete", "ON")?;
    Ok(conn)
}

fn migrate(conn: &mut Connection) -> Result<()> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let latest = MIGRATIONS.len() as i64;
    if current > latest {
        return Err(CoreError::CacheTooNew { found: current, supported: latest });
    }
    for (index, (_name, sql)) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
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

impl Cache {
    /// Opens the cache in `path` with its key from the secret store, making a key for a new
    /// cache. A cache whose key is gone, or that cannot be read, is set aside and started
    /// anew (its outbox is saved first when it can still be read).
    pub fn open(path: &Path, secrets: &dyn SecretStore) -> Result<(Cache, Opened)> {
        let exists = path.exists();
        let stored = secrets.get(KEY_NAME)?;
        let (key, mut opened) = match (stored, exists) {
            (Some(k), true) => (CacheKey(k), Opened::Existing),
            (Some(k), false) => (CacheKey(k), Opened::New),
            (None, exists) => {
                if exists {
                    tracing::warn!("the cache key is gone from the keyring: starting a new cache");
                    set_aside(path)?;
                }
                let key = CacheKey::generate();
                secrets.set(KEY_NAME, &key.0)?;
                (key, if exists { Opened::Rebuilt } else { Opened::New })
            }
        };
        let mut saved_outbox = Vec::new();
        let mut conn = match open_connection(path, &key).and_then(|mut c| migrate(&mut c).map(|_| c)) {
            Ok(c) => c,
            Err(CoreError::CacheTooNew { found, supported }) => {
                return Err(CoreError::CacheTooNew { found, supported });
            }
            Err(e) => {
                tracing::warn!(error = %e, "the cache cannot be used: setting it aside and rebuilding");
                saved_outbox = outbox::salvage(path, &key);
                set_aside(path)?;
                opened = Opened::Rebuilt;
                let mut c = open_connection(path, &key)?;
                migrate(&mut c)?;
                c
            }
        };
        if !saved_outbox.is_empty() {
            let tx = conn.transaction()?;
            for item in &saved_outbox {
                outbox::restore(&tx, item)?;
            }
            tx.commit()?;
        }
        Ok((Cache { path: path.to_owned(), key, writer: Mutex::new(conn), readers: Mutex::new(Vec::new()) }, opened))
    }

    /// Runs `f` in one immediate write transaction.
    pub fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Runs `f` on a pooled reader.
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let pooled = lock(&self.readers).pop();
        let conn = match pooled {
            Some(c) => c,
            None => open_connection(&self.path, &self.key)?,
        };
        let out = f(&conn);
        lock(&self.readers).push(conn);
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
                 DELETE FROM messages; DELETE FROM history_gaps; DELETE FROM read_state; DELETE FROM tickets;
                 DELETE FROM notices; DELETE FROM repair_plans; DELETE FROM accounts; DELETE FROM devices;
                 DELETE FROM readings; DELETE FROM bills; DELETE FROM chat_settings;
                 UPDATE sync_state SET cursor = 0, person_id = NULL, person = NULL, synced_at = NULL;",
            )?;
            Ok(())
        })
    }

    /// Deletes the cache file and its key (sign-out).
    pub fn destroy(self, secrets: &dyn SecretStore) -> Result<()> {
        let path = self.path.clone();
        drop(self);
        for suffix in ["", "-wal", "-shm"] {
            let p = PathBuf::from(format!("{}{suffix}", path.display()));
            if p.exists() {
                std::fs::remove_file(&p)?;
            }
        }
        secrets.delete(KEY_NAME)
    }
}
