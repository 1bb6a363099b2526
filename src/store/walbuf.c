/* walbuf: the WAL's frame writes gathered into large writes (see walbuf.h). One file object
 * belongs to one connection, and a connection to one thread, so nothing here is locked but
 * the counts. */
#include "store/walbuf.h"

#include <sqlite3.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define FRAME_HDR 24 /* a WAL frame's header; the WAL file's own header is 32 bytes */

struct wfile {
	sqlite3_file base;  /* pMethods: ours */
	sqlite3_file *real; /* the VFS underneath's file, in the same allocation, after this */
	bool is_wal;
	bool commit_pending; /* the last write was the header of a commit frame */
	struct wfile *wal;   /* a database file: its connection's WAL file, while open */
	struct wfile *db;    /* a WAL file: its database file, while open */
	unsigned char *buf;  /* a WAL file: frames not written yet, from offset `off` */
	sqlite3_int64 off;
	int len;
};

#define REAL_AT ((sizeof(struct wfile) + 7) & ~(size_t)7)

static sqlite3_vfs *under;
static sqlite3_vfs vfs;
static sqlite3_io_methods methods[3]; /* iVersion 1, 2, 3: as the file underneath has */
static _Atomic uint64_t n_writes, n_flushes, n_commit_flushes;

static bool ours(const sqlite3_file *f)
{
	return f && f->pMethods >= methods && f->pMethods < methods + 3;
}

/* Write what the buffer holds. The buffer is emptied even when the write fails: SQLite takes
 * the error as the failure of the writes it made since, and writes those frames again, if at
 * all, at offsets it chooses anew. */
static int flush(struct wfile *p)
{
	if (!p->len)
		return SQLITE_OK;
	int rc = p->real->pMethods->xWrite(p->real, p->buf, p->len, p->off);
	p->len = 0;
	atomic_fetch_add_explicit(&n_flushes, 1, memory_order_relaxed);
	return rc;
}

static int w_close(sqlite3_file *f)
{
	struct wfile *p = (struct wfile *)f;
	int rc = flush(p);
	if (p->db && p->db->wal == p)
		p->db->wal = NULL;
	if (p->wal && p->wal->db == p)
		p->wal->db = NULL;
	int rc2 = p->real->pMethods ? p->real->pMethods->xClose(p->real) : SQLITE_OK;
	free(p->buf);
	p->buf = NULL;
	return rc ? rc : rc2;
}

static int w_read(sqlite3_file *f, void *z, int amt, sqlite3_int64 off)
{
	struct wfile *p = (struct wfile *)f;
	/* a read of what is still in the buffer must find it in the file */
	if (p->len && off < p->off + p->len && off + amt > p->off) {
		int rc = flush(p);
		if (rc)
			return rc;
	}
	return p->real->pMethods->xRead(p->real, z, amt, off);
}

/* Appends to the buffer when the write continues it (it always does within a commit: frames
 * go at the end of the log), overwrites in place a frame SQLite writes again within the
 * buffer, and otherwise writes what the buffer holds first. */
static int buffer_write(struct wfile *p, const void *z, int amt, sqlite3_int64 off)
{
	if (p->len && off >= p->off && off + amt <= p->off + p->len) {
		memcpy(p->buf + (off - p->off), z, (size_t)amt);
		return SQLITE_OK;
	}
	if (p->len && (off != p->off + p->len || p->len + amt > WALBUF_BYTES)) {
		int rc = flush(p);
		if (rc)
			return rc;
	}
	if (!p->buf)
		p->buf = malloc(WALBUF_BYTES);
	if (!p->buf || amt > WALBUF_BYTES) { /* no memory for it: write it as SQLite did */
		atomic_fetch_add_explicit(&n_flushes, 1, memory_order_relaxed);
		return p->real->pMethods->xWrite(p->real, z, amt, off);
	}
	if (!p->len)
		p->off = off;
	memcpy(p->buf + p->len, z, (size_t)amt);
	p->len += amt;
	return SQLITE_OK;
}

