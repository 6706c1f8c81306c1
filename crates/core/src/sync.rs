//! The sync engine: pages of the change feed applied with their cursor in one transaction,
//! the outbox flushed with backoff, and a live loop driven by the push stream that falls
//! back to polling with exponential backoff and jitter and recovers by itself.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use rand::Rng;
use tokio::sync::{Mutex, broadcast, watch};

use crate::api::Api;
use crate::cache::Cache;
use crate::error::{CoreError, Result};
use crate::events::{Event, SyncStatus};
use crate::feed::Applied;
use domkom_domain::id::*;

/// Changes asked for per page.
pub const PAGE: usize = 2000;
/// History messages asked for per page when scrolling back.
pub const HISTORY_PAGE: usize = 100;

/// What one sync run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct SyncReport {
    /// Changes applied.
    pub changes: usize,
    /// Messages among them.
    pub messages: usize,
    /// Pages fetched.
    pub pages: usize,
    /// The cursor after the run.
    pub cursor: i64,
}

/// Runs blocking cache work off the async threads.
pub async fn blocking<T: Send + 'static>(
    cache: &Arc<Cache>,
    f: impl FnOnce(&Cache) -> Result<T> + Send + 'static,
) -> Result<T> {
    let cache = cache.clone();
    tokio::task::spawn_blocking(move || f(&cache))
        .await
        .map_err(|e| CoreError::Io { reason: "a cache task failed".into(), source: Some(Box::new(e)) })?
}

/// Exponential backoff with full jitter: 0.5 s doubling to `cap`, randomised so many
/// clients coming back at once do not stampede the server.
pub fn backoff(attempt: u32, cap: Duration) -> Duration {
    let base = Duration::from_millis(500).saturating_mul(1u32 << attempt.min(16));
    let ceiling = base.min(cap).as_millis() as u64;
    Duration::from_millis(rand::rng().random_range(ceiling / 2..=ceiling.max(1)))
}

/// The engine: one per client.
pub struct SyncEngine {
    cache: Arc<Cache>,
    api: Arc<Api>,
    events: broadcast::Sender<Event>,
    /// One sync run at a time: pages must be applied in order.
    running: Mutex<()>,
    /// One outbox flush at a time: two would send an item twice, or an older choice (a
    /// reaction, a vote) after the newer one that replaced it.
    flushing: Mutex<()>,
}

impl SyncEngine {
    /// An engine over a cache and an API.
    pub fn new(cache: Arc<Cache>, api: Arc<Api>, events: broadcast::Sender<Event>) -> SyncEngine {
        SyncEngine { cache, api, events, running: Mutex::new(()), flushing: Mutex::new(()) }
    }

    fn emit(&self, event: Event) {
        // No listeners is fine (the CLI has none).
        let _ = self.events.send(event);
    }

    fn emit_applied(&self, applied: &Applied) {
        for event in &applied.events {
            self.emit(event.clone());
        }
        if applied.delivered {
            self.emit(Event::Outbox);
        }
    }

    fn emit_new(&self, applied: &Applied) {
        // Only the last few of a burst: nobody reads a hundred notifications.
        for m in applied.new_messages.iter().rev().take(5).rev() {
            self.emit(Event::NewMessage(m.clone()));
        }
        for p in applied.new_pins.iter().rev().take(2).rev() {
            self.emit(Event::NewPin(p.clone()));
        }
        for n in applied.new_outages.iter().rev().take(5).rev() {
            self.emit(Event::NewOutage(n.clone()));
        }
        for t in applied.new_emergencies.iter().rev().take(5).rev() {
            self.emit(Event::NewEmergency(crate::ticket::NewEmergency {
                ticket_id: t.id,
                house_id: t.house_id,
                title: t.title.clone(),
                category: t.category,
            }));
        }
    }

    /// Fetches and applies every change after the cursor, reporting progress.
    pub async fn sync(&self, progress: &(dyn Fn(i64, i64) + Send + Sync)) -> Result<SyncReport> {
        let _guard = self.running.lock().await;
        let start = blocking(&self.cache, |c| c.cursor()).await?;
        let first = start == 0;
        let mut report = SyncReport { cursor: start, ..SyncReport::default() };
        loop {
            let page = self.api.changes(report.cursor, PAGE, None).await?;
            let expected = report.cursor;
            let page = Arc::new(page);
            let p = page.clone();
            let applied = blocking(&self.cache, move |c| c.apply_page(&p, expected)).await?;
            report.pages += 1;
            report.changes += applied.count;
            report.messages += applied.messages;
            report.cursor = page.cursor;
            progress(page.cursor - start, page.head - start);
            self.emit(Event::Sync(SyncStatus::Syncing { done: page.cursor - start, total: page.head - start }));
            self.emit_applied(&applied);
            if !first {
                self.emit_new(&applied);
                for &community in &applied.joined {
                    self.catch_up(community).await?;
                }
            }
            if !page.has_more {
                break;
            }
        }
        if first {
            blocking(&self.cache, |c| c.mark_all_read_if_new()).await?;
            self.emit(Event::Chats);
        }
        let offset = self.api.http().clock().offset_ms();
        blocking(&self.cache, move |c| c.set_server_offset_ms(offset)).await?;
        self.emit(Event::Sync(SyncStatus::Live { cursor: report.cursor }));
        Ok(report)
    }

