/*
 * watch's events: what changed from one judged look to the next.  Both
 * looks are whole snapshots; objects are matched by kind and identity
 * (a SysV id; a POSIX name or other first column, with the device and
 * inode where the kind has them, so that a name made again is a new
 * object, and the same path on two mounts two objects).  The
 * order is stable: each IPC namespace (ours first), each kind in registry
 * order, the removals (by id or name), then the objects of now (by id or
 * name) with their events in the order of ipcinspect(1), WATCH; then the
 * limits.  Pure: reads only the two models.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "act.h"
#include "kind.h"
#include "model.h"
#include "owners.h"
#include "verdict.h"
#include "watch.h"
#include "xalloc.h"

/* One object of a look and what identifies it across looks. */
struct item {
	const void *obj;
	bool numeric;
	int64_t num;
	char *text;		/* owned, when not numeric */
	uint64_t dev, ino;	/* a file's: the same path on two mounts is two objects */
};

static void item_make(const struct kind_objs *ko, const void *obj, const struct render_opts *ro,
		      struct item *ret)
{
	const struct ipc_kind *kind = ko->kind;
	struct value v;

	*ret = (struct item){ .obj = obj };
	kind->get(obj, 0, &v);
	if (v.type == VAL_S64) {
		ret->numeric = true;
		ret->num = v.u.s64;
	} else if (v.type == VAL_U64) {
		ret->numeric = true;
		ret->num = (int64_t)v.u.u64;
	} else {
		ret->text = value_to_text(&v, ro);
	}
	if (!kind->sysv && kind->identify) {
		struct obj_ident id;

		act_identify(kind, obj, &id);
		ret->dev = id.dev;
		ret->ino = id.ino;
	}
}

static int item_cmp(const void *pa, const void *pb)
{
	const struct item *a = pa, *b = pb;
	int c;

	if (a->numeric != b->numeric)
		return a->numeric ? -1 : 1;
	if (a->numeric && a->num != b->num)
		return a->num < b->num ? -1 : 1;
	if (!a->numeric && (c = strcmp(a->text, b->text)) != 0)
		return c;
	if (a->dev != b->dev)
		return a->dev < b->dev ? -1 : 1;
	return a->ino < b->ino ? -1 : a->ino > b->ino;
}

/* The objects of ko (NULL: none) as items, sorted; *ret_n of them. */
static struct item *items_of(const struct kind_objs *ko, const struct render_opts *ro,
			     size_t *ret_n)
{
	size_t i, n = ko && ko->kind ? ko->objs.len : 0;
	struct item *items = n ? xcalloc(n, sizeof(*items)) : NULL;

	for (i = 0; i < n; i++)
		item_make(ko, vec_at(&ko->objs, i), ro, &items[i]);
	if (n > 1)
		qsort(items, n, sizeof(*items), item_cmp);
	*ret_n = n;
	return items;
}

static void items_free(struct item *items, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(items[i].text);
	free(items);
}

static int pid_cmp(const void *pa, const void *pb)
{
	const struct watch_pid *a = pa, *b = pb;

	return (a->pid > b->pid) - (a->pid < b->pid);
}

size_t watch_holders(const struct kind_objs *ko, const void *obj, const struct render_opts *ro,
		     struct watch_pid **ret)
{
	const struct ipc_kind *kind = ko->kind;
	struct watch_pid *v = NULL;
	size_t c, i, n = 0, k = 0;

	(void)ro;
	for (c = 0; c < kind->ncolumns; c++) {
		struct value val;

		if (kind->columns[c].type != COLT_ARRAY)
			continue;
		kind->get(obj, c, &val);
		if (val.type != VAL_HOLDERS)
			continue;
		v = xreallocarray(v, n + val.u.holders.n + 1, sizeof(*v));
		for (i = 0; i < val.u.holders.n; i++) {
			const struct holder *h = &val.u.holders.list[i];

			v[n++] = (struct watch_pid){ h->pid, h->proc ? h->proc->comm : NULL };
		}
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), pid_cmp);
	for (i = 0; i < n; i++)	/* each pid once (a pipe's reader and writer) */
		if (k == 0 || v[k - 1].pid != v[i].pid)
			v[k++] = v[i];
	*ret = v;
	return k;
}

