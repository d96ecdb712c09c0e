-- 0039_focal_areas_retired.sql -- the secretariat adds, renames and
-- retires focal areas (src/focal/).  A retired area (retired_at, unix
-- seconds) keeps its page, its focal points and the links people,
-- organisations and working parties made to it; it is left out of the
-- home page and of the choices offered for new links.  Restoring it sets
-- retired_at back to NULL.  The slug never changes.
ALTER TABLE focal_areas ADD COLUMN retired_at INTEGER;
