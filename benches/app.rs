//! Measurements of the desktop app in its real window (Xvfb, tauri-driver), printed as
//! figures by `./x bench`:
//! - cold start: launching the app until the chat list is painted from the cache;
//! - opening a house chat with 100,000 cached messages: time to the first painted timeline
//!   (goal < 300 ms) and the DOM nodes inside the timeline (goal < 300);
//! - memory of the app's processes together (the main process and WebKit's: the sum of
//!   their PSS, with RSS and anonymous memory printed beside it) with 1,000,000 messages
//!   cached (goal < 300 MB);
//! - the meters and the bills views: from the click on their tab to the first frame painted
//!   with the view (goal < 100 ms each), read from the cache;
//! - the dispatcher's desk over a queue of 50,000 cached tickets: from the click on its tab
//!   to the first frame painted with the queue's rows (goal < 200 ms), and the DOM nodes in
//!   the queue at its top and in its middle (bounded by the rows in view, not the tickets).

#[path = "../tests/e2e/support.rs"]
mod support;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use domkom_core::cache::{Access, Cache};
use domkom_core::secrets::Keyring;
use domkom_core::{Client, Options};
use domkom_domain::chat::CommunityKind;
use serde_json::json;
use support::{App, Display, Launch, Persona, TestResult, TestServer, fail};

/// Messages in the opened house chat, and in the whole cache.
const IN_HOUSE: u64 = 100_000;
const IN_CACHE: u64 = 1_000_000;
/// Tickets added to the demo dispatcher's houses for the desk.
const DESK_TICKETS: u32 = 50_000;

/// Signs the resident in, syncs, then fills the cache: 100,000 messages in their house chat
/// and the rest in another community, 1,000,000 in all. Returns the house chat.
async fn filled_cache(server: &str, data: &Path) -> TestResult<i64> {
    let client = Client::open(data, &server.parse()?, Options::default()).await?;
    let keyring = Arc::new(Keyring::new(&client.profile().id));
    client.login_demo(Persona::Resident.key()).await?;
    client.sync(&|_, _| {}).await?;
    let chats = client.chats().list().await?;
    let Some(house) = chats.iter().find(|c| c.kind == CommunityKind::HouseChat) else {
        return fail("the resident has no house chat");
    };
    let community = house.community_id;
    drop(client);
    let started = Instant::now();
    let (cache, _) = Cache::open(&domkom_core::cache_path(data), keyring.as_ref(), Access::ReadWrite)?;
    cache.write(|tx| {
        let mut st = tx.prepare(
            "INSERT INTO messages (id, community_id, author_id, author_name, author_role, client_key, body, created_at) \
             VALUES (?1, ?2, 1, 'Житель', 'resident', ?3, ?4, ?5)",
        )?;
        for i in 0..IN_CACHE {
            let chat = if i < IN_HOUSE { community.get() } else { 900_000 + (i % 40) as i64 };
            // Oldest first, a minute apart, all before the seed's own messages.
            let at = chrono_like(i);
            st.execute(rusqlite::params![
                10_000_000 + i as i64,
                chat,
                format!("bench-{i}"),
                format!("Сообщение номер {i}: лифт, подъезд, двор"),
                at
            ])?;
        }
        Ok(())
    })?;
    println!(
        "app: {IN_CACHE} messages cached ({IN_HOUSE} in the house chat) in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(community.get())
}

/// A timestamp `i` minutes after 2020-01-01, as RFC 3339.
fn chrono_like(i: u64) -> String {
    let minutes = i % 60;
    let hours = (i / 60) % 24;
    let days = i / 1440;
    let (year, day) = (2020 + days / 365, days % 365);
    let (month, mday) = (1 + day / 31 % 12, 1 + day % 28);
    format!("{year}-{month:02}-{mday:02}T{hours:02}:{minutes:02}:00Z")
}

/// Parent of every process, from /proc.
fn parents() -> HashMap<u32, u32> {
    let mut map = HashMap::new();
    let Ok(dir) = std::fs::read_dir("/proc") else { return map };
    for entry in dir.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        if let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat"))
            && let Some(after) = stat.rsplit_once(')').map(|(_, a)| a)
            && let Some(ppid) = after.split_whitespace().nth(1).and_then(|p| p.parse().ok())
        {
            map.insert(pid, ppid);
        }
    }
    map
}

