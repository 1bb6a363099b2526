#include "svc/apply.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "ceb/dec.h"
#include "ceb/parse.h"
#include "ceb/validate.h"
#include "ceb/write.h"
#include "clear/docs.h"
#include "clear/match.h"
#include "clear/tariff.h"
#include "clear/tax.h"
#include "store/store.h"
#include "svc/dcache.h"
#include "svc/bonded_svc.h"
#include "svc/summary_svc.h"

#define CUSTOMS "CUSTOMS"

struct apply {
	struct store *w;
	const struct tariff *tariff;
	const struct svc_opts *o;
	struct ceb_parser *parser; /* re-reads stored documents */
	struct dcache *cache;      /* ... unless a parsed copy is at hand */
	struct arena *scratch;     /* per message */
	struct arena *ahead;       /* per batch: what apply_read_ahead asked */
	int64_t out_seq, last_receipt;
	struct apply_lists lists; /* lists by state, this transaction included */
	int64_t last_tick;
	/* per message */
	int64_t now, msg_id;
	const char *list_status, *list_info, *list_pre; /* the last list receipt written */
	const char *list_xml;
	int64_t list_seq;
};

/* A stored document re-read for matching. */
struct loaded {
	struct store_doc doc;
	struct ceb_msg *msg;
	struct ceb_node *entity;
};

struct apply *apply_new(struct store *w, const struct tariff *t, const struct svc_opts *o)
{
	struct apply *a = calloc(1, sizeof *a);
	if (!a)
		return NULL;
	a->w = w;
	a->tariff = t;
	a->o = o;
	a->parser = ceb_parser_new(&o->check.parse);
	a->scratch = arena_new(256 * 1024);
	a->ahead = arena_new(256 * 1024);
	a->cache = dcache_new(o->doc_cache_bytes);
	if (!a->parser || !a->scratch || !a->ahead || !a->cache) {
		apply_free(a);
		return NULL;
	}
	return a;
}

void apply_free(struct apply *a)
{
	if (!a)
		return;
	ceb_parser_free(a->parser);
	arena_free(a->scratch);
	arena_free(a->ahead);
	dcache_free(a->cache);
	free(a);
}

static int max_seq(void *ctx, const struct store_receipt *r)
{
	*(int64_t *)ctx = r->seq;
	return 0;
}

static int max_out(void *ctx, const struct store_out *o)
{
	*(int64_t *)ctx = o->seq;
	return 0;
}

int apply_init(struct apply *a, int64_t *outbox_seq, int64_t *last_receipt)
{
	struct store_lists c;
	int rc = store_lists_count(a->w, &c);
	if (rc)
		return rc;
	a->last_receipt = c.last_receipt;
	memcpy(a->lists.by_state, c.by_state, sizeof a->lists.by_state);
	/* the last outbox row: scan from the customs cursor */
	int64_t cur = 0, last = 0;
	store_cursor_get(a->w, "customs", &cur);
	last = cur;
	for (;;) {
		int64_t before = last;
		rc = store_out_after(a->w, 1, last, 4096, max_out, &last);
		if (rc || last == before)
			break;
	}
	a->out_seq = last;
	int64_t r = a->last_receipt;
	store_receipts_after(a->w, NULL, r, 1, max_seq, &r);
	*outbox_seq = a->out_seq;
	*last_receipt = a->last_receipt;
	return rc;
}

int64_t apply_outbox_seq(const struct apply *a)
{
	return a->out_seq;
}

int64_t apply_last_receipt(const struct apply *a)
{
	return a->last_receipt;
}

struct apply_lists apply_lists(const struct apply *a)
{
	return a->lists;
}

struct apply_mark apply_mark(const struct apply *a)
{
	return (struct apply_mark){a->lists, a->out_seq, a->last_receipt};
}

void apply_restore(struct apply *a, const struct apply_mark *m)
{
	a->lists = m->lists;
	a->out_seq = m->out_seq;
	a->last_receipt = m->last_receipt;
}

/* Keep the count of lists by state as documents change (no scan of the store). */
static void tally(struct apply *a, int kind, int from, int to)
{
	if (kind != 621 && kind != 603)
		return;
	if (from > 0 && from < DOC_STATE__N)
		a->lists.by_state[from]--;
	if (to > 0 && to < DOC_STATE__N)
		a->lists.by_state[to]++;
}

/* ---- small helpers ---- */

static const char *val(const struct ceb_node *n, const char *field)
{
	if (!n)
		return NULL;
	int k = ceb_def_field(n->def, field, strlen(field));
	return k >= 0 && n->vals[k].p ? n->vals[k].p : NULL;
}

static const char *copcode(const struct ceb_msg *m)
{
	for (int k = 0; k < m->root->def->nkids; k++) {
		const struct ceb_def *d = m->root->def->kids[k].def;
		if (!strcmp(d->name, "BaseTransfer") && m->root->first[k])
			return val(m->root->first[k], "copCode");
	}
	return NULL;
}

static char *write_xml(struct arena *ar, const struct ceb_msg *m, size_t *len)
{
	struct buf b = BUF_INIT;
	ceb_write(m, NULL, &b);
	char *s = b.err ? NULL : arena_strndup(ar, b.p ? b.p : "", b.n);
	if (len)
		*len = b.n;
	buf_free(&b);
	return s;
}

/* The entity alone as a message (what a document row keeps and what goes to customs). NULL
 * with *ref set when the message has just this entity: the document then refers to the
 * message's own bytes (stored once, and a signature stays valid). */
static char *entity_body(struct apply *a, const struct ceb_msg *m, struct ceb_node *e,
			 size_t *out_len, bool *ref)
{
	*ref = m->root->count[0] == 1;
	if (*ref) {
		*out_len = 0;
		return NULL;
	}
	/* Write a copy of the message holding only this entity: detach its siblings for the
	 * duration (the writer thread owns the message). */
	struct ceb_node *first = m->root->first[0], *last = m->root->last[0], *next = e->next;
	uint16_t count = m->root->count[0];
	m->root->first[0] = m->root->last[0] = e;
	m->root->count[0] = 1;
	e->next = NULL;
	char *s = write_xml(a->scratch, m, out_len);
	e->next = next;
	m->root->first[0] = first;
	m->root->last[0] = last;
	m->root->count[0] = count;
	return s;
}

/* doc_id: the document of (t, key) when known (0: the store finds it). */
static int add_receipt(struct apply *a, const char *recipient, const struct doc_type *t,
		       const char *key, int64_t doc_id, const char *status, const char *xml)
{
	struct store_receipt r = {
		.recipient = (char *)recipient,
		.type = t ? t->receipt : 900,
		.doc_kind = t ? t->code : 0,
		.doc_key = (char *)key,
		.status = (char *)status,
		.created = a->now,
		.xml = (char *)xml,
		.doc_id = doc_id,
	};
	int64_t seq;
	int rc = store_receipt_add(a->w, &r, &seq);
	if (!rc)
		a->last_receipt = seq;
	return rc;
}

static int event(struct apply *a, int64_t doc_id, int from, int to, const char *reason)
{
	struct store_event e = {doc_id, from, to, a->now, reason, a->msg_id};
	return store_event_add(a->w, &e);
}

static int set_state(struct apply *a, struct store_doc *d, int to, const char *reason)
{
	int from = d->state;
	int rc = store_doc_set_state(a->w, d->id, to, a->now);
	if (!rc)
		rc = event(a, d->id, from, to, reason);
	if (!rc) {
		d->state = to;
		tally(a, d->kind, from, to);
	}
	return rc;
}

/* Queue a document for customs: by reference to its message when it is the message. */
static int outbox(struct apply *a, struct store_doc *d)
{
	int64_t seq;
	int rc = d->body_ref ? 0 : store_doc_body(a->w, d);
	if (rc)
		return rc;
	rc = d->body_ref ? store_out_add(a->w, 1, d->guid, d->msg_id, NULL, 0, &seq)
			 : store_out_add(a->w, 1, d->guid, 0, d->body, d->body_len, &seq);
	if (!rc)
		a->out_seq = seq;
	return rc;
}

/* A borrowed copy of a document row is given back: only the body it may have fetched
 * since is its own. */
static void unborrow(struct store_doc *copy, const struct store_doc *orig)
{
	if (copy->body != orig->body)
		free(copy->body);
	memset(copy, 0, sizeof *copy);
}

