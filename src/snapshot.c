/*
 * The collect phase: open /proc once, read each selected kind and the
 * limits into a snapshot.  No output, no exit: errors are returned.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "act.h"
#include "context.h"
#include "logind.h"
#include "model.h"
#include "namespaces.h"
#include "owners.h"
#include "prochide.h"
#include "snapshot.h"
#include "sysvipc.h"
#include "strutils.h"
#include "xalloc.h"

static void add_warning(struct snapshot *s, char *msg)
{
	vec_push(&s->warnings, &msg);
}

static int collect_kind(const struct collect_ctx *ctx, const struct ipc_kind *kind,
			struct kind_objs *ko)
{
	ko->kind = kind;
	ko->objs = (struct vec){ .elsize = kind->objsize };
	ko->notes = (struct vec)VEC_INIT(char *);
	ko->skipped = 0;
	ko->unavailable = false;
	return kind->collect(ctx, ko);
}

/* The collector's notes become warnings of the snapshot (moved). */
static void take_notes(struct snapshot *s, struct kind_objs *ko)
{
	size_t i;

	for (i = 0; i < ko->notes.len; i++)
		add_warning(s, *(char **)vec_at(&ko->notes, i));
	ko->notes.len = 0;
}

/*
 * The kinds read straight from the kernel are read here, one after the
 * other, unless a kind's estimate says its reading is long: then it gets
 * a thread of its own (but the last such kind is read here, so this
 * thread does not sit idle).  A thread costs its creation, a malloc
 * arena of its own and a wait for a core: at the small and medium loads
 * of `make bench` (100 and 4,000 objects of each SysV kind) a thread per
 * kind bought no wall time and cost 2-3 ms of CPU; at the large one
 * (32,000) they made the listing 1.3x faster at an idle moment of two
 * cores (809 against 1085 ms; nothing under a load of 14, where no
 * thread pays).  KIND_THREAD_MIN lies between.
 */
#define KIND_THREAD_MIN 16384

struct kind_job {
	const struct collect_ctx *ctx;
	const struct ipc_kind *kind;
	struct kind_objs *ko;
	size_t estimate;	/* the kind's estimate of its work */
	pthread_t thread;
	bool threaded;
	int r;
};

static void *kind_thread(void *arg)
{
	struct kind_job *j = arg;

	j->r = collect_kind(j->ctx, j->kind, j->ko);
	return NULL;
}

/*
 * The estimates of the kinds read straight from the kernel (none for a
 * kind without an estimate hook); returns their sum.
 */
static size_t estimate_direct(const struct collect_ctx *ctx, unsigned kind_mask,
			      size_t ret_estimates[KIND_COUNT])
{
	size_t i, sum = 0;

	for (i = 0; i < KIND_COUNT; i++) {
		const struct ipc_kind *k = ipc_kinds[i];

		ret_estimates[i] = 0;
		if ((kind_mask & (1u << i)) && !k->needs_scan && k->estimate)
			sum += ret_estimates[i] = k->estimate(ctx);
	}
	return sum;
}

