/* bench_platform: the whole platform under a generated workload (cbec gen's festival day),
 * durable commits on. Three ways in:
 *   inproc    messages handed to the service directly (no network)
 *   http      N keep-alive HTTP clients on loopback; with --rate, paced (open loop)
 *   exchange  files dropped into the exchange folder
 * It prints messages/s, p50/p99 time from arrival to receipt, seconds until every list has
 * its final state (the day cleared end to end), peak memory and store size per million
 * messages. Prints figures; asserts nothing.
 *
 * usage: bench_platform [--mode inproc|http|exchange] [--orders N] [--clients N]
 *                       [--rate MSG_PER_S] [--seed S] [--dir TMPDIR] [--keep]
 *                       [--db URL]   (another store, e.g. postgresql://…; default a SQLite
 *                                     file in the folder; the size figure is the file's)
 * The http and exchange modes keep an audit log (bench.db.audit.log), as cbec serve does. */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "audit/audit.h"
#include "base/buf.h"
#include "base/fsutil.h"
#include "clear/tariff.h"
#include "exchange/exchange.h"
#include "gen/gen.h"
#include "gen/send.h"
#include "http/http.h"
#include "benchutil.h"
#include "base/clock.h"
#include "threads.h"
#include "store/store.h"
#include "svc/bonded_svc.h"
#include "svc/svc.h"

#ifndef CBEC_DATADIR
#define CBEC_DATADIR "data"
#endif

/* ---- the workload, streamed, with a token per sender ---- */

struct party_token {
	char code[32];
	char token[64];
};

struct source {
	struct gen *g;
	struct party_token *tok;
	size_t ntok;
	uint64_t messages, lists;
	/* the current message, copied: gen_next's buffer is reused */
	struct buf cur;
};

static const char *token_of(struct source *s, const char *code)
{
	for (size_t i = 0; i < s->ntok; i++)
		if (!strcmp(s->tok[i].code, code))
			return s->tok[i].token;
	return "none";
}

/* Next main-stream message (follow-ups need customs numbers and are not part of the day). */
static int next_msg(struct source *s, const char **body, size_t *len, const char **token)
{
	struct gen_msg m;
	if (gen_next(s->g, &m) != 1 || m.followup)
		return 1;
	buf_reset(&s->cur);
	buf_put(&s->cur, m.xml, m.len);
	*body = s->cur.p;
	*len = s->cur.n;
	*token = token_of(s, m.sender);
	s->messages++;
	/* lists that are stored and so must reach a final state (released or rejected); those
	 * refused at intake by the checks never become documents */
	static const char *const stored[] = {"ok", "M-04", "M-05", "L-01", "L-02", "P-04", "B-04", NULL};
	if (m.type == 621 || m.type == 603)
		for (int i = 0; stored[i]; i++)
			if (!strcmp(m.expect, stored[i]))
				s->lists++;
	return 0;
}

static int send_next(void *ctx, struct gsend_msg *m)
{
	return next_msg(ctx, &m->body, &m->len, &m->token);
}

static void make_accounts(struct store *st, struct source *s)
{
	size_t n;
	const struct gen_party *p = gen_parties(&n);
	s->tok = calloc(n, sizeof *s->tok);
	for (size_t i = 0; i < n; i++) {
		if (!p[i].sends)
			continue;
		struct party_token *t = &s->tok[s->ntok++];
		snprintf(t->code, sizeof t->code, "%s", p[i].code);
		snprintf(t->token, sizeof t->token, "bench-%s", p[i].code);
		unsigned char md[32];
		unsigned int ml;
		EVP_Digest(t->token, strlen(t->token), md, &ml, EVP_sha256(), NULL);
		char hex[65];
		for (unsigned k = 0; k < ml; k++)
			snprintf(hex + 2 * k, 3, "%02x", md[k]);
		struct store_account a = {t->code, (char *)p[i].name, ROLE_ENTERPRISE, hex, 0};
		store_account_put(st, &a);
	}
}

/* The day's 1210 stock-in, credited before the run from a second generator of the same
 * workload (stock-in is not part of what is measured: it arrives by another path). */
