/*
 * restore, the making of objects (see restore.h): an object is created
 * owner-only (mode 0600), filled, and only then given the manifest's
 * owner and mode with IPC_SET, so an object with its final permissions is
 * complete.  On any failure after the creation the object this run made
 * is removed (IPC_RMID).  SIGINT, SIGTERM and SIGHUP during `restore
 * --yes` set a flag that the fill checks between pieces: the object being
 * made is then removed like a failed one, nothing more is restored, and
 * cmd_restore ends by that signal once it has reported.  --replace removes
 * the object holding the key only when it is proven unused (the verdict of
 * the snapshot is orphan and, read again right before, no attachment and
 * no waiter), through the kind's remove hook with the re-check clean
 * makes (nothing changed since the snapshot judged it); or, with --force,
 * whatever it is.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <syslog.h>
#include <unistd.h>

#include "act.h"
#include "backup.h"
#include "restore.h"
#include "strutils.h"
#include "xalloc.h"

#define FILL_PIECE (1 << 20)	/* bytes read between two looks at the flag */

static volatile sig_atomic_t caught;
static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };
static struct sigaction saved[3];

static void on_stop_signal(int sig)
{
	caught = sig;
}

void restore_catch_signals(bool on)
{
	struct sigaction sa = { .sa_handler = on_stop_signal };
	size_t i;

	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]); i++) {
		if (!on)
			sigaction(stop_signals[i], &saved[i], NULL);
		else if (sigaction(stop_signals[i], &sa, &saved[i]) == 0 &&
			 saved[i].sa_handler == SIG_IGN)
			sigaction(stop_signals[i], &saved[i], NULL);	/* nohup: still ignored */
	}
}

int restore_caught_signal(void)
{
	return caught;
}

/* The id of the object holding key now, or -1 (key 0 never collides). */
static int key_holder(const struct restore_entry *e)
{
	if (e->m.key == IPC_PRIVATE)
		return -1;
	return e->kind->backup->key_holder(e->m.key);
}

/* ---- what --replace would displace ------------------------------------------ */

/* The object id as the snapshot judged it, or NULL. */
static const void *judged(const struct snapshot *s, const struct ipc_kind *kind, int id)
{
	const struct kind_objs *ko = NULL;
	struct obj_ident ident;
	size_t i;

	for (i = 0; i < KIND_COUNT && !ko; i++)
		if (ipc_kinds[i] == kind)
			ko = &s->kinds[i];
	for (i = 0; ko && ko->kind && i < ko->objs.len; i++) {
		act_identify(kind, vec_at(&ko->objs, i), &ident);
		if (ident.has_id && ident.id == id)
			return vec_at(&ko->objs, i);
	}
	return NULL;
}

/*
 * What holds the entry's key now (id, judged as obj or not judged), in
 * words: "id 5 key 0x0000b001 owner uid 4242, nattch 1, in-use: ...".
 * *ret_in_use unless it is proven unused: an orphan in the snapshot, and
 * nothing attached or waiting now.
 */
static char *displaced(const struct restore_entry *e, const void *obj, int id, bool *ret_in_use)
{
	const struct verdict *v = obj ? kind_verdict(e->kind, obj) : NULL;
	_cleanup_free_ char *use = NULL, *words = NULL;
	unsigned uid;
	int r = e->kind->backup->live_use(id, &uid, &use);

	*ret_in_use = true;
	if (r < 0)
		return xasprintf("id %d key 0x%08" PRIx32 " (%s)", id, e->m.key, strerror(-r));
	words = obj ? verdict_words(e->kind, obj, false)
		    : xstrdup("not judged (made after the process scan, or no scan)");
	*ret_in_use = use || !v || v->value != VERDICT_ORPHAN;
	return xasprintf("id %d key 0x%08" PRIx32 " owner uid %u%s%s, %s", id, e->m.key, uid,
			 use ? ", " : "", use ? use : "", words);
}

/*
 * Removes the object holding e's key (id, judged as obj; what: in words)
 * so that e can be made: 0 (*ret_note: what the removal said besides,
 * "already gone", "marked for removal, still attached by 1", or NULL),
 * or -1 with e's action and why set.  Without --force obj was proven
 * unused, and goes only through the kind's remove hook with the re-check
 * clean makes: anything changed since the snapshot judged it (an attach,
 * a message, a semop) and it stays.
 */
static int displace(const struct options *o, struct restore_entry *e, const void *obj, int id,
		    const char *what, char **ret_note)
{
	struct act_outcome out;
	int r;

	if (o->force || !obj) {
		r = e->kind->backup->remove_id(id);
		if (r == 0)
			return 0;
		e->action = "failed";
		e->why = xasprintf("removing %s: %s", what, strerror(-r));
		return -1;
	}
	act_remove(e->kind, obj, ACT_SAME_STATE, NULL, false, &out);
	free(out.backup);
	if (out.result == ACT_SKIPPED) {
		e->action = "skipped";
		e->why = xasprintf("key 0x%08" PRIx32 " is held by %s: %s, --force removes it",
				   e->m.key, what, out.why);
	} else if (out.result == ACT_FAILED) {
		e->action = "failed";
		e->why = xasprintf("removing %s: %s", what, out.why);
	} else {
		*ret_note = out.why;
		return 0;
	}
	free(out.why);
	return -1;
}

/* ---- making ------------------------------------------------------------------ */

/* kernel.{shm,msg,sem}_next_id (doc/kernel-facts.md, "Setting the next id"); -errno. */
static int set_next_id(const struct ipc_kind *kind, int id)
{
	_cleanup_free_ char *path = xasprintf("/proc/sys/kernel/%s_next_id", kind->name);
	char text[16];
	int fd = open(path, O_WRONLY | O_CLOEXEC), n, e = 0;
	ssize_t w;

	if (fd < 0)
		return -errno;
	n = snprintf(text, sizeof(text), "%d", id);
	w = write(fd, text, (size_t)n);
	if (w != n)
		e = w < 0 ? errno : EIO;
	close(fd);
	return -e;
}

