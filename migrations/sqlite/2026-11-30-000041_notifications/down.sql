DROP TABLE notification_preferences;
ALTER TABLE letters DROP COLUMN withdrawals_seen_at;
