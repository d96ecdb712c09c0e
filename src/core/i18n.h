/*
 * i18n.h -- translations: message catalogs, the language of a request,
 * markers for C code and named arguments.
 *
 * English is the source language: a message's id (msgid) is its English
 * text.  Each module keeps gettext PO files, src/<module>/po/<lang>.po; the
 * build merges a language's files (msgcat), compiles them (msgfmt --check)
 * and embeds the result ("i18n/<lang>.mo") in the binary.  i18n_init()
 * parses the embedded catalogs once at start-up into lookup tables; after
 * that everything here is read-only and safe from any thread.  We do not
 * use glibc's gettext()/setlocale(): they need each locale generated on the
 * machine and switch per process, not per request.
 *
 * The current language is per thread.  The core sets it for each request
 * before anything is rendered (cookie "lang", then the account's saved
 * language -- struct person's language, NULL until the accounts module
 * fills it -- then Accept-Language, then the default_language setting)
 * and restores the default afterwards; it is also req->lang.  Background
 * jobs run in the default language.  Code that writes for someone else
 * (an e-mail to its recipient) wraps that in i18n_push(code) ...
 * i18n_pop().  The "lang" cookie holds a code ("fr"); the chooser sets it.
 *
 * Marking text in C (xgettext --keyword=_ --keyword=N_ --keyword=_n:1,2
 * --keyword=C_:1c,2):
 *
 *   _("Message sent")             translated now, in the current language
 *   N_("is required")             only marked for extraction (static
 *                                 tables); translate where used: _(t->msg)
 *   _n("{n} organisation", "{n} organisations", count)
 *                                 the plural form for count
 *   C_("pledge", "Sponsor")       in a context, for a word with two
 *                                 meanings (templates: context="...")
 *
 * Named arguments use the same syntax in C and templates, "{name}", so a
 * translator sees one convention.  Fill them with i18n_format():
 *
 *   i18n_format(&b, _("Up to {mb} MB"), "mb", "10", NULL);
 *
 * Translated strings are plain text: escape them where they are output
 * (templates do it for you).  In templates use {{t "..."}} and
 * {{tn "..." "..." n=path}} (see template.h).
 */
#ifndef ALLIANCE_I18N_H
#define ALLIANCE_I18N_H

#include <stdarg.h>
#include <stddef.h>

#include "util.h"

/* A language the binary has a catalog for (English always, the source). */
struct i18n_lang {
	const char *code; /* "fr": a primary subtag, lower case */
	const char *name; /* in the language itself: "Français" */
	int rtl;          /* 1 for right-to-left scripts (ar) */
};

/*
 * Parses the embedded catalogs and their Plural-Forms expressions.
 * default_lang becomes the language of threads that set none (NULL or "":
 * "en").  Returns 0, or -1 with a message in err (a default_lang without a
 * catalog, a corrupt catalog, a Plural-Forms expression outside the C
 * subset gettext uses).
 * Called once at start-up, before any thread reads a catalog.
 */
int i18n_init(const char *default_lang, char *err, size_t errlen);
void i18n_free(void);
/* For tests: adds the MO catalog mo[0..len) (kept by the caller) for
 * language code, replacing one of that code.  0, or -1 with err. */
int i18n_add(const char *code, const char *mo, size_t len, char *err,
	     size_t errlen);

/* The available languages, English first; valid after i18n_init. */
size_t i18n_lang_count(void);
const struct i18n_lang *i18n_lang_at(size_t i);
/* The language whose code is s[0..n) (case-insensitive, exact), or NULL. */
const struct i18n_lang *i18n_lang_find(const char *s, size_t n);
/* The default language (default_language setting). */
const struct i18n_lang *i18n_default(void);

/*
 * The best available language for an Accept-Language header value: the
 * highest q-value (ties: first listed) whose primary subtag ("fr" of
 * "fr-CA") is available; q=0 excludes; "*" is the default language.
 * NULL when nothing matches (or header is NULL or malformed).
 */
