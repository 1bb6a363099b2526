/* Tests for src/ceb/codes.c: table order, known and unknown codes, length-delimited keys, and
 * every code field of the shared sample messages. */
#define _XOPEN_SOURCE 700 /* nftw */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ceb/codes.h"
#include "testutil.h"

static const struct ceb_code *find(enum ceb_codeset set, const char *code)
{
	return ceb_code_find(set, code, strlen(code));
}

/* Width of every code of a set, as the CEB field formats fix it (C3, C4, C1). */
static size_t width(enum ceb_codeset set)
{
	switch (set) {
	case CEB_CODES_CUSTOMS:
		return 4;
	case CEB_CODES_TRAFMODE:
	case CEB_CODES_WRAPTYPE:
		return 1;
	default:
		return 3;
	}
}

/* Strictly increasing strcmp order means sorted and without duplicates, which the binary
 * search relies on; a misplaced line in a table fails here. */
static void test_sorted_unique(void **state)
{
	(void)state;
	for (int s = 0; s < CEB_CODES__N; s++) {
		size_t n = 0;
		const struct ceb_code *v = ceb_codes((enum ceb_codeset)s, &n);
		assert_non_null(v);
		assert_true(n > 0);
		for (size_t i = 0; i < n; i++) {
			assert_non_null(v[i].code);
			assert_non_null(v[i].zh);
			assert_non_null(v[i].en);
			assert_int_equal(strlen(v[i].code), width((enum ceb_codeset)s));
			assert_true(v[i].zh[0] != '\0');
			if (i > 0 && strcmp(v[i - 1].code, v[i].code) >= 0)
				fail_msg("%s: \"%s\" then \"%s\" is out of order or repeated",
				         ceb_codeset_name((enum ceb_codeset)s), v[i - 1].code,
				         v[i].code);
		}
	}
}

/* The tables are the full customs lists, not samples of them. */
static void test_sizes(void **state)
{
	(void)state;
	static const size_t min[CEB_CODES__N] = {
	    [CEB_CODES_CURRENCY] = 25,  [CEB_CODES_COUNTRY] = 240, [CEB_CODES_UNIT] = 120,
	    [CEB_CODES_CUSTOMS] = 1000, [CEB_CODES_TRAFMODE] = 16, [CEB_CODES_WRAPTYPE] = 7,
	};
	for (int s = 0; s < CEB_CODES__N; s++) {
		size_t n = 0;
		ceb_codes((enum ceb_codeset)s, &n);
		if (n < min[s])
			fail_msg("%s has %zu entries, expected at least %zu",
			         ceb_codeset_name((enum ceb_codeset)s), n, min[s]);
	}
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(ceb_codeset_name(CEB_CODES_CURRENCY), "currency");
	assert_string_equal(ceb_codeset_name(CEB_CODES_COUNTRY), "country");
	assert_string_equal(ceb_codeset_name(CEB_CODES_UNIT), "unit");
	assert_string_equal(ceb_codeset_name(CEB_CODES_CUSTOMS), "customs");
	assert_string_equal(ceb_codeset_name(CEB_CODES_TRAFMODE), "trafmode");
	assert_string_equal(ceb_codeset_name(CEB_CODES_WRAPTYPE), "wraptype");
	assert_string_equal(ceb_codeset_name(CEB_CODES__N), "unknown");
}

static void test_bad_set(void **state)
{
	(void)state;
	size_t n = 99;
	assert_null(ceb_codes(CEB_CODES__N, &n));
	assert_int_equal(n, 0);
	assert_null(ceb_codes((enum ceb_codeset) - 1, NULL));
	assert_null(ceb_code_find(CEB_CODES__N, "142", 3));
	assert_null(ceb_code_find((enum ceb_codeset) - 1, "142", 3));
}

struct known {
	enum ceb_codeset set;
	const char *code, *zh, *en; /* en NULL: not checked */
};

