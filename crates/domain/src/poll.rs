//! Polls in a house chat: a chair or the Inspection asks a question with options and a
//! closing time; each premises has one vote, or a vote weighted by its area (chosen when the
//! poll opens). Results are visible to members while it runs and final at closing. A poll is
//! not a general meeting of owners (ОСС) and has no legal force.

use chrono::{DateTime, Duration, FixedOffset};
use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::id::*;
use crate::vocab::vocabulary;

/// The longest question, in characters.
pub const MAX_QUESTION_CHARS: usize = 300;
/// The longest option, in characters.
pub const MAX_OPTION_CHARS: usize = 100;
/// Options a poll has at least.
pub const MIN_OPTIONS: usize = 2;
/// Options a poll has at most.
pub const MAX_OPTIONS: usize = 10;
/// The latest closing: 90 days after opening.
pub const MAX_POLL_DAYS: i64 = 90;
/// The earliest closing: an hour after opening.
pub const MIN_POLL_MINUTES: i64 = 60;

vocabulary! {
    /// How votes count.
    pub enum PollBasis {
        /// One vote per premises.
        PerPremises = "per_premises",
        /// Each premises' vote weighs its total area.
        ByArea = "by_area",
    }
}

/// Why a poll or a vote is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PollError {
    /// The question is empty.
    #[error("the question is empty")]
    QuestionEmpty,
    /// The question is too long.
    #[error("the question has {0} characters; at most {MAX_QUESTION_CHARS}")]
    QuestionTooLong(usize),
    /// Too few or too many options.
    #[error("a poll has {MIN_OPTIONS} to {MAX_OPTIONS} options, not {0}")]
    OptionCount(usize),
    /// An option is empty, too long, or repeats another.
    #[error("option {0} is empty, too long or a repeat")]
    OptionInvalid(usize),
    /// The closing time is not RFC 3339, too soon or too far.
    #[error("a poll closes from an hour to 90 days after it opens")]
    ClosingInvalid,
    /// The poll has closed: its results are final.
    #[error("the poll closed at {0}")]
    Closed(String),
    /// No such option.
    #[error("the poll has no option {0}")]
    NoSuchOption(u32),
    /// Only holders of premises in the house vote.
    #[error("only owners and tenants of the house vote")]
    NoPremises,
    /// Only a chat's moderators and the Inspection open polls.
    #[error("only the chat's moderators and the Inspection open polls")]
    NotModerator,
    /// A co-owner voted for this premises already.
    #[error("the premises' vote was cast by another holder")]
    VotedByAnother,
    /// An idempotency key already stored another poll or vote.
    #[error("the idempotency key was used for another request")]
    KeyReused,
}

impl crate::Coded for PollError {
    fn code(&self) -> &'static str {
        match self {
            PollError::QuestionEmpty => "poll_question_empty",
            PollError::QuestionTooLong(_) => "poll_question_too_long",
            PollError::OptionCount(_) => "poll_option_count",
            PollError::OptionInvalid(_) => "poll_option_invalid",
            PollError::ClosingInvalid => "poll_closing_invalid",
            PollError::Closed(_) => "poll_closed",
            PollError::NoSuchOption(_) => "poll_no_such_option",
            PollError::NoPremises => "poll_no_premises",
            PollError::NotModerator => "not_moderator",
            PollError::VotedByAnother => "poll_voted_by_another",
            PollError::KeyReused => "idempotency_key_reused",
        }
    }

    fn params(&self) -> Vec<(&'static str, String)> {
        match self {
            PollError::QuestionTooLong(n) => vec![("chars", n.to_string()), ("max", MAX_QUESTION_CHARS.to_string())],
            PollError::OptionCount(n) => {
                vec![("count", n.to_string()), ("min", MIN_OPTIONS.to_string()), ("max", MAX_OPTIONS.to_string())]
            }
            PollError::OptionInvalid(i) => vec![("option", i.to_string()), ("max", MAX_OPTION_CHARS.to_string())],
            PollError::Closed(at) => vec![("closed_at", at.clone())],
            PollError::NoSuchOption(o) => vec![("option", o.to_string())],
            _ => vec![],
        }
    }
}

/// Whether a member votes in a house's polls: one who holds a premises there now, whatever
/// their role in the chat (a dispatcher who opened a small house's chat holds its chair role
/// but no flat). Staff and the Inspection open and read polls.
pub fn may_vote(premises_held: usize) -> Result<(), PollError> {
    if premises_held == 0 { Err(PollError::NoPremises) } else { Ok(()) }
}

/// A poll's question and options checked and trimmed, and its closing time parsed.
pub fn check_poll(
    question: &str,
    options: &[String],
    closes_at: &str,
    now: DateTime<FixedOffset>,
) -> Result<(String, Vec<String>, DateTime<FixedOffset>), PollError> {
    // Lengths count the text as sent, as the schema's `maxLength` does.
    let n = question.chars().count();
    if n > MAX_QUESTION_CHARS {
        return Err(PollError::QuestionTooLong(n));
    }
    let question = question.trim();
    if question.is_empty() {
        return Err(PollError::QuestionEmpty);
    }
    if !(MIN_OPTIONS..=MAX_OPTIONS).contains(&options.len()) {
        return Err(PollError::OptionCount(options.len()));
    }
    let mut clean: Vec<String> = Vec::with_capacity(options.len());
    for (i, o) in options.iter().enumerate() {
        let long = o.chars().count() > MAX_OPTION_CHARS;
        let o = o.trim();
        let repeat = clean.iter().any(|c| c.to_lowercase() == o.to_lowercase());
        if o.is_empty() || long || repeat {
            return Err(PollError::OptionInvalid(i + 1));
        }
        clean.push(o.to_owned());
    }
    let closes = DateTime::parse_from_rfc3339(closes_at).map_err(|_| PollError::ClosingInvalid)?;
    if closes < now + Duration::minutes(MIN_POLL_MINUTES) || closes > now + Duration::days(MAX_POLL_DAYS) {
        return Err(PollError::ClosingInvalid);
    }
    Ok((question.to_owned(), clean, closes))
}