/// The app's process (below tauri-driver) with all its descendants (WebKit's processes).
fn app_processes(driver: u32) -> Vec<(u32, String)> {
    let parents = parents();
    let descends = |mut pid: u32, from: u32| {
        while let Some(&p) = parents.get(&pid) {
            if p == from {
                return true;
            }
            if p <= 1 {
                return false;
            }
            pid = p;
        }
        false
    };
    let name = |pid: u32| std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default().trim().to_owned();
    let Some(app) = parents.keys().copied().find(|&p| descends(p, driver) && name(p).starts_with("domkom-app")) else {
        return Vec::new();
    };
    let mut all = vec![(app, name(app))];
    all.extend(parents.keys().copied().filter(|&p| descends(p, app)).map(|p| (p, name(p))));
    all
}

/// A process's memory in KiB, from /proc/PID/smaps_rollup: `Rss` counts every page it
/// touches, shared libraries included, so a sum over processes counts WebKit's libraries
/// once per process; `Pss` shares each page among the processes mapping it, so the sum is
/// what the processes take together; `Anonymous` is its own heap and stacks.
#[derive(Default, Clone, Copy)]
struct Memory {
    rss: u64,
    pss: u64,
    anon: u64,
}

fn memory_kib(pid: u32) -> Memory {
    let text = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(':'))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap_or(0)
    };
    Memory { rss: field("Rss"), pss: field("Pss"), anon: field("Anonymous") }
}

async fn measure() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let mut server = TestServer::start().await?;
    let data = tmp.path().join("app");
    let community = filled_cache(&server.url.clone(), &data).await?;
    let display = Display::start()?;

    let started = Instant::now();
    let app = App::launch(Launch {
        display: &display,
        server: server.url.clone(),
        data_dir: data,
        home: tmp.path().join("home"),
        name: "bench",
    })
    .await?;
    app.wait_for(&format!("[data-testid=chat-list-item-{community}]"), Duration::from_secs(60)).await?;
    let cold = started.elapsed();
    println!(
        "app: cold start to the chat list painted from the cache: {} ms (launch through WebDriver included)",
        cold.as_millis()
    );

    // The UI opens the chat at start, so time a fresh page over the same cache: from the
    // document's start (performance.now() counts from it) to the UI's mark two frames after
    // the timeline first laid out its rows, i.e. once a frame with them was painted.
    app.exec_async(
        "const [id, done] = arguments;
         document.querySelector(`[data-testid=chat-list-item-${id}]`).click();
         const poll = () => document.querySelector('[data-testid=timeline] [data-state]') ? done(true) : requestAnimationFrame(poll);
         poll();",
        json!([community]),
    )
    .await?;
    app.exec("window.__benchOld = 1; setTimeout(() => location.reload(), 10);", json!([])).await?;
    let deadline = Instant::now() + Duration::from_secs(30);
    let opened = loop {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let v = app
            .exec_async(
                "const [done] = arguments;
                 if (window.__benchOld) { done(null); return; }
                 const poll = () => {
                     const tl = document.querySelector('[data-testid=timeline]');
                     const painted = performance.getEntriesByName('domkom:timeline-painted')[0];
                     if (tl && tl.querySelector('[data-state]') && painted) {
                         requestAnimationFrame(() => done({
                             ms: painted.startTime,
                             nodes: tl.querySelectorAll('*').length,
                             steps: [
                                 ...performance.getEntriesByType('resource').map((e) => [e.name.split('/').pop().slice(0, 24), e.responseEnd]),
                                 ['DOMContentLoaded', performance.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd ?? 0],
                                 ...performance.getEntriesByType('mark').map((e) => [e.name, e.startTime]),
                             ],
                         }));
                     } else { requestAnimationFrame(poll); }
                 };
                 poll();",
                json!([]),
            )
            .await;
        match v {
            Ok(v) if !v.is_null() => break v,
            _ if Instant::now() > deadline => return fail("the timeline did not paint after a reload"),
            _ => {}
        }
    };
    app.screenshot("bench-100k-house").await?;
    let ms = opened["ms"].as_f64().unwrap_or(f64::NAN);
    let nodes = opened["nodes"].as_u64().unwrap_or(0);
    println!(
        "app: open a house chat with {IN_HOUSE} cached messages: first paint of the timeline {ms:.0} ms from the page's start, UI boot included (goal < 300)"
    );
    let steps: Vec<String> = opened["steps"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|step| Some(format!("{} {:.0}", step.get(0)?.as_str()?, step.get(1)?.as_f64()?)))
        .collect();
    println!("app:   where the time went (ms from the page's start): {}", steps.join(", "));
    println!("app: DOM nodes in the timeline: {nodes} (goal < 300)");
    // Scroll back a little, as a person would, before measuring memory.
    app.exec("const tl = document.querySelector('[data-testid=timeline]'); if (tl) tl.scrollTop = 0;", json!([]))
        .await?;
    tokio::time::sleep(Duration::from_secs(3)).await;

    let processes: Vec<(String, Memory)> =
        app_processes(app.driver.0.id()).into_iter().map(|(pid, name)| (name, memory_kib(pid))).collect();
    let mb = |kib: u64| kib / 1024;
    let sum = |f: fn(&Memory) -> u64| mb(processes.iter().map(|(_, m)| f(m)).sum());
    let each: Vec<String> = processes
        .iter()
        .map(|(n, m)| format!("{n}: PSS {} MB, RSS {} MB, anonymous {} MB", mb(m.pss), mb(m.rss), mb(m.anon)))
        .collect();
    println!(
        "app: memory of the app's processes together with {IN_CACHE} messages cached: PSS {} MB (goal < 300); RSS summed {} MB; anonymous {} MB [{}]",
        sum(|m| m.pss),
        sum(|m| m.rss),
        sum(|m| m.anon),
        each.join("; ")
    );
    for (tab, shown) in [
        ("nav-meters", "[data-testid=meters] article [data-testid=meter-last]"),
        ("nav-bills", "[data-testid=bill] [data-testid=bill-total]"),
    ] {
        let (median, worst) = click_to_paint(&app, tab, shown).await?;
        println!(
            "app: {tab}: click to the view painted from the cache, median {median:.0} ms, worst {worst:.0} ms of 7 (goal < 100)"
        );
    }
    app.screenshot("bench-bills").await?;

    app.quit().await?;
    modlog(&mut server, &display, tmp.path()).await?;
    desk(server, &display, tmp.path()).await
}

