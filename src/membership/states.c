/*
 * states.c -- see states.h.
 *
 * Dates are whole days since 1970-01-01 (the days-from-civil algorithm of
 * Howard Hinnant, exact for the Gregorian calendar; parsing, validity and
 * formatting are period.c's), so "30 days before the end" is a
 * subtraction.  The daily pass reads the memberships
 * that can still move (active, grace, lapsed) into memory first and then
 * writes, in one transaction with its audit records and messages.  A
 * reminder is claimed by inserting its (membership, kind, period) row
 * first: only the pass whose insert took sends it, so it goes once.
 */
#include "states.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/audit.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/http.h"
#include "core/i18n.h"
#include "core/jobs.h"
#include "core/log.h"
#include "core/mail.h"
#include "core/util.h"
#include "membership/period.h"

enum stmt_states {
	ST_MOVABLE,
	ST_SET_STATE,
	ST_REMIND,
	ST_RECIPIENTS,
	ST__MAX,
};

static const char *const states_sql_text[ST__MAX] = {
	[ST_MOVABLE] =
		"SELECT m.id, m.state, m.period_end, l.grace_days, l.name AS"
		" level, coalesce(m.organisation_id, 0) AS organisation,"
		" coalesce(m.person_id, 0) AS person,"
		" coalesce(o.name, p.name) AS member, o.ecosoc_status,"
		" o.ecosoc_year FROM memberships m"
		" JOIN membership_levels l ON l.id = m.level_id"
		" LEFT JOIN organisations o ON o.id = m.organisation_id"
		" LEFT JOIN people p ON p.id = m.person_id"
		" WHERE m.state IN ('active', 'grace', 'lapsed')",
	[ST_SET_STATE] = "UPDATE memberships SET state = ?, state_since = ?"
			 " WHERE id = ?",
	[ST_REMIND] = "INSERT INTO membership_reminders (membership_id, kind,"
		      " period_end, sent_at) VALUES (?, ?, ?, ?)"
		      " ON CONFLICT DO NOTHING",
	[ST_RECIPIENTS] =
		"SELECT id, email, name FROM people WHERE id = ?"
		" AND disabled_at IS NULL UNION ALL"
		" SELECT p.id, p.email, p.name FROM representatives r"
		" JOIN people p ON p.id = r.person_id"
		" WHERE r.organisation_id = ? AND r.main_contact = 1"
		" AND p.disabled_at IS NULL",
};

struct db_sql states_sql = {"members-states", states_sql_text, ST__MAX, 0};

/* Stored names (a membership's state column, the audit log, URLs) and,
 * beside them, what pages show (msgids): "grace" is a word of the rules,
 * "In its grace period" the words a person reads. */
const char *const states_values[] = {
	[MS_PENDING] = "pending", [MS_ACTIVE] = "active",
	[MS_GRACE] = "grace",	  [MS_LAPSED] = "lapsed",
	[MS_CANCELLED] = "cancelled", [MS_UNKNOWN] = NULL,
};
const char *const states_labels[] = {
	[MS_PENDING] = N_("Pending"),
	[MS_ACTIVE] = N_("Active"),
	[MS_GRACE] = N_("In its grace period"),
	[MS_LAPSED] = N_("Lapsed"),
	[MS_CANCELLED] = N_("Cancelled"),
	[MS_UNKNOWN] = NULL,
};

const char *
states_name(enum mstate s)
{
	return s < MS_UNKNOWN ? states_values[s] : "unknown";
}

const char *
states_label(const char *name)
{
	enum mstate s = states_from(name);

	return s < MS_UNKNOWN ? _(states_labels[s]) : (name ? name : "");
}

enum mstate
states_from(const char *name)
{
	for (int i = 0; name && i < MS_UNKNOWN; i++)
		if (strcmp(states_values[i], name) == 0)
			return (enum mstate)i;
	return MS_UNKNOWN;
}

