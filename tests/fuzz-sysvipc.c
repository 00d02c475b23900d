/*
 * Fuzz target: the /proc/sysvipc/{shm,msg,sem} parser (sysvipc.c) with
 * the kinds' own field tables (sysvfields.c), linked alone.
 *
 * The first input byte picks the kind (0 shm, 1 msg, 2 sem, modulo 3) and
 * the read size; the rest is the file's text.  It is parsed twice, from a
 * string and from a memfd read a few bytes at a time as the collectors
 * read /proc, and both parses must give the same objects, layout and
 * counts.  Nothing is written to any file system (the memfd is anonymous).
 * See tests/fuzz.h for the two ways it is built and run; by hand:
 *
 *   make fuzz && fuzz/sysvipc tests/corpus/sysvipc/FILE   (replay one input)
 *   make fuzz-run FUZZ_SECONDS=60                          (fuzz every target)
 */
#include "config.h"

#include <stdint.h>
#include <sys/mman.h>

#define FUZZ_NAME "sysvipc"
#include "fuzz.h"
#include "model.h"
#include "msg.h"
#include "sem.h"
#include "shm.h"
#include "sysvfields.h"
#include "sysvipc.h"
#include "vec.h"

static const struct {
	const struct field_spec *spec;
	size_t nspec, objsize;
} kinds[] = {
	{ sysv_shm_fields, SHM_NFIELDS, sizeof(struct shm_seg) },
	{ sysv_msg_fields, MSG_NFIELDS, sizeof(struct msg_queue) },
	{ sysv_sem_fields, SEM_NFIELDS, sizeof(struct sem_set) },
};

struct parsed {
	struct vec objs;	/* objsize bytes each */
	struct sysvipc_layout layout;
	struct sysvipc_file_stats stats;
	int r;
};

static void add(const void *obj, const struct sysvipc_layout *layout, void *userdata)
{
	struct parsed *p = userdata;

	(void)layout;
	vec_push(&p->objs, obj);
}

static int memfd_of(const uint8_t *data, size_t size)
{
	static int fd = -1;

	if (fd < 0)
		fd = memfd_create("fuzz-sysvipc", MFD_CLOEXEC);
	FUZZ_CHECK(fd >= 0);
	FUZZ_CHECK(ftruncate(fd, 0) == 0);
	FUZZ_CHECK(pwrite(fd, data, size, 0) == (ssize_t)size);
	FUZZ_CHECK(lseek(fd, 0, SEEK_SET) == 0);
	return fd;
}

static long fuzz_one(const uint8_t *data, size_t size)
{
	const size_t k = size ? data[0] % 3 : 0;
	const size_t chunk = size ? 1 + data[0] / 3 % 64 : 1;
	char *text = fuzz_text(data + !!size, size - !!size);
	struct parsed a = { .objs = { .elsize = kinds[k].objsize } };
	struct parsed b = { .objs = { .elsize = kinds[k].objsize } };
	long n;

	a.r = sysvipc_parse_text(kinds[k].spec, kinds[k].nspec, kinds[k].objsize, text,
				 &a.layout, &a.stats, add, &a);
	b.r = sysvipc_parse_fd(memfd_of(data + !!size, size - !!size), chunk, kinds[k].spec,
			       kinds[k].nspec, kinds[k].objsize, &b.layout, &b.stats, add, &b);
	FUZZ_CHECK(a.r == 0 || a.r == -EINVAL);
	FUZZ_CHECK(a.r == b.r);
	/* a header that does not parse adds nothing */
	FUZZ_CHECK(a.r == 0 || a.objs.len == 0);
	FUZZ_CHECK(a.objs.len == b.objs.len);
	FUZZ_CHECK(a.objs.len == 0 || memcmp(a.objs.data, b.objs.data,
					     a.objs.len * kinds[k].objsize) == 0);
	if (a.r == 0) {
		FUZZ_CHECK(a.stats.objects == a.objs.len);
		FUZZ_CHECK(b.stats.objects == a.stats.objects && b.stats.skipped == a.stats.skipped);
		FUZZ_CHECK(memcmp(&a.layout, &b.layout, sizeof(a.layout)) == 0);
		FUZZ_CHECK(a.layout.ncolumns <= SYSVIPC_MAX_COLUMNS);
	}
	n = (long)a.objs.len;
	vec_free(&a.objs);
	vec_free(&b.objs);
	free(text);
	return n;
}
