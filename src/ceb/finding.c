#include "ceb/finding.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/err.h"

void ceb_policy_default(struct ceb_policy *p)
{
	for (int i = 0; i < CEB_RULE__N; i++)
		p->sev[i] = (uint8_t)ceb_rules[i].severity;
}

int ceb_policy_set(struct ceb_policy *p, const char *assignment)
{
	const char *eq = strchr(assignment, '=');
	if (!eq || eq == assignment || (size_t)(eq - assignment) >= 16)
		return CBEC_EINVAL;
	char id[16];
	memcpy(id, assignment, (size_t)(eq - assignment));
	id[eq - assignment] = '\0';
	int r = ceb_rule_find(id);
	if (r < 0)
		return CBEC_EINVAL;
	const char *v = eq + 1;
	if (strcmp(v, "error") == 0)
		p->sev[r] = CEB_SEV_ERROR;
	else if (strcmp(v, "warn") == 0 || strcmp(v, "warning") == 0)
		p->sev[r] = CEB_SEV_WARN;
	else if (strcmp(v, "off") == 0)
		p->sev[r] = CEB_SEV_OFF;
	else
		return CBEC_EINVAL;
	return 0;
}

void ceb_findings_init(struct ceb_findings *f, struct arena *a, const struct ceb_policy *p)
{
	memset(f, 0, sizeof *f);
	f->arena = a;
	f->policy = p;
}

static struct ceb_finding *new_finding(struct ceb_findings *f, enum ceb_rule_id rule,
				       const char *path, uint32_t line)
{
	enum ceb_sev sev = f->policy ? (enum ceb_sev)f->policy->sev[rule] : ceb_rules[rule].severity;
	if (sev == CEB_SEV_OFF)
		return NULL;
	struct ceb_finding *x = arena_alloc(f->arena, sizeof *x);
	if (!x)
		return NULL;
	x->rule = rule;
	x->sev = sev;
	x->path = arena_strdup(f->arena, path ? path : "");
	x->line = line;
	return x->path ? x : NULL;
}

static struct ceb_finding *append(struct ceb_findings *f, struct ceb_finding *x)
{
	if (!x->zh || !x->en)
		return NULL;
	if (f->tail)
		f->tail->next = x;
	else
		f->head = x;
	f->tail = x;
	f->count++;
	if (x->sev == CEB_SEV_ERROR)
		f->errors++;
	return x;
}

struct ceb_finding *ceb_report(struct ceb_findings *f, enum ceb_rule_id rule, const char *path,
			       uint32_t line, const char *fmt_zh, const char *fmt_en, ...)
{
	struct ceb_finding *x = new_finding(f, rule, path, line);
	if (!x)
		return NULL;
	va_list ap;
	va_start(ap, fmt_en);
	x->zh = arena_vprintf(f->arena, fmt_zh, ap);
	va_end(ap);
	va_start(ap, fmt_en);
	x->en = arena_vprintf(f->arena, fmt_en, ap);
	va_end(ap);
	return append(f, x);
}

struct ceb_finding *ceb_report_text(struct ceb_findings *f, enum ceb_rule_id rule,
				    const char *path, uint32_t line, const char *zh, const char *en)
{
	struct ceb_finding *x = new_finding(f, rule, path, line);
	if (!x)
		return NULL;
	x->zh = arena_strdup(f->arena, zh);
	x->en = arena_strdup(f->arena, en);
	return append(f, x);
}