/* Days since 1970-01-01 of a Gregorian date (valid y, m, d). */
static long
days_from_civil(long y, unsigned m, unsigned d)
{
	long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

long
states_days(const char *ymd)
{
	struct period_date d;

	if (ymd == NULL || period_parse(ymd, &d) != 0)
		return -1;
	return days_from_civil(d.y, (unsigned)d.m, (unsigned)d.d);
}

void
states_ymd(long days, char *out)
{
	long z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long y = (long)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	struct period_date d;

	d.d = (int)(doy - (153 * mp + 2) / 5 + 1);
	d.m = (int)(mp < 10 ? mp + 3 : mp - 9);
	d.y = (int)(y + (d.m <= 2));
	period_format(d, out);
}

enum mstate
states_on(enum mstate current, long period_end, int grace_days,
		 long today)
{
	if (current == MS_PENDING || current == MS_CANCELLED ||
	    current == MS_UNKNOWN)
		return current;
	if (today <= period_end)
		return MS_ACTIVE;
	if (today <= period_end + grace_days)
		return MS_GRACE;
	return MS_LAPSED;
}

int
states_expiry_reminder(enum mstate s, long period_end, long today,
			const int *schedule, size_t n, char *out)
{
	long left = period_end - today;
	int best = -1;

	if (s != MS_ACTIVE || left < 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (left <= schedule[i] && (best < 0 || schedule[i] < best))
			best = schedule[i];
	if (best < 0)
		return 0;
	snprintf(out, 24, "expiry-%d", best);
	return 1;
}

int
states_un_report_due(const char *ecosoc_status, int year_granted, long today,
		      long *due)
{
	if (ecosoc_status == NULL || year_granted < 1946 ||
	    (strcmp(ecosoc_status, "general") != 0 &&
	     strcmp(ecosoc_status, "special") != 0))
		return 0;
	/* periods: granted+1 .. granted+4, then every four years; each
	 * report due 1 June of the following year */
	for (long y = year_granted + 5;; y += 4) {
		long d = days_from_civil(y, 6, 1);

		if (d >= today) {
			*due = d;
			return 1;
		}
	}
}

int
states_parse_schedule(const char *text, int *out, size_t max)
{
	const char *p = text;
	size_t n = 0;

	while (p && *p) {
		char *end;
		long v = strtol(p, &end, 10);

		if (end == p || v < 1 || v > 365 || n == max)
			return -1;
		out[n++] = (int)v;
		p = end;
		while (*p == ' ')
			p++;
		if (*p == ',')
			p++;
		else if (*p != '\0')
			return -1;
		while (*p == ' ')
			p++;
	}
	return (int)n;
}

/* Claims reminder kind for the membership and period; 1 when this pass
 * must send it, 0 when it went before, -1 on error. */
static int
claim(struct db *db, int64_t membership, const char *kind, const char *when,
      int64_t now)
{
	struct db_stmt *st = db_stmt(db, &states_sql, ST_REMIND);

	if (st == NULL)
		return -1;
	db_bind_int(st, 1, membership);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, when);
	db_bind_int(st, 4, now);
	if (db_run(st) != 0)
		return -1;
	return db_changes(db) == 1;
}

void
states_format(struct buf *out, const char *text, const char *const *args)
{
	const char *arg[16] = {0};

	for (size_t i = 0; args && args[i]; i += 2) {
		/* our own calls: never more pairs than arg holds */
		assert(i + 1 < ARRAY_LEN(arg));
		arg[i] = args[i];
		arg[i + 1] = args[i + 1];
	}
	i18n_format(out, text, arg[0], arg[1], arg[2], arg[3], arg[4], arg[5],
		    arg[6], arg[7], arg[8], arg[9], arg[10], arg[11], arg[12],
		    arg[13], arg[14], arg[15], NULL);
}

int
states_mail_contacts(struct db *db, int64_t person, int64_t organisation,
		     int64_t asker, const char *subject, const char *body,
		     const char *const *args)
{
	struct db_stmt *st = db_stmt(db, &states_sql, ST_RECIPIENTS);
	struct arena *a;
	json_t *to, *row;
	size_t i;
	int sent = 0;

	if (st == NULL)
		return -1;
	db_bind_int(st, 1, person);
	db_bind_int(st, 2, organisation);
	if ((to = db_all_json(st)) == NULL)
		return -1;
	a = arena_new();
	json_array_foreach (to, i, row) {
		struct buf text = BUF_INIT, subj = BUF_INIT;
		struct mail mail = {0};
		const char *name = json_string_value(json_object_get(row, "name"));
		const char *email =
			json_string_value(json_object_get(row, "email"));
		int64_t pid = json_integer_value(json_object_get(row, "id"));
		int64_t id;

		i18n_push(mail_language(db, a, email,
					asker && pid == asker ? i18n_code()
							      : NULL));
		i18n_format(&text, _("Hello {name},"), "name", name, NULL);
		buf_puts(&text, "\n\n");
		states_format(&text, _(body), args);
		buf_printf(&text, "\n\n-- \n%s\n",
			   config_current ? config_current->site_name
					  : "The Alliance");
		states_format(&subj, _(subject), args);
		mail.to = email;
		mail.to_name = name;
		mail.subject = buf_cstr(&subj);
		mail.text = buf_cstr(&text);
		id = mail_enqueue(db, &mail);
		i18n_pop();
		buf_free(&text);
		buf_free(&subj);
		if (id < 0) {
			sent = -1;
			break;
		}
		sent++;
	}
	arena_free(a);
	json_decref(to);
	return sent;
}

/* The room a reminder's texts need: its arguments and their values. */
struct reminder {
	const char *subject, *body; /* msgids */
	const char *args[13];       /* name, value pairs, NULL */
	char days[3][11];           /* the end, the end of grace, the due day */
	char link[512];             /* where to renew */
};

/* The reminder kind for membership m, in *rm. */
static void
reminder_text(json_t *m, const char *kind, long period_end, int grace_days,
	      long due, struct reminder *rm)
{
	const char **args = rm->args;
	const char **subj = &rm->subject, **body = &rm->body;
	char(*days)[11] = rm->days;
	size_t n = 0;

	snprintf(rm->link, sizeof(rm->link), "%s/renew",
		 config_current ? config_current->base_url : "");
	states_ymd(period_end, days[0]);
	states_ymd(period_end + grace_days, days[1]);
	states_ymd(due, days[2]);
	args[n++] = "member";
	args[n++] = json_string_value(json_object_get(m, "member"));
	args[n++] = "level";
	args[n++] = json_string_value(json_object_get(m, "level"));
	args[n++] = "link";
	args[n++] = rm->link;
	if (strncmp(kind, "expiry-", 7) == 0) {
		*subj = N_("Your membership ends on {end}");
		*body = N_(
			"The membership of {member} ({level}) ends on {end}. "
			"You can renew it here:\n\n{link}");
		args[n++] = "end";
		args[n++] = days[0];
	} else if (strcmp(kind, "grace") == 0) {
		*subj = N_("Your membership has ended: please renew");
		*body = N_(
			"The membership of {member} ({level}) ended on {end}. "
			"It stays open until {grace_end}; renew it before "
			"then here:\n\n{link}");
		args[n++] = "end";
		args[n++] = days[0];
		args[n++] = "grace_end";
		args[n++] = days[1];
	} else if (strcmp(kind, "lapsed") == 0) {
		*subj = N_("Your membership has lapsed");
		*body = N_(
			"The membership of {member} ({level}) has lapsed. To "
			"take part again, renew it here:\n\n{link}");
	} else {
		*subj = N_("ECOSOC quadrennial report due on {due}");
		*body = N_("The quadrennial report of {member} to the ECOSOC "
			   "Committee on NGOs is due on {due}. Without it, "
			   "consultative status can be suspended.");
		args[n++] = "due";
		args[n++] = days[2];
	}
	args[n] = NULL;
}

/* Sends reminder kind for m once; the count of messages, or -1. */
static int
remind(struct db *db, json_t *m, const char *kind, long period_end,
       int grace_days, long due, int64_t now)
{
	struct reminder rm;
	char key[11];
	int rc;

	states_ymd(strcmp(kind, "un-report") == 0 ? due : period_end, key);
	rc = claim(db, json_integer_value(json_object_get(m, "id")), kind, key,
		   now);
	if (rc != 1)
		return rc;
	reminder_text(m, kind, period_end, grace_days, due, &rm);
	return states_mail_contacts(
		db, json_integer_value(json_object_get(m, "person")),
		json_integer_value(json_object_get(m, "organisation")), 0,
		rm.subject, rm.body, rm.args);
}

/* Moves m to state s on day today, with its audit record. */
static int
move(struct db *db, json_t *m, enum mstate from, enum mstate to, long today)
{
	struct db_stmt *st = db_stmt(db, &states_sql, ST_SET_STATE);
	char day[11], id[32];

	if (st == NULL)
		return -1;
	states_ymd(today, day);
	snprintf(id, sizeof(id), "%lld",
		 (long long)json_integer_value(json_object_get(m, "id")));
	db_bind_text(st, 1, states_name(to));
	db_bind_text(st, 2, day);
	db_bind_int(st, 3, json_integer_value(json_object_get(m, "id")));
	if (db_run(st) != 0)
		return -1;
	return audit_record_new(
		db, 0, "membership.state", "membership", id,
		json_pack("{s:s}", "state", states_name(from)),
		json_pack("{s:s}", "state", states_name(to)), "job");
}

int64_t
states_daily_run(struct db *db, int64_t now, const int *schedule, size_t n)
{
	struct db_stmt *st;
	json_t *rows, *m;
	long today = (long)(now / 86400);
	int64_t done = 0;
	size_t i;

	if (db_begin(db) != 0)
		return -1;
	if ((st = db_stmt(db, &states_sql, ST_MOVABLE)) == NULL ||
	    (rows = db_all_json(st)) == NULL) {
		db_rollback(db);
		return -1;
	}
	json_array_foreach (rows, i, m) {
		enum mstate from = states_from(
			json_string_value(json_object_get(m, "state")));
		long end = states_days(
			json_string_value(json_object_get(m, "period_end")));
		int grace = (int)json_integer_value(
			json_object_get(m, "grace_days"));
		enum mstate to = states_on(from, end, grace, today);
		char kind[24];
		long due;
		int rc = 0;

		if (end < 0) {
			log_error("members: membership %lld has no valid end "
				  "date; left as it is",
				  (long long)json_integer_value(
					  json_object_get(m, "id")));
			continue;
		}
		if (to != from) {
			rc = move(db, m, from, to, today);
			done++;
			if (rc == 0 && (to == MS_GRACE || to == MS_LAPSED))
				rc = remind(db, m,
					    to == MS_GRACE ? "grace" : "lapsed",
					    end, grace, 0, now);
		}
		if (rc >= 0 && states_expiry_reminder(to, end, today, schedule,
						       n, kind))
			rc = remind(db, m, kind, end, grace, 0, now);
		if (rc >= 0 && to != MS_LAPSED &&
		    states_un_report_due(
			    json_string_value(
				    json_object_get(m, "ecosoc_status")),
			    (int)json_integer_value(
				    json_object_get(m, "ecosoc_year")),
			    today, &due) &&
		    due - today <= 90)
			rc = remind(db, m, "un-report", end, grace, due, now);
		if (rc < 0) {
			json_decref(rows);
			db_rollback(db);
			return -1;
		}
		done += rc;
	}
	json_decref(rows);
	if (db_commit(db) != 0) {
		db_rollback(db);
		return -1;
	}
	return done;
}

/* Tomorrow at 05:00 UTC, after now. */
static int64_t
next_morning(int64_t now)
{
	return (now / 86400 + 1) * 86400 + 5 * 3600;
}

/* reminder_days, the module's setting: days before the end of a
 * membership when its contacts are reminded. */
static char reminder_days[64] = "30,7";

/* The setting's check: a schedule states_parse_schedule reads. */
static int
check_reminder_days(const char *value, char *err, size_t errlen)
{
	int schedule[16];

	if (states_parse_schedule(value, schedule, 16) >= 0)
		return 0;
	snprintf(err, errlen, "reminder_days must be days like 30,7, not '%s'",
		 value);
	return -1;
}

static const struct config_setting states_settings[] = {
	{
		.key = "reminder_days",
		.kind = CONFIG_STR,
		.size = sizeof(reminder_days),
		.help = "days before a membership ends when its contacts are "
			"reminded",
		.storage = reminder_days,
		.def = "30,7",
		.check = check_reminder_days,
		.flag = "reminder-days",
	},
	{.key = NULL},
};

static int
daily_job(struct db *db, const char *payload, char *err, size_t errlen)
{
	int schedule[16], attempt, max;
	int n = states_parse_schedule(reminder_days, schedule, 16);
	int64_t now, done;

	if (jobs_current(&attempt, &max, &now) != 0)
		now = clock_now();
	if (n < 0)
		n = states_parse_schedule("30,7", schedule, 16);
	done = states_daily_run(db, now, schedule, (size_t)n);
	if (done < 0) {
		snprintf(err, errlen, "the daily membership pass failed");
		return -1;
	}
	if (done > 0)
		log_info("members: %lld state moves and reminders",
			 (long long)done);
	return 0;
}

/* Daily at 05:00 UTC; the first pass two minutes after start, so days
 * the site was down are caught up. */
static const struct module_job daily = {
	.kind = STATES_DAILY_JOB,
	.run = daily_job,
	.next = next_morning,
	.first = 120,
};
static const struct module_job *const states_jobs[] = {&daily, NULL};

const struct module states_module = {
	.name = "members",
	.sql = &states_sql,
	.jobs = states_jobs,
	.settings = states_settings,
};
