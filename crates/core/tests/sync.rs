//! The sync engine and outbox against the real backend on port 0: convergence of two
//! clients, purge when a membership ends, 200 random network faults through a proxy, and
//! no secret anywhere under the data directory. Secrets live in the real Secret Service
//! (run under `./x test`, which starts gnome-keyring on a private D-Bus).

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::{Rng, SeedableRng};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use domkom_core::{Client, Options};
use domkom_server::seed::Seed;
use domkom_server::{Config, Server};

type TestResult<T = ()> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

async fn server() -> TestResult<(Server, tempfile::TempDir)> {
    let dir = tempfile::tempdir()?;
    let mut config = Config::new(dir.path(), Seed::Small);
    config.send_burst = 10_000;
    config.send_per_minute = 600_000;
    Ok((Server::start(config).await?, dir))
}

async fn client(url: &str, person: &str, timeout: Duration) -> TestResult<(Client, tempfile::TempDir)> {
    let dir = tempfile::tempdir()?;
    let server: url::Url = url.parse()?;
    let keyring = domkom_core::secrets::Keyring::new(&domkom_core::secrets::profile_for(dir.path(), url));
    let c = Client::open_with(dir.path(), &server, Arc::new(keyring), Options { request_timeout: timeout }).await?;
    c.login_demo(person).await?;
    Ok((c, dir))
}

