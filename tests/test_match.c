/* Three-document matching (src/clear/match.c): the reference samples in shared/domain/samples
 * form one consistent 1210 import (311/411/511/621) and one 9610 export (303/505/603) and must
 * match without a finding; every check then gets a mutated copy asserting the exact rule id
 * and element path, and several mismatches at once must all be reported. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "ceb/parse.h"
#include "clear/match.h"
#include "testutil.h"

static struct ceb_parser *g_parser;

#define S311 "CEB311Message.xml"
#define S411 "CEB411Message.xml"
#define S511 "CEB511Message.xml"
#define S621 "CEB621Message.xml"
#define S303 "CEB303Message.xml"
#define S505 "CEB505Message.xml"
#define S603 "CEB603Message.xml"
#define S403 "k403" /* hand-built below: no shared sample */

#define P411 "/CEB411Message/Payment[1]/PaymentHead/"
#define P511 "/CEB511Message/Logistics[1]/LogisticsHead/"
#define INV621 "/CEB621Message/Inventory[1]"
#define P621 INV621 "/InventoryHead/"
#define P621L(n) INV621 "/InventoryList[" #n "]/"
#define INV603 "/CEB603Message/Inventory[1]"
#define P603 INV603 "/InventoryHead/"
#define P603L(n) INV603 "/InventoryList[" #n "]/"

#define ORDERNO "TESTORD202405200001"

/* A collection note for the export samples (CEB_FIELDS_ERC): same ebpCode, ebcCode and
 * orderNo as the 303/603; charge = goodsValue + freight in the order's currency. */
