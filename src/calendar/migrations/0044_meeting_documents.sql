-- 0044_meeting_documents.sql -- a meeting's documents (src/calendar/
-- documents.c) each say what they are, in words people read: the agenda,
-- a report, a statement, a presentation, background reading or other.
ALTER TABLE meeting_documents ADD COLUMN category TEXT NOT NULL DEFAULT 'other'
  CHECK (category IN ('agenda', 'report', 'statement', 'presentation',
                      'background', 'other'));
