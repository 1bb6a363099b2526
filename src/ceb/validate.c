#include "ceb/validate.h"

#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "ceb/codes.h"
#include "ceb/dec.h"

/* One validation pass shares these. */
struct vctx {
	const struct ceb_msg *m;
	const struct ceb_validate_opts *o;
	struct ceb_findings *f;
	struct arena *a;
};

void ceb_validate_opts_default(struct ceb_validate_opts *o)
{
	o->import_1239 = false;
}

static const char *fpath(struct vctx *c, const struct ceb_node *n, int field)
{
	return ceb_node_path(c->a, n, field >= 0 ? n->def->fields[field].name : NULL);
}

static size_t utf8_chars(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			c++;
	return c;
}

static bool all_digits(const char *s, size_t n)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static bool is_hex_upper(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
}

bool ceb_guid_ok(const char *s, size_t n)
{
	if (n != 36)
		return false;
	for (size_t i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? s[i] != '-' : !is_hex_upper(s[i]))
			return false;
	}
	return true;
}

static int num(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

bool ceb_datetime_ok(const char *s, size_t n)
{
	if ((n != 8 && n != 14 && n != 17) || !all_digits(s, n))
		return false;
	int y = num(s, 4), mo = num(s + 4, 2), d = num(s + 6, 2);
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1900 || mo < 1 || mo > 12 || d < 1)
		return false;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d > mdays[mo - 1] + (mo == 2 && leap))
		return false;
	if (n >= 14 && (num(s + 8, 2) > 23 || num(s + 10, 2) > 59 || num(s + 12, 2) > 59))
		return false;
	return true;
}

bool ceb_idcard_ok(const char *s, size_t n)
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	static const char check[] = "10X98765432";
	if (n != 18 || !all_digits(s, 17) || !ceb_datetime_ok(s + 6, 8))
		return false;
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (s[i] - '0') * w[i];
	return s[17] == check[sum % 11];
}

bool ceb_dec_of(const struct ceb_node *rec, int field, int64_t *out)
{
	const struct ceb_val *v = &rec->vals[field];
	const struct ceb_field *fd = &rec->def->fields[field];
	if (!v->p)
		return false;
	if (fd->type == CEB_T_INT) {
		int64_t i;
		if (dec_parse_int(v->p, v->n, fd->digits, &i) != DEC_OK)
			return false;
		*out = i * DEC_SCALE;
		return true;
	}
	return dec_parse(v->p, v->n, fd->digits, fd->frac, out) == DEC_OK;
}

/* ---- field layer ---- */

static bool in_set(const struct ceb_val *v, const char *const *set)
{
	for (; *set; set++)
		if (ceb_val_is(v, *set))
			return true;
	return false;
}

static void check_type(struct vctx *c, const struct ceb_node *n, int k)
{
	const struct ceb_field *fd = &n->def->fields[k];
	const struct ceb_val *v = &n->vals[k];
	if (fd->type == CEB_T_STR) {
		if (fd->required && !ceb_val_filled(v))
			return; /* already "required field empty" */
		size_t len = utf8_chars(v->p, v->n);
		if (fd->minlen == fd->maxlen && fd->maxlen && len != fd->maxlen)
			ceb_report(c->f, R_LENGTH, fpath(c, n, k), v->line,
				   "%s（%s）须为%u个字符，实际%zu个", "%s (%s) must be %u characters, found %zu",
				   fd->name, fd->zh, fd->maxlen, len);
		else if (len < fd->minlen)
			ceb_report(c->f, R_LENGTH, fpath(c, n, k), v->line,
				   "%s（%s）至少%u个字符", "%s (%s) needs at least %u characters", fd->name,
				   fd->zh, fd->minlen);
		else if (fd->maxlen && len > fd->maxlen)
			ceb_report(c->f, R_LENGTH, fpath(c, n, k), v->line,
				   "%s（%s）最多%u个字符，实际%zu个", "%s (%s) allows at most %u characters, found %zu",
				   fd->name, fd->zh, fd->maxlen, len);
		return;
	}
	if (fd->type != CEB_T_DEC && fd->type != CEB_T_INT)
		return;
	if (fd->required && !ceb_val_filled(v))
		return;
	int64_t out;
	enum dec_err e = fd->type == CEB_T_DEC ? dec_parse(v->p, v->n, fd->digits, fd->frac, &out)
					       : dec_parse_int(v->p, v->n, fd->digits, &out);
	if (e == DEC_OK)
		return;
	char shown[48];
	snprintf(shown, sizeof shown, "%.*s%s", v->n > 40 ? 40 : (int)v->n, v->p, v->n > 40 ? "…" : "");
	if (e == DEC_SIGN)
		ceb_report(c->f, R_SIGN, fpath(c, n, k), v->line, "%s（%s）不得带符号或为负数：%s",
			   "%s (%s) must not be signed or negative: %s", fd->name, fd->zh, shown);
	else if (fd->type == CEB_T_INT)
		ceb_report(c->f, R_NUMBER, fpath(c, n, k), v->line,
			   "%s（%s）须为不超过%u位的整数（0为不限）：%s（%s）",
			   "%s (%s) must be an integer of at most %u digits (0: any): %s (%s)", fd->name,
			   fd->zh, fd->digits, shown, dec_strerror(e));
	else
		ceb_report(c->f, R_NUMBER, fpath(c, n, k), v->line,
			   "%s（%s）须为最多%u位有效数字、%u位小数的数值：%s（%s）",
			   "%s (%s) must be a decimal of at most %u digits with %u decimals: %s (%s)",
			   fd->name, fd->zh, fd->digits, fd->frac, shown, dec_strerror(e));
}

