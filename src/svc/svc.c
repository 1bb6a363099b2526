/* The clearance service: intake, the writer thread and the customs outbox. The rules it
 * applies live in clear/ (documents, matching, tax) and ceb/ (checks); this file only
 * orchestrates them against the store. */
#include "svc/svc.h"

#include <errno.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/prio.h"
#include "ceb/dec.h"
#include "ceb/write.h"
#include "clear/docs.h"
#include "clear/tariff.h"
#include "customs/customs.h"
#include "store/store.h"
#include "svc/apply.h"

#define SENDER_CUSTOMS "CUSTOMS"

struct job {
	struct job *next;
	struct arena *arena;
	char *body;
	size_t len;
	struct ceb_result res;
	const char *sender; /* authenticated enterprise, or NULL */
	bool from_customs;
	svc_done_fn done;
	void *ctx;
	void (*ack)(void *);
	void *ack_ctx;
	svc_write_fn write; /* not a message: svc_submit_write() */
	void *write_arg;
	enum svc_outcome outcome;
	struct buf answer;
	int tries; /* customs receipts put back after a failed commit */
};

struct checker_ref {
	struct checker_ref *next;
	struct ceb_checker *c;
};

struct svc {
	struct svc_opts opts;
	char *db_url;
	struct store *w; /* the writer's connection */
	struct tariff *tariff;
	struct customs *gw;
	struct apply *apply;
	/* Intake threads (HTTP workers, the exchange poller, the gateway) each get a checker;
	 * the service keeps them all so it frees them itself, whichever threads end first. */
	pthread_key_t checker_key;
	struct checker_ref *checkers;

	pthread_mutex_t mu;
	pthread_cond_t cv;      /* jobs queued, or stop */
	pthread_cond_t out_cv;  /* outbox grew, or stop */
	struct job *head, *tail;
	int queued;
	int customs_queued; /* of which customs' receipts (bounded: see CUSTOMS_QUEUE_MAX) */
	bool stopping, stopped;
	int64_t outbox_seq;     /* last outbox seq committed */
	int64_t last_receipt;
	/* How far the customs outbox was handed over (by the tailer), and how far that is on
	 * disk (written by the writer in its next transaction: one connection writes). */
	int64_t customs_sent, customs_saved;
	int64_t last_checkpoint; /* writer only */
	struct svc_writer_stats ws; /* under mu */

	pthread_t writer, tailer;
	bool writer_up, tailer_up;

	/* Deferred durability (store_defer_sync): the writer commits a batch and goes on with
	 * the next while the syncer flushes it to disk; only then are its answers released and
	 * its receipts and outbox entries published. */
	bool deferred;
	pthread_t syncer;
	bool syncer_up, writer_done;
	pthread_cond_t sync_cv;
	struct committed *sync_head, *sync_tail;

	/* The checkpointer (a file store with a log): copies the log back into the database
	 * beside the writer, on a connection of its own, after each commit. */
	struct store *ckpt_store;
	pthread_t ckpt;
	bool ckpt_up, ckpt_due;
	pthread_cond_t ckpt_cv;

	pthread_mutex_t hook_mu; /* held while the hook runs */
	void (*released)(void *ctx);
	void *released_ctx;
};

/* The checkpointer thread copies the WAL back as the writer goes and starts it over once it
 * is all copied (at 64 MiB while the writer is busy); the writer folds it back itself only
 * when the checkpointer falls behind: once it holds 256 MiB (the file kept for the next
 * round), or a quarter of the space left on its disk (then the file is truncated: folding
 * back needs room in the database file for what the WAL holds, and a WAL that has filled the
 * disk can never be folded back); every 2 s when there is no checkpointer. */
#define CHECKPOINT_LOG_BYTES ((int64_t)256 << 20)
#define RESTART_LOG_BYTES ((int64_t)64 << 20)
#ifndef CHECKPOINT_EVERY_MS
#define CHECKPOINT_EVERY_MS 250 /* the checkpointer's round */
#endif

enum checkpoint_due { CKPT_NONE, CKPT_DUE, CKPT_SHRINK /* and give the disk its space */ };

