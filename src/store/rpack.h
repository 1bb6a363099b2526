/* rpack: a receipt's XML as the store keeps it.
 *
 * Every receipt the platform writes (its own and customs' relayed) wraps one return record
 * in the same envelope: the XML declaration and a CEBnnnMessage element whose only
 * variable part is the message guid. The envelope was ~190 of a receipt's ~660 bytes, and
 * receipts (2.3 a message) 30 % of the store, so the store keeps the guid and what lies
 * inside the envelope, and puts the envelope back when a receipt is read: the same bytes
 * come out as went in. A receipt in any other shape is kept whole.
 *
 * Kept form: '#', the guid, '\n', the inside. XML text starts with '<' (or a BOM or
 * blanks), never '#', so a whole receipt is never taken for a kept one. */
#ifndef STORE_RPACK_H
#define STORE_RPACK_H

#include <stdbool.h>

#include "base/buf.h"

/* The kept form of `xml`, a receipt of message type `type`, into *out (reset first):
 * true when it is in the envelope's shape, false when it is to be kept as it is (out is
 * left empty then). Check out->err for a failed allocation. */
bool rpack_pack(struct buf *out, int type, const char *xml);
/* The receipt back from what the store kept, into *out (reset first): true when `kept` was
 * in the kept form, false when it is the whole XML already (out left empty). */
bool rpack_unpack(struct buf *out, int type, const char *kept);

#endif
