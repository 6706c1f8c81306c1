//! Sign-in against the backend's OAuth 2.0 authorization code flow with PKCE (S256), through
//! the system browser and a loopback redirect listener (RFC 8252).
//!
//! The refresh token lives only in the [`SecretStore`]; the access token only in memory.
//! The server rotates refresh tokens and revokes the whole family when a spent one is shown
//! again, so every use of the refresh token happens under one mutex, and the new token is in
//! the keyring before anyone is handed the access token that came with it.

use std::net::Ipv4Addr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Mutex;
use tokio::task::JoinSet;
use url::Url;

use domkom_domain::wire::{PersonInfo, TokenResponse};

use crate::error::{CoreError, Result};
use crate::http::{Http, error_from, read_answer, transport};
use crate::secrets::SecretStore;

/// The OAuth client id of the Domkom desktop app and CLI.
pub const CLIENT_ID: &str = "domkom-desktop";

/// The [`SecretStore`] name of the refresh token.
pub const REFRESH_TOKEN: &str = "refresh-token";

/// An access token is renewed this long before it expires (or at half its lifetime, if that
/// is shorter), so that a request started with it does not arrive after it died.
const EXPIRY_MARGIN: Duration = Duration::from_secs(60);

/// The longest any request to the server may take.
const HTTP_TIMEOUT: Duration = Duration::from_secs(30);

/// Sign-out revokes on the server as a courtesy; offline it must not keep the person waiting.
const REVOKE_TIMEOUT: Duration = Duration::from_secs(5);

/// How long [`Session::login_demo`] waits for its own redirect.
const DEMO_TIMEOUT: Duration = Duration::from_secs(30);

/// The path of the loopback redirect URI.
const CALLBACK_PATH: &str = "/callback";

/// A browser's request head is far smaller; anything bigger is not a browser.
const MAX_REQUEST_HEAD: usize = 16 * 1024;

/// Browsers open speculative connections that never send a request; they are given up on
/// after this long, without holding up the real one.
const REQUEST_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// The access token as held in memory, never anywhere else.
struct Access {
    token: String,
    renew_at: Instant,
    expires_at: Instant,
}

/// A signed-in (or signed-out) person on one server: renews the access token from the
/// refresh token in the keyring, and signs in and out.
pub struct Session {
    http: Http,
    secrets: Arc<dyn SecretStore>,
    // Held across every refresh and sign-in, which serialises uses of the refresh token.
    access: Mutex<Option<Access>>,
    person: Mutex<Option<PersonInfo>>,
    /// Whether a refresh token is stored, once known: every store and delete goes through
    /// this session, so only the first question has to go to the keyring (a D-Bus round
    /// trip, asked before every command of the app).
    stored: std::sync::Mutex<Option<bool>>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session").field("server", &self.http.base().as_str()).finish_non_exhaustive()
    }
}

impl Session {
    /// A session with the server at `server`, keeping its refresh token in `secrets`.
    pub fn new(server: Url, secrets: Arc<dyn SecretStore>) -> Result<Session> {
        Ok(Session::with_http(Http::new(server, HTTP_TIMEOUT)?, secrets))
    }

    /// A session over a given HTTP client (the one the API shares).
    pub fn with_http(http: Http, secrets: Arc<dyn SecretStore>) -> Session {
        Session {
            http,
            secrets,
            access: Mutex::new(None),
            person: Mutex::new(None),
            stored: std::sync::Mutex::new(None),
        }
    }

    /// The HTTP client of this session's server.
    pub fn http(&self) -> &Http {
        &self.http
    }

    /// The server this session signs in to.
    pub fn server(&self) -> &Url {
        self.http.base()
    }

