-- 0033_parties.sql -- the working parties (src/parties/): their life from
-- proposal to archive, their charter and its versions, the focal areas
-- they serve, and their work (join requests and invitations, the interim
-- meeting schedule, resources, reports, articles, notices, decisions).
-- Times are unix seconds.  The team is not a table here: a person's role
-- in a party is an object role (core/migrations/0009_object_roles.sql:
-- object_type 'party', object_id the party's slug, role 'chair',
-- 'co-chair', 'rapporteur', 'member', 'expert' or 'observer'), which the
-- routes' permission checks read (auth_permits).  A slug never changes.
--
-- Visibility of a part (rules of engagement, the team, an item): 'public'
-- (everyone), 'members' (people whose organisation is a member of the
-- Alliance, and the team) or 'team' (the party's team and the
-- secretariat).
CREATE TABLE parties (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  summary TEXT NOT NULL DEFAULT '',
  rationale_md TEXT NOT NULL DEFAULT '',   -- why it was proposed
  objectives_md TEXT NOT NULL DEFAULT '',  -- the charter now (versions
  rules_md TEXT NOT NULL DEFAULT '',       -- in party_charter_versions)
  charter_version INTEGER NOT NULL DEFAULT 0,
  state TEXT NOT NULL DEFAULT 'proposed'
    CHECK (state IN ('proposed', 'rejected', 'active', 'dissolved',
                     'archived')),
  join_policy TEXT NOT NULL DEFAULT 'approval'
    CHECK (join_policy IN ('open', 'approval')),
  rules_visibility TEXT NOT NULL DEFAULT 'public'
    CHECK (rules_visibility IN ('public', 'members', 'team')),
  team_visibility TEXT NOT NULL DEFAULT 'members'
    CHECK (team_visibility IN ('public', 'members', 'team')),
  initial_team TEXT NOT NULL DEFAULT '',   -- e-mail addresses, one a line,
                                           -- as proposed
  formed TEXT,                             -- 'YYYY' or 'YYYY-MM-DD' when
                                           -- known (seeded history: NULL)
  proposed_by INTEGER REFERENCES people (id) ON DELETE SET NULL,
  proposed_at INTEGER,                     -- NULL: seeded history
  decided_by INTEGER REFERENCES people (id) ON DELETE SET NULL,
  approved_at INTEGER,
  rejected_at INTEGER,
  rejection_reason TEXT,
  dissolved_at INTEGER,
  dissolution_reason TEXT,
  closing_report_md TEXT,
  archived_at INTEGER,
  updated_at INTEGER NOT NULL
);
CREATE INDEX parties_state ON parties (state, name);

