/*
 * documents.c -- see calendar.h: a meeting's documents, as Indico's
 * "materials": each with a title and what it is (the agenda, a report, a
 * statement, a presentation, background reading, other), and either a
 * file kept in the upload store (PDF, Word, OpenDocument text or plain
 * text: core/doctype.h), an external link (http or https), or an item of
 * the resource library (its reference typed, shown as "Library item"
 * until the library lands and links it, as a working party's resources
 * do).
 *
 * Who keeps them: the meeting's organisers (cal_is_organiser: the
 * secretariat; a working party's chair, co-chair and rapporteur for its
 * meetings; the person who entered any other), on
 * /calendar/:slug/documents, whatever the state of the meeting (papers
 * come after a meeting too).  Who reads them: whoever may see the
 * meeting (cal_meeting_visible), on the meeting's page and its JSON; a
 * file is served as a download (resp_stored_document: attachment, its
 * stored type, nosniff).  Files count against a limit per client and per
 * meeting, and their size per client and day (public_limits.c).  Every
 * write is one transaction with its audit record.  A deleted file stays
 * in the content-addressed store (another row may name the same bytes)
 * but no route reaches it any more.
 */
#include "calendar_int.h"

#include <string.h>

#include "core/audit.h"
#include "core/clock.h"
#include "core/db.h"
#include "core/doctype.h"
#include "core/i18n.h"
#include "core/render.h"
#include "core/uploads.h"
#include "core/util.h"
#include "public_limits.h"

#define DOC_MAX_UPLOAD (10u * 1024 * 1024)

enum stmt_docs {
	D_LIST,
	D_GET,
	D_INSERT,
	D_DELETE,
	D_DOCS__MAX,
};

#define D_COLS                                                                 \
	"SELECT id, kind, category, title, url, file_name, content_type,"     \
	" size, library_ref, stored_path FROM meeting_documents"

static const char *const docs_sql_text[D_DOCS__MAX] = {
	/* the agenda first, then in the order they were added */
	[D_LIST] = D_COLS " WHERE meeting_id = ?"
			  " ORDER BY CASE category WHEN 'agenda' THEN 0"
			  " ELSE 1 END, id",
	/* binds: id, meeting */
	[D_GET] = D_COLS " WHERE id = ? AND meeting_id = ?",
	[D_INSERT] = "INSERT INTO meeting_documents (meeting_id, kind,"
		     " category, title, url, stored_path, file_name,"
		     " content_type, size, library_ref, created_by, created_at)"
		     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[D_DELETE] = "DELETE FROM meeting_documents WHERE id = ?"
		     " AND meeting_id = ?",
};

static struct db_sql docs_sql = {"calendar-documents", docs_sql_text,
				 D_DOCS__MAX, 0};

static const char *const kind_values[] = {"file", "link", "library", NULL};
static const char *const kind_labels[] = {
	N_("File"),
	N_("External link"),
	N_("Library item"),
};
static const char *const category_values[] = {
	"agenda", "report", "statement", "presentation", "background", "other",
	NULL};
static const char *const category_labels[] = {
	N_("Agenda"),	    N_("Report"),     N_("Statement"),
	N_("Presentation"), N_("Background"), N_("Other"),
};

/* A row made readable for the meeting of slug (with its delete action
 * for the organisers' page); the stored path never leaves. */
