/*
 * racer: the processes of the race torture (tests/ts-torture.sh), run only
 * inside its private namespaces.  Three commands:
 *
 *   racer populate NOBJ FIFODIR GEN
 *       Makes what is missing of the population, in a child that exits
 *       (so all of it starts orphaned): NOBJ segments, queues and sets of
 *       3 semaphores at keys 0x7a17XXXX, 0x7a18XXXX, 0x7a19XXXX (XXXX the
 *       index), and POSIX shm files /dev/shm/tps.I.GEN and FIFOs
 *       FIFODIR/tfi.I.GEN for each index I that has none (a name is
 *       never used twice, so a removal is known by its name).  Every
 *       other object is also used once by that child.  Prints "created N".
 *
 *   racer run NOBJ FIFODIR OUT STOPFILE SECONDS SEED RACERS
 *       Forks RACERS worker slots and one holder slot.  A worker lives a
 *       random 0.2-1.5 s and its slot is then given to a new one, until
 *       STOPFILE exists or SECONDS passed; the holder lives throughout
 *       and holds what it takes for up to 3 s.  At random moments (the
 *       RNG is seeded from SEED, the slot and the generation) each
 *       attaches a segment (by key or by a remembered id), opens and maps
 *       a POSIX file, opens a FIFO O_RDWR|O_NONBLOCK, sends to or
 *       receives from a queue (IPC_NOWAIT), operates on a set, or waits
 *       on a semaphore with semtimedop.  Queues and sets are split among
 *       the slots (index % slots): so the last sender, receiver or
 *       semaphore user of one is the slot's live process from its first
 *       successful call on until it exits.
 *       A use "vanishes" when the object is removed while in use: a
 *       segment SHM_DEST-marked while attached, a file or FIFO unlinked
 *       while its fd or mapping is held, a queue or set gone (EIDRM,
 *       EINVAL) after we acted on it or while we were blocked on it.
 *       Each vanished use is one line in OUT, as it is seen:
 *         inuse KIND OBJECT REGISTERED_NS SEEN_NS PID HOW
 *       (CLOCK_MONOTONIC; REGISTERED: when the kernel surely counted our
 *       use: after shmat/open/msgsnd/semop returned, or when GETNCNT
 *       showed our wait; 0 when a wait was never seen counted).  At its
 *       end each process adds "uses PID shm N msg N sem N wait N pshm N
 *       fifo N gone N" (gone: found missing before any use).
 *
 *   racer judge OUT TRACE
 *       Puts each vanished object next to the ipcinspect calls the
 *       preload library traced (IPCI_TRACE: the re-check and the
 *       removal of each object) and prints one line per object and
 *       "judged N in-use N window N": in-use when our use was registered
 *       before the re-check that came before its removal read it (its
 *       *_STAT_ANY call; for a file, its /proc walk opening our /proc/PID)
 *       - the re-check had to see it; window when it was registered after
 *       (the gap between the re-check and IPC_RMID or unlinkat, which no
 *       check can close); in-use too when no removal of it was traced.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define KEY_SHM 0x7a170000
#define KEY_MSG 0x7a180000
#define KEY_SEM 0x7a190000
#define NSEMS 3
#define SEG 4096
#define MAX_HOLDS 24
#define MAX_OBJ 64

enum kind { K_SHM, K_MSG, K_SEM, K_WAIT, K_PSHM, K_FIFO, K_COUNT };
static const char *const kind_names[K_COUNT] = { "shm", "msg", "sem", "wait", "pshm", "fifo" };

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void sleep_us(long us)
{
	struct timespec ts = { .tv_sec = us / 1000000, .tv_nsec = (us % 1000000) * 1000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* splitmix64: small, seedable, good enough to pick moments */
static uint64_t rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned below(uint64_t *s, unsigned n)
{
	return n ? (unsigned)(rnd(s) % n) : 0;
}

/* ---- populate ------------------------------------------------------------ */

