//! Governance from a terminal: `admin apply`, `admin requests`, `admin grant`, `admin refuse`
//! and `transfer`.

use clap::Subcommand;

use domkom_core::{Client, CoreError};
use domkom_domain::governance::AdminApplication;
use domkom_domain::id::{ApplicationId, HouseId, OrgId};

use super::print;

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Apply for a house chat's admin rights (the managing organisation's staff, or the chair
    /// of a ТСЖ/ЖСК house).
    Apply {
        /// The chat's id or its house's id.
        chat: i64,
        /// The moderators and contacts, in words.
        #[arg(long)]
        details: Option<String>,
    },
    /// Applications for admin rights: the Inspection's queue, staff's own (open ones only
    /// unless --all).
    Requests {
        /// Decided ones too.
        #[arg(long)]
        all: bool,
    },
    /// Grant an application (the Inspection).
    Grant {
        /// The application's id.
        request: i64,
    },
    /// Refuse an application with a reason (the Inspection).
    Refuse {
        /// The application's id.
        request: i64,
        /// Why: the applicant reads it.
        #[arg(long)]
        reason: String,
    },
}

/// An organisation the Inspection typed: its id, ОГРН or ИНН, or words of its name.
async fn org(client: &Client, text: &str) -> Result<OrgId, CoreError> {
    let orgs = client.governance().orgs().await?;
    // An exact id, ОГРН or ИНН names one; words of a name may name several.
    if let Some(exact) = orgs.iter().find(|o| o.id.get().to_string() == text || o.ogrn == text || o.inn == text) {
        return Ok(exact.id);
    }
    let words: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
    let found: Vec<_> = orgs
        .iter()
        .filter(|o| !words.is_empty() && words.iter().all(|w| o.name.to_lowercase().contains(w.as_str())))
        .collect();
    match found.as_slice() {
        [one] => Ok(one.id),
        [] => Err(CoreError::invalid(
            "no_such_org",
            &[("org", text.to_owned())],
            format!("no organisation «{text}»: give its id, ОГРН, ИНН or words of its name"),
        )),
        many => Err(CoreError::invalid(
            "ambiguous_org",
            &[("org", text.to_owned())],
            format!(
                "«{text}» names {} organisations ({}…): be more precise",
                many.len(),
                many.iter().take(3).map(|o| o.name.as_str()).collect::<Vec<_>>().join("; ")
            ),
        )),
    }
}

fn line(a: &AdminApplication) -> String {
    let who = a.org_name.as_deref().or(a.applicant_name.as_deref()).unwrap_or("—");
    let mut out = format!("#{:<5} {:<8} {} — {who}, {}", a.id, a.state, a.address, &a.at[..a.at.len().min(10)]);
    if !a.details.is_empty() {
        out.push_str(&format!("\n       {}", a.details));
    }
    if let (Some(by), Some(reason)) = (&a.decided_by, &a.reason) {
        out.push_str(&format!("\n       {by}: {reason}"));
    }
    out
}

/// Runs one `admin` command.
pub async fn run(client: &Client, command: AdminCommand, json: bool) -> Result<(), CoreError> {
    let g = client.governance();
    match command {
        AdminCommand::Apply { chat, details } => {
            let community = client.chats().resolve(chat).await?;
            let done = g.apply(community, details.as_deref()).await?;
            print(json, &done, |a| format!("Application #{} sent to the State Housing Inspection.", a.id))
        }
        AdminCommand::Requests { all } => {
            let found = g.applications(!all).await?;
            print(json, &found, |list| {
                if list.is_empty() {
                    return "No applications.".to_owned();
                }
                list.iter().map(line).collect::<Vec<_>>().join("\n")
            })
        }
        AdminCommand::Grant { request } => {
            let done = g.decide(ApplicationId(request), true, None).await?;
            print(json, &done, |a| format!("Granted: «{}» now has its admin rights.", a.title))
        }
        AdminCommand::Refuse { request, reason } => {
            let done = g.decide(ApplicationId(request), false, Some(&reason)).await?;
            print(json, &done, |a| format!("Refused application #{}.", a.id))
        }
    }
}

/// `transfer HOUSE --to ORG --from DATE [--grant]`.
pub async fn transfer(
    client: &Client,
    house: i64,
    to: &str,
    from: &str,
    grant: bool,
    json: bool,
) -> Result<(), CoreError> {
    let org = org(client, to).await?;
    let done = client.governance().transfer(HouseId(house), org, from, grant).await?;
    print(json, &done, |t| {
        format!(
            "House {} is managed by organisation {} from {}: {} of the old staff lost it, {} of the new gained it; admin rights {}.",
            t.house_id, t.to_org_id, t.from, t.staff_removed, t.staff_added, t.admin_status
        )
    })
}
