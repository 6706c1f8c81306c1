//! Governance by the Inspection: applications for a community's admin rights and their
//! decisions, the transfer of a house to another managing organisation, and the registry's
//! organisations to choose from.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;

use domkom_domain::Coded;
use domkom_domain::governance::{ApplicationState, GovRefusal, MAX_DETAILS_CHARS};
use domkom_domain::id::{ApplicationId, HouseId};
use domkom_domain::wire::{AdminApplication, ApplyForRights, DecideApplication, Org, TransferHouse, Transferred};

use super::error::{Error, Result, doc};
use super::extract::{Path, Query};
use super::{AppState, Auth, Json};
use crate::store::GovError;

impl From<GovRefusal> for Error {
    fn from(e: GovRefusal) -> Error {
        let (status, text) = match &e {
            GovRefusal::InspectionOnly => (StatusCode::FORBIDDEN, "Это делает только Госжилинспекция.".to_owned()),
            GovRefusal::NotApplicant => (
                StatusCode::FORBIDDEN,
                "Права администратора запрашивает управляющая организация дома или председатель ТСЖ/ЖСК.".to_owned(),
            ),
            GovRefusal::AlreadyGranted => {
                (StatusCode::CONFLICT, "Права администратора этого чата уже предоставлены.".to_owned())
            }
            GovRefusal::AlreadyOpen => {
                (StatusCode::CONFLICT, "Заявка по этому чату уже ждёт решения Госжилинспекции.".to_owned())
            }
            GovRefusal::Decided => {
                (StatusCode::CONFLICT, "По заявке уже принято решение. Обновите очередь.".to_owned())
            }
            GovRefusal::ReasonRequired => {
                (StatusCode::UNPROCESSABLE_ENTITY, "Напишите причину отказа: заявитель её прочтёт.".to_owned())
            }
            GovRefusal::TooLong(n) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("В тексте {n} знаков, а можно не больше {MAX_DETAILS_CHARS}. Сократите его."),
            ),
            GovRefusal::NotAHouseChat => {
                (StatusCode::UNPROCESSABLE_ENTITY, "Права администратора бывают только у чата дома.".to_owned())
            }
            GovRefusal::SameOrganisation => (StatusCode::CONFLICT, "Дом уже в управлении этой организации.".to_owned()),
            GovRefusal::BadDate(d) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("«{}» — не дата. Укажите день как ГГГГ-ММ-ДД.", d.chars().take(40).collect::<String>()),
            ),
            GovRefusal::DateOutOfRange { earliest, latest } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("Дата смены управления — с {earliest} (начало текущего управления) по {latest} (сегодня)."),
            ),
        };
        let mut error = Error::new(status, e.code(), text);
        error.params = e.params();
        error
    }
}

impl From<GovError> for Error {
    fn from(e: GovError) -> Error {
        match e {
            GovError::Refused(r) => r.into(),
            GovError::Store(s) => s.into(),
        }
    }
}

/// Filter of the applications.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ApplicationsQuery {
    /// Only applications in this state.
    #[param(value_type = Option<ApplicationState>)]
    state: Option<String>,
}

/// Applications for admin rights the caller sees (the Inspection: all; staff: their houses';
/// others: their own), open ones first.
#[utoipa::path(get, path = "/v1/admin/applications", operation_id = "list_applications", tag = "governance",
    params(ApplicationsQuery),
    responses(
        (status = 200, body = [AdminApplication]),
        doc::Malformed, doc::Refused,
    ),
    security(("bearer" = [])))]
pub async fn applications(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Query(q): Query<ApplicationsQuery>,
) -> Result<Json<Vec<AdminApplication>>> {
    let wanted = q
        .state
        .as_deref()
        .map(|s| {
            ApplicationState::parse(s)
                .ok_or_else(|| Error::bad_request("bad_state", "state должен быть одним из: open, granted, refused."))
        })
        .transpose()?;
    Ok(Json(state.run(move |s| s.applications(&viewer, wanted)).await?))
}

/// Applies for a house chat's admin rights (its managing organisation's staff, or the chair
/// of a ТСЖ/ЖСК house).
#[utoipa::path(post, path = "/v1/admin/applications", operation_id = "apply_for_rights", tag = "governance",
    request_body = ApplyForRights,
    responses(
        (status = 201, body = AdminApplication),
        doc::Malformed, doc::Refused, doc::Missing, doc::Conflicting, doc::BadBody, doc::BreaksRule,
    ),
    security(("bearer" = [])))]
pub async fn apply(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Json(req): Json<ApplyForRights>,
) -> Result<(StatusCode, Json<AdminApplication>)> {
    let done = state.run(move |s| s.apply_for_rights(&viewer, req.community_id, req.details.as_deref())).await?;
    Ok((StatusCode::CREATED, Json(done)))
}

/// Grants or refuses an open application (the Inspection); a refusal says why. A grant gives
/// the organisation the chat's admin rights, and the city's pending count falls by one.
#[utoipa::path(post, path = "/v1/admin/applications/{id}/decision", operation_id = "decide_application", tag = "governance",
    params(("id" = i64, Path, description = "The application.")),
    request_body = DecideApplication,
    responses(
        (status = 200, body = AdminApplication),
        doc::Malformed, doc::Refused, doc::Missing, doc::Conflicting, doc::BadBody, doc::BreaksRule,
    ),
    security(("bearer" = [])))]
pub async fn decide(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<ApplicationId>,
    Json(req): Json<DecideApplication>,
) -> Result<Json<AdminApplication>> {
    Ok(Json(state.run(move |s| s.decide(&viewer, id, req.grant, req.reason.as_deref())).await?))
}

/// Records a new managing organisation for a house from a day (the Inspection): the old
/// organisation's staff lose the house, its chat and tickets; the new one's gain them;
/// history stays; admin rights go back to pending unless granted now; the chat is told.
#[utoipa::path(post, path = "/v1/houses/{id}/transfer", operation_id = "transfer_house", tag = "governance",
    params(("id" = i64, Path, description = "The house.")),
    request_body = TransferHouse,
    responses(
        (status = 200, body = Transferred),
        doc::Malformed, doc::Refused, doc::Missing, doc::Conflicting, doc::BadBody, doc::BreaksRule,
    ),
    security(("bearer" = [])))]
pub async fn transfer(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<HouseId>,
    Json(req): Json<TransferHouse>,
) -> Result<Json<Transferred>> {
    Ok(Json(state.run(move |s| s.transfer(&viewer, id, req.org_id, &req.from, req.grant_rights)).await?))
}

/// The registry's managing organisations, by name.
#[utoipa::path(get, path = "/v1/orgs", operation_id = "list_orgs", tag = "governance",
    responses(
        (status = 200, body = [Org]),
        doc::Refused,
    ),
    security(("bearer" = [])))]
pub async fn orgs(State(state): State<AppState>, Auth(_viewer): Auth) -> Result<Json<Vec<Org>>> {
    Ok(Json(state.run(|s| s.orgs()).await?))
}
