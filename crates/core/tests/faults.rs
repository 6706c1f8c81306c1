//! Faults the client must survive: a server answering garbage or 5xx, a damaged cache
//! file, a cache from a newer version, a cache whose key is gone. Each ends in a clear
//! error or a recovery, never a panic and never a lost outbox item.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use domkom_core::cache::Opened;
use domkom_core::secrets::{Keyring, SecretStore, profile_for};
use domkom_core::{Client, CoreError, Options};
use domkom_server::seed::Seed;
use domkom_server::{Config, Server};

type TestResult<T = ()> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

const FORWARD: u8 = 0;
const GARBAGE: u8 = 1;
const FAILING: u8 = 2;

/// A front that forwards to the real server, or answers garbage or 503 on command: faults
/// the real backend cannot be made to show.
async fn front(upstream: SocketAddr, mode: Arc<AtomicU8>) -> TestResult<SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        while let Ok((inbound, _)) = listener.accept().await {
            tokio::spawn(serve(inbound, upstream, mode.clone()));
        }
    });
    Ok(addr)
}

/// Forwards request by request (keep-alive connections included), answering a fault
/// instead whenever the mode says so.
async fn serve(inbound: TcpStream, upstream: SocketAddr, mode: Arc<AtomicU8>) {
    let Ok(outbound) = TcpStream::connect(upstream).await else { return };
    let (mut ir, mut iw) = inbound.into_split();
    let (mut or, mut ow) = outbound.into_split();
    let (fault_tx, mut fault_rx) = tokio::sync::mpsc::channel::<&'static [u8]>(1);
    let up = async move {
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            let n = match ir.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            };
            match mode.load(Ordering::SeqCst) {
                FORWARD => {
                    if ow.write_all(&buf[..n]).await.is_err() {
                        return;
                    }
                }
                GARBAGE => {
                    let _ = fault_tx
                        .send(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\n\r\n{\"chang\x00\xff")
                        .await;
                    return;
                }
                _ => {
                    let _ = fault_tx.send(b"HTTP/1.1 503 Service Unavailable\r\ncontent-length: 5\r\n\r\noops!").await;
                    return;
                }
            }
        }
    };
    let down = async move {
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            tokio::select! {
                read = or.read(&mut buf) => match read {
                    Ok(0) | Err(_) => return,
                    Ok(n) => if iw.write_all(&buf[..n]).await.is_err() { return },
                },
                fault = fault_rx.recv() => {
                    if let Some(answer) = fault {
                        let _ = iw.write_all(answer).await;
                    }
                    return;
                }
            }
        }
    };
    tokio::join!(up, down);
}

async fn open(dir: &std::path::Path, url: &str) -> domkom_core::Result<Client> {
    let keyring = Keyring::new(&profile_for(dir, url));
    Client::open_with(
        dir,
        &url.parse().map_err(|_| CoreError::Invalid("url".into()))?,
        Arc::new(keyring),
        Options { request_timeout: Duration::from_secs(5) },
    )
    .await
}

