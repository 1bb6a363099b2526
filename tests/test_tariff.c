/* The tariff table (src/clear/tariff.c): the shipped data/tariff.csv loads and is
 * consistent with the customs code tables and the VAT rates in force, the HS codes of the
 * sample messages are in it, and malformed tables are refused with the line at fault. */
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
#include "clear/tariff.h"
#include "testutil.h"

static const char hdr[] = "hs,name,mfn,vat,ct,ct_specific,unit1,unit2\n";

static struct tariff *load_shipped(void)
{
	char err[256];
	struct tariff *t = tariff_load(tu_src("data/tariff.csv"), err, sizeof err);
	if (!t)
		fail_msg("data/tariff.csv: %s", err);
	return t;
}

static const struct tariff_rate *find(const struct tariff *t, const char *hs)
{
	return tariff_find(t, hs, strlen(hs));
}

static void test_shipped_table(void **state)
{
	(void)state;
	struct tariff *t = load_shipped();
	size_t n = tariff_count(t);
	assert_true(n >= 250);
	assert_null(tariff_at(t, n));
	for (size_t i = 0; i < n; i++) {
		const struct tariff_rate *r = tariff_at(t, i);
		assert_non_null(r);
		if (i)
			assert_true(strcmp(tariff_at(t, i - 1)->hs, r->hs) < 0);
		assert_int_equal(strlen(r->hs), 10);
		assert_true(r->name && r->name[0]);
		if (!ceb_code_find(CEB_CODES_UNIT, r->unit1, strlen(r->unit1)))
			fail_msg("%s: unit1 %s not a customs unit", r->hs, r->unit1);
		if (r->unit2[0] && !ceb_code_find(CEB_CODES_UNIT, r->unit2, strlen(r->unit2)))
			fail_msg("%s: unit2 %s not a customs unit", r->hs, r->unit2);
		if (r->vat != 900 && r->vat != 1300)
			fail_msg("%s: vat %u/10000 is neither 9 %% nor 13 %%", r->hs, r->vat);
		assert_true(r->ct < 10000);
		assert_true(r->mfn <= 100000);
		/* Every row is found by its own code. */
		assert_ptr_equal(tariff_find(t, r->hs, 10), r);
	}
	tariff_free(t);
}

/* Rates the tax examples and the shared samples depend on. */
static void test_shipped_known_rows(void **state)
{
	(void)state;
	struct tariff *t = load_shipped();
	const struct tariff_rate *r = find(t, "3304990099"); /* 护肤品, sample CEB621 line 1 */
	assert_non_null(r);
	assert_int_equal(r->vat, 1300);
	assert_int_equal(r->ct, 1500); /* assumed high-end, see the file's header */
	assert_false(r->ct_specific);
	assert_string_equal(r->unit1, "035");

	r = find(t, "9617001100"); /* 保温杯, sample CEB621 line 2 */
	assert_non_null(r);
	assert_int_equal(r->vat, 1300);
	assert_int_equal(r->ct, 0);

	r = find(t, "2106909090"); /* official signed CEB621 sample */
	assert_non_null(r);
	assert_int_equal(r->ct, 0);

	/* A VAT-9 % row, a specific-CT row and a plain ad valorem CT row. */
	r = find(t, "0401100000");
	assert_non_null(r);
	assert_int_equal(r->vat, 900);
	r = find(t, "2203000000");
	assert_non_null(r);
	assert_true(r->ct_specific);
	r = find(t, "2204210000");
	assert_non_null(r);
	assert_int_equal(r->ct, 1000);
	assert_false(r->ct_specific);

	assert_null(find(t, "0000000000"));
	assert_null(find(t, "330499009"));
	assert_null(find(t, "33049900990"));
	assert_null(tariff_find(t, NULL, 10));
	assert_null(tariff_find(NULL, "3304990099", 10));
	tariff_free(t);
}

/* Codes of the official samples that are no real HS code of the current tariff: the
 * official samples are known to carry placeholders (see official/README.md). 8541401000
 * was 发光二极管 until the 2022 HS revision moved LEDs to 8541.41. */
static const char *const not_real[] = {"2412342134", "8541401000", "8541401001"};

static struct tariff *walk_t;
static size_t walk_codes, walk_missing;
static char walk_first[160];

static void check_file(const char *path)
{
	char *xml = tu_read(path, NULL);
	for (const char *p = xml; (p = strstr(p, "gcode>")) != NULL; p += 6) {
		const char *lt = p;
		while (lt > xml && *lt != '<')
			lt--;
		if (lt[1] == '/')
			continue; /* a closing tag */
		const char *v = p + 6;
		size_t n = strcspn(v, "<");
		int skip = 0;
		for (size_t k = 0; k < sizeof not_real / sizeof not_real[0]; k++)
			if (n == 10 && !memcmp(v, not_real[k], 10))
				skip = 1;
		if (skip)
			continue;
		walk_codes++;
		if (!tariff_find(walk_t, v, n) && walk_missing++ == 0)
			snprintf(walk_first, sizeof walk_first, "%.*s in %s",
			         (int)(n < 40 ? n : 40), v, path);
	}
	free(xml);
}

