/*
 * Fuzz target: the mqueue mount point parser of /proc/PID/mountinfo
 * and the proc mount options parser (procparse.c), linked alone.  The
 * input is the file's text; the result is 1 when it named an mqueue
 * mount.  See tests/fuzz.h.
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
	struct proc_mount_opts o = { 0 };
	int r = procparse_mountinfo_proc(text, 0, 21, &o);

	/* the proc mount of 0:21: only hidepid values a kernel writes */
	FUZZ_CHECK(r == 0 || r == -ENOENT || r == -EINVAL);
	FUZZ_CHECK(o.hidepid <= 2 || o.hidepid == 4);
	FUZZ_CHECK(r == -ENOENT || strstr(text, " - proc "));

	/* decoding only shortens: never longer than the text */
	FUZZ_CHECK(!mount || strlen(mount) <= strlen(text));
	FUZZ_CHECK(!mount || strstr(text, " - mqueue "));
	free(mount);
	free(text);
	return n;
}
