/* The store's public functions: store_open() picks the backend by URL, the rest forward to
 * the connection's table of operations (store_impl.h). What does not depend on the backend
 * (freeing results, state names) lives here. */
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "store/rcache.h"
#include "store/rpack.h"
#include "store/store_impl.h"

int store_open(const char *url, bool readonly, struct store **out, char *err, size_t errlen)
{
	if (!strncmp(url, "postgresql://", 13) || !strncmp(url, "postgres://", 11))
		return store_pg_open(url, readonly, out, err, errlen);
	if (!strncmp(url, "sqlite:", 7))
		return store_sqlite_open(url + 7, readonly, out, err, errlen);
	if (strstr(url, "://")) {
		snprintf(err, errlen, "unsupported store URL '%s' (use sqlite:PATH or postgresql://…)",
			 url);
		return CBEC_EINVAL;
	}
	return store_sqlite_open(url, readonly, out, err, errlen);
}

void store_close(struct store *s)
{
	if (!s)
		return;
	rcache_free(s->cache);
	buf_free(&s->rpack);
	s->ops->close(s);
}

int store_schema_version(struct store *s)
{
	return s->ops->schema_version(s);
}

/* ---- transactions and the running totals ---- */

/* Answers read ahead hold for the open transaction, as far as nothing of it is undone. */
static void forget_ahead(struct store *s)
{
	rcache_clear(s->cache);
}

static void tally_reset(struct store *s)
{
	s->tally = (struct store_tally){0};
	s->nsaved = 0;
	s->put_id = 0;
}

int store_begin(struct store *s)
{
	forget_ahead(s);
	int rc = s->ops->begin(s);
	if (!rc) {
		s->in_tx = true;
		tally_reset(s);
	}
	return rc;
}

int store_commit(struct store *s)
{
	const struct store_tally *t = &s->tally;
	if (s->in_tx && (t->messages || t->rejected || t->documents || t->receipts)) {
		int rc = s->ops->tally_add(s, t);
		if (rc)
			return rc;
		tally_reset(s); /* written: a retried commit must not add it twice */
	}
	forget_ahead(s);
	int rc = s->ops->commit(s);
	if (!rc)
		s->in_tx = false;
	return rc;
}

int store_rollback(struct store *s)
{
	s->in_tx = false;
	tally_reset(s);
	forget_ahead(s);
	return s->ops->rollback(s);
}

int store_written(struct store *s)
{
	return s->ops->written ? s->ops->written(s) : 0;
}

int store_savepoint(struct store *s)
{
	/* a savepoint outside a transaction would commit on release without the totals */
	if (!s->in_tx || s->nsaved == STORE_SAVEPOINTS)
		return CBEC_EINVAL;
	int rc = s->ops->savepoint(s);
	if (!rc)
		s->saved[s->nsaved++] = s->tally;
	return rc;
}

/* The savepoint's work is gone: so are its changes to the totals. */
static void tally_undo(struct store *s)
{
	if (s->nsaved)
		s->tally = s->saved[--s->nsaved];
	s->put_id = 0;
}

int store_release(struct store *s)
{
	int rc = s->ops->release(s);
	if (rc) {
		tally_undo(s);
		forget_ahead(s); /* the backend undid the savepoint's work */
	}
	else if (s->nsaved)
		s->nsaved--;
	return rc;
}

int store_rollback_to(struct store *s)
{
	int rc = s->ops->rollback_to(s);
	tally_undo(s);
	forget_ahead(s);
	return rc;
}

/* A write outside a transaction goes in one of its own, with its change to the totals. */
static int own_begin(struct store *s, bool *own)
{
	*own = !s->in_tx;
	return *own ? store_begin(s) : 0;
}

static int own_end(struct store *s, bool own, int rc)
{
	if (!own)
		return rc;
	if (rc) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s);
}

