/*
 * The commands that judge and remove: orphans, clean and rm.  CLI layer:
 * they print what they did and return the exit status (cleanup.c; rm's
 * checks of its targets in rm-check.c).  Removal itself is act.c's.
 */
#ifndef IPCINSPECT_CLEANUP_H
#define IPCINSPECT_CLEANUP_H

#include "cli.h"
#include "snapshot.h"

/* Keeps only orphans and suspects in s (to be rendered like list). */
void orphans_filter(struct snapshot *s);
/* orphans --check: EXIT_ORPHANS when an orphan is left in s, else EXIT_OK. */
int orphans_status(const struct snapshot *s);

int cmd_clean(const struct options *o, struct snapshot *s);
int cmd_rm(const struct options *o, struct snapshot *s);

/*
 * rm's checks of its targets (rm-check.c), shared with cmd_rm only.
 * has_sys_admin: whether CAP_SYS_ADMIN lets us remove anyone's object
 * here.  kind_words: what rm calls an object of kind k (static text).
 * find_target: the object t names in s, or NULL with *ret_problem set
 * (allocated, the caller frees it).  rm_problem: why rm refuses obj
 * (allocated), or NULL when it may go.
 */
bool has_sys_admin(void);
const char *kind_words(enum kind_id k);
const void *find_target(const struct snapshot *s, const struct rm_target *t,
			char **ret_problem);
char *rm_problem(const struct options *o, const struct ipc_kind *kind, const void *obj,
		 bool admin);

#endif
