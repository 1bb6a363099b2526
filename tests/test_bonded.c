/* The 1210 bonded account: the pure logic (src/clear/bonded.c) -- the arithmetic of the three
 * figures, B-01 with B-06's choice of unit, stock-in field checks -- and the service glue
 * (src/svc/bonded_svc.c) on a throwaway SQLite store with the reference CEB621 (a 1210 list
 * of TESTEMS2900000001, items TESTITEM0001 face cream counted in 035 kg through qty1, and
 * TESTITEM0002 cup in 007 through qty): B-01, B-02, B-04 each failing and passing, reserve,
 * debit, release, cancel and return credit back, and a stock-in sent twice. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/err.h"
#include "ceb/dec.h"
#include "ceb/finding.h"
#include "ceb/model.h"
#include "ceb/parse.h"
#include "clear/bonded.h"
#include "store/store.h"
#include "svc/bonded_svc.h"
#include "testutil.h"

#define Q(ip, fp) ((int64_t)(ip)*DEC_SCALE + (fp)) /* Q(1, 50000) = 1.5 */
#define EMS "TESTEMS2900000001"
#define WH "1234565TST" /* the sample's areaCode */
#define NOW 1700000000000LL

/* ---- arithmetic ---- */

static void test_apply_arithmetic(void **state)
{
	struct bonded_qty q = {0, 0, 0};
	assert_int_equal(bonded_apply(&q, BONDED_CREDIT, Q(10, 0)), 0);
	assert_int_equal(bonded_apply(&q, BONDED_RESERVE, Q(3, 25000)), 0);
	assert_int_equal(bonded_available(&q), Q(6, 75000));
	assert_int_equal(bonded_apply(&q, BONDED_DEBIT, Q(2, 0)), 0);
	assert_int_equal(q.reserved, Q(1, 25000));
	assert_int_equal(q.committed, Q(2, 0));
	assert_int_equal(bonded_available(&q), Q(6, 75000)); /* a debit moves, it does not spend */
	assert_int_equal(bonded_apply(&q, BONDED_RELEASE, Q(1, 25000)), 0);
	assert_int_equal(q.reserved, 0);
	assert_int_equal(bonded_available(&q), Q(8, 0));
	assert_int_equal(q.balance, Q(10, 0));
	/* the smallest step of the N19,5 grid is kept exactly */
	assert_int_equal(bonded_apply(&q, BONDED_CREDIT, 1), 0);
	assert_int_equal(bonded_available(&q), Q(8, 1));
}

static void test_apply_refuses(void **state)
{
	struct bonded_qty q = {Q(5, 0), Q(1, 0), Q(1, 0)};
	struct bonded_qty before = q;
	/* B-04: 3 available, 3.00001 asked */
	assert_int_equal(bonded_apply(&q, BONDED_RESERVE, Q(3, 1)), CBEC_EINVAL);
	assert_memory_equal(&q, &before, sizeof q);
	assert_int_equal(bonded_apply(&q, BONDED_RESERVE, Q(3, 0)), 0); /* exactly what is there */
	assert_int_equal(bonded_available(&q), 0);
	q = before;
	assert_int_equal(bonded_apply(&q, BONDED_RELEASE, Q(1, 1)), CBEC_EINVAL);
	assert_int_equal(bonded_apply(&q, BONDED_DEBIT, Q(1, 1)), CBEC_EINVAL);
	assert_int_equal(bonded_apply(&q, BONDED_CREDIT, 0), CBEC_EINVAL);
	assert_int_equal(bonded_apply(&q, BONDED_CREDIT, -1), CBEC_EINVAL);
	assert_int_equal(bonded_apply(&q, 99, 1), CBEC_EINVAL);
	struct bonded_qty big = {INT64_MAX - 1, 0, 0};
	assert_int_equal(bonded_apply(&big, BONDED_CREDIT, 2), CBEC_EINVAL);
	assert_int_equal(big.balance, INT64_MAX - 1);
	assert_memory_equal(&q, &before, sizeof q);
	assert_string_equal(bonded_op_name(BONDED_DEBIT), "debit");
	assert_string_equal(bonded_op_name(0), "?");
}

