//! The HTTP API, one file per feature: routes and handlers, and the only place where an
//! outcome becomes an HTTP status (see `error`). The OpenAPI document is generated from the
//! handlers' annotations (`doc`).

mod auth;
mod chat;
mod doc;
pub mod error;
mod extract;
mod feed;
mod governance;
mod house;
mod limit;
mod moderation;
mod photos;
mod polls;
mod registry;
mod services;
mod stats;
mod tickets;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{delete, get, patch, post, put};
use tokio::sync::{broadcast, watch};

use crate::esia::TokenPolicy;
use crate::store::{Scope, Store};
use error::{Error, Result};

pub use extract::{Auth, AuthToken, Json};
pub use limit::SendLimit;

/// The largest request body accepted.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// Storage.
    pub store: Arc<dyn Store>,
    /// Token lifetimes.
    pub tokens: TokenPolicy,
    /// Per-person send limit.
    pub send_limit: Arc<SendLimit>,
    /// Committed changes, for the push stream.
    pub changes: broadcast::Sender<(i64, Scope)>,
    /// Flips to true when the server is stopping.
    pub stopping: watch::Receiver<bool>,
    /// How often the push stream pings and checks its session.
    pub push_ping: std::time::Duration,
    /// The backend's clock, whose time every answer carries in its `Date` header.
    pub clock: crate::clock::Clock,
    /// Photo files.
    pub blobs: Arc<crate::blobs::Blobs>,
}

impl AppState {
    /// Runs blocking storage work off the async threads; its typed outcome becomes an API
    /// error here.
    pub async fn run<T, E>(&self, f: impl FnOnce(&dyn Store) -> Result<T, E> + Send + 'static) -> Result<T>
    where
        T: Send + 'static,
        E: Send + 'static,
        Error: From<E>,
    {
        let store = self.store.clone();
        match tokio::task::spawn_blocking(move || f(store.as_ref())).await {
            Ok(outcome) => outcome.map_err(Error::from),
            Err(e) => {
                tracing::error!(error = %e, "storage task failed");
                Err(Error::internal())
            }
        }
    }
}

/// The whole service: sign-in, API, push stream, OpenAPI document.
pub fn router(state: AppState) -> Router {
    let v1 = Router::new()
        .route("/stats/city", get(stats::city_stats))
        .route("/demo/persons", get(stats::demo_persons))
        .route("/me", get(auth::me))
        .route("/changes", get(feed::changes))
        .route("/stream", get(feed::stream))
        .route("/houses", get(house::houses))
        .route("/houses/{id}", get(house::house))
        .route("/houses/{id}/premises", get(house::premises))
        .route("/houses/{id}/tickets", get(tickets::house_tickets))
        .route("/houses/{id}/staff", get(tickets::staff))
        .route("/houses/{id}/notices", get(house::notices))
        .route("/notices", post(house::post_outage))
        .route("/houses/{id}/repairs", get(house::repairs))
        .route("/houses/{id}/devices", get(house::devices))
        .route("/tickets", get(tickets::queue).post(tickets::file))
        .route("/tickets/{id}", get(tickets::ticket))
        .route("/tickets/{id}/comments", get(tickets::comments).post(tickets::comment))
        .route("/tickets/{id}/status", post(tickets::move_ticket))
        .route("/tickets/{id}/confirm", post(tickets::confirm))
        .route("/tickets/{id}/assignee", put(tickets::assign))
        .route("/tickets/{id}/cosigners/me", put(tickets::cosign).delete(tickets::uncosign))
        .route("/tickets/{id}/photos/{photo}", get(photos::ticket_photo))
        .route(
            "/uploads/{key}",
            get(photos::upload).patch(photos::append).layer(DefaultBodyLimit::max(photos::MAX_CHUNK)),
        )
        .route("/accounts", get(services::accounts))
        .route("/accounts/{id}/bills", get(services::bills))
        .route("/premises/{id}/devices", get(services::premises_devices))
        .route("/devices/{id}/readings", get(services::readings).post(services::submit_reading))
        .route("/communities/{id}", get(chat::community))
        .route("/communities/{id}/messages", get(chat::history).post(chat::send))
        .route("/communities/{id}/join", post(chat::join))
        .route("/communities/{id}/leave", post(chat::leave))
        .route("/messages/{id}", patch(chat::edit).delete(chat::delete))
        .route("/messages/{id}/reaction", put(chat::react).delete(chat::unreact))
        .route("/messages/{id}/pin", put(moderation::pin).delete(moderation::unpin))
        .route("/messages/{id}/removal", post(moderation::remove))
        .route("/messages/{id}/reports", post(moderation::report))
        .route("/communities/{id}/mutes", post(moderation::mute))
        .route("/communities/{id}/mutes/{person}", delete(moderation::unmute))
        .route("/communities/{id}/bans", post(moderation::ban))
        .route("/communities/{id}/bans/{person}", delete(moderation::unban))
        .route("/communities/{id}/slow-mode", put(moderation::slow_mode))
        .route("/communities/{id}/reports", get(moderation::reports))
        .route("/communities/{id}/modlog", get(moderation::modlog))
        .route("/communities/{id}/pins", get(moderation::pins))
        .route("/reports/{id}/resolution", post(moderation::resolve))
        .route("/modlog/{id}/appeal", post(moderation::appeal))
        .route("/modlog/{id}/answer", post(moderation::answer))
        .route("/admin/applications", get(governance::applications).post(governance::apply))
        .route("/admin/applications/{id}/decision", post(governance::decide))
        .route("/houses/{id}/transfer", post(governance::transfer))
        .route("/houses/{id}/chat", post(chat::open_house_chat))
        .route("/orgs", get(governance::orgs))
        .route("/communities/{id}/polls", get(polls::list).post(polls::open))
        .route("/polls/{id}/votes", post(polls::vote))
        .route("/registry/ownerships/end", post(registry::end_ownership));
    Router::new()
        .nest("/v1", v1)
        .route("/oauth/authorize", get(auth::authorize_page).post(auth::authorize))
        .route("/oauth/token", post(auth::token))
        .route("/oauth/revoke", post(auth::revoke))
        .route("/openapi.json", get(doc::openapi))
        .route("/healthz", get(|| async { "ok" }))
        .fallback(|| async {
            Error::new(StatusCode::NOT_FOUND, "no_route", "Такого адреса в API нет. См. /openapi.json.")
        })
        .method_not_allowed_fallback(|| async {
            Error::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "Этот метод для этого адреса не поддерживается. См. /openapi.json.",
            )
        })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::map_response_with_state(state.clone(), dated))
        .with_state(state)
}

/// Stamps an answer with the backend's time, from which clients learn their clock's offset.
async fn dated(axum::extract::State(state): axum::extract::State<AppState>, mut answer: Response) -> Response {
    if let Ok(value) = axum::http::HeaderValue::from_str(&state.clock.http_date()) {
        answer.headers_mut().insert(axum::http::header::DATE, value);
    }
    answer
}
