//! Polls: a chat's polls with their tallies (offline too), opening one, voting.

use domkom_core::Written;
use domkom_core::poll::PollView;
use domkom_domain::id::{CommunityId, PollId};
use domkom_domain::poll::{Poll, PollBasis};
use tauri::{AppHandle, State};

use super::{CmdResult, tagged};
use crate::state::AppState;

/// A chat's polls, newest first, with the person's vote.
#[tauri::command]
pub async fn polls(app: AppHandle, state: State<'_, AppState>, community_id: CommunityId) -> CmdResult<Vec<PollView>> {
    state.signed_in(&app).await?.polls().list(community_id).await.map_err(tagged)
}

/// Opens a poll (the chat's moderators).
#[tauri::command]
pub async fn open_poll(
    app: AppHandle,
    state: State<'_, AppState>,
    community_id: CommunityId,
    question: String,
    options: Vec<String>,
    basis: PollBasis,
    closes_at: String,
) -> CmdResult<Poll> {
    let client = state.signed_in(&app).await?;
    client.polls().open(community_id, &question, &options, basis, &closes_at).await.map_err(tagged)
}

/// Votes (through the outbox).
#[tauri::command]
pub async fn vote(app: AppHandle, state: State<'_, AppState>, poll_id: PollId, option: u32) -> CmdResult<Written> {
    state.signed_in(&app).await?.polls().vote(poll_id, option).await.map_err(tagged)
}
