/*
 * ipci-preload.so: a test-only LD_PRELOAD library (built by `make check`,
 * never installed, never linked into ipcinspect) that counts, delays,
 * pauses and fails chosen libc calls of the command it is loaded into, so
 * the tests inject faults and drive races from the outside.  In short:
 *
 *   CALL    a function name (read, openat, shmctl, ...); or a ctl call
 *           with its command (shmctl.IPC_RMID, msgctl.MSG_STAT_ANY,
 *           semctl.GETNCNT, ...: counts only calls with that command);
 *           either may end in @ARG: for calls on a path (open, openat,
 *           fstatat, unlinkat, mkdirat, rename*: the new name), only
 *           calls whose path ends in ARG (openat@manifest.json); for
 *           calls on a SysV id (shmctl, msgctl, semctl, shmat, msgsnd,
 *           msgrcv, semop, semtimedop), only calls whose first argument
 *           is ARG exactly (shmctl.SHM_STAT_ANY@3: the index 3; an
 *           @ name is counted only when a rule names it).  Counts are
 *           1-based, per CALL name, atomic across threads.
 *   IPCI_FAULT="CALL:N:ERRNO[,...]"   the Nth call (or `*`: every call) of
 *           CALL does not happen: it returns -1 ((void *)-1 for shmat)
 *           with errno ERRNO, by name (EIO, ENOSPC, ENOMEM, ...).
 *   IPCI_PAUSE="CALL:N[,CALL:N...]", IPCI_PAUSE_DIR=DIR   right before
 *           the Nth call of CALL: write DIR/paused ("CALL N PID\n", via a
 *           temporary name and rename), wait until DIR/go exists (polled
 *           every 1 ms; after 60 s it goes on and says so on stderr),
 *           unlink DIR/paused then DIR/go, make the call.  With a list,
 *           each pause in turn (tests/lib.sh preload_continue).
 *   IPCI_DELAY="CALL:MS[,...]"   every call of CALL first sleeps MS ms.
 *   IPCI_COUNT=FILE   at exit, append "CALL COUNT" for each name counted
 *           at least once (bare names and suffixed ones).
 *   IPCI_TRACE="CALL[,...]", IPCI_TRACE_FILE=FILE   right before every
 *           call of CALL, append "SECONDS PID CALL ARG" to FILE (one
 *           write, O_APPEND: runs and processes can share it): SECONDS
 *           is CLOCK_MONOTONIC with 9 decimals, ARG the path or id the
 *           call takes (`-` when none), so a test can put what its own
 *           processes did in order with this command's calls.
 *   IPCI_PRELOAD_PROG=NAME   the library acts only in processes whose
 *           program name is NAME (default ipcinspect; `*`: any), so a
 *           wrapper such as timeout(1) passes it on untouched.
 *
 * Wrapped: read, pread(64), write, open(64), openat(64), fsync, fdatasync,
 * rename, renameat, renameat2, mkdirat, unlinkat, fstatat(64), statx,
 * shmat, shmdt, shmctl, msgsnd, msgrcv, msgctl, semctl, semop, semtimedop.
 * Calls glibc makes internally (fopen, opendir, ...) do not come here.
 * The library's own file operations go straight to the real functions,
 * so they are never counted.  A bad spec: one line on stderr, exit 125.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_NAMES 96
#define MAX_RULES 32
#define NAME_LEN 64

struct counter {
	char name[NAME_LEN];
	atomic_ulong n;
};

enum rule_type { RULE_FAULT, RULE_PAUSE, RULE_DELAY, RULE_TRACE };

struct rule {
	enum rule_type type;
	int counter;		/* index in counters[] */
	unsigned long nth;	/* 0: every call */
	int value;		/* errno, or milliseconds */
};

static struct counter counters[MAX_NAMES];
static atomic_int ncounters;
static struct rule rules[MAX_RULES];
static int nrules;
static bool ready;
static pid_t owner_pid;
static char pause_dir[512];
static int trace_fd = -1;

