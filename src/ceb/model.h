/* A parsed (or built) CEB message: a tree of nodes shaped by the schema tables. Group nodes
 * hold their children per child definition; record nodes hold one value per field. All
 * memory lives in one arena, so a message is freed by resetting that arena. */
#ifndef CEB_MODEL_H
#define CEB_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ceb/schema.h"

struct arena;

/* A field's text: p == NULL when the element is absent. Text is NUL-terminated. */
struct ceb_val {
	const char *p;
	uint32_t n;
	uint32_t line;
};

struct ceb_node {
	const struct ceb_def *def;
	struct ceb_node *parent;
	struct ceb_node *next; /* next sibling of the same definition */
	uint32_t ordinal;      /* 1-based among siblings of the same definition */
	uint32_t line;
	int kid_index; /* this node's index in the parent's child definitions */
	/* CEB_K_RECORD: def->nfields values. CEB_K_SIG: vals[0] is the element verbatim. */
	struct ceb_val *vals;
	/* CEB_K_GROUP: per child definition, the first and last instance and their count. */
	struct ceb_node **first, **last;
	uint16_t *count;
	const char *prefix; /* CEB_K_SIG: namespace prefix used in the source ("ds") */
};

struct ceb_msg {
	const struct ceb_msgtype *type;
	struct ceb_node *root;
	struct ceb_val guid, version; /* root attributes */
	struct arena *arena;          /* borrowed: owns every node and value */
};

/* An empty message of the given type, its root node allocated. */
struct ceb_msg *ceb_msg_new(struct arena *a, const struct ceb_msgtype *type);
/* Append a new instance of child definition `kid` to a group node; NULL when out of memory. */
struct ceb_node *ceb_node_add(struct ceb_msg *m, struct ceb_node *parent, int kid);
/* Set a field of a record node to a copy of s[0..n). */
int ceb_node_set(struct ceb_msg *m, struct ceb_node *rec, int field, const char *s, size_t n);
int ceb_node_setz(struct ceb_msg *m, struct ceb_node *rec, int field, const char *s);

/* First instance of child definition `kid` of a group node, or NULL. */
static inline struct ceb_node *ceb_kid(const struct ceb_node *n, int kid)
{
	return n && n->first ? n->first[kid] : NULL;
}

/* A field value of a record node; absent fields give {NULL, 0}. */
static inline const struct ceb_val *ceb_val(const struct ceb_node *rec, int field)
{
	return &rec->vals[field];
}

/* True when the field is present with at least one non-blank character. */
bool ceb_val_filled(const struct ceb_val *v);
/* Field text equals s exactly. */
bool ceb_val_is(const struct ceb_val *v, const char *s);
bool ceb_val_eq(const struct ceb_val *a, const struct ceb_val *b);

/* Business entities are the root's first child definition (Order, Inventory, LogisticsStatus,
 * OrderReturn, ...). Their head record is the entity itself or its first child; their lines
 * are the second child definition of a wrapper, if any. */
struct ceb_node *ceb_msg_entities(const struct ceb_msg *m);
struct ceb_node *ceb_entity_head(const struct ceb_node *entity);
struct ceb_node *ceb_entity_lines(const struct ceb_node *entity);

/* The element path of a node, e.g. /CEB621Message/Inventory[1]/InventoryHead, optionally
 * followed by /field; an ordinal is shown where the schema allows repeats. Arena string. */
const char *ceb_node_path(struct arena *a, const struct ceb_node *n, const char *field);

/* Deep equality of two messages (type, attributes, every value; SIG by text). */
/* A deep copy of m into arena a; with only_entity set, the copy holds that entity alone in
 * the root's entity list (what a document stored apart from its message looks like). */
struct ceb_msg *ceb_msg_copy(struct arena *a, const struct ceb_msg *m,
			     const struct ceb_node *only_entity);
bool ceb_msg_equal(const struct ceb_msg *a, const struct ceb_msg *b, const char **where);

#endif
