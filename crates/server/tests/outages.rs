//! A dispatcher posts an outage notice for houses their organisation manages: it reaches
//! those houses' notices and chats, once per idempotency key; a resident, another
//! organisation's house or a broken rule is refused with a clear reason, and nothing is stored.

mod common;

use common::{Answer, Persona, TestClient, TestResult, TestServer};
use serde_json::{Value, json};

const DEMO_HOUSE: i64 = 1;

async fn post(c: &TestClient, key: u32, body: Value) -> TestResult<Answer> {
    let mut body = body;
    body["client_key"] = json!(format!("01930000-0000-7000-8000-{key:012}"));
    c.post("/v1/notices", &body).await
}

fn outage(houses: &[i64], from: &str, to: &str) -> Value {
    json!({
        "houses": houses, "service": "cold_water", "starts_at": from, "ends_at": to,
        "reason": "Замена задвижки на вводе в дом",
    })
}

/// The feed's head, to read what comes after it.
async fn head(c: &TestClient) -> TestResult<i64> {
    Ok(c.get("/v1/changes?after=0&limit=1").await?.body["head"].as_i64().ok_or("head")?)
}

async fn ids(c: &TestClient, house: i64) -> TestResult<Vec<i64>> {
    let list = c.get(&format!("/v1/houses/{house}/notices")).await?.body;
    Ok(list.as_array().ok_or("notices")?.iter().filter_map(|n| n["id"].as_i64()).collect())
}

#[tokio::test]
async fn a_dispatcher_posts_an_outage_that_reaches_the_houses_notices_and_chats() -> TestResult {
    let server = TestServer::start_at("2026-11-24T12:00:00+03:00").await?;
    let dispatcher = server.api(Persona::Dispatcher).await?;
    let resident = server.api(Persona::Resident).await?;
    let before = head(&resident).await?;
    let notices_before = ids(&resident, DEMO_HOUSE).await?;

    let body = outage(&[DEMO_HOUSE], "2026-11-26T09:00:00+03:00", "2026-11-26T15:00:00+03:00");
    let a = post(&dispatcher, 1, body.clone()).await?;
    assert_eq!(a.status, 201, "{:?}", a.body);
    assert_eq!(
        (&a.body["title"], &a.body["service"], &a.body["kind"]),
        (&json!("Отключение холодной воды"), &json!(1), &json!("outage"))
    );
    assert_eq!(
        (&a.body["starts_at"], &a.body["ends_at"]),
        (&json!("2026-11-26T06:00:00Z"), &json!("2026-11-26T12:00:00Z"))
    );
    let id = a.body["id"].as_i64().ok_or("id")?;

    // The resident sees it among the house's notices and, through the feed, in the chat.
    assert!(ids(&resident, DEMO_HOUSE).await?.contains(&id));
    let page = resident.get(&format!("/v1/changes?after={before}")).await?.body;
    let changes = page["changes"].as_array().ok_or("changes")?;
    assert!(changes.iter().any(|c| c["kind"] == "notice" && c["data"]["id"] == id), "{page}");
    let told = changes
        .iter()
        .find(|c| c["kind"] == "message" && c["data"]["notice_id"] == id)
        .ok_or("no chat message names the notice")?;
    let text = told["data"]["body"].as_str().unwrap_or_default();
    assert!(text.contains("с 26.11.2026 09:00 до 26.11.2026 15:00") && text.contains("задвижки"), "{text}");

    // The same key again: the same notice, nothing new; another body with it: a conflict.
    let again = post(&dispatcher, 1, body.clone()).await?;
    assert_eq!((again.status, again.body["id"].as_i64()), (200, Some(id)));
    let reused =
        post(&dispatcher, 1, outage(&[DEMO_HOUSE], "2026-11-27T09:00:00+03:00", "2026-11-27T10:00:00+03:00")).await?;
    assert_eq!((reused.status, reused.code()), (409, "idempotency_key_reused"));
    assert_eq!(ids(&resident, DEMO_HOUSE).await?.len(), notices_before.len() + 1);
    Ok(())
}

