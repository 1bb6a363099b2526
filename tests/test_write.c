/* The writer: for every message type a message built from the tables validates against the
 * official XSD and parses back to the same model; every reference and official sample
 * round-trips unchanged. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "ceb/parse.h"
#include "ceb/write.h"
#include "testutil.h"

static xmlSchemaPtr schema[2]; /* by side */

/* A ds:Signature that is schema-valid (its values are not a real signature). */
static const char canned_sig[] =
	"<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignedInfo>"
	"<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315\"/>"
	"<ds:SignatureMethod Algorithm=\"http://www.w3.org/2000/09/xmldsig#rsa-sha1\"/>"
	"<ds:Reference URI=\"\"><ds:Transforms><ds:Transform "
	"Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/></ds:Transforms>"
	"<ds:DigestMethod Algorithm=\"http://www.w3.org/2000/09/xmldsig#sha1\"/>"
	"<ds:DigestValue>AAAA</ds:DigestValue></ds:Reference></ds:SignedInfo>"
	"<ds:SignatureValue>AAAA</ds:SignatureValue></ds:Signature>";

static unsigned guid_seq;

static const char *fill_value(struct arena *a, const struct ceb_field *f, int side)
{
	switch ((enum ceb_fmt)f->fmt) {
	case CEB_FMT_GUID: return arena_printf(a, "6F1D2C3B-4A59-4E8F-9C0D-%012X", ++guid_seq);
	case CEB_FMT_APPTYPE: return "1";
	case CEB_FMT_APPSTATUS: return "2";
	case CEB_FMT_TIME14: return "20240520101500";
	case CEB_FMT_DATE8: return "20240520";
	case CEB_FMT_TIME17: return "20240520101500123";
	case CEB_FMT_CURRENCY: return "142";
	case CEB_FMT_COUNTRY: return "116";
	case CEB_FMT_UNIT: return "007";
	case CEB_FMT_CUSTOMS: return "2900";
	case CEB_FMT_HS: return "3304990099";
	case CEB_FMT_DISTRICT: return "330100";
	case CEB_FMT_IDTYPE: return "1";
	case CEB_FMT_IDNUMBER: return "110101199003071233";
	case CEB_FMT_IEFLAG: return side == CEB_SIDE_IMPORT ? "I" : "E";
	case CEB_FMT_ORDERTYPE: return side == CEB_SIDE_IMPORT ? "I" : "E";
	case CEB_FMT_TRADEMODE: return "9610";
	case CEB_FMT_STATFLAG: return "B";
	case CEB_FMT_FEEFLAG: return "3";
	case CEB_FMT_LOGSTATUS: return "S";
	case CEB_FMT_DXPMODE: return "DXP";
	case CEB_FMT_RETSTATUS: return "120";
	case CEB_FMT_TRAFMODE: return "4";
	case CEB_FMT_WRAPTYPE: return "2";
	case CEB_FMT_NONE: break;
	}
	switch ((enum ceb_type)f->type) {
	case CEB_T_DEC: return "12.5";
	case CEB_T_INT: return "1";
	case CEB_T_ANY: return "<x xmlns=\"urn:cbec-test\">1 &amp; 2</x>";
	case CEB_T_STR: break;
	}
	/* Escaping is part of what is tested: ten characters with XML specials and Chinese. */
	if (f->minlen <= 10 && (f->maxlen == 0 || f->maxlen >= 10))
		return "A&B<中文>\"x\"";
	unsigned n = f->maxlen && f->maxlen < 10 ? f->maxlen : 10;
	if (n < f->minlen)
		n = f->minlen;
	char *s = arena_alloc(a, n + 1);
	memset(s, 'A', n);
	return s;
}

static void fill(struct ceb_msg *m, struct ceb_node *n)
{
	const struct ceb_def *d = n->def;
	if (d->kind == CEB_K_RECORD) {
		for (int k = 0; k < d->nfields; k++)
			assert_int_equal(ceb_node_setz(m, n, k, fill_value(m->arena, &d->fields[k], m->type->side)), 0);
		return;
	}
	if (d->kind == CEB_K_SIG) {
		n->vals[0].p = canned_sig;
		n->vals[0].n = sizeof canned_sig - 1;
		return;
	}
	for (int k = 0; k < d->nkids; k++) {
		const struct ceb_child *c = &d->kids[k];
		/* two of whatever may repeat (batches, lines), one of everything else */
		int count = c->max > 1 ? 2 : 1;
		for (int i = 0; i < count; i++) {
			struct ceb_node *x = ceb_node_add(m, n, k);
			assert_non_null(x);
			fill(m, x);
		}
	}
}

static void xsd_valid(const struct ceb_msg *m, const char *xml, size_t n)
{
	xmlDocPtr doc = xmlReadMemory(xml, (int)n, NULL, "UTF-8", XML_PARSE_NONET);
	assert_non_null(doc);
	xmlSchemaValidCtxtPtr v = xmlSchemaNewValidCtxt(schema[m->type->side]);
	int rc = xmlSchemaValidateDoc(v, doc);
	if (rc != 0)
		fprintf(stderr, "%s does not validate:\n%s\n", m->type->root, xml);
	assert_int_equal(rc, 0);
	xmlSchemaFreeValidCtxt(v);
	xmlFreeDoc(doc);
}

