/* The store's contract (src/store/store.h), the same tests for every backend: SQLite always,
 * PostgreSQL when CBEC_TEST_PG holds a server URL (tests/with_pg.sh sets it; set but
 * unreachable is a failure, not a skip). Each test gets a fresh store: a new SQLite file, or
 * a new PostgreSQL database. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <libpq-fe.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "base/err.h"
#include "store/store.h"
#include "store/store_impl.h"
#include "testutil.h"

struct fx {
	bool pg;
	char url[1024];
	char dbname[64];
	char path[256];
	struct store *s;
};

static int seq_no;

static int setup(void **state, bool pg)
{
	struct fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	f->pg = pg;
	seq_no++;
	if (pg) {
		snprintf(f->dbname, sizeof f->dbname, "cbec_test_store_%d_%d", (int)getpid(), seq_no);
		char q[160];
		snprintf(q, sizeof q, "DROP DATABASE IF EXISTS %s", f->dbname);
		tu_pg_admin(q);
		snprintf(q, sizeof q, "CREATE DATABASE %s", f->dbname);
		if (tu_pg_admin(q)) {
			free(f);
			return -1;
		}
		tu_pg_url(getenv("CBEC_TEST_PG"), f->dbname, f->url, sizeof f->url);
	} else {
		snprintf(f->path, sizeof f->path, "%s/cbec-test-store-%d-%d.db",
			 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid(), seq_no);
		snprintf(f->url, sizeof f->url, "sqlite:%s", f->path);
	}
	char err[256] = "";
	if (store_open(f->url, false, &f->s, err, sizeof err) != 0) {
		fprintf(stderr, "# store_open %s: %s\n", f->url, err);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int setup_sqlite(void **state) { return setup(state, false); }
static int setup_pg(void **state) { return setup(state, true); }

static int teardown(void **state)
{
	struct fx *f = *state;
	store_close(f->s);
	if (f->pg) {
		char q[160];
		snprintf(q, sizeof q, "DROP DATABASE IF EXISTS %s WITH (FORCE)", f->dbname);
		tu_pg_admin(q);
	} else {
		tu_rm_sqlite(f->path);
	}
	free(f);
	return 0;
}

static struct store *S(void **state)
{
	return ((struct fx *)*state)->s;
}

/* A message body with a NUL and a byte that is not UTF-8 inside. */
static const char msg_body[] = "<CEB311Message>\0binary\xff</CEB311Message>";

static int64_t put_msg(struct store *s, const char *guid, int verdict)
{
	struct store_msg m = {
		.guid = (char *)guid, .type = 311, .sender = "1234560TST", .received = 1700000000123,
		.verdict = verdict, .answer = "<a/>", .body = (char *)msg_body, .body_len = sizeof msg_body,
	};
	int64_t id = 0;
	assert_int_equal(store_msg_put(s, &m, &id), 0);
	assert_true(id > 0);
	return id;
}

static void test_open(void **state)
{
	struct fx *f = *state;
	assert_true(store_schema_version(f->s) >= 1);
	struct store *r;
	char err[256];
	assert_int_equal(store_open(f->url, true, &r, err, sizeof err), 0);
	assert_int_equal(store_schema_version(r), store_schema_version(f->s));
	store_close(r);
	/* a second writer open runs no migration twice */
	struct store *w;
	assert_int_equal(store_open(f->url, false, &w, err, sizeof err), 0);
	assert_int_equal(store_schema_version(w), store_schema_version(f->s));
	store_close(w);
}

/* A reader on a store that was never created is an error that says so, not a store of
 * schema version 0 whose every read then fails. */
static void test_open_readonly_fresh(void **state)
{
	struct fx *f = *state;
	struct store *r = NULL;
	char err[512] = "", url[1100];
	if (f->pg) {
		char q[160], db[96];
		snprintf(db, sizeof db, "%s_fresh", f->dbname);
		snprintf(q, sizeof q, "DROP DATABASE IF EXISTS %s", db);
		tu_pg_admin(q);
		snprintf(q, sizeof q, "CREATE DATABASE %s", db);
		assert_int_equal(tu_pg_admin(q), 0);
		tu_pg_url(getenv("CBEC_TEST_PG"), db, url, sizeof url);
		assert_int_equal(store_open(url, true, &r, err, sizeof err), CBEC_ESTORE);
		assert_non_null(strstr(err, "no cbec store"));
		snprintf(q, sizeof q, "DROP DATABASE IF EXISTS %s WITH (FORCE)", db);
		tu_pg_admin(q);
		return;
	}
	char path[300];
	snprintf(path, sizeof path, "%s.fresh", f->path);
	unlink(path);
	snprintf(url, sizeof url, "sqlite:%s", path);
	assert_int_equal(store_open(url, true, &r, err, sizeof err), CBEC_ESTORE); /* missing */
	assert_non_null(strstr(err, path));
	FILE *e = fopen(path, "w"); /* empty: what a reader finds before any writer ran */
	assert_non_null(e);
	fclose(e);
	err[0] = '\0';
	assert_int_equal(store_open(url, true, &r, err, sizeof err), CBEC_ESTORE);
	assert_non_null(strstr(err, "no cbec store"));
	unlink(path);
}

static void test_msg(void **state)
{
	struct store *s = S(state);
	struct store_msg m;
	assert_int_equal(store_msg_get(s, "nope", true, &m), CBEC_ENOTFOUND);
	int64_t id = put_msg(s, "G-1", 1);
	assert_int_equal(store_msg_get(s, "G-1", false, &m), 0);
	assert_int_equal(m.id, id);
	assert_string_equal(m.guid, "G-1");
	assert_int_equal(m.type, 311);
	assert_string_equal(m.sender, "1234560TST");
	assert_int_equal(m.received, 1700000000123);
	assert_int_equal(m.verdict, 1);
	assert_string_equal(m.answer, "<a/>");
	assert_null(m.body);
	store_msg_clear(&m);
	assert_int_equal(store_msg_get(s, "G-1", true, &m), 0);
	assert_int_equal(m.body_len, sizeof msg_body);
	assert_memory_equal(m.body, msg_body, sizeof msg_body);
	store_msg_clear(&m);
	assert_int_equal(store_msg_set_answer(s, id, "<b>答</b>", 0), 0);
	assert_int_equal(store_msg_get(s, "G-1", false, &m), 0);
	assert_string_equal(m.answer, "<b>答</b>");
	assert_int_equal(m.verdict, 0);
	store_msg_clear(&m);
	/* the same guid twice is refused */
	struct store_msg dup = {.guid = "G-1", .type = 311, .received = 1, .verdict = 1};
	int rc = store_msg_put(s, &dup, NULL);
	if (rc == 0) /* a backend that queues writes reports it at the next synchronising call */
		rc = store_msg_get(s, "G-1", false, &m);
	assert_int_equal(rc, CBEC_ESTORE);
}

static int64_t put_doc(struct store *s, int kind, const char *key, const char *link,
		       const char *guid, int state, int64_t msg_id, int64_t updated, const char *body);

static void assert_msg(struct store *s, const char *guid, int64_t id, int verdict, const char *answer)
{
	struct store_msg m;
	assert_int_equal(store_msg_get(s, guid, true, &m), 0);
	assert_int_equal(m.id, id);
	assert_int_equal(m.verdict, verdict);
	if (answer)
		assert_string_equal(m.answer, answer);
	else
		assert_null(m.answer);
	assert_int_equal(m.body_len, sizeof msg_body);
	assert_memory_equal(m.body, msg_body, sizeof msg_body);
	store_msg_clear(&m);
}

/* A message as the writer applies it, inside a transaction and a savepoint: found (with its
 * body, also as its document's) before its answer is set, its answer set once, the next
 * message's id after it; one rolled back leaves no row and gives its id again; an answer set
 * on a message of an earlier transaction. */
static void test_msg_in_transaction(void **state)
{
	struct store *s = S(state);
	int64_t old = put_msg(s, "T-0", 1);
	assert_int_equal(store_begin(s), 0);
	assert_int_equal(store_savepoint(s), 0);
	struct store_msg m = {.guid = "T-1", .type = 311, .sender = "1234560TST", .received = 5,
			      .verdict = 0, .body = (char *)msg_body, .body_len = sizeof msg_body};
	int64_t id1 = 0;
	assert_int_equal(store_msg_put(s, &m, &id1), 0);
	assert_true(id1 > old);
	int64_t doc = put_doc(s, 311, "K-T1", NULL, "DG-T1", DOC_ACTIVE, id1, 5, NULL);
	struct store_doc d;
	assert_int_equal(store_doc_get(s, 311, "K-T1", &d), 0);
	assert_int_equal(d.id, doc);
	assert_int_equal(store_doc_body(s, &d), 0);
	assert_int_equal(d.body_len, sizeof msg_body);
	store_doc_clear(&d);
	assert_msg(s, "T-1", id1, 0, NULL);
	assert_int_equal(store_msg_set_answer(s, id1, "<r1/>", 1), 0);
	assert_int_equal(store_release(s), 0);
	/* the next, rolled back: no row, and its id is given again */
	assert_int_equal(store_savepoint(s), 0);
	m.guid = "T-2";
	int64_t id2 = 0;
	assert_int_equal(store_msg_put(s, &m, &id2), 0);
	assert_true(id2 > id1);
	assert_int_equal(store_rollback_to(s), 0);
	struct store_msg got;
	assert_int_equal(store_msg_get(s, "T-2", false, &got), CBEC_ENOTFOUND);
	assert_int_equal(store_savepoint(s), 0);
	m.guid = "T-3";
	int64_t id3 = 0;
	assert_int_equal(store_msg_put(s, &m, &id3), 0);
	assert_true(id3 > id1);
	assert_int_equal(store_msg_set_answer(s, old, "<r0/>", 0), 0); /* another's, meanwhile */
	assert_int_equal(store_msg_set_answer(s, id3, "<r3/>", 1), 0);
	assert_int_equal(store_release(s), 0);
	/* a message with no answer set is kept as put */
	m.guid = "T-4";
	m.answer = "relayed";
	int64_t id4 = 0;
	assert_int_equal(store_msg_put(s, &m, &id4), 0);
	assert_true(id4 > id3);
	assert_int_equal(store_commit(s), 0);
	assert_msg(s, "T-0", old, 0, "<r0/>");
	assert_msg(s, "T-1", id1, 1, "<r1/>");
	assert_msg(s, "T-3", id3, 1, "<r3/>");
	assert_msg(s, "T-4", id4, 0, "relayed");
	assert_int_equal(store_msg_get(s, "T-2", false, &got), CBEC_ENOTFOUND);
	/* a transaction rolled back whole keeps nothing either */
	assert_int_equal(store_begin(s), 0);
	m.guid = "T-5";
	assert_int_equal(store_msg_put(s, &m, NULL), 0);
	assert_int_equal(store_rollback(s), 0);
	assert_int_equal(store_msg_get(s, "T-5", false, &got), CBEC_ENOTFOUND);
	assert_true(put_msg(s, "T-6", 1) > id4);
}

static int64_t put_doc(struct store *s, int kind, const char *key, const char *link,
		       const char *guid, int state, int64_t msg_id, int64_t updated, const char *body)
{
	struct store_doc d = {
		.kind = kind, .key = (char *)key, .link = (char *)link, .owner = "1234564TST",
		.guid = (char *)guid, .app_time = "20240520120000", .state = state, .msg_id = msg_id,
		.updated = updated, .body = (char *)body, .body_len = body ? strlen(body) : 0,
	};
	assert_int_equal(store_doc_put(s, &d), 0);
	assert_true(d.id > 0);
	return d.id;
}

