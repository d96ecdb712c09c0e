/*
 * i18n.c -- see i18n.h.  The catalogs are the MO files the build compiled
 * from the modules' PO files (msgfmt --check) and embedded as
 * "i18n/<lang>.mo".  We read MO rather than PO: msgfmt has already
 * checked the syntax, the format strings and the header, dropped fuzzy and
 * untranslated entries and resolved escapes, so what is left to parse is
 * a table of offsets, and the strings can be used where they lie in the
 * binary (no copies).
 *
 * At start-up each catalog becomes a sorted array of (msgid, translations)
 * and its Plural-Forms expression a small compiled tree (the C subset
 * gettext uses; anything else refuses the catalog).  After i18n_init all
 * of it is read-only.  The current language is a thread-local pointer
 * with a small stack for i18n_push/i18n_pop.
 */
#include "i18n.h"

#include <assert.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "embed.h"

#define MAX_LANGS 16
#define PUSH_MAX 8
#define PLURAL_NODES 64

/* ---- plural expressions ---------------------------------------------- */

enum pnode_kind {
	PN_NUM,
	PN_N,
	PN_COND,
	PN_OR,
	PN_AND,
	PN_EQ,
	PN_NE,
	PN_LT,
	PN_GT,
	PN_LE,
	PN_GE,
	PN_MOD,
	PN_ADD,
	PN_SUB
};

struct pnode {
	enum pnode_kind kind;
	unsigned long num;
	int a, b, c; /* operands: indexes into the tree's nodes */
};

struct plural {
	struct pnode node[PLURAL_NODES];
	int n, root;
};

struct pparser {
	const char *s;
	struct plural *p;
	int bad;
};

static void
pskip(struct pparser *pp)
{
	while (*pp->s == ' ' || *pp->s == '\t' || *pp->s == '\n')
		pp->s++;
}

/* Consumes op when it comes next (and is not the start of a longer
 * operator in the grammar: "<" of "<=", "=" never alone). */
static int
paccept(struct pparser *pp, const char *op)
{
	size_t n = strlen(op);

	pskip(pp);
	if (strncmp(pp->s, op, n) != 0)
		return 0;
	if (n == 1 && (op[0] == '<' || op[0] == '>') && pp->s[1] == '=')
		return 0;
	pp->s += n;
	return 1;
}

static int
pnew(struct pparser *pp, enum pnode_kind kind, int a, int b, int c)
{
	struct pnode *nd;

	if (pp->bad || pp->p->n == PLURAL_NODES) {
		pp->bad = 1;
		return 0;
	}
	nd = &pp->p->node[pp->p->n];
	nd->kind = kind;
	nd->num = 0;
	nd->a = a, nd->b = b, nd->c = c;
	return pp->p->n++;
}

static int pexpr(struct pparser *pp, int depth);

static int
pprimary(struct pparser *pp, int depth)
{
	int i;

	pskip(pp);
	if (depth > 32) {
		pp->bad = 1;
		return 0;
	}
	if (*pp->s == '(') {
		pp->s++;
		i = pexpr(pp, depth + 1);
		if (!paccept(pp, ")"))
			pp->bad = 1;
		return i;
	}
	if (*pp->s == 'n' && !(pp->s[1] >= 'a' && pp->s[1] <= 'z')) {
		pp->s++;
		return pnew(pp, PN_N, 0, 0, 0);
	}
	if (*pp->s >= '0' && *pp->s <= '9') {
		unsigned long v = 0;

		while (*pp->s >= '0' && *pp->s <= '9') {
			if (v > 100000000UL)
				pp->bad = 1;
			v = v * 10 + (unsigned long)(*pp->s++ - '0');
		}
		i = pnew(pp, PN_NUM, 0, 0, 0);
		pp->p->node[i].num = v;
		return i;
	}
	pp->bad = 1;
	return 0;
}

/* One level of left-associative binary operators. */
struct plevel {
	const char *op[4];
	enum pnode_kind kind[4];
};

static const struct plevel plevels[] = {
	{{"||"}, {PN_OR}},
	{{"&&"}, {PN_AND}},
	{{"==", "!="}, {PN_EQ, PN_NE}},
	{{"<=", ">=", "<", ">"}, {PN_LE, PN_GE, PN_LT, PN_GT}},
	{{"+", "-"}, {PN_ADD, PN_SUB}},
	{{"%"}, {PN_MOD}},
};

