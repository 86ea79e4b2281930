DELETE FROM responses WHERE channel = 'open_sign_on';
ALTER TABLE responses DROP CONSTRAINT responses_channel_check;
ALTER TABLE responses ADD CONSTRAINT responses_channel_check
    CHECK (channel IN ('sign_link', 'email', 'phone', 'paper', 'meeting'));
