/* Tests for src/ceb/sig.c: enveloped XML-DSig, signing and verification. Keys and
 * certificates are generated here; the official 2022 sample and a real chinaport SM2
 * signature published by an open-source signer are the outside references. */
#include <dirent.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <libxml/c14n.h>
#include <libxml/parser.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "ceb/finding.h"
#include "ceb/sig.h"
#include "testutil.h"

#define UNSIGNED_621 "domain/official/samples/import/signed-example-CEB621Message.xml"
#define SIGNED_621 "domain/official/samples/import/signed-example-CEB621Message_signed.xml"

/* ---- keys and certificates made for the tests ---------------------------------------- */

struct keys {
	EVP_PKEY *sm2, *sm2b, *rsa, *rsab;
	X509 *sm2_cert, *sm2b_cert, *rsa_cert, *rsab_cert, *rsa_expired;
	EVP_PKEY *ca_key, *sm2_ca_key;
	X509 *ca, *leaf, *sm2_ca, *sm2_leaf; /* leaf: rsa's key certified by ca */
};

static struct keys K;

static X509 *make_cert(EVP_PKEY *key, EVP_PKEY *signer, X509 *issuer, long serial, long nb_days,
                       long na_days, const char *cn, int is_ca)
{
	X509 *x = X509_new();
	assert_non_null(x);
	assert_int_equal(X509_set_version(x, 2), 1);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
	X509_gmtime_adj(X509_getm_notBefore(x), nb_days * 86400);
	X509_gmtime_adj(X509_getm_notAfter(x), na_days * 86400);
	X509_NAME *name = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : name);
	assert_int_equal(X509_set_pubkey(x, key), 1);
	if (is_ca) {
		X509_EXTENSION *ext =
		    X509V3_EXT_conf_nid(NULL, NULL, NID_basic_constraints, "critical,CA:TRUE");
		assert_non_null(ext);
		X509_add_ext(x, ext, -1);
		X509_EXTENSION_free(ext);
	}
	/* SM2 certificates are signed with SM3, as chinaport's are. */
	const EVP_MD *md = EVP_PKEY_is_a(signer, "SM2") ? EVP_sm3() : EVP_sha256();
	assert_true(X509_sign(x, signer, md) > 0);
	return x;
}

static int setup_keys(void **state)
{
	K.sm2 = EVP_PKEY_Q_keygen(NULL, NULL, "SM2");
	K.sm2b = EVP_PKEY_Q_keygen(NULL, NULL, "SM2");
	K.rsa = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	K.rsab = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	K.ca_key = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	K.sm2_ca_key = EVP_PKEY_Q_keygen(NULL, NULL, "SM2");
	if (!K.sm2 || !K.sm2b || !K.rsa || !K.rsab || !K.ca_key || !K.sm2_ca_key)
		return -1;
	K.sm2_cert = make_cert(K.sm2, K.sm2, NULL, 0x3000000000cde6fL, -1, 365, "sm2 signer", 0);
	K.sm2b_cert = make_cert(K.sm2b, K.sm2b, NULL, 0x102, -1, 365, "other sm2", 0);
	K.rsa_cert = make_cert(K.rsa, K.rsa, NULL, 0x01691fe9, -1, 365, "rsa signer", 0);
	K.rsab_cert = make_cert(K.rsab, K.rsab, NULL, 0x104, -1, 365, "other rsa", 0);
	K.rsa_expired = make_cert(K.rsa, K.rsa, NULL, 0x105, -30, -1, "expired rsa", 0);
	K.ca = make_cert(K.ca_key, K.ca_key, NULL, 0x106, -1, 3650, "test CA", 1);
	K.leaf = make_cert(K.rsa, K.ca_key, K.ca, 0x107, -1, 365, "rsa leaf", 0);
	K.sm2_ca = make_cert(K.sm2_ca_key, K.sm2_ca_key, NULL, 0x108, -1, 3650, "sm2 CA", 1);
	K.sm2_leaf = make_cert(K.sm2, K.sm2_ca_key, K.sm2_ca, 0x109, -1, 365, "sm2 leaf", 0);
	*state = &K;
	return 0;
}

static int teardown_keys(void **state)
{
	EVP_PKEY *keys[] = {K.sm2, K.sm2b, K.rsa, K.rsab, K.ca_key, K.sm2_ca_key};
	X509 *certs[] = {K.sm2_cert, K.sm2b_cert, K.rsa_cert, K.rsab_cert, K.rsa_expired,
	                 K.ca,       K.leaf,      K.sm2_ca,   K.sm2_leaf};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		EVP_PKEY_free(keys[i]);
	for (size_t i = 0; i < sizeof certs / sizeof certs[0]; i++)
		X509_free(certs[i]);
	return 0;
}

/* ---- helpers ------------------------------------------------------------------------- */

struct run {
	struct arena *arena;
	struct ceb_findings f;
	struct ceb_sig_seen seen;
	int rc;
};

static void run_free(struct run *r)
{
	arena_free(r->arena);
}

/* Verify through the text entry point; then again on a parsed document for `seen`. */
static void verify(struct run *r, const char *xml, const struct ceb_sig_opts *o)
{
	r->arena = arena_new(4096);
	assert_non_null(r->arena);
	ceb_findings_init(&r->f, r->arena, NULL);
	r->rc = ceb_sig_verify(xml, strlen(xml), o, &r->f);
	memset(&r->seen, 0, sizeof r->seen);
	xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), NULL, NULL,
	                              XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (doc && !doc->intSubset) {
		struct ceb_findings again;
		ceb_findings_init(&again, r->arena, NULL);
		assert_int_equal(ceb_sig_verify_doc(doc, o, &again, &r->seen), 0);
		assert_int_equal(again.count, r->f.count);
	}
	xmlFreeDoc(doc);
}

