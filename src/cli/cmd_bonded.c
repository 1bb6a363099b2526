/* cbec bonded: the operator's side of the 1210 bonded account. `stock-in` credits first-line
 * entries (B-02) from a CSV or JSON file straight into the store, in one transaction: every
 * row is credited, or none (a resent row is harmless, a refused one stops the file). `show`
 * prints an account's figures. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/err.h"
#include "ceb/dec.h"
#include "cli/cmd.h"
#include "clear/bonded.h"
#include "store/store.h"
#include "svc/bonded_svc.h"

static const char usage_text[] =
    "usage: cbec bonded stock-in [--db URL] [--owner CODE] FILE.csv|FILE.json\n"
    "       cbec bonded show [--db URL] EMSNO [ITEMRECORDNO]\n"
    "\n"
    "stock-in: credits first-line entries into the bonded accounts (rules.md B-02). Each row\n"
    "is one item of one entry: emsNo, itemRecordNo, gcode, gname, unit, qty, entryNo and the\n"
    "warehouse enterprise keeping the account (owner; --owner gives it for rows without one).\n"
    "CSV: a header line naming those columns, then one row a line (\"quoted\" fields may hold\n"
    "commas). JSON: an array of objects with those keys (qty a decimal string or an integer),\n"
    "or one object. The file is one transaction: if any row is refused, nothing is credited.\n"
    "The same entryNo and item again with the same qty is harmless (already credited).\n"
    "\n"
    "exit status: 0 every row credited (or already), 1 a row refused, 2 usage or I/O error\n";

struct row {
	const char *f[8]; /* emsNo, itemRecordNo, gcode, gname, unit, qty, entryNo, owner */
	int line;
};
static const char *const cols[8] = {"emsNo", "itemRecordNo", "gcode",   "gname",
                                    "unit",  "qty",          "entryNo", "owner"};

/* Split one CSV line in place (RFC 4180 quotes, no line breaks inside a field). */
static int csv_split(char *s, char **out, int max)
{
	int n = 0;
	for (;;) {
		if (n == max)
			return -1;
		char *w = s;
		out[n++] = w;
		if (*s == '"') {
			s++;
			for (;;) {
				if (!*s)
					return -1;
				if (*s == '"' && s[1] == '"') {
					*w++ = '"';
					s += 2;
				} else if (*s == '"') {
					s++;
					break;
				} else {
					*w++ = *s++;
				}
			}
			if (*s && *s != ',')
				return -1;
		} else {
			while (*s && *s != ',')
				*w++ = *s++;
		}
		bool more = *s == ',';
		*w = '\0';
		if (!more)
			return n;
		s++;
	}
}

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	char *b = malloc(cap);
	size_t k;
	while (b && (k = fread(b + n, 1, cap - n - 1, f)) > 0) {
		n += k;
		if (n + 1 == cap) {
			char *nb = realloc(b, cap *= 2);
			if (!nb) {
				free(b);
				b = NULL;
			}
			b = nb;
		}
	}
	fclose(f);
	if (b)
		b[n] = '\0';
	return b;
}

/* Rows from a CSV text (modified in place). -1 and a message on a malformed file. */
static int rows_csv(char *text, struct row **rows, size_t *nrows)
{
	int idx[8];
	for (int i = 0; i < 8; i++)
		idx[i] = -1;
	char *save = NULL;
	int line = 0, ncols = 0;
	size_t cap = 0;
	*rows = NULL;
	*nrows = 0;
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		line++;
		size_t len = strlen(l);
		if (len && l[len - 1] == '\r')
			l[--len] = '\0';
		if (!len)
			continue;
		char *f[32];
		int n = csv_split(l, f, 32);
		if (n < 0) {
			fprintf(stderr, "cbec bonded: line %d: malformed CSV\n", line);
			return -1;
		}
		if (!ncols) {
			ncols = n;
			for (int i = 0; i < n; i++)
				for (int c = 0; c < 8; c++)
					if (!strcmp(f[i], cols[c]))
						idx[c] = i;
			for (int c = 0; c < 7; c++)
				if (idx[c] < 0) {
					fprintf(stderr,
					        "cbec bonded: the header has no column %s\n",
					        cols[c]);
					return -1;
				}
			continue;
		}
		if (*nrows == cap) {
			cap = cap ? cap * 2 : 64;
			struct row *r = realloc(*rows, cap * sizeof *r);
			if (!r)
				return -1;
			*rows = r;
		}
		struct row *r = &(*rows)[(*nrows)++];
		memset(r, 0, sizeof *r);
		r->line = line;
		for (int c = 0; c < 8; c++)
			r->f[c] = idx[c] >= 0 && idx[c] < n ? f[idx[c]] : NULL;
	}
	return 0;
}

