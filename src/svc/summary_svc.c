#include "svc/summary_svc.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "ceb/dec.h"
#include "ceb/finding.h"
#include "ceb/model.h"
#include "ceb/parse.h"
#include "ceb/write.h"
#include "clear/docs.h"
#include "clear/summary.h"
#include "store/store.h"

/* ---- small helpers ---- */

static const char *hv(const struct ceb_node *n, int field)
{
	return n && n->vals[field].p ? n->vals[field].p : "";
}

static json_t *dec_json(int64_t v)
{
	char b[DEC_FMT_MAX];
	return json_string(dec_format(v, b));
}

/* Unix ms of the first instant of a month, Beijing time (customs' clock). */
static int64_t month_start(int y, int m)
{
	struct tm tm = {0};
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = 1;
	return ((int64_t)timegm(&tm) - 8 * 3600) * 1000;
}

/* "YYYY-MM" of a unix ms time, Beijing time. */
static void month_of(int64_t ms, char out[8])
{
	char t14[15];
	doc_time14(ms, t14);
	snprintf(out, 8, "%.4s-%.2s", t14, t14 + 4);
}

/* The deadline (S-05) of a period "YYYY-MM" or "YYYY-MM..YYYY-MM" (the last month counts). */
static void deadline_of(const char *period, char out[11])
{
	const char *last = strstr(period, "..");
	int y, m;
	out[0] = '\0';
	if (summary_period_parse(last ? last + 2 : period, &y, &m) == 0)
		summary_deadline(y, m, out);
}

static struct ceb_parser *parser_new(void)
{
	struct ceb_parse_opts po;
	ceb_parse_opts_default(&po);
	return ceb_parser_new(&po);
}

/* A stored list re-read: its entity, parsed into arena a. */
static int list_entity(struct store *s, struct ceb_parser *p, struct arena *a, struct store_doc *d,
                       const struct ceb_node **out)
{
	int rc = store_doc_body(s, d);
	if (rc)
		return rc;
	struct ceb_findings f;
	ceb_findings_init(&f, a, NULL);
	bool wf = false;
	int err = 0;
	struct ceb_msg *m = ceb_parse(p, d->body, d->body_len, a, &f, &wf, &err);
	if (err || !m)
		return err ? err : CBEC_EPARSE;
	*out = ceb_msg_entities(m);
	return *out && ceb_entity_head(*out)->def == &ceb_def_EIH ? 0 : CBEC_EPARSE;
}

/* The declarations of a summary, their items and the line mapping, as JSON. */
static json_t *detail_json(const struct summary *s)
{
	json_t *decls = json_array(), *lines = json_array();
	for (const struct summary_decl *d = s->decls; d; d = d->next) {
		json_t *items = json_array(), *lists = json_array();
		for (const struct summary_item *it = d->items; it; it = it->next)
			json_array_append_new(
			    items,
			    json_pack("{s:i,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:i}",
			              "gseqno", it->gseqno, "gcode", it->gcode, "gname", it->gname,
			              "itemName", it->item_name, "country", it->country, "currency",
			              it->currency, "unit", it->unit, "unit1", it->unit1, "unit2",
			              it->unit2, "qty", dec_json(it->qty), "qty1",
			              dec_json(it->qty1), "qty2", dec_json(it->qty2), "totalPrice",
			              dec_json(it->total_price), "lines", it->nlines));
		for (int i = 0; i < d->nlists; i++)
			json_array_append_new(lists, json_string(d->invt_nos[i]));
		json_array_append_new(
		    decls,
		    json_pack("{s:i,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:I,s:o,s:o}", "seq",
		              d->seq, "ebcCode", d->ebc_code, "ebcName", d->ebc_name, "ownerCode",
		              d->owner_code, "ownerName", d->owner_name, "trafMode", d->traf_mode,
		              "country", d->country, "portCode", d->port_code, "customsCode",
		              d->customs_code, "grossWeight", dec_json(d->gross_weight),
		              "netWeight", dec_json(d->net_weight), "packNo",
		              (json_int_t)d->pack_no, "lists", lists, "items", items));
	}
	for (const struct summary_map *m = s->map; m; m = m->next)
		json_array_append_new(
		    lines, json_pack("{s:s,s:i,s:s,s:i,s:i}", "invtNo", m->invt_no, "gnum", m->gnum,
		                     "gcode", m->gcode, "decl", m->decl, "gseqno", m->gseqno));
	return json_pack("{s:o,s:o}", "declarations", decls, "lines", lines);
}

