/*
 * The snapshot model: plain structs for every object read in one run.
 * Collectors fill them, the judge and renderers read them; nothing here
 * touches /proc or the kernel.
 */
#ifndef IPCINSPECT_MODEL_H
#define IPCINSPECT_MODEL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "vec.h"
#include "verdict.h"

struct proc_facts;

/*
 * A pid the kernel recorded (cpid, lpid, lspid, lrpid, a semaphore's pid),
 * judged by the pid reuse rule of doc/kernel-facts.md, "Pid reuse".
 */
enum actor_state {
	ACTOR_UNJUDGED,	/* no process scan (--no-owners) */
	ACTOR_NONE,	/* pid 0 and no time: nobody ever acted */
	ACTOR_ALIVE,
	ACTOR_GONE,
	ACTOR_UNKNOWN,
};

enum actor_reason {
	WHY_NONE,
	WHY_STARTED_BEFORE,	/* alive: started before the event's second */
	WHY_SAME_SECOND,	/* alive: started in the event's second (or 20 ms after) */
	WHY_EXITED,
	WHY_ZOMBIE,
	WHY_REUSED,		/* gone: the pid's process started after the event */
	WHY_NOT_VISIBLE,	/* pid 0 with a time: another pid namespace */
	WHY_NO_TIME,		/* a pid but no event time to judge it by */
	WHY_UNREADABLE,		/* the scan saw the pid, its facts could not be read */
	WHY_CLOCK_STEPPED,	/* an IPC time before boot: no inference holds */
};

struct actor {
	int pid;			/* as recorded */
	unsigned char state;		/* enum actor_state */
	unsigned char reason;		/* enum actor_reason */
	const char *event;		/* "ctime", "atime", ...: static */
	const struct proc_facts *proc;	/* ACTOR_ALIVE: the process now */
	const struct proc_facts *reuser;	/* WHY_REUSED: who has the pid now */
};

/* A live process holding an object: by mappings (shm) or by an fd. */
struct holder {
	int pid;
	int fd;				/* -1 for mappings */
	unsigned mappings;		/* shm: lines of /proc/PID/maps */
	const struct proc_facts *proc;	/* NULL if it exited before facts were read */
};

/* The ipc_perm part every SysV object has; the first member of each. */
struct ipc_common {
	int id;
	uint32_t key;
	unsigned mode;	/* as /proc prints it: permission bits and status flags */
	uint32_t uid, gid, cuid, cgid;
	int64_t ctime;
};

#define IPC_PERM_BITS 0777
#define SHM_MODE_DEST 01000	/* removed, still attached (doc/kernel-facts.md, "Removed segments") */
#define SHM_MODE_LOCKED 02000

struct shm_seg {
	struct ipc_common c;
	uint64_t size;
	uint64_t nattch;
	int cpid, lpid;
	int64_t atime, dtime;
	bool has_rss;	/* false on kernels without the rss/swap columns */
	uint64_t rss, swap;
	struct actor creator, last;	/* cpid, lpid judged */
	bool exhaustive;		/* attached is every process mapping it */
	struct holder *attached;	/* processes of the same IPC namespace */
	size_t nattached;
	struct verdict verdict;
};

struct msg_queue {
	struct ipc_common c;
	uint64_t cbytes;	/* bytes in the queue */
	uint64_t qnum;		/* messages in the queue */
	int lspid, lrpid;
	int64_t stime, rtime;
	struct actor sender, receiver;	/* lspid, lrpid judged */
	struct verdict verdict;
};

struct sem_one {
	int value;
	int pid;	/* last semop (GETPID) */
	int ncnt;	/* waiting for an increase */
	int zcnt;	/* waiting for zero */
	struct actor last;	/* pid judged */
};

struct sem_set {
	struct ipc_common c;
	uint64_t nsems;
	int64_t otime;
	struct sem_one *sems;	/* nsems entries, or NULL: see sems_errno */
	int sems_errno;		/* why sems is NULL (positive errno) */
	struct verdict verdict;
};

/* The two ends of a pipe or FIFO: an O_RDWR fd is in both lists. */
struct ends {
	struct holder *readers, *writers;
	size_t nreaders, nwriters;
	bool exhaustive;	/* the scan read every process: empty means none */
};

/*
 * A named pipe that some process holds open, keyed by (dev, ino).  ends
 * comes first, so the shared ends_kind_* hooks serve it (owners.h).
 */
struct fifo_obj {
	struct ends ends;
	uint64_t dev, ino;
	char *path;		/* raw bytes: a holder's fd link, or DIR/NAME on disk */
	bool deleted;		/* unlinked: st_nlink == 0 */
	/* found on disk under a --fifo-dir (held open or not) */
	bool on_disk;
	int dirfd;		/* borrowed: the --fifo-dir as scanned */
	char *name;		/* the entry in that directory */
	uint32_t uid, gid;
	unsigned mode;
	int64_t atime, mtime, ctime;
	long ctime_ns;		/* st_ctim's nanoseconds */
	struct verdict verdict;
};

/*
 * A POSIX IPC object (doc/kernel-facts.md, "POSIX objects"): a file in /dev/shm (shared
 * memory, or a named semaphore sem.NAME) or in the mqueue file system.
 */
struct posix_obj {
	uint64_t dev, ino;
	char *name;		/* raw: as given to *_open, without "/" (and "sem.") */
	char *path;		/* raw: DIR/ENTRY */
	char *entry;		/* the entry in dirfd */
	int dirfd;		/* borrowed: the directory as read */
	uint64_t size;
	uint32_t uid, gid;
	unsigned mode;
	int64_t atime, mtime, ctime;
	long ctime_ns;		/* st_ctim's nanoseconds */
	bool has_value;		/* psem: a 32-byte sem_t could be read */
	uint32_t value, waiters;
	bool has_qsize;		/* pmq: the queue's status line was read */
	uint64_t used_bytes;
	int notify_pid;		/* pmq: 0 when nobody is registered */
	const struct proc_facts *notifier;	/* notify_pid, alive */
	bool exhaustive;	/* holders is everyone: the scan read every process */
	struct holder *holders;	/* fds (fd >= 0) and mappings (fd -1) */
	size_t nholders;
	struct verdict verdict;
};

/*
 * A Unix domain socket some process holds (ino != 0), or a socket file
 * under a --socket-dir that no socket is bound to (ino 0, on_disk).
 */
struct unix_obj {
	uint64_t ino;
	unsigned char type;	/* SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET; 0 unknown */
	unsigned char state;	/* TCP_LISTEN, TCP_ESTABLISHED, ... as sock_diag says */
	char *path;		/* raw: a path, or "@" and an abstract name; NULL unbound */
	size_t pathlen;		/* an abstract name may hold NUL bytes */
	bool has_vfs;		/* bound to a file: its (dev, ino) */
	uint64_t vfs_dev, vfs_ino;
	bool peers_known;	/* from sock_diag; /proc/net/unix has no peers */
	uint64_t peer_ino;	/* 0: no peer */
	bool stale;		/* listening, and its path no longer names it */
	bool on_disk;		/* found as a file under a --socket-dir */
	int dirfd;		/* borrowed: that directory */
	char *name;		/* the entry in it */
	uint32_t uid;		/* on_disk: the file's owner */
	int64_t mtime, ctime;
	bool exhaustive;	/* holders is everyone */
	struct holder *holders, *peer_holders;
	size_t nholders, npeer_holders;
	struct verdict verdict;
};

/* An anonymous pipe, keyed by its pipefs inode; ends first, as above. */
struct pipe_obj {
	struct ends ends;
	uint64_t ino;
	struct verdict verdict;
};

#endif