static const char *const k_retstatus[] = {"1",   "2",   "3",   "4",   "100", "120", "300",
					  "399", "400", "500", "501", "502", "503", "505",
					  "599", "600", "700", "800", "899", NULL};

static void check_code(struct vctx *c, const struct ceb_node *n, int k, enum ceb_codeset set,
		       enum ceb_rule_id rule, const char *what_zh, const char *what_en)
{
	const struct ceb_val *v = &n->vals[k];
	if (ceb_code_find(set, v->p, v->n))
		return;
	const char *name = n->def->fields[k].name;
	ceb_report_text(c->f, rule, fpath(c, n, k), v->line,
			arena_printf(c->a, "%s“%s”不在海关%s代码表中", name, v->p, what_zh),
			arena_printf(c->a, "%s \"%s\" is not in the customs %s table", name, v->p, what_en));
}

static int sibling(const struct ceb_node *n, const char *name)
{
	return ceb_def_field(n->def, name, strlen(name));
}

static void check_fmt(struct vctx *c, const struct ceb_node *n, int k)
{
	const struct ceb_field *fd = &n->def->fields[k];
	const struct ceb_val *v = &n->vals[k];
	bool import = c->m->type->side == CEB_SIDE_IMPORT;
	const char *name = fd->name;
	switch ((enum ceb_fmt)fd->fmt) {
	case CEB_FMT_NONE: break;
	case CEB_FMT_GUID:
		if (!ceb_guid_ok(v->p, v->n))
			ceb_report(c->f, R_GUID, fpath(c, n, k), v->line,
				   "guid“%s”不是36位大写UUID（8-4-4-4-12，0-9A-F）",
				   "guid \"%s\" is not a 36-character upper-case UUID (8-4-4-4-12, 0-9A-F)",
				   v->p);
		break;
	case CEB_FMT_APPTYPE: {
		static const char *const set[] = {"1", "2", "3", NULL};
		if (!in_set(v, set))
			ceb_report(c->f, R_APPTYPE, fpath(c, n, k), v->line, "appType为“%s”",
				   "appType is \"%s\"", v->p);
		break;
	}
	case CEB_FMT_APPSTATUS: {
		static const char *const set[] = {"1", "2", NULL};
		if (!in_set(v, set))
			ceb_report(c->f, R_APPSTATUS, fpath(c, n, k), v->line, "appStatus为“%s”",
				   "appStatus is \"%s\"", v->p);
		break;
	}
	case CEB_FMT_TIME14:
	case CEB_FMT_DATE8:
	case CEB_FMT_TIME17: {
		unsigned want = fd->fmt == CEB_FMT_DATE8 ? 8 : fd->fmt == CEB_FMT_TIME14 ? 14 : 17;
		const char *layout = want == 8 ? "YYYYMMDD" : want == 14 ? "YYYYMMDDhhmmss" : "YYYYMMDDhhmmssSSS";
		if (v->n != want || !ceb_datetime_ok(v->p, v->n))
			ceb_report(c->f, R_DATE, fpath(c, n, k), v->line,
				   "%s“%s”不是%s格式的真实日期时间", "%s \"%s\" is not a real %s date/time",
				   name, v->p, layout, layout);
		break;
	}
	case CEB_FMT_CURRENCY:
		if (import && c->m->type->role == CEB_ROLE_DECL) {
			if (!ceb_val_is(v, "142"))
				ceb_report(c->f, R_CURRENCY_CNY, fpath(c, n, k), v->line,
					   "%s为“%s”，进口须为142（人民币）",
					   "%s is \"%s\"; imports are in 142 (CNY)", name, v->p);
		} else {
			check_code(c, n, k, CEB_CODES_CURRENCY, R_CODE, "币制", "currency");
		}
		break;
	case CEB_FMT_COUNTRY: check_code(c, n, k, CEB_CODES_COUNTRY, R_CODE, "国别（地区）", "country"); break;
	case CEB_FMT_UNIT: check_code(c, n, k, CEB_CODES_UNIT, R_CODE, "计量单位", "unit"); break;
	case CEB_FMT_CUSTOMS: check_code(c, n, k, CEB_CODES_CUSTOMS, R_CUSTOMS, "关区", "district"); break;
	case CEB_FMT_TRAFMODE: check_code(c, n, k, CEB_CODES_TRAFMODE, R_CODE, "运输方式", "transport mode"); break;
	case CEB_FMT_WRAPTYPE: check_code(c, n, k, CEB_CODES_WRAPTYPE, R_CODE, "包装种类", "packing type"); break;
	case CEB_FMT_HS:
		if (v->n != 10 || !all_digits(v->p, v->n))
			ceb_report(c->f, R_HS, fpath(c, n, k), v->line, "商品编码“%s”须为10位数字",
				   "gcode \"%s\" must be 10 digits", v->p);
		break;
	case CEB_FMT_DISTRICT:
		if (v->n != 6 || !all_digits(v->p, v->n))
			ceb_report(c->f, R_DISTRICT, fpath(c, n, k), v->line,
				   "行政区划代码“%s”须为6位数字", "consigneeDistrict \"%s\" must be 6 digits", v->p);
		break;
	case CEB_FMT_IDTYPE:
		if (!ceb_val_is(v, "1"))
			ceb_report(c->f, R_IDTYPE, fpath(c, n, k), v->line, "%s为“%s”，须为1（身份证）",
				   "%s is \"%s\"; it must be 1 (resident ID card)", name, v->p);
		break;
	case CEB_FMT_IDNUMBER: {
		/* Only a resident ID card (type 1) has a check digit to verify. */
		int t = sibling(n, name[0] == 'b' ? "buyerIdType" : "payerIdType");
		if (t >= 0 && ceb_val_is(&n->vals[t], "1") && !ceb_idcard_ok(v->p, v->n))
			ceb_report(c->f, R_IDNUMBER, fpath(c, n, k), v->line,
				   "%s不是有效的18位居民身份证号码（出生日期或校验位错误）",
				   "%s is not a valid 18-character resident ID number (birth date or check digit)",
				   name);
		break;
	}
	case CEB_FMT_IEFLAG:
		/* rules.md E-02 puts the export list's ieFlag = E with its tradeMode. */
		if (!ceb_val_is(v, import ? "I" : "E"))
			ceb_report(c->f, n->def == &ceb_def_EIH ? R_E_TRADEMODE : R_IEFLAG,
				   fpath(c, n, k), v->line, "ieFlag为“%s”，应为%s",
				   "ieFlag is \"%s\"; it must be %s", v->p, import ? "I" : "E");
		break;
	case CEB_FMT_ORDERTYPE:
		if (import) {
			if (!ceb_val_is(v, "I"))
				ceb_report(c->f, R_IEFLAG, fpath(c, n, k), v->line,
					   "进口订单类型为“%s”，须为I", "import orderType is \"%s\"; it must be I", v->p);
		} else {
			static const char *const set[] = {"E", "B", "W", NULL};
			if (!in_set(v, set))
				ceb_report(c->f, R_E_ORDERTYPE, fpath(c, n, k), v->line,
					   "出口订单类型为“%s”", "export orderType is \"%s\"", v->p);
		}
		break;
	case CEB_FMT_TRADEMODE:
		if (import) {
			static const char *const set[] = {"9610", "1210", NULL};
			if (!in_set(v, set) && !(c->o->import_1239 && ceb_val_is(v, "1239")))
				ceb_report(c->f, R_TRADEMODE, fpath(c, n, k), v->line,
					   "贸易方式为“%s”", "tradeMode is \"%s\"", v->p);
		} else {
			static const char *const set[] = {"9610", "1210", "1239", "9710", "9810", NULL};
			if (!in_set(v, set))
				ceb_report(c->f, R_E_TRADEMODE, fpath(c, n, k), v->line,
					   "贸易方式为“%s”", "tradeMode is \"%s\"", v->p);
		}
		break;
	case CEB_FMT_STATFLAG: {
		static const char *const set[] = {"A", "B", NULL};
		if (!in_set(v, set))
			ceb_report(c->f, R_E_STATFLAG, fpath(c, n, k), v->line,
				   "申报业务类型为“%s”", "statisticsFlag is \"%s\"", v->p);
		break;
	}
	case CEB_FMT_FEEFLAG:
		/* rules.md E-04 lists 1 rate, 2 unit price, 3 total; the 2022 schema fixes the
		 * export list's flags at 3, and the schema is the authority. */
		if (!ceb_val_is(v, "3"))
			ceb_report(c->f, R_E_FEEFLAG, fpath(c, n, k), v->line,
				   "%s为“%s”，2022版报文规范固定为3（总价）",
				   "%s is \"%s\"; the 2022 schema fixes it at 3 (total)", name, v->p);
		break;
	case CEB_FMT_LOGSTATUS:
		if (!ceb_val_is(v, "S"))
			ceb_report(c->f, R_LOGSTATUS, fpath(c, n, k), v->line,
				   "运单状态为“%s”", "logisticsStatus is \"%s\"", v->p);
		break;
	case CEB_FMT_DXPMODE:
		if (!ceb_val_is(v, "DXP"))
			ceb_report(c->f, R_DXP, fpath(c, n, k), v->line, "dxpMode为“%s”",
				   "dxpMode is \"%s\"", v->p);
		break;
	case CEB_FMT_RETSTATUS: {
		bool neg = v->n > 1 && v->p[0] == '-' && all_digits(v->p + 1, v->n - 1);
		if (!neg && !in_set(v, k_retstatus))
			ceb_report(c->f, R_RETSTATUS, fpath(c, n, k), v->line,
				   "回执状态“%s”不是规范列出的状态码",
				   "returnStatus \"%s\" is not a status code the spec lists", v->p);
		break;
	}
	}
}

