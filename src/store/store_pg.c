/* The store on PostgreSQL (libpq): the same operations as the SQLite store, for a server
 * that several cbec processes share. Statements are prepared once per connection (lazily,
 * on first use); results come back in binary format (bodies are bytea, sent and read as
 * bytes); commits wait for the WAL flush (synchronous_commit on), so a commit is durable
 * when store_commit() returns.
 *
 * Round trips: inside a transaction every statement goes out through libpq's pipeline mode.
 * Writes whose result nobody needs (BEGIN, SAVEPOINT, event, receipt, outbox, message and
 * document rows, state changes, ledger, hold, tax, cursors) are only queued; the queue is
 * sent with the next statement that needs an answer (a read, store_written at the end of a
 * batch, RELEASE, COMMIT), so a message costs one round trip per read it makes, not one per
 * statement. Ids of the rows inserted that way (message, document, receipt, outbox) come
 * from their sequences in blocks of ID_BLOCK, taken by the one writer of the store; the
 * receipt and outbox sequences are the readers' cursors, which is why a store has one
 * writer of them (see the distribution note above the migrations). An error in a queued
 * write surfaces at the next synchronising call, which then fails (the service then applies
 * the batch again with a savepoint a message); RELEASE failing rolls the message back to its
 * savepoint itself, so the batch goes on without it. */
#include "store/store.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "store/rcache.h"
#include "store/store_impl.h"

/* Distribution: every table carries the key it would be hash-distributed by (Citus style)
 * once one server is not enough:
 *   doc      (kind, key)   the document; its audit trail (event.doc_id), tax (tax.list_id)
 *                          and outbox rows follow it through its id
 *   msg      guid          the message, once per guid
 *   receipt  recipient     the enterprise that fetches them
 *   quota    buyer         the annual ledger (L-02)
 *   hold     buyer         what each list holds of its buyer's ledger
 *   account  code          the enterprise
 *   cursor, schema_version, tally: a handful of rows, replicated to every node
 * Every write of a message touches one key, except a list's decision: the list (doc) and
 * its buyer's ledger row (quota, hold) change in one transaction, so the quota is never
 * spent twice nor lost. That is the only cross-key transaction, and the reason the service
 * keeps one writer per buyer shard: lists of one buyer are decided by one writer, in order.
 * A 1210 list's decision also changes its bonded account's rows (bonded_item by ems_no):
 * a sharded deployment keeps the bonded accounts with the writer that decides 1210 lists.
 *
 * Each migration brings the schema from version i to i+1; never edit a released one. */
static const char *const migrations[] = {
	/* 1: messages, documents, audit trail, receipts, ledgers, outbox, accounts */
	/* msg: distributed by guid */
	"CREATE TABLE msg(id bigserial PRIMARY KEY, guid text NOT NULL UNIQUE, type integer NOT NULL,"
	" sender text, received bigint NOT NULL, verdict integer NOT NULL, answer text, body bytea);"
	/* doc: distributed by (kind, key) */
	"CREATE TABLE doc(id bigserial PRIMARY KEY, kind integer NOT NULL, key text NOT NULL,"
	" link text, ref text, owner text, guid text, app_time text, state integer NOT NULL,"
	" msg_id bigint, updated bigint NOT NULL, body bytea, UNIQUE(kind, key));"
	"CREATE INDEX doc_link ON doc(kind, link);"
	"CREATE INDEX doc_ref ON doc(kind, ref) WHERE ref IS NOT NULL;"
	"CREATE INDEX doc_waiting ON doc(kind, state, updated) WHERE state = 2;"
	"CREATE INDEX doc_guid ON doc(guid);"
	/* event: with its document (doc_id) */
	"CREATE TABLE event(id bigserial PRIMARY KEY, doc_id bigint NOT NULL, from_state integer,"
	" to_state integer NOT NULL, at bigint NOT NULL, reason text, msg_id bigint);"
	"CREATE INDEX event_doc ON event(doc_id);"
	/* receipt: distributed by recipient; seq is the fetch cursor */
	"CREATE TABLE receipt(seq bigserial PRIMARY KEY, recipient text NOT NULL, type integer NOT NULL,"
	" doc_kind integer, doc_key text, status text, created bigint NOT NULL, xml text NOT NULL);"
	"CREATE INDEX receipt_recipient ON receipt(recipient, seq);"
	"CREATE INDEX receipt_doc ON receipt(doc_kind, doc_key);"
	/* quota, hold: distributed by buyer (the one cross-key transaction: see above) */
	"CREATE TABLE quota(buyer text NOT NULL, year integer NOT NULL, reserved bigint NOT NULL,"
	" committed bigint NOT NULL, PRIMARY KEY(buyer, year));"
	"CREATE TABLE hold(list_id bigint PRIMARY KEY, buyer text NOT NULL, year integer NOT NULL,"
	" amount bigint NOT NULL, state integer NOT NULL);"
	/* tax: with its list (list_id) */
	"CREATE TABLE tax(list_id bigint PRIMARY KEY, dutiable bigint, customs_tax bigint,"
	" vat bigint, ct bigint, total bigint, full_rate integer, lines text);"
	/* outbox: with the document it sends (guid); cursor: replicated */
	"CREATE TABLE outbox(seq bigserial PRIMARY KEY, channel integer NOT NULL, guid text,"
	" msg_id bigint, body bytea);"
	"CREATE TABLE cursor(name text PRIMARY KEY, value bigint NOT NULL);"
	/* account: distributed by code */
	"CREATE TABLE account(code text PRIMARY KEY, name text, role integer NOT NULL,"
	" token_hash text UNIQUE, created bigint NOT NULL);",
	/* 2: the 1210 bonded account, distributed by ems_no (the account book): its records,
	 * journal and stock-in entries; bonded_hold goes with its list (list_id). A 1210 list's
	 * decision also changes its account's rows: see the note above. B-04 is a CHECK too. */
	"CREATE TABLE bonded_item(ems_no text NOT NULL, item_no text NOT NULL, owner text NOT NULL,"
	" gcode text NOT NULL, gname text NOT NULL, unit text NOT NULL, balance bigint NOT NULL,"
	" reserved bigint NOT NULL, committed bigint NOT NULL, updated bigint NOT NULL,"
	" CHECK (reserved >= 0 AND committed >= 0 AND balance - reserved - committed >= 0),"
	" PRIMARY KEY(ems_no, item_no));"
	"CREATE TABLE bonded_move(id bigserial PRIMARY KEY, ems_no text NOT NULL, item_no text NOT NULL,"
	" op integer NOT NULL, qty bigint NOT NULL, doc text, reason text, at bigint NOT NULL);"
	"CREATE INDEX bonded_move_item ON bonded_move(ems_no, item_no, id);"
	"CREATE TABLE bonded_entry(ems_no text NOT NULL, entry text NOT NULL, item_no text NOT NULL,"
	" owner text NOT NULL, qty bigint NOT NULL, at bigint NOT NULL, PRIMARY KEY(ems_no, entry, item_no));"
	"CREATE TABLE bonded_hold(list_id bigint NOT NULL, gnum integer NOT NULL, ems_no text NOT NULL,"
	" item_no text NOT NULL, qty bigint NOT NULL, decl_qty bigint NOT NULL, back bigint NOT NULL,"
	" state integer NOT NULL, PRIMARY KEY(list_id, gnum));",
	/* 3: export summaries, distributed by owner (the applicant); summary_list goes with its
	 * list (list_id), which is also what keeps a list in one summary only. */
	"CREATE TABLE summary(id bigserial PRIMARY KEY, doc_id bigint NOT NULL UNIQUE, ebc text NOT NULL,"
	" owner text NOT NULL, period text NOT NULL, summary_flag integer NOT NULL,"
	" item_name_flag integer NOT NULL, state integer NOT NULL, sum_no text, detail text,"
	" result text, created bigint NOT NULL, updated bigint NOT NULL);"
	"CREATE INDEX summary_owner ON summary(owner, id);"
	"CREATE TABLE summary_list(list_id bigint PRIMARY KEY, summary_id bigint NOT NULL,"
	" invt_no text NOT NULL);"
	"CREATE INDEX summary_list_of ON summary_list(summary_id, invt_no);",
	/* 4: the regulators' running totals (store_counts), counted once here and then kept
	 * with each commit instead of counting every row at each request; replicated */
	"CREATE TABLE tally(id integer PRIMARY KEY CHECK (id = 1), messages bigint NOT NULL,"
	" rejected bigint NOT NULL, documents bigint NOT NULL, receipts bigint NOT NULL);"
	"INSERT INTO tally VALUES(1, (SELECT count(*) FROM msg), (SELECT count(*) FROM msg WHERE verdict = 0),"
	" (SELECT count(*) FROM doc), (SELECT count(*) FROM receipt));",
	/* 5: the document look-ups' indexes lead with the value looked up, not the kind. The
	 * writer's statements are prepared once and PostgreSQL keeps a generic plan for them,
	 * made while the table was small: with (kind, key), (kind, link), (kind, ref) side by
	 * side it took (kind, link) for `kind = $1 AND key = $2` and read every document of
	 * the kind at each look-up (1 ms at 3,000 orders, growing). Led by key / link / ref /
	 * guid no other index serves a look-up, and the trailing id serves the ORDER BY id. */
	"ALTER TABLE doc DROP CONSTRAINT doc_kind_key_key;"
	"ALTER TABLE doc ADD CONSTRAINT doc_key_kind UNIQUE (key, kind);"
	"DROP INDEX doc_link;"
	"CREATE INDEX doc_link ON doc(link, kind, id);"
	"DROP INDEX doc_ref;"
	"CREATE INDEX doc_ref ON doc(ref, kind, id) WHERE ref IS NOT NULL;"
	"DROP INDEX doc_guid;"
	"CREATE INDEX doc_guid ON doc(guid, id);",
	/* 6: documents by guid only of the kinds found that way (store_doc_by_guid): an order,
	 * payment, waybill or export list is found by the key its customs receipt carries */
	"DROP INDEX doc_guid;"
	"CREATE INDEX doc_guid ON doc(guid, id) WHERE kind NOT IN (" STORE_GUID_UNINDEXED ");",
};
#define NMIGRATIONS (int)(sizeof migrations / sizeof migrations[0])

