/*
 * test_devsource.c -- development mode's reading of the source tree: the
 * listing (only MODULE/KIND/NAME files, sorted, named as embedded), the
 * fingerprint that says when to compile again, whole-file reads, the error
 * page (escaped), and render.c reading templates from a folder, compiling
 * them again after an edit, refusing a broken one and taking it back once
 * mended.  Each test works in a fresh folder under /tmp.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "core/devsource.h"
#include "core/render.h"

/* A fresh folder, removed by the teardown. */
static int
make_tree(void **state)
{
	char *dir = strdup("/tmp/alliance-devsource-XXXXXX");

	assert_non_null(mkdtemp(dir));
	*state = dir;
	return 0;
}

static int
remove_tree(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", (char *)*state);
	assert_int_equal(system(cmd), 0);
	free(*state);
	return 0;
}

/* Writes text to dir/rel, making the folders on the way. */
static void
put(const char *dir, const char *rel, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	for (char *p = path + strlen(dir) + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(path, 0700);
		*p = '/';
	}
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void
list_finds_module_files_of_the_kind_sorted(void **state)
{
	const char *dir = *state;
	struct devsource_file *f;
	long n;

	put(dir, "site/templates/home.html", "home");
	put(dir, "site/templates/about.html", "about");
	put(dir, "site/templates/notes.txt", "not a template");
	put(dir, "site/templates/.home.html.swp", "an editor's");
	put(dir, "site/static/site.css", "css");
	put(dir, "admin/templates/people.html", "people");
	put(dir, "admin/templates/sub/deep.html", "too deep");
	put(dir, "core/migrations/0001_x.sql", "sql");
	put(dir, "main.c", "a file at the top");

	n = devsource_list(dir, "templates", ".html", &f);
	assert_int_equal(n, 3);
	assert_string_equal(f[0].name, "admin/templates/people.html");
	assert_string_equal(f[1].name, "site/templates/about.html");
	assert_string_equal(f[2].name, "site/templates/home.html");
	assert_true(strncmp(f[2].path, dir, strlen(dir)) == 0);
	assert_string_equal(f[2].path + strlen(dir),
			    "/site/templates/home.html");
	assert_int_equal(f[2].st.st_size, 4);
	devsource_free(f, (size_t)n);

	n = devsource_list(dir, "static", NULL, &f);
	assert_int_equal(n, 1);
	assert_string_equal(f[0].name, "site/static/site.css");
	devsource_free(f, (size_t)n);
}

static void
list_of_a_missing_folder_fails(void **state)
{
	char path[256];
	struct devsource_file *f;

	snprintf(path, sizeof(path), "%s/nowhere", (char *)*state);
	assert_int_equal(devsource_list(path, "templates", ".html", &f), -1);
	assert_null(f);
}

/* The stamp of dir's templates now. */
static uint64_t
stamp_of(const char *dir)
{
	struct devsource_file *f;
	long n = devsource_list(dir, "templates", ".html", &f);
	uint64_t s;

	assert_true(n >= 0);
	s = devsource_stamp(f, (size_t)n);
	devsource_free(f, (size_t)n);
	return s;
}

static void
stamp_changes_with_size_time_and_set_of_files(void **state)
{
	const char *dir = *state;
	char path[256];
	struct timeval old[2] = {{1000000000, 0}, {1000000000, 0}};
	uint64_t a, b;

	put(dir, "site/templates/home.html", "one");
	a = stamp_of(dir);
	assert_int_equal(stamp_of(dir), a); /* nothing changed */

	put(dir, "site/templates/home.html", "three"); /* size */
	b = stamp_of(dir);
	assert_int_not_equal(b, a);

	snprintf(path, sizeof(path), "%s/site/templates/home.html", dir);
	assert_int_equal(utimes(path, old), 0); /* time only */
	a = stamp_of(dir);
	assert_int_not_equal(a, b);

	put(dir, "site/templates/other.html", ""); /* a new file */
	b = stamp_of(dir);
	assert_int_not_equal(b, a);

	snprintf(path, sizeof(path), "%s/site/templates/other.html", dir);
	assert_int_equal(unlink(path), 0); /* and gone again */
	assert_int_not_equal(stamp_of(dir), b);
}

static void
read_gives_the_whole_file_with_a_nul(void **state)
{
	const char *dir = *state;
	char path[256], *data;
	size_t len;

	put(dir, "site/static/a.txt", "abc\ndef");
	snprintf(path, sizeof(path), "%s/site/static/a.txt", dir);
	assert_int_equal(devsource_read(path, &data, &len), 0);
	assert_int_equal(len, 7);
	assert_string_equal(data, "abc\ndef");
	free(data);

	put(dir, "site/static/empty.txt", "");
	snprintf(path, sizeof(path), "%s/site/static/empty.txt", dir);
	assert_int_equal(devsource_read(path, &data, &len), 0);
	assert_int_equal(len, 0);
	assert_string_equal(data, "");
	free(data);

	snprintf(path, sizeof(path), "%s/site/static/none.txt", dir);
	assert_int_equal(devsource_read(path, &data, &len), -1);
}

static void
error_page_escapes_the_message(void **state)
{
	struct buf b = BUF_INIT;

	render_source_error_page(
		&b, "/src/site/templates/x.html:3:9: {{y}} inside <script> "
		    "& \"quotes\"");
	assert_non_null(strstr(buf_cstr(&b),
			       "<pre>/src/site/templates/x.html:3:9: {{y}} "
			       "inside &lt;script&gt; &amp; &quot;quotes&quot;"
			       "</pre>"));
	assert_null(strstr(buf_cstr(&b), "<script>"));
	assert_non_null(strstr(buf_cstr(&b), "<!doctype html>"));
	buf_free(&b);
}

/* Renders tmpl alone from the current set: a malloc'd string, or NULL
 * when it fails. */
static char *
render_alone(const char *tmpl)
{
	struct buf b = BUF_INIT;
	json_t *model = json_pack("{s:s}", "who", "<world>");
	int rc = render_template(tmpl, model, &b);

	json_decref(model);
	if (rc != 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

static void
source_templates_are_read_again_after_an_edit(void **state)
{
	const char *dir = *state;
	char err[512], path[256], *out;

	render_configure("site/templates/layout.html",
			 "site/templates/error.html", NULL);
	/* a folder without templates, or without the layout, is refused */
	assert_int_equal(render_init_source(dir, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "holds no MODULE/templates/NAME.html"));
	put(dir, "site/templates/hello.html", "<p>Hello {{who}}</p>");
	assert_int_equal(render_init_source(dir, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "holds no site/templates/layout.html"));
	assert_null(render_source_dir());

	put(dir, "site/templates/layout.html", "<main>{{raw content}}</main>");
	assert_int_equal(render_init_source(dir, err, sizeof(err)), 0);
	assert_string_equal(render_source_dir(), dir);
	out = render_alone("site/templates/hello.html");
	assert_string_equal(out, "<p>Hello &lt;world&gt;</p>");
	free(out);

	put(dir, "site/templates/hello.html", "<p>Hi again {{who}}</p>");
	out = render_alone("site/templates/hello.html");
	assert_string_equal(out, "<p>Hi again &lt;world&gt;</p>");
	free(out);

	/* broken: nothing renders, not even the templates that compile */
	put(dir, "site/templates/hello.html", "<p>\n<script>{{who}}</script>");
	assert_null(render_alone("site/templates/hello.html"));
	assert_null(render_alone("site/templates/layout.html"));

	put(dir, "site/templates/hello.html", "<p>Mended {{who}}</p>");
	out = render_alone("site/templates/hello.html");
	assert_string_equal(out, "<p>Mended &lt;world&gt;</p>");
	free(out);

	/* a template removed from disk is gone from the set */
	snprintf(path, sizeof(path), "%s/site/templates/hello.html", dir);
	assert_int_equal(unlink(path), 0);
	assert_null(render_alone("site/templates/hello.html"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			list_finds_module_files_of_the_kind_sorted, make_tree,
			remove_tree),
		cmocka_unit_test_setup_teardown(list_of_a_missing_folder_fails,
						make_tree, remove_tree),
		cmocka_unit_test_setup_teardown(
			stamp_changes_with_size_time_and_set_of_files,
			make_tree, remove_tree),
		cmocka_unit_test_setup_teardown(
			read_gives_the_whole_file_with_a_nul, make_tree,
			remove_tree),
		cmocka_unit_test(error_page_escapes_the_message),
		cmocka_unit_test_setup_teardown(
			source_templates_are_read_again_after_an_edit,
			make_tree, remove_tree),
	};

	return cmocka_run_group_tests_name("devsource", tests, NULL, NULL);
}
