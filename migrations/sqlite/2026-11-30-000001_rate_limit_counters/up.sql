-- Failures counted per key (a client address, or the SHA-256 of an account's email) for the
-- rate limits that guard secrets: logins and sign-link look-ups. Kept in the database so that
-- every instance sharing it counts the same failures. A key's window starts at its first
-- failure and ends at `window_ends_at`; the next failure after that starts a new window.
CREATE TABLE rate_limit_counters (
    key TEXT PRIMARY KEY NOT NULL,
    failures INTEGER NOT NULL CHECK (failures >= 1),
    window_ends_at TIMESTAMP NOT NULL
);
-- Ended windows are deleted in one range scan.
CREATE INDEX rate_limit_counters_window_ends_at ON rate_limit_counters (window_ends_at);
