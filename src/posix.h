/*
 * The object of the kinds "pshm", "psem" and "pmq" (posix.c).
 * Private to the kind: its file includes it, and so do its unit tests;
 * generic code reaches an object only through struct ipc_kind.
 */
#ifndef IPCINSPECT_POSIX_H
#define IPCINSPECT_POSIX_H

#include <stdbool.h>
#include <stdint.h>

#include "model.h"

/*
 * A POSIX IPC object (doc/kernel-facts.md, "POSIX objects"): a file in /dev/shm (shared
 * memory, or a named semaphore sem.NAME) or in the mqueue file system.
 */
struct posix_obj {
	uint64_t dev, ino;
	char *name;		/* raw: as given to *_open, without "/" (and "sem.") */
	char *path;		/* raw: DIR/ENTRY */
	char *entry;		/* the entry in dirfd */
	int dirfd;		/* borrowed: the directory as read */
	uint64_t size;
	uint32_t uid, gid;
	unsigned mode;
	int64_t atime, mtime, ctime;
	long ctime_ns;		/* st_ctim's nanoseconds */
	bool has_value;		/* psem: a 32-byte sem_t could be read */
	uint32_t value, waiters;
	bool has_qsize;		/* pmq: the queue's status line was read */
	uint64_t used_bytes;
	int notify_pid;		/* pmq: 0 when nobody is registered */
	const struct proc_facts *notifier;	/* notify_pid, alive */
	bool exhaustive;	/* holders is everyone: the scan read every process */
	struct holder *holders;	/* fds (fd >= 0) and mappings (fd -1) */
	size_t nholders;
	bool self_holds;	/* ipcinspect itself has it open (never one of holders) */
	struct verdict verdict;
};

#endif
