//! Moderation: pins, deletions with a reason, mutes, bans, slow mode, complaints, the log
//! and its appeals, with the refusals they answer.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;

use domkom_domain::Coded;
use domkom_domain::id::{CommunityId, MessageId, ModEntryId, PersonId, ReportId};
use domkom_domain::moderation::{MAX_REASON_CHARS, ModRefusal};
use domkom_domain::wire::{
    AppealText, BanMember, Community, Message, ModEntry, MuteMember, RemoveMessage, Report, ReportMessage,
    ResolveReport, SetSlowMode,
};

use super::error::{Error, Result, doc};
use super::extract::{Path, Query, check_client_key, page_limit};
use super::{AppState, Auth, Json};
use crate::store::ModError;

impl From<ModRefusal> for Error {
    fn from(e: ModRefusal) -> Error {
        let (status, text) = match &e {
            ModRefusal::NotMember => {
                (StatusCode::FORBIDDEN, "Вы не участник этого чата. Вступите в чат своего дома.".to_owned())
            }
            ModRefusal::NotModerator => (
                StatusCode::FORBIDDEN,
                "Это делают модераторы чата (председатель, модератор управляющей организации) и Госжилинспекция."
                    .to_owned(),
            ),
            ModRefusal::RightsPending => (
                StatusCode::FORBIDDEN,
                "Права администратора этого чата ещё не предоставлены вашей организации: пока чат модерирует Госжилинспекция. Подайте заявку на права.".to_owned(),
            ),
            ModRefusal::InspectionOnly => (StatusCode::FORBIDDEN, "Это делает только Госжилинспекция.".to_owned()),
            ModRefusal::ReasonRequired => {
                (StatusCode::UNPROCESSABLE_ENTITY, "Напишите причину: участники прочтут её в журнале.".to_owned())
            }
            ModRefusal::ReasonTooLong(n) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("В тексте {n} знаков, а можно не больше {MAX_REASON_CHARS}. Сократите его."),
            ),
            ModRefusal::MutePeriod => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "Ограничить можно на срок от 1 минуты до 30 дней.".to_owned(),
            ),
            ModRefusal::SlowModeRange => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "Медленный режим: от 0 (выключен) до 3600 секунд.".to_owned(),
            ),
            ModRefusal::TargetNotMember => {
                (StatusCode::UNPROCESSABLE_ENTITY, "Этот человек не состоит в чате.".to_owned())
            }
            ModRefusal::TargetProtected => (
                StatusCode::FORBIDDEN,
                "Ограничить или заблокировать можно только жителя, но не модератора, сотрудника или себя.".to_owned(),
            ),
            ModRefusal::AlreadyAppealed => {
                (StatusCode::CONFLICT, "Эту запись уже обжаловали: ждите ответа Госжилинспекции.".to_owned())
            }
            ModRefusal::NoOpenAppeal => (StatusCode::CONFLICT, "На эту запись нет жалобы без ответа.".to_owned()),
            ModRefusal::ReportResolved => {
                (StatusCode::CONFLICT, "Жалоба уже рассмотрена. Обновите очередь.".to_owned())
            }
            ModRefusal::ReportOwn => {
                (StatusCode::UNPROCESSABLE_ENTITY, "На своё сообщение пожаловаться нельзя: удалите его.".to_owned())
            }
            ModRefusal::MessageDeleted => (StatusCode::CONFLICT, "Сообщение уже удалено.".to_owned()),
            ModRefusal::Muted { until } => (
                StatusCode::FORBIDDEN,
                format!("Модератор ограничил вам отправку сообщений до {until}. Читать чат можно."),
            ),
            ModRefusal::SlowMode { retry_in, interval } => {
                let mut error = Error::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    e.code(),
                    format!(
                        "В чате медленный режим: одно сообщение в {interval} с. Отправьте снова через {retry_in} с."
                    ),
                );
                error.retry_after = Some(u64::from(*retry_in));
                error.params = e.params();
                return error;
            }
            ModRefusal::Banned => (
                StatusCode::FORBIDDEN,
                "Вас заблокировали в этом чате. Обжаловать блокировку можно в Госжилинспекции.".to_owned(),
            ),
            ModRefusal::KeyReused => (
                StatusCode::CONFLICT,
                "Этот client_key уже использован для другой жалобы. Создайте новый UUID.".to_owned(),
            ),
            ModRefusal::NotMuted => (StatusCode::CONFLICT, "У этого участника нет ограничения.".to_owned()),
        };
        let mut error = Error::new(status, e.code(), text);
        error.params = e.params();
        error
    }
}