static int collect_direct(struct snapshot *s, const struct collect_ctx *ctx, unsigned kind_mask,
			  const size_t estimates[KIND_COUNT], unsigned quiet,
			  const char **ret_failed)
{
	struct kind_job jobs[KIND_COUNT];
	size_t i, n = 0, last_long = KIND_COUNT;
	int r = 0;

	for (i = 0; i < KIND_COUNT; i++) {
		if (!(kind_mask & (1u << i)) || ipc_kinds[i]->needs_scan)
			continue;
		if (estimates[i] >= KIND_THREAD_MIN)
			last_long = n;
		jobs[n++] = (struct kind_job){ .ctx = ctx, .kind = ipc_kinds[i], .ko = &s->kinds[i],
					       .estimate = estimates[i] };
	}
	/* the long ones in threads but the last; the rest here (no thread: here too) */
	for (i = 0; i < n; i++)
		if (jobs[i].estimate >= KIND_THREAD_MIN && i != last_long)
			jobs[i].threaded = pthread_create(&jobs[i].thread, NULL, kind_thread,
							  &jobs[i]) == 0;
	for (i = 0; i < n; i++)
		if (!jobs[i].threaded)
			kind_thread(&jobs[i]);
	for (i = 0; i < n; i++)
		if (jobs[i].threaded)
			pthread_join(jobs[i].thread, NULL);
	/* in kind order, as when they were read one after the other */
	for (i = 0; i < n; i++) {
		bool q = quiet & (1u << (jobs[i].ko - s->kinds));

		if (jobs[i].r < 0 && q) {
			jobs[i].ko->unavailable = true;	/* read only to count: no failure */
			continue;
		}
		if (q)
			continue;	/* its notes are freed with it, unsaid */
		if (jobs[i].r < 0) {
			if (r == 0) {
				r = jobs[i].r;
				*ret_failed = jobs[i].kind->source;
			}
			continue;
		}
		if (jobs[i].ko->skipped)
			add_warning(s, xasprintf("%s: %zu line%s not understood, skipped",
						 jobs[i].kind->source, jobs[i].ko->skipped,
						 jobs[i].ko->skipped == 1 ? "" : "s"));
		take_notes(s, jobs[i].ko);
	}
	return r;
}

/* The other namespaces' objects: their pids are judged with ours. */
static void gather_sections(struct snapshot *s, struct gather *g)
{
	size_t n, i, j;

	for (n = 0; n < s->nsections; n++) {
		for (i = 0; i < KIND_COUNT; i++) {
			struct kind_objs *ko = &s->sections[n].kinds[i];

			for (j = 0; ko->kind && ko->kind->gather && j < ko->objs.len; j++)
				ko->kind->gather(vec_at(&ko->objs, j), s->owners, g);
		}
	}
}

/*
 * Each namespace's objects are judged as seen from inside it: the same
 * scan and facts, its own namespace for attachments (doc/kernel-facts.md,
 * "Segment mappings").
 */
static void judge_sections(struct snapshot *s)
{
	size_t n, i, j;

	for (n = 0; n < s->nsections; n++) {
		struct ns_section *sec = &s->sections[n];

		sec->view = xmalloc(sizeof(*sec->view));
		*sec->view = *s->owners;	/* shallow: nothing of it is freed twice */
		sec->view->has_ipc_ns = true;
		sec->view->ipc_ns = sec->ipc_ns;
		for (i = 0; i < KIND_COUNT; i++) {
			struct kind_objs *ko = &sec->kinds[i];

			ko->owners = sec->view;
			for (j = 0; ko->kind && ko->kind->judge && j < ko->objs.len; j++)
				ko->kind->judge(vec_at(&ko->objs, j), sec->view);
		}
		context_judge(sec->kinds, KIND_COUNT, sec->view);
	}
}

/*
 * The judge phase: gather the pids every object needs, read their facts
 * in one go, then let each kind judge its objects.
 */
static int judge_all(struct snapshot *s, int procfd)
{
	struct owners *o = s->owners;
	struct gather g = { .pids = VEC_INIT(int) };
	size_t i, j;
	bool before_boot;
	int r;

	for (i = 0; i < KIND_COUNT; i++) {
		struct kind_objs *ko = &s->kinds[i];

		for (j = 0; ko->kind && ko->kind->gather && j < ko->objs.len; j++)
			ko->kind->gather(vec_at(&ko->objs, j), o, &g);
	}
	gather_sections(s, &g);
	r = facts_read(&o->scan, procfd, (const int *)g.pids.data, g.pids.len, &o->facts);
	vec_free(&g.pids);
	if (r < 0)
		return r;
	/*
	 * doc/kernel-facts.md, "Pid reuse": an IPC time (cut down to the
	 * second) before boot, or after now, means CLOCK_REALTIME was stepped
	 * since, and start times built on today's offset no longer compare.
	 */
	before_boot = g.earliest && (g.earliest + 1) * 1000 <= o->facts.boot_ms;
	o->clock_stepped = before_boot || g.latest > (int64_t)time(NULL) + 1;
	if (o->clock_stepped)
		add_warning(s, xstrdup(before_boot ?
				       "an IPC time is earlier than the boot time: the clock was "
				       "stepped, so recorded pids cannot be judged" :
				       "an IPC time is later than now: the clock was stepped "
				       "back, so recorded pids cannot be judged"));
	for (i = 0; i < KIND_COUNT; i++) {
		struct kind_objs *ko = &s->kinds[i];

		ko->owners = o;
		for (j = 0; ko->kind && ko->kind->judge && j < ko->objs.len; j++)
			ko->kind->judge(vec_at(&ko->objs, j), o);
	}
	/* then what each object's siblings, owner and creation time add */
	context_judge(s->kinds, KIND_COUNT, o);
	judge_sections(s);
	return 0;
}

