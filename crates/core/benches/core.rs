//! Benchmarks of the client core, printed as figures (run with `./x bench`, which provides
//! the Secret Service the core keeps its keys in):
//! - first sync of a house with 100,000 messages over loopback, and the ratio to inserting
//!   the same rows straight into a SQLite file;
//! - search over 1,000,000 cached messages: p50 and p99;
//! - the chat list plus the last 50 messages of a chat, read from the cache;
//! - bytes written to disk while idle for 60 s with the push stream open;
//! - peak memory of `domkom sync` during the 100,000-message sync;
//! - the meters view's reads from the cache (every meter of the flat with 24 months of
//!   readings), and a reading's local echo (checked by the rules and queued, offline);
//! - the bills view's read from the cache (24 months, and 10 years), and the cache's size
//!   for 10 years of one account's bills;
//! - the dispatcher's desk over 50,000 tickets: the first sync, the cache's size, each
//!   filter of the queue (p50, p99), the export of the whole queue (XLSX, CSV) and a month's
//!   report;
//! - `big-dispatcher`: the Kazan seed's biggest management company's dispatcher's first sync
//!   of every ticket of its houses, and the cache's size.
//!
//! `cargo bench -p domkom-core -- NAME` runs only the benchmarks whose name contains NAME.

use std::path::Path;
use std::time::{Duration, Instant};

use domkom_core::cache::{Access, Cache};
use domkom_core::secrets::{Keyring, SecretStore};
use domkom_core::{Client, Options};
use domkom_domain::id::CommunityId;
use domkom_server::seed::Seed;
use domkom_server::testing::{add_messages, add_older_bills, add_tickets, demo_member};
use domkom_server::{Config, Server, open_store};

type R<T = ()> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted.get(((sorted.len().max(1) - 1) as f64 * p).round() as usize).copied().unwrap_or(f64::NAN)
}

const WORDS: &[&str] = &[
    "лифт",
    "протечка",
    "подъезд",
    "уборка",
    "мусоропровод",
    "отопление",
    "счёт",
    "показания",
    "вода",
    "свет",
    "крыша",
    "ремонт",
    "мастер",
    "заявка",
    "диспетчер",
    "парковка",
    "снег",
    "двор",
    "домофон",
    "батарея",
    "рәхмәт",
    "күршеләр",
    "өй",
    "сантехник",
    "электрик",
    "перерасчёт",
    "квитанция",
    "капремонт",
    "шум",
    "кошка",
];

/// A realistic chat line from a seeded generator.
fn line(i: u64) -> String {
    let mut x = i.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    let mut words = Vec::new();
    for _ in 0..(6 + i % 10) {
        x ^= x >> 33;
        x = x.wrapping_mul(0xff51afd7ed558ccd);
        words.push(WORDS[(x % WORDS.len() as u64) as usize]);
    }
    format!("{} {}", words.join(" "), i)
}

/// A server on the small seed whose demo chat has `n` more messages.
async fn server_with(dir: &Path, n: u64) -> R<(Server, CommunityId)> {
    let store = open_store(dir, Seed::Small)?;
    let (community, author) = demo_member(&store, "chair")?;
    add_messages(&store, community, author, n, "2026-01-01T00:00:00Z", line)?;
    drop(store);
    let mut config = Config::new(dir, Seed::Small);
    config.send_burst = 100_000;
    Ok((Server::start(config).await?, community))
}

async fn signed_in(url: &str, dir: &Path) -> R<Client> {
    let c = Client::open(dir, &url.parse()?, Options::default()).await?;
    c.login_demo("resident").await?;
    Ok(c)
}

