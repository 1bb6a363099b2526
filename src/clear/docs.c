#include "clear/docs.h"

#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"

static const struct doc_type types[] = {
	/* import */
	{311, 312, DOC_R_ORDER, {"ebpCode", "orderNo"}, {"ebpCode", "orderNo"}, "订单", "order"},
	{411, 412, DOC_R_PAYMENT, {"payCode", "payTransactionId"}, {"ebpCode", "orderNo"}, "支付凭证", "payment"},
	{511, 512, DOC_R_WAYBILL, {"logisticsCode", "logisticsNo"}, {"logisticsCode", "logisticsNo"}, "运单", "waybill"},
	{513, 514, DOC_R_OTHER, {"logisticsCode", "logisticsNo"}, {0}, "运单状态", "waybill status"},
	{621, 622, DOC_R_LIST, {"ebpCode", "orderNo"}, {"logisticsCode", "logisticsNo"}, "进口清单", "import list"},
	{623, 624, DOC_R_CANCEL, {"invtNo"}, {"invtNo"}, "撤销申请单", "cancellation"},
	{625, 626, DOC_R_REFUND, {"invtNo", "guid"}, {"invtNo"}, "退货申请单", "return"},
	{711, 712, DOC_R_OTHER, {"operatorCode", "guid"}, {0}, "入库明细单", "arrival tally"},
	/* export */
	{303, 304, DOC_R_ORDER, {"ebpCode", "orderNo"}, {"ebpCode", "orderNo"}, "出口订单", "export order"},
	{403, 404, DOC_R_PAYMENT, {"ebcCode", "orderNo"}, {"ebcCode", "orderNo"}, "收款单", "collection note"},
	{505, 506, DOC_R_WAYBILL, {"logisticsCode", "logisticsNo"}, {"logisticsCode", "logisticsNo"}, "出口运单", "export waybill"},
	{507, 508, DOC_R_OTHER, {"operatorCode", "copNo"}, {0}, "运抵单", "arrival report"},
	{509, 510, DOC_R_OTHER, {"logisticsCode", "copNo"}, {0}, "离境单", "departure report"},
	{603, 604, DOC_R_LIST, {"ebpCode", "orderNo"}, {"logisticsCode", "logisticsNo"}, "出口清单", "export list"},
	{605, 606, DOC_R_CANCEL, {"invtNo"}, {"invtNo"}, "出口撤销申请单", "export cancellation"},
	{607, 608, DOC_R_OTHER, {"agentCode", "copNo"}, {0}, "清单总分单", "waybill list"},
	{701, 702, DOC_R_OTHER, {"agentCode", "copNo"}, {0}, "汇总申请单", "summary application"},
	{213, 214, DOC_R_REFUND, {"invtNo", "guid"}, {"invtNo"}, "出口退货申请单", "export return"},
	{215, 216, DOC_R_OTHER, {"operatorCode", "guid"}, {0}, "退货理货明细单", "return tally"},
};

const struct doc_type *doc_type_of(int code)
{
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		if (types[i].code == code)
			return &types[i];
	return NULL;
}

static const char *join(struct arena *a, const char *const fields[3], const struct ceb_node *h)
{
	struct buf b = BUF_INIT;
	for (int i = 0; i < 3 && fields[i]; i++) {
		int k = ceb_def_field(h->def, fields[i], strlen(fields[i]));
		if (i)
			buf_putc(&b, '|');
		if (k >= 0 && h->vals[k].p)
			buf_put(&b, h->vals[k].p, h->vals[k].n);
	}
	const char *s = arena_strndup(a, b.p ? b.p : "", b.n);
	buf_free(&b);
	return s;
}

const char *doc_key(struct arena *a, const struct doc_type *t, const struct ceb_node *head)
{
	return join(a, t->key, head);
}

const char *doc_link(struct arena *a, const struct doc_type *t, const struct ceb_node *head)
{
	return t->link[0] ? join(a, t->link, head) : NULL;
}

const struct doc_type *doc_type_of_receipt(int code)
{
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		if (types[i].receipt == code)
			return &types[i];
	return NULL;
}

const char *doc_receipt_key(struct arena *a, const struct doc_type *t, const struct ceb_node *ret)
{
	for (int i = 0; i < 3 && t->key[i]; i++) {
		int k = ceb_def_field(ret->def, t->key[i], strlen(t->key[i]));
		if (k < 0 || !ret->vals[k].p || !ret->vals[k].n)
			return NULL;
	}
	return join(a, t->key, ret);
}

