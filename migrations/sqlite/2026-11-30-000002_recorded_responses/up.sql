-- How an answer arrived: through the organization's sign link, or recorded by a coordinator
-- from an email, a phone call, a paper letter or a meeting, with what shows it (`evidence`)
-- and the account that recorded it.
ALTER TABLE responses ADD COLUMN channel TEXT NOT NULL DEFAULT 'sign_link'
    CHECK (channel IN ('sign_link', 'email', 'phone', 'paper', 'meeting'));
ALTER TABLE responses ADD COLUMN evidence TEXT;
ALTER TABLE responses ADD COLUMN recorded_by TEXT REFERENCES users (id) ON DELETE SET NULL;
