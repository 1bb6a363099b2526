/* The store's backends: each one fills a table of operations, one per public function of
 * store.h, and puts `struct store` first in its own connection struct, so the public
 * functions (store.c) only forward. Private to src/store/. */
#ifndef STORE_STORE_IMPL_H
#define STORE_STORE_IMPL_H

#include "base/buf.h"
#include "store/store.h"

struct rcache;

/* Changes to the running totals (store_counts). */
struct store_tally {
	int64_t messages, rejected, documents, receipts;
};

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
	int (*written)(struct store *s); /* NULL: every write is done when its call returns */

	int (*msg_get)(struct store *s, const char *guid, bool with_body, struct store_msg *out);
	int (*msg_put)(struct store *s, const struct store_msg *m, int64_t *id);
	int (*msg_set_answer)(struct store *s, int64_t id, const char *answer, int verdict);
	int (*msg_verdict)(struct store *s, int64_t id, int *verdict); /* CBEC_ENOTFOUND: none */

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
	/* every probe's answer told to the cache (rcache_learn_*); NULL: no reading ahead */
	int (*read_ahead)(struct store *s, const struct store_ahead *q, struct rcache *c);

	int (*event_add)(struct store *s, const struct store_event *e);
	int (*events_of)(struct store *s, int64_t doc_id,
			 int (*fn)(void *ctx, const struct store_event *e), void *ctx);

	int (*receipt_add)(struct store *s, const struct store_receipt *r, int64_t *seq);
	int (*receipts_after)(struct store *s, const char *recipient, int64_t after, int limit,
			      int (*fn)(void *ctx, const struct store_receipt *r), void *ctx);
	int (*receipt_exists)(struct store *s, int doc_kind, const char *doc_key, int64_t doc_id,
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
	/* adds d to the running totals, in the open transaction */
	int (*tally_add)(struct store *s, const struct store_tally *d);
	int (*lists_count)(struct store *s, struct store_lists *out);
	const struct store_bonded_ops *bonded; /* the 1210 account (store_bonded.h ops) */
	const struct store_summary_ops *summary; /* export summaries */
	int (*checkpoint)(struct store *s, bool shrink); /* NULL: nothing to do */
	int (*checkpoint_aside)(struct store *s, int64_t restart_bytes); /* NULL: nothing to do */
	int (*defer_sync)(struct store *s); /* NULL: not supported */
	void (*guid_stats)(const struct store *s, uint64_t *probed, uint64_t *spared); /* or NULL */
	int64_t (*log_bytes)(struct store *s); /* NULL: none of ours */
	int64_t (*space_left)(struct store *s); /* NULL: not ours to know */
	int (*sync)(struct store *s);
};

/* The bonded account's operations, apart so that they live in their own files. */
struct store_bonded_ops {
	int (*get)(struct store *s, const char *ems_no, const char *item_no,
		   struct store_bonded_item *out);
	int (*create)(struct store *s, const struct store_bonded_item *it);
	int (*add)(struct store *s, const char *ems_no, const char *item_no, int64_t d_balance,
		   int64_t d_reserved, int64_t d_committed, int64_t now);
	int (*each)(struct store *s, const char *ems_no,
		    int (*fn)(void *ctx, const struct store_bonded_item *it), void *ctx);
	int (*keeper)(struct store *s, const char *ems_no, char **owner);
	int (*move_add)(struct store *s, const struct store_bonded_move *m);
	int (*moves_of)(struct store *s, const char *ems_no, const char *item_no,
			int (*fn)(void *ctx, const struct store_bonded_move *m), void *ctx);
	int (*entry_get)(struct store *s, const char *ems_no, const char *entry,
			 const char *item_no, struct store_bonded_entry *out);
	int (*entry_put)(struct store *s, const struct store_bonded_entry *e);
	int (*hold_put)(struct store *s, const struct store_bonded_hold *h);
	int (*holds_of)(struct store *s, int64_t list_id,
			int (*fn)(void *ctx, const struct store_bonded_hold *h), void *ctx);
};

