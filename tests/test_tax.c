/* Retail import tax (src/clear/tax.c): the rules.md T-05 and T-06 worked examples to the
 * cent, apportionment that adds up exactly, rounding half up, the single limit (L-01) and
 * its one-indivisible-item exception, the discount switch (T-02), and inputs that must be
 * refused rather than overflow. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ceb/dec.h"
#include "clear/tax.h"
#include "testutil.h"

/* A value written as the decimal it stands for: D(1563, 47000) is 1563.47000 CNY. */
#define D(ip, fp) ((int64_t)(ip)*DEC_SCALE + (fp))
/* A rate in percent with two decimals: P(13, 0) is 13 %, P(6, 50) is 6.5 %. */
#define P(ip, fp) ((uint32_t)((ip)*100 + (fp)))

static struct tariff_rate rate(uint32_t mfn, uint32_t vat, uint32_t ct, bool specific)
{
	struct tariff_rate r;
	memset(&r, 0, sizeof r);
	memcpy(r.hs, "0000000000", 11);
	r.name = "test";
	r.mfn = mfn;
	r.vat = vat;
	r.ct = ct;
	r.ct_specific = specific;
	memcpy(r.unit1, "035", 4);
	return r;
}

static struct tax_line line(int64_t total, int64_t qty, const struct tariff_rate *r)
{
	struct tax_line l = {total, qty, r};
	return l;
}

static void run(const struct tax_line *l, size_t n, int64_t freight, int64_t insured,
                int64_t discount, const struct tax_opts *o, struct tax_result *out)
{
	/* A result full of garbage proves tax_compute fills every field it reports. */
	memset(out, 0x5a, sizeof *out);
	tax_compute(l, n, freight, insured, discount, o, out);
}

#define EQ(got, want) assert_int_equal((int64_t)(got), (int64_t)(want))

/* The list totals are the sums of the line amounts. */
static void check_sums(const struct tax_result *r)
{
	int64_t d = 0, duty = 0, vat = 0, ct = 0;
	for (size_t i = 0; i < r->nlines; i++) {
		d += r->line[i].dutiable;
		duty += r->line[i].customs_tax;
		vat += r->line[i].vat;
		ct += r->line[i].ct;
	}
	EQ(r->dutiable, d);
	EQ(r->customs_tax, duty);
	EQ(r->vat, vat);
	EQ(r->ct, ct);
	EQ(r->total, duty + vat + ct);
}

/* rules.md T-05: cosmetics 1000.00 (v 13 %, c 15 %) and other goods 250.00 (v 13 %),
 * freight 50.00. */
static void test_t05_example(void **state)
{
	(void)state;
	struct tariff_rate cosm = rate(P(1, 0), P(13, 0), P(15, 0), false);
	struct tariff_rate other = rate(P(10, 0), P(13, 0), 0, false);
	struct tax_line l[] = {line(D(1000, 0), D(1, 0), &cosm), line(D(250, 0), D(1, 0), &other)};
	struct tax_result r;
	run(l, 2, D(50, 0), 0, 0, NULL, &r);
	EQ(r.status, TAX_OK);
	assert_false(r.full_rate);
	EQ(r.nlines, 2);
	EQ(r.line[0].dutiable, D(1040, 0));
	EQ(r.line[0].customs_tax, 0);
	EQ(r.line[0].ct, D(128, 47000));
	EQ(r.line[0].vat, D(111, 34000));
	EQ(r.line[1].dutiable, D(260, 0));
	EQ(r.line[1].ct, 0);
	EQ(r.line[1].vat, D(23, 66000));
	EQ(r.dutiable, D(1300, 0));
	EQ(r.customs_tax, 0);
	EQ(r.total, D(263, 47000));
	check_sums(&r);
	/* The platform then withholds it: acturalPaid = 1250 + 50 + 263.47 - 0. */
	EQ(D(1250, 0) + D(50, 0) + r.total, D(1563, 47000));

	/* Insurance is apportioned with the freight. */
	run(l, 2, D(30, 0), D(20, 0), 0, NULL, &r);
	EQ(r.line[0].dutiable, D(1040, 0));
	EQ(r.total, D(263, 47000));
}

/* rules.md T-06: one indivisible item of D 6000 over the single limit, tariff 10 %,
 * c 15 %, v 13 %: full duty, CT and VAT. */