#[tokio::test]
async fn only_the_managing_dispatcher_posts_and_only_what_the_rules_allow() -> TestResult {
    let server = TestServer::start_at("2026-11-24T12:00:00+03:00").await?;
    let dispatcher = server.api(Persona::Dispatcher).await?;
    let resident = server.api(Persona::Resident).await?;
    let inspector = server.api(Persona::Inspector).await?;
    let before = ids(&resident, DEMO_HOUSE).await?;
    let (from, to) = ("2026-11-26T09:00:00+03:00", "2026-11-26T15:00:00+03:00");

    let a = post(&resident, 2, outage(&[DEMO_HOUSE], from, to)).await?;
    assert_eq!((a.status, a.code()), (403, "not_dispatcher"));

    // A house another organisation manages: named in the refusal.
    let own: Vec<i64> = dispatcher
        .get("/v1/houses")
        .await?
        .body
        .as_array()
        .ok_or("houses")?
        .iter()
        .filter_map(|h| h["id"].as_i64())
        .collect();
    let all = inspector.get("/v1/houses").await?.body;
    let other = all
        .as_array()
        .ok_or("houses")?
        .iter()
        .filter_map(|h| h["id"].as_i64())
        .find(|h| !own.contains(h))
        .ok_or("another org's house")?;
    let a = post(&dispatcher, 3, outage(&[DEMO_HOUSE, other], from, to)).await?;
    assert_eq!((a.status, a.code()), (403, "house_not_managed"), "{:?}", a.body);
    assert_eq!(a.body["params"]["house"], other.to_string());

    // Broken rules: each its code, in Russian, with what to do.
    let cases = [
        (outage(&[DEMO_HOUSE], to, from), "outage_ends_before_start", "позже начала"),
        (
            outage(&[DEMO_HOUSE], "2026-11-20T09:00:00+03:00", "2026-11-21T09:00:00+03:00"),
            "outage_already_over",
            "уже закончилось",
        ),
        (
            outage(&[DEMO_HOUSE], "2026-11-26T09:00:00+03:00", "2027-01-26T09:00:00+03:00"),
            "outage_too_long",
            "не длиннее 31",
        ),
        (outage(&[DEMO_HOUSE], "завтра", to), "outage_bad_time", "2026-11-25T09:00:00+03:00"),
        (
            json!({"houses": [DEMO_HOUSE], "service": "gas", "starts_at": from, "ends_at": to, "reason": "   "}),
            "outage_reason_empty",
            "причину",
        ),
    ];
    for (i, (body, code, words)) in cases.into_iter().enumerate() {
        let a = post(&dispatcher, 10 + i as u32, body).await?;
        assert_eq!((a.status, a.code()), (422, code), "{:?}", a.body);
        assert!(a.body["message"].as_str().is_some_and(|m| m.contains(words)), "{:?}", a.body);
    }
    assert_eq!(ids(&resident, DEMO_HOUSE).await?, before, "nothing refused was stored");
    Ok(())
}

#[tokio::test]
async fn an_outage_in_a_complex_is_told_in_its_channel_once_naming_the_houses() -> TestResult {
    let server = TestServer::start_at("2026-11-24T12:00:00+03:00").await?;
    let dispatcher = server.api(Persona::Dispatcher).await?;
    let inspector = server.api(Persona::Inspector).await?;
    let houses = inspector.get("/v1/houses").await?.body;
    let complex: Vec<(i64, String)> = houses
        .as_array()
        .ok_or("houses")?
        .iter()
        .filter(|h| h["complex"].as_str().is_some())
        .filter_map(|h| Some((h["id"].as_i64()?, h["address"].as_str()?.to_owned())))
        .collect();
    assert!(complex.len() >= 2, "the small seed has a complex of two houses");
    let ids: Vec<i64> = complex.iter().map(|(id, _)| *id).collect();
    let a = post(&dispatcher, 40, outage(&ids, "2026-11-26T09:00:00+03:00", "2026-11-26T12:00:00+03:00")).await?;
    assert_eq!(a.status, 201, "{}", a.body);
    let notice = a.body["id"].clone();
    // The channel's members (every resident of the complex) read it once, with both houses named.
    let channel = dispatcher.get("/v1/me").await?.body["community_ids"]
        .as_array()
        .ok_or("communities")?
        .iter()
        .filter_map(Value::as_i64)
        .collect::<Vec<_>>();
    let mut told = Vec::new();
    for c in channel {
        let community = inspector.get(&format!("/v1/communities/{c}")).await?.body;
        if community["kind"] != "microdistrict" {
            continue;
        }
        let page = inspector.get(&format!("/v1/communities/{c}/messages?limit=5")).await?.body;
        told.extend(
            page["messages"]
                .as_array()
                .ok_or("messages")?
                .iter()
                .filter(|m| m["client_key"].as_str().is_some_and(|k| k.starts_with(&format!("notice-{notice}-c"))))
                .cloned(),
        );
    }
    assert_eq!(told.len(), 1, "told once in the complex's channel");
    let text = told[0]["body"].as_str().unwrap_or_default();
    for (_, address) in &complex {
        assert!(text.contains(address.as_str()), "{text} names {address}");
    }
    assert!(text.contains("с 26.11.2026 09:00 до 26.11.2026 12:00"), "{text}");
    Ok(())
}
