/* The store: everything the clearance service keeps, behind one interface so that the
 * embedded SQLite store and a PostgreSQL store are interchangeable. Operations are domain
 * operations (a message, a document, a receipt, a quota ledger row), never SQL. One writer
 * connection runs the service's transactions; readers open their own connection.
 *
 * Strings passed in are borrowed for the call; strings handed out are owned by the caller
 * (free with free()) unless a comment says otherwise. Functions return 0, CBEC_ENOTFOUND
 * where a look-up finds nothing, or a negative CBEC_E code (CBEC_ESTORE for the database). */
#ifndef STORE_STORE_H
#define STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

/* Open by URL: "sqlite:PATH" (or a bare path), or "postgresql://…" (libpq). Runs the
 * schema migrations. The error text
 * says what failed. `readonly` opens a reader (no migrations, no writes). */
int store_open(const char *url, bool readonly, struct store **out, char *err, size_t errlen);
void store_close(struct store *s);
/* Process-wide SQLite settings; any module opening SQLite databases of its own calls it
 * first (store_open does). Idempotent, thread-safe. */
void store_sqlite_setup(void);
/* Schema version after migrations (for tests and `cbec serve` logs). */
int store_schema_version(struct store *s);

/* Transactions. The service batches many messages in one transaction (group commit); when
 * one of them fails it applies the batch again with each in a savepoint, so that one failed
 * message does not undo the others. */
int store_begin(struct store *s);
int store_commit(struct store *s); /* durable on return */
int store_rollback(struct store *s);
/* 0 when every write of the open transaction so far was done, else the first failure's code:
 * a store that queues its writes (PostgreSQL) sends them and reads their answers; SQLite
 * did each at once, and its failure was returned then. */
int store_written(struct store *s);
/* Savepoints nest at most STORE_SAVEPOINTS deep, inside a transaction. A failed release
 * undoes the savepoint's work (the transaction goes on), as a rollback to it does. */
#define STORE_SAVEPOINTS 4
int store_savepoint(struct store *s);
int store_release(struct store *s);
int store_rollback_to(struct store *s);

/* ---- messages: every message received, once per guid ---- */
struct store_msg {
	int64_t id;
	char *guid;
	int type;      /* 311, 621, ... */
	char *sender;  /* copCode of the enterprise that sent it ("CUSTOMS" for customs) */
	int64_t received; /* unix ms */
	int verdict;   /* 1 accepted by the platform, 0 rejected */
	char *answer;  /* the answer given: receipt XML, kept so a resend gets the same */
	char *body;    /* the message as received */
	size_t body_len;
};
void store_msg_clear(struct store_msg *m);
/* Look up by guid; CBEC_ENOTFOUND if never seen. `with_body` also loads the body. */
int store_msg_get(struct store *s, const char *guid, bool with_body, struct store_msg *out);
int store_msg_put(struct store *s, const struct store_msg *m, int64_t *id);
int store_msg_set_answer(struct store *s, int64_t id, const char *answer, int verdict);

/* ---- documents: the business entities, one row per (kind, key), latest version ---- */
enum store_doc_state {
	DOC_RECEIVED = 1,
	DOC_WAITING,   /* list: waiting for its order / payment / waybill */
	DOC_CHECKED,   /* list: platform checks passed, sent to customs */
	DOC_REJECTED,  /* list: rejected by the platform or by customs */
	DOC_ACCEPTED,  /* list: customs accepted it into its database (120) */
	DOC_CONCLUDED, /* list: customs concluded its examination (399) */
	DOC_RELEASED,  /* list: released (800) */
	DOC_CANCELLED, /* list: cancelled (623 approved) */
	DOC_REFUNDED,  /* list: returned, wholly or in part (625 approved) */
	DOC_ACTIVE,    /* order, payment, waybill: stored and usable */
	DOC_USED,      /* order, payment, waybill: bound to a declared list (M-10) */
	DOC_DELETED,   /* appType 3 */
	DOC_INSPECTION, /* list: held for inspection (500) */
	DOC_STATE__N
};
const char *store_doc_state_name(int state);

