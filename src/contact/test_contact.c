/*
 * test_contact.c -- the retention of contact documents, with the clock in
 * the test's hands: a document older than the retention is removed
 * (columns, then the file with the pass's sweep; the message stays), a
 * newer one is kept, a file a newer message or another table names stays
 * on disk, and the step runs as part of the hourly maintenance pass.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "contact/contact.h"
#include "core/config.h"
#include "core/maintenance.h"
#include "core/ratelimit.h"
#include "core/testdb.h"
#include "core/uploads.h"

#define DAY 86400
#define T0 1780000000 /* 2026-05-28T20:26:40Z */

static int
setup(void **state)
{
	struct testdb *f;
	char path[128];

	if (testdb_setup(state) != 0)
		return -1;
	f = *state;
	snprintf(path, sizeof(path), "%s/uploads", f->dir);
	mkdir(path, 0750);
	snprintf(path, sizeof(path), "%s/uploads/ab", f->dir);
	mkdir(path, 0750);
	/* another module's table naming stored files */
	if (testdb_run(f->db, "CREATE TABLE other_docs (stored_path TEXT)") !=
	    0)
		return -1;
	return 0;
}

/* The store's name for a word: "ab" and the word in hex, padded to 64
 * hex digits like a SHA-256. */
static const char *
hashed(const char *word)
{
	static char out[8][65];
	static int k;
	char *o = out[k++ % 8];
	size_t n = 0;

	n += (size_t)snprintf(o, 65, "ab");
	for (const char *p = word; *p && n < 64; p++)
		n += (size_t)snprintf(o + n, 65 - n, "%02x", (unsigned char)*p);
	while (n < 64)
		o[n++] = '0';
	o[64] = '\0';
	return o;
}

/* A file uploads/ab/<hashed(word)>, written long before T0. */
static void
make_file(struct testdb *f, const char *word)
{
	char path[256];
	struct timespec ts[2] = {{.tv_sec = T0 - 400 * DAY},
				 {.tv_sec = T0 - 400 * DAY}};
	FILE *fp;

	snprintf(path, sizeof(path), "%s/uploads/ab/%s", f->dir, hashed(word));
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("document", fp);
	fclose(fp);
	assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
}

static int
file_exists(struct testdb *f, const char *word)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/uploads/ab/%s", f->dir, hashed(word));
	return access(path, F_OK) == 0;
}

/* The retention at now, then the sweep that ends the pass. */
static int64_t
retention(struct testdb *f, int64_t now)
{
	int64_t n = contact_retention_run(f->db, now, 180 * DAY);

	assert_true(uploads_sweep(f->db, f->dir, now, UPLOADS_GRACE) >= 0);
	return n;
}

/* A message created `days` before T0 with the document NAME (or none). */
static void
add_message(struct testdb *f, const char *subject, int days, const char *name)
{
	char sql[512];
	struct db_stmt *st;

	snprintf(sql, sizeof(sql),
		 "INSERT INTO contact_messages (name, email, subject, message,"
		 " attachment_path, attachment_name, attachment_size, client,"
		 " created_at) VALUES ('A', 'a@example.org', '%s', 'text',"
		 " %s%s%s, %s, 8, '127.0.0.1',"
		 " datetime(%d - %d * 86400, 'unixepoch'))",
		 subject, name ? "'uploads/ab/" : "", name ? hashed(name) : "NULL",
		 name ? "'" : "", name ? "'doc.txt'" : "NULL", T0, days);
	st = db_prepare_adhoc(f->db, sql);
	assert_non_null(st);
	assert_int_equal(db_run(st), 0);
	db_stmt_free(st);
}

/* The attachment_path of the message with subject ("" when NULL). */
static const char *
path_of(struct testdb *f, const char *subject, char *out, size_t len)
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
	struct testdb *f = *state;
	char b[128], want[128];

	make_file(f, "old");
	make_file(f, "new");
	add_message(f, "old", 181, "old");
	add_message(f, "new", 179, "new");
	add_message(f, "none", 400, NULL);
	assert_int_equal(retention(f, T0), 1);
	assert_string_equal(path_of(f, "old", b, sizeof(b)), "|");
	snprintf(want, sizeof(want), "uploads/ab/%s|doc.txt", hashed("new"));
	assert_string_equal(path_of(f, "new", b, sizeof(b)), want);
	assert_false(file_exists(f, "old"));
	assert_true(file_exists(f, "new"));
	/* the message itself stays */
	assert_string_equal(path_of(f, "none", b, sizeof(b)), "|");
	/* a day later nothing more is due; two days later "new" goes */
	assert_int_equal(retention(f, T0 + DAY / 2), 0);
	assert_int_equal(retention(f, T0 + 2 * DAY), 1);
	assert_false(file_exists(f, "new"));
}

static void
a_file_a_newer_message_shares_stays(void **state)
{
	struct testdb *f = *state;
	char b[128];

	make_file(f, "shared");
	add_message(f, "first", 200, "shared");
	add_message(f, "again", 10, "shared");
	assert_int_equal(retention(f, T0), 1);
	assert_string_equal(path_of(f, "first", b, sizeof(b)), "|");
	assert_true(file_exists(f, "shared"));
	assert_int_equal(retention(f, T0 + 171 * DAY), 1);
	assert_false(file_exists(f, "shared"));
}

/* The store is shared by every module: the same bytes sent with the
 * contact form and kept as, say, a meeting's document are one file. */
static void
a_file_another_table_names_stays(void **state)
{
	struct testdb *f = *state;
	char sql[200];

	make_file(f, "both");
	add_message(f, "both", 200, "both");
	snprintf(sql, sizeof(sql),
		 "INSERT INTO other_docs (stored_path) VALUES"
		 " ('uploads/ab/%s')",
		 hashed("both"));
	assert_int_equal(testdb_run(f->db, sql), 0);
	assert_int_equal(retention(f, T0), 1);
	assert_true(file_exists(f, "both"));
	assert_int_equal(testdb_run(f->db, "DELETE FROM other_docs"), 0);
	assert_int_equal(retention(f, T0), 0);
	assert_false(file_exists(f, "both"));
}

static void
the_hourly_pass_runs_the_step_with_the_setting(void **state)
{
	struct testdb *f = *state;
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

#define T(name) cmocka_unit_test_setup_teardown(name, setup, testdb_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(documents_past_retention_go_and_newer_ones_stay),
		T(a_file_a_newer_message_shares_stays),
		T(a_file_another_table_names_stays),
		T(the_hourly_pass_runs_the_step_with_the_setting),
	};

	db_register(&contact_sql);
	db_register(&ratelimit_sql);
	db_register(&maintenance_sql);
	contact_init();
	for (const struct upload_column *u = contact_module.uploads;
	     u && u->table; u++)
		uploads_add_column(u->table, u->column);
	uploads_add_column("other_docs", "stored_path");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
