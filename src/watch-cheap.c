/*
 * watch's cheap look: whether anything changed since the last judged
 * look, for the price of a few reads and no process scan
 * (ipcinspect(1), WATCH, "Cost").  It reads the text of /proc/sysvipc
 * (every id, key, mode, owner, count, pid and time of the SysV objects,
 * as one read each: not the semctl calls per set the collectors make),
 * the names and inodes of /dev/shm and the mqueue mount, the limits and
 * their usage, and the start time of each process the last judged look
 * saw alive as a creator or last user or saw holding an object.  What it
 * does not see (a POSIX object's holders changing while they live, a
 * pipe, a FIFO, a socket) waits for the next full look.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "act.h"
#include "procparse.h"
#include "sysvipc.h"
#include "watch.h"
#include "xalloc.h"

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ b[i]) * FNV_PRIME;
	return h;
}

/*
 * The fields of /proc/sysvipc text, line by line, but the columns that
 * change with mere use of memory (rss, swap: a segment's pages touched),
 * which are no event and need no process scan.
 */
static uint64_t sysvipc_hash(uint64_t h, const char *text)
{
	unsigned long skip = 0;		/* bit i: field i is left out */
	const char *p = text;
	bool header = true;
	unsigned field = 0;

	while (*p) {
		size_t n = strcspn(p, " \t\n");

		if (n && header && field < 8 * sizeof(skip) &&
		    ((n == 3 && strncmp(p, "rss", 3) == 0) || (n == 4 && strncmp(p, "swap", 4) == 0)))
			skip |= 1UL << field;
		if (n && !header && !(field < 8 * sizeof(skip) && (skip & (1UL << field))))
			h = fnv(h, p, n + 1);	/* with its separator: "1 23" is not "12 3" */
		if (n)
			field++;
		p += n;
		if (*p == '\n') {
			header = false;
			field = 0;
			h = fnv(h, "\n", 1);
		}
		if (*p)
			p++;
	}
	return h;
}

/* The names and inodes in a directory, in any order (a sum of hashes). */
static int dir_hash(int dirfd, uint64_t *h)
{
	int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	uint64_t sum = 0;
	struct dirent *de;
	DIR *d;

	if (fd < 0)
		return -errno;
	d = fdopendir(fd);
	if (!d) {
		int err = errno;

		close(fd);
		return -err;
	}
	while ((de = readdir(d)) != NULL) {
		uint64_t e = fnv(FNV_OFFSET, de->d_name, strlen(de->d_name) + 1);

		sum += fnv(e, &de->d_ino, sizeof(de->d_ino));
	}
	closedir(d);
	*h = fnv(*h, &sum, sizeof(sum));
	return 0;
}

static int limits_hash(int procfd, uint64_t *h)
{
	struct collect_ctx ctx = { .procfd = procfd };
	struct kind_objs lim = { .kind = &limits_kind, .objs = { .elsize = limits_kind.objsize },
				 .notes = VEC_INIT(char *) };
	size_t i;
	int r = limits_kind.collect(&ctx, &lim);

	for (i = 0; r == 0 && i < lim.objs.len; i++) {
		const char *name;
		uint64_t q[2] = { 0, 0 };
		bool has_used;

		if (!limits_quantity(vec_at(&lim.objs, i), &name, &q[0], &has_used, &q[1]))
			continue;
		*h = fnv(fnv(*h, name, strlen(name)), q, sizeof(q));
	}
	kind_objs_free(&lim);
	return r;
}

