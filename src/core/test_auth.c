/*
 * test_auth.c -- tokens, passwords and their rules, one-time links (once,
 * and only before they expire), API tokens, sessions listed and ended, and
 * the permission check for every role.
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

#include "core/auth.h"
#include "core/validate.h"
#include "core/testdb.h"

struct fixture {
	char dir[64];
	struct db *db;
	struct arena *a;
	int64_t person;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char path[128];
	struct db_stmt *st;

	if (testdb_open(f->dir, path, &f->db) != 0 || auth_init(f->db) != 0)
		return -1;
	st = db_prepare_adhoc(f->db, "INSERT INTO people (email, name, role,"
				     " created_at) VALUES ('ada@example.org',"
				     " 'Ada', 'member', 0)");
	if (st == NULL || db_run(st) != 0)
		return -1;
	db_stmt_free(st);
	f->person = db_last_id(f->db);
	f->a = arena_new();
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	arena_free(f->a);
	if (testdb_close(f->dir, f->db) != 0)
		return -1;
	free(f);
	return 0;
}

static void
tokens_are_long_random_and_urlsafe(void **state)
{
	char a[AUTH_TOKEN_LEN + 1], b[AUTH_TOKEN_LEN + 1];

	auth_token_new(a);
	auth_token_new(b);
	assert_int_equal(strlen(a), AUTH_TOKEN_LEN);
	assert_string_not_equal(a, b);
	assert_int_equal(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmno"
				   "pqrstuvwxyz0123456789-_"),
			 AUTH_TOKEN_LEN);
}

static void
token_digest_is_sha256_hex(void **state)
{
	char hex[AUTH_HASH_LEN + 1];

	auth_token_digest("abc", hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396"
				 "177a9cb410ff61f20015ad");
}

static void
password_hash_checks_only_the_right_password(void **state)
{
	char hash[AUTH_PWHASH_MAX];

	assert_int_equal(auth_password_hash("correct horse battery", hash), 0);
	assert_non_null(strstr(hash, "$argon2id$"));
	assert_non_null(strstr(hash, "m=19456,t=2"));
	assert_true(auth_password_check(hash, "correct horse battery"));
	assert_false(auth_password_check(hash, "correct horse batterY"));
	assert_false(auth_password_check(NULL, "anything at all"));
}

static int
password_ok(const char *pw, const char **msg)
{
	static const struct field f = {.name = "password",
				       .type = FT_PASSWORD,
				       .flags = FIELD_REQUIRED};
	struct value v;
	int rc = validate_field(&f, pw, strlen(pw), &v, msg);

	if (rc == 0)
		assert_string_equal(v.str, pw); /* never trimmed */
	value_clear(&v);
	return rc == 0;
}

static void
password_rules_count_characters_not_bytes(void **state)
{
	const char *msg;
	char long_pw[200];

	assert_false(password_ok("elevenchars", &msg));
	assert_string_equal(msg, "must be at least 12 characters long");
	assert_true(password_ok("twelve chars", &msg));
	assert_true(password_ok("  spaces kept  ", &msg));
	/* 12 characters, 24 bytes */
	assert_true(password_ok("ééééééééééél", &msg));
	/* 11 characters, 22 bytes */
	assert_false(password_ok("éééééééééél", &msg));
	memset(long_pw, 'x', 128);
	long_pw[128] = '\0';
	assert_true(password_ok(long_pw, &msg));
	long_pw[128] = 'x';
	long_pw[129] = '\0';
	assert_false(password_ok(long_pw, &msg));
	assert_string_equal(msg, "must be at most 128 characters long");
	assert_false(password_ok("with a\ttab inside", &msg));
}

