/*
 * doctype.c -- see doctype.h.
 */
#include "core/doctype.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/i18n.h"
#include "core/util.h"

static const struct doc_type doc_types[] = {
	{".pdf", "application/pdf", "%PDF-", 5},
	{".doc", "application/msword", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8},
	{".docx",
	 "application/vnd.openxmlformats-officedocument.wordprocessingml."
	 "document",
	 "PK\x03\x04", 4},
	{".odt", "application/vnd.oasis.opendocument.text", "PK\x03\x04", 4},
	{".txt", "text/plain", "", 0},
};

const struct doc_type *
doc_type_of(const struct upload *up)
{
	const char *name = up && up->filename ? up->filename : "";
	size_t n = strlen(name);
	char head[4096];
	size_t got = 0;
	FILE *f;

	for (size_t i = 0; up && i < ARRAY_LEN(doc_types); i++) {
		const struct doc_type *k = &doc_types[i];
		size_t e = strlen(k->ext);

		if (n <= e || strcasecmp(name + n - e, k->ext) != 0)
			continue;
		if ((f = fopen(up->tmp_path, "rb")) == NULL)
			return NULL;
		got = fread(head, 1, sizeof head, f);
		fclose(f);
		if (k->magic_len)
			return got >= k->magic_len &&
					       memcmp(head, k->magic,
						      k->magic_len) == 0
				       ? k
				       : NULL;
		/* plain text: readable, no NUL, UTF-8 (a sequence cut at
		 * the end of the sample is fine) */
		if (memchr(head, '\0', got))
			return NULL;
		while (got > 0 && !utf8_valid(head, got) &&
		       (unsigned char)head[got - 1] >= 0x80 &&
		       sizeof head - got < 4)
			got--;
		return utf8_valid(head, got) ? k : NULL;
	}
	return NULL;
}

json_t *
doc_size_text(json_int_t n)
{
	if (n >= 1024 * 1024)
		return json_sprintf(_("%.1f MB"), (double)n / (1024 * 1024));
	if (n >= 1024)
		return json_sprintf(_("%lld KB"), (long long)((n + 1023) / 1024));
	return json_sprintf(_("%lld bytes"), (long long)n);
}

const struct doc_type *
doc_source_check(struct req *r)
{
	const struct value *kind = req_value(r, "kind");
	struct upload *up = req_upload(r, "file");
	const struct doc_type *dt = NULL;

	if (!kind->present)
		return NULL; /* the field's own error says so */
	if (!strcmp(kind->str, "link") && !req_value(r, "url")->present)
		req_error(r, "url",
			  _("Enter the address of the link, beginning with "
			    "https:// or http://."));
	if (!strcmp(kind->str, "library") &&
	    !req_value(r, "library_ref")->present)
		req_error(r, "library_ref",
			  _("Enter the reference of the library item."));
	if (!strcmp(kind->str, "file")) {
		if (up == NULL || up->size == 0)
			req_error(r, "file", _("Choose the file to upload."));
		else if ((dt = doc_type_of(up)) == NULL)
			req_error(r, "file",
				  _("This file is not one we keep: send a "
				    "PDF, Word, OpenDocument text or plain "
				    "text file."));
	}
	return dt;
}
