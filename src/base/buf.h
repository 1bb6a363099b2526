/* Growable byte buffer for output. A failed allocation sets err and turns every later
 * append into a no-op, so writers check once at the end. */
#ifndef CBEC_BUF_H
#define CBEC_BUF_H

#include <stddef.h>
#include <string.h>

struct buf {
	char *p;    /* always NUL-terminated when non-NULL */
	size_t n;   /* bytes used, without the NUL */
	size_t cap;
	int err;    /* CBEC_ENOMEM after a failed growth */
};

#define BUF_INIT {NULL, 0, 0, 0}

void buf_free(struct buf *b);
void buf_reset(struct buf *b);
int buf_reserve(struct buf *b, size_t extra);
/* The growing half of buf_put (the rest is inline: receipts and the workload are written
 * a few bytes at a time, millions of calls a second). */
void buf_put_slow(struct buf *b, const void *p, size_t n);

static inline void buf_put(struct buf *b, const void *p, size_t n)
{
	if (b->cap - b->n <= n || b->err) {
		buf_put_slow(b, p, n);
		return;
	}
	if (n)
		memcpy(b->p + b->n, p, n);
	b->n += n;
	b->p[b->n] = '\0';
}

/* inline, so a literal's length is known where it is written */
static inline void buf_puts(struct buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

static inline void buf_putc(struct buf *b, char c)
{
	buf_put(b, &c, 1);
}
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append text escaped for XML character data and attribute values. */
void buf_put_xml(struct buf *b, const char *s, size_t n);
/* Append text escaped as a JSON string body (no quotes). */
void buf_put_json(struct buf *b, const char *s, size_t n);
/* Hand the bytes to the caller (who frees them) and reset the buffer. */
char *buf_detach(struct buf *b, size_t *len);

#endif