/* The export summaries' operations, in their own files too. */
struct store_summary_ops {
	int (*add)(struct store *s, struct store_summary *sm);
	int (*get)(struct store *s, int64_t id, struct store_summary *out);
	int (*by_doc)(struct store *s, int64_t doc_id, struct store_summary *out);
	int (*update)(struct store *s, int64_t id, int state, const char *sum_no, const char *result,
		      int64_t now);
	int (*each)(struct store *s, const char *owner,
		    int (*fn)(void *ctx, const struct store_summary *sm), void *ctx);
	int (*list_add)(struct store *s, int64_t summary_id, int64_t list_id, const char *invt_no);
	int (*of_list)(struct store *s, int64_t list_id, int64_t *summary_id);
	int (*lists)(struct store *s, int64_t summary_id,
		     int (*fn)(void *ctx, const struct store_summary_list *l), void *ctx);
	int (*free_lists)(struct store *s, int64_t summary_id);
};

/* The common head of every backend's connection. The running totals' changes are counted
 * here as the writes succeed and written with the commit: one statement a transaction, not
 * one a row (a trigger's cost), and the same for every backend. */
struct store {
	const struct store_ops *ops;
	bool in_tx;
	struct store_tally tally;                    /* the open transaction's changes */
	struct store_tally saved[STORE_SAVEPOINTS];  /* as they were at each open savepoint */
	int nsaved;
	struct rcache *cache; /* what was read ahead in this transaction (writers only) */
	int64_t put_id; /* the message last put in this transaction, */
	int put_verdict; /* and its verdict now (spares a read when its answer is set) */
	struct buf rpack; /* a receipt's XML as kept (rpack.h) */
};

/* Backends' open functions: `target` is the URL with any scheme the backend does not take
 * removed (a path for SQLite, the whole URL for PostgreSQL). */
int store_sqlite_open(const char *path, bool readonly, struct store **out, char *err,
		      size_t errlen);
int store_pg_open(const char *url, bool readonly, struct store **out, char *err, size_t errlen);

/* SQLite: a statement of another file's ops, prepared once per connection in `slot`
 * (0 .. STORE_SQLITE_EXT_SLOTS-1), reset and unbound; NULL on failure. The bonded ops
 * (store_sqlite_bonded.c) use it. */
#define STORE_SQLITE_EXT_SLOTS 32
struct sqlite3_stmt *store_sqlite_ext_stmt(struct store *s, int slot, const char *sql);
/* The match timeout's scan of waiting lists (kind, before), run by the writer each second;
 * here so a test can check its plan reads those lists alone (the doc_waiting index). */
extern const char store_sqlite_waiting_sql[];
extern const struct store_bonded_ops store_sqlite_bonded_ops;
/* Its schema: migration 2 of the SQLite store. B-04 is also a CHECK, so no bug above can
 * leave an account below zero. */
#define STORE_SQLITE_BONDED_MIGRATION                                                              \
	"CREATE TABLE bonded_item(ems_no TEXT NOT NULL, item_no TEXT NOT NULL, owner TEXT NOT NULL,"  \
	" gcode TEXT NOT NULL, gname TEXT NOT NULL, unit TEXT NOT NULL, balance INTEGER NOT NULL,"    \
	" reserved INTEGER NOT NULL, committed INTEGER NOT NULL, updated INTEGER NOT NULL,"          \
	" CHECK (reserved >= 0 AND committed >= 0 AND balance - reserved - committed >= 0),"          \
	" PRIMARY KEY(ems_no, item_no)) WITHOUT ROWID;"                                               \
	"CREATE TABLE bonded_move(id INTEGER PRIMARY KEY, ems_no TEXT NOT NULL, item_no TEXT NOT NULL," \
	" op INTEGER NOT NULL, qty INTEGER NOT NULL, doc TEXT, reason TEXT, at INTEGER NOT NULL);"   \
	"CREATE INDEX bonded_move_item ON bonded_move(ems_no, item_no, id);"                          \
	"CREATE TABLE bonded_entry(ems_no TEXT NOT NULL, entry TEXT NOT NULL, item_no TEXT NOT NULL,"  \
	" owner TEXT NOT NULL, qty INTEGER NOT NULL, at INTEGER NOT NULL,"                            \
	" PRIMARY KEY(ems_no, entry, item_no)) WITHOUT ROWID;"                                        \
	"CREATE TABLE bonded_hold(list_id INTEGER NOT NULL, gnum INTEGER NOT NULL, ems_no TEXT NOT NULL," \
	" item_no TEXT NOT NULL, qty INTEGER NOT NULL, decl_qty INTEGER NOT NULL, back INTEGER NOT NULL," \
	" state INTEGER NOT NULL, PRIMARY KEY(list_id, gnum)) WITHOUT ROWID;"

