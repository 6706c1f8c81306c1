//! The person's accounts and bills (ЕПД), read from the cache.

use domkom_core::bill::BillView;
use domkom_domain::id::{AccountId, HouseId};
use domkom_domain::wire::Account;
use tauri::{AppHandle, State};

use super::{CmdResult, tagged};
use crate::state::AppState;

/// The person's personal accounts in a house.
#[tauri::command]
pub async fn accounts(app: AppHandle, state: State<'_, AppState>, house_id: HouseId) -> CmdResult<Vec<Account>> {
    state.signed_in(&app).await?.bills().accounts(Some(house_id)).await.map_err(tagged)
}

/// An account's bills, newest first, each with its change from the month before.
#[tauri::command]
pub async fn bills(app: AppHandle, state: State<'_, AppState>, account_id: AccountId) -> CmdResult<Vec<BillView>> {
    state.signed_in(&app).await?.bills().list(account_id).await.map_err(tagged)
}
