/* Workload generator: a realistic, deterministic stream of CEB declarations -- one city's
 * live-streaming festival day by default -- built with the project's own model and writer.
 *
 * A workload is a function of its options alone (above all the 64-bit seed): the same
 * options give the same bytes, in the same order, on every machine (integer arithmetic
 * only, no clock, no system randomness). It holds:
 *
 * - import orders (1210 bonded or 9610 direct purchase), each as four documents from four
 *   senders: CEB311 order (platform), CEB411 payment (payment firm), CEB511 waybill
 *   (carrier), CEB621 inventory list (customs broker, with a placeholder ds:Signature);
 * - export orders (9610, statisticsFlag B, USD prices): CEB303 + CEB505 + CEB603;
 * - the documents of a few neighbouring orders shuffled together, as real traffic arrives;
 * - faulty messages, each breaking one named rule; resends (the same bytes again);
 * - follow-ups sent after release: CEB623 cancellations and CEB625 returns;
 * - 1210 stock-in (B-02, not a CEB message): each block's first-line entries into the
 *   bonded warehouses, ahead of the block's lists (gen_next_stockin()): enough for every
 *   1210 list but a small share (short_bp) whose first line is filed under a record of its
 *   own that was credited only half of what the list takes, so the platform refuses it for
 *   B-04. Account records count either the declared unit or the legal unit (B-06).
 *
 * Every message that is not faulty passes the checks (`cbec check`: schema, formats,
 * arithmetic; a list's placeholder signature gives only the warning F-07.7), every order
 * without a fault matches (三单对碰, no finding) and its list's retail import tax
 * (src/clear/tax.h, same tariff) is the order's taxTotal, inside the single limit.
 *
 * Memory: the messages of one block of `window` orders, the goods catalogue (built once in
 * gen_new()), 6 bytes per buyer (annual quota, order count) and 16 bytes per follow-up.
 * Buyer ID numbers are unique below 16,384,000 buyers. One generator is not thread-safe;
 * several may run side by side. */
#ifndef CBEC_GEN_H
#define CBEC_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tariff;

/* The placeholder a follow-up (CEB623/CEB625) carries in invtNo: customs numbers a list
 * only when it accepts it, so the sender replaces this with the invtNo of the released
 * list whose key is ebp_code|order_no (GET /api/v1/declarations/621/{key}), then sends. */
#define GEN_INVTNO_PLACEHOLDER "@INVTNO@"

struct gen_opts {
	uint64_t seed;   /* default 1 */
	uint64_t orders; /* import + export orders (default 400,000) */
	uint64_t buyers; /* size of the buyer pool; 0 = orders / 3 (at least 1) */
	/* Shares in basis points (1/100 of a percent): 200 = 2 %. */
	uint32_t faulty_bp;   /* of all main-stream messages (default 200); import orders only */
	uint32_t resend_bp;   /* messages sent twice (default 100) */
	uint32_t cancel_bp;   /* released import lists later cancelled, CEB623 (default 50) */
	uint32_t refund_bp;   /* released import lists with one line returned, CEB625 (30) */
	uint32_t export_bp;   /* orders that are exports (default 1000) */
	uint32_t bonded_bp;   /* import orders that are 1210 bonded, the rest 9610 (7000) */
	uint32_t short_bp;    /* 1210 orders (without a fault) whose stock runs short (50) */
	uint32_t window;      /* orders whose documents are shuffled together (default 8) */
	int64_t annual_limit; /* L-02 per buyer and year, 1e-5 CNY (default 26,000) */
	int64_t single_limit; /* L-01 per list, 1e-5 CNY (default 5,000) */
	char day[9];          /* the festival day, YYYYMMDD (default 20251111) */
};

void gen_opts_default(struct gen_opts *o);
/* 0, or CBEC_EINVAL with a one-line reason in err. */
int gen_opts_check(const struct gen_opts *o, char *err, size_t errlen);

/* Faults a message can be made to carry, and the rule each one breaks. */
enum gen_fault {
	GEN_F_NONE,
	GEN_F_PAID,      /* X-01 311 acturalPaid without the tax */
	GEN_F_GNUM,      /* X-04 311 or 621 goods line numbers with a gap or a repeat */
	GEN_F_CURRENCY,  /* I-01 311, 411, 511 or 621 head currency not 142 */
	GEN_F_BUYER,     /* M-05 621 buyerName differs from the 311's */
	GEN_F_AMOUNT,    /* M-04 411 amountPaid differs from the 311's acturalPaid */
	GEN_F_TRUNCATED, /* F-01.1 any of the four cut short: not well-formed XML */
	GEN_F_SINGLE,    /* L-01 a list of several lines over the single limit */
	GEN_F__N
};
/* "X-01", ... ("" for GEN_F_NONE). */
const char *gen_fault_rule(enum gen_fault f);

