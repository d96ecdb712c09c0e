/*
 * notices.c -- see statements_int.h: telling the main contacts of the
 * member organisations that a statement is open for their endorsement.
 *
 * Opening a statement with its box "tell the main contacts" ticked
 * queues the job statements.notify (payload: the statement's id).  A run
 * writes one letter to each main contact of an organisation whose
 * membership is current and that has not endorsed it yet, in the
 * person's language, naming their organisations; a person who answers
 * for several gets one letter.  Each letter is one transaction with its
 * row of statement_notices, so a run taken over by another node, or a
 * statement opened again, never writes anyone twice.  A run writes at
 * most NOTIFY_BATCH letters and queues the next run for the rest, so no
 * run holds its lease for long; a statement closed in the meantime
 * stops the letters.
 */
#include "statements_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/i18n.h"
#include "core/jobs.h"
#include "core/log.h"
#include "core/mail.h"
#include "core/render.h"
#include "core/util.h"

#define NOTIFY_JOB "statements.notify"
/* Letters a run writes at most; the next run writes the rest. */
#define NOTIFY_BATCH 200

enum stmt_notices {
	N_STATEMENT,
	N_PEOPLE,
	N_ORGS,
	N_MARK,
	N_COUNT,
	N__MAX,
};

/* A main contact of an organisation in good standing that has not
 * endorsed the statement (the first bind) */
#define N_ORG_OF(person)                                                       \
	" FROM object_roles x JOIN organisations o ON o.slug = x.object_id"    \
	" WHERE x.person_id = " person " AND x.object_type = 'organisation'"  \
	" AND x.role = 'main-contact' AND o.listed_membership_id IS NOT NULL" \
	" AND NOT EXISTS (SELECT 1 FROM statement_endorsements e"              \
	"  WHERE e.statement_id = ? AND e.organisation_id = o.id)"

static const char *const notices_sql_text[N__MAX] = {
	/* binds: today, the id */
	[N_STATEMENT] = "SELECT slug, title, summary, occasion, year, closes_on,"
			" CASE WHEN state = 'open' AND (closes_on IS NULL"
			"  OR closes_on >= ?) THEN 1 ELSE 0 END AS is_open"
			" FROM statements WHERE id = ?",
	/* binds: the statement twice, the limit: the people to tell */
	[N_PEOPLE] = "SELECT p.id, p.name, p.email FROM people p"
		     " WHERE p.disabled_at IS NULL"
		     " AND EXISTS (SELECT 1" N_ORG_OF("p.id") ")"
		     " AND NOT EXISTS (SELECT 1 FROM statement_notices n"
		     "  WHERE n.statement_id = ? AND n.person_id = p.id)"
		     " ORDER BY p.id LIMIT ?",
	/* binds: the person, the statement */
	[N_ORGS] = "SELECT o.name" N_ORG_OF("?") " ORDER BY o.name_key, o.id",
	[N_MARK] = "INSERT INTO statement_notices (statement_id, person_id,"
		   " sent_at) VALUES (?, ?, ?)"
		   " ON CONFLICT (statement_id, person_id) DO NOTHING",
	[N_COUNT] = "SELECT count(*) FROM statement_notices"
		    " WHERE statement_id = ?",
};

struct db_sql statement_notices_sql = {"statement_notices", notices_sql_text,
				       N__MAX, 0};

int
statements_notify_queue(struct db *db, int64_t id)
{
	char payload[24];

	snprintf(payload, sizeof payload, "%lld", (long long)id);
	return jobs_enqueue(db, NOTIFY_JOB, payload, 0) > 0 ? 0 : -1;
}

int
statements_notices_count(struct db *db, int64_t id, int64_t *n)
{
	struct db_stmt *st = db_stmt(db, &statement_notices_sql, N_COUNT);

	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	return db_one_int(st, n);
}