/// The same rows inserted straight into an encrypted SQLite file, for the ratio.
fn raw_insert(dir: &Path, rows: &[(i64, String)]) -> R<f64> {
    let conn = rusqlite::Connection::open(dir.join("raw.db"))?;
    conn.pragma_update(None, "key", "x'2DD29CA851E7B56E4697B0E1F08507293D761A05CE4D1B628663F411A8086D99'")?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.execute_batch(
        "CREATE TABLE messages (id INTEGER PRIMARY KEY, community_id INTEGER NOT NULL, body TEXT NOT NULL) STRICT;
         CREATE INDEX messages_community ON messages (community_id, id);
         CREATE VIRTUAL TABLE messages_fts USING fts5 (body, content = 'messages', content_rowid = 'id',
             tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');
         CREATE TRIGGER messages_ai AFTER INSERT ON messages BEGIN
             INSERT INTO messages_fts (rowid, body) VALUES (new.id, new.body); END;",
    )?;
    let started = Instant::now();
    let mut conn = conn;
    for chunk in rows.chunks(2000) {
        let tx = conn.transaction()?;
        {
            let mut st = tx.prepare_cached("INSERT INTO messages (id, community_id, body) VALUES (?1, 1, ?2)")?;
            for (id, body) in chunk {
                st.execute(rusqlite::params![id, body])?;
            }
        }
        tx.commit()?;
    }
    Ok(rows.len() as f64 / started.elapsed().as_secs_f64())
}

async fn bench_first_sync() -> R {
    let sdir = tempfile::tempdir()?;
    let (server, community) = server_with(sdir.path(), 100_000).await?;
    let cdir = tempfile::tempdir()?;
    let client = signed_in(&server.url(), cdir.path()).await?;
    let started = Instant::now();
    let report = client.sync(&|_, _| {}).await?;
    let secs = started.elapsed().as_secs_f64();
    let rate = report.messages as f64 / secs;
    let rows: Vec<(i64, String)> = client
        .chats()
        .messages(community, None, 200_000)
        .await?
        .into_iter()
        .filter_map(|m| m.id.map(|id| (id.get(), m.body)))
        .collect();
    let raw = raw_insert(cdir.path(), &rows)?;
    println!(
        "first sync: {} messages ({} changes, {} pages) in {secs:.2} s = {rate:.0} messages/s; \
         straight SQLite insert of the same rows {raw:.0} rows/s; ratio {:.2} (goal ≥ 0.5)",
        report.messages,
        report.changes,
        report.pages,
        rate / raw
    );

    // Peak memory of the CLI doing the same sync.
    if let Some(cli) = std::env::var_os("DOMKOM_CLI").or_else(|| {
        let p = std::env::current_exe().ok()?.parent()?.parent()?.join("domkom");
        p.exists().then(|| p.into_os_string())
    }) {
        let ddir = tempfile::tempdir()?;
        let url = server.url();
        let run = |args: &[&str]| {
            std::process::Command::new(&cli).args(["--server", &url, "--data"]).arg(ddir.path()).args(args).spawn()
        };
        run(&["login", "--demo", "resident"])?.wait()?;
        let mut child = run(&["sync", "--json"])?;
        let pid = child.id();
        let mut peak_kb = 0u64;
        while child.try_wait()?.is_none() {
            if let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) {
                for l in status.lines().filter(|l| l.starts_with("VmHWM:")) {
                    peak_kb = peak_kb.max(l.split_whitespace().nth(1).and_then(|v| v.parse().ok()).unwrap_or(0));
                }
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        println!("domkom sync of the same 100,000 messages: peak memory (VmHWM) {:.1} MiB", peak_kb as f64 / 1024.0);
    } else {
        println!("domkom sync peak memory: skipped (build the CLI first: cargo build -p domkom-cli --release)");
    }
    drop(client);
    server.stop().await?;
    Ok(())
}

fn bench_search() -> R {
    let dir = tempfile::tempdir()?;
    let keyring = Keyring::new(&format!("bench-search-{}", std::process::id()));
    keyring.check()?;
    let (cache, _) = Cache::open(&dir.path().join("cache.db"), &keyring, Access::ReadWrite)?;
    let started = Instant::now();
    cache.write(|tx| {
        let mut st = tx.prepare(
            "INSERT INTO messages (id, community_id, author_id, author_name, author_role, client_key, body, created_at) \
             VALUES (?1, ?2, 1, 'Житель', 'resident', ?3, ?4, '2026-01-01T00:00:00Z')",
        )?;
        for i in 0..1_000_000u64 {
            st.execute(rusqlite::params![i as i64 + 1, (i % 40) as i64 + 1, format!("k{i}"), line(i)])?;
        }
        for c in 1..=40 {
            tx.execute(
                "INSERT INTO communities (id, kind, title, payload) VALUES (?1, 'house_chat', 'Дом', '{}')",
                [c],
            )?;
        }
        // Neighbours' reactions: one message in five has some, up to six people each.
        tx.execute_batch(
            "WITH RECURSIVE n(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM n WHERE k < 5) \
             INSERT INTO reactions (message_id, community_id, person_id, emoji) \
             SELECT m.id, m.community_id, 100 + n.k, CASE (m.id + n.k) % 3 WHEN 0 THEN '👍' WHEN 1 THEN '❤️' ELSE '🙏' END \
             FROM messages m JOIN n ON n.k < m.id % 7 WHERE m.id % 5 = 0",
        )?;
        Ok(())
    })?;
    println!("search: 1,000,000 messages cached in {:.1} s", started.elapsed().as_secs_f64());
    let queries = [
        "лифт",
        "протеч",
        "ПОДЪЕЗД уборка",
        "рәхмәт",
        "счет",
        "мастер заявка",
        "кош",
        "капремонт крыша",
        "999",
        "снег двор",
    ];
    let mut times = Vec::new();
    for round in 0..30 {
        for q in queries {
            let t = Instant::now();
            let hits = cache.search(q, 50)?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            if round == 0 && hits.is_empty() && q != "999" {
                println!("  (no hits for {q})");
            }
        }
    }
    times.sort_by(f64::total_cmp);
    println!(
        "search over 1,000,000 messages, {} queries of 50 results: p50 {:.2} ms, p99 {:.2} ms (goal p99 < 10 ms)",
        times.len(),
        percentile(&times, 0.5),
        percentile(&times, 0.99)
    );

    // The chat list plus the last 50 messages of a chat, as the app opens.
    let mut times = Vec::new();
    for i in 0..200 {
        let t = Instant::now();
        let list = cache.chat_list(chrono::Utc::now())?;
        let page = cache.messages(CommunityId((i % 40) + 1), None, 50)?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        assert!(list.len() <= 40 && page.len() <= 50);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "chat list + last 50 messages from the cache (1,000,000 cached): p50 {:.2} ms, p99 {:.2} ms (goal < 5 ms)",
        percentile(&times, 0.5),
        percentile(&times, 0.99)
    );
    keyring.delete(domkom_core::cache::KEY_NAME)?;
    Ok(())
}

fn written_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/io")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("write_bytes:")).and_then(|l| l[12..].trim().parse().ok()))
        .unwrap_or(0)
}

async fn bench_idle() -> R {
    let sdir = tempfile::tempdir()?;
    let (server, _) = server_with(sdir.path(), 0).await?;
    let cdir = tempfile::tempdir()?;
    let client = signed_in(&server.url(), cdir.path()).await?;
    client.sync(&|_, _| {}).await?;
    let (stop_tx, stop) = tokio::sync::watch::channel(false);
    let live = client.spawn_live(stop);
    tokio::time::sleep(Duration::from_secs(2)).await;
    let cache = domkom_core::cache_path(cdir.path());
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let wal = cache.with_extension("db-wal");
    let (before_io, before_db, before_wal) = (written_bytes(), size(&cache), size(&wal));
    let secs = std::env::var("DOMKOM_IDLE_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(60);
    tokio::time::sleep(Duration::from_secs(secs)).await;
    let written = written_bytes() - before_io;
    println!(
        "idle {secs} s with the push stream open: {written} bytes written by the process; cache file {} → {}, WAL {} → {} bytes (goal: zero)",
        before_db,
        size(&cache),
        before_wal,
        size(&wal)
    );
    let _ = stop_tx.send(true);
    live.await?;
    server.stop().await?;
    Ok(())
}

async fn bench_meters() -> R {
    let dir = tempfile::tempdir()?;
    let mut config = Config::new(dir.path(), Seed::Small);
    let at = chrono::DateTime::parse_from_rfc3339("2026-11-22T12:00:00+03:00")?.to_utc();
    config.clock = domkom_server::clock::Clock::pinned_at(at);
    let server = Server::start(config).await?;
    let cdir = tempfile::tempdir()?;
    let client = signed_in(&server.url(), cdir.path()).await?;
    client.sync(&|_, _| {}).await?;
    let mut view = Vec::new();
    let mut months = 0;
    for _ in 0..200 {
        let t = Instant::now();
        let meters = client.meters().list().await?;
        for m in &meters {
            months = months.max(client.meters().readings(m.device.id).await?.len());
        }
        view.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    view.sort_by(f64::total_cmp);
    let meters = client.meters().list().await?;
    let water = meters.iter().find(|m| m.device.zones == 1).ok_or("no one-zone meter")?;
    let base: f64 = water.last.as_ref().ok_or("no reading")?.t1.parse()?;
    server.stop().await?;
    let mut echo = Vec::new();
    for i in 0..50 {
        let value = format!("{:.3}", base + 1.0 + f64::from(i) * 0.01);
        let t = Instant::now();
        let written = client.meters().submit(water.device.id, &value, None, None, false).await?;
        echo.push(t.elapsed().as_secs_f64() * 1000.0);
        assert!(written.waiting.is_some(), "offline, the reading waits");
    }
    echo.sort_by(f64::total_cmp);
    println!(
        "meters view from the cache ({} meters, up to {months} readings each): p50 {:.2} ms, p99 {:.2} ms (goal < 100 ms)",
        meters.len(),
        percentile(&view, 0.5),
        percentile(&view, 0.99)
    );
    println!(
        "a reading's local echo (rules checked, queued, offline): p50 {:.2} ms, p99 {:.2} ms (goal < 50 ms)",
        percentile(&echo, 0.5),
        percentile(&echo, 0.99)
    );
    Ok(())
}

/// A file's size with its WAL, if any.
fn file_bytes(path: &Path) -> u64 {
    let wal = path.with_extension("db-wal");
    [path, wal.as_path()].iter().filter_map(|p| std::fs::metadata(p).ok()).map(|m| m.len()).sum()
}

/// Times `client.bills().list(account)`, the bills view's one read: (p50, p99) in ms.
async fn time_bills(client: &Client, account: domkom_domain::id::AccountId) -> R<(f64, f64, usize)> {
    let mut times = Vec::new();
    let mut n = 0;
    for _ in 0..200 {
        let t = Instant::now();
        n = client.bills().list(account).await?.len();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    Ok((percentile(&times, 0.5), percentile(&times, 0.99), n))
}

async fn bench_bills() -> R {
    let dir = tempfile::tempdir()?;
    let cdir = tempfile::tempdir()?;
    let server = Server::start(Config::new(dir.path(), Seed::Small)).await?;
    let client = signed_in(&server.url(), cdir.path()).await?;
    client.sync(&|_, _| {}).await?;
    let account = client.bills().accounts(None).await?.first().map(|a| a.id).ok_or("no account")?;
    let (p50, p99, n) = time_bills(&client, account).await?;
    println!("bills view from the cache ({n} bills): p50 {p50:.2} ms, p99 {p99:.2} ms (goal < 100 ms)");
    let listen = server.url().trim_start_matches("http://").parse()?;
    server.stop().await?;
    drop(client);
    let before = file_bytes(&cdir.path().join("cache.db"));

    // Eight more years before the seeded two: 120 bills of one account.
    let store = open_store(dir.path(), Seed::Small)?;
    add_older_bills(&store, "resident", 96)?;
    drop(store);
    let mut config = Config::new(dir.path(), Seed::Small);
    config.listen = listen;
    let server = Server::start(config).await?;
    let client = Client::open(cdir.path(), &server.url().parse()?, Options::default()).await?;
    client.sync(&|_, _| {}).await?;
    let (p50, p99, n) = time_bills(&client, account).await?;
    println!("bills view from the cache ({n} bills, 10 years): p50 {p50:.2} ms, p99 {p99:.2} ms (goal < 100 ms)");
    let json: usize =
        client.bills().list(account).await?.iter().map(|b| serde_json::to_vec(&b.bill).map_or(0, |v| v.len())).sum();
    drop(client);
    // Closed, the cache is one file again (its WAL checkpointed into it).
    let after = file_bytes(&cdir.path().join("cache.db"));
    let per_bill = after.saturating_sub(before) as f64 / 96.0;
    println!(
        "cache size for 10 years ({n} bills) of one account: {:.0} KiB on disk ({:.1} KiB a bill; the bills' JSON {:.0} KiB); whole cache {:.1} MiB",
        per_bill * 120.0 / 1024.0,
        per_bill / 1024.0,
        json as f64 / 1024.0,
        after as f64 / 1024.0 / 1024.0
    );
    server.stop().await?;
    Ok(())
}

/// The desk over a big organisation's queue: 50,000 tickets in the demo dispatcher's houses.
async fn bench_tickets() -> R {
    use domkom_core::ticket::{AssigneeFilter, TicketQuery};
    use domkom_domain::ticket::{TicketCategory, TicketStatus};
    const N: u32 = 50_000;
    let dir = tempfile::tempdir()?;
    let cdir = tempfile::tempdir()?;
    let store = open_store(dir.path(), Seed::Small)?;
    add_tickets(&store, "dispatcher", N)?;
    drop(store);
    let server = Server::start(Config::new(dir.path(), Seed::Small)).await?;
    let client = Client::open(cdir.path(), &server.url().parse()?, Options::default()).await?;
    client.login_demo("dispatcher").await?;
    let t = Instant::now();
    let report = client.sync(&|_, _| {}).await?;
    let sync_s = t.elapsed().as_secs_f64();
    let all = client.tickets().queue(TicketQuery::default()).await?;
    println!("dispatcher's first sync with {} tickets: {sync_s:.1} s ({} changes)", all.total, report.changes);
    let queries: Vec<(&str, TicketQuery)> = vec![
        ("whole queue, first page", TicketQuery::default()),
        (
            "open only",
            TicketQuery {
                statuses: vec![TicketStatus::New, TicketStatus::Accepted, TicketStatus::InWork],
                ..TicketQuery::default()
            },
        ),
        ("overdue", TicketQuery { overdue: true, ..TicketQuery::default() }),
        ("due within 24 h", TicketQuery { due_within_hours: Some(24), ..TicketQuery::default() }),
        (
            "category + unassigned",
            TicketQuery {
                categories: vec![TicketCategory::Leak],
                assignee: Some(AssigneeFilter::Nobody),
                ..TicketQuery::default()
            },
        ),
        (
            "period (a month)",
            TicketQuery { from: Some("2026-10-01".into()), to: Some("2026-11-01".into()), ..TicketQuery::default() },
        ),
        ("text «засор»", TicketQuery { text: Some("засор".into()), ..TicketQuery::default() }),
        ("deep page (offset 40,000)", TicketQuery { offset: 40_000, ..TicketQuery::default() }),
    ];
    for (name, q) in queries {
        let mut times = Vec::new();
        let mut total = 0;
        for _ in 0..60 {
            let t = Instant::now();
            total = client.tickets().queue(q.clone()).await?.total;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "desk queue, {name}: {total} tickets, p50 {:.1} ms, p99 {:.1} ms (goal p99 < 20 ms)",
            percentile(&times, 0.5),
            percentile(&times, 0.99)
        );
    }
    // The whole queue to a file, and the month's report.
    for format in [domkom_core::ticket::ExportFormat::Xlsx, domkom_core::ticket::ExportFormat::Csv] {
        let mut times = Vec::new();
        let mut size = 0;
        for _ in 0..3 {
            let t = Instant::now();
            let export = client.tickets().export(TicketQuery::default(), format, &Default::default()).await?;
            times.push(t.elapsed().as_secs_f64());
            size = export.bytes.len();
        }
        times.sort_by(f64::total_cmp);
        println!(
            "export of {} tickets to {}: median {:.2} s, worst {:.2} s, {:.1} MiB (goal < 2 s)",
            all.total,
            format.extension(),
            times[1],
            times[2],
            size as f64 / 1024.0 / 1024.0
        );
    }
    let mut times = Vec::new();
    for by in [domkom_core::ticket::ReportBy::House, domkom_core::ticket::ReportBy::Category].repeat(10) {
        let q = domkom_core::ticket::ReportQuery {
            from: Some("2026-10-01".into()),
            to: Some("2026-10-31".into()),
            ..Default::default()
        };
        let t = Instant::now();
        client.tickets().report(q, by).await?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "the month's report over {} tickets: p50 {:.1} ms, worst {:.1} ms",
        all.total,
        percentile(&times, 0.5),
        times[19]
    );
    drop(client);
    println!(
        "dispatcher's cache with {} tickets: {:.1} MiB",
        all.total,
        file_bytes(&cdir.path().join("cache.db")) as f64 / 1024.0 / 1024.0
    );
    server.stop().await?;
    Ok(())
}

/// The biggest management company's dispatcher of the Kazan seed: the first sync of every
/// ticket of its houses.
async fn bench_big_dispatcher() -> R {
    let dir = tempfile::tempdir()?;
    let cdir = tempfile::tempdir()?;
    let t = Instant::now();
    drop(open_store(dir.path(), Seed::Kazan)?);
    println!("kazan seed: {:.1} s", t.elapsed().as_secs_f64());
    let server = Server::start(Config::new(dir.path(), Seed::Kazan)).await?;
    let client = Client::open(cdir.path(), &server.url().parse()?, Options::default()).await?;
    client.login_demo("big-dispatcher").await?;
    let t = Instant::now();
    let report = client.sync(&|_, _| {}).await?;
    let sync_s = t.elapsed().as_secs_f64();
    let all = client.tickets().queue(domkom_core::ticket::TicketQuery::default()).await?;
    drop(client);
    println!(
        "big-dispatcher's first sync (Kazan seed): {} tickets, {} changes in {sync_s:.1} s; cache {:.1} MiB; {} open, {} overdue",
        all.total,
        report.changes,
        file_bytes(&cdir.path().join("cache.db")) as f64 / 1024.0 / 1024.0,
        all.counts.iter().filter(|c| !c.status.is_closed()).map(|c| c.count).sum::<u32>(),
        all.overdue
    );
    server.stop().await?;
    Ok(())
}

/// Messages in the chat of the house handed to another organisation.
const TRANSFER_MESSAGES: u64 = 100_000;

/// A change of management of a house whose chat holds 100,000 messages: from the
/// Inspection's transfer to the new organisation's dispatcher having the house, its tickets
/// and the chat's whole history in the cache.
async fn bench_transfer() -> R {
    let sdir = tempfile::tempdir()?;
    let cdir = tempfile::tempdir()?;
    let (server, community) = server_with(sdir.path(), TRANSFER_MESSAGES).await?;
    let url = server.url();
    let token = domkom_server::demo_token(sdir.path(), "inspector", Default::default())?;
    let inspection = domkom_testkit::ApiClient::new(&url, Some(token));
    let dispatcher = Client::open(cdir.path(), &url.parse()?, Options::default()).await?;
    dispatcher.login_demo("dispatcher").await?;
    dispatcher.sync(&|_, _| {}).await?;
    let house = dispatcher
        .chats()
        .list()
        .await?
        .into_iter()
        .find(|c| c.community_id == community)
        .and_then(|c| c.house_id)
        .ok_or("the dispatcher has the demo house")?;
    let ours = dispatcher.houses().get(house).await?.and_then(|h| h.org).ok_or("the house's organisation")?.id;
    let other = dispatcher.governance().orgs().await?.into_iter().find(|o| o.id != ours).ok_or("another org")?.id;
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let path = format!("/v1/houses/{house}/transfer");
    // Away to another organisation first, so the demo organisation is the one that gains it.
    let away = inspection.post(&path, &serde_json::json!({"org_id": other, "from": today})).await?;
    if away.status != 200 {
        return Err(format!("transfer away: {}", away.body).into());
    }
    dispatcher.sync(&|_, _| {}).await?;
    if dispatcher.houses().get(house).await?.is_some() {
        return Err("the old staff kept the house".into());
    }
    let t = Instant::now();
    let back = inspection.post(&path, &serde_json::json!({"org_id": ours, "from": today})).await?;
    let transfer_ms = t.elapsed().as_secs_f64() * 1000.0;
    if back.status != 200 {
        return Err(format!("transfer back: {}", back.body).into());
    }
    let t = Instant::now();
    let report = dispatcher.sync(&|_, _| {}).await?;
    let sync_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let messages = dispatcher.chats().fetch_history(community).await?;
    let history_s = t.elapsed().as_secs_f64();
    let tickets = dispatcher.tickets().queue(Default::default()).await?.total;
    println!(
        "transfer of a house with {TRANSFER_MESSAGES} chat messages: the transfer {transfer_ms:.0} ms; the new organisation's dispatcher synced the house ({} changes, {tickets} tickets in the queue) in {sync_s:.2} s and the chat's whole history ({messages} messages) in {history_s:.1} s: {:.1} s in all",
        report.changes,
        sync_s + history_s
    );
    drop(dispatcher);
    server.stop().await?;
    Ok(())
}

fn main() -> R {
    rlimit::increase_nofile_limit(8192)?;
    let filter: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let wanted = |name: &str| filter.is_empty() || filter.iter().any(|f| name.contains(f.as_str()));
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    if wanted("sync") {
        rt.block_on(bench_first_sync())?;
    }
    if wanted("big-dispatcher") {
        rt.block_on(bench_big_dispatcher())?;
    }
    if wanted("search") {
        bench_search()?;
    }
    if wanted("idle") {
        rt.block_on(bench_idle())?;
    }
    if wanted("meters") {
        rt.block_on(bench_meters())?;
    }
    if wanted("bills") {
        rt.block_on(bench_bills())?;
    }
    if wanted("tickets") {
        rt.block_on(bench_tickets())?;
    }
    if wanted("transfer") {
        rt.block_on(bench_transfer())?;
    }
    Ok(())
}
