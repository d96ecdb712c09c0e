/*
 * csv.c -- see csv.h.  Reading is libcsv (strict) fed one physical line
 * at a time, so the reader knows the line each record starts on; the
 * columns of each kind are struct field tables checked with the same
 * validators as the web forms (validate.c), plus the few rules between
 * columns that need no database.
 */
#include "csv.h"

#include <assert.h>
#include <csv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"

/* What a field may start with that a spreadsheet would run as a formula. */
#define FORMULA_START "=+-@\t\r"

/* ---- reading ---- */

struct reader {
	struct csv_doc *doc;
	struct csv_row cur;
	size_t fcap;
	size_t line;      /* the physical line being fed */
	size_t start;     /* the line the current record started on */
	int at_row_start; /* no byte of a record seen since the last one */
};

static void
on_field(void *s, size_t n, void *ctx)
{
	struct reader *rd = ctx;
	struct csv_row *row = &rd->cur;
	const char *p = s ? s : "";

	if (row->n == rd->fcap) {
		rd->fcap = rd->fcap ? rd->fcap * 2 : 16;
		row->field = xrealloc(row->field, rd->fcap * sizeof(char *));
		row->len = xrealloc(row->len, rd->fcap * sizeof(size_t));
	}
	/* undo the writer's guard against formulas */
	if (n >= 2 && p[0] == '\'' && p[1] != '\0' &&
	    strchr(FORMULA_START, p[1]) != NULL)
		p++, n--;
	if (!row->bad_utf8 && !utf8_valid(p, n))
		row->bad_utf8 = (int)row->n + 1;
	row->field[row->n] = xstrndup(p, n);
	row->len[row->n] = n;
	row->n++;
}

static void
row_clear(struct csv_row *row)
{
	for (size_t i = 0; i < row->n; i++)
		free(row->field[i]);
	free(row->field);
	free(row->len);
	memset(row, 0, sizeof(*row));
}

static void
on_row(int c, void *ctx)
{
	struct reader *rd = ctx;
	struct csv_doc *d = rd->doc;
	int empty = 1;

	for (size_t i = 0; i < rd->cur.n; i++)
		if (rd->cur.len[i] != 0)
			empty = 0;
	if (empty) {
		/* ",,," or a line of spaces: nothing to import */
		row_clear(&rd->cur);
	} else {
		if (d->nrows == d->cap) {
			d->cap = d->cap ? d->cap * 2 : 64;
			d->rows = xrealloc(d->rows, d->cap * sizeof(*d->rows));
		}
		rd->cur.line = rd->start;
		d->rows[d->nrows++] = rd->cur;
		memset(&rd->cur, 0, sizeof(rd->cur));
	}
	rd->fcap = 0;
	rd->at_row_start = 1;
}

/* 1 when s[0..n) holds something besides spaces, tabs and line ends. */
static int
has_content(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return 1;
	return 0;
}

