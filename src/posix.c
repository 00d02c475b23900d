/*
 * Kinds "pshm", "psem" and "pmq": POSIX shared memory (files in /dev/shm),
 * named semaphores (/dev/shm/sem.NAME) and message queues (files of the
 * mqueue file system), doc/kernel-facts.md, "POSIX objects".  State comes from stat
 * and read only: nothing is ever sem_open'ed, mq_open'ed or mapped (a
 * zero-length sem.X would kill a reader that maps it with SIGBUS), and no
 * entry is followed.  Holders are matched by (dev, inode) in the process
 * scan: fds (procscan files) and mappings (procscan fmaps).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "act.h"
#include "context.h"
#include "facts.h"
#include "jsonw.h"
#include "kind.h"
#include "model.h"
#include "owners.h"
#include "posix.h"
#include "posixparse.h"
#include "procscan.h"
#include "xalloc.h"

#define SEM_PREFIX "sem."
#define SEM_T_SIZE 32	/* sizeof(sem_t) on 64-bit glibc: uint64 data, int, int */

static void posix_free_obj(void *obj)
{
	struct posix_obj *p = obj;

	free(p->name);
	free(p->path);
	free(p->entry);
	free(p->holders);
}

static const char *type_words(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISLNK(mode))
		return "a symbolic link";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISSOCK(mode))
		return "a socket";
	return "a device";
}

static void add_note(struct kind_objs *ko, char *note)
{
	vec_push(&ko->notes, &note);
}

/*
 * A glibc sem_t read with pread, never mapped: the value is the low 32
 * bits of its first 8 bytes, the waiters the high 32 (x86_64 and other
 * 64-bit little-endian targets; a file of any other size is no sem_t).
 */
static void read_sem(int dirfd, const char *entry, const struct stat *st, struct posix_obj *p)
{
	struct stat again;
	uint64_t data;
	int fd;

	if (st->st_size != SEM_T_SIZE)
		return;
	fd = openat(dirfd, entry, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOATIME);
	if (fd < 0 && errno == EPERM)	/* O_NOATIME: owner or CAP_FOWNER only */
		fd = openat(dirfd, entry, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return;
	if (fstat(fd, &again) == 0 && again.st_dev == st->st_dev && again.st_ino == st->st_ino &&
	    S_ISREG(again.st_mode) && pread(fd, &data, sizeof(data), 0) == (ssize_t)sizeof(data)) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		p->has_value = true;
		p->value = (uint32_t)data;
		p->waiters = (uint32_t)(data >> 32);
#endif
	}
	close(fd);
}

