//! The per-person send limit: a token bucket per person.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use domkom_domain::id::PersonId;

/// A token bucket per person: `burst` sends at once, refilled at `per_minute`.
pub struct SendLimit {
    burst: f64,
    per_second: f64,
    buckets: Mutex<HashMap<PersonId, (f64, Instant)>>,
}

impl SendLimit {
    /// A limit of `burst` at once and `per_minute` on average.
    pub fn new(burst: u32, per_minute: u32) -> SendLimit {
        SendLimit {
            burst: f64::from(burst.max(1)),
            per_second: f64::from(per_minute.max(1)) / 60.0,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one send for a person, or says how many seconds to wait.
    pub fn take(&self, person: PersonId) -> Result<(), u64> {
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        let (tokens, at) = buckets.entry(person).or_insert((self.burst, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * self.per_second).min(self.burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - *tokens) / self.per_second).ceil().max(1.0) as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_a_burst_then_asks_to_wait() {
        let limit = SendLimit::new(3, 60);
        assert!(limit.take(PersonId(1)).is_ok());
        assert!(limit.take(PersonId(1)).is_ok());
        assert!(limit.take(PersonId(1)).is_ok());
        assert_eq!(limit.take(PersonId(1)), Err(1));
        assert!(limit.take(PersonId(2)).is_ok(), "another person has their own bucket");
    }
}
