/* The customs gateway's two links. The simulator stands in for customs on a fresh install:
 * it re-checks what it receives by the same published rules (schema, fields, the three
 * documents), numbers the list, and answers 120 -> 399 -> 800 (or 100 with the reasons),
 * after configurable delays. The DXP link exchanges files with the real customs channel. */
#include "customs/customs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/fsutil.h"
#include "base/prio.h"
#include "ceb/check.h"
#include "ceb/dec.h"
#include "ceb/write.h"
#include "clear/docs.h"
#include "clear/match.h"
#include "clear/summary.h"
#include "store/store.h"

enum link_kind { LINK_SIM, LINK_DXP };

/* A document as the simulator parsed it on arrival, shared by the keys that hold it, so that
 * the list that uses it does not parse it again (a third of the simulator's work was those
 * second parses). Freed once no key holds it and the input being decided is done. */
struct parsed {
	struct parsed *next_gone; /* on the list freed after the input (parsed_gone) */
	struct arena *arena;
	const struct ceb_node *entity; /* the message's first: customs gets one a message */
	size_t bytes;
	int refs;
};

/* A message the simulator keeps until the list that uses it arrives: parsed, or as XML
 * once the parsed ones take more than SIM_PARSED_MAX. */
struct held {
	struct held *next;
	char *key; /* "kind|doc key" or "link:kind|link" */
	char *xml;
	size_t len;
	struct parsed *parsed;
};

/* Memory held documents may keep parsed; beyond it they are kept as text. Documents reach
 * the simulator just before their list (the platform forwards a list's documents when it
 * sends the list), so normally a few are held at once. */
#define SIM_PARSED_MAX (64u << 20)

/* Documents waiting to be decided plus answers waiting to be delivered, at most (see
 * customs_send). */
#define SIM_BACKLOG_MAX 4096
/* Messages remembered to ignore a repeat, by default (sim:seen=N) */
#define SIM_SEEN_MAX 65536

/* A receipt due at a time; among equal times, the order they were scheduled in. */
struct due {
	int64_t at;
	uint64_t seq;
	char *xml;
	size_t len;
};

struct input {
	struct input *next;
	char *xml;
	size_t len;
};

/* Receipts of one type due at one time, gathered into one message (up to 100 entities, as
 * the schema allows), the way customs answers in bulk. */
struct batch {
	struct batch *next;
	int type;
	int64_t at;
	struct arena *arena;
	struct ceb_msg *msg;
	int n;
};

/* Held documents by key: buckets double as the count grows (a festival day's backlog holds
 * hundreds of thousands), so a look-up stays a short chain. */
#define HELD_BUCKETS_MIN 4096
#define BATCHES_OPEN_MAX 32

struct customs {
	enum link_kind kind;
	char desc[256];
	customs_deliver_fn deliver;
	void *ctx;
	pthread_t thread;
	bool thread_up;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop;
	/* simulator */
	int64_t accept_ms, release_ms;
	int inspect_pct;
	struct input *in_head, *in_tail;
	/* open, newest first; flushed when full, when the input runs dry, or (the oldest) when
	 * there would be more than BATCHES_OPEN_MAX: under a steady input that never ran dry
	 * a batch for every (type, millisecond) stayed open, each answer searched them all and
	 * none went out (a day's run: 57 s of the simulator's CPU, answers a minute late) */
	struct batch *batches;
	size_t nbatches, batches_peak;
	/* a min-heap on (at, seq): receipts come out by time, in scheduling order within a time,
	 * at O(log n) however far out of order batches are flushed */
	struct due **due;
	size_t ndue, capdue;
	size_t nin; /* inputs waiting */
	uint64_t due_seq;
	struct held **held;
	size_t nbuckets, nheld; /* nbuckets a power of two */
	size_t parsed_bytes, nheld_parsed;
	struct parsed *parsed_gone; /* held by no key, freed once the input is decided */
	/* The messages it has seen, to ignore a repeat (the outbox delivers at least once): the
	 * last `nseen_max` only, oldest forgotten first, so memory stays flat with volume (a
	 * repeat comes soon after; a late one is answered again, and the platform relays a
	 * status once per document). */
	char **seen;
	size_t nseen_max, seen_next;
	/* Like customs, the simulator remembers the number it gave each list (guid -> number)
	 * in its own small SQLite file, so a list sent again after a restart keeps its number
	 * and a number is never given twice. */
	uint64_t serial;
	unsigned sum_serial; /* summary numbers: time + this counter */
	char *state_path;
	sqlite3 *state;
	sqlite3_stmt *find_no, *put_no;
	bool state_open; /* a transaction of its writes, committed before an answer leaves */
	/* dxp */
	char *dir;
};

