//! `domkom ticket …` and `domkom tickets`: file, read and work tickets from a terminal, on
//! the same checks and outbox as the app.

use clap::Subcommand;
use serde::Serialize;

use domkom_core::ticket::{
    AssigneeFilter, ExportFormat, QueueRow, ReportBy, ReportQuery, TicketDraft, TicketQuery, TicketReport,
};
use domkom_core::{Client, CoreError};
use domkom_domain::id::{HouseId, MessageId, PersonId, TicketId};
use domkom_domain::ticket::{TicketCategory, TicketPlace, TicketProblem, TicketStatus};

use super::{print, report_written};

#[derive(Debug, Subcommand)]
pub enum TicketCommand {
    /// File a ticket for your house: prints its number and the regulated deadline.
    New {
        /// The house's id.
        house: i64,
        /// leak, lift, garbage_chute, cleaning, heating, electricity, sewage, roof, door_glass, other.
        #[arg(long, value_parser = category)]
        category: TicketCategory,
        /// What is wrong.
        #[arg(long)]
        text: String,
        /// flat, entrance:N, floor:N:F, lift:N, yard, roof, basement or other.
        #[arg(long, default_value = "other", value_parser = place)]
        place: Place,
        /// burst, tap, from_above (leaks), door or glass (door_glass).
        #[arg(long, value_parser = problem)]
        problem: Option<TicketProblem>,
        /// An emergency (leaks, heating, electricity, sewage).
        #[arg(long)]
        emergency: bool,
        /// The chat message it is made from (a dispatcher files only from one).
        #[arg(long)]
        message: Option<i64>,
        /// A photo to attach: JPEG, PNG or WebP, at most 10 MB (repeat for up to 5). Its
        /// location and other metadata are removed here, before it is sent.
        #[arg(long = "photo", value_name = "FILE")]
        photos: Vec<std::path::PathBuf>,
    },
    /// Save a ticket's photo (or its thumbnail) to a file; `ticket show` lists them.
    Photo {
        /// The ticket's number.
        id: i64,
        /// Which photo: its number in `ticket show` (1, 2, …) or its id.
        photo: String,
        /// Where to write it.
        #[arg(long, value_name = "FILE")]
        out: std::path::PathBuf,
        /// The small thumbnail instead.
        #[arg(long)]
        thumb: bool,
    },
    /// Show a ticket: its history, comments and flats affected.
    Show {
        /// The ticket's number.
        id: i64,
    },
    /// Move a ticket to another status (the moves allowed to you are in `ticket show`).
    Move {
        /// The ticket's number.
        id: i64,
        /// new, accepted, in_work, done, rejected or withdrawn.
        #[arg(value_parser = status)]
        status: TicketStatus,
        /// The reason or comment, shown to residents (required to reject, pause, send back, reopen).
        #[arg(long)]
        comment: Option<String>,
        /// Post the comment for the staff only instead (the move then carries none).
        #[arg(long, requires = "comment")]
        internal: bool,
        /// A rating 1–5 (required to reopen).
        #[arg(long)]
        rating: Option<u8>,
    },
    /// Give a ticket to an executor of your organisation (`domkom staff HOUSE`), or `none`.
    Assign {
        /// The ticket's number.
        id: i64,
        /// The executor's id, or `none`.
        person: String,
    },
    /// Join a ticket of your house ("me too"): it counts your flat as affected.
    Metoo {
        /// The ticket's number.
        id: i64,
        /// Leave it instead.
        #[arg(long)]
        leave: bool,
    },
    /// Confirm the work on your done ticket.
    Confirm {
        /// The ticket's number.
        id: i64,
        /// A rating 1–5.
        #[arg(long)]
        rating: Option<u8>,
    },
    /// Opened, closed and overdue tickets over a period, with the median time to close.
    Report {
        /// One line per house or per category.
        #[arg(long, default_value = "house", value_parser = report_by)]
        by: ReportBy,
        /// The first day (YYYY-MM-DD; default: 30 days before the last).
        #[arg(long)]
        from: Option<String>,
        /// The last day (YYYY-MM-DD; default: today).
        #[arg(long)]
        to: Option<String>,
        /// Only this house.
        #[arg(long)]
        house: Option<i64>,
        /// Only this category (repeat for several).
        #[arg(long = "category", value_parser = category)]
        categories: Vec<TicketCategory>,
    },
    /// Comment on a ticket.
    Comment {
        /// The ticket's number.
        id: i64,
        /// The text.
        text: String,
        /// For the staff only.
        #[arg(long)]
        internal: bool,
    },
}

