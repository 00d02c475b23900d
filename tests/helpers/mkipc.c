/*
 * mkipc: make IPC objects for the live tests, print what was made as
 * NAME.FIELD=VALUE lines, print "ready", then wait until stdin reaches EOF,
 * end every child it started and remove what it made.  Run it only inside
 * a private IPC (and PID, mount) namespace (tests/lib.sh ns_enter).
 *
 * Each argument describes one object, comma separated:
 *   shm:NAME[,key=K][,size=N][,mode=0640][,uid=U][,gid=G][,attach=N][,lock][,rmid][,fill=BYTE]
 *       (fill=BYTE: each of the helper's attachments memsets size bytes
 *       to BYTE; fill=pattern: byte i becomes (i * 7 + 3) & 0xff instead.
 *       With id=, give size= too: it is what gets filled)
 *       [,dontfork] (madvise MADV_DONTFORK each attachment: later children
 *       do not inherit it, so forks do not change lpid, doc/kernel-facts.md,
 *       "Last user of a segment")
 *       [,creator=child] (a child creates the segment and exits, reaped:
 *       NAME.creator=PID)
 *       [,children=N] (after the helper's own attachments, N children each
 *       attach it once and wait: NAME.child=PID, one line each)
 *       [,mainexit] (those children's main threads exit; a second thread
 *       lives on and holds the attachment)
 *       [,attachexit] (after that, a child attaches it once and exits,
 *       reaped: the segment's last user is a process that is gone:
 *       NAME.user=PID)
 *       [,use] (after that, the helper attaches it once, fills it as
 *       fill= says, and detaches it: the last user is the helper, alive,
 *       and it keeps no attachment: NAME.used=PID)
 *   msg:NAME[,key=K][,mode=..][,uid=U][,gid=G]
 *       [,childsend=TYPE:LEN] (first, a child sends one message and exits,
 *       reaped: NAME.sender=PID)
 *       [,send=TYPE:LEN]...[,recv=N] (message n of the send= list, from
 *       0, is LEN bytes 'a' + n; with [,body=pattern] byte j of it is
 *       (j * 7 + 3 + 40 * n) & 0xff instead, a different body for each)
 *       [,childrecv=N] (after that, a child receives N messages and exits,
 *       reaped: NAME.receiver=PID) [,zombie] (that child is not reaped
 *       until the end)
 *       [,threadrecv] (after that, a second thread of a child blocks in
 *       msgrcv for type 424242, then the helper sends it an empty message of
 *       that type, handed over directly (pipelined): lrpid is the thread's
 *       id (doc/kernel-facts.md, "Thread ids"); the thread lives on.  Prints
 *       NAME.threadrecv=PID and NAME.receiver_tid=TID)
 *   sem:NAME[,key=K][,mode=..][,uid=U][,gid=G][,nsems=N][,values=V:V:..]
 *       [,ncnt=NUM] (a child blocks waiting for NUM to grow)
 *       [,zcnt=NUM] (a child blocks waiting for NUM to become zero)
 *       (the helper waits until the kernel counts each child as waiting;
 *       a child detaches the segments it inherits, so make segments after
 *       the sets unless that detach is what a test wants,
 *       doc/kernel-facts.md, "Last user of a segment")
 *       [,childop=NUM] (a child adds 1 to NUM, no SEM_UNDO, and exits,
 *       reaped: NAME.actor=PID) [,zombie] (not reaped until the end)
 *   pipe:NAME,ends=both|read|write|child[,mainexit]
 *       both: the helper keeps both ends; read: only the read end (no
 *       writers); write: only the write end (no readers); child: the
 *       helper keeps the read end, a child the write end.  mainexit: the
 *       ends the helper would keep (both) or the child's end (child) are
 *       held by a child whose main thread exited while a second thread
 *       lives on.  Prints NAME.inode=INO and NAME.r=PID:FD, NAME.w=PID:FD
 *       for each end kept, NAME.child=PID for a child.
 *   fifo:NAME,path=P[,mode=0600][,open=ITEM+ITEM..][,unlink]
 *       mkfifo P (P may hold any byte but ','), then open it once per ITEM:
 *       r, w, rw in the helper (O_RDONLY, O_WRONLY, O_RDWR); cr, cw, crw in
 *       one child that holds them all.  unlink: unlink P after the opens.
 *       Prints NAME.path=P (C escapes for bytes outside printable ASCII),
 *       NAME.dev=MAJ:MIN, NAME.inode=INO, then NAME.ITEM=PID:FD per ITEM
 *       (NAME.r=.., NAME.cw=..: the helper's first, then the child's), and
 *       NAME.child=PID.
 *   pshm:NAME,path=/X[,size=N][,mode=0600][,fd][,map][,child]
 *       POSIX shared memory: shm_open(/X, O_CREAT | O_EXCL | O_RDWR, mode;
 *       no umask), ftruncate to N bytes (default 4096).  fd: keep the fd
 *       open; map: mmap it MAP_SHARED and keep the mapping; neither: close
 *       it, nobody holds it.  child: a child does that holding instead
 *       (the helper closes its fd).  Prints NAME.dev=MAJ:MIN (decimal),
 *       NAME.inode=INO, NAME.child=PID, NAME.map=PID when mapped and
 *       NAME.fd=PID:FD when an fd is kept (PID: who holds it).
 *   psem:NAME,path=/X[,value=V][,mode=0600][,close][,wait]
 *       POSIX named semaphore: sem_open(/X, O_CREAT | O_EXCL, mode, V)
 *       (V default 0; the file is /dev/shm/sem.X).  The helper keeps it
 *       mapped unless close (sem_close).  wait (V must be 0): a child
 *       blocks in sem_wait on it, through the mapping it inherits, and
 *       the helper waits until the file counts it as a waiter (glibc
 *       x86_64 sem_t: a uint64 whose low 32 bits are the value, high 32
 *       bits nwaiters) and it sleeps: NAME.waiter=PID.  Prints NAME.dev,
 *       NAME.inode, and NAME.map=PID when the helper keeps it.
 *   pmq:NAME,path=/X[,mode=0600][,send=N][,close][,notify]
 *       POSIX message queue: mq_open(/X, O_CREAT | O_EXCL | O_RDWR, mode,
 *       NULL), then N messages of 10 bytes each ("0123456789", priority
 *       0; N at most the queue's mq_maxmsg).  notify: mq_notify with
 *       SIGEV_NONE (the helper is registered: NOTIFY_PID).  close:
 *       mq_close after (which also ends a notify registration).  Prints
 *       NAME.dev, NAME.inode (of the mqueue file system), and
 *       NAME.fd=PID:FD when the helper keeps it.
 *   For pshm and psem, every mapping the helper keeps is MADV_DONTFORK:
 *   its later children never inherit it.  At the end each POSIX object
 *   made is removed by name (shm_unlink, sem_unlink, mq_unlink), quietly
 *   when a test already removed it.
 *   unix:NAME,kind=pair|listen|dgram|stale[,path=P][,abstract=HEX]
 *       [,clients=N][,accept=M][,type=stream|seqpacket|dgram][,unlink]
 *       Unix sockets (run the helper in a network namespace of the
 *       test's own: sockets belong to it).  Every inode printed is the
 *       socket's (fstat st_ino of the fd, the N of socket:[N]); every
 *       PID:FD is who holds it.
 *       pair: socketpair(AF_UNIX, type, default stream); the helper keeps
 *       end 0, a child end 1: NAME.inode0=, NAME.inode1=,
 *       NAME.fd0=PID:FD, NAME.child=PID, NAME.fd1=PID:FD.
 *       listen: a socket of type (stream, the default, or seqpacket)
 *       bound to the file path P (any byte but ',') or to the abstract
 *       name HEX (two hex digits a byte, without the leading NUL: any
 *       byte, NUL and invalid UTF-8 too), then listen; N clients (in the
 *       helper) connect, then the helper accepts them all (in that order,
 *       so accepted k is client k's peer), or only the first M: the
 *       others stay connected to a server end nobody accepted (no socket
 *       inode yet, no holder).  unlink: unlink P after that
 *       (nobody can connect any more).  Prints NAME.inode=, NAME.fd=PID:FD,
 *       for each k from 1 to N NAME.client.k=INODE:PID:FD and
 *       NAME.accepted.k=INODE:PID:FD (the server's end of client k, when
 *       accepted).
 *       dgram: socket(AF_UNIX, SOCK_DGRAM), bound to P if path= is given
 *       (else unbound): NAME.inode=, NAME.fd=PID:FD.
 *       stale: a child binds a stream socket to P and exits, reaped: the
 *       file stays, no socket is bound to it: NAME.creator=PID.
 *       With path=P, listen, dgram and stale also print NAME.path=P (C
 *       escapes, as fifo), NAME.file_dev=MAJ:MIN and NAME.file_inode=INO
 *       (lstat of the socket file).  At the end the helper closes every
 *       socket and unlinks each P it bound if P still names that same
 *       socket file (by dev and inode; quietly when it is gone).
 *   memfd:NAME[,name=X][,size=N][,seals=ITEM+ITEM..][,map][,close][,pass]
 *       memfd_create(X, MFD_CLOEXEC | MFD_ALLOW_SEALING) (X defaults to
 *       NAME; any byte but ','), ftruncate to N bytes (default 4096), then
 *       the seals asked (grow, shrink, write, seal: F_SEAL_*, added in one
 *       F_ADD_SEALS).  map: mmap it MAP_SHARED (read-only with the write
 *       seal), MADV_DONTFORK.  close: close the fd after (needs map: only
 *       the mapping holds it).  pass: the helper sends the fd to a child
 *       over a socketpair (SCM_RIGHTS) and closes its own; the child
 *       receives it and does the map and close (NAME.child=PID).  Prints
 *       NAME.dev=MAJ:MIN, NAME.inode=INO, NAME.map=PID when mapped and
 *       NAME.fd=PID:FD when an fd is kept (PID: who holds it).
 *   late:NAME,path=P[,map]
 *       A child whose main thread exits at once (pthread_exit) while a
 *       second thread lives on and, only when told (the command
 *       "open NAME" on stdin, below), opens P (O_RDWR | O_NONBLOCK: a FIFO
 *       too) and keeps the fd, or with map mmaps its first page
 *       MAP_SHARED and closes the fd (as sem_open does).  So a holder
 *       appears in a process that can be read only through a live thread
 *       (/proc/PID/task/TID), at a moment the test picks.  Prints
 *       NAME.child=PID.  (Once only: "open NAME" again does nothing.)
 *   sleep:MS
 *       sleep MS milliseconds before the next argument (so that what comes
 *       after happens clearly after the helper and its earlier children
 *       started: the pid reuse rule of doc/kernel-facts.md, "Pid reuse", has
 *       a 2 s tolerance).
 *   For shm, msg and sem, id=ID uses the existing object ID instead of
 *   making one (key= and mode= are then ignored, and the object is not
 *   removed at the end): shm:x,id=5,attach=1 attaches segment 5,
 *   msg:x,id=3,send=1:4 sends to queue 3, sem:x,id=2,childop=0 operates
 *   on set 2.  Prints NAME.id=ID.
 * K is hex (0x..) or decimal; "private" for IPC_PRIVATE (the default).
 * attach=N attaches the segment N times in this process.  The helper's own
 * pid is printed as pid=..., each waiting child as NAME.waiter=PID.
 *
 * Commands on stdin, one a line, after "ready" (anything else is ignored):
 *   fill NAME BYTE  memset each attachment the helper made of segment NAME
 *                   (shm:NAME,attach=N) to BYTE, then print NAME.filled=BYTE
 *   ipcset K ID     IPC_SET of the object ID of kind K (m: segment, q: queue,
 *                   s: set) with the values IPC_STAT gave (a no-op chmod:
 *                   the kernel sets its ctime), then print ipcset.K.ID=done
 *   open NAME       the thread of late:NAME opens (or maps) its path, then
 *                   the helper prints NAME.opened=PID (NAME.opened=failed
 *                   when the open or mmap failed)
 *
 * Every child keeps only stderr and what it is meant to hold: its stdin
 * and stdout become /dev/null and every other inherited fd is closed, so
 * tests can assert exact fd lists.  Every child also detaches the
 * segments it inherited (all but dontfork ones), which the kernel records
 * as detaches by the child (lpid, dtime: doc/kernel-facts.md, "Last user of a
 * segment").  The helper itself holds stdin, stdout, stderr and what the
 * arguments asked for.
 * "ready" is printed only once every child has reported back (through a
 * pipe), every waiter blocks and every main thread meant to exit has.
 * Children die with the helper (PR_SET_PDEATHSIG); at EOF the helper kills
 * and reaps them.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mqueue.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
};

#define MAX_OBJS 64
static struct made {
	char kind;
	int id;
	bool removed;
} made[MAX_OBJS];
static int nmade;
static pid_t children[2 * MAX_OBJS];	/* up to two waiters per set */
static int nchildren;
static struct {
	void *addr;
	bool dontfork;		/* not inherited by children */
	char name[32];		/* the shm:NAME it attaches, for "fill NAME" */
	size_t size;
} attached[256];		/* every shmat of this process */
static int nattached;

