/*
 * The /proc pass: see procscan.h.  The walk of each process is
 * procwalk.c's; here are the kinds' claims, the indexes they fill and
 * their look-ups.  Beyond the walk, a claimed fd costs a stat of its
 * target only where a claim that matched the link text asks for the file
 * type (once per fd, whatever the number of claims), and an lstat of the
 * link (its mode is the open mode) for claims that record the ends held;
 * of the maps text, only the lines holding a kind's marker are parsed.
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

#include "prochide.h"
#include "procscan.h"
#include "procwalk.h"
#include "strutils.h"
#include "sysvipc.h"
#include "xalloc.h"

unsigned procscan_link_mode(unsigned st_mode)
{
	return ((st_mode & S_IRUSR) ? HOLD_READ : 0) | ((st_mode & S_IWUSR) ? HOLD_WRITE : 0);
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

	if (c->prefix ? strncmp(l->text, c->prefix, strlen(c->prefix)) != 0 : !procwalk_link_is_path(l->text))
		return false;
	if (c->type) {
		st = procwalk_link_stat(l);
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

/*
 * One mapping of (dev, ino) by p into maps, counted once per process;
 * line (kept only when the claim asks, CLAIM_PATH) is the first one's.
 */
static void add_map(struct vec *maps, size_t first, uint64_t dev, uint64_t ino, int pid,
		    const char *line)
{
	size_t i;

	for (i = first; i < maps->len; i++) {
		struct scan_map *m = vec_at(maps, i);

		if (m->dev == dev && m->ino == ino) {
			m->mappings++;
			return;
		}
	}
	vec_push(maps, &(struct scan_map){ .dev = dev, .ino = ino, .pid = pid, .mappings = 1,
					   .line = line ? xstrdup(line) : NULL });
}

