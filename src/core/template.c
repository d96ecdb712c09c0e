/*
 * template.c -- compiles templates (see template.h) into op lists and
 * renders them.
 *
 * Compiling walks the source once.  The literal text between {{...}} tags
 * is fed, byte by byte, to a small HTML tokenizer (struct hctx and
 * html_step) that follows the states of the HTML5 tokenizer closely enough
 * to know, at every tag, whether an insertion would land in text, in a
 * quoted attribute value (and of which kind), or somewhere no escaping is
 * safe -- the last is a compile error.  Each insertion becomes an OP_VALUE
 * that carries the escaper for its place, so rendering never thinks about
 * HTML: it walks the ops, looks values up in a chain of contexts that lives
 * on the C stack, and appends to the caller's buf.  Path segments are split
 * and NUL-terminated at compile time (an all-digit segment also indexes an
 * array: "results.0"); the only allocation while rendering is the growth
 * of the output buffer.  Rendering only reads the set, so threads may
 * share one that is no longer being added to.
 *
 * Sections branch: a body runs zero, one or many times, so the context
 * where it closes must agree with the one where it opened (hctx_join).
 * Inside a tag, "<option {{#sel}}selected{{/sel}}>" is allowed through the
 * JOINED states, which accept only a space, '/' or '>' next: an '=' would
 * give its value to an attribute that may not be there.  In URL attribute
 * values three flags follow the scheme (URL_START, URL_OPEN, URL_SETTLED)
 * so that no insertion can help form "javascript:" -- see url_literal.
 *
 * Known limits: SVG and MathML content is tokenized as HTML; "<!" inside
 * <script> and '<' inside <title>/<textarea> are refused rather than
 * modelled; there is no way to write a literal "{{".
 */
#include "template.h"

#include <assert.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

#define MAX_PARTIAL_DEPTH 32 /* template.h promises this */
#define MAX_SECTION_DEPTH 64 /* bounds the C recursion of rendering */
#define NAME_KEEP 16	     /* bytes of a tag or attribute name we keep */

/* ---- the HTML context ------------------------------------------------ */

enum hstate {
	H_TEXT,		  /* HTML text */
	H_RCDATA,	  /* inside <title> or <textarea> */
	H_RAWTEXT,	  /* inside <script>, <style>, <iframe>, ... */
	H_LT,		  /* read '<' in text */
	H_LT_SLASH,	  /* read "</" */
	H_MARKUP,	  /* read "<!", maybe "<!-" */
	H_COMMENT,	  /* inside <!-- --> */
	H_BOGUS,	  /* inside <!doctype ...>, <?...> or "</ ..." */
	H_TAG_NAME,	  /* reading a tag name */
	H_BEFORE_ATTR,	  /* in a tag, before an attribute name */
	H_ATTR_NAME,	  /* reading an attribute name */
	H_AFTER_ATTR,	  /* after a name, maybe before '=' */
	H_BEFORE_VALUE,	  /* after '=' */
	H_VALUE_DQ,	  /* in a "value" */
	H_VALUE_SQ,	  /* in a 'value' */
	H_VALUE_UNQ,	  /* in an unquoted value */
	H_JOINED,	  /* in a tag after a section that may hold a name */
	H_JOINED_SPACED,  /* the same, after a space */
};

/* Elements whose content is not markup; the RCDATA ones come last. */
enum elem { EL_NONE, EL_SCRIPT, EL_STYLE, EL_XMP, EL_IFRAME, EL_NOEMBED,
	    EL_NOFRAMES, EL_TITLE, EL_TEXTAREA };
static const char *const elem_names[] = {
	"", "script", "style", "xmp", "iframe", "noembed", "noframes",
	"title", "textarea"};

enum attr { AT_PLAIN, AT_URL, AT_EVENT, AT_STYLE, AT_BANNED };

/* Flags of a URL attribute value read so far. */
enum {
	URL_START = 1,	 /* nothing but spaces yet: an insertion is the URL */
	URL_OPEN = 2,	 /* data came before the scheme was settled */
	URL_SETTLED = 4, /* the literal held ':', '/', '?' or '#' */
};

struct hctx {
	enum hstate state;
	enum elem elem;		/* element of the tag, or the one we are in */
	enum attr attr;		/* kind of the value being read */
	unsigned char end_tag;	/* the tag being read is an end tag */
	unsigned char match;	/* progress through "</name"; dashes seen */
	unsigned char url;	/* URL_* flags */
	unsigned char namelen;	/* saturates at NAME_KEEP + 1 */
	char name[NAME_KEEP];	/* tag or attribute name, lower case */
};

/* ---- compiled templates ---------------------------------------------- */

enum path_kind { P_DOT, P_NAMES, P_INDEX, P_NUMBER, P_FIRST, P_LAST };

/* One name of a path; "0", "12" also index arrays ("results.0"). */
struct seg {
	const char *name; /* NUL-terminated */
	size_t index;	  /* its value when all digits, else SIZE_MAX */
};

struct path {
	enum path_kind kind;
	size_t nseg;
	struct seg *seg; /* P_NAMES: the segments, then their names */
};

