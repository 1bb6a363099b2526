/* HTTP front of the service. A POST is read, checked and queued in a worker thread; the
 * connection is suspended until the writer has committed the message and resumed with the
 * receipt, so no answer ever precedes its commit. Reads use a store connection per thread.
 * Every submission, every denied request and every read of another party's data goes to the
 * audit log, on disk before its answer (an enterprise reading its own data is not logged). */
#include "http/http.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <microhttpd.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit/audit.h"
#include "base/buf.h"
#include "base/err.h"
#include "ceb/dec.h"
#include "ceb/sniff.h"
#include "store/store.h"
#include "svc/bonded_svc.h"
#include "svc/summary_svc.h"
#include "svc/svc.h"

struct http {
	struct MHD_Daemon *d;
	struct svc *svc;
	struct http_opts o;
	uint16_t port;
	pthread_key_t store_key;
	/* answered submissions waiting for their audit records to be on disk */
	pthread_mutex_t pend_mu;
	struct req *pending;
	atomic_bool closing; /* http_quiesce: new connections are closed as they come */
};

/* Per request. */
struct req {
	struct http *h;
	struct MHD_Connection *conn;
	struct buf body;
	bool too_big, queued, done;
	size_t dropped; /* bytes of an oversized body read and thrown away */
	enum svc_outcome outcome;
	char *answer;
	size_t answer_len;
	/* the submission's audit record: who, what, from where; appended when it is answered */
	char actor[40], resource[128], remote[64];
	uint64_t audit_seq;
	int audit_rc;
	struct stockin *stockin; /* POST /api/v1/bonded/stock-in */
	struct req *pend_next;
	struct sumreq *sum;      /* POST /api/v1/summaries */
};

/* A summary build on its way through the writer: its CEB701 and what the build saw. */
struct sumreq {
	char *ebc, *xml;
	size_t xml_len;
	json_t *preview;
	char **cop_nos;
	int ncop;
};

static void sumreq_free(struct sumreq *q)
{
	if (!q)
		return;
	free(q->ebc);
	free(q->xml);
	json_decref(q->preview);
	for (int i = 0; i < q->ncop; i++)
		free(q->cop_nos[i]);
	free(q->cop_nos);
	free(q);
}

/* A stock-in on its way through the writer: copies of the request's fields. */
struct stockin {
	char *owner;
	struct bonded_stockin in;
	json_t *doc; /* owns the strings of `in` */
	unsigned http;
};

void http_opts_default(struct http_opts *o)
{
	o->listen = "127.0.0.1:8080";
	o->threads = 2;
	o->max_body = 8u << 20;
	o->audit = NULL;
	o->timeout = 30;
}

static void close_store(void *s)
{
	store_close(s);
}

static struct store *reader(struct http *h)
{
	struct store *s = pthread_getspecific(h->store_key);
	if (!s) {
		char err[256];
		if (store_open(svc_db_url(h->svc), true, &s, err, sizeof err) != 0)
			return NULL;
		pthread_setspecific(h->store_key, s);
	}
	return s;
}

static enum MHD_Result send_text(struct MHD_Connection *c, unsigned status, const char *type,
				 const char *body, size_t len)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (status == MHD_HTTP_SERVICE_UNAVAILABLE)
		MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, "1");
	if (status == MHD_HTTP_UNAUTHORIZED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
	enum MHD_Result ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result send_json(struct MHD_Connection *c, unsigned status, json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (!s)
		return MHD_NO;
	enum MHD_Result r = send_text(c, status, "application/json; charset=utf-8", s, strlen(s));
	free(s);
	return r;
}

static enum MHD_Result send_error(struct MHD_Connection *c, unsigned status, const char *msg)
{
	return send_json(c, status, json_pack("{s:s}", "error", msg));
}

/* ---- the audit log ---- */

static void peer_address(struct MHD_Connection *c, char *out, size_t n)
{
	out[0] = '\0';
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)n);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, (socklen_t)n);
}

static const char *role_name(int role)
{
	return role == ROLE_REGULATOR ? "regulator" : "enterprise";
}

/* Record one request; it is on disk when this returns true. Without a log, nothing to do. */
static bool audit_request(struct http *h, struct MHD_Connection *c, const struct store_account *acct,
			  const char *action, const char *resource, const char *owner, unsigned status)
{
	if (!h->o.audit)
		return true;
	char remote[64];
	peer_address(c, remote, sizeof remote);
	struct audit_event ev = {acct ? acct->code : NULL, acct ? role_name(acct->role) : NULL, action,
				 resource, owner, (int)status, NULL, remote[0] ? remote : NULL};
	return audit_record(h->o.audit, &ev) == 0;
}

static enum MHD_Result send_unrecorded(struct MHD_Connection *c)
{
	return send_error(c, MHD_HTTP_SERVICE_UNAVAILABLE,
			  "the request could not be recorded in the audit log; try again later");
}

/* Answer a request with an error, once the audit log has it. */
static enum MHD_Result deny(struct http *h, struct MHD_Connection *c, const struct store_account *acct,
			    const char *action, const char *resource, const char *owner, unsigned status,
			    const char *msg)
{
	if (!audit_request(h, c, acct, action, resource, owner, status))
		return send_unrecorded(c);
	return send_error(c, status, msg);
}

static enum MHD_Result add_arg(void *ctx, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct buf *b = ctx;
	buf_putc(b, b->p && strchr(b->p, '?') ? '&' : '?');
	buf_puts(b, key);
	if (value) {
		buf_putc(b, '=');
		buf_puts(b, value);
	}
	return MHD_YES;
}

/* The path and query of a read, as the log names what was read. The caller frees it. */
static void read_resource(struct MHD_Connection *c, const char *url, struct buf *out)
{
	buf_puts(out, url);
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_arg, out);
}

