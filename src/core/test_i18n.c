/*
 * test_i18n.c -- unit tests of the translations (i18n.c) and of the
 * template tags {{t}} and {{tn}} (template.c).
 *
 * The catalogs are the real ones embedded in the binary (fr, ar), plus a
 * catalog "xx" built here as MO bytes, whose translations are hostile: a
 * markup message whose translation changes the link or adds a tag, a
 * plain message whose translation carries a script.  The catalog check
 * over the embedded catalogs (i18n_check) is what fails when a
 * translator's tags differ from the English.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "core/template.h"

/* ---- a catalog built here ---- */

struct pair {
	const char *id; /* msgid, "one\0many" for plurals: idlen counts */
	size_t idlen;
	const char *str; /* msgstr, forms separated by NULs: strlen counts */
	size_t strlen;
};

#define P(id, str)                                                             \
	{                                                                      \
		id, sizeof(id) - 1, str, sizeof(str) - 1                       \
	}

/* MO bytes for pairs (the first must be the header, msgid ""). */
static char *
mo_build(const struct pair *p, size_t n, size_t *len)
{
	struct buf b = BUF_INIT;
	uint32_t hdr[7] = {
		0x950412de, 0, (uint32_t)n, 28, (uint32_t)(28 + 8 * n), 0, 0};
	uint32_t off = (uint32_t)(28 + 16 * n);

	buf_put(&b, hdr, sizeof(hdr));
	for (size_t i = 0; i < n; i++) { /* originals */
		uint32_t e[2] = {(uint32_t)p[i].idlen, off};

		buf_put(&b, e, sizeof(e));
		off += (uint32_t)p[i].idlen + 1;
	}
	for (size_t i = 0; i < n; i++) { /* translations */
		uint32_t e[2] = {(uint32_t)p[i].strlen, off};

		buf_put(&b, e, sizeof(e));
		off += (uint32_t)p[i].strlen + 1;
	}
	for (size_t i = 0; i < n; i++)
		buf_put(&b, p[i].id, p[i].idlen + 1);
	for (size_t i = 0; i < n; i++)
		buf_put(&b, p[i].str, p[i].strlen + 1);
	return buf_detach(&b, len);
}

static const struct pair hostile[] = {
	P("", "Content-Type: text/plain; charset=UTF-8\n"
	      "Plural-Forms: nplurals=2; plural=(n > 1);\n"),
	P("See the <a href=\"/privacy\">privacy policy</a>.",
	  "Voir la <a href=\"https://evil.example/\">politique</a>."),
	P("Read <strong>this</strong>.",
	  "Lisez <strong>ceci</strong> <em>maintenant</em>."),
	P("Go <a href=\"/a\">here</a> and <em>there</em>.",
	  "Allez <em>là-bas</em> et <a href=\"/a\">ici</a>."),
	P("Hello", "<script>alert(1)</script>"),
	P("Up to {mb} MB", "\" onmouseover=\"x {mb} Mo"),
	P("{n} file\0{n} files", "{n} fichier\0{n} fichiers"),
	/* one English word, two meanings: a msgctxt apart */
	P("Sponsor", "Donateur"),
	P("menu\004Sponsor", "Soutenir"),
	P("people\004{n} sponsor\0{n} sponsors",
	  "{n} donateur\0{n} donateurs"),
};

static char *hostile_mo;
static size_t hostile_len;

