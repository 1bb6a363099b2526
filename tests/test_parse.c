/* The hardened parser: every reference message parses, structure findings name the rule and
 * the path, and hostile or broken input gets a clean rejection. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "ceb/parse.h"
#include "testutil.h"

struct fx {
	struct ceb_parser *p;
	struct arena *a;
	struct ceb_findings f;
	struct ceb_msg *m;
	bool wf;
};

static struct fx *fx_new(const struct ceb_parse_opts *o)
{
	struct fx *x = calloc(1, sizeof *x);
	x->p = ceb_parser_new(o);
	x->a = arena_new(0);
	assert_non_null(x->p);
	assert_non_null(x->a);
	return x;
}

static void fx_free(struct fx *x)
{
	ceb_parser_free(x->p);
	arena_free(x->a);
	free(x);
}

static struct ceb_msg *run(struct fx *x, const char *xml, size_t n)
{
	arena_reset(x->a);
	ceb_findings_init(&x->f, x->a, NULL);
	int err = 0;
	x->m = ceb_parse(x->p, xml, n, x->a, &x->f, &x->wf, &err);
	assert_int_equal(err, 0);
	return x->m;
}

static struct ceb_msg *runz(struct fx *x, const char *xml)
{
	return run(x, xml, strlen(xml));
}

/* The first finding with this rule id, or NULL. */
static const struct ceb_finding *has(const struct fx *x, const char *rule)
{
	for (const struct ceb_finding *f = x->f.head; f; f = f->next)
		if (!strcmp(ceb_rules[f->rule].id, rule))
			return f;
	return NULL;
}

static void dump(const struct fx *x)
{
	for (const struct ceb_finding *f = x->f.head; f; f = f->next)
		fprintf(stderr, "  %s %s: %s\n", ceb_rules[f->rule].id, f->path, f->en);
}

static void expect(const struct fx *x, const char *rule, const char *path)
{
	const struct ceb_finding *f = has(x, rule);
	if (!f) {
		fprintf(stderr, "expected %s, got:\n", rule);
		dump(x);
	}
	assert_non_null(f);
	if (path)
		assert_string_equal(f->path, path);
	assert_non_null(f->zh);
	assert_non_null(f->en);
}

/* A small valid import order used as the base of the structure cases. */
#define HEAD311                                                                                    \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                             \
	"<ceb:CEB311Message xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\" "                       \
	"guid=\"6F1D2C3B-4A59-4E8F-9C0D-1A2B3C4D5E01\" version=\"1.0\">"
#define ORDERHEAD                                                                                  \
	"<ceb:OrderHead><ceb:guid>6F1D2C3B-4A59-4E8F-9C0D-1A2B3C4D5E02</ceb:guid>"                  \
	"<ceb:appType>1</ceb:appType><ceb:appTime>20240520101500</ceb:appTime>"                    \
	"<ceb:appStatus>2</ceb:appStatus><ceb:orderType>I</ceb:orderType>"                         \
	"<ceb:orderNo>O1</ceb:orderNo><ceb:ebpCode>1234560TST</ceb:ebpCode>"                       \
	"<ceb:ebpName>P</ceb:ebpName><ceb:ebcCode>1234561TST</ceb:ebcCode>"                        \
	"<ceb:ebcName>E</ceb:ebcName><ceb:goodsValue>10</ceb:goodsValue>"                          \
	"<ceb:freight>0</ceb:freight><ceb:discount>0</ceb:discount>"                               \
	"<ceb:taxTotal>0</ceb:taxTotal><ceb:acturalPaid>10</ceb:acturalPaid>"                      \
	"<ceb:currency>142</ceb:currency><ceb:buyerRegNo>u</ceb:buyerRegNo>"                       \
	"<ceb:buyerName>B</ceb:buyerName><ceb:buyerTelephone>1</ceb:buyerTelephone>"               \
	"<ceb:buyerIdType>1</ceb:buyerIdType>"                                                     \
	"<ceb:buyerIdNumber>110101199003071233</ceb:buyerIdNumber>"                                \
	"<ceb:consignee>B</ceb:consignee><ceb:consigneeTelephone>1</ceb:consigneeTelephone>"       \
	"<ceb:consigneeAddress>A</ceb:consigneeAddress></ceb:OrderHead>"
