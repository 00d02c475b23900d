/*
 * Table and JSON renderers: see render.h.  JSON is streamed through the
 * writer of jsonw.h, value by value, so memory does not grow with the
 * listing (doc/kernel-facts.md, "Writing JSON") and no value costs an allocation.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "attrib.h"
#include "idcache.h"
#include "jsonw.h"
#include "owners.h"
#include "render.h"
#include "strutils.h"
#include "xalloc.h"

void colsel_all(const struct ipc_kind *kind, struct colsel *ret)
{
	size_t i;

	ret->n = kind->ncolumns < COLSEL_MAX ? kind->ncolumns : COLSEL_MAX;
	for (i = 0; i < ret->n; i++)
		ret->idx[i] = i;
}

/* The text of a keyed kind's JSON key: its first column (the id). */
static char *json_key_text(const struct ipc_kind *kind, const void *obj,
			   const struct render_opts *opts)
{
	struct value v;

	kind->get(obj, 0, &v);
	return value_to_text(&v, opts);
}

static void cell_write_json(struct jw *w, const struct kind_objs *ko, const void *obj,
			    size_t col, const struct render_opts *opts)
{
	const struct ipc_kind *kind = ko->kind;
	struct value v;

	if (kind_column_is_attrib(kind, col)) {
		attrib_write_json(w, ko, obj, col);
		return;
	}
	kind->get(obj, col, &v);
	if (v.type == VAL_CUSTOM && kind->columns[col].write_json)
		kind->columns[col].write_json(w, obj, opts);
	else
		value_write_json(w, &v, opts);
}

/* The JSON keys of the columns selected, with their lengths: once per kind. */
struct json_keys {
	const char *key[COLSEL_MAX];
	size_t len[COLSEL_MAX];
};

static void json_keys(const struct ipc_kind *kind, const struct colsel *cols,
		      struct json_keys *ret)
{
	size_t c;

	for (c = 0; c < cols->n; c++) {
		ret->key[c] = kind_column(kind, cols->idx[c])->json;
		ret->len[c] = strlen(ret->key[c]);
	}
}

/* The members of one row's JSON object; with skip_first, column 0 is left out. */
static void members_write_json(struct jw *w, const struct kind_objs *ko, const void *obj,
			       const struct colsel *cols, const struct json_keys *keys,
			       const struct render_opts *opts, bool skip_first)
{
	size_t c;

	for (c = 0; c < cols->n; c++) {
		if (skip_first && cols->idx[c] == 0)
			continue;
		jw_keyn(w, keys->key[c], keys->len[c]);
		cell_write_json(w, ko, obj, cols->idx[c], opts);
	}
}

/* Writes the JSON object of one row; with skip_first, column 0 is left out. */
static void object_write_json(struct jw *w, const struct kind_objs *ko, const void *obj,
			      const struct colsel *cols, const struct json_keys *keys,
			      const struct render_opts *opts, bool skip_first)
{
	jw_obj_begin(w);
	members_write_json(w, ko, obj, cols, keys, opts, skip_first);
	jw_obj_end(w);
}

void json_write_members(struct jw *w, const struct kind_objs *ko, const void *obj,
			const struct render_opts *opts)
{
	struct json_keys keys;
	struct colsel all;

	colsel_all(ko->kind, &all);
	json_keys(ko->kind, &all, &keys);
	members_write_json(w, ko, obj, &all, &keys, opts, false);
}

void json_write_object(struct jw *w, const struct kind_objs *ko, const void *obj,
		       const struct render_opts *opts)
{
	jw_obj_begin(w);
	json_write_members(w, ko, obj, opts);
	jw_obj_end(w);
}

/* The top-level members are one per line, as are the objects of a kind. */
static void json_print_kind(struct jw *w, const struct kind_objs *ko, const struct colsel *cols,
			    const struct render_opts *opts)
{
	const struct ipc_kind *kind = ko->kind;
	_cleanup_free_ size_t *order = rows_order(ko, opts);
	struct json_keys keys;
	size_t i;

	json_keys(kind, cols, &keys);
	jw_key(w, kind->name);
	if (ko->unavailable) {	/* not "none": it could not be looked at */
		jw_null(w);
		return;
	}
	if (kind->json_keyed)
		jw_obj_begin(w);
	else
		jw_arr_begin(w);
	jw_lines(w, ko->objs.len);
	for (i = 0; i < ko->objs.len; i++) {
		const void *obj = vec_at(&ko->objs, order ? order[i] : i);

		if (kind->json_keyed) {
			_cleanup_free_ char *key = json_key_text(kind, obj, opts);

			jw_key(w, key);
		}
		object_write_json(w, ko, obj, cols, &keys, opts, kind->json_keyed);
	}
	jw_lines_end(w, ko->objs.len);
	if (kind->json_keyed)
		jw_obj_end(w);
	else
		jw_arr_end(w);
}

