/*
 * The reasons of a verdict in words: the render side of verdict.h.  The
 * judge stores codes with their numbers; these turn them into the words
 * of the table, the JSON, reports and messages (a kind's own codes through
 * its reason_text hook).  Also the three verdict columns every kind has.
 */
#ifndef IPCINSPECT_REASONS_H
#define IPCINSPECT_REASONS_H

#include <stdbool.h>
#include <stddef.h>

#include "column.h"
#include "verdict.h"

struct idcache;
struct ipc_kind;
struct jw;

/* Room for one reason in words: a kind's reason_text writes at most this. */
#define REASON_TEXT_MAX 512

/*
 * Every reason of v in order: the judge's, then the context pass's (made
 * from v's marks).  ret has room for REASONS_LIST_MAX.  Returns how many.
 */
#define REASONS_LIST_MAX (VERDICT_MAX_REASONS + 4)
size_t verdict_reason_list(const struct verdict *v, struct reason *ret);

/*
 * One reason of kind's verdict v in words (raw bytes: comm and paths are
 * not escaped); users names the owner (NULL: a cache of this module's).
 * Caller frees.
 */
char *reason_words(const struct ipc_kind *kind, const struct verdict *v, const struct reason *r,
		   struct idcache *users);

/* "owner postgres runs 9 processes" for a verdict with owner_procs; caller frees. */
char *verdict_owner_text(const struct verdict *v, struct idcache *users);

/*
 * "orphan: nattch 0; creator 4658 exited", or "not judged" for an object
 * without a verdict; with escape each reason is escaped for a terminal.
 * Caller frees.
 */
char *verdict_words(const struct ipc_kind *kind, const void *obj, bool escape);

/* The reasons as a JSON array of strings / as "a; b" table text (caller frees). */
void reasons_write_json(struct jw *w, const struct ipc_kind *kind, const struct verdict *v,
			const struct render_opts *opts);
/* The reasons one item each ("; " between) into *ret; false: none. */
bool reasons_to_list(const struct ipc_kind *kind, const struct verdict *v,
		     const struct render_opts *opts, struct cell_list *ret);
char *reasons_to_text(const struct ipc_kind *kind, const struct verdict *v,
		      const struct render_opts *opts);

/* The three columns every kind has, and their values. */
#define VERDICT_COLUMNS \
	{ "VERDICT", "verdict", "in-use, orphan (proven unused), suspect (no evidence either way) or unknown", 8, 0, NULL, NULL, COLT_STRING }, \
	{ "REASONS", "reasons", "the evidence behind the verdict, in words", 0.4, COL_LIST, NULL, NULL, COLT_ARRAY }, \
	{ "AGE", "age", "seconds since the last recorded activity", 6, COL_RIGHT, NULL, NULL, COLT_DURATION }
enum { VCOL_VERDICT, VCOL_REASONS, VCOL_AGE, VCOL_COUNT };
void verdict_get(const struct ipc_kind *kind, const struct verdict *v, size_t vcol,
		 struct value *ret);

#endif
