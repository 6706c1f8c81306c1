//! The `domkom` CLI as a script uses it, against the real backend on port 0 and the real
//! keyring: sign in, sync, read, send, search, status, sign out, exit codes; and a first
//! sync killed with SIGKILL twenty times that resumes without damage or doubles.

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use rand::{Rng, SeedableRng};
use serde_json::Value;

use domkom_server::seed::Seed;
use domkom_server::{Config, Server, open_store, testing};

type TestResult<T = ()> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

fn domkom(server: &str, data: &Path, args: &[&str]) -> TestResult<Output> {
    Ok(Command::new(env!("CARGO_BIN_EXE_domkom"))
        .arg("--server")
        .arg(server)
        .arg("--data")
        .arg(data)
        .args(args)
        .output()?)
}

fn json(out: &Output) -> TestResult<Value> {
    assert!(out.status.success(), "failed: {}", String::from_utf8_lossy(&out.stderr));
    Ok(serde_json::from_slice(&out.stdout)?)
}

async fn start(dir: &Path) -> TestResult<Server> {
    Ok(Server::start(Config::new(dir, Seed::Small)).await?)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_script_signs_in_syncs_reads_sends_and_signs_out() -> TestResult {
    let sdir = tempfile::tempdir()?;
    let server = start(sdir.path()).await?;
    let url = server.url();
    let data = tempfile::tempdir()?;
    let d = data.path();

    // Before signing in: a clear "not signed in" and exit code 3.
    let out = domkom(&url, d, &["sync"])?;
    assert_eq!(out.status.code(), Some(3), "{}", String::from_utf8_lossy(&out.stderr));

    let who = json(&domkom(&url, d, &["login", "--demo", "resident", "--json"])?)?;
    assert_eq!(who["name"], "Сафина Алсу Ринатовна");
    let report = json(&domkom(&url, d, &["sync", "--json"])?)?;
    assert!(report["messages"].as_i64().unwrap_or(0) > 50);

    let houses = json(&domkom(&url, d, &["houses", "--json"])?)?;
    let chat = houses.as_array().and_then(|h| h.iter().find(|c| c["kind"] == "house_chat")).ok_or("a house chat")?;
    let id = chat["community_id"].as_i64().ok_or("id")?.to_string();

    let page = json(&domkom(&url, d, &["chat", &id, "--limit", "5", "--json"])?)?;
    assert_eq!(page.as_array().map(Vec::len), Some(5));
    let oldest = page[0]["id"].as_i64().ok_or("id")?.to_string();
    let older = json(&domkom(&url, d, &["chat", &id, "--limit", "5", "--before", &oldest, "--json"])?)?;
    assert!(older.as_array().unwrap().iter().all(|m| m["id"].as_i64() < oldest.parse().ok()));

    let sent = json(&domkom(&url, d, &["send", &id, "Протечка в подвале, третий подъезд", "--json"])?)?;
    assert_eq!(sent["state"], "sent");
    let hits = json(&domkom(&url, d, &["search", "ПРОТЕЧ подвал", "--json"])?)?;
    assert!(hits.as_array().unwrap().iter().any(|h| h["snippet"].to_string().contains("Протечка")));

    let status = json(&domkom(&url, d, &["status", "--json"])?)?;
    assert!(status["cursor"].as_i64().unwrap_or(0) > 0);
    assert_eq!(status["outbox_pending"], 0);

    // Bad input: a clear message and exit code 2; an empty message is refused locally.
    let out = domkom(&url, d, &["chat", "987654", "--json"])?;
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("\"kind\":\"invalid\""));
    assert_eq!(domkom(&url, d, &["send", &id, "   "])?.status.code(), Some(2));

    // The server goes away: a send is queued (exit 4), and delivered once it is back.
    let addr = server.addr;
    server.stop().await?;
    let out = domkom(&url, d, &["send", &id, "Отправлено без сети", "--json"])?;
    assert_eq!(out.status.code(), Some(4), "{}", String::from_utf8_lossy(&out.stderr));
    let mut config = Config::new(sdir.path(), Seed::Small);
    config.listen = addr;
    let server = Server::start(config).await?;
    json(&domkom(&url, d, &["sync", "--json"])?)?;
    let page = json(&domkom(&url, d, &["chat", &id, "--limit", "3", "--json"])?)?;
    let copies = page.as_array().unwrap().iter().filter(|m| m["body"] == "Отправлено без сети").count();
    assert_eq!(copies, 1);
    assert!(page.as_array().unwrap().iter().all(|m| m["state"] == "sent"));

    json(&domkom(&url, d, &["logout", "--json"])?)?;
    assert!(!domkom_core::cache_path(d).exists(), "the cache is gone");
    assert_eq!(domkom(&url, d, &["sync"])?.status.code(), Some(3));
    server.stop().await?;
    Ok(())
}

