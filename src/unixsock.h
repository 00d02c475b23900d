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

#include "model.h"
#include "unixparse.h"
#include "vec.h"

/*
 * Every Unix socket of this network namespace from a NETLINK_SOCK_DIAG
 * dump, sorted by inode.  Returns 0, or -errno (no sock_diag: the caller
 * may read /proc/net/unix).  Free with unix_diag_free().
 */
int unix_diag_dump(struct vec *ret);

/*
 * A Unix domain socket some process holds (ino != 0), or a socket file
 * under a --socket-dir that no socket is bound to (ino 0, on_disk).
 */
struct unix_obj {
	uint64_t ino;
	unsigned char type;	/* SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET; 0 unknown */
	unsigned char state;	/* TCP_LISTEN, TCP_ESTABLISHED, ... as sock_diag says */
	char *path;		/* raw: a path, or "@" and an abstract name; NULL unbound */
	size_t pathlen;		/* an abstract name may hold NUL bytes */
	bool has_vfs;		/* bound to a file: its (dev, ino) */
	uint64_t vfs_dev, vfs_ino;
	bool peers_known;	/* from sock_diag; /proc/net/unix has no peers */
	uint64_t peer_ino;	/* 0: no peer */
	bool stale;		/* listening, and its path no longer names it */
	bool on_disk;		/* found as a file under a --socket-dir */
	int dirfd;		/* borrowed: that directory */
	char *name;		/* the entry in it */
	uint32_t uid;		/* on_disk: the file's owner */
	int64_t mtime, ctime;
	bool exhaustive;	/* holders is everyone */
	struct holder *holders, *peer_holders;
	size_t nholders, npeer_holders;
	struct verdict verdict;
};

#endif