static void test_doc(void **state)
{
	struct store *s = S(state);
	struct store_doc d;
	assert_int_equal(store_doc_get(s, 621, "K", &d), CBEC_ENOTFOUND);
	assert_int_equal(store_doc_by_link(s, 621, "L", &d), CBEC_ENOTFOUND);
	assert_int_equal(store_doc_by_ref(s, 621, "R", &d), CBEC_ENOTFOUND);
	assert_int_equal(store_doc_by_guid(s, "DG", &d), CBEC_ENOTFOUND);
	int64_t mid = put_msg(s, "M-1", 1);
	/* body NULL: the message's */
	int64_t id = put_doc(s, 621, "A|1", "WB1", "DG-1", DOC_WAITING, mid, 10, NULL);
	assert_int_equal(store_doc_get(s, 621, "A|1", &d), 0);
	assert_int_equal(d.id, id);
	assert_int_equal(d.kind, 621);
	assert_string_equal(d.key, "A|1");
	assert_string_equal(d.link, "WB1");
	assert_null(d.ref);
	assert_string_equal(d.owner, "1234564TST");
	assert_string_equal(d.guid, "DG-1");
	assert_string_equal(d.app_time, "20240520120000");
	assert_int_equal(d.state, DOC_WAITING);
	assert_int_equal(d.msg_id, mid);
	assert_int_equal(d.updated, 10);
	assert_true(d.body_ref);
	assert_null(d.body); /* reads carry no body; store_doc_body fetches it */
	struct store_doc none = {.id = id + 1000};
	assert_int_equal(store_doc_body(s, &none), CBEC_ENOTFOUND);
	assert_int_equal(store_doc_body(s, &d), 0);
	assert_int_equal(d.body_len, sizeof msg_body);
	assert_memory_equal(d.body, "<CEB311Message>", 15);
	store_doc_clear(&d);
	/* its own body */
	int64_t id2 = put_doc(s, 311, "A|1", NULL, "DG-2", DOC_ACTIVE, mid, 11, "<Order/>");
	assert_int_equal(store_doc_get(s, 311, "A|1", &d), 0);
	assert_int_equal(d.id, id2);
	assert_false(d.body_ref);
	assert_null(d.body);
	assert_int_equal(store_doc_body(s, &d), 0);
	assert_int_equal(d.body_len, 8);
	assert_string_equal(d.body, "<Order/>");
	assert_null(d.link);
	store_doc_clear(&d);
	/* look-ups */
	assert_int_equal(store_doc_by_link(s, 621, "WB1", &d), 0);
	assert_int_equal(d.id, id);
	store_doc_clear(&d);
	assert_int_equal(store_doc_by_link(s, 311, "WB1", &d), CBEC_ENOTFOUND);
	assert_int_equal(store_doc_by_guid(s, "DG-1", &d), 0);
	assert_int_equal(d.id, id);
	store_doc_clear(&d);
	/* an order is found by the key its customs receipt carries, never by guid */
	assert_false(store_guid_indexed(311));
	assert_true(store_guid_indexed(621));
	/* the kinds the index leaves out (SQL) are the ones store_guid_indexed says */
	int listed = 0, unindexed = 0;
	for (const char *p = STORE_GUID_UNINDEXED; *p; listed++) {
		char *end;
		long kind = strtol(p, &end, 10);
		assert_true(end > p);
		assert_false(store_guid_indexed((int)kind));
		p = end + strspn(end, ", ");
	}
	for (int kind = 0; kind < 1000; kind++)
		unindexed += !store_guid_indexed(kind);
	assert_int_equal(listed, unindexed);
	assert_int_equal(store_doc_by_guid(s, "DG-2", &d), CBEC_ENOTFOUND);
	assert_int_equal(store_doc_set_ref(s, id, "INVT-9"), 0);
	assert_int_equal(store_doc_by_ref(s, 621, "INVT-9", &d), 0);
	assert_int_equal(d.id, id);
	assert_string_equal(d.ref, "INVT-9");
	store_doc_clear(&d);
	assert_int_equal(store_doc_set_state(s, id, DOC_CHECKED, 99), 0);
	assert_int_equal(store_doc_get(s, 621, "A|1", &d), 0);
	assert_int_equal(d.state, DOC_CHECKED);
	assert_int_equal(d.updated, 99);
	/* update in place (d->id set) */
	free(d.link);
	assert_null(d.body);
	d.link = strdup("WB2");
	free(d.body);
	d.body = strdup("<List/>");
	d.body_len = 7;
	d.state = DOC_ACCEPTED;
	assert_int_equal(store_doc_put(s, &d), 0);
	assert_int_equal(d.id, id);
	store_doc_clear(&d);
	assert_int_equal(store_doc_get(s, 621, "A|1", &d), 0);
	assert_string_equal(d.link, "WB2");
	assert_int_equal(store_doc_body(s, &d), 0);
	assert_string_equal(d.body, "<List/>");
	assert_false(d.body_ref);
	assert_int_equal(d.state, DOC_ACCEPTED);
	assert_string_equal(d.ref, "INVT-9");
	store_doc_clear(&d);
	/* (kind, key) is unique */
	struct store_doc dup = {.kind = 621, .key = "A|1", .state = 1, .updated = 1};
	int rc = store_doc_put(s, &dup);
	if (rc == 0)
		rc = store_doc_get(s, 621, "A|1", &d);
	assert_int_equal(rc, CBEC_ESTORE);
}

/* Each message in its savepoint: one undone, the others kept (the service's batches). */
/* Probes read ahead answer as the store would, through the transaction's writes; anything
 * undone empties them. A store that does not read ahead (SQLite) gives the same answers. */
static void expect_doc(struct store *s, int kind, const char *key, int64_t id, int state)
{
	struct store_doc d;
	int rc = store_doc_get(s, kind, key, &d);
	if (!id) {
		assert_int_equal(rc, CBEC_ENOTFOUND);
		return;
	}
	assert_int_equal(rc, 0);
	assert_int_equal(d.id, id);
	assert_int_equal(d.state, state);
	store_doc_clear(&d);
}

static int64_t by_link(struct store *s, int kind, const char *link)
{
	struct store_doc d;
	int rc = store_doc_by_link(s, kind, link, &d);
	assert_true(rc == 0 || rc == CBEC_ENOTFOUND);
	int64_t id = d.id;
	store_doc_clear(&d);
	return id;
}

static int64_t by_guid(struct store *s, const char *guid)
{
	struct store_doc d;
	int rc = store_doc_by_guid(s, guid, &d);
	assert_true(rc == 0 || rc == CBEC_ENOTFOUND);
	int64_t id = d.id;
	store_doc_clear(&d);
	return id;
}

static void test_read_ahead(void **state)
{
	struct store *s = S(state);
	int64_t mid = put_msg(s, "M-1", 1);
	int64_t a = put_doc(s, 621, "E|1", "W1", "G1", DOC_WAITING, mid, 10, NULL);
	int64_t o = put_doc(s, 311, "E|1", NULL, "G2", DOC_ACTIVE, mid, 10, "<Order/>");
	const struct store_probe keys[] = {{621, "E|1", NULL}, {311, "E|1", NULL}, {623, "E|2", NULL}, {623, "E|9", NULL}, {511, "W1", NULL}};
	const struct store_probe links[] = {{621, "W1", NULL}, {621, "W2", NULL}, {411, "E|1", NULL}};
	const struct store_probe guids[] = {{0, "G1", NULL}, {0, "G9", NULL}};
	const struct store_probe msgs[] = {{0, "M-1", NULL}, {0, "M-2", NULL}};
	const struct store_probe rcpts[] = {{621, "E|1", "120"}, {621, "E|1", "800"}};
	struct store_receipt r = {.recipient = "1234564TST", .type = 622, .doc_kind = 621,
				  .doc_key = "E|1", .status = "120", .created = 10, .xml = "<r/>"};
	int64_t seq;
	assert_int_equal(store_receipt_add(s, &r, &seq), 0);
	const struct store_ahead q = {keys, 5, links, 3, guids, 2, msgs, 2, rcpts, 2};
	assert_int_equal(store_read_ahead(s, &q), CBEC_EINVAL); /* outside a transaction */

	assert_int_equal(store_begin(s), 0);
	assert_int_equal(store_read_ahead(s, &q), 0);
	uint64_t hits0, misses0, hits, misses;
	store_read_ahead_stats(s, &hits0, &misses0);
	struct store_doc d;
	assert_int_equal(store_doc_get(s, 621, "E|1", &d), 0); /* the whole row, as read */
	assert_int_equal(d.id, a);
	assert_string_equal(d.link, "W1");
	assert_string_equal(d.guid, "G1");
	assert_string_equal(d.owner, "1234564TST");
	assert_string_equal(d.app_time, "20240520120000");
	assert_int_equal(d.msg_id, mid);
	assert_int_equal(d.updated, 10);
	assert_true(d.body_ref);
	assert_null(d.body);
	assert_null(d.ref);
	store_doc_clear(&d);
	assert_int_equal(store_doc_get(s, 311, "E|1", &d), 0);
	assert_false(d.body_ref);
	assert_null(d.link);
	store_doc_clear(&d);
	expect_doc(s, 623, "E|2", 0, 0);
	expect_doc(s, 511, "W1", 0, 0);
	assert_int_equal(by_link(s, 621, "W1"), a);
	assert_int_equal(by_link(s, 621, "W2"), 0);
	assert_int_equal(by_link(s, 411, "E|1"), 0);
	assert_int_equal(by_guid(s, "G1"), a);
	assert_int_equal(by_guid(s, "G9"), 0);
	struct store_msg m;
	assert_int_equal(store_msg_get(s, "M-2", false, &m), CBEC_ENOTFOUND);
	assert_int_equal(store_msg_get(s, "M-1", false, &m), 0); /* found: asked of the store */
	store_msg_clear(&m);
	bool seen;
	assert_int_equal(store_receipt_exists(s, 621, "E|1", 0, "120", &seen), 0);
	assert_true(seen);
	assert_int_equal(store_receipt_exists(s, 621, "E|1", 0, "800", &seen), 0);
	assert_false(seen);
	store_read_ahead_stats(s, &hits, &misses);
	bool ahead = store_reads_ahead(s);
	assert_int_equal(ahead, ((struct fx *)*state)->pg);
	assert_int_equal(hits - hits0, ahead ? 12 : 0); /* answered without the store */
	assert_int_equal(misses - misses0, ahead ? 1 : 0);

	/* the transaction's writes keep the answers true */
	int64_t n2 = put_doc(s, 623, "E|2", NULL, "G1", DOC_ACTIVE, mid, 11, "<Cancel/>");
	expect_doc(s, 623, "E|2", n2, DOC_ACTIVE);
	assert_int_equal(by_guid(s, "G1"), n2); /* the newest of the guid */
	int64_t n3 = put_doc(s, 311, "E|3", NULL, "G1", DOC_ACTIVE, mid, 11, "<Order/>");
	expect_doc(s, 311, "E|3", n3, DOC_ACTIVE);
	assert_int_equal(by_guid(s, "G1"), n2); /* an order's guid is not looked up */
	int64_t w2 = put_doc(s, 621, "E|3", "W2", "G3", DOC_RECEIVED, mid, 11, NULL);
	assert_int_equal(by_link(s, 621, "W2"), w2);
	int64_t w1 = put_doc(s, 621, "E|4", "W1", "G4", DOC_RECEIVED, mid, 11, NULL);
	assert_int_equal(by_link(s, 621, "W1"), a); /* the first of the link */
	assert_int_equal(store_doc_set_state(s, a, DOC_CHECKED, 12), 0);
	assert_int_equal(store_doc_set_ref(s, a, "INVT-1"), 0);
	assert_int_equal(store_doc_get(s, 621, "E|1", &d), 0);
	assert_int_equal(d.state, DOC_CHECKED);
	assert_int_equal(d.updated, 12);
	assert_string_equal(d.ref, "INVT-1");
	/* a new version moves to another link: its old link's first is the next one */
	d.link = strcpy(realloc(d.link, 8), "W7");
	d.msg_id = mid;
	assert_int_equal(store_doc_put(s, &d), 0);
	store_doc_clear(&d);
	assert_int_equal(by_link(s, 621, "W1"), w1);
	assert_int_equal(by_link(s, 621, "W7"), a);
	put_msg(s, "M-2", 1);
	assert_int_equal(store_msg_get(s, "M-2", false, &m), 0);
	store_msg_clear(&m);
	r.status = "800";
	assert_int_equal(store_receipt_add(s, &r, &seq), 0);
	assert_int_equal(store_receipt_exists(s, 621, "E|1", 0, "800", &seen), 0);
	assert_true(seen);

	/* undone: what was read ahead and written since is not answered any more */
	assert_int_equal(store_savepoint(s), 0);
	r.doc_key = "E|9";
	assert_int_equal(store_receipt_add(s, &r, &seq), 0);
	put_doc(s, 623, "E|9", NULL, "G9", DOC_ACTIVE, mid, 13, "<Cancel/>");
	assert_int_equal(store_doc_set_state(s, o, DOC_USED, 13), 0);
	expect_doc(s, 623, "E|9", by_guid(s, "G9"), DOC_ACTIVE);
	assert_int_equal(store_rollback_to(s), 0);
	expect_doc(s, 623, "E|9", 0, 0);
	expect_doc(s, 311, "E|1", o, DOC_ACTIVE);
	assert_int_equal(by_guid(s, "G9"), 0);
	assert_int_equal(store_receipt_exists(s, 621, "E|9", 0, "800", &seen), 0);
	assert_false(seen);
	assert_int_equal(store_commit(s), 0);
	assert_int_equal(store_begin(s), 0); /* a new transaction starts with nothing read ahead */
	store_read_ahead_stats(s, &hits0, &misses0);
	expect_doc(s, 621, "E|1", a, DOC_CHECKED);
	store_read_ahead_stats(s, &hits, &misses);
	assert_int_equal(hits, hits0);
	assert_int_equal(store_rollback(s), 0);
}

static void test_savepoints(void **state)
{
	struct store *s = S(state);
	struct store_msg m;
	assert_int_equal(store_begin(s), 0);
	assert_int_equal(store_savepoint(s), 0);
	put_msg(s, "SP-A", 1);
	assert_int_equal(store_release(s), 0);
	assert_int_equal(store_savepoint(s), 0);
	put_msg(s, "SP-B", 1);
	struct store_receipt r = {.recipient = "X", .type = 312, .created = 1, .xml = "<r/>"};
	assert_int_equal(store_receipt_add(s, &r, NULL), 0);
	assert_int_equal(store_rollback_to(s), 0);
	/* a message whose write fails: undone alone (put or release reports it) */
	assert_int_equal(store_savepoint(s), 0);
	struct store_msg dup = {.guid = "SP-A", .type = 311, .received = 1, .verdict = 1};
	int rc = store_msg_put(s, &dup, NULL);
	if (rc)
		assert_int_equal(store_rollback_to(s), 0);
	else
		assert_int_equal(store_release(s), CBEC_ESTORE);
	assert_int_equal(store_savepoint(s), 0);
	put_msg(s, "SP-C", 1);
	assert_int_equal(store_release(s), 0);
	assert_int_equal(store_commit(s), 0);
	assert_int_equal(store_msg_get(s, "SP-A", false, &m), 0);
	store_msg_clear(&m);
	assert_int_equal(store_msg_get(s, "SP-B", false, &m), CBEC_ENOTFOUND);
	assert_int_equal(store_msg_get(s, "SP-C", false, &m), 0);
	store_msg_clear(&m);
	struct store_counts c;
	assert_int_equal(store_counts(s, &c), 0);
	assert_int_equal(c.messages, 2);
	/* a whole transaction rolled back */
	assert_int_equal(store_begin(s), 0);
	put_msg(s, "RB-1", 1);
	assert_int_equal(store_rollback(s), 0);
	assert_int_equal(store_msg_get(s, "RB-1", false, &m), CBEC_ENOTFOUND);
	/* a reader sees what was committed, and cannot write */
	struct fx *f = *state;
	struct store *rd;
	char err[256];
	assert_int_equal(store_open(f->url, true, &rd, err, sizeof err), 0);
	assert_int_equal(store_msg_get(rd, "SP-C", true, &m), 0);
	store_msg_clear(&m);
	assert_int_equal(store_cursor_set(rd, "x", 1), CBEC_ESTORE);
	store_close(rd);
}

