//! The `domkom` CLI, run as a script runs it.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

use crate::{Persona, TestResult};

/// The `domkom` binary against one server and one data directory.
pub struct Cli {
    /// The binary (`env!("CARGO_BIN_EXE_domkom")` in the CLI's tests).
    pub bin: PathBuf,
    /// `--server`.
    pub server: String,
    /// `--data`.
    pub data: PathBuf,
}

impl Cli {
    /// The CLI of `bin` with these settings.
    pub fn new(bin: impl Into<PathBuf>, server: &str, data: &Path) -> Cli {
        Cli { bin: bin.into(), server: server.to_owned(), data: data.to_owned() }
    }

    /// The same CLI against another server address (e.g. a typo).
    pub fn with_server(&self, server: &str) -> Cli {
        Cli { bin: self.bin.clone(), server: server.to_owned(), data: self.data.clone() }
    }

    /// The same CLI on another data directory (e.g. the moved one).
    pub fn with_data(&self, data: &Path) -> Cli {
        Cli { bin: self.bin.clone(), server: self.server.clone(), data: data.to_owned() }
    }

    /// Runs `domkom --server S --data D ARGS…`.
    pub fn run(&self, args: &[&str]) -> TestResult<Output> {
        Ok(std::process::Command::new(&self.bin)
            .arg("--server")
            .arg(&self.server)
            .arg("--data")
            .arg(&self.data)
            .args(args)
            .output()?)
    }

    /// Runs with `--json` and reads the JSON it printed; an error when it failed.
    pub fn json(&self, args: &[&str]) -> TestResult<Value> {
        let mut all: Vec<&str> = args.to_vec();
        all.push("--json");
        let out = self.run(&all)?;
        if !out.status.success() {
            return Err(format!(
                "domkom {} failed ({:?}): {}",
                args.join(" "),
                out.status.code(),
                String::from_utf8_lossy(&out.stderr)
            )
            .into());
        }
        Ok(serde_json::from_slice(&out.stdout)?)
    }

    /// Signs in a persona (demo sign-in).
    pub fn login(&self, persona: Persona) -> TestResult<Value> {
        self.json(&["login", "--demo", persona.key()])
    }
}
