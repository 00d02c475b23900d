/*
 * The kernel's Unix sockets of this network namespace, for the kind
 * "unix" (unixsock.c) and for act.c's re-check before a socket file is
 * removed.
 */
#ifndef IPCINSPECT_UNIXSOCK_H
#define IPCINSPECT_UNIXSOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vec.h"

/* One socket as NETLINK_SOCK_DIAG (or /proc/net/unix) describes it. */
struct unix_diag_entry {
	uint64_t ino;
	unsigned char type, state;
	char *name;		/* raw: a path, or "@" and the abstract name; owned */
	size_t namelen;		/* abstract names may hold NUL bytes */
	bool has_vfs;		/* bound to a file: its (dev, ino) as st_dev gives it */
	uint64_t vfs_dev, vfs_ino;
	uint64_t peer;		/* peer inode, 0 for none */
};

/*
 * Every Unix socket of this network namespace from a NETLINK_SOCK_DIAG
 * dump, sorted by inode.  Returns 0, or -errno (no sock_diag: the caller
 * may read /proc/net/unix).  Free with unix_diag_free().
 */
int unix_diag_dump(struct vec *ret);
void unix_diag_free(struct vec *sockets);

#endif
