/* Judging recorded pids and resolving holders: see owners.h. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <stdlib.h>

#include "kind.h"
#include "owners.h"
#include "sysvipc.h"
#include "xalloc.h"

void event_latest(int64_t t1, const char *e1, int64_t t2, const char *e2,
		  int64_t *ret_t, const char **ret_event)
{
	if (t2 > t1) {
		*ret_t = t2;
		*ret_event = e2;
	} else {
		*ret_t = t1;
		*ret_event = e1;
	}
}

void event_earliest(int64_t t1, const char *e1, int64_t t2, const char *e2,
		    int64_t *ret_t, const char **ret_event)
{
	if (t2 != 0 && (t1 == 0 || t2 < t1)) {
		*ret_t = t2;
		*ret_event = e2;
	} else {
		*ret_t = t1;
		*ret_event = e1;
	}
}

void actor_decide(int pid, int64_t t, const char *event, const struct proc_facts *p, bool seen,
		  bool hidden, bool clock_stepped, struct actor *ret)
{
	struct actor a = { .pid = pid, .event = event, .state = ACTOR_UNKNOWN };

	if (pid == 0) {
		/* nobody ever acted, or the actor is in another pid namespace */
		a.state = t == 0 ? ACTOR_NONE : ACTOR_UNKNOWN;
		a.reason = t == 0 ? WHY_NONE : WHY_NOT_VISIBLE;
	} else if (!p && seen) {
		/* in the scan, but its facts could not be read: maybe exited since */
		a.reason = WHY_UNREADABLE;
	} else if (!p && hidden) {
		/* doc/kernel-facts.md, "Hidden processes": not listed is not gone */
		a.reason = WHY_HIDDEN;
	} else if (!p) {
		a.state = ACTOR_GONE;
		a.reason = WHY_EXITED;
	} else if ((p->state == 'Z' && p->threads <= 1) || p->state == 'X') {
		/* a zombie leader whose threads run on is a live process */
		a.state = ACTOR_GONE;
		a.reason = WHY_ZOMBIE;
	} else if (clock_stepped) {
		/* the pid exists, but whether it is the actor is a time question */
		a.reason = WHY_CLOCK_STEPPED;
	} else if (t == 0) {
		a.reason = WHY_NO_TIME;
	} else if (p->start_ms >= t * 1000 + 1000 + REUSE_MARGIN_MS) {
		a.state = ACTOR_GONE;
		a.reason = WHY_REUSED;
		a.reuser = p;
	} else {
		/* started before the event, or within its second: the same process */
		a.state = ACTOR_ALIVE;
		a.reason = p->start_ms < t * 1000 ? WHY_STARTED_BEFORE : WHY_SAME_SECOND;
		a.proc = p;
	}
	*ret = a;
}

void actor_judge(const struct owners *o, int pid, int64_t t, const char *event,
		 struct actor *ret)
{
	const struct proc_facts *p = pid > 0 ? facts_get(&o->facts, pid) : NULL;
	bool seen = pid > 0 && !p && procscan_proc(&o->scan, pid) != NULL;

	actor_decide(pid, t, event, p, seen, o->scan.hidden_by != NULL, o->clock_stepped, ret);
}

bool actor_is(const struct actor *a, int pid)
{
	if (a->state == ACTOR_GONE && a->reason == WHY_REUSED)
		return false;
	return a->pid == pid || (a->proc && a->proc->tgid == pid);
}

/* Joins up to three parts into buf (ACTOR_WHY_MAX bytes): no printf, as
 * this runs once per judged pid of a listing. */
static const char *join3(char *buf, const char *a, const char *b, const char *c)
{
	size_t na = strlen(a), nb = strlen(b), nc = strlen(c);

	if (na + nb + nc >= ACTOR_WHY_MAX)
		return a;
	memcpy(buf, a, na);
	memcpy(buf + na, b, nb);
	memcpy(buf + na + nb, c, nc + 1);
	return buf;
}

const char *actor_why_into(const struct actor *a, char buf[ACTOR_WHY_MAX])
{
	switch ((enum actor_reason)a->reason) {
	case WHY_NONE:
		break;
	case WHY_STARTED_BEFORE:
		return join3(buf, "started before ", a->event, "");
	case WHY_SAME_SECOND:
		return join3(buf, "started in the same second as ", a->event, "");
	case WHY_EXITED:
		return "exited";
	case WHY_ZOMBIE:
		return "exited, not yet reaped (zombie)";
	case WHY_REUSED:
		return join3(buf, "pid reused by a process started after ", a->event, "");
	case WHY_NOT_VISIBLE:
		return "not visible in this pid namespace";
	case WHY_NO_TIME:
		return join3(buf, "no ", a->event, " recorded to judge the pid by");
	case WHY_UNREADABLE:
		return "its process could not be read";
	case WHY_CLOCK_STEPPED:
		return "the clock was stepped since boot: pid reuse cannot be judged";
	case WHY_HIDDEN:
		return "not listed, but /proc may hide it (hidepid=)";
	}
	return NULL;
}