static int credit_stock(struct store *st, const struct gen_opts *go, const struct tariff *t)
{
	struct gen *g = gen_new(go, t);
	if (!g || store_begin(st) != 0) {
		gen_free(g);
		return -1;
	}
	struct gen_stockin si;
	struct gen_msg m;
	int rc = 0;
	for (;;) {
		while (!rc && gen_next_stockin(g, &si) == 1) {
			struct bonded_stockin in = {si.ems_no, si.item_no, si.gcode, si.gname, si.unit, si.entry, si.qty};
			struct bonded_svc_answer ans;
			rc = bonded_svc_stockin(st, si.owner, &in, 0, &ans);
			if (!rc && ans.http != 200) {
				fprintf(stderr, "bench_platform: stock-in refused: %s\n", ans.why);
				rc = -1;
			}
		}
		if (rc || gen_next(g, &m) != 1 || m.followup)
			break;
	}
	gen_free(g);
	if (rc) {
		store_rollback(st);
		return -1;
	}
	return store_commit(st);
}

/* ---- in-process intake ---- */

#define NBUCKET 512
struct inproc {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	uint64_t answered, ok, inflight;
	uint64_t hist[NBUCKET];
};

struct pending {
	struct inproc *ip;
	double t0;
};

static void inproc_done(void *ctx, enum svc_outcome o, const char *a, size_t l)
{
	struct pending *p = ctx;
	double us = (clock_s() - p->t0) * 1e6;
	int b = us <= 1 ? 0 : (int)(16 * log2(us));
	if (b >= NBUCKET)
		b = NBUCKET - 1;
	pthread_mutex_lock(&p->ip->mu);
	p->ip->hist[b]++;
	p->ip->answered++;
	p->ip->inflight--;
	if (o != SVC_UNAVAILABLE)
		p->ip->ok++;
	pthread_cond_broadcast(&p->ip->cv);
	pthread_mutex_unlock(&p->ip->mu);
	free(p);
}

static double hq(const uint64_t *h, uint64_t total, double q)
{
	uint64_t want = (uint64_t)(q * (double)total), acc = 0;
	for (int i = 0; i < NBUCKET; i++) {
		acc += h[i];
		if (acc > want)
			return pow(2, (i + 1) / 16.0) / 1000.0;
	}
	return 0;
}

/* ---- waiting for the day to clear ---- */

static uint64_t final_lists(const char *db)
{
	struct store *r;
	char err[256];
	if (store_open(db, true, &r, err, sizeof err) != 0)
		return 0;
	struct store_lists c;
	uint64_t n = 0;
	if (store_lists_count(r, &c) == 0)
		n = (uint64_t)(c.by_state[DOC_RELEASED] + c.by_state[DOC_REJECTED]);
	store_close(r);
	return n;
}

/* The run's files in its folder: the store, its WAL and index, the simulator's state and the
 * audit log. A run starts from none of them (a run killed before would leave its store). */
static void remove_store(const char *path)
{
	static const char *const ext[] = {"", "-wal", "-shm", ".customs-sim", ".customs-sim-wal",
					  ".customs-sim-shm", ".audit.log"};
	bu_remove(path, ext, sizeof ext / sizeof ext[0]);
}

/* Bytes this process has had written to the disk so far (its page-cache writeback included),
 * -1 where the kernel does not say. */
static int64_t disk_written(void)
{
	FILE *f = fopen("/proc/self/io", "r");
	if (!f)
		return -1;
	char line[128];
	long long v = -1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "write_bytes: %lld", &v) == 1)
			break;
	fclose(f);
	return v;
}

static off_t file_size(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 ? st.st_size : 0;
}

