//! Helpers of the core's session and keyring tests (the rest comes from domkom-testkit): a
//! few raw HTTP calls that check what the server thinks, and ways to look at the keyring
//! from outside (secret-tool, its files, a child process on a private keyring).
//!
//! The keyring tests need an unlocked Secret Service on the session bus; `./x test` runs
//! them on a private bus with a throwaway gnome-keyring (see `with_keyring` in `./x`).

#![allow(dead_code)] // Each test file uses its own part of this module.

use std::path::{Path, PathBuf};

use anyhow::Context;
use domkom_core::session::Session;
use domkom_testkit::{TestKeyring, TestServer};
use url::Url;

/// A session with `server` keeping its secrets in `keyring`.
pub fn session_of(server: &TestServer, keyring: &TestKeyring) -> anyhow::Result<Session> {
    Ok(Session::new(Url::parse(&server.url)?, keyring.store())?)
}

/// The HTTP status of `GET /v1/me` with a bearer token: whether the server takes it.
pub async fn me_status(server: &TestServer, access_token: &str) -> anyhow::Result<u16> {
    let url = Url::parse(&server.url)?.join("v1/me")?;
    let answer = reqwest::Client::new().get(url).bearer_auth(access_token).send().await?;
    Ok(answer.status().as_u16())
}

/// Presents a refresh token to the token endpoint directly; the status and error code.
pub async fn try_refresh(server: &TestServer, refresh_token: &str) -> anyhow::Result<(u16, String)> {
    let answer = reqwest::Client::new()
        .post(Url::parse(&server.url)?.join("oauth/token")?)
        .form(&[("grant_type", "refresh_token"), ("refresh_token", refresh_token), ("client_id", "domkom-desktop")])
        .send()
        .await?;
    let status = answer.status().as_u16();
    let body: serde_json::Value = answer.json().await?;
    let code = body.get("code").and_then(|c| c.as_str()).unwrap_or_default().to_owned();
    Ok((status, code))
}

/// Runs `secret-tool` (libsecret-tools), a separate process asking the Secret Service.
pub async fn secret_tool(args: &[&str]) -> anyhow::Result<std::process::Output> {
    tokio::process::Command::new("secret-tool")
        .args(args)
        .output()
        .await
        .context("cannot run secret-tool; install libsecret-tools")
}

/// Where gnome-keyring keeps its files.
pub fn keyrings_dir() -> Option<PathBuf> {
    let data = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".local/share")))?;
    Some(data.join("keyrings"))
}

/// The files under `dir` (recursively) whose bytes contain `needle`.
pub fn files_containing(dir: &Path, needle: &str) -> anyhow::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else if let Ok(bytes) = std::fs::read(&path)
                && bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
            {
                found.push(path);
            }
        }
    }
    Ok(found)
}

/// Runs one test of this test binary in a child process, with extra environment; the
/// child's combined output, after checking that it passed.
pub async fn run_child_test(name: &str, env: &[(&str, &str)]) -> anyhow::Result<String> {
    let exe = std::env::current_exe()?;
    let output = tokio::process::Command::new(exe)
        .args([name, "--exact", "--include-ignored", "--nocapture", "--test-threads=1"])
        .envs(env.iter().copied())
        .output()
        .await?;
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    anyhow::ensure!(output.status.success(), "child test {name} failed:\n{text}");
    anyhow::ensure!(text.contains("1 passed"), "child test {name} did not run:\n{text}");
    Ok(text)
}

/// Starts gnome-keyring with an unlocked login keyring (made on first use) as the default.
pub const UNLOCKED_KEYRING: &str = "echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null";

/// Runs one test of this test binary in a child process on a private session bus, in a
/// throwaway home, after the shell commands `setup` started (and perhaps spoiled) a keyring
/// there; `None` (with the reason printed) when the tools for that are missing.
pub async fn run_child_test_in_private_keyring(
    name: &str,
    setup: &str,
    env: &[(&str, &str)],
) -> anyhow::Result<Option<String>> {
    for tool in ["dbus-run-session", "gnome-keyring-daemon", "dbus-send", "secret-tool"] {
        let found = tokio::process::Command::new("sh").args(["-c", &format!("command -v {tool}")]).output().await?;
        if !found.status.success() {
            eprintln!("skipped: {tool} is not installed, so no private keyring can be made");
            return Ok(None);
        }
    }
    let home = tempfile::tempdir()?;
    let home_path = home.path().to_string_lossy().into_owned();
    // gnome-keyring finds a running daemon through its control socket in the runtime
    // directory: a private one keeps this keyring and the one of the whole run apart.
    let runtime = home.path().join("run");
    std::fs::create_dir(&runtime)?;
    std::fs::set_permissions(&runtime, std::os::unix::fs::PermissionsExt::from_mode(0o700))?;
    let exe = std::env::current_exe()?.to_string_lossy().into_owned();
    // gnome-keyring does not always exit with its bus, so the script stops whichever
    // daemon serves this bus once the test is done.
    let script = format!(
        "{setup}; \"$0\" \"$@\"; status=$?; \
         pid=$(dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
               org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets 2>/dev/null \
               | awk '/uint32/ {{print $2}}'); \
         [ -n \"$pid\" ] && kill \"$pid\"; exit $status"
    );
    let output = tokio::process::Command::new("dbus-run-session")
        .args(["--", "sh", "-c", &script, &exe, name, "--exact", "--include-ignored", "--nocapture"])
        .env("HOME", &home_path)
        .env("XDG_DATA_HOME", format!("{home_path}/data"))
        .env("XDG_CACHE_HOME", format!("{home_path}/cache"))
        .env("XDG_RUNTIME_DIR", &runtime)
        .env_remove("GNOME_KEYRING_CONTROL")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .envs(env.iter().copied())
        .output()
        .await?;
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    anyhow::ensure!(output.status.success(), "child test {name} failed:\n{text}");
    anyhow::ensure!(text.contains("1 passed"), "child test {name} did not run:\n{text}");
    Ok(Some(text))
}