/* ---- a build ---- */

struct cand {
	struct store_doc d; /* id, msg_id, body_ref, ref, updated */
	const struct ceb_node *entity;
};

struct cands {
	struct cand *v;
	int n, cap;
	int64_t from;
};

static int collect(void *ctx, const struct store_doc *d)
{
	struct cands *c = ctx;
	if (d->updated < c->from || !d->ref)
		return 0;
	if (c->n == c->cap) {
		int cap = c->cap ? 2 * c->cap : 64;
		struct cand *v = realloc(c->v, (size_t)cap * sizeof *v);
		if (!v)
			return CBEC_ENOMEM;
		c->v = v;
		c->cap = cap;
	}
	struct cand *x = &c->v[c->n++];
	memset(x, 0, sizeof *x);
	x->d.id = d->id;
	x->d.msg_id = d->msg_id;
	x->d.body_ref = d->body_ref;
	x->d.updated = d->updated;
	x->d.ref = strdup(d->ref);
	return x->d.ref ? 0 : CBEC_ENOMEM;
}

static int by_ref(const void *a, const void *b)
{
	return strcmp(((const struct cand *)a)->d.ref, ((const struct cand *)b)->d.ref);
}

int summary_svc_prepare(struct store *r, const struct summary_build *b, json_t **preview,
                        char **xml, size_t *xml_len, char ***cop_nos, int *ncop)
{
	*preview = NULL;
	*xml = NULL;
	*xml_len = 0;
	*cop_nos = NULL;
	*ncop = 0;
	int y, m;
	if (!b->ebc || !*b->ebc || summary_period_parse(b->period, &y, &m) ||
	    (b->summary_flag != 1 && b->summary_flag != 2) ||
	    (b->item_name_flag != 0 && b->item_name_flag != 1))
		return CBEC_EINVAL;
	struct cands c = {NULL, 0, 0, month_start(y, m)};
	int64_t to = m == 12 ? month_start(y + 1, 1) : month_start(y, m + 1);
	struct arena *a = arena_new(256 * 1024);
	struct ceb_parser *p = parser_new();
	int rc = a && p ? 0 : CBEC_ENOMEM;
	int in_summary = 0, others = 0;
	/* released export lists of the month (a released list stays "released" until a
	 * cancellation or a return changes it, so its last update is its release) */
	if (!rc)
		rc = store_doc_each_stale(r, 603, DOC_RELEASED, to, collect, &c);
	if (!rc && c.n)
		qsort(c.v, (size_t)c.n, sizeof *c.v, by_ref);
	struct summary *s =
	    rc ? NULL : summary_new(a, &(struct summary_opts){b->summary_flag, b->item_name_flag});
	if (!rc && !s)
		rc = CBEC_ENOMEM;
	for (int i = 0; !rc && i < c.n; i++) {
		int64_t sid;
		int k = store_summary_of_list(r, c.v[i].d.id, &sid);
		if (k == 0) {
			in_summary++;
			continue;
		}
		if (k != CBEC_ENOTFOUND) {
			rc = k;
			break;
		}
		const struct ceb_node *e;
		rc = list_entity(r, p, a, &c.v[i].d, &e);
		if (rc)
			break;
		if (strcmp(hv(ceb_entity_head(e), EIH_ebcCode), b->ebc) != 0)
			continue; /* another shipper's */
		enum summary_fate fate;
		int k2 = summary_add(s, e, c.v[i].d.ref, &fate, NULL);
		if (k2 == CBEC_EINVAL || k2 == CBEC_ETOOBIG)
			others++; /* unreadable as a summary line: left out, shown */
		else if (k2)
			rc = k2;
	}
	char deadline[11] = "";
	summary_deadline(y, m, deadline);
	if (!rc) {
		*preview = json_pack("{s:s,s:s,s:s,s:i,s:i,s:{s:i,s:i,s:i,s:i,s:i}}", "period",
		                     b->period, "deadline", deadline, "ebc", b->ebc, "summaryFlag",
		                     b->summary_flag, "itemNameFlag", b->item_name_flag, "lists",
		                     "eligible", s->b_lists, "counted", s->a_lists, "other",
		                     s->other_lists, "unreadable", others, "inSummary", in_summary);
		if (!*preview)
			rc = CBEC_ENOMEM;
		else
			json_object_update_new(*preview, detail_json(s));
	}
	if (!rc && s->ndecls) {
		char guid[37], cop[40], note[160];
		doc_new_guid(guid);
		snprintf(cop, sizeof cop, "SUM%.4s%.2s-%.8s", b->period, b->period + 5, guid);
		snprintf(note, sizeof note, "汇总期间%s，申报期限%s (S-05)", b->period, deadline);
		char dxp[40];
		snprintf(dxp, sizeof dxp, "DXP%.20s", b->ebc);
		struct summary_apply_args g = {
		    b->ebc, s->decls->ebc_name, b->decl_agent_code, b->decl_agent_name, cop, note,
		    dxp,    b->now_ms};
		struct ceb_msg *msg = summary_apply_msg(a, s, &g);
		struct buf out = BUF_INIT;
		if (!msg || ceb_write(msg, NULL, &out) != 0 || out.err)
			rc = s->ndecls > 100 ? CBEC_ETOOBIG : CBEC_ENOMEM;
		if (!rc) {
			*xml = malloc(out.n + 1);
			*cop_nos = calloc((size_t)s->ndecls, sizeof **cop_nos);
			if (!*xml || !*cop_nos)
				rc = CBEC_ENOMEM;
		}
		if (!rc) {
			memcpy(*xml, out.p, out.n);
			(*xml)[out.n] = '\0';
			*xml_len = out.n;
			for (const struct summary_decl *d = s->decls; d && !rc; d = d->next) {
				char one[64];
				snprintf(one, sizeof one, "%.26s-%d", cop, d->seq);
				if (!((*cop_nos)[(*ncop)++] = strdup(one)))
					rc = CBEC_ENOMEM;
			}
		}
		buf_free(&out);
	}
	for (int i = 0; i < c.n; i++)
		store_doc_clear(&c.v[i].d);
	free(c.v);
	ceb_parser_free(p);
	arena_free(a);
	if (rc) {
		json_decref(*preview);
		*preview = NULL;
		free(*xml);
		*xml = NULL;
		for (int i = 0; *cop_nos && i < *ncop; i++)
			free((*cop_nos)[i]);
		free(*cop_nos);
		*cop_nos = NULL;
		*ncop = 0;
	}
	return rc;
}

