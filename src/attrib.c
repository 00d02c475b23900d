/* The UNIT and CONTAINER columns every kind has; see attrib.h. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "attrib.h"
#include "facts.h"
#include "jsonw.h"
#include "model.h"
#include "owners.h"
#include "vec.h"
#include "xalloc.h"

const struct column attrib_columns[ATTRIB_NCOLUMNS] = {
	[ATTRIB_COL_UNIT] = { "UNIT", "unit",
			      "systemd units of the holders (else of the creator)", 20, 0,
			      NULL, NULL, COLT_ARRAY },
	[ATTRIB_COL_CONTAINER] = { "CONTAINER", "container",
				   "containers of the holders (else of the creator), runtime:id",
				   20, 0, NULL, NULL, COLT_ARRAY },
};

size_t kind_ncolumns(const struct ipc_kind *kind)
{
	return kind->ncolumns + (kind->judge ? ATTRIB_NCOLUMNS : 0);
}

const struct column *kind_column(const struct ipc_kind *kind, size_t idx)
{
	if (idx < kind->ncolumns)
		return &kind->columns[idx];
	if (kind_column_is_attrib(kind, idx))
		return &attrib_columns[idx - kind->ncolumns];
	return NULL;
}

/* The processes an object names: its holders, else its creator (distinct, in order). */
static void object_procs(const struct kind_objs *ko, const void *obj, struct vec *ret)
{
	const struct ipc_kind *kind = ko->kind;
	const struct proc_facts *creator = NULL;
	struct value v;
	size_t c, i, k;

	for (c = 0; c < kind->ncolumns; c++) {
		kind->get(obj, c, &v);
		if (v.type == VAL_ACTOR && strcmp(kind->columns[c].json, "creator") == 0 &&
		    v.u.actor)
			creator = v.u.actor->proc;
		if (v.type != VAL_HOLDERS)
			continue;
		for (i = 0; i < v.u.holders.n; i++) {
			const struct proc_facts *p = v.u.holders.list[i].proc;
			bool seen = false;

			if (!p)
				p = facts_get(&ko->owners->facts, v.u.holders.list[i].pid);
			for (k = 0; p && k < ret->len; k++)
				seen |= *(const struct proc_facts **)vec_at(ret, k) == p;
			if (p && !seen)
				vec_push(ret, &p);
		}
	}
	if (ret->len == 0 && creator)
		vec_push(ret, &creator);
}

/* What one process says for shared column j into buf ("" when nothing). */
static void proc_cell(const struct proc_facts *p, size_t j, char *buf, size_t size)
{
	const struct cgroup_info *ci = &p->cgroup;

	buf[0] = '\0';
	if (j == ATTRIB_COL_UNIT)
		snprintf(buf, size, "%s", ci->unit);
	else
		cgroup_container_label(ci, buf, size);
}

/*
 * The distinct non-empty cells of obj's processes, in order (char *,
 * owned).  Returns whether some process's cgroup could not be read: an
 * empty list then says nothing of it, not that it has none.
 */
static bool object_cells(const struct kind_objs *ko, const void *obj, size_t j, struct vec *ret)
{
	struct vec procs;
	bool unknown = false;
	size_t i, k;

	procs = (struct vec)VEC_INIT(const struct proc_facts *);
	object_procs(ko, obj, &procs);
	for (i = 0; i < procs.len; i++) {
		const struct proc_facts *p = *(const struct proc_facts **)vec_at(&procs, i);
		char buf[CGROUP_NAME_MAX + 16];
		bool seen = false;

		unknown |= !p->cgroup.path;
		proc_cell(p, j, buf, sizeof(buf));
		for (k = 0; k < ret->len; k++)
			seen |= strcmp(*(char **)vec_at(ret, k), buf) == 0;
		if (buf[0] && !seen) {
			char *s = xstrdup(buf);

			vec_push(ret, &s);
		}
	}
	vec_free(&procs);
	return unknown;
}

static void cells_free(struct vec *cells)
{
	size_t i;

	for (i = 0; i < cells->len; i++)
		free(*(char **)vec_at(cells, i));
	vec_free(cells);
}

char *attrib_text(const struct kind_objs *ko, const void *obj, size_t idx)
{
	struct vec cells;
	char *text = NULL;
	size_t i, len = 0;
	bool unknown;

	if (!ko->owners)
		return xstrdup("?");
	cells = (struct vec)VEC_INIT(char *);
	unknown = object_cells(ko, obj, idx - ko->kind->ncolumns, &cells);
	for (i = 0; i < cells.len; i++)
		len += strlen(*(char **)vec_at(&cells, i)) + 1;
	text = xmalloc(len ? len : 2);
	strcpy(text, cells.len ? "" : unknown ? "?" : "-");
	for (i = 0; i < cells.len; i++) {
		if (i)
			strcat(text, ",");
		strcat(text, *(char **)vec_at(&cells, i));
	}
	cells_free(&cells);
	return text;
}

void attrib_write_json(struct jw *w, const struct kind_objs *ko, const void *obj, size_t idx)
{
	struct vec cells;
	size_t i;

	if (!ko->owners) {
		jw_null(w);
		return;
	}
	cells = (struct vec)VEC_INIT(char *);
	if (object_cells(ko, obj, idx - ko->kind->ncolumns, &cells) && !cells.len) {
		jw_null(w);	/* a process's cgroup unread: not "none" */
		vec_free(&cells);
		return;
	}
	jw_arr_begin(w);
	for (i = 0; i < cells.len; i++)
		jw_str(w, *(char **)vec_at(&cells, i));
	jw_arr_end(w);
	cells_free(&cells);
}
