/*
 * fuzz_form.c -- a libFuzzer target for form.c and validate.c.
 *
 * The first byte picks the mode (unless FUZZ_FORM_MODE is defined to pin
 * one); the next bytes pick limits, chunking or the field declaration; the
 * rest is the input:
 *
 *   0  form_parse_urlencoded() and form_percent_decode()
 *   1  form_header_param() and form_media_type_is()
 *   2  the multipart parser, fed whole, in chunks chosen by the input, and
 *      one byte at a time: all three must report the same events and result
 *   3  validate_field() over every field type: an accepted value must be
 *      valid UTF-8, within maxlen, and validate again to itself
 *
 * Besides crashes and sanitizer reports, every contract the parsers promise
 * their callers is checked with abort().  Not part of normal builds (the
 * Makefile leaves out fuzz_*.c).  Build and run:
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc \
 *     src/core/fuzz_form.c src/core/form.c src/core/validate.c \
 *     src/core/util.c -o build/fuzz_form
 *   ./build/fuzz_form -max_total_time=60 corpus/
 *
 * Add -DFUZZ_FORM_MODE=2 to spend all the time on one mode.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "util.h"
#include "validate.h"

#define CHECK(cond) \
	do { \
		if (!(cond)) \
			abort(); \
	} while (0)

/* Reads one byte from the front of the input, 0 when it is used up. */
static unsigned
take(const uint8_t **data, size_t *size)
{
	unsigned c;

	if (*size == 0)
		return 0;
	c = **data;
	(*data)++;
	(*size)--;
	return c;
}

/* Limits from two bytes: small enough for the input to reach them. */
static struct form_limits
limits(const uint8_t **data, size_t *size)
{
	struct form_limits lim;
	unsigned a = take(data, size), b = take(data, size);

	lim.max_fields = a & 0x0f;
	lim.max_name = (a >> 4) * 4;
	lim.max_value = b * 2;
	return lim;
}

/* ---- mode 0: urlencoded ---- */

struct ucheck {
	const struct form_limits *lim;
	size_t fields;
};

static int
url_field(void *arg, const char *name, size_t nlen, const char *value,
	  size_t vlen)
{
	struct ucheck *u = arg;

	CHECK(++u->fields <= u->lim->max_fields);
	CHECK(nlen <= u->lim->max_name && vlen <= u->lim->max_value);
	CHECK(name[nlen] == '\0' && value[vlen] == '\0');
	CHECK(utf8_valid(name, nlen) && utf8_valid(value, vlen));
	return 0;
}

static void
fuzz_urlencoded(const uint8_t *data, size_t size)
{
	struct form_limits lim = limits(&data, &size);
	struct ucheck u = {&lim, 0};
	const char *s = (const char *)data;
	char *out = xmalloc(size + 1);
	long r;

	form_parse_urlencoded(s, size, &lim, url_field, &u);
	r = form_percent_decode(s, size, out, 1);
	CHECK(r <= (long)size);
	if (r >= 0)
		CHECK(out[r] == '\0');
	free(out);
}

/* ---- mode 1: header parameters ---- */

static void
fuzz_header(const uint8_t *data, size_t size)
{
	static const char *const params[] = {"boundary", "name", "filename",
					     "charset", "filename*"};
	unsigned outlen = take(&data, &size) % 80;
	char *h = xstrndup((const char *)data, size);
	char out[80];

	for (size_t i = 0; i < ARRAY_LEN(params); i++) {
		long r = form_header_param(h, params[i], out, outlen);

		CHECK(r >= -1);
		if (r >= 0) {
			CHECK((size_t)r < outlen);
			CHECK(strlen(out) == (size_t)r);
		}
		/* a larger buffer finds the same value */
		if (r >= 0) {
			char big[80];

			CHECK(form_header_param(h, params[i], big,
						sizeof(big)) == r);
			CHECK(memcmp(big, out, (size_t)r) == 0);
		}
	}
	(void)form_media_type_is(h, "multipart/form-data");
	(void)form_media_type_is(h, "application/x-www-form-urlencoded");
	free(h);
}

