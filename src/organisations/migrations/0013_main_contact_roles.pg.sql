-- 0013_main_contact_roles.pg.sql -- 0013_main_contact_roles.sqlite.sql on
-- PostgreSQL: the main contact of an organisation holds the object role
-- 'main-contact' on ('organisation', its slug), kept in step with
-- representatives.main_contact by triggers whoever writes the row.  The
-- same rows as SQLite's triggers write, in trigger functions; INSERT OR
-- IGNORE is ON CONFLICT DO NOTHING, strftime('%s', 'now') the epoch.
INSERT INTO object_roles (person_id, object_type, object_id, role,
  granted_at)
SELECT r.person_id, 'organisation', o.slug, 'main-contact',
  CAST(EXTRACT(EPOCH FROM now()) AS BIGINT)
FROM representatives r JOIN organisations o ON o.id = r.organisation_id
WHERE r.main_contact <> 0
ON CONFLICT DO NOTHING;

CREATE FUNCTION representatives_main_contact() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.main_contact <> 0 AND (TG_OP = 'DELETE'
      OR OLD.main_contact IS DISTINCT FROM NEW.main_contact
      OR OLD.person_id IS DISTINCT FROM NEW.person_id
      OR OLD.organisation_id IS DISTINCT FROM NEW.organisation_id) THEN
    DELETE FROM object_roles WHERE person_id = OLD.person_id
      AND object_type = 'organisation' AND role = 'main-contact'
      AND object_id = (SELECT slug FROM organisations
                       WHERE id = OLD.organisation_id);
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.main_contact <> 0 THEN
    INSERT INTO object_roles (person_id, object_type, object_id, role,
      granted_at)
    SELECT NEW.person_id, 'organisation', slug, 'main-contact',
      CAST(EXTRACT(EPOCH FROM now()) AS BIGINT)
    FROM organisations WHERE id = NEW.organisation_id
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER representatives_main_contact_insert
  AFTER INSERT ON representatives
  FOR EACH ROW EXECUTE FUNCTION representatives_main_contact();
CREATE TRIGGER representatives_main_contact_update
  AFTER UPDATE OF main_contact, person_id, organisation_id ON representatives
  FOR EACH ROW EXECUTE FUNCTION representatives_main_contact();
CREATE TRIGGER representatives_main_contact_delete
  AFTER DELETE ON representatives
  FOR EACH ROW EXECUTE FUNCTION representatives_main_contact();

CREATE FUNCTION organisations_roles() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM object_roles
    WHERE object_type = 'organisation' AND object_id = OLD.slug;
  ELSIF OLD.slug <> NEW.slug THEN
    UPDATE object_roles SET object_id = NEW.slug
    WHERE object_type = 'organisation' AND object_id = OLD.slug;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER organisations_roles_slug AFTER UPDATE OF slug ON organisations
  FOR EACH ROW EXECUTE FUNCTION organisations_roles();
CREATE TRIGGER organisations_roles_delete AFTER DELETE ON organisations
  FOR EACH ROW EXECUTE FUNCTION organisations_roles();