static enum checkpoint_due checkpoint_due(struct svc *s, int64_t t)
{
	int64_t log = store_log_bytes(s->w);
	int64_t left = log > (1 << 20) ? store_space_left(s->w) : -1;
	if (left >= 0 && log > left / 4)
		return CKPT_SHRINK;
	if (!s->ckpt_up && t - s->last_checkpoint >= 2000)
		return CKPT_DUE;
	return log > CHECKPOINT_LOG_BYTES ? CKPT_DUE : CKPT_NONE;
}

/* Customs' receipts waiting for the writer, at most: the link waits beyond (the DXP link keeps
 * its files, the simulator its answers), so a burst from customs that outruns the writer
 * does not pile up parsed messages in memory. */
#define CUSTOMS_QUEUE_MAX 256

/* A committed batch waiting for the flush that makes it durable. */
struct committed {
	struct job *jobs;
	bool ok;
	int64_t out_seq, last_receipt;
	struct apply_lists lists;
	struct committed *next;
};

static int64_t mono_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

void svc_writer_stats(struct svc *s, struct svc_writer_stats *out)
{
	pthread_mutex_lock(&s->mu);
	*out = s->ws;
	pthread_mutex_unlock(&s->mu);
}

static int64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

void svc_opts_default(struct svc_opts *o)
{
	memset(o, 0, sizeof *o);
	o->db_url = "sqlite:var/cbec.db";
	o->customs = "sim";
	o->tariff_path = NULL;
	o->match_timeout_ms = 24LL * 3600 * 1000;
	o->annual_limit = 26000 * DEC_SCALE;
	o->refund_days = 30;
	o->batch_max = 512;
	o->queue_max = 20000;
	o->doc_cache_bytes = 64u << 20;
	o->deferred_sync = true;
	ceb_check_opts_default(&o->check);
	tax_opts_default(&o->tax);
	match_opts_default(&o->match);
}

const char *svc_db_url(const struct svc *s)
{
	return s->db_url;
}

int64_t svc_last_receipt(struct svc *s)
{
	pthread_mutex_lock(&s->mu);
	int64_t v = s->last_receipt;
	pthread_mutex_unlock(&s->mu);
	return v;
}

/* ---- intake ---- */

static struct ceb_checker *thread_checker(struct svc *s)
{
	struct ceb_checker *c = pthread_getspecific(s->checker_key);
	if (c)
		return c;
	struct checker_ref *ref = calloc(1, sizeof *ref);
	c = ceb_checker_new(&s->opts.check);
	if (!c || !ref) {
		ceb_checker_free(c);
		free(ref);
		return NULL;
	}
	ref->c = c;
	pthread_mutex_lock(&s->mu);
	ref->next = s->checkers;
	s->checkers = ref;
	pthread_mutex_unlock(&s->mu);
	pthread_setspecific(s->checker_key, c);
	return c;
}

static void job_free(struct job *j)
{
	if (!j)
		return;
	arena_free(j->arena);
	free(j->body);
	buf_free(&j->answer);
	free(j);
}

static int enqueue(struct svc *s, struct job *j)
{
	pthread_mutex_lock(&s->mu);
	if (s->stopping || s->queued >= s->opts.queue_max) {
		pthread_mutex_unlock(&s->mu);
		return CBEC_EBUSY;
	}
	if (s->tail)
		s->tail->next = j;
	else
		s->head = j;
	s->tail = j;
	s->queued++;
	s->customs_queued += j->from_customs;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
	return 0;
}

