/* What clean did not consider: see leftout.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act.h"
#include "jsonw.h"
#include "leftout.h"
#include "snapshot.h"
#include "strutils.h"
#include "xalloc.h"

static bool orphan_or_suspect(const struct verdict *v)
{
	return v && (v->value == VERDICT_ORPHAN || v->value == VERDICT_SUSPECT);
}

void left_out_kinds(struct left_out *l, const struct snapshot *s, unsigned mask)
{
	size_t i, j;

	for (i = 0; i < KIND_COUNT; i++) {
		const struct kind_objs *ko = &s->kinds[i];

		if (!(mask & (1u << i)) || !ko->kind)
			continue;
		for (j = 0; j < ko->objs.len; j++)
			l->kinds[i] += orphan_or_suspect(kind_verdict(ko->kind, vec_at(&ko->objs, j)));
	}
}

static bool listed(const void *obj, const void *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (list[i] == obj)
			return true;
	return false;
}

static bool noted(const struct left_out *l, const void *obj)
{
	size_t i;

	for (i = 0; i < l->stranded.len; i++)
		if (((const struct left_stranded *)vec_at(&l->stranded, i))->obj == obj)
			return true;
	return false;
}

void left_out_stranded(struct left_out *l, const struct snapshot *s, uint32_t uid,
		       const void *const *removed, size_t n)
{
	size_t i, j;

	for (i = 0; i < KIND_COUNT; i++) {
		const struct kind_objs *ko = &s->kinds[i];

		if (!ko->kind || !(ko->kind->policy & KIND_POLICY_STRANDABLE))
			continue;
		for (j = 0; j < ko->objs.len; j++) {
			const void *obj = vec_at(&ko->objs, j);
			const struct verdict *v = kind_verdict(ko->kind, obj);
			struct obj_ident id;

			act_identify(ko->kind, obj, &id);
			if (id.uid != uid || !v || v->value != VERDICT_SUSPECT ||
			    listed(obj, removed, n) || noted(l, obj))
				continue;
			vec_push(&l->stranded, &(struct left_stranded){ obj, id.path });
		}
	}
}

/* "pshm 3, psem 1" and "pshm,psem" for the kinds counted. */
static void kinds_text(const struct left_out *l, char **ret_counts, char **ret_names)
{
	char *counts = xstrdup(""), *names = xstrdup(""), *t;
	size_t i;

	for (i = 0; i < KIND_COUNT; i++) {
		if (!l->kinds[i])
			continue;
		t = xasprintf("%s%s%s %zu", counts, *counts ? ", " : "", ipc_kinds[i]->name, l->kinds[i]);
		free(counts);
		counts = t;
		t = xasprintf("%s%s%s", names, *names ? "," : "", ipc_kinds[i]->name);
		free(names);
		names = t;
	}
	*ret_counts = counts;
	*ret_names = names;
}

/* The line of the kinds not taken, or NULL when they hold nothing. */
static char *kinds_line(const struct left_out *l, bool suspects)
{
	_cleanup_free_ char *counts = NULL, *names = NULL;

	kinds_text(l, &counts, &names);
	if (!*counts)
		return NULL;
	return xasprintf("not considered: orphans and suspects of kinds not taken: %s: add -t %s%s",
			 counts, names, suspects ? "" : " (and --suspects for suspects)");
}

char *left_out_drop(struct snapshot *s, unsigned mask)
{
	struct left_out l = LEFT_OUT_INIT;
	size_t i;

	left_out_kinds(&l, s, mask);
	for (i = 0; i < KIND_COUNT; i++)
		if (mask & (1u << i) && s->kinds[i].kind) {
			kind_objs_free(&s->kinds[i]);
			s->kinds[i].kind = NULL;	/* not selected: not shown */
		}
	return kinds_line(&l, true);
}

void left_out_print(const struct left_out *l, bool suspects)
{
	_cleanup_free_ char *line = kinds_line(l, suspects);
	size_t i;

	if (l->suspects)
		printf("not considered: %zu suspect%s: add --suspects\n", l->suspects,
		       l->suspects == 1 ? "" : "s");
	if (line)
		printf("%s\n", line);
	if (!l->stranded.len)
		return;
	fprintf(stderr, "ipcinspect: warning: a removed SysV segment's owner has POSIX suspects "
		"left, which its program may have found only through that segment:");
	for (i = 0; i < l->stranded.len; i++) {
		const struct left_stranded *st = vec_at(&l->stranded, i);
		_cleanup_free_ char *path = escape_str(st->path ? st->path : "", ESCAPE_TERM);

		fprintf(stderr, " %s", path);
	}
	fputc('\n', stderr);
}

void left_out_json(struct jw *w, const struct left_out *l)
{
	size_t i;

	jw_key(w, "not_considered");
	jw_obj_begin(w);
	jw_key(w, "suspects");
	jw_u64(w, l->suspects);
	jw_key(w, "kinds");
	jw_obj_begin(w);
	for (i = 0; i < KIND_COUNT; i++) {
		if (!l->kinds[i])
			continue;
		jw_key(w, ipc_kinds[i]->name);
		jw_u64(w, l->kinds[i]);
	}
	jw_obj_end(w);
	jw_key(w, "stranded");
	jw_arr_begin(w);
	for (i = 0; i < l->stranded.len; i++)
		jw_str(w, ((const struct left_stranded *)vec_at(&l->stranded, i))->path);
	jw_arr_end(w);
	jw_obj_end(w);
}

void left_out_free(struct left_out *l)
{
	vec_free(&l->stranded);
}
