/* The 1210 bonded account in the service: see bonded_svc.h (and there, why stock is
 * reserved when the platform forwards a list). */
#include "svc/bonded_svc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "ceb/dec.h"
#include "ceb/fields.h"
#include "ceb/finding.h"
#include "ceb/model.h"
#include "ceb/schema.h"
#include "ceb/validate.h"
#include "store/store.h"

/* the store applies a movement by these numbers (store_bonded_move_add) */
_Static_assert(BONDED_CREDIT == 1 && BONDED_RESERVE == 2 && BONDED_RELEASE == 3 &&
		   BONDED_DEBIT == 4,
	       "store.h's movement ops");

static const char *sval(const struct ceb_node *n, int field)
{
	return n && n->vals[field].p ? n->vals[field].p : NULL;
}

bool bonded_svc_is_bonded(const struct ceb_node *entity)
{
	const struct ceb_node *h = entity ? ceb_entity_head(entity) : NULL;
	const char *tm = sval(h, IIH_tradeMode);
	return tm && !strcmp(tm, "1210");
}

static int gnum_of(const struct ceb_node *l, int field)
{
	const char *g = sval(l, field);
	return g ? atoi(g) : 0;
}

static struct bonded_line line_of(const struct ceb_node *l)
{
	struct bonded_line bl = {
	    .item_no = sval(l, IIL_itemRecordNo),
	    .gcode = sval(l, IIL_gcode),
	    .gname = sval(l, IIL_gname),
	    .unit = sval(l, IIL_unit),
	    .unit1 = sval(l, IIL_unit1),
	};
	ceb_dec_of(l, IIL_qty, &bl.qty);
	ceb_dec_of(l, IIL_qty1, &bl.qty1);
	return bl;
}

/* Walk a 1210 list's lines: check each against its record (reserve == false), or reserve
 * each (reserve == true, after a check in the same transaction). Lines naming the same
 * item count together against its availability. */
