//! Sign-in against the real reference backend, with the refresh token in the real OS keyring.

mod common;

use std::time::Duration;

use common::{me_status, session_of, try_refresh};
use domkom_core::CoreError;
use domkom_core::secrets::{Keyring, SecretStore};
use domkom_core::session::{REFRESH_TOKEN, Session};
use domkom_testkit::{Seed, TestKeyring, TestResult, TestServer};

/// Set in a child process to the name of the helper test it should run.
const CHILD: &str = "DOMKOM_TEST_CHILD";

/// Set in a child process to what the keyring error it meets must say.
const EXPECT: &str = "DOMKOM_TEST_EXPECT";

/// Set in a child process to the keyring profile it should use.
const PROFILE: &str = "DOMKOM_TEST_PROFILE";

#[tokio::test]
async fn demo_login_keeps_the_refresh_token_only_in_the_keyring() -> TestResult {
    let server = TestServer::start().await?;
    let keys = TestKeyring::new();
    let session = session_of(&server, &keys)?;
    assert!(!session.has_session()?);

    let person = session.login_demo("resident").await?;
    assert!(person.trusted);
    assert_eq!(session.person().await, Some(person));
    assert!(session.has_session()?);
    let access = session.access_token().await?;
    assert_eq!(me_status(&server, &access).await?, 200);

    // Another process asking the Secret Service sees the refresh token, and only it.
    let refresh = keys.refresh_token()?.expect("a refresh token in the keyring");
    let lookup = common::secret_tool(&["lookup", "service", "domkom", "username", &keys.user(REFRESH_TOKEN)]).await?;
    assert_eq!(String::from_utf8(lookup.stdout)?.trim_end(), refresh);
    let all = common::secret_tool(&["search", "--all", "service", "domkom"]).await?;
    let all = format!("{}{}", String::from_utf8_lossy(&all.stdout), String::from_utf8_lossy(&all.stderr));
    let ours: Vec<&str> =
        all.lines().filter(|l| l.starts_with("attribute.username") && l.contains(&keys.profile)).collect();
    assert_eq!(ours, vec![format!("attribute.username = {}", keys.user(REFRESH_TOKEN))], "{all}");
    assert!(!all.contains(&access), "the access token is in the keyring");

    // Neither token is on disk in plain text: not in the server's files (only hashes),
    // not in the keyring's files (encrypted).
    let mut dirs = vec![server.data_dir().to_owned()];
    dirs.extend(common::keyrings_dir());
    for dir in &dirs {
        for token in [&access, &refresh] {
            let found = common::files_containing(dir, token)?;
            assert!(found.is_empty(), "a token in plain text in {found:?}");
        }
    }
    Ok(())
}

#[tokio::test]
async fn a_restart_signs_in_from_the_keyring() -> TestResult {
    let server = TestServer::start().await?;
    let keys = TestKeyring::new();
    let first = session_of(&server, &keys)?.login_demo("resident").await?;
    let spent = keys.refresh_token()?.expect("a refresh token");

    // A new session and a new keyring object of the same profile: the app restarted.
    let again = Session::new(server.base()?, std::sync::Arc::new(Keyring::new(&keys.profile)))?;
    assert!(again.has_session()?);
    assert_eq!(again.person().await, None);
    let access = again.access_token().await?;
    assert_eq!(me_status(&server, &access).await?, 200);
    assert_eq!(again.person().await.map(|p| p.id), Some(first.id));
    let rotated = keys.refresh_token()?.expect("a refresh token");
    assert_ne!(rotated, spent, "the refresh token was not rotated");

    // Another process with the same profile: the secret lives in the Secret Service, not in
    // this process.
    let url = server.url.to_string();
    let out = common::run_child_test(
        "child_signs_in_from_the_keyring",
        &[(CHILD, "restart"), ("DOMKOM_TEST_SERVER", &url), (PROFILE, &keys.profile)],
    )
    .await?;
    assert!(out.contains(&format!("child signed in as {}", first.id)), "{out}");
    let after_child = keys.refresh_token()?.expect("a refresh token");
    assert_ne!(after_child, rotated, "the child did not rotate the refresh token");

    // This process reads the child's rotation from the keyring rather than reusing its own
    // spent token (which would revoke the session everywhere).
    again.invalidate_access().await;
    let renewed = again.access_token().await?;
    assert_ne!(renewed, access);
    assert_eq!(me_status(&server, &renewed).await?, 200);
    Ok(())
}

