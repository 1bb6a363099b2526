/* The message guids kept in memory until folded into the SQLite store's index
 * (src/store/gmap.h): found in either run, forgotten newest first when a transaction is
 * undone, and frozen in guid order. The store's side (store_sqlite_guid.c) is tested
 * through the store in test_store. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "store/gmap.h"

static void guid_of(int i, char *out, size_t n)
{
	/* scattered like random guids: the order they come in is not the sorted one */
	unsigned h = (unsigned)i * 2654435761u;
	snprintf(out, n, "%08x-%04d-guid", h, i % 10000);
}

static bool has(const struct gmap *m, int i, int64_t *id)
{
	char g[40];
	guid_of(i, g, sizeof g);
	return gmap_find(m, g, id);
}

static void test_find_truncate_freeze(void **state)
{
	(void)state;
	struct gmap *m = gmap_new();
	assert_non_null(m);
	int64_t id = 0;
	assert_false(gmap_find(m, "nothing", &id));
	char g[40];
	const int n = 50000; /* the slots grow several times */
	for (int i = 1; i <= n; i++) {
		guid_of(i, g, sizeof g);
		assert_int_equal(gmap_add(m, g, i), 0);
	}
	assert_int_equal(gmap_active(m), n);
	assert_int_equal(gmap_active_last(m), n);
	for (int i = 1; i <= n; i += 7) {
		assert_true(has(m, i, &id));
		assert_int_equal(id, i);
	}
	assert_false(has(m, n + 1, &id));

	/* a transaction undone: its entries (the newest) go, the others stay findable */
	gmap_truncate(m, n - 100);
	assert_int_equal(gmap_active(m), n - 100);
	assert_int_equal(gmap_active_last(m), n - 100);
	assert_false(has(m, n - 50, &id));
	assert_true(has(m, n - 100, &id));
	assert_true(has(m, 1, &id));
	guid_of(n - 50, g, sizeof g); /* and the guid can come again */
	assert_int_equal(gmap_add(m, g, n - 99), 0);
	assert_true(has(m, n - 50, &id));
	assert_int_equal(id, n - 99);

	/* frozen: sorted by guid, still found; the active run starts empty */
	size_t count = gmap_active(m);
	assert_int_equal(gmap_freeze(m), 0);
	assert_int_equal(gmap_active(m), 0);
	assert_int_equal(gmap_active_last(m), 0);
	assert_int_equal(gmap_frozen(m), count);
	const char *prev = NULL;
	for (size_t i = 0; i < gmap_frozen(m); i++) {
		const char *cur = gmap_frozen_at(m, i, &id);
		if (prev)
			assert_true(strcmp(prev, cur) < 0);
		prev = cur;
	}
	assert_true(has(m, 3, &id));
	assert_int_equal(id, 3);
	assert_true(has(m, n - 50, &id));
	/* the next run beside it; a second freeze drops the first */
	guid_of(n + 5, g, sizeof g);
	assert_int_equal(gmap_add(m, g, n + 5), 0);
	assert_true(has(m, n + 5, &id));
	assert_true(has(m, 3, &id));
	gmap_truncate(m, 0);
	assert_false(has(m, n + 5, &id));
	assert_int_equal(gmap_add(m, g, n + 6), 0);
	assert_int_equal(gmap_freeze(m), 0);
	assert_int_equal(gmap_frozen(m), 1);
	assert_false(has(m, 3, &id));
	assert_true(has(m, n + 5, &id));
	assert_int_equal(id, n + 6);
	gmap_reset(m);
	assert_false(has(m, n + 5, &id));
	assert_int_equal(gmap_frozen(m), 0);
	gmap_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_find_truncate_freeze),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