static int
pbinary(struct pparser *pp, size_t level, int depth)
{
	int left, k, found;

	if (level == ARRAY_LEN(plevels))
		return pprimary(pp, depth);
	left = pbinary(pp, level + 1, depth);
	do {
		found = 0;
		for (k = 0; k < 4 && plevels[level].op[k]; k++) {
			if (paccept(pp, plevels[level].op[k])) {
				int right = pbinary(pp, level + 1, depth);

				left = pnew(pp, plevels[level].kind[k], left,
					    right, 0);
				found = 1;
				break;
			}
		}
	} while (found && !pp->bad);
	return left;
}

static int
pexpr(struct pparser *pp, int depth)
{
	int cond = pbinary(pp, 0, depth), a, b;

	if (!paccept(pp, "?"))
		return cond;
	a = pexpr(pp, depth + 1);
	if (!paccept(pp, ":")) {
		pp->bad = 1;
		return 0;
	}
	b = pexpr(pp, depth + 1);
	return pnew(pp, PN_COND, cond, a, b);
}

/*
 * Compiles the expression s (up to its ';' or end) into p.  Returns 0, or
 * -1 when it is not in the subset: ?:, ||, &&, ==, !=, <, >, <=, >=, %,
 * +, -, parentheses, n and decimal integers.
 */
static int
plural_compile(struct plural *p, const char *s)
{
	struct pparser pp = {s, p, 0};

	p->n = 0;
	p->root = pexpr(&pp, 0);
	pskip(&pp);
	if (*pp.s != ';' && *pp.s != '\0' && *pp.s != '\n')
		pp.bad = 1;
	return pp.bad ? -1 : 0;
}

static unsigned long
plural_eval_node(const struct plural *p, int i, unsigned long n)
{
	const struct pnode *nd = &p->node[i];
	unsigned long a, b;

	switch (nd->kind) {
	case PN_NUM:
		return nd->num;
	case PN_N:
		return n;
	case PN_COND:
		return plural_eval_node(p, nd->a, n)
			       ? plural_eval_node(p, nd->b, n)
			       : plural_eval_node(p, nd->c, n);
	case PN_OR:
		return plural_eval_node(p, nd->a, n) ||
		       plural_eval_node(p, nd->b, n);
	case PN_AND:
		return plural_eval_node(p, nd->a, n) &&
		       plural_eval_node(p, nd->b, n);
	default:
		break;
	}
	a = plural_eval_node(p, nd->a, n);
	b = plural_eval_node(p, nd->b, n);
	switch (nd->kind) {
	case PN_EQ:
		return a == b;
	case PN_NE:
		return a != b;
	case PN_LT:
		return a < b;
	case PN_GT:
		return a > b;
	case PN_LE:
		return a <= b;
	case PN_GE:
		return a >= b;
	case PN_MOD:
		return b ? a % b : 0;
	case PN_ADD:
		return a + b;
	case PN_SUB:
		return a - b;
	default:
		return 0;
	}
}

/* ---- catalogs -------------------------------------------------------- */

struct entry {
	const char *msgid;  /* NUL-terminated */
	const char *plural; /* msgid_plural, or NULL */
	const char *str;    /* msgstr[0] NUL msgstr[1] ... */
	size_t strlen;      /* all of them */
};

struct catalog {
	struct i18n_lang lang;
	struct entry *e; /* sorted by msgid */
	size_t n;
	struct plural plural;
	unsigned nplurals;
	int has_plural;
};

static struct catalog catalogs[MAX_LANGS];
static size_t ncatalogs;
static const struct i18n_lang *default_lang;

/* Names and directions of the languages we know of; others show their
 * code and are left-to-right. */
static const struct {
	const char *code, *name;
	int rtl;
} known[] = {
	{"en", "English", 0}, {"fr", "Français", 0},  {"ar", "العربية", 1},
	{"es", "Español", 0}, {"ru", "Русский", 0},   {"zh", "中文", 0},
	{"de", "Deutsch", 0}, {"pt", "Português", 0}, {"he", "עברית", 1},
	{"fa", "فارسی", 1},   {"ur", "اردو", 1},
};

static int
entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->msgid,
		      ((const struct entry *)b)->msgid);
}