const struct i18n_lang *i18n_negotiate(const char *header);

/* The current thread's language: never NULL (the default if none set). */
const struct i18n_lang *i18n_current(void);
/* Its code ("fr") and direction ("ltr" or "rtl"), for <html lang dir>. */
const char *i18n_code(void);
const char *i18n_dir(void);

/* Sets the current thread's language (NULL: the default).  The core calls
 * it per request; feature code uses i18n_push/i18n_pop instead. */
void i18n_set(const struct i18n_lang *lang);

/*
 * Renders in code's language (a code such as an account's saved language;
 * NULL, empty or unknown: the default) until the matching i18n_pop().
 * Pushes nest up to 8 deep (an assert guards it).
 */
void i18n_push(const char *code);
void i18n_pop(void);

/*
 * The translation of msgid in the current language, or msgid itself when
 * there is none (English, or untranslated).  The result lives as long as
 * the program (catalog or msgid): never free it.
 */
const char *i18n_gettext(const char *msgid);
/* The plural form for n of one/many in the current language (English
 * rule, n != 1, when untranslated). */
const char *i18n_ngettext(const char *one, const char *many, unsigned long n);
/* The same for a given language (NULL: the current one). */
const char *i18n_gettext_in(const struct i18n_lang *lang, const char *msgid);
const char *i18n_ngettext_in(const struct i18n_lang *lang, const char *one,
			     const char *many, unsigned long n);

/*
 * The same in a context: one English word with two meanings ("Sponsor":
 * a person on the pledges' page, a verb in the footer) gets a msgctxt, so
 * translators see them apart.  Untranslated: msgid (or one/many).
 */
const char *i18n_pgettext(const char *ctx, const char *msgid);
const char *i18n_pgettext_in(const struct i18n_lang *lang, const char *ctx,
			     const char *msgid);
const char *i18n_npgettext_in(const struct i18n_lang *lang, const char *ctx,
			      const char *one, const char *many,
			      unsigned long n);

#define _(s) i18n_gettext(s)
#define C_(ctx, s) i18n_pgettext((ctx), (s))
#define N_(s) (s)
#define _n(one, many, n) i18n_ngettext((one), (many), (n))

/*
 * Appends text to out with each "{name}" replaced by the value of the
 * argument of that name; the arguments are name, value pairs of C strings
 * ended by a NULL name.  "{{" gives "{"; an unknown name, or a "{" that
 * opens no name, is copied as it stands.  No escaping: the result is text.
 */
void i18n_format(struct buf *out, const char *text, ...)
	__attribute__((sentinel));
/* The same with the pairs as a va_list. */
void i18n_vformat(struct buf *out, const char *text, va_list args);
/* The same into a new string in a (a request's arena). */
struct arena;
const char *i18n_text(struct arena *a, const char *text, ...)
	__attribute__((sentinel));

/*
 * The translator-facing check of the catalogs, for tests: appends one line
 * per problem to report (a translation in a markup message whose tags
 * differ from its msgid's, which is then not used) and returns their
 * number.
 */
size_t i18n_check(struct buf *report);

/* ---- for the template compiler and the tests ---- */

/* The plural form expr (a Plural-Forms "plural=" expression) gives for n:
 * 0 with *form set, or -1 when expr is outside the subset. */
int i18n_plural_eval(const char *expr, unsigned long n, unsigned long *form);
/* The length of the argument name at s, just after a '{' ("mb}" -> 2), or
 * 0 when no '}' closes a name of letters, digits and '_'. */
size_t i18n_arg_name(const char *s);
/*
 * 1 when s's inline markup is well-formed and whitelisted: <a href="...">
 * (a fixed address: "/path", "#id", "https://..." or "mailto:..."),
 * <strong>, <em>, <code>, their closing tags, properly nested, and <br>;
 * every '<' and '>' of s is part of such a tag.
 */
int i18n_markup_valid(const char *s);
/* 1 when a and b are both valid and carry the same tags (any order). */
int i18n_markup_same(const char *a, const char *b);

#endif
