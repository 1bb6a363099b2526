/* 9610 export summary declarations (src/clear/summary.c): S-03/S-04 grouping with each head
 * and line key separating lists, summaryFlag and itemNameFlag, exact totals, A lists only
 * counted (S-01), a list summarised once, a bad list leaving nothing behind, and the S-05
 * deadline. Lists are parsed from a CEB603 template (the reference sample's shape). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "ceb/dec.h"
#include "ceb/finding.h"
#include "ceb/model.h"
#include "ceb/parse.h"
#include "base/buf.h"
#include "ceb/write.h"
#include "clear/summary.h"
#include "testutil.h"

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#define Q(ip, fp) ((int64_t)(ip)*DEC_SCALE + (fp))

/* What varies between the test lists; NULL fields take the template's value. */
struct lst {
	const char *flag, *mode, *ebc, *owner, *traf, *country, *port, *customs;
	const char *gross, *net, *pack;
};
struct ln {
	const char *country, *gcode, *currency, *item_name, *unit, *unit1, *qty, *qty1, *total;
};

static const char * or (const char *v, const char *d)
{
	return v ? v : d;
}

static char *list_xml(const struct lst *h, const struct ln *lines, int n)
{
	static char out[16384];
	int o = snprintf(
	    out, sizeof out,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<ceb:CEB603Message xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\" "
	    "guid=\"D0849DA2-B1C0-4F56-8374-8B9C0D1E2F01\" version=\"1.0\">"
	    "<ceb:Inventory><ceb:InventoryHead>"
	    "<ceb:guid>D0849DA2-B1C0-4F56-8374-8B9C0D1E2F02</ceb:guid><ceb:appType>1</ceb:appType>"
	    "<ceb:appTime>20240601100000</ceb:appTime><ceb:appStatus>2</ceb:appStatus>"
	    "<ceb:customsCode>%s</ceb:customsCode><ceb:ebpCode>1234570TST</"
	    "ceb:ebpCode><ceb:ebpName>商城</ceb:ebpName>"
	    "<ceb:orderNo>O1</ceb:orderNo><ceb:logisticsCode>1234573TST</ceb:logisticsCode>"
	    "<ceb:logisticsName>快递</ceb:logisticsName><ceb:logisticsNo>WB1</ceb:logisticsNo>"
	    "<ceb:copNo>C1</ceb:copNo><ceb:ieFlag>E</ceb:ieFlag><ceb:portCode>%s</ceb:portCode>"
	    "<ceb:ieDate>20240601</ceb:ieDate><ceb:statisticsFlag>%s</ceb:statisticsFlag>"
	    "<ceb:agentCode>1234574TST</ceb:agentCode><ceb:agentName>报关</ceb:agentName>"
	    "<ceb:ebcCode>%s</ceb:ebcCode><ceb:ebcName>电商%s</ceb:ebcName>"
	    "<ceb:ownerCode>%s</ceb:ownerCode><ceb:ownerName>生产%s</ceb:ownerName>"
	    "<ceb:tradeMode>%s</ceb:tradeMode><ceb:trafMode>%s</ceb:trafMode><ceb:country>%s</"
	    "ceb:country>"
	    "<ceb:POD>USA</ceb:POD><ceb:freight>0</ceb:freight><ceb:fCurrency>142</"
	    "ceb:fCurrency><ceb:fFlag>3</ceb:fFlag>"
	    "<ceb:insuredFee>0</ceb:insuredFee><ceb:iCurrency>142</ceb:iCurrency><ceb:iFlag>3</"
	    "ceb:iFlag>"
	    "<ceb:wrapType>2</ceb:wrapType><ceb:packNo>%s</ceb:packNo><ceb:grossWeight>%s</"
	    "ceb:grossWeight>"
	    "<ceb:netWeight>%s</ceb:netWeight></ceb:InventoryHead>",
	    or (h->customs, "2900"), or (h->port, "2900"), or (h->flag, "B"),
	    or (h->ebc, "1234571TST"), or (h->ebc, "1234571TST"), or (h->owner, "1234575TST"),
	    or (h->owner, "1234575TST"), or (h->mode, "9610"), or (h->traf, "5"),
	    or (h->country, "502"), or (h->pack, "1"), or (h->gross, "0.65"), or (h->net, "0.6"));
	for (int i = 0; i < n; i++) {
		const struct ln *l = &lines[i];
		o += snprintf(
		    out + o, sizeof out - (size_t)o,
		    "<ceb:InventoryList><ceb:gnum>%d</ceb:gnum><ceb:itemNo>I%d</ceb:itemNo>"
		    "<ceb:itemName>%s</ceb:itemName><ceb:gcode>%s</ceb:gcode><ceb:gname>品名%d</"
		    "ceb:gname>"
		    "<ceb:gmodel>型号</ceb:gmodel><ceb:barCode>无</ceb:barCode><ceb:country>%s</"
		    "ceb:country>"
		    "<ceb:currency>%s</ceb:currency><ceb:qty>%s</ceb:qty><ceb:qty1>%s</ceb:qty1>"
		    "<ceb:unit>%s</ceb:unit><ceb:unit1>%s</ceb:unit1><ceb:price>1</ceb:price>"
		    "<ceb:totalPrice>%s</ceb:totalPrice></ceb:InventoryList>",
		    i + 1, i + 1, or (l->item_name, "T恤"), or (l->gcode, "6109100022"), i + 1,
		    or (l->country, "502"), or (l->currency, "502"), or (l->qty, "3"),
		    or (l->qty1, "3"), or (l->unit, "011"), or (l->unit1, "011"),
		    or (l->total, "36"));
	}
	snprintf(out + o, sizeof out - (size_t)o,
	         "</ceb:Inventory><ceb:BaseTransfer><ceb:copCode>1234574TST</ceb:copCode>"
	         "<ceb:copName>报关</ceb:copName><ceb:dxpMode>DXP</ceb:dxpMode><ceb:dxpId>DXP1</"
	         "ceb:dxpId>"
	         "</ceb:BaseTransfer></ceb:CEB603Message>");
	return out;
}