static void
dress(json_t *row, const char *slug, int organiser)
{
	const char *kind = json_string_value(json_object_get(row, "kind"));
	long long id = (long long)json_integer_value(json_object_get(row, "id"));
	const char *url = json_string_value(json_object_get(row, "url"));
	/* a stored row is not trusted: only an http(s) address is a link */
	int link = kind && !strcmp(kind, "link") && url &&
		   (!strncmp(url, "https://", 8) || !strncmp(url, "http://", 7));
	int file = kind && !strcmp(kind, "file");

	json_object_del(row, "stored_path");
	json_object_set_new(row, "kind_label",
			    json_string(cal_label(kind_values, kind_labels,
						  kind)));
	json_object_set_new(
		row, "category_label",
		json_string(cal_label(category_values, category_labels,
				      json_string_value(json_object_get(
					      row, "category")))));
	json_object_set_new(row, "is_link", json_boolean(link));
	json_object_set_new(row, "is_file", json_boolean(file));
	json_object_set_new(row, "is_library",
			    json_boolean(kind && !strcmp(kind, "library")));
	if (file) {
		json_object_set_new(
			row, "href",
			json_sprintf("/calendar/%s/documents/%lld/file", slug,
				     id));
		json_object_set_new(row, "size_text",
				    doc_size_text(json_integer_value(
					    json_object_get(row, "size"))));
	} else if (link) {
		json_object_set_new(row, "href", json_string(url));
	}
	if (organiser)
		json_object_set_new(
			row, "delete_action",
			json_sprintf("/calendar/%s/documents/%lld/delete", slug,
				     id));
}

/* The documents of meeting id (slug), made readable; NULL on a database
 * error. */
static json_t *
list(struct req *r, int64_t id, const char *slug, int organiser)
{
	struct db_stmt *st = db_stmt(r->db, &docs_sql, D_LIST);
	json_t *rows, *row;
	size_t i;

	if (st == NULL)
		return NULL;
	db_bind_int(st, 1, id);
	if ((rows = db_all_json(st)) == NULL)
		return NULL;
	json_array_foreach(rows, i, row) dress(row, slug, organiser);
	return rows;
}

int
cal_documents_section(struct req *r, const struct cal_viewer *v, json_t *m)
{
	int64_t id = json_integer_value(json_object_get(m, "id"));
	const char *slug = json_string_value(json_object_get(m, "slug"));
	int organiser = cal_is_organiser(r, v, id);
	json_t *rows;

	if (organiser < 0 || slug == NULL ||
	    (rows = list(r, id, slug, 0)) == NULL)
		return -1;
	json_object_set_new(m, "documents", rows);
	if (organiser)
		json_object_set_new(m, "documents_href",
				    json_sprintf("/calendar/%s/documents",
						 slug));
	return 0;
}

/* ---- the organisers' page ---- */

/* What a request about one meeting's documents knows. */
struct dctx {
	struct cal_viewer v;
	json_t *m; /* the meeting (owned) */
	int64_t id;
	const char *slug;
	const char *title;
};

static void
dctx_free(struct dctx *c)
{
	json_decref(c->m);
	c->m = NULL;
}

/* Reads the meeting of the route's slug as the viewer may see it, and,
 * when organiser is set, refuses whoever does not organise it: 0, or 1
 * with the answer given (403, 404, 500). */
static int
dctx_open(struct req *r, struct resp *w, struct dctx *c, int organiser)
{
	int rc, team, org = 0;

	memset(c, 0, sizeof *c);
	if (cal_viewer_read(r, &c->v) < 0 ||
	    (rc = cal_meeting_load(r, req_param(r, "slug"), &c->m)) < 0) {
		resp_fail(r, w, _("The calendar could not be read."));
		return 1;
	}
	if (rc == 1) {
		resp_error(w, 404, _("There is no such meeting."));
		return 1;
	}
	c->id = json_integer_value(json_object_get(c->m, "id"));
	if ((rc = cal_meeting_visible(r, &c->v, c->m, &team)) < 0 ||
	    (organiser && rc > 0 &&
	     (org = cal_is_organiser(r, &c->v, c->id)) < 0)) {
		dctx_free(c);
		resp_fail(r, w, _("The calendar could not be read."));
		return 1;
	}
	if (rc == 0) {
		dctx_free(c);
		resp_error(w, 404, _("There is no such meeting."));
		return 1;
	}
	if (organiser && !org) {
		dctx_free(c);
		resp_error(w, 403,
			   _("Only the meeting's organisers keep its "
			     "documents."));
		return 1;
	}
	c->slug = arena_strdup(r->arena, json_string_value(
						 json_object_get(c->m, "slug")));
	c->title = arena_strdup(r->arena, json_string_value(json_object_get(
						  c->m, "title")));
	return 0;
}

/* The page: the documents with their delete buttons, and the form to add
 * one (the values sent and their errors again after a refusal). */