impl From<ModError> for Error {
    fn from(e: ModError) -> Error {
        match e {
            ModError::Refused(r) => r.into(),
            ModError::Store(s) => s.into(),
        }
    }
}

/// A chat's pinned messages, newest pin first (members).
#[utoipa::path(get, path = "/v1/communities/{id}/pins", operation_id = "list_pins", tag = "moderation",
    params(("id" = i64, Path, description = "The community.")),
    responses(
        (status = 200, body = [Message]),
        doc::Malformed, doc::Refused, doc::Missing,
    ),
    security(("bearer" = [])))]
pub async fn pins(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<CommunityId>,
) -> Result<Json<Vec<Message>>> {
    Ok(Json(state.run(move |s| s.pins(&viewer, id)).await?))
}

/// Pins a message above its chat (moderators). Pinning a pinned message changes nothing.
#[utoipa::path(put, path = "/v1/messages/{id}/pin", operation_id = "pin_message", tag = "moderation",
    params(("id" = i64, Path, description = "The message.")),
    responses(
        (status = 200, body = Message),
        doc::Malformed, doc::Refused, doc::Missing, doc::Conflicting,
    ),
    security(("bearer" = [])))]
pub async fn pin(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<MessageId>,
) -> Result<Json<Message>> {
    Ok(Json(state.run(move |s| s.pin(&viewer, id, true)).await?))
}

/// Takes a pinned message down (moderators).
#[utoipa::path(delete, path = "/v1/messages/{id}/pin", operation_id = "unpin_message", tag = "moderation",
    params(("id" = i64, Path, description = "The message.")),
    responses(
        (status = 200, body = Message),
        doc::Malformed, doc::Refused, doc::Missing,
    ),
    security(("bearer" = [])))]
pub async fn unpin(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<MessageId>,
) -> Result<Json<Message>> {
    Ok(Json(state.run(move |s| s.pin(&viewer, id, false)).await?))
}

/// Deletes someone's message with a reason (moderators): members read «удалено модератором:
/// причина» in its place; the words stay in the log for moderators and the Inspection.
#[utoipa::path(post, path = "/v1/messages/{id}/removal", operation_id = "remove_message", tag = "moderation",
    params(("id" = i64, Path, description = "The message.")),
    request_body = RemoveMessage,
    responses(
        (status = 200, body = Message),
        doc::Malformed, doc::Refused, doc::Missing, doc::Conflicting, doc::BadBody, doc::BreaksRule,
    ),
    security(("bearer" = [])))]
pub async fn remove(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<MessageId>,
    Json(req): Json<RemoveMessage>,
) -> Result<Json<Message>> {
    Ok(Json(state.run(move |s| s.remove_message(&viewer, id, &req.reason)).await?))
}

/// Mutes a resident for a period (moderators): they read, but their sends are refused.
#[utoipa::path(post, path = "/v1/communities/{id}/mutes", operation_id = "mute_member", tag = "moderation",
    params(("id" = i64, Path, description = "The community.")),
    request_body = MuteMember,
    responses(
        (status = 200, body = ModEntry),
        doc::Malformed, doc::Refused, doc::Missing, doc::BadBody, doc::BreaksRule,
    ),
    security(("bearer" = [])))]
pub async fn mute(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<CommunityId>,
    Json(req): Json<MuteMember>,
) -> Result<Json<ModEntry>> {
    Ok(Json(state.run(move |s| s.mute(&viewer, id, req.person_id, Some(req.seconds), req.reason.as_deref())).await?))
}