static const char *
str_of(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/*
 * Writes the letter to person (id, name, email) about statement s (id),
 * with its row of statement_notices, in the caller's transaction; a
 * person told already, or whose organisations all endorsed it, gets
 * none.  0 or -1.
 */
static int
tell_one(struct db *db, struct arena *a, json_t *s, int64_t id, json_t *person)
{
	int64_t pid = json_integer_value(json_object_get(person, "id"));
	const char *email = str_of(person, "email"), *name = str_of(person, "name");
	const char *summary = str_of(s, "summary"), *occasion = str_of(s, "occasion");
	const char *closes = str_of(s, "closes_on");
	struct db_stmt *st = db_stmt(db, &statement_notices_sql, N_MARK);
	struct buf orgs = BUF_INIT, body = BUF_INIT;
	char day[32];
	int rc = -1, k = 0;

	if (st == NULL || email == NULL)
		return st ? 0 : -1;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, pid);
	db_bind_int(st, 3, clock_now());
	if (db_run(st) != 0)
		return -1;
	if (db_changes(db) != 1)
		return 0; /* told by another run */
	if ((st = db_stmt(db, &statement_notices_sql, N_ORGS)) == NULL)
		return -1;
	db_bind_int(st, 1, pid);
	db_bind_int(st, 2, id);
	while ((rc = db_step(st)) == DB_ROW) {
		const char *o = db_col_text(st, 0);

		if (o == NULL)
			continue;
		buf_puts(&orgs, k++ ? ", " : "");
		buf_puts(&orgs, o);
	}
	db_reset(st);
	if (rc != DB_DONE) {
		buf_free(&orgs);
		return -1;
	}
	if (k == 0) {
		buf_free(&orgs);
		return 0; /* every one of theirs endorsed it meanwhile */
	}
	i18n_push(mail_language(db, a, email, NULL));
	render_day_text(closes, day, sizeof day);
	if (closes)
		i18n_format(&body,
			    _("The Alliance has opened the statement "
			      "“{title}” for endorsement by its member "
			      "organisations, until {date}."),
			    "title", str_of(s, "title"), "date", day, NULL);
	else
		i18n_format(&body,
			    _("The Alliance has opened the statement "
			      "“{title}” for endorsement by its member "
			      "organisations."),
			    "title", str_of(s, "title"), NULL);
	if (summary && *summary)
		buf_printf(&body, "\n\n%s", summary);
	if (occasion && *occasion) {
		buf_puts(&body, "\n\n");
		i18n_format(&body, _("Where it is delivered: {occasion}"),
			    "occasion", occasion, NULL);
	}
	buf_puts(&body, "\n\n");
	i18n_format(&body,
		    _("As the main contact of {organisations}, you may "
		      "endorse it for your organisation: sign in, read the "
		      "statement and choose “Endorse”. The names of the "
		      "organisations that endorse it are published with "
		      "it."),
		    "organisations", buf_cstr(&orgs), NULL);
	buf_printf(&body, "\n\n%s/statements/%s\n",
		   config_current ? config_current->base_url : "",
		   str_of(s, "slug"));
	rc = mail_letter(db, email, name,
			 i18n_text(a, _("A statement is open for endorsement: "
					"{title}"),
				   "title", str_of(s, "title"), NULL),
			 buf_cstr(&body));
	i18n_pop();
	buf_free(&orgs);
	buf_free(&body);
	return rc;
}

/* The job: letters to the next NOTIFY_BATCH people to tell about the
 * statement of payload, then the next run when there may be more. */
static int
notify_run(struct db *db, const char *payload, char *err, size_t errlen)
{
	int64_t id = payload ? strtoll(payload, NULL, 10) : 0;
	struct db_stmt *st = db_stmt(db, &statement_notices_sql, N_STATEMENT);
	struct arena *a = NULL;
	json_t *s = NULL, *people = NULL, *person;
	char today[11];
	size_t i;

	if (id <= 0) {
		snprintf(err, errlen, "no statement id in the payload");
		return -1;
	}
	if (st == NULL)
		goto fail;
	clock_today(today);
	db_bind_text(st, 1, today);
	db_bind_int(st, 2, id);
	if ((s = db_one_json(st)) == NULL)
		goto fail;
	if (!json_is_object(s) ||
	    json_integer_value(json_object_get(s, "is_open")) != 1) {
		json_decref(s); /* gone, or closed: nobody to tell now */
		return 0;
	}
	if ((st = db_stmt(db, &statement_notices_sql, N_PEOPLE)) == NULL)
		goto fail;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, id);
	db_bind_int(st, 3, NOTIFY_BATCH);
	if ((people = db_all_json(st)) == NULL)
		goto fail;
	a = arena_new();
	json_array_foreach (people, i, person) {
		if (db_begin(db) != 0)
			goto fail;
		if (tell_one(db, a, s, id, person) != 0 || db_commit(db) != 0) {
			db_rollback(db);
			goto fail;
		}
	}
	if (json_array_size(people) == NOTIFY_BATCH &&
	    statements_notify_queue(db, id) != 0)
		goto fail;
	if (json_array_size(people))
		log_info("statements: %zu main contact(s) told that %s is "
			 "open", json_array_size(people), str_of(s, "slug"));
	json_decref(people);
	json_decref(s);
	arena_free(a);
	return 0;
fail:
	json_decref(people);
	json_decref(s);
	if (a)
		arena_free(a);
	snprintf(err, errlen, "telling the main contacts about statement "
			      "%lld failed", (long long)id);
	return -1;
}

const struct module_job statements_notify_job = {
	.kind = NOTIFY_JOB,
	.run = notify_run,
};
