//! Moderation: a chat's pins and log (offline too), complaints, and the moderators' actions.

use domkom_core::moderation::Pin;
use domkom_domain::id::{CommunityId, MessageId, ModEntryId, PersonId, ReportId};
use domkom_domain::moderation::{ModEntry, Report, Resolution};
use tauri::{AppHandle, State};

use super::{CmdResult, tagged};
use crate::state::AppState;

/// The most log entries one page may ask for.
const MAX_LOG_PAGE: usize = 1000;

/// A chat's pinned messages, newest pin first.
#[tauri::command]
pub async fn pins(app: AppHandle, state: State<'_, AppState>, community_id: CommunityId) -> CmdResult<Vec<Pin>> {
    state.signed_in(&app).await?.moderation().pins(community_id).await.map_err(tagged)
}

/// Pins a message above its chat, or takes it down (moderators).
#[tauri::command]
pub async fn pin_message(
    app: AppHandle,
    state: State<'_, AppState>,
    message_id: MessageId,
    pinned: bool,
) -> CmdResult<()> {
    state.signed_in(&app).await?.moderation().pin(message_id, pinned).await.map(drop).map_err(tagged)
}

/// Deletes someone's message with a reason members read in its place (moderators).
#[tauri::command]
pub async fn remove_message(
    app: AppHandle,
    state: State<'_, AppState>,
    message_id: MessageId,
    reason: String,
) -> CmdResult<()> {
    state.signed_in(&app).await?.moderation().remove(message_id, &reason).await.map(drop).map_err(tagged)
}

/// Mutes a resident for a number of seconds (moderators).
#[tauri::command]
pub async fn mute_member(
    app: AppHandle,
    state: State<'_, AppState>,
    community_id: CommunityId,
    person_id: PersonId,
    seconds: u32,
    reason: Option<String>,
) -> CmdResult<ModEntry> {
    let client = state.signed_in(&app).await?;
    client.moderation().mute(community_id, person_id, seconds, reason.as_deref()).await.map_err(tagged)
}

/// Bans a resident from a chat (moderators).
#[tauri::command]
pub async fn ban_member(
    app: AppHandle,
    state: State<'_, AppState>,
    community_id: CommunityId,
    person_id: PersonId,
    reason: String,
) -> CmdResult<ModEntry> {
    state.signed_in(&app).await?.moderation().ban(community_id, person_id, &reason).await.map_err(tagged)
}

/// Sets slow mode in seconds, 0 to turn it off (moderators).
#[tauri::command]
pub async fn set_slow_mode(
    app: AppHandle,
    state: State<'_, AppState>,
    community_id: CommunityId,
    seconds: u32,
) -> CmdResult<()> {
    state.signed_in(&app).await?.moderation().slow_mode(community_id, seconds).await.map(drop).map_err(tagged)
}

/// Complains about a message to the chat's moderators.
#[tauri::command]
pub async fn report_message(
    app: AppHandle,
    state: State<'_, AppState>,
    message_id: MessageId,
    reason: String,
) -> CmdResult<Report> {
    state.signed_in(&app).await?.moderation().report(message_id, &reason).await.map_err(tagged)
}

/// A chat's complaints, open ones first.
#[tauri::command]
pub async fn reports(app: AppHandle, state: State<'_, AppState>, community_id: CommunityId) -> CmdResult<Vec<Report>> {
    state.signed_in(&app).await?.moderation().reports(community_id).await.map_err(tagged)
}

/// Resolves a complaint by deleting the message or dismissing it (moderators).
#[tauri::command]
pub async fn resolve_report(
    app: AppHandle,
    state: State<'_, AppState>,
    report_id: ReportId,
    action: Resolution,
    reason: Option<String>,
) -> CmdResult<Report> {
    let client = state.signed_in(&app).await?;
    client.moderation().resolve(report_id, action, reason.as_deref()).await.map_err(tagged)
}

/// A page of a chat's moderation log, newest first.
#[tauri::command]
pub async fn mod_log(
    app: AppHandle,
    state: State<'_, AppState>,
    community_id: CommunityId,
    before: Option<ModEntryId>,
    limit: usize,
) -> CmdResult<Vec<ModEntry>> {
    let client = state.signed_in(&app).await?;
    client.moderation().log(community_id, before, limit.clamp(1, MAX_LOG_PAGE)).await.map_err(tagged)
}

/// Appeals a log entry to the State Housing Inspection.
#[tauri::command]
pub async fn appeal_entry(
    app: AppHandle,
    state: State<'_, AppState>,
    entry_id: ModEntryId,
    text: String,
) -> CmdResult<ModEntry> {
    state.signed_in(&app).await?.moderation().appeal(entry_id, &text).await.map_err(tagged)
}

/// Appeals waiting for the Inspection's answer.
#[tauri::command]
pub async fn open_appeals(app: AppHandle, state: State<'_, AppState>) -> CmdResult<Vec<ModEntry>> {
    state.signed_in(&app).await?.moderation().open_appeals().await.map_err(tagged)
}

/// Answers an appeal in the log (the Inspection).
#[tauri::command]
pub async fn answer_appeal(
    app: AppHandle,
    state: State<'_, AppState>,
    entry_id: ModEntryId,
    text: String,
) -> CmdResult<ModEntry> {
    state.signed_in(&app).await?.moderation().answer(entry_id, &text).await.map_err(tagged)
}
