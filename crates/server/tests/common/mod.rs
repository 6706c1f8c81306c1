//! A real server on port 0 over a real SQLite file in a temporary directory, and a client
//! that signs in as a demo person, so tests read like the scenarios they check.
#![allow(dead_code)]

use std::path::Path;

use domkom_server::esia::TokenPolicy;
use domkom_server::seed::Seed;
use domkom_server::{Config, Server};
use serde_json::Value;

pub type TestResult<T = ()> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// A running reference backend with its own data directory.
pub struct TestServer {
    pub server: Option<Server>,
    pub dir: tempfile::TempDir,
    pub url: String,
    pub config: Config,
}

impl TestServer {
    /// Starts a server on the small seed.
    pub async fn start() -> TestResult<TestServer> {
        TestServer::start_with(Seed::Small, |_| {}).await
    }

    /// Starts a server with a seed and adjusted settings.
    pub async fn start_with(seed: Seed, adjust: impl FnOnce(&mut Config)) -> TestResult<TestServer> {
        let dir = tempfile::tempdir()?;
        let mut config = Config::new(dir.path(), seed);
        adjust(&mut config);
        let server = Server::start(config.clone()).await?;
        let url = server.url();
        Ok(TestServer { server: Some(server), dir, url, config })
    }

    /// Stops the server, keeping its data directory.
    pub async fn stop(&mut self) -> TestResult {
        if let Some(server) = self.server.take() {
            server.stop().await?;
        }
        Ok(())
    }

    /// Starts the server again on the same data directory (on a new port).
    pub async fn restart(&mut self) -> TestResult {
        self.stop().await?;
        let server = Server::start(self.config.clone()).await?;
        self.url = server.url();
        self.server = Some(server);
        Ok(())
    }

    pub fn data_dir(&self) -> &Path {
        self.dir.path()
    }

    /// A client signed in as a demo person (a fresh session, as `domkom-server token` makes).
    pub async fn client(&self, person: &str) -> TestResult<TestClient> {
        let dir = self.dir.path().to_owned();
        let person = person.to_owned();
        let policy = TokenPolicy { access_ttl: self.config.tokens.access_ttl, ..TokenPolicy::default() };
        let token = tokio::task::spawn_blocking(move || domkom_server::demo_token(&dir, &person, policy)).await??;
        Ok(TestClient::new(&self.url, Some(token)))
    }

    /// A client that is not signed in.
    pub fn anonymous(&self) -> TestClient {
        TestClient::new(&self.url, None)
    }
}

/// An HTTP answer: status and JSON body (Null when the body is not JSON).
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub body: Value,
    pub headers: reqwest::header::HeaderMap,
}

impl Answer {
    /// The error code of a JSON error answer.
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }
}

/// A plain HTTP client with an optional bearer token.
#[derive(Clone)]
pub struct TestClient {
    pub base: String,
    pub token: Option<String>,
    pub http: reqwest::Client,
}

impl TestClient {
    pub fn new(base: &str, token: Option<String>) -> TestClient {
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap_or_default();
        TestClient { base: base.to_owned(), token, http }
    }

    fn auth(&self, rb: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.token {
            Some(t) => rb.bearer_auth(t),
            None => rb,
        }
    }

    async fn answer(resp: reqwest::Response) -> TestResult<Answer> {
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let bytes = resp.bytes().await?;
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Ok(Answer { status, body, headers })
    }

    pub async fn get(&self, path: &str) -> TestResult<Answer> {
        let resp = self.auth(self.http.get(format!("{}{path}", self.base))).send().await?;
        TestClient::answer(resp).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> TestResult<Answer> {
        let resp = self.auth(self.http.post(format!("{}{path}", self.base))).json(body).send().await?;
        TestClient::answer(resp).await
    }

    pub async fn post_raw(&self, path: &str, content_type: &str, body: Vec<u8>) -> TestResult<Answer> {
        let resp = self
            .auth(self.http.post(format!("{}{path}", self.base)))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await?;
        TestClient::answer(resp).await
    }

    pub async fn patch(&self, path: &str, body: &Value) -> TestResult<Answer> {
        let resp = self.auth(self.http.patch(format!("{}{path}", self.base))).json(body).send().await?;
        TestClient::answer(resp).await
    }

    pub async fn delete(&self, path: &str) -> TestResult<Answer> {
        let resp = self.auth(self.http.delete(format!("{}{path}", self.base))).send().await?;
        TestClient::answer(resp).await
    }

    pub async fn form(&self, path: &str, form: &[(&str, &str)]) -> TestResult<Answer> {
        let resp = self.http.post(format!("{}{path}", self.base)).form(form).send().await?;
        TestClient::answer(resp).await
    }

    /// The caller's /v1/me.
    pub async fn me(&self) -> TestResult<Value> {
        let a = self.get("/v1/me").await?;
        assert_eq!(a.status, 200, "{:?}", a.body);
        Ok(a.body)
    }

    /// The id of the caller's first community.
    pub async fn first_community(&self) -> TestResult<i64> {
        let me = self.me().await?;
        me["community_ids"][0].as_i64().ok_or_else(|| "no community".into())
    }

    /// Sends a message with a fresh key; returns the answer.
    pub async fn send(&self, community: i64, body: &str) -> TestResult<Answer> {
        let key = uuid::Uuid::now_v7().to_string();
        self.post(
            &format!("/v1/communities/{community}/messages"),
            &serde_json::json!({"client_key": key, "body": body}),
        )
        .await
    }

    /// Reads the whole change feed from a cursor, page by page.
    pub async fn all_changes(&self, after: i64, limit: usize) -> TestResult<(Vec<Value>, i64)> {
        let mut cursor = after;
        let mut out = Vec::new();
        loop {
            let a = self.get(&format!("/v1/changes?after={cursor}&limit={limit}")).await?;
            assert_eq!(a.status, 200, "{:?}", a.body);
            out.extend(a.body["changes"].as_array().cloned().unwrap_or_default());
            cursor = a.body["cursor"].as_i64().ok_or("no cursor")?;
            if !a.body["has_more"].as_bool().unwrap_or(false) {
                return Ok((out, cursor));
            }
        }
    }
}
