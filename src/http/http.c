/* HTTP front of the service. A POST is read, checked and queued in a worker thread; the
 * connection is suspended until the writer has committed the message and resumed with the
 * receipt, so no answer ever precedes its commit. Reads use a store connection per thread. */
#include "http/http.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <microhttpd.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/err.h"
#include "ceb/dec.h"
#include "store/store.h"
#include "svc/svc.h"

struct http {
	struct MHD_Daemon *d;
	struct svc *svc;
	struct http_opts o;
	uint16_t port;
	pthread_key_t store_key;
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
};

void http_opts_default(struct http_opts *o)
{
	o->listen = "127.0.0.1:8080";
	o->threads = 2;
	o->max_body = 8u << 20;
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

/* The caller's account from its bearer token; false and an answer queued otherwise. */
static bool authenticate(struct http *h, struct MHD_Connection *c, struct store_account *acct,
			 enum MHD_Result *ret)
{
	const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	if (!auth || strncmp(auth, "Bearer ", 7) != 0 || !auth[7]) {
		*ret = send_error(c, MHD_HTTP_UNAUTHORIZED, "an Authorization: Bearer token is required");
		return false;
	}
	const char *token = auth + 7;
	unsigned char md[32];
	unsigned int n = 0;
	EVP_Digest(token, strlen(token), md, &n, EVP_sha256(), NULL);
	char hex[65];
	for (unsigned i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	struct store *s = reader(h);
	if (!s) {
		*ret = send_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "store unavailable");
		return false;
	}
	int rc = store_account_by_token_hash(s, hex, acct);
	if (rc) {
		*ret = rc == CBEC_ENOTFOUND ? send_error(c, MHD_HTTP_UNAUTHORIZED, "unknown token")
					    : send_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "store unavailable");
		return false;
	}
	return true;
}

/* ---- POST /api/v1/messages ---- */

static void on_done(void *ctx, enum svc_outcome outcome, const char *answer, size_t len)
{
	struct req *r = ctx;
	r->outcome = outcome;
	r->answer = malloc(len + 1);
	if (r->answer) {
		memcpy(r->answer, answer, len);
		r->answer[len] = '\0';
		r->answer_len = len;
	}
	r->done = true;
	MHD_resume_connection(r->conn);
}

static enum MHD_Result post_message(struct http *h, struct MHD_Connection *c, struct req *r)
{
	if (r->done) {
		if (r->outcome == SVC_UNAVAILABLE || !r->answer)
			return send_error(c, MHD_HTTP_SERVICE_UNAVAILABLE,
					  "the message was not stored; send it again");
		return send_text(c, r->outcome == SVC_BAD ? MHD_HTTP_BAD_REQUEST : MHD_HTTP_OK,
				 "application/xml; charset=utf-8", r->answer, r->answer_len);
	}
	if (r->too_big)
		return send_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "message too large");
	struct store_account acct;
	enum MHD_Result ret;
	if (!authenticate(h, c, &acct, &ret))
		return ret;
	if (acct.role != ROLE_ENTERPRISE) {
		store_account_clear(&acct);
		return send_error(c, MHD_HTTP_FORBIDDEN, "only enterprises submit messages");
	}
	const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	if (ct && !strstr(ct, "xml")) {
		store_account_clear(&acct);
		return send_error(c, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, "send the CEB message as application/xml");
	}
	/* Suspend before queueing: the answer may come back before this function returns. */
	r->queued = true;
	MHD_suspend_connection(c);
	int rc = svc_submit(h->svc, r->body.p ? r->body.p : "", r->body.n, acct.code, on_done, r);
	store_account_clear(&acct);
	if (rc) {
		r->outcome = SVC_UNAVAILABLE;
		r->done = true;
		MHD_resume_connection(c);
	}
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

static long long arg_ll(struct MHD_Connection *c, const char *name, long long dflt)
{
	const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
	if (!v || !*v)
		return dflt;
	char *end;
	long long x = strtoll(v, &end, 10);
	return *end || x < 0 ? -1 : x;
}

