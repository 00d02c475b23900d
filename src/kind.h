/*
 * One kind of IPC object (shm, msg, sem; later fifo, pipe, ...) plugs in
 * through this struct, as util-linux lsfd's classes and iproute2's
 * link_util do: its columns, how to collect its objects, and how to turn
 * an object into column values.  Generic code never switches on the kind.
 */
#ifndef IPCINSPECT_KIND_H
#define IPCINSPECT_KIND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "column.h"
#include "registry.h"
#include "reasons.h"
#include "vec.h"
#include "verdict.h"

struct ctx_obj;
struct kind_objs;
struct owners;
struct procscan;
struct scan_fd_claim;
struct scan_maps_claim;
struct act_outcome;
struct act_req;
struct kind_backup;
struct obj_ident;

/* A --fifo-dir, opened once (never through a symlink) and kept open. */
struct fifo_dir {
	char *path;
	int fd;		/* -1: could not be opened (a warning says why) */
};

/*
 * Where POSIX IPC objects live (doc/kernel-facts.md, "POSIX objects"): /dev/shm, and the
 * mqueue file system's mount.  Opened once, never through a symlink, and
 * kept open: what `clean` unlinks is in the directory that was read.
 */
struct posix_dir {
	char *path;	/* NULL: no such file system (mqueue not mounted) */
	int fd;		/* -1: could not be opened */
	uint64_t dev;
	char *why;	/* why it could not be opened, when known (owned), or NULL */
	bool foreign;	/* mqueue: opened, but another IPC namespace's (fd -1) */
};

/* What a collector may use. */
struct collect_ctx {
	int procfd;			/* O_PATH fd of /proc */
	const struct procscan *scan;	/* NULL without the process scan */
	const struct fifo_dir *fifo_dirs;	/* to look for FIFOs on disk */
	size_t nfifo_dirs;
	const struct posix_dir *shm_dir;	/* /dev/shm */
	const struct posix_dir *mq_dir;		/* the mqueue mount */
	const struct fifo_dir *socket_dirs;	/* --socket-dir: socket files */
	size_t nsocket_dirs;
};

/* What the judge phase gathers before reading process facts. */
struct gather {
	struct vec pids;		/* int: pids whose facts are needed */
	int64_t earliest;		/* earliest IPC time seen, 0 if none */
	int64_t latest;			/* latest IPC time seen, 0 if none */
};

static inline void gather_time(struct gather *g, int64_t t)
{
	if (t > 0 && (g->earliest == 0 || t < g->earliest))
		g->earliest = t;
	if (t > g->latest)
		g->latest = t;
}

/* What `clean` takes of a kind (struct ipc_kind.clean). */
enum kind_clean {
	KIND_CLEAN_NEVER,	/* nothing: the objects cannot be removed */
	KIND_CLEAN_ALWAYS,	/* taken unless --type leaves the kind out */
	KIND_CLEAN_NAMED,	/* only when --type names the kind */
	KIND_CLEAN_FIFO_DIR,	/* files under a --fifo-dir only */
	KIND_CLEAN_SOCKET_DIR,	/* files under a --socket-dir only */
};

struct ipc_kind {
	const char *name;		/* --type word and JSON array name: "shm" */
	const char *title;		/* table section title */
	const char *source;		/* what collect reads, for messages */
	const struct column *columns;
	size_t ncolumns;
	const char *const *defaults;	/* default table columns, NULL-terminated */
	size_t objsize;
	bool sysv;			/* objects start with struct ipc_common */
	bool json_keyed;		/* JSON: object keyed by column 0, not an array */
	bool needs_scan;		/* objects come from the process scan */
	/*
	 * The process scan: what this kind claims of every process's fd links
	 * and maps lines (procscan.h).  The scan offers each fd link and each
	 * maps line holding a marker to the kinds in registry order, keeps
	 * what a kind claimed in its own index, and names no kind; the kind
	 * reads them back with procscan_fds(), procscan_maps() and
	 * procscan_claimed_fds().  NULL: claims nothing.
	 */
	const struct scan_fd_claim *claim_fds;
	const struct scan_maps_claim *claim_maps;
	size_t verdict_offset;		/* of struct verdict in an object; 0: none */
	/*
	 * Of the struct actor of the object's creator, for the remembered
	 * creators (creators.h); 0: the kernel records no creator of the
	 * kind.  Only SysV kinds (sysv: the key's id and ctime).
	 */
	size_t creator_offset;
	const struct field_spec *fields;	/* SysV: the /proc/sysvipc columns read */
	size_t nfields;
	const char *const *orphan_defaults;	/* table columns for `orphans` */

