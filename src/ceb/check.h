/* One call to check a message through every layer: XML safety and structure (parse.c),
 * field formats and arithmetic (validate.c), and the XML signature (sig.c). A checker is
 * per thread: it owns a parser and an arena reused from message to message. */
#ifndef CEB_CHECK_H
#define CEB_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "ceb/finding.h"
#include "ceb/model.h"
#include "ceb/parse.h"
#include "ceb/validate.h"

struct ceb_sig_trust;

struct ceb_check_opts {
	struct ceb_parse_opts parse;
	struct ceb_validate_opts validate;
	struct ceb_policy policy;
	bool verify_signatures;            /* check ds:Signature where present (default on) */
	struct ceb_sig_trust *trust; /* borrowed; NULL = only embedded certificates */
	bool sig_check_time;               /* certificate validity against the clock */
};

void ceb_check_opts_default(struct ceb_check_opts *o);

struct ceb_result {
	struct ceb_msg *msg; /* NULL when not even the message type could be read */
	struct ceb_findings findings;
	bool well_formed;
	bool accepted; /* no finding of error severity */
};

struct ceb_checker;

/* Copies opts (the trust store stays borrowed). NULL when out of memory. */
struct ceb_checker *ceb_checker_new(const struct ceb_check_opts *opts);
void ceb_checker_free(struct ceb_checker *c);

/* Check buf[0..len). The result points into the checker's arena and stays valid until the
 * next call on the same checker. 0, or a CBEC_E code on internal failure. */
int ceb_check(struct ceb_checker *c, const char *buf, size_t len, struct ceb_result *r);

/* The same, allocating the result in the caller's arena (not reset), so the parsed message
 * can outlive the next call: intake threads hand it to the writer this way. */
int ceb_check_in(struct ceb_checker *c, const char *buf, size_t len, struct arena *a,
		 struct ceb_result *r);

/* The two halves of ceb_check_in, for a reader that knows only once it has parsed a
 * message whether it needs the rest (the customs simulator): the XML layer alone
 * (r->accepted false), then the field rules and the signature on what it read. */
int ceb_check_parse_in(struct ceb_checker *c, const char *buf, size_t len, struct arena *a,
		       struct ceb_result *r);
int ceb_check_rest(struct ceb_checker *c, const char *buf, size_t len, struct ceb_result *r);
/* The checker's arena, for callers that build more on the result (receipts). */
struct arena *ceb_checker_arena(struct ceb_checker *c);

#endif