/* ---- B-01 and B-06 ---- */

static void test_match_b01_b06(void **state)
{
	struct bonded_record cream = {"3304990099", "保湿面霜", "035"};
	struct bonded_line l = {"TESTITEM0001", "3304990099", "保湿面霜", "007",
	                        "035",          Q(2, 0),      Q(0, 10000)};
	int64_t q = -1;
	/* B-06: the record counts kg, the line declares pieces: qty1 counts */
	assert_int_equal(bonded_match(&cream, &l, &q), BONDED_MATCH);
	assert_int_equal(q, Q(0, 10000));
	/* the record counts pieces: qty counts */
	struct bonded_record pieces = {"3304990099", "保湿面霜", "007"};
	assert_int_equal(bonded_match(&pieces, &l, &q), BONDED_MATCH);
	assert_int_equal(q, Q(2, 0));
	/* surrounding blanks do not make another name */
	struct bonded_line spaced = l;
	spaced.gname = " 保湿面霜 ";
	assert_int_equal(bonded_match(&cream, &spaced, &q), BONDED_MATCH);
	/* each field that differs, named */
	struct bonded_line bad = l;
	bad.gcode = "3304990000";
	assert_int_equal(bonded_match(&cream, &bad, &q), BONDED_F_GCODE);
	bad = l;
	bad.gname = "保湿面霜套装";
	assert_int_equal(bonded_match(&cream, &bad, &q), BONDED_F_GNAME);
	bad = l;
	bad.unit1 = "036"; /* neither 007 nor 036 is the record's 035 */
	assert_int_equal(bonded_match(&cream, &bad, &q), BONDED_F_UNIT);
	assert_string_equal(bonded_field_name(BONDED_F_UNIT), "unit");
	assert_string_equal(bonded_field_name(BONDED_F_GNAME), "gname");
}

static void test_stockin_check(void **state)
{
	struct bonded_stockin in = {EMS,   "TESTITEM0001", "3304990099", "保湿面霜",
	                            "035", "ENTRY-1",      Q(100, 0)};
	const char *field = NULL;
	char why[128];
	assert_int_equal(bonded_stockin_check(&in, &field, why, sizeof why), 0);
	struct bonded_stockin bad = in;
	bad.qty = 0;
	assert_int_equal(bonded_stockin_check(&bad, &field, why, sizeof why), CBEC_EINVAL);
	assert_string_equal(field, "qty");
	bad = in;
	bad.gcode = "33049900";
	assert_int_equal(bonded_stockin_check(&bad, &field, why, sizeof why), CBEC_EINVAL);
	assert_string_equal(field, "gcode");
	bad = in;
	bad.unit = "999";
	assert_int_equal(bonded_stockin_check(&bad, &field, why, sizeof why), CBEC_EINVAL);
	assert_string_equal(field, "unit");
	bad = in;
	bad.entry = NULL;
	assert_int_equal(bonded_stockin_check(&bad, &field, why, sizeof why), CBEC_EINVAL);
	assert_string_equal(field, "entry");
	bad = in;
	bad.ems_no = "0123456789012345678901234567890"; /* 31 characters */
	assert_int_equal(bonded_stockin_check(&bad, &field, why, sizeof why), CBEC_EINVAL);
	assert_string_equal(field, "emsNo");
	struct bonded_record rec = {"3304990099", "保湿面霜", "035"};
	assert_int_equal(bonded_stockin_match(&rec, &in), BONDED_MATCH);
	bad = in;
	bad.unit = "007";
	assert_int_equal(bonded_stockin_match(&rec, &bad), BONDED_F_UNIT);
}

