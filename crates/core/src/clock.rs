//! The server's clock as this client knows it. Rules that depend on the date (a reading
//! window's last day) are judged by the server's clock, never the machine's: each answer's
//! `Date` header tells how far the two are apart, and the cache keeps the last offset so the
//! offline checks use it too.

use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Utc};

/// No offset learnt yet (the machine's clock is used as it is).
const UNKNOWN: i64 = i64::MIN;

/// The offset of the server's clock from this machine's, learnt from its answers.
#[derive(Debug)]
pub struct ServerClock {
    offset_ms: AtomicI64,
}

impl Default for ServerClock {
    fn default() -> ServerClock {
        ServerClock { offset_ms: AtomicI64::new(UNKNOWN) }
    }
}

impl ServerClock {
    /// Learns the offset from an answer's `Date` header (RFC 9110 IMF-fixdate), if it has one.
    pub fn learn(&self, headers: &reqwest::header::HeaderMap) {
        let Some(date) = headers.get(reqwest::header::DATE).and_then(|d| d.to_str().ok()) else { return };
        if let Ok(server) = DateTime::parse_from_rfc2822(date) {
            self.set_offset_ms(Some((server.to_utc() - Utc::now()).num_milliseconds()));
        }
    }

    /// The offset in milliseconds (server minus machine), when known.
    pub fn offset_ms(&self) -> Option<i64> {
        let ms = self.offset_ms.load(Ordering::Relaxed);
        (ms != UNKNOWN).then_some(ms)
    }

    /// Sets the offset (from the cache, at start).
    pub fn set_offset_ms(&self, ms: Option<i64>) {
        self.offset_ms.store(ms.unwrap_or(UNKNOWN), Ordering::Relaxed);
    }

    /// The server's time now, as well as this client knows it.
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + chrono::Duration::milliseconds(self.offset_ms().unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_date_header_sets_the_offset() {
        let clock = ServerClock::default();
        assert_eq!(clock.offset_ms(), None);
        let mut headers = reqwest::header::HeaderMap::new();
        headers
            .insert(reqwest::header::DATE, "Sun, 22 Nov 2026 09:00:00 GMT".parse().unwrap_or_else(|_| unreachable!()));
        clock.learn(&headers);
        let now = clock.now();
        let server: DateTime<Utc> = "2026-11-22T09:00:00Z".parse().unwrap_or_default();
        assert!((now - server).num_seconds().abs() < 5, "{now}");
        headers.insert(reqwest::header::DATE, "not a date".parse().unwrap_or_else(|_| unreachable!()));
        clock.learn(&headers);
        assert!((clock.now() - server).num_seconds().abs() < 5, "a bad header changes nothing");
    }
}
