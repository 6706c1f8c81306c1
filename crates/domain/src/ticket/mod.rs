//! Tickets (заявки): categories, statuses and deadlines.
//!
//! Deadlines are data (a table the backend keeps per region); this module computes a
//! deadline from a rule, including the rules counted only inside daily hours.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::id::*;
use crate::vocab::vocabulary;

mod photo;
mod request;
pub use photo::*;
pub use request::*;

vocabulary! {
    /// What a ticket is about.
    pub enum TicketCategory {
        /// A pipe leak or burst.
        Leak = "leak",
        /// A lift out of order.
        Lift = "lift",
        /// A blocked garbage chute.
        GarbageChute = "garbage_chute",
        /// Cleaning of entrances and yard.
        Cleaning = "cleaning",
        /// Heating.
        Heating = "heating",
        /// Electricity.
        Electricity = "electricity",
        /// Sewage.
        Sewage = "sewage",
        /// Roof leak.
        Roof = "roof",
        /// Entrance door or window glass.
        DoorGlass = "door_glass",
        /// Anything else.
        Other = "other",
    }
}

vocabulary! {
    /// Where a ticket stands.
    pub enum TicketStatus {
        /// Registered, not yet seen.
        New = "new",
        /// Accepted by the dispatcher.
        Accepted = "accepted",
        /// Being worked on.
        InWork = "in_work",
        /// Done.
        Done = "done",
        /// Rejected, with a reason.
        Rejected = "rejected",
        /// Withdrawn by its author.
        Withdrawn = "withdrawn",
    }
}

impl TicketStatus {
    /// Whether the ticket is closed.
    pub fn is_closed(self) -> bool {
        matches!(self, TicketStatus::Done | TicketStatus::Rejected | TicketStatus::Withdrawn)
    }

    /// Whether a ticket may go from `self` to `next`.
    pub fn can_become(self, next: TicketStatus) -> bool {
        use TicketStatus::*;
        matches!(
            (self, next),
            (New, Accepted | Rejected | Withdrawn | InWork)
                | (Accepted, InWork | Rejected | Withdrawn | Done)
                | (InWork, Done | Withdrawn)
        )
    }
}

vocabulary! {
    /// Where in the house the problem is.
    pub enum TicketPlace {
        /// In the author's flat (seen only by its holders and the staff).
        Flat = "flat",
        /// An entrance (its number given).
        Entrance = "entrance",
        /// A floor's landing (its number given).
        Floor = "floor",
        /// A lift.
        Lift = "lift",
        /// The yard.
        Yard = "yard",
        /// The roof.
        Roof = "roof",
        /// The basement.
        Basement = "basement",
        /// Elsewhere.
        Other = "other",
    }
}

vocabulary! {
    /// What exactly is wrong, where the category alone does not say which deadline applies.
    pub enum TicketProblem {
        /// A pipe burst (an emergency by its nature).
        Burst = "burst",
        /// A leaking tap or cistern.
        Tap = "tap",
        /// Water coming from the flat above.
        FromAbove = "from_above",
        /// The entrance door.
        Door = "door",
        /// Broken window glass.
        Glass = "glass",
    }
}

/// One row of the deadline table: the rule for a category, a problem within it (none: any
/// other), and whether the ticket is an emergency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleRow {
    /// The category.
    pub category: TicketCategory,
    /// The problem, or none for the category's other problems.
    pub problem: Option<TicketProblem>,
    /// For emergency tickets.
    pub emergency: bool,
    /// The rule.
    pub rule: DeadlineRule,
    /// Where the figure comes from.
    pub basis: &'static str,
}

const fn row(
    category: TicketCategory,
    problem: Option<TicketProblem>,
    emergency: bool,
    minutes: i64,
    summer_minutes: Option<i64>,
    window: Option<(u32, u32)>,
    basis: &'static str,
) -> RuleRow {
    RuleRow { category, problem, emergency, rule: DeadlineRule { minutes, summer_minutes, window }, basis }
}

