//! Polls in house chats: open one, list them, vote.

use axum::extract::State;
use axum::http::StatusCode;

use domkom_domain::Coded;
use domkom_domain::id::{CommunityId, PollId};
use domkom_domain::poll::{MAX_OPTION_CHARS, MAX_OPTIONS, MAX_QUESTION_CHARS, MIN_OPTIONS, PollError};
use domkom_domain::wire::{CastVote, OpenPoll, Poll, Voted};

use super::error::{Error, Result, doc};
use super::extract::{Path, check_client_key};
use super::{AppState, Auth, Json};
use crate::store::PollRefusal;

impl From<PollError> for Error {
    fn from(e: PollError) -> Error {
        let (status, text) = match &e {
            PollError::QuestionEmpty => (StatusCode::UNPROCESSABLE_ENTITY, "Напишите вопрос опроса.".to_owned()),
            PollError::QuestionTooLong(n) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("В вопросе {n} знаков, а можно не больше {MAX_QUESTION_CHARS}."),
            ),
            PollError::OptionCount(n) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("Вариантов ответа {n}, а нужно от {MIN_OPTIONS} до {MAX_OPTIONS}."),
            ),
            PollError::OptionInvalid(i) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("Вариант {i} пуст, длиннее {MAX_OPTION_CHARS} знаков или повторяет другой."),
            ),
            PollError::ClosingInvalid => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "Опрос закрывается не раньше чем через час и не позже чем через 90 дней; время — в формате RFC 3339."
                    .to_owned(),
            ),
            PollError::Closed(at) => {
                (StatusCode::CONFLICT, format!("Опрос закрыт {at}: итоги окончательные, голосовать нельзя."))
            }
            PollError::NoSuchOption(o) => {
                (StatusCode::UNPROCESSABLE_ENTITY, format!("В опросе нет варианта {o} (варианты считаются с 0)."))
            }
            PollError::NoPremises => (
                StatusCode::FORBIDDEN,
                "Голосуют собственники и наниматели помещений дома: за вами помещений в этом доме нет.".to_owned(),
            ),
            PollError::NotModerator => {
                (StatusCode::FORBIDDEN, "Опрос открывают модераторы чата и Госжилинспекция.".to_owned())
            }
            PollError::VotedByAnother => (
                StatusCode::CONFLICT,
                "За ваше помещение уже проголосовал другой его собственник: у помещения один голос.".to_owned(),
            ),
            PollError::KeyReused => (
                StatusCode::CONFLICT,
                "Этот client_key уже использован для другого запроса. Создайте новый UUID.".to_owned(),
            ),
        };
        let mut error = Error::new(status, e.code(), text);
        error.params = e.params();
        error
    }
}

impl From<PollRefusal> for Error {
    fn from(e: PollRefusal) -> Error {
        match e {
            PollRefusal::Rule(r) => r.into(),
            PollRefusal::Store(s) => s.into(),
        }
    }
}

/// Opens a poll in a house chat (its moderators and the Inspection). It is not a general
/// meeting of owners. The same key again answers the poll it opened (200).
#[utoipa::path(post, path = "/v1/communities/{id}/polls", operation_id = "open_poll", tag = "polls",
    params(("id" = i64, Path, description = "The house chat.")),
    request_body = OpenPoll,
    responses(
        (status = 201, body = Poll, description = "Opened.", links(
            ("vote" = (operation_id = "cast_vote", parameters(("id" = "$response.body#/id")))),
        )),
        (status = 200, body = Poll, description = "Opened before with this key."),
        doc::Malformed, doc::Refused, doc::Missing, doc::Conflicting, doc::BadBody, doc::BreaksRule,
    ),
    security(("bearer" = [])))]
pub async fn open(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<CommunityId>,
    Json(req): Json<OpenPoll>,
) -> Result<(StatusCode, Json<Poll>)> {
    check_client_key(&req.client_key)?;
    let done = state
        .run(move |s| s.open_poll(&viewer, id, &req.client_key, &req.question, &req.options, req.basis, &req.closes_at))
        .await?;
    Ok((if done.created { StatusCode::CREATED } else { StatusCode::OK }, Json(done.value)))
}

/// A chat's polls with their tallies, newest first.
#[utoipa::path(get, path = "/v1/communities/{id}/polls", operation_id = "list_polls", tag = "polls",
    params(("id" = i64, Path, description = "The chat.")),
    responses(
        (status = 200, body = [Poll]),
        doc::Malformed, doc::Refused, doc::Missing,
    ),
    security(("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<CommunityId>,
) -> Result<Json<Vec<Poll>>> {
    Ok(Json(state.run(move |s| s.polls(&viewer, id)).await?))
}

/// Votes for every premises the caller holds in the house (one vote each; a holder may
/// change it until closing). The same key again answers the vote it cast (200).
#[utoipa::path(post, path = "/v1/polls/{id}/votes", operation_id = "cast_vote", tag = "polls",
    params(("id" = i64, Path, description = "The poll.")),
    request_body = CastVote,
    responses(
        (status = 201, body = Voted, description = "Counted."),
        (status = 200, body = Voted, description = "Cast before with this key."),
        doc::Malformed, doc::Refused, doc::Missing, doc::Conflicting, doc::BadBody, doc::BreaksRule,
    ),
    security(("bearer" = [])))]
pub async fn vote(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<PollId>,
    Json(req): Json<CastVote>,
) -> Result<(StatusCode, Json<Voted>)> {
    check_client_key(&req.client_key)?;
    let done = state.run(move |s| s.vote(&viewer, id, &req.client_key, req.option)).await?;
    Ok((if done.created { StatusCode::CREATED } else { StatusCode::OK }, Json(done.value)))
}
