/*
 * Fuzz target: the NETLINK_SOCK_DIAG unix dump reply parser
 * (unixparse.c), linked alone.  The input is what one recv() on the
 * sock_diag socket gives (netlink messages), copied to an aligned buffer
 * of exactly its size as recv's buffer is; the result is how many sockets
 * it gave.  See tests/fuzz.h.
 */
#include "config.h"

#define FUZZ_NAME "sockdiag"
#include "fuzz.h"
#include "unixparse.h"

static long fuzz_one(const uint8_t *data, size_t size)
{
	void *buf = malloc(size ? size : 1);
	struct vec v = VEC_INIT(struct unix_diag_entry);
	bool done = false;
	size_t i;
	long n;
	int r;

	FUZZ_CHECK(buf);
	if (size)
		memcpy(buf, data, size);
	r = unix_parse_diag_reply(buf, size, &v, &done);
	FUZZ_CHECK(r == 0 || (r < 0 && r >= -4095));
	FUZZ_CHECK(!(r < 0 && done));
	for (i = 0; i < v.len; i++) {
		const struct unix_diag_entry *e = vec_at(&v, i);

		FUZZ_CHECK(!e->name || (e->namelen > 0 && e->namelen <= size &&
					e->name[e->namelen] == '\0'));
		FUZZ_CHECK(!e->name || e->name[0] == '@' || strlen(e->name) == e->namelen);
	}
	n = (long)v.len;
	unix_diag_free(&v);
	free(buf);
	return n;
}
