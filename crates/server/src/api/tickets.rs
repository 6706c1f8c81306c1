//! Tickets: the house's list, the dispatcher's queue, a ticket with its comments, and the
//! writes (file, move, confirm, assign, comment, co-sign), with the refusals they answer.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;

use domkom_domain::Coded;
use domkom_domain::id::{HouseId, PersonId, TicketId};
use domkom_domain::ticket::{
    AssignTicket, CommentError, CommentTicket, ConfirmTicket, DAILY_TICKETS, FileTicket, MAX_COMMENT_CHARS,
    MAX_NOTE_CHARS, MAX_TICKET_CHARS, MoveRefusal, MoveTicket, REOPEN_DAYS, Staff, TicketCategory, TicketComment,
    TicketError, TicketPlace, TicketStatus,
};
use domkom_domain::wire::Ticket;

use super::error::{Error, Result, doc};
use super::extract::{Path, Query, check_client_key, page_limit};
use super::{AppState, Auth, Json};
use crate::store::{Assignee, TicketFilter, TicketQuery, TicketRefusal};

/// Ticket filter and paging.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TicketsQuery {
    /// Only tickets in this status.
    #[param(value_type = Option<TicketStatus>)]
    status: Option<String>,
    /// Only tickets with ids above this (the last id of the previous page).
    after: Option<i64>,
    /// At most this many (default 500).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<u32>,
}

fn status_param(text: Option<&str>) -> Result<Option<TicketStatus>> {
    text.map(|t| {
        TicketStatus::parse(t).ok_or_else(|| {
            Error::bad_request(
                "bad_status",
                "status должен быть одним из: new, accepted, in_work, done, rejected, withdrawn.",
            )
        })
    })
    .transpose()
}

/// A house's tickets, oldest first, in pages.
#[utoipa::path(get, path = "/v1/houses/{id}/tickets", operation_id = "list_tickets", tag = "tickets",
    params(("id" = i64, Path, description = "The house."), TicketsQuery),
    responses(
        (status = 200, body = [Ticket], links(
            ("ticket" = (operation_id = "get_ticket", parameters(("id" = "$response.body#/0/id")))),
        )),
        doc::Malformed, doc::Refused, doc::Missing,
    ),
    security(("bearer" = [])))]
pub async fn house_tickets(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<HouseId>,
    Query(q): Query<TicketsQuery>,
) -> Result<Json<Vec<Ticket>>> {
    let status = status_param(q.status.as_deref())?;
    let filter = TicketFilter { status, after: q.after.unwrap_or(0), limit: page_limit(q.limit, 500, 1000)? };
    Ok(Json(state.run(move |s| s.tickets(&viewer, id, filter)).await?))
}

/// The queue's filter and paging.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// Only this house.
    house: Option<i64>,
    /// Only tickets in this status.
    #[param(value_type = Option<TicketStatus>)]
    status: Option<String>,
    /// Only this category.
    #[param(value_type = Option<TicketCategory>)]
    category: Option<String>,
    /// Only this executor's tickets (a person's id), or `none` for tickets given to nobody.
    #[param(pattern = r"^(none|[0-9]{1,18})$")]
    assignee: Option<String>,
    /// Only open tickets past their deadline.
    overdue: Option<bool>,
    /// Only tickets with ids above this (the last id of the previous page).
    after: Option<i64>,
    /// At most this many (default 500).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<u32>,
}

/// Tickets of every house the caller sees, by id in pages: for a dispatcher, the houses
/// their organisation manages; for the Inspection, all.
#[utoipa::path(get, path = "/v1/tickets", operation_id = "list_queue", tag = "tickets", params(QueueQuery),
    responses(
        (status = 200, body = [Ticket]),
        doc::Malformed, doc::Refused, doc::Missing,
    ),
    security(("bearer" = [])))]