static void check_record_fields(struct vctx *c, const struct ceb_node *n)
{
	for (int k = 0; k < n->def->nfields; k++) {
		const struct ceb_val *v = &n->vals[k];
		if (!v->p)
			continue;
		check_type(c, n, k);
		if (ceb_val_filled(v))
			check_fmt(c, n, k);
	}
}

/* ---- arithmetic and per-record rules ---- */

static const char *fmt_dec(struct vctx *c, int64_t v)
{
	char b[DEC_FMT_MAX];
	return arena_strdup(c->a, dec_format(v, b));
}

/* Sums of amounts are taken in 128 bits: every term fits the fixed-point range, their sum
 * need not. */
static const char *fmt_wide(struct vctx *c, __int128 v)
{
	if (v >= INT64_MIN && v <= INT64_MAX)
		return fmt_dec(c, (int64_t)v);
	unsigned __int128 u = v < 0 ? -(unsigned __int128)v : (unsigned __int128)v;
	char b[DEC_FMT_MAX];
	int64_t frac = (int64_t)(u % DEC_SCALE);
	dec_format(frac, b); /* "0" or "0.xxxxx" */
	return arena_printf(c->a, "%s%lld%s", v < 0 ? "-" : "", (long long)(u / DEC_SCALE),
			    frac ? b + 1 : "");
}

