/*
 * resources.c -- see parties.h: what a party points its readers to, each
 * with a title, a note and a visibility: an external link (http or
 * https), a file (a document kept in the upload store, as the contact
 * form keeps its documents, served back as a download to whom may see
 * it), or an item of the resource library (kind 'library' with the
 * reference typed; shown as "library item" until the library lands and
 * links it).
 *
 * The chairs (party.manage) add and delete resources while the party is
 * active.  A file is one of a few kinds of document (PDF, Word, ODT,
 * plain text: its name's ending and its first bytes must agree), at most
 * RESOURCE_MAX_UPLOAD bytes, and uploads count against a limit per
 * client and per party (public_limits.c).
 */
#include "parties_int.h"

#include <stdio.h>
#include <string.h>

#include "core/audit.h"
#include "core/auth.h"
#include "core/clock.h"
#include "core/db.h"
#include "core/doctype.h"
#include "core/i18n.h"
#include "core/pager.h"
#include "core/uploads.h"
#include "core/util.h"
#include "public_limits.h"

#define RESOURCE_MAX_UPLOAD (10u * 1024 * 1024)
/* Resources the party's page lists at most (the newest), and a page of
 * the full list. */
#define RESOURCES_SHOWN 20
#define RESOURCES_PAGE 50

enum stmt_resources {
	R_LIST,
	R_GET,
	R_INSERT,
	R_DELETE,
	R_RESOURCES__MAX,
};

#define R_COLS                                                                 \
	"SELECT id, kind, title, url, file_name, content_type, size,"          \
	" library_ref, note, visibility, stored_path FROM party_resources"

static const char *const resources_sql_text[R_RESOURCES__MAX] = {
	/* binds: the party, the viewer's level, the limit, the offset */
	[R_LIST] = R_COLS " WHERE party_id = ? AND " PARTY_VISIBLE("visibility")
			  " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
	/* binds: id, party, level */
	[R_GET] = R_COLS " WHERE id = ? AND party_id = ?"
			 " AND " PARTY_VISIBLE("visibility"),
	[R_INSERT] = "INSERT INTO party_resources (party_id, kind, title, url,"
		     " stored_path, file_name, content_type, size, library_ref,"
		     " note, visibility, created_by, created_at)"
		     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[R_DELETE] = "DELETE FROM party_resources WHERE id = ? AND party_id = ?",
};

static struct db_sql resources_sql = {"party_resources", resources_sql_text,
				      R_RESOURCES__MAX, 0};

static const char *const kind_values[] = {"link", "file", "library", NULL};
static const char *const kind_labels[] = {
	N_("External link"),
	N_("File"),
	N_("Library item"),
};

static const char *
kind_label(const char *kind)
{
	for (size_t i = 0; kind && kind_values[i]; i++)
		if (strcmp(kind, kind_values[i]) == 0)
			return _(kind_labels[i]);
	return kind ? kind : "";
}

/* A resource row made readable; the stored path never leaves. */
static void
dress(json_t *row, const struct party *p, const struct party_viewer *v)
{
	const char *kind = json_string_value(json_object_get(row, "kind"));
	long long id = (long long)json_integer_value(json_object_get(row, "id"));
	const char *url = json_string_value(json_object_get(row, "url"));
	/* a stored row is not trusted: only an http(s) address is a link */
	int link = kind && !strcmp(kind, "link") && url &&
		   (!strncmp(url, "https://", 8) || !strncmp(url, "http://", 7));

	json_object_del(row, "stored_path");
	json_object_set_new(row, "kind_label", json_string(kind_label(kind)));
	json_object_set_new(row, "is_link", json_boolean(link));
	json_object_set_new(row, "is_file", json_boolean(kind && !strcmp(kind, "file")));
	json_object_set_new(row, "is_library",
			    json_boolean(kind && !strcmp(kind, "library")));
	if (kind && !strcmp(kind, "file")) {
		json_object_set_new(row, "href",
				    json_sprintf("/working-parties/%s/resources/"
						 "%lld/file",
						 p->slug, id));
		json_object_set_new(row, "size_text",
				    doc_size_text(json_integer_value(
					    json_object_get(row, "size"))));
	}
	json_object_set_new(
		row, "visibility_label",
		json_string(party_visibility_label(json_string_value(
			json_object_get(row, "visibility")))));
	if (v->manages && !strcmp(p->state, "active"))
		json_object_set_new(row, "delete_action",
				    json_sprintf("/working-parties/%s/resources/"
						 "%lld/delete",
						 p->slug, id));
}

/* The resources of p the viewer may see, newest first: limit rows from
 * offset, made readable; NULL on a database error. */