static void test_t06_example(void **state)
{
	(void)state;
	struct tariff_rate g = rate(P(10, 0), P(13, 0), P(15, 0), false);
	struct tax_line l[] = {line(D(6000, 0), D(1, 0), &g)};
	struct tax_result r;
	run(l, 1, 0, 0, 0, NULL, &r);
	EQ(r.status, TAX_OK);
	assert_true(r.full_rate);
	EQ(r.dutiable, D(6000, 0));
	EQ(r.customs_tax, D(600, 0));
	EQ(r.ct, D(1164, 71000));
	EQ(r.vat, D(1009, 41000));
	EQ(r.total, D(2774, 12000));
	check_sums(&r);

	/* The freight counts toward D and the limit: 5900 + 100 is the same item. */
	run(l, 1, 0, 0, 0, NULL, &r);
	struct tax_line l2[] = {line(D(5900, 0), D(1, 0), &g)};
	struct tax_result r2;
	run(l2, 1, D(100, 0), 0, 0, NULL, &r2);
	assert_true(r2.full_rate);
	EQ(r2.total, r.total);
}

/* Equal thirds: the shares add up to the freight exactly, the leftover unit goes to the
 * first line (largest remainder, earlier line on a tie). */
static void test_apportion_thirds(void **state)
{
	(void)state;
	struct tariff_rate g = rate(0, P(13, 0), 0, false);
	struct tax_line l[] = {line(D(100, 0), D(1, 0), &g), line(D(100, 0), D(1, 0), &g),
	                       line(D(100, 0), D(1, 0), &g)};
	struct tax_result r;
	run(l, 3, D(100, 0), 0, 0, NULL, &r);
	EQ(r.status, TAX_OK);
	EQ(r.line[0].dutiable, D(133, 33334));
	EQ(r.line[1].dutiable, D(133, 33333));
	EQ(r.line[2].dutiable, D(133, 33333));
	EQ(r.dutiable, D(400, 0));
	check_sums(&r);

	/* Two leftover units: 0.00002 over three equal lines. */
	run(l, 3, 2, 0, 0, NULL, &r);
	EQ(r.line[0].dutiable, D(100, 1));
	EQ(r.line[1].dutiable, D(100, 1));
	EQ(r.line[2].dutiable, D(100, 0));

	/* The largest remainder wins over the line order: 1/6, 2/6, 3/6 of 0.00005. */
	struct tax_line m[] = {line(D(1, 0), D(1, 0), &g), line(D(2, 0), D(1, 0), &g),
	                       line(D(3, 0), D(1, 0), &g)};
	run(m, 3, 5, 0, 0, NULL, &r);
	/* Exact shares 0.833, 1.667, 2.5 units: floors 0, 1, 2, remainders .833 .667 .5. */
	EQ(r.line[0].dutiable, D(1, 1));
	EQ(r.line[1].dutiable, D(2, 2));
	EQ(r.line[2].dutiable, D(3, 2));
}

/* Awkward splits: shares are never negative, never more than one unit off the exact
 * share, and always add up to freight + insurance. */
static void test_apportion_exact_sums(void **state)
{
	(void)state;
	struct tariff_rate g = rate(0, P(13, 0), 0, false);
	static const int64_t vals[] = {0, 1, 2, 3, 7, 33333, D(1, 0), D(19, 99000), D(333, 33333)};
	static const int64_t extras[] = {0, 1, 2, 99, D(0, 1000), D(10, 0), D(50, 0), D(99, 99999)};
	const size_t nv = sizeof vals / sizeof vals[0];
	struct tax_line l[4];
	struct tax_result r;
	for (size_t a = 0; a < nv; a++)
		for (size_t b = 0; b < nv; b++)
			for (size_t c = 0; c < nv; c++)
				for (size_t e = 0; e < sizeof extras / sizeof extras[0]; e++) {
					int64_t v[3] = {vals[a], vals[b], vals[c]};
					int64_t sum = v[0] + v[1] + v[2];
					for (int i = 0; i < 3; i++)
						l[i] = line(v[i], D(1, 0), &g);
					run(l, 3, extras[e], 0, 0, NULL, &r);
					EQ(r.status, TAX_OK);
					EQ(r.dutiable, sum + extras[e]);
					for (int i = 0; i < 3; i++) {
						__int128 share = r.line[i].dutiable - v[i];
						assert_true(share >= 0);
						/* |share - extra*v/sum| < 1 unit */
						__int128 w = sum ? v[i] : 1, ws = sum ? sum : 3;
						__int128 diff =
						    share * ws - (__int128)extras[e] * w;
						assert_true(diff > -ws && diff < ws);
					}
					check_sums(&r);
				}
	/* [1, 1, 0] with one unit: the zero-value line gets nothing, no negative share. */
	struct tax_line z[] = {line(1, D(1, 0), &g), line(1, D(1, 0), &g), line(0, D(1, 0), &g)};
	run(z, 3, 1, 0, 0, NULL, &r);
	EQ(r.line[0].dutiable, 2);
	EQ(r.line[1].dutiable, 1);
	EQ(r.line[2].dutiable, 0);
}

