/*
 * Hidden processes: see prochide.h.  One fstat of /proc, one read of
 * self/mountinfo; where hidepid= is set, one read of self/status and
 * a stat of self/ns/user.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "prochide.h"
#include "strutils.h"
#include "sysvipc.h"
#include "xalloc.h"

#define CAP_SYS_PTRACE_BIT 19		/* include/uapi/linux/capability.h */
#define INITIAL_USER_NS_INO 4026531837u	/* PROC_USER_INIT_INO */

bool prochide_may_hide(const struct proc_mount_opts *o, const struct proc_caller *c)
{
	size_t i;

	if (o->hidepid == PROC_HIDEPID_OFF)
		return false;
	/* ptrace_may_access(): CAP_SYS_PTRACE over the target's user namespace */
	if (c->init_userns && c->cap_sys_ptrace)
		return false;
	if (o->hidepid == PROC_HIDEPID_PTRACEABLE || !c->init_userns)
		return true;
	for (i = 0; i < c->ngids; i++)	/* in_group_p(gid=) */
		if (c->gids[i] == o->gid)
			return false;
	return true;
}

static const char *hidepid_text(unsigned hidepid)
{
	switch (hidepid) {
	case PROC_HIDEPID_NOACCESS:
		return "hidepid=noaccess";
	case PROC_HIDEPID_INVISIBLE:
		return "hidepid=invisible";
	case PROC_HIDEPID_PTRACEABLE:
		return "hidepid=ptraceable";
	}
	return "hidepid=?";
}

/* The caller as the kernel's check sees it; gids into buf (n entries). */
static void caller_of(int procfd, struct proc_caller *c, uint32_t *buf, size_t n)
{
	_cleanup_free_ char *status = NULL;
	_cleanup_free_ gid_t *groups = xcalloc(n, sizeof(*groups));
	uint64_t caps = 0;
	struct stat st;
	int i, ng;

	c->init_userns = fstatat(procfd, "self/ns/user", &st, 0) == 0 &&
			 st.st_ino == INITIAL_USER_NS_INO;
	c->cap_sys_ptrace = read_whole_file_at(procfd, "self/status", &status, NULL) == 0 &&
			    procparse_status_capeff(status, &caps) == 0 &&
			    (caps & (1ULL << CAP_SYS_PTRACE_BIT));
	buf[0] = (uint32_t)getegid();
	ng = getgroups((int)n - 1, groups);
	for (i = 0; i < ng; i++)
		buf[i + 1] = (uint32_t)groups[i];
	c->gids = buf;
	c->ngids = 1 + (size_t)(ng > 0 ? ng : 0);
}

const char *prochide_check(int procfd)
{
	_cleanup_free_ char *mountinfo = NULL;
	_cleanup_free_ uint32_t *gids = NULL;
	struct proc_mount_opts o;
	struct proc_caller c;
	struct stat st;
	int r, n;

	if (fstat(procfd, &st) < 0 || read_whole_file_at(procfd, "self/mountinfo", &mountinfo, NULL) < 0)
		return NULL;
	r = procparse_mountinfo_proc(mountinfo, major(st.st_dev), minor(st.st_dev), &o);
	if (r == -ENOENT)
		return NULL;
	if (r < 0)
		return "hidepid=?";
	if (o.hidepid == PROC_HIDEPID_OFF)
		return NULL;
	n = getgroups(0, NULL);
	n = (n > 0 ? n : 0) + 1;
	gids = xcalloc((size_t)n, sizeof(*gids));
	caller_of(procfd, &c, gids, (size_t)n);
	return prochide_may_hide(&o, &c) ? hidepid_text(o.hidepid) : NULL;
}
