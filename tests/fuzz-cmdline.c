/*
 * Fuzz target: the /proc/PID/cmdline splitter (procparse.c), linked
 * alone.  The input is the file's bytes, NULs and all; the arguments
 * joined again with NULs must give them back.  The result is the number
 * of arguments.  See tests/fuzz.h.
 */
#include "config.h"

#define FUZZ_NAME "cmdline"
#include "fuzz.h"
#include "procparse.h"

static long fuzz_one(const uint8_t *data, size_t size)
{
	char **argv = procparse_cmdline((const char *)data, size);
	size_t off = 0;
	long n;

	for (n = 0; argv[n]; n++) {
		size_t l = strlen(argv[n]);

		FUZZ_CHECK(off + l <= size && memcmp(data + off, argv[n], l) == 0);
		FUZZ_CHECK(off + l == size || data[off + l] == '\0');
		off += l + 1;
		free(argv[n]);
	}
	FUZZ_CHECK(off >= size);	/* every byte is in an argument */
	free(argv);
	return n;
}