/// The federal defaults (DOMAIN.md's table; regions may override them), as data.
pub const FEDERAL_RULES: &[RuleRow] = {
    use TicketCategory::*;
    use TicketProblem::*;
    const EMERGENCY: &str = "аварийная ситуация, локализация: Постановление № 416, п. 13";
    &[
        row(Leak, None, true, 30, None, None, EMERGENCY),
        row(Heating, None, true, 30, None, None, EMERGENCY),
        row(Electricity, None, true, 30, None, None, EMERGENCY),
        row(Sewage, None, true, 30, None, None, EMERGENCY),
        // A burst pipe is an emergency however it was filed: stopped at once.
        row(Leak, Some(Burst), true, 30, None, None, "прорыв трубопровода: немедленно"),
        row(Leak, Some(Burst), false, 30, None, None, "прорыв трубопровода: немедленно"),
        row(Leak, Some(Tap), false, 1440, None, None, "течь крана или бачка: 1 сутки"),
        row(Leak, None, false, 1440, None, None, "протечка: 1 сутки"),
        row(Sewage, None, false, 120, None, None, "засор канализации: 2 часа"),
        row(GarbageChute, None, false, 120, None, Some((480, 1380)), "засор мусоропровода: 2 часа с 08:00 до 23:00"),
        row(Lift, None, false, 1440, None, None, "неисправность лифта: 1 сутки"),
        row(Roof, None, false, 1440, None, None, "протечка кровли: 1 сутки"),
        row(DoorGlass, Some(Glass), false, 1440, Some(4320), None, "разбитое стекло: 1 сутки зимой, 3 летом"),
        row(DoorGlass, Some(Door), false, 1440, None, None, "входная дверь: 1 сутки"),
        row(DoorGlass, None, false, 1440, None, None, "двери и окна: 1 сутки"),
        row(Heating, None, false, 1440, None, None, "отопление: 1 сутки"),
        row(Electricity, None, false, 1440, None, None, "электроснабжение: 1 сутки"),
        row(Cleaning, None, false, 4320, None, None, "уборка: 3 суток"),
        row(Other, None, false, 7200, None, None, "прочее: 5 суток"),
    ]
};

/// The rule for a ticket: the row of its category and problem, else of its category alone;
/// none when the table has no such row (an emergency where none can be, say).
pub fn find_rule(
    rows: &[RuleRow],
    category: TicketCategory,
    problem: Option<TicketProblem>,
    emergency: bool,
) -> Option<&RuleRow> {
    let of = |p: Option<TicketProblem>| {
        rows.iter().find(|r| r.category == category && r.problem == p && r.emergency == emergency)
    };
    problem.and_then(|p| of(Some(p))).or_else(|| of(None))
}

/// Who asks to move a ticket, as the rules of moving see them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mover {
    /// The resident who filed it.
    Author,
    /// A resident who co-signed it ("me too").
    Cosigner,
    /// A dispatcher of the organisation managing the house now.
    Dispatcher,
    /// The State Housing Inspection: reads, never moves.
    Inspector,
    /// Anyone else.
    Other,
}

/// Days after a ticket was done in which its author or a co-signer may reopen it.
pub const REOPEN_DAYS: i64 = 30;

/// A requested move of a ticket, with what the rules need to judge it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketMove {
    /// The status the mover saw (the move is refused if it is no longer the ticket's).
    pub from: TicketStatus,
    /// The status asked for.
    pub to: TicketStatus,
    /// The reason, where one is required (a rejection, a pause, a reopening).
    pub note: String,
    /// A rating 1–5 (required to reopen).
    pub rating: Option<u8>,
}

/// Why a move was refused; each says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoveRefusal {
    /// No one may make this move.
    #[error("a ticket cannot go from {from} to {to}")]
    Invalid {
        /// From.
        from: TicketStatus,
        /// To.
        to: TicketStatus,
    },
    /// Someone may, but not this mover.
    #[error("you may not move this ticket from {from} to {to}")]
    Forbidden {
        /// From.
        from: TicketStatus,
        /// To.
        to: TicketStatus,
    },
    /// The move needs a reason.
    #[error("say why: this move needs a reason")]
    ReasonRequired,
    /// The rating is missing or not 1–5.
    #[error("rate the work from 1 to 5")]
    RatingInvalid,
    /// Done too long ago to reopen.
    #[error("a ticket can be reopened within {REOPEN_DAYS} days of being done; file a new one")]
    ReopenWindowPassed,
    /// The note is longer than [`MAX_NOTE_CHARS`] as sent.
    #[error("the note has {0} characters; at most {MAX_NOTE_CHARS}")]
    NoteTooLong(usize),
}