/// A place with its numbers, as typed.
#[derive(Debug, Clone, Copy)]
pub struct Place {
    place: TicketPlace,
    entrance: Option<i64>,
    floor: Option<i64>,
}

fn category(text: &str) -> Result<TicketCategory, String> {
    TicketCategory::parse(text).ok_or_else(|| {
        format!(
            "«{text}» is not a category: use {}",
            TicketCategory::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ")
        )
    })
}

fn report_by(text: &str) -> Result<ReportBy, String> {
    match text {
        "house" => Ok(ReportBy::House),
        "category" => Ok(ReportBy::Category),
        _ => Err(format!("«{text}» is not a report: use house or category")),
    }
}

fn status(text: &str) -> Result<TicketStatus, String> {
    TicketStatus::parse(text)
        .ok_or_else(|| format!("«{text}» is not a status: use new, accepted, in_work, done, rejected or withdrawn"))
}

fn problem(text: &str) -> Result<TicketProblem, String> {
    TicketProblem::parse(text)
        .ok_or_else(|| format!("«{text}» is not a problem: use burst, tap, from_above, door or glass"))
}

fn place(text: &str) -> Result<Place, String> {
    let mut parts = text.split(':');
    let name = parts.next().unwrap_or_default();
    let place = TicketPlace::parse(name).ok_or_else(|| {
        format!("«{text}» is not a place: use flat, entrance:N, floor:N:F, lift:N, yard, roof, basement or other")
    })?;
    let mut number = |what: &str| -> Result<Option<i64>, String> {
        parts.next().map(|n| n.parse().map_err(|_| format!("«{n}» is not a {what} number"))).transpose()
    };
    let entrance = number("entrance")?;
    let floor = number("floor")?;
    Ok(Place { place, entrance, floor })
}

/// Which tickets `domkom tickets` lists.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub house: Option<i64>,
    pub statuses: Vec<String>,
    pub overdue: bool,
    pub assignee: Option<String>,
    pub categories: Vec<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub text: Option<String>,
}

/// How `domkom tickets` gives the list.
#[derive(Debug, Clone)]
pub enum Output {
    Text,
    Json,
    Csv,
    Xlsx(std::path::PathBuf),
}

fn person(text: &str) -> Result<Option<PersonId>, CoreError> {
    if text == "none" {
        return Ok(None);
    }
    text.parse().map(|id| Some(PersonId(id))).map_err(|_| {
        CoreError::invalid(
            "bad_person",
            &[("person", text.to_owned())],
            format!("«{text}» is not a person's id: `domkom staff HOUSE` lists the executors, or say none"),
        )
    })
}

/// A rule's refusal is the same whether it came from here or the server.
fn refused(e: CoreError) -> CoreError {
    match e {
        CoreError::Invalid(i)
            if i.code.starts_with("ticket_")
                || i.code.starts_with("comment_")
                || i.code.starts_with("photo_")
                || ["not_dispatcher", "assignee_not_staff"].contains(&i.code.as_str()) =>
        {
            CoreError::Refused { status: 0, code: i.code, message: i.message, params: i.params }
        }
        other => other,
    }
}

