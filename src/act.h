/*
 * The act phase: the only code that removes anything (IPC_RMID, unlinkat).
 * Each removal first re-reads that one object and checks it is the same
 * object in the same state as when it was judged; each removal is logged
 * to syslog.
 */
#ifndef IPCINSPECT_ACT_H
#define IPCINSPECT_ACT_H

#include <stdbool.h>
#include <stdint.h>

struct backup_dir;
struct ipc_common;
struct ipc_kind;
struct kind_objs;
struct render_opts;
struct snapshot;

enum act_check {
	ACT_SAME_OBJECT,	/* id, key, creator and ctime (rm --force) */
	ACT_SAME_STATE,		/* and nothing happened since it was judged */
};

enum act_result {
	ACT_REMOVED,
	ACT_MARKED,	/* shm still attached: removed at its last detach */
	ACT_MARKED_IN_USE,	/* shm nobody had attached at the re-check, attached at
				 * IPC_RMID; a file opened between the re-check
				 * and its unlink: gone only when they let go (a
				 * failure) */
	ACT_SKIPPED,	/* it changed since it was judged: left alone */
	ACT_GONE,	/* it no longer exists: nothing to do */
	ACT_FAILED,
};

struct act_outcome {
	enum act_result result;
	char *why;	/* for SKIPPED, GONE and FAILED; caller frees */
	char *backup;	/* the backup entry written, or NULL; caller frees */
};

/* --backup: where and how objects are saved before they go. */
struct act_backup {
	const struct backup_dir *dir;
	const struct snapshot *snap;
	const struct kind_objs *ko;	/* the object's kind, as collected */
	const struct render_opts *ro;
	bool force;	/* rm --force: a queue goes even if its messages cannot be copied */
};

/* Policy of the act phase (struct ipc_kind's policy): data, not kind tests. */
enum {
	/* its age is "unchanged for": use through a mapping changes none of its times */
	KIND_POLICY_AGE_UNCHANGED = 1u << 0,
	/* belongs to an IPC namespace: --all-namespaces reads it inside each one */
	KIND_POLICY_IPC_NS = 1u << 1,
	/* and is read there through a mqueue mount that a process of it sees */
	KIND_POLICY_NS_MQUEUE = 1u << 2,
	/* removing one may strand its owner's KIND_POLICY_STRANDABLE suspects (leftout.h) */
	KIND_POLICY_STRANDS = 1u << 3,
	KIND_POLICY_STRANDABLE = 1u << 4,
	/* its objects are files of /dev/shm (of the mount namespace inspected) */
	KIND_POLICY_DEV_SHM = 1u << 5,
};

/* Whether a kind of kind_mask (1 << enum kind_id bits) has one of the policy bits. */
bool kinds_have_policy(unsigned kind_mask, unsigned policy);

/*
 * What names one object for people, reports, syslog and backups: filled
 * by the kind's identify hook, so that nothing generic reads a kind's
 * struct.  Strings are borrowed from the object.
 */
struct obj_ident {
	bool has_id;		/* SysV: id and key; else path and ino */
	int id;
	uint32_t key;
	const char *path;	/* raw bytes; NULL for SysV */
	uint64_t dev, ino;	/* the file's (0 where a kind has none): both tell it */
	uint32_t uid;		/* the owner */
	bool has_cuid;		/* SysV: the creator */
	uint32_t cuid;
	bool has_size;		/* the bytes it holds (what removing it frees) */
	uint64_t size;
	const char *count_name;	/* syslog: what count counts ("nsems"), or NULL */
	uint64_t count;
	const char *log_noun;	/* syslog: "socket file"; NULL: the kind's name */
	bool cleanable;		/* clean may remove it (a FIFO or socket: only as a file) */
};

/* obj's identity (kind->identify): zeroes, then the kind fills it. */
void act_identify(const struct ipc_kind *kind, const void *obj, struct obj_ident *ret);

/*
 * For the SysV kinds: identify's shared part (id, key, owner, creator),
 * and whether c is still the object of that key, creator and ctime.
 */
void act_sysv_identify(const struct ipc_common *c, struct obj_ident *ret);
bool act_sysv_same(const struct ipc_common *c, uint32_t key, uint32_t cuid, int64_t ctime);

