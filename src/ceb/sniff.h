/* A CEB message's identity read from its text without parsing it: the message type, its guid
 * and copCode, and the returnStatus codes of a receipt. For labels in logs only: what a
 * message really is, the checker decides. Never fails; what cannot be read is left empty. */
#ifndef CEB_SNIFF_H
#define CEB_SNIFF_H

#include <stddef.h>

struct ceb_sniff {
	char type[48]; /* "CEB311" for CEB311Message, else the root's local name */
	char guid[48]; /* the root's guid attribute */
	char cop[40];  /* the first copCode element */
};

void ceb_sniff(const char *xml, size_t len, struct ceb_sniff *out);
/* The distinct returnStatus values of a receipt, in order, comma-separated ("2", "3,100"). */
void ceb_sniff_status(const char *xml, size_t len, char *out, size_t outlen);

#endif
