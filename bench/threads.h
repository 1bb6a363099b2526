/* CPU time by thread, for the benchmarks' "where the CPU went" line: read from
 * /proc/self/task (time on a CPU, user and system, of the threads alive when asked), summed
 * by thread name. */
#ifndef BENCH_THREADS_H
#define BENCH_THREADS_H

#include <stdint.h>
#include <stdio.h>

/* Print "CPU a message by thread: NAME µs, ...; all threads µs" for `messages`, the
 * threads' names in order of their share. all_cpu_s: the process's user + system time so far
 * (getrusage), which also counts threads that have ended. */
void bt_print(FILE *f, uint64_t messages, double all_cpu_s);

#endif
