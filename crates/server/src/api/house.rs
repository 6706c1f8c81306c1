//! Houses: passports, premises, notices, capital-repair plans, collective meters.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;

use domkom_domain::id::HouseId;
use domkom_domain::notice::PostOutage;
use domkom_domain::wire::{Device, House, Notice, Premises, RepairPlan};

use super::error::{Result, doc};
use super::extract::{Path, Query, check_client_key, page_limit};
use super::{AppState, Auth, Json};
use crate::store::Page;

/// Paging of the house list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HousesQuery {
    /// Only houses with ids above this.
    after: Option<i64>,
    /// At most this many (default 200).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<u32>,
}

/// The caller's houses with their passports (the Inspection pages through all).
#[utoipa::path(get, path = "/v1/houses", operation_id = "list_houses", tag = "house", params(HousesQuery),
    responses(
        (status = 200, body = [House], links(
            ("house" = (operation_id = "get_house", parameters(("id" = "$response.body#/0/id")))),
        )),
        doc::Malformed, doc::Refused,
    ),
    security(("bearer" = [])))]
pub async fn houses(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Query(q): Query<HousesQuery>,
) -> Result<Json<Vec<House>>> {
    let page = Page { after: q.after.unwrap_or(0), limit: page_limit(q.limit, 200, 1000)? };
    Ok(Json(state.run(move |s| s.houses(&viewer, page)).await?))
}

/// A house's passport.
#[utoipa::path(get, path = "/v1/houses/{id}", operation_id = "get_house", tag = "house",
    params(("id" = i64, Path, description = "The house.")),
    responses(
        (status = 200, body = House, links(
            ("premises" = (operation_id = "list_premises", parameters(("id" = "$response.body#/id")))),
            ("tickets" = (operation_id = "list_tickets", parameters(("id" = "$response.body#/id")))),
            ("notices" = (operation_id = "list_notices", parameters(("id" = "$response.body#/id")))),
            ("repairs" = (operation_id = "list_repairs", parameters(("id" = "$response.body#/id")))),
            ("devices" = (operation_id = "list_house_devices", parameters(("id" = "$response.body#/id")))),
        )),
        doc::Malformed, doc::Refused, doc::Missing,
    ),
    security(("bearer" = [])))]
pub async fn house(State(state): State<AppState>, Auth(viewer): Auth, Path(id): Path<HouseId>) -> Result<Json<House>> {
    Ok(Json(state.run(move |s| s.house(&viewer, id)).await?))
}

/// A house's premises.
#[utoipa::path(get, path = "/v1/houses/{id}/premises", operation_id = "list_premises", tag = "house",
    params(("id" = i64, Path, description = "The house.")),
    responses(
        (status = 200, body = [Premises], links(
            ("devices" = (operation_id = "list_premises_devices", parameters(("id" = "$response.body#/0/id")))),
        )),
        doc::Malformed, doc::Refused, doc::Missing,
    ),
    security(("bearer" = [])))]
pub async fn premises(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<HouseId>,
) -> Result<Json<Vec<Premises>>> {
    Ok(Json(state.run(move |s| s.premises(&viewer, id)).await?))
}

/// A house's outage and information notices.
#[utoipa::path(get, path = "/v1/houses/{id}/notices", operation_id = "list_notices", tag = "house",
    params(("id" = i64, Path, description = "The house.")),
    responses(
        (status = 200, body = [Notice]),
        doc::Malformed, doc::Refused, doc::Missing,
    ),
    security(("bearer" = [])))]
pub async fn notices(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<HouseId>,
) -> Result<Json<Vec<Notice>>> {
    Ok(Json(state.run(move |s| s.notices(&viewer, id)).await?))
}

/// A dispatcher posts an outage notice for one or more houses their organisation manages.
/// It reaches those houses' notices and, as a message naming it (`notice_id`), their chats.
/// A broken rule answers 422 with its own `outage_*` code and `params`; a house of another
/// organisation 403 `house_not_managed`. The same `client_key` twice posts one notice (201
/// the first time, 200 after).
#[utoipa::path(post, path = "/v1/notices", operation_id = "post_outage", tag = "house",
    request_body = PostOutage,
    responses(
        (status = 201, body = Notice, description = "Posted: the notice as the first house named sees it.", links(
            ("notices" = (operation_id = "list_notices", parameters(("id" = "$response.body#/house_id")))),
        )),
        (status = 200, body = Notice, description = "Posted before with this key: the stored notice."),
        doc::Malformed, doc::Refused, doc::Conflicting, doc::BadBody, doc::BreaksRule,
    ),
    security(("bearer" = [])))]
pub async fn post_outage(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Json(req): Json<PostOutage>,
) -> Result<(StatusCode, Json<Notice>)> {
    check_client_key(&req.client_key)?;
    let posted = state.run(move |s| s.post_outage(&viewer, &req)).await?;
    Ok((if posted.created { StatusCode::CREATED } else { StatusCode::OK }, Json(posted.notice)))
}

/// A house's capital-repair plan.
#[utoipa::path(get, path = "/v1/houses/{id}/repairs", operation_id = "list_repairs", tag = "house",
    params(("id" = i64, Path, description = "The house.")),
    responses(
        (status = 200, body = [RepairPlan]),
        doc::Malformed, doc::Refused, doc::Missing,
    ),
    security(("bearer" = [])))]
pub async fn repairs(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<HouseId>,
) -> Result<Json<Vec<RepairPlan>>> {
    Ok(Json(state.run(move |s| s.repairs(&viewer, id)).await?))
}

/// A house's collective (ОДПУ) meters.
#[utoipa::path(get, path = "/v1/houses/{id}/devices", operation_id = "list_house_devices", tag = "house",
    params(("id" = i64, Path, description = "The house.")),
    responses(
        (status = 200, body = [Device], links(
            ("readings" = (operation_id = "list_readings", parameters(("id" = "$response.body#/0/id")))),
        )),
        doc::Malformed, doc::Refused, doc::Missing,
    ),
    security(("bearer" = [])))]
pub async fn devices(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<HouseId>,
) -> Result<Json<Vec<Device>>> {
    Ok(Json(state.run(move |s| s.house_devices(&viewer, id)).await?))
}
