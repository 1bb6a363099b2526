/* Workload generator (src/gen/gen.c): every message runs through the checker -- accepted
 * unless faulty, refused for its manifest rule when the rule is message-local -- and every
 * order's documents through the matcher and the tax, with the annual quota recomputed from
 * the parsed lists in arrival order. Then determinism, the shuffle, repeat buyers, line
 * counts and the shares the options ask for. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "ceb/check.h"
#include "ceb/dec.h"
#include "ceb/parse.h"
#include "ceb/rules.h"
#include "ceb/validate.h"
#include "clear/bonded.h"
#include "clear/match.h"
#include "clear/tariff.h"
#include "clear/tax.h"
#include "gen/gen.h"
#include "testutil.h"

static struct tariff *g_tariff;

static int setup(void **state)
{
	(void)state;
	char err[256];
	g_tariff = tariff_load(tu_src("data/tariff.csv"), err, sizeof err);
	if (!g_tariff) {
		fprintf(stderr, "tariff: %s\n", err);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tariff_free(g_tariff);
	return 0;
}

static uint64_t fnv(const char *p, size_t n, uint64_t h)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 0x100000001B3ULL;
	return h;
}

static bool is(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

static const char *rid(enum ceb_rule_id r)
{
	return ceb_rules[r].id;
}

/* Report and fail with the message in question. */
#define CHECK(cond, m, ...)                                                                        \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr,                                                            \
			        "message %llu (CEB%d, order %s): ", (unsigned long long)(m)->seq,  \
			        (m)->type, (m)->order_no);                                         \
			fprintf(stderr, __VA_ARGS__);                                              \
			fprintf(stderr, "\n%.*s\n", (int)((m)->len < 4000 ? (m)->len : 4000),      \
			        (m)->xml);                                                         \
			fail();                                                                    \
		}                                                                                  \
	} while (0)

static void print_findings(const struct ceb_findings *f)
{
	for (const struct ceb_finding *x = f->head; x; x = x->next)
		fprintf(stderr, "  %s %s %s\n", rid(x->rule), x->path, x->en);
}

static bool has_rule(const struct ceb_findings *f, const char *id)
{
	for (const struct ceb_finding *x = f->head; x; x = x->next)
		if (is(rid(x->rule), id))
			return true;
	return false;
}

/* Every error finding is of rule id (and there is one). */
static bool only_rule(const struct ceb_findings *f, const char *id)
{
	bool seen = false;
	for (const struct ceb_finding *x = f->head; x; x = x->next) {
		if (x->sev != CEB_SEV_ERROR)
			continue;
		if (!is(rid(x->rule), id))
			return false;
		seen = true;
	}
	return seen;
}

/* ---- one order's documents, kept until the last one arrives ---- */

struct pending {
	char *xml[4];
	size_t len[4];
	int type[4];
	const char *expect[4], *fault[4];
	uint64_t first_seq, last_seq;
	int have, arrival[4];
};

static int doc_index(int type)
{
	switch (type) {
	case 311:
	case 303:
		return 0;
	case 411:
	case 505:
		return 1;
	case 511:
	case 603:
		return 2;
	case 621:
		return 3;
	}
	return -1;
}

/* The bonded accounts as the stock-ins built them: (emsNo, itemRecordNo) -> record. */
struct brec {
	char ems[32], item[32], gcode[11], gname[256], unit[4];
	struct bonded_qty q;
};

/* Buyer id -> counted dutiable value so far (L-02 recomputed independently). */
struct quota {
	char id[19];
	int64_t used;
	unsigned orders;
};

struct run {
	struct ceb_checker *checker;
	struct ceb_parser *parser;
	struct arena *arena;
	struct pending *orders;
	uint64_t norders;
	struct quota *quota;
	size_t nquota;
	int64_t annual, single;
	uint64_t *hashes;
	size_t nhashes;
	/* what the test saw */
	unsigned messages, accepted, refused_local, matched, cross, l01, l02, p04, exports;
	unsigned bonded, direct, lines[9], dear_lines_total, resends, followups, faulty;
	unsigned perm_seen[24], first_not_order, interleaved, complete_import;
	struct brec *recs;
	size_t nrecs;
	unsigned stockins, b04, legal_unit_lines, declared_unit_lines;
	uint64_t seq; /* of the last main-stream message */
};