impl crate::Coded for MoveRefusal {
    fn code(&self) -> &'static str {
        match self {
            MoveRefusal::Invalid { .. } => "ticket_transition_invalid",
            MoveRefusal::Forbidden { .. } => "ticket_move_forbidden",
            MoveRefusal::ReasonRequired => "ticket_reason_required",
            MoveRefusal::RatingInvalid => "ticket_rating_invalid",
            MoveRefusal::ReopenWindowPassed => "ticket_reopen_window_passed",
            MoveRefusal::NoteTooLong(_) => "ticket_note_too_long",
        }
    }

    fn params(&self) -> Vec<(&'static str, String)> {
        match self {
            MoveRefusal::Invalid { from, to } | MoveRefusal::Forbidden { from, to } => {
                vec![("from", from.to_string()), ("to", to.to_string())]
            }
            MoveRefusal::ReopenWindowPassed => vec![("days", REOPEN_DAYS.to_string())],
            MoveRefusal::NoteTooLong(n) => vec![("chars", n.to_string()), ("max", MAX_NOTE_CHARS.to_string())],
            _ => vec![],
        }
    }
}

/// Who may make each move, and whether it needs a reason: the one table of moves.
const MOVES: &[(TicketStatus, TicketStatus, Mover, bool)] = {
    use Mover::*;
    use TicketStatus::*;
    &[
        (New, Accepted, Dispatcher, false),
        (New, InWork, Dispatcher, false),
        (New, Rejected, Dispatcher, true),
        (Accepted, InWork, Dispatcher, false),
        (Accepted, Done, Dispatcher, false),
        (Accepted, Rejected, Dispatcher, true),
        (InWork, Done, Dispatcher, false),
        // Paused: back to accepted, saying why.
        (InWork, Accepted, Dispatcher, true),
        // Quality control sends done work back.
        (Done, InWork, Dispatcher, true),
        (New, Withdrawn, Author, false),
        (Accepted, Withdrawn, Author, false),
        (InWork, Withdrawn, Author, false),
        // Reopening: with a reason and a rating, within REOPEN_DAYS.
        (Done, New, Author, true),
        (Done, New, Cosigner, true),
    ]
};

/// The moves a mover may ask for from a status, each with whether it needs a reason and
/// whether it needs a rating (a reopening), for a client to offer only those.
pub fn moves_for(mover: Mover, from: TicketStatus) -> Vec<(TicketStatus, bool, bool)> {
    MOVES
        .iter()
        .filter(|r| r.0 == from && r.2 == mover)
        .map(|r| (r.1, r.3, r.0 == TicketStatus::Done && r.1 == TicketStatus::New))
        .collect()
}

/// The longest note of a move, counted as sent (the API's `maxLength`); the chat is told it.
pub const MAX_NOTE_CHARS: usize = 4000;

/// Judges a move of a ticket whose status is `m.from`, done at `done_at` if it is done. The
/// note is judged as sent; the caller keeps it trimmed.
pub fn may_move(
    mover: Mover,
    m: &TicketMove,
    done_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), MoveRefusal> {
    let (from, to) = (m.from, m.to);
    let rows: Vec<_> = MOVES.iter().filter(|r| r.0 == from && r.1 == to).collect();
    if rows.is_empty() {
        return Err(MoveRefusal::Invalid { from, to });
    }
    let Some(&&(_, _, _, needs_reason)) = rows.iter().find(|r| r.2 == mover) else {
        return Err(MoveRefusal::Forbidden { from, to });
    };
    let chars = m.note.chars().count();
    if chars > MAX_NOTE_CHARS {
        return Err(MoveRefusal::NoteTooLong(chars));
    }
    if needs_reason && m.note.trim().is_empty() {
        return Err(MoveRefusal::ReasonRequired);
    }
    let reopening = from == TicketStatus::Done && to == TicketStatus::New;
    if reopening {
        if !m.rating.is_some_and(|r| (1..=5).contains(&r)) {
            return Err(MoveRefusal::RatingInvalid);
        }
        if done_at.is_some_and(|d| now - d > Duration::days(REOPEN_DAYS)) {
            return Err(MoveRefusal::ReopenWindowPassed);
        }
    } else if m.rating.is_some_and(|r| !(1..=5).contains(&r)) {
        return Err(MoveRefusal::RatingInvalid);
    }
    Ok(())
}

