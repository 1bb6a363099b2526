/* The audit log: an append-only file of who submitted what and who read whose data, one JSON
 * line per event, each line chained to the one before by SHA-256 so that a changed, deleted,
 * inserted or reordered line is detected (`cbec audit verify`).
 *
 * A line is {"seq":N,"time":"…Z","actor":…,"role":…,"action":…,"resource":…,"owner":…,
 * "status":…,"code":…,"remote":…,"prev":"HEX","hash":"HEX"} (absent fields left out);
 * hash = SHA-256(prev || the line's text before ",\"hash\":"), prev = the previous line's
 * hash (64 zeros for the first line).
 *
 * Appends are buffered in memory and written by audit_sync, which also makes them durable:
 * whoever syncs first writes and fdatasyncs everything appended so far, the others wait for
 * it, so a burst of submissions costs one fdatasync. All calls are thread-safe. */
#ifndef AUDIT_AUDIT_H
#define AUDIT_AUDIT_H

#include <stddef.h>
#include <stdint.h>

/* One event. Every string is borrowed for the call; NULL leaves the field out. */
struct audit_event {
	const char *actor;    /* account code, "exchange", or NULL when not authenticated */
	const char *role;     /* "enterprise", "regulator", "exchange" */
	const char *action;   /* AUDIT_SUBMIT, AUDIT_READ, AUDIT_AUTH_FAILED, AUDIT_FORBIDDEN */
	const char *resource; /* "CEB311 GUID" for a submission; the path and query for a read */
	const char *owner;    /* the enterprise whose data it is, when known */
	int status;           /* HTTP status (the exchange folder: 200, 400 or 503); 0 none */
	const char *code;     /* a submission's receipt returnStatus(es), e.g. "2" or "3,100" */
	const char *remote;   /* the peer's address */
};

#define AUDIT_SUBMIT "submit"
#define AUDIT_READ "read"
#define AUDIT_AUTH_FAILED "auth-failed"
#define AUDIT_FORBIDDEN "forbidden"

/* What audit_open found. */
struct audit_open_info {
	uint64_t last_seq;   /* seq of the last good record (0: empty log) */
	uint64_t torn_bytes; /* bytes of a torn last line cut off (a crash mid-write), or 0 */
};

struct audit;

/* Open (or create) the log at path and continue its chain. A torn last line is truncated
 * and counted in info. Only the last records are read: the whole chain is checked by
 * audit_verify. The file is locked (flock) while open. 0; CBEC_EIO (cannot open, read or
 * truncate); CBEC_EBUSY (another process has it open); CBEC_EPARSE (the end of the file is
 * not a torn line but damage: err says where). */
int audit_open(const char *path, struct audit **out, struct audit_open_info *info, char *err,
	       size_t errlen);
/* Write and sync what is still buffered, close, free. NULL is a no-op. */
int audit_close(struct audit *log);

/* Give the event the next seq (in *seq when not NULL) and buffer its line. 0, CBEC_ENOMEM,
 * or CBEC_EIO when an earlier write failed (the log accepts nothing after that). */
int audit_append(struct audit *log, const struct audit_event *ev, uint64_t *seq);
/* Return once every record up to seq is written and fdatasync'd (group sync). 0 or CBEC_EIO. */
int audit_sync(struct audit *log, uint64_t seq);
/* Append, then sync it: the event is on disk when this returns 0. */
int audit_record(struct audit *log, const struct audit_event *ev);

/* Records appended and fdatasyncs done since open (to see the group sync at work). */
struct audit_stats {
	uint64_t appended, syncs;
	uint64_t failures; /* writes that failed (full disk): their lines are kept and written later */
};
void audit_stats(struct audit *log, struct audit_stats *out);

/* The first problem found by audit_verify. */
struct audit_problem {
	uint64_t line; /* 1-based line number; 0 when the file cannot be read */
	char why[256];
};

/* Check the whole chain of the file at path. 0 intact (*records = lines read);
 * CBEC_EPARSE broken (p says the first bad line and why); CBEC_EIO cannot read. */
int audit_verify(const char *path, uint64_t *records, struct audit_problem *p);

/* "2026-11-24T08:20:32.123Z" from milliseconds since the epoch. */
void audit_format_time(int64_t ms, char out[32]);
/* Milliseconds since the epoch from "YYYY-MM-DD[THH:MM[:SS[.mmm]]][Z]" (UTC).
 * 0 or CBEC_EINVAL. */
int audit_parse_time(const char *s, int64_t *ms);

#endif
