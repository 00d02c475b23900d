/*
 * The snapshot model: plain structs for every object read in one run.
 * Collectors fill them, the judge and renderers read them; nothing here
 * touches /proc or the kernel.
 */
#ifndef IPCINSPECT_MODEL_H
#define IPCINSPECT_MODEL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "vec.h"

/* The ipc_perm part every SysV object has; the first member of each. */
struct ipc_common {
	int id;
	uint32_t key;
	unsigned mode;	/* as /proc prints it: permission bits and status flags */
	uint32_t uid, gid, cuid, cgid;
	int64_t ctime;
};

#define IPC_PERM_BITS 0777
#define SHM_MODE_DEST 01000	/* removed, still attached (KERNEL-NOTES 1.3) */
#define SHM_MODE_LOCKED 02000

struct shm_seg {
	struct ipc_common c;
	uint64_t size;
	uint64_t nattch;
	int cpid, lpid;
	int64_t atime, dtime;
	bool has_rss;	/* false on kernels without the rss/swap columns */
	uint64_t rss, swap;
};

struct msg_queue {
	struct ipc_common c;
	uint64_t cbytes;	/* bytes in the queue */
	uint64_t qnum;		/* messages in the queue */
	int lspid, lrpid;
	int64_t stime, rtime;
};

struct sem_one {
	int value;
	int pid;	/* last semop (GETPID) */
	int ncnt;	/* waiting for an increase */
	int zcnt;	/* waiting for zero */
};

struct sem_set {
	struct ipc_common c;
	uint64_t nsems;
	int64_t otime;
	struct sem_one *sems;	/* nsems entries, or NULL: see sems_errno */
	int sems_errno;		/* why sems is NULL (positive errno) */
};

#endif
