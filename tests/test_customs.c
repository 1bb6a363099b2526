/* The built-in customs simulator (customs/customs.c) at volume: it holds every order, payment
 * and waybill until the list that uses them arrives; with thousands held (its table grows
 * past its first 4,096 buckets) each list still finds its documents and is released. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "base/buf.h"
#include "base/err.h"
#include "clear/tariff.h"
#include "customs/customs.h"
#include "gen/gen.h"
#include "testutil.h"

struct tally {
	pthread_mutex_t mu;
	int released, rejected;
};

static int occurrences(const char *xml, size_t len, const char *what)
{
	int n = 0;
	size_t w = strlen(what);
	for (size_t i = 0; i + w <= len; i++)
		if (!memcmp(xml + i, what, w))
			n++;
	return n;
}

static void deliver(void *ctx, const char *xml, size_t len, void (*ack)(void *), void *ack_ctx)
{
	struct tally *t = ctx;
	pthread_mutex_lock(&t->mu);
	t->released += occurrences(xml, len, "returnStatus>800<");
	t->rejected += occurrences(xml, len, "returnStatus>100<");
	pthread_mutex_unlock(&t->mu);
	if (ack)
		ack(ack_ctx);
}

static void send_all(struct customs *c, struct buf *msgs, int n)
{
	for (int i = 0; i < n; i++) {
		char guid[32];
		snprintf(guid, sizeof guid, "g%d", i);
		int rc;
		while ((rc = customs_send(c, guid, msgs[i].p, msgs[i].n)) == CBEC_EBUSY) {
			struct timespec ts = {0, 1000 * 1000};
			nanosleep(&ts, NULL); /* its backlog is full: as the outbox does, later */
		}
		assert_int_equal(rc, 0);
	}
}

static void test_many_held(void **state)
{
	(void)state;
	char err[256];
	struct tariff *t = tariff_load(tu_src("data/tariff.csv"), err, sizeof err);
	assert_non_null(t);
	struct gen_opts o;
	gen_opts_default(&o);
	o.orders = 3000; /* 9,000 documents held before the first list */
	o.faulty_bp = o.resend_bp = o.export_bp = o.bonded_bp = o.short_bp = 0;
	o.cancel_bp = o.refund_bp = 0;
	struct gen *g = gen_new(&o, t);
	assert_non_null(g);
	struct buf *docs = calloc(4 * o.orders, sizeof *docs), *lists = calloc(o.orders, sizeof *lists);
	int ndocs = 0, nlists = 0;
	struct gen_msg m;
	while (gen_next(g, &m) == 1 && !m.followup) {
		struct buf *b = m.type == 621 ? &lists[nlists++] : &docs[ndocs++];
		buf_put(b, m.xml, m.len);
	}
	gen_free(g);
	assert_int_equal(nlists, (int)o.orders);
	assert_int_equal(ndocs, 3 * (int)o.orders);

	struct tally tl = {PTHREAD_MUTEX_INITIALIZER, 0, 0};
	struct customs *c = NULL;
	assert_int_equal(customs_open("sim", deliver, &tl, &c, err, sizeof err), 0);
	send_all(c, docs, ndocs);
	send_all(c, lists, nlists);
	for (int i = 0; i < 3000; i++) { /* up to 30 s under the sanitizers */
		pthread_mutex_lock(&tl.mu);
		int done = tl.released + tl.rejected;
		pthread_mutex_unlock(&tl.mu);
		if (done >= nlists)
			break;
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	customs_close(c);
	assert_int_equal(tl.rejected, 0);
	assert_int_equal(tl.released, nlists);
	for (int i = 0; i < ndocs; i++)
		buf_free(&docs[i]);
	for (int i = 0; i < nlists; i++)
		buf_free(&lists[i]);
	free(docs);
	free(lists);
	tariff_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_many_held),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
