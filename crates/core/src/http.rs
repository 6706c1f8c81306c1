//! The core's one HTTP client and the one reader of the server's answers, shared by the
//! session (token endpoints) and the API (everything under `/v1`).

use std::time::Duration;

use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use url::Url;

use domkom_domain::wire::ApiError;

use crate::clock::ServerClock;
use crate::error::{CoreError, Result};

/// How long to wait after a 429 that names no `Retry-After`.
pub const DEFAULT_RETRY_AFTER_SECS: u64 = 5;

/// The HTTP client of one server.
#[derive(Debug, Clone)]
pub struct Http {
    client: reqwest::Client,
    base: Url,
    clock: std::sync::Arc<ServerClock>,
}

impl Http {
    /// A client of the server at `base`; a request that takes longer than `timeout` (a
    /// stalled server) fails as transient.
    pub fn new(mut base: Url, timeout: Duration) -> Result<Http> {
        // Endpoints are joined onto the base, which drops a last segment without a slash.
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        let client = reqwest::Client::builder()
            // Tokens travel in form bodies and headers; they must never be re-sent to
            // wherever a redirect points. The one redirect of the sign-in is followed by hand.
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(timeout.min(Duration::from_secs(5)))
            .timeout(timeout)
            .user_agent(concat!("domkom-core/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(transport)?;
        Ok(Http { client, base, clock: Default::default() })
    }

    /// The server's base URL (ending in a slash).
    pub fn base(&self) -> &Url {
        &self.base
    }

    /// The server's clock as its answers told it.
    pub fn clock(&self) -> &ServerClock {
        &self.clock
    }

    /// The reqwest client, for requests built by hand.
    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// The address of an endpoint such as `v1/me` or `oauth/token`.
    pub fn endpoint(&self, path: &str) -> Result<Url> {
        self.base.join(path.trim_start_matches('/')).map_err(|e| {
            CoreError::invalid("bad_server_url", &[("server", self.base.to_string())], format!("bad server URL: {e}"))
        })
    }
}

/// A transport failure as a transient error, keeping its causes but not the URL (a
/// callback URL holds an authorization code).
pub fn transport(e: reqwest::Error) -> CoreError {
    let e = e.without_url();
    let reason = if e.is_timeout() {
        "the request timed out"
    } else if e.is_connect() {
        "could not connect"
    } else if e.is_body() || e.is_decode() {
        "the answer was cut off"
    } else {
        "the request failed"
    };
    CoreError::Network { reason: reason.into(), source: Some(Box::new(e)) }
}

/// Reads an answer: JSON of `T` on success, the error the server gave otherwise.
pub async fn read_answer<T: DeserializeOwned>(answer: reqwest::Response) -> Result<T> {
    if !answer.status().is_success() {
        return Err(error_from(answer).await);
    }
    let body = answer.bytes().await.map_err(transport)?;
    // serde's message may quote a value from the body, which may be a token: say only where.
    serde_json::from_slice(&body).map_err(|e| {
        CoreError::network(format!(
            "the server's answer is not what the API promises ({:?} error at line {} column {})",
            e.classify(),
            e.line(),
            e.column()
        ))
    })
}

/// The error an unsuccessful answer stands for.
pub async fn error_from(answer: reqwest::Response) -> CoreError {
    let status = answer.status();
    let retry_after = answer
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let body = match answer.bytes().await {
        Ok(body) => body,
        Err(e) => return transport(e),
    };
    let api = serde_json::from_slice::<ApiError>(&body).ok();
    match (status, api) {
        (StatusCode::TOO_MANY_REQUESTS, _) => {
            CoreError::RateLimited { retry_after_secs: retry_after.unwrap_or(DEFAULT_RETRY_AFTER_SECS) }
        }
        (StatusCode::UNAUTHORIZED, Some(api)) => CoreError::SignedOut(api.message),
        (s, Some(api)) if s.is_client_error() => {
            CoreError::Refused { status: s.as_u16(), code: api.code, message: api.message, params: api.params }
        }
        (s, Some(api)) => CoreError::network(format!("the server answered {}: {}", s.as_u16(), api.message)),
        // A 4xx without the API's error body comes from something in between (a proxy, a
        // captive portal), not from the server's judgement of the request.
        (s, None) => CoreError::network(format!("the server answered {} without an API error", s.as_u16())),
    }
}
