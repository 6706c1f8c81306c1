//! The API keeps its contract: the read endpoints answer exactly what the feed carries (the
//! JSON a client has known), tickets are filtered and paged by the server, request bodies
//! refuse what their schema refuses, and the OpenAPI document lists every answer.

mod common;

use std::collections::BTreeMap;

use common::{Persona, TestClient, TestResult, TestServer};
use serde_json::{Value, json};

/// The feed's current payloads of one kind, by id.
async fn feed_of(c: &TestClient, kind: &str) -> TestResult<BTreeMap<i64, Value>> {
    let (all, _) = c.all_changes(0, 5000).await?;
    Ok(all
        .into_iter()
        .filter(|ch| ch["kind"] == kind && ch["op"] == "upsert")
        .filter_map(|ch| Some((ch["id"].as_i64()?, ch["data"].clone())))
        .collect())
}

fn ids(list: &Value) -> Vec<i64> {
    list.as_array().into_iter().flatten().filter_map(|t| t["id"].as_i64()).collect()
}

#[tokio::test]
async fn reads_answer_what_the_feed_carries() -> TestResult {
    let server = TestServer::start().await?;
    let c = server.api(Persona::Resident).await?;
    let me = c.me().await?;
    let house = me["house_ids"][0].as_i64().ok_or("no house")?;
    let community = me["community_ids"][0].as_i64().ok_or("no community")?;

    let houses = feed_of(&c, "house").await?;
    assert_eq!(c.get(&format!("/v1/houses/{house}")).await?.body, houses[&house]);
    let communities = feed_of(&c, "community").await?;
    assert_eq!(c.get(&format!("/v1/communities/{community}")).await?.body, communities[&community]);

    let tickets = feed_of(&c, "ticket").await?;
    let listed = c.get(&format!("/v1/houses/{house}/tickets")).await?.body;
    let listed = listed.as_array().ok_or("not a list")?;
    assert!(!listed.is_empty());
    for t in listed {
        assert_eq!(t, &tickets[&t["id"].as_i64().ok_or("no id")?], "a ticket as the feed has it");
    }

    let bills = feed_of(&c, "bill").await?;
    let accounts = c.get("/v1/accounts").await?.body;
    let account = accounts[0]["id"].as_i64().ok_or("no account")?;
    let listed = c.get(&format!("/v1/accounts/{account}/bills")).await?.body;
    let listed = listed.as_array().ok_or("not a list")?;
    assert!(!listed.is_empty());
    for b in listed {
        assert_eq!(b, &bills[&b["id"].as_i64().ok_or("no id")?], "a bill as the feed has it");
        assert!(b["readings"].is_array(), "section 2 is a list, as the document now says");
    }
    Ok(())
}

#[tokio::test]
async fn tickets_are_filtered_and_paged_by_the_server() -> TestResult {
    let server = TestServer::start().await?;
    let c = server.api(Persona::Dispatcher).await?;
    let house = c.me().await?["house_ids"][0].as_i64().ok_or("no house")?;
    let all = c.get(&format!("/v1/houses/{house}/tickets")).await?.body;
    let all_ids = ids(&all);
    assert!(all_ids.len() > 5, "the demo house has tickets: {}", all_ids.len());
    assert!(all_ids.windows(2).all(|w| w[0] < w[1]), "oldest first");

    // Pages of 4, each after the last id of the one before, add up to the whole list.
    let mut paged = Vec::new();
    let mut after = 0;
    loop {
        let page = c.get(&format!("/v1/houses/{house}/tickets?limit=4&after={after}")).await?;
        assert_eq!(page.status, 200, "{:?}", page.body);
        let page_ids = ids(&page.body);
        assert!(page_ids.len() <= 4);
        match page_ids.last() {
            Some(&last) => after = last,
            None => break,
        }
        paged.extend(page_ids);
    }
    assert_eq!(paged, all_ids);

    for status in ["new", "accepted", "in_work", "done", "rejected", "withdrawn"] {
        let filtered = c.get(&format!("/v1/houses/{house}/tickets?status={status}")).await?.body;
        let expected: Vec<i64> = all
            .as_array()
            .into_iter()
            .flatten()
            .filter(|t| t["status"] == status)
            .filter_map(|t| t["id"].as_i64())
            .collect();
        assert_eq!(ids(&filtered), expected, "status {status}");
    }
    let bad = c.get(&format!("/v1/houses/{house}/tickets?limit=0")).await?;
    assert_eq!((bad.status, bad.code()), (400, "bad_limit"));
    Ok(())
}

