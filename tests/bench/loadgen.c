/*
 * loadgen: the load of the benchmark (tests/bench/run.sh).  Given a scale
 * name it fills the IPC namespace it runs in, prints what it made as
 * NAME=VALUE lines, then "ready", and waits until stdin reaches EOF; then
 * it kills its holder processes and exits.  The objects go with the
 * namespace.  Run it only inside a private IPC+PID+mount namespace: it
 * refuses the initial IPC namespace and one that already holds SysV
 * objects, and it raises that namespace's kernel.{shmmni,msgmni,sem} (and
 * nothing else) so the large scale fits.
 *
 *   usage: loadgen small|medium|large FIFO-DIR
 *
 * With N objects of each SysV kind, H holders with P pipes each, F FIFOs
 * and A attachments (every choice is by index, so each run of a scale
 * makes the same objects; only ids, inodes and pids differ):
 *   shm   N one-page segments.  Every 4th (i % 4 == 0) is made by a child
 *         that exits at once: an orphan (nattch 0, creator gone).  Of the
 *         others, the first A are attached once each, attachment a by
 *         holder a % H; every 5th of those (a % 5 == 0) is then removed:
 *         removed but attached (SHM_DEST).
 *   msg   N queues.  Queue i gets i % 3 messages of 32 + i % 64 bytes from
 *         loadgen, and queues i % 4 == 1 one more from that child.
 *   sem   N sets of 4 semaphores.  Sets i % 3 == 0 are SETALL {1,2,3,0};
 *         on sets i % 3 == 1 the child adds 1 to semaphore 0.  Holder h
 *         with h % 10 == 9 blocks taking semaphore 3 of set h (a waiter);
 *         the other holders pause().
 *   pipe  holder h makes P pipes; pipe j keeps both ends (j % 3 == 0),
 *         only the read end (1) or only the write end (2).
 *   fifo  FIFO-DIR/fifo.K for K < F, opened by holder K % H: O_RDWR
 *         (K % 3 == 0), a read end only (1), or a read and a write fd
 *         (2); every 5th (K % 5 == 4) is unlinked once opened.
 * Holders are named "lg-holder" (comm), hold only stderr and their
 * objects, and die with loadgen (PR_SET_PDEATHSIG).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NSEMS 4
#define IPCMNI 32768		/* the most ids of a kind without ipcmni_extend */
#define INIT_IPC_NS 0xEFFFFFFFU	/* PROC_IPC_INIT_INO: the host's namespace */

struct scale {
	const char *name;
	int sysv, holders, pipes, fifos, attach;
};

static const struct scale scales[] = {
	{ "small", 100, 20, 4, 10, 20 },
	{ "medium", 4000, 200, 8, 100, 500 },
	{ "large", 32000, 1000, 16, 1000, 5000 },
};

union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
};

/* What was made: the ids, and the counts printed before "ready". */
struct load {
	const struct scale *sc;
	const char *fifo_dir;
	int *shm_attachable;	/* the segments loadgen made itself, in order */
	int nattachable;
	int *msg, *sem;
	pid_t *holders;
	long messages, msg_bytes;
};

static void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	fputs("loadgen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, e ? ": %s\n" : "\n", strerror(e));
	exit(2);
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		die("out of memory");
	return p;
}

/* The host's objects must never be touched: refuse anything but a fresh namespace. */
static void check_private_namespace(void)
{
	static const char *const files[] = { "/proc/sysvipc/shm", "/proc/sysvipc/msg",
					     "/proc/sysvipc/sem" };
	char line[512];
	struct stat st;
	size_t i;

	if (stat("/proc/self/ns/ipc", &st) < 0)
		die("/proc/self/ns/ipc");
	if (st.st_ino == INIT_IPC_NS) {
		errno = 0;
		die("this is the initial IPC namespace: run me in a private one (run.sh does)");
	}
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		FILE *f = fopen(files[i], "re");
		int lines = 0;

		if (!f)
			die("%s", files[i]);
		while (fgets(line, sizeof(line), f))
			lines++;
		fclose(f);
		errno = 0;
		if (lines > 1)
			die("%s is not empty: not a fresh IPC namespace", files[i]);
	}
}

