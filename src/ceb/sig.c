/* Enveloped XML-DSig for CEB messages: verification that names exactly what is wrong (F-07.x)
 * and signing as the 2022 spec's section 6 shows. libxml2 canonicalizes, OpenSSL 3 digests
 * and signs; one function (c14n_feed) produces every canonical byte for both directions. */
#include "ceb/sig.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/c14n.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509_vfy.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "ceb/finding.h"
#include "ceb/schema.h"

#define URI_CP "http://www.chinaport.gov.cn/2022/04/xmldsig#"
#define URI_DS CEB_DSIG_NS
#define URI_MORE "http://www.w3.org/2001/04/xmldsig-more#"
#define URI_ENC "http://www.w3.org/2001/04/xmlenc#"
#define URI_C14N "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
#define URI_EXC "http://www.w3.org/2001/10/xml-exc-c14n#"
#define URI_ENVELOPED URI_DS "enveloped-signature"

/* GB/T 32918 default user id; chinaport signers and OpenSSL both use it when none is set. */
#define SM2_ID "1234567812345678"

/* ---- algorithms: every URI we understand is one row ---------------------------------- */

enum algo_kind { AK_C14N, AK_TRANSFORM, AK_DIGEST, AK_SIGNATURE };
enum pk_kind { PK_OTHER, PK_SM2, PK_RSA };
#define EMIT(alg) ((alg) + 1) /* `emit` holds the ceb_sig_alg a row is signed with, plus one */

struct algo {
	const char *uri;
	uint8_t kind;
	const char *name; /* what findings call it; language-neutral on purpose */
	const EVP_MD *(*md)(void);
	uint8_t pk;
	uint8_t c14n_mode; /* xmlC14NMode */
	uint8_t comments;
	uint8_t emit;
};

static const struct algo algos[] = {
    {URI_CP "sm2-sm3", AK_SIGNATURE, "SM2-SM3 [chinaport 2022 URI]", EVP_sm3, PK_SM2, 0, 0,
     EMIT(CEB_SIG_SM2_SM3)},
    {URI_DS "sm2-sm3", AK_SIGNATURE, "SM2-SM3 [w3.org URI of open-source signers]", EVP_sm3, PK_SM2,
     0, 0, 0},
    {URI_DS "rsa-sha1", AK_SIGNATURE, "RSA-SHA1 [2018 general algorithm]", EVP_sha1, PK_RSA, 0, 0,
     EMIT(CEB_SIG_RSA_SHA1)},
    {URI_MORE "rsa-sha256", AK_SIGNATURE, "RSA-SHA256", EVP_sha256, PK_RSA, 0, 0,
     EMIT(CEB_SIG_RSA_SHA256)},
    {URI_CP "sm3", AK_DIGEST, "SM3", EVP_sm3, 0, 0, 0, EMIT(CEB_SIG_SM2_SM3)},
    {URI_DS "sha1", AK_DIGEST, "SHA-1", EVP_sha1, 0, 0, 0, EMIT(CEB_SIG_RSA_SHA1)},
    {URI_ENC "sha256", AK_DIGEST, "SHA-256", EVP_sha256, 0, 0, 0, EMIT(CEB_SIG_RSA_SHA256)},
    {URI_C14N, AK_C14N, "inclusive C14N 1.0", NULL, 0, XML_C14N_1_0, 0, 0},
    {URI_C14N "#WithComments", AK_C14N, "inclusive C14N 1.0 with comments", NULL, 0, XML_C14N_1_0,
     1, 0},
    {URI_EXC, AK_C14N, "exclusive C14N 1.0", NULL, 0, XML_C14N_EXCLUSIVE_1_0, 0, 0},
    {URI_EXC "WithComments", AK_C14N, "exclusive C14N 1.0 with comments", NULL, 0,
     XML_C14N_EXCLUSIVE_1_0, 1, 0},
    {URI_ENVELOPED, AK_TRANSFORM, "enveloped signature", NULL, 0, 0, 0, 0},
};
#define NALGOS (sizeof algos / sizeof algos[0])

static const struct algo *algo_by_uri(const xmlChar *uri)
{
	for (size_t i = 0; uri && i < NALGOS; i++)
		if (xmlStrEqual(uri, BAD_CAST algos[i].uri))
			return &algos[i];
	return NULL;
}

static const struct algo *algo_find(int kind, const xmlChar *uri)
{
	const struct algo *a = algo_by_uri(uri);
	return a && a->kind == kind ? a : NULL;
}

static const struct algo *algo_emitted(int kind, enum ceb_sig_alg alg)
{
	for (size_t i = 0; i < NALGOS; i++)
		if (algos[i].kind == kind && algos[i].emit == EMIT(alg))
			return &algos[i];
	return NULL;
}

/* The spec's fixed CanonicalizationMethod, and the Reference's when no C14N transform is named. */
static const struct algo *c14n_default(void)
{
	return algo_find(AK_C14N, BAD_CAST URI_C14N);
}

/* The other C14N family, without comments: tried only to explain a digest mismatch. */
static const struct algo *c14n_other(const struct algo *c)
{
	int want = c->c14n_mode == XML_C14N_1_0 ? XML_C14N_EXCLUSIVE_1_0 : XML_C14N_1_0;
	for (size_t i = 0; i < NALGOS; i++)
		if (algos[i].kind == AK_C14N && algos[i].c14n_mode == want && !algos[i].comments)
			return &algos[i];
	return NULL;
}

static int key_kind(EVP_PKEY *k)
{
	if (EVP_PKEY_is_a(k, "SM2"))
		return PK_SM2;
	if (EVP_PKEY_is_a(k, "RSA"))
		return PK_RSA;
	return PK_OTHER;
}

/* ---- base64, XML helpers --------------------------------------------------------------- */

static int b64_val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

static int is_xml_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Decode base64 as XML-DSig writes it (line breaks and indentation allowed) into the arena.
 * NULL when empty or not base64. */
static unsigned char *b64_decode(struct arena *a, const char *s, size_t n, size_t *out_n)
{
	unsigned char *out = arena_alloc(a, n / 4 * 3 + 3);
	if (!out)
		return NULL;
	size_t o = 0, quad = 0, pad = 0;
	uint32_t acc = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (is_xml_space(c))
			continue;
		if (c == '=') {
			if (++pad > 2)
				return NULL;
			acc <<= 6;
		} else {
			int v = b64_val(c);
			if (v < 0 || pad)
				return NULL;
			acc = acc << 6 | (uint32_t)v;
		}
		if (++quad == 4) {
			out[o++] = (unsigned char)(acc >> 16);
			out[o++] = (unsigned char)(acc >> 8);
			out[o++] = (unsigned char)acc;
			quad = 0;
			acc = 0;
		}
	}
	if (quad != 0 || o == 0 || o <= pad)
		return NULL;
	*out_n = o - pad;
	return out;
}

/* base64 without line breaks, malloc'd (free()). */
static char *b64_encode(const unsigned char *p, size_t n)
{
	char *s = malloc(4 * ((n + 2) / 3) + 1);
	if (s)
		EVP_EncodeBlock((unsigned char *)s, p, (int)n);
	return s;
}

static int is_ds(xmlNodePtr n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && n->ns &&
	       xmlStrEqual(n->ns->href, BAD_CAST URI_DS) && xmlStrEqual(n->name, BAD_CAST name);
}

static xmlNodePtr ds_child(xmlNodePtr parent, const char *name)
{
	for (xmlNodePtr c = parent ? parent->children : NULL; c; c = c->next)
		if (is_ds(c, name))
			return c;
	return NULL;
}

static unsigned ds_count(xmlNodePtr parent, const char *name)
{
	unsigned n = 0;
	for (xmlNodePtr c = parent->children; c; c = c->next)
		n += (unsigned)is_ds(c, name);
	return n;
}

