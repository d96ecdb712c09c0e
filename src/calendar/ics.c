/*
 * ics.c -- see ics.h.  Meetings written as a VCALENDAR and read back from
 * one, through libical: its components and properties carry the values,
 * its serializer writes them (folding at 75 octets, escaping of text,
 * CRLF), its parser reads another program's file.  Recurrence stays a
 * rule both ways (RRULE, EXDATE, RECURRENCE-ID), never expanded copies.
 *
 * libical's builtin zones come from the system's zoneinfo and are named
 * "/freeassociation.sourceforge.net/Europe/Vienna"; we write them under
 * their IANA name (what calendar programs map), and read a TZID back to
 * the IANA name when it is one, or ends with one, or its VTIMEZONE says
 * which (X-LIC-LOCATION).  Zones, local times and UTC instants are
 * recur.c's (calendar_int.h), which holds the one lock around libical's
 * zone cache; the UTC columns of what is read are recur_bounds' (through
 * recur_set_bounds), as for the desk.
 */
#include "ics.h"

#include <cmark-gfm.h>
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "calendar_int.h"
#include "core/i18n.h"
#include "core/log.h"

/* The kind a CATEGORIES value names (its code or English label, any
 * case), or NULL. */
static const char *
kind_named(const char *s)
{
	for (size_t i = 0; s && cal_kinds[i]; i++)
		if (strcasecmp(s, cal_kinds[i]) == 0 ||
		    strcasecmp(s, cal_kind_labels[i]) == 0)
			return cal_kinds[i];
	return NULL;
}

static int
is_utc_name(const char *tzid)
{
	return strcmp(tzid, "UTC") == 0 || strcmp(tzid, "Etc/UTC") == 0;
}

/* s as a local time or, when all_day, a date, into *t (floating).  0 or
 * -1. */
static int
parse_local(const char *s, int all_day, struct icaltimetype *t)
{
	return recur_parse_local(s, 0, t) != 0 || t->is_date != (all_day != 0)
		       ? -1
		       : 0;
}

/* ---- writing ---- */

static const char *
str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* A DTSTART, DTEND, EXDATE or RECURRENCE-ID of local in tzid: a date
 * (VALUE=DATE), a UTC time (...Z) or a local time with its TZID. */
static icalproperty *
time_prop(icalproperty_kind kind, const char *tzid, struct icaltimetype t)
{
	icalproperty *p;

	if (!t.is_date && is_utc_name(tzid))
		t.zone = icaltimezone_get_utc_timezone();
	switch (kind) {
	case ICAL_DTSTART_PROPERTY: p = icalproperty_new_dtstart(t); break;
	case ICAL_DTEND_PROPERTY: p = icalproperty_new_dtend(t); break;
	case ICAL_EXDATE_PROPERTY: p = icalproperty_new_exdate(t); break;
	default: p = icalproperty_new_recurrenceid(t); break;
	}
	if (t.is_date)
		icalproperty_add_parameter(p,
					   icalparameter_new_value(ICAL_VALUE_DATE));
	else if (!is_utc_name(tzid))
		icalproperty_add_parameter(p, icalparameter_new_tzid(tzid));
	return p;
}

/* DTEND of a meeting: an all-day meeting's last day is inclusive in our
 * tables and exclusive in iCalendar. */
static struct icaltimetype
end_time(struct icaltimetype end)
{
	if (end.is_date)
		icaltime_adjust(&end, 1, 0, 0, 0);
	return end;
}

/* The agenda (Markdown) as plain text; malloc'd. */
static char *
agenda_text(const char *md)
{
	cmark_node *doc;
	char *text;

	if (md == NULL || *md == '\0')
		return xstrdup("");
	doc = cmark_parse_document(md, strlen(md), CMARK_OPT_DEFAULT);
	text = cmark_render_plaintext(doc, CMARK_OPT_DEFAULT, 0);
	cmark_node_free(doc);
	return text ? text : xstrdup(md);
}

static icalproperty_status
status_of(const char *s)
{
	if (s && strcmp(s, "tentative") == 0)
		return ICAL_STATUS_TENTATIVE;
	if (s && strcmp(s, "cancelled") == 0)
		return ICAL_STATUS_CANCELLED;
	return ICAL_STATUS_CONFIRMED;
}

/* The properties every VEVENT of meeting m shares: UID, SEQUENCE,
 * DTSTAMP, LAST-MODIFIED, SUMMARY, URL, CATEGORIES. */