static int
setup(void **state)
{
	char err[256];

	if (i18n_init("en", err, sizeof(err)) != 0) {
		fprintf(stderr, "i18n_init: %s\n", err);
		return -1;
	}
	hostile_mo = mo_build(hostile, sizeof(hostile) / sizeof(hostile[0]),
			      &hostile_len);
	if (i18n_add("xx", hostile_mo, hostile_len, err, sizeof(err)) != 0) {
		fprintf(stderr, "i18n_add: %s\n", err);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	i18n_free();
	free(hostile_mo);
	return 0;
}

/* Renders src with json in language code; the caller frees. */
static char *
render_in(const char *code, const char *src, const char *json)
{
	struct tmpl_set *set = tmpl_set_new();
	json_t *ctx = json_loads(json, JSON_DECODE_ANY, NULL);
	struct buf out = BUF_INIT;
	char err[256];

	assert_non_null(ctx);
	if (tmpl_set_add(set, "t", src, strlen(src), err, sizeof(err)) != 0)
		fail_msg("unexpected compile error: %s", err);
	i18n_push(code);
	assert_int_equal(tmpl_render(set, "t", ctx, &out), 0);
	i18n_pop();
	json_decref(ctx);
	tmpl_set_free(set);
	return buf_detach(&out, NULL);
}

#define assert_renders_in(code, src, json, want)                               \
	do {                                                                   \
		char *got_ = render_in(code, src, json);                       \
		assert_string_equal(got_, want);                               \
		free(got_);                                                    \
	} while (0)

static const char *
compile_error(const char *src)
{
	static char err[512];
	struct tmpl_set *set = tmpl_set_new();

	strcpy(err, "(none)");
	assert_int_equal(
		tmpl_set_add(set, "t", src, strlen(src), err, sizeof(err)), -1);
	tmpl_set_free(set);
	return err;
}

/* ---- catalogs ---- */

static void
embedded_catalogs_load_with_their_direction(void **state)
{
	const struct i18n_lang *fr = i18n_lang_find("fr", 2);
	const struct i18n_lang *ar = i18n_lang_find("AR", 2);

	assert_string_equal(i18n_lang_at(0)->code, "en");
	assert_non_null(fr);
	assert_non_null(ar);
	assert_false(fr->rtl);
	assert_true(ar->rtl);
	assert_string_equal(fr->name, "Français");
	assert_null(i18n_lang_find("f", 1));
	assert_null(i18n_lang_find("de", 2));
}

static void
gettext_translates_in_the_current_language(void **state)
{
	assert_string_equal(_("Contact the secretariat"),
			    "Contact the secretariat");
	i18n_push("fr");
	assert_string_equal(_("Contact the secretariat"),
			    "Contacter le secrétariat");
	assert_string_equal(i18n_code(), "fr");
	assert_string_equal(i18n_dir(), "ltr");
	i18n_push("ar");
	assert_string_equal(i18n_dir(), "rtl");
	assert_string_equal(_("Sign in"), "تسجيل الدخول");
	/* untranslated in Arabic: the English */
	assert_string_equal(_("Contact the secretariat"),
			    "Contact the secretariat");
	i18n_pop();
	assert_string_equal(i18n_code(), "fr");
	/* a string nobody marked is itself */
	assert_string_equal(_("No such message"), "No such message");
	i18n_pop();
	assert_string_equal(i18n_code(), "en");
	/* an unknown code: the default */
	i18n_push("zz");
	assert_string_equal(i18n_code(), "en");
	i18n_pop();
}

static void
plural_forms_follow_each_language(void **state)
{
	static const struct {
		unsigned long n;
		const char *fr, *ar;
	} cases[] = {
		{0, "{n} minute", "{n} دقيقة"},
		{1, "{n} minute", "دقيقة واحدة"},
		{2, "{n} minutes", "دقيقتان"},
		{3, "{n} minutes", "{n} دقائق"},
		{11, "{n} minutes", "{n} دقيقة"},
		{100, "{n} minutes", "{n} دقيقة"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_string_equal(i18n_ngettext_in(i18n_lang_find("fr", 2),
						     "{n} minute",
						     "{n} minutes", cases[i].n),
				    cases[i].fr);
		assert_string_equal(i18n_ngettext_in(i18n_lang_find("ar", 2),
						     "{n} minute",
						     "{n} minutes", cases[i].n),
				    cases[i].ar);
	}
	assert_string_equal(_n("{n} minute", "{n} minutes", 1), "{n} minute");
	assert_string_equal(_n("{n} minute", "{n} minutes", 0), "{n} minutes");
}

static void
plural_expressions_evaluate_french_and_arabic(void **state)
{
	static const char *ar =
		"n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : "
		"n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5;";
	static const struct {
		unsigned long n, form;
	} arabic[] = {{0, 0},   {1, 1},   {2, 2},   {3, 3},   {10, 3},
		      {11, 4},  {99, 4},  {100, 5}, {101, 5}, {102, 5},
		      {103, 3}, {111, 4}, {1000, 5}};
	unsigned long form;

	for (unsigned long n = 0; n < 5; n++) {
		assert_int_equal(i18n_plural_eval("(n > 1)", n, &form), 0);
		assert_int_equal(form, n > 1);
	}
	for (size_t i = 0; i < sizeof(arabic) / sizeof(arabic[0]); i++) {
		assert_int_equal(i18n_plural_eval(ar, arabic[i].n, &form), 0);
		assert_int_equal(form, arabic[i].form);
	}
	/* precedence: || below &&, == below <, % above + */
	assert_int_equal(i18n_plural_eval("n%10==1 && n%100!=11 ? 0 : "
					  "n%10>=2 && n%10<=4 && (n%100<10 || "
					  "n%100>=20) ? 1 : 2",
					  22, &form),
			 0);
	assert_int_equal(form, 1);
	assert_int_equal(i18n_plural_eval("n % 0", 5, &form), 0);
	assert_int_equal(form, 0); /* no division by zero */
	assert_int_equal(i18n_plural_eval("1 + 2 - 1", 5, &form), 0);
	assert_int_equal(form, 2);
}

static void
plural_expressions_outside_the_subset_are_refused(void **state)
{
	static const char *bad[] = {
		"",
		"n / 2",
		"n * 2",
		"exit(1)",
		"n ? 1",
		"(n > 1",
		"n > 1)",
		"n = 1",
		"n == 1 x",
		"!n",
		"n >> 1",
		"m > 1",
		"nn",
		"n ? 1 : ",
		"-n",
		"((((((((((((((((((((((((((((((((((n))))))))))))))))))))))))"
		"))))))))))",
	};
	unsigned long form;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (i18n_plural_eval(bad[i], 1, &form) != -1)
			fail_msg("accepted: %s", bad[i]);
}

static void
a_corrupt_catalog_is_refused(void **state)
{
	char err[256];
	static const char junk[] = "not an MO file at all, no magic here";
	char *mo;
	size_t len;
	static const struct pair bad_plural[] = {
		P("", "Plural-Forms: nplurals=2; plural=n/2;\n"),
	};

	assert_int_equal(i18n_add("yy", junk, sizeof(junk), err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "not a valid MO"));
	mo = mo_build(bad_plural, 1, &len);
	assert_int_equal(i18n_add("yy", mo, len, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "Plural-Forms"));
	/* truncated: every offset is checked */
	assert_int_equal(i18n_add("yy", hostile_mo, 40, err, sizeof(err)), -1);
	free(mo);
	assert_null(i18n_lang_find("yy", 2));
}

/* ---- Accept-Language ---- */

static void
accept_language_picks_the_best_available(void **state)
{
	static const struct {
		const char *header, *want; /* NULL: none */
	} cases[] = {
		{"fr", "fr"},
		{"fr-CA", "fr"},
		{"FR-ca", "fr"},
		{"de, fr;q=0.5", "fr"},
		{"en;q=0.5, fr;q=0.8", "fr"},
		{"fr;q=0, en", "en"},
		{"ar;q=0.9, fr;q=0.9", "ar"}, /* a tie: the first listed */
		{"de-DE, de;q=0.9, *;q=0.1", "en"},
		{"  fr-FR ; q=0.7 ,ar;q=0.71", "ar"},
		{"fr;q=1.000", "fr"},
		{"fr;q=2", NULL},
		{"fr;q=0.0001", NULL}, /* rounds to 0 */
		{"de", NULL},
		{"", NULL},
		{";;;,,,q=1", NULL},
		{"f", NULL},
		{"french", NULL},
	};

	assert_null(i18n_negotiate(NULL));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct i18n_lang *l = i18n_negotiate(cases[i].header);

		if (cases[i].want == NULL && l != NULL)
			fail_msg("\"%s\" gave %s", cases[i].header, l->code);
		if (cases[i].want &&
		    (l == NULL || strcmp(l->code, cases[i].want) != 0))
			fail_msg("\"%s\" gave %s, not %s", cases[i].header,
				 l ? l->code : "nothing", cases[i].want);
	}
}

/* ---- named arguments ---- */

static void
format_fills_named_arguments(void **state)
{
	struct buf b = BUF_INIT;

	i18n_format(&b, "Up to {mb} MB, {who} said {mb}", "mb", "5", "who",
		    "<Ana>", NULL);
	assert_string_equal(buf_cstr(&b), "Up to 5 MB, <Ana> said 5");
	buf_reset(&b);
	i18n_format(&b, "{{x} {unknown} {} { x} {", "x", "1", NULL);
	assert_string_equal(buf_cstr(&b), "{x} {unknown} {} { x} {");
	buf_free(&b);
}

static void
text_fills_arguments_into_the_arena(void **state)
{
	struct arena *a = arena_new();

	/* more pairs than the three copies it replaced took (4, 6, 6) */
	assert_string_equal(i18n_text(a, "{a}{b}{c}{d}{e}{f}{g}{h}", "a", "1",
				      "b", "2", "c", "3", "d", "4", "e", "5",
				      "f", "6", "g", "7", "h", "8", NULL),
			    "12345678");
	assert_string_equal(i18n_text(a, "{who} & {none}", "who", NULL, NULL),
			    " & {none}");
	arena_free(a);
}

/* ---- template tags ---- */

static void
t_tag_translates_and_escapes_in_text(void **state)
{
	assert_renders_in("fr", "<h1>{{t \"Contact the secretariat\"}}</h1>",
			  "{}", "<h1>Contacter le secrétariat</h1>");
	assert_renders_in("en", "<h1>{{t \"Contact the secretariat\"}}</h1>",
			  "{}", "<h1>Contact the secretariat</h1>");
	/* the English is escaped too */
	assert_renders_in("en", "<p>{{t \"Fish & chips\"}}</p>", "{}",
			  "<p>Fish &amp; chips</p>");
	/* quotes and backslashes in the msgid */
	assert_renders_in("en", "<p>{{t \"a \\\"b\\\" \\\\ c\"}}</p>", "{}",
			  "<p>a &quot;b&quot; \\ c</p>");
}

static void
t_tag_arguments_are_escaped_for_their_context(void **state)
{
	assert_renders_in(
		"fr", "<span>{{t \"(optional, up to {mb} MB)\" mb=n}}</span>",
		"{\"n\": 5}", "<span>(facultatif, 5 Mo au maximum)</span>");
	assert_renders_in(
		"en", "<input value=\"{{t \"Up to {mb} MB\" mb=v}}\">",
		"{\"v\": \"\\\"><script>\"}",
		"<input value=\"Up to &quot;&gt;&lt;script&gt; MB\">");
	/* a translation that tries to leave the attribute is escaped */
	assert_renders_in("xx",
			  "<input value=\"{{t \"Up to {mb} MB\" mb=v}}\">",
			  "{\"v\": \"1\"}",
			  "<input value=\"&quot; onmouseover=&quot;x 1 Mo\">");
}

static void
tn_tag_chooses_the_plural_form(void **state)
{
	const char *src = "<p>{{tn \"{n} file\" \"{n} files\" n=count}}</p>";

	assert_renders_in("en", src, "{\"count\": 1}", "<p>1 file</p>");
	assert_renders_in("en", src, "{\"count\": 0}", "<p>0 files</p>");
	assert_renders_in("xx", src, "{\"count\": 0}", "<p>0 fichier</p>");
	assert_renders_in("xx", src, "{\"count\": 1}", "<p>1 fichier</p>");
	assert_renders_in("xx", src, "{\"count\": 7}", "<p>7 fichiers</p>");
	assert_renders_in("xx", src, "{\"count\": \"3\"}", "<p>3 fichiers</p>");
	assert_renders_in("en", src, "{}", "<p> files</p>");
}

static void
markup_messages_keep_their_tags(void **state)
{
	const char *src =
		"<p>{{t \"We use what you send only to answer you; see the "
		"<a href=\\\"/privacy\\\">privacy policy</a>.\"}}</p>";

	assert_renders_in(
		"en", src, "{}",
		"<p>We use what you send only to answer you; see the <a "
		"href=\"/privacy\">privacy policy</a>.</p>");
	assert_renders_in("fr", src, "{}",
			  "<p>Nous n&#39;utilisons ce que vous nous envoyez "
			  "que pour vous répondre ; voir notre <a "
			  "href=\"/privacy\">politique de confidentialité</a>."
			  "</p>");
	/* the same tags in another order: used */
	assert_renders_in(
		"xx",
		"<p>{{t \"Go <a href=\\\"/a\\\">here</a> and "
		"<em>there</em>.\"}}"
		"</p>",
		"{}",
		"<p>Allez <em>là-bas</em> et <a href=\"/a\">ici</a>.</p>");
}

static void
hostile_translations_are_not_used(void **state)
{
	/* another link: the English */
	assert_renders_in(
		"xx",
		"<p>{{t \"See the <a href=\\\"/privacy\\\">privacy "
		"policy</a>.\"}}"
		"</p>",
		"{}",
		"<p>See the <a href=\"/privacy\">privacy policy</a>.</p>");
	/* a tag more: the English */
	assert_renders_in("xx", "<p>{{t \"Read <strong>this</strong>.\"}}</p>",
			  "{}", "<p>Read <strong>this</strong>.</p>");
	/* markup in a message without any: text */
	assert_renders_in("xx", "<p>{{t \"Hello\"}}</p>", "{}",
			  "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
}

static void
catalog_check_reports_tags_that_differ(void **state)
{
	struct buf report = BUF_INIT;
	char err[256];

	/* with the hostile catalog: its two bad markup translations */
	assert_int_equal(i18n_check(&report), 2);
	assert_non_null(strstr(buf_cstr(&report), "evil.example"));
	buf_free(&report);
	/* the shipped catalogs alone: clean */
	assert_int_equal(i18n_init("en", err, sizeof(err)), 0);
	assert_int_equal(i18n_check(&report), 0);
	if (report.len)
		fail_msg("%s", buf_cstr(&report));
	buf_free(&report);
	assert_int_equal(
		i18n_add("xx", hostile_mo, hostile_len, err, sizeof(err)), 0);
}

static void
markup_is_checked_when_compiling(void **state)
{
	assert_non_null(strstr(compile_error("<p>{{t \"<b>bold</b>\"}}</p>"),
			       "markup"));
	assert_non_null(strstr(
		compile_error("<p>{{t \"<a href=\\\"javascript:x\\\">x</a>\"}}"
			      "</p>"),
		"markup"));
	assert_non_null(strstr(
		compile_error("<p>{{t \"<a href=\\\"//evil\\\">x</a>\"}}</p>"),
		"markup"));
	assert_non_null(
		strstr(compile_error("<p>{{t \"<em>open\"}}</p>"), "markup"));
	assert_non_null(strstr(
		compile_error("<p>{{t \"<em>a<strong>b</em></strong>\"}}</p>"),
		"markup"));
	assert_non_null(
		strstr(compile_error("<p title=\"{{t \"<em>x</em>\"}}\"></p>"),
		       "only in HTML text"));
	assert_non_null(
		strstr(compile_error("<p>{{t \"a > b\"}}</p>"), "markup"));
}

static void
translation_tags_are_refused_where_they_cannot_be_escaped(void **state)
{
	assert_non_null(strstr(compile_error("<a href=\"{{t \"x\"}}\">a</a>"),
			       "not URLs"));
	assert_non_null(
		strstr(compile_error("<script>{{t \"x\"}}</script>"), "only"));
	assert_non_null(strstr(compile_error("<p>{{t \"Up to {mb} MB\"}}</p>"),
			       "{mb} has no argument"));
	assert_non_null(
		strstr(compile_error("<p>{{tn \"a\" \"b\"}}</p>"), "n=path"));
	assert_non_null(
		strstr(compile_error("<p>{{t \"unclosed}}</p>"), "write {{t"));
	assert_non_null(strstr(compile_error("<p>{{t \"\"}}</p>"), "is empty"));
	assert_non_null(strstr(compile_error("<p>{{t \"x\" a=b a=c}}</p>"),
			       "given twice"));
	/* allowed: a quoted attribute and <title> */
	assert_renders_in("fr", "<b title=\"{{t \"Sign in\"}}\"></b>", "{}",
			  "<b title=\"Se connecter\"></b>");
	assert_renders_in("fr", "<title>{{t \"Sign in\"}}</title>", "{}",
			  "<title>Se connecter</title>");
}

static void
a_context_keeps_two_meanings_apart(void **state)
{
	i18n_push("xx");
	assert_string_equal(_("Sponsor"), "Donateur");
	assert_string_equal(C_("menu", "Sponsor"), "Soutenir");
	/* a context the catalog lacks: the English, not another meaning */
	assert_string_equal(C_("verb", "Sponsor"), "Sponsor");
	assert_string_equal(C_(NULL, "Sponsor"), "Donateur");
	assert_string_equal(i18n_npgettext_in(NULL, "people", "{n} sponsor",
					      "{n} sponsors", 3),
			    "{n} donateurs");
	assert_string_equal(i18n_npgettext_in(NULL, "other", "{n} sponsor",
					      "{n} sponsors", 3),
			    "{n} sponsors");
	i18n_pop();
	assert_string_equal(C_("menu", "Sponsor"), "Sponsor");
	assert_renders_in("xx",
			  "<a href=\"/s\">{{t \"Sponsor\" context=\"menu\"}}</a> "
			  "{{t \"Sponsor\"}} "
			  "{{tn \"{n} sponsor\" \"{n} sponsors\" n=k "
			  "context=\"people\"}}",
			  "{\"k\": 2}",
			  "<a href=\"/s\">Soutenir</a> Donateur 2 donateurs");
	assert_renders_in("en", "{{t \"Sponsor\" context=\"menu\"}}", "{}",
			  "Sponsor");
	/* one context, a string, not empty */
	assert_non_null(strstr(compile_error("{{t \"A\" context=\"x\" "
					     "context=\"y\"}}"),
			       "at most one context"));
	assert_non_null(
		strstr(compile_error("{{t \"A\" context=x}}"), "context"));
	assert_non_null(
		strstr(compile_error("{{t \"A\" context=\"\"}}"), "context"));
}

/* tmpl_messages: what `make po` extracts. */
struct seen {
	size_t n;
	size_t line[4];
	const char *ctx[4], *id[4], *plural[4];
};

static void
on_message(void *arg, size_t line, const char *context, const char *msgid,
	   const char *plural)
{
	struct seen *s = arg;

	if (s->n < 4) {
		s->line[s->n] = line;
		s->ctx[s->n] = context ? strdup(context) : NULL;
		s->id[s->n] = strdup(msgid);
		s->plural[s->n] = plural ? strdup(plural) : NULL;
	}
	s->n++;
}

static void
extraction_lists_messages_with_their_lines(void **state)
{
	static const char src[] = "<p>{{t \"One\"}}</p>\n\n"
				  "<p>{{#x}}{{tn \"{n} a\" \"{n} b\" n=x}}"
				  "{{/x}}</p>\n<b title=\"{{t \"Two\" "
				  "context=\"bold\"}}\"></b>";
	struct seen s = {0};
	char err[128];

	assert_int_equal(tmpl_messages("t", src, sizeof(src) - 1, on_message,
				       &s, err, sizeof(err)),
			 0);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.line[0], 1);
	assert_string_equal(s.id[0], "One");
	assert_null(s.plural[0]);
	assert_int_equal(s.line[1], 3);
	assert_string_equal(s.plural[1], "{n} b");
	assert_int_equal(s.line[2], 4);
	assert_string_equal(s.id[2], "Two");
	assert_null(s.ctx[0]);
	assert_string_equal(s.ctx[2], "bold");
	for (size_t i = 0; i < 3; i++) {
		free((char *)s.ctx[i]);
		free((char *)s.id[i]);
		free((char *)s.plural[i]);
	}
	assert_int_equal(tmpl_messages("t", "{{t \"", 5, on_message, &s, err,
				       sizeof(err)),
			 -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(embedded_catalogs_load_with_their_direction),
		cmocka_unit_test(gettext_translates_in_the_current_language),
		cmocka_unit_test(plural_forms_follow_each_language),
		cmocka_unit_test(plural_expressions_evaluate_french_and_arabic),
		cmocka_unit_test(
			plural_expressions_outside_the_subset_are_refused),
		cmocka_unit_test(a_corrupt_catalog_is_refused),
		cmocka_unit_test(accept_language_picks_the_best_available),
		cmocka_unit_test(format_fills_named_arguments),
		cmocka_unit_test(text_fills_arguments_into_the_arena),
		cmocka_unit_test(t_tag_translates_and_escapes_in_text),
		cmocka_unit_test(t_tag_arguments_are_escaped_for_their_context),
		cmocka_unit_test(tn_tag_chooses_the_plural_form),
		cmocka_unit_test(markup_messages_keep_their_tags),
		cmocka_unit_test(hostile_translations_are_not_used),
		cmocka_unit_test(catalog_check_reports_tags_that_differ),
		cmocka_unit_test(markup_is_checked_when_compiling),
		cmocka_unit_test(
			translation_tags_are_refused_where_they_cannot_be_escaped),
		cmocka_unit_test(extraction_lists_messages_with_their_lines),
		cmocka_unit_test(a_context_keeps_two_meanings_apart),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
