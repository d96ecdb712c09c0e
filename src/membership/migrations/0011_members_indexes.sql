-- 0011_members_indexes.sql -- indexes that keep the member directory
-- (src/members/directory.c) fast when the page cache cannot answer (every
-- signed-in request), and the question "which memberships does this
-- person answer for" (renew.c).
--
-- Each makes one lookup of those statements a search of the index alone
-- (checked with EXPLAIN QUERY PLAN on a database of bench/synthetic.sql,
-- without ANALYZE):
--   memberships (organisation_id, state)  an organisation's current
--     membership (DIRECTORY_ORG's max(id) ... state IN ('active','grace')),
--     the listed set the directory's count builds, and "represents an
--     organisation with a membership" in the viewer rule;
--   memberships (person_id, state)  the viewer's individual membership;
--   representatives (person_id, organisation_id, main_contact)  the
--     organisations a person represents, or is main contact of.
-- (An index on (state, organisation_id) was tried: without statistics
-- the planner then walks every active membership for the viewer rule,
-- several times slower for a signed-in member.)  The single-column
-- indexes these extend are dropped: each is a prefix of a new one, so
-- foreign-key cascades still find their rows by index.
CREATE INDEX memberships_organisation_state ON memberships (organisation_id, state);
CREATE INDEX memberships_person_state ON memberships (person_id, state);
CREATE INDEX representatives_person_organisation
  ON representatives (person_id, organisation_id, main_contact);
DROP INDEX memberships_organisation;
DROP INDEX memberships_person;
DROP INDEX representatives_person;