/// The server's view of a chat, oldest first: (id, body).
async fn server_history(url: &str, token: &str, community: i64) -> TestResult<Vec<(i64, String)>> {
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
async fn cached_history(c: &Client, community: i64) -> TestResult<Vec<(i64, String)>> {
    let mut out: Vec<(i64, String)> =
        c.messages(community, None, 100_000).await?.into_iter().filter_map(|m| m.id.map(|id| (id, m.body))).collect();
    out.reverse();
    Ok(out)
}

#[tokio::test]
async fn two_people_sending_at_once_converge() -> TestResult {
    let (server, _dir) = server().await?;
    let url = server.url();
    let (a, _da) = client(&url, "resident", Duration::from_secs(10)).await?;
    let (b, _db) = client(&url, "chair", Duration::from_secs(10)).await?;
    a.sync(&|_, _| {}).await?;
    b.sync(&|_, _| {}).await?;
    let community =
        a.chat_list().await?.iter().find(|c| c.kind == "house_chat").map(|c| c.community_id).ok_or("chat")?;
    assert!(b.chat_list().await?.iter().any(|c| c.community_id == community), "the chair shares the chat");

    let (a, b) = (Arc::new(a), Arc::new(b));
    let mut tasks = Vec::new();
    for (who, c) in [("Алсу", a.clone()), ("Ильдар", b.clone())] {
        tasks.push(tokio::spawn(async move {
            for i in 0..15 {
                c.send(community, &format!("{who}: сообщение {i}"), None).await.map_err(|e| e.to_string())?;
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
    let truth = server_history(&url, &token, community).await?;
    assert_eq!(truth.iter().filter(|(_, b)| b.contains(": сообщение ")).count(), 30);
    assert_eq!(cached_history(&a, community).await?, truth);
    assert_eq!(cached_history(&b, community).await?, truth);
    assert!(a.outbox().await?.is_empty() && b.outbox().await?.is_empty());
    Ok(())
}

#[tokio::test]
async fn leaving_purges_the_chat_from_the_cache() -> TestResult {
    let (server, _dir) = server().await?;
    let url = server.url();
    let (c, dir) = client(&url, "multi-owner", Duration::from_secs(10)).await?;
    c.sync(&|_, _| {}).await?;
    let chats = c.chat_list().await?;
    assert!(chats.len() >= 2, "the multi-owner is in two chats");
    let leaving = chats[0].community_id;
    let word = "Прощальноеслово";
    c.send(leaving, &format!("{word} перед продажей квартиры"), None).await?;
    c.sync(&|_, _| {}).await?;
    assert_eq!(c.search(word, 10).await?.len(), 1);

    let token = c.session().access_token().await?;
    let resp =
        reqwest::Client::new().post(format!("{url}/v1/communities/{leaving}/leave")).bearer_auth(&token).send().await?;
    assert_eq!(resp.status(), 204);
    c.sync(&|_, _| {}).await?;
    assert!(c.chat_list().await?.iter().all(|x| x.community_id != leaving));
    assert!(c.messages(leaving, None, 100).await?.is_empty());
    assert!(c.search(word, 10).await?.is_empty(), "not even the search index remembers it");
    drop(c);

    // Look into the file itself: no row of that community is left in any table.
    let path = domkom_core::cache_path(dir.path());
    let keyring = domkom_core::secrets::Keyring::new(&domkom_core::secrets::profile_for(dir.path(), &url));
    let (cache, _) = domkom_core::cache::Cache::open(&path, &keyring)?;
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

/// What the proxy does to the connections it accepts next.
#[derive(Debug, Clone, Copy)]
enum Fault {
    /// Pass everything.
    None,
    /// Refuse: close at once.
    Refuse,
    /// Forward this many bytes of the request, then cut both ways.
    CutRequest(usize),
    /// Forward this many bytes of the answer, then cut (a truncated body).
    CutAnswer(usize),
    /// Hold the answer this long before forwarding it.
    Stall(u64),
}

/// A TCP proxy in front of the server that misbehaves on command. A fault is taken by the
/// next request on any connection (pooled keep-alive connections included).
struct FaultProxy {
    addr: SocketAddr,
    pending: Arc<Mutex<(Fault, usize)>>,
    applied: Arc<std::sync::atomic::AtomicUsize>,
}

impl FaultProxy {
    async fn start(upstream: SocketAddr) -> TestResult<FaultProxy> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let pending = Arc::new(Mutex::new((Fault::None, 0usize)));
        let applied = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let (p, a) = (pending.clone(), applied.clone());
        tokio::spawn(async move {
            while let Ok((inbound, _)) = listener.accept().await {
                tokio::spawn(pump(inbound, upstream, p.clone(), a.clone()));
            }
        });
        Ok(FaultProxy { addr, pending, applied })
    }

    /// Applies `fault` to the next `requests` requests.
    fn set(&self, fault: Fault, requests: usize) {
        *self.pending.lock().unwrap_or_else(|p| p.into_inner()) = (fault, requests);
    }

    /// How many requests a fault was applied to.
    fn applied(&self) -> usize {
        self.applied.load(std::sync::atomic::Ordering::SeqCst)
    }
}

type Shared = Arc<Mutex<(Fault, usize)>>;

fn take(pending: &Shared) -> Option<Fault> {
    let mut g = pending.lock().unwrap_or_else(|p| p.into_inner());
    if g.1 > 0 && !matches!(g.0, Fault::None) {
        g.1 -= 1;
        Some(g.0)
    } else {
        None
    }
}

async fn pump(inbound: TcpStream, upstream: SocketAddr, pending: Shared, applied: Arc<std::sync::atomic::AtomicUsize>) {
    let Ok(outbound) = TcpStream::connect(upstream).await else { return };
    let (mut ir, mut iw) = inbound.into_split();
    let (mut or, mut ow) = outbound.into_split();
    // The fault of the request in flight on this connection, for the answer's direction.
    let current: Shared = Arc::new(Mutex::new((Fault::None, 0)));
    let cur = current.clone();
    let up = async move {
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            let n = match ir.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            };
            if let Some(fault) = take(&pending) {
                applied.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                *cur.lock().unwrap_or_else(|p| p.into_inner()) = (fault, 0);
                match fault {
                    Fault::Refuse => return,
                    Fault::CutRequest(limit) => {
                        let _ = ow.write_all(&buf[..limit.min(n)]).await;
                        return;
                    }
                    _ => {}
                }
            }
            if ow.write_all(&buf[..n]).await.is_err() {
                return;
            }
        }
    };
    let down = async move {
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            let n = match or.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            };
            let (fault, sent) = *current.lock().unwrap_or_else(|p| p.into_inner());
            match fault {
                Fault::Stall(ms) => {
                    tokio::time::sleep(Duration::from_millis(ms)).await;
                    *current.lock().unwrap_or_else(|p| p.into_inner()) = (Fault::None, 0);
                }
                Fault::CutAnswer(limit) => {
                    let room = limit.saturating_sub(sent);
                    let _ = iw.write_all(&buf[..room.min(n)]).await;
                    if room <= n {
                        return;
                    }
                    *current.lock().unwrap_or_else(|p| p.into_inner()) = (fault, sent + n);
                    continue;
                }
                _ => {}
            }
            if iw.write_all(&buf[..n]).await.is_err() {
                return;
            }
        }
    };
    // A cut in either direction ends the connection.
    tokio::select! {
        _ = up => {}
        _ = down => {}
    }
}

#[tokio::test]
async fn two_hundred_random_faults_lose_nothing_and_double_nothing() -> TestResult {
    let (server, _dir) = server().await?;
    let proxy = FaultProxy::start(server.addr).await?;
    let proxied = format!("http://{}", proxy.addr);
    let (c, _d) = client(&proxied, "resident", Duration::from_millis(800)).await?;
    c.sync(&|_, _| {}).await?;
    let community =
        c.chat_list().await?.iter().find(|x| x.kind == "house_chat").map(|x| x.community_id).ok_or("chat")?;
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
        if c.send(community, &format!("Расписание {i}"), None).await.is_err() {
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
    let truth = server_history(&server.url(), &token, community).await?;
    for i in 0..200 {
        let copies = truth.iter().filter(|(_, b)| b == &format!("Расписание {i}")).count();
        assert_eq!(copies, 1, "message {i} is on the server exactly once");
    }
    assert_eq!(cached_history(&c, community).await?, truth, "the cache converges to the server");
    Ok(())
}

#[tokio::test]
async fn no_secret_is_written_under_the_data_directory() -> TestResult {
    let (server, _dir) = server().await?;
    let url = server.url();
    let (c, dir) = client(&url, "resident", Duration::from_secs(10)).await?;
    c.sync(&|_, _| {}).await?;
    let community = c.chat_list().await?[0].community_id;
    c.send(community, "Проверка: ключи не должны попасть на диск", None).await?;
    c.sync(&|_, _| {}).await?;
    let access = c.session().access_token().await?;
    let keyring = domkom_core::secrets::Keyring::new(&domkom_core::secrets::profile_for(dir.path(), &url));
    use domkom_core::secrets::SecretStore;
    let refresh = keyring.get("refresh-token")?.ok_or("the refresh token is in the keyring")?;
    let key = keyring.get(domkom_core::cache::KEY_NAME)?.ok_or("the cache key is in the keyring")?;
    let key_bytes: Vec<u8> =
        (0..key.len()).step_by(2).filter_map(|i| u8::from_str_radix(&key[i..i + 2], 16).ok()).collect();
    drop(c);
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
    let (server, dir) = server().await?;
    let url = server.url();
    let (c, _data) = client(&url, "resident", Duration::from_secs(10)).await?;
    c.sync(&|_, _| {}).await?;
    // The history found at the first sync counts as read.
    let store = domkom_server::open_store(dir.path(), Seed::Small)?;
    let (community, chair) = domkom_server::testing::demo_member(&store, "chair")?;
    let unread = |list: Vec<domkom_core::cache::HouseSummary>| {
        list.iter()
            .find(|h| h.community_id == community)
            .map(|h| h.unread)
            .ok_or("the resident is not in the chair's chat")
    };
    assert_eq!(unread(c.chat_list().await?)?, 0, "history is not unread");

    // A long absence in a busy chat.
    domkom_server::testing::add_messages(&store, community, chair, 1_500, "2026-11-01T00:00:00Z", |i| {
        format!("Объявление {i}")
    })?;
    c.sync(&|_, _| {}).await?;
    assert_eq!(unread(c.chat_list().await?)?, UNREAD_COUNT_CAP, "a long unread run is counted to the cap");

    let newest: Vec<i64> = c.messages(community, None, 10).await?.iter().filter_map(|m| m.id).collect();
    // Read up to the fourth newest: the three after it are unread.
    c.mark_read(community, newest[3]).await?;
    assert_eq!(unread(c.chat_list().await?)?, 3);
    c.send(community, "Спасибо, прочитал", None).await?;
    c.sync(&|_, _| {}).await?;
    let mine = c.messages(community, None, 1).await?;
    assert!(mine[0].id.is_some() && mine[0].body == "Спасибо, прочитал", "the reply was delivered: {mine:?}");
    assert_eq!(unread(c.chat_list().await?)?, 3, "one's own message is never unread");
    server.stop().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_live_stream_outlives_its_access_tokens_without_going_offline() -> TestResult {
    let dir = tempfile::tempdir()?;
    let mut config = Config::new(dir.path(), Seed::Small);
    // The server closes a push stream when its token expires; the client must come back
    // with a fresh token at once, without telling the person it is offline.
    config.tokens.access_ttl = 2;
    let server = Server::start(config).await?;
    let url = server.url();
    let (c, _data) = client(&url, "resident", Duration::from_secs(10)).await?;
    let (chair, _chair_data) = client(&url, "chair", Duration::from_secs(10)).await?;
    c.sync(&|_, _| {}).await?;
    let community = c.chat_list().await?.first().map(|h| h.community_id).ok_or("no chat")?;
    let mut events = c.events();
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let live = c.spawn_live(stopped);
    tokio::time::sleep(Duration::from_secs(5)).await;

    let text = "Сообщение после смены ключа";
    chair.send(community, text, None).await?;
    chair.sync(&|_, _| {}).await?;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while !c.messages(community, None, 5).await?.iter().any(|m| m.body == text) {
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
    let (server, _dir) = server().await?;
    let url = server.url();
    let (c, _data) = client(&url, "not-joined", Duration::from_secs(10)).await?;
    c.sync(&|_, _| {}).await?;
    assert!(c.chat_list().await?.is_empty(), "no chat before joining");
    let offers = c.me().await?.offers;
    let offer = offers.first().ok_or("an owner who has not joined is offered the house chat")?;
    c.join(offer.community_id).await?;
    let chats = c.chat_list().await?;
    let chat = chats.iter().find(|h| h.community_id == offer.community_id).ok_or("the joined chat is not listed")?;
    assert_eq!(chat.title, offer.title);
    let newest = c.messages(offer.community_id, None, 20).await?;
    assert!(!newest.is_empty(), "the chat's newest messages are there at once");
    assert_eq!(chat.unread, 0, "history found on joining is not unread");
    assert!(c.me().await?.offers.iter().all(|o| o.community_id != offer.community_id), "the offer is gone");
    server.stop().await?;
    Ok(())
}
