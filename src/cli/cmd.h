/* Subcommands of the cbec program; each takes argv with argv[0] = its name and returns the
 * process exit status (0 ok, 1 a negative answer, 2 usage or I/O error). */
#ifndef CBEC_CMD_H
#define CBEC_CMD_H

int cmd_check(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_sign(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_account(int argc, char **argv);
int cmd_gen(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_bonded(int argc, char **argv);
int cmd_summary(int argc, char **argv);

#endif
