-- 0043_minutes_note.sql -- the minutes' versions (src/calendar/minutes.c)
-- each carry their writer's note of what changed ('' when none).
ALTER TABLE meeting_minutes ADD COLUMN note TEXT NOT NULL DEFAULT '';
