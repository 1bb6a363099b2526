/* The parser walks the schema tables while libxml2 streams SAX2 events: each start tag is
 * matched against the definition of the current element (group children or record fields),
 * so structure findings come out in one pass with no DOM. */
#include "ceb/parse.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <pthread.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"

#define MAX_DEPTH_CAP 64

enum fr_kind { FR_GROUP, FR_RECORD, FR_FIELD, FR_ANY, FR_SIG, FR_SKIP };

struct frame {
	uint8_t kind;
	bool mixed; /* R_MIXED already reported here */
	int pos;    /* index of the last child/field seen, for the order check */
	int field;  /* FR_FIELD/FR_ANY: field index in the record */
	struct ceb_node *node;
	size_t raw_start; /* FR_ANY: first byte of content; FR_SIG: the '<' of the tag */
	const char *name; /* FR_SKIP at the top of an unknown subtree: for paths */
};

struct ceb_parser {
	xmlParserCtxtPtr ctxt;
	struct ceb_parse_opts opts;
	/* per document */
	const char *buf;
	size_t len;
	struct arena *arena;
	struct ceb_findings *f;
	struct ceb_msg *msg;
	struct frame stack[MAX_DEPTH_CAP];
	int depth;
	unsigned elements;
	struct buf text;
	bool stopped;   /* we stopped libxml2 ourselves */
	bool xml_error; /* libxml2 reported a fatal error */
	int err;
};

void ceb_parse_opts_default(struct ceb_parse_opts *o)
{
	o->max_bytes = 8u << 20;
	o->max_depth = 24;
	o->max_elements = 400000;
	o->any_encoding = false;
}

static xmlParserInputPtr no_entity_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	return NULL; /* nothing is ever fetched, from disk or network */
}

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;
static void xml_global_init(void)
{
	xmlInitParser();
	xmlSetExternalEntityLoader(no_entity_loader);
}

static uint32_t cur_line(struct ceb_parser *p)
{
	return p->ctxt && p->ctxt->input ? (uint32_t)p->ctxt->input->line : 0;
}

static void stop(struct ceb_parser *p)
{
	if (!p->stopped) {
		p->stopped = true;
		xmlStopParser(p->ctxt);
	}
}

static const char *frame_path(struct ceb_parser *p, int d, const char *leaf)
{
	/* Nearest node at or above frame d, then the names of skipped frames and the leaf. */
	struct buf b = BUF_INIT;
	int k = d;
	while (k >= 0 && !p->stack[k].node)
		k--;
	if (k >= 0) {
		struct frame *fr = &p->stack[k];
		const char *field = NULL;
		if (fr->kind == FR_FIELD || fr->kind == FR_ANY)
			field = fr->node->def->fields[fr->field].name;
		buf_puts(&b, ceb_node_path(p->arena, fr->node, field));
	}
	for (int j = k + 1; j <= d; j++)
		if (p->stack[j].name) {
			buf_putc(&b, '/');
			buf_puts(&b, p->stack[j].name);
		}
	if (leaf) {
		buf_putc(&b, '/');
		buf_puts(&b, leaf);
	}
	const char *s = arena_strndup(p->arena, b.p ? b.p : "", b.n);
	buf_free(&b);
	return s;
}

static struct frame *push(struct ceb_parser *p, enum fr_kind kind, struct ceb_node *node)
{
	if (p->depth + 1 >= (int)p->opts.max_depth || p->depth + 1 >= MAX_DEPTH_CAP) {
		ceb_report(p->f, R_XML_LIMIT, frame_path(p, p->depth, NULL), cur_line(p),
			   "元素嵌套超过%u层", "elements nest deeper than %u levels", p->opts.max_depth);
		stop(p);
		return NULL;
	}
	struct frame *fr = &p->stack[++p->depth];
	memset(fr, 0, sizeof *fr);
	fr->kind = (uint8_t)kind;
	fr->node = node;
	fr->pos = -1;
	return fr;
}

static void push_skip(struct ceb_parser *p, const char *name)
{
	struct frame *fr = push(p, FR_SKIP, NULL);
	if (fr)
		fr->name = name ? arena_strdup(p->arena, name) : NULL;
}

