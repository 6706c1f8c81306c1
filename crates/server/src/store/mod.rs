//! Storage: the SQLite implementation of the backend's data, behind the [`Store`] trait.

pub mod feed;
pub mod migrate;

use std::path::{Path, PathBuf};

use rusqlite::Connection;

/// Why storage failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database was written by a newer build.
    #[error(
        "the database has schema version {found}, newer than this build's {supported}: use a newer domkom-server or another --data directory"
    )]
    NewerSchema {
        /// Version found in the file.
        found: i64,
        /// Newest version this build knows.
        supported: i64,
    },
    /// A migration failed and was rolled back.
    #[error("migration {name} failed: {source}")]
    Migration {
        /// The migration's name.
        name: &'static str,
        /// The SQLite error.
        source: rusqlite::Error,
    },
    /// Any other SQLite error.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

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

mod sqlite;
pub use sqlite::SqliteStore;

use std::collections::{BTreeMap, BTreeSet};

use domkom_domain::Role;
use domkom_domain::wire::{ChangeKind, ChangesPage, CityStats, DemoPerson, Me, Message, PersonInfo};

use crate::error::Result;

/// Who may see an entry of the change log: one audience, like a house or a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// Members of a community.
    Community(i64),
    /// People related to a house: its owners and tenants, its managing staff.
    House(i64),
    /// The holders of a premises: its accounts, meters and bills.
    Premises(i64),
    /// One person.
    Person(i64),
}

impl Scope {
    /// Reads the stored (letter, id) form.
    pub fn from_stored(letter: &str, id: i64) -> Option<Scope> {
        Some(match letter {
            "c" => Scope::Community(id),
            "h" => Scope::House(id),
            "f" => Scope::Premises(id),
            "p" => Scope::Person(id),
            _ => return None,
        })
    }

    /// The stored (letter, id) form.
    pub fn to_stored(self) -> (&'static str, i64) {
        match self {
            Scope::Community(id) => ("c", id),
            Scope::House(id) => ("h", id),
            Scope::Premises(id) => ("f", id),
            Scope::Person(id) => ("p", id),
        }
    }

    /// Parses the API form `c:12`, `h:3`, `f:9`, `p:1`.
    pub fn parse(text: &str) -> Option<Scope> {
        let (letter, id) = text.split_once(':')?;
        Scope::from_stored(letter, id.parse().ok()?)
    }
}

/// A signed-in person and everything they may see right now.
#[derive(Debug, Clone)]
pub struct Viewer {
    /// The person.
    pub person: PersonInfo,
    /// Staff organisation, for a dispatcher.
    pub org_id: Option<i64>,
    /// Premises the person owns or rents.
    pub premises: BTreeSet<i64>,
    /// Houses the person owns in or whose organisation manages them.
    pub houses: BTreeSet<i64>,
    /// Houses where the person holds a premises (not through staff work).
    pub own_houses: BTreeSet<i64>,
    /// Communities the person belongs to, with the role.
    pub communities: BTreeMap<i64, Role>,
}

impl Viewer {
    /// Whether this person works for the State Housing Inspection.
    pub fn is_inspector(&self) -> bool {
        self.person.staff_role.as_deref() == Some("inspector")
    }

    /// Whether the person may see entries of this audience. The Inspection owns every
    /// community and house, but not people's bills and meters.
    pub fn sees(&self, scope: Scope) -> bool {
        match scope {
            Scope::Community(id) => self.is_inspector() || self.communities.contains_key(&id),
            Scope::House(id) => self.is_inspector() || self.houses.contains(&id),
            Scope::Premises(id) => self.premises.contains(&id),
            Scope::Person(id) => id == self.person.id,
        }
    }

    /// The audiences to read the change log for (all of them but the Inspection's).
    pub fn scopes(&self) -> Vec<Scope> {
        let mut out = vec![Scope::Person(self.person.id)];
        out.extend(self.premises.iter().map(|&id| Scope::Premises(id)));
        out.extend(self.houses.iter().map(|&id| Scope::House(id)));
        out.extend(self.communities.keys().map(|&id| Scope::Community(id)));
        out
    }

    /// The person's role in a community, if they may take part in it.
    pub fn role_in(&self, community: i64) -> Option<Role> {
        match self.communities.get(&community) {
            Some(role) => Some(*role),
            None if self.is_inspector() => Some(Role::Inspector),
            None => None,
        }
    }
}

/// An entity as the feed renders it, with its audience.
#[derive(Debug, Clone)]
pub struct Entity {
    /// Id within its kind.
    pub id: i64,
    /// Who may see it.
    pub scope: Scope,
    /// The wire form.
    pub payload: serde_json::Value,
}

/// Which entities of a kind to read.
#[derive(Debug, Clone)]
pub enum Filter {
    /// One entity.
    Id(i64),
    /// Those of a house (tickets, notices, repair plans, premises' devices…).
    House(i64),
    /// Those of a premises (accounts).
    Premises(i64),
    /// Those of an account (bills).
    Account(i64),
    /// Those of a device (readings).
    Device(i64),
    /// Houses with ids above `after` (keyset paging).
    After(i64),
    /// Messages of a community older than `before`, newest first.
    History {
        /// Community.
        community: i64,
        /// Only ids below this.
        before: Option<i64>,
    },
}

