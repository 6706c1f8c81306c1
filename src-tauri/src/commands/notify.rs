//! What the desktop is told (notifications, the window title), in the UI's language.

use domkom_core::notify::NotifyWords;
use tauri::{AppHandle, State};

use super::CmdResult;
use crate::state::AppState;

/// The words of notifications and the window title in the person's language (the UI sends
/// them at start and on each change of language).
#[tauri::command]
pub async fn set_notify_words(app: AppHandle, state: State<'_, AppState>, words: NotifyWords) -> CmdResult<()> {
    if let Ok(mut kept) = state.notify_words.lock() {
        *kept = words;
    }
    crate::events::update_title(&app).await;
    Ok(())
}