static const struct known known[] = {
    {CEB_CODES_CURRENCY, "142", "人民币", "CNY"},
    {CEB_CODES_CURRENCY, "110", "港币", "HKD"},
    {CEB_CODES_CURRENCY, "116", "日本元", "JPY"},
    {CEB_CODES_CURRENCY, "300", "欧元", "EUR"},
    {CEB_CODES_CURRENCY, "303", "英镑", "GBP"},
    {CEB_CODES_CURRENCY, "502", "美元", "USD"},
    {CEB_CODES_CURRENCY, "601", "澳大利亚元", "AUD"},
    {CEB_CODES_COUNTRY, "142", "中国", "China"},
    {CEB_CODES_COUNTRY, "110", "中国香港", "Hong Kong"},
    {CEB_CODES_COUNTRY, "121", "中国澳门", NULL},
    {CEB_CODES_COUNTRY, "143", "中国台湾", NULL},
    {CEB_CODES_COUNTRY, "116", "日本", "Japan"},
    {CEB_CODES_COUNTRY, "133", "韩国", NULL},
    {CEB_CODES_COUNTRY, "304", "德国", "Germany"},
    {CEB_CODES_COUNTRY, "303", "英国", "United Kingdom"},
    {CEB_CODES_COUNTRY, "344", "俄罗斯联邦", "Russia"},
    {CEB_CODES_COUNTRY, "502", "美国", "United States"},
    {CEB_CODES_COUNTRY, "601", "澳大利亚", "Australia"},
    {CEB_CODES_COUNTRY, "609", "新西兰", "New Zealand"},
    {CEB_CODES_UNIT, "001", "台", ""},
    {CEB_CODES_UNIT, "006", "套", ""},
    {CEB_CODES_UNIT, "007", "个", ""},
    {CEB_CODES_UNIT, "011", "件", ""},
    {CEB_CODES_UNIT, "012", "支", ""},
    {CEB_CODES_UNIT, "025", "双", ""},
    {CEB_CODES_UNIT, "035", "千克", ""},
    {CEB_CODES_UNIT, "036", "克", ""},
    {CEB_CODES_UNIT, "095", "升", ""},
    {CEB_CODES_UNIT, "096", "毫升", ""},
    {CEB_CODES_UNIT, "140", "盒", ""},
    {CEB_CODES_UNIT, "142", "瓶", ""},
    {CEB_CODES_CUSTOMS, "0100", "北京关区", ""},
    {CEB_CODES_CUSTOMS, "2200", "上海海关", ""},
    {CEB_CODES_CUSTOMS, "2900", "杭州关区", ""},
    {CEB_CODES_CUSTOMS, "3100", "宁波关区", ""},
    {CEB_CODES_CUSTOMS, "4601", "郑州海关", ""},
    {CEB_CODES_CUSTOMS, "5100", "广州海关", ""},
    {CEB_CODES_CUSTOMS, "5300", "深圳海关", ""},
    {CEB_CODES_CUSTOMS, "8000", "重庆关区", ""},
    {CEB_CODES_CUSTOMS, "0000", "海关总署/全部关区", ""},
    {CEB_CODES_CUSTOMS, "A100", "澳门海关", ""},
    {CEB_CODES_TRAFMODE, "0", "非保税区", NULL},
    {CEB_CODES_TRAFMODE, "2", "水路运输", NULL},
    {CEB_CODES_TRAFMODE, "5", "航空运输", NULL},
    {CEB_CODES_TRAFMODE, "W", "物流中心", NULL},
    {CEB_CODES_TRAFMODE, "Y", "保税港区", NULL},
    {CEB_CODES_WRAPTYPE, "1", "木箱", NULL},
    {CEB_CODES_WRAPTYPE, "2", "纸箱", NULL},
    {CEB_CODES_WRAPTYPE, "5", "托盘", NULL},
};

static void test_known(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
		const struct known *k = &known[i];
		const struct ceb_code *c = find(k->set, k->code);
		if (!c)
			fail_msg("%s %s not found", ceb_codeset_name(k->set), k->code);
		assert_string_equal(c->code, k->code);
		assert_string_equal(c->zh, k->zh);
		if (k->en)
			assert_string_equal(c->en, k->en);
	}
}

