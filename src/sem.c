/*
 * Kind "sem": System V semaphore sets, from /proc/sysvipc/sem, plus each
 * semaphore's value, last pid and waiter counts from semctl
 * (doc/kernel-facts.md, "Semaphore values"): those need read permission,
 * so a set we may not read (or that went away meanwhile) is still listed, with semaphores null and the
 * reason.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/sem.h>

#include "act.h"
#include "backup.h"
#include "jsonw.h"
#include "kind.h"
#include "model.h"
#include "owners.h"
#include "restore.h"
#include "sem.h"
#include "sysvfields.h"
#include "sysvipc.h"
#include "xalloc.h"

union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
	struct seminfo *info;	/* SEM_INFO */
};

/*
 * Reads every semaphore of s with semctl.  Returns 0, or -errno: the set
 * is gone (-EINVAL, -EIDRM, or -ESTALE: the id is another set's now) or
 * may not be read (-EACCES).
 */
static int sem_read_values(struct sem_set *s)
{
	_cleanup_free_ unsigned short *vals = NULL;
	struct sem_one *sems;
	union semun arg;
	size_t i;

	struct semid_ds ds;

	/*
	 * GETALL writes as many values as the kernel's set has: make sure that
	 * is the count we read from /proc before sizing the buffer by it.
	 */
	arg.buf = &ds;
	if (semctl(s->c.id, 0, IPC_STAT, arg) < 0)
		return -errno;
	if (ds.sem_nsems != s->nsems)
		return -ESTALE;	/* another set holds the id now */
	vals = xcalloc(s->nsems, sizeof(*vals));
	arg.array = vals;
	if (semctl(s->c.id, 0, GETALL, arg) < 0)
		return -errno;
	sems = xcalloc(s->nsems, sizeof(*sems));
	for (i = 0; i < s->nsems; i++) {
		int pid = 0, ncnt = 0, zcnt = 0;

		/* each checked as it returns: the errno is the first failure's */
		if ((pid = semctl(s->c.id, (int)i, GETPID)) < 0 ||
		    (ncnt = semctl(s->c.id, (int)i, GETNCNT)) < 0 ||
		    (zcnt = semctl(s->c.id, (int)i, GETZCNT)) < 0) {
			int e = errno;

			free(sems);
			return -e;
		}
		sems[i] = (struct sem_one){ .value = vals[i], .pid = pid, .ncnt = ncnt, .zcnt = zcnt,
					    .last = { .pid = pid } };
	}
	s->sems = sems;
	return 0;
}

static void sem_free_obj(void *obj)
{
	struct sem_set *s = obj;

	free(s->sems);
	s->sems = NULL;
}

/* The sets [from, to) of a listing, read by one thread. */
struct sem_part {
	struct kind_objs *ko;
	size_t from, to;
};

/*
 * A set removed between reading /proc and semctl stays listed, as a
 * segment or queue removed meanwhile does: the snapshot is the /proc
 * text, and semaphores_error says why its details are missing.
 */
static void *sem_read_part(void *arg)
{
	const struct sem_part *p = arg;
	size_t i;

	for (i = p->from; i < p->to; i++) {
		struct sem_set *s = vec_at(&p->ko->objs, i);
		int r = sem_read_values(s);

		s->sems_errno = r < 0 ? -r : 0;
	}
	return NULL;
}

/*
 * A set whose semaphores could not be read for a reason other than
 * permission (data: SEM-ERROR) or a race with its removal (EIO, ENOMEM,
 * EINTR...) is unknown, so kept by clean: the reader is told, with a
 * warning naming the set and the error.  After the reading threads.
 */
static void sem_note_read_errors(struct kind_objs *ko)
{
	size_t i;

	for (i = 0; i < ko->objs.len; i++) {
		const struct sem_set *s = vec_at(&ko->objs, i);
		char *note;

		switch (s->sems_errno) {
		case 0:
		case EACCES:
		case EPERM:
		case EINVAL:
		case EIDRM:
		case ESTALE:
			continue;
		}
		note = xasprintf("semaphore set %d: semctl failed: %s: its semaphores and "
				 "verdict are unknown", s->c.id, strerror(s->sems_errno));
		vec_push(&ko->notes, &note);
	}
}

/*
 * From this many sets on, the second half is read by a thread of its
 * own: 14 semctl calls per set of 4 are the largest single cost of a
 * listing (a third of it at 32,000 sets), and each set is independent.
 * What it buys could not be measured on the shared two cores of issue
 * 14 (`make bench`'s large load, `-t sem --no-owners`, paired: 0.99x
 * under a load of 14-22, where no thread pays): kept for an idle
 * machine, where the halves run at once.
 */
