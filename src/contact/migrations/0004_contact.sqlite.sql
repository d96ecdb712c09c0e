-- 0004_contact.sqlite.sql -- messages sent with the public contact form
-- (0004_contact.pg.sql: the same on PostgreSQL).
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
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  handled_at TEXT
);
CREATE INDEX contact_messages_created ON contact_messages (created_at);