static long read_long(const char *path)
{
	FILE *f = fopen(path, "re");
	long v;

	if (!f || fscanf(f, "%ld", &v) != 1)
		die("%s", path);
	fclose(f);
	return v;
}

static void write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		die("cannot raise %s to %s", path, text);
	close(fd);
}

/* Raises this IPC namespace's limits (per namespace: the host's stay). */
static void raise_limits(int n)
{
	long want = n + 64 > IPCMNI ? IPCMNI : n + 64, sem[4];
	char text[128];
	FILE *f;

	if (read_long("/proc/sys/kernel/shmmni") < want) {
		snprintf(text, sizeof(text), "%ld", want);
		write_text("/proc/sys/kernel/shmmni", text);
	}
	if (read_long("/proc/sys/kernel/msgmni") < want) {
		snprintf(text, sizeof(text), "%ld", want);
		write_text("/proc/sys/kernel/msgmni", text);
	}
	f = fopen("/proc/sys/kernel/sem", "re");
	if (!f || fscanf(f, "%ld %ld %ld %ld", &sem[0], &sem[1], &sem[2], &sem[3]) != 4)
		die("/proc/sys/kernel/sem");
	fclose(f);
	if (sem[3] < want || sem[1] < want * NSEMS || sem[0] < NSEMS) {
		snprintf(text, sizeof(text), "%ld %ld %ld %ld", sem[0] < NSEMS ? NSEMS : sem[0],
			 sem[1] < want * NSEMS ? want * NSEMS : sem[1], sem[2],
			 sem[3] < want ? want : sem[3]);
		write_text("/proc/sys/kernel/sem", text);
	}
}

static void make_queues_and_sets(struct load *l)
{
	static unsigned short values[NSEMS] = { 1, 2, 3, 0 };
	union semun arg = { .array = values };
	int i, n = l->sc->sysv;

	l->msg = xcalloc((size_t)n, sizeof(int));
	l->sem = xcalloc((size_t)n, sizeof(int));
	for (i = 0; i < n; i++) {
		l->msg[i] = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
		l->sem[i] = semget(IPC_PRIVATE, NSEMS, IPC_CREAT | 0600);
		if (l->msg[i] < 0 || l->sem[i] < 0)
			die("msgget/semget %d of %d", i, n);
		if (i % 3 == 0 && semctl(l->sem[i], 0, SETALL, arg) < 0)
			die("semctl SETALL");
	}
}

static void send_message(struct load *l, int queue, size_t len)
{
	struct { long mtype; char mtext[128]; } m = { .mtype = 1 };

	memset(m.mtext, 'x', len);
	if (msgsnd(queue, &m, len, IPC_NOWAIT) < 0)
		die("msgsnd");
	l->messages++;
	l->msg_bytes += (long)len;
}

static void fill_queues(struct load *l)
{
	int i, k;

	for (i = 0; i < l->sc->sysv; i++)
		for (k = 0; k < i % 3; k++)
			send_message(l, l->msg[i], (size_t)(32 + i % 64));
}

/*
 * The passer-by: a child that makes the orphan segments, sends to queues
 * i % 4 == 1 and operates on sets i % 3 == 1, then exits and is reaped.
 * Its messages are counted in the parent (the child's counts are lost).
 */
static void run_passer_by(struct load *l)
{
	struct sembuf op = { .sem_num = 0, .sem_op = 1 };
	int i, status;
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		for (i = 0; i < l->sc->sysv; i += 4)
			if (shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600) < 0)
				die("shmget (orphan)");
		for (i = 1; i < l->sc->sysv; i += 4)
			send_message(l, l->msg[i], 32);
		for (i = 1; i < l->sc->sysv; i += 3)
			if (semop(l->sem[i], &op, 1) < 0)
				die("semop");
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		die("the passer-by child failed");
	for (i = 1; i < l->sc->sysv; i += 4) {
		l->messages++;
		l->msg_bytes += 32;
	}
}