/// Months (local, of the registration) in which a rule's summer minutes apply.
pub const SUMMER_MONTHS: std::ops::RangeInclusive<u32> = 4..=9;

/// A deadline rule as the backend keeps it in its table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeadlineRule {
    /// Minutes allowed (counted only inside `window`, when set).
    pub minutes: i64,
    /// Minutes allowed in summer ([`SUMMER_MONTHS`]), when it differs.
    pub summer_minutes: Option<i64>,
    /// The minutes of the house's day that count, `[from, to)` with `0 ≤ from < to ≤ 1440`
    /// (1440 is the next midnight), e.g. 480..1380 (08:00–23:00) for a garbage chute.
    pub window: Option<(u32, u32)>,
}

/// A rule whose window is not a part of one day.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a deadline window must be minutes of one day, from < to ≤ 1440; {from}..{to} is not")]
pub struct BadWindow {
    /// Start, minutes of the day.
    pub from: u32,
    /// End.
    pub to: u32,
}

impl DeadlineRule {
    /// The rule, once its window is known to lie within one day.
    pub fn checked(self) -> Result<DeadlineRule, BadWindow> {
        match self.window {
            Some((from, to)) if from >= to || to > 1440 => Err(BadWindow { from, to }),
            _ => Ok(self),
        }
    }

    /// The moment by which a ticket registered at `registered`, in a house of time zone
    /// `tz`, must be resolved. Durations are real time (a day is 24 hours); a window counts
    /// only its hours of each local day, so a deadline may fall exactly at its close; summer
    /// is the local month of the registration. Around a clock change, a local time that
    /// occurs twice is taken the first time and one that does not occur at its next minute.
    pub fn deadline_in(&self, registered: DateTime<Utc>, tz: Tz) -> DateTime<Utc> {
        let local = registered.with_timezone(&tz);
        let minutes = match self.summer_minutes {
            Some(m) if SUMMER_MONTHS.contains(&local.month()) => m,
            _ => self.minutes,
        };
        let mut remaining = Duration::minutes(minutes.max(0));
        let Some((from, to)) = self.window.filter(|&(f, t)| f < t && t <= 1440 && (f, t) != (0, 1440)) else {
            return registered + remaining;
        };
        let mut day = local.date_naive();
        // Each day gives (to − from) minutes at least (a day may be an hour shorter at a
        // clock change); a few more turns cover that.
        let days = minutes.max(0) / i64::from(to - from) + 3;
        for _ in 0..days {
            let (open, close) = (local_instant(tz, day, from), local_instant(tz, day, to));
            let start = open.max(registered);
            if start < close {
                let available = close - start;
                if remaining <= available {
                    return start + remaining;
                }
                remaining -= available;
            }
            day = day.succ_opt().unwrap_or(day);
        }
        registered + remaining
    }

    /// The deadline of a ticket registered at a local time, counted as if the clock never
    /// changed (the seed's Kazan has no clock changes).
    pub fn deadline(&self, registered: NaiveDateTime) -> NaiveDateTime {
        self.deadline_in(registered.and_utc(), Tz::UTC).naive_utc()
    }
}

/// The instant of `minute` minutes after local midnight of `day` (1440: the next midnight):
/// the first of two at a clock change back, the next existing minute in a gap.
fn local_instant(tz: Tz, day: NaiveDate, minute: u32) -> DateTime<Utc> {
    let naive = day.and_time(NaiveTime::MIN) + Duration::minutes(i64::from(minute));
    for skip in 0..=180 {
        if let Some(t) = tz.from_local_datetime(&(naive + Duration::minutes(skip))).earliest() {
            return t.with_timezone(&Utc);
        }
    }
    naive.and_utc()
}

/// Whether a ticket is overdue at `now`.
pub fn is_overdue(status: TicketStatus, deadline: NaiveDateTime, now: NaiveDateTime) -> bool {
    !status.is_closed() && now > deadline
}

