/*
 * import_pages.c -- see import.h: the secretariat's pages, /admin/import
 * (a form: the kind, a file of at most IMPORT_MAX_FILE -- streamed to a
 * temporary file by the core -- and "dry run"; the result lists every bad
 * row by line) and /admin/export/KIND.csv.  Both call import.c.
 */
#include "import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/auth.h"
#include "core/clock.h"
#include "core/i18n.h"
#include "core/util.h"
#include "membership/membership.h"

#define IMPORT_MAX_FILE (10u * 1024 * 1024)
#define IMPORT_MAX_BODY (IMPORT_MAX_FILE + 64 * 1024)

static const char *const kind_choices[] = {"organisations", "people",
					   "memberships", NULL};
/* The kinds as people read them (the values are the CLI's and the export
 * files' names, which stay English). */
static const char *const kind_labels[] = {N_("organisations"), N_("people"),
					  N_("memberships")};

static const struct field import_fields[] = {
	{.name = "kind", .type = FT_CHOICE, .flags = FIELD_REQUIRED,
	 .choices = kind_choices, .label = N_("What the file holds")},
	{.name = "file", .type = FT_FILE, .flags = FIELD_REQUIRED,
	 .label = N_("CSV file")},
	{.name = "dry_run", .type = FT_BOOL, .label = N_("Dry run")},
	{0},
};

/* The form's model; kind chosen as typed.  The column names stay English:
 * they are the file format. */
static json_t *
form_model(struct req *r)
{
	const char *chosen = req_value(r, "kind")->present
				     ? req_value(r, "kind")->str
				     : "organisations";
	json_t *kinds = json_array(), *cols = json_array();

	for (int k = 0; k < CSV__KINDS; k++) {
		const struct field *f = csv_columns(k);
		struct buf b = BUF_INIT;

		for (size_t i = 0; f[i].name; i++) {
			if (i)
				buf_puts(&b, ", ");
			buf_puts(&b, f[i].name);
			if (f[i].flags & FIELD_REQUIRED)
				buf_putc(&b, '*');
		}
		json_array_append_new(
			kinds,
			json_pack("{s:s,s:s,s:b}", "value", kind_choices[k],
				  "label", _(kind_labels[k]), "selected",
				  strcmp(chosen, kind_choices[k]) == 0));
		json_array_append_new(cols, json_pack("{s:s,s:s}", "kind",
						      _(kind_labels[k]),
						      "columns", buf_cstr(&b)));
		buf_free(&b);
	}
	return json_pack("{s:o,s:o,s:b,s:I}", "kinds", kinds, "columns", cols,
			 "dry_run", req_value(r, "dry_run")->num != 0,
			 "max_upload_mb",
			 (json_int_t)(IMPORT_MAX_FILE / (1024 * 1024)));
}

static void
import_form(struct req *r, struct resp *w)
{
	membership_admin_page(r, w, 200, "organisations/templates/import.html",
			      _("Import from CSV"), "/admin/import",
			      form_model(r));
}

/* The upload's bytes (malloc'd), or NULL with *why set. */
static char *
read_upload(const struct upload *u, size_t *len, const char **why)
{
	FILE *f = fopen(u->tmp_path, "rb");
	char *data;

	*why = _("The file could not be read; please send it again.");
	if (f == NULL)
		return NULL;
	if (u->size > IMPORT_MAX_FILE) {
		fclose(f);
		*why = _("The file is larger than 10 MB; split it in parts.");
		return NULL;
	}
	data = xmalloc((size_t)u->size + 1);
	*len = fread(data, 1, (size_t)u->size, f);
	fclose(f);
	if (*len != u->size) {
		free(data);
		return NULL;
	}
	data[*len] = '\0';
	return data;
}

