/* cbec rules: print the rule catalogue. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "ceb/rules.h"
#include "cli/cmd.h"

int cmd_rules(int argc, char **argv)
{
	int json = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = 1;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("usage: cbec rules [--json]\n\nLists every rule cbec checks: its id (from "
			       "the domain reference's rules.md where it has one;\nP- for checks the "
			       "platform adds), layer, default severity and description.\n");
			return 0;
		} else {
			fprintf(stderr, "cbec rules: unknown option '%s'\n", argv[i]);
			return 2;
		}
	}
	if (json) {
		json_t *a = json_array();
		for (int i = 0; i < CEB_RULE__N; i++) {
			const struct ceb_rule *r = &ceb_rules[i];
			json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:s,s:s}", "id", r->id, "layer",
							   ceb_layer_name(r->layer), "severity",
							   ceb_sev_name(r->severity), "zh", r->zh, "en", r->en));
		}
		json_dumpf(a, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(a);
		return 0;
	}
	printf("%-8s %-10s %-8s %s\n", "ID", "LAYER", "SEVERITY", "DESCRIPTION");
	for (int i = 0; i < CEB_RULE__N; i++) {
		const struct ceb_rule *r = &ceb_rules[i];
		printf("%-8s %-10s %-8s %s\n%28s%s\n", r->id, ceb_layer_name(r->layer),
		       ceb_sev_name(r->severity), r->en, "", r->zh);
	}
	return 0;
}