/* The judged pids of obj, by column: *ret_n of them into a[] (at most max). */
static size_t actors_of(const struct ipc_kind *kind, const void *obj, const struct actor **a,
			const char **names, size_t max)
{
	size_t c, n = 0;

	for (c = 0; c < kind->ncolumns && n < max; c++) {
		struct value v;

		if (kind->columns[c].type != COLT_OBJECT)
			continue;
		kind->get(obj, c, &v);
		if (v.type != VAL_ACTOR)
			continue;
		a[n] = v.u.actor;
		names[n++] = kind->columns[c].json;
	}
	return n;
}

void watch_alive_actors(const struct kind_objs *ko, const void *obj,
			void (*fn)(int pid, void *data), void *data)
{
	const struct actor *a[WATCH_ROLES_MAX];
	const char *names[WATCH_ROLES_MAX];
	size_t i, n = actors_of(ko->kind, obj, a, names, WATCH_ROLES_MAX);

	for (i = 0; i < n; i++)
		if (a[i]->state == ACTOR_ALIVE && a[i]->pid > 0)
			fn(a[i]->pid, data);
}

static int64_t nattch_of(const struct ipc_kind *kind, const void *obj, bool *ret_has)
{
	int col = kind_column_index(kind, "NATTCH");
	struct value v;

	*ret_has = false;
	if (col < 0)
		return 0;
	kind->get(obj, (size_t)col, &v);
	*ret_has = v.type == VAL_S64 || v.type == VAL_U64;
	return v.type == VAL_S64 ? v.u.s64 : v.type == VAL_U64 ? (int64_t)v.u.u64 : 0;
}

/* In a but not in b (both sorted): into ret (room for na), how many. */
static size_t pids_minus(const struct watch_pid *a, size_t na, const struct watch_pid *b,
			 size_t nb, struct watch_pid *ret)
{
	size_t i, j = 0, n = 0;

	for (i = 0; i < na; i++) {
		while (j < nb && b[j].pid < a[i].pid)
			j++;
		if (j == nb || b[j].pid != a[i].pid)
			ret[n++] = a[i];
	}
	return n;
}

/* detached (the processes that went, or fewer attachments), then attached. */
static int holder_events(struct watch_event *ev, const struct kind_objs *pko, const void *pobj,
			 struct watch_out *wo)
{
	const struct ipc_kind *kind = ev->ko->kind;
	struct watch_pid *was = NULL, *now = NULL, *diff;
	size_t nwas = watch_holders(pko, pobj, wo->ro, &was);
	size_t nnow = watch_holders(ev->ko, ev->obj, wo->ro, &now);
	bool has_before, has_now;
	int64_t before = nattch_of(kind, pobj, &has_before), after = nattch_of(kind, ev->obj, &has_now);
	int r = 0;

	diff = xcalloc(nwas + nnow + 1, sizeof(*diff));
	ev->has_nattch = has_before && has_now;
	ev->nattch_before = before;
	ev->pids = diff;
	ev->npids = pids_minus(was, nwas, now, nnow, diff);
	if (ev->npids || (ev->has_nattch && after < before)) {
		ev->name = "detached";
		r = watch_event_write(wo, ev);
	}
	ev->npids = pids_minus(now, nnow, was, nwas, diff);
	if (r == 0 && (ev->npids || (ev->has_nattch && after > before))) {
		ev->name = "attached";
		r = watch_event_write(wo, ev);
	}
	ev->pids = NULL;
	ev->npids = 0;
	ev->has_nattch = false;
	free(diff);
	free(was);
	free(now);
	return r;
}

/*
 * creator-exited or last-user-exited: a recorded pid alive at the last
 * look and gone now (exited, a zombie, or its pid reused), once per
 * process with every role it had, named by the first (creator first).
 */
