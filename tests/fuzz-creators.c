/*
 * Fuzz target: the creators state file's reader (creatorsfmt.c), linked
 * alone with jansson.  The input is the file; the result is the number
 * of entries accepted, 0 when refused (with a reason).  What is accepted
 * must hold together as creators.c relies on: entries sorted by key and
 * each key once, every number in its range, every string within its
 * bound and free of NUL, argv within its count.  See tests/fuzz.h.
 */
#include "config.h"

#define FUZZ_NAME "creators"
#include "fuzz.h"
#include "creatorsfmt.h"

static void check_str(const char *s, bool nullable)
{
	FUZZ_CHECK(s || nullable);
	FUZZ_CHECK(!s || strlen(s) <= CREATORS_STR_MAX);
}

static void check(const struct creator_memory *m, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		FUZZ_CHECK(i == 0 || creator_memory_cmp(&m[i - 1], &m[i]) < 0);
		FUZZ_CHECK(m[i].ipc_ns > 0 && m[i].kind < KIND_COUNT && m[i].id >= 0);
		FUZZ_CHECK(m[i].ctime > 0 && m[i].start_ms > 0 && m[i].seen > 0);
		FUZZ_CHECK(m[i].pid > 0 && m[i].pid <= CREATORS_PID_MAX);
		FUZZ_CHECK(m[i].euid != UINT32_MAX);
		check_str(m[i].comm, false);
		FUZZ_CHECK(strlen(m[i].comm) <= 64);
		check_str(m[i].user, true);
		check_str(m[i].unit, true);
		check_str(m[i].container, true);
		FUZZ_CHECK(m[i].argv);
		for (j = 0; m[i].argv[j]; j++)
			check_str(m[i].argv[j], false);
		FUZZ_CHECK(j <= CREATORS_ARGV_MAX);
	}
}

static long fuzz_one(const uint8_t *data, size_t size)
{
	struct creator_memory *m;
	char *text = fuzz_text(data, size);
	char *why = NULL;
	size_t n, i;
	int r = creatorsfmt_parse(text, size, &m, &n, &why);

	if (r == 0) {
		FUZZ_CHECK(!why && m);
		check(m, n);
		for (i = 0; i < n; i++)
			creator_memory_free(&m[i]);
		free(m);
	} else {
		FUZZ_CHECK(r == -EBADMSG && why && *why && !m);
		free(why);
		n = 0;
	}
	free(text);
	return (long)n;
}
