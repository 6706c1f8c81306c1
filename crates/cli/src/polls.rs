//! Polls from a terminal: `poll new`, `polls` and `vote`.

use clap::Subcommand;

use domkom_core::poll::PollView;
use domkom_core::{Client, CoreError};
use domkom_domain::id::PollId;
use domkom_domain::moderation::parse_period;
use domkom_domain::poll::PollBasis;

use super::{print, report_written};

#[derive(Debug, Subcommand)]
pub enum PollCommand {
    /// Open a poll in a chat (its moderators): not a general meeting of owners.
    New {
        /// The chat's id or its house's id.
        chat: i64,
        /// The question.
        #[arg(long)]
        question: String,
        /// An option (repeat for 2 to 10).
        #[arg(long = "option", required = true)]
        options: Vec<String>,
        /// Weigh each premises' vote by its area (one vote per premises otherwise).
        #[arg(long)]
        by_area: bool,
        /// When it closes: RFC 3339 (2026-12-07T20:00:00+03:00) or a period from now (7d, 36h).
        #[arg(long)]
        closes: String,
    },
}

/// The closing time as RFC 3339: given so, or a period from now.
fn closing(text: &str) -> Result<String, CoreError> {
    if let Some(seconds) = parse_period(text) {
        return Ok((chrono::Utc::now() + chrono::Duration::seconds(i64::from(seconds))).to_rfc3339());
    }
    Ok(text.trim().to_owned())
}

fn lines(views: &[PollView]) -> String {
    if views.is_empty() {
        return "No polls in this chat.".to_owned();
    }
    let mut out = Vec::new();
    for v in views {
        let p = &v.poll;
        let state = if v.closed { "final" } else { "open until" };
        out.push(format!(
            "#{} {} ({state} {}; {} of {} premises voted)",
            p.id, p.question, p.closes_at, p.voted, p.premises
        ));
        for (i, o) in p.options.iter().enumerate() {
            let mine = if v.my_vote == Some(i as u32) { " ← your vote" } else { "" };
            let weight = match p.basis {
                PollBasis::ByArea => format!("{:.1} m²", o.area as f64 / 100.0),
                PollBasis::PerPremises => format!("{} premises", o.votes),
            };
            out.push(format!("   {}. {} — {weight}{mine}", i + 1, o.text));
        }
    }
    out.push("A poll is not a general meeting of owners (ОСС) and has no legal force.".to_owned());
    out.join("\n")
}

/// Runs `poll new`.
pub async fn run(client: &Client, command: PollCommand, json: bool) -> Result<(), CoreError> {
    match command {
        PollCommand::New { chat, question, options, by_area, closes } => {
            let community = client.chats().resolve(chat).await?;
            let basis = if by_area { PollBasis::ByArea } else { PollBasis::PerPremises };
            let poll = client.polls().open(community, &question, &options, basis, &closing(&closes)?).await?;
            print(json, &poll, |p| format!("Poll #{} is open until {}.", p.id, p.closes_at))
        }
    }
}

/// `polls CHAT`.
pub async fn list(client: &Client, chat: i64, json: bool) -> Result<(), CoreError> {
    let community = client.chats().resolve(chat).await?;
    let views = client.polls().list(community).await?;
    print(json, &views, |v| lines(v))
}

/// `vote POLL OPTION`: the option's number as listed (from 1) or its text.
pub async fn vote(client: &Client, poll: i64, option: &str, json: bool) -> Result<(), CoreError> {
    let id = PollId(poll);
    let views = client.polls().all().await?;
    let view = views.iter().find(|v| v.poll.id == id);
    let by_text =
        view.and_then(|v| v.poll.options.iter().position(|o| o.text.to_lowercase() == option.trim().to_lowercase()));
    let index = match (option.trim().parse::<u32>(), view) {
        _ if by_text.is_some() => by_text.map_or(u32::MAX, |i| i as u32),
        (Ok(n), _) if n >= 1 => n - 1,
        (_, Some(v)) => v
            .poll
            .options
            .iter()
            .position(|o| o.text.to_lowercase() == option.trim().to_lowercase())
            .map(|i| i as u32)
            .ok_or_else(|| {
                CoreError::invalid(
                    "poll_no_such_option",
                    &[("option", option.to_owned())],
                    format!("poll {poll} has no option «{option}»: give its number (from 1) or its text"),
                )
            })?,
        _ => u32::MAX,
    };
    let written = client.polls().vote(id, index).await?;
    report_written(json, written, "vote")
}