static void
page(struct req *r, struct resp *w, struct dctx *c, int status)
{
	json_t *values = r->input ? json_deep_copy(r->input)
				  : json_pack("{s:s,s:s}", "kind", "file",
					      "category", "agenda");
	const char *kind = json_string_value(json_object_get(values, "kind"));
	const char *cat = json_string_value(json_object_get(values,
							    "category"));
	json_t *rows = list(r, c->id, c->slug, 1), *kinds = json_array(),
	       *cats = json_array(), *model;

	if (rows == NULL) {
		json_decref(values);
		json_decref(kinds);
		json_decref(cats);
		dctx_free(c);
		return resp_fail(r, w, NULL);
	}
	for (size_t i = 0; kind_values[i]; i++)
		json_array_append_new(
			kinds, json_pack("{s:s,s:s,s:b}", "value",
					 kind_values[i], "label",
					 _(kind_labels[i]), "checked",
					 kind && !strcmp(kind, kind_values[i])));
	for (size_t i = 0; category_values[i]; i++)
		json_array_append_new(
			cats, json_pack("{s:s,s:s,s:b}", "value",
					category_values[i], "label",
					_(category_labels[i]), "selected",
					cat && !strcmp(cat, category_values[i])));
	model = json_pack(
		"{s:{s:s,s:s,s:s+},s:o,s:o,s:o,s:o,s:s++,s:I}", "meeting",
		"slug", c->slug, "title", c->title, "href", "/calendar/",
		c->slug, "documents", rows, "document", values, "kinds", kinds,
		"categories", cats, "action", "/calendar/", c->slug,
		"/documents", "max_upload_mb",
		(json_int_t)(DOC_MAX_UPLOAD / (1024 * 1024)));
	json_object_set_new(model, "errors",
			    r->errors ? json_incref(r->errors) : json_object());
	resp_form_errors(model, r->errors);
	dctx_free(c);
	resp_page(w, status, "calendar/templates/documents.html",
		  i18n_text(r->arena, _("Documents: {title}"), "title",
			    c->title, NULL),
		  model);
}

/* GET /calendar/:slug/documents */
static void
documents_page(struct req *r, struct resp *w)
{
	struct dctx c;

	if (dctx_open(r, w, &c, 1) != 0)
		return;
	page(r, w, &c, 200);
}

/* The limits on files (public_limits.c); 0, 1 answered (429), -1. */
static int
limited_or_respond(struct req *r, struct resp *w, struct dctx *c,
		   const struct upload *up)
{
	const char *msg = NULL;
	int wait = limits_check_file(r, w, &limits_meeting_files, c->slug,
				     up->size, LIMITS_MEETING_KIB_PER_DAY,
				     &msg);

	if (wait <= 0)
		return wait;
	db_rollback(r->db);
	if (r->want_json) {
		dctx_free(c);
		resp_error(w, 429, msg);
	} else {
		req_error(r, "file", msg);
		page(r, w, c, 429);
	}
	return 1;
}

/*
 * POST /calendar/:slug/documents: a file (file), a link (url) or a
 * library item (library_ref), with its title and category; the page
 * again (422) when what the kind needs is missing or the file is not a
 * document we keep.  A file counts against the limits first (their own
 * transaction: the attempt counts), is kept in the store, then named in
 * the row.
 */
