/*
 * fold.h -- text folded for matching: "Genève", "GENEVE" and "geneve" all
 * become "geneve".  Unicode compatibility decomposition, case folding and
 * the removal of combining marks (utf8proc), so a person finds names
 * whatever accents or case they type.  Stored beside a name (a _key
 * column) and used for prefix search with a bound parameter.
 */
#ifndef ALLIANCE_FOLD_H
#define ALLIANCE_FOLD_H

#include <stddef.h>

/* The folded form of UTF-8 s[0..n) with runs of spaces made one and the
 * ends trimmed; malloc'd (free it).  Invalid UTF-8 folds to "". */
char *fold_text(const char *s, size_t n);

#endif
