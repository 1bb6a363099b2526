/* cbec serve: the clearance service with its HTTP API, optional exchange folder and the
 * customs gateway, until SIGINT or SIGTERM. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "audit/audit.h"
#include "base/err.h"
#include "ceb/dec.h"
#include "cli/cmd.h"
#include "customs/customs.h"
#include "exchange/exchange.h"
#include "http/http.h"
#include "svc/svc.h"

#ifndef CBEC_DATADIR
#define CBEC_DATADIR "data"
#endif

static const char usage_text[] =
	"usage: cbec serve [options]\n"
	"\n"
	"Runs the clearance service: messages in over HTTP (POST /api/v1/messages) and from an\n"
	"exchange folder, checked, stored durably, matched (order, payment, waybill, list), taxed\n"
	"and limited, sent to customs, and answered with receipts.\n"
	"\n"
	"options:\n"
	"  --db URL              store: sqlite:PATH (default sqlite:var/cbec.db) or\n"
	"                        postgresql://USER@HOST:PORT/DB\n"
	"  --listen HOST:PORT    HTTP address (default 127.0.0.1:8080; port 0 picks a free one)\n"
	"  --port-file FILE      write the port listened on to FILE once ready\n"
	"  --exchange DIR        also take files from DIR/in and write receipts to DIR/out\n"
	"  --audit PATH          the audit log of submissions and regulators' reads (default\n"
	"                        FILE.audit.log beside a sqlite:FILE store, cbec-audit.log in the\n"
	"                        working folder for a PostgreSQL store)\n"
	"  --customs SPEC        sim[:accept=MS,release=MS,inspect=PCT,seen=N] (default sim) or dxp:DIR\n"
	"  --tariff FILE.csv     tariff table (default " CBEC_DATADIR "/tariff.csv)\n"
	"  --match-timeout SECS  reject a list still missing documents after SECS (default 86400)\n"
	"  --threads N           HTTP worker threads (default 2)\n"
	"  --http-timeout SECS   close a connection silent for SECS (default 30)\n"
	"  --rule ID=SEVERITY    make a rule error, warn or off (repeatable)\n"
	"  --payer-may-differ    do not require the payer to be the buyer (M-06)\n"
	"  --import-1239         accept tradeMode 1239 on import lists\n";

static int ensure_parent(const char *url)
{
	const char *path = !strncmp(url, "sqlite:", 7) ? url + 7 : url;
	if (path == url && strstr(url, "://"))
		return 0; /* a server's URL (postgresql://…): no folder of ours */
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (!slash)
		return 0;
	*slash = '\0';
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		return -1;
	return 0;
}

/* The audit log beside a SQLite store; in the working folder for a server's store. */
static void default_audit_path(const char *url, char *out, size_t n)
{
	const char *path = !strncmp(url, "sqlite:", 7) ? url + 7 : url;
	if (path == url && strstr(url, "://"))
		snprintf(out, n, "cbec-audit.log");
	else
		snprintf(out, n, "%s.audit.log", path);
}

