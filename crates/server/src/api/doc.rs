//! The OpenAPI 3 document, generated from the handlers' annotations: every operation lists
//! each status it can answer, with its body, and links that lead from one answer to the next
//! request (which a stateful tester such as schemathesis follows).

use std::sync::OnceLock;

use axum::http::header;
use axum::response::IntoResponse;
use serde_json::Value;
use utoipa::OpenApi;
use utoipa::openapi::security::{AuthorizationCode, Flow, HttpAuthScheme, HttpBuilder, OAuth2, Scopes, SecurityScheme};

use super::{auth, chat, feed, governance, house, moderation, photos, polls, registry, services, stats, tickets};

#[derive(OpenApi)]
#[openapi(
    info(title = "Domkom reference backend", description = "House chats, registry, tickets, meters, bills and notices of Kazan, with a change feed. Errors are `ApiError` bodies whose `code` is stable."),
    paths(
        stats::city_stats, stats::demo_persons,
        auth::me, auth::token, auth::revoke,
        feed::changes, feed::stream,
        house::houses, house::house, house::premises, house::notices, house::post_outage, house::repairs,
        house::devices,
        tickets::house_tickets, tickets::queue, tickets::ticket, tickets::comments, tickets::file, tickets::move_ticket,
        tickets::confirm, tickets::assign, tickets::comment, tickets::cosign, tickets::uncosign, tickets::staff,
        photos::upload, photos::append, photos::ticket_photo,
        services::accounts, services::bills, services::premises_devices, services::readings, services::submit_reading,
        chat::community, chat::history, chat::send, chat::edit, chat::delete, chat::join, chat::leave, chat::open_house_chat,
        chat::react, chat::unreact,
        moderation::pins, moderation::pin, moderation::unpin, moderation::remove, moderation::mute, moderation::unmute, moderation::ban,
        moderation::unban, moderation::slow_mode, moderation::report, moderation::reports, moderation::resolve,
        moderation::modlog, moderation::appeal, moderation::answer,
        governance::applications, governance::apply, governance::decide, governance::transfer, governance::orgs,
        polls::open, polls::list, polls::vote,
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
            domkom_domain::ticket::TicketStatus, domkom_domain::wire::TicketComment,
            domkom_domain::ticket::Upload, domkom_domain::ticket::PhotoRef, domkom_domain::ticket::PhotoType,
            domkom_domain::wire::ModEntry, domkom_domain::wire::Report, domkom_domain::wire::AdminApplication,
            domkom_domain::wire::Transferred, domkom_domain::wire::Poll, domkom_domain::wire::Voted,
            domkom_domain::wire::Reaction,
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

/// The document as served. utoipa 5.5 writes a link's `operationId`, `operationRef` and
/// `requestBody` in snake case, which OpenAPI readers do not know; the names are put right
/// once, here, and the text kept for every request.
fn document() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
        fix_link_names(&mut doc);
        doc.to_string()
    })
}

/// Renames the snake-case keys of every link object (under `links` of a response).
fn fix_link_names(node: &mut Value) {
    match node {
        Value::Object(map) => {
            if let Some(Value::Object(links)) = map.get_mut("links") {
                for link in links.values_mut() {
                    if let Value::Object(link) = link {
                        for (from, to) in [
                            ("operation_id", "operationId"),
                            ("operation_ref", "operationRef"),
                            ("request_body", "requestBody"),
                        ] {
                            if let Some(v) = link.remove(from) {
                                link.insert(to.to_owned(), v);
                            }
                        }
                    }
                }
            }
            map.values_mut().for_each(fix_link_names);
        }
        Value::Array(items) => items.iter_mut().for_each(fix_link_names),
        _ => {}
    }
}

/// The OpenAPI 3 document, generated from the code.
pub async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], document())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_name_their_operation_as_openapi_does() {
        let doc: Value = serde_json::from_str(document()).unwrap_or_default();
        let link = &doc["paths"]["/v1/me"]["get"]["responses"]["200"]["links"]["house"];
        assert_eq!(link["operationId"], "get_house");
        assert!(link.get("operation_id").is_none());
        let ids: Vec<&str> = doc["paths"]
            .as_object()
            .into_iter()
            .flat_map(|paths| paths.values())
            .flat_map(|item| item.as_object().into_iter().flat_map(|ops| ops.values()))
            .filter_map(|op| op["operationId"].as_str())
            .collect();
        assert!(ids.contains(&"get_house") && ids.contains(&"send_message"), "the targets exist: {ids:?}");
    }

    #[test]
    fn vocabularies_are_documented_by_their_wire_names() {
        let doc: Value = serde_json::from_str(document()).unwrap_or_default();
        let schemas = &doc["components"]["schemas"];
        for (name, values) in [
            ("VolumeMethod", domkom_domain::wire::VolumeMethod::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>()),
            ("OrgKind", domkom_domain::wire::OrgKind::ALL.iter().map(|v| v.as_str()).collect()),
            ("TicketStatus", domkom_domain::wire::TicketStatus::ALL.iter().map(|v| v.as_str()).collect()),
        ] {
            let listed: Vec<&str> =
                schemas[name]["enum"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
            assert_eq!(listed, values, "{name}");
        }
    }
}
