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
    let mut out: Vec<(i64, String)> = c
        .messages(community, None, 100_000)
        .await?
        .into_iter()
        .filter_map(|m| m.id.map(|id| (id, m.body)))
        .collect();
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
    let community = a.chat_list().await?.iter().find(|c| c.kind == "house_chat").map(|c| c.community_id).ok_or("chat")?;
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
    let resp = reqwest::Client::new()
        .post(format!("{url}/v1/communities/{leaving}/leave"))
        .bearer_auth(&token)
        .send()
        .await?;
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

/// A TCP proxy in front of the server that misbehaves on command.
struct FaultProxy {
    addr: SocketAddr,
    fault: Arc<Mutex<(Fault, usize)>>,
}

impl FaultProxy {
    async fn start(upstream: SocketAddr) -> TestResult<FaultProxy> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let fault = Arc::new(Mutex::new((Fault::None, 0usize)));
        let f = fault.clone();
        tokio::spawn(async move {
            while let Ok((inbound, _)) = listener.accept().await {
                let this = {
                    let mut g = f.lock().unwrap_or_else(|p| p.into_inner());
                    if g.1 > 0 {
                        g.1 -= 1;
                        g.0
                    } else {
                        Fault::None
                    }
                };
                tokio::spawn(pump(inbound, upstream, this));
            }
        });
        Ok(FaultProxy { addr, fault })
    }

    /// Applies `fault` to the next `connections` connections.
    fn set(&self, fault: Fault, connections: usize) {
        *self.fault.lock().unwrap_or_else(|p| p.into_inner()) = (fault, connections);
    }
}

async fn copy_limited(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    limit: Option<usize>,
    stall: u64,
) {
    let mut buf = vec![0u8; 16 * 1024];
    let mut sent = 0usize;
    let mut first = true;
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        if first && stall > 0 {
            tokio::time::sleep(Duration::from_millis(stall)).await;
        }
        first = false;
        let n = match limit {
            Some(l) if sent + n >= l => {
                let _ = to.write_all(&buf[..l - sent]).await;
                return;
            }
            _ => n,
        };
        if to.write_all(&buf[..n]).await.is_err() {
            break;
        }
        sent += n;
    }
    let _ = to.shutdown().await;
}

async fn pump(inbound: TcpStream, upstream: SocketAddr, fault: Fault) {
    if matches!(fault, Fault::Refuse) {
        return;
    }
    let Ok(outbound) = TcpStream::connect(upstream).await else { return };
    let (ir, iw) = inbound.into_split();
    let (or, ow) = outbound.into_split();
    let (req_limit, ans_limit, stall) = match fault {
        Fault::CutRequest(n) => (Some(n), None, 0),
        Fault::CutAnswer(n) => (None, Some(n), 0),
        Fault::Stall(ms) => (None, None, ms),
        _ => (None, None, 0),
    };
    let up = tokio::spawn(copy_limited(ir, ow, req_limit, 0));
    let down = tokio::spawn(copy_limited(or, iw, ans_limit, stall));
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
    let community = c.chat_list().await?.iter().find(|x| x.kind == "house_chat").map(|x| x.community_id).ok_or("chat")?;
    let mut rng = rand::rngs::StdRng::seed_from_u64(20261124);
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
        let _ = c.send(community, &format!("Расписание {i}"), None).await;
        let _ = c.sync(&|_, _| {}).await;
    }
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
    let key_bytes: Vec<u8> = (0..key.len()).step_by(2).filter_map(|i| u8::from_str_radix(&key[i..i + 2], 16).ok()).collect();
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
            for (name, secret) in [("access token", access.as_bytes()), ("refresh token", refresh.as_bytes()), ("cache key", key.as_bytes()), ("raw cache key", &key_bytes[..])] {
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
