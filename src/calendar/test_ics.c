/*
 * test_ics.c -- the iCalendar writer and reader (ics.c).  Every calendar
 * written is parsed again with libical's parser (no X-LIC-ERROR anywhere)
 * and compared with its golden file in tests/golden/ics/ (read relative
 * to the repository root: make unit runs from there), under a fixed
 * clock (DTSTAMP).  The VTIMEZONEs are libical's from the system's
 * zoneinfo, whose history a tzdata update may change: the golden files
 * keep their BEGIN, TZID and END lines only, and what they say is checked
 * by asking the parsed zone for its offsets instead.  The reader is
 * checked on tests/fixtures/ics/other-program.ics (another program's
 * export, written by hand) and on files it must refuse.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/calendar_int.h"
#include "calendar/ics.h"
#include "core/clock.h"
#include "core/util.h"

#define GOLDEN_DIR "tests/golden/ics/"
#define FIXTURE_DIR "tests/fixtures/ics/"

/* 2026-12-02T09:00:00Z, the DTSTAMP of every calendar written here */
#define NOW 1796202000

int64_t
clock_for_tests(void)
{
	return NOW;
}

static char *
read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;

	if (fp == NULL)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_put(&b, chunk, n);
	fclose(fp);
	buf_cstr(&b);
	return buf_detach(&b, len);
}

/* The calendar with each VTIMEZONE cut to its BEGIN, TZID and END
 * lines (see the top of the file). */
static void
without_zone_rules(const char *ics, struct buf *out)
{
	int in_zone = 0;

	for (const char *l = ics; *l;) {
		const char *e = strstr(l, "\r\n");
		size_t n = e ? (size_t)(e - l) + 2 : strlen(l);

		if (strncmp(l, "BEGIN:VTIMEZONE\r\n", n) == 0)
			in_zone = 1;
		if (!in_zone || strncmp(l, "BEGIN:VTIMEZONE", 15) == 0 ||
		    strncmp(l, "TZID:", 5) == 0 ||
		    strncmp(l, "END:VTIMEZONE", 13) == 0)
			buf_put(out, l, n);
		if (strncmp(l, "END:VTIMEZONE\r\n", n) == 0)
			in_zone = 0;
		l += n;
	}
}

/* Compares ics (its zones' rules left out) with the golden file name; on
 * a difference the text is left in /tmp for a diff. */
static void
assert_golden(const char *name, const char *ics)
{
	struct buf got = BUF_INIT;
	char path[256], actual[256];
	size_t len = 0;
	char *want;
	FILE *fp;

	without_zone_rules(ics, &got);
	snprintf(path, sizeof(path), GOLDEN_DIR "%s", name);
	want = read_file(path, &len);
	if (want && len == got.len && memcmp(want, got.data, len) == 0) {
		free(want);
		buf_free(&got);
		return;
	}
	snprintf(actual, sizeof(actual), "/tmp/alliance-golden-%s", name);
	if ((fp = fopen(actual, "wb")) != NULL) {
		fwrite(got.data, 1, got.len, fp);
		fclose(fp);
	}
	free(want);
	buf_free(&got);
	fail_msg("%s differs from %s (or cannot be read: the unit tests run "
		 "from the repository root); built in %s",
		 name, path, actual);
}

/* Parses ics with libical's parser: a VCALENDAR without any
 * X-LIC-ERROR.  The caller frees it. */
static icalcomponent *
parse_clean(const char *ics)
{
	icalcomponent *c = icalparser_parse_string(ics);

	assert_non_null(c);
	assert_int_equal(icalcomponent_isa(c), ICAL_VCALENDAR_COMPONENT);
	assert_int_equal(icalcomponent_count_errors(c), 0);
	return c;
}

/* The meetings of the golden feed: a series in New York (an EXDATE, a
 * moved and a cancelled occurrence), an all-day session in Vienna, a
 * single call in UTC with an agenda that needs escaping and folding. */
