/* The context pass of the judge phase: see context.h. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "context.h"
#include "kind.h"
#include "owners.h"
#include "procscan.h"
#include "xalloc.h"

#define RANDOM_SUFFIX_MIN 6

size_t family_stem_len(const char *name)
{
	size_t n = strlen(name), end, i;
	bool digit = false, alpha = false;

	/* a random suffix after the last separator: letters and digits */
	for (i = n; i > 0 && isalnum((unsigned char)name[i - 1]); i--) {
		digit |= isdigit((unsigned char)name[i - 1]) != 0;
		alpha |= isalpha((unsigned char)name[i - 1]) != 0;
	}
	if (i > 0 && strchr(".-_", name[i - 1]) && n - i >= RANDOM_SUFFIX_MIN && digit && alpha)
		return i;
	/* a trailing number; 0 when the name is all digits */
	for (end = n; end > 0 && isdigit((unsigned char)name[end - 1]); end--)
		;
	return end < n ? end : 0;
}

bool created_during_scan(int64_t ctime_s, long ctime_ns, const struct timespec *start)
{
	return ctime_s > (int64_t)start->tv_sec ||
	       (ctime_s == (int64_t)start->tv_sec && ctime_ns >= start->tv_nsec);
}

static int cmp_family(const void *a, const void *b)
{
	const struct ctx_obj *x = a, *y = b;
	int r = strcmp(x->family, y->family);

	if (r)
		return r;
	return x->uid < y->uid ? -1 : x->uid > y->uid;
}

static bool close_in_time(const struct ctx_obj *a, const struct ctx_obj *b)
{
	int64_t d = a->time - b->time;

	if (!a->time && !b->time)
		return true;
	return d <= SIBLING_CTIME_WINDOW && d >= -SIBLING_CTIME_WINDOW;
}

/* Marks the suspects and orphans of objs[first, end), one family. */
static void mark_family(struct ctx_obj *objs, size_t first, size_t end)
{
	size_t i, k;

	for (i = first; i < end; i++) {
		struct verdict *v = objs[i].v;

		if (v->value != VERDICT_SUSPECT && v->value != VERDICT_ORPHAN)
			continue;
		for (k = first; k < end; k++) {
			if (objs[k].v->value != VERDICT_IN_USE || !close_in_time(&objs[i], &objs[k]))
				continue;
			free(v->sibling);
			const char *label = objs[k].label ? objs[k].label : objs[k].label_buf;

			v->sibling = objs[k].use[0] ? xasprintf("%s, %s", label, objs[k].use)
						    : xstrdup(label);
			break;
		}
	}
}

void context_siblings(struct ctx_obj *objs, size_t n)
{
	size_t first = 0, end, kept = 0, i;

	/* only objects with a family and an owner take part */
	for (i = 0; i < n; i++)
		if (objs[i].family && objs[i].has_uid) {
			struct ctx_obj t = objs[kept];

			objs[kept++] = objs[i];
			objs[i] = t;
		}
	qsort(objs, kept, sizeof(*objs), cmp_family);
	while (first < kept) {
		for (end = first + 1; end < kept && cmp_family(&objs[first], &objs[end]) == 0; end++)
			;
		if (end - first > 1)
			mark_family(objs, first, end);
		first = end;
	}
}

uint32_t context_owner_procs(const struct procscan *s, uint32_t uid, enum ctx_scope scope,
			     uint64_t ns, int self)
{
	uint32_t n = 0;
	size_t i;

	for (i = 0; i < s->procs.len; i++) {
		const struct scan_proc *p = vec_at(&s->procs, i);

		if (p->pid == self || !p->has_uid || p->uid != uid)
			continue;
		if (scope == SCOPE_IPC_NS ? p->has_ipc_ns && p->ipc_ns == ns
					  : p->has_mnt_ns && p->mnt_ns == ns)
			n++;
	}
	return n;
}

/* One kind's objects: describe each, weigh siblings, owners, the scan. */
static void judge_kind(struct kind_objs *ko, const struct owners *o)
{
	const struct ipc_kind *kind = ko->kind;
	struct ctx_obj *objs;
	size_t i, n = ko->objs.len;
	int self = (int)getpid();

	if (!kind || !kind->describe || !n)
		return;
	objs = xcalloc(n, sizeof(*objs));
	for (i = 0; i < n; i++) {
		void *obj = vec_at(&ko->objs, i);

		objs[i].v = kind_verdict(kind, obj);
		kind->describe(obj, o, &objs[i]);
		if (objs[i].during_scan)
			objs[i].v->ctx |= VCTX_DURING_SCAN;
	}
	context_siblings(objs, n);
	for (i = 0; i < n; i++) {
		struct ctx_obj *c = &objs[i];

		verdict_context_apply(c->v);
		/* the owner, for what is still a suspect; root keeps its rule */
		if (c->v->value == VERDICT_SUSPECT && c->has_uid && c->uid != 0) {
			bool has_ns = c->scope == SCOPE_IPC_NS ? o->has_ipc_ns : o->has_mnt_ns;

			c->v->owner_uid = c->uid;
			c->v->owner_procs = has_ns ? context_owner_procs(&o->scan, c->uid, c->scope,
					c->scope == SCOPE_IPC_NS ? o->ipc_ns : o->mnt_ns, self) : 0;
		}
		free(c->family);
	}
	free(objs);
}

void context_judge(struct kind_objs *kinds, size_t nkinds, const struct owners *o)
{
	size_t i;

	for (i = 0; i < nkinds; i++)
		judge_kind(&kinds[i], o);
}
