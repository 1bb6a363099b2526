/* cbec gen: write a generated workload (src/gen/gen.h) as files a sender replays in order:
 * one message per file numbered in arrival order, a manifest of what the platform should
 * answer, the accounts that send, and the follow-ups to send after release -- or send it
 * straight to a running server (cmd_gen_send.c). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/err.h"
#include "ceb/dec.h"
#include "clear/tariff.h"
#include "cli/cmd.h"
#include "gen/gen.h"

static const char usage_text[] =
    "usage: cbec gen [options] --out DIR\n"
    "       cbec gen [options] --send http://HOST:PORT --tokens FILE [--clients N] [--rate R]\n"
    "       cbec gen --accounts\n"
    "\n"
    "Generates a realistic, deterministic workload of CEB messages -- by default one\n"
    "city's live-streaming festival day: 400,000 orders, about 1.6 million messages -- and\n"
    "writes it to DIR:\n"
    "  NNNNNNNNN-CEBttt.xml  one message per file, numbered in arrival order\n"
    "  manifest.tsv          file, order_no, type, sender, expect, fault: what the platform\n"
    "                        should answer (ok, resend, or the rule it refuses for) and the\n"
    "                        rule a faulty message was made to break\n"
    "  accounts.tsv          every enterprise that sends (code, role, side, name)\n"
    "  stock-in.csv          1210 first-line stock-in (not CEB messages): each row one item\n"
    "                        credited to a bonded account, due before the message numbered\n"
    "                        `before`; POST each to /api/v1/bonded/stock-in as its owner, or\n"
    "                        load the file with `cbec bonded stock-in` before the messages\n"
    "  followups/            CEB623 cancellations and CEB625 returns to send after the\n"
    "                        lists are released: replace " GEN_INVTNO_PLACEHOLDER " with the\n"
    "                        list's customs invtNo (followups/manifest.tsv names the list)\n"
    "The same options give the same bytes.\n"
    "\n"
    "With --send the workload goes to a running `cbec serve` instead, each message POSTed\n"
    "with its sender's token (--tokens: a line 'CODE TOKEN' for each enterprise that\n"
    "`cbec gen --accounts` lists), the 1210 stock-in credited ahead of its lists, and the\n"
    "follow-ups sent once their list is released, with its invtNo. Every answer is held\n"
    "against what the platform should answer; prints 'N answered as expected, M not'.\n"
    "\n"
    "options:\n"
    "  --orders N      orders, import and export (default 400000)\n"
    "  --seed S        64-bit seed (default 1)\n"
    "  --faulty PCT    faulty messages, percent of all (default 2)\n"
    "  --resend PCT    messages sent twice (default 1)\n"
    "  --cancel PCT    released import lists cancelled afterwards (default 0.5)\n"
    "  --refund PCT    released import lists with one line returned (default 0.3)\n"
    "  --export PCT    export orders (default 10)\n"
    "  --bonded PCT    1210 bonded import orders, the rest 9610 (default 70)\n"
    "  --short PCT     1210 orders whose bonded stock runs short: refused B-04 (default 0.5)\n"
    "  --buyers N      buyer pool (default orders / 3)\n"
    "  --window N      orders whose messages arrive interleaved (default 8)\n"
    "  --day YYYYMMDD  the day the orders are placed (default 20251111)\n"
    "  --tariff FILE   tariff table (default " CBEC_DATADIR "/tariff.csv)\n"
    "  --force         DIR may hold an earlier workload: its files are replaced\n"
    "  --dry-run       generate and count, write nothing (measures the generator)\n"
    "  --quiet         no summary on standard error\n"
    "  --accounts      print the enterprises that send (code, role, side, name) and exit\n"
    "  --send URL      POST the workload to the cbec server at URL (http://HOST:PORT)\n"
    "  --tokens FILE   with --send: each sender's token, a line 'CODE TOKEN'\n"
    "  --clients N     with --send: connections at once (default 16)\n"
    "  --rate R        with --send: messages a second in all (default: as fast as answered)\n"
    "  --wait SECS     with --send: how long a follow-up waits for its list's release (60)\n"
    "\n"
    "exit status: 0 written (or, with --send, every answer as expected), 1 some answer\n"
    "not as expected, 2 usage or I/O error\n";

/* "2", "0.5", "12.25" percent -> basis points, no floating point. */
static int parse_pct(const char *s, uint32_t *bp)
{
	uint64_t whole = 0, frac = 0;
	int fd = 0;
	const char *p = s;
	if (!*p)
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		whole = whole * 10 + (uint64_t)(*p - '0');
		if (whole > 100)
			return -1;
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++) {
			if (++fd > 2)
				return -1;
			frac = frac * 10 + (uint64_t)(*p - '0');
		}
		if (fd == 1)
			frac *= 10;
	}
	if (*p || p == s)
		return -1;
	uint64_t v = whole * 100 + frac;
	if (v > 10000)
		return -1;
	*bp = (uint32_t)v;
	return 0;
}

