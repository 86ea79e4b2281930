-- The sign page shows partners the first organizations, by name, that signed the current text
-- (when the letter shows them): read in name order from this index and stopped after a page,
-- it costs the same for a letter of 100 signatories as for one of 100,000.
CREATE INDEX invitations_signed_by_name ON invitations (letter_id, status, approved_version, display_name);
