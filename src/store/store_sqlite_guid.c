/* Messages by guid on the SQLite store (migration 9; gmap.h says why).
 *
 * msg_guid(guid, id) holds the guid of every message up to id `lo`, and the frozen run's
 * first `pos` in guid order; the frozen run is the messages lo < id <= hi, the active run
 * every message after hi. The three numbers are cursors, written in the transaction that
 * folds a share of the frozen run into msg_guid: each commit folds twice as many as it put
 * (at least 512), so the frozen run is in before the active one has 131,072 and takes its
 * place. A connection that writes keeps both runs in memory, read again from the
 * message table when it first needs them, and again whenever the table has a message it
 * did not put (another writer); a read-only one finds the newest messages by reading them.
 * A writing connection that has looked up many guids also keeps a filter of msg_guid's
 * guids (bloom.h), made by reading them all once and added to as it folds: a guid the filter
 * has never seen is not looked up in msg_guid, whose random pages at a festival day's size
 * no cache holds. A connection that looks up a few (a command) never pays for making it. */
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "store/bloom.h"
#include "store/gmap.h"
#include "store/store_impl.h"

static size_t guid_run = 1u << 17, fold_min = 512;
/* The filter is made after this many look-ups of msg_guid, for four times the guids it has
 * and at least filter_min (8 M: 10 MB, four festival days' messages), and made again, four
 * times larger, when it holds more than it was made for. */
static size_t filter_min = 8u << 20, filter_after = 4096;

void store_sqlite_guid_tune(size_t run, size_t min_fold, size_t min_filter, size_t after)
{
	guid_run = run;
	fold_min = min_fold;
	filter_min = min_filter;
	filter_after = after;
}

enum { G_GET, G_PUT, G_SCAN, G_RUN, G_MAX, G_ALL, G__N };
_Static_assert(STORE_SQLITE_GUID_SLOT0 + G__N <= STORE_SQLITE_EXT_SLOTS, "more statements than slots");

static const char *const sql[G__N] = {
    [G_GET] = "SELECT id FROM msg_guid WHERE guid = ?",
    [G_PUT] = "INSERT OR IGNORE INTO msg_guid(guid, id) VALUES(?, ?)",
    [G_SCAN] = "SELECT id FROM msg WHERE id > coalesce((SELECT value FROM cursor"
               " WHERE name = 'msg_guid_lo'), 0) AND guid = ? ORDER BY id LIMIT 1",
    [G_RUN] = "SELECT guid, id FROM msg WHERE id > ? AND id <= ? ORDER BY id",
    [G_MAX] = "SELECT coalesce(max(id), 0) FROM msg",
    [G_ALL] = "SELECT guid FROM msg_guid",
};

struct sqg {
	struct gmap *m;
	bool loaded;
	int64_t lo, hi;
	size_t pos, pos_tx; /* frozen entries in msg_guid: committed, and with this transaction's */
	size_t kept, mark;  /* active entries committed, and at the savepoint */
	size_t puts;        /* messages put in this transaction */
	bool folded;        /* this transaction folded its share (a commit tried again must not) */
	char *absent;       /* the guid last looked up and not found, for the put that follows */
	struct bloom *seen; /* every guid in msg_guid, and perhaps others; NULL: none yet */
	bool filtered;      /* seen was made (NULL after: no memory for it) */
	uint64_t unfiltered; /* look-ups of msg_guid since the runs were read, without a filter */
	uint64_t probed, spared; /* look-ups of msg_guid made, and spared by the filter */
};

static sqlite3_stmt *stmt(struct store *s, int id)
{
	return store_sqlite_ext_stmt(s, STORE_SQLITE_GUID_SLOT0 + id, sql[id]);
}

/* Step a one-value query: 0 with *v, CBEC_ENOTFOUND, or CBEC_ESTORE. */
static int one(sqlite3_stmt *q, int64_t *v)
{
	if (!q)
		return CBEC_ESTORE;
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*v = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? CBEC_ENOTFOUND : CBEC_ESTORE;
}

/* The highest message id there is, as far as this connection knows: its active run's
 * last, or the frozen run's end. */
static int64_t known_max(const struct sqg *g)
{
	return gmap_active(g->m) ? gmap_active_last(g->m) : g->hi;
}

static int add_range(struct store *s, struct sqg *g, int64_t after, int64_t upto)
{
	sqlite3_stmt *q = stmt(s, G_RUN);
	if (!q)
		return CBEC_ESTORE;
	sqlite3_bind_int64(q, 1, after);
	sqlite3_bind_int64(q, 2, upto);
	int rc, ret = 0;
	while (!ret && (rc = sqlite3_step(q)) == SQLITE_ROW)
		ret = gmap_add(g->m, (const char *)sqlite3_column_text(q, 0), sqlite3_column_int64(q, 1));
	sqlite3_reset(q);
	return ret ? ret : rc == SQLITE_DONE ? 0 : CBEC_ESTORE;
}

