/* A small HTTP/1.1 load client for the platform benchmark: N connections, each a thread with
 * one keep-alive socket, POSTing messages pulled from a shared source; latency of every
 * request recorded in a log-scale histogram. Loopback only. */
#ifndef BENCH_LOADGEN_H
#define BENCH_LOADGEN_H

#include <stddef.h>
#include <stdint.h>

/* Fills the next message to send; returns 0, or 1 when the source is exhausted. Called from
 * several threads under the load generator's lock. */
typedef int (*lg_source_fn)(void *ctx, const char **body, size_t *len, const char **token);

struct lg_opts {
	const char *host; /* "127.0.0.1" */
	int port;
	int clients;
	double rate;      /* messages per second over all clients; 0 = as fast as possible */
};

struct lg_result {
	uint64_t sent, ok, bad, unavailable, errors;
	double seconds;
	double p50_ms, p99_ms, max_ms;
};

int lg_run(const struct lg_opts *o, lg_source_fn src, void *ctx, struct lg_result *out);

#endif
