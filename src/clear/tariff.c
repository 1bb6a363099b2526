/* The tariff table: a strict reader for the tariff CSV and a sorted array searched by HS
 * code.
 *
 * Format (one row per 10-digit HS code, UTF-8, optional BOM, LF or CRLF line ends):
 *   # comment lines and blank lines anywhere
 *   hs,name,mfn,vat,ct,ct_specific,unit1,unit2      <- header, exactly this
 *   3304990099,其他美容品或化妆品及护肤品,1,13,15,0,035,011
 * Fields are plain (no quoting): a name may not contain a comma or a double quote. Percent
 * fields are exact decimals with at most two places ("6.5", "13"), stored in 1/10000 units
 * (13 % = 1300). Unit codes must be in the customs unit table (ceb/codes.h). */
#include "clear/tariff.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ceb/codes.h"
#include "ceb/dec.h"

/* A tariff table is small (a few thousand rows at most); the bound only keeps a wrong file
 * from being read whole into memory. */
#define TARIFF_MAX_BYTES (16u * 1024u * 1024u)
#define TARIFF_NFIELDS 8
#define TARIFF_NAME_MAX 512 /* bytes */
/* Upper bounds of the rates: duty rates of the general column reach 270 %, so 1000 % is a
 * safe ceiling; VAT and an ad valorem CT must stay below 100 % (CT is divided by 1 - c). */
#define MFN_MAX 100000u
#define RATE_LT 10000u

static const char header[] = "hs,name,mfn,vat,ct,ct_specific,unit1,unit2";

struct tariff {
	struct tariff_rate *rows; /* sorted by hs, no duplicates */
	size_t n;
	char *text; /* owned copy of the CSV; the names point into it */
};

/* A row while loading: where it came from, for the duplicate message. */
struct row {
	struct tariff_rate r;
	size_t line;
};

static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
	if (!err || !errlen)
		return;
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	if (k < 0)
		err[0] = '\0';
}

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* Well-formed UTF-8 without control characters (names end up in reports and JSON). */
static int valid_name(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		if (c < 0x20 || c == 0x7f)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t len;
		unsigned min;
		if (c >= 0xc2 && c <= 0xdf) {
			len = 2;
			min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3;
			min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4;
			min = 0x10000;
		} else {
			return 0;
		}
		if (n - i < len)
			return 0;
		unsigned cp = c & (0xffu >> (len + 1));
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3fu);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += len;
	}
	return 1;
}

/* A percent with at most two decimals into 1/10000 units; -1 if malformed or above max
 * (inclusive) / at or above lt (exclusive), whichever is given (0 = not used). */
static int parse_pct(const char *s, size_t n, uint32_t max, uint32_t lt, uint32_t *out)
{
	int64_t v;
	if (n == 0 || dec_parse(s, n, 0, 2, &v) != DEC_OK)
		return -1;
	/* dec_parse counts 1e-5; a percent in 1/10000 of the whole is 1e-2 of a percent. */
	if (v % 1000 != 0)
		return -1;
	int64_t r = v / 1000;
	if ((max && r > (int64_t)max) || (lt && r >= (int64_t)lt))
		return -1;
	*out = (uint32_t)r;
	return 0;
}

static int cmp_row(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	int c = memcmp(x->r.hs, y->r.hs, 10);
	if (c)
		return c;
	return (x->line > y->line) - (x->line < y->line);
}

/* Parse one data line (NUL-terminated, commas still in place) into r. Returns NULL or a
 * static reason. The name is cut out of the line in place. */
static const char *parse_row(char *p, size_t len, struct tariff_rate *r)
{
	char *f[TARIFF_NFIELDS];
	size_t fl[TARIFF_NFIELDS];
	size_t nf = 0;
	char *start = p;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && p[i] == '"')
			return "quoted fields are not supported (a name may not contain '\"' or "
			       "',')";
		if (i == len || p[i] == ',') {
			if (nf == TARIFF_NFIELDS)
				return "too many columns (expected 8)";
			f[nf] = start;
			fl[nf] = (size_t)(p + i - start);
			nf++;
			start = p + i + 1;
		}
	}
	if (nf != TARIFF_NFIELDS)
		return "too few columns (expected 8)";

	memset(r, 0, sizeof *r);
	if (fl[0] != 10 || !all_digits(f[0], 10))
		return "hs must be exactly 10 digits";
	memcpy(r->hs, f[0], 10);
	r->hs[10] = '\0';

	if (fl[1] == 0)
		return "name is empty";
	if (fl[1] > TARIFF_NAME_MAX)
		return "name is too long";
	if (!valid_name((const unsigned char *)f[1], fl[1]))
		return "name is not valid UTF-8 text";
	f[1][fl[1]] = '\0';
	r->name = f[1];

	if (parse_pct(f[2], fl[2], MFN_MAX, 0, &r->mfn))
		return "mfn is not a percent with at most 2 decimals in 0..1000";
	if (parse_pct(f[3], fl[3], 0, RATE_LT, &r->vat))
		return "vat is not a percent with at most 2 decimals below 100";
	if (parse_pct(f[4], fl[4], 0, RATE_LT, &r->ct))
		return "ct is not a percent with at most 2 decimals below 100";

	if (fl[5] != 1 || (f[5][0] != '0' && f[5][0] != '1'))
		return "ct_specific must be 0 or 1";
	r->ct_specific = f[5][0] == '1';

	if (fl[6] != 3 || !all_digits(f[6], 3))
		return "unit1 must be a 3-digit unit code";
	if (!ceb_code_find(CEB_CODES_UNIT, f[6], 3))
		return "unit1 is not in the customs unit table";
	memcpy(r->unit1, f[6], 3);
	if (fl[7] != 0) {
		if (fl[7] != 3 || !all_digits(f[7], 3))
			return "unit2 must be empty or a 3-digit unit code";
		if (!ceb_code_find(CEB_CODES_UNIT, f[7], 3))
			return "unit2 is not in the customs unit table";
		memcpy(r->unit2, f[7], 3);
	}
	return NULL;
}

