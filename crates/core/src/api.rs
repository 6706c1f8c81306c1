//! The backend's API: typed calls, a fresh access token on each, one retry after a 401.
//! Answers are read by [`crate::http`], the one reader of the server's answers.

use std::sync::Arc;

use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;

use domkom_domain::id::*;
use domkom_domain::meter::SubmitReading;
use domkom_domain::notice::PostOutage;
use domkom_domain::ticket::{AssignTicket, CommentTicket, ConfirmTicket, FileTicket, MoveTicket, Staff, Upload};
use domkom_domain::wire::{
    ChangesPage, Community, Me, Membership, Message, MessagesPage, Notice, React, Reaction, Reading, SendMessage,
    Ticket, TicketComment,
};

use crate::error::{CoreError, Result};
use crate::http::{Http, error_from, read_answer, transport};
use crate::session::Session;

/// The backend's API as the core uses it.
pub struct Api {
    session: Arc<Session>,
}

impl Api {
    /// The API of the session's server, signing requests with the session's tokens.
    pub fn new(session: Arc<Session>) -> Api {
        Api { session }
    }

    pub(crate) fn http(&self) -> &Http {
        self.session.http()
    }

    /// The session the API signs with.
    pub fn session(&self) -> &Arc<Session> {
        &self.session
    }

    /// A JSON request signed with a fresh token; the answer decoded, or its error.
    pub(crate) async fn call<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<T> {
        let resp = self
            .raw(method, path, |req| match body {
                Some(b) => req.json(b),
                None => req,
            })
            .await?;
        read_answer(resp).await
    }

    /// The reference backend's demo persons (public; empty on a real platform).
    pub async fn demo_persons(&self) -> Result<Vec<domkom_domain::wire::DemoPerson>> {
        let url = self.http().endpoint("v1/demo/persons")?;
        let resp = self.http().client().get(url).send().await.map_err(transport)?;
        if resp.status() == StatusCode::NOT_FOUND {
            return Ok(Vec::new());
        }
        read_answer(resp).await
    }

    /// Who the caller is.
    pub async fn me(&self) -> Result<Me> {
        self.call::<(), _>(Method::GET, "v1/me", None).await
    }

    /// A page of the change feed; `scope` narrows it to one audience such as `c:12`.
    pub async fn changes(&self, after: i64, limit: usize, scope: Option<&str>) -> Result<ChangesPage> {
        let mut path = format!("v1/changes?after={after}&limit={limit}");
        if let Some(s) = scope {
            path.push_str(&format!("&scope={s}"));
        }
        self.call::<(), _>(Method::GET, &path, None).await
    }

    /// A page of a chat's history older than `before`.
    pub async fn history(
        &self,
        community: CommunityId,
        before: Option<MessageId>,
        limit: usize,
    ) -> Result<MessagesPage> {
        let mut path = format!("v1/communities/{community}/messages?limit={limit}");
        if let Some(b) = before {
            path.push_str(&format!("&before={b}"));
        }
        self.call::<(), _>(Method::GET, &path, None).await
    }

    /// A community.
    pub async fn community(&self, id: CommunityId) -> Result<Community> {
        self.call::<(), _>(Method::GET, &format!("v1/communities/{id}"), None).await
    }

    /// Sends a message with its idempotency key.
    pub async fn send(
        &self,
        community: CommunityId,
        client_key: &str,
        body: &str,
        reply_to: Option<MessageId>,
        houses: &[HouseId],
    ) -> Result<Message> {
        let req =
            SendMessage { client_key: client_key.to_owned(), body: body.to_owned(), reply_to, houses: houses.to_vec() };
        self.call(Method::POST, &format!("v1/communities/{community}/messages"), Some(&req)).await
    }

    /// Sets the person's reaction to a message.
    pub async fn react(&self, message: MessageId, emoji: &str) -> Result<Reaction> {
        let req = React { emoji: emoji.to_owned() };
        self.call(Method::PUT, &format!("v1/messages/{message}/reaction"), Some(&req)).await
    }

    /// Takes the person's reaction to a message back.
    pub async fn unreact(&self, message: MessageId) -> Result<()> {
        let resp = self.raw(Method::DELETE, &format!("v1/messages/{message}/reaction"), |req| req).await?;
        if resp.status().is_success() { Ok(()) } else { Err(error_from(resp).await) }
    }

    /// Submits a meter reading with its idempotency key.
    pub async fn submit_reading(&self, device: DeviceId, req: &SubmitReading) -> Result<Reading> {
        self.call(Method::POST, &format!("v1/devices/{device}/readings"), Some(req)).await
    }

    /// Posts a dispatcher's outage notice with its idempotency key.
    pub async fn post_outage(&self, req: &PostOutage) -> Result<Notice> {
        self.call(Method::POST, "v1/notices", Some(req)).await
    }

    /// Files a ticket with its idempotency key.
    pub async fn file_ticket(&self, req: &FileTicket) -> Result<Ticket> {
        self.call(Method::POST, "v1/tickets", Some(req)).await
    }

    /// Moves a ticket.
    pub async fn move_ticket(&self, id: TicketId, req: &MoveTicket) -> Result<Ticket> {
        self.call(Method::POST, &format!("v1/tickets/{id}/status"), Some(req)).await
    }

