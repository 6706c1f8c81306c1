//! Sync status and syncing on demand.

use domkom_core::cache::Status;
use tauri::{AppHandle, State};

use super::{CmdResult, tagged};
use crate::state::AppState;

/// Cursor, cache size, outbox counts.
#[tauri::command]
pub async fn status(app: AppHandle, state: State<'_, AppState>) -> CmdResult<Status> {
    state.signed_in(&app).await?.status().await.map_err(tagged)
}

/// Syncs at once (progress arrives as `sync` events).
#[tauri::command]
pub async fn sync_now(app: AppHandle, state: State<'_, AppState>) -> CmdResult<()> {
    state.signed_in(&app).await?.sync(&|_, _| {}).await.map(|_| ()).map_err(tagged)
}