/* Migrations of concurrent opens (the service and its exchange thread) take turns. */
#define MIGRATION_LOCK 0x63626563 /* "cbec" */

/* Ids taken from a sequence at once by the writer (one round trip per block). */
#define ID_BLOCK 128
#define ID_BLOCK_S "128"
/* Queued statements before the pipeline is sent anyway (keeps both socket buffers small). */
#ifndef MAX_QUEUED /* -DMAX_QUEUED=1: no queued writes, for measuring */
#define MAX_QUEUED 512
#endif

enum stmt_id {
	S_BEGIN, S_COMMIT, S_ROLLBACK, S_SAVEPOINT, S_RELEASE, S_ROLLBACK_TO,
	S_MSG_GET, S_MSG_GET_BODY, S_MSG_PUT, S_MSG_ANSWER, S_MSG_VERDICT,
	S_DOC_GET, S_DOC_BY_LINK, S_DOC_BY_REF, S_DOC_BY_GUID, S_DOC_INSERT, S_DOC_UPDATE, S_DOC_STATE, S_DOC_REF,
	S_DOC_STALE, S_DOC_WAITING, S_DOC_BODY,
	S_AHEAD_KEYS, S_AHEAD_LINKS, S_AHEAD_GUIDS, S_AHEAD_MSGS, S_AHEAD_RECEIPTS,
	S_EVENT_ADD, S_EVENTS_OF,
	S_RECEIPT_ADD, S_RECEIPTS_AFTER, S_RECEIPTS_AFTER_ALL, S_RECEIPTS_DOC, S_RECEIPT_EXISTS,
	S_QUOTA_GET, S_QUOTA_ADD, S_HOLD_PUT, S_HOLD_GET,
	S_TAX_PUT, S_TAX_GET,
	S_OUT_ADD, S_OUT_AFTER, S_CURSOR_GET, S_CURSOR_SET,
	S_ACCOUNT_PUT, S_ACCOUNT_BY_HASH, S_ACCOUNT_GET,
	S_IDS_MSG, S_IDS_DOC, S_IDS_RECEIPT, S_IDS_OUT,
	S_TALLY_ADD, S_TALLY_GET, S_MAX_RECEIPT, S_COUNT_LISTS,
	S_B_GET, S_B_CREATE, S_B_ADD, S_B_EACH, S_B_EACH_ALL, S_B_KEEPER, S_B_MOVE_ADD, S_B_MOVES_OF,
	S_B_ENTRY_GET, S_B_ENTRY_PUT, S_B_HOLD_PUT, S_B_HOLDS_OF,
	S_EXT0, /* other files' statements (store_pg_ext): STORE_PG_EXT_SLOTS of them */
	S__N = S_EXT0 + STORE_PG_EXT_SLOTS
};

/* Document reads carry no body (matching uses the writer's parsed copies); store_doc_body
 * fetches it when needed: the document's own, or (NULL) its message's, through the join. */
#define DOC_COLS                                                                                   \
	"d.id, d.kind, d.key, d.link, d.ref, d.owner, d.guid, d.app_time, d.state, d.msg_id,"      \
	" d.updated, NULL::bytea, d.body IS NULL"
#define DOC_FROM " FROM doc d"
#define RECEIPT_COLS "seq, recipient, type, doc_kind, doc_key, status, created, xml"
/* the doc_waiting index and S_DOC_WAITING write the waiting state out as 2 */
_Static_assert(DOC_WAITING == 2, "doc_waiting is state = 2");
#define IDS(seq) "SELECT nextval('" seq "') FROM generate_series(1, " ID_BLOCK_S ")"

