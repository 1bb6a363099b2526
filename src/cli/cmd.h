/* Subcommands of the cbec program; each takes argv with argv[0] = its name and returns the
 * process exit status (0 ok, 1 a negative answer, 2 usage or I/O error). */
#ifndef CBEC_CMD_H
#define CBEC_CMD_H

#include <stdbool.h>

int cmd_check(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_sign(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_account(int argc, char **argv);
int cmd_gen(int argc, char **argv);
/* cbec gen --send (cmd_gen_send.c): g's workload POSTed to the cbec server at url. */
struct gen;
int cmd_gen_send(struct gen *g, const char *url, const char *tokens, int clients, double rate,
		 int wait_s, bool quiet);
int cmd_audit(int argc, char **argv);
int cmd_bonded(int argc, char **argv);
int cmd_summary(int argc, char **argv);

#endif