/* Migration 8: an item's movements chained (each names the one before it, the item its last)
 * instead of indexed by (ems_no, item_no, id): that index took an entry on the item's own
 * page at every movement, a page of its own a movement with a warehouse's thousand items
 * (13 % of what a commit wrote). A movement's insert finds the last one in the item's row,
 * which the movement's balance update has just written; the trigger keeps the chain. */
#define STORE_SQLITE_BONDED_CHAIN_MIGRATION                                                        \
	"ALTER TABLE bonded_item ADD COLUMN last_move INTEGER;"                                       \
	"ALTER TABLE bonded_move ADD COLUMN prev INTEGER;"                                            \
	"UPDATE bonded_move SET prev = (SELECT max(m.id) FROM bonded_move m WHERE"                    \
	" m.ems_no = bonded_move.ems_no AND m.item_no = bonded_move.item_no AND m.id < bonded_move.id);" \
	"UPDATE bonded_item SET last_move = (SELECT max(m.id) FROM bonded_move m WHERE"               \
	" m.ems_no = bonded_item.ems_no AND m.item_no = bonded_item.item_no);"                       \
	"DROP INDEX bonded_move_item;"                                                               \
	"CREATE TRIGGER bonded_move_chain AFTER INSERT ON bonded_move BEGIN"                          \
	" UPDATE bonded_item SET last_move = NEW.id WHERE ems_no = NEW.ems_no AND item_no = NEW.item_no;" \
	" END;"

/* A movement's change to its record's figures (store_bonded_move_add), as SQL over the
 * movement's op and qty: the ops are enum bonded_op's numbers (clear/bonded.h). */
#define STORE_BONDED_FIGURES(op, qty)                                                              \
	"balance = balance + CASE WHEN " op " = 1 THEN " qty " ELSE 0 END,"                            \
	" reserved = reserved + CASE WHEN " op " = 2 THEN " qty " WHEN " op " IN (3, 4) THEN -" qty    \
	" ELSE 0 END, committed = committed + CASE WHEN " op " = 4 THEN " qty " ELSE 0 END"

/* Migration 11: the chain's trigger applies the movement to the item's figures as well,
 * in the one update of the item's row it made anyway (the service updated the figures in a
 * statement of its own before: 1210 traffic was a sixth of the writer's statements). */
#define STORE_SQLITE_BONDED_FIGURES_MIGRATION                                                      \
	"DROP TRIGGER bonded_move_chain;"                                                             \
	"CREATE TRIGGER bonded_move_chain AFTER INSERT ON bonded_move BEGIN"                          \
	" UPDATE bonded_item SET last_move = NEW.id, " STORE_BONDED_FIGURES("NEW.op", "NEW.qty")       \
	", updated = NEW.at WHERE ems_no = NEW.ems_no AND item_no = NEW.item_no;"                     \
	" END;"

/* Messages by guid on SQLite (store_sqlite_guid.c, slots 26..): migration 9. A writing
 * connection's state (struct sqg) is made at its first use; `readonly` connections keep
 * none. find: 0 with *id, CBEC_ENOTFOUND or an error; check_new: 0 when no message has
 * the guid, CBEC_ESTORE when one has; added: the message just inserted. The transaction
 * hooks follow the connection's own: begun after BEGIN (an error: roll back), fold before
 * COMMIT, committed after it, and the undoing ones after theirs. */
