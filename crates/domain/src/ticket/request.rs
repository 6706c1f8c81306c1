//! What people ask of tickets (file one, move it, confirm it, give it to an executor,
//! comment on it), with the checks every request passes before anything is stored. The
//! server judges them; the client runs the same checks offline before queueing them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use super::{FEDERAL_RULES, RuleRow, TicketCategory, TicketPlace, TicketProblem, TicketStatus, find_rule};
use crate::id::*;

/// The longest ticket text, in characters.
pub const MAX_TICKET_CHARS: usize = 4000;
/// The longest comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 4000;
/// The most tickets one person files in a day (a guard against floods, not a rule of law).
pub const DAILY_TICKETS: i64 = 20;
/// The longest title made from a ticket's text, in characters.
pub const TITLE_CHARS: usize = 80;

/// A ticket as a resident files it (or a dispatcher makes it from a chat message).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FileTicket {
    /// A UUID the client made for this ticket: sending it again files it once.
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
    )]
    pub client_key: String,
    /// The house.
    #[serde(deserialize_with = "crate::json::integer")]
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub house_id: HouseId,
    /// What it is about.
    pub category: TicketCategory,
    /// What exactly, where the category alone does not set the deadline.
    #[serde(default)]
    pub problem: Option<TicketProblem>,
    /// An emergency (only for leaks, heating, electricity and sewage).
    #[serde(default)]
    pub emergency: bool,
    /// Where in the house.
    pub place: TicketPlace,
    /// The entrance, for a place in one (an entrance, a landing, a lift).
    #[serde(default, deserialize_with = "crate::json::optional_integer")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub entrance: Option<i64>,
    /// The floor, for a landing.
    #[serde(default, deserialize_with = "crate::json::optional_integer")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub floor: Option<i64>,
    /// What is wrong, in the resident's words.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::message::text_4000))]
    pub body: String,
    /// The chat message it is made from (a dispatcher's ticket is always made from one).
    #[serde(default, deserialize_with = "crate::json::optional_integer")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub message_id: Option<MessageId>,
    /// Photos uploaded by the filer (`/v1/uploads/{key}`), by their ids; at most 5.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 5, value_type = Vec<String>))]
    pub photos: Vec<String>,
}

/// A move of a ticket to another status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MoveTicket {
    /// A UUID the client made for this move: sending it again moves once.
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
    )]
    pub client_key: String,
    /// The status the mover saw: if the ticket has moved since, the move is refused.
    pub from: TicketStatus,
    /// The status asked for.
    pub to: TicketStatus,
    /// The reason, required to reject, pause, send back or reopen; shown to residents.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub note: String,
    /// The rating of the work, 1–5, required to reopen.
    #[serde(default, deserialize_with = "crate::json::optional_small")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
    pub rating: Option<u8>,
}

/// The author confirms the work done, with a rating if they like.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ConfirmTicket {
    /// A UUID the client made for this confirmation.
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
    )]
    pub client_key: String,
    /// The rating of the work, 1–5.
    #[serde(default, deserialize_with = "crate::json::optional_small")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
    pub rating: Option<u8>,
}

/// A dispatcher gives a ticket to an executor of their organisation, or takes it back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AssignTicket {
    /// The executor (none or absent: nobody).
    #[serde(default, deserialize_with = "crate::json::optional_integer")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub assignee_id: Option<PersonId>,
}

/// A comment on a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CommentTicket {
    /// A UUID the client made for this comment: sending it again stores it once.
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
    )]
    pub client_key: String,
    /// The text.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::message::text_4000))]
    pub body: String,
    /// For the staff only (staff may write these; residents may not).
    #[serde(default)]
    pub internal: bool,
}

/// A member of a managing organisation's staff, to whom tickets are given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Staff {
    /// The person.
    pub person_id: PersonId,
    /// Full name.
    pub name: String,
    /// The organisation.
    pub org_id: OrgId,
    /// What they do: `dispatcher`, or an executor's trade (`plumber`, `electrician`,
    /// `lift`, `roofer`, `cleaner`, `general`).
    pub trade: String,
}

/// Why a ticket was not filed; each says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TicketError {
    /// No text.
    #[error("describe the problem: the text is empty")]
    BodyEmpty,
    /// Text too long.
    #[error("the text is {0} characters long; at most {MAX_TICKET_CHARS}")]
    BodyTooLong(usize),
    /// The place needs an entrance (or a floor) the house has.
    #[error("{place} needs an entrance from 1 to {entrances}{}", if *.floors > 0 { format!(" and a floor from 1 to {}", .floors) } else { String::new() })]
    PlaceInvalid {
        /// The place.
        place: TicketPlace,
        /// The house's entrances.
        entrances: i64,
        /// The house's floors (0 when the place needs none).
        floors: i64,
    },
    /// Marked an emergency where the rules know none.
    #[error("a {0} ticket cannot be an emergency: emergencies are leaks, heating, electricity and sewage")]
    EmergencyNotApplicable(TicketCategory),
    /// Too many photos.
    #[error(transparent)]
    Photos(#[from] super::PhotoError),
    /// A photo named by something that is not a photo's id.
    #[error("«{0}» is not a photo's id: upload the photo first and give the id the upload answered")]
    PhotoId(String),
}