/* Re-read a stored document for matching. */
static int load(struct apply *a, int rc_get, struct loaded *l)
{
	if (rc_get)
		return rc_get;
	const struct ceb_msg *hit = dcache_get(a->cache, l->doc.id, l->doc.msg_id, l->doc.guid);
	if (hit) {
		l->msg = (struct ceb_msg *)hit; /* read only from here on */
		l->entity = ceb_msg_entities(hit);
		return l->entity ? 0 : CBEC_EPARSE;
	}
	int err = store_doc_body(a->w, &l->doc);
	if (err)
		return err;
	struct ceb_findings f;
	ceb_findings_init(&f, a->scratch, NULL);
	bool wf;
	l->msg = ceb_parse(a->parser, l->doc.body, l->doc.body_len, a->scratch, &f, &wf, &err);
	if (err)
		return err;
	l->entity = l->msg ? ceb_msg_entities(l->msg) : NULL;
	if (!l->entity)
		return CBEC_EPARSE;
	dcache_put(a->cache, l->doc.id, l->doc.msg_id, l->doc.guid, l->msg, l->entity);
	return 0;
}

static bool usable(const struct loaded *l)
{
	return l->doc.id && l->doc.state != DOC_DELETED;
}

/* A list's receipt, from its stored body. */
static int list_receipt(struct apply *a, struct loaded *list, const char *status,
			const char *info)
{
	const struct doc_type *t = doc_type_of(list->doc.kind);
	/* e-port number: B + date + 9-digit serial (C18), as the receipts samples show */
	char day[15], pre[32];
	doc_time14(a->now, day);
	snprintf(pre, sizeof pre, "B%.8s%09lld", day, (long long)(list->doc.id % 1000000000LL));
	struct receipt_args r = {status, info, a->now, pre, list->doc.ref};
	a->list_status = status;
	a->list_info = arena_strdup(a->scratch, info); /* info may be evaluate()'s stack buffer */
	a->list_pre = arena_strdup(a->scratch, pre);
	struct ceb_msg *m = doc_receipt(a->scratch, t, ceb_entity_head(list->entity), &r);
	if (!m)
		return CBEC_ENOMEM;
	const char *xml = write_xml(a->scratch, m, NULL);
	int rc = xml ? add_receipt(a, list->doc.owner, t, list->doc.key, list->doc.id, status, xml) : CBEC_ENOMEM;
	a->list_xml = rc ? NULL : xml;
	a->list_seq = rc ? 0 : a->last_receipt;
	return rc;
}

/* ---- findings of one entity ---- */

/* The findings that concern entity e (its path prefix) or the message as a whole. */
static void entity_findings(struct apply *a, const struct ceb_findings *all, const struct ceb_msg *m,
			    const struct ceb_node *e, struct ceb_findings *out)
{
	ceb_findings_init(out, a->scratch, NULL);
	const char *prefix = ceb_node_path(a->scratch, e, NULL);
	size_t pl = strlen(prefix);
	const char *ent_name = m->root->def->kids[0].def->name;
	char other[128];
	snprintf(other, sizeof other, "/%s/%s", m->type->root, ent_name);
	size_t ol = strlen(other);
	for (const struct ceb_finding *f = all->head; f; f = f->next) {
		bool mine = !strncmp(f->path, prefix, pl) && (f->path[pl] == '\0' || f->path[pl] == '/');
		bool other_entity = !strncmp(f->path, other, ol) && !mine;
		if (other_entity)
			continue;
		struct ceb_finding *x = arena_alloc(a->scratch, sizeof *x);
		if (!x)
			continue;
		*x = *f;
		x->next = NULL;
		if (out->tail)
			out->tail->next = x;
		else
			out->head = x;
		out->tail = x;
		out->count++;
		if (x->sev == CEB_SEV_ERROR)
			out->errors++;
	}
}

static const char *first_error_code(const struct doc_type *t, const struct ceb_findings *f)
{
	for (const struct ceb_finding *x = f->head; x; x = x->next)
		if (x->sev == CEB_SEV_ERROR)
			return doc_reject_code(t, x->rule);
	return "100";
}

/* ---- matching, tax, limits ---- */

struct group {
	struct loaded list, order, payment, waybill;
};

static void group_clear(struct group *g)
{
	store_doc_clear(&g->list.doc);
	store_doc_clear(&g->order.doc);
	store_doc_clear(&g->payment.doc);
	store_doc_clear(&g->waybill.doc);
}

/* The document types of a document's flow, import or export: its list, and what the list is
 * matched with (an import list also with a payment, 411). */
struct family {
	bool import;
	int list, order, waybill;
};

static struct family family_of(int code)
{
	bool import = code == 311 || code == 411 || code == 511 || code == 621 || code == 623 ||
		      code == 625;
	return (struct family){import, import ? 621 : 603, import ? 311 : 303, import ? 511 : 505};
}

/* Fetch the list's documents; parse them only when all are there (most arrivals find
 * something still missing, and parsing is the writer's main cost). */
static int load_group(struct apply *a, struct group *g, bool *complete)
{
	struct family fam = family_of(g->list.doc.kind);
	bool import = fam.import;
	int rc = store_doc_get(a->w, fam.order, g->list.doc.key, &g->order.doc);
	if (rc && rc != CBEC_ENOTFOUND)
		return rc;
	if (import) {
		rc = store_doc_by_link(a->w, 411, g->list.doc.key, &g->payment.doc);
		if (rc && rc != CBEC_ENOTFOUND)
			return rc;
	}
	rc = store_doc_get(a->w, fam.waybill, g->list.doc.link ? g->list.doc.link : "", &g->waybill.doc);
	if (rc && rc != CBEC_ENOTFOUND)
		return rc;
	struct loaded *need[3] = {&g->order, import ? &g->payment : NULL, &g->waybill};
	*complete = true;
	for (int i = 0; i < 3; i++)
		if (need[i] && (!need[i]->doc.id || need[i]->doc.state == DOC_DELETED))
			*complete = false;
	for (int i = 0; *complete && i < 3; i++) {
		if (!need[i])
			continue;
		rc = load(a, 0, need[i]);
		if (rc)
			return rc;
	}
	return 0;
}

static const char *missing_text(struct apply *a, const struct group *g, bool import, bool en)
{
	char buf[160] = "";
	if (!usable(&g->order))
		strcat(buf, en ? " order" : " 订单");
	if (import && !usable(&g->payment))
		strcat(buf, en ? " payment" : " 支付凭证");
	if (!usable(&g->waybill))
		strcat(buf, en ? " waybill" : " 运单");
	return arena_strdup(a->scratch, buf[0] ? buf + 1 : "");
}

static int year_of(const struct ceb_node *head)
{
	const char *t = val(head, "appTime");
	if (t && strlen(t) >= 4)
		return (t[0] - '0') * 1000 + (t[1] - '0') * 100 + (t[2] - '0') * 10 + (t[3] - '0');
	return 1970;
}

static void json_field(struct buf *b, const char *name, const char *v, bool first)
{
	buf_puts(b, first ? "{\"" : ",\"");
	buf_puts(b, name);
	buf_puts(b, "\":");
	if (!v) {
		buf_puts(b, "null");
		return;
	}
	buf_putc(b, '"');
	buf_put_json(b, v, strlen(v));
	buf_putc(b, '"');
}

/* The tax of each line, as JSON (what jansson's compact dump gave, without building a tree
 * for every list: 2 % of the writer's instructions). */
