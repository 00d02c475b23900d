/*
 * Table and JSON renderers: see render.h.  JSON is streamed: the envelope
 * is written by hand and each object is built, dumped and freed in turn,
 * so memory does not grow with the listing (KERNEL-NOTES.md 7.2).
 */
#include "config.h"

#include <errno.h>
#include <libsmartcols.h>
#include <string.h>

#include "idcache.h"
#include "owners.h"
#include "render.h"
#include "strutils.h"
#include "xalloc.h"

/* Real numbers (USE%) with 15 significant digits: 0.01 stays "0.01". */
#define DUMP_FLAGS (JSON_REAL_PRECISION(15) | JSON_ENCODE_ANY)

void colsel_all(const struct ipc_kind *kind, struct colsel *ret)
{
	size_t i;

	ret->n = kind->ncolumns < COLSEL_MAX ? kind->ncolumns : COLSEL_MAX;
	for (i = 0; i < ret->n; i++)
		ret->idx[i] = i;
}

static char *cell_text(const struct ipc_kind *kind, const void *obj, size_t col,
		       const struct render_opts *opts)
{
	struct value v;

	kind->get(obj, col, &v);
	if (v.type == VAL_CUSTOM && kind->columns[col].to_text)
		return kind->columns[col].to_text(obj, opts);
	return value_to_text(&v, opts);
}

static json_t *cell_json(const struct ipc_kind *kind, const void *obj, size_t col,
			 const struct render_opts *opts)
{
	struct value v;

	kind->get(obj, col, &v);
	if (v.type == VAL_CUSTOM && kind->columns[col].to_json)
		return kind->columns[col].to_json(obj, opts);
	return value_to_json(&v, opts);
}

static int scols_flags(int flags)
{
	return ((flags & COL_RIGHT) ? SCOLS_FL_RIGHT : 0) |
	       ((flags & COL_TRUNC) ? SCOLS_FL_TRUNC : 0) |
	       ((flags & COL_WRAP) ? SCOLS_FL_WRAP : 0);
}

int table_print_kind(FILE *out, const struct kind_objs *ko, const struct colsel *cols,
		     const struct render_opts *opts, bool title)
{
	const struct ipc_kind *kind = ko->kind;
	struct libscols_table *tb;
	size_t i, c;
	int r = 0;

	if (title)
		fprintf(out, "%s: %zu\n", kind->title, ko->objs.len);
	if (ko->objs.len == 0 || cols->n == 0)
		return 0;
	tb = scols_new_table();
	if (!tb)
		return -ENOMEM;
	/* cells are raw bytes: the library's encoding is the one escaping */
	scols_table_enable_raw(tb, opts->raw);
	scols_table_enable_noheadings(tb, opts->noheadings);
	scols_table_set_stream(tb, out);
	for (c = 0; c < cols->n; c++) {
		const struct column *col = &kind->columns[cols->idx[c]];

		if (!scols_table_new_column(tb, col->name, col->whint, scols_flags(col->flags))) {
			r = -ENOMEM;
			goto out;
		}
	}
	for (i = 0; i < ko->objs.len; i++) {
		const void *obj = vec_at(&ko->objs, i);
		struct libscols_line *ln = scols_table_new_line(tb, NULL);

		if (!ln) {
			r = -ENOMEM;
			goto out;
		}
		for (c = 0; c < cols->n; c++) {
			/* the line takes ownership of the text */
			if (scols_line_refer_data(ln, c, cell_text(kind, obj, cols->idx[c], opts)) < 0) {
				r = -ENOMEM;
				goto out;
			}
		}
	}
	r = scols_print_table(tb);
out:
	scols_unref_table(tb);
	return r;
}

/* Builds the JSON object of one row; with skip_first, column 0 is left out. */
static json_t *object_json(const struct ipc_kind *kind, const void *obj,
			   const struct colsel *cols, const struct render_opts *opts,
			   bool skip_first)
{
	json_t *o = json_object();
	size_t c;

	for (c = 0; c < cols->n; c++) {
		if (skip_first && cols->idx[c] == 0)
			continue;
		json_object_set_new(o, kind->columns[cols->idx[c]].json,
				    cell_json(kind, obj, cols->idx[c], opts));
	}
	return o;
}

/* Writes j (consumed) as one line of text. */
static void dump_json(FILE *out, json_t *j)
{
	char *text = json_dumps(j, DUMP_FLAGS);

	json_decref(j);
	if (!text) {
		fputs("ipcinspect: out of memory\n", stderr);
		exit(1);
	}
	fputs(text, out);
	free(text);
}

static void json_member_name(FILE *out, const char *indent, const char *name)
{
	fputs(indent, out);
	dump_json(out, json_string(name));
	fputs(": ", out);
}

