/* The HTTP API on libmicrohttpd:
 *   POST /api/v1/messages                       a CEB message in, its receipt out (after commit)
 *   GET  /api/v1/receipts?after=SEQ&limit=N     the caller's receipts after a cursor
 *   GET  /api/v1/declarations/{type}/{key}      one document's full history
 *   GET  /api/v1/stats                          figures (regulators)
 *   POST /api/v1/bonded/stock-in                a first-line stock-in (JSON), after commit
 *   GET  /api/v1/bonded/{emsNo}[/{itemRecordNo}] a bonded account's records, an item's journal
 *   GET  /api/v1/health                         liveness, no token needed
 * Every other request needs "Authorization: Bearer TOKEN" (see `cbec account add`).
 * With an audit log, each submission, denied request and read of another party's data is
 * recorded before it is answered. */
#ifndef HTTP_HTTP_H
#define HTTP_HTTP_H

#include <stddef.h>
#include <stdint.h>

struct svc;
struct audit;

struct http_opts {
	const char *listen;  /* "127.0.0.1:8080"; port 0 picks a free one */
	unsigned threads;    /* worker threads (default 2) */
	size_t max_body;     /* larger uploads get 413 */
	unsigned timeout;    /* seconds a connection may stay silent (stalled headers or body) */
	struct audit *audit; /* borrowed; submissions, denials and others' reads go here; NULL: none */
};

void http_opts_default(struct http_opts *o);

struct http;

int http_start(struct svc *svc, const struct http_opts *o, struct http **out, char *err,
	       size_t errlen);
/* Stop accepting connections; requests already in flight still get their answers. */
void http_quiesce(struct http *h);
void http_stop(struct http *h);
/* The port actually listened on. */
uint16_t http_port(const struct http *h);

#endif
