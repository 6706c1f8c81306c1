//! Outage notices and the limits residents may check them against.

use chrono::{Datelike, NaiveDateTime};
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

/// The stable name of a service code (`cold_water`…), if it is one.
pub fn service_name(code: i64) -> Option<&'static str> {
    SERVICES.iter().find(|(c, _)| *c == code).map(|(_, name)| *name)
}

/// How long a service may be interrupted (regulation 354, appendix 1): at once and in total
/// in a calendar month. Data, not code: a region or a later regulation changes the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutageLimit {
    /// The ГИС ЖКХ service code.
    pub service: i64,
    /// The longest single interruption allowed, in minutes.
    pub once_minutes: Option<i64>,
    /// The most allowed in total in a calendar month, in minutes.
    pub month_minutes: Option<i64>,
    /// The item of appendix 1 that sets it.
    pub item: u32,
}

/// The limits of appendix 1 for every service it names. Where the appendix has several by
/// circumstance, the one for the ordinary case is kept: cold and hot water and sewage 4 h at
/// once (24 h for an accident on a dead-end main) and 8 h a month; electricity 2 h at once
/// with two independent supplies, as an apartment block has; gas 4 h a month; heating 24 h a
/// month and 16 h at once (the allowance while rooms stay at 12 °C or more; 8 h and 4 h at
/// lower temperatures). The yearly preventive shutdown of hot water (up to 14 days) is not
/// an interruption in this sense and is announced as such.
pub const OUTAGE_LIMITS: &[OutageLimit] = &[
    OutageLimit { service: 1, once_minutes: Some(4 * 60), month_minutes: Some(8 * 60), item: 1 },
    OutageLimit { service: 2, once_minutes: Some(4 * 60), month_minutes: Some(8 * 60), item: 5 },
    OutageLimit { service: 3, once_minutes: Some(4 * 60), month_minutes: Some(8 * 60), item: 8 },
    OutageLimit { service: 4, once_minutes: Some(2 * 60), month_minutes: None, item: 9 },
    OutageLimit { service: 5, once_minutes: Some(4 * 60), month_minutes: Some(4 * 60), item: 10 },
    OutageLimit { service: 6, once_minutes: Some(16 * 60), month_minutes: Some(24 * 60), item: 15 },
];

/// The limit of a service, if appendix 1 sets one.
pub fn limit_for(service: i64) -> Option<OutageLimit> {
    OUTAGE_LIMITS.iter().copied().find(|l| l.service == service)
}

vocabulary! {
    /// Which limit an outage broke.
    pub enum LimitBreach {
        /// Longer at once than allowed.
        Once = "once",
        /// With the month's earlier outages of the service, more than allowed in the month.
        Month = "month",
    }
}

/// An outage broke a limit: which, by how much, and the rule, for the flag and what the
/// resident may claim (a recalculation of the charge for the service).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Breach {
    /// Once or in the month.
    pub limit: LimitBreach,
    /// The limit broken, in minutes.
    pub allowed_minutes: i64,
    /// The outage's length (once) or the month's total with it (month), in minutes.
    pub actual_minutes: i64,
    /// The month counted (`YYYY-MM`).
    pub month: String,
    /// The item of regulation 354, appendix 1.
    pub item: u32,
}

/// One outage of a house for the limits: its service and its span in the house's time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutageSpan {
    /// The service code.
    pub service: i64,
    /// Start, house time.
    pub start: NaiveDateTime,
    /// End, house time.
    pub end: NaiveDateTime,
    /// Announced as the yearly preventive shutdown of hot water.
    pub preventive: bool,
}

/// The longest yearly preventive shutdown of hot water, in minutes (14 days).
pub const PREVENTIVE_HOT_WATER_MINUTES: i64 = 14 * 24 * 60;

