//! The server's tests run on domkom-testkit: a real server on port 0 over a real SQLite file,
//! the demo personas, and a raw API caller. This names its parts as these tests call them.
#![allow(unused_imports)]

pub use domkom_testkit::{Answer, ApiClient as TestClient, Persona, TestResult, TestServer, clock_at};
