#include "gen/send.h"

#include <errno.h>
#include <math.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/err.h"

#define NBUCKET 512 /* 2^(i/16) microseconds */
#define MAX_ANSWER (64u << 20)

int gsend_parse_url(const char *url, struct gsend_target *t, char *err, size_t errlen)
{
	memset(t, 0, sizeof *t);
	if (strncmp(url, "http://", 7) != 0) {
		snprintf(err, errlen, "'%s' is not an http:// address (https is not spoken here)", url);
		return CBEC_EINVAL;
	}
	const char *h = url + 7, *end = h + strcspn(h, "/");
	if (*end && strcmp(end, "/") != 0) {
		snprintf(err, errlen, "'%s': give the server's address only, without a path", url);
		return CBEC_EINVAL;
	}
	const char *colon = memchr(h, ':', (size_t)(end - h));
	size_t hl = (size_t)((colon ? colon : end) - h);
	if (hl == 0 || hl >= sizeof t->host) {
		snprintf(err, errlen, "'%s': no host name", url);
		return CBEC_EINVAL;
	}
	memcpy(t->host, h, hl);
	if (!colon) {
		strcpy(t->port, "80");
		return 0;
	}
	size_t pl = (size_t)(end - colon - 1);
	long port = 0;
	for (size_t i = 0; i < pl; i++) {
		if (colon[1 + i] < '0' || colon[1 + i] > '9') {
			port = -1;
			break;
		}
		port = port * 10 + (colon[1 + i] - '0');
		if (port > 65535)
			break;
	}
	if (pl == 0 || pl > 5 || port < 1 || port > 65535) {
		snprintf(err, errlen, "'%s': the port is not a number from 1 to 65535", url);
		return CBEC_EINVAL;
	}
	memcpy(t->port, colon + 1, pl);
	return 0;
}

/* ---- one connection ---- */

struct gsend_conn {
	const struct gsend_target *t;
	int fd;
	struct buf req, resp;
	size_t body_at; /* where the answer's body starts in resp */
};

struct gsend_conn *gsend_conn_new(const struct gsend_target *t)
{
	struct gsend_conn *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->t = t;
	c->fd = -1;
	return c;
}

