/*
 * Verdicts: for every object, whether it is in use, a proven orphan, a
 * suspect or unknown, with the evidence as reasons: small codes with
 * their numbers (doc/kernel-facts.md, "Attachment count", "Unreadable
 * processes" and "Pid reuse" say what each piece of evidence is worth).  Kinds decide their verdicts once, in the
 * judge phase, with the helpers here; render (reasons.h) turns the codes
 * into words.  Nothing here touches the kernel or reads a file.
 */
#ifndef IPCINSPECT_VERDICT_H
#define IPCINSPECT_VERDICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct actor;
struct procscan;

enum verdict_value {
	VERDICT_NONE,		/* not judged: no process scan */
	VERDICT_IN_USE,		/* evidence of use */
	VERDICT_ORPHAN,		/* proven unused */
	VERDICT_SUSPECT,	/* no evidence of use, but no proof either */
	VERDICT_UNKNOWN,	/* not enough evidence */
};

/*
 * The reasons every kind may give.  A kind's own start at REASON_KIND
 * (the same numbers mean different things in different kinds) and are
 * worded by the kind's reason_text hook.
 */
enum reason_code {
	REASON_NONE,
	/* a recorded pid (ref: struct actor) in a role */
	REASON_ACTOR_ALIVE,		/* "creator 5 (x) is alive" */
	REASON_ACTOR_ALIVE_SAME_SECOND,	/* ... ": it started in the same second as ctime" */
	REASON_ACTOR_EXITED,		/* "creator 5 exited", " (zombie)" */
	REASON_ACTOR_REUSED,		/* "... exited: pid 5 now belongs to y, started after ctime" */
	REASON_ACTOR_NOT_VISIBLE,	/* "creator is not visible in this pid namespace" */
	REASON_ACTOR_UNKNOWN,		/* "creator 5: " and why it cannot be judged */
	/* holders (ref: struct holder) */
	REASON_MAPPED_BY,		/* "mapped by comm[pid]" */
	REASON_HELD_FD,			/* "held open by comm[pid] (fd N)" */
	/* the scan could not see everything (verdict_note_unseen) */
	REASON_UNSEEN_OUTSIDE,		/* processes outside this PID namespace */
	REASON_UNSEEN_UNREADABLE,	/* n processes unreadable */
	REASON_UNSEEN_HIDDEN,		/* ref: /proc's hidepid= (static text) */
	/* the context pass (context.h): made from the verdict's marks, never stored */
	REASON_DURING_SCAN,
	REASON_SIBLING,			/* ref: the sibling's words */
	REASON_OWNER_RUNS,		/* aux: the owner's uid, n: its processes */
	REASON_REMOVEIPC,		/* aux: the owner's uid (logind.h) */
	/* a file held by no process listed, but by ipcinspect (procscan_self_fds) */
	REASON_HELD_BY_SELF,
	REASON_KIND = 64,
};

/* The roles of a recorded pid; a kind's own from ROLE_KIND on (its reason_text). */
enum reason_role {
	ROLE_CREATOR,
	ROLE_LAST_USER,
	ROLE_LAST_SENDER,
	ROLE_LAST_RECEIVER,
	ROLE_KIND = 128,
};

/*
 * A kind's reason_text hook is asked for the words of its own roles with
 * a reason of this code (role and aux as the actor's reason has them).
 */
#define REASON_ROLE_WORDS (REASON_KIND - 1)

/*
 * One reason, as the judge gives it and render reads it.  Kept packed (a
 * few bytes each: 100,000 objects keep about three) and unpacked by
 * verdict_reasons().
 */
struct reason {
	uint16_t code;			/* enum reason_code, or a kind's own */
	uint8_t role;			/* actors: enum reason_role */
	uint8_t flag;			/* the kind's use ("and others"), and REASON_F_* */
	uint32_t aux;			/* a second number: a semaphore's index, a pid */
	union {
		uint64_t n;		/* a count */
		const void *ref;	/* borrowed from the model: an actor, a holder */
	};
};

/*
 * Objects move (the listing is sorted, `orphans` keeps some): a reason
 * about an actor kept in the object itself holds its offset in the
 * object (n) instead of a pointer.  Everything else a reason refers to
 * (holder arrays, facts, paths) stays where it is.
 */
#define REASON_F_IN_OBJECT 0x80