static void
link_works_once(void **state)
{
	struct fixture *f = *state;
	char token[AUTH_TOKEN_LEN + 1];
	const char *data;
	int64_t who = 0;

	assert_int_equal(auth_link_create(f->db, f->person, "email",
					  "new@example.org", 3600, 1000, token),
			 0);
	assert_int_equal(auth_link_peek(f->db, token, "email", 1001, f->a, &who,
					&data),
			 1);
	assert_int_equal(who, f->person);
	assert_string_equal(data, "new@example.org");
	assert_int_equal(auth_link_use(f->db, token, "email", 1002, f->a, &who,
				       &data),
			 1);
	assert_int_equal(auth_link_use(f->db, token, "email", 1003, f->a, &who,
				       &data),
			 0);
}

static void
link_expires(void **state)
{
	struct fixture *f = *state;
	char token[AUTH_TOKEN_LEN + 1];
	int64_t who;

	assert_int_equal(auth_link_create(f->db, f->person, "reset", NULL, 3600,
					  1000, token),
			 0);
	assert_int_equal(auth_link_use(f->db, token, "reset", 4600, f->a, &who,
				       NULL),
			 0);
}

static void
link_is_bound_to_its_purpose(void **state)
{
	struct fixture *f = *state;
	char token[AUTH_TOKEN_LEN + 1];
	int64_t who;

	assert_int_equal(auth_link_create(f->db, f->person, "verify", NULL, 3600,
					  1000, token),
			 0);
	assert_int_equal(auth_link_use(f->db, token, "reset", 1001, f->a, &who,
				       NULL),
			 0);
	assert_int_equal(auth_link_use(f->db, "not-a-token", "verify", 1001,
				       f->a, &who, NULL),
			 0);
}

static void
new_link_replaces_the_unused_one(void **state)
{
	struct fixture *f = *state;
	char first[AUTH_TOKEN_LEN + 1], second[AUTH_TOKEN_LEN + 1];
	int64_t who;

	auth_link_create(f->db, f->person, "reset", NULL, 3600, 1000, first);
	auth_link_create(f->db, f->person, "reset", NULL, 3600, 1001, second);
	assert_int_equal(auth_link_use(f->db, first, "reset", 1002, f->a, &who,
				       NULL),
			 0);
	assert_int_equal(auth_link_use(f->db, second, "reset", 1002, f->a, &who,
				       NULL),
			 1);
}

static void
sessions_are_listed_and_ended_one_by_one(void **state)
{
	struct fixture *f = *state;
	char t1[AUTH_TOKEN_LEN + 1], t2[AUTH_TOKEN_LEN + 1];
	char h1[AUTH_HASH_LEN + 1];
	json_t *list;
	int64_t other;

	assert_int_equal(auth_session_create(f->db, f->person, "192.0.2.1",
					     "Firefox", 100, t1),
			 0);
	assert_int_equal(auth_session_create(f->db, f->person, "192.0.2.2",
					     "Chromium", 200, t2),
			 0);
	auth_token_digest(t1, h1);
	list = auth_sessions_list(f->db, f->person, h1);
	assert_int_equal(json_array_size(list), 2);
	/* newest first; the current one is marked */
	assert_int_equal(json_integer_value(json_object_get(
				 json_array_get(list, 1), "current")),
			 1);
	other = json_integer_value(
		json_object_get(json_array_get(list, 0), "id"));
	json_decref(list);
	assert_int_equal(auth_session_end_by_id(f->db, f->person + 1, other), 0);
	assert_int_equal(auth_session_end_by_id(f->db, f->person, other), 1);
	assert_int_equal(auth_sessions_end_others(f->db, f->person, NULL), 0);
	list = auth_sessions_list(f->db, f->person, NULL);
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);
}

