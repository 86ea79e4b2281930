-- The queue no longer lists the kinds of email in a CHECK: the application refuses a kind it
-- does not know when it reads a job back (the job goes to the dead letters), so a new kind of
-- email needs no migration. SQLite cannot drop a CHECK, so the queue is copied into a table
-- that is the same in every other column, constraint and index.
CREATE TABLE outbox_new (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
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
