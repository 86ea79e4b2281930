DROP TABLE coordinating_organization;