#define STORE_SQLITE_GUID_SLOT0 26
#define STORE_SQLITE_GUID_MIGRATION                                                                \
	"CREATE TABLE msg_new(id INTEGER PRIMARY KEY, guid TEXT NOT NULL, type INTEGER NOT NULL,"    \
	" sender TEXT, received INTEGER NOT NULL, verdict INTEGER NOT NULL, answer TEXT, body BLOB);" \
	"INSERT INTO msg_new SELECT id, guid, type, sender, received, verdict, answer, body FROM msg;" \
	"DROP TABLE msg;"                                                                             \
	"ALTER TABLE msg_new RENAME TO msg;"                                                          \
	"CREATE TABLE msg_guid(guid TEXT PRIMARY KEY, id INTEGER NOT NULL) WITHOUT ROWID;"           \
	"INSERT INTO msg_guid SELECT guid, id FROM msg ORDER BY guid;"                                \
	"INSERT OR REPLACE INTO cursor(name, value) SELECT 'msg_guid_lo', coalesce(max(id), 0) FROM msg;" \
	"INSERT OR REPLACE INTO cursor(name, value) SELECT 'msg_guid_hi', coalesce(max(id), 0) FROM msg;" \
	"INSERT OR REPLACE INTO cursor(name, value) VALUES('msg_guid_pos', 0);"
struct sqg;
int store_sqlite_guid_find(struct store *s, struct sqg **gp, bool readonly, const char *guid,
			   int64_t *id);
int store_sqlite_guid_check_new(struct store *s, struct sqg **gp, const char *guid);
int store_sqlite_guid_added(struct sqg *g, const char *guid, int64_t id);
int store_sqlite_guid_begun(struct store *s, struct sqg *g);
int store_sqlite_guid_fold(struct store *s, struct sqg *g);
void store_sqlite_guid_committed(struct sqg *g);
void store_sqlite_guid_rolled_back(struct sqg *g);
void store_sqlite_guid_savepoint(struct sqg *g);
void store_sqlite_guid_rolled_back_to(struct sqg *g);
void store_sqlite_guid_free(struct sqg *g);
/* Look-ups of msg_guid a writer made, and those its filter spared. */
void store_sqlite_guid_counts(const struct sqg *g, uint64_t *probed, uint64_t *spared);
/* Tests: the active run's size at which it is frozen, the least a commit folds, the fewest
 * guids a filter is made for, and the look-ups of msg_guid after which it is made. */
void store_sqlite_guid_tune(size_t run, size_t min_fold, size_t min_filter, size_t after);

/* The export summaries on SQLite (store_sqlite_summary.c, slots 16..): migration 3. */
#define STORE_SQLITE_SUMMARY_SLOT0 16
extern const struct store_summary_ops store_sqlite_summary_ops;
#define STORE_SQLITE_SUMMARY_MIGRATION                                                             \
	"CREATE TABLE summary(id INTEGER PRIMARY KEY, doc_id INTEGER NOT NULL UNIQUE, ebc TEXT NOT NULL," \
	" owner TEXT NOT NULL, period TEXT NOT NULL, summary_flag INTEGER NOT NULL,"                 \
	" item_name_flag INTEGER NOT NULL, state INTEGER NOT NULL, sum_no TEXT, detail TEXT,"        \
	" result TEXT, created INTEGER NOT NULL, updated INTEGER NOT NULL);"                          \
	"CREATE INDEX summary_owner ON summary(owner, id);"                                            \
	"CREATE TABLE summary_list(list_id INTEGER PRIMARY KEY, summary_id INTEGER NOT NULL,"          \
	" invt_no TEXT NOT NULL);"                                                                     \
	"CREATE INDEX summary_list_of ON summary_list(summary_id, invt_no);"

/* PostgreSQL: a statement of another file's ops, prepared once per connection in `slot`
 * (0 .. STORE_PG_EXT_SLOTS-1) and run after whatever is queued (text parameters, binary
 * results, as the backend's own). *out (when asked) is the result to PQclear. */
#define STORE_PG_EXT_SLOTS 16
struct pg_result;
int store_pg_ext(struct store *s, int slot, const char *sql, int nparams,
		 const char *const *params, struct pg_result **out);
extern const struct store_summary_ops store_pg_summary_ops;

#endif
