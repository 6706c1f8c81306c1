//! `domkom`: sign in, sync, read and send house chats from a terminal, on the same core as
//! the desktop app.
//!
//! Exit codes: 0 done; 1 other error; 2 wrong usage (including a data directory made for
//! another server); 3 not signed in; 4 server unreachable (a message sent then waits in the
//! outbox); 5 refused by the server; 6 keyring missing or locked; 7 cache unusable.

mod bills;
mod governance;
mod moderation;
mod polls;
mod tickets;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use serde::Serialize;

use domkom_core::cache::{Access, Opened};
use domkom_core::chat::MessageState;
use domkom_core::notice::OutageDraft;
use domkom_core::outbox::OutboxState;
use domkom_core::{Client, CoreError, Options, Written};
use domkom_domain::id::{DeviceId, HouseId, MessageId};
use domkom_domain::notice::OutageType;

/// Domkom from a terminal: your house chats, synced into an encrypted local cache.
#[derive(Debug, Parser)]
#[command(name = "domkom", version)]
struct Cli {
    /// The backend's URL.
    #[arg(long, global = true, env = "DOMKOM_SERVER", default_value = "http://127.0.0.1:8640")]
    server: url::Url,
    /// The data directory (default: the per-user data directory).
    #[arg(long, global = true, env = "DOMKOM_DATA")]
    data: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Sign in: prints the URL to open in a browser and waits for it.
    Login {
        /// Sign in a demo person of the reference backend, without a browser.
        #[arg(long)]
        demo: Option<String>,
    },
    /// Fetch every change since the last sync.
    Sync,
    /// List your chats with unread counts.
    #[command(alias = "houses")]
    Chats,
    /// Show a chat's messages, newest last (`chat open HOUSE` opens a small house's chat).
    #[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
    Chat {
        /// Open the chat of a house under 16 flats, which has none (unofficial; you moderate it).
        #[command(subcommand)]
        action: Option<ChatAction>,
        /// The chat's id or its house's id.
        #[arg(required = true)]
        house: Option<i64>,
        /// How many messages.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Only messages older than this id.
        #[arg(long)]
        before: Option<i64>,
    },
    /// Send a message to a chat.
    Send {
        /// The chat's id or its house's id.
        house: i64,
        /// The text.
        text: String,
        /// In a microdistrict channel: a house the post is for (repeat for several; none:
        /// the whole complex). Its residents and staff alone read it.
        #[arg(long = "for-house", value_name = "HOUSE")]
        for_houses: Vec<i64>,
    },
    /// React to a message with one of 👍 ❤️ 😂 😮 😢 🙏 (replacing your earlier reaction),
    /// or take your reaction back with --off. Queued when offline.
    React {
        /// The message's id (`domkom chat CHAT` lists them).
        message: i64,
        /// The reaction.
        #[arg(required_unless_present = "off")]
        emoji: Option<String>,
        /// Take your reaction back.
        #[arg(long, conflicts_with = "emoji")]
        off: bool,
    },
    /// Search all your chats.
    Search {
        /// Words to find (each a prefix).
        query: String,
        /// How many results.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// List the meters of your flats: last reading, the submission window, verification.
    Meters,
    /// Show a house's notices (all your houses' without HOUSE): outages now, to come and
    /// past, each judged against the limits of regulation 354.
    Notices {
        /// The house's id.
        house: Option<i64>,
    },
    /// Show your bills (ЕПД): each month's total and its change, or one month's whole bill.
    Bills {
        /// The account's id or number (all your accounts without it).
        account: Option<String>,
        /// One month, `YYYY-MM`: the bill's six sections (with --csv, its charge lines).
        #[arg(long)]
        period: Option<String>,
        /// Print CSV instead of text (amounts in roubles).
        #[arg(long, conflicts_with = "json")]
        csv: bool,
    },
    /// Outage notices, for dispatchers.
    #[command(subcommand)]
    Outage(OutageCommand),
    /// File, read and work one ticket.
    #[command(subcommand)]
    Ticket(tickets::TicketCommand),
    /// List tickets (a resident: the house's; a dispatcher: the organisation's queue), soonest
    /// deadline first.
    Tickets {
        /// Only this house.
        #[arg(long)]
        house: Option<i64>,
        /// Only this status (repeat for several).
        #[arg(long = "status")]
        statuses: Vec<String>,
        /// Only open tickets past their deadline.
        #[arg(long)]
        overdue: bool,
        /// Only this executor's tickets (a person's id), or `none`.
        #[arg(long)]
        assignee: Option<String>,
        /// Only this category (repeat for several).
        #[arg(long = "category")]
        categories: Vec<String>,
        /// Only tickets registered on or after this day (YYYY-MM-DD, the house's local day).
        #[arg(long)]
        from: Option<String>,
        /// Only tickets registered on or before this day (YYYY-MM-DD).
        #[arg(long)]
        to: Option<String>,
        /// Only tickets whose title or text has these words.
        #[arg(long)]
        text: Option<String>,
        /// Print CSV instead of text.
        #[arg(long, conflicts_with_all = ["json", "xlsx"])]
        csv: bool,
        /// Write the list to this Excel workbook instead (in Russian).
        #[arg(long, value_name = "FILE", conflicts_with = "json")]
        xlsx: Option<std::path::PathBuf>,
    },
    /// List the staff of a house's organisation, to give tickets to (for dispatchers).
    Staff {
        /// The house's id.
        house: i64,
    },
    /// Show a house's capital-repair plan (all your houses' without HOUSE).
    Repairs {
        /// The house's id.
        house: Option<i64>,
    },
    /// Submit a meter reading (checked by the rules first, offline too; queued when offline).
    Reading {
        /// The meter's id (`domkom meters` lists them).
        device: i64,
        /// Zone T1, or the only zone.
        t1: String,
        /// Zone T2, for two- and three-zone meters.
        t2: Option<String>,
        /// Zone T3, for three-zone meters.
        t3: Option<String>,
        /// Confirm a use far above the meter's usual.
        #[arg(long)]
        confirm: bool,
    },
    /// Moderation: pins, deletions with a reason, mutes, bans, slow mode, complaints, the log.
    #[command(flatten)]
    Moderation(moderation::ModCommand),
    /// Open a poll in a chat.
    #[command(subcommand)]
    Poll(polls::PollCommand),
    /// A chat's polls with their tallies and your vote.
    Polls {
        /// The chat's id or its house's id.
        chat: i64,
    },
    /// Vote in a poll (queued when offline; counted once).
    Vote {
        /// The poll's id (`domkom polls CHAT` lists them).
        poll: i64,
        /// The option's number as listed (from 1) or its text.
        option: String,
    },
    /// Admin rights of house chats: apply, and (the Inspection) grant or refuse.
    #[command(subcommand)]
    Admin(governance::AdminCommand),
    /// Record a new managing organisation for a house from a day (the Inspection).
    Transfer {
        /// The house's id.
        house: i64,
        /// The new organisation: its id, ОГРН, ИНН or words of its name.
        #[arg(long)]
        to: String,
        /// From this day, YYYY-MM-DD (not after today).
        #[arg(long)]
        from: String,
        /// Grant the new organisation the chat's admin rights at once.
        #[arg(long)]
        grant: bool,
    },
    /// Show the cursor, cache size and outbox.
    Status,
    /// Sign out: revoke the session, clear the keyring and the cache.
    Logout,
}

#[derive(Debug, Subcommand)]
enum ChatAction {
    /// Open the chat of a house under 16 flats that has none: you, a verified owner there or
    /// its organisation's staff, moderate it; it is marked unofficial.
    Open {
        /// The house's id.
        house: i64,
    },
}

#[derive(Debug, Subcommand)]
enum OutageCommand {
    /// Post an outage notice for houses your organisation manages: it reaches their notices
    /// and chats (checked by the rules first; queued when offline).
    Post {
        /// A house affected (repeat for several).
        #[arg(long = "house", required = true)]
        houses: Vec<i64>,
        /// cold_water, hot_water, sewage, electricity, gas or heating.
        #[arg(long)]
        service: String,
        /// Start: the house's local time (2026-11-25T09:00) or RFC 3339.
        #[arg(long)]
        from: String,
        /// End, the same way.
        #[arg(long)]
        to: String,
        /// Why, in words residents understand.
        #[arg(long)]
        reason: String,
        /// pause (default), limitation or suspension.
        #[arg(long = "type", default_value = "pause", value_parser = outage_type)]
        outage_type: OutageType,
    },
}

fn outage_type(text: &str) -> Result<OutageType, String> {
    OutageType::parse(text)
        .ok_or_else(|| format!("«{text}» is not an outage type: use pause, limitation or suspension"))
}

fn exit_code(e: &CoreError) -> u8 {
    match e {
        CoreError::SignedOut(_) => 3,
        CoreError::Network { .. } | CoreError::RateLimited { .. } => 4,
        CoreError::Refused { .. } => 5,
        CoreError::Keyring(_) => 6,
        CoreError::Cache { .. } | CoreError::CacheTooNew { .. } => 7,
        CoreError::Invalid(_) | CoreError::OtherServer { .. } => 2,
        CoreError::Io { .. } => 1,
    }
}

impl Command {
    /// Whether the command only reads: then a cache that cannot be used is reported, never
    /// set aside (only a command that syncs or writes may rebuild it).
    fn access(&self) -> Access {
        match self {
            Command::Chats
            | Command::Chat { action: None, .. }
            | Command::Search { .. }
            | Command::Meters
            | Command::Notices { .. }
            | Command::Bills { .. }
            | Command::Repairs { .. }
            | Command::Tickets { .. }
            | Command::Ticket(tickets::TicketCommand::Show { .. } | tickets::TicketCommand::Report { .. })
            | Command::Status => Access::ReadOnly,
            Command::Moderation(m) if m.reads_only() => Access::ReadOnly,
            Command::Admin(governance::AdminCommand::Requests { .. }) | Command::Polls { .. } => Access::ReadOnly,
            Command::Login { .. }
            | Command::Sync
            | Command::Send { .. }
            | Command::React { .. }
            | Command::Reading { .. }
            | Command::Outage(_)
            | Command::Ticket(_)
            | Command::Staff { .. }
            | Command::Moderation(_)
            | Command::Chat { action: Some(_), .. }
            | Command::Admin(_)
            | Command::Poll(_)
            | Command::Vote { .. }
            | Command::Transfer { .. }
            | Command::Logout => Access::ReadWrite,
        }
    }
}

pub(crate) fn print<T: Serialize>(json: bool, value: &T, text: impl FnOnce(&T) -> String) -> Result<(), CoreError> {
    let out = if json {
        serde_json::to_string_pretty(value).map_err(|e| CoreError::io(format!("cannot write JSON: {e}")))?
    } else {
        text(value)
    };
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{out}")?;
    Ok(())
}

/// One notice as a line: when, what, the span, and a broken limit in words.
fn notice_line(n: &domkom_core::notice::NoticeView) -> String {
    use domkom_core::notice::NoticeWhen;
    let when = match n.when {
        NoticeWhen::Current => "NOW     ",
        NoticeWhen::Upcoming => "COMING  ",
        NoticeWhen::Past => "past    ",
        NoticeWhen::Info => "info    ",
    };
    let short =
        |t: &Option<String>| t.as_deref().map(|t| t.get(..16).unwrap_or(t).replace('T', " ")).unwrap_or_default();
    let span = match (&n.notice.starts_at, &n.notice.ends_at) {
        (Some(_), _) => format!(" {} – {} UTC", short(&n.notice.starts_at), short(&n.notice.ends_at)),
        _ => String::new(),
    };
    let service = n.service.as_deref().map(|s| format!(" [{s}]")).unwrap_or_default();
    let breach = n.breach.as_ref().map_or(String::new(), |b| {
        let hours = |m: i64| format!("{:.1} h", m as f64 / 60.0);
        let what = match b.limit {
            domkom_domain::notice::LimitBreach::Once => "at once",
            domkom_domain::notice::LimitBreach::Month => "in the month",
        };
        format!(
            "\n         BREACH: {} {what}, {} allowed (regulation 354, appendix 1, item {}): you may claim a recalculation",
            hours(b.actual_minutes),
            hours(b.allowed_minutes),
            b.item
        )
    });
    format!("{when}{}{service}{span}{breach}", n.notice.title)
}

/// Says what became of a write: sent (exit 0), refused by the server (exit 5), or waiting
/// in the outbox for the link (exit 4).
pub(crate) fn report_written(json: bool, written: Written, what: &str) -> Result<(), CoreError> {
    match written.waiting {
        None => {
            print(json, &serde_json::json!({"state": "sent", "client_key": written.client_key}), |_| "sent".to_owned())
        }
        Some(i) if i.state == OutboxState::Failed => Err(CoreError::Refused {
            status: 0,
            code: i.error_code.unwrap_or_default(),
            message: i.error_message.unwrap_or_default(),
            params: i.error_params,
        }),
        Some(_) => {
            print(json, &serde_json::json!({"state": "queued", "client_key": written.client_key}), |_| {
                "queued: the server is unreachable; it will be sent on the next sync".to_owned()
            })?;
            Err(CoreError::network(format!("{what} waits in the outbox")))
        }
    }
}

fn default_data_dir() -> Result<PathBuf, CoreError> {
    directories::ProjectDirs::from("ru", "Domkom", "domkom")
        .map(|d| d.data_dir().to_owned())
        .ok_or_else(|| CoreError::io("no home directory: pass --data DIR"))
}

async fn run(cli: Cli) -> Result<(), CoreError> {
    let data = match cli.data.clone() {
        Some(d) => d,
        None => default_data_dir()?,
    };
    let options = Options { access: cli.command.access(), ..Options::default() };
    let client = Client::open(&data, &cli.server, options).await?;
    if client.opened() == Opened::Rebuilt {
        eprintln!(
            "The local cache could not be read (its key was gone or the file was damaged); it is rebuilt from the server."
        );
    }
    let json = cli.json;
    match cli.command {
        Command::Login { demo } => {
            let person = match demo {
                Some(key) => client.login_demo(&key).await?,
                None => {
                    let pending = client.session().begin_login().await?;
                    eprintln!("Open this address in your browser to sign in:\n{}", pending.url());
                    let person = pending.finish(client.session(), std::time::Duration::from_secs(300)).await?;
                    client.signed_in(&person).await?;
                    person
                }
            };
            print(json, &person, |p| {
                format!(
                    "Signed in as {}{}",
                    p.name,
                    if p.trusted { "" } else { " (not verified: house chats are closed)" }
                )
            })?;
        }
        Command::Sync => {
            let report = client
                .sync(&|done, total| {
                    if !json && total > 0 {
                        eprint!("\rsyncing: {done}/{total}");
                    }
                })
                .await?;
            if !json {
                eprintln!();
            }
            print(json, &report, |r| {
                format!("{} changes ({} messages) in {} pages; cursor {}", r.changes, r.messages, r.pages, r.cursor)
            })?;
        }
        Command::Chats => {
            let chats = client.chats().list().await?;
            print(json, &chats, |chats| {
                chats
                    .iter()
                    .map(|c| {
                        format!(
                            "{:>6}  {:<40} {:>5} unread  {}",
                            c.community_id,
                            c.title,
                            c.unread,
                            c.address.clone().unwrap_or_default()
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })?;
        }
        Command::Chat { action: Some(ChatAction::Open { house }), .. } => {
            let opened = client.chats().open_for_house(domkom_domain::id::HouseId(house)).await?;
            print(json, &opened, |c| format!("Opened «{}» (unofficial): chat {}; you moderate it.", c.title, c.id))?;
        }
        Command::Chat { house, limit, before, .. } => {
            let house = house.unwrap_or_default();
            let community = client.chats().resolve(house).await?;
            let mut messages = client.chats().messages(community, before.map(MessageId), limit).await?;
            messages.reverse();
            print(json, &messages, |ms| {
                ms.iter()
                    .map(|m| {
                        let id = m.id.map_or("—".to_owned(), |i| i.to_string());
                        let flat = m.author_flat.as_deref().map(|f| format!(", кв. {f}")).unwrap_or_default();
                        let state = match m.state {
                            MessageState::Sent => "",
                            MessageState::Pending => " [waiting to be sent]",
                            MessageState::Failed => " [refused]",
                        };
                        let body = if m.deleted_at.is_some() { "(сообщение удалено)" } else { &m.body };
                        let only = if m.for_houses.is_empty() {
                            String::new()
                        } else {
                            format!(" [для домов: {}]", m.for_houses.join("; "))
                        };
                        let reactions: String = m
                            .reactions
                            .iter()
                            .map(|r| format!(" {}{}{}", r.emoji, r.count, if r.mine { "*" } else { "" }))
                            .collect();
                        format!(
                            "{id:>8} {} {}{flat}:{only} {body}{state}{reactions}",
                            &m.created_at[..16.min(m.created_at.len())],
                            m.author_name
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })?;
        }
        Command::Send { house, text, for_houses } => {
            let community = client.chats().resolve(house).await?;
            let written = if for_houses.is_empty() {
                client.chats().send(community, &text, None).await?
            } else {
                let houses: Vec<HouseId> = for_houses.into_iter().map(HouseId).collect();
                client.chats().post_to_houses(community, &text, &houses).await?
            };
            report_written(json, written, "the message")?;
        }
        Command::React { message, emoji, off } => {
            let emoji = if off { None } else { emoji };
            let written = client.chats().react(MessageId(message), emoji.as_deref()).await?;
            report_written(json, written, "the reaction")?;
        }
        Command::Meters => {
            let meters = client.meters().list().await?;
            print(json, &meters, |ms| {
                ms.iter()
                    .map(|m| {
                        let d = &m.device;
                        let last = m.last.as_ref().map_or("no reading yet".to_owned(), |r| {
                            let zones = [Some(&r.t1), r.t2.as_ref(), r.t3.as_ref()];
                            let values: Vec<String> = zones
                                .iter()
                                .enumerate()
                                .filter_map(|(i, v)| v.map(|v| format!("T{} {v}", i + 1)))
                                .collect();
                            format!("{} ({}, {})", values.join(" "), r.period, r.source)
                        });
                        let window = match (m.days_left, &m.next_from) {
                            (Some(n), _) if m.submitted_this_period => {
                                format!(
                                    "window {}–{}: submitted, {n} day(s) left to correct",
                                    m.window_from, m.window_to
                                )
                            }
                            (Some(n), _) => format!("window {}–{}: {n} day(s) left", m.window_from, m.window_to),
                            (None, Some(next)) => format!("window {}–{}: opens {next}", m.window_from, m.window_to),
                            (None, None) => format!("window {}–{}", m.window_from, m.window_to),
                        };
                        let verification = if m.verification_days_left <= 0 {
                            format!("verification EXPIRED on {}", m.verification_expires)
                        } else if m.verification_days_left <= domkom_core::meter::VERIFICATION_WARNING_DAYS {
                            format!(
                                "verification ends {} (in {} days)",
                                m.verification_expires, m.verification_days_left
                            )
                        } else {
                            format!("verified until {}", m.verification_expires)
                        };
                        format!(
                            "{:>6} {:<11} №{} ({} zone(s))  {last}  {window}  {verification}",
                            d.id, d.resource, d.serial, d.zones
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })?;
        }
        Command::Notices { house } => {
            let houses = match house {
                Some(id) => vec![HouseId(id)],
                None => client.houses().list().await?.into_iter().map(|h| h.id).collect(),
            };
            let mut all = Vec::new();
            for h in houses {
                all.extend(client.notices().list(h).await?);
            }
            print(json, &all, |ns| ns.iter().map(notice_line).collect::<Vec<_>>().join("\n"))?;
        }
        Command::Bills { account, period, csv } => {
            if let Some(p) = &period {
                bills::check_period(p)?;
            }
            let format = if csv {
                bills::Format::Csv
            } else if json {
                bills::Format::Json
            } else {
                bills::Format::Text
            };
            let mut all = Vec::new();
            for account in bills::pick(client.bills().accounts(None).await?, account.as_deref())? {
                let list = match &period {
                    Some(p) => client.bills().one(account.id, p.clone()).await?.into_iter().collect(),
                    None => client.bills().list(account.id).await?,
                };
                all.push(bills::AccountBills { account, bills: list });
            }
            if let Some(p) = period.as_deref().filter(|_| all.iter().all(|a| a.bills.is_empty())) {
                return Err(CoreError::invalid(
                    "no_bill_for_period",
                    &[("period", p.to_owned())],
                    format!("no bill for {p} in the cache: `domkom bills` lists the months held (sync first)"),
                ));
            }
            let text = match (format, &period) {
                (bills::Format::Csv, _) => bills::csv(&all, period.is_some())?,
                (bills::Format::Json, _) => {
                    serde_json::to_string_pretty(&all).map_err(|e| CoreError::io(format!("cannot write JSON: {e}")))?
                }
                (bills::Format::Text, Some(_)) => {
                    all.iter().flat_map(|a| a.bills.iter().map(bills::bill_text)).collect::<Vec<_>>().join("\n\n")
                }
                (bills::Format::Text, None) => bills::list_text(&all),
            };
            let mut stdout = std::io::stdout().lock();
            write!(stdout, "{}", if text.ends_with('\n') { text } else { text + "\n" })?;
        }
        Command::Repairs { house } => {
            let houses = match house {
                Some(id) => vec![HouseId(id)],
                None => client.houses().list().await?.into_iter().map(|h| h.id).collect(),
            };
            let mut all = Vec::new();
            for h in houses {
                all.extend(client.notices().repairs(h).await?);
            }
            print(json, &all, |plan| {
                plan.iter()
                    .map(|r| format!("{}–{}  {:<11} {}", r.year_from, r.year_to, r.status, r.work))
                    .collect::<Vec<_>>()
                    .join("\n")
            })?;
        }
        Command::Outage(OutageCommand::Post { houses, service, from, to, reason, outage_type }) => {
            let draft = OutageDraft {
                houses: houses.into_iter().map(HouseId).collect(),
                service,
                outage_type,
                starts_at: from,
                ends_at: to,
                reason,
            };
            let written = client.notices().post(draft).await.map_err(|e| match e {
                // A rule's refusal is the same whether it came from here or the server.
                CoreError::Invalid(i) if i.code.starts_with("outage_") || i.code == "not_dispatcher" => {
                    CoreError::Refused { status: 0, code: i.code, message: i.message, params: i.params }
                }
                other => other,
            })?;
            report_written(json, written, "the notice")?;
        }
        Command::Ticket(command) => tickets::run(&client, command, json).await?,
        Command::Moderation(command) => moderation::run(&client, command, json).await?,
        Command::Admin(command) => governance::run(&client, command, json).await?,
        Command::Poll(command) => polls::run(&client, command, json).await?,
        Command::Polls { chat } => polls::list(&client, chat, json).await?,
        Command::Vote { poll, option } => polls::vote(&client, poll, &option, json).await?,
        Command::Transfer { house, to, from, grant } => {
            governance::transfer(&client, house, &to, &from, grant, json).await?
        }
        Command::Tickets { house, statuses, overdue, assignee, categories, from, to, text, csv, xlsx } => {
            let filter = tickets::Filter { house, statuses, overdue, assignee, categories, from, to, text };
            let out = match (csv, xlsx) {
                (true, _) => tickets::Output::Csv,
                (false, Some(path)) => tickets::Output::Xlsx(path),
                (false, None) if json => tickets::Output::Json,
                (false, None) => tickets::Output::Text,
            };
            tickets::list(&client, filter, out).await?;
        }
        Command::Staff { house } => tickets::staff(&client, house, json).await?,
        Command::Reading { device, t1, t2, t3, confirm } => {
            let written =
                client.meters().submit(DeviceId(device), &t1, t2.as_deref(), t3.as_deref(), confirm).await.map_err(
                    |e| match e {
                        // A rule's refusal is the same whether it came from here or the server.
                        CoreError::Invalid(i) if i.code.starts_with("reading_") => {
                            CoreError::Refused { status: 0, code: i.code, message: i.message, params: i.params }
                        }
                        other => other,
                    },
                )?;
            report_written(json, written, "the reading")?;
        }
        Command::Search { query, limit } => {
            let hits = client.chats().search(&query, limit).await?;
            print(json, &hits, |hits| {
                hits.iter()
                    .map(|h| {
                        let text: String =
                            h.snippet.iter().map(|(t, hit)| if *hit { format!("[{t}]") } else { t.clone() }).collect();
                        format!("{:>8} {} · {}: {text}", h.message_id, h.title, h.author_name)
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })?;
        }
        Command::Status => {
            let status = client.status().await?;
            print(json, &status, |s| {
                format!(
                    "cursor {}\nlast sync {}\ncache {:.1} MiB, {} messages\noutbox: {} waiting, {} failed",
                    s.cursor,
                    s.synced_at.clone().unwrap_or_else(|| "never".into()),
                    s.cache_bytes as f64 / 1048576.0,
                    s.messages,
                    s.outbox_pending,
                    s.outbox_failed
                )
            })?;
        }
        Command::Logout => {
            client.logout().await?;
            print(json, &serde_json::json!({"signed_out": true}), |_| {
                "signed out; the cache and keys are gone".to_owned()
            })?;
        }
    }
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()))
        .init();
    let cli = Cli::parse();
    let json = cli.json;
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if json {
                let _ = writeln!(std::io::stderr(), "{}", serde_json::to_string(&e.tagged()).unwrap_or_default());
            } else {
                eprintln!("domkom: {e}");
            }
            ExitCode::from(exit_code(&e))
        }
    }
}