struct tariff *tariff_load_mem(const char *csv, size_t len, char *err, size_t errlen)
{
	struct tariff *t = NULL;
	struct row *rows = NULL;
	size_t n = 0, cap = 0;
	size_t lineno = 0;
	int have_header = 0;

	seterr(err, errlen, "%s", "");
	if (!csv && len) {
		seterr(err, errlen, "no input");
		return NULL;
	}
	if (len > TARIFF_MAX_BYTES) {
		seterr(err, errlen, "table larger than %u bytes", TARIFF_MAX_BYTES);
		return NULL;
	}
	t = calloc(1, sizeof *t);
	if (!t)
		goto nomem;
	t->text = malloc(len + 1);
	if (!t->text)
		goto nomem;
	if (len)
		memcpy(t->text, csv, len);
	t->text[len] = '\0';

	char *p = t->text, *end = t->text + len;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *le = nl ? nl : end;
		lineno++;
		if (memchr(p, '\0', (size_t)(le - p))) {
			seterr(err, errlen, "line %zu: NUL byte", lineno);
			goto fail;
		}
		if (le > p && le[-1] == '\r')
			le--;
		*le = '\0';
		size_t ll = (size_t)(le - p);
		char *line = p;
		p = nl ? nl + 1 : end;

		size_t k = 0;
		while (k < ll && (line[k] == ' ' || line[k] == '\t'))
			k++;
		if (k == ll || line[0] == '#')
			continue;
		if (!have_header) {
			if (ll != sizeof header - 1 || memcmp(line, header, ll) != 0) {
				seterr(err, errlen, "line %zu: header must be \"%s\"", lineno,
				       header);
				goto fail;
			}
			have_header = 1;
			continue;
		}
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 256;
			struct row *nr = realloc(rows, nc * sizeof *nr);
			if (!nr)
				goto nomem;
			rows = nr;
			cap = nc;
		}
		const char *why = parse_row(line, ll, &rows[n].r);
		if (why) {
			seterr(err, errlen, "line %zu: %s", lineno, why);
			goto fail;
		}
		rows[n].line = lineno;
		n++;
	}
	if (!have_header) {
		seterr(err, errlen, "line %zu: missing header \"%s\"", lineno ? lineno : 1, header);
		goto fail;
	}
	if (n == 0) {
		seterr(err, errlen, "line %zu: the table has no rows", lineno);
		goto fail;
	}

	qsort(rows, n, sizeof *rows, cmp_row);
	for (size_t i = 1; i < n; i++) {
		if (memcmp(rows[i].r.hs, rows[i - 1].r.hs, 10) == 0) {
			seterr(err, errlen, "line %zu: duplicate hs %s (first on line %zu)",
			       rows[i].line, rows[i].r.hs, rows[i - 1].line);
			goto fail;
		}
	}
	t->rows = malloc(n * sizeof *t->rows);
	if (!t->rows)
		goto nomem;
	for (size_t i = 0; i < n; i++)
		t->rows[i] = rows[i].r;
	t->n = n;
	free(rows);
	return t;

nomem:
	seterr(err, errlen, "line %zu: out of memory", lineno);
fail:
	free(rows);
	tariff_free(t);
	return NULL;
}

struct tariff *tariff_load(const char *path, char *err, size_t errlen)
{
	struct tariff *t = NULL;
	char *buf = NULL;
	FILE *f = fopen(path, "rb");
	if (!f) {
		seterr(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	/* Read at most one byte past the bound, so a larger file (or a pipe) is refused
	 * without being read to its end. */
	size_t cap = 64 * 1024, len = 0;
	buf = malloc(cap);
	if (!buf) {
		seterr(err, errlen, "out of memory");
		goto out;
	}
	for (;;) {
		if (len == cap) {
			if (cap > TARIFF_MAX_BYTES)
				break;
			size_t nc = cap * 2;
			if (nc > (size_t)TARIFF_MAX_BYTES + 1)
				nc = (size_t)TARIFF_MAX_BYTES + 1;
			char *nb = realloc(buf, nc);
			if (!nb) {
				seterr(err, errlen, "out of memory");
				goto out;
			}
			buf = nb;
			cap = nc;
		}
		size_t got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		seterr(err, errlen, "cannot read %s", path);
		goto out;
	}
	if (len > TARIFF_MAX_BYTES) {
		seterr(err, errlen, "%s is larger than %u bytes", path, TARIFF_MAX_BYTES);
		goto out;
	}
	t = tariff_load_mem(buf, len, err, errlen);
out:
	free(buf);
	fclose(f);
	return t;
}

void tariff_free(struct tariff *t)
{
	if (!t)
		return;
	free(t->rows);
	free(t->text);
	free(t);
}

const struct tariff_rate *tariff_find(const struct tariff *t, const char *hs, size_t n)
{
	if (!t || !hs || n != 10)
		return NULL;
	size_t lo = 0, hi = t->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = memcmp(t->rows[mid].hs, hs, 10);
		if (c == 0)
			return &t->rows[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

size_t tariff_count(const struct tariff *t)
{
	return t ? t->n : 0;
}

const struct tariff_rate *tariff_at(const struct tariff *t, size_t i)
{
	return t && i < t->n ? &t->rows[i] : NULL;
}
