/*
 * ics.h -- meetings as iCalendar (RFC 5545) and back, through libical:
 * the writer the feeds use (feeds.c) and the reader the import uses
 * (import.c).  Pure: no database, no request.
 *
 * A meeting travels as a JSON object with the columns of the meetings
 * table (migrations/0040_calendar.sql) that iCalendar carries:
 *
 *   uid, sequence, slug, title, kind, body (the body's acronym or NULL),
 *   party (the working party's name or NULL), time_zone (IANA),
 *   all_day (0/1), starts_local, ends_local, rrule (or NULL), place,
 *   agenda_md, status, updated_at (unix seconds), online_url (only where
 *   the reader may see it: never in a public feed),
 *   exdates: ["local start", ...],
 *   overrides: [{recurrence_local, starts_local, ends_local, place
 *                (or NULL), note, cancelled}],
 *   only: ["local start", ...] (optional: the occurrences a person
 *         registered for one by one; each is then written as an event
 *         of its own, UID "UID/START", instead of the series)
 *
 * Local times are wall-clock times in time_zone, 'YYYY-MM-DDTHH:MM:SS',
 * or dates 'YYYY-MM-DD' when all_day; an all-day meeting's ends_local is
 * its last day (inclusive: "3 to 5 May"), which iCalendar writes as the
 * day after (DTEND is exclusive).
 *
 * The *_utc values ics_read gives are recur.c's (recur_set_bounds, the
 * same recur_bounds the desk writes with), so an imported series and one
 * written at the desk have the same columns.
 */
#ifndef ALLIANCE_CALENDAR_ICS_H
#define ALLIANCE_CALENDAR_ICS_H

#include <jansson.h>
#include <stdint.h>

#include "core/util.h"

/* What the calendar as a whole says. */
struct ics_calendar {
	const char *name;     /* X-WR-CALNAME, "Alliance: CCPCJ" */
	const char *base_url; /* "https://example.org": URL is base + page */
	int publish;          /* METHOD:PUBLISH (a feed) */
	int cancel;           /* METHOD:CANCEL instead (a cancellation
				 sent to a person; its events say
				 STATUS:CANCELLED themselves) */
	int64_t now;          /* DTSTAMP (unix seconds) */
};

/*
 * Appends to out the VCALENDAR of meetings (a JSON array of the objects
 * above, in the order given): a VEVENT per meeting, one more per
 * override (same UID, RECURRENCE-ID), and one VTIMEZONE per zone used
 * (libical's builtin zones, the TZID renamed to the IANA name).  Written
 * by libical's serializer (folding, escaping, CRLF).  A meeting whose
 * zone or times libical cannot read is left out (logged).  Returns the
 * number of meetings written.
 */
size_t ics_write(const struct ics_calendar *cal, json_t *meetings,
		 struct buf *out);


/*
 * Reads an iCalendar file data[0..len) as meetings: *meetings gets a new
 * array of the objects above (without sequence, slug, body, party and
 * online_url; with starts_utc, ends_utc and last_ends_utc (NULL when the
 * rule never ends) computed; kind from CATEGORIES when one names a known
 * kind or its English label, else 'alliance'), one per UID, overrides
 * and EXDATEs gathered from every component of the UID.  *errors gets a
 * new array of sentences, one per refused event, naming it (SUMMARY and
 * UID) and why (a zone that is not an IANA one, a floating time, a
 * RECURRENCE-ID without its series ...), or about the whole file.
 * Returns 0 when there is nothing to refuse, 1 otherwise (both arrays
 * set either way).
 */
int ics_read(const char *data, size_t len, json_t **meetings, json_t **errors);

#endif
