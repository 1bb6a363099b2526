/* cbec audit: check the audit log's hash chain, and show its records with filters. */
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "audit/audit.h"
#include "base/err.h"
#include "cli/cmd.h"

static const char usage_text[] =
	"usage: cbec audit verify PATH\n"
	"       cbec audit show PATH [--actor CODE] [--action ACTION] [--since ISO-TIME] [--json]\n"
	"\n"
	"verify: checks that every line of the audit log is intact and chained to the one before\n"
	"(exit 0), or names the first line that is not and why (exit 1).\n"
	"show: prints the records, oldest first; --actor an account code (or exchange), --action\n"
	"submit, read, auth-failed or forbidden, --since a UTC time such as 2026-11-24T08:00:00Z;\n"
	"--json prints the matching lines as stored (one JSON object a line). show does not check\n"
	"the chain: verify does.\n";

static int verify(const char *path)
{
	uint64_t n = 0;
	struct audit_problem p;
	int rc = audit_verify(path, &n, &p);
	if (rc == 0) {
		printf("%s: intact, %llu records\n", path, (unsigned long long)n);
		return 0;
	}
	if (rc == CBEC_EPARSE) {
		printf("%s: line %llu %s\n", path, (unsigned long long)p.line, p.why);
		return 1;
	}
	fprintf(stderr, "cbec audit verify: %s\n", p.why[0] ? p.why : cbec_strerror(rc));
	return 2;
}

static const char *field(json_t *j, const char *k)
{
	const char *v = json_string_value(json_object_get(j, k));
	return v ? v : "-";
}

static int show(const char *path, const char *actor, const char *action, const char *since, bool as_json)
{
	int64_t since_ms = 0;
	if (since && audit_parse_time(since, &since_ms) != 0) {
		fprintf(stderr, "cbec audit show: --since wants a UTC time such as 2026-11-24T08:00:00Z, not '%s'\n",
			since);
		return 2;
	}
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "cbec audit show: cannot open %s\n", path);
		return 2;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned long long lineno = 0, unreadable = 0;
	while ((n = getline(&line, &cap, f)) > 0) {
		lineno++;
		json_t *j = json_loadb(line, (size_t)n, 0, NULL);
		int64_t at = 0;
		if (!json_is_object(j) || audit_parse_time(field(j, "time"), &at) != 0) {
			fprintf(stderr, "cbec audit show: %s line %llu is not a record\n", path, lineno);
			unreadable++;
			json_decref(j);
			continue;
		}
		bool match = (!actor || !strcmp(field(j, "actor"), actor)) &&
			     (!action || !strcmp(field(j, "action"), action)) && (!since || at >= since_ms);
		if (match && as_json) {
			fwrite(line, 1, (size_t)n, stdout);
		} else if (match) {
			json_int_t status = json_integer_value(json_object_get(j, "status"));
			printf("%6lld %s %-11s %s (%s) %s", (long long)json_integer_value(json_object_get(j, "seq")),
			       field(j, "time"), field(j, "action"), field(j, "actor"), field(j, "role"),
			       field(j, "resource"));
			if (json_object_get(j, "owner"))
				printf(" owner=%s", field(j, "owner"));
			if (status)
				printf(" status=%lld", (long long)status);
			if (json_object_get(j, "code"))
				printf(" code=%s", field(j, "code"));
			if (json_object_get(j, "remote"))
				printf(" from=%s", field(j, "remote"));
			putchar('\n');
		}
		json_decref(j);
	}
	free(line);
	bool bad_read = ferror(f);
	fclose(f);
	if (bad_read) {
		fprintf(stderr, "cbec audit show: cannot read %s\n", path);
		return 2;
	}
	return unreadable ? 1 : 0;
}

int cmd_audit(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage_text, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	const char *verb = argv[1], *path = NULL, *actor = NULL, *action = NULL, *since = NULL;
	bool as_json = false;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--json")) {
			as_json = true;
		} else if (a[0] == '-' && a[1] == '-' && !v) {
			fprintf(stderr, "cbec audit: %s needs a value (see cbec audit --help)\n", a);
			return 2;
		} else if (!strcmp(a, "--actor")) {
			actor = v, i++;
		} else if (!strcmp(a, "--action")) {
			action = v, i++;
		} else if (!strcmp(a, "--since")) {
			since = v, i++;
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "cbec audit: unknown option '%s' (see cbec audit --help)\n", a);
			return 2;
		} else if (!path) {
			path = a;
		} else {
			fprintf(stderr, "cbec audit: one PATH only\n");
			return 2;
		}
	}
	if (!path) {
		fprintf(stderr, "cbec audit %s: which log? (cbec audit %s PATH)\n", verb, verb);
		return 2;
	}
	if (!strcmp(verb, "verify")) {
		if (actor || action || since || as_json) {
			fprintf(stderr, "cbec audit verify: takes only PATH\n");
			return 2;
		}
		return verify(path);
	}
	if (!strcmp(verb, "show"))
		return show(path, actor, action, since, as_json);
	fprintf(stderr, "cbec audit: unknown command '%s' (verify or show)\n", verb);
	return 2;
}