/// Judges a house's outages against the limits, in the order given (the flags of each
/// outage, with every outage of the same service and month counted into the month's
/// total). An outage across a month's end counts in each month for its part.
pub fn judge_outages(outages: &[OutageSpan]) -> Vec<Option<Breach>> {
    let mut order: Vec<usize> = (0..outages.len()).collect();
    order.sort_by_key(|&i| (outages[i].start, i));
    let mut totals: std::collections::HashMap<(i64, String), i64> = std::collections::HashMap::new();
    let mut out = vec![None; outages.len()];
    for i in order {
        let o = outages[i];
        let Some(limit) = limit_for(o.service) else { continue };
        let minutes = (o.end - o.start).num_minutes().max(0);
        // The yearly preventive shutdown of hot water is no interruption in the limits' sense.
        if o.preventive && o.service == 2 && minutes <= PREVENTIVE_HOT_WATER_MINUTES {
            continue;
        }
        let month = o.start.format("%Y-%m").to_string();
        let mut breach = limit.once_minutes.filter(|&allowed| minutes > allowed).map(|allowed| Breach {
            limit: LimitBreach::Once,
            allowed_minutes: allowed,
            actual_minutes: minutes,
            month: month.clone(),
            item: limit.item,
        });
        for (m, part) in split_by_month(o.start, o.end) {
            let total = totals.entry((o.service, m.clone())).or_default();
            *total += part;
            if breach.is_none()
                && let Some(allowed) = limit.month_minutes.filter(|&allowed| *total > allowed)
            {
                breach = Some(Breach {
                    limit: LimitBreach::Month,
                    allowed_minutes: allowed,
                    actual_minutes: *total,
                    month: m,
                    item: limit.item,
                });
            }
        }
        out[i] = breach;
    }
    out
}

/// The minutes of a span in each calendar month it touches.
fn split_by_month(start: NaiveDateTime, end: NaiveDateTime) -> Vec<(String, i64)> {
    let mut out = Vec::new();
    let mut from = start;
    while from < end {
        let next_month = from
            .date()
            .with_day(1)
            .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .unwrap_or(end);
        let to = next_month.min(end);
        out.push((from.format("%Y-%m").to_string(), (to - from).num_minutes()));
        from = to;
    }
    out
}

// ---- Wire types ----

/// An outage or information notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
    /// The yearly preventive shutdown of hot water (up to 14 days): no breach of the limits.
    #[serde(default)]
    pub preventive: bool,
}

// ---- A dispatcher posts an outage ----

/// The most houses one outage notice may cover.
pub const MAX_OUTAGE_HOUSES: usize = 100;
/// The longest outage one notice may announce, in days (a longer one is announced again).
pub const MAX_OUTAGE_DAYS: i64 = 31;
/// The longest reason, in characters.
pub const MAX_REASON_CHARS: usize = 1000;
/// The services an outage may be posted for (waste removal is no supply that stops).
pub const OUTAGE_SERVICES: [&str; 6] = ["cold_water", "hot_water", "sewage", "electricity", "gas", "heating"];

/// An outage as a dispatcher posts it for houses their organisation manages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PostOutage {
    /// A UUID the client made for this notice: sending it again stores it once.
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
    )]
    pub client_key: String,
    /// The houses affected, one or more of the poster's organisation's.
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 100))]
    #[serde(deserialize_with = "crate::json::integers")]
    pub houses: Vec<HouseId>,
    /// The service: `cold_water`, `hot_water`, `sewage`, `electricity`, `gas` or `heating`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^(cold_water|hot_water|sewage|electricity|gas|heating)$"))]
    pub service: String,
    /// How far the outage goes.
    #[serde(default = "pause")]
    pub outage_type: OutageType,
    /// When it starts, RFC 3339.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub starts_at: String,
    /// When it ends, RFC 3339.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub ends_at: String,
    /// Why, in words residents understand.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::message::text_1000))]
    pub reason: String,
}

fn pause() -> OutageType {
    OutageType::Pause
}