static int visit(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	size_t n = strlen(path);
	if (type == FTW_F && n > 4 && strcmp(path + n - 4, ".xml") == 0)
		check_file(path);
	return 0;
}

static void test_sample_codes_found(void **state)
{
	(void)state;
	walk_t = load_shipped();
	walk_codes = walk_missing = 0;
	assert_int_equal(nftw(tu_shared("domain/samples"), visit, 16, FTW_PHYS), 0);
	assert_int_equal(nftw(tu_shared("domain/official/samples"), visit, 16, FTW_PHYS), 0);
	tariff_free(walk_t);
	if (walk_missing)
		fail_msg("%zu sample gcodes not in the tariff, first: %s", walk_missing,
		         walk_first);
	assert_true(walk_codes >= 5);
}

/* A good minimal table, then the same with one defect at a time. */
static struct tariff *load_str(const char *csv, char *err, size_t errlen)
{
	return tariff_load_mem(csv, strlen(csv), err, errlen);
}

static void expect_bad(const char *csv, const char *want)
{
	char err[256] = "";
	struct tariff *t = load_str(csv, err, sizeof err);
	if (t) {
		tariff_free(t);
		fail_msg("accepted, expected \"%s\":\n%s", want, csv);
	}
	if (!strstr(err, want))
		fail_msg("error \"%s\", expected \"%s\"", err, want);
}

static void test_minimal_and_formats(void **state)
{
	(void)state;
	char err[256];
	const char *csv = "\xEF\xBB\xBF# a comment\r\n"
	                  "\r\n"
	                  "hs,name,mfn,vat,ct,ct_specific,unit1,unit2\r\n"
	                  "# rows need not be sorted\r\n"
	                  "9617001100,保温瓶,12,13,0,0,007,035\r\n"
	                  "   \r\n"
	                  "3304990099,护肤品,1,13,15,0,035,011\r\n"
	                  "2204210000,葡萄酒,14,13,10,0,095,035\r\n"
	                  "0401100000,鲜奶,15,9,0,0,035,\r\n"
	                  "2208300000,威士忌,5,13,20,1,095,035";
	struct tariff *t = load_str(csv, err, sizeof err);
	if (!t)
		fail_msg("%s", err);
	assert_int_equal(tariff_count(t), 5);
	assert_string_equal(tariff_at(t, 0)->hs, "0401100000");
	assert_string_equal(tariff_at(t, 4)->hs, "9617001100");
	const struct tariff_rate *r = find(t, "3304990099");
	assert_non_null(r);
	assert_string_equal(r->name, "护肤品");
	assert_int_equal(r->mfn, 100);
	assert_int_equal(r->vat, 1300);
	assert_int_equal(r->ct, 1500);
	assert_string_equal(r->unit1, "035");
	assert_string_equal(r->unit2, "011");
	r = find(t, "0401100000");
	assert_int_equal(r->vat, 900);
	assert_string_equal(r->unit2, "");
	assert_true(find(t, "2208300000")->ct_specific);
	assert_false(find(t, "2204210000")->ct_specific);
	/* Lookups take a length: the code may sit inside a longer buffer. */
	assert_non_null(tariff_find(t, "9617001100xyz", 10));
	tariff_free(t);

	/* Exact percent values: 6.5 and 0.25 and 10.00. */
	t = load_str("hs,name,mfn,vat,ct,ct_specific,unit1,unit2\n"
	             "6109100021,T恤,6.5,13,0.25,0,011,035\n"
	             "6109100022,T恤,10.00,13.0,0,0,011,035\n",
	             err, sizeof err);
	if (!t)
		fail_msg("%s", err);
	assert_int_equal(find(t, "6109100021")->mfn, 650);
	assert_int_equal(find(t, "6109100021")->ct, 25);
	assert_int_equal(find(t, "6109100022")->mfn, 1000);
	assert_int_equal(find(t, "6109100022")->vat, 1300);
	tariff_free(t);
}

