-- Who is asking: the coordinating organization as admins set it on the settings page (its
-- name, website, press contact and logo). One row; an empty field falls back to the
-- `organization.*` setting. The logo is kept re-encoded as PNG.
CREATE TABLE coordinating_organization (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT,
    website TEXT,
    contact_email TEXT,
    logo_png BLOB,
    logo_sha256 TEXT,
    updated_at TIMESTAMP NOT NULL,
    updated_by TEXT REFERENCES users (id) ON DELETE SET NULL
);
INSERT INTO coordinating_organization (id, updated_at) VALUES (1, CURRENT_TIMESTAMP);
