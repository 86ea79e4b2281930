-- What each account wants to hear about (no row: everything, the default), and when a letter's
-- coordinators last acknowledged the withdrawals from its published list.
CREATE TABLE notification_preferences (
    user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    lead_declined BOOLEAN NOT NULL DEFAULT TRUE,
    withdrawn_after_release BOOLEAN NOT NULL DEFAULT TRUE,
    release_outcome BOOLEAN NOT NULL DEFAULT TRUE,
    bounced BOOLEAN NOT NULL DEFAULT TRUE,
    daily_digest BOOLEAN NOT NULL DEFAULT TRUE,
    updated_at TIMESTAMP NOT NULL
);
ALTER TABLE letters ADD COLUMN withdrawals_seen_at TIMESTAMP;