/* The filter of msg_guid's guids, made (again) for at least `want` of them. Without memory
 * for it, or when msg_guid could not be read whole, there is none (a filter missing a guid
 * would let its message in twice), and every look-up reads msg_guid as before. */
static void filter(struct store *s, struct sqg *g, size_t want)
{
	g->filtered = true;
	bloom_free(g->seen);
	g->seen = bloom_new(want > filter_min ? want : filter_min);
	sqlite3_stmt *q = stmt(s, G_ALL);
	int rc = q ? SQLITE_ROW : SQLITE_ERROR;
	while (g->seen && rc == SQLITE_ROW && (rc = sqlite3_step(q)) == SQLITE_ROW)
		bloom_add(g->seen, (const char *)sqlite3_column_text(q, 0));
	if (q)
		sqlite3_reset(q);
	if (rc != SQLITE_DONE) {
		bloom_free(g->seen);
		g->seen = NULL;
	}
}

static int load(struct store *s, struct sqg *g)
{
	int64_t pos = 0;
	g->loaded = false;
	gmap_reset(g->m);
	int rc = s->ops->cursor_get(s, "msg_guid_lo", &g->lo);
	if (!rc)
		rc = s->ops->cursor_get(s, "msg_guid_hi", &g->hi);
	if (!rc)
		rc = s->ops->cursor_get(s, "msg_guid_pos", &pos);
	/* another writer may have put guids in msg_guid: the filter is made again when wanted */
	bloom_free(g->seen);
	g->seen = NULL;
	g->filtered = false;
	g->unfiltered = 0;
	if (!rc)
		rc = add_range(s, g, g->lo, g->hi);
	if (!rc)
		rc = gmap_freeze(g->m);
	if (!rc)
		rc = add_range(s, g, g->hi, INT64_MAX);
	if (rc) {
		gmap_reset(g->m);
		return rc;
	}
	g->pos = g->pos_tx = (size_t)pos < gmap_frozen(g->m) ? (size_t)pos : gmap_frozen(g->m);
	g->kept = g->mark = gmap_active(g->m);
	g->loaded = true;
	return 0;
}

static int fresh(struct store *s, struct sqg *g);

/* The message with this guid in msg_guid: 0 with *id, CBEC_ENOTFOUND, or an error. A
 * writer's filter (g) answers for most guids that are not there. */
static int indexed(struct store *s, struct sqg *g, const char *guid, int64_t *id)
{
	/* msg_guid holds about lo + pos guids (message ids are dense) */
	if (g && !g->filtered && g->unfiltered >= filter_after)
		filter(s, g, 4 * (size_t)(g->lo + (int64_t)g->pos_tx));
	if (g && g->seen && !bloom_maybe(g->seen, guid)) {
		g->spared++;
		return CBEC_ENOTFOUND;
	}
	if (g) {
		g->probed++;
		g->unfiltered += !g->seen;
	}
	sqlite3_stmt *q = stmt(s, G_GET);
	if (q)
		sqlite3_bind_text(q, 1, guid, -1, SQLITE_STATIC);
	return one(q, id);
}

/* Outside a transaction another writer may have put messages since (begun checks inside). */
static bool in_tx(struct store *s)
{
	sqlite3_stmt *q = stmt(s, G_MAX);
	return q && !sqlite3_get_autocommit(sqlite3_db_handle(q));
}

/* The writer's runs, read at its first use. */
static int ready(struct store *s, struct sqg **gp)
{
	if (!*gp) {
		*gp = calloc(1, sizeof **gp);
		if (!*gp || !((*gp)->m = gmap_new())) {
			free(*gp);
			*gp = NULL;
			return CBEC_ENOMEM;
		}
	}
	return (*gp)->loaded ? 0 : load(s, *gp);
}

int store_sqlite_guid_find(struct store *s, struct sqg **gp, bool readonly, const char *guid,
			   int64_t *id)
{
	int rc;
	if (!readonly) {
		bool was = *gp && (*gp)->loaded;
		if ((rc = ready(s, gp)) != 0 || (was && !in_tx(s) && (rc = fresh(s, *gp)) != 0))
			return rc;
		if (gmap_find((*gp)->m, guid, id))
			return 0;
	}
	rc = indexed(s, readonly ? NULL : *gp, guid, id);
	if (rc == CBEC_ENOTFOUND && readonly) {
		sqlite3_stmt *q = stmt(s, G_SCAN);
		if (q)
			sqlite3_bind_text(q, 1, guid, -1, SQLITE_STATIC);
		rc = one(q, id);
	}
	if (rc == CBEC_ENOTFOUND && !readonly) {
		free((*gp)->absent);
		(*gp)->absent = strdup(guid); /* none when out of memory: the put looks again */
	}
	return rc;
}

