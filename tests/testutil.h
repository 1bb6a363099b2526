/* Helpers shared by the unit tests: locating fixtures, reading files, counting, and the
 * throwaway PostgreSQL of tests/with_pg.sh. */
#ifndef CBEC_TESTUTIL_H
#define CBEC_TESTUTIL_H

#include <stddef.h>

/* $CBEC_SHARED/<rel> (the shared domain reference), in a static buffer. */
const char *tu_shared(const char *rel);
/* $CBEC_SRC/<rel> (this repository), in a static buffer. */
const char *tu_src(const char *rel);
/* Whole file, NUL-terminated, malloc'd; aborts the test on failure. */
char *tu_read(const char *path, size_t *len);
/* How many times `what` occurs in the n bytes at hay (overlapping ones too). */
int tu_count(const char *hay, size_t n, const char *what);
/* Remove a SQLite database file and its -wal and -shm beside it. */
void tu_rm_sqlite(const char *path);
/* Remove a (temporary) folder and everything in it: 0, or -1. */
int tu_rm_tree(const char *dir);
/* Run one statement on the server of $CBEC_TEST_PG: 0, or -1 (said on stderr). */
int tu_pg_admin(const char *sql);
/* The URL of database `db` on the server of `base` (its path replaced). */
void tu_pg_url(const char *base, const char *db, char *out, size_t n);

#endif
