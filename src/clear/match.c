/* Three-document matching (三单对碰), rules.md §5: the list (621/603) against its order,
 * payment and waybill (or order, waybill and collection note). Every comparison is a row of
 * a table naming the two fields and the rule; every disagreement is its own finding, so an
 * enterprise sees all it has to fix at once (the peers in field-notes.md stop at the first).
 *
 * Where a finding goes: on the list's element when the list disagrees with another
 * document; on the non-order document's element when two documents other than the list
 * disagree (the order is the reference: M-04 on the 411's amountPaid, M-07 on the 511's
 * consignee). Each message names both values and the other document's key.
 *
 * Strings are compared byte for byte: customs compares them exactly, so a trailing space, a
 * full-width "（" against a half-width "(" or a different Unicode form is a real mismatch
 * the enterprise has to correct, not something to normalise away here. */
#include "clear/match.h"

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "ceb/dec.h"
#include "ceb/validate.h"

void match_opts_default(struct match_opts *o)
{
	o->payer_is_buyer = true;
}

/* How two fields are compared. */
enum how {
	TEXT,  /* byte equality */
	DEC,   /* exact decimal value: "2" equals "2.00" */
	CENTS, /* decimal values equal after rounding both to 0.01 (M-04) */
};

/* When a row applies: the optional fields count only when the named side gives them. */
enum when {
	ALWAYS,
	IF_A, /* the reported record has the field (621 itemName) */
	IF_B, /* the other record has the field (311 payCode, payTransactionId, payName) */
};

/* One comparison: field a of the reported record against field b of the other record. */
struct pair {
	int a, b;
	enum ceb_rule_id rule;
	enum how how;
	enum when when;
};

/* A record taking part in a comparison, with what the messages call it. */
struct doc {
	const struct ceb_node *rec;    /* the record compared (head or line) */
	const struct ceb_node *keyrec; /* the head whose key fields identify the document */
	const char *zh, *en;           /* 订单 / the order, 订单第2项 / line 2 of the order */
	int key[2];                    /* key fields of keyrec */
};

struct mctx {
	struct ceb_findings *f;
	struct arena *a;
};

/* ---- import tables ---- */

/* 621 InventoryHead against 311 OrderHead. */
static const struct pair k_list_order[] = {
    {IIH_ebpCode, IOH_ebpCode, R_M_ORDER, TEXT, ALWAYS},
    {IIH_orderNo, IOH_orderNo, R_M_ORDER, TEXT, ALWAYS},
    {IIH_ebcCode, IOH_ebcCode, R_M_ORDER, TEXT, ALWAYS},
    {IIH_buyerIdType, IOH_buyerIdType, R_M_BUYER, TEXT, ALWAYS},
    {IIH_buyerIdNumber, IOH_buyerIdNumber, R_M_BUYER, TEXT, ALWAYS},
    {IIH_buyerName, IOH_buyerName, R_M_BUYER, TEXT, ALWAYS},
    {IIH_buyerTelephone, IOH_buyerTelephone, R_M_BUYER, TEXT, ALWAYS},
    {IIH_consigneeAddress, IOH_consigneeAddress, R_M_CONSIGNEE, TEXT, ALWAYS},
    {IIH_ebpName, IOH_ebpName, R_M_PARTIES, TEXT, ALWAYS},
    {IIH_ebcName, IOH_ebcName, R_M_PARTIES, TEXT, ALWAYS},
};

/* 621 InventoryHead against 411 PaymentHead. */
static const struct pair k_list_payment[] = {
    {IIH_ebpCode, IPH_ebpCode, R_M_PAYMENT, TEXT, ALWAYS},
    {IIH_orderNo, IPH_orderNo, R_M_PAYMENT, TEXT, ALWAYS},
};

/* 621 InventoryHead against 511 LogisticsHead. */
static const struct pair k_list_waybill[] = {
    {IIH_logisticsCode, ILH_logisticsCode, R_M_WAYBILL, TEXT, ALWAYS},
    {IIH_logisticsNo, ILH_logisticsNo, R_M_WAYBILL, TEXT, ALWAYS},
    {IIH_orderNo, ILH_orderNo, R_M_WAYBILL, TEXT, ALWAYS},
    {IIH_logisticsName, ILH_logisticsName, R_M_PARTIES, TEXT, ALWAYS},
};

