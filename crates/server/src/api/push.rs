//! The push stream: a WebSocket that says when there are changes the person may see.

use std::time::Duration;

use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use tokio::sync::broadcast::error::RecvError;

use domkom_domain::wire::{PushEvent, STREAM_CLOSE_REAUTHENTICATE};

use super::{AppState, AuthToken};
use crate::error::Result;
use crate::store::{Scope, Viewer};

/// Opens the push stream: `hello` with the head, then `changed` with each visible seq.
/// The client then reads `/v1/changes`; it works the same, only slower, with the stream down.
/// The stream lives no longer than its access token: it closes with code 4001
/// ([`STREAM_CLOSE_REAUTHENTICATE`]) when the token expires or its session ends (checked
/// at every ping), and the client opens it again with a fresh token.
#[utoipa::path(get, path = "/v1/stream", responses((status = 101, description = "WebSocket of PushEvent JSON texts; closed with 4001 when the access token expires or is revoked")), security(("bearer" = [])))]
pub async fn stream(
    State(state): State<AppState>,
    AuthToken(viewer, token): AuthToken,
    ws: WebSocketUpgrade,
) -> Result<Response> {
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
                        if let Ok(v) = state.run(move |s| s.viewer(id)).await {
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
                if let Err(e) = state.run(move |s| crate::esia::authenticate(s, &t)).await
                    && e.status == axum::http::StatusCode::UNAUTHORIZED
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
