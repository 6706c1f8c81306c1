//! The HTTP API: routes, shared state, extractors with JSON errors, and the OpenAPI document.

mod auth;
mod extract;
mod limit;
mod messages;
mod push;
mod reads;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::{get, patch, post};
use tokio::sync::{broadcast, watch};
use utoipa::OpenApi;

use crate::error::{Error, Result};
use crate::esia::TokenPolicy;
use crate::store::{Scope, Store};

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
}

impl AppState {
    /// Runs blocking storage work off the async threads.
    pub async fn run<T: Send + 'static>(&self, f: impl FnOnce(&dyn Store) -> Result<T> + Send + 'static) -> Result<T> {
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || f(store.as_ref())).await.map_err(|e| {
            tracing::error!(error = %e, "storage task failed");
            Error::internal()
        })?
    }
}

/// The whole service: sign-in, API, push stream, OpenAPI document.
pub fn router(state: AppState) -> Router {
    let v1 = Router::new()
        .route("/stats/city", get(reads::city_stats))
        .route("/demo/persons", get(reads::demo_persons))
        .route("/me", get(reads::me))
        .route("/changes", get(reads::changes))
        .route("/stream", get(push::stream))
        .route("/houses", get(reads::houses))
        .route("/houses/{id}", get(reads::house))
        .route("/houses/{id}/premises", get(reads::premises))
        .route("/houses/{id}/tickets", get(reads::house_tickets))
        .route("/houses/{id}/notices", get(reads::house_notices))
        .route("/houses/{id}/repairs", get(reads::house_repairs))
        .route("/houses/{id}/devices", get(reads::house_devices))
        .route("/tickets/{id}", get(reads::ticket))
        .route("/accounts", get(reads::accounts))
        .route("/accounts/{id}/bills", get(reads::bills))
        .route("/premises/{id}/devices", get(reads::premises_devices))
        .route("/devices/{id}/readings", get(reads::readings))
        .route("/communities/{id}", get(reads::community))
        .route("/communities/{id}/messages", get(messages::history).post(messages::send))
        .route("/communities/{id}/join", post(messages::join))
        .route("/communities/{id}/leave", post(messages::leave))
        .route("/messages/{id}", patch(messages::edit).delete(messages::delete))
        .route("/registry/ownerships/end", post(messages::end_ownership));
    Router::new()
        .nest("/v1", v1)
        .route("/oauth/authorize", get(auth::authorize_page).post(auth::authorize))
        .route("/oauth/token", post(auth::token))
        .route("/oauth/revoke", post(auth::revoke))
        .route("/openapi.json", get(openapi))
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
        .with_state(state)
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Domkom reference backend", description = "House chats, registry, tickets, meters, bills and notices of Kazan, with a change feed."),
    paths(
        reads::city_stats, reads::demo_persons, reads::me, reads::changes, push::stream, reads::houses, reads::house, reads::premises,
        reads::house_tickets, reads::house_notices, reads::house_repairs, reads::house_devices, reads::ticket,
        reads::accounts, reads::bills, reads::premises_devices, reads::readings, reads::community,
        messages::history, messages::send, messages::edit, messages::delete, messages::join, messages::leave,
        messages::end_ownership, auth::token, auth::revoke,
    ),
    components(schemas(
        domkom_domain::wire::ApiError, domkom_domain::wire::Change, domkom_domain::wire::ChangesPage,
        domkom_domain::wire::PushEvent, domkom_domain::wire::House, domkom_domain::wire::Community,
        domkom_domain::wire::Membership, domkom_domain::wire::Ownership, domkom_domain::wire::Message,
        domkom_domain::wire::Ticket, domkom_domain::wire::Device, domkom_domain::wire::Reading,
        domkom_domain::wire::Account, domkom_domain::wire::Bill, domkom_domain::wire::Notice,
        domkom_domain::wire::RepairPlan, domkom_domain::wire::Premises,
    )),
    modifiers(&BearerAuth),
)]
struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The OpenAPI 3 document, generated from the code.
async fn openapi() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(ApiDoc::openapi())
}