/* a = b after rounding both to 0.01. dec_round() needs a rounded result that
 * fits; at the very ends of the range only exact equality counts. */
static bool same_cents(__int128 a, int64_t b)
{
	const __int128 lo = INT64_MIN + DEC_SCALE, hi = INT64_MAX - DEC_SCALE;
	if (a < lo || a > hi || b < lo || b > hi)
		return a == b;
	return dec_round((int64_t)a, 2) == dec_round(b, 2);
}

/* gnum of the lines runs 1..n. */
static void check_gnum(struct vctx *c, const struct ceb_node *first)
{
	if (!first)
		return;
	int g = ceb_def_field(first->def, "gnum", 4);
	if (g < 0)
		return;
	/* A return's lines name the original list's lines (CEB625/213 gnum = the list's gnum),
	 * so there only a repeat is wrong; everywhere else gnum runs 1..n. */
	bool returned = first->def == &ceb_def_IRL || first->def == &ceb_def_EFL;
	if (returned) {
		for (const struct ceb_node *l = first; l; l = l->next)
			for (const struct ceb_node *m = first; m != l; m = m->next)
				if (ceb_val_eq(&m->vals[g], &l->vals[g]))
					ceb_report(c->f, R_GNUM, fpath(c, l, g), l->vals[g].line,
						   "退货商品序号%s重复", "returned line gnum %s is repeated",
						   l->vals[g].p ? l->vals[g].p : "");
		return;
	}
	uint32_t expect = 1;
	for (const struct ceb_node *l = first; l; l = l->next, expect++) {
		int64_t v;
		if (!ceb_dec_of(l, g, &v))
			continue;
		if (v != (int64_t)expect * DEC_SCALE)
			ceb_report(c->f, R_GNUM, fpath(c, l, g), l->vals[g].line,
				   "第%u项的商品序号为%s，应为%u", "line %u has gnum %s; expected %u", expect,
				   l->vals[g].p, expect);
	}
}

