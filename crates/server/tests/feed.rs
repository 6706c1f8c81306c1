//! The change feed: strict order, resuming from any cursor, idempotent sends, push, and a
//! restart that keeps everything.

mod common;

use std::time::Duration;

use common::{Persona, TestResult, TestServer};
use futures_util::StreamExt;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

#[tokio::test]
async fn the_feed_is_strictly_ordered_and_resumes_from_any_cursor() -> TestResult {
    let server = TestServer::start().await?;
    let c = server.api(Persona::Resident).await?;
    let community = c.first_community().await?;
    for i in 0..15 {
        assert_eq!(c.send(community, &format!("Сообщение {i}")).await?.status, 201);
    }
    let (all, head) = c.all_changes(0, 1000).await?;
    let seqs: Vec<i64> = all.iter().map(|c| c["seq"].as_i64().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "strictly increasing");
    assert_eq!(*seqs.last().unwrap(), head);
    // Every entity appears once: the log keeps only each entity's newest state.
    let mut keys: Vec<(String, i64)> =
        all.iter().map(|c| (c["kind"].as_str().unwrap().to_owned(), c["id"].as_i64().unwrap())).collect();
    let n = keys.len();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), n);

    // Resuming from any cursor with any page size gives exactly the tail.
    for (i, &cursor) in seqs.iter().enumerate().step_by(7) {
        for limit in [1, 3, 50] {
            let (tail, end) = c.all_changes(cursor, limit).await?;
            let tail_seqs: Vec<i64> = tail.iter().map(|c| c["seq"].as_i64().unwrap()).collect();
            assert_eq!(tail_seqs, seqs[i + 1..], "from cursor {cursor} with pages of {limit}");
            assert_eq!(end, head);
        }
    }
    // Nothing new: an empty page at the head.
    let (nothing, end) = c.all_changes(head, 10).await?;
    assert!(nothing.is_empty());
    assert_eq!(end, head);
    Ok(())
}

#[tokio::test]
async fn an_edit_moves_the_message_to_the_end_of_the_feed() -> TestResult {
    let server = TestServer::start().await?;
    let c = server.api(Persona::Resident).await?;
    let community = c.first_community().await?;
    let sent = c.send(community, "Первая версия").await?;
    let id = sent.body["id"].as_i64().unwrap();
    let (_, cursor) = c.all_changes(0, 1000).await?;
    c.patch(&format!("/v1/messages/{id}"), &json!({"body": "Вторая версия"})).await?;
    let (tail, _) = c.all_changes(cursor, 100).await?;
    assert_eq!(tail.len(), 1);
    assert_eq!(tail[0]["data"]["body"], "Вторая версия");
    assert!(tail[0]["data"]["edited_at"].is_string());
    let (all, _) = c.all_changes(0, 1000).await?;
    assert_eq!(all.iter().filter(|c| c["kind"] == "message" && c["id"] == id).count(), 1);
    Ok(())
}

#[tokio::test]
async fn the_same_key_twice_stores_one_message() -> TestResult {
    let server = TestServer::start().await?;
    let c = server.api(Persona::Resident).await?;
    let community = c.first_community().await?;
    let key = uuid::Uuid::now_v7().to_string();
    let body = json!({"client_key": key, "body": "Лифт во втором подъезде стоит"});
    let path = format!("/v1/communities/{community}/messages");
    let first = c.post(&path, &body).await?;
    let second = c.post(&path, &body).await?;
    assert_eq!((first.status, second.status), (201, 200));
    assert_eq!(first.body["id"], second.body["id"]);
    let history = c.get(&path).await?.body;
    let copies = history["messages"].as_array().unwrap().iter().filter(|m| m["client_key"] == key.as_str()).count();
    assert_eq!(copies, 1);
    // The same key with another text is a client bug, said so.
    let other = c.post(&path, &json!({"client_key": key, "body": "Другое"})).await?;
    assert_eq!((other.status, other.code()), (409, "idempotency_key_reused"));
    Ok(())
}

