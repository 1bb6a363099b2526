/* The benchmarks' shared clock and file removal (benchutil.h). */
#include "benchutil.h"

#include <stdio.h>
#include <time.h>

double bu_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void bu_remove(const char *path, const char *const *suffixes, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char p[4400];
		snprintf(p, sizeof p, "%s%s", path, suffixes[i]);
		remove(p);
	}
}