/* ---- the writer ---- */

struct summary_claim {
	const char *owner, *ebc, *period, *detail;
	int summary_flag, item_name_flag;
	int n;
	int64_t *list_ids;
	const char **invt_nos;
};

int summary_svc_check(struct store *w, const struct ceb_node *entity, const char *owner,
                      const char *doc_key, struct arena *a, struct ceb_findings *f,
                      struct summary_claim **claim)
{
	*claim = NULL;
	const struct ceb_node *h = ceb_entity_head(entity);
	if (!h || h->def != &ceb_def_ESH)
		return CBEC_EINVAL;
	unsigned errors = f->errors;
	const char *sf = hv(h, ESH_summaryFlag), *inf = hv(h, ESH_itemNameFlag);
	if (strcmp(hv(h, ESH_appType), "1") != 0)
		ceb_report(f, R_S_APPLY, ceb_node_path(a, h, "appType"), h->line,
		           "汇总申请只接受新增（appType 1）；变更请撤回后重新申请",
		           "a summary application is new (appType 1); to change one, apply anew");
	if (strcmp(sf, "1") != 0 && strcmp(sf, "2") != 0)
		ceb_report(f, R_S_APPLY, ceb_node_path(a, h, "summaryFlag"), h->line,
		           "收发货人汇总标志%s须为1或2", "summaryFlag %s must be 1 or 2", sf);
	if (strcmp(inf, "1") != 0 && strcmp(inf, "0") != 0)
		ceb_report(f, R_S_APPLY, ceb_node_path(a, h, "itemNameFlag"), h->line,
		           "按商品名汇总标志%s须为1或0", "itemNameFlag %s must be 1 or 0", inf);
	if (h->vals[ESH_startTime].p || h->vals[ESH_endTime].p)
		ceb_report(
		    f, R_S_APPLY, ceb_node_path(a, h, "startTime"), h->line,
		    "平台按列明的清单汇总，不接受按时间范围汇总",
		    "the platform summarises the lists named in the application, not a time range");
	const struct ceb_node *lines = ceb_entity_lines(entity);
	if (!lines)
		ceb_report(f, R_S_APPLY, ceb_node_path(a, h, NULL), h->line, "汇总申请未列明清单",
		           "the application names no list");
	if (f->errors != errors)
		return 0;
	struct summary *s = summary_new(a, &(struct summary_opts){sf[0] - '0', inf[0] - '0'});
	struct ceb_parser *p = parser_new();
	if (!s || !p) {
		ceb_parser_free(p);
		return CBEC_ENOMEM;
	}
	const char *ebc = hv(h, ESH_ebcCode);
	int n = 0, rc = 0;
	for (const struct ceb_node *l = lines; l; l = l->next)
		n++;
	int64_t *ids = arena_alloc(a, (size_t)n * sizeof *ids);
	const char **invts = arena_alloc(a, (size_t)n * sizeof *invts);
	int64_t first = INT64_MAX, last = 0;
	n = 0;
	for (const struct ceb_node *l = lines; l && !rc; l = l->next) {
		const char *invt = hv(l, ESL_invtNo), *path = ceb_node_path(a, l, "invtNo");
		struct store_doc d;
		int k = store_doc_by_ref(w, 603, invt, &d);
		if (k == CBEC_ENOTFOUND) {
			ceb_report(f, R_S_LIST, path, l->line, "没有清单编号为%s的出口清单",
			           "there is no export list numbered %s", invt);
			continue;
		}
		if (k) {
			rc = k;
			break;
		}
		int64_t sid;
		const struct ceb_node *e = NULL;
		if (d.state != DOC_RELEASED) {
			ceb_report(f, R_S_LIST, path, l->line, "清单%s未放行（%s）",
			           "list %s is not released (%s)", invt,
			           store_doc_state_name(d.state));
		} else if ((k = store_summary_of_list(w, d.id, &sid)) != CBEC_ENOTFOUND) {
			if (k)
				rc = k;
			else
				ceb_report(f, R_S_LIST, path, l->line, "清单%s已在汇总申请%lld中",
				           "list %s is already in summary %lld", invt,
				           (long long)sid);
		} else if ((k = list_entity(w, p, a, &d, &e)) != 0) {
			rc = k;
		} else if (strcmp(hv(ceb_entity_head(e), EIH_ebcCode), ebc) != 0) {
			ceb_report(f, R_S_LIST, path, l->line, "清单%s的收发货人是%s，不是%s",
			           "list %s is the shipper %s's, not %s's", invt,
			           hv(ceb_entity_head(e), EIH_ebcCode), ebc);
		} else if (strcmp(owner, ebc) != 0 &&
		           strcmp(owner, hv(ceb_entity_head(e), EIH_agentCode)) != 0) {
			ceb_report(
			    f, R_S_LIST, path, l->line, "%s既不是清单%s的收发货人也不是其申报企业",
			    "%s is neither the shipper nor the declarant of list %s", owner, invt);
		} else {
			enum summary_fate fate;
			k = summary_add(s, e, invt, &fate, NULL);
			if (k == CBEC_EEXIST)
				ceb_report(f, R_S_LIST, path, l->line, "清单%s重复列明",
				           "list %s is named twice", invt);
			else if (k == CBEC_EINVAL || k == CBEC_ETOOBIG)
				ceb_report(f, R_S_LIST, path, l->line,
				           "清单%s无法汇总（字段缺失或数值超限）",
				           "list %s cannot be summarised (a field missing or a "
				           "total out of range)",
				           invt);
			else if (k)
				rc = k;
			else if (fate == SUMMARY_COUNTED)
				ceb_report(f, R_S_FLAG, path, l->line,
				           "清单%s为A类（简化申报），只汇总统计，不汇总申报",
				           "list %s is statisticsFlag A: counted, not summarised",
				           invt);
			else if (fate == SUMMARY_OTHER)
				ceb_report(f, R_S_FLAG, path, l->line, "清单%s不是9610出口清单",
				           "list %s is not a 9610 export list", invt);
			else {
				ids[n] = d.id;
				invts[n++] = invt;
				if (d.updated < first)
					first = d.updated;
				if (d.updated > last)
					last = d.updated;
			}
		}
		store_doc_clear(&d);
	}
	ceb_parser_free(p);
	if (rc || f->errors != errors)
		return rc;
	struct summary_claim *c = arena_alloc(a, sizeof *c);
	json_t *detail = detail_json(s);
	char m1[8], m2[8];
	month_of(first, m1);
	month_of(last, m2);
	if (!c || !detail ||
	    json_object_set_new(detail, "docKey", json_string(doc_key ? doc_key : "")))
		rc = CBEC_ENOMEM;
	char *txt = rc ? NULL : json_dumps(detail, JSON_COMPACT);
	json_decref(detail);
	if (!txt)
		return CBEC_ENOMEM;
	*c = (struct summary_claim){owner,
	                            ebc,
	                            strcmp(m1, m2) ? arena_printf(a, "%s..%s", m1, m2)
	                                           : arena_strdup(a, m1),
	                            arena_strdup(a, txt),
	                            s->o.summary_flag,
	                            s->o.item_name_flag,
	                            n,
	                            ids,
	                            invts};
	free(txt);
	if (!c->period || !c->detail)
		return CBEC_ENOMEM;
	*claim = c;
	return 0;
}

