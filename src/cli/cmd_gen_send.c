/* cbec gen --send: the workload POSTed to a running cbec serve instead of written to a
 * folder. Each sender's messages go with its own token; the day's 1210 stock-in rows are
 * credited (POST /api/v1/bonded/stock-in, as their warehouse) before the messages due after
 * them; every answer is held against what the generator says the platform should answer;
 * after the main stream each follow-up (CEB623/625) waits for its list's release, takes the
 * customs number customs gave it, and is sent. */
#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/clock.h"
#include "ceb/dec.h"
#include "cli/cmd.h"
#include "gen/gen.h"
#include "gen/send.h"

#define SHOW_WRONG 5

struct token {
	char *code, *token;
};

struct followup {
	char *xml, *sender, *key;
	size_t len;
};

struct sender {
	struct gen *g;
	struct gsend_conn *side; /* stock-in, under the sender's lock */
	struct token *tok;
	size_t ntok;
	int failed;     /* the generator's error, or 0 */
	uint64_t stock_ok, stock_bad;
	char stock_err[256];
	uint64_t as_expected, unexpected;
	char wrong[SHOW_WRONG][320];
	/* the answer to each guid answered 200, to hold a resend's against: a hash of the guid
	 * to a hash of the answer's bytes (0: empty slot) */
	struct answer_seen {
		uint64_t guid, answer;
	} *seen;
	size_t seen_cap, seen_used;
	uint64_t resends_same;
	struct followup *fu;
	size_t nfu, capfu;
};

static const char *token_of(const struct sender *s, const char *code)
{
	for (size_t i = 0; i < s->ntok; i++)
		if (!strcmp(s->tok[i].code, code))
			return s->tok[i].token;
	return NULL;
}

/* "CODE TOKEN" a line (blank lines and '#' comments skipped). 0, or -1 with err. */
static int read_tokens(const char *path, struct sender *s, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "cannot read %s", path);
		return -1;
	}
	char line[1024];
	int n = 0, rc = 0;
	while (fgets(line, sizeof line, f)) {
		n++;
		char code[64], token[512], extra[2];
		char *p = line + strspn(line, " \t");
		if (*p == '#' || *p == '\n' || *p == '\r' || !*p)
			continue;
		if (sscanf(p, "%63s %511s %1s", code, token, extra) != 2) {
			snprintf(err, errlen, "%s line %d: want 'CODE TOKEN'", path, n);
			rc = -1;
			break;
		}
		struct token *t = realloc(s->tok, (s->ntok + 1) * sizeof *t);
		if (!t) {
			rc = -1;
			snprintf(err, errlen, "out of memory");
			break;
		}
		s->tok = t;
		s->tok[s->ntok].code = strdup(code);
		s->tok[s->ntok].token = strdup(token);
		s->ntok++;
	}
	fclose(f);
	return rc;
}

static void note_wrong(struct sender *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note_wrong(struct sender *s, const char *fmt, ...)
{
	if (s->unexpected++ >= SHOW_WRONG)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->wrong[s->unexpected - 1], sizeof s->wrong[0], fmt, ap);
	va_end(ap);
}

static int stock_in(struct sender *s, const struct gen_stockin *si)
{
	char qty[DEC_FMT_MAX];
	json_t *j = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "emsNo", si->ems_no, "itemRecordNo",
			      si->item_no, "gcode", si->gcode, "gname", si->gname, "unit", si->unit,
			      "qty", dec_format(si->qty, qty), "entryNo", si->entry);
	char *body = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	const char *tok = token_of(s, si->owner), *resp = "";
	size_t rlen = 0;
	int st = body ? gsend_request(s->side, "POST", "/api/v1/bonded/stock-in", "application/json",
				      tok, body, strlen(body), &resp, &rlen)
		      : -1;
	free(body);
	if (st == 200) {
		s->stock_ok++;
		return 0;
	}
	if (!s->stock_bad++)
		snprintf(s->stock_err, sizeof s->stock_err, "%s %s entry %s: HTTP %d %.160s",
			 si->ems_no, si->item_no, si->entry, st, resp);
	return -1;
}

