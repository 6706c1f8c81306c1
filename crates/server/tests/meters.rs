//! Meter readings as a resident submits them: the rules of the domain judged by the server's
//! clock in the house's time zone, each refusal with its code and numbers, confirmation of
//! a jump, corrections that keep the history, idempotency, and the `Date` every answer
//! carries from a pinned clock.

mod common;

use common::{Answer, Persona, TestClient, TestResult, TestServer, clock_at};
use serde_json::{Value, json};

/// The resident's flat's meters.
async fn meters(c: &TestClient) -> TestResult<Vec<Value>> {
    let accounts = c.get("/v1/accounts").await?.body;
    let premises = accounts[0]["premises_id"].as_i64().ok_or("no account")?;
    Ok(c.get(&format!("/v1/premises/{premises}/devices")).await?.body.as_array().cloned().unwrap_or_default())
}

fn meter<'a>(all: &'a [Value], resource: &str, zones: i64) -> TestResult<&'a Value> {
    Ok(all.iter().find(|d| d["resource"] == resource && d["zones"] == zones).ok_or("no such meter")?)
}

/// The newest accepted reading's T1 as a number.
async fn last_t1(c: &TestClient, device: i64) -> TestResult<f64> {
    let list = c.get(&format!("/v1/devices/{device}/readings")).await?.body;
    Ok(list[0]["t1"].as_str().ok_or("no reading")?.parse()?)
}

async fn submit(c: &TestClient, device: i64, key: u32, body: Value) -> TestResult<Answer> {
    let mut body = body;
    body["client_key"] = json!(format!("01930000-0000-7000-8000-{key:012}"));
    c.post(&format!("/v1/devices/{device}/readings"), &body).await
}

#[tokio::test]
async fn a_pinned_clock_dates_every_answer() -> TestResult {
    let server = TestServer::start_at("2026-11-22T12:00:00+03:00").await?;
    for path in ["/healthz", "/v1/me", "/no/such/route"] {
        let a = server.anonymous().get(path).await?;
        let date = a.headers.get("date").and_then(|d| d.to_str().ok()).unwrap_or_default().to_owned();
        assert!(date.starts_with("Sun, 22 Nov 2026 09:00:"), "{path}: {date}");
    }
    Ok(())
}

#[tokio::test]
async fn a_reading_is_judged_by_the_rules_and_the_window() -> TestResult {
    let mut server = TestServer::start_at("2026-11-22T12:00:00+03:00").await?;
    let c = server.api(Persona::Resident).await?;
    let all = meters(&c).await?;
    let water = meter(&all, "cold_water", 1)?["id"].as_i64().ok_or("id")?;
    let power = meter(&all, "electricity", 2)?["id"].as_i64().ok_or("id")?;
    let previous = last_t1(&c, water).await?;

    // Lower than the previous reading: refused, naming it.
    let a = submit(&c, water, 1, json!({"t1": format!("{}", previous - 1.0)})).await?;
    assert_eq!((a.status, a.code()), (422, "reading_below_previous"), "{:?}", a.body);
    assert_eq!(a.body["params"]["previous"].as_str().map(|p| p.parse::<f64>().ok()), Some(Some(previous)));
    assert!(a.body["message"].as_str().is_some_and(|m| m.contains("меньше предыдущего")), "{:?}", a.body);

    // Zones: T2 required on a two-zone meter, forbidden on a one-zone one.
    let a = submit(&c, power, 2, json!({"t1": "99999"})).await?;
    assert_eq!((a.status, a.code()), (422, "reading_zone_missing"));
    let a = submit(&c, water, 3, json!({"t1": format!("{}", previous + 5.0), "t2": "1"})).await?;
    assert_eq!((a.status, a.code()), (422, "reading_zone_forbidden"));
    let a = submit(&c, water, 4, json!({"t1": "12,3,4"})).await?;
    assert_eq!((a.status, a.code()), (422, "reading_malformed"));

    // A jump far above the usual needs confirmation, then is taken.
    let jump = json!({"t1": format!("{}", previous + 5000.0)});
    let a = submit(&c, water, 5, jump.clone()).await?;
    assert_eq!((a.status, a.code()), (422, "reading_needs_confirmation"), "{:?}", a.body);
    let mut confirmed = jump.clone();
    confirmed["confirm"] = json!(true);
    let first = submit(&c, water, 6, confirmed.clone()).await?;
    assert_eq!(first.status, 201, "{:?}", first.body);
    assert_eq!((first.body["period"].as_str(), first.body["taken_on"].as_str()), (Some("2026-11"), Some("2026-11-22")));
    assert_eq!(first.body["source"], "resident");

    // The same key again: the same reading; with other values: refused.
    let again = submit(&c, water, 6, confirmed).await?;
    assert_eq!((again.status, &again.body["id"]), (200, &first.body["id"]));
    let a = submit(&c, water, 6, json!({"t1": format!("{}", previous + 7.0)})).await?;
    assert_eq!((a.status, a.code()), (409, "idempotency_key_reused"));

    // A correction inside the window: a new reading that replaces the first; both stay.
    let fixed = submit(&c, water, 7, json!({"t1": format!("{}", previous + 5.5)})).await?;
    assert_eq!(fixed.status, 201, "{:?}", fixed.body);
    assert_eq!(fixed.body["replaces"], first.body["id"]);
    let history = c.get(&format!("/v1/devices/{water}/readings")).await?.body;
    let november: Vec<&Value> = history.as_array().into_iter().flatten().filter(|r| r["period"] == "2026-11").collect();
    assert_eq!(november.len(), 2, "the history keeps both: {november:?}");
    let (all_changes, _) = c.all_changes(0, 5000).await?;
    assert!(all_changes.iter().any(|ch| ch["kind"] == "reading" && ch["id"] == fixed.body["id"]), "it is in the feed");

    // Someone else's meter is not theirs to read or submit.
    let neighbour = server.api(Persona::Neighbour).await?;
    let a = submit(&neighbour, water, 8, json!({"t1": "1"})).await?;
    assert!(matches!(a.status, 403 | 404), "{:?}", a.body);

    // The window closes at the end of the 25th in Kazan, not in UTC.
    let last_minute = clock_at("2026-11-25T20:59:00Z")?;
    server.restart_with(|c| c.clock = last_minute).await?;
    let a = submit(&c, power, 9, json!({"t1": "1", "t2": "1"})).await?;
    assert_eq!(a.code(), "reading_below_previous", "still inside the window: {:?}", a.body);
    let closed = clock_at("2026-11-25T21:00:00Z")?;
    server.restart_with(|c| c.clock = closed).await?;
    let a = submit(&c, power, 10, json!({"t1": "1", "t2": "1"})).await?;
    assert_eq!((a.status, a.code()), (422, "reading_outside_window"), "{:?}", a.body);
    assert_eq!(a.body["params"]["next_from"], "2026-12-15");
    assert_eq!(a.body["params"]["next_to"], "2026-12-25");
    assert!(a.body["message"].as_str().is_some_and(|m| m.contains("15.12.2026")), "{:?}", a.body);
    Ok(())
}
