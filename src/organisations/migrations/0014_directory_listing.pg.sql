-- 0014_directory_listing.pg.sql -- 0014_directory_listing.sqlite.sql on
-- PostgreSQL: organisations.listed_membership_id and listed_level_id (the
-- newest membership in state active or grace and its level, NULL when the
-- organisation is not listed), kept in step by a trigger function on
-- memberships whoever writes them, and the directory's indexes.
--
-- The word search's names index and the site search's organisation rows
-- (FTS5 in SQLite's file) belong to core/search.c's PostgreSQL side and
-- follow at the end of this file.
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

-- search (core/search.c's PostgreSQL side): the names index and the site
-- search's organisation rows.
