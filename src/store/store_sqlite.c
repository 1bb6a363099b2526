/* The embedded store on SQLite: WAL journal with synchronous=FULL, so a commit is on disk
 * when store_commit() returns; prepared statements cached per connection; schema migrations
 * numbered and applied in order at open. */
#include "store/store.h"

#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/err.h"
#include "store/store_impl.h"
#include "store/walbuf.h"

/* The WAL's file is kept up to this size when the log starts over (sq_checkpoint). */
#define WAL_KEEP_BYTES "268435456"
/* the page size a new store is made with (see sq_open) */
#define SQ_PAGE_SIZE "8192"

/* Each migration brings the schema from version i to i+1; never edit a released one. */
static const char *const migrations[] = {
	/* 1: messages, documents, audit trail, receipts, ledgers, outbox, accounts */
	"CREATE TABLE msg(id INTEGER PRIMARY KEY, guid TEXT NOT NULL UNIQUE, type INTEGER NOT NULL,"
	" sender TEXT, received INTEGER NOT NULL, verdict INTEGER NOT NULL, answer TEXT, body BLOB);"
	"CREATE TABLE doc(id INTEGER PRIMARY KEY, kind INTEGER NOT NULL, key TEXT NOT NULL,"
	" link TEXT, ref TEXT, owner TEXT, guid TEXT, app_time TEXT, state INTEGER NOT NULL,"
	" msg_id INTEGER, updated INTEGER NOT NULL, body BLOB, UNIQUE(kind, key));"
	"CREATE INDEX doc_link ON doc(kind, link);"
	"CREATE INDEX doc_ref ON doc(kind, ref) WHERE ref IS NOT NULL;"
	"CREATE INDEX doc_waiting ON doc(kind, state, updated) WHERE state = 2;"
	"CREATE INDEX doc_guid ON doc(guid);"
	"CREATE TABLE event(id INTEGER PRIMARY KEY, doc_id INTEGER NOT NULL, from_state INTEGER,"
	" to_state INTEGER NOT NULL, at INTEGER NOT NULL, reason TEXT, msg_id INTEGER);"
	"CREATE INDEX event_doc ON event(doc_id);"
	"CREATE TABLE receipt(seq INTEGER PRIMARY KEY, recipient TEXT NOT NULL, type INTEGER NOT NULL,"
	" doc_kind INTEGER, doc_key TEXT, status TEXT, created INTEGER NOT NULL, xml TEXT NOT NULL);"
	"CREATE INDEX receipt_recipient ON receipt(recipient, seq);"
	"CREATE INDEX receipt_doc ON receipt(doc_kind, doc_key);"
	"CREATE TABLE quota(buyer TEXT NOT NULL, year INTEGER NOT NULL, reserved INTEGER NOT NULL,"
	" committed INTEGER NOT NULL, PRIMARY KEY(buyer, year)) WITHOUT ROWID;"
	"CREATE TABLE hold(list_id INTEGER PRIMARY KEY, buyer TEXT NOT NULL, year INTEGER NOT NULL,"
	" amount INTEGER NOT NULL, state INTEGER NOT NULL);"
	"CREATE TABLE tax(list_id INTEGER PRIMARY KEY, dutiable INTEGER, customs_tax INTEGER,"
	" vat INTEGER, ct INTEGER, total INTEGER, full_rate INTEGER, lines TEXT);"
	"CREATE TABLE outbox(seq INTEGER PRIMARY KEY, channel INTEGER NOT NULL, guid TEXT, msg_id INTEGER, body BLOB);"
	"CREATE TABLE cursor(name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE account(code TEXT PRIMARY KEY, name TEXT, role INTEGER NOT NULL,"
	" token_hash TEXT UNIQUE, created INTEGER NOT NULL) WITHOUT ROWID;",
	/* 2: the 1210 bonded account (store_sqlite_bonded.c) */
	STORE_SQLITE_BONDED_MIGRATION,
	/* 3: export summaries (store_sqlite_summary.c) */
	STORE_SQLITE_SUMMARY_MIGRATION,
	/* 4: receipts found by their document's id, which grows as documents arrive, so a new
	 * receipt's index entry goes near the end of the index instead of at a random page of
	 * it (2 receipts a message: 2 random index pages written a message at a festival day's
	 * size). A receipt whose document was never stored (rejected at intake) keeps the
	 * (kind, key) look-up, in an index of those alone. */
	"ALTER TABLE receipt ADD COLUMN doc_id INTEGER;"
	"UPDATE receipt SET doc_id = (SELECT id FROM doc WHERE doc.kind = receipt.doc_kind"
	" AND doc.key = receipt.doc_key);"
	"DROP INDEX receipt_doc;"
	"CREATE INDEX receipt_doc_id ON receipt(doc_id) WHERE doc_id IS NOT NULL;"
	"CREATE INDEX receipt_doc_key ON receipt(doc_kind, doc_key) WHERE doc_id IS NULL;",
	/* 5: the regulators' running totals (store_counts), counted once here and then kept
	 * with each commit instead of counting every row of the store at each request */
	"CREATE TABLE tally(id INTEGER PRIMARY KEY CHECK (id = 1), messages INTEGER NOT NULL,"
	" rejected INTEGER NOT NULL, documents INTEGER NOT NULL, receipts INTEGER NOT NULL);"
	"INSERT INTO tally VALUES(1, (SELECT count(*) FROM msg), (SELECT count(*) FROM msg WHERE verdict = 0),"
	" (SELECT count(*) FROM doc), (SELECT count(*) FROM receipt));",
	/* 6: documents by guid only of the kinds found that way (store_doc_by_guid): an order,
	 * payment, waybill or export list is found by the key its customs receipt carries, and
	 * its random guid took a page of the index of its own at every batch */
	"DROP INDEX doc_guid;"
	"CREATE INDEX doc_guid ON doc(guid) WHERE kind NOT IN (" STORE_GUID_UNINDEXED ");",
	/* 7: the same index with its predicate written as comparisons (STORE_GUID_INDEXED_SQL):
	 * the list had every insert and update of a document build a temporary table */
	"DROP INDEX doc_guid;"
	"CREATE INDEX doc_guid ON doc(guid) WHERE " STORE_GUID_INDEXED_SQL ";",
	/* 8: a bonded item's movements chained instead of indexed (store_sqlite_bonded.c) */
	STORE_SQLITE_BONDED_CHAIN_MIGRATION,
	/* 9: messages found by guid through msg_guid and the writer's memory
	 * (store_sqlite_guid.c) instead of a unique index, which wrote a random page of its
	 * own a message; the table made again without it */
	STORE_SQLITE_GUID_MIGRATION,
	/* 10: a document's receipts indexed with their status, so that the relay's check (has
	 * customs said this already?) reads the index alone instead of each receipt's row */
	"DROP INDEX receipt_doc_id;"
	"CREATE INDEX receipt_doc_id ON receipt(doc_id, status) WHERE doc_id IS NOT NULL;",
	/* 11: a bonded movement applies itself to its item's figures (its trigger) */
	STORE_SQLITE_BONDED_FIGURES_MIGRATION,
};
#define NMIGRATIONS (int)(sizeof migrations / sizeof migrations[0])

#define RECEIPT_COLS "seq, recipient, type, doc_kind, doc_key, status, created, xml"

/* the doc_waiting index and S_DOC_WAITING write the waiting state out as 2 */
_Static_assert(DOC_WAITING == 2, "doc_waiting is state = 2");

enum stmt_id {
	S_BEGIN, S_COMMIT, S_ROLLBACK, S_SAVEPOINT, S_RELEASE, S_ROLLBACK_TO,
	S_MSG_GET, S_MSG_GET_BODY, S_MSG_PUT, S_MSG_ANSWER, S_MSG_VERDICT, S_MSG_MAX,
	S_DOC_GET, S_DOC_BY_LINK, S_DOC_BY_REF, S_DOC_BY_GUID, S_DOC_INSERT, S_DOC_UPDATE, S_DOC_STATE, S_DOC_REF,
	S_DOC_STALE, S_DOC_WAITING, S_DOC_BODY,
	S_EVENTS_OF,
	S_RECEIPT_ADD, S_RECEIPTS_AFTER, S_RECEIPTS_AFTER_ALL, S_RECEIPTS_DOC, S_RECEIPT_EXISTS,
	S_QUOTA_GET, S_QUOTA_ADD, S_HOLD_PUT, S_HOLD_GET,
	S_TAX_PUT, S_TAX_GET,
	S_OUT_ADD, S_OUT_AFTER, S_CURSOR_GET, S_CURSOR_SET,
	S_ACCOUNT_PUT, S_ACCOUNT_BY_HASH, S_ACCOUNT_GET,
	S_TALLY_ADD, S_TALLY_GET,
	S__N
};

