/*
 * test_contact.c -- the retention of contact documents, with the clock in
 * the test's hands: a document older than the retention is removed (file
 * and columns; the message stays), a newer one is kept, a file another
 * newer message shares stays on disk, and the step runs as part of the
 * hourly maintenance pass.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "contact/contact.h"
#include "core/config.h"
#include "core/maintenance.h"
#include "core/ratelimit.h"
#include "core/testdb.h"

#define DAY 86400
#define T0 1780000000 /* 2026-05-28T20:26:40Z */

struct fixture {
	char dir[64];
	struct db *db;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char path[128];

	if (testdb_open(f->dir, path, &f->db) != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/uploads", f->dir);
	mkdir(path, 0750);
	snprintf(path, sizeof(path), "%s/uploads/ab", f->dir);
	mkdir(path, 0750);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	if (testdb_close(f->dir, f->db) != 0)
		return -1;
	free(f);
	return 0;
}

/* A file uploads/ab/NAME under the fixture's folder. */
static void
make_file(struct fixture *f, const char *name)
{
	char path[256];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/uploads/ab/%s", f->dir, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("document", fp);
	fclose(fp);
}

static int
file_exists(struct fixture *f, const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/uploads/ab/%s", f->dir, name);
	return access(path, F_OK) == 0;
}

/* A message created `days` before T0 with the document NAME (or none). */
static void
add_message(struct fixture *f, const char *subject, int days, const char *name)
{
	char sql[512];
	struct db_stmt *st;

	snprintf(sql, sizeof(sql),
		 "INSERT INTO contact_messages (name, email, subject, message,"
		 " attachment_path, attachment_name, attachment_size, client,"
		 " created_at) VALUES ('A', 'a@example.org', '%s', 'text',"
		 " %s%s%s, %s, 8, '127.0.0.1',"
		 " datetime(%d - %d * 86400, 'unixepoch'))",
		 subject, name ? "'uploads/ab/" : "", name ? name : "NULL",
		 name ? "'" : "", name ? "'doc.txt'" : "NULL", T0, days);
	st = db_prepare_adhoc(f->db, sql);
	assert_non_null(st);
	assert_int_equal(db_run(st), 0);
	db_stmt_free(st);
}

/* The attachment_path of the message with subject ("" when NULL). */
static const char *
path_of(struct fixture *f, const char *subject, char *out, size_t len)
{
	char sql[256];
	struct db_stmt *st;

	snprintf(sql, sizeof(sql),
		 "SELECT coalesce(attachment_path, '') || '|' ||"
		 " coalesce(attachment_name, '') FROM contact_messages"
		 " WHERE subject = '%s'",
		 subject);
	st = db_prepare_adhoc(f->db, sql);
	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	snprintf(out, len, "%s", db_col_text(st, 0));
	db_stmt_free(st);
	return out;
}

static void
documents_past_retention_go_and_newer_ones_stay(void **state)
{
	struct fixture *f = *state;
	char b[128];

	make_file(f, "old");
	make_file(f, "new");
	add_message(f, "old", 181, "old");
	add_message(f, "new", 179, "new");
	add_message(f, "none", 400, NULL);
	assert_int_equal(contact_retention_run(f->db, T0, 180 * DAY, f->dir),
			 1);
	assert_string_equal(path_of(f, "old", b, sizeof(b)), "|");
	assert_string_equal(path_of(f, "new", b, sizeof(b)),
			    "uploads/ab/new|doc.txt");
	assert_false(file_exists(f, "old"));
	assert_true(file_exists(f, "new"));
	/* the message itself stays */
	assert_string_equal(path_of(f, "none", b, sizeof(b)), "|");
	/* a day later nothing more is due; two days later "new" goes */
	assert_int_equal(
		contact_retention_run(f->db, T0 + DAY / 2, 180 * DAY, f->dir),
		0);
	assert_int_equal(
		contact_retention_run(f->db, T0 + 2 * DAY, 180 * DAY, f->dir),
		1);
	assert_false(file_exists(f, "new"));
}

static void
a_file_a_newer_message_shares_stays(void **state)
{
	struct fixture *f = *state;
	char b[128];

	make_file(f, "shared");
	add_message(f, "first", 200, "shared");
	add_message(f, "again", 10, "shared");
	assert_int_equal(contact_retention_run(f->db, T0, 180 * DAY, f->dir),
			 1);
	assert_string_equal(path_of(f, "first", b, sizeof(b)), "|");
	assert_true(file_exists(f, "shared"));
	assert_int_equal(
		contact_retention_run(f->db, T0 + 171 * DAY, 180 * DAY, f->dir),
		1);
	assert_false(file_exists(f, "shared"));
}

static void
the_hourly_pass_runs_the_step_with_the_setting(void **state)
{
	struct fixture *f = *state;
	struct config c;
	char b[128], err[200];

	assert_int_equal(config_declare(contact_settings, err, sizeof(err)), 0);
	config_defaults(&c);
	snprintf(c.data_dir, sizeof(c.data_dir), "%s", f->dir);
	assert_int_equal(config_set(&c, "contact_retention_days", "30", err,
				    sizeof(err)),
			 0);
	config_current = &c;
	make_file(f, "month");
	add_message(f, "month", 31, "month");
	add_message(f, "week", 7, NULL);
	assert_true(maintenance_run(f->db, T0, 1800, 43200) >= 1);
	assert_string_equal(path_of(f, "month", b, sizeof(b)), "|");
	assert_false(file_exists(f, "month"));
	config_current = NULL;
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(documents_past_retention_go_and_newer_ones_stay),
		T(a_file_a_newer_message_shares_stays),
		T(the_hourly_pass_runs_the_step_with_the_setting),
	};

	db_register(&contact_sql);
	db_register(&ratelimit_sql);
	db_register(&maintenance_sql);
	contact_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
