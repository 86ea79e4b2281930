-- Accounts that can be recovered and protected.
-- An invited account waits for its colleague to choose a password (pending_since set: it
-- cannot log in). A second factor by TOTP: the secret sealed with the server secret (a copy of
-- the database alone does not give it), the time it was turned on, and the last time step used
-- (a code is never accepted twice).
ALTER TABLE users ADD COLUMN pending_since TIMESTAMP;
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_enabled_at TIMESTAMP;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT;

-- One-time links sent by email: an invitation to choose a first password, or a password reset.
-- The token is derived from the server secret and the nonce when the email is rendered; only
-- its SHA-256 is kept, to find the link when it is followed.
CREATE TABLE account_links (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('invitation', 'password_reset')),
    nonce TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX account_links_user ON account_links (user_id);

-- Recovery codes of the second factor, by their SHA-256; each works once.
CREATE TABLE recovery_codes (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL CHECK (length(code_hash) = 64),
    used_at TIMESTAMP
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);

-- A login between its password and its second factor (or its enrolment, when the second
-- factor is required): no session exists yet. Found by the SHA-256 of the browser's cookie.
CREATE TABLE login_challenges (
    id TEXT PRIMARY KEY NOT NULL,
    token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('code', 'enrol')),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    ip TEXT,
    user_agent TEXT
);
CREATE INDEX login_challenges_user ON login_challenges (user_id);
