/*
 * Kind "pipe": anonymous pipes, found by the process scan ("pipe:[INODE]"
 * fd links, doc/kernel-facts.md, "File descriptor links"), with their read
 * and write ends ("Open modes")
 * and what that says: nobody to read, nobody to write, or one process
 * holding both ends alone.  A pipe exists only through its fds, so it is
 * information, never something to clean up.
 */
#include "config.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "kind.h"
#include "model.h"
#include "owners.h"
#include "pipe.h"
#include "procscan.h"

/*
 * pipe:[INODE] fd links, with the ends they hold; the pipes ipcinspect
 * holds as its stdin, stdout or stderr are its own and left out.
 */
static const struct scan_fd_claim pipe_claim = {
	.prefix = "pipe:[", .flags = CLAIM_MODE | CLAIM_SELF_HIDES,
	.parse = procscan_parse_pipe_link,
};

static int pipe_collect(const struct collect_ctx *ctx, struct kind_objs *ret)
{
	const struct vec *fds = procscan_claimed_fds(ctx->scan, &pipe_kind);
	size_t i = 0;

	while (i < fds->len) {
		const struct scan_fd *head = vec_at(fds, i);
		struct pipe_obj p = { .ino = head->ino };
		const struct scan_fd *mine;
		size_t n = procscan_self_fds(ctx->scan, &pipe_kind, 0, p.ino, &mine);

		/* an inherited end: not listed, but held (no "no-writers" lie) */
		while (n--)
			p.self_mode |= mine++->mode;
		i = ends_group_fds(fds, i, &p.ends);
		p.ends.exhaustive = procscan_sees_all(ctx->scan);
		vec_push(&ret->objs, &p);
	}
	return 0;
}

static void pipe_free_obj(void *obj)
{
	struct pipe_obj *p = obj;

	ends_free(&p->ends);
}

/* One process holds both ends and nobody else holds either. */
static bool pipe_is_same_process(const struct pipe_obj *p)
{
	size_t i;
	int pid;

	const struct ends *e = &p->ends;

	if (!e->nreaders || !e->nwriters || p->self_mode)
		return false;
	pid = e->readers[0].pid;
	for (i = 0; i < e->nreaders; i++)
		if (e->readers[i].pid != pid)
			return false;
	for (i = 0; i < e->nwriters; i++)
		if (e->writers[i].pid != pid)
			return false;
	return true;
}

enum { COL_INODE, COL_READERS, COL_WRITERS, COL_FLAGS, COL_VERDICT };

static const struct column pipe_columns[] = {
	[COL_INODE] = { "INODE", "inode", "inode number in pipefs", 8, COL_RIGHT, NULL, NULL, COLT_INTEGER },
	[COL_READERS] = { "READERS", "readers", "processes with the read end open: pid, comm, user, fd", 0.3, COL_LIST, NULL, NULL, COLT_ARRAY },
	[COL_WRITERS] = { "WRITERS", "writers", "processes with the write end open: pid, comm, user, fd", 0.3, COL_LIST, NULL, NULL, COLT_ARRAY },
	[COL_FLAGS] = { "FLAGS", "flags", "no-readers (a write raises SIGPIPE), no-writers (readers get EOF), same-process (one process holds both ends alone); none unless every process was read", 10, 0, NULL, NULL, COLT_ARRAY },
	VERDICT_COLUMNS,
};

/* the lists last: a list shortened to fit the terminal ends the line */
static const char *const pipe_defaults[] = { "INODE", "FLAGS", "READERS", "WRITERS", NULL };

static void pipe_get(const void *obj, size_t col, struct value *ret)
{
	const struct pipe_obj *p = obj;

	switch (col) {
	case COL_INODE:
		VALUE_U64(ret, p->ino);
		break;
	case COL_READERS:
		value_holders(ret, p->ends.readers, p->ends.nreaders, p->ends.exhaustive, true);
		break;
	case COL_WRITERS:
		value_holders(ret, p->ends.writers, p->ends.nwriters, p->ends.exhaustive, true);
		break;
	case COL_FLAGS:
		value_set(ret, VAL_FLAGS);
		/* each flag claims that nobody else holds an end: only if all were read */
		if (!p->ends.exhaustive)
			break;
		if (!p->ends.nreaders && !(p->self_mode & HOLD_READ))
			ret->flags[ret->nflags++] = "no-readers";
		if (!p->ends.nwriters && !(p->self_mode & HOLD_WRITE))
			ret->flags[ret->nflags++] = "no-writers";
		if (pipe_is_same_process(p))
			ret->flags[ret->nflags++] = "same-process";
		break;
	case COL_VERDICT:
	case COL_VERDICT + VCOL_REASONS:
	case COL_VERDICT + VCOL_AGE:
		verdict_get(&pipe_kind, &p->verdict, col - COL_VERDICT, ret);
		break;
	default:
		value_set(ret, VAL_NULL);
		break;
	}
}

/* pipe's own reason: n readers, aux writers, flag: the counts are all there is. */
enum { PIPE_R_HELD = REASON_KIND };

static void pipe_reason_text(const struct reason *r, char *buf, size_t size)
{
	if (r->code == PIPE_R_HELD)
		snprintf(buf, size, "held by %" PRIu64 " reader fd%s and %" PRIu32 " writer fd%s%s",
			 r->n, r->n == 1 ? "" : "s", r->aux, r->aux == 1 ? "" : "s",
			 r->flag ? "" : " seen");
}

/* A pipe exists only through its fds: always in use, never an orphan. */
static void pipe_decide(void *obj, const struct owners *o, struct verdict_work *w)
{
	struct pipe_obj *p = obj;
	struct reason *r = verdict_reason(w, PIPE_R_HELD);

	r->n = p->ends.nreaders;
	r->aux = (uint32_t)p->ends.nwriters;
	r->flag = p->ends.exhaustive;
	if (!p->ends.exhaustive)	/* the counts are a floor: say why */
		verdict_note_unseen(w, &o->scan);
	w->in_use = true;
	verdict_finish(w, VERDICT_IN_USE);
}

static void pipe_judge(void *obj, const struct owners *o)
{
	struct pipe_obj *p = obj;
	struct verdict_work w;

	ends_kind_judge(obj, o);
	verdict_begin(&w, &p->verdict, p, sizeof(*p), o->arena);
	pipe_decide(p, o, &w);
}

const struct ipc_kind pipe_kind = {
	.name = "pipe",
	.title = "Pipes",
	.source = "/proc/PID/fd",
	.columns = pipe_columns,
	.ncolumns = sizeof(pipe_columns) / sizeof(pipe_columns[0]),
	.defaults = pipe_defaults,
	.verdict_offset = offsetof(struct pipe_obj, verdict),
	.objsize = sizeof(struct pipe_obj),
	.needs_scan = true,
	.claim_fds = &pipe_claim,
	.collect = pipe_collect,
	.get = pipe_get,
	.free_obj = pipe_free_obj,
	.gather = ends_kind_gather,
	.judge = pipe_judge,
	.decide = pipe_decide,
	.reason_text = pipe_reason_text,
	.involves = ends_kind_involves,
	.clean = KIND_CLEAN_NEVER,
	.clean_refusal = "pipes exist only through their fds",
	.never_orphan = true,
};