struct store_doc {
	int64_t id;
	int kind;      /* message code of the document: 311, 411, 511, 621, ... */
	char *key;     /* unique per kind, e.g. "1234560TST|TESTORD202405200001" */
	char *link;    /* the key it is found by from a list, e.g. the waybill key of a 621 */
	char *ref;     /* customs number once known (invtNo), or NULL */
	char *owner;   /* enterprise code that sent it (receives its receipts) */
	char *guid;    /* guid of the business entity */
	char *app_time; /* YYYYMMDDhhmmss of the stored version */
	int state;     /* enum store_doc_state */
	int64_t msg_id; /* message that brought the current version */
	int64_t updated; /* unix ms */
	/* The entity alone as a message (re-parsed for matching). On put, NULL means "the body
	 * of message msg_id" (a one-entity message is not stored twice). Reads leave it NULL
	 * (bodies are large and rarely needed); store_doc_body fetches it. */
	char *body;
	size_t body_len;
	bool body_ref; /* read: the body is the message's (msg_id), not a copy */
};
void store_doc_clear(struct store_doc *d);
int store_doc_get(struct store *s, int kind, const char *key, struct store_doc *out);
/* Fill d->body and d->body_len (the document's own body or its message's), unless set. */
int store_doc_body(struct store *s, struct store_doc *d);
/* The first document of `kind` whose link equals `link`. */
int store_doc_by_link(struct store *s, int kind, const char *link, struct store_doc *out);
int store_doc_by_ref(struct store *s, int kind, const char *ref, struct store_doc *out);
/* The document whose business entity has this guid (customs receipts carry it), of the
 * kinds found that way: not orders, payments, waybills and export lists, whose customs
 * receipts carry their key (the writer finds them by it), so that they add no entry on a
 * random page of the guid index. */
int store_doc_by_guid(struct store *s, const char *guid, struct store_doc *out);
#define STORE_GUID_UNINDEXED_KINDS(X) X(311) X(411) X(511) X(303) X(403) X(505) X(603)
#define STORE_GUID_UNINDEXED "311, 411, 511, 303, 403, 505, 603" /* (SQL list) */
/* The same as a chain of comparisons (SQL): SQLite turns a list of more than two constants
 * into a temporary table built at every run of a statement that evaluates it, and the
 * guid index's predicate is evaluated at every insert and update of a document. */
#define STORE_KIND_NE_(k) " AND kind <> " #k
#define STORE_GUID_INDEXED_SQL "kind > 0" STORE_GUID_UNINDEXED_KINDS(STORE_KIND_NE_)
bool store_guid_indexed(int kind);
/* Insert or replace the row of (kind, key); fills d->id when inserted. */
int store_doc_put(struct store *s, struct store_doc *d);
int store_doc_set_state(struct store *s, int64_t id, int state, int64_t now);
int store_doc_set_ref(struct store *s, int64_t id, const char *ref);
/* Lists (kind) in `state` last updated before `before` ms: the waiting-too-long scan. */
int store_doc_each_stale(struct store *s, int kind, int state, int64_t before,
			 int (*fn)(void *ctx, const struct store_doc *d), void *ctx);

/* ---- reading ahead: the writer's look-ups of a batch at once ----
 * Inside a transaction, the probes a batch is about to make are asked together; until the
 * transaction ends (or anything is rolled back), store_doc_get, store_doc_by_link,
 * store_doc_by_guid, store_msg_get and store_receipt_exists answer those probes without asking the store again,
 * and the writes in between keep the answers true (rcache.h). A hint only: a probe not asked
 * is read as before. It spares PostgreSQL one round trip a look-up. */
