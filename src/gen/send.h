/* Sending a workload to a running `cbec serve` over HTTP/1.1 (plain TCP, no TLS): one
 * connection for single requests (a stock-in, a look-up), or N kept-alive connections, each
 * a thread, POSTing messages pulled from a shared source, every answer handed back and its
 * latency kept in a log-scale histogram. Used by `cbec gen --send` and bench_platform. */
#ifndef GEN_SEND_H
#define GEN_SEND_H

#include <stddef.h>
#include <stdint.h>

struct gsend_target {
	char host[256];
	char port[8];
};

/* "http://HOST[:PORT][/]" (default port 80). 0, or CBEC_EINVAL with the reason in err. */
int gsend_parse_url(const char *url, struct gsend_target *t, char *err, size_t errlen);

struct gsend_conn;

/* A connection made on its first request; never NULL unless out of memory. */
struct gsend_conn *gsend_conn_new(const struct gsend_target *t);
void gsend_conn_free(struct gsend_conn *c);

/* One request; a kept-alive connection the server has closed is opened again once. Returns
 * the HTTP status, or -1 when nothing came back (no connection, a broken answer). The
 * answer's body is in *resp, *resp_len (the connection's, valid until its next request). */
int gsend_request(struct gsend_conn *c, const char *method, const char *path, const char *ctype,
		  const char *token, const char *body, size_t len, const char **resp,
		  size_t *resp_len);

/* One message to POST to /api/v1/messages; tag is the caller's, given back with its answer. */
struct gsend_msg {
	const char *body;
	size_t len;
	const char *token;
	char tag[48];
};

/* Fills the next message: 0, or 1 when there are no more. Called under the sender's lock
 * (one at a time); the bytes are copied before the lock is let go. */
typedef int (*gsend_source_fn)(void *ctx, struct gsend_msg *m);
/* Each answer (status -1: none), under the same lock; resp is valid during the call only. */
typedef void (*gsend_answer_fn)(void *ctx, const char *tag, int status, const char *resp,
				size_t len);

struct gsend_opts {
	const struct gsend_target *to;
	int clients;  /* connections at once (1 if less) */
	double rate;  /* messages a second over all clients; 0 = as fast as answered */
	int retries;  /* a 503 (not stored: send again) is sent again this many times, 100 ms apart */
};

struct gsend_result {
	uint64_t sent, ok, bad, unavailable, errors, retried; /* ok 200, bad 4xx, unavailable 503 */
	double seconds;
	double p50_ms, p99_ms, max_ms; /* from a request's first byte sent to its answer */
};

/* 0, or CBEC_ENOMEM. `answer` may be NULL. */
int gsend_run(const struct gsend_opts *o, gsend_source_fn src, gsend_answer_fn answer, void *ctx,
	      struct gsend_result *out);

#endif
