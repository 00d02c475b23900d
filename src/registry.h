/*
 * The registry: every kind `list` can show, one line each, in the order
 * of its output.  X(ID, name) gives enum kind_id its KIND_ID and names
 * the kind's struct, name_kind, defined in the kind's own file (kind.h
 * and registry.c expand this list; nothing else names a kind).  The
 * process scan offers fd links to the kinds' claims in this order, so a
 * kind whose claim is a narrower case of another's comes first.
 */
#ifndef IPCINSPECT_REGISTRY_H
#define IPCINSPECT_REGISTRY_H

#define IPC_KINDS(X) \
	X(SHM, shm) \
	X(MSG, msg) \
	X(SEM, sem) \
	X(FIFO, fifo) \
	X(PIPE, pipe) \
	X(PSHM, pshm) \
	X(PSEM, psem) \
	X(PMQ, pmq) \
	X(UNIX, unix) \
	X(MEMFD, memfd) \
	/* a new kind: one line above this one */

#endif