static int actor_events(struct watch_event *ev, const void *pobj, struct watch_out *wo)
{
	const struct ipc_kind *kind = ev->ko->kind;
	const struct actor *pa[WATCH_ROLES_MAX], *ca[WATCH_ROLES_MAX];
	const char *names[WATCH_ROLES_MAX], *cnames[WATCH_ROLES_MAX];
	size_t np = actors_of(kind, pobj, pa, names, WATCH_ROLES_MAX);
	size_t nc = actors_of(kind, ev->obj, ca, cnames, WATCH_ROLES_MAX);
	bool done[WATCH_ROLES_MAX] = { false };
	size_t i, j;
	int r = 0;

	for (i = 0; i < np && i < nc && r == 0; i++) {
		if (done[i] || !(pa[i]->state == ACTOR_ALIVE && ca[i]->state == ACTOR_GONE &&
				 pa[i]->pid == ca[i]->pid))
			continue;
		ev->name = strcmp(names[i], "creator") == 0 ? "creator-exited" : "last-user-exited";
		ev->actor = (struct watch_pid){ pa[i]->pid, pa[i]->proc ? pa[i]->proc->comm : NULL };
		ev->nroles = 0;
		for (j = i; j < np && j < nc; j++)
			if (!done[j] && pa[j]->pid == pa[i]->pid && pa[j]->state == ACTOR_ALIVE &&
			    ca[j]->state == ACTOR_GONE && ca[j]->pid == pa[i]->pid) {
				done[j] = true;
				ev->roles[ev->nroles++] = names[j];
			}
		r = watch_event_write(wo, ev);
	}
	ev->nroles = 0;
	return r;
}

static int verdict_event(struct watch_event *ev, const void *pobj, struct watch_out *wo)
{
	const struct verdict *pv = kind_verdict(ev->ko->kind, pobj);
	const struct verdict *cv = kind_verdict(ev->ko->kind, ev->obj);
	int r;

	if (!pv || !cv || pv->value == cv->value || pv->value == VERDICT_NONE ||
	    cv->value == VERDICT_NONE)
		return 0;
	ev->name = "verdict-changed";
	ev->verdict_before = verdict_name((enum verdict_value)pv->value);
	r = watch_event_write(wo, ev);
	ev->verdict_before = NULL;
	return r;
}

/* The events of one object seen by both looks. */
static int object_events(struct watch_event *ev, const struct kind_objs *pko, const void *pobj,
			 struct watch_out *wo)
{
	int r = holder_events(ev, pko, pobj, wo);

	if (r == 0)
		r = actor_events(ev, pobj, wo);
	return r == 0 ? verdict_event(ev, pobj, wo) : r;
}

/* One kind of one namespace: removals, then the objects of now. */
static int diff_kind(const struct kind_objs *pko, const struct kind_objs *cko, bool initial,
		     struct watch_event *ev, struct watch_out *wo)
{
	size_t na, nb, i, j = 0;
	struct item *a = items_of(pko, wo->ro, &na), *b = items_of(cko, wo->ro, &nb);
	size_t *match = nb ? xcalloc(nb, sizeof(*match)) : NULL;
	int r = 0, c;

	for (i = 0; i < na && r == 0; i++) {
		while (j < nb && item_cmp(&b[j], &a[i]) < 0)
			match[j++] = SIZE_MAX;
		if (j < nb && (c = item_cmp(&b[j], &a[i])) == 0) {
			match[j++] = i;
			continue;
		}
		*ev = (struct watch_event){ .name = "removed", .time = ev->time, .ipc_ns = ev->ipc_ns,
					    .ko = pko, .obj = a[i].obj };
		r = watch_event_write(wo, ev);
	}
	for (; j < nb; j++)
		match[j] = SIZE_MAX;
	for (j = 0; j < nb && r == 0; j++) {
		*ev = (struct watch_event){ .time = ev->time, .ipc_ns = ev->ipc_ns, .ko = cko,
					    .obj = b[j].obj };
		if (match[j] == SIZE_MAX) {
			ev->name = initial ? "present" : "created";
			r = watch_event_write(wo, ev);
		} else {
			r = object_events(ev, pko, a[match[j]].obj, wo);
		}
	}
	free(match);
	items_free(a, na);
	items_free(b, nb);
	return r;
}

int watch_limit_level(uint64_t value, uint64_t used)
{
	if (value == 0)
		return 0;
	if (used >= value)
		return 2;
	return (unsigned __int128)used * 100 >= (unsigned __int128)value * 80;
}