int main(int argc, char **argv)
{
	const char *mode = "inproc", *dir = NULL, *db = NULL;
	uint64_t orders = 100000, seed = 1;
	int clients = 16, keep = 0;
	double rate = 0;
	for (int i = 1; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : "";
		if (!strcmp(argv[i], "--mode"))
			mode = v, i++;
		else if (!strcmp(argv[i], "--orders"))
			orders = strtoull(v, NULL, 10), i++;
		else if (!strcmp(argv[i], "--clients"))
			clients = atoi(v), i++;
		else if (!strcmp(argv[i], "--rate"))
			rate = atof(v), i++;
		else if (!strcmp(argv[i], "--seed"))
			seed = strtoull(v, NULL, 10), i++;
		else if (!strcmp(argv[i], "--dir"))
			dir = v, i++;
		else if (!strcmp(argv[i], "--db"))
			db = v, i++;
		else if (!strcmp(argv[i], "--keep"))
			keep = 1;
		else {
			fprintf(stderr, "bench_platform: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	char tmpl[] = "/tmp/cbec-bench-XXXXXX";
	char path[4096];
	if (!dir && !(dir = mkdtemp(tmpl))) {
		perror("mkdtemp");
		return 2;
	}
	snprintf(path, sizeof path, "%s/bench.db", dir);
	remove_store(path);
	char url[4200];
	if (db)
		snprintf(url, sizeof url, "%s", db);
	else
		snprintf(url, sizeof url, "sqlite:%s", path);
	char err[512];
	struct tariff *t = tariff_load(CBEC_DATADIR "/tariff.csv", err, sizeof err);
	if (!t) {
		fprintf(stderr, "bench_platform: %s\n", err);
		return 2;
	}
	struct gen_opts go;
	gen_opts_default(&go);
	go.orders = orders;
	go.seed = seed;
	struct source src = {0};
	src.g = gen_new(&go, t);
	struct store *st;
	if (!src.g || store_open(url, false, &st, err, sizeof err) != 0) {
		fprintf(stderr, "bench_platform: cannot start (%s)\n", src.g ? err : "generator");
		return 2;
	}
	make_accounts(st, &src);
	if (credit_stock(st, &go, t) != 0) {
		fprintf(stderr, "bench_platform: cannot credit the day's bonded stock\n");
		return 2;
	}
	store_close(st);

	struct svc_opts so;
	svc_opts_default(&so);
	so.db_url = url;
	so.tariff_path = CBEC_DATADIR "/tariff.csv";
	so.match_timeout_ms = 5000; /* the unmatched (faulty) orders' lists time out quickly */
	so.check.verify_signatures = false; /* the workload's signatures are placeholders */
	struct svc *svc;
	if (svc_open(&so, &svc, err, sizeof err) != 0) {
		fprintf(stderr, "bench_platform: %s\n", err);
		return 2;
	}
	char audit_path[4300];
	snprintf(audit_path, sizeof audit_path, "%s.audit.log", path);
	struct audit *audit = NULL;
	if (strcmp(mode, "inproc") != 0 && audit_open(audit_path, &audit, NULL, err, sizeof err) != 0) {
		fprintf(stderr, "bench_platform: %s\n", err);
		return 2;
	}
	double t0 = clock_s(), intake = 0, p50 = 0, p99 = 0;
	int64_t written0 = disk_written();
	uint64_t answered = 0;
	if (!strcmp(mode, "inproc")) {
		struct inproc ip = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};
		const char *body, *tok;
		size_t len;
		/* closed loop: at most `clients` messages in flight, like that many senders each
		 * waiting for its receipt, so the latency is arrival to receipt, not queueing */
		while (next_msg(&src, &body, &len, &tok) == 0) {
			struct pending *p = malloc(sizeof *p);
			p->ip = &ip;
			pthread_mutex_lock(&ip.mu);
			while (ip.inflight >= (uint64_t)clients)
				pthread_cond_wait(&ip.cv, &ip.mu);
			ip.inflight++;
			pthread_mutex_unlock(&ip.mu);
			p->t0 = clock_s();
			while (svc_submit(svc, body, len, NULL, inproc_done, p) != 0)
				usleep(200); /* queue full: back-pressure */
		}
		pthread_mutex_lock(&ip.mu);
		while (ip.inflight)
			pthread_cond_wait(&ip.cv, &ip.mu);
		pthread_mutex_unlock(&ip.mu);
		intake = clock_s() - t0;
		answered = ip.answered;
		p50 = hq(ip.hist, ip.answered, 0.5);
		p99 = hq(ip.hist, ip.answered, 0.99);
	} else if (!strcmp(mode, "http")) {
		struct http_opts ho;
		http_opts_default(&ho);
		ho.listen = "127.0.0.1:0";
		ho.audit = audit;
		struct http *h;
		if (http_start(svc, &ho, &h, err, sizeof err) != 0) {
			fprintf(stderr, "bench_platform: %s\n", err);
			return 2;
		}
		struct gsend_target to = {"127.0.0.1", ""};
		snprintf(to.port, sizeof to.port, "%d", http_port(h));
		struct gsend_opts sopt = {&to, clients, rate, 0};
		struct gsend_result r;
		if (gsend_run(&sopt, send_next, NULL, &src, &r) != 0) {
			fprintf(stderr, "bench_platform: no memory for the load's connections\n");
			return 2;
		}
		intake = r.seconds;
		answered = r.ok + r.bad;
		p50 = r.p50_ms;
		p99 = r.p99_ms;
		if (r.unavailable || r.errors)
			printf("  (%llu answered 503, %llu transport errors)\n", (unsigned long long)r.unavailable,
			       (unsigned long long)r.errors);
		/* every request has its answer: HTTP can go, the service keeps clearing */
		http_stop(h);
	} else if (!strcmp(mode, "exchange")) {
		char ex[4200], in[4300];
		snprintf(ex, sizeof ex, "%s/exchange", dir);
		struct exchange *x;
		if (exchange_start(svc, ex, audit, &x, err, sizeof err) != 0) {
			fprintf(stderr, "bench_platform: %s\n", err);
			return 2;
		}
		snprintf(in, sizeof in, "%s/in", ex);
		const char *body, *tok;
		size_t len;
		uint64_t n = 0;
		/* The sender drops its files in groups of 256, each whole before its name appears
		 * (hidden, one sync for the group, renamed): one sync a file (fs_write_atomic)
		 * held the sender to ~1,300 files/s on this disk, which was then the figure. */
		uint64_t published = 0;
		for (bool more = true; more;) {
			more = next_msg(&src, &body, &len, &tok) == 0;
			if (more) {
				char name[64];
				snprintf(name, sizeof name, "%012llu.xml", (unsigned long long)++n);
				fs_write_hidden(in, name, body, len);
			}
			if (n - published == 256 || (!more && n > published)) {
				fs_sync(in);
				for (; published < n; published++) {
					char name[64];
					snprintf(name, sizeof name, "%012llu.xml", (unsigned long long)published + 1);
					fs_publish(in, name);
				}
			}
		}
		/* done when the in folder is empty */
		for (;;) {
			DIR *d = opendir(in);
			int left = 0;
			struct dirent *e;
			while (d && (e = readdir(d)))
				left += e->d_name[0] != '.';
			if (d)
				closedir(d);
			if (!left)
				break;
			usleep(20000);
		}
		intake = clock_s() - t0;
		answered = n;
		exchange_stop(x);
	} else {
		fprintf(stderr, "bench_platform: --mode inproc, http or exchange\n");
		return 2;
	}
	fprintf(stderr, "bench_platform: intake done: %llu answered in %.1f s (%.0f msg/s); clearing\n",
		(unsigned long long)answered, intake, (double)answered / intake);
	/* the day is cleared when every list has its final state (released or rejected) */
	double deadline = clock_s() + 1800;
	uint64_t done = 0;
	double cleared = 0, settled = 0;
	/* The service counts lists by state as it commits them: polling that costs nothing.
	 * Settled: every list released, rejected, or waiting for a document that the workload
	 * never sends (its faulty orders); cleared: those too rejected by the match timeout. */
	for (;;) {
		struct svc_writer_stats w;
		svc_writer_stats(svc, &w);
		const int64_t *n = w.lists.by_state;
		uint64_t fin = (uint64_t)(n[DOC_RELEASED] + n[DOC_REJECTED]);
		if (!settled && fin + (uint64_t)n[DOC_WAITING] >= src.lists)
			settled = clock_s() - t0;
		if (fin >= src.lists || clock_s() >= deadline)
			break;
		static double lastp;
		if (getenv("BENCH_TRACE") && clock_s() - lastp > 5) { lastp = clock_s(); fprintf(stderr, "%.0f s: rcv %lld wait %lld chk %lld rej %lld acc %lld conc %lld rel %lld insp %lld; msgs %lld\n", clock_s()-t0, (long long)n[1], (long long)n[2], (long long)n[3], (long long)n[4], (long long)n[5], (long long)n[6], (long long)n[7], (long long)n[13], (long long)w.messages); }
		usleep(10000);
	}
	cleared = clock_s() - t0;
	if (!settled)
		settled = cleared;
	/* ... and the store, scanned once, must agree (else wait on the scan, as before) */
	for (;;) {
		double q0 = clock_s();
		done = final_lists(url);
		if (done >= src.lists || clock_s() >= deadline)
			break;
		fprintf(stderr, "bench_platform: the store has %llu lists final, the count said all %llu\n",
			(unsigned long long)done, (unsigned long long)src.lists);
		double wait = (clock_s() - q0) * 9;
		usleep((useconds_t)((wait < 0.1 ? 0.1 : wait) * 1e6));
		cleared = clock_s() - t0;
	}
	struct svc_writer_stats ws;
	svc_writer_stats(svc, &ws);
	char *cpu_line = bt_line(src.messages); /* while the service's threads are alive */
	svc_close(svc);
	audit_close(audit);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	int64_t written = disk_written();
	char wal[4300];
	snprintf(wal, sizeof wal, "%s-wal", path);
	double mb = (double)(file_size(path) + file_size(wal)) / 1e6;
	char size[96] = "store not measured (--db)"; /* a server's store: its server tells */
	if (!db)
		snprintf(size, sizeof size, "store %6.0f MB (%5.0f MB per million messages)", mb,
			 mb * 1e6 / (double)(src.messages ? src.messages : 1));
	printf("%-8s orders %8llu  messages %8llu  intake %8.0f msg/s  p50 %7.2f ms  p99 %7.2f ms"
	       "  settled %6.1f s  cleared %6.1f s (%llu/%llu lists final; the unmatched after a %.0f s"
	       " timeout)  peak RSS %5.0f MB  %s\n",
	       mode, (unsigned long long)orders, (unsigned long long)src.messages,
	       (double)answered / intake, p50, p99, settled, cleared, (unsigned long long)done,
	       (unsigned long long)src.lists, (double)so.match_timeout_ms / 1000.0,
	       (double)ru.ru_maxrss / 1024.0, size);
	/* where the one writer's time went: if apply + commit is far below the elapsed time,
	 * the writer was waiting for work and something else limits the figure */
	printf("         writer: %lld batches, %.0f messages/batch; apply %.1f s (%.0f us/message),"
	       " commit %.1f s (%.1f ms/batch), checkpoint %.1f s, of %.1f s;"
	       " beside it %lld passive checkpoints, %.1f s; %lld batches applied again\n",
	       (long long)ws.batches, ws.batches ? (double)ws.messages / (double)ws.batches : 0.0,
	       (double)ws.apply_us / 1e6, ws.messages ? (double)ws.apply_us / (double)ws.messages : 0.0,
	       (double)ws.commit_us / 1e6, ws.batches ? (double)ws.commit_us / 1e3 / (double)ws.batches : 0.0,
	       (double)ws.checkpoint_us / 1e6, cleared, (long long)ws.ckpt_passive,
	       (double)ws.ckpt_passive_us / 1e6, (long long)ws.batches_again);
	if (cpu_line)
		fputs(cpu_line, stdout);
	free(cpu_line);
	uint64_t lookups = ws.ahead_hits + ws.ahead_misses;
	if (lookups)
		printf("         look-ups: %.1f a message, %.0f %% answered by the batch's read-ahead\n",
		       (double)lookups / (double)(ws.messages ? ws.messages : 1),
		       100.0 * (double)ws.ahead_hits / (double)lookups);
	uint64_t guids = ws.guid_probed + ws.guid_spared;
	if (guids)
		printf("         guids: %.2f look-ups a message, %.1f %% answered by the filter without the index\n",
		       (double)guids / (double)(ws.messages ? ws.messages : 1),
		       100.0 * (double)ws.guid_spared / (double)guids);
	/* the disk's share: the WAL, the checkpoints copying it back, the simulator's and the
	 * exchange's files */
	if (written0 >= 0 && written >= written0)
		printf("         disk: %.2f GB written, %.1f KB per message\n", (double)(written - written0) / 1e9,
		       (double)(written - written0) / 1e3 / (double)(src.messages ? src.messages : 1));
	gen_free(src.g);
	tariff_free(t);
	free(src.tok);
	buf_free(&src.cur);
	if (!keep)
		remove_store(path);
	return 0;
}
