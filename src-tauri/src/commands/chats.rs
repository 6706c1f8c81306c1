//! The chat list, a chat's messages, writing and reading state.

use domkom_core::Written;
use domkom_core::chat::{ChannelHouse, ChatMessage, ChatSummary};
use domkom_domain::id::{CommunityId, HouseId, MessageId};
use domkom_domain::wire::ChatOffer;
use tauri::{AppHandle, State};

use super::{CmdResult, tagged};
use crate::state::AppState;

/// The most messages one page may ask for.
const MAX_PAGE: usize = 500;

/// The person's chats with unread counts.
#[tauri::command]
pub async fn chat_list(app: AppHandle, state: State<'_, AppState>) -> CmdResult<Vec<ChatSummary>> {
    state.signed_in(&app).await?.chats().list().await.map_err(tagged)
}

/// House chats the person may join (needs the server).
#[tauri::command]
pub async fn offers(app: AppHandle, state: State<'_, AppState>) -> CmdResult<Vec<ChatOffer>> {
    state.signed_in(&app).await?.chats().offers().await.map_err(tagged)
}

/// Joins an offered house chat.
#[tauri::command]
pub async fn join(app: AppHandle, state: State<'_, AppState>, community_id: CommunityId) -> CmdResult<()> {
    state.signed_in(&app).await?.chats().join(community_id).await.map_err(tagged)
}

/// A page of a chat, newest first; `before` pages back from a message id.
#[tauri::command]
pub async fn messages(
    app: AppHandle,
    state: State<'_, AppState>,
    community_id: CommunityId,
    before: Option<MessageId>,
    limit: usize,
) -> CmdResult<Vec<ChatMessage>> {
    let client = state.signed_in(&app).await?;
    client.chats().messages(community_id, before, limit.clamp(1, MAX_PAGE)).await.map_err(tagged)
}

/// Queues a message (shown at once) and sends it when it can.
#[tauri::command]
pub async fn send(
    app: AppHandle,
    state: State<'_, AppState>,
    community_id: CommunityId,
    body: String,
    reply_to: Option<MessageId>,
) -> CmdResult<Written> {
    state.signed_in(&app).await?.chats().send(community_id, &body, reply_to).await.map_err(tagged)
}

/// Queues a microdistrict channel's post for some of its houses (shown at once).
#[tauri::command]
pub async fn post_to_houses(
    app: AppHandle,
    state: State<'_, AppState>,
    community_id: CommunityId,
    body: String,
    houses: Vec<HouseId>,
) -> CmdResult<Written> {
    state.signed_in(&app).await?.chats().post_to_houses(community_id, &body, &houses).await.map_err(tagged)
}

/// The houses of a channel the person may address a post to.
#[tauri::command]
pub async fn channel_houses(
    app: AppHandle,
    state: State<'_, AppState>,
    community_id: CommunityId,
) -> CmdResult<Vec<ChannelHouse>> {
    state.signed_in(&app).await?.chats().channel_houses(community_id).await.map_err(tagged)
}

/// Sets the person's reaction to a message, or takes it back (none); shown at once.
#[tauri::command]
pub async fn react(
    app: AppHandle,
    state: State<'_, AppState>,
    message_id: MessageId,
    emoji: Option<String>,
) -> CmdResult<Written> {
    state.signed_in(&app).await?.chats().react(message_id, emoji.as_deref()).await.map_err(tagged)
}

/// Edits one's own message.
#[tauri::command]
pub async fn edit(app: AppHandle, state: State<'_, AppState>, message_id: MessageId, body: String) -> CmdResult<()> {
    state.signed_in(&app).await?.chats().edit(message_id, &body).await.map_err(tagged)
}

/// Deletes a message.
#[tauri::command]
pub async fn delete_message(app: AppHandle, state: State<'_, AppState>, message_id: MessageId) -> CmdResult<()> {
    state.signed_in(&app).await?.chats().delete(message_id).await.map_err(tagged)
}

/// Retries a failed message, optionally with new text.
#[tauri::command]
pub async fn retry(
    app: AppHandle,
    state: State<'_, AppState>,
    client_key: String,
    body: Option<String>,
) -> CmdResult<()> {
    state.signed_in(&app).await?.chats().retry(&client_key, body.as_deref()).await.map_err(tagged)
}

/// Discards an unsent message.
#[tauri::command]
pub async fn discard(app: AppHandle, state: State<'_, AppState>, client_key: String) -> CmdResult<bool> {
    state.signed_in(&app).await?.chats().discard(&client_key).await.map_err(tagged)
}

/// Marks a chat read up to a message.
#[tauri::command]
pub async fn mark_read(
    app: AppHandle,
    state: State<'_, AppState>,
    community_id: CommunityId,
    up_to: MessageId,
) -> CmdResult<()> {
    state.signed_in(&app).await?.chats().mark_read(community_id, up_to).await.map_err(tagged)
}

/// Turns a chat's notifications off or on.
#[tauri::command]
pub async fn set_muted(
    app: AppHandle,
    state: State<'_, AppState>,
    community_id: CommunityId,
    muted: bool,
) -> CmdResult<()> {
    state.signed_in(&app).await?.chats().set_muted(community_id, muted).await.map_err(tagged)
}

/// Which chat the person has open (none: null), so it is not notified of.
#[tauri::command]
pub fn set_chat_in_view(state: State<'_, AppState>, community_id: Option<CommunityId>) {
    if let Ok(mut in_view) = state.chat_in_view.lock() {
        *in_view = community_id;
    }
}

/// The person's houses under 16 flats without a chat: they may open one.
#[tauri::command]
pub async fn openable_houses(app: AppHandle, state: State<'_, AppState>) -> CmdResult<Vec<domkom_domain::wire::House>> {
    state.signed_in(&app).await?.chats().openable().await.map_err(tagged)
}

/// Opens the chat of a small house (unofficial; the opener moderates it).
#[tauri::command]
pub async fn open_house_chat(
    app: AppHandle,
    state: State<'_, AppState>,
    house_id: domkom_domain::id::HouseId,
) -> CmdResult<domkom_domain::id::CommunityId> {
    let client = state.signed_in(&app).await?;
    client.chats().open_for_house(house_id).await.map(|c| c.id).map_err(tagged)
}
