/* The 1210 bonded account's pure logic (rules.md §8): quantities, matching a list line to
 * its record, checking a stock-in. See bonded.h for the meaning of the three figures. */
#include "clear/bonded.h"

#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "ceb/codes.h"

const char *bonded_op_name(int op)
{
	static const char *const names[BONDED_OP__N] = {
	    [BONDED_CREDIT] = "credit",
	    [BONDED_RESERVE] = "reserve",
	    [BONDED_RELEASE] = "release",
	    [BONDED_DEBIT] = "debit",
	};
	return op > 0 && op < BONDED_OP__N ? names[op] : "?";
}

int64_t bonded_available(const struct bonded_qty *q)
{
	int64_t used, avail;
	if (__builtin_add_overflow(q->reserved, q->committed, &used) ||
	    __builtin_sub_overflow(q->balance, used, &avail))
		return INT64_MIN;
	return avail;
}

int bonded_apply(struct bonded_qty *q, enum bonded_op op, int64_t qty)
{
	if (qty <= 0)
		return CBEC_EINVAL;
	struct bonded_qty n = *q;
	switch (op) {
	case BONDED_CREDIT:
		if (__builtin_add_overflow(n.balance, qty, &n.balance))
			return CBEC_EINVAL;
		break;
	case BONDED_RESERVE:
		/* B-04: never more than what is neither held nor gone */
		if (bonded_available(q) < qty)
			return CBEC_EINVAL;
		n.reserved += qty;
		break;
	case BONDED_RELEASE:
		if (n.reserved < qty)
			return CBEC_EINVAL;
		n.reserved -= qty;
		break;
	case BONDED_DEBIT:
		if (n.reserved < qty || __builtin_add_overflow(n.committed, qty, &n.committed))
			return CBEC_EINVAL;
		n.reserved -= qty;
		break;
	default:
		return CBEC_EINVAL;
	}
	*q = n;
	return 0;
}

const char *bonded_field_name(enum bonded_field f)
{
	switch (f) {
	case BONDED_F_GCODE:
		return "gcode";
	case BONDED_F_GNAME:
		return "gname";
	case BONDED_F_UNIT:
		return "unit";
	default:
		return "";
	}
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Equal after trimming surrounding blanks; NULL equals only NULL or "". */
static bool same(const char *a, const char *b)
{
	a = a ? a : "";
	b = b ? b : "";
	while (blank(*a))
		a++;
	while (blank(*b))
		b++;
	size_t na = strlen(a), nb = strlen(b);
	while (na && blank(a[na - 1]))
		na--;
	while (nb && blank(b[nb - 1]))
		nb--;
	return na == nb && !memcmp(a, b, na);
}

enum bonded_field bonded_match(const struct bonded_record *r, const struct bonded_line *l,
                               int64_t *qty)
{
	if (!same(r->gcode, l->gcode))
		return BONDED_F_GCODE;
	if (!same(r->gname, l->gname))
		return BONDED_F_GNAME;
	/* B-06: the record's unit decides which of the line's quantities the account counts;
	 * the declared unit first, the legal unit otherwise. */
	if (r->unit && *r->unit && same(r->unit, l->unit)) {
		*qty = l->qty;
		return BONDED_MATCH;
	}
	if (r->unit && *r->unit && same(r->unit, l->unit1)) {
		*qty = l->qty1;
		return BONDED_MATCH;
	}
	return BONDED_F_UNIT;
}

static bool digits(const char *s, size_t n)
{
	if (strlen(s) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* A field of at most max characters (UTF-8 counted as characters, as the schema does). */
static bool len_ok(const char *s, size_t max)
{
	size_t chars = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xC0) != 0x80)
			chars++;
	return chars >= 1 && chars <= max;
}

int bonded_stockin_check(const struct bonded_stockin *in, const char **field, char *why,
                         size_t whylen)
{
	/* table: field, value, max length */
	const struct {
		const char *name, *v;
		size_t max;
	} f[] = {
	    {"emsNo", in->ems_no, 30}, {"itemRecordNo", in->item_no, 30},
	    {"gcode", in->gcode, 10},  {"gname", in->gname, 250},
	    {"unit", in->unit, 3},     {"entry", in->entry, 64},
	};
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
		if (!f[i].v || !*f[i].v || !len_ok(f[i].v, f[i].max)) {
			*field = f[i].name;
			snprintf(why, whylen, "%s is required, 1 to %zu characters", f[i].name,
			         f[i].max);
			return CBEC_EINVAL;
		}
	}
	if (!digits(in->gcode, 10)) {
		*field = "gcode";
		snprintf(why, whylen, "gcode must be a 10-digit HS code");
		return CBEC_EINVAL;
	}
	if (!ceb_code_find(CEB_CODES_UNIT, in->unit, strlen(in->unit))) {
		*field = "unit";
		snprintf(why, whylen, "unit %s is not a customs unit code", in->unit);
		return CBEC_EINVAL;
	}
	if (in->qty <= 0) {
		*field = "qty";
		snprintf(why, whylen, "qty must be above zero");
		return CBEC_EINVAL;
	}
	return 0;
}

enum bonded_field bonded_stockin_match(const struct bonded_record *r,
                                       const struct bonded_stockin *in)
{
	if (!same(r->gcode, in->gcode))
		return BONDED_F_GCODE;
	if (!same(r->gname, in->gname))
		return BONDED_F_GNAME;
	if (!same(r->unit, in->unit))
		return BONDED_F_UNIT;
	return BONDED_MATCH;
}
