//! Chat history and writes: send, edit, delete, join, leave; and the registry's sale record.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use domkom_domain::wire::{ChangeKind, EditMessage, Membership, Message, MessagesPage, SendMessage};

use super::extract::{Path, Query};
use super::{AppState, Auth, Json};
use crate::error::{Error, Result};
use crate::store::{Filter, Scope};

/// Paging of chat history.
#[derive(Debug, Deserialize, IntoParams)]
pub struct HistoryQuery {
    /// Only messages with ids below this (absent: the newest).
    before: Option<i64>,
    /// At most this many (1–200, default 50).
    limit: Option<usize>,
}

/// A page of a chat's history, newest first.
#[utoipa::path(get, path = "/v1/communities/{id}/messages", params(HistoryQuery), responses((status = 200, body = MessagesPage), (status = 403, body = domkom_domain::wire::ApiError)), security(("bearer" = [])))]
pub async fn history(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<i64>,
    Query(q): Query<HistoryQuery>,
) -> Result<Json<MessagesPage>> {
    let limit = q.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(Error::bad_request("bad_limit", "limit должен быть от 1 до 200."));
    }
    if !viewer.sees(Scope::Community(id)) {
        let exists = state.run(move |s| s.entities(ChangeKind::Community, &Filter::Id(id), 1)).await?;
        return Err(if exists.is_empty() { Error::not_found("Чат") } else { not_member() });
    }
    let before = q.before;
    let found = state
        .run(move |s| s.entities(ChangeKind::Message, &Filter::History { community: id, before }, limit + 1))
        .await?;
    let has_more = found.len() > limit;
    let messages = found
        .into_iter()
        .take(limit)
        .map(|e| serde_json::from_value(e.payload))
        .collect::<Result<Vec<Message>, _>>()
        .map_err(|_| Error::internal())?;
    Ok(Json(MessagesPage { messages, has_more }))
}

fn not_member() -> Error {
    Error::forbidden(
        "not_member",
        "Вы не состоите в этом чате. Вступить можно, если собственность в доме подтверждена.",
    )
}

/// Sends a message. The same `client_key` twice stores one message (201 the first time, 200 after).
#[utoipa::path(post, path = "/v1/communities/{id}/messages", request_body = SendMessage, responses((status = 201, body = Message), (status = 200, body = Message), (status = 422, body = domkom_domain::wire::ApiError), (status = 429, body = domkom_domain::wire::ApiError)), security(("bearer" = [])))]
pub async fn send(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<i64>,
    Json(req): Json<SendMessage>,
) -> Result<(StatusCode, Json<Message>)> {
    if uuid::Uuid::parse_str(&req.client_key).is_err() {
        return Err(Error::bad_request(
            "invalid_client_key",
            "client_key должен быть UUID (лучше UUIDv7), созданным клиентом для этого сообщения.",
        ));
    }
    if let Err(wait) = state.send_limit.take(viewer.person.id) {
        return Err(Error::rate_limited(wait));
    }
    let sent = state.run(move |s| s.send_message(&viewer, id, &req.client_key, &req.body, req.reply_to)).await?;
    let status = if sent.created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(sent.message)))
}

/// Edits one's own message.
#[utoipa::path(patch, path = "/v1/messages/{id}", request_body = EditMessage, responses((status = 200, body = Message)), security(("bearer" = [])))]
pub async fn edit(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<i64>,
    Json(req): Json<EditMessage>,
) -> Result<Json<Message>> {
    Ok(Json(state.run(move |s| s.edit_message(&viewer, id, &req.body)).await?))
}

/// Deletes one's own message (a chair or the Inspection may delete any); its text is erased.
#[utoipa::path(delete, path = "/v1/messages/{id}", responses((status = 200, body = Message)), security(("bearer" = [])))]
pub async fn delete(State(state): State<AppState>, Auth(viewer): Auth, Path(id): Path<i64>) -> Result<Json<Message>> {
    Ok(Json(state.run(move |s| s.delete_message(&viewer, id)).await?))
}

/// Joins a house chat offered to the caller (ownership confirmed in the registry).
#[utoipa::path(post, path = "/v1/communities/{id}/join", responses((status = 200, body = Membership)), security(("bearer" = [])))]
pub async fn join(State(state): State<AppState>, Auth(viewer): Auth, Path(id): Path<i64>) -> Result<Json<Membership>> {
    Ok(Json(state.run(move |s| s.join(&viewer, id)).await?))
}

/// Leaves a community; the caller's clients purge it.
#[utoipa::path(post, path = "/v1/communities/{id}/leave", responses((status = 204)), security(("bearer" = [])))]
pub async fn leave(State(state): State<AppState>, Auth(viewer): Auth, Path(id): Path<i64>) -> Result<StatusCode> {
    state.run(move |s| s.leave(&viewer, id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A sale recorded in the registry.
#[derive(Debug, Deserialize, ToSchema)]
pub struct EndOwnership {
    /// The former owner.
    pub person_id: i64,
    /// The premises sold.
    pub premises_id: i64,
}

/// Records in the emulated registry that a person no longer holds a premises (Inspection only);
/// their memberships in that house end.
#[utoipa::path(post, path = "/v1/registry/ownerships/end", request_body = EndOwnership, responses((status = 204)), security(("bearer" = [])))]
pub async fn end_ownership(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Json(req): Json<EndOwnership>,
) -> Result<StatusCode> {
    if !viewer.is_inspector() {
        return Err(Error::forbidden("inspector_only", "Изменять реестр может только Госжилинспекция."));
    }
    state.run(move |s| s.end_ownership(req.person_id, req.premises_id)).await?;
    Ok(StatusCode::NO_CONTENT)
}