static struct brec *rec_of(struct run *r, const char *ems, size_t en, const char *item, size_t in)
{
	for (size_t i = 0; i < r->nrecs; i++)
		if (strlen(r->recs[i].ems) == en && !memcmp(r->recs[i].ems, ems, en) &&
		    strlen(r->recs[i].item) == in && !memcmp(r->recs[i].item, item, in))
			return &r->recs[i];
	return NULL;
}

/* A stock-in, as the platform credits it (B-02): the first files the record. */
static void on_stockin(struct run *r, const struct gen_stockin *s)
{
	r->stockins++;
	assert_true(s->qty > 0);
	assert_int_equal(s->before, r->seq + 1); /* ahead of the next message */
	struct bonded_stockin in = {s->ems_no, s->item_no, s->gcode, s->gname,
	                            s->unit,   s->entry,   s->qty};
	const char *field;
	char why[128];
	assert_int_equal(bonded_stockin_check(&in, &field, why, sizeof why), 0);
	struct brec *x = rec_of(r, s->ems_no, strlen(s->ems_no), s->item_no, strlen(s->item_no));
	if (!x) {
		r->recs = realloc(r->recs, (r->nrecs + 1) * sizeof *r->recs);
		assert_non_null(r->recs);
		x = &r->recs[r->nrecs++];
		memset(x, 0, sizeof *x);
		snprintf(x->ems, sizeof x->ems, "%s", s->ems_no);
		snprintf(x->item, sizeof x->item, "%s", s->item_no);
		snprintf(x->gcode, sizeof x->gcode, "%s", s->gcode);
		snprintf(x->gname, sizeof x->gname, "%s", s->gname);
		snprintf(x->unit, sizeof x->unit, "%s", s->unit);
	}
	struct bonded_record rec = {x->gcode, x->gname, x->unit};
	assert_int_equal(bonded_stockin_match(&rec, &in), BONDED_MATCH);
	assert_int_equal(bonded_apply(&x->q, BONDED_CREDIT, s->qty), 0);
}

/* B-01 and B-04 for a matched 1210 list, as src/svc/bonded_svc.c decides: true when some
 * line is short; otherwise every line is reserved. */
static bool bonded_short(struct run *r, const struct ceb_node *inv, const struct gen_msg *m)
{
	const struct ceb_node *h = ceb_entity_head(inv);
	const struct ceb_val *ems = &h->vals[IIH_emsNo];
	bool is_short = false;
	struct {
		struct brec *x;
		int64_t q;
	} take[16];
	size_t n = 0;
	for (const struct ceb_node *l = ceb_entity_lines(inv); l; l = l->next) {
		const struct ceb_val *item = &l->vals[IIL_itemRecordNo];
		struct brec *x = rec_of(r, ems->p, ems->n, item->p, item->n);
		CHECK(x != NULL, m, "no stock-in filed item %.*s", (int)item->n, item->p);
		struct bonded_line bl = {item->p,
		                         l->vals[IIL_gcode].p,
		                         l->vals[IIL_gname].p,
		                         l->vals[IIL_unit].p,
		                         l->vals[IIL_unit1].p,
		                         0,
		                         0};
		assert_true(ceb_dec_of(l, IIL_qty, &bl.qty));
		assert_true(ceb_dec_of(l, IIL_qty1, &bl.qty1));
		struct bonded_record rec = {x->gcode, x->gname, x->unit};
		int64_t q = 0;
		CHECK(bonded_match(&rec, &bl, &q) == BONDED_MATCH, m,
		      "line unlike its record (B-01)");
		if (strcmp(x->unit, bl.unit))
			r->legal_unit_lines++;
		else
			r->declared_unit_lines++;
		int64_t asked = q;
		for (size_t i = 0; i < n; i++)
			if (take[i].x == x)
				asked += take[i].q;
		if (bonded_available(&x->q) < asked)
			is_short = true;
		assert_true(n < 16);
		take[n].x = x;
		take[n++].q = q;
	}
	if (!is_short)
		for (size_t i = 0; i < n; i++)
			assert_int_equal(bonded_apply(&take[i].x->q, BONDED_RESERVE, take[i].q), 0);
	return is_short;
}

