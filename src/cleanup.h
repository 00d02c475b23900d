/*
 * The commands that judge and remove: orphans, clean and rm.  CLI layer:
 * they print what they did and return the exit status.  Removal itself is
 * act.c's.
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

#endif
