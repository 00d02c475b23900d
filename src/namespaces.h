/*
 * Other IPC namespaces: --namespace PID and --all-namespaces (see
 * namespaces.c).
 */
#ifndef IPCINSPECT_NAMESPACES_H
#define IPCINSPECT_NAMESPACES_H

#include "kind.h"
#include "snapshot.h"

/*
 * Pins process pid, the one that started at start (clock ticks after
 * boot, stat field 22; 0: whichever has that pid now): a directory fd of
 * /proc/PID, through
 * which every later read names that process or fails, never one that
 * reused its pid (doc/kernel-facts.md, "Pinning a process").  Returns the
 * fd, or -errno with *ret_why (caller frees).
 */
int ns_pin(int pid, unsigned long long start, char **ret_why);

/*
 * Enters the IPC namespace of the process pinned by piddir (pid names it
 * in messages), when it is want (0: whichever it is in); -ESTALE when the
 * process is in another one now.  Returns 0, or -errno with *ret_why
 * (caller frees).
 */
int ns_enter(int piddir, int pid, uint64_t want, char **ret_why);

/* path as process pid sees it ("/proc/PID/root" + path); path for pid 0. */
char *ns_root_path(int pid, const char *path);

/*
 * The mount point of the mqueue file system the process pinned by piddir
 * sees (-1: we), as it names it: /dev/mqueue where that is one, else the
 * first; NULL when there is none.  Caller frees.
 */
char *ns_mqueue_mount(int piddir);

/*
 * Opens path (/dev/shm, or an mqueue mount point) as the process pinned
 * by piddir (pid) sees it into *ret, never following a link out of its root, and checks it is a
 * tmpfs (mqueue: an mqueue file system).  Returns 0, or -errno with
 * ret->fd -1 and ret->why saying why.  ret->path is
 * /proc/PID/root/path either way.  Free with posix_dir_close().
 */
int ns_open_posix_dir(int piddir, int pid, const char *path, bool mqueue, struct posix_dir *ret);
void posix_dir_close(struct posix_dir *d);

/*
 * doc/kernel-facts.md, "POSIX objects": whether the opened mqueue
 * directory d is the queue file system of the IPC namespace we are in,
 * told by opening its queues by name (mq_open, read-only) until one
 * answers.  When it is another namespace's, d is closed (fd -1) with
 * foreign set and why saying so.  An empty directory, or one whose every
 * queue is closed to us but present under its name here, is kept.
 */
void ns_mqueue_check(struct posix_dir *d);

/*
 * --all-namespaces: after the scan, finds every other IPC namespace in
 * use and reads each from inside (collect reads one kind).  Without root
 * only a warning (*ret_warning) says what is not listed.  Returns 0, or
 * -errno when we could not come back to our own namespace.
 */
int ns_sections_collect(struct snapshot *s, const struct collect_ctx *ctx, unsigned kind_mask,
			bool limits,
			int (*collect)(const struct collect_ctx *, const struct ipc_kind *,
				       struct kind_objs *),
			char **ret_warning);
void ns_sections_free(struct snapshot *s);

#endif
