//! A premises' services: personal accounts, bills (ЕПД), meters and their readings.

use axum::extract::State;
use axum::http::StatusCode;

use domkom_domain::id::{AccountId, DeviceId, PremisesId};
use domkom_domain::meter::SubmitReading;
use domkom_domain::wire::{Account, Bill, Device, Reading};

use super::error::{Result, doc};
use super::extract::{Path, check_client_key};
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

/// Submits a reading of one's flat's meter. The rules of the domain decide, by the server's
/// clock in the house's time zone; a refusal's `code` says which (`reading_below_previous`,
/// `reading_outside_window`, …) and `params` holds the numbers it names. A use far above the
/// usual answers `reading_needs_confirmation`: send it again with `confirm: true`. Inside the
/// window a second reading of the period corrects the first (`replaces`). The same
/// `client_key` twice stores one reading (201 the first time, 200 after).
#[utoipa::path(post, path = "/v1/devices/{id}/readings", operation_id = "submit_reading", tag = "services",
    params(("id" = i64, Path, description = "The metering device.")),
    request_body = SubmitReading,
    responses(
        (status = 201, body = Reading, description = "Taken.", links(
            ("history" = (operation_id = "list_readings", parameters(("id" = "$response.body#/device_id")))),
        )),
        (status = 200, body = Reading, description = "Submitted before with this key: the stored reading."),
        doc::Malformed, doc::Refused, doc::Missing, doc::Conflicting, doc::BadBody, doc::BreaksRule,
    ),
    security(("bearer" = [])))]
pub async fn submit_reading(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(id): Path<DeviceId>,
    Json(req): Json<SubmitReading>,
) -> Result<(StatusCode, Json<Reading>)> {
    check_client_key(&req.client_key)?;
    let taken = state.run(move |s| s.submit_reading(&viewer, id, &req)).await?;
    Ok((if taken.created { StatusCode::CREATED } else { StatusCode::OK }, Json(taken.reading)))
}
