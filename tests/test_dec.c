/* Exact decimals (src/ceb/dec.c): parse with the schema's value-space facets, format, round
 * half away from zero, multiply and divide on scaled integers, and the rules.md T-05 tax
 * example computed the way the tax module must compute it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ceb/dec.h"
#include "testutil.h"

/* A value written as the decimal it stands for: D(1563, 47000) is 1563.47000. */
#define D(ip, fp) ((int64_t)(ip)*DEC_SCALE + (fp))

static enum dec_err parse(const char *s, unsigned total, unsigned frac, int64_t *v)
{
	return dec_parse(s, strlen(s), total, frac, v);
}

/* Parse `s` under the limits and require success with value `want`. */
static void parse_ok(const char *s, unsigned total, unsigned frac, int64_t want)
{
	int64_t v = -12345;
	enum dec_err e = parse(s, total, frac, &v);
	if (e != DEC_OK)
		fail_msg("dec_parse(\"%s\", %u, %u): %s, expected ok", s, total, frac,
		         dec_strerror(e));
	if (v != want)
		fail_msg("dec_parse(\"%s\"): %lld, expected %lld", s, (long long)v,
		         (long long)want);
}

static void parse_err(const char *s, unsigned total, unsigned frac, enum dec_err want)
{
	int64_t v = 0;
	enum dec_err e = parse(s, total, frac, &v);
	if (e != want)
		fail_msg("dec_parse(\"%s\", %u, %u): \"%s\", expected \"%s\"", s, total, frac,
		         dec_strerror(e), dec_strerror(want));
}

static void parse_int_ok(const char *s, unsigned total, int64_t want)
{
	int64_t v = -12345;
	enum dec_err e = dec_parse_int(s, strlen(s), total, &v);
	if (e != DEC_OK)
		fail_msg("dec_parse_int(\"%s\", %u): %s, expected ok", s, total, dec_strerror(e));
	assert_int_equal(v, want);
}

static void parse_int_err(const char *s, unsigned total, enum dec_err want)
{
	int64_t v = 0;
	enum dec_err e = dec_parse_int(s, strlen(s), total, &v);
	if (e != want)
		fail_msg("dec_parse_int(\"%s\", %u): \"%s\", expected \"%s\"", s, total,
		         dec_strerror(e), dec_strerror(want));
}

/* ---- dec_parse ---- */

static void test_parse_values(void **state)
{
	parse_ok("0", 0, 0, 0);
	parse_ok("14000", 0, 0, D(14000, 0));
	parse_ok("1563.47", 0, 0, D(1563, 47000));
	parse_ok("0.00001", 0, 0, 1);
	parse_ok("12345.6789", 0, 0, D(12345, 67890));
	parse_ok("1.", 0, 0, D(1, 0)); /* xs:decimal allows both "1." and ".5" */
	parse_ok(".5", 0, 0, D(0, 50000));
	parse_ok("0.0", 0, 0, 0);
}

/* The same values under the N19,5 facets every amount field carries. */
static void test_parse_values_n19_5(void **state)
{
	parse_ok("0", 19, 5, 0);
	parse_ok("00", 19, 5, 0);
	parse_ok("0.00", 19, 5, 0);
	parse_ok("14000", 19, 5, D(14000, 0));
	parse_ok("1563.47", 19, 5, D(1563, 47000));
	parse_ok("0.00001", 19, 5, 1);
	parse_ok("0", 1, 0, 0);
	parse_ok("0.000", 1, 1, 0);
}

static void test_parse_xml_white_space(void **state)
{
	parse_ok("  12.5\n", 19, 5, D(12, 50000));
	parse_ok("\t\r\n 7 \t", 19, 5, D(7, 0));
	parse_ok("\n0\n", 19, 5, 0);
	/* not XML white space */
	parse_err("\v1", 0, 0, DEC_SYNTAX);
	parse_err("1\f", 0, 0, DEC_SYNTAX);
	parse_err("\xc2\xa0"
	          "1",
	          0, 0, DEC_SYNTAX); /* U+00A0 no-break space */
}

/* totalDigits and fractionDigits constrain the value, not the text (XSD value space). */
static void test_parse_value_space_facets(void **state)
{
	parse_ok("1.500000", 19, 5, D(1, 50000));
	parse_ok("1.500000", 2, 1, D(1, 50000));
	parse_ok("1.120", 19, 2, D(1, 12000));
	parse_ok("000123.4", 4, 1, D(123, 40000));
	parse_ok("000123.4", 19, 5, D(123, 40000));
	parse_ok("0.00123", 3, 5, 123);
	parse_ok("100", 3, 0, D(100, 0)); /* integer zeros do count */
	parse_err("100", 2, 0, DEC_DIGITS);
	parse_err("0.00123", 2, 5, DEC_DIGITS);
	parse_err("000123.4", 3, 5, DEC_DIGITS);
	parse_err("1.123", 19, 2, DEC_FRAC);
	parse_ok("1.5", 19, 0, D(1, 50000)); /* 0 = no limit */
}