/// Run by `a_restart_signs_in_from_the_keyring` in a child process.
#[tokio::test]
#[ignore = "a helper run in a child process by a_restart_signs_in_from_the_keyring"]
async fn child_signs_in_from_the_keyring() -> TestResult {
    if std::env::var(CHILD).as_deref() != Ok("restart") {
        return Ok(());
    }
    let server = url::Url::parse(&std::env::var("DOMKOM_TEST_SERVER")?)?;
    let profile = std::env::var(PROFILE)?;
    let session = Session::new(server, std::sync::Arc::new(Keyring::new(&profile)))?;
    session.access_token().await?;
    let person = session.person().await.expect("the person is known after a renewal");
    println!("child signed in as {}", person.id);
    Ok(())
}

#[tokio::test]
async fn the_access_token_is_renewed_when_it_expires() -> TestResult {
    let server = TestServer::start_with(Seed::Small, |config| config.tokens.access_ttl = 2).await?;
    let keys = TestKeyring::new();
    let session = session_of(&server, &keys)?;
    session.login_demo("resident").await?;
    let first = session.access_token().await?;
    assert_eq!(me_status(&server, &first).await?, 200);
    let spent = keys.refresh_token()?.expect("a refresh token");

    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(me_status(&server, &first).await?, 401, "the server still takes the old access token");
    let second = session.access_token().await?;
    assert_ne!(second, first);
    assert_eq!(me_status(&server, &second).await?, 200);
    assert_ne!(keys.refresh_token()?.expect("a refresh token"), spent);
    Ok(())
}

#[tokio::test]
async fn offline_the_held_token_serves_to_its_end() -> TestResult {
    // With 2 s tokens, renewal is due after 1 s and the token dies after 2 s.
    let mut server = TestServer::start_with(Seed::Small, |config| config.tokens.access_ttl = 2).await?;
    let keys = TestKeyring::new();
    let session = session_of(&server, &keys)?;
    session.login_demo("resident").await?;
    let held = session.access_token().await?;
    server.stop().await?;

    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(session.access_token().await?, held, "a renewal failed offline, and the live token was dropped");
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let late = session.access_token().await;
    assert!(matches!(late, Err(CoreError::Network { .. })), "{late:?}");
    assert!(keys.refresh_token()?.is_some(), "being offline is no reason to sign out");
    Ok(())
}

#[tokio::test]
async fn a_live_token_is_reused_until_invalidated() -> TestResult {
    let server = TestServer::start().await?;
    let keys = TestKeyring::new();
    let session = session_of(&server, &keys)?;
    session.login_demo("resident").await?;
    let first = session.access_token().await?;
    let stored = keys.refresh_token()?;
    assert_eq!(session.access_token().await?, first);
    assert_eq!(keys.refresh_token()?, stored, "a live token must not cost a refresh");

    session.invalidate_access().await;
    let second = session.access_token().await?;
    assert_ne!(second, first);
    assert_eq!(me_status(&server, &second).await?, 200);
    Ok(())
}

#[tokio::test]
async fn concurrent_callers_share_one_refresh() -> TestResult {
    let server = TestServer::start().await?;
    let keys = TestKeyring::new();
    session_of(&server, &keys)?.login_demo("resident").await?;

    // Twenty callers at once after a restart: were two refreshes to present the same token,
    // the server would take it for a leak and end the session.
    let session = std::sync::Arc::new(session_of(&server, &keys)?);
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let session = session.clone();
        calls.spawn(async move { session.access_token().await });
    }
    let mut tokens = Vec::new();
    while let Some(token) = calls.join_next().await {
        tokens.push(token??);
    }
    tokens.dedup();
    assert_eq!(tokens.len(), 1, "more than one refresh happened");
    assert_eq!(me_status(&server, &tokens[0]).await?, 200);
    session.invalidate_access().await;
    assert_eq!(me_status(&server, &session.access_token().await?).await?, 200);
    Ok(())
}

#[tokio::test]
async fn logout_revokes_on_the_server_and_clears_the_keyring() -> TestResult {
    let server = TestServer::start().await?;
    let keys = TestKeyring::new();
    let session = session_of(&server, &keys)?;
    session.login_demo("resident").await?;
    let access = session.access_token().await?;
    let refresh = keys.refresh_token()?.expect("a refresh token");

    session.logout().await?;
    assert_eq!(keys.refresh_token()?, None);
    assert!(!session.has_session()?);
    assert_eq!(session.person().await, None);
    assert!(matches!(session.access_token().await, Err(CoreError::SignedOut(_))));
    assert_eq!(try_refresh(&server, &refresh).await?, (400, "invalid_grant".to_owned()));
    assert_eq!(me_status(&server, &access).await?, 401);
    Ok(())
}

#[tokio::test]
async fn logout_offline_still_clears_the_keyring() -> TestResult {
    let mut server = TestServer::start().await?;
    let keys = TestKeyring::new();
    let session = session_of(&server, &keys)?;
    session.login_demo("resident").await?;
    server.stop().await?;

    session.logout().await?;
    assert_eq!(keys.refresh_token()?, None);
    assert!(matches!(session.access_token().await, Err(CoreError::SignedOut(_))));
    Ok(())
}

