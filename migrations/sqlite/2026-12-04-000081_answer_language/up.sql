-- What a partner read when answering: the translation's language and its version (both empty
-- when they read the letter's own, authoritative text). The answer stays bound to the
-- authoritative version and its SHA-256 (`version`, `content_sha256`), which the translation
-- matched when it was read.
ALTER TABLE responses ADD COLUMN language TEXT;
ALTER TABLE responses ADD COLUMN translation_version INTEGER;