static size_t tag_start(struct ceb_parser *p)
{
	/* At a start callback libxml2 sits on the tag's closing '>' (or the '/' of '/>'); no
	 * raw '<' can occur inside a tag, so the nearest '<' before it opens the tag. */
	long off = xmlByteConsumed(p->ctxt);
	if (off < 0 || (size_t)off > p->len)
		return 0;
	size_t i = (size_t)off;
	while (i > 0 && p->buf[i] != '<')
		i--;
	return i;
}

static bool ns_is(const xmlChar *uri, const char *ns)
{
	return uri && strcmp((const char *)uri, ns) == 0;
}

static void report_unknown(struct ceb_parser *p, const xmlChar *name, const xmlChar *uri)
{
	if (uri && !ns_is(uri, CEB_NS) && !ns_is(uri, CEB_DSIG_NS))
		ceb_report(p->f, R_UNKNOWN_ELEM, frame_path(p, p->depth, (const char *)name),
			   cur_line(p), "元素%s的命名空间%s不是报文规范的命名空间",
			   "element %s is in namespace %s, not the CEB namespace", name, uri);
	else
		ceb_report(p->f, R_UNKNOWN_ELEM, frame_path(p, p->depth, (const char *)name),
			   cur_line(p), "此处不允许出现元素%s", "element %s is not allowed here",
			   name);
}

static void report_count(struct ceb_parser *p, struct ceb_node *n)
{
	struct ceb_node *parent = n->parent;
	int k = n->kid_index;
	const struct ceb_child *c = &parent->def->kids[k];
	/* The business entities and their goods lines have their own limit rule (F-08). */
	bool business = (parent == p->msg->root && k == 0) ||
			(parent->parent == p->msg->root && parent->kid_index == 0 && k == 1);
	ceb_report(p->f, business ? R_LIMIT_COUNT : R_TOO_MANY, ceb_node_path(p->arena, n, NULL),
		   n->line, "元素%s最多允许出现%u次", "element %s may occur at most %u times",
		   n->def->name, c->max);
}

static void start_root(struct ceb_parser *p, const xmlChar *name, const xmlChar *uri,
		       int nattr, const xmlChar **attrs)
{
	const struct ceb_msgtype *t = ceb_msgtype_by_root((const char *)name, strlen((const char *)name));
	if (!ns_is(uri, CEB_NS)) {
		ceb_report(p->f, R_ROOT, arena_printf(p->arena, "/%s", name), cur_line(p),
			   "根元素%s须在命名空间%s中（实际：%s）",
			   "root element %s must be in namespace %s (found: %s)", name, CEB_NS,
			   uri ? (const char *)uri : "none");
		stop(p);
		return;
	}
	if (!t) {
		ceb_report(p->f, R_ROOT, arena_printf(p->arena, "/%s", name), cur_line(p),
			   "未知的报文类型%s", "unknown message type %s", name);
		stop(p);
		return;
	}
	p->msg = ceb_msg_new(p->arena, t);
	if (!p->msg) {
		p->err = CBEC_ENOMEM;
		stop(p);
		return;
	}
	p->msg->root->line = cur_line(p);
	for (int i = 0; i < nattr; i++) {
		const xmlChar **a = attrs + 5 * i;
		const char *an = (const char *)a[0];
		size_t vn = (size_t)(a[4] - a[3]);
		struct ceb_val *v = NULL;
		if (!a[1] && strcmp(an, "guid") == 0)
			v = &p->msg->guid;
		else if (!a[1] && strcmp(an, "version") == 0)
			v = &p->msg->version;
		if (!v) {
			ceb_report(p->f, R_UNKNOWN_ELEM, arena_printf(p->arena, "/%s/@%s", name, an),
				   cur_line(p), "根元素不允许属性%s", "attribute %s is not allowed on the root", an);
			continue;
		}
		v->p = arena_strndup(p->arena, (const char *)a[3], vn);
		v->n = (uint32_t)vn;
		v->line = cur_line(p);
	}
	struct frame *fr = push(p, FR_GROUP, p->msg->root);
	(void)fr;
}

