/* Enveloped XML-DSig for CEB messages (spec 2022 section 6): verify a message's ds:Signature and
 * report every problem as a finding (F-07.x), or sign a message the way the spec shows. Built
 * on libxml2's C14N and OpenSSL 3 (SM2/SM3, RSA/SHA-1, RSA/SHA-256); xmlsec has no SM2. */
#ifndef CEB_SIG_H
#define CEB_SIG_H

#include <stddef.h>
#include <time.h>

#include <libxml/tree.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

struct buf;
struct ceb_findings;

/* Signature algorithms cbec signs with; verification accepts every URI family in sig.c. */
enum ceb_sig_alg {
	CEB_SIG_SM2_SM3,    /* chinaport 2022 URIs: sm2-sm3 with an sm3 digest (preferred) */
	CEB_SIG_RSA_SHA1,   /* the spec's general algorithm: rsa-sha1 with a sha1 digest */
	CEB_SIG_RSA_SHA256, /* rsa-sha256 with a sha256 digest (xmldsig-more) */
};

/* Trusted certificates and pinned keys, shared by every thread that verifies. It also caches
 * parsed certificates and their chain-check outcome by the SHA-256 of their DER, so a sender's
 * certificate is parsed and checked once, not per message. Fill it at start-up; the cache is
 * guarded by a mutex, so verification from several threads at once is safe. */
struct ceb_sig_trust;

/* New empty trust object, or NULL when out of memory. Free with ceb_sig_trust_free(). */
struct ceb_sig_trust *ceb_sig_trust_new(void);
void ceb_sig_trust_free(struct ceb_sig_trust *t);

/* Add every certificate of a PEM file as a trust anchor (a CA, or a signer certificate
 * trusted directly), and pin each one under its serial number in hex, the KeyName chinaport
 * signers write. Once one is added, a message's certificate must chain to an anchor (F-07.6).
 * Chains are checked without the clock (so the outcome can be cached); the signer's own
 * validity is checked per message when opts->check_time is set. Returns 0, CBEC_EIO (unreadable),
 * CBEC_EPARSE (no certificate in it) or CBEC_ENOMEM. */
int ceb_sig_trust_add_pem_file(struct ceb_sig_trust *t, const char *path);

/* Pin a public key under a KeyName (compared case-insensitively, leading zeros ignored, as it
 * is a serial number), for messages that carry a KeyName but no certificate. The key is
 * borrowed: the trust object takes its own reference. Pinning is not a CA: it adds no anchor.
 * Returns 0, CBEC_EINVAL or CBEC_ENOMEM. */
int ceb_sig_trust_pin_key(struct ceb_sig_trust *t, const char *key_name, EVP_PKEY *key);

/* Pin the public key of a PEM file (a PUBLIC KEY or a CERTIFICATE) under a KeyName.
 * Returns 0, CBEC_EIO, CBEC_EPARSE, CBEC_EINVAL or CBEC_ENOMEM. */
int ceb_sig_trust_pin_pem_file(struct ceb_sig_trust *t, const char *key_name, const char *path);

/* How many certificates the cache holds now (for tests and statistics). */
size_t ceb_sig_trust_cached(struct ceb_sig_trust *t);

struct ceb_sig_opts {
	struct ceb_sig_trust *trust; /* borrowed, may be NULL: no anchors, no pins, no cache */
	int require_signature;       /* a message without ds:Signature is F-07.1 */
	int check_time;              /* the certificate must be valid at `now` (F-07.6) */
	time_t now;                  /* 0 = the time of the call */
};

/* How the message's key was found. */
enum ceb_sig_keysrc {
	CEB_SIG_KEY_NONE,   /* no key: the signature was not verified (F-07.7) */
	CEB_SIG_KEY_CERT,   /* ds:X509Certificate in the message */
	CEB_SIG_KEY_PINNED, /* ds:KeyName looked up in the trust object */
};

/* What a verification saw, for logs and receipts. Strings are static; NULL when unknown. */
struct ceb_sig_seen {
	int present;        /* the root has a ds:Signature child */
	const char *family; /* e.g. "SM2-SM3 [chinaport 2022 URI]" */
	const char *digest; /* "SM3", "SHA-1" or "SHA-256" */
	enum ceb_sig_keysrc key;
	int verified; /* digest and signature value both checked and correct */
};

/* Verify the enveloped signature of one message. Checks run in this order, and each stage
 * runs only when the one before found nothing: structure (F-07.2), algorithms (F-07.3), the
 * key (F-07.2 for a broken certificate, one F-07.7 when there is none); then the digest
 * (F-07.4), the signature value (F-07.5) and the certificate (F-07.6) are all reported.
 * Findings are appended to `out` (allocated in its arena); nothing is printed. `opts` may be
 * NULL (defaults). Returns 0 when the check ran (the findings tell the outcome); CBEC_EPARSE
 * when the XML cannot be parsed or has a DTD (an F-01.1 or F-01.3 finding says which);
 * CBEC_ETOOBIG, or CBEC_ENOMEM. */
int ceb_sig_verify(const char *xml, size_t len, const struct ceb_sig_opts *opts,
                   struct ceb_findings *out);

/* The same on a document the caller parsed (borrowed, not modified) as safely as
 * ceb_sig_verify() would: no DTD, no entity substitution, whitespace kept. `seen` may be
 * NULL. Returns 0 or CBEC_ENOMEM. */
int ceb_sig_verify_doc(xmlDocPtr doc, const struct ceb_sig_opts *opts, struct ceb_findings *out,
                       struct ceb_sig_seen *seen);

/* Sign a CEB message: insert (or replace) the enveloped ds:Signature where the message's
 * schema sequence puts it, and append the whole document, UTF-8 with an XML declaration, to
 * `out`. `key` (a private key, SM2 for CEB_SIG_SM2_SM3, RSA otherwise) and `cert` are
 * borrowed; `cert` is written as given (the caller makes sure it is key's: cbec sign checks)
 * and may be NULL, then no KeyInfo is written. Returns 0; CBEC_EPARSE (not well-formed, a
 * DTD, or not canonicalizable); CBEC_EINVAL (unknown message type, one whose schema has no
 * Signature, or a key that does not fit `alg`); CBEC_ECRYPTO; CBEC_ETOOBIG or CBEC_ENOMEM.
 * On error nothing is appended to `out`. */
int ceb_sig_sign(const char *xml, size_t len, EVP_PKEY *key, X509 *cert, enum ceb_sig_alg alg,
                 struct buf *out);

#endif
