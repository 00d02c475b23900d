/*
 * Whether the /proc the scan reads hides processes from the caller
 * (doc/kernel-facts.md, "Hidden processes"): a proc mount with hidepid=
 * shows a caller only the processes it may trace, unless the caller is
 * in the group gid= names (not with hidepid=ptraceable).  Where some
 * may be hidden, no absence can be claimed: the scan is not complete.
 */
#ifndef IPCINSPECT_PROCHIDE_H
#define IPCINSPECT_PROCHIDE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "procparse.h"

/* What of the caller the kernel's check looks at. */
struct proc_caller {
	bool init_userns;	/* in the initial user namespace */
	bool cap_sys_ptrace;	/* CAP_SYS_PTRACE in the effective set */
	const uint32_t *gids;	/* the effective gid and the supplementary ones */
	size_t ngids;
};

/*
 * Whether a proc mount with options o may hide a process from caller c:
 * false with hidepid off, for CAP_SYS_PTRACE in the initial user
 * namespace, and (but for hidepid=ptraceable) for a member of gid= (a
 * gid of the initial user namespace: only there are ours comparable).
 */
bool prochide_may_hide(const struct proc_mount_opts *o, const struct proc_caller *c);

/*
 * Whether the /proc of procfd (an fd of its root) may hide processes
 * from the caller: NULL when not, else its hidepid= as static text
 * ("hidepid=invisible").  An option that cannot be read counts as hiding
 * ("hidepid=?"); a mount that cannot be found in self/mountinfo as not.
 */
const char *prochide_check(int procfd);

#endif