/*
 * The process scan runs in a thread of its own while the main thread
 * reads the SysV objects and limits: the two are independent reads of
 * the kernel (semctl on one side, /proc/PID on the other) and together
 * nearly all of the run's time, so on two cores the wall time is the
 * longer of the two instead of their sum.  Verdicts do not depend on
 * which was read first: an object created or attached during the run
 * may be listed without its holder either way, and nothing is removed
 * without act.c's re-check.  The thread pays only where the other side
 * has work to overlap: from SCAN_THREAD_MIN of the direct kinds'
 * estimates on (`make bench`, paired runs: the listing 1.13x faster at
 * the small load, an estimate of 1,700; 1.22x at the medium, 1.10x at
 * the large); below, the scan runs before them, in the same order.
 */
#define SCAN_THREAD_MIN 256

struct scan_job {
	int procfd;
	bool outside_ruled_out;		/* --no-outside-holders */
	struct scan_targets targets;	/* where POSIX IPC files live */
	struct owners *owners;
	pthread_t thread;
	bool threaded;
	int r;
};

static void *scan_thread(void *arg)
{
	struct scan_job *j = arg;

	j->r = procscan_run(j->procfd, &j->owners->scan);
	return NULL;
}

static void scan_start(struct snapshot *s, int procfd, bool thread, struct scan_job *j)
{
	struct owners *o = xcalloc(1, sizeof(*o));

	s->owners = o;
	o->arena = reason_arena_new();
	o->now = s->time;
	o->has_ipc_ns = s->has_ipc_ns;
	o->ipc_ns = s->ipc_ns;
	*j = (struct scan_job){ .procfd = procfd, .owners = o };
	/*
	 * Before the scan starts, and so before any of it: an object created
	 * later than this may have holders the scan missed (context.h).
	 */
	clock_gettime(CLOCK_REALTIME, &o->scan_start);
	if (s->shm_dir.fd >= 0)
		j->targets.dev[j->targets.n++] = s->shm_dir.dev;
	if (s->mq_dir.fd >= 0)
		j->targets.dev[j->targets.n++] = s->mq_dir.dev;
	/* ours, before the thread: the collectors open files meanwhile */
	procscan_begin(procfd, &j->targets, &o->scan);
	j->threaded = thread && pthread_create(&j->thread, NULL, scan_thread, j) == 0;
	/* no thread (not worth one, or EAGAIN under a tight RLIMIT_NPROC): here, now */
	if (!j->threaded)
		scan_thread(j);
}

/*
 * Which PID namespace the scan saw (doc/kernel-facts.md, "Visibility"):
 * in any but the initial one, processes outside may hold what we list.
 */
#define INITIAL_PID_NS_INO 4026531836u	/* PROC_PID_INIT_INO, include/linux/proc_ns.h */

