-- One-time links that create the first admin account in the browser (printed by `serve` when
-- no account exists). Only the token's SHA-256 is kept.
CREATE TABLE setup_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