/* Whether DIR has an entry named PREFIX followed by anything. */
static bool has_prefix(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	bool found = false;

	while (d && !found && (e = readdir(d)))
		found = strncmp(e->d_name, prefix, strlen(prefix)) == 0;
	if (d)
		closedir(d);
	return found;
}

static int make_sysv(int i)
{
	struct sembuf ops[2] = { { 0, 1, 0 }, { 0, -1, 0 } };
	struct { long type; char c; } m = { 1, 'p' };
	int n = 0, id;
	void *a;

	if ((id = shmget(KEY_SHM + i, SEG, IPC_CREAT | IPC_EXCL | 0600)) >= 0) {
		n++;
		if (i % 2 && (a = shmat(id, NULL, 0)) != (void *)-1)
			shmdt(a);
	}
	if ((id = msgget(KEY_MSG + i, IPC_CREAT | IPC_EXCL | 0600)) >= 0) {
		n++;
		if (i % 2)
			msgsnd(id, &m, 1, IPC_NOWAIT);
	}
	if ((id = semget(KEY_SEM + i, NSEMS, IPC_CREAT | IPC_EXCL | 0600)) >= 0) {
		n++;
		if (i % 2)
			semop(id, ops, 2);
	}
	return n;
}

static int make_files(int i, const char *fifodir, const char *gen)
{
	char prefix[32], path[4096];
	int n = 0, fd;

	snprintf(prefix, sizeof(prefix), "tps.%d.", i);
	if (!has_prefix("/dev/shm", prefix)) {
		snprintf(path, sizeof(path), "/dev/shm/%s%s", prefix, gen);
		fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd >= 0) {
			n += ftruncate(fd, SEG) == 0;
			close(fd);
		}
	}
	snprintf(prefix, sizeof(prefix), "tfi.%d.", i);
	if (!has_prefix(fifodir, prefix)) {
		snprintf(path, sizeof(path), "%s/%s%s", fifodir, prefix, gen);
		n += mkfifo(path, 0600) == 0;
	}
	return n;
}

static int cmd_populate(int nobj, const char *fifodir, const char *gen)
{
	int i, n = 0, status;
	int p[2];
	pid_t pid;

	if (pipe(p) < 0)
		return perror("racer: pipe"), 1;
	pid = fork();
	if (pid < 0)
		return perror("racer: fork"), 1;
	if (pid == 0) {
		close(p[0]);
		for (i = 0; i < nobj; i++)
			n += make_sysv(i) + make_files(i, fifodir, gen);
		if (write(p[1], &n, sizeof(n)) != sizeof(n))
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], &n, sizeof(n)) != sizeof(n))
		n = -1;
	close(p[0]);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) || n < 0)
		return fprintf(stderr, "racer: populate failed\n"), 1;
	printf("created %d\n", n);
	return 0;
}

/* ---- run: a worker and what it holds -------------------------------------- */

struct hold {
	enum kind kind;		/* K_SHM, K_PSHM, K_FIFO: attached or open; K_MSG, K_SEM: actor */
	int id;			/* SysV id, or -1 */
	void *addr;		/* shm attachment or file mapping, or NULL */
	int fd;			/* held fd, or -1 */
	ino_t ino;
	char name[64];		/* entry name of a file */
	long long reg, end;	/* registered; release at (0: never) */
	bool seen;		/* its removal was written down */
};

struct worker {
	uint64_t rng;
	int slot, nslots, nobj, out;
	const char *fifodir, *stop;
	long long end;
	bool holder;
	struct hold holds[MAX_HOLDS];
	int shm_ids[MAX_OBJ];		/* remembered ids, -1: ask the key */
	unsigned long uses[K_COUNT], gone;
	/* the watcher thread: is our wait counted by the kernel yet? */
	atomic_int w_id, w_num, w_armed;
	atomic_llong w_reg;
	atomic_bool w_quit;
};

static void say(const struct worker *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(const struct worker *w, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > 0 && (size_t)n < sizeof(line) && write(w->out, line, (size_t)n) != n)
		_exit(3);
}

