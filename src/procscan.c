/*
 * The /proc pass: see procscan.h.  Per process it costs one read of stat,
 * one stat of ns/ipc and ns/mnt, one read of maps (only the lines holding
 * a kind's marker are parsed), one readlink per fd, plus a stat of the
 * target where a claim that matched the link text asks for the file type,
 * and an lstat of the link (its mode is the open mode) for claims that
 * record the ends held.  The per-process walk (visit_process, fd_walk) is
 * the one walk of this file: the scan, procscan_add_files and the act
 * re-check (procscan_file_is_open) differ only in what they do with each
 * fd and with the maps text.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "procscan.h"
#include "strutils.h"
#include "sysvipc.h"
#include "xalloc.h"

#define PF_KTHREAD 0x00200000UL	/* include/linux/sched.h */

unsigned procscan_link_mode(unsigned st_mode)
{
	return ((st_mode & S_IRUSR) ? HOLD_READ : 0) | ((st_mode & S_IWUSR) ? HOLD_WRITE : 0);
}

/* Static reasons, so scan_proc needs no allocation. */
static const char *why_of(const char *what, int err)
{
	bool denied = err == EACCES || err == EPERM;

	if (strcmp(what, "fd") == 0)
		return denied ? "fd: permission denied" : "fd: cannot be read";
	if (strcmp(what, "maps") == 0)
		return denied ? "maps: permission denied" : "maps: cannot be read";
	if (strcmp(what, "ns/ipc") == 0)
		return denied ? "ns/ipc: permission denied" : "ns/ipc: cannot be read";
	return "main thread exited and no thread could be read";
}

static bool gone(int err)
{
	return err == ENOENT || err == ESRCH;
}

/* opendir() of path below dirfd; NULL with errno set on failure. */
static DIR *opendir_at(int dirfd, const char *path)
{
	int fd = openat(dirfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *dir;

	if (fd < 0)
		return NULL;
	dir = fdopendir(fd);
	if (!dir) {
		int e = errno;

		close(fd);
		errno = e;
	}
	return dir;
}

static bool is_target(const struct scan_targets *t, uint64_t dev)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->dev[i] == dev)
			return true;
	return false;
}

/* ---- one fd ------------------------------------------------------------------ */

/* One fd link as the walk read it, with its target's stat read on demand. */
struct fd_link {
	int dirfd;		/* the fd directory */
	const char *name;	/* the entry in it */
	int pid, fd;
	const char *text;	/* the link text */
	int stat_state;		/* 0 not read yet, 1 read, -1 failed */
	struct stat st;		/* of the target (the link followed) */
};

static const struct stat *link_stat(struct fd_link *l)
{
	if (l->stat_state == 0)
		l->stat_state = fstatat(l->dirfd, l->name, &l->st, 0) == 0 ? 1 : -1;
	return l->stat_state > 0 ? &l->st : NULL;
}

/*
 * A link to a path: the kernel writes "/..." for a file, "(unreachable)"
 * before one outside the process's root, and "type:[...]" or
 * "anon_inode:..." for what has no path (pipes, sockets, nsfs, eventfd).
 */
static bool link_is_path(const char *text)
{
	return text[0] == '/' || strncmp(text, "(unreachable)", 13) == 0;
}

/*
 * The ends an fd holds, from the permission bits of its /proc/PID/fd/N
 * link: the kernel sets S_IRUSR for FMODE_READ and S_IWUSR for
 * FMODE_WRITE (fs/proc/fd.c, tid_fd_update_inode), so one lstat tells
 * what an open + read + close of fdinfo/N and parsing its flags did.  It
 * is also right where fdinfo's flags are not: an O_PATH fd (flags & 3 ==
 * 0, "read" by the flags) holds no end, and its link mode is 0.  0 when
 * the fd vanished.
 */