/* Document reads carry no body (matching uses the writer's parsed copies); store_doc_body
 * fetches it when needed: the document's own, or (NULL) its message's, through the join. */
#define DOC_COLS                                                                                   \
	"d.id, d.kind, d.key, d.link, d.ref, d.owner, d.guid, d.app_time, d.state, d.msg_id,"      \
	" d.updated, NULL, d.body IS NULL"
#define DOC_FROM " FROM doc d"

const char store_sqlite_waiting_sql[] = "SELECT " DOC_COLS DOC_FROM
				       " WHERE d.kind = ? AND d.state = 2 AND d.updated < ? ORDER BY d.updated";

static const char *const sql[S__N] = {
	[S_BEGIN] = "BEGIN IMMEDIATE",
	[S_COMMIT] = "COMMIT",
	[S_ROLLBACK] = "ROLLBACK",
	[S_SAVEPOINT] = "SAVEPOINT m",
	[S_RELEASE] = "RELEASE m",
	[S_ROLLBACK_TO] = "ROLLBACK TO m",
	[S_MSG_GET] = "SELECT id, guid, type, sender, received, verdict, answer FROM msg WHERE id = ?",
	[S_MSG_GET_BODY] = "SELECT id, guid, type, sender, received, verdict, answer, body FROM msg WHERE id = ?",
	[S_MSG_PUT] = "INSERT INTO msg(id, guid, type, sender, received, verdict, answer, body) VALUES(?,?,?,?,?,?,?,?)",
	[S_MSG_ANSWER] = "UPDATE msg SET answer = ?, verdict = ? WHERE id = ?",
	[S_MSG_VERDICT] = "SELECT verdict FROM msg WHERE id = ?",
	[S_MSG_MAX] = "SELECT coalesce(max(id), 0) FROM msg",
	[S_DOC_GET] = "SELECT " DOC_COLS DOC_FROM " WHERE d.kind = ? AND d.key = ?",
	[S_DOC_BY_LINK] = "SELECT " DOC_COLS DOC_FROM " WHERE d.kind = ? AND d.link = ? ORDER BY d.id LIMIT 1",
	[S_DOC_BY_REF] = "SELECT " DOC_COLS DOC_FROM " WHERE d.kind = ? AND d.ref = ? ORDER BY d.id LIMIT 1",
	[S_DOC_BY_GUID] = "SELECT " DOC_COLS DOC_FROM " WHERE d.guid = ? AND " STORE_GUID_INDEXED_SQL
			  " ORDER BY d.id DESC LIMIT 1",
	[S_DOC_INSERT] = "INSERT INTO doc(kind, key, link, ref, owner, guid, app_time, state, msg_id, updated, body)"
			 " VALUES(?,?,?,?,?,?,?,?,?,?,?)",
	[S_DOC_UPDATE] = "UPDATE doc SET link = ?, ref = ?, owner = ?, guid = ?, app_time = ?, state = ?,"
			 " msg_id = ?, updated = ?, body = ? WHERE id = ?",
	[S_DOC_STATE] = "UPDATE doc SET state = ?, updated = ? WHERE id = ?",
	[S_DOC_REF] = "UPDATE doc SET ref = ? WHERE id = ?",
	[S_DOC_STALE] = "SELECT " DOC_COLS DOC_FROM " WHERE d.kind = ? AND d.state = ? AND d.updated < ? ORDER BY d.updated",
	[S_DOC_WAITING] = store_sqlite_waiting_sql,
	[S_DOC_BODY] = "SELECT coalesce(d.body, m.body) FROM doc d LEFT JOIN msg m ON m.id = d.msg_id WHERE d.id = ?",
	[S_EVENTS_OF] = "SELECT doc_id, from_state, to_state, at, reason, msg_id FROM event WHERE doc_id = ? ORDER BY id",
	[S_RECEIPT_ADD] = "INSERT INTO receipt(recipient, type, doc_kind, doc_key, status, created, xml, doc_id)"
			  " VALUES(?1,?2,?3,?4,?5,?6,?7,coalesce(?8,(SELECT id FROM doc WHERE kind = ?3 AND key = ?4)))",
	[S_RECEIPTS_AFTER] = "SELECT " RECEIPT_COLS " FROM receipt WHERE recipient = ? AND seq > ? ORDER BY seq LIMIT ?",
	[S_RECEIPTS_AFTER_ALL] = "SELECT " RECEIPT_COLS " FROM receipt WHERE seq > ? ORDER BY seq LIMIT ?",
	[S_RECEIPTS_DOC] = "SELECT " RECEIPT_COLS " FROM receipt"
			   " WHERE doc_id = (SELECT id FROM doc WHERE kind = ?1 AND key = ?2)"
			   " UNION ALL SELECT " RECEIPT_COLS " FROM receipt"
			   " WHERE doc_id IS NULL AND doc_kind = ?1 AND doc_key = ?2 ORDER BY seq",
	[S_RECEIPT_EXISTS] = "SELECT 1 FROM receipt"
			     " WHERE doc_id = coalesce(?4, (SELECT id FROM doc WHERE kind = ?1 AND key = ?2)) AND status = ?3"
			     " UNION ALL SELECT 1 FROM receipt"
			     " WHERE doc_id IS NULL AND doc_kind = ?1 AND doc_key = ?2 AND status = ?3 LIMIT 1",
	[S_QUOTA_GET] = "SELECT reserved, committed FROM quota WHERE buyer = ? AND year = ?",
	[S_QUOTA_ADD] = "INSERT INTO quota(buyer, year, reserved, committed) VALUES(?1,?2,?3,?4)"
			" ON CONFLICT(buyer, year) DO UPDATE SET reserved = reserved + ?3, committed = committed + ?4",
	[S_HOLD_PUT] = "INSERT OR REPLACE INTO hold(list_id, buyer, year, amount, state) VALUES(?,?,?,?,?)",
	[S_HOLD_GET] = "SELECT list_id, buyer, year, amount, state FROM hold WHERE list_id = ?",
	[S_TAX_PUT] = "INSERT OR REPLACE INTO tax(list_id, dutiable, customs_tax, vat, ct, total, full_rate, lines)"
		      " VALUES(?,?,?,?,?,?,?,?)",
	[S_TAX_GET] = "SELECT list_id, dutiable, customs_tax, vat, ct, total, full_rate, lines FROM tax WHERE list_id = ?",
	[S_OUT_ADD] = "INSERT INTO outbox(channel, guid, msg_id, body) VALUES(?,?,?,?)",
	[S_OUT_AFTER] = "SELECT o.seq, o.channel, o.guid, coalesce(o.body, m.body) FROM outbox o"
			" LEFT JOIN msg m ON m.id = o.msg_id WHERE o.channel = ? AND o.seq > ? ORDER BY o.seq LIMIT ?",
	[S_CURSOR_GET] = "SELECT value FROM cursor WHERE name = ?",
	[S_CURSOR_SET] = "INSERT OR REPLACE INTO cursor(name, value) VALUES(?,?)",
	[S_ACCOUNT_PUT] = "INSERT OR REPLACE INTO account(code, name, role, token_hash, created) VALUES(?,?,?,?,?)",
	[S_ACCOUNT_BY_HASH] = "SELECT code, name, role, token_hash, created FROM account WHERE token_hash = ?",
	[S_ACCOUNT_GET] = "SELECT code, name, role, token_hash, created FROM account WHERE code = ?",
	[S_TALLY_ADD] = "UPDATE tally SET messages = messages + ?, rejected = rejected + ?,"
			" documents = documents + ?, receipts = receipts + ? WHERE id = 1",
	[S_TALLY_GET] = "SELECT messages, rejected, documents, receipts FROM tally WHERE id = 1",
};

#define EV_MAX 16

