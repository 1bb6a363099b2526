#include "base/fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

#include "base/err.h"

static void paths(const char *dir, const char *name, char tmp[4096], char fin[4096])
{
	snprintf(tmp, 4096, "%.3000s/.%.255s.tmp", dir, name);
	snprintf(fin, 4096, "%.3000s/%.255s", dir, name);
}

/* The hidden temporary file, synced or not. */
static int write_tmp(const char *tmp, const void *data, size_t len, bool sync)
{
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return CBEC_EIO;
	const char *p = data;
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(fd, p + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			close(fd);
			unlink(tmp);
			return CBEC_EIO;
		}
		off += (size_t)w;
	}
	bool ok = !sync || fsync(fd) == 0;
	if (close(fd) != 0 || !ok) {
		unlink(tmp);
		return CBEC_EIO;
	}
	return 0;
}

int fs_write_atomic(const char *dir, const char *name, const void *data, size_t len)
{
	char tmp[4096], fin[4096];
	paths(dir, name, tmp, fin);
	int rc = write_tmp(tmp, data, len, true);
	if (rc)
		return rc;
	if (rename(tmp, fin) != 0) {
		unlink(tmp);
		return CBEC_EIO;
	}
	/* the rename itself must survive a crash */
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}

int fs_write_hidden(const char *dir, const char *name, const void *data, size_t len)
{
	char tmp[4096], fin[4096];
	paths(dir, name, tmp, fin);
	return write_tmp(tmp, data, len, false);
}

int fs_publish(const char *dir, const char *name)
{
	char tmp[4096], fin[4096];
	paths(dir, name, tmp, fin);
	if (rename(tmp, fin) != 0) {
		unlink(tmp);
		return CBEC_EIO;
	}
	return 0;
}

int fs_sync(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return CBEC_EIO;
	int rc = syncfs(fd) == 0 ? 0 : CBEC_EIO;
	close(fd);
	return rc;
}