static const char *const sql[S__N] = {
	[S_BEGIN] = "BEGIN",
	[S_COMMIT] = "COMMIT",
	[S_ROLLBACK] = "ROLLBACK",
	[S_SAVEPOINT] = "SAVEPOINT m",
	[S_RELEASE] = "RELEASE m",
	[S_ROLLBACK_TO] = "ROLLBACK TO m",
	[S_MSG_GET] = "SELECT id, guid, type, sender, received, verdict, answer FROM msg WHERE guid = $1",
	[S_MSG_GET_BODY] = "SELECT id, guid, type, sender, received, verdict, answer, body FROM msg WHERE guid = $1",
	[S_MSG_PUT] = "INSERT INTO msg(id, guid, type, sender, received, verdict, answer, body)"
		      " VALUES($1,$2,$3,$4,$5,$6,$7,$8)",
	[S_MSG_ANSWER] = "UPDATE msg SET answer = $1, verdict = $2 WHERE id = $3",
	[S_MSG_VERDICT] = "SELECT verdict FROM msg WHERE id = $1",
	[S_DOC_GET] = "SELECT " DOC_COLS DOC_FROM " WHERE d.kind = $1 AND d.key = $2",
	[S_DOC_BY_LINK] = "SELECT " DOC_COLS DOC_FROM " WHERE d.kind = $1 AND d.link = $2 ORDER BY d.id LIMIT 1",
	[S_DOC_BY_REF] = "SELECT " DOC_COLS DOC_FROM " WHERE d.kind = $1 AND d.ref = $2 ORDER BY d.id LIMIT 1",
	[S_DOC_BY_GUID] = "SELECT " DOC_COLS DOC_FROM " WHERE d.guid = $1 AND d.kind NOT IN (" STORE_GUID_UNINDEXED ")"
			  " ORDER BY d.id DESC LIMIT 1",
	[S_DOC_INSERT] = "INSERT INTO doc(id, kind, key, link, ref, owner, guid, app_time, state, msg_id, updated, body)"
			 " VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)",
	[S_DOC_UPDATE] = "UPDATE doc SET link = $1, ref = $2, owner = $3, guid = $4, app_time = $5, state = $6,"
			 " msg_id = $7, updated = $8, body = $9 WHERE id = $10",
	[S_DOC_STATE] = "UPDATE doc SET state = $1, updated = $2 WHERE id = $3",
	[S_DOC_REF] = "UPDATE doc SET ref = $1 WHERE id = $2",
	[S_DOC_BODY] = "SELECT coalesce(d.body, m.body) FROM doc d LEFT JOIN msg m ON m.id = d.msg_id WHERE d.id = $1",
	/* a batch's look-ups at once (store_read_ahead): each probe joined to the single-probe
	 * statement's answer, so the plan is the same index look-up, once a probe. The LIMIT on
	 * the unique (kind, key) keeps that subquery apart: pulled up into a join, the plan made
	 * on an empty table read the whole table (test_pg_lookup_plans) */
	[S_AHEAD_KEYS] = "SELECT " DOC_COLS " FROM unnest($1::int[], $2::text[]) q(kind, key) CROSS JOIN LATERAL"
			 " (SELECT * FROM doc WHERE key = q.key AND kind = q.kind LIMIT 1) d",
	[S_AHEAD_LINKS] = "SELECT " DOC_COLS " FROM unnest($1::int[], $2::text[]) q(kind, link) CROSS JOIN LATERAL"
			  " (SELECT * FROM doc WHERE link = q.link AND kind = q.kind ORDER BY id LIMIT 1) d",
	[S_AHEAD_GUIDS] = "SELECT " DOC_COLS " FROM unnest($1::text[]) q(guid) CROSS JOIN LATERAL"
			  " (SELECT * FROM doc WHERE guid = q.guid AND kind NOT IN (" STORE_GUID_UNINDEXED ")"
			  " ORDER BY id DESC LIMIT 1) d",
	[S_AHEAD_MSGS] = "SELECT guid FROM msg WHERE guid = ANY($1::text[])",
	[S_AHEAD_RECEIPTS] = "SELECT q.i FROM unnest($1::int[], $2::text[], $3::text[]) WITH ORDINALITY"
			     " q(kind, key, status, i) CROSS JOIN LATERAL (SELECT 1 FROM receipt WHERE"
			     " doc_kind = q.kind AND doc_key = q.key AND status = q.status LIMIT 1) r",
	[S_DOC_STALE] = "SELECT " DOC_COLS DOC_FROM " WHERE d.kind = $1 AND d.state = $2 AND d.updated < $3"
			" ORDER BY d.updated, d.id",
	[S_DOC_WAITING] = "SELECT " DOC_COLS DOC_FROM " WHERE d.kind = $1 AND d.state = 2 AND d.updated < $2"
			  " ORDER BY d.updated, d.id",
	[S_EVENT_ADD] = "INSERT INTO event(doc_id, from_state, to_state, at, reason, msg_id) VALUES($1,$2,$3,$4,$5,$6)",
	[S_EVENTS_OF] = "SELECT doc_id, from_state, to_state, at, reason, msg_id FROM event WHERE doc_id = $1 ORDER BY id",
	[S_RECEIPT_ADD] = "INSERT INTO receipt(seq, recipient, type, doc_kind, doc_key, status, created, xml)"
			  " VALUES($1,$2,$3,$4,$5,$6,$7,$8)",
	[S_RECEIPTS_AFTER] = "SELECT " RECEIPT_COLS " FROM receipt WHERE recipient = $1 AND seq > $2 ORDER BY seq LIMIT $3",
	[S_RECEIPTS_AFTER_ALL] = "SELECT " RECEIPT_COLS " FROM receipt WHERE seq > $1 ORDER BY seq LIMIT $2",
	[S_RECEIPTS_DOC] = "SELECT " RECEIPT_COLS " FROM receipt WHERE doc_kind = $1 AND doc_key = $2 ORDER BY seq",
	[S_RECEIPT_EXISTS] = "SELECT 1 FROM receipt WHERE doc_kind = $1 AND doc_key = $2 AND status = $3 LIMIT 1",
	[S_QUOTA_GET] = "SELECT reserved, committed FROM quota WHERE buyer = $1 AND year = $2",
	[S_QUOTA_ADD] = "INSERT INTO quota(buyer, year, reserved, committed) VALUES($1,$2,$3,$4)"
			" ON CONFLICT(buyer, year) DO UPDATE SET reserved = quota.reserved + excluded.reserved,"
			" committed = quota.committed + excluded.committed",
	[S_HOLD_PUT] = "INSERT INTO hold(list_id, buyer, year, amount, state) VALUES($1,$2,$3,$4,$5)"
		       " ON CONFLICT(list_id) DO UPDATE SET buyer = excluded.buyer, year = excluded.year,"
		       " amount = excluded.amount, state = excluded.state",
	[S_HOLD_GET] = "SELECT list_id, buyer, year, amount, state FROM hold WHERE list_id = $1",
	[S_TAX_PUT] = "INSERT INTO tax(list_id, dutiable, customs_tax, vat, ct, total, full_rate, lines)"
		      " VALUES($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT(list_id) DO UPDATE SET"
		      " dutiable = excluded.dutiable, customs_tax = excluded.customs_tax, vat = excluded.vat,"
		      " ct = excluded.ct, total = excluded.total, full_rate = excluded.full_rate, lines = excluded.lines",
	[S_TAX_GET] = "SELECT list_id, dutiable, customs_tax, vat, ct, total, full_rate, lines FROM tax WHERE list_id = $1",
	[S_OUT_ADD] = "INSERT INTO outbox(seq, channel, guid, msg_id, body) VALUES($1,$2,$3,$4,$5)",
	[S_OUT_AFTER] = "SELECT o.seq, o.channel, o.guid, coalesce(o.body, m.body) FROM outbox o"
			" LEFT JOIN msg m ON m.id = o.msg_id WHERE o.channel = $1 AND o.seq > $2 ORDER BY o.seq LIMIT $3",
	[S_CURSOR_GET] = "SELECT value FROM cursor WHERE name = $1",
	[S_CURSOR_SET] = "INSERT INTO cursor(name, value) VALUES($1,$2)"
			 " ON CONFLICT(name) DO UPDATE SET value = excluded.value",
	/* SQLite's INSERT OR REPLACE: the account of this code, replaced whole */
	[S_ACCOUNT_PUT] = "INSERT INTO account(code, name, role, token_hash, created) VALUES($1,$2,$3,$4,$5)"
			  " ON CONFLICT(code) DO UPDATE SET name = excluded.name, role = excluded.role,"
			  " token_hash = excluded.token_hash, created = excluded.created",
	[S_ACCOUNT_BY_HASH] = "SELECT code, name, role, token_hash, created FROM account WHERE token_hash = $1",
	[S_ACCOUNT_GET] = "SELECT code, name, role, token_hash, created FROM account WHERE code = $1",
	[S_IDS_MSG] = IDS("msg_id_seq"),
	[S_IDS_DOC] = IDS("doc_id_seq"),
	[S_IDS_RECEIPT] = IDS("receipt_seq_seq"),
	[S_IDS_OUT] = IDS("outbox_seq_seq"),
	[S_TALLY_ADD] = "UPDATE tally SET messages = messages + $1, rejected = rejected + $2,"
			" documents = documents + $3, receipts = receipts + $4 WHERE id = 1",
	[S_TALLY_GET] = "SELECT messages, rejected, documents, receipts FROM tally WHERE id = 1",
	[S_MAX_RECEIPT] = "SELECT coalesce(max(seq), 0) FROM receipt",
	[S_COUNT_LISTS] = "SELECT state, count(*) FROM doc WHERE kind IN (621, 603) GROUP BY state",
#define B_ITEM_COLS "ems_no, item_no, owner, gcode, gname, unit, balance, reserved, committed, updated"
	[S_B_GET] = "SELECT " B_ITEM_COLS " FROM bonded_item WHERE ems_no = $1 AND item_no = $2",
	[S_B_CREATE] = "INSERT INTO bonded_item(" B_ITEM_COLS ") VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)"
		       " ON CONFLICT DO NOTHING RETURNING 1",
	[S_B_ADD] = "UPDATE bonded_item SET balance = balance + $3, reserved = reserved + $4,"
		    " committed = committed + $5, updated = $6 WHERE ems_no = $1 AND item_no = $2",
	[S_B_EACH] = "SELECT " B_ITEM_COLS " FROM bonded_item WHERE ems_no = $1 ORDER BY item_no",
	[S_B_EACH_ALL] = "SELECT " B_ITEM_COLS " FROM bonded_item ORDER BY ems_no, item_no",
	[S_B_KEEPER] = "SELECT owner FROM bonded_item WHERE ems_no = $1 ORDER BY item_no LIMIT 1",
	/* the figures' update and the journal line in one statement (one round trip) */
	[S_B_MOVE_ADD] = "WITH item AS (UPDATE bonded_item SET "
			 STORE_BONDED_FIGURES("$3::integer", "$4::bigint")
			 ", updated = $7 WHERE ems_no = $1 AND item_no = $2)"
			 " INSERT INTO bonded_move(ems_no, item_no, op, qty, doc, reason, at)"
			 " VALUES($1,$2,$3,$4,$5,$6,$7)",
	[S_B_MOVES_OF] = "SELECT id, ems_no, item_no, op, qty, doc, reason, at FROM bonded_move"
			 " WHERE ems_no = $1 AND item_no = $2 ORDER BY id",
	[S_B_ENTRY_GET] = "SELECT ems_no, entry, item_no, owner, qty, at FROM bonded_entry"
			  " WHERE ems_no = $1 AND entry = $2 AND item_no = $3",
	[S_B_ENTRY_PUT] = "INSERT INTO bonded_entry(ems_no, entry, item_no, owner, qty, at)"
			  " VALUES($1,$2,$3,$4,$5,$6) ON CONFLICT DO NOTHING RETURNING 1",
	[S_B_HOLD_PUT] = "INSERT INTO bonded_hold(list_id, gnum, ems_no, item_no, qty, decl_qty, back, state)"
			 " VALUES($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT(list_id, gnum) DO UPDATE SET"
			 " ems_no = excluded.ems_no, item_no = excluded.item_no, qty = excluded.qty,"
			 " decl_qty = excluded.decl_qty, back = excluded.back, state = excluded.state",
	[S_B_HOLDS_OF] = "SELECT list_id, gnum, ems_no, item_no, qty, decl_qty, back, state FROM bonded_hold"
			 " WHERE list_id = $1 ORDER BY gnum",
};

enum id_kind { ID_MSG, ID_DOC, ID_RECEIPT, ID_OUT, ID__N };
static const enum stmt_id id_stmt[ID__N] = {S_IDS_MSG, S_IDS_DOC, S_IDS_RECEIPT, S_IDS_OUT};

struct id_block {
	int64_t v[ID_BLOCK];
	int next, n;
};

struct pg {
	struct store base;
	PGconn *c;
	bool prepared[S__N];
	const char *ext_sql[STORE_PG_EXT_SLOTS]; /* static texts of store_pg_ext's callers */
	int version;
	bool readonly;
	bool in_tx;
	/* The pipeline: what was sent and not yet read, one entry a statement; a prepare is
	 * entered as -1 - id, so a failed one is prepared again next time. */
	bool pipe;
	int *queued;
	int nqueued, capqueued;
	struct id_block ids[ID__N];
};

static const struct store_ops pg_ops;

/* ---- parameters: text, except bodies (bytea, binary) ---- */

#define MAXP 12
struct params {
	int n;
	const char *v[MAXP];
	int len[MAXP];
	int fmt[MAXP];
	char num[MAXP][24];
};

static void p_text(struct params *p, const char *t)
{
	p->v[p->n] = t; /* NULL: SQL NULL */
	p->len[p->n] = 0;
	p->fmt[p->n++] = 0;
}

static void p_int(struct params *p, int64_t x)
{
	snprintf(p->num[p->n], sizeof p->num[p->n], "%lld", (long long)x);
	p_text(p, p->num[p->n]);
}

static void p_bytes(struct params *p, const char *b, size_t n)
{
	p->v[p->n] = b;
	p->len[p->n] = (int)n;
	p->fmt[p->n++] = 1;
}

/* ---- results (binary format) ---- */

/* Any integer column (int2, int4, int8, bool): big-endian two's complement of its length. */
static int64_t col_i64(const PGresult *r, int row, int col)
{
	if (PQgetisnull(r, row, col))
		return 0;
	const unsigned char *p = (const unsigned char *)PQgetvalue(r, row, col);
	int n = PQgetlength(r, row, col);
	if (n < 1 || n > 8)
		return 0;
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	if (n < 8 && (p[0] & 0x80))
		v |= ~(uint64_t)0 << (8 * n);
	return (int64_t)v;
}

static int col_int(const PGresult *r, int row, int col)
{
	return (int)col_i64(r, row, col);
}