struct sq {
	struct store base;
	sqlite3 *db;
	sqlite3_stmt *st[S__N];
	sqlite3_stmt *ext[STORE_SQLITE_EXT_SLOTS]; /* other files' statements */
	int version;
	bool readonly;
	/* deferred sync: the WAL's descriptor, synced by store_sync (any thread) */
	int wal_fd;
	char *wal_path;
	int wal_pages; /* frames in the WAL after the last commit (the WAL hook) */
	int page_size; /* the store's own, read at open (older stores have 4 KiB pages) */
	/* the checkpointer's connection: waits 5 ms at most for a lock, not 10 s (see
	 * sq_checkpoint_aside) */
	bool brief_waits;
	struct sqg *guids; /* messages by guid (store_sqlite_guid.c), a writer's */
	/* state events waiting to go in as one statement of up to EV_MAX rows (ev_flush):
	 * a message makes about three, each a statement of its own before */
	struct store_event ev[EV_MAX];
	int nev;
	sqlite3_stmt *ev_st[EV_MAX]; /* the insert of i + 1 rows */
	/* The message being applied: its row goes in once, with its answer (sq_msg_set_answer),
	 * instead of being inserted and then rewritten whole (3-5 KB) for the answer. Written
	 * out before anything reads messages and before its savepoint or transaction ends
	 * (msg_flush); dropped with what is rolled back, like the events. */
	struct store_msg pend;
	bool pending;
	struct buf pend_buf;    /* pend's strings and body */
	int64_t msg_next;       /* the id the next message gets; 0: ask the table */
};

static const struct store_ops sq_ops;

/* after each commit: how many pages the WAL holds (the writer checkpoints on it) */
static int wal_hook(void *ctx, sqlite3 *db, const char *name, int pages)
{
	((struct sq *)ctx)->wal_pages = pages;
	return SQLITE_OK;
}

static void sq_close(struct store *base);

/* Another connection holds a lock (the checkpointer starting the WAL over, the writer, a
 * reader that TRUNCATE waits for): try again every 100 us for 10 s. SQLite's own busy
 * timeout sleeps in steps of up to 100 ms, which would hold a batch up far longer than the
 * few milliseconds such a lock lasts. */
static int busy_wait(void *ctx, int tries)
{
	const struct sq *s = ctx;
	if (tries >= (s->brief_waits ? 50 : 100000))
		return 0;
	struct timespec ts = {0, 100 * 1000};
	nanosleep(&ts, NULL);
	return 1;
}

static sqlite3_stmt *stmt(struct sq *s, enum stmt_id id)
{
	if (!s->st[id] && sqlite3_prepare_v3(s->db, sql[id], -1, SQLITE_PREPARE_PERSISTENT,
					     &s->st[id], NULL) != SQLITE_OK)
		return NULL;
	sqlite3_reset(s->st[id]);
	sqlite3_clear_bindings(s->st[id]);
	return s->st[id];
}

static char *dup_col(sqlite3_stmt *q, int col)
{
	const unsigned char *t = sqlite3_column_text(q, col);
	return t ? strdup((const char *)t) : NULL;
}

static char *dup_blob(sqlite3_stmt *q, int col, size_t *len)
{
	const void *b = sqlite3_column_blob(q, col);
	size_t n = (size_t)sqlite3_column_bytes(q, col);
	*len = n;
	if (!b)
		return NULL;
	char *p = malloc(n + 1);
	if (!p)
		return NULL;
	memcpy(p, b, n);
	p[n] = '\0';
	return p;
}

static void bind_text(sqlite3_stmt *q, int i, const char *t)
{
	if (t)
		sqlite3_bind_text(q, i, t, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, i);
}

/* A row id, or NULL for 0 (none given). */
static void bind_id(sqlite3_stmt *q, int i, int64_t id)
{
	if (id)
		sqlite3_bind_int64(q, i, id);
	else
		sqlite3_bind_null(q, i);
}

/* Run a statement that returns no rows. */
static int exec_step(sqlite3_stmt *q)
{
	if (!q)
		return CBEC_ESTORE;
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : CBEC_ESTORE;
}

static int run(struct sq *s, enum stmt_id id)
{
	return exec_step(stmt(s, id));
}

/* The integer a PRAGMA reads (*out untouched when it gives no row); a SQLite code. */
static int pragma_int(sqlite3 *db, const char *pragma, int *out)
{
	sqlite3_stmt *q;
	int rc = sqlite3_prepare_v2(db, pragma, -1, &q, NULL);
	if (rc != SQLITE_OK)
		return rc;
	if (sqlite3_step(q) == SQLITE_ROW)
		*out = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	return SQLITE_OK;
}

static int migrate(struct sq *s, char *err, size_t errlen)
{
	int v = 0;
	if (pragma_int(s->db, "PRAGMA user_version", &v) != SQLITE_OK)
		goto fail;
	if (v > NMIGRATIONS) {
		snprintf(err, errlen, "the store's schema version %d is newer than this cbec (%d)", v,
			 NMIGRATIONS);
		return CBEC_ESTORE;
	}
	for (; v < NMIGRATIONS; v++) {
		char ver[64];
		snprintf(ver, sizeof ver, "PRAGMA user_version = %d", v + 1);
		if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_exec(s->db, migrations[v], NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_exec(s->db, ver, NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
			snprintf(err, errlen, "migration %d failed: %s", v + 1, sqlite3_errmsg(s->db));
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			return CBEC_ESTORE;
		}
	}
	s->version = v;
	return 0;
fail:
	snprintf(err, errlen, "%s", sqlite3_errmsg(s->db));
	return CBEC_ESTORE;
}

/* Why a writer could not open the file, when SQLite only says "unable to open". */
static const char *write_hint(const char *path)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*(slash == dir ? slash + 1 : slash) = '\0';
	else
		snprintf(dir, sizeof dir, ".");
	struct statvfs v;
	if (statvfs(dir, &v) == 0 && (v.f_flag & ST_RDONLY))
		return " (the store is on a read-only file system)";
	if (access(dir, W_OK) != 0 || (access(path, F_OK) == 0 && access(path, W_OK) != 0))
		return " (the store or its folder is not writable)";
	return "";
}

/* No memory statistics, which nothing reads and which cost a global mutex around every
 * allocation SQLite makes (the writer: 7 % of its instructions). Only possible before
 * SQLite's first use in the process. Every connection of the store goes through walbuf,
 * which writes the WAL's frames in large writes instead of two system calls a page. */
static const char *vfs_name; /* walbuf's, once registered; NULL: SQLite's default */

static void sq_configure(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if (walbuf_register() == SQLITE_OK)
		vfs_name = WALBUF_VFS;
}

void store_sqlite_setup(void)
{
	static pthread_once_t configured = PTHREAD_ONCE_INIT;
	pthread_once(&configured, sq_configure);
}

int store_sqlite_open(const char *path, bool readonly, struct store **out, char *err,
		      size_t errlen)
{
	store_sqlite_setup();
	struct sq *s = calloc(1, sizeof *s);
	if (!s)
		return CBEC_ENOMEM;
	s->base.ops = &sq_ops;
	s->wal_fd = -1;
	s->readonly = readonly;
	int flags = readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	flags |= SQLITE_OPEN_NOMUTEX; /* one connection per thread */
	if (sqlite3_open_v2(path, &s->db, flags, vfs_name) != SQLITE_OK) {
		snprintf(err, errlen, "cannot open %s: %s%s", path, s->db ? sqlite3_errmsg(s->db) : "out of memory",
			 readonly ? "" : write_hint(path));
		sq_close(&s->base);
		return CBEC_ESTORE;
	}
	sqlite3_busy_handler(s->db, busy_wait, s);
	/* WAL lets readers run beside the one writer; FULL makes every commit durable. The
	 * writer checkpoints between batches itself (store_checkpoint): the automatic one ran
	 * inside every large commit. A 64 MiB page cache keeps the hot index pages in the
	 * process instead of re-reading them from the OS at every statement. A new store gets
	 * 8 KiB pages (an existing one keeps its own): the checkpointer copies a page a system
	 * call, and with 8 KiB pages its CPU a message fell by a third or more (15 -> 9 us at
	 * 100k orders, 21-23 -> 14-16 us at 400k); 16 KiB cut it further, but the writer, with
	 * half as many pages in the same cache, slowed at 400k. */
	const char *pragmas = readonly ? "PRAGMA query_only = 1;"
				       : "PRAGMA page_size = " SQ_PAGE_SIZE ";"
					 " PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
					 " PRAGMA foreign_keys = OFF; PRAGMA temp_store = MEMORY;"
					 " PRAGMA wal_autocheckpoint = 0; PRAGMA cache_size = -65536;"
					 " PRAGMA journal_size_limit = " WAL_KEEP_BYTES ";";
	if (sqlite3_exec(s->db, pragmas, NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot set up %s: %s%s", path, sqlite3_errmsg(s->db),
			 readonly ? "" : write_hint(path));
		sq_close(&s->base);
		return CBEC_ESTORE;
	}
	if (!readonly) {
		/* replaces the automatic checkpoint's hook (off): the writer checkpoints itself */
		sqlite3_wal_hook(s->db, wal_hook, s);
		int rc = migrate(s, err, errlen);
		if (rc) {
			sq_close(&s->base);
			return rc;
		}
	} else {
		pragma_int(s->db, "PRAGMA user_version", &s->version);
		if (s->version < 1) {
			snprintf(err, errlen, "%s holds no cbec store (schema version 0): cbec serve creates it", path);
			sq_close(&s->base);
			return CBEC_ESTORE;
		}
	}
	int page = 0;
	s->page_size = pragma_int(s->db, "PRAGMA page_size", &page) == SQLITE_OK && page > 0 ? page : 4096;
	*out = &s->base;
	return 0;
}

