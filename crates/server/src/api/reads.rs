//! Read endpoints: city figures, the caller, the change feed, houses and their services.

use serde::Deserialize;
use serde_json::Value;
use utoipa::IntoParams;

use domkom_domain::wire::{ChangeKind, ChangesPage, CityStats, Me, Premises};

use super::extract::{AnyAuth, Path, Query};
use super::{AppState, Auth, Json};
use crate::error::{Error, Result};
use crate::store::{Entity, Filter, Scope, Viewer};
use axum::extract::State;

/// Keeps what the viewer may see.
fn visible(viewer: &Viewer, entities: Vec<Entity>) -> Vec<Value> {
    entities.into_iter().filter(|e| viewer.sees(e.scope)).map(|e| e.payload).collect()
}

/// Reads one entity of a kind, answering 404 when it does not exist and 403 when it is
/// not the viewer's.
async fn one(state: &AppState, viewer: &Viewer, kind: ChangeKind, id: i64, what: &'static str) -> Result<Value> {
    let found = state.run(move |s| s.entities(kind, &Filter::Id(id), 64)).await?;
    if found.is_empty() {
        return Err(Error::not_found(what));
    }
    found.into_iter().find(|e| viewer.sees(e.scope)).map(|e| e.payload).ok_or_else(|| forbidden(what))
}

fn forbidden(what: &str) -> Error {
    Error::forbidden(
        "not_yours",
        format!("{what}: нет доступа. Здесь видно только то, что относится к вашим домам и квартирам."),
    )
}

/// Checks that a house exists and the viewer belongs to it.
async fn house_of(state: &AppState, viewer: &Viewer, id: i64) -> Result<()> {
    one(state, viewer, ChangeKind::House, id, "Дом").await.map(|_| ())
}

async fn list(
    state: &AppState,
    viewer: &Viewer,
    kind: ChangeKind,
    filter: Filter,
    limit: usize,
) -> Result<Json<Vec<Value>>> {
    let found = state.run(move |s| s.entities(kind, &filter, limit)).await?;
    Ok(Json(visible(viewer, found)))
}

/// The city's figures (public).
#[utoipa::path(get, path = "/v1/stats/city", responses((status = 200, body = CityStats)))]
pub async fn city_stats(State(state): State<AppState>) -> Result<Json<CityStats>> {
    Ok(Json(state.run(|s| s.city_stats()).await?))
}

/// The demo persons of this reference backend (public), for a client's demo sign-in picker.
#[utoipa::path(get, path = "/v1/demo/persons", responses((status = 200, body = [domkom_domain::wire::DemoPerson])))]
pub async fn demo_persons(State(state): State<AppState>) -> Result<Json<Vec<domkom_domain::wire::DemoPerson>>> {
    Ok(Json(state.run(|s| s.demo_persons()).await?))
}

/// Who the caller is; houses, communities and offers to join.
#[utoipa::path(get, path = "/v1/me", responses((status = 200, body = Me)), security(("bearer" = [])))]
pub async fn me(State(state): State<AppState>, AnyAuth(viewer): AnyAuth) -> Result<Json<Me>> {
    Ok(Json(state.run(move |s| s.me(&viewer)).await?))
}

/// Paging of the change feed.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ChangesQuery {
    /// Return changes after this cursor (0 or absent: from the start).
    after: Option<i64>,
    /// At most this many (1–5000, default 1000).
    limit: Option<usize>,
    /// Only this audience, as `c:ID` (community) or `h:ID` (house): to catch up on one newly joined.
    scope: Option<String>,
}

/// Changes after a cursor, in order, filtered to what the caller may see now.
#[utoipa::path(get, path = "/v1/changes", params(ChangesQuery), responses((status = 200, body = ChangesPage)), security(("bearer" = [])))]
pub async fn changes(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Query(q): Query<ChangesQuery>,
) -> Result<Json<ChangesPage>> {
    let limit = q.limit.unwrap_or(1000);
    if !(1..=5000).contains(&limit) {
        return Err(Error::bad_request("bad_limit", "limit должен быть от 1 до 5000."));
    }
    let after = q.after.unwrap_or(0);
    if after < 0 {
        return Err(Error::bad_request("bad_cursor", "after не может быть отрицательным."));
    }
    let only = match q.scope.as_deref() {
        None => None,
        Some(text) => {
            let scope = Scope::parse(text)
                .ok_or_else(|| Error::bad_request("bad_scope", "scope должен быть вида c:ID, h:ID, f:ID или p:ID."))?;
            if !viewer.sees(scope) {
                return Err(forbidden("Эта часть ленты"));
            }
            Some(scope)
        }
    };
    Ok(Json(state.run(move |s| s.changes(&viewer, after, limit, only)).await?))
}

