//! The Domkom client core, used by the desktop app and the `domkom` CLI: sign-in with the
//! refresh token in the OS keyring, an encrypted SQLite cache, the sync engine driven by
//! the backend's change feed and push stream, and a persisted outbox of typed requests.
//!
//! One module per feature holds its apply step, its cache reads and its handle on
//! [`Client`]: [`chat`], [`house`], [`ticket`], [`notice`], [`bill`], [`meter`]. The
//! plumbing they share: [`cache`] (the SQLCipher file), [`feed`] (pages of the change feed),
//! [`outbox`], [`sync`], [`http`] and [`api`], [`session`] and [`secrets`], [`profile`].

pub mod api;
pub mod bill;
pub mod cache;
pub mod chat;
mod client;
pub mod clock;
pub mod error;
pub mod events;
pub mod feed;
pub mod governance;
pub mod house;
pub mod http;
pub mod meter;
pub mod moderation;
pub mod notice;
pub mod notify;
pub mod outbox;
pub mod poll;
pub mod profile;
pub mod secrets;
pub mod session;
pub mod sync;
pub mod ticket;

pub use client::{Client, Options, Written, cache_path};
pub use error::{CoreError, ErrorKind, Result, TaggedError};
pub use events::{Event, SyncStatus};