/* The cache, when the open transaction read ahead; NULL otherwise. */
static struct rcache *ahead(const struct store *s)
{
	return s->in_tx ? s->cache : NULL;
}

int store_msg_get(struct store *s, const char *guid, bool with_body, struct store_msg *out)
{
	if (ahead(s) && rcache_msg_get(s->cache, guid) == CBEC_ENOTFOUND) {
		memset(out, 0, sizeof *out);
		return CBEC_ENOTFOUND;
	}
	return s->ops->msg_get(s, guid, with_body, out);
}

int store_msg_put(struct store *s, const struct store_msg *m, int64_t *id)
{
	bool own;
	int rc = own_begin(s, &own);
	if (rc)
		return rc;
	int64_t nid = 0;
	rc = s->ops->msg_put(s, m, &nid);
	if (!rc) {
		s->tally.messages++;
		s->tally.rejected += m->verdict == 0;
		s->put_id = nid;
		s->put_verdict = m->verdict;
		if (id)
			*id = nid;
		if (ahead(s))
			rcache_msg_put(s->cache, m->guid);
	}
	return own_end(s, own, rc);
}

int store_msg_set_answer(struct store *s, int64_t id, const char *answer, int verdict)
{
	bool own;
	int rc = own_begin(s, &own);
	if (rc)
		return rc;
	int was = verdict;
	if (id == s->put_id && id)
		was = s->put_verdict;
	else if ((rc = s->ops->msg_verdict(s, id, &was)) == CBEC_ENOTFOUND)
		rc = 0, was = verdict; /* no such message: the update changes nothing */
	if (!rc)
		rc = s->ops->msg_set_answer(s, id, answer, verdict);
	if (!rc) {
		s->tally.rejected += (verdict == 0) - (was == 0);
		if (id == s->put_id)
			s->put_verdict = verdict;
	}
	return own_end(s, own, rc);
}

/* A cached answer (0 or CBEC_ENOTFOUND, out zeroed for a miss) or RCACHE_UNKNOWN. */
static int cached(int rc, struct store_doc *out)
{
	if (rc == CBEC_ENOTFOUND)
		memset(out, 0, sizeof *out);
	return rc;
}

int store_doc_get(struct store *s, int kind, const char *key, struct store_doc *out)
{
	int rc = ahead(s) ? cached(rcache_doc_get(s->cache, kind, key, out), out) : RCACHE_UNKNOWN;
	return rc != RCACHE_UNKNOWN ? rc : s->ops->doc_get(s, kind, key, out);
}

int store_doc_by_link(struct store *s, int kind, const char *link, struct store_doc *out)
{
	int rc = ahead(s) ? cached(rcache_doc_by_link(s->cache, kind, link, out), out) : RCACHE_UNKNOWN;
	return rc != RCACHE_UNKNOWN ? rc : s->ops->doc_by_link(s, kind, link, out);
}

int store_doc_by_ref(struct store *s, int kind, const char *ref, struct store_doc *out)
{
	return s->ops->doc_by_ref(s, kind, ref, out);
}

bool store_guid_indexed(int kind)
{
#define CASE_(k) case k:
	switch (kind) {
	STORE_GUID_UNINDEXED_KINDS(CASE_)
		return false;
	default:
		return true;
	}
#undef CASE_
}

int store_doc_by_guid(struct store *s, const char *guid, struct store_doc *out)
{
	int rc = ahead(s) ? cached(rcache_doc_by_guid(s->cache, guid, out), out) : RCACHE_UNKNOWN;
	return rc != RCACHE_UNKNOWN ? rc : s->ops->doc_by_guid(s, guid, out);
}

int store_doc_body(struct store *s, struct store_doc *d)
{
	if (d->body)
		return 0;
	return s->ops->doc_body(s, d->id, &d->body, &d->body_len);
}

