/* The 1210 bonded-warehouse account (账册, rules.md §8), pure logic: the arithmetic of one
 * account record's quantities, a 621 line against its record (B-01 with B-06's choice of
 * unit), and the checks of a first-line stock-in (B-02). No store, no network: callers
 * (svc/bonded_svc.c) read the record, ask here, and write what this module decided.
 *
 * Quantities are int64_t in 1e-5 of the record's unit (DEC_SCALE, the N19,5 grid of qty).
 * A record's three figures only ever grow by journal movements, never by subtraction of
 * history:
 *   balance    everything credited: stock-in (B-02), returns and cancellations (B-05)
 *   reserved   held by lists in customs' hands (B-03), until released (100, cancel) or
 *              debited (800)
 *   committed  everything debited at second-line exit (800)
 * so on hand = balance - committed, and available = balance - reserved - committed, which
 * B-04 keeps >= 0 after every operation. */
#ifndef CLEAR_BONDED_H
#define CLEAR_BONDED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bonded_qty {
	int64_t balance, reserved, committed;
};

/* Journal movements. */
enum bonded_op {
	BONDED_CREDIT = 1, /* balance += q: stock-in, a return, a cancelled debited list */
	BONDED_RESERVE,    /* reserved += q: a list forwarded to customs; needs q <= available */
	BONDED_RELEASE,    /* reserved -= q: customs rejected (100) or cancelled a held list */
	BONDED_DEBIT,      /* reserved -= q, committed += q: the list was released (800) */
	BONDED_OP__N
};
/* "credit", "reserve", "release", "debit"; "?" otherwise. */
const char *bonded_op_name(int op);

/* balance - reserved - committed (may be negative only for corrupt figures). */
int64_t bonded_available(const struct bonded_qty *q);
/* Apply one movement. 0, or CBEC_EINVAL with *q unchanged when q <= 0, a figure would
 * overflow, a reserve exceeds what is available (B-04) or a release/debit exceeds what is
 * reserved. */
int bonded_apply(struct bonded_qty *q, enum bonded_op op, int64_t qty);

/* An account record as filed (备案): what every list line of this item must say. */
struct bonded_record {
	const char *gcode, *gname, *unit;
};

/* One 621 line as the check sees it (strings borrowed; NULL when absent). */
struct bonded_line {
	const char *item_no, *gcode, *gname, *unit, *unit1;
	int64_t qty, qty1;
};

enum bonded_field {
	BONDED_MATCH = 0,
	BONDED_F_GCODE,
	BONDED_F_GNAME,
	BONDED_F_UNIT, /* neither unit nor unit1 is the record's unit (B-06) */
};
/* The CEB field name a mismatch is about: "gcode", "gname", "unit". */
const char *bonded_field_name(enum bonded_field f);

/* B-01 and B-06: the line against its record. BONDED_MATCH and *qty = the quantity in the
 * record's unit (qty when unit is the record's unit, else qty1 when unit1 is), or the first
 * field that differs. Names compare exactly after trimming surrounding blanks. */
enum bonded_field bonded_match(const struct bonded_record *r, const struct bonded_line *l,
                               int64_t *qty);

/* A first-line stock-in (B-02): one item of one entry into the zone. */
struct bonded_stockin {
	const char *ems_no, *item_no, *gcode, *gname, *unit;
	const char *entry; /* the entry document's number: the idempotency key with the item */
	int64_t qty;
};

/* Field checks of a stock-in: every field present and within its CEB length (emsNo and
 * itemRecordNo C..30, gcode 10 digits, gname C..250, unit a customs unit code, entry
 * C..64), qty > 0. 0, or CBEC_EINVAL with the field's name in *field and a sentence in
 * why (English). */
int bonded_stockin_check(const struct bonded_stockin *in, const char **field, char *why,
                         size_t whylen);

/* What a stock-in does to an existing record: B-01 applies to the warehouse too (the same
 * item number cannot be filed as other goods). BONDED_MATCH or the field that differs. */
enum bonded_field bonded_stockin_match(const struct bonded_record *r,
                                       const struct bonded_stockin *in);

#endif
