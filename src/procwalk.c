/*
 * The walk of one process below /proc: see procwalk.h.  Per process it
 * costs one read of stat, one stat of ns/ipc and ns/mnt, one readlink per
 * fd and, when the visitor wants it, one read of maps; with more than one
 * thread, one listing of task/ and a kcmp() per thread (the fd tables of
 * threads: doc/kernel-facts.md, "Fd tables of threads"); anything more
 * is the visitor's.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kcmp.h>
#include <sys/stat.h>
#include <sys/syscall.h>
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

	if (strcmp(what, "fd") == 0 && err == ENOTSUP)
		return "fd: the tables of its threads cannot be told apart (no kcmp)";
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
		if (v->fd(&l, v->arg)) {
			closedir(dir);
			return 1;
		}
	}
	closedir(dir);
	return 0;
}

/*
 * Whether tasks a and b share one fd table: kcmp(KCMP_FILES) says 0 for
 * the same files_struct (doc/kernel-facts.md, "Fd tables of threads").
 * Anything else (a differing table, or kcmp refused: ENOSYS without
 * CONFIG_KCMP, EPERM under seccomp or without the right to trace, ESRCH
 * for a thread that exited) is false, so the table is walked.
 */
static bool same_fd_table(int a, int b)
{
	return syscall(SYS_kcmp, (pid_t)a, (pid_t)b, KCMP_FILES, 0UL, 0UL) == 0;
}

/*
 * Whether tid's fd table is one already walked: base's, or one of the
 * walked others.  Only when the /proc read is of our own PID namespace,
 * where its tids are the pids kcmp takes.
 */
#define MAX_OTHER_TABLES 8
static bool table_walked(bool kcmp_ok, int base, const int *walked, size_t n, int tid)
{
	size_t i;

	if (!kcmp_ok)
		return false;
	if (same_fd_table(base, tid))
		return true;
	for (i = 0; i < n; i++)
		if (same_fd_table(walked[i], tid))
			return true;
	return false;
}

int procwalk_self(int procfd)
{
	char link[24];
	ssize_t n = readlinkat(procfd, "self", link, sizeof(link) - 1);
	int pid;

	if (n <= 0)
		return -1;
	link[n] = '\0';
	return parse_int(link, &pid) == 0 ? pid : -1;
}

/* Whether the /proc below procfd numbers tasks as kcmp() does: its self is our pid. */
static bool proc_is_ours(int procfd)
{
	return procwalk_self(procfd) == (int)getpid();
}

/*
 * Whether kcmp() answers at all here (asked once: our own table against
 * itself): a seccomp filter (Docker's default one) or a kernel without
 * CONFIG_KCMP refuses every call, and then asking per thread only costs.
 */
static bool kcmp_answers(void)
{
	static _Atomic int known;	/* 0: not asked; 1 yes; -1 no */
	int k = known;

	if (k == 0) {
		k = same_fd_table((int)getpid(), (int)getpid()) ? 1 : -1;
		known = k;
	}
	return k > 0;
}

/*
 * Without kcmp every thread's table is read; beyond this many threads a
 * process is said unreadable instead (its fds then prove nothing either
 * way): 4,000 threads of 1,000 fds each are 4 million readlinks, a minute
 * a scan, and clean's re-check walks every process once per object.
 */
#define UNCOMPARED_THREADS_MAX 16

/*
 * The fd tables of pid's threads other than base's (pidfd: /proc/PID):
 * each table not shared with base, or with one walked before, is walked
 * through one thread holding it.  1: v->fd stopped the walk; 0; -errno
 * when task/ or a differing table cannot be read.
 */
static int walk_other_tables(int procfd, int pidfd, int pid, int base, long threads,
			     const struct proc_visit *v)
{
	bool kcmp_ok = kcmp_answers() && proc_is_ours(procfd);
	int walked[MAX_OTHER_TABLES], r = 0;
	DIR *dir;
	struct dirent *de;
	size_t n = 0;

	if (!kcmp_ok && threads > UNCOMPARED_THREADS_MAX)
		return -ENOTSUP;
	dir = procwalk_opendir_at(pidfd, "task");
	if (!dir)
		return gone(errno) ? 0 : -errno;
	while (r == 0 && (de = readdir(dir))) {
		int tid, taskfd;

		if (parse_int(de->d_name, &tid) < 0 || tid == base ||
		    table_walked(kcmp_ok, base, walked, n, tid))
			continue;
		taskfd = openat(dirfd(dir), de->d_name, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (taskfd < 0)
			continue;	/* the thread exited */
		r = procwalk_fds(taskfd, pid, v);
		close(taskfd);
		if (r < 0 && gone(-r))
			r = 0;
		else if (r == 0 && n < MAX_OTHER_TABLES)
			walked[n++] = tid;
	}
	closedir(dir);
	return r;
}

int procwalk_fd_tables(int procfd, int pidfd, int taskfd, int pid, int base, long threads,
		       const struct proc_visit *v)
{
	int r = procwalk_fds(taskfd, pid, v);

	if (r != 0 || threads <= 1)
		return r;
	return walk_other_tables(procfd, pidfd, pid, base, threads, v);
}

/*
 * For a zombie leader whose threads live on: a fd of a live task's dir,
 * its tid in *ret_tid.
 */
static int open_live_task(int pidfd, int pid, int *ret_tid)
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
		if (r >= 0)
			*ret_tid = tid;
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
static int visit_task(int procfd, int pidfd, int taskfd, int tid, struct scan_proc *p,
		      const struct proc_visit *v)
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
	r = procwalk_fd_tables(procfd, pidfd, taskfd, p->pid, tid, p->threads, v);
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
	int pidfd, taskfd, tid = pid, r = 0;

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
		taskfd = open_live_task(pidfd, pid, &tid);
		if (taskfd < 0)
			mark_unreadable(&p, "task", 0);
	}
	/*
	 * A zombie whose threads are gone too has run exit_files() and
	 * exit_mm(), and has no namespaces left: it holds nothing, which is
	 * the truth, not a blind spot.  Nothing more to read.
	 */
	if (p.state != 'Z' || threads > 1)
		r = visit_task(procfd, pidfd, taskfd, tid, &p, v);
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