/* Rows from JSON: strings borrowed from `doc`; integer quantities written into `nums`. */
static int rows_json(json_t *doc, struct row **rows, size_t *nrows, char (**nums)[24])
{
	json_t *arr = json_is_array(doc) ? doc : NULL;
	size_t n = arr ? json_array_size(arr) : 1;
	*rows = calloc(n ? n : 1, sizeof **rows);
	*nums = calloc(n ? n : 1, sizeof **nums);
	*nrows = 0;
	if (!*rows || !*nums)
		return -1;
	for (size_t i = 0; i < n; i++) {
		json_t *o = arr ? json_array_get(arr, i) : doc;
		if (!json_is_object(o)) {
			fprintf(stderr, "cbec bonded: entry %zu is not an object\n", i + 1);
			return -1;
		}
		struct row *r = &(*rows)[(*nrows)++];
		r->line = (int)i + 1;
		for (int c = 0; c < 8; c++) {
			json_t *v = json_object_get(o, cols[c]);
			if (json_is_integer(v) && c == 5) {
				snprintf((*nums)[i], sizeof(*nums)[i], "%lld",
				         (long long)json_integer_value(v));
				r->f[c] = (*nums)[i];
			} else {
				r->f[c] = json_string_value(v);
			}
		}
	}
	return 0;
}

static int stock_in(const char *db, const char *owner, const char *path)
{
	char *text = read_all(path);
	if (!text) {
		fprintf(stderr, "cbec bonded: cannot read %s\n", path);
		return 2;
	}
	struct row *rows = NULL;
	size_t nrows = 0;
	json_t *doc = NULL;
	char(*nums)[24] = NULL;
	struct store *s = NULL;
	int status = 2, rc;
	const char *dot = strrchr(path, '.');
	if (dot && !strcmp(dot, ".json")) {
		json_error_t jerr;
		doc = json_loads(text, 0, &jerr);
		if (!doc) {
			fprintf(stderr, "cbec bonded: %s: line %d: %s\n", path, jerr.line,
			        jerr.text);
			goto out;
		}
		rc = rows_json(doc, &rows, &nrows, &nums);
	} else {
		rc = rows_csv(text, &rows, &nrows);
	}
	if (rc)
		goto out;
	char err[256];
	if (store_open(db, false, &s, err, sizeof err) != 0) {
		fprintf(stderr, "cbec bonded: %s\n", err);
		goto out;
	}
	if (store_begin(s) != 0) {
		fprintf(stderr, "cbec bonded: cannot start a transaction\n");
		goto out;
	}
	int64_t now = (int64_t)time(NULL) * 1000;
	size_t credited = 0, repeated = 0, refused = 0;
	rc = 0;
	for (size_t i = 0; i < nrows && !rc; i++) {
		struct row *r = &rows[i];
		const char *who = r->f[7] && *r->f[7] ? r->f[7] : owner;
		int64_t qty = 0;
		if (!who) {
			fprintf(stderr, "%s:%d: REFUSED no owner (give the column or --owner)\n",
			        path, r->line);
			refused++;
			continue;
		}
		if (!r->f[5] || dec_parse(r->f[5], strlen(r->f[5]), 19, 5, &qty) != DEC_OK) {
			fprintf(stderr,
			        "%s:%d: REFUSED [B-02] qty: a decimal of at most 5 places\n", path,
			        r->line);
			refused++;
			continue;
		}
		struct bonded_stockin in = {r->f[0], r->f[1], r->f[2], r->f[3],
		                            r->f[4], r->f[6], qty};
		struct bonded_svc_answer ans;
		rc = bonded_svc_stockin(s, who, &in, now, &ans);
		if (rc)
			break;
		char b[DEC_FMT_MAX];
		if (ans.http != 200) {
			fprintf(stderr, "%s:%d: REFUSED [%s] %s: %s\n", path, r->line,
			        ans.rule ? ans.rule : "?", ans.field ? ans.field : "", ans.why);
			refused++;
		} else {
			printf("%s:%d: %s %s (available %s)\n", path, r->line,
			       ans.repeated ? "ALREADY" : "CREDITED", ans.why,
			       dec_format(bonded_available(&ans.after), b));
			if (ans.repeated)
				repeated++;
			else
				credited++;
		}
	}
	if (rc || refused) {
		store_rollback(s);
		if (rc)
			fprintf(stderr, "cbec bonded: the store failed: %s; nothing credited\n",
			        cbec_strerror(rc));
		else
			fprintf(stderr, "cbec bonded: %zu row(s) refused; nothing credited\n",
			        refused);
		status = rc ? 2 : 1;
		goto out;
	}
	if (store_commit(s) != 0) {
		fprintf(stderr, "cbec bonded: the commit failed; nothing credited\n");
		goto out;
	}
	printf("%zu credited, %zu already credited\n", credited, repeated);
	status = 0;
out:
	store_close(s);
	json_decref(doc);
	free(rows);
	free(nums);
	free(text);
	return status;
}