/* All line values 0 (gifts, samples): freight is split evenly. */
static void test_apportion_zero_values(void **state)
{
	(void)state;
	struct tariff_rate g = rate(0, P(13, 0), 0, false);
	struct tax_line l[] = {line(0, D(1, 0), &g), line(0, D(1, 0), &g), line(0, D(1, 0), &g)};
	struct tax_result r;
	run(l, 3, D(10, 0), 0, 0, NULL, &r);
	EQ(r.status, TAX_OK);
	EQ(r.line[0].dutiable, D(3, 33334));
	EQ(r.line[1].dutiable, D(3, 33333));
	EQ(r.line[2].dutiable, D(3, 33333));
	EQ(r.dutiable, D(10, 0));
	/* 3.33334 * 0.091 = 0.30333, 3.33333 * 0.091 = 0.30333: 0.30 each. */
	EQ(r.vat, D(0, 90000));

	/* Nothing at all: zero tax, still a valid assessment. */
	run(l, 3, 0, 0, 0, NULL, &r);
	EQ(r.status, TAX_OK);
	EQ(r.total, 0);
}

/* T-04: half away from zero (up, amounts being positive) to 0.01, per line and tax type. */
static void test_rounding_half_up(void **state)
{
	(void)state;
	struct tariff_rate ten = rate(0, P(10, 0), 0, false); /* payable 7 % */
	struct tax_result r;
	struct tax_line l[1];

	l[0] = line(D(3, 50000), D(1, 0), &ten); /* 0.245: half up, banker's would say 0.24 */
	run(l, 1, 0, 0, 0, NULL, &r);
	EQ(r.vat, D(0, 25000));
	l[0] = line(D(3, 49999), D(1, 0), &ten); /* 0.2449993 */
	run(l, 1, 0, 0, 0, NULL, &r);
	EQ(r.vat, D(0, 24000));
	l[0] = line(D(2, 50000), D(1, 0), &ten); /* 0.175 */
	run(l, 1, 0, 0, 0, NULL, &r);
	EQ(r.vat, D(0, 18000));
	l[0] = line(D(0, 7), D(1, 0), &ten); /* 0.0000049 */
	run(l, 1, 0, 0, 0, NULL, &r);
	EQ(r.vat, 0);
	l[0] = line(D(0, 7143), D(1, 0), &ten); /* 0.0050001 */
	run(l, 1, 0, 0, 0, NULL, &r);
	EQ(r.vat, D(0, 1000));

	/* Per line, then summed: two lines of 0.245 give 0.50, not round(0.49) = 0.49. */
	struct tax_line two[] = {line(D(3, 50000), D(1, 0), &ten),
	                         line(D(3, 50000), D(1, 0), &ten)};
	run(two, 2, 0, 0, 0, NULL, &r);
	EQ(r.vat, D(0, 50000));
	check_sums(&r);

	/* CT and VAT are rounded separately from one exact D: c 15 %, v 13 %, D 1.00:
	 * CT 0.1235294 -> 0.12, VAT 0.1070588 -> 0.11. */
	struct tariff_rate cosm = rate(0, P(13, 0), P(15, 0), false);
	l[0] = line(D(1, 0), D(1, 0), &cosm);
	run(l, 1, 0, 0, 0, NULL, &r);
	EQ(r.ct, D(0, 12000));
	EQ(r.vat, D(0, 11000));
	EQ(r.total, D(0, 23000));
}