#define ORDERLIST(n)                                                                               \
	"<ceb:OrderList><ceb:gnum>" n "</ceb:gnum><ceb:itemName>I</ceb:itemName>"                   \
	"<ceb:gmodel>M</ceb:gmodel><ceb:unit>007</ceb:unit><ceb:qty>1</ceb:qty>"                   \
	"<ceb:price>10</ceb:price><ceb:totalPrice>10</ceb:totalPrice>"                             \
	"<ceb:currency>142</ceb:currency><ceb:country>116</ceb:country></ceb:OrderList>"
#define TAIL311                                                                                    \
	"<ceb:BaseTransfer><ceb:copCode>1234560TST</ceb:copCode><ceb:copName>P</ceb:copName>"      \
	"<ceb:dxpMode>DXP</ceb:dxpMode><ceb:dxpId>DXPTST0000000001</ceb:dxpId></ceb:BaseTransfer>" \
	"</ceb:CEB311Message>"

static void test_base_ok(void **state)
{
	struct fx *x = fx_new(NULL);
	struct ceb_msg *m = runz(x, HEAD311 "<ceb:Order>" ORDERHEAD ORDERLIST("1") "</ceb:Order>" TAIL311);
	if (x->f.count)
		dump(x);
	assert_non_null(m);
	assert_true(x->wf);
	assert_int_equal(x->f.count, 0);
	assert_int_equal(m->type->code, 311);
	struct ceb_node *h = ceb_entity_head(ceb_msg_entities(m));
	assert_string_equal(h->vals[IOH_orderNo].p, "O1");
	assert_string_equal(ceb_entity_lines(ceb_msg_entities(m))->vals[IOL_unit].p, "007");
	assert_string_equal(m->guid.p, "6F1D2C3B-4A59-4E8F-9C0D-1A2B3C4D5E01");
	fx_free(x);
}

/* Parse every *.xml of a folder; returns how many were refused for an unknown root. */
static int check_dir(const char *dir, bool expect_clean)
{
	int unknown_root = 0;
	struct fx *x = fx_new(NULL);
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct dirent *e;
	int n = 0;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l < 5 || strcmp(e->d_name + l - 4, ".xml"))
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		size_t len;
		char *xml = tu_read(path, &len);
		struct ceb_msg *m = run(x, xml, len);
		if (!m && !expect_clean && has(x, "F-01.5") && x->f.count == 1) {
			unknown_root++;
			free(xml);
			continue;
		}
		if (!m || !x->wf || (expect_clean && x->f.count)) {
			fprintf(stderr, "%s:\n", path);
			dump(x);
		}
		assert_non_null(m);
		assert_true(x->wf);
		if (expect_clean)
			assert_int_equal(x->f.count, 0);
		free(xml);
		n++;
	}
	closedir(d);
	assert_true(n > 0);
	fx_free(x);
	return unknown_root;
}

static void test_shared_samples_clean(void **state)
{
	check_dir(tu_shared("domain/samples"), true);
}

static void test_official_samples_parse(void **state)
{
	assert_int_equal(check_dir(tu_shared("domain/official/samples/import"), false), 0);
	/* The official CEB214 sample's root is <ceb:CEB214>, not CEB214Message: a real defect. */
	assert_int_equal(check_dir(tu_shared("domain/official/samples/export"), false), 1);
	struct fx *x = fx_new(NULL);
	size_t len;
	char *xml = tu_read(tu_shared("domain/official/samples/export/CEB214Message.xml"), &len);
	assert_null(run(x, xml, len));
	expect(x, "F-01.5", "/CEB214");
	free(xml);
	fx_free(x);
}

static void test_default_namespace_receipt(void **state)
{
	struct fx *x = fx_new(NULL);
	size_t len;
	char *xml = tu_read(tu_shared("domain/official/samples/import/CEB622Message.xml"), &len);
	struct ceb_msg *m = run(x, xml, len);
	assert_non_null(m);
	assert_int_equal(m->type->code, 622);
	int n = 0;
	for (struct ceb_node *e = ceb_msg_entities(m); e; e = e->next)
		n++;
	assert_int_equal(n, 10);
	free(xml);
	fx_free(x);
}

