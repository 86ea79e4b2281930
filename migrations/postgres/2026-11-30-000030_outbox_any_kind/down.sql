-- Back to the list of kinds of 2026-11-30-000010; jobs of later kinds are dropped.
DELETE FROM outbox WHERE kind NOT IN ('invitation', 'reminder', 'confirmation', 'reapproval',
                                      'forward', 'release_notice', 'release_failed');
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check
    CHECK (kind IN ('invitation', 'reminder', 'confirmation', 'reapproval', 'forward',
                    'release_notice', 'release_failed'));