static json_t *
sample_meetings(void)
{
	return json_pack(
		"[{s:s,s:i,s:s,s:s,s:s,s:s,s:n,s:s,s:i,s:s,s:s,s:s,s:s,s:s,"
		"s:s,s:I,s:[s],s:[{s:s,s:s,s:s,s:n,s:s,s:i},"
		"{s:s,s:s,s:s,s:n,s:s,s:i}]},"
		"{s:s,s:i,s:s,s:s,s:s,s:s,s:n,s:n,s:s,s:i,s:s,s:s,s:n,s:s,s:s,"
		"s:I,s:[],s:[]},"
		"{s:s,s:i,s:s,s:s,s:s,s:n,s:s,s:n,s:s,s:i,s:s,s:s,s:n,s:s,s:s,"
		"s:I,s:[],s:[]}]",
		/* the New York series */
		"uid", "ny-series@alliance.test", "sequence", 3, "slug",
		"new-york-meeting", "title", "New York meeting", "kind",
		"alliance", "body", "ECOSOC", "party", "time_zone",
		"America/New_York", "all_day", 0, "starts_local",
		"2027-01-01T10:00:00", "ends_local", "2027-01-01T12:00:00",
		"rrule", "FREQ=MONTHLY;INTERVAL=2;BYDAY=1FR", "place",
		"Church Center, 777 UN Plaza", "agenda_md",
		"1. Reports\n2. *Next* steps", "status", "confirmed",
		"updated_at", (json_int_t)1790000000, "exdates",
		"2027-05-07T10:00:00", "overrides", "recurrence_local",
		"2027-03-05T10:00:00", "starts_local", "2027-03-12T14:00:00",
		"ends_local", "2027-03-12T16:00:00", "place", "note",
		"Moved by a week", "cancelled", 0, "recurrence_local",
		"2027-07-02T10:00:00", "starts_local", "2027-07-02T10:00:00",
		"ends_local", "2027-07-02T12:00:00", "place", "note", "",
		"cancelled", 1,
		/* the all-day session */
		"uid", "session@alliance.test", "sequence", 0, "slug",
		"test-session", "title", "Test session", "kind", "session",
		"body", "CCPCJ", "party", "rrule", "time_zone", "Europe/Vienna",
		"all_day", 1, "starts_local", "2027-05-17", "ends_local",
		"2027-05-21", "place", "agenda_md", "", "status", "tentative",
		"updated_at", (json_int_t)1790000000, "exdates", "overrides",
		/* the call in UTC */
		"uid", "call@alliance.test", "sequence", 1, "slug", "call",
		"title", "Working party call; agenda, notes", "kind", "party",
		"body", "party", "Victims", "rrule", "time_zone", "UTC",
		"all_day", 0, "starts_local", "2027-02-10T15:00:00",
		"ends_local", "2027-02-10T16:00:00", "place", "agenda_md",
		"A long agenda line that goes on and on, past the seventy-five "
		"octets a line of iCalendar may hold: été, über, 東京.",
		"status", "cancelled", "updated_at", (json_int_t)1790000000,
		"exdates", "overrides");
}

static void
write_sample(struct buf *out)
{
	struct ics_calendar cal = {.name = "Alliance: calendar",
				   .base_url = "https://alliance.test",
				   .publish = 1,
				   .now = clock_now()};
	json_t *ms = sample_meetings();

	assert_non_null(ms);
	assert_int_equal(ics_write(&cal, ms, out), 3);
	json_decref(ms);
}

static void
feed_matches_golden_and_parses(void **state)
{
	struct buf out = BUF_INIT;
	icalcomponent *c;

	(void)state;
	write_sample(&out);
	c = parse_clean(buf_cstr(&out));
	icalcomponent_free(c);
	assert_golden("feed.ics", buf_cstr(&out));
	buf_free(&out);
}

