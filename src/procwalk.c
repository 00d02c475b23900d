/*
 * The walk of one process below /proc: see procwalk.h.  Per process it
 * costs one read of stat, one stat of ns/ipc and ns/mnt, one readlink per
 * fd and, when the visitor wants it, one read of maps; anything more is
 * the visitor's.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "procparse.h"
#include "procwalk.h"
#include "strutils.h"
#include "sysvipc.h"
#include "xalloc.h"

#define PF_KTHREAD 0x00200000UL	/* include/linux/sched.h */

/* Static reasons, so scan_proc needs no allocation. */
static const char *why_of(const char *what, int err)
{
	bool denied = err == EACCES || err == EPERM;

	if (strcmp(what, "fd") == 0)
		return denied ? "fd: permission denied" : "fd: cannot be read";
	if (strcmp(what, "maps") == 0)
		return denied ? "maps: permission denied" : "maps: cannot be read";
	if (strcmp(what, "ns/ipc") == 0)
		return denied ? "ns/ipc: permission denied" : "ns/ipc: cannot be read";
	return "main thread exited and no thread could be read";
}

static bool gone(int err)
{
	return err == ENOENT || err == ESRCH;
}

DIR *procwalk_opendir_at(int dirfd, const char *path)
{
	int fd = openat(dirfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *dir;

	if (fd < 0)
		return NULL;
	dir = fdopendir(fd);
	if (!dir) {
		int e = errno;

		close(fd);
		errno = e;
	}
	return dir;
}

const struct stat *procwalk_link_stat(struct fd_link *l)
{
	if (l->stat_state == 0)
		l->stat_state = fstatat(l->dirfd, l->name, &l->st, 0) == 0 ? 1 : -1;
	return l->stat_state > 0 ? &l->st : NULL;
}

bool procwalk_link_is_path(const char *text)
{
	return text[0] == '/' || strncmp(text, "(unreachable)", 13) == 0;
}

int procwalk_fds(int taskfd, int pid, const struct proc_visit *v)
{
	char link[4096 + 16];
	struct dirent *de;
	DIR *dir;

	dir = procwalk_opendir_at(taskfd, "fd");
	if (!dir)
		return -errno;
	while ((de = readdir(dir))) {
		struct fd_link l = { .dirfd = dirfd(dir), .name = de->d_name, .pid = pid,
				     .text = link };
		ssize_t n;

		if (de->d_name[0] == '.' || parse_int(de->d_name, &l.fd) < 0)
			continue;
		n = readlinkat(l.dirfd, de->d_name, link, sizeof(link) - 1);
		if (n < 0)
			continue;	/* closed meanwhile */
		link[n] = '\0';
		if (v->fd(&l, v->arg))
			break;
	}
	closedir(dir);
	return 0;
}

/* For a zombie leader whose threads live on: a fd of a live task's dir. */
static int open_live_task(int pidfd, int pid)
{
	DIR *dir = procwalk_opendir_at(pidfd, "task");
	struct dirent *de;
	int r = -1;

	if (!dir)
		return -1;
	while (r < 0 && (de = readdir(dir))) {
		int tid;

		if (parse_int(de->d_name, &tid) < 0 || tid == pid)
			continue;
		r = openat(dirfd(dir), de->d_name, O_PATH | O_DIRECTORY | O_CLOEXEC);
	}
	closedir(dir);
	return r;
}

static void mark_unreadable(struct scan_proc *p, const char *what, int err)
{
	if (!p->unreadable) {
		p->unreadable = true;
		p->why = why_of(what, err);
	}
}

/* The namespaces, fds and maps of a process that holds what it has; -ESRCH: vanished. */
static int visit_task(int pidfd, int taskfd, struct scan_proc *p, const struct proc_visit *v)
{
	_cleanup_free_ char *text = NULL;
	struct stat st;
	int r;

	/* /proc/PID belongs to the effective uid (root when not dumpable) */
	if (fstat(pidfd, &st) == 0) {
		p->has_uid = true;
		p->uid = (uint32_t)st.st_uid;
	}
	if (taskfd < 0)
		return 0;
	if (fstatat(taskfd, "ns/mnt", &st, 0) == 0) {
		p->has_mnt_ns = true;
		p->mnt_ns = (uint64_t)st.st_ino;
	}
	/* a zombie leader has no ns links either: everything via taskfd */
	if (fstatat(taskfd, "ns/ipc", &st, 0) == 0) {
		p->has_ipc_ns = true;
		p->ipc_ns = (uint64_t)st.st_ino;
	} else if (gone(errno)) {
		return -ESRCH;
	} else {
		mark_unreadable(p, "ns/ipc", errno);
	}
	r = procwalk_fds(taskfd, p->pid, v);
	if (r < 0 && gone(-r))
		return -ESRCH;
	if (r < 0)
		mark_unreadable(p, "fd", -r);
	if (!v->maps)
		return 0;
	r = read_whole_file_at(taskfd, "maps", &text, NULL);
	if (r < 0 && gone(-r))
		return -ESRCH;
	if (r < 0)
		mark_unreadable(p, "maps", -r);
	else
		v->maps(text, p, v->arg);
	return 0;
}

int procwalk_process(int procfd, int pid, const struct proc_visit *v, struct scan_proc *ret)
{
	struct scan_proc p = { .pid = pid };
	_cleanup_free_ char *stat_text = NULL;
	unsigned long flags;
	long threads;
	char name[16];
	int pidfd, taskfd, r = 0;

	snprintf(name, sizeof(name), "%d", pid);
	pidfd = openat(procfd, name, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (pidfd < 0)
		return 0;
	if (read_whole_file_at(pidfd, "stat", &stat_text, NULL) < 0 ||
	    procscan_parse_stat(stat_text, &p.state, p.comm, &flags, &threads) < 0 ||
	    (flags & PF_KTHREAD)) {
		close(pidfd);	/* gone, or a kernel thread: holds no IPC */
		return 0;
	}
	p.threads = threads;
	p.has_start = procparse_stat_start(stat_text, &p.start_ticks) == 0;
	taskfd = pidfd;
	if (p.state == 'Z' && threads > 1) {
		/* the leader exited, its threads did not: read through one */
		taskfd = open_live_task(pidfd, pid);
		if (taskfd < 0)
			mark_unreadable(&p, "task", 0);
	}
	/*
	 * A zombie whose threads are gone too has run exit_files() and
	 * exit_mm(), and has no namespaces left: it holds nothing, which is
	 * the truth, not a blind spot.  Nothing more to read.
	 */
	if (p.state != 'Z' || threads > 1)
		r = visit_task(pidfd, taskfd, &p, v);
	if (taskfd >= 0 && taskfd != pidfd)
		close(taskfd);
	close(pidfd);
	if (r < 0)
		return r;
	*ret = p;
	return 1;
}

char *procwalk_line_at(char *text, char *p, char **ret_nl)
{
	char *start = p;

	while (start > text && start[-1] != '\n')
		start--;
	*ret_nl = strchr(p, '\n');
	if (*ret_nl)
		**ret_nl = '\0';
	return start;
}
