//! A house's own time: the clocks are UTC, but a house keeps the days and hours of its time
//! zone (a reading window's last day, a garbage chute's 08:00–23:00).

use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;

/// A house's time zone that is not an IANA name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("«{0}» is not an IANA time zone name (such as Europe/Moscow)")]
pub struct UnknownTimeZone(pub String);

/// The named IANA time zone.
pub fn zone(timezone: &str) -> Result<Tz, UnknownTimeZone> {
    timezone.parse().map_err(|_| UnknownTimeZone(timezone.to_owned()))
}

/// The wall-clock time in the named IANA time zone at `now`.
pub fn local_time(now: DateTime<Utc>, timezone: &str) -> Result<NaiveDateTime, UnknownTimeZone> {
    Ok(now.with_timezone(&zone(timezone)?).naive_local())
}

/// The moment a wall-clock time in the named time zone stands for, as RFC 3339 UTC. An
/// RFC 3339 text is taken as it is; a local `YYYY-MM-DDTHH:MM[:SS]` (or with a space) is read
/// in the zone, the earlier of two when the clocks go back, none when they skip it.
pub fn moment_in(text: &str, timezone: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.to_utc());
    }
    let tz: Tz = timezone.parse().ok()?;
    let local = ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())?;
    local.and_local_timezone(tz).earliest().map(|t| t.to_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().unwrap_or_default()
    }

    #[test]
    fn a_moscow_day_starts_three_hours_before_utc() {
        let kazan = local_time(utc("2026-11-24T21:30:00Z"), "Europe/Moscow");
        assert_eq!(kazan.map(|t| t.date()), Ok(NaiveDate::from_ymd_opt(2026, 11, 25).unwrap_or_default()));
        let kazan = local_time(utc("2026-11-25T20:59:59Z"), "Europe/Moscow");
        assert_eq!(kazan.map(|t| t.date()), Ok(NaiveDate::from_ymd_opt(2026, 11, 25).unwrap_or_default()));
        let vladivostok = local_time(utc("2026-11-25T14:00:00Z"), "Asia/Vladivostok");
        assert_eq!(vladivostok.map(|t| t.date()), Ok(NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or_default()));
    }

    #[test]
    fn an_unknown_zone_is_named() {
        assert_eq!(local_time(Utc::now(), "Mars/Olympus"), Err(UnknownTimeZone("Mars/Olympus".into())));
    }

    #[test]
    fn a_local_time_is_read_in_the_house_zone() {
        let nine = Some(utc("2026-11-25T06:00:00Z"));
        assert_eq!(moment_in("2026-11-25T09:00", "Europe/Moscow"), nine);
        assert_eq!(moment_in("2026-11-25 09:00:00", "Europe/Moscow"), nine);
        assert_eq!(moment_in("2026-11-25T09:00:00+03:00", "Asia/Yekaterinburg"), nine);
        assert_eq!(moment_in("25.11.2026 9:00", "Europe/Moscow"), None);
        assert_eq!(moment_in("2026-11-25T09:00", "Mars/Olympus"), None);
    }
}
