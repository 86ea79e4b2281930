-- Whether partners' answers are frozen while a release is scheduled (the admin ticked "freeze
-- the list now"); otherwise they may still sign or decline until the release fires.
ALTER TABLE letters ADD COLUMN answers_frozen BOOLEAN NOT NULL DEFAULT FALSE;

-- A new kind of email: an admin told that a scheduled release was blocked.
ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check
    CHECK (kind IN ('invitation', 'reminder', 'confirmation', 'reapproval', 'forward',
                    'release_notice', 'release_failed'));
