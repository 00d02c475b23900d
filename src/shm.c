/*
 * Kind "shm": System V shared memory segments, from /proc/sysvipc/shm
 * (doc/kernel-facts.md, "The sysvipc files"), with the processes of the same
 * IPC namespace that map each one ("Segment mappings") and the creator and
 * last user judged.  Its act phase (re-checks, removal, backup and
 * restore) is in shm-act.c.
 */
#include "config.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <unistd.h>

#include "act.h"
#include "context.h"
#include "facts.h"
#include "kind.h"
#include "model.h"
#include "owners.h"
#include "shm.h"
#include "sysvfields.h"
#include "sysvipc.h"
#include "xalloc.h"

enum {
	COL_SIZE = SYSV_NCOMMON, COL_NATTCH, COL_STATUS, COL_CPID, COL_LPID,
	COL_ATIME, COL_DTIME, COL_RSS, COL_SWAP, COL_ATTACHED, COL_CREATOR, COL_LAST,
	COL_FREES, COL_FREES_PAGES, COL_VERDICT,
};

static const struct column shm_columns[] = {
	SYSV_COMMON_COLUMNS("segment"),
	[COL_SIZE] = { "SIZE", "size", "segment size in bytes", 6, COL_RIGHT, NULL, NULL, COLT_SIZE },
	[COL_NATTCH] = { "NATTCH", "nattch", "number of attachments (mappings, not processes)", 6, COL_RIGHT, NULL, NULL, COLT_INTEGER },
	[COL_STATUS] = { "STATUS", "status", "dest (removed, still attached), locked (SHM_LOCK)", 6, 0, NULL, NULL, COLT_ARRAY },
	[COL_CPID] = { "CPID", "cpid", "pid of the creator", 6, COL_RIGHT, NULL, NULL, COLT_INTEGER },
	[COL_LPID] = { "LPID", "lpid", "pid of the last attach or detach", 6, COL_RIGHT, NULL, NULL, COLT_INTEGER },
	[COL_ATIME] = { "ATIME", "atime", "time of the last attach", 11, 0, NULL, NULL, COLT_TIME },
	[COL_DTIME] = { "DTIME", "dtime", "time of the last detach", 11, 0, NULL, NULL, COLT_TIME },
	[COL_RSS] = { "RSS", "rss", "resident bytes (null: kernel does not say)", 6, COL_RIGHT, NULL, NULL, COLT_SIZE },
	[COL_SWAP] = { "SWAP", "swap", "swapped-out bytes (null: kernel does not say)", 6, COL_RIGHT, NULL, NULL, COLT_SIZE },
	[COL_ATTACHED] = { "ATTACHED", "attached", "processes of this IPC namespace mapping it: pid, comm, user, mappings", 0.3, COL_LIST, NULL, NULL, COLT_ARRAY },
	[COL_CREATOR] = { "CREATOR", "creator", "the creator (cpid) judged: pid, tgid, alive, comm, why", 12, 0, NULL, NULL, COLT_OBJECT },
	[COL_LAST] = { "LAST", "last", "the last to attach or detach (lpid) judged", 12, 0, NULL, NULL, COLT_OBJECT },
	[COL_FREES] = { "FREES", "frees_bytes", "bytes its removal frees (the segment size)", 6, COL_RIGHT, NULL, NULL, COLT_SIZE },
	[COL_FREES_PAGES] = { "PAGES", "frees_pages", "pages its removal gives back to shmall", 6, COL_RIGHT, NULL, NULL, COLT_INTEGER },
	VERDICT_COLUMNS,
};

static const char *const shm_orphan_defaults[] = {
	"ID", "KEY", "USER", "SIZE", "AGE", "VERDICT", "REASONS", NULL
};

static const char *const shm_defaults[] = {
	"ID", "KEY", "USER", "PERMS", "SIZE", "NATTCH", "STATUS", "CREATOR", "ATTACHED", NULL
};

static void shm_fixup(void *obj, const struct sysvipc_layout *layout)
{
	struct shm_seg *s = obj;

	s->has_rss = sysvipc_layout_has(layout, SHM_F_RSS) && sysvipc_layout_has(layout, SHM_F_SWAP);
	/* unjudged until the scan (if any) says more */
	s->creator.pid = s->cpid;
	s->last.pid = s->lpid;
}

static int shm_collect(const struct collect_ctx *ctx, struct kind_objs *ret)
{
	return sysvipc_collect(ctx, ret, shm_fixup);
}

/* The namespace's segments, as SHM_INFO counts them: one line each to read. */
static size_t shm_estimate(const struct collect_ctx *ctx)
{
	struct shm_info info;

	(void)ctx;
	return shmctl(0, SHM_INFO, (struct shmid_ds *)&info) < 0 ? 0 : (size_t)info.used_ids;
}

