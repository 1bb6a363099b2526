#include "base/fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "base/err.h"

int fs_write_atomic(const char *dir, const char *name, const void *data, size_t len)
{
	char tmp[4096], fin[4096];
	snprintf(tmp, sizeof tmp, "%.3000s/.%.255s.tmp", dir, name);
	snprintf(fin, sizeof fin, "%.3000s/%.255s", dir, name);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
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
	if (fsync(fd) != 0) {
		close(fd);
		unlink(tmp);
		return CBEC_EIO;
	}
	if (close(fd) != 0 || rename(tmp, fin) != 0) {
		unlink(tmp);
		return CBEC_EIO;
	}
	/* the rename itself must survive a crash */
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}