/* totalPrice = price x qty within 0.01, per line; returns the sum of totalPrice. */
static __int128 check_line_totals(struct vctx *c, const struct ceb_node *first, bool *complete)
{
	__int128 sum = 0;
	*complete = first != NULL;
	for (const struct ceb_node *l = first; l; l = l->next) {
		int fq = sibling(l, "qty"), fp = sibling(l, "price"), ft = sibling(l, "totalPrice");
		int64_t q, p, t, prod;
		if (fq < 0 || fp < 0 || ft < 0 || !ceb_dec_of(l, ft, &t)) {
			*complete = false;
			continue;
		}
		sum += t;
		if (!ceb_dec_of(l, fq, &q) || !ceb_dec_of(l, fp, &p))
			continue;
		if (dec_mul(p, q, &prod) != 0) {
			ceb_report(c->f, R_LINE_TOTAL, fpath(c, l, ft), l->vals[ft].line,
				   "单价乘以数量超出数值范围", "price x qty is out of range");
			continue;
		}
		int64_t diff = prod - t;
		if (diff < 0)
			diff = -diff;
		if (diff > DEC_SCALE / 100)
			ceb_report(c->f, R_LINE_TOTAL, fpath(c, l, ft), l->vals[ft].line,
				   "总价%s不等于单价%s×数量%s=%s", "totalPrice %s is not price %s x qty %s = %s",
				   fmt_dec(c, t), fmt_dec(c, p), fmt_dec(c, q), fmt_dec(c, prod));
	}
	return sum;
}

static void check_goods_sum(struct vctx *c, const struct ceb_node *head, int fgoods,
			    const struct ceb_node *lines)
{
	bool complete;
	__int128 sum = check_line_totals(c, lines, &complete);
	int64_t goods;
	if (!complete || fgoods < 0 || !ceb_dec_of(head, fgoods, &goods))
		return;
	if (!same_cents(sum, goods))
		ceb_report(c->f, R_GOODS_SUM, fpath(c, head, fgoods), head->vals[fgoods].line,
			   "商品价格%s不等于各项总价之和%s", "goodsValue %s is not the sum of the lines' totalPrice %s",
			   fmt_dec(c, goods), fmt_wide(c, sum));
}

/* X-01 on an import order head. */
static void check_paid(struct vctx *c, const struct ceb_node *h)
{
	int64_t goods, freight, discount, tax, paid;
	if (!ceb_dec_of(h, IOH_goodsValue, &goods) || !ceb_dec_of(h, IOH_freight, &freight) ||
	    !ceb_dec_of(h, IOH_discount, &discount) || !ceb_dec_of(h, IOH_taxTotal, &tax) ||
	    !ceb_dec_of(h, IOH_acturalPaid, &paid))
		return;
	__int128 expect = (__int128)goods + freight + tax - discount;
	if (!same_cents(expect, paid))
		ceb_report(c->f, R_PAID, fpath(c, h, IOH_acturalPaid), h->vals[IOH_acturalPaid].line,
			   "实际支付金额%s不等于%s+%s+%s-%s=%s",
			   "acturalPaid %s is not goodsValue %s + freight %s + taxTotal %s - discount %s = %s",
			   fmt_dec(c, paid), fmt_dec(c, goods), fmt_dec(c, freight), fmt_dec(c, tax),
			   fmt_dec(c, discount), fmt_wide(c, expect));
}