enum op_kind { OP_TEXT, OP_VALUE, OP_SECTION, OP_INVERTED, OP_PARTIAL };
enum esc { ESC_HTML, ESC_URL_ATTR, ESC_URL_PART, ESC_RAW };

struct op {
	enum op_kind kind;
	enum esc esc;	  /* OP_VALUE */
	const char *text; /* OP_TEXT: into tmpl.src; OP_PARTIAL: owned name */
	size_t len;	  /* OP_TEXT */
	size_t end;	  /* sections: index of the op after the body */
	struct path path; /* OP_VALUE and sections */
};

struct tmpl {
	char *name;
	char *src;
	struct op *ops;
	size_t nops, cap;
};

struct tmpl_set {
	struct tmpl **v; /* sorted by name */
	size_t n, cap;
};

struct open_section {
	size_t op, at;	  /* its op, and where its tag starts in src */
	const char *path; /* as written, for matching the close */
	size_t pathlen;
	struct hctx h;	  /* the context the body starts in */
};

struct compiler {
	const char *name, *src;
	size_t len;
	char *err;
	size_t errlen;
	struct tmpl *t;
	struct hctx h;
	struct open_section open[MAX_SECTION_DEPTH];
	size_t depth;
};

/*
 * Writes "name:line:col: message" to the caller's err and returns -1.
 * Line and column are counted only now, so success costs nothing.
 */
