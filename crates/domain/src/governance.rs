//! Governance by the State Housing Inspection: applications for a community's admin rights
//! and their decisions, and the change of a house's managing organisation (a transfer).
//!
//! The managing organisation's staff, or the chair of a house a ТСЖ or ЖСК manages, apply for
//! a community; the Inspection grants or refuses each with a reason. A grant gives the
//! organisation admin rights (its chairs then moderate). A transfer closes the management
//! period and opens another: the old organisation's staff lose the house at once, the new
//! one's gain it, history stays with the house, and rights go back to pending unless the
//! Inspection grants them to the new organisation with the transfer.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::Role;
use crate::id::*;
use crate::vocab::vocabulary;

/// The longest application details, in characters.
pub const MAX_DETAILS_CHARS: usize = 1000;

vocabulary! {
    /// Where an application for admin rights stands.
    pub enum ApplicationState {
        /// Waiting in the Inspection's queue.
        Open = "open",
        /// Granted: the organisation holds the community's admin rights.
        Granted = "granted",
        /// Refused, with a reason.
        Refused = "refused",
    }
}

/// Why a governance action is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GovRefusal {
    /// Only the State Housing Inspection decides and transfers.
    #[error("only the State Housing Inspection may do this")]
    InspectionOnly,
    /// Only the managing organisation's staff, or a chair of a ТСЖ/ЖСК house, apply.
    #[error("only the managing organisation's staff or the chair of a ТСЖ/ЖСК house apply for admin rights")]
    NotApplicant,
    /// The community's rights are granted already.
    #[error("the community's admin rights are granted already")]
    AlreadyGranted,
    /// An application for the community is open already.
    #[error("an application for this community is waiting already")]
    AlreadyOpen,
    /// The application was decided already.
    #[error("the application has been decided already")]
    Decided,
    /// A refusal needs a reason.
    #[error("a refusal says why")]
    ReasonRequired,
    /// Details or a reason longer than allowed.
    #[error("the text has {0} characters; at most {MAX_DETAILS_CHARS} are allowed")]
    TooLong(usize),
    /// A community without a house (a channel) has no admin rights to apply for.
    #[error("only a house chat has admin rights to apply for")]
    NotAHouseChat,
    /// The house is managed by that organisation already.
    #[error("the house is managed by that organisation already")]
    SameOrganisation,
    /// A date that is not `YYYY-MM-DD`.
    #[error("«{0}» is not a date (YYYY-MM-DD)")]
    BadDate(String),
    /// A transfer dated before the current management began, or after today.
    #[error("the transfer's date must be from {earliest} to {latest}")]
    DateOutOfRange {
        /// The current period's start.
        earliest: String,
        /// Today.
        latest: String,
    },
}

impl crate::Coded for GovRefusal {
    fn code(&self) -> &'static str {
        match self {
            GovRefusal::InspectionOnly => "inspection_only",
            GovRefusal::NotApplicant => "not_applicant",
            GovRefusal::AlreadyGranted => "rights_granted_already",
            GovRefusal::AlreadyOpen => "application_open_already",
            GovRefusal::Decided => "application_decided",
            GovRefusal::ReasonRequired => "reason_required",
            GovRefusal::TooLong(_) => "text_too_long",
            GovRefusal::NotAHouseChat => "not_a_house_chat",
            GovRefusal::SameOrganisation => "same_organisation",
            GovRefusal::BadDate(_) => "bad_date",
            GovRefusal::DateOutOfRange { .. } => "transfer_date_out_of_range",
        }
    }

    fn params(&self) -> Vec<(&'static str, String)> {
        match self {
            GovRefusal::TooLong(n) => vec![("chars", n.to_string()), ("max", MAX_DETAILS_CHARS.to_string())],
            GovRefusal::BadDate(d) => vec![("date", d.chars().take(40).collect())],
            GovRefusal::DateOutOfRange { earliest, latest } => {
                vec![("earliest", earliest.clone()), ("latest", latest.clone())]
            }
            _ => vec![],
        }
    }
}

/// Whether a member may apply for a house chat's admin rights, by their role and how the
/// house is managed: the managing organisation's dispatcher (the server checks besides that
/// their organisation manages the house now), or the chair of a ТСЖ, ЖСК or directly managed
/// house, which has no management company to apply for it.
pub fn may_apply(role: Role, management: crate::house::ManagementType) -> bool {
    match role {
        Role::Dispatcher => true,
        Role::Chair => management != crate::house::ManagementType::Uk,
        Role::Resident | Role::Inspector => false,
    }
}

/// Text trimmed, bounded as sent (the schema's `maxLength`); empty is `None`, or refused when
/// `required`.
pub fn check_text(text: Option<&str>, required: bool) -> Result<Option<String>, GovRefusal> {
    let n = text.map_or(0, |t| t.chars().count());
    if n > MAX_DETAILS_CHARS {
        return Err(GovRefusal::TooLong(n));
    }
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None if required => Err(GovRefusal::ReasonRequired),
        None => Ok(None),
        Some(t) => Ok(Some(t.to_owned())),
    }
}

