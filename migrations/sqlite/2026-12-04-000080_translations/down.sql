DROP TABLE letter_translations;
ALTER TABLE letters DROP COLUMN language;
