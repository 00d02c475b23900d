/*
 * The kernel's descriptions of Unix sockets, parsed: NETLINK_SOCK_DIAG
 * reply messages and /proc/net/unix text.  Pure functions over bytes
 * already read (the socket and the file are unixsock.c's), so each is
 * unit-tested and fuzzed alone (tests/fuzz-sockdiag.c, fuzz-netunix.c).
 */
#ifndef IPCINSPECT_UNIXPARSE_H
#define IPCINSPECT_UNIXPARSE_H

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
 * Parses one recv() of a sock_diag unix dump: len bytes of netlink
 * messages at buf (aligned as recv's buffer is), appending one entry per
 * SOCK_DIAG_BY_FAMILY message to ret (a vec of struct unix_diag_entry).
 * Sets *ret_done at NLMSG_DONE (what follows it is not read).  Returns 0,
 * or the negative errno of an NLMSG_ERROR message (-EIO for a bad one).
 */
int unix_parse_diag_reply(const void *buf, size_t len, struct vec *ret, bool *ret_done);

/*
 * Parses /proc/net/unix text ("Num RefCount Protocol Flags Type St Inode
 * Path", a header line first), appending one entry per good line to ret;
 * other lines are skipped.  No peers and no bound inode: that file does
 * not say.
 */
void unix_parse_net_unix(const char *text, struct vec *ret);

/* Frees every entry's name and empties sockets. */
void unix_diag_free(struct vec *sockets);

#endif
