/*
 * The /proc pass: see procscan.h.  Per process it costs one read of stat,
 * one stat of ns/ipc, one read of maps (only "/SYSV" lines are parsed),
 * one readlink per fd, plus an fstatat for fds that name a path (to find
 * FIFOs) and an lstat of the link (its mode is the open mode) for pipe
 * and FIFO fds only.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
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

static void add_fifo(struct procscan *s, int pid, int fd, unsigned mode, const struct stat *st,
		     const char *link)
{
	struct scan_fd h = {
		.dev = (uint64_t)st->st_dev, .ino = (uint64_t)st->st_ino,
		.pid = pid, .fd = fd, .mode = mode, .deleted = st->st_nlink == 0,
	};
	size_t len = strlen(link);
	static const char suffix[] = " (deleted)";

	/* the kernel appends " (deleted)": strip it only when it is true */
	if (h.deleted && len >= sizeof(suffix) - 1 &&
	    strcmp(link + len - (sizeof(suffix) - 1), suffix) == 0)
		len -= sizeof(suffix) - 1;
	h.path = xstrndup(link, len);
	vec_push(&s->fifos, &h);
}

/*
 * Link texts that are never a FIFO: sockets and anonymous inodes.  Any
 * other (a path, or one the kernel marks "(unreachable)" outside the
 * process's root) is stat'ed.
 */
static bool could_be_fifo(const char *link)
{
	return strncmp(link, "socket:[", 8) != 0 && strncmp(link, "anon_inode:", 11) != 0;
}

static bool is_target(const struct scan_targets *t, dev_t dev)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->dev[i] == (uint64_t)dev)
			return true;
	return false;
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

