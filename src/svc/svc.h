/* The clearance service: every message, whichever way it came in, is checked in the thread
 * that received it, then applied by the one writer thread in batches (group commit): stored,
 * matched, taxed, limited, answered. A sender is answered only after its message is
 * committed; the same guid again gets the same answer. Decided lists go to customs through
 * the gateway after commit; customs' receipts come back through the same path. */
#ifndef SVC_SVC_H
#define SVC_SVC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ceb/check.h"
#include "clear/match.h"
#include "clear/tax.h"
#include "store/store.h"

struct svc_opts {
	const char *db_url;       /* "sqlite:PATH" */
	const char *customs;      /* gateway spec, see customs.h; default "sim" */
	const char *tariff_path;  /* CSV; default data/tariff.csv beside the program's data */
	int64_t match_timeout_ms; /* a list waiting longer for its documents is rejected (P-04) */
	int64_t annual_limit;     /* L-02, 1e-5 CNY */
	int refund_days;          /* D-01: returns within this many days of release */
	int batch_max;            /* messages per group commit */
	int queue_max;            /* messages waiting for the writer before intake says busy */
	size_t doc_cache_bytes;   /* parsed documents the writer keeps (see dcache.h) */
	bool deferred_sync;       /* flush a batch while the next is applied (store_defer_sync) */
	struct ceb_check_opts check;
	struct tax_opts tax;
	struct match_opts match;
};

void svc_opts_default(struct svc_opts *o);

struct svc;

int svc_open(const struct svc_opts *o, struct svc **out, char *err, size_t errlen);
/* Stops accepting (svc_submit says busy from now on), answers everything queued, stops the
 * threads. The service stays valid for callers that still hold it. Idempotent. */
void svc_stop(struct svc *s);
/* svc_stop, then free everything. No thread may use the service after this. */
void svc_close(struct svc *s);

enum svc_outcome {
	SVC_ANSWERED,    /* committed; the answer is the receipt message */
	SVC_BAD,         /* not a CEB message at all; the answer is a CEB900 format receipt */
	SVC_UNAVAILABLE, /* not committed (busy, shutting down, store failure): send again */
};

/* Called once per submission, from the writer thread (or the caller's, when answered at
 * once). The answer is borrowed for the call. */
typedef void (*svc_done_fn)(void *ctx, enum svc_outcome outcome, const char *answer, size_t len);

/* Submit one message. `sender` is the authenticated enterprise code, which must be the
 * message's copCode (P-06); NULL for trusted channels (the exchange folder). Returns 0 when
 * `done` will be called, or CBEC_EBUSY when the queue is full (done is not called). */
int svc_submit(struct svc *s, const char *body, size_t len, const char *sender, svc_done_fn done,
	       void *ctx);

/* A write that is not a CEB message (a bonded stock-in): `fn` runs in the writer thread,
 * inside the batch's transaction, and `done` is called after the commit, as for a message.
 * fn returns 0 with the answer written, or a CBEC_E code (its writes are rolled back and the
 * outcome is SVC_UNAVAILABLE). fn may run twice: when a message of its batch fails, the
 * batch is rolled back and applied again, each message in its own savepoint; so fn writes
 * only to the store and its answer. `arg` must live until done. */
struct store;
struct buf;
typedef int (*svc_write_fn)(void *arg, struct store *w, int64_t now, struct buf *answer);
int svc_submit_write(struct svc *s, svc_write_fn fn, void *arg, svc_done_fn done, void *ctx);

const char *svc_db_url(const struct svc *s);
/* The last receipt on disk: readers must not show receipts beyond it (a receipt committed
 * but not yet flushed could still vanish in a power cut). */
int64_t svc_last_receipt(struct svc *s);

/* Called after each round of answers (done callbacks) from the thread that gave them, so a
 * caller can finish its own work for the whole group at once (the HTTP layer syncs its audit
 * log once and then wakes every connection). fn NULL removes it; returns once no call of the
 * previous hook is running. */
void svc_on_released(struct svc *s, void (*fn)(void *ctx), void *ctx);

struct apply_lists {
	int64_t by_state[DOC_STATE__N];
};

/* Where the writer's time goes (wall clock, cumulative): applying messages, committing
 * (the durable write), and checkpointing between batches. */
struct svc_writer_stats {
	int64_t batches, messages;
	int64_t batches_again; /* applied again message by message after one failed (run_batch) */
	int64_t apply_us, commit_us, checkpoint_us;
	int64_t ckpt_passive, ckpt_passive_us; /* the checkpointer beside the writer */
	/* look-ups answered by what the batch read ahead / asked of the store one by one */
	uint64_t ahead_hits, ahead_misses;
	/* message guids looked up in the store's guid index / answered by its filter instead */
	uint64_t guid_probed, guid_spared;
	struct apply_lists lists; /* lists by state, on disk (counted as they change, not scanned) */
};
void svc_writer_stats(struct svc *s, struct svc_writer_stats *out);

#endif