/* ---- the message row, written once (struct sq's pend) ---- */

static void msg_drop(struct sq *s)
{
	s->pending = false;
	s->msg_next = 0; /* what was rolled back may have taken ids */
}

static int msg_flush(struct sq *s)
{
	if (!s->pending)
		return 0;
	s->pending = false;
	const struct store_msg *m = &s->pend;
	sqlite3_stmt *q = stmt(s, S_MSG_PUT);
	if (!q)
		return CBEC_ESTORE;
	sqlite3_bind_int64(q, 1, m->id);
	bind_text(q, 2, m->guid);
	sqlite3_bind_int(q, 3, m->type);
	bind_text(q, 4, m->sender);
	sqlite3_bind_int64(q, 5, m->received);
	sqlite3_bind_int(q, 6, m->verdict);
	bind_text(q, 7, m->answer);
	sqlite3_bind_blob(q, 8, m->body, (int)m->body_len, SQLITE_STATIC);
	int rc = exec_step(q);
	sqlite3_clear_bindings(q);
	s->msg_next = rc ? 0 : m->id + 1;
	return rc;
}

/* ---- state events, written a batch of rows at a time ---- */

static void ev_drop(struct sq *s)
{
	for (int i = 0; i < s->nev; i++)
		free((char *)s->ev[i].reason);
	s->nev = 0;
}

/* Write the waiting events, in the order they came (their ids too). */
static int ev_flush(struct sq *s)
{
	int n = s->nev;
	if (!n)
		return 0;
	sqlite3_stmt **q = &s->ev_st[n - 1];
	if (!*q) {
		char text[64 + EV_MAX * 16] = "INSERT INTO event(doc_id, from_state, to_state, at, reason, msg_id) VALUES";
		for (int i = 0; i < n; i++)
			strcat(text, i ? ",(?,?,?,?,?,?)" : "(?,?,?,?,?,?)");
		if (sqlite3_prepare_v3(s->db, text, -1, SQLITE_PREPARE_PERSISTENT, q, NULL) != SQLITE_OK) {
			ev_drop(s);
			return CBEC_ESTORE;
		}
	}
	for (int i = 0; i < n; i++) {
		const struct store_event *e = &s->ev[i];
		sqlite3_bind_int64(*q, 6 * i + 1, e->doc_id);
		sqlite3_bind_int(*q, 6 * i + 2, e->from);
		sqlite3_bind_int(*q, 6 * i + 3, e->to);
		sqlite3_bind_int64(*q, 6 * i + 4, e->at);
		bind_text(*q, 6 * i + 5, e->reason);
		sqlite3_bind_int64(*q, 6 * i + 6, e->msg_id);
	}
	int rc = exec_step(*q);
	sqlite3_clear_bindings(*q);
	ev_drop(s);
	return rc;
}

static void sq_close(struct store *base)
{
	struct sq *s = (struct sq *)base;
	if (!s)
		return;
	for (int i = 0; i < S__N; i++)
		sqlite3_finalize(s->st[i]);
	for (int i = 0; i < STORE_SQLITE_EXT_SLOTS; i++)
		sqlite3_finalize(s->ext[i]);
	ev_drop(s);
	for (int i = 0; i < EV_MAX; i++)
		sqlite3_finalize(s->ev_st[i]);
	buf_free(&s->pend_buf);
	sqlite3_close(s->db);
	store_sqlite_guid_free(s->guids);
	if (s->wal_fd >= 0)
		close(s->wal_fd);
	free(s->wal_path);
	free(s);
}

static int sq_schema_version(struct store *base)
{
	struct sq *s = (struct sq *)base;
	return s->version;
}

/* The message guids in the writer's memory follow each transaction (store_sqlite_guid.c). */
static int sq_begin(struct store *base)
{
	struct sq *s = (struct sq *)base;
	s->msg_next = 0; /* asked again in each transaction: the table is the truth */
	int rc = run(s, S_BEGIN);
	if (!rc && (rc = store_sqlite_guid_begun(base, s->guids)) != 0) {
		run(s, S_ROLLBACK);
		store_sqlite_guid_rolled_back(s->guids);
	}
	return rc;
}

static int sq_commit(struct store *base)
{
	struct sq *s = (struct sq *)base;
	int rc = ev_flush(s);
	if (!rc)
		rc = msg_flush(s);
	if (!rc)
		rc = store_sqlite_guid_fold(base, s->guids);
	if (!rc)
		rc = run(s, S_COMMIT);
	if (!rc)
		store_sqlite_guid_committed(s->guids);
	return rc;
}

static int sq_rollback(struct store *base)
{
	struct sq *s = (struct sq *)base;
	ev_drop(s);
	msg_drop(s);
	int rc = run(s, S_ROLLBACK);
	store_sqlite_guid_rolled_back(s->guids);
	return rc;
}

static int sq_savepoint(struct store *base)
{
	struct sq *s = (struct sq *)base;
	int rc = ev_flush(s); /* the savepoint's own are the ones after it */
	if (!rc)
		rc = msg_flush(s);
	if (!rc)
		rc = run(s, S_SAVEPOINT);
	if (!rc)
		store_sqlite_guid_savepoint(s->guids);
	return rc;
}

static int sq_rollback_to(struct store *base)
{
	struct sq *s = (struct sq *)base;
	ev_drop(s);
	msg_drop(s);
	int rc = run(s, S_ROLLBACK_TO);
	store_sqlite_guid_rolled_back_to(s->guids);
	return rc ? rc : run(s, S_RELEASE);
}

/* A release that fails leaves nothing of the savepoint behind (store.h), as PostgreSQL's. */
static int sq_release(struct store *s)
{
	int rc = ev_flush((struct sq *)s);
	if (!rc)
		rc = msg_flush((struct sq *)s);
	if (!rc)
		rc = run((struct sq *)s, S_RELEASE);
	if (rc)
		sq_rollback_to(s);
	return rc;
}

/* ---- messages ---- */

static int sq_msg_get(struct store *base, const char *guid, bool with_body, struct store_msg *out)
{
	struct sq *s = (struct sq *)base;
	memset(out, 0, sizeof *out);
	int64_t id = 0;
	int rc = msg_flush(s);
	if (!rc)
		rc = store_sqlite_guid_find(base, &s->guids, s->readonly, guid, &id);
	if (rc)
		return rc;
	sqlite3_stmt *q = stmt(s, with_body ? S_MSG_GET_BODY : S_MSG_GET);
	if (!q)
		return CBEC_ESTORE;
	sqlite3_bind_int64(q, 1, id);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(q, 0);
		out->guid = dup_col(q, 1);
		out->type = sqlite3_column_int(q, 2);
		out->sender = dup_col(q, 3);
		out->received = sqlite3_column_int64(q, 4);
		out->verdict = sqlite3_column_int(q, 5);
		out->answer = dup_col(q, 6);
		if (with_body)
			out->body = dup_blob(q, 7, &out->body_len);
		rc = 0;
	} else {
		rc = rc == SQLITE_DONE ? CBEC_ENOTFOUND : CBEC_ESTORE;
	}
	sqlite3_reset(q);
	return rc;
}

/* A copy of s (NULL stays NULL) into pend_buf; an offset, made a pointer once all are in
 * (the buffer may move as it grows). */