    /// Binds a loopback listener on 127.0.0.1 (any free port), makes the PKCE verifier,
    /// challenge and state, and returns the sign-in to continue in the system browser.
    pub async fn begin_login(&self) -> Result<PendingLogin> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let port = listener.local_addr()?.port();
        let redirect_uri = format!("http://127.0.0.1:{port}{CALLBACK_PATH}");
        let verifier = random_token(32);
        let state = random_token(16);
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
        let mut url = self.endpoint("oauth/authorize")?;
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", CLIENT_ID)
            .append_pair("redirect_uri", &redirect_uri)
            .append_pair("code_challenge", &challenge)
            .append_pair("code_challenge_method", "S256")
            .append_pair("state", &state);
        Ok(PendingLogin { url: url.into(), listener, verifier, state, redirect_uri })
    }

    /// Signs in a demo person of the reference backend without a browser, doing what the
    /// browser would: opens the sign-in page, submits its form with `person=<key>`, and
    /// follows the redirect to this app's loopback listener.
    pub async fn login_demo(&self, person: &str) -> Result<PersonInfo> {
        let pending = self.begin_login().await?;
        let page_url = pending.url.clone();
        let redirect_uri = pending.redirect_uri.clone();
        let finish = pending.finish(self, DEMO_TIMEOUT);
        tokio::pin!(finish);
        tokio::select! {
            finished = &mut finish => finished,
            browsed = self.act_as_browser(&page_url, &redirect_uri, person) => {
                // The listener answers the "browser" only after the exchange, so this is
                // already done unless the browser side failed.
                browsed?;
                finish.await
            }
        }
    }

    /// A live access token: the one held in memory, or a fresh one from the refresh token in
    /// the keyring (whose successor is stored before this returns).
    pub async fn access_token(&self) -> Result<String> {
        let mut access = self.access.lock().await;
        if let Some(held) = access.as_ref()
            && Instant::now() < held.renew_at
        {
            return Ok(held.token.clone());
        }
        let held = access.take();
        let Some(refresh) = self.with_secrets(|s| s.get(REFRESH_TOKEN)).await? else {
            *self.stored_flag() = Some(false);
            return Err(CoreError::SignedOut("no one has signed in to this server here".into()));
        };
        let sent = Instant::now();
        let answer = self
            .post_token(&[("grant_type", "refresh_token"), ("refresh_token", &refresh), ("client_id", CLIENT_ID)])
            .await;
        let tokens = match answer {
            Ok(tokens) => tokens,
            Err(CoreError::Refused { code, message, .. }) if code == "invalid_grant" => {
                // The server ended this session (signed out elsewhere, expired, or revoked
                // after a reuse); the stored token can never work again.
                self.with_secrets(|s| s.delete(REFRESH_TOKEN)).await?;
                *self.stored_flag() = Some(false);
                *self.person.lock().await = None;
                tracing::info!("the server ended the session");
                return Err(CoreError::SignedOut(message));
            }
            Err(e) => {
                // Offline in the last minute of a token's life: it still works, so use it.
                if e.is_transient()
                    && let Some(held) = held.filter(|held| Instant::now() < held.expires_at)
                {
                    let token = held.token.clone();
                    *access = Some(held);
                    return Ok(token);
                }
                return Err(e);
            }
        };
        let token = self.keep(&mut access, tokens, sent).await?;
        tracing::debug!("access token renewed");
        Ok(token)
    }

    /// Forgets the in-memory access token (after a 401), so the next call renews it.
    pub async fn invalidate_access(&self) {
        *self.access.lock().await = None;
    }

    /// Whether a refresh token is stored. The first call asks the keyring (synchronously);
    /// later ones answer from what this session stored and deleted since. A token deleted
    /// behind its back shows at the next renewal, which then signs out.
    pub fn has_session(&self) -> Result<bool> {
        if let Some(known) = *self.stored_flag() {
            return Ok(known);
        }
        let stored = self.secrets.get(REFRESH_TOKEN)?.is_some();
        // A sign-in or sign-out that finished meanwhile knows better than this read.
        Ok(*self.stored_flag().get_or_insert(stored))
    }

    fn stored_flag(&self) -> std::sync::MutexGuard<'_, Option<bool>> {
        self.stored.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The signed-in person, once a sign-in or a renewal has told.
    pub async fn person(&self) -> Option<PersonInfo> {
        self.person.lock().await.clone()
    }

    /// Revokes the session on the server (best effort: offline is fine) and deletes the
    /// refresh token from the keyring. The caller clears the cache.
    pub async fn logout(&self) -> Result<()> {
        // Under the lock, so that no renewal stores a new refresh token after the deletion.
        let mut access = self.access.lock().await;
        let held = access.take();
        *self.person.lock().await = None;
        let stored = self.with_secrets(|s| s.get(REFRESH_TOKEN)).await;
        // Either token ends the whole family on the server; the refresh one lives longer.
        let token = match &stored {
            Ok(Some(refresh)) => Some(refresh.as_str()),
            _ => held.as_ref().map(|a| a.token.as_str()),
        };
        if let Some(token) = token {
            self.revoke(token).await;
        }
        stored?;
        self.with_secrets(|s| s.delete(REFRESH_TOKEN)).await?;
        *self.stored_flag() = Some(false);
        tracing::info!("signed out");
        Ok(())
    }

    /// Exchanges an authorization code, keeps the tokens, and ends any earlier session of
    /// this profile on the server.
    async fn exchange_code(&self, code: &str, verifier: &str, redirect_uri: &str) -> Result<PersonInfo> {
        let mut access = self.access.lock().await;
        let sent = Instant::now();
        let tokens = self
            .post_token(&[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("code_verifier", verifier),
                ("redirect_uri", redirect_uri),
                ("client_id", CLIENT_ID),
            ])
            .await?;
        // A keyring that fails here fails again in `keep`, which reports it.
        let previous = self.with_secrets(|s| s.get(REFRESH_TOKEN)).await.ok().flatten();
        let person = tokens.person.clone();
        self.keep(&mut access, tokens, sent).await?;
        if let Some(previous) = previous {
            // Otherwise the earlier sign-in would stay valid on the server until it expires.
            self.revoke(&previous).await;
        }
        tracing::info!(person = person.id.get(), "signed in");
        Ok(person)
    }

    /// Stores the new refresh token, then holds the access token and the person.
    async fn keep(&self, access: &mut Option<Access>, tokens: TokenResponse, sent: Instant) -> Result<String> {
        let TokenResponse { access_token, expires_in, refresh_token, person, .. } = tokens;
        // The old refresh token is spent: if the new one were lost, the next start would
        // present the spent one, which the server forgives only briefly before it ends the
        // session everywhere.
        self.with_secrets(move |s| s.set(REFRESH_TOKEN, &refresh_token)).await?;
        *self.stored_flag() = Some(true);
        let lifetime = Duration::from_secs(u64::try_from(expires_in).unwrap_or(0));
        // Counted from before the request left, so the server's clock is never behind ours.
        let expires_at = sent + lifetime;
        let renew_at = expires_at - EXPIRY_MARGIN.min(lifetime / 2);
        *access = Some(Access { token: access_token.clone(), renew_at, expires_at });
        *self.person.lock().await = Some(person);
        Ok(access_token)
    }

    /// Asks the server to end the session a token belongs to; failures are only logged.
    async fn revoke(&self, token: &str) {
        let url = match self.endpoint("oauth/revoke") {
            Ok(url) => url,
            Err(e) => {
                tracing::warn!(error = %e, "cannot revoke the session");
                return;
            }
        };
        let sent = self.http.client().post(url).timeout(REVOKE_TIMEOUT).form(&[("token", token)]).send().await;
        match sent {
            Ok(answer) if answer.status().is_success() => {}
            Ok(answer) => {
                tracing::warn!(status = answer.status().as_u16(), "the server did not revoke the session")
            }
            Err(e) => {
                tracing::warn!(error = %transport(e), "could not reach the server to revoke the session; it ends when it expires")
            }
        }
    }

    /// Posts a form to the token endpoint.
    async fn post_token(&self, form: &[(&str, &str)]) -> Result<TokenResponse> {
        let answer =
            self.http.client().post(self.endpoint("oauth/token")?).form(form).send().await.map_err(transport)?;
        // A sign-in is the first answer a new person gets: the server's clock starts here.
        self.http.clock().learn(answer.headers());
        read_answer(answer).await
    }

    /// Plays the browser's part of a demo sign-in, up to the loopback listener's answer.
    async fn act_as_browser(&self, page_url: &str, redirect_uri: &str, person: &str) -> Result<()> {
        let page_url =
            Url::parse(page_url).map_err(|e| CoreError::network(format!("the server gave a bad sign-in URL: {e}")))?;
        let page = self.http.client().get(page_url.clone()).send().await.map_err(transport)?;
        if !page.status().is_success() {
            return Err(error_from(page).await);
        }
        let html = page.text().await.map_err(transport)?;
        let form =
            SignInForm::parse(&html).ok_or_else(|| CoreError::network("the sign-in page has no sign-in form"))?;
        if !form.persons.iter().any(|p| p == person) {
            let offers = form.persons.join(", ");
            return Err(CoreError::invalid(
                "no_such_demo_person",
                &[("person", person.to_owned()), ("offers", offers.clone())],
                format!("the server has no demo person «{person}»; it offers: {offers}"),
            ));
        }
        let action = page_url
            .join(&form.action)
            .map_err(|e| CoreError::network(format!("the sign-in form posts to a bad address: {e}")))?;
        let mut fields = form.hidden;
        fields.push(("person".to_owned(), person.to_owned()));
        let answer = self.http.client().post(action.clone()).form(&fields).send().await.map_err(transport)?;
        if !answer.status().is_redirection() {
            return Err(error_from(answer).await);
        }
        let target = answer
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|location| action.join(location).ok())
            .ok_or_else(|| CoreError::network("the sign-in redirected without a usable Location"))?;
        // The code is for this app's listener only; never carry it anywhere else.
        if !target.as_str().starts_with(&format!("{redirect_uri}?")) {
            return Err(CoreError::network("the sign-in redirected somewhere other than this app"));
        }
        // Straight to the loopback address: a configured proxy has no business seeing it.
        let loopback = reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(HTTP_TIMEOUT)
            .build()
            .map_err(transport)?;
        let done = loopback.get(target).send().await.map_err(transport)?;
        if !done.status().is_success() {
            return Err(CoreError::network(format!("this app's sign-in listener answered {}", done.status().as_u16())));
        }
        Ok(())
    }

    /// The address of an endpoint of the server.
    fn endpoint(&self, path: &str) -> Result<Url> {
        self.http.endpoint(path)
    }

    /// Runs keyring work off the async threads: the OS keyring answers synchronously.
    async fn with_secrets<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn SecretStore) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let secrets = self.secrets.clone();
        tokio::task::spawn_blocking(move || f(secrets.as_ref()))
            .await
            .map_err(|e| CoreError::Keyring(format!("the keyring call did not finish: {e}")))?
    }
}

