/*
 * template.c -- compiles templates (see template.h) into op lists and
 * renders them.
 *
 * Compiling walks the source once.  The literal text between {{...}} tags
 * is fed, byte by byte, to the HTML context tracker (htmlctx.h), which
 * says at every tag whether an insertion would land in text, in a quoted
 * attribute value (and of which kind), or somewhere no escaping is safe --
 * the last is a compile error.  Each insertion becomes an OP_VALUE that
 * carries the escaper for its place, so rendering never thinks about HTML:
 * it walks the ops, looks values up in a chain of contexts that lives on
 * the C stack, and appends to the caller's buf.  Path segments are split
 * and NUL-terminated at compile time (an all-digit segment also indexes an
 * array: "results.0"); the only allocation while rendering is the growth
 * of the output buffer.  Rendering only reads the set, so threads may
 * share one that is no longer being added to.
 *
 * A section's body runs zero, one or many times, so the compiler keeps the
 * context where each open section started and asks htmlctx_join whether
 * the one where it closes agrees.
 *
 * Known limits: those of htmlctx.h, and there is no way to write a
 * literal "{{" or "}}": a "}}" in the text is refused, as it is always a
 * tag that closed early (a comment ends at its first "}}", so one that
 * describes a model with nested braces would otherwise spill the rest of
 * itself into the page).
 */
#include "template.h"

#include <assert.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "htmlctx.h"
#include "i18n.h"

#define MAX_PARTIAL_DEPTH 32 /* template.h promises this */
#define MAX_SECTION_DEPTH 64 /* bounds the C recursion of rendering */
#define WHY_MAX 256	     /* room for a sentence from htmlctx */

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

enum op_kind {
	OP_TEXT,
	OP_VALUE,
	OP_SECTION,
	OP_INVERTED,
	OP_PARTIAL,
	OP_TRANS
};
enum esc { ESC_HTML, ESC_URL_ATTR, ESC_URL_PART, ESC_RAW };

#define MAX_TRANS_ARGS 8

/* A {{t}} or {{tn}} tag: the message and its named arguments. */
struct trans {
	char *msgid;  /* owned, the English text */
	char *plural; /* owned, tn's plural, else NULL */
	char *context; /* owned, context="..." (msgctxt), else NULL */
	int markup;   /* inline markup allowed (HTML text only) */
	size_t at;    /* where the tag starts in src, for extraction */
	size_t nargs;
	int count;                   /* tn: the index of argument "n" */
	char *names[MAX_TRANS_ARGS]; /* owned */
	struct path paths[MAX_TRANS_ARGS];
};

struct op {
	enum op_kind kind;
	enum esc esc;	  /* OP_VALUE */
	const char *text; /* OP_TEXT: into tmpl.src; OP_PARTIAL: owned name */
	size_t len;	  /* OP_TEXT */
	size_t end;	  /* sections: index of the op after the body */
	struct path path; /* OP_VALUE and sections */
	struct trans *tr; /* OP_TRANS, owned */
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
	struct htmlctx h; /* the context the body starts in */
};