static void test_signature_kept_verbatim(void **state)
{
	struct fx *x = fx_new(NULL);
	size_t len;
	char *xml = tu_read(tu_shared("domain/samples/CEB621Message.xml"), &len);
	struct ceb_msg *m = run(x, xml, len);
	assert_non_null(m);
	struct ceb_node *sig = NULL;
	for (int k = 0; k < m->root->def->nkids; k++)
		if (m->root->def->kids[k].def->kind == CEB_K_SIG)
			sig = m->root->first[k];
	assert_non_null(sig);
	const struct ceb_val *v = &sig->vals[0];
	assert_true(v->n > 40);
	assert_memory_equal(v->p, "<ds:Signature>", 14);
	assert_memory_equal(v->p + v->n - 15, "</ds:Signature>", 15);
	assert_string_equal(sig->prefix, "ds");
	assert_non_null(strstr(xml, v->p));
	free(xml);
	fx_free(x);
}

static void test_extend_message_any(void **state)
{
	struct fx *x = fx_new(NULL);
	struct ceb_msg *m = runz(x, HEAD311 "<ceb:Order>" ORDERHEAD ORDERLIST("1") "</ceb:Order>"
		"<ceb:BaseTransfer><ceb:copCode>1234560TST</ceb:copCode><ceb:copName>P</ceb:copName>"
		"<ceb:dxpMode>DXP</ceb:dxpMode><ceb:dxpId>D</ceb:dxpId></ceb:BaseTransfer>"
		"<ceb:ExtendMessage><ceb:name>n</ceb:name><ceb:version>1</ceb:version>"
		"<ceb:Message><x a=\"1\">t<y/></x></ceb:Message></ceb:ExtendMessage></ceb:CEB311Message>");
	if (x->f.count)
		dump(x);
	assert_int_equal(x->f.count, 0);
	struct ceb_node *ext = ceb_kid(m->root, 3);
	assert_non_null(ext);
	assert_string_equal(ext->vals[EXT_Message].p, "<x a=\"1\">t<y/></x>");
	fx_free(x);
}

static void test_unknown_element(void **state)
{
	struct fx *x = fx_new(NULL);
	runz(x, HEAD311 "<ceb:Order>" ORDERHEAD ORDERLIST("1") "<ceb:Bogus><ceb:deep/></ceb:Bogus></ceb:Order>" TAIL311);
	expect(x, "F-01.6", "/CEB311Message/Order[1]/Bogus");
	fx_free(x);
}

static void test_unknown_field(void **state)
{
	struct fx *x = fx_new(NULL);
	runz(x, HEAD311 "<ceb:Order><ceb:OrderHead><ceb:guid>6F1D2C3B-4A59-4E8F-9C0D-1A2B3C4D5E02</ceb:guid>"
		"<ceb:colour>red</ceb:colour></ceb:OrderHead>" ORDERLIST("1") "</ceb:Order>" TAIL311);
	expect(x, "F-01.6", "/CEB311Message/Order[1]/OrderHead/colour");
	expect(x, "F-01.7", "/CEB311Message/Order[1]/OrderHead/appType");
	fx_free(x);
}

static void test_foreign_namespace(void **state)
{
	struct fx *x = fx_new(NULL);
	runz(x, HEAD311 "<ceb:Order>" ORDERHEAD ORDERLIST("1") "<z:OrderList xmlns:z=\"urn:x\"/></ceb:Order>" TAIL311);
	expect(x, "F-01.6", "/CEB311Message/Order[1]/OrderList");
	assert_non_null(strstr(has(x, "F-01.6")->en, "urn:x"));
	fx_free(x);
}

static void test_missing_required(void **state)
{
	struct fx *x = fx_new(NULL);
	char *xml = strdup(HEAD311 "<ceb:Order>" ORDERHEAD ORDERLIST("1") "</ceb:Order>" TAIL311);
	char *p = strstr(xml, "<ceb:buyerIdNumber>");
	char *q = strstr(xml, "</ceb:buyerIdNumber>") + strlen("</ceb:buyerIdNumber>");
	memmove(p, q, strlen(q) + 1);
	runz(x, xml);
	expect(x, "F-01.7", "/CEB311Message/Order[1]/OrderHead/buyerIdNumber");
	free(xml);
	fx_free(x);
}

