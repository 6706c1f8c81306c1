//! Tickets (заявки): categories, statuses and deadlines.
//!
//! Deadlines are data (a table the backend keeps per region); this module computes a
//! deadline from a rule, including the rules counted only inside daily hours.

use chrono::{Datelike, Duration, NaiveDateTime, NaiveTime, Timelike};
use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::id::*;
use crate::vocab::vocabulary;

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

/// A deadline rule as the backend keeps it in its table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlineRule {
    /// Minutes allowed (counted only inside `counted_hours`, when set).
    pub minutes: i64,
    /// Minutes allowed in summer (April–September), when it differs.
    pub summer_minutes: Option<i64>,
    /// Hours of the day that count, `[from, to)`, e.g. 8..23 for a garbage chute.
    pub counted_hours: Option<(u32, u32)>,
}

impl DeadlineRule {
    /// The moment by which a ticket registered at `registered` must be resolved.
    pub fn deadline(&self, registered: NaiveDateTime) -> NaiveDateTime {
        let summer = (4..=9).contains(&registered.month());
        let minutes = match (summer, self.summer_minutes) {
            (true, Some(m)) => m,
            _ => self.minutes,
        };
        match self.counted_hours {
            None => registered + Duration::minutes(minutes),
            Some((from, to)) => add_counted_minutes(registered, minutes, from, to),
        }
    }
}

/// Adds minutes that count only between `from` and `to` o'clock each day.
fn add_counted_minutes(start: NaiveDateTime, mut minutes: i64, from: u32, to: u32) -> NaiveDateTime {
    let open = NaiveTime::from_hms_opt(from, 0, 0).unwrap_or(NaiveTime::MIN);
    let mut t = start;
    loop {
        let day_open = t.date().and_time(open);
        let day_close = t.date().and_hms_opt(to.min(23), if to >= 24 { 59 } else { 0 }, 0);
        let Some(day_close) = day_close else {
            return t + Duration::minutes(minutes);
        };
        if t < day_open {
            t = day_open;
        }
        if t.hour() >= to || t >= day_close {
            t = (t.date() + Duration::days(1)).and_time(open);
            continue;
        }
        let left_today = (day_close - t).num_minutes();
        if minutes <= left_today {
            return t + Duration::minutes(minutes);
        }
        minutes -= left_today;
        t = (t.date() + Duration::days(1)).and_time(open);
    }
}

/// Whether a ticket is overdue at `now`.
pub fn is_overdue(status: TicketStatus, deadline: NaiveDateTime, now: NaiveDateTime) -> bool {
    !status.is_closed() && now > deadline
}

// ---- Wire types ----

/// One status change of a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TicketEvent {
    /// New status.
    pub status: TicketStatus,
    /// Who changed it.
    pub actor_id: PersonId,
    /// Their name.
    pub actor_name: String,
    /// When.
    pub at: String,
    /// Comment.
    pub note: String,
}

/// A ticket (заявка).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Ticket {
    /// Id.
    pub id: TicketId,
    /// House.
    pub house_id: HouseId,
    /// Flat, if the ticket is about one.
    pub premises_number: Option<String>,
    /// Author.
    pub author_id: PersonId,
    /// Author's name.
    pub author_name: String,
    /// What the ticket is about.
    pub category: TicketCategory,
    /// Whether it is an emergency.
    pub emergency: bool,
    /// Title.
    pub title: String,
    /// Description.
    pub body: String,
    /// Where it stands.
    pub status: TicketStatus,
    /// Registered at.
    pub created_at: String,
    /// Must be resolved by.
    pub deadline_at: String,
    /// Last change.
    pub updated_at: String,
    /// Every status change, oldest first.
    pub history: Vec<TicketEvent>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(d: u32, h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 1, d).and_then(|x| x.and_hms_opt(h, m, 0)).unwrap_or_default()
    }

    #[test]
    fn emergency_is_thirty_minutes() {
        let rule = DeadlineRule { minutes: 30, summer_minutes: None, counted_hours: None };
        assert_eq!(rule.deadline(at(10, 23, 50)), at(11, 0, 20));
    }

    #[test]
    fn garbage_chute_counts_only_day_hours() {
        let rule = DeadlineRule { minutes: 120, summer_minutes: None, counted_hours: Some((8, 23)) };
        // Registered at 22:30: 30 minutes count today, 90 tomorrow from 08:00.
        assert_eq!(rule.deadline(at(10, 22, 30)), at(11, 9, 30));
        // Registered at 03:00: the clock starts at 08:00.
        assert_eq!(rule.deadline(at(10, 3, 0)), at(10, 10, 0));
    }

    #[test]
    fn window_glass_is_longer_in_summer() {
        let rule = DeadlineRule { minutes: 1440, summer_minutes: Some(4320), counted_hours: None };
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
}
