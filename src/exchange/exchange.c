/* The exchange folder: a poller submits what is dropped into in/, answers move the files on,
 * a tailer writes every receipt to out/ (a round of them synced together). With an audit
 * log, a file is moved only once its submission's record is on disk: the writer thread hands
 * answered files back to the poller, which syncs the log once for all of them and then moves
 * them. */
#include "exchange/exchange.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "audit/audit.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/fsutil.h"
#include "ceb/sniff.h"
#include "store/store.h"
#include "svc/svc.h"

struct inflight {
	struct inflight *next;
	char *name;
};

/* Files submitted and not yet answered, by name: a scan of a folder of tens of thousands of
 * files asks for each of them. */
#define INFLIGHT_BUCKETS 8192
/* Files submitted and not yet answered at most: enough to keep the writer's batches full;
 * more would only hold parsed messages in the service's queue (tens of KB each: a backlog
 * of 20,000 files took 475 MB), not clear them sooner. */
#define INFLIGHT_MAX 2048

struct file_job;

/* A round of receipts written hidden, to be synced and published together: each file's
 * recipient folder (out/<safe code>) and name. */
#define EXPORT_ROUND 512

struct export_file {
	char who[64];
	char name[128];
};

struct exchange {
	struct svc *svc;
	char *dir;
	struct audit *audit; /* borrowed, may be NULL */
	pthread_t in_thread, out_thread;
	bool in_up, out_up;
	pthread_mutex_t mu;
	pthread_cond_t cv; /* answered files waiting, or stop */
	bool stop;
	struct inflight *inflight[INFLIGHT_BUCKETS];
	size_t ninflight;
	struct file_job *answered; /* answered, to be moved once the audit log has them */
	/* the poller's: in/'s names as last read, those before next_name submitted or freed */
	char **names;
	size_t nnames, next_name;
	struct export_file round[EXPORT_ROUND]; /* the tailer's */
};

struct file_job {
	struct exchange *x;
	struct file_job *next;
	char name[256];
	char resource[128], owner[40];
	enum svc_outcome outcome;
	char *answer; /* owned; the receipt, kept until the file is moved */
	size_t len;
	uint64_t audit_seq;
	int audit_rc;
};

