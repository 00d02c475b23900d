/*
 * restore (part of the act phase): recreates SysV objects from the
 * entries `clean --backup` and `rm --backup` wrote (doc/backup-format.md).
 * Every entry is checked first (restore.c: the trust rule of
 * ipcinspect(1), sizes, SHA-256, the manifest); if one is bad, nothing is
 * created.  restore-make.c then makes the objects.
 */
#ifndef IPCINSPECT_RESTORE_H
#define IPCINSPECT_RESTORE_H

#include <stdbool.h>

#include "backupfmt.h"
#include "cli.h"
#include "snapshot.h"

/* Runs `restore` (a dry run unless --yes); returns the exit status. */
int cmd_restore(const struct options *o, const struct snapshot *s);

/* One backup entry: what its manifest says, then what became of it. */
struct restore_entry {
	char *path;		/* for messages and the report */
	int fd;			/* the entry's directory */
	int data_fd;		/* its data file, checked, or -1 */
	const struct ipc_kind *kind;
	bool parsed;		/* m holds the manifest (its key and id may be shown) */
	struct backupfmt_manifest m;
	/* the outcome */
	const char *action;	/* "restored", "would-restore", "skipped", "failed" */
	char *why;		/* owned, or NULL */
	int new_id;
};

/*
 * Restores one verified entry (or says what it would do, without --yes),
 * judging what holds its key by s: sets e->action, e->why, e->new_id.
 */
void restore_one(const struct options *o, const struct snapshot *s, struct restore_entry *e);

/*
 * While on, SIGINT, SIGTERM and SIGHUP only set a flag that the making of
 * an object checks (it then removes what it made); off puts back the
 * handlers there were.  restore_caught_signal() is that signal, or 0.
 */
void restore_catch_signals(bool on);
int restore_caught_signal(void);

#endif