static int keep_followup(struct sender *s, const struct gen_msg *m)
{
	if (s->nfu == s->capfu) {
		size_t cap = s->capfu ? 2 * s->capfu : 64;
		struct followup *f = realloc(s->fu, cap * sizeof *f);
		if (!f)
			return -1;
		s->fu = f;
		s->capfu = cap;
	}
	struct followup *f = &s->fu[s->nfu];
	f->xml = malloc(m->len + 1);
	f->sender = strdup(m->sender);
	size_t kl = strlen(m->ebp_code) + strlen(m->order_no) + 2;
	f->key = malloc(kl);
	if (!f->xml || !f->sender || !f->key) {
		free(f->xml);
		free(f->sender);
		free(f->key);
		return -1;
	}
	memcpy(f->xml, m->xml, m->len);
	f->xml[m->len] = '\0';
	f->len = m->len;
	snprintf(f->key, kl, "%s|%s", m->ebp_code, m->order_no);
	s->nfu++;
	return 0;
}

static uint64_t fnv(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 1099511628211ull;
	return h ? h : 1;
}

/* The hash of a message's guid (its root's guid attribute), 0 when it has none in view. */
static uint64_t guid_hash(const char *xml, size_t len)
{
	size_t n = len < 1024 ? len : 1024;
	const char *g = memmem(xml, n, " guid=\"", 7);
	if (!g)
		return 0;
	g += 7;
	const char *e = memchr(g, '"', (size_t)(xml + n - g));
	return e ? fnv(g, (size_t)(e - g)) : 0;
}

/* The answer first seen for guid, or this one kept as it: 0 when new (or no memory). */
static uint64_t seen_answer(struct sender *s, uint64_t guid, uint64_t answer)
{
	if (2 * (s->seen_used + 1) > s->seen_cap) {
		size_t cap = s->seen_cap ? 2 * s->seen_cap : 4096;
		struct answer_seen *t = calloc(cap, sizeof *t);
		if (!t)
			return 0;
		for (size_t i = 0; i < s->seen_cap; i++)
			if (s->seen[i].guid) {
				size_t j = s->seen[i].guid & (cap - 1);
				while (t[j].guid)
					j = (j + 1) & (cap - 1);
				t[j] = s->seen[i];
			}
		free(s->seen);
		s->seen = t;
		s->seen_cap = cap;
	}
	size_t j = guid & (s->seen_cap - 1);
	for (; s->seen[j].guid; j = (j + 1) & (s->seen_cap - 1))
		if (s->seen[j].guid == guid)
			return s->seen[j].answer;
	s->seen[j] = (struct answer_seen){guid, answer};
	s->seen_used++;
	return 0;
}

/* The main stream; the follow-ups, which come after it, are kept for later. */
static int next(void *ctx, struct gsend_msg *out)
{
	struct sender *s = ctx;
	if (s->failed)
		return 1;
	struct gen_stockin si;
	int rc;
	while ((rc = gen_next_stockin(s->g, &si)) == 1)
		stock_in(s, &si);
	struct gen_msg m;
	while (rc >= 0 && (rc = gen_next(s->g, &m)) == 1 && m.followup)
		if (keep_followup(s, &m) != 0)
			rc = -1;
	if (rc != 1) {
		s->failed = rc < 0 ? rc : 0;
		return 1;
	}
	/* the generator's bytes: valid until its next gen_next(), and the sender copies them
	 * before it asks again (gsend_source_fn) */
	out->body = m.xml;
	out->len = m.len;
	out->token = token_of(s, m.sender);
	/* the tag: what the answer should be, the arrival number, the type, the guid's hash */
	snprintf(out->tag, sizeof out->tag, "%s %llu %d %llx", m.expect, (unsigned long long)m.seq,
		 m.type, (unsigned long long)guid_hash(m.xml, m.len));
	return 0;
}

/* A receipt's returnStatus ("" when it has none). */
static void return_status(const char *xml, char *out, size_t cap)
{
	const char *p = strstr(xml, "returnStatus>");
	out[0] = '\0';
	if (!p)
		return;
	p += 13;
	size_t n = strcspn(p, "<");
	if (n >= cap)
		n = cap - 1;
	memcpy(out, p, n);
	out[n] = '\0';
}

static bool rejected(const char *status)
{
	return status[0] == '-' || !strcmp(status, "100");
}

