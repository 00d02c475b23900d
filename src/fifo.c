/*
 * Kind "fifo": named pipes that some process holds open, found by the
 * process scan and keyed by (dev, ino), never by path (KERNEL-NOTES.md
 * 3.3-3.5: mount namespaces make paths ambiguous).
 */
#include "config.h"

#include <stdlib.h>
#include <sys/sysmacros.h>

#include "kind.h"
#include "model.h"
#include "owners.h"
#include "procscan.h"
#include "xalloc.h"

static int fifo_collect(const struct collect_ctx *ctx, struct kind_objs *ret)
{
	const struct vec *fds = &ctx->scan->fifos;
	size_t i = 0;

	while (i < fds->len) {
		const struct scan_fd *head = vec_at(fds, i);
		struct fifo_obj f = { .dev = head->dev, .ino = head->ino, .deleted = head->deleted };

		/* the path as the first holder (lowest pid) sees it */
		f.path = xstrdup(head->path ? head->path : "");
		i = ends_group_fds(fds, i, &f.ends);
		f.ends.exhaustive = ctx->scan->unreadable == 0;
		vec_push(&ret->objs, &f);
	}
	return 0;
}

static void fifo_free_obj(void *obj)
{
	struct fifo_obj *f = obj;

	free(f->path);
	ends_free(&f->ends);
}

static json_t *dev_to_json(const void *obj, const struct render_opts *opts)
{
	const struct fifo_obj *f = obj;
	char buf[32];

	(void)opts;
	snprintf(buf, sizeof(buf), "%u:%u", major(f->dev), minor(f->dev));
	return json_string(buf);
}

static char *dev_to_text(const void *obj, const struct render_opts *opts)
{
	const struct fifo_obj *f = obj;

	(void)opts;
	return xasprintf("%u:%u", major(f->dev), minor(f->dev));
}

enum { COL_PATH, COL_DELETED, COL_DEV, COL_INODE, COL_READERS, COL_WRITERS };

static const struct column fifo_columns[] = {
	[COL_PATH] = { "PATH", "path", "path of the FIFO as its first holder sees it (escaped)", 0.3, COL_TRUNC, NULL, NULL },
	[COL_DELETED] = { "DELETED", "deleted", "the FIFO was unlinked while open", 3, 0, NULL, NULL },
	[COL_DEV] = { "DEV", "dev", "device of the file system, major:minor", 6, 0, dev_to_json, dev_to_text },
	[COL_INODE] = { "INODE", "inode", "inode number", 8, COL_RIGHT, NULL, NULL },
	[COL_READERS] = { "READERS", "readers", "processes with a read end open: pid, comm, user, fd", 0.2, COL_TRUNC, NULL, NULL },
	[COL_WRITERS] = { "WRITERS", "writers", "processes with a write end open: pid, comm, user, fd", 0.2, COL_TRUNC, NULL, NULL },
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
		value_set(ret, VAL_CUSTOM);
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
	default:
		value_set(ret, VAL_NULL);
		break;
	}
}

const struct ipc_kind fifo_kind = {
	.name = "fifo",
	.title = "FIFOs (named pipes) held open",
	.source = "/proc/PID/fd",
	.columns = fifo_columns,
	.ncolumns = sizeof(fifo_columns) / sizeof(fifo_columns[0]),
	.defaults = fifo_defaults,
	.objsize = sizeof(struct fifo_obj),
	.needs_scan = true,
	.collect = fifo_collect,
	.get = fifo_get,
	.free_obj = fifo_free_obj,
	.gather = ends_kind_gather,
	.judge = ends_kind_judge,
	.involves = ends_kind_involves,
};