static int64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static uint32_t hash(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

const char *customs_describe(const struct customs *c)
{
	return c->desc;
}

int customs_replays(const struct customs *c)
{
	return c->kind == LINK_SIM;
}

/* The state's writes go into one transaction until an answer is about to leave (state_commit
 * before each delivery): a transaction a list cost the simulator's thread a lock, a log
 * write and a commit each. A number is still in the file before the answer carrying it
 * leaves; one lost in a crash was never heard of. */
static void state_begin(struct customs *c)
{
	if (c->state && !c->state_open)
		c->state_open = sqlite3_exec(c->state, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
}

static void state_commit(struct customs *c)
{
	if (c->state_open && sqlite3_exec(c->state, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		sqlite3_exec(c->state, "ROLLBACK", NULL, NULL, NULL);
	c->state_open = false;
}

/* The number of the list with this guid: the one it was given, or a new one. */
static void list_number(struct customs *c, const char *guid, const char *prefix, char *out,
			size_t outlen)
{
	if (c->state && guid) {
		sqlite3_reset(c->find_no);
		sqlite3_bind_text(c->find_no, 1, guid, -1, SQLITE_STATIC);
		if (sqlite3_step(c->find_no) == SQLITE_ROW) {
			snprintf(out, outlen, "%s", (const char *)sqlite3_column_text(c->find_no, 0));
			sqlite3_reset(c->find_no);
			return;
		}
		sqlite3_reset(c->find_no);
	}
	snprintf(out, outlen, "%s%09llu", prefix, (unsigned long long)(++c->serial % 1000000000ULL));
	if (c->state && guid) {
		state_begin(c);
		sqlite3_reset(c->put_no);
		sqlite3_bind_text(c->put_no, 1, guid, -1, SQLITE_STATIC);
		sqlite3_bind_text(c->put_no, 2, out, -1, SQLITE_STATIC);
		sqlite3_step(c->put_no);
		sqlite3_reset(c->put_no);
	}
}

static int open_state(struct customs *c, char *err, size_t errlen)
{
	if (!c->state_path)
		return 0;
	/* WAL with synchronous=NORMAL: a process crash loses nothing; this is a simulator, so a
	 * power cut costing the last numbers is acceptable (the platform keeps the first). */
	store_sqlite_setup();
	if (sqlite3_open(c->state_path, &c->state) != SQLITE_OK ||
	    sqlite3_exec(c->state, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
				   "CREATE TABLE IF NOT EXISTS numbers(guid TEXT PRIMARY KEY, invt TEXT NOT NULL)"
				   " WITHOUT ROWID;"
				   "CREATE TABLE IF NOT EXISTS export_lists(invt TEXT PRIMARY KEY, xml BLOB,"
				   " summarised INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(c->state, "SELECT invt FROM numbers WHERE guid = ?", -1, &c->find_no, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(c->state, "INSERT OR IGNORE INTO numbers(guid, invt) VALUES(?, ?)", -1, &c->put_no, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "customs simulator state %s: %s", c->state_path,
			 c->state ? sqlite3_errmsg(c->state) : "out of memory");
		return CBEC_EIO;
	}
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(c->state, "SELECT count(*) FROM numbers", -1, &q, NULL) == SQLITE_OK) {
		if (sqlite3_step(q) == SQLITE_ROW)
			c->serial = (uint64_t)sqlite3_column_int64(q, 0);
		sqlite3_finalize(q);
	}
	return 0;
}

/* ---- simulator ---- */

static struct held **bucket(const struct customs *c, const char *key)
{
	return &c->held[hash(key) & (c->nbuckets - 1)];
}

/* Twice the buckets once they hold two documents each on average; no harm when it cannot. */
static void held_grow(struct customs *c)
{
	size_t n = c->nbuckets ? c->nbuckets * 2 : HELD_BUCKETS_MIN;
	struct held **nb = calloc(n, sizeof *nb);
	if (!nb)
		return;
	for (size_t i = 0; i < c->nbuckets; i++)
		for (struct held *h = c->held[i], *next; h; h = next) {
			next = h->next;
			struct held **b = &nb[hash(h->key) & (n - 1)];
			h->next = *b;
			*b = h;
		}
	free(c->held);
	c->held = nb;
	c->nbuckets = n;
}

static void parsed_release(struct customs *c, struct parsed *p)
{
	if (p && --p->refs == 0) {
		p->next_gone = c->parsed_gone;
		c->parsed_gone = p;
	}
}

/* Free what no key holds any more: after an input is decided, its nodes no longer read. */
static void parsed_free_gone(struct customs *c)
{
	while (c->parsed_gone) {
		struct parsed *p = c->parsed_gone;
		c->parsed_gone = p->next_gone;
		c->parsed_bytes -= p->bytes;
		arena_free(p->arena);
		free(p);
	}
}

/* A copy of the parsed message m to hold (copying its nodes costs a small part of parsing
 * it again); NULL (hold the text instead) over the budget or out of memory. */
static struct parsed *parsed_keep(struct customs *c, const struct ceb_msg *m)
{
	if (c->parsed_bytes >= SIM_PARSED_MAX)
		return NULL;
	struct parsed *p = calloc(1, sizeof *p);
	struct arena *a = p ? arena_new(16 * 1024) : NULL;
	const struct ceb_msg *copy = a ? ceb_msg_copy(a, m, NULL) : NULL;
	if (!copy) {
		arena_free(a);
		free(p);
		return NULL;
	}
	p->arena = a;
	p->entity = ceb_msg_entities(copy);
	p->bytes = arena_used(a) + 16 * 1024; /* and the last chunk's unused part, at most */
	c->parsed_bytes += p->bytes;
	return p;
}

/* Hold a message under key: parsed when p is given, else a copy of the text. */
static void hold(struct customs *c, const char *key, const char *xml, size_t len, struct parsed *p)
{
	if (c->nheld >= c->nbuckets * 2)
		held_grow(c);
	if (!c->nbuckets)
		return; /* out of memory: the list will be refused for want of its documents */
	char *x = NULL;
	if (!p) {
		x = malloc(len + 1);
		if (!x)
			return;
		memcpy(x, xml, len);
		x[len] = '\0';
	}
	struct held *h = *bucket(c, key);
	while (h && strcmp(h->key, key) != 0)
		h = h->next;
	if (!h) {
		h = calloc(1, sizeof *h);
		if (!h || !(h->key = strdup(key))) {
			free(h);
			free(x);
			return;
		}
		struct held **b = bucket(c, key);
		h->next = *b;
		*b = h;
		c->nheld++;
	}
	if (p) { /* taken before the old one goes: they may be the same */
		p->refs++;
		c->nheld_parsed++;
	}
	free(h->xml);
	c->nheld_parsed -= h->parsed != NULL;
	parsed_release(c, h->parsed);
	h->xml = x;
	h->len = x ? len : 0;
	h->parsed = p;
}

/* Forget a held document once its list is decided: customs keeps its own records, the
 * simulator only needs them until then (memory stays flat with volume). */
static void unhold(struct customs *c, const char *key)
{
	if (!c->nbuckets)
		return;
	for (struct held **p = bucket(c, key); *p; p = &(*p)->next)
		if (!strcmp((*p)->key, key)) {
			struct held *h = *p;
			*p = h->next;
			c->nheld--;
			c->nheld_parsed -= h->parsed != NULL;
			parsed_release(c, h->parsed);
			free(h->key);
			free(h->xml);
			free(h);
			return;
		}
}

static const struct held *find(struct customs *c, const char *key)
{
	if (!c->nbuckets)
		return NULL;
	for (struct held *h = *bucket(c, key); h; h = h->next)
		if (!strcmp(h->key, key))
			return h;
	return NULL;
}

static bool due_before(const struct due *a, const struct due *b)
{
	return a->at < b->at || (a->at == b->at && a->seq < b->seq);
}

static struct due *due_peek(const struct customs *c)
{
	return c->ndue ? c->due[0] : NULL;
}

static struct due *due_pop(struct customs *c)
{
	struct due *top = c->due[0], *last = c->due[--c->ndue];
	size_t i = 0, n = c->ndue;
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		const struct due *best = last;
		if (l < n && due_before(c->due[l], best))
			m = l, best = c->due[l];
		if (l + 1 < n && due_before(c->due[l + 1], best))
			m = l + 1;
		if (m == i)
			break;
		c->due[i] = c->due[m];
		i = m;
	}
	if (n)
		c->due[i] = last;
	return top;
}

static void schedule(struct customs *c, int64_t at, const char *xml, size_t len)
{
	if (c->ndue == c->capdue) {
		size_t cap = c->capdue ? c->capdue * 2 : 256;
		struct due **h = realloc(c->due, cap * sizeof *h);
		if (!h)
			return;
		c->due = h;
		c->capdue = cap;
	}
	struct due *d = calloc(1, sizeof *d);
	if (!d)
		return;
	d->at = at;
	d->seq = ++c->due_seq;
	d->xml = malloc(len + 1);
	if (!d->xml) {
		free(d);
		return;
	}
	memcpy(d->xml, xml, len);
	d->xml[len] = '\0';
	d->len = len;
	size_t i = c->ndue++;
	while (i && due_before(d, c->due[(i - 1) / 2])) {
		c->due[i] = c->due[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	c->due[i] = d;
}

static void flush(struct customs *c, struct batch *b)
{
	struct buf out = BUF_INIT;
	if (b->msg && ceb_write(b->msg, NULL, &out) == 0)
		schedule(c, b->at, out.p, out.n);
	buf_free(&out);
	arena_free(b->arena);
	free(b);
}

static void flush_all(struct customs *c)
{
	struct batch *b = c->batches;
	c->batches = NULL;
	c->nbatches = 0;
	while (b) {
		struct batch *n = b->next;
		flush(c, b);
		b = n;
	}
}

/* Take the batch *link out of the open ones and send it on its way. */
static void batch_out(struct customs *c, struct batch **link)
{
	struct batch *b = *link;
	*link = b->next;
	c->nbatches--;
	flush(c, b);
}

static void emit(struct customs *c, struct arena *a, const struct doc_type *t,
		 const struct ceb_node *head, const char *status, const char *info, const char *invt,
		 int64_t at)
{
	(void)a;
	struct batch *b = c->batches;
	while (b && !(b->type == t->receipt && b->at == at))
		b = b->next;
	if (!b && c->nbatches == BATCHES_OPEN_MAX) {
		/* the oldest goes out now; it is delivered at its time all the same */
		struct batch **q = &c->batches;
		while ((*q)->next)
			q = &(*q)->next;
		batch_out(c, q);
	}
	if (!b) {
		b = calloc(1, sizeof *b);
		if (!b)
			return;
		b->type = t->receipt;
		b->at = at;
		b->arena = arena_new(64 * 1024);
		b->msg = b->arena ? doc_receipt_new(b->arena, t) : NULL;
		if (!b->msg) {
			arena_free(b->arena);
			free(b);
			return;
		}
		b->next = c->batches;
		c->batches = b;
		if (++c->nbatches > c->batches_peak)
			c->batches_peak = c->nbatches;
	}
	struct receipt_args r = {status, info, at, NULL, invt};
	if (doc_receipt_add(b->msg, t, head, &r) != 0)
		return;
	/* list receipts need an e-port number; the simulator makes one as the e-port would */
	char pre[32], day[15];
	doc_time14(at, day);
	snprintf(pre, sizeof pre, "B%.8s%09llu", day, (unsigned long long)(c->serial % 1000000000ULL));
	struct ceb_node *e = b->msg->root->last[0];
	int k = ceb_def_field(e->def, "preNo", 5);
	if (k >= 0 && !e->vals[k].p)
		ceb_node_setz(b->msg, e, k, pre);
	if (++b->n == 100) {
		struct batch **q = &c->batches;
		while (*q != b)
			q = &(*q)->next;
		batch_out(c, q);
	}
}

static const struct ceb_node *held_entity(struct customs *c, struct ceb_checker *chk,
					  struct arena *a, const char *key)
{
	const struct held *h = find(c, key);
	if (!h)
		return NULL;
	if (h->parsed)
		return h->parsed->entity;
	struct ceb_result r;
	if (ceb_check_parse_in(chk, h->xml, h->len, a, &r) != 0 || !r.msg)
		return NULL;
	return ceb_msg_entities(r.msg);
}

static const char *hval(const struct ceb_node *h, const char *f)
{
	int k = ceb_def_field(h->def, f, strlen(f));
	return k >= 0 && h->vals[k].p ? h->vals[k].p : "";
}

/* Released 9610 export lists awaiting a summary (S-02): in the state file when there is
 * one (they outlive a restart, and memory stays flat), else in memory. */
static void list_keep(struct customs *c, struct arena *a, const char *invt, const char *xml, size_t len)
{
	sqlite3_stmt *q;
	if (!c->state) {
		hold(c, arena_printf(a, "invt:%s", invt), xml, len, NULL);
		return;
	}
	state_begin(c);
	if (sqlite3_prepare_v2(c->state, "INSERT OR IGNORE INTO export_lists(invt, xml) VALUES(?, ?)", -1, &q, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(q, 1, invt, -1, SQLITE_STATIC);
	sqlite3_bind_blob(q, 2, xml, (int)len, SQLITE_STATIC);
	sqlite3_step(q);
	sqlite3_finalize(q);
}

/* The list numbered invt as customs released it, or NULL (unknown, or *summarised). */
static const struct ceb_node *list_find(struct customs *c, struct ceb_checker *chk, struct arena *a,
					const char *invt, bool *summarised)
{
	*summarised = false;
	if (!c->state) {
		*summarised = find(c, arena_printf(a, "sum:%s", invt)) != NULL;
		return *summarised ? NULL : held_entity(c, chk, a, arena_printf(a, "invt:%s", invt));
	}
	sqlite3_stmt *q;
	const struct ceb_node *e = NULL;
	if (sqlite3_prepare_v2(c->state, "SELECT xml, summarised FROM export_lists WHERE invt = ?", -1, &q, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_text(q, 1, invt, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW) {
		*summarised = sqlite3_column_int(q, 1) != 0;
		const char *xml = sqlite3_column_blob(q, 0);
		int n = sqlite3_column_bytes(q, 0);
		struct ceb_result r;
		char *copy = xml && n > 0 && !*summarised ? arena_strndup(a, xml, (size_t)n) : NULL;
		if (copy && ceb_check_parse_in(chk, copy, (size_t)n, a, &r) == 0 && r.msg)
			e = ceb_msg_entities(r.msg);
	}
	sqlite3_finalize(q);
	return e;
}

/* The list is in a summary now: never again (its XML is no longer needed). */
static void list_take(struct customs *c, struct arena *a, const char *invt)
{
	if (!c->state) {
		unhold(c, arena_printf(a, "invt:%s", invt));
		hold(c, arena_printf(a, "sum:%s", invt), "", 0, NULL);
		return;
	}
	sqlite3_stmt *q;
	state_begin(c);
	if (sqlite3_prepare_v2(c->state, "UPDATE export_lists SET summarised = 1, xml = NULL WHERE invt = ?", -1, &q, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(q, 1, invt, -1, SQLITE_STATIC);
	sqlite3_step(q);
	sqlite3_finalize(q);
}

static void sim_list(struct customs *c, struct ceb_checker *chk, struct arena *a,
		     const struct doc_type *t, struct ceb_node *list, const struct ceb_result *own)
{
	const struct ceb_node *head = ceb_entity_head(list);
	bool import = t->code == 621;
	const char *key = doc_key(a, t, head), *link = doc_link(a, t, head);
	const char *order_key = arena_printf(a, "%d|%s", import ? 311 : 303, key);
	const char *pay_link = arena_printf(a, "link:411|%s", key);
	const char *wb_key = arena_printf(a, "%d|%s", import ? 511 : 505, link);
	const struct ceb_node *order = held_entity(c, chk, a, order_key);
	const struct ceb_node *pay = import ? held_entity(c, chk, a, pay_link) : NULL;
	const struct ceb_node *wb = held_entity(c, chk, a, wb_key);
	/* decided now either way: the copies can go (the documents' nodes stay until the input
	 * is done: parsed_free_gone) */
	unhold(c, order_key);
	unhold(c, wb_key);
	if (import) {
		if (pay)
			unhold(c, arena_printf(a, "411|%s|%s", hval(ceb_entity_head(pay), "payCode"),
					       hval(ceb_entity_head(pay), "payTransactionId")));
		unhold(c, pay_link);
	}
	struct ceb_findings f;
	ceb_findings_init(&f, a, NULL);
	for (const struct ceb_finding *x = own->findings.head; x; x = x->next)
		if (x->sev == CEB_SEV_ERROR && ceb_rules[x->rule].layer != CEB_L_SIGNATURE)
			ceb_report_text(&f, x->rule, x->path, x->line, x->zh, x->en);
	struct match_opts mo;
	match_opts_default(&mo);
	if (import)
		match_import(order, pay, wb, list, &mo, &f);
	else
		match_export(order, wb, list, NULL, &mo, &f);
	int64_t now = now_ms();
	if (f.errors) {
		emit(c, a, t, head, "100", doc_findings_info(a, "100", "海关退单（模拟）", &f), NULL, now);
		return;
	}
	char prefix[16], invt[32];
	snprintf(prefix, sizeof prefix, "%.4s%.4s%c", hval(head, "customsCode"),
		 strlen(hval(head, "appTime")) >= 4 ? hval(head, "appTime") : "2024", import ? 'I' : 'E');
	list_number(c, hval(head, "guid"), prefix, invt, sizeof invt);
	emit(c, a, t, head, "120", "[Code:1800;Desc:逻辑校验通过]（海关模拟器）", invt, now);
	const struct ceb_node *docs[3] = {order, pay, wb};
	const int codes[3] = {import ? 311 : 303, 411, import ? 511 : 505};
	for (int i = 0; i < 3; i++) {
		const struct doc_type *dt = doc_type_of(codes[i]);
		if (docs[i] && dt)
			emit(c, a, dt, ceb_entity_head(docs[i]), "120", "[Code:1800;Desc:逻辑校验通过]（海关模拟器）",
			     NULL, now);
	}
	int64_t concluded = now + c->accept_ms, released = concluded + c->release_ms;
	/* Inspection for a share of lists, chosen by the list key so a rerun decides alike. */
	bool inspect = c->inspect_pct > 0 && (int)(hash(key) % 100) < c->inspect_pct;
	if (inspect) {
		emit(c, a, t, head, "500", "[Code:2500;Desc:查验]（海关模拟器）", invt, concluded);
		concluded += c->accept_ms;
		released = concluded + c->release_ms;
	}
	emit(c, a, t, head, "399", "[Code:2200;Desc:审结]（海关模拟器）", invt, concluded);
	emit(c, a, t, head, "800", "[Code:2600;Desc:放行]（海关模拟器）", invt, released);
	/* A 9610 export list to be summarised (statisticsFlag B): kept, alone, under its number
	 * until a summary application takes it (S-02). */
	if (!import && !strcmp(hval(head, "tradeMode"), "9610") && !strcmp(hval(head, "statisticsFlag"), "B")) {
		struct ceb_msg *one = ceb_msg_copy(a, own->msg, list);
		struct buf out = BUF_INIT;
		if (one && ceb_write(one, NULL, &out) == 0 && !out.err)
			list_keep(c, a, invt, out.p, out.n);
		buf_free(&out);
	}
}

/* A summary application (701), decided by the same rules as the platform's (rules.md §9):
 * every list released by customs, of the application's shipper, statisticsFlag B, in no
 * other summary; then 702 399 with the summary number, and a 792 result per 报关单 the
 * lists make (grouped by clear/summary.c), mapping each list line to its item. */
static void sim_summary(struct customs *c, struct ceb_checker *chk, struct arena *a,
			const struct doc_type *t, const struct ceb_node *entity)
{
	const struct ceb_node *head = ceb_entity_head(entity);
	struct summary_opts so = {atoi(hval(head, "summaryFlag")), atoi(hval(head, "itemNameFlag"))};
	struct summary *s = summary_new(a, &so);
	struct ceb_findings f;
	ceb_findings_init(&f, a, NULL);
	int64_t now = now_ms();
	if (!s)
		return;
	for (const struct ceb_node *l = ceb_entity_lines(entity); l; l = l->next) {
		const char *invt = hval(l, "invtNo");
		const char *path = ceb_node_path(a, l, "invtNo");
		bool done;
		const struct ceb_node *e = list_find(c, chk, a, invt, &done);
		enum summary_fate fate;
		if (!e)
			ceb_report(&f, R_S_LIST, path, l->line, "清单%s不存在、未放行或已汇总",
				   "list %s is unknown, not released or already summarised", invt);
		else if (strcmp(hval(ceb_entity_head(e), "ebcCode"), hval(head, "ebcCode")) != 0)
			ceb_report(&f, R_S_LIST, path, l->line, "清单%s不属于收发货人%s",
				   "list %s is not the shipper %s's", invt, hval(head, "ebcCode"));
		else if (summary_add(s, e, invt, &fate, NULL) != 0 || fate != SUMMARY_TAKEN)
			ceb_report(&f, R_S_FLAG, path, l->line, "清单%s不能汇总申报", "list %s cannot be summarised", invt);
	}
	char t14[15], sum_no[24];
	doc_time14(now, t14);
	snprintf(sum_no, sizeof sum_no, "S%.12s%05u", t14 + 2, ++c->sum_serial % 100000u);
	struct receipt_args r = {f.errors ? "100" : "399",
				 f.errors ? doc_findings_info(a, "100", "海关退单（模拟）", &f)
					  : "[Code:2200;Desc:汇总申请审结]（海关模拟器）",
				 now, NULL, NULL};
	struct ceb_msg *rm = doc_receipt(a, t, head, &r);
	struct buf out = BUF_INIT;
	if (rm && !f.errors) {
		struct ceb_node *e = rm->root->last[0];
		ceb_node_setz(rm, e, ceb_def_field(e->def, "sumNo", 5), sum_no);
	}
	if (rm && ceb_write(rm, NULL, &out) == 0 && !out.err)
		schedule(c, now, out.p, out.n);
	buf_free(&out);
	if (f.errors)
		return;
	for (const struct ceb_node *l = ceb_entity_lines(entity); l; l = l->next) {
		list_take(c, a, hval(l, "invtNo"));
	}
	const struct ceb_msgtype *rt = ceb_msgtype_by_code(792);
	for (const struct summary_decl *d = s->decls; d && rt; d = d->next) {
		struct ceb_msg *m = ceb_msg_new(a, rt);
		char guid[37], t17[18], seq[24], entry[24], b1[DEC_FMT_MAX], b2[DEC_FMT_MAX];
		doc_new_guid(guid);
		doc_time17(now, t17);
		snprintf(seq, sizeof seq, "D%.12s%03u%02d", t14 + 2, c->sum_serial % 1000u, d->seq % 100);
		snprintf(entry, sizeof entry, "%.4s%.12s%02d", d->customs_code, t14 + 2, d->seq % 100);
		struct ceb_node *g = m ? ceb_node_add(m, m->root, 0) : NULL;
		struct ceb_node *h = g ? ceb_node_add(m, g, 0) : NULL;
		if (!h)
			return;
		m->guid.p = arena_strdup(a, guid);
		m->guid.n = 36;
		m->version.p = "1.0";
		m->version.n = 3;
		/* the result names the application it answers by its guid */
		ceb_node_setz(m, h, EUH_guid, hval(head, "guid"));
		ceb_node_setz(m, h, EUH_customsCode, hval(head, "customsCode"));
		ceb_node_setz(m, h, EUH_sumNo, sum_no);
		ceb_node_setz(m, h, EUH_opDate, t17);
		ceb_node_setz(m, h, EUH_declSeqNo, seq);
		ceb_node_setz(m, h, EUH_entryId, entry);
		ceb_node_setz(m, h, EUH_decState, "A");
		ceb_node_setz(m, h, EUH_agentCode, hval(head, "agentCode"));
		ceb_node_setz(m, h, EUH_agentName, hval(head, "agentName"));
		ceb_node_setz(m, h, EUH_ebcCode, hval(head, "ebcCode"));
		ceb_node_setz(m, h, EUH_ebcName, hval(head, "ebcName"));
		ceb_node_setz(m, h, EUH_declAgentCode, hval(head, "declAgentCode"));
		ceb_node_setz(m, h, EUH_declAgentName, hval(head, "declAgentName"));
		ceb_node_setz(m, h, EUH_grossWeight, dec_format(d->gross_weight, b1));
		ceb_node_setz(m, h, EUH_netWeight, dec_format(d->net_weight, b2));
		ceb_node_setz(m, h, EUH_msgCount, "1");
		ceb_node_setz(m, h, EUH_msgSeqNo, "1");
		for (const struct summary_map *x = s->map; x; x = x->next) {
			if (x->decl != d->seq)
				continue;
			struct ceb_node *ln = ceb_node_add(m, g, 1);
			if (!ln)
				return;
			char n1[16], n2[16];
			snprintf(n1, sizeof n1, "%d", x->gseqno);
			snprintf(n2, sizeof n2, "%d", x->gnum);
			ceb_node_setz(m, ln, EUL_invtNo, x->invt_no);
			ceb_node_setz(m, ln, EUL_logisticsNo, x->logistics_no);
			ceb_node_setz(m, ln, EUL_gseqno, n1);
			ceb_node_setz(m, ln, EUL_gnum, n2);
			ceb_node_setz(m, ln, EUL_gcode, x->gcode);
		}
		struct buf o2 = BUF_INIT;
		if (ceb_write(m, NULL, &o2) == 0 && !o2.err)
			schedule(c, now + c->accept_ms, o2.p, o2.n);
		buf_free(&o2);
	}
}

static void remember(struct customs *c, const char *key)
{
	if (!c->seen) {
		c->seen = calloc(c->nseen_max, sizeof *c->seen);
		if (!c->seen)
			return;
	}
	char **slot = &c->seen[c->seen_next];
	if (*slot) {
		unhold(c, *slot);
		free(*slot);
	}
	*slot = strdup(key);
	if (*slot)
		hold(c, key, "", 0, NULL);
	c->seen_next = (c->seen_next + 1) % c->nseen_max;
}

size_t customs_sim_batches_peak(struct customs *c)
{
	pthread_mutex_lock(&c->mu);
	size_t n = c->batches_peak;
	pthread_mutex_unlock(&c->mu);
	return n;
}

size_t customs_sim_held(struct customs *c, size_t *parsed)
{
	pthread_mutex_lock(&c->mu);
	size_t n = c->nheld;
	if (parsed)
		*parsed = c->nheld_parsed;
	pthread_mutex_unlock(&c->mu);
	return n;
}

static void sim_one(struct customs *c, struct ceb_checker *chk, struct arena *a, const char *xml,
		    size_t len)
{
	/* The platform checked every message before sending it: the simulator parses each, and
	 * runs the field rules again only on the ones it decides (lists, summary applications),
	 * whose findings it answers with. The orders, payments and waybills it holds until their
	 * list comes were checked twice more here, for nothing (their findings were never read). */
	struct ceb_result r;
	if (!chk || ceb_check_parse_in(chk, xml, len, a, &r) != 0 || !r.msg)
		return; /* without its checker (out of memory) nothing is decided */
	if (r.msg->guid.p) {
		/* the outbox delivers at least once: a repeat is not decided again. The entities
		 * of one message go one by one, each in a copy under the message's guid: the
		 * first entity's guid tells the copies apart. */
		const struct ceb_node *e1 = ceb_msg_entities(r.msg);
		const struct ceb_node *h1 = e1 ? ceb_entity_head(e1) : NULL;
		char *seen = arena_printf(a, "guid:%s/%s", r.msg->guid.p, h1 ? hval(h1, "guid") : "");
		if (find(c, seen))
			return;
		remember(c, seen);
	}
	const struct doc_type *t = doc_type_of(r.msg->type->code);
	if (!t)
		return;
	if ((t->role == DOC_R_LIST || t->code == 701) && ceb_check_rest(chk, xml, len, &r) != 0)
		return;
	struct parsed *kept = NULL;
	if (t->role == DOC_R_ORDER || t->role == DOC_R_WAYBILL || t->role == DOC_R_PAYMENT)
		kept = parsed_keep(c, r.msg);
	for (struct ceb_node *e = ceb_msg_entities(r.msg); e; e = e->next) {
		const struct ceb_node *head = ceb_entity_head(e);
		if (!head)
			continue;
		const char *key = doc_key(a, t, head);
		switch (t->role) {
		case DOC_R_ORDER:
		case DOC_R_WAYBILL:
			hold(c, arena_printf(a, "%d|%s", t->code, key), xml, len, kept);
			break;
		case DOC_R_PAYMENT:
			hold(c, arena_printf(a, "%d|%s", t->code, key), xml, len, kept);
			hold(c, arena_printf(a, "link:%d|%s", t->code, doc_link(a, t, head)), xml, len, kept);
			break;
		case DOC_R_LIST:
			sim_list(c, chk, a, t, e, &r);
			break;
		case DOC_R_CANCEL:
		case DOC_R_REFUND:
			emit(c, a, t, head, "399", "[Code:2200;Desc:审核通过]（海关模拟器）", NULL, now_ms() + c->accept_ms);
			break;
		default:
			if (t->code == 701)
				sim_summary(c, chk, a, t, e);
			else
				emit(c, a, t, head, "399", "[Code:2200;Desc:审结]（海关模拟器）", NULL, now_ms());
			break;
		}
	}
	if (kept && !kept->refs) { /* no key took it (no entity head, or out of memory) */
		kept->refs = 1;
		parsed_release(c, kept);
	}
}

struct ack_wait {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool done;
};

static void ack_fn(void *ctx)
{
	struct ack_wait *w = ctx;
	pthread_mutex_lock(&w->mu);
	w->done = true;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

static void *sim_main(void *arg)
{
	struct customs *c = arg;
	pthread_setname_np(pthread_self(), "cbec-customs");
	prio_background(); /* customs decides beside the platform, not before its writer */
	struct ceb_check_opts o;
	ceb_check_opts_default(&o);
	o.verify_signatures = false; /* the platform verified; the simulator decides the rest */
	struct ceb_checker *chk = ceb_checker_new(&o);
	struct arena *a = arena_new(64 * 1024);
	for (;;) {
		pthread_mutex_lock(&c->mu);
		for (;;) {
			if (c->stop)
				break;
			if (c->in_head)
				break;
			if (due_peek(c) && due_peek(c)->at <= now_ms())
				break;
			if (due_peek(c)) {
				int64_t at = due_peek(c)->at;
				struct timespec ts = {(time_t)(at / 1000), (long)(at % 1000) * 1000000};
				pthread_cond_timedwait(&c->cv, &c->mu, &ts);
			} else {
				pthread_cond_wait(&c->cv, &c->mu);
			}
		}
		if (c->stop) {
			pthread_mutex_unlock(&c->mu);
			break;
		}
		struct input *in = c->in_head;
		if (in) {
			c->in_head = in->next;
			if (!c->in_head)
				c->in_tail = NULL;
			c->nin--;
		}
		struct due *d = NULL;
		if (!in && due_peek(c) && due_peek(c)->at <= now_ms())
			d = due_pop(c);
		pthread_mutex_unlock(&c->mu);
		if (in) {
			arena_reset(a);
			pthread_mutex_lock(&c->mu);
			sim_one(c, chk, a, in->xml, in->len);
			parsed_free_gone(c);
			if (!c->in_head)
				flush_all(c); /* the burst is over: answer it */
			pthread_cond_signal(&c->cv);
			pthread_mutex_unlock(&c->mu);
			free(in->xml);
			free(in);
		}
		if (d) {
			pthread_mutex_lock(&c->mu);
			state_commit(c);
			pthread_mutex_unlock(&c->mu);
			/* Handed to the platform's queue, which applies customs' receipts in the order
			 * they were sent. A simulator keeps no durable state, so it does not wait
			 * for each commit; the real link (DXP) keeps its file until acknowledged. */
			c->deliver(c->ctx, d->xml, d->len, NULL, NULL);
			free(d->xml);
			free(d);
		}
	}
	ceb_checker_free(chk);
	arena_free(a);
	return NULL;
}

/* ---- DXP exchange folder ---- */

struct dxp_ack {
	char path[4096], done[4096];
	struct ack_wait w;
};

static void dxp_ack(void *ctx)
{
	struct dxp_ack *d = ctx;
	rename(d->path, d->done);
	ack_fn(&d->w);
}

static void *dxp_main(void *arg)
{
	struct customs *c = arg;
	char recv[4096];
	snprintf(recv, sizeof recv, "%.3000s/receive", c->dir);
	for (;;) {
		pthread_mutex_lock(&c->mu);
		bool stop = c->stop;
		pthread_mutex_unlock(&c->mu);
		if (stop)
			break;
		DIR *d = opendir(recv);
		struct dirent *e;
		char **names = NULL;
		size_t n = 0;
		while (d && (e = readdir(d))) {
			size_t l = strlen(e->d_name);
			if (e->d_name[0] == '.' || l < 5 || strcmp(e->d_name + l - 4, ".xml"))
				continue;
			char **nn = realloc(names, (n + 1) * sizeof *names);
			if (!nn)
				break;
			names = nn;
			names[n++] = strdup(e->d_name);
		}
		if (d)
			closedir(d);
		for (size_t i = 0; i < n; i++) {
			struct dxp_ack *k = calloc(1, sizeof *k);
			if (!k || !names[i]) {
				free(k);
				continue;
			}
			snprintf(k->path, sizeof k->path, "%.3000s/%.255s", recv, names[i]);
			snprintf(k->done, sizeof k->done, "%.3000s/done/%.255s", recv, names[i]);
			pthread_mutex_init(&k->w.mu, NULL);
			pthread_cond_init(&k->w.cv, NULL);
			FILE *f = fopen(k->path, "rb");
			struct buf b = BUF_INIT;
			char tmp[65536];
			size_t r;
			while (f && (r = fread(tmp, 1, sizeof tmp, f)) > 0)
				buf_put(&b, tmp, r);
			if (f)
				fclose(f);
			if (b.n && !b.err) {
				c->deliver(c->ctx, b.p, b.n, dxp_ack, k);
				pthread_mutex_lock(&k->w.mu);
				struct timespec ts;
				clock_gettime(CLOCK_REALTIME, &ts);
				ts.tv_sec += 30;
				while (!k->w.done && pthread_cond_timedwait(&k->w.cv, &k->w.mu, &ts) == 0)
					;
				pthread_mutex_unlock(&k->w.mu);
			}
			buf_free(&b);
			free(k);
			free(names[i]);
		}
		free(names);
		struct timespec ts = {0, 200 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	return NULL;
}

/* ---- the interface ---- */

static int parse_sim(struct customs *c, const char *opts, char *err, size_t errlen)
{
	/* accept=MS,release=MS,inspect=PERCENT,seen=N,state=PATH */
	while (opts && *opts) {
		char k[32];
		long long v;
		int used = 0;
		if (!strncmp(opts, "state=", 6)) {
			const char *e = strchr(opts, ',');
			size_t n = e ? (size_t)(e - opts - 6) : strlen(opts + 6);
			free(c->state_path);
			c->state_path = strndup(opts + 6, n);
			opts += 6 + n;
			if (*opts == ',')
				opts++;
			continue;
		}
		if (sscanf(opts, "%31[a-z]=%lld%n", k, &v, &used) != 2 || v < 0) {
			snprintf(err, errlen, "bad simulator option near '%s' (accept=MS,release=MS,inspect=PERCENT,seen=N)", opts);
			return CBEC_EINVAL;
		}
		bool in_range = true;
		if (!strcmp(k, "accept"))
			c->accept_ms = v;
		else if (!strcmp(k, "release"))
			c->release_ms = v;
		else if (!strcmp(k, "seen") && (in_range = v > 0 && v <= 100000000))
			c->nseen_max = (size_t)v;
		else if (!strcmp(k, "inspect") && (in_range = v <= 100))
			c->inspect_pct = (int)v;
		else {
			snprintf(err, errlen, in_range ? "unknown simulator option '%s'"
					: "simulator option '%s' out of range (seen=1..100000000, inspect=0..100)", k);
			return CBEC_EINVAL;
		}
		opts += used;
		if (*opts == ',')
			opts++;
		else if (*opts) {
			snprintf(err, errlen, "bad simulator options '%s'", opts);
			return CBEC_EINVAL;
		}
	}
	return 0;
}

int customs_open(const char *spec, customs_deliver_fn deliver, void *ctx, struct customs **out,
		 char *err, size_t errlen)
{
	struct customs *c = calloc(1, sizeof *c);
	if (!c)
		return CBEC_ENOMEM;
	c->deliver = deliver;
	c->ctx = ctx;
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->cv, NULL);
	int rc = 0;
	void *(*main_fn)(void *) = NULL;
	if (!strcmp(spec, "sim") || !strncmp(spec, "sim:", 4)) {
		c->kind = LINK_SIM;
		c->nseen_max = SIM_SEEN_MAX;
		rc = parse_sim(c, spec[3] == ':' ? spec + 4 : NULL, err, errlen);
		if (!rc)
			rc = open_state(c, err, errlen);
		snprintf(c->desc, sizeof c->desc,
			 "built-in customs simulator (accept after %lld ms, release after %lld ms, inspect %d%%)",
			 (long long)c->accept_ms, (long long)c->release_ms, c->inspect_pct);
		main_fn = sim_main;
	} else if (!strncmp(spec, "dxp:", 4) && spec[4]) {
		c->kind = LINK_DXP;
		c->dir = strdup(spec + 4);
		char p[4096];
		const char *subs[] = {"send", "receive", "receive/done"};
		for (int i = 0; c->dir && i < 3; i++) {
			snprintf(p, sizeof p, "%s/%s", c->dir, subs[i]);
			if (mkdir(p, 0755) != 0 && errno != EEXIST) {
				snprintf(err, errlen, "cannot create %s: %s", p, strerror(errno));
				rc = CBEC_EIO;
			}
		}
		snprintf(c->desc, sizeof c->desc, "DXP exchange folder %s", spec + 4);
		main_fn = dxp_main;
	} else {
		snprintf(err, errlen, "unknown customs link '%s' (use sim[:options] or dxp:DIR)", spec);
		rc = CBEC_EINVAL;
	}
	if (!rc && pthread_create(&c->thread, NULL, main_fn, c) != 0)
		rc = CBEC_ENOMEM;
	else if (!rc)
		c->thread_up = true;
	if (rc) {
		customs_close(c);
		return rc;
	}
	*out = c;
	return 0;
}

void customs_close(struct customs *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->mu);
	c->stop = true;
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->mu);
	if (c->thread_up)
		pthread_join(c->thread, NULL);
	for (struct input *i = c->in_head, *n; i; i = n) {
		n = i->next;
		free(i->xml);
		free(i);
	}
	for (size_t i = 0; i < c->ndue; i++) {
		free(c->due[i]->xml);
		free(c->due[i]);
	}
	free(c->due);
	for (struct batch *b = c->batches, *n; b; b = n) {
		n = b->next;
		arena_free(b->arena);
		free(b);
	}
	for (size_t b = 0; b < c->nbuckets; b++)
		for (struct held *h = c->held[b], *n; h; h = n) {
			n = h->next;
			parsed_release(c, h->parsed);
			free(h->key);
			free(h->xml);
			free(h);
		}
	free(c->held);
	parsed_free_gone(c);
	for (size_t i = 0; c->seen && i < c->nseen_max; i++)
		free(c->seen[i]);
	free(c->seen);
	free(c->dir);
	free(c->state_path);
	state_commit(c);
	sqlite3_finalize(c->find_no);
	sqlite3_finalize(c->put_no);
	sqlite3_close(c->state);
	pthread_cond_destroy(&c->cv);
	pthread_mutex_destroy(&c->mu);
	free(c);
}

int customs_send(struct customs *c, const char *guid, const char *xml, size_t len)
{
	if (c->kind == LINK_DXP) {
		char dir[4096], name[128];
		snprintf(dir, sizeof dir, "%s/send", c->dir);
		snprintf(name, sizeof name, "%.64s.xml", guid && *guid ? guid : "message");
		return fs_write_atomic(dir, name, xml, len);
	}
	/* The simulator takes no more while it has this much to decide or answer: the platform's
	 * outbox keeps the rest on disk and sends it again (as a slow customs link would make it). */
	pthread_mutex_lock(&c->mu);
	bool full = c->nin + c->ndue >= SIM_BACKLOG_MAX;
	pthread_mutex_unlock(&c->mu);
	if (full)
		return CBEC_EBUSY;
	struct input *in = calloc(1, sizeof *in);
	if (!in)
		return CBEC_ENOMEM;
	in->xml = malloc(len + 1);
	if (!in->xml) {
		free(in);
		return CBEC_ENOMEM;
	}
	memcpy(in->xml, xml, len);
	in->xml[len] = '\0';
	in->len = len;
	pthread_mutex_lock(&c->mu);
	if (c->in_tail)
		c->in_tail->next = in;
	else
		c->in_head = in;
	c->in_tail = in;
	c->nin++;
	pthread_cond_signal(&c->cv);
	pthread_mutex_unlock(&c->mu);
	return 0;
}