static enum MHD_Result get_receipts(struct http *h, struct MHD_Connection *c)
{
	struct store_account acct;
	enum MHD_Result ret;
	if (!authenticate(h, c, &acct, &ret))
		return ret;
	long long after = arg_ll(c, "after", 0), limit = arg_ll(c, "limit", 100);
	if (after < 0 || limit <= 0 || limit > 1000) {
		store_account_clear(&acct);
		return send_error(c, MHD_HTTP_BAD_REQUEST, "after must be a cursor >= 0, limit 1..1000");
	}
	json_t *arr = json_array();
	int rc = store_receipts_after(reader(h), acct.role == ROLE_REGULATOR ? NULL : acct.code, after,
				      (int)limit, add_receipt_json, arr);
	store_account_clear(&acct);
	if (rc) {
		json_decref(arr);
		return send_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "store unavailable");
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

static enum MHD_Result get_declaration(struct http *h, struct MHD_Connection *c, const char *rest)
{
	struct store_account acct;
	enum MHD_Result ret;
	if (!authenticate(h, c, &acct, &ret))
		return ret;
	/* rest = "{type}/{key}"; the key may hold '|' (sent as %7C or literally) */
	char buf[1024];
	snprintf(buf, sizeof buf, "%s", rest);
	char *slash = strchr(buf, '/');
	int type = atoi(buf);
	if (!slash || type <= 0) {
		store_account_clear(&acct);
		return send_error(c, MHD_HTTP_BAD_REQUEST, "use /api/v1/declarations/{type}/{key}, e.g. 621/EBP|ORDERNO");
	}
	/* libmicrohttpd has already decoded the path: decoding again would turn a key holding
	 * '%' into another key */
	char *key = slash + 1;
	struct store *s = reader(h);
	struct store_doc d;
	int rc = s ? store_doc_get(s, type, key, &d) : CBEC_ESTORE;
	/* Another party's document is as absent as a missing one. */
	if (rc == 0 && acct.role != ROLE_REGULATOR && (!d.owner || strcmp(d.owner, acct.code))) {
		store_doc_clear(&d);
		rc = CBEC_ENOTFOUND;
	}
	store_account_clear(&acct);
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

static enum MHD_Result get_stats(struct http *h, struct MHD_Connection *c)
{
	struct store_account acct;
	enum MHD_Result ret;
	if (!authenticate(h, c, &acct, &ret))
		return ret;
	bool regulator = acct.role == ROLE_REGULATOR;
	store_account_clear(&acct);
	if (!regulator)
		return send_error(c, MHD_HTTP_FORBIDDEN, "figures are for regulators");
	struct store_counts k;
	if (store_counts(reader(h), &k) != 0)
		return send_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "store unavailable");
	json_t *lists = json_object();
	for (int i = 1; i < DOC_STATE__N; i++)
		if (k.lists_by_state[i])
			json_object_set_new(lists, store_doc_state_name(i), json_integer(k.lists_by_state[i]));
	return send_json(c, MHD_HTTP_OK, json_pack("{s:I,s:I,s:I,s:I,s:o}", "messages", (json_int_t)k.messages,
						   "rejectedMessages", (json_int_t)k.rejected_messages,
						   "documents", (json_int_t)k.documents, "receipts",
						   (json_int_t)k.receipts, "lists", lists));
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
	if (post)
		return send_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "only /api/v1/messages takes POST");
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0)
		return send_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed");
	if (!strcmp(url, "/api/v1/health"))
		return send_json(c, MHD_HTTP_OK, json_pack("{s:b}", "ok", 1));
	if (!strcmp(url, "/api/v1/receipts"))
		return get_receipts(h, c);
	if (!strcmp(url, "/api/v1/stats"))
		return get_stats(h, c);
	if (!strncmp(url, "/api/v1/declarations/", 21))
		return get_declaration(h, c, url + 21);
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
	free(r);
	*con_cls = NULL;
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
				0, NULL, NULL, handle, h, MHD_OPTION_SOCK_ADDR, &sa,
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
	pthread_key_delete(h->store_key);
	free(h);
	return CBEC_EINVAL;
}

void http_quiesce(struct http *h)
{
	if (h && h->d) {
		MHD_socket fd = MHD_quiesce_daemon(h->d);
		if (fd != MHD_INVALID_SOCKET)
			close(fd);
	}
}

void http_stop(struct http *h)
{
	if (!h)
		return;
	MHD_stop_daemon(h->d);
	pthread_key_delete(h->store_key);
	free(h);
}

uint16_t http_port(const struct http *h)
{
	return h->port;
}
