-- 0012_application_messages.sql -- the conversation between the
-- secretariat and an applicant, and the consent of a pledge.
--
-- application_messages: every question the secretariat asks about an
-- application ("ask", status more-info) and every answer the applicant
-- gives on the page the question's e-mail links to (/join/answer/TOKEN,
-- members/answer.c), in the order they were written, so several rounds
-- are possible and the review page shows them all.  A question carries its
-- link: only the SHA-256 digest of the random token (core/auth.c's
-- auth_token_new/auth_token_digest), when it stops working (expires_at,
-- or earlier when a newer question replaces it) and when it was answered
-- (used_at: the link works once).  author_id is the secretariat's person
-- who asked (NULL when that person is gone, and for answers, which come
-- from the application's applicant).
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

-- The questions asked before this migration were e-mailed without a link
-- (answers came by e-mail); each is in the audit log with who asked and
-- when, so the conversation starts with them.  They have no token: a new
-- question sends a link.
INSERT INTO application_messages (application_id, kind, body, author_id,
  created_at)
SELECT a.id, 'question', json_extract(l.after_json, '$.question'),
  (SELECT p.id FROM people p WHERE p.id = l.actor),
  CAST(strftime('%s', l.at) AS INTEGER)
FROM audit_log l
JOIN applications a ON a.id = CAST(l.object_id AS INTEGER)
WHERE l.action = 'application.ask' AND l.object_type = 'application'
  AND json_extract(l.after_json, '$.question') IS NOT NULL
ORDER BY l.id;

-- pledges.consent_at: when the sponsor agreed to the privacy policy.  The
-- pledge form has required that agreement since pledges exist (a pledge
-- without it was never stored), so each existing pledge was agreed to when
-- it was made: old rows get created_at rather than NULL, and no row says
-- "no consent" that had one.  The column stays nullable only because
-- ALTER TABLE cannot add a NOT NULL column without a default; every new
-- pledge writes it.
ALTER TABLE pledges ADD COLUMN consent_at INTEGER;
UPDATE pledges SET consent_at = created_at WHERE consent_at IS NULL;
