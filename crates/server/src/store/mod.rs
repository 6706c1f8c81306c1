//! Storage of the backend's data, split by concern into one trait per feature. Each method
//! answers a typed outcome: the data, or an error that says what was refused or missing, never
//! an HTTP status or a text for people (`api/` makes those). [`SqliteStore`] implements them
//! all; `conformance` holds the tests any implementation must pass.

#[cfg(any(test, feature = "conformance"))]
pub mod conformance;
mod sqlite;

pub use sqlite::{SqliteStore, changelog, db_path, migrate, open_connection};

use domkom_domain::chat::Refusal;
use domkom_domain::id::*;
use domkom_domain::message::MessageError;
use domkom_domain::meter::{ReadingError, SubmitReading};
use domkom_domain::notice::{OutageError, PostOutage};
use domkom_domain::ticket::TicketStatus;
use domkom_domain::wire::{
    Account, Bill, ChangesPage, CityStats, Community, DemoPerson, Device, House, Me, Membership, Message, MessagesPage,
    Notice, Premises, Reading, RepairPlan, Ticket,
};

pub use crate::access::{Scope, Viewer};

/// What a missing or hidden thing was, so the API can name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    /// A house.
    House,
    /// A premises.
    Premises,
    /// A community (chat or channel).
    Community,
    /// A chat message.
    Message,
    /// A ticket.
    Ticket,
    /// A personal account.
    Account,
    /// A metering device.
    Device,
    /// An ownership in the registry.
    Ownership,
    /// A person.
    Person,
    /// A notice.
    Notice,
    /// One audience of the change feed.
    FeedScope,
}

/// Why a storage call failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No such thing.
    #[error("{0:?} not found")]
    NotFound(What),
    /// It exists, but is not the viewer's to see.
    #[error("{0:?} is not visible to this person")]
    NotVisible(What),
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
    /// A stored payload does not match its wire type (a bug in a feed view).
    #[error("a stored {kind} does not match its wire type: {source}")]
    Corrupt {
        /// The kind of entity.
        kind: &'static str,
        /// What serde said.
        source: serde_json::Error,
    },
    /// Any other SQLite error.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