static void pidns_note(struct snapshot *s, const struct scan_job *j)
{
	struct procscan *scan = &s->owners->scan;
	struct stat st;

	scan->pid_ns = fstatat(j->procfd, "self/ns/pid", &st, 0) == 0 ? (uint64_t)st.st_ino : 0;
	scan->child_pidns = scan->pid_ns != INITIAL_PID_NS_INO;
	scan->outside_ruled_out = j->outside_ruled_out;
	if (scan->child_pidns && !scan->outside_ruled_out)
		add_warning(s, xstrdup("ipcinspect runs in a child PID namespace: processes outside "
				       "it are not visible, so no object is said to have no holders "
				       "(--no-outside-holders rules them out)"));
	/* doc/kernel-facts.md, "Hidden processes" */
	scan->hidden_by = prochide_check(j->procfd);
	if (scan->hidden_by)
		add_warning(s, xasprintf("/proc is mounted with %s: it may hide other users' "
					 "processes, so no object is said to have no holders and no "
					 "recorded pid to be gone (CAP_SYS_PTRACE, or the group of "
					 "its gid=, sees them)", scan->hidden_by));
}

static int scan_finish(struct snapshot *s, struct collect_ctx *ctx, unsigned kind_mask,
		       struct scan_job *j, const char **ret_failed)
{
	struct owners *o = s->owners;
	size_t i;
	int r;

	if (j->threaded)
		pthread_join(j->thread, NULL);
	r = j->r;
	if (r < 0) {
		*ret_failed = "/proc";
		return r;
	}
	pidns_note(s, j);
	ctx->scan = &o->scan;
	if (s->all_namespaces) {
		char *warning = NULL;

		r = ns_sections_collect(s, ctx, kind_mask, s->limits.kind != NULL, collect_kind,
					&warning);
		if (warning)
			add_warning(s, warning);
		for (i = 0; i < s->nsections; i++) {
			size_t k;

			for (k = 0; k < KIND_COUNT; k++)
				take_notes(s, &s->sections[i].kinds[k]);
			if (s->sections[i].error)
				add_warning(s, xasprintf("IPC namespace %" PRIu64 " (process %d): %s",
							 s->sections[i].ipc_ns, s->sections[i].pid,
							 s->sections[i].error));
		}
		if (r < 0) {
			*ret_failed = "our own IPC namespace (setns back)";
			return r;
		}
	}
	for (i = 0; i < KIND_COUNT; i++) {
		if (!(kind_mask & (1u << i)) || !ipc_kinds[i]->needs_scan)
			continue;
		r = collect_kind(ctx, ipc_kinds[i], &s->kinds[i]);
		if (r < 0) {
			*ret_failed = ipc_kinds[i]->source;
			return r;
		}
		take_notes(s, &s->kinds[i]);
	}
	if (o->scan.unreadable)
		add_warning(s, xasprintf("%zu of %zu processes could not be read: holders may be "
					 "missing (--json lists them under scan)",
					 o->scan.unreadable, o->scan.procs.len));
	r = judge_all(s, ctx->procfd);
	if (r < 0)
		*ret_failed = "process facts (libproc2)";
	return r;
}

/*
 * Opens each DIR of --fifo-dir (or --socket-dir) once, refusing a
 * symbolic link (O_NOFOLLOW), and keeps it open: what `clean` removes is
 * in the directory that was read, even if the path is swapped for a link
 * meanwhile.
 */
static struct fifo_dir *open_dirs(struct snapshot *s, const char *option,
				  const char *const *args, size_t n)
{
	struct fifo_dir *dirs = xcalloc(n ? n : 1, sizeof(*dirs));
	size_t i;

	for (i = 0; i < n; i++) {
		struct fifo_dir *d = &dirs[i];

		d->path = path_dir_normal(args[i]);
		d->fd = open(d->path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (d->fd < 0) {
			int e = errno;
			struct stat st;

			/* O_NOFOLLOW|O_DIRECTORY on a symlink says ENOTDIR (or ELOOP) */
			/* the message names the directory as the user typed it */
			if (lstat(d->path, &st) == 0 && S_ISLNK(st.st_mode))
				add_warning(s, xasprintf("%s %s: a symbolic link, not followed",
							 option, args[i]));
			else
				add_warning(s, xasprintf("%s %s: %s", option, args[i], strerror(e)));
		}
	}
	return dirs;
}

static void open_fifo_dirs(struct snapshot *s, const struct collect_opts *co)
{
	s->fifo_dirs = open_dirs(s, "--fifo-dir", co->fifo_dirs, co->nfifo_dirs);
	s->nfifo_dirs = co->nfifo_dirs;
	s->socket_dirs = open_dirs(s, "--socket-dir", co->socket_dirs, co->nsocket_dirs);
	s->nsocket_dirs = co->nsocket_dirs;
}

static void close_dirs(struct fifo_dir *dirs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(dirs[i].path);
		if (dirs[i].fd >= 0)
			close(dirs[i].fd);
	}
	free(dirs);
}

