/*
 * Fuzz target: the backup manifest reader (backupfmt.c), linked alone with
 * jansson.  The input is manifest.json; the result is 1 when it is
 * accepted, 0 when refused (with a reason).  What is accepted must hold
 * together as restore relies on: a known kind, permission bits only, a
 * segment's size its data's, a queue's message sizes adding up to its
 * data's, a set's values within SEMVMX, a SHA-256 in lower-case hex.  See
 * tests/fuzz.h.
 */
#include "config.h"

#define FUZZ_NAME "manifest"
#include "fuzz.h"
#include "backupfmt.h"

static void check(const struct backupfmt_manifest *m)
{
	uint64_t sum = 0;
	size_t i;

	FUZZ_CHECK(m->kind == BACKUPFMT_SHM || m->kind == BACKUPFMT_MSG ||
		   m->kind == BACKUPFMT_SEM);
	FUZZ_CHECK(m->mode <= 0777 && m->old_id >= 0);
	FUZZ_CHECK(m->uid != UINT32_MAX && m->gid != UINT32_MAX);
	if (m->kind == BACKUPFMT_SEM) {
		FUZZ_CHECK(m->nvalues > 0 && m->nvalues <= 32000 && m->values);
		for (i = 0; i < m->nvalues; i++)
			FUZZ_CHECK(m->values[i] <= 32767);
		return;
	}
	FUZZ_CHECK(strlen(m->data_sha) == 64 &&
		   strspn(m->data_sha, "0123456789abcdef") == 64);
	if (m->kind == BACKUPFMT_SHM) {
		FUZZ_CHECK(m->size > 0 && m->size == m->data_bytes);
		return;
	}
	for (i = 0; i < m->nmsgs; i++) {
		FUZZ_CHECK(m->types[i] > 0 && m->sizes[i] <= m->data_bytes - sum);
		sum += m->sizes[i];
	}
	FUZZ_CHECK(sum == m->data_bytes);
}

static long fuzz_one(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	struct backupfmt_manifest m;
	char *why = NULL;
	int r = backupfmt_parse_manifest(text, size, &m, &why);

	if (r == 0) {
		FUZZ_CHECK(!why);
		check(&m);
		backupfmt_manifest_free(&m);
	} else {
		FUZZ_CHECK(r == -EBADMSG && why && *why);
		free(why);
	}
	free(text);
	return r == 0;
}