/// A sign-in waiting for the browser to come back to this app's loopback listener.
pub struct PendingLogin {
    url: String,
    listener: TcpListener,
    verifier: String,
    state: String,
    redirect_uri: String,
}

impl std::fmt::Debug for PendingLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The verifier stays out of logs: with an intercepted code it would sign someone in.
        f.debug_struct("PendingLogin").field("url", &self.url).finish_non_exhaustive()
    }
}

impl PendingLogin {
    /// The sign-in page to open in the system browser.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Waits for the browser's redirect (checking its state), exchanges the code with the
    /// verifier, stores the refresh token in the keyring, keeps the access token in memory,
    /// and tells the browser tab to go back to the app.
    pub async fn finish(self, session: &Session, timeout: Duration) -> Result<PersonInfo> {
        let PendingLogin { listener, verifier, state, redirect_uri, .. } = self;
        let waited = tokio::time::timeout(timeout, wait_for_callback(&listener, &state)).await;
        let (callback, mut browser) = waited.map_err(|_| {
            CoreError::SignedOut(format!(
                "the sign-in in the browser was not completed within {} s; start it again",
                timeout.as_secs()
            ))
        })??;
        drop(listener);
        let outcome = match callback {
            Callback::Code(code) => session.exchange_code(&code, &verifier, &redirect_uri).await,
            Callback::Error { code, message } => {
                Err(CoreError::Refused { status: 400, code, message, params: Default::default() })
            }
        };
        let page = match &outcome {
            Ok(_) => page_signed_in(),
            Err(e) => page_failed(&e.to_string()),
        };
        // The tab is a courtesy: if it is gone, the sign-in still stands.
        if let Err(e) = respond(&mut browser, "200 OK", &page).await {
            tracing::debug!(error = %e, "could not answer the browser");
        }
        outcome
    }
}