int store_doc_put(struct store *s, struct store_doc *d)
{
	bool own;
	int rc = own_begin(s, &own);
	if (rc)
		return rc;
	bool insert = !d->id;
	rc = s->ops->doc_put(s, d);
	if (!rc && insert)
		s->tally.documents++;
	if (!rc && ahead(s))
		rcache_put(s->cache, d, insert); /* fails only by emptying itself */
	return own_end(s, own, rc);
}

int store_doc_set_state(struct store *s, int64_t id, int state, int64_t now)
{
	int rc = s->ops->doc_set_state(s, id, state, now);
	if (!rc && ahead(s))
		rcache_set_state(s->cache, id, state, now);
	return rc;
}

int store_doc_set_ref(struct store *s, int64_t id, const char *ref)
{
	int rc = s->ops->doc_set_ref(s, id, ref);
	if (!rc && ahead(s))
		rcache_set_ref(s->cache, id, ref);
	return rc;
}

int store_read_ahead(struct store *s, const struct store_ahead *q)
{
	if (!s->in_tx)
		return CBEC_EINVAL;
	if (!s->ops->read_ahead)
		return 0;
	if (!s->cache && !(s->cache = rcache_new()))
		return CBEC_ENOMEM;
	int rc = s->ops->read_ahead(s, q, s->cache);
	if (rc)
		forget_ahead(s);
	return rc;
}

bool store_reads_ahead(const struct store *s)
{
	return s->ops->read_ahead != NULL;
}

void store_read_ahead_stats(const struct store *s, uint64_t *hits, uint64_t *misses)
{
	struct rcache_stats st;
	rcache_stats(s->cache, &st);
	*hits = st.hits;
	*misses = st.misses;
}

int store_doc_each_stale(struct store *s, int kind, int state, int64_t before, int (*fn)(void *ctx, const struct store_doc *d), void *ctx)
{
	return s->ops->doc_each_stale(s, kind, state, before, fn, ctx);
}

int store_event_add(struct store *s, const struct store_event *e)
{
	return s->ops->event_add(s, e);
}

int store_events_of(struct store *s, int64_t doc_id, int (*fn)(void *ctx, const struct store_event *e), void *ctx)
{
	return s->ops->events_of(s, doc_id, fn, ctx);
}

int store_receipt_add(struct store *s, const struct store_receipt *r, int64_t *seq)
{
	bool own;
	int rc = own_begin(s, &own);
	if (rc)
		return rc;
	struct store_receipt kept = *r;
	if (rpack_pack(&s->rpack, r->type, r->xml))
		kept.xml = s->rpack.p;
	rc = s->rpack.err ? CBEC_ENOMEM : s->ops->receipt_add(s, &kept, seq);
	if (!rc)
		s->tally.receipts++;
	if (!rc && ahead(s))
		rcache_receipt_add(s->cache, r->doc_kind, r->doc_key, r->status);
	return own_end(s, own, rc);
}

/* Receipts read: each handed on with its XML as it was added (rpack.h), made in a buffer
 * of the read's own (a callback may read receipts in turn). */
struct unpacking {
	int (*fn)(void *ctx, const struct store_receipt *r);
	void *ctx;
	struct buf whole;
};

static int unpack_one(void *ctx, const struct store_receipt *r)
{
	struct unpacking *u = ctx;
	if (!rpack_unpack(&u->whole, r->type, r->xml))
		return u->fn(u->ctx, r);
	if (u->whole.err)
		return CBEC_ENOMEM;
	struct store_receipt whole = *r;
	whole.xml = u->whole.p;
	return u->fn(u->ctx, &whole);
}

static int receipts_read(int rc, struct unpacking *u)
{
	buf_free(&u->whole);
	return rc;
}

int store_receipts_after(struct store *s, const char *recipient, int64_t after, int limit, int (*fn)(void *ctx, const struct store_receipt *r), void *ctx)
{
	struct unpacking u = {fn, ctx, BUF_INIT};
	return receipts_read(s->ops->receipts_after(s, recipient, after, limit, unpack_one, &u), &u);
}

