//! The data directory's identity: a profile id kept in the directory, which names its
//! entries in the OS keyring, and the server the directory belongs to.
//!
//! Both live in `profile.json` beside the cache. The id is random, not a secret and not
//! derived from the directory's path, so a moved directory keeps its keys; the server is
//! checked on every open, so a typo in `--server` is refused before anything is touched
//! instead of looking like a lost key (which would set the cache and the outbox aside).

use std::path::{Path, PathBuf};

use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{CoreError, Result};

/// The file inside a data directory that holds its identity.
pub const PROFILE_FILE: &str = "profile.json";

/// A data directory's identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// Names this directory's keyring entries (16 random hex digits).
    pub id: String,
    /// The server this directory syncs with, normalised (see [`normalise_server`]).
    pub server: String,
    /// Whether this open adopted a directory made before profiles, which recorded no
    /// server: its keys tell whether the server asked for is the one it was made for.
    #[serde(skip)]
    pub adopted: bool,
}

/// The profile file of a data directory.
pub fn profile_path(data_dir: &Path) -> PathBuf {
    data_dir.join(PROFILE_FILE)
}

/// A server URL in the form two spellings of the same address share: `http://Host:80/` and
/// `http://host` are one server; `localhost` and `127.0.0.1` are not (they are different
/// addresses, and a person may well run two backends).
pub fn normalise_server(server: &url::Url) -> String {
    server.as_str().trim_end_matches('/').to_owned()
}

impl Profile {
    /// Reads the directory's profile, making one for a new directory, and refuses a server
    /// other than the one the directory belongs to. Nothing in the directory is changed
    /// when it is refused.
    pub fn open(data_dir: &Path, server: &url::Url) -> Result<Profile> {
        std::fs::create_dir_all(data_dir)?;
        let path = profile_path(data_dir);
        let asked = normalise_server(server);
        match std::fs::read(&path) {
            Ok(bytes) => {
                let profile: Profile = serde_json::from_slice(&bytes).map_err(|e| {
                    CoreError::invalid(
                        "profile_damaged",
                        &[("path", path.display().to_string())],
                        format!(
                            "{} is damaged ({e}); it names this data directory's keys, so restore it, or use another --data directory",
                            path.display()
                        ),
                    )
                })?;
                if profile.server != asked {
                    return Err(CoreError::OtherServer {
                        data_dir: data_dir.display().to_string(),
                        belongs_to: profile.server,
                        asked,
                    });
                }
                Ok(profile)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let adopted = has_data(data_dir);
                let id = if adopted {
                    // Made by a Domkom from before profiles: its keys are filed under the
                    // hash of its path and server, so keep that name to keep reading them.
                    legacy_profile_id(data_dir, &asked)
                } else {
                    let mut bytes = [0u8; 8];
                    rand::rng().fill_bytes(&mut bytes);
                    bytes.iter().map(|b| format!("{b:02x}")).collect()
                };
                let profile = Profile { id, server: asked, adopted };
                profile.write(&path)?;
                Ok(profile)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Takes back an adoption that turned out wrong (the directory's keys are not filed
    /// under the server asked for), so the next open with the right server adopts it.
    pub fn forget(data_dir: &Path) -> Result<()> {
        match std::fs::remove_file(profile_path(data_dir)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
            _ => Ok(()),
        }
    }

    /// Writes the file whole or not at all (a crash leaves the old one or none).
    fn write(&self, path: &Path) -> Result<()> {
        let text = serde_json::to_string_pretty(self).map_err(|e| CoreError::io(e.to_string()))?;
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, path)?;
        Ok(())
    }
}

/// Whether a directory already holds a cache or an outbox.
fn has_data(data_dir: &Path) -> bool {
    ["cache.db", "outbox.db"].iter().any(|f| data_dir.join(f).exists())
}

/// The profile name Domkom 0.1 used: 16 hex digits of SHA-256 over the canonical data
/// directory and the normalised server URL.
pub fn legacy_profile_id(data_dir: &Path, server: &str) -> String {
    let dir = std::fs::canonicalize(data_dir)
        .or_else(|_| std::path::absolute(data_dir))
        .unwrap_or_else(|_| data_dir.to_owned());
    let mut hasher = Sha256::new();
    hasher.update(dir.as_os_str().as_encoded_bytes());
    hasher.update([0]);
    hasher.update(server.as_bytes());
    hasher.finalize()[..8].iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> url::Url {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn a_directory_keeps_its_id_and_refuses_another_server() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let first = Profile::open(dir.path(), &url("http://127.0.0.1:8640"))?;
        assert_eq!(first.id.len(), 16);
        assert_eq!(Profile::open(dir.path(), &url("http://127.0.0.1:8640/"))?, first, "the same server, spelt so");
        let refused = Profile::open(dir.path(), &url("http://localhost:8640"));
        match refused {
            Err(CoreError::OtherServer { belongs_to, asked, .. }) => {
                assert_eq!(belongs_to, "http://127.0.0.1:8640");
                assert_eq!(asked, "http://localhost:8640");
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
        assert_eq!(Profile::open(dir.path(), &url("http://127.0.0.1:8640"))?, first, "the refusal changed nothing");
        Ok(())
    }

    #[test]
    fn a_moved_directory_keeps_its_id() -> Result<()> {
        let root = tempfile::tempdir()?;
        let (a, b) = (root.path().join("a"), root.path().join("b"));
        let before = Profile::open(&a, &url("http://127.0.0.1:8640"))?;
        std::fs::rename(&a, &b)?;
        assert_eq!(Profile::open(&b, &url("http://127.0.0.1:8640"))?, before);
        Ok(())
    }

    #[test]
    fn an_old_directory_keeps_the_name_its_keys_have() -> Result<()> {
        let dir = tempfile::tempdir()?;
        std::fs::write(dir.path().join("cache.db"), b"")?;
        let profile = Profile::open(dir.path(), &url("http://127.0.0.1:8640"))?;
        assert_eq!(profile.id, legacy_profile_id(dir.path(), "http://127.0.0.1:8640"));
        Ok(())
    }

    #[test]
    fn two_new_directories_get_different_ids() -> Result<()> {
        let (a, b) = (tempfile::tempdir()?, tempfile::tempdir()?);
        let server = url("http://127.0.0.1:8640");
        assert_ne!(Profile::open(a.path(), &server)?.id, Profile::open(b.path(), &server)?.id);
        Ok(())
    }
}
