/*
 * Fuzzing the /proc/sysvipc parsers and the value renderers.
 *
 * LLVMFuzzerTestOneInput() is a libFuzzer target: the first input byte
 * picks the kind, the rest is the file text, fed through the kind's real
 * collect() from a directory laid out like /proc, and every object it
 * accepts is rendered to JSON and table text.  Built normally, main()
 * runs a fixed-seed mutation loop over realistic seeds so that `make
 * check` (and the ASan+UBSan build in CI) exercises it deterministically:
 *
 *   clang -fsanitize=fuzzer,address -DIPCI_LIBFUZZER -Isrc -I. \
 *     tests/fuzz-sysvipc.c src/libipcinspect.a -ljansson -lsmartcols
 *
 * gives the coverage-guided version.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "column.h"
#include "idcache.h"
#include "jsonw.h"
#include "kind.h"
#include "tap.h"

static int procfd = -1;
/* sem's collect calls semctl on the ids it parsed: only in our own namespace */
static bool private_ipc;
static char procdir[64];
static struct render_opts ropts;
static const struct ipc_kind *const kinds[] = { &shm_kind, &msg_kind, &sem_kind };

static void setup(void)
{
	char path[96];

	if (procfd >= 0)
		return;
	snprintf(procdir, sizeof(procdir), "/tmp/ipci-fuzz-XXXXXX");
	if (!mkdtemp(procdir))
		abort();
	snprintf(path, sizeof(path), "%s/sysvipc", procdir);
	if (mkdir(path, 0700) < 0)
		abort();
	procfd = open(procdir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (procfd < 0)
		abort();
	ropts.users = idcache_new(IDCACHE_USER);
	ropts.groups = idcache_new(IDCACHE_GROUP);
}

static void teardown(void)
{
	char path[96];
	const char *names[] = { "shm", "msg", "sem" };
	size_t i;

	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/sysvipc/%s", procdir, names[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/sysvipc", procdir);
	rmdir(path);
	rmdir(procdir);
	close(procfd);
	idcache_free(ropts.users);
	idcache_free(ropts.groups);
}

/* Returns -1 on a broken invariant, else the number of objects parsed. */
static int run_one(const uint8_t *data, size_t size)
{
	const struct ipc_kind *kind;
	struct kind_objs ko;
	char path[96];
	size_t i, c;
	int fd, r;

	if (size < 1)
		return 0;
	setup();
	kind = kinds[(data[0] + 2) % 3];	/* 1 shm, 2 msg, 3 sem */
	if (kind == &sem_kind && !private_ipc)
		return 0;
	snprintf(path, sizeof(path), "%s/sysvipc/%s", procdir, kind->name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, data + 1, size - 1) != (ssize_t)(size - 1))
		abort();
	close(fd);

	ko = (struct kind_objs){ .kind = kind, .objs = { .elsize = kind->objsize } };
	r = kind->collect(&(struct collect_ctx){ .procfd = procfd }, &ko);
	if (r < 0)
		return r == -EINVAL ? 0 : -1;
	for (i = 0; i < ko.objs.len; i++) {
		const void *obj = vec_at(&ko.objs, i);

		for (c = 0; c < kind->ncolumns; c++) {
			struct value v;
			struct jw w;
			json_t *j;
			char *text, *dump;

			kind->get(obj, c, &v);
			jw_init(&w, NULL);
			if (v.type == VAL_CUSTOM) {
				kind->columns[c].write_json(&w, obj, &ropts);
				text = kind->columns[c].to_text(obj, &ropts);
			} else {
				value_write_json(&w, &v, &ropts);
				text = value_to_text(&v, &ropts);
			}
			dump = jw_take(&w);
			/* what the writer made is JSON: jansson reads it back */
			j = json_loads(dump, JSON_DECODE_ANY, NULL);
			json_decref(j);
			free(dump);
			if (!j || !text)
				return -1;
			free(text);
		}
	}
	r = (int)ko.objs.len;
	kind_objs_free(&ko);
	return r;
}