/* Receipt guids need to be unique, not secret: a per-thread xoshiro256** seeded once from
 * the system's CSPRNG is as unique as RAND_bytes and costs nothing per receipt. */
static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t next64(void)
{
	static _Thread_local uint64_t s[4];
	static _Thread_local bool seeded;
	if (!seeded) {
		if (RAND_bytes((unsigned char *)s, sizeof s) != 1 || !(s[0] | s[1] | s[2] | s[3])) {
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			s[0] = (uint64_t)ts.tv_nsec ^ 0x9E3779B97F4A7C15ull;
			s[1] = (uint64_t)ts.tv_sec;
			s[2] = (uint64_t)(uintptr_t)&seeded;
			s[3] = 1;
		}
		seeded = true;
	}
	uint64_t r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return r;
}

void doc_new_guid(char out[37])
{
	unsigned char r[16];
	uint64_t a = next64(), b = next64();
	memcpy(r, &a, 8);
	memcpy(r + 8, &b, 8);
	r[6] = (unsigned char)((r[6] & 0x0F) | 0x40); /* version 4 */
	r[8] = (unsigned char)((r[8] & 0x3F) | 0x80);
	static const char hex[] = "0123456789ABCDEF";
	int o = 0;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[r[i] >> 4];
		out[o++] = hex[r[i] & 15];
	}
	out[o] = '\0';
}

static void beijing(int64_t ms, struct tm *tm)
{
	time_t t = (time_t)(ms / 1000) + 8 * 3600; /* customs times are China Standard Time */
	gmtime_r(&t, tm);
}

void doc_time14(int64_t ms, char out[15])
{
	struct tm tm;
	beijing(ms, &tm);
	/* strftime bounds every field, unlike a printf of ints */
	if (strftime(out, 15, "%Y%m%d%H%M%S", &tm) != 14)
		memcpy(out, "19700101000000", 15);
}

void doc_time17(int64_t ms, char out[18])
{
	doc_time14(ms, out);
	int milli = (int)(ms % 1000);
	out[14] = (char)('0' + milli / 100);
	out[15] = (char)('0' + milli / 10 % 10);
	out[16] = (char)('0' + milli % 10);
	out[17] = '\0';
}

/* Cut text to at most max characters (UTF-8), ending with "…" when cut. */
static const char *cut_chars(struct arena *a, const char *s, size_t max)
{
	size_t chars = 0, i = 0, n = strlen(s);
	for (; i < n; i++) {
		if (((unsigned char)s[i] & 0xC0) != 0x80) {
			if (chars == max - 1)
				break;
			chars++;
		}
	}
	if (i >= n)
		return s;
	char *p = arena_alloc(a, i + 4);
	if (!p)
		return s;
	memcpy(p, s, i);
	memcpy(p + i, "…", 4); /* 3 bytes + NUL */
	return p;
}

struct ceb_msg *doc_receipt_new(struct arena *a, const struct doc_type *t)
{
	const struct ceb_msgtype *rt = ceb_msgtype_by_code(t->receipt);
	if (!rt)
		return NULL;
	struct ceb_msg *m = ceb_msg_new(a, rt);
	if (!m)
		return NULL;
	char guid[37];
	doc_new_guid(guid);
	m->guid.p = arena_strdup(a, guid);
	m->guid.n = 36;
	m->version.p = "1.0";
	m->version.n = 3;
	return m->guid.p ? m : NULL;
}

struct ceb_msg *doc_receipt(struct arena *a, const struct doc_type *t, const struct ceb_node *head,
			    const struct receipt_args *r)
{
	struct ceb_msg *m = doc_receipt_new(a, t);
	if (!m || doc_receipt_add(m, t, head, r) != 0)
		return NULL;
	return m;
}

