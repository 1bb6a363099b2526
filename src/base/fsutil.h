/* Small file-system helpers shared by the exchange folder and the DXP customs link. */
#ifndef CBEC_FSUTIL_H
#define CBEC_FSUTIL_H

#include <stddef.h>

/* Write dir/name so that readers never see a partial file: a hidden temporary file, fsync,
 * rename, fsync of the folder. 0 or CBEC_EIO. */
int fs_write_atomic(const char *dir, const char *name, const void *data, size_t len);

/* The same for a group of files with two syncs in all instead of two a file: fs_write_hidden
 * writes each one's hidden temporary file, unsynced; fs_sync makes them all durable;
 * fs_publish renames each into place (readers see whole files only: their data is on disk
 * before their name); a second fs_sync makes the names durable. 0 or CBEC_EIO. */
int fs_write_hidden(const char *dir, const char *name, const void *data, size_t len);
int fs_publish(const char *dir, const char *name);
/* Everything written to the file system that holds the folder `path`, durable on return
 * (syncfs: one journal commit and cache flush for all of it). */
int fs_sync(const char *path);

#endif
