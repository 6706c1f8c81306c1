//! What Domkom's tests share, so each reads like the scenario it checks: the real backend
//! started on port 0 over a real SQLite file ([`TestServer`]), the demo persons of its seeds
//! ([`Persona`]), a raw API caller ([`ApiClient`]), a signed-in core client on a keyring
//! profile of its own ([`TestClient`], [`TestKeyring`]), the `domkom` CLI ([`Cli`]), and a
//! proxy that injects the faults a real server cannot be made to show ([`FaultProxy`]).
//!
//! The keyring parts need an unlocked Secret Service on the session bus; `./x test` runs
//! the tests on a private bus with a throwaway gnome-keyring.

mod api;
mod cli;
mod client;
mod faults;
mod persona;
mod photo;
mod server;

pub use api::{Answer, ApiClient};
pub use cli::Cli;
pub use client::{TestClient, TestKeyring};
pub use domkom_server::seed::Seed;
pub use faults::{Fault, FaultProxy};
pub use persona::Persona;
pub use photo::{PHOTO_PLACE_MARKER, phone_photo};
pub use server::{TestServer, clock_at};

/// What a test returns.
pub type TestResult<T = ()> = Result<T, Box<dyn std::error::Error + Send + Sync>>;
