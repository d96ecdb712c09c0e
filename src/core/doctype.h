/*
 * doctype.h -- the documents people may upload to be kept and served back
 * to others (a working party's resources, a meeting's documents): PDF,
 * Word, OpenDocument text and plain text, told by the name's ending AND
 * the first bytes (a .pdf that does not begin "%PDF-" is refused; plain
 * text must be UTF-8 without NUL), so what is served back with a type is
 * that type.  And the size of a document as words.
 */
#ifndef ALLIANCE_DOCTYPE_H
#define ALLIANCE_DOCTYPE_H

#include <jansson.h>

#include "core/http.h"

struct doc_type {
	const char *ext;  /* ".pdf" */
	const char *type; /* the content type it is stored and served as */
	const char *magic;
	size_t magic_len; /* 0: plain text, checked to be UTF-8 */
};

/* The type of the upload, or NULL when it is none we keep. */
const struct doc_type *doc_type_of(const struct upload *up);

/* "2.4 MB", "312 KB", "80 bytes" (translated), as a new string. */
json_t *doc_size_text(json_int_t n);

/* The checks of a form that adds a document by its field "kind":
 * "file" (the upload "file", which must be a document we keep), "link"
 * (the field "url", an http(s) address by its FT_URL type) or "library"
 * (the field "library_ref"): a field error (req_error) where what the
 * kind needs is missing or refused.  The type of the file, or NULL. */
const struct doc_type *doc_source_check(struct req *r);

#endif
