/*
 * Removal: see act.h.  Re-reading one object costs one *_STAT_ANY call
 * (KERNEL-NOTES.md 2.1: by index, no read permission needed), or IPC_STAT
 * on kernels before 4.17.  The kernel's own answer then decides:
 * EINVAL/EIDRM mean the object is already gone (2.2), EPERM/EACCES are
 * reported for that object alone.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "act.h"
#include "backup.h"
#include "kind.h"
#include "model.h"
#include "procscan.h"
#include "strutils.h"
#include "unixsock.h"
#include "xalloc.h"

union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
};

/* Sets the result, and the why unless why is NULL (a why said earlier stays). */
static void outcome(struct act_outcome *ret, enum act_result r, char *why)
{
	ret->result = r;
	if (why) {
		free(ret->why);
		ret->why = why;
	}
}

static void failed(struct act_outcome *ret, int err, const char *what)
{
	if (err == EINVAL || err == EIDRM)
		outcome(ret, ACT_GONE, xstrdup("already gone"));
	else if (err == EPERM || err == EACCES)
		outcome(ret, ACT_FAILED, xasprintf("%s: permission denied", what));
	else
		outcome(ret, ACT_FAILED, xasprintf("%s: %s", what, strerror(err)));
}

/*
 * The *_STAT_ANY commands take an index; an id is (seq << 15) + index by
 * default, (seq << 24) + index with ipcmni_extend (KERNEL-NOTES 2.6).  The
 * call returns the full id of what is at the index: another id means the
 * object is gone.  Falls back to IPC_STAT (kernels before 4.17).
 */
#define RESTAT(fn, any, id, buf) ({ \
	int _r = -1; \
	for (int _bits = 15; _r != (id) && _bits <= 24; _bits += 9) \
		_r = fn((id) & ((1 << _bits) - 1), any, buf); \
	if (_r != (id)) \
		_r = fn(id, IPC_STAT, buf) == 0 ? (id) : -1; \
	_r == (id) ? 0 : -(errno ? errno : EINVAL); })

static int shm_restat(int id, struct shmid_ds *ds)
{
	return RESTAT(shmctl, SHM_STAT_ANY, id, ds);
}

static int msg_restat(int id, struct msqid_ds *ds)
{
	return RESTAT(msgctl, MSG_STAT_ANY, id, ds);
}

static int sem_stat(int idx, int cmd, struct semid_ds *ds)
{
	union semun arg = { .buf = ds };

	return semctl(idx, 0, cmd, arg);
}

static int sem_restat(int id, struct semid_ds *ds)
{
	return RESTAT(sem_stat, SEM_STAT_ANY, id, ds);
}

static bool same_perm(const struct ipc_common *c, uint32_t key, uint32_t cuid, int64_t ctime)
{
	return c->key == key && c->cuid == cuid && c->ctime == ctime;
}

/*
 * --backup: saves the object; false (and ret filled) when it must not go:
 * the backup failed, or, for a queue whose messages the kernel cannot
 * copy, there is no --force.
 */
static bool save_first(const struct act_backup *bk, const struct ipc_kind *kind, const void *obj,
		       struct act_outcome *ret)
{
	_cleanup_free_ char *why = NULL;
	int r;

	if (!bk)
		return true;
	r = backup_save(bk->dir, bk->snap, bk->ko, obj, bk->ro, &ret->backup, &why);
	if (r == 0)
		return true;
	if (r == -ENOSYS && kind == &msg_kind && bk->force) {
		ret->why = xasprintf("removed without a backup (--force): %s", why);
		return true;
	}
	outcome(ret, ACT_FAILED, xasprintf("backup: %s", why));
	return false;
}

static void act_shm(const struct shm_seg *s, enum act_check check, const struct act_backup *bk,
		    struct act_outcome *ret)
{
	struct shmid_ds ds, after;
	int r;

