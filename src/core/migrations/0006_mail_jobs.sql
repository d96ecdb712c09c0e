-- 0006_mail_jobs.sql -- the mail outbox (core/mail.c) and background jobs
-- (core/jobs.c).  Times are INTEGER unix seconds (UTC), as in 0005.
--
-- outbox: one row per message.  `message` is the whole RFC 5322 text as it
-- is sent (CRLF line ends, 7-bit), so a retry sends the same bytes and the
-- admin sees exactly what went out.  `file` is the .eml path relative to
-- the data folder when the message was written to disk instead of sent.
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  to_addr TEXT NOT NULL,
  to_name TEXT,
  subject TEXT NOT NULL,
  message TEXT NOT NULL,
  message_id TEXT NOT NULL,             -- without the angle brackets
  status TEXT NOT NULL DEFAULT 'queued'
    CHECK (status IN ('queued', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  sent_at INTEGER,
  next_attempt_at INTEGER,
  file TEXT
);
CREATE INDEX outbox_status ON outbox (status, created_at);

-- jobs: work for the runners.  A runner takes a job by setting
-- status 'running' with its name in lease_owner and lease_until a few
-- minutes ahead, in one transaction; a job whose lease has run out (its
-- runner died) is due again.  attempts counts the times it was taken.
CREATE TABLE jobs (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  payload TEXT NOT NULL DEFAULT '',
  run_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL DEFAULT 5,
  lease_owner TEXT,
  lease_until INTEGER,
  status TEXT NOT NULL DEFAULT 'queued'
    CHECK (status IN ('queued', 'running', 'done', 'failed')),
  last_error TEXT,
  created_at INTEGER NOT NULL,
  done_at INTEGER
);
-- the runner's two questions: which queued jobs are due, which running
-- jobs have lost their lease
CREATE INDEX jobs_due ON jobs (status, run_at);
CREATE INDEX jobs_lease ON jobs (status, lease_until);
