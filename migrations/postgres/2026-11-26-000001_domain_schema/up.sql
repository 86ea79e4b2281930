-- The domain of Undersigned (see DESIGN.md): accounts, the address book, letters with their
-- versions, invitations and every response, the email outbox, the audit trail, releases.
-- Ids are UUIDs as text and times are UTC without zone, so one schema serves both backends.

CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'coordinator')),
    created_at TIMESTAMP NOT NULL,
    disabled_at TIMESTAMP
);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY NOT NULL,
    token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    ip TEXT,
    user_agent TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    label TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE organizations (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL CHECK (length(name) > 0),
    -- The name folded for matching, so "Article 19" and "ARTICLE 19" are one organization.
    name_key TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL CHECK (length(display_name) > 0),
    country TEXT CHECK (country IS NULL OR length(country) = 2),
    website TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE organization_contacts (
    id TEXT PRIMARY KEY NOT NULL,
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    name TEXT,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (organization_id, email)
);

CREATE TABLE letters (
    id TEXT PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE CHECK (length(slug) > 0),
    title TEXT NOT NULL,
    addressee TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed', 'scheduled', 'released')),
    current_version INTEGER NOT NULL CHECK (current_version >= 1),
    deadline_at TIMESTAMP,
    deadline_tz TEXT,
    -- Partners see which organizations have already signed.
    show_signatories BOOLEAN NOT NULL DEFAULT FALSE,
    -- The public page names the person who approved, with their title.
    show_signers BOOLEAN NOT NULL DEFAULT FALSE,
    allow_late_signatures BOOLEAN NOT NULL DEFAULT FALSE,
    release_at TIMESTAMP,
    release_tz TEXT,
    released_at TIMESTAMP,
    archived_at TIMESTAMP,
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (status <> 'scheduled' OR release_at IS NOT NULL),
    CHECK (status <> 'released' OR released_at IS NOT NULL)
);

CREATE TABLE letter_versions (
    id TEXT PRIMARY KEY NOT NULL,
    letter_id TEXT NOT NULL REFERENCES letters (id) ON DELETE CASCADE,
    version INTEGER NOT NULL CHECK (version >= 1),
    title TEXT NOT NULL,
    addressee TEXT NOT NULL,
    body_markdown TEXT NOT NULL,
    content_sha256 TEXT NOT NULL CHECK (length(content_sha256) = 64),
    change_kind TEXT NOT NULL CHECK (change_kind IN ('initial', 'minor', 'substantive')),
    note TEXT,
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (letter_id, version)
);

CREATE TABLE invitations (
    id TEXT PRIMARY KEY NOT NULL,
    letter_id TEXT NOT NULL REFERENCES letters (id) ON DELETE CASCADE,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    contact_email TEXT NOT NULL,
    contact_name TEXT,
    display_name TEXT NOT NULL CHECK (length(display_name) > 0),
    country TEXT CHECK (country IS NULL OR length(country) = 2),
    tier TEXT NOT NULL CHECK (tier IN ('lead', 'supporting')),
    status TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'opened', 'signed', 'declined',
                                           'withdrawn', 'revoked', 'expired', 'bounced')),
    -- The sign link is derived from a server secret and this nonce when an email is rendered;
    -- only the link token's SHA-256 is kept, so no working link ever sits in the database.
    token_nonce TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    approved_version INTEGER,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP,
    opened_at TIMESTAMP,
    responded_at TIMESTAMP,
    last_activity_at TIMESTAMP NOT NULL
);
-- One open invitation per organization and letter; a revoked one may be replaced.
CREATE UNIQUE INDEX invitations_one_open_per_organization
    ON invitations (letter_id, organization_id) WHERE status <> 'revoked';
CREATE INDEX invitations_letter_status ON invitations (letter_id, status);

-- Every decision a partner makes, never overwritten.
CREATE TABLE responses (
    id TEXT PRIMARY KEY NOT NULL,
    invitation_id TEXT NOT NULL REFERENCES invitations (id),
    letter_id TEXT NOT NULL REFERENCES letters (id),
    decision TEXT NOT NULL CHECK (decision IN ('sign', 'decline', 'withdraw')),
    version INTEGER NOT NULL CHECK (version >= 1),
    content_sha256 TEXT NOT NULL CHECK (length(content_sha256) = 64),
    signer_name TEXT NOT NULL,
    signer_title TEXT NOT NULL,
    organization_display_name TEXT NOT NULL,
    comment TEXT,
    -- One per submitted form, so a repeated POST records one decision.
    submission_key TEXT UNIQUE,
    ip TEXT,
    user_agent TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX responses_invitation ON responses (invitation_id, created_at);
CREATE INDEX responses_letter ON responses (letter_id, created_at);

-- Email jobs, written in the same transaction as the change that causes them.
CREATE TABLE outbox (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('invitation', 'reminder', 'confirmation', 'reapproval',
                                       'forward', 'release_notice')),
    letter_id TEXT REFERENCES letters (id) ON DELETE CASCADE,
    invitation_id TEXT REFERENCES invitations (id) ON DELETE CASCADE,
    recipient TEXT NOT NULL,
    payload TEXT NOT NULL DEFAULT '{}',
    message_id TEXT NOT NULL UNIQUE,
    -- Set where a job must exist at most once, such as one reminder per invitation and slot.
    dedupe_key TEXT UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'dead')),
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    run_after TIMESTAMP NOT NULL,
    locked_until TIMESTAMP,
    locked_by TEXT,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
CREATE INDEX outbox_due ON outbox (status, run_after);

-- Who did what, when, from where. Append-only: kept even when a draft letter is deleted.
CREATE TABLE audit_events (
    id TEXT PRIMARY KEY NOT NULL,
    letter_id TEXT,
    invitation_id TEXT,
    actor_user_id TEXT,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}',
    ip TEXT,
    user_agent TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX audit_events_letter ON audit_events (letter_id, created_at);
CREATE FUNCTION undersigned_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION undersigned_refuse_change();

-- The frozen snapshots that were published: revision 1 at release, one more per later change.
CREATE TABLE releases (
    id TEXT PRIMARY KEY NOT NULL,
    letter_id TEXT NOT NULL REFERENCES letters (id),
    revision INTEGER NOT NULL CHECK (revision >= 1),
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    addressee TEXT NOT NULL,
    body_html TEXT NOT NULL,
    content_sha256 TEXT NOT NULL CHECK (length(content_sha256) = 64),
    signatories TEXT NOT NULL,
    manifest TEXT NOT NULL,
    manifest_sha256 TEXT NOT NULL CHECK (length(manifest_sha256) = 64),
    signature TEXT NOT NULL,
    change_note TEXT,
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    released_at TIMESTAMP NOT NULL,
    UNIQUE (letter_id, revision)
);
CREATE TRIGGER releases_immutable BEFORE UPDATE ON releases
    FOR EACH ROW EXECUTE FUNCTION undersigned_refuse_change();