static struct quota *quota_of(struct run *r, const char *id, size_t n)
{
	for (size_t i = 0; i < r->nquota; i++)
		if (strlen(r->quota[i].id) == n && !memcmp(r->quota[i].id, id, n))
			return &r->quota[i];
	r->quota = realloc(r->quota, (r->nquota + 1) * sizeof *r->quota);
	assert_non_null(r->quota);
	struct quota *q = &r->quota[r->nquota++];
	memset(q, 0, sizeof *q);
	assert_true(n < sizeof q->id);
	memcpy(q->id, id, n);
	return q;
}

static const struct ceb_node *parse_entity(struct run *r, const char *xml, size_t len)
{
	struct ceb_findings f;
	ceb_findings_init(&f, r->arena, NULL);
	bool wf;
	int err = 0;
	struct ceb_msg *m = ceb_parse(r->parser, xml, len, r->arena, &f, &wf, &err);
	assert_int_equal(err, 0);
	assert_true(wf);
	assert_non_null(m);
	return ceb_msg_entities(m);
}

/* The platform's assessment of a parsed list (as src/svc/apply.c makes it). */
static void assess(struct run *r, const struct ceb_node *inv, struct tax_result *tr)
{
	const struct ceb_node *h = ceb_entity_head(inv);
	struct tax_line tl[TAX_MAX_LINES];
	size_t n = 0;
	for (const struct ceb_node *l = ceb_entity_lines(inv); l && n < TAX_MAX_LINES;
	     l = l->next, n++) {
		assert_true(ceb_dec_of(l, IIL_totalPrice, &tl[n].total_price));
		assert_true(ceb_dec_of(l, IIL_qty, &tl[n].qty));
		const struct ceb_val *g = &l->vals[IIL_gcode];
		tl[n].rate = tariff_find(g_tariff, g->p, g->n);
		assert_non_null(tl[n].rate);
		assert_false(tl[n].rate->ct_specific);
	}
	int64_t freight = 0, insured = 0;
	assert_true(ceb_dec_of(h, IIH_freight, &freight));
	assert_true(ceb_dec_of(h, IIH_insuredFee, &insured));
	struct tax_opts o;
	tax_opts_default(&o);
	o.single_limit = r->single;
	tax_compute(tl, n, freight, insured, 0, &o, tr);
}

static void settle_import(struct run *r, struct pending *p, const struct gen_msg *m)
{
	r->complete_import++;
	const char *f = NULL;
	int fdoc = -1;
	for (int d = 0; d < 4; d++)
		if (p->fault[d]) {
			f = p->fault[d];
			fdoc = d;
		}
	/* a document refused by the checks leaves the list unmatched */
	if (is(f, rid(R_PAID)) || is(f, rid(R_GNUM)) || is(f, rid(R_CURRENCY_CNY)) ||
	    is(f, rid(R_XML_MALFORMED))) {
		CHECK(is(p->expect[fdoc], f), m, "faulty document expects %s, not %s", f,
		      p->expect[fdoc]);
		if (fdoc != 3) {
			CHECK(is(p->expect[3], rid(R_M_MISSING)), m, "list expects %s, not P-04",
			      p->expect[3]);
			r->p04++;
		}
		return;
	}
	arena_reset(r->arena);
	const struct ceb_node *e[4];
	for (int d = 0; d < 4; d++)
		e[d] = parse_entity(r, p->xml[d], p->len[d]);
	struct ceb_findings mf;
	ceb_findings_init(&mf, r->arena, NULL);
	match_import(e[0], e[1], e[2], e[3], NULL, &mf);
	struct tax_result *tr = arena_alloc(r->arena, sizeof *tr);
	assert_non_null(tr);
	assess(r, e[3], tr);
	const struct ceb_node *oh = ceb_entity_head(e[0]), *ih = ceb_entity_head(e[3]);
	size_t nl = 0;
	for (const struct ceb_node *l = ceb_entity_lines(e[0]); l; l = l->next)
		nl++;
	if (is(f, rid(R_M_AMOUNT)) || is(f, rid(R_M_BUYER))) {
		if (!only_rule(&mf, f))
			print_findings(&mf);
		CHECK(only_rule(&mf, f), m, "matching should find only %s", f);
		CHECK(is(p->expect[3], f), m, "list expects %s, not %s", p->expect[3], f);
		r->cross++;
		return;
	}
	if (mf.count)
		print_findings(&mf);
	CHECK(mf.count == 0, m, "the order's documents do not match");
	if (is(f, rid(R_L_SINGLE))) {
		CHECK(tr->status == TAX_OVER_SINGLE && nl >= 2, m, "L-01 order not over the limit");
		CHECK(is(p->expect[3], f), m, "list expects %s, not L-01", p->expect[3]);
		r->l01++;
		return;
	}
	CHECK(f == NULL, m, "unexpected fault %s", f);
	CHECK(tr->status == TAX_OK && !tr->full_rate, m, "tax status %d", (int)tr->status);
	CHECK(tr->dutiable <= r->single, m, "over the single limit");
	int64_t tax;
	assert_true(ceb_dec_of(oh, IOH_taxTotal, &tax));
	CHECK(tax == tr->total, m, "taxTotal is not the platform's assessment");
	r->lines[nl < 9 ? nl : 8]++;
	if (ceb_val_is(&ih->vals[IIH_tradeMode], "1210")) {
		/* the account before the quota: a short list never counts toward the year */
		if (bonded_short(r, e[3], m)) {
			CHECK(is(p->expect[3], rid(R_B_STOCK)), m,
			      "short list expects %s, not B-04", p->expect[3]);
			r->b04++;
			const struct ceb_val *bid = &ih->vals[IIH_buyerIdNumber];
			quota_of(r, bid->p, bid->n)->orders++; /* a repeat buyer all the same */
			return;
		}
		CHECK(!is(p->expect[3], rid(R_B_STOCK)), m, "list expects B-04 with stock enough");
		r->bonded++;
	} else {
		r->direct++;
	}
	const struct ceb_val *id = &ih->vals[IIH_buyerIdNumber];
	struct quota *q = quota_of(r, id->p, id->n);
	q->orders++;
	if (q->used + tr->dutiable > r->annual) {
		CHECK(is(p->expect[3], rid(R_L_ANNUAL)), m, "list expects %s, not L-02",
		      p->expect[3]);
		r->l02++;
	} else {
		CHECK(is(p->expect[3], "ok"), m, "list expects %s, not ok", p->expect[3]);
		q->used += tr->dutiable;
		r->matched++;
	}
}

