/*
 * systemd-logind's RemoveIPC= (logind.conf(5)): when a regular user's
 * last login session ends, logind removes every SysV object the user
 * owns in its IPC namespace and every file the user owns in its /dev/shm
 * and /dev/mqueue, whoever still uses them (systemd#2039, #4532: a
 * PostgreSQL run as a regular user outside a session lost its shared
 * memory when the admin logged out).  System users (uid <= SYS_UID_MAX)
 * and root are spared, and so is a lingering user, who never logs out.
 *
 * This is the collector of that audit: logind's settings as logind reads
 * them (its config and drop-ins, login.defs, the linger directory) from
 * its own root, and which of the processes the output names are in a
 * user's login session (their cgroup, read with their facts: cgroup.h).
 * The parsers are pure functions over text (logindparse.h); removeipc.c
 * weighs the facts.
 */
#ifndef IPCINSPECT_LOGIND_H
#define IPCINSPECT_LOGIND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "logindparse.h"
#include "vec.h"

struct facts;
struct kind_objs;
struct owners;
struct snapshot;

/* systemd's compiled default of SYS_UID_MAX (Debian: 999). */
#define LOGIND_SYS_UID_MAX 999

/* A process the output names that is in a login session of uid. */
struct logind_session_proc {
	int pid;
	uint32_t uid;
};

struct logind_facts {
	int pid;		/* systemd-logind in the inspected namespace; 0: none */
	bool dev_shm;		/* and its /dev/shm is the one inspected */
	bool remove_ipc;	/* RemoveIPC=, default yes */
	uint32_t sys_uid_max;	/* SYS_UID_MAX of login.defs, default 999 */
	struct vec lingering;	/* uint32_t: users who linger, sorted */
	struct vec sessions;	/* struct logind_session_proc, sorted by pid */
	struct vec notes;	/* char *: what could not be read or understood, owned */
};

/*
 * The drop-in directories of logind.conf, highest priority first: a
 * file name in one hides the same name in those after it; the files
 * are then read in the order of their names, after logind.conf.
 */
extern const char *const logind_dropin_dirs[4];

/*
 * Reads logind's settings relative to rootfd (its root directory): its
 * config, drop-ins, login.defs and linger directory.  A file that is
 * missing leaves the default; one that cannot be read is a note.  ret's
 * pid and sessions are left as they are.
 */
void logind_read_config(int rootfd, struct logind_facts *ret);

/*
 * Which of the processes of f are in a login session, from their cgroup
 * (struct proc_facts): into ret->sessions.  No I/O.
 */
void logind_sessions_from_facts(const struct facts *f, struct logind_facts *ret);

/* Whether uid lingers (users lingering never log out). */
bool logind_lingers(const struct logind_facts *lf, uint32_t uid);

void logind_facts_init(struct logind_facts *lf);
void logind_facts_free(struct logind_facts *lf);

/* A user with objects at risk, and how many. */
struct removeipc_user {
	uint32_t uid;
	size_t objects;
};

/*
 * The audit, a pure function of the model and lf: marks every object of
 * kinds (those logind removes: IPC_NS and DEV_SHM policies) that RemoveIPC
 * would take while it is in use or holds data, and no process of its
 * owner's login sessions holds it (VCTX_REMOVEIPC, with owner_uid).  Their
 * owners go into ret_users (struct removeipc_user, sorted by uid).
 * Returns how many objects were marked.
 */
size_t removeipc_judge(struct kind_objs *kinds, size_t nkinds, const struct logind_facts *lf,
		       struct vec *ret_users);

/*
 * The whole audit of a snapshot judged with its process scan: finds
 * systemd-logind in the namespace inspected, reads its settings from its
 * root and the sessions of the processes named, marks the objects at risk
 * and adds a warning per user.  Nothing without a logind or with
 * RemoveIPC=no.
 */
void removeipc_audit(struct snapshot *s, int procfd);

#endif
