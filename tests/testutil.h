/* Helpers shared by the unit tests: locating fixtures and reading files. */
#ifndef CBEC_TESTUTIL_H
#define CBEC_TESTUTIL_H

#include <stddef.h>

/* $CBEC_SHARED/<rel> (the shared domain reference), in a static buffer. */
const char *tu_shared(const char *rel);
/* $CBEC_SRC/<rel> (this repository), in a static buffer. */
const char *tu_src(const char *rel);
/* Whole file, NUL-terminated, malloc'd; aborts the test on failure. */
char *tu_read(const char *path, size_t *len);

#endif