/* ---- mode 2: multipart ---- */

struct mlog {
	struct buf log;
	const struct form_limits *lim;
	int in_part, is_file;
	size_t value_len;
};

static int
mp_begin(void *arg, const char *name, const char *filename,
	 const char *ctype)
{
	struct mlog *m = arg;

	CHECK(!m->in_part);
	CHECK(strlen(name) <= m->lim->max_name);
	CHECK(utf8_valid(name, strlen(name)));
	CHECK((filename == NULL) == (ctype == NULL));
	if (filename)
		CHECK(utf8_valid(filename, strlen(filename)));
	m->in_part = 1;
	m->is_file = filename != NULL;
	m->value_len = 0;
	buf_printf(&m->log, "B%s|%s|%s\n", name, filename ? filename : "-",
		   ctype ? ctype : "-");
	return 0;
}

static int
mp_data(void *arg, const char *d, size_t n)
{
	struct mlog *m = arg;

	CHECK(m->in_part && n > 0);
	m->value_len += n;
	if (!m->is_file) {
		CHECK(m->value_len <= m->lim->max_value);
		CHECK(utf8_valid(d, n));
	}
	buf_put(&m->log, d, n);
	return 0;
}

static int
mp_end(void *arg)
{
	struct mlog *m = arg;

	CHECK(m->in_part);
	m->in_part = 0;
	buf_puts(&m->log, "\nE\n");
	return 0;
}

static const struct multipart_cb mlog_cb = {mp_begin, mp_data, mp_end};

/*
 * Feeds body to a fresh parser in chunks whose sizes come from sched
 * (cycled; 0 entries mean one byte); all at once when nsched is 0.
 * Returns the result, the events in m->log.
 */
static enum form_err
mp_run(const char *boundary, const struct form_limits *lim,
       const char *body, size_t n, const uint8_t *sched, size_t nsched,
       struct mlog *m)
{
	struct multipart *mp = multipart_new(boundary, lim, &mlog_cb, m);
	enum form_err err = FORM_OK;
	size_t off = 0, k = 0;

	CHECK(mp != NULL);
	while (off < n && err == FORM_OK) {
		size_t c = nsched ? sched[k++ % nsched] : n;

		if (c == 0)
			c = 1;
		if (c > n - off)
			c = n - off;
		err = multipart_feed(mp, body + off, c);
		off += c;
	}
	if (err == FORM_OK)
		err = multipart_finish(mp);
	else
		CHECK(multipart_finish(mp) == err);
	multipart_free(mp);
	return err;
}

static void
fuzz_multipart(const uint8_t *data, size_t size)
{
	static const char *const boundaries[] = {
		"b", "XyZ", "----WebKitFormBoundary7MA4YWxkTrZu0gW",
		"--", "a'()+_,-./:=? z",
	};
	struct form_limits lim = limits(&data, &size);
	const char *boundary = boundaries[take(&data, &size) %
					  ARRAY_LEN(boundaries)];
	size_t nsched = take(&data, &size) % 8;
	const uint8_t *sched = data;
	const char *body;
	struct mlog whole = {BUF_INIT, &lim, 0, 0, 0};
	struct mlog chunked = {BUF_INIT, &lim, 0, 0, 0};
	struct mlog bytes = {BUF_INIT, &lim, 0, 0, 0};
	enum form_err e1, e2, e3;
	uint8_t one = 1;

	if (nsched > size)
		nsched = size;
	data += nsched;
	size -= nsched;
	body = (const char *)data;
	lim.max_fields += 1; /* let most inputs reach a part body */
	lim.max_name += 16;

	e1 = mp_run(boundary, &lim, body, size, NULL, 0, &whole);
	e2 = mp_run(boundary, &lim, body, size, sched, nsched, &chunked);
	e3 = mp_run(boundary, &lim, body, size, &one, 1, &bytes);
	CHECK(e1 == e2 && e1 == e3);
	CHECK(whole.log.len == chunked.log.len &&
	      whole.log.len == bytes.log.len);
	if (whole.log.len > 0) {
		CHECK(memcmp(whole.log.data, chunked.log.data,
			     whole.log.len) == 0);
		CHECK(memcmp(whole.log.data, bytes.log.data,
			     whole.log.len) == 0);
	}
	if (e1 == FORM_OK)
		CHECK(!whole.in_part);
	CHECK(form_strerror(e1) != NULL);
	buf_free(&whole.log);
	buf_free(&chunked.log);
	buf_free(&bytes.log);
}

