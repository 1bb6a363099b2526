/* Applying checked messages to the store, inside the writer's transaction: documents and
 * their versions (appType), matching when a list's documents are all there, tax and the
 * buyer's limits, the list's life cycle, customs' receipts, receipts to every party. */
#ifndef SVC_APPLY_H
#define SVC_APPLY_H

#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"
#include "ceb/check.h"
#include "svc/svc.h"

struct apply;
struct store;
struct tariff;

struct apply *apply_new(struct store *w, const struct tariff *t, const struct svc_opts *o);
void apply_free(struct apply *a);
/* Read the outbox and receipt positions at start. */
int apply_init(struct apply *a, int64_t *outbox_seq, int64_t *last_receipt);

/* Apply one message (its check result in `res`). Sets the outcome and the answer to send.
 * Returns 0, or a CBEC_E code after which the caller rolls this message back. */
int apply_message(struct apply *a, const char *body, size_t len, struct ceb_result *res,
		  const char *sender, bool from_customs, int64_t now, enum svc_outcome *outcome,
		  struct buf *answer);
/* One message of a batch, for apply_read_ahead. */
struct apply_ahead {
	const struct ceb_result *res;
	const char *body;
	size_t len;
	bool from_customs;
};
/* Ask the store at once, in the open transaction, what applying these messages will look up
 * (store_read_ahead). A hint: after a failure the caller rolls back and applies without. */
int apply_read_ahead(struct apply *a, const struct apply_ahead *batch, size_t n);
/* Periodic work in the same transaction: lists waiting too long (P-04). */
int apply_tick(struct apply *a, int64_t now);
int64_t apply_outbox_seq(const struct apply *a);
/* Queue for customs again every list still in its hands, with its documents: for a customs
 * link that keeps no state across restarts. */
int apply_replay(struct apply *a, int64_t now);
int64_t apply_last_receipt(const struct apply *a);
/* Import and export lists by state as of the open transaction, counted as states change. */
struct apply_lists apply_lists(const struct apply *a);
/* What the writer keeps in memory of the open transaction (the list counts, the last
 * receipt and outbox entry written): the service takes a mark before a message or a batch
 * and puts it back when it rolls that back. */
struct apply_mark {
	struct apply_lists lists;
	int64_t out_seq, last_receipt;
};
struct apply_mark apply_mark(const struct apply *a);
void apply_restore(struct apply *a, const struct apply_mark *m);

#endif
