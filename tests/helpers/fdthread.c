/*
 * fdthread: a process whose objects are held by a thread with its own fd
 * table (unshare(CLONE_FILES)), for the live tests (doc/kernel-facts.md,
 * "Fd tables of threads").  Run it only inside a private namespace
 * (tests/lib.sh ns_enter): it creates and, at the end, removes what it
 * names.
 *
 *   fdthread [-k] [-z] [-s] [-n N] OBJ...
 *   OBJ: pmq:/NAME  (mq_open O_CREAT | O_RDWR, mode 0600)
 *        pshm:/NAME (shm_open O_CREAT | O_RDWR, mode 0600, 4096 bytes)
 *        fifo:PATH  (mkfifo PATH, then open it O_RDWR)
 *
 * A second thread unshares its fd table, then opens each object; only
 * its table holds them.  -k: the main thread opens them first and keeps
 * them, so the thread's table is a copy holding each under the same
 * number too.  -s: the thread starts a third thread that shares its
 * table (two threads, one table other than the leader's).  -z: the main
 * thread then exits (pthread_exit): the leader is a zombie whose threads
 * live on.  -n N: the main thread first starts N more threads that share
 * its table and only wait.
 *
 * Prints pid=PID, tid=TID (the unsharing thread), OBJ-NAME.fd=N for each
 * object (NAME: the part after the colon), then "ready"; when stdin
 * reaches EOF it removes the objects and exits 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static int nobjs;
static char **objs;
static int keep, share;

static void die(const char *what)
{
	fprintf(stderr, "fdthread: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int open_obj(const char *obj, int create)
{
	const char *name = strchr(obj, ':') + 1;
	int fd;

	if (strncmp(obj, "pmq:", 4) == 0) {
		fd = (int)mq_open(name, O_RDWR | (create ? O_CREAT : 0), 0600, NULL);
	} else if (strncmp(obj, "pshm:", 5) == 0) {
		fd = shm_open(name, O_RDWR | (create ? O_CREAT : 0), 0600);
		if (fd >= 0 && create && ftruncate(fd, 4096) < 0)
			die("ftruncate");
	} else {
		if (create && mkfifo(name, 0600) < 0)
			die(name);
		fd = open(name, O_RDWR | O_CLOEXEC);
	}
	if (fd < 0)
		die(obj);
	return fd;
}

static void remove_all(void)
{
	int i;

	for (i = 0; i < nobjs; i++) {
		const char *name = strchr(objs[i], ':') + 1;

		if (strncmp(objs[i], "pmq:", 4) == 0)
			mq_unlink(name);
		else if (strncmp(objs[i], "pshm:", 5) == 0)
			shm_unlink(name);
		else
			unlink(name);
	}
}

static void *sharer(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void *worker(void *arg)
{
	pthread_t t;
	char buf[64];
	int i;

	(void)arg;
	if (unshare(CLONE_FILES) < 0)
		die("unshare(CLONE_FILES)");
	printf("tid=%d\n", (int)gettid());
	for (i = 0; i < nobjs; i++) {
		/* with -k the copies are there already, under the same numbers */
		int fd = keep ? -1 : open_obj(objs[i], 1);

		if (keep)
			continue;
		printf("%s.fd=%d\n", strchr(objs[i], ':') + 1, fd);
	}
	if (share && pthread_create(&t, NULL, sharer, NULL) != 0)
		die("pthread_create");
	printf("ready\n");
	fflush(stdout);
	while (read(0, buf, sizeof(buf)) > 0)
		;
	remove_all();
	exit(0);
}

int main(int argc, char **argv)
{
	int zombie = 0, idle = 0, opt, i;
	pthread_t t;

	while ((opt = getopt(argc, argv, "kszn:")) != -1) {
		if (opt == 'n')
			idle = atoi(optarg);
		else if (opt == 'k')
			keep = 1;
		else if (opt == 's')
			share = 1;
		else if (opt == 'z')
			zombie = 1;
		else
			return 2;
	}
	objs = argv + optind;
	nobjs = argc - optind;
	for (i = 0; i < nobjs; i++)
		if (!strchr(objs[i], ':'))
			return 2;
	printf("pid=%d\n", (int)getpid());
	for (i = 0; keep && i < nobjs; i++)
		printf("%s.fd=%d\n", strchr(objs[i], ':') + 1, open_obj(objs[i], 1));
	fflush(stdout);
	for (i = 0; i < idle; i++)
		if (pthread_create(&t, NULL, sharer, NULL) != 0)
			die("pthread_create");
	if (pthread_create(&t, NULL, worker, NULL) != 0)
		die("pthread_create");
	if (zombie)
		pthread_exit(NULL);
	pthread_join(t, NULL);
	return 0;
}
