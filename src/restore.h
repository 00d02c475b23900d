/*
 * restore (part of the act phase): recreates SysV objects from the
 * entries `clean --backup` and `rm --backup` wrote (doc/backup-format.md).
 * Every entry is verified first (sizes, SHA-256, the manifest); if one is
 * bad, nothing is created.
 */
#ifndef IPCINSPECT_RESTORE_H
#define IPCINSPECT_RESTORE_H

#include "cli.h"
#include "snapshot.h"

/* Runs `restore` (a dry run unless --yes); returns the exit status. */
int cmd_restore(const struct options *o, const struct snapshot *s);

#endif
