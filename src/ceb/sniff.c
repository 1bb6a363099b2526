#include "ceb/sniff.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static bool name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
	       c == '-' || c == '.' || c == ':';
}

/* Copy the run of name characters at p (at most end) into out. */
static void take(const char *p, const char *end, char *out, size_t outlen)
{
	size_t k = 0;
	while (p < end && name_char(*p) && k + 1 < outlen)
		out[k++] = *p++;
	out[k] = '\0';
}

static const char *skip_past(const char *p, const char *end, const char *what)
{
	const char *f = memmem(p, (size_t)(end - p), what, strlen(what));
	return f ? f + strlen(what) : end;
}

void ceb_sniff(const char *xml, size_t len, struct ceb_sniff *out)
{
	memset(out, 0, sizeof *out);
	const char *p = xml, *end = xml + len;
	if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
		p += 3;
	/* the root's start tag: past the declaration, comments and a doctype */
	for (;;) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
			p++;
		if (end - p >= 2 && !memcmp(p, "<?", 2))
			p = skip_past(p, end, "?>");
		else if (end - p >= 4 && !memcmp(p, "<!--", 4))
			p = skip_past(p, end, "-->");
		else if (end - p >= 2 && !memcmp(p, "<!", 2))
			p = skip_past(p, end, ">");
		else
			break;
	}
	if (p < end && *p == '<') {
		char name[64];
		take(p + 1, end, name, sizeof name);
		const char *local = strrchr(name, ':');
		local = local ? local + 1 : name;
		size_t n = strlen(local);
		if (n == 13 && !strncmp(local, "CEB", 3) && !strcmp(local + 6, "Message"))
			snprintf(out->type, sizeof out->type, "%.6s", local);
		else
			snprintf(out->type, sizeof out->type, "%.47s", local);
		const char *gt = memchr(p, '>', (size_t)(end - p));
		const char *tag_end = gt ? gt : end;
		for (const char *g = p; (g = memmem(g, (size_t)(tag_end - g), "guid=", 5)); g += 5)
			if (g[-1] == ' ' || g[-1] == '\t' || g[-1] == '\n' || g[-1] == '\r') {
				if (g + 5 < tag_end && (g[5] == '"' || g[5] == '\''))
					take(g + 6, tag_end, out->guid, sizeof out->guid);
				break;
			}
	}
	const char *c = memmem(xml, len, "copCode>", 8);
	if (c)
		take(c + 8, end, out->cop, sizeof out->cop);
}

/* Whether the comma-separated list holds v. */
static bool listed(const char *list, const char *v)
{
	size_t vl = strlen(v);
	for (const char *q = list; *q;) {
		size_t l = strcspn(q, ",");
		if (l == vl && !strncmp(q, v, l))
			return true;
		q += l + (q[l] == ',');
	}
	return false;
}

void ceb_sniff_status(const char *xml, size_t len, char *out, size_t outlen)
{
	size_t k = 0;
	out[0] = '\0';
	const char *p = xml, *end = xml + len;
	while ((p = memmem(p, (size_t)(end - p), "returnStatus>", 13))) {
		const char *lt = p;
		while (lt > xml && lt[-1] != '<' && name_char(lt[-1]))
			lt--;
		p += 13;
		if (lt > xml && lt[-1] == '/')
			continue; /* </ceb:returnStatus> */
		char v[16];
		take(p, end, v, sizeof v);
		size_t vl = strlen(v);
		/* distinct values only: the codes of a batch are mostly the same */
		if (!vl || listed(out, v) || k + vl + 2 > outlen)
			continue;
		if (k)
			out[k++] = ',';
		memcpy(out + k, v, vl + 1);
		k += vl;
	}
}
