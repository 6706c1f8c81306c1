//! Faults the client must survive: a server answering garbage or 5xx, a damaged cache
//! file, a cache from a newer version, a cache whose key is gone. Each ends in a clear
//! error or a recovery, never a panic and never a lost outbox item.

use std::time::Duration;

use domkom_core::cache::{Access, Cache, Opened};
use domkom_core::{Client, ErrorKind};
use domkom_testkit::{Fault, FaultProxy, Persona, TestClient, TestResult, TestServer};

const TIMEOUT: Duration = Duration::from_secs(5);

#[tokio::test]
async fn garbage_and_server_errors_are_transient_and_lose_nothing() -> TestResult {
    let server = TestServer::start().await?;
    let proxy = FaultProxy::start(server.addr).await?;
    let c = TestClient::open_at(&proxy.url(), TIMEOUT).await?;
    c.login_demo(Persona::Resident.key()).await?;
    c.sync(&|_, _| {}).await?;
    let community = c.house_chat().await?;
    let before = c.status().await?.cursor;

    for (fault, name) in [(Fault::Garbage, "garbage"), (Fault::Unavailable, "503")] {
        proxy.set(fault, usize::MAX);
        let err = c.sync(&|_, _| {}).await.err().ok_or("a sync against a broken server fails")?;
        assert_eq!(err.kind(), ErrorKind::Network, "{name}: {err}");
        assert!(err.is_transient());
        assert_eq!(c.status().await?.cursor, before, "{name}: nothing applied");
        // A message written now waits in the outbox.
        let written = c.chats().send(community, &format!("Пишу, пока сервер отвечает {name}"), None).await?;
        let waiting = written.waiting.ok_or("the message waits in the outbox")?;
        assert_eq!(waiting.state, domkom_core::outbox::OutboxState::Pending);
    }
    proxy.set(Fault::None, 0);
    c.sync(&|_, _| {}).await?;
    assert!(c.outbox().await?.is_empty());
    let page = c.chats().messages(community, None, 10).await?;
    for name in ["garbage", "503"] {
        assert_eq!(
            page.iter().filter(|m| m.body.ends_with(name) && m.id.is_some()).count(),
            1,
            "{name} delivered once"
        );
    }
    Ok(())
}

#[tokio::test]
async fn a_damaged_cache_is_rebuilt_and_keeps_the_outbox() -> TestResult {
    let mut server = TestServer::start().await?;
    let t = TestClient::open(&server, TIMEOUT).await?;
    t.login_demo(Persona::Resident.key()).await?;
    t.sync(&|_, _| {}).await?;
    let community = t.house_chat().await?;
    server.stop().await?;
    t.chats().send(community, "Написано без сети перед сбоем диска", None).await?;
    assert_eq!(t.outbox().await?.len(), 1);
    let TestClient { client, keyring, dir } = t;
    drop(client);

    // Scribble over the cache file.
    let path = domkom_core::cache_path(dir.path());
    let mut bytes = std::fs::read(&path)?;
    for (i, b) in bytes.iter_mut().enumerate() {
        *b = (i * 31 % 251) as u8;
    }
    std::fs::write(&path, &bytes)?;
    let _ = std::fs::remove_file(path.with_file_name("cache.db-wal"));

    // A read-only open reports it and sets nothing aside.
    let options = domkom_core::Options { access: Access::ReadOnly, ..domkom_core::Options::default() };
    let refused = Client::open_with(dir.path(), &server.base()?, keyring.store(), options).await;
    assert_eq!(refused.err().map(|e| e.kind()), Some(ErrorKind::Cache), "a read-only open never repairs");
    assert!(
        path.exists()
            && !std::fs::read_dir(dir.path())?
                .any(|e| { e.map(|e| e.file_name().to_string_lossy().contains("unusable")).unwrap_or(false) })
    );

    let c = TestClient::reopen(dir.path(), &server.url, &keyring, TIMEOUT).await?;
    assert_eq!(c.opened(), Opened::Rebuilt, "the person is told the cache was rebuilt");
    assert_eq!(c.outbox().await?.len(), 1, "the unsent message survived");
    server.restart().await?;
    c.sync(&|_, _| {}).await?;
    assert!(c.outbox().await?.is_empty());
    let page = c.chats().messages(community, None, 5).await?;
    assert_eq!(page.iter().filter(|m| m.body == "Написано без сети перед сбоем диска").count(), 1);
    assert!(page.len() == 5, "the history is back from the server");
    Ok(())
}