struct evlist {
	int n;
	struct store_event e[8];
	char reason[8][32];
};

static int collect_event(void *ctx, const struct store_event *e)
{
	struct evlist *l = ctx;
	if (l->n == 8)
		return -1;
	l->e[l->n] = *e;
	snprintf(l->reason[l->n], sizeof l->reason[0], "%s", e->reason ? e->reason : "(null)");
	l->e[l->n].reason = NULL;
	l->n++;
	return 0;
}

static void test_events(void **state)
{
	struct store *s = S(state);
	assert_int_equal(store_begin(s), 0);
	struct store_event e1 = {7, DOC_RECEIVED, DOC_WAITING, 100, "waiting", 3};
	struct store_event e2 = {7, DOC_WAITING, DOC_CHECKED, 200, NULL, 4};
	struct store_event e3 = {8, DOC_WAITING, DOC_REJECTED, 300, "M-05", 5};
	assert_int_equal(store_event_add(s, &e1), 0);
	assert_int_equal(store_event_add(s, &e2), 0);
	assert_int_equal(store_event_add(s, &e3), 0);
	assert_int_equal(store_commit(s), 0);
	struct evlist l = {0};
	assert_int_equal(store_events_of(s, 7, collect_event, &l), 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.e[0].from, DOC_RECEIVED);
	assert_int_equal(l.e[0].to, DOC_WAITING);
	assert_int_equal(l.e[0].at, 100);
	assert_int_equal(l.e[0].msg_id, 3);
	assert_string_equal(l.reason[0], "waiting");
	assert_string_equal(l.reason[1], "(null)");
	l.n = 0;
	assert_int_equal(store_events_of(s, 99, collect_event, &l), 0);
	assert_int_equal(l.n, 0);
	/* a callback's error stops the walk and is returned */
	struct evlist full = {.n = 8};
	assert_int_equal(store_events_of(s, 7, collect_event, &full), -1);
}

/* Many events in one transaction, more than a statement writes at once on SQLite: each
 * document's read back in order, inside the transaction too, with their reasons (copied:
 * the caller's buffer changes after each add); a savepoint's undone, the rest kept. */
struct evcount {
	int n;
	int64_t last_at;
	bool ordered, reasons;
};

static int count_event(void *ctx, const struct store_event *e)
{
	struct evcount *c = ctx;
	char want[32];
	snprintf(want, sizeof want, "r%lld", (long long)e->at);
	c->ordered &= e->at > c->last_at;
	c->reasons &= e->reason && !strcmp(e->reason, want);
	c->last_at = e->at;
	c->n++;
	return 0;
}

static struct evcount events_counted(struct store *s, int64_t doc)
{
	struct evcount c = {0, 0, true, true};
	assert_int_equal(store_events_of(s, doc, count_event, &c), 0);
	return c;
}

static void add_events(struct store *s, int from, int to)
{
	char reason[32];
	for (int i = from; i < to; i++) {
		snprintf(reason, sizeof reason, "r%d", i);
		struct store_event e = {21 + i % 3, DOC_WAITING, DOC_CHECKED, i, reason, 1};
		assert_int_equal(store_event_add(s, &e), 0);
	}
}

static void test_events_many(void **state)
{
	struct store *s = S(state);
	assert_int_equal(store_begin(s), 0);
	add_events(s, 1, 41);
	struct evcount c = events_counted(s, 21); /* 3, 6, ..., 39 */
	assert_int_equal(c.n, 13);
	assert_true(c.ordered && c.reasons);
	add_events(s, 41, 50);
	assert_int_equal(store_savepoint(s), 0);
	add_events(s, 50, 60);
	assert_int_equal(store_rollback_to(s), 0);
	add_events(s, 60, 63);
	assert_int_equal(store_commit(s), 0);
	c = events_counted(s, 21); /* and 42, 45, 48, 60 */
	assert_int_equal(c.n, 17);
	assert_int_equal(c.last_at, 60);
	assert_true(c.ordered && c.reasons);
	c = events_counted(s, 22); /* 1, 4, ..., 49, 61 */
	assert_int_equal(c.n, 18);
	assert_true(c.ordered && c.reasons);
	/* outside a transaction an event goes in at once: another connection sees it */
	struct store_event alone = {24, DOC_WAITING, DOC_CHECKED, 80, "r80", 1};
	assert_int_equal(store_event_add(s, &alone), 0);
	struct store *ro;
	char err[256];
	assert_int_equal(store_open(((struct fx *)*state)->url, true, &ro, err, sizeof err), 0);
	assert_int_equal(events_counted(ro, 24).n, 1);
	store_close(ro);
	/* a transaction undone takes its waiting events with it */
	assert_int_equal(store_begin(s), 0);
	add_events(s, 70, 73);
	assert_int_equal(store_rollback(s), 0);
	assert_int_equal(events_counted(s, 23).n, 17);
}

struct rlist {
	int n;
	int64_t seq[16];
	char who[16][16];
};

static int collect_receipt(void *ctx, const struct store_receipt *r)
{
	struct rlist *l = ctx;
	assert_true(l->n < 16);
	l->seq[l->n] = r->seq;
	snprintf(l->who[l->n], sizeof l->who[0], "%s", r->recipient);
	l->n++;
	return 0;
}

static void test_receipts(void **state)
{
	struct store *s = S(state);
	const char *who[] = {"A", "B", "A", "C", "A"};
	int64_t seq[5];
	for (int i = 0; i < 5; i++) {
		struct store_receipt r = {.recipient = (char *)who[i], .type = 622, .doc_kind = 621,
					  .doc_key = i < 2 ? "K1" : "K2", .status = i == 1 ? "3" : "2",
					  .created = 1000 + i, .xml = "<CEB622Message/>"};
		assert_int_equal(store_receipt_add(s, &r, &seq[i]), 0);
		if (i)
			assert_true(seq[i] > seq[i - 1]);
	}
	struct rlist l = {0};
	assert_int_equal(store_receipts_after(s, "A", 0, 100, collect_receipt, &l), 0);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.seq[0], seq[0]);
	assert_int_equal(l.seq[2], seq[4]);
	memset(&l, 0, sizeof l);
	assert_int_equal(store_receipts_after(s, "A", seq[0], 1, collect_receipt, &l), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.seq[0], seq[2]);
	memset(&l, 0, sizeof l);
	assert_int_equal(store_receipts_after(s, NULL, seq[1], 2, collect_receipt, &l), 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.seq[0], seq[2]);
	assert_string_equal(l.who[1], "C");
	memset(&l, 0, sizeof l);
	assert_int_equal(store_receipts_after(s, NULL, seq[4], 10, collect_receipt, &l), 0);
	assert_int_equal(l.n, 0);
	assert_int_equal(store_receipts_of_doc(s, 621, "K1", collect_receipt, &l), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.who[1], "B");
	bool ex;
	assert_int_equal(store_receipt_exists(s, 621, "K1", 0, "3", &ex), 0);
	assert_true(ex);
	assert_int_equal(store_receipt_exists(s, 621, "K2", 0, "3", &ex), 0);
	assert_false(ex);
	struct store_counts c;
	assert_int_equal(store_counts(s, &c), 0);
	assert_int_equal(c.receipts, seq[4]);
	/* A document's receipts are those given before it was stored (a rejected first try)
	 * and after, in order; the relay's check finds either. */
	struct store_receipt r1 = {.recipient = "A", .type = 622, .doc_kind = 621, .doc_key = "K3",
				   .status = "100", .created = 2000, .xml = "<CEB622Message/>"};
	int64_t s1, s2;
	assert_int_equal(store_receipt_add(s, &r1, &s1), 0);
	put_doc(s, 621, "K3", "WB3", "DG-3", DOC_WAITING, put_msg(s, "M-3", 1), 10, NULL);
	struct store_receipt r2 = r1;
	r2.status = "120";
	r2.recipient = "B";
	assert_int_equal(store_receipt_add(s, &r2, &s2), 0);
	r2.doc_key = "K4"; /* another document's */
	assert_int_equal(store_receipt_add(s, &r2, NULL), 0);
	memset(&l, 0, sizeof l);
	assert_int_equal(store_receipts_of_doc(s, 621, "K3", collect_receipt, &l), 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.seq[0], s1);
	assert_int_equal(l.seq[1], s2);
	assert_string_equal(l.who[1], "B");
	assert_int_equal(store_receipt_exists(s, 621, "K3", 0, "100", &ex), 0);
	assert_true(ex);
	assert_int_equal(store_receipt_exists(s, 621, "K3", 0, "120", &ex), 0);
	assert_true(ex);
	assert_int_equal(store_receipt_exists(s, 621, "K3", 0, "800", &ex), 0);
	assert_false(ex);
	assert_int_equal(store_receipt_exists(s, 311, "K3", 0, "120", &ex), 0);
	assert_false(ex);
	/* The writer names the document by its id when it has it: the same receipts, found
	 * the same way, both those given before the document was stored and after. */
	struct store_doc k3;
	assert_int_equal(store_doc_get(s, 621, "K3", &k3), 0);
	struct store_receipt r3 = r1;
	r3.status = "800";
	r3.doc_id = k3.id;
	int64_t s3;
	assert_int_equal(store_receipt_add(s, &r3, &s3), 0);
	const char *st[] = {"100", "120", "800", "399"};
	for (int i = 0; i < 4; i++) {
		bool by_key, by_id;
		assert_int_equal(store_receipt_exists(s, 621, "K3", 0, st[i], &by_key), 0);
		assert_int_equal(store_receipt_exists(s, 621, "K3", k3.id, st[i], &by_id), 0);
		assert_true(by_key == (i < 3));
		assert_true(by_id == by_key);
	}
	memset(&l, 0, sizeof l);
	assert_int_equal(store_receipts_of_doc(s, 621, "K3", collect_receipt, &l), 0);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.seq[2], s3);
	store_doc_clear(&k3);
}

/* SQL taking a store's schema back from 9 to 8 and from 8 to 7 (migrations 8 and 9 cannot
 * run twice), for the
 * tests that take it further back by hand. */
#define UNDO_9 "DROP TABLE msg_guid; DELETE FROM cursor WHERE name LIKE 'msg_guid_%';"
#define UNDO_8                                                                                     \
	"DROP TRIGGER bonded_move_chain; ALTER TABLE bonded_move DROP COLUMN prev;"                \
	"ALTER TABLE bonded_item DROP COLUMN last_move;"                                           \
	"CREATE INDEX bonded_move_item ON bonded_move(ems_no, item_no, id);"

/* A store made before receipts were found by their document's id (schema 3) is brought
 * up to date when opened: every receipt of a stored document gets its id. */
static void test_migrate_receipts(void **state)
{
	struct fx *f = *state;
	struct store *s = f->s;
	int64_t mid = put_msg(s, "M-MIG", 1);
	put_doc(s, 621, "K1", "WB1", "DG-M1", DOC_WAITING, mid, 10, NULL);
	struct store_receipt r = {.recipient = "A", .type = 622, .doc_kind = 621, .doc_key = "K1",
				  .status = "120", .created = 1, .xml = "<CEB622Message/>"};
	assert_int_equal(store_receipt_add(s, &r, NULL), 0);
	r.doc_key = "K9"; /* a document never stored */
	assert_int_equal(store_receipt_add(s, &r, NULL), 0);
	int version = store_schema_version(s);
	store_close(f->s);
	f->s = NULL;
	sqlite3 *db;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
				      UNDO_9 UNDO_8 "DROP INDEX receipt_doc_id; DROP INDEX receipt_doc_key;"
				      "ALTER TABLE receipt DROP COLUMN doc_id;"
				      "CREATE INDEX receipt_doc ON receipt(doc_kind, doc_key);"
				      "DROP TABLE tally; PRAGMA user_version = 3;",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	char err[256];
	assert_int_equal(store_open(f->url, false, &f->s, err, sizeof err), 0);
	assert_int_equal(store_schema_version(f->s), version);
	struct rlist l = {0};
	assert_int_equal(store_receipts_of_doc(f->s, 621, "K1", collect_receipt, &l), 0);
	assert_int_equal(l.n, 1);
	memset(&l, 0, sizeof l);
	assert_int_equal(store_receipts_of_doc(f->s, 621, "K9", collect_receipt, &l), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT doc_key FROM receipt WHERE doc_id IS NOT NULL",
					    -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(q, 0), "K1");
	assert_int_equal(sqlite3_step(q), SQLITE_DONE);
	sqlite3_finalize(q);
	sqlite3_close(db);
}

/* A receipt reads back byte for byte as it was added, kept without its envelope or whole
 * (store/rpack.h); the envelope is not stored. */
struct rxml {
	int n;
	char xml[4][700];
};

static int collect_xml(void *ctx, const struct store_receipt *r)
{
	struct rxml *l = ctx;
	assert_true(l->n < 4);
	snprintf(l->xml[l->n++], sizeof l->xml[0], "%s", r->xml);
	return 0;
}

#define RX_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ceb:CEB622Message xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\""