static int w_write(sqlite3_file *f, const void *z, int amt, sqlite3_int64 off)
{
	struct wfile *p = (struct wfile *)f;
	if (!p->is_wal)
		return p->real->pMethods->xWrite(p->real, z, amt, off);
	atomic_fetch_add_explicit(&n_writes, 1, memory_order_relaxed);
	int rc = buffer_write(p, z, amt, off);
	if (rc)
		return rc;
	/* The page after a commit frame's header ends the commit's frames: they are written
	 * now, and this write reports whether they could be, before SQLite publishes them in the
	 * WAL index (the second word of a frame header is the database's size in pages on a
	 * commit frame, 0 on any other). */
	if (p->commit_pending) {
		p->commit_pending = false;
		atomic_fetch_add_explicit(&n_commit_flushes, 1, memory_order_relaxed);
		rc = flush(p);
	}
	if (amt == FRAME_HDR) {
		const unsigned char *h = z;
		p->commit_pending = (h[4] | h[5] | h[6] | h[7]) != 0;
	}
	return rc;
}

static int w_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	struct wfile *p = (struct wfile *)f;
	int rc = flush(p);
	return rc ? rc : p->real->pMethods->xTruncate(p->real, size);
}

static int w_sync(sqlite3_file *f, int flags)
{
	struct wfile *p = (struct wfile *)f;
	int rc = flush(p);
	return rc ? rc : p->real->pMethods->xSync(p->real, flags);
}

static int w_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
	struct wfile *p = (struct wfile *)f;
	int rc = flush(p);
	return rc ? rc : p->real->pMethods->xFileSize(p->real, size);
}

static int w_lock(sqlite3_file *f, int lock)
{
	sqlite3_file *r = ((struct wfile *)f)->real;
	return r->pMethods->xLock(r, lock);
}

static int w_unlock(sqlite3_file *f, int lock)
{
	sqlite3_file *r = ((struct wfile *)f)->real;
	return r->pMethods->xUnlock(r, lock);
}

static int w_check_reserved(sqlite3_file *f, int *out)
{
	sqlite3_file *r = ((struct wfile *)f)->real;
	return r->pMethods->xCheckReservedLock(r, out);
}

static int w_file_control(sqlite3_file *f, int op, void *arg)
{
	sqlite3_file *r = ((struct wfile *)f)->real;
	return r->pMethods->xFileControl(r, op, arg);
}

static int w_sector_size(sqlite3_file *f)
{
	sqlite3_file *r = ((struct wfile *)f)->real;
	return r->pMethods->xSectorSize(r);
}

static int w_device(sqlite3_file *f)
{
	sqlite3_file *r = ((struct wfile *)f)->real;
	return r->pMethods->xDeviceCharacteristics(r);
}

static int w_shm_map(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **pp)
{
	sqlite3_file *r = ((struct wfile *)f)->real;
	return r->pMethods->xShmMap(r, pg, pgsz, extend, pp);
}

/* The WAL index is published between shared-memory barriers and before the write lock is
 * let go: the WAL's frames are in the file by then, whichever way SQLite got there (the
 * commit frame's write, above, has normally written them already and reported any error). */
static int w_shm_lock(sqlite3_file *f, int ofs, int n, int flags)
{
	struct wfile *p = (struct wfile *)f;
	if ((flags & SQLITE_SHM_UNLOCK) && p->wal)
		flush(p->wal);
	return p->real->pMethods->xShmLock(p->real, ofs, n, flags);
}

static void w_shm_barrier(sqlite3_file *f)
{
	struct wfile *p = (struct wfile *)f;
	if (p->wal)
		flush(p->wal);
	p->real->pMethods->xShmBarrier(p->real);
}

static int w_shm_unmap(sqlite3_file *f, int del)
{
	sqlite3_file *r = ((struct wfile *)f)->real;
	return r->pMethods->xShmUnmap(r, del);
}

static int w_fetch(sqlite3_file *f, sqlite3_int64 off, int amt, void **pp)
{
	sqlite3_file *r = ((struct wfile *)f)->real;
	return r->pMethods->xFetch(r, off, amt, pp);
}

static int w_unfetch(sqlite3_file *f, sqlite3_int64 off, void *pp)
{
	sqlite3_file *r = ((struct wfile *)f)->real;
	return r->pMethods->xUnfetch(r, off, pp);
}

static int v_open(sqlite3_vfs *v, const char *name, sqlite3_file *f, int flags, int *out_flags)
{
	struct wfile *p = (struct wfile *)f;
	memset(p, 0, sizeof *p);
	p->real = (sqlite3_file *)((char *)p + REAL_AT);
	int rc = under->xOpen(under, name, p->real, flags, out_flags);
	/* SQLite closes a file whose methods are set even when the open failed */
	if (p->real->pMethods) {
		int ver = p->real->pMethods->iVersion;
		p->base.pMethods = &methods[(ver < 1 ? 1 : ver > 3 ? 3 : ver) - 1];
	}
	if (rc == SQLITE_OK && (flags & SQLITE_OPEN_WAL)) {
		p->is_wal = true;
		sqlite3_file *db = sqlite3_database_file_object(name);
		if (ours(db)) {
			p->db = (struct wfile *)db;
			p->db->wal = p;
		}
	}
	return rc;
}

