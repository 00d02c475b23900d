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
 * no waiter), or with --force.
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
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <syslog.h>
#include <unistd.h>

#include "backup.h"
#include "model.h"
#include "restore.h"
#include "strutils.h"
#include "xalloc.h"

#define FILL_PIECE (1 << 20)	/* bytes read between two looks at the flag */

union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
};

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
	if (e->kind == &shm_kind)
		return shmget((key_t)e->m.key, 0, 0);
	if (e->kind == &msg_kind)
		return msgget((key_t)e->m.key, 0);
	return semget((key_t)e->m.key, 0, 0);
}

static int remove_id(const struct ipc_kind *kind, int id)
{
	union semun arg = { 0 };

	if (kind == &shm_kind)
		return shmctl(id, IPC_RMID, NULL);
	if (kind == &msg_kind)
		return msgctl(id, IPC_RMID, NULL);
	return semctl(id, 0, IPC_RMID, arg);
}

/* ---- what --replace would displace ------------------------------------------ */

/* The object id as the snapshot judged it, or NULL. */
static const void *judged(const struct snapshot *s, const struct ipc_kind *kind, int id)
{
	const struct kind_objs *ko = &s->kinds[kind == &shm_kind ? KIND_SHM :
					       kind == &msg_kind ? KIND_MSG : KIND_SEM];
	size_t i;

	for (i = 0; ko->kind && i < ko->objs.len; i++) {
		const struct ipc_common *ic = vec_at(&ko->objs, i);

		if (ic->id == id)
			return ic;
	}
	return NULL;
}

/* The owner of id now and what shows it in use now (attachments, waiters); -errno. */
static int live_use(const struct ipc_kind *kind, int id, unsigned *ret_uid, char **ret_use)
{
	if (kind == &shm_kind) {
		struct shmid_ds ds;

		if (shmctl(id, IPC_STAT, &ds) < 0)
			return -errno;
		*ret_uid = ds.shm_perm.uid;
		*ret_use = ds.shm_nattch ? xasprintf("nattch %" PRIu64, (uint64_t)ds.shm_nattch) : NULL;
	} else if (kind == &msg_kind) {
		struct msqid_ds ds;

		if (msgctl(id, IPC_STAT, &ds) < 0)
			return -errno;
		*ret_uid = ds.msg_perm.uid;
		*ret_use = NULL;	/* a queue shows no user: the verdict weighs its pids */
	} else {
		struct semid_ds ds;
		union semun arg = { .buf = &ds };
		unsigned long i, waiting = 0;

		if (semctl(id, 0, IPC_STAT, arg) < 0)
			return -errno;
		*ret_uid = ds.sem_perm.uid;
		for (i = 0; i < ds.sem_nsems; i++) {
			int n = semctl(id, (int)i, GETNCNT), z = semctl(id, (int)i, GETZCNT);

			if (n < 0 || z < 0)
				return -errno;
			waiting += (unsigned long)n + (unsigned long)z;
		}
		*ret_use = waiting ? xasprintf("%lu waiting", waiting) : NULL;
	}
	return 0;
}

/*
 * What holds the entry's key now, in words: "id 5 key 0x0000b001 owner
 * uid 4242, nattch 1, in-use: ...".  *ret_in_use unless it is proven
 * unused: an orphan in the snapshot, and nothing attached or waiting now.
 */
static char *displaced(const struct snapshot *s, const struct restore_entry *e, int id,
		       bool *ret_in_use)
{
	const void *obj = judged(s, e->kind, id);
	const struct verdict *v = obj ? kind_verdict(e->kind, obj) : NULL;
	_cleanup_free_ char *use = NULL, *words = NULL;
	unsigned uid;
	int r = live_use(e->kind, id, &uid, &use);

	*ret_in_use = true;
	if (r < 0)
		return xasprintf("id %d key 0x%08" PRIx32 " (%s)", id, e->m.key, strerror(-r));
	words = obj ? verdict_words(e->kind, obj, false)
		    : xstrdup("not judged (made after the process scan, or no scan)");
	*ret_in_use = use || !v || v->value != VERDICT_ORPHAN;
	return xasprintf("id %d key 0x%08" PRIx32 " owner uid %u%s%s, %s", id, e->m.key, uid,
			 use ? ", " : "", use ? use : "", words);
}

