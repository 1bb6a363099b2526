/* The built-in customs simulator (customs/customs.c) at volume: it holds every order, payment
 * and waybill until the list that uses them arrives; with thousands held (its table grows
 * past its first 4,096 buckets) each list still finds its documents and is released, and
 * what it keeps stays bounded however many messages go through (it remembered every message
 * it had seen: a gigabyte on four festival days). A repeat is not decided twice. The numbers
 * it gives are in its state file before they leave, and kept across a restart. */
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
#include <sqlite3.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/err.h"
#include "clear/tariff.h"
#include "customs/customs.h"
#include "gen/gen.h"
#include "testutil.h"

struct tally {
	pthread_mutex_t mu;
	int released, rejected;
	const char *watch; /* "<ceb:guid>G</ceb:guid>" of one list */
	int watched;       /* answers naming it */
};

static void deliver(void *ctx, const char *xml, size_t len, void (*ack)(void *), void *ack_ctx)
{
	struct tally *t = ctx;
	pthread_mutex_lock(&t->mu);
	t->released += tu_count(xml, len, "returnStatus>800<");
	t->rejected += tu_count(xml, len, "returnStatus>100<");
	if (t->watch)
		t->watched += tu_count(xml, len, t->watch);
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

struct day {
	struct buf *docs, *lists;
	int ndocs, nlists;
};

static void make_day(struct day *d, uint64_t orders)
{
	char err[256];
	struct tariff *t = tariff_load(tu_src("data/tariff.csv"), err, sizeof err);
	assert_non_null(t);
	struct gen_opts o;
	gen_opts_default(&o);
	o.orders = orders;
	o.faulty_bp = o.resend_bp = o.export_bp = o.bonded_bp = o.short_bp = 0;
	o.cancel_bp = o.refund_bp = 0;
	struct gen *g = gen_new(&o, t);
	assert_non_null(g);
	d->docs = calloc(4 * o.orders, sizeof *d->docs);
	d->lists = calloc(o.orders, sizeof *d->lists);
	d->ndocs = d->nlists = 0;
	struct gen_msg m;
	while (gen_next(g, &m) == 1 && !m.followup) {
		struct buf *b = m.type == 621 ? &d->lists[d->nlists++] : &d->docs[d->ndocs++];
		buf_put(b, m.xml, m.len);
	}
	gen_free(g);
	tariff_free(t);
	assert_int_equal(d->nlists, (int)o.orders);
	assert_int_equal(d->ndocs, 3 * (int)o.orders);
}

static void free_day(struct day *d)
{
	for (int i = 0; i < d->ndocs; i++)
		buf_free(&d->docs[i]);
	for (int i = 0; i < d->nlists; i++)
		buf_free(&d->lists[i]);
	free(d->docs);
	free(d->lists);
}

static void wait_decided(struct tally *tl, int n)
{
	for (int i = 0; i < 3000; i++) { /* up to 30 s under the sanitizers */
		pthread_mutex_lock(&tl->mu);
		int done = tl->released + tl->rejected;
		pthread_mutex_unlock(&tl->mu);
		if (done >= n)
			return;
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
}

/* What the simulator holds once it holds n (waiting up to 30 s under the sanitizers), and in
 * *parsed how many of those documents it keeps parsed. */
static size_t wait_held(struct customs *c, size_t n, size_t *parsed)
{
	for (int i = 0; i < 3000 && customs_sim_held(c, parsed) < n; i++)
		usleep(10 * 1000);
	return customs_sim_held(c, parsed);
}

static void test_many_held(void **state)
{
	(void)state;
	struct day d;
	make_day(&d, 3000); /* 9,000 documents held before the first list */
	struct tally tl = {PTHREAD_MUTEX_INITIALIZER, 0, 0, NULL, 0};
	struct customs *c = NULL;
	char err[256];
	assert_int_equal(customs_open("sim:seen=100", deliver, &tl, &c, err, sizeof err), 0);
	send_all(c, d.docs, d.ndocs);
	/* held until their lists come; the first parsed, the rest (past the simulator's memory
	 * for parsed documents) as text, parsed again when their list comes */
	size_t parsed = 0;
	/* all taken (the last 100 messages also remembered) */
	assert_true(wait_held(c, 9000, &parsed) >= 9000);
	assert_true(parsed > 100);
	assert_true(parsed < 9000 - 100);
	send_all(c, d.lists, d.nlists);
	wait_decided(&tl, d.nlists);
	/* every document went with its list; of 12,000 messages the last 100 are remembered */
	assert_true(customs_sim_held(c, &parsed) <= 100);
	assert_int_equal(parsed, 0);
	customs_close(c);
	assert_int_equal(tl.rejected, 0);
	assert_int_equal(tl.released, d.nlists);
	free_day(&d);
}

/* An order message holding the same order twice (two entities, one key): held once, and
 * still there, parsed, when its list comes (the second hold of the key must not let the
 * first go with the nodes it shares). */
static void test_same_key_twice(void **state)
{
	(void)state;
	struct day d;
	make_day(&d, 1);
	struct buf *order = NULL;
	for (int i = 0; i < d.ndocs; i++)
		if (strstr(d.docs[i].p, "<ceb:CEB311Message"))
			order = &d.docs[i];
	assert_non_null(order);
	const char *s = strstr(order->p, "<ceb:Order>"), *e = strstr(order->p, "</ceb:Order>");
	assert_non_null(s);
	assert_non_null(e);
	e += strlen("</ceb:Order>");
	struct buf twice = BUF_INIT;
	buf_put(&twice, order->p, (size_t)(e - order->p));
	buf_put(&twice, s, (size_t)(e - s));
	buf_put(&twice, e, order->n - (size_t)(e - order->p));
	buf_free(order);
	*order = twice;
	struct tally tl = {PTHREAD_MUTEX_INITIALIZER, 0, 0, NULL, 0};
	struct customs *c = NULL;
	char err[256];
	assert_int_equal(customs_open("sim", deliver, &tl, &c, err, sizeof err), 0);
	send_all(c, d.docs, d.ndocs);
	size_t parsed = 0;
	/* order, payment (key and link), waybill; 3 messages remembered */
	assert_true(wait_held(c, 4 + 3, &parsed) >= 4 + 3);
	assert_int_equal(parsed, 4);
	send_all(c, d.lists, d.nlists);
	wait_decided(&tl, 1);
	customs_close(c);
	assert_int_equal(tl.released, 1);
	assert_int_equal(tl.rejected, 0);
	free_day(&d);
}

/* The same list sent twice is decided once; a later one still goes through. */
static void test_repeat(void **state)
{
	(void)state;
	struct day d;
	make_day(&d, 2);
	/* the second list's head guid, which its answers name */
	const char *g = strstr(d.lists[1].p, "<ceb:guid>");
	assert_non_null(g);
	const char *e = strstr(g, "</ceb:guid>");
	assert_non_null(e);
	char watch[128];
	snprintf(watch, sizeof watch, "%.*s</ceb:guid>", (int)(e - g), g);
	struct tally tl = {PTHREAD_MUTEX_INITIALIZER, 0, 0, watch, 0};
	struct customs *c = NULL;
	char err[256];
	assert_int_equal(customs_open("sim", deliver, &tl, &c, err, sizeof err), 0);
	send_all(c, d.docs, d.ndocs);
	send_all(c, d.lists, 1);
	wait_decided(&tl, 1);
	send_all(c, d.lists, 1);     /* the repeat */
	send_all(c, d.lists + 1, 1); /* decided after it, in order */
	for (int i = 0; i < 3000; i++) { /* until the second list is released */
		pthread_mutex_lock(&tl.mu);
		int done = tl.watched > 0 && tl.released >= 2;
		pthread_mutex_unlock(&tl.mu);
		if (done)
			break;
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	customs_close(c);
	assert_true(tl.watched > 0);
	assert_int_equal(tl.released, 2); /* the repeat would have made it 3 by now */
	assert_int_equal(tl.rejected, 0);
	free_day(&d);
	/* an option out of range is refused with a reason */
	assert_int_not_equal(customs_open("sim:seen=0", deliver, &tl, &c, err, sizeof err), 0);
	assert_non_null(strstr(err, "seen"));
	assert_non_null(strstr(err, "range"));
}

/* The simulator runs the field rules again on the lists it decides (it parses, and does not
 * check again, the orders, payments and waybills it only holds): a buyer's ID number with a
 * wrong check digit, the same in every document (so that they still match), has the lists
 * naming it refused and the others released. */
static void replace_all(struct buf *b, const char *from, const char *to)
{
	for (char *p = b->p; (p = strstr(p, from)) != NULL; p += strlen(to))
		memcpy(p, to, strlen(to)); /* same length */
}

static void test_field_rules(void **state)
{
	(void)state;
	struct day d;
	make_day(&d, 4);
	const char *tag = "<ceb:buyerIdNumber>";
	const char *id = strstr(d.lists[0].p, tag);
	assert_non_null(id);
	char good[19], bad[19];
	snprintf(good, sizeof good, "%.18s", id + strlen(tag));
	memcpy(bad, good, sizeof bad);
	bad[17] = good[17] == '0' ? '1' : '0';
	for (int i = 0; i < d.ndocs; i++)
		replace_all(&d.docs[i], good, bad);
	int nbad = 0;
	for (int i = 0; i < d.nlists; i++) {
		replace_all(&d.lists[i], good, bad);
		nbad += strstr(d.lists[i].p, bad) != NULL;
	}
	struct tally tl = {PTHREAD_MUTEX_INITIALIZER, 0, 0, NULL, 0};
	struct customs *c = NULL;
	char err[256];
	assert_int_equal(customs_open("sim", deliver, &tl, &c, err, sizeof err), 0);
	send_all(c, d.docs, d.ndocs);
	send_all(c, d.lists, d.nlists);
	wait_decided(&tl, d.nlists);
	customs_close(c);
	assert_true(nbad >= 1);
	assert_int_equal(tl.rejected, nbad);
	assert_int_equal(tl.released, d.nlists - nbad);
	free_day(&d);
}

/* A backlog that never runs dry while it is worked off: the simulator held its answers in
 * a batch for every (type, millisecond) until its input ran dry, searching them all at
 * each answer. Its deliveries are held up (the first blocks) while 1,000 lists queue, then
 * it works them off: every list is released, with at most 32 batches open. */
struct gated {
	struct tally t;
	pthread_cond_t cv;
	bool closed, waiting;
};

static void deliver_gated(void *ctx, const char *xml, size_t len, void (*ack)(void *), void *ack_ctx)
{
	struct gated *g = ctx;
	pthread_mutex_lock(&g->t.mu);
	g->waiting = true;
	pthread_cond_broadcast(&g->cv);
	while (g->closed)
		pthread_cond_wait(&g->cv, &g->t.mu);
	pthread_mutex_unlock(&g->t.mu);
	deliver(&g->t, xml, len, ack, ack_ctx);
}

static void test_backlog_batches(void **state)
{
	(void)state;
	struct day d;
	make_day(&d, 1001);
	struct gated g = {{PTHREAD_MUTEX_INITIALIZER, 0, 0, NULL, 0}, PTHREAD_COND_INITIALIZER, true, false};
	struct customs *c = NULL;
	char err[256];
	assert_int_equal(customs_open("sim", deliver_gated, &g, &c, err, sizeof err), 0);
	send_all(c, d.docs, d.ndocs); /* held: no answers yet */
	send_all(c, d.lists, 1);
	pthread_mutex_lock(&g.t.mu);
	while (!g.waiting)
		pthread_cond_wait(&g.cv, &g.t.mu); /* its first answer is out: it waits on us */
	pthread_mutex_unlock(&g.t.mu);
	send_all(c, d.lists + 1, d.nlists - 1);
	pthread_mutex_lock(&g.t.mu);
	g.closed = false;
	pthread_cond_broadcast(&g.cv);
	pthread_mutex_unlock(&g.t.mu);
	wait_decided(&g.t, d.nlists);
	size_t peak = customs_sim_batches_peak(c);
	customs_close(c);
	assert_int_equal(g.t.released, d.nlists);
	assert_int_equal(g.t.rejected, 0);
	assert_true(peak >= 4 && peak <= 32);
	free_day(&d);
}

/* What the state test saw: each list's number, and whether the state file (read through a
 * connection of its own, which sees only what was committed) knew it when it arrived. */
struct numbered {
	pthread_mutex_t mu;
	const char *state_path;
	char invt[8][32];
	int n, unknown, rejected;
};

static void deliver_numbered(void *ctx, const char *xml, size_t len, void (*ack)(void *), void *ack_ctx)
{
	struct numbered *t = ctx;
	pthread_mutex_lock(&t->mu);
	t->rejected += tu_count(xml, len, "returnStatus>100<");
	/* every 120 for a list carries its number: <ceb:invtNo>N</ceb:invtNo> */
	for (const char *p = xml; (p = strstr(p, "<ceb:invtNo>")) && p < xml + len; p++) {
		const char *v = p + strlen("<ceb:invtNo>"), *e = strchr(v, '<');
		if (!e || e - v >= 32 || t->n == 8)
			continue;
		char invt[32];
		snprintf(invt, sizeof invt, "%.*s", (int)(e - v), v);
		sqlite3 *db = NULL;
		sqlite3_stmt *q = NULL;
		int known = sqlite3_open_v2(t->state_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
			    sqlite3_prepare_v2(db, "SELECT count(*) FROM numbers WHERE invt = ?", -1, &q, NULL) == SQLITE_OK &&
			    sqlite3_bind_text(q, 1, invt, -1, SQLITE_STATIC) == SQLITE_OK &&
			    sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0) == 1;
		sqlite3_finalize(q);
		sqlite3_close(db);
		if (!known)
			t->unknown++;
		int seen = 0;
		for (int i = 0; i < t->n; i++)
			seen |= !strcmp(t->invt[i], invt);
		if (!seen)
			snprintf(t->invt[t->n++], 32, "%s", invt);
	}
	pthread_mutex_unlock(&t->mu);
	if (ack)
		ack(ack_ctx);
}

static void wait_numbered(struct numbered *t, int n)
{
	for (int i = 0; i < 3000; i++) {
		pthread_mutex_lock(&t->mu);
		int done = t->n >= n;
		pthread_mutex_unlock(&t->mu);
		if (done)
			return;
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
}

/* The simulator started on its state file: every document, then the first n lists, each
 * numbered (and its number known to the file when it arrived), then stopped. */
static void numbered_run(const char *spec, struct numbered *t, struct day *d, int n)
{
	struct customs *c = NULL;
	char err[256];
	assert_int_equal(customs_open(spec, deliver_numbered, t, &c, err, sizeof err), 0);
	send_all(c, d->docs, d->ndocs);
	send_all(c, d->lists, n);
	wait_numbered(t, n);
	customs_close(c);
	assert_int_equal(t->n, n);
	assert_int_equal(t->unknown, 0);
	assert_int_equal(t->rejected, 0);
}

/* With a state file, a list's number is committed before the receipt that carries it leaves
 * (the simulator writes the file in one transaction per burst); after a restart the same
 * list gets the same number again, and a new one a number of its own. */
static void test_state(void **state)
{
	(void)state;
	char dir[64], path[128], spec[200];
	snprintf(dir, sizeof dir, "/tmp/cbec-test-customs-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/sim.db", dir);
	snprintf(spec, sizeof spec, "sim:state=%s", path);
	struct day d;
	make_day(&d, 3);
	struct numbered t = {.mu = PTHREAD_MUTEX_INITIALIZER, .state_path = path};
	numbered_run(spec, &t, &d, 2);
	char first[2][32];
	memcpy(first, t.invt, sizeof first);
	assert_string_not_equal(first[0], first[1]);

	/* a restart: the documents again (the simulator holds them in memory only), then the
	 * first two lists again and the third */
	t.n = 0;
	numbered_run(spec, &t, &d, 3);
	assert_string_equal(t.invt[0], first[0]);
	assert_string_equal(t.invt[1], first[1]);
	assert_string_not_equal(t.invt[2], first[0]);
	assert_string_not_equal(t.invt[2], first[1]);
	free_day(&d);
	const char *ext[] = {"", "-wal", "-shm"};
	for (int i = 0; i < 3; i++) {
		char f[160];
		snprintf(f, sizeof f, "%s%s", path, ext[i]);
		unlink(f);
	}
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_many_held),
	    cmocka_unit_test(test_repeat),
	    cmocka_unit_test(test_same_key_twice),
	    cmocka_unit_test(test_field_rules),
	    cmocka_unit_test(test_backlog_batches),
	    cmocka_unit_test(test_state),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
