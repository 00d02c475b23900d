/*
 * Removal: see act.h.  Re-reading one object costs one *_STAT_ANY call
 * (doc/kernel-facts.md, "Re-reading one object": by index, no read
 * permission needed), or IPC_STAT on kernels before 4.17.  The kernel's own
 * answer then decides: EINVAL/EIDRM mean the object is already gone,
 * EPERM/EACCES are reported for that object alone.
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
#include <time.h>
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
 * default, (seq << 24) + index with ipcmni_extend (doc/kernel-facts.md, "Ids").  The
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

/*
 * The re-checks.  Each kind re-reads its object into the same model
 * struct (*_reread: 0 or -errno) and compares that with the evidence
 * (*_same: the same object always; with ACT_SAME_STATE every piece of
 * evidence of its state too; false with ret filled, when names the moment
 * in the reason).  They run right before the removal against the
 * judgement, and with --backup once more after the backup, against what
 * the first re-read showed.
 */
static int shm_reread(const struct shm_seg *was, struct shm_seg *now)
{
	struct shmid_ds ds;
	int r = shm_restat(was->c.id, &ds);

	if (r < 0)
		return r;
	*now = *was;
	now->c.key = (uint32_t)ds.shm_perm.__key;
	now->c.mode = ds.shm_perm.mode;
	now->c.cuid = ds.shm_perm.cuid;
	now->c.ctime = ds.shm_ctime;
	now->nattch = ds.shm_nattch;
	now->cpid = ds.shm_cpid;
	now->lpid = ds.shm_lpid;
	now->atime = ds.shm_atime;
	now->dtime = ds.shm_dtime;
	return 0;
}

static bool shm_same(const struct shm_seg *was, const struct shm_seg *now, enum act_check check,
		     const char *when, struct act_outcome *ret)
{
	/* removed meanwhile but still attached: key 0 and dest (doc/kernel-facts.md, "Removed segments") */
	if ((now->c.mode & SHM_DEST) && !(was->c.mode & SHM_DEST) &&
	    same_perm(&was->c, was->c.key, now->c.cuid, now->c.ctime))
		outcome(ret, ACT_GONE, xstrdup("already removed meanwhile (still attached)"));
	else if (!same_perm(&was->c, now->c.key, now->c.cuid, now->c.ctime))
		outcome(ret, ACT_SKIPPED, xstrdup("not the same segment any more"));
	else if (check == ACT_SAME_STATE && now->nattch != was->nattch)
		outcome(ret, ACT_SKIPPED, xasprintf("nattch is %" PRIu64 " now, was %" PRIu64,
						    now->nattch, was->nattch));
	else if (check == ACT_SAME_STATE &&
		 (now->lpid != was->lpid || now->cpid != was->cpid || now->atime != was->atime ||
		  now->dtime != was->dtime))
		outcome(ret, ACT_SKIPPED, xasprintf("attached or detached %s", when));
	else
		return true;
	return false;
}

/*
 * The copy attached and detached the segment: then the last user is us
 * and both times fall in [start, end]; everything else is as before.
 */
static bool shm_same_after_backup(const struct shm_seg *before, time_t start,
				  struct act_outcome *ret)
{
	struct shm_seg ours = *before, after;
	time_t end = time(NULL);
	int r = shm_reread(before, &after);

	if (r < 0)
		return failed(ret, -r, "re-check"), false;
	ours.lpid = (int)getpid();
	if (after.atime >= start && after.atime <= end && after.dtime >= start &&
	    after.dtime <= end) {
		ours.atime = after.atime;
		ours.dtime = after.dtime;
	}
	return shm_same(&ours, &after, ACT_SAME_STATE, "while it was backed up", ret);
}

/*
 * After IPC_RMID the report says what the kernel shows: gone, removed;
 * still there (dest), marked - and when nobody was attached at the
 * re-check, someone attached in between: marked while in use.
 */
static void shm_after_rmid(const struct shm_seg *s, uint64_t nattch_before,
			   struct act_outcome *ret)
{
	struct shm_seg now;
	int r = shm_reread(s, &now);

	if (r == -EINVAL || r == -EIDRM)
		outcome(ret, ACT_REMOVED, NULL);
	else if (r < 0)
		outcome(ret, ACT_REMOVED, xasprintf("IPC_RMID done, but the re-read after it "
						    "failed: %s", strerror(-r)));
	else if (nattch_before == 0)
		outcome(ret, ACT_MARKED_IN_USE, xasprintf("marked for removal, still attached by "
							  "%" PRIu64, now.nattch));
	else
		outcome(ret, ACT_MARKED, NULL);
}

static void act_shm(const struct shm_seg *s, enum act_check check, const struct act_backup *bk,
		    struct act_outcome *ret)
{
	struct shm_seg now;
	time_t start;
	int r;