static uint32_t
mo_word(const unsigned char *p, int swap)
{
	uint32_t v;

	memcpy(&v, p, 4);
	if (swap)
		v = (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) |
		    (v << 24);
	return v;
}

/* The header field name ("Plural-Forms: ") of the catalog header h, or
 * NULL. */
static const char *
header_field(const char *h, const char *name)
{
	size_t n = strlen(name);

	for (const char *l = h; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : l)
		if (strncasecmp(l, name, n) == 0)
			return l + n;
	return NULL;
}

/* Reads the plural forms of header h into c. 0 or -1. */
static int
catalog_plural(struct catalog *c, const char *h, char *err, size_t errlen)
{
	const char *pf = header_field(h, "Plural-Forms:"), *np, *ex;

	c->nplurals = 2;
	if (pf == NULL) { /* the English rule */
		plural_compile(&c->plural, "n != 1");
		return 0;
	}
	np = strstr(pf, "nplurals=");
	ex = strstr(pf, "plural=");
	if (np == NULL || ex == NULL) {
		snprintf(err, errlen,
			 "i18n/%s.mo: Plural-Forms lacks "
			 "nplurals= or plural=",
			 c->lang.code);
		return -1;
	}
	c->nplurals = (unsigned)strtoul(np + 9, NULL, 10);
	if (c->nplurals < 1 || c->nplurals > 6 ||
	    plural_compile(&c->plural, ex + 7) != 0) {
		snprintf(err, errlen,
			 "i18n/%s.mo: Plural-Forms expression "
			 "outside the C subset gettext uses",
			 c->lang.code);
		return -1;
	}
	c->has_plural = 1;
	return 0;
}

/*
 * Parses the MO file f into c (language code from its name).  Strings
 * stay where they are in f->data.  0, or -1 with a message in err.
 */
static int
catalog_load(struct catalog *c, const struct embedded_file *f, const char *code,
	     size_t codelen, char *err, size_t errlen)
{
	const unsigned char *d = (const unsigned char *)f->data;
	uint32_t magic, count, orig, trans;
	int swap;
	size_t i, k;

	memset(c, 0, sizeof(*c));
	c->lang.code = xstrndup(code, codelen);
	c->lang.name = c->lang.code;
	for (i = 0; i < ARRAY_LEN(known); i++)
		if (strcmp(known[i].code, c->lang.code) == 0) {
			c->lang.name = known[i].name;
			c->lang.rtl = known[i].rtl;
		}
	if (f->len < 28)
		goto corrupt;
	memcpy(&magic, d, 4);
	if (magic == 0x950412de)
		swap = 0;
	else if (magic == 0xde120495)
		swap = 1;
	else
		goto corrupt;
	count = mo_word(d + 8, swap);
	orig = mo_word(d + 12, swap);
	trans = mo_word(d + 16, swap);
	if (count > f->len / 16 || orig > f->len - (size_t)count * 8 ||
	    trans > f->len - (size_t)count * 8)
		goto corrupt;
	c->e = xcalloc(count ? count : 1, sizeof(*c->e));
	for (i = 0, k = 0; i < count; i++) {
		uint32_t ol = mo_word(d + orig + i * 8, swap);
		uint32_t oo = mo_word(d + orig + i * 8 + 4, swap);
		uint32_t tl = mo_word(d + trans + i * 8, swap);
		uint32_t to = mo_word(d + trans + i * 8 + 4, swap);
		struct entry *e = &c->e[k];
		size_t idlen;

		if (oo > f->len || ol >= f->len - oo || d[oo + ol] != '\0' ||
		    to > f->len || tl >= f->len - to || d[to + tl] != '\0')
			goto corrupt;
		e->msgid = f->data + oo;
		idlen = strlen(e->msgid);
		e->plural = idlen < ol ? e->msgid + idlen + 1 : NULL;
		e->str = f->data + to;
		e->strlen = tl;
		if (idlen == 0) { /* the header */
			if (catalog_plural(c, e->str, err, errlen) != 0)
				return -1;
			continue;
		}
		/* a message with a context (msgctxt) is "ctx\004msgid",
		 * found by i18n_pgettext_in */
		k++;
	}
	c->n = k;
	if (!c->has_plural)
		plural_compile(&c->plural, "n != 1");
	qsort(c->e, c->n, sizeof(*c->e), entry_cmp);
	return 0;
corrupt:
	snprintf(err, errlen, "%s: not a valid MO catalog", f->path);
	return -1;
}