static int print_item(void *ctx, const struct store_bonded_item *it)
{
	struct bonded_qty q = {it->balance, it->reserved, it->committed};
	char b[4][DEC_FMT_MAX];
	printf("%s\t%s\t%s\t%s\t%s\t%s\tbalance %s\treserved %s\tcommitted %s\tavailable %s\n",
	       it->ems_no, it->item_no, it->owner, it->gcode, it->gname, it->unit,
	       dec_format(q.balance, b[0]), dec_format(q.reserved, b[1]),
	       dec_format(q.committed, b[2]), dec_format(bonded_available(&q), b[3]));
	(*(int *)ctx)++;
	return 0;
}

static int print_move(void *ctx, const struct store_bonded_move *m)
{
	char b[DEC_FMT_MAX];
	printf("  %lld\t%s\t%s\t%s\t%s\n", (long long)m->at, bonded_op_name(m->op),
	       dec_format(m->qty, b), m->doc ? m->doc : "", m->reason ? m->reason : "");
	return 0;
}

static int show(const char *db, const char *ems, const char *item)
{
	char err[256];
	struct store *s;
	if (store_open(db, true, &s, err, sizeof err) != 0) {
		fprintf(stderr, "cbec bonded: %s\n", err);
		return 2;
	}
	int n = 0, rc;
	if (item) {
		struct store_bonded_item it;
		rc = store_bonded_get(s, ems, item, &it);
		if (!rc) {
			print_item(&n, &it);
			rc = store_bonded_moves_of(s, ems, item, print_move, NULL);
			store_bonded_item_clear(&it);
		}
	} else {
		rc = store_bonded_each(s, ems, print_item, &n);
		if (!rc && !n)
			rc = CBEC_ENOTFOUND;
	}
	store_close(s);
	if (rc)
		fprintf(stderr, "cbec bonded: %s\n",
		        rc == CBEC_ENOTFOUND ? "no such account or item" : cbec_strerror(rc));
	return rc == CBEC_ENOTFOUND ? 1 : rc ? 2 : 0;
}

int cmd_bonded(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage_text, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	const char *verb = argv[1], *db = "sqlite:var/cbec.db", *owner = NULL;
	const char *args[2] = {NULL, NULL};
	int nargs = 0;
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--db") || !strcmp(argv[i], "--owner")) {
			if (i + 1 >= argc) {
				fprintf(stderr, "cbec bonded: %s needs a value\n", argv[i]);
				return 2;
			}
			*(!strcmp(argv[i], "--db") ? &db : &owner) = argv[i + 1];
			i++;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "cbec bonded: unknown option '%s'\n", argv[i]);
			return 2;
		} else if (nargs < 2) {
			args[nargs++] = argv[i];
		} else {
			fprintf(stderr, "cbec bonded: too many arguments\n");
			return 2;
		}
	}
	if (!strcmp(verb, "stock-in") && nargs == 1)
		return stock_in(db, owner, args[0]);
	if (!strcmp(verb, "show") && nargs >= 1)
		return show(db, args[0], args[1]);
	fputs(usage_text, stderr);
	return 2;
}