/// Adds `n` messages by the chair to the demo resident's chat.
fn add_messages(dir: &Path, n: u64) -> TestResult<i64> {
    let store = open_store(dir, Seed::Small)?;
    let (community, chair) = testing::demo_member(&store, "chair")?;
    testing::add_messages(&store, community, chair, n, "2026-01-01T00:00:00Z", |i| {
        format!("Архивное сообщение {i} о ремонте кровли")
    })?;
    Ok(community)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_first_sync_killed_twenty_times_resumes_intact() -> TestResult {
    let _ = tracing_subscriber::fmt().with_env_filter("domkom_server=info").with_test_writer().try_init();
    let sdir = tempfile::tempdir()?;
    let community = add_messages(sdir.path(), 40_000)?;
    let server = start(sdir.path()).await?;
    let url = server.url();
    let data = tempfile::tempdir()?;
    let d = data.path();
    json(&domkom(&url, d, &["login", "--demo", "resident", "--json"])?)?;

    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let mut cursors = Vec::new();
    for _ in 0..20 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_domkom"))
            .args(["--server", &url, "--data"])
            .arg(d)
            .args(["sync", "--json"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()?;
        // Kill once the sync has written a random amount more (so the kill lands inside the
        // sync however slow the machine is), or at a random early moment now and then.
        let wal = domkom_core::cache_path(d).with_file_name("cache.db-wal");
        let size = || std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
        let start = size();
        let grow = rng.random_range(16_000..400_000u64);
        let early = rng.random_bool(0.15).then(|| Duration::from_millis(rng.random_range(5..300)));
        let began = std::time::Instant::now();
        loop {
            if child.try_wait()?.is_some() {
                break;
            }
            match early {
                Some(at) if began.elapsed() >= at => break,
                None if size() >= start + grow => break,
                _ => {}
            }
            if began.elapsed() > Duration::from_secs(60) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        child.kill()?; // SIGKILL
        child.wait()?;
        let status = json(&domkom(&url, d, &["status", "--json"])?)?;
        cursors.push(status["cursor"].as_i64().unwrap_or(0));
    }
    assert!(cursors.windows(2).all(|w| w[0] <= w[1]), "the cursor never goes back: {cursors:?}");
    let last = json(&domkom(&url, d, &["sync", "--json"])?)?["cursor"].as_i64().unwrap_or(0);
    let midway = cursors.iter().filter(|&&c| c > 0 && c < last).count();
    eprintln!("cursors after each kill: {cursors:?}; final {last}");
    assert!(midway >= 3, "kills landed in the middle of the sync: {cursors:?}");

    // Look into the cache file: intact, and every message once.
    let keyring = domkom_core::secrets::Keyring::new(&domkom_core::secrets::profile_for(d, &url));
    let (cache, _) = domkom_core::cache::Cache::open(&domkom_core::cache_path(d), &keyring)?;
    let (integrity, total, distinct_keys, in_chat): (String, i64, i64, i64) = cache.read(|c| {
        Ok(c.query_row(
            "SELECT (SELECT integrity_check FROM pragma_integrity_check), count(*), count(DISTINCT client_key), \
             sum(community_id = ?1) FROM messages",
            [community],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?)
    })?;
    assert_eq!(integrity, "ok");
    assert_eq!(total, distinct_keys, "nothing doubled");
    let expected: i64 = open_store(sdir.path(), Seed::None)?.with_writer(|c| {
        c.query_row("SELECT count(*) FROM messages WHERE community_id = ?1", [community], |r| r.get(0))
    })?;
    assert_eq!(in_chat, expected, "every message of the chat arrived");
    server.stop().await?;
    Ok(())
}