static const char k403[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<ceb:CEB403Message xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\" "
    "guid=\"E1950EB3-C2D1-4A67-9485-9C0D1E2F3B01\" version=\"1.0\">\n"
    "<ceb:Receipts>\n"
    "<ceb:guid>E1950EB3-C2D1-4A67-9485-9C0D1E2F3B02</ceb:guid>\n"
    "<ceb:appType>1</ceb:appType>\n"
    "<ceb:appTime>20240601120000</ceb:appTime>\n"
    "<ceb:appStatus>2</ceb:appStatus>\n"
    "<ceb:ebpCode>1234570TST</ceb:ebpCode>\n"
    "<ceb:ebpName>示例出海商城（测试）</ceb:ebpName>\n"
    "<ceb:ebcCode>1234571TST</ceb:ebcCode>\n"
    "<ceb:ebcName>示例外贸电商有限公司（测试）</ceb:ebcName>\n"
    "<ceb:orderNo>TESTEXP202406010001</ceb:orderNo>\n"
    "<ceb:payCode>1234572TST</ceb:payCode>\n"
    "<ceb:payName>示例收款有限公司（测试）</ceb:payName>\n"
    "<ceb:payNo>TESTEXPPAY000000001</ceb:payNo>\n"
    "<ceb:charge>41.00</ceb:charge>\n"
    "<ceb:currency>502</ceb:currency>\n"
    "<ceb:accountingDate>20240603100000</ceb:accountingDate>\n"
    "</ceb:Receipts>\n"
    "<ceb:BaseTransfer><ceb:copCode>1234572TST</ceb:copCode>"
    "<ceb:copName>示例收款有限公司（测试）</ceb:copName><ceb:dxpMode>DXP</ceb:dxpMode>"
    "<ceb:dxpId>DXPTST0000000012</ceb:dxpId></ceb:BaseTransfer>\n"
    "</ceb:CEB403Message>\n";

/* The second goods line of the 621 sample, for cutting it out ("start…end" spans). */
#define CUT621L2 "    <ceb:InventoryList>\n      <ceb:gnum>2…</ceb:InventoryList>\n"

/* Up to four messages, each parsed into its own arena so all stay alive, and the findings of
 * one match run in a fifth. Import slots: 311, 411, 511, 621; export: 303, 505, 603, 403. */
enum { NSLOT = 4, MAXF = 64 };
enum { O311, O411, O511, O621 };
enum { O303, O505, O603, O403 };

struct world {
	struct arena *a[NSLOT];
	const struct ceb_node *e[NSLOT];
	struct arena *fa;
	struct ceb_findings f;
	bool matched[MAXF];
};

static struct world *world_new(const struct ceb_policy *policy)
{
	struct world *w = calloc(1, sizeof *w);
	assert_non_null(w);
	w->fa = arena_new(0);
	assert_non_null(w->fa);
	ceb_findings_init(&w->f, w->fa, policy);
	return w;
}

static void world_free(struct world *w)
{
	for (int i = 0; i < NSLOT; i++)
		arena_free(w->a[i]);
	arena_free(w->fa);
	free(w);
}

static void dump(const struct world *w)
{
	for (const struct ceb_finding *f = w->f.head; f; f = f->next)
		fprintf(stderr, "#   %s %s: %s | %s\n", ceb_rules[f->rule].id, f->path, f->en,
		        f->zh);
}

/* Replace the first occurrence of `from` by `to`; "start…end" replaces the span from start
 * through the next end. Takes s, returns a malloc'd result. */
static char *replace(char *s, const char *from, const char *to)
{
	const char *ell = strstr(from, "…");
	size_t nstart = ell ? (size_t)(ell - from) : strlen(from);
	char *start = malloc(nstart + 1);
	assert_non_null(start);
	memcpy(start, from, nstart);
	start[nstart] = '\0';
	char *at = strstr(s, start);
	if (!at)
		fprintf(stderr, "# mutation source not found: %s\n", from);
	assert_non_null(at);
	size_t nf = nstart;
	if (ell) {
		const char *end = ell + strlen("…");
		char *e = strstr(at + nstart, end);
		assert_non_null(e);
		nf = (size_t)(e - at) + strlen(end);
	}
	free(start);
	size_t pre = (size_t)(at - s), nt = strlen(to), rest = strlen(at + nf);
	char *out = malloc(pre + nt + rest + 1);
	assert_non_null(out);
	memcpy(out, s, pre);
	memcpy(out + pre, to, nt);
	memcpy(out + pre + nt, at + nf, rest + 1);
	free(s);
	return out;
}

static char *sample(const char *file)
{
	if (!strcmp(file, S403)) {
		char *s = strdup(k403);
		assert_non_null(s);
		return s;
	}
	char rel[256];
	snprintf(rel, sizeof rel, "domain/samples/%s", file);
	return tu_read(tu_shared(rel), NULL);
}

/* Parse a sample with the (from, to) pairs of ap applied into slot i; the parse itself must
 * be clean, so a finding below is the matcher's. */
static void vload(struct world *w, int i, const char *file, va_list ap)
{
	char *text = sample(file);
	const char *from;
	while ((from = va_arg(ap, const char *))) {
		const char *to = va_arg(ap, const char *);
		text = replace(text, from, to);
	}
	if (!w->a[i])
		w->a[i] = arena_new(0);
	assert_non_null(w->a[i]);
	struct ceb_findings pf;
	ceb_findings_init(&pf, w->a[i], NULL);
	bool wf = false;
	int err = 0;
	struct ceb_msg *m = ceb_parse(g_parser, text, strlen(text), w->a[i], &pf, &wf, &err);
	free(text);
	assert_int_equal(err, 0);
	assert_non_null(m);
	assert_true(wf);
	if (pf.count)
		for (const struct ceb_finding *f = pf.head; f; f = f->next)
			fprintf(stderr, "# parse %s: %s %s\n", file, ceb_rules[f->rule].id,
			        f->path);
	assert_int_equal(pf.count, 0);
	w->e[i] = ceb_msg_entities(m);
	assert_non_null(w->e[i]);
}

/* A sample with (from, to) pairs, NULL-terminated, into slot i. */
static void load(struct world *w, int i, const char *file, ...)
{
	va_list ap;
	va_start(ap, file);
	vload(w, i, file, ap);
	va_end(ap);
}

static const char *const k_import[NSLOT] = {S311, S411, S511, S621};
static const char *const k_export[NSLOT] = {S303, S505, S603, S403};

/* The four samples of a side, `file` with the (from, to) pairs applied (file NULL: none). */
static struct world *vworld(const char *const *files, const char *file, va_list ap)
{
	struct world *w = world_new(NULL);
	for (int i = 0; i < NSLOT; i++) {
		if (file && !strcmp(file, files[i]))
			vload(w, i, files[i], ap);
		else
			load(w, i, files[i], NULL);
	}
	return w;
}

static struct world *impw(const char *file, ...)
{
	va_list ap;
	va_start(ap, file);
	struct world *w = vworld(k_import, file, ap);
	va_end(ap);
	return w;
}

static struct world *expw(const char *file, ...)
{
	va_list ap;
	va_start(ap, file);
	struct world *w = vworld(k_export, file, ap);
	va_end(ap);
	return w;
}

static void run_import(struct world *w, const struct match_opts *o)
{
	match_import(w->e[O311], w->e[O411], w->e[O511], w->e[O621], o, &w->f);
	assert_true(w->f.count < MAXF);
}

static void run_export(struct world *w, bool with_403)
{
	match_export(w->e[O303], w->e[O505], w->e[O603], with_403 ? w->e[O403] : NULL, NULL, &w->f);
	assert_true(w->f.count < MAXF);
}

/* A finding with exactly this rule id and path that no earlier call claimed; non-empty
 * sentences in both languages. */
static const struct ceb_finding *expect_rule(struct world *w, const char *id, const char *path)
{
	int rule = ceb_rule_find(id);
	assert_true(rule >= 0);
	unsigned i = 0;
	for (const struct ceb_finding *f = w->f.head; f; f = f->next, i++) {
		if ((int)f->rule != rule || strcmp(f->path, path) != 0 || w->matched[i])
			continue;
		assert_non_null(f->zh);
		assert_non_null(f->en);
		assert_true(f->zh[0] != '\0');
		assert_true(f->en[0] != '\0');
		w->matched[i] = true;
		return f;
	}
	fprintf(stderr, "# expected %s at %s, got:\n", id, path);
	dump(w);
	fail();
	return NULL;
}

/* Every finding was claimed by an expect_rule(). */
static void expect_only(const struct world *w)
{
	unsigned i = 0;
	bool ok = true;
	for (const struct ceb_finding *f = w->f.head; f; f = f->next, i++)
		if (!w->matched[i]) {
			if (ok)
				fprintf(stderr, "# unexpected findings:\n");
			fprintf(stderr, "#   %s %s: %s\n", ceb_rules[f->rule].id, f->path, f->en);
			ok = false;
		}
	assert_true(ok);
}

static void expect_clean(const struct world *w)
{
	if (w->f.count) {
		fprintf(stderr, "# expected no findings, got:\n");
		dump(w);
	}
	assert_int_equal(w->f.count, 0);
}

/* One mutation of one import sample gives exactly one finding: `id` at `path`. */
static void import_fails(const char *file, const char *from, const char *to, const char *id,
                         const char *path)
{
	struct world *w = impw(file, from, to, NULL);
	run_import(w, NULL);
	expect_rule(w, id, path);
	expect_only(w);
	world_free(w);
}

static void import_passes(const char *file, const char *from, const char *to)
{
	struct world *w = impw(file, from, to, NULL);
	run_import(w, NULL);
	expect_clean(w);
	world_free(w);
}

static void export_fails(const char *file, const char *from, const char *to, const char *id,
                         const char *path)
{
	struct world *w = expw(file, from, to, NULL);
	run_export(w, true);
	expect_rule(w, id, path);
	expect_only(w);
	world_free(w);
}

static void export_passes(const char *file, const char *from, const char *to)
{
	struct world *w = expw(file, from, to, NULL);
	run_export(w, true);
	expect_clean(w);
	world_free(w);
}

static void assert_contains(const char *s, const char *part)
{
	if (!strstr(s, part))
		fprintf(stderr, "# \"%s\" does not contain \"%s\"\n", s, part);
	assert_non_null(strstr(s, part));
}

static int setup(void **state)
{
	g_parser = ceb_parser_new(NULL);
	return g_parser ? 0 : -1;
}

static int teardown(void **state)
{
	ceb_parser_free(g_parser);
	return 0;
}

/* ---- the consistent samples ---- */

static void test_import_samples_match(void **state)
{
	struct world *w = impw(NULL);
	run_import(w, NULL);
	expect_clean(w);
	struct match_opts o;
	match_opts_default(&o);
	assert_true(o.payer_is_buyer);
	run_import(w, &o);
	o.payer_is_buyer = false;
	run_import(w, &o);
	expect_clean(w);
	world_free(w);
}

static void test_export_samples_match(void **state)
{
	struct world *w = expw(NULL);
	run_export(w, false);
	expect_clean(w);
	run_export(w, true);
	expect_clean(w);
	world_free(w);
}

/* No list, nothing to match; a missing head is not a crash either. */
static void test_no_list(void **state)
{
	struct world *w = impw(NULL);
	match_import(w->e[O311], w->e[O411], w->e[O511], NULL, NULL, &w->f);
	match_import(NULL, NULL, NULL, NULL, NULL, &w->f);
	match_export(NULL, NULL, NULL, NULL, NULL, &w->f);
	/* an import list is not an export list */
	match_export(NULL, NULL, w->e[O621], NULL, NULL, &w->f);
	expect_clean(w);
	world_free(w);
}

/* ---- M-01 order ---- */

static void test_m01_order(void **state)
{
	struct world *w = impw(NULL);
	match_import(NULL, w->e[O411], w->e[O511], w->e[O621], NULL, &w->f);
	const struct ceb_finding *f = expect_rule(w, "M-01", P621 "orderNo");
	expect_only(w);
	assert_contains(f->zh, ORDERNO);
	assert_contains(f->zh, "1234560TST");
	assert_contains(f->en, ORDERNO);
	assert_contains(f->en, "no order");
	/* a document of another type is no order */
	ceb_findings_init(&w->f, w->fa, NULL);
	memset(w->matched, 0, sizeof w->matched);
	match_import(w->e[O511], w->e[O411], w->e[O511], w->e[O621], NULL, &w->f);
	expect_rule(w, "M-01", P621 "orderNo");
	expect_only(w);
	world_free(w);

	import_fails(S621, "<ceb:ebcCode>1234561TST", "<ceb:ebcCode>1234561TSX", "M-01",
	             P621 "ebcCode");
	import_fails(S311, "<ceb:ebcCode>1234561TST", "<ceb:ebcCode>9234561TST", "M-01",
	             P621 "ebcCode");
	import_fails(S311, "<ceb:ebpCode>1234560TST", "<ceb:ebpCode>1234560TSX", "M-01",
	             P621 "ebpCode");
	/* exact comparison: a trailing space is a different code */
	import_fails(S621, "<ceb:ebcCode>1234561TST", "<ceb:ebcCode>1234561TST ", "M-01",
	             P621 "ebcCode");
}

/* ---- M-02 payment ---- */

static void test_m02_payment(void **state)
{
	struct world *w = impw(NULL);
	match_import(w->e[O311], NULL, w->e[O511], w->e[O621], NULL, &w->f);
	const struct ceb_finding *f = expect_rule(w, "M-02", P621 "orderNo");
	expect_only(w);
	assert_contains(f->en, "no payment");
	assert_contains(f->en, ORDERNO);
	world_free(w);

	import_fails(S411, "<ceb:payTransactionId>TESTPAY2024052000001",
	             "<ceb:payTransactionId>TESTPAY2024052000002", "M-02", P411 "payTransactionId");
	import_fails(S411, "<ceb:payCode>1234562TST", "<ceb:payCode>1234569TST", "M-02",
	             P411 "payCode");
	import_fails(S411, "<ceb:orderNo>" ORDERNO, "<ceb:orderNo>TESTORD202405200002", "M-02",
	             P621 "orderNo");
	import_fails(S411, "<ceb:ebpCode>1234560TST", "<ceb:ebpCode>1234560TSX", "M-02",
	             P621 "ebpCode");

	/* an order without payCode/payTransactionId/payName leaves them unchecked */
	w = world_new(NULL);
	load(w, O311, S311, "<ceb:payCode>1234562TST</ceb:payCode>", "",
	     "<ceb:payName>示例支付有限公司（测试）</ceb:payName>", "",
	     "<ceb:payTransactionId>TESTPAY2024052000001</ceb:payTransactionId>", "", NULL);
	load(w, O411, S411, "<ceb:payCode>1234562TST", "<ceb:payCode>1234569TST",
	     "<ceb:payTransactionId>TESTPAY2024052000001", "<ceb:payTransactionId>OTHER",
	     "<ceb:payName>示例支付有限公司（测试）", "<ceb:payName>别的支付公司", NULL);
	load(w, O511, S511, NULL);
	load(w, O621, S621, NULL);
	run_import(w, NULL);
	expect_clean(w);
	world_free(w);
}

/* ---- M-03 waybill ---- */

static void test_m03_waybill(void **state)
{
	struct world *w = impw(NULL);
	match_import(w->e[O311], w->e[O411], NULL, w->e[O621], NULL, &w->f);
	const struct ceb_finding *f = expect_rule(w, "M-03", P621 "logisticsNo");
	expect_only(w);
	assert_contains(f->zh, "TESTWB0000000001");
	assert_contains(f->en, "1234563TST");
	world_free(w);

	import_fails(S511, "<ceb:logisticsNo>TESTWB0000000001", "<ceb:logisticsNo>TESTWB0000000002",
	             "M-03", P621 "logisticsNo");
	import_fails(S511, "<ceb:logisticsCode>1234563TST", "<ceb:logisticsCode>1234569TST", "M-03",
	             P621 "logisticsCode");
	import_fails(S511, "<ceb:orderNo>" ORDERNO, "<ceb:orderNo>TESTORD202405200009", "M-03",
	             P621 "orderNo");
}

/* ---- M-04 amount ---- */

static void test_m04_amount(void **state)
{
	struct world *w = impw(S411, "<ceb:amountPaid>1563.47", "<ceb:amountPaid>1563.48", NULL);
	run_import(w, NULL);
	const struct ceb_finding *f = expect_rule(w, "M-04", P411 "amountPaid");
	expect_only(w);
	assert_contains(f->zh, "1563.48");
	assert_contains(f->zh, "1563.47");
	assert_contains(f->en, "acturalPaid");
	assert_contains(f->en, ORDERNO);
	world_free(w);

	/* exact decimals, compared after rounding both to 0.01 */
	import_passes(S411, "<ceb:amountPaid>1563.47", "<ceb:amountPaid>1563.47000");
	import_passes(S411, "<ceb:amountPaid>1563.47", "<ceb:amountPaid>1563.474");
	import_fails(S411, "<ceb:amountPaid>1563.47", "<ceb:amountPaid>1563.475", "M-04",
	             P411 "amountPaid");
	import_fails(S311, "<ceb:acturalPaid>1563.47", "<ceb:acturalPaid>1563", "M-04",
	             P411 "amountPaid");
}

/* ---- M-05 buyer ---- */

static void test_m05_buyer(void **state)
{
	struct world *w = impw(S621, "<ceb:buyerName>张测试", "<ceb:buyerName>李测试", NULL);
	run_import(w, NULL);
	const struct ceb_finding *f = expect_rule(w, "M-05", P621 "buyerName");
	expect_only(w);
	assert_contains(f->zh, "李测试");
	assert_contains(f->zh, "张测试");
	assert_contains(f->zh, ORDERNO);
	assert_contains(f->en, "李测试");
	assert_contains(f->en, "张测试");
	assert_contains(f->en, ORDERNO);
	world_free(w);

	import_fails(S621, "<ceb:buyerIdType>1", "<ceb:buyerIdType>2", "M-05", P621 "buyerIdType");
	import_fails(S621, "<ceb:buyerIdNumber>110101199003071233",
	             "<ceb:buyerIdNumber>11010119900307123X", "M-05", P621 "buyerIdNumber");
	import_fails(S621, "<ceb:buyerTelephone>13800000001", "<ceb:buyerTelephone>13800000002",
	             "M-05", P621 "buyerTelephone");
	/* customs compares exactly: full-width digits and trailing spaces are mismatches */
	import_fails(S621, "<ceb:buyerTelephone>13800000001", "<ceb:buyerTelephone>１3800000001",
	             "M-05", P621 "buyerTelephone");
	import_fails(S621, "<ceb:buyerName>张测试", "<ceb:buyerName>张测试 ", "M-05",
	             P621 "buyerName");
	/* the order changed instead: still the list's element */
	import_fails(S311, "<ceb:buyerTelephone>13800000001", "<ceb:buyerTelephone>13800000009",
	             "M-05", P621 "buyerTelephone");
}

/* ---- M-06 payer ---- */

static void test_m06_payer(void **state)
{
	struct world *w = impw(S411, "<ceb:payerName>张测试", "<ceb:payerName>王测试", NULL);
	run_import(w, NULL);
	const struct ceb_finding *f = expect_rule(w, "M-06", P411 "payerName");
	expect_only(w);
	assert_contains(f->en, "王测试");
	assert_contains(f->en, "buyerName");
	assert_contains(f->en, "张测试");
	world_free(w);

	/* the 2016 rule's exception: payer and buyer may differ when so configured */
	struct match_opts o;
	match_opts_default(&o);
	o.payer_is_buyer = false;
	w = impw(S411, "<ceb:payerName>张测试", "<ceb:payerName>王测试",
	         "<ceb:payerIdNumber>110101199003071233", "<ceb:payerIdNumber>110101198001010010",
	         NULL);
	run_import(w, &o);
	expect_clean(w);
	world_free(w);

	import_fails(S411, "<ceb:payerIdNumber>110101199003071233",
	             "<ceb:payerIdNumber>110101198001010010", "M-06", P411 "payerIdNumber");
	import_fails(S411, "<ceb:payerIdType>1", "<ceb:payerIdType>2", "M-06", P411 "payerIdType");
}

/* ---- M-07 consignee ---- */

static void test_m07_consignee(void **state)
{
	struct world *w = impw(S511, "<ceb:consigneeTelephone>13800000001",
	                       "<ceb:consigneeTelephone>13800000002", NULL);
	run_import(w, NULL);
	const struct ceb_finding *f = expect_rule(w, "M-07", P511 "consigneeTelephone");
	expect_only(w);
	assert_contains(f->zh, "13800000002");
	assert_contains(f->zh, "13800000001");
	assert_contains(f->en, ORDERNO);
	world_free(w);

	import_fails(S511, "<ceb:consignee>张测试", "<ceb:consignee>张三", "M-07",
	             P511 "consignee");
	import_fails(S511, "<ceb:consigneeAddress>浙江省杭州市示例区测试路1号101室",
	             "<ceb:consigneeAddress>浙江省杭州市示例区测试路1号102室", "M-07",
	             P511 "consigneeAddress");
	/* a half-width digit for a full-width one is a different address */
	import_fails(S511, "<ceb:consigneeAddress>浙江省杭州市示例区测试路1号101室",
	             "<ceb:consigneeAddress>浙江省杭州市示例区测试路１号101室", "M-07",
	             P511 "consigneeAddress");
	import_fails(S621, "<ceb:consigneeAddress>浙江省杭州市示例区测试路1号101室",
	             "<ceb:consigneeAddress>浙江省杭州市示例区测试路2号", "M-07",
	             P621 "consigneeAddress");
	/* the order differs from the waybill: reported on the waybill */
	import_fails(S311, "<ceb:consignee>张测试", "<ceb:consignee>张三", "M-07",
	             P511 "consignee");
}

/* ---- M-08 goods ---- */

static void test_m08_goods(void **state)
{
	struct world *w = impw(S621, "<ceb:qty>2</ceb:qty>", "<ceb:qty>3</ceb:qty>", NULL);
	run_import(w, NULL);
	const struct ceb_finding *f = expect_rule(w, "M-08", P621L(1) "qty");
	expect_only(w);
	assert_contains(f->en, "line 1 of the order");
	assert_contains(f->zh, "订单第1项");
	world_free(w);

	/* numbers compare by value */
	import_passes(S621, "<ceb:qty>2</ceb:qty>", "<ceb:qty>2.00</ceb:qty>");
	import_passes(S621, "<ceb:price>500.00", "<ceb:price>500");
	import_fails(S621, "<ceb:price>250.00", "<ceb:price>250.01", "M-08", P621L(2) "price");
	import_fails(S621, "<ceb:country>116", "<ceb:country>304", "M-08", P621L(1) "country");
	import_fails(S621, "<ceb:unit>007", "<ceb:unit>011", "M-08", P621L(1) "unit");
	import_fails(S621, "<ceb:currency>142</ceb:currency>\n      <ceb:qty>2",
	             "<ceb:currency>502</ceb:currency>\n      <ceb:qty>2", "M-08",
	             P621L(1) "currency");
	import_fails(S621, "<ceb:itemName>不锈钢保温杯", "<ceb:itemName>保温杯", "M-08",
	             P621L(2) "itemName");
	/* itemName is optional in the 621 */
	import_passes(S621, "<ceb:itemName>保湿面霜</ceb:itemName>", "");
	/* the order's line changed: still the list's element */
	import_fails(S311, "<ceb:qty>1</ceb:qty>", "<ceb:qty>4</ceb:qty>", "M-08", P621L(2) "qty");

	/* a changed total is M-08 and breaks the X-05 sum */
	w = impw(S621, "<ceb:totalPrice>250.00", "<ceb:totalPrice>251.00", NULL);
	run_import(w, NULL);
	expect_rule(w, "M-08", P621L(2) "totalPrice");
	f = expect_rule(w, "X-05", INV621);
	assert_int_equal(f->sev, CEB_SEV_WARN);
	expect_only(w);
	world_free(w);
}

static void test_m08_lines(void **state)
{
	/* a line missing from the list: the finding is on the list */
	struct world *w = impw(S621, CUT621L2, "", NULL);
	run_import(w, NULL);
	const struct ceb_finding *f = expect_rule(w, "M-08", INV621);
	expect_rule(w, "X-05", INV621);
	expect_only(w);
	assert_contains(f->en, "line 2 of the order");
	world_free(w);

	/* a line the order does not have */
	w = impw(S621, "<ceb:gnum>2</ceb:gnum>", "<ceb:gnum>3</ceb:gnum>", NULL);
	run_import(w, NULL);
	f = expect_rule(w, "M-08", P621L(2) "gnum");
	assert_contains(f->en, "line 3 of the list");
	expect_rule(w, "M-08", INV621);
	expect_only(w);
	world_free(w);

	/* an extra line in the order */
	w = impw(S311, "</ceb:Order>",
	         "<ceb:OrderList><ceb:gnum>3</ceb:gnum><ceb:itemName>赠品</ceb:itemName>"
	         "<ceb:gmodel>赠品</ceb:gmodel><ceb:unit>007</ceb:unit><ceb:qty>1</ceb:qty>"
	         "<ceb:price>0</ceb:price><ceb:totalPrice>0</ceb:totalPrice>"
	         "<ceb:currency>142</ceb:currency><ceb:country>116</ceb:country></ceb:OrderList>"
	         "</ceb:Order>",
	         NULL);
	run_import(w, NULL);
	f = expect_rule(w, "M-08", INV621);
	assert_contains(f->zh, "订单");
	expect_only(w);
	world_free(w);

	/* gnum compares by value */
	import_passes(S621, "<ceb:gnum>2</ceb:gnum>", "<ceb:gnum>02</ceb:gnum>");

	/* the same gnum twice: every line pairs, but the counts differ */
	w = impw(
	    S621, "</ceb:Inventory>",
	    "<ceb:InventoryList><ceb:gnum>1</ceb:gnum><ceb:itemRecordNo>TESTITEM0001"
	    "</ceb:itemRecordNo><ceb:gcode>3304990099</ceb:gcode><ceb:gname>保湿面霜</ceb:gname>"
	    "<ceb:gmodel>保湿面霜</ceb:gmodel><ceb:country>116</ceb:country>"
	    "<ceb:currency>142</ceb:currency><ceb:qty>2</ceb:qty><ceb:unit>007</ceb:unit>"
	    "<ceb:qty1>0.1</ceb:qty1><ceb:unit1>035</ceb:unit1><ceb:price>500.00</ceb:price>"
	    "<ceb:totalPrice>1000.00</ceb:totalPrice></ceb:InventoryList></ceb:Inventory>",
	    NULL);
	run_import(w, NULL);
	f = expect_rule(w, "M-08", INV621);
	assert_contains(f->en, "3 lines");
	expect_rule(w, "X-05", INV621);
	expect_only(w);
	world_free(w);
}

/* ---- M-09 parties ---- */

static void test_m09_parties(void **state)
{
	import_fails(S621, "<ceb:ebpName>示例跨境商城平台（测试）",
	             "<ceb:ebpName>示例跨境商城平台(测试)", "M-09", P621 "ebpName");
	import_fails(S621, "<ceb:ebcName>示例海外旗舰店（测试）", "<ceb:ebcName>示例海外旗舰店",
	             "M-09", P621 "ebcName");
	import_fails(S621, "<ceb:logisticsName>示例速运有限公司（测试）",
	             "<ceb:logisticsName>示例速运公司", "M-09", P621 "logisticsName");
	import_fails(S511, "<ceb:logisticsName>示例速运有限公司（测试）",
	             "<ceb:logisticsName>示例速运公司", "M-09", P621 "logisticsName");
	import_fails(S411, "<ceb:ebpName>示例跨境商城平台（测试）", "<ceb:ebpName>示例商城", "M-09",
	             P411 "ebpName");
	import_fails(S411, "<ceb:payName>示例支付有限公司（测试）", "<ceb:payName>示例支付", "M-09",
	             P411 "payName");
}

/* ---- X-05 ---- */

static void test_x05_sum(void **state)
{
	struct world *w = impw(S311, "<ceb:goodsValue>1250.00", "<ceb:goodsValue>1250.01", NULL);
	run_import(w, NULL);
	const struct ceb_finding *f = expect_rule(w, "X-05", INV621);
	expect_only(w);
	assert_int_equal(f->sev, CEB_SEV_WARN);
	assert_int_equal(w->f.errors, 0);
	assert_contains(f->en, "1250.01");
	assert_contains(f->en, "1250");
	world_free(w);

	import_passes(S311, "<ceb:goodsValue>1250.00", "<ceb:goodsValue>1250.004");

	/* a sum beyond the 64-bit fixed-point range is still exact */
	w = impw(S621, "<ceb:totalPrice>1000.00", "<ceb:totalPrice>90000000000000.5",
	         "<ceb:totalPrice>250.00", "<ceb:totalPrice>90000000000000.25", NULL);
	run_import(w, NULL);
	expect_rule(w, "M-08", P621L(1) "totalPrice");
	expect_rule(w, "M-08", P621L(2) "totalPrice");
	f = expect_rule(w, "X-05", INV621);
	expect_only(w);
	assert_contains(f->en, "180000000000000.75");
	world_free(w);

	/* the policy decides the severity, or switches it off */
	struct ceb_policy p;
	ceb_policy_default(&p);
	assert_int_equal(ceb_policy_set(&p, "X-05=off"), 0);
	w = world_new(&p);
	load(w, O311, S311, "<ceb:goodsValue>1250.00", "<ceb:goodsValue>1250.01", NULL);
	load(w, O411, S411, NULL);
	load(w, O511, S511, NULL);
	load(w, O621, S621, NULL);
	run_import(w, NULL);
	expect_clean(w);
	world_free(w);
}

/* ---- all at once ---- */

static void test_many_at_once(void **state)
{
	struct world *w = world_new(NULL);
	load(w, O311, S311, NULL);
	load(w, O411, S411, "<ceb:amountPaid>1563.47", "<ceb:amountPaid>1600",
	     "<ceb:payerName>张测试", "<ceb:payerName>王测试", NULL);
	load(w, O511, S511, "<ceb:consigneeTelephone>13800000001",
	     "<ceb:consigneeTelephone>13900000000", NULL);
	load(w, O621, S621, "<ceb:buyerName>张测试", "<ceb:buyerName>李测试",
	     "<ceb:buyerTelephone>13800000001", "<ceb:buyerTelephone>13800000002",
	     "<ceb:qty>2</ceb:qty>", "<ceb:qty>5</ceb:qty>", "<ceb:country>133", "<ceb:country>304",
	     NULL);
	run_import(w, NULL);
	expect_rule(w, "M-04", P411 "amountPaid");
	expect_rule(w, "M-05", P621 "buyerName");
	expect_rule(w, "M-05", P621 "buyerTelephone");
	expect_rule(w, "M-06", P411 "payerName");
	expect_rule(w, "M-07", P511 "consigneeTelephone");
	expect_rule(w, "M-08", P621L(1) "qty");
	expect_rule(w, "M-08", P621L(2) "country");
	expect_only(w);
	assert_int_equal(w->f.count, 7);
	world_free(w);

	/* one wrong orderNo in the list disagrees with all three documents */
	w = impw(S621, "<ceb:orderNo>" ORDERNO, "<ceb:orderNo>TESTORD202405209999", NULL);
	run_import(w, NULL);
	expect_rule(w, "M-01", P621 "orderNo");
	expect_rule(w, "M-02", P621 "orderNo");
	expect_rule(w, "M-03", P621 "orderNo");
	expect_only(w);
	world_free(w);

	/* nothing to match the list with */
	w = impw(NULL);
	match_import(NULL, NULL, NULL, w->e[O621], NULL, &w->f);
	expect_rule(w, "M-01", P621 "orderNo");
	expect_rule(w, "M-02", P621 "orderNo");
	expect_rule(w, "M-03", P621 "logisticsNo");
	expect_only(w);
	world_free(w);
}

/* ---- export ---- */

static void test_export_keys(void **state)
{
	struct world *w = expw(NULL);
	match_export(NULL, w->e[O505], w->e[O603], NULL, NULL, &w->f);
	const struct ceb_finding *f = expect_rule(w, "M-01", P603 "orderNo");
	assert_contains(f->en, "TESTEXP202406010001");
	expect_only(w);
	world_free(w);

	w = expw(NULL);
	match_export(w->e[O303], NULL, w->e[O603], w->e[O403], NULL, &w->f);
	f = expect_rule(w, "M-03", P603 "logisticsNo");
	assert_contains(f->zh, "TESTEXPWB000000001");
	expect_only(w);
	world_free(w);

	/* the list's ebcCode disagrees with the order and with the collection note */
	w = expw(S603, "<ceb:ebcCode>1234571TST", "<ceb:ebcCode>1234571TSX", NULL);
	run_export(w, true);
	expect_rule(w, "M-01", P603 "ebcCode");
	expect_rule(w, "M-02", P603 "ebcCode");
	expect_only(w);
	world_free(w);
	export_fails(S303, "<ceb:orderNo>TESTEXP202406010001", "<ceb:orderNo>TESTEXP202406010002",
	             "M-01", P603 "orderNo");
	export_fails(S303, "<ceb:ebpCode>1234570TST", "<ceb:ebpCode>无", "M-01", P603 "ebpCode");
	export_fails(S505, "<ceb:logisticsNo>TESTEXPWB000000001",
	             "<ceb:logisticsNo>TESTEXPWB000000002", "M-03", P603 "logisticsNo");
	export_fails(S505, "<ceb:logisticsCode>1234573TST", "<ceb:logisticsCode>1234579TST", "M-03",
	             P603 "logisticsCode");
	/* the collection note: keys only; its charge is not compared (rules.md is silent) */
	export_fails(S403, "<ceb:orderNo>TESTEXP202406010001", "<ceb:orderNo>TESTEXP202406010003",
	             "M-02", P603 "orderNo");
	export_fails(S403, "<ceb:ebcCode>1234571TST", "<ceb:ebcCode>1234578TST", "M-02",
	             P603 "ebcCode");
	export_passes(S403, "<ceb:charge>41.00", "<ceb:charge>99.00");
	export_passes(S403, "<ceb:ebpCode>1234570TST", "<ceb:ebpCode>1234577TST");
}

static void test_export_goods_parties(void **state)
{
	export_fails(S603, "<ceb:price>12.00", "<ceb:price>12.50", "M-08", P603L(1) "price");
	export_passes(S603, "<ceb:price>12.00", "<ceb:price>12");
	export_fails(S603, "<ceb:qty>3</ceb:qty>", "<ceb:qty>4</ceb:qty>", "M-08", P603L(1) "qty");
	export_fails(S603, "<ceb:totalPrice>36.00", "<ceb:totalPrice>36.01", "M-08",
	             P603L(1) "totalPrice");
	export_fails(S603, "<ceb:itemNo>EXP-TSHIRT-M", "<ceb:itemNo>EXP-TSHIRT-L", "M-08",
	             P603L(1) "itemNo");
	export_fails(S603, "<ceb:itemName>棉制针织T恤", "<ceb:itemName>针织T恤", "M-08",
	             P603L(1) "itemName");
	export_passes(S603, "<ceb:itemName>棉制针织T恤</ceb:itemName>", "");
	export_fails(S603, "<ceb:unit>011", "<ceb:unit>007", "M-08", P603L(1) "unit");
	export_fails(S603, "<ceb:currency>502</ceb:currency>\n      <ceb:qty>3",
	             "<ceb:currency>142</ceb:currency>\n      <ceb:qty>3", "M-08",
	             P603L(1) "currency");
	/* the export order has no gnum 2 line, and the list lost its gnum 1 */
	struct world *w = expw(S603, "<ceb:gnum>1</ceb:gnum>", "<ceb:gnum>2</ceb:gnum>", NULL);
	run_export(w, false);
	expect_rule(w, "M-08", P603L(1) "gnum");
	expect_rule(w, "M-08", INV603);
	expect_only(w);
	world_free(w);

	export_fails(S603, "<ceb:ebpName>示例出海商城（测试）", "<ceb:ebpName>示例出海商城", "M-09",
	             P603 "ebpName");
	export_fails(S603, "<ceb:ebcName>示例外贸电商有限公司（测试）",
	             "<ceb:ebcName>示例外贸电商有限公司", "M-09", P603 "ebcName");
	export_fails(S505, "<ceb:logisticsName>示例国际快递有限公司（测试）",
	             "<ceb:logisticsName>示例国际快递", "M-09", P603 "logisticsName");

	/* several export mismatches at once */
	w = world_new(NULL);
	load(w, O303, S303, NULL);
	load(w, O505, S505, "<ceb:logisticsNo>TESTEXPWB000000001", "<ceb:logisticsNo>X1", NULL);
	load(w, O603, S603, "<ceb:ebcName>示例外贸电商有限公司（测试）", "<ceb:ebcName>E",
	     "<ceb:price>12.00", "<ceb:price>13", NULL);
	load(w, O403, S403, "<ceb:orderNo>TESTEXP202406010001", "<ceb:orderNo>X2", NULL);
	run_export(w, true);
	expect_rule(w, "M-02", P603 "orderNo");
	expect_rule(w, "M-03", P603 "logisticsNo");
	expect_rule(w, "M-08", P603L(1) "price");
	expect_rule(w, "M-09", P603 "ebcName");
	expect_only(w);
	world_free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_import_samples_match),
	    cmocka_unit_test(test_export_samples_match),
	    cmocka_unit_test(test_no_list),
	    cmocka_unit_test(test_m01_order),
	    cmocka_unit_test(test_m02_payment),
	    cmocka_unit_test(test_m03_waybill),
	    cmocka_unit_test(test_m04_amount),
	    cmocka_unit_test(test_m05_buyer),
	    cmocka_unit_test(test_m06_payer),
	    cmocka_unit_test(test_m07_consignee),
	    cmocka_unit_test(test_m08_goods),
	    cmocka_unit_test(test_m08_lines),
	    cmocka_unit_test(test_m09_parties),
	    cmocka_unit_test(test_x05_sum),
	    cmocka_unit_test(test_many_at_once),
	    cmocka_unit_test(test_export_keys),
	    cmocka_unit_test(test_export_goods_parties),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