/* Goods without CT: 13 % VAT is 9.1 % payable, 9 % VAT is 6.3 %. */
static void test_vat_only(void **state)
{
	(void)state;
	struct tariff_rate v13 = rate(P(6, 50), P(13, 0), 0, false);
	struct tariff_rate v9 = rate(P(15, 0), P(9, 0), 0, false);
	struct tax_line l[] = {line(D(100, 0), D(2, 0), &v13), line(D(100, 0), D(1, 0), &v9)};
	struct tax_result r;
	run(l, 2, 0, 0, 0, NULL, &r);
	EQ(r.status, TAX_OK);
	EQ(r.line[0].vat, D(9, 10000));
	EQ(r.line[0].ct, 0);
	EQ(r.line[1].vat, D(6, 30000));
	EQ(r.customs_tax, 0);
	EQ(r.total, D(15, 40000));
	/* Inside the limits the duty rate plays no part. */
	EQ(r.line[0].customs_tax, 0);

	/* A milk powder of 1234.56: 1234.56 * 0.063 = 77.77728 -> 77.78. */
	struct tax_line m[] = {line(D(1234, 56000), D(1, 0), &v9)};
	run(m, 1, 0, 0, 0, NULL, &r);
	EQ(r.vat, D(77, 78000));
}

/* L-01: D of the list above the limit with several lines, or one line of qty 2, is
 * refused; the amounts are still filled as if inside the limits. */
static void test_over_single_limit(void **state)
{
	(void)state;
	struct tariff_rate g = rate(P(10, 0), P(13, 0), 0, false);
	struct tax_result r;

	struct tax_line two[] = {line(D(3000, 0), D(1, 0), &g), line(D(3000, 0), D(1, 0), &g)};
	run(two, 2, 0, 0, 0, NULL, &r);
	EQ(r.status, TAX_OVER_SINGLE);
	assert_false(r.full_rate);
	EQ(r.dutiable, D(6000, 0));
	EQ(r.customs_tax, 0);
	EQ(r.vat, D(546, 0));
	check_sums(&r);

	struct tax_line q2[] = {line(D(6000, 0), D(2, 0), &g)};
	run(q2, 1, 0, 0, 0, NULL, &r);
	EQ(r.status, TAX_OVER_SINGLE);
	assert_false(r.full_rate);
	EQ(r.vat, D(546, 0));

	/* Half a unit is not one item either. */
	struct tax_line half[] = {line(D(6000, 0), D(0, 50000), &g)};
	run(half, 1, 0, 0, 0, NULL, &r);
	EQ(r.status, TAX_OVER_SINGLE);
}

/* The limit is inclusive: D of exactly 5000.00 is inside; one unit more is not. */
static void test_limit_boundary(void **state)
{
	(void)state;
	struct tariff_rate g = rate(P(10, 0), P(13, 0), 0, false);
	struct tax_result r;
	struct tax_line l[] = {line(D(4950, 0), D(1, 0), &g)};
	run(l, 1, D(40, 0), D(10, 0), 0, NULL, &r);
	EQ(r.dutiable, D(5000, 0));
	EQ(r.status, TAX_OK);
	assert_false(r.full_rate);
	EQ(r.vat, D(455, 0));

	struct tax_line two[] = {line(D(2500, 0), D(1, 0), &g), line(D(2500, 0), D(1, 0), &g)};
	run(two, 2, 0, 0, 0, NULL, &r);
	EQ(r.status, TAX_OK);

	run(l, 1, D(50, 1), 0, 0, NULL, &r); /* 5000.00001 */
	EQ(r.status, TAX_OK);
	assert_true(r.full_rate);
	EQ(r.customs_tax, D(500, 0));
	run(two, 2, 1, 0, 0, NULL, &r);
	EQ(r.status, TAX_OVER_SINGLE);

	/* The limit is configurable (2016-2018 it was 2000). */
	struct tax_opts o;
	tax_opts_default(&o);
	EQ(o.single_limit, D(5000, 0));
	assert_false(o.deduct_discount);
	o.single_limit = D(2000, 0);
	run(two, 2, 0, 0, 0, &o, &r);
	EQ(r.status, TAX_OVER_SINGLE);
}