/* 411 PaymentHead against 311 OrderHead. */
static const struct pair k_payment_order[] = {
    {IPH_payCode, IOH_payCode, R_M_PAYMENT, TEXT, IF_B},
    {IPH_payTransactionId, IOH_payTransactionId, R_M_PAYMENT, TEXT, IF_B},
    {IPH_amountPaid, IOH_acturalPaid, R_M_AMOUNT, CENTS, ALWAYS},
    {IPH_ebpName, IOH_ebpName, R_M_PARTIES, TEXT, ALWAYS},
    {IPH_payName, IOH_payName, R_M_PARTIES, TEXT, IF_B},
};

/* M-06, when the payer must be the buyer: 411 payer against 311 buyer. */
static const struct pair k_payer_buyer[] = {
    {IPH_payerIdType, IOH_buyerIdType, R_M_PAYER, TEXT, ALWAYS},
    {IPH_payerIdNumber, IOH_buyerIdNumber, R_M_PAYER, TEXT, ALWAYS},
    {IPH_payerName, IOH_buyerName, R_M_PAYER, TEXT, ALWAYS},
};

/* 511 LogisticsHead against 311 OrderHead. */
static const struct pair k_waybill_order[] = {
    {ILH_consignee, IOH_consignee, R_M_CONSIGNEE, TEXT, ALWAYS},
    {ILH_consigneeTelephone, IOH_consigneeTelephone, R_M_CONSIGNEE, TEXT, ALWAYS},
    {ILH_consigneeAddress, IOH_consigneeAddress, R_M_CONSIGNEE, TEXT, ALWAYS},
};

/* 621 InventoryList against the 311 OrderList of the same gnum. rules.md M-08 asks for gname
 * "consistent with" itemName; gname is the customs name and may rightly differ, so the
 * enterprise's itemName is what must be the same, when the list gives it. */
static const struct pair k_list_line[] = {
    {IIL_itemName, IOL_itemName, R_M_GOODS, TEXT, IF_A},
    {IIL_qty, IOL_qty, R_M_GOODS, DEC, ALWAYS},
    {IIL_price, IOL_price, R_M_GOODS, DEC, ALWAYS},
    {IIL_totalPrice, IOL_totalPrice, R_M_GOODS, DEC, ALWAYS},
    {IIL_country, IOL_country, R_M_GOODS, TEXT, ALWAYS},
    {IIL_unit, IOL_unit, R_M_GOODS, TEXT, ALWAYS},
    {IIL_currency, IOL_currency, R_M_GOODS, TEXT, ALWAYS},
};

/* ---- export tables ---- */

/* 603 InventoryHead against 303 OrderHead. */
static const struct pair k_elist_order[] = {
    {EIH_ebpCode, EOH_ebpCode, R_M_ORDER, TEXT, ALWAYS},
    {EIH_orderNo, EOH_orderNo, R_M_ORDER, TEXT, ALWAYS},
    {EIH_ebcCode, EOH_ebcCode, R_M_ORDER, TEXT, ALWAYS},
    {EIH_ebpName, EOH_ebpName, R_M_PARTIES, TEXT, ALWAYS},
    {EIH_ebcName, EOH_ebcName, R_M_PARTIES, TEXT, ALWAYS},
};

/* 603 InventoryHead against 505 Logistics. */
static const struct pair k_elist_waybill[] = {
    {EIH_logisticsCode, ELG_logisticsCode, R_M_WAYBILL, TEXT, ALWAYS},
    {EIH_logisticsNo, ELG_logisticsNo, R_M_WAYBILL, TEXT, ALWAYS},
    {EIH_logisticsName, ELG_logisticsName, R_M_PARTIES, TEXT, ALWAYS},
};

/* 603 InventoryHead against 403 Receipts: only the keys rules.md names. Whether charge must
 * equal the order's goodsValue (+ freight?) rules.md does not say, so it is not checked. */
static const struct pair k_elist_receipts[] = {
    {EIH_ebcCode, ERC_ebcCode, R_M_PAYMENT, TEXT, ALWAYS},
    {EIH_orderNo, ERC_orderNo, R_M_PAYMENT, TEXT, ALWAYS},
};

