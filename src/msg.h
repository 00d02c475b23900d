/*
 * The object of the kind "msg" (msg.c): one System V message queue.
 * Private to the kind: its file includes it, and so do its unit tests;
 * generic code reaches an object only through struct ipc_kind.
 */
#ifndef IPCINSPECT_MSG_H
#define IPCINSPECT_MSG_H

#include <stdbool.h>
#include <stdint.h>

#include "model.h"

struct msg_queue {
	struct ipc_common c;
	uint64_t cbytes;	/* bytes in the queue */
	uint64_t qnum;		/* messages in the queue */
	int lspid, lrpid;
	int64_t stime, rtime;
	struct actor sender, receiver;	/* lspid, lrpid judged */
	struct verdict verdict;
};

#endif