static void
api_tokens_are_revoked_by_their_owner_only(void **state)
{
	struct fixture *f = *state;
	char token[AUTH_TOKEN_LEN + 1];
	int64_t id = auth_api_token_create(f->db, f->person, "reports", 10,
					   token);
	json_t *list;

	assert_true(id > 0);
	assert_int_equal(auth_api_token_revoke(f->db, f->person + 1, id, 11), 0);
	assert_int_equal(auth_api_token_revoke(f->db, f->person, id, 12), 1);
	assert_int_equal(auth_api_token_revoke(f->db, f->person, id, 13), 0);
	list = auth_api_tokens_list(f->db, f->person);
	assert_int_equal(json_array_size(list), 1);
	assert_int_equal(json_integer_value(json_object_get(
				 json_array_get(list, 0), "revoked_at")),
			 12);
	/* the token itself is never stored */
	{
		char *dump = json_dumps(list, 0);

		assert_null(strstr(dump, token));
		free(dump);
	}
	json_decref(list);
}

static void
permission_follows_role_order(void **state)
{
	struct person member = {.role = ROLE_MEMBER};
	struct person editor = {.role = ROLE_EDITOR};
	struct person admin = {.role = ROLE_ADMIN};
	const struct {
		const struct person *p;
		int can[4]; /* public, member, editor, admin */
	} want[] = {
		{NULL, {1, 0, 0, 0}},
		{&member, {1, 1, 0, 0}},
		{&editor, {1, 1, 1, 0}},
		{&admin, {1, 1, 1, 1}},
	};

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		for (int a = ACCESS_PUBLIC; a <= ACCESS_ADMIN; a++)
			assert_int_equal(auth_can(want[i].p, (enum access)a),
					 want[i].can[a]);
}

static const struct auth_rule test_rules[] = {
	{"party.edit", ROLE_NONE, "chair"},
	{"news.publish", ROLE_EDITOR, NULL},
	{"collection.curate", ROLE_EDITOR, "curator"},
	{"party.write", ROLE_NONE, "chair co-chair rapporteur"},
};

/* A rule may name several object roles; any one of them suffices, and a
 * role that only begins like one of them does not. */
static void
object_roles_of_a_list(void **state)
{
	struct fixture *f = *state;
	struct person member = {.id = f->person, .role = ROLE_MEMBER};

	assert_int_equal(auth_grant(f->db, f->person, "party", "victims",
				    "member", 1),
			 0);
	assert_int_equal(auth_permits(f->db, &member, "party.write", "party",
				      "victims"),
			 0);
	assert_int_equal(auth_grant(f->db, f->person, "party", "victims",
				    "co", 1),
			 0);
	assert_int_equal(auth_permits(f->db, &member, "party.write", "party",
				      "victims"),
			 0);
	assert_int_equal(auth_grant(f->db, f->person, "party", "victims",
				    "rapporteur", 1),
			 0);
	assert_int_equal(auth_permits(f->db, &member, "party.write", "party",
				      "victims"),
			 1);
	assert_int_equal(auth_permits(f->db, &member, "party.write", "party",
				      "corruption"),
			 0);
}

static void
object_roles_decide_object_actions(void **state)
{
	struct fixture *f = *state;
	struct person member = {.id = f->person, .role = ROLE_MEMBER};

	assert_int_equal(auth_permits(f->db, &member, "party.edit", "party",
				      "victims"),
			 0);
	assert_int_equal(auth_grant(f->db, f->person, "party", "victims",
				    "chair", 1),
			 0);
	assert_int_equal(auth_permits(f->db, &member, "party.edit", "party",
				      "victims"),
			 1);
	/* the role is on that party only */
	assert_int_equal(auth_permits(f->db, &member, "party.edit", "party",
				      "corruption"),
			 0);
	assert_int_equal(auth_revoke(f->db, f->person, "party", "victims",
				     "chair"),
			 0);
	assert_int_equal(auth_permits(f->db, &member, "party.edit", "party",
				      "victims"),
			 0);
}

