//! A house's notices: outages judged against the limits, and information.

use domkom_core::Written;
use domkom_core::notice::{NoticeView, OutageDraft};
use domkom_domain::id::HouseId;
use domkom_domain::wire::RepairPlan;
use tauri::{AppHandle, State};

use super::{CmdResult, tagged};
use crate::state::AppState;

/// A house's notices from the cache: now, coming, then past; outages flagged past a limit.
#[tauri::command]
pub async fn notices(app: AppHandle, state: State<'_, AppState>, house_id: HouseId) -> CmdResult<Vec<NoticeView>> {
    state.signed_in(&app).await?.notices().list(house_id).await.map_err(tagged)
}

/// Checks a dispatcher's outage notice by the rules, as the form is filled in.
#[tauri::command]
pub async fn check_outage(app: AppHandle, state: State<'_, AppState>, draft: OutageDraft) -> CmdResult<()> {
    state.signed_in(&app).await?.notices().check(draft).await.map_err(tagged)
}

/// Posts a dispatcher's outage notice through the outbox (sent now or when the link is back).
#[tauri::command]
pub async fn post_outage(app: AppHandle, state: State<'_, AppState>, draft: OutageDraft) -> CmdResult<Written> {
    state.signed_in(&app).await?.notices().post(draft).await.map_err(tagged)
}

/// A house's capital-repair plan from the cache, soonest first.
#[tauri::command]
pub async fn repairs(app: AppHandle, state: State<'_, AppState>, house_id: HouseId) -> CmdResult<Vec<RepairPlan>> {
    state.signed_in(&app).await?.notices().repairs(house_id).await.map_err(tagged)
}