int restore_call_failed(const char *what, char **ret_why)
{
	int e = errno;

	*ret_why = xasprintf("%s: %s", what, strerror(e));
	return -e;
}

int restore_interrupted(const char *when, char **ret_why)
{
	int sig = caught;

	if (!sig)
		return 0;
	*ret_why = xasprintf("interrupted by SIG%s %s", sigabbrev_np(sig), when);
	return -EINTR;
}

int restore_fill(const struct restore_entry *e, void *buf, size_t n, char **ret_why)
{
	char got[65];
	size_t done = 0;

	while (done < n) {
		size_t want = n - done < FILL_PIECE ? n - done : FILL_PIECE;
		ssize_t r;
		int err;

		if (restore_interrupted("while filling", ret_why) < 0)
			return -EINTR;
		r = pread(e->data_fd, (char *)buf + done, want, (off_t)done);
		err = r < 0 ? errno : 0;
		if (err == EINTR)
			continue;
		if (err)
			return restore_call_failed("data", ret_why);
		if (r == 0) {
			*ret_why = xstrdup("data: shorter than verified");
			return -EIO;
		}
		done += (size_t)r;
	}
	backup_sha256_hex(n ? buf : "", n, got);
	if (strcmp(got, e->m.data_sha) == 0)
		return 0;
	*ret_why = xstrdup("data: changed since it was verified");
	return -EIO;
}

int restore_set_perm(const struct restore_entry *e, struct ipc_perm *perm, char **ret_why)
{
	if (restore_interrupted("before the owner and mode were set", ret_why) < 0)
		return -EINTR;
	perm->uid = e->m.uid;
	perm->gid = e->m.gid;
	perm->mode = e->m.mode;
	return 0;
}

static void log_restore(const struct restore_entry *e, const char *replaced)
{
	_cleanup_free_ char *path = escape_str(e->path, ESCAPE_TERM);
	_cleanup_free_ char *what = replaced ? escape_str(replaced, ESCAPE_TERM) : NULL;

	openlog("ipcinspect", LOG_PID, LOG_AUTHPRIV);
	syslog(LOG_NOTICE, "restored %s id=%d key=0x%08" PRIx32 " owner=%" PRIu32 " from %s%s%s%s "
	       "by uid=%u", e->kind->name, e->new_id, e->m.key, e->m.uid, path,
	       what ? " (replacing " : "", what ? what : "", what ? ")" : "", (unsigned)getuid());
	closelog();
}

/* Creates the verified entry e (the key is free now); a problem, or NULL. */
static char *make(const struct options *o, struct restore_entry *e)
{
	/* owner-only until it is complete: restore_set_perm() gives the manifest's mode */
	int flags = IPC_CREAT | 0600, id = -1, r;
	char *why = NULL;

	if (e->m.key != IPC_PRIVATE)
		flags |= IPC_EXCL;
	if (o->same_id) {
		r = set_next_id(e->kind, e->m.old_id);
		if (r < 0)
			return xasprintf("--same-id: cannot set kernel.%s_next_id: %s%s", e->kind->name,
					 strerror(-r), r == -EACCES || r == -EPERM ? " (root only)" : "");
	}
	r = e->kind->backup->create(e, flags, &id, &why);
	if (o->same_id && id < 0) {
		set_next_id(e->kind, -1);	/* not used up: nobody else may get it */
		if (r == -ENOSPC) {	/* the id's index is in use */
			free(why);
			why = xasprintf("--same-id: id %d is taken in this namespace", e->m.old_id);
		}
	} else if (r == 0 && o->same_id && id != e->m.old_id) {
		why = xasprintf("--same-id: got id %d, not %d", id, e->m.old_id);
	}
	if (why && id >= 0)
		e->kind->backup->remove_id(id);	/* half made: not left behind */
	if (!why)
		e->new_id = id;
	return why;
}

void restore_one(const struct options *o, const struct snapshot *s, struct restore_entry *e)
{
	int holder = key_holder(e);
	const void *obj = holder >= 0 ? judged(s, e->kind, holder) : NULL;
	_cleanup_free_ char *what = NULL, *note = NULL;
	bool in_use = false;

	if (holder >= 0 && !o->replace) {
		e->action = "skipped";
		e->why = xasprintf("key 0x%08" PRIx32 " exists now (id %d): --replace removes that "
				   "object first", e->m.key, holder);
		return;
	}
	if (holder >= 0)
		what = displaced(e, obj, holder, &in_use);
	if (in_use && !o->force) {
		e->action = "skipped";
		e->why = xasprintf("key 0x%08" PRIx32 " is held by %s: in use or not proven unused, "
				   "--force removes it", e->m.key, what);
		return;
	}
	if (!o->yes) {
		e->action = "would-restore";
		if (holder >= 0)
			e->why = xasprintf("would remove %s", what);
		return;
	}
	if (caught) {
		e->action = "failed";
		e->why = xasprintf("not restored: interrupted by SIG%s", sigabbrev_np(caught));
		return;
	}
	if (holder >= 0 && displace(o, e, obj, holder, what, &note) < 0)
		return;
	e->why = make(o, e);
	e->action = e->why ? "failed" : "restored";
	if (e->why)
		return;
	if (holder >= 0)
		e->why = xasprintf("replaced %s%s%s%s", what, note ? " (" : "", note ? note : "",
				   note ? ")" : "");
	if (!o->no_syslog)
		log_restore(e, what);
}
