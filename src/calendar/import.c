/*
 * import.c -- `alliance import meetings FILE.ics`: an iCalendar file
 * another calendar program exported, read by ics.c, written as meetings
 * in one transaction (every event or none).  Each UID is one meeting: a
 * second import of the same file updates the meetings it made (by UID,
 * SEQUENCE + 1) instead of adding copies; its RRULE stays a rule, its
 * EXDATEs and RECURRENCE-ID components become rows of meeting_exdates and
 * meeting_overrides (replaced on each import).  New meetings are public,
 * of kind 'alliance' unless CATEGORIES names a kind; one that ended
 * before now is history (no registration).  An event ics.c refuses (a
 * zone that is no IANA one, a floating time ...) is named on standard
 * error and nothing is imported.  Audit: one meeting.create or
 * meeting.update record per meeting ("source": "import") and one
 * import.meetings with the counts.
 */
#include "calendar_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/ics.h"
#include "core/audit.h"
#include "core/clock.h"
#include "core/command.h"
#include "core/db.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"

enum stmt_import {
	IM_BY_UID,
	IM_INSERT,
	IM_UPDATE,
	IM_EXDATES_DEL,
	IM_OVERRIDES_DEL,
	IM_EXDATE,
	IM_OVERRIDE,
	IM__MAX,
};

/* The columns an import writes, in the order both IM_INSERT and
 * IM_UPDATE bind them first. */
#define IM_COLUMNS                                                             \
	"title, kind, time_zone, all_day, starts_local, ends_local,"           \
	" starts_utc, ends_utc, rrule, last_ends_utc, place, agenda_md,"       \
	" status, history, updated_at"

static const char *const import_sql_text[IM__MAX] = {
	[IM_BY_UID] = "SELECT id, slug FROM meetings WHERE uid = ?",
	[IM_INSERT] = "INSERT INTO meetings (" IM_COLUMNS ", slug, uid,"
		      " visibility, created_at)"
		      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
		      " ?, ?, 'public', ?) RETURNING id",
	[IM_UPDATE] = "UPDATE meetings SET title = ?, kind = ?,"
		      " time_zone = ?, all_day = ?, starts_local = ?,"
		      " ends_local = ?, starts_utc = ?, ends_utc = ?, rrule = ?,"
		      " last_ends_utc = ?, place = ?, agenda_md = ?, status = ?,"
		      " history = ?, updated_at = ?, sequence = sequence + 1"
		      " WHERE id = ?",
	[IM_EXDATES_DEL] = "DELETE FROM meeting_exdates WHERE meeting_id = ?",
	[IM_OVERRIDES_DEL] =
		"DELETE FROM meeting_overrides WHERE meeting_id = ?",
	[IM_EXDATE] = "INSERT INTO meeting_exdates (meeting_id,"
		      " occurrence_local) VALUES (?, ?)"
		      " ON CONFLICT (meeting_id, occurrence_local) DO NOTHING",
	[IM_OVERRIDE] = "INSERT INTO meeting_overrides (meeting_id,"
			" recurrence_local, starts_local, ends_local,"
			" starts_utc, ends_utc, place, note, cancelled)"
			" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
			" ON CONFLICT (meeting_id, recurrence_local) DO UPDATE"
			" SET starts_local = excluded.starts_local,"
			" ends_local = excluded.ends_local,"
			" starts_utc = excluded.starts_utc,"
			" ends_utc = excluded.ends_utc, place = excluded.place,"
			" cancelled = excluded.cancelled",
};

static struct db_sql import_sql = {"calendar_import", import_sql_text,
				   IM__MAX, 0};

static const char *
str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int64_t
num(json_t *o, const char *key)
{
	return (int64_t)json_integer_value(json_object_get(o, key));
}

/* The whole of a file ("-": standard input), malloc'd, or NULL with a
 * message printed. */
