/*
 * test_states.c -- the membership state machine and its reminders with the
 * clock in the test's hands: every transition, every reminder once, the
 * ECOSOC quadrennial report dates, and the daily pass on a real database.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "core/config.h"
#include "core/i18n.h"
#include "core/jobs.h"
#include "core/mail.h"
#include "core/testdb.h"
#include "membership/states.h"

static long
D(const char *ymd)
{
	long d = states_days(ymd);

	assert_true(d >= 0);
	return d;
}

static void
dates_round_trip_through_days(void **state)
{
	char out[11];

	assert_int_equal(states_days("1970-01-01"), 0);
	assert_int_equal(states_days("2000-03-01") - states_days("2000-02-28"),
			 2); /* 2000 is a leap year */
	assert_int_equal(states_days("1900-03-01") - states_days("1900-02-28"),
			 1); /* 1900 is not */
	for (long d = D("2023-12-25"); d < D("2025-01-10"); d++) {
		states_ymd(d, out);
		assert_int_equal(states_days(out), d);
	}
	assert_int_equal(states_days("2026-02-29"), -1);
	assert_int_equal(states_days("2026-13-01"), -1);
	assert_int_equal(states_days("2026-1-1"), -1);
	assert_int_equal(states_days("2026-01-01x"), -1);
}

static void
active_until_the_last_day_then_grace_then_lapsed(void **state)
{
	long end = D("2026-12-31");

	assert_int_equal(states_on(MS_ACTIVE, end, 60, end), MS_ACTIVE);
	assert_int_equal(states_on(MS_ACTIVE, end, 60, end + 1),
			 MS_GRACE);
	assert_int_equal(states_on(MS_GRACE, end, 60, end + 60),
			 MS_GRACE);
	assert_int_equal(states_on(MS_GRACE, end, 60, end + 61),
			 MS_LAPSED);
	assert_int_equal(states_on(MS_ACTIVE, end, 0, end + 1),
			 MS_LAPSED);
}

static void
renewal_brings_grace_and_lapsed_back_to_active(void **state)
{
	long new_end = D("2027-12-31");

	assert_int_equal(states_on(MS_GRACE, new_end, 60, D("2027-01-15")),
			 MS_ACTIVE);
	assert_int_equal(states_on(MS_LAPSED, new_end, 60,
					  D("2027-06-01")),
			 MS_ACTIVE);
}

static void
pending_and_cancelled_do_not_move(void **state)
{
	long end = D("2020-01-01");

	assert_int_equal(states_on(MS_PENDING, end, 0, end + 999),
			 MS_PENDING);
	assert_int_equal(states_on(MS_CANCELLED, end, 0, end - 10),
			 MS_CANCELLED);
}

static void
expiry_reminder_is_the_most_urgent_reached(void **state)
{
	const int sched[] = {30, 7};
	long end = D("2026-12-31");
	char kind[24];

	assert_false(states_expiry_reminder(MS_ACTIVE, end, end - 31, sched, 2,
					     kind));
	assert_true(states_expiry_reminder(MS_ACTIVE, end, end - 30, sched, 2,
					    kind));
	assert_string_equal(kind, "expiry-30");
	assert_true(states_expiry_reminder(MS_ACTIVE, end, end - 8, sched, 2,
					    kind));
	assert_string_equal(kind, "expiry-30");
	assert_true(states_expiry_reminder(MS_ACTIVE, end, end - 7, sched, 2,
					    kind));
	assert_string_equal(kind, "expiry-7");
	assert_true(states_expiry_reminder(MS_ACTIVE, end, end, sched, 2,
					    kind));
	assert_string_equal(kind, "expiry-7");
	assert_false(states_expiry_reminder(MS_GRACE, end, end + 1, sched, 2,
					     kind));
}

static void
schedule_parses_and_refuses_nonsense(void **state)
{
	int s[4];

	assert_int_equal(states_parse_schedule("30,7", s, 4), 2);
	assert_int_equal(s[0], 30);
	assert_int_equal(s[1], 7);
	assert_int_equal(states_parse_schedule(" 60 , 14, 1", s, 4), 3);
	assert_int_equal(states_parse_schedule("", s, 4), 0);
	assert_int_equal(states_parse_schedule("30;7", s, 4), -1);
	assert_int_equal(states_parse_schedule("0", s, 4), -1);
	assert_int_equal(states_parse_schedule("400", s, 4), -1);
	assert_int_equal(states_parse_schedule("1,2,3,4,5", s, 4), -1);
}