/* The real functions, found once (dlsym RTLD_NEXT). */
#define REAL(ret, name, ...) \
	static ret (*real_##name)(__VA_ARGS__); \
	static ret (*get_##name(void))(__VA_ARGS__) \
	{ \
		if (!real_##name) \
			real_##name = (ret(*)(__VA_ARGS__))dlsym(RTLD_NEXT, #name); \
		return real_##name; \
	}

REAL(ssize_t, read, int, void *, size_t)
REAL(ssize_t, pread, int, void *, size_t, off_t)
REAL(ssize_t, pread64, int, void *, size_t, off64_t)
REAL(ssize_t, write, int, const void *, size_t)
REAL(int, open, const char *, int, ...)
REAL(int, open64, const char *, int, ...)
REAL(int, openat, int, const char *, int, ...)
REAL(int, openat64, int, const char *, int, ...)
REAL(int, fsync, int)
REAL(int, fdatasync, int)
REAL(int, rename, const char *, const char *)
REAL(int, renameat, int, const char *, int, const char *)
REAL(int, renameat2, int, const char *, int, const char *, unsigned)
REAL(int, mkdirat, int, const char *, mode_t)
REAL(int, unlinkat, int, const char *, int)
REAL(int, fstatat, int, const char *restrict, struct stat *restrict, int)
REAL(int, fstatat64, int, const char *restrict, struct stat64 *restrict, int)
REAL(int, statx, int, const char *restrict, int, unsigned, struct statx *restrict)
REAL(void *, shmat, int, const void *, int)
REAL(int, shmdt, const void *)
REAL(int, shmctl, int, int, struct shmid_ds *)
REAL(int, msgsnd, int, const void *, size_t, int)
REAL(ssize_t, msgrcv, int, void *, size_t, long, int)
REAL(int, msgctl, int, int, struct msqid_ds *)
REAL(int, semctl, int, int, int, ...)
REAL(int, semop, int, struct sembuf *, size_t)
REAL(int, semtimedop, int, struct sembuf *, size_t, const struct timespec *)

/* Index of a counter by name, added when add is true; -1 if none. */
static int counter_find(const char *name, bool add)
{
	int i, n = atomic_load(&ncounters);

	for (i = 0; i < n; i++)
		if (strcmp(counters[i].name, name) == 0)
			return i;
	if (!add || n == MAX_NAMES || strlen(name) >= NAME_LEN)
		return -1;
	/* only the constructor adds (single-threaded then) */
	strcpy(counters[n].name, name);
	atomic_store(&ncounters, n + 1);
	return n;
}

static const struct {
	const char *name;
	int value;
} errnos[] = {
	{ "EIO", EIO }, { "ENOSPC", ENOSPC }, { "ENOMEM", ENOMEM }, { "EINTR", EINTR },
	{ "EACCES", EACCES }, { "EPERM", EPERM }, { "EAGAIN", EAGAIN }, { "EINVAL", EINVAL },
	{ "EIDRM", EIDRM }, { "ENOENT", ENOENT }, { "EEXIST", EEXIST }, { "EBUSY", EBUSY },
	{ "EDQUOT", EDQUOT }, { "EFBIG", EFBIG }, { "EROFS", EROFS }, { "EMFILE", EMFILE },
	{ "ENFILE", ENFILE }, { "E2BIG", E2BIG }, { "ENOMSG", ENOMSG }, { "ERANGE", ERANGE },
	{ "EFAULT", EFAULT }, { "EBADF", EBADF }, { "ENOTDIR", ENOTDIR }, { "ELOOP", ELOOP },
	{ "EXDEV", EXDEV }, { "ENOSYS", ENOSYS },
};

static void die(const char *what, const char *spec)
{
	fprintf(stderr, "ipci-preload: bad %s: %s\n", what, spec);
	_exit(125);
}

static int errno_by_name(const char *s, const char *spec)
{
	size_t i;

	for (i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (strcmp(errnos[i].name, s) == 0)
			return errnos[i].value;
	if (*s >= '1' && *s <= '9')
		return atoi(s);
	die("errno", spec);
	return 0;
}

/* "CALL:N:ERRNO", "CALL:N", "CALL:MS" or "CALL", by type, one item of a list. */
static void rule_parse(enum rule_type type, char *item, const char *var)
{
	char *name = item, *a = strchr(item, ':'), *b = NULL;
	struct rule *r;

	if (type == RULE_TRACE && !a && nrules < MAX_RULES) {
		r = &rules[nrules++];
		*r = (struct rule){ .type = RULE_TRACE, .counter = counter_find(name, true) };
		if (r->counter < 0)
			die(var, name);
		return;
	}
	if (!a || nrules == MAX_RULES)
		die(var, item);
	*a++ = '\0';
	if (type == RULE_FAULT) {
		b = strchr(a, ':');
		if (!b)
			die(var, item);
		*b++ = '\0';
	}
	r = &rules[nrules++];
	r->type = type;
	r->counter = counter_find(name, true);
	if (r->counter < 0)
		die(var, name);
	if (type == RULE_DELAY) {
		r->value = atoi(a);
		return;
	}
	r->nth = strcmp(a, "*") == 0 ? 0 : strtoul(a, NULL, 10);
	if (r->nth == 0 && strcmp(a, "*") != 0)
		die(var, a);
	if (type == RULE_PAUSE && r->nth == 0)
		die(var, "a pause needs a call number");
	if (b)
		r->value = errno_by_name(b, b);
}

static void rules_parse(enum rule_type type, const char *var)
{
	const char *v = getenv(var);
	char *copy, *item, *save = NULL;

	if (!v || !*v)
		return;
	copy = strdup(v);
	if (!copy)
		die(var, "out of memory");
	for (item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save))
		rule_parse(type, item, var);
	free(copy);
}

static void trace_open(void)
{
	const char *file = getenv("IPCI_TRACE_FILE");

	if (!file || !*file)
		die("IPCI_TRACE", "IPCI_TRACE_FILE is not set");
	trace_fd = get_open()(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (trace_fd < 0)
		die("IPCI_TRACE_FILE", file);
}

#define CMD(x) { #x, x }
static const struct ctl_cmd {
	const char *name;
	int cmd;
} shm_cmds[] = {
	CMD(IPC_RMID), CMD(IPC_SET), CMD(IPC_STAT), CMD(IPC_INFO), CMD(SHM_INFO), CMD(SHM_STAT),
	CMD(SHM_STAT_ANY), CMD(SHM_LOCK), CMD(SHM_UNLOCK), { NULL, 0 },
}, msg_cmds[] = {
	CMD(IPC_RMID), CMD(IPC_SET), CMD(IPC_STAT), CMD(IPC_INFO), CMD(MSG_INFO), CMD(MSG_STAT),
	CMD(MSG_STAT_ANY), { NULL, 0 },
}, sem_cmds[] = {
	CMD(IPC_RMID), CMD(IPC_SET), CMD(IPC_STAT), CMD(IPC_INFO), CMD(SEM_INFO), CMD(SEM_STAT),
	CMD(SEM_STAT_ANY), CMD(GETALL), CMD(GETNCNT), CMD(GETPID), CMD(GETVAL), CMD(GETZCNT),
	CMD(SETALL), CMD(SETVAL), { NULL, 0 },
};

static const char *cmd_name(const struct ctl_cmd *t, int cmd)
{
	for (; t->name; t++)
		if (t->cmd == cmd)
			return t->name;
	return NULL;
}

static void add_cmds(const char *bare, const struct ctl_cmd *t)
{
	char name[NAME_LEN];

	for (; t->name; t++) {
		snprintf(name, sizeof(name), "%s.%s", bare, t->name);
		counter_find(name, true);
	}
}

static const char *const base_names[] = {
	"read", "pread", "write", "open", "openat", "fsync", "fdatasync", "rename", "renameat",
	"renameat2", "mkdirat", "unlinkat", "fstatat", "statx", "shmat", "shmdt", "shmctl",
	"msgsnd", "msgrcv", "msgctl", "semctl", "semop", "semtimedop",
};

__attribute__((constructor)) static void preload_init(void)
{
	const char *d = getenv("IPCI_PAUSE_DIR"), *prog;
	size_t i;

	for (i = 0; i < sizeof(base_names) / sizeof(base_names[0]); i++)
		counter_find(base_names[i], true);
	add_cmds("shmctl", shm_cmds);
	add_cmds("msgctl", msg_cmds);
	add_cmds("semctl", sem_cmds);
	rules_parse(RULE_FAULT, "IPCI_FAULT");
	rules_parse(RULE_PAUSE, "IPCI_PAUSE");
	rules_parse(RULE_DELAY, "IPCI_DELAY");
	rules_parse(RULE_TRACE, "IPCI_TRACE");
	if (d)
		snprintf(pause_dir, sizeof(pause_dir), "%s", d);
	for (i = 0; i < (size_t)nrules; i++)
		if (rules[i].type == RULE_PAUSE && !*pause_dir)
			die("IPCI_PAUSE", "IPCI_PAUSE_DIR is not set");
	owner_pid = getpid();
	prog = getenv("IPCI_PRELOAD_PROG");
	if (!prog || !*prog)
		prog = "ipcinspect";
	ready = strcmp(prog, "*") == 0 || strcmp(program_invocation_short_name, prog) == 0;
	for (i = 0; ready && i < (size_t)nrules && trace_fd < 0; i++)
		if (rules[i].type == RULE_TRACE)
			trace_open();
}

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void say(const char *text)
{
	get_write()(2, text, strlen(text));
}

/* Before the call: write DIR/paused, wait for DIR/go, clean both up. */
static void pause_here(const char *call, unsigned long nth)
{
	char paused[600], tmp[620], go[600], line[128];
	int fd, n;
	long waited;

	snprintf(paused, sizeof(paused), "%s/paused", pause_dir);
	snprintf(tmp, sizeof(tmp), "%s/.paused.%d", pause_dir, (int)getpid());
	snprintf(go, sizeof(go), "%s/go", pause_dir);
	n = snprintf(line, sizeof(line), "%s %lu %d\n", call, nth, (int)getpid());
	fd = get_open()(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || get_write()(fd, line, (size_t)n) != n || close(fd) < 0 ||
	    get_rename()(tmp, paused) < 0)
		say("ipci-preload: cannot write the paused file\n");
	for (waited = 0; access(go, F_OK) < 0; waited++) {
		if (waited == 60000) {
			say("ipci-preload: no go after 60 s: going on\n");
			break;
		}
		sleep_ms(1);
	}
	/* paused first: once go is gone, so is paused (lib.sh preload_continue) */
	unlink(paused);
	unlink(go);
}

/* One "SECONDS PID CALL ARG" line, before the call. */
static void trace_here(const char *call, const char *arg)
{
	struct timespec ts;
	char line[NAME_LEN + 600];
	int n;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	n = snprintf(line, sizeof(line), "%lld.%09ld %d %s %s\n", (long long)ts.tv_sec,
		     ts.tv_nsec, (int)getpid(), call, arg && *arg ? arg : "-");
	if (n > 0 && (size_t)n < sizeof(line))
		get_write()(trace_fd, line, (size_t)n);
}

static int counter_hit(int c, const char *call, const char *arg)
{
	unsigned long nth = atomic_fetch_add(&counters[c].n, 1) + 1;
	int i, fault = 0;

	for (i = 0; i < nrules; i++) {
		const struct rule *r = &rules[i];

		if (r->counter != c)
			continue;
		if (r->type == RULE_DELAY)
			sleep_ms(r->value);
		else if (r->type == RULE_PAUSE && r->nth == nth)
			pause_here(call, nth);
		else if (r->type == RULE_FAULT && (r->nth == 0 || r->nth == nth) && !fault)
			fault = r->value;
		else if (r->type == RULE_TRACE && trace_fd >= 0)
			trace_here(call, arg);
	}
	return fault;
}

/*
 * Whether the counter named cn counts a call of bare with command sub (may
 * be NULL) and argument arg (may be NULL): cn is BARE, BARE.SUB, BARE@ARG
 * or BARE.SUB@ARG.  An @ filter matches the end of a path, or (exact) the
 * whole of an id.
 */
static bool name_matches(const char *cn, const char *bare, const char *sub, const char *arg,
			 bool exact)
{
	size_t blen = strlen(bare), alen, flen;
	const char *rest = cn + blen, *at;

	if (strncmp(cn, bare, blen) != 0 || (*rest && *rest != '.' && *rest != '@'))
		return false;
	at = strchr(rest, '@');
	if (*rest == '.') {
		size_t slen = at ? (size_t)(at - rest - 1) : strlen(rest + 1);

		if (!sub || strlen(sub) != slen || strncmp(rest + 1, sub, slen) != 0)
			return false;
	}
	if (!at)
		return true;
	if (!arg)
		return false;
	if (exact)
		return strcmp(arg, at + 1) == 0;
	alen = strlen(arg);
	flen = strlen(at + 1);
	return alen >= flen && strcmp(arg + alen - flen, at + 1) == 0;
}

/*
 * Counts one call under every name that counts it (see name_matches) and
 * runs their rules.  Returns the errno to fail the call with, or 0 to
 * make it.  Every name exists from the constructor on: counting adds none.
 */
static int hit_arg(const char *bare, const char *sub, const char *arg, bool exact)
{
	int i, n, f, fault = 0;

	if (!ready)
		return 0;
	n = atomic_load(&ncounters);
	for (i = 0; i < n; i++) {
		if (!name_matches(counters[i].name, bare, sub, arg, exact))
			continue;
		f = counter_hit(i, counters[i].name, arg);
		if (f && !fault)
			fault = f;
	}
	return fault;
}

static int hit(const char *bare, const char *sub, const char *path)
{
	return hit_arg(bare, sub, path, false);
}

/* A call on a SysV id (or index, for the *_STAT_ANY commands). */
static int hit_id(const char *bare, const char *sub, int id)
{
	char arg[16];

	snprintf(arg, sizeof(arg), "%d", id);
	return hit_arg(bare, sub, arg, true);
}

__attribute__((destructor)) static void preload_fini(void)
{
	const char *file = getenv("IPCI_COUNT");
	char line[NAME_LEN + 32];
	int fd, i, n;

	if (!ready || !file || !*file || getpid() != owner_pid)
		return;
	fd = get_open()(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	for (i = 0; i < atomic_load(&ncounters); i++) {
		unsigned long c = atomic_load(&counters[i].n);

		if (!c)
			continue;
		n = snprintf(line, sizeof(line), "%s %lu\n", counters[i].name, c);
		get_write()(fd, line, (size_t)n);
	}
	close(fd);
}

/* The wrappers: count, then fail or call. */
#define FAIL_OR(hit_expr, call) \
	do { \
		int err_ = (hit_expr); \
		if (err_) { \
			errno = err_; \
			return -1; \
		} \
		return call; \
	} while (0)

ssize_t read(int fd, void *buf, size_t n)
{
	FAIL_OR(hit("read", NULL, NULL), get_read()(fd, buf, n));
}

ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
	FAIL_OR(hit("pread", NULL, NULL), get_pread()(fd, buf, n, off));
}

ssize_t pread64(int fd, void *buf, size_t n, off64_t off)
{
	FAIL_OR(hit("pread", NULL, NULL), get_pread64()(fd, buf, n, off));
}

ssize_t write(int fd, const void *buf, size_t n)
{
	FAIL_OR(hit("write", NULL, NULL), get_write()(fd, buf, n));
}

#define MODE_ARG(flags, mode) \
	do { \
		if ((flags) & (O_CREAT | __O_TMPFILE)) { \
			va_list ap; \
			va_start(ap, flags); \
			mode = va_arg(ap, int); \
			va_end(ap); \
		} \
	} while (0)

int open(const char *path, int flags, ...)
{
	int mode = 0;

	MODE_ARG(flags, mode);
	FAIL_OR(hit("open", NULL, path), get_open()(path, flags, mode));
}

int open64(const char *path, int flags, ...)
{
	int mode = 0;

	MODE_ARG(flags, mode);
	FAIL_OR(hit("open", NULL, path), get_open64()(path, flags, mode));
}

int openat(int dirfd, const char *path, int flags, ...)
{
	int mode = 0;

	MODE_ARG(flags, mode);
	FAIL_OR(hit("openat", NULL, path), get_openat()(dirfd, path, flags, mode));
}

int openat64(int dirfd, const char *path, int flags, ...)
{
	int mode = 0;

	MODE_ARG(flags, mode);
	FAIL_OR(hit("openat", NULL, path), get_openat64()(dirfd, path, flags, mode));
}

int fsync(int fd)
{
	FAIL_OR(hit("fsync", NULL, NULL), get_fsync()(fd));
}

int fdatasync(int fd)
{
	FAIL_OR(hit("fdatasync", NULL, NULL), get_fdatasync()(fd));
}

int rename(const char *from, const char *to)
{
	FAIL_OR(hit("rename", NULL, to), get_rename()(from, to));
}

int renameat(int fd1, const char *from, int fd2, const char *to)
{
	FAIL_OR(hit("renameat", NULL, to), get_renameat()(fd1, from, fd2, to));
}

int renameat2(int fd1, const char *from, int fd2, const char *to, unsigned flags)
{
	FAIL_OR(hit("renameat2", NULL, to), get_renameat2()(fd1, from, fd2, to, flags));
}

int mkdirat(int dirfd, const char *path, mode_t mode)
{
	FAIL_OR(hit("mkdirat", NULL, path), get_mkdirat()(dirfd, path, mode));
}

int unlinkat(int dirfd, const char *path, int flags)
{
	FAIL_OR(hit("unlinkat", NULL, path), get_unlinkat()(dirfd, path, flags));
}

int fstatat(int dirfd, const char *restrict path, struct stat *restrict st, int flags)
{
	FAIL_OR(hit("fstatat", NULL, path), get_fstatat()(dirfd, path, st, flags));
}

int fstatat64(int dirfd, const char *restrict path, struct stat64 *restrict st, int flags)
{
	FAIL_OR(hit("fstatat", NULL, path), get_fstatat64()(dirfd, path, st, flags));
}

int statx(int dirfd, const char *restrict path, int flags, unsigned mask, struct statx *restrict st)
{
	FAIL_OR(hit("statx", NULL, path), get_statx()(dirfd, path, flags, mask, st));
}

void *shmat(int id, const void *addr, int flags)
{
	int err = hit_id("shmat", NULL, id);

	if (err) {
		errno = err;
		return (void *)-1;
	}
	return get_shmat()(id, addr, flags);
}

int shmdt(const void *addr)
{
	FAIL_OR(hit("shmdt", NULL, NULL), get_shmdt()(addr));
}

int shmctl(int id, int cmd, struct shmid_ds *buf)
{
	FAIL_OR(hit_id("shmctl", cmd_name(shm_cmds, cmd), id), get_shmctl()(id, cmd, buf));
}

int msgsnd(int id, const void *msg, size_t n, int flags)
{
	FAIL_OR(hit_id("msgsnd", NULL, id), get_msgsnd()(id, msg, n, flags));
}

ssize_t msgrcv(int id, void *msg, size_t n, long type, int flags)
{
	FAIL_OR(hit_id("msgrcv", NULL, id), get_msgrcv()(id, msg, n, type, flags));
}

int msgctl(int id, int cmd, struct msqid_ds *buf)
{
	FAIL_OR(hit_id("msgctl", cmd_name(msg_cmds, cmd), id), get_msgctl()(id, cmd, buf));
}

union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
	struct seminfo *info;
};

int semctl(int id, int num, int cmd, ...)
{
	union semun arg = { 0 };

	switch (cmd) {
	case IPC_STAT: case IPC_SET: case IPC_INFO: case SEM_INFO: case SEM_STAT:
	case SEM_STAT_ANY: case GETALL: case SETALL: case SETVAL: {
		va_list ap;

		va_start(ap, cmd);
		arg = va_arg(ap, union semun);
		va_end(ap);
		break;
	}
	default:
		break;
	}
	FAIL_OR(hit_id("semctl", cmd_name(sem_cmds, cmd), id), get_semctl()(id, num, cmd, arg));
}

int semop(int id, struct sembuf *ops, size_t n)
{
	FAIL_OR(hit_id("semop", NULL, id), get_semop()(id, ops, n));
}

int semtimedop(int id, struct sembuf *ops, size_t n, const struct timespec *t)
{
	FAIL_OR(hit_id("semtimedop", NULL, id), get_semtimedop()(id, ops, n, t));
}