/* An attribute's value without copying it; "" when empty, NULL when absent. */
static const xmlChar *attr(xmlNodePtr n, const char *name)
{
	for (xmlAttrPtr a = n ? n->properties : NULL; a; a = a->next) {
		if (a->ns || !xmlStrEqual(a->name, BAD_CAST name))
			continue;
		if (!a->children)
			return BAD_CAST "";
		if (a->children->type == XML_TEXT_NODE && !a->children->next)
			return a->children->content ? a->children->content : BAD_CAST "";
		return NULL;
	}
	return NULL;
}

/* An element's character data: a pointer into the tree when it is one text node (the usual
 * case), else a concatenation in the arena. NULL when out of memory. */
static const char *text(struct arena *a, xmlNodePtr n, size_t *len)
{
	xmlNodePtr c = n->children;
	if (c && !c->next && (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)) {
		*len = (size_t)xmlStrlen(c->content);
		return (const char *)c->content;
	}
	size_t total = 0;
	for (c = n->children; c; c = c->next)
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
			total += (size_t)xmlStrlen(c->content);
	char *s = arena_alloc(a, total + 1);
	if (!s)
		return NULL;
	size_t o = 0;
	for (c = n->children; c; c = c->next)
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
			size_t m = (size_t)xmlStrlen(c->content);
			memcpy(s + o, c->content, m);
			o += m;
		}
	*len = o;
	return s;
}

static uint32_t node_line(xmlNodePtr n)
{
	long l = n ? xmlGetLineNo(n) : 0;
	return l > 0 && l < (long)UINT32_MAX ? (uint32_t)l : 0;
}

/* "/CEB621Message/Signature/SignedInfo" (+ "/child" for a missing element). */
static const char *node_path(struct arena *a, xmlNodePtr n, const char *child)
{
	const xmlChar *names[64];
	int k = 0;
	size_t len = child ? 1 + strlen(child) : 0;
	for (; n && n->type == XML_ELEMENT_NODE && k < 64; n = n->parent) {
		names[k++] = n->name;
		len += 1 + (size_t)xmlStrlen(n->name);
	}
	char *s = arena_alloc(a, len + 1);
	if (!s)
		return NULL;
	char *w = s;
	while (k-- > 0) {
		size_t m = (size_t)xmlStrlen(names[k]);
		*w++ = '/';
		memcpy(w, names[k], m);
		w += m;
	}
	if (child) {
		*w++ = '/';
		memcpy(w, child, strlen(child));
		w += strlen(child);
	}
	*w = '\0';
	return s;
}

/* ---- hardened parsing ------------------------------------------------------------------ */

/* A DTD is refused the moment it starts, before any entity is declared (billion laughs). */
static void refuse_dtd(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
	xmlParserCtxtPtr c = ctx;
	*(int *)c->_private = 1;
	xmlStopParser(c);
}

/* Parse with NONET and without entity substitution or DTD loading; a document with a DTD
 * is refused. With `out`, the reason becomes an F-01.1 / F-01.3 finding. */
static int parse_msg(const char *xml, size_t len, xmlDocPtr *docp, struct ceb_findings *out)
{
	xmlParserCtxtPtr ctxt = NULL;
	int dtd = 0, rc = CBEC_EPARSE;
	*docp = NULL;
	if (len > INT32_MAX)
		return CBEC_ETOOBIG;
	ctxt = xmlCreateMemoryParserCtxt(xml, (int)len);
	if (!ctxt)
		return CBEC_ENOMEM;
	ctxt->_private = &dtd;
	ctxt->sax->internalSubset = refuse_dtd;
	xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
	                            XML_PARSE_BIG_LINES);
	xmlParseDocument(ctxt);
	xmlDocPtr doc = ctxt->myDoc;
	ctxt->myDoc = NULL;
	if (dtd || (doc && (doc->intSubset || doc->extSubset))) {
		if (out)
			ceb_report(out, R_XML_DTD, "", (uint32_t)xmlSAX2GetLineNumber(ctxt),
			           "报文含DTD，拒绝验签", "the message has a DTD; it is refused");
		goto out;
	}
	if (!ctxt->wellFormed || !doc || !xmlDocGetRootElement(doc)) {
		const xmlError *e = xmlCtxtGetLastError(ctxt);
		if (e && e->code == XML_ERR_NO_MEMORY) {
			rc = CBEC_ENOMEM;
			goto out;
		}
		const char *m = e && e->message ? e->message : "empty document";
		int mn = (int)strcspn(m, "\n"); /* libxml2 ends its messages with a newline */
		if (out)
			ceb_report(out, R_XML_MALFORMED, "", e ? (uint32_t)e->line : 0,
			           "报文不是格式正确的XML：%.*s",
			           "the message is not well-formed XML: %.*s", mn, m);
		goto out;
	}
	*docp = doc;
	doc = NULL;
	rc = 0;
out:
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	return rc;
}

/* ---- canonicalization ------------------------------------------------------------------ */

typedef int (*update_fn)(EVP_MD_CTX *ctx, const void *p, size_t n);

/* Where canonical bytes go: a digest, a signer or a verifier, without a copy in between. */
struct sink {
	EVP_MD_CTX *md;
	update_fn update;
	int failed;
};

static int sink_write(void *ctx, const char *p, int n)
{
	struct sink *s = ctx;
	if (n > 0 && s->update(s->md, p, (size_t)n) != 1) {
		s->failed = 1;
		return -1;
	}
	return n;
}

/* libxml2 reports C14N problems (a relative namespace URI) through the thread's error
 * handler, which prints by default; we keep the text for the finding instead. */
static void keep_error(void *ctx, xmlErrorPtr e)
{
	char *msg = ctx;
	if (!msg[0] && e && e->message)
		snprintf(msg, 160, "%.*s", (int)strcspn(e->message, "\n"), e->message);
}

struct vis {
	xmlNodePtr node; /* the Signature to hide, or the SignedInfo to show */
	int strip;       /* STRIP_*: also hide whitespace beside the Signature */
};

enum { STRIP_PREV = 1, STRIP_NEXT = 2 };

static int within(xmlNodePtr n, xmlNodePtr top)
{
	for (; n; n = n->parent)
		if (n == top)
			return 1;
	return 0;
}

/* The enveloped-signature transform: everything but the Signature subtree. Namespace nodes
 * come with the element they are rendered on as `parent`. */
static int vis_enveloped(void *data, xmlNodePtr node, xmlNodePtr parent)
{
	const struct vis *v = data;
	if (within(node->type == XML_NAMESPACE_DECL ? parent : node, v->node))
		return 0;
	if (v->strip && node->type == XML_TEXT_NODE && xmlIsBlankNode(node) &&
	    (((v->strip & STRIP_PREV) && node->next == v->node) ||
	     ((v->strip & STRIP_NEXT) && node->prev == v->node)))
		return 0;
	return 1;
}

static int vis_subtree(void *data, xmlNodePtr node, xmlNodePtr parent)
{
	const struct vis *v = data;
	return within(node->type == XML_NAMESPACE_DECL ? parent : node, v->node);
}

/* The one place canonical bytes are produced, for the Reference digest and for SignedInfo,
 * when signing and verifying alike, so the two directions cannot drift apart. Returns 0,
 * CBEC_EPARSE (libxml2 refused to canonicalize; why in `why`), CBEC_ECRYPTO or
 * CBEC_ENOMEM. */
static int c14n_feed(xmlDocPtr doc, xmlC14NIsVisibleCallback cb, struct vis *v, int mode,
                     int comments, xmlChar **prefixes, struct sink *s, char why[160])
{
	xmlStructuredErrorFunc old = xmlStructuredError;
	void *oldctx = xmlStructuredErrorContext;
	why[0] = '\0';
	xmlOutputBufferPtr ob = xmlOutputBufferCreateIO(sink_write, NULL, s, NULL);
	if (!ob)
		return CBEC_ENOMEM;
	xmlSetStructuredErrorFunc(why, keep_error);
	int n = xmlC14NExecute(doc, cb, v, mode, prefixes, comments, ob);
	int c = xmlOutputBufferClose(ob);
	xmlSetStructuredErrorFunc(oldctx, old);
	if (s->failed)
		return CBEC_ECRYPTO;
	if (n < 0 || c < 0) {
		if (!why[0])
			snprintf(why, 160, "libxml2 could not canonicalize the document");
		return CBEC_EPARSE;
	}
	return 0;
}

