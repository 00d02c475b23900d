/*
 * restore (part of the act phase): recreates objects from the entries
 * `clean --backup` and `rm --backup` wrote (doc/backup-format.md), through
 * the backup hooks of their kinds (backup.h).  Every entry is checked
 * first (restore-read.c: the trust rule of ipcinspect(1), sizes, SHA-256,
 * the manifest); if one is bad, nothing is created.  restore-make.c then
 * makes the objects, restore-report.c says what became of them, and
 * restore.c runs those steps.
 */
#ifndef IPCINSPECT_RESTORE_H
#define IPCINSPECT_RESTORE_H

#include <stdbool.h>
#include <stddef.h>

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
 * restore-read.c: adds the entries under arg (an entry, or a directory of
 * entries) to entries, and what cannot be read to problems (each struct
 * restore_entry; the vectors own them).  restore_verify_entry() checks an
 * entry's files against the trust rule and their checksums and reads its
 * manifest: a problem (caller frees), or NULL.  restore_add_problem()
 * adds a refused path (why is taken over).
 */
struct vec;
void restore_find_entries(const char *arg, struct vec *entries, struct vec *problems);
char *restore_verify_entry(struct restore_entry *e);
void restore_add_problem(struct vec *problems, const char *path, char *why,
			 const struct ipc_kind *kind);

/*
 * restore-report.c: prints the report of entries (or, when some were
 * refused, of problems) as text or JSON, and the line on standard error
 * when some were not restored.  restore_count() counts the entries whose
 * action is action.
 */
void restore_report(const struct vec *entries, const struct vec *problems,
		    const struct snapshot *s, bool json, bool dry_run);
size_t restore_count(const struct vec *entries, const char *action);

/*
 * For the kinds' create hooks (struct kind_backup): the shared steps of
 * making an object.  Each returns 0, or -errno with *ret_why (caller
 * frees) saying what failed.
 *
 * restore_call_failed(): "shmget: No space left on device" of the errno
 * the failed call what left (read first).  restore_fill(): reads the
 * checked data file into buf (n bytes) in pieces, stopping when a signal
 * was caught, and checks it is still what was verified.
 * restore_set_perm(): the manifest's owner and mode into perm, unless a
 * signal was caught.  restore_interrupted(): -EINTR with "interrupted by
 * SIGx <when>" when a signal was caught, else 0.
 */
struct ipc_perm;
int restore_call_failed(const char *what, char **ret_why);
int restore_fill(const struct restore_entry *e, void *buf, size_t n, char **ret_why);
int restore_set_perm(const struct restore_entry *e, struct ipc_perm *perm, char **ret_why);
int restore_interrupted(const char *when, char **ret_why);

/*
 * While on, SIGINT, SIGTERM and SIGHUP only set a flag that the making of
 * an object checks (it then removes what it made); off puts back the
 * handlers there were.  restore_caught_signal() is that signal, or 0.
 */
void restore_catch_signals(bool on);
int restore_caught_signal(void);

#endif
