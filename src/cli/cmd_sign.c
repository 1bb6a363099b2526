/* cbec sign: add the enveloped XML signature of the 2022 spec (section 6) to a CEB message,
 * with the declarant's key and certificate. Exit 0 signed, 1 signing failed, 2 usage or I/O
 * error. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "base/buf.h"
#include "base/err.h"
#include "ceb/sig.h"
#include "cli/cmd.h"

static const char usage_text[] =
    "usage: cbec sign --key KEY.pem --cert CERT.pem [--alg ALG] [--out FILE] FILE\n"
    "\n"
    "Signs a CEB declaration with an enveloped XML signature as the 2022 message spec\n"
    "shows: C14N 1.0, the whole message as the reference, KeyName = certificate serial,\n"
    "and the certificate in KeyInfo. An existing signature is replaced. The Signature goes\n"
    "where the message's schema puts it (last on the import side, before ExtendMessage on\n"
    "the export side). '-' reads standard input. The signed message, UTF-8, goes to\n"
    "standard output or to --out.\n"
    "\n"
    "options:\n"
    "  --key KEY.pem     the declarant's private key, unencrypted PEM (SM2 or RSA)\n"
    "  --cert CERT.pem   the certificate of that key, PEM\n"
    "  --alg ALG         sm2-sm3 (default for an SM2 key: the 2022 chinaport URIs),\n"
    "                    rsa-sha1 (default for an RSA key: the spec's general algorithm)\n"
    "                    or rsa-sha256\n"
    "  --out FILE        write here (atomically, through FILE.tmp) instead of stdout\n"
    "\n"
    "exit status: 0 signed, 1 signing failed, 2 usage or I/O error\n";

static const struct {
	const char *name;
	enum ceb_sig_alg alg;
	const char *key_type; /* the OpenSSL key type the algorithm needs */
} algs[] = {
    {"sm2-sm3", CEB_SIG_SM2_SM3, "SM2"},
    {"rsa-sha1", CEB_SIG_RSA_SHA1, "RSA"},
    {"rsa-sha256", CEB_SIG_RSA_SHA256, "RSA"},
};
#define NALGS (sizeof algs / sizeof algs[0])

#define SIGN_MAX_INPUT (64u << 20)

/* Never let OpenSSL prompt on the terminal for a pass phrase: note that it wanted one. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
	*(int *)u = 1;
	return -1;
}

static int read_all(const char *path, struct buf *b)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	char chunk[65536];
	size_t n;
	int rc = 0;
	if (!f)
		return CBEC_EIO;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (b->n + n > SIGN_MAX_INPUT) {
			rc = CBEC_ETOOBIG;
			break;
		}
		buf_put(b, chunk, n);
	}
	if (!rc && ferror(f))
		rc = CBEC_EIO;
	if (!rc && b->err)
		rc = b->err;
	if (f != stdin)
		fclose(f);
	return rc;
}

/* Through FILE.tmp and rename(): a folder-watching exchange client must never pick up half a
 * message. */
static int write_out(const char *path, const char *p, size_t n)
{
	char tmp[4096];
	FILE *f = NULL;
	int rc = CBEC_EIO;
	if (!path) {
		if (fwrite(p, 1, n, stdout) != n || fflush(stdout) != 0)
			return CBEC_EIO;
		return 0;
	}
	int len = snprintf(tmp, sizeof tmp, "%s.tmp", path);
	if (len < 0 || (size_t)len >= sizeof tmp)
		return CBEC_EINVAL;
	if (!(f = fopen(tmp, "wb")))
		goto out;
	if (fwrite(p, 1, n, f) != n || fflush(f) != 0 || fsync(fileno(f)) != 0)
		goto out;
	int c = fclose(f);
	f = NULL;
	if (c != 0 || rename(tmp, path) != 0)
		goto out;
	rc = 0;
out:
	if (rc) {
		int saved = errno; /* for the caller's message */
		if (f)
			fclose(f);
		unlink(tmp);
		errno = saved;
	}
	return rc;
}

static EVP_PKEY *load_key(const char *path, const char **why)
{
	BIO *in = BIO_new_file(path, "r");
	int wanted_pass = 0;
	EVP_PKEY *k = in ? PEM_read_bio_PrivateKey(in, NULL, no_passphrase, &wanted_pass) : NULL;
	if (!in)
		*why = strerror(errno);
	else if (!k && wanted_pass)
		*why =
		    "the key is encrypted; decrypt it first (openssl pkey -in KEY -out PLAIN.pem)";
	else if (!k)
		*why = "not a PEM private key";
	BIO_free(in);
	ERR_clear_error();
	return k;
}

