/*
 * The walk of one process below /proc, the one walk of the process scan
 * (procscan.c): its stat, its namespaces and owner, every fd link and
 * its maps text, handed to a visitor.  The scan, procscan_add_files()
 * and the act re-check procscan_file_is_open() differ only in their
 * visitors.  A zombie leader whose threads live on is read through one
 * of them.
 */
#ifndef IPCINSPECT_PROCWALK_H
#define IPCINSPECT_PROCWALK_H

#include <dirent.h>
#include <stdbool.h>
#include <sys/stat.h>

#include "procscan.h"

/* One fd link as the walk read it, with its target's stat read on demand. */
struct fd_link {
	int dirfd;		/* the fd directory */
	const char *name;	/* the entry in it */
	int pid, fd;
	const char *text;	/* the link text */
	int stat_state;		/* 0 not read yet, 1 read, -1 failed */
	struct stat st;		/* of the target (the link followed) */
};

/* The stat of l's target (the link followed), read once; NULL when it cannot be. */
const struct stat *procwalk_link_stat(struct fd_link *l);

/*
 * A link to a path: the kernel writes "/..." for a file, "(unreachable)"
 * before one outside the process's root, and "type:[...]" or
 * "anon_inode:..." for what has no path (pipes, sockets, nsfs, eventfd).
 */
bool procwalk_link_is_path(const char *text);

/* What one walk does with each fd (true: stop the walk) and with the maps text. */
struct proc_visit {
	bool (*fd)(struct fd_link *l, void *arg);
	/* NULL: maps is not read */
	void (*maps)(char *text, const struct scan_proc *p, void *arg);
	void *arg;
};

/*
 * The fd walk: every fd of the task directory taskfd (of process pid),
 * its link read, given to v->fd until it returns true.  Returns 1 when
 * v->fd stopped it, 0, or -errno for the fd directory itself.
 */
int procwalk_fds(int taskfd, int pid, const struct proc_visit *v);

/*
 * Our pid as the /proc below procfd numbers it (its "self"), or -1 where
 * it does not show us (a /proc of another PID namespace): what a walk of
 * that /proc leaves out as ipcinspect itself.
 */
int procwalk_self(int procfd);

/*
 * The fd walk of every fd table of process pid (pidfd: /proc/PID below
 * procfd) with threads threads: that of the task directory taskfd (of
 * thread base), then, with more than one thread, each table a thread
 * does not share with base (doc/kernel-facts.md, "Fd tables of
 * threads"): an fd open in two tables is given twice.  Returns as
 * procwalk_fds(); -errno also when a thread's own table cannot be read,
 * and -ENOTSUP when kcmp cannot tell the tables apart and there are too
 * many threads to read each one's (the process is then unreadable).
 */
int procwalk_fd_tables(int procfd, int pidfd, int taskfd, int pid, int base, long threads,
		       const struct proc_visit *v);

/*
 * The walk of one process: stat, then (unless it is a kernel thread or
 * a zombie that holds nothing) its namespaces, fds and maps through v.
 * Returns 1 with *ret filled, 0 when there is no process to record (gone
 * before it was read, or a kernel thread), -ESRCH when it vanished
 * midway (what v was given of it is stale).
 */
int procwalk_process(int procfd, int pid, const struct proc_visit *v, struct scan_proc *ret);

/* opendir() of path below dirfd; NULL with errno set on failure. */
DIR *procwalk_opendir_at(int dirfd, const char *path);

/* The line of text holding p, NUL-terminated in place; *ret_nl to undo. */
char *procwalk_line_at(char *text, char *p, char **ret_nl);

#endif
