-- 0050_statement_focal_areas.sql -- the focal areas a civil society
-- statement is about (src/statements/): each area's page lists the
-- public statements about it (a struct focal_source), as it lists the
-- working parties and meetings that serve it.
CREATE TABLE statement_focal_areas (
  statement_id INTEGER NOT NULL REFERENCES statements (id)
    ON DELETE CASCADE,
  focal_area_id INTEGER NOT NULL REFERENCES focal_areas (id)
    ON DELETE CASCADE,
  PRIMARY KEY (statement_id, focal_area_id)
);
CREATE INDEX statement_focal_areas_area
  ON statement_focal_areas (focal_area_id);