static size_t pend_put(struct sq *s, const char *p, size_t n)
{
	size_t at = s->pend_buf.n;
	buf_put(&s->pend_buf, p, n);
	buf_put(&s->pend_buf, "", 1);
	return at;
}

/* The row is written with its answer (sq_msg_set_answer) or when anything needs it
 * (msg_flush); its id is the one SQLite would give it, max(id) + 1. */
static int sq_msg_put(struct store *base, const struct store_msg *m, int64_t *id)
{
	struct sq *s = (struct sq *)base;
	if (!m->guid)
		return CBEC_EINVAL;
	int rc = msg_flush(s);
	if (!rc)
		rc = store_sqlite_guid_check_new(base, &s->guids, m->guid);
	if (rc)
		return rc;
	if (!s->msg_next) {
		sqlite3_stmt *q = stmt(s, S_MSG_MAX);
		if (!q || sqlite3_step(q) != SQLITE_ROW) {
			if (q)
				sqlite3_reset(q);
			return CBEC_ESTORE;
		}
		s->msg_next = sqlite3_column_int64(q, 0) + 1;
		sqlite3_reset(q);
	}
	buf_reset(&s->pend_buf);
	size_t g = pend_put(s, m->guid, strlen(m->guid));
	size_t se = m->sender ? pend_put(s, m->sender, strlen(m->sender)) : SIZE_MAX;
	size_t an = m->answer ? pend_put(s, m->answer, strlen(m->answer)) : SIZE_MAX;
	size_t bo = m->body ? pend_put(s, m->body, m->body_len) : SIZE_MAX;
	if (s->pend_buf.err)
		return CBEC_ENOMEM;
	char *b = s->pend_buf.p;
	s->pend = (struct store_msg){.id = s->msg_next, .guid = b + g, .type = m->type,
				     .sender = se == SIZE_MAX ? NULL : b + se, .received = m->received,
				     .verdict = m->verdict, .answer = an == SIZE_MAX ? NULL : b + an,
				     .body = bo == SIZE_MAX ? NULL : b + bo, .body_len = m->body_len};
	s->pending = true;
	s->msg_next++;
	rc = store_sqlite_guid_added(s->guids, m->guid, s->pend.id);
	if (rc) {
		s->pending = false;
		return rc;
	}
	if (id)
		*id = s->pend.id;
	return 0;
}

static int sq_msg_set_answer(struct store *base, int64_t id, const char *answer, int verdict)
{
	struct sq *s = (struct sq *)base;
	if (s->pending && s->pend.id == id) {
		s->pend.answer = (char *)answer; /* the caller's, until written here */
		s->pend.verdict = verdict;
		return msg_flush(s);
	}
	int rc = msg_flush(s);
	if (rc)
		return rc;
	sqlite3_stmt *q = stmt(s, S_MSG_ANSWER);
	if (!q)
		return CBEC_ESTORE;
	bind_text(q, 1, answer);
	sqlite3_bind_int(q, 2, verdict);
	sqlite3_bind_int64(q, 3, id);
	return exec_step(q);
}

static int sq_msg_verdict(struct store *base, int64_t id, int *verdict)
{
	struct sq *s = (struct sq *)base;
	int rc0 = msg_flush(s);
	if (rc0)
		return rc0;
	sqlite3_stmt *q = stmt(s, S_MSG_VERDICT);
	if (!q)
		return CBEC_ESTORE;
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*verdict = sqlite3_column_int(q, 0);
	sqlite3_reset(q);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? CBEC_ENOTFOUND : CBEC_ESTORE;
}

/* ---- documents ---- */

static void read_doc(sqlite3_stmt *q, struct store_doc *d)
{
	d->id = sqlite3_column_int64(q, 0);
	d->kind = sqlite3_column_int(q, 1);
	d->key = dup_col(q, 2);
	d->link = dup_col(q, 3);
	d->ref = dup_col(q, 4);
	d->owner = dup_col(q, 5);
	d->guid = dup_col(q, 6);
	d->app_time = dup_col(q, 7);
	d->state = sqlite3_column_int(q, 8);
	d->msg_id = sqlite3_column_int64(q, 9);
	d->updated = sqlite3_column_int64(q, 10);
	d->body = dup_blob(q, 11, &d->body_len);
	d->body_ref = sqlite3_column_int(q, 12) != 0;
}

static int doc_one(sqlite3_stmt *q, struct store_doc *out)
{
	memset(out, 0, sizeof *out);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		read_doc(q, out);
		rc = 0;
	} else {
		rc = rc == SQLITE_DONE ? CBEC_ENOTFOUND : CBEC_ESTORE;
	}
	sqlite3_reset(q);
	return rc;
}

static int sq_doc_get(struct store *base, int kind, const char *key, struct store_doc *out)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *q = stmt(s, S_DOC_GET);
	if (!q)
		return CBEC_ESTORE;
	sqlite3_bind_int(q, 1, kind);
	bind_text(q, 2, key);
	return doc_one(q, out);
}

static int sq_doc_by_link(struct store *base, int kind, const char *link, struct store_doc *out)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *q = stmt(s, S_DOC_BY_LINK);
	if (!q)
		return CBEC_ESTORE;
	sqlite3_bind_int(q, 1, kind);
	bind_text(q, 2, link);
	return doc_one(q, out);
}

static int sq_doc_by_ref(struct store *base, int kind, const char *ref, struct store_doc *out)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *q = stmt(s, S_DOC_BY_REF);
	if (!q)
		return CBEC_ESTORE;
	sqlite3_bind_int(q, 1, kind);
	bind_text(q, 2, ref);
	return doc_one(q, out);
}

static int sq_doc_by_guid(struct store *base, const char *guid, struct store_doc *out)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *q = stmt(s, S_DOC_BY_GUID);
	if (!q)
		return CBEC_ESTORE;
	bind_text(q, 1, guid);
	return doc_one(q, out);
}

static int sq_doc_body(struct store *base, int64_t id, char **body, size_t *len)
{
	struct sq *s = (struct sq *)base;
	int rc0 = msg_flush(s); /* a document's body may be its message's */
	if (rc0)
		return rc0;
	sqlite3_stmt *q = stmt(s, S_DOC_BODY);
	if (!q)
		return CBEC_ESTORE;
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		*body = dup_blob(q, 0, len);
		rc = *body ? 0 : CBEC_ENOTFOUND;
	} else {
		rc = rc == SQLITE_DONE ? CBEC_ENOTFOUND : CBEC_ESTORE;
	}
	sqlite3_reset(q);
	return rc;
}

static int sq_doc_put(struct store *base, struct store_doc *d)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *q;
	if (d->id) {
		q = stmt(s, S_DOC_UPDATE);
		if (!q)
			return CBEC_ESTORE;
		bind_text(q, 1, d->link);
		bind_text(q, 2, d->ref);
		bind_text(q, 3, d->owner);
		bind_text(q, 4, d->guid);
		bind_text(q, 5, d->app_time);
		sqlite3_bind_int(q, 6, d->state);
		sqlite3_bind_int64(q, 7, d->msg_id);
		sqlite3_bind_int64(q, 8, d->updated);
		if (d->body)
			sqlite3_bind_blob(q, 9, d->body, (int)d->body_len, SQLITE_STATIC);
		else
			sqlite3_bind_null(q, 9);
		sqlite3_bind_int64(q, 10, d->id);
		return exec_step(q);
	}
	q = stmt(s, S_DOC_INSERT);
	if (!q)
		return CBEC_ESTORE;
	sqlite3_bind_int(q, 1, d->kind);
	bind_text(q, 2, d->key);
	bind_text(q, 3, d->link);
	bind_text(q, 4, d->ref);
	bind_text(q, 5, d->owner);
	bind_text(q, 6, d->guid);
	bind_text(q, 7, d->app_time);
	sqlite3_bind_int(q, 8, d->state);
	sqlite3_bind_int64(q, 9, d->msg_id);
	sqlite3_bind_int64(q, 10, d->updated);
	if (d->body)
		sqlite3_bind_blob(q, 11, d->body, (int)d->body_len, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, 11);
	int rc = exec_step(q);
	if (!rc)
		d->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

static int sq_doc_set_state(struct store *base, int64_t id, int state, int64_t now)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *q = stmt(s, S_DOC_STATE);
	if (!q)
		return CBEC_ESTORE;
	sqlite3_bind_int(q, 1, state);
	sqlite3_bind_int64(q, 2, now);
	sqlite3_bind_int64(q, 3, id);
	return exec_step(q);
}