pub async fn queue(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Query(q): Query<QueueQuery>,
) -> Result<Json<Vec<Ticket>>> {
    let category = q
        .category
        .as_deref()
        .map(|c| {
            TicketCategory::parse(c).ok_or_else(|| {
                Error::bad_request("bad_category", "category должна быть одной из категорий заявок, см. /openapi.json.")
            })
        })
        .transpose()?;
    let assignee = match q.assignee.as_deref() {
        None => None,
        Some("none") => Some(Assignee::Nobody),
        // As the parameter's pattern says: 1 to 18 digits, no sign.
        Some(id) if (1..=18).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_digit()) => {
            Some(Assignee::Person(PersonId(id.parse().unwrap_or_default())))
        }
        Some(_) => return Err(Error::bad_request("bad_assignee", "assignee — это id сотрудника или none.")),
    };
    let query = TicketQuery {
        house: q.house.map(HouseId),
        status: status_param(q.status.as_deref())?,
        category,
        assignee,
        overdue: q.overdue.unwrap_or(false),
        after: q.after.unwrap_or(0),
        limit: page_limit(q.limit, 500, 1000)?,
    };
    Ok(Json(state.run(move |s| s.queue(&viewer, &query)).await?))
}

/// A ticket with its history.
#[utoipa::path(get, path = "/v1/tickets/{id}", operation_id = "get_ticket", tag = "tickets",
    params(("id" = i64, Path, description = "The ticket.")),
    responses(
        (status = 200, body = Ticket, links(
            ("comments" = (operation_id = "list_ticket_comments", parameters(("id" = "$response.body#/id")))),
        )),
        doc::Malformed, doc::Refused, doc::Missing,
    ),
    security(("bearer" = [])))]
pub async fn ticket(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<TicketId>,
) -> Result<Json<Ticket>> {
    Ok(Json(state.run(move |s| s.ticket(&viewer, id)).await?))
}

/// A ticket's comments the caller may read, oldest first: a resident gets the public ones,
/// the staff and the Inspection the internal ones too.
#[utoipa::path(get, path = "/v1/tickets/{id}/comments", operation_id = "list_ticket_comments", tag = "tickets",
    params(("id" = i64, Path, description = "The ticket.")),
    responses(
        (status = 200, body = [TicketComment]),
        doc::Malformed, doc::Refused, doc::Missing,
    ),
    security(("bearer" = [])))]
pub async fn comments(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<TicketId>,
) -> Result<Json<Vec<TicketComment>>> {
    Ok(Json(state.run(move |s| s.ticket_comments(&viewer, id)).await?))
}

/// A resident files a ticket for their house; its regulated deadline is set at once, in
/// the house's time zone. A dispatcher files one only from a resident's chat message
/// (`message_id`), for its author. Refusals: 403 `ticket_not_resident`; 409
/// `message_already_ticket`; 422 `ticket_body_empty`, `ticket_body_too_long`,
/// `ticket_place_invalid`, `ticket_emergency_not_applicable`, `ticket_message_elsewhere`;
/// 429 `ticket_daily_limit`. The same `client_key` files once (201, then 200).
#[utoipa::path(post, path = "/v1/tickets", operation_id = "file_ticket", tag = "tickets",
    request_body = FileTicket,
    responses(
        (status = 201, body = Ticket, description = "Filed.", links(
            ("ticket" = (operation_id = "get_ticket", parameters(("id" = "$response.body#/id")))),
        )),
        (status = 200, body = Ticket, description = "Filed before with this key: the ticket as it stands."),
        doc::Malformed, doc::Refused, doc::Missing, doc::Conflicting, doc::BadBody, doc::BreaksRule, doc::Throttled,
    ),
    security(("bearer" = [])))]
pub async fn file(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Json(req): Json<FileTicket>,
) -> Result<(StatusCode, Json<Ticket>)> {
    check_client_key(&req.client_key)?;
    let filed = state.run(move |s| s.file_ticket(&viewer, &req)).await?;
    Ok((if filed.created { StatusCode::CREATED } else { StatusCode::OK }, Json(filed.ticket)))
}

/// Moves a ticket to another status by the table of moves: the dispatcher accepts, works,
/// pauses, rejects (with a reason), finishes and sends back; the author withdraws; the
/// author or a co-signer reopens a done ticket within 30 days, with a reason and a rating.
/// `from` is the status the mover saw: 409 `ticket_status_changed` if it has moved since.
#[utoipa::path(post, path = "/v1/tickets/{id}/status", operation_id = "move_ticket", tag = "tickets",
    params(("id" = i64, Path, description = "The ticket.")),
    request_body = MoveTicket,
    responses(
        (status = 200, body = Ticket, description = "Moved (or moved before with this key)."),
        doc::Malformed, doc::Refused, doc::Missing, doc::Conflicting, doc::BadBody, doc::BreaksRule,
    ),
    security(("bearer" = [])))]
