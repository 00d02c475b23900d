/*
 * The one pass over /proc that finds who holds what (doc/kernel-facts.md,
 * "Segment mappings", "File descriptor links" and "Open modes"):
 * for every process, its IPC namespace, its SysV shm mappings (by shmid),
 * and its pipe and FIFO fds (with their read/write mode from the fd link).
 * The results are indexes sorted by key, looked up per object afterwards:
 * nothing here is ever read once per object.
 */
#ifndef IPCINSPECT_PROCSCAN_H
#define IPCINSPECT_PROCSCAN_H

#include <stdbool.h>
#include <stdint.h>

#include "procparse.h"
#include "vec.h"

/* Every process seen, sorted by pid. */
struct scan_proc {
	int pid;
	char state;		/* from /proc/PID/stat */
	char comm[16];		/* raw bytes, NUL-terminated */
	bool has_ipc_ns;
	uint64_t ipc_ns;
	bool has_uid;		/* the owner of /proc/PID: its effective uid */
	uint32_t uid;
	bool has_mnt_ns;
	uint64_t mnt_ns;
	bool unreadable;	/* fd, maps or ns could not be read */
	const char *why;	/* what could not be read, static text */
};

/* One process's mappings of one segment, sorted by (ipc_ns, shmid, pid). */
struct scan_shm {
	uint64_t ipc_ns;
	int shmid;
	int pid;
	unsigned mappings;	/* lines of /proc/PID/maps: nattch counts these */
};

enum {
	HOLD_READ = 1 << 0,
	HOLD_WRITE = 1 << 1,	/* O_RDWR is both (doc/kernel-facts.md, "Open modes") */
};

/* One fd on a pipe or FIFO, sorted by (dev, ino, pid, fd). */
struct scan_fd {
	uint64_t dev;		/* 0 for anonymous pipes (pipefs) */
	uint64_t ino;
	int pid;
	int fd;
	unsigned mode;		/* HOLD_* */
	bool deleted;		/* FIFO: st_nlink == 0 */
	char *path;		/* FIFO: the link text, " (deleted)" removed; else NULL */
};

/* One process's mappings of one file, sorted by (dev, ino, pid). */
struct scan_fmap {
	uint64_t dev, ino;
	int pid;
	unsigned mappings;
};

/* The file systems whose regular files the scan records (POSIX IPC). */
#define SCAN_MAX_TARGETS 4
struct scan_targets {
	uint64_t dev[SCAN_MAX_TARGETS];
	size_t n;
};

struct procscan {
	struct vec procs;	/* struct scan_proc */
	struct vec shm;		/* struct scan_shm */
	struct vec pipes;	/* struct scan_fd, dev 0 */
	struct vec fifos;	/* struct scan_fd */
	struct vec files;	/* struct scan_fd: regular files on a target */
	struct vec fmaps;	/* struct scan_fmap: mappings of files on a target */
	struct vec sockets;	/* struct scan_fd, dev 0: socket:[INODE] fds */
	struct scan_targets targets;
	size_t unreadable;	/* processes with scan_proc.unreadable */
	/*
	 * Who could hold an object unseen (doc/kernel-facts.md, "Visibility"):
	 * in a child PID namespace, processes outside it; set by the caller.
	 */
	uint64_t pid_ns;	/* inode of /proc/self/ns/pid; 0 when unreadable */
	bool child_pidns;	/* not the initial PID namespace (or not known) */
	bool outside_ruled_out;	/* --no-outside-holders: the user says none exists */
};

/*
 * Whether the scan saw every process that could hold an object, so that
 * "nobody holds it" can be said: every process read, and no PID namespace
 * outside ours (or the user ruled its processes out).
 */
static inline bool procscan_sees_all(const struct procscan *s)
{
	return s->unreadable == 0 && (!s->child_pidns || s->outside_ruled_out);
}

/*
 * Scans every process below procfd (an O_PATH fd of /proc) except the
 * caller.  A process that vanishes meanwhile is left out; one that cannot
 * be read is kept, marked unreadable.  Returns 0 or -errno (only when
 * /proc itself cannot be listed); free with procscan_free().
 */
int procscan_run(int procfd, const struct scan_targets *targets, struct procscan *ret);
void procscan_free(struct procscan *s);

/*
 * Whether any process has (dev, ino) open (with maps, or mapped too), by a
 * fresh walk of every process with the per-process walk of procscan_run()
 * (a process whose main thread exited is read through a live thread):
 * 1 yes, with *ret_pid one holder (the caller's own pid when it holds it
 * itself: its own files count, so its output is never removed), 0 no,
 * -EACCES when some process could not be read (so no cannot be said).
 * For one re-check before a FIFO or a POSIX IPC file is unlinked; never
 * used per object in a listing.
 */
int procscan_file_is_open(int procfd, uint64_t dev, uint64_t ino, bool maps, int *ret_pid);

/*
 * Adds the fds on regular files of device dev held by the processes of
 * IPC namespace ipc_ns (--all-namespaces: a namespace's mqueue mount,
 * known only once the namespaces are): one more walk of their fds.
 */
void procscan_add_files(struct procscan *s, int procfd, uint64_t ipc_ns, uint64_t dev);

/* The fds on socket inode ino: first and count. */
size_t procscan_sockets(const struct procscan *s, uint64_t ino, const struct scan_fd **ret_first);

/* The fds on (dev, ino) and the processes mapping it: first and count. */
size_t procscan_files(const struct procscan *s, uint64_t dev, uint64_t ino,
		      const struct scan_fd **ret_first);
size_t procscan_fmaps(const struct procscan *s, uint64_t dev, uint64_t ino,
		      const struct scan_fmap **ret_first);

/* The process with that pid, or NULL. */
const struct scan_proc *procscan_proc(const struct procscan *s, int pid);

/*
 * The mappings of (ipc_ns, shmid): *ret_first is the first entry (or NULL)
 * and the return value how many consecutive entries there are.
 */
size_t procscan_shm(const struct procscan *s, uint64_t ipc_ns, int shmid,
		    const struct scan_shm **ret_first);

/* Pure, exposed for the unit tests (the text parsers are in procparse.h). */

/* The ends an fd holds (HOLD_* bits) from the st_mode of its
 * /proc/PID/fd/N link (lstat): S_IRUSR read, S_IWUSR write. */
unsigned procscan_link_mode(unsigned st_mode);

#endif
