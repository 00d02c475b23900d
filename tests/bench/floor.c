/*
 * floor: the least work listing IPC objects with their holders needs, as
 * the benchmark's baseline (tests/bench/run.sh).  It makes the reads a
 * correct ipcinspect cannot skip and nothing else: no model, no verdicts,
 * no names, no output beyond counts.
 *
 *   usage: floor [--no-owners]
 *
 * SysV: /proc/sysvipc/{shm,msg,sem}, each read whole; per semaphore set
 * semctl GETALL, and GETPID, GETNCNT and GETZCNT per semaphore (waiters
 * prove a set in use and no /proc file shows them, doc/kernel-facts.md,
 * "Semaphore values").
 * Holders, unless --no-owners: /proc/stat once (btime, for start times),
 * then per process (itself left out): stat (comm, state, start), a stat
 * of ns/ipc (which namespace its maps belong to, doc/kernel-facts.md,
 * "Segment mappings"), an
 * fstat of its directory (the uid), every fd's link, an fstatat of fds
 * whose link is not a pipe, socket or anon inode (a FIFO is only known by
 * its mode), an lstat of the link of pipe and FIFO fds (which end: the
 * link's permission bits are the open mode, one syscall where fdinfo
 * takes three; ipcinspect reads it so too), and maps (SysV
 * attachments).  Zombies' fd and maps are skipped (empty).  Pipes and
 * FIFOs are counted distinct, as a tool must join ends by inode.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sem.h>
#include <sys/stat.h>
#include <unistd.h>

union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
};

struct file_id {
	uint64_t dev, ino;
};

struct counts {
	long shm, msg, sem, semaphores, waiters;
	long processes, fds, pipe_fds, fifo_fds, read_ends, write_ends, attachments;
	uint64_t *pipes;	/* pipe inodes, one per pipe fd */
	struct file_id *fifos;	/* FIFO (dev, ino), one per FIFO fd */
	size_t npipes, cap_pipes, nfifos, cap_fifos;
};

/* One buffer for every file read; grown as needed, never shrunk. */
static char *buf;
static size_t buf_cap;

static void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size);
	if (!p) {
		fputs("floor: out of memory\n", stderr);
		exit(1);
	}
	return p;
}

/* Reads dirfd/path into buf, NUL-terminated; returns its length or -1. */
static ssize_t read_at(int dirfd, const char *path)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	size_t len = 0;
	ssize_t n;

	if (fd < 0)
		return -1;
	for (;;) {
		if (buf_cap - len < 4096) {
			buf_cap = buf_cap ? 2 * buf_cap : 65536;
			buf = xrealloc(buf, buf_cap);
		}
		n = read(fd, buf + len, buf_cap - len - 1);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (n < 0)
		return -1;
	buf[len] = '\0';
	return (ssize_t)len;
}

static long count_lines_after_header(int procfd, const char *path)
{
	long n = 0;
	char *p;

	if (read_at(procfd, path) < 0) {
		fprintf(stderr, "floor: cannot read /proc/%s\n", path);
		exit(1);
	}
	for (p = strchr(buf, '\n'); p && p[1]; p = strchr(p + 1, '\n'))
		n++;
	return n;
}

/* Each set's semaphores: values, last pid, waiters. */
static void read_semaphores(int procfd, struct counts *c)
{
	unsigned short values[4096];
	union semun arg = { .array = values };
	char *line, *save = NULL;
	int semid, nsems, i;

	c->sem = count_lines_after_header(procfd, "sysvipc/sem");
	line = strtok_r(buf, "\n", &save);	/* the header */
	while ((line = strtok_r(NULL, "\n", &save))) {
		if (sscanf(line, "%*d %d %*o %d", &semid, &nsems) != 2 || nsems > 4096 ||
		    semctl(semid, 0, GETALL, arg) < 0)
			continue;
		for (i = 0; i < nsems; i++) {
			int ncnt = semctl(semid, i, GETNCNT), zcnt = semctl(semid, i, GETZCNT);

			if (semctl(semid, i, GETPID) < 0 || ncnt < 0 || zcnt < 0)
				break;
			c->waiters += ncnt + zcnt;
			c->semaphores++;
		}
	}
}

static void add_pipe(struct counts *c, uint64_t ino)
{
	if (c->npipes == c->cap_pipes) {
		c->cap_pipes = c->cap_pipes ? 2 * c->cap_pipes : 1024;
		c->pipes = xrealloc(c->pipes, c->cap_pipes * sizeof(*c->pipes));
	}
	c->pipes[c->npipes++] = ino;
}

static void add_fifo(struct counts *c, const struct stat *st)
{
	if (c->nfifos == c->cap_fifos) {
		c->cap_fifos = c->cap_fifos ? 2 * c->cap_fifos : 1024;
		c->fifos = xrealloc(c->fifos, c->cap_fifos * sizeof(*c->fifos));
	}
	c->fifos[c->nfifos].dev = (uint64_t)st->st_dev;
	c->fifos[c->nfifos++].ino = (uint64_t)st->st_ino;
}