#[tokio::test]
async fn a_cache_from_a_newer_version_is_refused_clearly() -> TestResult {
    let server = TestServer::start().await?;
    let TestClient { client, keyring, dir } = TestClient::open(&server, TIMEOUT).await?;
    drop(client);
    let (cache, _) = Cache::open(&domkom_core::cache_path(dir.path()), keyring.keyring.as_ref(), Access::ReadWrite)?;
    cache.write(|tx| Ok(tx.pragma_update(None, "user_version", 999)?))?;
    drop(cache);
    let err = TestClient::reopen(dir.path(), &server.url, &keyring, TIMEOUT)
        .await
        .err()
        .ok_or("a newer cache must be refused")?;
    assert_eq!(err.kind(), ErrorKind::CacheTooNew);
    assert!(err.to_string().contains("newer"), "{err}");
    assert!(domkom_core::cache_path(dir.path()).exists(), "and left alone");
    Ok(())
}

#[tokio::test]
async fn a_cache_whose_key_is_gone_is_rebuilt_from_the_server() -> TestResult {
    let server = TestServer::start().await?;
    let t = TestClient::open(&server, TIMEOUT).await?;
    t.login_demo(Persona::Resident.key()).await?;
    let first = t.sync(&|_, _| {}).await?;
    let TestClient { client, keyring, dir } = t;
    drop(client);
    use domkom_core::secrets::SecretStore;
    keyring.keyring.delete(domkom_core::cache::KEY_NAME)?;
    let c = TestClient::reopen(dir.path(), &server.url, &keyring, TIMEOUT).await?;
    assert_eq!(c.opened(), Opened::Rebuilt);
    assert_eq!(c.status().await?.messages, 0);
    let again = c.sync(&|_, _| {}).await?;
    assert_eq!(again.messages, first.messages, "everything is back");
    Ok(())
}

#[tokio::test]
async fn a_directory_from_before_profiles_is_not_set_aside_for_a_wrong_address() -> TestResult {
    use domkom_core::outbox::Request;
    use domkom_core::profile::{legacy_profile_id, profile_path};
    let dir = tempfile::tempdir()?;
    let right: url::Url = "http://127.0.0.1:8640".parse()?;
    // What an earlier Domkom left: a cache and a queued message, keys under the hashed name.
    let keyring = domkom_testkit::TestKeyring::with_profile(&legacy_profile_id(dir.path(), "http://127.0.0.1:8640"));
    let (cache, _) = Cache::open(&domkom_core::cache_path(dir.path()), keyring.keyring.as_ref(), Access::ReadWrite)?;
    cache.enqueue(&Request::SendMessage {
        community_id: domkom_domain::id::CommunityId(1),
        body: "Написано до обновления".into(),
        reply_to: None,
        houses: vec![],
    })?;
    drop(cache);

    // Another address: refused, nothing set aside, no identity recorded.
    let wrong: url::Url = "http://localhost:8640".parse()?;
    let refused = Client::open(dir.path(), &wrong, domkom_core::Options::default()).await;
    let err = refused.err().ok_or("an old directory opened with another address must be refused")?;
    assert_eq!(err.kind(), ErrorKind::Cache, "{err}");
    assert!(err.to_string().contains("http://localhost:8640"), "{err}");
    assert!(!profile_path(dir.path()).exists(), "the directory's server is not decided by a wrong guess");
    let names: Vec<String> =
        std::fs::read_dir(dir.path())?.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into()).collect();
    assert!(names.iter().all(|n| !n.contains("unusable")), "nothing set aside: {names:?}");

    // The address it was made for: adopted, with its queued message.
    let c = Client::open(dir.path(), &right, domkom_core::Options::default()).await?;
    assert_eq!(c.profile().server, "http://127.0.0.1:8640");
    assert_eq!(c.outbox().await?.len(), 1, "the queued message is still there");
    Ok(())
}
