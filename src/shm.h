/*
 * The object of the kind "shm" (shm.c): one System V shared memory segment.
 * Private to the kind: its files include it, and so do its unit tests;
 * generic code reaches an object only through struct ipc_kind.
 */
#ifndef IPCINSPECT_SHM_H
#define IPCINSPECT_SHM_H

#include <stdbool.h>
#include <stdint.h>

#include "model.h"

#define SHM_MODE_DEST 01000	/* removed, still attached (doc/kernel-facts.md, "Removed segments") */
#define SHM_MODE_LOCKED 02000

struct shm_seg {
	struct ipc_common c;
	uint64_t size;
	uint64_t nattch;
	int cpid, lpid;
	int64_t atime, dtime;
	bool has_rss;	/* false on kernels without the rss/swap columns */
	uint64_t rss, swap;
	struct actor creator, last;	/* cpid, lpid judged */
	bool exhaustive;		/* attached is every process mapping it */
	struct holder *attached;	/* processes of the same IPC namespace */
	size_t nattached;
	struct verdict verdict;
};

struct act_outcome;
struct act_req;
struct kind_backup;
struct obj_ident;

/*
 * The act phase (shm-act.c), shared with shm.c only for its struct
 * ipc_kind: the remove and identify hooks (kind.h says what they do)
 * and the backup hooks.
 */
void shm_remove(const void *obj, const struct act_req *req, struct act_outcome *ret);
void shm_identify(const void *obj, struct obj_ident *ret);
extern const struct kind_backup shm_backup;

#endif
