#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>

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
