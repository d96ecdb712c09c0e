/*
 * input.c -- see http.h: a request's fields, from the raw query string
 * or body to the typed values a handler reads.  http.c hands over the
 * bytes; here they become raw fields (urlencoded through form.c, multipart
 * as it streams -- file parts written to a temporary file under
 * DATA/uploads/tmp and hashed on the fly -- and flat JSON objects), fields
 * the route does not declare are dropped, and every declared one is
 * validated (validate.c) into req->values, with messages in req->errors.
 * The accessors handlers read them with (req_value, req_upload ...) are
 * here too.
 */
#include "http_int.h"

#include <assert.h>
#include <errno.h>
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "log.h"

/* ---- accessors for handlers ---- */

const char *
req_param(const struct req *r, const char *name)
{
	for (size_t i = 0; i < r->nparams; i++)
		if (strcmp(r->param_names[i], name) == 0)
			return r->param_values[i];
	return NULL;
}

int64_t
req_param_id(const struct req *r)
{
	const char *s = req_param(r, "id");
	int64_t v = 0;

	if (s == NULL || *s == '\0' || strlen(s) > 18)
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		v = v * 10 + (*s - '0');
	}
	return v;
}

/* A header is what the client sent, so it may hold any byte; what it
 * hands on is well-formed UTF-8 (bytes that are not become U+FFFD, in an
 * arena copy), because a header may be stored (User-Agent) and shown. */
const char *
req_header(const struct req *r, const char *name)
{
	const char *v =
		MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
	struct buf b = BUF_INIT;
	char *copy;

	if (v == NULL || utf8_valid(v, strlen(v)))
		return v;
	buf_put_utf8(&b, v, strlen(v));
	copy = arena_strndup(r->arena, buf_cstr(&b), b.len);
	buf_free(&b);
	return copy;
}

static int
field_index(const struct req *r, const char *name)
{
	const struct field *f = r->route ? r->route->fields : NULL;

	for (int i = 0; f && f[i].name; i++)
		if (strcmp(f[i].name, name) == 0)
			return i;
	return -1;
}

/*
 * A required field that is absent or invalid reads as present == 0 with
 * str "" (its handler runs only to show the form again, and must find no
 * NULL where the type promised text); an optional one that is absent has
 * str NULL, which is what binding it stores (SQL NULL).
 */
const struct value *
req_value(const struct req *r, const char *name)
{
	static const struct value absent;
	static const struct value missing = {.str = ""};
	int i = field_index(r, name);

	if (i < 0 || r->values == NULL || r->values[i].n == 0)
		return i >= 0 && (r->route->fields[i].flags & FIELD_REQUIRED)
			       ? &missing
			       : &absent;
	return &r->values[i].v[0];
}

const struct field_values *
req_values(const struct req *r, const char *name)
{
	int i = field_index(r, name);

	return i < 0 || r->values == NULL ? NULL : &r->values[i];
}

void
req_error(struct req *r, const char *field, const char *message)
{
	if (r->errors == NULL)
		r->errors = json_object();
	if (json_object_get(r->errors, field) == NULL)
		json_object_set_new(r->errors, field, json_string(message));
}

struct upload *
req_upload(const struct req *r, const char *name)
{
	int i = field_index(r, name);

	return i < 0 || r->values == NULL ? NULL : r->values[i].upload;
}

/* ---- collecting raw fields ---- */

/*
 * Keeps one raw field of a declared name (the csrf token apart).  Every
 * value is UTF-8 by now: the parsers refuse other bytes with a 400 at the
 * door (form.c for urlencoded and multipart, jansson for JSON), so
 * nothing after (validators, the refill of a form, the store, a page,
 * JSON) sees them.
 */
static int
add_raw(struct conn_state *cs, const char *name, size_t nlen,
	const char *value, size_t vlen)
{
	struct raw_field *f;

	assert(utf8_valid(value, vlen));
	if (strcmp(name, "csrf") == 0 && cs->req.csrf_sent == NULL) {
		/* the core's own field: checked before the handler runs */
		cs->req.csrf_sent = arena_strndup(cs->req.arena, value, vlen);
		return 0;
	}
	if (field_index(&cs->req, name) < 0)
		return 0; /* undeclared: dropped here */
	f = arena_alloc(cs->req.arena, sizeof(*f));
	f->name = arena_strndup(cs->req.arena, name, nlen);
	f->value = arena_strndup(cs->req.arena, value, vlen);
	f->len = vlen;
	*cs->fields_tail = f;
	cs->fields_tail = &f->next;
	return 0;
}

