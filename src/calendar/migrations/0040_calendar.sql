-- 0040_calendar.sql -- the calendar (src/calendar/, issue 14): meetings
-- of every kind, their recurrence (RFC 5545, expanded by libical, never
-- stored as copies), registration with a waiting list, minutes and their
-- versions, and the secrets of personal feeds.  Times are unix seconds
-- unless named *_local: a wall-clock time 'YYYY-MM-DDTHH:MM:SS' (or the
-- date 'YYYY-MM-DD' of an all-day meeting) in the meeting's IANA
-- time_zone, which is what RRULE counts in (a weekly 10:00 in Vienna stays
-- 10:00 across the change of daylight saving time).  The *_utc columns are
-- derived from them when a row is written, for ordering and range queries.
-- The bodies are the site's table (site/migrations/0002: CCPCJ, UNTOC
-- COP, Crime Congress, UNCAC CoSP, General Assembly, ECOSOC, ...).
--
-- Visibility: 'public', 'members' (people of member organisations) or
-- 'team' (a working party's team, with party_id set; the secretariat
-- always sees everything).
CREATE TABLE meetings (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  uid TEXT NOT NULL UNIQUE,          -- iCalendar UID; an import keeps its own
  sequence INTEGER NOT NULL DEFAULT 0,  -- iCalendar SEQUENCE, +1 a change
  title TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('session', 'alliance', 'party',
    'side-event', 'sprint', 'deadline')),
  body_id INTEGER REFERENCES bodies (id),
  session_number INTEGER,            -- "the 35th session"
  parent_id INTEGER REFERENCES meetings (id) ON DELETE SET NULL,
                                     -- a deadline's session
  party_id INTEGER REFERENCES parties (id) ON DELETE SET NULL,
  time_zone TEXT NOT NULL,           -- IANA, 'Europe/Vienna'
  all_day INTEGER NOT NULL DEFAULT 0,
  starts_local TEXT NOT NULL,        -- the first occurrence
  ends_local TEXT NOT NULL,
  starts_utc INTEGER NOT NULL,
  ends_utc INTEGER NOT NULL,
  rrule TEXT,                        -- RRULE value ('FREQ=MONTHLY;...');
                                     -- NULL: one occurrence
  last_ends_utc INTEGER,             -- end of the last occurrence; NULL:
                                     -- the rule never ends
  place TEXT NOT NULL DEFAULT '',
  mode TEXT NOT NULL DEFAULT 'in-person'
    CHECK (mode IN ('in-person', 'online', 'blended')),
  online_url TEXT,                   -- shown to registered people only
  agenda_md TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'confirmed'
    CHECK (status IN ('tentative', 'confirmed', 'cancelled')),
  visibility TEXT NOT NULL DEFAULT 'public'
    CHECK (visibility IN ('public', 'members', 'team')),
  registration TEXT NOT NULL DEFAULT 'none'
    CHECK (registration IN ('none', 'everyone', 'members', 'team')),
  capacity INTEGER,                  -- NULL: no limit
  registration_closes_utc INTEGER,   -- NULL: until it starts
  history INTEGER NOT NULL DEFAULT 0, -- seeded or imported record of the
                                      -- past: no registration
  created_by INTEGER REFERENCES people (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX meetings_range ON meetings (starts_utc, last_ends_utc);
CREATE INDEX meetings_body ON meetings (body_id, starts_utc);
CREATE INDEX meetings_party ON meetings (party_id, starts_utc);
CREATE INDEX meetings_parent ON meetings (parent_id);

-- EXDATE: occurrences of a series that do not happen (their local start).
CREATE TABLE meeting_exdates (
  meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  occurrence_local TEXT NOT NULL,
  PRIMARY KEY (meeting_id, occurrence_local)
);

-- RECURRENCE-ID: one occurrence changed (moved, another place, a note)
-- or cancelled; recurrence_local is its original local start.
CREATE TABLE meeting_overrides (
  meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  recurrence_local TEXT NOT NULL,
  starts_local TEXT NOT NULL,
  ends_local TEXT NOT NULL,
  starts_utc INTEGER NOT NULL,
  ends_utc INTEGER NOT NULL,
  place TEXT,                        -- NULL: the series' own
  note TEXT NOT NULL DEFAULT '',
  cancelled INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (meeting_id, recurrence_local)
);

CREATE TABLE meeting_focal_areas (
  meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  focal_area_id INTEGER NOT NULL REFERENCES focal_areas (id),
  PRIMARY KEY (meeting_id, focal_area_id)
);
CREATE INDEX meeting_focal_areas_area ON meeting_focal_areas (focal_area_id);

-- Documents: a link, a file in the data folder, or a library item.
CREATE TABLE meeting_documents (
  id INTEGER PRIMARY KEY,
  meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('link', 'file', 'library')),
  title TEXT NOT NULL,
  url TEXT,
  stored_path TEXT,
  file_name TEXT,
  content_type TEXT,
  size INTEGER,
  library_ref TEXT,
  created_by INTEGER REFERENCES people (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX meeting_documents_meeting ON meeting_documents (meeting_id);

-- Registration for a meeting, or for one occurrence of a series
-- (occurrence_local; '' for a single meeting).  'waiting' rows move up
-- in the order they came (created_at, id) when a place frees.
CREATE TABLE registrations (
  id INTEGER PRIMARY KEY,
  meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  occurrence_local TEXT NOT NULL DEFAULT '',
  person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  state TEXT NOT NULL CHECK (state IN ('registered', 'waiting',
    'cancelled')),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  reminded_at INTEGER,
  attended INTEGER,                  -- NULL: not recorded; 0 or 1
  UNIQUE (meeting_id, occurrence_local, person_id)
);
CREATE INDEX registrations_meeting
  ON registrations (meeting_id, occurrence_local, state, created_at);
CREATE INDEX registrations_person ON registrations (person_id, state);

-- Minutes of a meeting (or of one occurrence): every version kept;
-- the newest is the text, approved once the organiser approves it.
CREATE TABLE meeting_minutes (
  meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  occurrence_local TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL,
  body_md TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft',
    'approved')),
  author_id INTEGER REFERENCES people (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  approved_by INTEGER REFERENCES people (id) ON DELETE SET NULL,
  approved_at INTEGER,
  PRIMARY KEY (meeting_id, occurrence_local, version)
);

-- A person's feed of what they registered for, behind a secret URL
-- (stored as the SHA-256 of its token, like every secret); renewing it
-- replaces the row, so the old URL stops working.
CREATE TABLE calendar_feeds (
  person_id INTEGER PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);