/* Digest of the whole document minus the Signature (Reference URI="", enveloped-signature).
 * A same-document reference drops comments, whatever the C14N row says. */
static int ref_digest(xmlDocPtr doc, xmlNodePtr sig, int strip, const struct algo *c14n,
                      xmlChar **prefixes, const EVP_MD *md, unsigned char *out, unsigned *out_n,
                      char why[160])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int rc = CBEC_ENOMEM;
	if (!ctx)
		goto out;
	rc = CBEC_ECRYPTO;
	if (EVP_DigestInit_ex(ctx, md, NULL) != 1)
		goto out;
	struct sink s = {ctx, EVP_DigestUpdate, 0};
	struct vis v = {sig, strip};
	rc = c14n_feed(doc, vis_enveloped, &v, c14n->c14n_mode, 0, prefixes, &s, why);
	if (rc)
		goto out;
	rc = EVP_DigestFinal_ex(ctx, out, out_n) == 1 ? 0 : CBEC_ECRYPTO;
out:
	EVP_MD_CTX_free(ctx);
	return rc;
}

/* PrefixList of an exclusive C14N method, as libxml2 wants it (NULL-terminated, in the
 * arena); NULL when there is none. */
static xmlChar **exc_prefixes(struct arena *a, xmlNodePtr method, const struct algo *c14n)
{
	if (!method || c14n->c14n_mode != XML_C14N_EXCLUSIVE_1_0)
		return NULL;
	xmlNodePtr in = NULL;
	for (xmlNodePtr c = method->children; c && !in; c = c->next)
		if (c->type == XML_ELEMENT_NODE && c->ns &&
		    xmlStrEqual(c->ns->href, BAD_CAST URI_EXC) &&
		    xmlStrEqual(c->name, BAD_CAST "InclusiveNamespaces"))
			in = c;
	const xmlChar *list = attr(in, "PrefixList");
	if (!list)
		return NULL;
	size_t n = (size_t)xmlStrlen(list), k = 0;
	char *copy = arena_strndup(a, (const char *)list, n);
	xmlChar **v = arena_alloc(a, (n / 2 + 2) * sizeof *v);
	if (!copy || !v)
		return NULL;
	for (char *p = copy; *p;) {
		while (is_xml_space((unsigned char)*p))
			*p++ = '\0';
		if (!*p)
			break;
		v[k++] = BAD_CAST p;
		while (*p && !is_xml_space((unsigned char)*p))
			p++;
	}
	return v;
}

/* ---- trust: anchors, pins, and the certificate cache ------------------------------------ */

struct pin {
	char *name; /* normalized: lower case, no leading zeros */
	EVP_PKEY *key;
	X509 *cert; /* NULL for a bare public key */
};

/* A certificate seen in messages: parsed once, its chain checked once per set of anchors. */
struct cache_ent {
	unsigned char fp[32]; /* SHA-256 of the DER */
	X509 *cert;
	EVP_PKEY *key;
	int chain;         /* X509_V_OK or the X509_V_ERR_* from the last chain check */
	unsigned gen;      /* anchors generation `chain` was computed for */
	uint64_t last_use; /* for least-recently-used eviction */
};

#define CACHE_N 64

struct ceb_sig_trust {
	pthread_mutex_t mu; /* guards everything below except `store`, which locks itself */
	X509_STORE *store;
	unsigned nanchors;
	unsigned gen; /* bumped when anchors change: cached chain results are stale */
	struct pin *pins;
	size_t npins, cap;
	struct cache_ent cache[CACHE_N];
	size_t ncache;
	uint64_t tick;
};

struct ceb_sig_trust *ceb_sig_trust_new(void)
{
	struct ceb_sig_trust *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->store = X509_STORE_new();
	if (!t->store || pthread_mutex_init(&t->mu, NULL) != 0) {
		X509_STORE_free(t->store);
		free(t);
		return NULL;
	}
	/* A signer certificate may be trusted directly, not only through its CA. The signer's
	 * validity is checked per message against opts->now, so the cached chain result must
	 * not depend on the clock (CA expiry is therefore not checked). */
	X509_STORE_set_flags(t->store, X509_V_FLAG_PARTIAL_CHAIN | X509_V_FLAG_NO_CHECK_TIME);
	return t;
}

void ceb_sig_trust_free(struct ceb_sig_trust *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->npins; i++) {
		free(t->pins[i].name);
		EVP_PKEY_free(t->pins[i].key);
		X509_free(t->pins[i].cert);
	}
	free(t->pins);
	for (size_t i = 0; i < t->ncache; i++) {
		X509_free(t->cache[i].cert);
		EVP_PKEY_free(t->cache[i].key);
	}
	X509_STORE_free(t->store);
	pthread_mutex_destroy(&t->mu);
	free(t);
}

/* KeyNames are certificate serial numbers in hex: "01691FE9" and "1691fe9" are the same. */
static size_t keyname_norm(const char *s, size_t n, char *out, size_t cap)
{
	while (n && is_xml_space((unsigned char)*s))
		s++, n--;
	while (n && is_xml_space((unsigned char)s[n - 1]))
		n--;
	while (n > 1 && *s == '0')
		s++, n--;
	if (n >= cap)
		return 0;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	out[n] = '\0';
	return n;
}

/* Takes its own references to key and cert. */
static int pin_add(struct ceb_sig_trust *t, const char *name, EVP_PKEY *key, X509 *cert)
{
	char norm[128];
	int rc = CBEC_EINVAL;
	if (!name || !key || !keyname_norm(name, strlen(name), norm, sizeof norm))
		return rc;
	pthread_mutex_lock(&t->mu);
	rc = CBEC_ENOMEM;
	if (t->npins == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 8;
		struct pin *p = realloc(t->pins, cap * sizeof *p);
		if (!p)
			goto out;
		t->pins = p;
		t->cap = cap;
	}
	struct pin *p = &t->pins[t->npins];
	if (!(p->name = strdup(norm)))
		goto out;
	EVP_PKEY_up_ref(key);
	p->key = key;
	if (cert)
		X509_up_ref(cert);
	p->cert = cert;
	t->npins++;
	rc = 0;
out:
	pthread_mutex_unlock(&t->mu);
	return rc;
}

/* Lower-case hex serial, as chinaport signers write KeyName. OPENSSL_free() it. */
static char *serial_hex(X509 *x)
{
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
	char *h = bn ? BN_bn2hex(bn) : NULL;
	BN_free(bn);
	for (char *p = h; p && *p; p++)
		if (*p >= 'A' && *p <= 'F')
			*p = (char)(*p + 32);
	return h;
}

int ceb_sig_trust_add_pem_file(struct ceb_sig_trust *t, const char *path)
{
	BIO *in = BIO_new_file(path, "r");
	X509 *x = NULL;
	char *serial = NULL;
	EVP_PKEY *key = NULL;
	unsigned n = 0;
	int rc = CBEC_EIO;
	if (!in)
		goto out;
	while ((x = PEM_read_bio_X509(in, NULL, NULL, NULL))) {
		rc = CBEC_ENOMEM;
		if (X509_STORE_add_cert(t->store, x) != 1)
			goto out;
		key = X509_get_pubkey(x);
		serial = serial_hex(x);
		/* A certificate whose key OpenSSL cannot use still anchors chains. */
		if (key && serial && (rc = pin_add(t, serial, key, x)))
			goto out;
		OPENSSL_free(serial);
		serial = NULL;
		EVP_PKEY_free(key);
		key = NULL;
		X509_free(x);
		x = NULL;
		n++;
	}
	rc = n ? 0 : CBEC_EPARSE;
	pthread_mutex_lock(&t->mu);
	t->nanchors += n;
	t->gen++;
	pthread_mutex_unlock(&t->mu);
out:
	ERR_clear_error(); /* the read that ends the loop leaves "no start line" queued */
	OPENSSL_free(serial);
	EVP_PKEY_free(key);
	X509_free(x);
	BIO_free(in);
	return rc;
}