static void test_unknown_rate(void **state)
{
	(void)state;
	struct tariff_rate g = rate(0, P(13, 0), 0, false);
	struct tax_line l[] = {line(D(100, 0), D(1, 0), &g), line(D(50, 0), D(1, 0), NULL),
	                       line(D(50, 0), D(1, 0), NULL)};
	struct tax_result r;
	run(l, 3, D(20, 0), 0, 0, NULL, &r);
	EQ(r.status, TAX_UNKNOWN_RATE);
	EQ(r.bad_line, 1);
	/* D is known without rates; the taxes are not. */
	EQ(r.dutiable, D(220, 0));
	EQ(r.line[0].dutiable, D(110, 0));
	EQ(r.total, 0);
	EQ(r.vat, 0);

	/* An unknown rate is reported before the limit. */
	struct tax_line big[] = {line(D(9000, 0), D(2, 0), NULL)};
	run(big, 1, 0, 0, 0, NULL, &r);
	EQ(r.status, TAX_UNKNOWN_RATE);
	EQ(r.bad_line, 0);
}

static void test_specific_ct(void **state)
{
	(void)state;
	struct tariff_rate g = rate(0, P(13, 0), 0, false);
	struct tariff_rate beer = rate(0, P(13, 0), 0, true);
	struct tariff_rate spirits = rate(P(5, 0), P(13, 0), P(20, 0), true);
	struct tax_line l[] = {line(D(100, 0), D(1, 0), &g), line(D(80, 0), D(6, 0), &beer),
	                       line(D(300, 0), D(1, 0), &spirits)};
	struct tax_result r;
	run(l, 3, 0, 0, 0, NULL, &r);
	EQ(r.status, TAX_SPECIFIC);
	EQ(r.bad_line, 1);
	EQ(r.total, 0);
	EQ(r.dutiable, D(480, 0));
}

/* T-02: the discount is ignored by default; deducted, it is apportioned like freight. */
static void test_discount_switch(void **state)
{
	(void)state;
	struct tariff_rate cosm = rate(P(1, 0), P(13, 0), P(15, 0), false);
	struct tariff_rate other = rate(P(10, 0), P(13, 0), 0, false);
	struct tax_line l[] = {line(D(1000, 0), D(1, 0), &cosm), line(D(250, 0), D(1, 0), &other)};
	struct tax_result r;
	struct tax_opts o;
	tax_opts_default(&o);

	run(l, 2, D(50, 0), 0, D(125, 0), &o, &r);
	EQ(r.status, TAX_OK);
	EQ(r.dutiable, D(1300, 0));
	EQ(r.total, D(263, 47000));

	o.deduct_discount = true;
	run(l, 2, D(50, 0), 0, D(125, 0), &o, &r);
	EQ(r.status, TAX_OK);
	EQ(r.line[0].dutiable, D(940, 0));
	EQ(r.line[1].dutiable, D(235, 0));
	EQ(r.dutiable, D(1175, 0));
	EQ(r.line[0].ct, D(116, 12000));  /* 940 * 0.7 * 0.15 / 0.85 = 116.1176 */
	EQ(r.line[0].vat, D(100, 64000)); /* 940 * 0.7 * 0.13 / 0.85 = 100.6353 */
	EQ(r.line[1].vat, D(21, 39000));  /* 235 * 0.091 = 21.385 */
	EQ(r.total, D(238, 15000));
	check_sums(&r);

	/* Deducting can bring a list back under the limit. */
	struct tariff_rate g = rate(P(10, 0), P(13, 0), 0, false);
	struct tax_line big[] = {line(D(5100, 0), D(1, 0), &g), line(D(100, 0), D(1, 0), &g)};
	run(big, 2, 0, 0, D(200, 0), &o, &r);
	EQ(r.status, TAX_OK);
	EQ(r.dutiable, D(5000, 0));
	o.deduct_discount = false;
	run(big, 2, 0, 0, D(200, 0), &o, &r);
	EQ(r.status, TAX_OVER_SINGLE);

	/* A discount above the goods value cannot be deducted. */
	o.deduct_discount = true;
	run(l, 2, D(50, 0), 0, D(1250, 1), &o, &r);
	EQ(r.status, TAX_INVALID);
	run(l, 2, D(50, 0), 0, D(1250, 0), &o, &r);
	EQ(r.status, TAX_OK);
	EQ(r.dutiable, D(50, 0));
}

