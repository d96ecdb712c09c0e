/*
 * form.c -- the parsers of what a client sends (see form.h): query strings
 * and urlencoded bodies, Content-Type style header parameters, and
 * multipart/form-data bodies as a stream.
 *
 * Nothing here does I/O and every input is bounded by struct form_limits, so
 * the HTTP layer can hand these functions raw bytes from the network.  Each
 * parser answers with an enum form_err that the HTTP layer turns into a 400
 * or 413 with form_strerror() as the sentence.
 *
 * The multipart parser is a small state machine fed chunks of any size.  It
 * looks for the delimiter (CRLF "--" boundary) with memmem() over each chunk
 * and keeps at most one delimiter's worth of bytes between chunks, so a
 * boundary split anywhere across two feeds is still found.  Part headers are
 * collected in a fixed buffer of MULTIPART_HEADER_MAX bytes; non-file values
 * are collected up to max_value and handed over whole; file bodies stream
 * straight through to the caller.
 *
 * What callers can rely on, beyond form.h:
 *  - limits are taken literally (a max_fields of 0 allows no field);
 *  - form_parse_urlencoded() returns FORM_OK when its callback stops it;
 *  - form_header_param() answers -1 for a malformed header (anywhere in
 *    it, not only around the parameter) and for a repeated parameter;
 *  - multipart: a non-file part's value is checked for UTF-8 and handed to
 *    part_data in one call (none when empty), NUL-terminated; a file part
 *    (one with filename=, or only filename*=, which gives filename "") gets
 *    content_type "application/octet-stream" when it names none; a
 *    non-file part's Content-Type is ignored; names and filenames are
 *    passed as sent (browsers %-encode '"' and newlines in them; that is
 *    not undone); after an error part_end is not called for the open part,
 *    so the caller cleans up what part_begin set up.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memmem(), when not built by the Makefile */
#endif

#include "form.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "util.h"

/* Bytes allowed in the header block of one part (its lines and the blank
 * line that ends them). */
#define MULTIPART_HEADER_MAX 8192

/* RFC 2046: a boundary has 1 to 70 characters. */
#define MULTIPART_BOUNDARY_MAX 70

/* The media type given to a file part that names none (RFC 7578, 4.4). */
#define MULTIPART_DEFAULT_FILE_TYPE "application/octet-stream"

const char *
form_strerror(enum form_err e)
{
	switch (e) {
	case FORM_OK:
		return "no error";
	case FORM_TOO_MANY_FIELDS:
		return N_("The form has too many fields.");
	case FORM_NAME_TOO_LONG:
		return N_("A field name in the form is too long.");
	case FORM_VALUE_TOO_LONG:
		return N_("A field value in the form is too long.");
	case FORM_BAD_ENCODING:
		/* xgettext:no-c-format */
		return N_("The form contains a badly encoded field "
			  "(a bad %-escape, or text that is not UTF-8).");
	case FORM_BAD_MULTIPART:
		return N_("The uploaded form data is malformed.");
	}
	return N_("The form could not be read.");
}

/* ---- small character helpers (ASCII only, independent of the locale) ---- */

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int
lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

/* 1 when a[0..n) equals b[0..n) ignoring ASCII case. */
static int
ascii_caseeq(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
			return 0;
	return 1;
}

