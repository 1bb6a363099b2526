/* What the benchmarks share besides the CPU line (threads.h) and the clock (base/clock.h):
 * removing a run's files. */
#ifndef BENCH_BENCHUTIL_H
#define BENCH_BENCHUTIL_H

#include <stddef.h>

/* Remove `path` followed by each of the n suffixes ("" for the file itself), as a run's
 * database leaves it with its -wal and -shm beside it; missing files are no error. */
void bu_remove(const char *path, const char *const *suffixes, size_t n);

#endif