static void test_unknown(void **state)
{
	(void)state;
	assert_null(find(CEB_CODES_CURRENCY, "999"));
	assert_null(find(CEB_CODES_CURRENCY, "aaa"));
	assert_null(find(CEB_CODES_CURRENCY, "610")); /* the source's lower-case nzd row */
	assert_null(find(CEB_CODES_CURRENCY, "CNY"));
	assert_null(find(CEB_CODES_UNIT, "aaa"));
	assert_null(find(CEB_CODES_UNIT, "999"));
	assert_null(find(CEB_CODES_UNIT, "024"));
	assert_null(find(CEB_CODES_COUNTRY, "001"));
	assert_null(find(CEB_CODES_COUNTRY, "140"));
	assert_null(find(CEB_CODES_CUSTOMS, "9999"));
	assert_null(find(CEB_CODES_CUSTOMS, "a100"));
	assert_null(find(CEB_CODES_TRAFMODE, "w"));
	assert_null(find(CEB_CODES_TRAFMODE, "B"));
	assert_null(find(CEB_CODES_WRAPTYPE, "0"));
	assert_null(find(CEB_CODES_WRAPTYPE, "8"));

	/* Empty input, with or without a pointer. */
	assert_null(ceb_code_find(CEB_CODES_CURRENCY, "", 0));
	assert_null(ceb_code_find(CEB_CODES_CURRENCY, "142", 0));
	assert_null(ceb_code_find(CEB_CODES_CURRENCY, NULL, 0));
	assert_null(ceb_code_find(CEB_CODES_CURRENCY, NULL, 3));

	/* Wrong length: a prefix or an extension of a real code is not that code. */
	assert_null(find(CEB_CODES_CURRENCY, "14"));
	assert_null(find(CEB_CODES_CURRENCY, "1"));
	assert_null(find(CEB_CODES_CURRENCY, "1420"));
	assert_null(find(CEB_CODES_CUSTOMS, "290"));
	assert_null(find(CEB_CODES_CUSTOMS, "29000"));
	assert_null(find(CEB_CODES_TRAFMODE, "55"));
	assert_null(find(CEB_CODES_COUNTRY, " 142"));
	assert_null(find(CEB_CODES_COUNTRY, "142 "));
	assert_null(ceb_code_find(CEB_CODES_COUNTRY, "142\0", 4));

	/* A code of one set is not looked up in another. */
	assert_null(find(CEB_CODES_CUSTOMS, "142"));
	assert_null(find(CEB_CODES_TRAFMODE, "142"));
}

/* Keys come from the message buffer, so the look-up must stop at n: the key here sits in an
 * exactly sized heap block (ASan flags any read past it) or runs on into other text. */
static void test_not_terminated(void **state)
{
	(void)state;
	const char text[] = "502USD2900W";
	const struct ceb_code *c = ceb_code_find(CEB_CODES_CURRENCY, text, 3);
	assert_non_null(c);
	assert_string_equal(c->en, "USD");
	c = ceb_code_find(CEB_CODES_CUSTOMS, text + 6, 4);
	assert_non_null(c);
	assert_string_equal(c->zh, "杭州关区");
	c = ceb_code_find(CEB_CODES_TRAFMODE, text + 10, 1);
	assert_non_null(c);
	assert_string_equal(c->zh, "物流中心");

	for (int s = 0; s < CEB_CODES__N; s++) {
		size_t n = 0;
		const struct ceb_code *v = ceb_codes((enum ceb_codeset)s, &n);
		for (size_t i = 0; i < n; i++) {
			size_t len = strlen(v[i].code);
			char *key = malloc(len);
			assert_non_null(key);
			memcpy(key, v[i].code, len);
			assert_ptr_equal(ceb_code_find((enum ceb_codeset)s, key, len), &v[i]);
			free(key);
		}
	}
}

/* The codes the shared sample messages use in their code fields, found with
 * grep over domain/samples and domain/official/samples. */
static void test_sample_codes_listed(void **state)
{
	(void)state;
	static const struct {
		enum ceb_codeset set;
		const char *code;
	} used[] = {
	    {CEB_CODES_CURRENCY, "142"}, {CEB_CODES_CURRENCY, "502"}, {CEB_CODES_COUNTRY, "116"},
	    {CEB_CODES_COUNTRY, "133"},  {CEB_CODES_COUNTRY, "142"},  {CEB_CODES_COUNTRY, "303"},
	    {CEB_CODES_COUNTRY, "306"},  {CEB_CODES_COUNTRY, "502"},  {CEB_CODES_UNIT, "007"},
	    {CEB_CODES_UNIT, "011"},     {CEB_CODES_UNIT, "035"},     {CEB_CODES_UNIT, "140"},
	    {CEB_CODES_CUSTOMS, "0102"}, {CEB_CODES_CUSTOMS, "1500"}, {CEB_CODES_CUSTOMS, "1501"},
	    {CEB_CODES_CUSTOMS, "2900"}, {CEB_CODES_CUSTOMS, "3700"}, {CEB_CODES_CUSTOMS, "4601"},
	    {CEB_CODES_CUSTOMS, "5141"}, {CEB_CODES_TRAFMODE, "0"},   {CEB_CODES_TRAFMODE, "1"},
	    {CEB_CODES_TRAFMODE, "4"},   {CEB_CODES_TRAFMODE, "5"},   {CEB_CODES_TRAFMODE, "W"},
	    {CEB_CODES_WRAPTYPE, "1"},   {CEB_CODES_WRAPTYPE, "2"},
	};
	for (size_t i = 0; i < sizeof used / sizeof used[0]; i++)
		if (!find(used[i].set, used[i].code))
			fail_msg("%s %s not found", ceb_codeset_name(used[i].set), used[i].code);
}