/* The level of the limit named name in lim (NULL: none, level 0). */
static int limit_level_in(const struct kind_objs *lim, const char *name)
{
	const char *n;
	uint64_t value, used;
	bool has_used;
	size_t i;

	for (i = 0; lim && lim->kind && i < lim->objs.len; i++)
		if (limits_quantity(vec_at(&lim->objs, i), &n, &value, &has_used, &used) &&
		    has_used && strcmp(n, name) == 0)
			return watch_limit_level(value, used);
	return 0;
}

/* The limits crossing 80 % or 100 % upward, or back below 80 %. */
static int diff_limits(const struct kind_objs *plim, const struct kind_objs *clim,
		       struct watch_event *ev, struct watch_out *wo)
{
	static const unsigned thresholds[] = { 0, 80, 100 };
	bool has_used;
	size_t i;
	int r = 0, was, now, l;

	for (i = 0; clim && clim->kind && i < clim->objs.len && r == 0; i++) {
		*ev = (struct watch_event){ .name = "limit", .time = ev->time, .ipc_ns = ev->ipc_ns };

		if (!limits_quantity(vec_at(&clim->objs, i), &ev->limit, &ev->value, &has_used,
				     &ev->used) || !has_used)
			continue;
		was = limit_level_in(plim, ev->limit);
		now = watch_limit_level(ev->value, ev->used);
		for (l = was + 1; l <= now && r == 0; l++) {
			ev->threshold = thresholds[l];
			ev->upward = true;
			r = watch_event_write(wo, ev);
		}
		if (was >= 1 && now == 0 && r == 0) {
			ev->threshold = 80;
			ev->upward = false;
			r = watch_event_write(wo, ev);
		}
	}
	return r;
}

/* The kinds and limits of the namespace ns in s: ours or a section's. */
static bool ns_of(const struct snapshot *s, uint64_t ns, const struct kind_objs **ret_kinds,
		  const struct kind_objs **ret_limits)
{
	size_t i;

	if (!s)
		return false;
	if (ns == s->ipc_ns) {
		*ret_kinds = s->kinds;
		*ret_limits = &s->limits;
		return true;
	}
	for (i = 0; i < s->nsections; i++)
		if (s->sections[i].ipc_ns == ns) {
			*ret_kinds = s->sections[i].kinds;
			*ret_limits = &s->sections[i].limits;
			return true;
		}
	return false;
}

/* One namespace: every kind, then the limits. */
static int diff_ns(const struct snapshot *prev, const struct snapshot *cur, uint64_t ns,
		   struct watch_out *wo)
{
	const struct kind_objs *pk = NULL, *pl = NULL, *ck = NULL, *cl = NULL;
	struct watch_event ev = { .time = cur->time, .ipc_ns = ns };
	size_t k;
	int r = 0;

	ns_of(prev, ns, &pk, &pl);
	ns_of(cur, ns, &ck, &cl);
	for (k = 0; k < KIND_COUNT && r == 0; k++) {
		const struct kind_objs *p = pk && pk[k].kind ? &pk[k] : NULL;
		const struct kind_objs *c = ck && ck[k].kind ? &ck[k] : NULL;

		if (!p && !c)
			continue;
		r = diff_kind(p, c, !prev, &ev, wo);
	}
	return r == 0 ? diff_limits(pl, cl, &ev, wo) : r;
}

int watch_diff(const struct snapshot *prev, const struct snapshot *cur, struct watch_out *wo)
{
	const struct kind_objs *k, *l;
	size_t i;
	int r = diff_ns(prev, cur, cur->ipc_ns, wo);

	for (i = 0; i < cur->nsections && r == 0; i++)
		r = diff_ns(prev, cur, cur->sections[i].ipc_ns, wo);
	/* namespaces gone since: their objects went with them */
	for (i = 0; prev && i < prev->nsections && r == 0; i++)
		if (!ns_of(cur, prev->sections[i].ipc_ns, &k, &l))
			r = diff_ns(prev, cur, prev->sections[i].ipc_ns, wo);
	return r;
}
