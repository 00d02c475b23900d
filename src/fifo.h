/*
 * The object of the kind "fifo" (fifo.c).
 * Private to the kind: its file includes it, and so do its unit tests;
 * generic code reaches an object only through struct ipc_kind.
 */
#ifndef IPCINSPECT_FIFO_H
#define IPCINSPECT_FIFO_H

#include <stdbool.h>
#include <stdint.h>

#include "model.h"

/*
 * A named pipe that some process holds open, keyed by (dev, ino).  ends
 * comes first, so the shared ends_kind_* hooks serve it (owners.h).
 */
struct fifo_obj {
	struct ends ends;
	uint64_t dev, ino;
	char *path;		/* raw bytes: a holder's fd link, or DIR/NAME on disk */
	bool deleted;		/* unlinked: st_nlink == 0 */
	bool self_holds;	/* ipcinspect itself has it open (never one of ends) */
	/* found on disk under a --fifo-dir (held open or not) */
	bool on_disk;
	int dirfd;		/* borrowed: the --fifo-dir as scanned */
	char *name;		/* the entry in that directory */
	uint32_t uid, gid;
	unsigned mode;
	int64_t atime, mtime, ctime;
	long ctime_ns;		/* st_ctim's nanoseconds */
	struct verdict verdict;
};

#endif
