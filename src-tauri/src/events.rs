//! Forwards the core's events to the UI as `domkom://event`, notifies of new messages in
//! chats not in view, and keeps the unread count in the window title.

use std::sync::Arc;

use domkom_core::Client;
use domkom_core::cache::NewMessage;
use domkom_core::events::Event;
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
    let client = Arc::downgrade(client);
    tauri::async_runtime::spawn(async move {
        loop {
            let event = match events.recv().await {
                Ok(event) => event,
                // Missed some: the UI re-reads everything on `houses`.
                Err(RecvError::Lagged(_)) => Event::Houses,
                Err(RecvError::Closed) => return,
            };
            if let Err(e) = app.emit(EVENT, &event) {
                tracing::warn!(error = %e, "could not emit an event to the UI");
            }
            match &event {
                Event::Houses => update_title(&app).await,
                Event::NewMessage(m) => {
                    if let Some(client) = client.upgrade() {
                        notify(&app, &client, m).await;
                    }
                    update_title(&app).await;
                }
                _ => {}
            }
        }
    });
}

/// Shows a desktop notification for a message by someone else in an unmuted chat not in view.
async fn notify(app: &tauri::AppHandle, client: &Client, m: &NewMessage) {
    let state = app.state::<AppState>();
    let in_view = state.chat_in_view.lock().map(|v| *v).unwrap_or(None);
    let me = client.person().await.ok().flatten().map(|p| p.id);
    let chats = client.chat_list().await.unwrap_or_default();
    let chat = chats.iter().find(|c| c.community_id == m.community_id);
    let focused = app.get_webview_window(crate::window::MAIN).and_then(|w| w.is_focused().ok()).unwrap_or(false);
    if !should_notify(m, me, in_view.filter(|_| focused), chat.map(|c| c.muted)) {
        return;
    }
    let title = chat.map_or_else(|| m.author_name.clone(), |c| format!("{} · {}", m.author_name, c.title));
    if let Err(e) = app.notification().builder().title(title).body(preview(&m.body)).show() {
        tracing::info!(error = %e, "could not show a notification");
    }
}

/// The notification rule: never for one's own message, a muted chat or the chat in view.
fn should_notify(m: &NewMessage, me: Option<i64>, in_view: Option<i64>, muted: Option<bool>) -> bool {
    me != Some(m.author_id) && in_view != Some(m.community_id) && muted == Some(false)
}

/// The first line of a message, shortened for a notification.
fn preview(body: &str) -> String {
    let line = body.lines().next().unwrap_or_default();
    let mut short: String = line.chars().take(120).collect();
    if short.len() < line.len() || body.lines().nth(1).is_some() {
        short.push('…');
    }
    short
}

/// Sets the window title to "Домком" with the total unread count, e.g. "Домком (3)".
pub async fn update_title(app: &tauri::AppHandle) {
    let state = app.state::<AppState>();
    let unread = match state.signed_in(app).await {
        Ok(client) => client.chat_list().await.map(|l| l.iter().map(|c| c.unread).sum::<i64>()).unwrap_or(0),
        Err(_) => 0,
    };
    if let Some(w) = app.get_webview_window(crate::window::MAIN) {
        let _ = w.set_title(&title(unread));
    }
}

/// The window title for an unread count.
fn title(unread: i64) -> String {
    if unread > 0 {
        format!("Домком ({})", domkom_domain::message::unread_badge(unread))
    } else {
        "Домком".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(author_id: i64, community_id: i64) -> NewMessage {
        NewMessage { community_id, id: 1, author_id, author_name: "Анна".into(), body: "Привет".into() }
    }

    #[test]
    fn notifies_only_for_others_in_unmuted_chats_not_in_view() {
        assert!(should_notify(&msg(2, 10), Some(1), None, Some(false)));
        assert!(should_notify(&msg(2, 10), Some(1), Some(11), Some(false)));
        assert!(!should_notify(&msg(1, 10), Some(1), None, Some(false)), "own message");
        assert!(!should_notify(&msg(2, 10), Some(1), Some(10), Some(false)), "chat in view");
        assert!(!should_notify(&msg(2, 10), Some(1), None, Some(true)), "muted");
        assert!(!should_notify(&msg(2, 10), Some(1), None, None), "not a chat of ours");
    }

    #[test]
    fn title_shows_the_unread_count() {
        assert_eq!(title(0), "Домком");
        assert_eq!(title(3), "Домком (3)");
        assert_eq!(title(999), "Домком (999)");
        assert_eq!(title(2500), "Домком (999+)", "counts are capped");
    }

    #[test]
    fn preview_is_one_short_line() {
        assert_eq!(preview("a\nb"), "a…");
        assert_eq!(preview("short"), "short");
        assert_eq!(preview(&"я".repeat(200)).chars().count(), 121);
    }
}
