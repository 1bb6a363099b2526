/* The benchmarks' file removal (benchutil.h). */
#include "benchutil.h"

#include <stdio.h>

void bu_remove(const char *path, const char *const *suffixes, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char p[4400];
		snprintf(p, sizeof p, "%s%s", path, suffixes[i]);
		remove(p);
	}
}