/* The VTIMEZONE written for New York gives a reader its rules: -05:00 in
 * January, -04:00 in July, the change on the second Sunday of March. */
static void
feed_carries_zone_rules(void **state)
{
	struct buf out = BUF_INIT;
	icalcomponent *c, *tz;
	icaltimezone *zone = NULL;
	struct icaltimetype jan = icaltime_from_string("20270115T120000");
	struct icaltimetype jul = icaltime_from_string("20270715T120000");
	int dst, nzones = 0;

	(void)state;
	write_sample(&out);
	c = parse_clean(buf_cstr(&out));
	for (tz = icalcomponent_get_first_component(c, ICAL_VTIMEZONE_COMPONENT);
	     tz; tz = icalcomponent_get_next_component(c, ICAL_VTIMEZONE_COMPONENT)) {
		const char *id = icalproperty_get_tzid(
			icalcomponent_get_first_property(tz, ICAL_TZID_PROPERTY));

		nzones++;
		if (strcmp(id, "America/New_York") == 0) {
			zone = icaltimezone_new();
			icaltimezone_set_component(zone,
						   icalcomponent_new_clone(tz));
		}
	}
	/* New York and Vienna; UTC needs none */
	assert_int_equal(nzones, 2);
	assert_non_null(zone);
	assert_int_equal(icaltimezone_get_utc_offset(zone, &jan, &dst),
			 -5 * 3600);
	assert_int_equal(icaltimezone_get_utc_offset(zone, &jul, &dst),
			 -4 * 3600);
	icaltimezone_free(zone, 1);
	icalcomponent_free(c);
	buf_free(&out);
}

/* The online link is written only when the caller gives it (a
 * registered person's feed), never otherwise. */
static void
online_link_only_when_given(void **state)
{
	struct ics_calendar cal = {.name = "x", .base_url = "https://a.test",
				   .publish = 1, .now = NOW};
	json_t *ms = sample_meetings();
	struct buf out = BUF_INIT;

	(void)state;
	ics_write(&cal, ms, &out);
	assert_null(strstr(buf_cstr(&out), "https://meet.example"));
	json_object_set_new(json_array_get(ms, 0), "online_url",
			    json_string("https://meet.example/room"));
	buf_reset(&out);
	ics_write(&cal, ms, &out);
	assert_non_null(strstr(buf_cstr(&out), "https://meet.example/room"));
	json_decref(ms);
	buf_free(&out);
}

/* Occurrences registered one by one are events of their own, without
 * the rule: a moved one at its new time, a cancelled one cancelled, one
 * an EXDATE skips left out. */
static void
only_registered_occurrences(void **state)
{
	struct ics_calendar cal = {.name = "x", .publish = 1, .now = NOW};
	json_t *ms = sample_meetings(), *one = json_array();
	struct buf out = BUF_INIT;
	const char *t;

	(void)state;
	json_array_append(one, json_array_get(ms, 0));
	json_object_set_new(json_array_get(one, 0), "only",
			    json_pack("[s,s,s,s]", "2027-03-05T10:00:00",
				      "2027-05-07T10:00:00", "2027-07-02T10:00:00",
				      "2027-09-03T10:00:00"));
	ics_write(&cal, one, &out);
	t = buf_cstr(&out);
	icalcomponent_free(parse_clean(t));
	assert_null(strstr(t, "RRULE:FREQ=MONTHLY"));
	assert_null(strstr(t, "RECURRENCE-ID"));
	assert_non_null(strstr(t, "UID:ny-series@alliance.test/20270305T100000\r\n"));
	assert_non_null(strstr(t, "DTSTART;TZID=America/New_York:20270312T140000\r\n"
				  "DTEND;TZID=America/New_York:20270312T160000\r\n"));
	assert_null(strstr(t, "20270507"));
	assert_non_null(strstr(t, "UID:ny-series@alliance.test/20270903T100000\r\n"));
	assert_non_null(strstr(t, "DTSTART;TZID=America/New_York:20270903T100000\r\n"
				  "DTEND;TZID=America/New_York:20270903T120000\r\n"));
	assert_non_null(strstr(t, "STATUS:CANCELLED"));
	json_decref(one);
	json_decref(ms);
	buf_free(&out);
}

