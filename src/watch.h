/*
 * `ipcinspect watch`: an event stream of the changes between two judged
 * looks (snapshots with the process scan), with cheap looks in between
 * that only say whether something changed (ipcinspect(1), WATCH).
 *
 *   watch.c         the loop: signals, the interval, when to look fully
 *   watch-cheap.c   the cheap look: a fingerprint of the SysV tables, the
 *                   POSIX directories and the limits, and the pids the last
 *                   judged look saw alive
 *   watch-events.c  the events between two judged looks, in a stable order
 *   watch-out.c     one event as one line of text or one JSON object
 */
#ifndef IPCINSPECT_WATCH_H
#define IPCINSPECT_WATCH_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "column.h"
#include "snapshot.h"

struct options;

struct creators;

/*
 * Runs until SIGINT, SIGTERM or SIGHUP, or a write error on stdout;
 * co says what a judged look collects, warn prints a snapshot's
 * warnings.  state: --state's remembered creators (creators.h), loaded,
 * kept from each judged look and saved to o->state; NULL without.
 * Returns the exit status.
 */
int watch_main(const struct options *o, const struct collect_opts *co, struct creators *state,
	       void (*warn)(const struct snapshot *s));

/* A process an event names: its pid and comm (raw bytes, or NULL). */
struct watch_pid {
	int pid;
	const char *comm;
};

#define WATCH_ROLES_MAX 4

/* One event; what it names points into the looks compared. */
struct watch_event {
	const char *name;		/* "created", "removed", ...: static */
	int64_t time;			/* of the look that saw it */
	uint64_t ipc_ns;		/* 0: unknown */
	const struct kind_objs *ko;	/* the object's kind, NULL for a limit */
	const void *obj;		/* as now, or as last seen (removed) */
	/* attached, detached: the processes that came or went */
	const struct watch_pid *pids;
	size_t npids;
	bool has_nattch;
	int64_t nattch_before;
	/* creator-exited, last-user-exited */
	struct watch_pid actor;
	const char *roles[WATCH_ROLES_MAX];	/* the object's columns naming it */
	size_t nroles;
	/* verdict-changed */
	const char *verdict_before;
	/* limit */
	const char *limit;
	uint64_t value, used;
	unsigned threshold;		/* 80 or 100 */
	bool upward;
};

/* Where events go: stdout as text lines or (json) JSON Lines. */
struct watch_out {
	FILE *out;
	bool json;
	const struct render_opts *ro;
	uint64_t ipc_ns;		/* ours: the text names any other */
};

/*
 * A limit's usage (watch-events.c): 0 under 80 % of value, 1 at 80 % or
 * more, 2 at 100 % or more; 0 for a value of 0.
 */
int watch_limit_level(uint64_t value, uint64_t used);

/* Writes one event as one line (watch-out.c); 0 or -errno. */
int watch_event_write(struct watch_out *wo, const struct watch_event *ev);

/*
 * The events from the judged look prev (NULL: none before, every object
 * is "present") to cur, in order, through wo (watch-events.c).  Returns
 * 0 or the first write error as -errno.
 */
int watch_diff(const struct snapshot *prev, const struct snapshot *cur, struct watch_out *wo);

/*
 * What holds obj, from its holder columns: pids sorted, each once, into
 * *ret (malloc'd, caller frees); returns how many.
 */
size_t watch_holders(const struct kind_objs *ko, const void *obj, const struct render_opts *ro,
		     struct watch_pid **ret);

/* Calls fn for each recorded pid of obj judged alive (its actors). */
void watch_alive_actors(const struct kind_objs *ko, const void *obj,
			void (*fn)(int pid, void *data), void *data);

/* The cheap look (watch-cheap.c). */
struct watch_mark {
	int pid;
	unsigned long long start;	/* stat field 22 */
	bool zombie;
	bool holder;	/* a holder only, no actor: checked less often */
};

struct watch_marks {
	struct watch_mark *v;
	size_t n;
	bool stale;	/* one was gone when they were taken */
};

/*
 * Fingerprints of what a cheap look reads for the kinds of s (the last
 * judged look, whose POSIX directories it reads again).  counts: the
 * names and inodes in /dev/shm and the mqueue mount, and how many SysV
 * objects there are (the *_INFO counters).  tables: the SysV tables of
 * /proc/sysvipc without their resident and swapped sizes, and the limits.  0, or -errno when something could not be read.
 */
int watch_fp_counts(const struct snapshot *s, uint64_t *ret);
int watch_fp_tables(int procfd, const struct snapshot *s, uint64_t *ret);

/*
 * h mixed with the text of a /proc/sysvipc file of len bytes, but the
 * columns rss and swap where its header ends with them (watch-cheap.c).
 */
uint64_t watch_sysvipc_hash(uint64_t h, const char *text, size_t len);

/* The processes s judged alive or saw holding an object, as they are now. */
void watch_marks_take(struct watch_marks *m, int procfd, const struct snapshot *s,
		      const struct render_opts *ro);

/*
 * Has any of them exited (or become a zombie, or its pid been reused)?
 * The holders that are no actor only with holders.
 */
bool watch_marks_changed(const struct watch_marks *m, int procfd, bool holders);

void watch_marks_free(struct watch_marks *m);

#endif
