/*
 * The judge, kind by kind and rule by rule: each kind's decide hook on
 * hand-built objects (actors already judged, holders with their facts)
 * and a hand-built struct owners, no /proc.  Each case asserts the
 * verdict, the reason codes (generic ones by name, a kind's own as
 * k0, k1, ... from REASON_KIND) and the words render makes of them.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "fifo.h"
#include "kind.h"
#include "model.h"
#include "msg.h"
#include "owners.h"
#include "pipe.h"
#include "posix.h"
#include "reasons.h"
#include "sem.h"
#include "shm.h"
#include "tap.h"
#include "unixsock.h"
#include "verdict.h"
#include "xalloc.h"

static struct reason_arena *arena;
static struct owners o;

static struct proc_facts pf_postgres = { .pid = 100, .tgid = 100, .comm = (char *)"postgres" };
static struct proc_facts pf_sleep = { .pid = 103, .tgid = 103, .comm = (char *)"sleep" };
static struct proc_facts pf_cat = { .pid = 20, .tgid = 20, .comm = (char *)"cat" };
static struct proc_facts pf_app = { .pid = 30, .tgid = 30, .comm = (char *)"app" };

static const char *const generic_names[] = {
	[REASON_ACTOR_ALIVE] = "ALIVE",
	[REASON_ACTOR_ALIVE_SAME_SECOND] = "ALIVE_SAME_SECOND",
	[REASON_ACTOR_EXITED] = "EXITED",
	[REASON_ACTOR_REUSED] = "REUSED",
	[REASON_ACTOR_NOT_VISIBLE] = "NOT_VISIBLE",
	[REASON_ACTOR_UNKNOWN] = "UNKNOWN",
	[REASON_MAPPED_BY] = "MAPPED_BY",
	[REASON_HELD_FD] = "HELD_FD",
	[REASON_UNSEEN_OUTSIDE] = "UNSEEN_OUTSIDE",
	[REASON_UNSEEN_UNREADABLE] = "UNSEEN_UNREADABLE",
};

/* "k1 MAPPED_BY EXITED": the codes the judge stored, in order. */
static void codes_of(const struct verdict *v, char *buf, size_t size)
{
	struct reason list[VERDICT_MAX_REASONS];
	size_t i, len = 0;

	buf[0] = '\0';
	verdict_reasons(v, list);
	for (i = 0; i < v->nreasons && len < size; i++) {
		unsigned c = list[i].code;

		if (c >= REASON_KIND)
			len += (size_t)snprintf(buf + len, size - len, "%sk%u", i ? " " : "",
						c - REASON_KIND);
		else
			len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? " " : "",
						c < sizeof(generic_names) / sizeof(generic_names[0]) &&
						generic_names[c] ? generic_names[c] : "?");
	}
}

/* Runs kind's decide on obj and checks the verdict, the codes and the words. */
static void check(const struct ipc_kind *kind, void *obj, enum verdict_value want,
		  const char *want_codes, const char *want_words, const char *name)
{
	struct verdict *v = kind_verdict(kind, obj);
	struct verdict_work w;
	char codes[256];
	_cleanup_free_ char *words = NULL;

	if (!v)
		abort();
	verdict_begin(&w, v, obj, kind->objsize, arena);
	kind->decide(obj, &o, &w);
	is_str(verdict_name(v->value), verdict_name(want), "%s %s: verdict", kind->name, name);
	codes_of(v, codes, sizeof(codes));
	is_str(codes, want_codes, "%s %s: codes", kind->name, name);
	words = verdict_words(kind, obj, false);
	is_str(words, want_words, "%s %s: words", kind->name, name);
}

static struct actor alive(int pid, const struct proc_facts *p, const char *event)
{
	return (struct actor){ .pid = pid, .state = ACTOR_ALIVE, .reason = WHY_STARTED_BEFORE,
			       .event = event, .proc = p };
}

static struct actor gone(int pid, enum actor_reason why, const char *event)
{
	return (struct actor){ .pid = pid, .state = ACTOR_GONE, .reason = why, .event = event };
}

static void reset_owners(void)
{
	memset(&o, 0, sizeof(o));
	o.now = 1700001000;
	o.has_ipc_ns = true;
}

/* ---- shm ------------------------------------------------------------- */