struct store_probe {
	int kind; /* 0 for guids */
	const char *s;
	const char *status; /* receipts only */
};
struct store_ahead {
	const struct store_probe *keys; /* store_doc_get(kind, s) */
	size_t nkeys;
	const struct store_probe *links; /* store_doc_by_link(kind, s) */
	size_t nlinks;
	const struct store_probe *guids; /* store_doc_by_guid(s) */
	size_t nguids;
	const struct store_probe *msgs; /* store_msg_get(s) */
	size_t nmsgs;
	const struct store_probe *receipts; /* store_receipt_exists(kind, s, status) */
	size_t nreceipts;
};
int store_read_ahead(struct store *s, const struct store_ahead *q);
/* Whether this store reads ahead at all: SQLite does not (a look-up is a local B-tree read;
 * asking them all first measured 8 % slower on the festival day). */
bool store_reads_ahead(const struct store *s);
/* Look-ups answered from what was read ahead, and those that went to the store. */
void store_read_ahead_stats(const struct store *s, uint64_t *hits, uint64_t *misses);
/* Look-ups of a message guid that read the store's guid index, and those a filter of its
 * guids answered without reading it (a SQLite writer's; 0 and 0 elsewhere). */
void store_guid_stats(const struct store *s, uint64_t *probed, uint64_t *spared);

/* ---- the audit trail: every state change of a document ---- */
struct store_event {
	int64_t doc_id;
	int from, to;
	int64_t at;   /* unix ms */
	const char *reason; /* borrowed on add */
	int64_t msg_id;
};
int store_event_add(struct store *s, const struct store_event *e);
int store_events_of(struct store *s, int64_t doc_id,
		    int (*fn)(void *ctx, const struct store_event *e), void *ctx);

/* ---- receipts: every answer to every party, in one sequence (the fetch cursor) ---- */
struct store_receipt {
	int64_t seq;
	char *recipient; /* enterprise code */
	int type;        /* receipt message code: 312, 622, ... */
	int doc_kind;
	char *doc_key;
	char *status;    /* returnStatus */
	int64_t created; /* unix ms */
	char *xml;
	/* the document of (doc_kind, doc_key) when the caller has it: spares the store finding
	 * it (0: the store looks it up; a store may ignore it) */
	int64_t doc_id;
};
void store_receipt_clear(struct store_receipt *r);
int store_receipt_add(struct store *s, const struct store_receipt *r, int64_t *seq);
/* Receipts with seq > after, oldest first, at most `limit`; recipient NULL = everyone's. */
int store_receipts_after(struct store *s, const char *recipient, int64_t after, int limit,
			 int (*fn)(void *ctx, const struct store_receipt *r), void *ctx);
/* Whether the document already has a receipt with this status (customs answers once).
 * doc_id as in struct store_receipt. */
int store_receipt_exists(struct store *s, int doc_kind, const char *doc_key, int64_t doc_id,
			 const char *status, bool *exists);
int store_receipts_of_doc(struct store *s, int doc_kind, const char *doc_key,
			  int (*fn)(void *ctx, const struct store_receipt *r), void *ctx);

/* ---- the buyer's annual ledger (L-02) and what each list holds of it (L-04) ---- */
/* Amounts in 1e-5 CNY. Reserved = held by lists in flight; committed = released lists. */
int store_quota_get(struct store *s, const char *buyer, int year, int64_t *reserved,
		    int64_t *committed);
int store_quota_add(struct store *s, const char *buyer, int year, int64_t d_reserved,
		    int64_t d_committed);
struct store_hold {
	int64_t list_id;
	char *buyer;
	int year;
	int64_t amount;   /* what the list counts toward the year */
	int state;        /* 1 reserved, 2 committed, 3 released */
};
void store_hold_clear(struct store_hold *h);
int store_hold_put(struct store *s, const struct store_hold *h);
int store_hold_get(struct store *s, int64_t list_id, struct store_hold *out);

