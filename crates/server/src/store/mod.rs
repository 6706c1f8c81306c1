//! Storage of the backend's data, split by concern into one trait per feature. Each method
//! answers a typed outcome: the data, or an error that says what was refused or missing, never
//! an HTTP status or a text for people (`api/` makes those). [`SqliteStore`] implements them
//! all; `conformance` holds the tests any implementation must pass.

#[cfg(any(test, feature = "conformance"))]
pub mod conformance;
mod sqlite;

pub use sqlite::{SqliteStore, changelog, db_path, migrate, open_connection};

use domkom_domain::chat::Refusal;
use domkom_domain::governance::{ApplicationState, GovRefusal};
use domkom_domain::id::*;
use domkom_domain::message::MessageError;
use domkom_domain::meter::{ReadingError, SubmitReading};
use domkom_domain::moderation::{ModRefusal, Resolution};
use domkom_domain::notice::{OutageError, PostOutage};
use domkom_domain::poll::{PollBasis, PollError};
use domkom_domain::ticket::{
    AssignTicket, CommentError, CommentTicket, ConfirmTicket, FileTicket, MoveRefusal, MoveTicket, PhotoRef, Staff,
    TicketCategory, TicketComment, TicketError, TicketStatus, Upload,
};
use domkom_domain::wire::{
    Account, AdminApplication, Bill, ChangesPage, CityStats, Community, DemoPerson, Device, House, Me, Membership,
    Message, MessagesPage, ModEntry, Notice, Org, Poll, Premises, Reaction, Reading, RepairPlan, Report, Ticket,
    Transferred, Voted,
};

pub use crate::access::{Scope, Viewer};

/// What a missing or hidden thing was, so the API can name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    /// A house.
    House,
    /// A ticket comment.
    TicketComment,
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
    /// A ticket's photo.
    Photo,
    /// An upload.
    Upload,
    /// An entry of a moderation log.
    ModEntry,
    /// A complaint about a message.
    Report,
    /// An application for admin rights.
    Application,
    /// A managing organisation.
    Org,
    /// A poll.
    Poll,
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
    /// A moderator's limit refused it (a mute, slow mode, a ban).
    #[error(transparent)]
    Moderation(#[from] ModRefusal),
    /// Something was missing, or storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for ChatError {
    fn from(e: rusqlite::Error) -> ChatError {
        ChatError::Store(StoreError::Sqlite(e))
    }
}