/* Borrowed text (libpq ends every value with a NUL); NULL for SQL NULL. */
static char *col_text(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

static char *dup_col(const PGresult *r, int row, int col)
{
	const char *t = col_text(r, row, col);
	return t ? strdup(t) : NULL;
}

/* A copy of a bytea, NUL-terminated; NULL when SQL NULL or empty (as SQLite hands out). */
static char *dup_blob(const PGresult *r, int row, int col, size_t *len)
{
	size_t n = PQgetisnull(r, row, col) ? 0 : (size_t)PQgetlength(r, row, col);
	*len = n;
	if (!n)
		return NULL;
	char *p = malloc(n + 1);
	if (!p)
		return NULL;
	memcpy(p, PQgetvalue(r, row, col), n);
	p[n] = '\0';
	return p;
}

/* ---- the pipeline ---- */

static bool ok_status(const PGresult *r)
{
	ExecStatusType st = PQresultStatus(r);
	return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

static int enqueue(struct pg *s, int entry)
{
	if (s->nqueued == s->capqueued) {
		int cap = s->capqueued ? s->capqueued * 2 : 64;
		int *q = realloc(s->queued, (size_t)cap * sizeof *q);
		if (!q)
			return CBEC_ENOMEM;
		s->queued = q;
		s->capqueued = cap;
	}
	s->queued[s->nqueued++] = entry;
	return 0;
}

static int revive(struct pg *s);

/* Queue one statement (and its prepare, the first time). */
static int send_stmt(struct pg *s, enum stmt_id id, const struct params *p)
{
	/* a connection lost between transactions is made again; inside one it stays failed
	 * until the rollback */
	if ((!s->in_tx || id == S_BEGIN) && revive(s))
		return CBEC_ESTORE;
	if (!s->pipe) {
		if (!PQenterPipelineMode(s->c))
			return CBEC_ESTORE;
		s->pipe = true;
	}
	char name[16];
	snprintf(name, sizeof name, "s%d", (int)id);
	if (!s->prepared[id]) {
		const char *text = id >= S_EXT0 ? s->ext_sql[id - S_EXT0] : sql[id];
		if (enqueue(s, -1 - (int)id) || !text || !PQsendPrepare(s->c, name, text, 0, NULL)) {
			if (s->nqueued && s->queued[s->nqueued - 1] == -1 - (int)id)
				s->nqueued--;
			return CBEC_ESTORE;
		}
		s->prepared[id] = true;
	}
	if (enqueue(s, (int)id))
		return CBEC_ENOMEM;
	if (!PQsendQueryPrepared(s->c, name, p ? p->n : 0, p ? p->v : NULL, p ? p->len : NULL,
				 p ? p->fmt : NULL, 1)) {
		s->nqueued--;
		return CBEC_ESTORE;
	}
	return 0;
}

/* Send what is queued and read every answer; the last statement's result is handed out in
 * *last (when asked and it succeeded). Any failure makes the whole call fail. */
static int sync_pipe(struct pg *s, PGresult **last)
{
	if (last)
		*last = NULL;
	if (!s->pipe)
		return 0;
	int err = 0;
	bool synced = PQpipelineSync(s->c) == 1;
	if (!synced)
		err = CBEC_ESTORE; /* the connection is gone: nothing more will come */
	for (int i = 0; i < s->nqueued && !err; i++) {
		PGresult *r = PQgetResult(s->c);
		if (!r) {
			err = CBEC_ESTORE;
			break;
		}
		bool ok = ok_status(r);
		if (!ok && s->queued[i] < 0)
			s->prepared[-1 - s->queued[i]] = false;
		if (!ok)
			err = CBEC_ESTORE;
		if (ok && last && i == s->nqueued - 1)
			*last = r;
		else
			PQclear(r);
		while ((r = PQgetResult(s->c)) != NULL) /* the NULL that ends each statement */
			PQclear(r);
		/* after a failure the rest are PIPELINE_ABORTED: read them to the sync */
		if (err)
			for (int k = i + 1; k < s->nqueued; k++)
				if (s->queued[k] < 0)
					s->prepared[-1 - s->queued[k]] = false;
	}
	/* read up to (and including) the sync point */
	while (synced) {
		PGresult *r = PQgetResult(s->c);
		if (!r) {
			if (PQstatus(s->c) == CONNECTION_BAD)
				break;
			continue;
		}
		ExecStatusType st = PQresultStatus(r);
		PQclear(r);
		if (st == PGRES_PIPELINE_SYNC)
			break;
	}
	s->nqueued = 0;
	if (!PQexitPipelineMode(s->c))
		err = CBEC_ESTORE;
	else
		s->pipe = false;
	if (err && last && *last) {
		PQclear(*last);
		*last = NULL;
	}
	return err;
}

/* Run a statement and wait for its result (sending whatever was queued before it). A read
 * outside a transaction that finds the connection dropped (the server restarted) is tried
 * once more on a new connection. */
static int query(struct pg *s, enum stmt_id id, const struct params *p, PGresult **out)
{
	for (int attempt = 0;; attempt++) {
		int rc = send_stmt(s, id, p);
		int rc2 = sync_pipe(s, out);
		rc = rc ? rc : rc2;
		if (!rc || s->in_tx || attempt || PQstatus(s->c) != CONNECTION_BAD)
			return rc;
	}
}

/* Run a statement whose result nobody needs: queued inside a transaction, at once outside. */
static int exec_later(struct pg *s, enum stmt_id id, const struct params *p)
{
	if (!s->in_tx)
		return query(s, id, p, NULL);
	int rc = send_stmt(s, id, p);
	if (rc) {
		sync_pipe(s, NULL);
		return rc;
	}
	return s->nqueued >= MAX_QUEUED ? sync_pipe(s, NULL) : 0;
}

/* The next id of a table's sequence, from the writer's block. */
static int next_id(struct pg *s, enum id_kind k, int64_t *id)
{
	struct id_block *b = &s->ids[k];
	if (b->next == b->n) {
		PGresult *r;
		int rc = query(s, id_stmt[k], NULL, &r);
		if (rc)
			return rc;
		int n = PQntuples(r);
		for (int i = 0; i < n && i < ID_BLOCK; i++)
			b->v[i] = col_i64(r, i, 0);
		b->n = n < ID_BLOCK ? n : ID_BLOCK;
		b->next = 0;
		PQclear(r);
		if (!b->n)
			return CBEC_ESTORE;
	}
	*id = b->v[b->next++];
	return 0;
}

/* ---- open, migrations ---- */

static void quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg; /* notices are not errors; a library does not print */
}

static int simple(struct pg *s, const char *q)
{
	PGresult *r = PQexec(s->c, q);
	int rc = r && ok_status(r) ? 0 : CBEC_ESTORE;
	PQclear(r);
	return rc;
}

static int read_version(struct pg *s)
{
	PGresult *r = PQexecParams(s->c, "SELECT max(version)::integer FROM schema_version", 0, NULL, NULL,
				   NULL, NULL, 0);
	int v = -1;
	if (r && PQresultStatus(r) == PGRES_TUPLES_OK)
		v = PQntuples(r) && !PQgetisnull(r, 0, 0) ? atoi(PQgetvalue(r, 0, 0)) : 0;
	PQclear(r);
	return v;
}

static int migrate(struct pg *s, char *err, size_t errlen)
{
	char q[64];
	int rc = 0;
	snprintf(q, sizeof q, "SELECT pg_advisory_lock(%d)", MIGRATION_LOCK);
	if (simple(s, q)) {
		snprintf(err, errlen, "cannot lock for migrations: %s", PQerrorMessage(s->c));
		return CBEC_ESTORE;
	}
	if (simple(s, "CREATE TABLE IF NOT EXISTS schema_version(version integer NOT NULL)")) {
		snprintf(err, errlen, "cannot create schema_version: %s", PQerrorMessage(s->c));
		rc = CBEC_ESTORE;
		goto out;
	}
	int v = read_version(s);
	if (v < 0) {
		snprintf(err, errlen, "cannot read the schema version: %s", PQerrorMessage(s->c));
		rc = CBEC_ESTORE;
		goto out;
	}
	if (v > NMIGRATIONS) {
		snprintf(err, errlen, "the store's schema version %d is newer than this cbec (%d)", v,
			 NMIGRATIONS);
		rc = CBEC_ESTORE;
		goto out;
	}
	for (; v < NMIGRATIONS; v++) {
		char ver[96];
		snprintf(ver, sizeof ver,
			 "DELETE FROM schema_version; INSERT INTO schema_version VALUES(%d)", v + 1);
		if (simple(s, "BEGIN") || simple(s, migrations[v]) || simple(s, ver) ||
		    simple(s, "COMMIT")) {
			snprintf(err, errlen, "migration %d failed: %s", v + 1, PQerrorMessage(s->c));
			simple(s, "ROLLBACK");
			rc = CBEC_ESTORE;
			goto out;
		}
	}
	s->version = v;
out:
	snprintf(q, sizeof q, "SELECT pg_advisory_unlock(%d)", MIGRATION_LOCK);
	simple(s, q);
	return rc;
}

static const char *setup_sql(bool readonly)
{
	/* durable commits whatever the server's default; readers cannot write */
	return readonly ? "SET synchronous_commit = on; SET default_transaction_read_only = on"
			: "SET synchronous_commit = on";
}

/* The server closed the connection (restart, failover, idle kill): connect again with the
 * same parameters; statements are prepared again as they are used. */
static int revive(struct pg *s)
{
	if (PQstatus(s->c) != CONNECTION_BAD)
		return 0;
	PQreset(s->c);
	if (PQstatus(s->c) != CONNECTION_OK)
		return CBEC_ESTORE;
	memset(s->prepared, 0, sizeof s->prepared);
	s->pipe = false;
	s->nqueued = 0;
	return simple(s, setup_sql(s->readonly));
}

static void pg_close(struct store *base)
{
	struct pg *s = (struct pg *)base;
	if (!s)
		return;
	if (s->pipe)
		sync_pipe(s, NULL);
	PQfinish(s->c);
	free(s->queued);
	free(s);
}

int store_pg_open(const char *url, bool readonly, struct store **out, char *err, size_t errlen)
{
	struct pg *s = calloc(1, sizeof *s);
	if (!s)
		return CBEC_ENOMEM;
	s->base.ops = &pg_ops;
	s->readonly = readonly;
	s->c = PQconnectdb(url);
	if (!s->c || PQstatus(s->c) != CONNECTION_OK) {
		snprintf(err, errlen, "cannot connect to the store: %s",
			 s->c ? PQerrorMessage(s->c) : "out of memory");
		goto fail;
	}
	PQsetNoticeProcessor(s->c, quiet, NULL);
	if (simple(s, setup_sql(readonly))) {
		snprintf(err, errlen, "cannot set up the store connection: %s", PQerrorMessage(s->c));
		goto fail;
	}
	if (!readonly) {
		if (migrate(s, err, errlen))
			goto fail;
	} else {
		int v = read_version(s);
		if (v < 1) {
			snprintf(err, errlen, "the database holds no cbec store (no schema version): cbec serve creates it");
			goto fail;
		}
		s->version = v;
	}
	*out = &s->base;
	return 0;
fail:
	pg_close(&s->base);
	return CBEC_ESTORE;
}

static int pg_schema_version(struct store *base)
{
	return ((struct pg *)base)->version;
}

/* ---- transactions ---- */

static int pg_begin(struct store *base)
{
	struct pg *s = (struct pg *)base;
	s->in_tx = true;
	/* ids taken before this transaction stay valid: a sequence never gives one twice */
	return exec_later(s, S_BEGIN, NULL);
}

static int pg_commit(struct store *base)
{
	struct pg *s = (struct pg *)base;
	int rc = query(s, S_COMMIT, NULL, NULL);
	s->in_tx = false;
	return rc;
}

static int pg_rollback(struct store *base)
{
	struct pg *s = (struct pg *)base;
	sync_pipe(s, NULL); /* whatever failed there is undone now */
	s->in_tx = false;
	return query(s, S_ROLLBACK, NULL, NULL);
}

static int pg_savepoint(struct store *base)
{
	return exec_later((struct pg *)base, S_SAVEPOINT, NULL);
}

static int pg_rollback_to(struct store *base)
{
	struct pg *s = (struct pg *)base;
	sync_pipe(s, NULL); /* the error that brought us here, if it was queued */
	int rc = send_stmt(s, S_ROLLBACK_TO, NULL);
	if (!rc)
		rc = send_stmt(s, S_RELEASE, NULL);
	int rc2 = sync_pipe(s, NULL);
	return rc ? rc : rc2;
}

/* The queued writes sent, and their answers read: the first error, if one failed. */
static int pg_written(struct store *base)
{
	struct pg *s = (struct pg *)base;
	return s->nqueued ? sync_pipe(s, NULL) : 0;
}

/* The message's queued writes are checked here; if one failed, the message is undone so
 * that the transaction (and the rest of the batch) goes on. */
static int pg_release(struct store *base)
{
	struct pg *s = (struct pg *)base;
	int rc = query(s, S_RELEASE, NULL, NULL);
	if (rc)
		pg_rollback_to(base);
	return rc;
}

/* The first row of a query, read into out by `read`; CBEC_ENOTFOUND when there is none.
 * out is zeroed first, so a miss leaves nothing to free. */
static int one_row(struct pg *s, enum stmt_id id, const struct params *p, void *out, size_t size,
		   void (*read)(const PGresult *r, void *out))
{
	memset(out, 0, size);
	PGresult *r;
	int rc = query(s, id, p, &r);
	if (rc)
		return rc;
	if (PQntuples(r) == 0)
		rc = CBEC_ENOTFOUND;
	else
		read(r, out);
	PQclear(r);
	return rc;
}

/* ---- messages ---- */

static void read_msg(const PGresult *r, void *to)
{
	struct store_msg *out = to;
	out->id = col_i64(r, 0, 0);
	out->guid = dup_col(r, 0, 1);
	out->type = col_int(r, 0, 2);
	out->sender = dup_col(r, 0, 3);
	out->received = col_i64(r, 0, 4);
	out->verdict = col_int(r, 0, 5);
	out->answer = dup_col(r, 0, 6);
	if (PQnfields(r) > 7) /* S_MSG_GET_BODY */
		out->body = dup_blob(r, 0, 7, &out->body_len);
}

static int pg_msg_get(struct store *base, const char *guid, bool with_body, struct store_msg *out)
{
	struct params p = {0};
	p_text(&p, guid);
	return one_row((struct pg *)base, with_body ? S_MSG_GET_BODY : S_MSG_GET, &p, out, sizeof *out,
		       read_msg);
}

static int pg_msg_put(struct store *base, const struct store_msg *m, int64_t *id)
{
	struct pg *s = (struct pg *)base;
	int64_t nid;
	int rc = next_id(s, ID_MSG, &nid);
	if (rc)
		return rc;
	struct params p = {0};
	p_int(&p, nid);
	p_text(&p, m->guid);
	p_int(&p, m->type);
	p_text(&p, m->sender);
	p_int(&p, m->received);
	p_int(&p, m->verdict);
	p_text(&p, m->answer);
	p_bytes(&p, m->body, m->body_len);
	rc = exec_later(s, S_MSG_PUT, &p);
	if (!rc && id)
		*id = nid;
	return rc;
}

static int pg_msg_set_answer(struct store *base, int64_t id, const char *answer, int verdict)
{
	struct params p = {0};
	p_text(&p, answer);
	p_int(&p, verdict);
	p_int(&p, id);
	return exec_later((struct pg *)base, S_MSG_ANSWER, &p);
}

static void read_verdict(const PGresult *r, void *to)
{
	*(int *)to = col_int(r, 0, 0);
}

static int pg_msg_verdict(struct store *base, int64_t id, int *verdict)
{
	struct params p = {0};
	p_int(&p, id);
	return one_row((struct pg *)base, S_MSG_VERDICT, &p, verdict, sizeof *verdict, read_verdict);
}

/* ---- documents ---- */

static void read_doc(const PGresult *r, int row, struct store_doc *d)
{
	d->id = col_i64(r, row, 0);
	d->kind = col_int(r, row, 1);
	d->key = dup_col(r, row, 2);
	d->link = dup_col(r, row, 3);
	d->ref = dup_col(r, row, 4);
	d->owner = dup_col(r, row, 5);
	d->guid = dup_col(r, row, 6);
	d->app_time = dup_col(r, row, 7);
	d->state = col_int(r, row, 8);
	d->msg_id = col_i64(r, row, 9);
	d->updated = col_i64(r, row, 10);
	d->body = dup_blob(r, row, 11, &d->body_len);
	d->body_ref = col_i64(r, row, 12) != 0;
}

static void read_first_doc(const PGresult *r, void *out)
{
	read_doc(r, 0, out);
}

static int doc_one(struct pg *s, enum stmt_id id, const struct params *p, struct store_doc *out)
{
	return one_row(s, id, p, out, sizeof *out, read_first_doc);
}

static int pg_doc_get(struct store *base, int kind, const char *key, struct store_doc *out)
{
	struct params p = {0};
	p_int(&p, kind);
	p_text(&p, key);
	return doc_one((struct pg *)base, S_DOC_GET, &p, out);
}

static int pg_doc_by_link(struct store *base, int kind, const char *link, struct store_doc *out)
{
	struct params p = {0};
	p_int(&p, kind);
	p_text(&p, link);
	return doc_one((struct pg *)base, S_DOC_BY_LINK, &p, out);
}

static int pg_doc_by_ref(struct store *base, int kind, const char *ref, struct store_doc *out)
{
	struct params p = {0};
	p_int(&p, kind);
	p_text(&p, ref);
	return doc_one((struct pg *)base, S_DOC_BY_REF, &p, out);
}

static int pg_doc_by_guid(struct store *base, const char *guid, struct store_doc *out)
{
	struct params p = {0};
	p_text(&p, guid);
	return doc_one((struct pg *)base, S_DOC_BY_GUID, &p, out);
}

/* ---- reading ahead ---- */

enum probe_field { F_STR, F_KIND, F_STATUS };

static const char *probe_str(const struct store_probe *p, enum probe_field f)
{
	const char *s = f == F_STATUS ? p->status : p->s;
	return s ? s : "";
}

/* A PostgreSQL array literal of one field of the probes, in *out (the caller frees). */
static int array_text(const struct store_probe *v, size_t n, enum probe_field f, char **out)
{
	bool kinds = f == F_KIND;
	size_t cap = 3;
	for (size_t i = 0; i < n; i++)
		cap += kinds ? 12 : 2 * strlen(probe_str(&v[i], f)) + 3;
	char *a = malloc(cap), *w = a;
	if (!a)
		return CBEC_ENOMEM;
	*w++ = '{';
	for (size_t i = 0; i < n; i++) {
		if (i)
			*w++ = ',';
		if (kinds) {
			w += snprintf(w, 12, "%d", v[i].kind);
			continue;
		}
		*w++ = '"';
		for (const char *c = probe_str(&v[i], f); *c; c++) {
			if (*c == '"' || *c == '\\')
				*w++ = '\\';
			*w++ = *c;
		}
		*w++ = '"';
	}
	*w++ = '}';
	*w = 0;
	*out = a;
	return 0;
}

/* Run a read-ahead statement over the probes of v, its parameters one array per field. */
static int ahead_query(struct pg *s, enum stmt_id id, const struct store_probe *v, size_t n,
		       const enum probe_field *fields, int nfields, PGresult **r)
{
	char *a[3] = {NULL, NULL, NULL};
	int rc = 0;
	for (int i = 0; !rc && i < nfields; i++)
		rc = array_text(v, n, fields[i], &a[i]);
	if (!rc) {
		struct params p = {0};
		for (int i = 0; i < nfields; i++)
			p_text(&p, a[i]);
		rc = query(s, id, &p, r);
	}
	for (int i = 0; i < nfields; i++)
		free(a[i]);
	return rc;
}

/* Run one look-up statement for every probe of v; tell the cache each row found through
 * `learn`, after telling it first that every probe found nothing (a row then overrides). */
static int ahead_docs(struct pg *s, enum stmt_id id, const struct store_probe *v, size_t n,
		      bool with_kind, struct rcache *c,
		      int (*learn)(struct rcache *c, const struct store_probe *p, const struct store_doc *row))
{
	if (!n)
		return 0;
	static const enum probe_field kind_str[] = {F_KIND, F_STR}, str[] = {F_STR};
	PGresult *r = NULL;
	int rc = with_kind ? ahead_query(s, id, v, n, kind_str, 2, &r) : ahead_query(s, id, v, n, str, 1, &r);
	for (size_t i = 0; !rc && i < n; i++)
		rc = learn(c, &v[i], NULL);
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		struct store_doc d;
		read_doc(r, i, &d);
		struct store_probe found = {d.kind, id == S_AHEAD_KEYS ? d.key : id == S_AHEAD_LINKS ? d.link : d.guid, NULL};
		rc = found.s ? learn(c, &found, &d) : 0;
		store_doc_clear(&d);
	}
	PQclear(r);
	return rc;
}

