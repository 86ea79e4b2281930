-- Webhooks: HTTPS endpoints of the coalition's other tools, told of what happens to a letter
-- (`letter_id`) or to every letter (`letter_id` NULL, registered by an admin). The signing
-- secret is never stored: it is derived from the server secret, the id and `secret_nonce`.
-- Deliveries are outbox jobs of kind `webhook` whose `recipient` is the webhook's id.
CREATE TABLE webhooks (
    id TEXT PRIMARY KEY NOT NULL,
    letter_id TEXT REFERENCES letters (id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    events TEXT NOT NULL,
    secret_nonce TEXT NOT NULL,
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX webhooks_by_letter ON webhooks (letter_id);
CREATE INDEX outbox_by_recipient ON outbox (recipient, created_at);
