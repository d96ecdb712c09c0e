-- 0016_representative_invitations.sql -- a person who has an account
-- already is asked, not added: the main contact's invitation waits here
-- until the person accepts it with the link mailed to them (only the
-- SHA-256 of the link's token is kept, as for one-time links), and the
-- representatives page lists it as "invited".  Inviting again replaces the
-- link; accepting deletes the row and adds the representative.
CREATE TABLE representative_invitations (
  id INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  invited_by INTEGER REFERENCES people (id) ON DELETE SET NULL,
  hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  UNIQUE (organisation_id, person_id)
);
