DROP INDEX letters_due_releases;
ALTER TABLE letters DROP COLUMN release_scheduled_by;
