//! Communities and their chats: the community, its history, send, edit, delete, join, leave.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;

use domkom_domain::id::{CommunityId, HouseId, MessageId};
use domkom_domain::wire::{Community, EditMessage, Membership, Message, MessagesPage, React, Reaction, SendMessage};

use super::error::{Error, Result, doc};
use super::extract::{Path, Query, check_client_key, page_limit};
use super::{AppState, Auth, Json};

/// A community.
#[utoipa::path(get, path = "/v1/communities/{id}", operation_id = "get_community", tag = "chat",
    params(("id" = i64, Path, description = "The community.")),
    responses(
        (status = 200, body = Community, links(
            ("history" = (operation_id = "list_messages", parameters(("id" = "$response.body#/id")))),
            ("send" = (operation_id = "send_message", parameters(("id" = "$response.body#/id")))),
        )),
        doc::Malformed, doc::Refused, doc::Missing,
    ),
    security(("bearer" = [])))]
pub async fn community(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<CommunityId>,
) -> Result<Json<Community>> {
    Ok(Json(state.run(move |s| s.community(&viewer, id)).await?))
}

/// Paging of chat history.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HistoryQuery {
    /// Only messages with ids below this (absent: the newest).
    before: Option<MessageId>,
    /// At most this many (default 50).
    #[param(minimum = 1, maximum = 200)]
    limit: Option<u32>,
}

/// A page of a chat's history, newest first.
#[utoipa::path(get, path = "/v1/communities/{id}/messages", operation_id = "list_messages", tag = "chat",
    params(("id" = i64, Path, description = "The community."), HistoryQuery),
    responses(
        (status = 200, body = MessagesPage, links(
            ("edit" = (operation_id = "edit_message", parameters(("id" = "$response.body#/messages/0/id")))),
        )),
        doc::Malformed, doc::Refused, doc::Missing,
    ),
    security(("bearer" = [])))]
pub async fn history(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<CommunityId>,
    Query(q): Query<HistoryQuery>,
) -> Result<Json<MessagesPage>> {
    let limit = page_limit(q.limit, 50, 200)?;
    Ok(Json(state.run(move |s| s.history(&viewer, id, q.before, limit)).await?))
}

/// Sends a message. The same `client_key` twice stores one message (201 the first time, 200 after).
#[utoipa::path(post, path = "/v1/communities/{id}/messages", operation_id = "send_message", tag = "chat",
    params(("id" = i64, Path, description = "The community.")),
    request_body = SendMessage,
    responses(
        (status = 201, body = Message, description = "Stored.", links(
            ("edit" = (operation_id = "edit_message", parameters(("id" = "$response.body#/id")))),
            ("delete" = (operation_id = "delete_message", parameters(("id" = "$response.body#/id")))),
            ("history" = (operation_id = "list_messages", parameters(("id" = "$response.body#/community_id")))),
        )),
        (status = 200, body = Message, description = "Sent before with this key: the stored message."),
        doc::Malformed, doc::Refused, doc::Missing, doc::Conflicting, doc::BadBody, doc::BreaksRule, doc::Throttled,
    ),
    security(("bearer" = [])))]
pub async fn send(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<CommunityId>,
    Json(req): Json<SendMessage>,
) -> Result<(StatusCode, Json<Message>)> {
    check_client_key(&req.client_key)?;
    if let Err(wait) = state.send_limit.take(viewer.person.id) {
        return Err(Error::rate_limited(wait));
    }
    let sent =
        state.run(move |s| s.post_message(&viewer, id, &req.client_key, &req.body, req.reply_to, &req.houses)).await?;
    let status = if sent.created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(sent.message)))
}

/// Edits one's own message.
#[utoipa::path(patch, path = "/v1/messages/{id}", operation_id = "edit_message", tag = "chat",
    params(("id" = i64, Path, description = "The message.")),
    request_body = EditMessage,
    responses(
        (status = 200, body = Message),
        doc::Malformed, doc::Refused, doc::Missing, doc::Conflicting, doc::BadBody, doc::BreaksRule,
    ),
    security(("bearer" = [])))]
pub async fn edit(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<MessageId>,
    Json(req): Json<EditMessage>,
) -> Result<Json<Message>> {
    Ok(Json(state.run(move |s| s.edit_message(&viewer, id, &req.body)).await?))
}