/* The caller's account from its bearer token: 0, or the HTTP status to answer with. */
static unsigned lookup_account(struct http *h, struct MHD_Connection *c, struct store_account *acct,
			       const char **why)
{
	const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	if (!auth || strncmp(auth, "Bearer ", 7) != 0 || !auth[7]) {
		*why = "an Authorization: Bearer token is required";
		return MHD_HTTP_UNAUTHORIZED;
	}
	const char *token = auth + 7;
	unsigned char md[32];
	unsigned int n = 0;
	EVP_Digest(token, strlen(token), md, &n, EVP_sha256(), NULL);
	char hex[65];
	for (unsigned i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	struct store *s = reader(h);
	int rc = s ? store_account_by_token_hash(s, hex, acct) : CBEC_ESTORE;
	if (rc == CBEC_ENOTFOUND) {
		*why = "unknown token";
		return MHD_HTTP_UNAUTHORIZED;
	}
	if (rc) {
		*why = "store unavailable";
		return MHD_HTTP_SERVICE_UNAVAILABLE;
	}
	return 0;
}

/* The caller's account; false and an answer queued otherwise. A refused token is logged as
 * auth-failed against `resource`; an outage during a submission as that submission. */
static bool authenticate(struct http *h, struct MHD_Connection *c, const char *action,
			 const char *resource, struct store_account *acct, enum MHD_Result *ret)
{
	const char *why = NULL;
	unsigned status = lookup_account(h, c, acct, &why);
	if (status == MHD_HTTP_UNAUTHORIZED)
		*ret = deny(h, c, NULL, AUDIT_AUTH_FAILED, resource, NULL, status, why);
	else if (status && !strcmp(action, AUDIT_SUBMIT))
		*ret = deny(h, c, NULL, action, resource, NULL, status, why);
	else if (status)
		*ret = send_error(c, status, why);
	return status == 0;
}

/* A read: its resource (path and query, for the log) into *what, and the caller's account.
 * false when refused, *ret then being the answer and *what freed. */
static bool authenticate_read(struct http *h, struct MHD_Connection *c, const char *url,
			      struct buf *what, struct store_account *acct, enum MHD_Result *ret)
{
	read_resource(c, url, what);
	if (authenticate(h, c, AUDIT_READ, what->p, acct, ret))
		return true;
	buf_free(what);
	return false;
}

/* ---- POST /api/v1/messages ---- */

static unsigned post_status(enum svc_outcome outcome)
{
	return outcome == SVC_ANSWERED ? MHD_HTTP_OK
	       : outcome == SVC_BAD    ? MHD_HTTP_BAD_REQUEST
				       : MHD_HTTP_SERVICE_UNAVAILABLE;
}

/* From the writer thread, right after commit: the record is only buffered here (no disk
 * work on the writer); the request's own thread syncs it before answering, one fdatasync
 * for everything the batch appended. */
static void on_done(void *ctx, enum svc_outcome outcome, const char *answer, size_t len)
{
	struct req *r = ctx;
	struct http *h = r->h;
	struct audit *log = h->o.audit;
	if (log) {
		char code[64] = "";
		if (outcome != SVC_UNAVAILABLE)
			ceb_sniff_status(answer, len, code, sizeof code);
		struct audit_event ev = {r->actor, "enterprise", AUDIT_SUBMIT, r->resource, r->actor,
					 (int)post_status(outcome), code[0] ? code : NULL,
					 r->remote[0] ? r->remote : NULL};
		r->audit_rc = audit_append(log, &ev, &r->audit_seq);
	}
	r->outcome = outcome;
	r->answer = malloc(len + 1);
	if (r->answer) {
		memcpy(r->answer, answer, len);
		r->answer[len] = '\0';
		r->answer_len = len;
	}
	r->done = true;
	if (!log) {
		MHD_resume_connection(r->conn);
		return;
	}
	/* woken by on_released once the record is on disk */
	pthread_mutex_lock(&h->pend_mu);
	r->pend_next = h->pending;
	h->pending = r;
	pthread_mutex_unlock(&h->pend_mu);
}

/* After a round of answers (the service's syncer thread): one fdatasync of the audit log for
 * all their records, then the connections wake with nothing left to wait for; the HTTP
 * threads never block on the disk for a submission. */
static void on_released(void *ctx)
{
	struct http *h = ctx;
	pthread_mutex_lock(&h->pend_mu);
	struct req *list = h->pending;
	h->pending = NULL;
	pthread_mutex_unlock(&h->pend_mu);
	if (!list)
		return;
	uint64_t upto = 0;
	for (struct req *r = list; r; r = r->pend_next)
		if (!r->audit_rc && r->audit_seq > upto)
			upto = r->audit_seq;
	int rc = upto ? audit_sync(h->o.audit, upto) : 0;
	for (struct req *r = list, *n; r; r = n) {
		n = r->pend_next;
		if (rc && !r->audit_rc)
			r->audit_rc = rc;
		MHD_resume_connection(r->conn);
	}
}

/* The service would not take it (queue full, stopping): answered at once, through the same
 * record-then-wake path, without waiting for a round of the writer. */
static void refused_now(struct req *r)
{
	on_done(r, SVC_UNAVAILABLE, "", 0);
	on_released(r->h);
}

static enum MHD_Result post_message(struct http *h, struct MHD_Connection *c, struct req *r)
{
	if (r->done) {
		if (h->o.audit && (r->audit_rc || audit_sync(h->o.audit, r->audit_seq) != 0))
			return send_unrecorded(c);
		if (r->outcome == SVC_UNAVAILABLE || !r->answer)
			return send_error(c, MHD_HTTP_SERVICE_UNAVAILABLE,
					  "the message was not stored; send it again");
		return send_text(c, r->outcome == SVC_BAD ? MHD_HTTP_BAD_REQUEST : MHD_HTTP_OK,
				 "application/xml; charset=utf-8", r->answer, r->answer_len);
	}
	/* what is submitted, for the log: type and guid as the text says (the checker decides) */
	struct ceb_sniff sn;
	ceb_sniff(r->body.p ? r->body.p : "", r->body.n, &sn);
	snprintf(r->resource, sizeof r->resource, "%s %s", sn.type[0] ? sn.type : "-", sn.guid[0] ? sn.guid : "-");
	peer_address(c, r->remote, sizeof r->remote);
	struct store_account acct = {0};
	enum MHD_Result ret;
	if (r->too_big) {
		const char *why;
		bool known = lookup_account(h, c, &acct, &why) == 0;
		ret = deny(h, c, known ? &acct : NULL, AUDIT_SUBMIT, r->resource, known ? acct.code : NULL,
			   MHD_HTTP_CONTENT_TOO_LARGE, "message too large");
		store_account_clear(&acct);
		return ret;
	}
	if (!authenticate(h, c, AUDIT_SUBMIT, r->resource, &acct, &ret))
		return ret;
	if (acct.role != ROLE_ENTERPRISE) {
		ret = deny(h, c, &acct, AUDIT_FORBIDDEN, r->resource, NULL, MHD_HTTP_FORBIDDEN,
			   "only enterprises submit messages");
		store_account_clear(&acct);
		return ret;
	}
	const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	if (ct && !strstr(ct, "xml")) {
		ret = deny(h, c, &acct, AUDIT_SUBMIT, r->resource, acct.code, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE,
			   "send the CEB message as application/xml");
		store_account_clear(&acct);
		return ret;
	}
	snprintf(r->actor, sizeof r->actor, "%s", acct.code);
	/* Suspend before queueing: the answer may come back before this function returns. */
	r->queued = true;
	MHD_suspend_connection(c);
	int rc = svc_submit(h->svc, r->body.p ? r->body.p : "", r->body.n, acct.code, on_done, r);
	store_account_clear(&acct);
	if (rc)
		refused_now(r); /* logged and answered like any other */
	return MHD_YES;
}

/* ---- reads ---- */

static json_t *receipt_json(const struct store_receipt *x)
{
	return json_pack("{s:I,s:i,s:i,s:s?,s:s?,s:I,s:s}", "seq", (json_int_t)x->seq, "type", x->type,
			 "docType", x->doc_kind, "docKey", x->doc_key, "status", x->status, "created",
			 (json_int_t)x->created, "xml", x->xml);
}

static int add_receipt_json(void *ctx, const struct store_receipt *x)
{
	json_array_append_new(ctx, receipt_json(x));
	return 0;
}

/* The feed shows receipts up to the last one on disk only. */
struct feed {
	json_t *arr;
	int64_t upto;
};

static int add_durable_receipt(void *ctx, const struct store_receipt *x)
{
	struct feed *f = ctx;
	return x->seq <= f->upto ? add_receipt_json(f->arr, x) : 0;
}

static long long arg_ll(struct MHD_Connection *c, const char *name, long long dflt)
{
	const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
	if (!v || !*v)
		return dflt;
	char *end;
	long long x = strtoll(v, &end, 10);
	return *end || x < 0 ? -1 : x;
}

static enum MHD_Result get_receipts(struct http *h, struct MHD_Connection *c, const char *url)
{
	struct store_account acct;
	enum MHD_Result ret;
	struct buf what = BUF_INIT;
	if (!authenticate_read(h, c, url, &what, &acct, &ret))
		return ret;
	long long after = arg_ll(c, "after", 0), limit = arg_ll(c, "limit", 100);
	if (after < 0 || limit <= 0 || limit > 1000) {
		store_account_clear(&acct);
		buf_free(&what);
		return send_error(c, MHD_HTTP_BAD_REQUEST, "after must be a cursor >= 0, limit 1..1000");
	}
	json_t *arr = json_array();
	bool everyone = acct.role == ROLE_REGULATOR;
	struct feed feed = {arr, svc_last_receipt(h->svc)};
	int rc = store_receipts_after(reader(h), everyone ? NULL : acct.code, after, (int)limit,
				      add_durable_receipt, &feed);
	/* a regulator's read is of every party's receipts: no one owner */
	bool logged = !everyone || audit_request(h, c, &acct, AUDIT_READ, what.p, NULL,
						  rc ? MHD_HTTP_SERVICE_UNAVAILABLE : MHD_HTTP_OK);
	store_account_clear(&acct);
	buf_free(&what);
	if (rc || !logged) {
		json_decref(arr);
		return rc ? send_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "store unavailable") : send_unrecorded(c);
	}
	json_int_t next = after;
	if (json_array_size(arr))
		next = json_integer_value(json_object_get(json_array_get(arr, json_array_size(arr) - 1), "seq"));
	return send_json(c, MHD_HTTP_OK, json_pack("{s:o,s:I}", "receipts", arr, "next", next));
}