static const struct ceb_finding *only(const struct run *r, enum ceb_rule_id rule)
{
	for (const struct ceb_finding *x = r->f.head; x; x = x->next)
		print_message("# %s %s %s: %s\n", ceb_rules[x->rule].id, ceb_sev_name(x->sev),
		              x->path, x->en);
	assert_int_equal(r->f.count, 1);
	assert_int_equal(r->f.head->rule, rule);
	return r->f.head;
}

static const struct ceb_finding *find(const struct run *r, enum ceb_rule_id rule)
{
	for (const struct ceb_finding *x = r->f.head; x; x = x->next)
		if (x->rule == rule)
			return x;
	fail_msg("no finding %s", ceb_rules[rule].id);
	return NULL;
}

static void clean(const struct run *r)
{
	for (const struct ceb_finding *x = r->f.head; x; x = x->next)
		print_message("# unexpected %s %s: %s\n", ceb_rules[x->rule].id, x->path, x->en);
	assert_int_equal(r->rc, 0);
	assert_int_equal(r->f.count, 0);
}

static char *sign(const char *xml, EVP_PKEY *key, X509 *cert, enum ceb_sig_alg alg)
{
	struct buf b = BUF_INIT;
	int rc = ceb_sig_sign(xml, strlen(xml), key, cert, alg, &b);
	if (rc)
		fail_msg("ceb_sig_sign: %s", cbec_strerror(rc));
	return buf_detach(&b, NULL);
}

static char *read_shared(const char *rel)
{
	return tu_read(tu_shared(rel), NULL);
}

static char *sign_621(EVP_PKEY *key, X509 *cert, enum ceb_sig_alg alg)
{
	char *xml = read_shared(UNSIGNED_621);
	char *out = sign(xml, key, cert, alg);
	free(xml);
	return out;
}

/* Copy of s with the first `from` replaced by `to` (which must be there). */
static char *replace(char *s, const char *from, const char *to)
{
	char *at = strstr(s, from);
	if (!at)
		fail_msg("'%s' not found", from);
	size_t a = (size_t)(at - s), fl = strlen(from), tl = strlen(to), n = strlen(s);
	char *r = malloc(n - fl + tl + 1);
	assert_non_null(r);
	memcpy(r, s, a);
	memcpy(r + a, to, tl);
	memcpy(r + a + tl, at + fl, n - a - fl + 1);
	free(s);
	return r;
}

/* Copy of s without the text from `start` through the end of `end`. */
static char *cut(char *s, const char *start, const char *end)
{
	char *a = strstr(s, start), *b = a ? strstr(a, end) : NULL;
	if (!a || !b)
		fail_msg("'%s'...'%s' not found", start, end);
	memmove(a, b + strlen(end), strlen(b + strlen(end)) + 1);
	return s;
}

/* The text between `open` and the next '<'. */
static char *between(const char *s, const char *open, char *out, size_t cap)
{
	const char *a = strstr(s, open);
	assert_non_null(a);
	a += strlen(open);
	const char *b = strchr(a, '<');
	assert_true(b && (size_t)(b - a) < cap);
	memcpy(out, a, (size_t)(b - a));
	out[b - a] = '\0';
	return out;
}