/* Pages the kernel counts against shmall: rounded up per segment. */
static uint64_t shm_pages(uint64_t size)
{
	static uint64_t page;

	if (!page) {
		long sz = sysconf(_SC_PAGESIZE);

		page = sz > 0 ? (uint64_t)sz : 4096;
	}
	return size / page + (size % page != 0);
}

static void shm_get(const void *obj, size_t col, struct value *ret)
{
	const struct shm_seg *s = obj;

	switch (col) {
	case COL_SIZE:
		VALUE_TYPED_U64(ret, VAL_SIZE, s->size);
		break;
	case COL_NATTCH:
		VALUE_U64(ret, s->nattch);
		break;
	case COL_STATUS:
		value_set(ret, VAL_FLAGS);
		if (s->c.mode & SHM_MODE_DEST)
			ret->flags[ret->nflags++] = "dest";
		if (s->c.mode & SHM_MODE_LOCKED)
			ret->flags[ret->nflags++] = "locked";
		break;
	case COL_CPID:
		VALUE_S64(ret, s->cpid);
		break;
	case COL_LPID:
		VALUE_S64(ret, s->lpid);
		break;
	case COL_ATIME:
		VALUE_TYPED_S64(ret, VAL_TIME, s->atime);
		break;
	case COL_DTIME:
		VALUE_TYPED_S64(ret, VAL_TIME, s->dtime);
		break;
	case COL_RSS:
	case COL_SWAP:
		if (s->has_rss)
			VALUE_TYPED_U64(ret, VAL_SIZE, col == COL_RSS ? s->rss : s->swap);
		else
			value_set(ret, VAL_NULL);
		break;
	case COL_ATTACHED:
		value_holders(ret, s->attached, s->nattached, s->exhaustive, false);
		break;
	case COL_CREATOR:
		VALUE_ACTOR(ret, &s->creator);
		break;
	case COL_LAST:
		VALUE_ACTOR(ret, &s->last);
		break;
	case COL_FREES:
		VALUE_TYPED_U64(ret, VAL_SIZE, s->size);
		break;
	case COL_FREES_PAGES:
		VALUE_U64(ret, shm_pages(s->size));
		break;
	case COL_VERDICT:
	case COL_VERDICT + VCOL_REASONS:
	case COL_VERDICT + VCOL_AGE:
		verdict_get(&shm_kind, &s->verdict, col - COL_VERDICT, ret);
		break;
	default:
		sysv_common_get(obj, col, ret);
		break;
	}
}

/*
 * The process scan's claim: maps lines of SysV segments ("/SYSV%08x",
 * doc/kernel-facts.md, "Segment mappings"), keyed by (IPC namespace of
 * the process, shmid): a shmid means a segment only in its namespace.
 */
static int shm_maps_key(const char *line, const struct scan_proc *p, uint64_t *ret_dev,
			uint64_t *ret_ino)
{
	int shmid = procscan_parse_maps_line(line);

	if (shmid < 0 || !p->has_ipc_ns)
		return -1;
	*ret_dev = p->ipc_ns;
	*ret_ino = (uint64_t)shmid;
	return 0;
}

static const struct scan_maps_claim shm_maps_claim = {
	.marker = " /SYSV", .parse = shm_maps_key,
};

/* The processes of the inspected namespace mapping s, as the scan found them. */
static size_t shm_mappers(const struct owners *o, const struct shm_seg *s,
			  const struct scan_map **ret_first)
{
	*ret_first = NULL;
	if (!o->has_ipc_ns)
		return 0;
	return procscan_maps(&o->scan, &shm_kind, o->ipc_ns, (uint64_t)s->c.id, ret_first);
}

static void shm_gather(const void *obj, const struct owners *o, struct gather *g)
{
	const struct shm_seg *s = obj;
	const struct scan_map *m = NULL;
	size_t i, n = shm_mappers(o, s, &m);

	owners_want(&g->pids, s->cpid);
	owners_want(&g->pids, s->lpid);
	for (i = 0; i < n; i++)
		owners_want(&g->pids, m[i].pid);
	gather_time(g, s->c.ctime);
	gather_time(g, s->atime);
	gather_time(g, s->dtime);
}

