/*
 * htmlctx.c -- follows literal HTML byte by byte to know the context of
 * an insertion (see htmlctx.h).
 *
 * htmlctx_step is a cut-down HTML5 tokenizer: it keeps the state, the
 * element whose content we are in (only those whose content is not markup
 * matter), the kind of attribute whose value is being read, and the first
 * bytes of the current tag or attribute name.  Everything it refuses is
 * refused because the real tokenizer would go somewhere it does not model.
 *
 * Sections branch: a body runs zero, one or many times, so the context
 * where it closes must agree with the one where it opened (htmlctx_join).
 * Inside a tag, "<option {{#sel}}selected{{/sel}}>" is allowed through the
 * JOINED states, which accept only a space, '/' or '>' next: an '=' would
 * give its value to an attribute that may not be there.  In URL attribute
 * values three flags follow the scheme (URL_START, URL_OPEN, URL_SETTLED)
 * so that no insertion can help form "javascript:" -- see url_literal.
 */
#include "htmlctx.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

#define NAME_KEEP HTMLCTX_NAME_KEEP

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

/* Writes a sentence to why[0..whylen), if there is room, and returns -1. */
static int
refuse(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (why == NULL || whylen == 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	return -1;
}

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

/* The kept bytes of the name: a longer one is cut to its first NAME_KEEP. */
static int
name_shown(const struct htmlctx *h)
{
	return h->namelen < NAME_KEEP ? h->namelen : NAME_KEEP;
}

static void
name_add(struct htmlctx *h, int c)
{
	if (h->namelen < NAME_KEEP)
		h->name[h->namelen] = (char)lower(c);
	if (h->namelen <= NAME_KEEP)
		h->namelen++;
}

static int
name_is(const struct htmlctx *h, const char *s)
{
	size_t n = strlen(s);

	return h->namelen == n && memcmp(h->name, s, n) == 0;
}

static int
name_in(const struct htmlctx *h, const char *const *list, size_t n)
{
	while (n-- > 0)
		if (name_is(h, list[n]))
			return 1;
	return 0;
}

static enum attr
attr_kind(const struct htmlctx *h)
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
tag_name_done(struct htmlctx *h)
{
	size_t i;

	h->elem = EL_NONE;
	for (i = 1; i < ARRAY_LEN(elem_names); i++)
		if (name_is(h, elem_names[i]))
			h->elem = (unsigned char)i;
	h->state = H_BEFORE_ATTR;
}

/* At '>': back to text, or into the content of <script>, <title>, ... */
static void
tag_end(struct htmlctx *h)
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
attr_start(struct htmlctx *h, int c)
{
	h->state = H_ATTR_NAME;
	h->namelen = 0;
	name_add(h, c);
}

static void
value_start(struct htmlctx *h, enum hstate state)
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
url_literal(struct htmlctx *h, int c, char *why, size_t whylen)
{
	if ((h->url & URL_START) && (unsigned char)c <= 0x20)
		return 0;
	if ((c == ':' || c == '&') && (h->url & URL_OPEN))
		return refuse(why, whylen,
			      "'%c' after an insertion in attribute %.*s could "
			      "complete a URL scheme such as javascript:; put "
			      "a '/', '?' or '#' before it",
			      c, name_shown(h), h->name);
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
raw_step(struct htmlctx *h, int c, char *why, size_t whylen)
{
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
		return refuse(why, whylen,
			      "\"<!\" inside <script> is not supported");
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
		return refuse(why, whylen,
			      "'<' inside <%s> must be written &lt;", end);
	h->match = c == '<';
	return 0;
}

void
htmlctx_init(struct htmlctx *h)
{
	memset(h, 0, sizeof(*h));
	h->state = H_TEXT;
}

int
htmlctx_step(struct htmlctx *h, int c, char *why, size_t whylen)
{
again:
	switch ((enum hstate)h->state) {
	case H_TEXT:
		if (c == '<')
			h->state = H_LT;
		break;
	case H_RCDATA:
	case H_RAWTEXT:
		return raw_step(h, c, why, whylen);
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
			return refuse(why, whylen,
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
			return url_literal(h, c, why, whylen);
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

/* Where h stands, for messages. */
static const char *
where(const struct htmlctx *h)
{
	switch ((enum hstate)h->state) {
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

enum htmlctx_place
htmlctx_place(const struct htmlctx *h, char *why, size_t whylen)
{
	if (h->state == H_TEXT)
		return HTMLCTX_TEXT;
	if (h->state == H_RCDATA && h->match == 0)
		return HTMLCTX_RCDATA;
	if (h->state == H_RAWTEXT && h->match == 0)
		refuse(why, whylen, "inside <%s> cannot be escaped",
		       elem_names[h->elem]);
	else if (h->state != H_VALUE_DQ && h->state != H_VALUE_SQ)
		refuse(why, whylen, "%s cannot be escaped%s", where(h),
		       h->state == H_VALUE_UNQ || h->state == H_BEFORE_VALUE
			       ? "; quote the value"
			       : "");
	else if (h->attr == AT_PLAIN)
		return HTMLCTX_ATTR;
	else if (h->attr == AT_URL)
		return h->url & URL_START ? HTMLCTX_URL : HTMLCTX_URL_PART;
	else
		refuse(why, whylen, "inside attribute %.*s cannot be escaped",
		       name_shown(h), h->name);
	return HTMLCTX_UNSAFE;
}

void
htmlctx_insert(struct htmlctx *h)
{
	if (h->attr != AT_URL ||
	    (h->state != H_VALUE_DQ && h->state != H_VALUE_SQ))
		return;
	h->url &= ~URL_START;
	if (!(h->url & URL_SETTLED))
		h->url |= URL_OPEN;
}

void
htmlctx_repeat(struct htmlctx *h)
{
	if (h->attr == AT_URL &&
	    (h->state == H_VALUE_DQ || h->state == H_VALUE_SQ) &&
	    !(h->url & URL_SETTLED))
		h->url |= URL_OPEN;
}

/* Equal as far as anything that follows could tell. */
static int
same(const struct htmlctx *a, const struct htmlctx *b)
{
	if (a->state != b->state || a->elem != b->elem)
		return 0;
	switch ((enum hstate)a->state) {
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
		       memcmp(a->name, b->name, (size_t)name_shown(a)) == 0;
	case H_VALUE_DQ:
	case H_VALUE_SQ:
		return a->end_tag == b->end_tag && a->attr == b->attr &&
		       a->url == b->url;
	default:
		return a->end_tag == b->end_tag;
	}
}

static int
between_attrs(int s)
{
	return s == H_BEFORE_ATTR || s == H_ATTR_NAME || s == H_AFTER_ATTR ||
	       s == H_JOINED || s == H_JOINED_SPACED;
}

int
htmlctx_join(const struct htmlctx *a, struct htmlctx *b)
{
	if (same(a, b))
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
		b->url = (unsigned char)(((a->url | b->url) &
					  (URL_START | URL_OPEN)) |
					 (a->url & b->url & URL_SETTLED));
		return 0;
	}
	return -1;
}

int
htmlctx_end(const struct htmlctx *h, char *why, size_t whylen)
{
	if (h->state == H_TEXT)
		return 0;
	return refuse(why, whylen, "%s%s", where(h),
		      h->state == H_RCDATA || h->state == H_RAWTEXT
			      ? " that is never closed"
			      : "");
}
