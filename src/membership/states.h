/*
 * states.h -- the life of a membership: pending, active, grace, lapsed,
 * cancelled; the reminders before expiry, at the start of grace and at
 * lapse; and the reminder of an ECOSOC quadrennial report falling due.
 *
 * The rules are pure functions of dates (days since 1970-01-01), so they
 * are tested with the clock in the test's hands.  A daily job applies them
 * to every membership: it moves states, records each move in the audit
 * log, and sends each reminder once per period (membership_reminders).
 */
#ifndef ALLIANCE_MEMBERSHIP_STATES_H
#define ALLIANCE_MEMBERSHIP_STATES_H

#include <stddef.h>
#include <stdint.h>

#include "core/db.h"
#include "core/util.h"

enum mstate { MS_PENDING, MS_ACTIVE, MS_GRACE, MS_LAPSED, MS_CANCELLED,
	      MS_UNKNOWN };

#define STATES_DAILY_JOB "members.daily"

extern struct db_sql states_sql;

/* The stored names in enum order, NULL-terminated (a form's choices),
 * and their labels' msgids beside them (an option list's labels). */
extern const char *const states_values[];
extern const char *const states_labels[];

const char *states_name(enum mstate s);
enum mstate states_from(const char *name);
/* A stored state name as pages show it ("In its grace period"),
 * translated into the current language; an unknown name as it is. */
const char *states_label(const char *name);

/* 'YYYY-MM-DD' -> days since 1970-01-01; -1 when not a real date. */
long states_days(const char *ymd);
/* days since 1970-01-01 -> 'YYYY-MM-DD' (out: 11 bytes). */
void states_ymd(long days, char *out);

/*
 * The state a membership is in on day today: pending and cancelled stay
 * as they are (a person decides those); otherwise active up to and
 * including period_end, grace for grace_days after it, lapsed after that.
 */
enum mstate states_on(enum mstate current, long period_end,
			     int grace_days, long today);

/*
 * The expiry reminder due on day today for an active membership ending on
 * period_end, given the schedule (days before the end, any order): the
 * most urgent threshold already reached, as "expiry-N" in out (24 bytes).
 * Returns 0 when none is due (not active, more days left than any
 * threshold, or the period already over).
 */
int states_expiry_reminder(enum mstate s, long period_end, long today,
			    const int *schedule, size_t n, char *out);

/*
 * The next ECOSOC quadrennial report due date for an organisation in
 * general or special status granted in year_granted: reports cover four
 * years starting the year after the grant and are due on 1 June after
 * each period (granted 2004: 1 June 2009, 2013, ...).  Fills *due with
 * the first such date not before today and returns 1; 0 for roster or no
 * status.
 */
int states_un_report_due(const char *ecosoc_status, int year_granted,
			  long today, long *due);

/* Parses a schedule like "30,7" into out (at most max); the count, or -1
 * when it is not a list of whole days from 1 to 365. */
int states_parse_schedule(const char *text, int *out, size_t max);

/*
 * One daily pass at now (unix seconds): state moves, their audit records,
 * reminders (each once).  Returns the number of state moves plus messages,
 * or -1 (nothing is kept: one transaction).
 */
int64_t states_daily_run(struct db *db, int64_t now, const int *schedule,
			  size_t n);

/*
 * Mails subject and body to the people who answer for a membership: the
 * person of an individual one, an organisation's main contacts (ids 0 for
 * "none").  subject and body are msgids (N_()), each letter composed in
 * its reader's language (mail_language; else, for the person asker who
 * made the change on a page, that page's language, the current one; else
 * the default), their {name} arguments filled from args: name, value
 * pairs ended by NULL (NULL: none; at most eight pairs), values as they
 * are.  asker 0: nobody asked (the daily job).  Returns the number of
 * messages, or -1.
 */
int states_mail_contacts(struct db *db, int64_t person, int64_t organisation,
			 int64_t asker, const char *subject, const char *body,
			 const char *const *args);

/* Appends text with its {name} arguments filled from args (name, value
 * pairs ended by NULL; NULL: none; at most eight pairs) to out, as
 * i18n_format does. */
void states_format(struct buf *out, const char *text, const char *const *args);

/* The membership life cycle as a module without routes: the states
 * statements, the daily job (a declared recurring job, 05:00 UTC) and
 * the reminder_days setting. */
struct module;
extern const struct module states_module;

#endif