int store_receipt_exists(struct store *s, int doc_kind, const char *doc_key, int64_t doc_id,
			 const char *status, bool *exists)
{
	int rc = ahead(s) ? rcache_receipt_exists(s->cache, doc_kind, doc_key, status) : RCACHE_UNKNOWN;
	if (rc != RCACHE_UNKNOWN) {
		*exists = rc == 0;
		return 0;
	}
	return s->ops->receipt_exists(s, doc_kind, doc_key, doc_id, status, exists);
}

int store_receipts_of_doc(struct store *s, int doc_kind, const char *doc_key, int (*fn)(void *ctx, const struct store_receipt *r), void *ctx)
{
	struct unpacking u = {fn, ctx, BUF_INIT};
	return receipts_read(s->ops->receipts_of_doc(s, doc_kind, doc_key, unpack_one, &u), &u);
}

int store_quota_get(struct store *s, const char *buyer, int year, int64_t *reserved, int64_t *committed)
{
	return s->ops->quota_get(s, buyer, year, reserved, committed);
}

int store_quota_add(struct store *s, const char *buyer, int year, int64_t d_reserved, int64_t d_committed)
{
	return s->ops->quota_add(s, buyer, year, d_reserved, d_committed);
}

int store_hold_put(struct store *s, const struct store_hold *h)
{
	return s->ops->hold_put(s, h);
}

int store_hold_get(struct store *s, int64_t list_id, struct store_hold *out)
{
	return s->ops->hold_get(s, list_id, out);
}

int store_tax_put(struct store *s, const struct store_tax *t)
{
	return s->ops->tax_put(s, t);
}

int store_tax_get(struct store *s, int64_t list_id, struct store_tax *out)
{
	return s->ops->tax_get(s, list_id, out);
}

int store_out_add(struct store *s, int channel, const char *guid, int64_t msg_id, const char *body, size_t len, int64_t *seq)
{
	return s->ops->out_add(s, channel, guid, msg_id, body, len, seq);
}

int store_out_after(struct store *s, int channel, int64_t after, int limit, int (*fn)(void *ctx, const struct store_out *o), void *ctx)
{
	return s->ops->out_after(s, channel, after, limit, fn, ctx);
}

int store_cursor_get(struct store *s, const char *name, int64_t *value)
{
	return s->ops->cursor_get(s, name, value);
}

int store_cursor_set(struct store *s, const char *name, int64_t value)
{
	return s->ops->cursor_set(s, name, value);
}

int store_account_put(struct store *s, const struct store_account *a)
{
	return s->ops->account_put(s, a);
}

int store_account_by_token_hash(struct store *s, const char *hash, struct store_account *out)
{
	return s->ops->account_by_token_hash(s, hash, out);
}

int store_account_get(struct store *s, const char *code, struct store_account *out)
{
	return s->ops->account_get(s, code, out);
}

int store_counts(struct store *s, struct store_counts *out)
{
	return s->ops->counts(s, out);
}

int store_lists_count(struct store *s, struct store_lists *out)
{
	return s->ops->lists_count(s, out);
}

void store_guid_stats(const struct store *s, uint64_t *probed, uint64_t *spared)
{
	*probed = *spared = 0;
	if (s->ops->guid_stats)
		s->ops->guid_stats(s, probed, spared);
}

int store_defer_sync(struct store *s)
{
	return s->ops->defer_sync ? s->ops->defer_sync(s) : CBEC_EINVAL;
}

int64_t store_log_bytes(struct store *s)
{
	return s->ops->log_bytes ? s->ops->log_bytes(s) : 0;
}

int64_t store_space_left(struct store *s)
{
	return s->ops->space_left ? s->ops->space_left(s) : -1;
}

int store_sync(struct store *s)
{
	return s->ops->sync ? s->ops->sync(s) : 0;
}

int store_checkpoint(struct store *s, bool shrink)
{
	return s->ops->checkpoint ? s->ops->checkpoint(s, shrink) : 0;
}