/* ---- mode 3: validators ---- */

static const char *const choices[] = {"general", "special", "roster", "",
				      NULL};

static void
fuzz_validate(const uint8_t *data, size_t size)
{
	unsigned a = take(&data, &size), b = take(&data, &size);
	struct field f;
	struct value v, again;
	const char *msg, *msg2;
	const char *raw = (const char *)data;
	int r;

	memset(&f, 0, sizeof(f));
	f.name = "f";
	f.label = "Field";
	f.type = (enum field_type)(a % (FT_PASSWORD + 1)); /* the last type */
	f.flags = (a >> 4) & 3;
	f.maxlen = (b & 0x80) ? 0 : b;
	f.choices = choices;
	if (b & 0x40) {
		f.min = -(int64_t)(b & 0x0f) * 1000;
		f.max = (int64_t)(b & 0x30) * 100;
	}
	r = validate_field(&f, size ? raw : NULL, size, &v, &msg);
	if (r != 0) {
		CHECK(r == -1 && msg != NULL && *msg != '\0');
		CHECK(!v.present && v.str == NULL);
		return;
	}
	CHECK(msg == NULL);
	if (!v.present) {
		CHECK(v.str == NULL);
		CHECK(!(f.flags & FIELD_REQUIRED));
		return;
	}
	CHECK(v.str != NULL);
	if (f.type != FT_FILE) {
		size_t len = strlen(v.str);
		size_t max = f.maxlen ? f.maxlen
			   : f.type == FT_TEXTAREA ? 20000 : 200;

		CHECK(utf8_valid(v.str, len));
		if (f.type == FT_TEXT || f.type == FT_TEXTAREA ||
		    f.type == FT_SLUG)
			CHECK(len <= max);
		if (f.type == FT_EMAIL)
			CHECK(len <= 254 && valid_email(v.str, len));
		if (f.type == FT_URL)
			CHECK(valid_http_url(v.str, len));
		if (f.type == FT_DATE)
			CHECK(valid_date(v.str, len, NULL, NULL, NULL));
		if (f.type == FT_SLUG)
			CHECK(valid_slug(v.str, len));
		if (f.type == FT_COUNTRY)
			CHECK(valid_country(v.str, len) && v.str[0] <= 'Z' &&
			      v.str[1] <= 'Z');
		if (f.type == FT_MONEY)
			CHECK(v.num >= 0 && v.num <= VALIDATE_MONEY_MAX &&
			      len >= 4 && v.str[len - 3] == '.');
		if (f.type == FT_PASSWORD) /* exactly as typed */
			CHECK(len == size && memcmp(v.str, raw, size) == 0);
		/* normalising is idempotent */
		CHECK(validate_field(&f, v.str, len, &again, &msg2) == 0);
		CHECK(again.present && strcmp(again.str, v.str) == 0);
		CHECK(again.num == v.num);
		value_clear(&again);
	}
	value_clear(&v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned mode = take(&data, &size) % 4;

#ifdef FUZZ_FORM_MODE
	mode = FUZZ_FORM_MODE; /* the byte is still taken: seeds fit both */
#endif

	switch (mode) {
	case 0:
		fuzz_urlencoded(data, size);
		break;
	case 1:
		fuzz_header(data, size);
		break;
	case 2:
		fuzz_multipart(data, size);
		break;
	default:
		fuzz_validate(data, size);
		break;
	}
	return 0;
}
