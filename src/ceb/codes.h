/* Customs code tables (currency, country, unit of measure, customs district, transport
 * mode, packing type) as sorted arrays; look-ups are binary searches. The tables are data
 * from the customs parameter tables; codes.c says where each comes from. */
#ifndef CEB_CODES_H
#define CEB_CODES_H

#include <stddef.h>

enum ceb_codeset {
	CEB_CODES_CURRENCY, /* 3-digit customs currency code, 142 = CNY */
	CEB_CODES_COUNTRY,  /* 3-digit customs country/region code, 142 = China */
	CEB_CODES_UNIT,     /* 3-digit unit of measure (JGS-20), 007 = 个 */
	CEB_CODES_CUSTOMS,  /* 4-digit customs district (关区代码), 2900 = 杭州关区 */
	CEB_CODES_TRAFMODE, /* 1-character transport mode */
	CEB_CODES_WRAPTYPE, /* 1-character packing type */
	CEB_CODES__N
};

struct ceb_code {
	const char *code;
	const char *zh;
	const char *en; /* may be "" where the table has no English name */
};

/* The entry for code[0..n), or NULL if the set does not list it. */
const struct ceb_code *ceb_code_find(enum ceb_codeset set, const char *code, size_t n);
/* All entries of a set, sorted by code. */
const struct ceb_code *ceb_codes(enum ceb_codeset set, size_t *count);
const char *ceb_codeset_name(enum ceb_codeset set);

#endif
