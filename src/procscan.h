/*
 * The one pass over /proc that finds who holds what (doc/kernel-facts.md,
 * "Segment mappings", "File descriptor links" and "Open modes"):
 * for every process, its namespaces and owner, and the fd links and maps
 * lines the kinds claim (struct ipc_kind's claim_fds and claim_maps: the
 * scan itself knows no kind).  What each kind claimed is an index sorted
 * by key, looked up per object afterwards: nothing here is ever read once
 * per object.
 */
#ifndef IPCINSPECT_PROCSCAN_H
#define IPCINSPECT_PROCSCAN_H

#include <stdbool.h>
#include <stdint.h>

#include "kind.h"
#include "procparse.h"
#include "vec.h"

/* Every process seen, sorted by pid. */
struct scan_proc {
	int pid;
	char state;		/* from /proc/PID/stat */
	char comm[16];		/* raw bytes, NUL-terminated */
	long threads;		/* num_threads: a zombie leader with more lives on */
	bool has_start;
	unsigned long long start_ticks;	/* clock ticks after boot (stat field 22) */
	bool has_ipc_ns;
	uint64_t ipc_ns;
	bool has_uid;		/* the owner of /proc/PID: its effective uid */
	uint32_t uid;
	bool has_mnt_ns;
	uint64_t mnt_ns;
	bool unreadable;	/* fd, maps or ns could not be read */
	const char *why;	/* what could not be read, static text */
};

enum {
	HOLD_READ = 1 << 0,
	HOLD_WRITE = 1 << 1,	/* O_RDWR is both (doc/kernel-facts.md, "Open modes") */
};

/*
 * One fd a kind claimed, in that kind's index sorted by (dev, ino, pid,
 * fd): dev 0 for a key read from the link text (pipe:[N], socket:[N]).
 */
struct scan_fd {
	uint64_t dev;
	uint64_t ino;
	int pid;
	int fd;
	unsigned mode;		/* HOLD_*, with CLAIM_MODE; else 0 */
	bool deleted;		/* a path's target has st_nlink == 0 */
	char *path;		/* CLAIM_PATH: the link text, " (deleted)" cut when true */
};

/*
 * One process's mappings of one object a kind claimed, in that kind's
 * index sorted by (dev, ino, pid): the key is what the kind's maps parse
 * gives (a file's dev and inode; for SysV shm the IPC namespace and the
 * shmid).
 */
struct scan_map {
	uint64_t dev, ino;
	int pid;
	unsigned mappings;	/* lines of /proc/PID/maps (shm: nattch counts these) */
	char *line;		/* CLAIM_PATH: the first of those lines, no newline; else NULL */
};

/* How a kind claims (struct ipc_kind's claim block). */
enum {
	CLAIM_MODE = 1 << 0,	/* record the ends held: HOLD_* from an lstat of the link */
	CLAIM_PATH = 1 << 1,	/* keep the link text in scan_fd.path (a maps line: scan_map.line) */
	CLAIM_TARGET = 1 << 2,	/* only files on the scan's target file systems */
	/* leave out what ipcinspect holds on fd 0, 1 or 2 (its own input and
	 * output), with every holder */
	CLAIM_SELF_HIDES = 1 << 3,
};

/*
 * What fd links a kind claims.  The scan reads every fd link and offers
 * it to the kinds in registry order: the first whose claim matches takes
 * it.  The link text is compared first; the target is stat'ed only when
 * a claim that still matches asks for its type.
 */
struct scan_fd_claim {
	/*
	 * The link text starts with this ("pipe:[", "socket:[", "/memfd:");
	 * NULL: any path (a text starting with '/' or "(unreachable)").
	 */
	const char *prefix;
	/*
	 * The target's S_IFMT (S_IFIFO, S_IFREG): the target is stat'ed and
	 * the fd keyed by its (dev, ino).  0: no stat, parse gives the key.
	 */
	unsigned type;
	unsigned flags;		/* CLAIM_* */
	/* with type 0: the inode in the link text (dev 0), or 0: not claimed */
	uint64_t (*parse)(const char *link);
};

struct scan_proc;

/* What maps lines a kind claims. */
struct scan_maps_claim {
	const char *marker;	/* the scan strstr()s the maps text for it: " /SYSV" */
	unsigned flags;		/* CLAIM_TARGET: the key's dev must be a target; CLAIM_PATH */
	/*
	 * The key of one line holding marker (NUL-terminated, no newline),
	 * read in process p: 0, or -1 when the line is not claimed.
	 */
	int (*parse)(const char *line, const struct scan_proc *p, uint64_t *ret_dev,
		     uint64_t *ret_ino);
};

/* The file systems that CLAIM_TARGET claims are restricted to (POSIX IPC's). */
#define SCAN_MAX_TARGETS 4
struct scan_targets {
	uint64_t dev[SCAN_MAX_TARGETS];
	size_t n;
};

