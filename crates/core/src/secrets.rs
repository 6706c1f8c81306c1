//! Where the core keeps its secrets (the refresh token, the cache key): the OS keyring and
//! nowhere else. There is deliberately no plain-text fallback: a keyring that is missing or
//! locked is reported as [`CoreError::Keyring`], and the person is asked to fix it.

use rand::RngCore;

use crate::error::{CoreError, Result};

/// The keyring service every Domkom entry is filed under.
const SERVICE: &str = "domkom";

/// The name of the entry [`Keyring::check`] writes, reads back and deletes.
const PROBE: &str = "probe";

/// Where the core keeps its secrets (the refresh token, the cache key).
pub trait SecretStore: Send + Sync {
    /// Reads a secret; `None` when there is none by that name.
    fn get(&self, name: &str) -> Result<Option<String>>;
    /// Stores a secret, replacing any earlier value.
    fn set(&self, name: &str, value: &str) -> Result<()>;
    /// Removes a secret; removing one that is not there is fine.
    fn delete(&self, name: &str) -> Result<()>;
}

/// The OS keyring (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows).
///
/// Every call talks to the OS service synchronously (D-Bus on Linux), so async code should
/// call it from `spawn_blocking`.
#[derive(Debug, Clone)]
pub struct Keyring {
    service: String,
    profile: String,
}

impl Keyring {
    /// A keyring whose entries are (service "domkom", user "<profile>/<name>"); the profile
    /// keeps data directories apart (see [`crate::profile`]).
    pub fn new(profile: &str) -> Keyring {
        Keyring { service: SERVICE.to_owned(), profile: profile.to_owned() }
    }

    /// The profile this keyring files its entries under.
    pub fn profile(&self) -> &str {
        &self.profile
    }

    /// Probes the keyring once (write, read back, delete) and says clearly what is wrong
    /// when there is no Secret Service, it is locked, or it silently does not keep secrets.
    pub fn check(&self) -> Result<()> {
        #[cfg(target_os = "linux")]
        linux::check_default_collection()?;

        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        let value: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        self.set(PROBE, &value)?;
        // Each call builds a fresh keyring entry, so this read goes back to the OS service
        // rather than to anything the write left in this process.
        let read = self.get(PROBE);
        let deleted = self.delete(PROBE);
        match read? {
            Some(back) if back == value => {}
            Some(_) => {
                return Err(CoreError::Keyring(
                    "the keyring returned a different value from the one just stored in it".into(),
                ));
            }
            None => {
                return Err(CoreError::Keyring(
                    "the keyring accepted a secret but could not return it, so it does not keep secrets".into(),
                ));
            }
        }
        deleted?;
        if self.get(PROBE)?.is_some() {
            // Sign-out relies on deletion; a keyring that ignores it would keep the session.
            return Err(CoreError::Keyring("the keyring did not delete a secret when asked to".into()));
        }
        tracing::debug!(profile = %self.profile, "keyring works");
        Ok(())
    }

    fn entry(&self, name: &str) -> Result<keyring::Entry> {
        keyring::Entry::new(&self.service, &format!("{}/{name}", self.profile))
            .map_err(|e| keyring_error(e, "open", name))
    }
}

impl SecretStore for Keyring {
    fn get(&self, name: &str) -> Result<Option<String>> {
        match self.entry(name)?.get_password() {
            Ok(value) => Ok(Some(value)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keyring_error(e, "read", name)),
        }
    }

    fn set(&self, name: &str, value: &str) -> Result<()> {
        self.entry(name)?.set_password(value).map_err(|e| keyring_error(e, "store", name))
    }

    fn delete(&self, name: &str) -> Result<()> {
        match self.entry(name)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(keyring_error(e, "delete", name)),
        }
    }
}