static void
documents_add(struct req *r, struct resp *w)
{
	const char *kind = req_value(r, "kind")->str;
	const struct value *url = req_value(r, "url");
	const struct value *ref = req_value(r, "library_ref");
	struct upload *up = req_upload(r, "file");
	const struct doc_type *dt = NULL;
	const char *stored = NULL;
	struct db_stmt *st;
	struct dctx c;
	int64_t id;
	int rc;

	if (dctx_open(r, w, &c, 1) != 0)
		return;
	dt = doc_source_check(r);
	if (r->errors)
		return page(r, w, &c, 422);
	if (dt) {
		if (db_begin(r->db) != 0)
			goto fail;
		if ((rc = limited_or_respond(r, w, &c, up)) > 0)
			return;
		if (rc < 0 || db_commit(r->db) != 0)
			goto fail;
		if ((stored = http_upload_keep(r, up)) == NULL)
			goto fail;
	}
	if (db_begin(r->db) != 0 ||
	    (st = db_stmt(r->db, &docs_sql, D_INSERT)) == NULL)
		goto fail;
	db_bind_int(st, 1, c.id);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, req_value(r, "category")->str);
	db_bind_text(st, 4, req_value(r, "title")->str);
	db_bind_text(st, 5, !strcmp(kind, "link") ? url->str : NULL);
	db_bind_text(st, 6, stored);
	db_bind_text(st, 7, dt ? up->filename : NULL);
	db_bind_text(st, 8, dt ? dt->type : NULL);
	if (dt)
		db_bind_int(st, 9, (int64_t)up->size);
	db_bind_text(st, 10, !strcmp(kind, "library") ? ref->str : NULL);
	db_bind_int(st, 11, c.v.person);
	db_bind_int(st, 12, clock_now());
	if (db_run(st) != 0)
		goto rollback;
	id = db_last_id(r->db);
	if (audit_record_new(
		    r->db, c.v.person, "meeting.document.add", "meeting",
		    arena_printf(r->arena, "%s:document:%lld", c.slug,
				 (long long)id),
		    NULL,
		    json_pack("{s:s,s:s,s:s,s:s?,s:s?,s:s?,s:s?}", "kind", kind,
			      "category", req_value(r, "category")->str,
			      "title", req_value(r, "title")->str, "url",
			      !strcmp(kind, "link") ? url->str : NULL, "file",
			      dt ? up->filename : NULL, "sha256",
			      dt ? up->sha256 : NULL, "library_ref",
			      !strcmp(kind, "library") ? ref->str : NULL),
		    r->client) != 0 ||
	    db_commit(r->db) != 0)
		goto rollback;
	dctx_free(&c);
	resp_redirect(w, arena_printf(r->arena, "/calendar/%s/documents",
				      c.slug));
	return;
rollback:
	db_rollback(r->db);
fail:
	/* a stored file stays: content-addressed, it may be shared */
	dctx_free(&c);
	resp_fail(r, w, NULL);
}

/* The document :id of the meeting in *row (new reference); 0, 1 with a
 * 404, -1 with a 500. */
static int
document_or_respond(struct req *r, struct resp *w, struct dctx *c,
		    json_t **row)
{
	struct db_stmt *st = db_stmt(r->db, &docs_sql, D_GET);

	if (st == NULL || (db_bind_int(st, 1, req_param_id(r)),
			   db_bind_int(st, 2, c->id),
			   (*row = db_one_json(st)) == NULL)) {
		*row = NULL;
		dctx_free(c);
		resp_fail(r, w, NULL);
		return -1;
	}
	if (!json_is_object(*row)) {
		json_decref(*row);
		*row = NULL;
		dctx_free(c);
		resp_error(w, 404, _("This meeting has no such document."));
		return 1;
	}
	return 0;
}

/* GET /calendar/:slug/documents/:id/file: the document, as a download,
 * to whom may see the meeting (404 to anyone else). */
static void
documents_file(struct req *r, struct resp *w)
{
	struct dctx c;
	json_t *row;
	const char *rel, *name;
	const char *vis;

	if (dctx_open(r, w, &c, 0) != 0 ||
	    document_or_respond(r, w, &c, &row) != 0)
		return;
	rel = json_string_value(json_object_get(row, "stored_path"));
	name = json_string_value(json_object_get(row, "file_name"));
	rel = rel ? arena_strdup(r->arena, rel) : NULL;
	name = name ? arena_strdup(r->arena, name) : NULL;
	vis = json_string_value(json_object_get(c.m, "visibility"));
	/* what is not public is nobody's to keep in a cache */
	if (vis == NULL || strcmp(vis, "public") != 0)
		w->flags |= ROUTE_PERSONAL;
	json_decref(row);
	dctx_free(&c);
	if (rel == NULL)
		return resp_error(w, 404, _("This document is not a file."));
	resp_stored_document(w, rel, name,
			     arena_printf(r->arena, "meeting document %lld",
					  (long long)req_param_id(r)));
}

