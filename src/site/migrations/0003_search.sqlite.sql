-- 0003_search.sqlite.sql -- the full-text index behind core/search.c (SQLite FTS5;
-- 0003_search.pg.sql is the PostgreSQL version, tsvector).
-- Pages, focal areas and bodies are indexed now and kept in step by
-- triggers; later modules add their own rows and triggers.
CREATE VIRTUAL TABLE search_index USING fts5(
  kind UNINDEXED, slug UNINDEXED, title, body,
  tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO search_index (kind, slug, title, body)
  SELECT 'page', slug, title, summary || ' ' || body_md FROM pages
  WHERE slug <> 'home';
INSERT INTO search_index (kind, slug, title, body)
  SELECT 'focal_area', slug, name, summary || ' ' || body_md FROM focal_areas;
INSERT INTO search_index (kind, slug, title, body)
  SELECT 'body', slug, acronym || ' — ' || name, summary || ' ' || body_md
  FROM bodies;

CREATE TRIGGER pages_search_ins AFTER INSERT ON pages WHEN new.slug <> 'home'
BEGIN
  INSERT INTO search_index (kind, slug, title, body)
  VALUES ('page', new.slug, new.title, new.summary || ' ' || new.body_md);
END;
CREATE TRIGGER pages_search_upd AFTER UPDATE ON pages BEGIN
  DELETE FROM search_index WHERE kind = 'page' AND slug = old.slug;
  INSERT INTO search_index (kind, slug, title, body)
  SELECT 'page', new.slug, new.title, new.summary || ' ' || new.body_md
  WHERE new.slug <> 'home';
END;
CREATE TRIGGER pages_search_del AFTER DELETE ON pages BEGIN
  DELETE FROM search_index WHERE kind = 'page' AND slug = old.slug;
END;

CREATE TRIGGER focal_search_ins AFTER INSERT ON focal_areas BEGIN
  INSERT INTO search_index (kind, slug, title, body)
  VALUES ('focal_area', new.slug, new.name, new.summary || ' ' || new.body_md);
END;
CREATE TRIGGER focal_search_upd AFTER UPDATE ON focal_areas BEGIN
  DELETE FROM search_index WHERE kind = 'focal_area' AND slug = old.slug;
  INSERT INTO search_index (kind, slug, title, body)
  VALUES ('focal_area', new.slug, new.name, new.summary || ' ' || new.body_md);
END;
CREATE TRIGGER focal_search_del AFTER DELETE ON focal_areas BEGIN
  DELETE FROM search_index WHERE kind = 'focal_area' AND slug = old.slug;
END;

CREATE TRIGGER bodies_search_ins AFTER INSERT ON bodies BEGIN
  INSERT INTO search_index (kind, slug, title, body)
  VALUES ('body', new.slug, new.acronym || ' — ' || new.name,
          new.summary || ' ' || new.body_md);
END;
CREATE TRIGGER bodies_search_upd AFTER UPDATE ON bodies BEGIN
  DELETE FROM search_index WHERE kind = 'body' AND slug = old.slug;
  INSERT INTO search_index (kind, slug, title, body)
  VALUES ('body', new.slug, new.acronym || ' — ' || new.name,
          new.summary || ' ' || new.body_md);
END;
CREATE TRIGGER bodies_search_del AFTER DELETE ON bodies BEGIN
  DELETE FROM search_index WHERE kind = 'body' AND slug = old.slug;
END;