/// What the browser brought back.
enum Callback {
    Code(String),
    Error { code: String, message: String },
}

/// Accepts connections until one carries the redirect with our state; answers the others.
async fn wait_for_callback(listener: &TcpListener, state: &str) -> Result<(Callback, TcpStream)> {
    let mut reading = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, _) = accepted?;
                reading.spawn(read_request_target(stream));
            }
            Some(read) = reading.join_next() => {
                let Ok(Some((target, mut stream))) = read else { continue };
                match parse_callback(&target, state) {
                    Ok(callback) => return Ok((callback, stream)),
                    Err((status, page)) => {
                        // Not ours (a favicon, a stale or forged redirect): keep waiting.
                        tokio::spawn(async move { respond(&mut stream, status, &page).await });
                    }
                }
            }
        }
    }
}

/// Reads one request head and returns its target; `None` for anything that is not a
/// complete GET within the time and size limits.
async fn read_request_target(mut stream: TcpStream) -> Option<(String, TcpStream)> {
    let mut head = Vec::with_capacity(1024);
    let read = tokio::time::timeout(REQUEST_READ_TIMEOUT, async {
        let mut chunk = [0u8; 2048];
        // Read the whole head even though only the first line matters: closing a socket
        // with unread input resets it, and the browser would show an error, not our page.
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            if head.len() > MAX_REQUEST_HEAD {
                return false;
            }
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return false,
                Ok(n) => head.extend_from_slice(&chunk[..n]),
            }
        }
        true
    })
    .await;
    if read != Ok(true) {
        return None;
    }
    let line = std::str::from_utf8(&head).ok()?.lines().next()?;
    let mut parts = line.split(' ');
    let (method, target) = (parts.next()?, parts.next()?);
    (method == "GET").then(|| (target.to_owned(), stream))
}