static void test_receipts_whole(void **state)
{
	struct fx *f = *state;
	struct store *s = f->s;
	static const char *const xml[] = {
		RX_HEAD " guid=\"5D670869-E3D1-4255-840E-2E079A5677AC\" version=\"1.0\">\n"
		"\t<ceb:InventoryReturn>\n\t\t<ceb:returnInfo>[Code:2;Desc:平台已接收]</ceb:returnInfo>\n"
		"\t</ceb:InventoryReturn>\n</ceb:CEB622Message>\n",
		RX_HEAD " guid=\"G\" version=\"2.0\">\n<x/></ceb:CEB622Message>\n", /* not the envelope */
		"<CEB622Message/>",
	};
	for (int i = 0; i < 3; i++) {
		struct store_receipt r = {.recipient = "A", .type = 622, .doc_kind = 621, .doc_key = "K1",
					  .status = "2", .created = 1000 + i, .xml = (char *)xml[i]};
		assert_int_equal(store_receipt_add(s, &r, NULL), 0);
	}
	struct rxml l = {0};
	assert_int_equal(store_receipts_after(s, "A", 0, 10, collect_xml, &l), 0);
	assert_int_equal(l.n, 3);
	for (int i = 0; i < 3; i++)
		assert_string_equal(l.xml[i], xml[i]);
	memset(&l, 0, sizeof l);
	assert_int_equal(store_receipts_of_doc(s, 621, "K1", collect_xml, &l), 0);
	assert_int_equal(l.n, 3);
	for (int i = 0; i < 3; i++)
		assert_string_equal(l.xml[i], xml[i]);
	/* what the table holds: the first without its envelope, the others whole */
	char kept[3][700] = {"", "", ""};
	const char *sql = "SELECT xml FROM receipt ORDER BY seq";
	if (f->pg) {
		PGconn *c = PQconnectdb(f->url);
		PGresult *r = PQexec(c, sql);
		assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
		assert_int_equal(PQntuples(r), 3);
		for (int i = 0; i < 3; i++)
			snprintf(kept[i], sizeof kept[i], "%s", PQgetvalue(r, i, 0));
		PQclear(r);
		PQfinish(c);
	} else {
		sqlite3 *db;
		sqlite3_stmt *q;
		assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
		for (int i = 0; i < 3; i++) {
			assert_int_equal(sqlite3_step(q), SQLITE_ROW);
			snprintf(kept[i], sizeof kept[i], "%s", (const char *)sqlite3_column_text(q, 0));
		}
		sqlite3_finalize(q);
		sqlite3_close(db);
	}
	assert_string_equal(kept[0], "#5D670869-E3D1-4255-840E-2E079A5677AC\n\t<ceb:InventoryReturn>\n"
				     "\t\t<ceb:returnInfo>[Code:2;Desc:平台已接收]</ceb:returnInfo>\n"
				     "\t</ceb:InventoryReturn>\n");
	assert_string_equal(kept[1], xml[1]);
	assert_string_equal(kept[2], xml[2]);
}

static void test_quota_hold_tax(void **state)
{
	struct store *s = S(state);
	int64_t res, com;
	assert_int_equal(store_quota_get(s, "B1", 2024, &res, &com), 0);
	assert_int_equal(res, 0);
	assert_int_equal(com, 0);
	assert_int_equal(store_begin(s), 0);
	assert_int_equal(store_quota_add(s, "B1", 2024, 500000000, 0), 0);
	assert_int_equal(store_quota_add(s, "B1", 2024, -200000000, 200000000), 0);
	assert_int_equal(store_quota_add(s, "B1", 2025, 7, 0), 0);
	assert_int_equal(store_commit(s), 0);
	assert_int_equal(store_quota_get(s, "B1", 2024, &res, &com), 0);
	assert_int_equal(res, 300000000);
	assert_int_equal(com, 200000000);
	assert_int_equal(store_quota_get(s, "B1", 2025, &res, &com), 0);
	assert_int_equal(res, 7);

	struct store_hold h;
	assert_int_equal(store_hold_get(s, 42, &h), CBEC_ENOTFOUND);
	struct store_hold put = {42, "B1", 2024, 123456789012, 1};
	assert_int_equal(store_hold_put(s, &put), 0);
	put.state = 2;
	assert_int_equal(store_hold_put(s, &put), 0);
	assert_int_equal(store_hold_get(s, 42, &h), 0);
	assert_int_equal(h.list_id, 42);
	assert_string_equal(h.buyer, "B1");
	assert_int_equal(h.year, 2024);
	assert_int_equal(h.amount, 123456789012);
	assert_int_equal(h.state, 2);
	store_hold_clear(&h);

	struct store_tax t;
	assert_int_equal(store_tax_get(s, 42, &t), CBEC_ENOTFOUND);
	struct store_tax tp = {42, 1, 0, 3, 4, 7, true, "[{\"g\":1}]"};
	assert_int_equal(store_tax_put(s, &tp), 0);
	tp.total = -8;
	tp.full_rate = false;
	assert_int_equal(store_tax_put(s, &tp), 0);
	assert_int_equal(store_tax_get(s, 42, &t), 0);
	assert_int_equal(t.list_id, 42);
	assert_int_equal(t.dutiable, 1);
	assert_int_equal(t.vat, 3);
	assert_int_equal(t.ct, 4);
	assert_int_equal(t.total, -8);
	assert_false(t.full_rate);
	assert_string_equal(t.lines_json, "[{\"g\":1}]");
	store_tax_clear(&t);
}

struct olist {
	int n;
	int64_t seq[8];
	char body[8][64];
	size_t len[8];
};

static int collect_out(void *ctx, const struct store_out *o)
{
	struct olist *l = ctx;
	assert_true(l->n < 8);
	assert_int_equal(o->channel, 1);
	l->seq[l->n] = o->seq;
	l->len[l->n] = o->body_len;
	memcpy(l->body[l->n], o->body, o->body_len < 63 ? o->body_len : 63);
	l->n++;
	return 0;
}

static void test_outbox_cursors(void **state)
{
	struct store *s = S(state);
	int64_t mid = put_msg(s, "O-1", 1);
	int64_t s1, s2, s3;
	assert_int_equal(store_out_add(s, 1, "g1", 0, "<own/>", 6, &s1), 0);
	assert_int_equal(store_out_add(s, 1, "g2", mid, NULL, 0, &s2), 0);
	assert_int_equal(store_out_add(s, 2, "g3", 0, "<x/>", 4, &s3), 0);
	assert_true(s2 > s1);
	struct olist l = {0};
	assert_int_equal(store_out_after(s, 1, 0, 10, collect_out, &l), 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.len[0], 6);
	assert_memory_equal(l.body[0], "<own/>", 6);
	assert_int_equal(l.len[1], sizeof msg_body); /* the message's body */
	memset(&l, 0, sizeof l);
	assert_int_equal(store_out_after(s, 1, s1, 1, collect_out, &l), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.seq[0], s2);

	int64_t v = -1;
	assert_int_equal(store_cursor_get(s, "customs", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(store_cursor_set(s, "customs", 17), 0);
	assert_int_equal(store_cursor_set(s, "customs", 18), 0);
	assert_int_equal(store_cursor_set(s, "exchange", 5), 0);
	assert_int_equal(store_cursor_get(s, "customs", &v), 0);
	assert_int_equal(v, 18);
}

static void test_accounts(void **state)
{
	struct store *s = S(state);
	struct store_account a;
	assert_int_equal(store_account_get(s, "1234560TST", &a), CBEC_ENOTFOUND);
	assert_int_equal(store_account_by_token_hash(s, "ab", &a), CBEC_ENOTFOUND);
	struct store_account p = {"1234560TST", "平台", ROLE_ENTERPRISE, "aa11", 5};
	assert_int_equal(store_account_put(s, &p), 0);
	p.token_hash = "bb22";
	p.role = ROLE_REGULATOR;
	assert_int_equal(store_account_put(s, &p), 0); /* replaced whole */
	assert_int_equal(store_account_by_token_hash(s, "aa11", &a), CBEC_ENOTFOUND);
	assert_int_equal(store_account_by_token_hash(s, "bb22", &a), 0);
	assert_string_equal(a.code, "1234560TST");
	assert_string_equal(a.name, "平台");
	assert_int_equal(a.role, ROLE_REGULATOR);
	assert_int_equal(a.created, 5);
	store_account_clear(&a);
	assert_int_equal(store_account_get(s, "1234560TST", &a), 0);
	assert_string_equal(a.token_hash, "bb22");
	store_account_clear(&a);
}

struct stale_ctx {
	struct store *s;
	int n;
	int64_t ids[8];
};

/* Writes on the same connection while the scan walks (the timeout scan does). */
static int on_stale(void *ctx, const struct store_doc *d)
{
	struct stale_ctx *c = ctx;
	c->ids[c->n++] = d->id;
	assert_int_equal(store_doc_set_state(c->s, d->id, DOC_REJECTED, 1000), 0);
	struct store_event e = {d->id, d->state, DOC_REJECTED, 1000, "P-04", 0};
	return store_event_add(c->s, &e);
}

static void test_stale_and_counts(void **state)
{
	struct store *s = S(state);
	assert_int_equal(store_begin(s), 0);
	int64_t a = put_doc(s, 621, "S|1", NULL, "g1", DOC_WAITING, 0, 30, "<a/>");
	int64_t b = put_doc(s, 621, "S|2", NULL, "g2", DOC_WAITING, 0, 10, "<b/>");
	put_doc(s, 621, "S|3", NULL, "g3", DOC_WAITING, 0, 500, "<c/>");
	int64_t checked = put_doc(s, 621, "S|4", NULL, "g4", DOC_CHECKED, 0, 5, "<d/>");
	put_doc(s, 603, "S|5", NULL, "g5", DOC_WAITING, 0, 5, "<e/>");
	put_doc(s, 311, "S|6", NULL, "g6", DOC_ACTIVE, 0, 5, "<f/>");
	struct stale_ctx c = {s, 0, {0}};
	assert_int_equal(store_doc_each_stale(s, 621, DOC_WAITING, 100, on_stale, &c), 0);
	assert_int_equal(store_commit(s), 0);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.ids[0], b); /* oldest first */
	assert_int_equal(c.ids[1], a);
	struct store_doc d;
	assert_int_equal(store_doc_get(s, 621, "S|1", &d), 0);
	assert_int_equal(d.state, DOC_REJECTED);
	store_doc_clear(&d);
	c.n = 0;
	assert_int_equal(store_doc_each_stale(s, 621, DOC_WAITING, 100, on_stale, &c), 0);
	assert_int_equal(c.n, 0);
	/* a state other than waiting (its own statement) */
	assert_int_equal(store_doc_each_stale(s, 621, DOC_CHECKED, 100, on_stale, &c), 0);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.ids[0], checked);

	put_msg(s, "C-1", 1);
	put_msg(s, "C-2", 0);
	put_msg(s, "C-3", 0);
	struct store_counts k;
	assert_int_equal(store_counts(s, &k), 0);
	assert_int_equal(k.messages, 3);
	assert_int_equal(k.rejected_messages, 2);
	assert_int_equal(k.documents, 6);
	assert_int_equal(k.receipts, 0);
	/* what the service starts from: lists by state, the last receipt */
	struct store_receipt r = {.recipient = "X", .type = 622, .created = 1, .xml = "<r/>"};
	int64_t seq;
	assert_int_equal(store_receipt_add(s, &r, &seq), 0);
	struct store_lists l;
	assert_int_equal(store_lists_count(s, &l), 0);
	assert_int_equal(l.last_receipt, seq);
	assert_int_equal(l.by_state[DOC_REJECTED], 3); /* S|1, S|2 and S|4 (the scans' callback) */
	assert_int_equal(l.by_state[DOC_WAITING], 2); /* S|3 and the 603 */
	assert_int_equal(l.by_state[DOC_CHECKED], 0);
	assert_int_equal(l.by_state[DOC_ACTIVE], 0); /* an order is not a list */
}

/* The running totals follow what is committed, through savepoints undone, failed writes,
 * rollbacks, answers that change a verdict and writes outside a transaction, and outlive
 * the connection. */
static void test_tally(void **state)
{
	struct fx *f = *state;
	struct store *s = f->s;
	struct store_counts k;
	assert_int_equal(store_counts(s, &k), 0);
	assert_int_equal(k.messages + k.rejected_messages + k.documents + k.receipts, 0);
	struct store_receipt r = {.recipient = "X", .type = 622, .created = 1, .xml = "<r/>"};
	assert_int_equal(store_begin(s), 0);
	/* kept: a message put rejected, then accepted; its document; a receipt */
	assert_int_equal(store_savepoint(s), 0);
	int64_t m1 = put_msg(s, "T-1", 0);
	assert_int_equal(store_msg_set_answer(s, m1, "<ok/>", 1), 0);
	int64_t d1 = put_doc(s, 621, "T|1", NULL, "tg1", DOC_WAITING, m1, 1, NULL);
	assert_int_equal(store_receipt_add(s, &r, NULL), 0);
	assert_int_equal(store_release(s), 0);
	/* undone: everything of the second savepoint */
	assert_int_equal(store_savepoint(s), 0);
	int64_t m2 = put_msg(s, "T-2", 0);
	put_doc(s, 621, "T|2", NULL, "tg2", DOC_WAITING, m2, 1, NULL);
	assert_int_equal(store_receipt_add(s, &r, NULL), 0);
	assert_int_equal(store_rollback_to(s), 0);
	/* a write that fails (the guid again): undone by the store, counted by nobody */
	assert_int_equal(store_savepoint(s), 0);
	put_msg(s, "T-3", 0);
	struct store_msg dup = {.guid = "T-1", .type = 311, .received = 1, .verdict = 0};
	if (store_msg_put(s, &dup, NULL) != 0)
		assert_int_equal(store_rollback_to(s), 0);
	else
		assert_int_equal(store_release(s), CBEC_ESTORE);
	/* an update of a document is not a new one */
	struct store_doc d;
	assert_int_equal(store_doc_get(s, 621, "T|1", &d), 0);
	assert_int_equal(d.id, d1);
	d.state = DOC_CHECKED;
	assert_int_equal(store_doc_put(s, &d), 0);
	store_doc_clear(&d);
	/* not yet committed: not yet counted */
	struct store *rd;
	char err[256];
	assert_int_equal(store_open(f->url, true, &rd, err, sizeof err), 0);
	assert_int_equal(store_counts(rd, &k), 0);
	assert_int_equal(k.messages, 0);
	assert_int_equal(store_commit(s), 0);
	assert_int_equal(store_counts(rd, &k), 0);
	assert_int_equal(k.messages, 1);
	assert_int_equal(k.rejected_messages, 0);
	assert_int_equal(k.documents, 1);
	assert_int_equal(k.receipts, 1);
	/* a whole transaction rolled back */
	assert_int_equal(store_begin(s), 0);
	put_msg(s, "T-4", 0);
	assert_int_equal(store_receipt_add(s, &r, NULL), 0);
	assert_int_equal(store_rollback(s), 0);
	/* outside a transaction: each write is its own; an answer for a message of an earlier
	 * transaction finds its verdict in the store */
	int64_t m5 = put_msg(s, "T-5", 1);
	assert_int_equal(store_begin(s), 0);
	put_msg(s, "T-6", 1);
	assert_int_equal(store_msg_set_answer(s, m5, "<no/>", 0), 0);
	assert_int_equal(store_msg_set_answer(s, m1, "<no/>", 0), 0);
	assert_int_equal(store_msg_set_answer(s, m1, "<no/>", 0), 0); /* no change twice */
	assert_int_equal(store_commit(s), 0);
	assert_int_equal(store_msg_set_answer(s, m5, "<ok/>", 1), 0);
	assert_int_equal(store_counts(rd, &k), 0);
	assert_int_equal(k.messages, 3);
	assert_int_equal(k.rejected_messages, 1);
	assert_int_equal(k.documents, 1);
	assert_int_equal(k.receipts, 1);
	store_close(rd);
	/* a savepoint needs a transaction, and they nest only so deep */
	assert_int_equal(store_savepoint(s), CBEC_EINVAL);
	assert_int_equal(store_begin(s), 0);
	for (int i = 0; i < STORE_SAVEPOINTS; i++)
		assert_int_equal(store_savepoint(s), 0);
	assert_int_equal(store_savepoint(s), CBEC_EINVAL);
	assert_int_equal(store_rollback(s), 0);
	/* kept on disk */
	store_close(f->s);
	assert_int_equal(store_open(f->url, false, &f->s, err, sizeof err), 0);
	assert_int_equal(store_counts(f->s, &k), 0);
	assert_int_equal(k.messages, 3);
	assert_int_equal(k.rejected_messages, 1);
}