static void
common_props(icalcomponent *ev, const struct ics_calendar *cal, json_t *m)
{
	const char *body = str(m, "body"), *party = str(m, "party");
	const char *slug = str(m, "slug");
	json_int_t updated = json_integer_value(json_object_get(m, "updated_at"));

	icalcomponent_add_property(ev, icalproperty_new_uid(str(m, "uid")));
	icalcomponent_add_property(
		ev, icalproperty_new_sequence(
			    (int)json_integer_value(json_object_get(m, "sequence"))));
	icalcomponent_add_property(
		ev, icalproperty_new_dtstamp(icaltime_from_timet_with_zone(
			    (time_t)cal->now, 0, icaltimezone_get_utc_timezone())));
	if (updated > 0)
		icalcomponent_add_property(
			ev, icalproperty_new_lastmodified(
				    icaltime_from_timet_with_zone(
					    (time_t)updated, 0,
					    icaltimezone_get_utc_timezone())));
	icalcomponent_add_property(
		ev, icalproperty_new_summary(str(m, "title") ? str(m, "title")
							      : ""));
	if (slug && cal->base_url) {
		struct buf u = BUF_INIT;

		buf_printf(&u, "%s/calendar/%s", cal->base_url, slug);
		icalcomponent_add_property(ev, icalproperty_new_url(buf_cstr(&u)));
		buf_free(&u);
	}
	icalcomponent_add_property(
		ev, icalproperty_new_categories(_(cal_label(cal_kinds, cal_kind_labels, str(m, "kind")))));
	if (body && *body)
		icalcomponent_add_property(ev, icalproperty_new_categories(body));
	if (party && *party)
		icalcomponent_add_property(ev, icalproperty_new_categories(party));
}

/* DESCRIPTION: a note (an override's) before the agenda, and the online
 * link where the caller put one in m (a registered person's feed; never
 * a public one).  NULL when there is nothing to say. */
static icalproperty *
description(json_t *m, const char *note)
{
	char *agenda = agenda_text(str(m, "agenda_md"));
	const char *online = str(m, "online_url");
	struct buf d = BUF_INIT;
	icalproperty *p = NULL;
	size_t n = strlen(agenda);

	while (n > 0 && agenda[n - 1] == '\n')
		agenda[--n] = '\0';
	if (note && *note) {
		buf_puts(&d, note);
		if (n)
			buf_puts(&d, "\n\n");
	}
	buf_puts(&d, agenda);
	if (online && *online) {
		if (d.len)
			buf_puts(&d, "\n\n");
		buf_puts(&d, online);
	}
	if (d.len)
		p = icalproperty_new_description(buf_cstr(&d));
	buf_free(&d);
	free(agenda);
	return p;
}

/* The override of m for the occurrence key, or NULL. */
static json_t *
override_of(json_t *m, const char *key)
{
	json_t *x;
	size_t i;

	json_array_foreach(json_object_get(m, "overrides"), i, x)
		if (str(x, "recurrence_local") &&
		    strcmp(str(x, "recurrence_local"), key) == 0)
			return x;
	return NULL;
}

/*
 * The occurrences of m listed in its "only" (their original local
 * starts: what a person registered for, one by one), each a VEVENT of
 * its own without a rule: UID "UID/KEY" (KEY the start in iCalendar's
 * form), its time (an override's when it was moved), STATUS:CANCELLED
 * when it was cancelled; one skipped by an EXDATE is left out.
 */
