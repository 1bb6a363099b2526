/* Export summaries on the SQLite store (schema: STORE_SQLITE_SUMMARY_MIGRATION). Kept apart
 * from store_sqlite.c; statements are cached in the connection's extension slots from
 * STORE_SQLITE_SUMMARY_SLOT0. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "store/store_impl.h"

enum {
	U_ADD,
	U_GET,
	U_BY_DOC,
	U_UPDATE,
	U_EACH,
	U_EACH_ALL,
	U_LIST_ADD,
	U_OF_LIST,
	U_LISTS,
	U_FREE,
	U__N
};
_Static_assert(STORE_SQLITE_SUMMARY_SLOT0 + U__N <= STORE_SQLITE_EXT_SLOTS,
               "more statements than slots");

#define COLS                                                                                       \
	"id, doc_id, ebc, owner, period, summary_flag, item_name_flag, state, sum_no, detail, "    \
	"result,"                                                                                  \
	" created, updated"

static const char *const sql[U__N] = {
    [U_ADD] = "INSERT INTO summary(doc_id, ebc, owner, period, summary_flag, item_name_flag, state,"
              " sum_no, detail, result, created, updated) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)",
    [U_GET] = "SELECT " COLS " FROM summary WHERE id = ?",
    [U_BY_DOC] = "SELECT " COLS " FROM summary WHERE doc_id = ?",
    [U_UPDATE] = "UPDATE summary SET state = ?2, sum_no = coalesce(?3, sum_no),"
                 " result = coalesce(?4, result), updated = ?5 WHERE id = ?1",
    [U_EACH] = "SELECT " COLS " FROM summary WHERE owner = ? ORDER BY id DESC",
    [U_EACH_ALL] = "SELECT " COLS " FROM summary ORDER BY id DESC",
    [U_LIST_ADD] = "INSERT INTO summary_list(list_id, summary_id, invt_no) VALUES(?,?,?)",
    [U_OF_LIST] = "SELECT summary_id FROM summary_list WHERE list_id = ?",
    [U_LISTS] = "SELECT list_id, summary_id, invt_no FROM summary_list WHERE summary_id = ?"
                " ORDER BY invt_no",
    [U_FREE] = "DELETE FROM summary_list WHERE summary_id = ?",
};

static sqlite3_stmt *stmt(struct store *s, int id)
{
	return store_sqlite_ext_stmt(s, STORE_SQLITE_SUMMARY_SLOT0 + id, sql[id]);
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

static void read_row(sqlite3_stmt *q, struct store_summary *sm)
{
	sm->id = sqlite3_column_int64(q, 0);
	sm->doc_id = sqlite3_column_int64(q, 1);
	sm->ebc = dup_col(q, 2);
	sm->owner = dup_col(q, 3);
	sm->period = dup_col(q, 4);
	sm->summary_flag = sqlite3_column_int(q, 5);
	sm->item_name_flag = sqlite3_column_int(q, 6);
	sm->state = sqlite3_column_int(q, 7);
	sm->sum_no = dup_col(q, 8);
	sm->detail = dup_col(q, 9);
	sm->result = dup_col(q, 10);
	sm->created = sqlite3_column_int64(q, 11);
	sm->updated = sqlite3_column_int64(q, 12);
}

static int u_add(struct store *s, struct store_summary *sm)
{
	sqlite3_stmt *q = stmt(s, U_ADD);
	if (!q)
		return CBEC_ESTORE;
	sqlite3_bind_int64(q, 1, sm->doc_id);
	bind_text(q, 2, sm->ebc);
	bind_text(q, 3, sm->owner);
	bind_text(q, 4, sm->period);
	sqlite3_bind_int(q, 5, sm->summary_flag);
	sqlite3_bind_int(q, 6, sm->item_name_flag);
	sqlite3_bind_int(q, 7, sm->state);
	bind_text(q, 8, sm->sum_no);
	bind_text(q, 9, sm->detail);
	bind_text(q, 10, sm->result);
	sqlite3_bind_int64(q, 11, sm->created);
	sqlite3_bind_int64(q, 12, sm->updated);
	int rc = done(q);
	if (!rc)
		sm->id = sqlite3_last_insert_rowid(sqlite3_db_handle(q));
	return rc;
}

static int get_by(struct store *s, int which, int64_t v, struct store_summary *out)
{
	sqlite3_stmt *q = stmt(s, which);
	memset(out, 0, sizeof *out);
	if (!q)
		return CBEC_ESTORE;
	sqlite3_bind_int64(q, 1, v);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		read_row(q, out);
	sqlite3_reset(q);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? CBEC_ENOTFOUND : CBEC_ESTORE;
}

static int u_get(struct store *s, int64_t id, struct store_summary *out)
{
	return get_by(s, U_GET, id, out);
}

static int u_by_doc(struct store *s, int64_t doc_id, struct store_summary *out)
{
	return get_by(s, U_BY_DOC, doc_id, out);
}

static int u_update(struct store *s, int64_t id, int state, const char *sum_no, const char *result,
                    int64_t now)
{
	sqlite3_stmt *q = stmt(s, U_UPDATE);
	if (!q)
		return CBEC_ESTORE;
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_int(q, 2, state);
	bind_text(q, 3, sum_no);
	bind_text(q, 4, result);
	sqlite3_bind_int64(q, 5, now);
	int rc = done(q);
	if (!rc && sqlite3_changes(sqlite3_db_handle(q)) != 1)
		rc = CBEC_ENOTFOUND;
	return rc;
}

static int u_each(struct store *s, const char *owner,
                  int (*fn)(void *ctx, const struct store_summary *sm), void *ctx)
{
	sqlite3_stmt *q = stmt(s, owner ? U_EACH : U_EACH_ALL);
	if (!q)
		return CBEC_ESTORE;
	if (owner)
		bind_text(q, 1, owner);
	int rc, ret = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct store_summary sm;
		memset(&sm, 0, sizeof sm);
		read_row(q, &sm);
		ret = fn(ctx, &sm);
		store_summary_clear(&sm);
		if (ret)
			break;
	}
	sqlite3_reset(q);
	return ret ? ret : rc == SQLITE_DONE ? 0 : CBEC_ESTORE;
}

static int u_list_add(struct store *s, int64_t summary_id, int64_t list_id, const char *invt_no)
{
	sqlite3_stmt *q = stmt(s, U_LIST_ADD);
	if (!q)
		return CBEC_ESTORE;
	sqlite3_bind_int64(q, 1, list_id);
	sqlite3_bind_int64(q, 2, summary_id);
	bind_text(q, 3, invt_no);
	return done(q);
}

static int u_of_list(struct store *s, int64_t list_id, int64_t *summary_id)
{
	sqlite3_stmt *q = stmt(s, U_OF_LIST);
	if (!q)
		return CBEC_ESTORE;
	sqlite3_bind_int64(q, 1, list_id);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*summary_id = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? CBEC_ENOTFOUND : CBEC_ESTORE;
}

static int u_lists(struct store *s, int64_t summary_id,
                   int (*fn)(void *ctx, const struct store_summary_list *l), void *ctx)
{
	sqlite3_stmt *q = stmt(s, U_LISTS);
	if (!q)
		return CBEC_ESTORE;
	sqlite3_bind_int64(q, 1, summary_id);
	int rc, ret = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct store_summary_list l = {sqlite3_column_int64(q, 0),
		                               sqlite3_column_int64(q, 1),
		                               (char *)sqlite3_column_text(q, 2)};
		ret = fn(ctx, &l);
		if (ret)
			break;
	}
	sqlite3_reset(q);
	return ret ? ret : rc == SQLITE_DONE ? 0 : CBEC_ESTORE;
}

static int u_free(struct store *s, int64_t summary_id)
{
	sqlite3_stmt *q = stmt(s, U_FREE);
	if (!q)
		return CBEC_ESTORE;
	sqlite3_bind_int64(q, 1, summary_id);
	return done(q);
}

const struct store_summary_ops store_sqlite_summary_ops = {
    .add = u_add,
    .get = u_get,
    .by_doc = u_by_doc,
    .update = u_update,
    .each = u_each,
    .list_add = u_list_add,
    .of_list = u_of_list,
    .lists = u_lists,
    .free_lists = u_free,
};
