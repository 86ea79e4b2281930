DROP INDEX outbox_by_recipient;
DROP TABLE webhooks;
