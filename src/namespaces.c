/*
 * IPC namespaces other than our own: --namespace PID enters one before
 * anything is read, --all-namespaces reads every one some process is in
 * (found by the process scan's /proc/PID/ns/ipc) by entering each with
 * setns and coming back.  What belongs to an IPC namespace is read inside
 * it: the SysV objects (/proc/sysvipc is opened there, semctl runs
 * there), the limits, and its message queues through the mqueue mount
 * that a process of it sees, and the POSIX files of the /dev/shm it sees
 * when that is not ours, both opened under that process's root
 * (/proc/PID/root) so that nothing leads out of it (doc/kernel-facts.md,
 * "Another mount namespace's files").  Attachments and holders are then
 * matched within that namespace only (doc/kernel-facts.md, "Segment
 * mappings").
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <dirent.h>
#include <mqueue.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "act.h"
#include "facts.h"
#include "namespaces.h"
#include "owners.h"
#include "procparse.h"
#include "procscan.h"
#include "sysvipc.h"
#include "xalloc.h"

int ns_pin(int pid, unsigned long long start, char **ret_why)
{
	_cleanup_free_ char *text = NULL;
	unsigned long long now;
	char path[32];
	int fd, r;

	snprintf(path, sizeof(path), "/proc/%d", pid);
	fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		*ret_why = r == -ENOENT ? xasprintf("no process %d", pid)
					: xasprintf("/proc/%d: %s", pid, strerror(-r));
		return r;
	}
	if (!start)
		return fd;
	/* the process the caller saw, or one that took its pid since */
	r = read_whole_file_at(fd, "stat", &text, NULL);
	if (r == 0 && procparse_stat_start(text, &now) == 0 && now == start)
		return fd;
	close(fd);
	*ret_why = r == 0 || r == -ENOENT || r == -ESRCH ? xasprintf("process %d has exited", pid)
					  : xasprintf("/proc/%d/stat: %s", pid, strerror(-r));
	return r < 0 ? r : -ESRCH;
}

/*
 * The fd of the IPC namespace of the process pinned by piddir, checked
 * against want (0: any).  The fd is the namespace itself, so what is
 * compared is what setns would enter.
 */
static int open_ipc_ns(int piddir, int pid, uint64_t want, char **ret_why)
{
	struct stat st;
	int fd = openat(piddir, "ns/ipc", O_RDONLY | O_CLOEXEC), r;

	if (fd < 0) {
		r = -errno;
		*ret_why = r == -ENOENT || r == -ESRCH ? xasprintf("process %d has exited", pid) :
			   r == -EACCES || r == -EPERM ?
			   xasprintf("entering the IPC namespace of process %d needs root "
				     "(CAP_SYS_ADMIN)", pid) :
			   xasprintf("/proc/%d/ns/ipc: %s", pid, strerror(-r));
		return r;
	}
	if (fstat(fd, &st) < 0) {
		r = -errno;
		close(fd);
		*ret_why = xasprintf("/proc/%d/ns/ipc: %s", pid, strerror(-r));
		return r;
	}
	if (want && (uint64_t)st.st_ino != want) {
		close(fd);
		*ret_why = xasprintf("process %d is no longer in IPC namespace %" PRIu64
				     " (now %" PRIu64 ")", pid, want, (uint64_t)st.st_ino);
		return -ESTALE;
	}
	return fd;
}

int ns_enter(int piddir, int pid, uint64_t want, char **ret_why)
{
	int fd = open_ipc_ns(piddir, pid, want, ret_why), r = 0;

	if (fd < 0)
		return fd;
	if (setns(fd, CLONE_NEWIPC) < 0) {
		r = -errno;
		*ret_why = r == -EPERM ? xasprintf("entering the IPC namespace of process %d needs "
						   "root (CAP_SYS_ADMIN)", pid)
				       : xasprintf("setns: %s", strerror(-r));
	}
	close(fd);
	return r;
}