int
http_urlencoded_cb(void *arg, const char *name, size_t nlen, const char *value,
		   size_t vlen)
{
	return add_raw(arg, name, nlen, value, vlen);
}

/* ---- multipart callbacks: values collected, files streamed ---- */

/* 1 when s is printable ASCII only (what a media type is made of).  The
 * multipart parser has checked names and file names (UTF-8, no control
 * characters), but a part's Content-Type may hold any other byte. */
static int
printable_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			return 0;
	return 1;
}

static int
part_begin(void *arg, const char *name, const char *filename,
	   const char *content_type)
{
	static const struct field csrf_field = {.name = "csrf",
						.type = FT_TEXT};
	struct conn_state *cs = arg;
	int i = field_index(&cs->req, name);

	cs->part_field = i < 0 ? NULL : &cs->req.route->fields[i];
	if (i < 0 && filename == NULL && strcmp(name, "csrf") == 0)
		cs->part_field = &csrf_field; /* the core's own field */
	cs->part_index = i < 0 ? 0 : (size_t)i;
	buf_reset(&cs->part_value);
	cs->part_fd = -1;
	cs->part_upload = NULL;
	if (cs->part_field == NULL)
		return 0;
	if (cs->part_field->type == FT_FILE) {
		struct upload *u;
		char *path;

		if (filename == NULL || filename[0] == '\0') {
			cs->part_field = NULL; /* an empty file input */
			return 0;
		}
		path = arena_printf(cs->req.arena, "%s/upload-XXXXXX",
				    http_upload_tmp_dir);
		cs->part_fd = mkstemp(path);
		if (cs->part_fd < 0) {
			log_error("upload: mkstemp %s: %s", path,
				  strerror(errno));
			cs->fail_status = 500;
			cs->fail_msg = _("The upload could not be stored.");
			return 1;
		}
		u = arena_alloc(cs->req.arena, sizeof(*u));
		u->tmp_path = path;
		u->filename = arena_strdup(cs->req.arena, filename);
		/* a type that is not printable ASCII says nothing: unknown */
		u->content_type = arena_strdup(
			cs->req.arena,
			content_type && printable_ascii(content_type)
				? content_type
				: "application/octet-stream");
		cs->part_upload = u;
		crypto_hash_sha256_init(&cs->part_hash);
	} else if (filename != NULL) {
		cs->part_field = NULL; /* a file where text was expected */
	}
	return 0;
}

static int
part_data(void *arg, const char *data, size_t n)
{
	struct conn_state *cs = arg;

	if (cs->part_field == NULL)
		return 0;
	if (cs->part_upload) {
		const char *p = data;
		size_t left = n;

		while (left > 0) {
			ssize_t w = write(cs->part_fd, p, left);

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				log_error("upload: write: %s", strerror(errno));
				cs->fail_status = 500;
				cs->fail_msg =
					_("The upload could not be stored.");
				return 1;
			}
			p += w;
			left -= (size_t)w;
		}
		crypto_hash_sha256_update(&cs->part_hash,
					  (const unsigned char *)data, n);
		cs->part_upload->size += n;
		return 0;
	}
	buf_put(&cs->part_value, data, n);
	return 0;
}

static int
part_end(void *arg)
{
	struct conn_state *cs = arg;
	struct field_values *fv;

	if (cs->part_field == NULL)
		return 0;
	if (cs->part_upload) {
		unsigned char digest[crypto_hash_sha256_BYTES];

		crypto_hash_sha256_final(&cs->part_hash, digest);
		sodium_bin2hex(cs->part_upload->sha256,
			       sizeof(cs->part_upload->sha256), digest,
			       sizeof(digest));
		close(cs->part_fd);
		cs->part_fd = -1;
		fv = &cs->req.values[cs->part_index];
		if (fv->upload) /* one file per field: keep the first */
			unlink(cs->part_upload->tmp_path);
		else
			fv->upload = cs->part_upload;
		cs->part_upload = NULL;
		return 0;
	}
	if (!utf8_valid(cs->part_value.data ? cs->part_value.data : "",
			cs->part_value.len)) {
		cs->fail_status = 400;
		cs->fail_msg = _("The form contains text that is not UTF-8.");
		return 1;
	}
	add_raw(cs, cs->part_field->name, strlen(cs->part_field->name),
		buf_cstr(&cs->part_value), cs->part_value.len);
	return 0;
}

const struct multipart_cb http_multipart_callbacks = {part_begin, part_data,
						      part_end};

/* ---- JSON bodies: a flat object of scalars or arrays of scalars ---- */

