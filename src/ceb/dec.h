/* Exact decimals for CEB amounts and quantities. A value is an int64_t counting 1e-5 units
 * (the finest the 2022 schema allows, N19,5); parse and format never use floating point. */
#ifndef CEB_DEC_H
#define CEB_DEC_H

#include <stddef.h>
#include <stdint.h>

#define DEC_SCALE 100000LL /* 1.00000 */
#define DEC_PLACES 5
/* Longest text dec_format() writes, NUL included. */
#define DEC_FMT_MAX 32

enum dec_err {
	DEC_OK = 0,
	DEC_EMPTY,  /* no digits at all */
	DEC_SYNTAX, /* not a plain decimal (letters, exponent, two points, inner space) */
	DEC_SIGN,   /* a sign: amounts and quantities are never negative (rules.md F-05) */
	DEC_DIGITS, /* more significant digits than the field allows */
	DEC_FRAC,   /* more decimals than the field allows */
	DEC_RANGE,  /* does not fit the fixed-point range */
};

/* Parse an xs:decimal with at most total_digits significant digits and frac_digits
 * decimals (value space: leading and trailing zeros do not count). Surrounding XML white
 * space is allowed, as the schema's collapse facet does. 0 for a limit means none. */
enum dec_err dec_parse(const char *s, size_t n, unsigned total_digits, unsigned frac_digits,
		       int64_t *out);
/* Parse an xs:int (optionally limited to total_digits digits); signs are rejected. */
enum dec_err dec_parse_int(const char *s, size_t n, unsigned total_digits, int64_t *out);
const char *dec_strerror(enum dec_err e);

/* Shortest exact text: no exponent, no trailing zeros ("1563.47", "0", "14000"). */
char *dec_format(int64_t v, char out[DEC_FMT_MAX]);
/* Same, but always with exactly `places` decimals (0..5), rounded as dec_round does, e.g.
 * "263.40" for places 2. */
char *dec_format_fixed(int64_t v, unsigned places, char out[DEC_FMT_MAX]);

/* Round half away from zero to `places` decimals (0..5): the rule used for tax (0.01). */
int64_t dec_round(int64_t v, unsigned places);
/* a*b for two scaled values, rounded half-up to the 1e-5 grid; -1 on overflow. */
int dec_mul(int64_t a, int64_t b, int64_t *out);
/* a*num/den exactly, then rounded half-up to the 1e-5 grid; -1 on overflow or den 0. */
int dec_muldiv(int64_t a, int64_t num, int64_t den, int64_t *out);

#endif