static int learn_key(struct rcache *c, const struct store_probe *p, const struct store_doc *row)
{
	return rcache_learn_key(c, p->kind, p->s, row);
}

static int learn_link(struct rcache *c, const struct store_probe *p, const struct store_doc *row)
{
	return rcache_learn_link(c, p->kind, p->s, row);
}

static int learn_guid(struct rcache *c, const struct store_probe *p, const struct store_doc *row)
{
	return rcache_learn_guid(c, p->s, row);
}

/* Which of the receipt probes have a receipt. */
static int ahead_receipts(struct pg *s, const struct store_probe *v, size_t n, struct rcache *c)
{
	if (!n)
		return 0;
	static const enum probe_field fields[] = {F_KIND, F_STR, F_STATUS};
	PGresult *r = NULL;
	int rc = ahead_query(s, S_AHEAD_RECEIPTS, v, n, fields, 3, &r);
	for (size_t i = 0; !rc && i < n; i++)
		rc = rcache_learn_receipt(c, v[i].kind, v[i].s, v[i].status, false);
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		int64_t k = col_i64(r, i, 0) - 1; /* ordinals count from 1 */
		if (k >= 0 && (size_t)k < n)
			rc = rcache_learn_receipt(c, v[k].kind, v[k].s, v[k].status, true);
	}
	PQclear(r);
	return rc;
}

