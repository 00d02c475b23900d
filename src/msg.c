/*
 * Kind "msg": System V message queues, from /proc/sysvipc/msg
 * (doc/kernel-facts.md, "The sysvipc files": queues record no creator pid),
 * with the last sender and receiver judged (lrpid may be a thread:
 * "Thread ids").
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>

#include "act.h"
#include "backup.h"
#include "facts.h"
#include "jsonw.h"
#include "kind.h"
#include "model.h"
#include "msg.h"
#include "owners.h"
#include "restore.h"
#include "strutils.h"
#include "sysvfields.h"
#include "sysvipc.h"
#include "xalloc.h"

enum {
	COL_USED_BYTES = SYSV_NCOMMON, COL_MESSAGES, COL_LSPID, COL_LRPID, COL_STIME, COL_RTIME,
	COL_SENDER, COL_RECEIVER, COL_FREES, COL_VERDICT,
};

static const struct column msg_columns[] = {
	SYSV_COMMON_COLUMNS("queue"),
	[COL_USED_BYTES] = { "USED-BYTES", "used_bytes", "bytes of the messages in the queue", 6, COL_RIGHT, NULL, NULL, COLT_SIZE },
	[COL_MESSAGES] = { "MESSAGES", "messages", "number of messages in the queue", 6, COL_RIGHT, NULL, NULL, COLT_INTEGER },
	[COL_LSPID] = { "LSPID", "lspid", "pid of the last msgsnd", 6, COL_RIGHT, NULL, NULL, COLT_INTEGER },
	[COL_LRPID] = { "LRPID", "lrpid", "pid of the last msgrcv", 6, COL_RIGHT, NULL, NULL, COLT_INTEGER },
	[COL_STIME] = { "STIME", "stime", "time of the last msgsnd", 11, 0, NULL, NULL, COLT_TIME },
	[COL_RTIME] = { "RTIME", "rtime", "time of the last msgrcv", 11, 0, NULL, NULL, COLT_TIME },
	[COL_SENDER] = { "SENDER", "last_sender", "the last sender (lspid) judged: pid, tgid, alive, comm, why", 12, 0, NULL, NULL, COLT_OBJECT },
	[COL_RECEIVER] = { "RECEIVER", "last_receiver", "the last receiver (lrpid) judged; tgid is its process", 12, 0, NULL, NULL, COLT_OBJECT },
	[COL_FREES] = { "FREES", "frees_bytes", "bytes its removal frees (the messages in it)", 6, COL_RIGHT, NULL, NULL, COLT_SIZE },
	VERDICT_COLUMNS,
};

static const char *const msg_orphan_defaults[] = {
	"ID", "KEY", "USER", "MESSAGES", "AGE", "VERDICT", "REASONS", NULL
};

static const char *const msg_defaults[] = {
	"ID", "KEY", "USER", "PERMS", "USED-BYTES", "MESSAGES", "SENDER", "RECEIVER", NULL
};

static void msg_fixup(void *obj, const struct sysvipc_layout *layout)
{
	struct msg_queue *q = obj;

	(void)layout;
	/* unjudged until the scan (if any) says more */
	q->sender.pid = q->lspid;
	q->receiver.pid = q->lrpid;
}

static int msg_collect(const struct collect_ctx *ctx, struct kind_objs *ret)
{
	return sysvipc_collect(ctx, ret, msg_fixup);
}

/* The namespace's queues, as MSG_INFO counts them: one line each to read. */
static size_t msg_estimate(const struct collect_ctx *ctx)
{
	struct msginfo info;

	(void)ctx;
	return msgctl(0, MSG_INFO, (struct msqid_ds *)&info) < 0 ? 0 : (size_t)info.msgpool;
}

static void msg_get(const void *obj, size_t col, struct value *ret)
{
	const struct msg_queue *q = obj;

	switch (col) {
	case COL_USED_BYTES:
		VALUE_TYPED_U64(ret, VAL_SIZE, q->cbytes);
		break;
	case COL_MESSAGES:
		VALUE_U64(ret, q->qnum);
		break;
	case COL_LSPID:
		VALUE_S64(ret, q->lspid);
		break;
	case COL_LRPID:
		VALUE_S64(ret, q->lrpid);
		break;
	case COL_STIME:
		VALUE_TYPED_S64(ret, VAL_TIME, q->stime);
		break;
	case COL_RTIME:
		VALUE_TYPED_S64(ret, VAL_TIME, q->rtime);
		break;
	case COL_SENDER:
		VALUE_ACTOR(ret, &q->sender);
		break;
	case COL_RECEIVER:
		VALUE_ACTOR(ret, &q->receiver);
		break;
	case COL_FREES:
		VALUE_TYPED_U64(ret, VAL_SIZE, q->cbytes);
		break;
	case COL_VERDICT:
	case COL_VERDICT + VCOL_REASONS:
	case COL_VERDICT + VCOL_AGE:
		verdict_get(&msg_kind, &q->verdict, col - COL_VERDICT, ret);
		break;
	default:
		sysv_common_get(obj, col, ret);
		break;
	}
}