#define SEM_SPLIT_AT 1024

static int sem_collect(const struct collect_ctx *ctx, struct kind_objs *ret)
{
	struct sem_part first = { ret, 0, 0 }, second = { ret, 0, 0 };
	bool threaded = false;
	pthread_t thread;
	int r;

	r = sysvipc_collect(ctx, ret, NULL);
	if (r < 0)
		return r;
	first.to = ret->objs.len;
	if (ret->objs.len >= SEM_SPLIT_AT) {
		first.to = second.from = ret->objs.len / 2;
		second.to = ret->objs.len;
		threaded = pthread_create(&thread, NULL, sem_read_part, &second) == 0;
		if (!threaded)
			first.to = ret->objs.len;
	}
	sem_read_part(&first);
	if (threaded)
		pthread_join(thread, NULL);
	sem_note_read_errors(ret);
	return 0;
}

/*
 * From SEM_INFO's counts of sets and semaphores: per set a line, IPC_STAT
 * and GETALL, and per semaphore three semctl calls (sem_read_values).
 */
static size_t sem_estimate(const struct collect_ctx *ctx)
{
	struct seminfo info;
	union semun arg = { .info = &info };

	(void)ctx;
	if (semctl(0, 0, SEM_INFO, arg) < 0)
		return 0;
	return 3 * (size_t)info.semusz + 3 * (size_t)info.semaem;
}

/* Fixed English reasons: strerror() would change the JSON with the locale. */
static const char *sem_error_text(int e)
{
	switch (e) {
	case EACCES:
	case EPERM:
		return "permission denied";
	case EINVAL:
	case EIDRM:
		return "removed during the scan";
	case ESTALE:
		return "semctl and /proc disagree on the number of semaphores";
	default:
		return "semctl failed";
	}
}

