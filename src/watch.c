/*
 * `ipcinspect watch`: the loop.  A judged look (the snapshot `list`
 * makes, with the process scan and verdicts) at the start and then only
 * when a cheap look (watch-cheap.c) says something changed, or every
 * WATCH_FULL_EVERY intervals for what no cheap look sees.  Each judged
 * look is compared with the one before it (watch-events.c), and the
 * events are written at once; only the last judged look is kept.
 *
 * SIGINT, SIGTERM and SIGHUP are blocked and taken only between looks
 * (a signalfd polled in the sleep), so a line is never cut by them: the
 * watch ends with the look it was writing, exit 0.  A write error ends it
 * too; close_stdout() (ipcinspect.c) then says it, but EPIPE.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "creators.h"
#include "idcache.h"
#include "strutils.h"
#include "watch.h"
#include "xalloc.h"

/*
 * A judged look at least this often, and the SysV tables read at least
 * this often, in intervals (ipcinspect(1), WATCH: "Cadence" and "Cost").
 * The tables are read every interval while that takes less than
 * WATCH_TABLES_US of CPU time (a host with a few hundred objects), else
 * as often as keeps their share near that, every WATCH_TABLES_EVERY
 * intervals at the most.
 */
#define WATCH_FULL_EVERY 60
#define WATCH_TABLES_EVERY 10
#define WATCH_TABLES_US 1000
/*
 * A judged look that cannot read a namespace or kind the last one read is
 * looked at again, not compared, this many times in a row at the most.
 */
#define WATCH_DEGRADED_MAX 5

