/*
 * restore, the procedure (see restore.h): find and check every entry
 * (restore-read.c), refuse them all if one is bad, make each object
 * (restore-make.c), report (restore-report.c).
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "restore.h"
#include "strutils.h"
#include "xalloc.h"

static void entry_free(struct restore_entry *e)
{
	if (e->fd >= 0)
		close(e->fd);
	if (e->data_fd >= 0)
		close(e->data_fd);
	free(e->path);
	backupfmt_manifest_free(&e->m);
	free(e->why);
}

/*
 * After a SIGINT, SIGTERM or SIGHUP during the restore (restore-make.c
 * removed the object it was making), says so and ends by that signal.
 */
static void end_if_caught(size_t restored)
{
	int sig = restore_caught_signal();

	restore_catch_signals(false);
	if (!sig)
		return;
	fflush(stdout);
	fprintf(stderr, "ipcinspect: restore: interrupted by SIG%s: the object being made was "
		"removed, nothing more was restored (%zu restored before stay)\n", sigabbrev_np(sig),
		restored);
	raise(sig);
}

int cmd_restore(const struct options *o, const struct snapshot *s)
{
	struct vec entries = VEC_INIT(struct restore_entry), problems = VEC_INIT(struct restore_entry);
	size_t i;
	int status = EXIT_OK;

	for (i = 0; i < o->npaths; i++)
		restore_find_entries(o->paths[i], &entries, &problems);
	/* every entry verified before anything is created: all or nothing */
	for (i = 0; i < entries.len; i++) {
		struct restore_entry *e = vec_at(&entries, i);
		char *why = restore_verify_entry(e);

		if (why)
			restore_add_problem(&problems, e->path, why, e->kind);
	}
	for (i = 0; i < problems.len; i++) {
		const struct restore_entry *e = vec_at(&problems, i);
		_cleanup_free_ char *path = escape_str(e->path, ESCAPE_TERM);
		_cleanup_free_ char *why = escape_str(e->why, ESCAPE_TERM);

		fprintf(stderr, "ipcinspect: restore %s: %s\n", path, why);
	}
	if (problems.len) {
		fprintf(stderr, "ipcinspect: restore: %zu of the backups %s refused: nothing was "
			"created\n", problems.len, problems.len == 1 ? "was" : "were");
		status = EXIT_DATA;
	} else {
		if (o->yes)
			restore_catch_signals(true);
		for (i = 0; i < entries.len; i++)
			restore_one(o, s, vec_at(&entries, i));
		if (restore_count(&entries, "failed") || restore_count(&entries, "skipped"))
			status = EXIT_DATA;
	}
	restore_report(&entries, &problems, s, o->render.json, !o->yes);
	if (o->yes && !problems.len)
		end_if_caught(restore_count(&entries, "restored"));
	for (i = 0; i < entries.len; i++)
		entry_free(vec_at(&entries, i));
	for (i = 0; i < problems.len; i++)
		entry_free(vec_at(&problems, i));
	vec_free(&entries);
	vec_free(&problems);
	return status;
}