static void
add_occurrences(icalcomponent *vcal, const struct ics_calendar *cal,
		json_t *m, struct icaltimetype start, struct icaltimetype end)
{
	const char *tzid = str(m, "time_zone"), *uid = str(m, "uid");
	const char *place = str(m, "place");
	int all_day = start.is_date;
	struct icaltimetype key, s, e;
	int64_t length;
	json_t *k, *x, *ov;
	size_t i, j;
	icalproperty *p;

	start.is_date = end.is_date = 0;
	length = (int64_t)icaltime_as_timet(end) - (int64_t)icaltime_as_timet(start);
	json_array_foreach(json_object_get(m, "only"), i, k) {
		const char *ks = json_string_value(k);
		int skipped = 0;
		char id[160], compact[20];
		icalcomponent *ev;

		if (parse_local(ks, all_day, &key) != 0)
			continue;
		json_array_foreach(json_object_get(m, "exdates"), j, x)
			skipped |= json_string_value(x) &&
				   strcmp(json_string_value(x), ks) == 0;
		if (skipped)
			continue;
		s = key;
		e = key;
		if (all_day)
			icaltime_adjust(&e, (int)(length / 86400), 0, 0, 0);
		else
			icaltime_adjust(&e, 0, 0, 0, (int)length);
		ov = override_of(m, ks);
		if (ov && (parse_local(str(ov, "starts_local"), all_day, &s) != 0 ||
			   parse_local(str(ov, "ends_local"), all_day, &e) != 0))
			continue;
		if (all_day)
			snprintf(compact, sizeof(compact), "%04d%02d%02d", key.year,
				 key.month, key.day);
		else
			snprintf(compact, sizeof(compact), "%04d%02d%02dT%02d%02d%02d",
				 key.year, key.month, key.day, key.hour,
				 key.minute, key.second);
		snprintf(id, sizeof(id), "%s/%s", uid, compact);
		ev = icalcomponent_new_vevent();
		common_props(ev, cal, m);
		icalproperty_set_uid(
			icalcomponent_get_first_property(ev, ICAL_UID_PROPERTY), id);
		icalcomponent_add_property(ev, time_prop(ICAL_DTSTART_PROPERTY,
							 tzid, s));
		icalcomponent_add_property(ev, time_prop(ICAL_DTEND_PROPERTY, tzid,
							 end_time(e)));
		if (ov && str(ov, "place"))
			place = str(ov, "place");
		if (place && *place)
			icalcomponent_add_property(ev,
						   icalproperty_new_location(place));
		if ((p = description(m, ov ? str(ov, "note") : NULL)) != NULL)
			icalcomponent_add_property(ev, p);
		icalcomponent_add_property(
			ev, icalproperty_new_status(
				    ov && json_integer_value(json_object_get(
						  ov, "cancelled"))
					    ? ICAL_STATUS_CANCELLED
					    : status_of(str(m, "status"))));
		icalcomponent_add_component(vcal, ev);
		place = str(m, "place");
	}
}

/* Adds the VEVENTs of meeting m to cal (the series, or only the
 * occurrences its "only" lists); 0, or -1 when a time, the zone or the
 * rule cannot be read (nothing added). */
static int
add_meeting(icalcomponent *vcal, const struct ics_calendar *cal, json_t *m)
{
	const char *tzid = str(m, "time_zone"), *rrule = str(m, "rrule");
	const char *place = str(m, "place");
	int all_day = json_integer_value(json_object_get(m, "all_day")) != 0;
	struct icaltimetype start, end;
	struct icalrecurrencetype rule;
	icalcomponent *ev, *ov;
	icalproperty *p;
	json_t *x;
	size_t i;

	if (recur_zone(tzid) == NULL ||
	    parse_local(str(m, "starts_local"), all_day, &start) != 0 ||
	    parse_local(str(m, "ends_local"), all_day, &end) != 0)
		return -1;
	if (rrule && *rrule) {
		rule = icalrecurrencetype_from_string(rrule);
		if (rule.freq == ICAL_NO_RECURRENCE) {
			icalerror_clear_errno();
			return -1;
		}
	}
	if (json_is_array(json_object_get(m, "only"))) {
		add_occurrences(vcal, cal, m, start, end);
		return 0;
	}
	ev = icalcomponent_new_vevent();
	common_props(ev, cal, m);
	icalcomponent_add_property(ev, time_prop(ICAL_DTSTART_PROPERTY, tzid,
						 start));
	icalcomponent_add_property(ev, time_prop(ICAL_DTEND_PROPERTY, tzid,
						 end_time(end)));
	if (rrule && *rrule)
		icalcomponent_add_property(ev, icalproperty_new_rrule(rule));
	json_array_foreach(json_object_get(m, "exdates"), i, x) {
		struct icaltimetype t;

		if (parse_local(json_string_value(x), all_day, &t) == 0)
			icalcomponent_add_property(
				ev, time_prop(ICAL_EXDATE_PROPERTY, tzid, t));
	}
	if (place && *place)
		icalcomponent_add_property(ev, icalproperty_new_location(place));
	if ((p = description(m, NULL)) != NULL)
		icalcomponent_add_property(ev, p);
	icalcomponent_add_property(ev, icalproperty_new_status(
					       status_of(str(m, "status"))));
	icalcomponent_add_component(vcal, ev);

	/* each changed or cancelled occurrence: the same UID, its original
	 * start as RECURRENCE-ID */
	json_array_foreach(json_object_get(m, "overrides"), i, x) {
		struct icaltimetype rid, s, e;
		const char *op = str(x, "place");
		int cancelled = json_integer_value(json_object_get(x, "cancelled")) != 0;

		if (parse_local(str(x, "recurrence_local"), all_day, &rid) != 0 ||
		    parse_local(str(x, "starts_local"), all_day, &s) != 0 ||
		    parse_local(str(x, "ends_local"), all_day, &e) != 0) {
			log_error("ics: meeting %s: an override cannot be "
				  "read; left out",
				  str(m, "uid"));
			continue;
		}
		ov = icalcomponent_new_vevent();
		common_props(ov, cal, m);
		icalcomponent_add_property(
			ov, time_prop(ICAL_RECURRENCEID_PROPERTY, tzid, rid));
		icalcomponent_add_property(
			ov, time_prop(ICAL_DTSTART_PROPERTY, tzid, s));
		icalcomponent_add_property(
			ov, time_prop(ICAL_DTEND_PROPERTY, tzid, end_time(e)));
		if (op == NULL)
			op = place;
		if (op && *op)
			icalcomponent_add_property(ov,
						   icalproperty_new_location(op));
		if ((p = description(m, str(x, "note"))) != NULL)
			icalcomponent_add_property(ov, p);
		icalcomponent_add_property(
			ov, icalproperty_new_status(
				    cancelled ? ICAL_STATUS_CANCELLED
					      : status_of(str(m, "status"))));
		icalcomponent_add_component(vcal, ov);
	}
	return 0;
}