/* One vanished use: written once per hold (or once for a hold-less wait). */
static void vanished(struct worker *w, struct hold *h, enum kind kind, const char *obj,
		     long long reg, const char *how)
{
	if (h && h->seen)
		return;
	if (h) {
		h->seen = true;
		if (reg <= 0 || (h->reg && h->reg < reg))
			reg = h->reg;
	}
	say(w, "inuse %s %s %lld %lld %d %s\n", kind_names[kind], obj, reg, now_ns(), (int)getpid(),
	    how);
}

static struct hold *hold_new(struct worker *w)
{
	for (int i = 0; i < MAX_HOLDS; i++)
		if (w->holds[i].kind == K_COUNT)
			return memset(&w->holds[i], 0, sizeof(w->holds[i]));
	return NULL;
}

static struct hold *actor_find(struct worker *w, enum kind kind, int id)
{
	for (int i = 0; i < MAX_HOLDS; i++)
		if (w->holds[i].kind == kind && w->holds[i].id == id)
			return &w->holds[i];
	return NULL;
}

/* Still there and unmarked, or written down as vanished. */
static void hold_check(struct worker *w, struct hold *h)
{
	char obj[80];
	struct shmid_ds sds;
	struct msqid_ds mds;
	struct stat st;
	bool gone = false;

	snprintf(obj, sizeof(obj), "%d", h->id);
	if (h->kind == K_SHM)
		gone = shmctl(h->id, IPC_STAT, &sds) < 0 || (sds.shm_perm.mode & SHM_DEST);
	else if (h->kind == K_MSG)
		gone = msgctl(h->id, IPC_STAT, &mds) < 0 && (errno == EINVAL || errno == EIDRM);
	else if (h->kind == K_SEM)
		gone = semctl(h->id, 0, GETVAL) < 0 && (errno == EINVAL || errno == EIDRM);
	else if (h->fd >= 0)
		gone = fstat(h->fd, &st) == 0 && st.st_nlink == 0;
	else {
		char path[128];

		snprintf(path, sizeof(path), "/dev/shm/%s", h->name);
		gone = stat(path, &st) < 0 ? errno == ENOENT : st.st_ino != h->ino;
	}
	if (h->kind == K_PSHM || h->kind == K_FIFO)
		snprintf(obj, sizeof(obj), "%s", h->name);
	if (gone)
		vanished(w, h, h->kind, obj, 0,
			 h->kind == K_SHM ? "marked-while-attached" :
			 h->kind == K_MSG || h->kind == K_SEM ? "gone-while-last-user" :
			 h->fd >= 0 ? "unlinked-while-open" : "unlinked-while-mapped");
	if (gone && (h->kind == K_MSG || h->kind == K_SEM))
		h->kind = K_COUNT;	/* an actor of what is gone holds nothing */
}

static void hold_release(struct hold *h)
{
	if (h->kind == K_SHM)
		shmdt(h->addr);
	else if (h->addr)
		munmap(h->addr, SEG);
	if (h->fd >= 0 && (h->kind == K_PSHM || h->kind == K_FIFO))
		close(h->fd);
	h->kind = K_COUNT;
}

/* Check every hold; release those whose time is up (checked once more first). */
static void holds_tick(struct worker *w, bool all)
{
	long long t = now_ns();

	for (int i = 0; i < MAX_HOLDS; i++) {
		struct hold *h = &w->holds[i];

		if (h->kind == K_COUNT)
			continue;
		hold_check(w, h);
		if (h->kind != K_COUNT && h->end && (all || h->end <= t))
			hold_release(h);
	}
}

static long long hold_until(struct worker *w)
{
	unsigned ms = w->holder ? below(&w->rng, 3000) : below(&w->rng, 30);

	return now_ns() + ms * 1000000LL;
}

/* ---- run: the uses ---------------------------------------------------------- */

