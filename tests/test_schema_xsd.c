/* Holds the message tables (src/ceb/schema_*.c, fields.h) to the customs' 2022 XSDs: for every
 * message type the XSD declaration of its root element is walked in parallel with our table,
 * and every difference (names, order, occurrences, types, facets) is reported with its path.
 * The tables were generated once by a script; this test is what keeps them honest. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "ceb/schema.h"
#include "testutil.h"

#define XS_NS "http://www.w3.org/2001/XMLSchema"
#define UNBOUNDED 65535

struct xsd {
	const char *file; /* for messages */
	xmlDocPtr doc;
	xmlNodePtr schema; /* the xs:schema element */
};

struct state {
	struct xsd side[2]; /* indexed by enum ceb_side */
};

/* Every difference found, one line each, so one failing run lists all the drift at once.
 * `seen` remembers (definition, declaration) pairs already compared: BaseTransfer and the
 * other shared records would otherwise report the same drift once per message type. */
struct diff {
	int n;
	size_t len;
	char text[32768];
	size_t nseen;
	struct {
		const struct ceb_def *def;
		xmlNodePtr decl;
	} seen[256];
};

static void report(struct diff *df, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void report(struct diff *df, const char *path, const char *fmt, ...)
{
	df->n++;
	if (df->len >= sizeof df->text - 1)
		return;
	size_t room = sizeof df->text - df->len;
	int k = snprintf(df->text + df->len, room, "%s: ", path);
	if (k < 0 || (size_t)k >= room) {
		df->len = sizeof df->text - 1;
		return;
	}
	df->len += (size_t)k;
	room -= (size_t)k;
	va_list ap;
	va_start(ap, fmt);
	k = vsnprintf(df->text + df->len, room, fmt, ap);
	va_end(ap);
	if (k < 0 || (size_t)k >= room - 1) {
		df->len = sizeof df->text - 1;
		return;
	}
	df->len += (size_t)k;
	df->text[df->len++] = '\n';
	df->text[df->len] = '\0';
}

static bool already_seen(struct diff *df, const struct ceb_def *d, xmlNodePtr decl)
{
	for (size_t i = 0; i < df->nseen; i++)
		if (df->seen[i].def == d && df->seen[i].decl == decl)
			return true;
	if (df->nseen < sizeof df->seen / sizeof df->seen[0]) {
		df->seen[df->nseen].def = d;
		df->seen[df->nseen].decl = decl;
		df->nseen++;
	}
	return false;
}

/* ---- small XSD tree helpers ---- */

static bool is_xs(xmlNodePtr n, const char *local)
{
	return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
	       strcmp((const char *)n->ns->href, XS_NS) == 0 &&
	       (!local || strcmp((const char *)n->name, local) == 0);
}

/* Next XSD component among siblings, skipping text, comments and xs:annotation. */
static xmlNodePtr skip_to_component(xmlNodePtr n)
{
	for (; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE && !is_xs(n, "annotation"))
			return n;
	return NULL;
}

static xmlNodePtr first_component(xmlNodePtr parent)
{
	return parent ? skip_to_component(parent->children) : NULL;
}

static xmlNodePtr next_component(xmlNodePtr n)
{
	return skip_to_component(n->next);
}

static xmlNodePtr child_xs(xmlNodePtr parent, const char *local)
{
	for (xmlNodePtr c = first_component(parent); c; c = next_component(c))
		if (is_xs(c, local))
			return c;
	return NULL;
}

/* Attribute value, borrowed from the tree (no allocation), or NULL. */
static const char *attr(xmlNodePtr n, const char *name)
{
	xmlAttrPtr a = xmlHasProp(n, (const xmlChar *)name);
	if (!a || !a->children || !a->children->content)
		return NULL;
	return (const char *)a->children->content;
}

/* Resolve a QName attribute value against the in-scope namespaces of `n`: namespace URI
 * (NULL if the prefix is undeclared) and local part. Prefixes are not trusted as such. */
static const char *qname(xmlNodePtr n, const char *value, const char **local)
{
	const char *colon = strchr(value, ':');
	char prefix[64] = "";
	if (colon) {
		size_t k = (size_t)(colon - value);
		if (k >= sizeof prefix)
			return NULL;
		memcpy(prefix, value, k);
		prefix[k] = '\0';
		*local = colon + 1;
	} else {
		*local = value;
	}
	xmlNsPtr ns = xmlSearchNs(n->doc, n, colon ? (const xmlChar *)prefix : NULL);
	return ns && ns->href ? (const char *)ns->href : NULL;
}

static bool is_message_root_name(const char *name)
{
	size_t n = strlen(name);
	if (n < 3 + 1 + 7 || strncmp(name, "CEB", 3) != 0 || strcmp(name + n - 7, "Message") != 0)
		return false;
	for (size_t i = 3; i < n - 7; i++)
		if (name[i] < '0' || name[i] > '9')
			return false;
	return true;
}

/* Global (top-level) xs:element declaration by name, or NULL. */
static xmlNodePtr global_element(const struct xsd *x, const char *name)
{
	for (xmlNodePtr c = first_component(x->schema); c; c = next_component(c)) {
		const char *nm = attr(c, "name");
		if (is_xs(c, "element") && nm && strcmp(nm, name) == 0)
			return c;
	}
	return NULL;
}

/* minOccurs / maxOccurs as our tables store them (absent = 1, unbounded = 65535). */
static bool occurs(xmlNodePtr n, const char *which, unsigned *out)
{
	const char *v = attr(n, which);
	if (!v) {
		*out = 1;
		return true;
	}
	if (strcmp(v, "unbounded") == 0) {
		*out = UNBOUNDED;
		return true;
	}
	char *end;
	unsigned long u = strtoul(v, &end, 10);
	if (end == v || *end || u >= UNBOUNDED)
		return false;
	*out = (unsigned)u;
	return true;
}

/* Name of an element particle: its own name, or the local part of its ref. */
static const char *particle_name(xmlNodePtr p)
{
	const char *nm = attr(p, "name");
	if (nm)
		return nm;
	const char *ref = attr(p, "ref"), *local = NULL;
	if (!ref)
		return "?";
	qname(p, ref, &local);
	return local;
}

static const char *kind_name(int kind)
{
	switch (kind) {
	case CEB_K_GROUP:
		return "GROUP";
	case CEB_K_RECORD:
		return "RECORD";
	case CEB_K_SIG:
		return "SIG";
	}
	return "?";
}

static const char *type_name(int type)
{
	switch (type) {
	case CEB_T_STR:
		return "STR";
	case CEB_T_DEC:
		return "DEC";
	case CEB_T_INT:
		return "INT";
	case CEB_T_ANY:
		return "ANY";
	}
	return "?";
}

static void join(char *out, size_t size, const char *path, const char *name)
{
	int k = snprintf(out, size, "%s/%s", path, name);
	if (k < 0 || (size_t)k >= size)
		snprintf(out, size, "%s", "(path too long)");
}

/* ---- the comparison ---- */

static void cmp_def(const struct xsd *x, const struct ceb_def *d, xmlNodePtr decl, const char *path,
                    struct diff *df);

/* The xs:sequence holding the content of element declaration `decl`, or NULL (reported). */
static xmlNodePtr content_sequence(xmlNodePtr decl, const char *path, struct diff *df)
{
	if (attr(decl, "type")) {
		report(df, path, "XSD declares it with type=\"%s\", not an inline complex type",
		       attr(decl, "type"));
		return NULL;
	}
	xmlNodePtr ct = child_xs(decl, "complexType");
	if (!ct) {
		report(df, path, "XSD declaration has no xs:complexType");
		return NULL;
	}
	xmlNodePtr seq = first_component(ct);
	if (!is_xs(seq, "sequence")) {
		report(df, path, "XSD content model is <%s>, not xs:sequence",
		       seq ? (const char *)seq->name : "(empty)");
		return NULL;
	}
	for (xmlNodePtr p = first_component(seq); p; p = next_component(p))
		if (!is_xs(p, "element")) {
			report(df, path, "XSD sequence holds <%s>, which our tables cannot express",
			       (const char *)p->name);
			return NULL;
		}
	return seq;
}

/* An XSD element particle is a structure (ours: GROUP or SIG) when it refers to a global
 * element or declares an inline complex type; otherwise it is a simple field. */
static bool particle_is_structure(xmlNodePtr p)
{
	return attr(p, "ref") || child_xs(p, "complexType");
}

static void cmp_kids(const struct xsd *x, const struct ceb_def *d, xmlNodePtr seq, const char *path,
                     struct diff *df)
{
	xmlNodePtr p = first_component(seq);
	size_t i = 0;
	for (; i < d->nkids && p; i++, p = next_component(p)) {
		const struct ceb_child *k = &d->kids[i];
		const char *xname = particle_name(p);
		char sub[512];
		join(sub, sizeof sub, path, k->def->name);
		if (strcmp(k->def->name, xname) != 0) {
			report(df, path, "child #%zu: ours '%s', XSD '%s'", i + 1, k->def->name,
			       xname);
			continue;
		}
		unsigned mn, mx;
		if (!occurs(p, "minOccurs", &mn) || !occurs(p, "maxOccurs", &mx)) {
			report(df, sub, "XSD minOccurs/maxOccurs not understood");
		} else {
			if (mn != k->min)
				report(df, sub, "minOccurs: ours %u, XSD %u", k->min, mn);
			if (mx != k->max)
				report(df, sub, "maxOccurs: ours %u, XSD %u%s", k->max, mx,
				       mx == UNBOUNDED ? " (unbounded)" : "");
		}
		const char *ref = attr(p, "ref");
		if (!ref) {
			if (k->def->kind == CEB_K_SIG) {
				report(df, sub, "ours SIG, XSD declares an element in place");
				continue;
			}
			cmp_def(x, k->def, p, sub, df);
			continue;
		}
		const char *local, *ns = qname(p, ref, &local);
		if (ns && strcmp(ns, CEB_DSIG_NS) == 0 && strcmp(local, "Signature") == 0) {
			if (k->def->kind != CEB_K_SIG)
				report(df, sub, "kind: ours %s, XSD ref=\"%s\" (SIG)",
				       kind_name(k->def->kind), ref);
			continue;
		}
		if (!ns || strcmp(ns, CEB_NS) != 0) {
			report(df, sub, "XSD ref=\"%s\" is outside the CEB namespace", ref);
			continue;
		}
		if (k->def->kind == CEB_K_SIG) {
			report(df, sub, "kind: ours SIG, XSD ref=\"%s\"", ref);
			continue;
		}
		xmlNodePtr g = global_element(x, local);
		if (!g) {
			report(df, sub, "XSD ref=\"%s\" has no global xs:element name=\"%s\"", ref,
			       local);
			continue;
		}
		cmp_def(x, k->def, g, sub, df);
	}
	for (; i < d->nkids; i++)
		report(df, path, "child #%zu: ours '%s', XSD has no more children", i + 1,
		       d->kids[i].def->name);
	for (; p; p = next_component(p), i++)
		report(df, path, "child #%zu: XSD '%s', ours has no more children", i + 1,
		       particle_name(p));
}

/* What our field row should say, derived from an XSD simple element declaration. */
static bool expected_field(xmlNodePtr p, struct ceb_field *e, const char *path, struct diff *df)
{
	memset(e, 0, sizeof *e);
	unsigned mn, mx;
	if (!occurs(p, "minOccurs", &mn) || !occurs(p, "maxOccurs", &mx)) {
		report(df, path, "XSD minOccurs/maxOccurs not understood");
		return false;
	}
	if (mx != 1)
		report(df, path, "XSD maxOccurs %u: a record field cannot repeat", mx);
	e->required = mn != 0;

	const char *type = attr(p, "type"), *local, *ns;
	xmlNodePtr restr = NULL;
	if (type) {
		ns = qname(p, type, &local);
	} else {
		xmlNodePtr st = child_xs(p, "simpleType");
		restr = st ? first_component(st) : NULL;
		if (!is_xs(restr, "restriction") || !attr(restr, "base")) {
			report(df, path,
			       "XSD field has neither type= nor a simpleType restriction");
			return false;
		}
		ns = qname(restr, attr(restr, "base"), &local);
	}
	if (ns && strcmp(ns, XS_NS) == 0 && strcmp(local, "string") == 0)
		e->type = CEB_T_STR;
	else if (ns && strcmp(ns, XS_NS) == 0 && strcmp(local, "decimal") == 0)
		e->type = CEB_T_DEC;
	else if (ns && strcmp(ns, XS_NS) == 0 && strcmp(local, "int") == 0)
		e->type = CEB_T_INT;
	else if (type && ns && strcmp(ns, CEB_NS) == 0 && strcmp(local, "XMLElement") == 0)
		e->type = CEB_T_ANY;
	else {
		report(df, path, "XSD type %s is not one our tables know",
		       type ? type : attr(restr, "base"));
		return false;
	}

	for (xmlNodePtr f = restr ? first_component(restr) : NULL; f; f = next_component(f)) {
		const char *v = attr(f, "value"), *fn = (const char *)f->name;
		if (is_xs(f, "whiteSpace"))
			continue; /* our parser collapses surrounding white space anyway */
		char *end = NULL;
		unsigned long u = v ? strtoul(v, &end, 10) : 0;
		if (!v || end == v || *end || u > 65535) {
			report(df, path, "XSD facet xs:%s value \"%s\" not understood", fn,
			       v ? v : "");
			continue;
		}
		if (is_xs(f, "length")) {
			e->minlen = e->maxlen = (uint16_t)u;
		} else if (is_xs(f, "minLength")) {
			e->minlen = (uint16_t)u;
		} else if (is_xs(f, "maxLength")) {
			e->maxlen = (uint16_t)u;
		} else if (is_xs(f, "totalDigits") && u <= 255) {
			e->digits = (uint8_t)u;
		} else if (is_xs(f, "fractionDigits") && u <= 255) {
			e->frac = (uint8_t)u;
		} else {
			report(df, path, "XSD facet xs:%s=\"%s\" is not one our tables express", fn,
			       v);
		}
	}
	return true;
}

static void cmp_field(const struct ceb_field *f, xmlNodePtr p, const char *path, struct diff *df)
{
	struct ceb_field e;
	if (!expected_field(p, &e, path, df))
		return;
	if (f->type != e.type)
		report(df, path, "type: ours %s, XSD %s", type_name(f->type), type_name(e.type));
	if (f->required != e.required)
		report(df, path, "required: ours %u, XSD minOccurs %s", f->required,
		       e.required ? "1" : "0");
	if (f->minlen != e.minlen)
		report(df, path, "minlen: ours %u, XSD %u", f->minlen, e.minlen);
	if (f->maxlen != e.maxlen)
		report(df, path, "maxlen: ours %u, XSD %u%s", f->maxlen, e.maxlen,
		       e.maxlen ? "" : " (unbounded)");
	if (f->digits != e.digits)
		report(df, path, "totalDigits: ours %u, XSD %u", f->digits, e.digits);
	if (f->frac != e.frac)
		report(df, path, "fractionDigits: ours %u, XSD %u", f->frac, e.frac);
}

static void cmp_fields(const struct ceb_def *d, xmlNodePtr seq, const char *path, struct diff *df)
{
	xmlNodePtr p = first_component(seq);
	size_t i = 0;
	for (; i < d->nfields && p; i++, p = next_component(p)) {
		const struct ceb_field *f = &d->fields[i];
		const char *xname = particle_name(p);
		char sub[512];
		join(sub, sizeof sub, path, f->name);
		if (strcmp(f->name, xname) != 0) {
			report(df, path, "field #%zu: ours '%s', XSD '%s'", i + 1, f->name, xname);
			continue;
		}
		if (particle_is_structure(p)) {
			report(df, sub, "ours a simple field, XSD a structured element");
			continue;
		}
		cmp_field(f, p, sub, df);
	}
	for (; i < d->nfields; i++)
		report(df, path, "field #%zu: ours '%s', XSD has no more fields", i + 1,
		       d->fields[i].name);
	for (; p; p = next_component(p), i++)
		report(df, path, "field #%zu: XSD '%s', ours has no more fields", i + 1,
		       particle_name(p));
}

/* Compare definition `d` with the XSD element declaration `decl` (global or inline). */
static void cmp_def(const struct xsd *x, const struct ceb_def *d, xmlNodePtr decl, const char *path,
                    struct diff *df)
{
	if (already_seen(df, d, decl))
		return;
	xmlNodePtr seq = content_sequence(decl, path, df);
	if (!seq)
		return;
	bool xsd_group = false, xsd_record = false;
	for (xmlNodePtr p = first_component(seq); p; p = next_component(p)) {
		if (particle_is_structure(p))
			xsd_group = true;
		else
			xsd_record = true;
	}
	if (d->kind == CEB_K_GROUP && xsd_record) {
		report(df, path, "kind: ours GROUP, XSD has simple fields");
		return;
	}
	if (d->kind == CEB_K_RECORD && xsd_group) {
		report(df, path, "kind: ours RECORD, XSD has structured children");
		return;
	}
	if (d->kind == CEB_K_GROUP)
		cmp_kids(x, d, seq, path, df);
	else if (d->kind == CEB_K_RECORD)
		cmp_fields(d, seq, path, df);
	else
		report(df, path, "kind: ours %s where XSD declares an element", kind_name(d->kind));
}

/* One message type against the XSD of its side. */
static void cmp_msgtype(const struct xsd *x, const struct ceb_msgtype *t, struct diff *df)
{
	char want[32];
	snprintf(want, sizeof want, "CEB%dMessage", t->code);
	if (strcmp(t->root, want) != 0)
		report(df, t->root, "root name does not match code %d", t->code);
	if (!t->def || strcmp(t->def->name, t->root) != 0 || t->def->kind != CEB_K_GROUP) {
		report(df, t->root, "definition must be a GROUP named after the root");
		return;
	}
	xmlNodePtr decl = global_element(x, t->root);
	if (!decl) {
		report(df, t->root, "no global xs:element name=\"%s\" in %s", t->root, x->file);
		return;
	}
	cmp_def(x, t->def, decl, t->root, df);
}

/* Reverse direction: every CEBnnnMessage root the XSD declares has a type in `types`, on
 * the XSD's side; returns how many roots the XSD declares. */
static size_t check_roots(const struct xsd *x, int side, const struct ceb_msgtype *const *types,
                          size_t ntypes, struct diff *df)
{
	size_t nroots = 0;
	for (xmlNodePtr c = first_component(x->schema); c; c = next_component(c)) {
		const char *nm = attr(c, "name");
		if (!is_xs(c, "element") || !nm || !is_message_root_name(nm))
			continue;
		nroots++;
		const struct ceb_msgtype *t = NULL;
		for (size_t i = 0; i < ntypes && !t; i++)
			if (strcmp(types[i]->root, nm) == 0)
				t = types[i];
		if (!t)
			report(df, nm, "declared in %s but missing from our message types",
			       x->file);
		else if (t->side != side)
			report(df, nm, "declared in %s but our table puts it on the other side",
			       x->file);
	}
	return nroots;
}

/* ---- fixtures ---- */

static int load_xsd(struct xsd *x, const char *rel)
{
	size_t len;
	char *buf = tu_read(tu_shared(rel), &len);
	x->file = rel;
	x->doc = xmlReadMemory(buf, (int)len, rel, NULL, XML_PARSE_NONET);
	free(buf);
	if (!x->doc)
		return -1;
	x->schema = xmlDocGetRootElement(x->doc);
	return is_xs(x->schema, "schema") ? 0 : -1;
}

static int group_setup(void **state)
{
	struct state *s = calloc(1, sizeof *s);
	if (!s)
		return -1;
	*state = s;
	if (load_xsd(&s->side[CEB_SIDE_IMPORT], "domain/official/xsd/ceb-import-2022.xsd") ||
	    load_xsd(&s->side[CEB_SIDE_EXPORT], "domain/official/xsd/ceb-export-2022.xsd"))
		return -1;
	return 0;
}

static int group_teardown(void **state)
{
	struct state *s = *state;
	if (s) {
		for (int i = 0; i < 2; i++)
			xmlFreeDoc(s->side[i].doc);
		free(s);
	}
	xmlCleanupParser();
	return 0;
}

static struct diff *diff_new(void)
{
	struct diff *df = calloc(1, sizeof *df);
	assert_non_null(df);
	return df;
}

/* One TAP diagnostic line ("# ...") per difference. */
static void print_diff(const struct diff *df)
{
	for (const char *l = df->text; *l;) {
		const char *e = strchr(l, '\n');
		int k = e ? (int)(e - l) : (int)strlen(l);
		print_error("# %.*s\n", k, l);
		l += k + (e != NULL);
	}
	if (df->len >= sizeof df->text - 1)
		print_error("# (more differences not shown)\n");
}

static void assert_no_diff(struct diff *df)
{
	if (df->n) {
		print_diff(df);
		int n = df->n;
		free(df);
		fail_msg("%d difference(s) between our tables and the XSD (listed above)", n);
	}
	free(df);
}

/* Message types of one side from our table, in table order. */
static size_t types_of_side(int side, const struct ceb_msgtype **out, size_t max)
{
	size_t n = 0;
	const struct ceb_msgtype *t;
	for (size_t i = 0; (t = ceb_msgtype_at(i)); i++)
		if (t->side == side && n < max)
			out[n++] = t;
	return n;
}

/* ---- tests against the real tables ---- */

static void check_side(void **state, int side)
{
	struct state *s = *state;
	struct diff *df = diff_new();
	const struct ceb_msgtype *t;
	size_t n = 0;
	for (size_t i = 0; (t = ceb_msgtype_at(i)); i++) {
		if (t->side != CEB_SIDE_IMPORT && t->side != CEB_SIDE_EXPORT) {
			report(df, t->root, "side %u is neither import nor export", t->side);
			continue;
		}
		if (t->side != side)
			continue;
		cmp_msgtype(&s->side[side], t, df);
		n++;
	}
	assert_true(n > 0);
	assert_no_diff(df);
}

static void test_import_tables_match_xsd(void **state)
{
	check_side(state, CEB_SIDE_IMPORT);
}

static void test_export_tables_match_xsd(void **state)
{
	check_side(state, CEB_SIDE_EXPORT);
}

static void check_roots_side(void **state, int side)
{
	struct state *s = *state;
	const struct ceb_msgtype *types[128];
	size_t ntypes = types_of_side(side, types, 128);
	struct diff *df = diff_new();
	size_t nroots = check_roots(&s->side[side], side, types, ntypes, df);
	if (nroots != ntypes)
		report(df, s->side[side].file, "%zu CEB*Message roots, our table has %zu types",
		       nroots, ntypes);
	assert_no_diff(df);
}

static void test_import_roots_all_known(void **state)
{
	check_roots_side(state, CEB_SIDE_IMPORT);
}

static void test_export_roots_all_known(void **state)
{
	check_roots_side(state, CEB_SIDE_EXPORT);
}

/* The counts the 2022 schemas declare, so a root dropped from both XSD walk and table (or a
 * broken root-name filter) cannot pass unnoticed. */
static void test_message_counts(void **state)
{
	struct state *s = *state;
	const struct ceb_msgtype *types[128];
	struct diff *df = diff_new();
	assert_int_equal(check_roots(&s->side[CEB_SIDE_IMPORT], CEB_SIDE_IMPORT, NULL, 0, df), 19);
	assert_int_equal(check_roots(&s->side[CEB_SIDE_EXPORT], CEB_SIDE_EXPORT, NULL, 0, df), 23);
	free(df);
	assert_int_equal(types_of_side(CEB_SIDE_IMPORT, types, 128), 19);
	assert_int_equal(types_of_side(CEB_SIDE_EXPORT, types, 128), 23);
}

/* ---- the comparison can fail: deliberately altered copies ---- */

static struct diff *cmp_record_copy(void **state, const struct ceb_field *fields, size_t n,
                                    const char *xsd_name)
{
	struct state *s = *state;
	const struct xsd *x = &s->side[CEB_SIDE_IMPORT];
	struct ceb_def d = {xsd_name, CEB_K_RECORD, fields, (uint16_t)n, NULL, 0};
	xmlNodePtr decl = global_element(x, xsd_name);
	assert_non_null(decl);
	struct diff *df = diff_new();
	cmp_def(x, &d, decl, xsd_name, df);
	return df;
}

static void assert_reports(struct diff *df, int n, const char *needle)
{
	if (df->n != n || !strstr(df->text, needle)) {
		print_error("# expected %d difference(s) mentioning \"%s\", got %d:\n", n, needle,
		            df->n);
		print_diff(df);
		free(df);
		fail();
	}
	free(df);
}

static void test_unaltered_copy_matches(void **state)
{
	struct ceb_field f[IIH__N];
	memcpy(f, ceb_def_IIH.fields, sizeof f);
	struct diff *df = cmp_record_copy(state, f, IIH__N, "InventoryHead");
	assert_no_diff(df);
}

static void test_detects_maxlen_change(void **state)
{
	struct ceb_field f[IIH__N];
	memcpy(f, ceb_def_IIH.fields, sizeof f);
	f[IIH_orderNo].maxlen++;
	assert_reports(cmp_record_copy(state, f, IIH__N, "InventoryHead"), 1,
	               "InventoryHead/orderNo: maxlen");
}

static void test_detects_swapped_fields(void **state)
{
	struct ceb_field f[IIH__N];
	memcpy(f, ceb_def_IIH.fields, sizeof f);
	struct ceb_field tmp = f[IIH_ebpCode];
	f[IIH_ebpCode] = f[IIH_ebpName];
	f[IIH_ebpName] = tmp;
	assert_reports(cmp_record_copy(state, f, IIH__N, "InventoryHead"), 2, "ebpName");
}

static void test_detects_required_type_and_digits(void **state)
{
	struct ceb_field f[IIH__N];
	memcpy(f, ceb_def_IIH.fields, sizeof f);
	f[IIH_orderNo].required = !f[IIH_orderNo].required;
	assert_reports(cmp_record_copy(state, f, IIH__N, "InventoryHead"), 1, "orderNo: required");

	memcpy(f, ceb_def_IIH.fields, sizeof f);
	f[IIH_freight].type = CEB_T_STR;
	assert_reports(cmp_record_copy(state, f, IIH__N, "InventoryHead"), 1,
	               "freight: type: ours STR, XSD DEC");

	memcpy(f, ceb_def_IIH.fields, sizeof f);
	f[IIH_freight].frac = 2;
	assert_reports(cmp_record_copy(state, f, IIH__N, "InventoryHead"), 1,
	               "freight: fractionDigits: ours 2, XSD 5");
}

static void test_detects_missing_and_extra_field(void **state)
{
	struct ceb_field f[IIH__N + 1];
	memcpy(f, ceb_def_IIH.fields, IIH__N * sizeof f[0]);
	assert_reports(cmp_record_copy(state, f, IIH__N - 1, "InventoryHead"), 1,
	               "XSD 'note', ours has no more fields");
	f[IIH__N] = f[IIH__N - 1];
	assert_reports(cmp_record_copy(state, f, IIH__N + 1, "InventoryHead"), 1,
	               "ours 'note', XSD has no more fields");
}

/* Group drift: CEB621's children with the signature made optional, then in export order. */
static void test_detects_group_drift(void **state)
{
	struct state *s = *state;
	const struct xsd *x = &s->side[CEB_SIDE_IMPORT];
	const struct ceb_msgtype *t = ceb_msgtype_by_code(621);
	assert_non_null(t);
	const struct ceb_def *orig = t->def;
	assert_int_equal(orig->nkids, 5);
	struct ceb_child k[5];
	memcpy(k, orig->kids, sizeof k);
	struct ceb_def d = *orig;
	d.kids = k;
	xmlNodePtr decl = global_element(x, "CEB621Message");
	assert_non_null(decl);

	struct diff *df = diff_new();
	cmp_def(x, &d, decl, "CEB621Message", df);
	assert_no_diff(df);

	k[4].min = 0;
	df = diff_new();
	cmp_def(x, &d, decl, "CEB621Message", df);
	assert_reports(df, 1, "CEB621Message/Signature: minOccurs: ours 0, XSD 1");

	memcpy(k, orig->kids, sizeof k);
	struct ceb_child tmp = k[3];
	k[3] = k[4];
	k[4] = tmp;
	df = diff_new();
	cmp_def(x, &d, decl, "CEB621Message", df);
	assert_reports(df, 2, "child #4: ours 'Signature', XSD 'ExtendMessage'");

	/* a record where the XSD has a signature reference, and a list bound off by one */
	memcpy(k, orig->kids, sizeof k);
	k[4].def = &ceb_def_EXT;
	df = diff_new();
	cmp_def(x, &d, decl, "CEB621Message", df);
	assert_reports(df, 1, "child #5: ours 'ExtendMessage', XSD 'Signature'");

	const struct ceb_def *inv = orig->kids[0].def;
	struct ceb_child ik[2];
	memcpy(ik, inv->kids, sizeof ik);
	ik[1].max = 100;
	struct ceb_def inv2 = *inv;
	inv2.kids = ik;
	memcpy(k, orig->kids, sizeof k);
	k[0].def = &inv2;
	df = diff_new();
	cmp_def(x, &d, decl, "CEB621Message", df);
	assert_reports(df, 1, "CEB621Message/Inventory/InventoryList: maxOccurs: ours 100, XSD 99");
}

/* Reverse direction: a table without CEB621 must fail. */
static void test_detects_missing_type(void **state)
{
	struct state *s = *state;
	const struct ceb_msgtype *types[128];
	size_t n = types_of_side(CEB_SIDE_IMPORT, types, 128), m = 0;
	for (size_t i = 0; i < n; i++)
		if (types[i]->code != 621)
			types[m++] = types[i];
	assert_int_equal(m, n - 1);
	struct diff *df = diff_new();
	size_t roots = check_roots(&s->side[CEB_SIDE_IMPORT], CEB_SIDE_IMPORT, types, m, df);
	assert_int_equal(roots, n);
	assert_reports(df, 1, "CEB621Message: declared in");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_import_tables_match_xsd),
	    cmocka_unit_test(test_export_tables_match_xsd),
	    cmocka_unit_test(test_import_roots_all_known),
	    cmocka_unit_test(test_export_roots_all_known),
	    cmocka_unit_test(test_message_counts),
	    cmocka_unit_test(test_unaltered_copy_matches),
	    cmocka_unit_test(test_detects_maxlen_change),
	    cmocka_unit_test(test_detects_swapped_fields),
	    cmocka_unit_test(test_detects_required_type_and_digits),
	    cmocka_unit_test(test_detects_missing_and_extra_field),
	    cmocka_unit_test(test_detects_group_drift),
	    cmocka_unit_test(test_detects_missing_type),
	};
	return cmocka_run_group_tests_name("schema_xsd", tests, group_setup, group_teardown);
}