static int add_event_json(void *ctx, const struct store_event *e)
{
	json_array_append_new(ctx, json_pack("{s:s,s:s,s:I,s:s?}", "from", store_doc_state_name(e->from),
					     "to", store_doc_state_name(e->to), "at", (json_int_t)e->at,
					     "reason", e->reason));
	return 0;
}

static enum MHD_Result get_declaration(struct http *h, struct MHD_Connection *c, const char *url,
				       const char *rest)
{
	struct store_account acct;
	enum MHD_Result ret;
	struct buf what = BUF_INIT;
	if (!authenticate_read(h, c, url, &what, &acct, &ret))
		return ret;
	/* rest = "{type}/{key}"; the key may hold '|' (sent as %7C or literally) */
	char buf[1024];
	snprintf(buf, sizeof buf, "%s", rest);
	char *slash = strchr(buf, '/');
	int type = atoi(buf);
	if (!slash || type <= 0) {
		store_account_clear(&acct);
		buf_free(&what);
		return send_error(c, MHD_HTTP_BAD_REQUEST, "use /api/v1/declarations/{type}/{key}, e.g. 621/EBP|ORDERNO");
	}
	/* libmicrohttpd has already decoded the path: decoding again would turn a key holding
	 * '%' into another key */
	char *key = slash + 1;
	struct store *s = reader(h);
	struct store_doc d;
	int rc = s ? store_doc_get(s, type, key, &d) : CBEC_ESTORE;
	/* Another party's document is as absent as a missing one; the attempt is logged with
	 * the real owner. A regulator's every read is logged, an enterprise's own are not. */
	bool regulator = acct.role == ROLE_REGULATOR;
	bool logged = true;
	if (rc == 0 && !regulator && (!d.owner || strcmp(d.owner, acct.code))) {
		logged = audit_request(h, c, &acct, AUDIT_FORBIDDEN, what.p, d.owner, MHD_HTTP_NOT_FOUND);
		store_doc_clear(&d);
		rc = CBEC_ENOTFOUND;
	} else if (regulator) {
		unsigned st = rc == 0 ? MHD_HTTP_OK : rc == CBEC_ENOTFOUND ? MHD_HTTP_NOT_FOUND : MHD_HTTP_SERVICE_UNAVAILABLE;
		logged = audit_request(h, c, &acct, AUDIT_READ, what.p, rc == 0 ? d.owner : NULL, st);
	}
	store_account_clear(&acct);
	buf_free(&what);
	if (!logged) {
		if (rc == 0)
			store_doc_clear(&d);
		return send_unrecorded(c);
	}
	if (rc)
		return rc == CBEC_ENOTFOUND ? send_error(c, MHD_HTTP_NOT_FOUND, "no such declaration")
					    : send_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "store unavailable");
	/* A read that fails half-way (the database went away) is not answered as a document
	 * without history. */
	json_t *events = json_array(), *receipts = json_array();
	struct store_tax tx;
	int trc = 0;
	if (store_events_of(s, d.id, add_event_json, events) != 0 ||
	    store_receipts_of_doc(s, d.kind, d.key, add_receipt_json, receipts) != 0 ||
	    ((trc = store_tax_get(s, d.id, &tx)) != 0 && trc != CBEC_ENOTFOUND)) {
		json_decref(events);
		json_decref(receipts);
		store_doc_clear(&d);
		return send_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "store unavailable");
	}
	json_t *j = json_pack("{s:i,s:s,s:s,s:s?,s:s?,s:s?,s:s?,s:I,s:o,s:o}", "type", d.kind, "key", d.key,
			      "state", store_doc_state_name(d.state), "owner", d.owner, "guid", d.guid,
			      "invtNo", d.ref, "appTime", d.app_time, "updated", (json_int_t)d.updated,
			      "history", events, "receipts", receipts);
	if (trc == 0) {
		char b[5][DEC_FMT_MAX];
		json_t *lines = json_loads(tx.lines_json ? tx.lines_json : "[]", 0, NULL);
		json_object_set_new(j, "tax", json_pack("{s:s,s:s,s:s,s:s,s:s,s:b,s:o}", "dutiable",
							dec_format_fixed(tx.dutiable, 2, b[0]), "customsTax",
							dec_format_fixed(tx.customs_tax, 2, b[1]), "valueAddedTax",
							dec_format_fixed(tx.vat, 2, b[2]), "consumptionTax",
							dec_format_fixed(tx.ct, 2, b[3]), "total",
							dec_format_fixed(tx.total, 2, b[4]), "fullRate", tx.full_rate,
							"lines", lines ? lines : json_array()));
		store_tax_clear(&tx);
	}
	store_doc_clear(&d);
	return send_json(c, MHD_HTTP_OK, j);
}

