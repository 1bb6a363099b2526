/* The service's writer (src/svc/svc.c) on both stores (PostgreSQL from tests/with_pg.sh): a
 * batch is applied with no savepoint per message, and when one of its messages fails,
 * rolled back and applied again message by message, so that only the failing one goes
 * unanswered and nothing of it stays; a batch with no failure is applied once. A message
 * whose failure the store reports only later (PostgreSQL queues writes) is found the same
 * way, before the commit, not by the commit failing the whole batch. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/err.h"
#include "store/store.h"
#include "svc/svc.h"
#include "testutil.h"

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;

/* A write that holds the writer in its batch until opened, so that what the test submits
 * meanwhile waits in the queue and becomes the next batch, whole. */
struct gate {
	bool entered, open;
};

static int gate_write(void *arg, struct store *w, int64_t now, struct buf *answer)
{
	(void)w, (void)now;
	struct gate *g = arg;
	pthread_mutex_lock(&mu);
	g->entered = true;
	pthread_cond_broadcast(&cv);
	while (!g->open)
		pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
	buf_puts(answer, "gate");
	return 0;
}

/* A write of its own cursor; `fail` makes it fail after writing, as a store error would;
 * `dup` stores a message under a guid already stored, which the store refuses (SQLite at
 * once, PostgreSQL when its queued writes are sent). */
struct job {
	const char *name;
	bool fail, dup;
	int runs;              /* times the writer ran it */
	int done;              /* times it was answered */
	enum svc_outcome outcome;
	char answer[64];
};

static int job_write(void *arg, struct store *w, int64_t now, struct buf *answer)
{
	(void)now;
	struct job *j = arg;
	pthread_mutex_lock(&mu);
	j->runs++;
	pthread_mutex_unlock(&mu);
	int rc = store_cursor_set(w, j->name, 1);
	if (rc)
		return rc;
	if (j->dup) {
		struct store_msg m = {.guid = "DUPLICATE-GUID", .type = 311, .received = now,
				      .verdict = 1, .answer = "x"};
		int64_t id;
		rc = store_msg_put(w, &m, &id);
		if (!rc)
			rc = store_msg_put(w, &m, &id);
		if (rc)
			return rc;
	}
	if (j->fail)
		return CBEC_ESTORE;
	buf_reset(answer);
	buf_puts(answer, j->name);
	return 0;
}

static void on_done(void *ctx, enum svc_outcome outcome, const char *answer, size_t len)
{
	struct job *j = ctx;
	pthread_mutex_lock(&mu);
	j->done++;
	j->outcome = outcome;
	snprintf(j->answer, sizeof j->answer, "%.*s", (int)len, answer);
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
}

static void gate_done(void *ctx, enum svc_outcome outcome, const char *answer, size_t len)
{
	(void)ctx, (void)outcome, (void)answer, (void)len;
}

/* Submit the jobs so that they form one batch, then wait for every answer. */
static void one_batch(struct svc *s, struct job *jobs, int n)
{
	struct gate g = {false, false};
	assert_int_equal(svc_submit_write(s, gate_write, &g, gate_done, NULL), 0);
	pthread_mutex_lock(&mu);
	while (!g.entered)
		pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
	for (int i = 0; i < n; i++)
		assert_int_equal(svc_submit_write(s, job_write, &jobs[i], on_done, &jobs[i]), 0);
	pthread_mutex_lock(&mu);
	g.open = true;
	pthread_cond_broadcast(&cv);
	for (int i = 0; i < n; i++)
		while (!jobs[i].done)
			pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
}

/* The failing message in the middle of a batch, failing at once or (dup on PostgreSQL)
 * only when the batch's queued writes are sent. */
static void failing_message(bool pg, bool dup)
{
	char dir[] = "/tmp/cbec-test-svc-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char url[512], customs[200], err[256], db[64] = "";
	if (pg) {
		/* a database of its own on the server with_pg.sh started */
		const char *base = getenv("CBEC_TEST_PG");
		assert_non_null(base);
		snprintf(db, sizeof db, "cbec_test_svc_%d_%d", (int)getpid(), dup);
		char q[160];
		snprintf(q, sizeof q, "DROP DATABASE IF EXISTS %s", db);
		tu_pg_admin(q);
		snprintf(q, sizeof q, "CREATE DATABASE %s", db);
		assert_int_equal(tu_pg_admin(q), 0);
		tu_pg_url(base, db, url, sizeof url);
	} else {
		snprintf(url, sizeof url, "sqlite:%s/t.db", dir);
	}
	snprintf(customs, sizeof customs, "sim:state=%s/sim.db", dir);
	struct svc_opts o;
	svc_opts_default(&o);
	o.db_url = url;
	o.customs = customs;
	o.tariff_path = tu_src("data/tariff.csv");
	struct svc *s;
	assert_int_equal(svc_open(&o, &s, err, sizeof err), 0);

	struct job bad[3] = {{.name = "a"}, {.name = "w", .fail = !dup, .dup = dup}, {.name = "b"}};
	one_batch(s, bad, 3);
	assert_int_equal(bad[0].outcome, SVC_ANSWERED);
	assert_string_equal(bad[0].answer, "a");
	assert_int_equal(bad[1].outcome, SVC_UNAVAILABLE);
	assert_int_equal(bad[2].outcome, SVC_ANSWERED);
	assert_string_equal(bad[2].answer, "b");
	/* applied once optimistically up to the failure (to the end, where the store reports
	 * it late), then again one by one */
	bool late = pg && dup;
	assert_int_equal(bad[0].runs, 2);
	assert_int_equal(bad[1].runs, 2);
	assert_int_equal(bad[2].runs, late ? 2 : 1);
	struct svc_writer_stats ws;
	svc_writer_stats(s, &ws);
	assert_int_equal(ws.batches_again, 1);

	/* a batch with no failure: each applied once, no second pass */
	struct job good[2] = {{.name = "c"}, {.name = "d"}};
	one_batch(s, good, 2);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(good[i].outcome, SVC_ANSWERED);
		assert_int_equal(good[i].runs, 1);
		assert_int_equal(good[i].done, 1);
	}
	svc_writer_stats(s, &ws);
	assert_int_equal(ws.batches_again, 1);
	svc_close(s);

	/* what was answered is on disk, and nothing of the failed message */
	struct store *r;
	assert_int_equal(store_open(url, true, &r, err, sizeof err), 0);
	const char *kept[] = {"a", "b", "c", "d"};
	for (int i = 0; i < 4; i++) {
		int64_t v = 0;
		assert_int_equal(store_cursor_get(r, kept[i], &v), 0);
		assert_int_equal(v, 1);
	}
	int64_t v = -1;
	assert_int_equal(store_cursor_get(r, "w", &v), 0);
	assert_int_equal(v, 0); /* (a cursor never set reads 0) */
	struct store_msg m;
	assert_int_equal(store_msg_get(r, "DUPLICATE-GUID", false, &m), CBEC_ENOTFOUND);
	store_close(r);

	if (pg) {
		char q[160];
		snprintf(q, sizeof q, "DROP DATABASE IF EXISTS %s WITH (FORCE)", db);
		tu_pg_admin(q);
	}
	assert_int_equal(tu_rm_tree(dir), 0);
}

static void test_failing_sqlite(void **state)
{
	(void)state;
	failing_message(false, false);
	failing_message(false, true);
}

static void test_failing_pg(void **state)
{
	(void)state;
	failing_message(true, false);
	failing_message(true, true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_failing_sqlite),
	    cmocka_unit_test(test_failing_pg),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
