-- Letters in several languages. A letter's own text is authoritative, in `letters.language`
-- (a BCP 47 tag); each translation is a versioned text of its own with its SHA-256, saying
-- which version of the authoritative text it matches. A translation is out of date when the
-- authoritative text changed substantively after that version; one offered to partners then
-- blocks the release.
ALTER TABLE letters ADD COLUMN language TEXT NOT NULL DEFAULT 'en';

CREATE TABLE letter_translations (
    id TEXT PRIMARY KEY NOT NULL,
    letter_id TEXT NOT NULL REFERENCES letters (id) ON DELETE CASCADE,
    language TEXT NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1),
    title TEXT NOT NULL,
    addressee TEXT NOT NULL,
    body_markdown TEXT NOT NULL,
    content_sha256 TEXT NOT NULL CHECK (length(content_sha256) = 64),
    matches_version INTEGER NOT NULL CHECK (matches_version >= 1),
    offered BOOLEAN NOT NULL DEFAULT TRUE,
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (letter_id, language, version)
);