static void start_in_group(struct ceb_parser *p, struct frame *fr, const xmlChar *name,
			   const xmlChar *prefix, const xmlChar *uri)
{
	struct ceb_node *g = fr->node;
	int k = ceb_def_kid(g->def, (const char *)name, strlen((const char *)name));
	if (k >= 0) {
		const struct ceb_def *kd = g->def->kids[k].def;
		if (!ns_is(uri, kd->kind == CEB_K_SIG ? CEB_DSIG_NS : CEB_NS))
			k = -1;
	}
	if (k < 0) {
		report_unknown(p, name, uri);
		push_skip(p, (const char *)name);
		return;
	}
	if (k < fr->pos) {
		ceb_report(p->f, R_ORDER, frame_path(p, p->depth, (const char *)name), cur_line(p),
			   "元素%s应位于%s之前", "element %s must come before %s", name,
			   g->def->kids[fr->pos].def->name);
	}
	if (k > fr->pos)
		fr->pos = k;
	bool over = g->count[k] >= g->def->kids[k].max && g->count[k] == g->def->kids[k].max;
	struct ceb_node *n = ceb_node_add(p->msg, g, k);
	if (!n) {
		p->err = CBEC_ENOMEM;
		stop(p);
		return;
	}
	n->line = cur_line(p);
	if (over) /* once, at the first element over the limit */
		report_count(p, n);
	switch (n->def->kind) {
	case CEB_K_GROUP: push(p, FR_GROUP, n); break;
	case CEB_K_RECORD: push(p, FR_RECORD, n); break;
	case CEB_K_SIG: {
		struct frame *sf = push(p, FR_SIG, n);
		if (sf)
			sf->raw_start = tag_start(p);
		/* NULL prefix: the signature uses a default namespace declaration */
		n->prefix = prefix ? arena_strdup(p->arena, (const char *)prefix) : NULL;
		break;
	}
	}
}

static void start_in_record(struct ceb_parser *p, struct frame *fr, const xmlChar *name,
			    const xmlChar *uri)
{
	struct ceb_node *r = fr->node;
	const struct ceb_def *d = r->def;
	size_t nl = strlen((const char *)name);
	int k = -1;
	/* Fields nearly always come in schema order: try the next one first. */
	if (fr->pos + 1 < d->nfields && strcmp(d->fields[fr->pos + 1].name, (const char *)name) == 0)
		k = fr->pos + 1;
	else
		k = ceb_def_field(d, (const char *)name, nl);
	if (k >= 0 && !ns_is(uri, CEB_NS))
		k = -1;
	if (k < 0) {
		report_unknown(p, name, uri);
		push_skip(p, (const char *)name);
		return;
	}
	if (r->vals[k].p) {
		ceb_report(p->f, R_TOO_MANY, frame_path(p, p->depth, (const char *)name), cur_line(p),
			   "元素%s重复出现", "element %s occurs twice", name);
	} else if (k < fr->pos) {
		ceb_report(p->f, R_ORDER, frame_path(p, p->depth, (const char *)name), cur_line(p),
			   "元素%s应位于%s之前", "element %s must come before %s", name,
			   d->fields[fr->pos].name);
	}
	if (k > fr->pos)
		fr->pos = k;
	struct frame *ff = push(p, d->fields[k].type == CEB_T_ANY ? FR_ANY : FR_FIELD, r);
	if (!ff)
		return;
	ff->field = k;
	buf_reset(&p->text);
	if (ff->kind == FR_ANY) {
		long off = xmlByteConsumed(p->ctxt);
		ff->raw_start = off >= 0 && (size_t)off < p->len ? (size_t)off + 1 : p->len;
		if (p->buf[ff->raw_start - 1] != '>') /* <Message/> */
			ff->raw_start = p->len;
	}
	/* Mark present now so a duplicate is seen even if this one is empty. */
	r->vals[k].p = "";
	r->vals[k].n = 0;
	r->vals[k].line = cur_line(p);
}