/* Returns 0 or -errno for the fd directory itself. */
static int scan_fds(int taskfd, int pid, struct procscan *s)
{
	char link[4096 + 16];
	struct dirent *de;
	DIR *dir;
	int dfd;

	dir = opendir_at(taskfd, "fd");
	if (!dir)
		return -errno;
	dfd = dirfd(dir);
	while ((de = readdir(dir))) {
		struct stat st;
		ssize_t n;
		uint64_t ino;
		int fd;

		if (de->d_name[0] == '.' || parse_int(de->d_name, &fd) < 0)
			continue;
		n = readlinkat(dfd, de->d_name, link, sizeof(link) - 1);
		if (n < 0)
			continue;	/* closed meanwhile */
		link[n] = '\0';
		ino = procscan_parse_pipe_link(link);
		if (ino) {
			struct scan_fd h = { .ino = ino, .pid = pid, .fd = fd };

			h.mode = fd_mode(dfd, de->d_name);
			vec_push(&s->pipes, &h);
		} else if ((ino = procscan_parse_socket_link(link))) {
			struct scan_fd h = { .ino = ino, .pid = pid, .fd = fd };

			vec_push(&s->sockets, &h);
		} else if (could_be_fifo(link) && fstatat(dfd, de->d_name, &st, 0) == 0) {
			if (S_ISFIFO(st.st_mode))
				add_fifo(s, pid, fd, fd_mode(dfd, de->d_name), &st, link);
			else if (S_ISREG(st.st_mode) && is_target(&s->targets, st.st_dev)) {
				struct scan_fd h = {
					.dev = (uint64_t)st.st_dev, .ino = (uint64_t)st.st_ino,
					.pid = pid, .fd = fd, .mode = fd_mode(dfd, de->d_name),
				};

				vec_push(&s->files, &h);
			}
		}
	}
	closedir(dir);
	return 0;
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

/* Mappings of files under /dev/shm on a target file system (POSIX IPC). */
static void scan_file_maps(char *text, int pid, struct procscan *s)
{
	size_t first = s->fmaps.len;
	char *p;

	for (p = strstr(text, " /dev/shm/"); p; p = strstr(p + 1, " /dev/shm/")) {
		char *nl, *line = line_at(text, p, &nl);
		uint64_t dev, ino;
		int r = procscan_parse_maps_file(line, &dev, &ino);
		size_t i;

		if (nl)
			*nl = '\n';
		if (r < 0 || !is_target(&s->targets, (dev_t)dev))
			continue;
		for (i = first; i < s->fmaps.len; i++) {
			struct scan_fmap *m = vec_at(&s->fmaps, i);

			if (m->dev == dev && m->ino == ino) {
				m->mappings++;
				break;
			}
		}
		if (i == s->fmaps.len) {
			struct scan_fmap m = { .dev = dev, .ino = ino, .pid = pid, .mappings = 1 };

			vec_push(&s->fmaps, &m);
		}
	}
}

/* Returns 0 or -errno; adds one scan_shm per segment mapped. */
static int scan_maps(int taskfd, int pid, uint64_t ipc_ns, bool has_ns, struct procscan *s)
{
	_cleanup_free_ char *text = NULL;
	size_t first = s->shm.len;
	char *p;
	int r;

	r = read_whole_file_at(taskfd, "maps", &text, NULL);
	if (r < 0)
		return r;
	for (p = strstr(text, " /SYSV"); p; p = strstr(p + 1, " /SYSV")) {
		char *start = p, *nl;
		int shmid;
		size_t i;

		while (start > text && start[-1] != '\n')
			start--;
		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		shmid = procscan_parse_maps_line(start);
		if (nl)
			*nl = '\n';
		if (shmid < 0 || !has_ns)
			continue;
		for (i = first; i < s->shm.len; i++) {
			struct scan_shm *m = vec_at(&s->shm, i);

			if (m->shmid == shmid) {
				m->mappings++;
				break;
			}
		}
		if (i == s->shm.len) {
			struct scan_shm m = { .ipc_ns = ipc_ns, .shmid = shmid, .pid = pid, .mappings = 1 };

			vec_push(&s->shm, &m);
		}
	}
	if (s->targets.n)
		scan_file_maps(text, pid, s);
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

/* How long each index was before a process was read. */
struct scan_marks {
	size_t shm, pipes, fifos, files, fmaps, sockets;
};

static struct scan_marks marks_of(const struct procscan *s)
{
	return (struct scan_marks){ s->shm.len, s->pipes.len, s->fifos.len, s->files.len,
				    s->fmaps.len, s->sockets.len };
}

/* Drops what a process added since the marks: it vanished mid-scan. */
static void rollback(struct procscan *s, const struct scan_marks *m)
{
	size_t i;

	for (i = m->fifos; i < s->fifos.len; i++)
		free(((struct scan_fd *)vec_at(&s->fifos, i))->path);
	s->shm.len = m->shm;
	s->pipes.len = m->pipes;
	s->fifos.len = m->fifos;
	s->files.len = m->files;
	s->fmaps.len = m->fmaps;
	s->sockets.len = m->sockets;
}

static void scan_process(int procfd, int pid, struct procscan *s)
{
	const struct scan_marks marks = marks_of(s);
	struct scan_proc p = { .pid = pid };
	_cleanup_free_ char *stat_text = NULL;
	unsigned long flags;
	long threads;
	char name[16];
	struct stat st;
	int pidfd, taskfd, r;

	snprintf(name, sizeof(name), "%d", pid);
	pidfd = openat(procfd, name, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (pidfd < 0)
		return;
	if (read_whole_file_at(pidfd, "stat", &stat_text, NULL) < 0 ||
	    procscan_parse_stat(stat_text, &p.state, p.comm, &flags, &threads) < 0 ||
	    (flags & PF_KTHREAD)) {
		close(pidfd);	/* gone, or a kernel thread: holds no IPC */
		return;
	}
	taskfd = pidfd;
	if (p.state == 'Z' && threads > 1) {
		/* the leader exited, its threads did not: read through one */
		taskfd = open_live_task(pidfd, pid);
		if (taskfd < 0) {
			p.unreadable = true;
			p.why = why_of("task", 0);
		}
	}
	/*
	 * A zombie whose threads are gone too has run exit_files() and
	 * exit_mm(), and has no namespaces left: it holds nothing, which is
	 * the truth, not a blind spot.  Nothing more to read.
	 */
	if (p.state == 'Z' && threads <= 1)
		goto done;
	/* /proc/PID belongs to the effective uid (root when not dumpable) */
	if (fstat(pidfd, &st) == 0) {
		p.has_uid = true;
		p.uid = (uint32_t)st.st_uid;
	}
	if (taskfd >= 0 && fstatat(taskfd, "ns/mnt", &st, 0) == 0) {
		p.has_mnt_ns = true;
		p.mnt_ns = (uint64_t)st.st_ino;
	}
	/* a zombie leader has no ns links either: everything via taskfd */
	if (taskfd >= 0 && fstatat(taskfd, "ns/ipc", &st, 0) == 0) {
		p.has_ipc_ns = true;
		p.ipc_ns = (uint64_t)st.st_ino;
	} else if (taskfd >= 0 && gone(errno)) {
		goto vanished;
	} else if (!p.unreadable) {
		p.unreadable = true;
		p.why = why_of("ns/ipc", errno);
	}
	if (taskfd >= 0) {
		r = scan_fds(taskfd, pid, s);
		if (r < 0 && gone(-r))
			goto vanished;
		if (r < 0 && !p.unreadable) {
			p.unreadable = true;
			p.why = why_of("fd", -r);
		}
		r = scan_maps(taskfd, pid, p.ipc_ns, p.has_ipc_ns, s);
		if (r < 0 && gone(-r))
			goto vanished;
		if (r < 0 && !p.unreadable) {
			p.unreadable = true;
			p.why = why_of("maps", -r);
		}
	}
done:
	if (taskfd >= 0 && taskfd != pidfd)
		close(taskfd);
	close(pidfd);
	vec_push(&s->procs, &p);
	if (p.unreadable)
		s->unreadable++;
	return;
vanished:
	if (taskfd >= 0 && taskfd != pidfd)
		close(taskfd);
	close(pidfd);
	rollback(s, &marks);
}

static int cmp_proc(const void *a, const void *b)
{
	const struct scan_proc *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

#define CMP(a, b) do { if ((a) != (b)) return (a) < (b) ? -1 : 1; } while (0)

static int cmp_shm(const void *a, const void *b)
{
	const struct scan_shm *x = a, *y = b;

	CMP(x->ipc_ns, y->ipc_ns);
	CMP(x->shmid, y->shmid);
	CMP(x->pid, y->pid);
	return 0;
}

static int cmp_fd(const void *a, const void *b)
{
	const struct scan_fd *x = a, *y = b;

	CMP(x->dev, y->dev);
	CMP(x->ino, y->ino);
	CMP(x->pid, y->pid);
	CMP(x->fd, y->fd);
	return 0;
}

static int cmp_fmap(const void *a, const void *b)
{
	const struct scan_fmap *x = a, *y = b;

	CMP(x->dev, y->dev);
	CMP(x->ino, y->ino);
	CMP(x->pid, y->pid);
	return 0;
}

static bool same_file(const struct scan_fd *a, const struct scan_fd *b)
{
	return a->dev == b->dev && a->ino == b->ino;
}

/*
 * Drops the pipes and FIFOs that ipcinspect itself holds (the pipe into
 * `| jq`, a FIFO given as its stdin): reporting them with ipcinspect left
 * out would show a live pipe as having no writer.  Both vectors are
 * sorted by (dev, ino).
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

/* Every index empty, of its element type. */
static struct procscan procscan_empty(void)
{
	return (struct procscan){
		.procs = VEC_INIT(struct scan_proc), .shm = VEC_INIT(struct scan_shm),
		.pipes = VEC_INIT(struct scan_fd), .fifos = VEC_INIT(struct scan_fd),
		.files = VEC_INIT(struct scan_fd), .fmaps = VEC_INIT(struct scan_fmap),
		.sockets = VEC_INIT(struct scan_fd),
	};
}

static void scan_self(int procfd, int self, struct procscan *s)
{
	struct procscan mine = procscan_empty();
	char name[16];
	int pidfd;

	snprintf(name, sizeof(name), "%d", self);
	pidfd = openat(procfd, name, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (pidfd < 0)
		return;
	scan_fds(pidfd, self, &mine);
	close(pidfd);
	vec_sort(&mine.pipes, cmp_fd);
	vec_sort(&mine.fifos, cmp_fd);
	drop_held_by_self(&s->pipes, &mine.pipes);
	drop_held_by_self(&s->fifos, &mine.fifos);
	procscan_free(&mine);
}

int procscan_run(int procfd, const struct scan_targets *targets, struct procscan *ret)
{
	struct procscan s = procscan_empty();
	int self = (int)getpid();
	struct dirent *de;
	DIR *dir = opendir_at(procfd, ".");

	if (targets)
		s.targets = *targets;
	if (!dir)
		return -errno;
	while ((de = readdir(dir))) {
		int pid;

		if (parse_int(de->d_name, &pid) < 0 || pid == self)
			continue;
		scan_process(procfd, pid, &s);
	}
	closedir(dir);
	vec_sort(&s.procs, cmp_proc);
	vec_sort(&s.shm, cmp_shm);
	vec_sort(&s.pipes, cmp_fd);
	vec_sort(&s.fifos, cmp_fd);
	vec_sort(&s.files, cmp_fd);
	vec_sort(&s.fmaps, cmp_fmap);
	vec_sort(&s.sockets, cmp_fd);
	scan_self(procfd, self, &s);
	*ret = s;
	return 0;
}

void procscan_free(struct procscan *s)
{
	rollback(s, &(struct scan_marks){ 0 });
	vec_free(&s->procs);
	vec_free(&s->shm);
	vec_free(&s->pipes);
	vec_free(&s->fifos);
	vec_free(&s->files);
	vec_free(&s->fmaps);
	vec_free(&s->sockets);
	s->unreadable = 0;
}

const struct scan_proc *procscan_proc(const struct procscan *s, int pid)
{
	struct scan_proc key = { .pid = pid };

	return vec_search(&s->procs, &key, cmp_proc);
}

/* The run of entries of (dev, ino) in a vector sorted by (dev, ino, ...). */
static size_t file_run(const struct vec *v, uint64_t dev, uint64_t ino, const void **ret_first)
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

size_t procscan_files(const struct procscan *s, uint64_t dev, uint64_t ino,
		      const struct scan_fd **ret_first)
{
	return file_run(&s->files, dev, ino, (const void **)ret_first);
}

size_t procscan_sockets(const struct procscan *s, uint64_t ino, const struct scan_fd **ret_first)
{
	return file_run(&s->sockets, 0, ino, (const void **)ret_first);
}

size_t procscan_fmaps(const struct procscan *s, uint64_t dev, uint64_t ino,
		      const struct scan_fmap **ret_first)
{
	return file_run(&s->fmaps, dev, ino, (const void **)ret_first);
}

size_t procscan_shm(const struct procscan *s, uint64_t ipc_ns, int shmid,
		    const struct scan_shm **ret_first)
{
	size_t lo = 0, hi = s->shm.len, n = 0;

	/* lower bound of (ipc_ns, shmid) */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct scan_shm *m = vec_at(&s->shm, mid);

		if (m->ipc_ns < ipc_ns || (m->ipc_ns == ipc_ns && m->shmid < shmid))
			lo = mid + 1;
		else
			hi = mid;
	}
	*ret_first = NULL;
	while (lo + n < s->shm.len) {
		const struct scan_shm *m = vec_at(&s->shm, lo + n);

		if (m->ipc_ns != ipc_ns || m->shmid != shmid)
			break;
		n++;
	}
	if (n)
		*ret_first = vec_at(&s->shm, lo);
	return n;
}

void procscan_add_files(struct procscan *s, int procfd, uint64_t ipc_ns, uint64_t dev)
{
	size_t i;

	for (i = 0; i < s->procs.len; i++) {
		const struct scan_proc *p = vec_at(&s->procs, i);
		char name[32];
		struct dirent *de;
		DIR *dir;

		if (!p->has_ipc_ns || p->ipc_ns != ipc_ns)
			continue;
		snprintf(name, sizeof(name), "%d/fd", p->pid);
		dir = opendir_at(procfd, name);
		if (!dir)
			continue;
		while ((de = readdir(dir))) {
			char link[64];
			struct stat st;
			ssize_t n;
			int fd;

			if (de->d_name[0] == '.' || parse_int(de->d_name, &fd) < 0)
				continue;
			n = readlinkat(dirfd(dir), de->d_name, link, sizeof(link) - 1);
			if (n < 0)
				continue;
			link[n] = '\0';
			if (procscan_parse_pipe_link(link) || !could_be_fifo(link) ||
			    fstatat(dirfd(dir), de->d_name, &st, 0) < 0 || !S_ISREG(st.st_mode) ||
			    (uint64_t)st.st_dev != dev)
				continue;
			vec_push(&s->files, &(struct scan_fd){
				.dev = dev, .ino = (uint64_t)st.st_ino, .pid = p->pid, .fd = fd,
				.mode = fd_mode(dirfd(dir), de->d_name) });
		}
		closedir(dir);
	}
	vec_sort(&s->files, cmp_fd);
}

/* Whether what one process added to s holds (dev, ino): an fd, or a mapping when maps. */
static bool process_holds(const struct procscan *s, uint64_t dev, uint64_t ino, bool maps)
{
	const struct vec *fds[] = { &s->fifos, &s->files };
	size_t i, k;

	for (k = 0; k < sizeof(fds) / sizeof(fds[0]); k++)
		for (i = 0; i < fds[k]->len; i++) {
			const struct scan_fd *f = vec_at(fds[k], i);

			if (f->dev == dev && f->ino == ino)
				return true;
		}
	for (i = 0; maps && i < s->fmaps.len; i++) {
		const struct scan_fmap *m = vec_at(&s->fmaps, i);

		if (m->dev == dev && m->ino == ino)
			return true;
	}
	return false;
}

int procscan_file_is_open(int procfd, uint64_t dev, uint64_t ino, bool maps, int *ret_pid)
{
	struct procscan s = procscan_empty();
	DIR *dir = opendir_at(procfd, ".");
	struct dirent *de;
	int holder = 0;
	bool blind = false;

	if (!dir)
		return -errno;
	s.targets = (struct scan_targets){ .dev = { dev }, .n = 1 };
	/* every process, ipcinspect too: what it holds itself is in use (its own output) */
	while (!holder && (de = readdir(dir))) {
		int pid;

		if (parse_int(de->d_name, &pid) < 0)
			continue;
		/* the same walk of one process as procscan_run: threads of an exited leader too */
		scan_process(procfd, pid, &s);
		if (process_holds(&s, dev, ino, maps))
			holder = pid;
		else if (s.procs.len && ((struct scan_proc *)vec_at(&s.procs, 0))->unreadable)
			blind = true;
		procscan_free(&s);
	}
	closedir(dir);
	if (holder) {
		*ret_pid = holder;
		return 1;
	}
	return blind ? -EACCES : 0;
}
