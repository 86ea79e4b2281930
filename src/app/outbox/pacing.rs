//! How fast and how often: the wait before the next attempt after a temporary failure
//! (exponential, with jitter so that a recovered server is not hit by every job at once), and
//! the send rate that keeps under a provider's limit.

use std::time::Duration;

use chrono::TimeDelta;
use tokio::sync::Mutex;
use tokio::time::Instant;

const FIRST_RETRY: TimeDelta = TimeDelta::minutes(1);
const LONGEST_WAIT: TimeDelta = TimeDelta::hours(6);

/// The wait after the `attempts`-th failed attempt: one minute, doubling up to six hours, each
/// between 75 % and 125 % of that at random.
pub fn backoff(attempts: i32) -> TimeDelta {
    let doublings = attempts.clamp(1, 20) - 1;
    let base = FIRST_RETRY
        .checked_mul(1 << doublings)
        .map_or(LONGEST_WAIT, |wait| wait.min(LONGEST_WAIT));
    let jitter = rand::random_range(0.75..1.25);
    TimeDelta::milliseconds((base.num_milliseconds() as f64 * jitter) as i64)
}

/// Spaces sends at least `1 / rate` seconds apart across every task of one worker.
pub struct RateLimiter {
    interval: Option<Duration>,
    next_slot: Mutex<Instant>,
}

impl RateLimiter {
    /// `per_second` of 0 means no limit.
    pub fn new(per_second: u32) -> Self {
        Self {
            interval: (per_second > 0).then(|| Duration::from_secs(1) / per_second),
            next_slot: Mutex::new(Instant::now()),
        }
    }

    /// Waits for this send's turn.
    pub async fn wait(&self) {
        let Some(interval) = self.interval else {
            return;
        };
        let slot = {
            let mut next = self.next_slot.lock().await;
            let slot = (*next).max(Instant::now());
            *next = slot + interval;
            slot
        };
        tokio::time::sleep_until(slot).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_with_jitter_up_to_six_hours() {
        for _ in 0..50 {
            let first = backoff(1);
            assert!(first >= TimeDelta::seconds(45) && first <= TimeDelta::seconds(75));
            let fourth = backoff(4);
            assert!(fourth >= TimeDelta::minutes(6) && fourth <= TimeDelta::minutes(10));
            assert!(backoff(30) <= TimeDelta::hours(7) + TimeDelta::minutes(30));
        }
    }

    #[tokio::test]
    async fn the_rate_spaces_sends() {
        let limiter = RateLimiter::new(50);
        let start = Instant::now();
        for _ in 0..6 {
            limiter.wait().await;
        }
        assert!(start.elapsed() >= Duration::from_millis(95));
        let unlimited = RateLimiter::new(0);
        let start = Instant::now();
        for _ in 0..1000 {
            unlimited.wait().await;
        }
        assert!(start.elapsed() < Duration::from_millis(50));
    }
}
