/*
 * http_int.h -- what http.c (the server and the request's life cycle) and
 * input.c (the request's fields: collected, parsed, validated) share, and
 * nothing else includes but a unit test: the per-request state, the input
 * steps the life cycle calls and the handler's run.  See http.h.
 */
#ifndef ALLIANCE_HTTP_INT_H
#define ALLIANCE_HTTP_INT_H

#include <sodium.h>
#include <time.h>

#include "form.h"
#include "http.h"
#include "util.h"

/* A raw field as received, before validation. */
struct raw_field {
	const char *name;
	const char *value;
	size_t len;
	struct raw_field *next;
};

enum body_kind { BODY_NONE, BODY_URLENCODED, BODY_MULTIPART, BODY_JSON,
		 BODY_DISCARD };

/* Per-request state that lives between the calls of on_request(). */
struct conn_state {
	struct req req;
	char *raw_uri;
	struct timespec start;
	int started;
	int responded;
	int status;
	uint64_t bytes_out;
	enum body_kind body;
	size_t body_limit, body_seen;
	int offloaded;            /* the handler runs on a hashing thread
				     (offload.h); its answer is offload_resp */
	struct resp offload_resp;
	int fail_status;          /* set while reading: answer this at end */
	const char *fail_msg;
	struct buf collected;     /* urlencoded or JSON body */
	struct raw_field *fields, **fields_tail;
	size_t nfields;
	struct multipart *mp;
	/* the multipart part being read */
	const struct field *part_field;
	size_t part_index;
	struct buf part_value;
	int part_fd;
	struct upload *part_upload;
	crypto_hash_sha256_state part_hash;
};

/* The folder uploads are streamed to (DATA/uploads/tmp), set by
 * http_serve() before the first request. */
extern char *http_upload_tmp_dir;

/* Runs r's route handler into w, then what the core owes every request
 * after it: a transaction (or a stepped statement) the handler left open
 * on r->db is rolled back and logged as a bug, so it cannot hold every
 * writer of the process; a handler that gave no answer becomes a logged
 * 500.  http_send adds the route's cache policy to w's flags.  Not
 * static so that test_writers.c can run a handler that forgets. */
void http_run_handler(struct req *r, struct resp *w);

/* ---- input.c ---- */

/* A urlencoded field (query string or body) for form_parse_urlencoded;
 * arg is the struct conn_state.  Undeclared fields are dropped. */
int http_urlencoded_cb(void *arg, const char *name, size_t nlen,
		       const char *value, size_t vlen);
/* The multipart parser's callbacks (arg: the struct conn_state): text
 * parts collected, file parts streamed to a temporary file and hashed. */
extern const struct multipart_cb http_multipart_callbacks;
/* Parses the collected JSON body into raw fields; 0, or -1 with
 * cs->fail_msg set. */
int http_parse_json_body(struct conn_state *cs);
/* Validates every declared field from the raw fields; fills r->values,
 * r->errors and r->input. */
void http_validate_fields(struct conn_state *cs);

#endif