static void on_start(void *ctx, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri,
		     int nns, const xmlChar **nss, int nattr, int ndef, const xmlChar **attrs)
{
	struct ceb_parser *p = ctx;
	if (p->stopped)
		return;
	if (++p->elements > p->opts.max_elements) {
		ceb_report(p->f, R_XML_LIMIT, frame_path(p, p->depth, NULL), cur_line(p),
			   "元素数量超过%u", "more than %u elements", p->opts.max_elements);
		stop(p);
		return;
	}
	if (p->depth < 0) {
		start_root(p, name, uri, nattr, attrs);
		return;
	}
	struct frame *fr = &p->stack[p->depth];
	switch (fr->kind) {
	case FR_GROUP:
		start_in_group(p, fr, name, prefix, uri);
		break;
	case FR_RECORD: start_in_record(p, fr, name, uri); break;
	case FR_FIELD:
		if (!fr->mixed) {
			fr->mixed = true;
			ceb_report(p->f, R_MIXED, frame_path(p, p->depth, (const char *)name),
				   cur_line(p), "字段%s内不允许出现子元素%s",
				   "field %s may not contain element %s",
				   fr->node->def->fields[fr->field].name, name);
		}
		push_skip(p, NULL);
		break;
	case FR_ANY:
	case FR_SIG:
	case FR_SKIP: push_skip(p, NULL); break;
	}
	if (nattr > 0 && p->depth > 0 && p->stack[p->depth].kind != FR_SKIP &&
	    p->stack[p->depth].kind != FR_SIG && !p->stopped) {
		ceb_report(p->f, R_UNKNOWN_ELEM, frame_path(p, p->depth, NULL), cur_line(p),
			   "此元素不允许带属性%s", "attribute %s is not allowed on this element",
			   attrs[0]);
	}
}

static void end_group(struct ceb_parser *p, struct ceb_node *g)
{
	const struct ceb_def *d = g->def;
	for (int k = 0; k < d->nkids; k++)
		if (g->count[k] < d->kids[k].min)
			ceb_report(p->f, d->kids[k].def->kind == CEB_K_SIG ? R_SIG_MISSING : R_MISSING_ELEM,
				   frame_path(p, p->depth, d->kids[k].def->name), cur_line(p),
				   "缺少必填元素%s", "required element %s is missing",
				   d->kids[k].def->name);
}

static void end_record(struct ceb_parser *p, struct ceb_node *r)
{
	const struct ceb_def *d = r->def;
	for (int k = 0; k < d->nfields; k++) {
		const struct ceb_field *fd = &d->fields[k];
		if (!fd->required || ceb_val_filled(&r->vals[k]))
			continue;
		if (fd->type == CEB_T_ANY && r->vals[k].p)
			continue;
		if (r->vals[k].p)
			ceb_report(p->f, R_MISSING_ELEM, ceb_node_path(p->arena, r, fd->name),
				   r->vals[k].line, "必填字段%s（%s）为空",
				   "required field %s (%s) is empty", fd->name, fd->zh);
		else
			ceb_report(p->f, R_MISSING_ELEM, ceb_node_path(p->arena, r, fd->name),
				   cur_line(p), "缺少必填字段%s（%s）",
				   "required field %s (%s) is missing", fd->name, fd->zh);
	}
}

static void on_end(void *ctx, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri)
{
	struct ceb_parser *p = ctx;
	if (p->stopped || p->depth < 0)
		return;
	struct frame *fr = &p->stack[p->depth];
	switch (fr->kind) {
	case FR_GROUP: end_group(p, fr->node); break;
	case FR_RECORD: end_record(p, fr->node); break;
	case FR_FIELD: {
		struct ceb_val *v = &fr->node->vals[fr->field];
		v->p = arena_strndup(p->arena, p->text.p ? p->text.p : "", p->text.n);
		v->n = (uint32_t)p->text.n;
		if (!v->p || p->text.err) {
			p->err = CBEC_ENOMEM;
			stop(p);
		}
		break;
	}
	case FR_ANY:
	case FR_SIG: {
		long off = xmlByteConsumed(p->ctxt);
		size_t end = off >= 0 && (size_t)off <= p->len ? (size_t)off : p->len;
		size_t start = fr->raw_start;
		if (fr->kind == FR_ANY) {
			/* content ends at the '<' of the end tag */
			size_t e = end;
			while (e > start && p->buf[e - 1] != '<')
				e--;
			end = e > start ? e - 1 : start;
		}
		if (start > end)
			start = end;
		struct ceb_val *v = fr->kind == FR_ANY ? &fr->node->vals[fr->field] : &fr->node->vals[0];
		v->p = arena_strndup(p->arena, p->buf + start, end - start);
		v->n = (uint32_t)(end - start);
		v->line = fr->node->line;
		break;
	}
	case FR_SKIP: break;
	}
	p->depth--;
}

static bool all_space(const xmlChar *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			return false;
	return true;
}

