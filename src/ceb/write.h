/* Writer: a message model out as CEB XML, in schema order, with the conventional ceb:
 * prefix. Used for receipts and outgoing messages; parse(write(m)) gives back m. */
#ifndef CEB_WRITE_H
#define CEB_WRITE_H

#include <stdbool.h>

#include "base/buf.h"
#include "ceb/model.h"

/* What ceb_write puts first when asked to (store/rpack.c recognises it in receipts) */
#define CEB_XML_DECLARATION "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"

struct ceb_write_opts {
	bool pretty;      /* newlines and tab indentation */
	bool declaration; /* CEB_XML_DECLARATION first */
};

/* Append the message to out; 0 or a CBEC_E code (out->err on memory failure). */
int ceb_write(const struct ceb_msg *m, const struct ceb_write_opts *o, struct buf *out);

#endif