struct procscan {
	struct vec procs;	/* struct scan_proc */
	/* what each kind claimed, indexed by enum kind_id (kind.h) */
	struct vec fds[KIND_COUNT];	/* struct scan_fd */
	struct vec maps[KIND_COUNT];	/* struct scan_map */
	/* ipcinspect's own fds, claimed the same way; never in fds[] */
	struct vec self[KIND_COUNT];	/* struct scan_fd */
	struct scan_targets targets;
	size_t unreadable;	/* processes with scan_proc.unreadable */
	/*
	 * Who could hold an object unseen (doc/kernel-facts.md, "Visibility"):
	 * in a child PID namespace, processes outside it; set by the caller.
	 */
	uint64_t pid_ns;	/* inode of /proc/self/ns/pid; 0 when unreadable */
	bool child_pidns;	/* not the initial PID namespace (or not known) */
	bool outside_ruled_out;	/* --no-outside-holders: the user says none exists */
	/*
	 * The /proc read may hide processes from us (prochide_check(): its
	 * hidepid=, static text), or NULL; set by the caller.
	 */
	const char *hidden_by;
};

/*
 * Whether the scan saw every process that could hold an object, so that
 * "nobody holds it" can be said: every process read, none hidden by
 * /proc's hidepid=, and no PID namespace outside ours (or the user ruled
 * its processes out).
 */
static inline bool procscan_sees_all(const struct procscan *s)
{
	return s->unreadable == 0 && !s->hidden_by && (!s->child_pidns || s->outside_ruled_out);
}

/*
 * Starts a scan into *ret: ipcinspect's own fds, read now into ret->self
 * (procscan_self_fds()).  Call it before anything collects: a file a
 * collector holds for a moment (a POSIX semaphore it reads) is not one
 * ipcinspect holds, and read later, from a scan in its own thread, it
 * would be taken for one.  Free with procscan_free().
 */
void procscan_begin(int procfd, const struct scan_targets *targets, struct procscan *ret);

/*
 * Scans every process below procfd (an O_PATH fd of /proc) except the
 * caller, into the scan procscan_begin() started.  A process that
 * vanishes meanwhile is left out; one that cannot be read is kept, marked
 * unreadable.  Returns 0 or -errno (only when /proc itself cannot be
 * listed).
 */
int procscan_run(int procfd, struct procscan *s);
void procscan_free(struct procscan *s);

/* Every index empty, as a scan starts (for scans built by hand: the tests). */
void procscan_init(struct procscan *ret);

/*
 * Whether any process has (dev, ino) open (with maps, or mapped too), by a
 * fresh walk of every process with the per-process walk of procscan_run()
 * (a process whose main thread exited is read through a live thread):
 * 1 yes, with *ret_pid one holder (ipcinspect itself is left out, as
 * from procscan_run(): what it holds was judged, procscan_self_fds()), 0 no, -EACCES when some process could not
 * be read, -EPERM when /proc may hide some (prochide_check()): no cannot
 * be said.
 * For one re-check before a file is unlinked; never used per object in a
 * listing.
 */
int procscan_file_is_open(int procfd, uint64_t dev, uint64_t ino, bool maps, int *ret_pid);

/* Which processes procscan_add_files() walks: those in ipc_ns or in mnt_ns. */
struct scan_within {
	uint64_t ipc_ns;
	bool has_mnt_ns;
	uint64_t mnt_ns;
};

/*
 * Adds what the CLAIM_TARGET claims find on file system dev in the fds
 * (with maps, and the maps) of the processes within in (--all-namespaces:
 * a namespace's mqueue mount or /dev/shm, known only once the namespaces
 * are): one more walk of them.
 */
void procscan_add_files(struct procscan *s, int procfd, const struct scan_within *in,
			uint64_t dev, bool maps);

/*
 * Every fd kind claimed, sorted by (dev, ino, pid, fd); NULL when kind is
 * not in the registry.  Owned by s.
 */
const struct vec *procscan_claimed_fds(const struct procscan *s, const struct ipc_kind *kind);

/*
 * Every mapping kind claimed, sorted by (dev, ino, pid); NULL likewise
 * (a kind whose objects may be held by a mapping alone lists them here).
 * Owned by s.
 */
const struct vec *procscan_claimed_maps(const struct procscan *s, const struct ipc_kind *kind);

/*
 * The fds kind claimed on (dev, ino) and the processes mapping it: first
 * (or NULL) and count.  Pointers into s.
 */
size_t procscan_fds(const struct procscan *s, const struct ipc_kind *kind, uint64_t dev,
		    uint64_t ino, const struct scan_fd **ret_first);
size_t procscan_maps(const struct procscan *s, const struct ipc_kind *kind, uint64_t dev,
		     uint64_t ino, const struct scan_map **ret_first);

/*
 * ipcinspect's own fds that kind claimed on (dev, ino): first (or NULL)
 * and count, pointers into s.  They are never holders (ipcinspect does
 * not report itself), but a file it holds is not held by nobody.
 */
size_t procscan_self_fds(const struct procscan *s, const struct ipc_kind *kind, uint64_t dev,
			 uint64_t ino, const struct scan_fd **ret_first);

/* The process with that pid, or NULL. */
const struct scan_proc *procscan_proc(const struct procscan *s, int pid);

/*
 * Offers one fd link (text link, fd number fd of process pid; name its
 * entry in the fd directory dirfd) to the kinds' claims, as the scan does
 * for every fd it reads.  Returns the index (enum kind_id) of the kind
 * that claimed it, or -1.  Exposed for the unit tests.
 */
int procscan_claim_fd(struct procscan *s, int dirfd, const char *name, int pid, int fd,
		      const char *link);

/* The ends an fd holds (HOLD_* bits) from the st_mode of its
 * /proc/PID/fd/N link (lstat): S_IRUSR read, S_IWUSR write. */
unsigned procscan_link_mode(unsigned st_mode);

#endif
