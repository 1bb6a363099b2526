/* Findings: what is wrong with a message, each naming its rule, the element path, the source
 * line and a sentence in Chinese and English. A list lives in the message's arena. */
#ifndef CEB_FINDING_H
#define CEB_FINDING_H

#include <stdint.h>

#include "ceb/rules.h"

struct arena;

struct ceb_finding {
	enum ceb_rule_id rule;
	enum ceb_sev sev;
	const char *path; /* /CEB621Message/Inventory[1]/InventoryHead/buyerIdNumber */
	uint32_t line;    /* 1-based source line, 0 if unknown */
	const char *zh, *en;
	struct ceb_finding *next;
};

/* Severity per rule for one check run: defaults from the catalogue, overridable by
 * configuration (an unconfirmed rule can be made a warning or switched off). */
struct ceb_policy {
	uint8_t sev[CEB_RULE__N];
};

void ceb_policy_default(struct ceb_policy *p);
/* Apply "ID=error|warn|off"; 0 or CBEC_EINVAL. */
int ceb_policy_set(struct ceb_policy *p, const char *assignment);

struct ceb_findings {
	struct ceb_finding *head, *tail;
	unsigned count, errors;
	struct arena *arena;             /* borrowed */
	const struct ceb_policy *policy; /* borrowed; NULL = defaults */
};

void ceb_findings_init(struct ceb_findings *f, struct arena *a, const struct ceb_policy *p);

/* Record a finding; the two formats take the same arguments. A rule switched off by the
 * policy records nothing. Returns the finding or NULL (off, or out of memory). */
struct ceb_finding *ceb_report(struct ceb_findings *f, enum ceb_rule_id rule, const char *path,
			       uint32_t line, const char *fmt_zh, const char *fmt_en, ...);

/* Same with the two sentences already written (copied into the arena). */
struct ceb_finding *ceb_report_text(struct ceb_findings *f, enum ceb_rule_id rule,
				    const char *path, uint32_t line, const char *zh, const char *en);

#endif