/* What a kind's remove hook is asked to do. */
struct act_req {
	const struct ipc_kind *kind;
	enum act_check check;
	const struct act_backup *bk;	/* --backup, or NULL */
};

/*
 * Removes obj (an object of kind, as judged) after re-checking it; with
 * bk, saves it first (and does not remove it if that fails), then checks
 * again that it is unchanged.  with_syslog: record the removal
 * (LOG_AUTHPRIV, notice).
 */
void act_remove(const struct ipc_kind *kind, const void *obj, enum act_check check,
		const struct act_backup *bk, bool with_syslog, struct act_outcome *ret);

/*
 * "no backup for FIFOs: a FIFO has no content, and --backup removes
 * nothing it cannot save": why an object of kind (which has no backup
 * hook) stays under --backup.  Caller frees.
 */
char *act_no_backup_why(const struct ipc_kind *kind);

/*
 * For the kinds' remove hooks: the shared steps of a removal.
 *
 * act_outcome_set() sets the result, and the why unless why is NULL (a
 * why said earlier stays; why is taken over).  act_failed() turns an
 * errno of what (a call) into the outcome: EINVAL/EIDRM (SysV) and
 * ENOENT (a file removed by someone else, before the re-check or
 * between it and the unlink) gone, EPERM/EACCES "permission denied",
 * else the error.
 */
void act_outcome_set(struct act_outcome *ret, enum act_result r, char *why);
void act_failed(struct act_outcome *ret, int err, const char *what);

/*
 * --backup: saves obj through its kind's backup hook; false (and ret
 * filled) when it must not go: the backup failed, the kernel cannot copy
 * the content and there is no --force, or the kind saw obj used while
 * it read the content (skipped, the entry kept).
 */
bool act_save_first(const struct act_req *req, const void *obj, struct act_outcome *ret);

/*
 * The re-check of a file before it is unlinked: one fresh walk of /proc
 * for an fd on (dev, ino) (and, with maps, a mapping of it), ipcinspect
 * included.  true (and ret filled) when the file must stay; used says
 * what a holder did ("opened").
 */
bool act_file_held(uint64_t dev, uint64_t ino, bool maps, const char *used,
		   struct act_outcome *ret);

/*
 * After the unlink: removed, or, when a walk now finds a holder (it
 * opened the file between the re-check and the unlink), marked in use.
 */
void act_file_after_unlink(uint64_t dev, uint64_t ino, bool maps, struct act_outcome *ret);

/* A file entry clean may unlink, as it was read. */
struct act_file {
	int dirfd;		/* the directory as read */
	const char *entry;	/* the name in it */
	unsigned fmt;		/* S_IFIFO, S_IFREG, ... */
	uint64_t dev, ino;
	uint32_t uid;
	const char *what;	/* for "not the same FIFO any more" */
};

/*
 * The re-stat of f (never through a symlink) before it goes: 0 when it is
 * still a file of that type, (dev, ino) and owner; otherwise -1 with ret
 * filled (gone, the error, or "not the same <what> any more").
 */
int act_file_same(const struct act_file *f, struct act_outcome *ret);

/*
 * The removal of a file that processes hold by fd (and, with maps, by
 * mapping): act_file_same(), act_file_held() (used: "opened"), unlinkat,
 * act_file_after_unlink().
 */
void act_file_unlink(const struct act_file *f, bool maps, const char *used,
		     struct act_outcome *ret);

/*
 * The *_STAT_ANY commands take an index; an id is (seq << 15) + index by
 * default, (seq << 24) + index with ipcmni_extend (doc/kernel-facts.md, "Ids").  The
 * call returns the full id of what is at the index: another id means the
 * object is gone.  Falls back to IPC_STAT (kernels before 4.17).  0 or
 * -errno.
 */
#define ACT_RESTAT(fn, any, id, buf) ({ \
	int _r = -1; \
	for (int _bits = 15; _r != (id) && _bits <= 24; _bits += 9) \
		_r = fn((id) & ((1 << _bits) - 1), any, buf); \
	if (_r != (id)) \
		_r = fn(id, IPC_STAT, buf) == 0 ? (id) : -1; \
	_r == (id) ? 0 : -(errno ? errno : EINVAL); })

#endif