/* ---- the service glue on a store ---- */

struct fx {
	char path[64];
	struct store *s;
	struct arena *a;
	struct ceb_parser *p;
	char *xml;
	size_t len;
};

static int fx_setup(void **state)
{
	struct fx *x = calloc(1, sizeof *x);
	snprintf(x->path, sizeof x->path, "/tmp/cbec-test-bonded-%d.db", (int)getpid());
	unlink(x->path);
	char url[80], err[256];
	snprintf(url, sizeof url, "sqlite:%s", x->path);
	assert_int_equal(store_open(url, false, &x->s, err, sizeof err), 0);
	x->a = arena_new(64 * 1024);
	x->p = ceb_parser_new(NULL);
	x->xml = tu_read(tu_shared("domain/samples/CEB621Message.xml"), &x->len);
	*state = x;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *x = *state;
	store_close(x->s);
	arena_free(x->a);
	ceb_parser_free(x->p);
	free(x->xml);
	tu_rm_sqlite(x->path);
	free(x);
	return 0;
}

/* The sample list with `from` replaced by `to` (once), parsed; its entity. */
static struct ceb_node *list(struct fx *x, const char *from, const char *to)
{
	const char *xml = x->xml;
	char *edited = NULL;
	if (from) {
		const char *at = strstr(x->xml, from);
		assert_non_null(at);
		size_t pre = (size_t)(at - x->xml), nf = strlen(from), nt = strlen(to);
		edited = arena_alloc(x->a, x->len - nf + nt + 1);
		memcpy(edited, x->xml, pre);
		memcpy(edited + pre, to, nt);
		memcpy(edited + pre + nt, at + nf, x->len - pre - nf + 1);
		xml = edited;
	}
	struct ceb_findings f;
	ceb_findings_init(&f, x->a, NULL);
	bool wf;
	int err = 0;
	struct ceb_msg *m = ceb_parse(x->p, xml, strlen(xml), x->a, &f, &wf, &err);
	assert_non_null(m);
	assert_true(wf);
	return ceb_msg_entities(m);
}

static void stock(struct fx *x, const char *owner, const char *item, const char *gcode,
                  const char *gname, const char *unit, const char *entry, int64_t qty, int http)
{
	struct bonded_stockin in = {EMS, item, gcode, gname, unit, entry, qty};
	struct bonded_svc_answer ans;
	assert_int_equal(bonded_svc_stockin(x->s, owner, &in, NOW, &ans), 0);
	if (ans.http != http)
		fprintf(stderr, "# stock-in %s %s: %d %s\n", item, entry, ans.http, ans.why);
	assert_int_equal(ans.http, http);
}

static void stock_sample(struct fx *x, int64_t cream_kg, int64_t cups)
{
	stock(x, WH, "TESTITEM0001", "3304990099", "保湿面霜", "035", "E-CREAM", cream_kg, 200);
	stock(x, WH, "TESTITEM0002", "9617001100", "不锈钢保温杯", "007", "E-CUP", cups, 200);
}

static struct bonded_qty fig(struct fx *x, const char *item)
{
	struct store_bonded_item it;
	assert_int_equal(store_bonded_get(x->s, EMS, item, &it), 0);
	struct bonded_qty q = {it.balance, it.reserved, it.committed};
	store_bonded_item_clear(&it);
	return q;
}

/* The rules of the findings, "B-01 B-04 …", and the first one's path. */
static const char *check(struct fx *x, struct ceb_node *e, const char **path)
{
	struct ceb_findings f;
	ceb_findings_init(&f, x->a, NULL);
	assert_int_equal(bonded_svc_check(x->s, e, x->a, &f), 0);
	static char rules[256];
	rules[0] = '\0';
	for (struct ceb_finding *g = f.head; g; g = g->next) {
		strncat(rules, ceb_rules[g->rule].id, sizeof rules - strlen(rules) - 2);
		strcat(rules, " ");
	}
	if (path)
		*path = f.head ? f.head->path : "";
	return rules;
}