/// Lifts a mute early (moderators).
#[utoipa::path(delete, path = "/v1/communities/{id}/mutes/{person}", operation_id = "unmute_member", tag = "moderation",
    params(("id" = i64, Path, description = "The community."), ("person" = i64, Path, description = "The member.")),
    responses(
        (status = 200, body = ModEntry),
        doc::Malformed, doc::Refused, doc::Missing, doc::BreaksRule,
    ),
    security(("bearer" = [])))]
pub async fn unmute(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path((id, person)): Path<(CommunityId, PersonId)>,
) -> Result<Json<ModEntry>> {
    Ok(Json(state.run(move |s| s.mute(&viewer, id, person, None, None)).await?))
}

/// Bans a resident (moderators): the membership ends, their client purges the chat, and
/// they cannot rejoin until the Inspection lifts the ban.
#[utoipa::path(post, path = "/v1/communities/{id}/bans", operation_id = "ban_member", tag = "moderation",
    params(("id" = i64, Path, description = "The community.")),
    request_body = BanMember,
    responses(
        (status = 200, body = ModEntry),
        doc::Malformed, doc::Refused, doc::Missing, doc::BadBody, doc::BreaksRule,
    ),
    security(("bearer" = [])))]
pub async fn ban(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<CommunityId>,
    Json(req): Json<BanMember>,
) -> Result<Json<ModEntry>> {
    Ok(Json(state.run(move |s| s.ban(&viewer, id, req.person_id, true, Some(&req.reason))).await?))
}

/// Lifts a ban (the Inspection): the person may join again.
#[utoipa::path(delete, path = "/v1/communities/{id}/bans/{person}", operation_id = "unban_member", tag = "moderation",
    params(("id" = i64, Path, description = "The community."), ("person" = i64, Path, description = "The person.")),
    responses(
        (status = 200, body = ModEntry),
        doc::Malformed, doc::Refused, doc::Missing, doc::BreaksRule,
    ),
    security(("bearer" = [])))]
pub async fn unban(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path((id, person)): Path<(CommunityId, PersonId)>,
) -> Result<Json<ModEntry>> {
    Ok(Json(state.run(move |s| s.ban(&viewer, id, person, false, None)).await?))
}

/// Sets slow mode: one message per N seconds per resident (moderators; 0 turns it off).
#[utoipa::path(put, path = "/v1/communities/{id}/slow-mode", operation_id = "set_slow_mode", tag = "moderation",
    params(("id" = i64, Path, description = "The community.")),
    request_body = SetSlowMode,
    responses(
        (status = 200, body = Community),
        doc::Malformed, doc::Refused, doc::Missing, doc::BadBody, doc::BreaksRule,
    ),
    security(("bearer" = [])))]
pub async fn slow_mode(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<CommunityId>,
    Json(req): Json<SetSlowMode>,
) -> Result<Json<Community>> {
    Ok(Json(state.run(move |s| s.set_slow_mode(&viewer, id, req.seconds)).await?))
}

/// Complains about a message (any member). One complaint per person and message: the same
/// key or a second complaint answers the first (200).
#[utoipa::path(post, path = "/v1/messages/{id}/reports", operation_id = "report_message", tag = "moderation",
    params(("id" = i64, Path, description = "The message.")),
    request_body = ReportMessage,
    responses(
        (status = 201, body = Report, description = "Stored."),
        (status = 200, body = Report, description = "Complained of before: the stored complaint."),
        doc::Malformed, doc::Refused, doc::Missing, doc::Conflicting, doc::BadBody, doc::BreaksRule,
    ),
    security(("bearer" = [])))]
pub async fn report(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<MessageId>,
    Json(req): Json<ReportMessage>,
) -> Result<(StatusCode, Json<Report>)> {
    check_client_key(&req.client_key)?;
    let done = state.run(move |s| s.report(&viewer, id, &req.client_key, &req.reason)).await?;
    Ok((if done.created { StatusCode::CREATED } else { StatusCode::OK }, Json(done.report)))
}