static void test_shm(void)
{
	struct holder h[5];
	struct shm_seg s;
	size_t i;

	for (i = 0; i < 5; i++)
		h[i] = (struct holder){ .pid = 100 + (int)i, .fd = -1, .proc = i ? NULL : &pf_postgres };

	/* nattch 0, creator gone, never attached: the one proven orphan */
	s = (struct shm_seg){ .c = { .id = 1, .ctime = 1700000000 }, .cpid = 98,
			      .creator = gone(98, WHY_EXITED, "ctime") };
	check(&shm_kind, &s, VERDICT_ORPHAN, "k1 k7 EXITED k8",
	      "orphan: nattch 0; no process of this IPC namespace maps it; creator 98 exited; "
	      "never attached", "nattch 0, creator exited, never attached");
	ok(s.verdict.has_age && s.verdict.age == 1000, "shm: age from ctime");

	/* the last user is judged too: gone (zombie) still an orphan */
	s.last = gone(101, WHY_ZOMBIE, "dtime");
	check(&shm_kind, &s, VERDICT_ORPHAN, "k1 k7 EXITED EXITED",
	      "orphan: nattch 0; no process of this IPC namespace maps it; creator 98 exited; "
	      "last user 101 exited (zombie)", "last user a zombie");

	/* a reused creator pid: gone, with who has the pid now */
	s.creator = (struct actor){ .pid = 103, .state = ACTOR_GONE, .reason = WHY_REUSED,
				    .event = "ctime", .reuser = &pf_sleep };
	s.last = (struct actor){ 0 };
	check(&shm_kind, &s, VERDICT_ORPHAN, "k1 k7 REUSED k8",
	      "orphan: nattch 0; no process of this IPC namespace maps it; creator 103 exited: pid "
	      "103 now belongs to sleep, started after ctime; never attached", "creator pid reused");

	/* creator alive: in use */
	s.creator = alive(100, &pf_postgres, "ctime");
	check(&shm_kind, &s, VERDICT_IN_USE, "k1 k7 ALIVE k8",
	      "in-use: nattch 0; no process of this IPC namespace maps it; creator 100 (postgres) "
	      "is alive; never attached", "creator alive");
	s.creator.reason = WHY_SAME_SECOND;
	check(&shm_kind, &s, VERDICT_IN_USE, "k1 k7 ALIVE_SAME_SECOND k8",
	      "in-use: nattch 0; no process of this IPC namespace maps it; creator 100 (postgres) "
	      "is alive: it started in the same second as ctime; never attached",
	      "creator alive, started in the event's second");

	/* creator cannot be judged: unknown, never an orphan */
	s.creator = (struct actor){ .pid = 0, .state = ACTOR_UNKNOWN, .reason = WHY_NOT_VISIBLE,
				    .event = "ctime" };
	check(&shm_kind, &s, VERDICT_UNKNOWN, "k1 k7 NOT_VISIBLE k8",
	      "unknown: nattch 0; no process of this IPC namespace maps it; creator is not visible "
	      "in this pid namespace; never attached", "creator not visible");
	s.creator = (struct actor){ .pid = 98, .state = ACTOR_UNKNOWN, .reason = WHY_NO_TIME,
				    .event = "ctime" };
	check(&shm_kind, &s, VERDICT_UNKNOWN, "k1 k7 UNKNOWN k8",
	      "unknown: nattch 0; no process of this IPC namespace maps it; creator 98: no ctime "
	      "recorded to judge the pid by; never attached", "creator without a time");

	/* removed (dest) but attached: in use */
	s = (struct shm_seg){ .c = { .id = 2, .mode = 0600 | SHM_MODE_DEST }, .nattch = 1,
			      .attached = h, .nattached = 1 };
	check(&shm_kind, &s, VERDICT_IN_USE, "k0 k1 MAPPED_BY k8",
	      "in-use: removed: destroyed at its last detach (dest); nattch 1; mapped by "
	      "postgres[100]; never attached", "dest, attached");
	ok(!s.verdict.has_age, "shm: no time, no age");

	/* attached seen: at most three named, then a count */
	s = (struct shm_seg){ .c = { .id = 3 }, .nattch = 5, .attached = h, .nattached = 5 };
	check(&shm_kind, &s, VERDICT_IN_USE, "k1 MAPPED_BY MAPPED_BY MAPPED_BY k2 k8",
	      "in-use: nattch 5; mapped by postgres[100]; mapped by ?[101]; mapped by ?[102]; and 2 "
	      "more processes map it; never attached", "five attached: three named");

	/* nattch > 0, nobody seen: in use, and whose it may be */
	s = (struct shm_seg){ .c = { .id = 4 }, .nattch = 2 };
	check(&shm_kind, &s, VERDICT_IN_USE, "k1 k6 k8",
	      "in-use: nattch 2; attached by a process the scan did not find (attached meanwhile); "
	      "never attached", "attached, unseen, the scan saw all");
	o.scan.unreadable = 4;
	check(&shm_kind, &s, VERDICT_IN_USE, "k1 k5 k8",
	      "in-use: nattch 2; attached by one of 4 unreadable processes; never attached",
	      "attached, unseen, unreadable processes");
	o.scan.child_pidns = true;
	check(&shm_kind, &s, VERDICT_IN_USE, "k1 k4 k8",
	      "in-use: nattch 2; attached by a process outside this PID namespace: not visible; "
	      "never attached", "attached, unseen, a child PID namespace");
	o.has_ipc_ns = false;
	check(&shm_kind, &s, VERDICT_IN_USE, "k1 k3 k8",
	      "in-use: nattch 2; the IPC namespace of ipcinspect could not be read; never attached",
	      "attached, unseen, no IPC namespace to match");
	reset_owners();
}

