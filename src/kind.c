/*
 * What the kinds share: the kind list, column look-up, the SysV collector
 * body and the getter for the ipc_perm columns every SysV object has.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "context.h"
#include "kind.h"
#include "model.h"
#include "owners.h"
#include "sysvipc.h"
#include "xalloc.h"

const struct ipc_kind *const ipc_kinds[KIND_COUNT] = {
	[KIND_SHM] = &shm_kind,
	[KIND_MSG] = &msg_kind,
	[KIND_SEM] = &sem_kind,
	[KIND_FIFO] = &fifo_kind,
	[KIND_PIPE] = &pipe_kind,
	[KIND_PSHM] = &pshm_kind,
	[KIND_PSEM] = &psem_kind,
	[KIND_PMQ] = &pmq_kind,
	[KIND_UNIX] = &unix_kind,
};

int kind_column_index(const struct ipc_kind *kind, const char *name)
{
	size_t i;

	for (i = 0; i < kind->ncolumns; i++)
		if (strcasecmp(kind->columns[i].name, name) == 0)
			return (int)i;
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

struct add_ctx {
	struct kind_objs *ko;
	void (*fixup)(void *obj, const struct sysvipc_layout *layout);
};

static void collect_add(const void *obj, const struct sysvipc_layout *layout, void *userdata)
{
	struct add_ctx *add = userdata;
	void *stored = vec_push(&add->ko->objs, obj);

	if (add->fixup)
		add->fixup(stored, layout);
}

int sysvipc_collect(const struct collect_ctx *ctx, struct kind_objs *ret,
		    void (*fixup)(void *obj, const struct sysvipc_layout *layout))
{
	struct add_ctx add = { .ko = ret, .fixup = fixup };
	struct sysvipc_file_stats stats;
	struct sysvipc_layout layout;
	int fd, r;

	/* the source is absolute; procfd is /proc */
	fd = openat(ctx->procfd, ret->kind->source + strlen("/proc/"),
		    O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	/* read as it is parsed: the text of 32,000 segments is 5 MB */
	r = sysvipc_parse_fd(fd, 65536, ret->kind->fields, ret->kind->nfields, ret->kind->objsize,
			     &layout, &stats, collect_add, &add);
	close(fd);
	if (r < 0) {
		kind_objs_free(ret);
		return r;
	}
	ret->skipped = stats.skipped;
	return 0;
}

void sysv_describe(const void *obj, const struct owners *o, struct ctx_obj *ret)
{
	const struct ipc_common *c = obj;

	ret->has_uid = true;
	ret->uid = c->uid;
	ret->scope = SCOPE_IPC_NS;
	/*
	 * No "created during the scan": a SysV verdict rests on the kernel's
	 * counts and on facts read after the scan, never on the scan alone
	 * (doc/kernel-facts.md, "Snapshot order").
	 */
	(void)o;
	snprintf(ret->label_buf, sizeof(ret->label_buf), "id %d", c->id);
}

void sysv_common_get(const void *obj, size_t col, struct value *ret)
{
	const struct ipc_common *c = obj;

	switch (col) {
	case SYSV_COL_ID:
		VALUE_S64(ret, c->id);
		break;
	case SYSV_COL_KEY:
		VALUE_U32(ret, VAL_KEY, c->key);
		break;
	case SYSV_COL_PERMS:
		VALUE_U32(ret, VAL_PERMS, c->mode & IPC_PERM_BITS);
		break;
	case SYSV_COL_UID:
		VALUE_U64(ret, c->uid);
		break;
	case SYSV_COL_USER:
		VALUE_U32(ret, VAL_USER, c->uid);
		break;
	case SYSV_COL_GID:
		VALUE_U64(ret, c->gid);
		break;
	case SYSV_COL_GROUP:
		VALUE_U32(ret, VAL_GROUP, c->gid);
		break;
	case SYSV_COL_CUID:
		VALUE_U64(ret, c->cuid);
		break;
	case SYSV_COL_CUSER:
		VALUE_U32(ret, VAL_USER, c->cuid);
		break;
	case SYSV_COL_CGID:
		VALUE_U64(ret, c->cgid);
		break;
	case SYSV_COL_CGROUP:
		VALUE_U32(ret, VAL_GROUP, c->cgid);
		break;
	case SYSV_COL_CTIME:
		VALUE_TYPED_S64(ret, VAL_TIME, c->ctime);
		break;
	default:
		value_set(ret, VAL_NULL);
		break;
	}
}