static int walk(struct store *w, const struct ceb_node *entity, struct arena *ar,
                struct ceb_findings *f, bool reserve, int64_t list_id, const char *key, int64_t now)
{
	const struct ceb_node *h = ceb_entity_head(entity);
	const char *ems = sval(h, IIH_emsNo), *area = sval(h, IIH_areaCode);
	if (!ems)
		return 0; /* I-07 already refused it */
	bool owner_reported = false;
	char b1[DEC_FMT_MAX], b2[DEC_FMT_MAX];
	for (const struct ceb_node *l = ceb_entity_lines(entity); l; l = l->next) {
		struct bonded_line bl = line_of(l);
		int gnum = gnum_of(l, IIL_gnum);
		if (!bl.item_no)
			continue; /* I-07 */
		struct store_bonded_item it;
		int rc = store_bonded_get(w, ems, bl.item_no, &it);
		if (rc == CBEC_ENOTFOUND) {
			if (reserve)
				return CBEC_EINVAL;
			ceb_report(f, R_B_RECORD, ceb_node_path(ar, l, "itemRecordNo"), l->line,
			           "第%d项：账册%s中没有备案料号%s",
			           "line %d: account %s has no item %s", gnum, ems, bl.item_no);
			continue;
		}
		if (rc)
			return rc;
		struct bonded_record rec = {it.gcode, it.gname, it.unit};
		int64_t q = 0;
		enum bonded_field bad = bonded_match(&rec, &bl, &q);
		if (!reserve && !owner_reported && (!area || strcmp(area, it.owner) != 0)) {
			owner_reported = true;
			ceb_report(f, R_B_RECORD, ceb_node_path(ar, h, "areaCode"), h->line,
			           "账册%s属于区内企业%s，不是%s",
			           "account %s is kept by %s, not areaCode %s", ems, it.owner,
			           area ? area : "");
		}
		if (bad != BONDED_MATCH) {
			if (reserve) {
				store_bonded_item_clear(&it);
				return CBEC_EINVAL;
			}
			const char *fld = bonded_field_name(bad);
			const char *have = bad == BONDED_F_GCODE   ? bl.gcode
			                   : bad == BONDED_F_GNAME ? bl.gname
			                                           : bl.unit;
			const char *want = bad == BONDED_F_GCODE   ? rec.gcode
			                   : bad == BONDED_F_GNAME ? rec.gname
			                                           : rec.unit;
			if (bad == BONDED_F_UNIT)
				ceb_report(f, R_B_RECORD, ceb_node_path(ar, l, fld), l->line,
				           "第%d项：计量单位%s和法定计量单位%s都不是账册%s料号%"
				           "s的备案单位%s",
				           "line %d: neither unit %s nor unit1 %s is the unit %s "
				           "of account %s item %s",
				           gnum, bl.unit ? bl.unit : "", bl.unit1 ? bl.unit1 : "",
				           want, ems, bl.item_no);
			else
				ceb_report(f, R_B_RECORD, ceb_node_path(ar, l, fld), l->line,
				           "第%d项：%s为%s，账册%s料号%s备案为%s",
				           "line %d: %s is %s, account %s item %s is filed as %s",
				           gnum, fld, have ? have : "", ems, bl.item_no,
				           want ? want : "");
			store_bonded_item_clear(&it);
			continue;
		}
		/* B-04: this line plus the earlier lines of the same item */
		int64_t asked = q;
		for (const struct ceb_node *e = ceb_entity_lines(entity); e && e != l;
		     e = e->next) {
			struct bonded_line el = line_of(e);
			int64_t eq = 0;
			if (el.item_no && !strcmp(el.item_no, bl.item_no) &&
			    bonded_match(&rec, &el, &eq) == BONDED_MATCH)
				asked += eq;
		}
		struct bonded_qty fig = {it.balance, it.reserved, it.committed};
		const bool legal = strcmp(rec.unit, bl.unit ? bl.unit : "") != 0;
		store_bonded_item_clear(&it);
		if (!reserve) {
			int64_t avail = bonded_available(&fig);
			if (avail < asked)
				ceb_report(
				    f, R_B_STOCK, ceb_node_path(ar, l, legal ? "qty1" : "qty"),
				    l->line, "第%d项：账册%s料号%s可用数量%s，本清单需%s",
				    "line %d: account %s item %s has %s available, the list asks "
				    "%s",
				    gnum, ems, bl.item_no, dec_format(avail > 0 ? avail : 0, b1),
				    dec_format(asked, b2));
			continue;
		}
		/* reserve: figures re-read above include the earlier lines' reservations; a line
		 * of quantity 0 takes nothing (and must not make the message fail for ever) */
		if (q <= 0)
			continue;
		if (bonded_apply(&fig, BONDED_RESERVE, q) != 0)
			return CBEC_EINVAL;
		struct store_bonded_move mv = {0,
		                               (char *)ems,
		                               (char *)bl.item_no,
		                               BONDED_RESERVE,
		                               q,
		                               (char *)key,
		                               "list forwarded to customs (B-03)",
		                               now};
		struct store_bonded_hold hold = {
		    list_id, gnum,   (char *)ems, (char *)bl.item_no,
		    q,       bl.qty, 0,           BONDED_HOLD_RESERVED};
		rc = store_bonded_move_add(w, &mv);
		if (!rc)
			rc = store_bonded_hold_put(w, &hold);
		if (rc)
			return rc;
	}
	return 0;
}

int bonded_svc_check(struct store *w, const struct ceb_node *entity, struct arena *ar,
                     struct ceb_findings *f)
{
	if (!bonded_svc_is_bonded(entity))
		return 0;
	return walk(w, entity, ar, f, false, 0, NULL, 0);
}

int bonded_svc_reserve(struct store *w, int64_t list_id, const char *key,
                       const struct ceb_node *entity, int64_t now)
{
	if (!bonded_svc_is_bonded(entity))
		return 0;
	return walk(w, entity, NULL, NULL, true, list_id, key, now);
}

/* ---- customs' decisions ---- */

struct holds {
	struct store_bonded_hold *h;
	size_t n, cap;
};

static int collect(void *ctx, const struct store_bonded_hold *h)
{
	struct holds *c = ctx;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 8;
		struct store_bonded_hold *p = realloc(c->h, cap * sizeof *p);
		if (!p)
			return CBEC_ENOMEM;
		c->h = p;
		c->cap = cap;
	}
	struct store_bonded_hold *x = &c->h[c->n];
	*x = *h;
	x->ems_no = strdup(h->ems_no ? h->ems_no : "");
	x->item_no = strdup(h->item_no ? h->item_no : "");
	c->n++;
	return x->ems_no && x->item_no ? 0 : CBEC_ENOMEM;
}

