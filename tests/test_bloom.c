/* bloom: never a false negative; few false positives up to its capacity; counts and says
 * when it holds more than it was made for. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "store/bloom.h"

static void guid(int i, char *out, size_t n)
{
	/* guid-shaped keys, as the store's messages carry */
	snprintf(out, n, "%08X-%04X-4%03X-A%03X-%012X", (unsigned)(i * 2654435761u), i & 0xffff,
		 (i >> 4) & 0xfff, (i >> 8) & 0xfff, (unsigned)i);
}

static void test_no_false_negative(void **state)
{
	(void)state;
	enum { N = 100000 };
	struct bloom *b = bloom_new(N);
	assert_non_null(b);
	char g[48];
	for (int i = 0; i < N; i++) {
		guid(i, g, sizeof g);
		bloom_add(b, g);
	}
	assert_int_equal(bloom_count(b), N);
	assert_false(bloom_full(b));
	for (int i = 0; i < N; i++) {
		guid(i, g, sizeof g);
		assert_true(bloom_maybe(b, g));
	}
	/* keys never added: "perhaps" for a few per cent at most */
	int fp = 0;
	for (int i = N; i < 2 * N; i++) {
		guid(i, g, sizeof g);
		fp += bloom_maybe(b, g);
	}
	assert_true(fp < N * 3 / 100);
	assert_true(fp > 0); /* a filter, not a set: it does err (else the test proves nothing) */
	bloom_add(b, "one more");
	assert_true(bloom_full(b));
	assert_true(bloom_maybe(b, "one more"));
	bloom_free(b);
}

static void test_empty_and_small(void **state)
{
	(void)state;
	struct bloom *b = bloom_new(0); /* made for one key */
	assert_non_null(b);
	assert_false(bloom_maybe(b, "A"));
	assert_false(bloom_maybe(b, ""));
	bloom_add(b, "");
	assert_true(bloom_maybe(b, ""));
	assert_false(bloom_full(b));
	bloom_free(b);
	bloom_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_false_negative),
		cmocka_unit_test(test_empty_and_small),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
