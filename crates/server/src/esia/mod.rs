//! The emulated ESIA (Госуслуги) sign-in: OAuth 2.0 authorization code with PKCE (S256)
//! for native apps with a loopback redirect (RFC 8252), short-lived access tokens and
//! rotating refresh tokens whose reuse revokes the whole family.

mod page;

pub use page::sign_in_page;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::store::{AuthCode, Refresh, Store, StoreError, TokenHashes};
use domkom_domain::id::PersonId;
use domkom_domain::wire::TokenResponse;

/// The one client this emulator knows: the Domkom desktop app and CLI.
pub const CLIENT_ID: &str = "domkom-desktop";

/// Why a sign-in step was refused. `api::auth` words each for people and maps it to the
/// OAuth error codes of RFC 6749 §5.2 (or the API's own codes for bearer tokens).
#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    /// `redirect_uri` is not a loopback address for a native app.
    #[error("redirect_uri is not a loopback URI")]
    InvalidRedirectUri,
    /// The PKCE method is not S256.
    #[error("only the S256 code challenge method is supported")]
    UnsupportedChallengeMethod,
    /// The PKCE challenge is not base64url of a SHA-256.
    #[error("the code challenge is not 43 base64url characters")]
    MalformedChallenge,
    /// The authorization code is unknown.
    #[error("unknown authorization code")]
    UnknownCode,
    /// The authorization code was already exchanged.
    #[error("the authorization code was already used")]
    CodeUsed,
    /// The authorization code expired.
    #[error("the authorization code expired")]
    CodeExpired,
    /// `client_id` or `redirect_uri` differ from the authorization request.
    #[error("client_id or redirect_uri differ from the authorization request")]
    ClientMismatch,
    /// The PKCE verifier does not match the challenge.
    #[error("the code verifier does not match the challenge")]
    VerifierMismatch,
    /// A used refresh token was presented again: its whole session is revoked.
    #[error("a used refresh token was presented again")]
    RefreshReused,
    /// The refresh token is unknown, revoked or expired.
    #[error("the refresh token is unknown, revoked or expired")]
    RefreshInvalid,
    /// The access token expired.
    #[error("the access token expired")]
    TokenExpired,
    /// The access token is unknown or revoked.
    #[error("the access token is unknown or revoked")]
    TokenInvalid,
    /// The token's person is no longer in the registry.
    #[error("the person is unknown")]
    UnknownPerson,
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Shorthand for sign-in results.
pub type Result<T, E = SignInError> = std::result::Result<T, E>;

/// How long an authorization code lives, seconds.
const CODE_TTL: i64 = 60;

/// Token lifetimes.
#[derive(Debug, Clone, Copy)]
pub struct TokenPolicy {
    /// Access-token lifetime, seconds.
    pub access_ttl: i64,
    /// Refresh-token lifetime, seconds.
    pub refresh_ttl: i64,
}

impl Default for TokenPolicy {
    fn default() -> TokenPolicy {
        TokenPolicy { access_ttl: 15 * 60, refresh_ttl: 30 * 24 * 3600 }
    }
}

/// What each demo person is for, as shown on the sign-in page and in the README.
pub fn describe_demo(key: &str) -> &'static str {
    match key {
        "resident" => {
            "Жительница дома с долгой историей чата: читает и пишет, передаёт показания счётчиков, видит квитанции и объявления об отключениях."
        }
        "multi-owner" => "Собственник квартир в двух домах: состоит в двух чатах.",
        "neighbour" => "Житель другого дома: чужие чаты ему недоступны.",
        "dispatcher" => "Диспетчер управляющей компании: чаты всех домов УК, объявляет отключения.",
        "chair" => "Председатель совета дома: модерирует чат (удаляет чужие сообщения).",
        "inspector" => "Госжилинспекция: видит все дома и сообщества.",
        "unverified" => "Неподтверждённая учётная запись Госуслуг: в чаты домов не допускается.",
        "not-joined" => "Собственник, ещё не вступивший в чат: система предлагает вступить.",
        _ => "Демо-пользователь.",
    }
}

/// A fresh random token: 256 bits, base64url.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// How tokens and codes are stored: only their SHA-256, so a copy of the database signs no one in.
pub fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The S256 challenge of a PKCE verifier.
pub fn pkce_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// Checks that a redirect URI is a loopback one for a native app (RFC 8252 §7.3).
pub fn check_redirect_uri(uri: &str) -> Result<url::Url> {
    let url = url::Url::parse(uri).map_err(|_| SignInError::InvalidRedirectUri)?;
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        _ => false,
    };
    if url.scheme() != "http" || !loopback || url.fragment().is_some() {
        return Err(SignInError::InvalidRedirectUri);
    }
    Ok(url)
}