char *actor_why(const struct actor *a)
{
	char buf[ACTOR_WHY_MAX];
	const char *why = actor_why_into(a, buf);

	return why ? xstrdup(why) : NULL;
}

void holder_phrase(char *buf, size_t size, const struct holder *h)
{
	snprintf(buf, size, "%s by %s[%d]", h->fd < 0 ? "mapped" : "held open",
		 h->proc ? h->proc->comm : "?", h->pid);
}

void holders_resolve(const struct owners *o, struct holder *h, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		h[i].proc = facts_get(&o->facts, h[i].pid);
}

void holders_want_file(const struct owners *o, const struct ipc_kind *kind, uint64_t dev,
		       uint64_t ino, struct gather *g)
{
	const struct scan_fd *f = NULL;
	const struct scan_map *m = NULL;
	size_t i, nf = procscan_fds(&o->scan, kind, dev, ino, &f);
	size_t nm = procscan_maps(&o->scan, kind, dev, ino, &m);

	for (i = 0; i < nf; i++)
		owners_want(&g->pids, f[i].pid);
	for (i = 0; i < nm; i++)
		owners_want(&g->pids, m[i].pid);
}

size_t holders_of_file(const struct owners *o, const struct ipc_kind *kind, uint64_t dev,
		       uint64_t ino, struct holder **ret, size_t *ret_nfds)
{
	const struct scan_fd *f = NULL;
	const struct scan_map *m = NULL;
	size_t i, nf = procscan_fds(&o->scan, kind, dev, ino, &f);
	size_t nm = procscan_maps(&o->scan, kind, dev, ino, &m);
	struct holder *h = nf + nm ? xcalloc(nf + nm, sizeof(*h)) : NULL;

	for (i = 0; i < nf; i++)
		h[i] = (struct holder){ .pid = f[i].pid, .fd = f[i].fd };
	for (i = 0; i < nm; i++)
		h[nf + i] = (struct holder){ .pid = m[i].pid, .fd = -1, .mappings = m[i].mappings };
	holders_resolve(o, h, nf + nm);
	*ret = h;
	*ret_nfds = nf;
	return nf + nm;
}

size_t ends_group_fds(const struct vec *fds, size_t first, struct ends *ret)
{
	const struct scan_fd *head = vec_at(fds, first);
	struct ends e = { 0 };
	size_t end = first, i;

	while (end < fds->len) {
		const struct scan_fd *f = vec_at(fds, end);

		if (f->dev != head->dev || f->ino != head->ino)
			break;
		end++;
	}
	e.readers = xcalloc(end - first, sizeof(*e.readers));
	e.writers = xcalloc(end - first, sizeof(*e.writers));
	for (i = first; i < end; i++) {
		const struct scan_fd *f = vec_at(fds, i);
		struct holder h = { .pid = f->pid, .fd = f->fd };

		if (f->mode & HOLD_READ)
			e.readers[e.nreaders++] = h;
		if (f->mode & HOLD_WRITE)
			e.writers[e.nwriters++] = h;
	}
	*ret = e;
	return end;
}

void ends_free(struct ends *e)
{
	free(e->readers);
	free(e->writers);
	*e = (struct ends){ 0 };
}

void ends_kind_gather(const void *obj, const struct owners *o, struct gather *g)
{
	const struct ends *e = obj;
	size_t i;

	(void)o;
	for (i = 0; i < e->nreaders; i++)
		owners_want(&g->pids, e->readers[i].pid);
	for (i = 0; i < e->nwriters; i++)
		owners_want(&g->pids, e->writers[i].pid);
}

void ends_kind_judge(void *obj, const struct owners *o)
{
	struct ends *e = obj;

	holders_resolve(o, e->readers, e->nreaders);
	holders_resolve(o, e->writers, e->nwriters);
}

bool ends_kind_involves(const void *obj, int pid)
{
	const struct ends *e = obj;
	size_t i;

	for (i = 0; i < e->nreaders; i++)
		if (e->readers[i].pid == pid)
			return true;
	for (i = 0; i < e->nwriters; i++)
		if (e->writers[i].pid == pid)
			return true;
	return false;
}
