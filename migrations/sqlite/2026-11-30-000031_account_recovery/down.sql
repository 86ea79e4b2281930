DROP TABLE login_challenges;
DROP TABLE recovery_codes;
DROP TABLE account_links;
ALTER TABLE users DROP COLUMN totp_last_step;
ALTER TABLE users DROP COLUMN totp_enabled_at;
ALTER TABLE users DROP COLUMN totp_secret;
ALTER TABLE users DROP COLUMN pending_since;
