//! The sync engine and outbox against the real backend on port 0: convergence of two
//! clients, purge when a membership ends, 200 random network faults through a proxy, and
//! no secret anywhere under the data directory. Secrets live in the real Secret Service
//! (run under `./x test`, which starts gnome-keyring on a private D-Bus).

use std::sync::Arc;
use std::time::Duration;

use rand::{Rng, SeedableRng};

use domkom_core::Client;
use domkom_core::cache::Access;
use domkom_domain::chat::CommunityKind;
use domkom_domain::id::{CommunityId, MessageId};
use domkom_testkit::{Fault, FaultProxy, Persona, Seed, TestClient, TestResult, TestServer};

/// The backend with a send limit no test here reaches.
async fn server() -> TestResult<TestServer> {
    TestServer::start_with(Seed::Small, |config| {
        config.send_burst = 10_000;
        config.send_per_minute = 600_000;
    })
    .await
}

/// A client of `url` signed in as `person` (not yet synced).
async fn client(url: &str, person: Persona, timeout: Duration) -> TestResult<TestClient> {
    let c = TestClient::open_at(url, timeout).await?;
    c.login_demo(person.key()).await?;
    Ok(c)
}

/// The server's view of a chat, oldest first: (id, body).
async fn server_history(url: &str, token: &str, community: CommunityId) -> TestResult<Vec<(i64, String)>> {
    let http = reqwest::Client::new();
    let mut out = Vec::new();
    let mut before: Option<i64> = None;
    loop {
        let mut u = format!("{url}/v1/communities/{community}/messages?limit=200");
        if let Some(b) = before {
            u.push_str(&format!("&before={b}"));
        }
        let page: serde_json::Value = http.get(u).bearer_auth(token).send().await?.json().await?;
        let msgs = page["messages"].as_array().cloned().unwrap_or_default();
        for m in &msgs {
            out.push((m["id"].as_i64().unwrap_or(0), m["body"].as_str().unwrap_or("").to_owned()));
        }
        before = msgs.last().and_then(|m| m["id"].as_i64());
        if page["has_more"] != true {
            break;
        }
    }
    out.reverse();
    Ok(out)
}

/// The client's cached view of a chat, oldest first: (id, body), sent messages only.
async fn cached_history(c: &Client, community: CommunityId) -> TestResult<Vec<(i64, String)>> {
    let mut out: Vec<(i64, String)> = c
        .chats()
        .messages(community, None, 100_000)
        .await?
        .into_iter()
        .filter_map(|m| m.id.map(|id| (id.get(), m.body)))
        .collect();
    out.reverse();
    Ok(out)
}

#[tokio::test]
async fn two_people_sending_at_once_converge() -> TestResult {
    let server = server().await?;
    let a = client(&server.url, Persona::Resident, Duration::from_secs(10)).await?;
    let b = client(&server.url, Persona::Chair, Duration::from_secs(10)).await?;
    a.sync(&|_, _| {}).await?;
    b.sync(&|_, _| {}).await?;
    let community = a
        .chats()
        .list()
        .await?
        .iter()
        .find(|c| c.kind == CommunityKind::HouseChat)
        .map(|c| c.community_id)
        .ok_or("chat")?;
    assert!(b.chats().list().await?.iter().any(|c| c.community_id == community), "the chair shares the chat");

    let (a, b) = (Arc::new(a), Arc::new(b));
    let mut tasks = Vec::new();
    for (who, c) in [("Алсу", a.clone()), ("Ильдар", b.clone())] {
        tasks.push(tokio::spawn(async move {
            for i in 0..15 {
                c.chats().send(community, &format!("{who}: сообщение {i}"), None).await.map_err(|e| e.to_string())?;
                if i % 4 == 0 {
                    c.sync(&|_, _| {}).await.map_err(|e| e.to_string())?;
                }
            }
            Ok::<_, String>(())
        }));
    }
    for t in tasks {
        t.await??;
    }
    a.sync(&|_, _| {}).await?;
    b.sync(&|_, _| {}).await?;
    let token = a.session().access_token().await?;
    let truth = server_history(&server.url, &token, community).await?;
    assert_eq!(truth.iter().filter(|(_, b)| b.contains(": сообщение ")).count(), 30);
    assert_eq!(cached_history(&a, community).await?, truth);
    assert_eq!(cached_history(&b, community).await?, truth);
    assert!(a.outbox().await?.is_empty() && b.outbox().await?.is_empty());
    Ok(())
}