/// Paging of the house list.
#[derive(Debug, Deserialize, IntoParams)]
pub struct HousesQuery {
    /// Only houses with ids above this.
    after: Option<i64>,
    /// At most this many (1–1000, default 200).
    limit: Option<usize>,
}

/// The caller's houses with their passports (the Inspection pages through all).
#[utoipa::path(get, path = "/v1/houses", params(HousesQuery), responses((status = 200, body = [domkom_domain::wire::House])), security(("bearer" = [])))]
pub async fn houses(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Query(q): Query<HousesQuery>,
) -> Result<Json<Vec<Value>>> {
    let limit = q.limit.unwrap_or(200).clamp(1, 1000);
    let after = q.after.unwrap_or(0);
    if viewer.is_inspector() {
        return list(&state, &viewer, ChangeKind::House, Filter::After(after), limit).await;
    }
    let ids: Vec<i64> = viewer.houses.range(after + 1..).take(limit).copied().collect();
    let found = state
        .run(move |s| {
            let mut out = Vec::new();
            for id in ids {
                out.extend(s.entities(ChangeKind::House, &Filter::Id(id), 1)?);
            }
            Ok(out)
        })
        .await?;
    Ok(Json(visible(&viewer, found)))
}

/// A house's passport.
#[utoipa::path(get, path = "/v1/houses/{id}", responses((status = 200, body = domkom_domain::wire::House), (status = 403, body = domkom_domain::wire::ApiError), (status = 404, body = domkom_domain::wire::ApiError)), security(("bearer" = [])))]
pub async fn house(State(state): State<AppState>, Auth(viewer): Auth, Path(id): Path<i64>) -> Result<Json<Value>> {
    Ok(Json(one(&state, &viewer, ChangeKind::House, id, "Дом").await?))
}

/// A house's premises.
#[utoipa::path(get, path = "/v1/houses/{id}/premises", responses((status = 200, body = [Premises])), security(("bearer" = [])))]
pub async fn premises(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<i64>,
) -> Result<Json<Vec<Premises>>> {
    house_of(&state, &viewer, id).await?;
    Ok(Json(state.run(move |s| s.premises(id)).await?))
}

/// Ticket filter.
#[derive(Debug, Deserialize, IntoParams)]
pub struct TicketsQuery {
    /// Only tickets in this status.
    status: Option<String>,
}

/// A house's tickets.
#[utoipa::path(get, path = "/v1/houses/{id}/tickets", params(TicketsQuery), responses((status = 200, body = [domkom_domain::wire::Ticket])), security(("bearer" = [])))]
pub async fn house_tickets(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<i64>,
    Query(q): Query<TicketsQuery>,
) -> Result<Json<Vec<Value>>> {
    if let Some(status) = q.status.as_deref()
        && domkom_domain::ticket::Status::ALL.iter().all(|s| s.as_str() != status)
    {
        return Err(Error::bad_request(
            "bad_status",
            "status должен быть одним из: new, accepted, in_work, done, rejected, withdrawn.",
        ));
    }
    house_of(&state, &viewer, id).await?;
    let Json(all) = list(&state, &viewer, ChangeKind::Ticket, Filter::House(id), 10_000).await?;
    Ok(Json(match q.status {
        Some(status) => all.into_iter().filter(|t| t["status"] == status.as_str()).collect(),
        None => all,
    }))
}

/// A house's outage and information notices.
#[utoipa::path(get, path = "/v1/houses/{id}/notices", responses((status = 200, body = [domkom_domain::wire::Notice])), security(("bearer" = [])))]
pub async fn house_notices(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<i64>,
) -> Result<Json<Vec<Value>>> {
    house_of(&state, &viewer, id).await?;
    list(&state, &viewer, ChangeKind::Notice, Filter::House(id), 1000).await
}

