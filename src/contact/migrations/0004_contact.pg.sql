-- 0004_contact.pg.sql -- messages sent with the public contact form, on
-- PostgreSQL: 0004_contact.sqlite.sql but for the default of created_at,
-- the same UTC text 'YYYY-MM-DD HH:MM:SS' SQLite's CURRENT_TIMESTAMP
-- gives (contact.c compares it as text).
CREATE TABLE contact_messages (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  email TEXT NOT NULL,
  organisation TEXT,
  subject TEXT NOT NULL,
  message TEXT NOT NULL,
  attachment_path TEXT,
  attachment_name TEXT,
  attachment_type TEXT,
  attachment_size INTEGER,
  client TEXT NOT NULL,
  created_at TEXT NOT NULL
    DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'),
  handled_at TEXT
);
CREATE INDEX contact_messages_created ON contact_messages (created_at);
