/*
 * tmplpot.c -- the template half of `make po`: writes the messages of the
 * {{t}} and {{tn}} tags of the templates named on the command line as a
 * PO template on standard output, each with its file:line references
 * (one entry per message, however many places use it).  xgettext cannot
 * read our templates; scripts/po.sh hands this output to xgettext
 * together with the module's C files.  It compiles each template with the
 * real compiler (template.c), so what it extracts is what renders, and a
 * template that does not compile stops it.  Runs at build time only.
 *
 * Usage: tmplpot FILE.html... > templates.pot
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/template.h"
#include "core/util.h"

struct msg {
	char *context, *msgid, *plural; /* context may be NULL */
	struct buf refs; /* "#: file:line" lines */
};

static struct msg *msgs;
static size_t nmsgs, capmsgs;
static const char *current_file;

static void
on_message(void *arg, size_t line, const char *context, const char *msgid,
	   const char *plural)
{
	struct msg *m = NULL;

	for (size_t i = 0; i < nmsgs; i++)
		if (strcmp(msgs[i].msgid, msgid) == 0 &&
		    (msgs[i].context && context
			     ? strcmp(msgs[i].context, context) == 0
			     : msgs[i].context == context))
			m = &msgs[i];
	if (m == NULL) {
		if (nmsgs == capmsgs) {
			capmsgs = capmsgs ? capmsgs * 2 : 64;
			msgs = xrealloc(msgs, capmsgs * sizeof(*msgs));
		}
		m = &msgs[nmsgs++];
		memset(m, 0, sizeof(*m));
		m->msgid = xstrdup(msgid);
		m->context = context ? xstrdup(context) : NULL;
	}
	if (plural && m->plural == NULL)
		m->plural = xstrdup(plural);
	buf_printf(&m->refs, "#: %s:%zu\n", current_file, line);
}

/* Writes s as a PO string: "..." with \\, \", \n and \t escaped. */
static void
po_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			printf("\\%c", *s);
		else if (*s == '\n')
			printf("\\n");
		else if (*s == '\t')
			printf("\\t");
		else
			putchar(*s);
	}
	putchar('"');
}

int
main(int argc, char **argv)
{
	char err[512];

	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		struct buf src = BUF_INIT;
		char chunk[8192];
		size_t n;

		if (f == NULL) {
			perror(argv[i]);
			return 1;
		}
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			buf_put(&src, chunk, n);
		fclose(f);
		current_file = argv[i];
		if (tmpl_messages(argv[i], buf_cstr(&src), src.len, on_message,
				  NULL, err, sizeof(err)) != 0) {
			fprintf(stderr, "%s\n", err);
			return 1;
		}
		buf_free(&src);
	}
	printf("msgid \"\"\nmsgstr \"\"\n"
	       "\"Content-Type: text/plain; charset=UTF-8\\n\"\n");
	for (size_t i = 0; i < nmsgs; i++) {
		printf("\n%s", buf_cstr(&msgs[i].refs));
		if (msgs[i].context) {
			printf("msgctxt ");
			po_string(msgs[i].context);
			putchar('\n');
		}
		printf("msgid ");
		po_string(msgs[i].msgid);
		if (msgs[i].plural) {
			printf("\nmsgid_plural ");
			po_string(msgs[i].plural);
			printf("\nmsgstr[0] \"\"\nmsgstr[1] \"\"\n");
		} else {
			printf("\nmsgstr \"\"\n");
		}
	}
	return 0;
}