#[tokio::test]
async fn an_unknown_refresh_token_signs_out() -> TestResult {
    let server = TestServer::start().await?;
    let keys = TestKeyring::new();
    let session = session_of(&server, &keys)?;
    assert!(matches!(session.access_token().await, Err(CoreError::SignedOut(_))));

    keys.keyring.set(REFRESH_TOKEN, "not-a-token-the-server-ever-issued")?;
    let refused = session.access_token().await;
    assert!(matches!(refused, Err(CoreError::SignedOut(_))), "{refused:?}");
    assert_eq!(keys.refresh_token()?, None, "a dead refresh token was kept");
    Ok(())
}

#[tokio::test]
async fn a_retry_after_a_lost_answer_keeps_the_session() -> TestResult {
    let server = TestServer::start().await?;
    let keys = TestKeyring::new();
    let session = session_of(&server, &keys)?;
    session.login_demo("resident").await?;
    let sent = keys.refresh_token()?.expect("a refresh token");
    session.invalidate_access().await;
    session.access_token().await?;

    // As if the answer to that renewal had been lost on the way: the keyring still holds
    // the token that was sent, and the next renewal sends it again.
    keys.keyring.set(REFRESH_TOKEN, &sent)?;
    session.invalidate_access().await;
    let access = session.access_token().await?;
    assert_eq!(me_status(&server, &access).await?, 200);
    let kept = keys.refresh_token()?.expect("a refresh token");
    assert_ne!(kept, sent);
    assert_eq!(try_refresh(&server, &kept).await?.0, 200, "the retried rotation's token does not work");
    Ok(())
}

#[tokio::test]
async fn a_replayed_refresh_token_ends_the_session() -> TestResult {
    let server = TestServer::start().await?;
    let keys = TestKeyring::new();
    let session = session_of(&server, &keys)?;
    session.login_demo("resident").await?;
    let spent = keys.refresh_token()?.expect("a refresh token");
    // Two renewals: the spent token's successor is used too, so showing the spent one again
    // cannot be a retry after a lost answer (which the server honours for a while).
    for _ in 0..2 {
        session.invalidate_access().await;
        session.access_token().await?;
    }
    let live = session.access_token().await?;

    // As if an old copy of the keyring came back: the server revokes the whole family.
    keys.keyring.set(REFRESH_TOKEN, &spent)?;
    session.invalidate_access().await;
    let replayed = session.access_token().await;
    assert!(matches!(replayed, Err(CoreError::SignedOut(_))), "{replayed:?}");
    assert_eq!(keys.refresh_token()?, None);
    assert_eq!(me_status(&server, &live).await?, 401);
    Ok(())
}

#[tokio::test]
async fn an_unknown_demo_person_is_named_in_the_error() -> TestResult {
    let server = TestServer::start().await?;
    let keys = TestKeyring::new();
    let session = session_of(&server, &keys)?;
    let err = session.login_demo("nobody").await.expect_err("no such person");
    assert!(
        matches!(&err, CoreError::Invalid(m) if m.message.contains("nobody") && m.message.contains("resident")),
        "{err:?}"
    );
    assert!(!session.has_session()?);
    Ok(())
}

#[tokio::test]
async fn the_listener_ignores_strangers_and_gives_up_in_time() -> TestResult {
    let server = TestServer::start().await?;
    let keys = TestKeyring::new();
    let session = session_of(&server, &keys)?;
    let pending = session.begin_login().await?;
    let url = url::Url::parse(pending.url())?;
    let redirect = url.query_pairs().find(|(k, _)| k == "redirect_uri").map(|(_, v)| v.into_owned());
    let redirect = url::Url::parse(&redirect.expect("a redirect_uri"))?;
    assert_eq!(redirect.host_str(), Some("127.0.0.1"));

    let finish = tokio::spawn(async move { pending.finish(&session, Duration::from_secs(2)).await });
    let client = reqwest::Client::builder().no_proxy().build()?;
    // A silent connection, as browsers open speculatively, must not hold up the others.
    let _idle = tokio::net::TcpStream::connect(redirect.socket_addrs(|| None)?[0]).await?;
    let forged = client.get(format!("{redirect}?code=stolen&state=wrong")).send().await?;
    assert_eq!(forged.status().as_u16(), 400);
    let favicon = client.get(redirect.join("/favicon.ico")?).send().await?;
    assert_eq!(favicon.status().as_u16(), 404);

    let outcome = finish.await?;
    assert!(matches!(outcome, Err(CoreError::SignedOut(_))), "{outcome:?}");
    Ok(())
}

#[test]
fn keyring_check_passes_with_a_secret_service() -> TestResult {
    let keys = TestKeyring::new();
    keys.keyring.check()?;
    assert_eq!(keys.keyring.get("probe")?, None, "the probe was left behind");
    Ok(())
}

