/*
 * Fuzz target: the /proc/PID/stat parser (procparse.c), linked alone.
 * The input is the file's text.  What it returns must be what the text
 * says: comm is the bytes between the first '(' and the last ')', cut to
 * 15, and the state is the byte after ") ".  See tests/fuzz.h.
 */
#include "config.h"

#define FUZZ_NAME "stat"
#include "fuzz.h"
#include "procparse.h"

static long fuzz_one(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	char state = 0, comm[16];
	unsigned long flags;
	long threads;
	unsigned long long ticks;
	int r, r2;

	memset(comm, 'X', sizeof(comm));
	r = procscan_parse_stat(text, &state, comm, &flags, &threads);
	FUZZ_CHECK(r == 0 || r == -EINVAL);
	/* the start time, field 22, reads after the same last ')' */
	ticks = 7;
	r2 = procparse_stat_start(text, &ticks);
	FUZZ_CHECK(r2 == 0 || r2 == -EINVAL);
	FUZZ_CHECK(r2 == 0 || ticks == 7);
	FUZZ_CHECK(r2 != 0 || (strrchr(text, ')') && strrchr(text, ')')[1] == ' '));
	if (r == 0) {
		const char *open = strchr(text, '('), *close = strrchr(text, ')');
		size_t n = strnlen(comm, sizeof(comm));

		FUZZ_CHECK(n < sizeof(comm));
		FUZZ_CHECK(open && close && close > open);
		FUZZ_CHECK(n == (size_t)(close - open - 1) || (n == 15 && close - open - 1 > 15));
		FUZZ_CHECK(memcmp(comm, open + 1, n) == 0);
		FUZZ_CHECK(state != 0 && state == close[2]);
	}
	free(text);
	return r == 0;
}