/// Why an outage notice was refused; each says what to do.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum OutageError {
    /// No house named.
    #[error("name at least one house the outage affects")]
    NoHouses,
    /// Too many houses.
    #[error("one notice covers at most {MAX_OUTAGE_HOUSES} houses: split it")]
    TooManyHouses,
    /// A house named twice.
    #[error("house {0} is named twice")]
    DuplicateHouse(HouseId),
    /// Not a service an outage is posted for.
    #[error("«{0}» is not a service: use cold_water, hot_water, sewage, electricity, gas or heating")]
    UnknownService(String),
    /// Not a moment.
    #[error("«{0}» is not a date and time: write it as 2026-11-25T09:00:00+03:00")]
    BadTime(String),
    /// The end is not after the start.
    #[error("the outage must end after it starts")]
    EndsBeforeStart,
    /// Longer than one notice may announce.
    #[error("an outage notice covers at most {MAX_OUTAGE_DAYS} days; this one lasts {days}")]
    TooLong {
        /// Days it would last.
        days: i64,
    },
    /// Already over when posted.
    #[error("this outage is already over: post outages that are going on or to come")]
    AlreadyOver,
    /// No reason given.
    #[error("say why the service is off: residents read the reason")]
    ReasonEmpty,
    /// Reason too long.
    #[error("the reason is {0} characters long; at most {MAX_REASON_CHARS}")]
    ReasonTooLong(usize),
}

impl crate::Coded for OutageError {
    fn code(&self) -> &'static str {
        match self {
            OutageError::NoHouses => "outage_no_houses",
            OutageError::TooManyHouses => "outage_too_many_houses",
            OutageError::DuplicateHouse(_) => "outage_duplicate_house",
            OutageError::UnknownService(_) => "outage_unknown_service",
            OutageError::BadTime(_) => "outage_bad_time",
            OutageError::EndsBeforeStart => "outage_ends_before_start",
            OutageError::TooLong { .. } => "outage_too_long",
            OutageError::AlreadyOver => "outage_already_over",
            OutageError::ReasonEmpty => "outage_reason_empty",
            OutageError::ReasonTooLong(_) => "outage_reason_too_long",
        }
    }

    fn params(&self) -> Vec<(&'static str, String)> {
        match self {
            OutageError::TooManyHouses => vec![("max", MAX_OUTAGE_HOUSES.to_string())],
            OutageError::DuplicateHouse(h) => vec![("house", h.to_string())],
            OutageError::UnknownService(s) | OutageError::BadTime(s) => vec![("value", s.clone())],
            OutageError::TooLong { days } => vec![("days", days.to_string()), ("max", MAX_OUTAGE_DAYS.to_string())],
            OutageError::ReasonTooLong(n) => vec![("chars", n.to_string()), ("max", MAX_REASON_CHARS.to_string())],
            _ => vec![],
        }
    }
}

/// An outage that passed the rules, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedOutage {
    /// ГИС ЖКХ service code.
    pub service: i64,
    /// Start and end, UTC.
    pub start: chrono::DateTime<chrono::Utc>,
    /// End.
    pub end: chrono::DateTime<chrono::Utc>,
    /// The reason, trimmed.
    pub reason: String,
    /// The title residents see, e.g. «Отключение холодной воды».
    pub title: String,
}

/// Checks an outage notice against the rules, at `now`: the same on the server and, before
/// it is queued, on the dispatcher's client.
pub fn check_outage(req: &PostOutage, now: chrono::DateTime<chrono::Utc>) -> Result<CheckedOutage, OutageError> {
    if req.houses.is_empty() {
        return Err(OutageError::NoHouses);
    }
    if req.houses.len() > MAX_OUTAGE_HOUSES {
        return Err(OutageError::TooManyHouses);
    }
    let mut seen = std::collections::BTreeSet::new();
    if let Some(h) = req.houses.iter().find(|h| !seen.insert(**h)) {
        return Err(OutageError::DuplicateHouse(*h));
    }
    let service = OUTAGE_SERVICES
        .iter()
        .find(|s| **s == req.service)
        .and_then(|name| SERVICES.iter().find(|(_, n)| n == name))
        .map(|(code, _)| *code)
        .ok_or_else(|| OutageError::UnknownService(req.service.clone()))?;
    let moment = |t: &str| {
        chrono::DateTime::parse_from_rfc3339(t).map(|d| d.to_utc()).map_err(|_| OutageError::BadTime(t.to_owned()))
    };
    let (start, end) = (moment(&req.starts_at)?, moment(&req.ends_at)?);
    if end <= start {
        return Err(OutageError::EndsBeforeStart);
    }
    let seconds = (end - start).num_seconds();
    let days = seconds / 86_400 + i64::from(seconds % 86_400 > 0);
    if days > MAX_OUTAGE_DAYS {
        return Err(OutageError::TooLong { days });
    }
    if end <= now {
        return Err(OutageError::AlreadyOver);
    }
    let chars = req.reason.chars().count();
    if chars > MAX_REASON_CHARS {
        return Err(OutageError::ReasonTooLong(chars));
    }
    let reason = req.reason.trim();
    if reason.is_empty() {
        return Err(OutageError::ReasonEmpty);
    }
    Ok(CheckedOutage { service, start, end, reason: reason.to_owned(), title: outage_title(service, req.outage_type) })
}

