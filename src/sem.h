/*
 * The object of the kind "sem" (sem.c): one System V semaphore set.
 * Private to the kind: its file includes it, and so do its unit tests;
 * generic code reaches an object only through struct ipc_kind.
 */
#ifndef IPCINSPECT_SEM_H
#define IPCINSPECT_SEM_H

#include <stdbool.h>
#include <stdint.h>

#include "model.h"

struct sem_one {
	int value;
	int pid;	/* last semop (GETPID) */
	int ncnt;	/* waiting for an increase */
	int zcnt;	/* waiting for zero */
	struct actor last;	/* pid judged */
};

struct sem_set {
	struct ipc_common c;
	uint64_t nsems;
	int64_t otime;
	struct sem_one *sems;	/* nsems entries, or NULL: see sems_errno */
	int sems_errno;		/* why sems is NULL (positive errno) */
	struct verdict verdict;
};

#endif
