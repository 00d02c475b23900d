/*
 * Fuzz target: the /proc/net/unix parser (unixparse.c), linked alone, as
 * the unix kind reads it where sock_diag is missing.  The input is the
 * file's text; the result is how many sockets it gave.  See tests/fuzz.h.
 */
#include "config.h"

#include <netinet/tcp.h>

#define FUZZ_NAME "netunix"
#include "fuzz.h"
#include "unixparse.h"

static long fuzz_one(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	struct vec v = VEC_INIT(struct unix_diag_entry);
	size_t i;
	long n;

	unix_parse_net_unix(text, &v);
	for (i = 0; i < v.len; i++) {
		const struct unix_diag_entry *e = vec_at(&v, i);

		FUZZ_CHECK(!e->has_vfs && e->peer == 0);
		FUZZ_CHECK(e->state == TCP_LISTEN || e->state == TCP_ESTABLISHED ||
			   e->state == TCP_SYN_SENT || e->state == TCP_CLOSE ||
			   e->state == TCP_CLOSE_WAIT);
		FUZZ_CHECK(!e->name || (e->namelen == strlen(e->name) && e->namelen > 0 &&
					strstr(text, e->name)));
	}
	n = (long)v.len;
	unix_diag_free(&v);
	free(text);
	return n;
}