/* What the generator says the answer must be (gen.h, struct gen_msg's expect). */
static bool as_expected(const char *expect, int status, const char *resp)
{
	static const char *const checks[] = {"X-01", "X-04", "I-01", NULL};
	char rs[32], tag[32];
	return_status(resp, rs, sizeof rs);
	snprintf(tag, sizeof tag, "[%s]", expect);
	if (!strcmp(expect, "resend")) /* answered as the first time: whatever that was */
		return status == 200 || status == 400;
	if (!strcmp(expect, "F-01.1")) /* not XML: 400 and the CEB900 naming the rule */
		return status == 400 && strstr(resp, "F-01.1");
	for (int i = 0; checks[i]; i++)
		if (!strcmp(expect, checks[i]))
			return status == 200 && rejected(rs) && strstr(resp, tag);
	if (status != 200 || !rs[0])
		return false;
	if (!strcmp(expect, "ok"))
		return !rejected(rs);
	/* refused later, when matched (M-, L-, B-, P-04): accepted now, or refused for it at once */
	return !rejected(rs) || strstr(resp, tag);
}

static void answered(void *ctx, const char *tag, int status, const char *resp, size_t len)
{
	struct sender *s = ctx;
	char expect[16];
	unsigned long long guid = 0;
	sscanf(tag, "%15s %*s %*s %llx", expect, &guid);
	bool ok = as_expected(expect, status, resp);
	if (ok && guid && status == 200) {
		/* the same guid again gets the same answer, byte for byte, whichever comes first */
		uint64_t h = fnv(resp, len), first = seen_answer(s, guid, h);
		if (first && first != h) {
			note_wrong(s, "message %s: answered otherwise than the first time: %.200s", tag, resp);
			return;
		}
		s->resends_same += first != 0;
	}
	if (ok) {
		s->as_expected++;
		return;
	}
	char rs[32];
	return_status(resp, rs, sizeof rs);
	note_wrong(s, "message %s: HTTP %d returnStatus '%s' %.200s", tag, status, rs, resp);
}

