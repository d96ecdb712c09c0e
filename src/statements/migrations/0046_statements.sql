-- 0046_statements.sql -- civil society statements (src/statements/): a
-- statement the Alliance makes to a UN body or meeting, drafted by the
-- secretariat (or a working party, named), opened to the member
-- organisations for endorsement until a closing date, then closed; the
-- organisations that endorsed it are its signatories.  Times are unix
-- seconds, dates 'YYYY-MM-DD'.  A slug never changes.
CREATE TABLE statements (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  summary TEXT NOT NULL DEFAULT '',
  body_md TEXT NOT NULL DEFAULT '',
  occasion TEXT NOT NULL DEFAULT '',    -- where it is (was) delivered, as
                                        -- people read it
  year INTEGER,                         -- the year of that occasion
  un_body_id INTEGER REFERENCES bodies (id) ON DELETE SET NULL,
  party_id INTEGER REFERENCES parties (id) ON DELETE SET NULL,
  state TEXT NOT NULL DEFAULT 'draft'
    CHECK (state IN ('draft', 'open', 'closed')),
  closes_on TEXT,                       -- endorsements accepted through
                                        -- this day (UTC); NULL: until
                                        -- the secretariat closes it
  created_by INTEGER REFERENCES people (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  opened_at INTEGER,
  closed_at INTEGER
);
CREATE INDEX statements_state ON statements (state, year);

-- One row an organisation: it endorses the statement; person_id is who
-- did so for it (its main contact, or the secretariat recording an
-- endorsement received otherwise), seen only by the secretariat.
CREATE TABLE statement_endorsements (
  statement_id INTEGER NOT NULL REFERENCES statements (id)
    ON DELETE CASCADE,
  organisation_id INTEGER NOT NULL REFERENCES organisations (id)
    ON DELETE CASCADE,
  person_id INTEGER REFERENCES people (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (statement_id, organisation_id)
);
CREATE INDEX statement_endorsements_organisation
  ON statement_endorsements (organisation_id);
