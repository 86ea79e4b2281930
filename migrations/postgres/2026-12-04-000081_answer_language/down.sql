ALTER TABLE responses DROP COLUMN translation_version;
ALTER TABLE responses DROP COLUMN language;