	r = shm_reread(s, &now);
	if (r < 0)
		return failed(ret, -r, "re-check");
	if (!shm_same(s, &now, check, "since it was judged", ret))
		return;
	start = time(NULL);
	if (!save_first(bk, &shm_kind, s, ret))
		return;
	if (bk && !shm_same_after_backup(&now, start, ret))
		return;
	if (shmctl(s->c.id, IPC_RMID, NULL) < 0)
		return failed(ret, errno, "IPC_RMID");
	shm_after_rmid(s, now.nattch, ret);
}

static int msg_reread(const struct msg_queue *was, struct msg_queue *now)
{
	struct msqid_ds ds;
	int r = msg_restat(was->c.id, &ds);

	if (r < 0)
		return r;
	*now = *was;
	now->c.key = (uint32_t)ds.msg_perm.__key;
	now->c.cuid = ds.msg_perm.cuid;
	now->c.ctime = ds.msg_ctime;
	now->cbytes = ds.msg_cbytes;
	now->qnum = ds.msg_qnum;
	now->lspid = ds.msg_lspid;
	now->lrpid = ds.msg_lrpid;
	now->stime = ds.msg_stime;
	now->rtime = ds.msg_rtime;
	return 0;
}

static bool msg_same(const struct msg_queue *was, const struct msg_queue *now,
		     enum act_check check, const char *when, struct act_outcome *ret)
{
	if (!same_perm(&was->c, now->c.key, now->c.cuid, now->c.ctime))
		outcome(ret, ACT_SKIPPED, xstrdup("not the same queue any more"));
	else if (check == ACT_SAME_STATE &&
		 (now->lspid != was->lspid || now->lrpid != was->lrpid ||
		  now->stime != was->stime || now->rtime != was->rtime ||
		  now->qnum != was->qnum || now->cbytes != was->cbytes))
		outcome(ret, ACT_SKIPPED, xasprintf("used %s", when));
	else
		return true;
	return false;
}

static void act_msg(const struct msg_queue *q, enum act_check check, const struct act_backup *bk,
		    struct act_outcome *ret)
{
	struct msg_queue now, after;
	int r;

	r = msg_reread(q, &now);
	if (r < 0)
		return failed(ret, -r, "re-check");
	if (!msg_same(q, &now, check, "since it was judged", ret))
		return;
	if (!save_first(bk, &msg_kind, q, ret))
		return;
	/* MSG_COPY takes nothing and changes nothing: the queue must be as it was */
	if (bk && (r = msg_reread(q, &after)) < 0)
		return failed(ret, -r, "re-check");
	if (bk && !msg_same(&now, &after, ACT_SAME_STATE, "while it was backed up", ret))
		return;
	if (msgctl(q->c.id, IPC_RMID, NULL) < 0)
		return failed(ret, errno, "IPC_RMID");
	outcome(ret, ACT_REMOVED, NULL);
}

/* The set and, when was has them, each semaphore's last pid and waiters. */
static int sem_reread(const struct sem_set *was, struct sem_set *now)
{
	struct semid_ds ds;
	size_t i;
	int r = sem_restat(was->c.id, &ds);

	if (r < 0)
		return r;
	*now = *was;
	now->c.key = (uint32_t)ds.sem_perm.__key;
	now->c.cuid = ds.sem_perm.cuid;
	now->c.ctime = ds.sem_ctime;
	now->nsems = ds.sem_nsems;
	now->otime = ds.sem_otime;
	now->sems = NULL;
	if (!was->sems || now->nsems != was->nsems)
		return 0;
	now->sems = xcalloc(now->nsems ? now->nsems : 1, sizeof(*now->sems));
	for (i = 0; i < now->nsems; i++) {
		struct sem_one *o = &now->sems[i];

		o->pid = semctl(was->c.id, (int)i, GETPID);
		o->ncnt = semctl(was->c.id, (int)i, GETNCNT);
		o->zcnt = semctl(was->c.id, (int)i, GETZCNT);
		if (o->pid < 0 || o->ncnt < 0 || o->zcnt < 0) {
			r = -errno;
			free(now->sems);
			now->sems = NULL;
			return r;
		}
	}
	return 0;
}

static bool sem_same(const struct sem_set *was, const struct sem_set *now, enum act_check check,
		     const char *when, struct act_outcome *ret)
{
	size_t i;

	if (!same_perm(&was->c, now->c.key, now->c.cuid, now->c.ctime) ||
	    now->nsems != was->nsems)
		return outcome(ret, ACT_SKIPPED, xstrdup("not the same set any more")), false;
	if (check != ACT_SAME_STATE)
		return true;
	if (now->otime != was->otime)
		return outcome(ret, ACT_SKIPPED, xasprintf("operated on %s", when)), false;
	for (i = 0; was->sems && i < was->nsems; i++)
		if (now->sems[i].pid != was->sems[i].pid || now->sems[i].ncnt != was->sems[i].ncnt ||
		    now->sems[i].zcnt != was->sems[i].zcnt)
			return outcome(ret, ACT_SKIPPED, xasprintf("waited on or used %s", when)),
			       false;
	return true;
}

