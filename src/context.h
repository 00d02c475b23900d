/*
 * The context pass: the second half of the judge phase.  Each object is
 * first judged alone (the kinds' judge hooks); this pass then weighs what
 * only other objects and processes say of it (doc/kernel-facts.md,
 * "Context"):
 *   - created during the scan: an object whose creation is not proven to
 *     predate the process scan's start may have holders the scan missed;
 *   - siblings: objects of one kind, one owner and one name family (or,
 *     for SysV segments, one creator pid and close creation times) are one
 *     application's; while one is in use, the others are not suspects;
 *   - the owner: a suspect whose owner (not root) runs processes that
 *     could use it says so, and `clean` leaves it unless asked.
 * The rules are pure functions of the model, tested one by one
 * (tests/test-context.c); context_judge() applies them to a snapshot.
 */
#ifndef IPCINSPECT_CONTEXT_H
#define IPCINSPECT_CONTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "verdict.h"

struct owners;
struct procscan;
struct kind_objs;

/* Where an owner's processes must live to use an object. */
enum ctx_scope { SCOPE_IPC_NS, SCOPE_MNT_NS };

/* What an object says of itself to the context pass (a kind's describe hook). */
struct ctx_obj {
	struct verdict *v;		/* the object's verdict, judged alone */
	char *family;			/* owned: the sibling key, or NULL: none */
	bool has_uid;
	uint32_t uid;			/* the owner */
	int64_t time;			/* SysV segments: ctime, siblings must be close */
	bool during_scan;		/* not proven created before the scan started */
	unsigned char scope;		/* enum ctx_scope */
	const char *label;		/* borrowed: its name in a sibling's reasons */
	char label_buf[32];		/* the name when label is NULL: "shmid 5" */
	char use[96];			/* in use: the first evidence, "mapped by x[1]" */
};

/* Segments of one creator pid are siblings if created this close (seconds). */
#define SIBLING_CTIME_WINDOW 60

/*
 * The length of name's family stem: the name without its trailing number
 * ("PostgreSQL.1234" -> "PostgreSQL.") or without a random suffix after
 * its last '.', '-' or '_' (6 or more letters and digits, at least one a
 * digit: "app-x7Kq9Z" -> "app-").  0: the name has no family (no such
 * suffix, or nothing before it).
 */
size_t family_stem_len(const char *name);

/*
 * Whether a file whose status changed last at ctime (st_ctim) is not
 * proven to predate start: created (or changed) at or after it.
 */
bool created_during_scan(int64_t ctime_s, long ctime_ns, const struct timespec *start);

/*
 * Siblings: for each suspect or orphan in objs whose family holds an
 * object in use (same family, same uid; with time set, within
 * SIBLING_CTIME_WINDOW of it), sets its verdict's sibling to "LABEL,
 * USE" of that object.  Reorders objs.
 */
void context_siblings(struct ctx_obj *objs, size_t n);

/*
 * The processes of uid in the scan that could use an object of the given
 * scope (same IPC or mount namespace as ns), leaving out the pid self.
 */
uint32_t context_owner_procs(const struct procscan *s, uint32_t uid, enum ctx_scope scope,
			     uint64_t ns, int self);

/* The whole pass over a snapshot's kinds, with the scan in o. */
void context_judge(struct kind_objs *kinds, size_t nkinds, const struct owners *o);

#endif