	r = shm_restat(s->c.id, &ds);
	if (r < 0)
		return failed(ret, -r, "re-check");
	/* removed meanwhile but still attached: key 0 and dest (KERNEL-NOTES 1.3) */
	if ((ds.shm_perm.mode & SHM_DEST) && !(s->c.mode & SHM_DEST) &&
	    same_perm(&s->c, s->c.key, ds.shm_perm.cuid, ds.shm_ctime))
		return outcome(ret, ACT_GONE, xstrdup("already removed meanwhile (still attached)"));
	if (!same_perm(&s->c, (uint32_t)ds.shm_perm.__key, ds.shm_perm.cuid, ds.shm_ctime))
		return outcome(ret, ACT_SKIPPED, xstrdup("not the same segment any more"));
	if (check == ACT_SAME_STATE) {
		if (ds.shm_nattch != s->nattch)
			return outcome(ret, ACT_SKIPPED, xasprintf("nattch is %" PRIu64 " now, was %" PRIu64,
							    (uint64_t)ds.shm_nattch, s->nattch));
		if (ds.shm_lpid != s->lpid || ds.shm_cpid != s->cpid ||
		    ds.shm_atime != s->atime || ds.shm_dtime != s->dtime)
			return outcome(ret, ACT_SKIPPED, xstrdup("attached or detached since it was judged"));
	}
	if (!save_first(bk, &shm_kind, s, ret))
		return;
	/* the copy attached and detached it: the same nattch, and the last user is us */
	if (bk && (shm_restat(s->c.id, &after) < 0 || after.shm_nattch != ds.shm_nattch ||
		   after.shm_lpid != getpid() ||
		   !same_perm(&s->c, (uint32_t)after.shm_perm.__key, after.shm_perm.cuid,
			      after.shm_ctime)))
		return outcome(ret, ACT_SKIPPED, xstrdup("attached or detached while it was backed up"));
	if (shmctl(s->c.id, IPC_RMID, NULL) < 0)
		return failed(ret, errno, "IPC_RMID");
	outcome(ret, ds.shm_nattch ? ACT_MARKED : ACT_REMOVED, NULL);
}

static bool msg_same(const struct msqid_ds *a, const struct msqid_ds *b)
{
	return a->msg_lspid == b->msg_lspid && a->msg_lrpid == b->msg_lrpid &&
	       a->msg_stime == b->msg_stime && a->msg_rtime == b->msg_rtime &&
	       a->msg_qnum == b->msg_qnum && a->msg_cbytes == b->msg_cbytes;
}

static void act_msg(const struct msg_queue *q, enum act_check check, const struct act_backup *bk,
		    struct act_outcome *ret)
{
	struct msqid_ds ds, after;
	int r;

	r = msg_restat(q->c.id, &ds);
	if (r < 0)
		return failed(ret, -r, "re-check");
	if (!same_perm(&q->c, (uint32_t)ds.msg_perm.__key, ds.msg_perm.cuid, ds.msg_ctime))
		return outcome(ret, ACT_SKIPPED, xstrdup("not the same queue any more"));
	if (check == ACT_SAME_STATE &&
	    (ds.msg_lspid != q->lspid || ds.msg_lrpid != q->lrpid || ds.msg_stime != q->stime ||
	     ds.msg_rtime != q->rtime || ds.msg_qnum != q->qnum))
		return outcome(ret, ACT_SKIPPED, xstrdup("used since it was judged"));
	if (!save_first(bk, &msg_kind, q, ret))
		return;
	/* MSG_COPY takes nothing and changes nothing: the queue must be as it was */
	if (bk && (msg_restat(q->c.id, &after) < 0 || !msg_same(&ds, &after)))
		return outcome(ret, ACT_SKIPPED, xstrdup("used while it was backed up"));
	if (msgctl(q->c.id, IPC_RMID, NULL) < 0)
		return failed(ret, errno, "IPC_RMID");
	outcome(ret, ACT_REMOVED, NULL);
}

/* Whether any semaphore has waiters now, or another last pid; -errno. */
static int sem_changed(const struct sem_set *s)
{
	size_t i;

	for (i = 0; s->sems && i < s->nsems; i++) {
		int pid = semctl(s->c.id, (int)i, GETPID);
		int n = semctl(s->c.id, (int)i, GETNCNT);
		int z = semctl(s->c.id, (int)i, GETZCNT);

		if (pid < 0 || n < 0 || z < 0)
			return -errno;
		if (pid != s->sems[i].pid || n || z)
			return 1;
	}
	return 0;
}

static void act_sem(const struct sem_set *s, enum act_check check, const struct act_backup *bk,
		    struct act_outcome *ret)
{
	struct semid_ds ds, after;
	union semun arg = { 0 };
	int r;

	r = sem_restat(s->c.id, &ds);
	if (r < 0)
		return failed(ret, -r, "re-check");
	if (!same_perm(&s->c, (uint32_t)ds.sem_perm.__key, ds.sem_perm.cuid, ds.sem_ctime) ||
	    ds.sem_nsems != s->nsems)
		return outcome(ret, ACT_SKIPPED, xstrdup("not the same set any more"));
	if (check == ACT_SAME_STATE) {
		if (ds.sem_otime != s->otime)
			return outcome(ret, ACT_SKIPPED, xstrdup("operated on since it was judged"));
		r = sem_changed(s);
		if (r < 0)
			return failed(ret, -r, "re-check of the semaphores");
		if (r)
			return outcome(ret, ACT_SKIPPED, xstrdup("waited on or used since it was judged"));
	}
	if (!save_first(bk, &sem_kind, s, ret))
		return;
	/* no semop (otime) and no SETVAL/SETALL (ctime) while the values were read */
	if (bk && (sem_restat(s->c.id, &after) < 0 || after.sem_otime != ds.sem_otime ||
		   after.sem_ctime != ds.sem_ctime))
		return outcome(ret, ACT_SKIPPED, xstrdup("used while it was backed up"));
	if (semctl(s->c.id, 0, IPC_RMID, arg) < 0)
		return failed(ret, errno, "IPC_RMID");
	outcome(ret, ACT_REMOVED, NULL);
}