static char *
read_all(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	struct buf b = BUF_INIT;
	char chunk[65536];
	size_t n;
	int bad;

	if (f == NULL) {
		fprintf(stderr, _("alliance import: cannot read %s: %s\n"), path,
			strerror(errno));
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_put(&b, chunk, n);
	bad = ferror(f);
	if (f != stdin)
		fclose(f);
	if (bad) {
		fprintf(stderr, _("alliance import: cannot read %s: %s\n"), path,
			strerror(errno));
		buf_free(&b);
		return NULL;
	}
	buf_putc(&b, '\0'); /* an empty file is a buffer too */
	b.len--;
	return buf_detach(&b, len);
}

/* Binds the columns of IM_COLUMNS from m, from 1; returns the next
 * index. */
static int
bind_columns(struct db_stmt *st, json_t *m, int64_t now)
{
	json_t *last = json_object_get(m, "last_ends_utc");
	int k = 1;

	db_bind_text(st, k++, str(m, "title"));
	db_bind_text(st, k++, str(m, "kind"));
	db_bind_text(st, k++, str(m, "time_zone"));
	db_bind_int(st, k++, num(m, "all_day"));
	db_bind_text(st, k++, str(m, "starts_local"));
	db_bind_text(st, k++, str(m, "ends_local"));
	db_bind_int(st, k++, num(m, "starts_utc"));
	db_bind_int(st, k++, num(m, "ends_utc"));
	if (str(m, "rrule"))
		db_bind_text(st, k++, str(m, "rrule"));
	else
		db_bind_null(st, k++);
	if (json_is_integer(last))
		db_bind_int(st, k++, json_integer_value(last));
	else
		db_bind_null(st, k++);
	db_bind_text(st, k++, str(m, "place"));
	db_bind_text(st, k++, str(m, "agenda_md"));
	db_bind_text(st, k++, str(m, "status"));
	/* a record of the past: nobody registers for it */
	db_bind_int(st, k++, json_is_integer(last) &&
				     json_integer_value(last) < now);
	db_bind_int(st, k++, now);
	return k;
}

/* Runs statement s of import_sql with the meeting's id bound (then
 * nothing else): the deletes.  0 or -1. */
static int
run_id(struct db *db, enum stmt_import s, int64_t id)
{
	struct db_stmt *st = db_stmt(db, &import_sql, s);

	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	return db_run(st);
}

/* Writes meeting m (new, or the one of its UID updated) with its
 * EXDATEs and overrides and its audit record; *created 1 when new.
 * 0 or -1. */
static int
write_meeting(struct db *db, json_t *m, const char *source, int64_t now,
	      int *created)
{
	struct db_stmt *st = db_stmt(db, &import_sql, IM_BY_UID);
	char slug[SLUG_MAX];
	int64_t id = 0;
	json_t *x;
	size_t i;
	int rc, k;

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, str(m, "uid"));
	if ((rc = db_step(st)) == DB_ERROR)
		return -1;
	*created = rc == DB_DONE;
	if (rc == DB_ROW) {
		id = db_col_int(st, 0);
		snprintf(slug, sizeof(slug), "%s", db_col_text(st, 1));
	}
	db_reset(st);
	if (*created) {
		if (cal_new_slug(db, str(m, "title"), str(m, "starts_local"),
				 slug) != 0 ||
		    (st = db_stmt(db, &import_sql, IM_INSERT)) == NULL)
			return -1;
		k = bind_columns(st, m, now);
		db_bind_text(st, k++, slug);
		db_bind_text(st, k++, str(m, "uid"));
		db_bind_int(st, k++, now);
		if (db_step(st) != DB_ROW) {
			db_reset(st);
			return -1;
		}
		id = db_col_int(st, 0);
		db_reset(st);
	} else {
		if ((st = db_stmt(db, &import_sql, IM_UPDATE)) == NULL)
			return -1;
		k = bind_columns(st, m, now);
		db_bind_int(st, k, id);
		if (db_run(st) != 0 || run_id(db, IM_EXDATES_DEL, id) != 0 ||
		    run_id(db, IM_OVERRIDES_DEL, id) != 0)
			return -1;
	}
	json_array_foreach(json_object_get(m, "exdates"), i, x) {
		if ((st = db_stmt(db, &import_sql, IM_EXDATE)) == NULL)
			return -1;
		db_bind_int(st, 1, id);
		db_bind_text(st, 2, json_string_value(x));
		if (db_run(st) != 0)
			return -1;
	}
	json_array_foreach(json_object_get(m, "overrides"), i, x) {
		if ((st = db_stmt(db, &import_sql, IM_OVERRIDE)) == NULL)
			return -1;
		db_bind_int(st, 1, id);
		db_bind_text(st, 2, str(x, "recurrence_local"));
		db_bind_text(st, 3, str(x, "starts_local"));
		db_bind_text(st, 4, str(x, "ends_local"));
		db_bind_int(st, 5, num(x, "starts_utc"));
		db_bind_int(st, 6, num(x, "ends_utc"));
		if (str(x, "place"))
			db_bind_text(st, 7, str(x, "place"));
		else
			db_bind_null(st, 7);
		db_bind_text(st, 8, str(x, "note") ? str(x, "note") : "");
		db_bind_int(st, 9, num(x, "cancelled"));
		if (db_run(st) != 0)
			return -1;
	}
	return audit_record_new(
		db, 0, *created ? "meeting.create" : "meeting.update", "meeting",
		slug, NULL,
		json_pack("{s:s,s:s,s:s,s:s}", "uid", str(m, "uid"), "title",
			  str(m, "title"), "source", "import", "file", source),
		"cli");
}