struct compiler {
	const char *name, *src;
	size_t len;
	char *err;
	size_t errlen;
	struct tmpl *t;
	struct htmlctx h; /* where the source read so far ends */
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

/*
 * Feeds src[from..to) to the HTML context and adds it as an OP_TEXT.
 * Returns 0, or -1 with the context's reason when it refuses a byte.
 */
static int
literal(struct compiler *cc, size_t from, size_t to)
{
	char why[WHY_MAX];
	struct op *op;
	size_t i;

	if (from == to)
		return 0;
	for (i = from; i + 1 < to; i++)
		if (cc->src[i] == '}' && cc->src[i + 1] == '}')
			return fail(cc, i, "\"}}\" outside a tag: did a "
					   "{{! comment} end before its text "
					   "did?");
	for (i = from; i < to; i++)
		if (htmlctx_step(&cc->h, (unsigned char)cc->src[i], why,
				 sizeof(why)) < 0)
			return fail(cc, i, "%s", why);
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
 * The escaper for data inserted at place, which is safe for it (not
 * HTMLCTX_UNSAFE); raw output is only ever chosen in HTML text.
 */
static enum esc
escaper_for(enum htmlctx_place place, int raw)
{
	assert(place != HTMLCTX_UNSAFE && (!raw || place == HTMLCTX_TEXT));
	switch (place) {
	case HTMLCTX_TEXT:
		return raw ? ESC_RAW : ESC_HTML;
	case HTMLCTX_URL:
		return ESC_URL_ATTR;
	case HTMLCTX_URL_PART: /* its output needs no HTML escaping */
		return ESC_URL_PART;
	case HTMLCTX_RCDATA:
	case HTMLCTX_ATTR:
	case HTMLCTX_UNSAFE:
		break;
	}
	return ESC_HTML;
}

/*
 * Compiles the insertion of path s[0..n), raw or escaped, written in the
 * tag at src[at..end), into an OP_VALUE whose escaper fits the current
 * HTML context.  Fails saying why when no escaping is safe there.
 */
static int
insertion(struct compiler *cc, size_t at, size_t end, const char *s, size_t n,
	  int raw)
{
	char why[WHY_MAX];
	enum htmlctx_place place = htmlctx_place(&cc->h, why, sizeof(why));
	struct op *op;

	if (raw && place != HTMLCTX_TEXT)
		return fail(cc, at, "%.*s: raw output is allowed only in HTML "
				    "text", TAG_ARGS(cc, at, end));
	if (place == HTMLCTX_UNSAFE)
		return fail(cc, at, "%.*s %s", TAG_ARGS(cc, at, end), why);
	htmlctx_insert(&cc->h);
	op = op_add(cc->t, OP_VALUE);
	op->esc = escaper_for(place, raw);
	return path_parse(cc, at, end, s, n, &op->path);
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
	/* A loop's second turn starts where its first ended. */
	if (s[0] == '#')
		htmlctx_repeat(&cc->h);
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
	if (htmlctx_join(&o->h, &cc->h) < 0)
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
	if (htmlctx_place(&cc->h, NULL, 0) != HTMLCTX_TEXT)
		return fail(cc, at, "%.*s: partials are allowed only in HTML "
				    "text", TAG_ARGS(cc, at, end));
	op = op_add(cc->t, OP_PARTIAL);
	op->text = xstrndup(s, n);
	return 0;
}

/*
 * Reads the quoted string at *s (a '"' first; \" and \\ are the escapes)
 * into a new string; moves *s, *n past it.  NULL when it is not closed.
 */
static char *
quoted(const char **s, size_t *n)
{
	struct buf b = BUF_INIT;
	size_t i;

	if (*n == 0 || **s != '"')
		return NULL;
	for (i = 1; i < *n && (*s)[i] != '"'; i++) {
		if ((*s)[i] == '\\' && i + 1 < *n &&
		    ((*s)[i + 1] == '"' || (*s)[i + 1] == '\\'))
			i++;
		buf_putc(&b, (*s)[i]);
	}
	if (i >= *n) {
		buf_free(&b);
		return NULL;
	}
	*s += i + 1, *n -= i + 1;
	buf_putc(&b, '\0'); /* an empty message still gets its string */
	return buf_detach(&b, NULL);
}

/* The argument of tr named name[0..n), or -1. */
static int
trans_arg(const struct trans *tr, const char *name, size_t n)
{
	for (size_t i = 0; i < tr->nargs; i++)
		if (strlen(tr->names[i]) == n &&
		    memcmp(tr->names[i], name, n) == 0)
			return (int)i;
	return -1;
}

/* Fails unless every {name} of msg is an argument of tr. */
static int
trans_check_names(struct compiler *cc, size_t at, size_t end,
		  const struct trans *tr, const char *msg)
{
	for (const char *p = strchr(msg, '{'); p; p = strchr(p + 1, '{')) {
		size_t n = i18n_arg_name(p + 1);

		if (n && trans_arg(tr, p + 1, n) < 0)
			return fail(cc, at,
				    "%.*s: {%.*s} has no argument "
				    "(write %.*s=path)",
				    TAG_ARGS(cc, at, end), (int)n, p + 1,
				    (int)n, p + 1);
	}
	return 0;
}

/*
 * Compiles {{t "msgid" name=path...}} or {{tn "one" "many" n=path ...}}
 * (s[0..n) is the tag's inside, plural says which) into an OP_TRANS.
 * Allowed in HTML text, RCDATA and quoted ordinary attributes; inline
 * markup in the message only in HTML text.
 */
static int
translation(struct compiler *cc, size_t at, size_t end, const char *s, size_t n,
	    int plural)
{
	enum htmlctx_place place = htmlctx_place(&cc->h, NULL, 0);
	struct trans *tr;
	struct op *op;

	if (place != HTMLCTX_TEXT && place != HTMLCTX_ATTR &&
	    place != HTMLCTX_RCDATA)
		return fail(cc, at,
			    "%.*s: translations are allowed only in "
			    "HTML text and quoted attribute values "
			    "(not URLs)",
			    TAG_ARGS(cc, at, end));
	htmlctx_insert(&cc->h);
	op = op_add(cc->t, OP_TRANS);
	op->esc = ESC_HTML;
	tr = op->tr = xcalloc(1, sizeof(*tr));
	tr->at = at;
	tr->count = -1;
	s += plural ? 2 : 1, n -= plural ? 2 : 1;
	skip_space(&s, &n);
	if ((tr->msgid = quoted(&s, &n)) == NULL)
		goto syntax;
	if (plural) {
		skip_space(&s, &n);
		if ((tr->plural = quoted(&s, &n)) == NULL)
			goto syntax;
	}
	while (n > 0) {
		const char *name, *eq;
		size_t len;

		if (!is_space((unsigned char)*s))
			goto syntax;
		skip_space(&s, &n);
		name = s;
		eq = memchr(s, '=', n);
		if (eq == NULL || eq == name)
			goto syntax;
		for (const char *q = name; q < eq; q++)
			if (!path_char((unsigned char)*q) || *q == '-')
				goto syntax;
		if (tr->nargs == MAX_TRANS_ARGS)
			return fail(cc, at, "%.*s: more than %d arguments",
				    TAG_ARGS(cc, at, end), MAX_TRANS_ARGS);
		if (trans_arg(tr, name, (size_t)(eq - name)) >= 0)
			return fail(cc, at, "%.*s: argument %.*s given twice",
				    TAG_ARGS(cc, at, end), (int)(eq - name),
				    name);
		n -= (size_t)(eq - s) + 1;
		s = eq + 1;
		/* context="..." is the message's msgctxt, not an argument */
		if (eq - name == 7 && memcmp(name, "context", 7) == 0) {
			if (tr->context || n == 0 || *s != '"' ||
			    (tr->context = quoted(&s, &n)) == NULL ||
			    *tr->context == '\0')
				goto syntax;
			continue;
		}
		tr->names[tr->nargs] = xstrndup(name, (size_t)(eq - name));
		for (len = 0; len < n && !is_space((unsigned char)s[len]);
		     len++)
			;
		if (path_parse(cc, at, end, s, len, &tr->paths[tr->nargs]) <
		    0) {
			tr->nargs++;
			return -1;
		}
		tr->nargs++;
		s += len, n -= len;
	}
	if (*tr->msgid == '\0' || (plural && *tr->plural == '\0'))
		return fail(cc, at, "%.*s: the message is empty",
			    TAG_ARGS(cc, at, end));
	if (plural && (tr->count = trans_arg(tr, "n", 1)) < 0)
		return fail(cc, at, "%.*s: tn needs its count as n=path",
			    TAG_ARGS(cc, at, end));
	if (trans_check_names(cc, at, end, tr, tr->msgid) < 0 ||
	    (plural && trans_check_names(cc, at, end, tr, tr->plural) < 0))
		return -1;
	if (strpbrk(tr->msgid, "<>") || (plural && strpbrk(tr->plural, "<>"))) {
		if (place != HTMLCTX_TEXT)
			return fail(cc, at,
				    "%.*s: markup in a message is "
				    "allowed only in HTML text",
				    TAG_ARGS(cc, at, end));
		if (!i18n_markup_valid(tr->msgid) ||
		    (plural && !i18n_markup_valid(tr->plural)))
			return fail(cc, at,
				    "%.*s: a message's markup may only "
				    "be <a href=\"/fixed\">, <strong>, "
				    "<em>, <code> (closed, nested) "
				    "and <br>",
				    TAG_ARGS(cc, at, end));
		tr->markup = 1;
	}
	return 0;
syntax:
	return fail(cc, at,
		    "%.*s: write {{t \"text\" name=path ...}} or "
		    "{{tn \"one\" \"many\" n=path ...}}, and at most one "
		    "context=\"...\"",
		    TAG_ARGS(cc, at, end));
}

/* Compiles the tag at src[at..end), "{{" and "}}" included. */
static int
tag(struct compiler *cc, size_t at, size_t end)
{
	const char *s = cc->src + at + 2;
	size_t n = end - at - 4;
	int raw = 0;

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
	if (n > 2 && s[0] == 't' &&
	    (is_space((unsigned char)s[1]) || s[1] == '"'))
		return translation(cc, at, end, s, n, 0);
	if (n > 3 && s[0] == 't' && s[1] == 'n' &&
	    (is_space((unsigned char)s[2]) || s[2] == '"'))
		return translation(cc, at, end, s, n, 1);
	if (n > 4 && memcmp(s, "raw", 3) == 0 && is_space((unsigned char)s[3])) {
		raw = 1;
		s += 4, n -= 4;
		skip_space(&s, &n);
	} else if (!path_char((unsigned char)s[0]) && s[0] != '.' &&
		   s[0] != '@') {
		return fail(cc, at,
			    "unknown tag %.*s; write {{path}}, "
			    "{{#path}}, {{^path}}, {{/path}}, "
			    "{{> name}}, {{raw path}}, {{t \"text\"}} "
			    "or {{! text}}",
			    TAG_ARGS(cc, at, end));
	}
	return insertion(cc, at, end, s, n, raw);
}

/* The whole source: literals and tags in turn, then what must be closed. */
static int
compile(struct compiler *cc)
{
	const char *src = cc->src;
	size_t pos = 0, open, close;
	char why[WHY_MAX];

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
	if (htmlctx_end(&cc->h, why, sizeof(why)) < 0)
		return fail(cc, cc->len, "the template ends %s", why);
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
		if (t->ops[i].tr) {
			struct trans *tr = t->ops[i].tr;

			for (size_t k = 0; k < tr->nargs; k++) {
				free(tr->names[k]);
				free(tr->paths[k].seg);
			}
			free(tr->msgid);
			free(tr->context);
			free(tr->plural);
			free(tr);
		}
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
	htmlctx_init(&cc.h);
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

/* A count for tn: a number, or a string of digits; else 0. */
static unsigned long
count_of(struct value v)
{
	if (v.is_num)
		return v.num < 0 ? 0 : (unsigned long)v.num;
	if (json_is_integer(v.json))
		return json_integer_value(v.json) < 0
			       ? 0
			       : (unsigned long)json_integer_value(v.json);
	if (json_is_real(v.json))
		return json_real_value(v.json) < 0
			       ? 0
			       : (unsigned long)json_real_value(v.json);
	if (json_is_string(v.json))
		return strtoul(json_string_value(v.json), NULL, 10);
	return 0;
}

/*
 * Renders an OP_TRANS: the message in the current language (the English
 * when a markup message's translation does not carry exactly its tags),
 * its text escaped for the context, each {name} replaced by the argument's
 * value escaped the same way, and -- markup messages only -- the checked
 * whitelisted tags copied as they are.
 */
static void
emit_trans(struct buf *out, const struct op *op, const struct frame *f)
{
	const struct trans *tr = op->tr;
	const char *text, *english = tr->msgid, *p, *run;

	if (tr->plural) {
		unsigned long n = count_of(lookup(&tr->paths[tr->count], f));

		text = i18n_npgettext_in(NULL, tr->context, tr->msgid,
					 tr->plural, n);
		english = n == 1 ? tr->msgid : tr->plural;
	} else {
		text = i18n_pgettext(tr->context, tr->msgid);
	}
	if (tr->markup && text != tr->msgid && text != tr->plural &&
	    !i18n_markup_same(english, text))
		text = english;
	for (p = run = text; *p; p++) {
		size_t n;
		int a;

		if (*p == '{' && p[1] == '{') {
			esc_html(out, run, (size_t)(p - run) + 1);
			run = ++p + 1;
		} else if (*p == '{' && (n = i18n_arg_name(p + 1)) > 0 &&
			   (a = trans_arg(tr, p + 1, n)) >= 0) {
			esc_html(out, run, (size_t)(p - run));
			emit(out, op->esc, lookup(&tr->paths[a], f));
			p += n + 1;
			run = p + 1;
		} else if (*p == '<' && tr->markup) {
			/* a tag i18n_markup_same has checked: up to its '>' */
			esc_html(out, run, (size_t)(p - run));
			n = strcspn(p, ">");
			buf_put(out, p, n + 1);
			p += n;
			run = p + 1;
		}
	}
	esc_html(out, run, (size_t)(p - run));
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
		case OP_TRANS:
			emit_trans(out, op, f);
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

int
tmpl_messages(const char *name, const char *src, size_t len, tmpl_message_fn fn,
	      void *arg, char *err, size_t errlen)
{
	struct tmpl_set *set = tmpl_set_new();
	const struct tmpl *t;
	size_t i, pos = 0, line = 1;

	if (tmpl_set_add(set, name, src, len, err, errlen) != 0) {
		tmpl_set_free(set);
		return -1;
	}
	t = set_get(set, name);
	for (i = 0; i < t->nops; i++) {
		const struct trans *tr = t->ops[i].tr;

		if (t->ops[i].kind != OP_TRANS)
			continue;
		for (; pos < tr->at; pos++)
			if (t->src[pos] == '\n')
				line++;
		fn(arg, line, tr->context, tr->msgid, tr->plural);
	}
	tmpl_set_free(set);
	return 0;
}
