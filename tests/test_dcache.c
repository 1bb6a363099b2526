/* The writer's cache of parsed documents (svc/dcache.c) and the deep copy it keeps
 * (ceb_msg_copy): a copy equals its source, a cached document is served only for the exact
 * version asked, and the budget is kept. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "ceb/model.h"
#include "ceb/parse.h"
#include "ceb/validate.h"
#include "svc/dcache.h"
#include "testutil.h"

static struct ceb_msg *parse(struct ceb_parser *p, struct arena *a, const char *xml, size_t len)
{
	struct ceb_findings f;
	ceb_findings_init(&f, a, NULL);
	bool wf;
	int err = 0;
	struct ceb_msg *m = ceb_parse(p, xml, len, a, &f, &wf, &err);
	assert_int_equal(err, 0);
	assert_non_null(m);
	return m;
}

static struct ceb_msg *parse_file(struct ceb_parser *p, struct arena *a, const char *path)
{
	size_t len;
	char *xml = tu_read(path, &len);
	struct ceb_msg *m = parse(p, a, xml, len);
	free(xml); /* the model holds copies */
	return m;
}

static int copy_dir(const char *dir)
{
	struct ceb_parser *p = ceb_parser_new(NULL);
	DIR *d = opendir(dir);
	assert_non_null(d);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l < 5 || strcmp(e->d_name + l - 4, ".xml"))
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		struct arena *a = arena_new(0), *b = arena_new(0);
		size_t len;
		char *xml = tu_read(path, &len);
		struct ceb_findings f;
		ceb_findings_init(&f, a, NULL);
		bool wf;
		int err = 0;
		struct ceb_msg *m = ceb_parse(p, xml, len, a, &f, &wf, &err);
		free(xml);
		if (!m || !wf) { /* official samples with defects of their own */
			arena_free(a);
			arena_free(b);
			continue;
		}
		struct ceb_msg *c = ceb_msg_copy(b, m, NULL);
		assert_non_null(c);
		arena_free(a); /* the copy must not point into its source */
		struct ceb_msg *m2 = parse_file(p, (a = arena_new(0)), path);
		const char *where = NULL;
		if (!ceb_msg_equal(m2, c, &where))
			fail_msg("%s: copy differs at %s", e->d_name, where);
		arena_free(a);
		arena_free(b);
		n++;
	}
	closedir(d);
	ceb_parser_free(p);
	return n;
}

static void test_copy_equals_source(void **state)
{
	(void)state;
	assert_int_equal(copy_dir(tu_shared("domain/samples")), 8);
	assert_true(copy_dir(tu_shared("domain/official/samples/import")) >= 16);
	assert_true(copy_dir(tu_shared("domain/official/samples/export")) >= 22);
}

/* A message with two orders: the copy of the second alone is what that order would parse
 * to if stored by itself. */
static void test_copy_one_entity(void **state)
{
	(void)state;
	size_t len;
	char *xml = tu_read(tu_shared("domain/samples/CEB311Message.xml"), &len);
	char *s = strstr(xml, "<ceb:Order>"), *e = strstr(xml, "</ceb:Order>");
	assert_non_null(s);
	assert_non_null(e);
	e += strlen("</ceb:Order>");
	/* two orders: the second with another orderNo */
	size_t blk = (size_t)(e - s);
	char *two = malloc(len + blk + 1);
	memcpy(two, xml, (size_t)(e - xml));
	memcpy(two + (e - xml), s, blk);
	memcpy(two + (e - xml) + blk, e, len - (size_t)(e - xml) + 1);
	char *second = two + (e - xml);
	char *on = strstr(second, "<ceb:orderNo>");
	assert_non_null(on);
	on[strlen("<ceb:orderNo>")] = 'Z';

	struct ceb_parser *p = ceb_parser_new(NULL);
	struct arena *a = arena_new(0), *b = arena_new(0);
	struct ceb_msg *m = parse(p, a, two, len + blk);
	struct ceb_node *ent = ceb_msg_entities(m);
	assert_int_equal(m->root->count[0], 2);
	struct ceb_msg *c = ceb_msg_copy(b, m, ent->next);
	assert_non_null(c);
	assert_int_equal(c->root->count[0], 1);
	struct ceb_node *ce = ceb_msg_entities(c);
	assert_int_equal(ce->ordinal, 1);
	const char *path = ceb_node_path(b, ceb_entity_head(ce), "orderNo");
	assert_string_equal(path, "/CEB311Message/Order[1]/OrderHead/orderNo");
	const struct ceb_node *h = ceb_entity_head(ce);
	int f = -1;
	for (int i = 0; i < h->def->nfields; i++)
		if (!strcmp(h->def->fields[i].name, "orderNo"))
			f = i;
	assert_true(f >= 0);
	assert_int_equal(h->vals[f].p[0], 'Z');
	arena_free(a);
	arena_free(b);
	ceb_parser_free(p);
	free(two);
	free(xml);
}

