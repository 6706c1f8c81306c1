//! The push stream: a WebSocket that says when there are changes the person may see.

use std::time::Duration;

use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use tokio::sync::broadcast::error::RecvError;

use domkom_domain::wire::PushEvent;

use super::{AppState, Auth};
use crate::error::Result;
use crate::store::{Scope, Viewer};

/// Opens the push stream: `hello` with the head, then `changed` with each visible seq.
/// The client then reads `/v1/changes`; it works the same, only slower, with the stream down.
#[utoipa::path(get, path = "/v1/stream", responses((status = 101, description = "WebSocket of PushEvent JSON texts")), security(("bearer" = [])))]
pub async fn stream(State(state): State<AppState>, Auth(viewer): Auth, ws: WebSocketUpgrade) -> Result<Response> {
    Ok(ws.on_upgrade(move |socket| serve(socket, state, viewer)))
}

fn text(event: &PushEvent) -> WsMessage {
    WsMessage::Text(serde_json::to_string(event).unwrap_or_default().into())
}

async fn serve(mut socket: WebSocket, state: AppState, mut viewer: Viewer) {
    // Subscribe before reading the head so nothing falls between them.
    let mut changes = state.changes.subscribe();
    let mut stopping = state.stopping.clone();
    let head = state.run(|s| s.head()).await.unwrap_or(0);
    if socket.send(text(&PushEvent::Hello { head })).await.is_err() {
        return;
    }
    let mut ping = tokio::time::interval(Duration::from_secs(25));
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
                if socket.send(WsMessage::Ping(Vec::new().into())).await.is_err() {
                    return;
                }
            }
            _ = stopping.changed() => {
                let _ = socket
                    .send(WsMessage::Close(Some(CloseFrame { code: 1001, reason: "server stopping".into() })))
                    .await;
                return;
            }
        }
    }
}