/* ---- making ------------------------------------------------------------------ */

/* kernel.{shm,msg,sem}_next_id (doc/kernel-facts.md, "Setting the next id"); -errno. */
static int set_next_id(const struct ipc_kind *kind, int id)
{
	_cleanup_free_ char *path = xasprintf("/proc/sys/kernel/%s_next_id", kind->name);
	char text[16];
	int fd = open(path, O_WRONLY | O_CLOEXEC), n, e = 0;

	if (fd < 0)
		return -errno;
	n = snprintf(text, sizeof(text), "%d", id);
	if (write(fd, text, (size_t)n) != n)
		e = errno ? errno : EIO;
	close(fd);
	return -e;
}

/*
 * Reads the checked data file into buf (n bytes) in pieces, stopping when
 * a signal was caught, and checks it is still what was verified; a
 * problem, or NULL.
 */
static char *fill_from_data(const struct restore_entry *e, void *buf, size_t n)
{
	char got[65];
	size_t done = 0;

	while (done < n) {
		size_t want = n - done < FILL_PIECE ? n - done : FILL_PIECE;
		ssize_t r;

		if (caught)
			return xasprintf("interrupted by SIG%s while filling", sigabbrev_np(caught));
		r = pread(e->data_fd, (char *)buf + done, want, (off_t)done);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return xasprintf("data: %s", r < 0 ? strerror(errno) : "shorter than verified");
		done += (size_t)r;
	}
	backup_sha256_hex(n ? buf : "", n, got);
	return strcmp(got, e->m.data_sha) == 0 ? NULL : xstrdup("data: changed since it was verified");
}

/* "shmget: No space left on device", with errno kept for the caller. */
static char *get_failed(const char *what)
{
	int e = errno;
	char *why = xasprintf("%s: %s", what, strerror(e));

	errno = e;
	return why;
}

static char *set_perm(const struct restore_entry *e, struct ipc_perm *perm)
{
	if (caught)
		return xasprintf("interrupted by SIG%s before the owner and mode were set",
				 sigabbrev_np(caught));
	perm->uid = e->m.uid;
	perm->gid = e->m.gid;
	perm->mode = e->m.mode;
	return NULL;
}

static char *create_shm(const struct restore_entry *e, int flags, int *ret_id)
{
	struct shmid_ds ds;
	char *why;
	void *p;
	int id = shmget((key_t)e->m.key, (size_t)e->m.size, flags);

	if (id < 0)
		return get_failed("shmget");
	*ret_id = id;
	p = shmat(id, NULL, 0);
	if (p == (void *)-1)
		return xasprintf("shmat: %s", strerror(errno));
	why = fill_from_data(e, p, (size_t)e->m.size);
	shmdt(p);
	if (why)
		return why;
	if (shmctl(id, IPC_STAT, &ds) < 0)
		return xasprintf("shmctl IPC_STAT: %s", strerror(errno));
	why = set_perm(e, &ds.shm_perm);
	if (!why && shmctl(id, IPC_SET, &ds) < 0)
		why = xasprintf("setting the owner and mode: %s", strerror(errno));
	return why;
}

static char *send_all(const struct restore_entry *e, int id, const char *data)
{
	_cleanup_free_ char *buf = xmalloc(sizeof(long) + e->m.data_bytes + 1);
	size_t i, off = 0;

	for (i = 0; i < e->m.nmsgs; i++) {
		if (caught)
			return xasprintf("interrupted by SIG%s after %zu messages",
					 sigabbrev_np(caught), i);
		*(long *)buf = e->m.types[i];
		memcpy(buf + sizeof(long), data + off, e->m.sizes[i]);
		off += e->m.sizes[i];
		if (msgsnd(id, buf, e->m.sizes[i], IPC_NOWAIT) < 0)
			return xasprintf("msgsnd of message %zu: %s", i, strerror(errno));
	}
	return NULL;
}