#define LINE1 "/CEB621Message/Inventory[1]/InventoryList[1]/"
#define LINE2 "/CEB621Message/Inventory[1]/InventoryList[2]/"

static void test_b01_record(void **state)
{
	struct fx *x = *state;
	const char *path;
	/* no records at all: both lines name their itemRecordNo */
	assert_string_equal(check(x, list(x, NULL, NULL), &path), "B-01 B-01 ");
	assert_string_equal(path, LINE1 "itemRecordNo");
	stock_sample(x, Q(10, 0), Q(10, 0));
	assert_string_equal(check(x, list(x, NULL, NULL), &path), "");
	/* gname differs on line 2 */
	assert_string_equal(
	    check(x,
	          list(x, "<ceb:gname>不锈钢保温杯</ceb:gname>", "<ceb:gname>保温杯</ceb:gname>"),
	          &path),
	    "B-01 ");
	assert_string_equal(path, LINE2 "gname");
	/* gcode differs on line 1 */
	assert_string_equal(
	    check(x,
	          list(x, "<ceb:gcode>3304990099</ceb:gcode>", "<ceb:gcode>3304990010</ceb:gcode>"),
	          &path),
	    "B-01 ");
	assert_string_equal(path, LINE1 "gcode");
	/* B-06: line 1 in neither kg unit: unit */
	assert_string_equal(
	    check(x, list(x, "<ceb:unit1>035</ceb:unit1>", "<ceb:unit1>036</ceb:unit1>"), &path),
	    "B-01 ");
	assert_string_equal(path, LINE1 "unit");
	/* another warehouse enterprise's list for this account */
	assert_string_equal(
	    check(x, list(x, "<ceb:areaCode>1234565TST", "<ceb:areaCode>9999999TST"), &path),
	    "B-01 ");
	assert_string_equal(path, "/CEB621Message/Inventory[1]/InventoryHead/areaCode");
	/* a 9610 list is none of the account's business */
	assert_string_equal(check(x, list(x, "<ceb:tradeMode>1210", "<ceb:tradeMode>9610"), &path),
	                    "");
}

static void test_b04_stock(void **state)
{
	struct fx *x = *state;
	const char *path;
	/* the list takes 0.1 kg of cream (qty1, B-06) and 1 cup (qty) */
	stock_sample(x, Q(0, 9999), Q(1, 0));
	assert_string_equal(check(x, list(x, NULL, NULL), &path), "B-04 ");
	assert_string_equal(path, LINE1 "qty1");
	stock(x, WH, "TESTITEM0001", "3304990099", "保湿面霜", "035", "E-CREAM-2", 1, 200);
	assert_string_equal(check(x, list(x, NULL, NULL), &path), ""); /* exactly enough */
	/* reserve what the list takes: nothing is left for a second one */
	struct ceb_node *e = list(x, NULL, NULL);
	assert_int_equal(bonded_svc_reserve(x->s, 1, "EBP|ORDER1", e, NOW), 0);
	struct bonded_qty c = fig(x, "TESTITEM0001"), u = fig(x, "TESTITEM0002");
	assert_int_equal(c.reserved, Q(0, 10000));
	assert_int_equal(u.reserved, Q(1, 0));
	assert_string_equal(check(x, list(x, NULL, NULL), &path), "B-04 B-04 ");
	assert_string_equal(path, LINE1 "qty1");
	/* two lines of the same item count together */
	assert_int_equal(
	    bonded_svc_settle(x->s, 1, "EBP|ORDER1", BONDED_SETTLE_RELEASE, "100", NOW), 0);
	assert_string_equal(
	    check(x, list(x, "<ceb:qty>1</ceb:qty>", "<ceb:qty>2</ceb:qty>"), &path), "B-04 ");
	assert_string_equal(path, LINE2 "qty");
}

