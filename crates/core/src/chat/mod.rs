//! House chats: what the feed stores of them ([`apply`]), the reads ([`read`], [`search`])
//! and the handle the app and the CLI call ([`Chats`], from [`Client::chats`]).

mod apply;
mod read;
mod search;

pub use apply::{NewMessage, NewPin};
pub(crate) use apply::{apply, purge_house, store_message, store_reaction};
pub use read::{ChannelHouse, ChatMessage, ChatSummary, MessageState, ReactionCount};
pub use search::{SearchHit, fts_query};

use domkom_domain::chat::{self, CommunityKind};
use domkom_domain::id::*;
use domkom_domain::message::validate_message_body;
use domkom_domain::wire::{self, ChatOffer};

use crate::client::{Client, Written};
use crate::error::{CoreError, Result};
use crate::events::Event;
use crate::outbox::Request;
use crate::sync::blocking;

/// The chats of a signed-in person.
pub struct Chats<'a> {
    client: &'a Client,
}

/// A chat id that is none of the person's.
fn no_such_chat(id: i64) -> CoreError {
    CoreError::invalid(
        "no_such_chat",
        &[("id", id.to_string())],
        format!("no chat {id} among yours; `domkom chats` lists them"),
    )
}

/// A channel post's houses refused by the domain's rule, with a code for the UI's words.
fn target_error(e: &chat::Refusal) -> CoreError {
    let (code, params) = match e {
        chat::Refusal::HouseNotInChannel(h) => ("house_not_in_channel", vec![("house", h.to_string())]),
        chat::Refusal::HouseNotManaged(h) => ("house_not_managed", vec![("house", h.to_string())]),
        chat::Refusal::TooManyHouses => ("post_too_many_houses", vec![("max", chat::MAX_POST_HOUSES.to_string())]),
        _ => ("targets_outside_channel", vec![]),
    };
    CoreError::invalid(code, &params, e.to_string())
}

/// Checks a message's text by the domain's rule, with the rule's code for the UI's words.
fn checked_body(body: &str) -> Result<&str> {
    validate_message_body(body).map_err(|e| CoreError::refused(&e))
}

impl Client {
    /// The person's chats.
    pub fn chats(&self) -> Chats<'_> {
        Chats { client: self }
    }
}