struct fx {
	struct arena *a;
	struct ceb_parser *p;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct ceb_parse_opts po;
	ceb_parse_opts_default(&po);
	f->a = arena_new(64 * 1024);
	f->p = ceb_parser_new(&po);
	*state = f;
	return f->a && f->p ? 0 : -1;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	ceb_parser_free(f->p);
	arena_free(f->a);
	free(f);
	return 0;
}

static const struct ceb_node *entity(struct fx *f, const struct lst *h, const struct ln *l, int n)
{
	const char *xml = list_xml(h, l, n);
	struct ceb_findings fi;
	ceb_findings_init(&fi, f->a, NULL);
	bool wf = false;
	int err = 0;
	struct ceb_msg *m = ceb_parse(f->p, xml, strlen(xml), f->a, &fi, &wf, &err);
	assert_non_null(m);
	assert_true(wf);
	assert_int_equal(fi.errors, 0);
	return ceb_msg_entities(m);
}

/* Add a list; its declaration number. */
static int add(struct fx *f, struct summary *s, const char *invt, const struct lst *h,
               const struct ln *l, int n)
{
	enum summary_fate fate;
	int decl = -1;
	assert_int_equal(summary_add(s, entity(f, h, l, n), invt, &fate, &decl), 0);
	assert_int_equal(fate, SUMMARY_TAKEN);
	return decl;
}

static const struct ln ONE = {0};

/* Every head key (S-04) separates lists; the same key gathers them. */
static void test_head_keys_separate(void **state)
{
	struct fx *f = *state;
	struct summary *s = summary_new(f->a, &(struct summary_opts){1, 0});
	struct lst base = {0};
	assert_int_equal(add(f, s, "L0", &base, &ONE, 1), 1);
	assert_int_equal(add(f, s, "L0b", &base, &ONE, 1), 1); /* same key: same declaration */
	struct lst v[] = {
	    {.ebc = "9999999TST"}, /* another shipper */
	    {.traf = "4"},         /* another transport mode (road) */
	    {.country = "303"},    /* another destination country */
	    {.port = "2901"},      /* another exit customs */
	    {.customs = "2902"},   /* another declaring customs */
	};
	char invt[16];
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		snprintf(invt, sizeof invt, "L%zu", i + 1);
		assert_int_equal(add(f, s, invt, &v[i], &ONE, 1), (int)i + 2);
	}
	assert_int_equal(s->ndecls, 6);
	assert_int_equal(summary_decl_at(s, 1)->nlists, 2);
	/* summaryFlag 1: another producer does not separate, and the shipper stands as producer */
	struct lst other_owner = {.owner = "8888888TST"};
	assert_int_equal(add(f, s, "L9", &other_owner, &ONE, 1), 1);
	assert_string_equal(summary_decl_at(s, 1)->owner_code, "1234571TST");
	assert_int_equal(s->ndecls, 6);
}

