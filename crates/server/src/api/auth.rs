//! The emulated ESIA endpoints: sign-in page, authorization, token and revocation.

use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use utoipa::ToSchema;

use domkom_domain::wire::{Me, TokenResponse};

use super::error::{Error, Result, doc};
use super::extract::{AnyAuth, Query};
use super::{AppState, Json};
use crate::esia::{self, CLIENT_ID};

/// Who the caller is; houses, communities and offers to join. Unverified accounts may read
/// it too (and learn that they are not verified).
#[utoipa::path(get, path = "/v1/me", operation_id = "me", tag = "auth",
    responses(
        (status = 200, body = Me, links(
            ("community" = (operation_id = "get_community", parameters(("id" = "$response.body#/community_ids/0")))),
            ("history" = (operation_id = "list_messages", parameters(("id" = "$response.body#/community_ids/0")))),
            ("house" = (operation_id = "get_house", parameters(("id" = "$response.body#/house_ids/0")))),
            ("join" = (operation_id = "join_community", parameters(("id" = "$response.body#/offers/0/community_id")))),
        )),
        doc::Unsigned,
    ),
    security(("bearer" = [])))]
pub async fn me(State(state): State<AppState>, AnyAuth(viewer): AnyAuth) -> Result<Json<Me>> {
    Ok(Json(state.run(move |s| s.me(&viewer)).await?))
}

/// The parameters of an authorization request (RFC 6749 §4.1.1, RFC 7636).
#[derive(Debug, Deserialize)]
pub struct AuthorizeParams {
    response_type: String,
    client_id: String,
    redirect_uri: String,
    code_challenge: String,
    code_challenge_method: String,
    state: Option<String>,
    /// The demo person chosen on the page (POST only).
    person: Option<String>,
}

fn check_params(p: &AuthorizeParams) -> Result<url::Url> {
    if p.response_type != "code" {
        return Err(Error::bad_request("unsupported_response_type", "Поддерживается только response_type=code."));
    }
    if p.client_id != CLIENT_ID {
        return Err(Error::bad_request("invalid_client", format!("Неизвестный client_id; ожидается {CLIENT_ID}.")));
    }
    esia::check_challenge(&p.code_challenge, &p.code_challenge_method)?;
    Ok(esia::check_redirect_uri(&p.redirect_uri)?)
}

/// The sign-in page listing the demo persons.
pub async fn authorize_page(State(state): State<AppState>, Query(p): Query<AuthorizeParams>) -> Result<Response> {
    check_params(&p)?;
    let persons = state.run(|s| s.demo_persons()).await?;
    let st = p.state.clone().unwrap_or_default();
    let hidden = [
        ("response_type", p.response_type.as_str()),
        ("client_id", p.client_id.as_str()),
        ("redirect_uri", p.redirect_uri.as_str()),
        ("code_challenge", p.code_challenge.as_str()),
        ("code_challenge_method", p.code_challenge_method.as_str()),
        ("state", st.as_str()),
    ];
    let mut response = Html(esia::sign_in_page(&persons, &hidden)).into_response();
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http://127.0.0.1:* http://[::1]:*; frame-ancestors 'none'"),
    );
    Ok(response)
}

/// The person chose themselves: redirect to the app's loopback listener with a code.
pub async fn authorize(
    State(state): State<AppState>,
    form: std::result::Result<axum::Form<AuthorizeParams>, FormRejection>,
) -> Result<Response> {
    let axum::Form(p) =
        form.map_err(|e| Error::bad_request("bad_form", format!("Неверная форма входа: {}", e.body_text())))?;
    let mut redirect = check_params(&p)?;
    let key = p.person.clone().ok_or_else(|| Error::bad_request("no_person", "Выберите, кем войти."))?;
    let person = state
        .run(move |s| s.person_by_demo_key(&key))
        .await?
        .ok_or_else(|| Error::bad_request("unknown_person", "Такого демо-пользователя нет."))?;
    let (uri, challenge) = (p.redirect_uri.clone(), p.code_challenge.clone());
    let code = state.run(move |s| esia::issue_code(s, person, &uri, &challenge)).await?;
    {
        let mut q = redirect.query_pairs_mut();
        q.append_pair("code", &code);
        if let Some(st) = &p.state {
            q.append_pair("state", st);
        }
    }
    Ok(Redirect::to(redirect.as_str()).into_response())
}

