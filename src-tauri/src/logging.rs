//! Logs go to a daily-rotated file in the app's log directory (a week kept) and to stderr.

use anyhow::Context;
use tauri::Manager;
use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// Keeps the log writer flushing until the app exits.
pub struct LogGuard {
    _guard: WorkerGuard,
}

impl LogGuard {
    /// Holds the writer's guard.
    pub fn new(guard: WorkerGuard) -> LogGuard {
        LogGuard { _guard: guard }
    }
}

/// Starts logging; `RUST_LOG` overrides the default level (info).
pub fn init(app: &tauri::AppHandle) -> anyhow::Result<WorkerGuard> {
    let dir = app.path().app_log_dir().context("no log directory for this user")?;
    std::fs::create_dir_all(&dir).with_context(|| format!("creating the log directory {}", dir.display()))?;
    let appender = RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix("domkom")
        .filename_suffix("log")
        .max_log_files(7)
        .build(&dir)
        .with_context(|| format!("opening a log file in {}", dir.display()))?;
    let (file, guard) = tracing_appender::non_blocking(appender);
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::registry()
        .with(filter)
        .with(tracing_subscriber::fmt::layer().with_writer(file).with_ansi(false))
        .with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr))
        .try_init()
        .context("starting the log")?;
    Ok(guard)
}
