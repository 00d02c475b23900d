/*
 * mkipc: make System V IPC objects for the live tests, print what was made
 * as NAME.FIELD=VALUE lines, print "ready", then wait until stdin reaches
 * EOF and remove what it made.  Run it only inside a private IPC
 * namespace (tests/lib.sh ns_enter).
 *
 * Each argument describes one object, comma separated:
 *   shm:NAME[,key=K][,size=N][,mode=0640][,uid=U][,gid=G][,attach=N][,lock][,rmid][,fill=BYTE]
 *   msg:NAME[,key=K][,mode=..][,uid=U][,gid=G][,send=TYPE:LEN]...[,recv=N]
 *   sem:NAME[,key=K][,mode=..][,uid=U][,gid=G][,nsems=N][,values=V:V:..]
 *       [,ncnt=NUM] (a child blocks waiting for NUM to grow)
 *       [,zcnt=NUM] (a child blocks waiting for NUM to become zero)
 *       (the helper waits until the kernel counts each child as waiting;
 *       a child detaches the segments it inherits, so make segments after
 *       the sets unless that detach is what a test wants, KERNEL-NOTES 1.8)
 * K is hex (0x..) or decimal; "private" for IPC_PRIVATE (the default).
 * attach=N attaches the segment N times in this process.  The helper's own
 * pid is printed as pid=..., each waiting child as NAME.waiter=PID.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/types.h>
#include <sys/wait.h>
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
static void *attached[256];	/* every shmat of this process */
static int nattached;

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

struct common {
	key_t key;
	int mode;
	long uid, gid;
};

static void set_owner(char kind, int id, const struct common *c)
{
	if (c->uid < 0 && c->gid < 0)
		return;
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

static void make_shm(const char *name, char *opts)
{
	struct common c = { IPC_PRIVATE, 0600, -1, -1 };
	size_t size = 4096;
	int attach = 0, lock = 0, rmid = 0, fill = -1, id, i;
	char *save = NULL, *o;

	for (o = strtok_r(opts, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		if (common_opt(o, &c))
			continue;
		if (strncmp(o, "size=", 5) == 0)
			size = strtoul(o + 5, NULL, 0);
		else if (strncmp(o, "attach=", 7) == 0)
			attach = atoi(o + 7);
		else if (strcmp(o, "lock") == 0)
			lock = 1;
		else if (strcmp(o, "rmid") == 0)
			rmid = 1;
		else if (strncmp(o, "fill=", 5) == 0)
			fill = (int)strtol(o + 5, NULL, 0);
		else
			bad(o);
	}
	id = shmget(c.key, size, IPC_CREAT | IPC_EXCL | c.mode);
	if (id < 0)
		die("shmget");
	record('m', id, name, c.key);
	for (i = 0; i < attach; i++) {
		void *p = shmat(id, NULL, 0);

		if (p == (void *)-1)
			die("shmat");
		if (nattached < 256)
			attached[nattached++] = p;
		if (fill >= 0)
			memset(p, fill, size);
	}
	if (lock && shmctl(id, SHM_LOCK, NULL) < 0)
		die("shmctl SHM_LOCK");
	set_owner('m', id, &c);
	if (rmid) {
		if (shmctl(id, IPC_RMID, NULL) < 0)
			die("shmctl IPC_RMID");
		made[nmade - 1].removed = true;
	}
}

static void make_msg(const char *name, char *opts)
{
	struct common c = { IPC_PRIVATE, 0600, -1, -1 };
	char *save = NULL, *o;
	int id, recv = 0, i;
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
		else
			bad(o);
	}
	id = msgget(c.key, IPC_CREAT | IPC_EXCL | c.mode);
	if (id < 0)
		die("msgget");
	record('q', id, name, c.key);
	for (i = 0; i < nsends; i++) {
		struct {
			long mtype;
			char mtext[8192];
		} m = { .mtype = sends[i].type };

		if (sends[i].len > sizeof(m.mtext))
			bad("send=TYPE:LEN: LEN above 8192");
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
		int k;

		/* a fork counts as an attach: keep nattch to what was asked */
		for (k = 0; k < nattached; k++)
			shmdt(attached[k]);
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

static void make_sem(const char *name, char *opts)
{
	struct common c = { IPC_PRIVATE, 0600, -1, -1 };
	char *save = NULL, *o, *values = NULL;
	int id, nsems = 1, ncnt = -1, zcnt = -1, i;

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
		else
			bad(o);
	}
	id = semget(c.key, nsems, IPC_CREAT | IPC_EXCL | c.mode);
	if (id < 0)
		die("semget");
	record('s', id, name, c.key);
	for (i = 0; values && *values && i < nsems; i++) {
		union semun arg = { .val = (int)strtol(values, &values, 10) };

		if (semctl(id, i, SETVAL, arg) < 0)
			die("semctl SETVAL");
		if (*values == ':')
			values++;
	}
	if (ncnt >= 0)
		printf("%s.waiter=%d\n", name, (int)start_waiter(id, ncnt, -1));
	if (zcnt >= 0)
		printf("%s.waiter=%d\n", name, (int)start_waiter(id, zcnt, 0));
	set_owner('s', id, &c);
}

/* Waits until every waiting child is blocked in semop (state S). */
static void wait_children_blocked(void)
{
	int i, tries;

	for (i = 0; i < nchildren; i++) {
		for (tries = 0; tries < 500; tries++) {
			char path[64], buf[512], *p;
			FILE *f;

			snprintf(path, sizeof(path), "/proc/%d/stat", (int)children[i]);
			f = fopen(path, "r");
			if (!f)
				break;
			p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
			fclose(f);
			if (p && p[1] == ' ' && p[2] == 'S')
				break;
			usleep(10000);
		}
	}
}

int main(int argc, char **argv)
{
	char buf[256];
	int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("pid=%d\n", (int)getpid());
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
		else
			bad(argv[i]);
		free(arg);
	}
	wait_children_blocked();
	puts("ready");
	while (fgets(buf, sizeof(buf), stdin))
		;
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
	return 0;
}
