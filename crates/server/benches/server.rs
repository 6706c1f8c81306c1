//! Benchmarks of the reference backend, printed as figures (run with `./x bench`):
//! - the `kazan` seed time;
//! - first sync of a house with 100,000 messages through the change feed;
//! - sends per second with 100 concurrent senders;
//! - fan-out of one send to 1,000 WebSocket subscribers of one house.
//!
//! `cargo bench -p domkom-server -- NAME` runs only the benchmarks whose name contains NAME.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context;
use futures_util::StreamExt;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use domkom_domain::id::{CommunityId, PersonId};
use domkom_server::esia::{TokenPolicy, start_session};
use domkom_server::seed::Seed;
use domkom_server::store::{AuthStore, SqliteStore};
use domkom_server::testing::{add_messages, demo_member};
use domkom_server::{Config, Server, open_store};

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn bench_seed() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let started = Instant::now();
    let store = open_store(dir.path(), Seed::Kazan)?;
    let elapsed = started.elapsed();
    let (houses, persons, messages, changes): (i64, i64, i64, i64) = store.with_writer(|c| {
        c.query_row(
            "SELECT (SELECT count(*) FROM houses), (SELECT count(*) FROM persons), \
             (SELECT count(*) FROM messages), (SELECT count(*) FROM changes)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
    })?;
    let size = std::fs::metadata(domkom_server::store::db_path(dir.path()))?.len();
    println!(
        "seed kazan: {:.1} s ({houses} houses, {persons} persons, {messages} messages, {changes} changes, {:.0} MiB)",
        elapsed.as_secs_f64(),
        size as f64 / 1048576.0
    );
    Ok(())
}

/// Adds `n` verified people who are members of a community, and gives each a token.
fn add_members(store: &SqliteStore, community: CommunityId, n: usize) -> anyhow::Result<Vec<String>> {
    let ids: Vec<PersonId> = store.with_writer(|c| -> rusqlite::Result<Vec<PersonId>> {
        let tx = c.transaction()?;
        let mut ids = Vec::new();
        for i in 0..n {
            let id: PersonId = tx.query_row(
                "INSERT INTO persons (oid, full_name, trusted) VALUES (?1, ?2, 1) RETURNING id",
                rusqlite::params![format!("bench-{community}-{i}"), format!("Житель {i}")],
                |r| r.get(0),
            )?;
            tx.execute(
                "INSERT INTO memberships (community_id, person_id, role, joined_at) VALUES (?1, ?2, 'resident', '2026-01-01')",
                rusqlite::params![community, id],
            )?;
            ids.push(id);
        }
        tx.commit()?;
        Ok(ids)
    })?;
    let policy = TokenPolicy { access_ttl: 3600, ..TokenPolicy::default() };
    ids.into_iter()
        .map(|id| Ok(start_session(store, policy, id).map_err(|e| anyhow::anyhow!("{e}"))?.access_token))
        .collect()
}

fn token_of(store: &SqliteStore, key: &str) -> anyhow::Result<String> {
    let id = store.person_by_demo_key(key).map_err(|e| anyhow::anyhow!("{e}"))?.context("demo person")?;
    let policy = TokenPolicy { access_ttl: 3600, ..TokenPolicy::default() };
    Ok(start_session(store, policy, id).map_err(|e| anyhow::anyhow!("{e}"))?.access_token)
}

async fn start(dir: &Path) -> anyhow::Result<Server> {
    let mut config = Config::new(dir, Seed::Small);
    config.send_burst = 100_000;
    config.send_per_minute = 6_000_000;
    Server::start(config).await
}

async fn bench_first_sync() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let (community, token) = {
        let store = open_store(dir.path(), Seed::Small)?;
        let (community, author) = demo_member(&store, "resident")?;
        add_messages(&store, community, author, 100_000, "2026-01-01T00:00:00Z", |i| {
            format!("Сообщение номер {i}: лифт во втором подъезде опять не работает, вызвали мастера")
        })?;
        (community, token_of(&store, "resident")?)
    };
    let server = start(dir.path()).await?;
    let http = reqwest::Client::new();
    for limit in [500usize, 1000, 5000] {
        let started = Instant::now();
        let (mut cursor, mut changes, mut bytes, mut pages) = (0i64, 0usize, 0usize, 0usize);
        loop {
            let resp = http
                .get(format!("{}/v1/changes?after={cursor}&limit={limit}", server.url()))
                .bearer_auth(&token)
                .send()
                .await?
                .error_for_status()?;
            let body = resp.bytes().await?;
            bytes += body.len();
            pages += 1;
            let page: Value = serde_json::from_slice(&body)?;
            changes += page["changes"].as_array().map_or(0, Vec::len);
            cursor = page["cursor"].as_i64().context("cursor")?;
            if page["has_more"] != true {
                break;
            }
        }
        let secs = started.elapsed().as_secs_f64();
        println!(
            "first sync, community {community} with 100,000 messages, pages of {limit}: {changes} changes in {pages} pages, \
             {secs:.2} s, {:.0} changes/s, {:.1} MiB/s",
            changes as f64 / secs,
            bytes as f64 / 1048576.0 / secs
        );
    }
    server.stop().await
}