/// Entries added to the demo house's moderation log.
const LOG_ENTRIES: u64 = 10_000;

/// The moderation log of the demo house with 10,000 entries: from the click on its tab to
/// the entries painted, the first time (reading the cache) and again.
async fn modlog(server: &mut TestServer, display: &Display, tmp: &Path) -> TestResult {
    server.stop().await?;
    let store = domkom_server::open_store(server.data_dir(), domkom_server::seed::Seed::Small)?;
    let (community, _) = domkom_server::testing::demo_member(&store, "resident")?;
    domkom_server::testing::add_mod_log(&store, community, LOG_ENTRIES)?;
    drop(store);
    server.restart().await?;
    let data = tmp.join("modlog");
    let client = Client::open(&data, &server.url.parse()?, Options::default()).await?;
    client.login_demo(Persona::Resident.key()).await?;
    let started = Instant::now();
    client.sync(&|_, _| {}).await?;
    let synced = started.elapsed();
    let cached = client.moderation().log(community, None, 100_000).await?.len();
    drop(client);
    println!("app: a first sync with a moderation log of {cached} entries took {:.1} s", synced.as_secs_f64());
    let app = App::launch(Launch {
        display,
        server: server.url.clone(),
        data_dir: data,
        home: tmp.join("home-modlog"),
        name: "bench-modlog",
    })
    .await?;
    let chat = app.wait_for(&format!("[data-testid=chat-list-item-{community}]"), Duration::from_secs(60)).await?;
    app.click(&chat).await?;
    app.wait_for("[data-testid=nav-modlog]", Duration::from_secs(30)).await?;
    let entry = "[data-testid=modlog] [data-testid=modlog-entry]";
    let first = click_to_paint_once(&app, "nav-modlog", entry).await?;
    let (median, worst) = click_to_paint(&app, "nav-modlog", entry).await?;
    println!(
        "app: the moderation log of {cached} cached entries: click to the entries painted, first {first:.0} ms, then median {median:.0} ms, worst {worst:.0} ms of 7 (goal < 100)"
    );
    app.screenshot("bench-modlog").await?;
    app.quit().await?;
    Ok(())
}