static void settle_export(struct run *r, struct pending *p, const struct gen_msg *m)
{
	arena_reset(r->arena);
	const struct ceb_node *e[3];
	for (int d = 0; d < 3; d++)
		e[d] = parse_entity(r, p->xml[d], p->len[d]);
	struct ceb_findings mf;
	ceb_findings_init(&mf, r->arena, NULL);
	match_export(e[0], e[1], e[2], NULL, NULL, &mf);
	if (mf.count)
		print_findings(&mf);
	CHECK(mf.count == 0, m, "the export documents do not match");
	r->exports++;
}

static void on_message(struct run *r, const struct gen_msg *m)
{
	r->messages++;
	struct ceb_result res;
	assert_int_equal(ceb_check(r->checker, m->xml, m->len, &res), 0);
	if (m->followup) {
		r->followups++;
		CHECK(res.accepted && res.findings.errors == 0, m, "follow-up refused");
		CHECK(
		    memmem(m->xml, m->len, GEN_INVTNO_PLACEHOLDER, strlen(GEN_INVTNO_PLACEHOLDER)),
		    m, "no invtNo placeholder");
		CHECK(m->type == 623 || m->type == 625, m, "follow-up type");
		return;
	}
	uint64_t h = fnv(m->xml, m->len, 0xCBF29CE484222325ULL);
	if (is(m->expect, "resend")) {
		r->resends++;
		bool seen = false;
		for (size_t i = 0; i < r->nhashes && !seen; i++)
			seen = r->hashes[i] == h;
		CHECK(seen, m, "a resend of no earlier message");
		CHECK(res.accepted, m, "resend refused");
		return;
	}
	r->hashes = realloc(r->hashes, (r->nhashes + 1) * sizeof *r->hashes);
	assert_non_null(r->hashes);
	r->hashes[r->nhashes++] = h;
	const char *f = m->fault;
	if (f)
		r->faulty++;
	bool local = is(f, rid(R_PAID)) || is(f, rid(R_GNUM)) || is(f, rid(R_CURRENCY_CNY)) ||
	             is(f, rid(R_XML_MALFORMED));
	if (local) {
		if (!has_rule(&res.findings, f))
			print_findings(&res.findings);
		CHECK(!res.accepted && has_rule(&res.findings, f), m, "not refused for %s", f);
		if (!is(f, rid(R_XML_MALFORMED)))
			CHECK(only_rule(&res.findings, f), m, "refused for more than %s", f);
		CHECK(is(m->expect, f), m, "expect %s for fault %s", m->expect, f);
		r->refused_local++;
	} else {
		if (!res.accepted || res.findings.count)
			for (const struct ceb_finding *x = res.findings.head; x; x = x->next)
				CHECK(x->rule == R_SIG_NOKEY, m, "finding %s %s %s", rid(x->rule),
				      x->path, x->en);
		CHECK(res.accepted, m, "refused without a fault");
		r->accepted++;
	}
	int d = doc_index(m->type);
	CHECK(d >= 0, m, "unexpected type");
	assert_true(m->order < r->norders);
	struct pending *p = &r->orders[m->order];
	CHECK(!p->xml[d], m, "a second original of the same document");
	p->xml[d] = malloc(m->len);
	assert_non_null(p->xml[d]);
	memcpy(p->xml[d], m->xml, m->len);
	p->len[d] = m->len;
	p->type[d] = m->type;
	p->expect[d] = m->expect;
	p->fault[d] = m->fault;
	if (!p->have)
		p->first_seq = m->seq;
	p->last_seq = m->seq;
	p->arrival[p->have++] = d;
	bool exp = m->type == 303 || m->type == 505 || m->type == 603;
	int ndocs = exp ? 3 : 4;
	if (p->have < ndocs)
		return;
	if (p->last_seq - p->first_seq + 1 > (uint64_t)ndocs)
		r->interleaved++;
	if (exp) {
		settle_export(r, p, m);
	} else {
		int perm = 0;
		for (int i = 0; i < 4; i++)
			perm = perm * 4 + p->arrival[i];
		r->perm_seen[(perm * 7) % 24]++; /* a cheap fingerprint of the permutation */
		r->first_not_order += p->arrival[0] != 0;
		settle_import(r, p, m);
	}
	for (int i = 0; i < 4; i++) {
		free(p->xml[i]);
		p->xml[i] = NULL;
	}
}

