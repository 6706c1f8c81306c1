//! The Domkom client core, used by the desktop app and the `domkom` CLI: sign-in with the
//! refresh token in the OS keyring, an encrypted SQLite cache, the sync engine driven by
//! the backend's change feed and push stream, and a persisted outbox.

pub mod api;
pub mod cache;
mod client;
pub mod error;
pub mod events;
pub mod notify;
pub mod secrets;
pub mod session;
pub mod sync;

pub use client::{Client, Options, cache_path};
pub use error::{CoreError, Result};
pub use events::{Event, SyncStatus};