static struct inflight **inflight_bucket(struct exchange *x, const char *name)
{
	uint32_t h = 2166136261u;
	for (const char *p = name; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return &x->inflight[h % INFLIGHT_BUCKETS];
}

static bool is_inflight(struct exchange *x, const char *name)
{
	for (struct inflight *i = *inflight_bucket(x, name); i; i = i->next)
		if (!strcmp(i->name, name))
			return true;
	return false;
}

static void add_inflight(struct exchange *x, struct inflight *in)
{
	struct inflight **b = inflight_bucket(x, in->name);
	in->next = *b;
	*b = in;
	x->ninflight++;
}

static void drop_inflight(struct exchange *x, const char *name)
{
	pthread_mutex_lock(&x->mu);
	for (struct inflight **p = inflight_bucket(x, name); *p; p = &(*p)->next)
		if (!strcmp((*p)->name, name)) {
			struct inflight *i = *p;
			*p = i->next;
			free(i->name);
			free(i);
			x->ninflight--;
			break;
		}
	pthread_mutex_unlock(&x->mu);
}

/* The returnInfo of a CEB900, for the reason file. */
static void reason_of(const char *xml, struct buf *out)
{
	const char *a = strstr(xml, "<ceb:returnInfo>"), *b = a ? strstr(a, "</ceb:returnInfo>") : NULL;
	if (a && b)
		buf_put(out, a + 16, (size_t)(b - a - 16));
	else
		buf_puts(out, "not a CEB message");
	buf_putc(out, '\n');
}

/* Move the file on by its answer and forget it. */
static void finish(struct file_job *j, enum svc_outcome outcome, const char *answer, size_t len)
{
	struct exchange *x = j->x;
	char from[4096], to[4096];
	snprintf(from, sizeof from, "%.3000s/in/%.255s", x->dir, j->name);
	if (outcome == SVC_ANSWERED) {
		snprintf(to, sizeof to, "%.3000s/processed/%.255s", x->dir, j->name);
		rename(from, to);
	} else if (outcome == SVC_BAD) {
		char dir[4096], name[512];
		snprintf(dir, sizeof dir, "%.3000s/failed", x->dir);
		snprintf(name, sizeof name, "%.255s.receipt.xml", j->name);
		fs_write_atomic(dir, name, answer, len);
		struct buf why = BUF_INIT;
		reason_of(answer, &why);
		snprintf(name, sizeof name, "%.255s.reason.txt", j->name);
		fs_write_atomic(dir, name, why.p ? why.p : "", why.n);
		buf_free(&why);
		snprintf(to, sizeof to, "%.3000s/failed/%.255s", x->dir, j->name);
		rename(from, to);
	}
	/* SVC_UNAVAILABLE: left in place, submitted again on the next scan */
	drop_inflight(x, j->name);
	free(j->answer);
	free(j);
}

static void on_done(void *ctx, enum svc_outcome outcome, const char *answer, size_t len)
{
	struct file_job *j = ctx;
	struct exchange *x = j->x;
	if (!x->audit) {
		finish(j, outcome, answer, len);
		return;
	}
	/* the writer thread only buffers the record and hands the file back to the poller */
	char code[64] = "", from[300];
	if (outcome != SVC_UNAVAILABLE)
		ceb_sniff_status(answer, len, code, sizeof code);
	snprintf(from, sizeof from, "in/%s", j->name);
	int status = outcome == SVC_ANSWERED ? 200 : outcome == SVC_BAD ? 400 : 503;
	struct audit_event ev = {"exchange", "exchange", AUDIT_SUBMIT, j->resource,
				 j->owner[0] ? j->owner : NULL, status, code[0] ? code : NULL, from};
	j->audit_rc = audit_append(x->audit, &ev, &j->audit_seq);
	j->outcome = outcome;
	j->answer = malloc(len + 1);
	if (j->answer) {
		memcpy(j->answer, answer, len);
		j->answer[len] = '\0';
		j->len = len;
	} else {
		j->outcome = SVC_UNAVAILABLE; /* cannot write the answer: the file is sent again */
	}
	pthread_mutex_lock(&x->mu);
	j->next = x->answered;
	x->answered = j;
	pthread_cond_signal(&x->cv);
	pthread_mutex_unlock(&x->mu);
}

/* Move the answered files, after one sync of the audit log for all of them. A file whose
 * record is not on disk stays in in/ and is submitted again (a resend gets the same answer). */
static void move_answered(struct exchange *x)
{
	pthread_mutex_lock(&x->mu);
	struct file_job *list = x->answered;
	x->answered = NULL;
	pthread_mutex_unlock(&x->mu);
	if (!list)
		return;
	uint64_t upto = 0;
	for (struct file_job *j = list; j; j = j->next)
		if (!j->audit_rc && j->audit_seq > upto)
			upto = j->audit_seq;
	bool synced = audit_sync(x->audit, upto) == 0;
	for (struct file_job *j = list, *n; j; j = n) {
		n = j->next;
		bool recorded = synced && !j->audit_rc;
		finish(j, recorded ? j->outcome : SVC_UNAVAILABLE, j->answer ? j->answer : "", j->len);
	}
}

/* What cannot be read as a message is moved to failed/ with the reason beside it. */
static void refuse_file(struct exchange *x, const char *name, const char *why)
{
	char dir[4096], from[4096], to[4096], reason[512];
	snprintf(dir, sizeof dir, "%.3000s/failed", x->dir);
	snprintf(reason, sizeof reason, "%.255s.reason.txt", name);
	char text[256];
	int n = snprintf(text, sizeof text, "%s\n", why);
	fs_write_atomic(dir, reason, text, n > 0 ? (size_t)n : 0);
	snprintf(from, sizeof from, "%.3000s/in/%.255s", x->dir, name);
	snprintf(to, sizeof to, "%.3000s/failed/%.255s", x->dir, name);
	rename(from, to);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* in/'s names, sorted (the order the client named them), into x->names. */
static void read_in(struct exchange *x, const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	size_t cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		size_t l = strlen(e->d_name);
		if (l < 5 || l > 200 || strcasecmp(e->d_name + l - 4, ".xml"))
			continue;
		if (x->nnames == cap) {
			size_t ncap = cap ? cap * 2 : 256;
			char **nn = realloc(x->names, ncap * sizeof *nn);
			if (!nn)
				break;
			x->names = nn;
			cap = ncap;
		}
		char *name = strdup(e->d_name);
		if (!name)
			break;
		x->names[x->nnames++] = name;
	}
	closedir(d);
	if (x->nnames > 1)
		qsort(x->names, x->nnames, sizeof *x->names, cmp_name);
}

static void forget_names(struct exchange *x)
{
	for (size_t i = x->next_name; i < x->nnames; i++)
		free(x->names[i]);
	free(x->names);
	x->names = NULL;
	x->nnames = x->next_name = 0;
}

/* Submit the names left from the last reading of in/ (reading it again only when `reread`
 * and none are left), until the service is busy or INFLIGHT_MAX files are in its hands;
 * what is left waits for room. */
static void scan_in(struct exchange *x, bool reread)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%.3000s/in", x->dir);
	if (x->next_name == x->nnames) {
		forget_names(x);
		if (!reread)
			return;
		read_in(x, dir);
	}
	for (; x->next_name < x->nnames; x->next_name++) {
		char *name = x->names[x->next_name];
		pthread_mutex_lock(&x->mu);
		bool busy = is_inflight(x, name), full = x->ninflight >= INFLIGHT_MAX;
		pthread_mutex_unlock(&x->mu);
		if (full)
			return;
		if (busy) {
			free(name);
			continue;
		}
		char path[4096];
		snprintf(path, sizeof path, "%.3000s/%.255s", dir, name);
		/* Only regular files: a FIFO would block this thread (and the stop) for ever, a
		 * symbolic link would read a file the sender does not own. */
		int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
		struct stat st;
		if ((fd < 0 && errno == ELOOP) || (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)))) {
			if (fd >= 0)
				close(fd);
			refuse_file(x, name, "not a regular file (a link, folder, FIFO or device)");
			free(name);
			continue;
		}
		/* gone since in/ was read (fd < 0): nothing to do */
		FILE *f = fd >= 0 ? fdopen(fd, "rb") : NULL;
		if (fd >= 0 && !f)
			close(fd);
		struct buf b = BUF_INIT;
		char tmp[65536];
		size_t r;
		/* at most one byte over the parser's limit: the parser refuses it with a finding */
		while (f && b.n <= (8u << 20) && (r = fread(tmp, 1, sizeof tmp, f)) > 0)
			buf_put(&b, tmp, r);
		if (f)
			fclose(f);
		struct file_job *j = calloc(1, sizeof *j);
		struct inflight *in = calloc(1, sizeof *in);
		if (f && !b.err && j && in) {
			j->x = x;
			snprintf(j->name, sizeof j->name, "%s", name);
			struct ceb_sniff sn;
			ceb_sniff(b.p ? b.p : "", b.n, &sn);
			snprintf(j->resource, sizeof j->resource, "%s %s", sn.type[0] ? sn.type : "-",
				 sn.guid[0] ? sn.guid : "-");
			snprintf(j->owner, sizeof j->owner, "%s", sn.cop);
			in->name = strdup(name);
			pthread_mutex_lock(&x->mu);
			add_inflight(x, in);
			pthread_mutex_unlock(&x->mu);
			if (svc_submit(x->svc, b.p ? b.p : "", b.n, NULL, on_done, j) != 0) {
				/* busy: this one and the rest when there is room (reading and checking
				 * them now would only be done again) */
				drop_inflight(x, name);
				free(j);
				buf_free(&b);
				return;
			}
		} else {
			free(j);
			free(in);
		}
		buf_free(&b);
		free(name);
	}
}

