/* cbec check: check CEB message files (or folders of them) and say ACCEPT or REJECT with
 * every finding. Exit 0 when all are accepted, 1 when any is rejected, 2 on usage or I/O
 * errors. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/err.h"
#include "ceb/check.h"
#include "ceb/sig.h"
#include "cli/cmd.h"

static const char usage_text[] =
	"usage: cbec check [options] FILE|DIR ...\n"
	"\n"
	"Checks each CEB message (a folder: every *.xml below it) through every layer --\n"
	"XML safety, schema structure, field formats and code tables, arithmetic inside the\n"
	"message, XML signature -- and prints ACCEPT or REJECT with every finding: rule id,\n"
	"element path, line, and the reason in Chinese and English. '-' reads standard input.\n"
	"\n"
	"options:\n"
	"  --json               one JSON document with every result\n"
	"  --quiet              print only rejected messages (and the summary)\n"
	"  --rule ID=SEVERITY   make a rule error, warn or off (repeatable), e.g. X-03=error\n"
	"  --trust FILE.pem     trusted CA or signer certificate (repeatable); signatures must\n"
	"                       then chain to one of them\n"
	"  --no-signatures      do not verify XML signatures\n"
	"  --max-bytes N        refuse documents larger than N bytes (default 8388608)\n"
	"  --import-1239        accept tradeMode 1239 on import lists\n"
	"\n"
	"exit status: 0 all accepted, 1 some rejected, 2 usage or I/O error\n";

struct opts {
	bool json, quiet;
	struct ceb_check_opts check;
};

struct tally {
	unsigned accepted, rejected, io_errors;
	json_t *results;
};

static int collect(const char *path, char ***list, size_t *n, size_t *cap);

static int add_path(const char *p, char ***list, size_t *n, size_t *cap)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		char **l = realloc(*list, nc * sizeof *l);
		if (!l)
			return CBEC_ENOMEM;
		*list = l;
		*cap = nc;
	}
	(*list)[(*n)++] = strdup(p);
	return (*list)[*n - 1] ? 0 : CBEC_ENOMEM;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int collect(const char *path, char ***list, size_t *n, size_t *cap)
{
	struct stat st;
	if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		if (!d)
			return add_path(path, list, n, cap); /* reported when read */
		size_t start = *n;
		struct dirent *e;
		int rc = 0;
		while (!rc && (e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			char child[4096];
			snprintf(child, sizeof child, "%s/%s", path, e->d_name);
			struct stat cs;
			if (stat(child, &cs) != 0)
				continue;
			size_t nl = strlen(e->d_name);
			if (S_ISDIR(cs.st_mode))
				rc = collect(child, list, n, cap);
			else if (nl > 4 && strcasecmp(e->d_name + nl - 4, ".xml") == 0)
				rc = add_path(child, list, n, cap);
		}
		closedir(d);
		qsort(*list + start, *n - start, sizeof **list, cmp_str);
		return rc;
	}
	return add_path(path, list, n, cap);
}

/* The message bytes: mapped for files (so an oversized one costs nothing to refuse), read
 * for standard input. */
struct input {
	const char *p;
	size_t n;
	void *map;
	char *heap;
};

static int input_open(const char *path, struct input *in, char *why, size_t whylen)
{
	memset(in, 0, sizeof *in);
	if (!strcmp(path, "-")) {
		struct buf b = BUF_INIT;
		char tmp[65536];
		size_t r;
		while ((r = fread(tmp, 1, sizeof tmp, stdin)) > 0)
			buf_put(&b, tmp, r);
		if (b.err) {
			buf_free(&b);
			snprintf(why, whylen, "out of memory");
			return -1;
		}
		in->heap = buf_detach(&b, &in->n);
		in->p = in->heap ? in->heap : "";
		return 0;
	}
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		snprintf(why, whylen, "%s", strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(why, whylen, "not a regular file");
		close(fd);
		return -1;
	}
	in->n = (size_t)st.st_size;
	if (in->n) {
		in->map = mmap(NULL, in->n, PROT_READ, MAP_PRIVATE, fd, 0);
		if (in->map == MAP_FAILED) {
			in->map = NULL;
			snprintf(why, whylen, "%s", strerror(errno));
			close(fd);
			return -1;
		}
		in->p = in->map;
	} else {
		in->p = "";
	}
	close(fd);
	return 0;
}

static void input_close(struct input *in)
{
	if (in->map)
		munmap(in->map, in->n);
	free(in->heap);
}

static void print_text(const char *path, const struct ceb_result *r, const struct opts *o)
{
	unsigned warns = r->findings.count - r->findings.errors;
	if (o->quiet && r->accepted)
		return;
	printf("%s: %s", path, r->accepted ? "ACCEPT" : "REJECT");
	if (r->msg)
		printf(" %s%s%.*s", r->msg->type->root, r->msg->guid.p ? " " : "",
		       r->msg->guid.p ? (int)r->msg->guid.n : 0, r->msg->guid.p ? r->msg->guid.p : "");
	printf(" (%u error%s, %u warning%s)\n", r->findings.errors, r->findings.errors == 1 ? "" : "s",
	       warns, warns == 1 ? "" : "s");
	for (const struct ceb_finding *f = r->findings.head; f; f = f->next) {
		printf("  %-7s %-7s %s", ceb_sev_name(f->sev), ceb_rules[f->rule].id, f->path);
		if (f->line)
			printf(" (line %u)", f->line);
		printf("\n          %s\n          %s\n", f->en, f->zh);
	}
}