/* 603 InventoryList against the 303 OrderList of the same gnum. itemName is optional in the
 * 603 and becomes the tax-refund name after the summary, so when given it must be the
 * order's. */
static const struct pair k_elist_line[] = {
    {EIL_itemNo, EOL_itemNo, R_M_GOODS, TEXT, ALWAYS},
    {EIL_itemName, EOL_itemName, R_M_GOODS, TEXT, IF_A},
    {EIL_qty, EOL_qty, R_M_GOODS, DEC, ALWAYS},
    {EIL_price, EOL_price, R_M_GOODS, DEC, ALWAYS},
    {EIL_totalPrice, EOL_totalPrice, R_M_GOODS, DEC, ALWAYS},
    {EIL_currency, EOL_currency, R_M_GOODS, TEXT, ALWAYS},
    {EIL_unit, EOL_unit, R_M_GOODS, TEXT, ALWAYS},
};

#define NPAIRS(t) (sizeof(t) / sizeof((t)[0]))

/* ---- helpers ---- */

/* The head record of an entity when it is of the expected definition; a document of another
 * type cannot be matched and counts as absent. */
static const struct ceb_node *head_of(const struct ceb_node *entity, const struct ceb_def *def)
{
	const struct ceb_node *h = ceb_entity_head(entity);
	return h && h->def == def ? h : NULL;
}

static const char *field_name(const struct ceb_node *rec, int k)
{
	return rec->def->fields[k].name;
}

static const char *fpath(struct mctx *c, const struct ceb_node *rec, int k)
{
	return ceb_node_path(c->a, rec, k >= 0 ? field_name(rec, k) : NULL);
}

static uint32_t fline(const struct ceb_node *rec, int k)
{
	return rec->vals[k].p ? rec->vals[k].line : rec->line;
}

static const char *shown_zh(const struct ceb_val *v)
{
	return v->p ? v->p : "（未填写）";
}

static const char *shown_en(const struct ceb_val *v)
{
	return v->p ? v->p : "(absent)";
}

/* "电商平台代码1234560TST、订单编号TESTORD…" and "ebpCode 1234560TST, orderNo TESTORD…". */
static const char *key_zh(struct mctx *c, const struct doc *d)
{
	const struct ceb_node *k = d->keyrec;
	return arena_printf(c->a, "%s%s、%s%s", k->def->fields[d->key[0]].zh,
	                    shown_zh(&k->vals[d->key[0]]), k->def->fields[d->key[1]].zh,
	                    shown_zh(&k->vals[d->key[1]]));
}

static const char *key_en(struct mctx *c, const struct doc *d)
{
	const struct ceb_node *k = d->keyrec;
	return arena_printf(c->a, "%s %s, %s %s", field_name(k, d->key[0]),
	                    shown_en(&k->vals[d->key[0]]), field_name(k, d->key[1]),
	                    shown_en(&k->vals[d->key[1]]));
}

static struct doc doc_of(const struct ceb_node *head, const char *zh, const char *en, int k1,
                         int k2)
{
	return (struct doc){head, head, zh, en, {k1, k2}};
}

/* a == b after rounding both to 0.01. dec_round() needs a rounded result that fits; at the
 * very ends of the range only exact equality counts. */
static bool same_cents(__int128 a, int64_t b)
{
	const __int128 lo = INT64_MIN + DEC_SCALE, hi = INT64_MAX - DEC_SCALE;
	if (a < lo || a > hi || b < lo || b > hi)
		return a == b;
	return dec_round((int64_t)a, 2) == dec_round(b, 2);
}

static bool same(const struct ceb_node *ra, int a, const struct ceb_node *rb, int b, enum how how)
{
	int64_t x, y;
	/* A value the format layer rejects is compared as text: no second finding for it when
	 * both sides carry the same text. */
	if (how != TEXT && ceb_dec_of(ra, a, &x) && ceb_dec_of(rb, b, &y))
		return how == DEC ? x == y : same_cents(x, y);
	return ceb_val_eq(&ra->vals[a], &rb->vals[b]);
}

/* Record a finding from two sentences built in the arena (NULL when out of memory). */
static void report(struct mctx *c, enum ceb_rule_id rule, const char *path, uint32_t line,
                   const char *zh, const char *en)
{
	if (path && zh && en)
		ceb_report_text(c->f, rule, path, line, zh, en);
}

