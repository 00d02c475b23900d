/* The reasons of a verdict in words: see reasons.h. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "creatorsfmt.h"
#include "facts.h"
#include "idcache.h"
#include "jsonw.h"
#include "kind.h"
#include "model.h"
#include "owners.h"
#include "reasons.h"
#include "strutils.h"
#include "xalloc.h"

size_t verdict_reason_list(const struct verdict *v, struct reason *ret)
{
	size_t n = v->nreasons;

	verdict_reasons(v, ret);
	/* the context pass's marks, as verdict_context_apply() left them */
	if (v->ctx & VCTX_DURING_SCAN)
		ret[n++] = (struct reason){ .code = REASON_DURING_SCAN };
	if (v->sibling)
		ret[n++] = (struct reason){ .code = REASON_SIBLING, .ref = v->sibling };
	if (v->value == VERDICT_SUSPECT && v->owner_procs)
		ret[n++] = (struct reason){ .code = REASON_OWNER_RUNS, .aux = v->owner_uid,
					    .n = v->owner_procs };
	if (v->ctx & VCTX_REMOVEIPC)
		ret[n++] = (struct reason){ .code = REASON_REMOVEIPC, .aux = v->owner_uid };
	return n;
}

static const char *const role_words[] = {
	[ROLE_CREATOR] = "creator",
	[ROLE_LAST_USER] = "last user",
	[ROLE_LAST_SENDER] = "last sender",
	[ROLE_LAST_RECEIVER] = "last receiver",
};

static const char *role_text(const struct ipc_kind *kind, const struct reason *r, char *buf,
			     size_t size)
{
	struct reason q = { .code = REASON_ROLE_WORDS, .role = r->role, .aux = r->aux };

	if (r->role < sizeof(role_words) / sizeof(role_words[0]) && role_words[r->role])
		return role_words[r->role];
	if (!kind || !kind->reason_text)
		return "?";
	kind->reason_text(&q, buf, size);
	return buf;
}

static const char *comm_of(const struct proc_facts *p)
{
	return p ? p->comm : "?";
}

/* The actor a reason is about: in the object of v (kind's), or elsewhere. */
static const struct actor *actor_of(const struct ipc_kind *kind, const struct verdict *v,
				    const struct reason *r)
{
	static const struct actor lost = { .state = ACTOR_UNKNOWN, .event = "?" };

	if (!(r->flag & REASON_F_IN_OBJECT))
		return r->ref;
	if (!kind || !kind->verdict_offset)	/* cannot be: only kinds' objects hold actors */
		return &lost;
	return (const struct actor *)((const char *)v - kind->verdict_offset + r->n);
}

/* " (was postgres -D ..., unit x.service)" when a watcher saw a alive, else "". */
static const char *remembered(const struct actor *a, char *buf, size_t size)
{
	_cleanup_free_ char *was = a->remembered ? creator_memory_text(a->remembered) : NULL;

	if (!was)
		return "";
	snprintf(buf, size, " (%s)", was);
	return buf;
}

/* The words of a reason about a recorded pid into buf. */
static void actor_words(const struct ipc_kind *kind, const struct verdict *v,
			const struct reason *r, char *buf, size_t size)
{
	const struct actor *a = actor_of(kind, v, r);
	char rolebuf[64], why[ACTOR_WHY_MAX], was[320];
	const char *role = role_text(kind, r, rolebuf, sizeof(rolebuf)), *text;

	switch (r->code) {
	case REASON_ACTOR_ALIVE:
		snprintf(buf, size, "%s %d (%s) is alive", role, a->pid, comm_of(a->proc));
		break;
	case REASON_ACTOR_ALIVE_SAME_SECOND:
		snprintf(buf, size, "%s %d (%s) is alive: it started in the same second as %s",
			 role, a->pid, comm_of(a->proc), a->event);
		break;
	case REASON_ACTOR_REUSED:
		snprintf(buf, size, "%s %d exited%s: pid %d now belongs to %s, started after %s",
			 role, a->pid, remembered(a, was, sizeof(was)), a->pid, comm_of(a->reuser),
			 a->event);
		break;
	case REASON_ACTOR_EXITED:
		snprintf(buf, size, "%s %d exited%s%s", role, a->pid,
			 a->reason == WHY_ZOMBIE ? " (zombie)" : "", remembered(a, was, sizeof(was)));
		break;
	case REASON_ACTOR_NOT_VISIBLE:
		snprintf(buf, size, "%s is not visible in this pid namespace", role);
		break;
	default:
		text = actor_why_into(a, why);
		snprintf(buf, size, "%s %d: %s", role, a->pid, text ? text : "unknown");
		break;
	}
}

/* The name of uid from users, or (NULL) a cache of this module's; NULL: none. */
static const char *user_name(struct idcache *users, uint32_t uid)
{
	static struct idcache *own;	/* lives as long as the process: names are few */

	if (!users && !own)
		own = idcache_new(IDCACHE_USER);
	return idcache_name(users ? users : own, uid);
}

char *verdict_owner_text(const struct verdict *v, struct idcache *users)
{
	const char *name = user_name(users, v->owner_uid);

	if (name)
		return xasprintf("owner %s runs %" PRIu32 " process%s", name, v->owner_procs,
				 v->owner_procs == 1 ? "" : "es");
	return xasprintf("owner uid %" PRIu32 " runs %" PRIu32 " process%s", v->owner_uid,
			 v->owner_procs, v->owner_procs == 1 ? "" : "es");
}