/// The tickets list: the whole filter, as text, JSON, CSV or a workbook.
pub async fn list(client: &Client, filter: Filter, out: Output) -> Result<(), CoreError> {
    let statuses = filter
        .statuses
        .iter()
        .map(|s| status(s).map_err(|m| CoreError::invalid("bad_status", &[("status", s.clone())], m)))
        .collect::<Result<Vec<_>, _>>()?;
    let categories = filter
        .categories
        .iter()
        .map(|c| category(c).map_err(|m| CoreError::invalid("bad_category", &[("category", c.clone())], m)))
        .collect::<Result<Vec<_>, _>>()?;
    for d in [&filter.from, &filter.to].into_iter().flatten() {
        if chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_err() {
            return Err(CoreError::invalid(
                "bad_date",
                &[("date", d.clone())],
                format!("«{d}» is not a day: write it as YYYY-MM-DD, e.g. 2026-11-01"),
            ));
        }
    }
    let assignee = match filter.assignee.as_deref() {
        None => None,
        Some(text) => Some(match person(text)? {
            None => AssigneeFilter::Nobody,
            Some(id) => AssigneeFilter::Person { id },
        }),
    };
    let query = TicketQuery {
        statuses,
        categories,
        houses: filter.house.map(HouseId).into_iter().collect(),
        overdue: filter.overdue,
        assignee,
        from: filter.from,
        to: filter.to,
        text: filter.text,
        ..TicketQuery::default()
    };
    let tickets = client.tickets();
    let format = match &out {
        Output::Csv => ExportFormat::Csv,
        Output::Xlsx(_) => ExportFormat::Xlsx,
        Output::Text | Output::Json => {
            let rows = tickets.all_rows(query).await?;
            let json = matches!(out, Output::Json);
            return print(json, &rows, |rows| rows.iter().map(row_line).collect::<Vec<_>>().join("\n"));
        }
    };
    let export = tickets.export(query, format, &Default::default()).await?;
    use std::io::Write;
    match out {
        Output::Xlsx(path) => {
            std::fs::write(&path, &export.bytes)
                .map_err(|e| CoreError::io(format!("cannot write {}: {e}", path.display())))?;
            eprintln!("{} tickets written to {}", export.rows, path.display());
        }
        _ => std::io::stdout().lock().write_all(&export.bytes)?,
    }
    Ok(())
}

/// The report over a period, as a table or JSON.
pub async fn report(client: &Client, by: ReportBy, query: ReportQuery, json: bool) -> Result<(), CoreError> {
    let report = client.tickets().report(query, by).await?;
    print(json, &report, report_table)
}

fn report_table(r: &TicketReport) -> String {
    let hours = |h: Option<f64>| h.map_or_else(|| "-".to_owned(), |h| format!("{h:.1}"));
    let mut out = format!(
        "{} .. {}\n{:>7} {:>7} {:>7} {:>9}  {}\n",
        r.from,
        r.to,
        "opened",
        "closed",
        "overdue",
        "median h",
        match r.by {
            ReportBy::House => "house",
            ReportBy::Category => "category",
        }
    );
    for l in r.lines.iter().chain(std::iter::once(&r.total)) {
        let label = if l.key.is_empty() { "total" } else { l.label.as_str() };
        out.push_str(&format!(
            "{:>7} {:>7} {:>7} {:>9}  {label}\n",
            l.opened,
            l.closed,
            l.overdue,
            hours(l.median_hours)
        ));
    }
    out.trim_end().to_owned()
}