static int v_delete(sqlite3_vfs *v, const char *name, int sync_dir)
{
	return under->xDelete(under, name, sync_dir);
}

static int v_access(sqlite3_vfs *v, const char *name, int flags, int *out)
{
	return under->xAccess(under, name, flags, out);
}

static int v_full_pathname(sqlite3_vfs *v, const char *name, int n, char *out)
{
	return under->xFullPathname(under, name, n, out);
}

static void *v_dlopen(sqlite3_vfs *v, const char *name)
{
	return under->xDlOpen(under, name);
}

static void v_dlerror(sqlite3_vfs *v, int n, char *msg)
{
	under->xDlError(under, n, msg);
}

static void (*v_dlsym(sqlite3_vfs *v, void *h, const char *sym))(void)
{
	return under->xDlSym(under, h, sym);
}

static void v_dlclose(sqlite3_vfs *v, void *h)
{
	under->xDlClose(under, h);
}

static int v_randomness(sqlite3_vfs *v, int n, char *out)
{
	return under->xRandomness(under, n, out);
}

static int v_sleep(sqlite3_vfs *v, int us)
{
	return under->xSleep(under, us);
}

static int v_current_time(sqlite3_vfs *v, double *t)
{
	return under->xCurrentTime(under, t);
}

static int v_last_error(sqlite3_vfs *v, int n, char *msg)
{
	return under->xGetLastError ? under->xGetLastError(under, n, msg) : 0;
}

static int v_current_time64(sqlite3_vfs *v, sqlite3_int64 *t)
{
	return under->xCurrentTimeInt64(under, t);
}

int walbuf_register(void)
{
	if (sqlite3_vfs_find(WALBUF_VFS))
		return SQLITE_OK;
	under = sqlite3_vfs_find(NULL);
	if (!under)
		return SQLITE_ERROR;
	for (int i = 0; i < 3; i++)
		methods[i] = (sqlite3_io_methods){
		    .iVersion = i + 1,
		    .xClose = w_close,
		    .xRead = w_read,
		    .xWrite = w_write,
		    .xTruncate = w_truncate,
		    .xSync = w_sync,
		    .xFileSize = w_file_size,
		    .xLock = w_lock,
		    .xUnlock = w_unlock,
		    .xCheckReservedLock = w_check_reserved,
		    .xFileControl = w_file_control,
		    .xSectorSize = w_sector_size,
		    .xDeviceCharacteristics = w_device,
		    .xShmMap = w_shm_map,
		    .xShmLock = w_shm_lock,
		    .xShmBarrier = w_shm_barrier,
		    .xShmUnmap = w_shm_unmap,
		    .xFetch = w_fetch,
		    .xUnfetch = w_unfetch,
		};
	vfs = (sqlite3_vfs){
	    .iVersion = under->iVersion < 2 ? 1 : 2,
	    .szOsFile = (int)(REAL_AT + (size_t)under->szOsFile),
	    .mxPathname = under->mxPathname,
	    .zName = WALBUF_VFS,
	    .xOpen = v_open,
	    .xDelete = v_delete,
	    .xAccess = v_access,
	    .xFullPathname = v_full_pathname,
	    .xDlOpen = v_dlopen,
	    .xDlError = v_dlerror,
	    .xDlSym = v_dlsym,
	    .xDlClose = v_dlclose,
	    .xRandomness = v_randomness,
	    .xSleep = v_sleep,
	    .xCurrentTime = v_current_time,
	    .xGetLastError = v_last_error,
	    .xCurrentTimeInt64 = v_current_time64,
	};
	return sqlite3_vfs_register(&vfs, 0);
}

void walbuf_stats(struct walbuf_stats *out)
{
	out->writes = atomic_load_explicit(&n_writes, memory_order_relaxed);
	out->flushes = atomic_load_explicit(&n_flushes, memory_order_relaxed);
	out->commit_flushes = atomic_load_explicit(&n_commit_flushes, memory_order_relaxed);
}
