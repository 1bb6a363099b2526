/* bench_bare: the bare prototype of PERFORMANCE.md ("parses, checks field presence and stores
 * the raw message"), rebuilt beside bench_platform on the same generated workload, so that the
 * platform's figure can be set against what this machine gives a durable store that does
 * nothing but keep each message -- measured in the same hour, with the same load generator
 * on the same two cores.
 *
 * The submitting thread generates each message and parses it (SAX + model: ceb_parse, as
 * intake does; a message without type or guid is refused). One writer thread stores it raw
 * (guid unique, type, sender, time, body) in SQLite WAL with synchronous FULL, everything
 * waiting as one transaction, and answers each message after its commit; SQLite checkpoints
 * in the writer between transactions (wal_autocheckpoint). At most --clients messages in
 * flight (closed loop, as bench_platform's inproc mode). No validation, matching, tax,
 * receipts, customs or stock. Prints figures; asserts nothing.
 *
 * usage: bench_bare [--orders N] [--clients N] [--seed S] [--dir TMPDIR] [--keep] */
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "base/arena.h"
#include "ceb/finding.h"
#include "ceb/parse.h"
#include "clear/tariff.h"
#include "gen/gen.h"
#include "benchutil.h"
#include "base/clock.h"
#include "threads.h"

#ifndef CBEC_DATADIR
#define CBEC_DATADIR "data"
#endif

struct item {
	char *body; /* owned */
	size_t len;
	char guid[48];
	int type;
	char sender[24];
	double t0;
	struct item *next;
};

struct bare {
	pthread_mutex_t mu;
	pthread_cond_t cv;   /* work for the writer, or stop */
	pthread_cond_t done; /* room in flight */
	struct item *head, *tail;
	size_t inflight;
	bool stopping;
	sqlite3 *db;
	sqlite3_stmt *ins;
	float *lat_ms; /* one a message, in answer order */
	uint64_t answered, batches, failed;
	double commit_s;
};

static int db_open(struct bare *b, const char *path)
{
	if (sqlite3_open(path, &b->db) != SQLITE_OK)
		return -1;
	/* the platform's store settings that are not work: its page size, WAL, FULL sync and
	 * page cache */
	const char *ddl = "PRAGMA page_size = 8192; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
			  " PRAGMA cache_size = -65536;"
			  " CREATE TABLE msg(id INTEGER PRIMARY KEY, guid TEXT NOT NULL UNIQUE,"
			  " type INTEGER NOT NULL, sender TEXT NOT NULL, received INTEGER NOT NULL,"
			  " body BLOB NOT NULL);";
	if (sqlite3_exec(b->db, ddl, NULL, NULL, NULL) != SQLITE_OK)
		return -1;
	return sqlite3_prepare_v2(b->db,
				  "INSERT OR IGNORE INTO msg(guid, type, sender, received, body)"
				  " VALUES (?, ?, ?, ?, ?)",
				  -1, &b->ins, NULL) == SQLITE_OK
		       ? 0
		       : -1;
}

static void *writer_main(void *arg)
{
	struct bare *b = arg;
	pthread_setname_np(pthread_self(), "bare-writer");
	for (;;) {
		pthread_mutex_lock(&b->mu);
		while (!b->head && !b->stopping)
			pthread_cond_wait(&b->cv, &b->mu);
		struct item *batch = b->head;
		b->head = b->tail = NULL;
		pthread_mutex_unlock(&b->mu);
		if (!batch)
			break; /* stopping and nothing left */
		double c0 = clock_s();
		int rc = sqlite3_exec(b->db, "BEGIN", NULL, NULL, NULL);
		int64_t at = (int64_t)time(NULL);
		for (struct item *i = batch; i && rc == SQLITE_OK; i = i->next) {
			sqlite3_bind_text(b->ins, 1, i->guid, -1, SQLITE_STATIC);
			sqlite3_bind_int(b->ins, 2, i->type);
			sqlite3_bind_text(b->ins, 3, i->sender, -1, SQLITE_STATIC);
			sqlite3_bind_int64(b->ins, 4, at);
			sqlite3_bind_blob(b->ins, 5, i->body, (int)i->len, SQLITE_STATIC);
			rc = sqlite3_step(b->ins) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
			sqlite3_reset(b->ins);
		}
		rc = sqlite3_exec(b->db, rc == SQLITE_OK ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL) ==
				     SQLITE_OK && rc == SQLITE_OK
			     ? 0
			     : -1;
		double t = clock_s();
		/* answered only now, after the commit */
		size_t n = 0;
		pthread_mutex_lock(&b->mu);
		for (struct item *i = batch, *nx; i; i = nx, n++) {
			nx = i->next;
			b->lat_ms[b->answered++] = (float)((t - i->t0) * 1e3);
			free(i->body);
			free(i);
		}
		b->inflight -= n;
		b->batches++;
		b->failed += rc ? n : 0;
		b->commit_s += t - c0;
		pthread_cond_broadcast(&b->done);
		pthread_mutex_unlock(&b->mu);
	}
	return NULL;
}

/* The database file with its -wal and -shm beside it. */
static void remove_db(const char *path)
{
	static const char *const ext[] = {"", "-wal", "-shm"};
	bu_remove(path, ext, sizeof ext / sizeof ext[0]);
}

static int cmp_float(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;
	return (x > y) - (x < y);
}

static void text_of(const struct ceb_val *v, char *out, size_t n)
{
	size_t k = v && v->p ? (v->n < n - 1 ? v->n : n - 1) : 0;
	if (k)
		memcpy(out, v->p, k);
	out[k] = 0;
}

