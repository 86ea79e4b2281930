-- Automatic reminders: days before a letter's deadline on which partners who have not answered
-- are reminded, as a comma-separated list such as "7,2". Empty turns them off.
ALTER TABLE letters ADD COLUMN reminder_days TEXT NOT NULL DEFAULT '7,2';
-- Due jobs are claimed by status and time; sending jobs are reclaimed when their lease expires.
CREATE INDEX outbox_lease ON outbox (status, locked_until);
