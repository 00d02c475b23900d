/*
 * Kind "fifo": named pipes that some process holds open, found by the
 * process scan and keyed by (dev, ino), never by path (doc/kernel-facts.md,
 * "File descriptor links": mount namespaces make paths ambiguous).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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
#include "fifo.h"
#include "jsonw.h"
#include "kind.h"
#include "model.h"
#include "owners.h"
#include "procscan.h"
#include "xalloc.h"

static int cmp_fifo(const void *a, const void *b)
{
	const struct fifo_obj *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	return (x->ino > y->ino) - (x->ino < y->ino);
}

/* The FIFO (dev, ino) among objs: the first `sorted` are sorted, the rest not. */
static struct fifo_obj *fifo_lookup(const struct vec *objs, size_t sorted, const struct fifo_obj *key)
{
	struct fifo_obj *f = sorted ? bsearch(key, objs->data, sorted, objs->elsize, cmp_fifo) : NULL;
	size_t i;

	for (i = sorted; !f && i < objs->len; i++)
		if (cmp_fifo(vec_at(objs, i), key) == 0)
			f = vec_at(objs, i);
	return f;
}

/*
 * FIFO files in one --fifo-dir: entries are stat'ed without following
 * symlinks, and only FIFOs count.  A FIFO some process holds is the same
 * object (dev, ino) as the held one; the others are added with no holder
 * (one ipcinspect holds itself marked so: held, but by no one listed).
 * Returns 0, or -errno when the directory could not be read (through):
 * what was read before stays added.
 */
static int fifo_find_on_disk(const struct fifo_dir *d, const struct procscan *scan,
			     struct kind_objs *ret)
{
	size_t sorted = ret->objs.len;	/* sorted on entry; what this adds is not */
	struct dirent *de;
	DIR *dir;
	int fd, r = 0;

