#include "loadgen.h"
#include "benchutil.h"

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define NBUCKET 512 /* 2^(i/16) microseconds */

struct shared {
	const struct lg_opts *o;
	lg_source_fn src;
	void *ctx;
	pthread_mutex_t mu;
	int done;
	uint64_t issued;
	double t0;
	uint64_t hist[NBUCKET];
	struct lg_result r;
};

static int connect_to(const struct lg_opts *o)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	struct sockaddr_in sa = {0};
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)o->port);
	inet_pton(AF_INET, o->host, &sa.sin_addr);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Read one response; returns the HTTP status or -1. */
static int read_response(int fd, char *buf, size_t cap)
{
	size_t n = 0;
	long clen = -1;
	char *body = NULL;
	for (;;) {
		if (n == cap - 1)
			return -1;
		ssize_t r = read(fd, buf + n, cap - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		n += (size_t)r;
		buf[n] = '\0';
		if (!body) {
			char *e = strstr(buf, "\r\n\r\n");
			if (!e)
				continue;
			body = e + 4;
			char *cl = strcasestr(buf, "\r\nContent-Length:");
			clen = cl ? strtol(cl + 17, NULL, 10) : 0;
		}
		if (body && (long)(n - (size_t)(body - buf)) >= clen)
			break;
	}
	int status = 0;
	sscanf(buf, "HTTP/1.%*d %d", &status);
	return status;
}

static void *client(void *arg)
{
	struct shared *s = arg;
	int fd = connect_to(s->o);
	size_t cap = 1 << 20;
	char *resp = malloc(cap), *req = NULL;
	size_t reqcap = 0;
	for (;;) {
		const char *body, *token;
		size_t len;
		/* The source's buffers are shared: the request is copied while the lock is held. */
		pthread_mutex_lock(&s->mu);
		int end = s->done || s->src(s->ctx, &body, &len, &token);
		uint64_t k = s->issued++;
		int h = 0;
		if (end) {
			s->done = 1;
		} else {
			size_t need = len + 512;
			if (need > reqcap) {
				reqcap = need * 2;
				req = realloc(req, reqcap);
			}
			h = snprintf(req, reqcap,
				     "POST /api/v1/messages HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"
				     "Content-Type: application/xml\r\nContent-Length: %zu\r\n\r\n",
				     s->o->host, token, len);
			memcpy(req + h, body, len);
		}
		pthread_mutex_unlock(&s->mu);
		if (end)
			break;
		if (s->o->rate > 0) {
			/* open-loop pacing: request k is due at t0 + k/rate */
			double due = s->t0 + (double)k / s->o->rate, t = bu_now();
			if (due > t) {
				struct timespec ts = {(time_t)(due - t), (long)((due - t - (time_t)(due - t)) * 1e9)};
				nanosleep(&ts, NULL);
			}
		}
		double t0 = bu_now();
		int status = -1;
		for (int attempt = 0; attempt < 2 && status < 0; attempt++) {
			if (fd < 0)
				fd = connect_to(s->o);
			if (fd >= 0 && write_all(fd, req, (size_t)h + len) == 0)
				status = read_response(fd, resp, cap);
			if (status < 0 && fd >= 0) {
				close(fd);
				fd = -1;
			}
		}
		double us = (bu_now() - t0) * 1e6;
		int b = us <= 1 ? 0 : (int)(16 * log2(us));
		if (b >= NBUCKET)
			b = NBUCKET - 1;
		pthread_mutex_lock(&s->mu);
		s->hist[b]++;
		s->r.sent++;
		if (status == 200)
			s->r.ok++;
		else if (status == 400)
			s->r.bad++;
		else if (status == 503)
			s->r.unavailable++;
		else
			s->r.errors++;
		if (us / 1000 > s->r.max_ms)
			s->r.max_ms = us / 1000;
		pthread_mutex_unlock(&s->mu);
	}
	if (fd >= 0)
		close(fd);
	free(resp);
	free(req);
	return NULL;
}

static double quantile(const uint64_t *h, uint64_t total, double q)
{
	uint64_t want = (uint64_t)(q * (double)total), acc = 0;
	for (int i = 0; i < NBUCKET; i++) {
		acc += h[i];
		if (acc > want)
			return pow(2, (i + 1) / 16.0) / 1000.0; /* bucket's upper edge, ms */
	}
	return 0;
}

int lg_run(const struct lg_opts *o, lg_source_fn src, void *ctx, struct lg_result *out)
{
	struct shared *s = calloc(1, sizeof *s);
	if (!s)
		return -1;
	s->o = o;
	s->src = src;
	s->ctx = ctx;
	pthread_mutex_init(&s->mu, NULL);
	int n = o->clients > 0 ? o->clients : 1;
	pthread_t *t = calloc((size_t)n, sizeof *t);
	s->t0 = bu_now();
	for (int i = 0; i < n; i++)
		pthread_create(&t[i], NULL, client, s);
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	s->r.seconds = bu_now() - s->t0;
	s->r.p50_ms = quantile(s->hist, s->r.sent, 0.50);
	s->r.p99_ms = quantile(s->hist, s->r.sent, 0.99);
	*out = s->r;
	free(t);
	pthread_mutex_destroy(&s->mu);
	free(s);
	return 0;
}