/* A cancellation sent to a person (RFC 5546, 3.2.5): METHOD:CANCEL, the
 * event with its UID, its SEQUENCE as given and STATUS:CANCELLED; libical
 * reads the method back. */
static void
cancel_calendar(void **state)
{
	struct ics_calendar cal = {.name = "x", .publish = 1, .cancel = 1,
				   .now = NOW};
	json_t *ms = sample_meetings(), *one = json_array();
	json_t *m;
	struct buf out = BUF_INIT;
	icalcomponent *c, *ev;
	const char *t;

	(void)state;
	json_array_append(one, json_array_get(ms, 0));
	m = json_array_get(one, 0);
	json_object_set_new(m, "status", json_string("cancelled"));
	json_object_set_new(m, "sequence", json_integer(4));
	assert_int_equal(ics_write(&cal, one, &out), 1);
	t = buf_cstr(&out);
	assert_null(strstr(t, "METHOD:PUBLISH"));
	c = parse_clean(t);
	assert_int_equal(icalcomponent_get_method(c), ICAL_METHOD_CANCEL);
	ev = icalcomponent_get_first_component(c, ICAL_VEVENT_COMPONENT);
	assert_non_null(ev);
	assert_string_equal(icalcomponent_get_uid(ev), "ny-series@alliance.test");
	assert_int_equal(icalcomponent_get_status(ev), ICAL_STATUS_CANCELLED);
	assert_int_equal(icalcomponent_get_sequence(ev), 4);
	icalcomponent_free(c);
	json_decref(one);
	json_decref(ms);
	buf_free(&out);
}

/* A meeting whose zone libical does not know is left out, the others
 * written. */
static void
unreadable_meeting_left_out(void **state)
{
	struct ics_calendar cal = {.name = "x", .publish = 1, .now = NOW};
	json_t *ms = sample_meetings();
	struct buf out = BUF_INIT;
	icalcomponent *c;

	(void)state;
	json_object_set_new(json_array_get(ms, 1), "time_zone",
			    json_string("Mars/Olympus_Mons"));
	assert_int_equal(ics_write(&cal, ms, &out), 2);
	c = parse_clean(buf_cstr(&out));
	icalcomponent_free(c);
	assert_null(strstr(buf_cstr(&out), "session@alliance.test"));
	json_decref(ms);
	buf_free(&out);
}

static json_t *
find_uid(json_t *ms, const char *uid)
{
	json_t *m;
	size_t i;

	json_array_foreach(ms, i, m)
		if (strcmp(json_string_value(json_object_get(m, "uid")), uid) == 0)
			return m;
	fail_msg("no meeting %s", uid);
	return NULL;
}

static const char *
s_of(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "(null)";
}