static json_t *
list(struct req *r, const struct party *p, const struct party_viewer *v,
     int64_t limit, int64_t offset)
{
	struct db_stmt *st = db_stmt(r->db, &resources_sql, R_LIST);
	json_t *rows, *row;
	size_t i;

	if (st == NULL)
		return NULL;
	db_bind_int(st, 1, p->id);
	db_bind_int(st, 2, v->level);
	db_bind_int(st, 3, limit);
	db_bind_int(st, 4, offset);
	if ((rows = db_all_json(st)) == NULL)
		return NULL;
	json_array_foreach(rows, i, row) dress(row, p, v);
	return rows;
}

int
party_resources_section(struct req *r, const struct party *p,
			const struct party_viewer *v, json_t *model)
{
	json_t *rows = list(r, p, v, RESOURCES_SHOWN + 1, 0);

	if (rows == NULL)
		return -1;
	json_object_set_new(
		model, "resources",
		json_pack("{s:b,s:o,s:s++,s:s++}", "more",
			  pager_trim(rows, RESOURCES_SHOWN), "items", rows,
			  "new_href", "/working-parties/", p->slug,
			  "/resources/new", "all_href", "/working-parties/",
			  p->slug, "/resources"));
	return 0;
}

/* GET /working-parties/:slug/resources: all the resources the viewer
 * may see, newest first, a page at a time. */
static void
resources_all(struct req *r, struct resp *w)
{
	struct party p;
	struct party_viewer v;
	struct pager pg;
	json_t *rows;
	int more;

	if (party_from_route(r, w, &p, &v) != 0)
		return;
	if (r->person)
		w->flags |= ROUTE_PERSONAL;
	pager_read(r, RESOURCES_PAGE, &pg);
	if ((rows = list(r, &p, &v, RESOURCES_PAGE + 1, pager_offset(&pg))) ==
	    NULL)
		return resp_fail(r, w, NULL);
	more = pager_trim(rows, RESOURCES_PAGE);
	resp_page(w, 200, "parties/templates/resources_all.html",
		  i18n_text(r->arena, _("Resources: {party}"), "party", p.name,
			    NULL),
		  json_pack("{s:o,s:o,s:o}", "party", party_json(&p, &v),
			    "items", rows, "pager",
			    pager_model(r, &pg,
					arena_printf(r->arena,
						     "/working-parties/%s/"
						     "resources",
						     p.slug),
					NULL, more, -1)));
}

/* ---- the chairs' form ---- */

static void
form_page(struct req *r, struct resp *w, const struct party *p,
	  const struct party_viewer *v, int status)
{
	json_t *values = r->input ? json_deep_copy(r->input)
				  : json_pack("{s:s,s:s}", "kind", "link",
					      "visibility", "public");
	const char *vis = json_string_value(json_object_get(values,
							     "visibility"));
	const char *kind = json_string_value(json_object_get(values, "kind"));
	json_t *vis_opts = json_array(), *kinds = json_array(), *model;

	for (size_t i = 0; party_visibility_values[i]; i++)
		json_array_append_new(
			vis_opts,
			json_pack("{s:s,s:s,s:b}", "value",
				  party_visibility_values[i], "label",
				  _(party_visibility_labels[i]), "selected",
				  vis && !strcmp(vis, party_visibility_values[i])));
	for (size_t i = 0; kind_values[i]; i++)
		json_array_append_new(
			kinds, json_pack("{s:s,s:s,s:b}", "value",
					 kind_values[i], "label",
					 _(kind_labels[i]), "checked",
					 kind && !strcmp(kind, kind_values[i])));
	model = json_pack("{s:o,s:o,s:o,s:o,s:s++,s:I}", "party",
			  party_json(p, v), "resource", values, "visibilities",
			  vis_opts, "kinds", kinds, "action",
			  "/working-parties/", p->slug, "/resources",
			  "max_upload_mb",
			  (json_int_t)(RESOURCE_MAX_UPLOAD / (1024 * 1024)));
	json_object_set_new(model, "errors",
			    r->errors ? json_incref(r->errors) : json_object());
	resp_form_errors(model, r->errors);
	resp_page(w, status, "parties/templates/resource_form.html",
		  _("Add a resource"), model);
}

/* GET /working-parties/:slug/resources/new */
static void
resource_new(struct req *r, struct resp *w)
{
	struct party p;
	struct party_viewer v;

	if (party_from_route(r, w, &p, &v) != 0 ||
	    party_open_or_respond(w, &p) != 0)
		return;
	form_page(r, w, &p, &v, 200);
}

/* The limits on files: per client and per party (the "address"), and
 * their size per client and day; 0, 1 answered (429), -1 failed. */
static int
limited_or_respond(struct req *r, struct resp *w, const struct party *p,
		   const struct party_viewer *v, const struct upload *up)
{
	const char *msg = NULL;
	int wait = limits_check_file(r, w, &limits_party_files, p->slug,
				     up->size, LIMITS_PARTY_KIB_PER_DAY, &msg);

	if (wait <= 0)
		return wait;
	db_rollback(r->db);
	if (r->want_json) {
		resp_error(w, 429, msg);
	} else {
		req_error(r, "file", msg);
		form_page(r, w, p, v, 429);
	}
	return 1;
}

