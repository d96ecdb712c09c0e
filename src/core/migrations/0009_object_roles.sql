-- 0009_object_roles.sql -- roles a person holds on one object: chair of a
-- working party, representative of an organisation, curator of a
-- collection.  Features grant them; auth_permits() reads them.
CREATE TABLE object_roles (
  person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  object_type TEXT NOT NULL,
  object_id TEXT NOT NULL,
  role TEXT NOT NULL,
  granted_at INTEGER NOT NULL,
  PRIMARY KEY (person_id, object_type, object_id, role)
);
CREATE INDEX object_roles_object ON object_roles (object_type, object_id);
