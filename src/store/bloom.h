/* bloom: a set that answers "certainly not in it" or "perhaps in it", in ~10 bits a key.
 *
 * The SQLite store's message guids are random, so asking its guid index whether a new
 * message's guid is there read a random page of an index that, past a few hundred thousand
 * orders, no cache holds: the writer's costliest look-up at a festival day's size (6.5 µs a
 * message against 1.9 at 100k orders). A filter of the index's guids in memory answers
 * "not there" for almost every new guid without that read (store_sqlite_guid.c).
 *
 * Blocked: a key's bits all lie in one 64-byte block (one cache line read a look-up). False
 * positives ~2 % while no more keys than the capacity are in it; never a false negative.
 * One thread. */
#ifndef STORE_BLOOM_H
#define STORE_BLOOM_H

#include <stdbool.h>
#include <stddef.h>

struct bloom;

/* A filter for `capacity` keys; NULL when out of memory. */
struct bloom *bloom_new(size_t capacity);
void bloom_free(struct bloom *b);
void bloom_add(struct bloom *b, const char *key);
/* false: the key was never added. true: it may have been. */
bool bloom_maybe(const struct bloom *b, const char *key);
/* Keys added, and whether more were added than it was made for (its answers still true,
 * but "perhaps" more often). */
size_t bloom_count(const struct bloom *b);
bool bloom_full(const struct bloom *b);

#endif
