/*
 * desk_int.h -- what the secretariat's desk files share (desk.c: the
 * meetings and their form; desk_occurrence.c: a meeting's page and its
 * occurrences).
 */
#ifndef ALLIANCE_CALENDAR_DESK_INT_H
#define ALLIANCE_CALENDAR_DESK_INT_H

#include "calendar_int.h"

/* The values of the desk pages' "done" notice. */
extern const char *const desk_done_values[];

/* A 500 saying the calendar could not be read. */
void desk_read_failed(struct req *r, struct resp *w);
/* The string member k of o, or NULL. */
const char *desk_str(json_t *o, const char *k);
/* The text of a present field, or NULL. */
const char *desk_text(struct req *r, const char *name);
/* The local time of a date field and a time field ("YYYY-MM-DDTHH:MM:SS",
 * or the date alone when all_day), or NULL with the fields' errors
 * (required: missing is an error). */
const char *desk_local_of(struct req *r, const char *date_field,
			  const char *time_field, int all_day, int required);
/* The choices of a select: [{value, label (translated), selected}]. */
json_t *desk_options(const char *const *values, const char *const *labels,
		     const char *current);
/* Binds n, or NULL when n < 0. */
void desk_bind_n(struct db_stmt *st, int i, int64_t n);
/* The meeting of route parameter slug into *m: 0, or 1 with a 404 or -1
 * with a 500 answered. */
int desk_meeting_or_respond(struct req *r, struct resp *w, json_t **m);
/* Tells the people registered for the meeting of slug, as this
 * transaction has it now, of change (cal_tell_registered).  0 or -1. */
int desk_tell(struct req *r, const char *slug, const char *key,
	      enum cal_tell change);
/* Whether changing meeting m to these values concerns the people
 * registered: its times, zone, rule, place, mode or online link (the
 * desk's form and a working party's, calendar/parties.c). */
int desk_changed_for_people(json_t *m, const char *tz, const char *starts,
			    const char *ends, const char *rrule,
			    const char *place, const char *mode,
			    const char *online_url);
/* desk_occurrence.c: the page of meeting m (owned: freed), with status;
 * failed: the occurrence whose form r->errors belong to, or NULL. */
void desk_meeting_page(struct req *r, struct resp *w, int status, json_t *m,
		       const char *failed);

/* The start and end fields of the meeting form and an occurrence's. */
#define TIME_FIELDS                                                            \
	{.name = "starts_date", .type = FT_DATE, .label = N_("Start date")},   \
	{.name = "starts_time",                                                \
	 .type = FT_TEXT,                                                      \
	 .maxlen = 8,                                                          \
	 .label = N_("Start time")},                                           \
	{.name = "ends_date", .type = FT_DATE, .label = N_("End date")},       \
	{.name = "ends_time",                                                  \
	 .type = FT_TEXT,                                                      \
	 .maxlen = 8,                                                          \
	 .label = N_("End time")}

#endif