/*
 * A private IPC namespace (as root, or through a user namespace) holding
 * one real set of 3 semaphores, id 0, for the sem seed to find.
 */
static bool enter_private_ipc(void)
{
	if (unshare(CLONE_NEWIPC) < 0 && unshare(CLONE_NEWUSER | CLONE_NEWIPC) < 0)
		return false;
	return semget(IPC_PRIVATE, 3, 0600) == 0;
}

#ifdef IPCI_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool entered;

	if (!entered) {
		private_ipc = enter_private_ipc();
		entered = true;
	}
	if (size > 1 << 20 || run_one(data, size) < 0)
		abort();
	return 0;
}
#else

static const char *const seeds[] = {
	"\001       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap\n"
	"-1688783575          0   1600                  4096     2     0      0     0     0     0     0          0          0 1795249734                     0                     0\n"
	"         0      32769  3644   18446744073709551615 4194304 4194305 3 4294967294 65534 0 0 1795249734 1795249735 1795249736 4096 8192\n",
	"\001       key      shmid perms       size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime\n"
	"        17          1   666       1000     5     6      1  1000  1000  1000  1000 1 2 3\n",
	"\002       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  cgid      stime      rtime      ctime\n"
	"-175647288          0   644         100          2     3     3     0     0     0     0 1795249734 1795249734 1795249734\n",
	"\003       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n"
	" 354423660          0   644          3     0     0     0     0          0 1795249734\n",
};

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static const char *const tokens[] = {
	" ", "\t", "\n", "-", "0", "9", "18446744073709551616", "-9223372036854775809",
	"4294967296", "0x10", "\xff", "\xc3\xa9", "  key  ", "shmid", "nattch", "rss",
};

static size_t mutate(uint8_t *buf, size_t len, size_t cap)
{
	int n = 1 + (int)(rng() % 8);

	while (n--) {
		size_t pos = len ? rng() % len : 0;
		const char *t;
		size_t tl;

		switch (rng() % 5) {
		case 0:	/* flip a byte */
			if (len > 1)
				buf[1 + rng() % (len - 1)] = (uint8_t)rng();
			break;
		case 1:	/* delete a range */
			if (len > 2 && pos > 0) {
				size_t cnt = 1 + rng() % 16;

				if (cnt > len - pos)
					cnt = len - pos;
				memmove(buf + pos, buf + pos + cnt, len - pos - cnt);
				len -= cnt;
			}
			break;
		default:	/* insert a token */
			t = tokens[rng() % (sizeof(tokens) / sizeof(tokens[0]))];
			tl = strlen(t);
			if (pos == 0)
				pos = 1;
			if (pos > len)
				pos = len;
			if (len + tl < cap) {
				memmove(buf + pos + tl, buf + pos, len - pos);
				memcpy(buf + pos, t, tl);
				len += tl;
			}
			break;
		}
	}
	return len;
}

int main(void)
{
	static uint8_t buf[8192];
	size_t s, i, parsed_total = 0, broken = 0;
	const size_t rounds = 3000;

	private_ipc = enter_private_ipc();
	for (s = 0; s < sizeof(seeds) / sizeof(seeds[0]); s++) {
		size_t len = strlen(seeds[s]);
		int r;

		if (seeds[s][0] == '\003' && !private_ipc) {
			printf("ok %d - # SKIP no private IPC namespace for the sem seed\n", ++tap_count);
			continue;
		}
		memcpy(buf, seeds[s], len);
		r = run_one(buf, len);
		ok(r == (s == 0 ? 2 : 1),
		   "seed %zu parses (%d objects)", s, r);
		for (i = 0; i < rounds; i++) {
			size_t mlen;

			memcpy(buf, seeds[s], len);
			mlen = mutate(buf, len, sizeof(buf));
			r = run_one(buf, mlen);
			if (r < 0)
				broken++;
			else
				parsed_total += (size_t)r;
		}
	}
	ok(broken == 0, "no broken invariant in %zu mutated inputs", rounds * 4);
	ok(parsed_total > 0, "mutations still parse some objects (%zu)", parsed_total);
	teardown();
	return tap_done();
}
#endif
