/* Retail import tax of one inventory list (rules.md §6 T-01..T-06, §7 L-01).
 *
 * Arithmetic: amounts are int64 in 1e-5 CNY (dec.h), rates in 1/10000. Every intermediate
 * is an exact rational held in __int128; a result that does not fit an int64 makes the
 * assessment TAX_INVALID rather than wrap.
 *
 * Choices the rules leave open, made here:
 * - T-01 apportionment: freight + insuredFee are shared by line value on the 1e-5 grid with
 *   the largest-remainder method: every line gets the floor of its exact share, the units
 *   left over go one each to the lines with the largest remainders (earlier line first on
 *   a tie). Shares are never negative and add up exactly. All values 0: equal weights.
 * - T-02: when deducted, the discount is apportioned the same way and may not exceed the
 *   goods value (else TAX_INVALID).
 * - Inside the limits (T-03/T-04) each payable amount is one exact fraction of the line's
 *   D, rounded half away from zero to 0.01 once: CT = D*0.7*c/(1-c), VAT = D*0.7*v/(1-c).
 *   The list totals are sums of the rounded line amounts.
 * - T-06 (full rates) follows the customs chain of levied amounts: duty = D*mfn rounded to
 *   0.01; CT = (D + duty)*c/(1-c) rounded; VAT = (D + duty + CT)*v rounded.
 * - Order of checks: TAX_INVALID, then the first line without a rate (TAX_UNKNOWN_RATE),
 *   then the first line with a specific CT (TAX_SPECIFIC), then the single limit. For the
 *   first three only D is filled (per line and for the list); the taxes stay 0. */
#include "clear/tax.h"

#include <string.h>

#include "ceb/dec.h"

typedef __int128 i128;

#define CENT 1000 /* 0.01 CNY in 1e-5 units */

void tax_opts_default(struct tax_opts *o)
{
	o->deduct_discount = false;
	o->single_limit = 5000 * DEC_SCALE;
}

static bool fits(i128 v)
{
	return v >= 0 && v <= INT64_MAX;
}

/* num/den (both >= 0, den > 0) rounded half away from zero to 0.01, in 1e-5 units. */
static i128 round_cent(i128 num, i128 den)
{
	i128 d = den * CENT;
	return (num / d + (num % d * 2 >= d)) * CENT;
}

/* Split total into n shares proportional to w[] (largest remainder); w may be all zero,
 * then the weights are equal. -1 if a share does not fit. */
static int apportion(i128 total, const int64_t *w, size_t n, int64_t *share)
{
	i128 sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += w[i];
	bool even = sum == 0;
	if (even)
		sum = (i128)n;
	i128 rem[TAX_MAX_LINES];
	i128 given = 0;
	for (size_t i = 0; i < n; i++) {
		i128 p = total * (even ? 1 : w[i]);
		i128 q = p / sum;
		if (!fits(q))
			return -1;
		share[i] = (int64_t)q;
		rem[i] = p % sum;
		given += q;
	}
	/* total - given < n: hand out the leftover units one by one. */
	for (i128 left = total - given; left > 0; left--) {
		size_t best = n;
		for (size_t i = 0; i < n; i++)
			if (rem[i] >= 0 && (best == n || rem[i] > rem[best]))
				best = i;
		if (best == n)
			break; /* cannot happen: fewer leftover units than lines */
		if (share[best] == INT64_MAX)
			return -1;
		share[best]++;
		rem[best] = -1; /* each line gets at most one extra unit */
	}
	return 0;
}

static void invalid(struct tax_result *out)
{
	memset(out, 0, sizeof *out);
	out->status = TAX_INVALID;
}

/* Inside the limits: duty 0, CT and VAT at 70 % of the full amounts. */
static int tax_inside(int64_t d, const struct tariff_rate *r, struct tax_line_result *lr)
{
	i128 den = (i128)10 * (10000 - r->ct);
	i128 ct = round_cent((i128)d * 7 * r->ct, den);
	i128 vat = round_cent((i128)d * 7 * r->vat, den);
	if (!fits(ct) || !fits(vat))
		return -1;
	lr->customs_tax = 0;
	lr->ct = (int64_t)ct;
	lr->vat = (int64_t)vat;
	return 0;
}

