//! A house's own time: the clocks are UTC, but a house keeps the days and hours of its time
//! zone (a reading window's last day, a garbage chute's 08:00–23:00).

use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;

/// A house's time zone that is not an IANA name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("«{0}» is not an IANA time zone name (such as Europe/Moscow)")]
pub struct UnknownTimeZone(pub String);

/// The wall-clock time in the named IANA time zone at `now`.
pub fn local_time(now: DateTime<Utc>, timezone: &str) -> Result<NaiveDateTime, UnknownTimeZone> {
    let tz: Tz = timezone.parse().map_err(|_| UnknownTimeZone(timezone.to_owned()))?;
    Ok(now.with_timezone(&tz).naive_local())
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
}