static int sq_doc_set_ref(struct store *base, int64_t id, const char *ref)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *q = stmt(s, S_DOC_REF);
	if (!q)
		return CBEC_ESTORE;
	bind_text(q, 1, ref);
	sqlite3_bind_int64(q, 2, id);
	return exec_step(q);
}

static int sq_doc_each_stale(struct store *base, int kind, int state, int64_t before,
			 int (*fn)(void *ctx, const struct store_doc *d), void *ctx)
{
	struct sq *s = (struct sq *)base;
	/* Collected first: the callback may write to the same table. The waiting lists have
	 * their own statement with `state = 2` written out, so its plan is the partial index of
	 * them by itself; with `state = ?` SQLite found that index only by planning again with
	 * the bound value at each run (its plan without the value reads every list). */
	bool waiting = state == DOC_WAITING;
	sqlite3_stmt *q = stmt(s, waiting ? S_DOC_WAITING : S_DOC_STALE);
	if (!q)
		return CBEC_ESTORE;
	int col = 1;
	sqlite3_bind_int(q, col++, kind);
	if (!waiting)
		sqlite3_bind_int(q, col++, state);
	sqlite3_bind_int64(q, col, before);
	struct store_doc *list = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			struct store_doc *l = realloc(list, cap * sizeof *l);
			if (!l) {
				rc = SQLITE_NOMEM;
				break;
			}
			list = l;
		}
		memset(&list[n], 0, sizeof list[n]);
		read_doc(q, &list[n++]);
	}
	sqlite3_reset(q);
	int err = rc == SQLITE_DONE ? 0 : CBEC_ESTORE;
	for (size_t i = 0; i < n; i++) {
		if (!err)
			err = fn(ctx, &list[i]);
		store_doc_clear(&list[i]);
	}
	free(list);
	return err;
}

/* ---- events ---- */

/* Kept until EV_MAX wait, or the transaction commits, or a savepoint comes or goes, or
 * they are read (ev_flush). */
static int sq_event_add(struct store *base, const struct store_event *e)
{
	struct sq *s = (struct sq *)base;
	struct store_event *to = &s->ev[s->nev];
	*to = *e;
	if (e->reason && !(to->reason = strdup(e->reason)))
		return CBEC_ENOMEM;
	/* outside a transaction it goes in at once, as every other write does */
	return ++s->nev == EV_MAX || sqlite3_get_autocommit(s->db) ? ev_flush(s) : 0;
}

/* The end of the writer's optimistic pass (store_written): a failing write shows here. */
static int sq_written(struct store *base)
{
	return ev_flush((struct sq *)base);
}

static int sq_events_of(struct store *base, int64_t doc_id,
		    int (*fn)(void *ctx, const struct store_event *e), void *ctx)
{
	struct sq *s = (struct sq *)base;
	int rc0 = ev_flush(s);
	if (rc0)
		return rc0;
	sqlite3_stmt *q = stmt(s, S_EVENTS_OF);
	if (!q)
		return CBEC_ESTORE;
	sqlite3_bind_int64(q, 1, doc_id);
	int rc, err = 0;
	while (!err && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct store_event e = {
			.doc_id = sqlite3_column_int64(q, 0),
			.from = sqlite3_column_int(q, 1),
			.to = sqlite3_column_int(q, 2),
			.at = sqlite3_column_int64(q, 3),
			.reason = (const char *)sqlite3_column_text(q, 4),
			.msg_id = sqlite3_column_int64(q, 5),
		};
		err = fn(ctx, &e);
	}
	sqlite3_reset(q);
	return err;
}

/* ---- receipts ---- */

static int sq_receipt_add(struct store *base, const struct store_receipt *r, int64_t *seq)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *q = stmt(s, S_RECEIPT_ADD);
	if (!q)
		return CBEC_ESTORE;
	bind_text(q, 1, r->recipient);
	sqlite3_bind_int(q, 2, r->type);
	sqlite3_bind_int(q, 3, r->doc_kind);
	bind_text(q, 4, r->doc_key);
	bind_text(q, 5, r->status);
	sqlite3_bind_int64(q, 6, r->created);
	bind_text(q, 7, r->xml);
	bind_id(q, 8, r->doc_id);
	int rc = exec_step(q);
	if (!rc && seq)
		*seq = sqlite3_last_insert_rowid(s->db);
	return rc;
}

static int each_receipt(sqlite3_stmt *q, int (*fn)(void *ctx, const struct store_receipt *r),
			void *ctx)
{
	int rc, err = 0;
	while (!err && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct store_receipt r = {
			.seq = sqlite3_column_int64(q, 0),
			.recipient = (char *)sqlite3_column_text(q, 1),
			.type = sqlite3_column_int(q, 2),
			.doc_kind = sqlite3_column_int(q, 3),
			.doc_key = (char *)sqlite3_column_text(q, 4),
			.status = (char *)sqlite3_column_text(q, 5),
			.created = sqlite3_column_int64(q, 6),
			.xml = (char *)sqlite3_column_text(q, 7),
		};
		err = fn(ctx, &r);
	}
	sqlite3_reset(q);
	return err;
}

static int sq_receipts_after(struct store *base, const char *recipient, int64_t after, int limit,
			 int (*fn)(void *ctx, const struct store_receipt *r), void *ctx)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *q = stmt(s, recipient ? S_RECEIPTS_AFTER : S_RECEIPTS_AFTER_ALL);
	if (!q)
		return CBEC_ESTORE;
	int i = 1;
	if (recipient)
		bind_text(q, i++, recipient);
	sqlite3_bind_int64(q, i++, after);
	sqlite3_bind_int(q, i, limit);
	return each_receipt(q, fn, ctx);
}

static int sq_receipts_of_doc(struct store *base, int doc_kind, const char *doc_key,
			  int (*fn)(void *ctx, const struct store_receipt *r), void *ctx)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *q = stmt(s, S_RECEIPTS_DOC);
	if (!q)
		return CBEC_ESTORE;
	sqlite3_bind_int(q, 1, doc_kind);
	bind_text(q, 2, doc_key);
	return each_receipt(q, fn, ctx);
}

static int sq_receipt_exists(struct store *base, int doc_kind, const char *doc_key, int64_t doc_id,
			     const char *status, bool *exists)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *q = stmt(s, S_RECEIPT_EXISTS);
	if (!q)
		return CBEC_ESTORE;
	sqlite3_bind_int(q, 1, doc_kind);
	bind_text(q, 2, doc_key);
	bind_text(q, 3, status);
	bind_id(q, 4, doc_id);
	int rc = sqlite3_step(q);
	*exists = rc == SQLITE_ROW;
	sqlite3_reset(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : CBEC_ESTORE;
}

/* ---- quota ---- */

static int sq_quota_get(struct store *base, const char *buyer, int year, int64_t *reserved,
		    int64_t *committed)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *q = stmt(s, S_QUOTA_GET);
	if (!q)
		return CBEC_ESTORE;
	bind_text(q, 1, buyer);
	sqlite3_bind_int(q, 2, year);
	int rc = sqlite3_step(q);
	*reserved = *committed = 0;
	if (rc == SQLITE_ROW) {
		*reserved = sqlite3_column_int64(q, 0);
		*committed = sqlite3_column_int64(q, 1);
	}
	sqlite3_reset(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : CBEC_ESTORE;
}

static int sq_quota_add(struct store *base, const char *buyer, int year, int64_t d_reserved,
		    int64_t d_committed)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *q = stmt(s, S_QUOTA_ADD);
	if (!q)
		return CBEC_ESTORE;
	bind_text(q, 1, buyer);
	sqlite3_bind_int(q, 2, year);
	sqlite3_bind_int64(q, 3, d_reserved);
	sqlite3_bind_int64(q, 4, d_committed);
	return exec_step(q);
}

static int sq_hold_put(struct store *base, const struct store_hold *h)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *q = stmt(s, S_HOLD_PUT);
	if (!q)
		return CBEC_ESTORE;
	sqlite3_bind_int64(q, 1, h->list_id);
	bind_text(q, 2, h->buyer);
	sqlite3_bind_int(q, 3, h->year);
	sqlite3_bind_int64(q, 4, h->amount);
	sqlite3_bind_int(q, 5, h->state);
	return exec_step(q);
}

