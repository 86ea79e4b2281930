DROP INDEX outbox_invitation;
DROP INDEX outbox_letter_kind;