/// A house's capital-repair plan.
#[utoipa::path(get, path = "/v1/houses/{id}/repairs", responses((status = 200, body = [domkom_domain::wire::RepairPlan])), security(("bearer" = [])))]
pub async fn house_repairs(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<i64>,
) -> Result<Json<Vec<Value>>> {
    house_of(&state, &viewer, id).await?;
    list(&state, &viewer, ChangeKind::RepairPlan, Filter::House(id), 1000).await
}

/// A house's collective (ОДПУ) meters.
#[utoipa::path(get, path = "/v1/houses/{id}/devices", responses((status = 200, body = [domkom_domain::wire::Device])), security(("bearer" = [])))]
pub async fn house_devices(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<i64>,
) -> Result<Json<Vec<Value>>> {
    house_of(&state, &viewer, id).await?;
    list(&state, &viewer, ChangeKind::Device, Filter::House(id), 1000).await
}

/// A ticket with its status history.
#[utoipa::path(get, path = "/v1/tickets/{id}", responses((status = 200, body = domkom_domain::wire::Ticket)), security(("bearer" = [])))]
pub async fn ticket(State(state): State<AppState>, Auth(viewer): Auth, Path(id): Path<i64>) -> Result<Json<Value>> {
    Ok(Json(one(&state, &viewer, ChangeKind::Ticket, id, "Заявка").await?))
}

/// The caller's personal accounts.
#[utoipa::path(get, path = "/v1/accounts", responses((status = 200, body = [domkom_domain::wire::Account])), security(("bearer" = [])))]
pub async fn accounts(State(state): State<AppState>, Auth(viewer): Auth) -> Result<Json<Vec<Value>>> {
    let premises: Vec<i64> = viewer.premises.iter().copied().collect();
    let found = state
        .run(move |s| {
            let mut out = Vec::new();
            for p in premises {
                out.extend(s.entities(ChangeKind::Account, &Filter::Premises(p), 16)?);
            }
            Ok(out)
        })
        .await?;
    Ok(Json(visible(&viewer, found)))
}

/// An account's bills (ЕПД), newest first.
#[utoipa::path(get, path = "/v1/accounts/{id}/bills", responses((status = 200, body = [domkom_domain::wire::Bill])), security(("bearer" = [])))]
pub async fn bills(State(state): State<AppState>, Auth(viewer): Auth, Path(id): Path<i64>) -> Result<Json<Vec<Value>>> {
    one(&state, &viewer, ChangeKind::Account, id, "Лицевой счёт").await?;
    list(&state, &viewer, ChangeKind::Bill, Filter::Account(id), 240).await
}

/// A premises' meters.
#[utoipa::path(get, path = "/v1/premises/{id}/devices", responses((status = 200, body = [domkom_domain::wire::Device])), security(("bearer" = [])))]
pub async fn premises_devices(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<i64>,
) -> Result<Json<Vec<Value>>> {
    if !viewer.sees(Scope::Premises(id)) {
        return Err(forbidden("Помещение"));
    }
    list(&state, &viewer, ChangeKind::Device, Filter::Premises(id), 100).await
}

/// A meter's readings, newest first.
#[utoipa::path(get, path = "/v1/devices/{id}/readings", responses((status = 200, body = [domkom_domain::wire::Reading])), security(("bearer" = [])))]
pub async fn readings(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<i64>,
) -> Result<Json<Vec<Value>>> {
    one(&state, &viewer, ChangeKind::Device, id, "Прибор учёта").await?;
    list(&state, &viewer, ChangeKind::Reading, Filter::Device(id), 600).await
}

/// A community.
#[utoipa::path(get, path = "/v1/communities/{id}", responses((status = 200, body = domkom_domain::wire::Community)), security(("bearer" = [])))]
pub async fn community(State(state): State<AppState>, Auth(viewer): Auth, Path(id): Path<i64>) -> Result<Json<Value>> {
    Ok(Json(one(&state, &viewer, ChangeKind::Community, id, "Чат").await?))
}
