//! The reference backend, in this process, on a free port, over its own data directory.

use std::net::SocketAddr;
use std::path::Path;

use domkom_server::esia::TokenPolicy;
use domkom_server::seed::Seed;
use domkom_server::{Config, Server};

use crate::{ApiClient, Persona, TestResult};

/// A running reference backend with its own data directory.
pub struct TestServer {
    server: Option<Server>,
    dir: tempfile::TempDir,
    config: Config,
    /// Its base URL, e.g. `http://127.0.0.1:41234`.
    pub url: String,
    /// The address it listens on (kept across restarts).
    pub addr: SocketAddr,
}

impl TestServer {
    /// Starts a server on the small seed.
    pub async fn start() -> TestResult<TestServer> {
        TestServer::start_with(Seed::Small, |_| {}).await
    }

    /// Starts a server on the small seed whose clock is pinned to `moment` (RFC 3339) and
    /// runs on from there, so a reading window or a deadline is the same every run.
    pub async fn start_at(moment: &str) -> TestResult<TestServer> {
        let clock = clock_at(moment)?;
        TestServer::start_with(Seed::Small, |c| c.clock = clock).await
    }

    /// Starts a server with a seed, after `adjust` changed its settings (e.g. token lifetimes).
    pub async fn start_with(seed: Seed, adjust: impl FnOnce(&mut Config)) -> TestResult<TestServer> {
        let dir = tempfile::tempdir()?;
        TestServer::start_in(dir, seed, adjust).await
    }

    /// Starts a server over a data directory prepared beforehand (e.g. with many messages).
    pub async fn start_in(
        dir: tempfile::TempDir,
        seed: Seed,
        adjust: impl FnOnce(&mut Config),
    ) -> TestResult<TestServer> {
        let mut config = Config::new(dir.path(), seed);
        adjust(&mut config);
        let server = Server::start(config.clone()).await?;
        let (url, addr) = (server.url(), server.addr);
        Ok(TestServer { server: Some(server), dir, config, url, addr })
    }

    /// The base URL, parsed.
    pub fn base(&self) -> TestResult<url::Url> {
        Ok(url::Url::parse(&self.url)?)
    }

    /// The server's data directory.
    pub fn data_dir(&self) -> &Path {
        self.dir.path()
    }

    /// Its settings.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Stops the server (as if the network were gone), keeping its data directory.
    pub async fn stop(&mut self) -> TestResult {
        if let Some(server) = self.server.take() {
            server.stop().await?;
        }
        Ok(())
    }

    /// Starts it again on the same data directory and the same address, so clients that
    /// know its URL find it back.
    pub async fn restart(&mut self) -> TestResult {
        self.restart_with(|_| {}).await
    }

    /// Restarts it as [`TestServer::restart`] does, with its configuration adjusted (say,
    /// its clock pinned to another moment).
    pub async fn restart_with(&mut self, adjust: impl FnOnce(&mut Config)) -> TestResult {
        self.stop().await?;
        adjust(&mut self.config);
        let mut config = self.config.clone();
        config.listen = self.addr;
        // The port was just freed and is bound again at once; a few tries cover the moment
        // the old listener takes to go.
        let mut tries = 0;
        let server = loop {
            match Server::start(config.clone()).await {
                Ok(server) => break server,
                Err(_) if tries < 50 => {
                    tries += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
                Err(e) => return Err(e.into()),
            }
        };
        self.server = Some(server);
        Ok(())
    }

    /// A fresh access token for a persona, as `domkom-server token` makes it.
    pub async fn token(&self, persona: Persona) -> TestResult<String> {
        let dir = self.dir.path().to_owned();
        let policy = TokenPolicy { access_ttl: self.config.tokens.access_ttl, ..TokenPolicy::default() };
        Ok(tokio::task::spawn_blocking(move || domkom_server::demo_token(&dir, persona.key(), policy)).await??)
    }

    /// A raw API caller signed in as a persona.
    pub async fn api(&self, persona: Persona) -> TestResult<ApiClient> {
        Ok(ApiClient::new(&self.url, Some(self.token(persona).await?)))
    }

    /// A raw API caller that is not signed in.
    pub fn anonymous(&self) -> ApiClient {
        ApiClient::new(&self.url, None)
    }
}

/// A backend clock pinned to `moment` (RFC 3339, e.g. `2026-11-22T12:00:00+03:00`).
pub fn clock_at(moment: &str) -> TestResult<domkom_server::clock::Clock> {
    Ok(domkom_server::clock::Clock::pinned_at(chrono::DateTime::parse_from_rfc3339(moment)?.to_utc()))
}
