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

#include "unixparse.h"
#include "vec.h"

/*
 * Every Unix socket of this network namespace from a NETLINK_SOCK_DIAG
 * dump, sorted by inode.  Returns 0, or -errno (no sock_diag: the caller
 * may read /proc/net/unix).  Free with unix_diag_free().
 */
int unix_diag_dump(struct vec *ret);

#endif
