-- An organization approved from a request to join answered through the letter's sign-on page:
-- its response's channel is `open_sign_on`.
ALTER TABLE responses DROP CONSTRAINT responses_channel_check;
ALTER TABLE responses ADD CONSTRAINT responses_channel_check
    CHECK (channel IN ('sign_link', 'email', 'phone', 'paper', 'meeting', 'open_sign_on'));