static void need(struct vctx *c, const struct ceb_node *n, int field, enum ceb_rule_id rule,
		 const char *why_zh, const char *why_en)
{
	if (ceb_val_filled(&n->vals[field]))
		return;
	const char *name = n->def->fields[field].name;
	ceb_report_text(c->f, rule, fpath(c, n, field), n->line,
			arena_printf(c->a, "%s须填写%s（%s）", why_zh, name, n->def->fields[field].zh),
			arena_printf(c->a, "%s requires %s", why_en, name));
}

static void check_weights(struct vctx *c, const struct ceb_node *h, int fgross, int fnet)
{
	int64_t g, n;
	if (!ceb_dec_of(h, fgross, &g) || !ceb_dec_of(h, fnet, &n))
		return;
	if (n <= 0 || g < n)
		ceb_report(c->f, R_WEIGHT, fpath(c, h, fgross), h->vals[fgross].line,
			   "毛重%s、净重%s：须毛重≥净重>0", "grossWeight %s, netWeight %s: need gross >= net > 0",
			   fmt_dec(c, g), fmt_dec(c, n));
}

static void check_qty2(struct vctx *c, const struct ceb_node *l, int fqty2, int funit2)
{
	bool has_unit = ceb_val_filled(&l->vals[funit2]);
	bool has_qty = ceb_val_filled(&l->vals[fqty2]);
	/* an unreadable qty2 is the format layer's F-01.12, not a missing or zero one */
	int64_t q = 0;
	bool readable = has_qty && ceb_dec_of(l, fqty2, &q);
	if (has_unit != has_qty || (readable && q <= 0))
		ceb_report(c->f, R_QTY2, fpath(c, l, has_unit ? fqty2 : funit2), l->line,
			   "第二数量与第二计量单位须同时填写且数量大于0",
			   "qty2 and unit2 must both be given, with qty2 above zero");
}

static void check_import_inventory(struct vctx *c, const struct ceb_node *inv)
{
	const struct ceb_node *h = ceb_entity_head(inv), *lines = ceb_entity_lines(inv);
	if (!h)
		return;
	int64_t pack;
	if (ceb_dec_of(h, IIH_packNo, &pack) && pack != DEC_SCALE)
		ceb_report(c->f, R_PACKNO, fpath(c, h, IIH_packNo), h->vals[IIH_packNo].line,
			   "件数为%s，进口清单须为1", "packNo is %s; an import list carries 1 parcel",
			   h->vals[IIH_packNo].p);
	const struct ceb_val *tm = &h->vals[IIH_tradeMode];
	if (ceb_val_is(tm, "1210") || ceb_val_is(tm, "1239")) {
		need(c, h, IIH_emsNo, R_BONDED, "1210清单", "a 1210 list");
		need(c, h, IIH_areaCode, R_BONDED, "1210清单", "a 1210 list");
		need(c, h, IIH_areaName, R_BONDED, "1210清单", "a 1210 list");
		if (ceb_val_filled(&h->vals[IIH_country]) && !ceb_val_is(&h->vals[IIH_country], "142"))
			ceb_report(c->f, R_BONDED, fpath(c, h, IIH_country), h->vals[IIH_country].line,
				   "1210清单起运国须为142，实际为%s", "a 1210 list has country 142, not %s",
				   h->vals[IIH_country].p);
		for (const struct ceb_node *l = lines; l; l = l->next)
			need(c, l, IIL_itemRecordNo, R_BONDED, "1210清单商品", "a 1210 list line");
	} else if (ceb_val_is(tm, "9610")) {
		need(c, h, IIH_trafNo, R_DIRECT, "9610清单", "a 9610 list");
		need(c, h, IIH_voyageNo, R_DIRECT, "9610清单", "a 9610 list");
		need(c, h, IIH_billNo, R_DIRECT, "9610清单", "a 9610 list");
		if (ceb_val_is(&h->vals[IIH_country], "142"))
			ceb_report(c->f, R_DIRECT, fpath(c, h, IIH_country), h->vals[IIH_country].line,
				   "9610直购进口的起运国不应为142", "a 9610 direct import ships from abroad, not 142");
	}
	check_weights(c, h, IIH_grossWeight, IIH_netWeight);
	bool complete;
	check_line_totals(c, lines, &complete);
	for (const struct ceb_node *l = lines; l; l = l->next) {
		check_qty2(c, l, IIL_qty2, IIL_unit2);
		if (!ceb_val_filled(&l->vals[IIL_barCode]))
			ceb_report(c->f, R_BARCODE, fpath(c, l, IIL_barCode), l->line,
				   "未填写条形码；无条形码时应填“无”", "barCode is empty; write 无 when there is none");
	}
}