static enum MHD_Result get_stats(struct http *h, struct MHD_Connection *c, const char *url)
{
	struct store_account acct;
	enum MHD_Result ret;
	if (!authenticate(h, c, AUDIT_READ, url, &acct, &ret))
		return ret;
	bool regulator = acct.role == ROLE_REGULATOR;
	if (!regulator) {
		ret = deny(h, c, &acct, AUDIT_FORBIDDEN, url, NULL, MHD_HTTP_FORBIDDEN, "figures are for regulators");
		store_account_clear(&acct);
		return ret;
	}
	struct store_counts k;
	int rc = store_counts(reader(h), &k);
	bool logged = audit_request(h, c, &acct, AUDIT_READ, url, NULL,
				    rc ? MHD_HTTP_SERVICE_UNAVAILABLE : MHD_HTTP_OK);
	store_account_clear(&acct);
	if (!logged)
		return send_unrecorded(c);
	if (rc)
		return send_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "store unavailable");
	/* lists by state as the service counts them when it commits: no GROUP BY over every
	 * document for each dashboard refresh */
	struct svc_writer_stats ws;
	svc_writer_stats(h->svc, &ws);
	json_t *lists = json_object();
	for (int i = 1; i < DOC_STATE__N; i++)
		if (ws.lists.by_state[i])
			json_object_set_new(lists, store_doc_state_name(i), json_integer(ws.lists.by_state[i]));
	return send_json(c, MHD_HTTP_OK, json_pack("{s:I,s:I,s:I,s:I,s:o}", "messages", (json_int_t)k.messages,
						   "rejectedMessages", (json_int_t)k.rejected_messages,
						   "documents", (json_int_t)k.documents, "receipts",
						   (json_int_t)k.receipts, "lists", lists));
}

/* ---- the 1210 bonded account ---- */

static json_t *qty_json(int64_t v)
{
	char b[DEC_FMT_MAX];
	return json_string(dec_format(v, b));
}

static json_t *figures_json(json_t *j, const struct bonded_qty *q)
{
	json_object_set_new(j, "balance", qty_json(q->balance));
	json_object_set_new(j, "reserved", qty_json(q->reserved));
	json_object_set_new(j, "committed", qty_json(q->committed));
	int64_t avail = bonded_available(q);
	json_object_set_new(j, "available", qty_json(avail > 0 ? avail : 0));
	return j;
}