/*
 * `alliance import meetings FILE.ics [--dry-run]` (struct
 * module_import's run): 0 done, EXIT_FAIL a bad file, refused events or
 * the database (nothing written).
 */
static int
import_meetings(struct db *db, const char *path, int dry_run)
{
	struct command_bar bar;
	json_t *meetings = NULL, *errors = NULL, *m, *e;
	size_t len, i, created = 0, updated = 0, n;
	int64_t now = clock_now();
	int bar_on, fresh;
	char *data;

	if ((data = read_all(path, &len)) == NULL)
		return EXIT_FAIL;
	ics_read(data, len, &meetings, &errors);
	free(data);
	if (json_array_size(errors) > 0) {
		json_array_foreach(errors, i, e)
			fprintf(stderr, "%s: %s\n", path, json_string_value(e));
		fprintf(stderr,
			_n("alliance import: %zu event refused; nothing was "
			   "imported\n",
			   "alliance import: %zu events refused; nothing was "
			   "imported\n",
			   json_array_size(errors)),
			json_array_size(errors));
		json_decref(meetings);
		json_decref(errors);
		return EXIT_FAIL;
	}
	json_decref(errors);
	n = json_array_size(meetings);
	bar_on = command_bar_start(&bar, "meetings");
	if (db_begin(db) != 0) {
		json_decref(meetings);
		fprintf(stderr, "%s\n",
			_("alliance import: the database failed; nothing was "
			  "imported"));
		return EXIT_FAIL;
	}
	json_array_foreach(meetings, i, m) {
		if (write_meeting(db, m, path, now, &fresh) != 0)
			goto fail;
		fresh ? created++ : updated++;
		if (bar_on)
			command_progress(&bar, i + 1, n);
	}
	if (audit_record_new(db, 0, "import.meetings", "import", path, NULL,
			     json_pack("{s:I,s:I}", "created", (json_int_t)created,
				       "updated", (json_int_t)updated),
			     "cli") != 0)
		goto fail;
	command_bar_end(&bar);
	if (dry_run) {
		db_rollback(db);
		printf(_("alliance import: dry run: all %zu meetings are good "
			 "(%zu new, %zu to update); nothing was changed\n"),
		       n, created, updated);
	} else if (db_commit(db) != 0) { /* rolled back by db_commit */
		json_decref(meetings);
		fprintf(stderr, "%s\n",
			_("alliance import: the database failed; nothing was "
			  "imported"));
		return EXIT_FAIL;
	} else {
		printf(_("alliance import: %zu meetings imported (%zu new, %zu "
			 "updated)\n"),
		       n, created, updated);
	}
	json_decref(meetings);
	return 0;
fail:
	command_bar_end(&bar);
	db_rollback(db);
	json_decref(meetings);
	fprintf(stderr, "%s\n",
		_("alliance import: the database failed; nothing was "
		  "imported"));
	return EXIT_FAIL;
}

static const struct module_import calendar_imports[] = {
	{"meetings", "FILE.ics",
	 "meetings from an iCalendar file another calendar exported "
	 "(recurrence kept;\n      a second import updates them by UID)",
	 import_meetings},
	{NULL, NULL, NULL, NULL},
};

const struct module calendar_import_module = {
	.name = "calendar-import",
	.sql = &import_sql,
	.imports = calendar_imports,
};