static char *tax_lines_json(const struct tax_result *tr, const struct ceb_node *lines)
{
	struct buf b = BUF_INIT;
	char t[DEC_FMT_MAX];
	size_t i = 0;
	buf_putc(&b, '[');
	for (const struct ceb_node *l = lines; l && i < tr->nlines; l = l->next, i++) {
		const struct tax_line_result *x = &tr->line[i];
		if (i)
			buf_putc(&b, ',');
		json_field(&b, "gnum", val(l, "gnum"), true);
		json_field(&b, "qty", val(l, "qty"), false);
		json_field(&b, "dutiable", dec_format(x->dutiable, t), false);
		json_field(&b, "customsTax", dec_format(x->customs_tax, t), false);
		json_field(&b, "valueAddedTax", dec_format(x->vat, t), false);
		json_field(&b, "consumptionTax", dec_format(x->ct, t), false);
		json_field(&b, "totalPrice", dec_format(x->dutiable, t), false);
		buf_putc(&b, '}');
	}
	buf_putc(&b, ']');
	if (b.err) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

/* Pre-check passed: assess the tax and take the buyer's quota, atomically with the decision
 * (this transaction). Returns the rule that refuses the list, or -1. */
static int assess(struct apply *a, struct loaded *list, struct ceb_findings *f, char *info,
		  size_t infolen)
{
	const struct ceb_node *h = ceb_entity_head(list->entity);
	const struct ceb_node *lines = ceb_entity_lines(list->entity);
	struct tax_line tl[TAX_MAX_LINES];
	size_t n = 0;
	for (const struct ceb_node *l = lines; l && n < TAX_MAX_LINES; l = l->next, n++) {
		tl[n].total_price = 0;
		tl[n].qty = 0;
		ceb_dec_of(l, IIL_totalPrice, &tl[n].total_price);
		ceb_dec_of(l, IIL_qty, &tl[n].qty);
		const struct ceb_val *g = &l->vals[IIL_gcode];
		tl[n].rate = g->p ? tariff_find(a->tariff, g->p, g->n) : NULL;
	}
	int64_t freight = 0, insured = 0;
	ceb_dec_of(h, IIH_freight, &freight);
	ceb_dec_of(h, IIH_insuredFee, &insured);
	struct tax_result *tr = arena_alloc(a->scratch, sizeof *tr);
	if (!tr)
		return CBEC_ENOMEM;
	tax_compute(tl, n, freight, insured, 0, &a->o->tax, tr);
	char b1[DEC_FMT_MAX], b2[DEC_FMT_MAX];
	switch (tr->status) {
	case TAX_OK: break;
	case TAX_UNKNOWN_RATE: {
		const struct ceb_node *l = lines;
		for (size_t i = 0; l && i < tr->bad_line; i++)
			l = l->next;
		ceb_report(f, R_HS_TARIFF, l ? ceb_node_path(a->scratch, l, "gcode") : "", l ? l->line : 0,
			   "商品编码%s不在税则表中", "gcode %s is not in the tariff table", l ? val(l, "gcode") : "?");
		return R_HS_TARIFF;
	}
	case TAX_SPECIFIC:
		ceb_report(f, R_T_SPECIFIC, "", 0, "第%zu项商品从量计征消费税", "line %zu has a specific consumption tax",
			   tr->bad_line + 1);
		return R_T_SPECIFIC;
	case TAX_OVER_SINGLE:
		ceb_report(f, R_L_SINGLE, ceb_node_path(a->scratch, h, NULL), h->line,
			   "完税价格%s元超过单次交易限值%s元", "dutiable value %s CNY is over the single limit of %s CNY",
			   dec_format(tr->dutiable, b1), dec_format(a->o->tax.single_limit, b2));
		return R_L_SINGLE;
	case TAX_INVALID:
		ceb_report(f, R_L_SINGLE, ceb_node_path(a->scratch, h, NULL), h->line,
			   "无法计算完税价格", "the dutiable value cannot be computed");
		return R_L_SINGLE;
	}
	/* L-02: the year's counted amounts plus this list. */
	const char *id_type = val(h, "buyerIdType"), *id_no = val(h, "buyerIdNumber");
	const char *buyer = arena_printf(a->scratch, "%s|%s", id_type ? id_type : "", id_no ? id_no : "");
	int year = year_of(h);
	int64_t reserved, committed;
	int rc = store_quota_get(a->w, buyer, year, &reserved, &committed);
	if (rc)
		return rc;
	int64_t used = reserved + committed;
	if (used + tr->dutiable > a->o->annual_limit) {
		char b3[DEC_FMT_MAX];
		ceb_report(f, R_L_ANNUAL, ceb_node_path(a->scratch, h, "buyerIdNumber"), h->line,
			   "订购人%d年已用%s元，加本次%s元超过年度限值%s元",
			   "the buyer has used %d: %s CNY; with this list's %s CNY that is over the annual limit of %s CNY",
			   year, dec_format(used, b1), dec_format(tr->dutiable, b2),
			   dec_format(a->o->annual_limit, b3));
		return R_L_ANNUAL;
	}
	rc = store_quota_add(a->w, buyer, year, tr->dutiable, 0);
	if (!rc) {
		struct store_hold hold = {list->doc.id, (char *)buyer, year, tr->dutiable, 1};
		rc = store_hold_put(a->w, &hold);
	}
	if (!rc) {
		char *lj = tax_lines_json(tr, lines);
		struct store_tax st = {list->doc.id, tr->dutiable, tr->customs_tax, tr->vat, tr->ct, tr->total,
				       tr->full_rate, lj};
		rc = store_tax_put(a->w, &st);
		free(lj);
	}
	if (rc)
		return rc;
	char t1[DEC_FMT_MAX], t2[DEC_FMT_MAX], t3[DEC_FMT_MAX], t4[DEC_FMT_MAX];
	snprintf(info, infolen,
		 "[Code:3;Desc:预校验通过，已发送海关] 完税价格%s元，应征关税%s元、增值税%s元、消费税%s元%s"
		 " (pre-check passed, sent to customs; dutiable %s CNY, tax %s CNY)",
		 dec_format_fixed(tr->dutiable, 2, b1), dec_format_fixed(tr->customs_tax, 2, t1),
		 dec_format_fixed(tr->vat, 2, t2), dec_format_fixed(tr->ct, 2, t3),
		 tr->full_rate ? "（单件不可分割商品，按货物税率全额征税）" : "", b1,
		 dec_format_fixed(tr->total, 2, t4));
	return -1;
}

/* Decide a list whose documents may all be here. */
static int evaluate(struct apply *a, struct group *g)
{
	struct loaded *list = &g->list;
	bool import = list->doc.kind == 621;
	if (list->doc.state != DOC_RECEIVED && list->doc.state != DOC_WAITING)
		return 0;
	bool complete;
	int rc = load_group(a, g, &complete);
	if (rc)
		return rc;
	if (!complete) {
		if (list->doc.state == DOC_WAITING)
			return 0;
		if (!list->entity && (rc = load(a, 0, list)) != 0)
			return rc;
		const char *zh = missing_text(a, g, import, false), *en = missing_text(a, g, import, true);
		const char *why = arena_printf(a->scratch, "waiting for:%s%s", en[0] ? " " : "", en);
		rc = set_state(a, &list->doc, DOC_WAITING, why);
		if (!rc)
			rc = list_receipt(a, list, "2",
					  arena_printf(a->scratch, "[Code:2;Desc:平台已接收，等待对碰单据：%s] (received; waiting for: %s)", zh, en));
		return rc;
	}
	if (!list->entity && (rc = load(a, 0, list)) != 0)
		return rc;
	struct ceb_findings f;
	ceb_findings_init(&f, a->scratch, NULL);
	if (import)
		match_import(g->order.entity, g->payment.entity, g->waybill.entity, list->entity,
			     &a->o->match, &f);
	else
		match_export(g->order.entity, g->waybill.entity, list->entity, NULL, &a->o->match, &f);
	char info[1200] = "";
	int refused = -1;
	if (import && (rc = bonded_svc_check(a->w, list->entity, a->scratch, &f)) != 0)
		return rc; /* B-01, B-04: 1210 lines against the bonded account */
	if (!f.errors && import) {
		refused = assess(a, list, &f, info, sizeof info);
		if (refused < -1)
			return refused; /* store failure */
	}
	const struct doc_type *t = doc_type_of(list->doc.kind);
	if (f.errors) {
		const char *code = first_error_code(t, &f);
		const char *ri = doc_findings_info(a->scratch, code, "预校验未通过", &f);
		rc = set_state(a, &list->doc, DOC_REJECTED, ri);
		if (!rc)
			rc = list_receipt(a, list, code, ri);
		return rc;
	}
	if (!import)
		snprintf(info, sizeof info, "[Code:3;Desc:预校验通过，已发送海关] (pre-check passed, sent to customs)");
	if (f.count) { /* warnings travel with the acceptance */
		const char *w = doc_findings_info(a->scratch, "3", "", &f);
		size_t l = strlen(info);
		snprintf(info + l, sizeof info - l, " %s", w + strlen("[Code:3;Desc:]"));
	}
	rc = set_state(a, &list->doc, DOC_CHECKED, "pre-check passed; sent to customs");
	if (!rc && import) /* B-03: held from forwarding, see svc/bonded_svc.h */
		rc = bonded_svc_reserve(a->w, list->doc.id, list->doc.key, list->entity, a->now);
	struct loaded *docs[3] = {&g->order, import ? &g->payment : NULL, &g->waybill};
	for (int i = 0; !rc && i < 3; i++) {
		if (!docs[i])
			continue;
		if (docs[i]->doc.state != DOC_USED)
			rc = set_state(a, &docs[i]->doc, DOC_USED,
				       arena_printf(a->scratch, "bound to list %s", list->doc.key));
		if (!rc)
			rc = outbox(a, &docs[i]->doc);
	}
	if (!rc)
		rc = outbox(a, &list->doc);
	if (!rc)
		rc = list_receipt(a, list, "3", info);
	return rc;
}

/* A list that one of its documents may complete. */
static int trigger(struct apply *a, int list_kind, const char *key, const char *link)
{
	struct group g;
	memset(&g, 0, sizeof g);
	int rc = key ? store_doc_get(a->w, list_kind, key, &g.list.doc)
		     : store_doc_by_link(a->w, list_kind, link, &g.list.doc);
	if (rc == CBEC_ENOTFOUND) {
		group_clear(&g);
		return 0;
	}
	if (!rc && (g.list.doc.state == DOC_RECEIVED || g.list.doc.state == DOC_WAITING))
		rc = evaluate(a, &g);
	if (!rc && g.list.doc.state != DOC_RECEIVED && g.list.doc.state != DOC_WAITING) {
		/* decided: its documents are not read again in the normal course */
		struct loaded *all[4] = {&g.list, &g.order, &g.payment, &g.waybill};
		for (int i = 0; i < 4; i++)
			if (all[i]->doc.id)
				dcache_forget(a->cache, all[i]->doc.id);
	}
	group_clear(&g);
	return rc;
}

/* ---- one entity of a declaration ---- */

struct verdict {
	const char *status;
	const char *info;
	int64_t doc_id; /* the document stored under the entity's key, when known */
};

static bool is_list_in_flight(int state)
{
	return state == DOC_CHECKED || state == DOC_ACCEPTED || state == DOC_CONCLUDED ||
	       state == DOC_RELEASED || state == DOC_INSPECTION;
}

static void refuse(struct apply *a, const struct doc_type *t, struct ceb_findings *f,
		   enum ceb_rule_id rule, const char *path, const char *zh, const char *en,
		   struct verdict *v)
{
	ceb_report_text(f, rule, path, 0, zh, en);
	v->status = doc_reject_code(t, rule);
	v->info = doc_findings_info(a->scratch, v->status, "单据未被接受", f);
}

static int cancel_or_refund(struct apply *a, const struct doc_type *t, struct ceb_node *head,
			    struct store_doc *doc, struct ceb_findings *f, struct verdict *v)
{
	const char *invt = val(head, "invtNo");
	struct store_doc list;
	int rc = store_doc_by_ref(a->w, family_of(t->code).list, invt ? invt : "", &list);
	const char *path = ceb_node_path(a->scratch, head, "invtNo");
	if (rc == CBEC_ENOTFOUND) {
		refuse(a, t, f, t->role == DOC_R_CANCEL ? R_D_CANCEL : R_D_REFUND, path,
		       arena_printf(a->scratch, "没有清单编号为%s的清单", invt ? invt : ""),
		       arena_printf(a->scratch, "there is no list numbered %s", invt ? invt : ""), v);
		return 0;
	}
	if (rc)
		return rc;
	/* The number must be this order's list, not merely some list's. */
	const char *ebp = val(head, "ebpCode"), *ord = val(head, "orderNo");
	if (ebp && ord) {
		const char *own = arena_printf(a->scratch, "%s|%s", ebp, ord);
		if (strcmp(own, list.key) != 0) {
			refuse(a, t, f, t->role == DOC_R_CANCEL ? R_D_CANCEL : R_D_REFUND, path,
			       arena_printf(a->scratch, "清单%s属于订单%s，不是%s", invt, list.key, own),
			       arena_printf(a->scratch, "list %s belongs to order %s, not %s", invt, list.key, own), v);
			store_doc_clear(&list);
			return 0;
		}
	}
	bool ok;
	const char *zh, *en;
	if (t->role == DOC_R_CANCEL) {
		/* D-03: after customs numbered it and before it is returned or cancelled */
		ok = list.state == DOC_ACCEPTED || list.state == DOC_CONCLUDED ||
		     list.state == DOC_INSPECTION || list.state == DOC_RELEASED;
		zh = "清单当前状态不允许撤销";
		en = "the list's state does not allow a cancellation";
	} else {
		ok = list.state == DOC_RELEASED || list.state == DOC_REFUNDED;
		zh = "只有已放行的清单可以退货";
		en = "only a released list can be returned";
		if (ok) {
			/* D-01: within refund_days of release (the release event's time) */
			int64_t released_at = list.updated;
			if (a->now - released_at > (int64_t)a->o->refund_days * 86400 * 1000) {
				refuse(a, t, f, R_D_REFUND_TIME, path,
				       arena_printf(a->scratch, "放行已超过%d日", a->o->refund_days),
				       arena_printf(a->scratch, "more than %d days since release", a->o->refund_days), v);
				store_doc_clear(&list);
				return 0;
			}
		}
	}
	if (!ok) {
		refuse(a, t, f, t->role == DOC_R_CANCEL ? R_D_CANCEL : R_D_REFUND, path,
		       arena_printf(a->scratch, "%s（%s）", zh, store_doc_state_name(list.state)),
		       arena_printf(a->scratch, "%s (%s)", en, store_doc_state_name(list.state)), v);
		store_doc_clear(&list);
		return 0;
	}
	doc->link = strdup(list.key);
	store_doc_clear(&list);
	return 0;
}

static int apply_entity(struct apply *a, const struct doc_type *t, const struct ceb_msg *m,
			struct ceb_node *e, const char *owner, const char *body, size_t len,
			struct ceb_findings *f, struct verdict *v)
{
	struct ceb_node *head = ceb_entity_head(e);
	const char *key = doc_key(a->scratch, t, head);
	const char *link = doc_link(a->scratch, t, head);
	const char *app_type = val(head, "appType");
	const char *app_time = val(head, "appTime");
	struct store_doc cur;
	int rc = store_doc_get(a->w, t->code, key, &cur);
	if (rc && rc != CBEC_ENOTFOUND)
		return rc;
	bool exists = rc == 0;
	bool is_list = t->role == DOC_R_LIST;
	bool used = exists && (cur.state == DOC_USED || (is_list && is_list_in_flight(cur.state)));
	const char *key_path = ceb_node_path(a->scratch, head, t->key[t->key[1] ? 1 : 0]);
	int kind = app_type && !strcmp(app_type, "2") ? 2 : app_type && !strcmp(app_type, "3") ? 3 : 1;
	v->status = "2";
	v->info = "[Code:2;Desc:平台已接收] (received by the platform)";
	rc = 0;
	if (kind == 1 && exists && cur.state != DOC_DELETED && cur.state != DOC_REJECTED &&
	    cur.state != DOC_CANCELLED) {
		refuse(a, t, f, R_M_DUP, key_path,
		       arena_printf(a->scratch, "%s%s已存在（%s）", t->zh, key, store_doc_state_name(cur.state)),
		       arena_printf(a->scratch, "%s %s already exists (%s)", t->en, key, store_doc_state_name(cur.state)), v);
		goto out;
	}
	if (kind != 1 && (!exists || cur.state == DOC_DELETED)) {
		refuse(a, t, f, R_NO_DOC, key_path,
		       arena_printf(a->scratch, "没有可%s的%s%s", kind == 2 ? "变更" : "删除", t->zh, key),
		       arena_printf(a->scratch, "there is no %s %s to %s", t->en, key, kind == 2 ? "change" : "delete"), v);
		goto out;
	}
	if (kind != 1 && used) {
		refuse(a, t, f, R_M_USED, key_path,
		       arena_printf(a->scratch, "%s%s已被申报的清单使用", t->zh, key),
		       arena_printf(a->scratch, "%s %s is bound to a declared list", t->en, key), v);
		goto out;
	}
	if (kind == 2 && app_time && cur.app_time && strcmp(app_time, cur.app_time) <= 0) {
		refuse(a, t, f, R_OLD, ceb_node_path(a->scratch, head, "appTime"),
		       arena_printf(a->scratch, "报送时间%s不晚于已存版本%s，旧报文不处理", app_time, cur.app_time),
		       arena_printf(a->scratch, "appTime %s is not after the stored version's %s: old message ignored",
				    app_time, cur.app_time), v);
		goto out;
	}
	struct store_doc d;
	memset(&d, 0, sizeof d);
	if (exists)
		d.id = cur.id;
	d.kind = t->code;
	d.key = (char *)key;
	d.owner = (char *)owner;
	d.guid = (char *)val(head, "guid");
	d.app_time = (char *)app_time;
	d.msg_id = a->msg_id;
	d.updated = a->now;
	d.ref = exists ? cur.ref : NULL;
	d.body = entity_body(a, m, e, &d.body_len, &d.body_ref);
	if (!d.body && !d.body_ref) {
		rc = CBEC_ENOMEM;
		goto out;
	}
	char *extra_link = NULL;
	if (t->role == DOC_R_CANCEL || t->role == DOC_R_REFUND) {
		struct store_doc tmp;
		memset(&tmp, 0, sizeof tmp);
		rc = cancel_or_refund(a, t, head, &tmp, f, v);
		extra_link = tmp.link;
		if (rc || strcmp(v->status, "2") != 0) {
			free(extra_link);
			goto out;
		}
	}
	struct summary_claim *claim = NULL;
	if (t->code == 701) { /* §9: the lists a summary takes (svc/summary_svc.h) */
		rc = summary_svc_check(a->w, e, owner, key, a->scratch, f, &claim);
		if (!rc && !claim) {
			v->status = first_error_code(t, f);
			v->info = doc_findings_info(a->scratch, v->status, "汇总申请未被接受", f);
		}
		if (rc || !claim) {
			free(extra_link);
			goto out;
		}
	}
	d.link = extra_link ? extra_link : (char *)link;
	int from = exists ? cur.state : 0;
	d.state = kind == 3 ? DOC_DELETED : is_list ? DOC_RECEIVED : DOC_ACTIVE;
	rc = store_doc_put(a->w, &d);
	if (!rc) {
		tally(a, d.kind, from, d.state);
		v->doc_id = d.id;
	}
	if (!rc && kind != 3 && (t->role == DOC_R_ORDER || t->role == DOC_R_PAYMENT ||
						t->role == DOC_R_WAYBILL || t->role == DOC_R_LIST))
		dcache_put(a->cache, d.id, d.msg_id, d.guid, m, e); /* soon needed by its list */
	if (!rc)
		rc = event(a, d.id, from, d.state,
			   kind == 1 ? "new" : kind == 2 ? "changed (appType 2)" : "deleted (appType 3)");
	if (!rc && claim)
		rc = summary_svc_claim(a->w, claim, d.id, a->now);
	free(extra_link);
	if (rc || kind == 3)
		goto out;
	/* What this document may complete, or where it goes next. */
	switch (t->role) {
	case DOC_R_LIST:
		rc = trigger(a, t->code, key, NULL);
		v->status = NULL; /* the list's own receipt was written by evaluate() */
		break;
	case DOC_R_ORDER: rc = trigger(a, family_of(t->code).list, key, NULL); break;
	case DOC_R_PAYMENT:
		if (t->code == 411)
			rc = trigger(a, 621, link, NULL);
		break;
	case DOC_R_WAYBILL: rc = trigger(a, family_of(t->code).list, NULL, key); break;
	default:
		/* cancellations, returns and the other declarations go on to customs */
		rc = outbox(a, &d);
		if (!rc)
			v->info = "[Code:3;Desc:平台已接收，已发送海关] (received; sent to customs)";
		if (!rc)
			v->status = "3";
		break;
	}
out:
	if (exists)
		store_doc_clear(&cur);
	return rc;
}

/* ---- answers ---- */

static void answer_set(struct buf *answer, const char *xml)
{
	buf_reset(answer);
	buf_puts(answer, xml);
}

/* CEB900: the format receipt for what is not a readable CEB message. */
static const char *format_receipt(struct apply *a, const char *body, size_t len,
				  const struct ceb_result *res)
{
	const struct ceb_msgtype *t = ceb_msgtype_by_code(900);
	struct ceb_msg *m = ceb_msg_new(a->scratch, t);
	if (!m)
		return NULL;
	char guid[37], t17[18];
	doc_new_guid(guid);
	doc_time17(a->now, t17);
	m->guid.p = arena_strdup(a->scratch, guid);
	m->guid.n = 36;
	m->version.p = "1.0";
	m->version.n = 3;
	struct ceb_node *r = ceb_node_add(m, m->root, 0);
	if (!r)
		return NULL;
	ceb_node_setz(m, r, IMR_guid, guid);
	ceb_node_setz(m, r, IMR_returnStatus, "-1");
	ceb_node_setz(m, r, IMR_returnInfo,
		      doc_findings_info(a->scratch, "0002", "报文格式校验未通过", &res->findings));
	ceb_node_setz(m, r, IMR_returnTime, t17);
	ceb_node_setz(m, r, IMR_oriCopMsgId, res->msg && res->msg->guid.p ? res->msg->guid.p : "");
	ceb_node_setz(m, r, IMR_oriMessageType, res->msg ? res->msg->type->root : "");
	/* the start of what was received, as text, to recognise it by */
	size_t n = len < 200 ? len : 200;
	while (n && ((unsigned char)body[n] & 0xC0) == 0x80)
		n--;
	ceb_node_set(m, r, IMR_oriBizMessage, body, n);
	return write_xml(a->scratch, m, NULL);
}

/* A message's answer, kept for resends, is its receipt's XML, or, when the answer is one
 * stored receipt, a reference to it: the bytes are kept once. */
#define ANSWER_REF "@receipt:"

static int copy_receipt(void *ctx, const struct store_receipt *r)
{
	answer_set(ctx, r->xml);
	return 1; /* the one asked for */
}

static int stored_answer(struct apply *a, const char *stored, struct buf *answer)
{
	size_t rl = strlen(ANSWER_REF);
	if (!stored || strncmp(stored, ANSWER_REF, rl) != 0) {
		answer_set(answer, stored ? stored : "");
		return 0;
	}
	long long seq = atoll(stored + rl);
	buf_reset(answer);
	int rc = store_receipts_after(a->w, NULL, seq - 1, 1, copy_receipt, answer);
	if (rc < 0)
		return rc;
	return answer->n ? 0 : CBEC_ENOTFOUND;
}

static const char *dedupe_key(struct arena *ar, const struct ceb_msg *m, const char *body, size_t len)
{
	if (m && m->guid.p && ceb_guid_ok(m->guid.p, m->guid.n))
		return m->guid.p;
	/* No usable guid: the bytes themselves identify a resend. */
	unsigned char md[32];
	unsigned int mdlen = 0;
	EVP_Digest(body, len, md, &mdlen, EVP_sha256(), NULL);
	char *s = arena_alloc(ar, 7 + 64 + 1);
	if (!s)
		return NULL;
	memcpy(s, "sha256:", 7);
	for (unsigned i = 0; i < mdlen; i++)
		snprintf(s + 7 + 2 * i, 3, "%02x", md[i]);
	return s;
}

static int apply_customs(struct apply *a, struct ceb_result *res, const char *body, size_t len,
			 const char *dkey, enum svc_outcome *outcome, struct buf *answer);

static int apply_once(struct apply *a, const char *body, size_t len, struct ceb_result *res,
		      const char *sender, bool from_customs, int64_t now, enum svc_outcome *outcome,
		      struct buf *answer);

/* The check result is the intake's: what applying adds to it (the sender's copCode, a
 * non-declaration) is taken off again, so that a message applied a second time (its batch
 * rolled back) does not report those findings twice. */
int apply_message(struct apply *a, const char *body, size_t len, struct ceb_result *res,
		  const char *sender, bool from_customs, int64_t now, enum svc_outcome *outcome,
		  struct buf *answer)
{
	struct ceb_findings checked = res->findings;
	bool well_formed = res->well_formed;
	int rc = apply_once(a, body, len, res, sender, from_customs, now, outcome, answer);
	if (checked.tail)
		checked.tail->next = NULL;
	res->findings = checked;
	res->well_formed = well_formed;
	return rc;
}

static int apply_once(struct apply *a, const char *body, size_t len, struct ceb_result *res,
		      const char *sender, bool from_customs, int64_t now, enum svc_outcome *outcome,
		      struct buf *answer)
{
	arena_reset(a->scratch);
	dcache_trim(a->cache); /* nothing of the last message is held any more */
	a->now = now;
	a->msg_id = 0;
	struct ceb_msg *m = res->msg;
	if (!m || !res->well_formed) {
		const char *xml = format_receipt(a, body, len, res);
		if (!xml)
			return CBEC_ENOMEM;
		answer_set(answer, xml);
		*outcome = SVC_BAD;
		return 0;
	}
	const char *dkey = dedupe_key(a->scratch, m, body, len);
	if (!dkey)
		return CBEC_ENOMEM;
	struct store_msg prev;
	int rc = store_msg_get(a->w, dkey, false, &prev);
	if (rc == 0 && sender && prev.sender && strcmp(prev.sender, sender) != 0) {
		/* The guid is another enterprise's message: its answer is that enterprise's,
		 * not to be given to whoever sends the guid again. Refused, nothing stored. */
		ceb_report(&res->findings, R_SENDER, ceb_node_path(a->scratch, m->root, "@guid"),
			   m->root->line, "guid为%s的报文已由另一企业发送，回执不予提供",
			   "a message with guid %s was sent by another enterprise; its answer is not given",
			   m->guid.p ? m->guid.p : "", m->guid.p ? m->guid.p : "");
		store_msg_clear(&prev);
		const char *xml = format_receipt(a, body, len, res);
		if (!xml)
			return CBEC_ENOMEM;
		answer_set(answer, xml);
		*outcome = SVC_BAD;
		return 0;
	}
	if (rc == 0) {
		/* A resend: the same answer, nothing applied twice. */
		rc = stored_answer(a, prev.answer, answer);
		if (rc) {
			store_msg_clear(&prev);
			return rc;
		}
		*outcome = prev.verdict < 0 ? SVC_BAD : SVC_ANSWERED;
		store_msg_clear(&prev);
		return 0;
	}
	if (rc != CBEC_ENOTFOUND)
		return rc;
	if (from_customs)
		return apply_customs(a, res, body, len, dkey, outcome, answer);

	const struct doc_type *t = doc_type_of(m->type->code);
	const char *cop = copcode(m);
	const char *owner = sender ? sender : cop ? cop : "UNKNOWN";
	struct store_msg sm = {.guid = (char *)dkey, .type = m->type->code, .sender = (char *)owner,
			       .received = now, .verdict = 0, .body = (char *)body, .body_len = len};
	rc = store_msg_put(a->w, &sm, &a->msg_id);
	if (rc)
		return rc;
	if (!t) {
		ceb_report(&res->findings, R_ROOT, ceb_node_path(a->scratch, m->root, NULL), m->root->line,
			   "%s不是企业申报报文（回执和海关单据由海关发出）",
			   "%s is not a declaration (receipts and customs documents come from customs)",
			   m->type->root);
		res->well_formed = true;
		const char *xml = format_receipt(a, body, len, res);
		if (!xml)
			return CBEC_ENOMEM;
		answer_set(answer, xml);
		*outcome = SVC_BAD;
		return store_msg_set_answer(a->w, a->msg_id, xml, -1);
	}
	if (sender && (!cop || strcmp(cop, sender) != 0))
		ceb_report(&res->findings, R_SENDER, ceb_node_path(a->scratch, m->root, "BaseTransfer/copCode"), 0,
			   "报文的copCode（%s）不是登录企业%s", "the message's copCode (%s) is not the signed-in enterprise %s",
			   cop ? cop : "", sender);
	bool accepted = res->findings.errors == 0;
	/* the answer of several entities: their receipts in one message. A one-entity message
	 * (nearly all) is answered with its stored receipt, so this is made only when needed. */
	struct ceb_msg *combined = NULL;
	const struct ceb_node *first = ceb_msg_entities(m);
	if (first && first->next && !(combined = doc_receipt_new(a->scratch, t)))
		return CBEC_ENOMEM;
	struct ceb_node *only_head = NULL;
	struct receipt_args only_ra = {0};
	int n = 0;
	/* a one-entity message's answer is its receipt, stored once (see ANSWER_REF) */
	const char *only_xml = NULL;
	int64_t only_seq = 0;
	for (struct ceb_node *e = ceb_msg_entities(m); e; e = e->next, n++) {
		struct ceb_node *head = ceb_entity_head(e);
		if (!head)
			continue;
		struct ceb_findings ef;
		entity_findings(a, &res->findings, m, e, &ef);
		struct verdict v = {NULL, NULL, 0};
		a->list_status = a->list_info = a->list_pre = a->list_xml = NULL;
		a->list_seq = 0;
		if (!accepted) {
			v.status = first_error_code(t, &ef);
			if (!ef.errors)
				v.status = first_error_code(t, &res->findings);
			v.info = doc_findings_info(a->scratch, v.status, "报文校验未通过", ef.errors ? &ef : &res->findings);
		} else {
			rc = apply_entity(a, t, m, e, owner, body, len, &ef, &v);
			if (rc)
				return rc;
		}
		const char *key = doc_key(a->scratch, t, head);
		if (v.status) {
			struct receipt_args ra = {v.status, v.info, now, NULL, NULL};
			struct ceb_msg *r1 = doc_receipt(a->scratch, t, head, &ra);
			if (!r1 || (combined && doc_receipt_add(combined, t, head, &ra) != 0))
				return CBEC_ENOMEM;
			only_head = head;
			only_ra = ra;
			const char *xml = write_xml(a->scratch, r1, NULL);
			if (!xml)
				return CBEC_ENOMEM;
			rc = add_receipt(a, owner, t, key, v.doc_id, v.status, xml);
			only_xml = xml;
			only_seq = rc ? 0 : a->last_receipt;
		} else {
			/* a list: evaluate() wrote its receipt; the answer says the same */
			struct receipt_args ra = {a->list_status ? a->list_status : "2",
						  a->list_info, now, a->list_pre, NULL};
			rc = combined ? doc_receipt_add(combined, t, head, &ra) : 0;
			only_head = head;
			only_ra = ra;
			only_xml = a->list_xml;
			only_seq = a->list_seq;
		}
		if (rc)
			return rc;
	}
	*outcome = SVC_ANSWERED;
	if (n == 1 && only_xml && only_seq) {
		answer_set(answer, only_xml);
		char ref[40];
		snprintf(ref, sizeof ref, ANSWER_REF "%lld", (long long)only_seq);
		return store_msg_set_answer(a->w, a->msg_id, ref, accepted ? 1 : 0);
	}
	if (!combined) { /* one entity, its receipt not stored alone */
		combined = doc_receipt_new(a->scratch, t);
		if (!combined || (only_head && doc_receipt_add(combined, t, only_head, &only_ra) != 0))
			return CBEC_ENOMEM;
	}
	const char *xml = write_xml(a->scratch, combined, NULL);
	if (!xml)
		return CBEC_ENOMEM;
	answer_set(answer, xml);
	return store_msg_set_answer(a->w, a->msg_id, xml, accepted ? 1 : 0);
}

/* ---- customs receipts ---- */

static int give_back(struct apply *a, int64_t list_id, int64_t amount_or_all)
{
	struct store_hold h;
	int rc = store_hold_get(a->w, list_id, &h);
	if (rc == CBEC_ENOTFOUND)
		return 0;
	if (rc)
		return rc;
	int64_t amount = amount_or_all < 0 || amount_or_all > h.amount ? h.amount : amount_or_all;
	if (h.state == 1)
		rc = store_quota_add(a->w, h.buyer, h.year, -amount, 0);
	else if (h.state == 2)
		rc = store_quota_add(a->w, h.buyer, h.year, 0, -amount);
	if (!rc) {
		h.amount -= amount;
		if (h.amount == 0)
			h.state = 3;
		rc = store_hold_put(a->w, &h);
	}
	store_hold_clear(&h);
	return rc;
}

static int commit_hold(struct apply *a, int64_t list_id)
{
	struct store_hold h;
	int rc = store_hold_get(a->w, list_id, &h);
	if (rc == CBEC_ENOTFOUND)
		return 0;
	if (!rc && h.state == 1) {
		rc = store_quota_add(a->w, h.buyer, h.year, -h.amount, h.amount);
		h.state = 2;
		if (!rc)
			rc = store_hold_put(a->w, &h);
	}
	store_hold_clear(&h);
	return rc;
}

/* L-04: the part of a list's counted amount that a return gives back. */
static int64_t refund_amount(struct apply *a, int64_t list_id, const struct ceb_node *refund_entity)
{
	struct store_tax tx;
	if (store_tax_get(a->w, list_id, &tx) != 0)
		return 0;
	json_t *lines = json_loads(tx.lines_json ? tx.lines_json : "[]", 0, NULL);
	int64_t sum = 0;
	for (const struct ceb_node *l = ceb_entity_lines(refund_entity); l; l = l->next) {
		const char *g = val(l, "gnum");
		int64_t rq = 0;
		ceb_dec_of(l, ceb_def_field(l->def, "qty", 3), &rq);
		size_t i;
		json_t *x;
		json_array_foreach(lines, i, x) {
			const char *lg = json_string_value(json_object_get(x, "gnum"));
			if (!g || !lg || strcmp(g, lg))
				continue;
			int64_t oq = 0, d = 0, part = 0;
			const char *q = json_string_value(json_object_get(x, "qty"));
			const char *dd = json_string_value(json_object_get(x, "dutiable"));
			if (!q || !dd || dec_parse(q, strlen(q), 0, 0, &oq) || dec_parse(dd, strlen(dd), 0, 0, &d) || !oq)
				continue;
			if (rq > oq)
				rq = oq;
			if (dec_muldiv(d, rq, oq, &part) == 0)
				sum += part;
		}
	}
	json_decref(lines);
	store_tax_clear(&tx);
	return sum;
}

/* Customs decides forward only: a late or repeated receipt never takes a list back. */
static bool in_customs_hands(int state)
{
	return state == DOC_CHECKED || state == DOC_ACCEPTED || state == DOC_CONCLUDED ||
	       state == DOC_INSPECTION;
}

static int list_from_customs(struct apply *a, struct store_doc *d, const char *status,
			     const char *info, const char *invt)
{
	int st = atoi(status);
	int rc = 0;
	const char *why = arena_printf(a->scratch, "customs %s %s", status, info ? info : "");
	/* the first number customs gives is the list's number for good */
	if (invt && *invt && !d->ref)
		rc = store_doc_set_ref(a->w, d->id, invt);
	if (rc)
		return rc;
	switch (st) {
	case 120:
		if (d->state == DOC_CHECKED)
			rc = set_state(a, d, DOC_ACCEPTED, why);
		break;
	case 399:
		if (d->state == DOC_CHECKED || d->state == DOC_ACCEPTED || d->state == DOC_INSPECTION)
			rc = set_state(a, d, DOC_CONCLUDED, why);
		break;
	case 800:
		if (in_customs_hands(d->state)) {
			rc = set_state(a, d, DOC_RELEASED, why);
			if (!rc)
				rc = commit_hold(a, d->id); /* L-04: counted at release */
			if (!rc)
				rc = bonded_svc_settle(a->w, d->id, d->key, BONDED_SETTLE_DEBIT, "customs released the list (800)", a->now);
		}
		break;
	case 100:
		if (in_customs_hands(d->state)) {
			rc = set_state(a, d, DOC_REJECTED, why);
			if (!rc)
				rc = give_back(a, d->id, -1);
			if (!rc)
				rc = bonded_svc_settle(a->w, d->id, d->key, BONDED_SETTLE_RELEASE, "customs rejected the list (100)", a->now);
		}
		break;
	case 500: case 501: case 502: case 503: case 599:
		if (d->state == DOC_CHECKED || d->state == DOC_ACCEPTED)
			rc = set_state(a, d, DOC_INSPECTION, why);
		break;
	default:
		rc = event(a, d->id, d->state, d->state, why);
		break;
	}
	return rc;
}

/* How a customs receipt's return record finds its document: where the store finds that type
 * by key only (orders, payments, waybills, export lists: store_doc_by_guid), the type, with
 * in *key the key the record carries (NULL when a field of it is missing); NULL where it is
 * found by guid (a 622 names no orderNo). */
static const struct doc_type *found_by_key(struct arena *ar, int code, const struct ceb_node *r,
					   const char **key)
{
	const struct doc_type *t = doc_type_of_receipt(code);
	if (!t || store_guid_indexed(t->code))
		return NULL;
	*key = doc_receipt_key(ar, t, r);
	return t;
}

/* The document a customs receipt's return record answers; found by key, it is taken only if
 * it is that version (its guid), as a look-up by guid would. */
static int customs_doc(struct apply *a, int code, const struct ceb_node *r, const char *guid,
		       struct store_doc *out)
{
	const char *key;
	const struct doc_type *t = found_by_key(a->scratch, code, r, &key);
	if (!t)
		return store_doc_by_guid(a->w, guid, out);
	if (!key)
		return CBEC_ENOTFOUND;
	int rc = store_doc_get(a->w, t->code, key, out);
	if (rc)
		return rc;
	if (!out->guid || strcmp(out->guid, guid)) {
		store_doc_clear(out);
		return CBEC_ENOTFOUND;
	}
	return 0;
}

static int apply_customs(struct apply *a, struct ceb_result *res, const char *body, size_t len,
			 const char *dkey, enum svc_outcome *outcome, struct buf *answer)
{
	struct ceb_msg *m = res->msg;
	/* Customs' words are kept where they go: in the receipts relayed below. The message row
	 * remembers its guid (a resent receipt is not applied twice), not a second copy. */
	struct store_msg sm = {.guid = (char *)dkey, .type = m->type->code, .sender = CUSTOMS,
			       .received = a->now, .verdict = 1, .answer = "relayed", .body = NULL,
			       .body_len = 0};
	int rc = store_msg_put(a->w, &sm, &a->msg_id);
	if (rc)
		return rc;
	for (struct ceb_node *e = ceb_msg_entities(m); e; e = e->next) {
		struct ceb_node *r = ceb_entity_head(e);
		const char *guid = val(r, "guid"), *status = val(r, "returnStatus");
		bool result792 = m->type->code == 792; /* a summary result: no status of its own */
		if (result792)
			status = "792";
		if (!guid || !status)
			continue;
		struct store_doc d;
		rc = customs_doc(a, m->type->code, r, guid, &d);
		if (rc == CBEC_ENOTFOUND)
			continue; /* not ours; kept in the message log */
		if (rc)
			return rc;
		const struct doc_type *t = doc_type_of(d.kind);
		const char *info = val(r, "returnInfo");
		if (t && t->role == DOC_R_LIST) {
			rc = list_from_customs(a, &d, status, info, val(r, "invtNo"));
		} else if (t && (t->role == DOC_R_CANCEL || t->role == DOC_R_REFUND) && !strcmp(status, "399")) {
			struct store_doc list;
			rc = store_doc_get(a->w, family_of(t->code).list, d.link ? d.link : "", &list);
			if (rc == 0) {
				if (t->role == DOC_R_CANCEL) {
					rc = set_state(a, &list, DOC_CANCELLED, "cancellation approved by customs (399)");
					if (!rc)
						rc = give_back(a, list.id, -1); /* L-04 */
					if (!rc) /* B-03, B-05 */
						rc = bonded_svc_settle(a->w, list.id, list.key, BONDED_SETTLE_CANCEL, "cancellation approved by customs (399)", a->now);
				} else {
					struct loaded rl = {d, NULL, NULL};
					int64_t back = load(a, 0, &rl) == 0 ? refund_amount(a, list.id, rl.entity) : 0;
					unborrow(&rl.doc, &d); /* d still owns the strings */
					rc = set_state(a, &list, DOC_REFUNDED, "return approved by customs (399)");
					if (!rc && back > 0)
						rc = give_back(a, list.id, back);
					if (!rc && rl.entity) /* B-05 */
						rc = bonded_svc_return(a->w, list.id, list.key, rl.entity, a->now);
				}
				store_doc_clear(&list);
			} else if (rc == CBEC_ENOTFOUND) {
				rc = 0;
			}
			if (!rc)
				rc = event(a, d.id, d.state, d.state, "approved by customs (399)");
		} else if (t && t->code == 701) {
			rc = result792 ? summary_svc_result(a->w, &d, e, a->now)
				       : summary_svc_receipt(a->w, &d, status, val(r, "sumNo"), a->now);
			if (!rc)
				rc = event(a, d.id, d.state, d.state, arena_printf(a->scratch, "customs %s", status));
		} else if (t) {
			rc = event(a, d.id, d.state, d.state, arena_printf(a->scratch, "customs %s", status));
		}
		struct doc_type t792;
		if (t && result792) { /* relayed as what it is: a CEB792 */
			t792 = *t;
			t792.receipt = 792;
			t = &t792;
		}
		/* Relay: the owner receives customs' receipt for its document, once per status
		 * (customs, or a replay after a restart, may say the same thing twice). */
		bool seen = false;
		if (!rc)
			rc = store_receipt_exists(a->w, d.kind, d.key, d.id, status, &seen);
		if (!rc && !seen) {
			struct ceb_node *next = e->next, *first = m->root->first[0];
			uint16_t cnt = m->root->count[0];
			m->root->first[0] = e;
			m->root->count[0] = 1;
			e->next = NULL;
			const char *xml = write_xml(a->scratch, m, NULL);
			e->next = next;
			m->root->first[0] = first;
			m->root->count[0] = cnt;
			rc = xml ? add_receipt(a, d.owner, t, d.key, d.id, status, xml) : CBEC_ENOMEM;
		}
		store_doc_clear(&d);
		if (rc)
			return rc;
	}
	answer_set(answer, "relayed");
	*outcome = SVC_ANSWERED;
	return 0;
}

/* ---- reading ahead: a batch's look-ups asked at once ---- */

/* The probes of a batch, growing; strings live in a->ahead. */
struct probes {
	struct store_probe *v[5]; /* keys, links, guids, messages, receipts */
	size_t n[5], cap[5];
	bool failed;
};
enum { P_KEY, P_LINK, P_GUID, P_MSG, P_RECEIPT };

static void probe_status(struct probes *p, int which, int kind, const char *s, const char *status)
{
	if (!s)
		return;
	if (p->n[which] == p->cap[which]) {
		size_t cap = p->cap[which] ? p->cap[which] * 2 : 256;
		struct store_probe *v = realloc(p->v[which], cap * sizeof *v);
		if (!v) {
			p->failed = true;
			return;
		}
		p->v[which] = v;
		p->cap[which] = cap;
	}
	p->v[which][p->n[which]++] = (struct store_probe){kind, s, status};
}

static void probe(struct probes *p, int which, int kind, const char *s)
{
	probe_status(p, which, kind, s, NULL);
}

static void probes_free(struct probes *p)
{
	for (int i = 0; i < 5; i++)
		free(p->v[i]);
	memset(p, 0, sizeof *p);
}

static int ask(struct apply *a, struct probes *p)
{
	int rc = CBEC_ENOMEM;
	if (!p->failed) {
		struct store_ahead q = {p->v[P_KEY], p->n[P_KEY], p->v[P_LINK], p->n[P_LINK],
					p->v[P_GUID], p->n[P_GUID], p->v[P_MSG], p->n[P_MSG],
					p->v[P_RECEIPT], p->n[P_RECEIPT]};
		rc = store_read_ahead(a->w, &q);
	}
	probes_free(p);
	return rc;
}

/* What load_group will look up for a list of (key, link). */
static void probe_group(struct probes *p, struct family fam, const char *key, const char *link)
{
	probe(p, P_KEY, fam.order, key);
	if (fam.import)
		probe(p, P_LINK, 411, key);
	probe(p, P_KEY, fam.waybill, link ? link : "");
}

/* What apply_entity, trigger and load_group will look up for one document (see there). */
static void probe_entity(struct apply *a, struct probes *p, const struct doc_type *t,
			 const struct ceb_node *head)
{
	const char *key = doc_key(a->ahead, t, head), *link = doc_link(a->ahead, t, head);
	struct family fam = family_of(t->code);
	probe(p, P_KEY, t->code, key);
	switch (t->role) {
	case DOC_R_LIST: probe_group(p, fam, key, link); break;
	case DOC_R_ORDER:
		probe(p, P_KEY, fam.list, key);
		if (fam.import)
			probe(p, P_LINK, 411, key);
		break;
	case DOC_R_PAYMENT:
		if (t->code == 411) {
			probe(p, P_KEY, fam.list, link);
			probe(p, P_KEY, fam.order, link);
			probe(p, P_LINK, 411, link);
		}
		break;
	case DOC_R_WAYBILL: probe(p, P_LINK, fam.list, key); break;
	default: break;
	}
}

/* Second round: the documents of the lists the first round found. */
static void probe_found(struct apply *a, struct probes *p, const struct doc_type *t,
			const struct ceb_node *head)
{
	const char *key = doc_key(a->ahead, t, head), *link = doc_link(a->ahead, t, head);
	struct family fam = family_of(t->code);
	const char *list_key = t->role == DOC_R_ORDER ? key : t->code == 411 ? link : NULL;
	struct store_doc list = {0};
	int rc = CBEC_ENOTFOUND;
	if (t->role == DOC_R_WAYBILL && key)
		rc = store_doc_by_link(a->w, fam.list, key, &list);
	else if (list_key)
		rc = store_doc_get(a->w, fam.list, list_key, &list);
	if (rc == 0)
		probe_group(p, fam, arena_strdup(a->ahead, list.key),
			    list.link ? arena_strdup(a->ahead, list.link) : NULL);
	store_doc_clear(&list);
}

/* A customs receipt's document, whether it was relayed before, and for an approved
 * cancellation or return, its list (apply_customs). */
static void probe_customs(struct apply *a, struct probes *p, int code, const struct ceb_node *r,
			  bool second)
{
	const char *guid = val(r, "guid"), *status = code == 792 ? "792" : val(r, "returnStatus");
	if (!second) {
		const char *key = NULL;
		const struct doc_type *t = found_by_key(a->ahead, code, r, &key);
		if (!t)
			probe(p, P_GUID, 0, guid);
		else if (key)
			probe(p, P_KEY, t->code, key);
		return;
	}
	struct store_doc d = {0};
	if (guid && customs_doc(a, code, r, guid, &d) == 0) {
		if (status)
			probe_status(p, P_RECEIPT, d.kind, arena_strdup(a->ahead, d.key), status);
		const struct doc_type *t = doc_type_of(d.kind);
		if (t && (t->role == DOC_R_CANCEL || t->role == DOC_R_REFUND))
			probe(p, P_KEY, family_of(t->code).list, arena_strdup(a->ahead, d.link ? d.link : ""));
	}
	store_doc_clear(&d);
}

int apply_read_ahead(struct apply *a, const struct apply_ahead *batch, size_t n)
{
	if (!store_reads_ahead(a->w))
		return 0;
	arena_reset(a->ahead);
	struct probes p = {0};
	int rc = 0;
	for (int round = 0; !rc && round < 2; round++) {
		for (size_t i = 0; i < n; i++) {
			const struct ceb_msg *m = batch[i].res->msg;
			if (!m || !batch[i].res->well_formed)
				continue;
			if (!round)
				probe(&p, P_MSG, 0, dedupe_key(a->ahead, m, batch[i].body, batch[i].len));
			const struct doc_type *t = doc_type_of(m->type->code);
			if (!batch[i].from_customs && !t)
				continue;
			for (struct ceb_node *e = ceb_msg_entities(m); e; e = e->next) {
				const struct ceb_node *head = ceb_entity_head(e);
				if (!head)
					continue;
				if (batch[i].from_customs)
					probe_customs(a, &p, m->type->code, head, round);
				else if (!round)
					probe_entity(a, &p, t, head);
				else
					probe_found(a, &p, t, head);
			}
		}
		rc = ask(a, &p);
	}
	probes_free(&p);
	return rc;
}

/* ---- replay to a stateless customs link ---- */

static int replay_one(void *ctx, const struct store_doc *d)
{
	struct apply *a = ctx;
	struct group g;
	memset(&g, 0, sizeof g);
	g.list.doc = *d;
	bool complete = false;
	int rc = load_group(a, &g, &complete);
	struct loaded *docs[3] = {&g.order, &g.payment, &g.waybill};
	for (int i = 0; !rc && i < 3; i++)
		if (docs[i]->doc.id)
			rc = outbox(a, &docs[i]->doc);
	if (!rc)
		rc = outbox(a, &g.list.doc);
	unborrow(&g.list.doc, d);
	group_clear(&g);
	arena_reset(a->scratch);
	return rc;
}

int apply_replay(struct apply *a, int64_t now)
{
	static const int states[] = {DOC_CHECKED, DOC_ACCEPTED, DOC_CONCLUDED, DOC_INSPECTION};
	static const int kinds[] = {621, 603};
	a->now = now;
	int rc = 0;
	for (size_t k = 0; !rc && k < 2; k++)
		for (size_t i = 0; !rc && i < sizeof states / sizeof states[0]; i++)
			rc = store_doc_each_stale(a->w, kinds[k], states[i], INT64_MAX, replay_one, a);
	return rc;
}

/* ---- periodic ---- */

static int timeout_one(void *ctx, const struct store_doc *d)
{
	struct apply *a = ctx;
	struct group g;
	memset(&g, 0, sizeof g);
	g.list.doc = *d;
	/* borrowed copy: clear only what load_group adds */
	bool complete;
	int rc = load(a, 0, &g.list);
	if (!rc)
		rc = load_group(a, &g, &complete);
	if (!rc) {
		bool import = d->kind == 621;
		const char *zh = missing_text(a, &g, import, false), *en = missing_text(a, &g, import, true);
		const char *info = arena_printf(a->scratch,
						"[Code:100;Desc:等待超时] [P-04] 缺少：%s (timed out waiting for: %s)", zh, en);
		rc = set_state(a, &g.list.doc, DOC_REJECTED, info);
		if (!rc)
			rc = list_receipt(a, &g.list, "100", info);
	}
	unborrow(&g.list.doc, d);
	group_clear(&g);
	return rc;
}

int apply_tick(struct apply *a, int64_t now)
{
	if (now - a->last_tick < 1000)
		return 0;
	a->last_tick = now;
	arena_reset(a->scratch);
	a->now = now;
	a->msg_id = 0;
	int64_t before = now - a->o->match_timeout_ms;
	int rc = store_doc_each_stale(a->w, 621, DOC_WAITING, before, timeout_one, a);
	if (!rc)
		rc = store_doc_each_stale(a->w, 603, DOC_WAITING, before, timeout_one, a);
	return rc;
}