static struct job *job_new(struct svc *s, const char *body, size_t len, const char *sender,
			   bool from_customs, int *err)
{
	struct job *j = calloc(1, sizeof *j);
	if (!j) {
		*err = CBEC_ENOMEM;
		return NULL;
	}
	j->arena = arena_new(32 * 1024);
	j->body = malloc(len + 1);
	if (!j->arena || !j->body) {
		job_free(j);
		*err = CBEC_ENOMEM;
		return NULL;
	}
	memcpy(j->body, body, len);
	j->body[len] = '\0';
	j->len = len;
	j->from_customs = from_customs;
	j->sender = sender ? arena_strdup(j->arena, sender) : NULL;
	/* The CPU-heavy part (parse, validate, verify signatures) runs here, in the caller's
	 * thread, so it spreads over the cores; the writer only applies. */
	struct ceb_checker *c = thread_checker(s);
	if (!c) {
		job_free(j);
		*err = CBEC_ENOMEM;
		return NULL;
	}
	*err = ceb_check_in(c, j->body, j->len, j->arena, &j->res);
	if (*err) {
		job_free(j);
		return NULL;
	}
	return j;
}

int svc_submit(struct svc *s, const char *body, size_t len, const char *sender, svc_done_fn done,
	       void *ctx)
{
	int err;
	struct job *j = job_new(s, body, len, sender, false, &err);
	if (!j)
		return err == CBEC_ENOMEM ? CBEC_EBUSY : err;
	j->done = done;
	j->ctx = ctx;
	err = enqueue(s, j);
	if (err)
		job_free(j);
	return err;
}

int svc_submit_write(struct svc *s, svc_write_fn fn, void *arg, svc_done_fn done, void *ctx)
{
	struct job *j = calloc(1, sizeof *j);
	if (!j)
		return CBEC_EBUSY;
	j->write = fn;
	j->write_arg = arg;
	j->done = done;
	j->ctx = ctx;
	int err = enqueue(s, j);
	if (err)
		job_free(j);
	return err;
}