/*
 * Opens a POSIX IPC directory once, never through a symlink; with
 * --namespace PID (pid), as that process sees it, never out of its root.
 */
static void open_posix_dir(struct posix_dir *d, int piddir, int pid, char *path, bool mqueue)
{
	struct stat st;

	if (pid > 0 && path) {
		ns_open_posix_dir(piddir, pid, path, mqueue, d);
		free(path);
	} else {
		*d = (struct posix_dir){ .path = path };
		d->fd = path ? open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1;
		d->dev = d->fd >= 0 && fstat(d->fd, &st) == 0 ? (uint64_t)st.st_dev : 0;
	}
	/* inside the IPC namespace listed (--namespace entered it) */
	if (mqueue)
		ns_mqueue_check(d);
}

int snapshot_collect(struct snapshot *ret, const struct collect_opts *co, const char **ret_failed)
{
	struct snapshot s = { .warnings = VEC_INIT(char *) };
	struct collect_ctx ctx = { .procfd = -1 };
	unsigned kind_mask = co->kinds;
	struct scan_job job = { .threaded = false };
	size_t estimates[KIND_COUNT], direct_work;
	struct utsname uts;
	struct stat st;
	int r = 0;

	s.time = (int64_t)time(NULL);
	ctx.procfd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (ctx.procfd < 0) {
		*ret_failed = "/proc";
		return -errno;
	}
	s.host = xstrdup(uname(&uts) == 0 ? uts.nodename : "");
	open_fifo_dirs(&s, co);
	ctx.fifo_dirs = s.fifo_dirs;
	ctx.nfifo_dirs = s.nfifo_dirs;
	ctx.socket_dirs = s.socket_dirs;
	ctx.nsocket_dirs = s.nsocket_dirs;
	s.shm_dir.fd = s.mq_dir.fd = -1;
	/* with --namespace PID, as that process sees them */
	if (kinds_have_policy(kind_mask, KIND_POLICY_DEV_SHM))
		open_posix_dir(&s.shm_dir, co->ns_dir, co->ns_pid, xstrdup("/dev/shm"), false);
	if (kinds_have_policy(kind_mask, KIND_POLICY_NS_MQUEUE))
		open_posix_dir(&s.mq_dir, co->ns_dir, co->ns_pid,
			       ns_mqueue_mount(co->ns_pid > 0 ? co->ns_dir : -1), true);
	s.all_namespaces = co->all_namespaces && co->owners;
	ctx.shm_dir = &s.shm_dir;
	ctx.mq_dir = &s.mq_dir;
	if (fstatat(ctx.procfd, "self/ns/ipc", &st, 0) == 0) {
		s.has_ipc_ns = true;
		s.ipc_ns = (uint64_t)st.st_ino;
	}
	direct_work = estimate_direct(&ctx, kind_mask, estimates);
	if (co->owners) {
		scan_start(&s, ctx.procfd, direct_work >= SCAN_THREAD_MIN, &job);
		if (co->ns_pid > 0 ? fstatat(co->ns_dir, "ns/mnt", &st, 0) == 0
				   : fstatat(ctx.procfd, "self/ns/mnt", &st, 0) == 0) {
			s.owners->has_mnt_ns = true;
			s.owners->mnt_ns = (uint64_t)st.st_ino;
		}
		job.outside_ruled_out = co->no_outside_holders;
	}
	r = collect_direct(&s, &ctx, kind_mask, estimates, co->quiet_kinds, ret_failed);
	if (r < 0)
		goto fail;
	if (co->limits) {
		r = collect_kind(&ctx, &limits_kind, &s.limits);
		if (r < 0) {
			*ret_failed = limits_kind.source;
			goto fail;
		}
	}
	if (co->owners) {
		r = scan_finish(&s, &ctx, kind_mask, &job, ret_failed);
		job.threaded = false;	/* joined */
		if (r < 0)
			goto fail;
		if (co->removeipc)
			removeipc_audit(&s, ctx.procfd);
	}
	close(ctx.procfd);
	*ret = s;
	return 0;
fail:
	if (job.threaded)	/* the scan reads the owners: done before they go */
		pthread_join(job.thread, NULL);
	close(ctx.procfd);
	snapshot_free(&s);
	return r;
}