/* A store from before the totals gets them counted when it is opened. */
static void test_migrate_tally(void **state)
{
	struct fx *f = *state;
	struct store *s = f->s;
	put_msg(s, "TM-1", 1);
	put_msg(s, "TM-2", 0);
	put_doc(s, 621, "TM|1", NULL, "tmg", DOC_WAITING, 0, 1, NULL);
	struct store_receipt r = {.recipient = "X", .type = 622, .created = 1, .xml = "<r/>"};
	assert_int_equal(store_receipt_add(s, &r, NULL), 0);
	store_close(f->s);
	f->s = NULL;
	sqlite3 *db;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, UNDO_9 UNDO_8 "DROP TABLE tally; PRAGMA user_version = 4;", NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	char err[256];
	assert_int_equal(store_open(f->url, false, &f->s, err, sizeof err), 0);
	struct store_counts k;
	assert_int_equal(store_counts(f->s, &k), 0);
	assert_int_equal(k.messages, 2);
	assert_int_equal(k.rejected_messages, 1);
	assert_int_equal(k.documents, 1);
	assert_int_equal(k.receipts, 1);
}

/* Runs first: SQLite takes process-wide settings only before its first use. With memory
 * statistics off (no global mutex around SQLite's allocations) it counts nothing. */
static void test_sqlite_setup(void **state)
{
	(void)state;
	store_sqlite_setup();
	store_sqlite_setup(); /* idempotent */
	sqlite3 *db;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES(randomblob(100000));",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	assert_true(sqlite3_memory_used() == 0);
	sqlite3_close(db);
}

static int file_page_size(const char *path)
{
	sqlite3 *db;
	sqlite3_stmt *q;
	int n = -1;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA page_size", -1, &q, NULL), SQLITE_OK);
	if (sqlite3_step(q) == SQLITE_ROW)
		n = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return n;
}

/* A new store is made with 8 KiB pages; one made before keeps its 4 KiB pages, and the WAL's
 * size the writer goes by (store_log_bytes) counts its frames at the store's own page size. */
static void test_sqlite_page_size(void **state)
{
	struct fx *f = *state;
	assert_int_equal(file_page_size(f->path), 8192);
	char old[300], url[320], err[256];
	snprintf(old, sizeof old, "%s.4k", f->path);
	tu_rm_sqlite(old);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(old, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA page_size = 4096; PRAGMA journal_mode = WAL;"
				      " CREATE TABLE t(x);",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	snprintf(url, sizeof url, "sqlite:%s", old);
	struct store *s = NULL;
	assert_int_equal(store_open(url, false, &s, err, sizeof err), 0);
	assert_int_equal(store_checkpoint(s, false), 0);
	assert_int_equal(store_log_bytes(s), 0);
	char body[3000];
	memset(body, 'y', sizeof body);
	int64_t bytes[2];
	struct store *both[2] = {s, f->s};
	for (int k = 0; k < 2; k++) {
		assert_int_equal(store_checkpoint(both[k], false), 0);
		assert_int_equal(store_begin(both[k]), 0);
		struct store_msg m = {.guid = "page-size", .type = 311, .sender = "E", .received = 1,
				      .verdict = 1, .answer = "a", .body = body, .body_len = sizeof body};
		assert_int_equal(store_msg_put(both[k], &m, NULL), 0);
		assert_int_equal(store_commit(both[k]), 0);
		bytes[k] = store_log_bytes(both[k]);
	}
	/* the WAL's frames (as SQLite counts them) at each store's own page size */
	const char *paths[2] = {old, f->path};
	const int64_t page[2] = {4096, 8192};
	for (int k = 0; k < 2; k++) {
		int log = -1, done = -1;
		assert_int_equal(sqlite3_open(paths[k], &db), SQLITE_OK);
		/* a read first: a connection learns the store is in WAL mode when it opens it */
		assert_int_equal(sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL),
				 SQLITE_OK);
		assert_int_equal(sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &done),
				 SQLITE_OK);
		sqlite3_close(db);
		assert_true(log > 0);
		assert_int_equal(bytes[k], log * page[k]);
	}
	store_close(s);
	assert_int_equal(file_page_size(old), 4096);
	tu_rm_sqlite(old);
}

static void test_bad_url(void **state)
{
	(void)state;
	struct store *s;
	char err[256] = "";
	assert_int_equal(store_open("mysql://x/y", false, &s, err, sizeof err), CBEC_EINVAL);
	assert_non_null(strstr(err, "unsupported"));
	assert_int_equal(store_open("postgresql://127.0.0.1:1/none?connect_timeout=2", false, &s,
				    err, sizeof err),
			 CBEC_ESTORE);
	assert_true(err[0] != '\0');
}

/* The writer's checkpoint empties SQLite's WAL even while a reader connection is open (the
 * WAL grew to 19 GB in a festival-day run before the writer checkpointed); on PostgreSQL it
 * is a no-op that succeeds. */
static void *sync_loop(void *arg)
{
	struct store *s = arg;
	for (int i = 0; i < 50; i++)
		if (store_sync(s) != 0)
			return (void *)1;
	return NULL;
}

/* Deferred durability: SQLite commits into its WAL and store_sync flushes it, from another
 * thread while the writer goes on; a server store keeps each commit durable by itself. */
static void test_deferred_sync(void **state)
{
	struct fx *f = *state;
	if (f->pg) {
		assert_int_equal(store_defer_sync(f->s), CBEC_EINVAL);
		assert_int_equal(store_sync(f->s), 0);
		assert_int_equal(store_log_bytes(f->s), 0);
		assert_int_equal(store_space_left(f->s), -1);
		return;
	}
	assert_true(store_space_left(f->s) > 0);
	assert_int_equal(store_sync(f->s), 0); /* before: nothing to flush, no error */
	assert_int_equal(store_defer_sync(f->s), 0);
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, sync_loop, f->s), 0);
	for (int b = 0; b < 20; b++) {
		assert_int_equal(store_begin(f->s), 0);
		char guid[64];
		snprintf(guid, sizeof guid, "deferred-%d", b);
		struct store_msg m = {.guid = guid, .type = 311, .sender = "E", .received = b, .verdict = 1,
				      .answer = "a", .body = "<x/>", .body_len = 4};
		assert_int_equal(store_msg_put(f->s, &m, NULL), 0);
		assert_int_equal(store_commit(f->s), 0);
		assert_true(store_log_bytes(f->s) > 0); /* the WAL holds the commit */
		if (b == 10) {
			assert_int_equal(store_checkpoint(f->s, false), 0);
			assert_int_equal(store_log_bytes(f->s), 0);
		}
	}
	void *res;
	pthread_join(t, &res);
	assert_null(res);
	assert_int_equal(store_sync(f->s), 0);
	/* everything committed is there for a new connection */
	struct store *r = NULL;
	char err[256];
	assert_int_equal(store_open(f->url, true, &r, err, sizeof err), 0);
	struct store_msg got;
	assert_int_equal(store_msg_get(r, "deferred-19", false, &got), 0);
	store_msg_clear(&got);
	/* a read-only connection cannot defer anything */
	assert_int_equal(store_defer_sync(r), CBEC_EINVAL);
	store_close(r);
}

static void test_checkpoint(void **state)
{
	struct fx *f = *state;
	struct store *reader = NULL;
	char err[256];
	assert_int_equal(store_open(f->url, true, &reader, err, sizeof err), 0);
	char body[2048];
	memset(body, 'x', sizeof body);
	assert_int_equal(store_begin(f->s), 0);
	for (int i = 0; i < 200; i++) {
		char guid[64];
		snprintf(guid, sizeof guid, "checkpoint-%d", i);
		struct store_msg m = {.guid = guid, .type = 311, .sender = "E", .received = i, .verdict = 1,
				      .answer = "a", .body = body, .body_len = sizeof body};
		assert_int_equal(store_msg_put(f->s, &m, NULL), 0);
	}
	assert_int_equal(store_commit(f->s), 0);
	struct store_msg got;
	assert_int_equal(store_msg_get(reader, "checkpoint-7", false, &got), 0); /* reader in use */
	store_msg_clear(&got);
	/* started over, its file kept: the next commit writes over the pages it has */
	char wal[300];
	snprintf(wal, sizeof wal, "%s-wal", f->path);
	struct stat st;
	assert_int_equal(store_checkpoint(f->s, false), 0);
	assert_int_equal(store_log_bytes(f->s), 0);
	off_t kept = 0;
	if (!f->pg) {
		assert_int_equal(stat(wal, &st), 0);
		kept = st.st_size;
		assert_true(kept > 200 * 2048);
	}
	assert_int_equal(store_begin(f->s), 0);
	struct store_msg one = {.guid = "checkpoint-after", .type = 311, .sender = "E", .received = 1,
				.verdict = 1, .answer = "a", .body = body, .body_len = sizeof body};
	assert_int_equal(store_msg_put(f->s, &one, NULL), 0);
	assert_int_equal(store_commit(f->s), 0);
	if (!f->pg) {
		assert_int_equal(stat(wal, &st), 0);
		assert_int_equal(st.st_size, kept); /* written from its start, not appended */
		assert_true(store_log_bytes(f->s) > 0 && store_log_bytes(f->s) < kept / 10);
	}
	/* shrunk: the file's space back to the disk */
	assert_int_equal(store_checkpoint(f->s, true), 0);
	if (!f->pg)
		assert_true(stat(wal, &st) != 0 || st.st_size == 0);
	assert_int_equal(store_msg_get(reader, "checkpoint-199", false, &got), 0);
	store_msg_clear(&got);
	assert_int_equal(store_msg_get(reader, "checkpoint-after", false, &got), 0);
	store_msg_clear(&got);
	store_close(reader);
}

/* The checkpointer beside the writer (its own connection): copies the WAL back and starts
 * it over while the writer goes on; nothing committed is lost. */
static void *aside_loop(void *arg)
{
	for (int i = 0; i < 100; i++)
		if (store_checkpoint_aside(arg, 0) != 0)
			return (void *)1;
	return NULL;
}

static void test_checkpoint_aside(void **state)
{
	struct fx *f = *state;
	struct store *c = NULL;
	char err[256];
	assert_int_equal(store_open(f->url, false, &c, err, sizeof err), 0);
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, aside_loop, c), 0);
	char body[2048];
	memset(body, 'y', sizeof body);
	for (int b = 0; b < 100; b++) {
		assert_int_equal(store_begin(f->s), 0);
		char guid[64];
		snprintf(guid, sizeof guid, "aside-%d", b);
		struct store_msg m = {.guid = guid, .type = 311, .sender = "E", .received = b, .verdict = 1,
				      .answer = "a", .body = body, .body_len = sizeof body};
		assert_int_equal(store_msg_put(f->s, &m, NULL), 0);
		assert_int_equal(store_commit(f->s), 0);
	}
	void *res;
	pthread_join(t, &res);
	assert_null(res);
	/* all copied: the writer's next commit starts the WAL over, so it holds only that one */
	assert_int_equal(store_checkpoint_aside(c, 0), 0);
	assert_int_equal(store_begin(f->s), 0);
	struct store_msg m = {.guid = "aside-last", .type = 311, .sender = "E", .received = 1,
			      .verdict = 1, .answer = "a", .body = "<x/>", .body_len = 4};
	assert_int_equal(store_msg_put(f->s, &m, NULL), 0);
	assert_int_equal(store_commit(f->s), 0);
	if (!f->pg)
		assert_true(store_log_bytes(f->s) > 0 && store_log_bytes(f->s) <= 8 * 8192);
	store_close(c);
	struct store *r = NULL;
	assert_int_equal(store_open(f->url, true, &r, err, sizeof err), 0);
	for (int b = 0; b < 100; b++) {
		char guid[64];
		snprintf(guid, sizeof guid, "aside-%d", b);
		struct store_msg got;
		assert_int_equal(store_msg_get(r, guid, false, &got), 0);
		assert_int_equal(got.received, b);
		store_msg_clear(&got);
	}
	store_close(r);
}