struct watch {
	const struct options *o;
	const struct collect_opts *co;
	void (*warn)(const struct snapshot *s);
	int procfd;
	struct snapshot last;		/* the last judged look */
	bool have_last;
	uint64_t counts, tables;	/* the cheap looks' fingerprints, as last read */
	bool have_fingerprint;
	unsigned since_tables;		/* intervals since the tables were read */
	unsigned tables_every;		/* read every this many intervals */
	bool recheck;			/* a judged look at the next interval */
	uint64_t warned;		/* a hash of the warnings last printed */
	struct watch_marks marks;
	struct render_opts ro;
	struct watch_out out;
	unsigned since_full;		/* intervals since the last judged look */
	struct creators *state;		/* --state, or NULL */
	bool unsaved;			/* state changed since it was last saved */
	char *save_failed;		/* why the last save failed (said once), or NULL */
	char *look_failed;		/* why the last judged look failed (said once), or NULL */
	unsigned degraded;		/* judged looks in a row that read less than the last */
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The warnings of a look, printed when they differ from the last printed. */
static void warn_once(struct watch *w, const struct snapshot *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;
	const char *p;

	for (i = 0; i < s->warnings.len; i++)
		for (p = *(char **)vec_at(&s->warnings, i); ; p++) {
			h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
			if (!*p)
				break;
		}
	if (h != w->warned)
		w->warn(s);
	w->warned = h;
}

/*
 * msg on stderr, unless it is what *last holds (said at the last
 * failure of its kind); *last then holds it.  NULL msg: none, *last
 * forgotten, so that the next failure is said again.
 */
static void say_once(char **last, const char *msg)
{
	if (msg && (!*last || strcmp(*last, msg) != 0))
		fprintf(stderr, "ipcinspect: %s\n", msg);
	free(*last);
	*last = msg ? xstrdup(msg) : NULL;
}

/*
 * --state, after the look s was compared with the last: its live
 * creators kept, the file saved when that changed (tried again after
 * each judged look until it is), and s's creators that exited pointed
 * again at what is remembered of them (recording moved the entries: the
 * pointers of the attach before the comparison are stale).  A save that
 * fails is said once per reason, and the watch goes on: its events
 * matter more than the memory.
 */
static void state_keep(struct watch *w, struct snapshot *s)
{
	_cleanup_free_ char *why = NULL, *path = NULL, *msg = NULL;

	if (creators_record(w->state, s))
		w->unsaved = true;
	creators_attach(w->state, s);
	if (!w->unsaved)
		return;
	if (creators_save(w->state, w->o->state, &why) == 0) {
		w->unsaved = false;
		say_once(&w->save_failed, NULL);
		return;
	}
	path = escape_str(w->o->state, ESCAPE_TERM);
	msg = xasprintf("--state %s: %s", path, why);
	say_once(&w->save_failed, msg);
}

/*
 * After each judged look, before it is compared: what the cheap looks
 * check of its processes, and (--state) what is remembered of its
 * creators that exited, for the events.
 */
static void watch_after_judged_look(struct watch *w, struct snapshot *s)
{
	watch_marks_take(&w->marks, w->procfd, s, &w->ro);
	if (w->state)
		creators_attach(w->state, s);
}

/*
 * Did cur fail to read what prev read: a namespace it could not enter
 * (its process gone between the scan and setns) or a kind whose source
 * went missing?  Compared, all their objects would be said removed, and
 * made again at the next look.
 */
static bool look_degraded(const struct snapshot *prev, const struct snapshot *cur)
{
	size_t i, j, k;

	for (k = 0; k < KIND_COUNT; k++)
		if (cur->kinds[k].kind && cur->kinds[k].unavailable && prev->kinds[k].kind &&
		    !prev->kinds[k].unavailable)
			return true;
	for (i = 0; i < cur->nsections; i++)
		for (j = 0; cur->sections[i].error && j < prev->nsections; j++)
			if (prev->sections[j].ipc_ns == cur->sections[i].ipc_ns &&
			    !prev->sections[j].error)
				return true;
	return false;
}

static int64_t cpu_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The tables' fingerprint, and from what reading it cost, their cadence. */
static int read_tables(struct watch *w, const struct snapshot *s, uint64_t *ret)
{
	int64_t start = cpu_us(), every;
	int r = watch_fp_tables(w->procfd, s, ret);

	every = (cpu_us() - start + WATCH_TABLES_US - 1) / WATCH_TABLES_US;
	w->tables_every = every < 1 ? 1 : every > WATCH_TABLES_EVERY ? WATCH_TABLES_EVERY
								   : (unsigned)every;
	w->since_tables = 0;
	return r;
}

/* A judged look, compared with the last: its events written. 0 or an exit status. */
static int judged_look(struct watch *w)
{
	struct snapshot cur;
	const char *failed = NULL;
	int r = snapshot_collect(&cur, w->co, &failed);

	/*
	 * A look that fails is said (once while it fails the same way) and
	 * tried again at the next interval, the last look kept; the first
	 * failing ends the watch: there is nothing to compare with.
	 */
	if (r < 0) {
		_cleanup_free_ char *msg = xasprintf("cannot read %s: %s", failed,
						     r == -EINVAL ? "unexpected format"
								  : strerror(-r));

		say_once(&w->look_failed, msg);
		w->have_fingerprint = false;
		return w->have_last ? 0 : EXIT_DATA;
	}
	say_once(&w->look_failed, NULL);
	/* a namespace or a kind that this look alone could not read: again */
	if (w->have_last && look_degraded(&w->last, &cur) && ++w->degraded < WATCH_DEGRADED_MAX) {
		snapshot_free(&cur);
		w->recheck = true;
		return 0;
	}
	w->degraded = 0;
	warn_once(w, &cur);
	/*
	 * The first (or after a failed read): what the cheap looks compare
	 * with, read after this look; what changed in between is seen by one
	 * more judged look at the next interval.  Later, changed() reads it
	 * before the judged look.
	 */
	if (!w->have_fingerprint && watch_fp_counts(&cur, &w->counts) == 0 &&
	    read_tables(w, &cur, &w->tables) == 0) {
		w->have_fingerprint = true;
		w->recheck = true;
	}
	w->ro.now = cur.time;
	w->out.ipc_ns = cur.ipc_ns;
	watch_after_judged_look(w, &cur);
	r = watch_diff(w->have_last ? &w->last : NULL, &cur, &w->out);
	if (w->state)
		state_keep(w, &cur);
	if (w->have_last)
		snapshot_free(&w->last);
	w->last = cur;
	w->have_last = true;
	w->since_full = 0;
	fflush(stdout);
	return 0;
}

/*
 * A cheap look: does it need a judged one?  The counts every interval,
 * the tables every tables_every intervals and before a judged look (so
 * that the next cheap look compares with what that look saw).  A read
 * failure says yes: the judged look says what failed.
 */
static bool changed(struct watch *w)
{
	bool differs, due = ++w->since_tables >= w->tables_every;
	uint64_t counts, tables;

	if (!w->have_fingerprint || watch_fp_counts(&w->last, &counts) < 0) {
		w->have_fingerprint = false;
		return true;
	}
	differs = counts != w->counts || w->recheck ||
		  watch_marks_changed(&w->marks, w->procfd, due) ||
		  ++w->since_full >= WATCH_FULL_EVERY;
	w->counts = counts;
	w->recheck = false;
	if (!differs && !due)
		return false;
	if (read_tables(w, &w->last, &tables) < 0) {
		w->have_fingerprint = false;
		return true;
	}
	differs |= tables != w->tables;
	w->tables = tables;
	return differs;
}

/*
 * Sleeps until deadline (CLOCK_MONOTONIC ms).  True when it is time to
 * stop: a signal came (sfd, a signalfd of the stop signals), or stdout
 * is a pipe whose reader left (POLLERR) or a terminal that hung up,
 * which an idle watch would otherwise notice only at its next event.
 */
static bool wait_until(int64_t deadline, int sfd)
{
	struct pollfd p[2] = { { .fd = sfd, .events = POLLIN }, { .fd = STDOUT_FILENO } };

	for (;;) {
		int64_t left = deadline - now_ms();
		struct signalfd_siginfo si;
		int n;

		n = poll(p, 2, left < 0 ? 0 : left > INT_MAX ? INT_MAX : (int)left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		if (p[0].revents & POLLIN) {
			ssize_t got = read(sfd, &si, sizeof(si));	/* taken: a stop either way */

			(void)got;
			return true;
		}
		if (p[1].revents & (POLLERR | POLLHUP))
			return true;
		if (p[1].revents & POLLNVAL)
			p[1].fd = -1;	/* stdout closed: the next write says it */
	}
}

static int watch_loop(struct watch *w, int sfd)
{
	int64_t next = now_ms();
	int r = 0;

	for (;;) {
		if (!w->have_last || changed(w))
			r = judged_look(w);
		if (r != 0 || ferror(stdout))
			return r;	/* a write error: close_stdout() says it */
		next += w->o->interval_ms;
		if (next < now_ms())	/* a look longer than the interval: no catching up */
			next = now_ms();
		if (wait_until(next, sfd))
			return 0;
	}
}

int watch_main(const struct options *o, const struct collect_opts *co, struct creators *state,
	       void (*warn)(const struct snapshot *s))
{
	struct watch w = {
		.o = o, .co = co, .warn = warn, .state = state, .tables_every = 1,
		.ro = { .json = o->render.json, .time_format = TIME_ISO },
		.warned = 0xcbf29ce484222325ULL,
	};
	struct sigaction hup;
	sigset_t stop;
	int r, sfd;

	/*
	 * Blocked, a signal is taken even where its disposition is to ignore
	 * it (a shell's background job ignores SIGINT), but SIGHUP only
	 * where it is not ignored: nohup means it.
	 */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	if (sigaction(SIGHUP, NULL, &hup) == 0 && hup.sa_handler != SIG_IGN)
		sigaddset(&stop, SIGHUP);
	sigprocmask(SIG_BLOCK, &stop, NULL);
	sfd = signalfd(-1, &stop, SFD_CLOEXEC | SFD_NONBLOCK);
	w.procfd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (sfd < 0 || w.procfd < 0) {
		fprintf(stderr, "ipcinspect: cannot open %s: %s\n", sfd < 0 ? "a signalfd" : "/proc",
			strerror(errno));
		if (sfd >= 0)
			close(sfd);
		return EXIT_DATA;
	}
	w.ro.users = idcache_new(IDCACHE_USER);
	w.ro.groups = idcache_new(IDCACHE_GROUP);
	w.out = (struct watch_out){ .out = stdout, .json = o->render.json, .ro = &w.ro };
	r = watch_loop(&w, sfd);
	if (w.have_last)
		snapshot_free(&w.last);
	watch_marks_free(&w.marks);
	free(w.save_failed);
	free(w.look_failed);
	idcache_free(w.ro.users);
	idcache_free(w.ro.groups);
	close(w.procfd);
	close(sfd);
	return r;
}
