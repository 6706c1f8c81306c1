//! The Domkom reference backend: emulates the housing registry, ESIA-shaped sign-in, house
//! chats, tickets, meters, bills and notices on realistic data for Kazan, and serves them
//! over a JSON API with a change feed and a push stream.

pub mod access;
pub mod api;
pub mod blobs;
pub mod clock;
pub mod esia;
pub mod seed;
pub mod store;
pub mod testing;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use tokio::net::TcpListener;
use tokio::sync::{broadcast, watch};

use crate::api::{AppState, SendLimit};
use crate::esia::TokenPolicy;
use crate::seed::Seed;
use crate::store::{AuthStore, SqliteStore, Store};

/// How to run the server.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address to listen on; port 0 picks a free one.
    pub listen: SocketAddr,
    /// Directory of the SQLite file.
    pub data_dir: PathBuf,
    /// Data set to load into an empty database.
    pub seed: Seed,
    /// Token lifetimes.
    pub tokens: TokenPolicy,
    /// Sends allowed at once per person.
    pub send_burst: u32,
    /// Sends allowed per minute per person, on average.
    pub send_per_minute: u32,
    /// How often the push stream pings its client and checks its session is still live.
    pub push_ping: std::time::Duration,
    /// The backend's clock: the system's, or pinned with `--now`.
    pub clock: clock::Clock,
}

impl Config {
    /// Defaults for a data directory: loopback, any port, the given seed.
    pub fn new(data_dir: &Path, seed: Seed) -> Config {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir: data_dir.to_owned(),
            seed,
            tokens: TokenPolicy::default(),
            send_burst: 20,
            send_per_minute: 60,
            push_ping: std::time::Duration::from_secs(25),
            clock: clock::Clock::system(),
        }
    }
}

/// Opens the store in a data directory, seeding it if it is empty.
pub fn open_store(data_dir: &Path, seed: Seed) -> anyhow::Result<SqliteStore> {
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("cannot create data directory {}", data_dir.display()))?;
    let store = SqliteStore::open(&store::db_path(data_dir))
        .with_context(|| format!("cannot open the database in {}", data_dir.display()))?;
    let empty: i64 = store.with_writer(|c| c.query_row("SELECT count(*) FROM houses", [], |r| r.get(0)))?;
    if empty == 0 && seed != Seed::None {
        let report = store.with_writer(|c| seed::seed(c, seed))?;
        tracing::info!(
            houses = report.houses,
            persons = report.persons,
            messages = report.messages,
            changes = report.changes,
            seconds = report.elapsed.as_secs_f64(),
            "seeded"
        );
    }
    Ok(store)
}

/// A running server.
pub struct Server {
    /// Where it listens.
    pub addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Server {
    /// Opens (and if empty seeds) the data directory, binds and starts serving.
    pub async fn start(config: Config) -> anyhow::Result<Server> {
        let (data_dir, seed) = (config.data_dir.clone(), config.seed);
        let store = tokio::task::spawn_blocking(move || open_store(&data_dir, seed)).await??.with_clock(config.clock);
        let listener =
            TcpListener::bind(config.listen).await.with_context(|| format!("cannot listen on {}", config.listen))?;
        let addr = listener.local_addr()?;
        let (changes, _) = broadcast::channel(4096);
        let notify = changes.clone();
        store.set_hook(Box::new(move |seq, scope| {
            // No subscribers is fine: nobody is listening for pushes.
            let _ = notify.send((seq, scope));
        }));
        let (stop, stopping) = watch::channel(false);
        let state = AppState {
            store: Arc::new(store) as Arc<dyn Store>,
            tokens: config.tokens,
            send_limit: Arc::new(SendLimit::new(config.send_burst, config.send_per_minute)),
            changes,
            stopping: stopping.clone(),
            push_ping: config.push_ping,
            clock: config.clock,
            blobs: Arc::new(blobs::Blobs::new(&config.data_dir)),
        };
        let app = api::router(state);
        let mut until_stop = stopping;
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = until_stop.wait_for(|s| *s).await;
                })
                .await
        });
        Ok(Server { addr, stop, task })
    }

    /// The base URL, e.g. `http://127.0.0.1:41234`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops taking requests, lets those in flight finish, and closes the store.
    pub async fn stop(self) -> anyhow::Result<()> {
        let _ = self.stop.send(true);
        self.task.await??;
        Ok(())
    }

    /// Waits until the server stops by itself (it does not, unless it fails).
    pub async fn wait(&mut self) -> anyhow::Result<()> {
        (&mut self.task).await??;
        Ok(())
    }

    /// Asks the server to stop; `wait` then returns.
    pub fn request_stop(&self) {
        let _ = self.stop.send(true);
    }
}

/// Prints a fresh access token for a demo person (for scripts and tests).
pub fn demo_token(data_dir: &Path, person_key: &str, tokens: TokenPolicy) -> anyhow::Result<String> {
    let store = open_store(data_dir, Seed::None)?;
    let person = store
        .person_by_demo_key(person_key)?
        .with_context(|| format!("no demo person «{person_key}» in {}", data_dir.display()))?;
    Ok(esia::start_session(&store, tokens, person)?.access_token)
}