static void sems_write_json(struct jw *w, const void *obj, const struct render_opts *opts)
{
	const struct sem_set *s = obj;
	size_t i;

	(void)opts;
	if (!s->sems) {
		jw_null(w);
		return;
	}
	jw_arr_begin(w);
	for (i = 0; i < s->nsems; i++) {
		jw_obj_begin(w);
		jw_key(w, "num");
		jw_u64(w, i);
		jw_key(w, "value");
		jw_s64(w, s->sems[i].value);
		jw_key(w, "pid");
		jw_s64(w, s->sems[i].pid);
		jw_key(w, "ncnt");
		jw_s64(w, s->sems[i].ncnt);
		jw_key(w, "zcnt");
		jw_s64(w, s->sems[i].zcnt);
		jw_key(w, "last");
		actor_write_json(w, &s->sems[i].last);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

/* "1,0,5": the values, in order; as a list, one item each. */
static char *sems_to_text(const void *obj, const struct render_opts *opts,
			  struct cell_list *ret_list)
{
	const struct sem_set *s = obj;
	char *out, *o;
	size_t i;

	(void)opts;
	if (!s->sems)
		return xstrdup("-");
	if (ret_list && s->nsems > 0) {
		ret_list->sep = ",";
		ret_list->total = true;
		for (i = 0; i < s->nsems; i++)
			cell_list_add(ret_list, xasprintf("%d", s->sems[i].value));
		return NULL;
	}
	out = o = xmalloc(s->nsems * 12 + 1);
	for (i = 0; i < s->nsems; i++)
		o += sprintf(o, "%s%d", i ? "," : "", s->sems[i].value);
	return out;
}

enum {
	COL_NSEMS = SYSV_NCOMMON, COL_OTIME, COL_WAITERS, COL_SEMAPHORES, COL_SEM_ERROR,
	COL_VERDICT,
};

static const struct column sem_columns[] = {
	SYSV_COMMON_COLUMNS("set"),
	[COL_NSEMS] = { "NSEMS", "nsems", "number of semaphores in the set", 5, COL_RIGHT, NULL, NULL, COLT_INTEGER },
	[COL_OTIME] = { "OTIME", "otime", "time of the last semop", 11, 0, NULL, NULL, COLT_TIME },
	[COL_WAITERS] = { "WAITERS", "waiters", "processes blocked in semop (sum of ncnt and zcnt)", 7, COL_RIGHT, NULL, NULL, COLT_INTEGER },
	[COL_SEMAPHORES] = { "SEMAPHORES", "semaphores", "each semaphore: num, value, pid, ncnt, zcnt, last (its pid judged); table: the values", 0.2, COL_LIST, sems_write_json, sems_to_text, COLT_ARRAY },
	[COL_SEM_ERROR] = { "SEM-ERROR", "semaphores_error", "why the semaphores could not be read", 0.1, COL_WRAP, NULL, NULL, COLT_STRING },
	VERDICT_COLUMNS,
};

static const char *const sem_orphan_defaults[] = {
	"ID", "KEY", "USER", "NSEMS", "AGE", "VERDICT", "REASONS", NULL
};

static const char *const sem_defaults[] = {
	"ID", "KEY", "USER", "PERMS", "NSEMS", "WAITERS", "OTIME", "SEMAPHORES", NULL
};

static void sem_get(const void *obj, size_t col, struct value *ret)
{
	const struct sem_set *s = obj;
	uint64_t waiters = 0;
	size_t i;

	switch (col) {
	case COL_NSEMS:
		VALUE_U64(ret, s->nsems);
		break;
	case COL_OTIME:
		VALUE_TYPED_S64(ret, VAL_TIME, s->otime);
		break;
	case COL_WAITERS:
		if (!s->sems) {
			value_set(ret, VAL_NULL);
			break;
		}
		for (i = 0; i < s->nsems; i++)
			waiters += (uint64_t)s->sems[i].ncnt + (uint64_t)s->sems[i].zcnt;
		VALUE_U64(ret, waiters);
		break;
	case COL_SEMAPHORES:
		value_set(ret, VAL_CUSTOM);
		break;
	case COL_VERDICT:
	case COL_VERDICT + VCOL_REASONS:
	case COL_VERDICT + VCOL_AGE:
		verdict_get(&sem_kind, &s->verdict, col - COL_VERDICT, ret);
		break;
	case COL_SEM_ERROR:
		if (s->sems)
			value_set(ret, VAL_NULL);
		else
			VALUE_STR(ret, sem_error_text(s->sems_errno));
		break;
	default:
		sysv_common_get(obj, col, ret);
		break;
	}
}

static void sem_gather(const void *obj, const struct owners *o, struct gather *g)
{
	const struct sem_set *s = obj;
	size_t i;

	(void)o;
	for (i = 0; s->sems && i < s->nsems; i++)
		owners_want(&g->pids, s->sems[i].pid);
	gather_time(g, s->c.ctime);
	gather_time(g, s->otime);
}

/* sem's own reasons, and its role: the last user of one semaphore. */
enum {
	SEM_R_UNREADABLE = REASON_KIND,	/* aux: the errno */
	SEM_R_WAITING,			/* n: processes waiting */
	SEM_R_NEVER_OPERATED,
};
#define SEM_ROLE_LAST_USER ROLE_KIND	/* aux: the semaphore's index */

static void sem_reason_text(const struct reason *r, char *buf, size_t size)
{
	switch (r->code) {
	case REASON_ROLE_WORDS:
		snprintf(buf, size, "semaphore #%" PRIu32 ": last user", r->aux);
		break;
	case SEM_R_UNREADABLE:
		snprintf(buf, size, "semaphores could not be read: %s", sem_error_text((int)r->aux));
		break;
	case SEM_R_WAITING:
		snprintf(buf, size, "%" PRIu64 " process%s waiting", r->n, r->n == 1 ? "" : "es");
		break;
	case SEM_R_NEVER_OPERATED:
		snprintf(buf, size, "no semaphore was ever operated on");
		break;
	}
}

/*
 * A set is never a proven orphan: a process that holds SEM_UNDO
 * adjustments or knows the key leaves no trace (RemoveIPC's mistake).
 * Waiters or a live last user are evidence of use.
 */
static void sem_decide(void *obj, const struct owners *o, struct verdict_work *w)
{
	struct sem_set *s = obj;
	uint64_t waiters = 0;
	bool acted = false;
	size_t i, k;

	verdict_set_age(w->v, o->now, s->c.ctime, s->otime, 0, 0);
	if (!s->sems) {
		verdict_reason(w, SEM_R_UNREADABLE)->aux = (uint32_t)s->sems_errno;
		w->unknown = true;
		verdict_finish(w, VERDICT_SUSPECT);
		return;
	}
	for (i = 0; i < s->nsems; i++)
		waiters += (uint64_t)s->sems[i].ncnt + (uint64_t)s->sems[i].zcnt;
	if (waiters)
		verdict_reason(w, SEM_R_WAITING)->n = waiters;
	w->in_use |= waiters > 0;
	/* each distinct last user once */
	for (i = 0; i < s->nsems; i++) {
		for (k = 0; k < i && s->sems[k].pid != s->sems[i].pid; k++)
			;
		if (k < i)
			continue;
		acted |= verdict_note_actor(w, SEM_ROLE_LAST_USER, (uint32_t)i, &s->sems[i].last);
	}
	if (!acted)
		verdict_reason(w, SEM_R_NEVER_OPERATED);
	verdict_finish(w, VERDICT_SUSPECT);
}

static void sem_judge(void *obj, const struct owners *o)
{
	struct sem_set *s = obj;
	struct verdict_work w;
	const char *event;
	int64_t t;
	size_t i;

	/*
	 * A semaphore's pid last acted by semop, SETVAL/SETALL or exit undo.
	 * Pid 0 is a semaphore nobody touched: the set's otime and ctime say
	 * nothing about one semaphore (ctime is set at creation, otime by an
	 * operation on any of them), so they cannot stand for its time.  (An
	 * operation from another pid namespace also leaves 0; nothing tells
	 * the two apart, and sets are never orphans, only suspects.)
	 */
	event_latest(s->otime, "otime", s->c.ctime, "ctime", &t, &event);
	for (i = 0; s->sems && i < s->nsems; i++)
		actor_judge(o, s->sems[i].pid, s->sems[i].pid ? t : 0, event, &s->sems[i].last);
	verdict_begin(&w, &s->verdict, s, sizeof(*s), o->arena);
	sem_decide(s, o, &w);
}

static bool sem_involves(const void *obj, int pid)
{
	const struct sem_set *s = obj;
	size_t i;

	for (i = 0; s->sems && i < s->nsems; i++)
		if (actor_is(&s->sems[i].last, pid))
			return true;
	return false;
}

/* ---- the act phase: removal ---- */

static int sem_stat(int idx, int cmd, struct semid_ds *ds)
{
	union semun arg = { .buf = ds };

	return semctl(idx, 0, cmd, arg);
}

static int sem_restat(int id, struct semid_ds *ds)
{
	return ACT_RESTAT(sem_stat, SEM_STAT_ANY, id, ds);
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

		/* each checked as it comes: errno is the failed call's */
		if ((o->pid = semctl(was->c.id, (int)i, GETPID)) < 0 ||
		    (o->ncnt = semctl(was->c.id, (int)i, GETNCNT)) < 0 ||
		    (o->zcnt = semctl(was->c.id, (int)i, GETZCNT)) < 0) {
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
	const struct sem_one *a = was->sems, *b = now->sems;
	size_t i;

	if (!act_sysv_same(&was->c, now->c.key, now->c.cuid, now->c.ctime) ||
	    now->nsems != was->nsems)
		return act_outcome_set(ret, ACT_SKIPPED, xstrdup("not the same set any more")),
		       false;
	if (check != ACT_SAME_STATE)
		return true;
	if (now->otime != was->otime)
		return act_outcome_set(ret, ACT_SKIPPED, xasprintf("operated on %s", when)), false;
	for (i = 0; a && i < was->nsems; i++)
		if (b[i].pid != a[i].pid || b[i].ncnt != a[i].ncnt || b[i].zcnt != a[i].zcnt)
			return act_outcome_set(ret, ACT_SKIPPED,
					       xasprintf("waited on or used %s", when)), false;
	return true;
}

static void sem_remove(const void *obj, const struct act_req *req, struct act_outcome *ret)
{
	const struct sem_set *s = obj;
	const struct act_backup *bk = req->bk;
	struct sem_set now = { 0 }, after = { 0 };
	union semun arg = { 0 };
	int r;

	r = sem_reread(s, &now);
	if (r < 0)
		act_failed(ret, -r, "re-check");
	else if (!sem_same(s, &now, req->check, "since it was judged", ret) ||
		 !act_save_first(req, s, ret))
		;
	/* GETALL changes nothing: the set must be as the re-check saw it, waiters too */
	else if (bk && (r = sem_reread(&now, &after)) < 0)
		act_failed(ret, -r, "re-check");
	else if (bk && !sem_same(&now, &after, ACT_SAME_STATE, "while it was backed up", ret))
		;
	else if (semctl(s->c.id, 0, IPC_RMID, arg) < 0)
		act_failed(ret, errno, "IPC_RMID");
	else
		act_outcome_set(ret, ACT_REMOVED, NULL);
	free(now.sems);
	free(after.sems);
}

static void sem_identify(const void *obj, struct obj_ident *ret)
{
	const struct sem_set *s = obj;

	act_sysv_identify(&s->c, ret);
	ret->count_name = "nsems";
	ret->count = s->nsems;
}

/* ---- the act phase: backup and restore ---- */

/* The set's values as read (GETALL): the entry has no data file. */
struct sem_values {
	size_t n;
	unsigned short v[];
};

static int sem_backup_read(const void *obj, struct backup_content *ret, char **ret_why)
{
	const struct sem_set *s = obj;
	struct sem_values *values = xcalloc(1, sizeof(*values) +
					    (s->nsems + 1) * sizeof(*values->v));
	union semun arg = { .array = values->v };

	ret->priv = values;
	values->n = (size_t)s->nsems;
	if (semctl(s->c.id, 0, GETALL, arg) < 0) {
		int e = errno;

		*ret_why = xasprintf("semctl GETALL: %s", strerror(e));
		return -e;
	}
	return 0;
}

static void sem_backup_release(struct backup_content *c)
{
	free(c->priv);
}

static void sem_backup_write_ipc(struct jw *w, const void *obj, const struct backup_content *c)
{
	const struct sem_values *values = c->priv;

	backup_write_ipc_common(w, obj);
	jw_key(w, "nsems");
	jw_u64(w, values->n);
}

static void sem_backup_write_content(struct jw *w, const struct backup_content *c)
{
	const struct sem_values *values = c->priv;
	size_t i;

	jw_key(w, "values");
	jw_arr_begin(w);
	for (i = 0; i < values->n; i++)
		jw_u64(w, values->v[i]);
	jw_arr_end(w);
}

static int sem_key_holder(uint32_t key)
{
	return semget((key_t)key, 0, 0);
}

static int sem_remove_id(int id)
{
	union semun arg = { 0 };

	return semctl(id, 0, IPC_RMID, arg) < 0 ? -errno : 0;
}

static int sem_live_use(int id, unsigned *ret_uid, char **ret_use)
{
	struct semid_ds ds;
	union semun arg = { .buf = &ds };
	unsigned long i, waiting = 0;

	if (semctl(id, 0, IPC_STAT, arg) < 0)
		return -errno;
	for (i = 0; i < ds.sem_nsems; i++) {
		int n = semctl(id, (int)i, GETNCNT), z = n < 0 ? -1 : semctl(id, (int)i, GETZCNT);

		if (n < 0 || z < 0)
			return -errno;
		waiting += (unsigned long)n + (unsigned long)z;
	}
	*ret_uid = ds.sem_perm.uid;
	*ret_use = waiting ? xasprintf("%lu waiting", waiting) : NULL;
	return 0;
}

static int sem_create(const struct restore_entry *e, int flags, int *ret_id, char **ret_why)
{
	struct semid_ds ds;
	union semun arg;
	int r, id = semget((key_t)e->m.key, (int)e->m.nvalues, flags);

	if (id < 0)
		return restore_call_failed("semget", ret_why);
	*ret_id = id;
	arg.array = e->m.values;
	if (semctl(id, 0, SETALL, arg) < 0)
		return restore_call_failed("semctl SETALL", ret_why);
	arg.buf = &ds;
	if (semctl(id, 0, IPC_STAT, arg) < 0)
		return restore_call_failed("semctl IPC_STAT", ret_why);
	r = restore_set_perm(e, &ds.sem_perm, ret_why);
	if (r == 0 && semctl(id, 0, IPC_SET, arg) < 0)
		r = restore_call_failed("setting the owner and mode", ret_why);
	return r;
}

static const struct kind_backup sem_backup = {
	.read = sem_backup_read,
	.release = sem_backup_release,
	.write_ipc = sem_backup_write_ipc,
	.write_content = sem_backup_write_content,
	.key_holder = sem_key_holder,
	.remove_id = sem_remove_id,
	.live_use = sem_live_use,
	.create = sem_create,
};

const struct ipc_kind sem_kind = {
	.name = "sem",
	.title = "Semaphore sets",
	.source = "/proc/sysvipc/sem",
	.columns = sem_columns,
	.ncolumns = sizeof(sem_columns) / sizeof(sem_columns[0]),
	.defaults = sem_defaults,
	.orphan_defaults = sem_orphan_defaults,
	.verdict_offset = offsetof(struct sem_set, verdict),
	.fields = sysv_sem_fields,
	.nfields = sizeof(sysv_sem_fields) / sizeof(sysv_sem_fields[0]),
	.objsize = sizeof(struct sem_set),
	.sysv = true,
	.collect = sem_collect,
	.get = sem_get,
	.free_obj = sem_free_obj,
	.gather = sem_gather,
	.judge = sem_judge,
	.decide = sem_decide,
	.reason_text = sem_reason_text,
	.describe = sysv_describe,
	.involves = sem_involves,
	.clean = KIND_CLEAN_ALWAYS,
	.estimate = sem_estimate,
	.policy = KIND_POLICY_IPC_NS,
	.noun = "semaphore set",
	.identify = sem_identify,
	.remove = sem_remove,
	.backup = &sem_backup,
};