int ceb_sig_trust_pin_key(struct ceb_sig_trust *t, const char *key_name, EVP_PKEY *key)
{
	return pin_add(t, key_name, key, NULL);
}

int ceb_sig_trust_pin_pem_file(struct ceb_sig_trust *t, const char *key_name, const char *path)
{
	BIO *in = BIO_new_file(path, "r");
	EVP_PKEY *key = NULL;
	X509 *x = NULL;
	int rc = CBEC_EIO;
	if (!in)
		goto out;
	rc = CBEC_EPARSE;
	key = PEM_read_bio_PUBKEY(in, NULL, NULL, NULL);
	if (!key) {
		BIO_reset(in);
		x = PEM_read_bio_X509(in, NULL, NULL, NULL);
		key = x ? X509_get_pubkey(x) : NULL;
	}
	if (key)
		rc = pin_add(t, key_name, key, x);
out:
	ERR_clear_error();
	EVP_PKEY_free(key);
	X509_free(x);
	BIO_free(in);
	return rc;
}

size_t ceb_sig_trust_cached(struct ceb_sig_trust *t)
{
	pthread_mutex_lock(&t->mu);
	size_t n = t->ncache;
	pthread_mutex_unlock(&t->mu);
	return n;
}

/* The pinned key for a KeyName, with new references; 0 or CBEC_ENOTFOUND. */
static int pin_find(struct ceb_sig_trust *t, const char *name, size_t n, EVP_PKEY **key,
                    X509 **cert)
{
	char norm[128];
	int rc = CBEC_ENOTFOUND;
	if (!t || !keyname_norm(name, n, norm, sizeof norm))
		return rc;
	pthread_mutex_lock(&t->mu);
	for (size_t i = 0; i < t->npins; i++) {
		if (strcmp(t->pins[i].name, norm) != 0)
			continue;
		EVP_PKEY_up_ref(t->pins[i].key);
		*key = t->pins[i].key;
		if (t->pins[i].cert)
			X509_up_ref(t->pins[i].cert);
		*cert = t->pins[i].cert;
		rc = 0;
		break;
	}
	pthread_mutex_unlock(&t->mu);
	return rc;
}

static int chain_check(struct ceb_sig_trust *t, X509 *x)
{
	X509_STORE_CTX *c = X509_STORE_CTX_new();
	int err = X509_V_ERR_OUT_OF_MEM;
	if (c && X509_STORE_CTX_init(c, t->store, x, NULL) == 1) {
		err = X509_verify_cert(c) == 1 ? X509_V_OK : X509_STORE_CTX_get_error(c);
		if (err == X509_V_OK && X509_STORE_CTX_get_error(c) != X509_V_OK)
			err = X509_STORE_CTX_get_error(c);
	}
	X509_STORE_CTX_free(c);
	return err;
}

/* The certificate in `der` with its key and chain result (X509_V_OK when no anchors are
 * configured), with new references. Parsed and checked once per trust object, then served
 * from the cache. Returns 0, CBEC_EPARSE (not a DER certificate) or CBEC_ENOMEM. */
static int cert_get(struct ceb_sig_trust *t, const unsigned char *der, size_t n, X509 **xp,
                    EVP_PKEY **kp, int *chain)
{
	unsigned char fp[32];
	X509 *x = NULL;
	EVP_PKEY *k = NULL;
	unsigned gen = 0, anchors = 0;
	int hit = 0, rc = 0;
	*xp = NULL;
	*kp = NULL;
	*chain = X509_V_OK;
	if (t) {
		if (EVP_Digest(der, n, fp, NULL, EVP_sha256(), NULL) != 1)
			return CBEC_ENOMEM;
		pthread_mutex_lock(&t->mu);
		for (size_t i = 0; i < t->ncache; i++) {
			struct cache_ent *e = &t->cache[i];
			if (memcmp(e->fp, fp, sizeof fp) != 0)
				continue;
			X509_up_ref(e->cert);
			x = e->cert;
			if (e->key)
				EVP_PKEY_up_ref(e->key);
			k = e->key;
			e->last_use = ++t->tick;
			hit = e->gen == t->gen;
			*chain = e->chain;
			break;
		}
		gen = t->gen;
		anchors = t->nanchors;
		pthread_mutex_unlock(&t->mu);
	}
	if (!x) {
		const unsigned char *p = der;
		x = d2i_X509(NULL, &p, (long)n);
		if (!x || p != der + n) {
			X509_free(x);
			return CBEC_EPARSE;
		}
		k = X509_get_pubkey(x);
	}
	if (hit)
		goto done;
	*chain = anchors ? chain_check(t, x) : X509_V_OK;
	if (!t)
		goto done;
	/* Insert, or refresh a stale chain result; the least recently used entry makes room. */
	pthread_mutex_lock(&t->mu);
	struct cache_ent *e = NULL;
	for (size_t i = 0; i < t->ncache && !e; i++)
		if (memcmp(t->cache[i].fp, fp, sizeof fp) == 0)
			e = &t->cache[i];
	if (!e) {
		if (t->ncache < CACHE_N) {
			e = &t->cache[t->ncache++];
		} else {
			e = &t->cache[0];
			for (size_t i = 1; i < CACHE_N; i++)
				if (t->cache[i].last_use < e->last_use)
					e = &t->cache[i];
			X509_free(e->cert);
			EVP_PKEY_free(e->key);
		}
		memcpy(e->fp, fp, sizeof fp);
		X509_up_ref(x);
		e->cert = x;
		if (k)
			EVP_PKEY_up_ref(k);
		e->key = k;
	}
	e->chain = *chain;
	e->gen = gen;
	e->last_use = ++t->tick;
	pthread_mutex_unlock(&t->mu);
done:
	*xp = x;
	*kp = k;
	return rc;
}

/* ---- verification ---------------------------------------------------------------------- */

struct vctx {
	xmlDocPtr doc;
	const struct ceb_sig_opts *opts;
	struct ceb_findings *out;
	struct ceb_sig_seen *seen;
	int bad; /* a finding was made at this stage */
	int rc;  /* CBEC_ENOMEM once a finding could not be recorded */
	xmlNodePtr sig, si, cm, sm, ref, dm, dv, sv, keyinfo;
	const struct algo *c14n_si, *c14n_ref, *sigalg, *dig;
	xmlNodePtr c14n_ref_node; /* the Transform naming c14n_ref, NULL for the default */
	int enveloped;
	const unsigned char *digest, *value;
	size_t digest_n, value_n;
	X509 *cert;
	EVP_PKEY *key;
	int chain;
	const char *keyname; /* the pinned KeyName, for messages */
};

static void noted(struct vctx *v, enum ceb_rule_id rule, const struct ceb_finding *f)
{
	const struct ceb_policy *p = v->out->policy;
	enum ceb_sev sev = p ? (enum ceb_sev)p->sev[rule] : ceb_rules[rule].severity;
	v->bad = 1;
	if (!f && sev != CEB_SEV_OFF)
		v->rc = CBEC_ENOMEM;
}

/* REPORT(v, rule, node, missing_child_or_NULL, fmt_zh, fmt_en, args...): both formats take
 * the same arguments; a "%.0s" consumes an argument meant for the other language. */
#define REPORT(v, rule, node, child, ...)                                                          \
	noted(v, rule,                                                                             \
	      ceb_report((v)->out, rule, node_path((v)->out->arena, node, child), node_line(node), \
	                 __VA_ARGS__))

static const char *fam(const struct vctx *v)
{
	return v->sigalg ? v->sigalg->name : "?";
}