static void
quadrennial_reports_fall_due_on_first_june(void **state)
{
	long due;
	char out[11];

	assert_true(
		states_un_report_due("special", 2004, D("2026-11-29"), &due));
	states_ymd(due, out);
	assert_string_equal(out, "2029-06-01"); /* 2009, 2013, ... 2029 */
	assert_true(
		states_un_report_due("general", 2021, D("2026-06-01"), &due));
	states_ymd(due, out);
	assert_string_equal(out, "2026-06-01");
	assert_false(
		states_un_report_due("roster", 2004, D("2026-01-01"), &due));
	assert_false(states_un_report_due(NULL, 0, D("2026-01-01"), &due));
}

/* ---- the daily pass on a database ---- */

struct fixture {
	char dir[64];
	char path[128];
	struct db *db;
	struct config cfg;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (testdb_open(f->dir, f->path, &f->db) != 0)
		return -1;
	config_defaults(&f->cfg);
	snprintf(f->cfg.base_url, sizeof(f->cfg.base_url), "https://a.example");
	config_current = &f->cfg;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	config_current = NULL;
	if (testdb_close(f->dir, f->db) != 0)
		return -1;
	free(f);
	return 0;
}

static void
exec(struct db *db, const char *sql)
{
	struct db_stmt *st = db_prepare_adhoc(db, sql);

	assert_non_null(st);
	assert_int_equal(db_run(st), 0);
	db_stmt_free(st);
}

/* An organisation (ECOSOC special since 2004) with a main contact and a
 * full membership ending 2026-12-31 (grace 60 days). */
static void
seed_member(struct db *db)
{
	exec(db, "INSERT INTO people (id, email, name, created_at) VALUES"
		 " (10, 'contact@ngo.example', 'Carla Contact', 0),"
		 " (11, 'other@ngo.example', 'Otto Other', 0)");
	exec(db, "INSERT INTO organisations (id, slug, name, name_key,"
		 " ecosoc_status, ecosoc_year, created_at) VALUES (1, 'ngo',"
		 " 'NGO', 'ngo', 'special', 2004, 0)");
	exec(db, "INSERT INTO representatives (organisation_id, person_id,"
		 " main_contact) VALUES (1, 10, 1), (1, 11, 0)");
	exec(db, "INSERT INTO memberships (id, level_id, organisation_id,"
		 " state, state_since, period_start, period_end, created_at)"
		 " SELECT 1, id, 1, 'active', '2026-01-01', '2026-01-01',"
		 " '2026-12-31', 0 FROM membership_levels WHERE slug = 'full'");
}

static int64_t
at(const char *ymd)
{
	return (int64_t)states_days(ymd) * 86400 + 6 * 3600;
}

static void
daily_pass_reminds_once_then_moves_states(void **state)
{
	struct fixture *f = *state;
	const int sched[] = {30, 7};

	seed_member(f->db);
	/* two months before: nothing */
	assert_int_equal(states_daily_run(f->db, at("2026-10-31"), sched, 2),
			 0);
	/* 30 days before, twice: one message to the main contact only */
	assert_int_equal(states_daily_run(f->db, at("2026-12-01"), sched, 2),
			 1);
	assert_int_equal(states_daily_run(f->db, at("2026-12-02"), sched, 2),
			 0);
	assert_int_equal(testdb_value(f->db, "SELECT count(*) FROM outbox WHERE"
				      " to_addr = 'contact@ngo.example'"),
			 1);
	assert_int_equal(testdb_value(f->db, "SELECT count(*) FROM outbox WHERE"
				      " to_addr = 'other@ngo.example'"),
			 0);
	/* 7 days before */
	assert_int_equal(states_daily_run(f->db, at("2026-12-24"), sched, 2),
			 1);
	/* the first day after: grace, audited, with its message */
	assert_int_equal(states_daily_run(f->db, at("2027-01-01"), sched, 2),
			 2);
	assert_int_equal(testdb_value(f->db, "SELECT count(*) FROM memberships WHERE"
				      " state = 'grace' AND state_since ="
				      " '2027-01-01'"),
			 1);
	assert_int_equal(testdb_value(f->db, "SELECT count(*) FROM audit_log WHERE"
				      " action = 'membership.state' AND"
				      " after_json = '{\"state\":\"grace\"}'"),
			 1);
	/* 61 days after: lapsed, once */
	assert_int_equal(states_daily_run(f->db, at("2027-03-02"), sched, 2),
			 2);
	assert_int_equal(states_daily_run(f->db, at("2027-03-03"), sched, 2),
			 0);
	assert_int_equal(testdb_value(f->db, "SELECT count(*) FROM memberships WHERE"
				      " state = 'lapsed'"),
			 1);
	assert_int_equal(testdb_value(f->db, "SELECT count(*) FROM outbox"), 4);
}

