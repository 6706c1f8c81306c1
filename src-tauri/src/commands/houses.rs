//! House passports.

use domkom_domain::id::HouseId;
use domkom_domain::wire::House;
use tauri::{AppHandle, State};

use super::{CmdResult, tagged};
use crate::state::AppState;

/// A cached house's passport.
#[tauri::command]
pub async fn house(app: AppHandle, state: State<'_, AppState>, house_id: HouseId) -> CmdResult<Option<House>> {
    state.signed_in(&app).await?.houses().get(house_id).await.map_err(tagged)
}

/// The person's houses from the cache (a dispatcher's: their organisation's).
#[tauri::command]
pub async fn houses(app: AppHandle, state: State<'_, AppState>) -> CmdResult<Vec<House>> {
    state.signed_in(&app).await?.houses().list().await.map_err(tagged)
}
