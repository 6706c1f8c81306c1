//! The backend's clock: the system's, or one pinned to a moment (`--now`) that runs on from
//! there, so a demo or a test sees the same reading window, outage and deadline every time.
//! Every answer carries the clock's time in its `Date` header, from which clients learn how
//! far their own clock is off.

use std::time::Instant;

use chrono::{DateTime, Utc};

/// What time it is for the backend.
#[derive(Debug, Clone, Copy, Default)]
pub struct Clock {
    pinned: Option<(DateTime<Utc>, Instant)>,
}

impl Clock {
    /// The system clock.
    pub fn system() -> Clock {
        Clock { pinned: None }
    }

    /// A clock that reads `at` now and runs on from there.
    pub fn pinned_at(at: DateTime<Utc>) -> Clock {
        Clock { pinned: Some((at, Instant::now())) }
    }

    /// The current time.
    pub fn now(&self) -> DateTime<Utc> {
        match self.pinned {
            None => Utc::now(),
            Some((at, since)) => at + since.elapsed(),
        }
    }

    /// The current time as stored: RFC 3339 UTC with milliseconds.
    pub fn now_rfc3339(&self) -> String {
        self.now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
    }

    /// The current time as an HTTP `Date` header (RFC 9110 IMF-fixdate).
    pub fn http_date(&self) -> String {
        self.now().format("%a, %d %b %Y %H:%M:%S GMT").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pinned_clock_starts_at_its_moment_and_runs_on() {
        let at: DateTime<Utc> = "2026-11-22T09:00:00Z".parse().unwrap_or_default();
        let clock = Clock::pinned_at(at);
        let now = clock.now();
        assert!(now >= at && now - at < chrono::Duration::seconds(5), "{now}");
        assert_eq!(clock.http_date(), "Sun, 22 Nov 2026 09:00:00 GMT");
    }

    #[test]
    fn the_system_clock_is_the_system_time() {
        let gap = (Clock::system().now() - Utc::now()).num_seconds().abs();
        assert!(gap < 5);
    }
}