static void use_shm(struct worker *w)
{
	unsigned i = below(&w->rng, (unsigned)w->nobj);
	struct hold *h;
	int id = w->shm_ids[i];
	void *a;

	if (id < 0 || below(&w->rng, 2))
		id = w->shm_ids[i] = shmget(KEY_SHM + (int)i, 0, 0);
	if (id < 0 || (a = shmat(id, NULL, 0)) == (void *)-1) {
		w->gone++;
		return;
	}
	w->uses[K_SHM]++;
	h = hold_new(w);
	if (!h) {
		shmdt(a);
		return;
	}
	*h = (struct hold){ .kind = K_SHM, .id = id, .addr = a, .fd = -1, .reg = now_ns(),
			    .end = hold_until(w) };
	((volatile char *)a)[below(&w->rng, SEG)] ^= 1;
}

/* A random entry of DIR whose name starts with PREFIX, into name; false if none. */
static bool pick_entry(struct worker *w, const char *dir, const char *prefix, char *name,
		       size_t size)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	unsigned seen = 0;

	while (d && (e = readdir(d)))
		if (strncmp(e->d_name, prefix, strlen(prefix)) == 0 && below(&w->rng, ++seen) == 0)
			snprintf(name, size, "%.63s", e->d_name);
	if (d)
		closedir(d);
	return seen > 0;
}

static void use_file(struct worker *w, enum kind kind)
{
	const char *dir = kind == K_PSHM ? "/dev/shm" : w->fifodir;
	char name[64], path[4096];
	struct hold *h;
	struct stat st;
	int fd;

	if (!pick_entry(w, dir, kind == K_PSHM ? "tps." : "tfi.", name, sizeof(name)))
		return;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDWR | O_CLOEXEC | (kind == K_FIFO ? O_NONBLOCK : 0));
	if (fd < 0) {
		w->gone++;
		return;
	}
	w->uses[kind]++;
	h = hold_new(w);
	if (!h || fstat(fd, &st) < 0) {
		close(fd);
		return;
	}
	*h = (struct hold){ .kind = kind, .id = -1, .fd = fd, .ino = st.st_ino, .reg = now_ns(),
			    .end = hold_until(w) };
	snprintf(h->name, sizeof(h->name), "%s", name);
	if (kind == K_PSHM) {
		/* never touched: a file just made may still be empty */
		h->addr = mmap(NULL, SEG, PROT_READ, MAP_SHARED, fd, 0);
		if (h->addr == MAP_FAILED)
			h->addr = NULL;
		else if (below(&w->rng, 2)) {	/* the mapping alone holds it */
			close(fd);
			h->fd = -1;
		}
	}
}

/* A queue or set of this slot's share, or -1 (none, or gone). */
static int slot_object(struct worker *w, int key_base)
{
	int share = (w->nobj - w->slot + w->nslots - 1) / w->nslots;
	int i = w->slot + w->nslots * (int)below(&w->rng, (unsigned)share);

	if (share <= 0)
		return -1;
	return key_base == KEY_MSG ? msgget(key_base + i, 0) : semget(key_base + i, 0, 0);
}

/* After a call on a queue or set: an actor from a success on; a failure on
 * what we acted on is a vanished use. */
static void acted(struct worker *w, enum kind kind, int id, int r, int err, long long reg_wait)
{
	struct hold *h = actor_find(w, kind, id);
	char obj[16];

	snprintf(obj, sizeof(obj), "%d", id);
	if (r >= 0 && !h && (h = hold_new(w)))
		*h = (struct hold){ .kind = kind, .id = id, .fd = -1, .reg = now_ns() };
	if (r >= 0 || (err != EINVAL && err != EIDRM))
		return;
	if (h) {
		vanished(w, h, kind, obj, reg_wait, "gone-while-last-user");
		h->kind = K_COUNT;
	} else if (err == EIDRM && reg_wait >= 0) {	/* blocked, never acted */
		vanished(w, NULL, K_SEM, obj, reg_wait, reg_wait ? "removed-while-waiting"
								 : "removed-while-waiting-unconfirmed");
	} else {
		w->gone++;
	}
}

