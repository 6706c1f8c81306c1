//! Outage notices and the limits residents may check them against.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::id::*;
use crate::vocab::vocabulary;

vocabulary! {
    /// What a notice is.
    pub enum NoticeKind {
        /// A utility is off or limited.
        Outage = "outage",
        /// Information for residents.
        Info = "info",
    }
}

vocabulary! {
    /// How far an outage goes (regulation 354, section IX).
    pub enum OutageType {
        /// A planned pause.
        Pause = "pause",
        /// A limitation of supply.
        Limitation = "limitation",
        /// A suspension.
        Suspension = "suspension",
    }
}

/// ГИС ЖКХ service codes of an outage.
pub const SERVICES: [(i64, &str); 7] = [
    (1, "cold_water"),
    (2, "hot_water"),
    (3, "sewage"),
    (4, "electricity"),
    (5, "gas"),
    (6, "heating"),
    (7, "solid_waste"),
];

/// Limits on interruptions of one service (regulation 354, appendix 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutageLimit {
    /// Longest single interruption, minutes.
    pub once_minutes: i64,
    /// Longest total in a month, minutes.
    pub month_minutes: i64,
}

/// The federal limit for a service code, where one is set here.
pub fn limit_for(service: i64) -> Option<OutageLimit> {
    match service {
        1 => Some(OutageLimit { once_minutes: 4 * 60, month_minutes: 8 * 60 }),
        _ => None,
    }
}

/// Which limit an outage breaks, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitBreach {
    /// This one interruption is longer than allowed at once.
    Once,
    /// Together with earlier ones this month it is longer than allowed in a month.
    Month,
}

/// Checks one outage against the limit, given the minutes already off this month.
pub fn check_outage(
    service: i64,
    start: NaiveDateTime,
    end: NaiveDateTime,
    minutes_earlier_this_month: i64,
) -> Option<LimitBreach> {
    let limit = limit_for(service)?;
    let minutes = (end - start).num_minutes();
    if minutes > limit.once_minutes {
        Some(LimitBreach::Once)
    } else if minutes + minutes_earlier_this_month > limit.month_minutes {
        Some(LimitBreach::Month)
    } else {
        None
    }
}

// ---- Wire types ----

/// An outage or information notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Notice {
    /// Id.
    pub id: NoticeId,
    /// The house this copy is for (a notice covering many houses comes once per house).
    pub house_id: HouseId,
    /// Outage or information.
    pub kind: NoticeKind,
    /// For an outage, how far it goes.
    pub outage_type: Option<OutageType>,
    /// ГИС ЖКХ service code 1–7.
    pub service: Option<i64>,
    /// Title.
    pub title: String,
    /// Reason.
    pub reason: String,
    /// Starts at.
    pub starts_at: Option<String>,
    /// Ends at.
    pub ends_at: Option<String>,
    /// Publishing organisation.
    pub org_id: Option<OrgId>,
    /// Created at.
    pub created_at: String,
    /// How many houses it affects.
    pub house_count: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn h(hour: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 3, 3).and_then(|d| d.and_hms_opt(hour, 0, 0)).unwrap_or_default()
    }

    #[test]
    fn cold_water_limits() {
        assert_eq!(check_outage(1, h(9), h(13), 0), None);
        assert_eq!(check_outage(1, h(9), h(14), 0), Some(LimitBreach::Once));
        assert_eq!(check_outage(1, h(9), h(12), 6 * 60), Some(LimitBreach::Month));
        assert_eq!(check_outage(2, h(0), h(23), 0), None);
    }
}
