//! The time as the application sees it. Production reads the system clock; tests move it
//! forward to reach deadlines, embargoes and expiries without waiting.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, NaiveDateTime, TimeDelta, Timelike, Utc};

/// A stored time (UTC) as the JSON API, feeds and release manifests write it: RFC 3339, whole
/// seconds, `Z`.
pub fn rfc3339(at: NaiveDateTime) -> String {
    at.and_utc()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A stored time as a date for readers: "3 December 2026".
pub fn long_date(at: NaiveDateTime) -> String {
    at.format("%-d %B %Y").to_string()
}

/// The day of an RFC 3339 moment as the public page prints it ("3 December 2026"); `None`
/// for no moment or one that does not parse.
pub fn day_of(rfc3339: Option<&str>) -> Option<String> {
    let at = chrono::DateTime::parse_from_rfc3339(rfc3339?).ok()?;
    Some(long_date(at.naive_utc()))
}

/// The system clock plus an offset that only tests change. Cheap to clone; clones share it.
#[derive(Clone, Default)]
pub struct Clock {
    offset_ms: Arc<AtomicI64>,
}

impl Clock {
    pub fn system() -> Self {
        Self::default()
    }

    pub fn now_utc(&self) -> DateTime<Utc> {
        Utc::now() + TimeDelta::milliseconds(self.offset_ms.load(Ordering::Relaxed))
    }

    /// Now as stored in the database: UTC without zone, truncated to microseconds so that
    /// SQLite (nanoseconds) and PostgreSQL (microseconds) hold the same value.
    pub fn now(&self) -> NaiveDateTime {
        let now = self.now_utc().naive_utc();
        now.with_nanosecond(now.nanosecond() / 1_000 * 1_000)
            .unwrap_or(now)
    }

    /// Moves this clock and all its clones forward.
    pub fn advance(&self, by: TimeDelta) {
        self.offset_ms
            .fetch_add(by.num_milliseconds(), Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_every_clone() {
        let clock = Clock::system();
        let copy = clock.clone();
        let before = copy.now_utc();
        clock.advance(TimeDelta::days(3));
        assert!(copy.now_utc() - before >= TimeDelta::days(3));
    }

    #[test]
    fn stored_time_has_microsecond_precision() {
        assert_eq!(Clock::system().now().nanosecond() % 1_000, 0);
    }
}