static void check_algorithm_attr(struct vctx *v, xmlNodePtr parent, xmlNodePtr n, const char *name)
{
	if (!n)
		REPORT(v, R_SIG_MALFORMED, parent, name, "签名缺少%s元素",
		       "the signature has no %s", name);
	else if (!attr(n, "Algorithm") || !*attr(n, "Algorithm"))
		REPORT(v, R_SIG_MALFORMED, n, NULL, "%s缺少Algorithm属性", "%s has no Algorithm",
		       name);
}

/* base64 content of a required element into (*p, *n). */
static void check_b64(struct vctx *v, xmlNodePtr parent, xmlNodePtr n, const char *name,
                      const unsigned char **p, size_t *len)
{
	size_t tn = 0;
	const char *t = n ? text(v->out->arena, n, &tn) : NULL;
	if (!n)
		REPORT(v, R_SIG_MALFORMED, parent, name, "签名缺少%s元素",
		       "the signature has no %s", name);
	else if (!t)
		v->rc = CBEC_ENOMEM;
	else if (!(*p = b64_decode(v->out->arena, t, tn, len)))
		REPORT(v, R_SIG_MALFORMED, n, NULL, "%s为空或不是有效的Base64",
		       "%s is empty or not valid base64", name);
}

static void check_reference(struct vctx *v)
{
	xmlNodePtr ref = v->ref;
	const xmlChar *uri = attr(ref, "URI");
	if (!uri || *uri)
		REPORT(v, R_SIG_MALFORMED, ref, NULL,
		       "Reference的URI须为\"\"（整个报文），实际为\"%.60s\"",
		       "Reference URI must be \"\" (the whole message), found \"%.60s\"",
		       uri ? (const char *)uri : "(absent)");
	xmlNodePtr tr = ds_child(ref, "Transforms");
	for (xmlNodePtr c = tr ? tr->children : NULL; c; c = c->next) {
		if (!is_ds(c, "Transform"))
			continue;
		const xmlChar *a = attr(c, "Algorithm");
		if (!a || !*a)
			REPORT(v, R_SIG_MALFORMED, c, NULL, "Transform缺少Algorithm属性",
			       "a Transform has no Algorithm");
		else if (xmlStrEqual(a, BAD_CAST URI_ENVELOPED))
			v->enveloped = 1;
	}
	if (!v->enveloped)
		REPORT(v, R_SIG_MALFORMED, tr ? tr : ref, tr ? "Transform" : "Transforms",
		       "Reference缺少封内签名转换（enveloped-signature），封内签名无法验证",
		       "the Reference has no enveloped-signature Transform; an enveloped signature "
		       "cannot verify without it");
	v->dm = ds_child(ref, "DigestMethod");
	check_algorithm_attr(v, ref, v->dm, "DigestMethod");
	v->dv = ds_child(ref, "DigestValue");
	check_b64(v, ref, v->dv, "DigestValue", &v->digest, &v->digest_n);
}

static void check_structure(struct vctx *v)
{
	v->si = ds_child(v->sig, "SignedInfo");
	if (!v->si) {
		REPORT(v, R_SIG_MALFORMED, v->sig, "SignedInfo", "签名缺少SignedInfo元素",
		       "the Signature has no SignedInfo");
	} else {
		v->cm = ds_child(v->si, "CanonicalizationMethod");
		check_algorithm_attr(v, v->si, v->cm, "CanonicalizationMethod");
		v->sm = ds_child(v->si, "SignatureMethod");
		check_algorithm_attr(v, v->si, v->sm, "SignatureMethod");
		unsigned nref = ds_count(v->si, "Reference");
		v->ref = ds_child(v->si, "Reference");
		if (nref != 1)
			REPORT(v, R_SIG_MALFORMED, v->ref ? v->ref : v->si,
			       v->ref ? NULL : "Reference",
			       "SignedInfo须且只能包含一个Reference（实际%u个）",
			       "SignedInfo must hold exactly one Reference, found %u", nref);
		else
			check_reference(v);
	}
	v->sv = ds_child(v->sig, "SignatureValue");
	check_b64(v, v->sig, v->sv, "SignatureValue", &v->value, &v->value_n);
}

static void check_algorithms(struct vctx *v)
{
	const xmlChar *uri = attr(v->sm, "Algorithm");
	if (!(v->sigalg = algo_find(AK_SIGNATURE, uri)))
		REPORT(
		    v, R_SIG_ALGO, v->sm, NULL,
		    "不支持的签名算法\"%.80s\"；"
		    "可接受：sm2-sm3（海关2022版或w3.org URI）、rsa-sha1、rsa-sha256",
		    "unsupported SignatureMethod \"%.80s\"; accepted: sm2-sm3 (chinaport 2022 or "
		    "w3.org URI), rsa-sha1, rsa-sha256",
		    (const char *)uri);
	uri = attr(v->dm, "Algorithm");
	if (!(v->dig = algo_find(AK_DIGEST, uri)))
		REPORT(
		    v, R_SIG_ALGO, v->dm, NULL,
		    "不支持的摘要算法\"%.80s\"（所见签名算法：%s）；"
		    "可接受：sm3、sha1、sha256",
		    "unsupported DigestMethod \"%.80s\" (signature algorithm seen: %s); accepted: "
		    "sm3, sha1, sha256",
		    (const char *)uri, fam(v));
	uri = attr(v->cm, "Algorithm");
	if (!(v->c14n_si = algo_find(AK_C14N, uri)))
		REPORT(
		    v, R_SIG_ALGO, v->cm, NULL,
		    "不支持的规范化算法\"%.80s\"（所见签名算法：%s）；"
		    "可接受：C14N 1.0（含或不含注释）、Exclusive C14N",
		    "unsupported CanonicalizationMethod \"%.80s\" (signature algorithm seen: %s); "
		    "accepted: inclusive C14N 1.0 with or without comments, exclusive C14N",
		    (const char *)uri, fam(v));
	/* The last C14N transform decides how the node set becomes octets; none = C14N 1.0. */
	v->c14n_ref = c14n_default();
	xmlNodePtr tr = ds_child(v->ref, "Transforms");
	for (xmlNodePtr c = tr ? tr->children : NULL; c; c = c->next) {
		if (!is_ds(c, "Transform"))
			continue;
		const struct algo *a = algo_by_uri(attr(c, "Algorithm"));
		if (a && a->kind == AK_C14N) {
			v->c14n_ref = a;
			v->c14n_ref_node = c;
		} else if (!a || a->kind != AK_TRANSFORM)
			REPORT(v, R_SIG_ALGO, c, NULL,
			       "不支持的转换算法\"%.80s\"（所见签名算法：%s）；"
			       "可接受：enveloped-signature及C14N",
			       "unsupported Transform \"%.80s\" (signature algorithm seen: %s); "
			       "accepted: "
			       "enveloped-signature and C14N",
			       (const char *)attr(c, "Algorithm"), fam(v));
	}
	v->seen->family = v->sigalg ? v->sigalg->name : NULL;
	v->seen->digest = v->dig ? v->dig->name : NULL;
}

