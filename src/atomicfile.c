/*
 * Replacing a file atomically: see atomicfile.h.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"
#include "xalloc.h"

/* Writes, syncs, sets the mode of and closes fd.  Returns 0 or -errno. */
static int fill(int fd, const char *buf, size_t len, mode_t mode)
{
	size_t done = 0;
	int r = 0;

	while (r == 0 && done < len) {
		ssize_t w = write(fd, buf + done, len - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			r = -errno;
		else
			done += (size_t)w;
	}
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	/* mkostemp made it 0600 */
	if (r == 0 && fchmod(fd, mode) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	return r;
}

int atomicfile_write(const char *dir, const char *name, const char *buf, size_t len, mode_t mode,
		     enum atomicfile_step *ret_step)
{
	_cleanup_free_ char *tmp = xasprintf("%s/.%s.XXXXXX", dir, name);
	_cleanup_free_ char *final = xasprintf("%s/%s", dir, name);
	int fd, dfd, r;

	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		*ret_step = ATOMICFILE_CREATE;
		return -errno;
	}
	r = fill(fd, buf, len, mode);
	if (r < 0) {
		*ret_step = ATOMICFILE_WRITE;
		unlink(tmp);
		return r;
	}
	if (rename(tmp, final) < 0) {
		r = -errno;
		*ret_step = ATOMICFILE_RENAME;
		unlink(tmp);
		return r;
	}
	/*
	 * The rename itself, durable.  A failure here is not the caller's:
	 * the new file is in place for every reader already, only its
	 * surviving a power loss is at stake, and a file system whose
	 * directories cannot be synced (EINVAL) would fail every write.
	 */
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
	return 0;
}