static void msg_gather(const void *obj, const struct owners *o, struct gather *g)
{
	const struct msg_queue *q = obj;

	(void)o;
	owners_want(&g->pids, q->lspid);
	owners_want(&g->pids, q->lrpid);
	gather_time(g, q->c.ctime);
	gather_time(g, q->stime);
	gather_time(g, q->rtime);
}

/* msg's own reasons. */
enum {
	MSG_R_WAITING = REASON_KIND,	/* n: messages in the queue */
	MSG_R_NEVER_USED,
};

static void msg_reason_text(const struct reason *r, char *buf, size_t size)
{
	if (r->code == MSG_R_WAITING)
		snprintf(buf, size, "%" PRIu64 " message%s waiting", r->n, r->n == 1 ? "" : "s");
	else if (r->code == MSG_R_NEVER_USED)
		snprintf(buf, size, "never used");
}

/*
 * A queue records no creator and no holder: with its last sender and
 * receiver gone it is at best a suspect (a process may still know its
 * key or id).
 */
static void msg_decide(void *obj, const struct owners *o, struct verdict_work *w)
{
	struct msg_queue *q = obj;
	bool sent, received;

	verdict_set_age(w->v, o->now, q->c.ctime, q->stime, q->rtime, 0);
	if (q->qnum)
		verdict_reason(w, MSG_R_WAITING)->n = q->qnum;
	sent = verdict_note_actor(w, ROLE_LAST_SENDER, 0, &q->sender);
	received = verdict_note_actor(w, ROLE_LAST_RECEIVER, 0, &q->receiver);
	if (!sent && !received)
		verdict_reason(w, MSG_R_NEVER_USED);
	verdict_finish(w, VERDICT_SUSPECT);
}

static void msg_judge(void *obj, const struct owners *o)
{
	struct msg_queue *q = obj;
	struct verdict_work w;

	actor_judge(o, q->lspid, q->stime, "stime", &q->sender);
	actor_judge(o, q->lrpid, q->rtime, "rtime", &q->receiver);
	verdict_begin(&w, &q->verdict, q, sizeof(*q), o->arena);
	msg_decide(q, o, &w);
}

static bool msg_involves(const void *obj, int pid)
{
	const struct msg_queue *q = obj;

	return actor_is(&q->sender, pid) || actor_is(&q->receiver, pid);
}

/* ---- the act phase: removal ---- */

static int msg_restat(int id, struct msqid_ds *ds)
{
	return ACT_RESTAT(msgctl, MSG_STAT_ANY, id, ds);
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
	if (!act_sysv_same(&was->c, now->c.key, now->c.cuid, now->c.ctime))
		act_outcome_set(ret, ACT_SKIPPED, xstrdup("not the same queue any more"));
	else if (check == ACT_SAME_STATE &&
		 (now->lspid != was->lspid || now->lrpid != was->lrpid ||
		  now->stime != was->stime || now->rtime != was->rtime ||
		  now->qnum != was->qnum || now->cbytes != was->cbytes))
		act_outcome_set(ret, ACT_SKIPPED, xasprintf("used %s", when));
	else
		return true;
	return false;
}

static void msg_remove(const void *obj, const struct act_req *req, struct act_outcome *ret)
{
	const struct msg_queue *q = obj;
	const struct act_backup *bk = req->bk;
	struct msg_queue now, after;
	int r;

	r = msg_reread(q, &now);
	if (r < 0)
		return act_failed(ret, -r, "re-check");
	if (!msg_same(q, &now, req->check, "since it was judged", ret))
		return;
	if (!act_save_first(req, q, ret))
		return;
	/* MSG_COPY takes nothing and changes nothing: the queue must be as it was */
	if (bk && (r = msg_reread(q, &after)) < 0)
		return act_failed(ret, -r, "re-check");
	if (bk && !msg_same(&now, &after, ACT_SAME_STATE, "while it was backed up", ret))
		return;
	if (msgctl(q->c.id, IPC_RMID, NULL) < 0)
		return act_failed(ret, errno, "IPC_RMID");
	act_outcome_set(ret, ACT_REMOVED, NULL);
}