-- Every version of the charter, the current one included (version =
-- parties.charter_version); note says what changed.
CREATE TABLE party_charter_versions (
  party_id INTEGER NOT NULL REFERENCES parties (id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  objectives_md TEXT NOT NULL,
  rules_md TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  author_id INTEGER REFERENCES people (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (party_id, version)
);

CREATE TABLE party_focal_areas (
  party_id INTEGER NOT NULL REFERENCES parties (id) ON DELETE CASCADE,
  focal_area_id INTEGER NOT NULL REFERENCES focal_areas (id),
  PRIMARY KEY (party_id, focal_area_id)
);
CREATE INDEX party_focal_areas_area ON party_focal_areas (focal_area_id);

-- A person asks to join ('request'), or a chair invites a person
-- ('invitation'), for a role; answered once.
CREATE TABLE party_requests (
  id INTEGER PRIMARY KEY,
  party_id INTEGER NOT NULL REFERENCES parties (id) ON DELETE CASCADE,
  person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('request', 'invitation')),
  role TEXT NOT NULL DEFAULT 'member'
    CHECK (role IN ('chair', 'co-chair', 'rapporteur', 'member', 'expert',
                    'observer')),
  message TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT 'pending'
    CHECK (state IN ('pending', 'accepted', 'declined', 'withdrawn')),
  created_by INTEGER REFERENCES people (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  decided_by INTEGER REFERENCES people (id) ON DELETE SET NULL,
  decided_at INTEGER
);
CREATE INDEX party_requests_party ON party_requests (party_id, state);
CREATE INDEX party_requests_person ON party_requests (person_id, state);

-- The party's meeting schedule until the calendar takes it over: dated
-- entries ('YYYY-MM-DD', a time 'HH:MM' and its IANA zone when known).
CREATE TABLE party_meetings (
  id INTEGER PRIMARY KEY,
  party_id INTEGER NOT NULL REFERENCES parties (id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  starts_on TEXT NOT NULL,
  starts_at_time TEXT,
  time_zone TEXT,
  place TEXT NOT NULL DEFAULT '',
  note_md TEXT NOT NULL DEFAULT '',
  visibility TEXT NOT NULL DEFAULT 'public'
    CHECK (visibility IN ('public', 'members', 'team')),
  created_by INTEGER REFERENCES people (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX party_meetings_party ON party_meetings (party_id, starts_on);

-- Resources: an external link, a file in the data folder (stored_path,
-- relative), or an item of the resource library (library_ref, when the
-- library lands); each with a note.
CREATE TABLE party_resources (
  id INTEGER PRIMARY KEY,
  party_id INTEGER NOT NULL REFERENCES parties (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('link', 'file', 'library')),
  title TEXT NOT NULL,
  url TEXT,
  stored_path TEXT,
  file_name TEXT,
  content_type TEXT,
  size INTEGER,
  library_ref TEXT,
  note TEXT NOT NULL DEFAULT '',
  visibility TEXT NOT NULL DEFAULT 'public'
    CHECK (visibility IN ('public', 'members', 'team')),
  created_by INTEGER REFERENCES people (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX party_resources_party ON party_resources (party_id, created_at);

-- Reports to the Alliance: draft (the team), submitted (shown as its
-- visibility says), acknowledged by the secretariat.
CREATE TABLE party_reports (
  id INTEGER PRIMARY KEY,
  party_id INTEGER NOT NULL REFERENCES parties (id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  period TEXT NOT NULL DEFAULT '',
  body_md TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT 'draft'
    CHECK (state IN ('draft', 'submitted', 'acknowledged')),
  visibility TEXT NOT NULL DEFAULT 'public'
    CHECK (visibility IN ('public', 'members', 'team')),
  created_by INTEGER REFERENCES people (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  submitted_by INTEGER REFERENCES people (id) ON DELETE SET NULL,
  submitted_at INTEGER,
  acknowledged_by INTEGER REFERENCES people (id) ON DELETE SET NULL,
  acknowledged_at INTEGER,
  acknowledgement TEXT
);
CREATE INDEX party_reports_party ON party_reports (party_id, state);
CREATE INDEX party_reports_submitted ON party_reports (state, submitted_at);

-- Articles: draft (the team) -> published (everyone: the party's page,
-- the site's news and the Atom feeds).  slug unique within the party.
CREATE TABLE party_articles (
  id INTEGER PRIMARY KEY,
  party_id INTEGER NOT NULL REFERENCES parties (id) ON DELETE CASCADE,
  slug TEXT NOT NULL,
  title TEXT NOT NULL,
  summary TEXT NOT NULL DEFAULT '',
  body_md TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT 'draft'
    CHECK (state IN ('draft', 'published')),
  author_id INTEGER REFERENCES people (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  published_at INTEGER,
  UNIQUE (party_id, slug)
);
CREATE INDEX party_articles_published ON party_articles (state, published_at);

-- Notices a chair sent to the team (the messages themselves go through
-- the outbox, one per person).
CREATE TABLE party_notices (
  id INTEGER PRIMARY KEY,
  party_id INTEGER NOT NULL REFERENCES parties (id) ON DELETE CASCADE,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  sent_by INTEGER REFERENCES people (id) ON DELETE SET NULL,
  sent_at INTEGER NOT NULL,
  recipients INTEGER NOT NULL
);
CREATE INDEX party_notices_party ON party_notices (party_id, sent_at);

-- Decisions (after Loomio's proposals): open until closes_at, then closed
-- with the count; a person's vote is one row, changed until it closes.
CREATE TABLE party_decisions (
  id INTEGER PRIMARY KEY,
  party_id INTEGER NOT NULL REFERENCES parties (id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  body_md TEXT NOT NULL DEFAULT '',
  closes_at INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
  created_by INTEGER REFERENCES people (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  closed_at INTEGER,
  outcome TEXT,
  agree INTEGER,
  abstain INTEGER,
  disagree INTEGER,
  block INTEGER
);
CREATE INDEX party_decisions_party ON party_decisions (party_id, state);
CREATE INDEX party_decisions_open ON party_decisions (state, closes_at);
CREATE TABLE party_votes (
  decision_id INTEGER NOT NULL
    REFERENCES party_decisions (id) ON DELETE CASCADE,
  person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  position TEXT NOT NULL
    CHECK (position IN ('agree', 'abstain', 'disagree', 'block')),
  reason TEXT NOT NULL DEFAULT '',
  voted_at INTEGER NOT NULL,
  PRIMARY KEY (decision_id, person_id)
);