int
csv_read(const char *data, size_t len, struct csv_doc *doc,
		 char *err, size_t errlen)
{
	struct csv_parser p;
	struct reader rd;
	size_t i = 0;
	int prev_cr = 0, rc = 0;

	memset(doc, 0, sizeof(*doc));
	memset(&rd, 0, sizeof(rd));
	rd.doc = doc;
	rd.line = 1;
	rd.start = 1;
	rd.at_row_start = 1;
	if (len >= 2 && (((unsigned char)data[0] == 0xFF &&
			  (unsigned char)data[1] == 0xFE) ||
			 ((unsigned char)data[0] == 0xFE &&
			  (unsigned char)data[1] == 0xFF))) {
		snprintf(err, errlen, "%s",
			 _("line 1: the file is UTF-16 text; save it as \"CSV "
			   "UTF-8\" and try again"));
		return -1;
	}
	if (len >= 3 && memcmp(data, CSV_BOM, 3) == 0)
		i = 3;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		snprintf(err, errlen, "%s", _("the CSV reader cannot start"));
		return -1;
	}
	/* one physical line (with its end) at a time */
	while (i < len) {
		size_t j = i;

		while (j < len && data[j] != '\r' && data[j] != '\n')
			j++;
		if (j < len)
			j++; /* the line end belongs to the segment */
		if (rd.at_row_start && has_content(data + i, j - i)) {
			rd.start = rd.line;
			rd.at_row_start = 0;
		}
		if (csv_parse(&p, data + i, j - i, on_field, on_row, &rd) !=
		    j - i) {
			snprintf(
				err, errlen,
				_("line %zu: a quote mark out of place (a "
				  "field "
				  "with quotes must be wholly in quotes, and a "
				  "quote inside it written twice: \"\")"),
				rd.line);
			rc = -1;
			break;
		}
		if (data[j - 1] == '\r') {
			rd.line++;
			prev_cr = 1;
		} else if (data[j - 1] == '\n') {
			if (!(prev_cr && j - i == 1))
				rd.line++;
			prev_cr = 0;
		} else {
			prev_cr = 0;
		}
		i = j;
	}
	if (rc == 0 && csv_fini(&p, on_field, on_row, &rd) != 0) {
		snprintf(err, errlen,
			 _("line %zu: a quoted field starts here and is never "
			   "closed (a quote mark is missing)"),
			 rd.start);
		rc = -1;
	}
	row_clear(&rd.cur);
	csv_free(&p);
	return rc;
}

void
csv_doc_free(struct csv_doc *doc)
{
	for (size_t i = 0; i < doc->nrows; i++)
		row_clear(&doc->rows[i]);
	free(doc->rows);
	memset(doc, 0, sizeof(*doc));
}

/* ---- the columns ---- */

static const char *const visibilities[] = {"public", "members", "hidden",
					   NULL};
static const char *const ecosoc_statuses[] = {"general", "special", "roster",
					      NULL};
static const char *const roles[] = {"member", "editor", "admin", NULL};
static const char *const un_posts[] = {"vienna", "new-york", "geneva", NULL};
static const char *const un_ranks[] = {"main", "alternate", NULL};
static const char *const states[] = {"pending", "active", "grace", "lapsed",
				     "cancelled", NULL};

#define COL(n, t, ...) {.name = n, .type = t, .label = n, __VA_ARGS__}

static const struct field organisation_columns[] = {
	COL("slug", FT_SLUG, .maxlen = 60),
	COL("name", FT_TEXT, .flags = FIELD_REQUIRED, .maxlen = 200),
	COL("acronym", FT_TEXT, .maxlen = 30),
	COL("country", FT_COUNTRY),
	COL("website", FT_URL, .maxlen = 500),
	COL("description", FT_TEXTAREA, .maxlen = 20000),
	COL("contact_address", FT_TEXTAREA, .maxlen = 1000),
	COL("visibility", FT_CHOICE, .choices = visibilities),
	COL("ecosoc_status", FT_CHOICE, .choices = ecosoc_statuses),
	COL("ecosoc_year", FT_YEAR),
	COL("dgc_associated", FT_BOOL),
	COL("dgc_year", FT_YEAR),
	COL("focal_areas", FT_TEXT, .maxlen = 2000),
	{0},
};

static const struct field people_columns[] = {
	COL("email", FT_EMAIL, .flags = FIELD_REQUIRED),
	COL("name", FT_TEXT, .flags = FIELD_REQUIRED, .maxlen = 200),
	COL("country", FT_COUNTRY),
	COL("languages", FT_TEXT, .maxlen = 500),
	COL("expertise", FT_TEXT, .maxlen = 1000),
	COL("role", FT_CHOICE, .choices = roles),
	COL("organisation", FT_SLUG, .maxlen = 80),
	COL("main_contact", FT_BOOL),
	COL("un_post", FT_CHOICE, .choices = un_posts),
	COL("un_rank", FT_CHOICE, .choices = un_ranks),
	{0},
};

static const struct field membership_columns[] = {
	COL("organisation", FT_SLUG, .maxlen = 80),
	COL("email", FT_EMAIL),
	COL("level", FT_SLUG, .flags = FIELD_REQUIRED, .maxlen = 80),
	COL("state", FT_CHOICE, .choices = states),
	COL("period_start", FT_DATE),
	COL("period_end", FT_DATE),
	{0},
};