/// Checks a request target against the expected callback; on refusal, the status and page
/// to answer with.
fn parse_callback(target: &str, state: &str) -> std::result::Result<Callback, (&'static str, String)> {
    let not_found = || ("404 Not Found", page_failed("Такой страницы здесь нет."));
    let url = Url::parse("http://127.0.0.1").and_then(|base| base.join(target)).map_err(|_| not_found())?;
    if url.path() != CALLBACK_PATH || !target.starts_with('/') {
        return Err(not_found());
    }
    let param = |name: &str| url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
    if param("state").as_deref() != Some(state) {
        return Err(("400 Bad Request", page_failed("Эта ссылка входа устарела или открыта не из этого приложения.")));
    }
    if let Some(code) = param("code") {
        return Ok(Callback::Code(code));
    }
    if let Some(code) = param("error") {
        let message = param("error_description").unwrap_or_else(|| format!("the sign-in was refused: {code}"));
        return Ok(Callback::Error { code, message });
    }
    Err(("400 Bad Request", page_failed("В ответе сервера входа нет кода.")))
}

/// Writes a small HTML answer and closes the connection.
async fn respond(stream: &mut TcpStream, status: &str, body: &str) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nCache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nContent-Security-Policy: default-src 'none'; style-src 'unsafe-inline'\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body.as_bytes()).await?;
    stream.shutdown().await
}

