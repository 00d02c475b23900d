/*
 * Kind "shm", the act phase: the re-checks and the removal of a segment,
 * what identifies it in reports, and its backup and restore hooks
 * (struct kind_backup).  The kind itself, its listing and its judge are
 * in shm.c, whose struct ipc_kind points here.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <time.h>
#include <unistd.h>

#include "act.h"
#include "backup.h"
#include "jsonw.h"
#include "kind.h"
#include "model.h"
#include "restore.h"
#include "shm.h"
#include "xalloc.h"

/* ---- the act phase: removal ---- */

static int shm_restat(int id, struct shmid_ds *ds)
{
	return ACT_RESTAT(shmctl, SHM_STAT_ANY, id, ds);
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
	    act_sysv_same(&was->c, was->c.key, now->c.cuid, now->c.ctime))
		act_outcome_set(ret, ACT_GONE,
				xstrdup("already removed meanwhile (still attached)"));
	else if (!act_sysv_same(&was->c, now->c.key, now->c.cuid, now->c.ctime))
		act_outcome_set(ret, ACT_SKIPPED, xstrdup("not the same segment any more"));
	else if (check == ACT_SAME_STATE && now->nattch != was->nattch)
		act_outcome_set(ret, ACT_SKIPPED, xasprintf("nattch is %" PRIu64 " now, was "
							    "%" PRIu64, now->nattch, was->nattch));
	else if (check == ACT_SAME_STATE &&
		 (now->lpid != was->lpid || now->cpid != was->cpid || now->atime != was->atime ||
		  now->dtime != was->dtime))
		act_outcome_set(ret, ACT_SKIPPED, xasprintf("attached or detached %s", when));
	else
		return true;
	return false;
}

/*
 * After the backup's own checks (shm_held_used): the copy attached and
 * detached the segment, so the last user is us and both times fall in
 * [start, end]; everything else is as before.  This also sees what
 * happened between our detach and now.
 */
static bool shm_same_after_backup(const struct shm_seg *before, time_t start,
				  struct act_outcome *ret)
{
	struct shm_seg ours = *before, after;
	time_t end = time(NULL);
	int r = shm_reread(before, &after);

	if (r < 0)
		return act_failed(ret, -r, "re-check"), false;
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
		act_outcome_set(ret, ACT_REMOVED, NULL);
	else if (r < 0)
		act_outcome_set(ret, ACT_REMOVED, xasprintf("IPC_RMID done, but the re-read after "
							    "it failed: %s", strerror(-r)));
	else if (nattch_before == 0)
		act_outcome_set(ret, ACT_MARKED_IN_USE,
				xasprintf("marked for removal, still attached by %" PRIu64,
					  now.nattch));
	else
		act_outcome_set(ret, ACT_MARKED, NULL);
}

void shm_remove(const void *obj, const struct act_req *req, struct act_outcome *ret)
{
	const struct shm_seg *s = obj;
	const struct act_backup *bk = req->bk;
	struct shm_seg now;
	time_t start;
	int r;

	r = shm_reread(s, &now);
	if (r < 0)
		return act_failed(ret, -r, "re-check");
	if (!shm_same(s, &now, req->check, "since it was judged", ret))
		return;
	start = time(NULL);
	/* saved as re-read: the backup's checks start from there */
	if (!act_save_first(req, &now, ret))
		return;
	if (bk && !shm_same_after_backup(&now, start, ret))
		return;
	if (shmctl(s->c.id, IPC_RMID, NULL) < 0)
		return act_failed(ret, errno, "IPC_RMID");
	shm_after_rmid(s, now.nattch, ret);
}

void shm_identify(const void *obj, struct obj_ident *ret)
{
	const struct shm_seg *s = obj;

	act_sysv_identify(&s->c, ret);
	ret->has_size = true;
	ret->size = s->size;
}

/* ---- the act phase: backup and restore ---- */

/*
 * The backup's read-only attachment, and what it must leave alone: the
 * segment as re-checked right before the backup (was) and as re-read
 * right after our attach (at, at_err).
 */
struct shm_held {
	struct shm_seg was, at;
	int at_err;
};

/* The segment attached read-only: the data file is written from it. */
static int shm_backup_read(const void *obj, struct backup_content *ret, char **ret_why)
{
	const struct shm_seg *s = obj;
	struct shm_held *h;
	void *p = shmat(s->c.id, NULL, SHM_RDONLY);

	if (p == (void *)-1) {
		int e = errno;

		*ret_why = xasprintf("shmat (read-only): %s", strerror(e));
		return -e;
	}
	h = xmalloc(sizeof(*h));
	h->was = *s;
	h->at_err = shm_reread(s, &h->at);
	ret->data = p;
	ret->bytes = (size_t)s->size;
	ret->priv = h;
	return 0;
}

