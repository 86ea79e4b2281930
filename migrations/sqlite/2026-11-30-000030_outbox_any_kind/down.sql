-- Back to the list of kinds of 2026-11-30-000010; jobs of later kinds are dropped.
DELETE FROM outbox WHERE kind NOT IN ('invitation', 'reminder', 'confirmation', 'reapproval',
                                      'forward', 'release_notice', 'release_failed');
CREATE TABLE outbox_old (
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
INSERT INTO outbox_old SELECT id, kind, letter_id, invitation_id, recipient, payload,
    message_id, dedupe_key, status, attempts, run_after, locked_until, locked_by, last_error,
    created_at, sent_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_old RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (status, run_after);
CREATE INDEX outbox_lease ON outbox (status, locked_until);