/* In the writer thread, inside its transaction. */
static int stockin_write(void *arg, struct store *w, int64_t now, struct buf *answer)
{
	struct req *r = arg;
	struct stockin *si = r->stockin;
	struct bonded_svc_answer ans;
	int rc = bonded_svc_stockin(w, si->owner, &si->in, now, &ans);
	if (rc)
		return rc;
	si->http = (unsigned)ans.http;
	json_t *j = json_pack("{s:b,s:b,s:s?,s:s?,s:s,s:s,s:s,s:s}", "ok", ans.http == 200, "repeated",
			      ans.repeated, "rule", ans.rule, "field", ans.field, "message", ans.why, "emsNo",
			      si->in.ems_no, "itemRecordNo", si->in.item_no, "entryNo", si->in.entry);
	if (!j)
		return CBEC_ENOMEM;
	if (ans.http == 200)
		figures_json(j, &ans.after);
	char *txt = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (!txt)
		return CBEC_ENOMEM;
	buf_reset(answer);
	buf_puts(answer, txt);
	free(txt);
	return 0;
}

/* A quantity as JSON: a decimal string ("12.5") or an integer; never a float, which would
 * not be exact. */
static bool qty_of(json_t *v, int64_t *out)
{
	if (json_is_string(v)) {
		const char *t = json_string_value(v);
		return dec_parse(t, strlen(t), 19, 5, out) == DEC_OK;
	}
	if (json_is_integer(v)) {
		json_int_t x = json_integer_value(v);
		if (x < 0 || x > INT64_MAX / DEC_SCALE)
			return false;
		*out = (int64_t)x * DEC_SCALE;
		return true;
	}
	return false;
}

static enum MHD_Result post_stockin(struct http *h, struct MHD_Connection *c, struct req *r)
{
	if (r->done) {
		if (h->o.audit && (r->audit_rc || audit_sync(h->o.audit, r->audit_seq) != 0))
			return send_unrecorded(c);
		if (r->outcome == SVC_UNAVAILABLE || !r->answer)
			return send_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "the stock-in was not stored; send it again");
		return send_text(c, r->stockin->http ? r->stockin->http : MHD_HTTP_OK,
				 "application/json; charset=utf-8", r->answer, r->answer_len);
	}
	/* a stock-in is a submission: logged like the messages */
	snprintf(r->resource, sizeof r->resource, "stock-in");
	peer_address(c, r->remote, sizeof r->remote);
	struct store_account acct;
	enum MHD_Result ret;
	if (!authenticate(h, c, AUDIT_SUBMIT, r->resource, &acct, &ret))
		return ret;
	if (r->too_big) {
		ret = deny(h, c, &acct, AUDIT_SUBMIT, r->resource, acct.code, MHD_HTTP_CONTENT_TOO_LARGE,
			   "request too large");
		store_account_clear(&acct);
		return ret;
	}
	if (acct.role != ROLE_ENTERPRISE) {
		ret = deny(h, c, &acct, AUDIT_FORBIDDEN, r->resource, NULL, MHD_HTTP_FORBIDDEN,
			   "only the warehouse enterprise keeping the account stocks in");
		store_account_clear(&acct);
		return ret;
	}
	json_error_t jerr;
	json_t *doc = json_loadb(r->body.p ? r->body.p : "", r->body.n, 0, &jerr);
	if (!json_is_object(doc)) {
		json_decref(doc);
		store_account_clear(&acct);
		return send_error(c, MHD_HTTP_BAD_REQUEST,
				  "send a JSON object: emsNo, itemRecordNo, gcode, gname, unit, qty, entryNo");
	}
	struct stockin *si = calloc(1, sizeof *si);
	if (!si) {
		json_decref(doc);
		store_account_clear(&acct);
		return MHD_NO;
	}
	si->doc = doc;
	si->owner = acct.code;
	acct.code = NULL;
	store_account_clear(&acct);
	r->stockin = si;
	si->in.ems_no = json_string_value(json_object_get(doc, "emsNo"));
	si->in.item_no = json_string_value(json_object_get(doc, "itemRecordNo"));
	si->in.gcode = json_string_value(json_object_get(doc, "gcode"));
	si->in.gname = json_string_value(json_object_get(doc, "gname"));
	si->in.unit = json_string_value(json_object_get(doc, "unit"));
	si->in.entry = json_string_value(json_object_get(doc, "entryNo"));
	snprintf(r->actor, sizeof r->actor, "%s", si->owner);
	snprintf(r->resource, sizeof r->resource, "stock-in %.50s %.50s", si->in.entry ? si->in.entry : "-",
		 si->in.item_no ? si->in.item_no : "-");
	if (!qty_of(json_object_get(doc, "qty"), &si->in.qty))
		return send_json(c, MHD_HTTP_BAD_REQUEST,
				 json_pack("{s:b,s:s,s:s,s:s}", "ok", 0, "rule", "B-02", "field", "qty", "message",
					   "qty must be a decimal string (at most 5 decimals) or an integer, above zero"));
	r->queued = true;
	MHD_suspend_connection(c);
	if (svc_submit_write(h->svc, stockin_write, r, on_done, r) != 0)
		refused_now(r);
	return MHD_YES;
}

struct bonded_list {
	json_t *items;
	const struct store_account *acct;
	bool other; /* the account has records, but not the caller's */
};

static json_t *item_json(const struct store_bonded_item *it)
{
	struct bonded_qty q = {it->balance, it->reserved, it->committed};
	json_t *j = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:I}", "emsNo", it->ems_no, "itemRecordNo", it->item_no,
			      "owner", it->owner, "gcode", it->gcode, "gname", it->gname, "unit", it->unit,
			      "updated", (json_int_t)it->updated);
	return j ? figures_json(j, &q) : NULL;
}

static int add_item_json(void *ctx, const struct store_bonded_item *it)
{
	struct bonded_list *l = ctx;
	if (l->acct->role != ROLE_REGULATOR && strcmp(it->owner, l->acct->code) != 0) {
		l->other = true;
		return 0;
	}
	json_array_append_new(l->items, item_json(it));
	return 0;
}

static int add_move_json(void *ctx, const struct store_bonded_move *m)
{
	json_t *j = json_pack("{s:I,s:s,s:o,s:s?,s:s?,s:I}", "id", (json_int_t)m->id, "op", bonded_op_name(m->op),
			      "qty", qty_json(m->qty), "doc", m->doc, "reason", m->reason, "at", (json_int_t)m->at);
	json_array_append_new(ctx, j);
	return 0;
}