int store_checkpoint_aside(struct store *s, int64_t restart_bytes)
{
	return s->ops->checkpoint_aside ? s->ops->checkpoint_aside(s, restart_bytes) : 0;
}

/* ---- results: freed the same way whichever backend filled them ---- */

void store_msg_clear(struct store_msg *m)
{
	free(m->guid);
	free(m->sender);
	free(m->answer);
	free(m->body);
	memset(m, 0, sizeof *m);
}

void store_doc_clear(struct store_doc *d)
{
	free(d->key);
	free(d->link);
	free(d->ref);
	free(d->owner);
	free(d->guid);
	free(d->app_time);
	free(d->body);
	memset(d, 0, sizeof *d);
}

void store_receipt_clear(struct store_receipt *r)
{
	free(r->recipient);
	free(r->doc_key);
	free(r->status);
	free(r->xml);
	memset(r, 0, sizeof *r);
}

void store_hold_clear(struct store_hold *h)
{
	free(h->buyer);
	memset(h, 0, sizeof *h);
}

void store_tax_clear(struct store_tax *t)
{
	free(t->lines_json);
	memset(t, 0, sizeof *t);
}

void store_out_clear(struct store_out *o)
{
	free(o->guid);
	free(o->body);
	memset(o, 0, sizeof *o);
}

void store_account_clear(struct store_account *a)
{
	free(a->code);
	free(a->name);
	free(a->token_hash);
	memset(a, 0, sizeof *a);
}

const char *store_doc_state_name(int state)
{
	static const char *const names[DOC_STATE__N] = {
		[DOC_RECEIVED] = "received",   [DOC_WAITING] = "waiting",
		[DOC_CHECKED] = "checked",     [DOC_REJECTED] = "rejected",
		[DOC_ACCEPTED] = "accepted",   [DOC_CONCLUDED] = "concluded",
		[DOC_RELEASED] = "released",   [DOC_CANCELLED] = "cancelled",
		[DOC_REFUNDED] = "refunded",   [DOC_ACTIVE] = "active",
		[DOC_USED] = "used",           [DOC_DELETED] = "deleted",
		[DOC_INSPECTION] = "inspection",
	};
	return state > 0 && state < DOC_STATE__N && names[state] ? names[state] : "unknown";
}

/* ---- the 1210 bonded account ---- */

int store_bonded_get(struct store *s, const char *ems_no, const char *item_no,
		     struct store_bonded_item *out)
{
	return s->ops->bonded->get(s, ems_no, item_no, out);
}

int store_bonded_create(struct store *s, const struct store_bonded_item *it)
{
	return s->ops->bonded->create(s, it);
}

int store_bonded_add(struct store *s, const char *ems_no, const char *item_no, int64_t d_balance,
		     int64_t d_reserved, int64_t d_committed, int64_t now)
{
	return s->ops->bonded->add(s, ems_no, item_no, d_balance, d_reserved, d_committed, now);
}

int store_bonded_each(struct store *s, const char *ems_no,
		      int (*fn)(void *ctx, const struct store_bonded_item *it), void *ctx)
{
	return s->ops->bonded->each(s, ems_no, fn, ctx);
}

int store_bonded_keeper(struct store *s, const char *ems_no, char **owner)
{
	*owner = NULL;
	return s->ops->bonded->keeper(s, ems_no, owner);
}

int store_bonded_move_add(struct store *s, const struct store_bonded_move *m)
{
	return s->ops->bonded->move_add(s, m);
}

int store_bonded_moves_of(struct store *s, const char *ems_no, const char *item_no,
			  int (*fn)(void *ctx, const struct store_bonded_move *m), void *ctx)
{
	return s->ops->bonded->moves_of(s, ems_no, item_no, fn, ctx);
}

