/* Bump allocator for per-message work: everything a message needs is allocated here and
 * released in one arena_reset() or arena_free() when the message is done. */
#ifndef CBEC_ARENA_H
#define CBEC_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

struct arena *arena_new(size_t chunk_size);
void arena_free(struct arena *a);
/* Forget every allocation but keep the first chunk for reuse. */
void arena_reset(struct arena *a);
/* Zeroed memory aligned for any type, or NULL when out of memory. */
void *arena_alloc(struct arena *a, size_t n);
/* Copy of s[0..n) with a terminating NUL. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
/* printf into the arena; NULL on failure. */
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Bytes handed out since the last reset (for limits and tests). */
size_t arena_used(const struct arena *a);

#endif