/* GET /api/v1/bonded/{emsNo}: the account's records; /{emsNo}/{itemRecordNo}: one record and
 * its journal. An enterprise sees only the accounts it keeps (another's is 404, as absent);
 * regulators see all. */
static enum MHD_Result get_bonded(struct http *h, struct MHD_Connection *c, const char *url,
				  const char *rest)
{
	struct store_account acct;
	enum MHD_Result ret;
	if (!authenticate(h, c, AUDIT_READ, url, &acct, &ret))
		return ret;
	char buf[512];
	snprintf(buf, sizeof buf, "%s", rest);
	char *item = strchr(buf, '/');
	if (item)
		*item++ = '\0';
	/* libmicrohttpd has decoded the path already */
	struct store *s = reader(h);
	if (!buf[0] || (item && !item[0]) || (item && strchr(item, '/'))) {
		store_account_clear(&acct);
		return send_error(c, MHD_HTTP_BAD_REQUEST, "use /api/v1/bonded/{emsNo} or /api/v1/bonded/{emsNo}/{itemRecordNo}");
	}
	if (!s) {
		store_account_clear(&acct);
		return send_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "store unavailable");
	}
	json_t *j = NULL;
	int rc;
	if (!item) {
		struct bonded_list l = {json_array(), &acct, false};
		rc = store_bonded_each(s, buf, add_item_json, &l);
		if (!rc && json_array_size(l.items))
			j = json_pack("{s:s,s:o}", "emsNo", buf, "items", l.items);
		else
			json_decref(l.items);
		if (!rc && !j)
			rc = CBEC_ENOTFOUND;
	} else {
		struct store_bonded_item it;
		rc = store_bonded_get(s, buf, item, &it);
		if (!rc && acct.role != ROLE_REGULATOR && strcmp(it.owner, acct.code) != 0) {
			store_bonded_item_clear(&it);
			rc = CBEC_ENOTFOUND;
		}
		if (!rc) {
			json_t *moves = json_array();
			j = item_json(&it);
			rc = store_bonded_moves_of(s, buf, item, add_move_json, moves);
			json_object_set_new(j, "journal", moves);
			store_bonded_item_clear(&it);
		}
	}
	/* a regulator's read of a warehouse's account is logged */
	bool logged = acct.role != ROLE_REGULATOR ||
		      audit_request(h, c, &acct, AUDIT_READ, url, NULL,
				    rc == 0 ? MHD_HTTP_OK : rc == CBEC_ENOTFOUND ? MHD_HTTP_NOT_FOUND
										  : MHD_HTTP_SERVICE_UNAVAILABLE);
	store_account_clear(&acct);
	if (!logged) {
		json_decref(j);
		return send_unrecorded(c);
	}
	if (rc) {
		json_decref(j);
		return rc == CBEC_ENOTFOUND ? send_error(c, MHD_HTTP_NOT_FOUND, "no such bonded account or item")
					    : send_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "store unavailable");
	}
	return send_json(c, MHD_HTTP_OK, j);
}

/* ---- export summaries (汇总申报, rules.md §9) ---- */

/* A flag given as 1 or "1"; dflt when absent; -1 when neither. */
static int flag_of(json_t *v, int dflt)
{
	if (!v)
		return dflt;
	if (json_is_integer(v))
		return (int)json_integer_value(v);
	if (json_is_string(v) && strlen(json_string_value(v)) == 1)
		return json_string_value(v)[0] - '0';
	return -1;
}

/* The answer to a build, once its CEB701 is committed: each application and its state. */
static enum MHD_Result summary_answer(struct http *h, struct MHD_Connection *c, struct req *r)
{
	struct sumreq *q = r->sum;
	if (h->o.audit && (r->audit_rc || audit_sync(h->o.audit, r->audit_seq) != 0))
		return send_unrecorded(c);
	if (r->outcome == SVC_UNAVAILABLE || !r->answer)
		return send_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "the summary was not stored; build it again");
	struct store *s = reader(h);
	if (!s)
		return send_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "store unavailable");
	json_t *list = json_array();
	bool all = true;
	for (int i = 0; i < q->ncop; i++) {
		char key[128];
		snprintf(key, sizeof key, "%s|%s", q->ebc, q->cop_nos[i]);
		struct store_doc d;
		struct store_summary sm;
		json_t *one = NULL;
		if (store_doc_get(s, 701, key, &d) == 0) {
			if (store_summary_by_doc(s, d.id, &sm) == 0) {
				one = summary_svc_json(s, &sm);
				store_summary_clear(&sm);
			}
			store_doc_clear(&d);
		}
		if (!one) { /* refused by the writer's checks: the receipt says why */
			all = false;
			one = json_pack("{s:s,s:b}", "copNo", q->cop_nos[i], "refused", 1);
		}
		json_array_append_new(list, one);
	}
	json_t *j = json_pack("{s:b,s:o,s:s,s:O}", "ok", all, "summaries", list, "receipt", r->answer,
			      "build", q->preview);
	return send_json(c, all ? MHD_HTTP_OK : MHD_HTTP_CONFLICT, j);
}

/* POST /api/v1/summaries {"period":"YYYY-MM", "summaryFlag":1|2, "itemNameFlag":0|1,
 * "declAgentCode", "declAgentName", "dryRun"}: the caller summarises its own released
 * lists of the period; the CEB701 goes through the writer like a message it sent. */
