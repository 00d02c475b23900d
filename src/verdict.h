/*
 * Verdicts: for every object, whether it is in use, a proven orphan, a
 * suspect or unknown, with the evidence in words a person understands
 * (doc/kernel-facts.md, "Attachment count", "Unreadable processes" and "Pid
 * reuse" say what each piece of evidence is worth).  Kinds decide their
 * verdicts in their judge hooks with the helpers here; nothing here touches the kernel.
 */
#ifndef IPCINSPECT_VERDICT_H
#define IPCINSPECT_VERDICT_H

#include <stdbool.h>
#include <stdint.h>

#include "column.h"

struct actor;

enum verdict_value {
	VERDICT_NONE,		/* not judged: no process scan */
	VERDICT_IN_USE,		/* evidence of use */
	VERDICT_ORPHAN,		/* proven unused */
	VERDICT_SUSPECT,	/* no evidence of use, but no proof either */
	VERDICT_UNKNOWN,	/* not enough evidence */
};

#define VERDICT_MAX_REASONS 8

/*
 * The reasons are words for people, made only when they are shown
 * (kind_explain, then verdict_free): kept for every object they were
 * most of ipcinspect's memory at 100,000 objects.
 */
struct verdict {
	unsigned char value;		/* enum verdict_value */
	unsigned char nreasons;
	bool has_age;
	unsigned char ctx;		/* VCTX_*: evidence from beyond the object */
	uint32_t owner_uid;		/* owner_procs: whose processes */
	uint32_t owner_procs;		/* a suspect's owner runs this many processes */
	int64_t age;			/* seconds since the last recorded activity */
	char **reasons;			/* owned; NULL until explained */
	char *sibling;			/* a sibling in use, in words (owned), or NULL */
};

/*
 * The context pass (context.h) weighs what one object cannot say of
 * itself, after every object was judged alone; these mark what it found.
 */
enum {
	VCTX_DURING_SCAN = 1 << 0,	/* created after the process scan started */
};

/*
 * While deciding: evidence of use and gaps in the evidence.  Each
 * verdict_note_* updates these, and with explain adds a reason in words.
 */
struct verdict_work {
	struct verdict *v;
	bool explain;
	bool in_use;
	bool unknown;
};

void verdict_reason(struct verdict_work *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Weighs a judged pid in a role ("creator", "last user", "last sender",
 * "semaphore 2's last user"): alive is evidence of use, an unjudgeable pid
 * a gap, gone or nobody neither.  Returns false
 * (and adds no reason) for an actor that never acted, so callers can say
 * "never attached" their own way.
 */
bool verdict_note_actor(struct verdict_work *w, const char *role, const struct actor *a);

/*
 * The scan could not see every process that could hold the object
 * (procscan_sees_all() is false): says why, and marks the verdict unknown.
 */
struct procscan;
void verdict_note_unseen(struct verdict_work *w, const struct procscan *s);

/* Ends the decision: in use, else unknown, else `otherwise`. */
void verdict_finish(struct verdict_work *w, enum verdict_value otherwise);

/* The age from the latest of up to four times (0 = never). */
void verdict_set_age(struct verdict *v, int64_t now, int64_t t1, int64_t t2, int64_t t3,
		     int64_t t4);

/*
 * Weighs the context pass's marks (ctx, sibling, owner_procs) after a
 * kind's decide(): a suspect or orphan created during the scan, or with a
 * sibling in use, becomes unknown; a suspect whose owner runs processes
 * says so.  The same in the judge phase and when explained.
 */
void verdict_context_apply(struct verdict_work *w);

/* "owner postgres runs 9 processes" for a verdict with owner_procs; caller frees. */
char *verdict_owner_text(const struct verdict *v);

/* Frees the reasons; the verdict itself and its context marks stay. */
void verdict_free(struct verdict *v);

/* Frees everything the verdict owns. */
void verdict_free_all(struct verdict *v);

/* "in-use", "orphan", "suspect", "unknown", or NULL for VERDICT_NONE. */
const char *verdict_name(enum verdict_value v);

/* The three columns every kind has, and their values. */
#define VERDICT_COLUMNS \
	{ "VERDICT", "verdict", "in-use, orphan (proven unused), suspect (no evidence either way) or unknown", 8, 0, NULL, NULL }, \
	{ "REASONS", "reasons", "the evidence behind the verdict, in words", 0.4, COL_TRUNC, NULL, NULL }, \
	{ "AGE", "age", "seconds since the last recorded activity", 6, COL_RIGHT, NULL, NULL }
enum { VCOL_VERDICT, VCOL_REASONS, VCOL_AGE, VCOL_COUNT };
void verdict_get(const struct verdict *v, size_t vcol, struct value *ret);

#endif