static void test_empty_required(void **state)
{
	struct fx *x = fx_new(NULL);
	char *xml = strdup(HEAD311 "<ceb:Order>" ORDERHEAD ORDERLIST("1") "</ceb:Order>" TAIL311);
	char *p = strstr(xml, "<ceb:orderNo>O1</ceb:orderNo>");
	memcpy(p, "<ceb:orderNo>  </ceb:orderNo>", 29);
	runz(x, xml);
	expect(x, "F-01.7", "/CEB311Message/Order[1]/OrderHead/orderNo");
	free(xml);
	fx_free(x);
}

static void test_missing_group_child(void **state)
{
	struct fx *x = fx_new(NULL);
	runz(x, HEAD311 "<ceb:Order>" ORDERHEAD "</ceb:Order>" TAIL311);
	expect(x, "F-01.7", "/CEB311Message/Order[1]/OrderList");
	fx_free(x);
	x = fx_new(NULL);
	runz(x, HEAD311 "<ceb:Order>" ORDERHEAD ORDERLIST("1") "</ceb:Order></ceb:CEB311Message>");
	expect(x, "F-01.7", "/CEB311Message/BaseTransfer");
	fx_free(x);
}

static void test_duplicate_field(void **state)
{
	struct fx *x = fx_new(NULL);
	runz(x, HEAD311 "<ceb:Order>" ORDERHEAD ORDERLIST("1") "</ceb:Order>"
		"<ceb:BaseTransfer><ceb:copCode>1234560TST</ceb:copCode><ceb:copCode>X</ceb:copCode>"
		"<ceb:copName>P</ceb:copName><ceb:dxpMode>DXP</ceb:dxpMode><ceb:dxpId>D</ceb:dxpId>"
		"</ceb:BaseTransfer></ceb:CEB311Message>");
	expect(x, "F-01.8", "/CEB311Message/BaseTransfer/copCode");
	fx_free(x);
}

static void test_order(void **state)
{
	struct fx *x = fx_new(NULL);
	runz(x, HEAD311 "<ceb:Order>" ORDERHEAD ORDERLIST("1") "</ceb:Order>"
		"<ceb:BaseTransfer><ceb:copName>P</ceb:copName><ceb:copCode>1234560TST</ceb:copCode>"
		"<ceb:dxpMode>DXP</ceb:dxpMode><ceb:dxpId>D</ceb:dxpId></ceb:BaseTransfer></ceb:CEB311Message>");
	expect(x, "F-01.9", "/CEB311Message/BaseTransfer/copCode");
	fx_free(x);
	x = fx_new(NULL);
	runz(x, HEAD311 "<ceb:Order>" ORDERLIST("1") ORDERHEAD "</ceb:Order>" TAIL311);
	expect(x, "F-01.9", "/CEB311Message/Order[1]/OrderHead");
	fx_free(x);
}

static void test_too_many_heads(void **state)
{
	struct fx *x = fx_new(NULL);
	runz(x, HEAD311 "<ceb:Order>" ORDERHEAD ORDERHEAD ORDERLIST("1") "</ceb:Order>" TAIL311);
	expect(x, "F-01.8", "/CEB311Message/Order[1]/OrderHead");
	fx_free(x);
}

static void test_limits_entities_and_lines(void **state)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, HEAD311);
	for (int i = 0; i < 101; i++)
		buf_puts(&b, "<ceb:Order>" ORDERHEAD ORDERLIST("1") "</ceb:Order>");
	buf_puts(&b, TAIL311);
	struct fx *x = fx_new(NULL);
	run(x, b.p, b.n);
	expect(x, "F-08", "/CEB311Message/Order[101]");
	buf_reset(&b);
	buf_puts(&b, HEAD311 "<ceb:Order>" ORDERHEAD);
	for (int i = 1; i <= 100; i++) {
		char gn[8];
		snprintf(gn, sizeof gn, "%d", i);
		const char *l = ORDERLIST("@");
		const char *at = strchr(l, '@');
		buf_put(&b, l, (size_t)(at - l));
		buf_puts(&b, gn);
		buf_puts(&b, at + 1);
	}
	buf_puts(&b, "</ceb:Order>" TAIL311);
	run(x, b.p, b.n);
	expect(x, "F-08", "/CEB311Message/Order[1]/OrderList[100]");
	buf_free(&b);
	fx_free(x);
}