// ---- Wire types ----

vocabulary! {
    /// What one entry of a ticket's history records.
    pub enum TicketEventKind {
        /// The status changed (a reopening is a move from done to new).
        Status = "status",
        /// The ticket was given to an executor, or taken back.
        Assign = "assign",
        /// The author confirmed the work done.
        Confirm = "confirm",
        /// The author withdrew from a ticket neighbours had joined: it passed, open, to the
        /// one who joined first.
        Handover = "handover",
    }
}

vocabulary! {
    /// How a ticket came in.
    pub enum TicketSource {
        /// A resident filed it.
        Resident = "resident",
        /// It was made from a chat message.
        Chat = "chat",
    }
}

/// One entry of a ticket's history: who changed what, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TicketEvent {
    /// What changed.
    #[serde(default = "status_event")]
    pub kind: TicketEventKind,
    /// The status after it.
    pub status: TicketStatus,
    /// Who changed it.
    pub actor_id: PersonId,
    /// Their name.
    pub actor_name: String,
    /// When.
    pub at: String,
    /// The reason or comment given.
    pub note: String,
    /// The rating given with a confirmation or a reopening, 1–5.
    #[serde(default)]
    pub rating: Option<u8>,
    /// For an assignment: the executor's name (none: taken back); for a handover: the
    /// co-signer the ticket passed to.
    #[serde(default)]
    pub assignee_name: Option<String>,
}

fn status_event() -> TicketEventKind {
    TicketEventKind::Status
}

fn other_place() -> TicketPlace {
    TicketPlace::Other
}

fn from_resident() -> TicketSource {
    TicketSource::Resident
}

/// A ticket (заявка).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Ticket {
    /// Id.
    pub id: TicketId,
    /// House.
    pub house_id: HouseId,
    /// The author's flat, if the ticket is about it.
    pub premises_number: Option<String>,
    /// Author.
    pub author_id: PersonId,
    /// Author's name.
    pub author_name: String,
    /// What the ticket is about.
    pub category: TicketCategory,
    /// What exactly, where the category alone does not set the deadline.
    #[serde(default)]
    pub problem: Option<TicketProblem>,
    /// Whether it is an emergency.
    pub emergency: bool,
    /// Where in the house.
    #[serde(default = "other_place")]
    pub place: TicketPlace,
    /// The entrance, for a place in one.
    #[serde(default)]
    pub entrance: Option<u32>,
    /// The floor, for a landing.
    #[serde(default)]
    pub floor: Option<i32>,
    /// How it came in.
    #[serde(default = "from_resident")]
    pub source: TicketSource,
    /// The chat message it was made from.
    #[serde(default)]
    pub message_id: Option<MessageId>,
    /// Title: the text's first line, shortened.
    pub title: String,
    /// Description.
    pub body: String,
    /// Where it stands.
    pub status: TicketStatus,
    /// The executor it is given to.
    #[serde(default)]
    pub assignee_id: Option<PersonId>,
    /// The executor's name.
    #[serde(default)]
    pub assignee_name: Option<String>,
    /// Residents who joined it ("me too"), oldest first.
    #[serde(default)]
    pub cosigners: Vec<PersonId>,
    /// Flats affected: the author's and the co-signers', each once.
    #[serde(default)]
    pub flats_affected: u32,
    /// Registered at.
    pub created_at: String,
    /// Must be resolved by (the regulated deadline, from the last registration or reopening).
    pub deadline_at: String,
    /// Last change.
    pub updated_at: String,
    /// When it was last closed (done, rejected or withdrawn).
    #[serde(default)]
    pub closed_at: Option<String>,
    /// When the author confirmed the work.
    #[serde(default)]
    pub confirmed_at: Option<String>,
    /// The author's rating of the work, 1–5.
    #[serde(default)]
    pub rating: Option<u8>,
    /// Times it was reopened.
    #[serde(default)]
    pub reopened: u32,
    /// The key the filer's client made for it (none for tickets from before keys).
    #[serde(default)]
    pub client_key: Option<String>,
    /// Its photos, in the order given.
    #[serde(default)]
    pub photos: Vec<PhotoRef>,
    /// Every change, oldest first.
    pub history: Vec<TicketEvent>,
}

