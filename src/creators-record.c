/*
 * Remembered creators and the snapshots (creators.h): what a watcher's
 * look adds and prunes, and what a listing is told.  The objects are
 * reached through the kinds (struct ipc_kind.creator_offset), never by
 * asking which kind an object is.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "creators.h"
#include "facts.h"
#include "idcache.h"
#include "model.h"
#include "owners.h"
#include "xalloc.h"

/* One IPC namespace of a snapshot that was read: its inode and objects. */
struct view {
	uint64_t ns;
	const struct kind_objs *kinds;	/* KIND_COUNT */
};

/* The namespaces s read (the one inspected and each section entered). */
static size_t views_of(const struct snapshot *s, struct view *ret)
{
	size_t i, n = 0;

	if (s->has_ipc_ns)
		ret[n++] = (struct view){ s->ipc_ns, s->kinds };
	for (i = 0; i < s->nsections; i++)
		if (!s->sections[i].error)
			ret[n++] = (struct view){ s->sections[i].ipc_ns, s->sections[i].kinds };
	return n;
}

/* Does the kind of ko remember creators, and was it read? */
static bool remembers(const struct kind_objs *ko)
{
	return ko->kind && ko->kind->creator_offset && ko->kind->sysv && !ko->unavailable;
}

static struct actor *creator_of(const struct kind_objs *ko, size_t i)
{
	return (struct actor *)((char *)vec_at(&ko->objs, i) + ko->kind->creator_offset);
}

static struct creator_memory key_of(uint64_t ns, enum kind_id k, const struct kind_objs *ko,
				    size_t i)
{
	const struct ipc_common *c = vec_at(&ko->objs, i);

	return (struct creator_memory){ .ipc_ns = ns, .kind = k, .id = c->id, .ctime = c->ctime };
}

static struct creator_memory *find(const struct creators *c, const struct creator_memory *key)
{
	return c->n ? bsearch(key, c->v, c->n, sizeof(*c->v), creator_memory_cmp) : NULL;
}

static char *copy_bounded(const char *s)
{
	return xstrndup(s, CREATORS_STR_MAX);
}

/* key filled in from the live creator p, first seen at now. */
static void memory_fill(struct creators *c, struct creator_memory *m, int pid,
			const struct proc_facts *p, int64_t now)
{
	char label[CGROUP_NAME_MAX + 16];
	const char *user;
	size_t i, n, left, len;

	m->pid = pid;
	m->start_ms = p->start_ms;
	m->comm = copy_bounded(p->comm);
	for (n = 0; p->argv && p->argv[n] && n < CREATORS_ARGV_MAX; n++)
		;
	m->argv = xcalloc(n + 1, sizeof(*m->argv));
	/*
	 * CREATORS_ARGV_BYTES in all: any user's command line is stored, and
	 * the file must stay below what creators_load() reads
	 */
	for (i = 0, left = CREATORS_ARGV_BYTES; i < n && left > 0; i++) {
		m->argv[i] = xstrndup(p->argv[i], left < CREATORS_STR_MAX ? left : CREATORS_STR_MAX);
		len = strlen(m->argv[i]);
		left = len < left ? left - len : 0;
	}
	m->euid = p->euid;
	if (!c->users)
		c->users = idcache_new(IDCACHE_USER);
	user = idcache_name(c->users, p->euid);
	m->user = user ? copy_bounded(user) : NULL;
	m->unit = p->cgroup.unit[0] ? xstrdup(p->cgroup.unit) : NULL;
	cgroup_container_label(&p->cgroup, label, sizeof(label));
	m->container = label[0] ? xstrdup(label) : NULL;
	m->seen = now;
}

/* The objects of v with a live creator that c has no memory of, into added. */
static void record_view(struct creators *c, const struct view *v, int64_t now, bool *keep,
			struct vec *added)
{
	size_t k, i;

	for (k = 0; k < KIND_COUNT; k++) {
		const struct kind_objs *ko = &v->kinds[k];

		for (i = 0; remembers(ko) && i < ko->objs.len; i++) {
			struct creator_memory m = key_of(v->ns, (enum kind_id)k, ko, i);
			const struct creator_memory *old = find(c, &m);
			const struct actor *a = creator_of(ko, i);

			bool alive = a->state == ACTOR_ALIVE && a->proc && a->pid > 0;

			/*
			 * An entry of another pid under the same key (an id reused
			 * within the second, a file from elsewhere) gives way to
			 * the creator alive now.
			 */
			if (old && (!alive || old->pid == a->pid))
				keep[old - c->v] = true;
			else if (alive && c->n + added->len < CREATORS_ENTRIES_MAX) {
				memory_fill(c, &m, a->pid, a->proc, now);
				vec_push(added, &m);
			}
		}
	}
}

/* Is m of a namespace and kind that s read (whose objects are all known)? */
static bool covered(const struct view *views, size_t n, const struct creator_memory *m)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (views[i].ns == m->ipc_ns)
			return remembers(&views[i].kinds[m->kind]);
	return false;
}

/* Is ns an IPC namespace s knows in use (read, or one it could not enter)? */
static bool in_use(const struct snapshot *s, uint64_t ns)
{
	size_t i;

	if (s->has_ipc_ns && s->ipc_ns == ns)
		return true;
	for (i = 0; i < s->nsections; i++)
		if (s->sections[i].ipc_ns == ns)
			return true;
	return false;
}

bool creators_record(struct creators *c, const struct snapshot *s)
{
	struct view *views = xcalloc(s->nsections + 1, sizeof(*views));
	struct vec added = VEC_INIT(struct creator_memory);
	bool *keep = xcalloc(c->n + 1, sizeof(*keep));
	size_t nviews = views_of(s, views), i, n = 0;
	bool changed;

	for (i = 0; i < nviews; i++)
		record_view(c, &views[i], s->time, keep, &added);
	for (i = 0; i < c->n; i++) {
		bool gone = !keep[i] && (covered(views, nviews, &c->v[i]) ||
					 (s->all_namespaces && !in_use(s, c->v[i].ipc_ns)));

		if (gone)
			creator_memory_free(&c->v[i]);
		else
			c->v[n++] = c->v[i];
	}
	changed = n != c->n || added.len;
	c->v = xreallocarray(c->v, n + added.len + 1, sizeof(*c->v));
	if (added.len)
		memcpy(c->v + n, added.data, added.len * sizeof(*c->v));
	c->n = n + added.len;
	qsort(c->v, c->n, sizeof(*c->v), creator_memory_cmp);
	if (s->host && (!c->host || strcmp(c->host, s->host) != 0)) {
		free(c->host);
		c->host = xstrdup(s->host);
	}
	vec_free(&added);
	free(keep);
	free(views);
	return changed;
}

void creators_attach(const struct creators *c, struct snapshot *s)
{
	struct view *views = xcalloc(s->nsections + 1, sizeof(*views));
	size_t nviews = views_of(s, views), v, k, i;

	for (v = 0; v < nviews; v++)
		for (k = 0; k < KIND_COUNT; k++) {
			const struct kind_objs *ko = &views[v].kinds[k];

			for (i = 0; remembers(ko) && i < ko->objs.len; i++) {
				struct creator_memory key = key_of(views[v].ns, (enum kind_id)k, ko, i);
				struct actor *a = creator_of(ko, i);
				const struct creator_memory *m = find(c, &key);

				/*
				 * the pid too: the kernel's cpid of the object never
				 * changes; and a pointer of an earlier attach, into a
				 * set recorded since, is not kept
				 */
				a->remembered = a->state == ACTOR_GONE && m && m->pid == a->pid ? m
												 : NULL;
			}
		}
	free(views);
}