/*
 * How the segment was used while the backup had it attached, or NULL.
 * Every attach and detach makes its process lpid (doc/kernel-facts.md,
 * "What an attach and a detach record"), and our attachment lasts the
 * whole copy, so nobody else attached or detached exactly when: right
 * after our attach nattch is one more than before, dtime as before and
 * lpid ours; right before our detach all is as right after the attach;
 * right after it lpid is ours, nattch as before and atime still our
 * attach's.  A removal meanwhile, another identity and a re-read failing
 * after the detach are for the re-check that follows
 * (shm_same_after_backup).
 */
static char *shm_held_used(const struct shm_held *h, int held_err, const struct shm_seg *held,
			   int after_err, const struct shm_seg *after)
{
	const struct shm_seg *was = &h->was, *at = &h->at;
	int us = (int)getpid(), err = h->at_err < 0 ? h->at_err : held_err;
	uint64_t n;

	if (err < 0)
		return xasprintf("re-read while it was backed up: %s", strerror(-err));
	if ((held->c.mode & SHM_DEST) && !(was->c.mode & SHM_DEST))
		return NULL;
	n = after_err < 0 ? held->nattch - (held->nattch > 0) : after->nattch;
	if (n != was->nattch)
		return xasprintf("nattch is %" PRIu64 " now, was %" PRIu64, n, was->nattch);
	if (at->nattch != was->nattch + 1 || at->lpid != us || at->dtime != was->dtime ||
	    held->nattch != at->nattch || held->lpid != us || held->atime != at->atime ||
	    held->dtime != at->dtime ||
	    (after_err == 0 && (after->lpid != us || after->atime != at->atime)))
		return xstrdup("attached or detached while it was backed up");
	return NULL;
}

/* Detached, after a look right before and right after: c->used. */
static void shm_backup_release(struct backup_content *c)
{
	struct shm_held *h = c->priv;
	struct shm_seg held, after;
	int held_err, after_err;

	if (!c->data)
		return;
	held_err = shm_reread(&h->was, &held);
	shmdt(c->data);
	after_err = shm_reread(&h->was, &after);
	c->used = shm_held_used(h, held_err, &held, after_err, &after);
	free(h);
	c->priv = NULL;
}

static void shm_backup_write_ipc(struct jw *w, const void *obj, const struct backup_content *c)
{
	(void)c;
	backup_write_ipc_common(w, obj);
	jw_key(w, "size");
	jw_u64(w, ((const struct shm_seg *)obj)->size);
}

static int shm_key_holder(uint32_t key)
{
	return shmget((key_t)key, 0, 0);
}

static int shm_remove_id(int id)
{
	return shmctl(id, IPC_RMID, NULL) < 0 ? -errno : 0;
}

static int shm_live_use(int id, unsigned *ret_uid, char **ret_use)
{
	struct shmid_ds ds;

	if (shmctl(id, IPC_STAT, &ds) < 0)
		return -errno;
	*ret_uid = ds.shm_perm.uid;
	*ret_use = ds.shm_nattch ? xasprintf("nattch %" PRIu64, (uint64_t)ds.shm_nattch) : NULL;
	return 0;
}

static int shm_create(const struct restore_entry *e, int flags, int *ret_id, char **ret_why)
{
	struct shmid_ds ds;
	void *p;
	int r, id = shmget((key_t)e->m.key, (size_t)e->m.size, flags);

	if (id < 0)
		return restore_call_failed("shmget", ret_why);
	*ret_id = id;
	p = shmat(id, NULL, 0);
	if (p == (void *)-1)
		return restore_call_failed("shmat", ret_why);
	r = restore_fill(e, p, (size_t)e->m.size, ret_why);
	shmdt(p);
	if (r < 0)
		return r;
	if (shmctl(id, IPC_STAT, &ds) < 0)
		return restore_call_failed("shmctl IPC_STAT", ret_why);
	r = restore_set_perm(e, &ds.shm_perm, ret_why);
	if (r == 0 && shmctl(id, IPC_SET, &ds) < 0)
		r = restore_call_failed("setting the owner and mode", ret_why);
	return r;
}

const struct kind_backup shm_backup = {
	.has_data = true,
	.read = shm_backup_read,
	.release = shm_backup_release,
	.write_ipc = shm_backup_write_ipc,
	.key_holder = shm_key_holder,
	.remove_id = shm_remove_id,
	.live_use = shm_live_use,
	.create = shm_create,
};