static const struct catalog *
catalog_of(const struct i18n_lang *l)
{
	/* lang is the first member: the catalog is where its lang is */
	return (const struct catalog *)(const void *)l;
}

static const struct entry *
catalog_find(const struct catalog *c, const char *msgid)
{
	size_t lo = 0, hi = c->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(msgid, c->e[mid].msgid);

		if (cmp == 0)
			return &c->e[mid];
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* msgstr[i] of e, or NULL when it has no such form or it is empty. */
static const char *
entry_form(const struct entry *e, unsigned long i)
{
	const char *s = e->str, *end = e->str + e->strlen;

	for (; i > 0; i--) {
		s += strlen(s) + 1;
		if (s > end)
			return NULL;
	}
	return *s ? s : NULL;
}

static void
catalogs_free(void)
{
	for (size_t i = 0; i < ncatalogs; i++) {
		free((char *)catalogs[i].lang.code);
		free(catalogs[i].e);
	}
	ncatalogs = 0;
	default_lang = NULL;
}

int
i18n_init(const char *deflang, char *err, size_t errlen)
{
	struct catalog *en;

	catalogs_free();
	en = &catalogs[ncatalogs++];
	memset(en, 0, sizeof(*en));
	en->lang.code = xstrdup("en");
	en->lang.name = "English";
	plural_compile(&en->plural, "n != 1");
	en->nplurals = 2;
	for (size_t i = 0; i < embedded_count; i++) {
		const struct embedded_file *f = &embedded_files[i];
		const char *base;
		size_t n = strlen(f->path);

		if (strncmp(f->path, "i18n/", 5) != 0 || n < 9 ||
		    strcmp(f->path + n - 3, ".mo") != 0)
			continue;
		base = f->path + 5;
		if (strncmp(base, "en.", 3) == 0)
			continue; /* the source language needs no catalog */
		if (ncatalogs == MAX_LANGS) {
			snprintf(err, errlen, "more than %d catalogs",
				 MAX_LANGS);
			return -1;
		}
		if (catalog_load(&catalogs[ncatalogs], f, base,
				 (size_t)(f->path + n - 3 - base), err,
				 errlen) != 0)
			return -1;
		ncatalogs++;
	}
	default_lang = &catalogs[0].lang;
	if (deflang && *deflang) {
		const struct i18n_lang *l =
			i18n_lang_find(deflang, strlen(deflang));

		if (l == NULL) {
			snprintf(err, errlen,
				 "default_language \"%s\" has no "
				 "catalog",
				 deflang);
			return -1;
		}
		default_lang = l;
	}
	return 0;
}

int
i18n_add(const char *code, const char *mo, size_t len, char *err, size_t errlen)
{
	struct embedded_file f = {"test.mo", mo, len};
	struct catalog c;
	const struct i18n_lang *old = i18n_lang_find(code, strlen(code));
	size_t i = old ? (size_t)(catalog_of(old) - catalogs) : ncatalogs;

	if (i == 0 || i == MAX_LANGS) {
		snprintf(err, errlen, "cannot add a catalog for %s", code);
		return -1;
	}
	if (catalog_load(&c, &f, code, strlen(code), err, errlen) != 0) {
		free((char *)c.lang.code);
		free(c.e);
		return -1;
	}
	if (old) {
		free((char *)catalogs[i].lang.code);
		free(catalogs[i].e);
	} else {
		ncatalogs++;
	}
	catalogs[i] = c;
	return 0;
}

void
i18n_free(void)
{
	catalogs_free();
}

size_t
i18n_lang_count(void)
{
	return ncatalogs;
}

const struct i18n_lang *
i18n_lang_at(size_t i)
{
	return i < ncatalogs ? &catalogs[i].lang : NULL;
}

const struct i18n_lang *
i18n_lang_find(const char *s, size_t n)
{
	if (s == NULL)
		return NULL;
	for (size_t i = 0; i < ncatalogs; i++)
		if (strlen(catalogs[i].lang.code) == n &&
		    strncasecmp(catalogs[i].lang.code, s, n) == 0)
			return &catalogs[i].lang;
	return NULL;
}

/* Before i18n_init (unit tests that render no translation): English. */
static const struct i18n_lang english = {"en", "English", 0};

const struct i18n_lang *
i18n_default(void)
{
	return default_lang ? default_lang : &english;
}

/* ---- Accept-Language ------------------------------------------------- */

/*
 * Reads a q-value at s ("1", "0.8", "1.000"): thousandths, or -1 when it
 * is not one.  *end is set past it.
 */
static int
read_q(const char *s, const char **end)
{
	int q = 0, digits = 0;

	if (*s == '0' || *s == '1') {
		q = (*s - '0') * 1000;
		s++;
		if (*s == '.') {
			int scale = 100;

			s++;
			while (*s >= '0' && *s <= '9' && digits < 3) {
				q += (*s - '0') * scale;
				scale /= 10;
				s++, digits++;
			}
		}
	} else {
		return -1;
	}
	*end = s;
	return q > 1000 ? -1 : q;
}

const struct i18n_lang *
i18n_negotiate(const char *h)
{
	const struct i18n_lang *best = NULL;
	int bestq = 0;

	if (h == NULL)
		return NULL;
	while (*h) {
		const char *tag, *p;
		size_t taglen, primary;
		int q = 1000;
		const struct i18n_lang *l;

		while (*h == ' ' || *h == '\t' || *h == ',')
			h++;
		if (*h == '\0')
			break;
		tag = h;
		while (*h && *h != ',' && *h != ';' && *h != ' ' && *h != '\t')
			h++;
		taglen = (size_t)(h - tag);
		/* parameters: q=, others ignored */
		while (*h && *h != ',') {
			if (*h == ';') {
				h++;
				while (*h == ' ' || *h == '\t')
					h++;
				if ((h[0] == 'q' || h[0] == 'Q') &&
				    h[1] == '=') {
					q = read_q(h + 2, &p);
					if (q < 0)
						q = 0; /* malformed: ignore it */
					else
						h = p;
				}
				continue;
			}
			h++;
		}
		if (q <= bestq)
			continue;
		if (taglen == 1 && tag[0] == '*') {
			l = i18n_default();
		} else {
			for (primary = 0;
			     primary < taglen && tag[primary] != '-'; primary++)
				;
			l = i18n_lang_find(tag, primary);
		}
		if (l) {
			best = l;
			bestq = q;
		}
	}
	return best;
}

/* ---- the current language -------------------------------------------- */

static _Thread_local const struct i18n_lang *current;
static _Thread_local const struct i18n_lang *stack[PUSH_MAX];
static _Thread_local unsigned depth;

const struct i18n_lang *
i18n_current(void)
{
	return current ? current : i18n_default();
}

const char *
i18n_code(void)
{
	return i18n_current()->code;
}

const char *
i18n_dir(void)
{
	return i18n_current()->rtl ? "rtl" : "ltr";
}

void
i18n_set(const struct i18n_lang *lang)
{
	current = lang;
	depth = 0;
}

void
i18n_push(const char *code)
{
	const struct i18n_lang *l =
		code ? i18n_lang_find(code, strlen(code)) : NULL;

	assert(depth < PUSH_MAX);
	stack[depth++] = current;
	current = l ? l : i18n_default();
}

void
i18n_pop(void)
{
	assert(depth > 0);
	current = stack[--depth];
}

/* ---- lookups --------------------------------------------------------- */

const char *
i18n_gettext_in(const struct i18n_lang *lang, const char *msgid)
{
	const struct entry *e;
	const char *s;

	if (lang == NULL)
		lang = i18n_current();
	if (msgid == NULL || *msgid == '\0' || lang == &english)
		return msgid;
	e = catalog_find(catalog_of(lang), msgid);
	if (e == NULL || (s = entry_form(e, 0)) == NULL)
		return msgid;
	return s;
}

const char *
i18n_ngettext_in(const struct i18n_lang *lang, const char *one,
		 const char *many, unsigned long n)
{
	const struct catalog *c;
	const struct entry *e;
	const char *s;
	unsigned long form;

	if (lang == NULL)
		lang = i18n_current();
	if (lang == &english)
		return n == 1 ? one : many;
	c = catalog_of(lang);
	e = catalog_find(c, one);
	if (e == NULL || e->plural == NULL)
		return n == 1 ? one : many;
	form = plural_eval_node(&c->plural, c->plural.root, n);
	if (form >= c->nplurals || (s = entry_form(e, form)) == NULL)
		return n == 1 ? one : many;
	return s;
}

/* The key of msgid in context ctx, "ctx\004msgid", in key[size]; NULL
 * when it does not fit (then the English is used). */
static const char *
context_key(char *key, size_t size, const char *ctx, const char *msgid)
{
	int n = snprintf(key, size, "%s\004%s", ctx, msgid);

	return n < 0 || (size_t)n >= size ? NULL : key;
}

const char *
i18n_pgettext_in(const struct i18n_lang *lang, const char *ctx,
		 const char *msgid)
{
	char key[1024];
	const char *k, *s;

	if (ctx == NULL)
		return i18n_gettext_in(lang, msgid);
	k = msgid ? context_key(key, sizeof(key), ctx, msgid) : NULL;
	if (k == NULL)
		return msgid;
	s = i18n_gettext_in(lang, k);
	return s == k ? msgid : s;
}

const char *
i18n_npgettext_in(const struct i18n_lang *lang, const char *ctx,
		  const char *one, const char *many, unsigned long n)
{
	char key[1024];
	const char *k, *s;

	if (ctx == NULL)
		return i18n_ngettext_in(lang, one, many, n);
	k = one ? context_key(key, sizeof(key), ctx, one) : NULL;
	if (k == NULL)
		return n == 1 ? one : many;
	s = i18n_ngettext_in(lang, k, many, n);
	return s == k ? one : s;
}

const char *
i18n_pgettext(const char *ctx, const char *msgid)
{
	return i18n_pgettext_in(NULL, ctx, msgid);
}

const char *
i18n_gettext(const char *msgid)
{
	return i18n_gettext_in(NULL, msgid);
}

const char *
i18n_ngettext(const char *one, const char *many, unsigned long n)
{
	return i18n_ngettext_in(NULL, one, many, n);
}

int
i18n_plural_eval(const char *expr, unsigned long n, unsigned long *form)
{
	struct plural p;

	if (plural_compile(&p, expr) != 0)
		return -1;
	*form = plural_eval_node(&p, p.root, n);
	return 0;
}

/* ---- named arguments ------------------------------------------------- */

/* The length of the argument name at s ("{name}": s points after '{'),
 * or 0 when no '}' closes a name of letters, digits and '_'. */
size_t
i18n_arg_name(const char *s)
{
	size_t n = 0;

	while ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
	       (s[n] >= '0' && s[n] <= '9') || s[n] == '_')
		n++;
	return n > 0 && s[n] == '}' ? n : 0;
}

