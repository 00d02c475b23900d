/*
 * The render phase: a snapshot to a table (libsmartcols) or to one JSON
 * document written object by object.  Renderers read only the model; they
 * never touch /proc.  Each returns 0 or -errno (a write error).
 */
#ifndef IPCINSPECT_RENDER_H
#define IPCINSPECT_RENDER_H

#include <stdio.h>

#include "column.h"
#include "kind.h"
#include "snapshot.h"

/* Columns chosen for one kind: indexes into kind->columns, in order. */
#define COLSEL_MAX 64
struct colsel {
	size_t n;
	size_t idx[COLSEL_MAX];
};

/* Every column of the kind, in table order. */
void colsel_all(const struct ipc_kind *kind, struct colsel *ret);

/*
 * One section: an optional title line, then the table (nothing when
 * empty).  With kind_col, each row starts with a KIND column holding the
 * kind's --type word (--raw and --pairs, where no title says it).
 */
int table_print_kind(FILE *out, const struct kind_objs *ko, const struct colsel *cols,
		     const struct render_opts *opts, bool title, bool kind_col);

/* The name of that column: no kind has a column of this name. */
#define KIND_COLUMN "KIND"

/*
 * --sort (opts->sort): the indexes of ko's objects in the order to show
 * them, an array of ko->objs.len the caller frees; NULL: as collected
 * (no --sort, or the kind lacks the column).  rowsort.c.
 */
size_t *rows_order(const struct kind_objs *ko, const struct render_opts *opts);

/*
 * -H/--list-columns: the columns of the n kinds, name, type and
 * description under a heading per kind, or (json) one JSON document
 * {"columns": {KIND: [...]}}.  0 or -EIO.  render-columns.c.
 */
int columns_print(FILE *out, const struct ipc_kind *const *kinds, size_t n, bool json);

struct jw;

/*
 * Every JSON document's start: "{", then one per line schema, host, time,
 * ipc_ns and warnings; json_doc_end() closes it.
 */
void json_doc_begin(struct jw *w, const struct snapshot *s);
void json_doc_end(struct jw *w);

/* One object of ko with every column, as the listing shows it. */
void json_write_object(struct jw *w, const struct kind_objs *ko, const void *obj,
		       const struct render_opts *opts);
/* Its members alone, into an object the caller opened (watch's events). */
void json_write_members(struct jw *w, const struct kind_objs *ko, const void *obj,
			const struct render_opts *opts);

/*
 * The JSON document: the header members, the limits when collected (with
 * limit_cols), and one member per selected kind, each object with the
 * columns in cols[kind].
 */
int json_print_snapshot(FILE *out, const struct snapshot *s, const struct colsel *cols,
			const struct colsel *limit_cols, const struct render_opts *opts);

#endif