pub async fn move_ticket(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<TicketId>,
    Json(req): Json<MoveTicket>,
) -> Result<Json<Ticket>> {
    check_client_key(&req.client_key)?;
    Ok(Json(state.run(move |s| s.move_ticket(&viewer, id, &req)).await?.ticket))
}

/// The author confirms a done ticket, with a rating 1–5 if they like; a confirmed ticket is
/// not reopened.
#[utoipa::path(post, path = "/v1/tickets/{id}/confirm", operation_id = "confirm_ticket", tag = "tickets",
    params(("id" = i64, Path, description = "The ticket.")),
    request_body = ConfirmTicket,
    responses(
        (status = 200, body = Ticket, description = "Confirmed (or confirmed before with this key)."),
        doc::Malformed, doc::Refused, doc::Missing, doc::Conflicting, doc::BadBody, doc::BreaksRule,
    ),
    security(("bearer" = [])))]
pub async fn confirm(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<TicketId>,
    Json(req): Json<ConfirmTicket>,
) -> Result<Json<Ticket>> {
    check_client_key(&req.client_key)?;
    Ok(Json(state.run(move |s| s.confirm_ticket(&viewer, id, &req)).await?.ticket))
}

/// A dispatcher gives a ticket to an executor of their organisation (`assignee_id`), or takes
/// it back (`null`). 422 `assignee_not_staff` for anyone else.
#[utoipa::path(put, path = "/v1/tickets/{id}/assignee", operation_id = "assign_ticket", tag = "tickets",
    params(("id" = i64, Path, description = "The ticket.")),
    request_body = AssignTicket,
    responses(
        (status = 200, body = Ticket),
        doc::Malformed, doc::Refused, doc::Missing, doc::BadBody, doc::BreaksRule,
    ),
    security(("bearer" = [])))]
pub async fn assign(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<TicketId>,
    Json(req): Json<AssignTicket>,
) -> Result<Json<Ticket>> {
    Ok(Json(state.run(move |s| s.assign_ticket(&viewer, id, &req)).await?))
}

/// Comments on a ticket: its author and co-signers while it is open, and the staff (who may
/// mark a comment `internal`: a resident's client never receives those).
#[utoipa::path(post, path = "/v1/tickets/{id}/comments", operation_id = "comment_ticket", tag = "tickets",
    params(("id" = i64, Path, description = "The ticket.")),
    request_body = CommentTicket,
    responses(
        (status = 201, body = TicketComment, description = "Stored."),
        (status = 200, body = TicketComment, description = "Stored before with this key."),
        doc::Malformed, doc::Refused, doc::Missing, doc::Conflicting, doc::BadBody, doc::BreaksRule,
    ),
    security(("bearer" = [])))]
pub async fn comment(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<TicketId>,
    Json(req): Json<CommentTicket>,
) -> Result<(StatusCode, Json<TicketComment>)> {
    check_client_key(&req.client_key)?;
    let done = state.run(move |s| s.comment_ticket(&viewer, id, &req)).await?;
    Ok((if done.created { StatusCode::CREATED } else { StatusCode::OK }, Json(done.comment)))
}

/// A resident of the house joins an open ticket about common property ("me too"): the
/// ticket counts their flat as affected.
#[utoipa::path(put, path = "/v1/tickets/{id}/cosigners/me", operation_id = "cosign_ticket", tag = "tickets",
    params(("id" = i64, Path, description = "The ticket.")),
    responses(
        (status = 200, body = Ticket),
        doc::Malformed, doc::Refused, doc::Missing, doc::Conflicting, doc::BreaksRule,
    ),
    security(("bearer" = [])))]
pub async fn cosign(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<TicketId>,
) -> Result<Json<Ticket>> {
    Ok(Json(state.run(move |s| s.cosign_ticket(&viewer, id, true)).await?))
}

/// Leaves a ticket one joined.
#[utoipa::path(delete, path = "/v1/tickets/{id}/cosigners/me", operation_id = "uncosign_ticket", tag = "tickets",
    params(("id" = i64, Path, description = "The ticket.")),
    responses(
        (status = 200, body = Ticket),
        doc::Malformed, doc::Refused, doc::Missing,
    ),
    security(("bearer" = [])))]
