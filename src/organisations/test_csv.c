/*
 * test_csv.c -- the CSV of import and export: the reader (quoted line
 * breaks, doubled quotes, BOM, CRLF and LF, blank trailing lines, the
 * line each record starts on, text that is not UTF-8, broken quoting),
 * the header (case, spaces, underscores; missing and unknown columns),
 * the checks of each kind's rows, and the writer (quoting, formulas,
 * BOM and CRLF, and that what it writes reads back the same).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "organisations/csv.h"

static struct csv_doc doc;
static char err[700];

static int
read_text(const char *s)
{
	csv_doc_free(&doc);
	err[0] = '\0';
	return csv_read(s, strlen(s), &doc, err, sizeof(err));
}

static int
teardown(void **state)
{
	csv_doc_free(&doc);
	return 0;
}

static void
reader_keeps_quoted_newlines_and_doubled_quotes(void **state)
{
	assert_int_equal(read_text("a,b\r\n\"one,\r\ntwo\",\"say \"\"hi\"\"\"\r\n"
				   "x,y\r\n"),
			 0);
	assert_int_equal(doc.nrows, 3);
	assert_string_equal(doc.rows[1].field[0], "one,\r\ntwo");
	assert_string_equal(doc.rows[1].field[1], "say \"hi\"");
	assert_int_equal(doc.rows[1].line, 2);
	/* the record after a two-line record starts on line 4 */
	assert_int_equal(doc.rows[2].line, 4);
}

static void
reader_strips_bom_and_takes_lf_and_crlf(void **state)
{
	assert_int_equal(read_text(CSV_BOM "name\nA\r\nB\n"), 0);
	assert_int_equal(doc.nrows, 3);
	assert_string_equal(doc.rows[0].field[0], "name");
	assert_string_equal(doc.rows[1].field[0], "A");
	assert_string_equal(doc.rows[2].field[0], "B");
	assert_int_equal(doc.rows[2].line, 3);
}

static void
reader_skips_blank_and_trailing_lines(void **state)
{
	assert_int_equal(read_text("name\r\n\r\nA\r\n,,\r\n\r\n\r\n"), 0);
	assert_int_equal(doc.nrows, 2);
	assert_int_equal(doc.rows[1].line, 3);
	assert_int_equal(read_text("name\nA"), 0); /* no final line end */
	assert_int_equal(doc.nrows, 2);
}

static void
reader_marks_a_field_that_is_not_utf8(void **state)
{
	assert_int_equal(read_text("name,country\nGen\xe8ve Group,CH\n"), 0);
	assert_int_equal(doc.rows[1].bad_utf8, 1);
	assert_int_equal(doc.rows[0].bad_utf8, 0);
}

static void
reader_refuses_broken_quotes_naming_the_line(void **state)
{
	assert_int_equal(read_text("name\nok\n\"never closed\n\n"), -1);
	assert_non_null(strstr(err, "line 3"));
	assert_int_equal(read_text("name\nok\nab\"c\n"), -1);
	assert_non_null(strstr(err, "line 3"));
	assert_int_equal(read_text("\xff\xfen\0a\0"), -1);
	assert_non_null(strstr(err, "UTF-16"));
}

static void
reader_undoes_the_formula_guard(void **state)
{
	assert_int_equal(read_text("a\n'=1+1\n'plain\n"), 0);
	assert_string_equal(doc.rows[1].field[0], "=1+1");
	assert_string_equal(doc.rows[2].field[0], "'plain");
}

static void
header_maps_case_spaces_and_underscores(void **state)
{
	struct csv_header h;
	json_t *warn = json_array();

	assert_int_equal(read_text("NAME, Contact Address ,ecosoc-status,"
				   "Focal_Areas\n"),
			 0);
	assert_int_equal(csv_map_header(CSV_ORGANISATIONS,
						&doc.rows[0], &h, warn, err,
						sizeof(err)),
			 0);
	assert_int_equal(h.col[1], 0);  /* name */
	assert_int_equal(h.col[6], 1);  /* contact_address */
	assert_int_equal(h.col[8], 2);  /* ecosoc_status */
	assert_int_equal(h.col[12], 3); /* focal_areas */
	assert_int_equal(h.col[0], -1); /* slug: absent */
	assert_int_equal(json_array_size(warn), 0);
	json_decref(warn);
}

