/* rpack: a receipt kept without its envelope comes back byte for byte; any other shape is
 * kept whole. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base/buf.h"
#include "store/rpack.h"

#define ENVELOPED(type, guid, inside)                                                              \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ceb:CEB" type                                 \
	"Message xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\" guid=\"" guid "\" version=\"1.0\">\n" \
	inside "</ceb:CEB" type "Message>\n"

static const char INSIDE[] = "\t<ceb:OrderReturn>\n\t\t<ceb:guid>A84B266A</ceb:guid>\n"
			     "\t\t<ceb:returnInfo>[Code:2;Desc:平台已接收] &amp; more</ceb:returnInfo>\n"
			     "\t</ceb:OrderReturn>\n";

static void test_round_trip(void **state)
{
	(void)state;
	static const char xml[] = ENVELOPED("312", "5D670869-E3D1-4255-840E-2E079A5677AC",
					    "\t<ceb:OrderReturn>\n\t\t<ceb:guid>A84B266A</ceb:guid>\n"
					    "\t\t<ceb:returnInfo>[Code:2;Desc:平台已接收] &amp; more</ceb:returnInfo>\n"
					    "\t</ceb:OrderReturn>\n");
	struct buf kept = BUF_INIT, whole = BUF_INIT;
	assert_true(rpack_pack(&kept, 312, xml));
	assert_int_equal(kept.err, 0);
	assert_int_equal(kept.p[0], '#');
	assert_true(strncmp(kept.p, "#5D670869-E3D1-4255-840E-2E079A5677AC\n", 38) == 0);
	assert_string_equal(kept.p + 38, INSIDE);
	assert_int_equal(kept.n, 38 + strlen(INSIDE));
	assert_true(rpack_unpack(&whole, 312, kept.p));
	assert_string_equal(whole.p, xml);
	assert_int_equal(whole.n, strlen(xml));
	/* an empty inside is still an envelope */
	assert_true(rpack_pack(&kept, 622, ENVELOPED("622", "G", "")));
	assert_string_equal(kept.p, "#G\n");
	assert_true(rpack_unpack(&whole, 622, kept.p));
	assert_string_equal(whole.p, ENVELOPED("622", "G", ""));
	buf_free(&kept);
	buf_free(&whole);
}

/* Anything not in exactly the envelope's shape is kept whole, so nothing is lost. */
static void test_kept_whole(void **state)
{
	(void)state;
	static const char *const other[] = {
		ENVELOPED("312", "G", "<x/>\n"),  /* another type's envelope (asked as 622 below) */
		"<CEB622Message/>",
		"",
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ceb:CEB622Message xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\" guid=\"G\" version=\"1.1\">\n<x/></ceb:CEB622Message>\n",
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ceb:CEB622Message xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\" guid=\"\" version=\"1.0\">\n<x/></ceb:CEB622Message>\n",
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ceb:CEB622Message xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\" guid=\"a&amp;b\" version=\"1.0\">\n<x/></ceb:CEB622Message>\n",
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ceb:CEB622Message xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\" guid=\"G\" version=\"1.0\">\n<x/></ceb:CEB622Message>",
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ceb:CEB6220Message xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\" guid=\"G\" version=\"1.0\">\n<x/></ceb:CEB6220Message>\n",
		"\xEF\xBB\xBF" ENVELOPED("622", "G", "<x/>\n"), /* with a byte order mark */
		ENVELOPED("622", "G", "<x/>\n") " ",
	};
	struct buf kept = BUF_INIT, whole = BUF_INIT;
	for (size_t i = 0; i < sizeof other / sizeof other[0]; i++) {
		assert_false(rpack_pack(&kept, 622, other[i]));
		assert_int_equal(kept.n, 0);
		/* and read back as it is */
		assert_false(rpack_unpack(&whole, 622, other[i]));
	}
	assert_false(rpack_pack(&kept, 622, NULL));
	assert_false(rpack_pack(&kept, -1, ENVELOPED("622", "G", "")));
	/* what only looks kept is handed back as it is */
	assert_false(rpack_unpack(&whole, 622, "#no line end"));
	assert_false(rpack_unpack(&whole, 622, NULL));
	buf_free(&kept);
	buf_free(&whole);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_kept_whole),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
