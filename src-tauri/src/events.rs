//! Forwards the core's events to the UI as `domkom://event`, notifies of new messages in
//! chats not in view and of an open reading window, and keeps the unread count in the
//! window title.

use std::sync::Arc;

use domkom_core::Client;
use domkom_core::chat::NewMessage;
use domkom_core::events::{Event, SyncStatus};
use tauri::{Emitter, Manager};
use tauri_plugin_notification::NotificationExt;
use tokio::sync::broadcast::error::RecvError;

use crate::state::AppState;

/// The one event name the UI listens to.
pub const EVENT: &str = "domkom://event";

/// Forwards the client's events until it is dropped.
pub fn forward(app: &tauri::AppHandle, client: &Arc<Client>) {
    let mut events = client.events();
    let app = app.clone();
    // A ticket becomes overdue with no change in the feed: the title is counted again each minute.
    let ticking = app.clone();
    let alive = Arc::downgrade(client);
    tauri::async_runtime::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            every.tick().await;
            if alive.strong_count() == 0 {
                return;
            }
            update_title(&ticking).await;
        }
    });
    let client = Arc::downgrade(client);
    tauri::async_runtime::spawn(async move {
        loop {
            let event = match events.recv().await {
                Ok(event) => event,
                // Missed some: the UI re-reads the chat list on `chats` (and open views on
                // the events that follow).
                Err(RecvError::Lagged(_)) => Event::Chats,
                Err(RecvError::Closed) => return,
            };
            if let Err(e) = app.emit(EVENT, &event) {
                tracing::warn!(error = %e, "could not emit an event to the UI");
            }
            match &event {
                Event::Chats | Event::Tickets { .. } => update_title(&app).await,
                Event::NewEmergency(n) => {
                    // A dispatcher is told of each new emergency ticket of their houses.
                    let dispatcher = match client.upgrade() {
                        Some(c) => {
                            c.person().await.ok().flatten().and_then(|p| p.staff_role)
                                == Some(domkom_domain::role::StaffRole::Dispatcher)
                        }
                        None => false,
                    };
                    let body = format!("№{} · {}", n.ticket_id, n.title);
                    let title = app.state::<AppState>().words().emergency;
                    if dispatcher && let Err(e) = app.notification().builder().title(title).body(body).show() {
                        tracing::info!(error = %e, "could not show a notification");
                    }
                    update_title(&app).await;
                }
                Event::NewMessage(m) => {
                    if let Some(client) = client.upgrade() {
                        notify(&app, &client, m).await;
                    }
                    update_title(&app).await;
                }
                Event::NewPin(p) => {
                    // Members are told of a pin, unless they muted the chat.
                    let muted = match client.upgrade() {
                        Some(c) => c
                            .chats()
                            .list()
                            .await
                            .ok()
                            .and_then(|l| l.iter().find(|s| s.community_id == p.community_id).map(|s| s.muted)),
                        None => None,
                    };
                    let title = app.state::<AppState>().words().pinned;
                    let body: String = format!("{}: {}", p.author_name, p.body).chars().take(200).collect();
                    if muted == Some(false)
                        && let Err(e) = app.notification().builder().title(title).body(body).show()
                    {
                        tracing::info!(error = %e, "could not show a notification");
                    }
                }
                Event::NewOutage(n) => {
                    if let Some(client) = client.upgrade() {
                        match client.notices().notification_for(n).await {
                            Ok(Some(note)) => {
                                if let Err(e) = app.notification().builder().title(note.title).body(note.body).show() {
                                    tracing::info!(error = %e, "could not show a notification");
                                }
                            }
                            Ok(None) => {}
                            Err(e) => tracing::info!(error = %e, "could not decide on an outage notification"),
                        }
                    }
                }
                Event::Sync(SyncStatus::Live { .. }) => {
                    if let Some(client) = client.upgrade() {
                        remind(&app, &client).await;
                    }
                }
                _ => {}
            }
        }
    });
}

/// Shows a desktop notification for a message, when the core's rule allows one.
async fn notify(app: &tauri::AppHandle, client: &Client, m: &NewMessage) {
    let state = app.state::<AppState>();
    let in_view = state.chat_in_view.lock().map(|v| *v).unwrap_or(None);
    // The chat on screen counts as seen only while the window is in front.
    let focused = app.get_webview_window(crate::window::MAIN).and_then(|w| w.is_focused().ok()).unwrap_or(false);
    let note = match client.notification_for(m, in_view.filter(|_| focused)).await {
        Ok(Some(note)) => note,
        Ok(None) => return,
        Err(e) => {
            tracing::info!(error = %e, "could not decide on a notification");
            return;
        }
    };
    if let Err(e) = app.notification().builder().title(note.title).body(note.body).show() {
        tracing::info!(error = %e, "could not show a notification");
    }
}

/// Tells the person, once a month, that the reading window is open and readings wait.
async fn remind(app: &tauri::AppHandle, client: &Client) {
    let words = app.state::<AppState>().words();
    match client.meters().window_reminder(&words).await {
        Ok(Some(note)) => {
            if let Err(e) = app.notification().builder().title(note.title).body(note.body).show() {
                tracing::info!(error = %e, "could not show a notification");
            }
        }
        Ok(None) => {}
        Err(e) => tracing::info!(error = %e, "could not decide on the meters reminder"),
    }
}

/// Sets the window title to "Домком" with the total unread count, e.g. "Домком (3)".
pub async fn update_title(app: &tauri::AppHandle) {
    let state = app.state::<AppState>();
    let (unread, overdue) = match state.signed_in(app).await {
        Ok(client) => (client.unread_total().await.unwrap_or(0), client.tickets().overdue_count().await.unwrap_or(0)),
        Err(_) => (0, 0),
    };
    if let Some(w) = app.get_webview_window(crate::window::MAIN) {
        let _ = w.set_title(&domkom_core::notify::window_title(unread, overdue, &state.words()));
    }
}
