/*
 * Fuzz target: the /proc/sys number parser of the limits (procparse.c),
 * linked alone.  The first input byte picks the word (modulo 5: the only
 * word, or word 0-3 as kernel/sem's four), the rest is the file's text.
 * The result is 1 when a number was read.  See tests/fuzz.h.
 */
#include "config.h"

#include <inttypes.h>

#define FUZZ_NAME "sysctl"
#include "fuzz.h"
#include "procparse.h"

static long fuzz_one(const uint8_t *data, size_t size)
{
	const int word = size ? data[0] % 5 - 1 : -1;
	char *text = fuzz_text(data + !!size, size - !!size), num[24];
	struct sysctl_value v;
	int r;

	memset(&v, 0x5a, sizeof(v));
	r = procparse_sysctl_word(text, word, &v);
	FUZZ_CHECK(r == 0 || r == -EINVAL || r == -ERANGE);
	if (r == 0) {
		/* the number printed again is in the text */
		if (v.negative)
			snprintf(num, sizeof(num), "%" PRId64, v.svalue);
		else
			snprintf(num, sizeof(num), "%" PRIu64, v.value);
		FUZZ_CHECK(!v.negative || v.svalue < 0 || strcmp(num, "0") == 0);
		FUZZ_CHECK(v.negative || v.svalue == 0);
		FUZZ_CHECK(strstr(text, num + v.negative) != NULL);
	}
	free(text);
	return r == 0;
}