/// The title of an outage notice, in Russian as the state's notices are: «Отключение
/// холодной воды», «Ограничение подачи электроэнергии».
pub fn outage_title(service: i64, kind: OutageType) -> String {
    let what = match service_name(service) {
        Some("cold_water") => "холодной воды",
        Some("hot_water") => "горячей воды",
        Some("sewage") => "водоотведения",
        Some("electricity") => "электроэнергии",
        Some("gas") => "газа",
        Some("heating") => "отопления",
        _ => "коммунальной услуги",
    };
    match kind {
        OutageType::Pause => format!("Отключение {what}"),
        OutageType::Limitation => format!("Ограничение подачи {what}"),
        OutageType::Suspension => format!("Приостановление подачи {what}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn span(service: i64, from: NaiveDateTime, to: NaiveDateTime) -> OutageSpan {
        OutageSpan { service, start: from, end: to, preventive: false }
    }

    fn at(day: u32, hour: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 3, day).and_then(|d| d.and_hms_opt(hour, 0, 0)).unwrap_or_default()
    }

    #[test]
    fn each_service_has_its_limits() {
        // At once: exactly the limit passes, a minute over breaks it.
        for (service, hours) in [(1, 4), (2, 4), (3, 4), (4, 2), (5, 4), (6, 16)] {
            let ok = judge_outages(&[span(service, at(3, 0), at(3, hours))]);
            assert_eq!(ok, vec![None], "service {service}");
            let over = judge_outages(&[span(service, at(3, 0), at(3, hours) + chrono::Duration::minutes(1))]);
            assert_eq!(over[0].as_ref().map(|b| b.limit), Some(LimitBreach::Once), "service {service}");
        }
        assert_eq!(judge_outages(&[span(7, at(3, 0), at(5, 0))]), vec![None], "no limit for waste here");
        // The yearly preventive shutdown of hot water: up to 14 days is no breach, and
        // counts nothing into the month.
        let preventive = OutageSpan { preventive: true, ..span(2, at(1, 8), at(8, 20)) };
        assert_eq!(judge_outages(&[preventive, span(2, at(20, 9), at(20, 12))]), vec![None, None]);
        let too_long = OutageSpan { preventive: true, ..span(2, at(1, 8), at(16, 20)) };
        assert!(judge_outages(&[too_long])[0].is_some(), "more than 14 days is a breach");
    }

    #[test]
    fn the_month_counts_every_outage_of_the_service() {
        // Cold water: 3 h, 3 h, then 3 h: the third takes the month to 9 h of 8.
        let outages = [
            span(1, at(2, 9), at(2, 12)),
            span(1, at(10, 9), at(10, 12)),
            span(2, at(11, 9), at(11, 12)),
            span(1, at(20, 9), at(20, 12)),
        ];
        let judged = judge_outages(&outages);
        assert_eq!(judged[0], None);
        assert_eq!(judged[1], None);
        assert_eq!(judged[2], None, "another service has its own total");
        let third = judged[3].as_ref().map(|b| (b.limit, b.allowed_minutes, b.actual_minutes));
        assert_eq!(third, Some((LimitBreach::Month, 480, 540)));
        // Heating: 24 h a month, counted even when no single one breaks the 16 h.
        let heat = judge_outages(&[span(6, at(1, 0), at(1, 15)), span(6, at(9, 0), at(9, 10))]);
        assert_eq!(heat[1].as_ref().map(|b| b.limit), Some(LimitBreach::Month));
    }

    #[test]
    fn an_outage_across_the_month_end_counts_in_each_month() {
        let end_of_march =
            NaiveDate::from_ymd_opt(2026, 3, 31).and_then(|d| d.and_hms_opt(22, 0, 0)).unwrap_or_default();
        let april = NaiveDate::from_ymd_opt(2026, 4, 1).and_then(|d| d.and_hms_opt(1, 0, 0)).unwrap_or_default();
        assert_eq!(split_by_month(end_of_march, april), vec![("2026-03".into(), 120), ("2026-04".into(), 60)]);
    }

    fn post(houses: &[i64], service: &str, from: &str, to: &str, reason: &str) -> PostOutage {
        PostOutage {
            client_key: "0196a0c0-0000-7000-8000-000000000001".into(),
            houses: houses.iter().map(|h| HouseId::from(*h)).collect(),
            service: service.into(),
            outage_type: OutageType::Pause,
            starts_at: from.into(),
            ends_at: to.into(),
            reason: reason.into(),
        }
    }

    #[test]
    fn an_outage_passes_or_says_what_is_wrong() {
        let now =
            chrono::DateTime::parse_from_rfc3339("2026-11-24T12:00:00+03:00").map(|d| d.to_utc()).unwrap_or_default();
        let ok = check_outage(
            &post(&[1, 2], "cold_water", "2026-11-25T09:00:00+03:00", "2026-11-25T15:00:00+03:00", " Ремонт "),
            now,
        );
        let ok = ok.map(|c| (c.service, c.title, c.reason, (c.end - c.start).num_hours()));
        assert_eq!(ok, Ok((1, "Отключение холодной воды".to_owned(), "Ремонт".to_owned(), 6)));
        let cases = [
            (post(&[], "cold_water", "2026-11-25T09:00:00Z", "2026-11-25T10:00:00Z", "x"), "outage_no_houses"),
            (
                post(&[1, 1], "cold_water", "2026-11-25T09:00:00Z", "2026-11-25T10:00:00Z", "x"),
                "outage_duplicate_house",
            ),
            (post(&[1], "solid_waste", "2026-11-25T09:00:00Z", "2026-11-25T10:00:00Z", "x"), "outage_unknown_service"),
            // Taken as sent, as the schema's pattern and format say: no white space around.
            (post(&[1], " gas", "2026-11-25T09:00:00Z", "2026-11-25T10:00:00Z", "x"), "outage_unknown_service"),
            (post(&[1], "gas", " 2026-11-25T09:00:00Z", "2026-11-25T10:00:00Z", "x"), "outage_bad_time"),
            (post(&[1], "gas", "25.11.2026 9:00", "2026-11-25T10:00:00Z", "x"), "outage_bad_time"),
            (post(&[1], "gas", "2026-11-25T10:00:00Z", "2026-11-25T10:00:00Z", "x"), "outage_ends_before_start"),
            (post(&[1], "gas", "2026-11-25T10:00:00Z", "2026-12-26T10:00:01Z", "x"), "outage_too_long"),
            (post(&[1], "gas", "2026-11-20T10:00:00Z", "2026-11-24T09:00:00Z", "x"), "outage_already_over"),
            (post(&[1], "gas", "2026-11-25T10:00:00Z", "2026-11-25T11:00:00Z", "  "), "outage_reason_empty"),
        ];
        for (req, code) in cases {
            assert_eq!(check_outage(&req, now).map_err(|e| crate::Coded::code(&e)), Err(code), "{req:?}");
        }
        // Exactly 31 days is allowed; the house list's limit is the constant's.
        assert!(check_outage(&post(&[1], "gas", "2026-11-25T10:00:00Z", "2026-12-26T10:00:00Z", "x"), now).is_ok());
        let many: Vec<i64> = (1..=MAX_OUTAGE_HOUSES as i64 + 1).collect();
        let r = check_outage(&post(&many, "gas", "2026-11-25T10:00:00Z", "2026-11-25T11:00:00Z", "x"), now);
        assert_eq!(r.map_err(|e| crate::Coded::code(&e)), Err("outage_too_many_houses"));
    }
}
