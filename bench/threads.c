#include "threads.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

struct by_name {
	char name[24];
	double sec;
};

static int cmp_sec(const void *a, const void *b)
{
	double x = ((const struct by_name *)a)->sec, y = ((const struct by_name *)b)->sec;
	return (x < y) - (x > y);
}

/* Reads /proc/self/task/TID/FILE into buf; 0 when read. */
static int task_file(const char *tid, const char *file, char *buf, size_t n)
{
	char path[320];
	snprintf(path, sizeof path, "/proc/self/task/%s/%s", tid, file);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t k = fread(buf, 1, n - 1, f);
	fclose(f);
	buf[k] = 0;
	return k ? 0 : -1;
}

char *bt_line(uint64_t messages)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	double all_cpu_s = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
			   (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	struct by_name t[64];
	size_t n = 0;
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char name[sizeof t[0].name], stat[128];
		if (task_file(e->d_name, "comm", name, sizeof name) ||
		    task_file(e->d_name, "schedstat", stat, sizeof stat))
			continue;
		name[strcspn(name, "\n")] = 0;
		double sec = (double)strtoull(stat, NULL, 10) / 1e9; /* ns on a CPU */
		size_t i = 0;
		while (i < n && strcmp(t[i].name, name) != 0)
			i++;
		if (i == n) {
			if (n == sizeof t / sizeof *t)
				continue;
			snprintf(t[n].name, sizeof t[n].name, "%s", name);
			t[n++].sec = 0;
		}
		t[i].sec += sec;
	}
	if (d)
		closedir(d);
	qsort(t, n, sizeof *t, cmp_sec);
	double per = messages ? 1e6 / (double)messages : 0;
	char *line = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&line, &len);
	if (!f)
		return NULL;
	fprintf(f, "         CPU a message by thread:");
	for (size_t i = 0; i < n; i++)
		if (t[i].sec * per >= 0.05)
			fprintf(f, "%s %s %.1f us", i ? "," : "", t[i].name, t[i].sec * per);
	fprintf(f, "; all threads %.1f us\n", all_cpu_s * per);
	fclose(f);
	return line;
}