/* ---- the tax assessed for a list ---- */
struct store_tax {
	int64_t list_id;
	int64_t dutiable, customs_tax, vat, ct, total;
	bool full_rate;
	char *lines_json; /* per-line detail */
};
void store_tax_clear(struct store_tax *t);
int store_tax_put(struct store *s, const struct store_tax *t);
int store_tax_get(struct store *s, int64_t list_id, struct store_tax *out);

/* ---- outboxes: what must leave after commit (to customs, to the exchange folder) ---- */
struct store_out {
	int64_t seq;
	int channel;   /* 1 to customs */
	char *guid;
	char *body;
	size_t body_len;
};
void store_out_clear(struct store_out *o);
/* Queue a message for a channel: its own body, or (body NULL) the body of message msg_id. */
int store_out_add(struct store *s, int channel, const char *guid, int64_t msg_id,
		  const char *body, size_t len, int64_t *seq);
int store_out_after(struct store *s, int channel, int64_t after, int limit,
		    int (*fn)(void *ctx, const struct store_out *o), void *ctx);
/* Durable cursors of the tailers (outbox sent up to, receipts exported up to). */
int store_cursor_get(struct store *s, const char *name, int64_t *value);
int store_cursor_set(struct store *s, const char *name, int64_t value);

/* ---- accounts ---- */
enum store_role { ROLE_ENTERPRISE = 1, ROLE_REGULATOR = 2 };
struct store_account {
	char *code;   /* 18-character credit code or 10-character customs code */
	char *name;
	int role;
	char *token_hash; /* hex SHA-256 of the token; the token itself is never stored */
	int64_t created;
};
void store_account_clear(struct store_account *a);
int store_account_put(struct store *s, const struct store_account *a);
int store_account_by_token_hash(struct store *s, const char *hash, struct store_account *out);
int store_account_get(struct store *s, const char *code, struct store_account *out);

/* ---- the 1210 bonded account (账册, rules.md §8; the arithmetic is clear/bonded.h) ---- */
/* Quantities in 1e-5 of the record's unit. One row per (emsNo, itemRecordNo). */
struct store_bonded_item {
	char *ems_no, *item_no;
	char *owner; /* the warehouse enterprise that keeps the account (its first stock-in) */
	char *gcode, *gname, *unit;
	int64_t balance, reserved, committed;
	int64_t updated; /* unix ms */
};
void store_bonded_item_clear(struct store_bonded_item *it);
int store_bonded_get(struct store *s, const char *ems_no, const char *item_no,
		     struct store_bonded_item *out);
/* Insert a new record (quantities as given, normally 0); CBEC_EEXIST if it is there. */
int store_bonded_create(struct store *s, const struct store_bonded_item *it);
/* Add to the figures (the caller checked the result with bonded_apply()); a movement does
 * it itself (store_bonded_move_add). */
int store_bonded_add(struct store *s, const char *ems_no, const char *item_no, int64_t d_balance,
		     int64_t d_reserved, int64_t d_committed, int64_t now);
/* The records of one account (ems_no), or of every account (NULL), by emsNo, itemRecordNo. */
int store_bonded_each(struct store *s, const char *ems_no,
		      int (*fn)(void *ctx, const struct store_bonded_item *it), void *ctx);
/* The account's keeper: the owner of its first record (by item number), malloc'd into
 * *owner; CBEC_ENOTFOUND for an account with no records yet. */
int store_bonded_keeper(struct store *s, const char *ems_no, char **owner);