/* The VTIMEZONE of an IANA zone, libical's, under its IANA name; NULL
 * for UTC (no VTIMEZONE needed) or an unknown zone. */
static icalcomponent *
vtimezone(const char *tzid)
{
	icaltimezone *z;
	icalcomponent *c = NULL;
	icalproperty *p;

	if (is_utc_name(tzid) || (z = recur_zone(tzid)) == NULL)
		return NULL;
	recur_zone_lock();
	if (icaltimezone_get_component(z))
		c = icalcomponent_new_clone(icaltimezone_get_component(z));
	recur_zone_unlock();
	if (c && (p = icalcomponent_get_first_property(c, ICAL_TZID_PROPERTY)))
		icalproperty_set_tzid(p, tzid);
	return c;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

size_t
ics_write(const struct ics_calendar *cal, json_t *meetings, struct buf *out)
{
	icalcomponent *vcal = icalcomponent_new_vcalendar();
	size_t i, n = 0, nzones = 0;
	const char **zones;
	char *text;
	json_t *m;

	icalcomponent_add_property(
		vcal, icalproperty_new_prodid("-//Alliance of NGOs on Crime "
					      "Prevention and Criminal "
					      "Justice//alliance//EN"));
	icalcomponent_add_property(vcal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(vcal, icalproperty_new_calscale("GREGORIAN"));
	if (cal->cancel)
		icalcomponent_add_property(
			vcal, icalproperty_new_method(ICAL_METHOD_CANCEL));
	else if (cal->publish)
		icalcomponent_add_property(
			vcal, icalproperty_new_method(ICAL_METHOD_PUBLISH));
	if (cal->name) {
		icalproperty *p = icalproperty_new_x(cal->name);

		icalproperty_set_x_name(p, "X-WR-CALNAME");
		icalcomponent_add_property(vcal, p);
	}
	/* the zones used, each once, sorted: the VTIMEZONEs come first */
	zones = xcalloc(json_array_size(meetings) + 1, sizeof(*zones));
	json_array_foreach(meetings, i, m) {
		const char *z = str(m, "time_zone");
		size_t k;

		for (k = 0; z && k < nzones && strcmp(zones[k], z) != 0; k++)
			;
		if (z && k == nzones)
			zones[nzones++] = z;
	}
	qsort(zones, nzones, sizeof(*zones), cmp_str);
	for (i = 0; i < nzones; i++) {
		icalcomponent *tz = vtimezone(zones[i]);

		if (tz)
			icalcomponent_add_component(vcal, tz);
	}
	free(zones);
	json_array_foreach(meetings, i, m) {
		if (add_meeting(vcal, cal, m) == 0)
			n++;
		else
			log_error("ics: meeting %s (%s) cannot be written: its "
				  "zone, times or rule are not readable",
				  str(m, "uid") ? str(m, "uid") : "?",
				  str(m, "time_zone") ? str(m, "time_zone")
						      : "?");
	}
	text = icalcomponent_as_ical_string_r(vcal);
	buf_puts(out, text ? text : "");
	free(text);
	icalcomponent_free(vcal);
	return n;
}

/* ---- reading ---- */

/* How a component names itself in a message: "SUMMARY" (UID). */
static void
add_refusal(json_t *errors, icalcomponent *ev, const char *why)
{
	const char *summary = icalcomponent_get_summary(ev);
	const char *uid = icalcomponent_get_uid(ev);
	struct buf b = BUF_INIT;

	buf_printf(&b, _("the event \"%s\" (UID %s): %s"),
		   summary && *summary ? summary : _("untitled"),
		   uid && *uid ? uid : "-", why);
	json_array_append_new(errors, json_string_lossy(b.data, b.len));
	buf_free(&b);
}

/* The IANA name a TZID stands for, into out[64]: the TZID itself when
 * it is one; its VTIMEZONE's X-LIC-LOCATION when that is one; else the
 * longest tail after a '/' that is one ("/mozilla.org/20050126_1/
 * America/New_York").  0, or -1 when none is (Windows names, invented
 * ones). */
static int
iana_of(icalcomponent *vcal, const char *tzid, char out[64])
{
	icalcomponent *tz;

	if (tzid == NULL || strlen(tzid) >= 64)
		return -1;
	if (recur_zone(tzid)) {
		snprintf(out, 64, "%s", tzid);
		return 0;
	}
	for (tz = icalcomponent_get_first_component(vcal, ICAL_VTIMEZONE_COMPONENT);
	     tz; tz = icalcomponent_get_next_component(vcal,
						       ICAL_VTIMEZONE_COMPONENT)) {
		icalproperty *id = icalcomponent_get_first_property(
			tz, ICAL_TZID_PROPERTY);
		icalproperty *x;

		if (id == NULL || strcmp(icalproperty_get_tzid(id), tzid) != 0)
			continue;
		for (x = icalcomponent_get_first_property(tz, ICAL_X_PROPERTY);
		     x; x = icalcomponent_get_next_property(tz, ICAL_X_PROPERTY))
			if (strcmp(icalproperty_get_x_name(x),
				   "X-LIC-LOCATION") == 0 &&
			    icalproperty_get_x(x) && recur_zone(icalproperty_get_x(x)) &&
			    strlen(icalproperty_get_x(x)) < 64) {
				snprintf(out, 64, "%s", icalproperty_get_x(x));
				return 0;
			}
	}
	for (const char *p = strchr(tzid, '/'); p; p = strchr(p + 1, '/'))
		if (p[1] && recur_zone(p + 1)) {
			snprintf(out, 64, "%s", p + 1);
			return 0;
		}
	return -1;
}

/* A time property's value and zone: *t the value as written (floating),
 * zone into out[64] ("UTC" for a ...Z time, "" for a date or a floating
 * time).  0, -1 when absent or unreadable, -2 when its TZID names no
 * IANA zone (out holds the TZID, cut). */
static int
time_of(icalcomponent *vcal, icalproperty *p, struct icaltimetype *t,
	char out[64])
{
	icalparameter *tz;
	icalvalue *v;

	out[0] = '\0';
	if (p == NULL || (v = icalproperty_get_value(p)) == NULL)
		return -1;
	if (icalvalue_isa(v) != ICAL_DATETIME_VALUE &&
	    icalvalue_isa(v) != ICAL_DATE_VALUE)
		return -1;
	*t = icalvalue_get_datetime(v);
	if (icaltime_is_null_time(*t) || !icaltime_is_valid_time(*t))
		return -1;
	if (t->is_date)
		return 0;
	if (icaltime_is_utc(*t)) {
		snprintf(out, 64, "UTC");
		t->zone = NULL;
		return 0;
	}
	tz = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
	if (tz == NULL)
		return 0;
	if (iana_of(vcal, icalparameter_get_tzid(tz), out) != 0) {
		snprintf(out, 64, "%s", icalparameter_get_tzid(tz));
		return -2;
	}
	return 0;
}

/* t written in zone from, as a wall-clock time of zone to (both IANA
 * names; a date stays a date). */
static struct icaltimetype
to_zone(struct icaltimetype t, const char *from, const char *to)
{
	icaltimezone *zf, *zt;

	if (t.is_date || strcmp(from, to) == 0 || (zf = recur_zone(from)) == NULL ||
	    (zt = recur_zone(to)) == NULL)
		return t;
	recur_zone_lock();
	t.zone = NULL;
	icaltimezone_convert_time(&t, zf, zt);
	recur_zone_unlock();
	t.zone = NULL;
	return t;
}

/* The UTC instant of the floating time (or date: its midnight) t in the
 * IANA zone tzid (0 when it cannot be placed: recur_set_bounds then
 * leaves the series alone, and an override has been read already). */
static int64_t
utc_of(struct icaltimetype t, const char *tzid)
{
	char local[RECUR_LOCAL_LEN];
	int64_t u = 0;

	t.is_date = 0;
	recur_format_local(t, local);
	recur_local_to_utc(tzid, local, &u);
	return u;
}

/* The times of a VEVENT in the zone of its series (*zone, chosen by the
 * series' DTSTART and given for an override): start, end (an all-day
 * end inclusive, as our tables keep it).  NULL, or a sentence (N_()) why
 * not. */
static const char *
event_times(icalcomponent *vcal, icalcomponent *ev, char zone[64],
	    const char *fallback, struct icaltimetype *s, struct icaltimetype *e)
{
	char zs[64], ze[64];
	int rc;
	icalproperty *pe;

	rc = time_of(vcal, icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY),
		     s, zs);
	if (rc == -2)
		return N_("its time zone is not an IANA time zone (such as "
			  "Europe/Vienna)");
	if (rc != 0)
		return N_("it has no readable DTSTART");
	if (!s->is_date && zs[0] == '\0')
		return N_("its start is a floating time, without a time zone");
	if (zone[0] == '\0')
		snprintf(zone, 64, "%s", s->is_date ? fallback : zs);
	else if (!s->is_date)
		*s = to_zone(*s, zs, zone);
	if ((pe = icalcomponent_get_first_property(ev, ICAL_DTEND_PROPERTY))) {
		rc = time_of(vcal, pe, e, ze);
		if (rc == -2)
			return N_("its time zone is not an IANA time zone (such "
				  "as Europe/Vienna)");
		if (rc != 0 || e->is_date != s->is_date)
			return N_("its DTEND cannot be read");
		if (!e->is_date)
			*e = to_zone(*e, ze[0] ? ze : zone, zone);
	} else if (icalcomponent_get_first_property(ev, ICAL_DURATION_PROPERTY)) {
		*e = icaltime_add(*s, icalcomponent_get_duration(ev));
	} else {
		*e = *s;
		if (s->is_date)
			icaltime_adjust(e, 1, 0, 0, 0);
	}
	if (s->is_date) { /* DTEND exclusive, ends_local the last day */
		icaltime_adjust(e, -1, 0, 0, 0);
		e->is_date = 1;
	}
	if (icaltime_compare(*e, *s) < 0)
		*e = *s;
	return NULL;
}

/* The series object of a VEVENT (no RECURRENCE-ID), or NULL with the
 * refusal added. */
static json_t *
read_series(icalcomponent *vcal, icalcomponent *ev, const char *fallback,
	    json_t *errors)
{
	struct icaltimetype s, e;
	char zone[64] = "", sl[20], el[20];
	const char *why, *kind = "alliance", *rrule = NULL;
	icalproperty *p;
	json_t *m, *exdates = json_array();
	char *rtext = NULL;
	int64_t su, eu;

	if ((why = event_times(vcal, ev, zone, fallback, &s, &e)) != NULL) {
		add_refusal(errors, ev, _(why));
		json_decref(exdates);
		return NULL;
	}
	if (icalcomponent_count_properties(ev, ICAL_RRULE_PROPERTY) > 1 ||
	    icalcomponent_count_properties(ev, ICAL_RDATE_PROPERTY) > 0) {
		add_refusal(errors, ev,
			    _("it has RDATE or more than one RRULE, which the "
			      "calendar does not keep"));
		json_decref(exdates);
		return NULL;
	}
	if ((p = icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY))) {
		struct icalrecurrencetype r = icalproperty_get_rrule(p);

		if (r.freq == ICAL_NO_RECURRENCE ||
		    (rtext = icalrecurrencetype_as_string_r(&r)) == NULL) {
			add_refusal(errors, ev, _("its RRULE cannot be read"));
			json_decref(exdates);
			return NULL;
		}
		rrule = rtext;
	}
	for (p = icalcomponent_get_first_property(ev, ICAL_EXDATE_PROPERTY); p;
	     p = icalcomponent_get_next_property(ev, ICAL_EXDATE_PROPERTY)) {
		struct icaltimetype x;
		char zx[64], xl[20];

		if (time_of(vcal, p, &x, zx) != 0 || x.is_date != s.is_date) {
			add_refusal(errors, ev, _("an EXDATE cannot be read"));
			json_decref(exdates);
			free(rtext);
			return NULL;
		}
		if (!x.is_date)
			x = to_zone(x, zx[0] ? zx : zone, zone);
		recur_format_local(x, xl);
		json_array_append_new(exdates, json_string(xl));
	}
	for (p = icalcomponent_get_first_property(ev, ICAL_CATEGORIES_PROPERTY);
	     p; p = icalcomponent_get_next_property(ev, ICAL_CATEGORIES_PROPERTY)) {
		/* one property may list several, separated by commas */
		char *list = xstrdup(icalproperty_get_categories(p)), *save = NULL;

		for (char *c = strtok_r(list, ",", &save); c;
		     c = strtok_r(NULL, ",", &save)) {
			while (*c == ' ')
				c++;
			if (kind_named(c) && strcmp(kind, "alliance") == 0)
				kind = kind_named(c);
		}
		free(list);
	}
	recur_format_local(s, sl);
	recur_format_local(e, el);
	su = utc_of(s, zone);
	if (s.is_date) {
		struct icaltimetype after = e;

		icaltime_adjust(&after, 1, 0, 0, 0);
		eu = utc_of(after, zone);
	} else {
		eu = utc_of(e, zone);
	}
	m = json_pack("{s:s,s:s,s:s,s:s,s:i,s:s,s:s,s:I,s:I,s:s?,s:s,s:s,s:s,"
		      "s:o,s:[]}",
		      "uid", icalcomponent_get_uid(ev), "title",
		      icalcomponent_get_summary(ev) ? icalcomponent_get_summary(ev)
						    : "",
		      "kind", kind, "time_zone", zone, "all_day", s.is_date,
		      "starts_local", sl, "ends_local", el, "starts_utc",
		      (json_int_t)su, "ends_utc", (json_int_t)eu, "rrule", rrule,
		      "place",
		      icalcomponent_get_location(ev) ? icalcomponent_get_location(ev)
						     : "",
		      "agenda_md",
		      icalcomponent_get_description(ev)
			      ? icalcomponent_get_description(ev)
			      : "",
		      "status",
		      icalcomponent_get_status(ev) == ICAL_STATUS_CANCELLED
			      ? "cancelled"
		      : icalcomponent_get_status(ev) == ICAL_STATUS_TENTATIVE
			      ? "tentative"
			      : "confirmed",
		      "exdates", exdates, "overrides");
	json_object_set_new(m, "last_ends_utc", json_integer(eu));
	free(rtext);
	return m;
}