/// The grants the token endpoint knows (schema only: an unknown one is answered with
/// `unsupported_grant_type`, as RFC 6749 §5.2 asks).
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum GrantType {
    /// Exchanges an authorization code and its PKCE verifier.
    AuthorizationCode,
    /// Rotates a refresh token.
    RefreshToken,
}

/// A token request (RFC 6749 §4.1.3 and §6), form-encoded. Unknown parameters are ignored,
/// as RFC 6749 §3.2 asks.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenRequest {
    /// `authorization_code` or `refresh_token`.
    #[schema(value_type = GrantType)]
    grant_type: String,
    /// With `authorization_code`.
    code: Option<String>,
    /// With `authorization_code`: the PKCE verifier.
    code_verifier: Option<String>,
    /// With `authorization_code`: the same redirect URI.
    redirect_uri: Option<String>,
    /// The client id.
    client_id: Option<String>,
    /// With `refresh_token`.
    refresh_token: Option<String>,
}

fn missing(field: &str) -> Error {
    Error::bad_request("invalid_request", format!("Не хватает поля {field}."))
}

/// Exchanges a code (with PKCE) or rotates a refresh token.
#[utoipa::path(post, path = "/oauth/token", operation_id = "token", tag = "auth",
    request_body(content = TokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, body = TokenResponse, headers(("Cache-Control" = String, description = "Always `no-store`."))),
        doc::Malformed,
    ))]
pub async fn token(
    State(state): State<AppState>,
    form: std::result::Result<axum::Form<TokenRequest>, FormRejection>,
) -> Result<Response> {
    let axum::Form(req) = form.map_err(|e| {
        Error::bad_request(
            "invalid_request",
            format!("Запрос токена должен быть формой x-www-form-urlencoded: {}", e.body_text()),
        )
    })?;
    let policy = state.tokens;
    let tokens = match req.grant_type.as_str() {
        "authorization_code" => {
            let code = req.code.ok_or_else(|| missing("code"))?;
            let verifier = req.code_verifier.ok_or_else(|| missing("code_verifier"))?;
            let uri = req.redirect_uri.ok_or_else(|| missing("redirect_uri"))?;
            let client = req.client_id.ok_or_else(|| missing("client_id"))?;
            state.run(move |s| esia::exchange_code(s, policy, &code, &verifier, &uri, &client)).await?
        }
        "refresh_token" => {
            let refresh = req.refresh_token.ok_or_else(|| missing("refresh_token"))?;
            state.run(move |s| esia::refresh(s, policy, &refresh)).await?
        }
        _ => {
            return Err(Error::bad_request(
                "unsupported_grant_type",
                "grant_type должен быть authorization_code или refresh_token.",
            ));
        }
    };
    let mut response = (StatusCode::OK, Json(tokens)).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// A revocation request (RFC 7009).
#[derive(Debug, Deserialize, ToSchema)]
pub struct RevokeRequest {
    /// A refresh or access token; its whole session ends.
    token: String,
}

/// Signs out: revokes the session the token belongs to. Unknown tokens are fine (RFC 7009).
#[utoipa::path(post, path = "/oauth/revoke", operation_id = "revoke", tag = "auth",
    request_body(content = RevokeRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "The session is ended (or the token was unknown)."),
        doc::Malformed,
    ))]
pub async fn revoke(
    State(state): State<AppState>,
    form: std::result::Result<axum::Form<RevokeRequest>, FormRejection>,
) -> Result<StatusCode> {
    let axum::Form(req) =
        form.map_err(|e| Error::bad_request("invalid_request", format!("Нужно поле token: {}", e.body_text())))?;
    state.run(move |s| s.revoke_family(&esia::hash_token(&req.token))).await?;
    Ok(StatusCode::OK)
}
