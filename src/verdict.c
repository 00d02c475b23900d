/* Verdicts and their reasons: see verdict.h. */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "idcache.h"
#include "model.h"
#include "owners.h"
#include "procscan.h"
#include "verdict.h"
#include "xalloc.h"

void verdict_reason(struct verdict_work *w, const char *fmt, ...)
{
	struct verdict *v = w->v;
	va_list ap;
	char *s;

	if (!w->explain || v->nreasons == VERDICT_MAX_REASONS)
		return;
	if (!v->reasons)
		v->reasons = xcalloc(VERDICT_MAX_REASONS, sizeof(*v->reasons));
	if (!strchr(fmt, '%')) {	/* most reasons are words alone: no printf */
		v->reasons[v->nreasons++] = xstrdup(fmt);
		return;
	}
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0) {
		fputs("ipcinspect: out of memory\n", stderr);
		exit(1);
	}
	va_end(ap);
	v->reasons[v->nreasons++] = s;
}

bool verdict_note_actor(struct verdict_work *w, const char *role, const struct actor *a)
{
	switch ((enum actor_state)a->state) {
	case ACTOR_UNJUDGED:
	case ACTOR_NONE:
		return false;
	case ACTOR_ALIVE:
		/* doc/kernel-facts.md, "Pid reuse": alive, and so evidence of use */
		if (a->reason == WHY_SAME_SECOND)
			verdict_reason(w, "%s %d (%s) is alive: it started in the same second as %s",
				       role, a->pid, a->proc ? a->proc->comm : "?", a->event);
		else
			verdict_reason(w, "%s %d (%s) is alive", role, a->pid,
				       a->proc ? a->proc->comm : "?");
		w->in_use = true;
		return true;
	case ACTOR_GONE:
		if (a->reason == WHY_REUSED && a->reuser)
			verdict_reason(w, "%s %d exited: pid %d now belongs to %s, started after %s",
				       role, a->pid, a->pid, a->reuser->comm, a->event);
		else
			verdict_reason(w, "%s %d exited%s", role, a->pid,
				       a->reason == WHY_ZOMBIE ? " (zombie)" : "");
		return true;
	case ACTOR_UNKNOWN:
		if (a->reason == WHY_NOT_VISIBLE)
			verdict_reason(w, "%s is not visible in this pid namespace", role);
		else if (w->explain) {
			_cleanup_free_ char *why = actor_why(a);

			verdict_reason(w, "%s %d: %s", role, a->pid, why ? why : "unknown");
		}
		w->unknown = true;
		return true;
	}
	return false;
}

void verdict_note_unseen(struct verdict_work *w, const struct procscan *s)
{
	if (s->child_pidns && !s->outside_ruled_out)
		verdict_reason(w, "processes outside this PID namespace are not visible");
	if (s->unreadable)
		verdict_reason(w, "%zu processes unreadable", s->unreadable);
	w->unknown = true;
}

void verdict_finish(struct verdict_work *w, enum verdict_value otherwise)
{
	w->v->value = w->in_use ? VERDICT_IN_USE : w->unknown ? VERDICT_UNKNOWN : otherwise;
}

void verdict_set_age(struct verdict *v, int64_t now, int64_t t1, int64_t t2, int64_t t3,
		     int64_t t4)
{
	int64_t t = t1;

	if (t2 > t)
		t = t2;
	if (t3 > t)
		t = t3;
	if (t4 > t)
		t = t4;
	v->has_age = t > 0;
	v->age = t > 0 && now > t ? now - t : 0;
}

void verdict_context_apply(struct verdict_work *w)
{
	struct verdict *v = w->v;

	if (v->value != VERDICT_SUSPECT && v->value != VERDICT_ORPHAN)
		return;
	if (v->ctx & VCTX_DURING_SCAN) {
		verdict_reason(w, "created during the scan (or changed since it started): its "
			       "holders may not be listed");
		v->value = VERDICT_UNKNOWN;
	}
	if (v->sibling) {
		verdict_reason(w, "a sibling (%s) is in use", v->sibling);
		v->value = VERDICT_UNKNOWN;
	}
	if (v->value == VERDICT_SUSPECT && v->owner_procs && w->explain) {
		_cleanup_free_ char *text = verdict_owner_text(v);

		verdict_reason(w, "%s", text);
	}
}

char *verdict_owner_text(const struct verdict *v)
{
	static struct idcache *users;	/* lives as long as the process: names are few */
	const char *name;

	if (!users)
		users = idcache_new(IDCACHE_USER);
	name = idcache_name(users, v->owner_uid);
	if (name)
		return xasprintf("owner %s runs %" PRIu32 " process%s", name, v->owner_procs,
				 v->owner_procs == 1 ? "" : "es");
	return xasprintf("owner uid %" PRIu32 " runs %" PRIu32 " process%s", v->owner_uid,
			 v->owner_procs, v->owner_procs == 1 ? "" : "es");
}

void verdict_free_all(struct verdict *v)
{
	verdict_free(v);
	free(v->sibling);
	v->sibling = NULL;
}

void verdict_free(struct verdict *v)
{
	unsigned i;

	for (i = 0; i < v->nreasons; i++)
		free(v->reasons[i]);
	free(v->reasons);
	v->reasons = NULL;
	v->nreasons = 0;
}

const char *verdict_name(enum verdict_value v)
{
	switch (v) {
	case VERDICT_IN_USE:
		return "in-use";
	case VERDICT_ORPHAN:
		return "orphan";
	case VERDICT_SUSPECT:
		return "suspect";
	case VERDICT_UNKNOWN:
		return "unknown";
	case VERDICT_NONE:
		break;
	}
	return NULL;
}

void verdict_get(const struct verdict *v, size_t vcol, struct value *ret)
{
	const char *name = verdict_name(v->value);

	switch (vcol) {
	case VCOL_VERDICT:
		if (name)
			VALUE_STR(ret, name);
		else
			value_set(ret, VAL_NULL);
		break;
	case VCOL_REASONS:
		if (!name) {
			value_set(ret, VAL_NULL);
			break;
		}
		value_set(ret, VAL_STRLIST);
		ret->u.strlist.list = (const char *const *)v->reasons;
		ret->u.strlist.n = v->nreasons;
		break;
	case VCOL_AGE:
		if (v->has_age)
			VALUE_TYPED_S64(ret, VAL_DURATION, v->age);
		else
			value_set(ret, VAL_NULL);
		break;
	default:
		value_set(ret, VAL_NULL);
		break;
	}
}