/* shm's own reasons (the codes of its reason_text). */
enum {
	SHM_R_DEST = REASON_KIND,	/* removed, still attached */
	SHM_R_NATTCH,			/* n: the kernel's count */
	SHM_R_MORE,			/* n: processes mapping it beyond the three named */
	SHM_R_NO_IPC_NS,		/* attached: the IPC namespace of ipcinspect unreadable */
	SHM_R_ATTACHED_OUTSIDE,		/* attached from beyond this PID namespace */
	SHM_R_ATTACHED_UNREADABLE,	/* n: unreadable processes, one has it attached */
	SHM_R_ATTACHED_MEANWHILE,	/* attached by a process the scan did not find */
	SHM_R_UNMAPPED,			/* no process of this IPC namespace maps it */
	SHM_R_NEVER_ATTACHED,
	SHM_R_ATTACHED_HIDDEN,		/* by a process /proc's hidepid= hides */
};

static void shm_reason_text(const struct reason *r, char *buf, size_t size)
{
	switch (r->code) {
	case SHM_R_DEST:
		snprintf(buf, size, "removed: destroyed at its last detach (dest)");
		break;
	case SHM_R_NATTCH:
		snprintf(buf, size, "nattch %" PRIu64, r->n);
		break;
	case SHM_R_MORE:
		snprintf(buf, size, "and %" PRIu64 " more processes map it", r->n);
		break;
	case SHM_R_NO_IPC_NS:
		snprintf(buf, size, "the IPC namespace of ipcinspect could not be read");
		break;
	case SHM_R_ATTACHED_OUTSIDE:
		snprintf(buf, size, "attached by a process outside this PID namespace: not visible");
		break;
	case SHM_R_ATTACHED_UNREADABLE:
		snprintf(buf, size, "attached by one of %" PRIu64 " unreadable processes", r->n);
		break;
	case SHM_R_ATTACHED_HIDDEN:
		snprintf(buf, size, "attached by a process /proc may hide (hidepid=)");
		break;
	case SHM_R_ATTACHED_MEANWHILE:
		snprintf(buf, size, "attached by a process the scan did not find (attached meanwhile)");
		break;
	case SHM_R_UNMAPPED:
		snprintf(buf, size, "no process of this IPC namespace maps it");
		break;
	case SHM_R_NEVER_ATTACHED:
		snprintf(buf, size, "never attached");
		break;
	}
}

/*
 * The attachments nattch counts but the scan did not find: whose they may
 * be (doc/kernel-facts.md, "Visibility").  Still in use: nattch is exact.
 */
static void shm_note_unseen_attacher(struct verdict_work *w, const struct owners *o)
{
	const struct procscan *scan = &o->scan;

	if (!o->has_ipc_ns)
		verdict_reason(w, SHM_R_NO_IPC_NS);
	else if (scan->child_pidns && !scan->outside_ruled_out)
		verdict_reason(w, SHM_R_ATTACHED_OUTSIDE);
	else if (scan->unreadable)
		verdict_reason(w, SHM_R_ATTACHED_UNREADABLE)->n = scan->unreadable;
	else if (scan->hidden_by)
		verdict_reason(w, SHM_R_ATTACHED_HIDDEN);
	else
		verdict_reason(w, SHM_R_ATTACHED_MEANWHILE);
}

/*
 * Orphan: nattch 0 (exact, doc/kernel-facts.md, "Attachment count": no process of any PID
 * namespace has it attached), not removed-and-attached, creator and last
 * user gone.
 */
static void shm_decide(void *obj, const struct owners *o, struct verdict_work *w)
{
	struct shm_seg *s = obj;
	size_t i;

	verdict_set_age(w->v, o->now, s->c.ctime, s->atime, s->dtime, 0);
	if (s->c.mode & SHM_MODE_DEST) {
		verdict_reason(w, SHM_R_DEST);
		w->in_use = true;
	}
	verdict_reason(w, SHM_R_NATTCH)->n = s->nattch;
	w->in_use |= s->nattch > 0;
	for (i = 0; i < s->nattached && i < 3; i++)
		verdict_reason(w, REASON_MAPPED_BY)->ref = &s->attached[i];
	if (s->nattached > 3)
		verdict_reason(w, SHM_R_MORE)->n = s->nattached - 3;
	w->in_use |= s->nattached > 0;
	if (!s->nattached && s->nattch > 0)
		shm_note_unseen_attacher(w, o);
	else if (!s->nattached)
		verdict_reason(w, SHM_R_UNMAPPED);
	verdict_note_actor(w, ROLE_CREATOR, 0, &s->creator);
	if (!verdict_note_actor(w, ROLE_LAST_USER, 0, &s->last))
		verdict_reason(w, SHM_R_NEVER_ATTACHED);
	verdict_finish(w, VERDICT_ORPHAN);
}

/*
 * The latest time the segment can have been made at: its creation came
 * before every later event, so ctime, moved by each IPC_SET, is one bound
 * and the last attach and detach are others (doc/kernel-facts.md, "Pid
 * reuse").
 */
