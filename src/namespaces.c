/*
 * IPC namespaces other than our own: --namespace PID enters one before
 * anything is read, --all-namespaces reads every one some process is in
 * (found by the process scan's /proc/PID/ns/ipc) by entering each with
 * setns and coming back.  What belongs to an IPC namespace is read inside
 * it: the SysV objects (/proc/sysvipc is opened there, semctl runs
 * there), the limits, and its message queues through the mqueue mount
 * that a process of it sees (/proc/PID/root).  Attachments and holders
 * are then matched within that namespace only (doc/kernel-facts.md, "Segment mappings").
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "act.h"
#include "facts.h"
#include "namespaces.h"
#include "owners.h"
#include "procparse.h"
#include "procscan.h"
#include "sysvipc.h"
#include "xalloc.h"

int ns_enter_pid(int pid, char **ret_why)
{
	char path[64];
	int fd, r = 0;

	snprintf(path, sizeof(path), "/proc/%d/ns/ipc", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		*ret_why = r == -ENOENT ? xasprintf("no process %d", pid) :
			   r == -EACCES || r == -EPERM ?
			   xasprintf("entering the IPC namespace of process %d needs root "
				     "(CAP_SYS_ADMIN)", pid) :
			   xasprintf("%s: %s", path, strerror(-r));
		return r;
	}
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

/* The mqueue mount point of process pid's mount namespace (procparse.h). */
char *ns_mqueue_mount(int pid)
{
	_cleanup_free_ char *text = NULL, *path = pid ? xasprintf("/proc/%d/mountinfo", pid)
						      : xstrdup("/proc/self/mountinfo");

	if (read_whole_file_at(AT_FDCWD, path, &text, NULL) < 0)
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
						    .mq_dir = { .fd = -1 } };
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

/* Whether dev is the mqueue file system of our namespace or of an earlier section. */
static bool mqueue_taken(const struct snapshot *s, const struct ns_section *sec, uint64_t dev)
{
	const struct ns_section *o;

	if (s->mq_dir.fd >= 0 && s->mq_dir.dev == dev)
		return true;
	for (o = s->sections; o < sec; o++)
		if (o->mq_dir.fd >= 0 && o->mq_dir.dev == dev)
			return true;
	return false;
}

/*
 * Reads one namespace's objects from inside it, one kind after the other
 * (a thread the semaphore sets start is made after setns: it is inside
 * too).
 */
static int read_section(const struct snapshot *s, struct ns_section *sec,
			const struct collect_ctx *parent, unsigned kind_mask, bool limits,
			int (*collect)(const struct collect_ctx *, const struct ipc_kind *,
				       struct kind_objs *))
{
	struct collect_ctx ctx = *parent;
	size_t i;
	int r;

	if (kinds_have_policy(kind_mask, KIND_POLICY_NS_MQUEUE)) {
		_cleanup_free_ char *mount = ns_mqueue_mount(sec->pid);

		struct stat st;

		sec->mq_dir = (struct posix_dir){ .fd = -1 };
		if (mount) {
			sec->mq_dir.path = ns_root_path(sec->pid, mount);
			sec->mq_dir.fd = open(sec->mq_dir.path,
					      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		}
		/*
		 * A mount shows the queues of the namespace that mounted it: one
		 * that is ours (a namespace sharing our mount namespace) or an
		 * earlier section's is not this one's, which then has none seen.
		 */
		if (sec->mq_dir.fd >= 0 && fstat(sec->mq_dir.fd, &st) == 0) {
			sec->mq_dir.dev = (uint64_t)st.st_dev;
			if (mqueue_taken(s, sec, sec->mq_dir.dev)) {
				close(sec->mq_dir.fd);
				free(sec->mq_dir.path);
				sec->mq_dir = (struct posix_dir){ .fd = -1 };
			}
		}
		ctx.mq_dir = &sec->mq_dir;
	}
	for (i = 0; i < KIND_COUNT; i++) {
		const struct ipc_kind *kind = ipc_kinds[i];

		if (!(kind_mask & (1u << i)) || !(kind->policy & KIND_POLICY_IPC_NS))
			continue;
		if ((kind->policy & KIND_POLICY_NS_MQUEUE) && sec->mq_dir.fd < 0) {
			struct kind_objs *ko = &sec->kinds[i];
			char *note = xasprintf("%s of IPC namespace %" PRIu64 ": no mqueue "
					       "mount of its own is visible: they cannot be "
					       "listed", kind->title, sec->ipc_ns);

			*ko = (struct kind_objs){ .kind = kind, .unavailable = true,
						  .objs = { .elsize = kind->objsize },
						  .notes = VEC_INIT(char *) };
			vec_push(&ko->notes, &note);
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
		char path[64];
		int fd;

		snprintf(path, sizeof(path), "%d/ns/ipc", sec->pid);
		fd = openat(ctx->procfd, path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || setns(fd, CLONE_NEWIPC) < 0) {
			int e = errno;

			if (fd >= 0)
				close(fd);
			sec->error = xasprintf("cannot enter it: %s", strerror(e));
			continue;
		}
		close(fd);
		r = read_section(s, sec, ctx, kind_mask, limits, collect);
		if (r < 0)
			sec->error = xasprintf("cannot read it: %s", strerror(-r));
		/* back home, or nothing after this could be trusted */
		r = setns(self, CLONE_NEWIPC) < 0 ? -errno : 0;
		/* its queues' holders: the scan looked only for ours */
		if (r == 0 && sec->mq_dir.fd >= 0)
			procscan_add_files(&s->owners->scan, ctx->procfd, sec->ipc_ns,
					   sec->mq_dir.dev);
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
		if (sec->mq_dir.path && sec->mq_dir.fd >= 0)
			close(sec->mq_dir.fd);
		free(sec->mq_dir.path);
		cgroup_info_free(&sec->cgroup);
		free(sec->error);
		free(sec->view);	/* a shallow copy: the scan and facts are the snapshot's */
	}
	free(s->sections);
	s->sections = NULL;
	s->nsections = 0;
}
