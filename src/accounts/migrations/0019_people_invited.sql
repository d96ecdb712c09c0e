-- 0019_people_invited.sql -- what the secretariat's people desk shows of an
-- account (src/accounts/people.c): when the person was last invited by mail
-- (a sign-in link valid 7 days, sent on approval, by a main contact, again
-- from the desk or in bulk to imported people, each once) and when they
-- last signed in.  Both NULL: never.  Filled from what earlier versions
-- kept: the invitations' one-time links and the sessions still open.
ALTER TABLE people ADD COLUMN invited_at INTEGER;
ALTER TABLE people ADD COLUMN last_signin_at INTEGER;
UPDATE people SET invited_at = (SELECT MAX(t.created_at)
  FROM one_time_tokens t
  WHERE t.person_id = people.id AND t.purpose = 'signin');
UPDATE people SET last_signin_at = (SELECT MAX(s.created_at) FROM sessions s
  WHERE s.person_id = people.id);