	/*
	 * The command line (cli-commands.c) and --help, which the
	 * completion reads: what `clean` takes of the kind, and whether
	 * `orphans` shows it.
	 */
	enum kind_clean clean;
	const char *clean_refusal;	/* KIND_CLEAN_NEVER: why, as -t's refusal says */
	bool never_orphan;		/* never orphan nor suspect: shown only when named */
	/*
	 * `metrics`: the JSON key of the column whose value (VAL_SIZE) is
	 * the bytes an object holds; NULL: the kind has no such size.
	 */
	const char *bytes_column;

	/*
	 * Reads every object of the current IPC namespace (or, with
	 * needs_scan, every object the scan found) into ret->objs.  Returns 0
	 * or -errno; on failure ret holds nothing.
	 */
	int (*collect)(const struct collect_ctx *ctx, struct kind_objs *ret);
	/* Fills *ret with the value of column col (an index into columns). */
	void (*get)(const void *obj, size_t col, struct value *ret);
	/* Releases what an object owns (not the object itself); may be NULL. */
	void (*free_obj)(void *obj);

	/* The judge phase (NULL where a kind has nothing to judge): */
	/* the pids whose facts judge() will need, and the object's times */
	void (*gather)(const void *obj, const struct owners *o, struct gather *g);
	/*
	 * fills the object's actors and holders from o (look-ups, no I/O),
	 * then decides its verdict: verdict_begin() with o->arena, decide()
	 */
	void (*judge)(void *obj, const struct owners *o);
	/*
	 * weighs what judge() filled in, a pure function of the object and o:
	 * w (from verdict_begin()) gets the verdict and its reasons as codes
	 */
	void (*decide)(void *obj, const struct owners *o, struct verdict_work *w);
	/*
	 * The words of the kind's own reasons (codes from REASON_KIND on, and
	 * REASON_ROLE_WORDS for its own roles) into buf; NULL: it has none.
	 */
	void (*reason_text)(const struct reason *r, char *buf, size_t size);
	/*
	 * the context pass (context.h): what the object says of its creation
	 * time, owner, name family and use; NULL: the pass skips the kind
	 */
	void (*describe)(const void *obj, const struct owners *o, struct ctx_obj *ret);
	/* --pid: the object is held, or was created or last used, by pid */
	bool (*involves)(const void *obj, int pid);

	/* Start-up cost: what the collect phase's thread decisions weigh */
	/*
	 * A cheap estimate of collect()'s work in lines read plus system
	 * calls made, from a count the kernel keeps (one system call, not the
	 * reading itself); NULL where there is no such count.  snapshot.c
	 * gives a kind a thread of its own, and the process scan one beside
	 * the kinds, only where the estimates say a thread pays.
	 */
	size_t (*estimate)(const struct collect_ctx *ctx);
	/*
	 * The act phase: what clean, rm, --backup, restore and the namespace
	 * walk do with the kind's objects (act.h, backup.h, restore.h).
	 * Policy is data (KIND_POLICY_* bits, act.h); a NULL hook means the
	 * kind does not do that.
	 */
	unsigned policy;
	/* what one object is called in messages ("shared memory segment"); NULL: name */
	const char *noun;
	/* why --backup cannot save one ("no backup for FIFOs: ..."); NULL: said generically */
	const char *no_backup;
	/* fills *ret with what names obj for people, reports, syslog and backups */
	void (*identify)(const void *obj, struct obj_ident *ret);
	/* re-checks obj and removes it (act.h); NULL: never removed */
	void (*remove)(const void *obj, const struct act_req *req, struct act_outcome *ret);
	/* saves an object before it goes and makes it again (backup.h); NULL: no backup */
	const struct kind_backup *backup;
};

struct kind_objs {
	const struct ipc_kind *kind;	/* NULL: not selected */
	struct vec objs;
	size_t skipped;			/* lines of the source that did not parse */
	bool unavailable;		/* the source does not exist: JSON null */
	struct vec notes;		/* char *: warnings of the collector, owned */
	const struct owners *owners;	/* set by the judge phase; NULL without */
};

extern const struct ipc_kind limits_kind;

/*
 * `metrics`: a row of limits_kind as a quantity (not an id or a boolean
 * setting, not "unlimited", and readable): its name and value, and its
 * usage where the kernel counts one (*ret_has_used).  False: no quantity.
 */
bool limits_quantity(const void *row, const char **ret_name, uint64_t *ret_value,
		     bool *ret_has_used, uint64_t *ret_used);