/* Five statements whatever the batch's size, instead of one a look-up. */
static int pg_read_ahead(struct store *base, const struct store_ahead *q, struct rcache *c)
{
	struct pg *s = (struct pg *)base;
	int rc = ahead_docs(s, S_AHEAD_KEYS, q->keys, q->nkeys, true, c, learn_key);
	if (!rc)
		rc = ahead_docs(s, S_AHEAD_LINKS, q->links, q->nlinks, true, c, learn_link);
	if (!rc)
		rc = ahead_docs(s, S_AHEAD_GUIDS, q->guids, q->nguids, false, c, learn_guid);
	if (!rc)
		rc = ahead_receipts(s, q->receipts, q->nreceipts, c);
	if (rc || !q->nmsgs)
		return rc;
	static const enum probe_field str[] = {F_STR};
	PGresult *r = NULL;
	rc = ahead_query(s, S_AHEAD_MSGS, q->msgs, q->nmsgs, str, 1, &r);
	for (size_t i = 0; !rc && i < q->nmsgs; i++)
		rc = rcache_learn_msg_absent(c, q->msgs[i].s);
	for (int i = 0; !rc && i < PQntuples(r); i++)
		rcache_msg_put(c, col_text(r, i, 0)); /* there is one: not absent */
	PQclear(r);
	return rc;
}

static int pg_doc_body(struct store *base, int64_t id, char **body, size_t *len)
{
	struct params p = {0};
	p_int(&p, id);
	PGresult *r;
	int rc = query((struct pg *)base, S_DOC_BODY, &p, &r);
	if (rc)
		return rc;
	*body = PQntuples(r) ? dup_blob(r, 0, 0, len) : NULL;
	PQclear(r);
	return *body ? 0 : CBEC_ENOTFOUND;
}

static int pg_doc_put(struct store *base, struct store_doc *d)
{
	struct pg *s = (struct pg *)base;
	struct params p = {0};
	if (d->id) {
		p_text(&p, d->link);
		p_text(&p, d->ref);
		p_text(&p, d->owner);
		p_text(&p, d->guid);
		p_text(&p, d->app_time);
		p_int(&p, d->state);
		p_int(&p, d->msg_id);
		p_int(&p, d->updated);
		p_bytes(&p, d->body, d->body_len);
		p_int(&p, d->id);
		return exec_later(s, S_DOC_UPDATE, &p);
	}
	int64_t id;
	int rc = next_id(s, ID_DOC, &id);
	if (rc)
		return rc;
	p_int(&p, id);
	p_int(&p, d->kind);
	p_text(&p, d->key);
	p_text(&p, d->link);
	p_text(&p, d->ref);
	p_text(&p, d->owner);
	p_text(&p, d->guid);
	p_text(&p, d->app_time);
	p_int(&p, d->state);
	p_int(&p, d->msg_id);
	p_int(&p, d->updated);
	p_bytes(&p, d->body, d->body_len);
	rc = exec_later(s, S_DOC_INSERT, &p);
	if (!rc)
		d->id = id;
	return rc;
}

static int pg_doc_set_state(struct store *base, int64_t id, int state, int64_t now)
{
	struct params p = {0};
	p_int(&p, state);
	p_int(&p, now);
	p_int(&p, id);
	return exec_later((struct pg *)base, S_DOC_STATE, &p);
}

static int pg_doc_set_ref(struct store *base, int64_t id, const char *ref)
{
	struct params p = {0};
	p_text(&p, ref);
	p_int(&p, id);
	return exec_later((struct pg *)base, S_DOC_REF, &p);
}

/* The rows are all in the result before the first callback: it may write on this
 * connection. */
static int pg_doc_each_stale(struct store *base, int kind, int state, int64_t before,
			     int (*fn)(void *ctx, const struct store_doc *d), void *ctx)
{
	/* The waiting lists (the match timeout's scan, each second) have their own statement:
	 * a generic plan for `state = $2` cannot use the partial index of them. */
	bool waiting = state == DOC_WAITING;
	struct params p = {0};
	p_int(&p, kind);
	if (!waiting)
		p_int(&p, state);
	p_int(&p, before);
	PGresult *r;
	int rc = query((struct pg *)base, waiting ? S_DOC_WAITING : S_DOC_STALE, &p, &r);
	if (rc)
		return rc;
	int n = PQntuples(r);
	for (int i = 0; i < n && !rc; i++) {
		struct store_doc d = {0};
		read_doc(r, i, &d);
		rc = fn(ctx, &d);
		store_doc_clear(&d);
	}
	PQclear(r);
	return rc;
}

/* ---- events ---- */

static int pg_event_add(struct store *base, const struct store_event *e)
{
	struct params p = {0};
	p_int(&p, e->doc_id);
	p_int(&p, e->from);
	p_int(&p, e->to);
	p_int(&p, e->at);
	p_text(&p, e->reason);
	p_int(&p, e->msg_id);
	return exec_later((struct pg *)base, S_EVENT_ADD, &p);
}

static int pg_events_of(struct store *base, int64_t doc_id,
			int (*fn)(void *ctx, const struct store_event *e), void *ctx)
{
	struct params p = {0};
	p_int(&p, doc_id);
	PGresult *r;
	int rc = query((struct pg *)base, S_EVENTS_OF, &p, &r);
	if (rc)
		return rc;
	int n = PQntuples(r);
	for (int i = 0; i < n && !rc; i++) {
		struct store_event e = {
			.doc_id = col_i64(r, i, 0),
			.from = col_int(r, i, 1),
			.to = col_int(r, i, 2),
			.at = col_i64(r, i, 3),
			.reason = col_text(r, i, 4),
			.msg_id = col_i64(r, i, 5),
		};
		rc = fn(ctx, &e);
	}
	PQclear(r);
	return rc;
}

/* ---- receipts ---- */

static int pg_receipt_add(struct store *base, const struct store_receipt *r, int64_t *seq)
{
	struct pg *s = (struct pg *)base;
	int64_t id;
	int rc = next_id(s, ID_RECEIPT, &id);
	if (rc)
		return rc;
	struct params p = {0};
	p_int(&p, id);
	p_text(&p, r->recipient);
	p_int(&p, r->type);
	p_int(&p, r->doc_kind);
	p_text(&p, r->doc_key);
	p_text(&p, r->status);
	p_int(&p, r->created);
	p_text(&p, r->xml);
	rc = exec_later(s, S_RECEIPT_ADD, &p);
	if (!rc && seq)
		*seq = id;
	return rc;
}

static int each_receipt(struct pg *s, enum stmt_id id, const struct params *p,
			int (*fn)(void *ctx, const struct store_receipt *r), void *ctx)
{
	PGresult *r;
	int rc = query(s, id, p, &r);
	if (rc)
		return rc;
	int n = PQntuples(r);
	for (int i = 0; i < n && !rc; i++) {
		struct store_receipt x = {
			.seq = col_i64(r, i, 0),
			.recipient = col_text(r, i, 1),
			.type = col_int(r, i, 2),
			.doc_kind = col_int(r, i, 3),
			.doc_key = col_text(r, i, 4),
			.status = col_text(r, i, 5),
			.created = col_i64(r, i, 6),
			.xml = col_text(r, i, 7),
		};
		rc = fn(ctx, &x);
	}
	PQclear(r);
	return rc;
}

static void p_limit(struct params *p, int limit)
{
	if (limit < 0)
		p_text(p, NULL); /* LIMIT NULL: all, as SQLite's negative limit */
	else
		p_int(p, limit);
}

static int pg_receipts_after(struct store *base, const char *recipient, int64_t after, int limit,
			     int (*fn)(void *ctx, const struct store_receipt *r), void *ctx)
{
	struct params p = {0};
	if (recipient)
		p_text(&p, recipient);
	p_int(&p, after);
	p_limit(&p, limit);
	return each_receipt((struct pg *)base, recipient ? S_RECEIPTS_AFTER : S_RECEIPTS_AFTER_ALL,
			    &p, fn, ctx);
}

static int pg_receipts_of_doc(struct store *base, int doc_kind, const char *doc_key,
			      int (*fn)(void *ctx, const struct store_receipt *r), void *ctx)
{
	struct params p = {0};
	p_int(&p, doc_kind);
	p_text(&p, doc_key);
	return each_receipt((struct pg *)base, S_RECEIPTS_DOC, &p, fn, ctx);
}

/* doc_id is not used: PostgreSQL's receipts are found by (doc_kind, doc_key). */
static int pg_receipt_exists(struct store *base, int doc_kind, const char *doc_key, int64_t doc_id,
			     const char *status, bool *exists)
{
	(void)doc_id;
	struct params p = {0};
	p_int(&p, doc_kind);
	p_text(&p, doc_key);
	p_text(&p, status);
	PGresult *r;
	*exists = false;
	int rc = query((struct pg *)base, S_RECEIPT_EXISTS, &p, &r);
	if (rc)
		return rc;
	*exists = PQntuples(r) > 0;
	PQclear(r);
	return 0;
}

