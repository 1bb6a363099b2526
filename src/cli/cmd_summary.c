/* cbec summary: the operator's side of 9610 export summaries (汇总申报, rules.md §9). `build`
 * summarises one shipper's released lists of a month straight into the store: its CEB701
 * is applied by the same code as the service's writer (checks, the lists claimed, queued
 * for customs), in one transaction. `show` and `list` print what is stored. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "ceb/check.h"
#include "cli/cmd.h"
#include "store/store.h"
#include "svc/apply.h"
#include "svc/summary_svc.h"

static const char usage_text[] =
    "usage: cbec summary build --db URL --ebc CODE --period YYYY-MM [--summary-flag 1|2]\n"
    "                          [--item-name-flag 1|0] [--decl-agent CODE [--decl-agent-name "
    "NAME]]\n"
    "                          [--dry-run]\n"
    "       cbec summary show [--db URL] ID\n"
    "       cbec summary list [--db URL] [--ebc CODE]\n"
    "\n"
    "build: the released 9610 export lists (statisticsFlag B) of the shipper CODE released in\n"
    "the month (Beijing time) and in no summary yet, grouped into 报关单 by rules.md S-03/S-04,\n"
    "go into a CEB701 sent as CODE: stored, checked like any 701, queued for customs (a\n"
    "running server sends it with its next outbox write or at its next start; to build while\n"
    "it runs, use POST /api/v1/summaries). --dry-run prints what a build would take.\n"
    "Output: JSON. S-05: apply by the 15th of the following month (shown as the deadline).\n"
    "\n"
    "exit status: 0 built (or nothing to build), 1 refused, 2 usage or I/O error\n";

static int64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void print_json(json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (s)
		puts(s);
	free(s);
}

static int build(const char *db, const struct summary_build *b, bool dry)
{
	char err[256];
	struct store *s = NULL;
	struct apply *ap = NULL;
	struct ceb_checker *chk = NULL;
	struct arena *ar = NULL;
	json_t *preview = NULL, *out = NULL;
	char *xml = NULL, **cops = NULL;
	size_t len = 0;
	int ncop = 0, status = 2, rc;
	struct buf answer = BUF_INIT;
	if (store_open(db, false, &s, err, sizeof err) != 0) {
		fprintf(stderr, "cbec summary: %s\n", err);
		goto out;
	}
	rc = summary_svc_prepare(s, b, &preview, &xml, &len, &cops, &ncop);
	if (rc) {
		fprintf(stderr, "cbec summary: %s\n",
		        rc == CBEC_EINVAL ? "--period must be YYYY-MM, the flags 1|2 and 1|0"
		                          : cbec_strerror(rc));
		goto out;
	}
	if (dry || !xml) {
		out = json_pack("{s:b,s:o,s:O}", "ok", 1, "summaries", json_array(), "build",
		                preview);
		print_json(out);
		status = 0;
		goto out;
	}
	struct svc_opts o;
	svc_opts_default(&o);
	ap = apply_new(s, NULL, &o); /* no tariff: a 701 assesses no tax */
	chk = ceb_checker_new(&o.check);
	ar = arena_new(256 * 1024);
	if (!ap || !chk || !ar) {
		fprintf(stderr, "cbec summary: out of memory\n");
		goto out;
	}
	struct ceb_result res;
	enum svc_outcome outcome = SVC_UNAVAILABLE;
	rc = ceb_check_in(chk, xml, len, ar, &res);
	if (!rc)
		rc = store_begin(s);
	if (!rc) {
		rc = apply_message(ap, xml, len, &res, b->ebc, false, b->now_ms, &outcome, &answer);
		rc = rc ? rc : store_commit(s);
		if (rc)
			store_rollback(s);
	}
	if (rc || outcome != SVC_ANSWERED) {
		fprintf(stderr, "cbec summary: the summary was not stored: %s\n",
		        cbec_strerror(rc ? rc : CBEC_EINVAL));
		goto out;
	}
	json_t *list = json_array();
	bool all = true;
	for (int i = 0; i < ncop; i++) {
		char key[128];
		snprintf(key, sizeof key, "%s|%s", b->ebc, cops[i]);
		struct store_doc d;
		struct store_summary sm;
		json_t *one = NULL;
		if (store_doc_get(s, 701, key, &d) == 0) {
			if (store_summary_by_doc(s, d.id, &sm) == 0) {
				one = summary_svc_json(s, &sm);
				store_summary_clear(&sm);
			}
			store_doc_clear(&d);
		}
		if (!one) {
			all = false;
			one = json_pack("{s:s,s:b}", "copNo", cops[i], "refused", 1);
		}
		json_array_append_new(list, one);
	}
	out = json_pack("{s:b,s:o,s:s%,s:O}", "ok", all, "summaries", list, "receipt",
	                answer.p ? answer.p : "", answer.n, "build", preview);
	print_json(out);
	status = all ? 0 : 1;
