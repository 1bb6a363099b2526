/* dcache: parsed documents the writer is likely to need again soon, so it does not re-parse
 * stored XML. A list is evaluated when its last document arrives, which needs the order,
 * payment and waybill parsed; they usually arrived moments before. Bounded by bytes, least
 * recently used first out; a miss only costs a parse.
 *
 * An entry is found by (document id, message id, document guid): a changed document
 * (appType 2) is a new message id, and ids reused after a rollback come with another guid,
 * so a stale copy is never served. */
#ifndef CBEC_DCACHE_H
#define CBEC_DCACHE_H

#include <stddef.h>
#include <stdint.h>

struct ceb_msg;
struct ceb_node;
struct dcache;

struct dcache_stats {
	uint64_t hits, misses, evictions;
	size_t entries, bytes;
};

/* NULL when out of memory; max_bytes 0 keeps nothing. */
struct dcache *dcache_new(size_t max_bytes);
void dcache_free(struct dcache *c);

/* Keep a copy of entity e of message m as that document's version. Replaces an older copy.
 * Never evicts (see dcache_trim), so pointers handed out stay valid until then. */
int dcache_put(struct dcache *c, int64_t doc_id, int64_t msg_id, const char *guid,
	       const struct ceb_msg *m, const struct ceb_node *e);
/* The cached copy (a message holding the one entity), or NULL. */
const struct ceb_msg *dcache_get(struct dcache *c, int64_t doc_id, int64_t msg_id,
				 const char *guid);
/* Forget a document (its list is decided); deferred like eviction, see dcache_trim. */
void dcache_forget(struct dcache *c, int64_t doc_id);
/* Evict down to the budget; invalidates what dcache_get returned before. */
void dcache_trim(struct dcache *c);
void dcache_stats(const struct dcache *c, struct dcache_stats *out);

#endif
