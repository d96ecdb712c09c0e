-- 0049_statement_notices.sql -- the letters that told the main contacts
-- of member organisations a statement is open for their endorsement
-- (src/statements/notices.c): one row a statement and person, written in
-- the transaction that puts the letter in the outbox, so a job run again
-- (or taken over by another node) never sends a person a second one, and
-- a statement opened again tells only those not told yet.
CREATE TABLE statement_notices (
  statement_id INTEGER NOT NULL REFERENCES statements (id)
    ON DELETE CASCADE,
  person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  sent_at INTEGER NOT NULL,
  PRIMARY KEY (statement_id, person_id)
);
