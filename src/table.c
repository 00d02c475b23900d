/*
 * The table of one kind (libsmartcols), made to fit the terminal without
 * cutting evidence (ipcinspect(1), TABLE WIDTH).  No column is ever
 * truncated: ids, pids, keys, inodes and paths are shown whole.  When the
 * table is wider than the terminal, the list columns (COL_LIST: holders,
 * semaphore values, reasons, peers) are shortened by whole items with a
 * count of what was left out ("mkipc[8]x2 +3 more", "1,0,5,… (250)"):
 * each gets a budget of terminal cells, what the terminal leaves after
 * the other columns, shared between the lists.  A list always shows its
 * first item: where even that does not fit, the line is longer than the
 * terminal (a list column never wraps: libsmartcols would wrap inside an
 * item, "mkipc[2" and "2]", at the column's width, whatever chunks it is
 * given; the default columns put the list last, so only the line's end
 * goes further).  Paths and names (COL_WRAP) wrap, whole but on several
 * lines, only when the other columns alone are wider than the terminal:
 * a cut path names another file, or none.
 *
 * The width is libsmartcols' own (scols_table_get_termwidth: the
 * terminal's, else $COLUMNS), and only when the table goes to a terminal:
 * like libsmartcols, which reduces nothing when it does not.  --notruncate
 * and --raw: no budget, and libsmartcols told the output is no terminal,
 * so that no line is cut or wrapped either.
 */
#include "config.h"

#include <errno.h>
#include <libsmartcols.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "attrib.h"
#include "render.h"
#include "strutils.h"
#include "xalloc.h"

/* One cell before it is printed: its text, or the items of a list. */
struct cell {
	char *text;		/* escaped unless raw (NULL: a list) */
	struct cell_list list;
};

/* Are the cells escaped by libsmartcols (--raw, --pairs), not by escape_cell()? */
static bool encoded(const struct render_opts *opts)
{
	return opts->raw || opts->pairs;
}

/* The cell of obj in column col: a list's items, or its whole text. */
static void cell_make(const struct kind_objs *ko, const void *obj, size_t col,
		      const struct render_opts *opts, struct cell *ret)
{
	const struct ipc_kind *kind = ko->kind;
	const struct column *c = kind_column(kind, col);
	struct cell_list *want = (c->flags & COL_LIST) ? &ret->list : NULL;
	char *raw = NULL;
	struct value v;

	memset(ret, 0, sizeof(*ret));
	if (kind_column_is_attrib(kind, col)) {
		raw = attrib_text(ko, obj, col);
	} else {
		kind->get(obj, col, &v);
		if (v.type == VAL_CUSTOM && c->to_text)
			raw = c->to_text(obj, opts, want);
		else if (!want || !value_to_list(&v, opts, want))
			raw = value_to_text(&v, opts);
	}
	if (!raw)
		return;		/* the items are in ret->list */
	ret->text = encoded(opts) ? raw : escape_cell(raw);
	if (!encoded(opts))
		free(raw);
}

/* The cells the text of cell takes on the terminal, all of a list. */
static size_t cell_width(const struct cell *cell, bool escape)
{
	_cleanup_free_ char *all = NULL;

	if (cell->text)
		return text_cells(cell->text);
	all = cell_list_text(&cell->list, SIZE_MAX, escape, NULL);
	return text_cells(all);
}

/*
 * The terminal cells each list column may take (budget[c]; SIZE_MAX for
 * the others and when nothing needs to be shortened): the terminal's width
 * less the other columns (their widest cell or header) and the one-cell
 * gaps between columns, shared out so that a list narrower than its share
 * keeps its width and gives the rest to the others.
 */
static void list_budgets(const struct ipc_kind *kind, const struct colsel *cols,
			 const size_t *width, size_t termwidth, size_t *budget)
{
	size_t c, fixed = cols->n - 1, total = cols->n - 1, nlists = 0, avail;
	bool done;

	for (c = 0; c < cols->n; c++) {
		budget[c] = SIZE_MAX;
		total += width[c];
		if (kind_column(kind, cols->idx[c])->flags & COL_LIST)
			nlists++;
		else
			fixed += width[c];
	}
	if (total <= termwidth || nlists == 0)
		return;
	avail = termwidth > fixed ? termwidth - fixed : 0;
	do {	/* the lists narrower than an equal share keep their width */
		size_t share = avail / nlists;

		done = true;
		for (c = 0; c < cols->n; c++) {
			if (!(kind_column(kind, cols->idx[c])->flags & COL_LIST) ||
			    budget[c] != SIZE_MAX || width[c] > share)
				continue;
			budget[c] = width[c];
			avail -= width[c];
			nlists--;
			done = false;
		}
	} while (!done && nlists);
	for (c = 0; c < cols->n && nlists; c++) {
		if (!(kind_column(kind, cols->idx[c])->flags & COL_LIST) || budget[c] != SIZE_MAX)
			continue;
		budget[c] = avail / nlists;
		avail -= budget[c];
		nlists--;
	}
}

/*
 * The width libsmartcols gives a column whose widest cell is data: the
 * header's when that is wider, else the absolute width hint when the data
 * is narrower than it (util-linux libsmartcols/src/calculate.c, as of
 * 2.38: a column of short data under a long header does not get its hint).
 */
static size_t column_width(const struct column *col, size_t data)
{
	size_t header = text_cells(col->name);

	if (data < header)
		return header;
	if (col->whint >= 1 && data < (size_t)col->whint && header < (size_t)col->whint)
		return (size_t)col->whint;
	return data;
}

