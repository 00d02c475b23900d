/*
 * Fuzz target: the /proc/PID/fd link text parsers (procparse.c), linked
 * alone: "pipe:[N]" and "socket:[N]".  The input is one link text (as
 * readlink gives it, so it ends at a NUL); the result is 1 when it named
 * a pipe or a socket.  (fdinfo is never read: an fd's open mode comes
 * from its link's mode bits, procscan_link_mode.)  See tests/fuzz.h.
 */
#include "config.h"

#include <inttypes.h>

#define FUZZ_NAME "fdlink"
#include "fuzz.h"
#include "procparse.h"

/* ino parsed from text with prefix: the text is prefix, digits, ']'. */
static void check_link(const char *text, const char *prefix, uint64_t ino)
{
	size_t p = strlen(prefix), n;

	if (!ino)
		return;
	n = strspn(text + p, "0123456789");
	FUZZ_CHECK(strncmp(text, prefix, p) == 0);
	FUZZ_CHECK(n > 0 && strcmp(text + p + n, "]") == 0);
	FUZZ_CHECK(strtoull(text + p, NULL, 10) == ino);
}

static long fuzz_one(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	uint64_t pipe = procscan_parse_pipe_link(text), sock = procscan_parse_socket_link(text);

	check_link(text, "pipe:[", pipe);
	check_link(text, "socket:[", sock);
	FUZZ_CHECK(!(pipe && sock));
	free(text);
	return pipe || sock;
}
