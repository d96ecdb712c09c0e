-- 0012_application_messages.pg.sql -- 0012_application_messages.sqlite.sql on
-- PostgreSQL: the same table, index and pledge column; the questions
-- already in the audit log are read with PostgreSQL's JSON operator and
-- epoch instead of SQLite's json_extract and strftime('%s').
CREATE TABLE application_messages (
  id INTEGER PRIMARY KEY,
  application_id INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('question', 'answer')),
  body TEXT NOT NULL,
  author_id INTEGER REFERENCES people (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  token_hash TEXT UNIQUE,               -- questions asked with a link
  expires_at INTEGER,
  used_at INTEGER
);
CREATE INDEX application_messages_application
  ON application_messages (application_id, id);

INSERT INTO application_messages (application_id, kind, body, author_id,
  created_at)
SELECT a.id, 'question', CAST(l.after_json AS json) ->> 'question',
  (SELECT p.id FROM people p WHERE p.id = l.actor),
  CAST(EXTRACT(EPOCH FROM CAST(l.at AS timestamptz)) AS BIGINT)
FROM audit_log l
JOIN applications a ON a.id = CAST(l.object_id AS BIGINT)
WHERE l.action = 'application.ask' AND l.object_type = 'application'
  AND CAST(l.after_json AS json) ->> 'question' IS NOT NULL
ORDER BY l.id;

ALTER TABLE pledges ADD COLUMN consent_at INTEGER;
UPDATE pledges SET consent_at = created_at WHERE consent_at IS NULL;
