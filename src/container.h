/*
 * --container ID|NAME: the IPC namespace of one container, found in the
 * cgroups of the running processes (cgroup.h).  A process matches when
 * its container id starts with ID (4 to 64 hex digits), or when its
 * container name (LXC, nspawn) or its systemd unit equals NAME.
 */
#ifndef IPCINSPECT_CONTAINER_H
#define IPCINSPECT_CONTAINER_H

#include <stdint.h>

#include "cgroup.h"

/* The shortest id prefix taken as one */
#define CONTAINER_MIN_PREFIX 4

struct container_match {
	int pid;		/* the lowest pid that matched */
	uint64_t ipc_ns;	/* its IPC namespace */
	char what[CGROUP_NAME_MAX + 16];	/* the container ("docker:0123456789ab") or unit */
	/* a refusal: a second container, or a second namespace of the same one */
	char other[CGROUP_NAME_MAX + 16];
	uint64_t other_ns;
};

/*
 * Finds what arg names among the processes of /proc (procfd).  Returns 0
 * with *ret filled; -ENOENT when nothing matches; -ENOTUNIQ when it
 * matches two containers (what and other name them); -EXDEV when the
 * processes matched are in two IPC namespaces (ipc_ns and other_ns).
 */
int container_find(int procfd, const char *arg, struct container_match *ret);

#endif
