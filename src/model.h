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
struct creator_memory;

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
	WHY_HIDDEN,		/* not in the scan, but /proc may hide it (hidepid=) */
};

struct actor {
	int pid;			/* as recorded */
	unsigned char state;		/* enum actor_state */
	unsigned char reason;		/* enum actor_reason */
	const char *event;		/* "ctime", "atime", ...: static */
	const struct proc_facts *proc;	/* ACTOR_ALIVE: the process now */
	const struct proc_facts *reuser;	/* WHY_REUSED: who has the pid now */
	/* ACTOR_GONE: what a watcher saw of it alive (creators.h), or NULL */
	const struct creator_memory *remembered;
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
/* The two ends of a pipe or FIFO: an O_RDWR fd is in both lists. */
struct ends {
	struct holder *readers, *writers;
	size_t nreaders, nwriters;
	bool exhaustive;	/* the scan read every process: empty means none */
};

#endif
