/*
 * The judge phase for holders and recorded pids: the process scan, the
 * facts of the processes that matter, and the pid reuse rule of
 * doc/kernel-facts.md ("Pid reuse").  Kinds call these from their judge
 * hooks.
 */
#ifndef IPCINSPECT_OWNERS_H
#define IPCINSPECT_OWNERS_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "facts.h"
#include "model.h"
#include "procscan.h"
#include "vec.h"

struct owners {
	struct procscan scan;
	struct facts facts;
	bool has_ipc_ns;
	uint64_t ipc_ns;	/* the namespace inspected: /proc/self/ns/ipc */
	bool has_mnt_ns;
	uint64_t mnt_ns;	/* where /dev/shm and the FIFOs were read */
	struct timespec scan_start;	/* CLOCK_REALTIME as the process scan started */
	bool clock_stepped;	/* an IPC time before boot or after now */
	int64_t now;		/* the snapshot time, for ages */
	struct reason_arena *arena;	/* owned: the reasons of every verdict */
};

/*
 * IPC times are whole seconds cut down, start times are right to a tick:
 * a process that holds the pid now and started at or after T + 1 s + this
 * margin started after the event, so the pid was reused.
 */
#define REUSE_MARGIN_MS 20

/*
 * The pid reuse rule, a pure function: pid as recorded, t the time of its
 * last action (epoch seconds, 0 = never) named event ("ctime", ...); p
 * the process that holds the pid now (NULL: none); seen whether the scan
 * saw such a process (it may have exited since, or be unreadable to
 * libproc2); hidden when /proc may hide processes from the scan (no p is
 * then no evidence of exit); clock_stepped when no time inference holds.
 */
void actor_decide(int pid, int64_t t, const char *event, const struct proc_facts *p, bool seen,
		  bool hidden, bool clock_stepped, struct actor *ret);

/* actor_decide() with the process and its facts looked up in o. */
void actor_judge(const struct owners *o, int pid, int64_t t, const char *event,
		 struct actor *ret);

/*
 * --pid: whether pid is this actor: the recorded pid (or, alive, its
 * process), unless the judgement found the pid reused, when the number
 * names another process that did not act.
 */
bool actor_is(const struct actor *a, int pid);

/* The later of two events, with its name. */
void event_latest(int64_t t1, const char *e1, int64_t t2, const char *e2,
		  int64_t *ret_t, const char **ret_event);

/*
 * The earlier of two events that happened (0: never, left out), with its
 * name; the first of two equal ones.  An event that came before several
 * others happened at or before the earliest of them (doc/kernel-facts.md,
 * "Pid reuse").
 */
void event_earliest(int64_t t1, const char *e1, int64_t t2, const char *e2,
		    int64_t *ret_t, const char **ret_event);

/* "exited", "pid reused by a process started after ctime", ...; caller frees. */
char *actor_why(const struct actor *a);

/* The same in buf, or a static string: no allocation.  NULL: no reason. */
#define ACTOR_WHY_MAX 128
const char *actor_why_into(const struct actor *a, char buf[ACTOR_WHY_MAX]);

/* Adds pid to the list of pids whose facts the judge needs. */
static inline void owners_want(struct vec *pids, int pid)
{
	if (pid > 0)
		vec_push(pids, &pid);
}

/*
 * Groups the scanned fds starting at index first that share (dev, ino)
 * into *ret (the caller frees it with ends_free()).  Returns the index
 * after the group.
 */
size_t ends_group_fds(const struct vec *fds, size_t first, struct ends *ret);
void ends_free(struct ends *e);
/*
 * The judge hooks (struct ipc_kind gather, judge, involves) of a kind
 * whose objects start with struct ends and hold nothing else to judge.
 */
struct gather;
void ends_kind_gather(const void *obj, const struct owners *o, struct gather *g);
void ends_kind_judge(void *obj, const struct owners *o);
bool ends_kind_involves(const void *obj, int pid);

/* "mapped by comm[pid]" or "held open by comm[pid]" into buf. */
void holder_phrase(char *buf, size_t size, const struct holder *h);

/* Fills each holder's facts. */
void holders_resolve(const struct owners *o, struct holder *h, size_t n);

/*
 * A file held by fd or by mapping (POSIX IPC, memfd): the pids of the
 * fds and mappings kind's claims found on (dev, ino), for the judge's
 * facts; and those holders, fds first, then one per mapping process,
 * with their facts.  *ret (NULL when none; caller frees) holds the
 * returned count, *ret_nfds of them fds.
 */
void holders_want_file(const struct owners *o, const struct ipc_kind *kind, uint64_t dev,
		       uint64_t ino, struct gather *g);
size_t holders_of_file(const struct owners *o, const struct ipc_kind *kind, uint64_t dev,
		       uint64_t ino, struct holder **ret, size_t *ret_nfds);

#endif
