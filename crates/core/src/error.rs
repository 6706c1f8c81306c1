//! The core's errors. Inside the core an error keeps its cause; at the boundary (the app's
//! commands, the CLI) it becomes a [`TaggedError`]: a stable kind to branch on, the code and
//! named values the UI words in the person's language, and an English message for logs.

use std::collections::BTreeMap;

use serde::Serialize;

/// The cause behind an error, kept for logs and never shown raw to a person.
pub type Cause = Box<dyn std::error::Error + Send + Sync + 'static>;

/// What went wrong in the core.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// The server could not be reached, or answered with something that is not the API
    /// (garbage, a truncated body, a 5xx); trying again later may work.
    #[error("the server is unreachable or failing: {reason}")]
    Network {
        /// What failed, in words that hold no token or URL.
        reason: String,
        /// The transport's own error.
        #[source]
        source: Option<Cause>,
    },
    /// The server refused the request and said why; trying again as is will not work.
    #[error("{message}")]
    Refused {
        /// HTTP status.
        status: u16,
        /// The server's stable code.
        code: String,
        /// The server's message for people (Russian).
        message: String,
        /// The values the server's message names, for wording it in the person's language.
        params: BTreeMap<String, String>,
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
    #[error("the local cache could not be used: {reason}")]
    Cache {
        /// What failed.
        reason: String,
        /// SQLite's own error.
        #[source]
        source: Option<Cause>,
    },
    /// A rule refused what the person asked for before anything was sent or stored.
    #[error("{0}")]
    Invalid(Invalid),
    /// The data directory belongs to another server; nothing in it was touched.
    #[error(
        "the data directory {data_dir} belongs to the server {belongs_to}, not {asked}: use {belongs_to}, or another data directory (--data) for {asked}"
    )]
    OtherServer {
        /// The directory.
        data_dir: String,
        /// The server it was made for.
        belongs_to: String,
        /// The server asked for now.
        asked: String,
    },
    /// A local file or socket failed.
    #[error("input/output failed: {reason}")]
    Io {
        /// What failed.
        reason: String,
        /// The system's own error.
        #[source]
        source: Option<Cause>,
    },
}

/// A refusal by a rule, with a stable code and the values its wording needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// Stable code, e.g. `message_empty`, `no_such_chat`.
    pub code: String,
    /// Named values for the wording (`{"id": "12"}`).
    pub params: BTreeMap<String, String>,
    /// English text for logs and scripts.
    pub message: String,
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// The kinds of failure a person or a script branches on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The server is unreachable or failing; it will be tried again.
    Network,
    /// The server refused; see the code.
    Refused,
    /// Too many requests; wait.
    RateLimited,
    /// The session ended; sign in again.
    SignedOut,
    /// No usable OS keyring.
    Keyring,
    /// The cache was made by a newer Domkom.
    CacheTooNew,
    /// The cache could not be used.
    Cache,
    /// A rule refused the input; see the code.
    Invalid,
    /// The data directory belongs to another server.
    OtherServer,
    /// A local file or socket failed.
    Io,
    /// A command that needs a session was called before sign-in (the app's shell).
    NotSignedIn,
    /// A failure the app did not expect.
    Internal,
}