/* Adds the override a VEVENT with RECURRENCE-ID makes to its series m,
 * or a refusal. */
static void
read_override(icalcomponent *vcal, icalcomponent *ev, json_t *m, json_t *errors)
{
	char zone[64], zr[64], rl[20], sl[20], el[20];
	struct icaltimetype rid, s, e;
	const char *why, *loc = icalcomponent_get_location(ev);
	int all_day = json_integer_value(json_object_get(m, "all_day")) != 0;
	int64_t su, eu;

	snprintf(zone, sizeof(zone), "%s", str(m, "time_zone"));
	if (time_of(vcal, icalcomponent_get_first_property(ev, ICAL_RECURRENCEID_PROPERTY),
		    &rid, zr) != 0 || rid.is_date != all_day) {
		add_refusal(errors, ev, _("its RECURRENCE-ID cannot be read"));
		return;
	}
	if (!rid.is_date)
		rid = to_zone(rid, zr[0] ? zr : zone, zone);
	if ((why = event_times(vcal, ev, zone, zone, &s, &e)) != NULL) {
		add_refusal(errors, ev, _(why));
		return;
	}
	if (s.is_date != all_day) {
		add_refusal(errors, ev,
			    _("a changed occurrence must be all-day when its "
			      "series is, and timed when it is"));
		return;
	}
	recur_format_local(rid, rl);
	recur_format_local(s, sl);
	recur_format_local(e, el);
	su = utc_of(s, zone);
	if (all_day)
		icaltime_adjust(&e, 1, 0, 0, 0);
	eu = utc_of(e, zone);
	json_array_append_new(
		json_object_get(m, "overrides"),
		json_pack("{s:s,s:s,s:s,s:I,s:I,s:s?,s:s,s:i}", "recurrence_local",
			  rl, "starts_local", sl, "ends_local", el, "starts_utc",
			  (json_int_t)su, "ends_utc", (json_int_t)eu, "place",
			  loc && *loc && strcmp(loc, str(m, "place")) != 0 ? loc
									 : NULL,
			  "note", "", "cancelled",
			  icalcomponent_get_status(ev) == ICAL_STATUS_CANCELLED));
}