static enum MHD_Result post_summary(struct http *h, struct MHD_Connection *c, struct req *r)
{
	if (r->done)
		return summary_answer(h, c, r);
	snprintf(r->resource, sizeof r->resource, "summary");
	peer_address(c, r->remote, sizeof r->remote);
	struct store_account acct;
	enum MHD_Result ret;
	if (!authenticate(h, c, AUDIT_SUBMIT, r->resource, &acct, &ret))
		return ret;
	if (r->too_big) {
		ret = deny(h, c, &acct, AUDIT_SUBMIT, r->resource, acct.code, MHD_HTTP_CONTENT_TOO_LARGE, "request too large");
		store_account_clear(&acct);
		return ret;
	}
	if (acct.role != ROLE_ENTERPRISE) {
		ret = deny(h, c, &acct, AUDIT_FORBIDDEN, r->resource, NULL, MHD_HTTP_FORBIDDEN,
			   "an enterprise builds its own summaries; regulators read them");
		store_account_clear(&acct);
		return ret;
	}
	json_t *doc = json_loadb(r->body.p ? r->body.p : "", r->body.n, 0, NULL);
	struct summary_build b = {acct.code,
				  json_string_value(json_object_get(doc, "period")),
				  flag_of(json_object_get(doc, "summaryFlag"), 1),
				  flag_of(json_object_get(doc, "itemNameFlag"), 0),
				  json_string_value(json_object_get(doc, "declAgentCode")),
				  json_string_value(json_object_get(doc, "declAgentName")),
				  0};
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	b.now_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	bool dry = json_is_true(json_object_get(doc, "dryRun"));
	char period[16]; /* the request's text, kept past the JSON */
	snprintf(period, sizeof period, "%s", b.period ? b.period : "");
	struct sumreq *q = calloc(1, sizeof *q);
	struct store *s = reader(h);
	int rc = !q ? CBEC_ENOMEM : !s ? CBEC_ESTORE
		      : summary_svc_prepare(s, &b, &q->preview, &q->xml, &q->xml_len, &q->cop_nos, &q->ncop);
	json_decref(doc);
	if (rc) {
		store_account_clear(&acct);
		sumreq_free(q);
		return rc == CBEC_EINVAL
			   ? send_error(c, MHD_HTTP_BAD_REQUEST,
					"send {\"period\":\"YYYY-MM\"} and optionally summaryFlag 1|2, itemNameFlag 0|1")
			   : send_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "store unavailable");
	}
	if (dry || !q->xml) { /* nothing submitted: what a build would take */
		store_account_clear(&acct);
		json_t *j = json_pack("{s:b,s:o,s:O}", "ok", 1, "summaries", json_array(), "build", q->preview);
		sumreq_free(q);
		return send_json(c, MHD_HTTP_OK, j);
	}
	q->ebc = acct.code;
	acct.code = NULL;
	store_account_clear(&acct);
	r->sum = q;
	snprintf(r->actor, sizeof r->actor, "%s", q->ebc);
	snprintf(r->resource, sizeof r->resource, "CEB701 summary %s", period);
	r->queued = true;
	MHD_suspend_connection(c);
	if (svc_submit(h->svc, q->xml, q->xml_len, q->ebc, on_done, r) != 0)
		refused_now(r);
	return MHD_YES;
}

static int add_summary_json(void *ctx, const struct store_summary *sm)
{
	json_array_append_new(ctx, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s?,s:I}", "id", (json_int_t)sm->id,
					     "state", store_summary_state_name(sm->state), "ebc", sm->ebc,
					     "owner", sm->owner, "period", sm->period, "sumNo", sm->sum_no,
					     "created", (json_int_t)sm->created));
	return 0;
}

/* GET /api/v1/summaries: the caller's (regulators: everyone's); /{id}: one, with its lists,
 * declarations, customs' results and receipts. Another party's is 404. */
static enum MHD_Result get_summary(struct http *h, struct MHD_Connection *c, const char *url,
				   const char *rest)
{
	struct store_account acct;
	enum MHD_Result ret;
	struct buf what = BUF_INIT;
	if (!authenticate_read(h, c, url, &what, &acct, &ret))
		return ret;
	bool regulator = acct.role == ROLE_REGULATOR;
	struct store *s = reader(h);
	json_t *j = NULL;
	int rc = s ? 0 : CBEC_ESTORE;
	char *owner = NULL;
	if (!rc && (!rest || !*rest)) {
		json_t *arr = json_array();
		rc = store_summary_each(s, regulator ? NULL : acct.code, add_summary_json, arr);
		j = json_pack("{s:o}", "summaries", arr);
	} else if (!rc) {
		char *end;
		long long id = strtoll(rest, &end, 10);
		struct store_summary sm;
		rc = *end || id <= 0 ? CBEC_ENOTFOUND : store_summary_get(s, id, &sm);
		if (!rc) {
			owner = strdup(sm.owner);
			/* the shipper and the applicant read it; for anyone else it is absent */
			if (!regulator && strcmp(sm.owner, acct.code) && strcmp(sm.ebc, acct.code))
				rc = CBEC_EEXIST;
			else
				j = summary_svc_json(s, &sm);
			store_summary_clear(&sm);
		}
	}
	bool logged = true;
	if (rc == CBEC_EEXIST) {
		logged = audit_request(h, c, &acct, AUDIT_FORBIDDEN, what.p, owner, MHD_HTTP_NOT_FOUND);
		rc = CBEC_ENOTFOUND;
	} else if (regulator) {
		unsigned st = rc == 0 ? MHD_HTTP_OK : rc == CBEC_ENOTFOUND ? MHD_HTTP_NOT_FOUND : MHD_HTTP_SERVICE_UNAVAILABLE;
		logged = audit_request(h, c, &acct, AUDIT_READ, what.p, owner, st);
	}
	free(owner);
	store_account_clear(&acct);
	buf_free(&what);
	if (!logged) {
		json_decref(j);
		return send_unrecorded(c);
	}
	if (rc || !j) {
		json_decref(j);
		return rc == CBEC_ENOTFOUND ? send_error(c, MHD_HTTP_NOT_FOUND, "no such summary")
					    : send_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "store unavailable");
	}
	return send_json(c, MHD_HTTP_OK, j);
}

