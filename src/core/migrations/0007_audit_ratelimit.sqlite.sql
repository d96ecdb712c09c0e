-- 0007_audit_ratelimit.sqlite.sql -- the audit log (core/audit.c) and the
-- rate-limit counters (core/ratelimit.c); 0007_audit_ratelimit.pg.sql is
-- the same on PostgreSQL, whose triggers are written otherwise.
--
-- audit_log: one row per change a person (or the system, actor 0) makes.
-- `at` is UTC ISO-8601 'YYYY-MM-DDTHH:MM:SSZ', so text order is time order
-- and a date filter is a plain comparison.  before_json/after_json hold
-- compact JSON with sorted keys, or NULL.  actor is a person's id, but not
-- a foreign key: the log outlives the people it names.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor INTEGER NOT NULL DEFAULT 0,
  action TEXT NOT NULL,
  object_type TEXT,
  object_id TEXT,
  before_json TEXT,
  after_json TEXT,
  client TEXT
);
-- newest first and date ranges; the others for "what did this person do"
-- and "the history of this object".
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor, at);
CREATE INDEX audit_log_action ON audit_log (action, at);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id, at);

-- Append-only for the application: UPDATE and DELETE abort.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- rate_limits: one fixed window per key.  window_start is unix seconds
-- (the first event of the window); count is the events counted in it.
CREATE TABLE rate_limits (
  key TEXT PRIMARY KEY,
  window_start INTEGER NOT NULL,
  count INTEGER NOT NULL
);
-- for ratelimit_prune: forgetting windows long past
CREATE INDEX rate_limits_window ON rate_limits (window_start);