static int parse_u64(const char *s, uint64_t *out)
{
	if (!*s)
		return -1;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno || *end || *s == '-')
		return -1;
	*out = v;
	return 0;
}

/* A file this command writes: NNNNNNNNN-CEBttt.xml or one of its tables. */
static bool ours(const char *name)
{
	if (!strcmp(name, "manifest.tsv") || !strcmp(name, "accounts.tsv") ||
	    !strcmp(name, "README.txt") || !strcmp(name, "stock-in.csv"))
		return true;
	if (strlen(name) != 20 || name[9] != '-' || strncmp(name + 10, "CEB", 3) ||
	    strcmp(name + 16, ".xml"))
		return false;
	for (int i = 0; i < 9; i++)
		if (name[i] < '0' || name[i] > '9')
			return false;
	return true;
}

/* Remove an earlier workload's files from dir (only ours); -1 if other files remain. */
static int clear_dir(const char *dir, bool force, bool *empty)
{
	DIR *d = opendir(dir);
	*empty = true;
	if (!d)
		return errno == ENOENT ? 0 : -1;
	struct dirent *e;
	int rc = 0;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (!strcmp(e->d_name, "followups")) {
			bool sub;
			if (clear_dir(path, force, &sub))
				rc = -1;
			if (!sub)
				*empty = false;
			else if (force && rmdir(path) != 0)
				rc = -1;
			continue;
		}
		if (force && ours(e->d_name)) {
			if (unlink(path) != 0)
				rc = -1;
			continue;
		}
		*empty = false;
	}
	closedir(d);
	return rc;
}

static int write_file(const char *path, const char *p, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return close(fd);
}

static void summary(const struct gen_stats *s, double secs, const char *out)
{
	fprintf(stderr, "cbec gen: %llu messages, %.1f MB in %.2f s (%.0f messages/s)%s%s\n",
	        (unsigned long long)s->messages, (double)s->bytes / 1e6, secs,
	        secs > 0 ? (double)s->messages / secs : 0.0, out ? " -> " : "", out ? out : "");
	fprintf(stderr, "  orders: %llu 1210 bonded, %llu 9610 direct, %llu 9610 export\n",
	        (unsigned long long)s->orders_bonded, (unsigned long long)s->orders_direct,
	        (unsigned long long)s->orders_export);
	fprintf(stderr, "  by type:");
	for (int k = 0; k < GEN_T__N; k++)
		fprintf(stderr, " %d %llu", gen_type_code[k], (unsigned long long)s->by_type[k]);
	fprintf(stderr, "\n  faulty %llu (", (unsigned long long)s->faulty);
	for (int f = 1; f < GEN_F__N; f++)
		fprintf(stderr, "%s%s %llu", f > 1 ? ", " : "", gen_fault_rule((enum gen_fault)f),
		        (unsigned long long)s->by_fault[f]);
	fprintf(stderr,
	        "), resends %llu, lists over the annual limit %llu, lists left unmatched %llu\n"
	        "  follow-ups %llu, repeat buyers %llu\n"
	        "  1210 stock-in entries %llu, lists short of bonded stock (B-04) %llu\n",
	        (unsigned long long)s->resends, (unsigned long long)s->over_annual,
	        (unsigned long long)s->unmatched, (unsigned long long)s->followups,
	        (unsigned long long)s->buyers_repeat, (unsigned long long)s->stockins,
	        (unsigned long long)s->short_stock);
}

