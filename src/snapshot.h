/*
 * One run's data: everything collected from /proc and the kernel, in
 * plain structs, before anything is judged or shown.
 */
#ifndef IPCINSPECT_SNAPSHOT_H
#define IPCINSPECT_SNAPSHOT_H

#include <stdbool.h>
#include <stdint.h>

#include "cgroup.h"
#include "kind.h"
#include "vec.h"

/*
 * --all-namespaces: another IPC namespace some process is in, read by
 * entering it (setns) with its SysV objects, limits and message queues,
 * and the POSIX files of the /dev/shm its process sees when that is not
 * ours (namespaces.c).
 */
struct ns_section {
	uint64_t ipc_ns;
	int pid;			/* the lowest pid in it */
	unsigned long long start_ticks;	/* its start, as the scan read it (0: unread) */
	char comm[16];
	int init_pid;			/* its PID namespace's init (NSpid 1), or 0 */
	char init_comm[16];
	struct cgroup_info cgroup;	/* pid's: its container, or none (the host) */
	char *error;			/* could not be entered: why (owned), or NULL */
	struct kind_objs kinds[KIND_COUNT];	/* shm, msg, sem, pshm, psem, pmq only */
	struct kind_objs limits;
	struct posix_dir mq_dir;
	struct posix_dir shm_dir;	/* its own /dev/shm; fd -1 without why: ours */
	struct owners *view;		/* the owners, judged for this namespace */
};

struct snapshot {
	int64_t time;		/* epoch seconds when collection started */
	char *host;		/* raw node name */
	bool has_ipc_ns;
	uint64_t ipc_ns;	/* inode of the IPC namespace read */
	struct kind_objs kinds[KIND_COUNT];	/* .kind is NULL when not selected */
	struct kind_objs limits;		/* .kind is NULL when not wanted */
	struct owners *owners;	/* the process scan; NULL with --no-owners */
	struct fifo_dir *fifo_dirs;	/* --fifo-dir, kept open for removal */
	size_t nfifo_dirs;
	struct posix_dir shm_dir, mq_dir;	/* POSIX IPC, kept open for removal */
	struct fifo_dir *socket_dirs;	/* --socket-dir, kept open for removal */
	size_t nsocket_dirs;
	bool all_namespaces;		/* --all-namespaces was asked */
	struct ns_section *sections;	/* the other IPC namespaces */
	size_t nsections;
	struct vec warnings;	/* char *: what the reader should know */
};

/* What to collect. */
struct collect_opts {
	unsigned kinds;			/* bit (1 << enum kind_id) per kind */
	bool limits;
	bool owners;			/* scan processes and judge */
	const char *const *fifo_dirs;	/* look for FIFOs on disk there */
	size_t nfifo_dirs;
	const char *const *socket_dirs;	/* look for socket files there */
	size_t nsocket_dirs;
	int ns_pid;			/* --namespace PID: its root for /dev/shm, mqueue */
	int ns_dir;			/* with ns_pid: /proc/PID, pinned (ns_pin) */
	bool all_namespaces;		/* every IPC namespace in use (needs owners) */
	bool no_outside_holders;	/* rule out holders outside our PID namespace */
	unsigned quiet_kinds;		/* read only to count: no warning, no failure */
	bool removeipc;			/* the RemoveIPC= audit (logind.h; needs owners) */
};

/* Which objects to keep: each set member must match. */
struct filter {
	bool has_id;
	int id;
	bool has_key;
	uint32_t key;
	bool has_uid;
	uint32_t uid;
	bool has_pid;
	int pid;	/* held, created or last used by this pid */
	bool removeipc;	/* --removeipc: only what RemoveIPC= would remove in use */
};

/*
 * Reads the kinds selected in co, and the limits when asked.  With owners
 * it then scans every process once (kinds that need the scan are only
 * read then), reads the facts of the processes that matter and judges
 * holders, recorded pids and verdicts.  Returns 0, or -errno with
 * *ret_failed set to the source that could not be read (-EINVAL: its text
 * has no usable header).  On failure *ret holds nothing to free.
 */
int snapshot_collect(struct snapshot *ret, const struct collect_opts *co, const char **ret_failed);

/* Keeps the objects for which keep() is true, freeing the others. */
void snapshot_keep(struct snapshot *s,
		   bool (*keep)(const struct ipc_kind *kind, const void *obj, const void *ctx),
		   const void *ctx);

/* Drops the objects that do not match f (--id, --key, --user: SysV only). */
void snapshot_filter(struct snapshot *s, const struct filter *f);

void snapshot_free(struct snapshot *s);

#endif