/* Structural errors and amounts at the ends of the range: TAX_INVALID, never UB. */
static void test_invalid_and_extremes(void **state)
{
	(void)state;
	struct tariff_rate g = rate(P(10, 0), P(13, 0), 0, false);
	struct tariff_rate hi = rate(P(1000, 0), P(99, 99), P(99, 99), false);
	struct tax_result r;
	struct tax_line many[TAX_MAX_LINES + 1];
	for (size_t i = 0; i <= TAX_MAX_LINES; i++)
		many[i] = line(D(1, 0), D(1, 0), &g);

	run(many, 0, 0, 0, 0, NULL, &r);
	EQ(r.status, TAX_INVALID);
	run(NULL, 1, 0, 0, 0, NULL, &r);
	EQ(r.status, TAX_INVALID);
	run(many, TAX_MAX_LINES + 1, 0, 0, 0, NULL, &r);
	EQ(r.status, TAX_INVALID);
	run(many, TAX_MAX_LINES, D(0, 1), 0, 0, NULL, &r);
	EQ(r.status, TAX_OK);
	EQ(r.nlines, TAX_MAX_LINES);
	EQ(r.dutiable, D(100, 1));
	check_sums(&r);

	struct tax_line l[2];
	l[0] = line(-1, D(1, 0), &g);
	run(l, 1, 0, 0, 0, NULL, &r);
	EQ(r.status, TAX_INVALID);
	l[0] = line(D(1, 0), -1, &g);
	run(l, 1, 0, 0, 0, NULL, &r);
	EQ(r.status, TAX_INVALID);
	l[0] = line(D(1, 0), D(1, 0), &g);
	run(l, 1, -1, 0, 0, NULL, &r);
	EQ(r.status, TAX_INVALID);
	run(l, 1, 0, -1, 0, NULL, &r);
	EQ(r.status, TAX_INVALID);
	run(l, 1, 0, 0, -1, NULL, &r);
	EQ(r.status, TAX_INVALID);
	run(l, 1, 0, 0, INT64_MIN, NULL, &r);
	EQ(r.status, TAX_INVALID);
	struct tax_opts o;
	tax_opts_default(&o);
	o.single_limit = -1;
	run(l, 1, 0, 0, 0, &o, &r);
	EQ(r.status, TAX_INVALID);

	/* Sums past int64. */
	l[0] = line(INT64_MAX, D(1, 0), &g);
	l[1] = line(INT64_MAX, D(1, 0), &g);
	run(l, 2, 0, 0, 0, NULL, &r);
	EQ(r.status, TAX_INVALID);
	run(l, 1, INT64_MAX, INT64_MAX, 0, NULL, &r);
	EQ(r.status, TAX_INVALID);
	run(l, 1, 1, 0, 0, NULL, &r);
	EQ(r.status, TAX_INVALID);

	/* The largest D is fine at ordinary rates (the tax is smaller than D)... */
	run(l, 1, 0, 0, 0, NULL, &r);
	EQ(r.status, TAX_OK);
	assert_true(r.full_rate);
	l[1] = line(INT64_MAX / 2, D(1, 0), &g);
	run(l + 1, 1, 0, 0, 0, NULL, &r);
	EQ(r.status, TAX_OK);
	/* ...but not where the tax would exceed it. */
	l[0] = line(INT64_MAX / 2, D(1, 0), &hi);
	run(l, 1, 0, 0, 0, NULL, &r);
	EQ(r.status, TAX_INVALID);
	l[0] = line(INT64_MAX / 2, D(2, 0), &hi);
	run(l, 1, 0, 0, 0, NULL, &r);
	EQ(r.status, TAX_INVALID);

	/* A huge freight over many lines of tiny values. */
	run(many, TAX_MAX_LINES, INT64_MAX - D(100, 0), 0, 0, NULL, &r);
	EQ(r.status, TAX_OVER_SINGLE);
	EQ(r.dutiable, INT64_MAX);
	run(many, TAX_MAX_LINES, INT64_MAX - D(100, 0) + 1, 0, 0, NULL, &r);
	EQ(r.status, TAX_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_t05_example),
	    cmocka_unit_test(test_t06_example),
	    cmocka_unit_test(test_apportion_thirds),
	    cmocka_unit_test(test_apportion_exact_sums),
	    cmocka_unit_test(test_apportion_zero_values),
	    cmocka_unit_test(test_rounding_half_up),
	    cmocka_unit_test(test_vat_only),
	    cmocka_unit_test(test_over_single_limit),
	    cmocka_unit_test(test_limit_boundary),
	    cmocka_unit_test(test_unknown_rate),
	    cmocka_unit_test(test_specific_ct),
	    cmocka_unit_test(test_discount_switch),
	    cmocka_unit_test(test_invalid_and_extremes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