/* The XML elements that carry codes, by local name. */
static const struct {
	const char *field;
	enum ceb_codeset set;
} fields[] = {
    {"currency", CEB_CODES_CURRENCY},    {"fCurrency", CEB_CODES_CURRENCY},
    {"iCurrency", CEB_CODES_CURRENCY},   {"country", CEB_CODES_COUNTRY},
    {"tradeCountry", CEB_CODES_COUNTRY}, {"unit", CEB_CODES_UNIT},
    {"unit1", CEB_CODES_UNIT},           {"unit2", CEB_CODES_UNIT},
    {"customsCode", CEB_CODES_CUSTOMS},  {"portCode", CEB_CODES_CUSTOMS},
    {"trafMode", CEB_CODES_TRAFMODE},    {"wrapType", CEB_CODES_WRAPTYPE},
};

/* Values in the official samples that are placeholders, not codes ("aaa", country 001 next to
 * POD 002), or absent from our 2019 district table (8030, in the 2016-era CEB625 sample).
 * They must stay unknown; move one out if a newer source lists it. */
static const struct {
	enum ceb_codeset set;
	const char *code;
} placeholders[] = {
    {CEB_CODES_CURRENCY, "aaa"},
    {CEB_CODES_UNIT, "aaa"},
    {CEB_CODES_COUNTRY, "001"},
    {CEB_CODES_CUSTOMS, "8030"},
};

static size_t scan_files, scan_values, scan_bad;
static char scan_first[512]; /* the first bad value, reported after the walk */

static int is_placeholder(enum ceb_codeset set, const char *v, size_t n)
{
	for (size_t i = 0; i < sizeof placeholders / sizeof placeholders[0]; i++)
		if (placeholders[i].set == set && strlen(placeholders[i].code) == n &&
		    memcmp(placeholders[i].code, v, n) == 0)
			return 1;
	return 0;
}

static void bad(const char *path, const char *field, const char *v, size_t n, const char *why)
{
	if (scan_bad++ == 0)
		snprintf(scan_first, sizeof scan_first, "%s: <%s>%.*s %s", path, field, (int)n, v,
		         why);
}

/* Checks <prefix:field>value< for every code field in one file; the samples carry no
 * attributes on these elements, so a plain scan is enough. */
static void check_file(const char *path)
{
	char *text = tu_read(path, NULL);
	for (const char *p = strchr(text, '<'); p; p = strchr(p + 1, '<')) {
		const char *name = p + 1;
		if (*name == '/' || *name == '?' || *name == '!')
			continue;
		const char *gt = strchr(name, '>');
		if (!gt)
			break;
		const char *colon = memchr(name, ':', (size_t)(gt - name));
		if (colon)
			name = colon + 1;
		size_t nlen = (size_t)(gt - name);
		for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
			if (strlen(fields[f].field) != nlen ||
			    memcmp(fields[f].field, name, nlen) != 0)
				continue;
			const char *v = gt + 1;
			const char *end = strchr(v, '<');
			size_t n = end ? (size_t)(end - v) : strlen(v);
			if (n == 0)
				break; /* an optional field left empty */
			scan_values++;
			const struct ceb_code *c = ceb_code_find(fields[f].set, v, n);
			if (is_placeholder(fields[f].set, v, n)) {
				if (c)
					bad(path, fields[f].field, v, n,
					    "is a placeholder but found");
			} else if (!c) {
				bad(path, fields[f].field, v, n, "is not in its table");
			}
			break;
		}
	}
	free(text);
}

static int visit(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	size_t n = strlen(path);
	if (type == FTW_F && n > 4 && strcmp(path + n - 4, ".xml") == 0) {
		scan_files++;
		check_file(path);
	}
	return 0;
}

/* Walks the sample folders themselves, so a sample added later is covered too. Failures are
 * collected and reported after nftw returns, so no assertion jumps out of the walk. */
static void test_sample_codes_scanned(void **state)
{
	(void)state;
	scan_files = scan_values = scan_bad = 0;
	assert_int_equal(nftw(tu_shared("domain/samples"), visit, 16, FTW_PHYS), 0);
	assert_int_equal(nftw(tu_shared("domain/official/samples"), visit, 16, FTW_PHYS), 0);
	if (scan_bad)
		fail_msg("%zu bad code values, first: %s", scan_bad, scan_first);
	assert_true(scan_files >= 40);
	assert_true(scan_values >= 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sorted_unique),
	    cmocka_unit_test(test_sizes),
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_bad_set),
	    cmocka_unit_test(test_known),
	    cmocka_unit_test(test_unknown),
	    cmocka_unit_test(test_not_terminated),
	    cmocka_unit_test(test_sample_codes_listed),
	    cmocka_unit_test(test_sample_codes_scanned),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