/// Why a moderation action, complaint or appeal failed.
#[derive(Debug, thiserror::Error)]
pub enum ModError {
    /// A moderation rule refused it (see [`domkom_domain::moderation`]).
    #[error(transparent)]
    Refused(#[from] ModRefusal),
    /// Something was missing or hidden, or storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for ModError {
    fn from(e: rusqlite::Error) -> ModError {
        ModError::Store(StoreError::Sqlite(e))
    }
}

/// Why a governance action failed.
#[derive(Debug, thiserror::Error)]
pub enum GovError {
    /// A governance rule refused it (see [`domkom_domain::governance`]).
    #[error(transparent)]
    Refused(#[from] GovRefusal),
    /// Something was missing or hidden, or storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for GovError {
    fn from(e: rusqlite::Error) -> GovError {
        GovError::Store(StoreError::Sqlite(e))
    }
}

/// Why a poll or a vote failed.
#[derive(Debug, thiserror::Error)]
pub enum PollRefusal {
    /// A poll rule refused it (see [`domkom_domain::poll`]).
    #[error(transparent)]
    Rule(#[from] PollError),
    /// Something was missing or hidden, or storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for PollRefusal {
    fn from(e: rusqlite::Error) -> PollRefusal {
        PollRefusal::Store(StoreError::Sqlite(e))
    }
}

/// A poll write's outcome.
#[derive(Debug, Clone)]
pub struct Opened<T> {
    /// What was stored.
    pub value: T,
    /// False when the idempotency key had been seen and nothing new was stored.
    pub created: bool,
}

/// A complaint as stored.
#[derive(Debug, Clone)]
pub struct Reported {
    /// The complaint.
    pub report: Report,
    /// False when this person had complained of the message before (or sent the same key).
    pub created: bool,
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

/// Whose tickets: anyone's, nobody's, or one executor's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assignee {
    /// Not given to anyone.
    Nobody,
    /// Given to this person.
    Person(PersonId),
}

/// Which tickets of all the viewer's houses to list (the dispatcher's queue over HTTP).
#[derive(Debug, Clone, Copy)]
pub struct TicketQuery {
    /// Only this house.
    pub house: Option<HouseId>,
    /// Only tickets in this status.
    pub status: Option<TicketStatus>,
    /// Only this category.
    pub category: Option<TicketCategory>,
    /// Only these assignees.
    pub assignee: Option<Assignee>,
    /// Only open tickets past their deadline.
    pub overdue: bool,
    /// Only tickets with ids above this.
    pub after: i64,
    /// At most this many.
    pub limit: usize,
}

/// A ticket write's outcome.
#[derive(Debug, Clone)]
pub struct Filed {
    /// The ticket as it stands after the write.
    pub ticket: Ticket,
    /// False when the idempotency key had been seen and nothing new was stored.
    pub created: bool,
}

/// A comment write's outcome.
#[derive(Debug, Clone)]
pub struct Commented {
    /// The comment as stored.
    pub comment: TicketComment,
    /// False when the idempotency key had been seen and nothing new was stored.
    pub created: bool,
}

/// Why a ticket action was refused.
#[derive(Debug, thiserror::Error)]
pub enum TicketRefusal {
    /// The ticket breaks a rule of filing.
    #[error(transparent)]
    Rule(#[from] TicketError),
    /// The move breaks a rule of moving.
    #[error(transparent)]
    Move(#[from] MoveRefusal),
    /// The comment breaks a rule.
    #[error(transparent)]
    Comment(#[from] CommentError),
    /// Only a resident of the house files or co-signs its tickets.
    #[error("only a resident of the house files or joins its tickets")]
    NotResident,
    /// A resident filed too many tickets today.
    #[error("too many tickets today")]
    DailyLimit,
    /// The ticket moved since the mover saw it.
    #[error("the ticket is now {0}")]
    StatusChanged(TicketStatus),
    /// Only done tickets are confirmed.
    #[error("the ticket is not done")]
    NotDone,
    /// Confirmed already.
    #[error("the ticket is confirmed already")]
    AlreadyConfirmed,
    /// Only the author confirms.
    #[error("only the ticket's author confirms it")]
    NotAuthor,
    /// Only a dispatcher of the managing organisation assigns.
    #[error("only a dispatcher of the managing organisation assigns tickets")]
    NotDispatcher,
    /// The assignee is not on the managing organisation's staff.
    #[error("person {0} is not on the managing organisation's staff")]
    NotStaff(PersonId),
    /// A resident tried an internal comment.
    #[error("only staff write internal comments")]
    InternalForbidden,
    /// Only the author, co-signers and staff comment.
    #[error("only the ticket's author, co-signers and the staff comment on it")]
    NotParticipant,
    /// The ticket is closed to residents' comments and co-signing.
    #[error("the ticket is closed")]
    Closed,
    /// One's own ticket, or a ticket about a flat, is not co-signed.
    #[error("this ticket cannot be joined")]
    CannotCosign,
    /// The chat message is already a ticket.
    #[error("the message is already ticket {0}")]
    MessageAlreadyTicket(TicketId),
    /// The chat message is not in the house's chat, or is deleted.
    #[error("the message is not in this house's chat")]
    MessageElsewhere,
    /// The idempotency key was already used for something else.
    #[error("the idempotency key was already used for another request")]
    KeyReused,
    /// A photo the filer did not upload (or never finished).
    #[error("photo {0} is not one of your uploads")]
    PhotoUnknown(String),
    /// Something was missing or hidden, or storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for TicketRefusal {
    fn from(e: rusqlite::Error) -> TicketRefusal {
        TicketRefusal::Store(StoreError::Sqlite(e))
    }
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
    /// Opens the chat of a house under 16 flats (a verified owner there, or its managing
    /// organisation's staff), unofficial, with the opener as its moderator.
    fn open_house_chat(&self, viewer: &Viewer, house: HouseId) -> Result<Community, ChatError>;
    /// Sends a message; the same (author, key) twice stores it once. A microdistrict
    /// channel's post may be for some of its houses (`houses`; empty: all).
    fn post_message(
        &self,
        viewer: &Viewer,
        community: CommunityId,
        client_key: &str,
        body: &str,
        reply_to: Option<MessageId>,
        houses: &[HouseId],
    ) -> Result<Sent, ChatError>;
    /// Sends a message to the whole community.
    fn send_message(
        &self,
        viewer: &Viewer,
        community: CommunityId,
        client_key: &str,
        body: &str,
        reply_to: Option<MessageId>,
    ) -> Result<Sent, ChatError> {
        self.post_message(viewer, community, client_key, body, reply_to, &[])
    }
    /// Sets the person's reaction to a message, replacing their earlier one.
    fn react(&self, viewer: &Viewer, message: MessageId, emoji: &str) -> Result<Reaction, ChatError>;
    /// Takes the person's reaction back (nothing to take back is fine).
    fn unreact(&self, viewer: &Viewer, message: MessageId) -> Result<(), ChatError>;
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

/// Tickets: filed by residents, worked by the managing organisation's dispatchers, read by
/// the Inspection. Every write is judged by the rules of `domkom_domain::ticket`.
pub trait TicketStore {
    /// A house's tickets, filtered and paged by id.
    fn tickets(&self, viewer: &Viewer, house: HouseId, filter: TicketFilter) -> StoreResult<Vec<Ticket>>;
    /// Tickets of every house the viewer sees (a dispatcher: the organisation's), filtered
    /// and paged by id.
    fn queue(&self, viewer: &Viewer, query: &TicketQuery) -> StoreResult<Vec<Ticket>>;
    /// A ticket with its history.
    fn ticket(&self, viewer: &Viewer, id: TicketId) -> StoreResult<Ticket>;
    /// A ticket's comments the viewer may read (a resident: the public ones), oldest first.
    fn ticket_comments(&self, viewer: &Viewer, id: TicketId) -> StoreResult<Vec<TicketComment>>;
    /// Files a ticket with its regulated deadline in the house's time zone. A dispatcher
    /// files only from a chat message, for its author. The same (person, key) files once.
    fn file_ticket(&self, viewer: &Viewer, req: &FileTicket) -> Result<Filed, TicketRefusal>;
    /// Moves a ticket by the table of moves; the same (person, key) moves once.
    fn move_ticket(&self, viewer: &Viewer, id: TicketId, req: &MoveTicket) -> Result<Filed, TicketRefusal>;
    /// The author confirms the work done.
    fn confirm_ticket(&self, viewer: &Viewer, id: TicketId, req: &ConfirmTicket) -> Result<Filed, TicketRefusal>;
    /// A dispatcher gives a ticket to an executor of the organisation, or takes it back.
    fn assign_ticket(&self, viewer: &Viewer, id: TicketId, req: &AssignTicket) -> Result<Ticket, TicketRefusal>;
    /// Comments on a ticket; the same (person, key) stores once.
    fn comment_ticket(&self, viewer: &Viewer, id: TicketId, req: &CommentTicket) -> Result<Commented, TicketRefusal>;
    /// A resident of the house joins a ticket ("me too"), or leaves it.
    fn cosign_ticket(&self, viewer: &Viewer, id: TicketId, join: bool) -> Result<Ticket, TicketRefusal>;
    /// The staff of the organisation managing a house, to give its tickets to.
    fn staff(&self, viewer: &Viewer, house: HouseId) -> StoreResult<Vec<Staff>>;
}

/// Photos' records (their files are `crate::blobs`): uploads by person and key, and the
/// photos of tickets, served to whoever sees the ticket.
pub trait PhotoStore {
    /// The viewer's upload under a key, if they started one.
    fn upload(&self, viewer: &Viewer, key: &str) -> StoreResult<Option<Upload>>;
    /// Starts the viewer's upload of `total` bytes under a key, or finds it; an upload
    /// started with another length answers `None`.
    fn start_upload(&self, viewer: &Viewer, key: &str, total: u64) -> StoreResult<Option<Upload>>;
    /// Records how many bytes arrived.
    fn upload_progress(&self, viewer: &Viewer, key: &str, received: u64) -> StoreResult<()>;
    /// Records a complete upload's photo (a photo is stored once, whoever uploads it again).
    fn upload_done(&self, viewer: &Viewer, key: &str, photo: &PhotoRef) -> StoreResult<Upload>;
    /// Forgets an upload whose photo was refused, so its key can start over.
    fn upload_refused(&self, viewer: &Viewer, key: &str) -> StoreResult<()>;
    /// A photo of a ticket the viewer sees.
    fn ticket_photo(&self, viewer: &Viewer, ticket: TicketId, photo: &str) -> StoreResult<PhotoRef>;
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
    /// The registry's managing organisations, by name.
    fn orgs(&self) -> StoreResult<Vec<Org>>;
}

/// Moderation: pins, deletions with a reason, mutes, bans, slow mode, complaints, the log
/// and its appeals. Every action is logged; the rules are `domkom_domain::moderation`'s.
pub trait ModerationStore {
    /// A chat's pinned messages, newest pin first (for a member who joined after they were pinned).
    fn pins(&self, viewer: &Viewer, community: CommunityId) -> Result<Vec<Message>, ModError>;
    /// Pins a message above its chat, or takes it down; doing it twice changes nothing.
    fn pin(&self, viewer: &Viewer, message: MessageId, pinned: bool) -> Result<Message, ModError>;
    /// Deletes someone's message with a reason members read in its place; its words stay in
    /// the log for moderators. Open complaints about it are resolved with it.
    fn remove_message(&self, viewer: &Viewer, message: MessageId, reason: &str) -> Result<Message, ModError>;
    /// Mutes a resident for `seconds`, or lifts a mute (`seconds` None).
    fn mute(
        &self,
        viewer: &Viewer,
        community: CommunityId,
        person: PersonId,
        seconds: Option<u32>,
        reason: Option<&str>,
    ) -> Result<ModEntry, ModError>;
    /// Bans a resident (the membership ends and rejoining is barred), or lifts a ban (the
    /// Inspection only).
    fn ban(
        &self,
        viewer: &Viewer,
        community: CommunityId,
        person: PersonId,
        banned: bool,
        reason: Option<&str>,
    ) -> Result<ModEntry, ModError>;
    /// Sets slow mode (0: off).
    fn set_slow_mode(&self, viewer: &Viewer, community: CommunityId, seconds: u32) -> Result<Community, ModError>;
    /// A member's complaint about a message; one per person and message.
    fn report(&self, viewer: &Viewer, message: MessageId, client_key: &str, reason: &str)
    -> Result<Reported, ModError>;
    /// A community's complaints for its moderators, open ones first, newest first.
    fn reports(&self, viewer: &Viewer, community: CommunityId) -> Result<Vec<Report>, ModError>;
    /// Resolves an open complaint by deleting the message or dismissing it.
    fn resolve_report(
        &self,
        viewer: &Viewer,
        report: ReportId,
        resolution: Resolution,
        reason: Option<&str>,
    ) -> Result<Report, ModError>;
    /// A page of a community's log, newest first (the words of deleted messages for its
    /// moderators and the Inspection only).
    fn mod_log(
        &self,
        viewer: &Viewer,
        community: CommunityId,
        before: Option<ModEntryId>,
        limit: usize,
    ) -> Result<Vec<ModEntry>, ModError>;
    /// A member's appeal of an entry to the Inspection.
    fn appeal(&self, viewer: &Viewer, entry: ModEntryId, text: &str) -> Result<ModEntry, ModError>;
    /// The Inspection's answer to an appeal.
    fn answer_appeal(&self, viewer: &Viewer, entry: ModEntryId, text: &str) -> Result<ModEntry, ModError>;
}

/// Governance by the Inspection: applications for admin rights and their decisions, and the
/// transfer of a house to another managing organisation.
pub trait GovernanceStore {
    /// Applies for a community's admin rights (its house's managing organisation's staff, or
    /// a chair of a ТСЖ/ЖСК house).
    fn apply_for_rights(
        &self,
        viewer: &Viewer,
        community: CommunityId,
        details: Option<&str>,
    ) -> Result<AdminApplication, GovError>;
    /// Applications the viewer sees (the Inspection: all; staff: their houses'; others: their
    /// own), open ones first, oldest first.
    fn applications(&self, viewer: &Viewer, state: Option<ApplicationState>)
    -> Result<Vec<AdminApplication>, GovError>;
    /// The Inspection grants or refuses an open application.
    fn decide(
        &self,
        viewer: &Viewer,
        application: ApplicationId,
        grant: bool,
        reason: Option<&str>,
    ) -> Result<AdminApplication, GovError>;
    /// The Inspection records a new managing organisation for a house from a day.
    fn transfer(
        &self,
        viewer: &Viewer,
        house: HouseId,
        org: OrgId,
        from: &str,
        grant_rights: bool,
    ) -> Result<Transferred, GovError>;
}

/// Polls in house chats.
pub trait PollStore {
    /// Opens a poll (the chat's moderators and the Inspection).
    #[allow(clippy::too_many_arguments)]
    fn open_poll(
        &self,
        viewer: &Viewer,
        community: CommunityId,
        client_key: &str,
        question: &str,
        options: &[String],
        basis: PollBasis,
        closes_at: &str,
    ) -> Result<Opened<Poll>, PollRefusal>;
    /// A chat's polls, newest first.
    fn polls(&self, viewer: &Viewer, community: CommunityId) -> Result<Vec<Poll>, PollRefusal>;
    /// Casts (or changes) the vote of each premises the viewer holds in the house.
    fn vote(&self, viewer: &Viewer, poll: PollId, client_key: &str, option: u32) -> Result<Opened<Voted>, PollRefusal>;
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
    AuthStore
    + FeedStore
    + ChatStore
    + ModerationStore
    + GovernanceStore
    + PollStore
    + HouseStore
    + TicketStore
    + PhotoStore
    + ServicesStore
    + RegistryStore
    + StatsStore
    + Send
    + Sync
    + 'static
{
}

impl<T> Store for T where
    T: AuthStore
        + FeedStore
        + ChatStore
        + ModerationStore
        + GovernanceStore
        + PollStore
        + HouseStore
        + TicketStore
        + PhotoStore
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
