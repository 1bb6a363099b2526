#include "store/rcache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "store/store.h"

/* A document row as the store would return it now. Rows are shared by the probes that
 * answer with them and live until the cache is emptied; a changed document gets a new row. */
struct row {
	struct store_doc d; /* body always NULL */
	struct row *next;   /* every row, for freeing */
};

/* One probe's answer: row NULL means "none". */
struct slot {
	uint64_t hash;
	char *s;            /* NULL: empty; TOMB: deleted */
	int kind;
	struct row *row;
	bool yes; /* receipts: there is one */
};

static char tomb_mark;
#define TOMB (&tomb_mark)

/* Probes by (kind, string), open addressing. */
struct map {
	struct slot *slot;
	size_t cap, used; /* used counts tombstones too */
};

/* Rows by id. */
struct idslot {
	int64_t id; /* 0: empty */
	struct row *row;
};

struct rcache {
	struct map keys, links, guids, msgs, receipts;
	struct idslot *ids;
	size_t idcap, idused;
	struct row *rows;
	uint64_t hits, misses;
};

static uint64_t hash_of(int kind, const char *s)
{
	uint64_t h = 1469598103934665603ull ^ (uint64_t)(unsigned)kind;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h ? h : 1;
}

static void map_clear(struct map *m)
{
	for (size_t i = 0; i < m->cap; i++)
		if (m->slot[i].s && m->slot[i].s != TOMB)
			free(m->slot[i].s);
	if (m->cap)
		memset(m->slot, 0, m->cap * sizeof *m->slot);
	m->used = 0;
}

static void map_free(struct map *m)
{
	map_clear(m);
	free(m->slot);
}

static struct slot *map_find(const struct map *m, int kind, const char *s)
{
	if (!m->cap || !s)
		return NULL;
	uint64_t h = hash_of(kind, s);
	for (size_t i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		struct slot *e = &m->slot[i];
		if (!e->s)
			return NULL;
		if (e->s != TOMB && e->hash == h && e->kind == kind && !strcmp(e->s, s))
			return e;
	}
}

static int map_grow(struct map *m)
{
	size_t cap = m->cap ? m->cap * 2 : 1024;
	struct slot *n = calloc(cap, sizeof *n);
	if (!n)
		return CBEC_ENOMEM;
	size_t used = 0;
	for (size_t i = 0; i < m->cap; i++) {
		struct slot *e = &m->slot[i];
		if (!e->s || e->s == TOMB)
			continue;
		size_t j = e->hash & (cap - 1);
		while (n[j].s)
			j = (j + 1) & (cap - 1);
		n[j] = *e;
		used++;
	}
	free(m->slot);
	m->slot = n;
	m->cap = cap;
	m->used = used;
	return 0;
}

static int map_set(struct map *m, int kind, const char *s, struct row *row)
{
	if (!s)
		return 0;
	struct slot *e = map_find(m, kind, s);
	if (e) {
		e->row = row;
		return 0;
	}
	if ((m->used + 1) * 2 > m->cap && map_grow(m))
		return CBEC_ENOMEM;
	uint64_t h = hash_of(kind, s);
	size_t i = h & (m->cap - 1);
	while (m->slot[i].s && m->slot[i].s != TOMB)
		i = (i + 1) & (m->cap - 1);
	char *copy = strdup(s);
	if (!copy)
		return CBEC_ENOMEM;
	if (!m->slot[i].s)
		m->used++;
	m->slot[i] = (struct slot){h, copy, kind, row, false};
	return 0;
}

static void map_del(struct slot *e)
{
	free(e->s);
	e->s = TOMB;
	e->row = NULL;
}

/* Forget every probe answered by row r (a changed document: its strings may have moved). */
static void map_drop_row(struct map *m, const struct row *r)
{
	for (size_t i = 0; i < m->cap; i++)
		if (m->slot[i].s && m->slot[i].s != TOMB && m->slot[i].row == r)
			map_del(&m->slot[i]);
}

static struct row *id_find(const struct rcache *c, int64_t id)
{
	if (!c->idcap)
		return NULL;
	for (size_t i = (uint64_t)id * 0x9E3779B97F4A7C15ull >> 20 & (c->idcap - 1);;
	     i = (i + 1) & (c->idcap - 1)) {
		if (!c->ids[i].id)
			return NULL;
		if (c->ids[i].id == id)
			return c->ids[i].row;
	}
}