static int64_t mono_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Read in/ every 100 ms; move answered files as soon as they come back, and hand the
 * service the names still waiting as soon as it has room for half as many again. */
static void *in_main(void *arg)
{
	struct exchange *x = arg;
	int64_t next_scan = 0;
	for (;;) {
		move_answered(x);
		pthread_mutex_lock(&x->mu);
		bool stop = x->stop, room = x->ninflight <= INFLIGHT_MAX / 2;
		pthread_mutex_unlock(&x->mu);
		if (stop)
			break;
		bool due = mono_ms() >= next_scan;
		if (due || (room && x->next_name < x->nnames))
			scan_in(x, due);
		if (due)
			next_scan = mono_ms() + 100;
		pthread_mutex_lock(&x->mu);
		if (!x->answered && !x->stop) {
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			int64_t ns = ts.tv_nsec + (next_scan - mono_ms()) * 1000000;
			if (ns < ts.tv_nsec)
				ns = ts.tv_nsec;
			ts.tv_sec += ns / 1000000000;
			ts.tv_nsec = ns % 1000000000;
			pthread_cond_timedwait(&x->cv, &x->mu, &ts);
		}
		pthread_mutex_unlock(&x->mu);
	}
	forget_names(x);
	return NULL;
}

struct export_ctx {
	struct exchange *x;
	int64_t last, upto; /* upto: the last receipt on disk */
	int n; /* files of x->round written */
	int err;
};

static void out_dir(const struct exchange *x, const struct export_file *f, char *buf, size_t len)
{
	snprintf(buf, len, "%.3000s/out/%.63s", x->dir, f->who);
}

static int export_one(void *ctx, const struct store_receipt *r)
{
	struct export_ctx *c = ctx;
	if (r->seq > c->upto || c->n == EXPORT_ROUND)
		return 1; /* not on disk yet, or the round is full: the next round */
	struct export_file *f = &c->x->round[c->n];
	/* the recipient is an enterprise code: keep it a plain folder name */
	size_t k = 0;
	for (const char *p = r->recipient; *p && k < sizeof f->who - 1; p++)
		f->who[k++] = (*p == '/' || *p == '.') ? '_' : *p;
	f->who[k] = '\0';
	char dir[4200];
	out_dir(c->x, f, dir, sizeof dir);
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		return c->err = CBEC_EIO;
	snprintf(f->name, sizeof f->name, "%012lld-CEB%d-%.40s.xml", (long long)r->seq, r->type,
		 r->status ? r->status : "");
	int rc = fs_write_hidden(dir, f->name, r->xml, strlen(r->xml));
	if (rc)
		return c->err = rc;
	c->n++;
	c->last = r->seq;
	return 0;
}