static void act_sem(const struct sem_set *s, enum act_check check, const struct act_backup *bk,
		    struct act_outcome *ret)
{
	struct sem_set now = { 0 }, after = { 0 };
	union semun arg = { 0 };
	int r;

	r = sem_reread(s, &now);
	if (r < 0)
		failed(ret, -r, "re-check");
	else if (!sem_same(s, &now, check, "since it was judged", ret) ||
		 !save_first(bk, &sem_kind, s, ret))
		;
	/* GETALL changes nothing: the set must be as the re-check saw it, waiters too */
	else if (bk && (r = sem_reread(&now, &after)) < 0)
		failed(ret, -r, "re-check");
	else if (bk && !sem_same(&now, &after, ACT_SAME_STATE, "while it was backed up", ret))
		;
	else if (semctl(s->c.id, 0, IPC_RMID, arg) < 0)
		failed(ret, errno, "IPC_RMID");
	else
		outcome(ret, ACT_REMOVED, NULL);
	free(now.sems);
	free(after.sems);
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

/*
 * The re-check of a file before it is unlinked: one fresh walk of /proc,
 * the same per-process walk as the first scan, ipcinspect included (a
 * file it holds itself, such as its own output, is in use).  true (and
 * ret filled) when the file must stay.
 */
static bool file_held(uint64_t dev, uint64_t ino, bool maps, const char *used,
		      struct act_outcome *ret)
{
	int pid = 0, held = file_holder(dev, ino, maps, &pid);

	if (held == 1 && pid == (int)getpid())
		outcome(ret, ACT_SKIPPED, xstrdup("held open by ipcinspect itself (its own input "
						  "or output)"));
	else if (held == 1)
		outcome(ret, ACT_SKIPPED, xasprintf("%s by a process since it was judged", used));
	else if (held < 0)
		outcome(ret, ACT_SKIPPED, xstrdup("some process could not be read to re-check "
						  "that nobody holds it"));
	return held != 0;
}

/*
 * After the unlink: what the report says is what a walk now shows.  A
 * process that opened or mapped the file between the re-check and the
 * unlink (the window no re-check closes) keeps it alive, unnamed, until
 * it lets go: that is reported, like a segment attached at IPC_RMID.
 */
static void file_after_unlink(uint64_t dev, uint64_t ino, bool maps, struct act_outcome *ret)
{
	int pid = 0;

	if (file_holder(dev, ino, maps, &pid) == 1)
		outcome(ret, ACT_MARKED_IN_USE, xasprintf("unlinked, but process %d opened it "
							  "after the re-check: it lives on, "
							  "unnamed, until it lets go", pid));
	else
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

	if (!f->on_disk)
		return outcome(ret, ACT_FAILED, xstrdup("not a file under a --fifo-dir"));
	if (fstatat(f->dirfd, f->name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? outcome(ret, ACT_GONE, xstrdup("already gone"))
				       : failed(ret, errno, "re-check");
	if (!S_ISFIFO(st.st_mode) || (uint64_t)st.st_dev != f->dev || (uint64_t)st.st_ino != f->ino ||
	    st.st_uid != f->uid)
		return outcome(ret, ACT_SKIPPED, xstrdup("not the same FIFO any more"));
	if (file_held(f->dev, f->ino, false, "opened", ret))
		return;
	if (unlinkat(f->dirfd, f->name, 0) < 0)
		return failed(ret, errno, "unlink");
	file_after_unlink(f->dev, f->ino, false, ret);
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

	if (fstatat(p->dirfd, p->entry, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? outcome(ret, ACT_GONE, xstrdup("already gone"))
				       : failed(ret, errno, "re-check");
	if (!S_ISREG(st.st_mode) || (uint64_t)st.st_dev != p->dev || (uint64_t)st.st_ino != p->ino ||
	    st.st_uid != p->uid)
		return outcome(ret, ACT_SKIPPED, xstrdup("not the same file any more"));
	if (file_held(p->dev, p->ino, kind != &pmq_kind, "opened or mapped", ret))
		return;
	if (unlinkat(p->dirfd, p->entry, 0) < 0)
		return failed(ret, errno, "unlink");
	file_after_unlink(p->dev, p->ino, kind != &pmq_kind, ret);
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
	if (with_syslog && (ret->result == ACT_REMOVED || ret->result == ACT_MARKED ||
			    ret->result == ACT_MARKED_IN_USE))
		log_removal(kind, obj, ret->result != ACT_REMOVED);
}
