/* 9610 export summary declarations (汇总申报, rules.md §9), pure logic: released export lists
 * (CEB603, parsed) go in, the 报关单 they summarise into come out, with exact totals and the
 * mapping back from each list line (invtNo + gnum) to its declaration and item (gseqno),
 * which is what customs' CEB792 carries. No store, no network: svc/summary_svc.c picks the
 * eligible lists (S-02) and writes what this module decided.
 *
 * S-01: only statisticsFlag B lists of mode 9610 are summarised; A lists are only counted.
 * S-03/S-04 (the keys; see README for the calls where rules.md is unsure):
 *   declaration  shipper ebcCode [+ producer ownerCode when summaryFlag = 2], transport mode
 *                trafMode, destination country (head country, 运抵国), exit customs
 *                portCode, and the declaring customs customsCode (one 701 per customs)
 *   item         final destination country (line country), 10-digit gcode, currency, the
 *                three units (quantities only add up in one unit) [+ itemName when
 *                itemNameFlag = 1]
 * Declarations and items are numbered in the order their first list / line is added, so
 * the same lists in the same order always give the same numbers. Quantities and amounts
 * are int64_t in 1e-5 (DEC_SCALE); a sum that would overflow is refused, never wrapped. */
#ifndef CLEAR_SUMMARY_H
#define CLEAR_SUMMARY_H

#include <stdint.h>

struct arena;
struct ceb_node;

struct summary_opts {
	int summary_flag;   /* 1 by shipper only; 2 by shipper + producer (S-03) */
	int item_name_flag; /* 1 items keep their own itemName apart; 0 by HS class */
};

struct summary_item {
	int gseqno; /* 1.. within its declaration */
	/* the line key */
	const char *country, *gcode, *currency, *unit, *unit1, *unit2; /* unit2 "" when none */
	const char *item_name; /* itemNameFlag 1: the key's itemName (gname when none) */
	const char *gname;     /* the first line's gname: what the item is called */
	int64_t qty, qty1, qty2, total_price;
	int nlines;
	struct summary_item *next;
};

struct summary_decl {
	int seq; /* 1.. */
	/* the head key; owner is the shipper itself when summaryFlag = 1 */
	const char *ebc_code, *ebc_name, *owner_code, *owner_name, *traf_mode, *country, *port_code,
	    *customs_code;
	int64_t gross_weight, net_weight, pack_no;
	int nlists, nitems;
	struct summary_item *items, *items_tail;
	const char **invt_nos; /* its lists, in the order added */
	int capinvt;
	struct summary_decl *next;
};

/* One list line and where it went. */
struct summary_map {
	const char *invt_no, *logistics_no, *gcode;
	int gnum;
	int decl, gseqno;
	struct summary_map *next;
};

/* One list and what became of it. */
enum summary_fate {
	SUMMARY_TAKEN,   /* B list: summarised into declaration `decl` */
	SUMMARY_COUNTED, /* A list (S-01): counted, not summarised */
	SUMMARY_OTHER,   /* not 9610: neither */
};

struct summary {
	struct arena *a;
	struct summary_opts o;
	struct summary_decl *decls, *decls_tail;
	int ndecls;
	struct summary_map *map, *map_tail;
	int nmap;
	int b_lists, a_lists, other_lists;
	/* invtNos seen (a list is summarised once): open addressing, arena-backed */
	const char **seen;
	unsigned nseen, capseen;
};

/* A new, empty summary in arena a (which owns everything it gives out); NULL when out of
 * memory. Flags other than 1/2 and 1/0 are taken as the defaults (1, 0). */
struct summary *summary_new(struct arena *a, const struct summary_opts *o);

/* Add one export list (the Inventory entity of a parsed CEB603) under the customs number
 * invt_no (the list body may predate it). 0 with *fate set (and *decl for a taken list);
 * CBEC_EINVAL when entity is not an export list or a required field or number is missing
 * or bad, CBEC_EEXIST when invt_no was already added (a list is summarised once), CBEC_ETOOBIG
 * when a total would overflow, CBEC_ENOMEM. On error nothing of the list is added. */
int summary_add(struct summary *s, const struct ceb_node *entity, const char *invt_no,
                enum summary_fate *fate, int *decl);

/* Declaration number seq (1..), or NULL. */
const struct summary_decl *summary_decl_at(const struct summary *s, int seq);

/* What a CEB701 needs beyond the lists. */
struct summary_apply_args {
	const char *agent_code, *agent_name; /* the applicant (申报单位): the sender */
	const char *decl_agent_code, *decl_agent_name; /* the 报关单's broker; NULL: the shipper */
	const char *cop_no; /* the application's own number; each SummaryApply gets "-seq" */
	const char *note;   /* or NULL */
	const char *dxp_id; /* BaseTransfer/dxpId */
	int64_t now_ms;
};

/* The CEB701 applying for every declaration of s: one SummaryApply per declaration (its
 * customs, shipper and lists; appType 1, appStatus 2, msgCount/msgSeqNo 1), new guids, in
 * arena a; NULL when out of memory, when s has no declaration or more than the 100 a
 * message may carry. */
struct ceb_msg *summary_apply_msg(struct arena *a, const struct summary *s,
                                  const struct summary_apply_args *g);

/* S-05 deadline of a period (the month whose releases are summarised): the 15th of the next
 * month, as "YYYY-MM-DD" into out[11]. 0, or CBEC_EINVAL for a bad month. */
int summary_deadline(int year, int month, char out[11]);
/* Parse "YYYY-MM" into year and month; 0 or CBEC_EINVAL. */
int summary_period_parse(const char *s, int *year, int *month);

#endif
