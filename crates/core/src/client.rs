//! The client: one data directory's cache, session, sync engine and outbox, behind the
//! calls the app and the CLI make. Features hang their handles off it (`client.chats()`,
//! `client.houses()`), each in its own module.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::sync::{broadcast, watch};

use domkom_domain::wire::PersonInfo;

use crate::api::Api;
use crate::cache::{Access, Cache, Opened, Status};
use crate::error::{CoreError, Result};
use crate::events::Event;
use crate::http::Http;
use crate::outbox::{Edit, OutboxItem, Request};
use crate::profile::Profile;
use crate::secrets::{Keyring, SecretStore};
use crate::session::Session;
use crate::sync::{SyncEngine, SyncReport, blocking};

/// The cache file inside a data directory.
pub fn cache_path(data_dir: &Path) -> PathBuf {
    data_dir.join("cache.db")
}

/// Settings of a client.
#[derive(Debug, Clone)]
pub struct Options {
    /// How long one request may take before the server counts as unreachable.
    pub request_timeout: std::time::Duration,
    /// Whether opening may repair the cache (a read-only command never sets anything aside).
    pub access: Access,
}

impl Default for Options {
    fn default() -> Options {
        Options { request_timeout: std::time::Duration::from_secs(30), access: Access::ReadWrite }
    }
}

/// What became of a write right after it was made.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Written {
    /// Its idempotency key.
    pub client_key: String,
    /// Still in the outbox (offline: pending; refused: failed), or None once the server has it.
    pub waiting: Option<OutboxItem>,
}

/// A Domkom client for one data directory and its server.
pub struct Client {
    pub(crate) cache: Arc<Cache>,
    session: Arc<Session>,
    secrets: Arc<dyn SecretStore>,
    pub(crate) api: Arc<Api>,
    pub(crate) engine: Arc<SyncEngine>,
    events: broadcast::Sender<Event>,
    opened: Opened,
    profile: Profile,
}

impl Client {
    /// Opens the client of a data directory over the OS keyring, under the directory's own
    /// profile. A directory made for another server is refused before anything is touched.
    pub async fn open(data_dir: &Path, server: &url::Url, options: Options) -> Result<Client> {
        let profile = Profile::open(data_dir, server)?;
        let keyring = Keyring::new(&profile.id);
        let check = keyring.clone();
        let adopted_without_key = tokio::task::spawn_blocking(move || {
            check.check()?;
            Ok::<_, CoreError>(profile.adopted && check.get(crate::cache::KEY_NAME)?.is_none())
        })
        .await
        .map_err(|e| CoreError::Keyring(format!("the keyring check did not finish: {e}")))??;
        if adopted_without_key {
            // A directory from before profiles whose keys are not filed under this server:
            // most likely it was made for another address. Opening it would set the cache
            // and the outbox aside, so nothing is touched and the choice is left open.
            Profile::forget(data_dir)?;
            return Err(CoreError::cache(format!(
                "the data directory {} was made by an earlier Domkom, and its keys are not filed under {}: open it with the server address it was made for, or use another data directory (--data) for this one",
                data_dir.display(),
                crate::profile::normalise_server(server)
            )));
        }
        Client::open_with(data_dir, server, Arc::new(keyring), options).await
    }

    /// Opens the client over a given secret store.
    pub async fn open_with(
        data_dir: &Path,
        server: &url::Url,
        secrets: Arc<dyn SecretStore>,
        options: Options,
    ) -> Result<Client> {
        let profile = Profile::open(data_dir, server)?;
        let path = cache_path(data_dir);
        let s = secrets.clone();
        let access = options.access;
        let (cache, opened, offset) = tokio::task::spawn_blocking(move || {
            let (cache, opened) = Cache::open(&path, s.as_ref(), access)?;
            let offset = cache.server_offset_ms()?;
            Ok::<_, CoreError>((cache, opened, offset))
        })
        .await
        .map_err(|e| CoreError::Io { reason: "the cache did not open".into(), source: Some(Box::new(e)) })??;
        let cache = Arc::new(cache);
        let http = Http::new(server.clone(), options.request_timeout)?;
        http.clock().set_offset_ms(offset);
        let session = Arc::new(Session::with_http(http, secrets.clone()));
        let api = Arc::new(Api::new(session.clone()));
        let (events, _) = broadcast::channel(1024);
        let engine = Arc::new(SyncEngine::new(cache.clone(), api.clone(), events.clone()));
        Ok(Client { cache, session, secrets, api, engine, events, opened, profile })
    }

    /// How the cache was opened (a rebuild is something to tell the person).
    pub fn opened(&self) -> Opened {
        self.opened
    }

    /// The data directory's identity (its keyring profile and server).
    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// Subscribes to change events.
    pub fn events(&self) -> broadcast::Receiver<Event> {
        self.events.subscribe()
    }

    /// Tells the app something changed (no listeners is fine: the CLI has none).
    pub(crate) fn emit(&self, event: Event) {
        let _ = self.events.send(event);
    }

    /// The session (for sign-in through the browser).
    pub fn session(&self) -> &Arc<Session> {
        &self.session
    }