static void test_malformed(void **state)
{
	(void)state;
	char csv[1024];
	static const char good[] = "3304990099,护肤品,1,13,15,0,035,011\n";

	expect_bad("", "line 1: missing header");
	expect_bad("# only a comment\n\n", "missing header");
	expect_bad("hs,name,mfn,vat,ct,ct_specific,unit1\n", "line 1: header must be");
	expect_bad("# x\nHS,name,mfn,vat,ct,ct_specific,unit1,unit2\n", "line 2: header must be");
	expect_bad(hdr, "line 1: the table has no rows");
	expect_bad("3304990099,护肤品,1,13,15,0,035,011\n", "line 1: header must be");

	struct {
		const char *row, *want;
	} bad[] = {
	    {"330499009,护肤品,1,13,15,0,035,011", "line 3: hs must be exactly 10 digits"},
	    {"33049900990,护肤品,1,13,15,0,035,011", "line 3: hs must be"},
	    {"33049900x9,护肤品,1,13,15,0,035,011", "line 3: hs must be"},
	    {"3304990099,,1,13,15,0,035,011", "line 3: name is empty"},
	    {"3304990099,护肤品,1,13,15,0,035", "line 3: too few columns"},
	    {"3304990099,护肤品,1,13,15,0,035,011,x", "line 3: too many columns"},
	    {"3304990099,\"护肤品\",1,13,15,0,035,011", "line 3: quoted fields"},
	    {"3304990099,护肤品,,13,15,0,035,011", "line 3: mfn"},
	    {"3304990099,护肤品,1%,13,15,0,035,011", "line 3: mfn"},
	    {"3304990099,护肤品,-1,13,15,0,035,011", "line 3: mfn"},
	    {"3304990099,护肤品,1.005,13,15,0,035,011", "line 3: mfn"},
	    {"3304990099,护肤品,1e1,13,15,0,035,011", "line 3: mfn"},
	    {"3304990099,护肤品,1000.01,13,15,0,035,011", "line 3: mfn"},
	    {"3304990099,护肤品,1,thirteen,15,0,035,011", "line 3: vat"},
	    {"3304990099,护肤品,1,100,15,0,035,011", "line 3: vat"},
	    {"3304990099,护肤品,1,13,100,0,035,011", "line 3: ct"},
	    {"3304990099,护肤品,1,13,0.001,0,035,011", "line 3: ct"},
	    {"3304990099,护肤品,1,13,15,2,035,011", "line 3: ct_specific"},
	    {"3304990099,护肤品,1,13,15,,035,011", "line 3: ct_specific"},
	    {"3304990099,护肤品,1,13,15,0,35,011", "line 3: unit1 must be"},
	    {"3304990099,护肤品,1,13,15,0,,011", "line 3: unit1 must be"},
	    {"3304990099,护肤品,1,13,15,0,999,011", "line 3: unit1 is not in"},
	    {"3304990099,护肤品,1,13,15,0,035,11", "line 3: unit2 must be"},
	    {"3304990099,护肤品,1,13,15,0,035,024", "line 3: unit2 is not in"},
	    {"3304990099,\xE6\x8A,1,13,15,0,035,011", "line 3: name is not valid UTF-8"},
	    {"3304990099,a\tb,1,13,15,0,035,011", "line 3: name is not valid UTF-8"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(csv, sizeof csv, "# t\n%s%s\n%s", hdr, bad[i].row, good);
		expect_bad(csv, bad[i].want);
	}

	/* A duplicate names both lines, whatever the order after sorting. */
	snprintf(csv, sizeof csv, "%s%s9617001100,保温瓶,12,13,0,0,007,035\n%s", hdr, good, good);
	expect_bad(csv, "line 4: duplicate hs 3304990099 (first on line 2)");
	/* CRLF counts lines the same way. */
	snprintf(csv, sizeof csv,
	         "hs,name,mfn,vat,ct,ct_specific,unit1,unit2\r\n\r\n"
	         "3304990099,a,1,13,15,0,035,011\r\n"
	         "3304990099,a,1,13,15,0,035,bad\r\n");
	expect_bad(csv, "line 4: unit2 must be");

	/* A NUL byte inside the data. */
	char nul[] = "hs,name,mfn,vat,ct,ct_specific,unit1,unit2\n3304990099,a\0b,1,13,15,0,035,\n";
	char err[128];
	assert_null(tariff_load_mem(nul, sizeof nul - 1, err, sizeof err));
	assert_non_null(strstr(err, "line 2: NUL byte"));

	/* A small error buffer truncates the message; no buffer at all is allowed. */
	char small[8];
	assert_null(load_str("x\n", small, sizeof small));
	assert_int_equal(strlen(small), sizeof small - 1);
	assert_null(load_str("x\n", NULL, 0));
}

static void test_load_file_errors(void **state)
{
	(void)state;
	char err[256];
	assert_null(tariff_load(tu_src("data/no-such-tariff.csv"), err, sizeof err));
	assert_non_null(strstr(err, "cannot open"));
	/* A directory opens but does not read. */
	assert_null(tariff_load(tu_src("data"), err, sizeof err));
	/* Too large for a tariff: refused without reading it all. */
	assert_null(tariff_load_mem(hdr, (size_t)17 * 1024 * 1024, err, sizeof err));
	assert_non_null(strstr(err, "larger than"));
	tariff_free(NULL);
	assert_int_equal(tariff_count(NULL), 0);
	assert_null(tariff_at(NULL, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_shipped_table),      cmocka_unit_test(test_shipped_known_rows),
	    cmocka_unit_test(test_sample_codes_found), cmocka_unit_test(test_minimal_and_formats),
	    cmocka_unit_test(test_malformed),          cmocka_unit_test(test_load_file_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
