/*
 * Remembered creators: the state file a watcher keeps (`--state FILE`,
 * ipcinspect(1) "The state file") of what it saw of each object's
 * creator while the creator lived, keyed by (IPC namespace, kind, id,
 * ctime), so that once the creator has exited `list`, `orphans`, `clean`
 * and `metrics` can still say who it was.  Only kinds whose kernel
 * records a creator pid have one (struct ipc_kind.creator_offset: SysV
 * shared memory's cpid).  A memory is evidence for people, never a
 * verdict's input.
 *
 * Meant for a loop that runs for months: creators_load() once,
 * creators_record() after each judged look, creators_save() when it said
 * something changed; entries of objects that are gone are pruned, so the
 * set never grows past the live objects.
 */
#ifndef IPCINSPECT_CREATORS_H
#define IPCINSPECT_CREATORS_H

#include <stdbool.h>

#include "creatorsfmt.h"
#include "snapshot.h"

/* The set: creators.c reads and writes it, creators-record.c keeps it. */
struct creators {
	struct creator_memory *v;	/* sorted by key (creator_memory_cmp) */
	size_t n;
	char *host;			/* of the last snapshot recorded, or NULL */
	struct idcache *users;		/* user names at record time, or NULL */
};

/*
 * Reads the state file at path: a regular file (never through a
 * symbolic link) owned by the effective uid, mode 0600 or stricter, at
 * most CREATORS_FILE_MAX bytes, that parses whole (creatorsfmt.h).  A
 * missing file is the first run: 0 and an empty set.  Returns 0 with
 * *ret (free with creators_free), or -errno with *ret_why (caller frees):
 * why the file is refused, in one line without the path.
 */
int creators_load(const char *path, struct creators **ret, char **ret_why);

/*
 * Records every object of s (its kinds and its --all-namespaces sections)
 * whose kind records a creator and whose creator is alive now, and
 * prunes the entries of the namespaces and kinds s read whose objects are
 * gone (and, when s covers all namespaces, the entries of IPC namespaces
 * no longer in use).  s must be a whole snapshot with the process scan,
 * not filtered (an object filtered out would be pruned).  Returns whether
 * the set changed.
 */
bool creators_record(struct creators *c, const struct snapshot *s);

/*
 * Writes the set to path atomically: a new file (mode 0600) in the same
 * directory, written, synced and renamed over path, then the directory
 * synced.  The directory must exist.  Returns 0 (also when only the
 * directory's sync failed: the file is in place), or -errno with
 * *ret_why (caller frees): the step that failed, in one line; path is
 * then as it was, and no temporary file is left.  A set whose file would
 * be larger than creators_load() reads is not written (-EFBIG).
 */
int creators_save(const struct creators *c, const char *path, char **ret_why);

/*
 * For list, orphans, clean and metrics: points the remembered member of
 * each creator of s that is gone (exited, zombie or pid reused) at the
 * memory of its object's key, if any; c must outlive s's rendering.
 */
void creators_attach(const struct creators *c, struct snapshot *s);

/*
 * m as JSON: with file, an entry of the state file (its key, start_ms);
 * else creator.remembered of the listing (ipcinspect-json(5); start in
 * epoch seconds).
 */
struct jw;
void creator_memory_write(struct jw *w, const struct creator_memory *m, bool file);

/* The number of entries. */
size_t creators_count(const struct creators *c);

/* Empties c, a set of the caller's (on the stack), of what it holds. */
void creators_clear(struct creators *c);

void creators_free(struct creators *c);

#endif
