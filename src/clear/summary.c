#include "clear/summary.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "ceb/dec.h"
#include "ceb/model.h"
#include "ceb/schema.h"
#include "ceb/validate.h"
#include "clear/docs.h"

/* Lines a 603 may have (schema: 1..100); a little headroom for what a parser let through. */
#define MAX_LINES 128

struct summary *summary_new(struct arena *a, const struct summary_opts *o)
{
	struct summary *s = arena_alloc(a, sizeof *s);
	if (!s)
		return NULL;
	memset(s, 0, sizeof *s);
	s->a = a;
	s->o.summary_flag = o && o->summary_flag == 2 ? 2 : 1;
	s->o.item_name_flag = o && o->item_name_flag == 1 ? 1 : 0;
	return s;
}

static const char *text(const struct ceb_node *rec, int field)
{
	const struct ceb_val *v = &rec->vals[field];
	return v->p ? v->p : "";
}

static bool eq(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

static bool add_ok(int64_t a, int64_t b)
{
	return b <= 0 ? a >= INT64_MIN - b : a <= INT64_MAX - b;
}

/* ---- the set of invtNos already added ---- */

static unsigned str_hash(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static bool seen_has(const struct summary *s, const char *k)
{
	if (!s->capseen)
		return false;
	for (unsigned i = str_hash(k) & (s->capseen - 1);; i = (i + 1) & (s->capseen - 1)) {
		if (!s->seen[i])
			return false;
		if (!strcmp(s->seen[i], k))
			return true;
	}
}

static int seen_add(struct summary *s, const char *k)
{
	if (2 * (s->nseen + 1) > s->capseen) {
		unsigned cap = s->capseen ? 2 * s->capseen : 64;
		const char **t = arena_alloc(s->a, cap * sizeof *t);
		if (!t)
			return CBEC_ENOMEM;
		memset(t, 0, cap * sizeof *t);
		for (unsigned j = 0; j < s->capseen; j++) {
			if (!s->seen[j])
				continue;
			unsigned i = str_hash(s->seen[j]) & (cap - 1);
			while (t[i])
				i = (i + 1) & (cap - 1);
			t[i] = s->seen[j];
		}
		s->seen = t; /* the old table stays in the arena until it is reset */
		s->capseen = cap;
	}
	unsigned i = str_hash(k) & (s->capseen - 1);
	while (s->seen[i])
		i = (i + 1) & (s->capseen - 1);
	s->seen[i] = k;
	s->nseen++;
	return 0;
}

/* ---- keys ---- */

static bool head_match(const struct summary *s, const struct summary_decl *d,
                       const struct ceb_node *h)
{
	return eq(d->ebc_code, text(h, EIH_ebcCode)) &&
	       (s->o.summary_flag == 1 || eq(d->owner_code, text(h, EIH_ownerCode))) &&
	       eq(d->traf_mode, text(h, EIH_trafMode)) && eq(d->country, text(h, EIH_country)) &&
	       eq(d->port_code, text(h, EIH_portCode)) &&
	       eq(d->customs_code, text(h, EIH_customsCode));
}

static const char *line_name(const struct ceb_node *l)
{
	const char *n = text(l, EIL_itemName);
	return *n ? n : text(l, EIL_gname);
}

static bool line_match(const struct summary *s, const struct summary_item *it,
                       const struct ceb_node *l)
{
	return eq(it->country, text(l, EIL_country)) && eq(it->gcode, text(l, EIL_gcode)) &&
	       eq(it->currency, text(l, EIL_currency)) && eq(it->unit, text(l, EIL_unit)) &&
	       eq(it->unit1, text(l, EIL_unit1)) && eq(it->unit2, text(l, EIL_unit2)) &&
	       (s->o.item_name_flag == 0 || eq(it->item_name, line_name(l)));
}

/* The fields a key or a total needs, present and well-formed. */
static bool head_ok(const struct ceb_node *h)
{
	static const int need[] = {EIH_ebcCode,        EIH_ownerCode, EIH_trafMode,
	                           EIH_country,        EIH_portCode,  EIH_customsCode,
	                           EIH_statisticsFlag, EIH_tradeMode};
	for (size_t i = 0; i < sizeof need / sizeof need[0]; i++)
		if (!ceb_val_filled(&h->vals[need[i]]))
			return false;
	return true;
}

static bool line_ok(const struct ceb_node *l)
{
	static const int need[] = {EIL_gnum,     EIL_gcode, EIL_country,
	                           EIL_currency, EIL_unit,  EIL_unit1};
	for (size_t i = 0; i < sizeof need / sizeof need[0]; i++)
		if (!ceb_val_filled(&l->vals[need[i]]))
			return false;
	return true;
}

static const char *dup(struct arena *a, const char *s)
{
	return arena_strdup(a, s ? s : "");
}

/* One line's figures. */
struct fig {
	int64_t qty, qty1, qty2, total;
};

static bool fig_add(struct fig *to, const struct fig *x)
{
	if (!add_ok(to->qty, x->qty) || !add_ok(to->qty1, x->qty1) || !add_ok(to->qty2, x->qty2) ||
	    !add_ok(to->total, x->total))
		return false;
	to->qty += x->qty;
	to->qty1 += x->qty1;
	to->qty2 += x->qty2;
	to->total += x->total;
	return true;
}

int summary_add(struct summary *s, const struct ceb_node *entity, const char *invt_no,
                enum summary_fate *fate, int *decl)
{
	const struct ceb_node *h = entity ? ceb_entity_head(entity) : NULL;
	if (!h || h->def != &ceb_def_EIH || !invt_no || !*invt_no)
		return CBEC_EINVAL;
	if (seen_has(s, invt_no))
		return CBEC_EEXIST;
	if (decl)
		*decl = 0;
	const char *mode = text(h, EIH_tradeMode), *flag = text(h, EIH_statisticsFlag);
	if (strcmp(mode, "9610") != 0 || (strcmp(flag, "A") != 0 && strcmp(flag, "B") != 0)) {
		*fate = SUMMARY_OTHER;
		const char *k = dup(s->a, invt_no);
		if (!k || seen_add(s, k))
			return CBEC_ENOMEM;
		s->other_lists++;
		return 0;
	}
	if (!strcmp(flag, "A")) {
		*fate = SUMMARY_COUNTED;
		const char *k = dup(s->a, invt_no);
		if (!k || seen_add(s, k))
			return CBEC_ENOMEM;
		s->a_lists++;
		return 0;
	}
	if (!head_ok(h))
		return CBEC_EINVAL;

	/* Pass 1: read and check everything, and find where each line goes, without changing
	 * the summary; pass 2 applies. So a bad list leaves nothing behind. */
	struct summary_decl *d = s->decls;
	while (d && !head_match(s, d, h))
		d = d->next;
	struct fig head = {0, 0, 0, 0};
	int64_t pack = 0;
	if (!ceb_dec_of(h, EIH_grossWeight, &head.qty) || !ceb_dec_of(h, EIH_netWeight, &head.qty1))
		return CBEC_EINVAL;
	const struct ceb_val *pv = &h->vals[EIH_packNo];
	if (!pv->p || dec_parse_int(pv->p, pv->n, 9, &pack) != DEC_OK)
		return CBEC_EINVAL;
	const struct ceb_node *lines[MAX_LINES];
	struct fig figs[MAX_LINES];
	struct summary_item *target[MAX_LINES]; /* an existing item, or NULL: new */
	int same_as[MAX_LINES]; /* a new item: the first line of this list that makes it */
	int nl = 0;
	for (const struct ceb_node *l = ceb_entity_lines(entity); l; l = l->next) {
		if (nl == MAX_LINES || l->def != &ceb_def_EIL || !line_ok(l))
			return CBEC_EINVAL;
		struct fig *f = &figs[nl];
		f->qty2 = 0;
		int64_t gnum;
		const struct ceb_val *gv = &l->vals[EIL_gnum];
		if (!ceb_dec_of(l, EIL_qty, &f->qty) || !ceb_dec_of(l, EIL_qty1, &f->qty1) ||
		    !ceb_dec_of(l, EIL_totalPrice, &f->total) ||
		    (l->vals[EIL_qty2].p && !ceb_dec_of(l, EIL_qty2, &f->qty2)) ||
		    dec_parse_int(gv->p, gv->n, 5, &gnum) != DEC_OK)
			return CBEC_EINVAL;
		for (int i = 0; i < nl; i++) /* gnum once per list (X-04 is checked upstream too) */
			if (!strcmp(text(lines[i], EIL_gnum), text(l, EIL_gnum)))
				return CBEC_EINVAL;
		target[nl] = NULL;
		for (struct summary_item *it = d ? d->items : NULL; it && !target[nl];
		     it = it->next)
			if (line_match(s, it, l))
				target[nl] = it;
		same_as[nl] = nl;
		if (!target[nl])
			for (int i = 0; i < nl; i++)
				if (!target[i] && same_as[i] == i) {
					struct summary_item probe = {
					    .country = text(lines[i], EIL_country),
					    .gcode = text(lines[i], EIL_gcode),
					    .currency = text(lines[i], EIL_currency),
					    .unit = text(lines[i], EIL_unit),
					    .unit1 = text(lines[i], EIL_unit1),
					    .unit2 = text(lines[i], EIL_unit2),
					    .item_name = line_name(lines[i])};
					if (line_match(s, &probe, l)) {
						same_as[nl] = i;
						break;
					}
				}
		lines[nl++] = l;
	}
	if (!nl)
		return CBEC_EINVAL;
	/* Overflow: every target's total after this list, computed apart. */
	struct fig acc[MAX_LINES];
	for (int i = 0; i < nl; i++) {
		int root = target[i] ? i : same_as[i];
		if (target[i]) /* the first line of this list into an existing item starts from it
		                */
			for (int j = 0; j < i; j++)
				if (target[j] == target[i]) {
					root = j;
					break;
				}
		if (root == i) {
			if (target[i])
				acc[i] = (struct fig){target[i]->qty, target[i]->qty1,
				                      target[i]->qty2, target[i]->total_price};
			else
				acc[i] = (struct fig){0, 0, 0, 0};
		}
		if (!fig_add(&acc[root], &figs[i]))
			return CBEC_ETOOBIG;
	}
	if (d) {
		struct fig hd = {d->gross_weight, d->net_weight, d->pack_no, 0};
		struct fig x = {head.qty, head.qty1, pack, 0};
		if (!fig_add(&hd, &x))
			return CBEC_ETOOBIG;
	}

	/* Pass 2: apply. */
	const char *k = dup(s->a, invt_no);
	if (!k || seen_add(s, k))
		return CBEC_ENOMEM;
	if (!d) {
		d = arena_alloc(s->a, sizeof *d);
		if (!d)
			return CBEC_ENOMEM;
		memset(d, 0, sizeof *d);
		d->seq = ++s->ndecls;
		d->ebc_code = dup(s->a, text(h, EIH_ebcCode));
		d->ebc_name = dup(s->a, text(h, EIH_ebcName));
		/* summaryFlag 1: one declaration for all producers; the shipper stands as the
		 * producer (生产销售单位) of the 报关单 */
		d->owner_code =
		    s->o.summary_flag == 2 ? dup(s->a, text(h, EIH_ownerCode)) : d->ebc_code;
		d->owner_name =
		    s->o.summary_flag == 2 ? dup(s->a, text(h, EIH_ownerName)) : d->ebc_name;
		d->traf_mode = dup(s->a, text(h, EIH_trafMode));
		d->country = dup(s->a, text(h, EIH_country));
		d->port_code = dup(s->a, text(h, EIH_portCode));
		d->customs_code = dup(s->a, text(h, EIH_customsCode));
		if (s->decls_tail)
			s->decls_tail->next = d;
		else
			s->decls = d;
		s->decls_tail = d;
	}
	if (d->nlists == d->capinvt) {
		int cap = d->capinvt ? 2 * d->capinvt : 8;
		const char **t = arena_alloc(s->a, (size_t)cap * sizeof *t);
		if (!t)
			return CBEC_ENOMEM;
		if (d->nlists)
			memcpy(t, d->invt_nos, (size_t)d->nlists * sizeof *t);
		d->invt_nos = t;
		d->capinvt = cap;
	}
	d->invt_nos[d->nlists] = k;
	d->gross_weight += head.qty;
	d->net_weight += head.qty1;
	d->pack_no += pack;
	d->nlists++;
	struct summary_item *made[MAX_LINES];
	for (int i = 0; i < nl; i++) {
		const struct ceb_node *l = lines[i];
		struct summary_item *it = target[i];
		if (!it && same_as[i] != i)
			it = made[same_as[i]];
		if (!it) {
			it = arena_alloc(s->a, sizeof *it);
			if (!it)
				return CBEC_ENOMEM;
			memset(it, 0, sizeof *it);
			it->gseqno = ++d->nitems;
			it->country = dup(s->a, text(l, EIL_country));
			it->gcode = dup(s->a, text(l, EIL_gcode));
			it->currency = dup(s->a, text(l, EIL_currency));
			it->unit = dup(s->a, text(l, EIL_unit));
			it->unit1 = dup(s->a, text(l, EIL_unit1));
			it->unit2 = dup(s->a, text(l, EIL_unit2));
			it->item_name = dup(s->a, line_name(l));
			it->gname = dup(s->a, text(l, EIL_gname));
			if (d->items_tail)
				d->items_tail->next = it;
			else
				d->items = it;
			d->items_tail = it;
		}
		made[i] = it;
		it->qty += figs[i].qty;
		it->qty1 += figs[i].qty1;
		it->qty2 += figs[i].qty2;
		it->total_price += figs[i].total;
		it->nlines++;
		struct summary_map *m = arena_alloc(s->a, sizeof *m);
		if (!m)
			return CBEC_ENOMEM;
		memset(m, 0, sizeof *m);
		m->invt_no = k;
		m->logistics_no = dup(s->a, text(h, EIH_logisticsNo));
		m->gcode = it->gcode;
		m->gnum = atoi(text(l, EIL_gnum));
		m->decl = d->seq;
		m->gseqno = it->gseqno;
		if (s->map_tail)
			s->map_tail->next = m;
		else
			s->map = m;
		s->map_tail = m;
		s->nmap++;
	}
	s->b_lists++;
	*fate = SUMMARY_TAKEN;
	if (decl)
		*decl = d->seq;
	return 0;
}

const struct summary_decl *summary_decl_at(const struct summary *s, int seq)
{
	for (const struct summary_decl *d = s->decls; d; d = d->next)
		if (d->seq == seq)
			return d;
	return NULL;
}

int summary_period_parse(const char *s, int *year, int *month)
{
	if (!s || strlen(s) != 7 || s[4] != '-')
		return CBEC_EINVAL;
	for (int i = 0; i < 7; i++)
		if (i != 4 && (s[i] < '0' || s[i] > '9'))
			return CBEC_EINVAL;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int m = (s[5] - '0') * 10 + (s[6] - '0');
	if (y < 2000 || m < 1 || m > 12)
		return CBEC_EINVAL;
	*year = y;
	*month = m;
	return 0;
}

int summary_deadline(int year, int month, char out[11])
{
	if (year < 2000 || year > 9998 || month < 1 || month > 12)
		return CBEC_EINVAL;
	if (++month == 13) {
		month = 1;
		year++;
	}
	/* S-05 says "next working day if the 15th is a holiday": no holiday calendar is kept,
	 * so the date shown is the 15th itself (README). */
	snprintf(out, 11, "%04d-%02d-15", year, month);
	return 0;
}

static int set(struct ceb_msg *m, struct ceb_node *rec, int field, const char *v)
{
	return v && *v ? ceb_node_setz(m, rec, field, v) : 0;
}

struct ceb_msg *summary_apply_msg(struct arena *a, const struct summary *s,
                                  const struct summary_apply_args *g)
{
	const struct ceb_msgtype *t = ceb_msgtype_by_code(701);
	if (!t || !s->ndecls || s->ndecls > 100)
		return NULL;
	struct ceb_msg *m = ceb_msg_new(a, t);
	if (!m)
		return NULL;
	char guid[37], t14[15];
	doc_new_guid(guid);
	doc_time14(g->now_ms, t14);
	m->guid.p = arena_strdup(a, guid);
	m->guid.n = 36;
	m->version.p = "1.0";
	m->version.n = 3;
	int err = !m->guid.p;
	for (const struct summary_decl *d = s->decls; d && !err; d = d->next) {
		struct ceb_node *e = ceb_node_add(m, m->root, 0);
		struct ceb_node *h = e ? ceb_node_add(m, e, 0) : NULL;
		if (!h)
			return NULL;
		char cop[64], n[16];
		snprintf(cop, sizeof cop, "%.26s-%d", g->cop_no, d->seq);
		doc_new_guid(guid);
		err |= set(m, h, ESH_guid, guid);
		err |= set(m, h, ESH_appType, "1");
		err |= set(m, h, ESH_appTime, t14);
		err |= set(m, h, ESH_appStatus, "2");
		err |= set(m, h, ESH_customsCode, d->customs_code);
		err |= set(m, h, ESH_copNo, cop);
		err |= set(m, h, ESH_agentCode, g->agent_code);
		err |= set(m, h, ESH_agentName, g->agent_name);
		err |= set(m, h, ESH_ebcCode, d->ebc_code);
		err |= set(m, h, ESH_ebcName, d->ebc_name);
		err |= set(m, h, ESH_declAgentCode,
		           g->decl_agent_code ? g->decl_agent_code : d->ebc_code);
		err |= set(m, h, ESH_declAgentName,
		           g->decl_agent_name ? g->decl_agent_name : d->ebc_name);
		snprintf(n, sizeof n, "%d", s->o.summary_flag);
		err |= set(m, h, ESH_summaryFlag, n);
		snprintf(n, sizeof n, "%d", s->o.item_name_flag);
		err |= set(m, h, ESH_itemNameFlag, n);
		err |= set(m, h, ESH_msgCount, "1");
		err |= set(m, h, ESH_msgSeqNo, "1");
		err |= set(m, h, ESH_note, g->note);
		for (int i = 0; i < d->nlists && !err; i++) {
			struct ceb_node *l = ceb_node_add(m, e, 1);
			err |= !l || set(m, l, ESL_invtNo, d->invt_nos[i]);
		}
	}
	int bt = ceb_def_kid(m->root->def, "BaseTransfer", 12);
	struct ceb_node *b = bt >= 0 ? ceb_node_add(m, m->root, bt) : NULL;
	if (!b || err)
		return NULL;
	err |= set(m, b, EBT_copCode, g->agent_code);
	err |= set(m, b, EBT_copName, g->agent_name);
	err |= set(m, b, EBT_dxpMode, "DXP");
	err |= set(m, b, EBT_dxpId, g->dxp_id);
	return err ? NULL : m;
}