static void make_segments(struct load *l)
{
	int i, n = l->sc->sysv;

	l->shm_attachable = xcalloc((size_t)n, sizeof(int));
	for (i = 0; i < n; i++) {
		if (i % 4 == 0)
			continue;	/* the passer-by's */
		l->shm_attachable[l->nattachable] = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
		if (l->shm_attachable[l->nattachable] < 0)
			die("shmget %d of %d", i, n);
		l->nattachable++;
	}
	if (l->nattachable < l->sc->attach) {
		errno = 0;
		die("scale %s: fewer segments than attachments", l->sc->name);
	}
}

static void make_fifos(const struct load *l)
{
	char path[4096];
	int k;

	for (k = 0; k < l->sc->fifos; k++) {
		snprintf(path, sizeof(path), "%s/fifo.%d", l->fifo_dir, k);
		if (mkfifo(path, 0600) < 0)
			die("mkfifo %s", path);
	}
}

static void open_fifo(const struct load *l, int k)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/fifo.%d", l->fifo_dir, k);
	if (k % 3 == 0) {
		if (open(path, O_RDWR) < 0)
			die("open %s", path);
		return;
	}
	if (open(path, O_RDONLY | O_NONBLOCK) < 0)
		die("open %s", path);
	if (k % 3 == 2 && open(path, O_WRONLY | O_NONBLOCK) < 0)
		die("open %s", path);
}

/* Holder h's pipes, FIFOs and attachments, made in the holder. */
static void holder_take(const struct load *l, int h)
{
	int j, k, a, fds[2];

	for (j = 0; j < l->sc->pipes; j++) {
		if (pipe(fds) < 0)
			die("pipe");
		if (j % 3 == 1)
			close(fds[1]);
		else if (j % 3 == 2)
			close(fds[0]);
	}
	for (k = h; k < l->sc->fifos; k += l->sc->holders)
		open_fifo(l, k);
	for (a = h; a < l->sc->attach; a += l->sc->holders)
		if (shmat(l->shm_attachable[a], NULL, SHM_RDONLY) == (void *)-1)
			die("shmat");
}

static void __attribute__((noreturn)) holder_main(const struct load *l, int h, int ready)
{
	struct sembuf take = { .sem_num = 3, .sem_op = -1 };
	int null = open("/dev/null", O_RDWR);

	prctl(PR_SET_NAME, "lg-holder");
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() == 1)
		_exit(1);
	if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(ready, 3) < 0)
		die("holder %d: fds", h);
	close_range(4, ~0U, 0);
	holder_take(l, h);
	if (write(3, "", 1) != 1)
		die("holder %d: ready", h);
	close(3);
	for (;;) {
		if (h % 10 == 9)
			semop(l->sem[h], &take, 1);	/* blocks: semaphore 3 is 0 */
		else
			pause();
	}
}