/* summaryFlag 2: the producer is part of the head key (S-03). */
static void test_summary_flag_2_producer(void **state)
{
	struct fx *f = *state;
	struct summary *s = summary_new(f->a, &(struct summary_opts){2, 0});
	struct lst a = {0}, b = {.owner = "8888888TST"};
	assert_int_equal(add(f, s, "L1", &a, &ONE, 1), 1);
	assert_int_equal(add(f, s, "L2", &b, &ONE, 1), 2);
	assert_int_equal(add(f, s, "L3", &a, &ONE, 1), 1);
	assert_string_equal(summary_decl_at(s, 2)->owner_code, "8888888TST");
	assert_string_equal(summary_decl_at(s, 1)->owner_code, "1234575TST");
}

/* Every line key separates items; the same key adds up, exactly. */
static void test_line_keys_and_totals(void **state)
{
	struct fx *f = *state;
	struct summary *s = summary_new(f->a, &(struct summary_opts){1, 0});
	struct lst h = {0};
	struct ln l1[] = {
	    {.qty = "3", .qty1 = "3", .total = "36.1"},
	    {.country = "303", .total = "1"},              /* another final destination */
	    {.gcode = "6109909000", .total = "2"},         /* another HS code */
	    {.currency = "300", .total = "3"},             /* another currency */
	    {.unit = "007", .unit1 = "007", .total = "4"}, /* another unit */
	    {.item_name = "另一个名字",
	     .qty = "0.00001",
	     .qty1 = "0.00001",
	     .total = "0.00001"}, /* name: flag 0, same item */
	};
	add(f, s, "L1", &h, l1, 6);
	const struct summary_decl *d = summary_decl_at(s, 1);
	assert_int_equal(d->nitems, 5);
	struct ln l2[] = {{.qty = "2.5", .qty1 = "5", .total = "0.99999"}};
	add(f, s, "L2", &h, l2, 1);
	assert_int_equal(d->nitems, 5);
	const struct summary_item *it = d->items;
	assert_int_equal(it->gseqno, 1);
	assert_int_equal(it->nlines, 3);
	assert_int_equal(it->qty, Q(5, 50001));          /* 3 + 0.00001 + 2.5 */
	assert_int_equal(it->qty1, Q(8, 1));             /* 3 + 0.00001 + 5 */
	assert_int_equal(it->total_price, Q(37, 10000)); /* 36.1 + 0.00001 + 0.99999 */
	/* head totals: 0.65 + 0.65, 0.6 + 0.6, 2 parcels */
	assert_int_equal(d->gross_weight, Q(1, 30000));
	assert_int_equal(d->net_weight, Q(1, 20000));
	assert_int_equal(d->pack_no, 2);
	/* the mapping back, as CEB792 carries it */
	int n = 0;
	for (const struct summary_map *m = s->map; m; m = m->next, n++) {
		if (!strcmp(m->invt_no, "L1") && m->gnum == 6)
			assert_int_equal(m->gseqno, 1);
		if (!strcmp(m->invt_no, "L1") && m->gnum == 5)
			assert_int_equal(m->gseqno, 5);
		if (!strcmp(m->invt_no, "L2"))
			assert_int_equal(m->gseqno, 1);
		assert_int_equal(m->decl, 1);
	}
	assert_int_equal(n, 7);
	assert_int_equal(s->nmap, 7);
}

/* itemNameFlag 1: the item name separates too (S-03). */
static void test_item_name_flag(void **state)
{
	struct fx *f = *state;
	struct summary *s = summary_new(f->a, &(struct summary_opts){1, 1});
	struct lst h = {0};
	struct ln l[] = {{.item_name = "T恤"}, {.item_name = "短袖T恤"}, {.item_name = "T恤"}};
	add(f, s, "L1", &h, l, 3);
	const struct summary_decl *d = summary_decl_at(s, 1);
	assert_int_equal(d->nitems, 2);
	assert_string_equal(d->items->item_name, "T恤");
	assert_int_equal(d->items->nlines, 2);
	assert_int_equal(d->items->qty, Q(6, 0));
}