static int count_moves(void *ctx, const struct store_bonded_move *m)
{
	(*(int *)ctx)++;
	return 0;
}

static void test_lifecycle(void **state)
{
	struct fx *x = *state;
	stock_sample(x, Q(5, 0), Q(5, 0));
	struct ceb_node *e = list(x, NULL, NULL);
	/* forwarded: reserved; 800: debited */
	assert_int_equal(bonded_svc_reserve(x->s, 7, "EBP|ORDER7", e, NOW), 0);
	assert_int_equal(bonded_svc_settle(x->s, 7, "EBP|ORDER7", BONDED_SETTLE_DEBIT, "800", NOW),
	                 0);
	struct bonded_qty u = fig(x, "TESTITEM0002");
	assert_int_equal(u.reserved, 0);
	assert_int_equal(u.committed, Q(1, 0));
	assert_int_equal(bonded_available(&u), Q(4, 0));
	/* a second 800 changes nothing (customs may say it twice) */
	assert_int_equal(bonded_svc_settle(x->s, 7, "EBP|ORDER7", BONDED_SETTLE_DEBIT, "800", NOW),
	                 0);
	assert_int_equal(fig(x, "TESTITEM0002").committed, Q(1, 0));
	/* a return of half of line 1 (1 of 2 pieces): 0.05 kg back (B-05, B-06 in proportion) */
	static const char refund[] =
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<ceb:CEB625Message xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\" "
	    "guid=\"E1950EB3-C2D1-4A67-9485-9C0D1E2F3B05\" version=\"1.0\">"
	    "<ceb:InvtRefund><ceb:InvtRefundHead></ceb:InvtRefundHead>"
	    "<ceb:InvtRefundList><ceb:gnum>1</ceb:gnum><ceb:gcode>3304990099</"
	    "ceb:gcode><ceb:gname>保湿面霜</ceb:gname>"
	    "<ceb:qty>1</ceb:qty><ceb:unit>007</ceb:unit></ceb:InvtRefundList>"
	    "</ceb:InvtRefund></ceb:CEB625Message>";
	struct ceb_findings f;
	ceb_findings_init(&f, x->a, NULL);
	bool wf;
	int err = 0;
	struct ceb_msg *m = ceb_parse(x->p, refund, strlen(refund), x->a, &f, &wf, &err);
	assert_non_null(m);
	assert_int_equal(bonded_svc_return(x->s, 7, "EBP|ORDER7", ceb_msg_entities(m), NOW), 0);
	struct bonded_qty c = fig(x, "TESTITEM0001");
	assert_int_equal(c.balance, Q(5, 5000));
	assert_int_equal(c.committed, Q(0, 10000));
	/* the same return again cannot credit more than the line took */
	assert_int_equal(bonded_svc_return(x->s, 7, "EBP|ORDER7", ceb_msg_entities(m), NOW), 0);
	assert_int_equal(bonded_svc_return(x->s, 7, "EBP|ORDER7", ceb_msg_entities(m), NOW), 0);
	assert_int_equal(fig(x, "TESTITEM0001").balance, Q(5, 10000));
	/* cancelling the released list credits back the cup; the cream is all back already */
	assert_int_equal(bonded_svc_settle(x->s, 7, "EBP|ORDER7", BONDED_SETTLE_CANCEL, "624", NOW),
	                 0);
	assert_int_equal(fig(x, "TESTITEM0002").balance, Q(6, 0));
	assert_int_equal(fig(x, "TESTITEM0001").balance, Q(5, 10000));
	/* another list held and then cancelled: released, no credit */
	assert_int_equal(bonded_svc_reserve(x->s, 8, "EBP|ORDER8", list(x, NULL, NULL), NOW), 0);
	assert_int_equal(bonded_svc_settle(x->s, 8, "EBP|ORDER8", BONDED_SETTLE_CANCEL, "624", NOW),
	                 0);
	u = fig(x, "TESTITEM0002");
	assert_int_equal(u.reserved, 0);
	assert_int_equal(u.balance, Q(6, 0));
	/* the journal: cup = stock-in, reserve, debit, credit, reserve, release */
	int n = 0;
	assert_int_equal(store_bonded_moves_of(x->s, EMS, "TESTITEM0002", count_moves, &n), 0);
	assert_int_equal(n, 6);
}