#[tokio::test]
async fn garbage_and_server_errors_are_transient_and_lose_nothing() -> TestResult {
    let sdir = tempfile::tempdir()?;
    let server = Server::start(Config::new(sdir.path(), Seed::Small)).await?;
    let mode = Arc::new(AtomicU8::new(FORWARD));
    let url = format!("http://{}", front(server.addr, mode.clone()).await?);
    let dir = tempfile::tempdir()?;
    let c = open(dir.path(), &url).await?;
    c.login_demo("resident").await?;
    c.sync(&|_, _| {}).await?;
    let community = c.chat_list().await?[0].community_id;
    let before = c.status().await?.cursor;

    for (mode_now, name) in [(GARBAGE, "garbage"), (FAILING, "503")] {
        mode.store(mode_now, Ordering::SeqCst);
        let err = c.sync(&|_, _| {}).await.err().ok_or("a sync against a broken server fails")?;
        assert_eq!(err.kind(), "network", "{name}: {err}");
        assert!(err.is_transient());
        assert_eq!(c.status().await?.cursor, before, "{name}: nothing applied");
        // A message written now waits in the outbox.
        c.send(community, &format!("Пишу, пока сервер отвечает {name}"), None).await?;
        assert!(c.outbox().await?.iter().any(|i| i.body.ends_with(name) && i.state == "pending"));
    }
    mode.store(FORWARD, Ordering::SeqCst);
    c.sync(&|_, _| {}).await?;
    assert!(c.outbox().await?.is_empty());
    let page = c.messages(community, None, 10).await?;
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
    let sdir = tempfile::tempdir()?;
    let server = Server::start(Config::new(sdir.path(), Seed::Small)).await?;
    let url = server.url();
    let addr = server.addr;
    let dir = tempfile::tempdir()?;
    let c = open(dir.path(), &url).await?;
    c.login_demo("resident").await?;
    c.sync(&|_, _| {}).await?;
    let community = c.chat_list().await?[0].community_id;
    server.stop().await?;
    c.send(community, "Написано без сети перед сбоем диска", None).await?;
    assert_eq!(c.outbox().await?.len(), 1);
    drop(c);

    // Scribble over the cache file.
    let path = domkom_core::cache_path(dir.path());
    let mut bytes = std::fs::read(&path)?;
    for (i, b) in bytes.iter_mut().enumerate() {
        *b = (i * 31 % 251) as u8;
    }
    std::fs::write(&path, &bytes)?;
    let _ = std::fs::remove_file(path.with_file_name("cache.db-wal"));

    let c = open(dir.path(), &url).await?;
    assert_eq!(c.opened(), Opened::Rebuilt, "the person is told the cache was rebuilt");
    assert_eq!(c.outbox().await?.len(), 1, "the unsent message survived");
    let mut config = Config::new(sdir.path(), Seed::Small);
    config.listen = addr;
    let _server = Server::start(config).await?;
    c.sync(&|_, _| {}).await?;
    assert!(c.outbox().await?.is_empty());
    let page = c.messages(community, None, 5).await?;
    assert_eq!(page.iter().filter(|m| m.body == "Написано без сети перед сбоем диска").count(), 1);
    assert!(page.len() == 5, "the history is back from the server");
    Ok(())
}

#[tokio::test]
async fn a_cache_from_a_newer_version_is_refused_clearly() -> TestResult {
    let sdir = tempfile::tempdir()?;
    let server = Server::start(Config::new(sdir.path(), Seed::Small)).await?;
    let url = server.url();
    let dir = tempfile::tempdir()?;
    let c = open(dir.path(), &url).await?;
    drop(c);
    let keyring = Keyring::new(&profile_for(dir.path(), &url));
    let (cache, _) = domkom_core::cache::Cache::open(&domkom_core::cache_path(dir.path()), &keyring)?;
    cache.write(|tx| Ok(tx.pragma_update(None, "user_version", 999)?))?;
    drop(cache);
    let err = open(dir.path(), &url).await.err().ok_or("a newer cache must be refused")?;
    assert_eq!(err.kind(), "cache_too_new");
    assert!(err.to_string().contains("newer"), "{err}");
    assert!(domkom_core::cache_path(dir.path()).exists(), "and left alone");
    Ok(())
}

#[tokio::test]
async fn a_cache_whose_key_is_gone_is_rebuilt_from_the_server() -> TestResult {
    let sdir = tempfile::tempdir()?;
    let server = Server::start(Config::new(sdir.path(), Seed::Small)).await?;
    let url = server.url();
    let dir = tempfile::tempdir()?;
    let c = open(dir.path(), &url).await?;
    c.login_demo("resident").await?;
    let first = c.sync(&|_, _| {}).await?;
    drop(c);
    Keyring::new(&profile_for(dir.path(), &url)).delete(domkom_core::cache::KEY_NAME)?;
    let c = open(dir.path(), &url).await?;
    assert_eq!(c.opened(), Opened::Rebuilt);
    assert_eq!(c.status().await?.messages, 0);
    let again = c.sync(&|_, _| {}).await?;
    assert_eq!(again.messages, first.messages, "everything is back");
    Ok(())
}