/// Why a chat action failed.
#[derive(Debug, thiserror::Error)]
pub enum ChatError {
    /// A chat rule refused it (see [`domkom_domain::chat`]).
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// The message text breaks a rule.
    #[error(transparent)]
    InvalidMessage(#[from] MessageError),
    /// The message replied to is not in this chat.
    #[error("the message replied to is not in this chat")]
    ReplyToUnknown,
    /// Something was missing, or storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for ChatError {
    fn from(e: rusqlite::Error) -> ChatError {
        ChatError::Store(StoreError::Sqlite(e))
    }
}

/// An outage notice as posted.
#[derive(Debug, Clone)]
pub struct Posted {
    /// The notice as the first house named sees it.
    pub notice: Notice,
    /// False when the idempotency key had been seen and nothing new was stored.
    pub created: bool,
}

/// Why an outage notice was not posted.
#[derive(Debug, thiserror::Error)]
pub enum OutageRefusal {
    /// A rule of the domain refused it (see [`domkom_domain::notice::check_outage`]).
    #[error(transparent)]
    Rule(#[from] OutageError),
    /// Only a dispatcher posts outages.
    #[error("only a dispatcher of the managing organisation posts outage notices")]
    NotDispatcher,
    /// A house the poster's organisation does not manage.
    #[error("house {0} is not managed by the poster's organisation")]
    NotManaged(HouseId),
    /// The idempotency key was already used for another notice.
    #[error("the idempotency key was already used for another notice")]
    KeyReused,
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for OutageRefusal {
    fn from(e: rusqlite::Error) -> OutageRefusal {
        OutageRefusal::Store(StoreError::Sqlite(e))
    }
}

/// Why a reading was not taken.
#[derive(Debug, thiserror::Error)]
pub enum ReadingRefusal {
    /// A rule of the domain refused it (see [`domkom_domain::meter::check_reading`]).
    #[error(transparent)]
    Rule(#[from] ReadingError),
    /// The idempotency key was already used for another reading.
    #[error("the idempotency key was already used for another reading")]
    KeyReused,
    /// Something was missing or hidden, or storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for ReadingRefusal {
    fn from(e: rusqlite::Error) -> ReadingRefusal {
        ReadingRefusal::Store(StoreError::Sqlite(e))
    }
}

/// A reading write's outcome.
#[derive(Debug, Clone)]
pub struct Taken {
    /// The reading as stored.
    pub reading: Reading,
    /// False when the idempotency key had been seen and nothing new was stored.
    pub created: bool,
}

/// Shorthand for storage results.
pub type StoreResult<T> = Result<T, StoreError>;

/// An authorization code waiting to be exchanged.
#[derive(Debug, Clone)]
pub struct AuthCode {
    /// Person who signed in.
    pub person_id: PersonId,
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
    pub person_id: PersonId,
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

/// Which tickets of a house to list: a status, and a page by id.
#[derive(Debug, Clone, Copy)]
pub struct TicketFilter {
    /// Only tickets in this status.
    pub status: Option<TicketStatus>,
    /// Only tickets with ids above this.
    pub after: i64,
    /// At most this many.
    pub limit: usize,
}

/// A page of keyset paging: ids above `after`, at most `limit`.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    /// Only ids above this.
    pub after: i64,
    /// At most this many.
    pub limit: usize,
}

/// Sign-in: demo persons, authorization codes, token pairs, and who a person is.
pub trait AuthStore {
    /// The demo persons offered on the sign-in page.
    fn demo_persons(&self) -> StoreResult<Vec<DemoPerson>>;
    /// A demo person's id by their short key.
    fn person_by_demo_key(&self, key: &str) -> StoreResult<Option<PersonId>>;
    /// Stores an authorization code by its hash.
    fn save_auth_code(&self, code_hash: &str, code: &AuthCode) -> StoreResult<()>;
    /// Reads an authorization code and marks it used, in one step.
    fn take_auth_code(&self, code_hash: &str) -> StoreResult<Option<AuthCode>>;
    /// Stores a new token pair.
    fn save_tokens(&self, tokens: &TokenHashes) -> StoreResult<()>;
    /// Rotates a refresh token into `next` (same family), detecting reuse.
    fn rotate_refresh(
        &self,
        refresh_hash: &str,
        now: i64,
        next: &dyn Fn(PersonId, &str) -> TokenHashes,
    ) -> StoreResult<Refresh>;
    /// Revokes the family of a refresh or access token (sign-out); false if unknown.
    fn revoke_family(&self, token_hash: &str) -> StoreResult<bool>;
    /// The person and expiry of a stored access token.
    fn access_token(&self, access_hash: &str) -> StoreResult<Option<(PersonId, i64)>>;
    /// What a person may see now; none for an unknown person.
    fn viewer(&self, person_id: PersonId) -> StoreResult<Option<Viewer>>;
    /// The caller, their houses, communities and offers to join.
    fn me(&self, viewer: &Viewer) -> StoreResult<Me>;
}

/// The change feed: what changed after a cursor, for one person.
pub trait FeedStore {
    /// The newest seq of the change log.
    fn head(&self) -> StoreResult<i64>;
    /// Changes after a cursor that the viewer may see, optionally of one audience only
    /// (which the viewer must see: [`StoreError::NotVisible`] otherwise).
    fn changes(&self, viewer: &Viewer, after: i64, limit: usize, only: Option<Scope>) -> StoreResult<ChangesPage>;
}

/// Communities and their chats.
pub trait ChatStore {
    /// A community the viewer may see.
    fn community(&self, viewer: &Viewer, id: CommunityId) -> StoreResult<Community>;
    /// A page of a community's messages below `before` (none: the newest), newest first.
    fn history(
        &self,
        viewer: &Viewer,
        community: CommunityId,
        before: Option<MessageId>,
        limit: usize,
    ) -> Result<MessagesPage, ChatError>;
    /// Sends a message; the same (author, key) twice stores it once.
    fn send_message(
        &self,
        viewer: &Viewer,
        community: CommunityId,
        client_key: &str,
        body: &str,
        reply_to: Option<MessageId>,
    ) -> Result<Sent, ChatError>;
    /// Edits one's own message.
    fn edit_message(&self, viewer: &Viewer, id: MessageId, body: &str) -> Result<Message, ChatError>;
    /// Deletes one's own message (or, for a moderator, anyone's).
    fn delete_message(&self, viewer: &Viewer, id: MessageId) -> Result<Message, ChatError>;
    /// Joins a house chat offered to the person, with its microdistrict channels.
    fn join(&self, viewer: &Viewer, community: CommunityId) -> Result<Membership, ChatError>;
    /// Leaves a community.
    fn leave(&self, viewer: &Viewer, community: CommunityId) -> Result<(), ChatError>;
}

/// Houses: passports, premises, tickets, notices, repair plans and collective meters.
pub trait HouseStore {
    /// The viewer's houses with ids in the page (the Inspection pages through all).
    fn houses(&self, viewer: &Viewer, page: Page) -> StoreResult<Vec<House>>;
    /// A house's passport.
    fn house(&self, viewer: &Viewer, id: HouseId) -> StoreResult<House>;
    /// A house's premises.
    fn premises(&self, viewer: &Viewer, house: HouseId) -> StoreResult<Vec<Premises>>;
    /// A house's tickets, filtered and paged by id.
    fn tickets(&self, viewer: &Viewer, house: HouseId, filter: TicketFilter) -> StoreResult<Vec<Ticket>>;
    /// A ticket with its status history.
    fn ticket(&self, viewer: &Viewer, id: TicketId) -> StoreResult<Ticket>;
    /// A house's notices.
    fn notices(&self, viewer: &Viewer, house: HouseId) -> StoreResult<Vec<Notice>>;
    /// Posts a dispatcher's outage notice for houses their organisation manages, by the
    /// domain's rules and the store's clock, and tells each house's chat. The same
    /// (person, key) twice stores it once.
    fn post_outage(&self, viewer: &Viewer, req: &PostOutage) -> Result<Posted, OutageRefusal>;
    /// A house's capital-repair plan.
    fn repairs(&self, viewer: &Viewer, house: HouseId) -> StoreResult<Vec<RepairPlan>>;
    /// A house's collective (ОДПУ) meters.
    fn house_devices(&self, viewer: &Viewer, house: HouseId) -> StoreResult<Vec<Device>>;
}

/// A premises' services: accounts, bills, meters and readings (its holders' only).
pub trait ServicesStore {
    /// The viewer's personal accounts.
    fn accounts(&self, viewer: &Viewer) -> StoreResult<Vec<Account>>;
    /// An account's bills, newest first.
    fn bills(&self, viewer: &Viewer, account: AccountId) -> StoreResult<Vec<Bill>>;
    /// A premises' meters.
    fn premises_devices(&self, viewer: &Viewer, premises: PremisesId) -> StoreResult<Vec<Device>>;
    /// A meter's readings, newest first.
    fn readings(&self, viewer: &Viewer, device: DeviceId) -> StoreResult<Vec<Reading>>;
    /// Takes a holder's reading of their flat's meter, by the rules of the domain and the
    /// store's clock in the house's time zone; inside the window a second reading of the
    /// same period corrects the first, and both stay. The same (person, key) twice stores
    /// it once.
    fn submit_reading(&self, viewer: &Viewer, device: DeviceId, req: &SubmitReading) -> Result<Taken, ReadingRefusal>;
}

/// The emulated housing registry's changes.
pub trait RegistryStore {
    /// Ends a person's ownership of a premises (a sale), with the memberships it carried.
    fn end_ownership(&self, person_id: PersonId, premises_id: PremisesId) -> StoreResult<()>;
}

/// The city's figures.
pub trait StatsStore {
    /// The city's figures, computed by queries.
    fn city_stats(&self) -> StoreResult<CityStats>;
}

/// The backend's whole storage: every concern. SQLite today; a PostgreSQL implementation
/// would implement the same traits and run `conformance`. Calls block: the API runs them
/// off the async threads.
pub trait Store:
    AuthStore + FeedStore + ChatStore + HouseStore + ServicesStore + RegistryStore + StatsStore + Send + Sync + 'static
{
}

impl<T> Store for T where
    T: AuthStore
        + FeedStore
        + ChatStore
        + HouseStore
        + ServicesStore
        + RegistryStore
        + StatsStore
        + Send
        + Sync
        + 'static
{
}

/// Told of every committed change so pushes can go out.
pub type ChangeHook = Box<dyn Fn(i64, Scope) + Send + Sync>;
