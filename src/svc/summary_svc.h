/* 9610 export summaries in the service (rules.md §9): which lists are eligible (S-02), the
 * CEB701 an enterprise's build sends, the writer's checks and records when a 701 is applied,
 * and customs' answers (702 receipt, 792 result). The grouping itself is clear/summary.h.
 *
 * A build reads (any store connection), groups and writes a CEB701; the 701 then goes
 * through the writer like any message: each SummaryApply is checked (summary_svc_check: its
 * lists released, of its shipper, statisticsFlag B, in no other summary) and, stored as a
 * document, claims its lists (summary_svc_claim) in the same transaction; the store's key
 * on summary_list is the last word on "one summary per list". */
#ifndef SVC_SUMMARY_SVC_H
#define SVC_SUMMARY_SVC_H

#include <jansson.h>
#include <stdint.h>

struct arena;
struct ceb_findings;
struct ceb_node;
struct store;
struct store_doc;
struct store_summary;

/* ---- a build (read side) ---- */

struct summary_build {
	const char *ebc;    /* the shipper, who applies (the caller) */
	const char *period; /* YYYY-MM: lists released in that month, Beijing time */
	int summary_flag;   /* 1 or 2 (S-03) */
	int item_name_flag; /* 1 or 0 */
	const char *decl_agent_code, *decl_agent_name; /* the 报关单's broker; NULL: the shipper */
	int64_t now_ms;
};

/* Eligible lists of b->ebc for b->period, grouped. *preview (always, owned by the caller):
 * {period, deadline, ebc, lists: {eligible, counted (A), other, inSummary}, declarations: [...]}.
 * *xml (malloc'd, or NULL when no list is eligible): the CEB701 to submit as b->ebc, and
 * copNo[] (malloc'd strings in *cop_nos, *ncop) the SummaryApply numbers it carries.
 * CBEC_EINVAL for a bad period or flag, or a store error. */
int summary_svc_prepare(struct store *r, const struct summary_build *b, json_t **preview,
                        char **xml, size_t *xml_len, char ***cop_nos, int *ncop);

/* ---- the writer: a CEB701 entity being applied ---- */

struct summary_claim;

/* Check one SummaryApply (entity of a CEB701) sent by `owner`. Findings (S-01..S-03) are
 * added to f; without errors *claim (in arena a) is what summary_svc_claim records. */
int summary_svc_check(struct store *w, const struct ceb_node *entity, const char *owner,
                      const char *doc_key, struct arena *a, struct ceb_findings *f,
                      struct summary_claim **claim);
/* Record the summary of the stored 701 document doc_id and put its lists in it. */
int summary_svc_claim(struct store *w, const struct summary_claim *c, int64_t doc_id, int64_t now);

/* Customs' 702 receipt for a 701 document: 399 accepted (120 too), 100 or an error code
 * refused (its lists free again). Other statuses change nothing. */
int summary_svc_receipt(struct store *w, const struct store_doc *d, const char *status,
                        const char *sum_no, int64_t now);
/* Customs' 792 result (one SummaryResult entity) for a 701 document: kept with the summary,
 * which is then declared. */
int summary_svc_result(struct store *w, const struct store_doc *d, const struct ceb_node *entity,
                       int64_t now);

/* ---- reads ---- */

/* A summary as JSON: its row, declarations as built, lists, customs' results, deadline. */
json_t *summary_svc_json(struct store *r, const struct store_summary *sm);

#endif