static void msg_identify(const void *obj, struct obj_ident *ret)
{
	const struct msg_queue *q = obj;

	act_sysv_identify(&q->c, ret);
	ret->has_size = true;
	ret->size = q->cbytes;
}

/* ---- the act phase: backup and restore ---- */

#ifndef MSG_COPY
#define MSG_COPY 040000	/* copy, do not remove (doc/kernel-facts.md, "Copying messages") */
#endif

/* A queue's messages as copied: bodies end to end in the data file. */
struct msg_copy {
	char *bodies;
	size_t bytes;
	long *types;
	size_t *sizes;
	size_t nmsgs;
	uint64_t qbytes;
};

/* Appends one message (n bytes of body after its type in buf). */
static void msg_copy_add(struct msg_copy *m, const char *buf, size_t n, size_t *cap)
{
	if (m->nmsgs == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		m->types = xreallocarray(m->types, *cap, sizeof(*m->types));
		m->sizes = xreallocarray(m->sizes, *cap, sizeof(*m->sizes));
	}
	m->bodies = xreallocarray(m->bodies, m->bytes + n + 1, 1);
	memcpy(m->bodies + m->bytes, buf + sizeof(long), n);
	m->types[m->nmsgs] = *(const long *)buf;
	m->sizes[m->nmsgs++] = n;
	m->bytes += n;
}

/* The queue's messages in order, without taking them (MSG_COPY). */
static int msg_backup_read(const void *obj, struct backup_content *ret, char **ret_why)
{
	const struct msg_queue *q = obj;
	struct msg_copy *m = xcalloc(1, sizeof(*m));
	_cleanup_free_ char *buf = NULL;
	struct msqid_ds ds;
	size_t cap = 0, i;

	ret->priv = m;
	if (msgctl(q->c.id, IPC_STAT, &ds) < 0) {
		int e = errno;

		*ret_why = xasprintf("msgctl IPC_STAT: %s", strerror(e));
		return -e;
	}
	m->qbytes = ds.msg_qbytes;
	/* no message is larger than the queue's bytes in all */
	buf = xmalloc(sizeof(long) + (ds.msg_cbytes ? ds.msg_cbytes : 1));
	for (i = 0;; i++) {
		ssize_t n = msgrcv(q->c.id, buf, ds.msg_cbytes ? ds.msg_cbytes : 1, (long)i,
				   IPC_NOWAIT | MSG_COPY);
		int e = n < 0 ? errno : 0;

		if (e == ENOMSG)
			break;
		if (e) {
			*ret_why = e == ENOSYS ? xstrdup("this kernel cannot copy messages without "
							 "receiving them (msgrcv MSG_COPY needs "
							 "CONFIG_CHECKPOINT_RESTORE)")
					       : xasprintf("msgrcv MSG_COPY: %s", strerror(e));
			return -e;
		}
		msg_copy_add(m, buf, (size_t)n, &cap);
	}
	ret->data = m->bodies;
	ret->bytes = m->bytes;
	return 0;
}

static void msg_backup_release(struct backup_content *c)
{
	struct msg_copy *m = c->priv;

	if (!m)
		return;
	free(m->bodies);
	free(m->types);
	free(m->sizes);
	free(m);
}

static void msg_backup_write_ipc(struct jw *w, const void *obj, const struct backup_content *c)
{
	const struct msg_copy *m = c->priv;

	backup_write_ipc_common(w, obj);
	jw_key(w, "qbytes");
	jw_u64(w, m->qbytes);
	jw_key(w, "qnum");
	jw_u64(w, m->nmsgs);
	jw_key(w, "cbytes");
	jw_u64(w, m->bytes);
}