/* S-01: A lists are counted only; lists of other modes neither. */
static void test_a_lists_counted_only(void **state)
{
	struct fx *f = *state;
	struct summary *s = summary_new(f->a, NULL);
	enum summary_fate fate;
	int decl = -1;
	struct lst a = {.flag = "A"}, b = {0}, other = {.mode = "9710"};
	assert_int_equal(summary_add(s, entity(f, &a, &ONE, 1), "LA", &fate, &decl), 0);
	assert_int_equal(fate, SUMMARY_COUNTED);
	assert_int_equal(decl, 0);
	assert_int_equal(summary_add(s, entity(f, &other, &ONE, 1), "LO", &fate, &decl), 0);
	assert_int_equal(fate, SUMMARY_OTHER);
	assert_int_equal(s->ndecls, 0);
	assert_null(s->map);
	add(f, s, "LB", &b, &ONE, 1);
	assert_int_equal(s->a_lists, 1);
	assert_int_equal(s->b_lists, 1);
	assert_int_equal(s->other_lists, 1);
	assert_int_equal(summary_decl_at(s, 1)->nlists, 1);
}

/* A list is summarised once: its number again is refused and changes nothing. */
static void test_list_once(void **state)
{
	struct fx *f = *state;
	struct summary *s = summary_new(f->a, NULL);
	struct lst h = {0};
	add(f, s, "L1", &h, &ONE, 1);
	enum summary_fate fate;
	int decl;
	assert_int_equal(summary_add(s, entity(f, &h, &ONE, 1), "L1", &fate, &decl), CBEC_EEXIST);
	struct lst a = {.flag = "A"};
	assert_int_equal(summary_add(s, entity(f, &a, &ONE, 1), "L1", &fate, &decl), CBEC_EEXIST);
	assert_int_equal(summary_decl_at(s, 1)->nlists, 1);
	assert_int_equal(summary_decl_at(s, 1)->items->qty, Q(3, 0));
	assert_int_equal(s->nmap, 1);
	/* many lists: the set grows and still finds every one */
	char invt[16];
	for (int i = 0; i < 300; i++) {
		snprintf(invt, sizeof invt, "M%d", i);
		add(f, s, invt, &h, &ONE, 1);
	}
	for (int i = 0; i < 300; i += 37) {
		snprintf(invt, sizeof invt, "M%d", i);
		assert_int_equal(summary_add(s, entity(f, &h, &ONE, 1), invt, &fate, &decl),
		                 CBEC_EEXIST);
	}
	assert_int_equal(summary_decl_at(s, 1)->items->qty, Q(903, 0));
}

/* A list that cannot be summarised leaves nothing behind; an overflow is refused. */
static void test_bad_list_atomic(void **state)
{
	struct fx *f = *state;
	struct summary *s = summary_new(f->a, NULL);
	struct lst h = {0};
	struct ln big = {.total = "90000000000000"};
	add(f, s, "L1", &h, &big, 1);
	struct ln two[] = {{.total = "1"}, {.total = "90000000000000"}};
	enum summary_fate fate;
	int decl;
	/* 9e13 + 1 + 9e13 is over the int64 range of 1e-5 units (9.2e13) */
	assert_int_equal(summary_add(s, entity(f, &h, two, 2), "L2", &fate, &decl), CBEC_ETOOBIG);
	const struct summary_decl *d = summary_decl_at(s, 1);
	assert_int_equal(d->nlists, 1);
	assert_int_equal(d->items->total_price, Q(90000000000000LL, 0));
	assert_int_equal(d->gross_weight, Q(0, 65000));
	assert_int_equal(s->nmap, 1);
	/* refused, so the number is still free */
	struct ln small = {.total = "1"};
	add(f, s, "L2", &h, &small, 1);
	/* not a 603 at all */
	assert_int_equal(summary_add(s, NULL, "L3", &fate, &decl), CBEC_EINVAL);
	assert_int_equal(summary_add(s, entity(f, &h, &ONE, 1), "", &fate, &decl), CBEC_EINVAL);
}

static void test_deadline(void **state)
{
	(void)state;
	char d[11];
	int y, m;
	assert_int_equal(summary_period_parse("2026-11", &y, &m), 0);
	assert_int_equal(summary_deadline(y, m, d), 0);
	assert_string_equal(d, "2026-12-15");
	assert_int_equal(summary_deadline(2026, 12, d), 0);
	assert_string_equal(d, "2027-01-15");
	assert_int_equal(summary_period_parse("2026-13", &y, &m), CBEC_EINVAL);
	assert_int_equal(summary_period_parse("2026-1", &y, &m), CBEC_EINVAL);
	assert_int_equal(summary_period_parse("2026/11", &y, &m), CBEC_EINVAL);
}

static xmlSchemaPtr export_xsd;