int store_bonded_entry_get(struct store *s, const char *ems_no, const char *entry,
			   const char *item_no, struct store_bonded_entry *out)
{
	return s->ops->bonded->entry_get(s, ems_no, entry, item_no, out);
}

int store_bonded_entry_put(struct store *s, const struct store_bonded_entry *e)
{
	return s->ops->bonded->entry_put(s, e);
}

int store_bonded_hold_put(struct store *s, const struct store_bonded_hold *h)
{
	return s->ops->bonded->hold_put(s, h);
}

int store_bonded_holds_of(struct store *s, int64_t list_id,
			  int (*fn)(void *ctx, const struct store_bonded_hold *h), void *ctx)
{
	return s->ops->bonded->holds_of(s, list_id, fn, ctx);
}

void store_bonded_item_clear(struct store_bonded_item *it)
{
	free(it->ems_no);
	free(it->item_no);
	free(it->owner);
	free(it->gcode);
	free(it->gname);
	free(it->unit);
	memset(it, 0, sizeof *it);
}

void store_bonded_move_clear(struct store_bonded_move *m)
{
	free(m->ems_no);
	free(m->item_no);
	free(m->doc);
	free(m->reason);
	memset(m, 0, sizeof *m);
}

void store_bonded_entry_clear(struct store_bonded_entry *e)
{
	free(e->ems_no);
	free(e->entry);
	free(e->item_no);
	free(e->owner);
	memset(e, 0, sizeof *e);
}

void store_bonded_hold_clear(struct store_bonded_hold *h)
{
	free(h->ems_no);
	free(h->item_no);
	memset(h, 0, sizeof *h);
}

/* ---- export summaries ---- */

static const char *const summary_states[STORE_SUMMARY_STATE__N] = {
	[STORE_SUMMARY_SENT] = "sent",
	[STORE_SUMMARY_ACCEPTED] = "accepted",
	[STORE_SUMMARY_DECLARED] = "declared",
	[STORE_SUMMARY_REJECTED] = "rejected",
};

const char *store_summary_state_name(int state)
{
	return state > 0 && state < STORE_SUMMARY_STATE__N ? summary_states[state] : "?";
}

void store_summary_clear(struct store_summary *sm)
{
	free(sm->ebc);
	free(sm->owner);
	free(sm->period);
	free(sm->sum_no);
	free(sm->detail);
	free(sm->result);
	memset(sm, 0, sizeof *sm);
}

int store_summary_add(struct store *s, struct store_summary *sm)
{
	return s->ops->summary->add(s, sm);
}

int store_summary_get(struct store *s, int64_t id, struct store_summary *out)
{
	return s->ops->summary->get(s, id, out);
}

int store_summary_by_doc(struct store *s, int64_t doc_id, struct store_summary *out)
{
	return s->ops->summary->by_doc(s, doc_id, out);
}

int store_summary_update(struct store *s, int64_t id, int state, const char *sum_no,
			 const char *result, int64_t now)
{
	return s->ops->summary->update(s, id, state, sum_no, result, now);
}

int store_summary_each(struct store *s, const char *owner,
		       int (*fn)(void *ctx, const struct store_summary *sm), void *ctx)
{
	return s->ops->summary->each(s, owner, fn, ctx);
}

int store_summary_list_add(struct store *s, int64_t summary_id, int64_t list_id,
			   const char *invt_no)
{
	return s->ops->summary->list_add(s, summary_id, list_id, invt_no);
}

int store_summary_of_list(struct store *s, int64_t list_id, int64_t *summary_id)
{
	return s->ops->summary->of_list(s, list_id, summary_id);
}

int store_summary_lists(struct store *s, int64_t summary_id,
			int (*fn)(void *ctx, const struct store_summary_list *l), void *ctx)
{
	return s->ops->summary->lists(s, summary_id, fn, ctx);
}

int store_summary_free_lists(struct store *s, int64_t summary_id)
{
	return s->ops->summary->free_lists(s, summary_id);
}
