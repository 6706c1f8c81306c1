//! Meters of the person's flats: their windows and readings, checking and submitting one.

use domkom_core::Written;
use domkom_core::meter::Meter;
use domkom_domain::id::DeviceId;
use domkom_domain::wire::Reading;
use tauri::{AppHandle, State};

use super::{CmdResult, tagged};
use crate::state::AppState;

/// The meters of the person's flats, with their windows by the server's clock (from the cache).
#[tauri::command]
pub async fn meters(app: AppHandle, state: State<'_, AppState>) -> CmdResult<Vec<Meter>> {
    state.signed_in(&app).await?.meters().list().await.map_err(tagged)
}

/// A meter's readings, newest first (from the cache).
#[tauri::command]
pub async fn meter_readings(
    app: AppHandle,
    state: State<'_, AppState>,
    device_id: DeviceId,
) -> CmdResult<Vec<Reading>> {
    state.signed_in(&app).await?.meters().readings(device_id).await.map_err(tagged)
}

/// Checks a reading by the rules without submitting it (the form's inline verdict).
#[tauri::command]
pub async fn check_reading(
    app: AppHandle,
    state: State<'_, AppState>,
    device_id: DeviceId,
    t1: String,
    t2: Option<String>,
    t3: Option<String>,
    confirm: bool,
) -> CmdResult<()> {
    let client = state.signed_in(&app).await?;
    client.meters().check(device_id, &t1, t2.as_deref(), t3.as_deref(), confirm).await.map_err(tagged)
}

/// Submits a reading: checked first, then sent through the outbox (queued while offline).
#[tauri::command]
pub async fn submit_reading(
    app: AppHandle,
    state: State<'_, AppState>,
    device_id: DeviceId,
    t1: String,
    t2: Option<String>,
    t3: Option<String>,
    confirm: bool,
) -> CmdResult<Written> {
    let client = state.signed_in(&app).await?;
    client.meters().submit(device_id, &t1, t2.as_deref(), t3.as_deref(), confirm).await.map_err(tagged)
}
