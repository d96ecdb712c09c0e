-- 0005_people.sql -- people, their sessions, one-time tokens, API tokens,
-- profiles, and the settings the server keeps in the database so that every
-- node shares them (the CSRF key).  Times are INTEGER unix seconds.
CREATE TABLE people (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,           -- domain lower-cased on input
  name TEXT NOT NULL,
  password_hash TEXT,                   -- argon2id (libsodium); NULL: none yet
  role TEXT NOT NULL DEFAULT 'member'
    CHECK (role IN ('member', 'editor', 'admin')),
  email_verified_at INTEGER,
  created_at INTEGER NOT NULL,
  disabled_at INTEGER,
  -- profile
  country TEXT,                         -- ISO 3166-1 alpha-2
  languages TEXT NOT NULL DEFAULT '',   -- comma-separated, as typed
  expertise TEXT NOT NULL DEFAULT '',   -- comma-separated free tags
  visibility TEXT NOT NULL DEFAULT 'members'
    CHECK (visibility IN ('public', 'members', 'hidden')),
  show_email INTEGER NOT NULL DEFAULT 0,
  show_country INTEGER NOT NULL DEFAULT 1,
  show_expertise INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE person_focal_areas (
  person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  focal_area_id INTEGER NOT NULL REFERENCES focal_areas (id) ON DELETE CASCADE,
  PRIMARY KEY (person_id, focal_area_id)
);

CREATE TABLE sessions (
  id INTEGER PRIMARY KEY,
  hash TEXT NOT NULL UNIQUE,            -- SHA-256 of the cookie's token
  person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  client TEXT NOT NULL,
  user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_person ON sessions (person_id);

-- Links sent by e-mail: verify an address, reset a password, confirm a new
-- address, sign in once (the first admin).  Each works once and expires.
CREATE TABLE one_time_tokens (
  hash TEXT PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  purpose TEXT NOT NULL CHECK (purpose IN ('verify', 'reset', 'email', 'signin')),
  data TEXT,                            -- 'email': the new address
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);
CREATE INDEX one_time_tokens_person ON one_time_tokens (person_id, purpose);

CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at INTEGER
);
CREATE INDEX api_tokens_person ON api_tokens (person_id);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
