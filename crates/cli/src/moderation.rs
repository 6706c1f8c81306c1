//! Moderation from a terminal: `pin`, `unpin`, `delete`, `mute`, `unmute`, `ban`, `unban`,
//! `slowmode`, `report`, `reports`, `resolve`, `modlog`, `appeal` and `answer`.

use clap::Subcommand;

use domkom_core::{Client, CoreError};
use domkom_domain::id::{CommunityId, MessageId, ModEntryId, PersonId, ReportId};
use domkom_domain::moderation::{ModAction, ModEntry, Report, Resolution, parse_period};

use super::print;

#[derive(Debug, Subcommand)]
pub enum ModCommand {
    /// Pin a message above its chat (moderators).
    Pin {
        /// The message's id.
        message: i64,
    },
    /// Take a pinned message down (moderators).
    Unpin {
        /// The message's id.
        message: i64,
    },
    /// Delete your message; a moderator deletes someone else's with --reason.
    Delete {
        /// The message's id.
        message: i64,
        /// Why (members read it in place of the text).
        #[arg(long)]
        reason: Option<String>,
    },
    /// Mute a resident in a chat for a period (moderators): they read but cannot send.
    Mute {
        /// The chat's id or its house's id.
        chat: i64,
        /// A person's id, or a demo person's short id such as `multi-owner`.
        person: String,
        /// For how long: 30m, 24h, 7d (a minute to 30 days).
        #[arg(long = "for", value_parser = period)]
        period: u32,
        /// Why.
        #[arg(long)]
        reason: Option<String>,
    },
    /// Lift a mute (moderators).
    Unmute {
        /// The chat's id or its house's id.
        chat: i64,
        /// A person's id or a demo person's short id.
        person: String,
    },
    /// Ban a resident from a chat (moderators): the membership ends and they cannot rejoin.
    Ban {
        /// The chat's id or its house's id.
        chat: i64,
        /// A person's id or a demo person's short id.
        person: String,
        /// Why.
        #[arg(long)]
        reason: String,
    },
    /// Lift a ban (the Inspection).
    Unban {
        /// The chat's id.
        chat: i64,
        /// A person's id or a demo person's short id.
        person: String,
    },
    /// Slow mode: one message per SECONDS per resident (0 turns it off; moderators).
    Slowmode {
        /// The chat's id or its house's id.
        chat: i64,
        /// Seconds between a resident's messages, 0 to 3600.
        seconds: u32,
    },
    /// Complain about a message to the chat's moderators.
    Report {
        /// The message's id.
        message: i64,
        /// Why.
        #[arg(long)]
        reason: String,
    },
    /// A chat's complaints, open ones first (moderators).
    Reports {
        /// The chat's id or its house's id.
        chat: i64,
    },
    /// Resolve a complaint: delete the message or dismiss the complaint (moderators).
    Resolve {
        /// The complaint's id.
        report: i64,
        /// delete or dismiss.
        #[arg(value_parser = resolution)]
        action: Resolution,
        /// Why (for a deletion, members read it; the complaint's reason if absent).
        #[arg(long)]
        reason: Option<String>,
    },
    /// A chat's moderation log, newest first: who did what, when and why.
    Modlog {
        /// The chat's id or its house's id.
        chat: i64,
        /// How many entries.
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Appeal a log entry to the State Housing Inspection.
    Appeal {
        /// The entry's id (`domkom modlog` lists them).
        entry: i64,
        /// What you want the Inspection to know.
        #[arg(long)]
        text: String,
    },
    /// Answer an appeal in the log (the Inspection).
    Answer {
        /// The entry's id.
        entry: i64,
        /// The answer.
        #[arg(long)]
        text: String,
    },
}

fn period(text: &str) -> Result<u32, String> {
    parse_period(text).ok_or_else(|| format!("«{text}» is not a period: write it like 30m, 24h or 7d"))
}

fn resolution(text: &str) -> Result<Resolution, String> {
    Resolution::parse(text).ok_or_else(|| format!("«{text}» is not a resolution: use delete or dismiss"))
}

/// A chat the person typed, by chat or house id: one of theirs, or one cached for them (the
/// Inspection's cache holds every community). An id that is neither is refused, never
/// taken as another chat's.
async fn chat(client: &Client, id: i64) -> Result<CommunityId, CoreError> {
    client.chats().resolve(id).await
}

/// A person the operator typed: an id, or a demo person's short id.
async fn person(client: &Client, text: &str) -> Result<PersonId, CoreError> {
    if let Ok(id) = text.parse::<i64>() {
        return Ok(PersonId(id));
    }
    let demo = client.demo_persons().await?;
    demo.iter().find(|p| p.key == text).map(|p| p.id).ok_or_else(|| {
        let keys: Vec<&str> = demo.iter().map(|p| p.key.as_str()).collect();
        CoreError::invalid(
            "no_such_person",
            &[("person", text.to_owned())],
            format!("no person «{text}»: give a person's id or one of {}", keys.join(", ")),
        )
    })
}

/// One log entry as a line.
fn entry_line(e: &ModEntry) -> String {
    let what = match e.action {
        ModAction::Pin => format!("pinned message {}", e.message_id.map_or(0, |m| m.get())),
        ModAction::Unpin => format!("unpinned message {}", e.message_id.map_or(0, |m| m.get())),
        ModAction::Delete => format!(
            "deleted message {} by {}",
            e.message_id.map_or(0, |m| m.get()),
            e.person_name.as_deref().unwrap_or("?")
        ),
        ModAction::Mute => {
            format!("muted {} until {}", e.person_name.as_deref().unwrap_or("?"), e.until.as_deref().unwrap_or("?"))
        }
        ModAction::Unmute => format!("unmuted {}", e.person_name.as_deref().unwrap_or("?")),
        ModAction::Ban => format!("banned {}", e.person_name.as_deref().unwrap_or("?")),
        ModAction::Unban => format!("lifted the ban of {}", e.person_name.as_deref().unwrap_or("?")),
        ModAction::SlowMode => match e.seconds {
            Some(0) | None => "turned slow mode off".to_owned(),
            Some(s) => format!("set slow mode to one message per {s} s"),
        },
        ModAction::Dismiss => format!("dismissed a complaint about message {}", e.message_id.map_or(0, |m| m.get())),
    };
    let mut line = format!("#{:<6} {}  {} ({}): {what}", e.id, e.at, e.actor_name, e.actor_role);
    if let Some(r) = &e.reason {
        line.push_str(&format!(" — «{r}»"));
    }
    if let Some(t) = &e.removed_text {
        line.push_str(&format!("\n         deleted text: «{t}»"));
    }
    if let Some(a) = &e.appeal {
        line.push_str(&format!("\n         appeal by {}: «{}»", a.by_name, a.text));
        match &a.answer {
            Some(ans) => line.push_str(&format!("\n         Inspection: «{ans}»")),
            None => line.push_str("\n         (waiting for the Inspection)"),
        }
    }
    line
}

fn report_line(r: &Report) -> String {
    format!(
        "#{:<5} {:<9} message {} by {}: «{}»\n       {} complained {}: «{}»",
        r.id, r.state, r.message_id, r.author_name, r.excerpt, r.reporter_name, r.at, r.reason
    )
}

/// Runs one moderation command.
pub async fn run(client: &Client, command: ModCommand, json: bool) -> Result<(), CoreError> {
    let m = client.moderation();
    match command {
        ModCommand::Pin { message } => {
            let done = m.pin(MessageId(message), true).await?;
            print(json, &done, |d| format!("Pinned message {} above the chat.", d.id))
        }
        ModCommand::Unpin { message } => {
            let done = m.pin(MessageId(message), false).await?;
            print(json, &done, |d| format!("Message {} is no longer pinned.", d.id))
        }
        ModCommand::Delete { message, reason: Some(reason) } => {
            let done = m.remove(MessageId(message), &reason).await?;
            print(json, &done, |d| format!("Deleted message {}; members read: «{reason}».", d.id))
        }
        ModCommand::Delete { message, reason: None } => {
            client.chats().delete(MessageId(message)).await?;
            print(json, &message, |id| format!("Deleted your message {id}."))
        }
        ModCommand::Mute { chat: c, person: p, period, reason } => {
            let (c, p) = (chat(client, c).await?, person(client, &p).await?);
            let done = m.mute(c, p, period, reason.as_deref()).await?;
            print(json, &done, entry_line)
        }
        ModCommand::Unmute { chat: c, person: p } => {
            let (c, p) = (chat(client, c).await?, person(client, &p).await?);
            print(json, &m.unmute(c, p).await?, entry_line)
        }
        ModCommand::Ban { chat: c, person: p, reason } => {
            let (c, p) = (chat(client, c).await?, person(client, &p).await?);
            print(json, &m.ban(c, p, &reason).await?, entry_line)
        }
        ModCommand::Unban { chat: c, person: p } => {
            let (c, p) = (chat(client, c).await?, person(client, &p).await?);
            print(json, &m.unban(c, p).await?, entry_line)
        }
        ModCommand::Slowmode { chat: c, seconds } => {
            let done = m.slow_mode(chat(client, c).await?, seconds).await?;
            print(json, &done, |d| match d.slow_mode_s {
                0 => format!("Slow mode is off in «{}».", d.title),
                s => format!("«{}»: one message per {s} s per resident.", d.title),
            })
        }
        ModCommand::Report { message, reason } => {
            let done = m.report(MessageId(message), &reason).await?;
            print(json, &done, |r| format!("Complaint #{} sent to the chat's moderators.", r.id))
        }
        ModCommand::Reports { chat: c } => {
            let found = m.reports(chat(client, c).await?).await?;
            print(json, &found, |rs| {
                if rs.is_empty() {
                    return "No complaints.".to_owned();
                }
                rs.iter().map(report_line).collect::<Vec<_>>().join("\n")
            })
        }
        ModCommand::Resolve { report, action, reason } => {
            let done = m.resolve(ReportId(report), action, reason.as_deref()).await?;
            print(json, &done, |r| format!("Complaint #{} is {}.", r.id, r.state))
        }
        ModCommand::Modlog { chat: c, limit } => {
            let found = m.log(chat(client, c).await?, None, limit).await?;
            print(json, &found, |es| {
                if es.is_empty() {
                    return "The log is empty: no moderator has acted in this chat.".to_owned();
                }
                es.iter().map(entry_line).collect::<Vec<_>>().join("\n")
            })
        }
        ModCommand::Appeal { entry, text } => {
            let done = m.appeal(ModEntryId(entry), &text).await?;
            print(json, &done, |e| format!("Appealed entry #{} to the Inspection.", e.id))
        }
        ModCommand::Answer { entry, text } => {
            let done = m.answer(ModEntryId(entry), &text).await?;
            print(json, &done, |e| format!("Answered the appeal of entry #{}.", e.id))
        }
    }
}

impl ModCommand {
    /// Whether the command only reads the cache.
    pub fn reads_only(&self) -> bool {
        matches!(self, ModCommand::Reports { .. } | ModCommand::Modlog { .. })
    }
}
