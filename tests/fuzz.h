/*
 * The shared half of the fuzz targets (tests/fuzz-*.c).  A target
 * defines FUZZ_NAME (its corpus: tests/corpus/FUZZ_NAME/), then includes
 * this file and defines
 *
 *   static long fuzz_one(const uint8_t *data, size_t size);
 *
 * which parses the input with the parser under test, checks what came
 * out with FUZZ_CHECK (a broken invariant aborts, which both libFuzzer and
 * the test driver report), frees everything, and returns how many things
 * it parsed.
 *
 * Built with -DIPCI_LIBFUZZER (`make fuzz`), this file gives libFuzzer's
 * LLVMFuzzerTestOneInput.  Built normally (`make check`), it gives a
 * main() that runs every file of the corpus (argv[1], or
 * $TESTS_SRCDIR/corpus/FUZZ_NAME) through the target and prints TAP: a
 * file named NAME.pN must parse exactly N things, any other (a crash
 * kept by `make fuzz-run`, a minimized input) must only not crash.
 */
#ifndef IPCINSPECT_FUZZ_H
#define IPCINSPECT_FUZZ_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Inputs above this are not parsed: no kernel file we read is as big. */
#define FUZZ_MAX_INPUT (1u << 20)

#define FUZZ_CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: broken invariant: %s\n", __FILE__, __LINE__, #cond); \
		abort(); \
	} \
} while (0)

static long fuzz_one(const uint8_t *data, size_t size);

/* A NUL-terminated copy of the input, as the readers make (caller frees). */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size <= FUZZ_MAX_INPUT)
		(void)fuzz_one(data, size);
	return 0;
}

#ifndef IPCI_LIBFUZZER
#include "tap.h"

/* The N of a name ending in ".pN", or -1. */
static long fuzz_expected(const char *name)
{
	const char *dot = strrchr(name, '.');
	char *end;
	long n;

	if (!dot || dot[1] != 'p' || dot[2] < '0' || dot[2] > '9')
		return -1;
	n = strtol(dot + 2, &end, 10);
	return *end ? -1 : n;
}

/* The file's bytes (at most FUZZ_MAX_INPUT + 1 of them) in *ret; -errno. */
static int fuzz_read(int dirfd, const char *name, uint8_t **ret, size_t *ret_size)
{
	uint8_t *buf = malloc(FUZZ_MAX_INPUT + 1);
	size_t len = 0;
	ssize_t n;
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0 || !buf) {
		int e = fd < 0 ? errno : ENOMEM;

		free(buf);
		if (fd >= 0)
			close(fd);
		return -e;
	}
	while (len <= FUZZ_MAX_INPUT &&
	       (n = read(fd, buf + len, FUZZ_MAX_INPUT + 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	*ret = buf;
	*ret_size = len;
	return 0;
}

static int fuzz_filter(const struct dirent *de)
{
	return de->d_name[0] != '.';
}

int main(int argc, char **argv)
{
	const char *srcdir = getenv("TESTS_SRCDIR");
	char dirpath[4096];
	struct dirent **names = NULL;
	int n, i, dirfd;

	if (argc > 1)
		snprintf(dirpath, sizeof(dirpath), "%s", argv[1]);
	else
		snprintf(dirpath, sizeof(dirpath), "%s/corpus/%s", srcdir ? srcdir : "tests",
			 FUZZ_NAME);
	dirfd = open(dirpath, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	n = dirfd < 0 ? -1 : scandirat(dirfd, ".", &names, fuzz_filter, alphasort);
	if (!ok(n > 0, "%s: the corpus %s has inputs", FUZZ_NAME, dirpath))
		return tap_done();
	for (i = 0; i < n; i++) {
		long want = fuzz_expected(names[i]->d_name), got;
		uint8_t *data = NULL;
		size_t size = 0;

		if (fuzz_read(dirfd, names[i]->d_name, &data, &size) < 0) {
			ok(false, "%s: read", names[i]->d_name);
		} else if (size > FUZZ_MAX_INPUT) {
			ok(false, "%s: more than %u bytes", names[i]->d_name, FUZZ_MAX_INPUT);
		} else {
			got = fuzz_one(data, size);
			if (want >= 0)
				is_int(got, want, "%s: parses %ld", names[i]->d_name, want);
			else
				ok(got >= 0, "%s: survives (%ld parsed)", names[i]->d_name, got);
		}
		free(data);
		free(names[i]);
	}
	free(names);
	close(dirfd);
	return tap_done();
}
#endif
#endif