/*
 * POST /working-parties/:slug/resources: adds a link (url), a file
 * (file) or a library item (library_ref); the form again (422) when what
 * the kind needs is missing or a file is not one we keep.  A file counts
 * against the limits first (their own transaction: the attempt counts),
 * is kept in the store, then named in the row.
 */
static void
resource_add(struct req *r, struct resp *w)
{
	const char *kind = req_value(r, "kind")->str;
	const struct value *url = req_value(r, "url");
	const struct value *ref = req_value(r, "library_ref");
	struct upload *up = req_upload(r, "file");
	const struct doc_type *dk = NULL;
	const char *stored = NULL;
	struct party p;
	struct party_viewer v;
	struct db_stmt *st;
	int64_t id;
	int rc;

	if (party_from_route(r, w, &p, &v) != 0 ||
	    party_open_or_respond(w, &p) != 0)
		return;
	dk = doc_source_check(r);
	if (r->errors)
		return form_page(r, w, &p, &v, 422);
	if (dk) {
		if (db_begin(r->db) != 0)
			goto fail;
		if ((rc = limited_or_respond(r, w, &p, &v, up)) > 0)
			return;
		if (rc < 0 || db_commit(r->db) != 0)
			goto fail;
		if ((stored = http_upload_keep(r, up)) == NULL)
			goto fail;
	}
	if (db_begin(r->db) != 0 ||
	    (st = db_stmt(r->db, &resources_sql, R_INSERT)) == NULL)
		goto fail;
	db_bind_int(st, 1, p.id);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, req_value(r, "title")->str);
	db_bind_text(st, 4, !strcmp(kind, "link") ? url->str : NULL);
	db_bind_text(st, 5, stored);
	db_bind_text(st, 6, dk ? up->filename : NULL);
	db_bind_text(st, 7, dk ? dk->type : NULL);
	if (dk)
		db_bind_int(st, 8, (int64_t)up->size);
	db_bind_text(st, 9, !strcmp(kind, "library") ? ref->str : NULL);
	db_bind_text(st, 10,
		     req_value(r, "note")->present ? req_value(r, "note")->str
						   : "");
	db_bind_text(st, 11, req_value(r, "visibility")->str);
	db_bind_int(st, 12, r->person->id);
	db_bind_int(st, 13, clock_now());
	if (db_run(st) != 0)
		goto fail;
	id = db_last_id(r->db);
	if (audit_record_new(
		    r->db, r->person->id, "party.resource.add", "party",
		    arena_printf(r->arena, "%s:resource:%lld", p.slug,
				 (long long)id),
		    NULL,
		    json_pack("{s:s,s:s,s:s?,s:s?,s:s?,s:s?,s:s}", "kind",
			      kind, "title", req_value(r, "title")->str,
			      "url", !strcmp(kind, "link") ? url->str : NULL,
			      "file", dk ? up->filename : NULL, "sha256",
			      dk ? up->sha256 : NULL, "library_ref",
			      !strcmp(kind, "library") ? ref->str : NULL,
			      "visibility", req_value(r, "visibility")->str),
		    r->client) != 0 ||
	    db_commit(r->db) != 0)
		goto fail;
	resp_redirect(w, arena_printf(r->arena,
				      "/working-parties/%s#resources-h",
				      p.slug));
	return;
fail:
	/* a stored file stays: content-addressed, it may be shared */
	resp_fail(r, w, NULL);
}

/* The resource :id of p as the viewer may see it, in *row (new
 * reference); 0, 1 with a 404, -1 with a 500. */
static int
resource_or_respond(struct req *r, struct resp *w, const struct party *p,
		    const struct party_viewer *v, json_t **row)
{
	struct db_stmt *st = db_stmt(r->db, &resources_sql, R_GET);

	if (st) {
		db_bind_int(st, 1, req_param_id(r));
		db_bind_int(st, 2, p->id);
		db_bind_int(st, 3, v->level);
	}
	return party_row_or_respond(r, w, st, _("There is no such resource."),
				    row);
}

/* GET /working-parties/:slug/resources/:id/file: the document, as a
 * download, to whom may see the resource (404 to anyone else). */
