-- Responses that came through open sign-on cannot be kept under the narrower CHECK.
CREATE TABLE responses_new (
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
    submission_key TEXT UNIQUE,
    ip TEXT,
    user_agent TEXT,
    created_at TIMESTAMP NOT NULL,
    channel TEXT NOT NULL DEFAULT 'sign_link'
        CHECK (channel IN ('sign_link', 'email', 'phone', 'paper', 'meeting')),
    evidence TEXT,
    recorded_by TEXT REFERENCES users (id) ON DELETE SET NULL
);
INSERT INTO responses_new (id, invitation_id, letter_id, decision, version, content_sha256,
                           signer_name, signer_title, organization_display_name, comment,
                           submission_key, ip, user_agent, created_at, channel, evidence,
                           recorded_by)
SELECT id, invitation_id, letter_id, decision, version, content_sha256, signer_name,
       signer_title, organization_display_name, comment, submission_key, ip, user_agent,
       created_at, channel, evidence, recorded_by
FROM responses WHERE channel <> 'open_sign_on';
DROP TABLE responses;
ALTER TABLE responses_new RENAME TO responses;
CREATE INDEX responses_invitation ON responses (invitation_id, created_at);
CREATE INDEX responses_letter ON responses (letter_id, created_at);