/* The children of the new kinds: killed (if alive) and reaped at EOF. */
enum child_end {
	END_STAY,	/* waits to be killed */
	END_MAINEXIT,	/* the main thread exits, a second thread waits */
	END_EXIT,	/* exits once set up; reaped at once */
	END_ZOMBIE,	/* exits once set up; reaped only at the end */
};
static struct {
	pid_t pid;
	enum child_end end;
} kids[4 * MAX_OBJS];
static int nkids;
static pid_t helper_pid;

/* FIFOs made, to unlink at the end unless already unlinked. */
static char *fifo_paths[MAX_OBJS];
static int nfifos;

static void __attribute__((noreturn)) die(const char *what)
{
	fprintf(stderr, "mkipc: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void __attribute__((noreturn)) bad(const char *arg)
{
	fprintf(stderr, "mkipc: bad argument: %s\n", arg);
	exit(2);
}

static key_t parse_key(const char *s)
{
	if (strcmp(s, "private") == 0)
		return IPC_PRIVATE;
	return (key_t)strtoul(s, NULL, 0);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* The state letter of /proc/WHAT/stat (after the last ')'), or 0. */
static char proc_state_of(const char *what)
{
	char path[128], buf[1024], *p;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/stat", what);
	f = fopen(path, "re");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

static char proc_state(pid_t pid)
{
	char what[16];

	snprintf(what, sizeof(what), "%d", (int)pid);
	return proc_state_of(what);
}

/* Waits until pid's main thread is a zombie ('Z'): it has exited. */
static void wait_zombie(pid_t pid)
{
	int tries;

	for (tries = 0; tries < 1000; tries++) {
		if (proc_state(pid) == 'Z')
			return;
		usleep(5000);
	}
	fprintf(stderr, "mkipc: child %d did not exit\n", (int)pid);
	exit(2);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/*
 * In a child: keep stderr, syncfd and the nkeep fds of keep, close every
 * other fd, and put /dev/null on stdin and stdout.  Detaches the segments
 * the child inherited (doc/kernel-facts.md, "Last user of a segment":
 * recorded as detaches by the child), and dies with the helper.
 */
static void child_setup(const int *keep, int nkeep, int syncfd)
{
	int fds[72], n = 0, i, k, null;
	unsigned lo = 0;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		die("prctl PR_SET_PDEATHSIG");
	if (getppid() != helper_pid)
		_exit(1);
	for (k = 0; k < nattached; k++)
		if (!attached[k].dontfork)
			shmdt(attached[k].addr);
	fds[n++] = 2;
	if (syncfd >= 0)
		fds[n++] = syncfd;
	for (i = 0; i < nkeep && n < 72; i++)
		fds[n++] = keep[i];
	qsort(fds, (size_t)n, sizeof(fds[0]), cmp_int);
	for (i = 0; i < n; i++) {
		if ((unsigned)fds[i] > lo && close_range(lo, (unsigned)fds[i] - 1, 0) < 0)
			die("close_range");
		lo = (unsigned)fds[i] + 1;
	}
	if (close_range(lo, ~0U, 0) < 0)
		die("close_range");
	null = open("/dev/null", O_RDWR);
	if (null != 0 || dup2(0, 1) != 1)
		die("/dev/null as stdin and stdout");
}

static void *wait_forever(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

/*
 * Forks a child that keeps only the fds of keep (see child_setup), runs
 * fn(arg, report) there (fn writes lines about what it made to report,
 * and dies on failure), then ends as end says.  Returns the child's pid
 * once it reported back; its report, without the final "done" line, is
 * copied to ret_report (size bytes) when that is not NULL, else printed.
 */
static pid_t child_run(const int *keep, int nkeep, void (*fn)(void *arg, FILE *report),
		       void *arg, enum child_end end, char *ret_report, size_t size)
{
	char buf[4096];
	size_t len = 0;
	ssize_t r;
	int sync[2];
	pid_t pid;

	if (nkids == (int)(sizeof(kids) / sizeof(kids[0])))
		bad("too many children");
	if (pipe2(sync, O_CLOEXEC) < 0)
		die("pipe2");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		FILE *report;
		pthread_t t;

		child_setup(keep, nkeep, sync[1]);
		report = fdopen(sync[1], "w");
		if (!report)
			die("fdopen");
		fn(arg, report);
		if (end == END_MAINEXIT && (errno = pthread_create(&t, NULL, wait_forever, NULL)))
			die("pthread_create");
		fputs("done\n", report);
		if (fclose(report) != 0)
			_exit(2);
		if (end == END_MAINEXIT)
			pthread_exit(NULL);
		if (end == END_STAY)
			wait_forever(NULL);
		_exit(0);
	}
	close(sync[1]);
	while ((r = read(sync[0], buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)r;
	close(sync[0]);
	buf[len] = '\0';
	if (len < 5 || strcmp(buf + len - 5, "done\n") != 0) {
		fprintf(stderr, "mkipc: child %d failed to set up\n", (int)pid);
		exit(2);
	}
	buf[len - 5] = '\0';
	if (ret_report && size) {
		len = strlen(buf) < size - 1 ? strlen(buf) : size - 1;
		memcpy(ret_report, buf, len);
		ret_report[len] = '\0';
	} else
		fputs(buf, stdout);
	kids[nkids].pid = pid;
	kids[nkids++].end = end;
	if (end == END_EXIT) {
		if (waitpid(pid, NULL, 0) != pid)
			die("waitpid");
		nkids--;
	} else if (end == END_MAINEXIT || end == END_ZOMBIE) {
		wait_zombie(pid);
	}
	return pid;
}

struct common {
	key_t key;
	int mode;
	long uid, gid;
	int existing;		/* id=ID: use that object, -1: make one */
};

/* IPC_SET of object id of kind (m, q, s): the owner where c gives one, else unchanged. */
static void ipc_set(char kind, int id, const struct common *c)
{
	if (kind == 'm') {
		struct shmid_ds ds;

		if (shmctl(id, IPC_STAT, &ds) < 0)
			die("shmctl IPC_STAT");
		if (c->uid >= 0)
			ds.shm_perm.uid = (uid_t)c->uid;
		if (c->gid >= 0)
			ds.shm_perm.gid = (gid_t)c->gid;
		if (shmctl(id, IPC_SET, &ds) < 0)
			die("shmctl IPC_SET");
	} else if (kind == 'q') {
		struct msqid_ds ds;

		if (msgctl(id, IPC_STAT, &ds) < 0)
			die("msgctl IPC_STAT");
		if (c->uid >= 0)
			ds.msg_perm.uid = (uid_t)c->uid;
		if (c->gid >= 0)
			ds.msg_perm.gid = (gid_t)c->gid;
		if (msgctl(id, IPC_SET, &ds) < 0)
			die("msgctl IPC_SET");
	} else {
		struct semid_ds ds;
		union semun arg = { .buf = &ds };

		if (semctl(id, 0, IPC_STAT, arg) < 0)
			die("semctl IPC_STAT");
		if (c->uid >= 0)
			ds.sem_perm.uid = (uid_t)c->uid;
		if (c->gid >= 0)
			ds.sem_perm.gid = (gid_t)c->gid;
		if (semctl(id, 0, IPC_SET, arg) < 0)
			die("semctl IPC_SET");
	}
}

static void set_owner(char kind, int id, const struct common *c)
{
	if (c->uid >= 0 || c->gid >= 0)
		ipc_set(kind, id, c);
}

/* Splits "kind:name,opt,opt=val" and returns the options one by one. */
static bool common_opt(const char *opt, struct common *c)
{
	if (strncmp(opt, "key=", 4) == 0)
		c->key = parse_key(opt + 4);
	else if (strncmp(opt, "mode=", 5) == 0)
		c->mode = (int)strtol(opt + 5, NULL, 8);
	else if (strncmp(opt, "uid=", 4) == 0)
		c->uid = strtol(opt + 4, NULL, 10);
	else if (strncmp(opt, "gid=", 4) == 0)
		c->gid = strtol(opt + 4, NULL, 10);
	else if (strncmp(opt, "id=", 3) == 0)
		c->existing = (int)strtol(opt + 3, NULL, 10);
	else
		return false;
	return true;
}

static void record(char kind, int id, const char *name, key_t key)
{
	if (nmade == MAX_OBJS)
		bad("too many objects");
	made[nmade++] = (struct made){ .kind = kind, .id = id };
	printf("%s.id=%d\n%s.key=0x%08x\n", name, id, name, (unsigned)key);
}

struct shm_args {
	const struct common *c;
	size_t size;
	int id;
};

static void child_shmget(void *arg, FILE *report)
{
	struct shm_args *a = arg;
	int id = shmget(a->c->key, a->size, IPC_CREAT | IPC_EXCL | a->c->mode);

	if (id < 0)
		die("shmget");
	fprintf(report, "%d\n", id);
}

static void child_shmat(void *arg, FILE *report)
{
	struct shm_args *a = arg;

	(void)report;
	if (shmat(a->id, NULL, 0) == (void *)-1)
		die("shmat");
}

#define FILL_PATTERN (-2)	/* fill=pattern (-1: no fill=) */

/* Byte j of p becomes (j * 7 + 3 + shift) & 0xff. */
static void fill_pattern(void *p, size_t size, unsigned shift)
{
	unsigned char *b = p;
	size_t j;

	for (j = 0; j < size; j++)
		b[j] = (unsigned char)((j * 7 + 3 + shift) & 0xff);
}

/* fill=BYTE or fill=pattern (FILL_PATTERN) over size bytes at p; -1: none. */
static void fill_seg(void *p, size_t size, int fill)
{
	if (fill == FILL_PATTERN)
		fill_pattern(p, size, 0);
	else if (fill >= 0)
		memset(p, fill, size);
}

/* use: attach, fill, detach. */
static void use_shm(const char *name, int id, size_t size, int fill)
{
	void *p = shmat(id, NULL, 0);

	if (p == (void *)-1)
		die("shmat");
	fill_seg(p, size, fill);
	if (shmdt(p) < 0)
		die("shmdt");
	printf("%s.used=%d\n", name, (int)getpid());
}

static void make_shm(const char *name, char *opts)
{
	struct common c = { IPC_PRIVATE, 0600, -1, -1, -1 };
	struct shm_args a = { .c = &c, .size = 4096 };
	int attach = 0, lock = 0, rmid = 0, fill = -1, kids_n = 0, id, i;
	bool dontfork = false, by_child = false, mainexit = false, attachexit = false, use = false;
	char *save = NULL, *o;

	for (o = strtok_r(opts, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		if (common_opt(o, &c))
			continue;
		if (strncmp(o, "size=", 5) == 0)
			a.size = strtoul(o + 5, NULL, 0);
		else if (strncmp(o, "attach=", 7) == 0)
			attach = atoi(o + 7);
		else if (strcmp(o, "lock") == 0)
			lock = 1;
		else if (strcmp(o, "rmid") == 0)
			rmid = 1;
		else if (strcmp(o, "fill=pattern") == 0)
			fill = FILL_PATTERN;
		else if (strncmp(o, "fill=", 5) == 0)
			fill = (int)strtol(o + 5, NULL, 0);
		else if (strcmp(o, "dontfork") == 0)
			dontfork = true;
		else if (strcmp(o, "creator=child") == 0)
			by_child = true;
		else if (strncmp(o, "children=", 9) == 0)
			kids_n = atoi(o + 9);
		else if (strcmp(o, "mainexit") == 0)
			mainexit = true;
		else if (strcmp(o, "attachexit") == 0)
			attachexit = true;
		else if (strcmp(o, "use") == 0)
			use = true;
		else
			bad(o);
	}
	if (c.existing >= 0) {
		if (by_child || rmid)
			bad("shm: id= goes with neither creator=child nor rmid");
		id = c.existing;
		printf("%s.id=%d\n", name, id);
	} else if (by_child) {
		char report[64];
		pid_t pid = child_run(NULL, 0, child_shmget, &a, END_EXIT, report, sizeof(report));

		id = atoi(report);
		record('m', id, name, c.key);
		printf("%s.creator=%d\n", name, (int)pid);
	} else {
		id = shmget(c.key, a.size, IPC_CREAT | IPC_EXCL | c.mode);
		if (id < 0)
			die("shmget");
		record('m', id, name, c.key);
	}
	for (i = 0; i < attach; i++) {
		void *p = shmat(id, NULL, 0);

		if (p == (void *)-1)
			die("shmat");
		if (dontfork && madvise(p, a.size, MADV_DONTFORK) < 0)
			die("madvise MADV_DONTFORK");
		if (nattached < 256) {
			attached[nattached].addr = p;
			attached[nattached].size = a.size;
			snprintf(attached[nattached].name, sizeof(attached[0].name), "%s", name);
			attached[nattached++].dontfork = dontfork;
		}
		fill_seg(p, a.size, fill);
	}
	a.id = id;
	for (i = 0; i < kids_n; i++)
		printf("%s.child=%d\n", name, (int)child_run(NULL, 0, child_shmat, &a,
							  mainexit ? END_MAINEXIT : END_STAY,
							  NULL, 0));
	if (attachexit)
		printf("%s.user=%d\n", name, (int)child_run(NULL, 0, child_shmat, &a, END_EXIT,
							 NULL, 0));
	if (use)
		use_shm(name, id, a.size, fill);
	if (lock && shmctl(id, SHM_LOCK, NULL) < 0)
		die("shmctl SHM_LOCK");
	set_owner('m', id, &c);
	if (rmid) {
		if (shmctl(id, IPC_RMID, NULL) < 0)
			die("shmctl IPC_RMID");
		made[nmade - 1].removed = true;
	}
}

struct msg_args {
	int id, n;
	long type;		/* childsend: the message */
	size_t len;
	int fd;			/* threadrecv: where the thread writes its tid */
	const char *name;
};

static void child_msgrcv(void *arg, FILE *report)
{
	struct msg_args *a = arg;
	struct {
		long mtype;
		char mtext[8192];
	} m;
	int i;

	(void)report;
	for (i = 0; i < a->n; i++)
		if (msgrcv(a->id, &m, sizeof(m.mtext), 0, IPC_NOWAIT) < 0)
			die("msgrcv");
}

static void child_msgsnd(void *arg, FILE *report)
{
	struct msg_args *a = arg;
	struct {
		long mtype;
		char mtext[8192];
	} m = { .mtype = a->type };

	(void)report;
	memset(m.mtext, 'z', sizeof(m.mtext));
	if (msgsnd(a->id, &m, a->len, IPC_NOWAIT) < 0)
		die("msgsnd");
}

#define THREADRECV_TYPE 424242L	/* the one message threadrecv waits for */

static void *thread_msgrcv(void *arg)
{
	struct msg_args *a = arg;
	pid_t tid = gettid();
	struct {
		long mtype;
		char mtext[1];
	} m;
	int id = a->id;

	if (write(a->fd, &tid, sizeof(tid)) != (ssize_t)sizeof(tid))
		_exit(2);
	/* blocks until the helper sends: the kernel hands the message over */
	if (msgrcv(id, &m, sizeof(m.mtext), THREADRECV_TYPE, 0) < 0)
		die("msgrcv in a thread");
	return wait_forever(NULL);
}

/* In a child: a second thread blocks in msgrcv; reports its tid. */
static void child_thread_msgrcv(void *arg, FILE *report)
{
	struct msg_args *a = arg;
	char path[64];
	int p[2], tries;
	pid_t tid;
	pthread_t t;

	if (pipe2(p, O_CLOEXEC) < 0)
		die("pipe2");
	a->fd = p[1];	/* the thread is done with a once it wrote its tid */
	if ((errno = pthread_create(&t, NULL, thread_msgrcv, a)))
		die("pthread_create");
	if (read(p[0], &tid, sizeof(tid)) != (ssize_t)sizeof(tid))
		die("read the receiving thread's tid");
	close(p[0]);
	close(p[1]);
	/* sleeping, after writing its tid: in msgrcv */
	snprintf(path, sizeof(path), "%d/task/%d", (int)getpid(), (int)tid);
	for (tries = 0; tries < 1000 && proc_state_of(path) != 'S'; tries++)
		usleep(5000);
	fprintf(report, "%s.receiver_tid=%d\n", a->name, (int)tid);
}

static void make_msg(const char *name, char *opts)
{
	struct common c = { IPC_PRIVATE, 0600, -1, -1, -1 };
	char *save = NULL, *o;
	int id, recv = 0, childrecv = 0, i;
	long csend_type = 0;
	size_t csend_len = 0;
	bool threadrecv = false;
	bool zombie = false;
	bool pattern = false;
	struct {
		long type;
		size_t len;
	} sends[32];
	int nsends = 0;

	for (o = strtok_r(opts, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		if (common_opt(o, &c))
			continue;
		if (strncmp(o, "send=", 5) == 0 && nsends < 32) {
			sends[nsends].type = strtol(o + 5, NULL, 10);
			sends[nsends].len = strtoul(strchr(o, ':') ? strchr(o, ':') + 1 : "0", NULL, 10);
			nsends++;
		} else if (strncmp(o, "recv=", 5) == 0)
			recv = atoi(o + 5);
		else if (strncmp(o, "childrecv=", 10) == 0)
			childrecv = atoi(o + 10);
		else if (strncmp(o, "childsend=", 10) == 0) {
			csend_type = strtol(o + 10, NULL, 10);
			csend_len = strtoul(strchr(o, ':') ? strchr(o, ':') + 1 : "0", NULL, 10);
			if (csend_type <= 0 || csend_len > 8192)
				bad(o);
		} else if (strcmp(o, "threadrecv") == 0)
			threadrecv = true;
		else if (strcmp(o, "body=pattern") == 0)
			pattern = true;
		else if (strcmp(o, "zombie") == 0)
			zombie = true;
		else
			bad(o);
	}
	if (c.existing >= 0) {
		id = c.existing;
		printf("%s.id=%d\n", name, id);
	} else {
		id = msgget(c.key, IPC_CREAT | IPC_EXCL | c.mode);
		if (id < 0)
			die("msgget");
		record('q', id, name, c.key);
	}
	if (csend_type > 0) {
		struct msg_args a = { .id = id, .type = csend_type, .len = csend_len };

		printf("%s.sender=%d\n", name, (int)child_run(NULL, 0, child_msgsnd, &a, END_EXIT,
							   NULL, 0));
	}
	for (i = 0; i < nsends; i++) {
		struct {
			long mtype;
			char mtext[8192];
		} m = { .mtype = sends[i].type };

		if (sends[i].len > sizeof(m.mtext))
			bad("send=TYPE:LEN: LEN above 8192");
		if (pattern)
			fill_pattern(m.mtext, sends[i].len, 40U * (unsigned)i);
		else
			memset(m.mtext, 'a' + i, sizeof(m.mtext));
		if (msgsnd(id, &m, sends[i].len, 0) < 0)
			die("msgsnd");
	}
	for (i = 0; i < recv; i++) {
		struct {
			long mtype;
			char mtext[8192];
		} m;

		if (msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT) < 0)
			die("msgrcv");
	}
	if (childrecv > 0) {
		struct msg_args a = { .id = id, .n = childrecv };

		printf("%s.receiver=%d\n", name, (int)child_run(NULL, 0, child_msgrcv, &a,
							     zombie ? END_ZOMBIE : END_EXIT,
							     NULL, 0));
	}
	if (threadrecv) {
		struct msg_args a = { .id = id, .name = name };
		struct {
			long mtype;
			char mtext[1];
		} m = { .mtype = THREADRECV_TYPE };

		printf("%s.threadrecv=%d\n", name, (int)child_run(NULL, 0, child_thread_msgrcv,
								&a, END_STAY, NULL, 0));
		/* handed over at once to the waiting receiver, never queued */
		if (msgsnd(id, &m, 0, 0) < 0)
			die("msgsnd to the waiting thread");
	}
	set_owner('q', id, &c);
}

/*
 * A child that blocks in semop on semaphore num: op -1 (ncnt) or 0 (zcnt).
 * Returns once the kernel counts it as waiting (GETNCNT or GETZCNT grew),
 * so what the tests read right after "ready" is exact.
 */
static pid_t start_waiter(int id, int num, int op)
{
	struct sembuf sb = { .sem_num = (unsigned short)num, .sem_op = (short)op, .sem_flg = 0 };
	int cmd = op < 0 ? GETNCNT : GETZCNT;
	int before = semctl(id, num, cmd), tries;
	pid_t pid;

	if (before < 0)
		die("semctl GETNCNT/GETZCNT");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		/* holds nothing else; a fork counts as an attach: detach */
		child_setup(NULL, 0, -1);
		/* EIDRM when the helper removes the set: that is the end */
		semop(id, &sb, 1);
		_exit(0);
	}
	children[nchildren++] = pid;
	for (tries = 0; tries < 1000; tries++) {
		int now = semctl(id, num, cmd);

		if (now < 0)
			die("semctl GETNCNT/GETZCNT");
		if (now > before)
			return pid;
		usleep(5000);
	}
	fprintf(stderr, "mkipc: waiter %d did not block on semaphore %d\n", (int)pid, num);
	exit(2);
}

struct sem_args {
	int id, num;
};

static void child_semop(void *arg, FILE *report)
{
	struct sem_args *a = arg;
	struct sembuf sb = { .sem_num = (unsigned short)a->num, .sem_op = 1, .sem_flg = 0 };

	(void)report;
	if (semop(a->id, &sb, 1) < 0)
		die("semop");
}

static void make_sem(const char *name, char *opts)
{
	struct common c = { IPC_PRIVATE, 0600, -1, -1, -1 };
	char *save = NULL, *o, *values = NULL;
	int id, nsems = 1, ncnt = -1, zcnt = -1, childop = -1, i;
	bool zombie = false;

	for (o = strtok_r(opts, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		if (common_opt(o, &c))
			continue;
		if (strncmp(o, "nsems=", 6) == 0)
			nsems = atoi(o + 6);
		else if (strncmp(o, "values=", 7) == 0)
			values = o + 7;
		else if (strncmp(o, "ncnt=", 5) == 0)
			ncnt = atoi(o + 5);
		else if (strncmp(o, "zcnt=", 5) == 0)
			zcnt = atoi(o + 5);
		else if (strncmp(o, "childop=", 8) == 0)
			childop = atoi(o + 8);
		else if (strcmp(o, "zombie") == 0)
			zombie = true;
		else
			bad(o);
	}
	if (c.existing >= 0) {
		id = c.existing;
		printf("%s.id=%d\n", name, id);
	} else {
		id = semget(c.key, nsems, IPC_CREAT | IPC_EXCL | c.mode);
		if (id < 0)
			die("semget");
		record('s', id, name, c.key);
	}
	for (i = 0; values && *values && i < nsems; i++) {
		union semun arg = { .val = (int)strtol(values, &values, 10) };

		if (semctl(id, i, SETVAL, arg) < 0)
			die("semctl SETVAL");
		if (*values == ':')
			values++;
	}
	if (childop >= 0) {
		struct sem_args a = { .id = id, .num = childop };

		printf("%s.actor=%d\n", name, (int)child_run(NULL, 0, child_semop, &a,
							  zombie ? END_ZOMBIE : END_EXIT, NULL, 0));
	}
	if (ncnt >= 0)
		printf("%s.waiter=%d\n", name, (int)start_waiter(id, ncnt, -1));
	if (zcnt >= 0)
		printf("%s.waiter=%d\n", name, (int)start_waiter(id, zcnt, 0));
	set_owner('s', id, &c);
}

static unsigned long long fd_inode(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		die("fstat");
	return (unsigned long long)st.st_ino;
}

struct pipe_args {
	const char *name;
	int fds[2];
	bool keep_read;		/* the child reports the read end too */
};

/* A child holding the write end (and, for ends=both, the read end). */
static void child_pipe(void *arg, FILE *report)
{
	struct pipe_args *a = arg;
	int me = (int)getpid();

	if (a->keep_read)
		fprintf(report, "%s.r=%d:%d\n", a->name, me, a->fds[0]);
	fprintf(report, "%s.w=%d:%d\n", a->name, me, a->fds[1]);
}

static void make_pipe(const char *name, char *opts)
{
	char *save = NULL, *o;
	const char *ends = NULL;
	bool mainexit = false, both, child;
	struct pipe_args a = { .name = name };
	int me = (int)getpid();

	for (o = strtok_r(opts, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		if (strncmp(o, "ends=", 5) == 0)
			ends = o + 5;
		else if (strcmp(o, "mainexit") == 0)
			mainexit = true;
		else
			bad(o);
	}
	if (!ends || (strcmp(ends, "both") && strcmp(ends, "read") && strcmp(ends, "write") &&
		      strcmp(ends, "child")))
		bad("pipe: ends=both|read|write|child");
	both = strcmp(ends, "both") == 0;
	child = strcmp(ends, "child") == 0;
	if (mainexit && !both && !child)
		bad("pipe: mainexit goes with ends=both or ends=child");
	if (pipe(a.fds) < 0)
		die("pipe");
	printf("%s.inode=%llu\n", name, fd_inode(a.fds[0]));
	if (child || mainexit) {
		/* the child keeps the write end, or both ends */
		a.keep_read = both;
		printf("%s.child=%d\n", name,
		       (int)child_run(both ? a.fds : a.fds + 1, both ? 2 : 1, child_pipe, &a,
				      mainexit ? END_MAINEXIT : END_STAY, NULL, 0));
	}
	if (both && mainexit) {
		close(a.fds[0]);
		close(a.fds[1]);
		return;
	}
	if (both || !strcmp(ends, "read") || child)
		printf("%s.r=%d:%d\n", name, me, a.fds[0]);
	else
		close(a.fds[0]);
	if (both || !strcmp(ends, "write"))
		printf("%s.w=%d:%d\n", name, me, a.fds[1]);
	else
		close(a.fds[1]);
}

#define MAX_OPENS 8

struct fifo_args {
	const char *name, *path;
	const char *prefix;		/* "" for the helper, "c" for the child */
	const char *items[MAX_OPENS];	/* "r", "w", "rw" */
	int nitems;
};

static int open_flags(const char *item)
{
	if (strcmp(item, "r") == 0)
		return O_RDONLY;
	if (strcmp(item, "w") == 0)
		return O_WRONLY;
	if (strcmp(item, "rw") == 0)
		return O_RDWR;
	bad(item);
}

/* Opens the FIFO once per item; reports NAME.ITEM=PID:FD lines to out. */
static void open_fifo_items(const struct fifo_args *a, FILE *out)
{
	int i, fd;

	for (i = 0; i < a->nitems; i++) {
		fd = open(a->path, open_flags(a->items[i]));
		if (fd < 0)
			die("open FIFO");
		fprintf(out, "%s.%s%s=%d:%d\n", a->name, a->prefix, a->items[i], (int)getpid(), fd);
	}
}

static void child_fifo(void *arg, FILE *report)
{
	open_fifo_items(arg, report);
}

/* The path with C escapes for bytes outside printable ASCII. */
static void print_escaped(const char *name, const char *path)
{
	const unsigned char *p;

	printf("%s.path=", name);
	for (p = (const unsigned char *)path; *p; p++) {
		if (*p == '\n')
			fputs("\\n", stdout);
		else if (*p == '\\')
			fputs("\\\\", stdout);
		else if (*p < 0x20 || *p >= 0x7f)
			printf("\\x%02x", *p);
		else
			putchar(*p);
	}
	putchar('\n');
}

static void make_fifo(const char *name, char *opts)
{
	struct fifo_args mine = { .name = name, .prefix = "" };
	struct fifo_args theirs = { .name = name, .prefix = "c" };
	char *save = NULL, *o, *items = NULL, *isave = NULL, *it;
	const char *path = NULL;
	bool unlink_it = false;
	int mode = 0600, hold;
	struct stat st;

	for (o = strtok_r(opts, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		if (strncmp(o, "path=", 5) == 0)
			path = o + 5;
		else if (strncmp(o, "mode=", 5) == 0)
			mode = (int)strtol(o + 5, NULL, 8);
		else if (strncmp(o, "open=", 5) == 0)
			items = o + 5;
		else if (strcmp(o, "unlink") == 0)
			unlink_it = true;
		else
			bad(o);
	}
	if (!path || !*path)
		bad("fifo: path=P is required");
	mine.path = theirs.path = path;
	for (it = items ? strtok_r(items, "+", &isave) : NULL; it; it = strtok_r(NULL, "+", &isave)) {
		struct fifo_args *a = it[0] == 'c' ? &theirs : &mine;

		if (a->nitems == MAX_OPENS)
			bad("fifo: too many opens");
		a->items[a->nitems] = it[0] == 'c' ? it + 1 : it;
		(void)open_flags(a->items[a->nitems++]);
	}
	if (nfifos == MAX_OBJS)
		bad("too many FIFOs");
	if (mkfifo(path, (mode_t)mode) < 0)
		die("mkfifo");
	fifo_paths[nfifos++] = strdup(path);
	/* a reader and a writer meanwhile, so that no open blocks */
	hold = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (hold < 0 || fstat(hold, &st) < 0)
		die("open FIFO O_RDWR");
	print_escaped(name, path);
	printf("%s.dev=%u:%u\n%s.inode=%llu\n", name, major(st.st_dev), minor(st.st_dev),
	       name, (unsigned long long)st.st_ino);
	open_fifo_items(&mine, stdout);
	if (theirs.nitems)
		printf("%s.child=%d\n", name,
		       (int)child_run(NULL, 0, child_fifo, &theirs, END_STAY, NULL, 0));
	close(hold);
	if (unlink_it) {
		if (unlink(path) < 0)
			die("unlink FIFO");
		free(fifo_paths[--nfifos]);
	}
}

/*
 * POSIX IPC (pshm, psem, pmq): what was made, by name, to remove at the
 * end.  ENOENT is no error then: a test may have removed it (clean).
 */
static struct {
	char kind;	/* 'h' pshm, 'e' psem, 'u' pmq */
	char *path;	/* "/x", as given to *_open */
} posix_made[MAX_OBJS];
static int nposix;

static void record_posix(char kind, const char *path)
{
	if (nposix == MAX_OBJS)
		bad("too many POSIX objects");
	posix_made[nposix].kind = kind;
	posix_made[nposix++].path = strdup(path);
}

static void print_dev_inode(const char *name, const struct stat *st)
{
	printf("%s.dev=%u:%u\n%s.inode=%llu\n", name, major(st->st_dev), minor(st->st_dev),
	       name, (unsigned long long)st->st_ino);
}

/* path= of a POSIX object: "/x", one slash, nothing after it but a name. */
static void check_posix_path(const char *kind, const char *path)
{
	if (!path || path[0] != '/' || !path[1] || strchr(path + 1, '/')) {
		fprintf(stderr, "mkipc: %s: path=/NAME is required\n", kind);
		exit(2);
	}
}

struct pshm_args {
	const char *name;
	int fd;
	size_t size;
	bool keep_fd, map;
};

/*
 * Maps the object MAP_SHARED when asked (MADV_DONTFORK: no later child of
 * the helper inherits it) and keeps the fd or closes it; reports
 * NAME.map=PID and NAME.fd=PID:FD to out.
 */
static void pshm_hold(struct pshm_args *a, FILE *out)
{
	int me = (int)getpid();

	if (a->map) {
		void *p = mmap(NULL, a->size, PROT_READ | PROT_WRITE, MAP_SHARED, a->fd, 0);

		if (p == MAP_FAILED)
			die("mmap POSIX shared memory");
		if (madvise(p, a->size, MADV_DONTFORK) < 0)
			die("madvise MADV_DONTFORK");
		fprintf(out, "%s.map=%d\n", a->name, me);
	}
	if (a->keep_fd)
		fprintf(out, "%s.fd=%d:%d\n", a->name, me, a->fd);
	else
		close(a->fd);
}

static void child_pshm(void *arg, FILE *report)
{
	pshm_hold(arg, report);
}

static void make_pshm(const char *name, char *opts)
{
	struct pshm_args a = { .name = name, .size = 4096 };
	char *save = NULL, *o;
	const char *path = NULL;
	bool by_child = false;
	int mode = 0600;
	mode_t old;
	struct stat st;

	for (o = strtok_r(opts, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		if (strncmp(o, "path=", 5) == 0)
			path = o + 5;
		else if (strncmp(o, "size=", 5) == 0)
			a.size = strtoul(o + 5, NULL, 0);
		else if (strncmp(o, "mode=", 5) == 0)
			mode = (int)strtol(o + 5, NULL, 8);
		else if (strcmp(o, "fd") == 0)
			a.keep_fd = true;
		else if (strcmp(o, "map") == 0)
			a.map = true;
		else if (strcmp(o, "child") == 0)
			by_child = true;
		else
			bad(o);
	}
	check_posix_path("pshm", path);
	if (a.map && a.size == 0)
		bad("pshm: map needs size above 0");
	old = umask(0);	/* the mode as asked */
	a.fd = shm_open(path, O_CREAT | O_EXCL | O_RDWR, (mode_t)mode);
	umask(old);
	if (a.fd < 0)
		die("shm_open");
	record_posix('h', path);
	if (ftruncate(a.fd, (off_t)a.size) < 0 || fstat(a.fd, &st) < 0)
		die("ftruncate or fstat POSIX shared memory");
	print_dev_inode(name, &st);
	if (by_child) {
		printf("%s.child=%d\n", name,
		       (int)child_run(&a.fd, 1, child_pshm, &a, END_STAY, NULL, 0));
		close(a.fd);
	} else {
		pshm_hold(&a, stdout);
	}
}

/* The two halves of glibc's x86_64 sem_t (new_sem): value and nwaiters. */
static bool psem_read(const char *file, unsigned *ret_value, unsigned *ret_waiters)
{
	uint64_t data;
	int fd = open(file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	bool ok;

	if (fd < 0)
		return false;
	ok = pread(fd, &data, sizeof(data), 0) == (ssize_t)sizeof(data);
	close(fd);
	if (ok) {
		*ret_value = (unsigned)(data & 0xffffffffU);
		*ret_waiters = (unsigned)(data >> 32);
	}
	return ok;
}

/*
 * A child that blocks in sem_wait on s (inherited: the mapping must not be
 * MADV_DONTFORK yet).  Returns once the file counts one more waiter and
 * the child sleeps.
 */
static pid_t start_psem_waiter(sem_t *s, const char *file)
{
	unsigned value, before, now;
	pid_t pid;
	int tries;

	if (!psem_read(file, &value, &before))
		die("read the semaphore file");
	if (value != 0)
		bad("psem: wait needs value=0");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		child_setup(NULL, 0, -1);
		sem_wait(s);
		_exit(0);
	}
	kids[nkids].pid = pid;
	kids[nkids++].end = END_STAY;
	for (tries = 0; tries < 1000; tries++) {
		if (psem_read(file, &value, &now) && now > before && proc_state(pid) == 'S')
			return pid;
		usleep(5000);
	}
	fprintf(stderr, "mkipc: waiter %d did not block in sem_wait\n", (int)pid);
	exit(2);
}

static void make_psem(const char *name, char *opts)
{
	char *save = NULL, *o, file[PATH_MAX];
	const char *path = NULL;
	bool close_it = false, wait = false;
	unsigned value = 0;
	int mode = 0600;
	mode_t old;
	struct stat st;
	sem_t *s;

	for (o = strtok_r(opts, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		if (strncmp(o, "path=", 5) == 0)
			path = o + 5;
		else if (strncmp(o, "value=", 6) == 0)
			value = (unsigned)strtoul(o + 6, NULL, 10);
		else if (strncmp(o, "mode=", 5) == 0)
			mode = (int)strtol(o + 5, NULL, 8);
		else if (strcmp(o, "close") == 0)
			close_it = true;
		else if (strcmp(o, "wait") == 0)
			wait = true;
		else
			bad(o);
	}
	check_posix_path("psem", path);
	if (nkids == (int)(sizeof(kids) / sizeof(kids[0])))
		bad("too many children");
	old = umask(0);
	s = sem_open(path, O_CREAT | O_EXCL, (mode_t)mode, value);
	umask(old);
	if (s == SEM_FAILED)
		die("sem_open");
	record_posix('e', path);
	snprintf(file, sizeof(file), "/dev/shm/sem.%s", path + 1);
	if (stat(file, &st) < 0)
		die("stat the semaphore file");
	print_dev_inode(name, &st);
	if (wait)
		printf("%s.waiter=%d\n", name, (int)start_psem_waiter(s, file));
	if (close_it) {
		if (sem_close(s) < 0)
			die("sem_close");
		return;
	}
	/* sem_open maps a whole page: later children must not inherit it */
	if (madvise(s, sizeof(*s), MADV_DONTFORK) < 0)
		die("madvise MADV_DONTFORK");
	printf("%s.map=%d\n", name, (int)getpid());
}

#define PMQ_MSG "0123456789"	/* every message: 10 bytes */

static void make_pmq(const char *name, char *opts)
{
	char *save = NULL, *o;
	const char *path = NULL;
	bool close_it = false, notify = false;
	int mode = 0600, send = 0, i;
	struct mq_attr attr;
	mode_t old;
	struct stat st;
	mqd_t q;

	for (o = strtok_r(opts, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		if (strncmp(o, "path=", 5) == 0)
			path = o + 5;
		else if (strncmp(o, "mode=", 5) == 0)
			mode = (int)strtol(o + 5, NULL, 8);
		else if (strncmp(o, "send=", 5) == 0)
			send = atoi(o + 5);
		else if (strcmp(o, "close") == 0)
			close_it = true;
		else if (strcmp(o, "notify") == 0)
			notify = true;
		else
			bad(o);
	}
	check_posix_path("pmq", path);
	old = umask(0);
	q = mq_open(path, O_CREAT | O_EXCL | O_RDWR, (mode_t)mode, NULL);
	umask(old);
	if (q == (mqd_t)-1)
		die("mq_open");
	record_posix('u', path);
	if (fstat((int)q, &st) < 0 || mq_getattr(q, &attr) < 0)
		die("fstat or mq_getattr the queue");
	print_dev_inode(name, &st);
	if (send < 0 || send > attr.mq_maxmsg)
		bad("pmq: send=N above the queue's mq_maxmsg");
	for (i = 0; i < send; i++)
		if (mq_send(q, PMQ_MSG, strlen(PMQ_MSG), 0) < 0)
			die("mq_send");
	if (notify) {
		struct sigevent ev = { .sigev_notify = SIGEV_NONE };

		if (mq_notify(q, &ev) < 0)
			die("mq_notify");
	}
	if (close_it) {
		if (mq_close(q) < 0)
			die("mq_close");
	} else {
		printf("%s.fd=%d:%d\n", name, (int)getpid(), (int)q);
	}
}

/* At the end: remove the POSIX objects made, unless a test already did. */
static void remove_posix(void)
{
	int i, r;

	for (i = 0; i < nposix; i++) {
		if (posix_made[i].kind == 'h')
			r = shm_unlink(posix_made[i].path);
		else if (posix_made[i].kind == 'e')
			r = sem_unlink(posix_made[i].path);
		else
			r = mq_unlink(posix_made[i].path);
		if (r < 0 && errno != ENOENT)
			fprintf(stderr, "mkipc: cannot remove %s: %s\n", posix_made[i].path,
				strerror(errno));
		free(posix_made[i].path);
	}
}

/*
 * Unix sockets.  The fds the helper keeps (closed at the end) and the
 * files it bound, by (dev, inode): at the end each is unlinked if that
 * path still names that same file (a test may have removed it, or put
 * another file there).
 */
static int unix_fds[4 * MAX_OBJS];
static int nunix_fds;
static struct {
	char *path;
	dev_t dev;
	ino_t ino;
} unix_bound[MAX_OBJS];
static int nunix_bound;

static void keep_unix_fd(int fd)
{
	if (nunix_fds == (int)(sizeof(unix_fds) / sizeof(unix_fds[0])))
		bad("too many Unix sockets");
	unix_fds[nunix_fds++] = fd;
}

struct unix_args {
	const char *name;
	const char *path;		/* a file path, or NULL */
	unsigned char abstract[108];	/* an abstract name's bytes */
	size_t abstract_len;		/* 0: no abstract name */
	int type;			/* SOCK_STREAM, SOCK_SEQPACKET, SOCK_DGRAM */
	int fd;				/* pair: the child's end */
};

static int parse_unix_type(const char *s)
{
	if (strcmp(s, "stream") == 0)
		return SOCK_STREAM;
	if (strcmp(s, "seqpacket") == 0)
		return SOCK_SEQPACKET;
	if (strcmp(s, "dgram") == 0)
		return SOCK_DGRAM;
	bad(s);
}

/* abstract=HEX: two hex digits a byte, any byte (NUL too); at most 107. */
static size_t parse_abstract(const char *hex, unsigned char *out, size_t size)
{
	size_t n = 0;
	unsigned v;

	if (!*hex || strlen(hex) % 2)
		bad("unix: abstract=HEX needs an even number of hex digits, at least 2");
	for (; *hex; hex += 2) {
		if (n == size || sscanf(hex, "%2x", &v) != 1 || !isxdigit((unsigned char)hex[0]) ||
		    !isxdigit((unsigned char)hex[1]))
			bad("unix: abstract=HEX");
		out[n++] = (unsigned char)v;
	}
	return n;
}

/* The address of a: its path, or its abstract name; returns its length. */
static socklen_t unix_addr(const struct unix_args *a, struct sockaddr_un *ret_sun)
{
	memset(ret_sun, 0, sizeof(*ret_sun));
	ret_sun->sun_family = AF_UNIX;
	if (a->abstract_len) {
		memcpy(ret_sun->sun_path + 1, a->abstract, a->abstract_len);
		return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + a->abstract_len);
	}
	if (strlen(a->path) >= sizeof(ret_sun->sun_path))
		bad("unix: path= longer than 107 bytes");
	strcpy(ret_sun->sun_path, a->path);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(a->path) + 1);
}

/* A socket of a's type bound to a's address (if any); dies on failure. */
static int unix_bound_socket(const struct unix_args *a, int type)
{
	struct sockaddr_un sun;
	socklen_t len;
	int fd = socket(AF_UNIX, type, 0);

	if (fd < 0)
		die("socket AF_UNIX");
	if (!a->path && !a->abstract_len)
		return fd;
	len = unix_addr(a, &sun);
	if (bind(fd, (struct sockaddr *)&sun, len) < 0)
		die("bind");
	return fd;
}

/* Records a's path, bound just now, to unlink at the end. */
static void record_unix_path(const struct unix_args *a)
{
	struct stat st;

	if (!a->path)
		return;
	if (nunix_bound == MAX_OBJS)
		bad("too many Unix socket paths");
	if (lstat(a->path, &st) < 0)
		die("lstat the socket file");
	unix_bound[nunix_bound].path = strdup(a->path);
	unix_bound[nunix_bound].dev = st.st_dev;
	unix_bound[nunix_bound++].ino = st.st_ino;
}

/* The socket file's own dev and inode (NAME.file_dev=, NAME.file_inode=). */
static void print_unix_file(const char *name, const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		die("lstat the socket file");
	printf("%s.file_dev=%u:%u\n%s.file_inode=%llu\n", name, major(st.st_dev),
	       minor(st.st_dev), name, (unsigned long long)st.st_ino);
}

static void print_unix_end(const char *name, const char *what, int fd)
{
	printf("%s.%s=%llu:%d:%d\n", name, what, fd_inode(fd), (int)getpid(), fd);
}

static void child_unix_pair(void *arg, FILE *report)
{
	const struct unix_args *a = arg;

	fprintf(report, "%s.fd1=%d:%d\n", a->name, (int)getpid(), a->fd);
}

static void unix_pair(struct unix_args *a)
{
	int fds[2];

	if (socketpair(AF_UNIX, a->type, 0, fds) < 0)
		die("socketpair");
	printf("%s.inode0=%llu\n%s.inode1=%llu\n", a->name, fd_inode(fds[0]), a->name,
	       fd_inode(fds[1]));
	printf("%s.fd0=%d:%d\n", a->name, (int)getpid(), fds[0]);
	a->fd = fds[1];
	printf("%s.child=%d\n", a->name,
	       (int)child_run(&fds[1], 1, child_unix_pair, a, END_STAY, NULL, 0));
	close(fds[1]);
	keep_unix_fd(fds[0]);
}

/*
 * Binds, listens, connects the clients (the backlog holds them all) and
 * accepts them: the accept queue is in connection order, so accepted k is
 * client k's peer.
 */
static void unix_listen(const struct unix_args *a, int clients, int accepts, bool unlink_it)
{
	struct sockaddr_un sun;
	socklen_t len;
	int fd, k, c[MAX_OBJS];

	if (!a->path && !a->abstract_len)
		bad("unix: kind=listen needs path= or abstract=");
	if (a->type == SOCK_DGRAM)
		bad("unix: kind=listen needs type=stream or type=seqpacket");
	if (clients < 0 || clients > MAX_OBJS)
		bad("unix: clients=N");
	if (accepts < 0)
		accepts = clients;
	if (accepts > clients)
		bad("unix: accept=M above clients=N");
	fd = unix_bound_socket(a, a->type);
	if (listen(fd, SOMAXCONN) < 0)
		die("listen");
	keep_unix_fd(fd);
	if (a->path) {
		print_escaped(a->name, a->path);
		print_unix_file(a->name, a->path);
	}
	printf("%s.inode=%llu\n%s.fd=%d:%d\n", a->name, fd_inode(fd), a->name, (int)getpid(), fd);
	len = unix_addr(a, &sun);
	for (k = 0; k < clients; k++) {
		c[k] = socket(AF_UNIX, a->type, 0);
		if (c[k] < 0 || connect(c[k], (struct sockaddr *)&sun, len) < 0)
			die("connect");
		keep_unix_fd(c[k]);
	}
	for (k = 0; k < clients; k++) {
		int s = k < accepts ? accept(fd, NULL, NULL) : -1;
		char what[32];

		if (k < accepts && s < 0)
			die("accept");
		snprintf(what, sizeof(what), "client.%d", k + 1);
		print_unix_end(a->name, what, c[k]);
		if (s < 0)
			continue;
		keep_unix_fd(s);
		snprintf(what, sizeof(what), "accepted.%d", k + 1);
		print_unix_end(a->name, what, s);
	}
	if (a->path && unlink_it) {
		if (unlink(a->path) < 0)
			die("unlink the socket file");
	} else {
		record_unix_path(a);
	}
}

static void child_unix_stale(void *arg, FILE *report)
{
	const struct unix_args *a = arg;

	(void)report;
	(void)unix_bound_socket(a, SOCK_STREAM);	/* closed as the child exits */
}

static void make_unix(const char *name, char *opts)
{
	struct unix_args a = { .name = name, .type = -1, .fd = -1 };
	char *save = NULL, *o;
	const char *kind = NULL;
	bool unlink_it = false;
	int clients = 0, accepts = -1, fd;

	for (o = strtok_r(opts, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		if (strncmp(o, "kind=", 5) == 0)
			kind = o + 5;
		else if (strncmp(o, "path=", 5) == 0)
			a.path = o + 5;
		else if (strncmp(o, "abstract=", 9) == 0)
			a.abstract_len = parse_abstract(o + 9, a.abstract, sizeof(a.abstract) - 1);
		else if (strncmp(o, "clients=", 8) == 0)
			clients = atoi(o + 8);
		else if (strncmp(o, "accept=", 7) == 0)
			accepts = atoi(o + 7);
		else if (strncmp(o, "type=", 5) == 0)
			a.type = parse_unix_type(o + 5);
		else if (strcmp(o, "unlink") == 0)
			unlink_it = true;
		else
			bad(o);
	}
	if (!kind)
		bad("unix: kind=pair|listen|dgram|stale is required");
	if (a.path && (!*a.path || a.abstract_len))
		bad("unix: path= is a non-empty file path, not with abstract=");
	if ((clients || accepts >= 0) && strcmp(kind, "listen"))
		bad("unix: clients= and accept= go with kind=listen");
	if (unlink_it && (strcmp(kind, "listen") || !a.path))
		bad("unix: unlink goes with kind=listen,path=P");
	if (strcmp(kind, "pair") == 0) {
		if (a.path || a.abstract_len)
			bad("unix: kind=pair takes no path= or abstract=");
		if (a.type < 0)
			a.type = SOCK_STREAM;
		unix_pair(&a);
	} else if (strcmp(kind, "listen") == 0) {
		if (a.type < 0)
			a.type = SOCK_STREAM;
		unix_listen(&a, clients, accepts, unlink_it);
	} else if (strcmp(kind, "dgram") == 0) {
		if (a.type >= 0 && a.type != SOCK_DGRAM)
			bad("unix: kind=dgram is type=dgram");
		fd = unix_bound_socket(&a, SOCK_DGRAM);
		keep_unix_fd(fd);
		if (a.path) {
			print_escaped(name, a.path);
			print_unix_file(name, a.path);
			record_unix_path(&a);
		}
		printf("%s.inode=%llu\n%s.fd=%d:%d\n", name, fd_inode(fd), name, (int)getpid(), fd);
	} else if (strcmp(kind, "stale") == 0) {
		if (!a.path || a.type >= 0)
			bad("unix: kind=stale needs path= and takes no type=");
		printf("%s.creator=%d\n", name,
		       (int)child_run(NULL, 0, child_unix_stale, &a, END_EXIT, NULL, 0));
		print_escaped(name, a.path);
		print_unix_file(name, a.path);
		record_unix_path(&a);
	} else {
		bad(kind);
	}
}

/* At the end: close the sockets, unlink the files still the ones bound. */
static void remove_unix(void)
{
	struct stat st;
	int i;

	for (i = 0; i < nunix_fds; i++)
		close(unix_fds[i]);
	for (i = 0; i < nunix_bound; i++) {
		if (lstat(unix_bound[i].path, &st) == 0 && S_ISSOCK(st.st_mode) &&
		    st.st_dev == unix_bound[i].dev && st.st_ino == unix_bound[i].ino &&
		    unlink(unix_bound[i].path) < 0 && errno != ENOENT)
			fprintf(stderr, "mkipc: cannot remove %s: %s\n", unix_bound[i].path,
				strerror(errno));
		free(unix_bound[i].path);
	}
}

/* Waits until every waiting child is blocked in semop (state S). */
static void wait_children_blocked(void)
{
	int i, tries;

	for (i = 0; i < nchildren; i++) {
		for (tries = 0; tries < 500; tries++) {
			char state = proc_state(children[i]);

			if (state == 'S' || state == 0)	/* blocked, or gone */
				break;
			usleep(10000);
		}
	}
}

/* At EOF: end the children, reap them, unlink the FIFOs still there. */
static void end_children(void)
{
	int i;

	for (i = 0; i < nkids; i++)
		if (kids[i].end == END_STAY || kids[i].end == END_MAINEXIT)
			kill(kids[i].pid, SIGKILL);
	for (i = 0; i < nkids; i++)
		waitpid(kids[i].pid, NULL, 0);
	for (i = 0; i < nfifos; i++) {
		unlink(fifo_paths[i]);
		free(fifo_paths[i]);
	}
}

/* late:NAME: the children whose thread opens a path when told. */
struct memfd_args {
	const char *name;
	int fd;
	size_t size;
	bool map, close_fd, read_only;
	int sock;		/* pass: the child's end of the socketpair, else -1 */
};

/* Sends fd over sock as SCM_RIGHTS, with one byte of data. */
static void send_fd(int sock, int fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	char byte = 'f';
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = u.buf, .msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	if (sendmsg(sock, &mh, 0) != 1)
		die("sendmsg SCM_RIGHTS");
}

/* Receives the fd send_fd() sent; dies without one. */
static int recv_fd(int sock)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = u.buf, .msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *c;
	int fd;

	if (recvmsg(sock, &mh, MSG_CMSG_CLOEXEC) != 1)
		die("recvmsg SCM_RIGHTS");
	c = CMSG_FIRSTHDR(&mh);
	if (!c || c->cmsg_type != SCM_RIGHTS || c->cmsg_len != CMSG_LEN(sizeof(int)))
		bad("memfd: no fd received");
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

/* Maps and closes as asked; reports NAME.map=PID and NAME.fd=PID:FD to out. */
static void memfd_hold(struct memfd_args *a, FILE *out)
{
	int me = (int)getpid();

	if (a->sock >= 0) {
		a->fd = recv_fd(a->sock);
		close(a->sock);
	}
	if (a->map) {
		void *p = mmap(NULL, a->size, a->read_only ? PROT_READ : PROT_READ | PROT_WRITE,
			       MAP_SHARED, a->fd, 0);

		if (p == MAP_FAILED)
			die("mmap memfd");
		if (madvise(p, a->size, MADV_DONTFORK) < 0)
			die("madvise MADV_DONTFORK");
		fprintf(out, "%s.map=%d\n", a->name, me);
	}
	if (a->close_fd)
		close(a->fd);
	else
		fprintf(out, "%s.fd=%d:%d\n", a->name, me, a->fd);
}

static void child_memfd(void *arg, FILE *report)
{
	memfd_hold(arg, report);
}

static unsigned parse_seals(char *list)
{
	char *save = NULL, *s;
	unsigned seals = 0;

	for (s = strtok_r(list, "+", &save); s; s = strtok_r(NULL, "+", &save)) {
		if (strcmp(s, "grow") == 0)
			seals |= F_SEAL_GROW;
		else if (strcmp(s, "shrink") == 0)
			seals |= F_SEAL_SHRINK;
		else if (strcmp(s, "write") == 0)
			seals |= F_SEAL_WRITE;
		else if (strcmp(s, "seal") == 0)
			seals |= F_SEAL_SEAL;
		else
			bad(s);
	}
	return seals;
}

static void make_memfd(const char *name, char *opts)
{
	struct memfd_args a = { .name = name, .size = 4096, .sock = -1 };
	char *save = NULL, *o;
	const char *mname = name;
	unsigned seals = 0;
	bool pass = false;
	struct stat st;
	int sv[2];

	for (o = strtok_r(opts, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		if (strncmp(o, "name=", 5) == 0)
			mname = o + 5;
		else if (strncmp(o, "size=", 5) == 0)
			a.size = strtoul(o + 5, NULL, 0);
		else if (strncmp(o, "seals=", 6) == 0)
			seals = parse_seals(o + 6);
		else if (strcmp(o, "map") == 0)
			a.map = true;
		else if (strcmp(o, "close") == 0)
			a.close_fd = true;
		else if (strcmp(o, "pass") == 0)
			pass = true;
		else
			bad(o);
	}
	if ((a.map && a.size == 0) || (a.close_fd && !a.map))
		bad("memfd: map needs size above 0, close needs map");
	a.fd = memfd_create(mname, MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (a.fd < 0)
		die("memfd_create");
	if (ftruncate(a.fd, (off_t)a.size) < 0 || fstat(a.fd, &st) < 0)
		die("ftruncate or fstat memfd");
	if (seals && fcntl(a.fd, F_ADD_SEALS, (int)seals) < 0)
		die("F_ADD_SEALS");
	a.read_only = seals & F_SEAL_WRITE;
	print_dev_inode(name, &st);
	if (!pass) {
		memfd_hold(&a, stdout);
		return;
	}
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv) < 0)
		die("socketpair");
	send_fd(sv[0], a.fd);	/* in flight until the child receives it */
	close(sv[0]);
	close(a.fd);
	a.sock = sv[1];
	printf("%s.child=%d\n", name, (int)child_run(&sv[1], 1, child_memfd, &a, END_STAY, NULL, 0));
	close(sv[1]);
}

static struct late {
	char name[32];
	char path[PATH_MAX];
	bool map, told;		/* told: "open NAME" was done */
	int go[2], done[2];	/* "open NAME" -> the thread -> the helper */
	pid_t pid;
} lates[MAX_OBJS];
static int nlates;

static void *late_thread(void *arg)
{
	struct late *l = arg;
	char c;
	int fd;

	if (read(l->go[0], &c, 1) != 1)
		return NULL;
	fd = open(l->path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	c = fd < 0 ? 'f' : 'o';
	if (fd >= 0 && l->map) {
		if (mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED)
			c = 'f';
		close(fd);
	}
	if (write(l->done[1], &c, 1) != 1)
		die("late: write");
	return wait_forever(NULL);
}

static void child_late(void *arg, FILE *report)
{
	pthread_t t;

	(void)report;
	if ((errno = pthread_create(&t, NULL, late_thread, arg)))
		die("pthread_create");
}

static void make_late(const char *name, char *opts)
{
	struct late *l = &lates[nlates];
	char *save = NULL, *o;

	if (nlates == MAX_OBJS)
		bad("too many late holders");
	snprintf(l->name, sizeof(l->name), "%s", name);
	for (o = strtok_r(opts, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		if (strncmp(o, "path=", 5) == 0)
			snprintf(l->path, sizeof(l->path), "%s", o + 5);
		else if (strcmp(o, "map") == 0)
			l->map = true;
		else
			bad(o);
	}
	if (!l->path[0])
		bad("late: path= is required");
	if (pipe(l->go) < 0 || pipe(l->done) < 0)
		die("pipe");
	l->pid = child_run((int[]){ l->go[0], l->done[1] }, 2, child_late, l, END_MAINEXIT,
			   NULL, 0);
	close(l->go[0]);
	close(l->done[1]);
	nlates++;
	printf("%s.child=%d\n", name, (int)l->pid);
}

/* One command line read from stdin after "ready". */
static void command(char *line)
{
	char name[32];
	unsigned byte;
	int i, n = 0;
	char c;

	if (sscanf(line, "fill %31s %i", name, (int *)&byte) == 2) {
		for (i = 0; i < nattached; i++)
			if (strcmp(attached[i].name, name) == 0) {
				memset(attached[i].addr, (int)byte, attached[i].size);
				n++;
			}
		if (n)
			printf("%s.filled=%u\n", name, byte);
	} else if (sscanf(line, "ipcset %c %i", &c, &n) == 2 && strchr("mqs", c)) {
		ipc_set(c, n, &(struct common){ .uid = -1, .gid = -1 });
		printf("ipcset.%c.%d=done\n", c, n);
	} else if (sscanf(line, "open %31s", name) == 1) {
		for (i = 0; i < nlates && strcmp(lates[i].name, name) != 0; i++)
			;
		if (i == nlates || lates[i].told)
			return;
		lates[i].told = true;
		if (write(lates[i].go[1], "o", 1) != 1 || read(lates[i].done[0], &c, 1) != 1)
			die("late: open NAME");
		if (c == 'o')
			printf("%s.opened=%d\n", name, (int)lates[i].pid);
		else
			printf("%s.opened=failed\n", name);
	}
}

int main(int argc, char **argv)
{
	char buf[256];
	int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	helper_pid = getpid();
	printf("pid=%d\n", (int)helper_pid);
	for (i = 1; i < argc; i++) {
		char *arg = strdup(argv[i]), *colon, *comma, *name;

		if (!arg)
			die("strdup");
		colon = strchr(arg, ':');
		if (!colon)
			bad(argv[i]);
		*colon = '\0';
		name = colon + 1;
		comma = strchr(name, ',');
		if (comma)
			*comma++ = '\0';
		if (strcmp(arg, "shm") == 0)
			make_shm(name, comma ? comma : (char *)"");
		else if (strcmp(arg, "msg") == 0)
			make_msg(name, comma ? comma : (char *)"");
		else if (strcmp(arg, "sem") == 0)
			make_sem(name, comma ? comma : (char *)"");
		else if (strcmp(arg, "pipe") == 0)
			make_pipe(name, comma ? comma : (char *)"");
		else if (strcmp(arg, "fifo") == 0)
			make_fifo(name, comma ? comma : (char *)"");
		else if (strcmp(arg, "pshm") == 0)
			make_pshm(name, comma ? comma : (char *)"");
		else if (strcmp(arg, "psem") == 0)
			make_psem(name, comma ? comma : (char *)"");
		else if (strcmp(arg, "pmq") == 0)
			make_pmq(name, comma ? comma : (char *)"");
		else if (strcmp(arg, "unix") == 0)
			make_unix(name, comma ? comma : (char *)"");
		else if (strcmp(arg, "memfd") == 0)
			make_memfd(name, comma ? comma : (char *)"");
		else if (strcmp(arg, "late") == 0)
			make_late(name, comma ? comma : (char *)"");
		else if (strcmp(arg, "sleep") == 0)
			sleep_ms(strtol(name, NULL, 10));
		else
			bad(argv[i]);
		free(arg);
	}
	wait_children_blocked();
	puts("ready");
	while (fgets(buf, sizeof(buf), stdin))
		command(buf);
	end_children();
	/* remove only what this helper made */
	for (i = 0; i < nmade; i++) {
		if (made[i].removed)
			continue;
		if (made[i].kind == 'm')
			shmctl(made[i].id, IPC_RMID, NULL);
		else if (made[i].kind == 'q')
			msgctl(made[i].id, IPC_RMID, NULL);
		else
			semctl(made[i].id, 0, IPC_RMID);
	}
	for (i = 0; i < nchildren; i++)
		waitpid(children[i], NULL, 0);
	remove_posix();
	remove_unix();
	return 0;
}
