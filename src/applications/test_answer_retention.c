/*
 * test_answer_retention.c -- the documents sent with answers on
 * applications (answer.c): those of an application the secretariat
 * turned down go a year after its decision, with a real database: the
 * message stays, its document's columns are cleared; an application
 * turned down less than a year ago, one approved, and one still waiting
 * keep theirs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka needs the four above */
#include <cmocka.h>

#include <stdio.h>

#include "applications/applications_int.h"
#include "core/testdb.h"

#define DAY 86400LL
#define T0 1800000000LL /* 2027-01-15 */

/* An application in status, decided `days` before T0 (days < 0: not
 * decided), with one answer carrying the document doc. */
static void
add(struct db *db, int id, const char *status, int days, const char *doc)
{
	char sql[1024];

	snprintf(sql, sizeof sql,
		 "INSERT INTO applications (id, level_id, status,"
		 " applicant_name, applicant_email, consent_at, submitted_at,"
		 " decided_at) VALUES (%d, (SELECT id FROM membership_levels"
		 " ORDER BY id LIMIT 1), '%s', 'A', 'a%d@example.org', 0, 0,"
		 " %s)",
		 id, status, id, days < 0 ? "NULL" : "?");
	if (days >= 0) {
		struct db_stmt *st = db_prepare_adhoc(db, sql);

		assert_non_null(st);
		db_bind_int(st, 1, T0 - days * DAY);
		assert_int_equal(db_run(st), 0);
		db_stmt_free(st);
	} else {
		assert_int_equal(testdb_run(db, sql), 0);
	}
	snprintf(sql, sizeof sql,
		 "INSERT INTO application_messages (application_id, kind, body,"
		 " created_at, attachment_path, attachment_name,"
		 " attachment_type, attachment_size) VALUES (%d, 'answer',"
		 " 'Our statute.', 0, 'uploads/ab/%s', 'statute.pdf',"
		 " 'application/pdf', 8)",
		 id, doc);
	assert_int_equal(testdb_run(db, sql), 0);
}

static int64_t
documents_of(struct db *db, int id)
{
	char sql[256];

	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM application_messages"
		 " WHERE application_id = %d AND attachment_path IS NOT NULL"
		 " AND attachment_name IS NOT NULL",
		 id);
	return testdb_value(db, sql);
}

static void
rejected_a_year_ago_loses_its_document_others_keep_theirs(void **state)
{
	struct testdb *f = *state;

	add(f->db, 1, "rejected", 366, "old");     /* over a year: goes */
	add(f->db, 2, "rejected", 300, "recent");  /* under a year: stays */
	add(f->db, 3, "approved", 900, "member");  /* a member's: stays */
	add(f->db, 4, "more-info", -1, "waiting"); /* not decided: stays */
	assert_int_equal(answer_documents_retention_run(f->db, T0), 1);
	assert_int_equal(documents_of(f->db, 1), 0);
	assert_int_equal(testdb_value(f->db,
				      "SELECT count(*) FROM application_messages"
				      " WHERE application_id = 1"
				      " AND body = 'Our statute.'"
				      " AND attachment_size IS NULL"),
			 1); /* the message stays */
	assert_int_equal(documents_of(f->db, 2), 1);
	assert_int_equal(documents_of(f->db, 3), 1);
	assert_int_equal(documents_of(f->db, 4), 1);
	/* the next pass finds nothing more; a year after its decision the
	 * second goes too */
	assert_int_equal(answer_documents_retention_run(f->db, T0), 0);
	assert_int_equal(answer_documents_retention_run(f->db, T0 + 66 * DAY),
			 1);
	assert_int_equal(documents_of(f->db, 2), 0);
	assert_int_equal(documents_of(f->db, 3), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			rejected_a_year_ago_loses_its_document_others_keep_theirs,
			testdb_setup, testdb_teardown),
	};

	db_register(&answer_sql);
	return cmocka_run_group_tests_name("answer retention", tests, NULL,
					   NULL);
}
