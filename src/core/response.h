/*
 * response.h -- turning a struct resp into bytes on the wire.
 *
 * http_send() chooses the representation (HTML page through render.c, or
 * the model as JSON for /api/v1 and Accept: application/json), adds the
 * headers every response carries (security headers, cache policy) and
 * queues it on the connection.  The core only; handlers use the resp_*
 * functions of http.h.
 */
#ifndef ALLIANCE_RESPONSE_H
#define ALLIANCE_RESPONSE_H

#include <microhttpd.h>
#include <stdint.h>

#include "http.h"

/* Queues w for r; *bytes gets the body size.  The MHD result. */
enum MHD_Result http_send(struct req *r, struct resp *w, uint64_t *bytes);
struct cached_page;
/* Queues a page from the page cache, with the headers a built page has. */
enum MHD_Result http_send_cached(struct req *r, const struct cached_page *p,
				 uint64_t *bytes);
/* Frees what w owns and zeroes it. */
void resp_clear(struct resp *w);
/* Switches on Strict-Transport-Security (deployments behind TLS). */
void response_set_tls(int on);

#endif