static const struct field *const kind_columns[CSV__KINDS] = {
	organisation_columns, people_columns, membership_columns};
static const char *const kind_names[CSV__KINDS] = {
	"organisations", "people", "memberships"};

int
csv_kind(const char *name)
{
	for (int k = 0; name && k < CSV__KINDS; k++)
		if (strcmp(name, kind_names[k]) == 0)
			return k;
	return -1;
}

const char *
csv_kind_name(enum csv_kind k)
{
	return kind_names[k];
}

const struct field *
csv_columns(enum csv_kind k)
{
	return kind_columns[k];
}

size_t
csv_ncolumns(enum csv_kind k)
{
	size_t n = 0;

	while (kind_columns[k][n].name)
		n++;
	return n;
}

/* A header name as a column name: trimmed, lower case, ' ' and '-' as
 * '_'.  malloc'd. */
static char *
column_key(const char *s, size_t n)
{
	char *k;

	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	k = xstrndup(s, n);
	for (char *p = k; *p; p++) {
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
		else if (*p == ' ' || *p == '-')
			*p = '_';
	}
	return k;
}

int
csv_map_header(enum csv_kind k,
		       const struct csv_row *hdr,
		       struct csv_header *h, json_t *warnings,
		       char *err, size_t errlen)
{
	const struct field *cols = kind_columns[k];
	size_t ncols = csv_ncolumns(k);
	struct buf missing = BUF_INIT;
	int rc = 0;

	h->kind = k;
	h->n = hdr ? hdr->n : 0;
	for (size_t i = 0; i < CSV_MAX_COLUMNS; i++)
		h->col[i] = -1;
	if (hdr == NULL) {
		snprintf(err, errlen, "%s",
			 _("the file is empty: the first line must name the "
			   "columns"));
		return -1;
	}
	if (hdr->bad_utf8) {
		snprintf(err, errlen,
			 _("line %zu: the text is not UTF-8; save the file as "
			   "\"CSV UTF-8\" and try again"),
			 hdr->line);
		return -1;
	}
	for (size_t i = 0; i < hdr->n && rc == 0; i++) {
		char *key = column_key(hdr->field[i], hdr->len[i]);
		size_t c;

		for (c = 0; c < ncols; c++)
			if (strcmp(key, cols[c].name) == 0)
				break;
		if (*key == '\0') {
			/* an unnamed column, e.g. a trailing comma */
		} else if (c == ncols) {
			json_array_append_new(
				warnings,
				json_sprintf(_("Column %zu, \"%s\", is not one "
					       "we know; it was ignored."),
					     i + 1, key));
		} else if (h->col[c] != -1) {
			snprintf(err, errlen,
				 _("line %zu: the column \"%s\" is named twice "
				   "(columns %d and %zu)"),
				 hdr->line, cols[c].name, h->col[c] + 1, i + 1);
			rc = -1;
		} else {
			h->col[c] = (int)i;
		}
		free(key);
	}
	for (size_t c = 0; c < ncols && rc == 0; c++) {
		if ((cols[c].flags & FIELD_REQUIRED) && h->col[c] == -1) {
			if (missing.len)
				buf_puts(&missing, ", ");
			buf_puts(&missing, cols[c].name);
		}
	}
	if (rc == 0 && missing.len) {
		snprintf(err, errlen,
			 _n("line %zu: the header lacks required column: %s "
			    "(the columns of %s are: ",
			    "line %zu: the header lacks required columns: %s "
			    "(the columns of %s are: ",
			    strchr(buf_cstr(&missing), ',') ? 2 : 1),
			 hdr->line, buf_cstr(&missing), kind_names[k]);
		for (size_t c = 0; c < ncols; c++) {
			size_t used = strlen(err);

			snprintf(err + used, errlen - used, "%s%s", cols[c].name,
				 c + 1 < ncols ? ", " : ")");
		}
		rc = -1;
	}
	buf_free(&missing);
	return rc;
}

