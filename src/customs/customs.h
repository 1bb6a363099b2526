/* The customs gateway: where the platform ends and customs begins. The platform sends
 * declarations it has pre-checked; customs' decisions (120 accepted, 399 concluded, 800
 * released, 100 rejected, 500 inspection, ...) come back as customs receipt messages. Two
 * links behind one interface:
 *   "sim[:accept=MS,release=MS,inspect=PERCENT,seen=N,state=PATH]"  the built-in customs
 *        simulator, deciding by the published rules with the given delays (none by default);
 *        it ignores a repeat of any of the last N messages (65,536); PATH keeps its
 *        list-number counter, so numbers never repeat across restarts
 *   "dxp:DIR"  a DXP exchange folder: messages out to DIR/send, receipts in from DIR/receive */
#ifndef CUSTOMS_CUSTOMS_H
#define CUSTOMS_CUSTOMS_H

#include <stddef.h>

struct customs;

/* Called (from the gateway's thread) with each customs receipt message. The gateway may
 * forget the receipt only after `ack(ack_ctx)` has been called, i.e. once the platform has
 * committed it. */
typedef void (*customs_deliver_fn)(void *ctx, const char *xml, size_t len,
				   void (*ack)(void *ack_ctx), void *ack_ctx);

int customs_open(const char *spec, customs_deliver_fn deliver, void *ctx, struct customs **out,
		 char *err, size_t errlen);
void customs_close(struct customs *c);
const char *customs_describe(const struct customs *c);

/* True when the link keeps no durable record of what it was sent (the simulator): the
 * platform then sends again, at start, every list still in customs' hands. */
int customs_replays(const struct customs *c);

/* Hand one declaration message to customs, in outbox order. 0 once customs has it (the
 * simulator queued it; the DXP file is durably written); a CBEC_E code to retry later
 * (CBEC_EBUSY: the simulator has a full backlog of documents to decide and answers to give). */
int customs_send(struct customs *c, const char *guid, const char *xml, size_t len);

/* The simulator: documents waiting for their list plus messages remembered (a figure that
 * stays bounded however many go through), and in *parsed (if not NULL) how many of the
 * documents are kept parsed rather than as text; 0 for the DXP link. */
size_t customs_sim_held(struct customs *c, size_t *parsed);
/* The simulator: the most answer batches it has had open at once (bounded). */
size_t customs_sim_batches_peak(struct customs *c);

#endif