out:
	json_decref(out);
	json_decref(preview);
	for (int i = 0; i < ncop; i++)
		free(cops[i]);
	free(cops);
	free(xml);
	buf_free(&answer);
	arena_free(ar);
	ceb_checker_free(chk);
	apply_free(ap);
	store_close(s);
	return status;
}

static int print_row(void *ctx, const struct store_summary *sm)
{
	printf("%lld\t%s\t%s\t%s\t%s\t%s\n", (long long)sm->id, sm->period, sm->ebc, sm->owner,
	       store_summary_state_name(sm->state), sm->sum_no ? sm->sum_no : "-");
	(*(int *)ctx)++;
	return 0;
}

static int show(const char *db, const char *id_text, const char *ebc, bool list)
{
	char err[256];
	struct store *s;
	if (store_open(db, true, &s, err, sizeof err) != 0) {
		fprintf(stderr, "cbec summary: %s\n", err);
		return 2;
	}
	int rc, n = 0;
	if (list) {
		rc = store_summary_each(s, ebc, print_row, &n);
	} else {
		struct store_summary sm;
		rc = store_summary_get(s, atoll(id_text), &sm);
		if (!rc) {
			json_t *j = summary_svc_json(s, &sm);
			print_json(j);
			json_decref(j);
			store_summary_clear(&sm);
		}
	}
	store_close(s);
	if (rc)
		fprintf(stderr, "cbec summary: %s\n",
		        rc == CBEC_ENOTFOUND ? "no such summary" : cbec_strerror(rc));
	return rc == CBEC_ENOTFOUND ? 1 : rc ? 2 : 0;
}

int cmd_summary(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage_text, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	const char *verb = argv[1], *db = "sqlite:var/cbec.db", *arg = NULL;
	const char *sflag = "1", *iflag = "0";
	struct summary_build b = {0};
	bool dry = false;
	static const char *const opts[] = {"--db",
	                                   "--ebc",
	                                   "--period",
	                                   "--summary-flag",
	                                   "--item-name-flag",
	                                   "--decl-agent",
	                                   "--decl-agent-name"};
	const char **dest[] = {
	    &db, &b.ebc, &b.period, &sflag, &iflag, &b.decl_agent_code, &b.decl_agent_name};
	for (int i = 2; i < argc; i++) {
		int k = -1;
		for (int o = 0; o < (int)(sizeof opts / sizeof opts[0]); o++)
			if (!strcmp(argv[i], opts[o]))
				k = o;
		if (k >= 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "cbec summary: %s needs a value\n", argv[i]);
				return 2;
			}
			*dest[k] = argv[++i];
		} else if (!strcmp(argv[i], "--dry-run")) {
			dry = true;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "cbec summary: unknown option '%s'\n", argv[i]);
			return 2;
		} else if (!arg) {
			arg = argv[i];
		} else {
			fprintf(stderr, "cbec summary: too many arguments\n");
			return 2;
		}
	}
	if (!strcmp(verb, "build") && !arg && b.ebc && b.period) {
		b.summary_flag = strlen(sflag) == 1 ? sflag[0] - '0' : -1;
		b.item_name_flag = strlen(iflag) == 1 ? iflag[0] - '0' : -1;
		b.now_ms = now_ms();
		return build(db, &b, dry);
	}
	if (!strcmp(verb, "show") && arg)
		return show(db, arg, NULL, false);
	if (!strcmp(verb, "list") && !arg)
		return show(db, NULL, b.ebc, true);
	fputs(usage_text, stderr);
	return 2;
}