static int
fail(struct compiler *cc, size_t at, const char *fmt, ...)
{
	va_list ap;
	size_t i, line = 1, col = 1;
	int n;

	if (cc->err == NULL || cc->errlen == 0)
		return -1;
	for (i = 0; i < at && i < cc->len; i++, col++)
		if (cc->src[i] == '\n')
			line++, col = 0;
	n = snprintf(cc->err, cc->errlen, "%s:%zu:%zu: ", cc->name, line, col);
	if (n >= 0 && (size_t)n < cc->errlen) {
		va_start(ap, fmt);
		vsnprintf(cc->err + n, cc->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* The tag at src[at..end) for messages, clipped: pass as "%.*s". */
#define TAG_ARGS(cc, at, end) \
	(int)((end) - (at) > 60 ? 60 : (end) - (at)), (cc)->src + (at)

static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

static int
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static void
name_add(struct hctx *h, int c)
{
	if (h->namelen < NAME_KEEP)
		h->name[h->namelen] = (char)lower(c);
	if (h->namelen <= NAME_KEEP)
		h->namelen++;
}

static int
name_is(const struct hctx *h, const char *s)
{
	size_t n = strlen(s);

	return h->namelen == n && memcmp(h->name, s, n) == 0;
}

static int
name_in(const struct hctx *h, const char *const *list, size_t n)
{
	while (n-- > 0)
		if (name_is(h, list[n]))
			return 1;
	return 0;
}

static enum attr
attr_kind(const struct hctx *h)
{
	static const char *const url[] = {
		"href",	    "src",    "action",	  "formaction", "poster",
		"cite",	    "data",   "background", "longdesc", "manifest",
		"icon",	    "codebase", "xlink:href"};
	static const char *const banned[] = {"srcset", "imagesrcset",
					     "srcdoc"};

	if (h->namelen >= 2 && h->name[0] == 'o' && h->name[1] == 'n')
		return AT_EVENT;
	if (name_is(h, "style"))
		return AT_STYLE;
	if (name_in(h, banned, ARRAY_LEN(banned)))
		return AT_BANNED;
	if (name_in(h, url, ARRAY_LEN(url)))
		return AT_URL;
	return AT_PLAIN;
}

static void
tag_name_done(struct hctx *h)
{
	size_t i;

	h->elem = EL_NONE;
	for (i = 1; i < ARRAY_LEN(elem_names); i++)
		if (name_is(h, elem_names[i]))
			h->elem = (enum elem)i;
	h->state = H_BEFORE_ATTR;
}

/* At '>': back to text, or into the content of <script>, <title>, ... */
static void
tag_end(struct hctx *h)
{
	h->state = H_TEXT;
	if (!h->end_tag && h->elem != EL_NONE)
		h->state = h->elem >= EL_TITLE ? H_RCDATA : H_RAWTEXT;
	else
		h->elem = EL_NONE;
	h->end_tag = 0;
	h->match = 0;
	h->attr = AT_PLAIN;
	h->url = 0;
	h->namelen = 0;
}

static void
attr_start(struct hctx *h, int c)
{
	h->state = H_ATTR_NAME;
	h->namelen = 0;
	name_add(h, c);
}

static void
value_start(struct hctx *h, enum hstate state)
{
	h->state = state;
	h->attr = attr_kind(h);
	h->url = URL_START;
}

/*
 * A literal byte inside a URL value.  After an insertion whose scheme is
 * not settled, a literal ':' (or '&', which may spell one as "&#58;")
 * could complete "javascript:" from data, so it is refused.
 */
static int
url_literal(struct compiler *cc, size_t at, int c)
{
	struct hctx *h = &cc->h;

	if ((h->url & URL_START) && (unsigned char)c <= 0x20)
		return 0;
	if ((c == ':' || c == '&') && (h->url & URL_OPEN))
		return fail(cc, at,
			    "'%c' after an insertion in attribute %.*s could "
			    "complete a URL scheme such as javascript:; put a "
			    "'/', '?' or '#' before it",
			    c, (int)h->namelen, h->name);
	if (c == ':' || c == '/' || c == '?' || c == '#')
		h->url = URL_SETTLED;
	else
		h->url &= ~URL_START;
	return 0;
}

/*
 * Inside <script>, <title> and the like, only "</name" followed by a
 * space, '/' or '>' ends the element; match counts what has been seen of
 * it (1 for '<', 2 for "</", then the name).
 */
static int
raw_step(struct compiler *cc, size_t at, int c)
{
	struct hctx *h = &cc->h;
	const char *end = elem_names[h->elem];
	size_t n = strlen(end);

	if (h->match == 0) {
		h->match = c == '<';
		return 0;
	}
	if (h->match == 1 && c == '/') {
		h->match = 2;
		return 0;
	}
	if (h->match == 1 && c == '!' && h->elem == EL_SCRIPT)
		return fail(cc, at, "\"<!\" inside <script> is not supported");
	if (h->match >= 2 && h->match < 2 + n && lower(c) == end[h->match - 2]) {
		h->match++;
		return 0;
	}
	if (h->match == 2 + n && (is_space(c) || c == '/' || c == '>')) {
		h->end_tag = 1;
		h->elem = EL_NONE;
		h->match = 0;
		h->namelen = 0;
		h->state = H_BEFORE_ATTR;
		if (c == '>')
			tag_end(h);
		return 0;
	}
	if (h->state == H_RCDATA)
		return fail(cc, at, "'<' inside <%s> must be written &lt;", end);
	h->match = c == '<';
	return 0;
}

/*
 * Moves the tokenizer over one literal byte c found at src[at].  Returns
 * 0, or -1 with a message for the few constructs refused outright.
 */
static int
html_step(struct compiler *cc, size_t at, int c)
{
	struct hctx *h = &cc->h;

again:
	switch (h->state) {
	case H_TEXT:
		if (c == '<')
			h->state = H_LT;
		break;
	case H_RCDATA:
	case H_RAWTEXT:
		return raw_step(cc, at, c);
	case H_LT:
	case H_LT_SLASH:
		if (is_alpha(c)) {
			h->end_tag = h->state == H_LT_SLASH;
			h->state = H_TAG_NAME;
			h->namelen = 0;
			name_add(h, c);
		} else if (h->state == H_LT_SLASH) {
			h->state = c == '>' ? H_TEXT : H_BOGUS;
		} else if (c == '/') {
			h->state = H_LT_SLASH;
		} else if (c == '!') {
			h->state = H_MARKUP;
			h->match = 0;
		} else if (c == '?') {
			h->state = H_BOGUS;
		} else {
			h->state = H_TEXT;
			goto again;
		}
		break;
	case H_MARKUP:
		if (c == '-' && h->match == 0) {
			h->match = 1;
		} else if (c == '-') {
			h->state = H_COMMENT;
			h->match = 2; /* so "<!-->" and "<!--->" end at once */
		} else {
			h->state = H_BOGUS;
			h->match = 0;
			goto again;
		}
		break;
	case H_COMMENT:
		/* ends at "-->"; "--!>" is not modelled, which is only stricter */
		if (c == '>' && h->match >= 2) {
			h->state = H_TEXT;
			h->match = 0;
		} else {
			h->match = c == '-' ? (h->match < 2 ? h->match + 1 : 2) : 0;
		}
		break;
	case H_BOGUS:
		if (c == '>')
			h->state = H_TEXT;
		break;
	case H_TAG_NAME:
		if (is_space(c) || c == '/' || c == '>') {
			tag_name_done(h);
			if (c == '>')
				tag_end(h);
		} else {
			name_add(h, c);
		}
		break;
	case H_JOINED:
	case H_JOINED_SPACED:
		if (is_space(c)) {
			h->state = H_JOINED_SPACED;
		} else if (c == '/' || c == '>') {
			h->state = H_BEFORE_ATTR;
			goto again;
		} else if (h->state == H_JOINED || c == '=') {
			return fail(cc, at,
				    "after a section inside a tag only a "
				    "space, '/' or '>' may follow, as the "
				    "section may not render");
		} else {
			attr_start(h, c);
		}
		break;
	case H_BEFORE_ATTR:
		if (c == '>')
			tag_end(h);
		else if (!is_space(c) && c != '/')
			attr_start(h, c);
		break;
	case H_ATTR_NAME:
	case H_AFTER_ATTR:
		if (c == '>')
			tag_end(h);
		else if (c == '/')
			h->state = H_BEFORE_ATTR;
		else if (c == '=')
			h->state = H_BEFORE_VALUE;
		else if (is_space(c))
			h->state = H_AFTER_ATTR;
		else if (h->state == H_ATTR_NAME)
			name_add(h, c);
		else
			attr_start(h, c);
		break;
	case H_BEFORE_VALUE:
		if (c == '"') {
			value_start(h, H_VALUE_DQ);
		} else if (c == '\'') {
			value_start(h, H_VALUE_SQ);
		} else if (c == '>') {
			tag_end(h);
		} else if (!is_space(c)) {
			value_start(h, H_VALUE_UNQ);
			goto again;
		}
		break;
	case H_VALUE_DQ:
	case H_VALUE_SQ:
		if (c == (h->state == H_VALUE_DQ ? '"' : '\'')) {
			h->state = H_BEFORE_ATTR;
			h->attr = AT_PLAIN;
			h->url = 0;
		} else if (h->attr == AT_URL) {
			return url_literal(cc, at, c);
		}
		break;
	case H_VALUE_UNQ:
		if (c == '>') {
			tag_end(h);
		} else if (is_space(c)) {
			h->state = H_BEFORE_ATTR;
			h->attr = AT_PLAIN;
			h->url = 0;
		}
		break;
	}
	return 0;
}

/* Equal as far as anything that follows could tell. */
static int
hctx_eq(const struct hctx *a, const struct hctx *b)
{
	if (a->state != b->state || a->elem != b->elem)
		return 0;
	switch (a->state) {
	case H_RCDATA:
	case H_RAWTEXT:
	case H_MARKUP:
	case H_COMMENT:
		return a->match == b->match;
	case H_TAG_NAME:
	case H_ATTR_NAME:
	case H_AFTER_ATTR:
	case H_BEFORE_VALUE:
		return a->end_tag == b->end_tag && a->namelen == b->namelen &&
		       memcmp(a->name, b->name,
			      a->namelen < NAME_KEEP ? a->namelen
						     : NAME_KEEP) == 0;
	case H_VALUE_DQ:
	case H_VALUE_SQ:
		return a->end_tag == b->end_tag && a->attr == b->attr &&
		       a->url == b->url;
	default:
		return a->end_tag == b->end_tag;
	}
}

static int
between_attrs(enum hstate s)
{
	return s == H_BEFORE_ATTR || s == H_ATTR_NAME || s == H_AFTER_ATTR ||
	       s == H_JOINED || s == H_JOINED_SPACED;
}

/*
 * The context after a section, which continues from either a (where the
 * body starts, if it does not run) or b (where it ends).  Stores it in b
 * and returns 0, or returns -1 when no single context describes both.
 */
static int
hctx_join(const struct hctx *a, struct hctx *b)
{
	if (hctx_eq(a, b))
		return 0;
	if (a->elem != b->elem || a->end_tag != b->end_tag)
		return -1;
	if (between_attrs(a->state) && between_attrs(b->state)) {
		int spaced_a = a->state != H_ATTR_NAME && a->state != H_JOINED;
		int spaced_b = b->state != H_ATTR_NAME && b->state != H_JOINED;

		b->state = spaced_a && spaced_b ? H_JOINED_SPACED : H_JOINED;
		b->namelen = 0;
		return 0;
	}
	if ((a->state == H_VALUE_DQ || a->state == H_VALUE_SQ) &&
	    a->state == b->state && a->attr == b->attr) {
		b->url = ((a->url | b->url) & (URL_START | URL_OPEN)) |
			 (a->url & b->url & URL_SETTLED);
		return 0;
	}
	return -1;
}

/* Where h stands, for messages. */
static const char *
hctx_where(const struct hctx *h)
{
	switch (h->state) {
	case H_TEXT:
		return "in text";
	case H_RCDATA:
	case H_RAWTEXT:
		return h->match ? "inside an end tag" : "inside an element";
	case H_LT:
	case H_LT_SLASH:
	case H_TAG_NAME:
		return "inside a tag name";
	case H_MARKUP:
	case H_COMMENT:
	case H_BOGUS:
		return "inside an HTML comment";
	case H_BEFORE_VALUE:
	case H_VALUE_UNQ:
		return "in an unquoted attribute value";
	case H_VALUE_DQ:
	case H_VALUE_SQ:
		return "inside an attribute value";
	default:
		return "in place of an attribute name";
	}
}

/* ---- compiling ------------------------------------------------------- */

static struct op *
op_add(struct tmpl *t, enum op_kind kind)
{
	struct op *op;

	if (t->nops == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->ops = xrealloc(t->ops, t->cap * sizeof(*t->ops));
	}
	op = &t->ops[t->nops++];
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	return op;
}

/* Feeds src[from..to) to the tokenizer and adds it as an OP_TEXT. */
static int
literal(struct compiler *cc, size_t from, size_t to)
{
	struct op *op;
	size_t i;

	if (from == to)
		return 0;
	for (i = from; i < to; i++)
		if (html_step(cc, i, (unsigned char)cc->src[i]) < 0)
			return -1;
	op = op_add(cc->t, OP_TEXT);
	op->text = cc->t->src + from;
	op->len = to - from;
	return 0;
}

/* Moves *s past leading spaces, shortening *n. */
static void
skip_space(const char **s, size_t *n)
{
	while (*n > 0 && is_space((unsigned char)**s))
		(*s)++, (*n)--;
}

static int
path_char(int c)
{
	return is_alpha(c) || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* The value of the decimal s[0..n) (at most 9 digits), else SIZE_MAX. */
static size_t
array_index(const char *s, size_t n)
{
	size_t v = 0;

	if (n == 0 || n > 9)
		return SIZE_MAX;
	for (; n > 0; s++, n--) {
		if (*s < '0' || *s > '9')
			return SIZE_MAX;
		v = v * 10 + (size_t)(*s - '0');
	}
	return v;
}

/*
 * Parses s[0..n), a path written in the tag at src[at..end), into p.  The
 * segments and their names share one allocation.
 */
static int
path_parse(struct compiler *cc, size_t at, size_t end, const char *s,
	   size_t n, struct path *p)
{
	static const char *const special[] = {"@index", "@number", "@first",
					      "@last"};
	size_t i, k, nseg = 1;
	char *names;

	memset(p, 0, sizeof(*p));
	if (n == 0)
		return fail(cc, at, "%.*s: the path is missing",
			    TAG_ARGS(cc, at, end));
	if (n == 1 && s[0] == '.') {
		p->kind = P_DOT;
		return 0;
	}
	for (k = 0; k < ARRAY_LEN(special); k++) {
		if (n == strlen(special[k]) && memcmp(s, special[k], n) == 0) {
			p->kind = (enum path_kind)(P_INDEX + k);
			return 0;
		}
	}
	for (i = 0; i < n; i++) {
		if (s[i] == '.' && i > 0 && i + 1 < n && s[i + 1] != '.')
			nseg++;
		else if (!path_char((unsigned char)s[i]))
			return fail(cc, at,
				    "%.*s: a path is '.', @index, @number, "
				    "@first, @last, or names of letters, "
				    "digits, '_' and '-' joined by '.'",
				    TAG_ARGS(cc, at, end));
	}
	p->kind = P_NAMES;
	p->nseg = nseg;
	p->seg = xmalloc(nseg * sizeof(*p->seg) + n + 1);
	names = (char *)(p->seg + nseg);
	memcpy(names, s, n);
	names[n] = '\0';
	for (i = 0, k = 0; k < nseg; k++, i++) {
		size_t from = i;

		while (names[i] != '.' && names[i] != '\0')
			i++;
		names[i] = '\0';
		p->seg[k].name = names + from;
		p->seg[k].index = array_index(names + from, i - from);
	}
	return 0;
}

/*
 * Chooses the escaper for an insertion at the current context, or fails
 * saying why no escaping is safe there.
 */
static int
choose_escaper(struct compiler *cc, size_t at, size_t end, int raw,
	       enum esc *esc)
{
	struct hctx *h = &cc->h;

	if (raw && h->state != H_TEXT)
		return fail(cc, at, "%.*s: raw output is allowed only in HTML "
				    "text", TAG_ARGS(cc, at, end));
	if (h->state == H_TEXT || (h->state == H_RCDATA && h->match == 0)) {
		*esc = raw ? ESC_RAW : ESC_HTML;
		return 0;
	}
	if (h->state == H_RAWTEXT && h->match == 0)
		return fail(cc, at, "%.*s inside <%s> cannot be escaped",
			    TAG_ARGS(cc, at, end), elem_names[h->elem]);
	if (h->state != H_VALUE_DQ && h->state != H_VALUE_SQ)
		return fail(cc, at, "%.*s %s cannot be escaped%s",
			    TAG_ARGS(cc, at, end), hctx_where(h),
			    h->state == H_VALUE_UNQ || h->state == H_BEFORE_VALUE
				    ? "; quote the value"
				    : "");
	if (h->attr == AT_PLAIN) {
		*esc = ESC_HTML;
		return 0;
	}
	if (h->attr != AT_URL)
		return fail(cc, at, "%.*s inside attribute %.*s cannot be "
				    "escaped",
			    TAG_ARGS(cc, at, end), (int)h->namelen, h->name);
	*esc = h->url & URL_START ? ESC_URL_ATTR : ESC_URL_PART;
	h->url &= ~URL_START;
	if (!(h->url & URL_SETTLED))
		h->url |= URL_OPEN;
	return 0;
}

static int
section_open(struct compiler *cc, size_t at, size_t end, const char *s,
	     size_t n)
{
	struct open_section *o;
	struct op *op;

	if (cc->depth == MAX_SECTION_DEPTH)
		return fail(cc, at, "%.*s: sections nest deeper than %d",
			    TAG_ARGS(cc, at, end), MAX_SECTION_DEPTH);
	op = op_add(cc->t, s[0] == '#' ? OP_SECTION : OP_INVERTED);
	o = &cc->open[cc->depth++];
	o->op = cc->t->nops - 1;
	o->at = at;
	o->path = s + 1;
	o->pathlen = n - 1;
	skip_space(&o->path, &o->pathlen);
	if (path_parse(cc, at, end, o->path, o->pathlen, &op->path) < 0)
		return -1;
	/* A loop's second turn starts where its first ended, maybe after
	 * data in a URL whose scheme is not settled: assume it did. */
	if (s[0] == '#' && cc->h.attr == AT_URL &&
	    (cc->h.state == H_VALUE_DQ || cc->h.state == H_VALUE_SQ) &&
	    !(cc->h.url & URL_SETTLED))
		cc->h.url |= URL_OPEN;
	o->h = cc->h;
	return 0;
}

static int
section_close(struct compiler *cc, size_t at, size_t end, const char *s,
	      size_t n)
{
	struct open_section *o;

	s++, n--;
	skip_space(&s, &n);
	if (cc->depth == 0)
		return fail(cc, at, "%.*s closes no section",
			    TAG_ARGS(cc, at, end));
	o = &cc->open[cc->depth - 1];
	if (n != o->pathlen || memcmp(s, o->path, n) != 0)
		return fail(cc, at, "%.*s does not close the section %.*s "
				    "opened before it",
			    TAG_ARGS(cc, at, end), (int)o->pathlen, o->path);
	if (hctx_join(&o->h, &cc->h) < 0)
		return fail(cc, at, "%.*s ends in a different HTML context "
				    "than its section started in",
			    TAG_ARGS(cc, at, end));
	cc->t->ops[o->op].end = cc->t->nops;
	cc->depth--;
	return 0;
}

static int
partial(struct compiler *cc, size_t at, size_t end, const char *s, size_t n)
{
	struct op *op;
	size_t i;

	s++, n--;
	skip_space(&s, &n);
	for (i = 0; i < n; i++)
		if (!path_char((unsigned char)s[i]) && s[i] != '.' &&
		    s[i] != '/')
			break;
	if (n == 0 || i < n)
		return fail(cc, at, "%.*s: a partial's name is letters, "
				    "digits, '_', '-', '.' and '/'",
			    TAG_ARGS(cc, at, end));
	if (cc->h.state != H_TEXT)
		return fail(cc, at, "%.*s: partials are allowed only in HTML "
				    "text", TAG_ARGS(cc, at, end));
	op = op_add(cc->t, OP_PARTIAL);
	op->text = xstrndup(s, n);
	return 0;
}

/* Compiles the tag at src[at..end), "{{" and "}}" included. */
static int
tag(struct compiler *cc, size_t at, size_t end)
{
	const char *s = cc->src + at + 2;
	size_t n = end - at - 4;
	int raw = 0;
	enum esc esc = ESC_HTML;
	struct op *op;

	skip_space(&s, &n);
	while (n > 0 && is_space((unsigned char)s[n - 1]))
		n--;
	if (n == 0)
		return fail(cc, at, "empty tag %.*s", TAG_ARGS(cc, at, end));
	switch (s[0]) {
	case '!':
		return 0;
	case '#':
	case '^':
		return section_open(cc, at, end, s, n);
	case '/':
		return section_close(cc, at, end, s, n);
	case '>':
		return partial(cc, at, end, s, n);
	}
	if (n > 4 && memcmp(s, "raw", 3) == 0 && is_space((unsigned char)s[3])) {
		raw = 1;
		s += 4, n -= 4;
		skip_space(&s, &n);
	} else if (!path_char((unsigned char)s[0]) && s[0] != '.' &&
		   s[0] != '@') {
		return fail(cc, at, "unknown tag %.*s; write {{path}}, "
				    "{{#path}}, {{^path}}, {{/path}}, "
				    "{{> name}}, {{raw path}} or {{! text}}",
			    TAG_ARGS(cc, at, end));
	}
	if (choose_escaper(cc, at, end, raw, &esc) < 0)
		return -1;
	op = op_add(cc->t, OP_VALUE);
	op->esc = esc;
	return path_parse(cc, at, end, s, n, &op->path);
}

/* The whole source: literals and tags in turn, then what must be closed. */
static int
compile(struct compiler *cc)
{
	const char *src = cc->src;
	size_t pos = 0, open, close;

	for (;;) {
		for (open = pos; open + 1 < cc->len; open++)
			if (src[open] == '{' && src[open + 1] == '{')
				break;
		if (open + 1 >= cc->len)
			break;
		if (literal(cc, pos, open) < 0)
			return -1;
		for (close = open + 2; close + 1 < cc->len; close++)
			if (src[close] == '}' && src[close + 1] == '}')
				break;
		if (close + 1 >= cc->len)
			return fail(cc, open, "\"{{\" is never closed by \"}}\"");
		if (src[open + 2] == '{')
			return fail(cc, open, "{{{...}}} is not supported; "
					      "write {{raw path}}");
		if (tag(cc, open, close + 2) < 0)
			return -1;
		pos = close + 2;
	}
	if (literal(cc, pos, cc->len) < 0)
		return -1;
	if (cc->depth > 0) {
		struct open_section *o = &cc->open[cc->depth - 1];

		return fail(cc, o->at, "section %.*s is never closed",
			    (int)o->pathlen, o->path);
	}
	if (cc->h.state != H_TEXT)
		return fail(cc, cc->len, "the template ends %s%s",
			    hctx_where(&cc->h),
			    cc->h.state == H_RCDATA || cc->h.state == H_RAWTEXT
				    ? " that is never closed"
				    : "");
	return 0;
}

static void
tmpl_free(struct tmpl *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nops; i++) {
		if (t->ops[i].kind == OP_PARTIAL)
			free((char *)t->ops[i].text);
		free(t->ops[i].path.seg);
	}
	free(t->ops);
	free(t->src);
	free(t->name);
	free(t);
}

/* The index of name in the sorted set, or where it would go (*found 0). */
static size_t
set_find(const struct tmpl_set *set, const char *name, int *found)
{
	size_t lo = 0, hi = set->n;

	*found = 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(name, set->v[mid]->name);

		if (cmp == 0) {
			*found = 1;
			return mid;
		}
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static const struct tmpl *
set_get(const struct tmpl_set *set, const char *name)
{
	int found;
	size_t i = set_find(set, name, &found);

	return found ? set->v[i] : NULL;
}

struct tmpl_set *
tmpl_set_new(void)
{
	return xcalloc(1, sizeof(struct tmpl_set));
}

void
tmpl_set_free(struct tmpl_set *set)
{
	size_t i;

	if (set == NULL)
		return;
	for (i = 0; i < set->n; i++)
		tmpl_free(set->v[i]);
	free(set->v);
	free(set);
}

int
tmpl_set_add(struct tmpl_set *set, const char *name, const char *src,
	     size_t len, char *err, size_t errlen)
{
	struct compiler cc;
	struct tmpl *t;
	size_t i;
	int found;

	assert(set != NULL && name != NULL && (src != NULL || len == 0));
	t = xcalloc(1, sizeof(*t));
	t->name = xstrdup(name);
	t->src = xmalloc(len + 1);
	if (len)
		memcpy(t->src, src, len);
	t->src[len] = '\0';

	memset(&cc, 0, sizeof(cc));
	cc.name = name;
	cc.src = t->src;
	cc.len = len;
	cc.err = err;
	cc.errlen = errlen;
	cc.t = t;
	if (compile(&cc) < 0) {
		tmpl_free(t);
		return -1;
	}
	if (err && errlen)
		err[0] = '\0';

	i = set_find(set, name, &found);
	if (found) {
		tmpl_free(set->v[i]);
		set->v[i] = t;
		return 0;
	}
	if (set->n == set->cap) {
		set->cap = set->cap ? set->cap * 2 : 16;
		set->v = xrealloc(set->v, set->cap * sizeof(*set->v));
	}
	memmove(set->v + i + 1, set->v + i, (set->n - i) * sizeof(*set->v));
	set->v[i] = t;
	set->n++;
	return 0;
}

int
tmpl_exists(const struct tmpl_set *set, const char *name)
{
	return set_get(set, name) != NULL;
}

/* ---- rendering ------------------------------------------------------- */

/* One context of the lookup chain; frames live on the C stack. */
struct frame {
	json_t *value;
	const struct frame *up;
	size_t index, count; /* position in an array section */
	int loop;	     /* 1 when pushed by an array section */
};

/* A looked-up value: borrowed JSON, or a loop counter. */
struct value {
	json_t *json;
	int is_num;
	json_int_t num;
};

/* The member s of object v, or element s of array v; NULL if none. */
static json_t *
child(json_t *v, const struct seg *s)
{
	if (json_is_array(v))
		return s->index == SIZE_MAX ? NULL : json_array_get(v, s->index);
	return json_object_get(v, s->name);
}

/*
 * Mustache lookup: the first name is searched from the innermost context
 * outwards, the rest inside what it found.  @-paths read the innermost
 * array section.  Missing values come back with json NULL.
 */
static struct value
lookup(const struct path *p, const struct frame *f)
{
	struct value v = {NULL, 0, 0};
	size_t i;

	switch (p->kind) {
	case P_DOT:
		v.json = f->value;
		return v;
	case P_NAMES:
		for (; f != NULL; f = f->up)
			if ((v.json = child(f->value, &p->seg[0])))
				break;
		for (i = 1; v.json != NULL && i < p->nseg; i++)
			v.json = child(v.json, &p->seg[i]);
		return v;
	default:
		break;
	}
	while (f != NULL && !f->loop)
		f = f->up;
	if (f == NULL)
		return v;
	if (p->kind == P_INDEX || p->kind == P_NUMBER) {
		v.is_num = 1;
		v.num = (json_int_t)f->index + (p->kind == P_NUMBER);
	} else if (p->kind == P_FIRST) {
		v.json = json_boolean(f->index == 0);
	} else {
		v.json = json_boolean(f->index + 1 == f->count);
	}
	return v;
}

static int
truthy(struct value v)
{
	if (v.is_num)
		return v.num != 0;
	if (v.json == NULL)
		return 0;
	switch (json_typeof(v.json)) {
	case JSON_STRING:
		return json_string_length(v.json) > 0;
	case JSON_INTEGER:
		return json_integer_value(v.json) != 0;
	case JSON_REAL:
		return json_real_value(v.json) != 0.0;
	case JSON_TRUE:
		return 1;
	case JSON_ARRAY:
		return json_array_size(v.json) > 0;
	case JSON_OBJECT:
		return json_object_size(v.json) > 0;
	default:
		return 0;
	}
}

/* The shortest of %.15g..%.17g that reads back as d: 0.1, not 0.1000..1 */
static int
format_real(char *b, size_t size, double d)
{
	int prec, n = 0;

	for (prec = 15; prec <= 17; prec++) {
		n = snprintf(b, size, "%.*g", prec, d);
		if (strtod(b, NULL) == d)
			break;
	}
	return n;
}

/* Writes i in decimal so that it ends at end; returns where it starts. */
static char *
format_int(char *end, json_int_t i)
{
	unsigned long long u = i < 0 ? 0ULL - (unsigned long long)i
				     : (unsigned long long)i;

	do
		*--end = (char)('0' + u % 10);
	while ((u /= 10) > 0);
	if (i < 0)
		*--end = '-';
	return end;
}

/* Appends v as text through esc; null, false, arrays, objects: nothing. */
static void
emit(struct buf *out, enum esc esc, struct value v)
{
	char num[40];
	const char *s = num;
	size_t n;

	if (v.is_num) {
		s = format_int(num + sizeof(num), v.num);
		n = (size_t)(num + sizeof(num) - s);
	} else if (v.json == NULL) {
		return;
	} else {
		switch (json_typeof(v.json)) {
		case JSON_STRING:
			s = json_string_value(v.json);
			n = json_string_length(v.json);
			break;
		case JSON_INTEGER:
			s = format_int(num + sizeof(num),
				       json_integer_value(v.json));
			n = (size_t)(num + sizeof(num) - s);
			break;
		case JSON_REAL:
			n = (size_t)format_real(num, sizeof(num),
						json_real_value(v.json));
			break;
		case JSON_TRUE:
			s = "true", n = 4;
			break;
		default:
			return;
		}
	}
	switch (esc) {
	case ESC_HTML:
		esc_html(out, s, n);
		break;
	case ESC_URL_ATTR:
		esc_url_attr(out, s, n);
		break;
	case ESC_URL_PART: /* its output needs no HTML escaping */
		esc_url_component(out, s, n);
		break;
	case ESC_RAW:
		buf_put(out, s, n);
		break;
	}
}

static int render_ops(const struct tmpl_set *set, const struct tmpl *t,
		      size_t i, size_t end, const struct frame *f, int depth,
		      struct buf *out);

/* Renders the section whose op is t->ops[i]; -1 when its body fails. */
static int
render_section(const struct tmpl_set *set, const struct tmpl *t, size_t i,
	       const struct frame *f, int depth, struct buf *out)
{
	const struct op *op = &t->ops[i];
	struct value v = lookup(&op->path, f);
	struct frame sub = {NULL, f, 0, 0, 0};

	if (!truthy(v))
		return 0;
	if (v.is_num)
		return render_ops(set, t, i + 1, op->end, f, depth, out);
	if (json_is_array(v.json)) {
		sub.loop = 1;
		sub.count = json_array_size(v.json);
		for (sub.index = 0; sub.index < sub.count; sub.index++) {
			sub.value = json_array_get(v.json, sub.index);
			if (render_ops(set, t, i + 1, op->end, &sub, depth,
				       out) < 0)
				return -1;
		}
		return 0;
	}
	sub.value = v.json;
	return render_ops(set, t, i + 1, op->end, &sub, depth, out);
}

/*
 * Renders ops [i, end) of t with the context chain f; depth counts the
 * partials we are inside.  Returns 0, or -1 when a partial is missing or
 * partials nest too deep (out then holds a partial result).
 */
static int
render_ops(const struct tmpl_set *set, const struct tmpl *t, size_t i,
	   size_t end, const struct frame *f, int depth, struct buf *out)
{
	const struct tmpl *p;

	while (i < end) {
		const struct op *op = &t->ops[i];

		switch (op->kind) {
		case OP_TEXT:
			buf_put(out, op->text, op->len);
			break;
		case OP_VALUE:
			emit(out, op->esc, lookup(&op->path, f));
			break;
		case OP_SECTION:
			if (render_section(set, t, i, f, depth, out) < 0)
				return -1;
			i = op->end;
			continue;
		case OP_INVERTED:
			if (!truthy(lookup(&op->path, f)) &&
			    render_ops(set, t, i + 1, op->end, f, depth, out) < 0)
				return -1;
			i = op->end;
			continue;
		case OP_PARTIAL:
			p = set_get(set, op->text);
			if (p == NULL || depth >= MAX_PARTIAL_DEPTH)
				return -1;
			if (render_ops(set, p, 0, p->nops, f, depth + 1, out) < 0)
				return -1;
			break;
		}
		i++;
	}
	return 0;
}

int
tmpl_render(const struct tmpl_set *set, const char *name, json_t *ctx,
	    struct buf *out)
{
	const struct tmpl *t = set_get(set, name);
	struct frame root = {ctx, NULL, 0, 0, 0};
	size_t start = out->len;

	if (t != NULL && render_ops(set, t, 0, t->nops, &root, 0, out) == 0)
		return 0;
	out->len = start;
	if (out->data != NULL)
		out->data[start] = '\0';
	return -1;
}