static X509 *load_cert(const char *path, const char **why)
{
	BIO *in = BIO_new_file(path, "r");
	X509 *x = in ? PEM_read_bio_X509(in, NULL, NULL, NULL) : NULL;
	if (!in)
		*why = strerror(errno);
	else if (!x)
		*why = "not a PEM certificate";
	BIO_free(in);
	ERR_clear_error();
	return x;
}

/* The algorithm asked for, or the one the key implies; -1 with a reason when they do not
 * fit. */
static int pick_alg(EVP_PKEY *key, const char *name, const char **why)
{
	char group[64] = "";
	for (size_t i = 0; i < NALGS; i++) {
		if (name ? strcmp(name, algs[i].name) != 0 : !EVP_PKEY_is_a(key, algs[i].key_type))
			continue;
		if (EVP_PKEY_is_a(key, algs[i].key_type))
			return (int)i;
		*why = "the algorithm does not fit the key (sm2-sm3 needs an SM2 key, rsa-* an RSA "
		       "key)";
		return -1;
	}
	if (name)
		*why = "unknown --alg (sm2-sm3, rsa-sha1 or rsa-sha256)";
	else if (EVP_PKEY_is_a(key, "EC") &&
	         EVP_PKEY_get_group_name(key, group, sizeof group, NULL) == 1 &&
	         !strcmp(group, "SM2"))
		*why = "the key loads as EC on the SM2 curve, not as an SM2 key; convert it with "
		       "openssl pkey";
	else
		*why = "the key is neither SM2 nor RSA";
	return -1;
}

int cmd_sign(int argc, char **argv)
{
	const char *key_path = NULL, *cert_path = NULL, *alg_name = NULL, *out_path = NULL;
	const char *file = NULL, *why = NULL;
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	struct buf in = BUF_INIT, out = BUF_INIT;
	int status = 2, a, err;

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		const char **slot = !strcmp(arg, "--key")    ? &key_path
		                    : !strcmp(arg, "--cert") ? &cert_path
		                    : !strcmp(arg, "--alg")  ? &alg_name
		                    : !strcmp(arg, "--out")  ? &out_path
		                                             : NULL;
		if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
			fputs(usage_text, stdout);
			status = 0;
			goto out;
		} else if (slot && i + 1 < argc) {
			*slot = argv[++i];
		} else if (slot || (arg[0] == '-' && arg[1] != '\0')) {
			fprintf(stderr, "cbec sign: %s '%s' (see cbec sign --help)\n",
			        slot ? "missing value for" : "unknown option", arg);
			goto out;
		} else if (file) {
			fprintf(stderr, "cbec sign: one FILE at a time (see cbec sign --help)\n");
			goto out;
		} else {
			file = arg;
		}
	}
	if (!key_path || !cert_path || !file) {
		fprintf(stderr,
		        "cbec sign: needs --key, --cert and a FILE (see cbec sign --help)\n");
		goto out;
	}
	if (!(key = load_key(key_path, &why))) {
		fprintf(stderr, "cbec sign: --key %s: %s\n", key_path, why);
		goto out;
	}
	if (!(cert = load_cert(cert_path, &why))) {
		fprintf(stderr, "cbec sign: --cert %s: %s\n", cert_path, why);
		goto out;
	}
	if (X509_check_private_key(cert, key) != 1) {
		ERR_clear_error();
		fprintf(stderr, "cbec sign: --cert %s is not the certificate of --key %s\n",
		        cert_path, key_path);
		goto out;
	}
	if ((a = pick_alg(key, alg_name, &why)) < 0) {
		fprintf(stderr, "cbec sign: %s\n", why);
		goto out;
	}
	if ((err = read_all(file, &in))) {
		fprintf(stderr, "cbec sign: %s: %s\n", file,
		        err == CBEC_EIO ? strerror(errno) : cbec_strerror(err));
		goto out;
	}
	err = ceb_sig_sign(in.p ? in.p : "", in.n, key, cert, algs[a].alg, &out);
	if (err) {
		status = 1;
		fprintf(stderr, "cbec sign: %s: %s\n", file,
		        err == CBEC_EPARSE   ? "not well-formed XML, or it has a DTD"
		        : err == CBEC_EINVAL ? "not a CEB declaration whose schema has a Signature"
		                               " (receipts are not signed)"
		                             : cbec_strerror(err));
		goto out;
	}
	if ((err = write_out(out_path, out.p, out.n))) {
		fprintf(stderr, "cbec sign: %s: %s\n", out_path ? out_path : "standard output",
		        err == CBEC_EIO ? strerror(errno) : cbec_strerror(err));
		goto out;
	}
	status = 0;
out:
	EVP_PKEY_free(key);
	X509_free(cert);
	buf_free(&in);
	buf_free(&out);
	return status;
}
