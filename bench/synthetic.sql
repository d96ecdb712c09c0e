-- bench/synthetic.sql -- fills a database made by `alliance init` with
-- 10,000 synthetic member organisations and 50,000 synthetic people, for
-- bench/directory.sh and for trying the directory by hand:
--
--   sqlite3 DATA/alliance.db < bench/synthetic.sql
--
-- Everything it makes is marked: organisations have synthetic = 1, people
-- have addresses at synthetic.invalid (a reserved domain, so no mail can
-- reach anyone).  Running it again first removes what an earlier run made,
-- so the counts stay 10,000 and 50,000; nothing else in the database is
-- touched.  One transaction; recursive CTEs, so it takes about a second.
--
-- Organisation n (0..9999) is named first[n % 20] second[n / 20 % 20]
-- third[n / 400] -- word lists with accented words ("Genève", "São
-- Paulo", "für Strafrechtsreform"), each with its folded key, so name_key
-- is what fold_text() would store.  Mixed on purpose:
--   visibility   a tenth hidden, a fifth members only, the rest public
--   UN status    ECOSOC general, special, roster or none (a fifth, a
--                fifth, a fifth, two fifths), a third DGC associated
--                (mixed so that no word of a name decides them)
--   level        full with a UN status, associate without
--   membership   active; grace when n % 17 = 0; lapsed when n % 23 = 0,
--                each with a period around today that puts it in that state
--                (lapsed ones are not listed)
--   country      one of 30, focal areas one to three of the twelve
-- Each organisation has five representatives (people 5n .. 5n+4): a main
-- contact and UN representatives in Vienna, New York and Geneva; half the
-- people show their address.
PRAGMA foreign_keys = ON;
BEGIN;

DELETE FROM organisations WHERE synthetic = 1;
DELETE FROM people WHERE email LIKE '%@synthetic.invalid';

CREATE TEMP TABLE syn_first (i INTEGER PRIMARY KEY, word TEXT, k TEXT);
INSERT INTO syn_first VALUES
 (0, 'International', 'international'), (1, 'Global', 'global'),
 (2, 'Genève', 'geneve'), (3, 'Zürich', 'zurich'),
 (4, 'São Paulo', 'sao paulo'), (5, 'Kraków', 'krakow'),
 (6, 'Bogotá', 'bogota'), (7, 'Malmö', 'malmo'),
 (8, 'Québec', 'quebec'), (9, 'Córdoba', 'cordoba'),
 (10, 'African', 'african'), (11, 'Arab', 'arab'),
 (12, 'Asian', 'asian'), (13, 'European', 'european'),
 (14, 'Nordic', 'nordic'), (15, 'Pacific', 'pacific'),
 (16, 'Caribbean', 'caribbean'), (17, 'Île-de-France', 'ile-de-france'),
 (18, 'Ñuñoa', 'nunoa'), (19, 'Tromsø', 'tromsø');

CREATE TEMP TABLE syn_second (i INTEGER PRIMARY KEY, word TEXT, k TEXT);
INSERT INTO syn_second VALUES
 (0, 'Association', 'association'), (1, 'Institute', 'institute'),
 (2, 'Network', 'network'), (3, 'Foundation', 'foundation'),
 (4, 'Society', 'society'), (5, 'Council', 'council'),
 (6, 'Centre', 'centre'), (7, 'Coalition', 'coalition'),
 (8, 'Federation', 'federation'), (9, 'Alliance', 'alliance'),
 (10, 'Forum', 'forum'), (11, 'Observatory', 'observatory'),
 (12, 'Union', 'union'), (13, 'Commission', 'commission'),
 (14, 'League', 'league'), (15, 'Initiative', 'initiative'),
 (16, 'Academy', 'academy'), (17, 'Collective', 'collective'),
 (18, 'Movement', 'movement'), (19, 'Trust', 'trust');

CREATE TEMP TABLE syn_third (i INTEGER PRIMARY KEY, word TEXT, k TEXT);
INSERT INTO syn_third VALUES
 (0, 'for Justice Reform', 'for justice reform'),
 (1, 'on Crime Prevention', 'on crime prevention'),
 (2, 'for Victims'' Rights', 'for victims'' rights'),
 (3, 'for Restorative Justice', 'for restorative justice'),
 (4, 'of Prison Chaplains', 'of prison chaplains'),
 (5, 'for Penal Reform', 'for penal reform'),
 (6, 'on Corruption', 'on corruption'),
 (7, 'for Human Rights', 'for human rights'),
 (8, 'against Trafficking', 'against trafficking'),
 (9, 'for Juvenile Justice', 'for juvenile justice'),
 (10, 'for the Rule of Law', 'for the rule of law'),
 (11, 'on Drug Policy', 'on drug policy'),
 (12, 'for Women''s Rights', 'for women''s rights'),
 (13, 'for Child Protection', 'for child protection'),
 (14, 'on Cybercrime', 'on cybercrime'),
 (15, 'for Legal Aid', 'for legal aid'),
 (16, 'for Police Accountability', 'for police accountability'),
 (17, 'des Droits de l''Homme', 'des droits de l''homme'),
 (18, 'pour la Justice Pénale', 'pour la justice penale'),
 (19, 'für Strafrechtsreform', 'fur strafrechtsreform'),
 (20, 'para la Prevención del Delito', 'para la prevencion del delito'),
 (21, 'por los Derechos Humanos', 'por los derechos humanos'),
 (22, 'for Criminal Justice Education', 'for criminal justice education'),
 (23, 'on Terrorism Prevention', 'on terrorism prevention'),
 (24, 'for Community Safety', 'for community safety');

CREATE TEMP TABLE syn_country (i INTEGER PRIMARY KEY, code TEXT);
INSERT INTO syn_country VALUES
 (0, 'AT'), (1, 'US'), (2, 'CH'), (3, 'FR'), (4, 'DE'), (5, 'BR'),
 (6, 'CO'), (7, 'SE'), (8, 'CA'), (9, 'AR'), (10, 'NG'), (11, 'KE'),
 (12, 'ZA'), (13, 'EG'), (14, 'IN'), (15, 'JP'), (16, 'AU'), (17, 'NZ'),
 (18, 'MX'), (19, 'CL'), (20, 'ES'), (21, 'IT'), (22, 'PL'), (23, 'NO'),
 (24, 'GB'), (25, 'PH'), (26, 'TH'), (27, 'JO'), (28, 'MA'), (29, 'JM');

CREATE TEMP TABLE syn_given (i INTEGER PRIMARY KEY, word TEXT);
INSERT INTO syn_given VALUES
 (0, 'Anaïs'), (1, 'José'), (2, 'Zoë'), (3, 'Björn'), (4, 'Amina'),
 (5, 'Chidi'), (6, 'Åsa'), (7, 'Mei'), (8, 'Raúl'), (9, 'Fatima');
CREATE TEMP TABLE syn_family (i INTEGER PRIMARY KEY, word TEXT);
INSERT INTO syn_family VALUES
 (0, 'Müller'), (1, 'García'), (2, 'Okafor'), (3, 'Nakamura'),
 (4, 'Lindqvist'), (5, 'Dubois'), (6, 'Haddad'), (7, 'Kowalski'),
 (8, 'Ngugi'), (9, 'Pérez');

-- organisations, in the order of n (so their ids are too)
INSERT INTO organisations (slug, name, name_key, acronym, country, website,
  description_md, visibility, ecosoc_status, ecosoc_year, dgc_associated,
  dgc_year, synthetic, created_at)
WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n < 9999)
SELECT replace(replace(f.k || '-' || s.k || '-' || t.k, ' ', '-'), '''', '') || '-' || seq.n,
  f.word || ' ' || s.word || ' ' || t.word,
  f.k || ' ' || s.k || ' ' || t.k,
  upper(substr(f.k, 1, 1) || substr(s.k, 1, 1) || substr(t.k, 1, 1)),
  c.code,
  'https://org' || seq.n || '.synthetic.invalid/',
  'A synthetic organisation made by *bench/synthetic.sql* (number ' || seq.n || ').',
  CASE WHEN (seq.n * 37 + seq.n / 20) % 10 = 0 THEN 'hidden'
       WHEN (seq.n * 37 + seq.n / 20) % 10 IN (1, 2) THEN 'members' ELSE 'public' END,
  CASE (seq.n / 20 + seq.n / 400) % 5 WHEN 0 THEN 'general' WHEN 1 THEN 'special' WHEN 2 THEN 'roster' END,
  -- granted in a year whose quadrennial reports fall due on 1 June of
  -- this year + 3 (+ 4k): never within the 90 days of the daily pass's
  -- reminder, whatever the day the benchmark runs
  CASE WHEN (seq.n / 20 + seq.n / 400) % 5 < 3
       THEN CAST(strftime('%Y', 'now') AS INTEGER) - 2 - 4 * (seq.n % 17) END,
  (seq.n + seq.n / 20) % 3 = 0,
  CASE WHEN (seq.n + seq.n / 20) % 3 = 0 THEN 1970 + seq.n % 50 END,
  1, 1700000000
FROM seq
JOIN syn_first f ON f.i = seq.n % 20
JOIN syn_second s ON s.i = seq.n / 20 % 20
JOIN syn_third t ON t.i = seq.n / 400
JOIN syn_country c ON c.i = seq.n * 7 % 30
ORDER BY seq.n;

CREATE TEMP TABLE syn_org AS
SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM organisations WHERE synthetic = 1;

INSERT OR IGNORE INTO organisation_focal_areas (organisation_id, focal_area_id)
SELECT o.id, fa.id FROM syn_org o JOIN focal_areas fa ON fa.position = o.n % 12 + 1
UNION ALL
SELECT o.id, fa.id FROM syn_org o JOIN focal_areas fa ON fa.position = (o.n * 5 + 3) % 12 + 1
WHERE o.n % 2 = 0
UNION ALL
SELECT o.id, fa.id FROM syn_org o JOIN focal_areas fa ON fa.position = (o.n * 7 + 6) % 12 + 1
WHERE o.n % 3 = 0;

INSERT INTO memberships (level_id, organisation_id, state, state_since,
  period_start, period_end, created_at)
SELECT (SELECT id FROM membership_levels
        WHERE slug = CASE WHEN org.ecosoc_status IS NOT NULL OR org.dgc_associated = 1
                     THEN 'full' ELSE 'associate' END),
  o.id,
  CASE WHEN o.n % 23 = 0 THEN 'lapsed' WHEN o.n % 17 = 0 THEN 'grace' ELSE 'active' END,
  date('now'), p.start, p.end, 1700000000
FROM syn_org o JOIN organisations org ON org.id = o.id
-- periods around today, each in the state it names: an active one ends
-- in eleven months (no 30- or 7-day reminder due), a grace one ended ten
-- days ago (within the levels' 60 days of grace), a lapsed one 100 days
-- ago; so the daily pass, two minutes after a server starts, finds
-- nothing to move or remind, and no benchmark measures its writes
JOIN (SELECT 0 AS k, date('now', '-1 month') AS start,
             date('now', '+11 months', '-1 day') AS end
      UNION ALL SELECT 1, date('now', '-1 year', '-9 days'), date('now', '-10 days')
      UNION ALL SELECT 2, date('now', '-1 year', '-99 days'), date('now', '-100 days')) p
  ON p.k = CASE WHEN o.n % 23 = 0 THEN 2 WHEN o.n % 17 = 0 THEN 1 ELSE 0 END;

-- people: person p (0..49999) represents organisation p / 5
INSERT INTO people (email, name, role, email_verified_at, created_at,
  country, visibility, show_email)
WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n < 49999)
SELECT 'person' || seq.n || '@synthetic.invalid',
  g.word || ' ' || fam.word || ' ' || seq.n,
  'member', 1700000000, 1700000000,
  c.code,
  CASE WHEN seq.n % 20 = 0 THEN 'hidden' ELSE 'members' END,
  seq.n % 2
FROM seq
JOIN syn_given g ON g.i = seq.n % 10
JOIN syn_family fam ON fam.i = seq.n / 10 % 10
JOIN syn_country c ON c.i = seq.n % 30
ORDER BY seq.n;

CREATE TEMP TABLE syn_person AS
SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM people
WHERE email LIKE '%@synthetic.invalid';

INSERT INTO representatives (organisation_id, person_id, main_contact, un_post, un_rank)
SELECT o.id, p.id, p.n % 5 = 0,
  CASE p.n % 5 WHEN 1 THEN 'vienna' WHEN 2 THEN 'new-york' WHEN 3 THEN 'geneva' WHEN 4 THEN 'vienna' END,
  CASE p.n % 5 WHEN 0 THEN NULL WHEN 4 THEN 'alternate' ELSE 'main' END
FROM syn_person p JOIN syn_org o ON o.n = p.n / 5;

COMMIT;
ANALYZE;
SELECT 'synthetic: ' || (SELECT count(*) FROM organisations WHERE synthetic = 1) || ' organisations, '
  || (SELECT count(*) FROM people WHERE email LIKE '%@synthetic.invalid') || ' people, '
  || (SELECT count(*) FROM memberships m JOIN organisations o ON o.id = m.organisation_id
      WHERE o.synthetic = 1 AND m.state IN ('active', 'grace')) || ' listed';
