/* Applying a message (src/svc/apply.h) on a SQLite store: a message applied again after its
 * batch was rolled back (the writer retries it) answers as the first time, and the mark
 * taken before puts the writer's last receipt back. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "ceb/check.h"
#include "ceb/schema.h"
#include "clear/docs.h"
#include "clear/tariff.h"
#include "store/store.h"
#include "svc/apply.h"
#include "svc/svc.h"
#include "testutil.h"

/* A writer's applying on a store of its own in a temporary file. */
struct fx {
	char path[32];
	struct store *w;
	struct tariff *t;
	struct svc_opts o;
	struct apply *a;
};

static void fx_open(struct fx *f)
{
	snprintf(f->path, sizeof f->path, "/tmp/cbec-test-apply-XXXXXX");
	int fd = mkstemp(f->path);
	assert_true(fd >= 0);
	close(fd);
	unlink(f->path);
	char url[64], err[256];
	snprintf(url, sizeof url, "sqlite:%s", f->path);
	assert_int_equal(store_open(url, false, &f->w, err, sizeof err), 0);
	f->t = tariff_load(tu_src("data/tariff.csv"), err, sizeof err);
	assert_non_null(f->t);
	svc_opts_default(&f->o);
	f->a = apply_new(f->w, f->t, &f->o);
	assert_non_null(f->a);
	int64_t seq, last;
	assert_int_equal(apply_init(f->a, &seq, &last), 0);
}

static void fx_close(struct fx *f)
{
	apply_free(f->a);
	tariff_free(f->t);
	store_close(f->w);
	tu_rm_sqlite(f->path);
}

static void test_retry_same_answer(void **state)
{
	(void)state;
	struct fx f;
	fx_open(&f);
	struct store *w = f.w;
	struct apply *a = f.a;

	size_t len;
	char *body = tu_read(tu_shared("domain/samples/CEB311Message.xml"), &len);
	struct ceb_checker *c = ceb_checker_new(&f.o.check);
	struct arena *ar = arena_new(64 * 1024);
	struct ceb_result res;
	assert_int_equal(ceb_check_in(c, body, len, ar, &res), 0);
	unsigned checked = res.findings.count;

	/* sent by another enterprise than its copCode: P-06, a finding apply adds */
	struct buf first = BUF_INIT, again = BUF_INIT;
	enum svc_outcome out;
	struct apply_mark mark = apply_mark(a);
	assert_int_equal(store_begin(w), 0);
	assert_int_equal(apply_message(a, body, len, &res, "9999999XXX", false, 1764000000000LL, &out, &first), 0);
	int64_t receipt_first = apply_last_receipt(a);
	assert_true(receipt_first > mark.last_receipt);
	assert_int_equal(store_rollback(w), 0); /* the batch failed */
	apply_restore(a, &mark); /* as the writer does: its receipts are gone with it */
	assert_int_equal(apply_last_receipt(a), mark.last_receipt);
	assert_int_equal(apply_outbox_seq(a), mark.out_seq);
	assert_int_equal(res.findings.count, checked);
	assert_int_equal(store_begin(w), 0);
	assert_int_equal(apply_message(a, body, len, &res, "9999999XXX", false, 1764000000000LL, &out, &again), 0);
	assert_int_equal(store_commit(w), 0);
	assert_int_equal(apply_last_receipt(a), receipt_first); /* the same place again */
	assert_int_equal(tu_count(first.p, first.n, "P-06"), 1);
	assert_int_equal(tu_count(again.p, again.n, "P-06"), 1);
	assert_int_equal(first.n, again.n); /* the same answer but for its receipt's own guid */

	buf_free(&first);
	buf_free(&again);
	arena_free(ar);
	ceb_checker_free(c);
	free(body);
	fx_close(&f);
}

/* body with its one order twice, the copy under another key and guid */
static char *two_orders(const char *body, size_t *len)
{
	const char *s = strstr(body, "<ceb:Order>"), *e = strstr(body, "</ceb:Order>");
	assert_non_null(s);
	assert_non_null(e);
	e += strlen("</ceb:Order>");
	struct buf b = BUF_INIT;
	buf_put(&b, body, (size_t)(e - body));
	char *copy = strndup(s, (size_t)(e - s));
	char *k = strstr(copy, "TESTORD202405200001"), *g = strstr(copy, "5E02</ceb:guid>");
	assert_non_null(k);
	assert_non_null(g);
	memcpy(k, "TESTORD202405200002", 19);
	memcpy(g, "5E99", 4);
	buf_puts(&b, copy);
	buf_puts(&b, e);
	free(copy);
	return buf_detach(&b, len);
}

/* The answer: to a one-entity message, its receipt, the very one stored for its sender (the
 * message keeps a reference to it); to a message of two orders (one already there), one
 * receipt message with both orders' return records; a resend of either gets the same
 * answer again. */