/// A stored time (RFC 3339, any offset) as UTC to the minute.
fn utc(t: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(t)
        .map(|d| d.to_utc().format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_else(|_| t.to_owned())
}

fn row_line(r: &QueueRow) -> String {
    let due = utc(&r.deadline_at);
    format!(
        "{:>7} {:<9} {}{:<14} due {due}{}  {}  {}{}",
        r.id,
        r.status,
        if r.emergency { "EMERGENCY " } else { "" },
        r.category,
        if r.overdue { " OVERDUE" } else { "" },
        r.address,
        r.title,
        r.assignee_name.as_deref().map(|a| format!("  → {a}")).unwrap_or_default()
    )
}

#[derive(Serialize)]
struct FiledOut {
    state: &'static str,
    client_key: String,
    id: Option<TicketId>,
    deadline_at: String,
}

/// Runs one `domkom ticket …` command.
pub async fn run(client: &Client, command: TicketCommand, json: bool) -> Result<(), CoreError> {
    let tickets = client.tickets();
    match command {
        TicketCommand::New { house, category, text, place, problem, emergency, message, photos: files } => {
            let mut photos = Vec::with_capacity(files.len());
            for file in &files {
                let bytes = std::fs::read(file).map_err(|e| CoreError::Io {
                    reason: format!("cannot read the photo {}: check the path", file.display()),
                    source: Some(Box::new(e)),
                })?;
                photos.push(tickets.add_photo(bytes).await.map_err(refused)?.key);
            }
            let draft = TicketDraft {
                house_id: HouseId(house),
                category,
                problem,
                emergency,
                place: place.place,
                entrance: place.entrance,
                floor: place.floor,
                body: text,
                message_id: message.map(MessageId),
                photos,
            };
            let provisional = tickets.check(draft.clone()).await.map_err(refused)?;
            let written = tickets.file(draft).await.map_err(refused)?;
            if written.waiting.is_none() {
                let filed = tickets.by_key(&written.client_key).await?;
                let out = FiledOut {
                    state: "sent",
                    client_key: written.client_key,
                    id: filed.as_ref().map(|t| t.id),
                    deadline_at: filed.map_or(provisional, |t| t.deadline_at),
                };
                return print(json, &out, |o| {
                    format!(
                        "ticket №{} filed; due by {}",
                        o.id.map_or("?".to_owned(), |i| i.to_string()),
                        utc(&o.deadline_at)
                    )
                });
            }
            if !json {
                eprintln!("due by {} once delivered", utc(&provisional));
            }
            report_written(json, written, "the ticket")
        }
        TicketCommand::Show { id } => {
            let detail = tickets.show(TicketId(id)).await?;
            print(json, &detail, |d| {
                let t = &d.view.ticket;
                let mut out = format!(
                    "№{} {} [{}{}] {}\n{}\nhouse {} · {}{} · flats affected {} · due {}{}\n",
                    t.id,
                    t.title,
                    t.status,
                    if d.view.overdue { ", OVERDUE" } else { "" },
                    t.category,
                    t.body,
                    t.house_id,
                    t.place,
                    t.entrance.map(|e| format!(" {e}")).unwrap_or_default(),
                    t.flats_affected,
                    utc(&t.deadline_at),
                    t.assignee_name.as_deref().map(|a| format!(" · executor {a}")).unwrap_or_default()
                );
                out.push_str("history:\n");
                for e in &t.history {
                    let what = match e.kind {
                        domkom_domain::ticket::TicketEventKind::Assign => {
                            format!("assigned to {}", e.assignee_name.as_deref().unwrap_or("nobody"))
                        }
                        domkom_domain::ticket::TicketEventKind::Confirm => "confirmed".to_owned(),
                        domkom_domain::ticket::TicketEventKind::Handover => {
                            format!("handed over to {}", e.assignee_name.as_deref().unwrap_or("a neighbour"))
                        }
                        domkom_domain::ticket::TicketEventKind::Status => e.status.to_string(),
                    };
                    let note = if e.note.is_empty() { String::new() } else { format!(": {}", e.note) };
                    let rating = e.rating.map(|r| format!(" ({r}/5)")).unwrap_or_default();
                    out.push_str(&format!("  {} {} — {what}{rating}{note}\n", utc(&e.at), e.actor_name));
                }
                if !d.comments.is_empty() {
                    out.push_str("comments:\n");
                    for c in &d.comments {
                        let tag = if c.internal { " [internal]" } else { "" };
                        out.push_str(&format!("  {} {}{tag}: {}\n", utc(&c.created_at), c.author_name, c.body));
                    }
                }
                if !t.photos.is_empty() {
                    out.push_str("photos (`domkom ticket photo ID N --out FILE`):\n");
                    for (n, p) in t.photos.iter().enumerate() {
                        out.push_str(&format!(
                            "  {} {} {}×{} {} KB\n",
                            n + 1,
                            p.kind.as_str(),
                            p.width,
                            p.height,
                            p.bytes.div_ceil(1024)
                        ));
                    }
                }
                let moves: Vec<String> = d.view.moves.iter().map(|m| m.to.to_string()).collect();
                if !moves.is_empty() {
                    out.push_str(&format!("you may move it to: {}\n", moves.join(", ")));
                }
                out.trim_end().to_owned()
            })
        }
        TicketCommand::Photo { id, photo, out, thumb } => {
            let ticket = tickets.show(TicketId(id)).await?.view.ticket;
            let chosen = match photo.parse::<usize>() {
                Ok(n) => ticket.photos.get(n.wrapping_sub(1)),
                Err(_) => ticket.photos.iter().find(|p| p.id == photo),
            };
            let Some(chosen) = chosen else {
                return Err(CoreError::invalid(
                    "no_such_photo",
                    &[("id", id.to_string())],
                    format!("ticket {id} has {} photo(s): give a number from 1 or an id", ticket.photos.len()),
                ));
            };
            let bytes = tickets.photo(TicketId(id), &chosen.id, thumb).await?;
            std::fs::write(&out, &bytes).map_err(|e| CoreError::Io {
                reason: format!("cannot write {}", out.display()),
                source: Some(Box::new(e)),
            })?;
            let written = serde_json::json!({ "file": out, "bytes": bytes.len(), "photo": chosen });
            print(json, &written, |_| format!("{} bytes written to {}", bytes.len(), out.display()))
        }
        TicketCommand::Move { id, status, comment, internal, rating } => {
            let note = if internal { String::new() } else { comment.clone().unwrap_or_default() };
            let written = tickets.move_to(TicketId(id), status, &note, rating).await.map_err(refused)?;
            report_written(json, written, "the move")?;
            if let (true, Some(text)) = (internal, comment) {
                let written = tickets.comment(TicketId(id), &text, true).await.map_err(refused)?;
                report_written(json, written, "the comment")?;
            }
            Ok(())
        }
        TicketCommand::Assign { id, person: who } => {
            let written = tickets.assign(TicketId(id), person(&who)?).await.map_err(refused)?;
            report_written(json, written, "the assignment")
        }
        TicketCommand::Metoo { id, leave } => {
            let written = tickets.join(TicketId(id), !leave).await.map_err(refused)?;
            report_written(json, written, "joining the ticket")
        }
        TicketCommand::Confirm { id, rating } => {
            let written = tickets.confirm(TicketId(id), rating).await.map_err(refused)?;
            report_written(json, written, "the confirmation")
        }
        TicketCommand::Comment { id, text, internal } => {
            let written = tickets.comment(TicketId(id), &text, internal).await.map_err(refused)?;
            report_written(json, written, "the comment")
        }
        TicketCommand::Report { by, from, to, house, categories } => {
            let query = ReportQuery { from, to, houses: house.map(HouseId).into_iter().collect(), categories };
            report(client, by, query, json).await
        }
    }
}

/// `domkom staff HOUSE`: who tickets of a house are given to.
pub async fn staff(client: &Client, house: i64, json: bool) -> Result<(), CoreError> {
    let staff = client.tickets().staff(HouseId(house)).await?;
    print(json, &staff, |s| {
        s.iter().map(|p| format!("{:>7} {:<12} {}", p.person_id, p.trade, p.name)).collect::<Vec<_>>().join("\n")
    })
}