#[tokio::test]
async fn bodies_refuse_what_their_schema_refuses() -> TestResult {
    let server = TestServer::start().await?;
    let c = server.api(Persona::Resident).await?;
    let community = c.first_community().await?;
    let path = format!("/v1/communities/{community}/messages");
    let key = || uuid::Uuid::now_v7().to_string();

    let unknown = c.post(&path, &json!({"client_key": key(), "body": "привет", "pinned": true})).await?;
    assert_eq!((unknown.status, unknown.code()), (400, "invalid_fields"), "{:?}", unknown.body);
    let simple_key = key().replace('-', "");
    let simple = c.post(&path, &json!({"client_key": simple_key, "body": "привет"})).await?;
    assert_eq!((simple.status, simple.code()), (400, "invalid_client_key"));
    let padded = format!(" {}", "я".repeat(4000));
    let long = c.post(&path, &json!({"client_key": key(), "body": padded})).await?;
    assert_eq!((long.status, long.code()), (422, "invalid_message"), "4001 characters as sent");

    // JSON Schema counts 5.0 as an integer: so does the server.
    let first = c.send(community, "первое").await?;
    let parent = first.body["id"].as_i64().ok_or("no id")?;
    let reply = c.post(&path, &json!({"client_key": key(), "body": "ответ", "reply_to": parent as f64})).await?;
    assert_eq!(reply.status, 201, "{:?}", reply.body);
    assert_eq!(reply.body["reply_to"], parent);

    let id = reply.body["id"].as_i64().ok_or("no id")?;
    let edit = c.patch(&format!("/v1/messages/{id}"), &json!({"body": "правка", "extra": 1})).await?;
    assert_eq!((edit.status, edit.code()), (400, "invalid_fields"));

    let houses = c.get("/v1/houses?limit=5000").await?;
    assert_eq!((houses.status, houses.code()), (400, "bad_limit"));
    let stream = c.get("/v1/stream").await?;
    assert_eq!((stream.status, stream.code()), (400, "not_websocket"), "a plain GET of the WebSocket");
    Ok(())
}

#[tokio::test]
async fn the_document_lists_every_answer_with_its_error_body() -> TestResult {
    let server = TestServer::start().await?;
    let doc = server.anonymous().get("/openapi.json").await?.body;
    let paths = doc["paths"].as_object().ok_or("no paths")?;
    let mut operations = 0;
    for (path, item) in paths {
        for (method, op) in item.as_object().ok_or("no operations")? {
            operations += 1;
            let responses = op["responses"].as_object().ok_or("no responses")?;
            let secured = op.get("security").is_some();
            if secured {
                assert!(responses.contains_key("401"), "{method} {path} documents 401");
            }
            for (status, response) in responses {
                if status.starts_with('4') {
                    let body = &response["content"]["application/json"]["schema"];
                    assert_eq!(body["$ref"], "#/components/schemas/ApiError", "{method} {path} {status}");
                }
            }
        }
    }
    assert!(operations >= 27, "{operations} operations");
    let send = &doc["paths"]["/v1/communities/{id}/messages"]["post"]["responses"];
    for status in ["200", "201", "400", "401", "403", "404", "409", "413", "415", "422", "429"] {
        assert!(send.get(status).is_some(), "send documents {status}");
    }
    let request = &doc["components"]["schemas"]["SendMessage"];
    assert_eq!(request["additionalProperties"], false);
    assert_eq!(request["properties"]["body"]["maxLength"], 4000);
    assert!(request["properties"]["client_key"]["pattern"].is_string());
    assert_eq!(request["properties"]["body"]["pattern"], domkom_domain::message::BODY_PATTERN);
    // A text the server trims states the same "not blank" as `str::trim`: a text of one
    // U+0085 is white space to the server but not to ECMA's `\S`.
    let answer = &doc["components"]["schemas"]["AppealText"]["properties"]["text"];
    assert_eq!(answer["pattern"], domkom_domain::message::NOT_BLANK_PATTERN, "{answer}");
    assert_eq!(answer["maxLength"], 500, "{answer}");
    let emoji = &doc["components"]["schemas"]["React"]["properties"]["emoji"]["pattern"];
    assert_eq!(emoji, domkom_domain::chat::REACTION_PATTERN);
    let limited = &send["429"]["headers"]["Retry-After"];
    assert!(limited.is_object(), "429 names its Retry-After");
    let readings = &doc["components"]["schemas"]["Bill"]["properties"]["readings"];
    assert_eq!(readings["type"], "array", "{readings}");
    let link = &doc["paths"]["/v1/communities/{id}/messages"]["post"]["responses"]["201"]["links"]["edit"];
    assert_eq!(link["operationId"], "edit_message");
    Ok(())
}
