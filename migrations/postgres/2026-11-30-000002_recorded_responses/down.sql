ALTER TABLE responses DROP COLUMN recorded_by;
ALTER TABLE responses DROP COLUMN evidence;
ALTER TABLE responses DROP COLUMN channel;
