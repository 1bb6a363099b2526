/* The audit log file: hash-chained JSON lines, buffered appends, group sync, torn-tail repair
 * on open and a verifier. See audit.h for the format. */
#include "audit/audit.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/err.h"

#define HASH_HEX 64
/* Every line ends with this, then 64 hex digits, then "}\n". */
#define HASH_KEY ",\"hash\":\""
#define HASH_KEY_LEN (sizeof HASH_KEY - 1)
#define SUFFIX_LEN (HASH_KEY_LEN + HASH_HEX + 2) /* without the newline */

static const char zero_hash[HASH_HEX + 1] =
	"0000000000000000000000000000000000000000000000000000000000000000";

struct audit {
	pthread_mutex_t mu;
	pthread_cond_t cv; /* a sync finished */
	int fd;
	off_t size;             /* the file's length after the last good write */
	uint64_t seq;           /* last appended */
	uint64_t synced;        /* last written and fdatasync'd */
	char prev[HASH_HEX + 1]; /* hash of the last appended line */
	/* Lines appended but not written yet; `spare` is the other buffer, swapped in while a
	 * sync writes, so appends never wait for the disk. */
	struct buf pending, spare;
	bool busy;  /* a thread is writing and syncing */
	struct audit_stats stats;
	int err;    /* the file could not be put back after a failed write: nothing more is accepted */
	uint64_t failures; /* failed writes so far (each fails the requests waiting on it) */
	EVP_MD_CTX *md;
};

/* ---- hashing and the line format ---- */

static int hash_hex(EVP_MD_CTX *md, const char *prev, const char *body, size_t n,
		    char out[HASH_HEX + 1])
{
	unsigned char d[32];
	unsigned int dn = 0;
	if (EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(md, prev, HASH_HEX) != 1 || EVP_DigestUpdate(md, body, n) != 1 ||
	    EVP_DigestFinal_ex(md, d, &dn) != 1 || dn != 32)
		return CBEC_ECRYPTO;
	static const char hx[] = "0123456789abcdef";
	for (unsigned i = 0; i < 32; i++) {
		out[2 * i] = hx[d[i] >> 4];
		out[2 * i + 1] = hx[d[i] & 15];
	}
	out[HASH_HEX] = '\0';
	return 0;
}

static bool is_hex64(const char *s, size_t n)
{
	if (n != HASH_HEX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* Check one line (without its newline) on its own: JSON, the hash at the end, the hash of
 * prev + body. Its seq and prev go out for the chain checks. */
static bool parse_line(EVP_MD_CTX *md, const char *line, size_t n, uint64_t *seq,
		       char prev[HASH_HEX + 1], char hash[HASH_HEX + 1], char *why, size_t whylen)
{
	if (n <= SUFFIX_LEN || memcmp(line + n - SUFFIX_LEN, HASH_KEY, HASH_KEY_LEN) != 0 ||
	    memcmp(line + n - 2, "\"}", 2) != 0 || !is_hex64(line + n - 2 - HASH_HEX, HASH_HEX)) {
		snprintf(why, whylen, "does not end with the record's \"hash\"");
		return false;
	}
	json_error_t je;
	json_t *j = json_loadb(line, n, 0, &je);
	json_t *js = j ? json_object_get(j, "seq") : NULL, *jp = j ? json_object_get(j, "prev") : NULL;
	const char *p = json_string_value(jp);
	bool ok = j && json_is_object(j) && json_is_integer(js) && json_integer_value(js) > 0 && p &&
		  is_hex64(p, strlen(p));
	if (ok) {
		*seq = (uint64_t)json_integer_value(js);
		memcpy(prev, p, HASH_HEX + 1);
	}
	json_decref(j);
	if (!ok) {
		snprintf(why, whylen, "is not an audit record (JSON with seq and prev)");
		return false;
	}
	memcpy(hash, line + n - 2 - HASH_HEX, HASH_HEX);
	hash[HASH_HEX] = '\0';
	char want[HASH_HEX + 1];
	if (hash_hex(md, prev, line, n - SUFFIX_LEN, want) != 0 || strcmp(want, hash) != 0) {
		snprintf(why, whylen, "does not match its hash (the line was changed)");
		return false;
	}
	return true;
}

void audit_format_time(int64_t ms, char out[32])
{
	time_t s = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&s, &tm);
	char b[32];
	strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, 32, "%.19s.%03dZ", b, (int)(ms % 1000));
}

