-- Who scheduled an embargoed release: the release fires in their name.
ALTER TABLE letters ADD COLUMN release_scheduled_by TEXT REFERENCES users (id) ON DELETE SET NULL;
CREATE INDEX letters_due_releases ON letters (status, release_at);
