/*
 * Facts about the processes the output names (holders and recorded
 * pids), after the scan.  What the scan parsed of /proc/PID/stat is used
 * as it is: comm (raw bytes), state, threads and the start time right to
 * a clock tick (doc/kernel-facts.md, "Process start"); /proc/PID/stat is
 * read here only for a pid the scan did not read (a thread id, a process
 * started since).  libproc2 has one job: what the scan does not read,
 * the thread group and effective uid of /proc/PID/status, and with it
 * which of the pids still exist.  argv is read from /proc/PID/cmdline
 * (libproc2 splits arguments on newlines too).
 */
#ifndef IPCINSPECT_FACTS_H
#define IPCINSPECT_FACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cgroup.h"

struct proc_facts {
	int pid;		/* as asked: may be a thread id */
	int tgid;		/* the process it belongs to */
	char *comm;		/* raw bytes, as /proc/PID/stat gives them */
	char **argv;		/* NULL-terminated, raw bytes; may be empty */
	uint32_t euid;
	char state;
	int threads;		/* a zombie leader with threads > 1 lives on */
	int64_t start_ms;	/* epoch milliseconds, right to a tick (10 ms) */
	/*
	 * /proc/PID/cgroup parsed (cgroup.h): path, unit, slice, the user
	 * slice's uid and session scope, container runtime and id or name,
	 * pod UID and QoS; all empty when it could not be read.
	 */
	struct cgroup_info cgroup;
};

struct facts {
	struct proc_facts *procs;	/* sorted by pid, fixed once filled */
	size_t len;
	int64_t boot_ms;	/* boot time, epoch ms: CLOCK_REALTIME - CLOCK_BOOTTIME */
};

/*
 * The boot time in epoch milliseconds as the clocks say it now:
 * CLOCK_REALTIME - CLOCK_BOOTTIME, both read at once.  Not /proc/stat
 * btime, which is the same offset cut to whole seconds (up to 1 s early).
 */
int64_t facts_boot_ms(void);

/* A start time in ticks since boot (stat field 22) as epoch milliseconds. */
int64_t facts_start_ms(int64_t boot_ms, unsigned long long ticks, long hertz);

/*
 * Reads the facts of the n pids (duplicates allowed) in batches of at
 * most 255, libproc2's limit, taking from scan (may be NULL) what it read
 * of each; procfd is an fd of /proc.  A pid that no longer exists is left
 * out.  Returns 0 or -errno (libproc2 could not start); free with
 * facts_free().
 */
struct procscan;
int facts_read(const struct procscan *scan, int procfd, const int *pids, size_t n,
	       struct facts *ret);
void facts_free(struct facts *f);

/*
 * Reads and parses /proc/PID/cgroup (procfd: an fd of /proc) into *ret,
 * which is always written (all empty when it cannot be read).  Returns 0
 * or -errno of the read.  Free *ret with cgroup_info_free().
 */
int facts_read_cgroup(int procfd, int pid, struct cgroup_info *ret);

/* The facts of pid, or NULL when it was not read or has gone. */
const struct proc_facts *facts_get(const struct facts *f, int pid);

#endif
