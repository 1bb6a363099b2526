/* gmap: the guids of the messages not yet in the store's on-disk guid index, in memory.
 *
 * A message's guid is random: put straight into a B-tree index, each message wrote an
 * index page of its own at every commit, the largest share of what a commit wrote. The
 * SQLite store keeps instead the guids of its newest messages here, in the active run, and
 * folds them into the index later, in guid order (the frozen run), so that one index page
 * written takes many of them. Looking a guid up asks the active run, the frozen run, then
 * the index.
 *
 * The active run grows by gmap_add in message id order; gmap_truncate forgets its newest
 * entries (a transaction or savepoint undone); gmap_freeze makes it the frozen run, sorted,
 * dropping the one before. Everything is in memory and rebuilt from the message table when
 * the store opens (store_sqlite.c keeps which messages each run holds). One thread. */
#ifndef STORE_GMAP_H
#define STORE_GMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct gmap;

struct gmap *gmap_new(void);
void gmap_free(struct gmap *m);
/* Empty both runs. */
void gmap_reset(struct gmap *m);

/* Add to the active run; ids must grow. 0 or CBEC_ENOMEM (nothing added). */
int gmap_add(struct gmap *m, const char *guid, int64_t id);
/* The id of the message with this guid in either run. */
bool gmap_find(const struct gmap *m, const char *guid, int64_t *id);

/* Entries of the active run, and its highest id (0 when empty). */
size_t gmap_active(const struct gmap *m);
int64_t gmap_active_last(const struct gmap *m);
/* Keep only the first `n` entries of the active run (allocates nothing). */
void gmap_truncate(struct gmap *m, size_t n);

/* The active run becomes the frozen run, sorted by guid; the active run is empty after. */
int gmap_freeze(struct gmap *m);
/* Entries of the frozen run, and its i-th in guid order. */
size_t gmap_frozen(const struct gmap *m);
const char *gmap_frozen_at(const struct gmap *m, size_t i, int64_t *id);

#endif