    /// A community joined after the first sync: its history is older than the cursor, so
    /// the newest page is fetched now and the rest on demand; the cache records the gap.
    /// As at a first sync, the history found on joining counts as read.
    async fn catch_up(&self, community: CommunityId) -> Result<()> {
        let page = self.api.history(community, None, HISTORY_PAGE).await?;
        let newest = page.messages.iter().map(|m| m.id).max();
        blocking(&self.cache, move |c| {
            c.apply_history(community, &page)?;
            newest.map_or(Ok(()), |id| c.mark_read(community, id))
        })
        .await?;
        // What older than the cursor a member reads beside the messages: the pins and the
        // moderation log (and, for a moderator, the complaints). Best effort: the chat works
        // without them, and they come with the next change anyway.
        if let Err(e) = crate::moderation::catch_up(&self.api, &self.cache, community).await {
            tracing::info!(error = %e, %community, "could not fetch a joined chat's pins and log");
        }
        self.emit(Event::Chat { community_id: community });
        self.emit(Event::ModLog { community_id: community });
        self.emit(Event::Chats);
        Ok(())
    }

    /// A page of a chat from the cache, fetching older history from the server when the
    /// cache has a gap there.
    pub async fn messages(
        &self,
        community: CommunityId,
        before: Option<MessageId>,
        limit: usize,
    ) -> Result<Vec<crate::chat::ChatMessage>> {
        let cached = blocking(&self.cache, move |c| c.messages(community, before, limit)).await?;
        let sent = cached.iter().filter(|m| m.id.is_some()).count();
        if sent >= limit {
            return Ok(cached);
        }
        let Some(gap) = blocking(&self.cache, move |c| c.gap_below(community)).await? else {
            return Ok(cached);
        };
        // Fetch below the oldest we have (or the gap), then read the cache again.
        let oldest = cached.iter().filter_map(|m| m.id).min().unwrap_or(gap).min(gap);
        match self.api.history(community, Some(oldest), HISTORY_PAGE.max(limit)).await {
            Ok(page) => {
                blocking(&self.cache, move |c| c.apply_history(community, &page)).await?;
                blocking(&self.cache, move |c| c.messages(community, before, limit)).await
            }
            // Offline: show what the cache has.
            Err(e) if e.is_transient() => Ok(cached),
            Err(e) => Err(e),
        }
    }

    /// Sends what is due in the outbox, oldest first. Returns when the next item falls due.
    pub async fn flush_outbox(&self) -> Result<Option<i64>> {
        let _one = self.flushing.lock().await;
        let (due, mut next) = blocking(&self.cache, |c| c.outbox_due()).await?;
        for item in due {
            match item.request.send(&self.api, &self.cache, &item.client_key).await {
                Ok(done) => {
                    let event = done.event();
                    blocking(&self.cache, move |c| c.write(|tx| done.store(tx))).await?;
                    self.emit(event);
                }
                Err(CoreError::RateLimited { retry_after_secs }) => {
                    let delay = (retry_after_secs * 1000) as i64;
                    let id = item.id;
                    blocking(&self.cache, move |c| c.outbox_retry_later(id, delay, "the server asked to wait", true))
                        .await?;
                    next = Some(next.map_or(delay, |n| n.min(delay)));
                }
                Err(CoreError::Refused { code, message, params, .. }) => {
                    let id = item.id;
                    blocking(&self.cache, move |c| c.outbox_fail(id, &code, &message, &params)).await?;
                    self.emit(item.request.event());
                }
                // A local refusal at sending time (a photo gone from this machine).
                Err(CoreError::Invalid(refusal)) => {
                    let id = item.id;
                    blocking(&self.cache, move |c| c.outbox_fail(id, &refusal.code, &refusal.message, &refusal.params))
                        .await?;
                    self.emit(item.request.event());
                }
                Err(e) if e.is_transient() => {
                    let delay = backoff(item.attempts as u32, Duration::from_secs(60)).as_millis() as i64;
                    let (id, reason) = (item.id, e.to_string());
                    blocking(&self.cache, move |c| c.outbox_retry_later(id, delay, &reason, false)).await?;
                    // The server is unreachable: the rest would fail the same way.
                    self.emit(Event::Outbox);
                    return Err(e);
                }
                Err(e) => return Err(e),
            }
            self.emit(Event::Outbox);
        }
        Ok(next)
    }

