/*
 * ipcdump: print the state of one SysV IPC object, one field=value per
 * line, in a fixed order, so that the live tests can compare an object
 * before a backup with the object restored from it.  The id itself is not
 * printed (a restored object has a new one); nothing the kernel sets on
 * its own (cuid, cgid, pids, times) is printed either.
 *
 *   ipcdump shm ID   key= mode= uid= gid= size= then the content:
 *                    bytes.fnv1a64= (FNV-1a 64 of every byte: any one
 *                    byte changed changes it), bytes.head= and bytes.tail=
 *                    (the first and last 16 bytes, hex); the segment is
 *                    attached SHM_RDONLY and detached
 *   ipcdump msg ID   key= mode= uid= gid= qbytes= qnum= cbytes= then one
 *                    line per message, in queue order, read without
 *                    consuming it (msgrcv MSG_COPY, doc/kernel-facts.md,
 *                    "Copying messages"):
 *                    msg.N=TYPE:LEN:HEX (HEX empty for an empty message)
 *   ipcdump sem ID   key= mode= uid= gid= nsems= values=V,V,...
 *
 * key is 0x%08x, mode the permission bits (mode & 0777) as %04o.
 * Exit status: 0 printed; 1 the object is not there or cannot be read
 * (one line on stderr); 2 usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

#ifndef MSG_COPY
#define MSG_COPY 040000
#endif

union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
};

static int fail(const char *kind, int id, const char *what)
{
	fprintf(stderr, "ipcdump: %s %d: %s: %s\n", kind, id, what, strerror(errno));
	return 1;
}

static void print_perm(const struct ipc_perm *p)
{
	printf("key=0x%08x\nmode=%04o\nuid=%u\ngid=%u\n", (unsigned)p->__key,
	       (unsigned)p->mode & 0777, (unsigned)p->uid, (unsigned)p->gid);
}

static void print_hex(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		printf("%02x", p[i]);
}

static int dump_shm(int id)
{
	struct shmid_ds ds;
	const unsigned char *p;
	uint64_t h = 14695981039346656037ULL;
	size_t i, size, edge;

	if (shmctl(id, IPC_STAT, &ds) < 0)
		return fail("shm", id, "shmctl IPC_STAT");
	p = shmat(id, NULL, SHM_RDONLY);
	if (p == (void *)-1)
		return fail("shm", id, "shmat SHM_RDONLY");
	size = ds.shm_segsz;
	for (i = 0; i < size; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	edge = size < 16 ? size : 16;
	print_perm(&ds.shm_perm);
	printf("size=%zu\nbytes.fnv1a64=%016" PRIx64 "\nbytes.head=", size, h);
	print_hex(p, edge);
	printf("\nbytes.tail=");
	print_hex(p + size - edge, edge);
	putchar('\n');
	if (shmdt(p) < 0)
		return fail("shm", id, "shmdt");
	return 0;
}

static int dump_msg(int id)
{
	struct msqid_ds ds;
	struct {
		long mtype;
		unsigned char mtext[];
	} *m;
	size_t room;
	unsigned long n;

	if (msgctl(id, IPC_STAT, &ds) < 0)
		return fail("msg", id, "msgctl IPC_STAT");
	/* no message is longer than all of them together; one byte more
	 * shows a message that grew past that (MSG_NOERROR would hide it) */
	room = (size_t)ds.__msg_cbytes + 1;
	m = malloc(sizeof(*m) + room);
	if (!m)
		return fail("msg", id, "malloc");
	print_perm(&ds.msg_perm);
	printf("qbytes=%lu\nqnum=%lu\ncbytes=%lu\n", (unsigned long)ds.msg_qbytes,
	       (unsigned long)ds.msg_qnum, (unsigned long)ds.__msg_cbytes);
	for (n = 0; n < (unsigned long)ds.msg_qnum; n++) {
		ssize_t len = msgrcv(id, m, room, (long)n, IPC_NOWAIT | MSG_COPY | MSG_NOERROR);

		if (len < 0) {
			free(m);
			return fail("msg", id, "msgrcv MSG_COPY");
		}
		printf("msg.%lu=%ld:%zd:", n, m->mtype, len);
		print_hex(m->mtext, (size_t)len);
		putchar('\n');
	}
	free(m);
	return 0;
}

static int dump_sem(int id)
{
	struct semid_ds ds;
	union semun arg = { .buf = &ds };
	unsigned short *v;
	unsigned long i;

	if (semctl(id, 0, IPC_STAT, arg) < 0)
		return fail("sem", id, "semctl IPC_STAT");
	v = calloc(ds.sem_nsems ? ds.sem_nsems : 1, sizeof(*v));
	if (!v)
		return fail("sem", id, "calloc");
	arg.array = v;
	if (semctl(id, 0, GETALL, arg) < 0) {
		free(v);
		return fail("sem", id, "semctl GETALL");
	}
	print_perm(&ds.sem_perm);
	printf("nsems=%lu\nvalues=", (unsigned long)ds.sem_nsems);
	for (i = 0; i < (unsigned long)ds.sem_nsems; i++)
		printf("%s%u", i ? "," : "", v[i]);
	putchar('\n');
	free(v);
	return 0;
}

int main(int argc, char **argv)
{
	char *end;
	long id;
	int rc;

	if (argc != 3) {
		fprintf(stderr, "usage: ipcdump shm|msg|sem ID\n");
		return 2;
	}
	errno = 0;
	id = strtol(argv[2], &end, 10);
	if (errno || end == argv[2] || *end || id < 0 || id > 0x7fffffff) {
		fprintf(stderr, "ipcdump: invalid id '%s'\n", argv[2]);
		return 2;
	}
	if (strcmp(argv[1], "shm") == 0)
		rc = dump_shm((int)id);
	else if (strcmp(argv[1], "msg") == 0)
		rc = dump_msg((int)id);
	else if (strcmp(argv[1], "sem") == 0)
		rc = dump_sem((int)id);
	else {
		fprintf(stderr, "ipcdump: unknown kind '%s' (shm, msg or sem)\n", argv[1]);
		return 2;
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "ipcdump: write error\n");
		return 1;
	}
	return rc;
}