static void roundtrip(const struct ceb_msg *m, struct ceb_parser *p, struct arena *a2, bool xsd)
{
	struct buf b = BUF_INIT;
	assert_int_equal(ceb_write(m, NULL, &b), 0);
	if (xsd)
		xsd_valid(m, b.p, b.n);
	struct ceb_findings f;
	ceb_findings_init(&f, a2, NULL);
	bool wf;
	int err;
	struct ceb_msg *back = ceb_parse(p, b.p, b.n, a2, &f, &wf, &err);
	assert_int_equal(err, 0);
	assert_non_null(back);
	assert_true(wf);
	const char *where = NULL;
	bool same = ceb_msg_equal(m, back, &where);
	if (!same)
		fprintf(stderr, "%s differs at %s after write/parse:\n%s\n", m->type->root, where, b.p);
	assert_true(same);
	buf_free(&b);
}

static void test_every_type_writes_valid_xml(void **state)
{
	struct arena *a = arena_new(0), *a2 = arena_new(0);
	struct ceb_parser *p = ceb_parser_new(NULL);
	const struct ceb_msgtype *t;
	int n = 0;
	for (size_t i = 0; (t = ceb_msgtype_at(i)); i++, n++) {
		arena_reset(a);
		arena_reset(a2);
		struct ceb_msg *m = ceb_msg_new(a, t);
		assert_non_null(m);
		m->guid.p = arena_printf(a, "6F1D2C3B-4A59-4E8F-9C0D-%012X", ++guid_seq);
		m->guid.n = 36;
		m->version.p = "1.0";
		m->version.n = 3;
		fill(m, m->root);
		roundtrip(m, p, a2, true);
	}
	assert_int_equal(n, 42); /* 19 import + 23 export, as in the XSDs */
	ceb_parser_free(p);
	arena_free(a);
	arena_free(a2);
}

static int roundtrip_dir(const char *dir, bool xsd)
{
	struct arena *a = arena_new(0), *a2 = arena_new(0);
	struct ceb_parser *p = ceb_parser_new(NULL);
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
		arena_reset(a);
		arena_reset(a2);
		struct ceb_findings f;
		ceb_findings_init(&f, a, NULL);
		bool wf;
		int err;
		struct ceb_msg *m = ceb_parse(p, xml, len, a, &f, &wf, &err);
		if (m && wf) {
			roundtrip(m, p, a2, xsd);
			n++;
		}
		free(xml);
	}
	closedir(d);
	ceb_parser_free(p);
	arena_free(a);
	arena_free(a2);
	return n;
}

static void test_shared_samples_roundtrip_and_validate(void **state)
{
	assert_int_equal(roundtrip_dir(tu_shared("domain/samples"), true), 8);
}

static void test_official_samples_roundtrip(void **state)
{
	/* The official samples have schema defects of their own, so only the round trip. */
	assert_true(roundtrip_dir(tu_shared("domain/official/samples/import"), false) >= 16);
	assert_true(roundtrip_dir(tu_shared("domain/official/samples/export"), false) >= 22);
}

static void test_compact_output(void **state)
{
	struct arena *a = arena_new(0);
	struct ceb_msg *m = ceb_msg_new(a, ceb_msgtype_by_code(312));
	m->guid.p = "6F1D2C3B-4A59-4E8F-9C0D-1A2B3C4D5E01";
	m->guid.n = 36;
	m->version.p = "1.0";
	m->version.n = 3;
	struct ceb_node *r = ceb_node_add(m, m->root, 0);
	ceb_node_setz(m, r, IOR_returnInfo, "a<b & \"c\"");
	struct buf b = BUF_INIT;
	struct ceb_write_opts o = {false, false};
	assert_int_equal(ceb_write(m, &o, &b), 0);
	assert_string_equal(b.p, "<ceb:CEB312Message xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\" "
				 "guid=\"6F1D2C3B-4A59-4E8F-9C0D-1A2B3C4D5E01\" version=\"1.0\">"
				 "<ceb:OrderReturn><ceb:returnInfo>a&lt;b &amp; &quot;c&quot;</ceb:returnInfo>"
				 "</ceb:OrderReturn></ceb:CEB312Message>\n");
	buf_free(&b);
	arena_free(a);
}

static int load_schemas(void **state)
{
	/* Load the XSDs before any cbec parser exists: the parser installs an entity loader
	 * that refuses every external file, and the import schema includes xmldsig. */
	const char *files[2] = {"domain/official/xsd/ceb-import-2022.xsd",
				"domain/official/xsd/ceb-export-2022.xsd"};
	for (int i = 0; i < 2; i++) {
		xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(tu_shared(files[i]));
		schema[i] = xmlSchemaParse(pc);
		xmlSchemaFreeParserCtxt(pc);
		if (!schema[i])
			return -1;
	}
	return 0;
}

static int free_schemas(void **state)
{
	xmlSchemaFree(schema[0]);
	xmlSchemaFree(schema[1]);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_type_writes_valid_xml),
		cmocka_unit_test(test_shared_samples_roundtrip_and_validate),
		cmocka_unit_test(test_official_samples_roundtrip),
		cmocka_unit_test(test_compact_output),
	};
	return cmocka_run_group_tests(tests, load_schemas, free_schemas);
}