int summary_svc_claim(struct store *w, const struct summary_claim *c, int64_t doc_id, int64_t now)
{
	struct store_summary sm = {0,
	                           doc_id,
	                           (char *)c->ebc,
	                           (char *)c->owner,
	                           (char *)c->period,
	                           c->summary_flag,
	                           c->item_name_flag,
	                           STORE_SUMMARY_SENT,
	                           NULL,
	                           (char *)c->detail,
	                           NULL,
	                           now,
	                           now};
	int rc = store_summary_add(w, &sm);
	for (int i = 0; !rc && i < c->n; i++)
		rc = store_summary_list_add(w, sm.id, c->list_ids[i], c->invt_nos[i]);
	return rc;
}

int summary_svc_receipt(struct store *w, const struct store_doc *d, const char *status,
                        const char *sum_no, int64_t now)
{
	struct store_summary sm;
	int rc = store_summary_by_doc(w, d->id, &sm);
	if (rc)
		return rc == CBEC_ENOTFOUND ? 0 : rc;
	bool ok = !strcmp(status, "399") || !strcmp(status, "120");
	bool refused = !strcmp(status, "100") || status[0] == '-';
	if (ok && sm.state == STORE_SUMMARY_SENT)
		rc = store_summary_update(w, sm.id, STORE_SUMMARY_ACCEPTED,
		                          sum_no && *sum_no ? sum_no : NULL, NULL, now);
	else if (refused &&
	         (sm.state == STORE_SUMMARY_SENT || sm.state == STORE_SUMMARY_ACCEPTED)) {
		rc = store_summary_update(w, sm.id, STORE_SUMMARY_REJECTED, NULL, NULL, now);
		if (!rc) /* S-02: refused, so never summarised: the lists may go again */
			rc = store_summary_free_lists(w, sm.id);
	}
	store_summary_clear(&sm);
	return rc;
}