/* An actor kept in the object is worded from wherever the object is now. */
static void test_moved(void)
{
	struct shm_seg *a = calloc(1, sizeof(*a)), b;
	struct verdict_work w;
	_cleanup_free_ char *words = NULL;

	a->creator = gone(98, WHY_EXITED, "ctime");
	a->last = alive(100, &pf_postgres, "atime");
	verdict_begin(&w, &a->verdict, a, sizeof(*a), arena);
	shm_kind.decide(a, &o, &w);
	b = *a;			/* as sorting and `orphans` move objects */
	memset(a, 0x5a, sizeof(*a));	/* the old place now holds something else */
	words = verdict_words(&shm_kind, &b, false);
	free(a);
	is_str(words, "in-use: nattch 0; no process of this IPC namespace maps it; creator 98 "
	       "exited; last user 100 (postgres) is alive", "shm moved after judging: the same words");
}

/* ---- msg ------------------------------------------------------------- */

static void test_msg(void)
{
	struct msg_queue q = { .c = { .id = 1, .ctime = 1700000000 } };

	check(&msg_kind, &q, VERDICT_SUSPECT, "k1", "suspect: never used", "never used");
	ok(q.verdict.has_age && q.verdict.age == 1000, "msg: age from ctime");
	q.qnum = 1;
	q.sender = gone(94, WHY_EXITED, "stime");
	check(&msg_kind, &q, VERDICT_SUSPECT, "k0 EXITED",
	      "suspect: 1 message waiting; last sender 94 exited", "one message, sender gone");
	q.qnum = 3;
	q.receiver = gone(95, WHY_EXITED, "rtime");
	check(&msg_kind, &q, VERDICT_SUSPECT, "k0 EXITED EXITED",
	      "suspect: 3 messages waiting; last sender 94 exited; last receiver 95 exited",
	      "three messages, both gone: never an orphan");
	q.receiver = alive(100, &pf_postgres, "rtime");
	check(&msg_kind, &q, VERDICT_IN_USE, "k0 EXITED ALIVE",
	      "in-use: 3 messages waiting; last sender 94 exited; last receiver 100 (postgres) is "
	      "alive", "receiver alive");
	q.qnum = 0;
	q.receiver = (struct actor){ .pid = 95, .state = ACTOR_UNKNOWN, .reason = WHY_UNREADABLE,
				     .event = "rtime" };
	check(&msg_kind, &q, VERDICT_UNKNOWN, "EXITED UNKNOWN",
	      "unknown: last sender 94 exited; last receiver 95: its process could not be read",
	      "receiver unreadable");
}

/* ---- sem ------------------------------------------------------------- */