static void report_diff(struct mctx *c, enum ceb_rule_id rule, const struct doc *da, int a,
                        const struct doc *db, int b)
{
	const struct ceb_node *ra = da->rec, *rb = db->rec;
	const struct ceb_val *va = &ra->vals[a], *vb = &rb->vals[b];
	const char *zh =
	    arena_printf(c->a, "%s的%s（%s）为“%s”，%s（%s）的%s为“%s”，两者不一致", da->zh,
	                 field_name(ra, a), ra->def->fields[a].zh, shown_zh(va), db->zh,
	                 key_zh(c, db), field_name(rb, b), shown_zh(vb));
	const char *en = arena_printf(c->a, "%s in %s is \"%s\", but %s in %s (%s) is \"%s\"",
	                              field_name(ra, a), da->en, shown_en(va), field_name(rb, b),
	                              db->en, key_en(c, db), shown_en(vb));
	report(c, rule, fpath(c, ra, a), fline(ra, a), zh, en);
}

/* Every row of the table that disagrees becomes a finding on da's field. */
static void compare(struct mctx *c, const struct doc *da, const struct doc *db,
                    const struct pair *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct pair *p = &t[i];
		if (p->when == IF_A && !ceb_val_filled(&da->rec->vals[p->a]))
			continue;
		if (p->when == IF_B && !ceb_val_filled(&db->rec->vals[p->b]))
			continue;
		if (!same(da->rec, p->a, db->rec, p->b, p->how))
			report_diff(c, p->rule, da, p->a, db, p->b);
	}
}

/* The document the list needs was not given: one finding on the list's key field. */
static void report_missing(struct mctx *c, enum ceb_rule_id rule, const struct doc *list,
                           const char *what_zh, const char *what_en)
{
	const struct ceb_node *h = list->rec;
	const char *zh =
	    arena_printf(c->a, "未找到%s对应的%s（%s）", list->zh, what_zh, key_zh(c, list));
	const char *en =
	    arena_printf(c->a, "no %s found for %s (%s)", what_en, list->en, key_en(c, list));
	report(c, rule, fpath(c, h, list->key[1]), fline(h, list->key[1]), zh, en);
}

/* ---- goods lines (M-08) ---- */

/* How the lines of a list and of its order are laid out. */
struct lineset {
	const struct ceb_node *entity; /* the list's business entity (path for missing lines) */
	const struct ceb_node *list_lines, *order_lines;
	int list_gnum, order_gnum;
	const struct pair *pairs;
	size_t npairs;
};

static bool same_gnum(const struct lineset *s, const struct ceb_node *l, const struct ceb_node *o)
{
	return same(l, s->list_gnum, o, s->order_gnum, DEC);
}

static const char *gnum_text(struct mctx *c, const struct ceb_node *l, int g)
{
	return l->vals[g].p ? l->vals[g].p : arena_printf(c->a, "#%u", l->ordinal);
}