#[tokio::test]
async fn concurrent_sends_all_land_once_in_order() -> TestResult {
    let server = TestServer::start().await?;
    let a = server.api(Persona::Resident).await?;
    let b = server.api(Persona::Chair).await?;
    let community = a.first_community().await?;
    let (_, before) = a.all_changes(0, 5000).await?;
    let mut tasks = Vec::new();
    for (who, c) in [("a", a.clone()), ("b", b.clone())] {
        tasks.push(tokio::spawn(async move {
            for i in 0..10 {
                let key = uuid::Uuid::now_v7().to_string();
                let body = json!({"client_key": key, "body": format!("{who}{i}")});
                let path = format!("/v1/communities/{community}/messages");
                // Each send is retried once, as a client whose answer was lost would.
                let r1 = c.post(&path, &body).await.map_err(|e| e.to_string())?;
                let r2 = c.post(&path, &body).await.map_err(|e| e.to_string())?;
                assert_eq!(r1.body["id"], r2.body["id"]);
            }
            Ok::<_, String>(())
        }));
    }
    for t in tasks {
        t.await??;
    }
    for c in [&a, &b] {
        let (tail, _) = c.all_changes(before, 7).await?;
        let bodies: Vec<&str> = tail.iter().filter_map(|c| c["data"]["body"].as_str()).collect();
        assert_eq!(bodies.len(), 20, "every send once: {bodies:?}");
        for who in ["a", "b"] {
            let mine: Vec<&&str> = bodies.iter().filter(|b| b.starts_with(who)).collect();
            let expected: Vec<String> = (0..10).map(|i| format!("{who}{i}")).collect();
            assert_eq!(
                mine.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
                expected,
                "one sender's messages keep their order"
            );
        }
    }
    Ok(())
}

#[tokio::test]
async fn a_restart_keeps_everything() -> TestResult {
    let mut server = TestServer::start().await?;
    let c = server.api(Persona::Resident).await?;
    let community = c.first_community().await?;
    let sent = c.send(community, "Запомни меня").await?;
    let (before, head) = c.all_changes(0, 1000).await?;
    server.restart().await?;
    let c = common::TestClient::new(&server.url, c.token.clone());
    let (after, head2) = c.all_changes(0, 1000).await?;
    assert_eq!(head, head2);
    assert_eq!(before, after, "the same feed after a restart");
    let history = c.get(&format!("/v1/communities/{community}/messages?limit=1")).await?;
    assert_eq!(history.body["messages"][0]["id"], sent.body["id"]);
    Ok(())
}

type Ws = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn connect(base: &str, c: &common::TestClient) -> TestResult<Ws> {
    let mut req = (base.replace("http://", "ws://") + "/v1/stream").into_client_request()?;
    req.headers_mut().insert("authorization", format!("Bearer {}", c.token.clone().unwrap_or_default()).parse()?);
    let (ws, _) = tokio_tungstenite::connect_async(req).await?;
    Ok(ws)
}

/// The next JSON text from the stream within 3 s, skipping pings.
async fn next(ws: &mut Ws) -> Option<Value> {
    loop {
        match tokio::time::timeout(Duration::from_secs(3), ws.next()).await {
            Ok(Some(Ok(tokio_tungstenite::tungstenite::Message::Text(t)))) => return serde_json::from_str(&t).ok(),
            Ok(Some(Ok(_))) => continue,
            _ => return None,
        }
    }
}

