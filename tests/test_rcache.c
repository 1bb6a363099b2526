/* The writer's read-ahead cache (src/store/rcache.h) on its own: what it answers, what it
 * leaves to the store, and how writes move its answers. The store's contract test
 * (test_read_ahead) checks the same through both backends. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/err.h"
#include "store/rcache.h"
#include "store/store.h"

static struct store_doc doc(int64_t id, int kind, const char *key, const char *link, const char *guid)
{
	return (struct store_doc){.id = id, .kind = kind, .key = (char *)key, .link = (char *)link,
				  .guid = (char *)guid, .owner = "1234564TST", .state = DOC_ACTIVE};
}

static int64_t id_of(int rc, struct store_doc *d)
{
	int64_t id = rc == 0 ? d->id : rc == CBEC_ENOTFOUND ? 0 : -1;
	if (rc == 0)
		store_doc_clear(d);
	return id;
}

static int64_t get(struct rcache *c, int kind, const char *key)
{
	struct store_doc d;
	return id_of(rcache_doc_get(c, kind, key, &d), &d);
}

static int64_t link(struct rcache *c, int kind, const char *l)
{
	struct store_doc d;
	return id_of(rcache_doc_by_link(c, kind, l, &d), &d);
}

static int64_t guid(struct rcache *c, const char *g)
{
	struct store_doc d;
	return id_of(rcache_doc_by_guid(c, g, &d), &d);
}

/* Only what was learned is answered; a row found by link or guid answers its key too. */
static void test_learned(void **state)
{
	(void)state;
	struct rcache *c = rcache_new();
	assert_non_null(c);
	assert_int_equal(get(c, 621, "E|1"), -1); /* unknown: the store's to answer */
	struct store_doc a = doc(5, 621, "E|1", "W1", "G1");
	assert_int_equal(rcache_learn_link(c, 621, "W1", &a), 0);
	assert_int_equal(rcache_learn_key(c, 311, "E|1", NULL), 0);
	assert_int_equal(rcache_learn_guid(c, "G7", NULL), 0);
	assert_int_equal(link(c, 621, "W1"), 5);
	assert_int_equal(get(c, 621, "E|1"), 5);
	assert_int_equal(get(c, 311, "E|1"), 0);
	assert_int_equal(get(c, 312, "E|1"), -1); /* another kind is another probe */
	assert_int_equal(guid(c, "G7"), 0);
	assert_int_equal(guid(c, "G1"), -1);
	struct store_doc d;
	assert_int_equal(rcache_doc_get(c, 621, "E|1", &d), 0);
	assert_string_equal(d.owner, "1234564TST");
	assert_null(d.body);
	assert_null(d.ref);
	store_doc_clear(&d);
	assert_int_equal(rcache_msg_get(c, "M1"), RCACHE_UNKNOWN);
	assert_int_equal(rcache_learn_msg_absent(c, "M1"), 0);
	assert_int_equal(rcache_msg_get(c, "M1"), CBEC_ENOTFOUND);
	rcache_msg_put(c, "M1");
	assert_int_equal(rcache_msg_get(c, "M1"), RCACHE_UNKNOWN);
	assert_int_equal(rcache_receipt_exists(c, 621, "E|1", "120"), RCACHE_UNKNOWN);
	assert_int_equal(rcache_learn_receipt(c, 621, "E|1", "120", false), 0);
	assert_int_equal(rcache_learn_receipt(c, 621, "E|1", "399", true), 0);
	assert_int_equal(rcache_receipt_exists(c, 621, "E|1", "120"), CBEC_ENOTFOUND);
	assert_int_equal(rcache_receipt_exists(c, 621, "E|1", "399"), 0);
	assert_int_equal(rcache_receipt_exists(c, 311, "E|1", "120"), RCACHE_UNKNOWN);
	assert_int_equal(rcache_receipt_add(c, 621, "E|1", "120"), 0);
	assert_int_equal(rcache_receipt_exists(c, 621, "E|1", "120"), 0);
	char longkey[600];
	memset(longkey, 'k', sizeof longkey - 1);
	longkey[sizeof longkey - 1] = 0;
	assert_int_equal(rcache_receipt_add(c, 621, longkey, "120"), 0); /* too long: not kept */
	assert_int_equal(rcache_receipt_exists(c, 621, longkey, "120"), RCACHE_UNKNOWN);
	rcache_clear(c);
	assert_int_equal(link(c, 621, "W1"), -1);
	assert_int_equal(get(c, 311, "E|1"), -1);
	rcache_free(c);
}