static void
global_roles_and_admins_decide_the_rest(void **state)
{
	struct fixture *f = *state;
	struct person member = {.id = f->person, .role = ROLE_MEMBER};
	struct person editor = {.id = f->person, .role = ROLE_EDITOR};
	struct person admin = {.id = f->person, .role = ROLE_ADMIN};

	assert_int_equal(auth_permits(f->db, &member, "news.publish", NULL,
				      NULL),
			 0);
	assert_int_equal(auth_permits(f->db, &editor, "news.publish", NULL,
				      NULL),
			 1);
	assert_int_equal(auth_permits(f->db, &editor, "collection.curate",
				      "collection", "femicide"),
			 1);
	assert_int_equal(auth_permits(f->db, &admin, "party.edit", "party",
				      "victims"),
			 1);
	assert_int_equal(auth_permits(f->db, NULL, "news.publish", NULL, NULL),
			 0);
}

static void
actions_without_a_rule_are_refused(void **state)
{
	struct fixture *f = *state;
	struct person editor = {.id = f->person, .role = ROLE_EDITOR};

	assert_int_equal(auth_permits(f->db, &editor, "no.such.action", "x",
				      "y"),
			 0);
}

/* The account's saved language comes with the person (the core reads it
 * for a signed-in request's language), NULL until one is chosen; the
 * password hash read after it is still the hash. */
static void
person_carries_the_saved_language(void **state)
{
	struct fixture *f = *state;
	struct person p = {0};
	const char *hash = "x";

	assert_int_equal(auth_person_by_id(f->db, f->person, f->a, &p), 1);
	assert_null(p.language);
	testdb_run(f->db, "UPDATE people SET language = 'fr',"
			  " password_hash = 'h'");
	assert_int_equal(auth_person_by_id(f->db, f->person, f->a, &p), 1);
	assert_string_equal(p.language, "fr");
	memset(&p, 0, sizeof(p));
	assert_int_equal(auth_person_by_email(f->db, "ada@example.org", f->a,
					      &p, &hash),
			 1);
	assert_string_equal(p.language, "fr");
	assert_string_equal(hash, "h");
}

static void
role_names_round_trip(void **state)
{
	for (int r = ROLE_MEMBER; r <= ROLE_ADMIN; r++)
		assert_int_equal(auth_role_from_name(auth_role_name(r)), r);
	assert_int_equal(auth_role_from_name("root"), ROLE_NONE);
	assert_int_equal(auth_role_from_name(NULL), ROLE_NONE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tokens_are_long_random_and_urlsafe),
		cmocka_unit_test(token_digest_is_sha256_hex),
		cmocka_unit_test(password_hash_checks_only_the_right_password),
		cmocka_unit_test(password_rules_count_characters_not_bytes),
		cmocka_unit_test_setup_teardown(link_works_once, setup, teardown),
		cmocka_unit_test_setup_teardown(link_expires, setup, teardown),
		cmocka_unit_test_setup_teardown(link_is_bound_to_its_purpose, setup, teardown),
		cmocka_unit_test_setup_teardown(new_link_replaces_the_unused_one, setup, teardown),
		cmocka_unit_test_setup_teardown(sessions_are_listed_and_ended_one_by_one, setup, teardown),
		cmocka_unit_test_setup_teardown(api_tokens_are_revoked_by_their_owner_only, setup, teardown),
		cmocka_unit_test(permission_follows_role_order),
		cmocka_unit_test(role_names_round_trip),
		cmocka_unit_test_setup_teardown(object_roles_decide_object_actions, setup, teardown),
		cmocka_unit_test_setup_teardown(object_roles_of_a_list, setup, teardown),
		cmocka_unit_test_setup_teardown(global_roles_and_admins_decide_the_rest, setup, teardown),
		cmocka_unit_test_setup_teardown(actions_without_a_rule_are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(person_carries_the_saved_language, setup, teardown),
	};

	if (sodium_init() < 0)
		return 1;
	db_register(&auth_sql);
	auth_register_rules(test_rules, sizeof(test_rules) / sizeof(test_rules[0]));
	return cmocka_run_group_tests_name("auth", tests, NULL, NULL);
}