	fd = openat(d->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	dir = fdopendir(fd);
	if (!dir) {
		int e = errno;

		close(fd);
		return -e;
	}
	for (;;) {
		struct fifo_obj key, *f;
		struct stat st;

		errno = 0;	/* readdir tells its failure from the end only by errno */
		de = readdir(dir);
		if (!de) {
			r = errno ? -errno : 0;
			break;
		}

		if (fstatat(d->fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISFIFO(st.st_mode))
			continue;
		key.dev = (uint64_t)st.st_dev;
		key.ino = (uint64_t)st.st_ino;
		f = fifo_lookup(&ret->objs, sorted, &key);
		if (!f) {
			struct fifo_obj n = { .dev = key.dev, .ino = key.ino };
			const struct scan_fd *mine;

			n.ends.exhaustive = procscan_sees_all(scan);
			n.self_holds = procscan_self_fds(scan, &fifo_kind, key.dev, key.ino, &mine) > 0;
			n.path = xasprintf("%s/%s", d->path, de->d_name);
			f = vec_push(&ret->objs, &n);
		}
		if (f->on_disk)
			continue;	/* a second name (hard link) of the same FIFO */
		f->on_disk = true;
		f->dirfd = d->fd;
		f->name = xstrdup(de->d_name);
		f->uid = st.st_uid;
		f->gid = st.st_gid;
		f->mode = st.st_mode;
		f->atime = st.st_atime;
		f->mtime = st.st_mtime;
		f->ctime = st.st_ctime;
		f->ctime_ns = st.st_ctim.tv_nsec;
	}
	closedir(dir);
	return r;
}

/*
 * Fds on a path whose target is a FIFO, with the ends they hold and the
 * path.  A FIFO ipcinspect holds (its stdout, an fd it inherited) is
 * listed with the other processes' fds, as lsfd lists it: a FIFO is a
 * file others may hold whatever fd ipcinspect was given.
 */
static const struct scan_fd_claim fifo_claim = {
	.type = S_IFIFO, .flags = CLAIM_MODE | CLAIM_PATH,
};

static int fifo_collect(const struct collect_ctx *ctx, struct kind_objs *ret)
{
	const struct vec *fds = procscan_claimed_fds(ctx->scan, &fifo_kind);
	bool exhaustive = procscan_sees_all(ctx->scan);
	size_t i = 0;
	int r;

	while (i < fds->len) {
		const struct scan_fd *head = vec_at(fds, i);
		struct fifo_obj f = { .dev = head->dev, .ino = head->ino, .deleted = head->deleted };

		/* the path as the first holder (lowest pid) sees it */
		f.path = xstrdup(head->path ? head->path : "");
		i = ends_group_fds(fds, i, &f.ends);
		f.ends.exhaustive = exhaustive;
		vec_push(&ret->objs, &f);
	}
	/* the scan gives them sorted by (dev, ino); keep it so after each dir */
	for (i = 0; i < ctx->nfifo_dirs; i++) {
		if (ctx->fifo_dirs[i].fd < 0)
			continue;
		r = fifo_find_on_disk(&ctx->fifo_dirs[i], ctx->scan, ret);
		if (r < 0) {
			char *note = xasprintf("--fifo-dir %s: cannot be read: %s: its FIFOs may "
					       "not all be listed", ctx->fifo_dirs[i].path,
					       strerror(-r));

			vec_push(&ret->notes, &note);
		}
		vec_sort(&ret->objs, cmp_fifo);
	}
	return 0;
}

static void fifo_free_obj(void *obj)
{
	struct fifo_obj *f = obj;

	free(f->path);
	free(f->name);
	ends_free(&f->ends);
}

enum {
	COL_PATH, COL_DELETED, COL_DEV, COL_INODE, COL_READERS, COL_WRITERS, COL_ON_DISK,
	COL_UID, COL_USER, COL_VERDICT,
};

static const struct column fifo_columns[] = {
	[COL_PATH] = { "PATH", "path", "path of the FIFO as its first holder sees it (escaped)", 0.3, COL_WRAP, NULL, NULL, COLT_STRING },
	[COL_DELETED] = { "DELETED", "deleted", "the FIFO was unlinked while open", 3, 0, NULL, NULL, COLT_BOOLEAN },
	[COL_DEV] = { "DEV", "dev", "device of the file system, major:minor", 6, 0, NULL, NULL, COLT_STRING },
	[COL_INODE] = { "INODE", "inode", "inode number", 8, COL_RIGHT, NULL, NULL, COLT_INTEGER },
	[COL_READERS] = { "READERS", "readers", "processes with a read end open: pid, comm, user, fd", 0.2, COL_LIST, NULL, NULL, COLT_ARRAY },
	[COL_WRITERS] = { "WRITERS", "writers", "processes with a write end open: pid, comm, user, fd", 0.2, COL_LIST, NULL, NULL, COLT_ARRAY },
	[COL_ON_DISK] = { "ON-DISK", "on_disk", "found as a file under a --fifo-dir", 3, 0, NULL, NULL, COLT_BOOLEAN },
	[COL_UID] = { "UID", "uid", "owner user id of the file (null unless on disk)", 5, COL_RIGHT, NULL, NULL, COLT_INTEGER },
	[COL_USER] = { "USER", "user", "owner user name of the file (null unless on disk)", 8, 0, NULL, NULL, COLT_STRING },
	{ "VERDICT", "verdict", "in-use, suspect (nobody holds it: a later open by path may come) or unknown", 8, 0, NULL, NULL, COLT_STRING },
	{ "REASONS", "reasons", "the evidence behind the verdict, in words", 0.4, COL_LIST, NULL, NULL, COLT_ARRAY },
	{ "AGE", "age", "seconds since the last change to the file's times: a read, a write or a metadata change", 6, COL_RIGHT, NULL, NULL, COLT_DURATION },
};

static const char *const fifo_orphan_defaults[] = {
	"PATH", "USER", "AGE", "VERDICT", "REASONS", NULL
};

static const char *const fifo_defaults[] = {
	"PATH", "DELETED", "INODE", "READERS", "WRITERS", NULL
};

static void fifo_get(const void *obj, size_t col, struct value *ret)
{
	const struct fifo_obj *f = obj;

	switch (col) {
	case COL_PATH:
		VALUE_STR(ret, f->path);
		break;
	case COL_DELETED:
		value_set(ret, VAL_BOOL);
		ret->u.b = f->deleted;
		break;
	case COL_DEV:
		VALUE_TYPED_U64(ret, VAL_DEV, f->dev);
		break;
	case COL_INODE:
		VALUE_U64(ret, f->ino);
		break;
	case COL_READERS:
		value_holders(ret, f->ends.readers, f->ends.nreaders, f->ends.exhaustive, true);
		break;
	case COL_WRITERS:
		value_holders(ret, f->ends.writers, f->ends.nwriters, f->ends.exhaustive, true);
		break;
	case COL_ON_DISK:
		value_set(ret, VAL_BOOL);
		ret->u.b = f->on_disk;
		break;
	case COL_UID:
		if (f->on_disk)
			VALUE_U64(ret, f->uid);
		else
			value_set(ret, VAL_NULL);
		break;
	case COL_USER:
		if (f->on_disk)
			VALUE_U32(ret, VAL_USER, f->uid);
		else
			value_set(ret, VAL_NULL);
		break;
	case COL_VERDICT:
	case COL_VERDICT + VCOL_REASONS:
	case COL_VERDICT + VCOL_AGE:
		verdict_get(&fifo_kind, &f->verdict, col - COL_VERDICT, ret);
		break;
	default:
		value_set(ret, VAL_NULL);
		break;
	}
}

/* fifo's own reasons. */
enum {
	FIFO_R_HELD = REASON_KIND,	/* ref: a holder; flag: and other fds */
	FIFO_R_NOBODY,
};

static void fifo_reason_text(const struct reason *r, char *buf, size_t size)
{
	const struct holder *h = r->ref;

	if (r->code == FIFO_R_HELD)
		snprintf(buf, size, "held open by %s[%d]%s", h->proc ? h->proc->comm : "?", h->pid,
			 r->flag ? " and others" : "");
	else if (r->code == FIFO_R_NOBODY)
		snprintf(buf, size, "nobody holds it open");
}

/* Held open: in use.  On disk and held by nobody: a suspect (a process
 * may open it by path at any time). */
static void fifo_decide(void *obj, const struct owners *o, struct verdict_work *w)
{
	struct fifo_obj *f = obj;
	const struct holder *h = f->ends.nreaders ? f->ends.readers : f->ends.writers;
	bool others = false;
	size_t i;

	if (f->on_disk)
		verdict_set_age(w->v, o->now, f->atime, f->mtime, f->ctime, 0);
	/* an O_RDWR fd is in both lists: "others" are other fds */
	for (i = 0; i < f->ends.nreaders; i++)
		others |= f->ends.readers[i].pid != h->pid || f->ends.readers[i].fd != h->fd;
	for (i = 0; i < f->ends.nwriters; i++)
		others |= f->ends.writers[i].pid != h->pid || f->ends.writers[i].fd != h->fd;
	if (f->ends.nreaders + f->ends.nwriters) {
		struct reason *r = verdict_reason(w, FIFO_R_HELD);

		r->ref = h;
		r->flag = others;
		w->in_use = true;
	} else if (f->self_holds) {	/* its starter handed it over: in use */
		verdict_reason(w, REASON_HELD_BY_SELF);
		w->in_use = true;
	} else if (!f->ends.exhaustive) {
		verdict_note_unseen(w, &o->scan);
	} else {
		verdict_reason(w, FIFO_R_NOBODY);
	}
	verdict_finish(w, VERDICT_SUSPECT);
}

static void fifo_judge(void *obj, const struct owners *o)
{
	struct fifo_obj *f = obj;
	struct verdict_work w;

	ends_kind_judge(obj, o);
	verdict_begin(&w, &f->verdict, f, sizeof(*f), o->arena);
	fifo_decide(f, o, &w);
}

static void fifo_describe(const void *obj, const struct owners *o, struct ctx_obj *ret)
{
	const struct fifo_obj *f = obj;
	const struct holder *h = f->ends.nreaders ? f->ends.readers : f->ends.writers;
	size_t stem;

	if (!f->on_disk)
		return;	/* only a file on disk has an owner, a directory and a time */
	stem = family_stem_len(f->name);
	ret->has_uid = true;
	ret->uid = f->uid;
	ret->scope = SCOPE_MNT_NS;
	ret->during_scan = created_during_scan(f->ctime, f->ctime_ns, &o->scan_start);
	/* one directory (as opened for --fifo-dir) and one stem */
	ret->family = stem ? xasprintf("%d/%.*s", f->dirfd, (int)stem, f->name) : NULL;
	ret->label = f->path;
	if (f->ends.nreaders + f->ends.nwriters)
		holder_phrase(ret->use, sizeof(ret->use), h);
}

/* ---- the act phase: removal ---- */

/*
 * A FIFO on disk: re-stat the entry in the directory that was read
 * (never through a symlink) and unlink it only if it is still the same
 * FIFO with the same owner, and nobody opened it since.
 */
static void fifo_remove(const void *obj, const struct act_req *req, struct act_outcome *ret)
{
	const struct fifo_obj *f = obj;

	(void)req;
	if (!f->on_disk)
		return act_outcome_set(ret, ACT_FAILED, xstrdup("not a file under a --fifo-dir"));
	act_file_unlink(&(struct act_file){ .dirfd = f->dirfd, .entry = f->name, .fmt = S_IFIFO,
					    .dev = f->dev, .ino = f->ino, .uid = f->uid,
					    .what = "FIFO" },
			false, "opened", ret);
}

static void fifo_identify(const void *obj, struct obj_ident *ret)
{
	const struct fifo_obj *f = obj;

	ret->path = f->path;
	ret->dev = f->dev;
	ret->ino = f->ino;
	ret->uid = f->uid;
	ret->cleanable = f->on_disk;
}

const struct ipc_kind fifo_kind = {
	.name = "fifo",
	.title = "FIFOs (named pipes)",
	.source = "/proc/PID/fd",
	.columns = fifo_columns,
	.ncolumns = sizeof(fifo_columns) / sizeof(fifo_columns[0]),
	.defaults = fifo_defaults,
	.orphan_defaults = fifo_orphan_defaults,
	.verdict_offset = offsetof(struct fifo_obj, verdict),
	.objsize = sizeof(struct fifo_obj),
	.needs_scan = true,
	.claim_fds = &fifo_claim,
	.collect = fifo_collect,
	.get = fifo_get,
	.free_obj = fifo_free_obj,
	.gather = ends_kind_gather,
	.judge = fifo_judge,
	.decide = fifo_decide,
	.reason_text = fifo_reason_text,
	.describe = fifo_describe,
	.involves = ends_kind_involves,
	.clean = KIND_CLEAN_FIFO_DIR,
	.policy = KIND_POLICY_AGE_UNCHANGED,
	.no_backup = "no backup for FIFOs: a FIFO has no content",
	.identify = fifo_identify,
	.remove = fifo_remove,
};