static void match_lines(struct mctx *c, const struct lineset *s, const struct doc *list,
                        const struct doc *order)
{
	unsigned nl = 0, no = 0, unmatched = 0;
	for (const struct ceb_node *l = s->list_lines; l; l = l->next) {
		nl++;
		const struct ceb_node *o = s->order_lines;
		while (o && !same_gnum(s, l, o))
			o = o->next;
		const char *g = gnum_text(c, l, s->list_gnum);
		if (!o) {
			unmatched++;
			report(c, R_M_GOODS, fpath(c, l, s->list_gnum), fline(l, s->list_gnum),
			       arena_printf(c->a, "%s第%s项在%s（%s）中没有商品序号相同的商品",
			                    list->zh, g, order->zh, key_zh(c, order)),
			       arena_printf(
			           c->a, "line %s of %s has no line with the same gnum in %s (%s)",
			           g, list->en, order->en, key_en(c, order)));
			continue;
		}
		struct doc dl = {l,
		                 list->keyrec,
		                 arena_printf(c->a, "%s第%s项", list->zh, g),
		                 arena_printf(c->a, "line %s of %s", g, list->en),
		                 {list->key[0], list->key[1]}};
		struct doc dord = {o,
		                   order->keyrec,
		                   arena_printf(c->a, "%s第%s项", order->zh, g),
		                   arena_printf(c->a, "line %s of %s", g, order->en),
		                   {order->key[0], order->key[1]}};
		if (dl.zh && dl.en && dord.zh && dord.en)
			compare(c, &dl, &dord, s->pairs, s->npairs);
	}
	const char *at = ceb_node_path(c->a, s->entity, NULL);
	for (const struct ceb_node *o = s->order_lines; o; o = o->next) {
		no++;
		const struct ceb_node *l = s->list_lines;
		while (l && !same_gnum(s, l, o))
			l = l->next;
		if (l)
			continue;
		unmatched++;
		const char *g = gnum_text(c, o, s->order_gnum);
		/* The list lacks the line, so the finding is on the list itself. */
		report(c, R_M_GOODS, at, s->entity->line,
		       arena_printf(c->a, "%s（%s）第%s项在%s中没有商品序号相同的商品", order->zh,
		                    key_zh(c, order), g, list->zh),
		       arena_printf(c->a, "line %s of %s (%s) has no line with the same gnum in %s",
		                    g, order->en, key_en(c, order), list->en));
	}
	/* Unequal counts with every line paired means repeated gnums (X-04 names them). */
	if (nl != no && !unmatched)
		report(c, R_M_GOODS, at, s->entity->line,
		       arena_printf(c->a, "%s有%u项商品，%s（%s）有%u项", list->zh, nl, order->zh,
		                    key_zh(c, order), no),
		       arena_printf(c->a, "%s has %u lines, %s (%s) has %u", list->en, nl,
		                    order->en, key_en(c, order), no));
}

/* ---- the list's line totals add up to the order's goodsValue ---- */

static const char *fmt_wide(struct mctx *c, __int128 v)
{
	char b[DEC_FMT_MAX];
	if (v >= INT64_MIN && v <= INT64_MAX)
		return arena_strdup(c->a, dec_format((int64_t)v, b));
	unsigned __int128 u = v < 0 ? -(unsigned __int128)v : (unsigned __int128)v;
	int64_t frac = (int64_t)(u % DEC_SCALE);
	dec_format(frac, b); /* "0" or "0.xxxxx" */
	unsigned __int128 ip = u / DEC_SCALE;
	char digits[48];
	size_t n = sizeof digits;
	digits[--n] = '\0';
	do {
		digits[--n] = (char)('0' + (int)(ip % 10));
		ip /= 10;
	} while (ip);
	return arena_printf(c->a, "%s%s%s", v < 0 ? "-" : "", digits + n, frac ? b + 1 : "");
}

static void check_goods_sum(struct mctx *c, const struct ceb_node *entity,
                            const struct ceb_node *lines, const struct doc *order)
{
	__int128 sum = 0;
	for (const struct ceb_node *l = lines; l; l = l->next) {
		int64_t t;
		if (!ceb_dec_of(l, IIL_totalPrice, &t))
			return; /* an unreadable total is the format layer's finding */
		sum += t;
	}
	int64_t goods;
	if (!lines || !ceb_dec_of(order->rec, IOH_goodsValue, &goods) || same_cents(sum, goods))
		return;
	const char *s = fmt_wide(c, sum);
	const char *g = order->rec->vals[IOH_goodsValue].p;
	report(c, R_X_INV_SUM, ceb_node_path(c->a, entity, NULL), entity->line,
	       arena_printf(c->a, "清单各项总价之和%s不等于订单（%s）的商品价格goodsValue %s", s,
	                    key_zh(c, order), g),
	       arena_printf(c->a,
	                    "the list lines' totalPrice add up to %s, not to goodsValue %s of the "
	                    "order (%s)",
	                    s, g, key_en(c, order)));
}

/* ---- entry points ---- */