struct fixture {
	struct ceb_parser *p;
	struct arena *a;
	struct ceb_msg *m;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	fx->p = ceb_parser_new(NULL);
	fx->a = arena_new(0);
	fx->m = parse_file(fx->p, fx->a, tu_shared("domain/samples/CEB621Message.xml"));
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	ceb_parser_free(fx->p);
	arena_free(fx->a);
	free(fx);
	return 0;
}

static void test_serves_exact_version(void **state)
{
	struct fixture *fx = *state;
	struct dcache *c = dcache_new(1 << 20);
	struct ceb_node *e = ceb_msg_entities(fx->m);
	assert_int_equal(dcache_put(c, 7, 70, "G-7", fx->m, e), 0);
	const struct ceb_msg *hit = dcache_get(c, 7, 70, "G-7");
	assert_non_null(hit);
	assert_true(ceb_msg_equal(fx->m, hit, NULL));
	/* another version of the document (appType 2) or an id reused after a rollback */
	assert_null(dcache_get(c, 7, 71, "G-7"));
	assert_null(dcache_get(c, 7, 70, "G-8"));
	assert_null(dcache_get(c, 8, 70, "G-7"));
	assert_null(dcache_get(c, 7, 70, NULL));
	/* a newer version replaces the older */
	assert_int_equal(dcache_put(c, 7, 71, "G-7b", fx->m, e), 0);
	assert_null(dcache_get(c, 7, 70, "G-7"));
	assert_non_null(dcache_get(c, 7, 71, "G-7b"));
	struct dcache_stats st;
	dcache_stats(c, &st);
	assert_int_equal(st.entries, 1);
	assert_int_equal(st.hits, 2);
	assert_int_equal(st.misses, 5);
	dcache_free(c);
}

static void test_budget_and_forget(void **state)
{
	struct fixture *fx = *state;
	struct ceb_node *e = ceb_msg_entities(fx->m);
	/* measure one entry, then allow room for ten */
	struct dcache *one = dcache_new(SIZE_MAX);
	dcache_put(one, 1, 1, "g", fx->m, e);
	struct dcache_stats st;
	dcache_stats(one, &st);
	dcache_free(one);
	size_t each = st.bytes;
	assert_true(each > 1000);

	struct dcache *c = dcache_new(each * 10);
	char g[16];
	for (int i = 1; i <= 5000; i++) { /* grows the table several times */
		snprintf(g, sizeof g, "g%d", i);
		assert_int_equal(dcache_put(c, i, i, g, fx->m, e), 0);
		if (i == 3) /* used: becomes the most recent */
			assert_non_null(dcache_get(c, 1, 1, "g1"));
	}
	/* nothing is evicted until trim: what was handed out stays valid */
	dcache_stats(c, &st);
	assert_int_equal(st.entries, 5000);
	const struct ceb_msg *held = dcache_get(c, 4000, 4000, "g4000");
	assert_non_null(held);
	assert_true(ceb_msg_equal(fx->m, held, NULL));
	dcache_trim(c);
	dcache_stats(c, &st);
	assert_true(st.bytes <= each * 10);
	assert_int_equal(st.entries, 10);
	assert_int_equal(st.evictions, 4990);
	assert_non_null(dcache_get(c, 5000, 5000, "g5000"));
	assert_null(dcache_get(c, 1, 1, "g1"));
	assert_non_null(dcache_get(c, 4000, 4000, "g4000")); /* used last: kept */
	assert_non_null(dcache_get(c, 4992, 4992, "g4992"));
	assert_null(dcache_get(c, 4991, 4991, "g4991"));
	/* forgetting is deferred to the next trim as well */
	dcache_forget(c, 5000);
	assert_non_null(dcache_get(c, 5000, 5000, "g5000"));
	dcache_trim(c);
	assert_null(dcache_get(c, 5000, 5000, "g5000"));
	assert_non_null(dcache_get(c, 4999, 4999, "g4999"));
	dcache_free(c);

	/* no budget: nothing kept */
	c = dcache_new(0);
	assert_int_equal(dcache_put(c, 1, 1, "g", fx->m, e), 0);
	assert_null(dcache_get(c, 1, 1, "g"));
	dcache_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_copy_equals_source),
		cmocka_unit_test(test_copy_one_entity),
		cmocka_unit_test_setup_teardown(test_serves_exact_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_budget_and_forget, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
