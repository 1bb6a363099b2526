/* The 1210 bonded account in the service: the hooks apply.c calls inside the writer's
 * transaction (so every movement is atomic with the list's decision), and first-line
 * stock-in (B-02) for the HTTP API and the CLI. The arithmetic and the matching are
 * clear/bonded.c; this file reads and writes the store around them.
 *
 * When a list's stock is held (B-03): rules.md says "reserve at 621 acceptance (120)"
 * and B-04 says a list that would go below zero is "rejected before forwarding". Both hold
 * only if the quantity is reserved at the moment the platform forwards the list: checking
 * at forwarding and reserving at 120 would let two lists pass the same stock while both
 * are on their way to customs. So the platform reserves when it forwards (the list's
 * pre-check, as the buyer's quota is held), customs' 120 confirms the reservation without
 * a movement, 800 debits it, 100 and an approved cancellation release it. */
#ifndef SVC_BONDED_SVC_H
#define SVC_BONDED_SVC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clear/bonded.h"

struct arena;
struct ceb_findings;
struct ceb_node;
struct store;

/* Whether a 621 entity is a 1210 bonded list. */
bool bonded_svc_is_bonded(const struct ceb_node *list_entity);

/* B-01 (with B-06) and B-04 for every line of a 1210 list (other lists: nothing), findings
 * into f. Reads only. 0 or a store error. */
int bonded_svc_check(struct store *w, const struct ceb_node *list_entity, struct arena *ar,
                     struct ceb_findings *f);
/* B-03: reserve every line of a 1210 list that passed bonded_svc_check in this transaction
 * (other lists: nothing). `key` is the list's document key, kept in the journal. */
int bonded_svc_reserve(struct store *w, int64_t list_id, const char *key,
                       const struct ceb_node *list_entity, int64_t now);

enum bonded_settle {
	BONDED_SETTLE_DEBIT,   /* customs released the list (800): reservations become debits */
	BONDED_SETTLE_RELEASE, /* customs rejected it (100): reservations are released */
	BONDED_SETTLE_CANCEL,  /* cancellation approved: release what is held, credit back what
	                          was debited (B-05) */
};
int bonded_svc_settle(struct store *w, int64_t list_id, const char *key, enum bonded_settle how,
                      const char *why, int64_t now);
/* B-05: a return approved by customs credits back its lines (gnum, qty in the list's
 * declared unit, converted to the record's unit in proportion to the line). */
int bonded_svc_return(struct store *w, int64_t list_id, const char *key,
                      const struct ceb_node *refund_entity, int64_t now);

/* The outcome of one stock-in. */
struct bonded_svc_answer {
	int http;                /* 200 credited or already credited, 400, 403, 409 */
	bool repeated;           /* the same entry and item again: nothing changed */
	const char *rule;        /* the rule refusing it ("B-01", "B-02"), or NULL */
	const char *field;       /* the field at fault, or NULL */
	char why[400];           /* English */
	struct bonded_qty after; /* the record's figures after it */
};
/* B-02: credit one stock-in from `owner` (the enterprise keeping the account). The first
 * stock-in of an item files its record (gcode, gname, unit); an account (emsNo) belongs to
 * the enterprise of its first stock-in. Entry + item is credited once: a resend with the
 * same quantity is answered as the first, another quantity is a conflict. 0 (see ans) or a
 * store error. */
int bonded_svc_stockin(struct store *w, const char *owner, const struct bonded_stockin *in,
                       int64_t now, struct bonded_svc_answer *ans);

#endif