static int sq_hold_get(struct store *base, int64_t list_id, struct store_hold *out)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *q = stmt(s, S_HOLD_GET);
	if (!q)
		return CBEC_ESTORE;
	memset(out, 0, sizeof *out);
	sqlite3_bind_int64(q, 1, list_id);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		out->list_id = sqlite3_column_int64(q, 0);
		out->buyer = dup_col(q, 1);
		out->year = sqlite3_column_int(q, 2);
		out->amount = sqlite3_column_int64(q, 3);
		out->state = sqlite3_column_int(q, 4);
		rc = 0;
	} else {
		rc = rc == SQLITE_DONE ? CBEC_ENOTFOUND : CBEC_ESTORE;
	}
	sqlite3_reset(q);
	return rc;
}

/* ---- tax ---- */

static int sq_tax_put(struct store *base, const struct store_tax *t)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *q = stmt(s, S_TAX_PUT);
	if (!q)
		return CBEC_ESTORE;
	sqlite3_bind_int64(q, 1, t->list_id);
	sqlite3_bind_int64(q, 2, t->dutiable);
	sqlite3_bind_int64(q, 3, t->customs_tax);
	sqlite3_bind_int64(q, 4, t->vat);
	sqlite3_bind_int64(q, 5, t->ct);
	sqlite3_bind_int64(q, 6, t->total);
	sqlite3_bind_int(q, 7, t->full_rate);
	bind_text(q, 8, t->lines_json);
	return exec_step(q);
}

static int sq_tax_get(struct store *base, int64_t list_id, struct store_tax *out)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *q = stmt(s, S_TAX_GET);
	if (!q)
		return CBEC_ESTORE;
	memset(out, 0, sizeof *out);
	sqlite3_bind_int64(q, 1, list_id);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		out->list_id = sqlite3_column_int64(q, 0);
		out->dutiable = sqlite3_column_int64(q, 1);
		out->customs_tax = sqlite3_column_int64(q, 2);
		out->vat = sqlite3_column_int64(q, 3);
		out->ct = sqlite3_column_int64(q, 4);
		out->total = sqlite3_column_int64(q, 5);
		out->full_rate = sqlite3_column_int(q, 6) != 0;
		out->lines_json = dup_col(q, 7);
		rc = 0;
	} else {
		rc = rc == SQLITE_DONE ? CBEC_ENOTFOUND : CBEC_ESTORE;
	}
	sqlite3_reset(q);
	return rc;
}

/* ---- outbox and cursors ---- */

static int sq_out_add(struct store *base, int channel, const char *guid, int64_t msg_id,
		  const char *body, size_t len, int64_t *seq)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *q = stmt(s, S_OUT_ADD);
	if (!q)
		return CBEC_ESTORE;
	sqlite3_bind_int(q, 1, channel);
	bind_text(q, 2, guid);
	if (body) {
		sqlite3_bind_null(q, 3);
		sqlite3_bind_blob(q, 4, body, (int)len, SQLITE_STATIC);
	} else {
		sqlite3_bind_int64(q, 3, msg_id);
		sqlite3_bind_null(q, 4);
	}
	int rc = exec_step(q);
	if (!rc && seq)
		*seq = sqlite3_last_insert_rowid(s->db);
	return rc;
}

static int sq_out_after(struct store *base, int channel, int64_t after, int limit,
		    int (*fn)(void *ctx, const struct store_out *o), void *ctx)
{
	struct sq *s = (struct sq *)base;
	int rc0 = msg_flush(s); /* an outbox row's body may be its message's */
	if (rc0)
		return rc0;
	sqlite3_stmt *q = stmt(s, S_OUT_AFTER);
	if (!q)
		return CBEC_ESTORE;
	sqlite3_bind_int(q, 1, channel);
	sqlite3_bind_int64(q, 2, after);
	sqlite3_bind_int(q, 3, limit);
	int rc, err = 0;
	while (!err && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct store_out o = {
			.seq = sqlite3_column_int64(q, 0),
			.channel = sqlite3_column_int(q, 1),
			.guid = (char *)sqlite3_column_text(q, 2),
			.body = (char *)sqlite3_column_blob(q, 3),
			.body_len = (size_t)sqlite3_column_bytes(q, 3),
		};
		err = fn(ctx, &o);
	}
	sqlite3_reset(q);
	return err;
}

static int sq_cursor_get(struct store *base, const char *name, int64_t *value)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *q = stmt(s, S_CURSOR_GET);
	if (!q)
		return CBEC_ESTORE;
	bind_text(q, 1, name);
	int rc = sqlite3_step(q);
	*value = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
	sqlite3_reset(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : CBEC_ESTORE;
}

static int sq_cursor_set(struct store *base, const char *name, int64_t value)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *q = stmt(s, S_CURSOR_SET);
	if (!q)
		return CBEC_ESTORE;
	bind_text(q, 1, name);
	sqlite3_bind_int64(q, 2, value);
	return exec_step(q);
}

/* ---- accounts ---- */

static int sq_account_put(struct store *base, const struct store_account *a)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *q = stmt(s, S_ACCOUNT_PUT);
	if (!q)
		return CBEC_ESTORE;
	bind_text(q, 1, a->code);
	bind_text(q, 2, a->name);
	sqlite3_bind_int(q, 3, a->role);
	bind_text(q, 4, a->token_hash);
	sqlite3_bind_int64(q, 5, a->created);
	return exec_step(q);
}

static int account_one(sqlite3_stmt *q, struct store_account *out)
{
	memset(out, 0, sizeof *out);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		out->code = dup_col(q, 0);
		out->name = dup_col(q, 1);
		out->role = sqlite3_column_int(q, 2);
		out->token_hash = dup_col(q, 3);
		out->created = sqlite3_column_int64(q, 4);
		rc = 0;
	} else {
		rc = rc == SQLITE_DONE ? CBEC_ENOTFOUND : CBEC_ESTORE;
	}
	sqlite3_reset(q);
	return rc;
}

static int sq_account_by_token_hash(struct store *base, const char *hash, struct store_account *out)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *q = stmt(s, S_ACCOUNT_BY_HASH);
	if (!q)
		return CBEC_ESTORE;
	bind_text(q, 1, hash);
	return account_one(q, out);
}

static int sq_account_get(struct store *base, const char *code, struct store_account *out)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *q = stmt(s, S_ACCOUNT_GET);
	if (!q)
		return CBEC_ESTORE;
	bind_text(q, 1, code);
	return account_one(q, out);
}

/* ---- figures ---- */

static int64_t scalar(struct sq *s, const char *q_sql)
{
	sqlite3_stmt *q;
	int64_t v = -1;
	if (sqlite3_prepare_v2(s->db, q_sql, -1, &q, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(q) == SQLITE_ROW)
		v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return v;
}

static int sq_lists_count(struct store *base, struct store_lists *out)
{
	struct sq *s = (struct sq *)base;
	memset(out, 0, sizeof *out);
	out->last_receipt = scalar(s, "SELECT coalesce(max(seq), 0) FROM receipt");
	sqlite3_stmt *q;
	if (out->last_receipt < 0 ||
	    sqlite3_prepare_v2(s->db, "SELECT state, count(*) FROM doc WHERE kind IN (621, 603) GROUP BY state",
			       -1, &q, NULL) != SQLITE_OK)
		return CBEC_ESTORE;
	while (sqlite3_step(q) == SQLITE_ROW) {
		int st = sqlite3_column_int(q, 0);
		if (st > 0 && st < DOC_STATE__N)
			out->by_state[st] = sqlite3_column_int64(q, 1);
	}
	return sqlite3_finalize(q) == SQLITE_OK ? 0 : CBEC_ESTORE;
}

static int sq_counts(struct store *base, struct store_counts *out)
{
	struct sq *s = (struct sq *)base;
	memset(out, 0, sizeof *out);
	sqlite3_stmt *q = stmt(s, S_TALLY_GET);
	if (!q)
		return CBEC_ESTORE;
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		out->messages = sqlite3_column_int64(q, 0);
		out->rejected_messages = sqlite3_column_int64(q, 1);
		out->documents = sqlite3_column_int64(q, 2);
		out->receipts = sqlite3_column_int64(q, 3);
	}
	sqlite3_reset(q);
	return rc == SQLITE_ROW ? 0 : CBEC_ESTORE;
}

