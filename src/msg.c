/*
 * Kind "msg": System V message queues, from /proc/sysvipc/msg
 * (doc/kernel-facts.md, "The sysvipc files": queues record no creator pid),
 * with the last sender and receiver judged (lrpid may be a thread:
 * "Thread ids").
 */
#include "config.h"

#include <inttypes.h>
#include <stddef.h>
#include <sys/msg.h>
#include <stdio.h>

#include "facts.h"
#include "kind.h"
#include "model.h"
#include "owners.h"
#include "sysvfields.h"
#include "sysvipc.h"

enum {
	COL_USED_BYTES = SYSV_NCOMMON, COL_MESSAGES, COL_LSPID, COL_LRPID, COL_STIME, COL_RTIME,
	COL_SENDER, COL_RECEIVER, COL_FREES, COL_VERDICT,
};

static const struct column msg_columns[] = {
	SYSV_COMMON_COLUMNS("queue"),
	[COL_USED_BYTES] = { "USED-BYTES", "used_bytes", "bytes of the messages in the queue", 6, COL_RIGHT, NULL, NULL },
	[COL_MESSAGES] = { "MESSAGES", "messages", "number of messages in the queue", 6, COL_RIGHT, NULL, NULL },
	[COL_LSPID] = { "LSPID", "lspid", "pid of the last msgsnd", 6, COL_RIGHT, NULL, NULL },
	[COL_LRPID] = { "LRPID", "lrpid", "pid of the last msgrcv", 6, COL_RIGHT, NULL, NULL },
	[COL_STIME] = { "STIME", "stime", "time of the last msgsnd", 11, 0, NULL, NULL },
	[COL_RTIME] = { "RTIME", "rtime", "time of the last msgrcv", 11, 0, NULL, NULL },
	[COL_SENDER] = { "SENDER", "last_sender", "the last sender (lspid) judged: pid, tgid, alive, comm, why", 12, COL_TRUNC, NULL, NULL },
	[COL_RECEIVER] = { "RECEIVER", "last_receiver", "the last receiver (lrpid) judged; tgid is its process", 12, COL_TRUNC, NULL, NULL },
	[COL_FREES] = { "FREES", "frees_bytes", "bytes its removal frees (the messages in it)", 6, COL_RIGHT, NULL, NULL },
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

const struct ipc_kind msg_kind = {
	.name = "msg",
	.title = "Message queues",
	.source = "/proc/sysvipc/msg",
	.columns = msg_columns,
	.ncolumns = sizeof(msg_columns) / sizeof(msg_columns[0]),
	.defaults = msg_defaults,
	.orphan_defaults = msg_orphan_defaults,
	.verdict_offset = offsetof(struct msg_queue, verdict),
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
};