/// Deletes one's own message; its text is erased. Deleting a deleted message again answers
/// it as it is. A moderator deletes someone else's with a reason (`remove_message`): here
/// that is refused with `reason_required`.
#[utoipa::path(delete, path = "/v1/messages/{id}", operation_id = "delete_message", tag = "chat",
    params(("id" = i64, Path, description = "The message.")),
    responses(
        (status = 200, body = Message),
        doc::Malformed, doc::Refused, doc::Missing, doc::BreaksRule,
    ),
    security(("bearer" = [])))]
pub async fn delete(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<MessageId>,
) -> Result<Json<Message>> {
    Ok(Json(state.run(move |s| s.delete_message(&viewer, id)).await?))
}

/// Joins a house chat offered to the caller (ownership confirmed in the registry), with the
/// microdistrict channels of its house.
#[utoipa::path(post, path = "/v1/communities/{id}/join", operation_id = "join_community", tag = "chat",
    params(("id" = i64, Path, description = "The house chat.")),
    responses(
        (status = 200, body = Membership, links(
            ("community" = (operation_id = "get_community", parameters(("id" = "$response.body#/community_id")))),
            ("leave" = (operation_id = "leave_community", parameters(("id" = "$response.body#/community_id")))),
        )),
        doc::Malformed, doc::Refused, doc::Missing,
    ),
    security(("bearer" = [])))]
pub async fn join(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<CommunityId>,
) -> Result<Json<Membership>> {
    Ok(Json(state.run(move |s| s.join(&viewer, id)).await?))
}

/// Leaves a community; the caller's clients purge it.
#[utoipa::path(post, path = "/v1/communities/{id}/leave", operation_id = "leave_community", tag = "chat",
    params(("id" = i64, Path, description = "The community.")),
    responses(
        (status = 204, description = "Left; a delete of the membership follows in the feed."),
        doc::Malformed, doc::Refused,
    ),
    security(("bearer" = [])))]
pub async fn leave(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<CommunityId>,
) -> Result<StatusCode> {
    state.run(move |s| s.leave(&viewer, id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Opens the chat of a house under 16 flats, which has no official one: a verified owner or
/// tenant there, or its managing organisation's staff. It is marked unofficial with who
/// opened it; the opener moderates it; only verified residents of the house join.
#[utoipa::path(post, path = "/v1/houses/{id}/chat", operation_id = "open_house_chat", tag = "chat",
    params(("id" = i64, Path, description = "The house.")),
    responses(
        (status = 201, body = Community, links(
            ("community" = (operation_id = "get_community", parameters(("id" = "$response.body#/id")))),
        )),
        doc::Malformed, doc::Refused, doc::Missing, doc::Conflicting,
    ),
    security(("bearer" = [])))]
pub async fn open_house_chat(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<HouseId>,
) -> Result<(StatusCode, Json<Community>)> {
    Ok((StatusCode::CREATED, Json(state.run(move |s| s.open_house_chat(&viewer, id)).await?)))
}

/// Sets the caller's reaction to a message (one of 👍 ❤️ 😂 😮 😢 🙏), replacing their
/// earlier one; whoever reads the message sees it. A member a moderator muted is refused
/// (403 `muted`, with until when) until the mute ends.
#[utoipa::path(put, path = "/v1/messages/{id}/reaction", operation_id = "react_to_message", tag = "chat",
    params(("id" = i64, Path, description = "The message.")),
    request_body = React,
    responses(
        (status = 200, body = Reaction),
        doc::Malformed, doc::Refused, doc::Missing, doc::Conflicting, doc::BadBody, doc::BreaksRule, doc::Throttled,
    ),
    security(("bearer" = [])))]
pub async fn react(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<MessageId>,
    Json(req): Json<React>,
) -> Result<Json<Reaction>> {
    if let Err(wait) = state.send_limit.take(viewer.person.id) {
        return Err(Error::rate_limited(wait));
    }
    Ok(Json(state.run(move |s| s.react(&viewer, id, &req.emoji)).await?))
}

/// Takes the caller's reaction to a message back; none to take back is fine.
#[utoipa::path(delete, path = "/v1/messages/{id}/reaction", operation_id = "unreact_to_message", tag = "chat",
    params(("id" = i64, Path, description = "The message.")),
    responses(
        (status = 204, description = "No reaction of the caller's remains."),
        doc::Malformed, doc::Refused, doc::Missing,
    ),
    security(("bearer" = [])))]
pub async fn unreact(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<MessageId>,
) -> Result<StatusCode> {
    state.run(move |s| s.unreact(&viewer, id)).await?;
    Ok(StatusCode::NO_CONTENT)
}