pub async fn uncosign(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<TicketId>,
) -> Result<Json<Ticket>> {
    Ok(Json(state.run(move |s| s.cosign_ticket(&viewer, id, false)).await?))
}

/// The staff of the organisation managing a house (dispatchers and executors with their
/// trades), to give its tickets to: for its dispatchers and the Inspection.
#[utoipa::path(get, path = "/v1/houses/{id}/staff", operation_id = "list_staff", tag = "tickets",
    params(("id" = i64, Path, description = "The house.")),
    responses(
        (status = 200, body = [Staff]),
        doc::Malformed, doc::Refused, doc::Missing,
    ),
    security(("bearer" = [])))]
pub async fn staff(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<HouseId>,
) -> Result<Json<Vec<Staff>>> {
    Ok(Json(state.run(move |s| s.staff(&viewer, id)).await?))
}

fn place_words(place: TicketPlace) -> &'static str {
    match place {
        TicketPlace::Entrance => "Для места «подъезд»",
        TicketPlace::Lift => "Для места «лифт»",
        TicketPlace::Floor => "Для места «этаж»",
        _ => "Для этого места",
    }
}

fn coded(e: &impl Coded, status: StatusCode, text: String) -> Error {
    let mut error = Error::new(status, e.code(), text);
    error.params = e.params();
    error
}

impl From<TicketError> for Error {
    fn from(e: TicketError) -> Error {
        let text = match &e {
            TicketError::BodyEmpty => "Опишите, что случилось: текст заявки пуст.".to_owned(),
            TicketError::BodyTooLong(n) => {
                format!("В тексте {n} знаков, а можно не больше {MAX_TICKET_CHARS}. Сократите его.")
            }
            TicketError::PlaceInvalid { place, entrances, floors } if *floors > 0 => format!(
                "{} укажите подъезд от 1 до {entrances} и этаж от 1 до {floors}.",
                place_words(*place)
            ),
            TicketError::PlaceInvalid { place: place @ (TicketPlace::Entrance | TicketPlace::Lift), entrances, .. } => {
                format!("{} укажите подъезд от 1 до {entrances}, без этажа.", place_words(*place))
            }
            TicketError::PlaceInvalid { .. } => {
                "Подъезд и этаж указывают только для мест «подъезд», «этаж» и «лифт».".to_owned()
            }
            TicketError::EmergencyNotApplicable(_) => {
                "Аварийными бывают только заявки о протечках, отоплении, электричестве и канализации. Снимите отметку «авария».".to_owned()
            }
            TicketError::Photos(p) => return super::photos::photo_error(p),
            TicketError::PhotoId(_) => {
                "Фотографию указывают по id из ответа на её загрузку (64 шестнадцатеричные цифры).".to_owned()
            }
        };
        coded(&e, StatusCode::UNPROCESSABLE_ENTITY, text)
    }
}

impl From<MoveRefusal> for Error {
    fn from(e: MoveRefusal) -> Error {
        let (status, text) = match &e {
            MoveRefusal::Invalid { from, to } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("Заявку нельзя перевести из статуса {from} в {to}. Посмотрите, какие переходы доступны."),
            ),
            MoveRefusal::Forbidden { .. } => (
                StatusCode::FORBIDDEN,
                "Этот переход делает не вы: статусы ведёт диспетчер управляющей организации, автор может отозвать или переоткрыть заявку.".to_owned(),
            ),
            MoveRefusal::ReasonRequired => {
                (StatusCode::UNPROCESSABLE_ENTITY, "Напишите причину: без неё этот переход не сделать.".to_owned())
            }
            MoveRefusal::RatingInvalid => {
                (StatusCode::UNPROCESSABLE_ENTITY, "Оцените работу от 1 до 5.".to_owned())
            }
            MoveRefusal::ReopenWindowPassed => (
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("Переоткрыть можно в течение {REOPEN_DAYS} дней после выполнения. Подайте новую заявку."),
            ),
            MoveRefusal::NoteTooLong(n) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("Комментарий к переходу — {n} знаков, можно не больше {MAX_NOTE_CHARS}: сократите его."),
            ),
        };
        coded(&e, status, text)
    }
}