int main(int argc, char **argv)
{
	uint64_t orders = 100000, seed = 1;
	size_t clients = 1024;
	const char *dir = NULL;
	int keep = 0;
	for (int i = 1; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : "";
		if (!strcmp(argv[i], "--orders"))
			orders = strtoull(v, NULL, 10), i++;
		else if (!strcmp(argv[i], "--clients"))
			clients = strtoull(v, NULL, 10), i++;
		else if (!strcmp(argv[i], "--seed"))
			seed = strtoull(v, NULL, 10), i++;
		else if (!strcmp(argv[i], "--dir"))
			dir = v, i++;
		else if (!strcmp(argv[i], "--keep"))
			keep = 1;
		else {
			fprintf(stderr, "bench_bare: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	char tmpl[] = "/tmp/cbec-bare-XXXXXX";
	if (!dir && !(dir = mkdtemp(tmpl))) {
		perror("mkdtemp");
		return 2;
	}
	char path[4096];
	snprintf(path, sizeof path, "%s/bare.db", dir);
	remove_db(path);

	char err[512];
	struct tariff *t = tariff_load(CBEC_DATADIR "/tariff.csv", err, sizeof err);
	if (!t) {
		fprintf(stderr, "bench_bare: %s\n", err);
		return 2;
	}
	struct gen_opts go;
	gen_opts_default(&go);
	go.orders = orders;
	go.seed = seed;
	struct gen *g = gen_new(&go, t);
	struct ceb_parser *p = ceb_parser_new(NULL);
	struct arena *a = arena_new(64 * 1024);
	/* a day's main stream has under five messages an order: the latency log's size */
	struct bare b = {.mu = PTHREAD_MUTEX_INITIALIZER,
			 .cv = PTHREAD_COND_INITIALIZER,
			 .done = PTHREAD_COND_INITIALIZER};
	size_t cap = (size_t)orders * 5 + 1024;
	b.lat_ms = malloc(cap * sizeof *b.lat_ms);
	if (!g || !p || !a || !b.lat_ms || db_open(&b, path) != 0) {
		fprintf(stderr, "bench_bare: cannot start (%s)\n", b.db ? sqlite3_errmsg(b.db) : "memory");
		return 2;
	}
	pthread_t wt;
	pthread_create(&wt, NULL, writer_main, &b);

	double t0 = clock_s();
	uint64_t messages = 0, refused = 0;
	struct gen_msg m;
	while (gen_next(g, &m) == 1 && !m.followup) {
		double s0 = clock_s();
		struct ceb_findings f;
		ceb_findings_init(&f, a, NULL);
		bool wf;
		int perr;
		struct ceb_msg *msg = ceb_parse(p, m.xml, m.len, a, &f, &wf, &perr);
		messages++;
		if (!msg || !wf || !msg->guid.p || messages > cap) {
			refused++; /* answered at once, nothing stored */
			arena_reset(a);
			continue;
		}
		struct item *it = malloc(sizeof *it);
		it->body = malloc(m.len);
		memcpy(it->body, m.xml, m.len);
		it->len = m.len;
		text_of(&msg->guid, it->guid, sizeof it->guid);
		it->type = m.type;
		snprintf(it->sender, sizeof it->sender, "%s", m.sender);
		it->t0 = s0;
		it->next = NULL;
		arena_reset(a);
		pthread_mutex_lock(&b.mu);
		while (b.inflight >= clients)
			pthread_cond_wait(&b.done, &b.mu);
		b.inflight++;
		if (b.tail)
			b.tail->next = it;
		else
			b.head = it;
		b.tail = it;
		pthread_cond_signal(&b.cv);
		pthread_mutex_unlock(&b.mu);
	}
	pthread_mutex_lock(&b.mu);
	while (b.inflight)
		pthread_cond_wait(&b.done, &b.mu);
	pthread_mutex_unlock(&b.mu);
	double secs = clock_s() - t0;
	char *cpu_line = bt_line(messages); /* while the writer is alive */
	pthread_mutex_lock(&b.mu);
	b.stopping = true;
	pthread_cond_signal(&b.cv);
	pthread_mutex_unlock(&b.mu);
	pthread_join(wt, NULL);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	qsort(b.lat_ms, b.answered, sizeof *b.lat_ms, cmp_float);
	double p50 = b.answered ? b.lat_ms[b.answered / 2] : 0;
	double p99 = b.answered ? b.lat_ms[(size_t)((double)b.answered * 0.99)] : 0;
	printf("bare     orders %8llu  messages %8llu  intake %8.0f msg/s  p50 %7.2f ms  p99 %7.2f ms"
	       "  %llu refused unread, %llu failed  peak RSS %5.0f MB\n",
	       (unsigned long long)orders, (unsigned long long)messages, (double)messages / secs,
	       p50, p99, (unsigned long long)refused, (unsigned long long)b.failed,
	       (double)ru.ru_maxrss / 1024.0);
	printf("         writer: %llu batches, %.0f messages/batch, in its transactions %.1f s of %.1f s\n",
	       (unsigned long long)b.batches,
	       b.batches ? (double)b.answered / (double)b.batches : 0.0, b.commit_s, secs);
	if (cpu_line)
		fputs(cpu_line, stdout);
	free(cpu_line);
	sqlite3_finalize(b.ins);
	sqlite3_close(b.db);
	ceb_parser_free(p);
	arena_free(a);
	gen_free(g);
	tariff_free(t);
	free(b.lat_ms);
	if (!keep) {
		remove_db(path);
		if (dir == tmpl)
			rmdir(dir);
	}
	return 0;
}
