#include "ceb/model.h"

#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"

static struct ceb_node *node_new(struct arena *a, const struct ceb_def *d)
{
	struct ceb_node *n = arena_alloc(a, sizeof *n);
	if (!n)
		return NULL;
	n->def = d;
	if (d->kind == CEB_K_GROUP) {
		n->first = arena_alloc(a, d->nkids * sizeof *n->first);
		n->last = arena_alloc(a, d->nkids * sizeof *n->last);
		n->count = arena_alloc(a, d->nkids * sizeof *n->count);
		if (!n->first || !n->last || !n->count)
			return NULL;
	} else {
		size_t nv = d->kind == CEB_K_SIG ? 1 : d->nfields;
		n->vals = arena_alloc(a, nv * sizeof *n->vals);
		if (!n->vals)
			return NULL;
	}
	return n;
}

struct ceb_msg *ceb_msg_new(struct arena *a, const struct ceb_msgtype *type)
{
	struct ceb_msg *m = arena_alloc(a, sizeof *m);
	if (!m)
		return NULL;
	m->type = type;
	m->arena = a;
	m->root = node_new(a, type->def);
	if (!m->root)
		return NULL;
	m->root->ordinal = 1;
	m->root->kid_index = -1;
	return m;
}

struct ceb_node *ceb_node_add(struct ceb_msg *m, struct ceb_node *parent, int kid)
{
	const struct ceb_def *d = parent->def->kids[kid].def;
	struct ceb_node *n = node_new(m->arena, d);
	if (!n)
		return NULL;
	n->parent = parent;
	n->kid_index = kid;
	if (parent->count[kid] < UINT16_MAX)
		parent->count[kid]++;
	n->ordinal = parent->last[kid] ? parent->last[kid]->ordinal + 1 : 1;
	if (parent->last[kid])
		parent->last[kid]->next = n;
	else
		parent->first[kid] = n;
	parent->last[kid] = n;
	if (d->kind == CEB_K_SIG)
		n->prefix = "ds";
	return n;
}

int ceb_node_set(struct ceb_msg *m, struct ceb_node *rec, int field, const char *s, size_t n)
{
	char *p = arena_strndup(m->arena, s, n);
	if (!p)
		return CBEC_ENOMEM;
	rec->vals[field].p = p;
	rec->vals[field].n = (uint32_t)n;
	return 0;
}

int ceb_node_setz(struct ceb_msg *m, struct ceb_node *rec, int field, const char *s)
{
	return ceb_node_set(m, rec, field, s, strlen(s));
}

bool ceb_val_filled(const struct ceb_val *v)
{
	if (!v->p)
		return false;
	for (uint32_t i = 0; i < v->n; i++) {
		char c = v->p[i];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			return true;
	}
	return false;
}

bool ceb_val_is(const struct ceb_val *v, const char *s)
{
	size_t n = strlen(s);
	return v->p && v->n == n && memcmp(v->p, s, n) == 0;
}

bool ceb_val_eq(const struct ceb_val *a, const struct ceb_val *b)
{
	if (!a->p || !b->p)
		return !a->p && !b->p;
	return a->n == b->n && memcmp(a->p, b->p, a->n) == 0;
}

struct ceb_node *ceb_msg_entities(const struct ceb_msg *m)
{
	return m && m->root ? ceb_kid(m->root, 0) : NULL;
}

struct ceb_node *ceb_entity_head(const struct ceb_node *entity)
{
	if (!entity)
		return NULL;
	if (entity->def->kind == CEB_K_RECORD)
		return (struct ceb_node *)entity;
	return ceb_kid(entity, 0);
}

struct ceb_node *ceb_entity_lines(const struct ceb_node *entity)
{
	if (!entity || entity->def->kind != CEB_K_GROUP || entity->def->nkids < 2)
		return NULL;
	return ceb_kid(entity, 1);
}

static void path_rec(struct buf *b, const struct ceb_node *n)
{
	if (n->parent)
		path_rec(b, n->parent);
	buf_putc(b, '/');
	buf_puts(b, n->def->name);
	if (n->parent && n->parent->def->kids[n->kid_index].max > 1)
		buf_printf(b, "[%u]", n->ordinal);
}