impl From<CommentError> for Error {
    fn from(e: CommentError) -> Error {
        let text = match &e {
            CommentError::Empty => "Напишите комментарий: он пуст.".to_owned(),
            CommentError::TooLong(n) => {
                format!("В комментарии {n} знаков, а можно не больше {MAX_COMMENT_CHARS}. Сократите его.")
            }
        };
        coded(&e, StatusCode::UNPROCESSABLE_ENTITY, text)
    }
}

impl From<TicketRefusal> for Error {
    fn from(e: TicketRefusal) -> Error {
        match e {
            TicketRefusal::Rule(r) => r.into(),
            TicketRefusal::Move(m) => m.into(),
            TicketRefusal::Comment(c) => c.into(),
            TicketRefusal::NotResident => Error::forbidden(
                "ticket_not_resident",
                "Заявки дома подают и поддерживают его жители. Диспетчер оформляет заявку из сообщения жителя в чате.",
            ),
            TicketRefusal::DailyLimit => {
                let mut error = Error::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "ticket_daily_limit",
                    format!(
                        "За сутки можно подать не больше {DAILY_TICKETS} заявок. Если случилась авария, позвоните в аварийно-диспетчерскую службу."
                    ),
                );
                error.retry_after = Some(3600);
                error
            }
            TicketRefusal::StatusChanged(now) => {
                let mut error = Error::conflict(
                    "ticket_status_changed",
                    format!("Статус заявки уже изменился: сейчас он {now}. Обновите заявку и решите снова."),
                );
                error.params = vec![("status", now.to_string())];
                error
            }
            TicketRefusal::NotDone => {
                Error::conflict("ticket_not_done", "Подтвердить можно только выполненную заявку.")
            }
            TicketRefusal::AlreadyConfirmed => Error::conflict(
                "ticket_already_confirmed",
                "Выполнение уже подтверждено. Если проблема вернулась, подайте новую заявку.",
            ),
            TicketRefusal::NotAuthor => Error::forbidden("not_author", "Подтверждает выполнение автор заявки."),
            TicketRefusal::NotDispatcher => {
                Error::forbidden("not_dispatcher", "Назначает исполнителя диспетчер управляющей организации дома.")
            }
            TicketRefusal::NotStaff(p) => {
                let mut error = Error::invalid(
                    "assignee_not_staff",
                    format!(
                        "Сотрудник {p} не работает в управляющей организации этого дома. Выберите исполнителя из списка."
                    ),
                );
                error.params = vec![("person", p.to_string())];
                error
            }
            TicketRefusal::InternalForbidden => Error::forbidden(
                "comment_internal_forbidden",
                "Внутренние комментарии пишут сотрудники управляющей организации. Напишите обычный комментарий.",
            ),
            TicketRefusal::NotParticipant => Error::forbidden(
                "ticket_not_participant",
                "Комментируют заявку её автор, присоединившиеся жители и диспетчер. Нажмите «У меня тоже», чтобы присоединиться.",
            ),
            TicketRefusal::Closed => Error::conflict(
                "ticket_closed",
                "Заявка закрыта. Если проблема осталась, переоткройте её или подайте новую.",
            ),
            TicketRefusal::CannotCosign => Error::invalid(
                "ticket_cannot_cosign",
                "К своей заявке и к заявке о чужой квартире присоединиться нельзя.",
            ),
            TicketRefusal::MessageAlreadyTicket(t) => {
                let mut error =
                    Error::conflict("message_already_ticket", format!("Из этого сообщения уже оформлена заявка №{t}."));
                error.params = vec![("ticket", t.to_string())];
                error
            }
            TicketRefusal::MessageElsewhere => Error::invalid(
                "ticket_message_elsewhere",
                "Сообщение не найдено в чате этого дома или удалено. Оформите заявку из сообщения чата этого дома.",
            ),
            TicketRefusal::KeyReused => Error::conflict(
                "idempotency_key_reused",
                "Этот client_key уже использован для другого запроса. Создайте новый UUID.",
            ),
            TicketRefusal::PhotoUnknown(id) => {
                let mut error = Error::invalid(
                    "photo_unknown",
                    "Такой фотографии среди ваших загрузок нет. Загрузите её заново (PATCH /v1/uploads/{key}) и укажите id из ответа.",
                );
                error.params = vec![("photo", id.chars().take(80).collect())];
                error
            }
            TicketRefusal::Store(s) => s.into(),
        }
    }
}