static void test_answers(void **state)
{
	(void)state;
	struct fx f;
	fx_open(&f);
	struct store *w = f.w;
	struct apply *a = f.a;
	struct ceb_checker *c = ceb_checker_new(&f.o.check);
	struct arena *ar = arena_new(64 * 1024);
	size_t len1, len2;
	char *one = tu_read(tu_shared("domain/samples/CEB311Message.xml"), &len1);
	char *two = two_orders(one, &len2);
	/* the copy under a message guid of its own */
	char *mg = strstr(two, "5E01\"");
	assert_non_null(mg);
	memcpy(mg, "5E77", 4);
	const char *bodies[2] = {one, two};
	size_t lens[2] = {len1, len2};
	struct buf ans[2] = {BUF_INIT, BUF_INIT}, again = BUF_INIT;
	for (int i = 0; i < 2; i++) {
		struct ceb_result res;
		arena_reset(ar);
		assert_int_equal(ceb_check_in(c, bodies[i], lens[i], ar, &res), 0);
		assert_int_equal(res.findings.errors, 0);
		enum svc_outcome out;
		assert_int_equal(store_begin(w), 0);
		assert_int_equal(apply_message(a, bodies[i], lens[i], &res, "1234560TST", false,
					       1764000000000LL + i, &out, &ans[i]), 0);
		assert_int_equal(store_commit(w), 0);
		assert_int_equal(out, SVC_ANSWERED);
		assert_int_equal(tu_count(ans[i].p, ans[i].n, "<ceb:OrderReturn>"), i + 1);
		/* the second message's first order is the first message's: refused (M-11), the
		 * other received, both in its answer */
		assert_int_equal(tu_count(ans[i].p, ans[i].n, "<ceb:returnStatus>2</ceb:returnStatus>"), 1);
		assert_int_equal(tu_count(ans[i].p, ans[i].n, "[M-11]"), i);
		assert_int_equal(tu_count(ans[i].p, ans[i].n, "TESTORD202405200002"), i);
		/* sent again: the same answer, nothing applied twice */
		arena_reset(ar);
		assert_int_equal(ceb_check_in(c, bodies[i], lens[i], ar, &res), 0);
		assert_int_equal(store_begin(w), 0);
		assert_int_equal(apply_message(a, bodies[i], lens[i], &res, "1234560TST", false,
					       1764000000100LL + i, &out, &again), 0);
		assert_int_equal(store_commit(w), 0);
		assert_int_equal(again.n, ans[i].n);
		assert_memory_equal(again.p, ans[i].p, again.n);
	}
	/* the one-entity answer is the receipt stored for the sender */
	struct store_msg m;
	assert_int_equal(store_msg_get(w, "6F1D2C3B-4A59-4E8F-9C0D-1A2B3C4D5E01", false, &m), 0);
	assert_non_null(strstr(m.answer, "@receipt:"));
	store_msg_clear(&m);
	assert_int_equal(store_msg_get(w, "6F1D2C3B-4A59-4E8F-9C0D-1A2B3C4D5E77", false, &m), 0);
	assert_string_equal(m.answer, ans[1].p);
	store_msg_clear(&m);

	buf_free(&ans[0]);
	buf_free(&ans[1]);
	buf_free(&again);
	free(one);
	free(two);
	arena_free(ar);
	ceb_checker_free(c);
	fx_close(&f);
}

/* The kinds the store does not find by guid are found by the key their customs receipt
 * carries: each of their key fields is a field of that receipt's return record (a 622 has
 * no orderNo: import lists stay found by guid). */
static void test_receipts_carry_keys(void **state)
{
	(void)state;
	int unindexed = 0;
	for (int code = 0; code < 1000; code++) {
		const struct doc_type *t = doc_type_of(code);
		if (!t || store_guid_indexed(code))
			continue;
		unindexed++;
		const struct ceb_msgtype *rt = ceb_msgtype_by_code(t->receipt);
		assert_non_null(rt);
		const struct ceb_def *ret = rt->def->kids[0].def;
		if (ret->kind != CEB_K_RECORD)
			ret = ret->kids[0].def;
		for (int i = 0; i < 3 && t->key[i]; i++)
			if (ceb_def_field(ret, t->key[i], strlen(t->key[i])) < 0)
				fail_msg("CEB%d has no %s, the key of %d", t->receipt, t->key[i], code);
		assert_ptr_equal(doc_type_of_receipt(t->receipt), t);
	}
	assert_int_equal(unindexed, 7);
	/* and one that does not carry it */
	const struct doc_type *list = doc_type_of(621);
	const struct ceb_def *ret = ceb_msgtype_by_code(622)->def->kids[0].def;
	if (ret->kind != CEB_K_RECORD)
		ret = ret->kids[0].def;
	assert_true(ceb_def_field(ret, "orderNo", 7) < 0);
	assert_true(store_guid_indexed(list->code));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_retry_same_answer),
		cmocka_unit_test(test_receipts_carry_keys),
		cmocka_unit_test(test_answers),
	};
	return cmocka_run_group_tests_name("apply", tests, NULL, NULL);
}