static void url_key(const char *key, char *out, size_t cap)
{
	size_t o = 0;
	for (const unsigned char *p = (const unsigned char *)key; *p && o + 4 < cap; p++) {
		if ((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    *p == '-' || *p == '_' || *p == '.')
			out[o++] = (char)*p;
		else
			o += (size_t)snprintf(out + o, cap - o, "%%%02X", *p);
	}
	out[o] = '\0';
}

/* Each follow-up once its list is released, with the list's invtNo in place of the
 * placeholder; one whose list is not released by the deadline is counted, not sent. */
static void send_followups(struct sender *s, double deadline, uint64_t *sent, uint64_t *late)
{
	for (size_t i = 0; i < s->nfu; i++) {
		struct followup *f = &s->fu[i];
		const char *tok = token_of(s, f->sender);
		char path[512], invt[64] = "", state[32] = "";
		char k[256];
		url_key(f->key, k, sizeof k);
		snprintf(path, sizeof path, "/api/v1/declarations/621/%s", k);
		for (;;) {
			const char *resp;
			size_t rlen;
			int st = gsend_request(s->side, "GET", path, NULL, tok, NULL, 0, &resp, &rlen);
			json_t *j = st == 200 ? json_loadb(resp, rlen, 0, NULL) : NULL;
			const char *sv = json_string_value(json_object_get(j, "state"));
			const char *iv = json_string_value(json_object_get(j, "invtNo"));
			snprintf(state, sizeof state, "%s", sv ? sv : "");
			snprintf(invt, sizeof invt, "%s", iv ? iv : "");
			json_decref(j);
			if (!strcmp(state, "released") || clock_s() > deadline)
				break;
			struct timespec ts = {0, 50 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
		if (strcmp(state, "released") != 0 || !invt[0]) {
			(*late)++;
			continue;
		}
		struct buf b = BUF_INIT;
		const char *at = strstr(f->xml, GEN_INVTNO_PLACEHOLDER);
		if (at) {
			buf_put(&b, f->xml, (size_t)(at - f->xml));
			buf_puts(&b, invt);
			buf_puts(&b, at + strlen(GEN_INVTNO_PLACEHOLDER));
		} else {
			buf_put(&b, f->xml, f->len);
		}
		const char *resp = "";
		size_t rlen = 0;
		int st = b.err ? -1
			       : gsend_request(s->side, "POST", "/api/v1/messages", "application/xml", tok,
					       b.p, b.n, &resp, &rlen);
		buf_free(&b);
		(*sent)++;
		char tag[96];
		snprintf(tag, sizeof tag, "ok - - 0 follow-up of %s", f->key); /* no guid to hold */
		answered(s, tag, st, resp, rlen);
	}
}

int cmd_gen_send(struct gen *g, const char *url, const char *tokens, int clients, double rate,
		 int wait_s, bool quiet)
{
	struct gsend_target to;
	char err[512];
	if (gsend_parse_url(url, &to, err, sizeof err) != 0) {
		fprintf(stderr, "cbec gen: --send %s\n", err);
		return 2;
	}
	struct sender s = {.g = g};
	int status = 2;
	if (!tokens) {
		fprintf(stderr, "cbec gen: --send needs --tokens FILE: a line 'CODE TOKEN' for each "
				"enterprise of `cbec gen --accounts`\n");
		goto out;
	}
	if (read_tokens(tokens, &s, err, sizeof err) != 0) {
		fprintf(stderr, "cbec gen: --tokens %s\n", err);
		goto out;
	}
	size_t np, missing = 0;
	const struct gen_party *p = gen_parties(&np);
	for (size_t i = 0; i < np; i++)
		if (p[i].sends && !token_of(&s, p[i].code)) {
			fprintf(stderr, "cbec gen: %s has no token for %s (%s %s): make one with "
					"`cbec account add --code %s`\n",
				tokens, p[i].code, p[i].side, p[i].role, p[i].code);
			missing++;
		}
	if (missing)
		goto out;
	s.side = gsend_conn_new(&to);
	if (!s.side)
		goto out;
	const char *resp;
	size_t rlen;
	if (gsend_request(s.side, "GET", "/api/v1/health", NULL, NULL, NULL, 0, &resp, &rlen) != 200) {
		fprintf(stderr, "cbec gen: no cbec server answers at %s\n", url);
		goto out;
	}
	struct gsend_opts o = {&to, clients, rate, 5};
	struct gsend_result r;
	if (gsend_run(&o, next, answered, &s, &r) != 0) {
		fprintf(stderr, "cbec gen: out of memory\n");
		goto out;
	}
	if (s.failed) {
		fprintf(stderr, "cbec gen: the generator failed (error %d)\n", s.failed);
		goto out;
	}
	uint64_t fsent = 0, flate = 0;
	send_followups(&s, clock_s() + wait_s, &fsent, &flate);
	if (!quiet) {
		struct gen_stats st;
		gen_stats(g, &st);
		fprintf(stderr, "cbec gen: %llu messages to %s in %.1f s (%.0f msg/s), %d connections; "
				"answer p50 %.1f ms, p99 %.1f ms\n",
			(unsigned long long)r.sent, url, r.seconds,
			r.seconds > 0 ? (double)r.sent / r.seconds : 0.0, clients, r.p50_ms, r.p99_ms);
		fprintf(stderr, "  HTTP: %llu 200, %llu 4xx, %llu 503 (after %llu sent again), %llu "
				"without an answer\n",
			(unsigned long long)r.ok, (unsigned long long)r.bad,
			(unsigned long long)r.unavailable, (unsigned long long)r.retried,
			(unsigned long long)r.errors);
		fprintf(stderr, "  resends: %llu answered byte for byte as the first time\n",
			(unsigned long long)s.resends_same);
		fprintf(stderr, "  1210 stock-in: %llu rows credited, %llu refused\n",
			(unsigned long long)s.stock_ok, (unsigned long long)s.stock_bad);
		fprintf(stderr, "  follow-ups: %llu sent, %llu not sent (their list not released within "
				"%d s)\n",
			(unsigned long long)fsent, (unsigned long long)flate, wait_s);
	}
	printf("%llu answered as expected, %llu not\n", (unsigned long long)s.as_expected,
	       (unsigned long long)s.unexpected);
	for (uint64_t i = 0; i < s.unexpected && i < SHOW_WRONG; i++)
		printf("  %s\n", s.wrong[i]);
	if (s.stock_bad)
		printf("  stock-in refused: %s\n", s.stock_err);
	status = s.unexpected || s.stock_bad || flate || r.unavailable || r.errors ? 1 : 0;
out:
	for (size_t i = 0; i < s.ntok; i++) {
		free(s.tok[i].code);
		free(s.tok[i].token);
	}
	free(s.tok);
	for (size_t i = 0; i < s.nfu; i++) {
		free(s.fu[i].xml);
		free(s.fu[i].sender);
		free(s.fu[i].key);
	}
	free(s.fu);
	free(s.seen);
	gsend_conn_free(s.side);
	return status;
}