static void on_chars(void *ctx, const xmlChar *s, int n)
{
	struct ceb_parser *p = ctx;
	if (p->stopped || p->depth < 0)
		return;
	struct frame *fr = &p->stack[p->depth];
	if (fr->kind == FR_FIELD) {
		buf_put(&p->text, s, (size_t)n);
		return;
	}
	if ((fr->kind == FR_GROUP || fr->kind == FR_RECORD) && !fr->mixed && !all_space(s, n)) {
		fr->mixed = true;
		ceb_report(p->f, R_MIXED, frame_path(p, p->depth, NULL), cur_line(p),
			   "元素%s内不允许出现文本", "element %s may not contain text",
			   fr->node->def->name);
	}
}

static void on_internal_subset(void *ctx, const xmlChar *name, const xmlChar *eid,
			       const xmlChar *sid)
{
	struct ceb_parser *p = ctx;
	ceb_report(p->f, R_XML_DTD, "/", cur_line(p), "报文含有DTD（<!DOCTYPE %s>），已拒绝处理",
		   "the message has a DTD (<!DOCTYPE %s>) and was refused", name);
	stop(p);
}

static void on_error(void *ctx, xmlErrorPtr e)
{
	struct ceb_parser *p = ctx;
	if (p->stopped || p->xml_error || e->level < XML_ERR_ERROR)
		return;
	p->xml_error = true;
	char msg[256];
	snprintf(msg, sizeof msg, "%s", e->message ? e->message : "parse error");
	size_t ml = strlen(msg);
	while (ml && (msg[ml - 1] == '\n' || msg[ml - 1] == ' '))
		msg[--ml] = '\0';
	bool enc = e->code == XML_ERR_INVALID_ENCODING || e->code == XML_ERR_UNKNOWN_ENCODING ||
		   e->code == XML_ERR_UNSUPPORTED_ENCODING || strstr(msg, "UTF-8") != NULL;
	bool ent = e->code == XML_ERR_UNDECLARED_ENTITY || e->code == XML_WAR_UNDECLARED_ENTITY ||
		   e->code == XML_ERR_ENTITY_LOOP;
	if (enc)
		ceb_report(p->f, R_XML_ENCODING, "/", (uint32_t)e->line,
			   "第%d行：字节序列不是合法的UTF-8（%s）",
			   "line %d: bytes are not valid UTF-8 (%s)", e->line, msg);
	else if (ent)
		ceb_report(p->f, R_XML_DTD, "/", (uint32_t)e->line,
			   "第%d行：不允许使用实体引用（%s）",
			   "line %d: entity references are not allowed (%s)", e->line, msg);
	else
		ceb_report(p->f, R_XML_MALFORMED, "/", (uint32_t)e->line,
			   "第%d行第%d列：XML格式错误（%s）",
			   "line %d column %d: malformed XML (%s)", e->line, e->int2, msg);
}

struct ceb_parser *ceb_parser_new(const struct ceb_parse_opts *opts)
{
	pthread_once(&xml_once, xml_global_init);
	struct ceb_parser *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	if (opts)
		p->opts = *opts;
	else
		ceb_parse_opts_default(&p->opts);
	p->ctxt = xmlNewParserCtxt();
	if (!p->ctxt) {
		free(p);
		return NULL;
	}
	xmlSAXHandler *h = p->ctxt->sax;
	memset(h, 0, sizeof *h);
	h->initialized = XML_SAX2_MAGIC;
	h->startElementNs = on_start;
	h->endElementNs = on_end;
	h->characters = on_chars;
	h->cdataBlock = on_chars;
	h->internalSubset = on_internal_subset;
	h->serror = on_error;
	p->ctxt->userData = p;
	return p;
}

void ceb_parser_free(struct ceb_parser *p)
{
	if (!p)
		return;
	xmlFreeParserCtxt(p->ctxt);
	buf_free(&p->text);
	free(p);
}

/* Encoding gate before libxml2 sees the bytes: a UTF-16/32 byte-order mark or an XML
 * declaration naming another encoding is refused with a clear finding. */
