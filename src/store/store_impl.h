/* The store's backends: each one fills a table of operations, one per public function of
 * store.h, and puts `struct store` first in its own connection struct, so the public
 * functions (store.c) only forward. Private to src/store/. */
#ifndef STORE_STORE_IMPL_H
#define STORE_STORE_IMPL_H

#include "store/store.h"

struct store_ops {
	const char *name;
	void (*close)(struct store *s);
	int (*schema_version)(struct store *s);

	int (*begin)(struct store *s);
	int (*commit)(struct store *s);
	int (*rollback)(struct store *s);
	int (*savepoint)(struct store *s);
	int (*release)(struct store *s);
	int (*rollback_to)(struct store *s);

	int (*msg_get)(struct store *s, const char *guid, bool with_body, struct store_msg *out);
	int (*msg_put)(struct store *s, const struct store_msg *m, int64_t *id);
	int (*msg_set_answer)(struct store *s, int64_t id, const char *answer, int verdict);

	int (*doc_get)(struct store *s, int kind, const char *key, struct store_doc *out);
	int (*doc_by_link)(struct store *s, int kind, const char *link, struct store_doc *out);
	int (*doc_by_ref)(struct store *s, int kind, const char *ref, struct store_doc *out);
	int (*doc_by_guid)(struct store *s, const char *guid, struct store_doc *out);
	int (*doc_body)(struct store *s, int64_t id, char **body, size_t *len);
	int (*doc_put)(struct store *s, struct store_doc *d);
	int (*doc_set_state)(struct store *s, int64_t id, int state, int64_t now);
	int (*doc_set_ref)(struct store *s, int64_t id, const char *ref);
	int (*doc_each_stale)(struct store *s, int kind, int state, int64_t before,
			      int (*fn)(void *ctx, const struct store_doc *d), void *ctx);

	int (*event_add)(struct store *s, const struct store_event *e);
	int (*events_of)(struct store *s, int64_t doc_id,
			 int (*fn)(void *ctx, const struct store_event *e), void *ctx);

	int (*receipt_add)(struct store *s, const struct store_receipt *r, int64_t *seq);
	int (*receipts_after)(struct store *s, const char *recipient, int64_t after, int limit,
			      int (*fn)(void *ctx, const struct store_receipt *r), void *ctx);
	int (*receipt_exists)(struct store *s, int doc_kind, const char *doc_key,
			      const char *status, bool *exists);
	int (*receipts_of_doc)(struct store *s, int doc_kind, const char *doc_key,
			       int (*fn)(void *ctx, const struct store_receipt *r), void *ctx);

	int (*quota_get)(struct store *s, const char *buyer, int year, int64_t *reserved,
			 int64_t *committed);
	int (*quota_add)(struct store *s, const char *buyer, int year, int64_t d_reserved,
			 int64_t d_committed);
	int (*hold_put)(struct store *s, const struct store_hold *h);
	int (*hold_get)(struct store *s, int64_t list_id, struct store_hold *out);

	int (*tax_put)(struct store *s, const struct store_tax *t);
	int (*tax_get)(struct store *s, int64_t list_id, struct store_tax *out);

	int (*out_add)(struct store *s, int channel, const char *guid, int64_t msg_id,
		       const char *body, size_t len, int64_t *seq);
	int (*out_after)(struct store *s, int channel, int64_t after, int limit,
			 int (*fn)(void *ctx, const struct store_out *o), void *ctx);
	int (*cursor_get)(struct store *s, const char *name, int64_t *value);
	int (*cursor_set)(struct store *s, const char *name, int64_t value);

	int (*account_put)(struct store *s, const struct store_account *a);
	int (*account_by_token_hash)(struct store *s, const char *hash, struct store_account *out);
	int (*account_get)(struct store *s, const char *code, struct store_account *out);

	int (*counts)(struct store *s, struct store_counts *out);
	int (*checkpoint)(struct store *s); /* NULL: nothing to do */
	int (*defer_sync)(struct store *s); /* NULL: not supported */
	int (*sync)(struct store *s);
};

/* The common head of every backend's connection. */
struct store {
	const struct store_ops *ops;
};

/* Backends' open functions: `target` is the URL with any scheme the backend does not take
 * removed (a path for SQLite, the whole URL for PostgreSQL). */
int store_sqlite_open(const char *path, bool readonly, struct store **out, char *err,
		      size_t errlen);
int store_pg_open(const char *url, bool readonly, struct store **out, char *err, size_t errlen);

#endif