static void json_print_kind(FILE *out, const struct kind_objs *ko, const struct colsel *cols,
			    const struct render_opts *opts)
{
	const struct ipc_kind *kind = ko->kind;
	size_t i;

	json_member_name(out, "  ", kind->name);
	if (ko->objs.len == 0) {
		fputs(kind->json_keyed ? "{}" : "[]", out);
		return;
	}
	fputs(kind->json_keyed ? "{\n" : "[\n", out);
	for (i = 0; i < ko->objs.len; i++) {
		const void *obj = vec_at(&ko->objs, i);

		if (kind->json_keyed) {
			_cleanup_free_ char *key = cell_text(kind, obj, 0, opts);

			json_member_name(out, "    ", key);
		} else
			fputs("    ", out);
		dump_json(out, object_json(kind, obj, cols, opts, kind->json_keyed));
		fputs(i + 1 < ko->objs.len ? ",\n" : "\n", out);
	}
	fputs(kind->json_keyed ? "  }" : "  ]", out);
}

static json_t *raw_string_json(const char *raw)
{
	_cleanup_free_ char *s = escape_str(raw, ESCAPE_JSON);

	return json_string(s);
}

/* "scan": what the process scan saw, and whom it could not read. */
static void json_print_scan(FILE *out, const struct owners *o)
{
	const struct procscan *scan = &o->scan;
	json_t *list = json_array();
	size_t i;

	fprintf(out, "  \"scan\": {\"processes\": %zu, \"unreadable\": %zu, \"complete\": %s, "
		"\"unreadable_processes\": ", scan->procs.len, scan->unreadable,
		scan->unreadable ? "false" : "true");
	for (i = 0; i < scan->procs.len; i++) {
		const struct scan_proc *p = vec_at(&scan->procs, i);

		if (!p->unreadable)
			continue;
		json_array_append_new(list, json_pack("{s:i, s:o, s:s}", "pid", p->pid,
						      "comm", raw_string_json(p->comm),
						      "why", p->why));
	}
	dump_json(out, list);
	fputs("}", out);
}

/* "processes": the facts of every process the listing refers to. */
static void json_print_processes(FILE *out, const struct owners *o, const struct render_opts *opts)
{
	const struct facts *f = &o->facts;
	size_t i, k;

	fputs("  \"processes\": [", out);
	for (i = 0; i < f->len; i++) {
		const struct proc_facts *p = &f->procs[i];
		const char *user = idcache_name(opts->users, p->euid);
		json_t *argv = json_array();
		char state[2] = { p->state, '\0' };

		for (k = 0; p->argv && p->argv[k]; k++)
			json_array_append_new(argv, raw_string_json(p->argv[k]));
		fputs(i ? ",\n    " : "\n    ", out);
		dump_json(out, json_pack("{s:i, s:i, s:o, s:o, s:I, s:o, s:s, s:I}",
					 "pid", p->pid, "tgid", p->tgid,
					 "comm", raw_string_json(p->comm), "argv", argv,
					 "uid", (json_int_t)p->euid,
					 "user", user ? raw_string_json(user) : json_null(),
					 "state", state, "start", (json_int_t)p->start));
	}
	fputs(f->len ? "\n  ]" : "]", out);
}

int json_print_snapshot(FILE *out, const struct snapshot *s, const struct colsel *cols,
			const struct colsel *limit_cols, const struct render_opts *opts)
{
	_cleanup_free_ char *host = escape_str(s->host, ESCAPE_JSON);
	json_t *warnings = json_array();
	bool listing = false;	/* `list`, not `limits`: scan and processes are members */
	size_t i;

	for (i = 0; i < KIND_COUNT; i++)
		listing |= s->kinds[i].kind != NULL;

	fputs("{\n  \"schema\": 1,\n", out);
	json_member_name(out, "  ", "host");
	dump_json(out, json_string(host));
	fprintf(out, ",\n  \"time\": %lld,\n", (long long)s->time);
	json_member_name(out, "  ", "ipc_ns");
	dump_json(out, s->has_ipc_ns ? json_integer((json_int_t)s->ipc_ns) : json_null());
	fputs(",\n", out);
	for (i = 0; i < s->warnings.len; i++) {
		_cleanup_free_ char *w = escape_str(*(char **)vec_at(&s->warnings, i), ESCAPE_JSON);

		json_array_append_new(warnings, json_string(w));
	}
	json_member_name(out, "  ", "warnings");
	dump_json(out, warnings);
	if (s->owners) {
		fputs(",\n", out);
		json_print_scan(out, s->owners);
	} else if (listing) {
		fputs(",\n  \"scan\": null", out);
	}
	if (s->limits.kind) {
		fputs(",\n", out);
		json_print_kind(out, &s->limits, limit_cols, opts);
	}
	for (i = 0; i < KIND_COUNT; i++) {
		if (!s->kinds[i].kind)
			continue;
		fputs(",\n", out);
		json_print_kind(out, &s->kinds[i], &cols[i], opts);
	}
	if (s->owners) {
		fputs(",\n", out);
		json_print_processes(out, s->owners, opts);
	} else if (listing) {
		fputs(",\n  \"processes\": null", out);
	}
	fputs("\n}\n", out);
	return ferror(out) ? -EIO : 0;
}