/* ---- quota ---- */

static int pg_quota_get(struct store *base, const char *buyer, int year, int64_t *reserved,
			int64_t *committed)
{
	struct params p = {0};
	p_text(&p, buyer);
	p_int(&p, year);
	*reserved = *committed = 0;
	PGresult *r;
	int rc = query((struct pg *)base, S_QUOTA_GET, &p, &r);
	if (rc)
		return rc;
	if (PQntuples(r)) {
		*reserved = col_i64(r, 0, 0);
		*committed = col_i64(r, 0, 1);
	}
	PQclear(r);
	return 0;
}

static int pg_quota_add(struct store *base, const char *buyer, int year, int64_t d_reserved,
			int64_t d_committed)
{
	struct params p = {0};
	p_text(&p, buyer);
	p_int(&p, year);
	p_int(&p, d_reserved);
	p_int(&p, d_committed);
	return exec_later((struct pg *)base, S_QUOTA_ADD, &p);
}

static int pg_hold_put(struct store *base, const struct store_hold *h)
{
	struct params p = {0};
	p_int(&p, h->list_id);
	p_text(&p, h->buyer);
	p_int(&p, h->year);
	p_int(&p, h->amount);
	p_int(&p, h->state);
	return exec_later((struct pg *)base, S_HOLD_PUT, &p);
}

static void read_hold(const PGresult *r, void *to)
{
	struct store_hold *out = to;
	out->list_id = col_i64(r, 0, 0);
	out->buyer = dup_col(r, 0, 1);
	out->year = col_int(r, 0, 2);
	out->amount = col_i64(r, 0, 3);
	out->state = col_int(r, 0, 4);
}

static int pg_hold_get(struct store *base, int64_t list_id, struct store_hold *out)
{
	struct params p = {0};
	p_int(&p, list_id);
	return one_row((struct pg *)base, S_HOLD_GET, &p, out, sizeof *out, read_hold);
}

/* ---- tax ---- */

static int pg_tax_put(struct store *base, const struct store_tax *t)
{
	struct params p = {0};
	p_int(&p, t->list_id);
	p_int(&p, t->dutiable);
	p_int(&p, t->customs_tax);
	p_int(&p, t->vat);
	p_int(&p, t->ct);
	p_int(&p, t->total);
	p_int(&p, t->full_rate);
	p_text(&p, t->lines_json);
	return exec_later((struct pg *)base, S_TAX_PUT, &p);
}

static void read_tax(const PGresult *r, void *to)
{
	struct store_tax *out = to;
	out->list_id = col_i64(r, 0, 0);
	out->dutiable = col_i64(r, 0, 1);
	out->customs_tax = col_i64(r, 0, 2);
	out->vat = col_i64(r, 0, 3);
	out->ct = col_i64(r, 0, 4);
	out->total = col_i64(r, 0, 5);
	out->full_rate = col_i64(r, 0, 6) != 0;
	out->lines_json = dup_col(r, 0, 7);
}

static int pg_tax_get(struct store *base, int64_t list_id, struct store_tax *out)
{
	struct params p = {0};
	p_int(&p, list_id);
	return one_row((struct pg *)base, S_TAX_GET, &p, out, sizeof *out, read_tax);
}

/* ---- outbox and cursors ---- */

static int pg_out_add(struct store *base, int channel, const char *guid, int64_t msg_id,
		      const char *body, size_t len, int64_t *seq)
{
	struct pg *s = (struct pg *)base;
	int64_t id;
	int rc = next_id(s, ID_OUT, &id);
	if (rc)
		return rc;
	struct params p = {0};
	p_int(&p, id);
	p_int(&p, channel);
	p_text(&p, guid);
	if (body) {
		p_text(&p, NULL);
		p_bytes(&p, body, len);
	} else {
		p_int(&p, msg_id);
		p_bytes(&p, NULL, 0);
	}
	rc = exec_later(s, S_OUT_ADD, &p);
	if (!rc && seq)
		*seq = id;
	return rc;
}

static int pg_out_after(struct store *base, int channel, int64_t after, int limit,
			int (*fn)(void *ctx, const struct store_out *o), void *ctx)
{
	struct params p = {0};
	p_int(&p, channel);
	p_int(&p, after);
	p_limit(&p, limit);
	PGresult *r;
	int rc = query((struct pg *)base, S_OUT_AFTER, &p, &r);
	if (rc)
		return rc;
	int n = PQntuples(r);
	for (int i = 0; i < n && !rc; i++) {
		bool null = PQgetisnull(r, i, 3);
		struct store_out o = {
			.seq = col_i64(r, i, 0),
			.channel = col_int(r, i, 1),
			.guid = col_text(r, i, 2),
			.body = null ? NULL : PQgetvalue(r, i, 3),
			.body_len = null ? 0 : (size_t)PQgetlength(r, i, 3),
		};
		rc = fn(ctx, &o);
	}
	PQclear(r);
	return rc;
}

static int pg_cursor_get(struct store *base, const char *name, int64_t *value)
{
	struct params p = {0};
	p_text(&p, name);
	*value = 0;
	PGresult *r;
	int rc = query((struct pg *)base, S_CURSOR_GET, &p, &r);
	if (rc)
		return rc;
	if (PQntuples(r))
		*value = col_i64(r, 0, 0);
	PQclear(r);
	return 0;
}

static int pg_cursor_set(struct store *base, const char *name, int64_t value)
{
	struct params p = {0};
	p_text(&p, name);
	p_int(&p, value);
	return exec_later((struct pg *)base, S_CURSOR_SET, &p);
}

/* ---- accounts ---- */

static int pg_account_put(struct store *base, const struct store_account *a)
{
	struct params p = {0};
	p_text(&p, a->code);
	p_text(&p, a->name);
	p_int(&p, a->role);
	p_text(&p, a->token_hash);
	p_int(&p, a->created);
	return exec_later((struct pg *)base, S_ACCOUNT_PUT, &p);
}

static void read_account(const PGresult *r, void *to)
{
	struct store_account *out = to;
	out->code = dup_col(r, 0, 0);
	out->name = dup_col(r, 0, 1);
	out->role = col_int(r, 0, 2);
	out->token_hash = dup_col(r, 0, 3);
	out->created = col_i64(r, 0, 4);
}

static int account_one(struct pg *s, enum stmt_id id, const char *arg, struct store_account *out)
{
	struct params p = {0};
	p_text(&p, arg);
	return one_row(s, id, &p, out, sizeof *out, read_account);
}

static int pg_account_by_token_hash(struct store *base, const char *hash, struct store_account *out)
{
	return account_one((struct pg *)base, S_ACCOUNT_BY_HASH, hash, out);
}

static int pg_account_get(struct store *base, const char *code, struct store_account *out)
{
	return account_one((struct pg *)base, S_ACCOUNT_GET, code, out);
}

/* ---- figures ---- */

static int64_t scalar(struct pg *s, enum stmt_id id)
{
	PGresult *r;
	if (query(s, id, NULL, &r))
		return -1;
	int64_t v = PQntuples(r) ? col_i64(r, 0, 0) : -1;
	PQclear(r);
	return v;
}

static int pg_lists_count(struct store *base, struct store_lists *out)
{
	struct pg *s = (struct pg *)base;
	memset(out, 0, sizeof *out);
	out->last_receipt = scalar(s, S_MAX_RECEIPT);
	PGresult *r;
	if (out->last_receipt < 0 || query(s, S_COUNT_LISTS, NULL, &r))
		return CBEC_ESTORE;
	for (int i = 0; i < PQntuples(r); i++) {
		int st = col_int(r, i, 0);
		if (st > 0 && st < DOC_STATE__N)
			out->by_state[st] = col_i64(r, i, 1);
	}
	PQclear(r);
	return 0;
}

static void read_tally(const PGresult *r, void *to)
{
	struct store_counts *out = to;
	out->messages = col_i64(r, 0, 0);
	out->rejected_messages = col_i64(r, 0, 1);
	out->documents = col_i64(r, 0, 2);
	out->receipts = col_i64(r, 0, 3);
}

static int pg_counts(struct store *base, struct store_counts *out)
{
	int rc = one_row((struct pg *)base, S_TALLY_GET, NULL, out, sizeof *out, read_tally);
	return rc == CBEC_ENOTFOUND ? CBEC_ESTORE : rc; /* migration 4 wrote the row */
}

/* Queued with the transaction's other writes, just before its COMMIT. */
static int pg_tally_add(struct store *base, const struct store_tally *d)
{
	struct params p = {0};
	p_int(&p, d->messages);
	p_int(&p, d->rejected);
	p_int(&p, d->documents);
	p_int(&p, d->receipts);
	return exec_later((struct pg *)base, S_TALLY_ADD, &p);
}

/* ---- the 1210 bonded account ---- */

static void read_bonded_item(const PGresult *r, int i, struct store_bonded_item *it)
{
	it->ems_no = dup_col(r, i, 0);
	it->item_no = dup_col(r, i, 1);
	it->owner = dup_col(r, i, 2);
	it->gcode = dup_col(r, i, 3);
	it->gname = dup_col(r, i, 4);
	it->unit = dup_col(r, i, 5);
	it->balance = col_i64(r, i, 6);
	it->reserved = col_i64(r, i, 7);
	it->committed = col_i64(r, i, 8);
	it->updated = col_i64(r, i, 9);
}

static int pg_b_get(struct store *base, const char *ems_no, const char *item_no,
		    struct store_bonded_item *out)
{
	struct params p = {0};
	p_text(&p, ems_no);
	p_text(&p, item_no);
	memset(out, 0, sizeof *out);
	PGresult *r;
	int rc = query((struct pg *)base, S_B_GET, &p, &r);
	if (rc)
		return rc;
	if (PQntuples(r))
		read_bonded_item(r, 0, out);
	else
		rc = CBEC_ENOTFOUND;
	PQclear(r);
	return rc;
}