/* The journal: every movement, with why and the document that caused it. */
struct store_bonded_move {
	int64_t id;
	char *ems_no, *item_no;
	int op;        /* enum bonded_op: 1 credit, 2 reserve, 3 release, 4 debit */
	int64_t qty;   /* > 0 */
	char *doc;     /* the entry number of a stock-in, or the list's key (621 ebp|orderNo) */
	char *reason;  /* "stock-in", "list forwarded to customs", "customs 800", ... */
	int64_t at;    /* unix ms */
};
void store_bonded_move_clear(struct store_bonded_move *m);
/* Journal a movement and apply it to its record's figures, as its op says (the caller
 * checked the result with bonded_apply()): credit balance += qty; reserve reserved += qty;
 * release reserved -= qty; debit reserved -= qty and committed += qty; updated = at. One
 * statement where a store can (the figures' update and the journal line were two). */
int store_bonded_move_add(struct store *s, const struct store_bonded_move *m);
/* Oldest first. */
int store_bonded_moves_of(struct store *s, const char *ems_no, const char *item_no,
			  int (*fn)(void *ctx, const struct store_bonded_move *m), void *ctx);

/* Stock-in entries already credited (B-02 idempotency: entry + item is credited once). */
struct store_bonded_entry {
	char *ems_no, *entry, *item_no, *owner;
	int64_t qty, at;
};
void store_bonded_entry_clear(struct store_bonded_entry *e);
int store_bonded_entry_get(struct store *s, const char *ems_no, const char *entry,
			   const char *item_no, struct store_bonded_entry *out);
int store_bonded_entry_put(struct store *s, const struct store_bonded_entry *e);

/* What each 1210 list line holds of an account record, for release, debit and credit
 * back. qty is in the record's unit; decl_qty is the line's declared qty (a return's qty
 * is in that unit); back is what was credited back by returns so far. */
enum { BONDED_HOLD_RESERVED = 1, BONDED_HOLD_DEBITED, BONDED_HOLD_RELEASED, BONDED_HOLD_CREDITED };
struct store_bonded_hold {
	int64_t list_id;
	int gnum;
	char *ems_no, *item_no;
	int64_t qty, decl_qty, back;
	int state;
};
void store_bonded_hold_clear(struct store_bonded_hold *h);
/* Insert or replace (list_id, gnum). */
int store_bonded_hold_put(struct store *s, const struct store_bonded_hold *h);
/* The list's holds by gnum. */
int store_bonded_holds_of(struct store *s, int64_t list_id,
			  int (*fn)(void *ctx, const struct store_bonded_hold *h), void *ctx);

/* ---- 9610 export summary declarations (汇总申报, rules.md §9; grouping: clear/summary.h) ---- */
/* One summary is one SummaryApply of a CEB701 (its document, doc_id): the lists of one
 * shipper and period that make one 报关单. A list is in at most one summary: summary_list is
 * keyed by the list, so a second summary cannot take it (the store refuses the row). */
enum store_summary_state {
	STORE_SUMMARY_SENT = 1, /* checked by the platform and sent to customs */
	STORE_SUMMARY_ACCEPTED, /* customs accepted the application (702 399) */
	STORE_SUMMARY_DECLARED, /* customs' result came (792): the 报关单 exists */
	STORE_SUMMARY_REJECTED, /* customs refused it (702 100): its lists are free again */
	STORE_SUMMARY_STATE__N
};
const char *store_summary_state_name(int state);
struct store_summary {
	int64_t id;
	int64_t doc_id;     /* the CEB701 document */
	char *ebc;          /* the shipper (ebcCode) */
	char *owner;        /* the enterprise that applied: receives customs' receipts */
	char *period;       /* YYYY-MM of the lists' release (Beijing time) */
	int summary_flag, item_name_flag;
	int state;          /* enum store_summary_state */
	char *sum_no;       /* customs' summary number (from its 702), or NULL */
	char *detail;       /* JSON as built: declarations, items, totals, line mapping */
	char *result;       /* JSON: customs' CEB792 results, or NULL */
	int64_t created, updated; /* unix ms */
};
void store_summary_clear(struct store_summary *sm);
/* Insert; fills sm->id. CBEC_EEXIST when the document already has a summary. */
int store_summary_add(struct store *s, struct store_summary *sm);
int store_summary_get(struct store *s, int64_t id, struct store_summary *out);
int store_summary_by_doc(struct store *s, int64_t doc_id, struct store_summary *out);
/* New state; sum_no and result replace the stored ones unless NULL. */
int store_summary_update(struct store *s, int64_t id, int state, const char *sum_no,
			 const char *result, int64_t now);