static void
header_reports_unknown_and_missing_columns(void **state)
{
	struct csv_header h;
	json_t *warn = json_array();

	assert_int_equal(read_text("name,notes\n"), 0);
	assert_int_equal(csv_map_header(CSV_ORGANISATIONS,
						&doc.rows[0], &h, warn, err,
						sizeof(err)),
			 0);
	assert_int_equal(json_array_size(warn), 1);
	assert_non_null(strstr(json_string_value(json_array_get(warn, 0)),
			       "notes"));
	assert_int_equal(read_text("name,country\n"), 0);
	assert_int_equal(csv_map_header(CSV_PEOPLE,
						&doc.rows[0], &h, warn, err,
						sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "required column: email"));
	assert_int_equal(read_text("name,Name\n"), 0);
	assert_int_equal(csv_map_header(CSV_ORGANISATIONS,
						&doc.rows[0], &h, warn, err,
						sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "named twice"));
	json_decref(warn);
}

/* Reads text (a header and one row) as kind; the number of problems,
 * with the first message in err. */
static int
check_row(enum csv_kind kind, const char *text)
{
	struct csv_header h;
	struct csv_values vals;
	json_t *warn = json_array(), *errors = json_array();
	int n;

	assert_int_equal(read_text(text), 0);
	assert_int_equal(csv_map_header(kind, &doc.rows[0], &h, warn,
						err, sizeof(err)),
			 0);
	n = csv_check(&h, &doc.rows[1], &vals, errors);
	assert_int_equal((size_t)n, json_array_size(errors));
	err[0] = '\0';
	if (n)
		snprintf(err, sizeof(err), "%s",
			 json_string_value(json_object_get(
				 json_array_get(errors, 0), "message")));
	csv_values_clear(&vals);
	json_decref(warn);
	json_decref(errors);
	return n;
}

static void
organisation_rows_are_checked(void **state)
{
	assert_int_equal(check_row(CSV_ORGANISATIONS,
				   "name,country,website,visibility,"
				   "dgc_associated,focal_areas\n"
				   "A,at,https://a.example,Members,Yes,"
				   "victims-rights; femicide\n"),
			 0);
	assert_int_equal(check_row(CSV_ORGANISATIONS,
				   "name,country\nA,XX\n"),
			 1);
	assert_non_null(strstr(err, "country"));
	assert_int_equal(check_row(CSV_ORGANISATIONS,
				   "name,website\nA,ftp://a.example\n"),
			 1);
	assert_int_equal(check_row(CSV_ORGANISATIONS,
				   "name,visibility\nA,secret\n"),
			 1);
	assert_non_null(strstr(err, "public, members or hidden"));
	assert_int_equal(check_row(CSV_ORGANISATIONS,
				   "name,ecosoc_year\nA,2010\n"),
			 1);
	assert_int_equal(check_row(CSV_ORGANISATIONS,
				   "name,dgc_associated,dgc_year\nA,no,2010\n"),
			 1);
	assert_int_equal(check_row(CSV_ORGANISATIONS,
				   "name,focal_areas\nA,Not a slug!\n"),
			 1);
	assert_int_equal(check_row(CSV_ORGANISATIONS,
				   "name,country\n,AT\n"),
			 1);
	assert_non_null(strstr(err, "name is required"));
	assert_int_equal(check_row(CSV_ORGANISATIONS,
				   "name\nA,extra\n"),
			 1);
	assert_non_null(strstr(err, "beyond"));
	assert_int_equal(check_row(CSV_ORGANISATIONS,
				   "name\n\"Two\nlines\"\n"),
			 1);
}

static void
person_rows_are_checked(void **state)
{
	assert_int_equal(check_row(CSV_PEOPLE,
				   "email,name,role,organisation,main_contact,"
				   "un_post,un_rank\n"
				   "a@Example.ORG,Ana,editor,prw,yes,"
				   "new-york,main\n"),
			 0);
	assert_int_equal(check_row(CSV_PEOPLE,
				   "email,name\nnot-an-address,Ana\n"),
			 1);
	assert_int_equal(check_row(CSV_PEOPLE,
				   "email,name,main_contact\na@b.org,Ana,yes\n"),
			 1);
	assert_non_null(strstr(err, "need an organisation"));
	assert_int_equal(check_row(CSV_PEOPLE,
				   "email,name,organisation,un_rank\n"
				   "a@b.org,Ana,prw,main\n"),
			 1);
	assert_int_equal(check_row(CSV_PEOPLE,
				   "email,name,role\na@b.org,Ana,king\n"),
			 1);
}