static void check_export_inventory(struct vctx *c, const struct ceb_node *inv)
{
	const struct ceb_node *h = ceb_entity_head(inv), *lines = ceb_entity_lines(inv);
	if (!h)
		return;
	const struct ceb_val *tm = &h->vals[EIH_tradeMode];
	if (ceb_val_is(tm, "1210") || ceb_val_is(tm, "1239")) {
		need(c, h, EIH_emsNo, R_E_BONDED, "1210出口清单", "a 1210 export list");
		need(c, h, EIH_iacCode, R_E_BONDED, "1210出口清单", "a 1210 export list");
		need(c, h, EIH_iacName, R_E_BONDED, "1210出口清单", "a 1210 export list");
		for (const struct ceb_node *l = lines; l; l = l->next)
			need(c, l, EIL_itemRecordNo, R_E_BONDED, "1210出口清单商品", "a 1210 export list line");
	}
	const struct ceb_val *pod = &h->vals[EIH_POD];
	size_t podlen = ceb_val_filled(pod) ? utf8_chars(pod->p, pod->n) : 0;
	if (ceb_val_filled(pod) && (podlen < 3 || podlen > 4))
		ceb_report(c->f, R_E_FEEFLAG, fpath(c, h, EIH_POD), pod->line,
			   "指运港代码须为3至4位", "POD must be 3 to 4 characters");
	check_weights(c, h, EIH_grossWeight, EIH_netWeight);
	bool complete;
	check_line_totals(c, lines, &complete);
	for (const struct ceb_node *l = lines; l; l = l->next)
		check_qty2(c, l, EIL_qty2, EIL_unit2);
}

static void check_msgseq(struct vctx *c, const struct ceb_node *h)
{
	int fc = sibling(h, "msgCount"), fs = sibling(h, "msgSeqNo");
	int64_t cnt, seq;
	if (fc < 0 || fs < 0 || !ceb_dec_of(h, fc, &cnt) || !ceb_dec_of(h, fs, &seq))
		return;
	if (cnt < DEC_SCALE || seq < DEC_SCALE || seq > cnt)
		ceb_report(c->f, R_MSGSEQ, fpath(c, h, fs), h->vals[fs].line,
			   "报文序号%s须在1至报文总数%s之间", "msgSeqNo %s must lie between 1 and msgCount %s",
			   h->vals[fs].p, h->vals[fc].p);
}

static void check_period(struct vctx *c, const struct ceb_node *h)
{
	const struct ceb_val *s = &h->vals[ESH_startTime], *e = &h->vals[ESH_endTime];
	bool hs = ceb_val_filled(s), he = ceb_val_filled(e);
	if (hs != he)
		ceb_report(c->f, R_PERIOD, fpath(c, h, hs ? ESH_endTime : ESH_startTime), h->line,
			   "汇总开始时间和结束时间须同时填写", "startTime and endTime must be given together");
	else if (hs && s->n == e->n && memcmp(e->p, s->p, s->n) < 0)
		ceb_report(c->f, R_PERIOD, fpath(c, h, ESH_endTime), e->line,
			   "汇总结束时间%s早于开始时间%s", "endTime %s is before startTime %s", e->p, s->p);
}

/* Messages whose appStatus 2 (declare) needs a signature even where the schema makes the
 * element optional (schema annotations of appStatus). */
static const int k_sign_on_declare[] = {621, 623, 625, 607};

