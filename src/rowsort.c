/*
 * --sort: the order in which a kind's rows are shown, in tables and in
 * JSON alike.  Numbers (ids, pids, sizes, times, counts, a judged pid by
 * its pid) compare as numbers, everything else by its table text, byte by
 * byte; a missing value (null) comes first; rows with equal values keep
 * their order (the order the kind collected them in).  Render only: the
 * snapshot itself is not reordered.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "attrib.h"
#include "model.h"
#include "render.h"
#include "xalloc.h"

/* One row's sort key. */
struct row_key {
	enum { KEY_NULL, KEY_SIGNED, KEY_UNSIGNED, KEY_REAL, KEY_TEXT } type;
	union {
		int64_t s;
		uint64_t u;
		double d;
	} n;
	char *text;
	size_t row;
};

static void row_key(const struct kind_objs *ko, const void *obj, size_t col,
		    const struct render_opts *opts, struct row_key *ret)
{
	const struct ipc_kind *kind = ko->kind;
	struct value v;

	if (kind_column_is_attrib(kind, col)) {	/* UNIT, CONTAINER: text */
		ret->type = KEY_TEXT;
		ret->text = attrib_text(ko, obj, col);
		return;
	}
	kind->get(obj, col, &v);
	switch (v.type) {
	case VAL_NULL:
		ret->type = KEY_NULL;
		return;
	case VAL_S64:
	case VAL_TIME:
	case VAL_DURATION:
		ret->type = KEY_SIGNED;
		ret->n.s = v.u.s64;
		return;
	case VAL_U64:
	case VAL_SIZE:
	case VAL_DEV:
		ret->type = KEY_UNSIGNED;
		ret->n.u = v.u.u64;
		return;
	case VAL_KEY:
	case VAL_PERMS:
		ret->type = KEY_UNSIGNED;
		ret->n.u = v.u.u32;
		return;
	case VAL_BOOL:
		ret->type = KEY_UNSIGNED;
		ret->n.u = v.u.b;
		return;
	case VAL_PERCENT:
		ret->type = KEY_REAL;
		ret->n.d = v.u.percent;
		return;
	case VAL_ACTOR:
		ret->type = v.u.actor->pid ? KEY_SIGNED : KEY_NULL;
		ret->n.s = v.u.actor->pid;
		return;
	case VAL_STR:
	case VAL_USER:
	case VAL_GROUP:
	case VAL_FLAGS:
	case VAL_HOLDERS:
	case VAL_REASONS:
	case VAL_CUSTOM:
		break;
	}
	ret->type = KEY_TEXT;
	if (v.type == VAL_CUSTOM && kind->columns[col].to_text)
		ret->text = kind->columns[col].to_text(obj, opts, NULL);
	else
		ret->text = value_to_text(&v, opts);
}

static int cmp3(int a, int b)
{
	return (a > b) - (a < b);
}

/* Two numbers of possibly different signedness. */
static int cmp_numbers(const struct row_key *a, const struct row_key *b)
{
	if (a->type == KEY_REAL || b->type == KEY_REAL) {
		double x = a->type == KEY_REAL ? a->n.d : a->type == KEY_SIGNED ? (double)a->n.s :
										 (double)a->n.u;
		double y = b->type == KEY_REAL ? b->n.d : b->type == KEY_SIGNED ? (double)b->n.s :
										 (double)b->n.u;

		return (x > y) - (x < y);
	}
	if (a->type == KEY_SIGNED && b->type == KEY_SIGNED)
		return (a->n.s > b->n.s) - (a->n.s < b->n.s);
	if (a->type == KEY_SIGNED && a->n.s < 0)
		return -1;
	if (b->type == KEY_SIGNED && b->n.s < 0)
		return 1;
	{
		uint64_t x = a->type == KEY_SIGNED ? (uint64_t)a->n.s : a->n.u;
		uint64_t y = b->type == KEY_SIGNED ? (uint64_t)b->n.s : b->n.u;

		return (x > y) - (x < y);
	}
}

static int cmp_keys(const void *pa, const void *pb)
{
	const struct row_key *a = pa, *b = pb;
	bool ta = a->type == KEY_TEXT, tb = b->type == KEY_TEXT;
	int r;

	if (a->type == KEY_NULL || b->type == KEY_NULL)
		r = cmp3(a->type != KEY_NULL, b->type != KEY_NULL);
	else if (ta || tb)	/* a column is of one type: this is not met in practice */
		r = ta && tb ? strcmp(a->text, b->text) : cmp3(ta, tb);
	else
		r = cmp_numbers(a, b);
	/* stable: ties keep the collected order */
	return r ? r : (a->row > b->row) - (a->row < b->row);
}

size_t *rows_order(const struct kind_objs *ko, const struct render_opts *opts)
{
	const struct ipc_kind *kind = ko->kind;
	struct row_key *keys;
	size_t *order, i, n = ko->objs.len;
	int col;

	if (!opts->sort || n == 0)
		return NULL;
	col = kind_column_index(kind, opts->sort);
	if (col < 0)
		return NULL;
	keys = xcalloc(n, sizeof(*keys));
	for (i = 0; i < n; i++) {
		row_key(ko, vec_at(&ko->objs, i), (size_t)col, opts, &keys[i]);
		keys[i].row = i;
	}
	qsort(keys, n, sizeof(*keys), cmp_keys);
	order = xreallocarray(NULL, n, sizeof(*order));
	for (i = 0; i < n; i++) {
		order[i] = keys[i].row;
		free(keys[i].text);
	}
	free(keys);
	return order;
}