static void holds_free(struct holds *c)
{
	for (size_t i = 0; i < c->n; i++)
		store_bonded_hold_clear(&c->h[i]);
	free(c->h);
}

/* One movement on a record, its journal line and the hold's new state. */
static int move(struct store *w, struct store_bonded_hold *h, enum bonded_op op, int64_t q,
                const char *key, const char *why, int64_t now)
{
	struct store_bonded_move mv = {0, h->ems_no,   h->item_no,  op,
	                               q, (char *)key, (char *)why, now};
	int rc = store_bonded_move_add(w, &mv);
	if (!rc)
		rc = store_bonded_hold_put(w, h);
	return rc;
}

int bonded_svc_settle(struct store *w, int64_t list_id, const char *key, enum bonded_settle how,
                      const char *why, int64_t now)
{
	struct holds c = {0};
	int rc = store_bonded_holds_of(w, list_id, collect, &c);
	for (size_t i = 0; !rc && i < c.n; i++) {
		struct store_bonded_hold *h = &c.h[i];
		if (h->state == BONDED_HOLD_RESERVED) {
			bool debit = how == BONDED_SETTLE_DEBIT;
			h->state = debit ? BONDED_HOLD_DEBITED : BONDED_HOLD_RELEASED;
			rc = move(w, h, debit ? BONDED_DEBIT : BONDED_RELEASE, h->qty, key, why,
			          now);
		} else if (h->state == BONDED_HOLD_DEBITED && how == BONDED_SETTLE_CANCEL) {
			/* B-05: a debited list cancelled: what did not come back yet returns */
			int64_t q = h->qty - h->back;
			h->back = h->qty;
			h->state = BONDED_HOLD_CREDITED;
			if (q > 0)
				rc = move(w, h, BONDED_CREDIT, q, key, why, now);
			else
				rc = store_bonded_hold_put(w, h);
		}
	}
	holds_free(&c);
	return rc;
}

int bonded_svc_return(struct store *w, int64_t list_id, const char *key,
                      const struct ceb_node *refund_entity, int64_t now)
{
	struct holds c = {0};
	int rc = store_bonded_holds_of(w, list_id, collect, &c);
	for (const struct ceb_node *l = ceb_entity_lines(refund_entity); !rc && l; l = l->next) {
		int g = gnum_of(l, IRL_gnum);
		int64_t rq = 0;
		if (!ceb_dec_of(l, IRL_qty, &rq) || rq <= 0)
			continue;
		for (size_t i = 0; !rc && i < c.n; i++) {
			struct store_bonded_hold *h = &c.h[i];
			if (h->gnum != g || h->state != BONDED_HOLD_DEBITED || h->decl_qty <= 0)
				continue;
			/* the returned part of the line, in the record's unit (B-06) */
			int64_t q = 0;
			if (rq >= h->decl_qty)
				q = h->qty;
			else if (dec_muldiv(h->qty, rq, h->decl_qty, &q) != 0)
				continue;
			if (q > h->qty - h->back)
				q = h->qty - h->back;
			if (q <= 0)
				continue;
			h->back += q;
			if (h->back == h->qty)
				h->state = BONDED_HOLD_CREDITED;
			rc = move(w, h, BONDED_CREDIT, q, key, "return approved by customs (B-05)",
			          now);
		}
	}
	holds_free(&c);
	return rc;
}

/* ---- stock-in ---- */

static void refuse(struct bonded_svc_answer *ans, int http, const char *rule, const char *field,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void refuse(struct bonded_svc_answer *ans, int http, const char *rule, const char *field,
                   const char *fmt, ...)
{
	ans->http = http;
	ans->rule = rule;
	ans->field = field;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ans->why, sizeof ans->why, fmt, ap);
	va_end(ap);
}

