-- 0014_directory_listing.sqlite.sql -- what the member directory asks of
-- every organisation (0014_directory_listing.pg.sql is PostgreSQL's: the
-- same listing, a tsvector for the names), kept beside it so that its
-- statements read one row per organisation instead of working it out
-- again on every request (src/organisations/directory.c;
-- bench/directory.sh measures it):
--
--   organisations.listed_membership_id, listed_level_id  the current
--     membership (the newest in state active or grace) and its level, or
--     NULL when the organisation is not listed; kept in step by triggers
--     on memberships, whoever writes them (Join, the states job, Renew,
--     the CSV import);
--   organisation_names  an FTS5 index of names and acronyms (an external
--     content table over organisations, diacritics folded), so "a word of
--     the name begins with ..." is an index lookup, not a LIKE on every
--     row;
--   search_index rows of kind 'organisation' for the site search: only
--     organisations everyone may see (listed and public).  Those shown to
--     members only, and hidden ones, are never in the site search; members
--     find the former in the directory, whose search applies the viewer's
--     rights.
ALTER TABLE organisations ADD COLUMN listed_membership_id INTEGER;
ALTER TABLE organisations ADD COLUMN listed_level_id INTEGER;

UPDATE organisations SET (listed_membership_id, listed_level_id) =
  (SELECT m.id, m.level_id FROM memberships m
   WHERE m.organisation_id = organisations.id AND m.state IN ('active', 'grace')
   ORDER BY m.id DESC LIMIT 1);

-- Counting the organisations a viewer may see, and finding a filtered page
-- of them, reads this index alone.
CREATE INDEX organisations_listed ON organisations
  (visibility, listed_level_id, country, ecosoc_status, dgc_associated, name_key);

-- "Organisations with this focal area" read from the index alone (the
-- single-column index it replaces is its prefix).
CREATE INDEX organisation_focal_areas_area_organisation
  ON organisation_focal_areas (focal_area_id, organisation_id);
DROP INDEX organisation_focal_areas_area;

-- The listing of an organisation: its newest membership in state active or
-- grace and that membership's level, both NULL when it has none.
CREATE TRIGGER memberships_listed_ins AFTER INSERT ON memberships
WHEN new.organisation_id IS NOT NULL BEGIN
  UPDATE organisations SET (listed_membership_id, listed_level_id) =
    (SELECT m.id, m.level_id FROM memberships m
     WHERE m.organisation_id = organisations.id AND m.state IN ('active', 'grace')
     ORDER BY m.id DESC LIMIT 1)
  WHERE id = new.organisation_id;
END;
CREATE TRIGGER memberships_listed_upd
AFTER UPDATE OF state, level_id, organisation_id ON memberships BEGIN
  UPDATE organisations SET (listed_membership_id, listed_level_id) =
    (SELECT m.id, m.level_id FROM memberships m
     WHERE m.organisation_id = organisations.id AND m.state IN ('active', 'grace')
     ORDER BY m.id DESC LIMIT 1)
  WHERE id IN (old.organisation_id, new.organisation_id);
END;
CREATE TRIGGER memberships_listed_del AFTER DELETE ON memberships
WHEN old.organisation_id IS NOT NULL BEGIN
  UPDATE organisations SET (listed_membership_id, listed_level_id) =
    (SELECT m.id, m.level_id FROM memberships m
     WHERE m.organisation_id = organisations.id AND m.state IN ('active', 'grace')
     ORDER BY m.id DESC LIMIT 1)
  WHERE id = old.organisation_id;
END;

CREATE VIRTUAL TABLE organisation_names USING fts5(
  name, acronym, content = 'organisations', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO organisation_names (organisation_names) VALUES ('rebuild');

CREATE TRIGGER organisations_names_ins AFTER INSERT ON organisations BEGIN
  INSERT INTO organisation_names (rowid, name, acronym)
  VALUES (new.id, new.name, new.acronym);
END;
CREATE TRIGGER organisations_names_upd AFTER UPDATE OF name, acronym
ON organisations BEGIN
  INSERT INTO organisation_names (organisation_names, rowid, name, acronym)
  VALUES ('delete', old.id, old.name, old.acronym);
  INSERT INTO organisation_names (rowid, name, acronym)
  VALUES (new.id, new.name, new.acronym);
END;
CREATE TRIGGER organisations_names_del AFTER DELETE ON organisations BEGIN
  INSERT INTO organisation_names (organisation_names, rowid, name, acronym)
  VALUES ('delete', old.id, old.name, old.acronym);
END;

-- The site search: title "Name (ACRONYM)", body the description.  An
-- organisation's row has rowid minus its id, so keeping it in step is a
-- lookup by rowid, not a scan of the index's unindexed kind and slug.
INSERT INTO search_index (rowid, kind, slug, title, body)
  SELECT -id, 'organisation', slug,
    name || CASE WHEN acronym <> '' THEN ' (' || acronym || ')' ELSE '' END,
    description_md
  FROM organisations
  WHERE visibility = 'public' AND listed_membership_id IS NOT NULL;

CREATE TRIGGER organisations_search_ins AFTER INSERT ON organisations
WHEN new.visibility = 'public' AND new.listed_membership_id IS NOT NULL BEGIN
  INSERT INTO search_index (rowid, kind, slug, title, body)
  VALUES (-new.id, 'organisation', new.slug,
    new.name || CASE WHEN new.acronym <> '' THEN ' (' || new.acronym || ')'
                ELSE '' END,
    new.description_md);
END;
-- Only when something the search shows changed: the states job rewrites
-- listed_membership_id of many organisations without changing most.
CREATE TRIGGER organisations_search_upd
AFTER UPDATE OF slug, name, acronym, description_md, visibility,
  listed_membership_id ON organisations
WHEN old.slug <> new.slug OR old.name <> new.name
  OR old.acronym <> new.acronym OR old.description_md <> new.description_md
  OR old.visibility <> new.visibility
  OR (old.listed_membership_id IS NULL) <> (new.listed_membership_id IS NULL)
BEGIN
  DELETE FROM search_index WHERE rowid = -old.id;
  INSERT INTO search_index (rowid, kind, slug, title, body)
  SELECT -new.id, 'organisation', new.slug,
    new.name || CASE WHEN new.acronym <> '' THEN ' (' || new.acronym || ')'
                ELSE '' END,
    new.description_md
  WHERE new.visibility = 'public' AND new.listed_membership_id IS NOT NULL;
END;
CREATE TRIGGER organisations_search_del AFTER DELETE ON organisations BEGIN
  DELETE FROM search_index WHERE rowid = -old.id;
END;