/* Load the XSD before any cbec parser exists: the parser installs an entity loader that
 * refuses every external file (as in test_write.c). */
static int load_xsd(void **state)
{
	(void)state;
	xmlSchemaParserCtxtPtr pc =
	    xmlSchemaNewParserCtxt(tu_shared("domain/official/xsd/ceb-export-2022.xsd"));
	export_xsd = xmlSchemaParse(pc);
	xmlSchemaFreeParserCtxt(pc);
	return export_xsd ? 0 : -1;
}

static int free_xsd(void **state)
{
	(void)state;
	xmlSchemaFree(export_xsd);
	return 0;
}

/* The CEB701 of a summary: one SummaryApply per declaration with its lists, written by the
 * project's writer, valid against the official export XSD, and read back the same. */
static void test_apply_message_valid(void **state)
{
	struct fx *f = *state;
	struct summary *s = summary_new(f->a, &(struct summary_opts){2, 1});
	struct lst a = {0}, b = {.owner = "8888888TST"};
	add(f, s, "29002026E000000001", &a, &ONE, 1);
	add(f, s, "29002026E000000002", &b, &ONE, 1);
	add(f, s, "29002026E000000003", &a, &ONE, 1);
	struct summary_apply_args g = {"1234571TST",
	                               "示例外贸电商有限公司（测试）",
	                               NULL,
	                               NULL,
	                               "SUM202611-ABCDEF01",
	                               "period 2026-11; deadline 2026-12-15",
	                               "DXPENT0000000001",
	                               1764000000000LL};
	struct ceb_msg *m = summary_apply_msg(f->a, s, &g);
	assert_non_null(m);
	struct buf b1 = BUF_INIT;
	assert_int_equal(ceb_write(m, NULL, &b1), 0);
	xmlDocPtr doc = xmlReadMemory(b1.p, (int)b1.n, "701.xml", NULL, XML_PARSE_NONET);
	assert_non_null(doc);
	xmlSchemaValidCtxtPtr v = xmlSchemaNewValidCtxt(export_xsd);
	int rc = xmlSchemaValidateDoc(v, doc);
	xmlSchemaFreeValidCtxt(v);
	xmlFreeDoc(doc);
	if (rc != 0)
		fprintf(stderr, "%.*s\n", (int)b1.n, b1.p);
	assert_int_equal(rc, 0);
	/* read back: two applications, the lists where the keys put them */
	struct ceb_findings fi;
	ceb_findings_init(&fi, f->a, NULL);
	bool wf;
	int err;
	struct ceb_msg *back = ceb_parse(f->p, b1.p, b1.n, f->a, &fi, &wf, &err);
	assert_non_null(back);
	assert_int_equal(fi.errors, 0);
	struct ceb_node *e1 = ceb_msg_entities(back), *e2 = e1->next;
	assert_non_null(e2);
	assert_null(e2->next);
	const struct ceb_node *h1 = ceb_entity_head(e1);
	assert_string_equal(h1->vals[ESH_copNo].p, "SUM202611-ABCDEF01-1");
	assert_string_equal(h1->vals[ESH_summaryFlag].p, "2");
	assert_string_equal(h1->vals[ESH_itemNameFlag].p, "1");
	assert_string_equal(h1->vals[ESH_customsCode].p, "2900");
	assert_string_equal(h1->vals[ESH_declAgentCode].p,
	                    "1234571TST"); /* the shipper by default */
	int n = 0;
	for (const struct ceb_node *l = ceb_entity_lines(e1); l; l = l->next, n++)
		assert_string_equal(l->vals[ESL_invtNo].p,
		                    n ? "29002026E000000003" : "29002026E000000001");
	assert_int_equal(n, 2);
	assert_string_equal(ceb_entity_lines(e2)->vals[ESL_invtNo].p, "29002026E000000002");
	assert_string_not_equal(h1->vals[ESH_guid].p, ceb_entity_head(e2)->vals[ESH_guid].p);
	buf_free(&b1);
	/* nothing to apply for: no message */
	assert_null(summary_apply_msg(f->a, summary_new(f->a, NULL), &g));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_head_keys_separate, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_summary_flag_2_producer, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_line_keys_and_totals, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_item_name_flag, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_a_lists_counted_only, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_list_once, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_list_atomic, setup, teardown),
	    cmocka_unit_test(test_deadline),
	    cmocka_unit_test_setup_teardown(test_apply_message_valid, setup, teardown),
	};
	return cmocka_run_group_tests(tests, load_xsd, free_xsd);
}