static void
import_send(struct req *r, struct resp *w)
{
	struct import_job im = {0};
	struct upload *up = req_upload(r, "file");
	const char *why;
	json_t *m;
	char *data;
	size_t len = 0;
	int rc;

	if (r->errors || up == NULL) {
		m = form_model(r);
		json_object_set_new(
			m, "error_list",
			r->errors
				? resp_error_list(r->errors)
				: json_pack("[{s:s,s:s}]", "field", "file",
					    "message", _("Choose a CSV file")));
		json_object_set_new(m, "has_errors", json_true());
		membership_admin_page(r, w, 422,
				      "organisations/templates/import.html",
				      _("Import from CSV"), "/admin/import", m);
		return;
	}
	if ((data = read_upload(up, &len, &why)) == NULL) {
		resp_error(w, up->size > IMPORT_MAX_FILE ? 413 : 500, why);
		return;
	}
	im.kind = csv_kind(req_value(r, "kind")->str);
	im.dry_run = req_value(r, "dry_run")->num != 0;
	im.allow_admin = 0;
	im.actor = r->person->id;
	im.client = r->client;
	im.source = up->filename ? up->filename : "";
	rc = import_run(r->db, data, len, &im);
	free(data);
	if (rc < 0) {
		json_decref(im.errors);
		json_decref(im.warnings);
		resp_error(w, 500,
			   _("Something went wrong on our side. Nothing was "
			     "imported; please try again."));
		return;
	}
	m = json_pack("{s:s,s:s,s:b,s:b,s:I,s:I,s:I,s:o,s:o}", "kind",
		      _(kind_labels[im.kind]), "file", im.source, "dry_run",
		      im.dry_run, "ok", rc == 0, "rows", (json_int_t)im.rows,
		      "imported", (json_int_t)im.imported, "bad",
		      (json_int_t)json_array_size(im.errors), "errors",
		      im.errors, "warnings", im.warnings);
	membership_admin_page(
		r, w, rc == 0 ? 200 : 422,
		"organisations/templates/import_result.html",
		rc == 0 ? (im.dry_run ? _("Dry run: every row is good")
				      : _("Import done"))
			: _("Nothing was imported"),
		"/admin/import", m);
}

/* GET /admin/export/KIND.csv */
static void
export_csv(struct req *r, struct resp *w, enum csv_kind kind)
{
	struct buf b = BUF_INIT;
	char disp[120];
	time_t t = (time_t)clock_now();
	struct tm tm;

	if (import_export(r->db, kind, &b) != 0) {
		buf_free(&b);
		resp_error(w, 500,
			   _("The export failed on our side; please try "
			     "again."));
		return;
	}
	gmtime_r(&t, &tm);
	snprintf(disp, sizeof(disp),
		 "attachment; filename=\"alliance-%s-%04d-%02d-%02d.csv\"",
		 csv_kind_name(kind), tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday);
	resp_raw(w, 200, "text/csv; charset=utf-8", b.data ? b.data : "",
		 b.len);
	resp_header(w, "Content-Disposition", disp);
	buf_free(&b);
}

static void
export_organisations(struct req *r, struct resp *w)
{
	export_csv(r, w, CSV_ORGANISATIONS);
}

static void
export_people(struct req *r, struct resp *w)
{
	export_csv(r, w, CSV_PEOPLE);
}

static void
export_memberships(struct req *r, struct resp *w)
{
	export_csv(r, w, CSV_MEMBERSHIPS);
}

static const struct route import_routes[] = {
	{.method = HTTP_GET, .pattern = "/admin/import", .who = ACCESS_ADMIN,
	 .handler = import_form, .flags = ROUTE_FORM,
	 .summary = "The import form: organisations, people or memberships "
		    "from CSV"},
	{.method = HTTP_POST, .pattern = "/admin/import", .who = ACCESS_ADMIN,
	 .fields = import_fields, .handler = import_send,
	 .flags = ROUTE_OWN_ERRORS | ROUTE_PERSONAL,
	 .max_body = IMPORT_MAX_BODY,
	 .summary = "Imports a CSV file in one transaction (or checks it: "
		    "dry run)"},
	{.method = HTTP_GET, .pattern = "/admin/export/organisations.csv",
	 .who = ACCESS_ADMIN, .handler = export_organisations,
	 .flags = ROUTE_PERSONAL,
	 .summary = "Every organisation as CSV (the import's columns)"},
	{.method = HTTP_GET, .pattern = "/admin/export/people.csv",
	 .who = ACCESS_ADMIN, .handler = export_people,
	 .flags = ROUTE_PERSONAL,
	 .summary = "Every person as CSV (the import's columns)"},
	{.method = HTTP_GET, .pattern = "/admin/export/memberships.csv",
	 .who = ACCESS_ADMIN, .handler = export_memberships,
	 .flags = ROUTE_PERSONAL,
	 .summary = "Every membership as CSV (the import's columns)"},
};

/* Its entries in the secretariat's menu (admin/menu.c). */
static const struct menu_entry import_menu[] = {
	{"/admin/import", N_("Import/Export"), 70},
};

const struct module import_module = {
	.name = "import",
	.routes = import_routes,
	.nroutes = ARRAY_LEN(import_routes),
	.sql = &import_sql,
	.init = import_sql_variants,
	.admin_menu = import_menu,
	.nadmin_menu = ARRAY_LEN(import_menu),
	.commands = import_commands,
	.imports = import_kinds,
};