/* Writes: a new row answers its key and guid; by link the lowest id stays the answer; a new
 * version of a row drops the probes it answered (its link or guid may have moved). */
static void test_writes(void **state)
{
	(void)state;
	struct rcache *c = rcache_new();
	struct store_doc a = doc(5, 621, "E|1", "W1", "G1");
	assert_int_equal(rcache_learn_key(c, 621, "E|1", &a), 0);
	assert_int_equal(rcache_learn_link(c, 621, "W1", &a), 0);
	assert_int_equal(rcache_learn_link(c, 621, "W2", NULL), 0);
	assert_int_equal(rcache_learn_guid(c, "G1", &a), 0);
	struct store_doc b = doc(9, 621, "E|2", "W1", "G1");
	assert_int_equal(rcache_put(c, &b, true), 0);
	assert_int_equal(get(c, 621, "E|2"), 9);
	assert_int_equal(link(c, 621, "W1"), 5);
	assert_int_equal(guid(c, "G1"), 9);
	struct store_doc n = doc(10, 621, "E|3", "W2", "G3");
	assert_int_equal(rcache_put(c, &n, true), 0);
	assert_int_equal(link(c, 621, "W2"), 10); /* there was none */
	assert_int_equal(guid(c, "G3"), 10);     /* the highest id of all */
	rcache_set_state(c, 5, DOC_USED, 77);
	assert_int_equal(rcache_set_ref(c, 5, "INVT"), 0);
	struct store_doc d;
	assert_int_equal(rcache_doc_by_link(c, 621, "W1", &d), 0);
	assert_int_equal(d.state, DOC_USED);
	assert_int_equal(d.updated, 77);
	assert_string_equal(d.ref, "INVT");
	store_doc_clear(&d);
	struct store_doc a2 = doc(5, 621, "E|1", "W5", "G5");
	a2.body = "<x/>";
	assert_int_equal(rcache_put(c, &a2, false), 0);
	assert_int_equal(link(c, 621, "W1"), -1); /* its next first is not known here */
	assert_int_equal(link(c, 621, "W5"), -1);
	assert_int_equal(guid(c, "G5"), -1);
	assert_int_equal(rcache_doc_get(c, 621, "E|1", &d), 0);
	assert_string_equal(d.link, "W5");
	assert_false(d.body_ref); /* a body of its own */
	store_doc_clear(&d);
	/* a changed row below a link's known first becomes it */
	assert_int_equal(rcache_learn_link(c, 621, "W9", &n), 0);
	struct store_doc b2 = doc(9, 621, "E|2", "W9", "G1");
	assert_int_equal(rcache_put(c, &b2, false), 0);
	assert_int_equal(link(c, 621, "W9"), 9);
	rcache_set_state(c, 1234, DOC_USED, 1); /* not held: nothing to do */
	struct rcache_stats st;
	rcache_stats(c, &st);
	assert_true(st.hits > 0 && st.misses > 0);
	rcache_free(c);
}

/* Many probes, learned and forgotten over and over: the tables grow and reuse their slots. */
static void test_many(void **state)
{
	(void)state;
	struct rcache *c = rcache_new();
	char key[32];
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 20000; i++) {
			snprintf(key, sizeof key, "E|%d", i);
			struct store_doc d = doc(i + 1, 311, key, key, key);
			if (i % 2)
				assert_int_equal(rcache_learn_key(c, 311, key, NULL), 0);
			else
				assert_int_equal(rcache_put(c, &d, true), 0);
			assert_int_equal(rcache_learn_msg_absent(c, key), 0);
			rcache_msg_put(c, key);
		}
		for (int i = 0; i < 20000; i++) {
			snprintf(key, sizeof key, "E|%d", i);
			assert_int_equal(get(c, 311, key), i % 2 ? 0 : i + 1);
			assert_int_equal(rcache_msg_get(c, key), RCACHE_UNKNOWN);
		}
		rcache_clear(c);
	}
	rcache_free(c);
	rcache_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_learned),
		cmocka_unit_test(test_writes),
		cmocka_unit_test(test_many),
	};
	return cmocka_run_group_tests_name("rcache", tests, NULL, NULL);
}
