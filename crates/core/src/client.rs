//! The client: one signed-in person's cache, session, sync engine and outbox, behind the
//! calls the app and the CLI make.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::sync::{broadcast, watch};

use domkom_domain::message::validate_message_body;
use domkom_domain::wire::PersonInfo;

use crate::api::Api;
use crate::cache::{Cache, ChatMessage, HouseSummary, OutboxItem, SearchHit, Status};
use crate::error::{CoreError, Result};
use crate::events::Event;
use crate::secrets::{Keyring, SecretStore, profile_for};
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
}

impl Default for Options {
    fn default() -> Options {
        Options { request_timeout: std::time::Duration::from_secs(30) }
    }
}

/// A Domkom client for one data directory and server.
pub struct Client {
    cache: Arc<Cache>,
    session: Arc<Session>,
    secrets: Arc<dyn SecretStore>,
    api: Arc<Api>,
    engine: Arc<SyncEngine>,
    events: broadcast::Sender<Event>,
    opened: crate::cache::Opened,
}

impl Client {
    /// Opens the client over the OS keyring.
    pub async fn open(data_dir: &Path, server: &url::Url) -> Result<Client> {
        let keyring = Keyring::new(&profile_for(data_dir, server.as_str()));
        keyring.check()?;
        Client::open_with(data_dir, server, Arc::new(keyring), Options::default()).await
    }

    /// Opens the client over a given secret store.
    pub async fn open_with(
        data_dir: &Path,
        server: &url::Url,
        secrets: Arc<dyn SecretStore>,
        options: Options,
    ) -> Result<Client> {
        std::fs::create_dir_all(data_dir)?;
        let path = cache_path(data_dir);
        let s = secrets.clone();
        let (cache, opened) = tokio::task::spawn_blocking(move || Cache::open(&path, s.as_ref()))
            .await
            .map_err(|e| CoreError::Io(e.to_string()))??;
        let cache = Arc::new(cache);
        let session = Arc::new(Session::new(server.clone(), secrets.clone()));
        let api = Arc::new(Api::new(server.clone(), session.clone(), options.request_timeout)?);
        let (events, _) = broadcast::channel(1024);
        let engine = Arc::new(SyncEngine::new(cache.clone(), api.clone(), events.clone()));
        Ok(Client { cache, session, secrets, api, engine, events, opened })
    }

    /// How the cache was opened (a rebuild is something to tell the person).
    pub fn opened(&self) -> crate::cache::Opened {
        self.opened
    }

    /// Subscribes to change events.
    pub fn events(&self) -> broadcast::Receiver<Event> {
        self.events.subscribe()
    }

    /// The session (for sign-in through the browser).
    pub fn session(&self) -> &Arc<Session> {
        &self.session
    }

    /// After a sign-in: a different person than the cache's starts from an empty cache.
    pub async fn signed_in(&self, person: &PersonInfo) -> Result<()> {
        let person = person.clone();
        blocking(&self.cache, move |c| {
            let previous = c.person()?.and_then(|p| p["id"].as_i64());
            if previous.is_some_and(|id| id != person.id) {
                c.clear_synced()?;
                for item in c.outbox()? {
                    c.outbox_discard(&item.client_key)?;
                }
            }
            c.set_person(&person)
        })
        .await
    }

    /// Signs in a demo person of the reference backend, without a browser.
    pub async fn login_demo(&self, person: &str) -> Result<PersonInfo> {
        let info = self.session.login_demo(person).await?;
        self.signed_in(&info).await?;
        Ok(info)
    }

    /// Fetches and applies every change; `progress(done, total)` is called per page.
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

    /// The chat list with unread counts.
    pub async fn chat_list(&self) -> Result<Vec<HouseSummary>> {
        blocking(&self.cache, |c| c.chat_list()).await
    }

    /// Resolves what a person typed as a chat: a community id or the id of a house with a chat.
    pub async fn resolve_chat(&self, id: i64) -> Result<i64> {
        let chats = self.chat_list().await?;
        chats
            .iter()
            .find(|c| c.community_id == id)
            .or_else(|| chats.iter().find(|c| c.house_id == Some(id) && c.kind == "house_chat"))
            .map(|c| c.community_id)
            .ok_or_else(|| CoreError::Invalid(format!("no chat {id} among yours; `domkom houses` lists them")))
    }

    /// A page of a chat, newest first (local echoes first), scrolling back on demand.
    pub async fn messages(&self, community: i64, before: Option<i64>, limit: usize) -> Result<Vec<ChatMessage>> {
        self.engine.messages(community, before, limit).await
    }

