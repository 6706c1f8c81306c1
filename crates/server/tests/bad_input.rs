//! Bad input gets a 4xx JSON error that says what was wrong, never a 500, and changes
//! nothing stored.

mod common;

use common::{Persona, TestResult, TestServer};
use serde_json::json;

#[tokio::test]
async fn bad_sends_are_refused_clearly_and_store_nothing() -> TestResult {
    let server = TestServer::start().await?;
    let c = server.api(Persona::Resident).await?;
    let community = c.first_community().await?;
    let path = format!("/v1/communities/{community}/messages");
    let (_, head) = c.all_changes(0, 5000).await?;
    let key = || uuid::Uuid::now_v7().to_string();

    let cases: Vec<(&str, common::Answer, u16, &str)> = vec![
        (
            "malformed JSON",
            c.post_raw(&path, "application/json", b"{\"body\": ".to_vec()).await?,
            400,
            "malformed_json",
        ),
        ("not JSON", c.post_raw(&path, "text/plain", b"hello".to_vec()).await?, 415, "not_json"),
        ("wrong type", c.post(&path, &json!({"client_key": key(), "body": 42})).await?, 400, "invalid_fields"),
        ("missing field", c.post(&path, &json!({"body": "без ключа"})).await?, 400, "invalid_fields"),
        // serde alone reads a struct from an array too; a body must be an object.
        ("an array", c.post(&path, &json!([key(), "по порядку"])).await?, 400, "invalid_fields"),
        ("bad key", c.post(&path, &json!({"client_key": "abc", "body": "текст"})).await?, 400, "invalid_client_key"),
        ("empty", c.post(&path, &json!({"client_key": key(), "body": "   \n "})).await?, 422, "invalid_message"),
        (
            "10,000 characters",
            c.post(&path, &json!({"client_key": key(), "body": "ы".repeat(10_000)})).await?,
            422,
            "invalid_message",
        ),
        (
            "control character",
            c.post(&path, &json!({"client_key": key(), "body": "звонок\u{0007}"})).await?,
            422,
            "invalid_message",
        ),
        (
            "unknown reply",
            c.post(&path, &json!({"client_key": key(), "body": "ответ", "reply_to": 999_999_999})).await?,
            422,
            "reply_to_unknown",
        ),
        ("huge body", c.post_raw(&path, "application/json", vec![b' '; 200 * 1024]).await?, 413, "body_too_large"),
        (
            "unknown chat",
            c.post("/v1/communities/999999/messages", &json!({"client_key": key(), "body": "эй"})).await?,
            404,
            "not_found",
        ),
        (
            "non-numeric id",
            c.post("/v1/communities/abc/messages", &json!({"client_key": key(), "body": "эй"})).await?,
            400,
            "bad_path",
        ),
        ("unknown route", c.get("/v1/nothing-here").await?, 404, "no_route"),
        ("wrong method", c.delete("/v1/houses").await?, 405, "method_not_allowed"),
        ("bad limit", c.get("/v1/changes?limit=0").await?, 400, "bad_limit"),
        ("bad cursor type", c.get("/v1/changes?after=yesterday").await?, 400, "bad_query"),
        ("bad scope", c.get("/v1/changes?scope=zz").await?, 400, "bad_scope"),
        ("bad status", c.get("/v1/houses/1/tickets?status=lost").await?, 400, "bad_status"),
        ("unknown message", c.patch("/v1/messages/999999999", &json!({"body": "x"})).await?, 404, "not_found"),
        ("unknown house", c.get("/v1/houses/999999999").await?, 404, "not_found"),
    ];
    for (what, a, status, code) in cases {
        assert_eq!((a.status, a.code()), (status, code), "{what}: {:?}", a.body);
        let message = a.body["message"].as_str().unwrap_or("");
        assert!(message.chars().count() > 10, "{what}: the message says what was wrong");
    }
    let long = c.post(&path, &json!({"client_key": key(), "body": "ы".repeat(10_000)})).await?;
    assert!(long.body["message"].as_str().unwrap().contains("10000"), "says how long it was");

    let (after, head2) = c.all_changes(0, 5000).await?;
    assert_eq!(head, head2, "nothing was stored");
    assert!(after.iter().all(|c| c["data"]["body"] != "ответ"));
    Ok(())
}

#[tokio::test]
async fn html_and_script_are_stored_as_plain_text() -> TestResult {
    let server = TestServer::start().await?;
    let c = server.api(Persona::Resident).await?;
    let community = c.first_community().await?;
    let text = r#"<img src=x onerror="window.__xss=1"> <script>window.__xss=1</script> & «ёлки»"#;
    let a = c.send(community, text).await?;
    assert_eq!(a.status, 201);
    let page = c.get(&format!("/v1/communities/{community}/messages?limit=1")).await?;
    assert_eq!(page.body["messages"][0]["body"], text, "kept byte for byte, never escaped or interpreted");
    Ok(())
}

#[tokio::test]
async fn sends_are_rate_limited_with_retry_after() -> TestResult {
    let server = TestServer::start_with(domkom_server::seed::Seed::Small, |c| {
        c.send_burst = 3;
        c.send_per_minute = 6;
    })
    .await?;
    let c = server.api(Persona::Resident).await?;
    let community = c.first_community().await?;
    for i in 0..3 {
        assert_eq!(c.send(community, &format!("быстро {i}")).await?.status, 201);
    }
    let limited = c.send(community, "слишком быстро").await?;
    assert_eq!((limited.status, limited.code()), (429, "rate_limited"));
    let wait: u64 = limited.headers["retry-after"].to_str()?.parse()?;
    assert!((1..=10).contains(&wait), "Retry-After {wait}");
    // Another person is not slowed down by it.
    let chair = server.api(Persona::Chair).await?;
    assert_eq!(chair.send(community, "я не спешу").await?.status, 201);
    Ok(())
}

#[tokio::test]
async fn the_openapi_document_describes_the_api() -> TestResult {
    let server = TestServer::start().await?;
    let doc = server.anonymous().get("/openapi.json").await?;
    assert_eq!(doc.status, 200);
    assert!(doc.body["openapi"].as_str().unwrap().starts_with("3."));
    for path in ["/v1/changes", "/v1/communities/{id}/messages", "/v1/stats/city", "/oauth/token"] {
        assert!(doc.body["paths"][path].is_object(), "{path} is documented");
    }
    assert!(doc.body["components"]["schemas"]["Message"].is_object());
    Ok(())
}