/* ---- one row ---- */

void
csv_add_error(json_t *errors, size_t line, const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_array_append_new(errors, json_pack("{s:I,s:s}", "line",
						(json_int_t)line, "message",
						msg));
}

static int
column_index(enum csv_kind k, const char *name)
{
	const struct field *cols = kind_columns[k];

	for (int c = 0; cols[c].name; c++)
		if (strcmp(cols[c].name, name) == 0)
			return c;
	return -1;
}

const struct value *
csv_get(const struct csv_header *h,
		const struct csv_values *vals, const char *name)
{
	int c = column_index(h->kind, name);

	assert(c >= 0);
	return &vals->v[c];
}

#define HAS(name) (csv_get(h, vals, name)->present)

/* The choices of f as "a, b or c" into out. */
static void
choices_text(const struct field *f, char *out, size_t len)
{
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; f->choices[i] && used < len; i++) {
		const char *sep = i == 0 ? ""
				  /* TRANSLATORS: before the last of a list of
				   * choices, "public, members or hidden" */
				  : f->choices[i + 1] == NULL ? _(" or ")
							      : ", ";

		used += (size_t)snprintf(out + used, len - used, "%s%s", sep,
					 f->choices[i]);
	}
}

/*
 * Focal areas "a; b|c" as "a,b,c" (malloc'd), or NULL when one is not a
 * slug (*bad names it, malloc'd).
 */
static char *
focal_list(const char *s, char **bad)
{
	struct buf out = BUF_INIT;

	*bad = NULL;
	while (*s) {
		size_t n = strcspn(s, ";|,");
		char *item = column_key(s, n);

		for (char *p = item; *p; p++)
			if (*p == '_')
				*p = '-';
		if (*item && !valid_slug(item, strlen(item))) {
			*bad = item;
			buf_free(&out);
			return NULL;
		}
		if (*item) {
			if (out.len)
				buf_putc(&out, ',');
			buf_puts(&out, item);
		}
		free(item);
		s += n;
		if (*s)
			s++;
	}
	return buf_detach(&out, NULL);
}

/* The rules between the columns of an organisation. */
static int
check_organisation(const struct csv_header *h,
		   struct csv_values *vals, size_t line,
		   json_t *errors)
{
	struct value *focal = &vals->v[column_index(h->kind, "focal_areas")];
	int bad = 0;

	if (HAS("ecosoc_year") && !HAS("ecosoc_status")) {
		csv_add_error(errors, line, "%s",
			      _("ecosoc_year is given without "
				"an ecosoc_status"));
		bad++;
	}
	if (HAS("dgc_year") && !csv_get(h, vals, "dgc_associated")->num) {
		csv_add_error(errors, line, "%s",
			      _("dgc_year is given but "
				"dgc_associated is not yes"));
		bad++;
	}
	if (focal->present) {
		char *badslug, *list = focal_list(focal->str, &badslug);

		if (list == NULL) {
			csv_add_error(errors, line,
				      _("focal_areas: \"%s\" is not a focal "
					"area's short name (like "
					"crime-prevention)"),
				      badslug);
			free(badslug);
			bad++;
		} else {
			free(focal->str);
			focal->str = list;
			focal->present = *list != '\0';
		}
	}
	return bad;
}

static int
check_person(const struct csv_header *h,
	     struct csv_values *vals, size_t line, json_t *errors)
{
	int bad = 0;

	if (!HAS("organisation")) {
		if (csv_get(h, vals, "main_contact")->num ||
		    HAS("un_post") || HAS("un_rank")) {
			csv_add_error(errors, line, "%s",
				      _("main_contact, un_post and un_rank "
					"need an organisation"));
			bad++;
		}
	} else if (HAS("un_rank") && !HAS("un_post")) {
		csv_add_error(errors, line, "%s",
			      _("un_rank is given without an "
				"un_post"));
		bad++;
	}
	return bad;
}

static int
check_membership(const struct csv_header *h,
		 struct csv_values *vals, size_t line, json_t *errors)
{
	int bad = 0;

