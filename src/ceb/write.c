#include "ceb/write.h"

#include <string.h>

#include "base/err.h"

struct wctx {
	const struct ceb_write_opts *o;
	struct buf *b;
};

static void indent(struct wctx *w, int depth)
{
	if (!w->o->pretty)
		return;
	buf_putc(w->b, '\n');
	for (int i = 0; i < depth; i++)
		buf_putc(w->b, '\t');
}

static void write_sig(struct wctx *w, const struct ceb_node *n, int depth)
{
	const struct ceb_val *v = &n->vals[0];
	if (!v->p)
		return;
	indent(w, depth);
	/* A signature in a default namespace relied on an ancestor's declaration only if it
	 * has none of its own; give it one so the copy stands alone. */
	if (!n->prefix && v->n > 10 && memcmp(v->p, "<Signature", 10) == 0 &&
	    !memmem(v->p, v->n, "xmlns=", 6)) {
		buf_put(w->b, v->p, 10);
		buf_puts(w->b, " xmlns=\"" CEB_DSIG_NS "\"");
		buf_put(w->b, v->p + 10, v->n - 10);
		return;
	}
	buf_put(w->b, v->p, v->n);
}

static void write_node(struct wctx *w, const struct ceb_node *n, int depth)
{
	const struct ceb_def *d = n->def;
	if (d->kind == CEB_K_SIG) {
		write_sig(w, n, depth);
		return;
	}
	indent(w, depth);
	buf_puts(w->b, "<ceb:");
	buf_puts(w->b, d->name);
	buf_putc(w->b, '>');
	if (d->kind == CEB_K_GROUP) {
		for (int k = 0; k < d->nkids; k++)
			for (const struct ceb_node *x = n->first[k]; x; x = x->next)
				write_node(w, x, depth + 1);
	} else {
		for (int k = 0; k < d->nfields; k++) {
			const struct ceb_val *v = &n->vals[k];
			if (!v->p)
				continue;
			const char *name = d->fields[k].name;
			indent(w, depth + 1);
			/* plain appends: this loop writes every receipt, printf costs */
			buf_puts(w->b, "<ceb:");
			buf_puts(w->b, name);
			buf_putc(w->b, '>');
			if (d->fields[k].type == CEB_T_ANY)
				buf_put(w->b, v->p, v->n); /* verbatim XML */
			else
				buf_put_xml(w->b, v->p, v->n);
			buf_puts(w->b, "</ceb:");
			buf_puts(w->b, name);
			buf_putc(w->b, '>');
		}
	}
	indent(w, depth);
	buf_puts(w->b, "</ceb:");
	buf_puts(w->b, d->name);
	buf_putc(w->b, '>');
}

static bool has_sig_prefix(const struct ceb_node *root, const char **prefix)
{
	for (int k = 0; k < root->def->nkids; k++)
		if (root->def->kids[k].def->kind == CEB_K_SIG && root->first[k]) {
			*prefix = root->first[k]->prefix;
			return true;
		}
	return false;
}

int ceb_write(const struct ceb_msg *m, const struct ceb_write_opts *o, struct buf *out)
{
	static const struct ceb_write_opts dflt = {true, true};
	struct wctx w = {o ? o : &dflt, out};
	if (w.o->declaration)
		buf_puts(out, CEB_XML_DECLARATION);
	buf_puts(out, "<ceb:");
	buf_puts(out, m->type->root);
	buf_puts(out, " xmlns:ceb=\"" CEB_NS "\"");
	const char *sp = NULL;
	if (has_sig_prefix(m->root, &sp) && sp && strcmp(sp, "ceb") != 0) {
		buf_puts(out, " xmlns:");
		buf_puts(out, sp);
		buf_puts(out, "=\"" CEB_DSIG_NS "\"");
	}
	if (m->guid.p) {
		buf_puts(out, " guid=\"");
		buf_put_xml(out, m->guid.p, m->guid.n);
		buf_putc(out, '"');
	}
	if (m->version.p) {
		buf_puts(out, " version=\"");
		buf_put_xml(out, m->version.p, m->version.n);
		buf_putc(out, '"');
	}
	buf_putc(out, '>');
	const struct ceb_def *d = m->root->def;
	for (int k = 0; k < d->nkids; k++)
		for (const struct ceb_node *x = m->root->first[k]; x; x = x->next)
			write_node(&w, x, 1);
	indent(&w, 0);
	buf_puts(out, "</ceb:");
	buf_puts(out, m->type->root);
	buf_puts(out, ">\n");
	return out->err;
}