    /// Keeps the cache live until `stop` turns true: a push stream when it can be had,
    /// polling with backoff when not, the outbox flushed along the way.
    pub async fn run(self: Arc<Self>, mut stop: watch::Receiver<bool>) {
        let mut failures: u32 = 0;
        loop {
            if *stop.borrow() {
                return;
            }
            let round = async {
                self.sync(&|_, _| {}).await?;
                self.flush_outbox().await?;
                let req = self.api.stream_request().await?;
                let (mut ws, _) = tokio::time::timeout(Duration::from_secs(10), tokio_tungstenite::connect_async(req))
                    .await
                    .map_err(|_| CoreError::network("the push stream did not open in time"))?
                    .map_err(|e| CoreError::Network {
                        reason: "the push stream did not open".into(),
                        source: Some(Box::new(e)),
                    })?;
                Ok::<_, CoreError>(ws_loop(&self, &mut ws, &mut stop).await)
            };
            match round.await {
                Ok(Ok(StreamEnd::Stopped)) => return,
                Ok(Ok(StreamEnd::Reauthenticate)) => {
                    // The token the stream was opened with ran out (or its session ended):
                    // come back at once with a fresh one; a dead session shows as signed out.
                    tracing::debug!("the push stream asked for a fresh token");
                    self.api.session().invalidate_access().await;
                    failures = 0;
                    continue;
                }
                Ok(Err(e)) | Err(e) => {
                    if matches!(e, CoreError::SignedOut(_)) {
                        self.emit(Event::SignedOut);
                        return;
                    }
                    let wait = backoff(failures, Duration::from_secs(30));
                    failures = failures.saturating_add(1);
                    tracing::info!(error = %e, wait_ms = wait.as_millis() as u64, "sync offline; retrying");
                    self.emit(Event::Sync(SyncStatus::Offline {
                        retry_in_ms: wait.as_millis() as u64,
                        reason: e.to_string(),
                    }));
                    tokio::select! {
                        _ = tokio::time::sleep(wait) => {}
                        _ = stop.changed() => return,
                    }
                    continue;
                }
            }
        }
    }
}

/// How a push stream ended without breaking.
enum StreamEnd {
    /// This app asked to stop.
    Stopped,
    /// The server closed it for a fresh access token.
    Reauthenticate,
}

/// Follows the push stream: every `changed` (and a timer for the outbox) triggers a sync.
/// Returns how it ended, or Err when the stream breaks.
async fn ws_loop<S>(engine: &SyncEngine, ws: &mut S, stop: &mut watch::Receiver<bool>) -> Result<StreamEnd>
where
    S: futures_util::Stream<
            Item = std::result::Result<tokio_tungstenite::tungstenite::Message, tokio_tungstenite::tungstenite::Error>,
        > + Unpin,
{
    use tokio_tungstenite::tungstenite::Message as Ws;
    // A machine that slept or a dead link shows as silence: the server pings every 25 s.
    let silence = Duration::from_secs(60);
    let mut outbox_tick = tokio::time::interval(Duration::from_secs(5));
    loop {
        tokio::select! {
            msg = tokio::time::timeout(silence, ws.next()) => match msg {
                Ok(Some(Ok(Ws::Text(_)))) => {
                    engine.sync(&|_, _| {}).await?;
                }
                Ok(Some(Ok(Ws::Close(Some(frame)))))
                    if u16::from(frame.code) == domkom_domain::wire::STREAM_CLOSE_REAUTHENTICATE =>
                {
                    return Ok(StreamEnd::Reauthenticate);
                }
                Ok(Some(Ok(Ws::Close(_)))) | Ok(None) => return Err(CoreError::network("the push stream closed")),
                Ok(Some(Ok(_))) => {}
                Ok(Some(Err(e))) => {
                    return Err(CoreError::Network { reason: "the push stream broke".into(), source: Some(Box::new(e)) });
                }
                Err(_) => return Err(CoreError::network("the push stream went silent")),
            },
            _ = outbox_tick.tick() => {
                engine.flush_outbox().await?;
            }
            _ = stop.changed() => return Ok(StreamEnd::Stopped),
        }
    }
}
