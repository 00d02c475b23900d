/*
 * Fuzz target: the /proc/PID/maps line parsers (procparse.c), linked
 * alone: the SysV segment line ("/SYSV%08x", by shmid) and the /dev/shm
 * file line (by dev and inode).  The input is a maps file; each of its
 * lines goes through both, as the scan does.  The result is how many
 * lines either recognized.  See tests/fuzz.h.
 */
#include "config.h"

#define FUZZ_NAME "maps"
#include "fuzz.h"
#include "procparse.h"

static long fuzz_one(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size), *line, *nl;
	long found = 0;

	for (line = text; line; line = nl ? nl + 1 : NULL) {
		uint64_t dev = 0, ino = 0;
		int shmid;

		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		shmid = procscan_parse_maps_line(line);
		FUZZ_CHECK(shmid >= -1);
		FUZZ_CHECK(shmid < 0 || strstr(line, " /SYSV"));
		if (procscan_parse_maps_file(line, &dev, &ino) == 0) {
			FUZZ_CHECK(ino != 0 && strstr(line, " /dev/shm/"));
			found++;
		} else {
			FUZZ_CHECK(dev == 0 && ino == 0);
		}
		found += shmid >= 0;
	}
	free(text);
	return found;
}