static int
json_scalar_text(json_t *v, struct buf *out)
{
	buf_reset(out);
	switch (json_typeof(v)) {
	case JSON_STRING:
		buf_put(out, json_string_value(v), json_string_length(v));
		return 0;
	case JSON_INTEGER:
		buf_printf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return 0;
	case JSON_TRUE:
		buf_puts(out, "1");
		return 0;
	case JSON_FALSE:
		buf_puts(out, "0");
		return 0;
	case JSON_NULL:
		return 0;
	default:
		return -1;
	}
}

int
http_parse_json_body(struct conn_state *cs)
{
	json_error_t jerr;
	json_t *root, *v;
	const char *key;
	struct buf text = BUF_INIT;
	int rc = 0;

	root = json_loadb(cs->collected.data ? cs->collected.data : "",
			  cs->collected.len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL || !json_is_object(root)) {
		cs->fail_msg = _("The body is not a JSON object.");
		json_decref(root);
		return -1;
	}
	json_object_foreach (root, key, v) {
		json_t *items = json_is_array(v) ? v : NULL;
		size_t count = items ? json_array_size(items) : 1;

		for (size_t i = 0; i < count && rc == 0; i++) {
			json_t *item = items ? json_array_get(items, i) : v;

			if (json_scalar_text(item, &text) != 0) {
				/* a fraction is refused, not rounded:
				 * amounts travel as text ("150.50") */
				cs->fail_msg = _("JSON fields must be strings, "
						 "whole numbers, booleans or "
						 "lists of them; write a "
						 "fraction as a string, such "
						 "as \"150.50\".");
				rc = -1;
				break;
			}
			add_raw(cs, key, strlen(key), buf_cstr(&text), text.len);
		}
		if (rc)
			break;
	}
	buf_free(&text);
	json_decref(root);
	return rc;
}

/* ---- validation ---- */

/* Validates every declared field from the raw fields; fills r->values,
 * r->errors and r->input. */
void
http_validate_fields(struct conn_state *cs)
{
	struct req *r = &cs->req;
	const struct field *f = r->route->fields;

	for (size_t i = 0; f && f[i].name; i++) {
		struct field_values *fv = &r->values[i];
		struct raw_field *last = NULL;
		const char *msg = NULL;
		size_t count = 0;

		if (f[i].type == FT_FILE) {
			if (fv->upload == NULL && (f[i].flags & FIELD_REQUIRED))
				msg = N_("is required");
			goto record;
		}
		for (struct raw_field *rf = cs->fields; rf; rf = rf->next)
			if (strcmp(rf->name, f[i].name) == 0)
				last = rf, count++;
		if (count > 1 && !(f[i].flags & FIELD_MULTI))
			count = 1;
		fv->v = arena_alloc(r->arena,
				    (count ? count : 1) * sizeof(struct value));
		if (count == 0) {
			if (validate_field(&f[i], NULL, 0, &fv->v[0], &msg) == 0)
				fv->n = 0;
			value_clear(&fv->v[0]);
			goto record;
		}
		/* a field sent twice counts once, the last value winning
		 * (a hidden default before a checkbox); FIELD_MULTI keeps
		 * every value */
		for (struct raw_field *rf = (f[i].flags & FIELD_MULTI)
						    ? cs->fields
						    : last;
		     rf && fv->n < count; rf = rf->next) {
			struct value *v = &fv->v[fv->n];

			if (strcmp(rf->name, f[i].name) != 0)
				continue;
			if (r->input == NULL)
				r->input = json_object();
			if (f[i].flags & FIELD_MULTI) {
				json_t *a = json_object_get(r->input, rf->name);

				if (a == NULL) {
					a = json_array();
					json_object_set_new(r->input, rf->name,
							    a);
				}
				json_array_append_new(
					a, json_stringn(rf->value, rf->len));
			} else {
				json_object_set_new(
					r->input, rf->name,
					json_stringn(rf->value, rf->len));
			}
			if (validate_field(&f[i], rf->value, rf->len, v,
					   &msg) != 0)
				break;
			/* move the value into the arena: one free at the end */
			if (v->str) {
				char *s = arena_strdup(r->arena, v->str);

				free(v->str);
				v->str = s;
			}
			fv->n++;
		}
record:
		if (msg) {
			struct buf b = BUF_INIT;

			if (r->errors == NULL)
				r->errors = json_object();
			/* TRANSLATORS: a form field's error: its label ("Your
			 * name") and what is wrong ("is required") */
			i18n_format(&b, _("{label} {message}"), "label",
				    _(f[i].label ? f[i].label : f[i].name),
				    "message", _(msg), NULL);
			json_object_set_new(r->errors, f[i].name,
					    json_stringn(b.data, b.len));
			buf_free(&b);
		}
	}
}
