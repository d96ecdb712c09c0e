/*
 * template.h -- HTML templates that escape by context.
 *
 * A template is HTML with mustache-like tags, compiled once into a list of
 * operations.  While compiling, a small HTML tokenizer follows the literal
 * text so that every insertion knows where it stands, and escapes for that
 * place: HTML text, a quoted attribute value, or a URL attribute (href, src,
 * action, ...).  Places where no escaping is safe (inside <script> or
 * <style>, an unquoted attribute, an event-handler or style attribute, a tag
 * name, an HTML comment) are compile errors, so a template that compiles is
 * safe for any data.
 *
 * Tags:
 *   {{path}}           the value at path, escaped for the context
 *   {{#path}}..{{/path}}  section: loops over an array, enters an object,
 *                      renders once for any other truthy value
 *   {{^path}}..{{/path}}  inverted section: renders when path is falsy
 *                      (missing, null, false, 0, "", empty array/object)
 *   {{> name}}         partial: another template of the same set, with the
 *                      current context
 *   {{raw path}}       the value inserted without escaping; allowed only in
 *                      HTML text context; greppable on purpose
 *   {{! comment}}      nothing
 *   {{t "English text" name=path ...}}
 *                      the text in the request's language (i18n.h),
 *                      escaped for the context, each {name} in it
 *                      replaced by the value at path, escaped the same
 *                      way; allowed in HTML text, <title>/<textarea> and
 *                      quoted attribute values (not URL attributes)
 *   {{tn "{n} item" "{n} items" n=path ...}}
 *                      the plural form for the count at path n
 *   context="..." in either: the message's context (msgctxt), for one
 *                      English word with two meanings ("Sponsor")
 * A message may carry simple inline markup in HTML text only: <a
 * href="/fixed">, <strong>, <em>, <code> (closed and nested) and <br>; the
 * compiler refuses any other, and a translation is used only if it carries
 * exactly the same tags (else the English is shown).  In the quoted text,
 * \" is a quote and \\ a backslash.
 * A path is "." (the current value) or dotted names "a.b.c", looked up from
 * the innermost context outwards (mustache rules); an all-digit name also
 * indexes an array ("list.0" is the first element).  Inside an array section
 * "@index" is the 0-based and "@number" the 1-based position, "@first" and
 * "@last" are booleans.  Numbers render in decimal, true renders "true",
 * null/false/missing render nothing.
 */
#ifndef ALLIANCE_TEMPLATE_H
#define ALLIANCE_TEMPLATE_H

#include <jansson.h>
#include <stddef.h>

#include "util.h"

struct tmpl_set;

struct tmpl_set *tmpl_set_new(void);
void tmpl_set_free(struct tmpl_set *set);

/*
 * Compiles src[0..len) and stores it under name (copied).  Replaces a
 * template of the same name.  Returns 0, or -1 with a message such as
 * "home.html:12:5: {{x}} inside <script> cannot be escaped" in err.
 */
int tmpl_set_add(struct tmpl_set *set, const char *name, const char *src,
		 size_t len, char *err, size_t errlen);

/* 1 when a template of that name exists. */
int tmpl_exists(const struct tmpl_set *set, const char *name);

/*
 * Renders template name with ctx (borrowed) appended to out.  Returns 0, or
 * -1 when the template or a partial it names is missing (partials are
 * resolved at render time, so a set may be filled in any order) or partials
 * nest deeper than 32.
 */
int tmpl_render(const struct tmpl_set *set, const char *name, json_t *ctx,
		struct buf *out);

/*
 * Compiles src[0..len) as template name and calls fn for each {{t}} and
 * {{tn}} in it, in order, with its line (1-based), context (NULL without
 * context="..."), msgid and plural (NULL for {{t}}): the template
 * extractor (tools/tmplpot.c) uses it.  0, or -1 with the compile error
 * in err.
 */
typedef void (*tmpl_message_fn)(void *arg, size_t line, const char *context,
				const char *msgid, const char *plural);
int tmpl_messages(const char *name, const char *src, size_t len,
		  tmpl_message_fn fn, void *arg, char *err, size_t errlen);

#endif