impl crate::Coded for TicketError {
    fn code(&self) -> &'static str {
        match self {
            TicketError::BodyEmpty => "ticket_body_empty",
            TicketError::BodyTooLong(_) => "ticket_body_too_long",
            TicketError::PlaceInvalid { .. } => "ticket_place_invalid",
            TicketError::EmergencyNotApplicable(_) => "ticket_emergency_not_applicable",
            TicketError::Photos(e) => crate::Coded::code(e),
            TicketError::PhotoId(_) => "photo_unknown",
        }
    }

    fn params(&self) -> Vec<(&'static str, String)> {
        match self {
            TicketError::BodyTooLong(n) => vec![("chars", n.to_string()), ("max", MAX_TICKET_CHARS.to_string())],
            TicketError::PlaceInvalid { place, entrances, floors } => {
                vec![("place", place.to_string()), ("entrances", entrances.to_string()), ("floors", floors.to_string())]
            }
            TicketError::EmergencyNotApplicable(c) => vec![("category", c.to_string())],
            TicketError::Photos(e) => crate::Coded::params(e),
            TicketError::PhotoId(id) => vec![("photo", id.chars().take(80).collect())],
            TicketError::BodyEmpty => vec![],
        }
    }
}

/// Why a comment was not taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommentError {
    /// No text.
    #[error("write the comment: it is empty")]
    Empty,
    /// Too long.
    #[error("the comment is {0} characters long; at most {MAX_COMMENT_CHARS}")]
    TooLong(usize),
}

impl crate::Coded for CommentError {
    fn code(&self) -> &'static str {
        match self {
            CommentError::Empty => "comment_empty",
            CommentError::TooLong(_) => "comment_too_long",
        }
    }

    fn params(&self) -> Vec<(&'static str, String)> {
        match self {
            CommentError::TooLong(n) => vec![("chars", n.to_string()), ("max", MAX_COMMENT_CHARS.to_string())],
            CommentError::Empty => vec![],
        }
    }
}

/// A filed ticket as the rules see it: its text, title and deadline rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedTicket {
    /// The text, trimmed.
    pub body: String,
    /// The title made from it.
    pub title: String,
    /// The rule its deadline follows.
    pub rule: RuleRow,
    /// An emergency: marked so, or a burst pipe however it was filed.
    pub emergency: bool,
}

/// What a house offers as places: its entrances and floors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HouseShape {
    /// Entrances, numbered from 1.
    pub entrances: i64,
    /// Floors above ground.
    pub floors: i64,
}

/// Checks a ticket against the rules and the house's shape.
pub fn check_ticket(req: &FileTicket, house: HouseShape) -> Result<CheckedTicket, TicketError> {
    super::check_photo_count(req.photos.len())?;
    if let Some(bad) = req.photos.iter().find(|p| !super::is_photo_id(p)) {
        return Err(TicketError::PhotoId(bad.clone()));
    }
    // Counted as sent, as the schema's `maxLength` is.
    let chars = req.body.chars().count();
    if chars > MAX_TICKET_CHARS {
        return Err(TicketError::BodyTooLong(chars));
    }
    let body = req.body.trim();
    if body.is_empty() {
        return Err(TicketError::BodyEmpty);
    }
    let in_entrance = req.entrance.is_some_and(|e| (1..=house.entrances).contains(&e));
    let on_floor = req.floor.is_some_and(|f| (1..=house.floors).contains(&f));
    let place_ok = match req.place {
        TicketPlace::Entrance | TicketPlace::Lift => in_entrance && req.floor.is_none(),
        TicketPlace::Floor => in_entrance && on_floor,
        _ => req.entrance.is_none() && req.floor.is_none(),
    };
    if !place_ok {
        let floors = if req.place == TicketPlace::Floor { house.floors } else { 0 };
        return Err(TicketError::PlaceInvalid { place: req.place, entrances: house.entrances, floors });
    }
    let rule = *find_rule(FEDERAL_RULES, req.category, req.problem, req.emergency)
        .ok_or(TicketError::EmergencyNotApplicable(req.category))?;
    let emergency = rule.emergency || req.problem == Some(TicketProblem::Burst);
    Ok(CheckedTicket { body: body.to_owned(), title: ticket_title(body), rule, emergency })
}

/// The regulated deadline of a ticket registered at `registered` in a house of the named
/// IANA time zone.
pub fn ticket_deadline(
    rule: &RuleRow,
    registered: DateTime<Utc>,
    timezone: &str,
) -> Result<DateTime<Utc>, crate::time::UnknownTimeZone> {
    Ok(rule.rule.deadline_in(registered, crate::time::zone(timezone)?))
}

/// Checks a comment's text (its length as sent); gives it trimmed.
pub fn check_comment(body: &str) -> Result<String, CommentError> {
    let chars = body.chars().count();
    if chars > MAX_COMMENT_CHARS {
        return Err(CommentError::TooLong(chars));
    }
    let body = body.trim();
    if body.is_empty() {
        return Err(CommentError::Empty);
    }
    Ok(body.to_owned())
}