/* Forks the holders; returns once every one has made what it holds. */
static void start_holders(struct load *l)
{
	int h, got = 0, pfd[2];
	char buf[256];
	ssize_t n;

	l->holders = xcalloc((size_t)l->sc->holders, sizeof(pid_t));
	if (pipe2(pfd, O_CLOEXEC) < 0)
		die("pipe");
	fflush(NULL);
	for (h = 0; h < l->sc->holders; h++) {
		l->holders[h] = fork();
		if (l->holders[h] < 0)
			die("fork");
		if (l->holders[h] == 0)
			holder_main(l, h, pfd[1]);
	}
	close(pfd[1]);
	while ((n = read(pfd[0], buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
		got += n > 0 ? (int)n : 0;
	close(pfd[0]);
	errno = 0;
	if (got != l->sc->holders)
		die("only %d of %d holders got ready", got, l->sc->holders);
}

/* Waits until the kernel counts every waiting holder (GETNCNT). */
static void wait_for_waiters(const struct load *l)
{
	struct timespec ms = { .tv_nsec = 1000000 };
	int h, tries;

	for (h = 9; h < l->sc->holders; h += 10) {
		for (tries = 0; semctl(l->sem[h], 3, GETNCNT) < 1; tries++) {
			errno = 0;
			if (tries > 10000)
				die("holder %d does not block on its set", h);
			nanosleep(&ms, NULL);
		}
	}
}

/* After the holders are set: remove attached segments, unlink FIFOs. */
static void remove_some(const struct load *l)
{
	char path[4096];
	int a, k;

	for (a = 0; a < l->sc->attach; a += 5)
		if (shmctl(l->shm_attachable[a], IPC_RMID, NULL) < 0)
			die("shmctl IPC_RMID");
	for (k = 4; k < l->sc->fifos; k += 5) {
		snprintf(path, sizeof(path), "%s/fifo.%d", l->fifo_dir, k);
		if (unlink(path) < 0)
			die("unlink %s", path);
	}
}

/* n of the i < total with i % mod in the set given as a bit mask. */
static int count_mod(int total, int mod, unsigned mask)
{
	int i, n = 0;

	for (i = 0; i < total; i++)
		n += (mask >> (i % mod)) & 1;
	return n;
}

static void print_made(const struct load *l)
{
	const struct scale *sc = l->sc;
	int pr = count_mod(sc->pipes, 3, 3), pw = count_mod(sc->pipes, 3, 5);
	int fr = sc->fifos, fw = count_mod(sc->fifos, 3, 5);

	printf("scale=%s\npid=%d\n", sc->name, (int)getpid());
	printf("shm=%d\nshm_orphans=%d\n", sc->sysv, count_mod(sc->sysv, 4, 1));
	printf("attachments=%d\nshm_removed_attached=%d\n", sc->attach, count_mod(sc->attach, 5, 1));
	printf("msg=%d\nmessages=%ld\nmsg_bytes=%ld\n", sc->sysv, l->messages, l->msg_bytes);
	printf("sem=%d\nsemaphores=%d\nsem_waiters=%d\n", sc->sysv, sc->sysv * NSEMS,
	       count_mod(sc->holders, 10, 1u << 9));
	printf("holders=%d\npipes=%d\npipe_readers=%d\npipe_writers=%d\n", sc->holders,
	       sc->holders * sc->pipes, sc->holders * pr, sc->holders * pw);
	printf("fifos=%d\nfifos_deleted=%d\nfifo_readers=%d\nfifo_writers=%d\n", sc->fifos,
	       count_mod(sc->fifos, 5, 1u << 4), fr, fw);
	printf("ready\n");
	fflush(stdout);
}

static void wait_for_eof(void)
{
	char buf[256];
	ssize_t n;

	while ((n = read(0, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
		;
}

static void stop_holders(const struct load *l)
{
	int h;

	for (h = 0; h < l->sc->holders; h++)
		kill(l->holders[h], SIGKILL);
	for (h = 0; h < l->sc->holders; h++)
		waitpid(l->holders[h], NULL, 0);
}

static const struct scale *scale_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(scales) / sizeof(scales[0]); i++)
		if (strcmp(scales[i].name, name) == 0)
			return &scales[i];
	return NULL;
}

int main(int argc, char **argv)
{
	struct load l = { 0 };

	if (argc != 3 || !(l.sc = scale_by_name(argv[1]))) {
		fprintf(stderr, "usage: loadgen small|medium|large FIFO-DIR\n");
		return 2;
	}
	l.fifo_dir = argv[2];
	check_private_namespace();
	raise_limits(l.sc->sysv);
	make_queues_and_sets(&l);
	fill_queues(&l);
	run_passer_by(&l);
	make_segments(&l);
	make_fifos(&l);
	start_holders(&l);
	remove_some(&l);
	wait_for_waiters(&l);
	print_made(&l);
	wait_for_eof();
	stop_holders(&l);
	free(l.shm_attachable);
	free(l.msg);
	free(l.sem);
	free(l.holders);
	return 0;
}
