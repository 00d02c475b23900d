/*
 * Kind "shm": System V shared memory segments, from /proc/sysvipc/shm
 * (KERNEL-NOTES.md 1.1-1.4).
 */
#include "config.h"

#include <stddef.h>

#include "kind.h"
#include "model.h"
#include "sysvipc.h"

enum {
	F_KEY, F_ID, F_PERMS, F_SIZE, F_CPID, F_LPID, F_NATTCH, F_UID, F_GID,
	F_CUID, F_CGID, F_ATIME, F_DTIME, F_CTIME, F_RSS, F_SWAP,
};

#define SHM_FIELD(n, t, m, o) { n, t, offsetof(struct shm_seg, m), o }
static const struct field_spec shm_fields[] = {
	[F_KEY] = SHM_FIELD("key", FIELD_KEY, c.key, false),
	[F_ID] = SHM_FIELD("shmid", FIELD_ID, c.id, false),
	[F_PERMS] = SHM_FIELD("perms", FIELD_MODE, c.mode, false),
	[F_SIZE] = SHM_FIELD("size", FIELD_U64, size, false),
	[F_CPID] = SHM_FIELD("cpid", FIELD_PID, cpid, false),
	[F_LPID] = SHM_FIELD("lpid", FIELD_PID, lpid, false),
	[F_NATTCH] = SHM_FIELD("nattch", FIELD_U64, nattch, false),
	[F_UID] = SHM_FIELD("uid", FIELD_UID, c.uid, false),
	[F_GID] = SHM_FIELD("gid", FIELD_UID, c.gid, false),
	[F_CUID] = SHM_FIELD("cuid", FIELD_UID, c.cuid, false),
	[F_CGID] = SHM_FIELD("cgid", FIELD_UID, c.cgid, false),
	[F_ATIME] = SHM_FIELD("atime", FIELD_TIME, atime, false),
	[F_DTIME] = SHM_FIELD("dtime", FIELD_TIME, dtime, false),
	[F_CTIME] = SHM_FIELD("ctime", FIELD_TIME, c.ctime, false),
	[F_RSS] = SHM_FIELD("rss", FIELD_U64, rss, true),
	[F_SWAP] = SHM_FIELD("swap", FIELD_U64, swap, true),
};

enum {
	COL_SIZE = SYSV_NCOMMON, COL_NATTCH, COL_STATUS, COL_CPID, COL_LPID,
	COL_ATIME, COL_DTIME, COL_RSS, COL_SWAP,
};

static const struct column shm_columns[] = {
	SYSV_COMMON_COLUMNS("segment"),
	[COL_SIZE] = { "SIZE", "size", "segment size in bytes", 6, COL_RIGHT, NULL, NULL },
	[COL_NATTCH] = { "NATTCH", "nattch", "number of attachments (mappings, not processes)", 6, COL_RIGHT, NULL, NULL },
	[COL_STATUS] = { "STATUS", "status", "dest (removed, still attached), locked (SHM_LOCK)", 6, 0, NULL, NULL },
	[COL_CPID] = { "CPID", "cpid", "pid of the creator", 6, COL_RIGHT, NULL, NULL },
	[COL_LPID] = { "LPID", "lpid", "pid of the last attach or detach", 6, COL_RIGHT, NULL, NULL },
	[COL_ATIME] = { "ATIME", "atime", "time of the last attach", 11, 0, NULL, NULL },
	[COL_DTIME] = { "DTIME", "dtime", "time of the last detach", 11, 0, NULL, NULL },
	[COL_RSS] = { "RSS", "rss", "resident bytes (null: kernel does not say)", 6, COL_RIGHT, NULL, NULL },
	[COL_SWAP] = { "SWAP", "swap", "swapped-out bytes (null: kernel does not say)", 6, COL_RIGHT, NULL, NULL },
};

static const char *const shm_defaults[] = {
	"ID", "KEY", "USER", "PERMS", "SIZE", "NATTCH", "STATUS", "CPID", "LPID", NULL
};

static void shm_fixup(void *obj, const struct sysvipc_layout *layout)
{
	struct shm_seg *s = obj;

	s->has_rss = sysvipc_layout_has(layout, F_RSS) && sysvipc_layout_has(layout, F_SWAP);
}

static int shm_collect(int procfd, struct kind_objs *ret)
{
	return sysvipc_collect(procfd, "sysvipc/shm", shm_fields,
			       sizeof(shm_fields) / sizeof(shm_fields[0]), ret, shm_fixup);
}

static void shm_get(const void *obj, size_t col, struct value *ret)
{
	const struct shm_seg *s = obj;

	switch (col) {
	case COL_SIZE:
		VALUE_TYPED_U64(ret, VAL_SIZE, s->size);
		break;
	case COL_NATTCH:
		VALUE_U64(ret, s->nattch);
		break;
	case COL_STATUS:
		value_set(ret, VAL_FLAGS);
		if (s->c.mode & SHM_MODE_DEST)
			ret->flags[ret->nflags++] = "dest";
		if (s->c.mode & SHM_MODE_LOCKED)
			ret->flags[ret->nflags++] = "locked";
		break;
	case COL_CPID:
		VALUE_S64(ret, s->cpid);
		break;
	case COL_LPID:
		VALUE_S64(ret, s->lpid);
		break;
	case COL_ATIME:
		VALUE_TYPED_S64(ret, VAL_TIME, s->atime);
		break;
	case COL_DTIME:
		VALUE_TYPED_S64(ret, VAL_TIME, s->dtime);
		break;
	case COL_RSS:
	case COL_SWAP:
		if (s->has_rss)
			VALUE_TYPED_U64(ret, VAL_SIZE, col == COL_RSS ? s->rss : s->swap);
		else
			value_set(ret, VAL_NULL);
		break;
	default:
		sysv_common_get(obj, col, ret);
		break;
	}
}

const struct ipc_kind shm_kind = {
	.name = "shm",
	.title = "Shared memory segments",
	.source = "/proc/sysvipc/shm",
	.columns = shm_columns,
	.ncolumns = sizeof(shm_columns) / sizeof(shm_columns[0]),
	.defaults = shm_defaults,
	.objsize = sizeof(struct shm_seg),
	.sysv = true,
	.collect = shm_collect,
	.get = shm_get,
};