/* RFC 9110 tchar: the characters of a token. */
static int
is_tchar(int c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static int
is_ows(int c)
{
	return c == ' ' || c == '\t';
}

/* ---- application/x-www-form-urlencoded ---- */

long
form_percent_decode(const char *s, size_t n, char *out, int plus_is_space)
{
	size_t i = 0, o = 0;

	while (i < n) {
		const char *pct;
		size_t run;
		int hi, lo;

		/* copy the run up to the next '%' in one go */
		pct = memchr(s + i, '%', n - i);
		run = (pct ? (size_t)(pct - s) : n) - i;
		memcpy(out + o, s + i, run);
		if (plus_is_space)
			for (size_t k = o; k < o + run; k++)
				if (out[k] == '+')
					out[k] = ' ';
		o += run;
		i += run;
		if (pct == NULL)
			break;
		if (n - i < 3)
			return -1;
		hi = hexval((unsigned char)s[i + 1]);
		lo = hexval((unsigned char)s[i + 2]);
		if (hi < 0 || lo < 0)
			return -1;
		out[o++] = (char)(hi << 4 | lo);
		i += 3;
	}
	out[o] = '\0';
	return (long)o;
}

/*
 * Decodes one name or value into out and checks it against max bytes and
 * UTF-8.  Returns FORM_OK with *len set, or too_long / FORM_BAD_ENCODING.
 */
static enum form_err
decode_component(const char *s, size_t n, char *out, size_t max,
		 enum form_err too_long, size_t *len)
{
	long r = form_percent_decode(s, n, out, 1);

	if (r < 0)
		return FORM_BAD_ENCODING;
	if ((size_t)r > max)
		return too_long;
	if (!utf8_valid(out, (size_t)r))
		return FORM_BAD_ENCODING;
	*len = (size_t)r;
	return FORM_OK;
}

/*
 * Splits s[0..n) on '&', then each pair on its first '='.  One scratch
 * buffer of n+2 bytes holds the decoded name and value of the current pair
 * (decoding never grows a string).  When cb returns non-zero the parse stops
 * and FORM_OK is returned: stopping is the caller's choice, not an error.
 */
enum form_err
form_parse_urlencoded(const char *s, size_t n, const struct form_limits *lim,
		      form_field_cb cb, void *arg)
{
	enum form_err err = FORM_OK;
	size_t i = 0, fields = 0;
	char *scratch;

	assert(lim != NULL && cb != NULL);
	if (n == 0)
		return FORM_OK;
	scratch = xmalloc(n + 2);
	while (i < n) {
		const char *pair = s + i, *amp, *eq;
		size_t plen, nlen_raw, nlen, vlen;
		char *name, *value;

		amp = memchr(pair, '&', n - i);
		plen = amp ? (size_t)(amp - pair) : n - i;
		i += plen + 1;
		if (plen == 0)
			continue;
		if (++fields > lim->max_fields) {
			err = FORM_TOO_MANY_FIELDS;
			break;
		}
		eq = memchr(pair, '=', plen);
		nlen_raw = eq ? (size_t)(eq - pair) : plen;
		name = scratch;
		err = decode_component(pair, nlen_raw, name, lim->max_name,
				       FORM_NAME_TOO_LONG, &nlen);
		if (err != FORM_OK)
			break;
		value = name + nlen + 1;
		if (eq) {
			err = decode_component(eq + 1, plen - nlen_raw - 1,
					       value, lim->max_value,
					       FORM_VALUE_TOO_LONG, &vlen);
			if (err != FORM_OK)
				break;
		} else {
			value[0] = '\0';
			vlen = 0;
		}
		if (cb(arg, name, nlen, value, vlen) != 0)
			break;
	}
	free(scratch);
	return err;
}

/* ---- header parameters (RFC 9110 5.6.6, RFC 6266, RFC 7578) ---- */

/* param_find results besides a length */
#define PARAM_ABSENT    (-1)
#define PARAM_MALFORMED (-2)

/*
 * Copies the quoted-string starting at s (on its opening quote) into out
 * with quoted-pairs resolved.  *endp is set past the closing quote.
 * Returns the length, or PARAM_MALFORMED when it is unterminated, holds a
 * control character, or does not fit outlen bytes with the NUL.  out may be
 * NULL to only check the syntax.
 */
static long
unquote(const char *s, const char **endp, char *out, size_t outlen)
{
	size_t o = 0;

	assert(*s == '"');
	for (s++;; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"')
			break;
		if (c == '\\') {
			c = (unsigned char)*++s;
			if (c == '\0')
				return PARAM_MALFORMED;
		}
		/* qdtext and quoted-pair allow HTAB, SP, VCHAR, obs-text */
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return PARAM_MALFORMED;
		if (out) {
			if (o + 1 >= outlen)
				return PARAM_MALFORMED;
			out[o] = (char)c;
		}
		o++;
	}
	if (out)
		out[o] = '\0';
	*endp = s + 1;
	return (long)o;
}

/*
 * Finds parameter param (ASCII case-insensitive) in a header value shaped
 * like  type[/subtype] *( OWS ";" OWS name OWS "=" OWS value )  where value
 * is a token or a quoted-string, and copies its unquoted value into out.
 * The whole header is checked: a syntax error anywhere, a repeated param, or
 * a value that does not fit outlen is PARAM_MALFORMED, so that a sloppy
 * header can never be read two ways.  Returns the value's length,
 * PARAM_ABSENT or PARAM_MALFORMED.
 */
static long
param_find(const char *h, const char *param, char *out, size_t outlen)
{
	size_t plen = strlen(param);
	long found = PARAM_ABSENT;
	const char *s = h;

	/* the media type or disposition type */
	while (is_ows((unsigned char)*s))
		s++;
	if (!is_tchar((unsigned char)*s))
		return PARAM_MALFORMED;
	while (is_tchar((unsigned char)*s))
		s++;
	if (*s == '/') {
		s++;
		if (!is_tchar((unsigned char)*s))
			return PARAM_MALFORMED;
		while (is_tchar((unsigned char)*s))
			s++;
	}
	for (;;) {
		const char *name;
		size_t nlen;
		int match;
		long vlen;

		while (is_ows((unsigned char)*s))
			s++;
		if (*s == '\0')
			break;
		if (*s != ';')
			return PARAM_MALFORMED;
		s++;
		while (is_ows((unsigned char)*s) || *s == ';')
			s++;
		if (*s == '\0')
			break; /* a trailing ';' is tolerated */
		name = s;
		while (is_tchar((unsigned char)*s))
			s++;
		nlen = (size_t)(s - name);
		if (nlen == 0)
			return PARAM_MALFORMED;
		while (is_ows((unsigned char)*s))
			s++;
		if (*s != '=')
			return PARAM_MALFORMED;
		s++;
		while (is_ows((unsigned char)*s))
			s++;
		match = nlen == plen && ascii_caseeq(name, param, plen);
		if (match && found != PARAM_ABSENT)
			return PARAM_MALFORMED; /* repeated */
		if (*s == '"') {
			vlen = unquote(s, &s, match ? out : NULL, outlen);
			if (vlen < 0)
				return PARAM_MALFORMED;
		} else {
			const char *v = s;

			while (is_tchar((unsigned char)*s))
				s++;
			vlen = (long)(s - v);
			if (vlen == 0)
				return PARAM_MALFORMED;
			if (match) {
				if ((size_t)vlen + 1 > outlen)
					return PARAM_MALFORMED;
				memcpy(out, v, (size_t)vlen);
				out[vlen] = '\0';
			}
		}
		if (match)
			found = vlen;
	}
	return found;
}

long
form_header_param(const char *header, const char *param, char *out,
		  size_t outlen)
{
	long r;

	if (header == NULL || param == NULL || out == NULL || outlen == 0)
		return -1;
	r = param_find(header, param, out, outlen);
	return r < 0 ? -1 : r;
}

int
form_media_type_is(const char *header, const char *type)
{
	const char *s, *e;
	size_t tlen;

	if (header == NULL || type == NULL)
		return 0;
	s = header;
	while (is_ows((unsigned char)*s))
		s++;
	e = strchr(s, ';');
	if (e == NULL)
		e = s + strlen(s);
	while (e > s && is_ows((unsigned char)e[-1]))
		e--;
	tlen = strlen(type);
	return (size_t)(e - s) == tlen && ascii_caseeq(s, type, tlen);
}

/* ---- multipart/form-data (RFC 7578 on RFC 2046 5.1) ---- */

enum mp_state {
	MP_PREAMBLE,   /* discarding bytes until the first delimiter */
	MP_DELIM_TAIL, /* just after a delimiter: "--", padding or CRLF */
	MP_PADDING,    /* transport padding (SP / HT) before the CRLF */
	MP_DELIM_LF,   /* saw CR after a delimiter, want LF */
	MP_CLOSE_DASH, /* saw one '-' after a delimiter, want another */
	MP_HEADERS,    /* collecting a part's header block */
	MP_BODY,       /* a part's body, until the next delimiter */
	MP_EPILOGUE,   /* after the close delimiter: everything ignored */
	MP_FAILED,     /* an error was returned; nothing more is accepted */
};

struct multipart {
	struct multipart_cb cb; /* a copy; a NULL callback is skipped */
	void *arg;
	struct form_limits lim;
	enum mp_state state;
	enum form_err err;       /* when MP_FAILED */
	size_t parts;            /* parts begun so far */
	int is_file;             /* the current part has a filename */
	struct buf value;        /* the current non-file part's value */

	char delim[4 + MULTIPART_BOUNDARY_MAX + 1]; /* CRLF "--" boundary */
	size_t dlen;
	/* A tail of the previous chunk that is a proper prefix of delim.
	 * As CR occurs in delim only at its start, a carry that turns out not
	 * to be a delimiter holds no other candidate and is plain data. */
	char carry[4 + MULTIPART_BOUNDARY_MAX];
	size_t clen;

	/* header block, prefixed with the CRLF that ended the delimiter line
	 * so that every header line starts with CRLF and the block ends at
	 * the first CRLF CRLF */
	char head[2 + MULTIPART_HEADER_MAX];
	size_t hlen;
	/* the unquoted name and filename, NUL-separated; as they are
	 * disjoint pieces of the header block they always fit */
	char vals[MULTIPART_HEADER_MAX + 3];
};

/* RFC 2046 bchars (the last one may not be a space). */
static int
is_bchar(int c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("'()+_,-./:=? ", c) != NULL;
}

/*
 * Makes a parser for one body.  Returns NULL when the boundary is empty,
 * longer than 70 bytes, holds a character RFC 2046 does not allow in a
 * boundary, or ends with a space.  The caller frees the parser with
 * multipart_free(); cb and lim are copied, arg is passed through.
 */
struct multipart *
multipart_new(const char *boundary, const struct form_limits *lim,
	      const struct multipart_cb *cb, void *arg)
{
	struct multipart *mp;
	size_t blen;

	assert(lim != NULL && cb != NULL);
	if (boundary == NULL)
		return NULL;
	blen = strlen(boundary);
	if (blen == 0 || blen > MULTIPART_BOUNDARY_MAX ||
	    boundary[blen - 1] == ' ')
		return NULL;
	for (size_t i = 0; i < blen; i++)
		if (!is_bchar((unsigned char)boundary[i]))
			return NULL;
	mp = xcalloc(1, sizeof(*mp));
	mp->cb = *cb;
	mp->arg = arg;
	mp->lim = *lim;
	mp->state = MP_PREAMBLE;
	memcpy(mp->delim, "\r\n--", 4);
	memcpy(mp->delim + 4, boundary, blen);
	mp->dlen = 4 + blen;
	/* the first delimiter may open the body without a CRLF before it:
	 * start as though one had just been seen */
	memcpy(mp->carry, "\r\n", 2);
	mp->clen = 2;
	return mp;
}

void
multipart_free(struct multipart *mp)
{
	if (mp == NULL)
		return;
	buf_free(&mp->value);
	free(mp);
}

/* Enters MP_FAILED with err and returns it. */
static enum form_err
mp_fail(struct multipart *mp, enum form_err err)
{
	mp->state = MP_FAILED;
	mp->err = err;
	return err;
}

/* Bytes of the current body (or of the preamble, which are dropped). */
static enum form_err
mp_emit(struct multipart *mp, const char *d, size_t n)
{
	if (n == 0 || mp->state != MP_BODY)
		return FORM_OK;
	if (mp->is_file) {
		if (mp->cb.part_data && mp->cb.part_data(mp->arg, d, n) != 0)
			return FORM_BAD_MULTIPART;
		return FORM_OK;
	}
	if (n > mp->lim.max_value - mp->value.len)
		return FORM_VALUE_TOO_LONG;
	buf_put(&mp->value, d, n);
	return FORM_OK;
}

/*
 * Scans d[0..n) for the delimiter, emitting what precedes it.  Sets *used to
 * the bytes consumed and *found when the delimiter was completed (its bytes
 * included in *used).  Returns FORM_OK or the error of mp_emit.
 */
static enum form_err
mp_scan(struct multipart *mp, const char *d, size_t n, size_t *used,
	int *found)
{
	const char *hit, *r;
	size_t start, tail;
	enum form_err err;

	*found = 0;
	if (mp->clen > 0) {
		size_t need = mp->dlen - mp->clen;
		size_t m = n < need ? n : need;

		if (memcmp(d, mp->delim + mp->clen, m) == 0) {
			if (m == need) {
				mp->clen = 0;
				*used = m;
				*found = 1;
				return FORM_OK;
			}
			memcpy(mp->carry + mp->clen, d, n); /* m == n */
			mp->clen += n;
			*used = n;
			return FORM_OK;
		}
		err = mp_emit(mp, mp->carry, mp->clen);
		mp->clen = 0;
		if (err != FORM_OK)
			return err;
	}
	hit = memmem(d, n, mp->delim, mp->dlen);
	if (hit != NULL) {
		*used = (size_t)(hit - d) + mp->dlen;
		*found = 1;
		return mp_emit(mp, d, (size_t)(hit - d));
	}
	/* keep a tail that may be the start of a delimiter */
	start = n > mp->dlen - 1 ? n - (mp->dlen - 1) : 0;
	r = memchr(d + start, '\r', n - start);
	while (r != NULL && memcmp(r, mp->delim, (size_t)(d + n - r)) != 0)
		r = memchr(r + 1, '\r', (size_t)(d + n - r - 1));
	tail = r ? (size_t)(r - d) : n;
	err = mp_emit(mp, d, tail);
	if (err != FORM_OK)
		return err;
	memcpy(mp->carry, d + tail, n - tail);
	mp->clen = n - tail;
	*used = n;
	return FORM_OK;
}

/*
 * Reads the header block head[2..end) (header lines, each ending in CRLF)
 * of the current part: Content-Disposition must be form-data with a name;
 * a filename makes it a file part; Content-Type is kept for files.  Other
 * headers are ignored; repeated known headers, folded lines, lines without
 * a colon and control characters are errors.  Calls part_begin.
 */
static enum form_err
mp_parse_headers(struct multipart *mp, size_t end)
{
	char *disp = NULL, *ctype = NULL, *name, *filename = NULL;
	char *line = mp->head + 2, *stop = mp->head + end;
	size_t left = sizeof(mp->vals);
	long nlen, flen;

	while (line < stop) {
		char *eol = memmem(line, (size_t)(stop - line), "\r\n", 2);
		char *colon, *v, *ve;

		assert(eol != NULL); /* the block ends in CRLF */
		for (char *c = line; c < eol; c++)
			if (((unsigned char)*c < 0x20 && *c != '\t') ||
			    *c == 0x7f)
				return FORM_BAD_MULTIPART;
		colon = memchr(line, ':', (size_t)(eol - line));
		if (colon == NULL || colon == line)
			return FORM_BAD_MULTIPART;
		for (char *c = line; c < colon; c++)
			if (!is_tchar((unsigned char)*c))
				return FORM_BAD_MULTIPART;
		v = colon + 1;
		while (v < eol && is_ows((unsigned char)*v))
			v++;
		ve = eol;
		while (ve > v && is_ows((unsigned char)ve[-1]))
			ve--;
		*ve = '\0';
		if (colon - line == 19 &&
		    ascii_caseeq(line, "Content-Disposition", 19)) {
			if (disp)
				return FORM_BAD_MULTIPART;
			disp = v;
		} else if (colon - line == 12 &&
			   ascii_caseeq(line, "Content-Type", 12)) {
			if (ctype)
				return FORM_BAD_MULTIPART;
			ctype = v;
		}
		line = eol + 2;
	}
	if (disp == NULL || !form_media_type_is(disp, "form-data"))
		return FORM_BAD_MULTIPART;
	name = mp->vals;
	nlen = param_find(disp, "name", name, left);
	if (nlen < 0)
		return FORM_BAD_MULTIPART;
	left -= (size_t)nlen + 1;
	if ((size_t)nlen > mp->lim.max_name)
		return FORM_NAME_TOO_LONG;
	if (!utf8_valid(name, (size_t)nlen))
		return FORM_BAD_ENCODING;
	filename = name + nlen + 1;
	flen = param_find(disp, "filename", filename, left);
	if (flen == PARAM_MALFORMED)
		return FORM_BAD_MULTIPART;
	if (flen == PARAM_ABSENT) {
		/* only the RFC 5987 form (which RFC 7578 forbids): still a
		 * file, with its name ignored */
		long xlen = param_find(disp, "filename*", filename, left);

		if (xlen == PARAM_MALFORMED)
			return FORM_BAD_MULTIPART;
		if (xlen >= 0) {
			filename[0] = '\0';
			flen = 0;
		}
	}
	if (flen == PARAM_ABSENT) {
		filename = NULL;
		ctype = NULL;
	} else {
		if (!utf8_valid(filename, (size_t)flen))
			return FORM_BAD_ENCODING;
		if (ctype == NULL || *ctype == '\0')
			ctype = MULTIPART_DEFAULT_FILE_TYPE;
	}
	if (++mp->parts > mp->lim.max_fields)
		return FORM_TOO_MANY_FIELDS;
	mp->is_file = filename != NULL;
	buf_reset(&mp->value);
	if (mp->cb.part_begin &&
	    mp->cb.part_begin(mp->arg, name, filename, ctype) != 0)
		return FORM_BAD_MULTIPART;
	return FORM_OK;
}

/* The current part's body ended: hands over a non-file value and ends the
 * part. */
static enum form_err
mp_end_part(struct multipart *mp)
{
	if (!mp->is_file) {
		if (!utf8_valid(mp->value.data, mp->value.len))
			return FORM_BAD_ENCODING;
		if (mp->value.len > 0 && mp->cb.part_data &&
		    mp->cb.part_data(mp->arg, mp->value.data,
				      mp->value.len) != 0)
			return FORM_BAD_MULTIPART;
	}
	if (mp->cb.part_end && mp->cb.part_end(mp->arg) != 0)
		return FORM_BAD_MULTIPART;
	return FORM_OK;
}

/*
 * Collects header bytes from d[0..n) into head until the blank line, then
 * parses them.  Sets *used to the bytes taken from d.
 */
static enum form_err
mp_headers(struct multipart *mp, const char *d, size_t n, size_t *used)
{
	size_t room = sizeof(mp->head) - mp->hlen;
	size_t take = n < room ? n : room;
	size_t from = mp->hlen > 3 ? mp->hlen - 3 : 0;
	char *hit;

	memcpy(mp->head + mp->hlen, d, take);
	mp->hlen += take;
	hit = memmem(mp->head + from, mp->hlen - from, "\r\n\r\n", 4);
	if (hit == NULL) {
		if (mp->hlen == sizeof(mp->head))
			return FORM_BAD_MULTIPART;
		*used = take;
		return FORM_OK;
	}
	/* bytes of this chunk up to and including the blank line */
	*used = (size_t)(hit + 4 - mp->head) - (mp->hlen - take);
	mp->state = MP_BODY;
	return mp_parse_headers(mp, (size_t)(hit + 2 - mp->head));
}

/*
 * Feeds the next n bytes.  The states that follow a delimiter look at one
 * byte at a time, but only for the handful of bytes that end a delimiter
 * line; bodies and headers go through memmem().
 */
enum form_err
multipart_feed(struct multipart *mp, const char *data, size_t n)
{
	size_t p = 0;

	while (p < n) {
		enum form_err err = FORM_OK;
		size_t used = 0;
		int found;
		char c;

		switch (mp->state) {
		case MP_FAILED:
			return mp->err;
		case MP_EPILOGUE:
			return FORM_OK;
		case MP_PREAMBLE:
		case MP_BODY:
			err = mp_scan(mp, data + p, n - p, &used, &found);
			if (err != FORM_OK)
				return mp_fail(mp, err);
			p += used;
			if (!found)
				break;
			if (mp->state == MP_BODY &&
			    (err = mp_end_part(mp)) != FORM_OK)
				return mp_fail(mp, err);
			mp->state = MP_DELIM_TAIL;
			break;
		case MP_HEADERS:
			err = mp_headers(mp, data + p, n - p, &used);
			if (err != FORM_OK)
				return mp_fail(mp, err);
			p += used;
			break;
		case MP_DELIM_TAIL:
		case MP_PADDING:
			c = data[p++];
			if (c == '-' && mp->state == MP_DELIM_TAIL)
				mp->state = MP_CLOSE_DASH;
			else if (is_ows((unsigned char)c))
				mp->state = MP_PADDING;
			else if (c == '\r')
				mp->state = MP_DELIM_LF;
			else
				return mp_fail(mp, FORM_BAD_MULTIPART);
			break;
		case MP_DELIM_LF:
			if (data[p++] != '\n')
				return mp_fail(mp, FORM_BAD_MULTIPART);
			memcpy(mp->head, "\r\n", 2);
			mp->hlen = 2;
			mp->state = MP_HEADERS;
			break;
		case MP_CLOSE_DASH:
			if (data[p++] != '-')
				return mp_fail(mp, FORM_BAD_MULTIPART);
			mp->state = MP_EPILOGUE;
			break;
		}
	}
	return mp->state == MP_FAILED ? mp->err : FORM_OK;
}

enum form_err
multipart_finish(struct multipart *mp)
{
	if (mp->state == MP_FAILED)
		return mp->err;
	if (mp->state != MP_EPILOGUE)
		return mp_fail(mp, FORM_BAD_MULTIPART);
	return FORM_OK;
}