/// Whether a vote may be cast now: the poll is open and the option exists.
pub fn check_vote(
    option: u32,
    options: usize,
    closes_at: DateTime<FixedOffset>,
    now: DateTime<FixedOffset>,
) -> Result<(), PollError> {
    if now >= closes_at {
        return Err(PollError::Closed(closes_at.to_rfc3339()));
    }
    if option as usize >= options {
        return Err(PollError::NoSuchOption(option));
    }
    Ok(())
}

// ---- Wire types ----

/// One option with its tally.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PollOption {
    /// Its text.
    pub text: String,
    /// Premises that chose it.
    pub votes: u32,
    /// Their total area in hundredths of a square metre (what counts in a poll by area).
    pub area: i64,
}

/// A poll with its tally so far (final once `closes_at` has passed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Poll {
    /// Id.
    pub id: PollId,
    /// The chat.
    pub community_id: CommunityId,
    /// The question.
    pub question: String,
    /// The options, in order (a vote names one by its index from 0).
    pub options: Vec<PollOption>,
    /// How votes count.
    pub basis: PollBasis,
    /// Who opened it.
    pub opened_by: String,
    /// When.
    pub created_at: String,
    /// When voting ends and the results become final.
    pub closes_at: String,
    /// Premises that voted.
    pub voted: u32,
    /// Premises of the house (the whole electorate).
    pub premises: u32,
    /// The house's total area of premises, in hundredths of a square metre.
    pub total_area: i64,
    /// The idempotency key the opener's client made.
    pub client_key: String,
    /// The reader's own choice (an option's index), in the copy of the poll sent to a
    /// person who voted, so that each of their devices shows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub my_option: Option<u32>,
}

/// A new poll. Unknown fields are refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OpenPoll {
    /// A UUID the client made: sending it again opens one poll.
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
    )]
    pub client_key: String,
    /// The question.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::message::text_300))]
    pub question: String,
    /// 2 to 10 options.
    #[cfg_attr(feature = "openapi", schema(schema_with = options_schema))]
    pub options: Vec<String>,
    /// How votes count.
    pub basis: PollBasis,
    /// When it closes (RFC 3339): an hour to 90 days ahead.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub closes_at: String,
}

/// A poll's options as [`check_poll`] takes them: 2 to 10 texts of up to 100 characters.
#[cfg(feature = "openapi")]
fn options_schema() -> utoipa::openapi::Array {
    utoipa::openapi::ArrayBuilder::new()
        .items(crate::message::text_schema(MAX_OPTION_CHARS))
        .min_items(Some(MIN_OPTIONS))
        .max_items(Some(MAX_OPTIONS))
        .description(Some("2 to 10 options, each 1 to 100 characters, no two alike."))
        .build()
}

/// A vote. Unknown fields are refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CastVote {
    /// A UUID the client made: sending it again counts once.
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
    )]
    pub client_key: String,
    /// The option's index, from 0.
    #[serde(deserialize_with = "crate::json::count")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 9))]
    pub option: u32,
}

/// A vote's outcome: the poll's tally and the voter's choice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Voted {
    /// The poll with its tally.
    pub poll: Poll,
    /// The option chosen.
    pub option: u32,
    /// Premises the vote was cast for.
    pub premises: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap_or_default()
    }

    fn opts(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn a_poll_needs_a_question_two_to_ten_distinct_options_and_a_sane_closing() {
        let now = t("2026-11-30T12:00:00+03:00");
        let ok = check_poll(" Красим подъезд? ", &opts(&["Да", "Нет"]), "2026-12-07T12:00:00+03:00", now);
        assert_eq!(ok.map(|(q, o, _)| (q, o)), Ok(("Красим подъезд?".to_owned(), opts(&["Да", "Нет"]))));
        assert_eq!(
            check_poll(" ", &opts(&["Да", "Нет"]), "2026-12-07T12:00:00+03:00", now),
            Err(PollError::QuestionEmpty)
        );
        assert_eq!(check_poll("?", &opts(&["Да"]), "2026-12-07T12:00:00+03:00", now), Err(PollError::OptionCount(1)));
        assert_eq!(
            check_poll("?", &opts(&["Да", "да "]), "2026-12-07T12:00:00+03:00", now),
            Err(PollError::OptionInvalid(2))
        );
        for bad in ["2026-11-30T12:30:00+03:00", "2027-06-01T12:00:00+03:00", "завтра"] {
            assert_eq!(check_poll("?", &opts(&["Да", "Нет"]), bad, now), Err(PollError::ClosingInvalid), "{bad}");
        }
    }

    #[test]
    fn votes_end_at_closing() {
        let closes = t("2026-12-07T12:00:00+03:00");
        assert_eq!(check_vote(1, 2, closes, t("2026-12-07T11:59:59+03:00")), Ok(()));
        assert!(matches!(check_vote(1, 2, closes, closes), Err(PollError::Closed(_))));
        assert_eq!(check_vote(2, 2, closes, t("2026-12-01T12:00:00+03:00")), Err(PollError::NoSuchOption(2)));
    }
}