fn page(title: &str, text: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{title} — Домком</title>
<style>body{{font:18px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1b1f24}}@media (prefers-color-scheme:dark){{body{{background:#16191d;color:#e8eaed}}}}</style>
</head><body><h1>{title}</h1><p>{text}</p></body></html>"#
    )
}

fn page_signed_in() -> String {
    page("Вход выполнен", "Вход выполнен, вернитесь в приложение Домком. Эту вкладку можно закрыть.")
}

fn page_failed(reason: &str) -> String {
    page("Вход не удался", &format!("{} Вернитесь в приложение Домком и начните вход заново.", escape_html(reason)))
}

/// What a demo sign-in needs from the server's sign-in page.
struct SignInForm {
    action: String,
    hidden: Vec<(String, String)>,
    persons: Vec<String>,
}

impl SignInForm {
    /// Reads the first form of the page: its action, hidden fields, and the values of its
    /// `person` buttons. The page is the reference backend's own, so a tag scanner does.
    fn parse(html: &str) -> Option<SignInForm> {
        let start = html.find("<form")?;
        let open_end = start + html[start..].find('>')?;
        let action = attribute(&html[start..open_end], "action").unwrap_or_default();
        let close = html[open_end..].find("</form>").map_or(html.len(), |i| open_end + i);
        let body = &html[open_end..close];
        let mut form = SignInForm { action, hidden: Vec::new(), persons: Vec::new() };
        for tag in tags(body, "<input") {
            if attribute(tag, "type").as_deref() == Some("hidden")
                && let Some(name) = attribute(tag, "name")
            {
                form.hidden.push((name, attribute(tag, "value").unwrap_or_default()));
            }
        }
        for tag in tags(body, "<button") {
            if attribute(tag, "name").as_deref() == Some("person")
                && let Some(value) = attribute(tag, "value")
            {
                form.persons.push(value);
            }
        }
        Some(form)
    }
}

/// The opening tags starting with `open` (e.g. `<input`), without their closing `>`.
fn tags<'a>(html: &'a str, open: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    html.match_indices(open).filter_map(move |(i, _)| html[i..].find('>').map(|end| &html[i..i + end]))
}

/// The value of a double-quoted attribute of a tag, unescaped.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let needle = format!(" {name}=\"");
    let start = tag.find(&needle)? + needle.len();
    let end = start + tag[start..].find('"')?;
    Some(unescape_html(&tag[start..end]))
}

fn unescape_html(text: &str) -> String {
    text.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// `bytes` random bytes, base64url without padding: 32 make a 43-character PKCE verifier.
fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_sign_in_form() {
        let html = r#"<p>x</p><form method="post" action="/oauth/authorize"><input type="hidden" name="state" value="a&amp;b"><input type="hidden" name="redirect_uri" value="http://127.0.0.1:1/callback"><ul><li><button type="submit" name="person" value="resident"><b>Р</b></button></li></ul></form>"#;
        let form = SignInForm::parse(html).unwrap();
        assert_eq!(form.action, "/oauth/authorize");
        assert_eq!(
            form.hidden,
            vec![
                ("state".to_owned(), "a&b".to_owned()),
                ("redirect_uri".to_owned(), "http://127.0.0.1:1/callback".to_owned())
            ]
        );
        assert_eq!(form.persons, vec!["resident".to_owned()]);
    }

    #[test]
    fn callback_needs_our_path_and_state() {
        assert!(matches!(parse_callback("/callback?code=c&state=s", "s"), Ok(Callback::Code(c)) if c == "c"));
        assert!(parse_callback("/callback?code=c&state=t", "s").is_err());
        assert!(parse_callback("/callback?code=c", "s").is_err());
        assert!(parse_callback("/favicon.ico", "s").is_err());
        assert!(parse_callback("http://evil.example/callback?code=c&state=s", "s").is_err());
        assert!(matches!(
            parse_callback("/callback?error=access_denied&state=s", "s"),
            Ok(Callback::Error { code, .. }) if code == "access_denied"
        ));
    }

    #[test]
    fn verifier_fits_pkce() {
        let verifier = random_token(32);
        assert_eq!(verifier.len(), 43);
        assert!(verifier.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    }
}