static json_t *result_json(const char *path, const struct ceb_result *r)
{
	json_t *fa = json_array();
	for (const struct ceb_finding *f = r->findings.head; f; f = f->next)
		json_array_append_new(fa, json_pack("{s:s,s:s,s:s,s:s,s:i,s:s,s:s}", "rule",
						    ceb_rules[f->rule].id, "severity", ceb_sev_name(f->sev),
						    "layer", ceb_layer_name(ceb_rules[f->rule].layer),
						    "path", f->path, "line", (int)f->line, "zh", f->zh,
						    "en", f->en));
	json_t *o = json_pack("{s:s,s:s,s:o}", "file", path, "verdict", r->accepted ? "ACCEPT" : "REJECT",
			      "findings", fa);
	if (r->msg) {
		json_object_set_new(o, "type", json_string(r->msg->type->root));
		if (r->msg->guid.p)
			json_object_set_new(o, "guid", json_stringn(r->msg->guid.p, r->msg->guid.n));
	}
	return o;
}

static void check_one(struct ceb_checker *c, const char *path, const struct opts *o,
		      struct tally *t)
{
	struct input in;
	char why[256];
	if (input_open(path, &in, why, sizeof why) != 0) {
		fprintf(stderr, "cbec check: %s: %s\n", path, why);
		t->io_errors++;
		return;
	}
	struct ceb_result r;
	int err = ceb_check(c, in.p, in.n, &r);
	if (err) {
		fprintf(stderr, "cbec check: %s: %s\n", path, cbec_strerror(err));
		t->io_errors++;
	} else {
		if (r.accepted)
			t->accepted++;
		else
			t->rejected++;
		if (o->json)
			json_array_append_new(t->results, result_json(path, &r));
		else
			print_text(path, &r, o);
	}
	input_close(&in);
}

int cmd_check(int argc, char **argv)
{
	struct opts o = {0};
	ceb_check_opts_default(&o.check);
	struct ceb_sig_trust *trust = NULL;
	char **paths = NULL;
	size_t npaths = 0, cap = 0;
	int status = 2;
	struct ceb_checker *c = NULL;
	struct tally t = {0};

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(usage_text, stdout);
			status = 0;
			goto out;
		} else if (!strcmp(a, "--json")) {
			o.json = true;
		} else if (!strcmp(a, "--quiet")) {
			o.quiet = true;
		} else if (!strcmp(a, "--no-signatures")) {
			o.check.verify_signatures = false;
		} else if (!strcmp(a, "--import-1239")) {
			o.check.validate.import_1239 = true;
		} else if (!strcmp(a, "--rule") && i + 1 < argc) {
			if (ceb_policy_set(&o.check.policy, argv[++i]) != 0) {
				fprintf(stderr, "cbec check: --rule wants ID=error|warn|off with an id "
						"from 'cbec rules', not '%s'\n", argv[i]);
				goto out;
			}
		} else if (!strcmp(a, "--trust") && i + 1 < argc) {
			if (!trust && !(trust = ceb_sig_trust_new())) {
				fprintf(stderr, "cbec check: out of memory\n");
				goto out;
			}
			int err = ceb_sig_trust_add_pem_file(trust, argv[++i]);
			if (err) {
				fprintf(stderr, "cbec check: --trust %s: %s\n", argv[i], cbec_strerror(err));
				goto out;
			}
		} else if (!strcmp(a, "--max-bytes") && i + 1 < argc) {
			char *end;
			unsigned long long v = strtoull(argv[++i], &end, 10);
			if (*end || v == 0) {
				fprintf(stderr, "cbec check: --max-bytes wants a positive number\n");
				goto out;
			}
			o.check.parse.max_bytes = (size_t)v;
		} else if (a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, "cbec check: unknown option '%s' (see cbec check --help)\n", a);
			goto out;
		} else if (collect(a, &paths, &npaths, &cap) != 0) {
			fprintf(stderr, "cbec check: out of memory\n");
			goto out;
		}
	}
	if (!npaths) {
		fputs(usage_text, stderr);
		goto out;
	}
	o.check.trust = trust;
	c = ceb_checker_new(&o.check);
	if (!c) {
		fprintf(stderr, "cbec check: out of memory\n");
		goto out;
	}
	if (o.json)
		t.results = json_array();
	for (size_t i = 0; i < npaths; i++)
		check_one(c, paths[i], &o, &t);
	if (o.json) {
		json_t *doc = json_pack("{s:o,s:i,s:i,s:i}", "results", t.results, "accepted",
					(int)t.accepted, "rejected", (int)t.rejected, "errors",
					(int)t.io_errors);
		t.results = NULL;
		json_dumpf(doc, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(doc);
	} else {
		printf("%u accepted, %u rejected%s\n", t.accepted, t.rejected,
		       t.io_errors ? ", some files could not be read" : "");
	}
	status = t.io_errors ? 2 : t.rejected ? 1 : 0;
out:
	json_decref(t.results);
	ceb_checker_free(c);
	ceb_sig_trust_free(trust);
	for (size_t i = 0; i < npaths; i++)
		free(paths[i]);
	free(paths);
	return status;
}