static bool encoding_ok(struct ceb_parser *p, const char *buf, size_t len)
{
	const unsigned char *u = (const unsigned char *)buf;
	if ((len >= 1 && u[0] == 0) ||
	    (len >= 2 && ((u[0] == 0xFE && u[1] == 0xFF) || (u[0] == 0xFF && u[1] == 0xFE) ||
			  (u[0] == '<' && u[1] == 0)))) {
		ceb_report(p->f, R_XML_ENCODING, "/", 1, "报文为UTF-16/32编码，只接受UTF-8",
			   "the message is UTF-16/32 encoded; only UTF-8 is accepted");
		return false;
	}
	if (len >= 4 && u[0] == 0x4C && u[1] == 0x6F && u[2] == 0xA7 && u[3] == 0x94) {
		ceb_report(p->f, R_XML_ENCODING, "/", 1, "报文为EBCDIC编码，只接受UTF-8",
			   "the message is EBCDIC encoded; only UTF-8 is accepted");
		return false;
	}
	size_t i = len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF ? 3 : 0;
	if (len - i < 5 || memcmp(buf + i, "<?xml", 5) != 0)
		return true;
	size_t end = i;
	while (end + 1 < len && end < i + 256 && !(buf[end] == '?' && buf[end + 1] == '>'))
		end++;
	const char *enc = memmem(buf + i, end - i, "encoding", 8);
	if (!enc)
		return true;
	const char *q = enc + 8;
	while (q < buf + end && (*q == ' ' || *q == '=' || *q == '\t'))
		q++;
	if (q >= buf + end || (*q != '"' && *q != '\''))
		return true; /* libxml2 will call the declaration malformed */
	char quote = *q++;
	const char *e = memchr(q, quote, (size_t)(buf + end - q));
	if (!e)
		return true;
	size_t n = (size_t)(e - q);
	if ((n == 5 && strncasecmp(q, "UTF-8", 5) == 0) || (n == 4 && strncasecmp(q, "UTF8", 4) == 0))
		return true;
	ceb_report(p->f, R_XML_ENCODING, "/", 1, "报文声明的编码为%.*s，只接受UTF-8",
		   "the message declares encoding %.*s; only UTF-8 is accepted", (int)n, q,
		   (int)n, q);
	return false;
}

struct ceb_msg *ceb_parse(struct ceb_parser *p, const char *buf, size_t len, struct arena *a,
			  struct ceb_findings *f, bool *well_formed, int *err)
{
	*err = 0;
	*well_formed = false;
	p->buf = buf;
	p->len = len;
	p->arena = a;
	p->f = f;
	p->msg = NULL;
	p->depth = -1;
	p->elements = 0;
	p->stopped = p->xml_error = false;
	p->err = 0;
	buf_reset(&p->text);

	if (len > p->opts.max_bytes) {
		ceb_report(f, R_XML_LIMIT, "/", 0, "报文大小%zu字节，超过上限%zu字节",
			   "the message is %zu bytes, over the %zu-byte limit", len, p->opts.max_bytes);
		return NULL;
	}
	if (len > INT32_MAX)
		return NULL;
	if (!p->opts.any_encoding && !encoding_ok(p, buf, len))
		return NULL;

	/* Neither DTD loading nor entity substitution; the external entity loader refuses
	 * everything anyway. XML_PARSE_HUGE stays off, keeping libxml2's own text limits. */
	xmlCtxtReadMemory(p->ctxt, buf, (int)len, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOCDATA);
	/* With our SAX handler no document is built; free one if libxml2 made it anyway. */
	if (p->ctxt->myDoc) {
		xmlFreeDoc(p->ctxt->myDoc);
		p->ctxt->myDoc = NULL;
	}
	if (p->err) {
		*err = p->err;
		return NULL;
	}
	if (!p->msg && !p->stopped && !p->xml_error)
		ceb_report(f, R_XML_MALFORMED, "/", 0, "报文没有根元素", "the message has no root element");
	*well_formed = !p->xml_error && !p->stopped && p->msg && p->depth < 0;
	if (p->msg && !*well_formed && !p->xml_error && !p->stopped)
		ceb_report(f, R_XML_MALFORMED, "/", cur_line(p), "报文不完整", "the message is incomplete");
	if (p->msg) {
		if (!p->msg->guid.p)
			ceb_report(f, R_ATTR, ceb_node_path(a, p->msg->root, "@guid"), p->msg->root->line,
				   "根元素缺少guid属性", "the root lacks its guid attribute");
		if (!p->msg->version.p)
			ceb_report(f, R_ATTR, ceb_node_path(a, p->msg->root, "@version"),
				   p->msg->root->line, "根元素缺少version属性",
				   "the root lacks its version attribute");
	}
	return p->msg;
}
