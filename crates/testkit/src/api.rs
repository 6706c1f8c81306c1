//! A raw caller of the backend's HTTP API, for tests that check what the server answers.

use serde_json::Value;

use crate::TestResult;

/// An HTTP answer: status, headers and the JSON body (Null when it is not JSON).
#[derive(Debug)]
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// The body as JSON.
    pub body: Value,
    /// The headers.
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
pub struct ApiClient {
    /// The server's base URL.
    pub base: String,
    /// The bearer token, if signed in.
    pub token: Option<String>,
    /// The HTTP client (no redirects followed), for requests built by hand.
    pub http: reqwest::Client,
}

impl ApiClient {
    /// A caller of the server at `base`.
    pub fn new(base: &str, token: Option<String>) -> ApiClient {
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap_or_default();
        ApiClient { base: base.trim_end_matches('/').to_owned(), token, http }
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

    /// GET a path such as `/v1/me`.
    pub async fn get(&self, path: &str) -> TestResult<Answer> {
        let resp = self.auth(self.http.get(format!("{}{path}", self.base))).send().await?;
        ApiClient::answer(resp).await
    }

    /// POST JSON.
    pub async fn post(&self, path: &str, body: &Value) -> TestResult<Answer> {
        let resp = self.auth(self.http.post(format!("{}{path}", self.base))).json(body).send().await?;
        ApiClient::answer(resp).await
    }

    /// POST raw bytes with a content type.
    pub async fn post_raw(&self, path: &str, content_type: &str, body: Vec<u8>) -> TestResult<Answer> {
        let resp = self
            .auth(self.http.post(format!("{}{path}", self.base)))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await?;
        ApiClient::answer(resp).await
    }

    /// PATCH JSON.
    pub async fn patch(&self, path: &str, body: &Value) -> TestResult<Answer> {
        let resp = self.auth(self.http.patch(format!("{}{path}", self.base))).json(body).send().await?;
        ApiClient::answer(resp).await
    }

    /// PUT JSON.
    pub async fn put(&self, path: &str, body: &Value) -> TestResult<Answer> {
        let resp = self.auth(self.http.put(format!("{}{path}", self.base))).json(body).send().await?;
        ApiClient::answer(resp).await
    }

    /// DELETE.
    pub async fn delete(&self, path: &str) -> TestResult<Answer> {
        let resp = self.auth(self.http.delete(format!("{}{path}", self.base))).send().await?;
        ApiClient::answer(resp).await
    }

    /// POST a form (the OAuth endpoints), without the bearer token.
    pub async fn form(&self, path: &str, form: &[(&str, &str)]) -> TestResult<Answer> {
        let resp = self.http.post(format!("{}{path}", self.base)).form(form).send().await?;
        ApiClient::answer(resp).await
    }

    /// The caller's /v1/me.
    pub async fn me(&self) -> TestResult<Value> {
        let a = self.get("/v1/me").await?;
        if a.status != 200 {
            return Err(format!("/v1/me answered {}: {}", a.status, a.body).into());
        }
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
            if a.status != 200 {
                return Err(format!("/v1/changes answered {}: {}", a.status, a.body).into());
            }
            out.extend(a.body["changes"].as_array().cloned().unwrap_or_default());
            cursor = a.body["cursor"].as_i64().ok_or("no cursor")?;
            if !a.body["has_more"].as_bool().unwrap_or(false) {
                return Ok((out, cursor));
            }
        }
    }
}
