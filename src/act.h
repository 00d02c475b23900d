/*
 * The act phase: the only code that removes anything (IPC_RMID, unlinkat).
 * Each removal first re-reads that one object and checks it is the same
 * object in the same state as when it was judged; each removal is logged
 * to syslog.
 */
#ifndef IPCINSPECT_ACT_H
#define IPCINSPECT_ACT_H

#include <stdbool.h>

struct backup_dir;
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

/*
 * Removes obj (an object of kind, as judged) after re-checking it; with
 * bk, saves it first (and does not remove it if that fails), then checks
 * again that it is unchanged.  with_syslog: record the removal
 * (LOG_AUTHPRIV, notice).
 */
void act_remove(const struct ipc_kind *kind, const void *obj, enum act_check check,
		const struct act_backup *bk, bool with_syslog, struct act_outcome *ret);

#endif
