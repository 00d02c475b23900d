/*
 * Unit tests of the act phase's kind interface (act.h, backup.h), on
 * hand-built objects and without touching the kernel: what each kind's
 * identify hook says of an object (what reports, syslog, rm and backups
 * read), the policy bits that replaced the kind tests of act.c,
 * cleanup.c, leftout.c and namespaces.c, the "no backup" refusals, and
 * act_remove()'s refusals that come from data before any system call.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "act.h"
#include "backup.h"
#include "fifo.h"
#include "kind.h"
#include "model.h"
#include "msg.h"
#include "pipe.h"
#include "posix.h"
#include "sem.h"
#include "shm.h"
#include "tap.h"
#include "unixsock.h"

static void test_identify_sysv(void)
{
	struct shm_seg shm = { .c = { .id = 32769, .key = 0xabcd, .uid = 1000, .cuid = 1001 },
			       .size = 8192 };
	struct msg_queue q = { .c = { .id = 5, .key = 0x5151, .uid = 1002, .cuid = 1003 },
			       .cbytes = 11 };
	struct sem_set sem = { .c = { .id = 7, .key = 0, .uid = 1004, .cuid = 1005 }, .nsems = 3 };
	struct obj_ident id;

	act_identify(&shm_kind, &shm, &id);
	ok(id.has_id && id.id == 32769 && id.key == 0xabcd && !id.path, "shm: id and key, no path");
	ok(id.uid == 1000 && id.has_cuid && id.cuid == 1001, "shm: owner and creator");
	ok(id.has_size && id.size == 8192 && !id.count_name, "shm: size 8192, no count");
	ok(id.cleanable && !id.log_noun, "shm: cleanable, logged by its kind's name");

	act_identify(&msg_kind, &q, &id);
	ok(id.has_id && id.id == 5 && id.key == 0x5151 && id.uid == 1002 && id.cuid == 1003,
	   "msg: id, key, owner, creator");
	ok(id.has_size && id.size == 11, "msg: its size is the bytes queued (cbytes)");

	act_identify(&sem_kind, &sem, &id);
	ok(id.has_id && id.id == 7 && id.key == 0 && id.uid == 1004, "sem: id, key 0, owner");
	ok(!id.has_size, "sem: no size");
	is_str(id.count_name, "nsems", "sem: syslog counts nsems");
	is_u64(id.count, 3, "sem: 3 semaphores");
}

static void test_identify_files(void)
{
	char fpath[] = "/run/x.fifo", ppath[] = "/dev/shm/seg", upath[] = "/run/s.sock";
	struct fifo_obj held = { .path = fpath, .ino = 42, .uid = 1000 };
	struct fifo_obj on_disk = { .path = fpath, .ino = 43, .uid = 1001, .on_disk = true };
	struct posix_obj p = { .path = ppath, .ino = 44, .uid = 1002, .size = 4096 };
	struct unix_obj u = { .path = upath, .vfs_ino = 45, .ino = 99, .uid = 1003 };
	struct pipe_obj pipe = { .ino = 46 };
	struct obj_ident id;

	act_identify(&fifo_kind, &held, &id);
	ok(!id.has_id && id.path == fpath && id.ino == 42 && id.uid == 1000,
	   "fifo: path, inode, owner");
	ok(!id.cleanable, "fifo known only by its holders' fds: not cleanable");
	act_identify(&fifo_kind, &on_disk, &id);
	ok(id.cleanable, "fifo under a --fifo-dir: cleanable");
	ok(!id.has_size && !id.has_cuid, "fifo: no size, no creator");

	act_identify(&pshm_kind, &p, &id);
	ok(id.path == ppath && id.ino == 44 && id.uid == 1002 && id.cleanable,
	   "pshm: path, inode, owner");
	ok(id.has_size && id.size == 4096, "pshm: its size is what it holds");
	act_identify(&psem_kind, &p, &id);
	ok(id.path == ppath && !id.has_size, "psem: the same file, but no size");
	act_identify(&pmq_kind, &p, &id);
	ok(id.path == ppath && !id.has_size, "pmq: no size");

	act_identify(&unix_kind, &u, &id);
	ok(id.path == upath && id.ino == 45 && id.uid == 1003,
	   "unix: path, the file's inode, owner");
	is_str(id.log_noun, "socket file", "unix: logged as a socket file");
	ok(!id.cleanable, "unix socket not found as a file: not cleanable");
	u.on_disk = true;
	act_identify(&unix_kind, &u, &id);
	ok(id.cleanable, "unix socket file under a --socket-dir: cleanable");

	act_identify(&pipe_kind, &pipe, &id);
	ok(!id.has_id && !id.path && !id.cleanable, "pipe: no identity hook, never cleanable");
}

/* What the kind tests of act.c, cleanup.c, leftout.c and namespaces.c said. */
static void test_policy(void)
{
	static const struct {
		const struct ipc_kind *kind;
		unsigned policy;
		bool removes, backs_up;
	} cases[] = {
		{ &shm_kind, KIND_POLICY_IPC_NS | KIND_POLICY_STRANDS, true, true },
		{ &msg_kind, KIND_POLICY_IPC_NS, true, true },
		{ &sem_kind, KIND_POLICY_IPC_NS, true, true },
		{ &fifo_kind, KIND_POLICY_AGE_UNCHANGED, true, false },
		{ &pipe_kind, 0, false, false },
		{ &pshm_kind, KIND_POLICY_AGE_UNCHANGED | KIND_POLICY_STRANDABLE | KIND_POLICY_DEV_SHM,
		  true, false },
		{ &psem_kind, KIND_POLICY_AGE_UNCHANGED | KIND_POLICY_STRANDABLE | KIND_POLICY_DEV_SHM,
		  true, false },
		{ &pmq_kind, KIND_POLICY_IPC_NS | KIND_POLICY_NS_MQUEUE | KIND_POLICY_STRANDABLE,
		  true, false },
		{ &unix_kind, 0, true, false },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct ipc_kind *k = cases[i].kind;

		is_int(k->policy, cases[i].policy, "%s: policy", k->name);
		ok(!k->remove == !cases[i].removes, "%s: %s", k->name,
		   cases[i].removes ? "removes" : "never removes");
		ok(!k->backup == !cases[i].backs_up, "%s: %s", k->name,
		   cases[i].backs_up ? "has a backup" : "has no backup");
	}
	ok(msg_kind.backup->force_uncopyable && !shm_kind.backup->force_uncopyable &&
	   !sem_kind.backup->force_uncopyable, "only a queue goes without a backup under --force");
	ok(shm_kind.backup->has_data && msg_kind.backup->has_data && !sem_kind.backup->has_data,
	   "a set's entry has no data file");
	ok(backup_kind("shm") == &shm_kind && backup_kind("msg") == &msg_kind &&
	   backup_kind("sem") == &sem_kind, "a manifest's kind found by name in the registry");
	ok(!backup_kind("fifo") && !backup_kind("pshm") && !backup_kind("bogus"),
	   "no restore for a kind without a backup hook, nor for an unknown name");
	is_str(shm_kind.noun, "shared memory segment", "shm: rm's word");
	is_str(msg_kind.noun, "message queue", "msg: rm's word");
	is_str(sem_kind.noun, "semaphore set", "sem: rm's word");
	ok(kinds_have_policy(1u << KIND_PSEM, KIND_POLICY_DEV_SHM) &&
	   !kinds_have_policy(1u << KIND_PMQ, KIND_POLICY_DEV_SHM) &&
	   kinds_have_policy((1u << KIND_SHM) | (1u << KIND_PMQ), KIND_POLICY_NS_MQUEUE) &&
	   !kinds_have_policy(KINDS_SYSV, KIND_POLICY_DEV_SHM | KIND_POLICY_NS_MQUEUE) &&
	   !kinds_have_policy(0, ~0u),
	   "kinds_have_policy: a policy bit of any kind in the mask, and of none outside it");
}

