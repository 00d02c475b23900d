/*
 * What every kind shares: column look-up, freeing objects, and the
 * reasons of a verdict in words.  The kind list is registry.c's; what the
 * SysV kinds share is sysvkind.c's.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "act.h"
#include "attrib.h"
#include "context.h"
#include "kind.h"
#include "model.h"
#include "owners.h"
#include "sysvipc.h"
#include "xalloc.h"

int kind_column_index(const struct ipc_kind *kind, const char *name)
{
	size_t i;

	for (i = 0; i < kind->ncolumns; i++)
		if (strcasecmp(kind->columns[i].name, name) == 0)
			return (int)i;
	if (kind == &limits_kind)
		return -1;	/* a table of the namespace's numbers: no processes */
	for (i = 0; i < ATTRIB_NCOLUMNS; i++)
		if (strcasecmp(attrib_columns[i].name, name) == 0)
			return (int)(kind->ncolumns + i);
	return -1;
}

void kind_obj_free(const struct ipc_kind *kind, void *obj)
{
	struct verdict *v = kind_verdict(kind, obj);

	if (kind->free_obj)
		kind->free_obj(obj);
	if (v)
		verdict_free_all(v);
}

void kind_objs_free(struct kind_objs *ko)
{
	size_t i;

	for (i = 0; ko->kind && i < ko->objs.len; i++)
		kind_obj_free(ko->kind, vec_at(&ko->objs, i));
	vec_free(&ko->objs);
	for (i = 0; i < ko->notes.len; i++)
		free(*(char **)vec_at(&ko->notes, i));
	vec_free(&ko->notes);
	ko->skipped = 0;
}

bool kinds_have_policy(unsigned kind_mask, unsigned policy)
{
	size_t i;

	for (i = 0; i < KIND_COUNT; i++)
		if ((kind_mask & (1u << i)) && (ipc_kinds[i]->policy & policy))
			return true;
	return false;
}
