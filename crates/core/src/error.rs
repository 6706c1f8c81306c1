//! The core's errors. Each variant has a stable `kind` the UI and the CLI branch on.

use serde::Serialize;

/// What went wrong in the core.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// The server could not be reached, or answered with something that is not the API
    /// (garbage, a truncated body, a 5xx); trying again later may work.
    #[error("the server is unreachable or failing: {0}")]
    Network(String),
    /// The server refused the request and said why; trying again as is will not work.
    #[error("{message}")]
    Refused {
        /// HTTP status.
        status: u16,
        /// The server's stable code.
        code: String,
        /// The server's message for people.
        message: String,
    },
    /// The server asks to slow down.
    #[error("too many requests: retry in {retry_after_secs} s")]
    RateLimited {
        /// Seconds to wait.
        retry_after_secs: u64,
    },
    /// No one is signed in, or the session ended; sign in again.
    #[error("not signed in: {0}")]
    SignedOut(String),
    /// The OS keyring is missing or refused; secrets are never written elsewhere.
    #[error(
        "the system keyring is not available ({0}); Domkom keeps its keys only there, so start or unlock it (on Linux: a Secret Service such as gnome-keyring)"
    )]
    Keyring(String),
    /// The cache was made by a newer Domkom.
    #[error("the cache was made by a newer Domkom (schema {found}, this one knows {supported}); update Domkom")]
    CacheTooNew {
        /// Schema version in the file.
        found: i64,
        /// Newest this build knows.
        supported: i64,
    },
    /// The cache file could not be used (corrupt, or its key is gone).
    #[error("the local cache could not be opened: {0}")]
    Cache(String),
    /// Something the person asked for is not there or not allowed by the rules.
    #[error("{0}")]
    Invalid(String),
    /// A local file or socket failed.
    #[error("input/output failed: {0}")]
    Io(String),
}

impl CoreError {
    /// The stable kind name, e.g. `network`, `refused`, `signed_out`.
    pub fn kind(&self) -> &'static str {
        match self {
            CoreError::Network(_) => "network",
            CoreError::Refused { .. } => "refused",
            CoreError::RateLimited { .. } => "rate_limited",
            CoreError::SignedOut(_) => "signed_out",
            CoreError::Keyring(_) => "keyring",
            CoreError::CacheTooNew { .. } => "cache_too_new",
            CoreError::Cache(_) => "cache",
            CoreError::Invalid(_) => "invalid",
            CoreError::Io(_) => "io",
        }
    }

    /// Whether trying the same thing again later may succeed.
    pub fn is_transient(&self) -> bool {
        matches!(self, CoreError::Network(_) | CoreError::RateLimited { .. })
    }

    /// The tagged form the UI and `--json` output get.
    pub fn tagged(&self) -> TaggedError {
        TaggedError { kind: self.kind(), message: self.to_string() }
    }
}

/// An error as `{kind, message}`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TaggedError {
    /// Stable kind.
    pub kind: &'static str,
    /// For people.
    pub message: String,
}

impl From<rusqlite::Error> for CoreError {
    fn from(e: rusqlite::Error) -> CoreError {
        CoreError::Cache(e.to_string())
    }
}

impl From<std::io::Error> for CoreError {
    fn from(e: std::io::Error) -> CoreError {
        CoreError::Io(e.to_string())
    }
}

impl From<reqwest::Error> for CoreError {
    fn from(e: reqwest::Error) -> CoreError {
        CoreError::Network(e.to_string())
    }
}

/// Shorthand for the core's results.
pub type Result<T, E = CoreError> = std::result::Result<T, E>;