/// Checks a PKCE challenge as sent to the authorize endpoint.
pub fn check_challenge(challenge: &str, method: &str) -> Result<()> {
    if method != "S256" {
        return Err(SignInError::UnsupportedChallengeMethod);
    }
    if challenge.len() != 43 || !challenge.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return Err(SignInError::MalformedChallenge);
    }
    Ok(())
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Issues an authorization code for a person who picked themselves on the sign-in page.
pub fn issue_code(store: &dyn Store, person_id: PersonId, redirect_uri: &str, challenge: &str) -> Result<String> {
    let code = new_token();
    store.save_auth_code(
        &hash_token(&code),
        &AuthCode {
            person_id,
            client_id: CLIENT_ID.to_owned(),
            redirect_uri: redirect_uri.to_owned(),
            code_challenge: challenge.to_owned(),
            expires_at: now() + CODE_TTL,
            used: false,
        },
    )?;
    Ok(code)
}

/// A token pair with its stored form.
struct Fresh {
    access: String,
    refresh: String,
    hashes: TokenHashes,
}

fn fresh_pair(policy: TokenPolicy, person_id: PersonId, family: &str) -> Fresh {
    let access = new_token();
    let refresh = new_token();
    let t = now();
    Fresh {
        hashes: TokenHashes {
            person_id,
            family: family.to_owned(),
            access_hash: hash_token(&access),
            access_expires_at: t + policy.access_ttl,
            refresh_hash: hash_token(&refresh),
            refresh_expires_at: t + policy.refresh_ttl,
        },
        access,
        refresh,
    }
}

fn response(store: &dyn Store, policy: TokenPolicy, fresh: Fresh) -> Result<TokenResponse> {
    let viewer = store.viewer(fresh.hashes.person_id)?.ok_or(SignInError::UnknownPerson)?;
    Ok(TokenResponse {
        access_token: fresh.access,
        token_type: "Bearer".to_owned(),
        expires_in: policy.access_ttl,
        refresh_token: fresh.refresh,
        person: viewer.person,
    })
}

/// Starts a new session (token family) for a person.
pub fn start_session(store: &dyn Store, policy: TokenPolicy, person_id: PersonId) -> Result<TokenResponse> {
    let fresh = fresh_pair(policy, person_id, &new_token());
    store.save_tokens(&fresh.hashes)?;
    response(store, policy, fresh)
}

/// Exchanges an authorization code and its PKCE verifier for tokens.
pub fn exchange_code(
    store: &dyn Store,
    policy: TokenPolicy,
    code: &str,
    verifier: &str,
    redirect_uri: &str,
    client_id: &str,
) -> Result<TokenResponse> {
    let stored = store.take_auth_code(&hash_token(code))?.ok_or(SignInError::UnknownCode)?;
    if stored.used {
        return Err(SignInError::CodeUsed);
    }
    if stored.expires_at < now() {
        return Err(SignInError::CodeExpired);
    }
    if stored.client_id != client_id || stored.redirect_uri != redirect_uri {
        return Err(SignInError::ClientMismatch);
    }
    if !(43..=128).contains(&verifier.len()) || pkce_challenge(verifier) != stored.code_challenge {
        return Err(SignInError::VerifierMismatch);
    }
    start_session(store, policy, stored.person_id)
}

/// Rotates a refresh token: the old one is used up, a new pair in the same family issued.
pub fn refresh(store: &dyn Store, policy: TokenPolicy, refresh_token: &str) -> Result<TokenResponse> {
    let cell = std::cell::RefCell::new(None);
    let outcome = store.rotate_refresh(&hash_token(refresh_token), now(), &|person, family| {
        let fresh = fresh_pair(policy, person, family);
        let hashes = fresh.hashes.clone();
        *cell.borrow_mut() = Some(fresh);
        hashes
    })?;
    match (outcome, cell.into_inner()) {
        (Refresh::Rotated, Some(fresh)) => response(store, policy, fresh),
        (Refresh::Reused, _) => {
            tracing::warn!("a used refresh token was presented again: its session is revoked");
            Err(SignInError::RefreshReused)
        }
        _ => {
            tracing::info!("an unknown, revoked or expired refresh token was presented");
            Err(SignInError::RefreshInvalid)
        }
    }
}

/// Who an access token belongs to, if it is live.
pub fn authenticate(store: &dyn Store, access_token: &str) -> Result<PersonId> {
    authenticate_until(store, access_token).map(|(person, _)| person)
}

/// Who a live access token belongs to, and until when (Unix seconds).
pub fn authenticate_until(store: &dyn Store, access_token: &str) -> Result<(PersonId, i64)> {
    match store.access_token(&hash_token(access_token))? {
        Some((person, expires_at)) if expires_at > now() => Ok((person, expires_at)),
        Some(_) => Err(SignInError::TokenExpired),
        None => Err(SignInError::TokenInvalid),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_matches_rfc7636_example() {
        assert_eq!(
            pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn only_loopback_redirects() {
        assert!(check_redirect_uri("http://127.0.0.1:49152/callback").is_ok());
        assert!(check_redirect_uri("http://[::1]:8080/cb").is_ok());
        assert!(check_redirect_uri("https://127.0.0.1/cb").is_err());
        assert!(check_redirect_uri("http://evil.example/cb").is_err());
        assert!(check_redirect_uri("http://localhost.evil.example/cb").is_err());
    }
}