/* The counters the kernel keeps per IPC namespace, from the *_INFO commands. */
struct ipc_usage {
	bool shm, msg, sem;	/* that command answered */
	uint64_t shm_segments, shm_pages, msg_queues, sem_sets, sem_sems;
};

/* Reads them (three system calls); what did not answer is false and 0. */
void limits_read_usage(struct ipc_usage *ret);

/* The kinds of the registry (registry.h): their structs and indexes. */
#define KIND_EXTERN(id, name) extern const struct ipc_kind name##_kind;
IPC_KINDS(KIND_EXTERN)
#undef KIND_EXTERN

#define KIND_ENUM(id, name) KIND_##id,
enum kind_id { IPC_KINDS(KIND_ENUM) KIND_COUNT };
#undef KIND_ENUM
#define KINDS_POSIX ((1u << KIND_PSHM) | (1u << KIND_PSEM) | (1u << KIND_PMQ))
#define KINDS_SYSV ((1u << KIND_SHM) | (1u << KIND_MSG) | (1u << KIND_SEM))

/* The kinds `list` can show, indexed by enum kind_id. */
extern const struct ipc_kind *const ipc_kinds[KIND_COUNT];

/* The verdict of an object, or NULL for a kind without verdicts. */
static inline struct verdict *kind_verdict(const struct ipc_kind *kind, const void *obj)
{
	return kind->verdict_offset ? (struct verdict *)((char *)obj + kind->verdict_offset) : NULL;
}

/* Index of the column named name (case-insensitive), or -1. */
int kind_column_index(const struct ipc_kind *kind, const char *name);

/* Frees what one object owns (not the object itself). */
void kind_obj_free(const struct ipc_kind *kind, void *obj);

/* Frees every object and empties objs. */
void kind_objs_free(struct kind_objs *ko);

/*
 * Collects a SysV kind from its source (/proc/sysvipc/NAME) with its field
 * table (ret->kind->fields): the shared body of the three collectors.
 * fixup(obj, layout), if any, may adjust a parsed object before it is
 * stored.
 */
struct field_spec;
struct sysvipc_layout;
int sysvipc_collect(const struct collect_ctx *ctx, struct kind_objs *ret,
		    void (*fixup)(void *obj, const struct sysvipc_layout *layout));

/* Getter for the columns every SysV kind shares (the first SYSV_NCOMMON). */
enum {
	SYSV_COL_ID, SYSV_COL_KEY, SYSV_COL_PERMS,
	SYSV_COL_UID, SYSV_COL_USER, SYSV_COL_GID, SYSV_COL_GROUP,
	SYSV_COL_CUID, SYSV_COL_CUSER, SYSV_COL_CGID, SYSV_COL_CGROUP,
	SYSV_COL_CTIME,
	SYSV_NCOMMON
};
void sysv_common_get(const void *obj, size_t col, struct value *ret);

/* The describe hook (context.h) every SysV kind shares: owner, ctime, id. */
void sysv_describe(const void *obj, const struct owners *o, struct ctx_obj *ret);

/*
 * The shared columns as one initializer list, so each kind's column table
 * starts with them; what follows is the kind's own.
 */
#define SYSV_COMMON_COLUMNS(what) \
	{ "ID", "id", "identifier of the " what, 6, COL_RIGHT, NULL, NULL, COLT_INTEGER }, \
	{ "KEY", "key", "key (0x00000000: IPC_PRIVATE or removed)", 10, 0, NULL, NULL, COLT_STRING }, \
	{ "PERMS", "perms", "permission bits, octal", 5, COL_RIGHT, NULL, NULL, COLT_STRING }, \
	{ "UID", "uid", "owner user id", 5, COL_RIGHT, NULL, NULL, COLT_INTEGER }, \
	{ "USER", "user", "owner user name", 8, 0, NULL, NULL, COLT_STRING }, \
	{ "GID", "gid", "owner group id", 5, COL_RIGHT, NULL, NULL, COLT_INTEGER }, \
	{ "GROUP", "group", "owner group name", 8, 0, NULL, NULL, COLT_STRING }, \
	{ "CUID", "cuid", "creator user id", 5, COL_RIGHT, NULL, NULL, COLT_INTEGER }, \
	{ "CUSER", "cuser", "creator user name", 8, 0, NULL, NULL, COLT_STRING }, \
	{ "CGID", "cgid", "creator group id", 5, COL_RIGHT, NULL, NULL, COLT_INTEGER }, \
	{ "CGROUP", "cgroup", "creator group name", 8, 0, NULL, NULL, COLT_STRING }, \
	{ "CTIME", "ctime", "time of creation or last change", 11, 0, NULL, NULL, COLT_TIME }

#endif
