DELETE FROM outbox WHERE kind = 'release_failed';
ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check
    CHECK (kind IN ('invitation', 'reminder', 'confirmation', 'reapproval', 'forward',
                    'release_notice'));
ALTER TABLE letters DROP COLUMN answers_frozen;
