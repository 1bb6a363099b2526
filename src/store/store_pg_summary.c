/* Export summaries on the PostgreSQL store (schema: migration 3 in store_pg.c), through the
 * backend's extension statements (store_pg_ext): text parameters, binary results. */
#include <libpq-fe.h>
#include <stdio.h>
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
_Static_assert(U__N <= STORE_PG_EXT_SLOTS, "more statements than slots");

#define COLS                                                                                       \
	"id, doc_id, ebc, owner, period, summary_flag, item_name_flag, state, sum_no, detail, "    \
	"result,"                                                                                  \
	" created, updated"

static const char *const sql[U__N] = {
    [U_ADD] = "INSERT INTO summary(doc_id, ebc, owner, period, summary_flag, item_name_flag, state,"
              " sum_no, detail, result, created, updated)"
              " VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) RETURNING id",
    [U_GET] = "SELECT " COLS " FROM summary WHERE id = $1",
    [U_BY_DOC] = "SELECT " COLS " FROM summary WHERE doc_id = $1",
    [U_UPDATE] = "UPDATE summary SET state = $2, sum_no = coalesce($3, sum_no),"
                 " result = coalesce($4, result), updated = $5 WHERE id = $1 RETURNING id",
    [U_EACH] = "SELECT " COLS " FROM summary WHERE owner = $1 ORDER BY id DESC",
    [U_EACH_ALL] = "SELECT " COLS " FROM summary ORDER BY id DESC",
    [U_LIST_ADD] = "INSERT INTO summary_list(list_id, summary_id, invt_no) VALUES($1,$2,$3)",
    [U_OF_LIST] = "SELECT summary_id FROM summary_list WHERE list_id = $1",
    [U_LISTS] = "SELECT list_id, summary_id, invt_no FROM summary_list WHERE summary_id = $1"
                " ORDER BY invt_no",
    [U_FREE] = "DELETE FROM summary_list WHERE summary_id = $1",
};

static int run(struct store *s, int id, int n, const char *const *p, PGresult **out)
{
	return store_pg_ext(s, id, sql[id], n, p, (struct pg_result **)out);
}

/* Binary integers of any width: big-endian two's complement. */
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

static char *dup_col(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? NULL : strdup(PQgetvalue(r, row, col));
}

static void read_row(const PGresult *r, int i, struct store_summary *sm)
{
	sm->id = col_i64(r, i, 0);
	sm->doc_id = col_i64(r, i, 1);
	sm->ebc = dup_col(r, i, 2);
	sm->owner = dup_col(r, i, 3);
	sm->period = dup_col(r, i, 4);
	sm->summary_flag = (int)col_i64(r, i, 5);
	sm->item_name_flag = (int)col_i64(r, i, 6);
	sm->state = (int)col_i64(r, i, 7);
	sm->sum_no = dup_col(r, i, 8);
	sm->detail = dup_col(r, i, 9);
	sm->result = dup_col(r, i, 10);
	sm->created = col_i64(r, i, 11);
	sm->updated = col_i64(r, i, 12);
}

struct nums {
	char v[6][24];
};

static const char *num(struct nums *n, int i, int64_t x)
{
	snprintf(n->v[i], sizeof n->v[i], "%lld", (long long)x);
	return n->v[i];
}

static int u_add(struct store *s, struct store_summary *sm)
{
	struct nums n;
	const char *p[12] = {num(&n, 0, sm->doc_id),
	                     sm->ebc,
	                     sm->owner,
	                     sm->period,
	                     num(&n, 1, sm->summary_flag),
	                     num(&n, 2, sm->item_name_flag),
	                     num(&n, 3, sm->state),
	                     sm->sum_no,
	                     sm->detail,
	                     sm->result,
	                     num(&n, 4, sm->created),
	                     num(&n, 5, sm->updated)};
	PGresult *r;
	int rc = run(s, U_ADD, 12, p, &r);
	if (rc)
		return rc;
	sm->id = PQntuples(r) == 1 ? col_i64(r, 0, 0) : 0;
	PQclear(r);
	return sm->id ? 0 : CBEC_ESTORE;
}

static int get_by(struct store *s, int which, int64_t v, struct store_summary *out)
{
	memset(out, 0, sizeof *out);
	struct nums n;
	const char *p[1] = {num(&n, 0, v)};
	PGresult *r;
	int rc = run(s, which, 1, p, &r);
	if (rc)
		return rc;
	rc = PQntuples(r) == 1 ? 0 : CBEC_ENOTFOUND;
	if (!rc)
		read_row(r, 0, out);
	PQclear(r);
	return rc;
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
	struct nums n;
	const char *p[5] = {num(&n, 0, id), num(&n, 1, state), sum_no, result, num(&n, 2, now)};
	PGresult *r;
	int rc = run(s, U_UPDATE, 5, p, &r);
	if (rc)
		return rc;
	rc = PQntuples(r) == 1 ? 0 : CBEC_ENOTFOUND;
	PQclear(r);
	return rc;
}

static int u_each(struct store *s, const char *owner,
                  int (*fn)(void *ctx, const struct store_summary *sm), void *ctx)
{
	const char *p[1] = {owner};
	PGresult *r;
	int rc = owner ? run(s, U_EACH, 1, p, &r) : run(s, U_EACH_ALL, 0, NULL, &r);
	if (rc)
		return rc;
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		struct store_summary sm;
		memset(&sm, 0, sizeof sm);
		read_row(r, i, &sm);
		rc = fn(ctx, &sm);
		store_summary_clear(&sm);
	}
	PQclear(r);
	return rc;
}

static int u_list_add(struct store *s, int64_t summary_id, int64_t list_id, const char *invt_no)
{
	struct nums n;
	const char *p[3] = {num(&n, 0, list_id), num(&n, 1, summary_id), invt_no};
	/* waited for, so a second summary taking the list fails here, not at commit */
	PGresult *r;
	int rc = run(s, U_LIST_ADD, 3, p, &r);
	if (!rc)
		PQclear(r);
	return rc;
}

static int u_of_list(struct store *s, int64_t list_id, int64_t *summary_id)
{
	struct nums n;
	const char *p[1] = {num(&n, 0, list_id)};
	PGresult *r;
	int rc = run(s, U_OF_LIST, 1, p, &r);
	if (rc)
		return rc;
	rc = PQntuples(r) == 1 ? 0 : CBEC_ENOTFOUND;
	if (!rc)
		*summary_id = col_i64(r, 0, 0);
	PQclear(r);
	return rc;
}

static int u_lists(struct store *s, int64_t summary_id,
                   int (*fn)(void *ctx, const struct store_summary_list *l), void *ctx)
{
	struct nums n;
	const char *p[1] = {num(&n, 0, summary_id)};
	PGresult *r;
	int rc = run(s, U_LISTS, 1, p, &r);
	if (rc)
		return rc;
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		struct store_summary_list l = {col_i64(r, i, 0), col_i64(r, i, 1),
		                               PQgetvalue(r, i, 2)};
		rc = fn(ctx, &l);
	}
	PQclear(r);
	return rc;
}

static int u_free(struct store *s, int64_t summary_id)
{
	struct nums n;
	const char *p[1] = {num(&n, 0, summary_id)};
	return run(s, U_FREE, 1, p, NULL);
}

const struct store_summary_ops store_pg_summary_ops = {
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
