/* rcache: the writer's answers to its own look-ups within one transaction, so that a batch
 * asks the server once (store_read_ahead) instead of once a look-up. PostgreSQL answers a
 * look-up in a round trip; a batch of 500 messages made ~5,000 of them.
 *
 * An entry is a complete answer to one probe: "the document of kind K and key X is this row"
 * (or there is none); the same for (kind, link) (the lowest id, as store_doc_by_link
 * answers), a guid (the highest id, as store_doc_by_guid), "no message has this guid", and
 * whether a document has had a receipt of some status.
 * Probes never asked are unknown, and the caller asks the store as before.
 *
 * The answers stay true because every write to documents and messages in the transaction
 * passes through here (store.c) after the backend took it; the store is written by its one
 * writer only. Anything undone (rollback, rollback to a savepoint) empties the cache; so does
 * the end of the transaction. */
#ifndef STORE_RCACHE_H
#define STORE_RCACHE_H

#include <stdbool.h>
#include <stdint.h>

struct rcache;
struct store_doc;

/* A look-up's answer: RCACHE_UNKNOWN (ask the store), 0 (found) or CBEC_ENOTFOUND. */
#define RCACHE_UNKNOWN 1

struct rcache *rcache_new(void);
void rcache_free(struct rcache *c);
void rcache_clear(struct rcache *c);

/* Look-ups. A found row is copied into *out (the caller's, store_doc_clear), body left NULL. */
int rcache_doc_get(struct rcache *c, int kind, const char *key, struct store_doc *out);
int rcache_doc_by_link(struct rcache *c, int kind, const char *link, struct store_doc *out);
int rcache_doc_by_guid(struct rcache *c, const char *guid, struct store_doc *out);
/* RCACHE_UNKNOWN or CBEC_ENOTFOUND: a message found is not kept (resends are rare). */
int rcache_msg_get(struct rcache *c, const char *guid);
/* RCACHE_UNKNOWN, 0 (there is such a receipt) or CBEC_ENOTFOUND. */
int rcache_receipt_exists(struct rcache *c, int doc_kind, const char *doc_key, const char *status);

/* What a read ahead found for one probe: the answer the store gave (row NULL: none). */
int rcache_learn_key(struct rcache *c, int kind, const char *key, const struct store_doc *row);
int rcache_learn_link(struct rcache *c, int kind, const char *link, const struct store_doc *row);
int rcache_learn_guid(struct rcache *c, const char *guid, const struct store_doc *row);
int rcache_learn_msg_absent(struct rcache *c, const char *guid);
int rcache_learn_receipt(struct rcache *c, int doc_kind, const char *doc_key, const char *status,
			 bool exists);

/* Writes the store took. `fresh`: d was inserted now, with an id above every other. On
 * failure (out of memory) the cache has emptied itself, which is always correct. */
int rcache_put(struct rcache *c, const struct store_doc *d, bool fresh);
void rcache_set_state(struct rcache *c, int64_t id, int state, int64_t updated);
int rcache_set_ref(struct rcache *c, int64_t id, const char *ref);
void rcache_msg_put(struct rcache *c, const char *guid);
int rcache_receipt_add(struct rcache *c, int doc_kind, const char *doc_key, const char *status);

struct rcache_stats {
	uint64_t hits, misses; /* answered here / left to the store */
};
void rcache_stats(const struct rcache *c, struct rcache_stats *out);

#endif