static void run_init(struct run *r, const struct gen_opts *o)
{
	memset(r, 0, sizeof *r);
	struct ceb_check_opts co;
	ceb_check_opts_default(&co);
	co.verify_signatures = false;
	r->checker = ceb_checker_new(&co);
	r->parser = ceb_parser_new(NULL);
	r->arena = arena_new(1 << 16);
	r->orders = calloc(o->orders, sizeof *r->orders);
	r->norders = o->orders;
	r->annual = o->annual_limit;
	r->single = o->single_limit;
	assert_non_null(r->checker);
	assert_non_null(r->parser);
	assert_non_null(r->arena);
	assert_non_null(r->orders);
}

static void run_free(struct run *r)
{
	for (uint64_t i = 0; i < r->norders; i++)
		for (int d = 0; d < 4; d++)
			free(r->orders[i].xml[d]);
	free(r->orders);
	free(r->quota);
	free(r->recs);
	free(r->hashes);
	arena_free(r->arena);
	ceb_parser_free(r->parser);
	ceb_checker_free(r->checker);
}

static void generate(struct run *r, const struct gen_opts *o, struct gen_stats *st)
{
	struct gen *g = gen_new(o, g_tariff);
	assert_non_null(g);
	struct gen_msg m;
	struct gen_stockin si;
	int rc;
	for (;;) {
		while ((rc = gen_next_stockin(g, &si)) == 1)
			on_stockin(r, &si);
		assert_int_equal(rc, 0);
		if ((rc = gen_next(g, &m)) != 1)
			break;
		if (!m.followup)
			r->seq = m.seq;
		on_message(r, &m);
	}
	assert_int_equal(rc, 0);
	assert_int_equal(gen_next(g, &m), 0); /* stays at the end */
	gen_stats(g, st);
	gen_free(g);
}