static void shm_created_by(const struct shm_seg *s, int64_t *ret_t, const char **ret_event)
{
	event_earliest(s->c.ctime, "ctime", s->atime, "atime", ret_t, ret_event);
	event_earliest(*ret_t, *ret_event, s->dtime, "dtime", ret_t, ret_event);
}

static void shm_judge(void *obj, const struct owners *o)
{
	struct shm_seg *s = obj;
	struct verdict_work w;
	const struct scan_map *m = NULL;
	const char *event;
	int64_t t;
	size_t i;

	shm_created_by(s, &t, &event);
	actor_judge(o, s->cpid, t, event, &s->creator);
	event_latest(s->atime, "atime", s->dtime, "dtime", &t, &event);
	actor_judge(o, s->lpid, t, event, &s->last);
	/* only processes of the segment's own IPC namespace: shmids collide;
	 * nattch 0 says "nobody" on its own */
	s->exhaustive = s->nattch == 0 || (o->has_ipc_ns && procscan_sees_all(&o->scan));
	s->nattached = shm_mappers(o, s, &m);
	s->attached = s->nattached ? xcalloc(s->nattached, sizeof(*s->attached)) : NULL;
	for (i = 0; i < s->nattached; i++)
		s->attached[i] = (struct holder){ .pid = m[i].pid, .fd = -1, .mappings = m[i].mappings };
	holders_resolve(o, s->attached, s->nattached);
	verdict_begin(&w, &s->verdict, s, sizeof(*s), o->arena);
	shm_decide(s, o, &w);
}

/*
 * Segments one pid created, close in time, are one application's: a
 * creator keeps its segments' keys (PostgreSQL's main segment and what
 * it finds through it).
 */
static void shm_describe(const void *obj, const struct owners *o, struct ctx_obj *ret)
{
	const struct shm_seg *s = obj;

	sysv_describe(obj, o, ret);
	snprintf(ret->label_buf, sizeof(ret->label_buf), "shmid %d", s->c.id);
	/* one creator that is gone: a live one makes its segments in use */
	if (s->cpid > 0 && s->creator.state == ACTOR_GONE) {
		const char *event;

		ret->family = xasprintf("cpid %d, gone", s->cpid);
		shm_created_by(s, &ret->time, &event);
	}
	if (s->nattached)
		holder_phrase(ret->use, sizeof(ret->use), &s->attached[0]);
	else if (s->nattch)
		snprintf(ret->use, sizeof(ret->use), "nattch %" PRIu64, s->nattch);
	else if (s->last.state == ACTOR_ALIVE)
		snprintf(ret->use, sizeof(ret->use), "last user %s[%d] is alive",
			 s->last.proc ? s->last.proc->comm : "?", s->last.pid);
}

static bool shm_involves(const void *obj, int pid)
{
	const struct shm_seg *s = obj;
	size_t i;

	if (actor_is(&s->creator, pid) || actor_is(&s->last, pid))
		return true;
	for (i = 0; i < s->nattached; i++)
		if (s->attached[i].pid == pid)
			return true;
	return false;
}

static void shm_free_obj(void *obj)
{
	struct shm_seg *s = obj;

	free(s->attached);
	s->attached = NULL;
}

const struct ipc_kind shm_kind = {
	.name = "shm",
	.title = "Shared memory segments",
	.source = "/proc/sysvipc/shm",
	.columns = shm_columns,
	.ncolumns = sizeof(shm_columns) / sizeof(shm_columns[0]),
	.defaults = shm_defaults,
	.orphan_defaults = shm_orphan_defaults,
	.verdict_offset = offsetof(struct shm_seg, verdict),
	.creator_offset = offsetof(struct shm_seg, creator),
	.bytes_column = "size",
	.fields = sysv_shm_fields,
	.nfields = sizeof(sysv_shm_fields) / sizeof(sysv_shm_fields[0]),
	.objsize = sizeof(struct shm_seg),
	.sysv = true,
	.claim_maps = &shm_maps_claim,
	.collect = shm_collect,
	.get = shm_get,
	.free_obj = shm_free_obj,
	.gather = shm_gather,
	.judge = shm_judge,
	.decide = shm_decide,
	.reason_text = shm_reason_text,
	.describe = shm_describe,
	.involves = shm_involves,
	.clean = KIND_CLEAN_ALWAYS,
	.estimate = shm_estimate,
	.policy = KIND_POLICY_IPC_NS | KIND_POLICY_STRANDS,
	.noun = "shared memory segment",
	.identify = shm_identify,
	.remove = shm_remove,
	.backup = &shm_backup,
};