static void test_refusals(void)
{
	char path[] = "/run/x.fifo";
	struct fifo_obj f = { .path = path, .on_disk = true };
	struct pipe_obj pipe = { .ino = 1 };
	const struct act_backup bk = { 0 };
	struct act_outcome out;
	char *why;

	why = act_no_backup_why(&fifo_kind);
	is_str(why, "no backup for FIFOs: a FIFO has no content, and --backup removes nothing it "
	       "cannot save", "fifo: why --backup keeps it");
	free(why);
	why = act_no_backup_why(&pshm_kind);
	is_str(why, "no backup for pshm objects yet, and --backup removes nothing it cannot save",
	       "pshm: why --backup keeps it");
	free(why);
	why = act_no_backup_why(&unix_kind);
	is_str(why, "no backup for unix objects yet, and --backup removes nothing it cannot save",
	       "unix: why --backup keeps it");
	free(why);

	/* refused from data: nothing is re-read, nothing is removed */
	act_remove(&fifo_kind, &f, ACT_SAME_STATE, &bk, false, &out);
	is_int(out.result, ACT_FAILED, "fifo with --backup: failed");
	is_str(out.why, "no backup for FIFOs: a FIFO has no content, and --backup removes nothing "
	       "it cannot save", "fifo with --backup: says why");
	ok(!out.backup, "fifo with --backup: no entry");
	free(out.why);
	act_remove(&pipe_kind, &pipe, ACT_SAME_STATE, NULL, false, &out);
	is_int(out.result, ACT_FAILED, "pipe: failed");
	is_str(out.why, "pipe objects cannot be removed", "pipe: a kind without remove hook");
	free(out.why);
}

int main(void)
{
	test_identify_sysv();
	test_identify_files();
	test_policy();
	test_refusals();
	return tap_done();
}
