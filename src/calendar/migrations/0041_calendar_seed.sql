-- 0041_calendar_seed.sql -- what the Alliance's description says of its
-- meetings, and no more: "The Alliance first formed in 1972 in New York
-- City" and "historically met on the first Friday of every second month
-- in New York City and this lasted until 2012."  One series, kept as its
-- rule (FREQ=MONTHLY;INTERVAL=2;BYDAY=1FR until the end of 2012), a record
-- of the past (history = 1: no registration).  The description gives
-- neither the months nor the hours: the series starts from the first
-- Friday of January 1972 and is all day (the dates 'YYYY-MM-DD').  The
-- UTC columns are midnight in New York of 7 January 1972 (EST), of the
-- day after it, and of the day after the last meeting, 2 November 2012
-- (test_recur.c recomputes them from the row with recur.c).  No future
-- session is seeded: the bodies and their cadence are the site's table
-- (site/migrations/0002), and real dates are entered by the secretariat.
-- English data, not catalog.
INSERT INTO meetings (id, slug, uid, sequence, title, kind, body_id,
  time_zone, all_day, starts_local, ends_local, starts_utc, ends_utc,
  rrule, last_ends_utc, place, mode, agenda_md, status, visibility,
  registration, history, created_at, updated_at) VALUES
(1, 'new-york-1972-2012', 'alliance-new-york-1972-2012', 0,
 'The Alliance''s meetings in New York', 'alliance', NULL,
 'America/New_York', 1, '1972-01-07', '1972-01-07', 63608400, 63694800,
 'FREQ=MONTHLY;INTERVAL=2;BYDAY=1FR;UNTIL=20121231', 1351915200,
 'New York City', 'in-person',
 'The Alliance, first formed in 1972 in New York City, historically met on the first Friday of every second month in New York City, and this lasted until 2012. The description gives the rule and the years, not the months or the hours: this record starts from the first Friday of January 1972 and shows each meeting as a whole day.',
 'confirmed', 'public', 'none', 1, 0, 0);
