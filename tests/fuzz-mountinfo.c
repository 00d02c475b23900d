/*
 * Fuzz target: the mqueue mount point parser of /proc/PID/mountinfo
 * (procparse.c), linked alone.  The input is the file's text; the result
 * is 1 when it named an mqueue mount.  See tests/fuzz.h.
 */
#include "config.h"

#define FUZZ_NAME "mountinfo"
#include "fuzz.h"
#include "procparse.h"

static long fuzz_one(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	char *mount = procparse_mountinfo_mqueue(text);
	long n = mount != NULL;

	/* decoding only shortens: never longer than the text */
	FUZZ_CHECK(!mount || strlen(mount) <= strlen(text));
	FUZZ_CHECK(!mount || strstr(text, " - mqueue "));
	free(mount);
	free(text);
	return n;
}
