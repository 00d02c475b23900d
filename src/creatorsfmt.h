/*
 * The creators state file (creators.c, ipcinspect(1) "The state file"),
 * as text: what a watcher saw of each object's creator while it lived.
 * The one reader of the file: a pure function over bytes already read,
 * no I/O (creators.c opens, checks and reads the file), fuzzed alone
 * (tests/fuzz-creators.c) and unit-tested (tests/test-creators.c).  The
 * file is untrusted: anything that does not hold together refuses the
 * whole file, never part of it.
 */
#ifndef IPCINSPECT_CREATORSFMT_H
#define IPCINSPECT_CREATORSFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kind.h"

#define CREATORS_FORMAT "ipcinspect-creators"
#define CREATORS_VERSION 1
/* The bounds a reader holds the file to (a writer never goes past them). */
#define CREATORS_FILE_MAX (64u << 20)	/* bytes */
#define CREATORS_ENTRIES_MAX 262144	/* objects: far above the kernel's shmmni of 32768 a namespace */
#define CREATORS_ARGV_MAX 64		/* arguments kept of a command line */
#define CREATORS_STR_MAX 1024		/* bytes kept of each string */
#define CREATORS_ARGV_BYTES 4096	/* bytes kept of a command line's arguments, in all */
#define CREATORS_PID_MAX 4194304	/* PID_MAX_LIMIT */

/* What a watcher saw of an object's creator while it was alive. */
struct creator_memory {
	/* the key: a reused id has a later ctime */
	uint64_t ipc_ns;	/* inode of the IPC namespace */
	enum kind_id kind;
	int id;
	int64_t ctime;
	/* the creator */
	int pid;
	int64_t start_ms;	/* epoch milliseconds */
	char *comm;		/* raw bytes */
	char **argv;		/* NULL-terminated, raw bytes; may be empty */
	uint32_t euid;
	char *user;		/* the user name at record time, or NULL */
	char *unit;		/* systemd unit (cgroup_info), or NULL */
	char *container;	/* "runtime:id-or-name" as CONTAINER shows it, or NULL */
	int64_t seen;		/* epoch seconds of the first look that saw it alive */
};

/* Frees what m owns (not m). */
void creator_memory_free(struct creator_memory *m);

/* Orders memories by their key: (ipc_ns, kind, id, ctime). */
int creator_memory_cmp(const void *a, const void *b);

/*
 * Parses len bytes of the file (a NUL inside is an error) into *ret
 * (*ret_n entries, sorted by key, owned: free each with
 * creator_memory_free, then the array).  Returns 0, or -EBADMSG with
 * *ret_why (caller frees): what is wrong, in one line; *ret is then NULL.
 */
int creatorsfmt_parse(const char *text, size_t len, struct creator_memory **ret, size_t *ret_n,
		      char **ret_why);

/*
 * The inverse of the reversible escaping (strutils.h, ESCAPE_JSON) the
 * writer applied to every string: "\\" a backslash, "\xHH" a byte.
 * Returns the raw bytes (caller frees), or NULL when s is not such text
 * (another escape, or a NUL byte in the result).
 */
char *creatorsfmt_unescape(const char *s, size_t n);

/*
 * What people are told of m: "was ARGV, unit UNIT, container C" (argv
 * joined by blanks, its first CREATORS_TEXT_ARGV bytes; comm when argv is
 * empty), raw bytes: escape before printing.  Caller frees.
 */
#define CREATORS_TEXT_ARGV 200
char *creator_memory_text(const struct creator_memory *m);

#endif