#[tokio::test]
async fn leaving_purges_the_chat_from_the_cache() -> TestResult {
    let server = server().await?;
    let c = client(&server.url, Persona::MultiOwner, Duration::from_secs(10)).await?;
    c.sync(&|_, _| {}).await?;
    let chats = c.chats().list().await?;
    assert!(chats.len() >= 2, "the multi-owner is in two chats");
    let leaving = chats[0].community_id;
    let word = "Прощальноеслово";
    c.chats().send(leaving, &format!("{word} перед продажей квартиры"), None).await?;
    c.sync(&|_, _| {}).await?;
    assert_eq!(c.chats().search(word, 10).await?.len(), 1);

    let token = c.session().access_token().await?;
    let resp = reqwest::Client::new()
        .post(format!("{}/v1/communities/{leaving}/leave", server.url))
        .bearer_auth(&token)
        .send()
        .await?;
    assert_eq!(resp.status(), 204);
    c.sync(&|_, _| {}).await?;
    assert!(c.chats().list().await?.iter().all(|x| x.community_id != leaving));
    assert!(c.chats().messages(leaving, None, 100).await?.is_empty());
    assert!(c.chats().search(word, 10).await?.is_empty(), "not even the search index remembers it");
    let TestClient { client, keyring, dir } = c;
    drop(client);

    // Look into the file itself: no row of that community is left in any table.
    let path = domkom_core::cache_path(dir.path());
    let (cache, _) = domkom_core::cache::Cache::open(&path, keyring.keyring.as_ref(), Access::ReadWrite)?;
    let left: i64 = cache.read(|conn| {
        Ok(conn.query_row(
            "SELECT (SELECT count(*) FROM messages WHERE community_id = ?1) + \
                    (SELECT count(*) FROM communities WHERE id = ?1) + \
                    (SELECT count(*) FROM memberships WHERE community_id = ?1) + \
                    (SELECT count(*) FROM read_state WHERE community_id = ?1) + \
                    (SELECT count(*) FROM history_gaps WHERE community_id = ?1)",
            [leaving],
            |r| r.get(0),
        )?)
    })?;
    assert_eq!(left, 0);
    Ok(())
}

#[tokio::test]
async fn two_hundred_random_faults_lose_nothing_and_double_nothing() -> TestResult {
    let server = server().await?;
    let proxy = FaultProxy::start(server.addr).await?;
    let proxied = proxy.url();
    let c = client(&proxied, Persona::Resident, Duration::from_millis(800)).await?;
    c.sync(&|_, _| {}).await?;
    let community = c
        .chats()
        .list()
        .await?
        .iter()
        .find(|x| x.kind == CommunityKind::HouseChat)
        .map(|x| x.community_id)
        .ok_or("chat")?;
    let mut rng = rand::rngs::StdRng::seed_from_u64(20261124);
    let mut failures = 0;
    for i in 0..200 {
        let fault = match rng.random_range(0..6) {
            0 => Fault::Refuse,
            1 => Fault::CutRequest(rng.random_range(1..600)),
            2 | 3 => Fault::CutAnswer(rng.random_range(1..3000)),
            4 => Fault::Stall(if rng.random_bool(0.1) { 5_000 } else { rng.random_range(10..300) }),
            _ => Fault::None,
        };
        proxy.set(fault, rng.random_range(1..4));
        // These may fail: the point is what happens after.
        if c.chats().send(community, &format!("Расписание {i}"), None).await.is_err() {
            failures += 1;
        }
        if c.sync(&|_, _| {}).await.is_err() {
            failures += 1;
        }
    }
    eprintln!("faults applied to {} requests; {failures} operations failed", proxy.applied());
    assert!(proxy.applied() > 150, "the faults really happened");
    assert!(failures > 50, "and really broke operations");
    proxy.set(Fault::None, 0);
    for _ in 0..5 {
        if c.sync(&|_, _| {}).await.is_ok() && c.outbox().await?.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    assert!(c.outbox().await?.is_empty(), "every item delivered: {:?}", c.outbox().await?);
    let token = c.session().access_token().await?;
    let truth = server_history(&server.url, &token, community).await?;
    for i in 0..200 {
        let copies = truth.iter().filter(|(_, b)| b == &format!("Расписание {i}")).count();
        assert_eq!(copies, 1, "message {i} is on the server exactly once");
    }
    assert_eq!(cached_history(&c, community).await?, truth, "the cache converges to the server");
    Ok(())
}

#[tokio::test]
async fn no_secret_is_written_under_the_data_directory() -> TestResult {
    let server = server().await?;
    let c = client(&server.url, Persona::Resident, Duration::from_secs(10)).await?;
    c.sync(&|_, _| {}).await?;
    let community = c.chats().list().await?[0].community_id;
    c.chats().send(community, "Проверка: ключи не должны попасть на диск", None).await?;
    c.sync(&|_, _| {}).await?;
    let access = c.session().access_token().await?;
    use domkom_core::secrets::SecretStore;
    let refresh = c.keyring.keyring.get("refresh-token")?.ok_or("the refresh token is in the keyring")?;
    let key = c.keyring.keyring.get(domkom_core::cache::KEY_NAME)?.ok_or("the cache key is in the keyring")?;
    let key_bytes: Vec<u8> =
        (0..key.len()).step_by(2).filter_map(|i| u8::from_str_radix(&key[i..i + 2], 16).ok()).collect();
    let TestClient { client, keyring: _keyring, dir } = c;
    drop(client);
    let mut files = 0;
    let mut stack = vec![dir.path().to_owned()];
    while let Some(p) = stack.pop() {
        for entry in std::fs::read_dir(&p)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            files += 1;
            let bytes = std::fs::read(&path)?;
            for (name, secret) in [
                ("access token", access.as_bytes()),
                ("refresh token", refresh.as_bytes()),
                ("cache key", key.as_bytes()),
                ("raw cache key", &key_bytes[..]),
            ] {
                assert!(!bytes.windows(secret.len()).any(|w| w == secret), "{name} found in {}", path.display());
            }
            // And the cache is encrypted: not even the chat text is readable.
            let text = "Проверка: ключи".as_bytes();
            assert!(!bytes.windows(text.len()).any(|w| w == text), "plain chat text in {}", path.display());
        }
    }
    assert!(files >= 1);
    Ok(())
}

