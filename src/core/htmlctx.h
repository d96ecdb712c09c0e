/*
 * htmlctx.h -- where in an HTML document a byte stands.
 *
 * A struct htmlctx follows literal HTML one byte at a time, through the
 * states of the HTML5 tokenizer that matter for escaping: text, the content
 * of <title>/<textarea> or <script>/<style>, comments, tags, attribute
 * names and values.  At any point it says what an insertion there would
 * be: HTML text, a quoted attribute value, a quoted URL attribute value
 * (at its start or further in), or a place where no escaping is safe.  The
 * template compiler (template.c) is its user: it feeds the literal text
 * between tags, asks before every insertion, and joins the contexts of a
 * section that may or may not render.
 *
 * The struct is plain data with no allocation: copy it to remember a
 * context, zero it (or htmlctx_init) to start in HTML text.  Its fields are
 * private to htmlctx.c.  Messages are sentences without a position; the
 * caller adds where the byte or tag is.
 *
 * Known limits: SVG and MathML content is tokenized as HTML; "<!" inside
 * <script> and '<' inside <title>/<textarea> are refused rather than
 * modelled.
 */
#ifndef ALLIANCE_HTMLCTX_H
#define ALLIANCE_HTMLCTX_H

#include <stddef.h>

#define HTMLCTX_NAME_KEEP 16 /* bytes of a tag or attribute name kept */

/* Where an insertion at a context lands. */
enum htmlctx_place {
	HTMLCTX_TEXT,	   /* HTML text */
	HTMLCTX_RCDATA,	   /* the text of <title> or <textarea> */
	HTMLCTX_ATTR,	   /* a quoted value of an ordinary attribute */
	HTMLCTX_URL,	   /* a quoted URL value, only spaces before: the URL */
	HTMLCTX_URL_PART,  /* a quoted URL value after other content */
	HTMLCTX_UNSAFE,	   /* anywhere else: no escaping is safe */
};

struct htmlctx {
	unsigned char state;	/* enum hstate of htmlctx.c */
	unsigned char elem;	/* element of the tag, or the one we are in */
	unsigned char attr;	/* kind of the value being read */
	unsigned char end_tag;	/* the tag being read is an end tag */
	unsigned char match;	/* progress through "</name"; dashes seen */
	unsigned char url;	/* URL_* flags */
	unsigned char namelen;	/* saturates at HTMLCTX_NAME_KEEP + 1 */
	char name[HTMLCTX_NAME_KEEP]; /* tag or attribute name, lower case */
};

/* Sets h to the start of a document: HTML text. */
void htmlctx_init(struct htmlctx *h);

/*
 * Moves h over one literal byte c (0..255).  Returns 0, or -1 for the few
 * constructs refused outright, with a sentence saying why in why[0..whylen)
 * (truncated to fit; why may be NULL when whylen is 0).  After -1, h is
 * not meaningful.
 */
int htmlctx_step(struct htmlctx *h, int c, char *why, size_t whylen);

/*
 * Where an insertion at h would land.  For HTMLCTX_UNSAFE, when whylen > 0,
 * writes to why a sentence such as "inside <script> cannot be escaped" or
 * "in an unquoted attribute value cannot be escaped; quote the value".
 */
enum htmlctx_place htmlctx_place(const struct htmlctx *h, char *why,
				 size_t whylen);

/*
 * Records an insertion of data at h, which must be a place other than
 * HTMLCTX_UNSAFE.  In a URL value data now stands before the literal has
 * settled the scheme, so a later ':' is refused (see htmlctx_step).
 */
void htmlctx_insert(struct htmlctx *h);

/*
 * Prepares h to start the body of a section that may run more than once:
 * a later turn starts where the one before ended, maybe after data in a
 * URL whose scheme is not settled, so that is assumed.
 */
void htmlctx_repeat(struct htmlctx *h);

/*
 * The context after a section, which continues from either a (where the
 * body starts, if it does not run) or b (where it ends).  Stores it in b
 * and returns 0, or returns -1 when no single context describes both.
 */
int htmlctx_join(const struct htmlctx *a, struct htmlctx *b);

/*
 * 0 when a document may end at h (in HTML text); else -1 with a phrase
 * such as "inside an element that is never closed" in why[0..whylen).
 */
int htmlctx_end(const struct htmlctx *h, char *why, size_t whylen);

#endif