/// Turns a keyring error into one that says what to do. None of the keyring's errors carry
/// the secret itself (`BadEncoding` does, so its bytes are dropped here).
fn keyring_error(e: keyring::Error, action: &str, name: &str) -> CoreError {
    let what = match e {
        keyring::Error::PlatformFailure(err) => {
            format!("could not {action} «{name}»: {}", platform_hint(&*err))
        }
        keyring::Error::NoStorageAccess(err) => {
            format!("could not {action} «{name}»: {}", access_hint(&*err))
        }
        keyring::Error::BadEncoding(_) => {
            format!("the stored «{name}» is not text; delete it from the keyring and sign in again")
        }
        keyring::Error::Ambiguous(items) => format!(
            "{} keyring entries match «{name}»; delete the extra ones (for example in Seahorse or Keychain Access)",
            items.len()
        ),
        other => format!("could not {action} «{name}»: {other}"),
    };
    CoreError::Keyring(what)
}

/// Explains a platform failure in the terms the person can act on.
fn platform_hint(err: &(dyn std::error::Error + Send + Sync + 'static)) -> String {
    if cfg!(target_os = "linux") {
        format!("no Secret Service answered on the D-Bus session bus ({err})")
    } else {
        format!("the system credential store failed ({err})")
    }
}

/// Explains a refused access: on Linux the keyring crate reports a missing default
/// collection the same way as a locked one, but the person has different things to do.
fn access_hint(err: &(dyn std::error::Error + Send + Sync + 'static)) -> String {
    #[cfg(target_os = "linux")]
    if let Some(dbus_secret_service::Error::NoResult) = err.downcast_ref() {
        return linux::NO_DEFAULT.to_owned();
    }
    format!("access to the keyring was refused; it is probably locked, so unlock it ({err})")
}

#[cfg(target_os = "linux")]
mod linux {
    //! Checks the keyring crate cannot make: whether the Secret Service's default collection
    //! exists, persists, and is unlocked.

    use dbus_secret_service::{EncryptionType, Error, SecretService};

    use crate::error::{CoreError, Result};

    /// How long the desktop's unlock prompt may stay open before the check gives up.
    const UNLOCK_PROMPT_SECS: u64 = 120;

    /// What to do when there is no default collection.
    pub(super) const NO_DEFAULT: &str = "the Secret Service has no default keyring to keep secrets in; create one (for example a \"login\" keyring in Seahorse) and make it the default";

    /// The in-memory collection every Secret Service has; it forgets everything at log-out.
    const SESSION_COLLECTION: &str = "/org/freedesktop/secrets/collection/session";

    pub(super) fn check_default_collection() -> Result<()> {
        // Only metadata crosses this connection, never a secret, so no encrypted session.
        let service = SecretService::connect_with_max_prompt_timeout(EncryptionType::Plain, UNLOCK_PROMPT_SECS)
            .map_err(|e| CoreError::Keyring(format!("no Secret Service answered on the D-Bus session bus ({e})")))?;
        let collection = match service.get_default_collection() {
            Ok(collection) => collection,
            Err(Error::NoResult) => return Err(CoreError::Keyring(NO_DEFAULT.into())),
            Err(e) => {
                return Err(CoreError::Keyring(format!("the Secret Service failed: {e}")));
            }
        };
        if &*collection.path == SESSION_COLLECTION {
            return Err(CoreError::Keyring(
                "the default keyring is the in-memory session one, which forgets secrets at log-out; make a persistent keyring the default".into(),
            ));
        }
        let locked =
            collection.is_locked().map_err(|e| CoreError::Keyring(format!("the Secret Service failed: {e}")))?;
        if locked {
            // On a desktop this shows the keyring's own unlock prompt; headless it fails.
            collection.unlock().map_err(|e| {
                CoreError::Keyring(format!(
                    "the default keyring is locked and was not unlocked ({e}); unlock it, for example by logging in to the desktop or with `gnome-keyring-daemon --unlock`"
                ))
            })?;
        }
        Ok(())
    }
}
