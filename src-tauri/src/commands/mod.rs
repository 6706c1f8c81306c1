//! The commands the UI calls, one module per area. Each converts its input, calls the core
//! and maps the result; failures reach the UI as the core's tagged `{kind, message}`.

pub mod bills;
pub mod chats;
pub mod governance;
pub mod houses;
pub mod links;
pub mod meters;
pub mod moderation;
pub mod notices;
pub mod notify;
pub mod polls;
pub mod search;
pub mod session;
pub mod sync;
pub mod tickets;

use domkom_core::error::TaggedError;

/// What every command returns.
pub type CmdResult<T> = Result<T, TaggedError>;

/// Maps a core failure to its tagged form.
pub fn tagged(e: domkom_core::CoreError) -> TaggedError {
    e.tagged()
}
