//! The ESIA-shaped sign-in end to end: authorize page, PKCE code exchange, token expiry,
//! refresh rotation and reuse detection, revocation.

mod common;

use std::time::Duration;

use common::{Persona, TestClient, TestResult, TestServer};
use domkom_server::esia::pkce_challenge;
use domkom_server::seed::Seed;

const VERIFIER: &str = "a-verifier-long-enough-for-rfc7636-of-43-characters-or-more";
const REDIRECT: &str = "http://127.0.0.1:53682/callback";

/// Walks the browser part: the page lists demo persons; choosing one redirects with a code.
async fn sign_in_code(c: &TestClient, person: &str, verifier: &str) -> TestResult<String> {
    let challenge = pkce_challenge(verifier);
    let query = [
        ("response_type", "code"),
        ("client_id", "domkom-desktop"),
        ("redirect_uri", REDIRECT),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
        ("state", "xyz-state"),
    ];
    let page = c.http.get(format!("{}/oauth/authorize", c.base)).query(&query).send().await?;
    assert_eq!(page.status(), 200);
    let csp = page.headers().get("content-security-policy").map(|v| v.to_str().unwrap_or("").to_owned());
    assert!(csp.unwrap_or_default().contains("default-src 'none'"));
    let html = page.text().await?;
    assert!(html.contains("Сафина Алсу Ринатовна"), "the demo resident is offered");
    assert!(html.contains(r#"value="dispatcher""#));

    let mut form: Vec<(&str, &str)> = query.to_vec();
    form.push(("person", person));
    let resp = c.http.post(format!("{}/oauth/authorize", c.base)).form(&form).send().await?;
    assert_eq!(resp.status(), 303, "redirects to the app's loopback listener");
    let location = resp.headers()["location"].to_str()?.to_owned();
    let url = url::Url::parse(&location)?;
    assert_eq!(&location[..REDIRECT.len()], REDIRECT);
    let pairs: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
    assert_eq!(pairs.get("state").map(String::as_str), Some("xyz-state"));
    Ok(pairs.get("code").cloned().ok_or("no code")?)
}

async fn exchange(c: &TestClient, code: &str, verifier: &str) -> TestResult<common::Answer> {
    c.form(
        "/oauth/token",
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("code_verifier", verifier),
            ("redirect_uri", REDIRECT),
            ("client_id", "domkom-desktop"),
        ],
    )
    .await
}

async fn refresh(c: &TestClient, token: &str) -> TestResult<common::Answer> {
    c.form("/oauth/token", &[("grant_type", "refresh_token"), ("refresh_token", token)]).await
}

#[tokio::test]
async fn sign_in_with_pkce_then_use_the_api() -> TestResult {
    let server = TestServer::start().await?;
    let anon = server.anonymous();
    let code = sign_in_code(&anon, Persona::Resident.key(), VERIFIER).await?;

    let tokens = exchange(&anon, &code, VERIFIER).await?;
    assert_eq!(tokens.status, 200, "{:?}", tokens.body);
    assert_eq!(tokens.body["token_type"], "Bearer");
    assert_eq!(tokens.body["person"]["name"], "Сафина Алсу Ринатовна");
    assert_eq!(tokens.headers["cache-control"], "no-store");

    let me = TestClient::new(&server.url, tokens.body["access_token"].as_str().map(str::to_owned));
    let body = me.me().await?;
    assert_eq!(body["person"]["trusted"], true);
    assert!(!body["community_ids"].as_array().unwrap().is_empty(), "the resident is in the house chat");

    // A code works once.
    let again = exchange(&anon, &code, VERIFIER).await?;
    assert_eq!((again.status, again.code()), (400, "invalid_grant"));
    Ok(())
}

#[tokio::test]
async fn a_wrong_verifier_or_redirect_is_refused() -> TestResult {
    let server = TestServer::start().await?;
    let anon = server.anonymous();
    let code = sign_in_code(&anon, Persona::Resident.key(), VERIFIER).await?;
    let wrong = exchange(&anon, &code, "another-verifier-that-is-long-enough-to-be-valid-0001").await?;
    assert_eq!((wrong.status, wrong.code()), (400, "invalid_grant"));
    assert!(wrong.body["message"].as_str().unwrap().contains("PKCE"));

    for bad in ["http://evil.example/cb", "https://127.0.0.1/cb", "not a url"] {
        let challenge = pkce_challenge(VERIFIER);
        let resp = anon
            .http
            .get(format!("{}/oauth/authorize", anon.base))
            .query(&[
                ("response_type", "code"),
                ("client_id", "domkom-desktop"),
                ("redirect_uri", bad),
                ("code_challenge", challenge.as_str()),
                ("code_challenge_method", "S256"),
            ])
            .send()
            .await?;
        assert_eq!(resp.status(), 400, "redirect {bad} must be refused");
    }
    Ok(())
}

#[tokio::test]
async fn access_tokens_expire() -> TestResult {
    let server = TestServer::start_with(Seed::Small, |c| c.tokens.access_ttl = 1).await?;
    let anon = server.anonymous();
    let code = sign_in_code(&anon, Persona::Resident.key(), VERIFIER).await?;
    let tokens = exchange(&anon, &code, VERIFIER).await?;
    let client = TestClient::new(&server.url, tokens.body["access_token"].as_str().map(str::to_owned));
    assert_eq!(client.get("/v1/houses").await?.status, 200);
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let late = client.get("/v1/houses").await?;
    assert_eq!((late.status, late.code()), (401, "token_expired"));

    // The refresh token still gets a new, working access token.
    let fresh = refresh(&anon, tokens.body["refresh_token"].as_str().unwrap()).await?;
    assert_eq!(fresh.status, 200, "{:?}", fresh.body);
    let client = TestClient::new(&server.url, fresh.body["access_token"].as_str().map(str::to_owned));
    assert_eq!(client.get("/v1/houses").await?.status, 200);
    Ok(())
}

#[tokio::test]
async fn refresh_rotates_and_reuse_revokes_the_family() -> TestResult {
    let server = TestServer::start().await?;
    let anon = server.anonymous();
    let code = sign_in_code(&anon, Persona::Resident.key(), VERIFIER).await?;
    let first = exchange(&anon, &code, VERIFIER).await?;
    let r1 = first.body["refresh_token"].as_str().unwrap().to_owned();

    let second = refresh(&anon, &r1).await?;
    assert_eq!(second.status, 200);
    let r2 = second.body["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(r1, r2, "the refresh token rotates");
    let third = refresh(&anon, &r2).await?;
    assert_eq!(third.status, 200);
    let r3 = third.body["refresh_token"].as_str().unwrap().to_owned();
    let client = TestClient::new(&server.url, third.body["access_token"].as_str().map(str::to_owned));
    assert_eq!(client.get("/v1/me").await?.status, 200);

    // Someone replays r1, whose successor r2 was used since: the token leaked, the whole
    // family dies.
    let replay = refresh(&anon, &r1).await?;
    assert_eq!((replay.status, replay.code()), (400, "invalid_grant"));
    let after = refresh(&anon, &r3).await?;
    assert_eq!((after.status, after.code()), (400, "invalid_grant"), "the newest token is revoked too");
    let revoked = client.get("/v1/me").await?;
    assert_eq!((revoked.status, revoked.code()), (401, "invalid_token"), "and its access tokens");
    Ok(())
}

#[tokio::test]
async fn a_rotation_whose_answer_was_lost_can_be_retried() -> TestResult {
    let server = TestServer::start().await?;
    let anon = server.anonymous();
    let code = sign_in_code(&anon, Persona::Resident.key(), VERIFIER).await?;
    let first = exchange(&anon, &code, VERIFIER).await?;
    let r1 = first.body["refresh_token"].as_str().unwrap().to_owned();
    // The client rotates r1 but crashes before it stores r2 ...
    let lost = refresh(&anon, &r1).await?;
    assert_eq!(lost.status, 200);
    let r2 = lost.body["refresh_token"].as_str().unwrap().to_owned();
    // ... and, restarted, presents r1 again moments later: a new pair, not a lock-out.
    let retried = refresh(&anon, &r1).await?;
    assert_eq!(retried.status, 200, "{:?}", retried.body);
    // The lost successor is void; the new one works.
    assert_eq!(refresh(&anon, &r2).await?.code(), "invalid_grant");
    let r3 = retried.body["refresh_token"].as_str().unwrap();
    assert_eq!(refresh(&anon, r3).await?.status, 200);
    Ok(())
}

#[tokio::test]
async fn sign_out_revokes_the_session() -> TestResult {
    let server = TestServer::start().await?;
    let anon = server.anonymous();
    let code = sign_in_code(&anon, Persona::Chair.key(), VERIFIER).await?;
    let tokens = exchange(&anon, &code, VERIFIER).await?;
    let refresh_token = tokens.body["refresh_token"].as_str().unwrap();
    let client = TestClient::new(&server.url, tokens.body["access_token"].as_str().map(str::to_owned));
    assert_eq!(anon.form("/oauth/revoke", &[("token", refresh_token)]).await?.status, 200);
    assert_eq!(client.get("/v1/me").await?.status, 401);
    assert_eq!(refresh(&anon, refresh_token).await?.status, 400);
    Ok(())
}

#[tokio::test]
async fn forged_tokens_are_refused() -> TestResult {
    let server = TestServer::start().await?;
    for token in ["forged", "Bearer", &"x".repeat(600), "ZmFrZQ"] {
        let c = TestClient::new(&server.url, Some(token.to_owned()));
        let a = c.get("/v1/houses").await?;
        assert_eq!(a.status, 401, "token {token:.20} must be refused");
        assert_eq!(a.code(), "invalid_token");
    }
    let none = server.anonymous().get("/v1/houses").await?;
    assert_eq!((none.status, none.code()), (401, "no_token"));
    Ok(())
}
