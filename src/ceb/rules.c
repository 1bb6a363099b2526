#include "ceb/rules.h"

#include <string.h>

const struct ceb_rule ceb_rules[CEB_RULE__N] = {
#define CEB_RULE_ROW(e, id, layer, sev, zh, en) [e] = {id, CEB_L_##layer, CEB_SEV_##sev, zh, en},
	CEB_RULE_TABLE(CEB_RULE_ROW)
#undef CEB_RULE_ROW
};

const char *ceb_layer_name(enum ceb_layer l)
{
	static const char *const names[] = {"xml",	  "structure", "format", "arithmetic",
					    "signature", "match",     "limit",  "state"};
	return (unsigned)l < sizeof names / sizeof names[0] ? names[l] : "?";
}

const char *ceb_sev_name(enum ceb_sev s)
{
	static const char *const names[] = {"error", "warning", "off"};
	return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}

int ceb_rule_find(const char *id)
{
	for (int i = 0; i < CEB_RULE__N; i++)
		if (strcmp(ceb_rules[i].id, id) == 0)
			return i;
	return -1;
}
