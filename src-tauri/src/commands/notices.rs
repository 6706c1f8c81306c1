//! A house's notices: outages judged against the limits, and information.

use domkom_core::notice::NoticeView;
use domkom_domain::id::HouseId;
use tauri::{AppHandle, State};

use super::{CmdResult, tagged};
use crate::state::AppState;

/// A house's notices from the cache: now, coming, then past; outages flagged past a limit.
#[tauri::command]
pub async fn notices(app: AppHandle, state: State<'_, AppState>, house_id: HouseId) -> CmdResult<Vec<NoticeView>> {
    state.signed_in(&app).await?.notices().list(house_id).await.map_err(tagged)
}
