#include "ceb/check.h"

#include <stdlib.h>
#include <time.h>

#include "base/arena.h"
#include "base/err.h"
#include "ceb/sig.h"

struct ceb_checker {
	struct ceb_check_opts opts;
	struct ceb_parser *parser;
	struct arena *arena;
	/* Without a caller's trust store the checker keeps its own, empty one: it anchors
	 * nothing but caches parsed certificates, so a sender's certificate is parsed once. */
	struct ceb_sig_trust *own_trust;
};

void ceb_check_opts_default(struct ceb_check_opts *o)
{
	ceb_parse_opts_default(&o->parse);
	ceb_validate_opts_default(&o->validate);
	ceb_policy_default(&o->policy);
	o->verify_signatures = true;
	o->trust = NULL;
	o->sig_check_time = true;
}

struct ceb_checker *ceb_checker_new(const struct ceb_check_opts *opts)
{
	struct ceb_checker *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	if (opts)
		c->opts = *opts;
	else
		ceb_check_opts_default(&c->opts);
	c->parser = ceb_parser_new(&c->opts.parse);
	c->arena = arena_new(64 * 1024);
	if (!c->opts.trust)
		c->opts.trust = c->own_trust = ceb_sig_trust_new();
	if (!c->parser || !c->arena || !c->opts.trust) {
		ceb_checker_free(c);
		return NULL;
	}
	return c;
}

void ceb_checker_free(struct ceb_checker *c)
{
	if (!c)
		return;
	ceb_parser_free(c->parser);
	arena_free(c->arena);
	ceb_sig_trust_free(c->own_trust);
	free(c);
}

struct arena *ceb_checker_arena(struct ceb_checker *c)
{
	return c->arena;
}

static bool has_signature(const struct ceb_msg *m)
{
	const struct ceb_def *d = m->root->def;
	for (int k = 0; k < d->nkids; k++)
		if (d->kids[k].def->kind == CEB_K_SIG && m->root->first[k])
			return true;
	return false;
}

int ceb_check(struct ceb_checker *c, const char *buf, size_t len, struct ceb_result *r)
{
	arena_reset(c->arena);
	return ceb_check_in(c, buf, len, c->arena, r);
}

int ceb_check_in(struct ceb_checker *c, const char *buf, size_t len, struct arena *a,
		 struct ceb_result *r)
{
	int err = ceb_check_parse_in(c, buf, len, a, r);
	return err ? err : ceb_check_rest(c, buf, len, r);
}

int ceb_check_parse_in(struct ceb_checker *c, const char *buf, size_t len, struct arena *a,
		       struct ceb_result *r)
{
	ceb_findings_init(&r->findings, a, &c->opts.policy);
	r->accepted = false;
	int err = 0;
	r->msg = ceb_parse(c->parser, buf, len, a, &r->findings, &r->well_formed, &err);
	return err;
}

int ceb_check_rest(struct ceb_checker *c, const char *buf, size_t len, struct ceb_result *r)
{
	/* The later layers read a complete model only: a broken document is answered with
	 * what the parser found. */
	if (r->msg && r->well_formed) {
		ceb_validate(r->msg, &c->opts.validate, &r->findings);
		if (c->opts.verify_signatures && has_signature(r->msg)) {
			struct ceb_sig_opts so = {
				.trust = c->opts.trust,
				.require_signature = false,
				.check_time = c->opts.sig_check_time,
				.now = time(NULL),
			};
			int err = ceb_sig_verify(buf, len, &so, &r->findings);
			if (err == CBEC_ENOMEM)
				return err;
		}
	}
	r->accepted = r->msg && r->well_formed && r->findings.errors == 0;
	return 0;
}
