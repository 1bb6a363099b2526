/* The 1210 bonded account on the SQLite store (schema: STORE_SQLITE_BONDED_MIGRATION).
 * Kept apart from store_sqlite.c; statements are cached in the connection's extension
 * slots. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "store/store_impl.h"

enum {
	B_GET,
	B_CREATE,
	B_ADD,
	B_EACH,
	B_EACH_ALL,
	B_KEEPER,
	B_MOVE_ADD,
	B_MOVES_OF,
	B_ENTRY_GET,
	B_ENTRY_PUT,
	B_HOLD_PUT,
	B_HOLDS_OF,
	B__N
};
_Static_assert(B__N <= STORE_SQLITE_EXT_SLOTS, "more statements than extension slots");

#define ITEM_COLS                                                                                  \
	"ems_no, item_no, owner, gcode, gname, unit, balance, reserved, committed, updated"

static const char *const sql[B__N] = {
    [B_GET] = "SELECT " ITEM_COLS " FROM bonded_item WHERE ems_no = ? AND item_no = ?",
    [B_CREATE] = "INSERT INTO bonded_item(" ITEM_COLS ") VALUES(?,?,?,?,?,?,?,?,?,?)",
    [B_ADD] = "UPDATE bonded_item SET balance = balance + ?3, reserved = reserved + ?4,"
              " committed = committed + ?5, updated = ?6 WHERE ems_no = ?1 AND item_no = ?2",
    [B_EACH] = "SELECT " ITEM_COLS " FROM bonded_item WHERE ems_no = ? ORDER BY item_no",
    [B_EACH_ALL] = "SELECT " ITEM_COLS " FROM bonded_item ORDER BY ems_no, item_no",
    [B_KEEPER] = "SELECT owner FROM bonded_item WHERE ems_no = ? ORDER BY item_no LIMIT 1",
    /* the chain (migration 8): prev is the item's last movement; the trigger makes this one
     * it and applies the movement to the item's figures (migration 11) */
    [B_MOVE_ADD] = "INSERT INTO bonded_move(ems_no, item_no, op, qty, doc, reason, at, prev)"
                   " VALUES(?1,?2,?3,?4,?5,?6,?7,"
                   " (SELECT last_move FROM bonded_item WHERE ems_no = ?1 AND item_no = ?2))",
    [B_MOVES_OF] = "WITH RECURSIVE chain(id) AS (SELECT last_move FROM bonded_item"
                   " WHERE ems_no = ? AND item_no = ? UNION ALL SELECT m.prev FROM bonded_move m"
                   " JOIN chain c ON m.id = c.id WHERE m.prev IS NOT NULL)"
                   " SELECT id, ems_no, item_no, op, qty, doc, reason, at FROM bonded_move"
                   " WHERE id IN chain ORDER BY id",
    [B_ENTRY_GET] = "SELECT ems_no, entry, item_no, owner, qty, at FROM bonded_entry"
                    " WHERE ems_no = ? AND entry = ? AND item_no = ?",
    [B_ENTRY_PUT] =
        "INSERT INTO bonded_entry(ems_no, entry, item_no, owner, qty, at) VALUES(?,?,?,?,?,?)",
    [B_HOLD_PUT] = "INSERT OR REPLACE INTO bonded_hold(list_id, gnum, ems_no, item_no, qty, "
                   "decl_qty, back, state)"
                   " VALUES(?,?,?,?,?,?,?,?)",
    [B_HOLDS_OF] =
        "SELECT list_id, gnum, ems_no, item_no, qty, decl_qty, back, state FROM bonded_hold"
        " WHERE list_id = ? ORDER BY gnum",
};

static sqlite3_stmt *stmt(struct store *s, int id)
{
	return store_sqlite_ext_stmt(s, id, sql[id]);
}

static char *dup_col(sqlite3_stmt *q, int col)
{
	const unsigned char *t = sqlite3_column_text(q, col);
	return t ? strdup((const char *)t) : NULL;
}

static void bind_text(sqlite3_stmt *q, int i, const char *t)
{
	if (t)
		sqlite3_bind_text(q, i, t, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, i);
}

static int done(sqlite3_stmt *q)
{
	int rc = sqlite3_step(q);
	int ext = sqlite3_extended_errcode(sqlite3_db_handle(q));
	sqlite3_reset(q);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		return 0;
	return ext == SQLITE_CONSTRAINT_PRIMARYKEY || ext == SQLITE_CONSTRAINT_UNIQUE ? CBEC_EEXIST
	                                                                              : CBEC_ESTORE;
}