char *ns_root_path(int pid, const char *path)
{
	return pid ? xasprintf("/proc/%d/root%s", pid, path) : xstrdup(path);
}

#ifndef MQUEUE_MAGIC
#define MQUEUE_MAGIC 0x19800202	/* ipc/mqueue.c: not in the uapi headers */
#endif

/*
 * doc/kernel-facts.md, "Another mount namespace's files": path resolved
 * under the root of process pid (/proc/PID/root, the one magic link we
 * follow), never out of it: openat2's RESOLVE_IN_ROOT makes ".." and
 * absolute symlinks stop at that root, RESOLVE_NO_MAGICLINKS refuses
 * /proc/self/... links inside it, O_NOFOLLOW the last component being a
 * symlink (as for our own /dev/shm).  Without openat2 (ENOSYS: kernels
 * before 5.6) nothing is opened: the caller says the objects are not
 * listed.  The file system must be the one POSIX IPC lives on (magic).
 */
static int open_in_root(int piddir, int pid, const char *path, long magic, char **ret_why)
{
	struct open_how how = {
		.flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	struct statfs sf;
	int rootfd, fd, e;

	rootfd = openat(piddir, "root", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0) {
		e = errno;
		*ret_why = xasprintf("the root of process %d: %s", pid, strerror(e));
		return -e;
	}
	fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
	e = errno;
	close(rootfd);
	if (fd < 0) {
		*ret_why = e == ENOSYS ? xstrdup("this kernel has no openat2 (Linux 5.6): another "
						 "mount namespace's files are not opened")
			 : e == ELOOP || e == ENOTDIR ? xstrdup("not a directory, or a symbolic "
								"link (not followed)")
			 : e == EXDEV ? xasprintf("the walk left the root of process %d: not "
						  "followed", pid)
				      : xstrdup(strerror(e));
		return -e;
	}
	if (fstatfs(fd, &sf) < 0) {
		e = errno;
		close(fd);
		*ret_why = xstrdup(strerror(e));
		return -e;
	}
	if (sf.f_type != magic) {
		close(fd);
		*ret_why = xstrdup(magic == TMPFS_MAGIC ? "not a tmpfs" : "not an mqueue file system");
		return -EXDEV;
	}
	return fd;
}

int ns_open_posix_dir(int piddir, int pid, const char *path, bool mqueue, struct posix_dir *ret)
{
	struct stat st;
	int fd;

	*ret = (struct posix_dir){ .fd = -1, .path = ns_root_path(pid, path) };
	fd = open_in_root(piddir, pid, path, mqueue ? MQUEUE_MAGIC : TMPFS_MAGIC, &ret->why);
	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0) {
		int e = errno;

		close(fd);
		ret->why = xstrdup(strerror(e));
		return -e;
	}
	ret->fd = fd;
	ret->dev = (uint64_t)st.st_dev;
	return 0;
}

enum mq_answer { MQ_OURS, MQ_FOREIGN, MQ_UNTOLD };

/*
 * What the directory's queue entry says: mq_open() finds names in the
 * queue file system of the IPC namespace we are in, whatever is mounted
 * where.  Opened: the same file system or not (st_dev).  ENOENT while the
 * entry is still there: not this namespace's.  EACCES (or anything else):
 * the name is one of ours, but not whether it is this very queue.
 */
static enum mq_answer mq_probe(int dirfd, const char *entry, uint64_t dev)
{
	char name[NAME_MAX + 2];
	struct stat st;
	mqd_t q;
	int e;

