/*
 * The columns every kind has after its own table: which systemd units
 * and containers the object's processes belong to (UNIT, CONTAINER), from
 * the cgroup of each process's facts (facts.h, cgroup.h).  One table for
 * all kinds, addressed past the end of a kind's own columns: index
 * kind->ncolumns + j is shared column j.  The processes of an object are
 * its holders (every column of type VAL_HOLDERS); without any, its
 * creator (the column "creator", a VAL_ACTOR).
 */
#ifndef IPCINSPECT_ATTRIB_H
#define IPCINSPECT_ATTRIB_H

#include <stddef.h>

#include "column.h"

struct ipc_kind;
struct kind_objs;
struct jw;

enum { ATTRIB_COL_UNIT, ATTRIB_COL_CONTAINER, ATTRIB_NCOLUMNS };

extern const struct column attrib_columns[ATTRIB_NCOLUMNS];

/* The column at idx of kind: its own, or a shared one past them; NULL beyond. */
const struct column *kind_column(const struct ipc_kind *kind, size_t idx);

/* Is idx one of the shared columns of kind? */
static inline bool kind_column_is_attrib(const struct ipc_kind *kind, size_t idx);

/*
 * The cell text of shared column idx for obj of ko: the distinct units
 * (or "RUNTIME:ID12" / "RUNTIME:NAME" containers) of its processes,
 * comma separated, "-" when they have none, "?" without the process scan.
 * Caller frees.
 */
char *attrib_text(const struct kind_objs *ko, const void *obj, size_t idx);

/* The same as a JSON array of strings (null without the process scan). */
void attrib_write_json(struct jw *w, const struct kind_objs *ko, const void *obj, size_t idx);

#include "kind.h"

static inline bool kind_column_is_attrib(const struct ipc_kind *kind, size_t idx)
{
	return idx >= kind->ncolumns && idx < kind->ncolumns + ATTRIB_NCOLUMNS;
}

#endif