/* A reader in the middle of a long read when the checkpointer would start the log over:
 * the checkpointer gives up for this round at once (it would otherwise hold the writer off
 * for as long as the read lasts, up to the 10 s busy limit), and nothing is lost. */
struct long_read {
	struct store *aside;
	double took;
	int rc, rows;
};

static double mono_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int during_read(void *ctx, const struct store_receipt *r)
{
	(void)r;
	struct long_read *lr = ctx;
	if (lr->rows++ == 0) {
		double t0 = mono_s();
		lr->rc = store_checkpoint_aside(lr->aside, 0);
		lr->took = mono_s() - t0;
	}
	return 0;
}

static void test_checkpoint_aside_reader(void **state)
{
	struct fx *f = *state;
	if (f->pg)
		return;
	char err[256];
	struct store *c = NULL, *r = NULL;
	assert_int_equal(store_open(f->url, false, &c, err, sizeof err), 0);
	assert_int_equal(store_open(f->url, true, &r, err, sizeof err), 0);
	assert_int_equal(store_begin(f->s), 0);
	for (int i = 0; i < 3; i++) {
		struct store_receipt rc = {.recipient = "LR", .type = 622, .doc_kind = 621, .doc_key = "K",
					   .status = "2", .created = i, .xml = "<r/>"};
		assert_int_equal(store_receipt_add(f->s, &rc, NULL), 0);
	}
	assert_int_equal(store_commit(f->s), 0);
	struct long_read lr = {c, 0, -1, 0};
	assert_int_equal(store_receipts_after(r, "LR", 0, 10, during_read, &lr), 0);
	assert_int_equal(lr.rows, 3);
	assert_int_equal(lr.rc, 0);
	assert_true(lr.took < 5.0); /* a liveness bound (gave up), not a speed figure */
	/* the read over, the next round starts the log over */
	assert_int_equal(store_checkpoint_aside(c, 0), 0);
	assert_int_equal(store_begin(f->s), 0);
	struct store_receipt rc = {.recipient = "LR", .type = 622, .created = 9, .xml = "<r/>"};
	assert_int_equal(store_receipt_add(f->s, &rc, NULL), 0);
	assert_int_equal(store_commit(f->s), 0);
	assert_true(store_log_bytes(f->s) <= 8 * 8192);
	struct rlist l = {0};
	assert_int_equal(store_receipts_after(r, "LR", 0, 10, collect_receipt, &l), 0);
	assert_int_equal(l.n, 4);
	store_close(r);
	store_close(c);
}

/* ---- the 1210 bonded account ---- */

struct bitems {
	int n;
	char key[8][64];
	int64_t avail[8];
};

static int collect_item(void *ctx, const struct store_bonded_item *it)
{
	struct bitems *b = ctx;
	if (b->n < 8) {
		snprintf(b->key[b->n], sizeof b->key[b->n], "%s/%s/%s", it->ems_no, it->item_no, it->owner);
		b->avail[b->n] = it->balance - it->reserved - it->committed;
		b->n++;
	}
	return 0;
}

static int collect_move(void *ctx, const struct store_bonded_move *m)
{
	struct bitems *b = ctx;
	if (b->n < 8) {
		snprintf(b->key[b->n], sizeof b->key[b->n], "%d %lld %s %s", m->op, (long long)m->qty,
			 m->doc ? m->doc : "-", m->reason ? m->reason : "-");
		b->avail[b->n] = m->at;
		b->n++;
	}
	return 0;
}

static int collect_bhold(void *ctx, const struct store_bonded_hold *h)
{
	struct bitems *b = ctx;
	if (b->n < 8) {
		snprintf(b->key[b->n], sizeof b->key[b->n], "%lld/%d %s/%s q%lld d%lld b%lld s%d",
			 (long long)h->list_id, h->gnum, h->ems_no, h->item_no, (long long)h->qty,
			 (long long)h->decl_qty, (long long)h->back, h->state);
		b->n++;
	}
	return 0;
}

static void test_bonded(void **state)
{
	struct store *s = S(state);
	struct store_bonded_item it;
	assert_int_equal(store_bonded_get(s, "EMS1", "ITEM1", &it), CBEC_ENOTFOUND);
	assert_int_equal(store_begin(s), 0);
	struct store_bonded_item rec = {"EMS1", "ITEM1", "WH01", "3304990099", "保湿面霜", "035", 0, 0, 0, 1000};
	assert_int_equal(store_bonded_create(s, &rec), 0);
	assert_int_equal(store_bonded_create(s, &rec), CBEC_EEXIST);
	struct store_bonded_item rec2 = {"EMS1", "ITEM0", "WH01", "9617001100", "不锈钢保温杯", "007", 5, 0, 0, 1000};
	assert_int_equal(store_bonded_create(s, &rec2), 0);
	struct store_bonded_item rec3 = {"EMS2", "ITEM1", "WH02", "9617001100", "杯", "007", 0, 0, 0, 1000};
	assert_int_equal(store_bonded_create(s, &rec3), 0);
	/* 123456789.12345 in, 0.00001 steps kept exactly; each movement applies itself to the
	 * figures: credit, reserve, release, debit */
	struct store_bonded_move mv = {0, "EMS1", "ITEM1", 1, 12345678912345, "ENTRY-1", "stock-in", 2000};
	assert_int_equal(store_bonded_move_add(s, &mv), 0);
	struct store_bonded_move other = {0, "EMS1", "ITEM0", 1, 7, "ENTRY-2", "stock-in", 3000};
	assert_int_equal(store_bonded_move_add(s, &other), 0); /* another item's, between */
	struct store_bonded_move res = {0, "EMS1", "ITEM1", 2, 16000, "EBP|ORD1", "reserve", 3000};
	assert_int_equal(store_bonded_move_add(s, &res), 0);
	struct store_bonded_move rel = {0, "EMS1", "ITEM1", 3, 6000, "EBP|ORD1", "release", 3500};
	assert_int_equal(store_bonded_move_add(s, &rel), 0);
	struct store_bonded_move mv2 = {0, "EMS1", "ITEM1", 4, 4000, "EBP|ORD1", NULL, 4000};
	assert_int_equal(store_bonded_move_add(s, &mv2), 0);
	/* and the figures alone */
	assert_int_equal(store_bonded_add(s, "EMS1", "ITEM0", 3, 2, 1, 3000), 0);
	struct store_bonded_entry e = {"EMS1", "ENTRY-1", "ITEM1", "WH01", 12345678912345, 2000};
	assert_int_equal(store_bonded_entry_put(s, &e), 0);
	assert_int_equal(store_bonded_entry_put(s, &e), CBEC_EEXIST);
	struct store_bonded_hold h = {77, 1, "EMS1", "ITEM1", 10000, 200000, 0, 1};
	assert_int_equal(store_bonded_hold_put(s, &h), 0);
	h.state = 2;
	h.back = 5000;
	assert_int_equal(store_bonded_hold_put(s, &h), 0); /* replaced, not added */
	struct store_bonded_hold h2 = {77, 2, "EMS1", "ITEM0", 100000, 100000, 0, 1};
	assert_int_equal(store_bonded_hold_put(s, &h2), 0);
	assert_int_equal(store_commit(s), 0);

	assert_int_equal(store_bonded_get(s, "EMS1", "ITEM1", &it), 0);
	assert_string_equal(it.owner, "WH01");
	assert_string_equal(it.gcode, "3304990099");
	assert_string_equal(it.gname, "保湿面霜");
	assert_string_equal(it.unit, "035");
	assert_int_equal(it.balance, 12345678912345);
	assert_int_equal(it.reserved, 6000);
	assert_int_equal(it.committed, 4000);
	assert_int_equal(it.updated, 4000);
	store_bonded_item_clear(&it);

	struct bitems b = {0};
	assert_int_equal(store_bonded_each(s, "EMS1", collect_item, &b), 0);
	assert_int_equal(b.n, 2);
	assert_string_equal(b.key[0], "EMS1/ITEM0/WH01"); /* by item */
	assert_string_equal(b.key[1], "EMS1/ITEM1/WH01");
	assert_int_equal(b.avail[1], 12345678912345 - 10000);
	memset(&b, 0, sizeof b);
	assert_int_equal(store_bonded_each(s, NULL, collect_item, &b), 0);
	assert_int_equal(b.n, 3);
	assert_string_equal(b.key[2], "EMS2/ITEM1/WH02");
	memset(&b, 0, sizeof b);
	assert_int_equal(store_bonded_each(s, "EMS9", collect_item, &b), 0);
	assert_int_equal(b.n, 0);
	/* the keeper: the owner of the first record by item number */
	char *keeper = NULL;
	assert_int_equal(store_bonded_keeper(s, "EMS9", &keeper), CBEC_ENOTFOUND);
	assert_null(keeper);
	assert_int_equal(store_bonded_keeper(s, "EMS2", &keeper), 0);
	assert_string_equal(keeper, "WH02");
	free(keeper);
	struct store_bonded_item rec4 = {"EMS2", "ITEM0", "WH09", "9617001100", "杯", "007", 0, 0, 0, 1000};
	assert_int_equal(store_bonded_create(s, &rec4), 0);
	assert_int_equal(store_bonded_keeper(s, "EMS2", &keeper), 0);
	assert_string_equal(keeper, "WH09");
	free(keeper);

	memset(&b, 0, sizeof b);
	assert_int_equal(store_bonded_moves_of(s, "EMS1", "ITEM1", collect_move, &b), 0);
	assert_int_equal(b.n, 4);
	assert_string_equal(b.key[0], "1 12345678912345 ENTRY-1 stock-in");
	assert_string_equal(b.key[1], "2 16000 EBP|ORD1 reserve");
	assert_string_equal(b.key[2], "3 6000 EBP|ORD1 release");
	assert_string_equal(b.key[3], "4 4000 EBP|ORD1 -");
	assert_int_equal(b.avail[3], 4000);
	memset(&b, 0, sizeof b);
	assert_int_equal(store_bonded_moves_of(s, "EMS1", "ITEM0", collect_move, &b), 0);
	assert_int_equal(b.n, 1);
	assert_string_equal(b.key[0], "1 7 ENTRY-2 stock-in");
	memset(&b, 0, sizeof b);
	assert_int_equal(store_bonded_moves_of(s, "EMS2", "ITEM1", collect_move, &b), 0);
	assert_int_equal(b.n, 0);
	assert_int_equal(store_bonded_moves_of(s, "EMS9", "ITEM1", collect_move, &b), 0);
	assert_int_equal(b.n, 0);

	struct store_bonded_entry got;
	assert_int_equal(store_bonded_entry_get(s, "EMS1", "ENTRY-1", "ITEM1", &got), 0);
	assert_string_equal(got.owner, "WH01");
	assert_int_equal(got.qty, 12345678912345);
	store_bonded_entry_clear(&got);
	assert_int_equal(store_bonded_entry_get(s, "EMS1", "ENTRY-1", "ITEM0", &got), CBEC_ENOTFOUND);

	memset(&b, 0, sizeof b);
	assert_int_equal(store_bonded_holds_of(s, 77, collect_bhold, &b), 0);
	assert_int_equal(b.n, 2);
	assert_string_equal(b.key[0], "77/1 EMS1/ITEM1 q10000 d200000 b5000 s2");
	assert_string_equal(b.key[1], "77/2 EMS1/ITEM0 q100000 d100000 b0 s1");
	memset(&b, 0, sizeof b);
	assert_int_equal(store_bonded_holds_of(s, 78, collect_bhold, &b), 0);
	assert_int_equal(b.n, 0);

	/* B-04 holds in the store too: a write that would leave the record below zero fails,
	 * inside a savepoint, and is undone alone */
	assert_int_equal(store_begin(s), 0);
	assert_int_equal(store_savepoint(s), 0);
	int rc = store_bonded_add(s, "EMS1", "ITEM0", 0, 6 * 100000, 0, 5000);
	if (rc)
		assert_int_equal(store_rollback_to(s), 0);
	else
		assert_int_equal(store_release(s), CBEC_ESTORE);
	/* a movement too: releasing more than is reserved leaves neither figures nor line */
	assert_int_equal(store_savepoint(s), 0);
	struct store_bonded_move over = {0, "EMS1", "ITEM0", 3, 5, "EBP|ORD2", "release", 5000};
	rc = store_bonded_move_add(s, &over);
	if (rc)
		assert_int_equal(store_rollback_to(s), 0);
	else
		assert_int_equal(store_release(s), CBEC_ESTORE);
	assert_int_equal(store_commit(s), 0);
	assert_int_equal(store_bonded_get(s, "EMS1", "ITEM0", &it), 0);
	assert_int_equal(it.balance, 5 + 7 + 3);
	assert_int_equal(it.reserved, 2);
	assert_int_equal(it.committed, 1);
	store_bonded_item_clear(&it);
	memset(&b, 0, sizeof b);
	assert_int_equal(store_bonded_moves_of(s, "EMS1", "ITEM0", collect_move, &b), 0);
	assert_int_equal(b.n, 1);
}

struct slists {
	int n;
	char key[8][48];
};

static int collect_slist(void *ctx, const struct store_summary_list *l)
{
	struct slists *c = ctx;
	if (c->n == 8)
		return -1;
	snprintf(c->key[c->n++], sizeof c->key[0], "%lld/%lld %s", (long long)l->summary_id,
		 (long long)l->list_id, l->invt_no);
	return 0;
}

static int collect_summary(void *ctx, const struct store_summary *sm)
{
	struct slists *c = ctx;
	if (c->n == 8)
		return -1;
	snprintf(c->key[c->n++], sizeof c->key[0], "%lld %s %s %s", (long long)sm->id, sm->owner,
		 sm->period, store_summary_state_name(sm->state));
	return 0;
}

/* Export summaries: rows, state changes, and a list in at most one summary (the store's
 * own key refuses a second, whatever the caller checked before). */