#define VERDICT_MAX_REASONS 8

/*
 * A verdict's reasons are the decide() hook's, in the order given, then
 * those of the context pass, which render makes from ctx, sibling and
 * owner_procs.
 */
struct verdict {
	unsigned char value;		/* enum verdict_value */
	unsigned char nreasons;
	bool has_age;
	unsigned char ctx;		/* VCTX_*: evidence from beyond the object */
	uint32_t owner_uid;		/* owner_procs, VCTX_REMOVEIPC: the owner */
	uint32_t owner_procs;		/* a suspect's owner runs this many processes */
	uint32_t age;			/* seconds since the last recorded activity */
	const uint8_t *reasons;		/* packed, in the judge's reason_arena; NULL: none */
	char *sibling;			/* a sibling in use, in words (owned), or NULL */
};

/* Unpacks v's nreasons reasons into ret. */
void verdict_reasons(const struct verdict *v, struct reason *ret);

/*
 * The context pass (context.h) weighs what one object cannot say of
 * itself, after every object was judged alone; these mark what it found.
 * After verdict_context_apply() a mark is set only where it changed the
 * verdict (or, for owner_procs, where the object stays a suspect).
 */
enum {
	VCTX_DURING_SCAN = 1 << 0,	/* created after the process scan started */
	/* RemoveIPC= would remove it in use (logind.h): evidence, never a verdict */
	VCTX_REMOVEIPC = 1 << 1,
};

/*
 * Where the reasons of every verdict live, packed: blocks that never
 * move, so a verdict points at its own.  Owned by the judge phase (struct owners);
 * the reasons borrow from the objects and the facts, and are freed with
 * the snapshot.  One judge at a time appends to an arena.
 */
struct reason_arena;
struct reason_arena *reason_arena_new(void);
void reason_arena_free(struct reason_arena *a);

/* While deciding: evidence of use and gaps in the evidence. */
struct verdict_work {
	struct verdict *v;
	const char *obj;		/* the object v is in, objsize bytes */
	size_t objsize;
	struct reason_arena *arena;
	bool in_use;
	bool unknown;
	unsigned n;			/* reasons given so far */
	struct reason given[VERDICT_MAX_REASONS];	/* packed by verdict_finish() */
	struct reason dropped;		/* past VERDICT_MAX_REASONS: written, never read */
};

/* Starts deciding v, the verdict of obj (objsize bytes): no reasons yet. */
void verdict_begin(struct verdict_work *w, struct verdict *v, const void *obj, size_t objsize,
		   struct reason_arena *arena);

/*
 * Adds a reason of code: the caller fills in its numbers.  Past
 * VERDICT_MAX_REASONS the reason is dropped (into w->dropped).
 */
struct reason *verdict_reason(struct verdict_work *w, unsigned code);

/*
 * Weighs a judged pid in a role (aux: the kind's number for it, a
 * semaphore's index): alive is evidence of use, an unjudgeable pid a gap,
 * gone or nobody neither.  Returns false (and adds no reason) for an
 * actor that never acted, so callers can say "never attached" their own
 * way.
 */
bool verdict_note_actor(struct verdict_work *w, unsigned role, uint32_t aux, const struct actor *a);

/*
 * The scan could not see every process that could hold the object
 * (procscan_sees_all() is false): says why, and marks the verdict unknown.
 */
void verdict_note_unseen(struct verdict_work *w, const struct procscan *s);

/*
 * Ends the decision: in use, else unknown, else `otherwise`; the reasons
 * given are packed into the arena and v points at them.
 */
void verdict_finish(struct verdict_work *w, enum verdict_value otherwise);

/* The age from the latest of up to four times (0 = never). */
void verdict_set_age(struct verdict *v, int64_t now, int64_t t1, int64_t t2, int64_t t3,
		     int64_t t4);

/*
 * Weighs the context pass's marks (ctx, sibling) after a kind's decide():
 * a suspect or orphan created during the scan, or with a sibling in use,
 * becomes unknown.  Marks that change nothing are cleared.
 */
void verdict_context_apply(struct verdict *v);

/* Frees everything the verdict owns (its reasons belong to the arena). */
void verdict_free_all(struct verdict *v);

/* "in-use", "orphan", "suspect", "unknown", or NULL for VERDICT_NONE. */
const char *verdict_name(enum verdict_value v);

#endif
