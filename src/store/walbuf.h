/* walbuf: a SQLite VFS over the default one that gathers the writes of the WAL's frames
 * into large writes.
 *
 * SQLite writes each WAL frame as two system calls, its 24-byte header then its page, so a
 * commit of ~2,000 pages made ~4,000 pwrite calls: a fifth of the writer's time went into
 * system-call entry and partial-block handling in the kernel. Here the frames of a WAL file
 * are appended to a buffer in the process (WALBUF_BYTES, 30 frames of 4 KiB) and written when it is
 * full, and at the latest when the page of a commit frame (the frame whose header names the
 * database's size) has been added: that write returns the error of the whole commit's frames, so a
 * commit that could not be written fails as it did before. The buffer is also written before
 * anything that must see the file as SQLite left it: a read, sync, truncation or size of the
 * WAL, the close, and the database's shared-memory barrier and unlocks (the WAL index is
 * published between them). Every other file, and every other call, goes straight to the VFS
 * underneath. The WAL's layout (24-byte frame header, its second word the database size on
 * a commit frame) is SQLite's documented file format. */
#ifndef STORE_WALBUF_H
#define STORE_WALBUF_H

#include <stdint.h>

#define WALBUF_VFS "cbec-walbuf"
/* The buffer: one write of it. SQLite's unix VFS writes at most 128 KiB in one call (it
 * masks a larger amount to its low 17 bits). */
#define WALBUF_BYTES (120 * 1024)

/* Register the VFS (not as the default) over the default one. 0 or a SQLite error code;
 * call once per process (store_sqlite_setup does). */
int walbuf_register(void);

/* The process's counts, for tests and the benchmark. */
struct walbuf_stats {
	uint64_t writes;         /* WAL writes SQLite asked for */
	uint64_t flushes;        /* writes made to the file for them */
	uint64_t commit_flushes; /* of them, at a commit frame's page */
};
void walbuf_stats(struct walbuf_stats *out);

#endif