static int id_set(struct rcache *c, int64_t id, struct row *r)
{
	if ((c->idused + 1) * 2 > c->idcap) {
		size_t cap = c->idcap ? c->idcap * 2 : 1024;
		struct idslot *n = calloc(cap, sizeof *n);
		if (!n)
			return CBEC_ENOMEM;
		for (size_t i = 0; i < c->idcap; i++) {
			if (!c->ids[i].id)
				continue;
			size_t j = (uint64_t)c->ids[i].id * 0x9E3779B97F4A7C15ull >> 20 & (cap - 1);
			while (n[j].id)
				j = (j + 1) & (cap - 1);
			n[j] = c->ids[i];
		}
		free(c->ids);
		c->ids = n;
		c->idcap = cap;
	}
	size_t i = (uint64_t)id * 0x9E3779B97F4A7C15ull >> 20 & (c->idcap - 1);
	while (c->ids[i].id && c->ids[i].id != id)
		i = (i + 1) & (c->idcap - 1);
	if (!c->ids[i].id)
		c->idused++;
	c->ids[i] = (struct idslot){id, r};
	return 0;
}

struct rcache *rcache_new(void)
{
	return calloc(1, sizeof(struct rcache));
}

void rcache_clear(struct rcache *c)
{
	if (!c)
		return;
	map_clear(&c->keys);
	map_clear(&c->links);
	map_clear(&c->guids);
	map_clear(&c->msgs);
	map_clear(&c->receipts);
	if (c->idcap)
		memset(c->ids, 0, c->idcap * sizeof *c->ids);
	c->idused = 0;
	while (c->rows) {
		struct row *r = c->rows;
		c->rows = r->next;
		store_doc_clear(&r->d);
		free(r);
	}
}

void rcache_free(struct rcache *c)
{
	if (!c)
		return;
	rcache_clear(c);
	map_free(&c->keys);
	map_free(&c->links);
	map_free(&c->guids);
	map_free(&c->msgs);
	map_free(&c->receipts);
	free(c->ids);
	free(c);
}

static char *dup_or_null(const char *s, bool *failed)
{
	if (!s)
		return NULL;
	char *d = strdup(s);
	if (!d)
		*failed = true;
	return d;
}

/* A copy of d's fields without its body; false when out of memory. */
static bool copy_doc(struct store_doc *to, const struct store_doc *from, bool body_ref)
{
	bool failed = false;
	*to = (struct store_doc){
		.id = from->id,
		.kind = from->kind,
		.key = dup_or_null(from->key, &failed),
		.link = dup_or_null(from->link, &failed),
		.ref = dup_or_null(from->ref, &failed),
		.owner = dup_or_null(from->owner, &failed),
		.guid = dup_or_null(from->guid, &failed),
		.app_time = dup_or_null(from->app_time, &failed),
		.state = from->state,
		.msg_id = from->msg_id,
		.updated = from->updated,
		.body_ref = body_ref,
	};
	if (failed)
		store_doc_clear(to);
	return !failed;
}

static struct row *row_new(struct rcache *c, const struct store_doc *d, bool body_ref)
{
	struct row *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	if (!copy_doc(&r->d, d, body_ref) || id_set(c, d->id, r)) {
		store_doc_clear(&r->d);
		free(r);
		return NULL;
	}
	r->next = c->rows;
	c->rows = r;
	return r;
}

/* The row a read returned: the one already held for its id, which is as new. */
static struct row *row_of(struct rcache *c, const struct store_doc *d)
{
	struct row *r = id_find(c, d->id);
	return r ? r : row_new(c, d, d->body_ref);
}

static int answer(struct rcache *c, const struct slot *e, struct store_doc *out)
{
	if (!e) {
		c->misses++;
		return RCACHE_UNKNOWN;
	}
	if (!e->row) {
		c->hits++;
		return CBEC_ENOTFOUND;
	}
	if (!copy_doc(out, &e->row->d, e->row->d.body_ref))
		return RCACHE_UNKNOWN; /* the store will answer */
	c->hits++;
	return 0;
}

int rcache_doc_get(struct rcache *c, int kind, const char *key, struct store_doc *out)
{
	return answer(c, map_find(&c->keys, kind, key), out);
}

int rcache_doc_by_link(struct rcache *c, int kind, const char *link, struct store_doc *out)
{
	return answer(c, map_find(&c->links, kind, link), out);
}

int rcache_doc_by_guid(struct rcache *c, const char *guid, struct store_doc *out)
{
	return answer(c, map_find(&c->guids, 0, guid), out);
}

int rcache_msg_get(struct rcache *c, const char *guid)
{
	if (map_find(&c->msgs, 0, guid)) {
		c->hits++;
		return CBEC_ENOTFOUND;
	}
	c->misses++;
	return RCACHE_UNKNOWN;
}

/* Out of memory half way through a change: an empty cache is always true. */
static int give_up(struct rcache *c)
{
	rcache_clear(c);
	return CBEC_ENOMEM;
}