static json_int_t
i_of(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

/* Another program's export: zones mapped to IANA names (one through its
 * X-LIC-LOCATION), times in the series' zone, UTC computed across the
 * change of daylight saving time, overrides and EXDATEs gathered. */
static void
read_other_program(void **state)
{
	char *data;
	size_t len;
	json_t *ms, *errs, *m, *o;

	(void)state;
	data = read_file(FIXTURE_DIR "other-program.ics", &len);
	assert_non_null(data);
	assert_int_equal(ics_read(data, len, &ms, &errs), 0);
	free(data);
	assert_int_equal(json_array_size(errs), 0);
	assert_int_equal(json_array_size(ms), 3);

	m = find_uid(ms, "weekly-vienna-2027@other.example");
	assert_string_equal(s_of(m, "time_zone"), "Europe/Vienna");
	assert_string_equal(s_of(m, "starts_local"), "2027-03-01T10:00:00");
	assert_string_equal(s_of(m, "rrule"), "FREQ=WEEKLY;COUNT=8;BYDAY=MO");
	assert_string_equal(s_of(m, "kind"), "alliance");
	assert_string_equal(s_of(m, "place"),
			    "Vienna International Centre, Room C3");
	/* 10:00 CET is 09:00Z; the last Monday (19 April) is in CEST */
	assert_int_equal(i_of(m, "starts_utc"), 1803891600);  /* 03-01 09:00Z */
	assert_int_equal(i_of(m, "last_ends_utc"), 1808127000); /* 04-19 09:30Z */
	assert_int_equal(json_array_size(json_object_get(m, "exdates")), 1);
	assert_string_equal(json_string_value(json_array_get(
				    json_object_get(m, "exdates"), 0)),
			    "2027-03-15T10:00:00");
	assert_int_equal(json_array_size(json_object_get(m, "overrides")), 2);
	o = json_array_get(json_object_get(m, "overrides"), 0);
	assert_string_equal(s_of(o, "recurrence_local"), "2027-03-22T10:00:00");
	assert_string_equal(s_of(o, "starts_local"), "2027-03-23T14:00:00");
	assert_string_equal(s_of(o, "place"), "Vienna International Centre, Room M1");
	assert_int_equal(i_of(o, "cancelled"), 0);
	o = json_array_get(json_object_get(m, "overrides"), 1);
	assert_string_equal(s_of(o, "recurrence_local"), "2027-04-05T10:00:00");
	assert_int_equal(i_of(o, "cancelled"), 1);

	m = find_uid(ms, "thursday-new-york-2027@other.example");
	assert_string_equal(s_of(m, "time_zone"), "America/New_York");
	assert_string_equal(s_of(m, "status"), "tentative");
	assert_int_equal(i_of(m, "starts_utc"), 1822946400); /* 10-07 22:00Z */
	/* 25 November, after the change back to EST: 23:00Z + 1:30 */
	assert_int_equal(i_of(m, "last_ends_utc"), 1827189000);

	m = find_uid(ms, "conference-2027@other.example");
	assert_int_equal(i_of(m, "all_day"), 1);
	assert_string_equal(s_of(m, "kind"), "side-event");
	/* DTEND 20270520 is exclusive: the last day is the 19th */
	assert_string_equal(s_of(m, "starts_local"), "2027-05-17");
	assert_string_equal(s_of(m, "ends_local"), "2027-05-19");
	assert_string_equal(s_of(m, "time_zone"), "Europe/Vienna");
	json_decref(ms);
	json_decref(errs);
}

/* What the reader makes, written again and read back, is the same. */
static void
read_write_read_is_stable(void **state)
{
	struct ics_calendar cal = {.name = "x", .publish = 1, .now = NOW};
	struct buf out = BUF_INIT;
	json_t *ms, *again, *errs;
	size_t len, i;
	char *data;

	(void)state;
	data = read_file(FIXTURE_DIR "other-program.ics", &len);
	assert_non_null(data);
	assert_int_equal(ics_read(data, len, &ms, &errs), 0);
	free(data);
	json_decref(errs);
	assert_int_equal(ics_write(&cal, ms, &out), 3);
	icalcomponent_free(parse_clean(buf_cstr(&out)));
	assert_int_equal(ics_read(out.data, out.len, &again, &errs), 0);
	json_decref(errs);
	assert_int_equal(json_array_size(again), json_array_size(ms));
	for (i = 0; i < json_array_size(ms); i++) {
		json_t *a = json_array_get(ms, i), *b = json_array_get(again, i);

		assert_true(json_equal(json_object_get(a, "exdates"),
				       json_object_get(b, "exdates")));
		assert_true(json_equal(json_object_get(a, "overrides"),
				       json_object_get(b, "overrides")));
		assert_string_equal(s_of(a, "starts_local"),
				    s_of(b, "starts_local"));
		assert_string_equal(s_of(a, "ends_local"), s_of(b, "ends_local"));
		assert_string_equal(s_of(a, "rrule"), s_of(b, "rrule"));
		assert_string_equal(s_of(a, "kind"), s_of(b, "kind"));
		/* an all-day event has no zone in iCalendar: read back, its
		 * days are the same, its UTC the reader's (X-WR-TIMEZONE, or
		 * UTC) */
		if (i_of(a, "all_day") == 0)
			assert_int_equal(i_of(a, "last_ends_utc"),
					 i_of(b, "last_ends_utc"));
	}
	json_decref(ms);
	json_decref(again);
	buf_free(&out);
}

/* The refusals name the event and say why; nothing is returned for it. */
static void
read_refuses_with_reasons(void **state)
{
	static const char windows[] =
		"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n"
		"BEGIN:VTIMEZONE\r\nTZID:W. Europe Standard Time\r\n"
		"BEGIN:STANDARD\r\nDTSTART:16010101T030000\r\n"
		"TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\n"
		"END:VTIMEZONE\r\n"
		"BEGIN:VEVENT\r\nUID:w1\r\nDTSTAMP:20260101T000000Z\r\n"
		"SUMMARY:Board\r\n"
		"DTSTART;TZID=W. Europe Standard Time:20270301T100000\r\n"
		"END:VEVENT\r\n"
		"BEGIN:VEVENT\r\nUID:f1\r\nDTSTAMP:20260101T000000Z\r\n"
		"SUMMARY:Floating\r\nDTSTART:20270301T100000\r\nEND:VEVENT\r\n"
		"BEGIN:VEVENT\r\nUID:o1\r\nDTSTAMP:20260101T000000Z\r\n"
		"SUMMARY:Orphan\r\nRECURRENCE-ID:20270301T100000Z\r\n"
		"DTSTART:20270302T100000Z\r\nEND:VEVENT\r\n"
		"BEGIN:VEVENT\r\nUID:ok\r\nDTSTAMP:20260101T000000Z\r\n"
		"SUMMARY:Fine\r\nDTSTART:20270301T100000Z\r\nEND:VEVENT\r\n"
		"END:VCALENDAR\r\n";
	json_t *ms, *errs;
	const char *all;
	char *joined;
	struct buf b = BUF_INIT;
	size_t i;
	json_t *e;

	(void)state;
	assert_int_equal(ics_read(windows, strlen(windows), &ms, &errs), 1);
	assert_int_equal(json_array_size(errs), 3);
	json_array_foreach(errs, i, e) {
		buf_puts(&b, json_string_value(e));
		buf_putc(&b, '\n');
	}
	all = buf_cstr(&b);
	assert_non_null(strstr(all, "\"Board\" (UID w1): its time zone is not "
				    "an IANA time zone"));
	assert_non_null(strstr(all, "\"Floating\" (UID f1): its start is a "
				    "floating time"));
	assert_non_null(strstr(all, "\"Orphan\" (UID o1): it changes an "
				    "occurrence of a series that is not in "
				    "the file"));
	/* the good one is read (the caller imports nothing all the same) */
	assert_int_equal(json_array_size(ms), 1);
	assert_string_equal(s_of(json_array_get(ms, 0), "time_zone"), "UTC");
	joined = buf_detach(&b, NULL);
	free(joined);
	json_decref(ms);
	json_decref(errs);
}

static void
read_refuses_what_is_no_calendar(void **state)
{
	json_t *ms, *errs;

	(void)state;
	assert_int_equal(ics_read("name,country\n", 13, &ms, &errs), 1);
	assert_non_null(strstr(json_string_value(json_array_get(errs, 0)),
			       "not an iCalendar file"));
	json_decref(ms);
	json_decref(errs);
	assert_int_equal(ics_read("BEGIN:VCALENDAR\r\n\xff\r\n", 19, &ms, &errs),
			 1);
	assert_non_null(strstr(json_string_value(json_array_get(errs, 0)),
			       "not UTF-8"));
	json_decref(ms);
	json_decref(errs);
	assert_int_equal(ics_read("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
				  "END:VCALENDAR\r\n",
				  45, &ms, &errs),
			 1);
	assert_non_null(strstr(json_string_value(json_array_get(errs, 0)),
			       "no events"));
	json_decref(ms);
	json_decref(errs);
}

/* Local wall-clock time to UTC on both sides of a change of daylight
 * saving time, and bad input refused. */
static void
local_to_utc_across_dst(void **state)
{
	int64_t u;

	(void)state;
	assert_int_equal(recur_local_to_utc("Europe/Vienna", "2027-03-22T10:00:00",
					  &u), 0);
	assert_int_equal(u, 1805706000); /* 09:00Z, CET */
	assert_int_equal(recur_local_to_utc("Europe/Vienna", "2027-03-29T10:00:00",
					  &u), 0);
	assert_int_equal(u, 1806307200); /* 08:00Z, CEST */
	assert_int_equal(recur_local_to_utc("UTC", "2027-03-29", &u), 0);
	assert_int_equal(u, 1806278400);
	assert_int_equal(recur_local_to_utc("Mars/Base", "2027-03-29", &u), -1);
	assert_int_equal(recur_local_to_utc("Europe/Vienna", "2027-02-30", &u), -1);
	assert_int_equal(recur_local_to_utc("Europe/Vienna", "10:00", &u), -1);
}

/* A series in a zone west of UTC whose UNTIL is in UTC: the rule is
 * stepped in local time, so UNTIL must be placed in the zone first.
 * Daily at 22:00 in New York (03:00Z the next day); UNTIL 2027-01-10
 * 02:00Z is 9 January 21:00 in New York, so the last occurrence is the
 * one of 8 January (ends 23:00 EST = 9 January 04:00Z), not the one of
 * 9 January that comparing 22:00 floating with 02:00Z would let in. */
static void
until_in_utc_west_of_utc(void **state)
{
	const char *cal =
		"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n"
		"BEGIN:VEVENT\r\nUID:west@example.org\r\n"
		"DTSTAMP:20260101T000000Z\r\nSUMMARY:Late call\r\n"
		"DTSTART;TZID=America/New_York:20270105T220000\r\n"
		"DTEND;TZID=America/New_York:20270105T230000\r\n"
		"RRULE:FREQ=DAILY;UNTIL=20270110T020000Z\r\n"
		"END:VEVENT\r\nEND:VCALENDAR\r\n";
	json_t *ms, *errs, *m;

	(void)state;
	assert_int_equal(ics_read(cal, strlen(cal), &ms, &errs), 0);
	assert_int_equal(json_array_size(ms), 1);
	m = json_array_get(ms, 0);
	assert_int_equal(i_of(m, "starts_utc"), 1799204400);    /* 01-06 03:00Z */
	assert_int_equal(i_of(m, "last_ends_utc"), 1799467200); /* 01-09 04:00Z */
	json_decref(ms);
	json_decref(errs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(feed_matches_golden_and_parses),
		cmocka_unit_test(feed_carries_zone_rules),
		cmocka_unit_test(online_link_only_when_given),
		cmocka_unit_test(only_registered_occurrences),
		cmocka_unit_test(unreadable_meeting_left_out),
		cmocka_unit_test(read_other_program),
		cmocka_unit_test(read_write_read_is_stable),
		cmocka_unit_test(read_refuses_with_reasons),
		cmocka_unit_test(read_refuses_what_is_no_calendar),
		cmocka_unit_test(local_to_utc_across_dst),
		cmocka_unit_test(until_in_utc_west_of_utc),
		cmocka_unit_test(cancel_calendar),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