/* Which end an fd is: S_IRUSR / S_IWUSR of its /proc/PID/fd/N link. */
static void read_mode(int dfd, const char *fd, struct counts *c)
{
	struct stat st;

	if (fstatat(dfd, fd, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return;
	c->read_ends += (st.st_mode & S_IRUSR) != 0;
	c->write_ends += (st.st_mode & S_IWUSR) != 0;
}

static void scan_fds(int pidfd, struct counts *c)
{
	int dfd = openat(pidfd, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	char link[4096 + 16];
	struct dirent *de;
	struct stat st;
	DIR *dir;
	ssize_t n;

	if (dfd < 0 || !(dir = fdopendir(dfd))) {
		if (dfd >= 0)
			close(dfd);
		return;
	}
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.' || (n = readlinkat(dfd, de->d_name, link, sizeof(link) - 1)) < 0)
			continue;
		link[n] = '\0';
		c->fds++;
		if (strncmp(link, "pipe:[", 6) == 0) {
			c->pipe_fds++;
			add_pipe(c, strtoull(link + 6, NULL, 10));
			read_mode(dfd, de->d_name, c);
		} else if (strncmp(link, "socket:[", 8) != 0 && strncmp(link, "anon_inode:", 11) != 0 &&
			   fstatat(dfd, de->d_name, &st, 0) == 0 && S_ISFIFO(st.st_mode)) {
			c->fifo_fds++;
			add_fifo(c, &st);
			read_mode(dfd, de->d_name, c);
		}
	}
	closedir(dir);
}

static void scan_maps(int pidfd, struct counts *c)
{
	char *p;

	if (read_at(pidfd, "maps") < 0)
		return;
	for (p = strstr(buf, " /SYSV"); p; p = strstr(p + 6, " /SYSV"))
		c->attachments++;
}

static void scan_process(int procfd, const char *pid, struct counts *c)
{
	int pidfd = openat(procfd, pid, O_PATH | O_DIRECTORY | O_CLOEXEC);
	struct stat st;
	char *close_paren;

	if (pidfd < 0)
		return;
	if (read_at(pidfd, "stat") < 0 || !(close_paren = strrchr(buf, ')'))) {
		close(pidfd);
		return;
	}
	c->processes++;
	if (close_paren[1] == ' ' && close_paren[2] != 'Z') {
		fstatat(pidfd, "ns/ipc", &st, 0);
		fstat(pidfd, &st);
		scan_fds(pidfd, c);
		scan_maps(pidfd, c);
	}
	close(pidfd);
}

static void scan_processes(int procfd, struct counts *c)
{
	int dfd = openat(procfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	char self[16];
	struct dirent *de;
	DIR *dir;

	if (dfd < 0 || !(dir = fdopendir(dfd))) {
		fputs("floor: cannot read /proc\n", stderr);
		exit(1);
	}
	snprintf(self, sizeof(self), "%d", (int)getpid());
	if (read_at(procfd, "stat") < 0 || !strstr(buf, "\nbtime ")) {
		fputs("floor: no btime in /proc/stat\n", stderr);
		exit(1);
	}
	while ((de = readdir(dir)))
		if (de->d_name[0] >= '1' && de->d_name[0] <= '9' && strcmp(de->d_name, self) != 0)
			scan_process(procfd, de->d_name, c);
	closedir(dir);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static int cmp_file_id(const void *a, const void *b)
{
	const struct file_id *x = a, *y = b;

	return x->dev != y->dev ? cmp_u64(&x->dev, &y->dev) : cmp_u64(&x->ino, &y->ino);
}

/* Distinct elements of a sorted array. */
static size_t count_distinct(const void *base, size_t n, size_t size,
			     int (*cmp)(const void *, const void *))
{
	size_t i, d = n ? 1 : 0;

	for (i = 1; i < n; i++)
		d += cmp((const char *)base + (i - 1) * size, (const char *)base + i * size) != 0;
	return d;
}

int main(int argc, char **argv)
{
	struct counts c = { 0 };
	bool owners = argc == 1;
	int procfd;

	if (argc > 2 || (argc == 2 && strcmp(argv[1], "--no-owners") != 0)) {
		fputs("usage: floor [--no-owners]\n", stderr);
		return 2;
	}
	procfd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (procfd < 0) {
		fputs("floor: cannot open /proc\n", stderr);
		return 1;
	}
	c.shm = count_lines_after_header(procfd, "sysvipc/shm");
	c.msg = count_lines_after_header(procfd, "sysvipc/msg");
	read_semaphores(procfd, &c);
	if (owners)
		scan_processes(procfd, &c);
	if (c.npipes)
		qsort(c.pipes, c.npipes, sizeof(*c.pipes), cmp_u64);
	if (c.nfifos)
		qsort(c.fifos, c.nfifos, sizeof(*c.fifos), cmp_file_id);
	printf("shm=%ld\nmsg=%ld\nsem=%ld\nsemaphores=%ld\nwaiters=%ld\n", c.shm, c.msg, c.sem,
	       c.semaphores, c.waiters);
	if (owners)
		printf("processes=%ld\nfds=%ld\npipe_fds=%ld\nfifo_fds=%ld\nread_ends=%ld\n"
		       "write_ends=%ld\npipes=%zu\nfifos=%zu\nattachments=%ld\n", c.processes,
		       c.fds, c.pipe_fds, c.fifo_fds, c.read_ends, c.write_ends,
		       count_distinct(c.pipes, c.npipes, sizeof(*c.pipes), cmp_u64),
		       count_distinct(c.fifos, c.nfifos, sizeof(*c.fifos), cmp_file_id),
		       c.attachments);
	close(procfd);
	free(c.pipes);
	free(c.fifos);
	free(buf);
	return 0;
}