int cmd_serve(int argc, char **argv)
{
	struct svc_opts so;
	svc_opts_default(&so);
	so.tariff_path = CBEC_DATADIR "/tariff.csv";
	struct http_opts ho;
	http_opts_default(&ho);
	const char *exchange_dir = NULL, *port_file = NULL, *audit_path = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(usage_text, stdout);
			return 0;
		} else if (!strcmp(a, "--payer-may-differ")) {
			so.match.payer_is_buyer = false;
		} else if (!strcmp(a, "--import-1239")) {
			so.check.validate.import_1239 = true;
		} else if (!v) {
			fprintf(stderr, "cbec serve: %s needs a value (see cbec serve --help)\n", a);
			return 2;
		} else if (!strcmp(a, "--db")) {
			so.db_url = v, i++;
		} else if (!strcmp(a, "--listen")) {
			ho.listen = v, i++;
		} else if (!strcmp(a, "--port-file")) {
			port_file = v, i++;
		} else if (!strcmp(a, "--exchange")) {
			exchange_dir = v, i++;
		} else if (!strcmp(a, "--audit")) {
			audit_path = v, i++;
		} else if (!strcmp(a, "--customs")) {
			so.customs = v, i++;
		} else if (!strcmp(a, "--tariff")) {
			so.tariff_path = v, i++;
		} else if (!strcmp(a, "--match-timeout")) {
			long long s = strtoll(v, NULL, 10);
			if (s <= 0) {
				fprintf(stderr, "cbec serve: --match-timeout wants seconds > 0\n");
				return 2;
			}
			so.match_timeout_ms = s * 1000, i++;
		} else if (!strcmp(a, "--http-timeout")) {
			long long s = strtoll(v, NULL, 10);
			if (s <= 0 || s > 86400) {
				fprintf(stderr, "cbec serve: --http-timeout wants seconds, 1..86400\n");
				return 2;
			}
			ho.timeout = (unsigned)s, i++;
		} else if (!strcmp(a, "--threads")) {
			ho.threads = (unsigned)atoi(v), i++;
		} else if (!strcmp(a, "--rule")) {
			if (ceb_policy_set(&so.check.policy, v) != 0) {
				fprintf(stderr, "cbec serve: --rule wants ID=error|warn|off, not '%s'\n", v);
				return 2;
			}
			i++;
		} else {
			fprintf(stderr, "cbec serve: unknown option '%s' (see cbec serve --help)\n", a);
			return 2;
		}
	}
	if (ensure_parent(so.db_url) != 0) {
		fprintf(stderr, "cbec serve: cannot create the folder of %s: %s\n", so.db_url, strerror(errno));
		return 2;
	}
	/* Signals are taken by this thread alone, with sigwait below. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	char err[512] = "", audit_buf[4200];
	if (!audit_path) {
		default_audit_path(so.db_url, audit_buf, sizeof audit_buf);
		audit_path = audit_buf;
	}
	struct svc *svc = NULL;
	struct http *http = NULL;
	struct exchange *ex = NULL;
	struct audit *audit = NULL;
	int status = 1;
	struct audit_open_info ai;
	if (audit_open(audit_path, &audit, &ai, err, sizeof err) != 0) {
		fprintf(stderr, "cbec serve: %s\n", err);
		goto out;
	}
	if (ai.torn_bytes)
		fprintf(stderr, "cbec serve: audit log %s: cut off a torn last line (%llu bytes, a crash "
			"mid-write); the chain continues from record %llu\n", audit_path,
			(unsigned long long)ai.torn_bytes, (unsigned long long)ai.last_seq);
	ho.audit = audit;
	if (svc_open(&so, &svc, err, sizeof err) != 0) {
		fprintf(stderr, "cbec serve: %s\n", err);
		goto out;
	}
	if (http_start(svc, &ho, &http, err, sizeof err) != 0) {
		fprintf(stderr, "cbec serve: %s\n", err);
		goto out;
	}
	if (exchange_dir && exchange_start(svc, exchange_dir, audit, &ex, err, sizeof err) != 0) {
		fprintf(stderr, "cbec serve: %s\n", err);
		goto out;
	}
	if (port_file) {
		FILE *f = fopen(port_file, "w");
		if (!f || fprintf(f, "%u\n", http_port(http)) < 0 || fclose(f) != 0) {
			fprintf(stderr, "cbec serve: cannot write %s\n", port_file);
			goto out;
		}
	}
	char host[256];
	snprintf(host, sizeof host, "%s", ho.listen);
	char *colon = strrchr(host, ':');
	if (colon)
		*colon = '\0';
	fprintf(stderr, "cbec serve: listening on http://%s:%u (store %s, audit log %s%s%s)\n", host,
		http_port(http), so.db_url, audit_path, exchange_dir ? ", exchange folder " : "",
		exchange_dir ? exchange_dir : "");
	fflush(stderr);
	int sig;
	sigwait(&set, &sig);
	fprintf(stderr, "cbec serve: %s: finishing what was received, then stopping\n",
		sig == SIGINT ? "SIGINT" : "SIGTERM");
	status = 0;
out:
	/* Intake stops first; the service then answers everything queued; HTTP goes last so
	 * those answers still reach their connections. */
	http_quiesce(http);
	exchange_stop(ex);
	svc_stop(svc);
	http_stop(http);
	svc_close(svc);
	/* last: the answers above appended their records */
	if (audit_close(audit) != 0) {
		fprintf(stderr, "cbec serve: cannot write the end of the audit log %s\n", audit_path);
		status = 1;
	}
	return status;
}