async fn bench_sends() -> anyhow::Result<()> {
    const SENDERS: usize = 100;
    const EACH: usize = 20;
    let dir = tempfile::tempdir()?;
    let (community, tokens) = {
        let store = open_store(dir.path(), Seed::Small)?;
        let (community, _) = demo_member(&store, "resident")?;
        (community, add_members(&store, community, SENDERS)?)
    };
    let server = start(dir.path()).await?;
    let url = format!("{}/v1/communities/{community}/messages", server.url());
    let started = Instant::now();
    let mut tasks = Vec::new();
    for token in tokens {
        let url = url.clone();
        tasks.push(tokio::spawn(async move {
            let http = reqwest::Client::new();
            let mut latencies = Vec::with_capacity(EACH);
            for i in 0..EACH {
                let t = Instant::now();
                http.post(&url)
                    .bearer_auth(&token)
                    .json(&json!({"client_key": uuid::Uuid::now_v7().to_string(), "body": format!("Сообщение {i}")}))
                    .send()
                    .await?
                    .error_for_status()?;
                latencies.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            Ok::<_, anyhow::Error>(latencies)
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await??);
    }
    let secs = started.elapsed().as_secs_f64();
    all.sort_by(f64::total_cmp);
    println!(
        "sends, {SENDERS} concurrent senders × {EACH}: {:.0} sends/s; latency p50 {:.1} ms, p99 {:.1} ms",
        all.len() as f64 / secs,
        percentile(&all, 0.5),
        percentile(&all, 0.99)
    );
    server.stop().await
}

type Ws = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn next_text(ws: &mut Ws) -> anyhow::Result<Value> {
    loop {
        match tokio::time::timeout(Duration::from_secs(10), ws.next()).await {
            Ok(Some(Ok(tokio_tungstenite::tungstenite::Message::Text(t)))) => return Ok(serde_json::from_str(&t)?),
            Ok(Some(Ok(_))) => continue,
            other => anyhow::bail!("stream ended: {other:?}"),
        }
    }
}

async fn bench_fanout() -> anyhow::Result<()> {
    const SUBSCRIBERS: usize = 1000;
    const ROUNDS: usize = 20;
    let dir = tempfile::tempdir()?;
    let (community, tokens, sender) = {
        let store = open_store(dir.path(), Seed::Small)?;
        let (community, _) = demo_member(&store, "resident")?;
        (community, add_members(&store, community, SUBSCRIBERS)?, token_of(&store, "chair")?)
    };
    let server = start(dir.path()).await?;
    let ws_url = server.url().replace("http://", "ws://") + "/v1/stream";
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(usize, Instant)>();
    let ready = std::sync::Arc::new(tokio::sync::Barrier::new(SUBSCRIBERS + 1));
    for token in tokens {
        let (url, tx, ready) = (ws_url.clone(), tx.clone(), ready.clone());
        tokio::spawn(async move {
            let run = async {
                let mut req = url.into_client_request()?;
                req.headers_mut().insert("authorization", format!("Bearer {token}").parse()?);
                let (mut ws, _) = tokio_tungstenite::connect_async(req).await?;
                next_text(&mut ws).await?; // hello
                ready.wait().await;
                for round in 0..ROUNDS {
                    let event = next_text(&mut ws).await?;
                    if event["type"] == "changed" {
                        let _ = tx.send((round, Instant::now()));
                    }
                }
                Ok::<_, anyhow::Error>(())
            };
            if let Err(e) = run.await {
                eprintln!("subscriber failed: {e}");
            }
        });
    }
    drop(tx);
    ready.wait().await;
    let http = reqwest::Client::new();
    let url = format!("{}/v1/communities/{community}/messages", server.url());
    let mut latencies = Vec::new();
    for round in 0..ROUNDS {
        let sent_at = Instant::now();
        http.post(&url)
            .bearer_auth(&sender)
            .json(&json!({"client_key": uuid::Uuid::now_v7().to_string(), "body": format!("Отключение воды {round}")}))
            .send()
            .await?
            .error_for_status()?;
        let mut got = 0;
        while got < SUBSCRIBERS {
            let (r, at) =
                tokio::time::timeout(Duration::from_secs(10), rx.recv()).await?.context("subscribers gone")?;
            if r == round {
                latencies.push(at.duration_since(sent_at).as_secs_f64() * 1000.0);
                got += 1;
            }
        }
    }
    latencies.sort_by(f64::total_cmp);
    println!(
        "fan-out, one send to {SUBSCRIBERS} WebSocket subscribers × {ROUNDS} rounds: delivery p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        latencies.last().copied().unwrap_or(f64::NAN)
    );
    server.stop().await
}

fn main() -> anyhow::Result<()> {
    // 1,000 subscribers need 2,000 sockets in this one process.
    rlimit::increase_nofile_limit(8192)?;
    let filter: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let wanted = |name: &str| filter.is_empty() || filter.iter().any(|f| name.contains(f.as_str()));
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    if wanted("seed") {
        bench_seed()?;
    }
    if wanted("sync") {
        rt.block_on(bench_first_sync())?;
    }
    if wanted("sends") {
        rt.block_on(bench_sends())?;
    }
    if wanted("fanout") {
        rt.block_on(bench_fanout())?;
    }
    Ok(())
}