impl ErrorKind {
    /// The kind's stable name, as the UI and scripts see it (`other_server`).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Network => "network",
            ErrorKind::Refused => "refused",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::SignedOut => "signed_out",
            ErrorKind::Keyring => "keyring",
            ErrorKind::CacheTooNew => "cache_too_new",
            ErrorKind::Cache => "cache",
            ErrorKind::Invalid => "invalid",
            ErrorKind::OtherServer => "other_server",
            ErrorKind::Io => "io",
            ErrorKind::NotSignedIn => "not_signed_in",
            ErrorKind::Internal => "internal",
        }
    }
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl CoreError {
    /// A transient failure to reach the server.
    pub fn network(reason: impl Into<String>) -> CoreError {
        CoreError::Network { reason: reason.into(), source: None }
    }

    /// A cache failure without an underlying SQLite error.
    pub fn cache(reason: impl Into<String>) -> CoreError {
        CoreError::Cache { reason: reason.into(), source: None }
    }

    /// A local I/O failure without an underlying system error.
    pub fn io(reason: impl Into<String>) -> CoreError {
        CoreError::Io { reason: reason.into(), source: None }
    }

    /// A refusal by a rule: its code, the values its wording needs, and English text.
    pub fn invalid(code: &str, params: &[(&str, String)], message: impl Into<String>) -> CoreError {
        CoreError::Invalid(Invalid {
            code: code.to_owned(),
            params: params.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect(),
            message: message.into(),
        })
    }

    /// A domain rule's refusal (a message too long, a reading below the last one).
    pub fn refused(e: &dyn domkom_domain::Coded) -> CoreError {
        CoreError::Invalid(Invalid {
            code: e.code().to_owned(),
            params: e.params().into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
            message: e.to_string(),
        })
    }

    /// The stable kind.
    pub fn kind(&self) -> ErrorKind {
        match self {
            CoreError::Network { .. } => ErrorKind::Network,
            CoreError::Refused { .. } => ErrorKind::Refused,
            CoreError::RateLimited { .. } => ErrorKind::RateLimited,
            CoreError::SignedOut(_) => ErrorKind::SignedOut,
            CoreError::Keyring(_) => ErrorKind::Keyring,
            CoreError::CacheTooNew { .. } => ErrorKind::CacheTooNew,
            CoreError::Cache { .. } => ErrorKind::Cache,
            CoreError::Invalid(_) => ErrorKind::Invalid,
            CoreError::OtherServer { .. } => ErrorKind::OtherServer,
            CoreError::Io { .. } => ErrorKind::Io,
        }
    }

    /// Whether trying the same thing again later may succeed.
    pub fn is_transient(&self) -> bool {
        matches!(self, CoreError::Network { .. } | CoreError::RateLimited { .. })
    }

    /// The code and named values the UI words the error with.
    fn code_and_params(&self) -> (Option<String>, BTreeMap<String, String>) {
        let params = |pairs: &[(&str, String)]| pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect();
        match self {
            CoreError::Refused { code, message, params: named, .. } => {
                let mut all: BTreeMap<String, String> = named.clone();
                all.insert("server_message".into(), message.clone());
                (Some(code.clone()), all)
            }
            CoreError::Invalid(invalid) => (Some(invalid.code.clone()), invalid.params.clone()),
            CoreError::RateLimited { retry_after_secs } => {
                (None, params(&[("retry_after_secs", retry_after_secs.to_string())]))
            }
            CoreError::CacheTooNew { found, supported } => {
                (None, params(&[("found", found.to_string()), ("supported", supported.to_string())]))
            }
            CoreError::OtherServer { data_dir, belongs_to, asked } => (
                None,
                params(&[("data_dir", data_dir.clone()), ("belongs_to", belongs_to.clone()), ("asked", asked.clone())]),
            ),
            _ => (None, BTreeMap::new()),
        }
    }

    /// The tagged form the UI and `--json` output get; the message carries the causes.
    pub fn tagged(&self) -> TaggedError {
        let mut message = self.to_string();
        let mut cause = std::error::Error::source(self);
        while let Some(c) = cause {
            message.push_str(": ");
            message.push_str(&c.to_string());
            cause = c.source();
        }
        let (code, params) = self.code_and_params();
        TaggedError { kind: self.kind(), code, params, message }
    }
}

/// An error as the app's UI and scripts get it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TaggedError {
    /// Stable kind to branch on.
    pub kind: ErrorKind,
    /// The server's or the rule's stable code, when there is one.
    pub code: Option<String>,
    /// Named values for the wording in the person's language.
    pub params: BTreeMap<String, String>,
    /// English (or the server's Russian) text with its causes, for logs and scripts.
    pub message: String,
}

impl TaggedError {
    /// An error of the app's shell itself (no core error behind it).
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> TaggedError {
        TaggedError { kind, code: None, params: BTreeMap::new(), message: message.into() }
    }
}

impl From<rusqlite::Error> for CoreError {
    fn from(e: rusqlite::Error) -> CoreError {
        CoreError::Cache { reason: "SQLite failed".into(), source: Some(Box::new(e)) }
    }
}

impl From<std::io::Error> for CoreError {
    fn from(e: std::io::Error) -> CoreError {
        CoreError::Io { reason: e.kind().to_string(), source: Some(Box::new(e)) }
    }
}

impl From<CoreError> for TaggedError {
    fn from(e: CoreError) -> TaggedError {
        e.tagged()
    }
}

/// Shorthand for the core's results.
pub type Result<T, E = CoreError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tagged_form_keeps_the_cause_and_the_wording_values() {
        let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "no write access to /data");
        let tagged = CoreError::from(io).tagged();
        assert_eq!(tagged.kind, ErrorKind::Io);
        assert!(tagged.message.ends_with(": no write access to /data"), "{}", tagged.message);

        let tagged = CoreError::RateLimited { retry_after_secs: 7 }.tagged();
        assert_eq!(tagged.params.get("retry_after_secs").map(String::as_str), Some("7"));

        let tagged = CoreError::invalid("no_such_chat", &[("id", "12".into())], "no chat 12").tagged();
        assert_eq!((tagged.code.as_deref(), tagged.params["id"].as_str()), (Some("no_such_chat"), "12"));
        let json = serde_json::to_value(&tagged).unwrap_or_default();
        assert_eq!(json["kind"], "invalid");
        assert_eq!(tagged.kind.to_string(), "invalid", "Display and serde agree");
    }
}
