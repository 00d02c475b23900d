/*
 * watch's cheap look: whether anything changed since the last judged
 * look, for the price of a few reads and no process scan
 * (ipcinspect(1), WATCH, "Cost").  Its counts part, read every
 * interval: the names and inodes of /dev/shm and the mqueue mount, the
 * limits and their usage (the number of SysV objects of each kind among
 * them).  Its tables part, the text of /proc/sysvipc (every id, key,
 * mode, owner, count, pid and time of the SysV objects, one read each:
 * not the semctl calls per set the collectors make), costs about 1 us
 * per object in the kernel and is read less often (watch.c).  And the
 * start time of each process the last judged look saw alive as a creator
 * or last user or saw holding an object.  What it does not see (a POSIX
 * object's holders changing while they live, a pipe, a FIFO, a socket)
 * waits for the next judged look.
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
 * The same job eight bytes at a time, for the tables of /proc/sysvipc
 * (hundreds of kilobytes at the benchmark's medium load): only whether
 * they changed is asked, by this process alone, so any good mix will do.
 */
static uint64_t mix(uint64_t h, const char *p, size_t n)
{
	uint64_t w;

	for (; n >= 8; p += 8, n -= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 29;
	}
	return fnv(h, p, n);
}

/* The start of the last two fields of a line (p to end). */
static const char *last_two_fields(const char *p, const char *end)
{
	int k;

	for (k = 0; k < 2; k++) {
		while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		while (end > p && end[-1] != ' ' && end[-1] != '\t')
			end--;
	}
	return end;
}

/* Does the header line (p to end) end with the columns rss and swap? */
static bool ends_rss_swap(const char *p, const char *end)
{
	const char *f = last_two_fields(p, end);

	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	return end - f >= 8 && memcmp(f, "rss", 3) == 0 && (f[3] == ' ' || f[3] == '\t') &&
	       memcmp(end - 4, "swap", 4) == 0 && (end[-5] == ' ' || end[-5] == '\t');
}

/*
 * The text of /proc/sysvipc, line by line, but the columns that change
 * with mere use of memory (a segment's rss and swap, its last two where
 * the kernel has them), which are no event and need no process scan.
 */
uint64_t watch_sysvipc_hash(uint64_t h, const char *text, size_t len)
{
	const char *p = text, *end = text + len, *nl;
	bool cut;

	nl = memchr(p, '\n', len);
	if (!nl)
		return mix(h, text, len);
	cut = ends_rss_swap(p, nl);
	if (!cut)
		return mix(h, text, len);
	for (p = nl + 1; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		h = mix(h, p, (size_t)(last_two_fields(p, nl) - p));
		h = (h ^ '\n') * FNV_PRIME;
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

/* The kinds of s: a mask of (1 << enum kind_id). */
static unsigned kinds_of(const struct snapshot *s)
{
	unsigned mask = 0;
	size_t k;

	for (k = 0; k < KIND_COUNT; k++)
		if (s->kinds[k].kind)
			mask |= 1u << k;
	return mask;
}

int watch_fp_counts(const struct snapshot *s, uint64_t *ret)
{
	unsigned mask = kinds_of(s);
	uint64_t h = FNV_OFFSET;
	int r = 0;

	if (kinds_have_policy(mask, KIND_POLICY_DEV_SHM) && s->shm_dir.fd >= 0)
		r = dir_hash(s->shm_dir.fd, &h);
	if (r == 0 && kinds_have_policy(mask, KIND_POLICY_NS_MQUEUE) && s->mq_dir.fd >= 0)
		r = dir_hash(s->mq_dir.fd, &h);
	if (r == 0) {
		struct ipc_usage u;
		uint64_t n[5];

		limits_read_usage(&u);
		n[0] = u.shm_segments, n[1] = u.shm_pages, n[2] = u.msg_queues;
		n[3] = u.sem_sets, n[4] = u.sem_sems;
		*ret = fnv(h, n, sizeof(n));
	}
	return r;
}

int watch_fp_tables(int procfd, const struct snapshot *s, uint64_t *ret)
{
	uint64_t h = FNV_OFFSET;
	size_t k;
	int r = limits_hash(procfd, &h);

	for (k = 0; k < KIND_COUNT; k++) {
		const struct ipc_kind *kind = s->kinds[k].kind;
		_cleanup_free_ char *text = NULL;
		size_t len;

		if (r < 0)
			return r;
		if (!kind || !kind->sysv)
			continue;
		/* kind->source is "/proc/sysvipc/NAME": procfd is /proc */
		r = read_whole_file_at(procfd, kind->source + strlen("/proc/"), &text, &len);
		if (r < 0)
			return r;
		h = watch_sysvipc_hash(fnv(h, kind->name, strlen(kind->name)), text, len);
	}
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

/* A pid to mark, as (pid << 1 | holder): an actor sorts before a holder. */
static void push_actor(int pid, void *data)
{
	int64_t v = (int64_t)pid << 1;

	vec_push(data, &v);
}

static int s64_cmp(const void *pa, const void *pb)
{
	int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;

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

			watch_alive_actors(ko, obj, push_actor, pids);
			n = watch_holders(ko, obj, ro, &h);
			for (j = 0; j < n; j++) {
				int64_t v = (int64_t)h[j].pid << 1 | 1;

				vec_push(pids, &v);
			}
			free(h);
		}
	}
}

void watch_marks_take(struct watch_marks *m, int procfd, const struct snapshot *s,
		      const struct render_opts *ro)
{
	struct vec pids = VEC_INIT(int64_t);
	size_t i;

	watch_marks_free(m);
	pids_of(s->kinds, ro, &pids);
	for (i = 0; i < s->nsections; i++)
		pids_of(s->sections[i].kinds, ro, &pids);
	if (pids.len > 1)
		vec_sort(&pids, s64_cmp);
	m->v = pids.len ? xcalloc(pids.len, sizeof(*m->v)) : NULL;
	for (i = 0; i < pids.len; i++) {
		int64_t v = *(int64_t *)vec_at(&pids, i);
		int pid = (int)(v >> 1);

		if (m->n && m->v[m->n - 1].pid == pid)
			continue;	/* a holder that is an actor too: checked as one */
		/* gone already: a change the next look must judge */
		if (mark_read(procfd, pid, &m->v[m->n]) == 0)
			m->v[m->n++].holder = v & 1;
		else
			m->stale = true;
	}
	vec_free(&pids);
}

bool watch_marks_changed(const struct watch_marks *m, int procfd, bool holders)
{
	struct watch_mark now;
	size_t i;

	if (m->stale)
		return true;
	for (i = 0; i < m->n; i++) {
		if (m->v[i].holder && !holders)
			continue;
		if (mark_read(procfd, m->v[i].pid, &now) < 0 || now.start != m->v[i].start ||
		    now.zombie != m->v[i].zombie)
			return true;
	}
	return false;
}

void watch_marks_free(struct watch_marks *m)
{
	free(m->v);
	m->v = NULL;
	m->n = 0;
	m->stale = false;
}