int bonded_svc_stockin(struct store *w, const char *owner, const struct bonded_stockin *in,
                       int64_t now, struct bonded_svc_answer *ans)
{
	memset(ans, 0, sizeof *ans);
	const char *field = NULL;
	char why[256];
	if (bonded_stockin_check(in, &field, why, sizeof why) != 0) {
		refuse(ans, 400, "B-02", field, "%s", why);
		return 0;
	}
	char qa[DEC_FMT_MAX], qb[DEC_FMT_MAX];
	/* the account is its keeper's: the first record's owner */
	char *keeper = NULL;
	int rc = store_bonded_keeper(w, in->ems_no, &keeper);
	if (rc && rc != CBEC_ENOTFOUND)
		return rc;
	if (keeper && strcmp(keeper, owner) != 0) {
		refuse(ans, 403, "B-02", "emsNo", "account %s is kept by another enterprise",
		       in->ems_no);
		free(keeper);
		return 0;
	}
	free(keeper);
	struct store_bonded_entry prev;
	rc = store_bonded_entry_get(w, in->ems_no, in->entry, in->item_no, &prev);
	if (rc == 0) {
		bool same = prev.qty == in->qty;
		if (!same)
			refuse(ans, 409, "B-02", "qty",
			       "entry %s already credited item %s with %s, not %s", in->entry,
			       in->item_no, dec_format(prev.qty, qa), dec_format(in->qty, qb));
		store_bonded_entry_clear(&prev);
		if (!same)
			return 0;
		ans->repeated = true;
	} else if (rc != CBEC_ENOTFOUND) {
		return rc;
	}
	struct store_bonded_item it;
	rc = store_bonded_get(w, in->ems_no, in->item_no, &it);
	if (rc == CBEC_ENOTFOUND && !ans->repeated) {
		struct store_bonded_item rec = {(char *)in->ems_no,
		                                (char *)in->item_no,
		                                (char *)owner,
		                                (char *)in->gcode,
		                                (char *)in->gname,
		                                (char *)in->unit,
		                                0,
		                                0,
		                                0,
		                                now};
		rc = store_bonded_create(w, &rec);
		if (rc)
			return rc;
		rc = store_bonded_get(w, in->ems_no, in->item_no, &it);
	}
	if (rc)
		return rc;
	struct bonded_record r = {it.gcode, it.gname, it.unit};
	enum bonded_field bad = bonded_stockin_match(&r, in);
	struct bonded_qty fig = {it.balance, it.reserved, it.committed};
	if (bad != BONDED_MATCH && !ans->repeated) {
		refuse(ans, 409, "B-01", bonded_field_name(bad),
		       "item %s of account %s is filed with %s %s", in->item_no, in->ems_no,
		       bonded_field_name(bad),
		       bad == BONDED_F_GCODE   ? it.gcode
		       : bad == BONDED_F_GNAME ? it.gname
		                               : it.unit);
		store_bonded_item_clear(&it);
		return 0;
	}
	store_bonded_item_clear(&it);
	if (ans->repeated) {
		ans->http = 200;
		ans->after = fig;
		snprintf(ans->why, sizeof ans->why, "entry %s already credited item %s with %s",
		         in->entry, in->item_no, dec_format(in->qty, qa));
		return 0;
	}
	if (bonded_apply(&fig, BONDED_CREDIT, in->qty) != 0) {
		refuse(ans, 400, "B-02", "qty", "qty %s does not fit the account",
		       dec_format(in->qty, qa));
		return 0;
	}
	struct store_bonded_entry e = {(char *)in->ems_no, (char *)in->entry, (char *)in->item_no,
	                               (char *)owner,      in->qty,           now};
	rc = store_bonded_entry_put(w, &e);
	struct store_bonded_move mv = {0,
	                               (char *)in->ems_no,
	                               (char *)in->item_no,
	                               BONDED_CREDIT,
	                               in->qty,
	                               (char *)in->entry,
	                               "stock-in: first-line entry (B-02)",
	                               now};
	if (!rc)
		rc = store_bonded_move_add(w, &mv);
	if (rc)
		return rc;
	ans->http = 200;
	ans->after = fig;
	snprintf(ans->why, sizeof ans->why, "credited %s to item %s of account %s",
	         dec_format(in->qty, qa), in->item_no, in->ems_no);
	return 0;
}
