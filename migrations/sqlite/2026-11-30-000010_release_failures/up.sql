-- Whether partners' answers are frozen while a release is scheduled (the admin ticked "freeze
-- the list now"); otherwise they may still sign or decline until the release fires.
ALTER TABLE letters ADD COLUMN answers_frozen BOOLEAN NOT NULL DEFAULT 0;

-- A new kind of email: an admin told that a scheduled release was blocked. SQLite cannot change
-- a CHECK constraint, so the queue is copied into a table with the new list of kinds.
CREATE TABLE outbox_new (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('invitation', 'reminder', 'confirmation', 'reapproval',
                                       'forward', 'release_notice', 'release_failed')),
    letter_id TEXT REFERENCES letters (id) ON DELETE CASCADE,
    invitation_id TEXT REFERENCES invitations (id) ON DELETE CASCADE,
    recipient TEXT NOT NULL,
    payload TEXT NOT NULL DEFAULT '{}',
    message_id TEXT NOT NULL UNIQUE,
    dedupe_key TEXT UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'dead')),
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    run_after TIMESTAMP NOT NULL,
    locked_until TIMESTAMP,
    locked_by TEXT,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
INSERT INTO outbox_new (id, kind, letter_id, invitation_id, recipient, payload, message_id,
                        dedupe_key, status, attempts, run_after, locked_until, locked_by,
                        last_error, created_at, sent_at)
SELECT id, kind, letter_id, invitation_id, recipient, payload, message_id, dedupe_key, status,
       attempts, run_after, locked_until, locked_by, last_error, created_at, sent_at
FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (status, run_after);
CREATE INDEX outbox_lease ON outbox (status, locked_until);
