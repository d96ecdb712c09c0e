-- 0025_focal_points.sql -- the focal points: the people the secretariat
-- assigns to a focal area (src/focal/), with an optional title ("Chair",
-- "Co-focal point") and the day they took it up ('YYYY-MM-DD').  Not the
-- same as person_focal_areas (0005): those are the areas a person says, in
-- their profile, that they work on.  Whether a focal point is named on the
-- public page is the person's own choice (people.visibility).
CREATE TABLE focal_area_people (
  focal_area_id INTEGER NOT NULL REFERENCES focal_areas (id) ON DELETE CASCADE,
  person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  title TEXT NOT NULL DEFAULT '',
  since TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (focal_area_id, person_id)
);
CREATE INDEX focal_area_people_person ON focal_area_people (person_id);