/* Message types of a workload, for statistics. */
enum gen_type {
	GEN_T_311,
	GEN_T_411,
	GEN_T_511,
	GEN_T_621,
	GEN_T_303,
	GEN_T_505,
	GEN_T_603,
	GEN_T_623,
	GEN_T_625,
	GEN_T__N
};
extern const int gen_type_code[GEN_T__N]; /* 311, 411, ... */

/* One generated message. Every pointer is owned by the generator and stays valid until
 * the next gen_next() or gen_free() on it: copy what must live longer. */
struct gen_msg {
	const char *xml; /* the message bytes, UTF-8, not NUL-terminated: use len */
	size_t len;
	int type;       /* 311, 411, 511, 621, 303, 505, 603, 623, 625 */
	uint64_t seq;   /* arrival number from 1; follow-ups count from 1 again */
	uint64_t order; /* the order's index, 0 .. orders-1 */
	const char *order_no;
	const char *ebp_code; /* the order's platform: a list's key is ebp_code|order_no */
	const char *sender;   /* BaseTransfer/copCode: the enterprise that sends it */
	/* What the platform should answer, messages applied in arrival order:
	 *   "ok"      checks pass; a list is matched, taxed inside the limits, sent on;
	 *   "resend"  the same bytes (same guid) again: answered as the first time;
	 *   a rule id the message is refused for -- by the checks (X-01, X-04, I-01, F-01.1), or,
	 *             for a list, by matching (M-04, M-05) or the limits (L-01, L-02: the
	 *             buyer's year total over the annual limit), B-04 (the bonded account
	 *             runs short), or P-04: one of its order, payment or waybill was refused,
	 *             so it never matches and times out. */
	const char *expect;
	const char *fault; /* the rule this message was made to break, or NULL */
	bool followup;     /* a CEB623/CEB625 carrying GEN_INVTNO_PLACEHOLDER */
};

struct gen;

/* A generator over the tariff table `t` (borrowed: it must outlive the generator). Goods
 * with a specific consumption tax (ct_specific) are never used: the platform refuses them.
 * NULL when the options are invalid (see gen_opts_check), the table has no usable goods,
 * or memory runs out. */
struct gen *gen_new(const struct gen_opts *o, const struct tariff *t);
void gen_free(struct gen *g);

/* The next message: the main stream in arrival order, then the follow-ups. Returns 1 with
 * *out filled, 0 at the end, or a negative CBEC_E code (the generator then stays failed). */
int gen_next(struct gen *g, struct gen_msg *out);

struct gen_stats {
	uint64_t messages, bytes; /* main stream and follow-ups */
	uint64_t by_type[GEN_T__N];
	uint64_t orders_bonded, orders_direct, orders_export; /* orders generated so far */
	uint64_t faulty, by_fault[GEN_F__N];
	uint64_t resends;
	uint64_t over_annual; /* lists expected to be refused for L-02 */
	uint64_t short_stock; /* lists expected to be refused for B-04 */
	uint64_t stockins;    /* stock-in entries returned by gen_next_stockin() */
	uint64_t unmatched;   /* lists expected to time out (P-04) */
	uint64_t followups;
	uint64_t buyers_repeat; /* buyers with more than one import order so far */
};

/* One first-line stock-in (rules.md B-02): `qty` of one item credited to a bonded account
 * by the warehouse enterprise keeping it, as POST /api/v1/bonded/stock-in takes it. Strings
 * are owned by the generator and valid until the next gen_next() or gen_next_stockin(). */
struct gen_stockin {
	const char *ems_no, *item_no, *gcode, *gname, *unit;
	const char *entry; /* the entry's number: with the item, its idempotency key */
	const char *owner; /* the warehouse enterprise (areaCode): it sends the stock-in */
	int64_t qty;       /* 1e-5 of unit, > 0 */
	uint64_t before;   /* credit it before the main-stream message of this seq */
};
/* The stock-ins due before the next message of the main stream: call it until it returns 0,
 * then gen_next(), and again. 1 with *out filled, 0 when none is due now, or a negative
 * CBEC_E code. A caller that never calls it gets the same messages without the stock. */
int gen_next_stockin(struct gen *g, struct gen_stockin *out);

/* Counts of what gen_next() has returned so far. */
void gen_stats(const struct gen *g, struct gen_stats *s);

/* The enterprises of a workload (immutable table): code (10-character customs code), name,
 * role ("ebp", "ebc", "pay", "logistics", "agent", "area"), side ("import"/"export"), and
 * whether it sends messages (an account is needed for it). */
struct gen_party {
	const char *code, *name, *role, *side;
	bool sends;
};
const struct gen_party *gen_parties(size_t *n);

#endif