/* T-06: one indivisible item over the single limit, duty, CT and VAT in full. */
static int tax_full(int64_t d, const struct tariff_rate *r, struct tax_line_result *lr)
{
	i128 duty = round_cent((i128)d * r->mfn, 10000);
	i128 base = d + duty;
	i128 ct = round_cent(base * r->ct, 10000 - r->ct);
	i128 vat = round_cent((base + ct) * r->vat, 10000);
	if (!fits(duty) || !fits(ct) || !fits(vat))
		return -1;
	lr->customs_tax = (int64_t)duty;
	lr->ct = (int64_t)ct;
	lr->vat = (int64_t)vat;
	return 0;
}

void tax_compute(const struct tax_line *lines, size_t n, int64_t freight, int64_t insured_fee,
                 int64_t discount, const struct tax_opts *o, struct tax_result *out)
{
	struct tax_opts dflt;
	if (!o) {
		tax_opts_default(&dflt);
		o = &dflt;
	}
	memset(out, 0, sizeof *out);
	if (!lines || n == 0 || n > TAX_MAX_LINES || freight < 0 || insured_fee < 0 ||
	    discount < 0 || o->single_limit < 0) {
		invalid(out);
		return;
	}
	int64_t value[TAX_MAX_LINES];
	i128 goods = 0;
	for (size_t i = 0; i < n; i++) {
		if (lines[i].total_price < 0 || lines[i].qty < 0) {
			invalid(out);
			return;
		}
		value[i] = lines[i].total_price;
		goods += value[i];
	}

	/* T-01 / T-02: D per line. */
	int64_t fshare[TAX_MAX_LINES], dshare[TAX_MAX_LINES];
	i128 extra = (i128)freight + insured_fee;
	if (apportion(extra, value, n, fshare)) {
		invalid(out);
		return;
	}
	memset(dshare, 0, sizeof dshare);
	if (o->deduct_discount && discount > 0) {
		if (discount > goods || apportion(discount, value, n, dshare)) {
			invalid(out);
			return;
		}
	}
	i128 list_d = 0;
	for (size_t i = 0; i < n; i++) {
		i128 d = (i128)value[i] + fshare[i] - dshare[i];
		if (!fits(d)) {
			invalid(out);
			return;
		}
		out->line[i].dutiable = (int64_t)d;
		list_d += d;
	}
	if (!fits(list_d)) {
		invalid(out);
		return;
	}
	out->nlines = n;
	out->dutiable = (int64_t)list_d;

	for (size_t i = 0; i < n; i++) {
		if (!lines[i].rate) {
			out->status = TAX_UNKNOWN_RATE;
			out->bad_line = i;
			return;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (lines[i].rate->ct_specific) {
			out->status = TAX_SPECIFIC;
			out->bad_line = i;
			return;
		}
	}

	/* L-01 / T-06: over the single limit, one indivisible item pays in full; anything
	 * else is refused but still assessed as if inside the limits, for information. */
	bool over = out->dutiable > o->single_limit;
	bool single = n == 1 && lines[0].qty == DEC_SCALE;
	out->full_rate = over && single;
	out->status = over && !single ? TAX_OVER_SINGLE : TAX_OK;

	i128 duty = 0, vat = 0, ct = 0;
	for (size_t i = 0; i < n; i++) {
		struct tax_line_result *lr = &out->line[i];
		int rc = out->full_rate ? tax_full(lr->dutiable, lines[i].rate, lr)
		                        : tax_inside(lr->dutiable, lines[i].rate, lr);
		if (rc) {
			invalid(out);
			return;
		}
		duty += lr->customs_tax;
		vat += lr->vat;
		ct += lr->ct;
	}
	i128 total = duty + vat + ct;
	if (!fits(total)) {
		invalid(out);
		return;
	}
	out->customs_tax = (int64_t)duty;
	out->vat = (int64_t)vat;
	out->ct = (int64_t)ct;
	out->total = (int64_t)total;
}
