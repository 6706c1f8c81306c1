//! A signed-in core client over the real OS keyring, on a keyring profile of its own.

use std::ops::Deref;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use domkom_core::secrets::{Keyring, SecretStore};
use domkom_core::session::REFRESH_TOKEN;
use domkom_core::{Client, Options};
use domkom_domain::chat::CommunityKind;
use domkom_domain::id::CommunityId;

use crate::{Persona, TestResult, TestServer};

/// A keyring profile used by one test only, emptied when the test ends.
pub struct TestKeyring {
    /// The profile's name.
    pub profile: String,
    /// The keyring itself.
    pub keyring: Arc<Keyring>,
}

impl Default for TestKeyring {
    fn default() -> TestKeyring {
        TestKeyring::new()
    }
}

impl TestKeyring {
    /// A profile no other test uses, so tests can run in parallel.
    pub fn new() -> TestKeyring {
        TestKeyring::with_profile(&format!("test-{}", uuid::Uuid::now_v7().simple()))
    }

    /// A given profile, e.g. one a parent test process made, or a data directory's.
    pub fn with_profile(profile: &str) -> TestKeyring {
        TestKeyring { keyring: Arc::new(Keyring::new(profile)), profile: profile.to_owned() }
    }

    /// The profile of a data directory a client opened with [`Client::open`].
    pub fn of_data_dir(dir: &Path) -> TestResult<TestKeyring> {
        let text = std::fs::read_to_string(domkom_core::profile::profile_path(dir))?;
        let profile: domkom_core::profile::Profile = serde_json::from_str(&text)?;
        Ok(TestKeyring::with_profile(&profile.id))
    }

    /// The keyring as the session takes it.
    pub fn store(&self) -> Arc<dyn SecretStore> {
        self.keyring.clone()
    }

    /// The stored refresh token, read through a fresh keyring object.
    pub fn refresh_token(&self) -> TestResult<Option<String>> {
        Ok(Keyring::new(&self.profile).get(REFRESH_TOKEN)?)
    }

    /// The keyring user name of an entry, as `secret-tool` sees it.
    pub fn user(&self, name: &str) -> String {
        format!("{}/{name}", self.profile)
    }
}

impl Drop for TestKeyring {
    fn drop(&mut self) {
        // Keep the developer's keyring tidy; a failure here does not change the verdict.
        let _ = self.keyring.delete(REFRESH_TOKEN);
        let _ = self.keyring.delete(domkom_core::cache::KEY_NAME);
    }
}

/// A core client in a data directory of its own, signed in as a persona.
pub struct TestClient {
    /// The client.
    pub client: Client,
    /// Its keyring profile.
    pub keyring: TestKeyring,
    /// Its data directory.
    pub dir: tempfile::TempDir,
}

impl Deref for TestClient {
    type Target = Client;
    fn deref(&self) -> &Client {
        &self.client
    }
}

impl TestClient {
    /// A client of `server` in a fresh data directory, not signed in.
    pub async fn open(server: &TestServer, request_timeout: Duration) -> TestResult<TestClient> {
        TestClient::open_at(&server.url, request_timeout).await
    }

    /// A client of the server at `url` (e.g. behind a [`crate::FaultProxy`]), not signed in.
    pub async fn open_at(url: &str, request_timeout: Duration) -> TestResult<TestClient> {
        let dir = tempfile::tempdir()?;
        let keyring = TestKeyring::new();
        let client = TestClient::reopen(dir.path(), url, &keyring, request_timeout).await?;
        Ok(TestClient { client, keyring, dir })
    }

    /// Opens a client again on an existing data directory and keyring profile (a restart).
    pub async fn reopen(
        dir: &Path,
        url: &str,
        keyring: &TestKeyring,
        request_timeout: Duration,
    ) -> domkom_core::Result<Client> {
        let server = url::Url::parse(url).map_err(|e| domkom_core::CoreError::io(format!("bad URL {url}: {e}")))?;
        let options = Options { request_timeout, ..Options::default() };
        Client::open_with(dir, &server, keyring.store(), options).await
    }

    /// A client of `server` signed in as `persona` (through the demo sign-in) and synced.
    pub async fn signed_in(server: &TestServer, persona: Persona) -> TestResult<TestClient> {
        let c = TestClient::open(server, Duration::from_secs(30)).await?;
        c.client.login_demo(persona.key()).await?;
        c.client.sync(&|_, _| {}).await?;
        Ok(c)
    }

    /// The community of the persona's house chat.
    pub async fn house_chat(&self) -> TestResult<CommunityId> {
        let chats = self.client.chats().list().await?;
        chats
            .iter()
            .find(|c| c.kind == CommunityKind::HouseChat)
            .map(|c| c.community_id)
            .ok_or_else(|| "no house chat".into())
    }
}