static char *create_msg(const struct restore_entry *e, int flags, int *ret_id)
{
	_cleanup_free_ char *data = xmalloc(e->m.data_bytes + 1);
	struct msqid_ds ds;
	char *why;
	int id = msgget((key_t)e->m.key, flags);

	if (id < 0)
		return get_failed("msgget");
	*ret_id = id;
	why = fill_from_data(e, data, (size_t)e->m.data_bytes);
	if (why)
		return why;
	if (msgctl(id, IPC_STAT, &ds) < 0)
		return xasprintf("msgctl IPC_STAT: %s", strerror(errno));
	/* room for the messages first: above msgmnb it takes CAP_SYS_RESOURCE */
	ds.msg_qbytes = e->m.qbytes;
	if (msgctl(id, IPC_SET, &ds) < 0)
		return xasprintf("setting qbytes to %" PRIu64 ": %s", e->m.qbytes, strerror(errno));
	why = send_all(e, id, data);
	if (why)
		return why;
	if (msgctl(id, IPC_STAT, &ds) < 0)
		return xasprintf("msgctl IPC_STAT: %s", strerror(errno));
	why = set_perm(e, &ds.msg_perm);
	if (!why && msgctl(id, IPC_SET, &ds) < 0)
		why = xasprintf("setting the owner and mode: %s", strerror(errno));
	return why;
}

static char *create_sem(const struct restore_entry *e, int flags, int *ret_id)
{
	struct semid_ds ds;
	union semun arg;
	char *why;
	int id = semget((key_t)e->m.key, (int)e->m.nvalues, flags);

	if (id < 0)
		return get_failed("semget");
	*ret_id = id;
	arg.array = e->m.values;
	if (semctl(id, 0, SETALL, arg) < 0)
		return xasprintf("semctl SETALL: %s", strerror(errno));
	arg.buf = &ds;
	if (semctl(id, 0, IPC_STAT, arg) < 0)
		return xasprintf("semctl IPC_STAT: %s", strerror(errno));
	why = set_perm(e, &ds.sem_perm);
	if (!why && semctl(id, 0, IPC_SET, arg) < 0)
		why = xasprintf("setting the owner and mode: %s", strerror(errno));
	return why;
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
	/* owner-only until it is complete: set_perm() gives the manifest's mode */
	int flags = IPC_CREAT | 0600, id = -1;
	char *why;

	if (e->m.key != IPC_PRIVATE)
		flags |= IPC_EXCL;
	if (o->same_id) {
		int r = set_next_id(e->kind, e->m.old_id);

		if (r < 0)
			return xasprintf("--same-id: cannot set kernel.%s_next_id: %s%s", e->kind->name,
					 strerror(-r), r == -EACCES || r == -EPERM ? " (root only)" : "");
	}
	why = e->kind == &shm_kind ? create_shm(e, flags, &id) :
	      e->kind == &msg_kind ? create_msg(e, flags, &id) : create_sem(e, flags, &id);
	if (o->same_id && id < 0) {
		bool taken = errno == ENOSPC;	/* the id's index is in use */

		set_next_id(e->kind, -1);	/* not used up: nobody else may get it */
		if (taken) {
			free(why);
			why = xasprintf("--same-id: id %d is taken in this namespace", e->m.old_id);
		}
	} else if (!why && o->same_id && id != e->m.old_id) {
		why = xasprintf("--same-id: got id %d, not %d", id, e->m.old_id);
	}
	if (why && id >= 0)
		remove_id(e->kind, id);	/* half made: not left behind */
	if (!why)
		e->new_id = id;
	return why;
}

void restore_one(const struct options *o, const struct snapshot *s, struct restore_entry *e)
{
	int holder = key_holder(e);
	_cleanup_free_ char *what = NULL;
	bool in_use = false;

	if (holder >= 0 && !o->replace) {
		e->action = "skipped";
		e->why = xasprintf("key 0x%08" PRIx32 " exists now (id %d): --replace removes that "
				   "object first", e->m.key, holder);
		return;
	}
	if (holder >= 0)
		what = displaced(s, e, holder, &in_use);
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
	if (holder >= 0 && remove_id(e->kind, holder) < 0) {
		e->action = "failed";
		e->why = xasprintf("removing %s: %s", what, strerror(errno));
		return;
	}
	e->why = make(o, e);
	e->action = e->why ? "failed" : "restored";
	if (e->why)
		return;
	if (holder >= 0)
		e->why = xasprintf("replaced %s", what);
	if (!o->no_syslog)
		log_restore(e, what);
}
