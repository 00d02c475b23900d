/*
 * Removal: see act.h.  The generic procedure and the steps the kinds'
 * remove hooks share; each kind re-reads, compares and removes its own
 * objects (shm-act.c, msg.c, sem.c, fifo.c, posix.c, unixsock.c).  Re-reading
 * a SysV object costs one *_STAT_ANY call (doc/kernel-facts.md, "Re-reading one
 * object": by index, no read permission needed), or IPC_STAT on kernels before 4.17.  The
 * kernel's own answer then decides: EINVAL/EIDRM (and ENOENT for a file,
 * at the re-check or at the unlink) mean the object is already gone,
 * EPERM/EACCES are reported for that object alone.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "act.h"
#include "backup.h"
#include "kind.h"
#include "model.h"
#include "procscan.h"
#include "strutils.h"
#include "xalloc.h"

void act_outcome_set(struct act_outcome *ret, enum act_result r, char *why)
{
	ret->result = r;
	if (why) {
		free(ret->why);
		ret->why = why;
	}
}

void act_failed(struct act_outcome *ret, int err, const char *what)
{
	/* SysV: no such id, or removed meanwhile; a file: no such name */
	if (err == EINVAL || err == EIDRM || err == ENOENT)
		act_outcome_set(ret, ACT_GONE, xstrdup("already gone"));
	else if (err == EPERM || err == EACCES)
		act_outcome_set(ret, ACT_FAILED, xasprintf("%s: permission denied", what));
	else
		act_outcome_set(ret, ACT_FAILED, xasprintf("%s: %s", what, strerror(err)));
}

bool act_sysv_same(const struct ipc_common *c, uint32_t key, uint32_t cuid, int64_t ctime)
{
	return c->key == key && c->cuid == cuid && c->ctime == ctime;
}

void act_sysv_identify(const struct ipc_common *c, struct obj_ident *ret)
{
	ret->has_id = true;
	ret->id = c->id;
	ret->key = c->key;
	ret->uid = c->uid;
	ret->has_cuid = true;
	ret->cuid = c->cuid;
	ret->cleanable = true;
}

void act_identify(const struct ipc_kind *kind, const void *obj, struct obj_ident *ret)
{
	*ret = (struct obj_ident){ 0 };
	if (kind->identify)
		kind->identify(obj, ret);
}

char *act_no_backup_why(const struct ipc_kind *kind)
{
	if (kind->no_backup)
		return xasprintf("%s, and --backup removes nothing it cannot save",
				 kind->no_backup);
	return xasprintf("no backup for %s objects yet, and --backup removes nothing it "
			 "cannot save", kind->name);
}

bool act_save_first(const struct act_req *req, const void *obj, struct act_outcome *ret)
{
	const struct act_backup *bk = req->bk;
	_cleanup_free_ char *why = NULL;
	int r;

	if (!bk)
		return true;
	r = backup_save(bk->dir, bk->snap, bk->ko, obj, bk->ro, &ret->backup, &why);
	if (r == 0)
		return true;
	if (r > 0) {	/* saved, but used while it was read: it stays */
		act_outcome_set(ret, ACT_SKIPPED, why);
		why = NULL;
		return false;
	}
	if (r == -ENOSYS && req->kind->backup->force_uncopyable && bk->force) {
		ret->why = xasprintf("removed without a backup (--force): %s", why);
		return true;
	}
	act_outcome_set(ret, ACT_FAILED, xasprintf("backup: %s", why));
	return false;
}

/* One fresh walk of /proc for (dev, ino): procscan_file_is_open()'s answer. */
static int file_holder(uint64_t dev, uint64_t ino, bool maps, int *ret_pid)
{
	int procfd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC), held;

	if (procfd < 0)
		return -errno;
	held = procscan_file_is_open(procfd, dev, ino, maps, ret_pid);
	close(procfd);
	return held;
}

bool act_file_held(uint64_t dev, uint64_t ino, bool maps, const char *used,
		   struct act_outcome *ret)
{
	int pid = 0, held = file_holder(dev, ino, maps, &pid);

