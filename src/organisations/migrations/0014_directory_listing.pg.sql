-- 0014_directory_listing.pg.sql -- 0014_directory_listing.sqlite.sql on
-- PostgreSQL: organisations.listed_membership_id and listed_level_id (the
-- newest membership in state active or grace and its level, NULL when the
-- organisation is not listed), kept in step by a trigger function on
-- memberships whoever writes them, and the directory's indexes.
--
-- The word search's names index and the site search's organisation rows
-- (FTS5 in SQLite's file) belong to core/search.c's PostgreSQL side and
-- follow at the end of this file: organisation_names, a view of every
-- organisation's id and the tsvector of its name and acronym (the
-- configuration search_words of 0003_search.pg.sql) over an expression
-- index of the same tsvector, so "a word of the name begins with ..." is
-- an index lookup (search_keys) and nothing needs keeping in step; and
-- search_index rows of kind 'organisation', only organisations everyone
-- may see (listed and public), id minus the organisation's id as SQLite's
-- rowid, kept by a trigger.
ALTER TABLE organisations ADD COLUMN listed_membership_id INTEGER;
ALTER TABLE organisations ADD COLUMN listed_level_id INTEGER;

UPDATE organisations SET (listed_membership_id, listed_level_id) =
  (SELECT m.id, m.level_id FROM memberships m
   WHERE m.organisation_id = organisations.id AND m.state IN ('active', 'grace')
   ORDER BY m.id DESC LIMIT 1);

CREATE INDEX organisations_listed ON organisations
  (visibility, listed_level_id, country, ecosoc_status, dgc_associated, name_key);

CREATE INDEX organisation_focal_areas_area_organisation
  ON organisation_focal_areas (focal_area_id, organisation_id);
DROP INDEX organisation_focal_areas_area;

-- The listing of the organisations a membership row names, before and
-- after the change.
CREATE FUNCTION memberships_listed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids BIGINT[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    ids := ARRAY[NEW.organisation_id];
  ELSIF TG_OP = 'DELETE' THEN
    ids := ARRAY[OLD.organisation_id];
  ELSE
    ids := ARRAY[OLD.organisation_id, NEW.organisation_id];
  END IF;
  UPDATE organisations SET (listed_membership_id, listed_level_id) =
    (SELECT m.id, m.level_id FROM memberships m
     WHERE m.organisation_id = organisations.id AND m.state IN ('active', 'grace')
     ORDER BY m.id DESC LIMIT 1)
  WHERE id = ANY (ids);
  RETURN NULL;
END $$;
CREATE TRIGGER memberships_listed_ins AFTER INSERT ON memberships
  FOR EACH ROW WHEN (NEW.organisation_id IS NOT NULL)
  EXECUTE FUNCTION memberships_listed();
CREATE TRIGGER memberships_listed_upd
  AFTER UPDATE OF state, level_id, organisation_id ON memberships
  FOR EACH ROW EXECUTE FUNCTION memberships_listed();
CREATE TRIGGER memberships_listed_del AFTER DELETE ON memberships
  FOR EACH ROW WHEN (OLD.organisation_id IS NOT NULL)
  EXECUTE FUNCTION memberships_listed();

-- search_keys(SEARCH_ORGANISATION_NAMES): the view's expression is the
-- index's, so the planner reads the index.
CREATE INDEX organisations_names ON organisations
  USING gin (to_tsvector('search_words', name || ' ' || acronym));
CREATE VIEW organisation_names AS
  SELECT id, to_tsvector('search_words', name || ' ' || acronym) AS document
  FROM organisations;

-- The site search: title "Name (ACRONYM)", body the description.
INSERT INTO search_index (id, kind, slug, title, body)
  SELECT -id, 'organisation', slug,
    name || CASE WHEN acronym <> '' THEN ' (' || acronym || ')' ELSE '' END,
    description_md
  FROM organisations
  WHERE visibility = 'public' AND listed_membership_id IS NOT NULL;

CREATE FUNCTION organisations_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    DELETE FROM search_index WHERE id = -OLD.id;
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.visibility = 'public'
     AND NEW.listed_membership_id IS NOT NULL THEN
    INSERT INTO search_index (id, kind, slug, title, body)
    VALUES (-NEW.id, 'organisation', NEW.slug,
      NEW.name || CASE WHEN NEW.acronym <> '' THEN ' (' || NEW.acronym || ')'
                  ELSE '' END,
      NEW.description_md);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER organisations_search_ins AFTER INSERT ON organisations
  FOR EACH ROW EXECUTE FUNCTION organisations_search();
-- Only when something the search shows changed: the states job rewrites
-- listed_membership_id of many organisations without changing most.
CREATE TRIGGER organisations_search_upd
  AFTER UPDATE OF slug, name, acronym, description_md, visibility,
    listed_membership_id ON organisations
  FOR EACH ROW WHEN (OLD.slug <> NEW.slug OR OLD.name <> NEW.name
    OR OLD.acronym <> NEW.acronym OR OLD.description_md <> NEW.description_md
    OR OLD.visibility <> NEW.visibility
    OR (OLD.listed_membership_id IS NULL) <> (NEW.listed_membership_id IS NULL))
  EXECUTE FUNCTION organisations_search();
CREATE TRIGGER organisations_search_del AFTER DELETE ON organisations
  FOR EACH ROW EXECUTE FUNCTION organisations_search();
