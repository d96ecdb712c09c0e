/*
 * messages.c -- see messages.h: the conversation about an application
 * (application_messages), which review.c adds questions to and both the
 * review page and the answer page (answer.c) show.
 */
#include "messages.h"

#include <string.h>

#include "core/auth.h"
#include "core/db.h"
#include "core/i18n.h"
#include "core/render.h"
#include "membership/membership.h"

enum stmt_messages {
	M_RETIRE,
	M_QUESTION_INSERT,
	M_CONVERSATION,
	M_DOCUMENT,
	M_MESSAGES__MAX,
};

static const char *const messages_sql_text[M_MESSAGES__MAX] = {
	/* binds: now, application, now */
	[M_RETIRE] = "UPDATE application_messages SET expires_at = ?"
		     " WHERE application_id = ? AND kind = 'question'"
		     " AND token_hash IS NOT NULL AND used_at IS NULL"
		     " AND expires_at > ?",
	[M_QUESTION_INSERT] =
		"INSERT INTO application_messages (application_id, kind, body,"
		" author_id, created_at, token_hash, expires_at)"
		" VALUES (?, 'question', ?, ?, ?, ?, ?)",
	[M_CONVERSATION] =
		"SELECT m.id, m.application_id, m.kind, m.body, m.created_at,"
		" m.used_at IS NOT NULL AS answered, m.attachment_name,"
		" m.attachment_size,"
		" CASE m.kind WHEN 'answer' THEN a.applicant_name"
		" ELSE coalesce(p.name, 'The secretariat') END AS author_name"
		" FROM application_messages m"
		" JOIN applications a ON a.id = m.application_id"
		" LEFT JOIN people p ON p.id = m.author_id"
		" WHERE m.application_id = ? ORDER BY m.id",
	/* binds: message, application */
	[M_DOCUMENT] =
		"SELECT attachment_path, attachment_name"
		" FROM application_messages WHERE id = ?"
		" AND application_id = ? AND attachment_path IS NOT NULL",
};

struct db_sql messages_sql = {"messages", messages_sql_text, M_MESSAGES__MAX,
			      0};

int
messages_question_add(struct db *db, int64_t application, int64_t author,
		      const char *question, int64_t t,
		      char token[AUTH_TOKEN_LEN + 1])
{
	struct db_stmt *st = db_stmt(db, &messages_sql, M_RETIRE);
	char hex[AUTH_HASH_LEN + 1];

	if (st == NULL)
		return -1;
	db_bind_int(st, 1, t);
	db_bind_int(st, 2, application);
	db_bind_int(st, 3, t);
	if (db_run(st) != 0 ||
	    (st = db_stmt(db, &messages_sql, M_QUESTION_INSERT)) == NULL)
		return -1;
	auth_token_new(token);
	auth_token_digest(token, hex);
	db_bind_int(st, 1, application);
	db_bind_text(st, 2, question);
	db_bind_int(st, 3, author);
	db_bind_int(st, 4, t);
	db_bind_text(st, 5, hex);
	db_bind_int(st, 6, t + (int64_t)MESSAGES_LINK_DAYS * 86400);
	return db_run(st);
}

json_t *
messages_conversation(struct db *db, int64_t application)
{
	struct db_stmt *st = db_stmt(db, &messages_sql, M_CONVERSATION);
	json_t *rows, *row;
	size_t i;

	if (st == NULL)
		return NULL;
	db_bind_int(st, 1, application);
	if ((rows = db_all_json(st)) == NULL)
		return NULL;
	render_add_times(rows, "created_at");
	json_array_foreach (rows, i, row) {
		int question =
			strcmp(membership_str(row, "kind"), "question") == 0;

		json_object_set_new(row, "is_question", json_boolean(question));
		json_object_set_new(
			row, "answered",
			json_boolean(membership_int(row, "answered")));
		if (json_is_string(json_object_get(row, "attachment_name")))
			json_object_set_new(
				row, "document_kib",
				json_integer((membership_int(
						      row, "attachment_size") +
					      1023) /
					     1024));
		if (!question)
			json_object_set_new(
				row, "body_html",
				render_markdown(membership_str(row, "body")));
	}
	return rows;
}

void
messages_document(struct req *r, struct resp *w)
{
	struct db_stmt *st = db_stmt(r->db, &messages_sql, M_DOCUMENT);
	int64_t id = 0, application = req_param_id(r);
	const char *s = req_param(r, "message"), *rel, *name;
	int rc;

	for (; s && *s >= '0' && *s <= '9' && id < INT64_MAX / 10; s++)
		id = id * 10 + (*s - '0');
	if (st == NULL)
		return membership_read_failed(w);
	db_bind_int(st, 1, s && *s == '\0' ? id : 0);
	db_bind_int(st, 2, application);
	rc = db_step(st);
	if (rc == DB_ERROR)
		return membership_read_failed(w);
	if (rc == DB_DONE)
		return resp_error(w, 404, _("This answer has no document."));
	rel = arena_strdup(r->arena, db_col_text(st, 0));
	name = db_col_text(st, 1) ? arena_strdup(r->arena, db_col_text(st, 1))
				  : NULL;
	db_reset(st);
	resp_stored_document(
		w, rel, name,
		arena_printf(r->arena, "answer %lld", (long long)id));
}
