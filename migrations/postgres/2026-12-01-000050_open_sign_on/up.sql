-- Open sign-on: a letter may take requests to join from organizations it did not invite and,
-- when it accepts them, from individuals signing in their personal capacity. A request waits
-- for its email to be confirmed, then for a coordinator's approval; an approved organization
-- becomes an invitation, an approved individual is listed apart in the release.
ALTER TABLE letters ADD COLUMN open_sign_on BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE letters ADD COLUMN accept_individuals BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE letters ADD COLUMN individuals_heading TEXT;
ALTER TABLE releases ADD COLUMN individuals TEXT NOT NULL DEFAULT '[]';
CREATE TABLE sign_on_requests (
    id TEXT PRIMARY KEY,
    letter_id TEXT NOT NULL REFERENCES letters (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('organization', 'individual')),
    status TEXT NOT NULL CHECK (status IN ('unconfirmed', 'pending', 'approved', 'rejected')),
    -- The organization's name, or the individual's.
    name TEXT NOT NULL,
    -- The organization key of the name, or the individual's email address: one request each.
    dedupe_key TEXT NOT NULL,
    country TEXT,
    website TEXT,
    contact_name TEXT,
    title TEXT,
    affiliation TEXT,
    email TEXT NOT NULL,
    note TEXT,
    read_version INTEGER NOT NULL,
    confirm_token_hash TEXT NOT NULL,
    confirmed_at TIMESTAMP,
    decided_at TIMESTAMP,
    decided_by TEXT REFERENCES users (id),
    reason TEXT,
    organization_id TEXT REFERENCES organizations (id),
    invitation_id TEXT REFERENCES invitations (id),
    ip TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (letter_id, kind, dedupe_key)
);
CREATE INDEX sign_on_requests_by_letter ON sign_on_requests (letter_id, status);
CREATE UNIQUE INDEX sign_on_requests_by_token ON sign_on_requests (confirm_token_hash);
