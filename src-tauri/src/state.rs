//! The app's state: the server, the data directory and the running client, opened lazily
//! (and again after a sign-out, which deletes the cache), with its live sync.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use domkom_core::Client;
use domkom_core::{ErrorKind, Options, TaggedError};
use tauri::Manager;
use tokio::sync::{Mutex, watch};

/// The client with its background sync.
struct Running {
    client: Arc<Client>,
    live: Option<(watch::Sender<bool>, tauri::async_runtime::JoinHandle<()>)>,
}

/// Shared by every command.
pub struct AppState {
    /// The backend (env `DOMKOM_SERVER`, default the local reference backend).
    pub server: url::Url,
    /// Where the cache lives (env `DOMKOM_DATA`, default the app's data directory).
    pub data_dir: PathBuf,
    running: Mutex<Option<Running>>,
    /// The chat the person has open, if any (no notifications for it).
    pub chat_in_view: std::sync::Mutex<Option<domkom_domain::id::CommunityId>>,
    /// The words of notifications and the window title, in the UI's language.
    pub notify_words: std::sync::Mutex<domkom_core::notify::NotifyWords>,
}

impl AppState {
    /// Reads the settings from the environment.
    pub fn from_env(app: &tauri::AppHandle) -> anyhow::Result<AppState> {
        let server = std::env::var("DOMKOM_SERVER").unwrap_or_else(|_| "http://127.0.0.1:8640".into());
        let server = server.parse().with_context(|| format!("DOMKOM_SERVER is not a URL: {server}"))?;
        let data_dir = match std::env::var_os("DOMKOM_DATA") {
            Some(dir) => PathBuf::from(dir),
            None => app.path().app_data_dir().context("no data directory for this user")?,
        };
        Ok(AppState {
            server,
            data_dir,
            running: Mutex::new(None),
            chat_in_view: std::sync::Mutex::new(None),
            notify_words: Default::default(),
        })
    }

    /// The words of notifications in the UI's language.
    pub fn words(&self) -> domkom_core::notify::NotifyWords {
        self.notify_words.lock().map(|w| w.clone()).unwrap_or_default()
    }

    /// The client, opening it on first use.
    pub async fn client(&self, app: &tauri::AppHandle) -> Result<Arc<Client>, TaggedError> {
        let mut running = self.running.lock().await;
        if let Some(r) = running.as_ref() {
            return Ok(r.client.clone());
        }
        let client =
            Arc::new(Client::open(&self.data_dir, &self.server, Options::default()).await.map_err(|e| e.tagged())?);
        crate::events::forward(app, &client);
        *running = Some(Running { client: client.clone(), live: None });
        Ok(client)
    }

    /// The client of a signed-in person; `not_signed_in` otherwise.
    pub async fn signed_in(&self, app: &tauri::AppHandle) -> Result<Arc<Client>, TaggedError> {
        let client = self.client(app).await?;
        if client.session().has_session().map_err(|e| e.tagged())? {
            Ok(client)
        } else {
            Err(TaggedError::new(ErrorKind::NotSignedIn, "sign in first"))
        }
    }

    /// Starts live sync (it syncs first, reporting progress as `sync` events) unless running.
    pub async fn start_live(&self) {
        let mut running = self.running.lock().await;
        if let Some(r) = running.as_mut()
            && r.live.is_none()
        {
            let (stop, stopped) = watch::channel(false);
            let client = r.client.clone();
            let task = tauri::async_runtime::spawn(async move {
                let _ = client.spawn_live(stopped).await;
            });
            r.live = Some((stop, task));
        }
    }

    /// Stops live sync and hands the client over (for a sign-out); the next use opens a
    /// new client.
    pub async fn take(&self) -> Option<Arc<Client>> {
        let running = self.running.lock().await.take()?;
        if let Some((stop, task)) = running.live {
            let _ = stop.send(true);
            let _ = task.await;
        }
        Some(running.client)
    }
}

/// On start: open the client and, when a session exists, start syncing.
pub fn start(app: tauri::AppHandle) {
    tauri::async_runtime::spawn(async move {
        let state = app.state::<AppState>();
        match state.signed_in(&app).await {
            Ok(_) => state.start_live().await,
            Err(e) if e.kind == ErrorKind::NotSignedIn => {}
            Err(e) => tracing::warn!(kind = ?e.kind, error = %e.message, "the client could not open"),
        }
        crate::events::update_title(&app).await;
    });
}

/// On exit: stop syncing.
pub fn stop(app: &tauri::AppHandle) {
    let state = app.state::<AppState>();
    tauri::async_runtime::block_on(async {
        let _ = state.take().await;
    });
}
