/*
 * fuzz_csv.c -- libFuzzer target for the CSV import's parser: any bytes
 * are read as a file (csv_read), its first record mapped as the
 * header of the kind the first byte chooses, and every record checked;
 * then every field is written back and read again, which must give the
 * same fields.  Built by `make fuzz` (seeds in tests/fuzz/csv/), never
 * into alliance.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "organisations/csv.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csv_doc doc = {0}, again = {0};
	struct csv_header h;
	struct buf out = BUF_INIT;
	char err[256];
	json_t *warnings = json_array(), *errors = json_array();
	enum csv_kind kind;

	if (size == 0)
		goto done;
	kind = (enum csv_kind)(data[0] % CSV__KINDS);
	if (csv_read((const char *)data + 1, size - 1, &doc, err,
			     sizeof(err)) != 0)
		goto done;
	if (doc.nrows > 0 &&
	    csv_map_header(kind, &doc.rows[0], &h, warnings, err,
				   sizeof(err)) == 0) {
		for (size_t i = 1; i < doc.nrows; i++) {
			struct csv_values vals;

			csv_check(&h, &doc.rows[i], &vals, errors);
			csv_values_clear(&vals);
		}
	}
	/* what the writer makes, the reader reads back the same */
	for (size_t i = 0; i < doc.nrows; i++) {
		const char *fields[64];
		size_t n = doc.rows[i].n < 64 ? doc.rows[i].n : 64;
		int clean = 1;

		for (size_t k = 0; k < n; k++) {
			fields[k] = doc.rows[i].field[k];
			/* NULs and the formula guard change a field on purpose */
			if (strlen(fields[k]) != doc.rows[i].len[k] ||
			    strchr("=+-@\t\r'", fields[k][0]) != NULL)
				clean = 0;
		}
		if (!clean || n == 0)
			continue;
		/* as the export writes it: a BOM, then the record */
		buf_reset(&out);
		buf_puts(&out, CSV_BOM);
		csv_put_row(&out, fields, n);
		csv_doc_free(&again);
		memset(&again, 0, sizeof(again));
		if (csv_read(buf_cstr(&out), out.len, &again, err,
				     sizeof(err)) != 0 ||
		    again.nrows != 1 || again.rows[0].n != n)
			abort();
		for (size_t k = 0; k < n; k++)
			if (strcmp(again.rows[0].field[k], fields[k]) != 0)
				abort();
	}
done:
	csv_doc_free(&again);
	csv_doc_free(&doc);
	buf_free(&out);
	json_decref(warnings);
	json_decref(errors);
	return 0;
}
