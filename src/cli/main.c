/* cbec: the cross-border e-commerce public service platform's one program. */
#include <stdio.h>
#include <string.h>

#include "cli/cmd.h"

#ifndef CBEC_VERSION
#define CBEC_VERSION "0.1.0"
#endif

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{"check", cmd_check, "check CEB messages against the customs rules (ACCEPT/REJECT)"},
	{"sign", cmd_sign, "add an enveloped XML signature (SM2-SM3 or RSA-SHA1) to a message"},
	{"rules", cmd_rules, "list the rule catalogue: id, layer, severity, description"},
	{"serve", cmd_serve, "run the clearance service (HTTP API, exchange folder, customs link)"},
	{"account", cmd_account, "add an enterprise or regulator account and print its API token"},
	{"bonded", cmd_bonded, "the 1210 bonded account: credit first-line stock-in, show balances"},
	{"summary", cmd_summary, "9610 export summaries: build a month's CEB701 for a shipper, show them"},
	{"gen", cmd_gen, "generate a realistic workload of CEB messages (a festival day by default)"},
	{"audit", cmd_audit, "verify the audit log's hash chain, or show its records"},
};

static void usage(FILE *out)
{
	fprintf(out, "usage: cbec <command> [options] [args]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\n'cbec <command> --help' describes a command's options.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	const char *c = argv[1];
	if (!strcmp(c, "--help") || !strcmp(c, "-h") || !strcmp(c, "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(c, "--version") || !strcmp(c, "version")) {
		printf("cbec %s\n", CBEC_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (!strcmp(c, commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "cbec: unknown command '%s'\n", c);
	usage(stderr);
	return 2;
}
