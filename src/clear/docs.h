/* The documents of clearance as data: for every declaration message, what its receipt is,
 * which head fields form its key (unique per type) and its link (how a list finds it), and
 * what part it plays in matching. Also builds the receipt message answering one entity. */
#ifndef CLEAR_DOCS_H
#define CLEAR_DOCS_H

#include <stdint.h>

#include "ceb/finding.h"
#include "ceb/model.h"

struct arena;

enum doc_role {
	DOC_R_OTHER,
	DOC_R_ORDER,   /* 311, 303 */
	DOC_R_PAYMENT, /* 411; export collection note 403 */
	DOC_R_WAYBILL, /* 511, 505 */
	DOC_R_LIST,    /* 621, 603 */
	DOC_R_CANCEL,  /* 623, 605 */
	DOC_R_REFUND,  /* 625, 213 */
};

struct doc_type {
	int code;    /* declaration message code */
	int receipt; /* the receipt message code answering it */
	uint8_t role;
	const char *key[3];  /* head fields joined by '|' */
	const char *link[3]; /* head fields of the key a list is found by, or none */
	const char *zh, *en; /* what to call it in receipts */
};

/* The document type of a declaration message code, or NULL (receipts, customs documents). */
const struct doc_type *doc_type_of(int code);

/* The key / link text of an entity's head record (arena strings; "" when a field is
 * missing, which validation has already reported). */
const char *doc_key(struct arena *a, const struct doc_type *t, const struct ceb_node *head);
const char *doc_link(struct arena *a, const struct doc_type *t, const struct ceb_node *head);

/* The document type a customs receipt message code answers (312 -> 311), or NULL. */
const struct doc_type *doc_type_of_receipt(int code);
/* The key of the document a customs receipt's return record answers, from the key fields it
 * carries under the declaration's names (a 312's ebpCode and orderNo); NULL when one of them
 * is missing or its receipt has no such field (a 622 carries no orderNo). Arena string. */
const char *doc_receipt_key(struct arena *a, const struct doc_type *t, const struct ceb_node *ret);

/* A new upper-case UUID (F-02 layout) into out[37]. */
void doc_new_guid(char out[37]);
/* YYYYMMDDhhmmssSSS of a unix-ms time (local time of Beijing, UTC+8, as customs writes it). */
void doc_time17(int64_t ms, char out[18]);
void doc_time14(int64_t ms, char out[15]);

struct receipt_args {
	const char *status; /* returnStatus: "2", "120", "-621005", ... */
	const char *info;   /* returnInfo, at most 1000 characters (cut with "…" beyond) */
	int64_t now_ms;
	const char *pre_no; /* e-port number for list receipts (C18), or NULL */
	const char *invt_no; /* customs list number, or NULL */
};

/* An empty receipt message of type t->receipt with a fresh guid; NULL when out of memory. */
struct ceb_msg *doc_receipt_new(struct arena *a, const struct doc_type *t);
/* Add the return entity answering one entity of a declaration (its head record): fields the
 * receipt shares with the head are copied, then the status, time and information. */
int doc_receipt_add(struct ceb_msg *m, const struct doc_type *t, const struct ceb_node *head,
		    const struct receipt_args *r);
/* New message with one return entity. */
struct ceb_msg *doc_receipt(struct arena *a, const struct doc_type *t, const struct ceb_node *head,
			    const struct receipt_args *r);

/* returnInfo text for a list of findings: "[Code:C;Desc:D] [rule] path: 中文 (English) …",
 * cut to 1000 characters. Arena string. */
const char *doc_findings_info(struct arena *a, const char *code, const char *desc,
			      const struct ceb_findings *f);

/* The customs error code a rule maps to (e.g. L-01 -> "-621005"), or the generic one of
 * the document type when the spec names none. */
const char *doc_reject_code(const struct doc_type *t, enum ceb_rule_id rule);

#endif