static bool digits(const char **s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++, (*s)++) {
		if (**s < '0' || **s > '9')
			return false;
		*v = *v * 10 + (**s - '0');
	}
	return true;
}

int audit_parse_time(const char *s, int64_t *ms)
{
	struct tm tm = {0};
	int y, mo, d, h = 0, mi = 0, se = 0, frac = 0;
	if (!digits(&s, 4, &y) || *s++ != '-' || !digits(&s, 2, &mo) || *s++ != '-' || !digits(&s, 2, &d))
		return CBEC_EINVAL;
	if (*s == 'T' || *s == ' ') {
		s++;
		if (!digits(&s, 2, &h) || *s++ != ':' || !digits(&s, 2, &mi))
			return CBEC_EINVAL;
		if (*s == ':') {
			s++;
			if (!digits(&s, 2, &se))
				return CBEC_EINVAL;
			if (*s == '.') {
				s++;
				int k = 0;
				for (; *s >= '0' && *s <= '9'; s++, k++)
					if (k < 3)
						frac = frac * 10 + (*s - '0');
				if (k == 0)
					return CBEC_EINVAL;
				for (; k < 3; k++)
					frac *= 10;
			}
		}
	}
	if (*s == 'Z')
		s++;
	if (*s || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
		return CBEC_EINVAL;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	*ms = (int64_t)timegm(&tm) * 1000 + frac;
	return 0;
}

/* ---- open: find the last good record, cut off a torn line ---- */

static int read_at(int fd, char *p, size_t n, off_t off)
{
	while (n) {
		ssize_t r = pread(fd, p, n, off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return CBEC_EIO;
		p += r, n -= (size_t)r, off += r;
	}
	return 0;
}

/* The tail of the file in w[0..n) (file offsets start..size), holding the last `want` whole
 * lines, or the whole file. */
struct tail {
	char *w;
	off_t start;
	size_t n;
};

/* Index just past the newline ending the line before position `end`, or -1 when that is
 * not inside the window (and the window does not start the file). */
static long line_start(const struct tail *t, size_t end)
{
	for (size_t i = end; i > 0; i--)
		if (t->w[i - 1] == '\n')
			return (long)i;
	return t->start == 0 ? 0 : -1;
}

static int find_tail(struct audit *log, off_t size, struct audit_open_info *info, char *err,
		     size_t errlen)
{
	struct tail t = {NULL, size, 0};
	size_t win = 64 * 1024;
	int rc = 0;
	for (;;) {
		t.start = size > (off_t)win ? size - (off_t)win : 0;
		t.n = (size_t)(size - t.start);
		char *w = realloc(t.w, t.n ? t.n : 1);
		if (!w) {
			rc = CBEC_ENOMEM;
			goto out;
		}
		t.w = w;
		if ((rc = read_at(log->fd, t.w, t.n, t.start)) != 0) {
			snprintf(err, errlen, "cannot read the end of the audit log");
			goto out;
		}
		/* L1: the last newline-terminated line; anything after it is a torn line. If L1 is
		 * itself broken and nothing follows it, it is the torn line and L2 must hold. */
		size_t e1 = t.n;
		while (e1 > 0 && t.w[e1 - 1] != '\n')
			e1--;
		if (e1 == 0 && t.start > 0)
			goto grow;
		if (e1 == 0) { /* no whole line in the file */
			log->size = 0;
			break;
		}
		long s1 = line_start(&t, e1 - 1);
		if (s1 < 0)
			goto grow;
		uint64_t seq;
		char prev[HASH_HEX + 1], hash[HASH_HEX + 1], why[160];
		if (parse_line(log->md, t.w + s1, e1 - 1 - (size_t)s1, &seq, prev, hash, why, sizeof why)) {
			log->size = t.start + (off_t)e1;
			log->seq = seq;
			memcpy(log->prev, hash, sizeof hash);
			break;
		}
		if (e1 != t.n) {
			snprintf(err, errlen,
				 "the audit log is damaged near its end (byte %lld: a line that %s, then more); "
				 "run cbec audit verify",
				 (long long)(t.start + s1), why);
			rc = CBEC_EPARSE;
			goto out;
		}
		if (s1 == 0 && t.start == 0) { /* the only line is the torn one */
			log->size = 0;
			break;
		}
		long s2 = s1 > 0 ? line_start(&t, (size_t)s1 - 1) : -1;
		if (s2 < 0)
			goto grow;
		if (!parse_line(log->md, t.w + s2, (size_t)s1 - 1 - (size_t)s2, &seq, prev, hash, why,
				sizeof why)) {
			snprintf(err, errlen,
				 "the audit log is damaged near its end (byte %lld: the line before the last %s); "
				 "run cbec audit verify",
				 (long long)(t.start + s2), why);
			rc = CBEC_EPARSE;
			goto out;
		}
		log->size = t.start + (off_t)s1;
		log->seq = seq;
		memcpy(log->prev, hash, sizeof hash);
		break;
	grow:
		if (t.start == 0) {
			rc = CBEC_EIO; /* cannot happen: a window from 0 always decides */
			goto out;
		}
		win *= 2;
	}
	info->torn_bytes = (uint64_t)(size - log->size);
	info->last_seq = log->seq;
	if (log->size != size && (ftruncate(log->fd, log->size) != 0 || fsync(log->fd) != 0)) {
		snprintf(err, errlen, "cannot cut the torn last line off the audit log: %s", strerror(errno));
		rc = CBEC_EIO;
	}
out:
	free(t.w);
	return rc;
}

int audit_open(const char *path, struct audit **out, struct audit_open_info *info, char *err,
	       size_t errlen)
{
	struct audit_open_info dummy;
	if (!info)
		info = &dummy;
	memset(info, 0, sizeof *info);
	struct audit *log = calloc(1, sizeof *log);
	if (!log)
		return CBEC_ENOMEM;
	int rc = 0;
	pthread_mutex_init(&log->mu, NULL);
	pthread_cond_init(&log->cv, NULL);
	memcpy(log->prev, zero_hash, sizeof log->prev);
	log->md = EVP_MD_CTX_new();
	if (!log->md) {
		rc = CBEC_ENOMEM;
		goto fail;
	}
	log->fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
	if (log->fd < 0) {
		snprintf(err, errlen, "cannot open the audit log %s: %s", path, strerror(errno));
		rc = CBEC_EIO;
		goto fail;
	}
	/* Two writers would interleave two chains: one server per log. */
	if (flock(log->fd, LOCK_EX | LOCK_NB) != 0) {
		snprintf(err, errlen, "the audit log %s is in use by another process (one server per log: see --audit)",
			 path);
		rc = CBEC_EBUSY;
		goto fail;
	}
	struct stat st;
	if (fstat(log->fd, &st) != 0) {
		snprintf(err, errlen, "cannot stat the audit log %s: %s", path, strerror(errno));
		rc = CBEC_EIO;
		goto fail;
	}
	if (st.st_size > 0 && (rc = find_tail(log, st.st_size, info, err, errlen)) != 0)
		goto fail;
	log->synced = log->seq;
	*out = log;
	return 0;
fail:
	if (log->fd > 0)
		close(log->fd);
	EVP_MD_CTX_free(log->md);
	pthread_cond_destroy(&log->cv);
	pthread_mutex_destroy(&log->mu);
	free(log);
	return rc;
}

int audit_close(struct audit *log)
{
	if (!log)
		return 0;
	pthread_mutex_lock(&log->mu);
	uint64_t last = log->seq;
	pthread_mutex_unlock(&log->mu);
	int rc = audit_sync(log, last);
	if (close(log->fd) != 0 && !rc)
		rc = CBEC_EIO;
	buf_free(&log->pending);
	buf_free(&log->spare);
	EVP_MD_CTX_free(log->md);
	pthread_cond_destroy(&log->cv);
	pthread_mutex_destroy(&log->mu);
	free(log);
	return rc;
}

/* ---- appending ---- */

/* A JSON string of s; bytes that are not UTF-8 become '?' so the record is still written. */
static json_t *jstr(const char *s)
{
	json_t *j = json_string(s);
	if (j)
		return j;
	char *c = strdup(s);
	if (!c)
		return NULL;
	for (unsigned char *p = (unsigned char *)c; *p; p++)
		if (*p >= 0x80)
			*p = '?';
	j = json_string(c);
	free(c);
	return j;
}

static void put_str(json_t *o, const char *key, const char *v)
{
	if (v)
		json_object_set_new(o, key, jstr(v));
}

int audit_append(struct audit *log, const struct audit_event *ev, uint64_t *seq)
{
	/* The event's own fields are serialised outside the lock; seq, time and the chain in. */
	json_t *o = json_object();
	if (!o)
		return CBEC_ENOMEM;
	put_str(o, "actor", ev->actor);
	put_str(o, "role", ev->role);
	put_str(o, "action", ev->action);
	put_str(o, "resource", ev->resource);
	put_str(o, "owner", ev->owner);
	if (ev->status)
		json_object_set_new(o, "status", json_integer(ev->status));
	put_str(o, "code", ev->code);
	put_str(o, "remote", ev->remote);
	char *fields = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!fields)
		return CBEC_ENOMEM;
	size_t fn = strlen(fields);
	/* "{...}" without its braces; "" for an empty event */
	const char *mid = fields + 1;
	size_t mn = fn >= 2 ? fn - 2 : 0;

	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	char when[32];
	audit_format_time((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000, when);

	pthread_mutex_lock(&log->mu);
	int rc = log->err;
	if (rc)
		goto out;
	struct buf *b = &log->pending;
	size_t at = b->n;
	uint64_t s = log->seq + 1;
	buf_printf(b, "{\"seq\":%llu,\"time\":\"%s\"", (unsigned long long)s, when);
	if (mn) {
		buf_putc(b, ',');
		buf_put(b, mid, mn);
	}
	buf_printf(b, ",\"prev\":\"%s\"", log->prev);
	char h[HASH_HEX + 1];
	rc = b->err ? b->err : hash_hex(log->md, log->prev, b->p + at, b->n - at, h);
	if (!rc) {
		buf_printf(b, HASH_KEY "%s\"}\n", h);
		rc = b->err;
	}
	if (rc) {
		/* an allocation failed: leave the buffer as it was */
		b->n = at;
		if (b->p)
			b->p[at] = '\0';
		b->err = 0;
		goto out;
	}
	log->seq = s;
	log->stats.appended++;
	memcpy(log->prev, h, sizeof h);
	if (seq)
		*seq = s;
out:
	pthread_mutex_unlock(&log->mu);
	free(fields);
	return rc;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return CBEC_EIO;
		p += w, n -= (size_t)w;
	}
	return 0;
}

int audit_sync(struct audit *log, uint64_t seq)
{
	pthread_mutex_lock(&log->mu);
	if (seq > log->seq)
		seq = log->seq;
	uint64_t failures = log->failures;
	while (log->synced < seq && !log->err && log->failures == failures) {
		if (log->busy) {
			pthread_cond_wait(&log->cv, &log->mu);
			continue;
		}
		/* This thread syncs for everyone: take everything appended so far. */
		log->busy = true;
		struct buf out = log->pending;
		log->pending = log->spare;
		log->spare = (struct buf)BUF_INIT;
		uint64_t upto = log->seq;
		pthread_mutex_unlock(&log->mu);
		int rc = write_all(log->fd, out.p, out.n);
		if (!rc && fdatasync(log->fd) != 0)
			rc = CBEC_EIO;
		pthread_mutex_lock(&log->mu);
		log->stats.syncs++;
		if (rc) {
			/* Never leave half a line for the next write to continue: the chain would
			 * break there. Cut the file back and keep the lines, ahead of what was
			 * appended since, for the next attempt (a full disk that gets space again
			 * loses nothing); whoever waited on this attempt is told it failed. Only a
			 * file that cannot be cut back refuses everything from now on. */
			if (lseek(log->fd, log->size, SEEK_SET) < 0 || ftruncate(log->fd, log->size) != 0) {
				log->err = rc; /* the open after a restart cuts it off as a torn line */
			} else {
				buf_put(&out, log->pending.p, log->pending.n);
				if (out.err) {
					log->err = CBEC_ENOMEM;
				} else {
					struct buf since = log->pending;
					log->pending = out;
					out = since;
				}
			}
			log->failures++;
			log->stats.failures++;
		} else {
			log->size += (off_t)out.n;
			log->synced = upto;
		}
		buf_reset(&out);
		log->spare = out;
		log->busy = false;
		pthread_cond_broadcast(&log->cv);
	}
	int rc = log->synced >= seq ? 0 : log->err ? log->err : CBEC_EIO;
	pthread_mutex_unlock(&log->mu);
	return rc;
}

void audit_stats(struct audit *log, struct audit_stats *out)
{
	pthread_mutex_lock(&log->mu);
	*out = log->stats;
	pthread_mutex_unlock(&log->mu);
}

int audit_record(struct audit *log, const struct audit_event *ev)
{
	uint64_t seq;
	int rc = audit_append(log, ev, &seq);
	return rc ? rc : audit_sync(log, seq);
}

/* ---- verify ---- */

int audit_verify(const char *path, uint64_t *records, struct audit_problem *p)
{
	memset(p, 0, sizeof *p);
	*records = 0;
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(p->why, sizeof p->why, "cannot open %s: %s", path, strerror(errno));
		return CBEC_EIO;
	}
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	uint64_t lineno = 0, last_seq = 0;
	char prev_hash[HASH_HEX + 1];
	memcpy(prev_hash, zero_hash, sizeof prev_hash);
	int rc = md ? 0 : CBEC_ENOMEM;
	while (!rc && (n = getline(&line, &cap, f)) > 0) {
		lineno++;
		p->line = lineno;
		uint64_t seq;
		char prev[HASH_HEX + 1], hash[HASH_HEX + 1], why[160];
		if (line[n - 1] != '\n') {
			snprintf(p->why, sizeof p->why,
				 "is incomplete, a torn write (cbec serve cuts it off when it next starts)");
			rc = CBEC_EPARSE;
		} else if (!parse_line(md, line, (size_t)n - 1, &seq, prev, hash, why, sizeof why)) {
			snprintf(p->why, sizeof p->why, "%s", why);
			rc = CBEC_EPARSE;
		} else if (strcmp(prev, prev_hash) != 0) {
			if (lineno == 1)
				snprintf(p->why, sizeof p->why,
					 "does not start a chain (its prev is not zero): lines before it are missing");
			else
				snprintf(p->why, sizeof p->why,
					 "does not follow line %llu (its prev is not that line's hash): a line was "
					 "deleted, inserted or moved",
					 (unsigned long long)(lineno - 1));
			rc = CBEC_EPARSE;
		} else if (seq != last_seq + 1) {
			snprintf(p->why, sizeof p->why, "has seq %llu where %llu was expected",
				 (unsigned long long)seq, (unsigned long long)(last_seq + 1));
			rc = CBEC_EPARSE;
		} else {
			last_seq = seq;
			memcpy(prev_hash, hash, sizeof hash);
		}
	}
	if (!rc && ferror(f)) {
		snprintf(p->why, sizeof p->why, "cannot read %s", path);
		rc = CBEC_EIO;
	}
	if (!rc) {
		p->line = 0;
		*records = lineno;
	}
	free(line);
	EVP_MD_CTX_free(md);
	fclose(f);
	return rc;
}
