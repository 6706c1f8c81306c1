//! The change feed: pages of changes after a cursor, and the push stream that says when
//! there are more.

use std::time::Duration;

use axum::extract::State;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{CloseFrame, Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use serde::Deserialize;
use tokio::sync::broadcast::error::RecvError;
use utoipa::IntoParams;

use domkom_domain::wire::{ChangesPage, PushEvent, STREAM_CLOSE_REAUTHENTICATE};

use super::error::{Error, Result, doc};
use super::extract::{Query, page_limit};
use super::{AppState, Auth, AuthToken, Json};
use crate::esia::SignInError;
use crate::store::{Scope, Viewer};

/// The most changes one page may hold.
const MAX_PAGE: u32 = 5000;

/// Paging of the change feed.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChangesQuery {
    /// Return changes after this cursor (0 or absent: from the start).
    #[param(minimum = 0)]
    after: Option<i64>,
    /// At most this many (default 1000).
    #[param(minimum = 1, maximum = 5000)]
    limit: Option<u32>,
    /// Only this audience, as `c:ID` (community), `h:ID` (house), `f:ID` (premises), `p:ID`
    /// (person) or `s:ID` (a house's staff): to catch up on one newly joined.
    #[param(pattern = r"^[chfpsm]:[0-9]{1,18}$")]
    scope: Option<String>,
}

/// Changes after a cursor, in order, filtered to what the caller may see now.
#[utoipa::path(get, path = "/v1/changes", operation_id = "list_changes", tag = "feed", params(ChangesQuery),
    responses(
        (status = 200, body = ChangesPage),
        doc::Malformed, doc::Refused,
    ),
    security(("bearer" = [])))]
pub async fn changes(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Query(q): Query<ChangesQuery>,
) -> Result<Json<ChangesPage>> {
    let limit = page_limit(q.limit, 1000, MAX_PAGE)?;
    let after = q.after.unwrap_or(0);
    if after < 0 {
        return Err(Error::bad_request("bad_cursor", "after не может быть отрицательным."));
    }
    let only = match q.scope.as_deref() {
        None => None,
        Some(text) => Some(Scope::parse(text).ok_or_else(|| {
            Error::bad_request("bad_scope", "scope должен быть вида c:ID, h:ID, f:ID, p:ID, s:ID или m:ID.")
        })?),
    };
    Ok(Json(state.run(move |s| s.changes(&viewer, after, limit, only)).await?))
}

/// Opens the push stream: `hello` with the head, then `changed` with each visible seq.
/// The client then reads `/v1/changes`; it works the same, only slower, with the stream down.
/// The stream lives no longer than its access token: it closes with code 4001
/// ([`STREAM_CLOSE_REAUTHENTICATE`]) when the token expires or its session ends (checked
/// at every ping), and the client opens it again with a fresh token.
#[utoipa::path(get, path = "/v1/stream", operation_id = "open_stream", tag = "feed",
    params(
        ("Upgrade" = String, Header, description = "`websocket`: the stream is a WebSocket (RFC 6455)."),
        ("Connection" = String, Header, description = "`Upgrade`."),
        ("Sec-WebSocket-Version" = String, Header, description = "`13`."),
        ("Sec-WebSocket-Key" = String, Header, description = "16 random bytes, base64."),
    ),
    responses(
        (status = 101, description = "WebSocket of PushEvent JSON texts; closed with 4001 when the access token expires or is revoked"),
        doc::Malformed, doc::Refused,
    ),
    security(("bearer" = [])))]
pub async fn stream(
    State(state): State<AppState>,
    AuthToken(viewer, token): AuthToken,
    ws: std::result::Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<Response> {
    let ws = ws.map_err(|e| {
        Error::bad_request(
            "not_websocket",
            format!("Это адрес WebSocket: откройте его как WebSocket (Upgrade: websocket). {}", e.body_text()),
        )
    })?;
    let t = token.clone();
    let (_, expires_at) = state.run(move |s| crate::esia::authenticate_until(s, &t)).await?;
    Ok(ws.on_upgrade(move |socket| serve(socket, state, viewer, token, expires_at)))
}

fn text(event: &PushEvent) -> WsMessage {
    WsMessage::Text(serde_json::to_string(event).unwrap_or_default().into())
}

/// Closes the stream for the client to come back with a fresh token.
async fn close_for_reauthentication(mut socket: WebSocket, reason: &str) {
    let frame = CloseFrame { code: STREAM_CLOSE_REAUTHENTICATE, reason: reason.to_owned().into() };
    let _ = socket.send(WsMessage::Close(Some(frame))).await;
}

async fn serve(mut socket: WebSocket, state: AppState, mut viewer: Viewer, token: String, expires_at: i64) {
    // Subscribe before reading the head so nothing falls between them.
    let mut changes = state.changes.subscribe();
    let mut stopping = state.stopping.clone();
    let head = state.run(|s| s.head()).await.unwrap_or(0);
    if socket.send(text(&PushEvent::Hello { head })).await.is_err() {
        return;
    }
    let mut ping = tokio::time::interval(state.push_ping);
    let left = u64::try_from(expires_at - chrono::Utc::now().timestamp()).unwrap_or(0);
    let expiry = tokio::time::sleep(Duration::from_secs(left));
    tokio::pin!(expiry);
    loop {
        tokio::select! {
            event = changes.recv() => match event {
                Ok((seq, scope)) => {
                    if scope == Scope::Person(viewer.person.id) {
                        // Memberships changed: what this person may see changed with them.
                        let id = viewer.person.id;
                        if let Ok(Some(v)) = state.run(move |s| s.viewer(id)).await {
                            viewer = v;
                        }
                    }
                    if viewer.sees(scope) && socket.send(text(&PushEvent::Changed { seq })).await.is_err() {
                        return;
                    }
                }
                Err(RecvError::Lagged(_)) => {
                    let head = state.run(|s| s.head()).await.unwrap_or(0);
                    if socket.send(text(&PushEvent::Changed { seq: head })).await.is_err() {
                        return;
                    }
                }
                Err(RecvError::Closed) => return,
            },
            incoming = socket.recv() => match incoming {
                Some(Ok(WsMessage::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            },
            _ = ping.tick() => {
                // A session ended by sign-out or a refresh-token reuse ends its stream too.
                // (A storage hiccup is not a reason: only an answer that the token is dead.)
                let t = token.clone();
                let store = state.store.clone();
                let checked = tokio::task::spawn_blocking(move || crate::esia::authenticate(store.as_ref(), &t)).await;
                if let Ok(Err(SignInError::TokenExpired | SignInError::TokenInvalid | SignInError::UnknownPerson)) =
                    checked
                {
                    return close_for_reauthentication(socket, "session ended").await;
                }
                if socket.send(WsMessage::Ping(Vec::new().into())).await.is_err() {
                    return;
                }
            }
            _ = &mut expiry => return close_for_reauthentication(socket, "access token expired").await,
            _ = stopping.changed() => {
                let _ = socket
                    .send(WsMessage::Close(Some(CloseFrame { code: 1001, reason: "server stopping".into() })))
                    .await;
                return;
            }
        }
    }
}
