/*
 * Facts about the processes that matter (holders and recorded pids), read
 * once through libproc2 after the scan: comm, effective uid, state, thread
 * group and absolute start time (KERNEL-NOTES.md 3.6, 7.1); argv is read
 * from /proc/PID/cmdline (libproc2 splits arguments on newlines too).
 */
#ifndef IPCINSPECT_FACTS_H
#define IPCINSPECT_FACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct proc_facts {
	int pid;		/* as asked: may be a thread id */
	int tgid;		/* the process it belongs to */
	char *comm;		/* as libproc2 gives it (lossy): see owners_raw_comms() */
	char **argv;		/* NULL-terminated, raw bytes; may be empty */
	uint32_t euid;
	char state;
	int threads;		/* a zombie leader with threads > 1 lives on */
	int64_t start;		/* epoch seconds (about 1 s resolution) */
};

struct facts {
	struct proc_facts *procs;	/* sorted by pid, fixed once filled */
	size_t len;
	int64_t btime;		/* boot time, epoch seconds */
};

/*
 * Reads the facts of the n pids (duplicates allowed) in batches of at
 * most 255, libproc2's limit.  A pid that no longer exists is left out.
 * Returns 0 or -errno (libproc2 could not start); free with facts_free().
 */
int facts_read(const int *pids, size_t n, struct facts *ret);
void facts_free(struct facts *f);

/* The facts of pid, or NULL when it was not read or has gone. */
const struct proc_facts *facts_get(const struct facts *f, int pid);

#endif