/* A line of quantity 0 takes nothing; it must not make the list's message fail. */
static void test_zero_line(void **state)
{
	struct fx *x = *state;
	stock_sample(x, Q(1, 0), Q(1, 0));
	struct ceb_node *e = list(x, "<ceb:qty1>0.1</ceb:qty1>", "<ceb:qty1>0</ceb:qty1>");
	assert_string_equal(check(x, e, NULL), "");
	assert_int_equal(bonded_svc_reserve(x->s, 9, "EBP|ORDER9", e, NOW), 0);
	assert_int_equal(fig(x, "TESTITEM0001").reserved, 0);
	assert_int_equal(fig(x, "TESTITEM0002").reserved, Q(1, 0));
	assert_int_equal(bonded_svc_settle(x->s, 9, "EBP|ORDER9", BONDED_SETTLE_DEBIT, "800", NOW),
	                 0);
	assert_int_equal(fig(x, "TESTITEM0002").committed, Q(1, 0));
}

static void test_stockin_idempotent(void **state)
{
	struct fx *x = *state;
	stock(x, WH, "TESTITEM0001", "3304990099", "保湿面霜", "035", "E-1", Q(3, 0), 200);
	/* the same entry again: harmless */
	struct bonded_stockin in = {EMS,   "TESTITEM0001", "3304990099", "保湿面霜",
	                            "035", "E-1",          Q(3, 0)};
	struct bonded_svc_answer ans;
	assert_int_equal(bonded_svc_stockin(x->s, WH, &in, NOW, &ans), 0);
	assert_int_equal(ans.http, 200);
	assert_true(ans.repeated);
	assert_int_equal(fig(x, "TESTITEM0001").balance, Q(3, 0));
	/* the same entry with another quantity: a conflict, nothing credited */
	in.qty = Q(4, 0);
	assert_int_equal(bonded_svc_stockin(x->s, WH, &in, NOW, &ans), 0);
	assert_int_equal(ans.http, 409);
	assert_string_equal(ans.rule, "B-02");
	assert_int_equal(fig(x, "TESTITEM0001").balance, Q(3, 0));
	/* a new entry adds */
	stock(x, WH, "TESTITEM0001", "3304990099", "保湿面霜", "035", "E-2", Q(4, 0), 200);
	assert_int_equal(fig(x, "TESTITEM0001").balance, Q(7, 0));
	/* the item filed as other goods (B-01), another enterprise's account (B-02, 403) */
	stock(x, WH, "TESTITEM0001", "3304990099", "保湿面霜", "007", "E-3", Q(1, 0), 409);
	stock(x, "OTHER00TST", "TESTITEM0009", "3304990099", "保湿面霜", "035", "E-4", Q(1, 0),
	      403);
	stock(x, WH, "TESTITEM0001", "3304990099", "保湿面霜", "035", "E-5", 0, 400);
	assert_int_equal(fig(x, "TESTITEM0001").balance, Q(7, 0));
	assert_int_equal(
	    store_bonded_get(x->s, EMS, "TESTITEM0009", &(struct store_bonded_item){0}),
	    CBEC_ENOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_apply_arithmetic),
	    cmocka_unit_test(test_apply_refuses),
	    cmocka_unit_test(test_match_b01_b06),
	    cmocka_unit_test(test_stockin_check),
	    cmocka_unit_test_setup_teardown(test_b01_record, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_b04_stock, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_lifecycle, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_zero_line, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_stockin_idempotent, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