/* The calendar's own zone (X-WR-TIMEZONE) when it is an IANA one, for
 * all-day events, else "UTC". */
static void
calendar_zone(icalcomponent *vcal, char out[64])
{
	icalproperty *x;

	snprintf(out, 64, "UTC");
	for (x = icalcomponent_get_first_property(vcal, ICAL_X_PROPERTY); x;
	     x = icalcomponent_get_next_property(vcal, ICAL_X_PROPERTY))
		if (strcmp(icalproperty_get_x_name(x), "X-WR-TIMEZONE") == 0 &&
		    icalproperty_get_x(x))
			iana_of(vcal, icalproperty_get_x(x), out) == 0
				? (void)0
				: (void)snprintf(out, 64, "UTC");
}

int
ics_read(const char *data, size_t len, json_t **meetings, json_t **errors)
{
	char *text = xstrndup(data, len);
	icalcomponent *root, *vcal, *ev, **events;
	size_t nevents = 0;
	json_t *byuid = json_object();
	char fallback[64];

	*meetings = json_array();
	*errors = json_array();
	if (!utf8_valid(data, len) || strlen(text) != len) {
		free(text);
		json_decref(byuid);
		json_array_append_new(*errors,
				      json_string(_("the file is not UTF-8 text")));
		return 1;
	}
	root = icalparser_parse_string(text);
	free(text);
	vcal = root && icalcomponent_isa(root) == ICAL_VCALENDAR_COMPONENT
		       ? root
		       : root ? icalcomponent_get_first_component(
					root, ICAL_VCALENDAR_COMPONENT)
			      : NULL;
	if (vcal == NULL) {
		if (root)
			icalcomponent_free(root);
		icalerror_clear_errno();
		json_decref(byuid);
		json_array_append_new(
			*errors, json_string(_("the file is not an iCalendar file "
					       "(no BEGIN:VCALENDAR)")));
		return 1;
	}
	calendar_zone(vcal, fallback);
	/* the events first (a component has one iterator, which looking up
	 * a VTIMEZONE would move) */
	for (ev = icalcomponent_get_first_component(vcal, ICAL_VEVENT_COMPONENT);
	     ev; ev = icalcomponent_get_next_component(vcal, ICAL_VEVENT_COMPONENT))
		nevents++;
	events = xcalloc(nevents + 1, sizeof(*events));
	nevents = 0;
	for (ev = icalcomponent_get_first_component(vcal, ICAL_VEVENT_COMPONENT);
	     ev; ev = icalcomponent_get_next_component(vcal, ICAL_VEVENT_COMPONENT))
		events[nevents++] = ev;
	/* the series first, then the occurrences they change */
	for (int pass = 0; pass < 2; pass++)
		for (size_t e = 0; e < nevents && (ev = events[e]); e++) {
			const char *uid = icalcomponent_get_uid(ev);
			int is_override = icalcomponent_get_first_property(
						  ev, ICAL_RECURRENCEID_PROPERTY) != NULL;
			json_t *m;

			if (is_override != pass)
				continue;
			if (uid == NULL || *uid == '\0') {
				if (pass == 0)
					add_refusal(*errors, ev,
						    _("it has no UID"));
				continue;
			}
			if (pass == 1) {
				m = json_object_get(byuid, uid);
				if (json_is_object(m))
					read_override(vcal, ev, m, *errors);
				else if (m == NULL) /* null: refused above */
					add_refusal(*errors, ev,
						    _("it changes an occurrence of "
						      "a series that is not in the "
						      "file"));
				continue;
			}
			if (json_object_get(byuid, uid)) {
				add_refusal(*errors, ev,
					    _("another event of the file has "
					      "the same UID"));
				continue;
			}
			m = read_series(vcal, ev, fallback, *errors);
			json_object_set_new(byuid, uid, m ? m : json_null());
			if (m)
				json_array_append(*meetings, m);
		}
	/* the UTC columns as the desk computes them (recur_bounds): the
	 * rule's UNTIL placed in the zone, moved occurrences counted */
	for (size_t i = 0; i < json_array_size(*meetings); i++)
		recur_set_bounds(json_array_get(*meetings, i));
	json_decref(byuid);
	free(events);
	icalcomponent_free(root);
	icalerror_clear_errno();
	if (json_array_size(*meetings) == 0 && json_array_size(*errors) == 0)
		json_array_append_new(*errors,
				      json_string(_("the file has no events")));
	return json_array_size(*errors) > 0;
}