#[tokio::test]
async fn unread_counts_others_messages_after_the_read_mark_up_to_the_cap() -> TestResult {
    use domkom_domain::message::UNREAD_COUNT_CAP;
    let mut server = server().await?;
    let c = client(&server.url, Persona::Resident, Duration::from_secs(10)).await?;
    c.sync(&|_, _| {}).await?;
    // The history found at the first sync counts as read.
    let store = domkom_server::open_store(server.data_dir(), Seed::Small)?;
    let (community, chair) = domkom_server::testing::demo_member(&store, "chair")?;
    let unread = |list: Vec<domkom_core::chat::ChatSummary>| {
        list.iter()
            .find(|h| h.community_id == community)
            .map(|h| h.unread)
            .ok_or("the resident is not in the chair's chat")
    };
    assert_eq!(unread(c.chats().list().await?)?, 0, "history is not unread");

    // A long absence in a busy chat.
    domkom_server::testing::add_messages(&store, community, chair, 1_500, "2026-11-01T00:00:00Z", |i| {
        format!("Объявление {i}")
    })?;
    c.sync(&|_, _| {}).await?;
    assert_eq!(unread(c.chats().list().await?)?, UNREAD_COUNT_CAP, "a long unread run is counted to the cap");

    let newest: Vec<MessageId> = c.chats().messages(community, None, 10).await?.iter().filter_map(|m| m.id).collect();
    // Read up to the fourth newest: the three after it are unread.
    c.chats().mark_read(community, newest[3]).await?;
    assert_eq!(unread(c.chats().list().await?)?, 3);
    c.chats().send(community, "Спасибо, прочитал", None).await?;
    c.sync(&|_, _| {}).await?;
    let mine = c.chats().messages(community, None, 1).await?;
    assert!(mine[0].id.is_some() && mine[0].body == "Спасибо, прочитал", "the reply was delivered: {mine:?}");
    assert_eq!(unread(c.chats().list().await?)?, 3, "one's own message is never unread");
    server.stop().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_live_stream_outlives_its_access_tokens_without_going_offline() -> TestResult {
    // The server closes a push stream when its token expires; the client must come back
    // with a fresh token at once, without telling the person it is offline.
    let mut server = TestServer::start_with(Seed::Small, |config| config.tokens.access_ttl = 2).await?;
    let c = client(&server.url, Persona::Resident, Duration::from_secs(10)).await?;
    let chair = client(&server.url, Persona::Chair, Duration::from_secs(10)).await?;
    c.sync(&|_, _| {}).await?;
    let community = c.chats().list().await?.first().map(|h| h.community_id).ok_or("no chat")?;
    let mut events = c.events();
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let live = c.spawn_live(stopped);
    tokio::time::sleep(Duration::from_secs(5)).await;

    let text = "Сообщение после смены ключа";
    chair.chats().send(community, text, None).await?;
    chair.sync(&|_, _| {}).await?;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while !c.chats().messages(community, None, 5).await?.iter().any(|m| m.body == text) {
        assert!(tokio::time::Instant::now() < deadline, "the message did not arrive live");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    stop.send(true)?;
    live.await?;
    let mut offline = Vec::new();
    while let Ok(event) = events.try_recv() {
        if let domkom_core::Event::Sync(domkom_core::SyncStatus::Offline { reason, .. }) = event {
            offline.push(reason);
        }
    }
    assert!(offline.is_empty(), "the app was shown offline: {offline:?}");
    server.stop().await?;
    Ok(())
}

#[tokio::test]
async fn a_chat_joined_after_the_first_sync_is_listed_with_its_newest_messages() -> TestResult {
    let mut server = server().await?;
    let c = client(&server.url, Persona::NotJoined, Duration::from_secs(10)).await?;
    c.sync(&|_, _| {}).await?;
    assert!(c.chats().list().await?.is_empty(), "no chat before joining");
    let offers = c.me().await?.offers;
    let offer = offers.first().ok_or("an owner who has not joined is offered the house chat")?;
    c.chats().join(offer.community_id).await?;
    let chats = c.chats().list().await?;
    let chat = chats.iter().find(|h| h.community_id == offer.community_id).ok_or("the joined chat is not listed")?;
    assert_eq!(chat.title, offer.title);
    let newest = c.chats().messages(offer.community_id, None, 20).await?;
    assert!(!newest.is_empty(), "the chat's newest messages are there at once");
    assert_eq!(chat.unread, 0, "history found on joining is not unread");
    assert!(c.me().await?.offers.iter().all(|o| o.community_id != offer.community_id), "the offer is gone");
    server.stop().await?;
    Ok(())
}
