/*
 * What `clean` did not consider, said at the end of its report (issue 13):
 * the suspects of the kinds it took, left for lack of --suspects; the
 * orphans and suspects of the SysV and POSIX kinds it did not take (it
 * reads them anyway, to count them); and after it removed a SysV segment,
 * the POSIX suspects of the same owner it left (PostgreSQL finds its old
 * dynamic segments only through its old SysV segment: removing that one
 * strands them).
 */
#ifndef IPCINSPECT_LEFTOUT_H
#define IPCINSPECT_LEFTOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kind.h"
#include "vec.h"

struct jw;
struct snapshot;

struct left_out {
	size_t suspects;		/* of the kinds taken, for lack of --suspects */
	size_t kinds[KIND_COUNT];	/* kinds not taken: their orphans and suspects */
	struct vec stranded;		/* struct left_stranded: see above */
};

/* A suspect a removal left (its kind's policy: KIND_POLICY_STRANDABLE). */
struct left_stranded {
	const void *obj;
	const char *path;	/* raw; the object's */
};

#define LEFT_OUT_INIT { .stranded = VEC_INIT(struct left_stranded) }

/* Counts the orphans and suspects of the kinds in mask (not taken). */
void left_out_kinds(struct left_out *l, const struct snapshot *s, unsigned mask);

/*
 * After a segment of uid was removed: notes the suspects of uid of the
 * kinds a removal may strand (POSIX), but not those in removed (n objects
 * removed in this run), once each.
 */
void left_out_stranded(struct left_out *l, const struct snapshot *s, uint32_t uid,
		       const void *const *removed, size_t n);

/*
 * orphans -t: counts the orphans and suspects of the kinds in mask (read
 * only to count them) and drops those kinds from the snapshot.  Returns
 * "not considered: ...: add -t ..." or NULL when there are none; caller frees.
 */
char *left_out_drop(struct snapshot *s, unsigned mask);

/* The lines at the end of the text report (stdout), the warning (stderr). */
void left_out_print(const struct left_out *l, bool suspects);

/* The report's "not_considered" member. */
void left_out_json(struct jw *w, const struct left_out *l);

void left_out_free(struct left_out *l);

#endif
