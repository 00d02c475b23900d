/*
 * Fuzz target: the /proc/PID/status field parsers (procparse.c), linked
 * alone: "CapEff:" (rm-check.c's privilege check) and "NSpid:" (finding a
 * namespace's init).  The input is the file's text; the result is how
 * many of the two were found.  See tests/fuzz.h.
 */
#include "config.h"

#include <inttypes.h>
#include <strings.h>

#define FUZZ_NAME "status"
#include "fuzz.h"
#include "procparse.h"

static long fuzz_one(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	const char *v = procparse_status_field(text, "CapEff");
	uint64_t caps = 0;
	int r = procparse_status_capeff(text, &caps), pid = procparse_status_nspid(text);

	FUZZ_CHECK(r == 0 || r == -ENOENT || r == -EINVAL);
	FUZZ_CHECK((r == -ENOENT) == !v);
	if (v) {
		/* the value is inside the text, after a "CapEff:" */
		FUZZ_CHECK(v >= text + 7 && v <= text + size);
		FUZZ_CHECK(strstr(text, "CapEff:") && strstr(text, "CapEff:") < v);
	}
	if (r == 0) {
		char hex[20];
		size_t n = strspn(v, "0");

		/* the number printed again is the digits written, less leading zeros */
		snprintf(hex, sizeof(hex), "%" PRIx64, caps);
		FUZZ_CHECK(strncasecmp(hex, caps ? v + n : "0", strlen(hex)) == 0);
	}
	FUZZ_CHECK(pid >= 0);
	free(text);
	return (r == 0) + (pid > 0);
}