static void read_item(sqlite3_stmt *q, struct store_bonded_item *it)
{
	it->ems_no = dup_col(q, 0);
	it->item_no = dup_col(q, 1);
	it->owner = dup_col(q, 2);
	it->gcode = dup_col(q, 3);
	it->gname = dup_col(q, 4);
	it->unit = dup_col(q, 5);
	it->balance = sqlite3_column_int64(q, 6);
	it->reserved = sqlite3_column_int64(q, 7);
	it->committed = sqlite3_column_int64(q, 8);
	it->updated = sqlite3_column_int64(q, 9);
}

static int b_get(struct store *s, const char *ems_no, const char *item_no,
                 struct store_bonded_item *out)
{
	sqlite3_stmt *q = stmt(s, B_GET);
	memset(out, 0, sizeof *out);
	if (!q)
		return CBEC_ESTORE;
	bind_text(q, 1, ems_no);
	bind_text(q, 2, item_no);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		read_item(q, out);
	sqlite3_reset(q);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? CBEC_ENOTFOUND : CBEC_ESTORE;
}

static int b_create(struct store *s, const struct store_bonded_item *it)
{
	sqlite3_stmt *q = stmt(s, B_CREATE);
	if (!q)
		return CBEC_ESTORE;
	bind_text(q, 1, it->ems_no);
	bind_text(q, 2, it->item_no);
	bind_text(q, 3, it->owner);
	bind_text(q, 4, it->gcode);
	bind_text(q, 5, it->gname);
	bind_text(q, 6, it->unit);
	sqlite3_bind_int64(q, 7, it->balance);
	sqlite3_bind_int64(q, 8, it->reserved);
	sqlite3_bind_int64(q, 9, it->committed);
	sqlite3_bind_int64(q, 10, it->updated);
	return done(q);
}

static int b_add(struct store *s, const char *ems_no, const char *item_no, int64_t d_balance,
                 int64_t d_reserved, int64_t d_committed, int64_t now)
{
	sqlite3_stmt *q = stmt(s, B_ADD);
	if (!q)
		return CBEC_ESTORE;
	bind_text(q, 1, ems_no);
	bind_text(q, 2, item_no);
	sqlite3_bind_int64(q, 3, d_balance);
	sqlite3_bind_int64(q, 4, d_reserved);
	sqlite3_bind_int64(q, 5, d_committed);
	sqlite3_bind_int64(q, 6, now);
	int rc = done(q);
	if (!rc && sqlite3_changes(sqlite3_db_handle(q)) != 1)
		rc = CBEC_ENOTFOUND;
	return rc;
}

static int b_each(struct store *s, const char *ems_no,
                  int (*fn)(void *ctx, const struct store_bonded_item *it), void *ctx)
{
	sqlite3_stmt *q = stmt(s, ems_no ? B_EACH : B_EACH_ALL);
	if (!q)
		return CBEC_ESTORE;
	if (ems_no)
		bind_text(q, 1, ems_no);
	int rc, ret = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct store_bonded_item it;
		memset(&it, 0, sizeof it);
		read_item(q, &it);
		ret = fn(ctx, &it);
		store_bonded_item_clear(&it);
		if (ret)
			break;
	}
	sqlite3_reset(q);
	return ret ? ret : rc == SQLITE_DONE ? 0 : CBEC_ESTORE;
}

static int b_keeper(struct store *s, const char *ems_no, char **owner)
{
	sqlite3_stmt *q = stmt(s, B_KEEPER);
	if (!q)
		return CBEC_ESTORE;
	bind_text(q, 1, ems_no);
	int rc = sqlite3_step(q);
	int ret = rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? CBEC_ENOTFOUND : CBEC_ESTORE;
	if (!ret && !(*owner = dup_col(q, 0)))
		ret = CBEC_ENOMEM;
	sqlite3_reset(q);
	return ret;
}

static int b_move_add(struct store *s, const struct store_bonded_move *m)
{
	sqlite3_stmt *q = stmt(s, B_MOVE_ADD);
	if (!q)
		return CBEC_ESTORE;
	bind_text(q, 1, m->ems_no);
	bind_text(q, 2, m->item_no);
	sqlite3_bind_int(q, 3, m->op);
	sqlite3_bind_int64(q, 4, m->qty);
	bind_text(q, 5, m->doc);
	bind_text(q, 6, m->reason);
	sqlite3_bind_int64(q, 7, m->at);
	return done(q);
}