/// An authorization code waiting to be exchanged.
#[derive(Debug, Clone)]
pub struct AuthCode {
    /// Person who signed in.
    pub person_id: i64,
    /// Client it was issued to.
    pub client_id: String,
    /// Redirect URI it was issued for.
    pub redirect_uri: String,
    /// PKCE S256 challenge.
    pub code_challenge: String,
    /// Unix seconds.
    pub expires_at: i64,
    /// Whether it was already exchanged.
    pub used: bool,
}

/// A freshly issued token pair, by hashes.
#[derive(Debug, Clone)]
pub struct TokenHashes {
    /// Person.
    pub person_id: i64,
    /// Refresh-token family: every rotation stays in it.
    pub family: String,
    /// SHA-256 of the access token.
    pub access_hash: String,
    /// Unix seconds.
    pub access_expires_at: i64,
    /// SHA-256 of the refresh token.
    pub refresh_hash: String,
    /// Unix seconds.
    pub refresh_expires_at: i64,
}

/// What presenting a refresh token came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refresh {
    /// Rotated: the new pair is stored and the old token is used up.
    Rotated,
    /// The token was already used: the whole family is now revoked.
    Reused,
    /// Unknown, revoked or expired.
    Invalid,
}

/// A message write's outcome.
#[derive(Debug, Clone)]
pub struct Sent {
    /// The message as stored.
    pub message: Message,
    /// False when the idempotency key had been seen and nothing new was stored.
    pub created: bool,
}

/// The backend's storage; SQLite today, a PostgreSQL implementation could stand beside it.
/// Calls block: the API runs them off the async threads.
pub trait Store: Send + Sync + 'static {
    /// The city's figures, computed by queries.
    fn city_stats(&self) -> Result<CityStats>;
    /// The demo persons offered on the sign-in page.
    fn demo_persons(&self) -> Result<Vec<DemoPerson>>;
    /// A demo person's id by their short key.
    fn person_by_demo_key(&self, key: &str) -> Result<Option<i64>>;
    /// Stores an authorization code by its hash.
    fn save_auth_code(&self, code_hash: &str, code: &AuthCode) -> Result<()>;
    /// Reads an authorization code and marks it used, in one step.
    fn take_auth_code(&self, code_hash: &str) -> Result<Option<AuthCode>>;
    /// Stores a new token pair.
    fn save_tokens(&self, tokens: &TokenHashes) -> Result<()>;
    /// Rotates a refresh token into `next` (same family), detecting reuse.
    fn rotate_refresh(&self, refresh_hash: &str, now: i64, next: &dyn Fn(i64, &str) -> TokenHashes) -> Result<Refresh>;
    /// Revokes the family of a refresh or access token (sign-out); false if unknown.
    fn revoke_family(&self, token_hash: &str) -> Result<bool>;
    /// The person and expiry of a live access token.
    fn access_token(&self, access_hash: &str) -> Result<Option<(i64, i64)>>;
    /// What a person may see now.
    fn viewer(&self, person_id: i64) -> Result<Viewer>;
    /// The caller, their houses, communities and offers to join.
    fn me(&self, viewer: &Viewer) -> Result<Me>;
    /// The newest seq of the change log.
    fn head(&self) -> Result<i64>;
    /// Changes after a cursor that the viewer may see, optionally of one audience only.
    fn changes(&self, viewer: &Viewer, after: i64, limit: usize, only: Option<Scope>) -> Result<ChangesPage>;
    /// Entities of a kind as the feed renders them; the caller filters by audience.
    fn entities(&self, kind: ChangeKind, filter: &Filter, limit: usize) -> Result<Vec<Entity>>;
    /// Premises of a house.
    fn premises(&self, house: i64) -> Result<Vec<domkom_domain::wire::Premises>>;
    /// Sends a message; the same (author, key) twice stores it once.
    fn send_message(
        &self,
        viewer: &Viewer,
        community: i64,
        client_key: &str,
        body: &str,
        reply_to: Option<i64>,
    ) -> Result<Sent>;
    /// Edits one's own message.
    fn edit_message(&self, viewer: &Viewer, id: i64, body: &str) -> Result<Message>;
    /// Deletes one's own message (or, for a moderator, anyone's).
    fn delete_message(&self, viewer: &Viewer, id: i64) -> Result<Message>;
    /// Joins a house chat offered to the person.
    fn join(&self, viewer: &Viewer, community: i64) -> Result<domkom_domain::wire::Membership>;
    /// Leaves a community.
    fn leave(&self, viewer: &Viewer, community: i64) -> Result<()>;
    /// Ends a person's ownership of a premises (a sale), with the memberships it carried.
    fn end_ownership(&self, person_id: i64, premises_id: i64) -> Result<()>;
}

/// Told of every committed change so pushes can go out.
pub type ChangeHook = Box<dyn Fn(i64, Scope) + Send + Sync>;