/*
 * The cells of every line, ret_cells[line * cols->n + c], the lines in
 * --sort's order (rows_order(); NULL: as collected), and the width of
 * each column as libsmartcols will make it.
 */
static struct cell *cells_make(const struct kind_objs *ko, const struct colsel *cols,
			       const size_t *order, const struct render_opts *opts, size_t *width)
{
	struct cell *cells = xcalloc(ko->objs.len * cols->n, sizeof(*cells));
	size_t i, c;

	for (c = 0; c < cols->n; c++)
		width[c] = 0;
	for (i = 0; i < ko->objs.len; i++) {
		for (c = 0; c < cols->n; c++) {
			struct cell *cell = &cells[i * cols->n + c];
			size_t w;

			cell_make(ko, vec_at(&ko->objs, order ? order[i] : i), cols->idx[c], opts,
				  cell);
			w = cell_width(cell, !encoded(opts));
			if (w > width[c])
				width[c] = w;
		}
	}
	for (c = 0; c < cols->n; c++)
		width[c] = column_width(kind_column(ko->kind, cols->idx[c]), width[c]);
	return cells;
}

/* The text a cell prints within budget (a list's items are done with). */
static char *cell_final_text(struct cell *cell, size_t budget, bool escape)
{
	char *text;

	if (cell->text)
		return cell->text;
	text = cell_list_text(&cell->list, budget, escape, NULL);
	cell_list_free(&cell->list);
	return text;
}

static int scols_flags(int flags)
{
	return ((flags & COL_RIGHT) ? SCOLS_FL_RIGHT : 0) |
	       ((flags & COL_WRAP) ? SCOLS_FL_WRAP : 0);
}

/*
 * The table's columns: KIND first with kind_col (--raw, --pairs: what
 * tells the kinds' rows apart without titles), then those chosen; without
 * fit, none wraps either (--notruncate).
 */
static int table_columns(struct libscols_table *tb, const struct ipc_kind *kind,
			 const struct colsel *cols, bool fit, bool kind_col)
{
	size_t c;

	if (kind_col && !scols_table_new_column(tb, KIND_COLUMN, 4, 0))
		return -ENOMEM;
	for (c = 0; c < cols->n; c++) {
		const struct column *col = kind_column(kind, cols->idx[c]);
		int flags = scols_flags(fit ? col->flags : col->flags & COL_RIGHT);

		if (!scols_table_new_column(tb, col->name, col->whint, flags))
			return -ENOMEM;
	}
	return 0;
}

int table_print_kind(FILE *out, const struct kind_objs *ko, const struct colsel *cols,
		     const struct render_opts *opts, bool title, bool kind_col)
{
	const struct ipc_kind *kind = ko->kind;
	size_t n = ko->objs.len * cols->n, i, c;
	size_t width[COLSEL_MAX], budget[COLSEL_MAX];
	bool fit;
	struct libscols_table *tb;
	size_t lead = kind_col ? 1 : 0;
	_cleanup_free_ size_t *order = NULL;
	struct cell *cells;
	int r = 0;

	if (title && ko->unavailable)
		fprintf(out, "%s: not available (see the warning)\n", kind->title);
	else if (title)
		fprintf(out, "%s: %zu\n", kind->title, ko->objs.len);
	if (ko->objs.len == 0 || cols->n == 0)
		return 0;
	tb = scols_new_table();
	if (!tb)
		return -ENOMEM;
	/* as libsmartcols decides: standard output, whatever stream out is */
	fit = !encoded(opts) && !opts->notruncate && isatty(STDOUT_FILENO);
	if (!fit)
		scols_table_set_termforce(tb, SCOLS_TERMFORCE_NEVER);
	order = rows_order(ko, opts);
	cells = cells_make(ko, cols, order, opts, width);
	if (fit)
		list_budgets(kind, cols, width, scols_table_get_termwidth(tb), budget);
	else
		for (c = 0; c < cols->n; c++)
			budget[c] = SIZE_MAX;
	/*
	 * cells are raw bytes, escaped once: in raw and pairs mode by
	 * libsmartcols (every byte not printable ASCII as \xHH), else by
	 * escape_cell(), libsmartcols' encoding plus the bidi controls it
	 * lets through
	 */
	scols_table_enable_raw(tb, opts->raw);
	/* --pairs: NAME="value", the value escaped as lsblk -P escapes it */
	scols_table_enable_export(tb, opts->pairs);
	scols_table_enable_shellvar(tb, opts->shell);
	scols_table_enable_noencoding(tb, !encoded(opts));
	scols_table_enable_noheadings(tb, opts->noheadings);
	scols_table_set_stream(tb, out);
	for (i = 0; i < n; i++)
		cells[i].text = cell_final_text(&cells[i], budget[i % cols->n], !encoded(opts));
	r = table_columns(tb, kind, cols, fit, kind_col);
	for (i = 0; r == 0 && i < ko->objs.len; i++) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);

		if (ln && kind_col && scols_line_set_data(ln, 0, kind->name) < 0)
			ln = NULL;
		for (c = 0; ln && c < cols->n; c++) {
			struct cell *cell = &cells[i * cols->n + c];

			/* the line takes ownership of the text */
			if (scols_line_refer_data(ln, lead + c, cell->text) < 0)
				ln = NULL;
			else
				cell->text = NULL;
		}
		if (!ln)
			r = -ENOMEM;
	}
	if (r == 0)
		r = scols_print_table(tb);
	for (i = 0; i < n; i++) {
		free(cells[i].text);
		cell_list_free(&cells[i].list);
	}
	free(cells);
	scols_unref_table(tb);
	return r;
}
