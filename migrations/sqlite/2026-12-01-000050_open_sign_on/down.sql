DROP TABLE sign_on_requests;
ALTER TABLE releases DROP COLUMN individuals;
ALTER TABLE letters DROP COLUMN individuals_heading;
ALTER TABLE letters DROP COLUMN accept_individuals;
ALTER TABLE letters DROP COLUMN open_sign_on;