static void use_msg(struct worker *w)
{
	struct { long type; char c; } m = { 1, 'r' };
	int id = slot_object(w, KEY_MSG), r;

	if (id < 0) {
		w->gone++;
		return;
	}
	if (below(&w->rng, 2))
		r = msgsnd(id, &m, 1, IPC_NOWAIT);
	else
		r = (int)msgrcv(id, &m, 1, 0, IPC_NOWAIT | MSG_NOERROR);
	w->uses[K_MSG]++;
	acted(w, K_MSG, id, r, errno, -1);
}

static void use_sem(struct worker *w)
{
	unsigned short k = (unsigned short)below(&w->rng, NSEMS);
	struct sembuf ops[2] = { { k, 1, IPC_NOWAIT }, { k, -1, IPC_NOWAIT } };
	int id = slot_object(w, KEY_SEM), r;

	if (id < 0) {
		w->gone++;
		return;
	}
	r = semop(id, ops, 2);
	w->uses[K_SEM]++;
	acted(w, K_SEM, id, r, errno, -1);
}

/* A blocking wait (the value stays 0: it ends at its timeout or EIDRM),
 * while the watcher thread notes when the kernel counts it. */
static void use_wait(struct worker *w)
{
	unsigned short k = (unsigned short)below(&w->rng, NSEMS);
	struct sembuf op = { k, -1, 0 };
	long ms = 5 + below(&w->rng, 40);
	struct timespec to = { .tv_sec = 0, .tv_nsec = ms * 1000000L };
	int id = slot_object(w, KEY_SEM), r, err;

	if (id < 0) {
		w->gone++;
		return;
	}
	atomic_store(&w->w_reg, 0);
	atomic_store(&w->w_id, id);
	atomic_store(&w->w_num, k);
	atomic_store(&w->w_armed, 1);
	r = semtimedop(id, &op, 1, &to);
	err = errno;
	atomic_store(&w->w_armed, 0);
	w->uses[K_WAIT]++;
	if (r == 0 || err != EAGAIN)	/* a wait that timed out changed nothing */
		acted(w, K_SEM, id, r, err, atomic_load(&w->w_reg));
}

static void *watcher(void *arg)
{
	struct worker *w = arg;

	while (!atomic_load(&w->w_quit)) {
		if (!atomic_load(&w->w_armed)) {
			sleep_us(500);
			continue;
		}
		if (atomic_load(&w->w_reg)) {	/* seen: nothing to do until the next wait */
			sleep_us(500);
			continue;
		}
		if (semctl(atomic_load(&w->w_id), atomic_load(&w->w_num), GETNCNT) > 0 &&
		    atomic_load(&w->w_armed))
			atomic_store(&w->w_reg, now_ns());
		sleep_us(100);
	}
	return NULL;
}

static void worker_loop(struct worker *w)
{
	pthread_t t;

	for (int i = 0; i < MAX_HOLDS; i++)
		w->holds[i].kind = K_COUNT;
	for (int i = 0; i < MAX_OBJ; i++)
		w->shm_ids[i] = -1;
	if (pthread_create(&t, NULL, watcher, w) != 0)
		_exit(2);
	while (now_ns() < w->end && access(w->stop, F_OK) < 0) {
		holds_tick(w, false);
		switch (below(&w->rng, 6)) {
		case 0: use_shm(w); break;
		case 1: use_file(w, K_PSHM); break;
		case 2: use_file(w, K_FIFO); break;
		case 3: use_msg(w); break;
		case 4: use_sem(w); break;
		default: use_wait(w); break;
		}
		sleep_us(below(&w->rng, 3000));
	}
	holds_tick(w, true);
	atomic_store(&w->w_quit, true);
	pthread_join(t, NULL);
	say(w, "uses %d shm %lu msg %lu sem %lu wait %lu pshm %lu fifo %lu gone %lu\n",
	    (int)getpid(), w->uses[K_SHM], w->uses[K_MSG], w->uses[K_SEM], w->uses[K_WAIT],
	    w->uses[K_PSHM], w->uses[K_FIFO], w->gone);
}

struct run {
	int nobj, nslots, out;
	const char *fifodir, *stop;
	long long end;
	unsigned long long seed;
};