static char *pem_file(X509 *x)
{
	static char path[64];
	snprintf(path, sizeof path, "/tmp/test_sig_XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	assert_non_null(f);
	assert_int_equal(PEM_write_X509(f, x), 1);
	fclose(f);
	return path;
}

/* ---- the official digest and a real chinaport signature -------------------------------- */

/* The official signed example carries DigestValue b2FtM/jHvW4fnJpMMPWk/177RwA= (SHA-1).
 * Signing its unsigned original must reproduce it: our enveloped transform + inclusive C14N
 * match the real signer's. */
static void test_official_digest(void **state)
{
	char *xml = read_shared(UNSIGNED_621);
	char *out = sign(xml, K.rsa, K.rsa_cert, CEB_SIG_RSA_SHA1);
	char dv[64];
	assert_string_equal(between(out, "<ds:DigestValue>", dv, sizeof dv),
	                    "b2FtM/jHvW4fnJpMMPWk/177RwA=");
	struct run r;
	verify(&r, out, NULL);
	clean(&r);
	run_free(&r);
	free(out);
	free(xml);
}

/* A real SM2 signature over that same document, published with its certificate in the README
 * of Weasley-J/chinaport-data-signature ("XML加签响应示例", certNo 03000000000cde6f): the
 * w3.org sm2-sm3 URI, a SHA-1 digest, a raw 64-byte r||s value, and a SignedInfo
 * canonicalized with xmlns:ceb, xmlns:ds and xmlns:xsi in scope (so xsi is declared on the
 * Signature here to give it that context). */
static const char real_sig_head[] =
    "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" "
    "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><ds:SignedInfo>"
    "<ds:CanonicalizationMethod "
    "Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315\"></ds:CanonicalizationMethod>"
    "<ds:SignatureMethod "
    "Algorithm=\"http://www.w3.org/2000/09/xmldsig#sm2-sm3\"></ds:SignatureMethod>"
    "<ds:Reference URI=\"\"><ds:Transforms><ds:Transform "
    "Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"></ds:Transform>"
    "</ds:Transforms><ds:DigestMethod "
    "Algorithm=\"http://www.w3.org/2000/09/xmldsig#sha1\"></ds:DigestMethod>"
    "<ds:DigestValue>b2FtM/jHvW4fnJpMMPWk/177RwA=</ds:DigestValue></ds:Reference>"
    "</ds:SignedInfo><ds:SignatureValue>Pa2Ge3A1iH9e+85jIraVccvf2MB4ykjgC1MjObNd/MbPOSZRWTaizl"
    "nfReH3ErRMH5Wc3m60ZM6h56v7t7lIWg==</ds:SignatureValue><ds:KeyInfo>"
    "<ds:KeyName>03000000000cde6f</ds:KeyName><ds:X509Data><ds:X509Certificate>";
static const char real_cert[] =
    "MIIEoDCCBESgAwIBAgIIAwAAAAAM3m8wDAYIKoEcz1UBg3UFADCBmDELMAkGA1UEBhMCQ04xDzANBgNVBAgMBuWM"
    "l+S6rDEPMA0GA1UEBwwG5YyX5LqsMRswGQYDVQQKDBLkuK3lm73nlLXlrZDlj6PlsrgxGzAZBgNVBAsMEuivgeS5p"
    "ueuoeeQhuS4reW/gzEtMCsGA1UEAwwk5Lit5Zu955S15a2Q5Lia5Yqh6K+B5Lmm566h55CG5Lit5b+DMB4XDTIzMD"
    "MyOTAwMDAwMFoXDTMzMDMyOTAwMDAwMFowVjELMAkGA1UEBhMCQ04xMzAxBgNVBAsMKua1t+WNl+ecgeiNo+iqiei"
    "/m+WHuuWPo+i0uOaYk+aciemZkOWFrOWPuDESMBAGA1UEAwwJ5p2o5aaC6YeRMFkwEwYHKoZIzj0CAQYIKoEcz1UB"
    "gi0DQgAE0vOQmplAr9igPZrA8F1msqnFd0U++6G6NhG5rNuIUWft0BwQn7eSJkt5/fvSSoe7pUg2/awHUWPnzkeeQ"
    "c7oVqOCArUwggKxMBEGCWCGSAGG+EIBAQQEAwIFoDAOBgNVHQ8BAf8EBAMCBsAwCQYDVR0TBAIwADApBgNVHSUEIj"
    "AgBggrBgEFBQcDAgYIKwYBBQUHAwQGCisGAQQBgjcUAgIwHwYDVR0jBBgwFoAURCQxt0wEvoAVXmuo4N1bjKXTh0U"
    "wHQYDVR0OBBYEFAytGob5L0WqhOCZ5l6Lf2jUdNrAMGgGA1UdIARhMF8wXQYEVR0gADBVMFMGCCsGAQUFBwIBFkdo"
    "dHRwczovL3d3dy5jaGluYXBvcnQuZ292LmNuL3RjbXNmaWxlL3UvY21zL3d3dy8yMDIyMDQvMTIxMzI5NDh4dDZwL"
    "nBkZjB/BgNVHR8EeDB2MHSgcqBwhm5sZGFwOi8vbGRhcC5jaGluYXBvcnQuZ292LmNuOjM4OS9jbj1jcmwwMzAwMD"
    "Asb3U9Y3JsMDAsb3U9Y3JsLGM9Y24/Y2VydGlmaWNhdGVSZXZvY2F0aW9uTGlzdD9iYXNlP2NuPWNybDAzMDAwMDA"
    "+BggrBgEFBQcBAQQyMDAwLgYIKwYBBQUHMAGGImh0dHA6Ly9vY3NwLmNoaW5hcG9ydC5nb3YuY246ODgwMC8wOgYK"
    "KwYBBAGpQ2QFAQQsDCrmtbfljZfnnIHojaPoqonov5vlh7rlj6PotLjmmJPmnInpmZDlhazlj7gwEgYKKwYBBAGpQ"
    "2QFAwQEDAIwMTAiBgorBgEEAalDZAUIBBQMEjUxMjMyNDE5NjQxMDE3Mjk3WDAgBgorBgEEAalDZAUJBBIMEDAzLU"
    "pKMEc5MDAyMjA3NTIwGQYKKwYBBAGpQ2QFCwQLDAlNQTVUTkZHWTkwEgYKKwYBBAGpQ2QFDAQEDAIwMDASBgorBgE"
    "EAalDZAIBBAQMAjEyMBIGCisGAQQBqUNkAgQEBAwCMTQwDAYIKoEcz1UBg3UFAANIADBFAiBM4OVAc8aaCZU4XFfc"
    "VMkC7bWIIenRnPLxrnwVeYO3CQIhANQ767YIurkJCoLtwyqQPbUZe/+3BjGZcIWqB1mAl9T+";
static const char real_sig_tail[] =
    "</ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature>";

static char *real_signed(const char *before_sig)
{
	size_t n = strlen(before_sig) + sizeof real_sig_head + sizeof real_cert +
	           sizeof real_sig_tail + 32;
	char *block = malloc(n);
	assert_non_null(block);
	snprintf(block, n, "</ceb:BaseTransfer>%s%s%s%s", before_sig, real_sig_head, real_cert,
	         real_sig_tail);
	char *xml = replace(read_shared(UNSIGNED_621), "</ceb:BaseTransfer>", block);
	free(block);
	return xml;
}

static void test_real_chinaport_sm2(void **state)
{
	char *xml = real_signed("");
	struct ceb_sig_opts o = {.check_time = 1, .now = 1704067200 /* 2024-01-01 */};
	struct run r;
	verify(&r, xml, &o);
	clean(&r);
	assert_true(r.seen.verified);
	assert_int_equal(r.seen.key, CEB_SIG_KEY_CERT);
	assert_non_null(strstr(r.seen.family, "w3.org"));
	assert_string_equal(r.seen.digest, "SHA-1");
	run_free(&r);
	free(xml);
}

/* The official signed example is that document re-indented after signing: the digest then
 * fails, and the finding says why. */
static void test_reindented_after_signing(void **state)
{
	char *xml = real_signed("\n    ");
	struct run r;
	verify(&r, xml, NULL);
	const struct ceb_finding *f = only(&r, R_SIG_DIGEST);
	assert_non_null(strstr(f->en, "SHA-1"));
	assert_non_null(strstr(f->en, "re-indented"));
	assert_non_null(strstr(f->en, "SM2-SM3"));
	assert_non_null(strstr(f->zh, "重新缩进"));
	assert_string_equal(f->path, "/CEB621Message/Signature/SignedInfo/Reference/DigestValue");
	assert_true(f->line > 0);
	run_free(&r);
	free(xml);
}

/* Its certificate is broken DER (the base64 lines are shuffled): F-07.2 about the certificate,
 * and nothing else, since without a key nothing can be verified. */
static void test_official_signed_example(void **state)
{
	char *xml = read_shared(SIGNED_621);
	struct run r;
	verify(&r, xml, NULL);
	assert_int_equal(r.rc, 0);
	const struct ceb_finding *f = only(&r, R_SIG_MALFORMED);
	assert_non_null(strstr(f->en, "not a valid DER X.509 certificate"));
	assert_non_null(strstr(f->en, "RSA-SHA1"));
	assert_string_equal(f->path, "/CEB621Message/Signature/KeyInfo/X509Data/X509Certificate");
	run_free(&r);
	free(xml);
}

/* Without the broken certificate and with a key pinned for its KeyName, the example shows
 * the re-indentation (F-07.4) and, as the key is not the signer's, F-07.5. */
static void test_official_example_pinned(void **state)
{
	char *xml = cut(read_shared(SIGNED_621), "<ds:X509Data>", "</ds:X509Data>");
	struct ceb_sig_trust *t = ceb_sig_trust_new();
	assert_int_equal(ceb_sig_trust_pin_key(t, "01691FE9", K.rsa), 0);
	struct ceb_sig_opts o = {.trust = t};
	struct run r;
	verify(&r, xml, &o);
	assert_int_equal(r.f.count, 2);
	assert_non_null(strstr(find(&r, R_SIG_DIGEST)->en, "re-indented"));
	assert_non_null(strstr(find(&r, R_SIG_VALUE)->en, "KeyName"));
	assert_int_equal(r.seen.key, CEB_SIG_KEY_PINNED);
	run_free(&r);
	ceb_sig_trust_free(t);
	free(xml);
}

/* Every official sample goes through without an internal error. Their signatures are the
 * spec's placeholders (SM2 URIs over a 20-byte digest and an RSA certificate): each must say
 * so in findings, never crash or return an error. */
static void test_official_samples(void **state)
{
	static const char *const dirs[] = {"domain/official/samples/import",
	                                   "domain/official/samples/export"};
	unsigned files = 0;
	for (size_t d = 0; d < 2; d++) {
		char dir[4096];
		snprintf(dir, sizeof dir, "%s", tu_shared(dirs[d]));
		DIR *dh = opendir(dir);
		assert_non_null(dh);
		for (struct dirent *e; (e = readdir(dh));) {
			if (!strstr(e->d_name, ".xml"))
				continue;
			char path[8192];
			snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
			char *xml = tu_read(path, NULL);
			struct run r;
			verify(&r, xml, NULL);
			assert_int_equal(r.rc, 0);
			for (const struct ceb_finding *x = r.f.head; x; x = x->next)
				assert_true(ceb_rules[x->rule].layer == CEB_L_SIGNATURE);
			run_free(&r);
			free(xml);
			files++;
		}
		closedir(dh);
	}
	assert_true(files >= 40);
}

/* ---- round trips ------------------------------------------------------------------------ */

static void round_trip(EVP_PKEY *key, X509 *cert, enum ceb_sig_alg alg, const char *sm,
                       const char *dm)
{
	char *xml = read_shared(UNSIGNED_621);
	char *out = sign(xml, key, cert, alg);
	assert_memory_equal(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>", 38);
	assert_non_null(strstr(out, sm));
	assert_non_null(strstr(out, dm));
	assert_non_null(strstr(out, "<ds:Reference URI=\"\">"));
	/* Import side: the Signature is the root's last element. */
	assert_non_null(strstr(out, "</ds:Signature>\n</ceb:CEB621Message>"));
	struct run r;
	verify(&r, out, NULL);
	clean(&r);
	assert_true(r.seen.verified);
	run_free(&r);
	free(out);
	free(xml);
}

static void test_round_trip_sm2(void **state)
{
	round_trip(K.sm2, K.sm2_cert, CEB_SIG_SM2_SM3,
	           "Algorithm=\"http://www.chinaport.gov.cn/2022/04/xmldsig#sm2-sm3\"",
	           "Algorithm=\"http://www.chinaport.gov.cn/2022/04/xmldsig#sm3\"");
}

static void test_round_trip_rsa(void **state)
{
	round_trip(K.rsa, K.rsa_cert, CEB_SIG_RSA_SHA1,
	           "Algorithm=\"http://www.w3.org/2000/09/xmldsig#rsa-sha1\"",
	           "Algorithm=\"http://www.w3.org/2000/09/xmldsig#sha1\"");
	round_trip(K.rsa, K.rsa_cert, CEB_SIG_RSA_SHA256,
	           "Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256\"",
	           "Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"");
}

static void test_keyname_is_serial(void **state)
{
	char *out = sign_621(K.sm2, K.sm2_cert, CEB_SIG_SM2_SM3);
	char kn[64];
	assert_string_equal(between(out, "<ds:KeyName>", kn, sizeof kn), "03000000000cde6f");
	free(out);
}

static void test_resign_replaces(void **state)
{
	char *xml = read_shared(UNSIGNED_621);
	char *once = sign(xml, K.rsa, K.rsa_cert, CEB_SIG_RSA_SHA1);
	char *twice = sign(once, K.sm2, K.sm2_cert, CEB_SIG_SM2_SM3);
	char *first = strstr(twice, "<ds:Signature xmlns");
	assert_non_null(first);
	assert_null(strstr(first + 1, "<ds:Signature xmlns"));
	struct run r;
	verify(&r, twice, NULL);
	clean(&r);
	run_free(&r);
	free(xml);
	free(once);
	free(twice);
}

static const char export_msg[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<ceb:CEB303Message guid=\"311AF125-6FED-4603-8C5D-49B1FA4B4B9B\" version=\"1.0\" "
    "xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\">\n"
    "\t<ceb:Order>\n\t\t<ceb:OrderHead><ceb:guid>704EA0F1-B229-4E89-9F2F-C2E550E95C86"
    "</ceb:guid><ceb:orderNo>order1</ceb:orderNo></ceb:OrderHead>\n\t</ceb:Order>\n"
    "\t<ceb:BaseTransfer><ceb:copCode>1105910159</ceb:copCode><ceb:dxpMode>DXP</ceb:dxpMode>"
    "</ceb:BaseTransfer>\n"
    "\t<ceb:ExtendMessage><ceb:name>x</ceb:name><ceb:version>1</ceb:version>"
    "<ceb:Message><any>text</any></ceb:Message></ceb:ExtendMessage>\n"
    "</ceb:CEB303Message>\n";

/* Export schemas put the Signature after BaseTransfer and before ExtendMessage. */
static void test_export_placement(void **state)
{
	char *out = sign(export_msg, K.sm2, K.sm2_cert, CEB_SIG_SM2_SM3);
	char *bt = strstr(out, "</ceb:BaseTransfer>"), *sig = strstr(out, "<ds:Signature");
	char *end = strstr(out, "</ds:Signature>"), *ext = strstr(out, "<ceb:ExtendMessage>");
	assert_true(bt && sig && end && ext);
	assert_true(bt < sig && end < ext);
	struct run r;
	verify(&r, out, NULL);
	clean(&r);
	run_free(&r);
	free(out);
}

/* ---- each fault is named ---------------------------------------------------------------- */

static void test_tampered_field(void **state)
{
	char *out = sign_621(K.sm2, K.sm2_cert, CEB_SIG_SM2_SM3);
	out = replace(out, "<ceb:buyerName>用户_15150368", "<ceb:buyerName>用户_15150369");
	struct run r;
	verify(&r, out, NULL);
	const struct ceb_finding *f = only(&r, R_SIG_DIGEST);
	assert_non_null(strstr(f->en, "SM3 digest"));
	assert_non_null(strstr(f->en, "changed after signing"));
	assert_non_null(strstr(f->en, "chinaport 2022"));
	assert_false(r.seen.verified);
	run_free(&r);
	free(out);
}

static void test_tampered_signature_value(void **state)
{
	char *out = sign_621(K.rsa, K.rsa_cert, CEB_SIG_RSA_SHA1);
	char *v = strstr(out, "<ds:SignatureValue>");
	assert_non_null(v);
	v += strlen("<ds:SignatureValue>") + 10;
	*v = *v == 'A' ? 'B' : 'A';
	struct run r;
	verify(&r, out, NULL);
	const struct ceb_finding *f = only(&r, R_SIG_VALUE);
	assert_non_null(strstr(f->en, "RSA-SHA1"));
	assert_non_null(strstr(f->en, "X509Certificate"));
	run_free(&r);
	free(out);
}

static void test_wrong_certificate(void **state)
{
	EVP_PKEY *keys[] = {K.sm2, K.rsa};
	X509 *certs[] = {K.sm2b_cert, K.rsab_cert};
	enum ceb_sig_alg algs[] = {CEB_SIG_SM2_SM3, CEB_SIG_RSA_SHA1};
	for (int i = 0; i < 2; i++) {
		char *out = sign_621(keys[i], certs[i], algs[i]);
		struct run r;
		verify(&r, out, NULL);
		only(&r, R_SIG_VALUE);
		run_free(&r);
		free(out);
	}
}

/* An RSA certificate under an SM2 SignatureMethod. */
static void test_key_does_not_fit_algorithm(void **state)
{
	char *out = sign_621(K.sm2, K.rsa_cert, CEB_SIG_SM2_SM3);
	struct run r;
	verify(&r, out, NULL);
	assert_non_null(strstr(only(&r, R_SIG_VALUE)->en, "RSA key"));
	run_free(&r);
	free(out);
}

static void test_unknown_algorithm(void **state)
{
	char *out = sign_621(K.rsa, K.rsa_cert, CEB_SIG_RSA_SHA1);
	out = replace(out, "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
	              "http://www.w3.org/2000/09/xmldsig#dsa-sha1");
	struct run r;
	verify(&r, out, NULL);
	const struct ceb_finding *f = only(&r, R_SIG_ALGO);
	assert_non_null(strstr(f->en, "dsa-sha1"));
	assert_string_equal(f->path, "/CEB621Message/Signature/SignedInfo/SignatureMethod");
	run_free(&r);
	free(out);

	out = sign_621(K.rsa, K.rsa_cert, CEB_SIG_RSA_SHA1);
	out = replace(out, "http://www.w3.org/2000/09/xmldsig#sha1",
	              "http://www.w3.org/2001/04/xmlenc#sha512");
	verify(&r, out, NULL);
	assert_non_null(strstr(only(&r, R_SIG_ALGO)->en, "RSA-SHA1"));
	run_free(&r);
	free(out);
}

static void test_malformed(void **state)
{
	struct run r;
	char *out = sign_621(K.rsa, K.rsa_cert, CEB_SIG_RSA_SHA1);
	out = cut(out, "<ds:SignedInfo>", "</ds:SignedInfo>");
	verify(&r, out, NULL);
	assert_string_equal(only(&r, R_SIG_MALFORMED)->path, "/CEB621Message/Signature/SignedInfo");
	run_free(&r);
	free(out);

	char dv[64];
	out = sign_621(K.rsa, K.rsa_cert, CEB_SIG_RSA_SHA1);
	between(out, "<ds:DigestValue>", dv, sizeof dv);
	out = replace(out, dv, "b2Fz!!==");
	verify(&r, out, NULL);
	assert_non_null(strstr(only(&r, R_SIG_MALFORMED)->en, "base64"));
	run_free(&r);
	free(out);

	out = sign_621(K.rsa, K.rsa_cert, CEB_SIG_RSA_SHA1);
	out = replace(out, "<ds:Reference URI=\"\">", "<ds:Reference URI=\"#order\">");
	verify(&r, out, NULL);
	assert_non_null(strstr(only(&r, R_SIG_MALFORMED)->en, "#order"));
	run_free(&r);
	free(out);

	out = sign_621(K.rsa, K.rsa_cert, CEB_SIG_RSA_SHA1);
	out = cut(out, "<ds:Transforms>", "</ds:Transforms>");
	verify(&r, out, NULL);
	assert_non_null(strstr(only(&r, R_SIG_MALFORMED)->en, "enveloped-signature"));
	run_free(&r);
	free(out);
}

static void test_no_key(void **state)
{
	char *out = sign_621(K.rsa, NULL, CEB_SIG_RSA_SHA1);
	assert_null(strstr(out, "KeyInfo"));
	struct run r;
	verify(&r, out, NULL);
	const struct ceb_finding *f = only(&r, R_SIG_NOKEY);
	assert_int_equal(f->sev, CEB_SEV_WARN);
	assert_int_equal(r.f.errors, 0);
	assert_non_null(strstr(f->en, "no certificate"));
	assert_non_null(strstr(f->en, "RSA-SHA1"));
	assert_int_equal(r.seen.key, CEB_SIG_KEY_NONE);
	run_free(&r);
	free(out);
}

static void test_keyname_not_pinned(void **state)
{
	char *out = sign_621(K.rsa, K.rsa_cert, CEB_SIG_RSA_SHA1);
	out = cut(out, "<ds:X509Data>", "</ds:X509Data>");
	struct run r;
	verify(&r, out, NULL);
	assert_non_null(strstr(only(&r, R_SIG_NOKEY)->en, "no trust store is configured"));
	run_free(&r);

	struct ceb_sig_trust *t = ceb_sig_trust_new();
	assert_int_equal(ceb_sig_trust_pin_key(t, "0abc", K.rsa), 0);
	struct ceb_sig_opts o = {.trust = t};
	verify(&r, out, &o);
	const struct ceb_finding *f = only(&r, R_SIG_NOKEY);
	assert_non_null(strstr(f->en, "KeyName \"01691fe9\" is not in the trust store"));
	run_free(&r);
	ceb_sig_trust_free(t);
	free(out);
}

static void test_pinned_keyname(void **state)
{
	char *out = sign_621(K.sm2, K.sm2_cert, CEB_SIG_SM2_SM3);
	out = cut(out, "<ds:X509Data>", "</ds:X509Data>");
	struct ceb_sig_trust *t = ceb_sig_trust_new();
	/* Case and leading zeros do not matter: the KeyName is a serial number. */
	assert_int_equal(ceb_sig_trust_pin_key(t, "3000000000CDE6F", K.sm2), 0);
	struct ceb_sig_opts o = {.trust = t, .check_time = 1};
	struct run r;
	verify(&r, out, &o);
	clean(&r);
	assert_int_equal(r.seen.key, CEB_SIG_KEY_PINNED);
	assert_true(r.seen.verified);
	run_free(&r);
	ceb_sig_trust_free(t);
	free(out);
}

/* A certificate added to the trust store is pinned under its serial too. */
static void test_pinned_from_pem(void **state)
{
	char *out = sign_621(K.rsa, K.rsa_cert, CEB_SIG_RSA_SHA1);
	out = cut(out, "<ds:X509Data>", "</ds:X509Data>");
	char *path = pem_file(K.rsa_cert);
	struct ceb_sig_trust *t = ceb_sig_trust_new();
	assert_int_equal(ceb_sig_trust_add_pem_file(t, path), 0);
	unlink(path);
	struct ceb_sig_opts o = {.trust = t};
	struct run r;
	verify(&r, out, &o);
	clean(&r);
	run_free(&r);
	ceb_sig_trust_free(t);
	free(out);
}

static void test_expired_certificate(void **state)
{
	char *out = sign_621(K.rsa, K.rsa_expired, CEB_SIG_RSA_SHA1);
	struct ceb_sig_opts o = {.check_time = 1};
	struct run r;
	verify(&r, out, &o);
	const struct ceb_finding *f = only(&r, R_SIG_CERT);
	assert_non_null(strstr(f->en, "expired on"));
	run_free(&r);
	o.check_time = 0;
	verify(&r, out, &o);
	clean(&r);
	run_free(&r);
	free(out);
}

static void test_ca_trust(void **state)
{
	struct ceb_sig_trust *t = ceb_sig_trust_new();
	char *path = pem_file(K.ca);
	assert_int_equal(ceb_sig_trust_add_pem_file(t, path), 0);
	unlink(path);
	path = pem_file(K.sm2_ca);
	assert_int_equal(ceb_sig_trust_add_pem_file(t, path), 0);
	unlink(path);
	struct ceb_sig_opts o = {.trust = t, .check_time = 1};
	struct run r;

	/* Self-signed, not in the store. */
	char *out = sign_621(K.rsa, K.rsa_cert, CEB_SIG_RSA_SHA1);
	verify(&r, out, &o);
	assert_non_null(strstr(only(&r, R_SIG_CERT)->en, "does not chain to a trusted CA"));
	run_free(&r);
	free(out);

	/* Certified by a trusted CA, RSA and SM2. */
	out = sign_621(K.rsa, K.leaf, CEB_SIG_RSA_SHA1);
	verify(&r, out, &o);
	clean(&r);
	run_free(&r);
	free(out);
	out = sign_621(K.sm2, K.sm2_leaf, CEB_SIG_SM2_SM3);
	verify(&r, out, &o);
	clean(&r);
	run_free(&r);
	free(out);
	ceb_sig_trust_free(t);
}

/* Verifying with one certificate again is served from the cache. */
static void test_cache(void **state)
{
	struct ceb_sig_trust *t = ceb_sig_trust_new();
	struct ceb_sig_opts o = {.trust = t};
	char *out = sign_621(K.sm2, K.sm2_cert, CEB_SIG_SM2_SM3);
	for (int i = 0; i < 3; i++) {
		struct run r;
		verify(&r, out, &o);
		clean(&r);
		run_free(&r);
	}
	assert_int_equal(ceb_sig_trust_cached(t), 1);
	/* A new anchor makes the cached chain result stale: it is checked again. */
	char *path = pem_file(K.ca);
	assert_int_equal(ceb_sig_trust_add_pem_file(t, path), 0);
	unlink(path);
	struct run r;
	verify(&r, out, &o);
	only(&r, R_SIG_CERT);
	run_free(&r);
	assert_int_equal(ceb_sig_trust_cached(t), 1);
	ceb_sig_trust_free(t);
	free(out);
}

struct worker {
	const char *xml;
	struct ceb_sig_opts *o;
	int failures;
};

static void *work(void *p)
{
	struct worker *w = p;
	for (int i = 0; i < 40; i++) {
		struct arena *a = arena_new(4096);
		struct ceb_findings f;
		ceb_findings_init(&f, a, NULL);
		if (ceb_sig_verify(w->xml, strlen(w->xml), w->o, &f) || f.count)
			w->failures++;
		arena_free(a);
	}
	return NULL;
}

/* One trust object (and its cache) shared by verifying threads. */
static void test_threads(void **state)
{
	struct ceb_sig_trust *t = ceb_sig_trust_new();
	char *path = pem_file(K.ca);
	assert_int_equal(ceb_sig_trust_add_pem_file(t, path), 0);
	unlink(path);
	struct ceb_sig_opts o = {.trust = t, .check_time = 1};
	char *out = sign_621(K.rsa, K.leaf, CEB_SIG_RSA_SHA1);
	struct worker w[4];
	pthread_t th[4];
	for (int i = 0; i < 4; i++) {
		w[i] = (struct worker){out, &o, 0};
		assert_int_equal(pthread_create(&th[i], NULL, work, &w[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(w[i].failures, 0);
	}
	ceb_sig_trust_free(t);
	free(out);
}

/* ---- encodings and canonicalization variants -------------------------------------------- */

/* The customs U-key writes SM2 values as raw r||s; accept that (and line-wrapped base64). */
static void test_sm2_raw_rs(void **state)
{
	char *out = sign_621(K.sm2, K.sm2_cert, CEB_SIG_SM2_SM3);
	char b64[256], raw_b64[128], wrapped[160];
	unsigned char der[128], raw[64] = {0};
	between(out, "<ds:SignatureValue>", b64, sizeof b64);
	int n = EVP_DecodeBlock(der, (const unsigned char *)b64, (int)strlen(b64));
	assert_true(n > 0);
	n -= (int)(strlen(b64) - strcspn(b64, "=")); /* padding decodes to zero bytes */
	const unsigned char *p = der;
	ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, n);
	assert_non_null(es);
	BN_bn2binpad(ECDSA_SIG_get0_r(es), raw, 32);
	BN_bn2binpad(ECDSA_SIG_get0_s(es), raw + 32, 32);
	ECDSA_SIG_free(es);
	EVP_EncodeBlock((unsigned char *)raw_b64, raw, 64);
	snprintf(wrapped, sizeof wrapped, "\n  %.40s\n  %s\n", raw_b64, raw_b64 + 40);
	out = replace(out, b64, wrapped);
	struct run r;
	verify(&r, out, NULL);
	clean(&r);
	run_free(&r);

	/* Neither DER nor 64 bytes. */
	out = replace(out, wrapped, "AAAA");
	verify(&r, out, NULL);
	assert_non_null(strstr(only(&r, R_SIG_VALUE)->en, "neither DER nor"));
	run_free(&r);
	free(out);
}

static int vis_signedinfo(void *data, xmlNodePtr node, xmlNodePtr parent)
{
	xmlNodePtr n = node->type == XML_NAMESPACE_DECL ? parent : node;
	for (; n; n = n->parent)
		if (n == data)
			return 1;
	return 0;
}

/* Re-sign SignedInfo canonicalized with exclusive C14N, as a signer using it would. */
static char *resign_exclusive(char *xml, EVP_PKEY *key)
{
	xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), NULL, NULL, XML_PARSE_NONET);
	assert_non_null(doc);
	xmlNodePtr si = xmlDocGetRootElement(doc)->last;
	while (si && !(si->type == XML_ELEMENT_NODE && xmlStrEqual(si->name, BAD_CAST "Signature")))
		si = si->prev;
	assert_non_null(si);
	si = si->children;
	xmlOutputBufferPtr ob = xmlAllocOutputBuffer(NULL);
	assert_true(xmlC14NExecute(doc, vis_signedinfo, si, XML_C14N_EXCLUSIVE_1_0, NULL, 0, ob) >=
	            0);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char sig[512];
	size_t n = sizeof sig;
	assert_int_equal(EVP_DigestSignInit(ctx, NULL, EVP_sha1(), NULL, key), 1);
	assert_int_equal(
	    EVP_DigestSign(ctx, sig, &n, xmlOutputBufferGetContent(ob), xmlOutputBufferGetSize(ob)),
	    1);
	EVP_MD_CTX_free(ctx);
	xmlOutputBufferClose(ob);
	xmlFreeDoc(doc);
	char b64[1024], old[1024];
	EVP_EncodeBlock((unsigned char *)b64, sig, (int)n);
	between(xml, "<ds:SignatureValue>", old, sizeof old);
	return replace(xml, old, b64);
}

static void test_exclusive_c14n(void **state)
{
	char *out = sign_621(K.rsa, K.rsa_cert, CEB_SIG_RSA_SHA1);
	out = replace(out, "http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
	              "http://www.w3.org/2001/10/xml-exc-c14n#");
	out = replace(out, "</ds:Transforms>",
	              "<ds:Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>"
	              "</ds:Transforms>");
	out = resign_exclusive(out, K.rsa);
	struct run r;
	verify(&r, out, NULL);
	clean(&r);
	run_free(&r);
	free(out);
}

/* ---- presence, parsing and signing errors ------------------------------------------------ */

static void test_require_signature(void **state)
{
	char *xml = read_shared(UNSIGNED_621);
	struct ceb_sig_opts o = {.require_signature = 1};
	struct run r;
	verify(&r, xml, &o);
	assert_string_equal(only(&r, R_SIG_MISSING)->path, "/CEB621Message/Signature");
	run_free(&r);
	verify(&r, xml, NULL);
	clean(&r);
	assert_false(r.seen.present);
	run_free(&r);
	free(xml);
}

static void test_dtd_refused(void **state)
{
	static const char *docs[] = {
	    "<!DOCTYPE CEB621Message [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;"
	    "&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;\">]><ceb:CEB621Message "
	    "xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\">&c;</ceb:CEB621Message>",
	    "<!DOCTYPE r SYSTEM \"http://example.com/x.dtd\"><r/>",
	};
	for (size_t i = 0; i < 2; i++) {
		struct run r;
		verify(&r, docs[i], NULL);
		assert_int_equal(r.rc, CBEC_EPARSE);
		only(&r, R_XML_DTD);
		run_free(&r);
		struct buf b = BUF_INIT;
		assert_int_equal(
		    ceb_sig_sign(docs[i], strlen(docs[i]), K.rsa, NULL, CEB_SIG_RSA_SHA1, &b),
		    CBEC_EPARSE);
		assert_int_equal(b.n, 0);
		buf_free(&b);
	}
}

static void test_not_xml(void **state)
{
	static const char doc[] = "<ceb:CEB621Message xmlns:ceb=\"x\"><a></b>";
	struct run r;
	verify(&r, doc, NULL);
	assert_int_equal(r.rc, CBEC_EPARSE);
	only(&r, R_XML_MALFORMED);
	run_free(&r);
}

static void test_sign_refusals(void **state)
{
	char *xml = read_shared(UNSIGNED_621);
	struct buf b = BUF_INIT;
	/* The key must fit the algorithm. */
	assert_int_equal(ceb_sig_sign(xml, strlen(xml), K.rsa, NULL, CEB_SIG_SM2_SM3, &b),
	                 CBEC_EINVAL);
	assert_int_equal(ceb_sig_sign(xml, strlen(xml), K.sm2, NULL, CEB_SIG_RSA_SHA1, &b),
	                 CBEC_EINVAL);
	/* Receipts have no Signature in their schema; unknown roots are not CEB messages. */
	static const char receipt[] = "<ceb:CEB622Message xmlns:ceb=\"http://www.chinaport.gov.cn/"
	                              "ceb\"><ceb:InventoryReturn/></ceb:CEB622Message>";
	assert_int_equal(ceb_sig_sign(receipt, strlen(receipt), K.rsa, NULL, CEB_SIG_RSA_SHA1, &b),
	                 CBEC_EINVAL);
	static const char other[] = "<Other/>";
	assert_int_equal(ceb_sig_sign(other, strlen(other), K.rsa, NULL, CEB_SIG_RSA_SHA1, &b),
	                 CBEC_EINVAL);
	assert_int_equal(b.n, 0);
	buf_free(&b);
	free(xml);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_official_digest),
	    cmocka_unit_test(test_real_chinaport_sm2),
	    cmocka_unit_test(test_reindented_after_signing),
	    cmocka_unit_test(test_official_signed_example),
	    cmocka_unit_test(test_official_example_pinned),
	    cmocka_unit_test(test_official_samples),
	    cmocka_unit_test(test_round_trip_sm2),
	    cmocka_unit_test(test_round_trip_rsa),
	    cmocka_unit_test(test_keyname_is_serial),
	    cmocka_unit_test(test_resign_replaces),
	    cmocka_unit_test(test_export_placement),
	    cmocka_unit_test(test_tampered_field),
	    cmocka_unit_test(test_tampered_signature_value),
	    cmocka_unit_test(test_wrong_certificate),
	    cmocka_unit_test(test_key_does_not_fit_algorithm),
	    cmocka_unit_test(test_unknown_algorithm),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_no_key),
	    cmocka_unit_test(test_keyname_not_pinned),
	    cmocka_unit_test(test_pinned_keyname),
	    cmocka_unit_test(test_pinned_from_pem),
	    cmocka_unit_test(test_expired_certificate),
	    cmocka_unit_test(test_ca_trust),
	    cmocka_unit_test(test_cache),
	    cmocka_unit_test(test_threads),
	    cmocka_unit_test(test_sm2_raw_rs),
	    cmocka_unit_test(test_exclusive_c14n),
	    cmocka_unit_test(test_require_signature),
	    cmocka_unit_test(test_dtd_refused),
	    cmocka_unit_test(test_not_xml),
	    cmocka_unit_test(test_sign_refusals),
	};
	return cmocka_run_group_tests(tests, setup_keys, teardown_keys);
}
