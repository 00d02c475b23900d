/*
 * Fuzz target: the POSIX message queue status line parser
 * (posixparse.c), linked alone.  The input is what read() of a queue in
 * the mqueue file system gives ("QSIZE:N NOTIFY:N SIGNO:N NOTIFY_PID:N");
 * the result is how many of QSIZE and a notify pid were found.  See
 * tests/fuzz.h.
 */
#include "config.h"

#define FUZZ_NAME "mqstatus"
#include "fuzz.h"
#include "posixparse.h"

static long fuzz_one(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	struct mq_status st;

	memset(&st, 0xa5, sizeof(st));
	posix_parse_mq_status(text, &st);
	FUZZ_CHECK(st.notify_pid >= 0);
	FUZZ_CHECK(st.has_qsize || st.qsize == 0);
	FUZZ_CHECK(!st.has_qsize || strstr(text, "QSIZE:"));
	FUZZ_CHECK(st.notify_pid == 0 || strstr(text, "NOTIFY_PID:"));
	free(text);
	return st.has_qsize + (st.notify_pid > 0);
}