static pid_t start_worker(const struct run *r, int slot, unsigned gen)
{
	struct worker *w;
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	w = calloc(1, sizeof(*w));
	if (!w)
		_exit(2);
	w->rng = r->seed ^ ((uint64_t)slot << 32) ^ gen;
	rnd(&w->rng);
	w->slot = slot;
	w->nslots = r->nslots;
	w->nobj = r->nobj;
	w->out = r->out;
	w->fifodir = r->fifodir;
	w->stop = r->stop;
	w->holder = slot == r->nslots - 1;
	w->end = w->holder ? r->end : now_ns() + (200 + below(&w->rng, 1300)) * 1000000LL;
	if (w->end > r->end)
		w->end = r->end;
	worker_loop(w);
	_exit(0);
}

static int cmd_run(char **argv)
{
	struct run r = { .nobj = atoi(argv[0]), .fifodir = argv[1], .stop = argv[3] };
	pid_t slots[MAX_OBJ];
	unsigned gen = 0, started = 0;
	int status, i, failed = 0;
	pid_t pid;

	r.out = open(argv[2], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	r.end = now_ns() + atoll(argv[4]) * 1000000000LL;
	r.seed = strtoull(argv[5], NULL, 10);
	r.nslots = atoi(argv[6]) + 1;
	if (r.out < 0 || r.nobj < 1 || r.nobj > MAX_OBJ || r.nslots < 2 || r.nslots > MAX_OBJ)
		return fprintf(stderr, "racer: bad run arguments\n"), 2;
	for (i = 0; i < r.nslots; i++, started++)
		slots[i] = start_worker(&r, i, gen++);
	while ((pid = wait(&status)) > 0) {
		failed += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
		for (i = 0; i < r.nslots && slots[i] != pid; i++)
			;
		if (i < r.nslots && now_ns() < r.end - 100000000LL && access(r.stop, F_OK) < 0) {
			slots[i] = start_worker(&r, i, gen++);
			started++;
		}
	}
	printf("racers: %u processes, %d failed\n", started, failed);
	return failed ? 1 : 0;
}

/* ---- judge ------------------------------------------------------------------ */

struct call {
	long long t;
	int pid;
	char name[40], arg[64];
};

static struct call *trace_read(const char *file, size_t *ret_n)
{
	FILE *f = fopen(file, "re");
	struct call *v = NULL, c;
	size_t n = 0, cap = 0;
	long long sec, nsec;

	while (f && fscanf(f, "%lld.%lld %d %39s %63s", &sec, &nsec, &c.pid, c.name, c.arg) == 5) {
		c.t = sec * 1000000000LL + nsec;
		if (n == cap && !(v = realloc(v, (cap = cap ? cap * 2 : 1024) * sizeof(*v))))
			exit(2);
		v[n++] = c;
	}
	if (f)
		fclose(f);
	*ret_n = n;
	return v;
}

/* The last call NAME ARG by PID (any when pid <= 0) in [from, to], or NULL. */
static const struct call *last_call(const struct call *v, size_t n, const char *name,
				    const char *arg, int pid, long long from, long long to)
{
	const struct call *found = NULL;

	for (size_t i = 0; i < n && v[i].t <= to; i++)
		if (v[i].t >= from && strcmp(v[i].name, name) == 0 && strcmp(v[i].arg, arg) == 0 &&
		    (pid <= 0 || v[i].pid == pid))
			found = &v[i];
	return found;
}

static int by_time(const void *a, const void *b)
{
	const struct call *x = a, *y = b;

	return (x->t > y->t) - (x->t < y->t);
}

struct vanished {
	char kind[8], obj[64];
	long long reg, seen;
	int pid;
	bool bad;	/* on an object's first record: some use had to be seen */
};

/*
 * When the re-check that came before the removal had to see this use:
 * System V, its first call (act.c: *_STAT_ANY by index); a file, its walk
 * of /proc opening the racer's /proc/PID (openat of "PID" after the
 * fstatat of the entry), or that fstatat if the walk did not get there.
 * Returns that moment, or -1 with *ret_rm (the removal) NULL or not.
 */
static long long recheck_of(const struct call *v, size_t n, const struct vanished *x,
			    const struct call **ret_rm)
{
	bool sysv = strcmp(x->kind, "pshm") != 0 && strcmp(x->kind, "fifo") != 0;
	char rm[40], check[40], idx[16], pid[16];
	const struct call *r, *c, *walk;

	if (sysv) {
		snprintf(rm, sizeof(rm), "%.4sctl.IPC_RMID", x->kind);
		snprintf(check, sizeof(check), "%.4sctl.%s_STAT_ANY", x->kind,
			 strcmp(x->kind, "shm") == 0 ? "SHM" : strcmp(x->kind, "msg") == 0 ? "MSG"
											    : "SEM");
		snprintf(idx, sizeof(idx), "%d", atoi(x->obj) & 32767);
	} else {
		snprintf(rm, sizeof(rm), "unlinkat");
		snprintf(check, sizeof(check), "fstatat");
	}
	*ret_rm = r = last_call(v, n, rm, x->obj, 0, 0, x->seen);
	c = r ? last_call(v, n, check, sysv ? idx : x->obj, r->pid, 0, r->t) : NULL;
	if (!c)
		return -1;
	snprintf(pid, sizeof(pid), "%d", x->pid);
	walk = sysv ? NULL : last_call(v, n, "openat", pid, r->pid, c->t, r->t);
	return walk ? walk->t : c->t;
}

/* One vanished use judged and printed; 1 when the re-check had to see it. */
static int judge_one(const struct call *v, size_t n, const struct vanished *x)
{
	const struct call *r;
	long long c = recheck_of(v, n, x, &r);
	bool inuse = c < 0 || (x->reg > 0 && x->reg < c);

	printf("removal %s %s by %d registered %lld re-check %lld removed %lld: %s\n", x->kind,
	       x->obj, x->pid, x->reg, c, r ? r->t : -1,
	       !r ? "in-use (no traced removal)" : c < 0 ? "in-use (no traced re-check)" :
	       inuse ? "in-use (registered before the re-check read it)" :
	       "window (registered after the re-check read it)");
	return inuse;
}

static int cmd_judge(const char *out, const char *trace)
{
	FILE *f = fopen(out, "re");
	size_t n, i, j, nrec = 0, nobj = 0, inuse = 0;
	struct call *v = trace_read(trace, &n);
	static struct vanished x[4096];
	char line[512];

	qsort(v, n, sizeof(*v), by_time);
	while (f && nrec < 4096 && fgets(line, sizeof(line), f))
		if (sscanf(line, "inuse %7s %63s %lld %lld %d", x[nrec].kind, x[nrec].obj,
			   &x[nrec].reg, &x[nrec].seen, &x[nrec].pid) == 5)
			nrec++;
	if (f)
		fclose(f);
	/* an object counts once: in use if any of its uses had to be seen */
	for (i = 0; i < nrec; i++) {
		bool bad = judge_one(v, n, &x[i]);

		for (j = 0; j < i && (strcmp(x[j].kind, x[i].kind) || strcmp(x[j].obj, x[i].obj)); j++)
			;
		x[j].bad |= bad;	/* j: the object's first record */
		nobj += j == i;
	}
	for (i = 0; i < nrec; i++)
		inuse += x[i].bad;
	printf("judged %zu in-use %zu window %zu\n", nobj, inuse, nobj - inuse);
	free(v);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 5 && strcmp(argv[1], "populate") == 0)
		return cmd_populate(atoi(argv[2]), argv[3], argv[4]);
	if (argc == 9 && strcmp(argv[1], "run") == 0)
		return cmd_run(argv + 2);
	if (argc == 4 && strcmp(argv[1], "judge") == 0)
		return cmd_judge(argv[2], argv[3]);
	fprintf(stderr, "usage: racer populate NOBJ FIFODIR GEN\n"
		"       racer run NOBJ FIFODIR OUT STOPFILE SECONDS SEED RACERS\n"
		"       racer judge OUT TRACE\n");
	return 2;
}