static void
quadrennial_report_reminder_goes_once_ninety_days_ahead(void **state)
{
	struct fixture *f = *state;
	const int sched[] = {30, 7};

	seed_member(f->db);
	exec(f->db, "UPDATE memberships SET period_end = '2029-12-31'");
	assert_int_equal(states_daily_run(f->db, at("2029-03-02"), sched, 2),
			 0);
	assert_int_equal(states_daily_run(f->db, at("2029-03-03"), sched, 2),
			 1);
	assert_int_equal(states_daily_run(f->db, at("2029-04-01"), sched, 2),
			 0);
	assert_int_equal(testdb_value(f->db, "SELECT count(*) FROM outbox WHERE"
				      " subject LIKE 'ECOSOC quadrennial report"
				      " due on 2029-06-01'"),
			 1);
}

/* Each reminder is written in its reader's language: the main contact's
 * account says French, so subject and body are French (Content-Language:
 * fr); the same reminder to an account without a language is English. */
static void
reminders_are_in_the_contact_language(void **state)
{
	struct fixture *f = *state;
	const int sched[] = {30, 7};

	seed_member(f->db);
	exec(f->db, "UPDATE people SET language = 'fr' WHERE id = 10");
	assert_int_equal(states_daily_run(f->db, at("2026-12-01"), sched, 2),
			 1);
	assert_int_equal(testdb_value(f->db, "SELECT count(*) FROM outbox WHERE"
				      " to_addr = 'contact@ngo.example' AND"
				      " subject = 'Votre adhésion prend fin"
				      " le 2026-12-31' AND message LIKE"
				      " '%Content-Language: fr%'"),
			 1);
	/* the contact's choice undone: the next reminder is English */
	exec(f->db, "UPDATE people SET language = NULL WHERE id = 10");
	assert_int_equal(states_daily_run(f->db, at("2026-12-24"), sched, 2),
			 1);
	assert_int_equal(testdb_value(f->db, "SELECT count(*) FROM outbox WHERE"
				      " subject = 'Your membership ends on"
				      " 2026-12-31'"),
			 1);
}

static void
a_failed_pass_keeps_nothing(void **state)
{
	struct fixture *f = *state;
	const int sched[] = {30, 7};

	seed_member(f->db);
	/* the contact's address cannot take mail: the pass fails whole */
	exec(f->db, "UPDATE people SET email = 'not an address' WHERE id = 10");
	assert_int_equal(states_daily_run(f->db, at("2027-01-01"), sched, 2),
			 -1);
	assert_int_equal(testdb_value(f->db, "SELECT count(*) FROM memberships WHERE"
				      " state = 'active'"),
			 1);
	assert_int_equal(testdb_value(f->db, "SELECT count(*) FROM membership_reminders"),
			 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dates_round_trip_through_days),
		cmocka_unit_test(active_until_the_last_day_then_grace_then_lapsed),
		cmocka_unit_test(renewal_brings_grace_and_lapsed_back_to_active),
		cmocka_unit_test(pending_and_cancelled_do_not_move),
		cmocka_unit_test(expiry_reminder_is_the_most_urgent_reached),
		cmocka_unit_test(schedule_parses_and_refuses_nonsense),
		cmocka_unit_test(quadrennial_reports_fall_due_on_first_june),
		cmocka_unit_test_setup_teardown(daily_pass_reminds_once_then_moves_states, setup, teardown),
		cmocka_unit_test_setup_teardown(quadrennial_report_reminder_goes_once_ninety_days_ahead, setup, teardown),
		cmocka_unit_test_setup_teardown(reminders_are_in_the_contact_language, setup, teardown),
		cmocka_unit_test_setup_teardown(a_failed_pass_keeps_nothing, setup, teardown),
	};

	char err[200];

	if (sodium_init() < 0 || i18n_init("en", err, sizeof(err)) != 0)
		return 1;
	db_register(&states_sql);
	db_register(&mail_sql);
	db_register(&jobs_sql);
	db_register(&audit_sql);
	return cmocka_run_group_tests_name("membership states", tests, NULL, NULL);
}