	if (HAS("organisation") == HAS("email")) {
		csv_add_error(errors, line, "%s",
			      HAS("email") ? _("give an organisation or an "
					       "email, not both")
					   : _("give the organisation (its "
					       "slug) or the email of a "
					       "person"));
		bad++;
	}
	if (HAS("period_start") && HAS("period_end") &&
	    csv_get(h, vals, "period_end")->num <
		    csv_get(h, vals, "period_start")->num) {
		csv_add_error(errors, line, "%s",
			      _("period_end is before "
				"period_start"));
		bad++;
	}
	return bad;
}

int
csv_check(const struct csv_header *h,
		  const struct csv_row *row,
		  struct csv_values *vals, json_t *errors)
{
	const struct field *cols = kind_columns[h->kind];
	int bad = 0;

	memset(vals, 0, sizeof(*vals));
	if (row->bad_utf8) {
		csv_add_error(errors, row->line,
			      _("the text is not UTF-8 (field %d); save the "
				"file as \"CSV UTF-8\" and try again"),
			      row->bad_utf8);
		return 1;
	}
	for (size_t i = h->n; i < row->n; i++) {
		if (row->len[i] != 0) {
			csv_add_error(errors, row->line,
				      _("field %zu is beyond the %zu columns "
					"of the header"),
				      i + 1, h->n);
			bad++;
			break;
		}
	}
	for (size_t c = 0; cols[c].name; c++) {
		const struct field *f = &cols[c];
		int at = h->col[c];
		const char *raw = at >= 0 && (size_t)at < row->n ? row->field[at]
								  : NULL;
		size_t n = raw ? row->len[at] : 0;
		char *lower = NULL;
		const char *msg;

		if (raw && f->type == FT_CHOICE) {
			/* "Public" is forgiven as "public" */
			lower = column_key(raw, n);
			for (char *p = lower; *p; p++)
				if (*p == '_')
					*p = '-';
			raw = lower, n = strlen(lower);
		}
		if (raw && memchr(raw, '\0', n) != NULL) {
			csv_add_error(errors, row->line,
				      _("%s holds a NUL character"), f->name);
			bad++;
		} else if (validate_field(f, raw, n, &vals->v[c], &msg) != 0) {
			char list[200];

			if (f->type == FT_CHOICE && n > 0) {
				choices_text(f, list, sizeof(list));
				csv_add_error(errors, row->line,
					      _("%s must be %s, not \"%.60s\""),
					      f->name, list, raw);
			} else {
				csv_add_error(errors, row->line, "%s %s",
					      f->name, _(msg));
			}
			bad++;
		}
		free(lower);
	}
	if (bad)
		return bad;
	switch (h->kind) {
	case CSV_ORGANISATIONS:
		return check_organisation(h, vals, row->line, errors);
	case CSV_PEOPLE:
		return check_person(h, vals, row->line, errors);
	default:
		return check_membership(h, vals, row->line, errors);
	}
}

void
csv_values_clear(struct csv_values *vals)
{
	for (size_t i = 0; i < CSV_MAX_COLUMNS; i++)
		value_clear(&vals->v[i]);
}

/* ---- writing ---- */

void
csv_put_field(struct buf *b, const char *s, size_t n)
{
	int guard = n > 0 && s[0] && strchr(FORMULA_START, s[0]) != NULL;
	int quote = 0;

	for (size_t i = 0; i < n && !quote; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			quote = 1;
	/* readers (libcsv among them) trim spaces around unquoted fields:
	 * quote a field that begins or ends with one, to keep it */
	if (n > 0 && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' ||
		      s[n - 1] == '\t'))
		quote = 1;
	if (quote)
		buf_putc(b, '"');
	if (guard)
		buf_putc(b, '\'');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			buf_putc(b, '"');
		buf_putc(b, s[i]);
	}
	if (quote)
		buf_putc(b, '"');
}

void
csv_put_row(struct buf *b, const char *const *fields, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(b, ',');
		if (fields[i])
			csv_put_field(b, fields[i], strlen(fields[i]));
	}
	buf_puts(b, "\r\n");
}