/// A comment on a ticket. An internal one goes only to the managing organisation's staff and
/// the Inspection; a resident's client never receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TicketComment {
    /// Id.
    pub id: TicketCommentId,
    /// The ticket.
    pub ticket_id: TicketId,
    /// The ticket's house.
    pub house_id: HouseId,
    /// Author.
    pub author_id: PersonId,
    /// Author's name.
    pub author_name: String,
    /// Whether the author wrote as staff of the managing organisation.
    pub staff: bool,
    /// Internal: for the staff only.
    pub internal: bool,
    /// The text.
    pub body: String,
    /// When.
    pub created_at: String,
    /// The key the author's client made for it.
    pub client_key: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Timelike;

    fn at(d: u32, h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 1, d).and_then(|x| x.and_hms_opt(h, m, 0)).unwrap_or_default()
    }

    #[test]
    fn emergency_is_thirty_minutes() {
        let rule = DeadlineRule { minutes: 30, summer_minutes: None, window: None };
        assert_eq!(rule.deadline(at(10, 23, 50)), at(11, 0, 20));
    }

    #[test]
    fn garbage_chute_counts_only_day_hours() {
        let rule = DeadlineRule { minutes: 120, summer_minutes: None, window: Some((480, 1380)) };
        // Registered at 22:30: 30 minutes count today, 90 tomorrow from 08:00.
        assert_eq!(rule.deadline(at(10, 22, 30)), at(11, 9, 30));
        // Registered at 03:00: the clock starts at 08:00.
        assert_eq!(rule.deadline(at(10, 3, 0)), at(10, 10, 0));
    }

    #[test]
    fn window_glass_is_longer_in_summer() {
        let rule = DeadlineRule { minutes: 1440, summer_minutes: Some(4320), window: None };
        let july = NaiveDate::from_ymd_opt(2026, 7, 1).and_then(|d| d.and_hms_opt(12, 0, 0)).unwrap_or_default();
        assert_eq!(rule.deadline(july), july + Duration::days(3));
        assert_eq!(rule.deadline(at(1, 12, 0)), at(2, 12, 0));
    }

    #[test]
    fn closed_tickets_are_never_overdue() {
        assert!(is_overdue(TicketStatus::InWork, at(1, 0, 0), at(2, 0, 0)));
        assert!(!is_overdue(TicketStatus::Done, at(1, 0, 0), at(2, 0, 0)));
        assert!(TicketStatus::New.can_become(TicketStatus::Accepted));
        assert!(!TicketStatus::Done.can_become(TicketStatus::New));
    }

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).map(|t| t.to_utc()).unwrap_or_default()
    }

    const CHUTE: DeadlineRule = DeadlineRule { minutes: 120, summer_minutes: None, window: Some((480, 1380)) };

    #[test]
    fn the_garbage_chute_counts_kazan_hours_at_their_boundaries() {
        let kazan = chrono_tz::Europe::Moscow;
        let cases = [
            ("2026-01-10T22:59:30+03:00", "2026-01-11T09:59:30+03:00"),
            ("2026-01-10T23:00:00+03:00", "2026-01-11T10:00:00+03:00"),
            ("2026-01-10T21:00:00+03:00", "2026-01-10T23:00:00+03:00"),
            ("2026-01-10T07:00:00+03:00", "2026-01-10T10:00:00+03:00"),
            ("2026-01-10T00:00:00+03:00", "2026-01-10T10:00:00+03:00"),
        ];
        for (at, due) in cases {
            assert_eq!(CHUTE.deadline_in(utc(at), kazan), utc(due), "registered {at}");
        }
        // A day's worth of counted minutes spans two days of a 15-hour window.
        let long = DeadlineRule { minutes: 1440, ..CHUTE };
        assert_eq!(long.deadline_in(utc("2026-01-10T08:00:00+03:00"), kazan), utc("2026-01-11T17:00:00+03:00"));
    }

    #[test]
    fn the_house_zone_decides_the_day() {
        // 22:00 UTC is 08:00 of the next day in Vladivostok: the chute's clock starts at once.
        let at = utc("2026-03-01T22:00:00Z");
        assert_eq!(CHUTE.deadline_in(at, chrono_tz::Asia::Vladivostok), utc("2026-03-02T00:00:00Z"));
        // The same moment is 01:00 in Kazan: it starts at 08:00 there.
        assert_eq!(CHUTE.deadline_in(at, chrono_tz::Europe::Moscow), utc("2026-03-02T07:00:00Z"));
        // Summer is the house's month: 23:30 UTC on 31 March is already April in Kazan.
        let glass = DeadlineRule { minutes: 1440, summer_minutes: Some(4320), window: None };
        let spring = utc("2026-03-31T23:30:00Z");
        assert_eq!(glass.deadline_in(spring, chrono_tz::Europe::Moscow), spring + Duration::days(3));
        assert_eq!(glass.deadline_in(spring, Tz::UTC), spring + Duration::days(1));
    }

    #[test]
    fn windows_outside_one_day_are_refused() {
        for (from, to) in [(1380, 480), (480, 480), (0, 1441)] {
            let rule = DeadlineRule { window: Some((from, to)), ..CHUTE };
            assert_eq!(rule.checked(), Err(BadWindow { from, to }));
        }
        assert!(CHUTE.checked().is_ok());
        // The whole day is no window at all.
        let whole = DeadlineRule { window: Some((0, 1440)), ..CHUTE };
        let at = utc("2026-01-10T23:50:00Z");
        assert_eq!(whole.deadline_in(at, Tz::UTC), at + Duration::minutes(120));
    }

    /// Counted minutes from `start` to `end`, one real minute at a time, by the local clock.
    fn counted(start: DateTime<Utc>, end: DateTime<Utc>, tz: Tz, (from, to): (u32, u32)) -> i64 {
        let mut t = start;
        let mut n = 0;
        while t < end {
            let local = t.with_timezone(&tz).time();
            let minute = local.hour() * 60 + local.minute();
            if (from..to).contains(&minute) {
                n += 1;
            }
            t += Duration::minutes(1);
        }
        n
    }

    #[test]
    fn a_deadline_counts_exactly_its_minutes_across_clock_changes() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand::rngs::StdRng::seed_from_u64(354);
        let base = utc("2026-01-01T00:00:00Z");
        for tz in [chrono_tz::Europe::Berlin, chrono_tz::America::New_York, chrono_tz::Europe::Moscow] {
            for _ in 0..150 {
                // Minute-aligned moments over the year, half of them near a clock change.
                let near = [utc("2026-03-29T00:00:00Z"), utc("2026-10-25T00:00:00Z"), utc("2026-03-08T05:00:00Z")];
                let at = if rng.random_bool(0.5) {
                    near[rng.random_range(0..near.len())] + Duration::minutes(rng.random_range(-1500..1500))
                } else {
                    base + Duration::minutes(rng.random_range(0..525_600))
                };
                let window = [(480, 1380), (60, 180), (120, 240), (0, 1320)][rng.random_range(0..4)];
                let rule =
                    DeadlineRule { minutes: rng.random_range(1..400), summer_minutes: None, window: Some(window) };
                let due = rule.deadline_in(at, tz);
                assert_eq!(counted(at, due, tz, window), rule.minutes, "{tz} {at} {window:?} {rule:?} → {due}");
                let local = due.with_timezone(&tz).time();
                let minute = local.hour() * 60 + local.minute();
                assert!((window.0..=window.1).contains(&minute) || window.1 == 1440, "{tz} {at}: due {due} outside");
            }
        }
    }

    #[test]
    fn every_move_by_every_mover_is_judged_by_the_table() {
        use Mover::*;
        use TicketStatus::*;
        let now = utc("2026-11-24T12:00:00Z");
        let movers = [Author, Cosigner, Dispatcher, Inspector, Other];
        let mut allowed = Vec::new();
        for from in TicketStatus::ALL.iter().copied() {
            for to in TicketStatus::ALL.iter().copied() {
                for mover in movers {
                    let m = TicketMove { from, to, note: "причина".into(), rating: Some(4) };
                    match may_move(mover, &m, Some(now - Duration::days(1)), now) {
                        Ok(()) => allowed.push((from, to, mover)),
                        Err(MoveRefusal::Invalid { .. } | MoveRefusal::Forbidden { .. }) => {}
                        Err(e) => panic!("{from} → {to} by {mover:?}: {e}"),
                    }
                }
            }
        }
        let expected = MOVES.iter().map(|r| (r.0, r.1, r.2)).collect::<Vec<_>>();
        assert_eq!(allowed.len(), expected.len());
        assert!(expected.iter().all(|e| allowed.contains(e)), "{allowed:?}");
        // Nobody closes a closed ticket again, and the Inspection moves nothing.
        assert!(!allowed.iter().any(|(f, _, _)| matches!(f, Rejected | Withdrawn)));
        assert!(!allowed.iter().any(|(_, _, who)| matches!(who, Inspector | Other)));
        let m = TicketMove { from: Rejected, to: New, note: String::new(), rating: None };
        assert_eq!(may_move(Author, &m, None, now), Err(MoveRefusal::Invalid { from: Rejected, to: New }));
        let m = TicketMove { from: New, to: Accepted, note: String::new(), rating: None };
        assert_eq!(may_move(Author, &m, None, now), Err(MoveRefusal::Forbidden { from: New, to: Accepted }));
    }

    #[test]
    fn reasons_ratings_and_the_reopening_window() {
        use TicketStatus::*;
        let now = utc("2026-11-24T12:00:00Z");
        let reject = TicketMove { from: New, to: Rejected, note: "  ".into(), rating: None };
        assert_eq!(may_move(Mover::Dispatcher, &reject, None, now), Err(MoveRefusal::ReasonRequired));
        let reopen = |note: &str, rating| TicketMove { from: Done, to: New, note: note.into(), rating };
        let done = Some(now - Duration::days(REOPEN_DAYS));
        assert_eq!(may_move(Mover::Cosigner, &reopen("течёт снова", Some(2)), done, now), Ok(()));
        assert_eq!(may_move(Mover::Author, &reopen("", Some(2)), done, now), Err(MoveRefusal::ReasonRequired));
        assert_eq!(may_move(Mover::Author, &reopen("течёт", None), done, now), Err(MoveRefusal::RatingInvalid));
        assert_eq!(may_move(Mover::Author, &reopen("течёт", Some(6)), done, now), Err(MoveRefusal::RatingInvalid));
        let late = Some(now - Duration::days(REOPEN_DAYS) - Duration::minutes(1));
        assert_eq!(may_move(Mover::Author, &reopen("течёт", Some(1)), late, now), Err(MoveRefusal::ReopenWindowPassed));
    }

    #[test]
    fn the_table_gives_each_problem_its_deadline() {
        use TicketCategory::*;
        use TicketProblem::*;
        let minutes = |c, p, e, month: u32| {
            let at = utc(&format!("2026-{month:02}-10T12:00:00Z"));
            find_rule(FEDERAL_RULES, c, p, e).map(|r| (r.rule.deadline_in(at, Tz::UTC) - at).num_minutes())
        };
        assert_eq!(minutes(Leak, None, true, 1), Some(30));
        assert_eq!(minutes(Leak, Some(Burst), false, 1), Some(30), "a burst is stopped at once");
        assert_eq!(minutes(Leak, Some(Tap), false, 1), Some(1440));
        assert_eq!(minutes(Leak, Some(FromAbove), false, 1), Some(1440), "falls back to the category");
        assert_eq!(minutes(Sewage, None, false, 1), Some(120));
        assert_eq!(minutes(Lift, None, false, 1), Some(1440));
        assert_eq!(minutes(Roof, None, false, 1), Some(1440));
        assert_eq!(
            (minutes(DoorGlass, Some(Glass), false, 1), minutes(DoorGlass, Some(Glass), false, 7)),
            (Some(1440), Some(4320))
        );
        assert_eq!(minutes(DoorGlass, Some(Door), false, 7), Some(1440), "a door is one day in summer too");
        // An emergency only where the table has one.
        assert_eq!(minutes(Lift, None, true, 1), None);
        assert_eq!(minutes(GarbageChute, None, true, 1), None);
        // Every row's window is a part of one day.
        assert!(FEDERAL_RULES.iter().all(|r| r.rule.checked().is_ok()));
        // Every category has a rule for an ordinary ticket.
        assert!(TicketCategory::ALL.iter().all(|c| find_rule(FEDERAL_RULES, *c, None, false).is_some()));
    }
}
