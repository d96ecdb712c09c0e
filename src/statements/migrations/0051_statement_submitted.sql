-- 0051_statement_submitted.sql -- a working party drafts a statement
-- (src/statements/drafting.c) and asks the secretariat to open it: when
-- it asked (NULL: not yet, or a draft of the secretariat's own).
ALTER TABLE statements ADD COLUMN submitted_at INTEGER;
