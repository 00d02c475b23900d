/*
 * What the three SysV kinds (shm, msg, sem) share: the body of their
 * collectors (one read of /proc/sysvipc/NAME with the kind's field
 * table), the getter of the ipc_perm columns and the context pass's
 * describe hook.  Declared in kind.h.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "context.h"
#include "kind.h"
#include "model.h"
#include "sysvipc.h"

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
