/* Writer: a message model out as CEB XML, in schema order, with the conventional ceb:
 * prefix. Used for receipts and outgoing messages; parse(write(m)) gives back m. */
#ifndef CEB_WRITE_H
#define CEB_WRITE_H

#include <stdbool.h>

#include "base/buf.h"
#include "ceb/model.h"

struct ceb_write_opts {
	bool pretty;      /* newlines and tab indentation */
	bool declaration; /* <?xml version="1.0" encoding="UTF-8"?> first */
};

/* Append the message to out; 0 or a CBEC_E code (out->err on memory failure). */
int ceb_write(const struct ceb_msg *m, const struct ceb_write_opts *o, struct buf *out);

#endif