/* The queue's status line (posixparse.h). */
static void read_mq(int dirfd, const char *entry, struct posix_obj *p)
{
	struct mq_status st;
	char text[256];
	ssize_t n;
	int fd = openat(dirfd, entry, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return;
	text[n] = '\0';
	posix_parse_mq_status(text, &st);
	p->has_qsize = st.has_qsize;
	p->used_bytes = st.qsize;
	p->notify_pid = st.notify_pid;
}

/*
 * The entries of d that belong to kind: in /dev/shm, pshm takes the names
 * without "sem." and psem those with it (each warns of its own odd
 * entries); in the mqueue mount, every entry is a queue.
 */
static int posix_collect_dir(const struct posix_dir *d, const struct ipc_kind *kind,
			     struct kind_objs *ret)
{
	struct dirent *de;
	DIR *dir;
	int fd;

	fd = openat(d->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	dir = fdopendir(fd);
	if (!dir) {
		int e = errno;

		close(fd);
		return -e;
	}
	while ((de = readdir(dir))) {
		bool is_sem = strncmp(de->d_name, SEM_PREFIX, strlen(SEM_PREFIX)) == 0;
		struct posix_obj p = { .dirfd = d->fd, .notify_pid = 0 };
		struct stat st;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (kind != &pmq_kind && is_sem != (kind == &psem_kind))
			continue;
		if (fstatat(d->fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;	/* removed meanwhile */
		if (!S_ISREG(st.st_mode)) {
			/* raw: a warning is escaped where it is shown (stderr, JSON) */
			add_note(ret, xasprintf("%s/%s: %s, not %s: skipped", d->path, de->d_name,
						type_words(st.st_mode),
						kind == &pmq_kind ? "a POSIX message queue" :
						kind == &psem_kind ? "a POSIX semaphore" :
						"POSIX shared memory"));
			continue;
		}
		p.dev = (uint64_t)st.st_dev;
		p.ino = (uint64_t)st.st_ino;
		p.entry = xstrdup(de->d_name);
		p.name = xstrdup(de->d_name + (kind == &psem_kind ? strlen(SEM_PREFIX) : 0));
		p.path = xasprintf("%s/%s", d->path, de->d_name);
		p.size = (uint64_t)st.st_size;
		p.uid = st.st_uid;
		p.gid = st.st_gid;
		p.mode = st.st_mode;
		p.atime = st.st_atime;
		p.mtime = st.st_mtime;
		p.ctime = st.st_ctime;
		p.ctime_ns = st.st_ctim.tv_nsec;
		if (kind == &psem_kind)
			read_sem(d->fd, de->d_name, &st, &p);
		else if (kind == &pmq_kind)
			read_mq(d->fd, de->d_name, &p);
		vec_push(&ret->objs, &p);
	}
	closedir(dir);
	return 0;
}

static int cmp_posix(const void *a, const void *b)
{
	return strcmp(((const struct posix_obj *)a)->name, ((const struct posix_obj *)b)->name);
}

static int posix_collect(const struct collect_ctx *ctx, struct kind_objs *ret)
{
	const struct posix_dir *d = ret->kind == &pmq_kind ? ctx->mq_dir : ctx->shm_dir;
	int r;

	if (!d || !d->path) {
		ret->unavailable = true;
		add_note(ret, xstrdup("POSIX message queues: no mqueue file system is mounted: "
				      "they cannot be listed"));
		return 0;
	}
	if (d->fd < 0) {
		ret->unavailable = true;
		add_note(ret, xasprintf("%s: %s%s%s: %s objects are not listed", d->path,
					d->foreign ? "" : "cannot be read", d->why && !d->foreign ? ": " : "",
					d->why ? d->why : "", ret->kind->name));
		return 0;
	}
	r = posix_collect_dir(d, ret->kind, ret);
	if (r < 0)
		return r;
	vec_sort(&ret->objs, cmp_posix);
	return 0;
}

/* ---- columns ---------------------------------------------------------------- */

enum {
	COL_NAME, COL_PATH, COL_DEV, COL_INODE, COL_SIZE, COL_PERMS, COL_UID, COL_USER, COL_GID,
	COL_GROUP, COL_MTIME, COL_HOLDERS, COL_VALUE, COL_WAITERS, COL_USED, COL_NOTIFY,
	COL_VERDICT,
};

#define POSIX_COLUMNS(what) \
	[COL_NAME] = { "NAME", "name", "the name given to " what ", without its leading '/' (escaped)", 0.2, COL_WRAP, NULL, NULL, COLT_STRING }, \
	[COL_PATH] = { "PATH", "path", "the file that holds it (escaped)", 0.3, COL_WRAP, NULL, NULL, COLT_STRING }, \
	[COL_DEV] = { "DEV", "dev", "device of the file system, major:minor", 6, 0, NULL, NULL, COLT_STRING }, \
	[COL_INODE] = { "INODE", "inode", "inode number", 8, COL_RIGHT, NULL, NULL, COLT_INTEGER }, \
	[COL_SIZE] = { "SIZE", "size", "size of the file in bytes", 6, COL_RIGHT, NULL, NULL, COLT_SIZE }, \
	[COL_PERMS] = { "PERMS", "perms", "access permissions, octal", 5, 0, NULL, NULL, COLT_STRING }, \
	[COL_UID] = { "UID", "uid", "owner user id", 5, COL_RIGHT, NULL, NULL, COLT_INTEGER }, \
	[COL_USER] = { "USER", "user", "owner user name", 8, 0, NULL, NULL, COLT_STRING }, \
	[COL_GID] = { "GID", "gid", "owner group id", 5, COL_RIGHT, NULL, NULL, COLT_INTEGER }, \
	[COL_GROUP] = { "GROUP", "group", "owner group name", 8, 0, NULL, NULL, COLT_STRING }, \
	[COL_MTIME] = { "MTIME", "mtime", "time of the last change of its content", 11, 0, NULL, NULL, COLT_TIME }, \
	[COL_HOLDERS] = { "HOLDERS", "holders", "processes holding it: pid, comm, user, fd (null: a mapping), mapped", 0.3, COL_LIST, NULL, NULL, COLT_ARRAY }

static const struct column pshm_columns[] = {
	POSIX_COLUMNS("shm_open"),
	[COL_VALUE] = { "VERDICT", "verdict", "in-use, suspect (nobody holds it: a later open by name may come) or unknown", 8, 0, NULL, NULL, COLT_STRING },
	[COL_VALUE + 1] = { "REASONS", "reasons", "the evidence behind the verdict, in words", 0.4, COL_LIST, NULL, NULL, COLT_ARRAY },
	[COL_VALUE + 2] = { "AGE", "age", "seconds since the last change to the file's metadata (writes through a mapping are not seen)", 6, COL_RIGHT, NULL, NULL, COLT_DURATION },
};

static const struct column psem_columns[] = {
	POSIX_COLUMNS("sem_open"),
	[COL_VALUE] = { "VALUE", "value", "the semaphore's value (null: not a sem_t of this system)", 5, COL_RIGHT, NULL, NULL, COLT_INTEGER },
	[COL_WAITERS] = { "WAITERS", "waiters", "threads blocked in sem_wait", 7, COL_RIGHT, NULL, NULL, COLT_INTEGER },
	[COL_WAITERS + 1] = { "VERDICT", "verdict", "in-use, suspect (nobody holds it: a later open by name may come) or unknown", 8, 0, NULL, NULL, COLT_STRING },
	[COL_WAITERS + 2] = { "REASONS", "reasons", "the evidence behind the verdict, in words", 0.4, COL_LIST, NULL, NULL, COLT_ARRAY },
	[COL_WAITERS + 3] = { "AGE", "age", "seconds since the last change to the file's metadata (sem_post and sem_wait are not seen)", 6, COL_RIGHT, NULL, NULL, COLT_DURATION },
};

static const struct column pmq_columns[] = {
	POSIX_COLUMNS("mq_open"),
	[COL_VALUE] = { "USED", "used_bytes", "bytes in the queue's messages (QSIZE)", 6, COL_RIGHT, NULL, NULL, COLT_SIZE },
	[COL_WAITERS] = { "NOTIFY-PID", "notify_pid", "process registered for notification (mq_notify), or null", 6, COL_RIGHT, NULL, NULL, COLT_INTEGER },
	[COL_WAITERS + 1] = { "VERDICT", "verdict", "in-use, suspect (nobody holds it: a later open by name may come) or unknown", 8, 0, NULL, NULL, COLT_STRING },
	[COL_WAITERS + 2] = { "REASONS", "reasons", "the evidence behind the verdict, in words", 0.4, COL_LIST, NULL, NULL, COLT_ARRAY },
	[COL_WAITERS + 3] = { "AGE", "age", "seconds since the last change", 6, COL_RIGHT, NULL, NULL, COLT_DURATION },
};

/* HOLDERS last: a list shortened to fit the terminal ends the line */
static const char *const pshm_defaults[] = {
	"NAME", "USER", "PERMS", "SIZE", "VERDICT", "HOLDERS", NULL
};
static const char *const psem_defaults[] = {
	"NAME", "USER", "PERMS", "VALUE", "WAITERS", "VERDICT", "HOLDERS", NULL
};
static const char *const pmq_defaults[] = {
	"NAME", "USER", "PERMS", "USED", "NOTIFY-PID", "VERDICT", "HOLDERS", NULL
};
static const char *const posix_orphan_defaults[] = {
	"NAME", "USER", "AGE", "VERDICT", "REASONS", NULL
};

/* The column after the common ones where the verdict's three start. */
static size_t verdict_col(const struct posix_obj *p, const struct ipc_kind *kind)
{
	(void)p;
	return kind == &pshm_kind ? COL_VALUE : COL_WAITERS + 1;
}

static void posix_get(const struct ipc_kind *kind, const void *obj, size_t col,
		      struct value *ret)
{
	const struct posix_obj *p = obj;
	size_t vc = verdict_col(p, kind);

	if (col >= vc && col < vc + VCOL_COUNT) {
		verdict_get(kind, &p->verdict, col - vc, ret);
		return;
	}
	switch (col) {
	case COL_NAME:
		VALUE_STR(ret, p->name);
		break;
	case COL_PATH:
		VALUE_STR(ret, p->path);
		break;
	case COL_DEV:
		VALUE_TYPED_U64(ret, VAL_DEV, p->dev);
		break;
	case COL_HOLDERS:
		value_holders_fd_or_map(ret, p->holders, p->nholders, p->exhaustive);
		break;
	case COL_INODE:
		VALUE_U64(ret, p->ino);
		break;
	case COL_SIZE:
		VALUE_TYPED_U64(ret, VAL_SIZE, p->size);
		break;
	case COL_PERMS:
		VALUE_U32(ret, VAL_PERMS, p->mode & 07777);
		break;
	case COL_UID:
		VALUE_U64(ret, p->uid);
		break;
	case COL_USER:
		VALUE_U32(ret, VAL_USER, p->uid);
		break;
	case COL_GID:
		VALUE_U64(ret, p->gid);
		break;
	case COL_GROUP:
		VALUE_U32(ret, VAL_GROUP, p->gid);
		break;
	case COL_MTIME:
		VALUE_TYPED_S64(ret, VAL_TIME, p->mtime);
		break;
	case COL_VALUE:		/* psem VALUE, pmq USED */
		if (kind == &psem_kind && p->has_value)
			VALUE_U64(ret, p->value);
		else if (kind == &pmq_kind && p->has_qsize)
			VALUE_TYPED_U64(ret, VAL_SIZE, p->used_bytes);
		else
			value_set(ret, VAL_NULL);
		break;
	case COL_WAITERS:	/* psem WAITERS, pmq NOTIFY-PID */
		if (kind == &psem_kind && p->has_value)
			VALUE_U64(ret, p->waiters);
		else if (kind == &pmq_kind && p->notify_pid > 0)
			VALUE_S64(ret, p->notify_pid);
		else
			value_set(ret, VAL_NULL);
		break;
	default:
		value_set(ret, VAL_NULL);
		break;
	}
}

static void pshm_get(const void *obj, size_t col, struct value *ret)
{
	posix_get(&pshm_kind, obj, col, ret);
}

static void psem_get(const void *obj, size_t col, struct value *ret)
{
	posix_get(&psem_kind, obj, col, ret);
}

static void pmq_get(const void *obj, size_t col, struct value *ret)
{
	posix_get(&pmq_kind, obj, col, ret);
}

/* ---- judging ------------------------------------------------------------------ */

static void posix_gather(const void *obj, const struct owners *o, struct gather *g)
{
	const struct posix_obj *p = obj;

	holders_want_file(o, &pshm_kind, p->dev, p->ino, g);
	owners_want(&g->pids, p->notify_pid);
}

/* The POSIX kinds' own reasons. */
enum {
	POSIX_R_MORE = REASON_KIND,	/* n: holders beyond the three named */
	POSIX_R_SEM_WAITING,		/* n: waiting in sem_wait */
	POSIX_R_NOTIFY,			/* ref: the registered process, aux: its pid */
	POSIX_R_NOTIFY_GONE,		/* aux: the pid registered */
	POSIX_R_NOBODY,
};

static void posix_reason_text(const struct reason *r, char *buf, size_t size)
{
	const struct proc_facts *p = r->ref;

	switch (r->code) {
	case POSIX_R_MORE:
		snprintf(buf, size, "and %" PRIu64 " more", r->n);
		break;
	case POSIX_R_SEM_WAITING:
		snprintf(buf, size, "%" PRIu64 " waiting in sem_wait", r->n);
		break;
	case POSIX_R_NOTIFY:
		snprintf(buf, size, "%s[%" PRIu32 "] is registered for notification", p->comm, r->aux);
		break;
	case POSIX_R_NOTIFY_GONE:
		snprintf(buf, size, "notification registered by pid %" PRIu32 ", which is gone",
			 r->aux);
		break;
	case POSIX_R_NOBODY:
		snprintf(buf, size, "nobody holds it open or maps it");
		break;
	}
}

static void posix_decide(void *obj, const struct owners *o, struct verdict_work *w)
{
	struct posix_obj *p = obj;
	size_t i;

	verdict_set_age(w->v, o->now, p->mtime, p->ctime, 0, 0);
	for (i = 0; i < p->nholders && i < 3; i++) {
		const struct holder *h = &p->holders[i];

		verdict_reason(w, h->fd >= 0 ? REASON_HELD_FD : REASON_MAPPED_BY)->ref = h;
	}
	if (p->nholders > 3)
		verdict_reason(w, POSIX_R_MORE)->n = p->nholders - 3;
	w->in_use |= p->nholders > 0;
	if (p->has_value && p->waiters) {
		verdict_reason(w, POSIX_R_SEM_WAITING)->n = p->waiters;
		w->in_use = true;
	}
	if (p->notify_pid > 0 && p->notifier) {
		struct reason *r = verdict_reason(w, POSIX_R_NOTIFY);

		r->ref = p->notifier;
		r->aux = (uint32_t)p->notify_pid;
		w->in_use = true;
	} else if (p->notify_pid > 0) {
		verdict_reason(w, POSIX_R_NOTIFY_GONE)->aux = (uint32_t)p->notify_pid;
	}
	if (!p->nholders && p->self_holds) {	/* its starter handed it over: in use */
		verdict_reason(w, REASON_HELD_BY_SELF);
		w->in_use = true;
	} else if (!p->nholders && !p->exhaustive) {
		verdict_note_unseen(w, &o->scan);
	} else if (!p->nholders) {
		verdict_reason(w, POSIX_R_NOBODY);
	}
	verdict_finish(w, VERDICT_SUSPECT);
}

static void posix_judge(void *obj, const struct owners *o)
{
	struct posix_obj *p = obj;
	struct verdict_work w;
	const struct scan_fd *mine;
	size_t nfds;

	p->exhaustive = procscan_sees_all(&o->scan);
	p->nholders = holders_of_file(o, &pshm_kind, p->dev, p->ino, &p->holders, &nfds);
	p->self_holds = procscan_self_fds(&o->scan, &pshm_kind, p->dev, p->ino, &mine) > 0;
	if (p->notify_pid > 0) {
		const struct proc_facts *pf = facts_get(&o->facts, p->notify_pid);

		p->notifier = pf && pf->state != 'Z' ? pf : NULL;
	}
	verdict_begin(&w, &p->verdict, p, sizeof(*p), o->arena);
	posix_decide(p, o, &w);
}

static void posix_describe(const void *obj, const struct owners *o, struct ctx_obj *ret)
{
	const struct posix_obj *p = obj;
	size_t stem = family_stem_len(p->name);

	ret->has_uid = true;
	ret->uid = p->uid;
	ret->scope = SCOPE_MNT_NS;
	ret->during_scan = created_during_scan(p->ctime, p->ctime_ns, &o->scan_start);
	ret->family = stem ? xstrndup(p->name, stem) : NULL;
	ret->label = p->name;
	if (p->nholders)
		holder_phrase(ret->use, sizeof(ret->use), &p->holders[0]);
	else if (p->notifier)
		snprintf(ret->use, sizeof(ret->use), "%s[%d] is registered for notification",
			 p->notifier->comm, p->notify_pid);
}

static bool posix_involves(const void *obj, int pid)
{
	const struct posix_obj *p = obj;
	size_t i;

	for (i = 0; i < p->nholders; i++)
		if (p->holders[i].pid == pid)
			return true;
	return p->notify_pid == pid;
}

/*
 * The process scan's claims of the three POSIX kinds, kept in pshm's
 * index (posix_gather, posix_judge): fds on regular files of /dev/shm
 * and the mqueue mount (the scan's targets), and mappings of /dev/shm
 * files.
 */
static const struct scan_fd_claim posix_fd_claim = {
	.type = S_IFREG, .flags = CLAIM_MODE | CLAIM_TARGET,
};

static int posix_maps_key(const char *line, const struct scan_proc *p, uint64_t *ret_dev,
			  uint64_t *ret_ino)
{
	(void)p;
	return procscan_parse_maps_file(line, ret_dev, ret_ino);
}

static const struct scan_maps_claim posix_maps_claim = {
	.marker = " /dev/shm/", .flags = CLAIM_TARGET, .parse = posix_maps_key,
};
/* ---- the act phase: removal ---- */

/*
 * A POSIX IPC file: re-stat the entry in the directory as read (never
 * through a symlink), then one fresh walk of /proc for an fd on it or (but
 * for a queue, which cannot be mapped) a mapping of it, then unlinkat -
 * what shm_unlink, sem_unlink and mq_unlink do.
 */
static void posix_remove(const void *obj, const struct act_req *req, struct act_outcome *ret)
{
	const struct posix_obj *p = obj;

	act_file_unlink(&(struct act_file){ .dirfd = p->dirfd, .entry = p->entry, .fmt = S_IFREG,
					    .dev = p->dev, .ino = p->ino, .uid = p->uid,
					    .what = "file" },
			req->kind != &pmq_kind, "opened or mapped", ret);
}

static void posix_identify(const void *obj, struct obj_ident *ret)
{
	const struct posix_obj *p = obj;

	ret->path = p->path;
	ret->dev = p->dev;
	ret->ino = p->ino;
	ret->uid = p->uid;
	ret->cleanable = true;
}

/* A segment's size is what it holds; a semaphore's or queue's file size is not. */
static void pshm_identify(const void *obj, struct obj_ident *ret)
{
	posix_identify(obj, ret);
	ret->has_size = true;
	ret->size = ((const struct posix_obj *)obj)->size;
}

#define POSIX_KIND(kname, ktitle, ksource, cols, defs, getter, ...) { \
	.name = kname, .title = ktitle, .source = ksource, \
	.columns = cols, .ncolumns = sizeof(cols) / sizeof(cols[0]), \
	.defaults = defs, .orphan_defaults = posix_orphan_defaults, \
	.verdict_offset = offsetof(struct posix_obj, verdict), \
	.objsize = sizeof(struct posix_obj), \
	.collect = posix_collect, .get = getter, .free_obj = posix_free_obj, \
	.gather = posix_gather, .judge = posix_judge, .decide = posix_decide, \
	.reason_text = posix_reason_text, \
	.describe = posix_describe, \
	.involves = posix_involves, \
	.clean = KIND_CLEAN_NAMED, \
	.remove = posix_remove, \
	__VA_ARGS__ \
}

const struct ipc_kind pshm_kind = POSIX_KIND("pshm", "POSIX shared memory", "/dev/shm",
					     pshm_columns, pshm_defaults, pshm_get,
					     .claim_fds = &posix_fd_claim,
					     .claim_maps = &posix_maps_claim,
					     .policy = KIND_POLICY_AGE_UNCHANGED |
						       KIND_POLICY_STRANDABLE | KIND_POLICY_DEV_SHM,
					     .identify = pshm_identify,
					     .bytes_column = "size");
const struct ipc_kind psem_kind = POSIX_KIND("psem", "POSIX named semaphores", "/dev/shm",
					     psem_columns, psem_defaults, psem_get,
					     .policy = KIND_POLICY_AGE_UNCHANGED |
						       KIND_POLICY_STRANDABLE | KIND_POLICY_DEV_SHM,
					     .identify = posix_identify);
const struct ipc_kind pmq_kind = POSIX_KIND("pmq", "POSIX message queues", "the mqueue file system",
					    pmq_columns, pmq_defaults, pmq_get,
					    .policy = KIND_POLICY_IPC_NS | KIND_POLICY_NS_MQUEUE |
						      KIND_POLICY_STRANDABLE,
					    .identify = posix_identify,
					    .bytes_column = "used_bytes");
