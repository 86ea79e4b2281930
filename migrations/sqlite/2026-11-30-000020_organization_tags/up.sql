-- Groups of the address book ("Africa network", "UN Geneva"): an organization may carry any
-- number of tags; a tag is matched by its folded key, shown as first typed.
CREATE TABLE organization_tags (
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    tag TEXT NOT NULL CHECK (length(tag) > 0),
    tag_key TEXT NOT NULL CHECK (length(tag_key) > 0),
    PRIMARY KEY (organization_id, tag_key)
);
CREATE INDEX organization_tags_key ON organization_tags (tag_key);
-- Listing invitations of an organization (merging, deleting) and contacts by organization.
CREATE INDEX invitations_organization ON invitations (organization_id);