/* POST /calendar/:slug/documents/:id/delete */
static void
documents_delete(struct req *r, struct resp *w)
{
	struct dctx c;
	struct db_stmt *st;
	json_t *before;

	if (dctx_open(r, w, &c, 1) != 0 ||
	    document_or_respond(r, w, &c, &before) != 0)
		return;
	json_object_del(before, "stored_path");
	if (db_begin(r->db) != 0 ||
	    (st = db_stmt(r->db, &docs_sql, D_DELETE)) == NULL) {
		json_decref(before);
		goto fail;
	}
	db_bind_int(st, 1, req_param_id(r));
	db_bind_int(st, 2, c.id);
	if (db_run(st) != 0 ||
	    audit_record_new(r->db, c.v.person, "meeting.document.delete",
			     "meeting",
			     arena_printf(r->arena, "%s:document:%lld", c.slug,
					  (long long)req_param_id(r)),
			     before, NULL, r->client) != 0 ||
	    db_commit(r->db) != 0) {
		db_rollback(r->db);
		goto fail;
	}
	dctx_free(&c);
	resp_redirect(w, arena_printf(r->arena, "/calendar/%s/documents",
				      c.slug));
	return;
fail:
	dctx_free(&c);
	resp_fail(r, w, NULL);
}

static const struct field doc_fields[] = {
	{.name = "kind",
	 .type = FT_CHOICE,
	 .flags = FIELD_REQUIRED,
	 .choices = kind_values,
	 .label = N_("Kind")},
	{.name = "category",
	 .type = FT_CHOICE,
	 .flags = FIELD_REQUIRED,
	 .choices = category_values,
	 .label = N_("What it is")},
	{.name = "title",
	 .type = FT_TEXT,
	 .flags = FIELD_REQUIRED,
	 .maxlen = 200,
	 .label = N_("Title")},
	{.name = "url", .type = FT_URL, .label = N_("Address of the link")},
	{.name = "file", .type = FT_FILE, .label = N_("File")},
	{.name = "library_ref",
	 .type = FT_TEXT,
	 .maxlen = 300,
	 .label = N_("Library reference")},
	{0},
};

static const struct route docs_routes[] = {
	{.method = HTTP_GET,
	 .pattern = "/calendar/:slug/documents",
	 .who = ACCESS_MEMBER,
	 .handler = documents_page,
	 .flags = ROUTE_FORM | ROUTE_PERSONAL,
	 .summary = "A meeting's documents and the form to add one (the "
		    "secretariat, the party's chair, co-chair and rapporteur, "
		    "or the meeting's organiser)"},
	{.method = HTTP_POST,
	 .pattern = "/calendar/:slug/documents",
	 .who = ACCESS_MEMBER,
	 .fields = doc_fields,
	 .handler = documents_add,
	 .flags = ROUTE_OWN_ERRORS | ROUTE_PERSONAL,
	 .max_body = DOC_MAX_UPLOAD + 64 * 1024,
	 .summary = "Adds a file, a link or a library item to a meeting's "
		    "documents (its organisers)"},
	{.method = HTTP_GET,
	 .pattern = "/calendar/:slug/documents/:id/file",
	 .who = ACCESS_PUBLIC,
	 .handler = documents_file,
	 .summary = "A meeting's file, as a download, to whom may see the "
		    "meeting"},
	{.method = HTTP_POST,
	 .pattern = "/calendar/:slug/documents/:id/delete",
	 .who = ACCESS_MEMBER,
	 .handler = documents_delete,
	 .flags = ROUTE_PERSONAL,
	 .summary = "Removes a document from a meeting (its organisers)"},
};

/* the column that names its stored files (core/uploads.h) */
static const struct upload_column calendar_documents_uploads[] = {
	{"meeting_documents", "stored_path"},
	{NULL, NULL},
};

const struct module calendar_documents_module = {
	.name = "calendar-documents",
	.routes = docs_routes,
	.nroutes = ARRAY_LEN(docs_routes),
	.sql = &docs_sql,
	.uploads = calendar_documents_uploads,
};