const char *ceb_node_path(struct arena *a, const struct ceb_node *n, const char *field)
{
	struct buf b = BUF_INIT;
	if (n)
		path_rec(&b, n);
	if (field) {
		buf_putc(&b, '/');
		buf_puts(&b, field);
	}
	const char *p = b.err ? "" : arena_strndup(a, b.p ? b.p : "", b.n);
	buf_free(&b);
	return p;
}

static int copy_val(struct arena *a, struct ceb_val *to, const struct ceb_val *from)
{
	*to = *from;
	if (from->p && !(to->p = arena_strndup(a, from->p, from->n)))
		return CBEC_ENOMEM;
	return 0;
}

static int copy_kids(struct ceb_msg *m, struct ceb_node *to, const struct ceb_node *from,
		     const struct ceb_node *only_entity);

static int copy_node(struct ceb_msg *m, struct ceb_node *parent, const struct ceb_node *from,
		     const struct ceb_node *only_entity)
{
	struct ceb_node *n = ceb_node_add(m, parent, from->kid_index);
	if (!n)
		return CBEC_ENOMEM;
	n->line = from->line;
	n->prefix = from->prefix;
	const struct ceb_def *d = from->def;
	if (d->kind == CEB_K_GROUP)
		return copy_kids(m, n, from, only_entity);
	size_t nv = d->kind == CEB_K_SIG ? 1 : d->nfields;
	for (size_t i = 0; i < nv; i++)
		if (copy_val(m->arena, &n->vals[i], &from->vals[i]))
			return CBEC_ENOMEM;
	return 0;
}

static int copy_kids(struct ceb_msg *m, struct ceb_node *to, const struct ceb_node *from,
		     const struct ceb_node *only_entity)
{
	bool root = !from->parent;
	for (int k = 0; k < from->def->nkids; k++)
		for (const struct ceb_node *x = from->first[k]; x; x = x->next) {
			if (root && k == 0 && only_entity && x != only_entity)
				continue;
			int rc = copy_node(m, to, x, NULL);
			if (rc)
				return rc;
		}
	return 0;
}

struct ceb_msg *ceb_msg_copy(struct arena *a, const struct ceb_msg *m,
			     const struct ceb_node *only_entity)
{
	struct ceb_msg *c = ceb_msg_new(a, m->type);
	if (!c || copy_val(a, &c->guid, &m->guid) || copy_val(a, &c->version, &m->version))
		return NULL;
	c->root->line = m->root->line;
	return copy_kids(c, c->root, m->root, only_entity) ? NULL : c;
}

static bool node_equal(const struct ceb_node *a, const struct ceb_node *b, const char **where)
{
	if (a->def != b->def) {
		*where = a->def->name;
		return false;
	}
	const struct ceb_def *d = a->def;
	if (d->kind == CEB_K_GROUP) {
		for (int k = 0; k < d->nkids; k++) {
			if (a->count[k] != b->count[k]) {
				*where = d->kids[k].def->name;
				return false;
			}
			for (const struct ceb_node *x = a->first[k], *y = b->first[k]; x && y;
			     x = x->next, y = y->next)
				if (!node_equal(x, y, where))
					return false;
		}
		return true;
	}
	size_t nv = d->kind == CEB_K_SIG ? 1 : d->nfields;
	for (size_t i = 0; i < nv; i++) {
		if (!ceb_val_eq(&a->vals[i], &b->vals[i])) {
			*where = d->kind == CEB_K_SIG ? d->name : d->fields[i].name;
			return false;
		}
	}
	return true;
}

bool ceb_msg_equal(const struct ceb_msg *a, const struct ceb_msg *b, const char **where)
{
	const char *dummy;
	if (!where)
		where = &dummy;
	*where = NULL;
	if (a->type != b->type) {
		*where = "message type";
		return false;
	}
	if (!ceb_val_eq(&a->guid, &b->guid) || !ceb_val_eq(&a->version, &b->version)) {
		*where = "root attributes";
		return false;
	}
	return node_equal(a->root, b->root, where);
}