int watch_fingerprint(int procfd, const struct snapshot *s, uint64_t *ret)
{
	uint64_t h = FNV_OFFSET;
	unsigned mask = 0;
	size_t k;
	int r = 0;

	for (k = 0; k < KIND_COUNT; k++) {
		const struct ipc_kind *kind = s->kinds[k].kind;
		_cleanup_free_ char *text = NULL;

		if (!kind)
			continue;
		mask |= 1u << k;
		if (!kind->sysv)
			continue;
		/* kind->source is "/proc/sysvipc/NAME": procfd is /proc */
		r = read_whole_file_at(procfd, kind->source + strlen("/proc/"), &text, NULL);
		if (r < 0)
			return r;
		h = sysvipc_hash(fnv(h, kind->name, strlen(kind->name)), text);
	}
	if (kinds_have_policy(mask, KIND_POLICY_DEV_SHM) && s->shm_dir.fd >= 0)
		r = dir_hash(s->shm_dir.fd, &h);
	if (r == 0 && kinds_have_policy(mask, KIND_POLICY_NS_MQUEUE) && s->mq_dir.fd >= 0)
		r = dir_hash(s->mq_dir.fd, &h);
	if (r == 0)
		r = limits_hash(procfd, &h);
	if (r == 0)
		*ret = h;
	return r;
}

/* The start time and zombie state of pid now; -errno when it is gone. */
static int mark_read(int procfd, int pid, struct watch_mark *ret)
{
	char path[32];
	_cleanup_free_ char *text = NULL;
	char state, comm[16];
	unsigned long flags;
	long threads;
	int r;

	snprintf(path, sizeof(path), "%d/stat", pid);
	r = read_whole_file_at(procfd, path, &text, NULL);
	if (r < 0)
		return r;
	if (procscan_parse_stat(text, &state, comm, &flags, &threads) < 0 ||
	    procparse_stat_start(text, &ret->start) < 0)
		return -EINVAL;
	ret->pid = pid;
	ret->zombie = state == 'Z';
	return 0;
}

static void push_pid(int pid, void *data)
{
	struct vec *pids = data;

	vec_push(pids, &pid);
}

static int int_cmp(const void *pa, const void *pb)
{
	int a = *(const int *)pa, b = *(const int *)pb;

	return (a > b) - (a < b);
}

/* Every pid s names alive: actors judged alive, holders. */
static void pids_of(const struct kind_objs *kinds, const struct render_opts *ro, struct vec *pids)
{
	size_t k, i, j, n;

	for (k = 0; k < KIND_COUNT; k++) {
		const struct kind_objs *ko = &kinds[k];

		for (i = 0; ko->kind && i < ko->objs.len; i++) {
			const void *obj = vec_at(&ko->objs, i);
			struct watch_pid *h = NULL;

			watch_alive_actors(ko, obj, push_pid, pids);
			n = watch_holders(ko, obj, ro, &h);
			for (j = 0; j < n; j++)
				vec_push(pids, &h[j].pid);
			free(h);
		}
	}
}

void watch_marks_take(struct watch_marks *m, int procfd, const struct snapshot *s,
		      const struct render_opts *ro)
{
	struct vec pids = VEC_INIT(int);
	size_t i;

	watch_marks_free(m);
	pids_of(s->kinds, ro, &pids);
	for (i = 0; i < s->nsections; i++)
		pids_of(s->sections[i].kinds, ro, &pids);
	if (pids.len > 1)
		vec_sort(&pids, int_cmp);
	m->v = pids.len ? xcalloc(pids.len, sizeof(*m->v)) : NULL;
	for (i = 0; i < pids.len; i++) {
		int pid = *(int *)vec_at(&pids, i);

		if (m->n && m->v[m->n - 1].pid == pid)
			continue;
		/* gone already: a change the next look must judge */
		if (mark_read(procfd, pid, &m->v[m->n]) == 0)
			m->n++;
		else
			m->stale = true;
	}
	vec_free(&pids);
}

bool watch_marks_changed(const struct watch_marks *m, int procfd)
{
	struct watch_mark now;
	size_t i;

	if (m->stale)
		return true;
	for (i = 0; i < m->n; i++)
		if (mark_read(procfd, m->v[i].pid, &now) < 0 || now.start != m->v[i].start ||
		    now.zombie != m->v[i].zombie)
			return true;
	return false;
}

void watch_marks_free(struct watch_marks *m)
{
	free(m->v);
	m->v = NULL;
	m->n = 0;
	m->stale = false;
}