static void resolve_key(struct vctx *v)
{
	xmlNodePtr ki = v->keyinfo = ds_child(v->sig, "KeyInfo");
	xmlNodePtr xc = ds_child(ds_child(ki, "X509Data"), "X509Certificate");
	xmlNodePtr kn = ds_child(ki, "KeyName");
	if (xc) {
		const unsigned char *der = NULL;
		size_t n = 0;
		check_b64(v, ki, xc, "X509Certificate", &der, &n);
		if (!der)
			return;
		int rc = cert_get(v->opts->trust, der, n, &v->cert, &v->key, &v->chain);
		if (rc == CBEC_EPARSE)
			REPORT(
			    v, R_SIG_MALFORMED, xc, NULL,
			    "X509Certificate不是有效的DER编码X.509证书，"
			    "无法取得验签公钥，%s签名未经验证",
			    "the X509Certificate is not a valid DER X.509 certificate, so there is "
			    "no key: the %s signature was not verified",
			    fam(v));
		else if (rc)
			v->rc = rc;
		else if (!v->key)
			REPORT(
			    v, R_SIG_CERT, xc, NULL, "签名证书的公钥无法使用（%s签名未经验证）",
			    "the certificate's public key cannot be used (the %s signature was not "
			    "verified)",
			    fam(v));
		else
			v->seen->key = CEB_SIG_KEY_CERT;
		return;
	}
	size_t nn = 0;
	const char *name = kn ? text(v->out->arena, kn, &nn) : NULL;
	if (name && pin_find(v->opts->trust, name, nn, &v->key, &v->cert) == 0) {
		v->keyname = arena_strndup(v->out->arena, name, nn);
		v->seen->key = CEB_SIG_KEY_PINNED;
		return;
	}
	/* A digest alone proves nothing without a key: one warning that says why, then stop. */
	if (!name)
		REPORT(
		    v, R_SIG_NOKEY, ki ? ki : v->sig, ki ? NULL : "KeyInfo",
		    "签名未带证书（KeyInfo中无X509Certificate）也无KeyName，"
		    "无法取得验签公钥，%s签名未经验证",
		    "the signature carries no certificate (no X509Certificate in KeyInfo) and no "
		    "KeyName, so there is no key: the %s signature was not verified",
		    fam(v));
	else if (!v->opts->trust)
		REPORT(
		    v, R_SIG_NOKEY, kn, NULL,
		    "报文未带证书，KeyName\"%.64s\"无从查找："
		    "未配置信任库；%s签名未经验证",
		    "the message carries no certificate and KeyName \"%.64s\" cannot be looked up: "
		    "no trust store is configured; the %s signature was not verified",
		    name, fam(v));
	else
		REPORT(
		    v, R_SIG_NOKEY, kn, NULL,
		    "报文未带证书，KeyName\"%.64s\"不在信任库中；%s签名未经验证",
		    "the message carries no certificate and KeyName \"%.64s\" is not in the trust "
		    "store; the %s signature was not verified",
		    name, fam(v));
}

/* Ways a signer commonly got the digest "wrong": tried only after a mismatch, to say why. */
static const struct digest_variant {
	int strip, other_c14n;
	const char *zh, *en;
} variants[] = {
    {STRIP_PREV, 0, "；若忽略Signature前的空白则相符：报文在签名后被重新缩进或格式化",
     "; it matches when the whitespace before the Signature is ignored: the message was "
     "re-indented or reformatted after signing"},
    {STRIP_NEXT, 0, "；若忽略Signature后的空白则相符：报文在签名后被重新格式化",
     "; it matches when the whitespace after the Signature is ignored: the message was "
     "reformatted after signing"},
    {STRIP_PREV | STRIP_NEXT, 0, "；若忽略Signature前后的空白则相符：报文在签名后被重新格式化",
     "; it matches when the whitespace around the Signature is ignored: the message was "
     "reformatted after signing"},
    {0, 1, "；改用另一种C14N（包含式/排他式）则相符：签名方的规范化方法与声明的不同",
     "; it matches with the other C14N (inclusive vs exclusive): the signer canonicalized "
     "differently from what it declared"},
};

static const struct digest_variant *explain_digest(struct vctx *v, xmlChar **prefixes)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned n = 0;
	char why[160];
	for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++) {
		const struct digest_variant *d = &variants[i];
		const struct algo *c = d->other_c14n ? c14n_other(v->c14n_ref) : v->c14n_ref;
		xmlNodePtr prev = v->sig->prev, next = v->sig->next;
		/* A variant that would hide nothing gives the digest we already have. */
		if (((d->strip & STRIP_PREV) && !(prev && prev->type == XML_TEXT_NODE)) ||
		    ((d->strip & STRIP_NEXT) && !(next && next->type == XML_TEXT_NODE)))
			continue;
		if (ref_digest(v->doc, v->sig, d->strip, c, prefixes, v->dig->md(), md, &n, why))
			continue;
		if (n == v->digest_n && memcmp(md, v->digest, n) == 0)
			return d;
	}
	return NULL;
}

static int check_digest(struct vctx *v)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned n = 0;
	char why[160];
	xmlChar **prefixes = exc_prefixes(v->out->arena, v->c14n_ref_node, v->c14n_ref);
	int rc = ref_digest(v->doc, v->sig, 0, v->c14n_ref, prefixes, v->dig->md(), md, &n, why);
	if (rc == CBEC_ECRYPTO) {
		REPORT(v, R_SIG_DIGEST, v->dv, NULL, "本机无法计算%s摘要（所见签名算法：%s）",
		       "the %s digest cannot be computed here (signature algorithm seen: %s)",
		       v->dig->name, fam(v));
		return 0;
	}
	if (rc == CBEC_EPARSE) {
		REPORT(v, R_SIG_DIGEST, v->dv, NULL,
		       "报文无法规范化（%s），摘要无法验证（所见签名算法：%s）",
		       "the message cannot be canonicalized (%s), so the digest cannot be checked "
		       "(signature algorithm seen: %s)",
		       why, fam(v));
		return 0;
	}
	if (rc)
		return rc;
	if (n == v->digest_n && memcmp(md, v->digest, n) == 0)
		return 0;
	if (n != v->digest_n) {
		REPORT(v, R_SIG_DIGEST, v->dv, NULL,
		       "DigestValue为%zu字节，而%s摘要为%u字节："
		       "摘要算法与摘要值不符（所见签名算法：%s）",
		       "DigestValue is %zu bytes but a %s digest is %u: the DigestMethod does not "
		       "match the value (signature algorithm seen: %s)",
		       v->digest_n, v->dig->name, n, fam(v));
		return 0;
	}
	const struct digest_variant *d = explain_digest(v, prefixes);
	REPORT(v, R_SIG_DIGEST, v->dv, NULL,
	       "报文的%s摘要（封内签名转换，%s）与DigestValue不符："
	       "签名后报文内容被改动%s%.0s（所见签名算法：%s）",
	       "the %s digest of the message (enveloped-signature transform, %s) differs from "
	       "DigestValue: the signed content was changed after signing%.0s%s (signature "
	       "algorithm seen: %s)",
	       v->dig->name, v->c14n_ref->name, d ? d->zh : "", d ? d->en : "", fam(v));
	return 0;
}

/* The spec does not say how an SM2 SignatureValue is encoded. OpenSSL and Java write DER
 * SEQUENCE{r,s}; the customs U-key (and signers built on it) write raw 64-byte r||s. Both
 * are accepted; OpenSSL wants DER. *der is NULL when the input already is DER. */
static int sm2_sig_der(const unsigned char *sig, size_t n, unsigned char **der, size_t *der_n)
{
	const unsigned char *p = sig;
	ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, (long)n);
	BIGNUM *r = NULL, *s = NULL;
	int rc = 0;
	*der = NULL;
	if (es && p == sig + n)
		goto out;
	ECDSA_SIG_free(es);
	es = NULL;
	rc = CBEC_EPARSE;
	if (n != 64)
		goto out;
	rc = CBEC_ENOMEM;
	r = BN_bin2bn(sig, 32, NULL);
	s = BN_bin2bn(sig + 32, 32, NULL);
	if (!r || !s || !(es = ECDSA_SIG_new()) || ECDSA_SIG_set0(es, r, s) != 1)
		goto out;
	r = s = NULL; /* owned by es now */
	int len = i2d_ECDSA_SIG(es, der);
	if (len <= 0)
		goto out;
	*der_n = (size_t)len;
	rc = 0;
out:
	BN_free(r);
	BN_free(s);
	ECDSA_SIG_free(es);
	ERR_clear_error();
	return rc;
}

static int pkey_init(EVP_MD_CTX *ctx, EVP_PKEY *key, const EVP_MD *md, int sign)
{
	EVP_PKEY_CTX *pctx = NULL;
	int ok = sign ? EVP_DigestSignInit(ctx, &pctx, md, NULL, key)
	              : EVP_DigestVerifyInit(ctx, &pctx, md, NULL, key);
	if (ok == 1 && key_kind(key) == PK_SM2)
		ok = EVP_PKEY_CTX_set1_id(pctx, SM2_ID, sizeof SM2_ID - 1);
	return ok == 1 ? 0 : CBEC_ECRYPTO;
}