/* An insert that says whether it inserted: one row back, or none when the key exists. */
static int insert_new(struct pg *s, enum stmt_id id, const struct params *p)
{
	PGresult *r;
	int rc = query(s, id, p, &r);
	if (rc)
		return rc;
	rc = PQntuples(r) == 1 ? 0 : CBEC_EEXIST;
	PQclear(r);
	return rc;
}

static int pg_b_create(struct store *base, const struct store_bonded_item *it)
{
	struct params p = {0};
	p_text(&p, it->ems_no);
	p_text(&p, it->item_no);
	p_text(&p, it->owner);
	p_text(&p, it->gcode);
	p_text(&p, it->gname);
	p_text(&p, it->unit);
	p_int(&p, it->balance);
	p_int(&p, it->reserved);
	p_int(&p, it->committed);
	p_int(&p, it->updated);
	return insert_new((struct pg *)base, S_B_CREATE, &p);
}

static int pg_b_add(struct store *base, const char *ems_no, const char *item_no, int64_t d_balance,
		    int64_t d_reserved, int64_t d_committed, int64_t now)
{
	struct params p = {0};
	p_text(&p, ems_no);
	p_text(&p, item_no);
	p_int(&p, d_balance);
	p_int(&p, d_reserved);
	p_int(&p, d_committed);
	p_int(&p, now);
	return exec_later((struct pg *)base, S_B_ADD, &p);
}

static int pg_b_each(struct store *base, const char *ems_no,
		     int (*fn)(void *ctx, const struct store_bonded_item *it), void *ctx)
{
	struct params p = {0};
	if (ems_no)
		p_text(&p, ems_no);
	PGresult *r;
	int rc = query((struct pg *)base, ems_no ? S_B_EACH : S_B_EACH_ALL, &p, &r);
	if (rc)
		return rc;
	for (int i = 0; i < PQntuples(r) && !rc; i++) {
		struct store_bonded_item it;
		memset(&it, 0, sizeof it);
		read_bonded_item(r, i, &it);
		rc = fn(ctx, &it);
		store_bonded_item_clear(&it);
	}
	PQclear(r);
	return rc;
}

static void read_owner(const PGresult *r, void *to)
{
	*(char **)to = dup_col(r, 0, 0);
}

static int pg_b_keeper(struct store *base, const char *ems_no, char **owner)
{
	struct params p = {0};
	p_text(&p, ems_no);
	int rc = one_row((struct pg *)base, S_B_KEEPER, &p, owner, sizeof *owner, read_owner);
	return rc ? rc : *owner ? 0 : CBEC_ENOMEM;
}

static int pg_b_move_add(struct store *base, const struct store_bonded_move *m)
{
	struct params p = {0};
	p_text(&p, m->ems_no);
	p_text(&p, m->item_no);
	p_int(&p, m->op);
	p_int(&p, m->qty);
	p_text(&p, m->doc);
	p_text(&p, m->reason);
	p_int(&p, m->at);
	return exec_later((struct pg *)base, S_B_MOVE_ADD, &p);
}

static int pg_b_moves_of(struct store *base, const char *ems_no, const char *item_no,
			 int (*fn)(void *ctx, const struct store_bonded_move *m), void *ctx)
{
	struct params p = {0};
	p_text(&p, ems_no);
	p_text(&p, item_no);
	PGresult *r;
	int rc = query((struct pg *)base, S_B_MOVES_OF, &p, &r);
	if (rc)
		return rc;
	for (int i = 0; i < PQntuples(r) && !rc; i++) {
		struct store_bonded_move m = {
			.id = col_i64(r, i, 0),
			.ems_no = col_text(r, i, 1),
			.item_no = col_text(r, i, 2),
			.op = col_int(r, i, 3),
			.qty = col_i64(r, i, 4),
			.doc = col_text(r, i, 5),
			.reason = col_text(r, i, 6),
			.at = col_i64(r, i, 7),
		};
		rc = fn(ctx, &m); /* borrowed from the result */
	}
	PQclear(r);
	return rc;
}

static int pg_b_entry_get(struct store *base, const char *ems_no, const char *entry,
			  const char *item_no, struct store_bonded_entry *out)
{
	struct params p = {0};
	p_text(&p, ems_no);
	p_text(&p, entry);
	p_text(&p, item_no);
	memset(out, 0, sizeof *out);
	PGresult *r;
	int rc = query((struct pg *)base, S_B_ENTRY_GET, &p, &r);
	if (rc)
		return rc;
	if (PQntuples(r)) {
		out->ems_no = dup_col(r, 0, 0);
		out->entry = dup_col(r, 0, 1);
		out->item_no = dup_col(r, 0, 2);
		out->owner = dup_col(r, 0, 3);
		out->qty = col_i64(r, 0, 4);
		out->at = col_i64(r, 0, 5);
	} else {
		rc = CBEC_ENOTFOUND;
	}
	PQclear(r);
	return rc;
}

static int pg_b_entry_put(struct store *base, const struct store_bonded_entry *e)
{
	struct params p = {0};
	p_text(&p, e->ems_no);
	p_text(&p, e->entry);
	p_text(&p, e->item_no);
	p_text(&p, e->owner);
	p_int(&p, e->qty);
	p_int(&p, e->at);
	return insert_new((struct pg *)base, S_B_ENTRY_PUT, &p);
}

static int pg_b_hold_put(struct store *base, const struct store_bonded_hold *h)
{
	struct params p = {0};
	p_int(&p, h->list_id);
	p_int(&p, h->gnum);
	p_text(&p, h->ems_no);
	p_text(&p, h->item_no);
	p_int(&p, h->qty);
	p_int(&p, h->decl_qty);
	p_int(&p, h->back);
	p_int(&p, h->state);
	return exec_later((struct pg *)base, S_B_HOLD_PUT, &p);
}

static int pg_b_holds_of(struct store *base, int64_t list_id,
			 int (*fn)(void *ctx, const struct store_bonded_hold *h), void *ctx)
{
	struct params p = {0};
	p_int(&p, list_id);
	PGresult *r;
	int rc = query((struct pg *)base, S_B_HOLDS_OF, &p, &r);
	if (rc)
		return rc;
	for (int i = 0; i < PQntuples(r) && !rc; i++) {
		struct store_bonded_hold h = {
			.list_id = col_i64(r, i, 0),
			.gnum = col_int(r, i, 1),
			.ems_no = col_text(r, i, 2),
			.item_no = col_text(r, i, 3),
			.qty = col_i64(r, i, 4),
			.decl_qty = col_i64(r, i, 5),
			.back = col_i64(r, i, 6),
			.state = col_int(r, i, 7),
		};
		rc = fn(ctx, &h); /* borrowed from the result */
	}
	PQclear(r);
	return rc;
}

static const struct store_bonded_ops pg_bonded_ops = {
	.get = pg_b_get,
	.create = pg_b_create,
	.add = pg_b_add,
	.each = pg_b_each,
	.keeper = pg_b_keeper,
	.move_add = pg_b_move_add,
	.moves_of = pg_b_moves_of,
	.entry_get = pg_b_entry_get,
	.entry_put = pg_b_entry_put,
	.hold_put = pg_b_hold_put,
	.holds_of = pg_b_holds_of,
};

int store_pg_ext(struct store *base, int slot, const char *text, int nparams,
		 const char *const *params, struct pg_result **out)
{
	struct pg *s = (struct pg *)base;
	if (slot < 0 || slot >= STORE_PG_EXT_SLOTS || nparams > MAXP)
		return CBEC_EINVAL;
	s->ext_sql[slot] = text;
	struct params p = {0};
	for (int i = 0; i < nparams; i++)
		p_text(&p, params[i]);
	/* a write nobody reads is queued like the backend's own; a read waits for its result */
	if (!out)
		return exec_later(s, (enum stmt_id)(S_EXT0 + slot), &p);
	return query(s, (enum stmt_id)(S_EXT0 + slot), &p, (PGresult **)out);
}

static const struct store_ops pg_ops = {
	.bonded = &pg_bonded_ops,
	.summary = &store_pg_summary_ops,
	.name = "postgresql",
	.close = pg_close,
	.schema_version = pg_schema_version,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.savepoint = pg_savepoint,
	.release = pg_release,
	.rollback_to = pg_rollback_to,
	.written = pg_written,
	.msg_get = pg_msg_get,
	.msg_put = pg_msg_put,
	.msg_set_answer = pg_msg_set_answer,
	.msg_verdict = pg_msg_verdict,
	.doc_get = pg_doc_get,
	.doc_by_link = pg_doc_by_link,
	.doc_by_ref = pg_doc_by_ref,
	.doc_by_guid = pg_doc_by_guid,
	.doc_body = pg_doc_body,
	.doc_put = pg_doc_put,
	.doc_set_state = pg_doc_set_state,
	.doc_set_ref = pg_doc_set_ref,
	.doc_each_stale = pg_doc_each_stale,
	.read_ahead = pg_read_ahead,
	.event_add = pg_event_add,
	.events_of = pg_events_of,
	.receipt_add = pg_receipt_add,
	.receipts_after = pg_receipts_after,
	.receipt_exists = pg_receipt_exists,
	.receipts_of_doc = pg_receipts_of_doc,
	.quota_get = pg_quota_get,
	.quota_add = pg_quota_add,
	.hold_put = pg_hold_put,
	.hold_get = pg_hold_get,
	.tax_put = pg_tax_put,
	.tax_get = pg_tax_get,
	.out_add = pg_out_add,
	.out_after = pg_out_after,
	.cursor_get = pg_cursor_get,
	.cursor_set = pg_cursor_set,
	.account_put = pg_account_put,
	.account_by_token_hash = pg_account_by_token_hash,
	.account_get = pg_account_get,
	.counts = pg_counts,
	.tally_add = pg_tally_add,
	.lists_count = pg_lists_count,
};