#[tokio::test]
async fn the_push_stream_tells_members_only() -> TestResult {
    let server = TestServer::start().await?;
    let resident = server.api(Persona::Resident).await?;
    let chair = server.api(Persona::Chair).await?;
    let neighbour = server.api(Persona::Neighbour).await?;
    let community = resident.first_community().await?;

    let mut chair_ws = connect(&server.url, &chair).await?;
    let mut neighbour_ws = connect(&server.url, &neighbour).await?;
    let hello = next(&mut chair_ws).await.ok_or("hello")?;
    assert_eq!(hello["type"], "hello");
    assert_eq!(next(&mut neighbour_ws).await.ok_or("hello")?["type"], "hello");

    let sent = resident.send(community, "Кто-нибудь видел мастера?").await?;
    let pushed = next(&mut chair_ws).await.ok_or("the chair is told")?;
    assert_eq!(pushed["type"], "changed");
    let seq = pushed["seq"].as_i64().unwrap();
    let page = chair.get(&format!("/v1/changes?after={}", seq - 1)).await?;
    assert_eq!(page.body["changes"][0]["data"]["id"], sent.body["id"]);
    assert!(next(&mut neighbour_ws).await.is_none(), "the neighbour is told nothing");
    // The stream refuses anyone not signed in.
    let url = server.url.replace("http://", "ws://") + "/v1/stream";
    assert!(tokio_tungstenite::connect_async(url).await.is_err());
    Ok(())
}

/// The close code of the stream's end within `within`, skipping texts and pings.
async fn closed_with(ws: &mut Ws, within: Duration) -> Option<u16> {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, ws.next()).await {
            Ok(Some(Ok(tokio_tungstenite::tungstenite::Message::Close(frame)))) => return frame.map(|f| f.code.into()),
            Ok(Some(Ok(_))) => continue,
            _ => return None,
        }
    }
}

#[tokio::test]
async fn the_push_stream_ends_with_its_token_and_its_session() -> TestResult {
    // Pings far apart, so only the expiry timer can close this stream in time.
    let mut server = TestServer::start_with(domkom_server::seed::Seed::Small, |c| {
        c.tokens.access_ttl = 2;
        c.push_ping = Duration::from_secs(60);
    })
    .await?;
    let code = domkom_domain::wire::STREAM_CLOSE_REAUTHENTICATE;

    // Expiry: the stream closes when its access token does, asking for a fresh one.
    let resident = server.api(Persona::Resident).await?;
    let mut ws = connect(&server.url, &resident).await?;
    assert_eq!(next(&mut ws).await.as_ref().map(|v| v["type"].clone()), Some(json!("hello")));
    let opened = std::time::Instant::now();
    assert_eq!(closed_with(&mut ws, Duration::from_secs(5)).await, Some(code));
    assert!(opened.elapsed() >= Duration::from_millis(900), "closed before the token expired");
    server.stop().await?;

    // Sign-out: revoking the session ends a stream whose token is far from expiring.
    let mut server =
        TestServer::start_with(domkom_server::seed::Seed::Small, |c| c.push_ping = Duration::from_millis(200)).await?;
    let chair = server.api(Persona::Chair).await?;
    let mut ws = connect(&server.url, &chair).await?;
    assert!(next(&mut ws).await.is_some());
    let token = chair.token.clone().unwrap_or_default();
    assert_eq!(server.anonymous().form("/oauth/revoke", &[("token", &token)]).await?.status, 200);
    assert_eq!(closed_with(&mut ws, Duration::from_millis(1500)).await, Some(code));
    server.stop().await?;
    Ok(())
}

/// Reads the stream until it has been quiet for 3 s; the `changed` seqs it told of.
async fn drain(ws: &mut Ws) -> Vec<i64> {
    let mut seqs = Vec::new();
    while let Some(v) = next(ws).await {
        seqs.extend(v["seq"].as_i64());
    }
    seqs
}