static unsigned fd_mode(int fddirfd, const char *fdname)
{
	struct stat st;

	if (fstatat(fddirfd, fdname, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return 0;
	return procscan_link_mode(st.st_mode);
}

/* The link text without the " (deleted)" the kernel appends, when it is true. */
static char *path_of(const char *text, bool deleted)
{
	static const char suffix[] = " (deleted)";
	size_t len = strlen(text);

	if (deleted && len >= sizeof(suffix) - 1 &&
	    strcmp(text + len - (sizeof(suffix) - 1), suffix) == 0)
		len -= sizeof(suffix) - 1;
	return xstrndup(text, len);
}

/* Whether claim c takes link l; fills the key and what c asks for into *f. */
static bool claim_matches(const struct scan_fd_claim *c, const struct scan_targets *t,
			  struct fd_link *l, struct scan_fd *f)
{
	const struct stat *st;

	if (c->prefix ? strncmp(l->text, c->prefix, strlen(c->prefix)) != 0 : !link_is_path(l->text))
		return false;
	if (c->type) {
		st = link_stat(l);
		if (!st || (st->st_mode & S_IFMT) != c->type ||
		    ((c->flags & CLAIM_TARGET) && !is_target(t, (uint64_t)st->st_dev)))
			return false;
		f->dev = (uint64_t)st->st_dev;
		f->ino = (uint64_t)st->st_ino;
		f->deleted = st->st_nlink == 0;
	} else if (!c->parse || !(f->ino = c->parse(l->text))) {
		return false;
	}
	return true;
}

/* Offers l to the claims that have every flag of need; the claimant's index or -1. */
static int claim_link(struct procscan *s, struct fd_link *l, unsigned need)
{
	size_t k;

	for (k = 0; k < KIND_COUNT; k++) {
		const struct scan_fd_claim *c = ipc_kinds[k]->claim_fds;
		struct scan_fd f = { .pid = l->pid, .fd = l->fd };

		if (!c || (c->flags & need) != need || !claim_matches(c, &s->targets, l, &f))
			continue;
		if (c->flags & CLAIM_MODE)
			f.mode = fd_mode(l->dirfd, l->name);
		if (c->flags & CLAIM_PATH)
			f.path = path_of(l->text, f.deleted);
		vec_push(&s->fds[k], &f);
		return (int)k;
	}
	return -1;
}

int procscan_claim_fd(struct procscan *s, int dirfd, const char *name, int pid, int fd,
		      const char *link)
{
	struct fd_link l = { .dirfd = dirfd, .name = name, .pid = pid, .fd = fd, .text = link };

	return claim_link(s, &l, 0);
}

/* ---- the walk ------------------------------------------------------------------ */

/* What one walk does with each fd (true: stop the walk) and with the maps text. */
struct proc_visit {
	bool (*fd)(struct fd_link *l, void *arg);
	/* NULL: maps is not read */
	void (*maps)(char *text, const struct scan_proc *p, void *arg);
	void *arg;
};

/*
 * The fd walk: every fd of the task directory taskfd, its link read.
 * Returns 0 or -errno for the fd directory itself.
 */
static int fd_walk(int taskfd, int pid, const struct proc_visit *v)
{
	char link[4096 + 16];
	struct dirent *de;
	DIR *dir;

	dir = opendir_at(taskfd, "fd");
	if (!dir)
		return -errno;
	while ((de = readdir(dir))) {
		struct fd_link l = { .dirfd = dirfd(dir), .name = de->d_name, .pid = pid,
				     .text = link };
		ssize_t n;

		if (de->d_name[0] == '.' || parse_int(de->d_name, &l.fd) < 0)
			continue;
		n = readlinkat(l.dirfd, de->d_name, link, sizeof(link) - 1);
		if (n < 0)
			continue;	/* closed meanwhile */
		link[n] = '\0';
		if (v->fd(&l, v->arg))
			break;
	}
	closedir(dir);
	return 0;
}

/* For a zombie leader whose threads live on: a fd of a live task's dir. */
static int open_live_task(int pidfd, int pid)
{
	DIR *dir = opendir_at(pidfd, "task");
	struct dirent *de;
	int r = -1;

	if (!dir)
		return -1;
	while (r < 0 && (de = readdir(dir))) {
		int tid;

		if (parse_int(de->d_name, &tid) < 0 || tid == pid)
			continue;
		r = openat(dirfd(dir), de->d_name, O_PATH | O_DIRECTORY | O_CLOEXEC);
	}
	closedir(dir);
	return r;
}

static void mark_unreadable(struct scan_proc *p, const char *what, int err)
{
	if (!p->unreadable) {
		p->unreadable = true;
		p->why = why_of(what, err);
	}
}

/* The namespaces, fds and maps of a process that holds what it has; -ESRCH: vanished. */
static int visit_task(int pidfd, int taskfd, struct scan_proc *p, const struct proc_visit *v)
{
	_cleanup_free_ char *text = NULL;
	struct stat st;
	int r;

	/* /proc/PID belongs to the effective uid (root when not dumpable) */
	if (fstat(pidfd, &st) == 0) {
		p->has_uid = true;
		p->uid = (uint32_t)st.st_uid;
	}
	if (taskfd < 0)
		return 0;
	if (fstatat(taskfd, "ns/mnt", &st, 0) == 0) {
		p->has_mnt_ns = true;
		p->mnt_ns = (uint64_t)st.st_ino;
	}
	/* a zombie leader has no ns links either: everything via taskfd */
	if (fstatat(taskfd, "ns/ipc", &st, 0) == 0) {
		p->has_ipc_ns = true;
		p->ipc_ns = (uint64_t)st.st_ino;
	} else if (gone(errno)) {
		return -ESRCH;
	} else {
		mark_unreadable(p, "ns/ipc", errno);
	}
	r = fd_walk(taskfd, p->pid, v);
	if (r < 0 && gone(-r))
		return -ESRCH;
	if (r < 0)
		mark_unreadable(p, "fd", -r);
	if (!v->maps)
		return 0;
	r = read_whole_file_at(taskfd, "maps", &text, NULL);
	if (r < 0 && gone(-r))
		return -ESRCH;
	if (r < 0)
		mark_unreadable(p, "maps", -r);
	else
		v->maps(text, p, v->arg);
	return 0;
}

/*
 * The walk of one process: stat, then (unless it is a kernel thread or
 * a zombie that holds nothing) its namespaces, fds and maps through v.
 * Returns 1 with *ret filled, 0 when there is no process to record (gone
 * before it was read, or a kernel thread), -ESRCH when it vanished
 * midway (what v was given of it is stale).
 */
static int visit_process(int procfd, int pid, const struct proc_visit *v, struct scan_proc *ret)
{
	struct scan_proc p = { .pid = pid };
	_cleanup_free_ char *stat_text = NULL;
	unsigned long flags;
	long threads;
	char name[16];
	int pidfd, taskfd, r = 0;

	snprintf(name, sizeof(name), "%d", pid);
	pidfd = openat(procfd, name, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (pidfd < 0)
		return 0;
	if (read_whole_file_at(pidfd, "stat", &stat_text, NULL) < 0 ||
	    procscan_parse_stat(stat_text, &p.state, p.comm, &flags, &threads) < 0 ||
	    (flags & PF_KTHREAD)) {
		close(pidfd);	/* gone, or a kernel thread: holds no IPC */
		return 0;
	}
	p.threads = threads;
	p.has_start = procparse_stat_start(stat_text, &p.start_ticks) == 0;
	taskfd = pidfd;
	if (p.state == 'Z' && threads > 1) {
		/* the leader exited, its threads did not: read through one */
		taskfd = open_live_task(pidfd, pid);
		if (taskfd < 0)
			mark_unreadable(&p, "task", 0);
	}
	/*
	 * A zombie whose threads are gone too has run exit_files() and
	 * exit_mm(), and has no namespaces left: it holds nothing, which is
	 * the truth, not a blind spot.  Nothing more to read.
	 */
	if (p.state != 'Z' || threads > 1)
		r = visit_task(pidfd, taskfd, &p, v);
	if (taskfd >= 0 && taskfd != pidfd)
		close(taskfd);
	close(pidfd);
	if (r < 0)
		return r;
	*ret = p;
	return 1;
}

/* ---- the scan ------------------------------------------------------------------ */

struct scan_arg {
	struct procscan *s;
	unsigned need;		/* claim flags a claim must have */
};

static bool scan_fd(struct fd_link *l, void *arg)
{
	struct scan_arg *a = arg;

	claim_link(a->s, l, a->need);
	return false;
}

/* The line of text holding p, NUL-terminated in place; *ret_nl to undo. */
static char *line_at(char *text, char *p, char **ret_nl)
{
	char *start = p;

	while (start > text && start[-1] != '\n')
		start--;
	*ret_nl = strchr(p, '\n');
	if (*ret_nl)
		**ret_nl = '\0';
	return start;
}

/* One mapping of (dev, ino) by p into maps, counted once per process. */
static void add_map(struct vec *maps, size_t first, uint64_t dev, uint64_t ino, int pid)
{
	size_t i;

	for (i = first; i < maps->len; i++) {
		struct scan_map *m = vec_at(maps, i);

		if (m->dev == dev && m->ino == ino) {
			m->mappings++;
			return;
		}
	}
	vec_push(maps, &(struct scan_map){ .dev = dev, .ino = ino, .pid = pid, .mappings = 1 });
}

/* Offers the lines holding each kind's marker to that kind's maps claim. */
static void scan_maps(char *text, const struct scan_proc *p, void *arg)
{
	struct procscan *s = ((struct scan_arg *)arg)->s;
	size_t k;

	for (k = 0; k < KIND_COUNT; k++) {
		const struct scan_maps_claim *c = ipc_kinds[k]->claim_maps;
		size_t first = s->maps[k].len;
		char *q;

		if (!c || ((c->flags & CLAIM_TARGET) && !s->targets.n))
			continue;
		for (q = strstr(text, c->marker); q; q = strstr(q, c->marker)) {
			char *nl, *line = line_at(text, q, &nl);
			uint64_t dev, ino;
			int r = c->parse(line, p, &dev, &ino);

			q = nl ? nl + 1 : line + strlen(line);
			if (nl)
				*nl = '\n';
			if (r == 0 && (!(c->flags & CLAIM_TARGET) || is_target(&s->targets, dev)))
				add_map(&s->maps[k], first, dev, ino, p->pid);
		}
	}
}

/* How long each index was before a process was read. */
struct scan_marks {
	size_t fds[KIND_COUNT], maps[KIND_COUNT];
};

static void marks_of(const struct procscan *s, struct scan_marks *ret)
{
	size_t k;

	for (k = 0; k < KIND_COUNT; k++) {
		ret->fds[k] = s->fds[k].len;
		ret->maps[k] = s->maps[k].len;
	}
}

/* Drops what was added since the marks (a process vanished mid-scan). */
static void rollback(struct procscan *s, const struct scan_marks *m)
{
	size_t i, k;

	for (k = 0; k < KIND_COUNT; k++) {
		for (i = m->fds[k]; i < s->fds[k].len; i++)
			free(((struct scan_fd *)vec_at(&s->fds[k], i))->path);
		s->fds[k].len = m->fds[k];
		s->maps[k].len = m->maps[k];
	}
}

static void scan_process(int procfd, int pid, struct procscan *s)
{
	struct scan_arg a = { .s = s };
	const struct proc_visit v = { .fd = scan_fd, .maps = scan_maps, .arg = &a };
	struct scan_marks marks;
	struct scan_proc p;
	int r;

	marks_of(s, &marks);
	r = visit_process(procfd, pid, &v, &p);
	if (r < 0)
		rollback(s, &marks);
	if (r <= 0)
		return;
	vec_push(&s->procs, &p);
	if (p.unreadable)
		s->unreadable++;
}

static int cmp_proc(const void *a, const void *b)
{
	const struct scan_proc *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

#define CMP(a, b) do { if ((a) != (b)) return (a) < (b) ? -1 : 1; } while (0)

static int cmp_fd(const void *a, const void *b)
{
	const struct scan_fd *x = a, *y = b;

	CMP(x->dev, y->dev);
	CMP(x->ino, y->ino);
	CMP(x->pid, y->pid);
	CMP(x->fd, y->fd);
	return 0;
}

static int cmp_map(const void *a, const void *b)
{
	const struct scan_map *x = a, *y = b;

	CMP(x->dev, y->dev);
	CMP(x->ino, y->ino);
	CMP(x->pid, y->pid);
	return 0;
}

static void sort_all(struct procscan *s)
{
	size_t k;

	for (k = 0; k < KIND_COUNT; k++) {
		vec_sort(&s->fds[k], cmp_fd);
		vec_sort(&s->maps[k], cmp_map);
	}
}

static bool same_file(const struct scan_fd *a, const struct scan_fd *b)
{
	return a->dev == b->dev && a->ino == b->ino;
}

/*
 * Drops the objects ipcinspect itself holds (the pipe into `| jq`, a
 * FIFO given as its stdin) from a CLAIM_SELF_HIDES index: reporting them
 * with ipcinspect left out would show a live pipe as having no writer.
 * Both vectors are sorted by (dev, ino).
 */
static void drop_held_by_self(struct vec *fds, const struct vec *self)
{
	size_t i, j = 0, kept = 0;

	for (i = 0; i < fds->len; i++) {
		struct scan_fd *f = vec_at(fds, i);

		while (j < self->len && cmp_fd(vec_at(self, j), f) < 0 &&
		       !same_file(vec_at(self, j), f))
			j++;
		if (j < self->len && same_file(vec_at(self, j), f)) {
			free(f->path);
			continue;
		}
		if (kept != i)
			memcpy(vec_at(fds, kept), f, fds->elsize);
		kept++;
	}
	fds->len = kept;
}

void procscan_init(struct procscan *ret)
{
	size_t k;

	*ret = (struct procscan){ .procs = VEC_INIT(struct scan_proc) };
	for (k = 0; k < KIND_COUNT; k++) {
		ret->fds[k] = (struct vec)VEC_INIT(struct scan_fd);
		ret->maps[k] = (struct vec)VEC_INIT(struct scan_map);
	}
}

static void scan_self(int procfd, int self, struct procscan *s)
{
	struct procscan mine;
	struct scan_arg a = { .s = &mine, .need = CLAIM_SELF_HIDES };
	const struct proc_visit v = { .fd = scan_fd, .arg = &a };
	char name[16];
	int pidfd;
	size_t k;

	snprintf(name, sizeof(name), "%d", self);
	pidfd = openat(procfd, name, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (pidfd < 0)
		return;
	procscan_init(&mine);
	mine.targets = s->targets;
	fd_walk(pidfd, self, &v);
	close(pidfd);
	sort_all(&mine);
	for (k = 0; k < KIND_COUNT; k++)
		if (mine.fds[k].len)
			drop_held_by_self(&s->fds[k], &mine.fds[k]);
	procscan_free(&mine);
}

int procscan_run(int procfd, const struct scan_targets *targets, struct procscan *ret)
{
	struct procscan s;
	int self = (int)getpid();
	struct dirent *de;
	DIR *dir = opendir_at(procfd, ".");

	if (!dir)
		return -errno;
	procscan_init(&s);
	if (targets)
		s.targets = *targets;
	while ((de = readdir(dir))) {
		int pid;

		if (parse_int(de->d_name, &pid) < 0 || pid == self)
			continue;
		scan_process(procfd, pid, &s);
	}
	closedir(dir);
	vec_sort(&s.procs, cmp_proc);
	sort_all(&s);
	scan_self(procfd, self, &s);
	*ret = s;
	return 0;
}

void procscan_free(struct procscan *s)
{
	struct scan_marks none = { { 0 }, { 0 } };
	size_t k;

	rollback(s, &none);
	vec_free(&s->procs);
	for (k = 0; k < KIND_COUNT; k++) {
		vec_free(&s->fds[k]);
		vec_free(&s->maps[k]);
	}
	s->unreadable = 0;
}

void procscan_add_files(struct procscan *s, int procfd, uint64_t ipc_ns, uint64_t dev)
{
	const struct scan_targets saved = s->targets;
	struct scan_arg a = { .s = s, .need = CLAIM_TARGET };
	const struct proc_visit v = { .fd = scan_fd, .arg = &a };
	size_t i;

	s->targets = (struct scan_targets){ .dev = { dev }, .n = 1 };
	for (i = 0; i < s->procs.len; i++) {
		const struct scan_proc *p = vec_at(&s->procs, i);
		char name[16];
		int pidfd;

		if (!p->has_ipc_ns || p->ipc_ns != ipc_ns)
			continue;
		snprintf(name, sizeof(name), "%d", p->pid);
		pidfd = openat(procfd, name, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (pidfd < 0)
			continue;
		fd_walk(pidfd, p->pid, &v);
		close(pidfd);
	}
	s->targets = saved;
	sort_all(s);
}

/* ---- look-ups ------------------------------------------------------------------ */

const struct scan_proc *procscan_proc(const struct procscan *s, int pid)
{
	struct scan_proc key = { .pid = pid };

	return vec_search(&s->procs, &key, cmp_proc);
}

/* The registry index of kind, or -1. */
static int kind_index(const struct ipc_kind *kind)
{
	size_t k;

	for (k = 0; k < KIND_COUNT; k++)
		if (ipc_kinds[k] == kind)
			return (int)k;
	return -1;
}

/* The run of entries of (dev, ino) in a vector sorted by (dev, ino, ...). */
static size_t key_run(const struct vec *v, uint64_t dev, uint64_t ino, const void **ret_first)
{
	size_t lo = 0, hi = v->len, n = 0;

	while (lo < hi) {	/* the first entry not below (dev, ino) */
		size_t mid = lo + (hi - lo) / 2;
		const uint64_t *k = vec_at(v, mid);	/* dev, ino lead both structs */

		if (k[0] < dev || (k[0] == dev && k[1] < ino))
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo + n < v->len) {
		const uint64_t *k = vec_at(v, lo + n);

		if (k[0] != dev || k[1] != ino)
			break;
		n++;
	}
	*ret_first = n ? vec_at(v, lo) : NULL;
	return n;
}

const struct vec *procscan_claimed_fds(const struct procscan *s, const struct ipc_kind *kind)
{
	int k = kind_index(kind);

	return k < 0 ? NULL : &s->fds[k];
}

size_t procscan_fds(const struct procscan *s, const struct ipc_kind *kind, uint64_t dev,
		    uint64_t ino, const struct scan_fd **ret_first)
{
	int k = kind_index(kind);

	*ret_first = NULL;
	return k < 0 ? 0 : key_run(&s->fds[k], dev, ino, (const void **)ret_first);
}

size_t procscan_maps(const struct procscan *s, const struct ipc_kind *kind, uint64_t dev,
		     uint64_t ino, const struct scan_map **ret_first)
{
	int k = kind_index(kind);

	*ret_first = NULL;
	return k < 0 ? 0 : key_run(&s->maps[k], dev, ino, (const void **)ret_first);
}

/* ---- the re-check -------------------------------------------------------------- */

struct holds_arg {
	uint64_t dev, ino;
	char needle[24];	/* " INODE ": the maps lines worth parsing */
	bool found;
};

static bool holds_fd(struct fd_link *l, void *arg)
{
	struct holds_arg *a = arg;
	const struct stat *st;

	if (!link_is_path(l->text) || !(st = link_stat(l)))
		return false;
	a->found = (uint64_t)st->st_dev == a->dev && (uint64_t)st->st_ino == a->ino;
	return a->found;
}

static void holds_map(char *text, const struct scan_proc *p, void *arg)
{
	struct holds_arg *a = arg;
	char *q;

	(void)p;
	for (q = strstr(text, a->needle); q && !a->found; q = strstr(q + 1, a->needle)) {
		char *nl, *line = line_at(text, q, &nl);
		uint64_t dev, ino;

		a->found = procparse_maps_key(line, &dev, &ino) == 0 && dev == a->dev &&
			   ino == a->ino;
		if (nl)
			*nl = '\n';
	}
}

int procscan_file_is_open(int procfd, uint64_t dev, uint64_t ino, bool maps, int *ret_pid)
{
	struct holds_arg a = { .dev = dev, .ino = ino };
	const struct proc_visit v = { .fd = holds_fd, .maps = maps ? holds_map : NULL, .arg = &a };
	DIR *dir = opendir_at(procfd, ".");
	struct dirent *de;
	bool blind = false;
	int pid = 0, r;

	if (!dir)
		return -errno;
	snprintf(a.needle, sizeof(a.needle), " %" PRIu64 " ", ino);
	/* every process, ipcinspect too: what it holds itself is in use (its own output) */
	while (!a.found && (de = readdir(dir))) {
		struct scan_proc p;

		if (parse_int(de->d_name, &pid) < 0)
			continue;
		/* the same walk of one process as procscan_run: threads of an exited leader too */
		r = visit_process(procfd, pid, &v, &p);
		if (r < 0)
			a.found = false;	/* vanished: it holds nothing now */
		else if (r > 0 && !a.found && p.unreadable)
			blind = true;
	}
	closedir(dir);
	if (a.found) {
		*ret_pid = pid;
		return 1;
	}
	return blind ? -EACCES : 0;
}