void json_doc_begin(struct jw *w, const struct snapshot *s)
{
	size_t i;

	jw_obj_begin(w);
	jw_lines(w, 1);
	jw_key(w, "schema");
	jw_s64(w, 1);
	jw_key(w, "host");
	jw_str(w, s->host);
	jw_key(w, "time");
	jw_s64(w, s->time);
	jw_key(w, "ipc_ns");
	if (s->has_ipc_ns)
		jw_u64(w, s->ipc_ns);
	else
		jw_null(w);
	jw_key(w, "warnings");
	jw_arr_begin(w);
	for (i = 0; i < s->warnings.len; i++)
		jw_str(w, *(char **)vec_at(&s->warnings, i));
	jw_arr_end(w);
}

void json_doc_end(struct jw *w)
{
	jw_lines_end(w, 1);
	jw_obj_end(w);
	jw_raws(w, "\n");
}

/* "scan": what the process scan saw, and whom it could not read. */
static void json_print_scan(struct jw *w, const struct owners *o)
{
	const struct procscan *scan = &o->scan;
	size_t i;

	jw_key(w, "scan");
	jw_obj_begin(w);
	jw_key(w, "processes");
	jw_u64(w, scan->procs.len);
	jw_key(w, "unreadable");
	jw_u64(w, scan->unreadable);
	jw_key(w, "complete");
	jw_bool(w, procscan_sees_all(scan));
	/* why not complete: each limit that applied */
	jw_key(w, "incomplete_because");
	jw_arr_begin(w);
	if (scan->child_pidns && !scan->outside_ruled_out)
		jw_str(w, "child-pid-namespace");
	if (scan->unreadable)
		jw_str(w, "unreadable-processes");
	if (scan->hidden_by)
		jw_str(w, "hidden-processes");
	jw_arr_end(w);
	jw_key(w, "pid_ns");
	if (scan->pid_ns)
		jw_u64(w, scan->pid_ns);
	else
		jw_null(w);
	jw_key(w, "pid_ns_initial");
	jw_bool(w, !scan->child_pidns);
	jw_key(w, "outside_ruled_out");
	jw_bool(w, scan->outside_ruled_out);
	jw_key(w, "unreadable_processes");
	jw_arr_begin(w);
	for (i = 0; i < scan->procs.len; i++) {
		const struct scan_proc *p = vec_at(&scan->procs, i);

		if (!p->unreadable)
			continue;
		jw_obj_begin(w);
		jw_key(w, "pid");
		jw_s64(w, p->pid);
		jw_key(w, "comm");
		jw_str(w, p->comm);
		jw_key(w, "why");
		jw_str(w, p->why);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
}

/* A string member, null when empty. */
static void json_str_or_null(struct jw *w, const char *key, const char *v)
{
	jw_key(w, key);
	if (v && *v)
		jw_str(w, v);
	else
		jw_null(w);
}

/* "container": the runtime and its id or name that the cgroup names, or null. */
static void json_print_container(struct jw *w, const struct cgroup_info *ci)
{
	jw_key(w, "container");
	if (!cgroup_has_container(ci)) {
		jw_null(w);
		return;
	}
	jw_obj_begin(w);
	json_str_or_null(w, "runtime", cgroup_runtime_name(ci->runtime));
	json_str_or_null(w, "id", ci->id);
	json_str_or_null(w, "name", ci->name);
	jw_obj_end(w);
}

/* What a process's cgroup says (cgroup.h): path, unit, slice, container, pod. */
static void json_print_attribution(struct jw *w, const struct cgroup_info *ci)
{
	jw_key(w, "cgroup");
	if (ci->path)
		jw_str(w, ci->path);
	else
		jw_null(w);
	json_str_or_null(w, "unit", ci->unit);
	json_str_or_null(w, "slice", ci->slice);
	json_print_container(w, ci);
	jw_key(w, "pod");
	if (ci->pod_uid[0]) {
		jw_obj_begin(w);
		jw_key(w, "uid");
		jw_str(w, ci->pod_uid);
		json_str_or_null(w, "qos", cgroup_qos_name(ci->qos));
		jw_obj_end(w);
	} else {
		jw_null(w);
	}
}

/* "namespaces": the other IPC namespaces, each with its own objects. */
static void json_print_sections(struct jw *w, const struct snapshot *s, const struct colsel *cols,
				const struct colsel *limit_cols, const struct render_opts *opts)
{
	size_t n, i;

	jw_key(w, "namespaces");
	jw_arr_begin(w);
	jw_lines(w, s->nsections);
	for (n = 0; n < s->nsections; n++) {
		const struct ns_section *sec = &s->sections[n];

		jw_obj_begin(w);
		jw_lines(w, 1);
		jw_key(w, "ipc_ns");
		jw_u64(w, sec->ipc_ns);
		jw_key(w, "pid");
		jw_s64(w, sec->pid);
		jw_key(w, "comm");
		jw_str(w, sec->comm);
		jw_key(w, "init");
		if (sec->init_pid) {
			jw_obj_begin(w);
			jw_key(w, "pid");
			jw_s64(w, sec->init_pid);
			jw_key(w, "comm");
			jw_str(w, sec->init_comm);
			jw_obj_end(w);
		} else {
			jw_null(w);
		}
		json_print_container(w, &sec->cgroup);
		json_str_or_null(w, "unit", sec->cgroup.unit);
		jw_key(w, "error");
		if (sec->error)
			jw_str(w, sec->error);
		else
			jw_null(w);
		if (sec->limits.kind)
			json_print_kind(w, &sec->limits, limit_cols, opts);
		for (i = 0; i < KIND_COUNT; i++)
			if (sec->kinds[i].kind)
				json_print_kind(w, &sec->kinds[i], &cols[i], opts);
		jw_lines_end(w, 1);
		jw_obj_end(w);
	}
	jw_lines_end(w, s->nsections);
	jw_arr_end(w);
}

/* "processes": the facts of every process the listing refers to. */
static void json_print_processes(struct jw *w, const struct owners *o,
				 const struct render_opts *opts)
{
	const struct facts *f = &o->facts;
	size_t i, k;

	jw_key(w, "processes");
	jw_arr_begin(w);
	jw_lines(w, f->len);
	for (i = 0; i < f->len; i++) {
		const struct proc_facts *p = &f->procs[i];
		const char *user = idcache_name(opts->users, p->euid);
		char state[2] = { p->state, '\0' };

		jw_obj_begin(w);
		jw_key(w, "pid");
		jw_s64(w, p->pid);
		jw_key(w, "tgid");
		jw_s64(w, p->tgid);
		jw_key(w, "comm");
		jw_str(w, p->comm);
		jw_key(w, "argv");
		jw_arr_begin(w);
		for (k = 0; p->argv && p->argv[k]; k++)
			jw_str(w, p->argv[k]);
		jw_arr_end(w);
		jw_key(w, "uid");
		jw_u64(w, p->euid);
		jw_key(w, "user");
		if (user)
			jw_str(w, user);
		else
			jw_null(w);
		jw_key(w, "state");
		jw_str(w, state);
		jw_key(w, "start");
		jw_s64(w, p->start_ms / 1000);
		json_print_attribution(w, &p->cgroup);
		jw_obj_end(w);
	}
	jw_lines_end(w, f->len);
	jw_arr_end(w);
}

int json_print_snapshot(FILE *out, const struct snapshot *s, const struct colsel *cols,
			const struct colsel *limit_cols, const struct render_opts *opts)
{
	bool listing = false;	/* `list`, not `limits`: scan and processes are members */
	struct jw w;
	size_t i;

	for (i = 0; i < KIND_COUNT; i++)
		listing |= s->kinds[i].kind != NULL;

	jw_init(&w, out);
	json_doc_begin(&w, s);
	if (s->owners) {
		json_print_scan(&w, s->owners);
	} else if (listing) {
		jw_key(&w, "scan");
		jw_null(&w);
	}
	if (s->limits.kind)
		json_print_kind(&w, &s->limits, limit_cols, opts);
	for (i = 0; i < KIND_COUNT; i++) {
		if (s->kinds[i].kind)
			json_print_kind(&w, &s->kinds[i], &cols[i], opts);
	}
	if (s->all_namespaces)
		json_print_sections(&w, s, cols, limit_cols, opts);
	if (s->owners) {
		json_print_processes(&w, s->owners, opts);
	} else if (listing) {
		jw_key(&w, "processes");
		jw_null(&w);
	}
	json_doc_end(&w);
	return jw_finish(&w) < 0 || ferror(out) ? -EIO : 0;
}
