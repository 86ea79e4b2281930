DROP INDEX outbox_lease;
ALTER TABLE letters DROP COLUMN reminder_days;