/* Every message checked, every order matched and taxed; the shares roughly as asked. */
static void test_valid_workload(void **state)
{
	(void)state;
	struct gen_opts o;
	gen_opts_default(&o);
	o.orders = 1500;
	o.seed = 20251111;
	o.buyers = 60; /* few buyers: some of them run into the annual limit */
	o.cancel_bp = 200;
	o.refund_bp = 200;
	struct run r;
	run_init(&r, &o);
	struct gen_stats st;
	generate(&r, &o, &st);

	unsigned imports = r.complete_import;
	fprintf(
	    stderr,
	    "# %u messages: %u accepted, %u refused (local), %u cross-document faults, %u "
	    "L-01, %u L-02, %u P-04, %u B-04, %u matched, %u exports, %u resends, %u follow-ups, "
	    "%u stock-ins\n",
	    r.messages, r.accepted, r.refused_local, r.cross, r.l01, r.l02, r.p04, r.b04, r.matched,
	    r.exports, r.resends, r.followups, r.stockins);
	assert_int_equal(st.messages, r.messages);
	assert_int_equal(st.faulty, r.faulty);
	assert_int_equal(st.resends, r.resends);
	assert_int_equal(st.followups, r.followups);
	assert_int_equal(st.over_annual, r.l02);
	assert_int_equal(st.unmatched, r.p04);
	assert_int_equal(st.short_stock, r.b04);
	assert_int_equal(st.stockins, r.stockins);
	/* the bonded account: stock ahead of the lists, 0.5 % of them short, both units */
	assert_true(r.stockins > 0 && r.b04 > 0);
	assert_true(r.b04 * 1000 / (r.bonded + r.b04) <= 20);
	assert_true(r.legal_unit_lines > 0 && r.declared_unit_lines > 0);
	/* every order completed */
	for (uint64_t i = 0; i < o.orders; i++)
		assert_null(r.orders[i].xml[0]);
	assert_int_equal(imports + r.exports, o.orders);
	/* export 10 %, 1210 70 % of the imports that matched, faults 2 %, resends 1 % */
	assert_in_range(r.exports, 100, 200);
	assert_in_range(r.bonded * 100 / (r.bonded + r.direct), 62, 78);
	assert_in_range(r.faulty * 1000 / r.messages, 12, 30);
	assert_in_range(r.resends * 1000 / r.messages, 5, 16);
	assert_true(r.refused_local > 0 && r.cross > 0 && r.l01 > 0 && r.p04 > 0);
	assert_true(r.l02 > 0); /* the quota bites */
	assert_true(r.followups > 0);
	for (int f = 1; f < GEN_F__N; f++)
		assert_true(st.by_fault[f] > 0);
	/* 1-5 lines, mostly 1-2 */
	unsigned total = 0;
	for (int n = 0; n < 9; n++)
		total += r.lines[n];
	assert_int_equal(r.lines[0], 0);
	assert_int_equal(r.lines[6] + r.lines[7] + r.lines[8], 0);
	assert_true(r.lines[5] > 0);
	assert_true((r.lines[1] + r.lines[2]) * 100 / total >= 65);
	/* arrival is shuffled: per order and across neighbouring orders */
	unsigned perms = 0;
	for (int i = 0; i < 24; i++)
		perms += r.perm_seen[i] > 0;
	assert_true(perms >= 8);
	assert_true(r.first_not_order * 100 / imports >= 50);
	assert_true(r.interleaved * 100 / o.orders >= 50);
	run_free(&r);
}

/* The default pool: repeat buyers exist, a few buy a lot. */
static void test_repeat_buyers(void **state)
{
	(void)state;
	struct gen_opts o;
	gen_opts_default(&o);
	o.orders = 3000;
	o.seed = 99;
	o.faulty_bp = 0;
	o.resend_bp = 0;
	o.export_bp = 0;
	struct run r;
	run_init(&r, &o);
	struct gen_stats st;
	generate(&r, &o, &st);
	assert_int_equal(r.faulty, 0);
	assert_int_equal(r.resends, 0);
	assert_int_equal(r.exports, 0);
	unsigned most = 0, repeat = 0;
	for (size_t i = 0; i < r.nquota; i++) {
		if (r.quota[i].orders > most)
			most = r.quota[i].orders;
		repeat += r.quota[i].orders > 1;
	}
	fprintf(stderr, "# %zu buyers for %u orders, %u repeat buyers, the keenest %u orders\n",
	        r.nquota, r.complete_import, repeat, most);
	assert_true(repeat > 50);
	assert_true(most >= 8);
	assert_true(r.nquota < 1000); /* orders / 3 */
	assert_int_equal(st.buyers_repeat, repeat);
	run_free(&r);
}