impl Chats<'_> {
    /// The chat list with unread counts (from the cache; works offline).
    pub async fn list(&self) -> Result<Vec<ChatSummary>> {
        let now = self.client.api.http().clock().now();
        blocking(&self.client.cache, move |c| c.chat_list(now)).await
    }

    /// Resolves what a person typed as a chat: a community id or the id of a house with a
    /// chat, among the person's chats first, then among the communities cached for them
    /// (the Inspection's cache holds every community without joining any).
    pub async fn resolve(&self, id: i64) -> Result<CommunityId> {
        let chats = self.list().await?;
        let mine = chats
            .iter()
            .find(|c| c.community_id.get() == id)
            .or_else(|| chats.iter().find(|c| c.house_id == Some(HouseId(id)) && c.kind == CommunityKind::HouseChat))
            .map(|c| c.community_id);
        if let Some(found) = mine {
            return Ok(found);
        }
        blocking(&self.client.cache, move |c| c.cached_community(id)).await?.ok_or_else(|| no_such_chat(id))
    }

    /// A page of a chat, newest first (local echoes first), scrolling back on demand.
    pub async fn messages(
        &self,
        community: CommunityId,
        before: Option<MessageId>,
        limit: usize,
    ) -> Result<Vec<ChatMessage>> {
        self.client.engine.messages(community, before, limit).await
    }

    /// Fetches a chat's whole history into the cache (staff who gained a house, a member who
    /// wants it all offline): the community's own part of the change feed from its start, in
    /// pages of 5,000, without moving the global cursor. Returns the messages cached.
    pub async fn fetch_history(&self, community: CommunityId) -> Result<usize> {
        const PAGE: usize = 5000;
        let scope = format!("c:{community}");
        let mut after = 0;
        loop {
            let page = self.client.api.changes(after, PAGE, Some(&scope)).await?;
            let changes = page.changes;
            blocking(&self.client.cache, move |c| c.apply_catch_up(&changes).map(drop)).await?;
            after = page.cursor;
            if !page.has_more {
                break;
            }
        }
        blocking(&self.client.cache, move |c| c.history_complete(community)).await?;
        self.client.emit(Event::Chat { community_id: community });
        blocking(&self.client.cache, move |c| c.message_count(community)).await
    }

    /// Queues a message (shown at once) and tries to send it.
    pub async fn send(&self, community: CommunityId, body: &str, reply_to: Option<MessageId>) -> Result<Written> {
        let body = checked_body(body)?.to_owned();
        self.client.enqueue(Request::SendMessage { community_id: community, body, reply_to, houses: Vec::new() }).await
    }

    /// Queues a microdistrict channel's post for some of its houses (shown at once) and
    /// tries to send it. The houses must be the channel's own (the server also checks that
    /// the person's organisation manages them).
    pub async fn post_to_houses(&self, community: CommunityId, body: &str, houses: &[HouseId]) -> Result<Written> {
        let body = checked_body(body)?.to_owned();
        let mut houses = houses.to_vec();
        houses.sort_unstable();
        houses.dedup();
        let cached = blocking(&self.client.cache, move |c| c.community(community)).await?;
        let Some(channel) = cached else {
            return Err(no_such_chat(community.get()));
        };
        chat::check_targets(channel.kind, &houses, &channel.house_ids, None).map_err(|e| target_error(&e))?;
        self.client.enqueue(Request::SendMessage { community_id: community, body, reply_to: None, houses }).await
    }

    /// The houses of a channel the person may address a post to (from the cache).
    pub async fn channel_houses(&self, community: CommunityId) -> Result<Vec<ChannelHouse>> {
        blocking(&self.client.cache, move |c| c.channel_houses(community)).await
    }

    /// Sets the person's reaction to a message (one of [`chat::REACTIONS`]; a keyboard's ❤
    /// is taken for ❤️), or takes it back (`None`). Shown at once; sent through the outbox,
    /// where a newer reaction replaces one still waiting.
    pub async fn react(&self, message: MessageId, emoji: Option<&str>) -> Result<Written> {
        let emoji = match emoji {
            Some(e) => Some(
                chat::reaction(e)
                    .map_err(|_| {
                        CoreError::invalid(
                            "unknown_reaction",
                            &[("emoji", e.to_owned())],
                            format!("«{e}» is not one of the reactions: {}", chat::REACTIONS.join(" ")),
                        )
                    })?
                    .to_owned(),
            ),
            None => None,
        };
        let community =
            blocking(&self.client.cache, move |c| c.message_community(message)).await?.ok_or_else(|| {
                CoreError::invalid(
                    "no_such_message",
                    &[("message", message.to_string())],
                    format!("no message {message} among your chats' cached messages; `domkom sync` first"),
                )
            })?;
        blocking(&self.client.cache, move |c| c.drop_reactions(message)).await?;
        let written =
            self.client.enqueue(Request::React { message_id: message, community_id: community, emoji }).await?;
        // Refused now (a moderator's mute): said with the server's words, and not kept, since
        // a refused reaction is not shown.
        if let Some(item) = written.waiting.as_ref().filter(|i| i.state == crate::outbox::OutboxState::Failed) {
            let error = CoreError::Refused {
                status: 403,
                code: item.error_code.clone().unwrap_or_default(),
                message: item.error_message.clone().unwrap_or_default(),
                params: item.error_params.clone(),
            };
            blocking(&self.client.cache, move |c| c.drop_reactions(message)).await?;
            return Err(error);
        }
        Ok(written)
    }

    /// Retries a failed message, optionally with new text (a new message to the server).
    pub async fn retry(&self, client_key: &str, new_body: Option<&str>) -> Result<()> {
        let new_body = new_body.map(checked_body).transpose()?.map(str::to_owned);
        let edit = move |request: &mut Request| {
            // Anything but a message is retried as it was.
            if let (Request::SendMessage { body, .. }, Some(new)) = (request, &new_body) {
                body.clone_from(new);
            }
        };
        self.client.retry(client_key, Some(Box::new(edit))).await
    }

    /// Discards an unsent message; false when it was not in the outbox any more.
    pub async fn discard(&self, client_key: &str) -> Result<bool> {
        self.client.discard(client_key).await
    }

    /// Searches all cached chats.
    pub async fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>> {
        let q = query.to_owned();
        blocking(&self.client.cache, move |c| c.search(&q, limit)).await
    }

    /// Marks a chat read up to a message.
    pub async fn mark_read(&self, community: CommunityId, up_to: MessageId) -> Result<()> {
        blocking(&self.client.cache, move |c| c.mark_read(community, up_to)).await?;
        self.client.emit(Event::Chats);
        Ok(())
    }

    /// Turns a chat's notifications off or on.
    pub async fn set_muted(&self, community: CommunityId, muted: bool) -> Result<()> {
        blocking(&self.client.cache, move |c| c.set_muted(community, muted)).await?;
        self.client.emit(Event::Chats);
        Ok(())
    }

    /// House chats the person may join (needs the server).
    pub async fn offers(&self) -> Result<Vec<ChatOffer>> {
        Ok(self.client.api.me().await?.offers)
    }

    /// The person's houses under 16 flats that have no chat yet: they may open one.
    pub async fn openable(&self) -> Result<Vec<wire::House>> {
        // The Inspection caches every house of the city; it opens no house's chat.
        let staff = self.client.person().await?.and_then(|p| p.staff_role);
        if staff == Some(domkom_domain::StaffRole::Inspector) {
            return Ok(Vec::new());
        }
        let houses = self.client.houses().list().await?;
        let chats = self.list().await?;
        Ok(houses
            .into_iter()
            .filter(|h| h.flats < domkom_domain::chat::OFFICIAL_CHAT_FLATS)
            .filter(|h| h.community_id.is_none() && !chats.iter().any(|c| c.house_id == Some(h.id)))
            .collect())
    }

    /// Opens the chat of a small house (unofficial; the opener moderates it) and syncs.
    pub async fn open_for_house(&self, house: HouseId) -> Result<wire::Community> {
        let community: wire::Community =
            self.client.api.call::<(), _>(reqwest::Method::POST, &format!("v1/houses/{house}/chat"), None).await?;
        self.client.engine.sync(&|_, _| {}).await?;
        Ok(community)
    }

    /// Joins an offered house chat and syncs, so it shows at once.
    pub async fn join(&self, community: CommunityId) -> Result<()> {
        self.client.api.join(community).await?;
        self.client.engine.sync(&|_, _| {}).await?;
        Ok(())
    }

    /// Edits one's own sent message (needs the server).
    pub async fn edit(&self, message: MessageId, body: &str) -> Result<()> {
        let m = self.client.api.edit(message, checked_body(body)?).await?;
        let community = m.community_id;
        blocking(&self.client.cache, move |c| c.store_message(&m)).await?;
        self.client.emit(Event::Chat { community_id: community });
        Ok(())
    }

    /// Deletes a sent message (needs the server; moderators may delete others').
    pub async fn delete(&self, message: MessageId) -> Result<()> {
        let m = self.client.api.delete(message).await?;
        let community = m.community_id;
        blocking(&self.client.cache, move |c| c.store_message(&m)).await?;
        self.client.emit(Event::Chat { community_id: community });
        Ok(())
    }
}
