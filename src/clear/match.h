/* Three-document matching (三单对碰), rules.md §5: a list is compared with its order,
 * payment and waybill (import) or order and waybill (export), and every disagreement becomes
 * a finding (M-01..M-09, X-05). Pure: parsed entities in, findings out. */
#ifndef CLEAR_MATCH_H
#define CLEAR_MATCH_H

#include <stdbool.h>

#include "ceb/finding.h"
#include "ceb/model.h"

struct match_opts {
	/* M-06: the payer must be the buyer. The 2016 rule allows otherwise when the buyer's
	 * identity is verified; strict by default. */
	bool payer_is_buyer;
};

void match_opts_default(struct match_opts *o);

/* Import: the entities are the business nodes of their messages (CEB311 Order, CEB411
 * Payment, CEB511 Logistics, CEB621 Inventory; each as parsed, with parents up to the
 * root so paths are right). A NULL document is reported missing (M-01/M-02/M-03). */
void match_import(const struct ceb_node *order, const struct ceb_node *payment,
		  const struct ceb_node *waybill, const struct ceb_node *inventory,
		  const struct match_opts *o, struct ceb_findings *f);

/* Export: CEB303 Order, CEB505 Logistics, CEB603 Inventory; the CEB403 Receipts
 * (collection note) is optional and checked when given. */
void match_export(const struct ceb_node *order, const struct ceb_node *waybill,
		  const struct ceb_node *inventory, const struct ceb_node *receipts,
		  const struct match_opts *o, struct ceb_findings *f);

#endif
