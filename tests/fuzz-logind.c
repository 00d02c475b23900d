/*
 * Fuzz target: the parsers of the RemoveIPC= audit (logindparse.c),
 * linked alone.  The first input byte picks the parser (modulo 2:
 * logind.conf, login.defs), the rest is the file's text.  The result
 * is 1 when the text said something: a RemoveIPC= that took (the value
 * no longer depends on the value before), a SYS_UID_MAX.  See
 * tests/fuzz.h.
 */
#include "config.h"

#include <inttypes.h>

#define FUZZ_NAME "logind"
#include "fuzz.h"
#include "logindparse.h"

static long fuzz_one(const uint8_t *data, size_t size)
{
	const int which = size ? data[0] % 2 : 0;
	char *text = fuzz_text(data + !!size, size - !!size), num[40];
	bool from_yes = true, from_no = false;
	uint32_t uid = 0;
	long r = 0;

	switch (which) {
	case 0: {
		unsigned lines = 1, bad;
		const char *p;

		for (p = text; *p; p++)
			lines += *p == '\n';
		bad = logind_parse_conf(text, &from_yes);
		FUZZ_CHECK(bad <= lines);
		FUZZ_CHECK(logind_parse_conf(text, &from_no) == bad);
		/* the text set a value when it no longer depends on the start */
		r = from_yes == from_no;
		FUZZ_CHECK(!r || strstr(text, "RemoveIPC") != NULL);
		break;
	}
	default:
		uid = logind_parse_login_defs(text, 999);
		r = uid != 999 || logind_parse_login_defs(text, 998) == 999;
		if (r) {
			snprintf(num, sizeof(num), "%" PRIu32, uid);
			FUZZ_CHECK(strstr(text, "SYS_UID_MAX") != NULL);
			FUZZ_CHECK(strstr(text, num) != NULL);
		}
		break;
	}
	free(text);
	return r;
}
