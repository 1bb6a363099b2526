/* Hardened streaming parser: CEB XML bytes in, a message model plus the findings of the XML
 * and structure layers out. libxml2 SAX2 with no DTD, no entities, no network, UTF-8 only by
 * default, and caps on size, depth and element count. One parser per thread: it keeps the
 * libxml2 context and its name dictionary across messages. */
#ifndef CEB_PARSE_H
#define CEB_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "ceb/finding.h"
#include "ceb/model.h"

struct arena;

struct ceb_parse_opts {
	size_t max_bytes;      /* larger documents are refused unread */
	unsigned max_depth;    /* element nesting (the schema needs 6; Signature 5 more) */
	unsigned max_elements; /* elements in one document */
	/* Honour the declared encoding (customs receipts may be GB2312). Declarations from
	 * enterprises are UTF-8 only, so this is off by default. */
	bool any_encoding;
};

void ceb_parse_opts_default(struct ceb_parse_opts *o);

struct ceb_parser;

/* NULL when out of memory. opts NULL = defaults. */
struct ceb_parser *ceb_parser_new(const struct ceb_parse_opts *opts);
void ceb_parser_free(struct ceb_parser *p);

/* Parse buf[0..len). The message and findings are allocated in `a`. Returns the message --
 * possibly incomplete when the XML is broken -- or NULL when not even its type is known;
 * findings say why. *err is set to a CBEC_E code only on internal failure (memory).
 * *well_formed tells whether the whole document parsed as XML. */
struct ceb_msg *ceb_parse(struct ceb_parser *p, const char *buf, size_t len, struct arena *a,
			  struct ceb_findings *f, bool *well_formed, int *err);

#endif
