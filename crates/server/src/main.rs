//! `domkom-server`: the reference backend's command line.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};

use domkom_server::esia::TokenPolicy;
use domkom_server::seed::Seed;
use domkom_server::{Config, Server, demo_token};

/// The Domkom reference backend: Kazan's houses, verified sign-in, house chats and the change feed.
#[derive(Debug, Parser)]
#[command(version)]
struct Cli {
    /// Address to listen on (port 0 picks a free one).
    #[arg(long, default_value = "127.0.0.1:8640")]
    listen: SocketAddr,
    /// Directory of the SQLite file (default: the per-user data directory).
    #[arg(long)]
    data: Option<PathBuf>,
    /// Data set to load when the database is empty.
    #[arg(long, value_enum, default_value = "kazan")]
    seed: Seed,
    /// Access-token lifetime in seconds.
    #[arg(long, default_value_t = 900)]
    access_ttl: i64,
    /// Messages a person may send at once.
    #[arg(long, default_value_t = 20)]
    send_burst: u32,
    /// Messages a person may send per minute on average.
    #[arg(long, default_value_t = 60)]
    send_per_minute: u32,
    /// Pin the clock to this moment (RFC 3339, e.g. 2026-11-22T12:00:00+03:00); it runs on
    /// from there. Reading windows, outages and deadlines are judged by this clock.
    #[arg(long, value_parser = parse_moment)]
    now: Option<chrono::DateTime<chrono::Utc>>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print a fresh access token for a demo person.
    Token {
        /// Directory of the SQLite file.
        #[arg(long)]
        data: Option<PathBuf>,
        /// The demo person's short id, e.g. `resident`.
        #[arg(long)]
        person: String,
    },
}

/// Reads `--now`.
fn parse_moment(text: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| t.to_utc())
        .map_err(|e| format!("«{text}» is not an RFC 3339 moment such as 2026-11-22T12:00:00+03:00 ({e})"))
}

fn default_data_dir() -> anyhow::Result<PathBuf> {
    directories::ProjectDirs::from("ru", "Domkom", "domkom-server")
        .map(|d| d.data_dir().to_owned())
        .context("no home directory: pass --data DIR")
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .init();
    let cli = Cli::parse();
    let tokens = TokenPolicy { access_ttl: cli.access_ttl, ..TokenPolicy::default() };
    if let Some(Command::Token { data, person }) = cli.command {
        let dir = match data.or(cli.data) {
            Some(d) => d,
            None => default_data_dir()?,
        };
        println!("{}", demo_token(&dir, &person, tokens)?);
        return Ok(());
    }
    let data_dir = match cli.data {
        Some(d) => d,
        None => default_data_dir()?,
    };
    let mut config = Config::new(&data_dir, cli.seed);
    config.listen = cli.listen;
    config.tokens = tokens;
    config.send_burst = cli.send_burst;
    config.send_per_minute = cli.send_per_minute;
    if let Some(at) = cli.now {
        tracing::info!(now = %at, "the clock is pinned");
        config.clock = domkom_server::clock::Clock::pinned_at(at);
    }
    let mut server = Server::start(config).await?;
    // The URL is the first line on stdout, so scripts and tests can read it.
    println!("{}", server.url());
    {
        use std::io::Write;
        std::io::stdout().flush()?;
    }
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    tokio::select! {
        _ = tokio::signal::ctrl_c() => tracing::info!("Ctrl-C: stopping"),
        _ = term.recv() => tracing::info!("SIGTERM: stopping"),
        r = server.wait() => return r,
    }
    server.request_stop();
    server.wait().await?;
    tracing::info!("stopped");
    Ok(())
}
