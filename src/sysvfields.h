/*
 * The /proc/sysvipc columns each SysV kind reads, as sysvipc.h field
 * tables over the kinds' structs (model.h).  Apart from the kinds so the
 * parser and its tables link alone (tests/fuzz-sysvipc.c).
 */
#ifndef IPCINSPECT_SYSVFIELDS_H
#define IPCINSPECT_SYSVFIELDS_H

#include <stddef.h>

#include "sysvipc.h"

/* shm's fields, in its table's order: rss and swap are optional */
enum {
	SHM_F_KEY, SHM_F_ID, SHM_F_PERMS, SHM_F_SIZE, SHM_F_CPID, SHM_F_LPID, SHM_F_NATTCH,
	SHM_F_UID, SHM_F_GID, SHM_F_CUID, SHM_F_CGID, SHM_F_ATIME, SHM_F_DTIME, SHM_F_CTIME,
	SHM_F_RSS, SHM_F_SWAP, SHM_NFIELDS
};
#define MSG_NFIELDS 14
#define SEM_NFIELDS 10

extern const struct field_spec sysv_shm_fields[SHM_NFIELDS];
extern const struct field_spec sysv_msg_fields[MSG_NFIELDS];
extern const struct field_spec sysv_sem_fields[SEM_NFIELDS];

#endif