    /// After a sign-in: a different person than the cache's starts from an empty cache, and
    /// the other person's unsent writes are dropped (they must never go out as this one's).
    /// The server's clock, learned from the sign-in's answers, is kept for the next start.
    pub async fn signed_in(&self, person: &PersonInfo) -> Result<()> {
        let person = person.clone();
        let offset = self.api.http().clock().offset_ms();
        blocking(&self.cache, move |c| {
            let previous = c.person()?.map(|p| p.id);
            if previous.is_some_and(|id| id != person.id) {
                c.clear_synced()?;
                c.outbox_clear()?;
            }
            c.set_person(&person)?;
            c.set_server_offset_ms(offset)
        })
        .await
    }

    /// Signs in a demo person of the reference backend, without a browser.
    pub async fn login_demo(&self, person: &str) -> Result<PersonInfo> {
        let info = self.session.login_demo(person).await?;
        self.signed_in(&info).await?;
        Ok(info)
    }

    /// Fetches and applies every change, then sends what waits in the outbox;
    /// `progress(done, total)` is called per page.
    pub async fn sync(&self, progress: &(dyn Fn(i64, i64) + Send + Sync)) -> Result<SyncReport> {
        let report = self.engine.sync(progress).await?;
        blocking(&self.cache, |c| c.outbox_wake()).await?;
        self.engine.flush_outbox().await?;
        Ok(report)
    }

    /// Keeps the cache live in the background until `stop` turns true.
    pub fn spawn_live(&self, stop: watch::Receiver<bool>) -> tokio::task::JoinHandle<()> {
        tokio::spawn(self.engine.clone().run(stop))
    }

    /// Queues a write (shown at once) and tries to send it; offline it waits in the outbox.
    pub(crate) async fn enqueue(&self, request: Request) -> Result<Written> {
        let event = request.event();
        let item = blocking(&self.cache, move |c| c.enqueue(&request)).await?;
        self.emit(event);
        self.emit(Event::Outbox);
        self.flush().await?;
        let client_key = item.client_key;
        let waiting = blocking(&self.cache, {
            let key = client_key.clone();
            move |c| c.outbox_item(&key)
        })
        .await?;
        Ok(Written { client_key, waiting })
    }

    /// Tries to send what is due; offline is not a failure (the items wait).
    async fn flush(&self) -> Result<()> {
        match self.engine.flush_outbox().await {
            Ok(_) => Ok(()),
            Err(e) if e.is_transient() => {
                tracing::info!(error = %e, "queued while offline");
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    /// Puts a failed write back in line, changed by `edit` if given, and tries to send it.
    pub(crate) async fn retry(&self, client_key: &str, edit: Option<Edit>) -> Result<()> {
        let key = client_key.to_owned();
        let item = blocking(&self.cache, move |c| c.outbox_retry(&key, edit.as_deref().map(|e| e as _))).await?;
        self.emit(item.request.event());
        self.emit(Event::Outbox);
        self.flush().await
    }

    /// Discards an unsent write; false when it was not in the outbox any more.
    pub(crate) async fn discard(&self, client_key: &str) -> Result<bool> {
        let key = client_key.to_owned();
        let item = blocking(&self.cache, {
            let key = key.clone();
            move |c| c.outbox_item(&key)
        })
        .await?;
        let gone = blocking(&self.cache, move |c| c.outbox_discard(&key)).await?;
        if let Some(item) = item {
            self.emit(item.request.event());
            self.emit(Event::Outbox);
        }
        Ok(gone)
    }

    /// The outbox's items, oldest first.
    pub async fn outbox(&self) -> Result<Vec<OutboxItem>> {
        blocking(&self.cache, |c| c.outbox()).await
    }

    /// The reference backend's demo persons, for a demo sign-in picker.
    pub async fn demo_persons(&self) -> Result<Vec<domkom_domain::wire::DemoPerson>> {
        self.api.demo_persons().await
    }

    /// Who is signed in, with the house chats offered to join (needs the server).
    pub async fn me(&self) -> Result<domkom_domain::wire::Me> {
        self.api.me().await
    }

    /// The signed-in person as cached, if any (works offline).
    pub async fn person(&self) -> Result<Option<PersonInfo>> {
        blocking(&self.cache, |c| c.person()).await
    }

    /// Cursor, cache size and outbox counts.
    pub async fn status(&self) -> Result<Status> {
        blocking(&self.cache, |c| c.status()).await
    }

    /// Signs out: revokes on the server, clears the keyring and deletes the cache. The
    /// client is closed afterwards: every later call fails as signed out.
    pub async fn logout(&self) -> Result<()> {
        self.session.logout().await?;
        let (cache, secrets) = (self.cache.clone(), self.secrets.clone());
        tokio::task::spawn_blocking(move || cache.destroy(secrets.as_ref()))
            .await
            .map_err(|e| CoreError::Io { reason: "sign-out did not finish".into(), source: Some(Box::new(e)) })??;
        self.emit(Event::SignedOut);
        Ok(())
    }
}
