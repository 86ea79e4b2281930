-- The language the coordinators chose for an invitation (BCP 47), empty when they did not:
-- its emails and sign page are then in the partner's browser's language, else the letter's.
ALTER TABLE invitations ADD COLUMN language TEXT;
