/* Field-format and arithmetic layers: walk a parsed message and report every field that
 * breaks its schema type or meaning, and every identity inside the message that does not
 * hold. Pure: no I/O, no state beyond its arguments. */
#ifndef CEB_VALIDATE_H
#define CEB_VALIDATE_H

#include <stdbool.h>

#include "ceb/finding.h"
#include "ceb/model.h"

struct ceb_validate_opts {
	/* 1239 (保税跨境贸易电子商务A) accepted as an import tradeMode; rules.md I-06 leaves it
	 * to the local customs. */
	bool import_1239;
};

void ceb_validate_opts_default(struct ceb_validate_opts *o);
void ceb_validate(const struct ceb_msg *m, const struct ceb_validate_opts *o,
		  struct ceb_findings *f);

/* Exposed for the clearance rules and tests. */
bool ceb_guid_ok(const char *s, size_t n);
bool ceb_idcard_ok(const char *s, size_t n); /* GB 11643 resident ID with check digit */
/* YYYYMMDD[hhmmss[SSS]] of length 8, 14 or 17 and a real calendar date/time. */
bool ceb_datetime_ok(const char *s, size_t n);
/* Value of a decimal field already checked by the format layer; false if absent/invalid. */
bool ceb_dec_of(const struct ceb_node *rec, int field, int64_t *out);

#endif