static void test_text_in_group_and_child_in_field(void **state)
{
	struct fx *x = fx_new(NULL);
	runz(x, HEAD311 "<ceb:Order>stray" ORDERHEAD ORDERLIST("1") "</ceb:Order>" TAIL311);
	expect(x, "F-01.10", "/CEB311Message/Order[1]");
	fx_free(x);
	x = fx_new(NULL);
	runz(x, HEAD311 "<ceb:Order>" ORDERHEAD ORDERLIST("1") "</ceb:Order>"
		"<ceb:BaseTransfer><ceb:copCode>12<b>3</b></ceb:copCode><ceb:copName>P</ceb:copName>"
		"<ceb:dxpMode>DXP</ceb:dxpMode><ceb:dxpId>D</ceb:dxpId></ceb:BaseTransfer></ceb:CEB311Message>");
	expect(x, "F-01.10", "/CEB311Message/BaseTransfer/copCode/b");
	fx_free(x);
}

static void test_root(void **state)
{
	struct fx *x = fx_new(NULL);
	assert_null(runz(x, "<CEB311Message xmlns=\"urn:wrong\" guid=\"x\" version=\"1\"/>"));
	expect(x, "F-01.5", "/CEB311Message");
	assert_null(runz(x, "<ceb:CEB999Message xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\"/>"));
	expect(x, "F-01.5", "/CEB999Message");
	assert_null(runz(x, "<CEB311Message guid=\"x\" version=\"1\"/>"));
	expect(x, "F-01.5", NULL);
	fx_free(x);
}

static void test_root_attributes(void **state)
{
	struct fx *x = fx_new(NULL);
	runz(x, "<ceb:CEB311Message xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\" extra=\"1\">"
		"<ceb:Order>" ORDERHEAD ORDERLIST("1") "</ceb:Order>" TAIL311);
	expect(x, "F-01.13", "/CEB311Message/@guid");
	expect(x, "F-01.6", "/CEB311Message/@extra");
	fx_free(x);
}

static void test_malformed(void **state)
{
	struct fx *x = fx_new(NULL);
	const char *full = HEAD311 "<ceb:Order>" ORDERHEAD ORDERLIST("1") "</ceb:Order>" TAIL311;
	/* every truncation point gives a clean rejection */
	for (size_t n = 0; n < strlen(full); n += 7) {
		run(x, full, n);
		assert_false(x->wf);
		assert_true(x->f.errors > 0);
	}
	runz(x, "<ceb:CEB311Message xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\"><b></ceb:CEB311Message>");
	expect(x, "F-01.1", "/");
	assert_false(x->wf);
	runz(x, "not xml at all");
	expect(x, "F-01.1", "/");
	run(x, "", 0);
	expect(x, "F-01.1", "/");
	fx_free(x);
}

static void test_dtd_and_entities(void **state)
{
	struct fx *x = fx_new(NULL);
	/* billion laughs */
	runz(x, "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
		"<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
		"<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>"
		"<ceb:CEB311Message xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\">&lol3;</ceb:CEB311Message>");
	expect(x, "F-01.3", NULL);
	assert_false(x->wf);
	/* external entity: nothing may be read */
	runz(x, "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
		"<ceb:CEB311Message xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\"><ceb:Order>&xxe;</ceb:Order>"
		"</ceb:CEB311Message>");
	expect(x, "F-01.3", NULL);
	for (const struct ceb_finding *f = x->f.head; f; f = f->next)
		assert_null(strstr(f->en, "root:"));
	/* an entity reference with no DTD */
	runz(x, HEAD311 "<ceb:Order>&ent;</ceb:Order>" TAIL311);
	expect(x, "F-01.3", NULL);
	/* character references and predefined entities are plain XML and fine */
	struct ceb_msg *m = runz(x, HEAD311 "<ceb:Order>" ORDERHEAD ORDERLIST("1") "</ceb:Order>"
		"<ceb:BaseTransfer><ceb:copCode>1234560TST</ceb:copCode><ceb:copName>A&amp;B&#x4E2D;</ceb:copName>"
		"<ceb:dxpMode>DXP</ceb:dxpMode><ceb:dxpId>D</ceb:dxpId></ceb:BaseTransfer></ceb:CEB311Message>");
	assert_int_equal(x->f.count, 0);
	assert_string_equal(ceb_kid(m->root, 1)->vals[IBT_copName].p, "A&B中");
	fx_free(x);
}