/*
 * A FIFO on disk: re-stat the entry in the directory that was read
 * (never through a symlink) and unlink it only if it is still the same
 * FIFO with the same owner.
 */
static void act_fifo(const struct fifo_obj *f, struct act_outcome *ret)
{
	struct stat st;
	int procfd, held;

	if (!f->on_disk)
		return outcome(ret, ACT_FAILED, xstrdup("not a file under a --fifo-dir"));
	if (fstatat(f->dirfd, f->name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? outcome(ret, ACT_GONE, xstrdup("already gone"))
				       : failed(ret, errno, "re-check");
	if (!S_ISFIFO(st.st_mode) || (uint64_t)st.st_dev != f->dev || (uint64_t)st.st_ino != f->ino ||
	    st.st_uid != f->uid)
		return outcome(ret, ACT_SKIPPED, xstrdup("not the same FIFO any more"));
	/* nobody opened it since the scan: one fresh walk of /proc */
	procfd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	held = procfd < 0 ? -errno : procscan_file_is_open(procfd, f->dev, f->ino, false);
	if (procfd >= 0)
		close(procfd);
	if (held == 1)
		return outcome(ret, ACT_SKIPPED, xstrdup("opened by a process since it was judged"));
	if (held < 0)
		return outcome(ret, ACT_SKIPPED, xstrdup("some process could not be read to re-check "
							 "that nobody holds it"));
	if (unlinkat(f->dirfd, f->name, 0) < 0)
		return failed(ret, errno, "unlink");
	outcome(ret, ACT_REMOVED, NULL);
}

/*
 * A POSIX IPC file: re-stat the entry in the directory as read (never
 * through a symlink), then one fresh walk of /proc for an fd on it or a
 * mapping of it, then unlinkat - what shm_unlink, sem_unlink and
 * mq_unlink do.
 */
static void act_posix(const struct ipc_kind *kind, const struct posix_obj *p,
		      struct act_outcome *ret)
{
	struct stat st;
	int procfd, held;

	if (fstatat(p->dirfd, p->entry, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? outcome(ret, ACT_GONE, xstrdup("already gone"))
				       : failed(ret, errno, "re-check");
	if (!S_ISREG(st.st_mode) || (uint64_t)st.st_dev != p->dev || (uint64_t)st.st_ino != p->ino ||
	    st.st_uid != p->uid)
		return outcome(ret, ACT_SKIPPED, xstrdup("not the same file any more"));
	procfd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	held = procfd < 0 ? -errno : procscan_file_is_open(procfd, p->dev, p->ino, kind != &pmq_kind);
	if (procfd >= 0)
		close(procfd);
	if (held == 1)
		return outcome(ret, ACT_SKIPPED, xstrdup("opened or mapped by a process since it was "
							 "judged"));
	if (held < 0)
		return outcome(ret, ACT_SKIPPED, xstrdup("some process could not be read to re-check "
							 "that nobody holds it"));
	if (unlinkat(p->dirfd, p->entry, 0) < 0)
		return failed(ret, errno, "unlink");
	outcome(ret, ACT_REMOVED, NULL);
}

/* Whether some socket of this network namespace is bound to (dev, ino): 1,
 * 0, or -errno when that cannot be known (no sock_diag). */
static int socket_file_bound(uint64_t dev, uint64_t ino)
{
	struct vec sockets;
	size_t i;
	int r = unix_diag_dump(&sockets);

	if (r < 0)
		return r;
	for (i = 0; r == 0 && i < sockets.len; i++) {
		const struct unix_diag_entry *e = vec_at(&sockets, i);

		r = e->has_vfs && e->vfs_dev == dev && e->vfs_ino == ino;
	}
	unix_diag_free(&sockets);
	return r;
}

/*
 * A socket file under a --socket-dir: re-stat the entry in the directory
 * as read, then a fresh sock_diag dump must show no socket bound to it.
 */
static void act_socket_file(const struct unix_obj *u, struct act_outcome *ret)
{
	struct stat st;
	int bound;

	if (!u->on_disk)
		return outcome(ret, ACT_FAILED, xstrdup("a socket some process holds is never "
							"removed"));
	if (fstatat(u->dirfd, u->name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? outcome(ret, ACT_GONE, xstrdup("already gone"))
				       : failed(ret, errno, "re-check");
	if (!S_ISSOCK(st.st_mode) || (uint64_t)st.st_dev != u->vfs_dev ||
	    (uint64_t)st.st_ino != u->vfs_ino || st.st_uid != u->uid)
		return outcome(ret, ACT_SKIPPED, xstrdup("not the same socket file any more"));
	bound = socket_file_bound(u->vfs_dev, u->vfs_ino);
	if (bound == 1)
		return outcome(ret, ACT_SKIPPED, xstrdup("a socket was bound to it since it was "
							 "judged"));
	if (bound < 0)
		return outcome(ret, ACT_SKIPPED, xstrdup("sock_diag cannot be read to re-check "
							 "that no socket is bound to it"));
	if (unlinkat(u->dirfd, u->name, 0) < 0)
		return failed(ret, errno, "unlink");
	outcome(ret, ACT_REMOVED, NULL);
}

static void log_removal(const struct ipc_kind *kind, const void *obj, bool marked)
{
	unsigned uid = (unsigned)getuid();

	openlog("ipcinspect", LOG_PID, LOG_AUTHPRIV);
	if (kind == &shm_kind) {
		const struct shm_seg *s = obj;

		syslog(LOG_NOTICE, "%s shm id=%d key=0x%08" PRIx32 " owner=%" PRIu32
		       " size=%" PRIu64 " by uid=%u%s", marked ? "marked for removal" : "removed",
		       s->c.id, s->c.key, s->c.uid, s->size, uid,
		       marked ? " (still attached: destroyed at its last detach)" : "");
	} else if (kind == &msg_kind) {
		const struct msg_queue *q = obj;

		syslog(LOG_NOTICE, "removed msg id=%d key=0x%08" PRIx32 " owner=%" PRIu32
		       " size=%" PRIu64 " by uid=%u", q->c.id, q->c.key, q->c.uid, q->cbytes, uid);
	} else if (kind == &sem_kind) {
		const struct sem_set *s = obj;

		syslog(LOG_NOTICE, "removed sem id=%d key=0x%08" PRIx32 " owner=%" PRIu32
		       " nsems=%" PRIu64 " by uid=%u", s->c.id, s->c.key, s->c.uid, s->nsems, uid);
	} else if (kind == &fifo_kind) {
		const struct fifo_obj *f = obj;
		_cleanup_free_ char *path = escape_str(f->path, ESCAPE_TERM);

		syslog(LOG_NOTICE, "removed fifo path=%s inode=%" PRIu64 " owner=%" PRIu32 " by uid=%u",
		       path, f->ino, f->uid, uid);
	} else if (kind == &unix_kind) {
		const struct unix_obj *u = obj;
		_cleanup_free_ char *path = escape_str(u->path, ESCAPE_TERM);

		syslog(LOG_NOTICE, "removed socket file path=%s inode=%" PRIu64 " owner=%" PRIu32
		       " by uid=%u", path, u->vfs_ino, u->uid, uid);
	} else if (!kind->sysv) {
		const struct posix_obj *p = obj;
		_cleanup_free_ char *path = escape_str(p->path, ESCAPE_TERM);

		syslog(LOG_NOTICE, "removed %s path=%s inode=%" PRIu64 " owner=%" PRIu32 " by uid=%u",
		       kind->name, path, p->ino, p->uid, uid);
	}
	closelog();
}

void act_remove(const struct ipc_kind *kind, const void *obj, enum act_check check,
		const struct act_backup *bk, bool with_syslog, struct act_outcome *ret)
{
	*ret = (struct act_outcome){ .result = ACT_FAILED };
	if (kind == &shm_kind)
		act_shm(obj, check, bk, ret);
	else if (kind == &msg_kind)
		act_msg(obj, check, bk, ret);
	else if (kind == &sem_kind)
		act_sem(obj, check, bk, ret);
	else if (kind == &fifo_kind && bk)
		outcome(ret, ACT_FAILED, xstrdup("no backup for FIFOs: a FIFO has no content, "
						 "and --backup removes nothing it cannot save"));
	else if (kind == &fifo_kind)
		act_fifo(obj, ret);
	else if ((kind == &pshm_kind || kind == &psem_kind || kind == &pmq_kind) && bk)
		outcome(ret, ACT_FAILED, xasprintf("no backup for %s objects yet: --backup removes "
						   "nothing it cannot save", kind->name));
	else if (kind == &pshm_kind || kind == &psem_kind || kind == &pmq_kind)
		act_posix(kind, obj, ret);
	else if (kind == &unix_kind && bk)
		outcome(ret, ACT_FAILED, xstrdup("no backup for socket files: --backup removes "
						 "nothing it cannot save"));
	else if (kind == &unix_kind)
		act_socket_file(obj, ret);
	else
		ret->why = xasprintf("%s objects cannot be removed", kind->name);
	if (with_syslog && (ret->result == ACT_REMOVED || ret->result == ACT_MARKED))
		log_removal(kind, obj, ret->result == ACT_MARKED);
}