static void msg_backup_write_content(struct jw *w, const struct backup_content *c)
{
	const struct msg_copy *m = c->priv;
	size_t i;

	jw_key(w, "messages");
	jw_arr_begin(w);
	for (i = 0; i < m->nmsgs; i++) {
		jw_obj_begin(w);
		jw_key(w, "type");
		jw_s64(w, m->types[i]);
		jw_key(w, "bytes");
		jw_u64(w, m->sizes[i]);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

static int msg_key_holder(uint32_t key)
{
	return msgget((key_t)key, 0);
}

static int msg_remove_id(int id)
{
	return msgctl(id, IPC_RMID, NULL) < 0 ? -errno : 0;
}

static int msg_live_use(int id, unsigned *ret_uid, char **ret_use)
{
	struct msqid_ds ds;

	if (msgctl(id, IPC_STAT, &ds) < 0)
		return -errno;
	*ret_uid = ds.msg_perm.uid;
	*ret_use = NULL;	/* a queue shows no user: the verdict weighs its pids */
	return 0;
}

static int msg_send_all(const struct restore_entry *e, int id, const char *data, char **ret_why)
{
	_cleanup_free_ char *buf = xmalloc(sizeof(long) + e->m.data_bytes + 1);
	size_t i, off = 0;

	for (i = 0; i < e->m.nmsgs; i++) {
		if (restore_caught_signal()) {
			_cleanup_free_ char *when = xasprintf("after %zu messages", i);

			return restore_interrupted(when, ret_why);
		}
		*(long *)buf = e->m.types[i];
		memcpy(buf + sizeof(long), data + off, e->m.sizes[i]);
		off += e->m.sizes[i];
		if (msgsnd(id, buf, e->m.sizes[i], IPC_NOWAIT) < 0) {
			int err = errno;

			*ret_why = xasprintf("msgsnd of message %zu: %s", i, strerror(err));
			return -err;
		}
	}
	return 0;
}

static int msg_create(const struct restore_entry *e, int flags, int *ret_id, char **ret_why)
{
	_cleanup_free_ char *data = xmalloc(e->m.data_bytes + 1);
	struct msqid_ds ds;
	int r, id = msgget((key_t)e->m.key, flags);

	if (id < 0)
		return restore_call_failed("msgget", ret_why);
	*ret_id = id;
	r = restore_fill(e, data, (size_t)e->m.data_bytes, ret_why);
	if (r < 0)
		return r;
	if (msgctl(id, IPC_STAT, &ds) < 0)
		return restore_call_failed("msgctl IPC_STAT", ret_why);
	/* room for the messages first: above msgmnb it takes CAP_SYS_RESOURCE */
	ds.msg_qbytes = e->m.qbytes;
	if (msgctl(id, IPC_SET, &ds) < 0) {
		int err = errno;

		*ret_why = xasprintf("setting qbytes to %" PRIu64 ": %s", e->m.qbytes,
				     strerror(err));
		return -err;
	}
	r = msg_send_all(e, id, data, ret_why);
	if (r < 0)
		return r;
	if (msgctl(id, IPC_STAT, &ds) < 0)
		return restore_call_failed("msgctl IPC_STAT", ret_why);
	r = restore_set_perm(e, &ds.msg_perm, ret_why);
	if (r == 0 && msgctl(id, IPC_SET, &ds) < 0)
		r = restore_call_failed("setting the owner and mode", ret_why);
	return r;
}

static const struct kind_backup msg_backup = {
	.has_data = true,
	.force_uncopyable = true,
	.read = msg_backup_read,
	.release = msg_backup_release,
	.write_ipc = msg_backup_write_ipc,
	.write_content = msg_backup_write_content,
	.key_holder = msg_key_holder,
	.remove_id = msg_remove_id,
	.live_use = msg_live_use,
	.create = msg_create,
};

const struct ipc_kind msg_kind = {
	.name = "msg",
	.title = "Message queues",
	.source = "/proc/sysvipc/msg",
	.columns = msg_columns,
	.ncolumns = sizeof(msg_columns) / sizeof(msg_columns[0]),
	.defaults = msg_defaults,
	.orphan_defaults = msg_orphan_defaults,
	.verdict_offset = offsetof(struct msg_queue, verdict),
	.bytes_column = "used_bytes",
	.fields = sysv_msg_fields,
	.nfields = sizeof(sysv_msg_fields) / sizeof(sysv_msg_fields[0]),
	.objsize = sizeof(struct msg_queue),
	.sysv = true,
	.collect = msg_collect,
	.get = msg_get,
	.gather = msg_gather,
	.judge = msg_judge,
	.decide = msg_decide,
	.reason_text = msg_reason_text,
	.describe = sysv_describe,
	.involves = msg_involves,
	.clean = KIND_CLEAN_ALWAYS,
	.estimate = msg_estimate,
	.policy = KIND_POLICY_IPC_NS,
	.noun = "message queue",
	.identify = msg_identify,
	.remove = msg_remove,
	.backup = &msg_backup,
};