/* Whose key failed, for the F-07.5 sentence. */
static const char *key_desc(const struct vctx *v)
{
	const char *d = NULL;
	if (v->seen->key == CEB_SIG_KEY_PINNED)
		d = arena_printf(v->out->arena, "KeyName \"%.64s\" (pinned)", v->keyname);
	return d ? d : "X509Certificate";
}

static int check_value(struct vctx *v)
{
	EVP_MD_CTX *ctx = NULL;
	unsigned char *der = NULL;
	const unsigned char *sig = v->value;
	size_t sig_n = v->value_n;
	char why[160];
	int rc = 0;
	if (key_kind(v->key) != v->sigalg->pk) {
		REPORT(
		    v, R_SIG_VALUE, v->sm, NULL, "%s签名无法用%s密钥验证：证书与签名算法不符",
		    "the %s signature cannot be verified with an %s key: the certificate does not "
		    "fit the SignatureMethod",
		    fam(v), EVP_PKEY_get0_type_name(v->key));
		goto out;
	}
	if (v->sigalg->pk == PK_SM2) {
		rc = sm2_sig_der(v->value, v->value_n, &der, &sig_n);
		if (rc == CBEC_EPARSE) {
			rc = 0;
			REPORT(
			    v, R_SIG_VALUE, v->sv, NULL,
			    "SM2签名值既不是DER编码也不是64字节r||s（%zu字节）",
			    "the SM2 SignatureValue is neither DER nor a 64-byte r||s (%zu bytes)",
			    v->value_n);
			goto out;
		}
		if (rc)
			goto out;
		if (der)
			sig = der;
		else
			sig_n = v->value_n;
	}
	rc = CBEC_ENOMEM;
	if (!(ctx = EVP_MD_CTX_new()))
		goto out;
	if (pkey_init(ctx, v->key, v->sigalg->md(), 0)) {
		rc = 0;
		REPORT(v, R_SIG_VALUE, v->sm, NULL, "OpenSSL无法用该%s密钥验证%s签名",
		       "OpenSSL cannot verify with this %s key (signature algorithm seen: %s)",
		       EVP_PKEY_get0_type_name(v->key), fam(v));
		goto out;
	}
	struct sink s = {ctx, EVP_DigestVerifyUpdate, 0};
	struct vis vi = {v->si, 0};
	xmlChar **prefixes = exc_prefixes(v->out->arena, v->cm, v->c14n_si);
	rc = c14n_feed(v->doc, vis_subtree, &vi, v->c14n_si->c14n_mode, v->c14n_si->comments,
	               prefixes, &s, why);
	if (rc == CBEC_EPARSE || rc == CBEC_ECRYPTO) {
		REPORT(v, R_SIG_VALUE, v->si, NULL, "SignedInfo无法规范化或验证（%s）",
		       "SignedInfo cannot be canonicalized or verified (%s)",
		       rc == CBEC_EPARSE ? why : "OpenSSL failed");
		rc = 0;
		goto out;
	}
	if (rc)
		goto out;
	if (EVP_DigestVerifyFinal(ctx, sig, sig_n) != 1)
		REPORT(v, R_SIG_VALUE, v->sv, NULL,
		       "签名值验证失败：SignedInfo（%s规范化）"
		       "不是用%s对应的私钥签名的（所见签名算法：%s）",
		       "the SignatureValue does not verify: SignedInfo (canonicalized with %s) was "
		       "not signed with the private key of the %s (signature algorithm seen: %s)",
		       v->c14n_si->name, key_desc(v), fam(v));
out:
	ERR_clear_error();
	OPENSSL_free(der);
	EVP_MD_CTX_free(ctx);
	return rc;
}

static void asn1_time_text(const ASN1_TIME *t, char out[32])
{
	struct tm tm;
	if (!t || ASN1_TIME_to_tm(t, &tm) != 1 || !strftime(out, 32, "%Y-%m-%d %H:%M:%S UTC", &tm))
		snprintf(out, 32, "?");
}

static void check_cert(struct vctx *v)
{
	xmlNodePtr at = v->keyinfo ? v->keyinfo : v->sig;
	char *serial = serial_hex(v->cert);
	const char *sn = serial ? serial : "?";
	if (v->seen->key == CEB_SIG_KEY_CERT && v->chain != X509_V_OK)
		REPORT(v, R_SIG_CERT, at, NULL,
		       "签名证书（序列号%s）不能链接到受信任的CA：%s（%s）",
		       "the certificate (serial %s) does not chain to a trusted CA: %s (%s)", sn,
		       X509_verify_cert_error_string(v->chain), fam(v));
	if (v->opts->check_time) {
		time_t now = v->opts->now ? v->opts->now : time(NULL);
		const ASN1_TIME *nb = X509_get0_notBefore(v->cert),
		                *na = X509_get0_notAfter(v->cert);
		int before = X509_cmp_time(nb, &now), after = X509_cmp_time(na, &now);
		char when[32];
		if (before == 0 || after == 0) {
			REPORT(v, R_SIG_CERT, at, NULL, "签名证书（序列号%s）的有效期无法读取",
			       "the certificate's (serial %s) validity dates cannot be read", sn);
		} else if (after < 0) {
			asn1_time_text(na, when);
			REPORT(v, R_SIG_CERT, at, NULL, "签名证书（序列号%s）已于%s过期（%s）",
			       "the certificate (serial %s) expired on %s (%s)", sn, when, fam(v));
		} else if (before > 0) {
			asn1_time_text(nb, when);
			REPORT(v, R_SIG_CERT, at, NULL, "签名证书（序列号%s）在%s之前无效（%s）",
			       "the certificate (serial %s) is not valid before %s (%s)", sn, when,
			       fam(v));
		}
	}
	OPENSSL_free(serial);
}

int ceb_sig_verify_doc(xmlDocPtr doc, const struct ceb_sig_opts *opts, struct ceb_findings *out,
                       struct ceb_sig_seen *seen)
{
	static const struct ceb_sig_opts defaults;
	struct ceb_sig_seen scratch = {0};
	struct vctx v = {.doc = doc, .opts = opts ? opts : &defaults, .out = out};
	int rc = 0, digest_bad = 0;
	v.seen = seen ? seen : &scratch;
	memset(v.seen, 0, sizeof *v.seen);
	xmlNodePtr root = xmlDocGetRootElement(doc);
	unsigned nsig = 0;
	for (xmlNodePtr c = root ? root->children : NULL; c; c = c->next)
		if (is_ds(c, "Signature") && nsig++ == 0)
			v.sig = c;
	if (!v.sig) {
		if (v.opts->require_signature)
			REPORT(&v, R_SIG_MISSING, root, "Signature", "报文缺少数字签名ds:Signature",
			       "the message has no ds:Signature");
		goto out;
	}
	v.seen->present = 1;
	if (nsig > 1)
		REPORT(&v, R_SIG_MALFORMED, root, "Signature", "报文含%u个ds:Signature，只允许一个",
		       "the message has %u ds:Signature elements; one is allowed", nsig);
	check_structure(&v);
	if (v.bad || v.rc)
		goto out;
	check_algorithms(&v);
	if (v.bad || v.rc)
		goto out;
	resolve_key(&v);
	if (v.bad || v.rc || !v.key)
		goto out;
	/* From here every check runs: each names a different fault. */
	rc = check_digest(&v);
	digest_bad = v.bad;
	v.bad = 0;
	if (!rc)
		rc = check_value(&v);
	if (rc)
		v.rc = rc;
	v.seen->verified = !rc && !digest_bad && !v.bad;
	if (v.cert && !v.rc)
		check_cert(&v);
out:
	ERR_clear_error();
	EVP_PKEY_free(v.key);
	X509_free(v.cert);
	return v.rc;
}