static int b_moves_of(struct store *s, const char *ems_no, const char *item_no,
                      int (*fn)(void *ctx, const struct store_bonded_move *m), void *ctx)
{
	sqlite3_stmt *q = stmt(s, B_MOVES_OF);
	if (!q)
		return CBEC_ESTORE;
	bind_text(q, 1, ems_no);
	bind_text(q, 2, item_no);
	int rc, ret = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct store_bonded_move m = {
		    .id = sqlite3_column_int64(q, 0),
		    .ems_no = dup_col(q, 1),
		    .item_no = dup_col(q, 2),
		    .op = sqlite3_column_int(q, 3),
		    .qty = sqlite3_column_int64(q, 4),
		    .doc = dup_col(q, 5),
		    .reason = dup_col(q, 6),
		    .at = sqlite3_column_int64(q, 7),
		};
		ret = fn(ctx, &m);
		store_bonded_move_clear(&m);
		if (ret)
			break;
	}
	sqlite3_reset(q);
	return ret ? ret : rc == SQLITE_DONE ? 0 : CBEC_ESTORE;
}

static int b_entry_get(struct store *s, const char *ems_no, const char *entry, const char *item_no,
                       struct store_bonded_entry *out)
{
	sqlite3_stmt *q = stmt(s, B_ENTRY_GET);
	memset(out, 0, sizeof *out);
	if (!q)
		return CBEC_ESTORE;
	bind_text(q, 1, ems_no);
	bind_text(q, 2, entry);
	bind_text(q, 3, item_no);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		out->ems_no = dup_col(q, 0);
		out->entry = dup_col(q, 1);
		out->item_no = dup_col(q, 2);
		out->owner = dup_col(q, 3);
		out->qty = sqlite3_column_int64(q, 4);
		out->at = sqlite3_column_int64(q, 5);
	}
	sqlite3_reset(q);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? CBEC_ENOTFOUND : CBEC_ESTORE;
}

static int b_entry_put(struct store *s, const struct store_bonded_entry *e)
{
	sqlite3_stmt *q = stmt(s, B_ENTRY_PUT);
	if (!q)
		return CBEC_ESTORE;
	bind_text(q, 1, e->ems_no);
	bind_text(q, 2, e->entry);
	bind_text(q, 3, e->item_no);
	bind_text(q, 4, e->owner);
	sqlite3_bind_int64(q, 5, e->qty);
	sqlite3_bind_int64(q, 6, e->at);
	return done(q);
}

static int b_hold_put(struct store *s, const struct store_bonded_hold *h)
{
	sqlite3_stmt *q = stmt(s, B_HOLD_PUT);
	if (!q)
		return CBEC_ESTORE;
	sqlite3_bind_int64(q, 1, h->list_id);
	sqlite3_bind_int(q, 2, h->gnum);
	bind_text(q, 3, h->ems_no);
	bind_text(q, 4, h->item_no);
	sqlite3_bind_int64(q, 5, h->qty);
	sqlite3_bind_int64(q, 6, h->decl_qty);
	sqlite3_bind_int64(q, 7, h->back);
	sqlite3_bind_int(q, 8, h->state);
	return done(q);
}

static int b_holds_of(struct store *s, int64_t list_id,
                      int (*fn)(void *ctx, const struct store_bonded_hold *h), void *ctx)
{
	sqlite3_stmt *q = stmt(s, B_HOLDS_OF);
	if (!q)
		return CBEC_ESTORE;
	sqlite3_bind_int64(q, 1, list_id);
	int rc, ret = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct store_bonded_hold h = {
		    .list_id = sqlite3_column_int64(q, 0),
		    .gnum = sqlite3_column_int(q, 1),
		    .ems_no = dup_col(q, 2),
		    .item_no = dup_col(q, 3),
		    .qty = sqlite3_column_int64(q, 4),
		    .decl_qty = sqlite3_column_int64(q, 5),
		    .back = sqlite3_column_int64(q, 6),
		    .state = sqlite3_column_int(q, 7),
		};
		ret = fn(ctx, &h);
		store_bonded_hold_clear(&h);
		if (ret)
			break;
	}
	sqlite3_reset(q);
	return ret ? ret : rc == SQLITE_DONE ? 0 : CBEC_ESTORE;
}

const struct store_bonded_ops store_sqlite_bonded_ops = {
    .get = b_get,
    .create = b_create,
    .add = b_add,
    .each = b_each,
    .keeper = b_keeper,
    .move_add = b_move_add,
    .moves_of = b_moves_of,
    .entry_get = b_entry_get,
    .entry_put = b_entry_put,
    .hold_put = b_hold_put,
    .holds_of = b_holds_of,
};