int doc_receipt_add(struct ceb_msg *m, const struct doc_type *t, const struct ceb_node *head,
		    const struct receipt_args *r)
{
	struct arena *a = m->arena;
	struct ceb_node *e = ceb_node_add(m, m->root, 0);
	if (!e)
		return CBEC_ENOMEM;
	const struct ceb_def *d = e->def;
	char t17[18];
	doc_time17(r->now_ms, t17);
	for (int k = 0; k < d->nfields; k++) {
		const struct ceb_field *f = &d->fields[k];
		const char *v = NULL;
		if (!strcmp(f->name, "returnStatus"))
			v = r->status;
		else if (!strcmp(f->name, "returnTime"))
			v = t17;
		else if (!strcmp(f->name, "returnInfo"))
			v = cut_chars(a, r->info && *r->info ? r->info : r->status, 1000);
		else if (!strcmp(f->name, "preNo") && r->pre_no)
			v = r->pre_no;
		else if (!strcmp(f->name, "invtNo") && r->invt_no)
			v = r->invt_no;
		else {
			int hk = ceb_def_field(head->def, f->name, strlen(f->name));
			if (hk >= 0 && ceb_val_filled(&head->vals[hk])) {
				const struct ceb_val *hv = &head->vals[hk];
				/* never write a copy that breaks the receipt's own schema */
				size_t len = hv->n;
				if (f->maxlen && len > f->maxlen)
					continue;
				ceb_node_set(m, e, k, hv->p, len);
				continue;
			}
		}
		if (v)
			ceb_node_setz(m, e, k, v);
	}
	/* Receipt fields the schema requires but the head lacks (copNo of a list without one):
	 * the document key is the enterprise's best handle. */
	for (int k = 0; k < d->nfields; k++) {
		const struct ceb_field *f = &d->fields[k];
		if (!f->required || e->vals[k].p)
			continue;
		const char *key = doc_key(a, t, head);
		size_t len = strlen(key);
		/* An exact-length number is never made from a cut key. The e-port number (preNo
		 * C18) a receipt must carry and the caller did not give (a 702's): made as the
		 * e-port would, B + date + 9 digits, from the key so a resend gets the same. */
		if (!strcmp(f->name, "preNo") && f->minlen == 18 && f->maxlen == 18) {
			char pre[32], day[15];
			uint32_t h = 2166136261u;
			for (const char *p = key; *p; p++)
				h = (h ^ (unsigned char)*p) * 16777619u;
			doc_time14(r->now_ms, day);
			snprintf(pre, sizeof pre, "B%.8s%09u", day, (unsigned)(h % 1000000000u));
			ceb_node_setz(m, e, k, pre);
			continue;
		}
		if (f->minlen == f->maxlen && f->maxlen && len != f->maxlen)
			continue;
		if (f->maxlen && len > f->maxlen)
			len = f->maxlen;
		ceb_node_set(m, e, k, key, len);
	}
	return 0;
}

const char *doc_findings_info(struct arena *a, const char *code, const char *desc,
			      const struct ceb_findings *f)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "[Code:%s;Desc:%s]", code, desc);
	for (const struct ceb_finding *x = f ? f->head : NULL; x; x = x->next) {
		if (x->sev != CEB_SEV_ERROR)
			continue;
		buf_printf(&b, " [%s] %s: %s (%s)", ceb_rules[x->rule].id, x->path, x->zh, x->en);
	}
	for (const struct ceb_finding *x = f ? f->head : NULL; x; x = x->next)
		if (x->sev == CEB_SEV_WARN)
			buf_printf(&b, " [%s warning] %s: %s", ceb_rules[x->rule].id, x->path, x->zh);
	const char *s = arena_strndup(a, b.p ? b.p : "", b.n);
	buf_free(&b);
	return s ? cut_chars(a, s, 1000) : "";
}

/* Customs error codes of spec table 7-2 for the rules that mirror them. */
static const struct {
	enum ceb_rule_id rule;
	int code; /* declaration code the customs number applies to, 0 = any */
	const char *err;
} reject_codes[] = {
	{R_L_SINGLE, 0, "-621005"},   {R_L_ANNUAL, 0, "-621018"},   {R_GNUM, 311, "-301002"},
	{R_GNUM, 621, "-621027"},     {R_SIG_DIGEST, 0, "-621028"}, {R_SIG_VALUE, 0, "-621029"},
	{R_LIMIT_COUNT, 311, "-301015"}, {R_LIMIT_COUNT, 621, "-621030"},
	{R_M_DUP, 311, "-301010"},    {R_M_DUP, 411, "-401007"},    {R_M_DUP, 511, "-504012"},
	{R_M_DUP, 621, "-621004"},    {R_M_USED, 311, "-301011"},   {R_M_USED, 411, "-401008"},
	{R_M_USED, 511, "-504016"},   {R_OLD, 311, "-301014"},      {R_OLD, 411, "-401012"},
	{R_D_CANCEL, 623, "-623005"}, {R_QTY2, 625, "-625009"},
};

const char *doc_reject_code(const struct doc_type *t, enum ceb_rule_id rule)
{
	for (size_t i = 0; i < sizeof reject_codes / sizeof reject_codes[0]; i++)
		if (reject_codes[i].rule == rule && (!reject_codes[i].code || (t && reject_codes[i].code == t->code)))
			return reject_codes[i].err;
	/* No customs number for this rule: 100 (退单, rejected) with the reason in returnInfo. */
	return "100";
}