#[tokio::test]
async fn a_ban_and_a_transfer_cut_the_push_stream() -> TestResult {
    let server = TestServer::start().await?;
    let resident = server.api(Persona::Resident).await?;
    let chair = server.api(Persona::Chair).await?;
    let owner = server.api(Persona::MultiOwner).await?;
    let dispatcher = server.api(Persona::Dispatcher).await?;
    let inspector = server.api(Persona::Inspector).await?;
    let community = resident.first_community().await?;
    let mut owner_ws = connect(&server.url, &owner).await?;
    let mut dispatcher_ws = connect(&server.url, &dispatcher).await?;
    assert_eq!(next(&mut owner_ws).await.ok_or("hello")?["type"], "hello");
    assert_eq!(next(&mut dispatcher_ws).await.ok_or("hello")?["type"], "hello");

    // Before: both are told of a message in the demo house's chat.
    let today =
        resident.send(community, "Всем добрый вечер").await?.body["created_at"].as_str().unwrap_or("")[..10].to_owned();
    assert!(!drain(&mut owner_ws).await.is_empty(), "the owner hears of the chat");
    assert!(!drain(&mut dispatcher_ws).await.is_empty(), "the dispatcher hears of the chat");

    // A ban: the banned member hears of their removal, then nothing of the chat; their send
    // is refused as banned.
    let banned_id = owner.me().await?["person"]["id"].as_i64().ok_or("id")?;
    let ban = chair
        .post(&format!("/v1/communities/{community}/bans"), &json!({"person_id": banned_id, "reason": "спам"}))
        .await?;
    assert_eq!(ban.status, 200, "{}", ban.body);
    assert!(!drain(&mut owner_ws).await.is_empty(), "the banned member hears of the ban");
    // A transfer of the house to another organisation: its dispatcher hears of losing it.
    let orgs = inspector.get("/v1/orgs").await?.body;
    let mine = dispatcher.get("/v1/houses?limit=1").await?.body[0]["org"]["id"].clone();
    let other = orgs.as_array().and_then(|o| o.iter().find(|o| o["id"] != mine)).ok_or("another organisation")?;
    let house = resident.get("/v1/houses").await?.body[0]["id"].as_i64().ok_or("house")?;
    let moved =
        inspector.post(&format!("/v1/houses/{house}/transfer"), &json!({"org_id": other["id"], "from": today})).await?;
    assert_eq!(moved.status, 200, "{}", moved.body);
    assert_eq!(moved.body["admin_status"], "pending");
    assert!(!drain(&mut dispatcher_ws).await.is_empty(), "the old dispatcher hears of losing the house");
    let _ = drain(&mut owner_ws).await;

    resident.send(community, "После передачи дома").await?;
    assert!(next(&mut owner_ws).await.is_none(), "the banned member hears nothing of the chat");
    assert!(next(&mut dispatcher_ws).await.is_none(), "the old organisation hears nothing of the house");
    let refused = owner.send(community, "а я?").await?;
    assert_eq!((refused.status, refused.code()), (403, "banned"));
    let gone = dispatcher.get(&format!("/v1/communities/{community}/messages")).await?;
    assert_eq!(gone.status, 403, "the old dispatcher reads nothing of the chat");
    Ok(())
}

#[tokio::test]
async fn staff_hear_at_once_of_a_house_without_a_chat_they_gained() -> TestResult {
    let server = TestServer::start().await?;
    let dispatcher = server.api(Persona::Dispatcher).await?;
    let inspector = server.api(Persona::Inspector).await?;
    let resident = server.api(Persona::Resident).await?;
    let mut ws = connect(&server.url, &dispatcher).await?;
    assert_eq!(next(&mut ws).await.ok_or("hello")?["type"], "hello");
    let houses = inspector.get("/v1/houses?limit=1000").await?.body;
    let small = houses
        .as_array()
        .and_then(|h| h.iter().find(|h| h["flats"].as_i64() < Some(16) && h["community_id"].is_null()))
        .ok_or("a small house without a chat")?;
    let small_id = small["id"].as_i64().ok_or("id")?;
    let org = dispatcher.get("/v1/houses?limit=1").await?.body[0]["org"]["id"].clone();
    let community = resident.first_community().await?;
    let today = resident.send(community, "Который сегодня день?").await?.body["created_at"].as_str().unwrap_or("")
        [..10]
        .to_owned();
    let _ = drain(&mut ws).await;

    let moved =
        inspector.post(&format!("/v1/houses/{small_id}/transfer"), &json!({"org_id": org, "from": today})).await?;
    assert_eq!(moved.status, 200, "{}", moved.body);
    assert!(!drain(&mut ws).await.is_empty(), "the dispatcher's stream tells of the house gained");
    let gained = dispatcher.get(&format!("/v1/houses/{small_id}")).await?;
    assert_eq!(gained.status, 200, "and the house is theirs to read");
    Ok(())
}
