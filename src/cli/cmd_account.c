/* cbec account: enterprises and regulators that may use the API. The token is printed once
 * and only its SHA-256 is stored. */
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/err.h"
#include "cli/cmd.h"
#include "store/store.h"

static const char usage_text[] =
	"usage: cbec account add --code CODE [--name NAME] [--role enterprise|regulator] [--db URL]\n"
	"       cbec account show --code CODE [--db URL]\n"
	"\n"
	"add: creates (or re-keys) an account and prints its new API token, once. CODE is the\n"
	"enterprise's 18-character credit code or 10-character customs code; for a regulator,\n"
	"any name of the office. The store keeps only the token's SHA-256.\n";

static bool code_ok(const char *c)
{
	size_t n = strlen(c);
	if (n < 2 || n > 18)
		return false;
	for (; *c; c++)
		if (!((*c >= '0' && *c <= '9') || (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || *c == '-' || *c == '_'))
			return false;
	return true;
}

int cmd_account(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage_text, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	const char *verb = argv[1], *code = NULL, *name = "", *role = "enterprise", *db = "sqlite:var/cbec.db";
	for (int i = 2; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v) {
			fprintf(stderr, "cbec account: %s needs a value\n", argv[i]);
			return 2;
		}
		if (!strcmp(argv[i], "--code"))
			code = v;
		else if (!strcmp(argv[i], "--name"))
			name = v;
		else if (!strcmp(argv[i], "--role"))
			role = v;
		else if (!strcmp(argv[i], "--db"))
			db = v;
		else {
			fprintf(stderr, "cbec account: unknown option '%s'\n", argv[i]);
			return 2;
		}
		i++;
	}
	if (!code || !code_ok(code)) {
		fprintf(stderr, "cbec account: --code wants 2 to 18 letters or digits\n");
		return 2;
	}
	int r = !strcmp(role, "enterprise") ? ROLE_ENTERPRISE : !strcmp(role, "regulator") ? ROLE_REGULATOR : 0;
	if (!r) {
		fprintf(stderr, "cbec account: --role is enterprise or regulator\n");
		return 2;
	}
	char err[256];
	struct store *s;
	if (store_open(db, false, &s, err, sizeof err) != 0) {
		fprintf(stderr, "cbec account: %s\n", err);
		return 2;
	}
	int status = 0;
	if (!strcmp(verb, "add")) {
		unsigned char raw[24];
		if (RAND_bytes(raw, sizeof raw) != 1) {
			fprintf(stderr, "cbec account: no randomness for a token\n");
			store_close(s);
			return 1;
		}
		char token[2 * sizeof raw + 1], hash[65];
		for (size_t i = 0; i < sizeof raw; i++)
			snprintf(token + 2 * i, 3, "%02x", raw[i]);
		unsigned char md[32];
		unsigned int n;
		EVP_Digest(token, strlen(token), md, &n, EVP_sha256(), NULL);
		for (unsigned i = 0; i < n; i++)
			snprintf(hash + 2 * i, 3, "%02x", md[i]);
		struct store_account a = {(char *)code, (char *)name, r, hash, (int64_t)time(NULL) * 1000};
		if (store_account_put(s, &a) != 0) {
			fprintf(stderr, "cbec account: cannot store the account\n");
			status = 1;
		} else {
			printf("%s\n", token);
		}
	} else if (!strcmp(verb, "show")) {
		struct store_account a;
		int rc = store_account_get(s, code, &a);
		if (rc) {
			fprintf(stderr, "cbec account: %s: %s\n", code, rc == CBEC_ENOTFOUND ? "no such account" : cbec_strerror(rc));
			status = 1;
		} else {
			printf("%s %s %s\n", a.code, a.role == ROLE_REGULATOR ? "regulator" : "enterprise", a.name ? a.name : "");
			store_account_clear(&a);
		}
	} else {
		fprintf(stderr, "cbec account: unknown verb '%s' (add, show)\n", verb);
		status = 2;
	}
	store_close(s);
	return status;
}
