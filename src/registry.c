/*
 * The registry: every kind `list` can show, in the order of its output,
 * indexed by enum kind_id (kind.h).  Adding a kind is one line here (and
 * its enum kind_id entry); generic code loops over this table.  The
 * process scan offers fd links to the kinds' claims in this order, so a
 * kind whose claim is a narrower case of another's comes first.
 */
#include "config.h"

#include "kind.h"

const struct ipc_kind *const ipc_kinds[KIND_COUNT] = {
	[KIND_SHM] = &shm_kind,
	[KIND_MSG] = &msg_kind,
	[KIND_SEM] = &sem_kind,
	[KIND_FIFO] = &fifo_kind,
	[KIND_PIPE] = &pipe_kind,
	[KIND_PSHM] = &pshm_kind,
	[KIND_PSEM] = &psem_kind,
	[KIND_PMQ] = &pmq_kind,
	[KIND_UNIX] = &unix_kind,
};