	if (held == 1)
		act_outcome_set(ret, ACT_SKIPPED, xasprintf("%s by a process since it was judged",
							    used));
	else if (held == -EPERM)
		act_outcome_set(ret, ACT_SKIPPED, xstrdup("/proc hides some processes (hidepid=): "
							  "nobody holding it cannot be re-checked"));
	else if (held < 0)
		act_outcome_set(ret, ACT_SKIPPED, xstrdup("some process could not be read to "
							  "re-check that nobody holds it"));
	return held != 0;
}

void act_file_after_unlink(uint64_t dev, uint64_t ino, bool maps, struct act_outcome *ret)
{
	int pid = 0;

	if (file_holder(dev, ino, maps, &pid) == 1)
		act_outcome_set(ret, ACT_MARKED_IN_USE,
				xasprintf("unlinked, but process %d opened it after the re-check: "
					  "it lives on, unnamed, until it lets go", pid));
	else
		act_outcome_set(ret, ACT_REMOVED, NULL);
}

int act_file_same(const struct act_file *f, struct act_outcome *ret)
{
	struct stat st;

	if (fstatat(f->dirfd, f->entry, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		act_failed(ret, errno, "re-check");
		return -1;
	}
	if ((st.st_mode & S_IFMT) != f->fmt || (uint64_t)st.st_dev != f->dev ||
	    (uint64_t)st.st_ino != f->ino || st.st_uid != f->uid) {
		act_outcome_set(ret, ACT_SKIPPED, xasprintf("not the same %s any more", f->what));
		return -1;
	}
	return 0;
}

void act_file_unlink(const struct act_file *f, bool maps, const char *used,
		     struct act_outcome *ret)
{
	if (act_file_same(f, ret) < 0 || act_file_held(f->dev, f->ino, maps, used, ret))
		return;
	if (unlinkat(f->dirfd, f->entry, 0) < 0)
		return act_failed(ret, errno, "unlink");
	act_file_after_unlink(f->dev, f->ino, maps, ret);
}

/*
 * "removed shm id=5 key=0x0000abcd owner=1000 size=4096 by uid=0", or
 * "removed fifo path=/run/x.fifo inode=42 owner=1000 by uid=0".
 */
static void log_removal(const struct ipc_kind *kind, const void *obj, bool marked)
{
	unsigned uid = (unsigned)getuid();
	const char *what = marked ? "marked for removal" : "removed";
	struct obj_ident id;

	act_identify(kind, obj, &id);
	openlog("ipcinspect", LOG_PID, LOG_AUTHPRIV);
	if (id.has_id) {
		char size[48] = "", count[48] = "";

		if (id.has_size)
			snprintf(size, sizeof(size), " size=%" PRIu64, id.size);
		if (id.count_name)
			snprintf(count, sizeof(count), " %s=%" PRIu64, id.count_name, id.count);
		syslog(LOG_NOTICE, "%s %s id=%d key=0x%08" PRIx32 " owner=%" PRIu32 "%s%s by "
		       "uid=%u%s", what, kind->name, id.id, id.key, id.uid, size, count, uid,
		       marked ? " (still attached: destroyed at its last detach)" : "");
	} else {
		_cleanup_free_ char *path = escape_str(id.path ? id.path : "", ESCAPE_TERM);

		/* the name is gone even when a holder keeps the file: removed */
		syslog(LOG_NOTICE, "removed %s path=%s inode=%" PRIu64 " owner=%" PRIu32 " by uid=%u",
		       id.log_noun ? id.log_noun : kind->name, path, id.ino, id.uid, uid);
	}
	closelog();
}

void act_remove(const struct ipc_kind *kind, const void *obj, enum act_check check,
		const struct act_backup *bk, bool with_syslog, struct act_outcome *ret)
{
	const struct act_req req = { .kind = kind, .check = check, .bk = bk };

	*ret = (struct act_outcome){ .result = ACT_FAILED };
	if (!kind->remove)
		ret->why = xasprintf("%s objects cannot be removed", kind->name);
	else if (bk && !kind->backup)
		act_outcome_set(ret, ACT_FAILED, act_no_backup_why(kind));
	else
		kind->remove(obj, &req, ret);
	if (with_syslog && (ret->result == ACT_REMOVED || ret->result == ACT_MARKED ||
			    ret->result == ACT_MARKED_IN_USE))
		log_removal(kind, obj, ret->result != ACT_REMOVED);
}