/* Offers the lines holding each kind's marker to that kind's maps claim. */
static void scan_maps(char *text, const struct scan_proc *p, void *arg)
{
	struct procscan *s = ((struct scan_arg *)arg)->s;
	unsigned need = ((struct scan_arg *)arg)->need;	/* as for fds: claim_link() */
	size_t k;

	for (k = 0; k < KIND_COUNT; k++) {
		const struct scan_maps_claim *c = ipc_kinds[k]->claim_maps;
		size_t first = s->maps[k].len;
		char *q;

		if (!c || (c->flags & need) != need || ((c->flags & CLAIM_TARGET) && !s->targets.n))
			continue;
		for (q = strstr(text, c->marker); q; q = strstr(q, c->marker)) {
			char *nl, *line = procwalk_line_at(text, q, &nl);
			uint64_t dev, ino;
			int r = c->parse(line, p, &dev, &ino);

			if (r == 0 && (!(c->flags & CLAIM_TARGET) || is_target(&s->targets, dev)))
				add_map(&s->maps[k], first, dev, ino, p->pid,
					c->flags & CLAIM_PATH ? line : NULL);
			q = nl ? nl + 1 : line + strlen(line);
			if (nl)
				*nl = '\n';
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
		for (i = m->maps[k]; i < s->maps[k].len; i++)
			free(((struct scan_map *)vec_at(&s->maps[k], i))->line);
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
	r = procwalk_process(procfd, pid, &v, &p);
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

/*
 * One fd found twice (vec_unique()): a thread that unshared its fd table
 * holds copies of the fds it had, under the same numbers, and the walk
 * gives each table's (procwalk_fd_tables()).  The ends held are those of
 * both.
 */
static void merge_repeat(void *kept, void *dropped)
{
	struct scan_fd *k = kept, *d = dropped;

	k->mode |= d->mode;
	free(d->path);
}

static void sort_all(struct procscan *s)
{
	size_t k;

	for (k = 0; k < KIND_COUNT; k++) {
		vec_sort(&s->fds[k], cmp_fd);
		vec_unique(&s->fds[k], cmp_fd, merge_repeat);
		vec_sort(&s->maps[k], cmp_map);
	}
}

static bool same_file(const struct scan_fd *a, const struct scan_fd *b)
{
	return a->dev == b->dev && a->ino == b->ino;
}

/*
 * Drops from a CLAIM_SELF_HIDES index the objects ipcinspect holds on
 * its standard input, output or error (the pipe into `| jq`, the one
 * `$(ipcinspect)` reads), with every holder: its own input and output,
 * which without it would look abandoned.  Both vectors are sorted by
 * (dev, ino).
 */
static void drop_self_stdio(struct vec *fds, const struct vec *self)
{
	size_t i, j = 0, kept = 0;

	for (i = 0; i < fds->len; i++) {
		struct scan_fd *f = vec_at(fds, i);
		bool stdio = false;

		while (j < self->len && cmp_fd(vec_at(self, j), f) < 0 &&
		       !same_file(vec_at(self, j), f))
			j++;
		for (size_t m = j; m < self->len && same_file(vec_at(self, m), f); m++)
			stdio |= ((const struct scan_fd *)vec_at(self, m))->fd <= 2;
		if (stdio) {
			free(f->path);
			continue;
		}
		if (kept != i)
			memcpy(vec_at(fds, kept), f, fds->elsize);
		kept++;
	}
	fds->len = kept;
}

static void free_fds(struct vec *v)
{
	size_t i;

	for (i = 0; i < v->len; i++)
		free(((struct scan_fd *)vec_at(v, i))->path);
	vec_free(v);
}

void procscan_init(struct procscan *ret)
{
	size_t k;

	*ret = (struct procscan){ .procs = VEC_INIT(struct scan_proc) };
	for (k = 0; k < KIND_COUNT; k++) {
		ret->fds[k] = (struct vec)VEC_INIT(struct scan_fd);
		ret->maps[k] = (struct vec)VEC_INIT(struct scan_map);
		ret->self[k] = (struct vec)VEC_INIT(struct scan_fd);
	}
}

/*
 * ipcinspect's own fds, claimed as any process's are, into s->self: never
 * holders (it does not report itself), but what it holds is not "held by
 * nobody" either (procscan_self_fds()).
 */
void procscan_begin(int procfd, const struct scan_targets *targets, struct procscan *ret)
{
	struct procscan mine;
	struct scan_arg a = { .s = &mine };
	const struct proc_visit v = { .fd = scan_fd, .arg = &a };
	int self = procwalk_self(procfd), pidfd;
	char name[16];
	size_t k;

	procscan_init(ret);
	if (targets)
		ret->targets = *targets;
	if (self < 0)
		return;	/* that /proc does not show us */
	snprintf(name, sizeof(name), "%d", self);
	pidfd = openat(procfd, name, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (pidfd < 0)
		return;
	procscan_init(&mine);
	mine.targets = ret->targets;
	procwalk_fds(pidfd, self, &v);
	close(pidfd);
	sort_all(&mine);
	for (k = 0; k < KIND_COUNT; k++) {
		ret->self[k] = mine.fds[k];
		mine.fds[k] = (struct vec)VEC_INIT(struct scan_fd);
	}
	procscan_free(&mine);
}

int procscan_run(int procfd, struct procscan *s)
{
	int self = procwalk_self(procfd);
	struct dirent *de;
	DIR *dir = procwalk_opendir_at(procfd, ".");
	size_t k;

	if (!dir)
		return -errno;
	while ((de = readdir(dir))) {
		int pid;

		if (parse_int(de->d_name, &pid) < 0 || pid == self)
			continue;
		scan_process(procfd, pid, s);
	}
	closedir(dir);
	vec_sort(&s->procs, cmp_proc);
	sort_all(s);
	for (k = 0; k < KIND_COUNT; k++) {
		const struct scan_fd_claim *c = ipc_kinds[k]->claim_fds;

		if (c && (c->flags & CLAIM_SELF_HIDES) && s->self[k].len)
			drop_self_stdio(&s->fds[k], &s->self[k]);
	}
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
		free_fds(&s->self[k]);
	}
	s->unreadable = 0;
}

static bool is_within(const struct scan_proc *p, const struct scan_within *in)
{
	return (p->has_ipc_ns && p->ipc_ns == in->ipc_ns) ||
	       (in->has_mnt_ns && p->has_mnt_ns && p->mnt_ns == in->mnt_ns);
}

void procscan_add_files(struct procscan *s, int procfd, const struct scan_within *in,
			uint64_t dev, bool maps)
{
	const struct scan_targets saved = s->targets;
	struct scan_arg a = { .s = s, .need = CLAIM_TARGET };
	const struct proc_visit v = { .fd = scan_fd, .arg = &a };
	size_t i;

	s->targets = (struct scan_targets){ .dev = { dev }, .n = 1 };
	for (i = 0; i < s->procs.len; i++) {
		const struct scan_proc *p = vec_at(&s->procs, i);
		_cleanup_free_ char *text = NULL;
		char name[16];
		int pidfd;

		if (!is_within(p, in))
			continue;
		snprintf(name, sizeof(name), "%d", p->pid);
		pidfd = openat(procfd, name, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (pidfd < 0)
			continue;
		procwalk_fd_tables(procfd, pidfd, pidfd, p->pid, p->pid, p->threads, &v);
		if (maps && read_whole_file_at(pidfd, "maps", &text, NULL) == 0)
			scan_maps(text, p, &a);
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

const struct vec *procscan_claimed_maps(const struct procscan *s, const struct ipc_kind *kind)
{
	int k = kind_index(kind);

	return k < 0 ? NULL : &s->maps[k];
}

size_t procscan_fds(const struct procscan *s, const struct ipc_kind *kind, uint64_t dev,
		    uint64_t ino, const struct scan_fd **ret_first)
{
	int k = kind_index(kind);

	*ret_first = NULL;
	return k < 0 ? 0 : key_run(&s->fds[k], dev, ino, (const void **)ret_first);
}

size_t procscan_self_fds(const struct procscan *s, const struct ipc_kind *kind, uint64_t dev,
			 uint64_t ino, const struct scan_fd **ret_first)
{
	int k = kind_index(kind);

	*ret_first = NULL;
	return k < 0 ? 0 : key_run(&s->self[k], dev, ino, (const void **)ret_first);
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

	if (!procwalk_link_is_path(l->text) || !(st = procwalk_link_stat(l)))
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
		char *nl, *line = procwalk_line_at(text, q, &nl);
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
	DIR *dir = procwalk_opendir_at(procfd, ".");
	struct dirent *de;
	bool blind = false;
	int pid = 0, self = procwalk_self(procfd), r;

	if (!dir)
		return -errno;
	if (prochide_check(procfd)) {
		closedir(dir);
		return -EPERM;
	}
	snprintf(a.needle, sizeof(a.needle), " %" PRIu64 " ", ino);
	/*
	 * every process but ipcinspect, as the scan: what it holds itself was
	 * judged already (procscan_self_fds()), so a holder found here is one
	 * the judge did not see
	 */
	while (!a.found && (de = readdir(dir))) {
		struct scan_proc p;

		if (parse_int(de->d_name, &pid) < 0 || pid == self)
			continue;
		/* the same walk of one process as procscan_run: threads of an exited leader too */
		r = procwalk_process(procfd, pid, &v, &p);
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