/// Times one click on a tab until a frame is painted with `shown`, in ms.
async fn click_to_paint_once(app: &App, tab: &str, shown: &str) -> TestResult<f64> {
    let ms = app
        .exec_async(
            "const [tab, shown, done] = arguments;
             const t0 = performance.now();
             document.querySelector(`[data-testid=${tab}]`).click();
             const poll = () => document.querySelector(shown)
                 ? requestAnimationFrame(() => done(performance.now() - t0))
                 : requestAnimationFrame(poll);
             poll();",
            json!([tab, shown]),
        )
        .await?;
    Ok(ms.as_f64().unwrap_or(f64::NAN))
}

/// Times a click on a tab until a frame is painted with `shown`, 7 times: the median and
/// the worst, in ms.
async fn click_to_paint(app: &App, tab: &str, shown: &str) -> TestResult<(f64, f64)> {
    let mut times = Vec::new();
    for _ in 0..7 {
        let ms = app
            .exec_async(
                "const [tab, shown, done] = arguments;
                 document.querySelector('[data-testid=nav-chat]').click();
                 requestAnimationFrame(() => requestAnimationFrame(() => {
                     const t0 = performance.now();
                     document.querySelector(`[data-testid=${tab}]`).click();
                     const poll = () => document.querySelector(shown)
                         ? requestAnimationFrame(() => done(performance.now() - t0))
                         : requestAnimationFrame(poll);
                     poll();
                 }));",
                json!([tab, shown]),
            )
            .await?;
        times.push(ms.as_f64().unwrap_or(f64::NAN));
    }
    times.sort_by(f64::total_cmp);
    Ok((times[times.len() / 2], times[times.len() - 1]))
}

/// The dispatcher's desk over 50,000 cached tickets.
async fn desk(mut server: TestServer, display: &Display, tmp: &Path) -> TestResult {
    server.stop().await?;
    let store = domkom_server::open_store(server.data_dir(), domkom_server::seed::Seed::Small)?;
    domkom_server::testing::add_tickets(&store, "dispatcher", DESK_TICKETS)?;
    drop(store);
    server.restart().await?;
    let data = tmp.join("desk");
    let client = Client::open(&data, &server.url.parse()?, Options::default()).await?;
    client.login_demo(Persona::Dispatcher.key()).await?;
    client.sync(&|_, _| {}).await?;
    let total = client.tickets().queue(Default::default()).await?.total;
    drop(client);
    let app = App::launch(Launch {
        display,
        server: server.url.clone(),
        data_dir: data,
        home: tmp.join("home-desk"),
        name: "bench-desk",
    })
    .await?;
    let chat = app.wait_for("[data-testid^=chat-list-item-]", Duration::from_secs(60)).await?;
    app.click(&chat).await?;
    app.wait_for("[data-testid=nav-tickets]", Duration::from_secs(30)).await?;
    let row = "[data-testid=ticket-queue] [data-testid=queue-row]";
    let (median, worst) = click_to_paint(&app, "nav-tickets", row).await?;
    println!(
        "app: the desk over {total} cached tickets: click to the queue painted, median {median:.0} ms, worst {worst:.0} ms of 7 (goal < 200)"
    );
    let count = "return document.querySelector('[data-testid=ticket-queue]').querySelectorAll('*').length";
    let top = app.exec(count, json!([])).await?;
    app.exec_async(
        "const [done] = arguments;
         const q = document.querySelector('[data-testid=ticket-queue]');
         q.scrollTop = q.scrollHeight / 2;
         q.dispatchEvent(new Event('scroll'));
         const poll = () => q.querySelector('.qrow.loading') ? requestAnimationFrame(poll) : requestAnimationFrame(() => done(true));
         setTimeout(poll, 50);",
        json!([]),
    )
    .await?;
    let middle = app.exec(count, json!([])).await?;
    app.screenshot("bench-desk-middle").await?;
    println!(
        "app: DOM nodes in the desk's queue of {total}: {top} at the top, {middle} in the middle (bounded by the rows in view)"
    );
    app.quit().await?;
    server.stop().await?;
    Ok(())
}

fn main() -> TestResult {
    let filter: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    if !filter.is_empty() && !filter.iter().any(|f| "app".contains(f.as_str())) {
        return Ok(());
    }
    tokio::runtime::Builder::new_multi_thread().enable_all().build()?.block_on(measure())
}