static void test_limits(void **state)
{
	struct ceb_parse_opts o;
	ceb_parse_opts_default(&o);
	o.max_bytes = 1000;
	struct fx *x = fx_new(&o);
	const char *full = HEAD311 "<ceb:Order>" ORDERHEAD ORDERLIST("1") "</ceb:Order>" TAIL311;
	assert_null(runz(x, full));
	expect(x, "F-01.4", "/");
	fx_free(x);

	ceb_parse_opts_default(&o);
	x = fx_new(&o);
	struct buf b = BUF_INIT;
	buf_puts(&b, HEAD311);
	for (int i = 0; i < 100; i++)
		buf_puts(&b, "<ceb:Order>");
	run(x, b.p, b.n);
	expect(x, "F-01.4", NULL);
	assert_false(x->wf);
	fx_free(x);

	o.max_elements = 20;
	x = fx_new(&o);
	runz(x, full);
	expect(x, "F-01.4", NULL);
	buf_free(&b);
	fx_free(x);
}

static void test_encodings(void **state)
{
	struct fx *x = fx_new(NULL);
	runz(x, "<?xml version=\"1.0\" encoding=\"GBK\"?><ceb:CEB311Message xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\"/>");
	expect(x, "F-01.2", "/");
	assert_non_null(strstr(has(x, "F-01.2")->en, "GBK"));
	/* undeclared GBK bytes (张 = D5 C5) are not UTF-8 */
	runz(x, HEAD311 "<ceb:Order>" ORDERHEAD ORDERLIST("1") "</ceb:Order>"
		"<ceb:BaseTransfer><ceb:copCode>1234560TST</ceb:copCode><ceb:copName>\xD5\xC5</ceb:copName>"
		"<ceb:dxpMode>DXP</ceb:dxpMode><ceb:dxpId>D</ceb:dxpId></ceb:BaseTransfer></ceb:CEB311Message>");
	expect(x, "F-01.2", "/");
	run(x, "\xFF\xFE<\0a\0/\0>\0", 10);
	expect(x, "F-01.2", "/");
	/* a UTF-8 byte-order mark is fine */
	struct buf b = BUF_INIT;
	buf_puts(&b, "\xEF\xBB\xBF" HEAD311 "<ceb:Order>" ORDERHEAD ORDERLIST("1") "</ceb:Order>" TAIL311);
	run(x, b.p, b.n);
	assert_int_equal(x->f.count, 0);
	buf_free(&b);
	fx_free(x);
}

static void test_parser_reuse(void **state)
{
	struct fx *x = fx_new(NULL);
	const char *ok = HEAD311 "<ceb:Order>" ORDERHEAD ORDERLIST("1") "</ceb:Order>" TAIL311;
	for (int i = 0; i < 200; i++) {
		runz(x, i % 3 == 1 ? "<broken" : ok);
		if (i % 3 == 1) {
			assert_false(x->wf);
		} else {
			assert_true(x->wf);
			assert_int_equal(x->f.count, 0);
		}
	}
	fx_free(x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base_ok),
		cmocka_unit_test(test_shared_samples_clean),
		cmocka_unit_test(test_official_samples_parse),
		cmocka_unit_test(test_default_namespace_receipt),
		cmocka_unit_test(test_signature_kept_verbatim),
		cmocka_unit_test(test_extend_message_any),
		cmocka_unit_test(test_unknown_element),
		cmocka_unit_test(test_unknown_field),
		cmocka_unit_test(test_foreign_namespace),
		cmocka_unit_test(test_missing_required),
		cmocka_unit_test(test_empty_required),
		cmocka_unit_test(test_missing_group_child),
		cmocka_unit_test(test_duplicate_field),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_too_many_heads),
		cmocka_unit_test(test_limits_entities_and_lines),
		cmocka_unit_test(test_text_in_group_and_child_in_field),
		cmocka_unit_test(test_root),
		cmocka_unit_test(test_root_attributes),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_dtd_and_entities),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_encodings),
		cmocka_unit_test(test_parser_reuse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
