//! Sign-in, sign-out and who is signed in.

use std::time::Duration;

use domkom_domain::wire::{DemoPerson, PersonInfo};
use serde::Serialize;
use tauri::{AppHandle, Emitter, State};
use tauri_plugin_opener::OpenerExt;

use super::{CmdResult, tagged};
use crate::state::AppState;
use domkom_core::{ErrorKind, TaggedError};

/// How long the browser sign-in may take.
const BROWSER_SIGN_IN: Duration = Duration::from_secs(600);

/// The app's version and where it talks to.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct AppInfo {
    /// The app's version.
    pub version: String,
    /// The backend's URL.
    pub server: String,
    /// Where the cache lives.
    pub data_dir: String,
}

/// The app's version, backend and data directory.
#[tauri::command]
pub fn app_info(app: AppHandle, state: State<'_, AppState>) -> AppInfo {
    AppInfo {
        version: app.package_info().version.to_string(),
        server: state.server.to_string(),
        data_dir: state.data_dir.display().to_string(),
    }
}

/// Who is signed in, from the cache (works offline); null before sign-in.
#[tauri::command]
pub async fn session_state(app: AppHandle, state: State<'_, AppState>) -> CmdResult<Option<PersonInfo>> {
    match state.signed_in(&app).await {
        Ok(client) => client.person().await.map_err(tagged),
        Err(e) if e.kind == ErrorKind::NotSignedIn => Ok(None),
        Err(e) => Err(e),
    }
}

/// The reference backend's demo persons.
#[tauri::command]
pub async fn demo_persons(app: AppHandle, state: State<'_, AppState>) -> CmdResult<Vec<DemoPerson>> {
    state.client(&app).await?.demo_persons().await.map_err(tagged)
}

/// Signs in a demo person of the reference backend, then starts syncing.
#[tauri::command]
pub async fn login_demo(app: AppHandle, state: State<'_, AppState>, person: String) -> CmdResult<PersonInfo> {
    let info = state.client(&app).await?.login_demo(&person).await.map_err(tagged)?;
    state.start_live().await;
    Ok(info)
}

/// Signs in through the system browser (the backend's sign-in page), then starts syncing.
#[tauri::command]
pub async fn login_browser(app: AppHandle, state: State<'_, AppState>) -> CmdResult<PersonInfo> {
    let client = state.client(&app).await?;
    let pending = client.session().begin_login().await.map_err(tagged)?;
    app.opener()
        .open_url(pending.url(), None::<&str>)
        .map_err(|e| TaggedError::new(ErrorKind::Io, format!("could not open the browser: {e}")))?;
    let person = pending.finish(client.session(), BROWSER_SIGN_IN).await.map_err(tagged)?;
    client.signed_in(&person).await.map_err(tagged)?;
    state.start_live().await;
    Ok(person)
}

/// Signs out: revokes the session and deletes the cache.
#[tauri::command]
pub async fn logout(app: AppHandle, state: State<'_, AppState>) -> CmdResult<()> {
    let Some(client) = state.take().await else { return Ok(()) };
    let result = client.logout().await.map_err(tagged);
    let _ = app.emit(crate::events::EVENT, domkom_core::Event::SignedOut);
    crate::events::update_title(&app).await;
    result
}