/* The gseqno the platform gave a list line, or 0. */
static int built_gseqno(json_t *detail, const char *invt, int gnum)
{
	size_t i;
	json_t *x;
	json_array_foreach(
	    json_object_get(detail, "lines"), i,
	    x) if (!strcmp(json_string_value(json_object_get(x, "invtNo")) ?: "", invt) &&
	           json_integer_value(json_object_get(x, "gnum")) ==
	               gnum) return (int)json_integer_value(json_object_get(x, "gseqno"));
	return 0;
}

int summary_svc_result(struct store *w, const struct store_doc *d, const struct ceb_node *entity,
                       int64_t now)
{
	const struct ceb_node *h = ceb_entity_head(entity);
	if (!h || h->def != &ceb_def_EUH)
		return 0;
	struct store_summary sm;
	int rc = store_summary_by_doc(w, d->id, &sm);
	if (rc)
		return rc == CBEC_ENOTFOUND ? 0 : rc;
	json_t *detail = json_loads(sm.detail ? sm.detail : "{}", 0, NULL);
	json_t *results = sm.result ? json_loads(sm.result, 0, NULL) : NULL;
	if (!json_is_array(results)) {
		json_decref(results);
		results = json_array();
	}
	json_t *lines = json_array();
	bool agrees = true;
	int n = 0;
	for (const struct ceb_node *l = ceb_entity_lines(entity); l; l = l->next, n++) {
		int gnum = atoi(hv(l, EUL_gnum)), gseq = atoi(hv(l, EUL_gseqno));
		agrees &= built_gseqno(detail, hv(l, EUL_invtNo), gnum) == gseq;
		json_array_append_new(lines, json_pack("{s:s,s:s,s:i,s:i,s:s}", "invtNo",
		                                       hv(l, EUL_invtNo), "logisticsNo",
		                                       hv(l, EUL_logisticsNo), "gnum", gnum,
		                                       "gseqno", gseq, "gcode", hv(l, EUL_gcode)));
	}
	/* the platform's grouping and customs' agree when every line went to the item it was
	 * built into, and no line is missing */
	agrees &= n == (int)json_array_size(json_object_get(detail, "lines"));
	json_array_append_new(
	    results, json_pack("{s:s,s:s,s:s,s:s?,s:s,s:s,s:s,s:o,s:b}", "sumNo", hv(h, EUH_sumNo),
	                       "declSeqNo", hv(h, EUH_declSeqNo), "opDate", hv(h, EUH_opDate),
	                       "entryId", h->vals[EUH_entryId].p, "decState", hv(h, EUH_decState),
	                       "grossWeight", hv(h, EUH_grossWeight), "netWeight",
	                       hv(h, EUH_netWeight), "lines", lines, "agrees", agrees));
	char *txt = json_dumps(results, JSON_COMPACT);
	rc = txt ? store_summary_update(w, sm.id, STORE_SUMMARY_DECLARED,
	                                hv(h, EUH_sumNo)[0] ? hv(h, EUH_sumNo) : NULL, txt, now)
	         : CBEC_ENOMEM;
	free(txt);
	json_decref(results);
	json_decref(detail);
	store_summary_clear(&sm);
	return rc;
}