static uint64_t stream_hash(const struct gen_opts *o, uint64_t *count, uint64_t *first)
{
	struct gen *g = gen_new(o, g_tariff);
	assert_non_null(g);
	struct gen_msg m;
	struct gen_stockin si;
	uint64_t h = 0xCBF29CE484222325ULL;
	*count = 0;
	for (;;) {
		while (gen_next_stockin(g, &si) == 1) {
			h = fnv(si.item_no, strlen(si.item_no), h);
			h = fnv(si.entry, strlen(si.entry), h);
			h = fnv((const char *)&si.qty, sizeof si.qty, h);
		}
		if (gen_next(g, &m) != 1)
			break;
		if (!*count)
			*first = fnv(m.xml, m.len, 0xCBF29CE484222325ULL);
		h = fnv(m.xml, m.len, h);
		h = fnv(m.expect, strlen(m.expect), h);
		h = fnv(m.sender, strlen(m.sender), h);
		(*count)++;
	}
	gen_free(g);
	return h;
}

static void test_deterministic(void **state)
{
	(void)state;
	struct gen_opts o;
	gen_opts_default(&o);
	o.orders = 400;
	o.seed = 42;
	uint64_t n1, n2, n3, f1, f2, f3;
	uint64_t h1 = stream_hash(&o, &n1, &f1);
	uint64_t h2 = stream_hash(&o, &n2, &f2);
	assert_int_equal(n1, n2);
	assert_true(h1 == h2);
	o.seed = 43;
	uint64_t h3 = stream_hash(&o, &n3, &f3);
	assert_true(h1 != h3);
	assert_true(f1 != f3);
}

static void test_options(void **state)
{
	(void)state;
	struct gen_opts o;
	char err[128];
	gen_opts_default(&o);
	assert_int_equal(gen_opts_check(&o, err, sizeof err), 0);
	assert_int_equal(o.orders, 400000);
	o.faulty_bp = 10001;
	assert_int_not_equal(gen_opts_check(&o, err, sizeof err), 0);
	gen_opts_default(&o);
	memcpy(o.day, "20250230", 9);
	assert_int_not_equal(gen_opts_check(&o, err, sizeof err), 0);
	assert_null(gen_new(&o, g_tariff));
	gen_opts_default(&o);
	o.short_bp = 10001;
	assert_int_not_equal(gen_opts_check(&o, err, sizeof err), 0);
	gen_opts_default(&o);
	o.orders = 0;
	assert_int_not_equal(gen_opts_check(&o, err, sizeof err), 0);
	gen_opts_default(&o);
	o.window = 0;
	assert_int_not_equal(gen_opts_check(&o, err, sizeof err), 0);
	size_t n;
	const struct gen_party *p = gen_parties(&n);
	unsigned senders = 0;
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(strlen(p[i].code), 10);
		senders += p[i].sends;
	}
	assert_true(senders >= 10);
}

/* Goods with a specific consumption tax are never used; a table of only those is refused,
 * and a table of one line still gives a valid workload. */
static void test_tariff_edges(void **state)
{
	(void)state;
	static const char only_specific[] = "hs,name,mfn,vat,ct,ct_specific,unit1,unit2\n"
	                                    "2203000000,啤酒,0,13,0,1,095,035\n";
	static const char one_line[] = "hs,name,mfn,vat,ct,ct_specific,unit1,unit2\n"
	                               "2203000000,啤酒,0,13,0,1,095,035\n"
	                               "3304990099,其他美容品或化妆品及护肤品,6.5,13,15,0,035,\n";
	char err[128];
	struct tariff *t =
	    tariff_load_mem(only_specific, sizeof only_specific - 1, err, sizeof err);
	assert_non_null(t);
	struct gen_opts o;
	gen_opts_default(&o);
	o.orders = 300;
	assert_null(gen_new(&o, t));
	tariff_free(t);

	t = tariff_load_mem(one_line, sizeof one_line - 1, err, sizeof err);
	assert_non_null(t);
	struct tariff *saved = g_tariff;
	g_tariff = t;
	struct run r;
	run_init(&r, &o);
	struct gen_stats st;
	generate(&r, &o, &st);
	assert_true(r.matched > 0);
	run_free(&r);
	g_tariff = saved;
	tariff_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_options),       cmocka_unit_test(test_valid_workload),
	    cmocka_unit_test(test_repeat_buyers), cmocka_unit_test(test_deterministic),
	    cmocka_unit_test(test_tariff_edges),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