/* Customs receipts: trusted, acknowledged to the gateway after commit. */
static void customs_deliver(void *ctx, const char *xml, size_t len, void (*ack)(void *),
			    void *ack_ctx)
{
	struct svc *s = ctx;
	for (;;) {
		/* room first, then the parse: a busy writer is not handed more to hold */
		pthread_mutex_lock(&s->mu);
		bool stopping = s->stopping, room = s->customs_queued < CUSTOMS_QUEUE_MAX;
		pthread_mutex_unlock(&s->mu);
		if (stopping)
			return; /* not acknowledged: the gateway keeps it */
		if (!room) {
			struct timespec ts = {0, 5 * 1000 * 1000};
			nanosleep(&ts, NULL);
			continue;
		}
		int err;
		struct job *j = job_new(s, xml, len, NULL, true, &err);
		if (j) {
			j->ack = ack;
			j->ack_ctx = ack_ctx;
			if (enqueue(s, j) == 0)
				return;
			job_free(j);
		}
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
}

/* ---- the writer ---- */

static void finish(struct job *j)
{
	if (j->done)
		j->done(j->ctx, j->outcome, j->answer.p ? j->answer.p : "", j->answer.n);
	if (j->ack && j->outcome == SVC_ANSWERED)
		j->ack(j->ack_ctx); /* the gateway may forget it now */
}

static struct job *last_job(struct job *j)
{
	while (j->next)
		j = j->next;
	return j;
}

/* A customs receipt from a link that keeps no copy (the simulator: no ack) is the only copy:
 * when the store could not take it (disk full, database down), it goes back to the front of
 * the queue, in order, instead of being dropped. */
static bool retry_later(const struct job *j, int batch_rc)
{
	return j->from_customs && !j->ack && j->outcome == SVC_UNAVAILABLE &&
	       (batch_rc || j->tries < 3);
}

static void requeue_front(struct svc *s, struct job *first, struct job **last_next)
{
	int n = 0;
	for (struct job *j = first; j; j = j->next) {
		j->tries++;
		n++;
	}
	pthread_mutex_lock(&s->mu);
	bool stopping = s->stopping;
	if (!stopping) {
		*last_next = s->head;
		if (!s->head)
			s->tail = last_job(first);
		s->head = first;
		s->queued += n;
		s->customs_queued += n; /* all customs' receipts */
	}
	pthread_mutex_unlock(&s->mu);
	if (stopping) {
		/* not kept past the stop: the simulator replays what customs holds at start */
		for (struct job *j = first, *nx; j; j = nx) {
			nx = j->next;
			finish(j);
			job_free(j);
		}
		return;
	}
	struct timespec ts = {0, 50 * 1000 * 1000}; /* let the store recover */
	nanosleep(&ts, NULL);
}

void svc_on_released(struct svc *s, void (*fn)(void *ctx), void *ctx)
{
	pthread_mutex_lock(&s->hook_mu);
	s->released = fn;
	s->released_ctx = ctx;
	pthread_mutex_unlock(&s->hook_mu);
}

static void released(struct svc *s)
{
	pthread_mutex_lock(&s->hook_mu);
	if (s->released)
		s->released(s->released_ctx);
	pthread_mutex_unlock(&s->hook_mu);
}

/* A batch is on disk (or failed): publish what it added and answer its senders. */
static void release(struct svc *s, struct committed *c)
{
	pthread_mutex_lock(&s->mu);
	if (c->ok) {
		if (c->out_seq > s->outbox_seq) {
			s->outbox_seq = c->out_seq;
			pthread_cond_signal(&s->out_cv);
		}
		if (c->last_receipt > s->last_receipt)
			s->last_receipt = c->last_receipt;
		s->ws.lists = c->lists;
	}
	pthread_mutex_unlock(&s->mu);
	struct job *keep = NULL, **kt = &keep;
	for (struct job *j = c->jobs, *n; j; j = n) {
		n = j->next;
		if (!c->ok) {
			/* Not known to be on disk: nobody gets an answer that says otherwise (a
			 * resend finds the stored answer if the commit did last). */
			j->outcome = SVC_UNAVAILABLE;
			buf_reset(&j->answer);
		}
		if (retry_later(j, !c->ok)) {
			j->next = NULL;
			*kt = j;
			kt = &j->next;
			continue;
		}
		finish(j);
		job_free(j);
	}
	if (keep)
		requeue_front(s, keep, kt);
}

/* The batch's look-ups asked at once (apply_read_ahead). */
static int read_ahead(struct svc *s, struct job *batch)
{
	size_t n = 0;
	for (struct job *j = batch; j; j = j->next)
		n++;
	struct apply_ahead *v = malloc((n ? n : 1) * sizeof *v);
	if (!v)
		return CBEC_ENOMEM;
	size_t k = 0;
	for (struct job *j = batch; j; j = j->next)
		if (!j->write)
			v[k++] = (struct apply_ahead){&j->res, j->body, j->len, j->from_customs};
	int rc = apply_read_ahead(s->apply, v, k);
	free(v);
	return rc;
}

/* Apply a batch's messages in the open transaction. Optimistic (each false): one after
 * another with no savepoint each, and at the first that fails (a store error, not a
 * rejection, which is an answer; or, at the end, a write the store had queued) it stops and
 * returns true. Else each in its own savepoint:
 * one that fails is rolled back alone and goes unanswered. */
static bool apply_jobs(struct svc *s, struct job *batch, int64_t t, bool each, int64_t *napplied)
{
	for (struct job *j = batch; j; j = j->next) {
		buf_reset(&j->answer);
		if (each && store_savepoint(s->w) != 0) {
			j->outcome = SVC_UNAVAILABLE;
			continue;
		}
		(*napplied)++;
		struct apply_mark before = apply_mark(s->apply);
		int err = j->write ? j->write(j->write_arg, s->w, t, &j->answer)
				   : apply_message(s->apply, j->body, j->len, &j->res, j->sender,
						   j->from_customs, t, &j->outcome, &j->answer);
		if (j->write && !err)
			j->outcome = SVC_ANSWERED;
		if (err && !each)
			return true;
		if (err) {
			store_rollback_to(s->w);
			apply_restore(s->apply, &before);
			j->outcome = SVC_UNAVAILABLE;
		} else if (each && store_release(s->w) != 0) {
			j->outcome = SVC_UNAVAILABLE;
		}
	}
	/* a write a server store queued may fail only now: that too is a message failing */
	return !each && store_written(s->w) != 0;
}

static void run_batch(struct svc *s, struct job *batch)
{
	int64_t t = now_ms(), u0 = mono_us(), napplied = 0;
	bool again = false;
	struct apply_mark mark0 = apply_mark(s->apply);
	int rc = store_begin(s->w);
	if (!rc && read_ahead(s, batch) != 0) {
		/* only a hint: the batch goes on without it, in a clean transaction */
		store_rollback(s->w);
		rc = store_begin(s->w);
	}
	/* A savepoint and its release for every message are two statements each (two round
	 * trips on a server store), for a failure that almost never comes: the batch is applied
	 * without them, and only when a message fails, rolled back and applied again with them. */
	if (!rc && apply_jobs(s, batch, t, false, &napplied)) {
		store_rollback(s->w);
		apply_restore(s->apply, &mark0);
		napplied = 0;
		again = true;
		rc = store_begin(s->w);
		if (!rc)
			apply_jobs(s, batch, t, true, &napplied);
	}
	if (rc)
		for (struct job *j = batch; j; j = j->next)
			j->outcome = SVC_UNAVAILABLE;
	if (!rc)
		rc = apply_tick(s->apply, t);
	int64_t u1 = mono_us();
	pthread_mutex_lock(&s->mu);
	int64_t sent = s->customs_sent;
	pthread_mutex_unlock(&s->mu);
	if (!rc && sent > s->customs_saved)
		rc = store_cursor_set(s->w, "customs", sent);
	if (!rc)
		rc = store_commit(s->w);
	if (!rc)
		s->customs_saved = sent;
	if (rc) {
		store_rollback(s->w);
		apply_restore(s->apply, &mark0);
		/* Nothing of this batch is on disk: nobody gets an answer that says otherwise. */
		for (struct job *j = batch; j; j = j->next) {
			j->outcome = SVC_UNAVAILABLE;
			buf_reset(&j->answer);
		}
	}
	int64_t u2 = mono_us(), u3 = u2;
	/* Every few seconds of writing, fold the WAL back while no transaction is open. */
	enum checkpoint_due due = rc ? CKPT_NONE : checkpoint_due(s, t);
	if (due != CKPT_NONE) {
		s->last_checkpoint = t;
		store_checkpoint(s->w, due == CKPT_SHRINK);
		u3 = mono_us();
	}
	struct committed c = {batch, !rc, apply_outbox_seq(s->apply), apply_last_receipt(s->apply),
			      apply_lists(s->apply), NULL};
	pthread_mutex_lock(&s->mu);
	s->ws.batches_again += again;
	if (napplied) {
		s->ws.batches++;
		s->ws.messages += napplied;
	}
	s->ws.apply_us += u1 - u0;
	s->ws.commit_us += u2 - u1;
	s->ws.checkpoint_us += u3 - u2;
	store_read_ahead_stats(s->w, &s->ws.ahead_hits, &s->ws.ahead_misses);
	store_guid_stats(s->w, &s->ws.guid_probed, &s->ws.guid_spared);
	if (!rc && s->ckpt_up) {
		s->ckpt_due = true;
		pthread_cond_signal(&s->ckpt_cv);
	}
	pthread_mutex_unlock(&s->mu);
	if (!s->deferred || rc) {
		/* nothing to wait for (a failed batch: at once, so its customs receipts go back
		 * to the queue before the next batch) */
		release(s, &c);
		released(s);
		return;
	}
	struct committed *q = malloc(sizeof *q);
	if (!q) { /* cannot wait for the flush: make it now */
		if (c.ok && store_sync(s->w) != 0)
			c.ok = false;
		release(s, &c);
		released(s);
		return;
	}
	*q = c;
	pthread_mutex_lock(&s->mu);
	if (s->sync_tail)
		s->sync_tail->next = q;
	else
		s->sync_head = q;
	s->sync_tail = q;
	pthread_cond_signal(&s->sync_cv);
	pthread_mutex_unlock(&s->mu);
}

static void *syncer_main(void *arg)
{
	struct svc *s = arg;
	pthread_setname_np(pthread_self(), "cbec-sync");
	for (;;) {
		pthread_mutex_lock(&s->mu);
		while (!s->sync_head && !s->writer_done)
			pthread_cond_wait(&s->sync_cv, &s->mu);
		struct committed *list = s->sync_head;
		s->sync_head = s->sync_tail = NULL;
		bool done = s->writer_done;
		pthread_mutex_unlock(&s->mu);
		if (!list && done)
			break;
		/* one flush for every batch committed so far */
		bool durable = store_sync(s->w) == 0;
		for (struct committed *c = list, *n; c; c = n) {
			n = c->next;
			if (!durable)
				c->ok = false;
			release(s, c);
			free(c);
		}
		released(s);
	}
	return NULL;
}

static void *checkpointer_main(void *arg)
{
	struct svc *s = arg;
	pthread_setname_np(pthread_self(), "cbec-ckpt");
	prio_background(); /* the writer first: copying back can wait a little */
	int64_t last = 0;
	pthread_mutex_lock(&s->mu);
	while (!s->writer_done) {
		if (!s->ckpt_due) {
			pthread_cond_wait(&s->ckpt_cv, &s->mu);
			continue;
		}
		/* not after every batch: a page the writer keeps changing is copied once a round */
		int64_t wait_us = last + CHECKPOINT_EVERY_MS * 1000 - mono_us();
		if (wait_us > 0) {
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			int64_t ns = ts.tv_nsec + wait_us * 1000;
			ts.tv_sec += ns / 1000000000;
			ts.tv_nsec = ns % 1000000000;
			pthread_cond_timedwait(&s->ckpt_cv, &s->mu, &ts);
			continue;
		}
		s->ckpt_due = false;
		/* A busy writer is held up by each restart (tens of ms at the peak, for its last
		 * batch's pages and a sync): then only once the log is large. An idle one (or one
		 * taking a message at a time) is not: then at every round, for short answers. */
		int64_t restart = s->queued > 0 ? RESTART_LOG_BYTES : 0;
		pthread_mutex_unlock(&s->mu);
		int64_t u0 = mono_us();
		last = u0;
		int rc = store_checkpoint_aside(s->ckpt_store, restart);
		int64_t u1 = mono_us();
		if (rc) { /* the writer's own checkpoint covers the log meanwhile */
			struct timespec ts = {1, 0};
			nanosleep(&ts, NULL);
		}
		pthread_mutex_lock(&s->mu);
		s->ws.ckpt_passive_us += u1 - u0;
		s->ws.ckpt_passive++;
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

static void *writer_main(void *arg)
{
	struct svc *s = arg;
	pthread_setname_np(pthread_self(), "cbec-writer");
	for (;;) {
		pthread_mutex_lock(&s->mu);
		if (!s->head && !s->stopping) {
			/* wake at least once a second for the timeout scan */
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_sec += 1;
			pthread_cond_timedwait(&s->cv, &s->mu, &ts);
		}
		if (!s->head && s->stopping) {
			pthread_mutex_unlock(&s->mu);
			break;
		}
		struct job *batch = s->head, *last = NULL;
		int n = 0;
		for (struct job *j = s->head; j && n < s->opts.batch_max; j = j->next, n++) {
			last = j;
			s->customs_queued -= j->from_customs;
		}
		if (last) {
			s->head = last->next;
			if (!s->head)
				s->tail = NULL;
			last->next = NULL;
			s->queued -= n;
		} else {
			batch = NULL;
		}
		pthread_mutex_unlock(&s->mu);
		run_batch(s, batch);
	}
	return NULL;
}

/* ---- the customs outbox tailer ---- */

struct send_ctx {
	struct svc *s;
	int64_t sent, upto;
	int err;
};

static int send_one(void *ctx, const struct store_out *o)
{
	struct send_ctx *c = ctx;
	if (o->seq > c->upto)
		return 1; /* committed but not yet on disk: customs must not hear of it yet */
	int err = customs_send(c->s->gw, o->guid, o->body, o->body_len);
	if (err) {
		c->err = err;
		return err;
	}
	c->sent = o->seq;
	return 0;
}

static void *tailer_main(void *arg)
{
	struct svc *s = arg;
	pthread_setname_np(pthread_self(), "cbec-outbox");
	prio_background(); /* the writer first: customs hears a little later */
	char err[256];
	struct store *r = NULL;
	if (store_open(s->db_url, true, &r, err, sizeof err) != 0)
		return NULL;
	pthread_mutex_lock(&s->mu);
	int64_t cursor = s->customs_sent;
	pthread_mutex_unlock(&s->mu);
	for (;;) {
		pthread_mutex_lock(&s->mu);
		while (!s->stopping && s->outbox_seq <= cursor) {
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_sec += 1;
			pthread_cond_timedwait(&s->out_cv, &s->mu, &ts);
			if (s->outbox_seq <= cursor)
				break; /* periodic retry: also picks up what a crash left unsent */
		}
		bool stopping = s->stopping;
		int64_t upto = s->outbox_seq;
		pthread_mutex_unlock(&s->mu);
		struct send_ctx c = {s, cursor, upto, 0};
		store_out_after(r, 1, cursor, 256, send_one, &c);
		if (c.sent > cursor) {
			cursor = c.sent;
			pthread_mutex_lock(&s->mu);
			s->customs_sent = cursor;
			pthread_cond_signal(&s->cv); /* let the writer record it */
			pthread_mutex_unlock(&s->mu);
		}
		if (stopping)
			break;
		if (c.err) {
			struct timespec ts = {0, 200 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
	}
	store_close(r);
	return NULL;
}

/* ---- open / close ---- */

int svc_open(const struct svc_opts *o, struct svc **out, char *err, size_t errlen)
{
	struct svc *s = calloc(1, sizeof *s);
	if (!s)
		return CBEC_ENOMEM;
	s->opts = *o;
	s->db_url = strdup(o->db_url);
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	pthread_cond_init(&s->out_cv, NULL);
	pthread_cond_init(&s->sync_cv, NULL);
	pthread_cond_init(&s->ckpt_cv, NULL);
	pthread_mutex_init(&s->hook_mu, NULL);
	pthread_key_create(&s->checker_key, NULL);
	int rc = store_open(o->db_url, false, &s->w, err, errlen);
	if (rc)
		goto fail;
	const char *tp = o->tariff_path ? o->tariff_path : "data/tariff.csv";
	s->tariff = tariff_load(tp, err, errlen);
	if (!s->tariff) {
		rc = CBEC_EINVAL;
		goto fail;
	}
	s->apply = apply_new(s->w, s->tariff, &s->opts);
	if (!s->apply) {
		rc = CBEC_ENOMEM;
		goto fail;
	}
	rc = apply_init(s->apply, &s->outbox_seq, &s->last_receipt);
	if (rc) {
		snprintf(err, errlen, "cannot read the store's state: %s", cbec_strerror(rc));
		goto fail;
	}
	s->ws.lists = apply_lists(s->apply);
	store_cursor_get(s->w, "customs", &s->customs_sent);
	s->customs_saved = s->customs_sent;
	/* The simulator keeps its list numbers in a file beside the store unless told where. */
	const char *spec = o->customs ? o->customs : "sim";
	char spec_buf[4200];
	if (!strncmp(spec, "sim", 3) && !strstr(spec, "state=")) {
		if (!strncmp(o->db_url, "sqlite:", 7) || !strstr(o->db_url, "://")) {
			const char *path = !strncmp(o->db_url, "sqlite:", 7) ? o->db_url + 7 : o->db_url;
			snprintf(spec_buf, sizeof spec_buf, "%s%sstate=%.4000s.customs-sim", spec,
				 spec[3] == ':' ? "," : ":", path);
		} else {
			/* a server store: a file in the working folder named after the store's URL */
			uint32_t h = 2166136261u;
			for (const char *p = o->db_url; *p; p++)
				h = (h ^ (unsigned char)*p) * 16777619u;
			snprintf(spec_buf, sizeof spec_buf, "%s%sstate=customs-sim-%08x.db", spec,
				 spec[3] == ':' ? "," : ":", h);
		}
		spec = spec_buf;
	}
	rc = customs_open(spec, customs_deliver, s, &s->gw, err, errlen);
	if (rc)
		goto fail;
	if (customs_replays(s->gw)) {
		/* the link forgot what it was sent: hand it the lists still in its hands */
		rc = store_begin(s->w);
		if (!rc)
			rc = apply_replay(s->apply, now_ms());
		if (!rc)
			rc = store_commit(s->w);
		else
			store_rollback(s->w);
		if (rc) {
			snprintf(err, errlen, "cannot queue the lists in customs' hands again: %s", cbec_strerror(rc));
			goto fail;
		}
		s->outbox_seq = apply_outbox_seq(s->apply);
	}
	if (o->deferred_sync && store_defer_sync(s->w) == 0) {
		s->deferred = true;
		if (pthread_create(&s->syncer, NULL, syncer_main, s) != 0) {
			rc = CBEC_ENOMEM;
			goto fail;
		}
		s->syncer_up = true;
		/* without its own connection the writer checkpoints alone (every 2 s) */
		char cerr[256];
		if (store_open(s->db_url, false, &s->ckpt_store, cerr, sizeof cerr) == 0) {
			if (pthread_create(&s->ckpt, NULL, checkpointer_main, s) != 0) {
				rc = CBEC_ENOMEM;
				goto fail;
			}
			s->ckpt_up = true;
		}
	}
	if (pthread_create(&s->writer, NULL, writer_main, s) != 0) {
		rc = CBEC_ENOMEM;
		goto fail;
	}
	s->writer_up = true;
	if (pthread_create(&s->tailer, NULL, tailer_main, s) != 0) {
		rc = CBEC_ENOMEM;
		goto fail;
	}
	s->tailer_up = true;
	*out = s;
	return 0;
fail:
	svc_close(s);
	return rc;
}

void svc_stop(struct svc *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->mu);
	bool already = s->stopped;
	s->stopping = true;
	s->stopped = true;
	pthread_cond_broadcast(&s->cv);
	pthread_cond_broadcast(&s->out_cv);
	pthread_mutex_unlock(&s->mu);
	if (already)
		return;
	if (s->writer_up)
		pthread_join(s->writer, NULL);
	pthread_mutex_lock(&s->mu);
	s->writer_done = true; /* the syncer answers what is left, then ends */
	pthread_cond_signal(&s->sync_cv);
	pthread_cond_signal(&s->ckpt_cv);
	pthread_mutex_unlock(&s->mu);
	if (s->syncer_up)
		pthread_join(s->syncer, NULL);
	if (s->ckpt_up)
		pthread_join(s->ckpt, NULL);
	s->ckpt_up = false;
	if (s->tailer_up)
		pthread_join(s->tailer, NULL);
	/* The gateway stops after the writer: its late deliveries see `stopping` and stay
	 * unacknowledged, to be sent again by customs (or the simulator's replay). */
	customs_close(s->gw);
	s->gw = NULL;
	/* anything still queued was never committed */
	pthread_mutex_lock(&s->mu);
	struct job *q = s->head;
	s->head = s->tail = NULL;
	pthread_mutex_unlock(&s->mu);
	for (struct job *j = q, *n; j; j = n) {
		n = j->next;
		j->outcome = SVC_UNAVAILABLE;
		finish(j);
		job_free(j);
	}
	released(s);
}

void svc_close(struct svc *s)
{
	if (!s)
		return;
	svc_stop(s);
	apply_free(s->apply);
	tariff_free(s->tariff);
	store_close(s->ckpt_store);
	store_close(s->w);
	for (struct checker_ref *r = s->checkers, *n; r; r = n) {
		n = r->next;
		ceb_checker_free(r->c);
		free(r);
	}
	pthread_key_delete(s->checker_key);
	pthread_cond_destroy(&s->cv);
	pthread_cond_destroy(&s->out_cv);
	pthread_cond_destroy(&s->sync_cv);
	pthread_cond_destroy(&s->ckpt_cv);
	pthread_mutex_destroy(&s->hook_mu);
	pthread_mutex_destroy(&s->mu);
	free(s->db_url);
	free(s);
}
