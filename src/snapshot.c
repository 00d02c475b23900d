/*
 * The collect phase: open /proc once, read each selected kind and the
 * limits into a snapshot.  No output, no exit: errors are returned.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "model.h"
#include "snapshot.h"
#include "xalloc.h"

static void add_warning(struct snapshot *s, char *msg)
{
	vec_push(&s->warnings, &msg);
}

static int collect_kind(int procfd, const struct ipc_kind *kind, struct kind_objs *ko)
{
	ko->kind = kind;
	ko->objs = (struct vec){ .elsize = kind->objsize };
	ko->skipped = 0;
	return kind->collect(procfd, ko);
}

int snapshot_collect(struct snapshot *ret, unsigned kind_mask, bool with_limits,
		     const char **ret_failed)
{
	struct snapshot s = { .warnings = VEC_INIT(char *) };
	struct utsname uts;
	struct stat st;
	size_t i;
	int procfd, r = 0;

	s.time = (int64_t)time(NULL);
	procfd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (procfd < 0) {
		*ret_failed = "/proc";
		return -errno;
	}
	s.host = xstrdup(uname(&uts) == 0 ? uts.nodename : "");
	if (fstatat(procfd, "self/ns/ipc", &st, 0) == 0) {
		s.has_ipc_ns = true;
		s.ipc_ns = (uint64_t)st.st_ino;
	}
	for (i = 0; i < KIND_COUNT; i++) {
		if (!(kind_mask & (1u << i)))
			continue;
		r = collect_kind(procfd, ipc_kinds[i], &s.kinds[i]);
		if (r < 0) {
			*ret_failed = ipc_kinds[i]->source;
			goto fail;
		}
		if (s.kinds[i].skipped)
			add_warning(&s, xasprintf("%s: %zu line%s not understood, skipped",
						  ipc_kinds[i]->source, s.kinds[i].skipped,
						  s.kinds[i].skipped == 1 ? "" : "s"));
	}
	if (with_limits) {
		r = collect_kind(procfd, &limits_kind, &s.limits);
		if (r < 0) {
			*ret_failed = limits_kind.source;
			goto fail;
		}
	}
	close(procfd);
	*ret = s;
	return 0;
fail:
	close(procfd);
	snapshot_free(&s);
	return r;
}

static bool filter_match(const struct filter *f, const struct ipc_common *c)
{
	return (!f->has_id || c->id == f->id) &&
	       (!f->has_key || c->key == f->key) &&
	       (!f->has_uid || c->uid == f->uid);
}

void snapshot_filter(struct snapshot *s, const struct filter *f)
{
	size_t i, j, kept;

	for (i = 0; i < KIND_COUNT; i++) {
		struct kind_objs *ko = &s->kinds[i];

		if (!ko->kind || !ko->kind->sysv)
			continue;
		for (j = 0, kept = 0; j < ko->objs.len; j++) {
			void *obj = vec_at(&ko->objs, j);

			if (!filter_match(f, obj)) {
				if (ko->kind->free_obj)
					ko->kind->free_obj(obj);
				continue;
			}
			if (kept != j)
				memcpy(vec_at(&ko->objs, kept), obj, ko->objs.elsize);
			kept++;
		}
		ko->objs.len = kept;
	}
}

void snapshot_free(struct snapshot *s)
{
	size_t i;

	for (i = 0; i < KIND_COUNT; i++)
		kind_objs_free(&s->kinds[i]);
	kind_objs_free(&s->limits);
	for (i = 0; i < s->warnings.len; i++)
		free(*(char **)vec_at(&s->warnings, i));
	vec_free(&s->warnings);
	free(s->host);
	s->host = NULL;
}
