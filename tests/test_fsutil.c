/* The file helpers (src/base/fsutil.c): a file written atomically is whole under its name; a
 * group written hidden is invisible under its names until published, and whole once it is;
 * what cannot be written or published says so. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/err.h"
#include "base/fsutil.h"
#include "testutil.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/cbec-test-fsutil-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return tu_rm_tree(dir);
}

/* The file's content, or NULL when there is no such file. */
static char *slurp(const char *name)
{
	char p[256];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	FILE *f = fopen(p, "rb");
	if (!f)
		return NULL;
	static char b[4096];
	size_t n = fread(b, 1, sizeof b - 1, f);
	fclose(f);
	b[n] = '\0';
	return b;
}

static void test_atomic(void **state)
{
	(void)state;
	assert_int_equal(fs_write_atomic(dir, "a.xml", "<a/>", 4), 0);
	assert_string_equal(slurp("a.xml"), "<a/>");
	assert_null(slurp(".a.xml.tmp"));
	/* replaced whole */
	assert_int_equal(fs_write_atomic(dir, "a.xml", "<bb/>", 5), 0);
	assert_string_equal(slurp("a.xml"), "<bb/>");
	char missing[128];
	snprintf(missing, sizeof missing, "%s/none", dir);
	assert_int_equal(fs_write_atomic(missing, "a.xml", "<a/>", 4), CBEC_EIO);
}

static void test_group(void **state)
{
	(void)state;
	char name[32];
	for (int i = 0; i < 20; i++) {
		snprintf(name, sizeof name, "%02d.xml", i);
		assert_int_equal(fs_write_hidden(dir, name, name, strlen(name)), 0);
		assert_null(slurp(name)); /* nobody sees it yet */
	}
	assert_int_equal(fs_sync(dir), 0);
	for (int i = 0; i < 20; i++) {
		snprintf(name, sizeof name, "%02d.xml", i);
		assert_int_equal(fs_publish(dir, name), 0);
		assert_string_equal(slurp(name), name);
		char tmp[40];
		snprintf(tmp, sizeof tmp, ".%s.tmp", name);
		assert_null(slurp(tmp));
	}
	assert_int_equal(fs_sync(dir), 0);
	/* written again (a round repeated after a crash): the same file, whole */
	assert_int_equal(fs_write_hidden(dir, "00.xml", "again", 5), 0);
	assert_string_equal(slurp("00.xml"), "00.xml");
	assert_int_equal(fs_publish(dir, "00.xml"), 0);
	assert_string_equal(slurp("00.xml"), "again");
	/* nothing to publish, nowhere to write or sync */
	assert_int_equal(fs_publish(dir, "never.xml"), CBEC_EIO);
	char missing[128];
	snprintf(missing, sizeof missing, "%s/none", dir);
	assert_int_equal(fs_write_hidden(missing, "x.xml", "x", 1), CBEC_EIO);
	assert_int_equal(fs_sync(missing), CBEC_EIO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_atomic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group, setup, teardown),
	};
	return cmocka_run_group_tests_name("fsutil", tests, NULL, NULL);
}
