DROP INDEX invitations_organization;
DROP TABLE organization_tags;