/// A title from a ticket's text: its first line, cut at a word to at most [`TITLE_CHARS`].
pub fn ticket_title(body: &str) -> String {
    let line = body.trim().lines().next().unwrap_or_default().trim();
    if line.chars().count() <= TITLE_CHARS {
        return line.to_owned();
    }
    let cut: String = line.chars().take(TITLE_CHARS - 1).collect();
    let at_word = cut.rfind(char::is_whitespace).filter(|&i| i > TITLE_CHARS / 2).map_or(cut.as_str(), |i| &cut[..i]);
    format!("{}…", at_word.trim_end_matches([' ', ',', ';', ':', '-', '—']))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape() -> HouseShape {
        HouseShape { entrances: 4, floors: 9 }
    }

    fn ticket(place: TicketPlace, entrance: Option<i64>, floor: Option<i64>) -> FileTicket {
        FileTicket {
            client_key: "k".into(),
            house_id: HouseId(1),
            category: TicketCategory::GarbageChute,
            problem: None,
            emergency: false,
            place,
            entrance,
            floor,
            body: "  Засор мусоропровода  ".into(),
            message_id: None,
            photos: Vec::new(),
        }
    }

    #[test]
    fn places_need_exactly_the_numbers_they_name() {
        use TicketPlace::*;
        let ok = |p, e, f| check_ticket(&ticket(p, e, f), shape()).is_ok();
        assert!(ok(Entrance, Some(4), None));
        assert!(ok(Lift, Some(1), None));
        assert!(ok(Floor, Some(2), Some(9)));
        assert!(ok(Yard, None, None));
        assert!(ok(Flat, None, None));
        assert!(!ok(Entrance, Some(5), None), "the house has 4 entrances");
        assert!(!ok(Entrance, None, None));
        assert!(!ok(Entrance, Some(0), None));
        assert!(!ok(Floor, Some(2), None));
        assert!(!ok(Floor, Some(2), Some(10)));
        assert!(!ok(Floor, Some(2), Some(0)));
        assert!(!ok(Yard, Some(1), None), "a yard has no entrance");
        assert!(!ok(Roof, None, Some(3)));
        let refused = check_ticket(&ticket(Floor, Some(9), Some(1)), shape());
        assert_eq!(refused, Err(TicketError::PlaceInvalid { place: Floor, entrances: 4, floors: 9 }));
    }

    #[test]
    fn text_is_trimmed_and_limited_and_titled() {
        let checked = check_ticket(&ticket(TicketPlace::Yard, None, None), shape());
        assert_eq!(checked.as_ref().map(|c| c.body.as_str()), Ok("Засор мусоропровода"));
        assert_eq!(checked.map(|c| c.rule.rule.window), Ok(Some((480, 1380))));
        let mut empty = ticket(TicketPlace::Yard, None, None);
        empty.body = " \n ".into();
        assert_eq!(check_ticket(&empty, shape()), Err(TicketError::BodyEmpty));
        let mut long = ticket(TicketPlace::Yard, None, None);
        long.body = "ж".repeat(MAX_TICKET_CHARS + 1);
        assert_eq!(check_ticket(&long, shape()), Err(TicketError::BodyTooLong(MAX_TICKET_CHARS + 1)));
        long.body = "ж".repeat(MAX_TICKET_CHARS);
        assert!(check_ticket(&long, shape()).is_ok());
    }

    #[test]
    fn emergencies_only_where_the_table_has_them() {
        let mut chute = ticket(TicketPlace::Yard, None, None);
        chute.emergency = true;
        assert_eq!(
            check_ticket(&chute, shape()),
            Err(TicketError::EmergencyNotApplicable(TicketCategory::GarbageChute))
        );
        chute.category = TicketCategory::Leak;
        assert_eq!(check_ticket(&chute, shape()).map(|c| c.rule.rule.minutes), Ok(30));
        // A burst pipe is an emergency even when not marked so.
        chute.emergency = false;
        chute.problem = Some(TicketProblem::Burst);
        assert_eq!(check_ticket(&chute, shape()).map(|c| (c.rule.rule.minutes, c.emergency)), Ok((30, true)));
    }

    #[test]
    fn titles_are_the_first_line_cut_at_a_word() {
        assert_eq!(ticket_title("Не работает лифт\nво втором подъезде"), "Не работает лифт");
        let long =
            "Во втором подъезде на пятом этаже уже неделю не горит свет, а на шестом мигает лампа и пахнет гарью";
        let title = ticket_title(long);
        assert!(title.chars().count() <= TITLE_CHARS, "{title}");
        assert!(title.ends_with('…') && long.starts_with(title.trim_end_matches('…')), "{title}");
        assert!(!title.trim_end_matches('…').ends_with(' '));
    }

    #[test]
    fn comments_are_trimmed_and_limited() {
        assert_eq!(check_comment("  Мастер придёт завтра "), Ok("Мастер придёт завтра".into()));
        assert_eq!(check_comment("\n"), Err(CommentError::Empty));
        assert_eq!(check_comment(&"a".repeat(4001)), Err(CommentError::TooLong(4001)));
    }
}
