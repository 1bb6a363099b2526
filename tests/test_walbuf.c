/* The VFS that gathers the WAL's frame writes (src/store/walbuf.h): few writes for many
 * frames, everything committed in the file when COMMIT returns (read by a connection on
 * SQLite's own VFS), a commit whose frames cannot be written fails, and a transaction larger
 * than the page cache (frames spilled, read back and written again) reads right. The store
 * opens every connection through it, so test_store and test_svc run on it too. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "store/walbuf.h"
#include "testutil.h"

struct fx {
	char dir[64];
	char path[96];
	sqlite3 *db; /* through walbuf */
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/cbec-walbuf-XXXXXX");
	if (!f || !mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
	if (walbuf_register() != SQLITE_OK ||
	    sqlite3_open_v2(f->path, &f->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
	                    WALBUF_VFS) != SQLITE_OK ||
	    sqlite3_exec(f->db,
	                 "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
	                 " CREATE TABLE t(id INTEGER PRIMARY KEY, k TEXT, body BLOB);"
	                 " CREATE INDEX t_k ON t(k);",
	                 NULL, NULL, NULL) != SQLITE_OK)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	sqlite3_close(f->db);
	int rc = tu_rm_tree(f->dir);
	free(f);
	return rc;
}

static int64_t one_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return v;
}

/* Rows from..to-1, each with a 2 KB body that ends in its id. */
static int put_rows(sqlite3 *db, int from, int to)
{
	char sql[256];
	snprintf(sql, sizeof sql,
	         "WITH RECURSIVE c(i) AS (SELECT %d UNION ALL SELECT i + 1 FROM c WHERE i < %d)"
	         " INSERT INTO t SELECT i, printf('k%%08d', (i * 7919) %% 100003), "
	         "printf('%%2048d', i) FROM c",
	         from, to - 1);
	return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

static sqlite3 *plain_reader(const struct fx *f)
{
	sqlite3 *r = NULL;
	assert_int_equal(sqlite3_open_v2(f->path, &r, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	return r;
}

/* What a reader on SQLite's own VFS finds: `rows` rows, each body ending in its id, and a
 * database whose integrity check passes. */
static void assert_whole(sqlite3 *r, int rows)
{
	assert_int_equal(one_int(r, "SELECT count(*) FROM t"), rows);
	assert_int_equal(
	    one_int(r, "SELECT count(*) FROM t WHERE CAST(trim(body) AS INTEGER) = id"), rows);
	assert_int_equal(
	    one_int(r, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'"),
	    0);
}

/* Rows from..to-1 in a transaction of their own. */
static int commit_rows(sqlite3 *db, int from, int to)
{
	int rc = sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = put_rows(db, from, to);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	return rc;
}

static void test_gathered_and_committed(void **state)
{
	struct fx *f = *state;
	sqlite3 *r = plain_reader(f); /* SQLite's own VFS: sees only what is in the file */
	assert_int_equal(one_int(r, "SELECT count(*) FROM t"), 0);
	for (int round = 0; round < 5; round++) {
		struct walbuf_stats a, b;
		walbuf_stats(&a);
		assert_int_equal(commit_rows(f->db, round * 300 + 1, round * 300 + 301), SQLITE_OK);
		walbuf_stats(&b);
		/* two writes a frame asked, ~30 frames a write made, one commit */
		uint64_t writes = b.writes - a.writes, flushes = b.flushes - a.flushes;
		assert_true(writes >= 2 * 150);
		assert_true(flushes >= 1 && flushes * 20 < writes);
		assert_int_equal(b.commit_flushes - a.commit_flushes, 1);
		/* the reader on the plain VFS finds every row committed, bodies whole */
		assert_whole(r, (round + 1) * 300);
		assert_int_equal(one_int(r, "SELECT sum(length(body)) FROM t"),
		                 one_int(f->db, "SELECT sum(length(body)) FROM t"));
		if (round == 2) /* the log starts over: its header written again at offset 0 */
			assert_int_equal(sqlite3_wal_checkpoint_v2(
			                     f->db, NULL, SQLITE_CHECKPOINT_RESTART, NULL, NULL),
			                 SQLITE_OK);
	}
	sqlite3_close(r);
}

/* A transaction far larger than the page cache: pages spill into the WAL before the commit,
 * are read back while the buffer may hold them, and written again in place. */
static void test_spill(void **state)
{
	struct fx *f = *state;
	assert_int_equal(sqlite3_exec(f->db, "PRAGMA cache_size = 20; BEGIN", NULL, NULL, NULL),
	                 SQLITE_OK);
	assert_int_equal(put_rows(f->db, 1, 3001), SQLITE_OK);
	assert_int_equal(
	    sqlite3_exec(f->db, "UPDATE t SET k = k || 'x' WHERE id % 3 = 0", NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(one_int(f->db, "SELECT count(*) FROM t WHERE k LIKE '%x'"), 1000);
	assert_int_equal(sqlite3_exec(f->db, "COMMIT; PRAGMA cache_size = -2000", NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3 *r = plain_reader(f);
	assert_whole(r, 3000);
	assert_int_equal(one_int(r, "SELECT count(*) FROM t WHERE k LIKE '%x'"), 1000);
	sqlite3_close(r);
}

/* The commit's last frames go out when its commit frame is written, and a failure there is
 * the commit's: with the file size limited to just short of what the commit needs, only the
 * last writes fail; had they waited for the WAL index's barrier (which reports nothing), the
 * commit would have said it succeeded. */
static void test_failed_write_fails_the_commit(void **state)
{
	struct fx *f = *state;
	assert_int_equal(commit_rows(f->db, 1, 101), SQLITE_OK);
	assert_int_equal(
	    sqlite3_wal_checkpoint_v2(f->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL),
	    SQLITE_OK);

	/* what the transaction takes of the log, measured on a copy of the database */
	char copy[128], wal[140], cmd[300];
	snprintf(copy, sizeof copy, "%s/copy.db", f->dir);
	snprintf(cmd, sizeof cmd, "cp %s %s", f->path, copy);
	assert_int_equal(system(cmd), 0);
	sqlite3 *c = NULL;
	assert_int_equal(sqlite3_open_v2(copy, &c, SQLITE_OPEN_READWRITE, WALBUF_VFS), SQLITE_OK);
	assert_int_equal(sqlite3_exec(c, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	assert_int_equal(commit_rows(c, 101, 301), SQLITE_OK);
	snprintf(wal, sizeof wal, "%s-wal", copy);
	struct stat st;
	assert_int_equal(stat(wal, &st), 0);
	off_t need = st.st_size;
	assert_true(need > 3 * WALBUF_BYTES);
	sqlite3_close(c);

	/* the same transaction on the original, the file size limit one frame short of it */
	struct rlimit old, lim;
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	void (*was)(int) = signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(sqlite3_exec(f->db, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(put_rows(f->db, 101, 301), SQLITE_OK);
	lim = old;
	lim.rlim_cur = (rlim_t)(need - 2000);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	int rc = sqlite3_exec(f->db, "COMMIT", NULL, NULL, NULL);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, was);
	assert_int_not_equal(rc, SQLITE_OK);
	if (!sqlite3_get_autocommit(f->db))
		sqlite3_exec(f->db, "ROLLBACK", NULL, NULL, NULL);

	/* nothing of it is seen, and the store goes on */
	sqlite3 *r = plain_reader(f);
	assert_whole(r, 100);
	assert_int_equal(commit_rows(f->db, 101, 301), SQLITE_OK);
	assert_whole(r, 300);
	sqlite3_close(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_gathered_and_committed, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_spill, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_failed_write_fails_the_commit, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