/// A transfer's date checked: a real day, not before the current management began and not
/// after today (the Inspection records a change that has taken effect).
pub fn check_transfer_date(text: &str, current_from: NaiveDate, today: NaiveDate) -> Result<NaiveDate, GovRefusal> {
    let date = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| GovRefusal::BadDate(text.to_owned()))?;
    if date < current_from || date > today {
        return Err(GovRefusal::DateOutOfRange { earliest: current_from.to_string(), latest: today.to_string() });
    }
    Ok(date)
}

// ---- Wire types ----

/// An application for a community's admin rights, as the Inspection's queue shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AdminApplication {
    /// Id.
    pub id: ApplicationId,
    /// The community.
    pub community_id: CommunityId,
    /// Its title.
    pub title: String,
    /// Its house.
    pub house_id: HouseId,
    /// The house's address.
    pub address: String,
    /// The organisation that would hold the rights (none for a house under direct management).
    pub org_id: Option<OrgId>,
    /// Its name.
    pub org_name: Option<String>,
    /// Its ОГРН.
    pub ogrn: Option<String>,
    /// Its ИНН.
    pub inn: Option<String>,
    /// Who applied.
    pub applicant_id: Option<PersonId>,
    /// Their name.
    pub applicant_name: Option<String>,
    /// The applicant's details: the moderators, contacts.
    pub details: String,
    /// When.
    pub at: String,
    /// Where it stands.
    pub state: ApplicationState,
    /// Who decided it.
    pub decided_by: Option<String>,
    /// When.
    pub decided_at: Option<String>,
    /// Why (a refusal always says).
    pub reason: Option<String>,
}

/// An application for a community's admin rights.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ApplyForRights {
    /// The house chat.
    #[serde(deserialize_with = "crate::json::integer")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub community_id: CommunityId,
    /// The moderators and contacts, in words.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 1000))]
    pub details: Option<String>,
}

/// The Inspection's decision on an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DecideApplication {
    /// Grant (true) or refuse (false).
    pub grant: bool,
    /// Why: required for a refusal.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 1000))]
    pub reason: Option<String>,
}

/// A change of a house's managing organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TransferHouse {
    /// The new managing organisation.
    #[serde(deserialize_with = "crate::json::integer")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub org_id: OrgId,
    /// From this day (`YYYY-MM-DD`), not after today.
    #[cfg_attr(feature = "openapi", schema(pattern = r"^\d{4}-\d{2}-\d{2}$"))]
    pub from: String,
    /// Grant the new organisation the chat's admin rights at once (else they go back to pending).
    #[serde(default)]
    pub grant_rights: bool,
}

/// What a transfer did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Transferred {
    /// The house.
    pub house_id: HouseId,
    /// The organisation that managed it.
    pub from_org_id: Option<OrgId>,
    /// The organisation that manages it now.
    pub to_org_id: OrgId,
    /// Since.
    pub from: String,
    /// The chat's admin rights now.
    pub admin_status: crate::chat::AdminStatus,
    /// Staff of the old organisation who lost the house.
    pub staff_removed: u32,
    /// Staff of the new organisation who gained it.
    pub staff_added: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_organisation_or_a_small_houses_chair_applies() {
        use crate::house::ManagementType;
        assert!(may_apply(Role::Dispatcher, ManagementType::Uk));
        assert!(may_apply(Role::Chair, ManagementType::Tszh));
        assert!(may_apply(Role::Chair, ManagementType::Direct));
        assert!(!may_apply(Role::Chair, ManagementType::Uk), "a company's house: the company applies");
        assert!(!may_apply(Role::Resident, ManagementType::Tszh));
        assert!(!may_apply(Role::Inspector, ManagementType::Tszh));
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn a_transfer_is_dated_within_the_current_period_and_not_ahead() {
        let (from, today) = (day("2018-09-01"), day("2026-11-30"));
        assert_eq!(check_transfer_date("2026-11-01", from, today), Ok(day("2026-11-01")));
        assert_eq!(check_transfer_date("2026-11-30", from, today), Ok(today));
        assert!(matches!(check_transfer_date("2026-12-01", from, today), Err(GovRefusal::DateOutOfRange { .. })));
        assert!(matches!(check_transfer_date("2018-08-31", from, today), Err(GovRefusal::DateOutOfRange { .. })));
        assert_eq!(check_transfer_date("1 декабря", from, today), Err(GovRefusal::BadDate("1 декабря".into())));
    }

    #[test]
    fn a_refusal_says_why() {
        assert_eq!(check_text(Some("  "), true), Err(GovRefusal::ReasonRequired));
        assert_eq!(check_text(None, false), Ok(None));
        assert_eq!(check_text(Some(" нет ОГРН "), true), Ok(Some("нет ОГРН".into())));
        let long = "я".repeat(MAX_DETAILS_CHARS + 1);
        assert_eq!(check_text(Some(&long), false), Err(GovRefusal::TooLong(MAX_DETAILS_CHARS + 1)));
    }
}