	if ((size_t)snprintf(name, sizeof(name), "/%s", entry) >= sizeof(name))
		return MQ_UNTOLD;
	q = mq_open(name, O_RDONLY | O_CLOEXEC);
	e = errno;
	if (q != (mqd_t)-1) {
		bool same = fstat((int)q, &st) == 0 && (uint64_t)st.st_dev == dev;

		mq_close(q);
		return same ? MQ_OURS : MQ_FOREIGN;
	}
	if (e == ENOENT && fstatat(dirfd, entry, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return MQ_FOREIGN;
	return MQ_UNTOLD;	/* EACCES, or removed meanwhile */
}

void ns_mqueue_check(struct posix_dir *d)
{
	enum mq_answer a = MQ_UNTOLD;
	struct dirent *de;
	DIR *dir;
	int fd;

	if (d->fd < 0)
		return;
	fd = openat(d->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	dir = fd >= 0 ? fdopendir(fd) : NULL;
	if (!dir) {
		if (fd >= 0)
			close(fd);
		return;		/* the listing will meet the same error and say it */
	}
	while (a == MQ_UNTOLD && (de = readdir(dir)))
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			a = mq_probe(d->fd, de->d_name, d->dev);
	closedir(dir);
	if (a != MQ_FOREIGN)
		return;
	close(d->fd);
	d->fd = -1;
	d->foreign = true;
	free(d->why);
	d->why = xstrdup("another IPC namespace's mqueue file system (a queue in it is not one "
			 "of this namespace's)");
}

void posix_dir_close(struct posix_dir *d)
{
	/* fd 0 with no path: a struct never opened */
	if (d->path && d->fd >= 0)
		close(d->fd);
	free(d->path);
	free(d->why);
	*d = (struct posix_dir){ .fd = -1 };
}

/* The mqueue mount point of a pinned process's mount namespace (procparse.h). */
char *ns_mqueue_mount(int piddir)
{
	_cleanup_free_ char *text = NULL;

	if (read_whole_file_at(piddir >= 0 ? piddir : AT_FDCWD,
			       piddir >= 0 ? "mountinfo" : "/proc/self/mountinfo", &text, NULL) < 0)
		return NULL;
	return procparse_mountinfo_mqueue(text);
}

/* The last field of "NSpid:" in /proc/PID/status: 1 for an init. */
static int nspid_last(int procfd, int pid)
{
	_cleanup_free_ char *text = NULL;
	char name[32];

	snprintf(name, sizeof(name), "%d/status", pid);
	if (read_whole_file_at(procfd, name, &text, NULL) < 0)
		return 0;
	return procparse_status_nspid(text);
}

/* The namespaces some scanned process is in, but ours, by lowest pid. */
static void find_sections(struct snapshot *s, int procfd)
{
	const struct procscan *scan = &s->owners->scan;
	size_t i, k;

	for (i = 0; i < scan->procs.len; i++) {
		const struct scan_proc *p = vec_at(&scan->procs, i);
		struct ns_section *sec = NULL;

		if (!p->has_ipc_ns || (s->has_ipc_ns && p->ipc_ns == s->ipc_ns))
			continue;
		for (k = 0; k < s->nsections && !sec; k++)
			if (s->sections[k].ipc_ns == p->ipc_ns)
				sec = &s->sections[k];
		if (!sec) {
			s->sections = xreallocarray(s->sections, s->nsections + 1, sizeof(*s->sections));
			sec = &s->sections[s->nsections++];
			*sec = (struct ns_section){ .ipc_ns = p->ipc_ns, .pid = p->pid,
						    .start_ticks = p->has_start ? p->start_ticks : 0,
						    .mq_dir = { .fd = -1 },
						    .shm_dir = { .fd = -1 } };
			memcpy(sec->comm, p->comm, sizeof(sec->comm));
			(void)facts_read_cgroup(procfd, p->pid, &sec->cgroup);	/* unread: the host */
		}
		/* its init: the first (lowest pid) that is pid 1 of its PID namespace */
		if (!sec->init_pid && p->state != 'Z' && nspid_last(procfd, p->pid) == 1) {
			sec->init_pid = p->pid;
			memcpy(sec->init_comm, p->comm, sizeof(sec->init_comm));
		}
	}
}

/*
 * Whether dev is the file system of ours (mqueue: our mqueue mount, else
 * our /dev/shm) or of an earlier section: its objects are listed there.
 */
static bool dir_taken(const struct snapshot *s, const struct ns_section *sec, bool mqueue,
		      uint64_t dev)
{
	const struct posix_dir *d = mqueue ? &s->mq_dir : &s->shm_dir;
	const struct ns_section *o;

	if (d->fd >= 0 && d->dev == dev)
		return true;
	for (o = s->sections; o < sec; o++) {
		d = mqueue ? &o->mq_dir : &o->shm_dir;
		if (d->fd >= 0 && d->dev == dev)
			return true;
	}
	return false;
}

/*
 * The section's /dev/shm (mqueue false) or mqueue mount, opened under
 * the root of its process (ns_open_posix_dir).  A file system that is
 * ours or an earlier section's is not this one's: *d is then closed
 * with no why, and the kind left out of the section (the mqueue kind
 * with a note, as before: a namespace has queues of its own).
 */
static void open_section_dir(const struct snapshot *s, struct ns_section *sec, int piddir,
			     bool mqueue, struct posix_dir *d)
{
	_cleanup_free_ char *mount = mqueue ? ns_mqueue_mount(piddir) : xstrdup("/dev/shm");

	*d = (struct posix_dir){ .fd = -1 };
	if (!mount)
		return;
	if (ns_open_posix_dir(piddir, sec->pid, mount, mqueue, d) < 0)
		return;
	if (dir_taken(s, sec, mqueue, d->dev))
		posix_dir_close(d);
	else if (mqueue)
		ns_mqueue_check(d);
}

/* A kind of the section whose objects cannot be listed: why, as a note. */
static void section_unavailable(struct ns_section *sec, const struct ipc_kind *kind,
				struct kind_objs *ko, const char *why)
{
	char *note = xasprintf("%s of IPC namespace %" PRIu64 ": %s: they cannot be listed",
			       kind->title, sec->ipc_ns, why);

	*ko = (struct kind_objs){ .kind = kind, .unavailable = true,
				  .objs = { .elsize = kind->objsize },
				  .notes = VEC_INIT(char *) };
	vec_push(&ko->notes, &note);
}

/*
 * Reads one namespace's objects from inside it, one kind after the other
 * (a thread the semaphore sets start is made after setns: it is inside
 * too).  Its POSIX files are read through the directories opened under
 * the root of its process.
 */
static int read_section(const struct snapshot *s, struct ns_section *sec, int piddir,
			const struct collect_ctx *parent, unsigned kind_mask, bool limits,
			int (*collect)(const struct collect_ctx *, const struct ipc_kind *,
				       struct kind_objs *))
{
	struct collect_ctx ctx = *parent;
	size_t i;
	int r;

	if (kinds_have_policy(kind_mask, KIND_POLICY_NS_MQUEUE))
		open_section_dir(s, sec, piddir, true, &sec->mq_dir);
	if (kinds_have_policy(kind_mask, KIND_POLICY_DEV_SHM))
		open_section_dir(s, sec, piddir, false, &sec->shm_dir);
	ctx.mq_dir = &sec->mq_dir;
	ctx.shm_dir = &sec->shm_dir;
	for (i = 0; i < KIND_COUNT; i++) {
		const struct ipc_kind *kind = ipc_kinds[i];
		const struct posix_dir *d = kind->policy & KIND_POLICY_NS_MQUEUE ? &sec->mq_dir :
					    kind->policy & KIND_POLICY_DEV_SHM ? &sec->shm_dir : NULL;

		if (!(kind_mask & (1u << i)) ||
		    !(kind->policy & (KIND_POLICY_IPC_NS | KIND_POLICY_DEV_SHM)))
			continue;
		/* a /dev/shm that is ours or an earlier one's: listed there */
		if (d == &sec->shm_dir && d->fd < 0 && !d->why)
			continue;
		if (d && d->fd < 0) {
			section_unavailable(sec, kind, &sec->kinds[i],
					    d->why ? d->why : "no mqueue mount of its own is visible");
			continue;
		}
		r = collect(&ctx, ipc_kinds[i], &sec->kinds[i]);
		if (r < 0)
			return r;
	}
	if (limits) {
		r = collect(&ctx, &limits_kind, &sec->limits);
		if (r < 0)
			return r;
	}
	return 0;
}

/*
 * The holders of the section's POSIX files, which the scan did not look
 * for: the fds on its mqueue mount of the processes of its IPC namespace,
 * and the fds and mappings of files of its /dev/shm of the processes of
 * its IPC namespace or of the mount namespace of its process (the one
 * that sees that /dev/shm).  (dev, inode) names a file on one machine,
 * so no other process's file is taken for one of these.
 */
static void add_holders(struct snapshot *s, const struct ns_section *sec, int procfd)
{
	struct procscan *scan = &s->owners->scan;
	const struct scan_proc *p = procscan_proc(scan, sec->pid);
	struct scan_within in = { .ipc_ns = sec->ipc_ns };

	if (sec->mq_dir.fd >= 0)
		procscan_add_files(scan, procfd, &in, sec->mq_dir.dev, false);
	if (sec->shm_dir.fd < 0)
		return;
	if (p && p->has_mnt_ns) {
		in.has_mnt_ns = true;
		in.mnt_ns = p->mnt_ns;
	}
	procscan_add_files(scan, procfd, &in, sec->shm_dir.dev, true);
}

int ns_sections_collect(struct snapshot *s, const struct collect_ctx *ctx, unsigned kind_mask,
			bool limits,
			int (*collect)(const struct collect_ctx *, const struct ipc_kind *,
				       struct kind_objs *),
			char **ret_warning)
{
	int self, r = 0;
	size_t i;

	/* without root other users' namespaces cannot even be seen: say so */
	if (geteuid() != 0) {
		*ret_warning = xstrdup("--all-namespaces: entering another IPC namespace needs "
				       "root: only this one is listed");
		return 0;
	}
	find_sections(s, ctx->procfd);
	if (!s->nsections)
		return 0;
	self = open("/proc/self/ns/ipc", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return -errno;
	for (i = 0; i < s->nsections && r == 0; i++) {
		struct ns_section *sec = &s->sections[i];
		_cleanup_free_ char *why = NULL;
		int piddir = ns_pin(sec->pid, sec->start_ticks, &why);

		/* pinned: a pid reused from here on names nothing under piddir */
		if (piddir < 0 || ns_enter(piddir, sec->pid, sec->ipc_ns, &why) < 0) {
			if (piddir >= 0)
				close(piddir);
			sec->error = xasprintf("cannot enter it: %s", why);
			continue;
		}
		r = read_section(s, sec, piddir, ctx, kind_mask, limits, collect);
		close(piddir);
		if (r < 0)
			sec->error = xasprintf("cannot read it: %s", strerror(-r));
		/* back home, or nothing after this could be trusted */
		r = setns(self, CLONE_NEWIPC) < 0 ? -errno : 0;
		/* its files' holders: the scan looked only for ours */
		if (r == 0)
			add_holders(s, sec, ctx->procfd);
	}
	close(self);
	return r;
}

void ns_sections_free(struct snapshot *s)
{
	size_t i, k;

	for (i = 0; i < s->nsections; i++) {
		struct ns_section *sec = &s->sections[i];

		for (k = 0; k < KIND_COUNT; k++)
			kind_objs_free(&sec->kinds[k]);
		kind_objs_free(&sec->limits);
		posix_dir_close(&sec->mq_dir);
		posix_dir_close(&sec->shm_dir);
		cgroup_info_free(&sec->cgroup);
		free(sec->error);
		free(sec->view);	/* a shallow copy: the scan and facts are the snapshot's */
	}
	free(s->sections);
	s->sections = NULL;
	s->nsections = 0;
}
