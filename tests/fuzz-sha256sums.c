/*
 * Fuzz target: the SHA256SUMS reader and writer of the backup format
 * (backupfmt.c), linked alone.  The result is the number of files an
 * accepted input lists (1 or 2), 0 when it is refused (with a reason).
 * An accepted input lists manifest.json, each hash is 64 lower-case hex
 * digits, and what backupfmt_sums_text() writes from it reads back the
 * same.  See tests/fuzz.h.
 */
#include "config.h"

#include <stdbool.h>

#define FUZZ_NAME "sha256sums"
#include "fuzz.h"
#include "backupfmt.h"

static bool is_sha(const char *s)
{
	return strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

static long fuzz_one(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	struct backupfmt_sums s, again;
	char *why = NULL, *out;
	int r = backupfmt_parse_sums(text, size, &s, &why);

	free(text);
	if (r < 0) {
		FUZZ_CHECK(r == -EBADMSG && why && *why);
		free(why);
		return 0;
	}
	FUZZ_CHECK(!why && is_sha(s.manifest_sha) && (!*s.data_sha || is_sha(s.data_sha)));
	out = backupfmt_sums_text(s.manifest_sha, *s.data_sha ? s.data_sha : NULL);
	FUZZ_CHECK(backupfmt_parse_sums(out, strlen(out), &again, &why) == 0);
	FUZZ_CHECK(strcmp(again.manifest_sha, s.manifest_sha) == 0 &&
		   strcmp(again.data_sha, s.data_sha) == 0);
	free(out);
	return 1 + (*s.data_sha != '\0');
}