/* "removed by systemd-logind when alice logs out (RemoveIPC=yes)" */
static char *removeipc_text(uint32_t uid, struct idcache *users)
{
	const char *name = user_name(users, uid);

	if (name)
		return xasprintf("removed by systemd-logind when %s logs out (RemoveIPC=yes)", name);
	return xasprintf("removed by systemd-logind when uid %" PRIu32 " logs out (RemoveIPC=yes)",
			 uid);
}

char *reason_words(const struct ipc_kind *kind, const struct verdict *v, const struct reason *r,
		   struct idcache *users)
{
	const struct holder *h = r->ref;
	char buf[REASON_TEXT_MAX];

	switch (r->code) {
	case REASON_ACTOR_ALIVE:
	case REASON_ACTOR_ALIVE_SAME_SECOND:
	case REASON_ACTOR_EXITED:
	case REASON_ACTOR_REUSED:
	case REASON_ACTOR_NOT_VISIBLE:
	case REASON_ACTOR_UNKNOWN:
		actor_words(kind, v, r, buf, sizeof(buf));
		break;
	case REASON_MAPPED_BY:
		snprintf(buf, sizeof(buf), "mapped by %s[%d]", comm_of(h->proc), h->pid);
		break;
	case REASON_HELD_FD:
		snprintf(buf, sizeof(buf), "held open by %s[%d] (fd %d)", comm_of(h->proc), h->pid,
			 h->fd);
		break;
	case REASON_UNSEEN_OUTSIDE:
		return xstrdup("processes outside this PID namespace are not visible");
	case REASON_UNSEEN_UNREADABLE:
		return xasprintf("%" PRIu64 " process%s unreadable", r->n, r->n == 1 ? "" : "es");
	case REASON_UNSEEN_HIDDEN:
		return xasprintf("/proc (%s) hides other users' processes", (const char *)r->ref);
	case REASON_DURING_SCAN:
		return xstrdup("created during the scan (or changed since it started): its "
			       "holders may not be listed");
	case REASON_SIBLING:	/* a path: longer than buf may hold */
		return xasprintf("a sibling (%s) is in use", (const char *)r->ref);
	case REASON_OWNER_RUNS:
		return verdict_owner_text(v, users);
	case REASON_REMOVEIPC:
		return removeipc_text(r->aux, users);
	case REASON_HELD_BY_SELF:
		return xstrdup("held open by ipcinspect itself only (its input or output, or an "
			       "fd it was started with)");
	default:
		if (r->code < REASON_KIND || !kind || !kind->reason_text)
			return xasprintf("reason %u", (unsigned)r->code);
		buf[0] = '\0';
		kind->reason_text(r, buf, sizeof(buf));
		break;
	}
	return xstrdup(buf);
}

char *verdict_words(const struct ipc_kind *kind, const void *obj, bool escape)
{
	const struct verdict *v = kind_verdict(kind, obj);
	const char *name = v ? verdict_name(v->value) : NULL;
	struct reason list[REASONS_LIST_MAX];
	size_t i, n;
	char *out = xstrdup(name ? name : "not judged");

	if (!v)
		return out;
	n = verdict_reason_list(v, list);
	for (i = 0; i < n; i++) {
		_cleanup_free_ char *words = reason_words(kind, v, &list[i], NULL);
		_cleanup_free_ char *shown = escape ? escape_str(words, ESCAPE_TERM) : NULL;
		char *more = xasprintf("%s%s%s", out, i ? "; " : ": ", shown ? shown : words);

		free(out);
		out = more;
	}
	return out;
}

void reasons_write_json(struct jw *w, const struct ipc_kind *kind, const struct verdict *v,
			const struct render_opts *opts)
{
	struct reason list[REASONS_LIST_MAX];
	size_t i, n = verdict_reason_list(v, list);

	jw_arr_begin(w);
	for (i = 0; i < n; i++) {
		_cleanup_free_ char *words = reason_words(kind, v, &list[i], opts->users);

		jw_str(w, words);
	}
	jw_arr_end(w);
}

bool reasons_to_list(const struct ipc_kind *kind, const struct verdict *v,
		     const struct render_opts *opts, struct cell_list *ret)
{
	struct reason list[REASONS_LIST_MAX];
	size_t i, n = verdict_reason_list(v, list);

	if (n == 0)
		return false;
	ret->sep = "; ";
	for (i = 0; i < n; i++)
		cell_list_add(ret, reason_words(kind, v, &list[i], opts->users));
	return true;
}

char *reasons_to_text(const struct ipc_kind *kind, const struct verdict *v,
		      const struct render_opts *opts)
{
	struct cell_list l = { 0 };
	char *text;

	if (!reasons_to_list(kind, v, opts, &l))
		return xstrdup("-");
	text = cell_list_text(&l, SIZE_MAX, false, NULL);
	cell_list_free(&l);
	return text;
}

void verdict_get(const struct ipc_kind *kind, const struct verdict *v, size_t vcol,
		 struct value *ret)
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
		value_set(ret, VAL_REASONS);
		ret->u.reasons.v = v;
		ret->u.reasons.kind = kind;
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
