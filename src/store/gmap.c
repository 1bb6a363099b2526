#include "store/gmap.h"

#include <stdlib.h>
#include <string.h>

#include "base/err.h"

/* An active entry: its guid at `off` in the run's pool (offsets survive the pool's growth). */
struct ent {
	uint32_t off, hash;
	int64_t id;
};

struct fent {
	const char *guid; /* in fpool */
	int64_t id;
};

struct gmap {
	char *pool; /* the active run's guids, one after another */
	size_t used, cap;
	struct ent *e; /* in id order */
	size_t n, ecap;
	uint32_t *slot; /* open addressing: index + 1 into e, 0 empty; at most half full */
	size_t nslot;
	char *fpool; /* the frozen run: the pool the active run had, and its entries sorted */
	struct fent *f;
	size_t nf;
};

static uint32_t hash_of(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

struct gmap *gmap_new(void)
{
	return calloc(1, sizeof(struct gmap));
}

void gmap_reset(struct gmap *m)
{
	free(m->pool);
	free(m->e);
	free(m->slot);
	free(m->fpool);
	free(m->f);
	memset(m, 0, sizeof *m);
}

void gmap_free(struct gmap *m)
{
	if (!m)
		return;
	gmap_reset(m);
	free(m);
}

static void slot_put(uint32_t *slot, size_t nslot, const struct ent *e, size_t i)
{
	size_t k = e[i].hash & (nslot - 1);
	while (slot[k])
		k = (k + 1) & (nslot - 1);
	slot[k] = (uint32_t)(i + 1);
}

/* The slots again for the first m->n entries, `nslot` of them. */
static int rehash(struct gmap *m, size_t nslot)
{
	uint32_t *s = calloc(nslot, sizeof *s);
	if (!s)
		return CBEC_ENOMEM;
	for (size_t i = 0; i < m->n; i++)
		slot_put(s, nslot, m->e, i);
	free(m->slot);
	m->slot = s;
	m->nslot = nslot;
	return 0;
}

int gmap_add(struct gmap *m, const char *guid, int64_t id)
{
	size_t len = strlen(guid) + 1;
	if (m->used + len > UINT32_MAX || m->n + 1 > UINT32_MAX / 2)
		return CBEC_ENOMEM; /* a run is folded long before (store_sqlite.c) */
	if (m->used + len > m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64 * 1024;
		while (cap < m->used + len)
			cap *= 2;
		char *p = realloc(m->pool, cap);
		if (!p)
			return CBEC_ENOMEM;
		m->pool = p;
		m->cap = cap;
	}
	if (m->n == m->ecap) {
		size_t cap = m->ecap ? m->ecap * 2 : 1024;
		struct ent *e = realloc(m->e, cap * sizeof *e);
		if (!e)
			return CBEC_ENOMEM;
		m->e = e;
		m->ecap = cap;
	}
	if ((m->n + 1) * 2 > m->nslot && rehash(m, m->nslot ? m->nslot * 2 : 2048) != 0)
		return CBEC_ENOMEM;
	memcpy(m->pool + m->used, guid, len);
	m->e[m->n] = (struct ent){(uint32_t)m->used, hash_of(guid), id};
	m->used += len;
	slot_put(m->slot, m->nslot, m->e, m->n);
	m->n++;
	return 0;
}

static int fent_cmp(const void *a, const void *b)
{
	return strcmp(((const struct fent *)a)->guid, ((const struct fent *)b)->guid);
}

bool gmap_find(const struct gmap *m, const char *guid, int64_t *id)
{
	if (m->nslot) {
		uint32_t h = hash_of(guid);
		for (size_t k = h & (m->nslot - 1); m->slot[k]; k = (k + 1) & (m->nslot - 1)) {
			const struct ent *e = &m->e[m->slot[k] - 1];
			if (e->hash == h && !strcmp(m->pool + e->off, guid)) {
				*id = e->id;
				return true;
			}
		}
	}
	struct fent key = {guid, 0};
	const struct fent *f = m->nf ? bsearch(&key, m->f, m->nf, sizeof *m->f, fent_cmp) : NULL;
	if (f)
		*id = f->id;
	return f != NULL;
}

size_t gmap_active(const struct gmap *m)
{
	return m->n;
}

int64_t gmap_active_last(const struct gmap *m)
{
	return m->n ? m->e[m->n - 1].id : 0;
}

void gmap_truncate(struct gmap *m, size_t n)
{
	if (n >= m->n)
		return;
	m->n = n;
	m->used = n ? m->e[n - 1].off + strlen(m->pool + m->e[n - 1].off) + 1 : 0;
	memset(m->slot, 0, m->nslot * sizeof *m->slot); /* as many slots as before: no allocation */
	for (size_t i = 0; i < m->n; i++)
		slot_put(m->slot, m->nslot, m->e, i);
}

int gmap_freeze(struct gmap *m)
{
	struct fent *f = malloc((m->n ? m->n : 1) * sizeof *f);
	if (!f)
		return CBEC_ENOMEM;
	for (size_t i = 0; i < m->n; i++)
		f[i] = (struct fent){m->pool + m->e[i].off, m->e[i].id};
	qsort(f, m->n, sizeof *f, fent_cmp);
	free(m->fpool);
	free(m->f);
	m->fpool = m->pool;
	m->f = f;
	m->nf = m->n;
	m->pool = NULL;
	m->used = m->cap = 0;
	m->n = 0;
	if (m->slot)
		memset(m->slot, 0, m->nslot * sizeof *m->slot);
	return 0;
}

size_t gmap_frozen(const struct gmap *m)
{
	return m->nf;
}

const char *gmap_frozen_at(const struct gmap *m, size_t i, int64_t *id)
{
	*id = m->f[i].id;
	return m->f[i].guid;
}