int ceb_sig_verify(const char *xml, size_t len, const struct ceb_sig_opts *opts,
                   struct ceb_findings *out)
{
	xmlDocPtr doc = NULL;
	int rc = parse_msg(xml, len, &doc, out);
	if (!rc)
		rc = ceb_sig_verify_doc(doc, opts, out, NULL);
	xmlFreeDoc(doc);
	return rc;
}

/* ---- signing --------------------------------------------------------------------------- */

/* Appends children to the Signature being built; one failure makes the whole build fail. */
struct build {
	xmlNsPtr ns;
	int failed;
};

static xmlNodePtr add(struct build *b, xmlNodePtr parent, const char *name, const char *alg,
                      const char *content)
{
	xmlNodePtr n =
	    parent ? xmlNewTextChild(parent, b->ns, BAD_CAST name, BAD_CAST content) : NULL;
	if (!n || (alg && !xmlNewProp(n, BAD_CAST "Algorithm", BAD_CAST alg)))
		b->failed = 1;
	return n;
}

/* The Signature the spec shows (section 6), compact: whitespace inside it would be signed
 * in SignedInfo and only invite reformatting trouble. */
static xmlNodePtr build_signature(xmlDocPtr doc, const struct algo *sm, const struct algo *dm,
                                  const char *keyname, const char *cert_b64, xmlNodePtr *dv,
                                  xmlNodePtr *sv)
{
	struct build b = {NULL, 0};
	xmlNodePtr sig = xmlNewDocNode(doc, NULL, BAD_CAST "Signature", NULL);
	if (!sig || !(b.ns = xmlNewNs(sig, BAD_CAST URI_DS, BAD_CAST "ds"))) {
		xmlFreeNode(sig);
		return NULL;
	}
	xmlSetNs(sig, b.ns);
	xmlNodePtr si = add(&b, sig, "SignedInfo", NULL, NULL);
	add(&b, si, "CanonicalizationMethod", c14n_default()->uri, NULL);
	add(&b, si, "SignatureMethod", sm->uri, NULL);
	xmlNodePtr ref = add(&b, si, "Reference", NULL, NULL);
	if (ref && !xmlNewProp(ref, BAD_CAST "URI", BAD_CAST ""))
		b.failed = 1;
	xmlNodePtr tr = add(&b, ref, "Transforms", NULL, NULL);
	add(&b, tr, "Transform", URI_ENVELOPED, NULL);
	add(&b, ref, "DigestMethod", dm->uri, NULL);
	*dv = add(&b, ref, "DigestValue", NULL, NULL);
	*sv = add(&b, sig, "SignatureValue", NULL, NULL);
	if (keyname) {
		xmlNodePtr ki = add(&b, sig, "KeyInfo", NULL, NULL);
		add(&b, ki, "KeyName", NULL, keyname);
		add(&b, add(&b, ki, "X509Data", NULL, NULL), "X509Certificate", NULL, cert_b64);
	}
	if (b.failed) {
		xmlFreeNode(sig);
		return NULL;
	}
	return sig;
}

/* Where the schema's sequence puts the Signature: before the first element it lists after
 * the Signature (ExtendMessage on the export side), else after the last element. */
static void place_signature(xmlNodePtr root, const struct ceb_def *def, int sig_at, xmlNodePtr sig)
{
	xmlNodePtr last = NULL;
	for (xmlNodePtr c = root->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (ceb_def_kid(def, (const char *)c->name, (size_t)xmlStrlen(c->name)) > sig_at) {
			xmlAddPrevSibling(c, sig);
			return;
		}
		last = c;
	}
	if (last)
		xmlAddNextSibling(last, sig);
	else
		xmlAddChild(root, sig);
}

static int sig_index(const struct ceb_def *def)
{
	for (int k = 0; k < def->nkids; k++)
		if (def->kids[k].def->kind == CEB_K_SIG)
			return k;
	return -1;
}

static int sign_signedinfo(xmlDocPtr doc, xmlNodePtr si, EVP_PKEY *key, const struct algo *sm,
                           char **b64)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char *sig = NULL;
	size_t n = 0;
	char why[160];
	int rc = CBEC_ENOMEM;
	if (!ctx)
		goto out;
	if ((rc = pkey_init(ctx, key, sm->md(), 1)))
		goto out;
	struct sink s = {ctx, EVP_DigestSignUpdate, 0};
	struct vis v = {si, 0};
	if ((rc = c14n_feed(doc, vis_subtree, &v, c14n_default()->c14n_mode, 0, NULL, &s, why)))
		goto out;
	rc = CBEC_ECRYPTO;
	if (EVP_DigestSignFinal(ctx, NULL, &n) != 1 || !(sig = OPENSSL_malloc(n)) ||
	    EVP_DigestSignFinal(ctx, sig, &n) != 1)
		goto out;
	rc = (*b64 = b64_encode(sig, n)) ? 0 : CBEC_ENOMEM;
out:
	OPENSSL_free(sig);
	EVP_MD_CTX_free(ctx);
	return rc;
}

int ceb_sig_sign(const char *xml, size_t len, EVP_PKEY *key, X509 *cert, enum ceb_sig_alg alg,
                 struct buf *out)
{
	const struct algo *sm = algo_emitted(AK_SIGNATURE, alg), *dm = algo_emitted(AK_DIGEST, alg);
	const struct ceb_msgtype *mt = NULL;
	xmlDocPtr doc = NULL;
	xmlNodePtr root, sig, dv = NULL, sv = NULL;
	xmlChar *mem = NULL;
	unsigned char *der = NULL, md[EVP_MAX_MD_SIZE];
	unsigned md_n = 0;
	char *keyname = NULL, *cert_b64 = NULL, *dv_b64 = NULL, *sv_b64 = NULL, why[160];
	int rc = CBEC_EINVAL, sig_at = -1, n = 0;
	if (!sm || !dm || !key || key_kind(key) != sm->pk)
		goto out;
	if ((rc = parse_msg(xml, len, &doc, NULL)))
		goto out;
	rc = CBEC_EINVAL;
	root = xmlDocGetRootElement(doc);
	mt = ceb_msgtype_by_root((const char *)root->name, (size_t)xmlStrlen(root->name));
	if (!mt || (sig_at = sig_index(mt->def)) < 0)
		goto out;
	rc = CBEC_ENOMEM;
	if (cert && ((n = i2d_X509(cert, &der)) <= 0 || !(cert_b64 = b64_encode(der, (size_t)n)) ||
	             !(keyname = serial_hex(cert))))
		goto out;
	for (xmlNodePtr c = root->children, next; c; c = next) {
		next = c->next;
		if (is_ds(c, "Signature")) {
			xmlUnlinkNode(c);
			xmlFreeNode(c);
		}
	}
	if (!(sig = build_signature(doc, sm, dm, keyname, cert_b64, &dv, &sv)))
		goto out;
	place_signature(root, mt->def, sig_at, sig);
	if ((rc = ref_digest(doc, sig, 0, c14n_default(), NULL, dm->md(), md, &md_n, why)))
		goto out;
	rc = CBEC_ENOMEM;
	if (!(dv_b64 = b64_encode(md, md_n)))
		goto out;
	xmlNodeSetContent(dv, BAD_CAST dv_b64);
	if (!dv->children)
		goto out;
	if ((rc = sign_signedinfo(doc, sig->children, key, sm, &sv_b64)))
		goto out;
	rc = CBEC_ENOMEM;
	xmlNodeSetContent(sv, BAD_CAST sv_b64);
	if (!sv->children)
		goto out;
	xmlDocDumpMemoryEnc(doc, &mem, &n, "UTF-8");
	if (!mem || n <= 0 || buf_reserve(out, (size_t)n))
		goto out;
	buf_put(out, mem, (size_t)n);
	rc = 0;
out:
	ERR_clear_error();
	xmlFree(mem);
	xmlFreeDoc(doc);
	OPENSSL_free(der);
	OPENSSL_free(keyname);
	free(cert_b64);
	free(dv_b64);
	free(sv_b64);
	return rc;
}
