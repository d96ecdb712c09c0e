/*
 * membership.c -- see membership.h: the pieces the member modules share.
 *
 * Money is kept in minor units (cents) and formatted here, in C, never in
 * a template: every "USD 1,500.00" on the membership pages comes from
 * membership_money(); forms show amounts back as "1500.00"
 * (membership_amount_input()) and read them with the FT_MONEY validator
 * (core/validate.c), so no amount passes through floating point.  The
 * secretariat's membership pages show the one secretariat menu
 * (admin_secretariat_page); each module declares its own entries.
 */
#include "membership.h"

#include <assert.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin/admin.h"
#include "core/db.h"
#include "core/i18n.h"
#include "core/render.h"

const char *const membership_currencies[] = {"USD", "EUR", "GBP", "CHF", NULL};

/* ---- money and choices ---- */

/* An amount in minor units as "1,500.00" appended to b (two decimals,
 * thousands separated by commas when grouped). */
static void
put_units(struct buf *b, int64_t minor, int grouped)
{
	char digits[32];
	int n, i;

	if (minor < 0) {
		buf_putc(b, '-');
		minor = -minor;
	}
	n = snprintf(digits, sizeof(digits), "%" PRId64, minor / 100);
	for (i = 0; i < n; i++) {
		if (grouped && i > 0 && (n - i) % 3 == 0)
			buf_putc(b, ',');
		buf_putc(b, digits[i]);
	}
	buf_printf(b, ".%02d", (int)(minor % 100));
}

json_t *
membership_money(int64_t minor, const char *currency)
{
	struct buf b = BUF_INIT;
	json_t *s;

	buf_printf(&b, "%s ", currency ? currency : "");
	put_units(&b, minor, 1);
	s = json_string(buf_cstr(&b));
	buf_free(&b);
	return s;
}

json_t *
membership_amount_input(int64_t minor)
{
	struct buf b = BUF_INIT;
	json_t *s;

	put_units(&b, minor, 0);
	s = json_string(buf_cstr(&b));
	buf_free(&b);
	return s;
}

const char *
membership_label_of(const char *const *values, const char *const *labels,
		 const char *value)
{
	for (size_t i = 0; value && values[i]; i++)
		if (strcmp(values[i], value) == 0)
			return _(labels[i]);
	return value ? value : "";
}

json_t *
membership_options(const char *const *values, const char *const *labels,
		const char *current)
{
	json_t *a = json_array();

	for (size_t i = 0; values[i]; i++)
		json_array_append_new(
			a,
			json_pack("{s:s,s:s,s:b}", "value", values[i], "label",
				  labels ? _(labels[i]) : values[i], "selected",
				  current && strcmp(current, values[i]) == 0));
	return a;
}

/* ---- JSON rows and requests ---- */

const char *
membership_str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

int64_t
membership_int(json_t *o, const char *key)
{
	return (int64_t)json_integer_value(json_object_get(o, key));
}

const char *
membership_id_text(struct arena *a, int64_t id)
{
	return arena_printf(a, "%lld", (long long)id);
}

void
membership_read_failed(struct resp *w)
{
	resp_error(w, 500,
		   _("Something went wrong on our side: the page could not "
		     "be read."));
}

const char *
membership_value_or_null(const struct req *r, const char *name)
{
	const struct value *v = req_value(r, name);

	return v->present ? v->str : NULL;
}

const struct field_values *
membership_multi(const struct req *r, const char *name)
{
	const struct field *f = r->route ? r->route->fields : NULL;

	for (size_t i = 0; f && r->values && f[i].name; i++)
		if (strcmp(f[i].name, name) == 0)
			return &r->values[i];
	return NULL;
}

void
membership_add_error(struct req *r, const char *field, const char *message)
{
	req_error(r, field, message);
}

void
membership_add_errors(const struct req *r, json_t *model)
{
	resp_form_errors(model, r->errors);
}

/* ---- the secretariat's membership pages ---- */

void
membership_admin_page(const struct req *r, struct resp *w, int status,
		   const char *tmpl, const char *title, const char *path,
		   json_t *model)
{
	admin_secretariat_page(r, w, status, tmpl, title, path, model);
}

size_t
membership_diff_fields(json_t *row, json_t *after, json_t **before, json_t **changed)
{
	const char *k;
	json_t *v;
	size_t n = 0;

	*before = json_object();
	*changed = json_object();
	json_object_foreach (after, k, v) {
		json_t *old = json_object_get(row, k);

		if (old != NULL && json_equal(old, v))
			continue;
		json_object_set_new(*before, k, old ? json_incref(old)
						     : json_null());
		json_object_set(*changed, k, v);
		n++;
	}
	return n;
}