/* A store made before an item's movements were chained (schema 7: found by an index) is
 * brought up to date when opened: each item lists its movements, in order, and the ones
 * made after go on the same chain. */
static void test_migrate_bonded_chain(void **state)
{
	struct fx *f = *state;
	struct store *s = f->s;
	struct store_bonded_item a = {"EMS1", "A", "WH01", "3304990099", "面霜", "035", 0, 0, 0, 1};
	struct store_bonded_item b = {"EMS1", "B", "WH01", "3304990099", "面霜", "035", 0, 0, 0, 1};
	assert_int_equal(store_bonded_create(s, &a), 0);
	assert_int_equal(store_bonded_create(s, &b), 0);
	for (int i = 1; i <= 5; i++) {
		struct store_bonded_move mv = {0, "EMS1", i % 2 ? "A" : "B", 1, i, "E", NULL, i};
		assert_int_equal(store_bonded_move_add(s, &mv), 0);
	}
	store_close(f->s);
	f->s = NULL;
	sqlite3 *db;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, UNDO_9 UNDO_8 "PRAGMA user_version = 7;", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	char err[256];
	assert_int_equal(store_open(f->url, false, &f->s, err, sizeof err), 0);
	struct store_bonded_move mv = {0, "EMS1", "A", 1, 6, "E", NULL, 6};
	assert_int_equal(store_bonded_move_add(f->s, &mv), 0);
	struct bitems got = {0};
	assert_int_equal(store_bonded_moves_of(f->s, "EMS1", "A", collect_move, &got), 0);
	assert_int_equal(got.n, 4);
	for (int i = 0; i < 4; i++)
		assert_int_equal(got.avail[i], 2 * i + 1 - (i == 3));
	memset(&got, 0, sizeof got);
	assert_int_equal(store_bonded_moves_of(f->s, "EMS1", "B", collect_move, &got), 0);
	assert_int_equal(got.n, 2);
	assert_int_equal(got.avail[0], 2);
	assert_int_equal(got.avail[1], 4);
	/* the migrated store's movements apply themselves to the figures (migration 11) */
	struct store_bonded_item it;
	assert_int_equal(store_bonded_get(f->s, "EMS1", "A", &it), 0);
	assert_int_equal(it.balance, 1 + 3 + 5 + 6);
	assert_int_equal(it.updated, 6);
	store_bonded_item_clear(&it);
}

/* Messages by guid on SQLite (store_sqlite_guid.c), with runs of 100 so that many are
 * frozen and folded into msg_guid: every message is found with its id whichever run or the
 * index holds it, and its guid refused again; what a transaction or savepoint undid is not
 * found; the cursors say exactly what msg_guid holds; a store opened again, a read-only
 * connection and a second writer find the same. */
static int64_t sql_int(sqlite3 *db, const char *q)
{
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, q, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void guid_n(int i, char *g, size_t n)
{
	snprintf(g, n, "R-%06d", (int)((unsigned)i * 7919u % 100003u)); /* scattered */
}

static void check_all(struct store *s, int n, const int64_t *ids)
{
	char g[32];
	for (int i = 0; i < n; i++) {
		struct store_msg m;
		guid_n(i, g, sizeof g);
		assert_int_equal(store_msg_get(s, g, false, &m), 0);
		assert_int_equal(m.id, ids[i]);
		assert_string_equal(m.guid, g);
		store_msg_clear(&m);
	}
}

static void test_guid_runs(void **state)
{
	struct fx *f = *state;
	/* a filter made after 20 look-ups of msg_guid, for 64 guids at first: it fills, and is
	 * made again larger, many times */
	store_sqlite_guid_tune(100, 8, 64, 20);
	enum { N = 1000 };
	int64_t *ids = calloc(N, sizeof *ids);
	char g[32];
	for (int t = 0; t < N / 10; t++) {
		assert_int_equal(store_begin(f->s), 0);
		for (int i = t * 10; i < t * 10 + 10; i++) {
			struct store_msg m;
			guid_n(i, g, sizeof g);
			assert_int_equal(store_msg_get(f->s, g, false, &m), CBEC_ENOTFOUND);
			ids[i] = put_msg(f->s, g, 1);
		}
		assert_int_equal(store_commit(f->s), 0);
	}
	/* the new guids were looked up in msg_guid hardly ever: the filter answered */
	uint64_t probed, spared;
	store_guid_stats(f->s, &probed, &spared);
	assert_true(spared > N * 8 / 10);
	assert_true(probed < N / 10);
	check_all(f->s, N, ids); /* and no guid in msg_guid is missed by it */
	uint64_t probed2, spared2;
	store_guid_stats(f->s, &probed2, &spared2);
	assert_true(probed2 > probed); /* those it holds are looked up */
	struct store_msg dup = {.guid = g, .type = 311, .received = 1, .verdict = 1};
	for (int i = 0; i < N; i += 97) {
		guid_n(i, g, sizeof g);
		assert_int_equal(store_msg_put(f->s, &dup, NULL), CBEC_ESTORE);
	}
	/* undone: a transaction, and a savepoint in one that commits */
	struct store_msg m;
	assert_int_equal(store_begin(f->s), 0);
	put_msg(f->s, "U-1", 1);
	assert_int_equal(store_rollback(f->s), 0);
	assert_int_equal(store_msg_get(f->s, "U-1", false, &m), CBEC_ENOTFOUND);
	assert_int_equal(store_begin(f->s), 0);
	int64_t s1 = put_msg(f->s, "S-1", 1);
	assert_int_equal(store_savepoint(f->s), 0);
	put_msg(f->s, "S-2", 1);
	assert_int_equal(store_rollback_to(f->s), 0);
	assert_int_equal(store_commit(f->s), 0);
	assert_int_equal(store_msg_get(f->s, "S-2", false, &m), CBEC_ENOTFOUND);
	assert_int_equal(store_msg_get(f->s, "S-1", false, &m), 0);
	assert_int_equal(m.id, s1);
	store_msg_clear(&m);
	int64_t u1 = put_msg(f->s, "U-1", 1); /* the undone guids may come again */
	put_msg(f->s, "S-2", 1);

	/* on disk: every message up to lo in msg_guid, and pos of the frozen run (lo, hi] */
	sqlite3 *db;
	assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	int64_t lo = sql_int(db, "SELECT value FROM cursor WHERE name = 'msg_guid_lo'");
	int64_t hi = sql_int(db, "SELECT value FROM cursor WHERE name = 'msg_guid_hi'");
	int64_t pos = sql_int(db, "SELECT value FROM cursor WHERE name = 'msg_guid_pos'");
	assert_true(lo >= 800 && hi > lo); /* runs of 100 were folded all along */
	assert_int_equal(sql_int(db, "SELECT count(*) FROM msg_guid g JOIN msg m ON m.id = g.id"
				     " AND m.guid = g.guid WHERE g.id <= (SELECT value FROM cursor"
				     " WHERE name = 'msg_guid_lo')"),
			 lo);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM msg_guid WHERE id > (SELECT value FROM"
				     " cursor WHERE name = 'msg_guid_lo')"),
			 pos);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM msg_guid WHERE id > (SELECT value FROM"
				     " cursor WHERE name = 'msg_guid_hi')"),
			 0);
	sqlite3_close(db);

	/* opened again: the runs read back from the table */
	store_close(f->s);
	char err[256];
	assert_int_equal(store_open(f->url, false, &f->s, err, sizeof err), 0);
	check_all(f->s, N, ids);
	assert_int_equal(store_msg_get(f->s, "U-1", false, &m), 0);
	assert_int_equal(m.id, u1);
	store_msg_clear(&m);
	guid_n(5, g, sizeof g);
	assert_int_equal(store_msg_put(f->s, &dup, NULL), CBEC_ESTORE);
	/* read-only: the newest by reading them, the folded ones in msg_guid */
	struct store *ro;
	assert_int_equal(store_open(f->url, true, &ro, err, sizeof err), 0);
	check_all(ro, N, ids);
	assert_int_equal(store_msg_get(ro, "U-1", false, &m), 0);
	store_msg_clear(&m);
	assert_int_equal(store_msg_get(ro, "U-2", false, &m), CBEC_ENOTFOUND);
	store_close(ro);
	/* a second writer's messages: found by the first, and refused to it */
	struct store *w2;
	assert_int_equal(store_open(f->url, false, &w2, err, sizeof err), 0);
	int64_t x = put_msg(w2, "W2-1", 1);
	store_close(w2);
	assert_int_equal(store_msg_get(f->s, "W2-1", false, &m), 0);
	assert_int_equal(m.id, x);
	store_msg_clear(&m);
	dup.guid = "W2-1";
	assert_int_equal(store_msg_put(f->s, &dup, NULL), CBEC_ESTORE);
	store_sqlite_guid_tune(1u << 17, 512, 8u << 20, 4096);
	free(ids);
}

/* A store whose messages were found by a unique index (schema 8) is brought up to date:
 * its messages are found by guid, and their guids refused again. */
static void test_migrate_guid(void **state)
{
	struct fx *f = *state;
	int64_t a = put_msg(f->s, "MG-1", 1);
	int64_t b = put_msg(f->s, "MG-2", 0);
	store_close(f->s);
	f->s = NULL;
	sqlite3 *db;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
				      UNDO_9 "CREATE UNIQUE INDEX msg_guid_unique ON msg(guid);"
				      "PRAGMA user_version = 8;",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	char err[256];
	assert_int_equal(store_open(f->url, false, &f->s, err, sizeof err), 0);
	struct store_msg m;
	assert_int_equal(store_msg_get(f->s, "MG-1", false, &m), 0);
	assert_int_equal(m.id, a);
	store_msg_clear(&m);
	assert_int_equal(store_msg_get(f->s, "MG-2", false, &m), 0);
	assert_int_equal(m.id, b);
	assert_int_equal(m.verdict, 0);
	store_msg_clear(&m);
	struct store_msg dup = {.guid = "MG-2", .type = 311, .received = 1, .verdict = 1};
	assert_int_equal(store_msg_put(f->s, &dup, NULL), CBEC_ESTORE);
	assert_true(put_msg(f->s, "MG-3", 1) > b);
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
				     " AND tbl_name = 'msg'"),
			 0);
	sqlite3_close(db);
}

static void test_summary(void **state)
{
	struct store *s = S(state);
	struct store_summary sm;
	assert_int_equal(store_summary_get(s, 1, &sm), CBEC_ENOTFOUND);
	assert_int_equal(store_begin(s), 0);
	struct store_summary a = {0, 501, "EBC1", "EBC1", "2026-11", 1, 0, STORE_SUMMARY_SENT, NULL,
				  "{\"declarations\":[]}", NULL, 1000, 1000};
	assert_int_equal(store_summary_add(s, &a), 0);
	assert_true(a.id > 0);
	struct store_summary b = {0, 502, "EBC1", "AGENT", "2026-10", 2, 1, STORE_SUMMARY_SENT, NULL, NULL, NULL, 2000, 2000};
	assert_int_equal(store_summary_add(s, &b), 0);
	assert_true(b.id > a.id);
	assert_int_equal(store_summary_list_add(s, a.id, 9001, "INVT-B"), 0);
	assert_int_equal(store_summary_list_add(s, a.id, 9000, "INVT-A"), 0);
	assert_int_equal(store_summary_list_add(s, b.id, 9002, "INVT-C"), 0);
	assert_int_equal(store_summary_update(s, a.id, STORE_SUMMARY_ACCEPTED, "S202611000000001", NULL, 3000), 0);
	assert_int_equal(store_summary_update(s, 999999, STORE_SUMMARY_ACCEPTED, NULL, NULL, 3000), CBEC_ENOTFOUND);
	assert_int_equal(store_commit(s), 0);

	assert_int_equal(store_summary_get(s, a.id, &sm), 0);
	assert_int_equal(sm.doc_id, 501);
	assert_string_equal(sm.ebc, "EBC1");
	assert_string_equal(sm.period, "2026-11");
	assert_int_equal(sm.summary_flag, 1);
	assert_int_equal(sm.item_name_flag, 0);
	assert_int_equal(sm.state, STORE_SUMMARY_ACCEPTED);
	assert_string_equal(sm.sum_no, "S202611000000001");
	assert_string_equal(sm.detail, "{\"declarations\":[]}");
	assert_null(sm.result);
	assert_int_equal(sm.created, 1000);
	assert_int_equal(sm.updated, 3000);
	store_summary_clear(&sm);
	assert_int_equal(store_summary_by_doc(s, 502, &sm), 0);
	assert_int_equal(sm.id, b.id);
	assert_int_equal(sm.summary_flag, 2);
	assert_int_equal(sm.item_name_flag, 1);
	store_summary_clear(&sm);
	assert_int_equal(store_summary_by_doc(s, 503, &sm), CBEC_ENOTFOUND);

	int64_t sid = 0;
	assert_int_equal(store_summary_of_list(s, 9000, &sid), 0);
	assert_int_equal(sid, a.id);
	assert_int_equal(store_summary_of_list(s, 9003, &sid), CBEC_ENOTFOUND);
	struct slists l = {0};
	assert_int_equal(store_summary_lists(s, a.id, collect_slist, &l), 0);
	assert_int_equal(l.n, 2);
	char want[48];
	snprintf(want, sizeof want, "%lld/9000 INVT-A", (long long)a.id); /* by invtNo */
	assert_string_equal(l.key[0], want);
	memset(&l, 0, sizeof l);
	assert_int_equal(store_summary_each(s, "EBC1", collect_summary, &l), 0);
	assert_int_equal(l.n, 1);
	snprintf(want, sizeof want, "%lld EBC1 2026-11 accepted", (long long)a.id);
	assert_string_equal(l.key[0], want);
	memset(&l, 0, sizeof l);
	assert_int_equal(store_summary_each(s, NULL, collect_summary, &l), 0);
	assert_int_equal(l.n, 2); /* newest first */
	snprintf(want, sizeof want, "%lld AGENT 2026-10 sent", (long long)b.id);
	assert_string_equal(l.key[0], want);

	/* a list already in a summary cannot go into another: refused and undone alone */
	assert_int_equal(store_begin(s), 0);
	assert_int_equal(store_savepoint(s), 0);
	int rc = store_summary_list_add(s, b.id, 9000, "INVT-A");
	assert_int_not_equal(rc, 0);
	assert_int_equal(store_rollback_to(s), 0);
	/* nor can a document have two summaries */
	assert_int_equal(store_savepoint(s), 0);
	struct store_summary again = a;
	again.id = 0;
	assert_int_not_equal(store_summary_add(s, &again), 0);
	assert_int_equal(store_rollback_to(s), 0);
	assert_int_equal(store_commit(s), 0);
	assert_int_equal(store_summary_of_list(s, 9000, &sid), 0);
	assert_int_equal(sid, a.id);

	/* refused by customs: the lists are free again, and may join another summary */
	assert_int_equal(store_begin(s), 0);
	assert_int_equal(store_summary_free_lists(s, a.id), 0);
	assert_int_equal(store_summary_update(s, a.id, STORE_SUMMARY_REJECTED, NULL, "[]", 4000), 0);
	assert_int_equal(store_summary_list_add(s, b.id, 9000, "INVT-A"), 0);
	assert_int_equal(store_commit(s), 0);
	assert_int_equal(store_summary_of_list(s, 9000, &sid), 0);
	assert_int_equal(sid, b.id);
	assert_int_equal(store_summary_of_list(s, 9001, &sid), CBEC_ENOTFOUND);
	assert_int_equal(store_summary_get(s, a.id, &sm), 0);
	assert_string_equal(sm.sum_no, "S202611000000001"); /* NULL kept it */
	assert_string_equal(sm.result, "[]");
	assert_string_equal(store_summary_state_name(sm.state), "rejected");
	store_summary_clear(&sm);
}

