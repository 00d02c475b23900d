/* The mqueue status line, parsed: see posixparse.h. */
#include "config.h"

#include <string.h>

#include "posixparse.h"
#include "strutils.h"

/* The value of "NAME:" among the blank-separated words of text, as a
 * NUL-terminated copy in buf; false when absent or too long. */
static bool status_word(const char *text, const char *name, char *buf, size_t size)
{
	size_t nl = strlen(name), n;
	const char *p = text;

	for (;;) {
		p += strspn(p, " \t\n");
		if (!*p)
			return false;
		n = strcspn(p, " \t\n");
		if (n > nl && strncmp(p, name, nl) == 0 && p[nl] == ':') {
			if (n - nl - 1 >= size)
				return false;
			memcpy(buf, p + nl + 1, n - nl - 1);
			buf[n - nl - 1] = '\0';
			return true;
		}
		p += n;
	}
}

void posix_parse_mq_status(const char *text, struct mq_status *ret)
{
	struct mq_status st = { 0 };
	char value[24];

	if (status_word(text, "QSIZE", value, sizeof(value)) && parse_u64(value, &st.qsize) == 0)
		st.has_qsize = true;
	if (!status_word(text, "NOTIFY_PID", value, sizeof(value)) ||
	    parse_int(value, &st.notify_pid) < 0)
		st.notify_pid = 0;
	*ret = st;
}
