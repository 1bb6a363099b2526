#include "svc/dcache.h"

#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "ceb/model.h"

struct entry {
	int64_t doc_id, msg_id;
	char *guid; /* in the entry's arena */
	struct arena *arena;
	struct ceb_msg *msg;
	size_t bytes;
	struct entry *chain;      /* hash bucket */
	struct entry *prev, *next; /* recency: head is the most recent */
};

struct dcache {
	size_t max_bytes, bytes, entries;
	struct entry **bucket;
	size_t nbucket; /* power of two */
	int64_t *forget; /* ids to drop at the next trim */
	size_t nforget, capforget;
	struct entry *head, *tail;
	uint64_t hits, misses, evictions;
};

struct dcache *dcache_new(size_t max_bytes)
{
	struct dcache *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->max_bytes = max_bytes;
	c->nbucket = 1024;
	c->bucket = calloc(c->nbucket, sizeof *c->bucket);
	if (!c->bucket) {
		free(c);
		return NULL;
	}
	return c;
}

static size_t slot(const struct dcache *c, int64_t doc_id)
{
	uint64_t h = (uint64_t)doc_id * 0x9E3779B97F4A7C15ull;
	return (size_t)(h >> 32) & (c->nbucket - 1);
}

static void unlink_lru(struct dcache *c, struct entry *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		c->head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		c->tail = e->prev;
	e->prev = e->next = NULL;
}

static void push_front(struct dcache *c, struct entry *e)
{
	e->next = c->head;
	if (c->head)
		c->head->prev = e;
	c->head = e;
	if (!c->tail)
		c->tail = e;
}

static struct entry **find(struct dcache *c, int64_t doc_id)
{
	struct entry **p = &c->bucket[slot(c, doc_id)];
	while (*p && (*p)->doc_id != doc_id)
		p = &(*p)->chain;
	return p;
}

static void drop(struct dcache *c, struct entry **link)
{
	struct entry *e = *link;
	*link = e->chain;
	unlink_lru(c, e);
	c->bytes -= e->bytes;
	c->entries--;
	arena_free(e->arena);
	free(e);
}

static void grow(struct dcache *c)
{
	size_t n = c->nbucket * 2;
	struct entry **b = calloc(n, sizeof *b);
	if (!b)
		return; /* longer chains, still correct */
	struct entry **old = c->bucket;
	size_t nold = c->nbucket;
	c->bucket = b;
	c->nbucket = n;
	for (size_t i = 0; i < nold; i++)
		for (struct entry *e = old[i], *next; e; e = next) {
			next = e->chain;
			struct entry **p = &c->bucket[slot(c, e->doc_id)];
			e->chain = *p;
			*p = e;
		}
	free(old);
}

void dcache_free(struct dcache *c)
{
	if (!c)
		return;
	for (struct entry *e = c->head, *n; e; e = n) {
		n = e->next;
		arena_free(e->arena);
		free(e);
	}
	free(c->bucket);
	free(c->forget);
	free(c);
}

int dcache_put(struct dcache *c, int64_t doc_id, int64_t msg_id, const char *guid,
	       const struct ceb_msg *m, const struct ceb_node *e)
{
	if (!c->max_bytes || !guid)
		return 0;
	struct entry **link = find(c, doc_id);
	if (*link)
		drop(c, link);
	struct entry *x = calloc(1, sizeof *x);
	if (!x)
		return CBEC_ENOMEM;
	x->arena = arena_new(4096);
	if (!x->arena || !(x->guid = arena_strdup(x->arena, guid)) ||
	    !(x->msg = ceb_msg_copy(x->arena, m, e))) {
		arena_free(x->arena);
		free(x);
		return CBEC_ENOMEM;
	}
	x->doc_id = doc_id;
	x->msg_id = msg_id;
	x->bytes = arena_used(x->arena) + sizeof *x;
	link = find(c, doc_id);
	x->chain = *link;
	*link = x;
	push_front(c, x);
	c->bytes += x->bytes;
	if (++c->entries > c->nbucket)
		grow(c);
	return 0;
}

const struct ceb_msg *dcache_get(struct dcache *c, int64_t doc_id, int64_t msg_id,
				 const char *guid)
{
	struct entry *e = *find(c, doc_id);
	if (!e || e->msg_id != msg_id || !guid || strcmp(e->guid, guid) != 0) {
		c->misses++;
		return NULL;
	}
	c->hits++;
	unlink_lru(c, e);
	push_front(c, e);
	return e->msg;
}

void dcache_forget(struct dcache *c, int64_t doc_id)
{
	if (c->nforget == c->capforget) {
		size_t n = c->capforget ? c->capforget * 2 : 64;
		int64_t *f = realloc(c->forget, n * sizeof *f);
		if (!f)
			return; /* it will age out instead */
		c->forget = f;
		c->capforget = n;
	}
	c->forget[c->nforget++] = doc_id;
}

void dcache_trim(struct dcache *c)
{
	for (size_t i = 0; i < c->nforget; i++) {
		struct entry **link = find(c, c->forget[i]);
		if (*link)
			drop(c, link);
	}
	c->nforget = 0;
	while (c->bytes > c->max_bytes && c->tail) {
		drop(c, find(c, c->tail->doc_id));
		c->evictions++;
	}
}

void dcache_stats(const struct dcache *c, struct dcache_stats *out)
{
	out->hits = c->hits;
	out->misses = c->misses;
	out->evictions = c->evictions;
	out->entries = c->entries;
	out->bytes = c->bytes;
}
