/* CPU time by thread, for the benchmarks' "where the CPU went" line: read from
 * /proc/self/task (time on a CPU, user and system, of the threads alive when asked), summed
 * by thread name. */
#ifndef BENCH_THREADS_H
#define BENCH_THREADS_H

#include <stdint.h>

/* "CPU a message by thread: NAME µs, ...; all threads µs\n" for `messages`, the threads'
 * names in order of their share; "all threads" is the process's user + system time so far
 * (getrusage), which also counts threads that have ended. malloc'd; NULL without memory.
 * Taken while the threads of interest are alive, printed whenever suits. */
char *bt_line(uint64_t messages);

#endif
