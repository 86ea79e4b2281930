-- The queue no longer lists the kinds of email in a CHECK: the application refuses a kind it
-- does not know when it reads a job back (the job goes to the dead letters), so a new kind of
-- email needs no migration.
ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