static void test_parse_rejects_empty(void **state)
{
	parse_err("", 0, 0, DEC_EMPTY);
	parse_err("   ", 0, 0, DEC_EMPTY);
	parse_err("\t\r\n", 19, 5, DEC_EMPTY);
	/* a lone point has no digits: dec.c reports it as empty, not as a syntax error */
	parse_err(".", 0, 0, DEC_EMPTY);
	parse_err(" . ", 19, 5, DEC_EMPTY);
	int64_t v;
	assert_int_equal(dec_parse(NULL, 0, 19, 5, &v), DEC_EMPTY);
}

static void test_parse_rejects_sign(void **state)
{
	parse_err("-1", 0, 0, DEC_SIGN);
	parse_err("+1", 0, 0, DEC_SIGN);
	parse_err("-0", 19, 5, DEC_SIGN);
	parse_err("  -1563.47", 19, 5, DEC_SIGN);
	parse_err("1-", 0, 0, DEC_SYNTAX);
}

static void test_parse_rejects_syntax(void **state)
{
	static const char *const bad[] = {
	    "1e5",  "1E5", "1,000", "1.2.3", "12 3",  "0x10", "1..2", "..",
	    "1 .5", "NaN", "INF",   "abc",   "1_000", "١",    "12a",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		parse_err(bad[i], 0, 0, DEC_SYNTAX);
	/* an embedded NUL inside the given length is not a digit */
	int64_t v;
	assert_int_equal(dec_parse("12\0"
	                           "3",
	                           4, 0, 0, &v),
	                 DEC_SYNTAX);
}

static void test_parse_rejects_fraction(void **state)
{
	parse_err("0.000001", 19, 5, DEC_FRAC);
	/* finer than the 1e-5 grid even when the field sets no limit */
	parse_err("0.000001", 0, 0, DEC_FRAC);
	parse_err("0.0000010", 19, 5, DEC_FRAC);
	parse_ok("0.0000100", 19, 5, 1);
	parse_ok("0.100000000", 1, 1, D(0, 10000));
}

static void test_parse_rejects_digits(void **state)
{
	/* 20 significant digits against totalDigits 19 */
	parse_err("123456789012345.67891", 19, 5, DEC_DIGITS);
	parse_err("12345678901234567890", 19, 0, DEC_DIGITS);
	/* 19 fit */
	parse_ok("12345678901234.56789", 19, 5, 1234567890123456789LL);
}

static void test_parse_rejects_range(void **state)
{
	parse_err("99999999999999.99999", 19, 5, DEC_RANGE);
	parse_err("99999999999999.99999", 0, 0, DEC_RANGE);
	parse_err("100000000000000", 0, 0, DEC_RANGE);
	parse_err("12345678901234567890123", 0, 0, DEC_RANGE);
	/* the exact top of the range */
	parse_ok("92233720368547.75807", 19, 5, INT64_MAX);
	parse_err("92233720368547.75808", 19, 5, DEC_RANGE);
	parse_err("92233720368548", 19, 5, DEC_RANGE);
}

/* Only the first n bytes are read: fields point into the message buffer. */
static void test_parse_respects_length(void **state)
{
	int64_t v = 0;
	assert_int_equal(dec_parse("12.5xyz", 4, 19, 5, &v), DEC_OK);
	assert_int_equal(v, D(12, 50000));
	assert_int_equal(dec_parse("1563.47", 4, 19, 5, &v), DEC_OK);
	assert_int_equal(v, D(1563, 0));
	assert_int_equal(dec_parse("1563.47", 0, 19, 5, &v), DEC_EMPTY);
}

/* ---- dec_parse_int ---- */

static void test_parse_int(void **state)
{
	parse_int_ok("1", 0, 1);
	parse_int_ok("99999", 0, 99999);
	parse_int_ok("99999", 5, 99999);
	parse_int_ok("0", 1, 0);
	parse_int_ok("00012", 2, 12); /* leading zeros are not significant */
	parse_int_ok(" 42\n", 9, 42);
	parse_int_ok("2147483647", 0, 2147483647);
	parse_int_err("2147483648", 0, DEC_RANGE);
	parse_int_err("99999999999999999999", 0, DEC_RANGE);
	parse_int_err("12345", 4, DEC_DIGITS);
	parse_int_ok("1234", 4, 1234);
	parse_int_err("-3", 0, DEC_SIGN);
	parse_int_err("+3", 0, DEC_SIGN);
	parse_int_err("1.0", 0, DEC_SYNTAX);
	parse_int_err("1e3", 0, DEC_SYNTAX);
	parse_int_err("1 2", 0, DEC_SYNTAX);
	parse_int_err("", 0, DEC_EMPTY);
	parse_int_err("  ", 0, DEC_EMPTY);
}

static void test_strerror(void **state)
{
	const enum dec_err all[] = {DEC_OK,     DEC_EMPTY, DEC_SYNTAX, DEC_SIGN,
	                            DEC_DIGITS, DEC_FRAC,  DEC_RANGE};
	const size_t n = sizeof all / sizeof all[0];
	for (size_t i = 0; i < n; i++) {
		const char *a = dec_strerror(all[i]);
		assert_non_null(a);
		assert_string_not_equal(a, "?");
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(a, dec_strerror(all[j]));
	}
	assert_string_equal(dec_strerror((enum dec_err)99), "?");
}

/* ---- formatting ---- */

static void fmt_is(int64_t v, const char *want)
{
	char out[DEC_FMT_MAX];
	assert_string_equal(dec_format(v, out), want);
}

static void fixed_is(int64_t v, unsigned places, const char *want)
{
	char out[DEC_FMT_MAX];
	assert_string_equal(dec_format_fixed(v, places, out), want);
}

static void test_format_shortest(void **state)
{
	fmt_is(D(1563, 47000), "1563.47");
	fmt_is(0, "0");
	fmt_is(D(14000, 0), "14000");
	fmt_is(1, "0.00001");
	fmt_is(D(0, 10000), "0.1");
	fmt_is(D(100, 0), "100");
	fmt_is(D(10, 1), "10.00001");
	fmt_is(INT64_MAX, "92233720368547.75807");
	fmt_is(-D(263, 47000), "-263.47");
	fmt_is(INT64_MIN, "-92233720368547.75808");
	char out[DEC_FMT_MAX];
	assert_ptr_equal(dec_format(1, out), out);
}

static void test_format_fixed(void **state)
{
	fixed_is(D(263, 40000), 2, "263.40");
	fixed_is(D(1563, 47000), 2, "1563.47");
	fixed_is(0, 2, "0.00");
	fixed_is(D(14000, 0), 2, "14000.00");
	fixed_is(D(1, 0), 0, "1");
	fixed_is(1, 5, "0.00001");
	fixed_is(D(12, 50000), 3, "12.500");
	fixed_is(-D(263, 40000), 2, "-263.40");
	fixed_is(D(7, 0), 9, "7.00000"); /* more than 5 places is clamped to 5 */
	/* with rounding first, as the tax module does */
	fixed_is(dec_round(D(263, 46500), 2), 2, "263.47");
	fixed_is(dec_round(D(1563, 47000), 0), 0, "1563");
	char out[DEC_FMT_MAX];
	assert_ptr_equal(dec_format_fixed(1, 2, out), out);
}

/* ---- rounding ---- */

static void test_round_half_away_from_zero(void **state)
{
	assert_int_equal(dec_round(D(1, 500), 2), D(1, 1000));        /* 1.005 -> 1.01 */
	assert_int_equal(dec_round(D(1, 490), 2), D(1, 0));           /* 1.0049 -> 1.00 */
	assert_int_equal(dec_round(-D(1, 500), 2), -D(1, 1000));      /* -1.005 -> -1.01 */
	assert_int_equal(dec_round(-D(1, 490), 2), -D(1, 0));         /* -1.0049 -> -1.00 */
	assert_int_equal(dec_round(D(263, 46500), 2), D(263, 47000)); /* 263.465 -> 263.47 */
	assert_int_equal(dec_round(D(263, 46499), 2), D(263, 46000));
	assert_int_equal(dec_round(D(2, 50000), 0), D(3, 0));
	assert_int_equal(dec_round(-D(2, 50000), 0), -D(3, 0));
	assert_int_equal(dec_round(D(2, 49999), 0), D(2, 0));
	assert_int_equal(dec_round(D(0, 4), 4), D(0, 0));
	assert_int_equal(dec_round(D(0, 5), 4), D(0, 10));
	assert_int_equal(dec_round(0, 2), 0);
	/* already on the grid, or places at/after the 1e-5 grid: unchanged */
	assert_int_equal(dec_round(D(263, 47000), 2), D(263, 47000));
	assert_int_equal(dec_round(D(1, 12345), 5), D(1, 12345));
	assert_int_equal(dec_round(D(1, 12345), 9), D(1, 12345));
}

/* Near the ends of the range the result is representable and must not overflow on the way. */
static void test_round_range_edges(void **state)
{
	assert_int_equal(dec_round(INT64_MAX - 407, 2), INT64_MAX - 807);
	assert_int_equal(dec_round(INT64_MIN + 408, 2), INT64_MIN + 808);
	assert_int_equal(dec_round(INT64_MAX, 5), INT64_MAX);
	assert_int_equal(dec_round(INT64_MIN, 5), INT64_MIN);
}

/* ---- multiplication ---- */

static int64_t mul(int64_t a, int64_t b)
{
	int64_t r = -12345;
	assert_int_equal(dec_mul(a, b, &r), 0);
	return r;
}

static int64_t muldiv(int64_t a, int64_t num, int64_t den)
{
	int64_t r = -12345;
	assert_int_equal(dec_muldiv(a, num, den, &r), 0);
	return r;
}

static void test_mul(void **state)
{
	assert_int_equal(mul(D(500, 0), D(2, 0)), D(1000, 0));
	assert_int_equal(mul(D(0, 33333), D(3, 0)), D(0, 99999));
	assert_int_equal(mul(D(1563, 47000), D(1, 0)), D(1563, 47000));
	assert_int_equal(mul(D(1563, 47000), 0), 0);
	/* products finer than 1e-5 round half up on the grid */
	assert_int_equal(mul(D(0, 33333), D(0, 33333)), D(0, 11111)); /* 0.1111088889 */
	assert_int_equal(mul(D(0, 1), D(0, 50000)), D(0, 1));         /* 0.000005 -> 0.00001 */
	assert_int_equal(mul(D(0, 1), D(0, 49999)), 0);               /* 0.0000049999 -> 0 */
	assert_int_equal(mul(D(1, 50000), D(1, 1)), D(1, 50002));     /* 1.500015 -> 1.50002 */
	assert_int_equal(mul(D(0, 66667), D(0, 50000)), D(0, 33334)); /* 0.333335 */
	/* like dec_round, a negative half goes away from zero */
	assert_int_equal(mul(-D(0, 1), D(0, 50000)), -D(0, 1));
	assert_int_equal(mul(-D(2, 0), -D(3, 0)), D(6, 0));
	/* the largest representable product */
	assert_int_equal(mul(INT64_MAX, D(1, 0)), INT64_MAX);
}

static void test_mul_overflow(void **state)
{
	int64_t r = 7;
	assert_int_equal(dec_mul(INT64_MAX, D(2, 0), &r), -1);
	assert_int_equal(dec_mul(INT64_MAX, D(1, 1), &r), -1);
	assert_int_equal(dec_mul(D(10000000, 0), D(10000000, 0), &r), -1);
	assert_int_equal(dec_muldiv(INT64_MAX, 2, 1, &r), -1);
	assert_int_equal(dec_muldiv(D(1, 0), D(1, 0), 0, &r), -1);
	assert_int_equal(r, 7); /* untouched on failure */
	/* a product past int64 that the division brings back is fine */
	assert_int_equal(muldiv(INT64_MAX, D(2, 0), D(4, 0)), INT64_MAX / 2 + 1);
}

static void test_muldiv(void **state)
{
	assert_int_equal(muldiv(D(1040, 0), D(0, 15000), D(0, 85000)), D(183, 52941));
	assert_int_equal(muldiv(D(1, 0), D(1, 0), D(3, 0)), D(0, 33333));
	assert_int_equal(muldiv(D(2, 0), D(1, 0), D(3, 0)), D(0, 66667));
	assert_int_equal(muldiv(1, 1, 2), 1); /* half a unit goes up */
	assert_int_equal(muldiv(1, 1, 3), 0);
	assert_int_equal(muldiv(2, 1, 3), 1);
	assert_int_equal(muldiv(-D(2, 0), D(1, 0), D(3, 0)), -D(0, 66667));
	assert_int_equal(muldiv(D(2, 0), D(1, 0), -D(3, 0)), -D(0, 66667));
}

/* rules.md T-05: D1 1040.00 (cosmetics, VAT 13 %, CT 15 %), D2 260.00 (VAT 13 %), both at
 * 70 % of the full rates; every figure on scaled integers, each tax rounded to 0.01. */
static void test_tax_worked_example(void **state)
{
	const int64_t d1 = D(1040, 0), d2 = D(260, 0);
	const int64_t ct = D(0, 15000), vat = D(0, 13000), part = D(0, 70000);
	char out[DEC_FMT_MAX];

	/* check line: 1040 x 0.7 x 0.28 / 0.85 = 239.81 */
	int64_t chk = muldiv(mul(mul(d1, part), D(0, 28000)), DEC_SCALE, D(0, 85000));
	assert_int_equal(chk, D(239, 81176));
	assert_string_equal(dec_format_fixed(dec_round(chk, 2), 2, out), "239.81");
	assert_int_equal(dec_round(muldiv(d1, D(0, 19600), D(0, 85000)), 2), D(239, 81000));

	int64_t ct_full = muldiv(d1, ct, DEC_SCALE - ct); /* 183.5294... */
	int64_t vat_full = mul(d1 + ct_full, vat);        /* 159.0588... */
	int64_t ct1 = dec_round(mul(part, ct_full), 2);
	int64_t vat1 = dec_round(mul(part, vat_full), 2);
	int64_t vat2 = dec_round(mul(mul(d2, vat), part), 2);
	assert_string_equal(dec_format(ct1, out), "128.47");
	assert_string_equal(dec_format(vat1, out), "111.34");
	assert_string_equal(dec_format(vat2, out), "23.66");
	int64_t tax = ct1 + vat1 + vat2;
	assert_string_equal(dec_format(tax, out), "263.47");
	int64_t paid = D(1250, 0) + D(50, 0) + tax - 0;
	assert_string_equal(dec_format(paid, out), "1563.47");
	int64_t back;
	assert_int_equal(parse("1563.47", 19, 5, &back), DEC_OK);
	assert_int_equal(back, paid);
}

/* ---- round trip ---- */

static uint64_t xorshift(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

/* Every non-negative value formats to text that parses back, under N19,5, to itself. */
static void test_round_trip(void **state)
{
	uint64_t seed = 0x5eed2022cbecULL;
	char out[DEC_FMT_MAX], fixed[DEC_FMT_MAX];
	for (int i = 0; i < 200000; i++) {
		uint64_t r = xorshift(&seed);
		/* spread over magnitudes: keep a random number of low bits */
		unsigned bits = (unsigned)(xorshift(&seed) % 64);
		int64_t v = (int64_t)(bits ? (r >> (64 - bits)) : 0);
		int64_t back = -1;
		dec_format(v, out);
		enum dec_err e = parse(out, 19, 5, &back);
		if (e != DEC_OK || back != v)
			fail_msg("round trip of %lld via \"%s\": %s, %lld", (long long)v, out,
			         dec_strerror(e), (long long)back);
		dec_format_fixed(v, 5, fixed);
		back = -1;
		e = parse(fixed, 19, 5, &back);
		if (e != DEC_OK || back != v)
			fail_msg("round trip of %lld via \"%s\": %s, %lld", (long long)v, fixed,
			         dec_strerror(e), (long long)back);
	}
	const int64_t edges[] = {0,        1, 9, 10, 99999, DEC_SCALE, DEC_SCALE + 1, INT64_MAX - 1,
	                         INT64_MAX};
	for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++) {
		int64_t back = -1;
		assert_int_equal(parse(dec_format(edges[i], out), 19, 5, &back), DEC_OK);
		assert_int_equal(back, edges[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_values),
	    cmocka_unit_test(test_parse_values_n19_5),
	    cmocka_unit_test(test_parse_xml_white_space),
	    cmocka_unit_test(test_parse_value_space_facets),
	    cmocka_unit_test(test_parse_rejects_empty),
	    cmocka_unit_test(test_parse_rejects_sign),
	    cmocka_unit_test(test_parse_rejects_syntax),
	    cmocka_unit_test(test_parse_rejects_fraction),
	    cmocka_unit_test(test_parse_rejects_digits),
	    cmocka_unit_test(test_parse_rejects_range),
	    cmocka_unit_test(test_parse_respects_length),
	    cmocka_unit_test(test_parse_int),
	    cmocka_unit_test(test_strerror),
	    cmocka_unit_test(test_format_shortest),
	    cmocka_unit_test(test_format_fixed),
	    cmocka_unit_test(test_round_half_away_from_zero),
	    cmocka_unit_test(test_round_range_edges),
	    cmocka_unit_test(test_mul),
	    cmocka_unit_test(test_mul_overflow),
	    cmocka_unit_test(test_muldiv),
	    cmocka_unit_test(test_tax_worked_example),
	    cmocka_unit_test(test_round_trip),
	};
	return cmocka_run_group_tests_name("dec", tests, NULL, NULL);
}