static void conn_drop(struct gsend_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

void gsend_conn_free(struct gsend_conn *c)
{
	if (!c)
		return;
	conn_drop(c);
	buf_free(&c->req);
	buf_free(&c->resp);
	free(c);
}

static int conn_open(struct gsend_conn *c)
{
	struct addrinfo hints = {0}, *ai = NULL;
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(c->t->host, c->t->port, &hints, &ai) != 0)
		return -1;
	for (struct addrinfo *a = ai; a && c->fd < 0; a = a->ai_next) {
		int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
		if (fd < 0)
			continue;
		int one = 1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		if (connect(fd, a->ai_addr, a->ai_addrlen) == 0)
			c->fd = fd;
		else
			close(fd);
	}
	freeaddrinfo(ai);
	return c->fd >= 0 ? 0 : -1;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The answer's head and body into c->resp: the status, or -1. *keep: the server keeps the
 * connection open. Bodies by Content-Length, or up to the close without one. */
static int read_answer(struct gsend_conn *c, bool *keep)
{
	struct buf *b = &c->resp;
	buf_reset(b);
	size_t head = 0;
	long long clen = -1;
	*keep = true;
	for (;;) {
		if (head && clen >= 0 && b->n - head >= (size_t)clen)
			break;
		if (b->n > MAX_ANSWER || buf_reserve(b, 65536) != 0)
			return -1;
		ssize_t r = read(c->fd, b->p + b->n, b->cap - b->n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0) {
			if (head && clen < 0)
				break; /* the body ends with the connection */
			return -1;
		}
		b->n += (size_t)r;
		b->p[b->n] = '\0';
		if (!head) {
			char *e = strstr(b->p, "\r\n\r\n");
			if (!e)
				continue;
			head = (size_t)(e + 4 - b->p);
			*e = '\0'; /* the head searched alone; put back below */
			char *cl = strcasestr(b->p, "\r\nContent-Length:");
			clen = cl ? strtoll(cl + 17, NULL, 10) : -1;
			if (strcasestr(b->p, "\r\nConnection: close"))
				*keep = false;
			*e = '\r';
			if (clen < 0)
				*keep = false;
		}
	}
	int status = 0;
	if (sscanf(b->p, "HTTP/1.%*d %d", &status) != 1)
		return -1;
	c->body_at = head;
	b->p[head + (clen >= 0 ? (size_t)clen : b->n - head)] = '\0';
	if (clen >= 0)
		b->n = head + (size_t)clen;
	return status;
}

int gsend_request(struct gsend_conn *c, const char *method, const char *path, const char *ctype,
		  const char *token, const char *body, size_t len, const char **resp,
		  size_t *resp_len)
{
	struct buf *q = &c->req;
	buf_reset(q);
	char head[1024];
	int h = snprintf(head, sizeof head, "%s %s HTTP/1.1\r\nHost: %s\r\n", method, path, c->t->host);
	if (h < 0 || (size_t)h >= sizeof head)
		return -1;
	buf_put(q, head, (size_t)h);
	if (token) {
		buf_puts(q, "Authorization: Bearer ");
		buf_puts(q, token);
		buf_puts(q, "\r\n");
	}
	if (body) {
		h = snprintf(head, sizeof head, "Content-Type: %s\r\nContent-Length: %zu\r\n",
			     ctype ? ctype : "application/xml", len);
		buf_put(q, head, (size_t)h);
	}
	buf_puts(q, "\r\n");
	if (body)
		buf_put(q, body, len);
	if (q->err)
		return -1;
	*resp = "";
	*resp_len = 0;
	for (int attempt = 0; attempt < 2; attempt++) {
		bool fresh = c->fd < 0;
		if (fresh && conn_open(c) != 0)
			return -1;
		bool keep;
		int status = -1;
		if (write_all(c->fd, q->p, q->n) == 0)
			status = read_answer(c, &keep);
		if (status < 0) {
			conn_drop(c);
			if (fresh)
				return -1; /* a new connection that fails is not tried again */
			continue;      /* a kept one the server had closed: once more, afresh */
		}
		*resp = c->resp.p + c->body_at;
		*resp_len = c->resp.n - c->body_at;
		if (!keep)
			conn_drop(c);
		return status;
	}
	return -1;
}

/* ---- many connections ---- */

struct shared {
	const struct gsend_opts *o;
	gsend_source_fn src;
	gsend_answer_fn answer;
	void *ctx;
	pthread_mutex_t mu;
	bool done;
	uint64_t issued;
	double t0;
	uint64_t hist[NBUCKET];
	struct gsend_result r;
};

static void sleep_s(double s)
{
	struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static void *client(void *arg)
{
	struct shared *s = arg;
	struct gsend_conn *c = gsend_conn_new(s->o->to);
	struct buf body = BUF_INIT;
	char token[256], tag[sizeof ((struct gsend_msg *)0)->tag];
	while (c) {
		struct gsend_msg m = {0};
		pthread_mutex_lock(&s->mu);
		bool end = s->done || s->src(s->ctx, &m) != 0;
		uint64_t k = s->issued++;
		if (end) {
			s->done = true;
		} else {
			/* the source's buffers are its own: copied while the lock is held */
			buf_reset(&body);
			buf_put(&body, m.body, m.len);
			snprintf(token, sizeof token, "%s", m.token ? m.token : "");
			memcpy(tag, m.tag, sizeof tag);
			tag[sizeof tag - 1] = '\0';
		}
		pthread_mutex_unlock(&s->mu);
		if (end)
			break;
		if (s->o->rate > 0) { /* open loop: request k is due at t0 + k / rate */
			double due = s->t0 + (double)k / s->o->rate, t = clock_s();
			if (due > t)
				sleep_s(due - t);
		}
		double t0 = clock_s();
		const char *resp;
		size_t rlen;
		int status = -1, tries = 0;
		for (;;) {
			status = body.err ? -1
					  : gsend_request(c, "POST", "/api/v1/messages", "application/xml",
							  token, body.p, body.n, &resp, &rlen);
			if (status != 503 || tries++ >= s->o->retries)
				break;
			pthread_mutex_lock(&s->mu);
			s->r.retried++;
			pthread_mutex_unlock(&s->mu);
			sleep_s(0.1);
		}
		double us = (clock_s() - t0) * 1e6;
		int b = us <= 1 ? 0 : (int)(16 * log2(us));
		if (b >= NBUCKET)
			b = NBUCKET - 1;
		pthread_mutex_lock(&s->mu);
		s->hist[b]++;
		s->r.sent++;
		if (status == 200)
			s->r.ok++;
		else if (status == 503)
			s->r.unavailable++;
		else if (status >= 400 && status < 500)
			s->r.bad++;
		else
			s->r.errors++;
		if (us / 1000 > s->r.max_ms)
			s->r.max_ms = us / 1000;
		if (s->answer)
			s->answer(s->ctx, tag, status, status < 0 ? "" : resp, status < 0 ? 0 : rlen);
		pthread_mutex_unlock(&s->mu);
	}
	gsend_conn_free(c);
	buf_free(&body);
	return NULL;
}

static double quantile(const uint64_t *h, uint64_t total, double q)
{
	uint64_t want = (uint64_t)(q * (double)total), acc = 0;
	for (int i = 0; i < NBUCKET; i++) {
		acc += h[i];
		if (acc > want)
			return pow(2, (i + 1) / 16.0) / 1000.0; /* the bucket's upper edge, ms */
	}
	return 0;
}

int gsend_run(const struct gsend_opts *o, gsend_source_fn src, gsend_answer_fn answer, void *ctx,
	      struct gsend_result *out)
{
	memset(out, 0, sizeof *out);
	struct shared *s = calloc(1, sizeof *s);
	int n = o->clients > 0 ? o->clients : 1;
	pthread_t *t = calloc((size_t)n, sizeof *t);
	if (!s || !t) {
		free(s);
		free(t);
		return CBEC_ENOMEM;
	}
	s->o = o;
	s->src = src;
	s->answer = answer;
	s->ctx = ctx;
	pthread_mutex_init(&s->mu, NULL);
	s->t0 = clock_s();
	int started = 0;
	for (int i = 0; i < n; i++)
		if (pthread_create(&t[i], NULL, client, s) == 0)
			started++;
		else
			break;
	for (int i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	s->r.seconds = clock_s() - s->t0;
	s->r.p50_ms = quantile(s->hist, s->r.sent, 0.50);
	s->r.p99_ms = quantile(s->hist, s->r.sent, 0.99);
	*out = s->r;
	int rc = started ? 0 : CBEC_ENOMEM;
	free(t);
	pthread_mutex_destroy(&s->mu);
	free(s);
	return rc;
}