static void test_sem(void)
{
	struct sem_one one[3];
	struct sem_set s = { .c = { .id = 1, .ctime = 1700000000 }, .otime = 1700000500 };

	s.sems_errno = EACCES;
	check(&sem_kind, &s, VERDICT_UNKNOWN, "k0",
	      "unknown: semaphores could not be read: permission denied", "semaphores unreadable");
	ok(s.verdict.has_age && s.verdict.age == 500, "sem: age from otime");

	memset(one, 0, sizeof(one));
	s.sems = one;
	s.nsems = 3;
	check(&sem_kind, &s, VERDICT_SUSPECT, "k2",
	      "suspect: no semaphore was ever operated on", "never operated on");
	/* each distinct last user once, in its first semaphore's role */
	one[0] = (struct sem_one){ .pid = 7, .last = gone(7, WHY_EXITED, "otime") };
	one[1] = (struct sem_one){ .pid = 7, .last = gone(7, WHY_EXITED, "otime") };
	one[2] = (struct sem_one){ .pid = 8, .last = gone(8, WHY_EXITED, "otime") };
	check(&sem_kind, &s, VERDICT_SUSPECT, "EXITED EXITED",
	      "suspect: semaphore #0: last user 7 exited; semaphore #2: last user 8 exited",
	      "two last users, gone: a suspect, never an orphan");
	{
		struct reason list[VERDICT_MAX_REASONS];

		verdict_reasons(&s.verdict, list);
		ok(list[1].aux == 2 && list[1].role == ROLE_KIND,
		   "sem: the role is the kind's, with the semaphore's index");
	}
	one[2].last = alive(100, &pf_postgres, "otime");
	check(&sem_kind, &s, VERDICT_IN_USE, "EXITED ALIVE",
	      "in-use: semaphore #0: last user 7 exited; semaphore #2: last user 100 (postgres) is "
	      "alive", "a last user alive");
	one[2].last = gone(8, WHY_EXITED, "otime");
	one[1].ncnt = 1;
	check(&sem_kind, &s, VERDICT_IN_USE, "k1 EXITED EXITED",
	      "in-use: 1 process waiting; semaphore #0: last user 7 exited; semaphore #2: last "
	      "user 8 exited", "one waiter");
	one[0].zcnt = 2;
	check(&sem_kind, &s, VERDICT_IN_USE, "k1 EXITED EXITED",
	      "in-use: 3 processes waiting; semaphore #0: last user 7 exited; semaphore #2: last "
	      "user 8 exited", "waiters for an increase and for zero");
}

/* ---- fifo and pipe ------------------------------------------------------------- */

static void test_fifo(void)
{
	struct holder r = { .pid = 20, .fd = 3, .proc = &pf_cat };
	struct holder wr = { .pid = 30, .fd = 4, .proc = &pf_app };
	struct fifo_obj f = { .ends = { .exhaustive = true } };

	check(&fifo_kind, &f, VERDICT_SUSPECT, "k1", "suspect: nobody holds it open",
	      "nobody, the scan saw all");
	ok(!f.verdict.has_age, "fifo not on disk: no age");
	f.on_disk = true;
	f.mtime = 1700000400;
	check(&fifo_kind, &f, VERDICT_SUSPECT, "k1", "suspect: nobody holds it open", "on disk");
	ok(f.verdict.has_age && f.verdict.age == 600, "fifo on disk: age from mtime");
	f.ends.exhaustive = false;
	o.scan.child_pidns = true;
	o.scan.unreadable = 2;
	check(&fifo_kind, &f, VERDICT_UNKNOWN, "UNSEEN_OUTSIDE UNSEEN_UNREADABLE",
	      "unknown: processes outside this PID namespace are not visible; 2 processes unreadable",
	      "nobody seen, the scan did not see all");
	reset_owners();
	f.ends.readers = &r;
	f.ends.nreaders = 1;
	check(&fifo_kind, &f, VERDICT_IN_USE, "k0", "in-use: held open by cat[20]", "one reader");
	/* an O_RDWR fd is in both lists: still one fd */
	f.ends.writers = &r;
	f.ends.nwriters = 1;
	check(&fifo_kind, &f, VERDICT_IN_USE, "k0", "in-use: held open by cat[20]",
	      "one O_RDWR fd: no others");
	f.ends.writers = &wr;
	check(&fifo_kind, &f, VERDICT_IN_USE, "k0", "in-use: held open by cat[20] and others",
	      "a reader and another writer");
}

static void test_pipe(void)
{
	struct holder h[2] = { { .pid = 20, .fd = 3 }, { .pid = 20, .fd = 4 } };
	struct pipe_obj p = { .ends = { .readers = h, .nreaders = 1, .writers = h + 1,
					.nwriters = 1, .exhaustive = true } };

	check(&pipe_kind, &p, VERDICT_IN_USE, "k0", "in-use: held by 1 reader fd and 1 writer fd",
	      "one of each");
	p.ends.nreaders = 2;
	p.ends.nwriters = 0;
	p.ends.exhaustive = false;
	o.scan.unreadable = 3;
	check(&pipe_kind, &p, VERDICT_IN_USE, "k0 UNSEEN_UNREADABLE",
	      "in-use: held by 2 reader fds and 0 writer fds seen; 3 processes unreadable",
	      "not all seen: the counts are a floor, and why; still in use");
	reset_owners();
}