static void
membership_rows_are_checked(void **state)
{
	assert_int_equal(check_row(CSV_MEMBERSHIPS,
				   "organisation,level,period_start\n"
				   "prw,full,2026-01-01\n"),
			 0);
	assert_int_equal(check_row(CSV_MEMBERSHIPS,
				   "organisation,email,level\n"
				   "prw,a@b.org,full\n"),
			 1);
	assert_int_equal(check_row(CSV_MEMBERSHIPS,
				   "organisation,level\n,full\n"),
			 1);
	assert_int_equal(check_row(CSV_MEMBERSHIPS,
				   "email,level,period_start,period_end\n"
				   "a@b.org,individual,2026-05-01,2026-04-30\n"),
			 1);
	assert_non_null(strstr(err, "before"));
	assert_int_equal(check_row(CSV_MEMBERSHIPS,
				   "email,level,period_start\n"
				   "a@b.org,individual,2026-02-30\n"),
			 1);
	assert_int_equal(check_row(CSV_MEMBERSHIPS,
				   "email,level,state\na@b.org,individual,gone\n"),
			 1);
}

static void
a_row_that_is_not_utf8_is_one_error_naming_it(void **state)
{
	assert_int_equal(check_row(CSV_ORGANISATIONS,
				   "name\n\"Caf\xe9\"\n"),
			 1);
	assert_non_null(strstr(err, "not UTF-8"));
}

static void
writer_quotes_only_what_needs_it(void **state)
{
	struct buf b = BUF_INIT;
	const char *row[] = {"plain", "a,b", "say \"hi\"", "two\nlines", NULL,
			     "cr\rhere"};

	csv_put_row(&b, row, 6);
	assert_string_equal(buf_cstr(&b), "plain,\"a,b\",\"say \"\"hi\"\"\","
					  "\"two\nlines\",,\"cr\rhere\"\r\n");
	buf_free(&b);
}

static void
writer_neutralises_formulas(void **state)
{
	struct buf b = BUF_INIT;
	const char *row[] = {"=SUM(A1)", "+1", "-2", "@x", "a=b", "=a,b"};

	csv_put_row(&b, row, 6);
	assert_string_equal(buf_cstr(&b),
			    "'=SUM(A1),'+1,'-2,'@x,a=b,\"'=a,b\"\r\n");
	buf_free(&b);
}

static void
written_rows_read_back_the_same(void **state)
{
	struct buf b = BUF_INIT;
	/* found by fuzz_csv: spaces around a field were lost on the way */
	const char *row[] = {"=1+1", "x,\"y\"\r\nz", "- a list", "",
			     " Vienna", "tab\t"};

	buf_puts(&b, CSV_BOM);
	csv_put_row(&b, (const char *[]){"a", "b", "c", "d", "e", "f"},
			    6);
	csv_put_row(&b, row, 6);
	assert_memory_equal(b.data, "\xEF\xBB\xBF" "a,b,c,d,e,f\r\n", 16);
	assert_int_equal(read_text(buf_cstr(&b)), 0);
	assert_int_equal(doc.nrows, 2);
	for (size_t i = 0; i < 6; i++)
		assert_string_equal(doc.rows[1].field[i], row[i]);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(
			reader_keeps_quoted_newlines_and_doubled_quotes,
			teardown),
		cmocka_unit_test_teardown(reader_strips_bom_and_takes_lf_and_crlf,
					  teardown),
		cmocka_unit_test_teardown(reader_skips_blank_and_trailing_lines,
					  teardown),
		cmocka_unit_test_teardown(reader_marks_a_field_that_is_not_utf8,
					  teardown),
		cmocka_unit_test_teardown(
			reader_refuses_broken_quotes_naming_the_line, teardown),
		cmocka_unit_test_teardown(reader_undoes_the_formula_guard,
					  teardown),
		cmocka_unit_test_teardown(header_maps_case_spaces_and_underscores,
					  teardown),
		cmocka_unit_test_teardown(
			header_reports_unknown_and_missing_columns, teardown),
		cmocka_unit_test_teardown(organisation_rows_are_checked,
					  teardown),
		cmocka_unit_test_teardown(person_rows_are_checked, teardown),
		cmocka_unit_test_teardown(membership_rows_are_checked, teardown),
		cmocka_unit_test_teardown(
			a_row_that_is_not_utf8_is_one_error_naming_it, teardown),
		cmocka_unit_test(writer_quotes_only_what_needs_it),
		cmocka_unit_test(writer_neutralises_formulas),
		cmocka_unit_test_teardown(written_rows_read_back_the_same,
					  teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