static void
resource_file(struct req *r, struct resp *w)
{
	struct party p;
	struct party_viewer v;
	json_t *row;
	const char *rel, *name;

	if (party_from_route(r, w, &p, &v) != 0 ||
	    resource_or_respond(r, w, &p, &v, &row) != 0)
		return;
	rel = json_string_value(json_object_get(row, "stored_path"));
	name = json_string_value(json_object_get(row, "file_name"));
	if (rel == NULL) {
		json_decref(row);
		return resp_error(w, 404, _("This resource has no file."));
	}
	rel = arena_strdup(r->arena, rel);
	name = name ? arena_strdup(r->arena, name) : NULL;
	json_decref(row);
	/* what is not public is nobody's to keep in a cache */
	w->flags |= ROUTE_PERSONAL;
	resp_stored_document(w, rel, name,
			     arena_printf(r->arena, "party resource %lld",
					  (long long)req_param_id(r)));
}

/* POST /working-parties/:slug/resources/:id/delete (the file stays in
 * the content-addressed store: another row may name it). */
static void
resource_delete(struct req *r, struct resp *w)
{
	struct party p;
	struct party_viewer v;
	struct db_stmt *st;
	json_t *before;

	if (party_from_route(r, w, &p, &v) != 0 ||
	    party_open_or_respond(w, &p) != 0 ||
	    resource_or_respond(r, w, &p, &v, &before) != 0)
		return;
	json_object_del(before, "stored_path");
	if (db_begin(r->db) != 0 ||
	    (st = db_stmt(r->db, &resources_sql, R_DELETE)) == NULL) {
		json_decref(before);
		return resp_fail(r, w, NULL);
	}
	db_bind_int(st, 1, req_param_id(r));
	db_bind_int(st, 2, p.id);
	if (db_run(st) != 0 ||
	    audit_record_new(r->db, r->person->id, "party.resource.delete",
			     "party",
			     arena_printf(r->arena, "%s:resource:%lld", p.slug,
					  (long long)req_param_id(r)),
			     before, NULL, r->client) != 0 ||
	    db_commit(r->db) != 0)
		return resp_fail(r, w, NULL);
	resp_redirect(w, arena_printf(r->arena,
				      "/working-parties/%s#resources-h",
				      p.slug));
}

static const struct field resource_fields[] = {
	{.name = "kind",
	 .type = FT_CHOICE,
	 .flags = FIELD_REQUIRED,
	 .choices = kind_values,
	 .label = N_("Kind")},
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
	{.name = "note", .type = FT_TEXTAREA, .maxlen = 2000, .label = N_("Note")},
	{.name = "visibility",
	 .type = FT_CHOICE,
	 .flags = FIELD_REQUIRED,
	 .choices = party_visibility_values,
	 .label = N_("Who may see it")},
	{0},
};

#define MANAGE                                                                 \
	.action = "party.manage", .object_type = PARTY_OBJECT,                 \
	.object_param = "slug"

static const struct field page_fields[] = {
	{.name = "page", .type = FT_INT, .min = 1, .max = 100000,
	 .label = N_("Page")},
	{0},
};

static const struct route resources_routes[] = {
	{.method = HTTP_GET,
	 .pattern = "/working-parties/:slug/resources",
	 .who = ACCESS_PUBLIC,
	 .fields = page_fields,
	 .handler = resources_all,
	 .summary = "A party's resources, as the viewer may see them, a page "
		    "at a time"},
	{.method = HTTP_GET,
	 .pattern = "/working-parties/:slug/resources/new",
	 .who = ACCESS_MEMBER,
	 .handler = resource_new,
	 .flags = ROUTE_FORM,
	 .summary = "The form to add a link, a file or a library item to a "
		    "party's resources",
	 MANAGE},
	{.method = HTTP_POST,
	 .pattern = "/working-parties/:slug/resources",
	 .who = ACCESS_MEMBER,
	 .fields = resource_fields,
	 .handler = resource_add,
	 .flags = ROUTE_OWN_ERRORS | ROUTE_PERSONAL,
	 .max_body = RESOURCE_MAX_UPLOAD + 64 * 1024,
	 .summary = "Adds a link, a file or a library item to a party's "
		    "resources",
	 MANAGE},
	{.method = HTTP_GET,
	 .pattern = "/working-parties/:slug/resources/:id/file",
	 .who = ACCESS_PUBLIC,
	 .handler = resource_file,
	 .summary = "A party's file, as a download, to whom may see it"},
	{.method = HTTP_POST,
	 .pattern = "/working-parties/:slug/resources/:id/delete",
	 .who = ACCESS_MEMBER,
	 .handler = resource_delete,
	 .flags = ROUTE_PERSONAL,
	 .summary = "Deletes a resource of a party",
	 MANAGE},
};

/* the column that names its stored files (core/uploads.h) */
static const struct upload_column party_resources_uploads[] = {
	{"party_resources", "stored_path"},
	{NULL, NULL},
};

const struct module party_resources_module = {
	.name = "party-resources",
	.routes = resources_routes,
	.nroutes = ARRAY_LEN(resources_routes),
	.sql = &resources_sql,
	.uploads = party_resources_uploads,
};