static void print_accounts(FILE *f)
{
	size_t n;
	const struct gen_party *p = gen_parties(&n);
	fprintf(f, "code\trole\tside\tname\n");
	for (size_t i = 0; i < n; i++)
		if (p[i].sends)
			fprintf(f, "%s\t%s\t%s\t%s\n", p[i].code, p[i].role, p[i].side, p[i].name);
}

static int write_accounts(const char *dir)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/accounts.tsv", dir);
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	print_accounts(f);
	return fclose(f);
}

static const char followups_readme[] =
    "Follow-ups: CEB623 cancellations and CEB625 returns of import lists that the main\n"
    "stream expects to be released. Customs numbers a list (invtNo) only when it accepts\n"
    "it, so these files carry the placeholder " GEN_INVTNO_PLACEHOLDER " in invtNo. Send them\n"
    "after the main stream, once each list is released: look up the list named in\n"
    "manifest.tsv (list_type 621, list_key ebpCode|orderNo, e.g.\n"
    "GET /api/v1/declarations/621/{list_key} gives its customs number), replace the\n"
    "placeholder with it, and send the file in the order of its number.\n";

int cmd_gen(int argc, char **argv)
{
	struct gen_opts o;
	gen_opts_default(&o);
	const char *out = NULL, *tariff_path = CBEC_DATADIR "/tariff.csv";
	const char *send = NULL, *tokens = NULL;
	uint64_t clients = 16, wait_s = 60;
	double rate = 0;
	bool force = false, dry = false, quiet = false, send_opts = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(usage_text, stdout);
			return 0;
		}
		if (!strcmp(a, "--force")) {
			force = true;
			continue;
		}
		if (!strcmp(a, "--dry-run")) {
			dry = true;
			continue;
		}
		if (!strcmp(a, "--quiet")) {
			quiet = true;
			continue;
		}
		if (!strcmp(a, "--accounts")) {
			print_accounts(stdout);
			return 0;
		}
		if (!v) {
			fprintf(stderr, "cbec gen: %s needs a value (cbec gen --help)\n", a);
			return 2;
		}
		i++;
		int bad = 0;
		uint64_t u = 0;
		if (!strcmp(a, "--orders"))
			bad = parse_u64(v, &o.orders);
		else if (!strcmp(a, "--seed"))
			bad = parse_u64(v, &o.seed);
		else if (!strcmp(a, "--buyers"))
			bad = parse_u64(v, &o.buyers);
		else if (!strcmp(a, "--window")) {
			bad = parse_u64(v, &u) || u > 4096;
			o.window = (uint32_t)u;
		} else if (!strcmp(a, "--faulty"))
			bad = parse_pct(v, &o.faulty_bp);
		else if (!strcmp(a, "--resend"))
			bad = parse_pct(v, &o.resend_bp);
		else if (!strcmp(a, "--cancel"))
			bad = parse_pct(v, &o.cancel_bp);
		else if (!strcmp(a, "--refund"))
			bad = parse_pct(v, &o.refund_bp);
		else if (!strcmp(a, "--export"))
			bad = parse_pct(v, &o.export_bp);
		else if (!strcmp(a, "--bonded"))
			bad = parse_pct(v, &o.bonded_bp);
		else if (!strcmp(a, "--short"))
			bad = parse_pct(v, &o.short_bp);
		else if (!strcmp(a, "--day")) {
			bad = strlen(v) != 8;
			if (!bad)
				memcpy(o.day, v, 9);
		} else if (!strcmp(a, "--tariff"))
			tariff_path = v;
		else if (!strcmp(a, "--out"))
			out = v;
		else if (!strcmp(a, "--send"))
			send = v;
		else if (!strcmp(a, "--tokens"))
			tokens = v;
		else if (!strcmp(a, "--clients"))
			bad = parse_u64(v, &clients) || clients < 1 || clients > 4096;
		else if (!strcmp(a, "--wait"))
			bad = parse_u64(v, &wait_s) || wait_s > 86400;
		else if (!strcmp(a, "--rate")) {
			uint64_t r = 0;
			bad = parse_u64(v, &r) || r > 10000000;
			rate = (double)r;
		} else {
			fprintf(stderr, "cbec gen: unknown option '%s' (cbec gen --help)\n", a);
			return 2;
		}
		if (!strcmp(a, "--tokens") || !strcmp(a, "--clients") || !strcmp(a, "--wait") ||
		    !strcmp(a, "--rate"))
			send_opts = true;
		if (bad) {
			const char *why = !strcmp(a, "--clients") ? "a count from 1 to 4096"
					  : !strcmp(a, "--wait")  ? "seconds, at most 86400"
					  : !strcmp(a, "--rate")  ? "whole messages a second"
								  : "percentages: 0 to 100, at most two decimals";
			fprintf(stderr, "cbec gen: bad value '%s' for %s (%s)\n", v, a, why);
			return 2;
		}
	}
	char err[256];
	if (gen_opts_check(&o, err, sizeof err)) {
		fprintf(stderr, "cbec gen: %s\n", err);
		return 2;
	}
	if (send && (out || dry)) {
		fprintf(stderr, "cbec gen: --send goes without --out and --dry-run\n");
		return 2;
	}
	if (!send && send_opts) {
		fprintf(stderr, "cbec gen: --tokens, --clients, --rate and --wait go with --send\n");
		return 2;
	}
	if (!out && !dry && !send) {
		fprintf(stderr, "cbec gen: --out DIR is required (or --send URL, or --dry-run)\n");
		return 2;
	}
	if (out && strlen(out) > 4000) {
		fprintf(stderr, "cbec gen: --out DIR: the path is too long\n");
		return 2;
	}
	struct tariff *t = tariff_load(tariff_path, err, sizeof err);
	if (!t) {
		fprintf(stderr, "cbec gen: %s: %s\n", tariff_path, err);
		return 2;
	}
	int status = 2;
	struct gen *g = NULL;
	FILE *man = NULL, *fman = NULL, *stk = NULL;
	char path[8192], fdir[4200];
	if (out && !dry) {
		bool empty;
		if (mkdir(out, 0755) != 0 && errno != EEXIST) {
			fprintf(stderr, "cbec gen: cannot create %s: %s\n", out, strerror(errno));
			goto out;
		}
		if (clear_dir(out, force, &empty) != 0) {
			fprintf(stderr, "cbec gen: cannot clear %s\n", out);
			goto out;
		}
		if (!empty) {
			fprintf(
			    stderr,
			    "cbec gen: %s already holds files; choose a new folder, or --force to "
			    "replace an earlier workload there\n",
			    out);
			goto out;
		}
		snprintf(fdir, sizeof fdir, "%s/followups", out);
		snprintf(path, sizeof path, "%s/manifest.tsv", out);
		if (mkdir(fdir, 0755) != 0 && errno != EEXIST) {
			fprintf(stderr, "cbec gen: cannot create %s: %s\n", fdir, strerror(errno));
			goto out;
		}
		man = fopen(path, "w");
		snprintf(path, sizeof path, "%s/manifest.tsv", fdir);
		fman = fopen(path, "w");
		snprintf(path, sizeof path, "%s/stock-in.csv", out);
		stk = fopen(path, "w");
		if (!man || !fman || !stk || write_accounts(out) != 0) {
			fprintf(stderr, "cbec gen: cannot write in %s: %s\n", out, strerror(errno));
			goto out;
		}
		fprintf(man, "file\torder_no\ttype\tsender\texpect\tfault\n");
		fprintf(fman, "file\torder_no\ttype\tsender\tlist_type\tlist_key\texpect\n");
		fprintf(stk, "emsNo,itemRecordNo,gcode,gname,unit,qty,entryNo,owner,before\n");
		snprintf(path, sizeof path, "%s/README.txt", fdir);
		if (write_file(path, followups_readme, sizeof followups_readme - 1) != 0) {
			fprintf(stderr, "cbec gen: cannot write %s: %s\n", path, strerror(errno));
			goto out;
		}
	}
	g = gen_new(&o, t);
	if (!g) {
		fprintf(stderr,
		        "cbec gen: the tariff table %s has no goods the platform accepts "
		        "(or out of memory)\n",
		        tariff_path);
		goto out;
	}
	if (send) {
		status = cmd_gen_send(g, send, tokens, (int)clients, rate, (int)wait_s, quiet);
		goto out;
	}
	double t0 = clock_s();
	struct gen_msg m;
	struct gen_stockin si;
	int rc;
	for (;;) {
		while ((rc = gen_next_stockin(g, &si)) == 1) {
			if (dry)
				continue;
			char q[DEC_FMT_MAX];
			/* gname quoted: goods names may hold commas */
			fprintf(stk, "%s,%s,%s,\"%s\",%s,%s,%s,%s,%llu\n", si.ems_no, si.item_no,
			        si.gcode, si.gname, si.unit, dec_format(si.qty, q), si.entry,
			        si.owner, (unsigned long long)si.before);
		}
		if (rc < 0 || (rc = gen_next(g, &m)) != 1)
			break;
		if (dry)
			continue;
		char name[32];
		snprintf(name, sizeof name, "%09llu-CEB%d.xml", (unsigned long long)m.seq, m.type);
		snprintf(path, sizeof path, "%s/%s", m.followup ? fdir : out, name);
		if (write_file(path, m.xml, m.len) != 0) {
			fprintf(stderr, "cbec gen: cannot write %s: %s\n", path, strerror(errno));
			goto out;
		}
		if (m.followup)
			fprintf(fman, "%s\t%s\t%d\t%s\t621\t%s|%s\t%s\n", name, m.order_no, m.type,
			        m.sender, m.ebp_code, m.order_no, m.expect);
		else
			fprintf(man, "%s\t%s\t%d\t%s\t%s\t%s\n", name, m.order_no, m.type, m.sender,
			        m.expect, m.fault ? m.fault : "-");
	}
	if (rc < 0) {
		fprintf(stderr, "cbec gen: %s\n", cbec_strerror(rc));
		goto out;
	}
	double secs = clock_s() - t0;
	if (man && fclose(man) != 0) {
		man = NULL;
		fprintf(stderr, "cbec gen: cannot write the manifest: %s\n", strerror(errno));
		goto out;
	}
	man = NULL;
	if (fman && fclose(fman) != 0) {
		fman = NULL;
		fprintf(stderr, "cbec gen: cannot write the follow-up manifest: %s\n",
		        strerror(errno));
		goto out;
	}
	fman = NULL;
	if (stk && fclose(stk) != 0) {
		stk = NULL;
		fprintf(stderr, "cbec gen: cannot write the stock-in file: %s\n", strerror(errno));
		goto out;
	}
	stk = NULL;
	if (!quiet) {
		struct gen_stats st;
		gen_stats(g, &st);
		summary(&st, secs, out);
	}
	status = 0;
out:
	if (man)
		fclose(man);
	if (fman)
		fclose(fman);
	if (stk)
		fclose(stk);
	gen_free(g);
	tariff_free(t);
	return status;
}
