//! A premises' services: personal accounts, bills (ЕПД), meters and their readings.

use axum::extract::State;

use domkom_domain::id::{AccountId, DeviceId, PremisesId};
use domkom_domain::wire::{Account, Bill, Device, Reading};

use super::error::{Result, doc};
use super::extract::Path;
use super::{AppState, Auth, Json};

/// The caller's personal accounts.
#[utoipa::path(get, path = "/v1/accounts", operation_id = "list_accounts", tag = "services",
    responses(
        (status = 200, body = [Account], links(
            ("bills" = (operation_id = "list_bills", parameters(("id" = "$response.body#/0/id")))),
            ("devices" = (operation_id = "list_premises_devices", parameters(("id" = "$response.body#/0/premises_id")))),
        )),
        doc::Refused,
    ),
    security(("bearer" = [])))]
pub async fn accounts(State(state): State<AppState>, Auth(viewer): Auth) -> Result<Json<Vec<Account>>> {
    Ok(Json(state.run(move |s| s.accounts(&viewer)).await?))
}

/// An account's bills (ЕПД), newest first.
#[utoipa::path(get, path = "/v1/accounts/{id}/bills", operation_id = "list_bills", tag = "services",
    params(("id" = i64, Path, description = "The personal account.")),
    responses(
        (status = 200, body = [Bill]),
        doc::Malformed, doc::Refused, doc::Missing,
    ),
    security(("bearer" = [])))]
pub async fn bills(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<AccountId>,
) -> Result<Json<Vec<Bill>>> {
    Ok(Json(state.run(move |s| s.bills(&viewer, id)).await?))
}

/// A premises' meters (its holders only).
#[utoipa::path(get, path = "/v1/premises/{id}/devices", operation_id = "list_premises_devices", tag = "services",
    params(("id" = i64, Path, description = "The premises.")),
    responses(
        (status = 200, body = [Device], links(
            ("readings" = (operation_id = "list_readings", parameters(("id" = "$response.body#/0/id")))),
        )),
        doc::Malformed, doc::Refused,
    ),
    security(("bearer" = [])))]
pub async fn premises_devices(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<PremisesId>,
) -> Result<Json<Vec<Device>>> {
    Ok(Json(state.run(move |s| s.premises_devices(&viewer, id)).await?))
}

/// A meter's readings, newest first.
#[utoipa::path(get, path = "/v1/devices/{id}/readings", operation_id = "list_readings", tag = "services",
    params(("id" = i64, Path, description = "The metering device.")),
    responses(
        (status = 200, body = [Reading]),
        doc::Malformed, doc::Refused, doc::Missing,
    ),
    security(("bearer" = [])))]
pub async fn readings(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<DeviceId>,
) -> Result<Json<Vec<Reading>>> {
    Ok(Json(state.run(move |s| s.readings(&viewer, id)).await?))
}