/* ---- POSIX ------------------------------------------------------------- */

static void test_posix(void)
{
	struct holder h[5] = {
		{ .pid = 30, .fd = 4, .proc = &pf_app }, { .pid = 31, .fd = -1 },
		{ .pid = 32, .fd = 5 }, { .pid = 33, .fd = 6 }, { .pid = 34, .fd = -1 },
	};
	struct proc_facts notifier = { .pid = 40, .tgid = 40, .comm = (char *)"mqd" };
	struct posix_obj p = { .name = (char *)"app-1", .ctime = 1700000900, .exhaustive = true };

	check(&pshm_kind, &p, VERDICT_SUSPECT, "k4", "suspect: nobody holds it open or maps it",
	      "nobody");
	ok(p.verdict.has_age && p.verdict.age == 100, "pshm: age from ctime");
	p.exhaustive = false;
	o.scan.child_pidns = true;
	check(&pshm_kind, &p, VERDICT_UNKNOWN, "UNSEEN_OUTSIDE",
	      "unknown: processes outside this PID namespace are not visible", "nobody seen");
	reset_owners();
	p.holders = h;
	p.nholders = 2;
	check(&pshm_kind, &p, VERDICT_IN_USE, "HELD_FD MAPPED_BY",
	      "in-use: held open by app[30] (fd 4); mapped by ?[31]", "an fd and a mapping");
	p.nholders = 5;
	check(&pshm_kind, &p, VERDICT_IN_USE, "HELD_FD MAPPED_BY HELD_FD k0",
	      "in-use: held open by app[30] (fd 4); mapped by ?[31]; held open by ?[32] (fd 5); and "
	      "2 more", "five holders: three named");
	p.nholders = 0;
	p.exhaustive = true;
	p.has_value = true;
	p.waiters = 2;
	check(&psem_kind, &p, VERDICT_IN_USE, "k1 k4",
	      "in-use: 2 waiting in sem_wait; nobody holds it open or maps it", "psem waiters");
	p.has_value = false;
	p.notify_pid = 40;
	p.notifier = &notifier;
	check(&pmq_kind, &p, VERDICT_IN_USE, "k2 k4",
	      "in-use: mqd[40] is registered for notification; nobody holds it open or maps it",
	      "pmq notifier alive");
	p.notifier = NULL;
	check(&pmq_kind, &p, VERDICT_SUSPECT, "k3 k4",
	      "suspect: notification registered by pid 40, which is gone; nobody holds it open or "
	      "maps it", "pmq notifier gone");
}

/* ---- unix ------------------------------------------------------------- */

static void test_unix(void)
{
	struct holder h[2] = { { .pid = 50, .fd = 3, .proc = &pf_app }, { .pid = 51, .fd = 7 } };
	struct unix_obj u = { .on_disk = true, .mtime = 1700000990 };

	check(&unix_kind, &u, VERDICT_SUSPECT, "k0", "suspect: a socket file nobody is bound to",
	      "a file nobody is bound to");
	ok(u.verdict.has_age && u.verdict.age == 10, "unix file: age from mtime");
	u = (struct unix_obj){ .ino = 9, .holders = h, .nholders = 1 };
	check(&unix_kind, &u, VERDICT_IN_USE, "k1", "in-use: held by app[50] (fd 3)", "held");
	u.nholders = 2;
	check(&unix_kind, &u, VERDICT_IN_USE, "k1", "in-use: held by app[50] (fd 3) and others",
	      "held by two");
	/* stale: collected (the path no longer names it), judged without a read */
	u.path = (char *)"/run/x.sock";
	u.stale = true;
	check(&unix_kind, &u, VERDICT_SUSPECT, "k1 k2",
	      "suspect: held by app[50] (fd 3) and others; listening on /run/x.sock, which no "
	      "longer names this socket: nobody can connect to it", "a stale listener");
	u = (struct unix_obj){ .ino = 9 };
	o.scan.unreadable = 1;
	check(&unix_kind, &u, VERDICT_UNKNOWN, "UNSEEN_UNREADABLE",
	      "unknown: 1 process unreadable", "no holder seen");
	reset_owners();
}

int main(void)
{
	arena = reason_arena_new();
	reset_owners();
	test_shm();
	test_moved();
	test_msg();
	test_sem();
	test_fifo();
	test_pipe();
	test_posix();
	test_unix();
	reason_arena_free(arena);
	return tap_done();
}
