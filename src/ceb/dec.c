#include "ceb/dec.h"

#include <stdbool.h>
#include <string.h>

static bool is_xml_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Narrow [*i, *end) to the text without surrounding XML white space. */
static void trim(const char *s, size_t *i, size_t *end)
{
	while (*i < *end && is_xml_space(s[*i]))
		(*i)++;
	while (*end > *i && is_xml_space(s[*end - 1]))
		(*end)--;
}

enum dec_err dec_parse(const char *s, size_t n, unsigned total_digits, unsigned frac_digits,
		       int64_t *out)
{
	size_t i = 0, end = n;
	trim(s, &i, &end);
	if (i == end)
		return DEC_EMPTY;
	if (s[i] == '-' || s[i] == '+')
		return DEC_SIGN;

	/* First pass: syntax and the digit counts of the value (leading zeros of the integer
	 * part and trailing zeros of the fraction are not significant). */
	size_t int_start = i, point = end, ndigits = 0;
	for (size_t k = i; k < end; k++) {
		char c = s[k];
		if (c == '.') {
			if (point != end)
				return DEC_SYNTAX;
			point = k;
		} else if (c < '0' || c > '9') {
			return DEC_SYNTAX;
		} else {
			ndigits++;
		}
	}
	if (ndigits == 0)
		return DEC_EMPTY;
	size_t lead = int_start;
	while (lead < point && s[lead] == '0')
		lead++;
	size_t int_sig = point - lead;
	size_t frac_end = end;
	if (point != end) {
		while (frac_end > point + 1 && s[frac_end - 1] == '0')
			frac_end--;
	}
	size_t frac_sig = point != end ? frac_end - point - 1 : 0;
	if (frac_digits && frac_sig > frac_digits)
		return DEC_FRAC;
	if (frac_sig > DEC_PLACES)
		return DEC_FRAC;
	size_t sig = int_sig + frac_sig;
	if (int_sig == 0 && point == end) {
		sig = 0; /* "0", "000": zero has no significant digits */
	} else if (int_sig == 0) {
		/* 0.00123 has three significant digits */
		size_t z = point + 1;
		while (z < frac_end && s[z] == '0')
			z++;
		sig = frac_end - z;
	}
	if (total_digits && sig > total_digits)
		return DEC_DIGITS;

	int64_t v = 0;
	for (size_t k = lead; k < point; k++) {
		int d = s[k] - '0';
		if (v > (INT64_MAX - d) / 10)
			return DEC_RANGE;
		v = v * 10 + d;
	}
	for (size_t f = 0; f < DEC_PLACES; f++) {
		size_t k = point + 1 + f;
		int d = k < frac_end ? s[k] - '0' : 0;
		if (v > (INT64_MAX - d) / 10)
			return DEC_RANGE;
		v = v * 10 + d;
	}
	*out = v;
	return DEC_OK;
}

enum dec_err dec_parse_int(const char *s, size_t n, unsigned total_digits, int64_t *out)
{
	size_t i = 0, end = n;
	trim(s, &i, &end);
	if (i == end)
		return DEC_EMPTY;
	if (s[i] == '-' || s[i] == '+')
		return DEC_SIGN;
	int64_t v = 0;
	size_t sig = 0;
	for (size_t k = i; k < end; k++) {
		char c = s[k];
		if (c < '0' || c > '9')
			return DEC_SYNTAX;
		if (v || c != '0')
			sig++;
		v = v * 10 + (c - '0');
		if (v > 2147483647LL) /* xs:int */
			return DEC_RANGE;
	}
	if (total_digits && sig > total_digits)
		return DEC_DIGITS;
	*out = v;
	return DEC_OK;
}

const char *dec_strerror(enum dec_err e)
{
	switch (e) {
	case DEC_OK: return "ok";
	case DEC_EMPTY: return "empty";
	case DEC_SYNTAX: return "not a plain decimal number";
	case DEC_SIGN: return "signed (amounts and quantities are never negative)";
	case DEC_DIGITS: return "too many significant digits";
	case DEC_FRAC: return "too many decimals";
	case DEC_RANGE: return "out of range";
	}
	return "?";
}

char *dec_format_fixed(int64_t v, unsigned places, char out[DEC_FMT_MAX])
{
	char tmp[DEC_FMT_MAX];
	v = dec_round(v, places); /* dropped decimals round, never truncate */
	int neg = v < 0;
	uint64_t u = neg ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	uint64_t ip = u / DEC_SCALE, fp = u % DEC_SCALE;
	char frac[DEC_PLACES + 1];
	for (int k = DEC_PLACES - 1; k >= 0; k--) {
		frac[k] = (char)('0' + fp % 10);
		fp /= 10;
	}
	frac[DEC_PLACES] = '\0';
	size_t t = 0;
	do {
		tmp[t++] = (char)('0' + ip % 10);
		ip /= 10;
	} while (ip);
	size_t o = 0;
	if (neg)
		out[o++] = '-';
	while (t)
		out[o++] = tmp[--t];
	if (places > DEC_PLACES)
		places = DEC_PLACES;
	if (places) {
		out[o++] = '.';
		memcpy(out + o, frac, places);
		o += places;
	}
	out[o] = '\0';
	return out;
}

char *dec_format(int64_t v, char out[DEC_FMT_MAX])
{
	dec_format_fixed(v, DEC_PLACES, out);
	size_t n = strlen(out);
	while (out[n - 1] == '0')
		out[--n] = '\0';
	if (out[n - 1] == '.')
		out[--n] = '\0';
	return out;
}

int64_t dec_round(int64_t v, unsigned places)
{
	if (places >= DEC_PLACES)
		return v;
	int64_t unit = 1;
	for (unsigned k = places; k < DEC_PLACES; k++)
		unit *= 10;
	/* Quotient and remainder rather than v + half: no overflow near the ends of the range
	 * (and no -INT64_MIN) whenever the rounded result itself is representable. */
	int64_t q = v / unit, r = v % unit, half = unit / 2;
	if (r >= half)
		q++;
	else if (r <= -half)
		q--;
	return q * unit;
}

int dec_muldiv(int64_t a, int64_t num, int64_t den, int64_t *out)
{
	if (den == 0)
		return -1;
	__int128 p = (__int128)a * num;
	int neg = (p < 0) != (den < 0);
	__int128 ap = p < 0 ? -p : p, ad = den < 0 ? -(__int128)den : den;
	__int128 q = (ap + ad / 2) / ad;
	if (q > INT64_MAX)
		return -1;
	*out = neg ? -(int64_t)q : (int64_t)q;
	return 0;
}

int dec_mul(int64_t a, int64_t b, int64_t *out)
{
	return dec_muldiv(a, b, DEC_SCALE, out);
}
