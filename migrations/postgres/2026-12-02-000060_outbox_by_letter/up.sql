-- The outbox is looked up by letter (a letter's reminders on every dashboard view, the cascade
-- when a letter is deleted) and by invitation (an invitation's reminders, the cascade when an
-- invitation goes with its letter): without these, each of those scanned the whole outbox.
CREATE INDEX outbox_letter_kind ON outbox (letter_id, kind);
CREATE INDEX outbox_invitation ON outbox (invitation_id);
