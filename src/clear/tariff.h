/* The tariff table: per 10-digit HS code, the rates the retail import tax needs. It ships as
 * data (data/tariff.csv) and an operator may load another file in its place; the CSV's
 * header comment states where the rates come from. */
#ifndef CLEAR_TARIFF_H
#define CLEAR_TARIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Rates are in units of 1/10000 (13 % = 1300). */
struct tariff_rate {
	char hs[11];     /* 10 digits, NUL-terminated */
	const char *name; /* goods name (zh) */
	uint32_t mfn;    /* most-favoured-nation import duty rate (used only by T-06) */
	uint32_t vat;    /* value-added tax rate */
	uint32_t ct;     /* ad valorem consumption tax rate, 0 = none */
	bool ct_specific; /* a per-quantity consumption tax applies: outside the T-03 formula */
	char unit1[4];   /* first legal unit code, e.g. "035" */
	char unit2[4];   /* second legal unit code or "" */
};

struct tariff;

/* Load a CSV file. On failure returns NULL and writes a one-line reason (with the line
 * number) into err. The table owns its strings; free with tariff_free(). */
struct tariff *tariff_load(const char *path, char *err, size_t errlen);
/* Same from memory (tests). */
struct tariff *tariff_load_mem(const char *csv, size_t len, char *err, size_t errlen);
void tariff_free(struct tariff *t);

/* The rate for hs[0..n) (not NUL-terminated), or NULL. */
const struct tariff_rate *tariff_find(const struct tariff *t, const char *hs, size_t n);
size_t tariff_count(const struct tariff *t);
const struct tariff_rate *tariff_at(const struct tariff *t, size_t i);

#endif