void
i18n_vformat(struct buf *out, const char *text, va_list args)
{
	const char *p = text;

	while (*p) {
		const char *brace = strchr(p, '{');
		size_t n;
		va_list ap;
		const char *name, *value, *found = NULL;

		if (brace == NULL) {
			buf_puts(out, p);
			return;
		}
		buf_put(out, p, (size_t)(brace - p));
		if (brace[1] == '{') {
			buf_putc(out, '{');
			p = brace + 2;
			continue;
		}
		n = i18n_arg_name(brace + 1);
		if (n) {
			va_copy(ap, args);
			while ((name = va_arg(ap, const char *)) != NULL) {
				value = va_arg(ap, const char *);
				if (strlen(name) == n &&
				    memcmp(name, brace + 1, n) == 0) {
					found = value ? value : "";
					break;
				}
			}
			va_end(ap);
		}
		if (found) {
			buf_puts(out, found);
			p = brace + n + 2;
		} else {
			buf_putc(out, '{');
			p = brace + 1;
		}
	}
}

void
i18n_format(struct buf *out, const char *text, ...)
{
	va_list ap;

	va_start(ap, text);
	i18n_vformat(out, text, ap);
	va_end(ap);
}

const char *
i18n_text(struct arena *a, const char *text, ...)
{
	struct buf b = BUF_INIT;
	const char *out;
	va_list ap;

	va_start(ap, text);
	i18n_vformat(&b, text, ap);
	va_end(ap);
	out = arena_strdup(a, buf_cstr(&b));
	buf_free(&b);
	return out;
}