/* ---- reads ---- */

static int add_list(void *ctx, const struct store_summary_list *l)
{
	json_array_append_new(
	    ctx, json_pack("{s:s,s:I}", "invtNo", l->invt_no, "listId", (json_int_t)l->list_id));
	return 0;
}

static int add_receipt(void *ctx, const struct store_receipt *x)
{
	json_array_append_new(ctx, json_pack("{s:I,s:i,s:s?,s:I,s:s}", "seq", (json_int_t)x->seq,
	                                     "type", x->type, "status", x->status, "created",
	                                     (json_int_t)x->created, "xml", x->xml));
	return 0;
}

json_t *summary_svc_json(struct store *r, const struct store_summary *sm)
{
	char deadline[11];
	deadline_of(sm->period ? sm->period : "", deadline);
	json_t *detail = json_loads(sm->detail ? sm->detail : "{}", 0, NULL);
	json_t *results = sm->result ? json_loads(sm->result, 0, NULL) : json_array();
	json_t *lists = json_array(), *receipts = json_array();
	const char *key = json_string_value(json_object_get(detail, "docKey"));
	store_summary_lists(r, sm->id, add_list, lists);
	if (key)
		store_receipts_of_doc(r, 701, key, add_receipt, receipts);
	json_t *j = json_pack(
	    "{s:I,s:s,s:s,s:s,s:s,s:s,s:i,s:i,s:s?,s:s?,s:I,s:I,s:o,s:o,s:o,s:o,s:o}", "id",
	    (json_int_t)sm->id, "state", store_summary_state_name(sm->state), "ebc", sm->ebc,
	    "owner", sm->owner, "period", sm->period, "deadline", deadline, "summaryFlag",
	    sm->summary_flag, "itemNameFlag", sm->item_name_flag, "sumNo", sm->sum_no, "docKey",
	    key, "created", (json_int_t)sm->created, "updated", (json_int_t)sm->updated,
	    "declarations", json_incref(json_object_get(detail, "declarations")) ?: json_array(),
	    "lines", json_incref(json_object_get(detail, "lines")) ?: json_array(), "lists", lists,
	    "results", results ? results : json_array(), "receipts", receipts);
	json_decref(detail);
	return j;
}