#define T(prefix, f, setup_fn) {prefix #f, f, setup_fn, teardown, NULL}
/* The match timeout scans the waiting lists in the writer every second: its plan must read
 * them through their partial index, not every list of the kind, whatever is bound (with
 * `state = ?` the plan made without the value reads every list). */
static void test_sqlite_waiting_plan(void **state)
{
	struct fx *f = *state;
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	char q[2048];
	snprintf(q, sizeof q, "EXPLAIN QUERY PLAN %s", store_sqlite_waiting_sql);
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, q, -1, &st, NULL), SQLITE_OK);
	char plan[1024] = "";
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *detail = (const char *)sqlite3_column_text(st, 3);
		strncat(plan, detail ? detail : "", sizeof plan - strlen(plan) - 2);
		strcat(plan, ";");
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	if (!strstr(plan, "INDEX doc_waiting") || strstr(plan, "TEMP B-TREE"))
		fail_msg("the waiting lists' scan: %s", plan);
}

/* A partial index's predicate runs at every insert and update of its table; written as a
 * list of more than two constants (`kind NOT IN (...)`) it had SQLite build a temporary
 * table of the list at every run of the writer's insert of a document. No insert into
 * any table of the schema may open one. */
static void test_sqlite_inserts_build_no_table(void **state)
{
	struct fx *f = *state;
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *tables = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table'"
					    " AND name NOT LIKE 'sqlite_%'", -1, &tables, NULL),
			 SQLITE_OK);
	int checked = 0;
	while (sqlite3_step(tables) == SQLITE_ROW) {
		char q[256];
		snprintf(q, sizeof q, "EXPLAIN INSERT INTO \"%s\" DEFAULT VALUES",
			 (const char *)sqlite3_column_text(tables, 0));
		sqlite3_stmt *st = NULL;
		assert_int_equal(sqlite3_prepare_v2(db, q, -1, &st, NULL), SQLITE_OK);
		while (sqlite3_step(st) == SQLITE_ROW)
			if (!strcmp((const char *)sqlite3_column_text(st, 1), "OpenEphemeral"))
				fail_msg("%s opens a temporary table", q);
		sqlite3_finalize(st);
		checked++;
	}
	sqlite3_finalize(tables);
	sqlite3_close(db);
	assert_true(checked >= 10);
}

static int count_doc(void *ctx, const struct store_doc *d)
{
	(void)d;
	++*(int *)ctx;
	return 0;
}

/* Rows the server fetched from doc (sequential and index scans) and the rows inserted,
 * once the store's connection has ended (a backend reports its counts as it exits). */
static void table_reads(const char *url, const char *table, long long *fetched, long long *inserted)
{
	*fetched = *inserted = -1;
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT n_tup_ins, coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0)"
		 " FROM pg_stat_user_tables WHERE relname = '%s'", table);
	for (int tries = 0; tries < 100; tries++) {
		PGconn *c = PQconnectdb(url);
		PGresult *r = PQexec(c, sql);
		if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
			*inserted = atoll(PQgetvalue(r, 0, 0));
			*fetched = atoll(PQgetvalue(r, 0, 1));
		}
		PQclear(r);
		PQfinish(c);
		if (*inserted >= 3000)
			return;
		struct timespec ts = {0, 50 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
}

/* PostgreSQL keeps one generic plan for each of the writer's prepared statements, made when
 * they first ran: on a new store, with the tables empty. The document look-ups must still
 * read only the rows they want once the table has grown: such a plan took the (kind, link)
 * index for `kind = $1 AND key = $2` and read every document of the kind at each look-up,
 * and the waiting lists' scan read all lists. Counted by the server. */
static void test_pg_lookup_plans(void **state)
{
	struct fx *f = *state;
	struct store *s = f->s;
	struct store_doc d;
	int n = 0;
	for (int i = 0; i < 8; i++) { /* past the five custom plans, on the empty table */
		assert_int_equal(store_doc_get(s, 621, "none", &d), CBEC_ENOTFOUND);
		assert_int_equal(store_doc_by_link(s, 621, "none", &d), CBEC_ENOTFOUND);
		assert_int_equal(store_doc_by_ref(s, 621, "none", &d), CBEC_ENOTFOUND);
		assert_int_equal(store_doc_by_guid(s, "none", &d), CBEC_ENOTFOUND);
		assert_int_equal(store_doc_each_stale(s, 621, DOC_WAITING, 100, count_doc, &n), 0);
		const struct store_probe none = {621, "none", NULL}, guid = {0, "none", NULL};
		const struct store_probe rcpt = {621, "none", "120"};
		const struct store_ahead q = {&none, 1, &none, 1, &guid, 1, &guid, 1, &rcpt, 1};
		bool seen;
		assert_int_equal(store_receipt_exists(s, 621, "none", 0, "120", &seen), 0);
		assert_false(seen);
		assert_int_equal(store_begin(s), 0);
		assert_int_equal(store_read_ahead(s, &q), 0);
		assert_int_equal(store_rollback(s), 0);
	}
	assert_int_equal(n, 0);
	assert_int_equal(store_begin(s), 0);
	for (int i = 0; i < 3000; i++) {
		char key[32], link[32], ref[32], guid[32];
		snprintf(key, sizeof key, "E|%d", i);
		snprintf(link, sizeof link, "L%d", i);
		snprintf(ref, sizeof ref, "R%d", i);
		snprintf(guid, sizeof guid, "G%d", i);
		struct store_doc nd = {
			.kind = 621, .key = key, .link = link, .ref = ref, .owner = "1234564TST", .guid = guid,
			.app_time = "20240520120000", .state = i % 300 ? DOC_RELEASED : DOC_WAITING,
			.updated = 10, .body = "<a/>", .body_len = 4,
		};
		assert_int_equal(store_doc_put(s, &nd), 0);
		struct store_receipt r = {.recipient = "1234564TST", .type = 622, .doc_kind = 621,
					  .doc_key = key, .status = "120", .created = 10, .xml = "<r/>"};
		int64_t seq;
		assert_int_equal(store_receipt_add(s, &r, &seq), 0);
	}
	assert_int_equal(store_commit(s), 0);
	for (int i = 0; i < 20; i++) {
		char key[32], link[32], ref[32], guid[32];
		snprintf(key, sizeof key, "E|%d", i * 149);
		snprintf(link, sizeof link, "L%d", i * 149);
		snprintf(ref, sizeof ref, "R%d", i * 149);
		snprintf(guid, sizeof guid, "G%d", i * 149);
		assert_int_equal(store_doc_get(s, 621, key, &d), 0);
		store_doc_clear(&d);
		assert_int_equal(store_doc_by_link(s, 621, link, &d), 0);
		store_doc_clear(&d);
		assert_int_equal(store_doc_by_ref(s, 621, ref, &d), 0);
		store_doc_clear(&d);
		assert_int_equal(store_doc_by_guid(s, guid, &d), 0);
		store_doc_clear(&d);
		assert_int_equal(store_doc_each_stale(s, 621, DOC_WAITING, 100, count_doc, &n), 0);
		bool seen;
		assert_int_equal(store_receipt_exists(s, 621, key, 0, "120", &seen), 0);
		assert_true(seen);
	}
	assert_int_equal(n, 20 * 10);
	/* the same look-ups read ahead: one row a probe */
	char str[3][20][32];
	struct store_probe keys[20], links[20], guids[20], rcpts[20];
	for (int i = 0; i < 20; i++) {
		snprintf(str[0][i], 32, "E|%d", i * 149 + 1);
		snprintf(str[1][i], 32, "L%d", i * 149 + 1);
		snprintf(str[2][i], 32, "G%d", i * 149 + 1);
		keys[i] = (struct store_probe){621, str[0][i], NULL};
		links[i] = (struct store_probe){621, str[1][i], NULL};
		guids[i] = (struct store_probe){0, str[2][i], NULL};
		rcpts[i] = (struct store_probe){621, str[0][i], "120"};
	}
	const struct store_ahead q = {keys, 20, links, 20, guids, 20, guids, 20, rcpts, 20};
	assert_int_equal(store_begin(s), 0);
	assert_int_equal(store_read_ahead(s, &q), 0);
	assert_int_equal(store_doc_by_link(s, 621, "L299", &d), 0);
	assert_string_equal(d.key, "E|299");
	store_doc_clear(&d);
	bool seen;
	assert_int_equal(store_receipt_exists(s, 621, "E|299", 0, "120", &seen), 0);
	assert_true(seen);
	assert_int_equal(store_receipt_exists(s, 621, "E|299", 0, "800", &seen), 0);
	assert_false(seen);
	assert_int_equal(store_rollback(s), 0);
	store_close(s);
	f->s = NULL;
	long long fetched, inserted;
	table_reads(f->url, "receipt", &fetched, &inserted);
	assert_int_equal(inserted, 3000);
	/* 20 receipts looked up, 20 read ahead */
	if (fetched > 500)
		fail_msg("the receipt look-ups read %lld rows for 40 found", fetched);
	table_reads(f->url, "doc", &fetched, &inserted);
	assert_int_equal(inserted, 3000);
	/* 80 look-ups, 60 probes read ahead and 200 waiting lists: a few hundred rows; a plan
	 * scanning the kind read 3,000 a look-up */
	if (fetched > 1000)
		fail_msg("the look-ups read %lld rows of doc for 280 found", fetched);
}

#define CONTRACT(prefix, setup_fn)                                                                  \
	T(prefix, test_open, setup_fn), T(prefix, test_open_readonly_fresh, setup_fn),            \
	T(prefix, test_msg, setup_fn), T(prefix, test_msg_in_transaction, setup_fn),            \
	T(prefix, test_doc, setup_fn), T(prefix, test_read_ahead, setup_fn),                       \
	T(prefix, test_savepoints, setup_fn),                       \
	T(prefix, test_events, setup_fn), T(prefix, test_events_many, setup_fn), T(prefix, test_receipts, setup_fn), T(prefix, test_receipts_whole, setup_fn),                      \
	T(prefix, test_quota_hold_tax, setup_fn), T(prefix, test_outbox_cursors, setup_fn),        \
	T(prefix, test_accounts, setup_fn), T(prefix, test_stale_and_counts, setup_fn),            \
	T(prefix, test_checkpoint, setup_fn), T(prefix, test_checkpoint_aside, setup_fn), \
	T(prefix, test_checkpoint_aside_reader, setup_fn), \
	T(prefix, test_bonded, setup_fn), \
	T(prefix, test_deferred_sync, setup_fn), T(prefix, test_summary, setup_fn), \
	T(prefix, test_tally, setup_fn)

int main(void)
{
	/* one TAP plan: the PostgreSQL half only when a server is given */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sqlite_setup),
		cmocka_unit_test(test_bad_url),
		cmocka_unit_test_setup_teardown(test_migrate_receipts, setup_sqlite, teardown),
		cmocka_unit_test_setup_teardown(test_migrate_tally, setup_sqlite, teardown),
		cmocka_unit_test_setup_teardown(test_migrate_bonded_chain, setup_sqlite, teardown),
		cmocka_unit_test_setup_teardown(test_migrate_guid, setup_sqlite, teardown),
		cmocka_unit_test_setup_teardown(test_guid_runs, setup_sqlite, teardown),
		cmocka_unit_test_setup_teardown(test_sqlite_waiting_plan, setup_sqlite, teardown),
		cmocka_unit_test_setup_teardown(test_sqlite_page_size, setup_sqlite, teardown),
		cmocka_unit_test_setup_teardown(test_sqlite_inserts_build_no_table, setup_sqlite, teardown),
		CONTRACT("sqlite_", setup_sqlite),
		CONTRACT("pg_", setup_pg),
		cmocka_unit_test_setup_teardown(test_pg_lookup_plans, setup_pg, teardown),
	};
	size_t n = sizeof tests / sizeof tests[0];
	const char *pg = getenv("CBEC_TEST_PG");
	const struct CMUnitTest contract[] = {CONTRACT("", setup_pg)};
	if (!pg || !*pg) /* all but the PostgreSQL half and its plans' test */
		n -= sizeof contract / sizeof contract[0] + 1;
	return _cmocka_run_group_tests("store", tests, n, NULL, NULL);
}
