//! Governance: the Inspection's console (applications, transfers, the city's figures, a
//! search of houses) and applications for admin rights by staff and chairs.

use domkom_core::governance::HouseHit;
use domkom_domain::governance::{AdminApplication, Transferred};
use domkom_domain::id::{ApplicationId, CommunityId, HouseId, OrgId};
use domkom_domain::stats::CityStats;
use domkom_domain::wire::Org;
use tauri::{AppHandle, State};

use super::{CmdResult, tagged};
use crate::state::AppState;

/// The most houses one search returns.
const MAX_HITS: usize = 200;

/// Applications for admin rights the person sees, open ones first.
#[tauri::command]
pub async fn applications(
    app: AppHandle,
    state: State<'_, AppState>,
    open_only: bool,
) -> CmdResult<Vec<AdminApplication>> {
    state.signed_in(&app).await?.governance().applications(open_only).await.map_err(tagged)
}

/// Applies for a house chat's admin rights.
#[tauri::command]
pub async fn apply_for_rights(
    app: AppHandle,
    state: State<'_, AppState>,
    community_id: CommunityId,
    details: Option<String>,
) -> CmdResult<AdminApplication> {
    let client = state.signed_in(&app).await?;
    client.governance().apply(community_id, details.as_deref()).await.map_err(tagged)
}

/// Grants or refuses an application (the Inspection).
#[tauri::command]
pub async fn decide_application(
    app: AppHandle,
    state: State<'_, AppState>,
    application_id: ApplicationId,
    grant: bool,
    reason: Option<String>,
) -> CmdResult<AdminApplication> {
    let client = state.signed_in(&app).await?;
    client.governance().decide(application_id, grant, reason.as_deref()).await.map_err(tagged)
}

/// Records a new managing organisation for a house from a day (the Inspection).
#[tauri::command]
pub async fn transfer_house(
    app: AppHandle,
    state: State<'_, AppState>,
    house_id: HouseId,
    org_id: OrgId,
    from: String,
    grant_rights: bool,
) -> CmdResult<Transferred> {
    let client = state.signed_in(&app).await?;
    client.governance().transfer(house_id, org_id, &from, grant_rights).await.map_err(tagged)
}

/// The registry's managing organisations.
#[tauri::command]
pub async fn orgs(app: AppHandle, state: State<'_, AppState>) -> CmdResult<Vec<Org>> {
    state.signed_in(&app).await?.governance().orgs().await.map_err(tagged)
}

/// The city's figures.
#[tauri::command]
pub async fn city_stats(app: AppHandle, state: State<'_, AppState>) -> CmdResult<CityStats> {
    state.signed_in(&app).await?.governance().city().await.map_err(tagged)
}

/// Cached houses whose address has every word typed.
#[tauri::command]
pub async fn search_houses(
    app: AppHandle,
    state: State<'_, AppState>,
    query: String,
    limit: usize,
) -> CmdResult<Vec<HouseHit>> {
    let client = state.signed_in(&app).await?;
    client.governance().search_houses(&query, limit.clamp(1, MAX_HITS)).await.map_err(tagged)
}
