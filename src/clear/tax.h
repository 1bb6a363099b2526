/* Retail import tax of one inventory list (跨境电商综合税), rules.md T-01..T-06: duty 0 and
 * VAT and consumption tax at 70 % inside the limits; one indivisible item over the single
 * limit taxed in full at goods rates. Pure arithmetic on exact decimals (dec.h units). */
#ifndef CLEAR_TAX_H
#define CLEAR_TAX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clear/tariff.h"

#define TAX_MAX_LINES 100

struct tax_line {
	int64_t total_price;            /* the line's totalPrice (1e-5 CNY) */
	int64_t qty;                    /* the line's qty (1e-5 units) */
	const struct tariff_rate *rate; /* borrowed; NULL = unknown HS code */
};

struct tax_opts {
	bool deduct_discount;  /* T-02: subtract non-cash discounts from D (default false) */
	int64_t single_limit;  /* L-01: 5,000 CNY (1e-5 units) */
};

void tax_opts_default(struct tax_opts *o);

struct tax_line_result {
	int64_t dutiable;    /* D of the line: value + its share of freight and insurance */
	int64_t customs_tax; /* 0 inside the limits */
	int64_t vat, ct;     /* payable, each rounded half-up to 0.01 (T-04) */
};

enum tax_status {
	TAX_OK = 0,
	TAX_OVER_SINGLE,  /* D above the single limit and not one indivisible item (L-01) */
	TAX_UNKNOWN_RATE, /* a line's HS code has no rate (I-11.1) */
	TAX_SPECIFIC,     /* a line has a specific consumption tax (outside T-03) */
	TAX_INVALID,      /* no lines, too many, or a negative or overflowing amount */
};

struct tax_result {
	enum tax_status status;
	size_t bad_line;   /* 0-based line index for TAX_UNKNOWN_RATE / TAX_SPECIFIC */
	bool full_rate;    /* T-06 applied: duty, VAT and CT in full */
	int64_t dutiable;  /* D of the list: the amount that counts toward the limits (L-03) */
	int64_t customs_tax, vat, ct, total;
	size_t nlines;
	struct tax_line_result line[TAX_MAX_LINES];
};

/* Tax of a list with n lines and the head's freight, insuredFee and discount (all 1e-5 CNY).
 * Always fills `out` (status says whether it is a valid assessment). */
void tax_compute(const struct tax_line *lines, size_t n, int64_t freight, int64_t insured_fee,
		 int64_t discount, const struct tax_opts *o, struct tax_result *out);

#endif
