/* bench_check: messages per second for parse + validate on one core, over a few thousand
 * distinct messages made from a reference message, against the bare cost of touching the
 * bytes. Prints figures; asserts nothing. Usage: bench_check [FILE.xml] [COUNT] [SECONDS] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "benchutil.h"
#include "base/clock.h"

#include "base/arena.h"
#include "base/buf.h"
#include "ceb/check.h"
#include "ceb/parse.h"
#include "ceb/validate.h"

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct buf b = BUF_INIT;
	char tmp[65536];
	size_t r;
	while ((r = fread(tmp, 1, sizeof tmp, f)) > 0)
		buf_put(&b, tmp, r);
	fclose(f);
	return buf_detach(&b, n);
}

struct corpus {
	char **msg;
	size_t *len;
	size_t n, bytes;
};

/* Variants of the reference: distinct guids, order and waybill numbers, so nothing is
 * served from a cache of identical input. */
static void make_corpus(struct corpus *c, const char *ref, size_t reflen, size_t count)
{
	c->msg = calloc(count, sizeof *c->msg);
	c->len = calloc(count, sizeof *c->len);
	c->n = count;
	for (size_t i = 0; i < count; i++) {
		char *m = malloc(reflen + 1);
		memcpy(m, ref, reflen + 1);
		char g[8], o[8];
		snprintf(g, sizeof g, "%06zX", i % 0xFFFFFF);
		snprintf(o, sizeof o, "%06zu", i % 1000000);
		char *p = strstr(m, "8F30-");
		if (p)
			memcpy(p + 5 + 6, g, 6);
		p = strstr(m, "TESTORD2024052");
		if (p)
			memcpy(p + 13, o, 6);
		p = strstr(m, "TESTWB000");
		if (p)
			memcpy(p + 10, o, 6);
		c->msg[i] = m;
		c->len[i] = reflen;
		c->bytes += reflen;
	}
}

typedef size_t (*run_fn)(void *ctx, const char *m, size_t n);

static double measure(const char *name, run_fn fn, void *ctx, const struct corpus *c, double secs)
{
	size_t done = 0, sink = 0;
	double t0 = clock_s(), t;
	do {
		for (size_t i = 0; i < c->n; i++)
			sink += fn(ctx, c->msg[i], c->len[i]);
		done += c->n;
		t = clock_s();
	} while (t - t0 < secs);
	double rate = (double)done / (t - t0);
	printf("  %-28s %10.0f msg/s  %8.2f us/msg  %8.1f MB/s   (%zu)\n", name, rate, 1e6 / rate,
	       rate * (double)c->bytes / (double)c->n / 1e6, sink % 10);
	return rate;
}

static size_t touch_bytes(void *ctx, const char *m, size_t n)
{
	/* the floor: read every byte once */
	size_t s = 0;
	for (size_t i = 0; i < n; i++)
		s += (unsigned char)m[i];
	return s;
}

struct pctx {
	struct ceb_parser *p;
	struct arena *a;
	struct ceb_validate_opts vo;
	struct ceb_checker *checker;
};

static size_t parse_only(void *ctx, const char *m, size_t n)
{
	struct pctx *c = ctx;
	arena_reset(c->a);
	struct ceb_findings f;
	ceb_findings_init(&f, c->a, NULL);
	bool wf;
	int err;
	struct ceb_msg *msg = ceb_parse(c->p, m, n, c->a, &f, &wf, &err);
	return msg ? f.count + 1 : 0;
}

static size_t parse_validate(void *ctx, const char *m, size_t n)
{
	struct pctx *c = ctx;
	arena_reset(c->a);
	struct ceb_findings f;
	ceb_findings_init(&f, c->a, NULL);
	bool wf;
	int err;
	struct ceb_msg *msg = ceb_parse(c->p, m, n, c->a, &f, &wf, &err);
	if (msg && wf)
		ceb_validate(msg, &c->vo, &f);
	return f.errors;
}

static size_t full_check(void *ctx, const char *m, size_t n)
{
	struct pctx *c = ctx;
	struct ceb_result r;
	ceb_check(c->checker, m, n, &r);
	return r.accepted;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "../shared/domain/samples/CEB621Message.xml";
	size_t count = argc > 2 ? strtoul(argv[2], NULL, 10) : 5000;
	double secs = argc > 3 ? atof(argv[3]) : 3.0;
	size_t n;
	char *ref = slurp(path, &n);
	if (!ref) {
		fprintf(stderr, "bench_check: cannot read %s\n", path);
		return 2;
	}
	struct corpus c = {0};
	make_corpus(&c, ref, n, count);

	struct pctx p = {0};
	p.p = ceb_parser_new(NULL);
	p.a = arena_new(64 * 1024);
	ceb_validate_opts_default(&p.vo);
	struct ceb_check_opts co;
	ceb_check_opts_default(&co);
	/* The codec is measured here; verifying SM2/RSA signatures costs 64-283 us a message
	 * of its own (PERFORMANCE.md) and the reference's signature is a placeholder. */
	co.verify_signatures = false;
	p.checker = ceb_checker_new(&co);

	if (parse_validate(&p, c.msg[0], c.len[0]) != 0) {
		fprintf(stderr, "bench_check: the reference message has errors; use a valid one\n");
		return 2;
	}
	printf("bench_check: %zu distinct messages from %s, %zu bytes each, one core, %.0f s per row\n",
	       count, path, n, secs);
	measure("touch bytes (floor)", touch_bytes, NULL, &c, secs);
	measure("parse (SAX + model)", parse_only, &p, &c, secs);
	double r = measure("parse + validate", parse_validate, &p, &c, secs);
	measure("ceb_check (all layers)", full_check, &p, &c, secs);
	printf("target: 40000 msg/s per core for a ~3 KB CEB621 -> %s\n",
	       r >= 40000 ? "met" : "NOT met");

	ceb_checker_free(p.checker);
	ceb_parser_free(p.p);
	arena_free(p.a);
	for (size_t i = 0; i < c.n; i++)
		free(c.msg[i]);
	free(c.msg);
	free(c.len);
	free(ref);
	return 0;
}
