/* The SysV kinds' /proc/sysvipc field tables: see sysvfields.h. */
#include "config.h"

#include <stddef.h>

#include "model.h"
#include "msg.h"
#include "sem.h"
#include "shm.h"
#include "sysvfields.h"

#define SHM_FIELD(n, t, m, o) { n, t, offsetof(struct shm_seg, m), o }
const struct field_spec sysv_shm_fields[SHM_NFIELDS] = {
	[SHM_F_KEY] = SHM_FIELD("key", FIELD_KEY, c.key, false),
	[SHM_F_ID] = SHM_FIELD("shmid", FIELD_ID, c.id, false),
	[SHM_F_PERMS] = SHM_FIELD("perms", FIELD_MODE, c.mode, false),
	[SHM_F_SIZE] = SHM_FIELD("size", FIELD_U64, size, false),
	[SHM_F_CPID] = SHM_FIELD("cpid", FIELD_PID, cpid, false),
	[SHM_F_LPID] = SHM_FIELD("lpid", FIELD_PID, lpid, false),
	[SHM_F_NATTCH] = SHM_FIELD("nattch", FIELD_U64, nattch, false),
	[SHM_F_UID] = SHM_FIELD("uid", FIELD_UID, c.uid, false),
	[SHM_F_GID] = SHM_FIELD("gid", FIELD_UID, c.gid, false),
	[SHM_F_CUID] = SHM_FIELD("cuid", FIELD_UID, c.cuid, false),
	[SHM_F_CGID] = SHM_FIELD("cgid", FIELD_UID, c.cgid, false),
	[SHM_F_ATIME] = SHM_FIELD("atime", FIELD_TIME, atime, false),
	[SHM_F_DTIME] = SHM_FIELD("dtime", FIELD_TIME, dtime, false),
	[SHM_F_CTIME] = SHM_FIELD("ctime", FIELD_TIME, c.ctime, false),
	[SHM_F_RSS] = SHM_FIELD("rss", FIELD_U64, rss, true),
	[SHM_F_SWAP] = SHM_FIELD("swap", FIELD_U64, swap, true),
};

#define MSG_FIELD(n, t, m) { n, t, offsetof(struct msg_queue, m), false }
const struct field_spec sysv_msg_fields[MSG_NFIELDS] = {
	MSG_FIELD("key", FIELD_KEY, c.key),
	MSG_FIELD("msqid", FIELD_ID, c.id),
	MSG_FIELD("perms", FIELD_MODE, c.mode),
	MSG_FIELD("cbytes", FIELD_U64, cbytes),
	MSG_FIELD("qnum", FIELD_U64, qnum),
	MSG_FIELD("lspid", FIELD_PID, lspid),
	MSG_FIELD("lrpid", FIELD_PID, lrpid),
	MSG_FIELD("uid", FIELD_UID, c.uid),
	MSG_FIELD("gid", FIELD_UID, c.gid),
	MSG_FIELD("cuid", FIELD_UID, c.cuid),
	MSG_FIELD("cgid", FIELD_UID, c.cgid),
	MSG_FIELD("stime", FIELD_TIME, stime),
	MSG_FIELD("rtime", FIELD_TIME, rtime),
	MSG_FIELD("ctime", FIELD_TIME, c.ctime),
};

#define SEM_FIELD(n, t, m) { n, t, offsetof(struct sem_set, m), false }
const struct field_spec sysv_sem_fields[SEM_NFIELDS] = {
	SEM_FIELD("key", FIELD_KEY, c.key),
	SEM_FIELD("semid", FIELD_ID, c.id),
	SEM_FIELD("perms", FIELD_MODE, c.mode),
	SEM_FIELD("nsems", FIELD_U64, nsems),
	SEM_FIELD("uid", FIELD_UID, c.uid),
	SEM_FIELD("gid", FIELD_UID, c.gid),
	SEM_FIELD("cuid", FIELD_UID, c.cuid),
	SEM_FIELD("cgid", FIELD_UID, c.cgid),
	SEM_FIELD("otime", FIELD_TIME, otime),
	SEM_FIELD("ctime", FIELD_TIME, c.ctime),
};