static int sq_tally_add(struct store *base, const struct store_tally *d)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *q = stmt(s, S_TALLY_ADD);
	if (!q)
		return CBEC_ESTORE;
	sqlite3_bind_int64(q, 1, d->messages);
	sqlite3_bind_int64(q, 2, d->rejected);
	sqlite3_bind_int64(q, 3, d->documents);
	sqlite3_bind_int64(q, 4, d->receipts);
	return exec_step(q);
}

/* RESTART / TRUNCATE wait (busy handler) for the readers' current statements, which are
 * short, then copy the WAL back and start it over: the writer calls it between batches when
 * the WAL outgrew what the checkpointer beside it (sq_checkpoint_aside) keeps up with, or
 * when there is no such checkpointer. TRUNCATE empties the file, and the writes after it
 * had each to add a page to the file again (page cache and block allocation: a tenth of the
 * writer's time at 100k orders, 7.6-7.9k -> 8.4-8.6k msg/s without); RESTART keeps it, and
 * the next commit cuts it to WAL_KEEP_BYTES (journal_size_limit). */
static int sq_checkpoint(struct store *base, bool shrink)
{
	struct sq *s = (struct sq *)base;
	int log = 0, done = 0;
	int rc = sqlite3_wal_checkpoint_v2(s->db, NULL, shrink ? SQLITE_CHECKPOINT_TRUNCATE : SQLITE_CHECKPOINT_RESTART,
					   &log, &done);
	if (rc == SQLITE_OK)
		s->wal_pages = 0;
	return rc == SQLITE_OK || rc == SQLITE_BUSY ? 0 : CBEC_ESTORE;
}

/* Copies what the readers allow without holding the writer up; then, when that was all of
 * the log and the log is large enough, starts it over (RESTART). A restart holds the writer
 * up while it copies what was added since the last copy and syncs, and does so only when it
 * gets the writer's lock (between two of its transactions; else it gives up, having copied
 * on): so the log is copied again, up to RESTART_PASSES times, until what a copy found added
 * is small, and the restart has little left to do. Another checkpoint running is not an
 * error (the writer's own). */
#define RESTART_PASSES 4
#define RESTART_REST_BYTES ((int64_t)2 << 20)
static int sq_checkpoint_aside(struct store *base, int64_t restart_bytes)
{
	struct sq *s = (struct sq *)base;
	/* RESTART holds the writer off while it waits for readers of the old log: a long read
	 * (a scan for the figures, an export) must not stall the writer, so it gives up soon and
	 * tries again next round */
	s->brief_waits = true;
	int log = 0, done = 0, copied = 0;
	int rc = sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
	if (rc != SQLITE_OK || log == 0 || done != log || (int64_t)log * s->page_size < restart_bytes)
		goto out;
	for (int pass = 1; pass < RESTART_PASSES && (int64_t)(log - copied) * s->page_size > RESTART_REST_BYTES;
	     pass++) {
		copied = log;
		rc = sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
		/* log < copied: the writer started the log over itself */
		if (rc != SQLITE_OK || done != log || log < copied)
			goto out;
	}
	rc = sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_RESTART, NULL, NULL);
out:
	return rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? 0 : CBEC_ESTORE;
}

/* In WAL mode with synchronous=NORMAL a commit is written to the WAL but not flushed; the WAL
 * is flushed before every checkpoint, so the database file never gets ahead of it. A flush
 * of the WAL's file after a commit returned therefore makes that commit (and all before it)
 * durable; the WAL keeps its inode while the connection is open (truncation reuses it). */
static int sq_defer_sync(struct store *base)
{
	struct sq *s = (struct sq *)base;
	if (s->readonly)
		return CBEC_EINVAL;
	const char *db = sqlite3_db_filename(s->db, "main");
	if (!db || !*db)
		return CBEC_EINVAL; /* in-memory */
	size_t n = strlen(db) + 5;
	s->wal_path = malloc(n);
	if (!s->wal_path)
		return CBEC_ENOMEM;
	snprintf(s->wal_path, n, "%s-wal", db);
	/* the WAL exists from the first write (migrations wrote at open); make sure of it */
	s->wal_fd = open(s->wal_path, O_RDWR | O_CLOEXEC);
	if (s->wal_fd >= 0 && fdatasync(s->wal_fd) != 0) {
		close(s->wal_fd);
		s->wal_fd = -1;
	}
	if (s->wal_fd < 0)
		return CBEC_ESTORE;
	/* and that its directory entry is on disk */
	char *dir = strdup(db), *slash = dir ? strrchr(dir, '/') : NULL;
	if (dir) {
		if (slash)
			*(slash == dir ? slash + 1 : slash) = '\0';
		int dfd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
		free(dir);
	}
	return sqlite3_exec(s->db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL) == SQLITE_OK
		       ? 0 : CBEC_ESTORE;
}

static int64_t sq_log_bytes(struct store *base)
{
	struct sq *s = (struct sq *)base;
	return (int64_t)s->wal_pages * s->page_size;
}

static int64_t sq_space_left(struct store *base)
{
	struct sq *s = (struct sq *)base;
	const char *db = sqlite3_db_filename(s->db, "main");
	struct statvfs v;
	if (!db || !*db || statvfs(db, &v) != 0)
		return -1;
	return (int64_t)v.f_bavail * (int64_t)v.f_frsize;
}

static int sq_sync(struct store *base)
{
	struct sq *s = (struct sq *)base;
	if (s->wal_fd < 0)
		return 0; /* commits are durable on their own */
	return fdatasync(s->wal_fd) == 0 ? 0 : CBEC_ESTORE;
}

sqlite3_stmt *store_sqlite_ext_stmt(struct store *base, int slot, const char *text)
{
	struct sq *s = (struct sq *)base;
	if (slot < 0 || slot >= STORE_SQLITE_EXT_SLOTS)
		return NULL;
	if (!s->ext[slot] && sqlite3_prepare_v3(s->db, text, -1, SQLITE_PREPARE_PERSISTENT,
						&s->ext[slot], NULL) != SQLITE_OK)
		return NULL;
	sqlite3_reset(s->ext[slot]);
	sqlite3_clear_bindings(s->ext[slot]);
	return s->ext[slot];
}

static void sq_guid_stats(const struct store *base, uint64_t *probed, uint64_t *spared)
{
	store_sqlite_guid_counts(((const struct sq *)base)->guids, probed, spared);
}

static const struct store_ops sq_ops = {
	.guid_stats = sq_guid_stats,
	.defer_sync = sq_defer_sync,
	.log_bytes = sq_log_bytes,
	.space_left = sq_space_left,
	.sync = sq_sync,
	.bonded = &store_sqlite_bonded_ops,
	.summary = &store_sqlite_summary_ops,
	.checkpoint = sq_checkpoint,
	.checkpoint_aside = sq_checkpoint_aside,
	.name = "sqlite",
	.close = sq_close,
	.schema_version = sq_schema_version,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.savepoint = sq_savepoint,
	.release = sq_release,
	.rollback_to = sq_rollback_to,
	.msg_get = sq_msg_get,
	.msg_put = sq_msg_put,
	.msg_set_answer = sq_msg_set_answer,
	.msg_verdict = sq_msg_verdict,
	.doc_get = sq_doc_get,
	.doc_by_link = sq_doc_by_link,
	.doc_by_ref = sq_doc_by_ref,
	.doc_by_guid = sq_doc_by_guid,
	.doc_body = sq_doc_body,
	.doc_put = sq_doc_put,
	.doc_set_state = sq_doc_set_state,
	.doc_set_ref = sq_doc_set_ref,
	.doc_each_stale = sq_doc_each_stale,
	.event_add = sq_event_add,
	.events_of = sq_events_of,
	.written = sq_written,
	.receipt_add = sq_receipt_add,
	.receipts_after = sq_receipts_after,
	.receipt_exists = sq_receipt_exists,
	.receipts_of_doc = sq_receipts_of_doc,
	.quota_get = sq_quota_get,
	.quota_add = sq_quota_add,
	.hold_put = sq_hold_put,
	.hold_get = sq_hold_get,
	.tax_put = sq_tax_put,
	.tax_get = sq_tax_get,
	.out_add = sq_out_add,
	.out_after = sq_out_after,
	.cursor_get = sq_cursor_get,
	.cursor_set = sq_cursor_set,
	.account_put = sq_account_put,
	.account_by_token_hash = sq_account_by_token_hash,
	.account_get = sq_account_get,
	.counts = sq_counts,
	.tally_add = sq_tally_add,
	.lists_count = sq_lists_count,
};