/* ---- dispatch ---- */

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_size, void **con_cls)
{
	struct http *h = cls;
	bool post = !strcmp(method, MHD_HTTP_METHOD_POST);
	if (!*con_cls) {
		struct req *r = calloc(1, sizeof *r);
		if (!r)
			return MHD_NO;
		r->h = h;
		r->conn = c;
		*con_cls = r;
		/* A declared length over the cap is refused before a byte of it is sent when the
		 * client waits for "100 Continue"; other clients are answered once their body is in
		 * (an answer while they still send would be lost in the connection's reset). */
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		const char *ex = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_EXPECT);
		if (post && cl && ex && strtoull(cl, NULL, 10) > h->o.max_body)
			return send_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "message too large");
		if (post)
			return MHD_YES; /* the body follows */
	}
	struct req *r = *con_cls;
	if (post && *upload_size) {
		if (r->too_big || r->body.n + *upload_size > h->o.max_body) {
			/* Over the cap: the rest is read and dropped, up to four times the cap; a
			 * client that sends more than that is cut off with the answer. */
			r->too_big = true;
			r->dropped += *upload_size;
			*upload_size = 0;
			if (r->dropped > 4 * h->o.max_body)
				return send_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "message too large");
			return MHD_YES;
		}
		buf_put(&r->body, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	if (post && r->queued && !r->done)
		return MHD_YES; /* resumed without an answer yet: cannot happen, be safe */
	if (!strcmp(url, "/api/v1/messages")) {
		if (!post)
			return send_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "POST a CEB message here");
		return post_message(h, c, r);
	}
	if (!strcmp(url, "/api/v1/bonded/stock-in")) {
		if (!post)
			return send_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "POST a stock-in (JSON) here");
		return post_stockin(h, c, r);
	}
	if (!strcmp(url, "/api/v1/summaries") && post)
		return post_summary(h, c, r);
	if (post)
		return send_error(c, MHD_HTTP_METHOD_NOT_ALLOWED,
				  "only /api/v1/messages, /api/v1/bonded/stock-in and /api/v1/summaries take POST");
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0)
		return send_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed");
	if (!strcmp(url, "/api/v1/health"))
		return send_json(c, MHD_HTTP_OK, json_pack("{s:b}", "ok", 1));
	if (!strcmp(url, "/api/v1/receipts"))
		return get_receipts(h, c, url);
	if (!strcmp(url, "/api/v1/stats"))
		return get_stats(h, c, url);
	if (!strncmp(url, "/api/v1/declarations/", 21))
		return get_declaration(h, c, url, url + 21);
	if (!strncmp(url, "/api/v1/bonded/", 15))
		return get_bonded(h, c, url, url + 15);
	if (!strcmp(url, "/api/v1/summaries"))
		return get_summary(h, c, url, NULL);
	if (!strncmp(url, "/api/v1/summaries/", 18))
		return get_summary(h, c, url, url + 18);
	return send_error(c, MHD_HTTP_NOT_FOUND, "no such endpoint");
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	struct req *r = *con_cls;
	if (!r)
		return;
	buf_free(&r->body);
	free(r->answer);
	sumreq_free(r->sum);
	if (r->stockin) {
		free(r->stockin->owner);
		json_decref(r->stockin->doc);
		free(r->stockin);
	}
	free(r);
	*con_cls = NULL;
}

static enum MHD_Result accept_policy(void *cls, const struct sockaddr *addr, socklen_t len)
{
	struct http *h = cls;
	return atomic_load(&h->closing) ? MHD_NO : MHD_YES;
}

int http_start(struct svc *svc, const struct http_opts *o, struct http **out, char *err,
	       size_t errlen)
{
	struct http *h = calloc(1, sizeof *h);
	if (!h)
		return CBEC_ENOMEM;
	h->svc = svc;
	h->o = *o;
	pthread_key_create(&h->store_key, close_store);
	pthread_mutex_init(&h->pend_mu, NULL);
	svc_on_released(svc, on_released, h); /* before the first request can be answered */
	char host[256];
	snprintf(host, sizeof host, "%s", o->listen);
	char *colon = strrchr(host, ':');
	if (!colon) {
		snprintf(err, errlen, "--listen wants HOST:PORT, not '%s'", o->listen);
		goto fail;
	}
	*colon = '\0';
	struct sockaddr_in sa = {0};
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)atoi(colon + 1));
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
		snprintf(err, errlen, "cannot use address '%s' (an IPv4 address such as 127.0.0.1)", host);
		goto fail;
	}
	h->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ITC |
					MHD_USE_ERROR_LOG,
				0, accept_policy, h, handle, h, MHD_OPTION_SOCK_ADDR, &sa,
				MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)(o->threads ? o->threads : 2),
				MHD_OPTION_NOTIFY_COMPLETED, completed, h,
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)(o->timeout ? o->timeout : 30),
				MHD_OPTION_CONNECTION_LIMIT, (unsigned int)4096, MHD_OPTION_END);
	if (!h->d) {
		snprintf(err, errlen, "cannot listen on %s", o->listen);
		goto fail;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
	h->port = info ? info->port : 0;
	*out = h;
	return 0;
fail:
	svc_on_released(svc, NULL, NULL);
	pthread_key_delete(h->store_key);
	pthread_mutex_destroy(&h->pend_mu);
	free(h);
	return CBEC_EINVAL;
}

/* Not MHD_quiesce_daemon: in libmicrohttpd 0.9.75 with a thread pool on epoll it marks each
 * worker quiesced and then takes the listening socket out of the worker's epoll set, while
 * the worker, seeing the mark, may take it out first; the second removal fails and the
 * library aborts ("Failed to remove listen FD from epoll set", seen once at a test's SIGTERM).
 * So the socket stays open until http_stop and a connection made meanwhile is closed at once
 * (the accept policy): to a sender it is refused all the same. */
void http_quiesce(struct http *h)
{
	if (h)
		atomic_store(&h->closing, true);
}

void http_stop(struct http *h)
{
	if (!h)
		return;
	svc_on_released(h->svc, NULL, NULL);
	on_released(h); /* anything answered since the last round */
	MHD_stop_daemon(h->d);
	pthread_key_delete(h->store_key);
	pthread_mutex_destroy(&h->pend_mu);
	free(h);
}

uint16_t http_port(const struct http *h)
{
	return h->port;
}