/* ---- inline markup --------------------------------------------------- */

/* 1 when the href value s[0..n) is a fixed, harmless address. */
static int
href_ok(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (strchr("\"'<>&{} \\`", s[i]) || (unsigned char)s[i] < 0x20)
			return 0;
	if (s[0] == '/' || s[0] == '#')
		return n < 2 || s[1] != '/'; /* not "//host" */
	return (n > 8 && strncmp(s, "https://", 8) == 0) ||
	       (n > 7 && strncmp(s, "mailto:", 7) == 0);
}

/*
 * The whitelisted tag at s ('<' .. '>'): its length, and *kind: 0 for <br>,
 * 1..4 opening a, strong, em, code, -1..-4 closing them.  0 when s is not
 * one.
 */
static size_t
markup_tag(const char *s, int *kind)
{
	static const char *const names[] = {"a", "strong", "em", "code"};
	const char *end = strchr(s, '>');
	size_t n, k;

	if (end == NULL)
		return 0;
	n = (size_t)(end - s) + 1;
	if (n == 4 && memcmp(s, "<br>", 4) == 0) {
		*kind = 0;
		return n;
	}
	for (k = 0; k < ARRAY_LEN(names); k++) {
		size_t l = strlen(names[k]);

		if (n == l + 2 && memcmp(s + 1, names[k], l) == 0 && k != 0) {
			*kind = (int)k + 1;
			return n;
		}
		if (n == l + 3 && s[1] == '/' &&
		    memcmp(s + 2, names[k], l) == 0) {
			*kind = -(int)k - 1;
			return n;
		}
	}
	if (n > 11 && memcmp(s, "<a href=\"", 9) == 0 && s[n - 2] == '"' &&
	    href_ok(s + 9, n - 11)) {
		*kind = 1;
		return n;
	}
	return 0;
}

