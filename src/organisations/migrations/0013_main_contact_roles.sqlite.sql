-- 0013_main_contact_roles.sql -- the main contact of an organisation holds
-- the object role 'main-contact' on ('organisation', its slug), so routes
-- that manage an organisation are guarded by the core's auth_permits()
-- (rule "organisation.manage", manage.c) like any other object.
--
-- representatives.main_contact stays the record every statement reads
-- (Renew, reminders, the directory); these triggers keep object_roles in
-- step with it whoever writes the row (approval, import, manage.c, tests
-- and tools writing SQL), so the two cannot disagree.  An organisation's
-- slug never changes; should it, or should the organisation go, the roles
-- follow.
INSERT OR IGNORE INTO object_roles (person_id, object_type, object_id, role,
  granted_at)
SELECT r.person_id, 'organisation', o.slug, 'main-contact',
  CAST(strftime('%s', 'now') AS INTEGER)
FROM representatives r JOIN organisations o ON o.id = r.organisation_id
WHERE r.main_contact <> 0;

CREATE TRIGGER representatives_main_contact_insert
AFTER INSERT ON representatives WHEN NEW.main_contact <> 0
BEGIN
  INSERT OR IGNORE INTO object_roles (person_id, object_type, object_id,
    role, granted_at)
  SELECT NEW.person_id, 'organisation', slug, 'main-contact',
    CAST(strftime('%s', 'now') AS INTEGER)
  FROM organisations WHERE id = NEW.organisation_id;
END;

CREATE TRIGGER representatives_main_contact_update
AFTER UPDATE OF main_contact, person_id, organisation_id ON representatives
BEGIN
  DELETE FROM object_roles WHERE OLD.main_contact <> 0
    AND person_id = OLD.person_id AND object_type = 'organisation'
    AND role = 'main-contact'
    AND object_id = (SELECT slug FROM organisations
                     WHERE id = OLD.organisation_id);
  INSERT OR IGNORE INTO object_roles (person_id, object_type, object_id,
    role, granted_at)
  SELECT NEW.person_id, 'organisation', slug, 'main-contact',
    CAST(strftime('%s', 'now') AS INTEGER)
  FROM organisations WHERE id = NEW.organisation_id AND NEW.main_contact <> 0;
END;

CREATE TRIGGER representatives_main_contact_delete
AFTER DELETE ON representatives WHEN OLD.main_contact <> 0
BEGIN
  DELETE FROM object_roles WHERE person_id = OLD.person_id
    AND object_type = 'organisation' AND role = 'main-contact'
    AND object_id = (SELECT slug FROM organisations
                     WHERE id = OLD.organisation_id);
END;

CREATE TRIGGER organisations_roles_slug
AFTER UPDATE OF slug ON organisations
BEGIN
  UPDATE object_roles SET object_id = NEW.slug
  WHERE object_type = 'organisation' AND object_id = OLD.slug;
END;

CREATE TRIGGER organisations_roles_delete
AFTER DELETE ON organisations
BEGIN
  DELETE FROM object_roles
  WHERE object_type = 'organisation' AND object_id = OLD.slug;
END;
