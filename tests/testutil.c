#include "testutil.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *env_or(const char *name, const char *dflt)
{
	const char *v = getenv(name);
	return v && *v ? v : dflt;
}

const char *tu_shared(const char *rel)
{
	static char path[4096];
	snprintf(path, sizeof path, "%s/%s", env_or("CBEC_SHARED", "../shared"), rel);
	return path;
}

const char *tu_src(const char *rel)
{
	static char path[4096];
	snprintf(path, sizeof path, "%s/%s", env_or("CBEC_SRC", "."), rel);
	return path;
}

char *tu_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "cannot open %s\n", path);
		abort();
	}
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *p = malloc((size_t)n + 1);
	if (!p || fread(p, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "cannot read %s\n", path);
		abort();
	}
	fclose(f);
	p[n] = '\0';
	if (len)
		*len = (size_t)n;
	return p;
}

int tu_count(const char *hay, size_t n, const char *what)
{
	int k = 0;
	size_t m = strlen(what);
	for (size_t i = 0; i + m <= n; i++)
		if (!memcmp(hay + i, what, m))
			k++;
	return k;
}

void tu_rm_sqlite(const char *path)
{
	char side[4096];
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
}

int tu_rm_tree(const char *dir)
{
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* The URL of database `db` on the server of `base` (its path replaced). */
void tu_pg_url(const char *base, const char *db, char *out, size_t n)
{
	const char *host = strstr(base, "://");
	host = host ? host + 3 : base;
	const char *slash = strchr(host, '/');
	const char *query = strchr(host, '?');
	size_t head = slash ? (size_t)(slash - base) : query ? (size_t)(query - base) : strlen(base);
	snprintf(out, n, "%.*s/%s%s", (int)head, base, db, query ? query : "");
}

static void quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

int tu_pg_admin(const char *sql)
{
	PGconn *c = PQconnectdb(getenv("CBEC_TEST_PG"));
	int rc = -1;
	if (PQstatus(c) == CONNECTION_OK) {
		PQsetNoticeProcessor(c, quiet, NULL);
		PGresult *r = PQexec(c, sql);
		rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : -1;
		if (rc)
			fprintf(stderr, "# %s: %s", sql, PQerrorMessage(c));
		PQclear(r);
	} else {
		fprintf(stderr, "# CBEC_TEST_PG is set but the server is unreachable: %s",
			PQerrorMessage(c));
	}
	PQfinish(c);
	return rc;
}