void match_import(const struct ceb_node *order, const struct ceb_node *payment,
                  const struct ceb_node *waybill, const struct ceb_node *inventory,
                  const struct match_opts *o, struct ceb_findings *f)
{
	struct match_opts dflt;
	if (!o) {
		match_opts_default(&dflt);
		o = &dflt;
	}
	const struct ceb_node *ih = head_of(inventory, &ceb_def_IIH);
	if (!ih)
		return; /* nothing to match */
	const struct ceb_node *oh = head_of(order, &ceb_def_IOH);
	const struct ceb_node *ph = head_of(payment, &ceb_def_IPH);
	const struct ceb_node *wh = head_of(waybill, &ceb_def_ILH);
	struct mctx c = {f, f->arena};

	struct doc dl = doc_of(ih, "清单", "the list", IIH_ebpCode, IIH_orderNo);
	struct doc dlw = doc_of(ih, "清单", "the list", IIH_logisticsCode, IIH_logisticsNo);
	struct doc dord = doc_of(oh, "订单", "the order", IOH_ebpCode, IOH_orderNo);
	struct doc dpay = doc_of(ph, "支付单", "the payment", IPH_payCode, IPH_payTransactionId);
	struct doc dway = doc_of(wh, "运单", "the waybill", ILH_logisticsCode, ILH_logisticsNo);

	if (!oh)
		report_missing(&c, R_M_ORDER, &dl, "订单", "order");
	if (!ph)
		report_missing(&c, R_M_PAYMENT, &dl, "支付单", "payment");
	if (!wh)
		report_missing(&c, R_M_WAYBILL, &dlw, "运单", "waybill");

	if (oh)
		compare(&c, &dl, &dord, k_list_order, NPAIRS(k_list_order));
	if (ph)
		compare(&c, &dl, &dpay, k_list_payment, NPAIRS(k_list_payment));
	if (wh)
		compare(&c, &dl, &dway, k_list_waybill, NPAIRS(k_list_waybill));
	if (ph && oh) {
		compare(&c, &dpay, &dord, k_payment_order, NPAIRS(k_payment_order));
		if (o->payer_is_buyer)
			compare(&c, &dpay, &dord, k_payer_buyer, NPAIRS(k_payer_buyer));
	}
	if (wh && oh)
		compare(&c, &dway, &dord, k_waybill_order, NPAIRS(k_waybill_order));
	if (oh) {
		struct lineset s = {inventory,
		                    ceb_entity_lines(inventory),
		                    ceb_entity_lines(order),
		                    IIL_gnum,
		                    IOL_gnum,
		                    k_list_line,
		                    NPAIRS(k_list_line)};
		match_lines(&c, &s, &dl, &dord);
		check_goods_sum(&c, inventory, s.list_lines, &dord);
	}
}

void match_export(const struct ceb_node *order, const struct ceb_node *waybill,
                  const struct ceb_node *inventory, const struct ceb_node *receipts,
                  const struct match_opts *o, struct ceb_findings *f)
{
	(void)o; /* no export option yet */
	const struct ceb_node *ih = head_of(inventory, &ceb_def_EIH);
	if (!ih)
		return;
	const struct ceb_node *oh = head_of(order, &ceb_def_EOH);
	const struct ceb_node *wh = head_of(waybill, &ceb_def_ELG);
	const struct ceb_node *rh = head_of(receipts, &ceb_def_ERC);
	struct mctx c = {f, f->arena};

	struct doc dl = doc_of(ih, "清单", "the list", EIH_ebpCode, EIH_orderNo);
	struct doc dlw = doc_of(ih, "清单", "the list", EIH_logisticsCode, EIH_logisticsNo);
	struct doc dord = doc_of(oh, "订单", "the order", EOH_ebpCode, EOH_orderNo);
	struct doc dway = doc_of(wh, "运单", "the waybill", ELG_logisticsCode, ELG_logisticsNo);
	struct doc drc = doc_of(rh, "收款单", "the collection note", ERC_ebcCode, ERC_orderNo);

	if (!oh)
		report_missing(&c, R_M_ORDER, &dl, "订单", "order");
	if (!wh)
		report_missing(&c, R_M_WAYBILL, &dlw, "运单", "waybill");

	if (oh)
		compare(&c, &dl, &dord, k_elist_order, NPAIRS(k_elist_order));
	if (wh)
		compare(&c, &dl, &dway, k_elist_waybill, NPAIRS(k_elist_waybill));
	if (rh)
		compare(&c, &dl, &drc, k_elist_receipts, NPAIRS(k_elist_receipts));
	if (oh) {
		struct lineset s = {inventory,
		                    ceb_entity_lines(inventory),
		                    ceb_entity_lines(order),
		                    EIL_gnum,
		                    EOL_gnum,
		                    k_elist_line,
		                    NPAIRS(k_elist_line)};
		match_lines(&c, &s, &dl, &dord);
	}
}
