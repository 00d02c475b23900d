/*
 * Replacing a file atomically: what `metrics --textfile` and the creators
 * state file (creators.c) write.  A reader sees the old file or the new
 * one, never a part.
 */
#ifndef IPCINSPECT_ATOMICFILE_H
#define IPCINSPECT_ATOMICFILE_H

#include <stddef.h>
#include <sys/types.h>

/* The step that failed, for the caller's words. */
enum atomicfile_step {
	ATOMICFILE_CREATE,	/* the temporary file could not be made */
	ATOMICFILE_WRITE,	/* ... written, synced or given its mode */
	ATOMICFILE_RENAME,	/* ... renamed over the file */
};

/*
 * Writes the len bytes of buf to dir/name through a new file
 * dir/.name.XXXXXX (O_EXCL, made mode then), synced and renamed over
 * dir/name, then syncs dir (a failure of that last step is ignored: the
 * file is in place).  Returns 0, or -errno with *ret_step saying which
 * step failed; dir/name is then as it was, and the temporary file gone.
 */
int atomicfile_write(const char *dir, const char *name, const char *buf, size_t len, mode_t mode,
		     enum atomicfile_step *ret_step);

#endif
