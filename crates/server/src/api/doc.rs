//! The OpenAPI 3 document, generated from the handlers' annotations: every operation lists
//! each status it can answer, with its body, and links that lead from one answer to the next
//! request (which a stateful tester such as schemathesis follows).

use utoipa::OpenApi;
use utoipa::openapi::security::{AuthorizationCode, Flow, HttpAuthScheme, HttpBuilder, OAuth2, Scopes, SecurityScheme};

use super::error::doc as responses;
use super::{auth, chat, feed, house, registry, services, stats};

#[derive(OpenApi)]
#[openapi(
    info(title = "Domkom reference backend", description = "House chats, registry, tickets, meters, bills and notices of Kazan, with a change feed. Errors are `ApiError` bodies whose `code` is stable."),
    paths(
        stats::city_stats, stats::demo_persons,
        auth::me, auth::token, auth::revoke,
        feed::changes, feed::stream,
        house::houses, house::house, house::premises, house::tickets, house::notices, house::repairs,
        house::devices, house::ticket,
        services::accounts, services::bills, services::premises_devices, services::readings,
        chat::community, chat::history, chat::send, chat::edit, chat::delete, chat::join, chat::leave,
        registry::end_ownership,
    ),
    components(
        schemas(
            domkom_domain::wire::ApiError, domkom_domain::wire::Change, domkom_domain::wire::ChangesPage,
            domkom_domain::wire::PushEvent, domkom_domain::wire::House, domkom_domain::wire::Community,
            domkom_domain::wire::Membership, domkom_domain::wire::Ownership, domkom_domain::wire::Message,
            domkom_domain::wire::Ticket, domkom_domain::wire::Device, domkom_domain::wire::Reading,
            domkom_domain::wire::Account, domkom_domain::wire::Bill, domkom_domain::wire::BillReading,
            domkom_domain::wire::Notice, domkom_domain::wire::RepairPlan, domkom_domain::wire::Premises,
        ),
        responses(
            responses::BadRequest, responses::Unauthorized, responses::Forbidden, responses::NotFound,
            responses::Conflict, responses::TooLarge, responses::NotJson, responses::Invalid,
            responses::RateLimited,
        ),
    ),
    modifiers(&SignIn),
)]
struct ApiDoc;

/// The two ways of naming the sign-in: the bearer access token every `/v1` operation takes,
/// and the OAuth 2.0 authorization-code flow (with PKCE) that issues it.
struct SignIn;

impl utoipa::Modify for SignIn {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "esia",
            SecurityScheme::OAuth2(OAuth2::with_description(
                [Flow::AuthorizationCode(AuthorizationCode::new("/oauth/authorize", "/oauth/token", Scopes::new()))],
                "The emulated ESIA sign-in: authorization code with PKCE (S256), loopback redirect, rotating refresh tokens.",
            )),
        );
    }
}

/// The OpenAPI 3 document, generated from the code.
pub async fn openapi() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(ApiDoc::openapi())
}
