/*
 * test_uploads.c -- the sweep of the upload store (uploads.h) on a real
 * folder and database, with the clock in the test's hands: a file no
 * declared column names goes once it is older than the grace, a file any
 * declared column names stays (whichever table), a fresh one stays, a
 * temporary file goes after the grace, names that are not a hash are left
 * alone, a file a stopped pass left aside is put back, and nothing goes
 * while no column is declared or the columns cannot be read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
	snprintf(path, sizeof(path), "%s/uploads/tmp", f->dir);
	mkdir(path, 0750);
	if (testdb_run(f->db, "CREATE TABLE docs_a (path TEXT)") != 0 ||
	    testdb_run(f->db, "CREATE TABLE docs_b (stored TEXT)") != 0)
		return -1;
	return 0;
}

/* The store's name of file k: "ab" and 62 more hex digits. */
static const char *
hash(int k, char *out)
{
	snprintf(out, 65, "ab%062x", k);
	return out;
}

/* Writes uploads/SUB/NAME, last written at mtime. */
static void
make_file(struct testdb *f, const char *sub, const char *name, int64_t mtime)
{
	char path[256];
	struct timespec ts[2] = {{.tv_sec = mtime}, {.tv_sec = mtime}};
	FILE *fp;

	snprintf(path, sizeof(path), "%s/uploads/%s/%s", f->dir, sub, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("document", fp);
	fclose(fp);
	assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
}

static int
exists(struct testdb *f, const char *sub, const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/uploads/%s/%s", f->dir, sub, name);
	return access(path, F_OK) == 0;
}

/* table (col) names uploads/ab/NAME */
static void
name_in(struct testdb *f, const char *table, const char *col,
	const char *name)
{
	char sql[256];

	snprintf(sql, sizeof(sql),
		 "INSERT INTO %s (%s) VALUES ('uploads/ab/%s')", table, col,
		 name);
	assert_int_equal(testdb_run(f->db, sql), 0);
}

static void
nothing_goes_while_no_column_is_declared(void **state)
{
	struct testdb *f = *state;
	char h[65];

	make_file(f, "ab", hash(1, h), T0 - 30 * DAY);
	make_file(f, "tmp", "upload-old", T0 - 30 * DAY);
	assert_int_equal(uploads_sweep(f->db, f->dir, T0, DAY), 0);
	assert_true(exists(f, "ab", h));
	assert_true(exists(f, "tmp", "upload-old"));
}

static void
a_file_no_row_names_goes_after_the_grace(void **state)
{
	struct testdb *f = *state;
	char a[65], b[65], c[65], d[65], e[65];

	/* from here on, for every test that follows */
	uploads_add_column("docs_a", "path");
	uploads_add_column("docs_b", "stored");
	make_file(f, "ab", hash(1, a), T0 - 2 * DAY);  /* named by docs_a */
	make_file(f, "ab", hash(2, b), T0 - 2 * DAY);  /* named by docs_b */
	make_file(f, "ab", hash(3, c), T0 - 2 * DAY);  /* named by none */
	make_file(f, "ab", hash(4, d), T0 - DAY / 2);  /* none, but fresh */
	make_file(f, "ab", hash(5, e), T0 - 40 * DAY); /* named twice */
	name_in(f, "docs_a", "path", a);
	name_in(f, "docs_b", "stored", b);
	name_in(f, "docs_a", "path", e);
	name_in(f, "docs_b", "stored", e);
	assert_int_equal(uploads_sweep(f->db, f->dir, T0, DAY), 1);
	assert_true(exists(f, "ab", a));
	assert_true(exists(f, "ab", b));
	assert_false(exists(f, "ab", c));
	assert_true(exists(f, "ab", d));
	assert_true(exists(f, "ab", e));
	/* a day later the fresh one is due; a row let go, its file too */
	assert_int_equal(testdb_run(f->db, "DELETE FROM docs_b"), 0);
	assert_int_equal(uploads_sweep(f->db, f->dir, T0 + DAY, DAY), 2);
	assert_false(exists(f, "ab", b));
	assert_false(exists(f, "ab", d));
	assert_true(exists(f, "ab", a));
	assert_true(exists(f, "ab", e)); /* docs_a still names it */
}

static void
temporary_files_go_after_the_grace_and_other_names_stay(void **state)
{
	struct testdb *f = *state;

	make_file(f, "tmp", "upload-old", T0 - 2 * DAY);
	make_file(f, "tmp", "upload-new", T0 - 60);
	make_file(f, "ab", "README", T0 - 90 * DAY);
	make_file(f, "ab", "AB0000000000000000000000000000000000000000000000"
			   "0000000000000001",
		  T0 - 90 * DAY);
	assert_int_equal(uploads_sweep(f->db, f->dir, T0, DAY), 1);
	assert_false(exists(f, "tmp", "upload-old"));
	assert_true(exists(f, "tmp", "upload-new"));
	assert_true(exists(f, "ab", "README"));
}

static void
a_file_a_stopped_pass_left_aside_is_put_back(void **state)
{
	struct testdb *f = *state;
	char h[65], aside[80], g[65], aside2[80];

	snprintf(aside, sizeof(aside), ".%s.sweep", hash(7, h));
	snprintf(aside2, sizeof(aside2), ".%s.sweep", hash(8, g));
	/* named: put back, and kept */
	make_file(f, "ab", aside, T0 - 9 * DAY);
	name_in(f, "docs_a", "path", h);
	/* its place taken again meanwhile: the copy aside goes */
	make_file(f, "ab", g, T0 - 60);
	make_file(f, "ab", aside2, T0 - 9 * DAY);
	assert_true(uploads_sweep(f->db, f->dir, T0, DAY) >= 0);
	assert_false(exists(f, "ab", aside));
	assert_false(exists(f, "ab", aside2));
	assert_true(exists(f, "ab", g));
	assert_true(exists(f, "ab", h));
	assert_int_equal(uploads_sweep(f->db, f->dir, T0, DAY), 0);
	assert_true(exists(f, "ab", h));
}

static void
nothing_goes_when_the_columns_cannot_be_read(void **state)
{
	struct testdb *f = *state;
	char h[65];

	uploads_add_column("no_such_table", "path");
	make_file(f, "ab", hash(9, h), T0 - 30 * DAY);
	assert_int_equal(uploads_sweep(f->db, f->dir, T0, DAY), -1);
	assert_true(exists(f, "ab", h));
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, testdb_teardown)

int
main(void)
{
	/* in this order: the registrations hold for the tests after them */
	const struct CMUnitTest tests[] = {
		T(nothing_goes_while_no_column_is_declared),
		T(a_file_no_row_names_goes_after_the_grace),
		T(temporary_files_go_after_the_grace_and_other_names_stay),
		T(a_file_a_stopped_pass_left_aside_is_put_back),
		T(nothing_goes_when_the_columns_cannot_be_read),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
