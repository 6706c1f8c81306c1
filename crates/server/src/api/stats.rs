//! Public figures: the city's statistics and the demo persons of this reference backend.

use axum::extract::State;

use domkom_domain::wire::{CityStats, DemoPerson};

use super::error::Result;
use super::{AppState, Json};

/// The city's figures (public).
#[utoipa::path(get, path = "/v1/stats/city", operation_id = "city_stats", tag = "stats",
    responses((status = 200, body = CityStats)))]
pub async fn city_stats(State(state): State<AppState>) -> Result<Json<CityStats>> {
    Ok(Json(state.run(|s| s.city_stats()).await?))
}

/// The demo persons of this reference backend (public), for a client's demo sign-in picker.
#[utoipa::path(get, path = "/v1/demo/persons", operation_id = "demo_persons", tag = "stats",
    responses((status = 200, body = [DemoPerson])))]
pub async fn demo_persons(State(state): State<AppState>) -> Result<Json<Vec<DemoPerson>>> {
    Ok(Json(state.run(|s| s.demo_persons()).await?))
}