int store_sqlite_guid_check_new(struct store *s, struct sqg **gp, const char *guid)
{
	int rc = ready(s, gp);
	if (rc)
		return rc;
	struct sqg *g = *gp;
	if (g->absent && !strcmp(g->absent, guid))
		return 0;
	int64_t id;
	if (gmap_find(g->m, guid, &id))
		return CBEC_ESTORE; /* as the unique index would have refused it */
	rc = indexed(s, g, guid, &id);
	return rc == CBEC_ENOTFOUND ? 0 : rc == 0 ? CBEC_ESTORE : rc;
}

int store_sqlite_guid_added(struct sqg *g, const char *guid, int64_t id)
{
	free(g->absent);
	g->absent = NULL;
	int rc = gmap_add(g->m, guid, id);
	if (rc)
		return rc; /* the caller's transaction is undone, and with it the message */
	g->puts++;
	return 0;
}

/* Read the runs again if the table has a message this connection did not put. */
static int fresh(struct store *s, struct sqg *g)
{
	int64_t max = 0;
	int rc = one(stmt(s, G_MAX), &max);
	if (rc)
		return rc;
	return max == known_max(g) ? 0 : load(s, g);
}

int store_sqlite_guid_begun(struct store *s, struct sqg *g)
{
	if (!g || !g->loaded)
		return 0;
	free(g->absent);
	g->absent = NULL;
	g->folded = false;
	g->puts = 0;
	int rc = fresh(s, g);
	if (!rc && g->seen && bloom_full(g->seen)) /* answering "perhaps" too often: larger */
		filter(s, g, 4 * bloom_count(g->seen));
	return rc;
}

int store_sqlite_guid_fold(struct store *s, struct sqg *g)
{
	if (!g || !g->loaded || g->folded || g->pos_tx >= gmap_frozen(g->m))
		return 0;
	size_t want = g->puts * 2 > fold_min ? g->puts * 2 : fold_min;
	size_t end = g->pos_tx + want < gmap_frozen(g->m) ? g->pos_tx + want : gmap_frozen(g->m);
	for (size_t i = g->pos_tx; i < end; i++) {
		int64_t id;
		const char *guid = gmap_frozen_at(g->m, i, &id);
		sqlite3_stmt *q = stmt(s, G_PUT);
		if (!q)
			return CBEC_ESTORE;
		sqlite3_bind_text(q, 1, guid, -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 2, id);
		int rc = sqlite3_step(q);
		sqlite3_reset(q);
		if (rc != SQLITE_DONE)
			return CBEC_ESTORE;
		if (g->seen) /* before the commit: one undone leaves a guid the filter need not have */
			bloom_add(g->seen, guid);
	}
	int rc = s->ops->cursor_set(s, "msg_guid_lo", g->lo);
	if (!rc)
		rc = s->ops->cursor_set(s, "msg_guid_hi", g->hi);
	if (!rc)
		rc = s->ops->cursor_set(s, "msg_guid_pos", (int64_t)end);
	if (rc)
		return rc;
	g->pos_tx = end;
	g->folded = true;
	return 0;
}

void store_sqlite_guid_committed(struct sqg *g)
{
	if (!g || !g->loaded)
		return;
	g->pos = g->pos_tx;
	g->kept = g->mark = gmap_active(g->m);
	g->folded = false;
	g->puts = 0;
	if (g->pos < gmap_frozen(g->m) || gmap_active(g->m) < guid_run)
		return;
	/* the frozen run is all in msg_guid: the active one takes its place (the cursors say
	 * so with the next fold; until then they still describe the runs as they were) */
	int64_t hi = gmap_active_last(g->m);
	if (gmap_freeze(g->m) != 0)
		return; /* tried again at the next commit */
	g->lo = g->hi;
	g->hi = hi;
	g->pos = g->pos_tx = 0;
	g->kept = g->mark = 0;
}

static void undo(struct sqg *g, size_t keep)
{
	gmap_truncate(g->m, keep);
	free(g->absent);
	g->absent = NULL;
}

void store_sqlite_guid_rolled_back(struct sqg *g)
{
	if (!g || !g->loaded)
		return;
	undo(g, g->kept);
	g->mark = g->kept;
	g->pos_tx = g->pos;
	g->folded = false;
	g->puts = 0;
}

void store_sqlite_guid_savepoint(struct sqg *g)
{
	if (g && g->loaded)
		g->mark = gmap_active(g->m);
}

void store_sqlite_guid_rolled_back_to(struct sqg *g)
{
	if (g && g->loaded)
		undo(g, g->mark);
}

void store_sqlite_guid_free(struct sqg *g)
{
	if (!g)
		return;
	gmap_free(g->m);
	free(g->absent);
	bloom_free(g->seen);
	free(g);
}

void store_sqlite_guid_counts(const struct sqg *g, uint64_t *probed, uint64_t *spared)
{
	*probed = g ? g->probed : 0;
	*spared = g ? g->spared : 0;
}