    /// Confirms a done ticket.
    pub async fn confirm_ticket(&self, id: TicketId, req: &ConfirmTicket) -> Result<Ticket> {
        self.call(Method::POST, &format!("v1/tickets/{id}/confirm"), Some(req)).await
    }

    /// Gives a ticket to an executor.
    pub async fn assign_ticket(&self, id: TicketId, req: &AssignTicket) -> Result<Ticket> {
        self.call(Method::PUT, &format!("v1/tickets/{id}/assignee"), Some(req)).await
    }

    /// Comments on a ticket.
    pub async fn comment_ticket(&self, id: TicketId, req: &CommentTicket) -> Result<TicketComment> {
        self.call(Method::POST, &format!("v1/tickets/{id}/comments"), Some(req)).await
    }

    /// Joins a ticket ("me too") or leaves it.
    pub async fn join_ticket(&self, id: TicketId, join: bool) -> Result<Ticket> {
        let method = if join { Method::PUT } else { Method::DELETE };
        self.call::<(), _>(method, &format!("v1/tickets/{id}/cosigners/me"), None).await
    }

    /// How far an upload of the signed-in person's got (none: the server has no byte of it).
    pub async fn upload_status(&self, key: &str) -> Result<Option<Upload>> {
        match self.call::<(), _>(Method::GET, &format!("v1/uploads/{key}"), None).await {
            Ok(up) => Ok(Some(up)),
            Err(CoreError::Refused { status: 404, .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Sends the bytes of a photo that start at `offset`; `total` is its whole size.
    pub async fn append_upload(&self, key: &str, offset: u64, total: u64, chunk: Vec<u8>) -> Result<Upload> {
        let resp = self
            .raw(Method::PATCH, &format!("v1/uploads/{key}"), |req| {
                req.header("upload-offset", offset)
                    .header("upload-length", total)
                    .header(reqwest::header::CONTENT_TYPE, "application/octet-stream")
                    .body(chunk.clone())
            })
            .await?;
        read_answer(resp).await
    }

    /// A ticket's photo, or its thumbnail.
    pub async fn ticket_photo(&self, ticket: TicketId, photo: &str, thumb: bool) -> Result<Vec<u8>> {
        let resp = self.raw(Method::GET, &format!("v1/tickets/{ticket}/photos/{photo}?thumb={thumb}"), |r| r).await?;
        if !resp.status().is_success() {
            return Err(error_from(resp).await);
        }
        Ok(resp.bytes().await.map_err(transport)?.to_vec())
    }

    /// A request built by `build`, signed with a fresh access token and sent once more with
    /// a new one after a 401 (the token may expire between checking and using it); the answer
    /// as it came.
    async fn raw(
        &self,
        method: Method,
        path: &str,
        build: impl Fn(reqwest::RequestBuilder) -> reqwest::RequestBuilder,
    ) -> Result<reqwest::Response> {
        let url = self.http().endpoint(path)?;
        for attempt in 0..2 {
            let token = self.session.access_token().await?;
            let req = build(self.http().client().request(method.clone(), url.clone()).bearer_auth(token));
            let resp = req.send().await.map_err(transport)?;
            self.http().clock().learn(resp.headers());
            if resp.status() == StatusCode::UNAUTHORIZED && attempt == 0 {
                self.session.invalidate_access().await;
                continue;
            }
            return Ok(resp);
        }
        Err(CoreError::SignedOut("the server refused a fresh token".into()))
    }

    /// The staff of a house's managing organisation.
    pub async fn staff(&self, house: HouseId) -> Result<Vec<Staff>> {
        self.call::<(), _>(Method::GET, &format!("v1/houses/{house}/staff"), None).await
    }

    /// Edits one's own message.
    pub async fn edit(&self, id: MessageId, body: &str) -> Result<Message> {
        self.call(Method::PATCH, &format!("v1/messages/{id}"), Some(&serde_json::json!({ "body": body }))).await
    }

    /// Deletes a message.
    pub async fn delete(&self, id: MessageId) -> Result<Message> {
        self.call::<(), _>(Method::DELETE, &format!("v1/messages/{id}"), None).await
    }

    /// Joins an offered house chat.
    pub async fn join(&self, community: CommunityId) -> Result<Membership> {
        self.call(Method::POST, &format!("v1/communities/{community}/join"), Some(&serde_json::json!({}))).await
    }

    /// The push stream's URL and the bearer header to open it with.
    pub async fn stream_request(&self) -> Result<tokio_tungstenite::tungstenite::handshake::client::Request> {
        use tokio_tungstenite::tungstenite::client::IntoClientRequest;
        let mut url = self.http().endpoint("v1/stream")?;
        let scheme = if url.scheme() == "https" { "wss" } else { "ws" };
        url.set_scheme(scheme).map_err(|_| CoreError::network("the server URL has no WebSocket form"))?;
        let mut req = url
            .as_str()
            .into_client_request()
            .map_err(|e| CoreError::Network { reason: "bad push stream address".into(), source: Some(Box::new(e)) })?;
        let token = self.session.access_token().await?;
        let value = format!("Bearer {token}")
            .parse()
            .map_err(|_| CoreError::SignedOut("the server gave a token that is not a header value".into()))?;
        req.headers_mut().insert("authorization", value);
        Ok(req)
    }
}
