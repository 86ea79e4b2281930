//! Counting failures per key (a client address, an account) in a fixed window, to answer 429
//! once a key has failed too often: login guessing, sign-link guessing. Kept in memory: each
//! instance counts its own.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct RateLimiter {
    limit: u32,
    window: Duration,
    failures: Mutex<HashMap<String, (Instant, u32)>>,
}

/// Past this many keys, windows that have ended are dropped.
const PRUNE_ABOVE: usize = 10_000;

impl RateLimiter {
    pub fn new(limit: u32, window: Duration) -> Self {
        Self {
            limit,
            window,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// Whether the key has used up its failures in the current window.
    pub fn is_limited(&self, key: &str) -> bool {
        let failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        failures
            .get(key)
            .is_some_and(|(since, count)| since.elapsed() < self.window && *count >= self.limit)
    }

    pub fn record_failure(&self, key: &str) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if failures.len() > PRUNE_ABOVE {
            failures.retain(|_, (since, _)| since.elapsed() < self.window);
        }
        let entry = failures
            .entry(key.to_string())
            .or_insert((Instant::now(), 0));
        if entry.0.elapsed() >= self.window {
            *entry = (Instant::now(), 0);
        }
        entry.1 += 1;
    }

    pub fn clear(&self, key: &str) {
        self.failures
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(key);
    }
}

/// The limiters of the web app, shared by its workers.
pub struct Limiters {
    pub login_per_ip: RateLimiter,
    pub login_per_account: RateLimiter,
    /// Sign links that matched nothing, per client address.
    pub sign_lookups_per_ip: RateLimiter,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_limited_after_its_failures_and_others_are_not() {
        let limiter = RateLimiter::new(3, Duration::from_secs(60));
        for _ in 0..2 {
            limiter.record_failure("a");
        }
        assert!(!limiter.is_limited("a"));
        limiter.record_failure("a");
        assert!(limiter.is_limited("a"));
        assert!(!limiter.is_limited("b"));
        limiter.clear("a");
        assert!(!limiter.is_limited("a"));
    }

    #[test]
    fn the_window_ends() {
        let limiter = RateLimiter::new(1, Duration::from_millis(20));
        limiter.record_failure("a");
        assert!(limiter.is_limited("a"));
        std::thread::sleep(Duration::from_millis(30));
        assert!(!limiter.is_limited("a"));
    }
}