/// A community's complaints (moderators): open ones first, newest first.
#[utoipa::path(get, path = "/v1/communities/{id}/reports", operation_id = "list_reports", tag = "moderation",
    params(("id" = i64, Path, description = "The community.")),
    responses(
        (status = 200, body = [Report]),
        doc::Malformed, doc::Refused, doc::Missing,
    ),
    security(("bearer" = [])))]
pub async fn reports(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<CommunityId>,
) -> Result<Json<Vec<Report>>> {
    Ok(Json(state.run(move |s| s.reports(&viewer, id)).await?))
}

/// Resolves an open complaint: delete the message or dismiss the complaint (moderators).
#[utoipa::path(post, path = "/v1/reports/{id}/resolution", operation_id = "resolve_report", tag = "moderation",
    params(("id" = i64, Path, description = "The complaint.")),
    request_body = ResolveReport,
    responses(
        (status = 200, body = Report),
        doc::Malformed, doc::Refused, doc::Missing, doc::Conflicting, doc::BadBody, doc::BreaksRule,
    ),
    security(("bearer" = [])))]
pub async fn resolve(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<ReportId>,
    Json(req): Json<ResolveReport>,
) -> Result<Json<Report>> {
    Ok(Json(state.run(move |s| s.resolve_report(&viewer, id, req.action, req.reason.as_deref())).await?))
}

/// Paging of a moderation log.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LogQuery {
    /// Only entries with ids below this (absent: the newest).
    before: Option<ModEntryId>,
    /// At most this many (default 100).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<u32>,
}

/// A page of a community's moderation log, newest first: every member reads it; the words
/// of deleted messages only its moderators and the Inspection.
#[utoipa::path(get, path = "/v1/communities/{id}/modlog", operation_id = "list_modlog", tag = "moderation",
    params(("id" = i64, Path, description = "The community."), LogQuery),
    responses(
        (status = 200, body = [ModEntry]),
        doc::Malformed, doc::Refused, doc::Missing,
    ),
    security(("bearer" = [])))]
pub async fn modlog(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<CommunityId>,
    Query(q): Query<LogQuery>,
) -> Result<Json<Vec<ModEntry>>> {
    let limit = page_limit(q.limit, 100, 1000)?;
    Ok(Json(state.run(move |s| s.mod_log(&viewer, id, q.before, limit)).await?))
}

/// Appeals a log entry to the Inspection (any member; one appeal per entry).
#[utoipa::path(post, path = "/v1/modlog/{id}/appeal", operation_id = "appeal_entry", tag = "moderation",
    params(("id" = i64, Path, description = "The log entry.")),
    request_body = AppealText,
    responses(
        (status = 200, body = ModEntry),
        doc::Malformed, doc::Refused, doc::Missing, doc::Conflicting, doc::BadBody, doc::BreaksRule,
    ),
    security(("bearer" = [])))]
pub async fn appeal(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<ModEntryId>,
    Json(req): Json<AppealText>,
) -> Result<Json<ModEntry>> {
    Ok(Json(state.run(move |s| s.appeal(&viewer, id, &req.text)).await?))
}

/// Answers an appeal in the log (the Inspection).
#[utoipa::path(post, path = "/v1/modlog/{id}/answer", operation_id = "answer_appeal", tag = "moderation",
    params(("id" = i64, Path, description = "The log entry.")),
    request_body = AppealText,
    responses(
        (status = 200, body = ModEntry),
        doc::Malformed, doc::Refused, doc::Missing, doc::Conflicting, doc::BadBody, doc::BreaksRule,
    ),
    security(("bearer" = [])))]
pub async fn answer(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<ModEntryId>,
    Json(req): Json<AppealText>,
) -> Result<Json<ModEntry>> {
    Ok(Json(state.run(move |s| s.answer_appeal(&viewer, id, &req.text)).await?))
}
