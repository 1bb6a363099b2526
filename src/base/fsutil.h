/* Small file-system helpers shared by the exchange folder and the DXP customs link. */
#ifndef CBEC_FSUTIL_H
#define CBEC_FSUTIL_H

#include <stddef.h>

/* Write dir/name so that readers never see a partial file: a hidden temporary file, fsync,
 * rename, fsync of the folder. 0 or CBEC_EIO. */
int fs_write_atomic(const char *dir, const char *name, const void *data, size_t len);

#endif