    /// Queues a message (shown at once) and tries to send it.
    pub async fn send(&self, community: i64, body: &str, reply_to: Option<i64>) -> Result<OutboxItem> {
        let body = validate_message_body(body).map_err(|e| CoreError::Invalid(e.to_string()))?.to_owned();
        let item = blocking(&self.cache, move |c| c.enqueue(community, &body, reply_to)).await?;
        let _ = self.events.send(Event::Chat { community_id: community });
        let _ = self.events.send(Event::Outbox);
        // Offline is fine: the item waits in the outbox.
        match self.engine.flush_outbox().await {
            Ok(_) => {}
            Err(e) if e.is_transient() => tracing::info!(error = %e, "queued while offline"),
            Err(e) => return Err(e),
        }
        Ok(item)
    }

    /// Retries a failed item, optionally with new text.
    pub async fn retry(&self, client_key: &str, new_body: Option<&str>) -> Result<()> {
        let (key, body) = (client_key.to_owned(), new_body.map(str::to_owned));
        blocking(&self.cache, move |c| c.outbox_retry(&key, body.as_deref())).await?;
        match self.engine.flush_outbox().await {
            Err(e) if !e.is_transient() => Err(e),
            _ => Ok(()),
        }
    }

    /// Discards an unsent item.
    pub async fn discard(&self, client_key: &str) -> Result<bool> {
        let key = client_key.to_owned();
        blocking(&self.cache, move |c| c.outbox_discard(&key)).await
    }

    /// The outbox's items.
    pub async fn outbox(&self) -> Result<Vec<OutboxItem>> {
        blocking(&self.cache, |c| c.outbox()).await
    }

    /// Searches all cached chats.
    pub async fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>> {
        let q = query.to_owned();
        blocking(&self.cache, move |c| c.search(&q, limit)).await
    }

    /// Marks a chat read up to a message.
    pub async fn mark_read(&self, community: i64, up_to: i64) -> Result<()> {
        blocking(&self.cache, move |c| c.mark_read(community, up_to)).await?;
        let _ = self.events.send(Event::Houses);
        Ok(())
    }

    /// The reference backend's demo persons, for a demo sign-in picker.
    pub async fn demo_persons(&self) -> Result<Vec<domkom_domain::wire::DemoPerson>> {
        self.api.demo_persons().await
    }

    /// Who is signed in, with the house chats offered to join.
    pub async fn me(&self) -> Result<domkom_domain::wire::Me> {
        self.api.me().await
    }

    /// Joins an offered house chat and syncs, so it shows at once.
    pub async fn join(&self, community: i64) -> Result<()> {
        self.api.join(community).await?;
        self.engine.sync(&|_, _| {}).await?;
        Ok(())
    }

    /// Edits one's own sent message (needs the server).
    pub async fn edit(&self, message: i64, body: &str) -> Result<()> {
        let body = validate_message_body(body).map_err(|e| CoreError::Invalid(e.to_string()))?;
        let m = self.api.edit(message, body).await?;
        let community = m.community_id;
        blocking(&self.cache, move |c| c.outbox_delivered(&m)).await?;
        let _ = self.events.send(Event::Chat { community_id: community });
        Ok(())
    }

    /// Deletes a sent message (needs the server).
    pub async fn delete(&self, message: i64) -> Result<()> {
        let m = self.api.delete(message).await?;
        let community = m.community_id;
        blocking(&self.cache, move |c| c.outbox_delivered(&m)).await?;
        let _ = self.events.send(Event::Chat { community_id: community });
        Ok(())
    }

    /// A cached house's passport.
    pub async fn house(&self, id: i64) -> Result<Option<domkom_domain::wire::House>> {
        blocking(&self.cache, move |c| c.house(id)).await
    }

    /// Turns a chat's notifications off or on.
    pub async fn set_muted(&self, community: i64, muted: bool) -> Result<()> {
        blocking(&self.cache, move |c| c.set_muted(community, muted)).await?;
        let _ = self.events.send(Event::Houses);
        Ok(())
    }

    /// The signed-in person as cached, if any (works offline).
    pub async fn person(&self) -> Result<Option<PersonInfo>> {
        let person = blocking(&self.cache, |c| c.person()).await?;
        Ok(person.and_then(|p| serde_json::from_value(p).ok()))
    }

    /// Cursor, cache size and outbox counts.
    pub async fn status(&self) -> Result<Status> {
        blocking(&self.cache, |c| c.status()).await
    }

    /// Signs out: revokes on the server, clears the keyring and deletes the cache.
    pub async fn logout(self) -> Result<()> {
        self.session.logout().await?;
        let Client { cache, secrets, engine, api, .. } = self;
        drop(engine);
        drop(api);
        let cache = Arc::try_unwrap(cache).map_err(|_| CoreError::Io("the cache is still in use".into()))?;
        tokio::task::spawn_blocking(move || cache.destroy(secrets.as_ref()))
            .await
            .map_err(|e| CoreError::Io(e.to_string()))?
    }
}