int
i18n_markup_valid(const char *s)
{
	int open[16], nopen = 0, kind;

	for (; *s; s++) {
		size_t n;

		if (*s == '>')
			return 0;
		if (*s != '<')
			continue;
		if ((n = markup_tag(s, &kind)) == 0)
			return 0;
		if (kind > 0) {
			if (nopen == 16)
				return 0;
			for (int i = 0; i < nopen; i++)
				if (open[i] == kind) /* <a> in <a> */
					return 0;
			open[nopen++] = kind;
		} else if (kind < 0) {
			if (nopen == 0 || open[nopen - 1] != -kind)
				return 0;
			nopen--;
		}
		s += n - 1;
	}
	return nopen == 0;
}

/* Appends the tags of s, each followed by '\n', to out, sorted. */
static int
tag_cmp(const void *a, const void *b)
{
	const char *const *x = a, *const *y = b;
	size_t lx = strcspn(*x, ">"), ly = strcspn(*y, ">");
	int c = memcmp(*x, *y, lx < ly ? lx : ly);

	return c ? c : (lx > ly) - (lx < ly);
}

static size_t
collect_tags(const char *s, const char **tags, size_t max)
{
	size_t n = 0;

	for (; *s; s++)
		if (*s == '<' && n < max)
			tags[n++] = s;
	qsort(tags, n, sizeof(*tags), tag_cmp);
	return n;
}

int
i18n_markup_same(const char *a, const char *b)
{
	const char *ta[32], *tb[32];
	size_t na, nb;

	if (!i18n_markup_valid(a) || !i18n_markup_valid(b))
		return 0;
	na = collect_tags(a, ta, 32);
	nb = collect_tags(b, tb, 32);
	if (na != nb || na == 32)
		return 0;
	for (size_t i = 0; i < na; i++)
		if (tag_cmp(&ta[i], &tb[i]) != 0)
			return 0;
	return 1;
}

size_t
i18n_check(struct buf *report)
{
	size_t problems = 0;

	for (size_t i = 1; i < ncatalogs; i++) {
		const struct catalog *c = &catalogs[i];

		for (size_t k = 0; k < c->n; k++) {
			const struct entry *e = &c->e[k];
			const char *s = e->str, *end = e->str + e->strlen;

			if (strchr(e->msgid, '<') == NULL ||
			    !i18n_markup_valid(e->msgid))
				continue;
			for (; s < end; s += strlen(s) + 1) {
				if (*s == '\0' || i18n_markup_same(e->msgid, s))
					continue;
				buf_printf(report,
					   "%s: the translation of \"%s\" does "
					   "not carry the same tags: \"%s\"\n",
					   c->lang.code, e->msgid, s);
				problems++;
			}
		}
	}
	return problems;
}