/* Summaries of one applicant (owner), or everyone's (NULL), newest first. */
int store_summary_each(struct store *s, const char *owner,
		       int (*fn)(void *ctx, const struct store_summary *sm), void *ctx);

struct store_summary_list {
	int64_t list_id;    /* the 603 document */
	int64_t summary_id;
	char *invt_no;
};
/* Put a list in a summary. The list may be in no other: CBEC_EEXIST (SQLite) or a failed
 * statement (PostgreSQL, which then needs a rollback to the savepoint) when it is. */
int store_summary_list_add(struct store *s, int64_t summary_id, int64_t list_id,
			   const char *invt_no);
/* The summary a list is in; CBEC_ENOTFOUND when none. */
int store_summary_of_list(struct store *s, int64_t list_id, int64_t *summary_id);
/* A summary's lists by invtNo. */
int store_summary_lists(struct store *s, int64_t summary_id,
			int (*fn)(void *ctx, const struct store_summary_list *l), void *ctx);
/* Take every list out of a summary (customs refused it: they may be summarised again). */
int store_summary_free_lists(struct store *s, int64_t summary_id);

/* ---- figures for regulators ---- */
/* Running totals the store keeps as it is written (one row, changed with each commit), so
 * reading them costs the same on a store of a thousand messages or of a billion. rejected:
 * messages whose verdict is 0; receipts: receipts stored. */
struct store_counts {
	int64_t messages, rejected_messages, documents, receipts;
};
int store_counts(struct store *s, struct store_counts *out);
/* Lists (621, 603) by state and the last receipt's seq, counted over the documents: a scan,
 * which the service does once when it starts and then keeps its own count. */
struct store_lists {
	int64_t last_receipt;
	int64_t by_state[DOC_STATE__N];
};
int store_lists_count(struct store *s, struct store_lists *out);

/* Between the writer's batches, outside a transaction: fold the journal back into the store
 * (SQLite's WAL would otherwise grow without end under continuous readers) and start it
 * over. `shrink` also gives its file's space back to the disk; without, SQLite keeps up to
 * 256 MiB of it, so that the writes that follow overwrite pages the file already has
 * instead of growing it page by page again. */
int store_checkpoint(struct store *s, bool shrink);
/* The same from a connection of its own beside the writer: copies the log back while the
 * writer goes on (SQLite PASSIVE) and, when it copied it all and the log holds at least
 * restart_bytes, starts the log over (RESTART), holding the writer up while it copies what
 * was added meanwhile and syncs (SQLite: copying again first, until little was added). The
 * writer's own checkpoint is then left for a log that outgrows it all the same. 0 where
 * there is nothing to do. */
int store_checkpoint_aside(struct store *s, int64_t restart_bytes);

/* Deferred durability, for a writer that overlaps its next batch with the disk flush of the
 * last: after store_defer_sync, store_commit makes a transaction visible and ordered but not
 * yet durable; store_sync (callable from another thread than the one committing) makes every
 * transaction committed before it durable. Nothing may be acknowledged before its sync.
 * CBEC_EINVAL when the backend cannot (commits then stay durable on their own). */
int store_defer_sync(struct store *s);
/* Bytes in the write-ahead log since the last checkpoint (SQLite); 0 where the store keeps
 * no log of ours. The writer checkpoints itself when it grows large. */
int64_t store_log_bytes(struct store *s);
/* Free bytes on the store's file system; -1 where the store is not a file of ours. */
int64_t store_space_left(struct store *s);
int store_sync(struct store *s);

#endif