static bool filter_match(const struct filter *f, const struct ipc_kind *kind, const void *obj)
{
	struct obj_ident ident;
	const struct verdict *v = kind_verdict(kind, obj);

	if (f->removeipc && !(v && (v->ctx & VCTX_REMOVEIPC)))
		return false;
	if (f->has_pid && !(kind->involves && kind->involves(obj, f->pid)))
		return false;
	if (!f->has_id && !f->has_key && !f->has_uid)
		return true;
	/* --id, --key and --user name what has an id: the SysV objects */
	act_identify(kind, obj, &ident);
	return ident.has_id && (!f->has_id || ident.id == f->id) &&
	       (!f->has_key || ident.key == f->key) && (!f->has_uid || ident.uid == f->uid);
}

static void keep_kinds(struct kind_objs *kinds,
		       bool (*keep)(const struct ipc_kind *kind, const void *obj, const void *ctx),
		       const void *ctx)
{
	size_t i, j, kept;

	for (i = 0; i < KIND_COUNT; i++) {
		struct kind_objs *ko = &kinds[i];

		for (j = 0, kept = 0; ko->kind && j < ko->objs.len; j++) {
			void *obj = vec_at(&ko->objs, j);

			if (!keep(ko->kind, obj, ctx)) {
				kind_obj_free(ko->kind, obj);
				continue;
			}
			if (kept != j)
				memcpy(vec_at(&ko->objs, kept), obj, ko->objs.elsize);
			kept++;
		}
		ko->objs.len = kept;
	}
}

void snapshot_keep(struct snapshot *s,
		   bool (*keep)(const struct ipc_kind *kind, const void *obj, const void *ctx),
		   const void *ctx)
{
	size_t n;

	keep_kinds(s->kinds, keep, ctx);
	for (n = 0; n < s->nsections; n++)
		keep_kinds(s->sections[n].kinds, keep, ctx);
}

static bool keep_matching(const struct ipc_kind *kind, const void *obj, const void *ctx)
{
	return filter_match(ctx, kind, obj);
}

void snapshot_filter(struct snapshot *s, const struct filter *f)
{
	snapshot_keep(s, keep_matching, f);
}

void snapshot_free(struct snapshot *s)
{
	size_t i;

	for (i = 0; i < KIND_COUNT; i++)
		kind_objs_free(&s->kinds[i]);
	kind_objs_free(&s->limits);
	if (s->owners) {
		procscan_free(&s->owners->scan);
		facts_free(&s->owners->facts);
		reason_arena_free(s->owners->arena);
		free(s->owners);
		s->owners = NULL;
	}
	ns_sections_free(s);
	close_dirs(s->fifo_dirs, s->nfifo_dirs);
	close_dirs(s->socket_dirs, s->nsocket_dirs);
	s->fifo_dirs = s->socket_dirs = NULL;
	s->nfifo_dirs = s->nsocket_dirs = 0;
	posix_dir_close(&s->shm_dir);
	posix_dir_close(&s->mq_dir);
	for (i = 0; i < s->warnings.len; i++)
		free(*(char **)vec_at(&s->warnings, i));
	vec_free(&s->warnings);
	free(s->host);
	s->host = NULL;
}