#[tokio::test]
async fn keyring_check_fails_clearly_without_a_secret_service() -> TestResult {
    // The bus address is per process, read by libdbus at connect time: changing it in this
    // process would race the other tests, so a child process gets a bus that is not there.
    let out = common::run_child_test(
        "child_keyring_check_fails",
        &[
            (CHILD, "keyring-fails"),
            (EXPECT, "no Secret Service answered"),
            ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/domkom-test-bus"),
        ],
    )
    .await?;
    assert!(out.contains("child saw: keyring"), "{out}");
    Ok(())
}

#[tokio::test]
async fn keyring_check_fails_clearly_when_the_keyring_is_locked() -> TestResult {
    // Someone signed in earlier, then the keyring got locked. Headless, the unlock prompt
    // cannot open, so the Secret Service dismisses it at once.
    let profile = format!("test-{}", uuid::Uuid::now_v7().simple());
    let setup = format!(
        "{}; printf old | secret-tool store --label=t service domkom username {profile}/{REFRESH_TOKEN} target default; {LOCK}",
        common::UNLOCKED_KEYRING
    );
    let env = [(CHILD, "keyring-fails"), (EXPECT, "is locked"), (PROFILE, profile.as_str())];
    if let Some(out) = common::run_child_test_in_private_keyring("child_keyring_check_fails", &setup, &env).await? {
        assert!(out.contains("child saw: keyring"), "{out}");
    }
    Ok(())
}

#[tokio::test]
async fn keyring_check_refuses_a_keyring_that_forgets() -> TestResult {
    // The session collection lives in memory only: writes and reads work until log-out,
    // then everything is gone, and with it the sign-in and the cache key.
    let setup = format!("{}; {SESSION_AS_DEFAULT}", common::UNLOCKED_KEYRING);
    let env = [(CHILD, "keyring-fails"), (EXPECT, "in-memory session")];
    if let Some(out) = common::run_child_test_in_private_keyring("child_keyring_check_fails", &setup, &env).await? {
        assert!(out.contains("child saw: keyring"), "{out}");
    }
    Ok(())
}

#[tokio::test]
async fn keyring_check_fails_clearly_without_a_default_keyring() -> TestResult {
    // Started but never unlocked with a password, gnome-keyring has no login keyring.
    let setup = "gnome-keyring-daemon --start --components=secrets >/dev/null";
    let env = [(CHILD, "keyring-fails"), (EXPECT, "no default keyring")];
    if let Some(out) = common::run_child_test_in_private_keyring("child_keyring_check_fails", setup, &env).await? {
        assert!(out.contains("child saw: keyring"), "{out}");
    }
    Ok(())
}

/// Locks the login keyring of the Secret Service on the session bus.
const LOCK: &str = "dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets \
                    org.freedesktop.Secret.Service.Lock array:objpath:/org/freedesktop/secrets/collection/login >/dev/null";

/// Makes the in-memory session collection the default of the Secret Service on the bus.
const SESSION_AS_DEFAULT: &str = "dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets \
                                  org.freedesktop.Secret.Service.SetAlias string:default objpath:/org/freedesktop/secrets/collection/session >/dev/null";

/// Run in a child process by the `keyring_check_fails_clearly_*` tests: the check must fail
/// with a keyring error whose message contains `DOMKOM_TEST_EXPECT`.
#[tokio::test]
#[ignore = "a helper run in a child process by the keyring_check_* tests"]
async fn child_keyring_check_fails() -> TestResult {
    if std::env::var(CHILD).as_deref() != Ok("keyring-fails") {
        return Ok(());
    }
    let expected = std::env::var(EXPECT)?;
    let keys = match std::env::var(PROFILE) {
        Ok(profile) => TestKeyring::with_profile(&profile),
        Err(_) => TestKeyring::new(),
    };
    let err = keys.keyring.check().expect_err("the keyring is broken, yet the check passed");
    assert_eq!(err.kind(), domkom_core::ErrorKind::Keyring, "{err:?}");
    assert!(err.to_string().contains(&expected), "{err}");
    println!("child saw: {}: {err}", err.kind());

    // Whatever is wrong, the session must say so and not claim that no one is signed in
    // (which would send the person to sign in again, into the same broken keyring) —
    // unless the keyring works for now and only forgets later.
    if expected != "in-memory session" {
        let session = Session::new(url::Url::parse("http://127.0.0.1:9/")?, keys.store())?;
        let err = session.access_token().await.expect_err("a broken keyring, yet a token");
        assert_eq!(err.kind(), domkom_core::ErrorKind::Keyring, "{err:?}");
        assert!(matches!(session.has_session(), Err(CoreError::Keyring(_))));
    }
    Ok(())
}
