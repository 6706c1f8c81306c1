//! Search across all cached chats.

use domkom_core::chat::SearchHit;
use tauri::{AppHandle, State};

use super::{CmdResult, tagged};
use crate::state::AppState;

/// The most hits one search returns.
const MAX_HITS: usize = 200;

/// Searches every cached chat; the snippet comes as (text, matched) pieces.
#[tauri::command]
pub async fn search(
    app: AppHandle,
    state: State<'_, AppState>,
    query: String,
    limit: usize,
) -> CmdResult<Vec<SearchHit>> {
    state.signed_in(&app).await?.chats().search(&query, limit.clamp(1, MAX_HITS)).await.map_err(tagged)
}
