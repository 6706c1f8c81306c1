//! The emulated housing registry: a sale recorded by the Inspection.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;

use domkom_domain::id::{PersonId, PremisesId};

use super::error::{Error, Result, doc};
use super::{AppState, Auth, Json};

/// A sale recorded in the registry.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndOwnership {
    /// The former owner.
    #[serde(deserialize_with = "domkom_domain::json::integer")]
    pub person_id: PersonId,
    /// The premises sold.
    #[serde(deserialize_with = "domkom_domain::json::integer")]
    pub premises_id: PremisesId,
}

/// Records in the emulated registry that a person no longer holds a premises (Inspection only);
/// their memberships in that house end, and their clients purge it.
#[utoipa::path(post, path = "/v1/registry/ownerships/end", operation_id = "end_ownership", tag = "registry",
    request_body = EndOwnership,
    responses(
        (status = 204, description = "Ended; deletes of the ownership and memberships follow in the feed."),
        doc::Malformed, doc::Refused, doc::Missing, doc::BadBody,
    ),
    security(("bearer" = [])))]
pub async fn end_ownership(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Json(req): Json<EndOwnership>,
) -> Result<StatusCode> {
    if !viewer.staff.is_some_and(|s| s.keeps_registry()) {
        return Err(Error::forbidden("inspector_only", "Изменять реестр может только Госжилинспекция."));
    }
    state.run(move |s| s.end_ownership(req.person_id, req.premises_id)).await?;
    Ok(StatusCode::NO_CONTENT)
}