static int learn(struct rcache *c, struct map *m, int kind, const char *s,
		 const struct store_doc *row)
{
	struct row *r = NULL;
	if (row && !(r = row_of(c, row)))
		return give_up(c);
	if (map_set(m, kind, s, r))
		return give_up(c);
	/* a row found is also the answer for its (kind, key), which is unique */
	if (r && m != &c->keys && map_set(&c->keys, r->d.kind, r->d.key, r))
		return give_up(c);
	return 0;
}

int rcache_learn_key(struct rcache *c, int kind, const char *key, const struct store_doc *row)
{
	return learn(c, &c->keys, kind, key, row);
}

int rcache_learn_link(struct rcache *c, int kind, const char *link, const struct store_doc *row)
{
	return learn(c, &c->links, kind, link, row);
}

int rcache_learn_guid(struct rcache *c, const char *guid, const struct store_doc *row)
{
	return learn(c, &c->guids, 0, guid, row);
}

int rcache_learn_msg_absent(struct rcache *c, const char *guid)
{
	return map_set(&c->msgs, 0, guid, NULL) ? give_up(c) : 0;
}

int rcache_put(struct rcache *c, const struct store_doc *d, bool fresh)
{
	struct row *old = id_find(c, d->id);
	if (old) {
		/* its link or guid may have changed: the probes it answered are asked again */
		map_drop_row(&c->keys, old);
		map_drop_row(&c->links, old);
		map_drop_row(&c->guids, old);
	}
	struct row *r = row_new(c, d, d->body == NULL);
	if (!r)
		return give_up(c);
	/* (kind, key) is unique: this is its answer now */
	if (map_set(&c->keys, d->kind, d->key, r))
		return give_up(c);
	/* by link: the lowest id; a known answer changes only if this row is below it */
	struct slot *e = map_find(&c->links, d->kind, d->link);
	if (e && (!e->row || e->row->d.id > d->id))
		e->row = r;
	/* by guid: the highest id; a new row is above every other (and only the kinds found
	 * by guid, as in the store) */
	if (!store_guid_indexed(d->kind))
		return 0;
	e = map_find(&c->guids, 0, d->guid);
	if (e && (!e->row || e->row->d.id < d->id))
		e->row = r;
	else if (!e && fresh && map_set(&c->guids, 0, d->guid, r))
		return give_up(c);
	return 0;
}

void rcache_set_state(struct rcache *c, int64_t id, int state, int64_t updated)
{
	struct row *r = id_find(c, id);
	if (r) {
		r->d.state = state;
		r->d.updated = updated;
	}
}

int rcache_set_ref(struct rcache *c, int64_t id, const char *ref)
{
	struct row *r = id_find(c, id);
	if (!r)
		return 0;
	char *copy = NULL;
	if (ref && !(copy = strdup(ref)))
		return give_up(c);
	free(r->d.ref);
	r->d.ref = copy;
	return 0;
}

void rcache_msg_put(struct rcache *c, const char *guid)
{
	struct slot *e = map_find(&c->msgs, 0, guid);
	if (e)
		map_del(e);
}

/* A receipt probe's string: "key<US>status", in buf; NULL when it does not fit (not kept). */
static const char *receipt_probe(char *buf, size_t n, const char *key, const char *status)
{
	if (!key || !status || (size_t)snprintf(buf, n, "%s\x1f%s", key, status) >= n)
		return NULL;
	return buf;
}

int rcache_receipt_exists(struct rcache *c, int doc_kind, const char *doc_key, const char *status)
{
	char buf[512];
	struct slot *e = map_find(&c->receipts, doc_kind, receipt_probe(buf, sizeof buf, doc_key, status));
	if (!e) {
		c->misses++;
		return RCACHE_UNKNOWN;
	}
	c->hits++;
	return e->yes ? 0 : CBEC_ENOTFOUND;
}

int rcache_learn_receipt(struct rcache *c, int doc_kind, const char *doc_key, const char *status,
			 bool exists)
{
	char buf[512];
	const char *s = receipt_probe(buf, sizeof buf, doc_key, status);
	if (!s)
		return 0;
	if (map_set(&c->receipts, doc_kind, s, NULL))
		return give_up(c);
	map_find(&c->receipts, doc_kind, s)->yes = exists;
	return 0;
}

int rcache_receipt_add(struct rcache *c, int doc_kind, const char *doc_key, const char *status)
{
	return rcache_learn_receipt(c, doc_kind, doc_key, status, true);
}

void rcache_stats(const struct rcache *c, struct rcache_stats *out)
{
	out->hits = c ? c->hits : 0;
	out->misses = c ? c->misses : 0;
}