static void check_signature_needed(struct vctx *c)
{
	const struct ceb_msgtype *t = c->m->type;
	bool listed = false;
	for (size_t i = 0; i < sizeof k_sign_on_declare / sizeof k_sign_on_declare[0]; i++)
		listed |= k_sign_on_declare[i] == t->code;
	if (!listed)
		return;
	int ks = -1;
	for (int k = 0; k < t->def->nkids; k++)
		if (t->def->kids[k].def->kind == CEB_K_SIG)
			ks = k;
	if (ks < 0 || c->m->root->count[ks] > 0 || t->def->kids[ks].min > 0)
		return; /* present, or its absence was reported by the parser */
	for (const struct ceb_node *e = ceb_msg_entities(c->m); e; e = e->next) {
		const struct ceb_node *h = ceb_entity_head(e);
		int fa = h ? sibling(h, "appStatus") : -1;
		if (fa >= 0 && ceb_val_is(&h->vals[fa], "2")) {
			ceb_report(c->f, R_SIG_MISSING, ceb_node_path(c->a, c->m->root, "Signature"),
				   h->vals[fa].line, "appStatus为2（申报）时须带数字签名",
				   "appStatus 2 (declare) requires an XML signature");
			return;
		}
	}
}

static void walk(struct vctx *c, const struct ceb_node *n)
{
	if (n->def->kind == CEB_K_RECORD) {
		check_record_fields(c, n);
		return;
	}
	if (n->def->kind != CEB_K_GROUP)
		return;
	for (int k = 0; k < n->def->nkids; k++) {
		const struct ceb_node *first = n->first[k];
		for (const struct ceb_node *x = first; x; x = x->next)
			walk(c, x);
		/* repeated records with a gnum are goods lines */
		if (first && first->def->kind == CEB_K_RECORD && n->def->kids[k].max > 1)
			check_gnum(c, first);
	}
	/* Per-entity rules keyed by the head record's definition. */
	const struct ceb_node *h = n->def->nkids ? n->first[0] : NULL;
	if (!h || n == c->m->root)
		return;
	const struct ceb_def *hd = h->def;
	if (hd == &ceb_def_IOH) {
		check_paid(c, h);
		check_goods_sum(c, h, IOH_goodsValue, ceb_entity_lines(n));
	} else if (hd == &ceb_def_EOH) {
		check_goods_sum(c, h, EOH_goodsValue, ceb_entity_lines(n));
	} else if (hd == &ceb_def_IIH) {
		check_import_inventory(c, n);
	} else if (hd == &ceb_def_EIH) {
		check_export_inventory(c, n);
	} else if (hd == &ceb_def_ESH) {
		check_period(c, h);
		check_msgseq(c, h);
	} else if (hd == &ceb_def_EAH || hd == &ceb_def_EDH || hd == &ceb_def_EWH ||
		   hd == &ceb_def_EUH) {
		check_msgseq(c, h);
	}
}

/* Records that are entities by themselves (no wrapper) with their own rules. */
static void check_bare_entities(struct vctx *c)
{
	for (const struct ceb_node *e = ceb_msg_entities(c->m); e; e = e->next) {
		const struct ceb_node *h = ceb_entity_head(e);
		if (!h)
			continue;
		if (h->def == &ceb_def_ILH) {
			int64_t pack;
			if (ceb_dec_of(h, ILH_packNo, &pack) && pack != DEC_SCALE)
				ceb_report(c->f, R_PACKNO, fpath(c, h, ILH_packNo), h->vals[ILH_packNo].line,
					   "件数为%s，进口运单须为1", "packNo is %s; an import waybill carries 1 parcel",
					   h->vals[ILH_packNo].p);
		}
	}
}

void ceb_validate(const struct ceb_msg *m, const struct ceb_validate_opts *o, struct ceb_findings *f)
{
	struct ceb_validate_opts dflt;
	if (!o) {
		ceb_validate_opts_default(&dflt);
		o = &dflt;
	}
	struct vctx c = {m, o, f, f->arena};
	if (m->guid.p && !ceb_guid_ok(m->guid.p, m->guid.n))
		ceb_report(f, R_GUID, ceb_node_path(c.a, m->root, "@guid"), m->root->line,
			   "报文guid“%s”不是36位大写UUID", "message guid \"%s\" is not a 36-character upper-case UUID",
			   m->guid.p);
	size_t vlen = m->version.p ? utf8_chars(m->version.p, m->version.n) : 0;
	if (m->version.p && (vlen < 1 || vlen > 10))
		ceb_report(f, R_VERSION, ceb_node_path(c.a, m->root, "@version"), m->root->line,
			   "版本号须为1至10个字符", "version must be 1 to 10 characters");
	walk(&c, m->root);
	check_bare_entities(&c);
	check_signature_needed(&c);
}