/* The round's files durable, then under their names, then the names durable: two syncs for
 * the round, not two a receipt (the folder was fsync-bound: ~5 syncs a message). The
 * cursor moves only after that, so a crash in between writes the round again. */
static int export_publish(struct export_ctx *c)
{
	char out[4200];
	snprintf(out, sizeof out, "%.3000s/out", c->x->dir);
	int rc = fs_sync(out);
	for (int i = 0; !rc && i < c->n; i++) {
		char dir[4200];
		out_dir(c->x, &c->x->round[i], dir, sizeof dir);
		rc = fs_publish(dir, c->x->round[i].name);
	}
	return rc ? rc : fs_sync(out);
}

static void *out_main(void *arg)
{
	struct exchange *x = arg;
	char err[256];
	struct store *s = NULL;
	while (store_open(svc_db_url(x->svc), false, &s, err, sizeof err) != 0) {
		struct timespec ts = {1, 0};
		nanosleep(&ts, NULL);
		pthread_mutex_lock(&x->mu);
		bool stop = x->stop;
		pthread_mutex_unlock(&x->mu);
		if (stop)
			return NULL;
	}
	int64_t cursor = 0;
	store_cursor_get(s, "exchange", &cursor);
	for (;;) {
		pthread_mutex_lock(&x->mu);
		bool stop = x->stop;
		pthread_mutex_unlock(&x->mu);
		struct export_ctx c = {x, cursor, svc_last_receipt(x->svc), 0, 0};
		store_receipts_after(s, NULL, cursor, EXPORT_ROUND, export_one, &c);
		/* what was written before a failure goes out; the rest is tried next round */
		bool moved = c.n && export_publish(&c) == 0;
		if (moved) {
			cursor = c.last;
			store_cursor_set(s, "exchange", cursor);
		}
		if (stop)
			break;
		if (!moved || c.err) {
			struct timespec ts = {0, 100 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
	}
	store_close(s);
	return NULL;
}

int exchange_start(struct svc *svc, const char *dir, struct audit *audit, struct exchange **out,
		   char *err, unsigned long errlen)
{
	const char *subs[] = {"", "/in", "/processed", "/failed", "/out"};
	for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
		char p[4096];
		snprintf(p, sizeof p, "%.3000s%s", dir, subs[i]);
		if (mkdir(p, 0755) != 0 && errno != EEXIST) {
			snprintf(err, errlen, "cannot create %s: %s", p, strerror(errno));
			return CBEC_EIO;
		}
	}
	struct exchange *x = calloc(1, sizeof *x);
	if (!x)
		return CBEC_ENOMEM;
	x->svc = svc;
	x->dir = strdup(dir);
	x->audit = audit;
	pthread_mutex_init(&x->mu, NULL);
	pthread_cond_init(&x->cv, NULL);
	if (pthread_create(&x->in_thread, NULL, in_main, x) == 0)
		x->in_up = true;
	if (pthread_create(&x->out_thread, NULL, out_main, x) == 0)
		x->out_up = true;
	if (!x->in_up || !x->out_up) {
		exchange_stop(x);
		snprintf(err, errlen, "cannot start the exchange threads");
		return CBEC_ENOMEM;
	}
	*out = x;
	return 0;
}

void exchange_stop(struct exchange *x)
{
	if (!x)
		return;
	pthread_mutex_lock(&x->mu);
	x->stop = true;
	pthread_cond_signal(&x->cv);
	pthread_mutex_unlock(&x->mu);
	if (x->in_up)
		pthread_join(x->in_thread, NULL);
	/* Files already submitted are answered by the service, which is still running: wait for
	 * their callbacks, which use this object (at most a minute; the service's own shutdown
	 * answers anything left as not stored, and the file is simply submitted again later). */
	for (int i = 0; i < 600; i++) {
		if (x->audit)
			move_answered(x); /* the poller is gone: move them here */
		pthread_mutex_lock(&x->mu);
		bool idle = x->ninflight == 0;
		pthread_mutex_unlock(&x->mu);
		if (idle)
			break;
		struct timespec ts = {0, 100 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	if (x->out_up)
		pthread_join(x->out_thread, NULL);
	free(x->dir);
	x->dir = NULL;
	pthread_cond_destroy(&x->cv);
	pthread_mutex_destroy(&x->mu);
	free(x);
}
