/*
 * Fuzz target: the /proc/PID/cgroup parser (cgroup.c), linked alone.
 * The input is the file's text, possibly cut or with NULs.  What comes
 * out must be what the text says: the path is bytes of the input, an id
 * is 64 lowercase hex digits that the input holds, a pod UID has no '_',
 * every string is terminated inside its buffer.  Returns how many of
 * path, container and pod it found.  See tests/fuzz.h.
 */
#include "config.h"

#define FUZZ_NAME "cgroup"
#include "fuzz.h"
#include "cgroup.h"

static long fuzz_one(const uint8_t *data, size_t size)
{
	struct cgroup_info ci;
	long found = 0;
	size_t i;

	cgroup_parse((const char *)data, size, &ci);
	FUZZ_CHECK(strnlen(ci.unit, sizeof(ci.unit)) < sizeof(ci.unit));
	FUZZ_CHECK(strnlen(ci.slice, sizeof(ci.slice)) < sizeof(ci.slice));
	FUZZ_CHECK(strnlen(ci.session, sizeof(ci.session)) < sizeof(ci.session));
	FUZZ_CHECK(strnlen(ci.name, sizeof(ci.name)) < sizeof(ci.name));
	FUZZ_CHECK(strnlen(ci.pod_uid, sizeof(ci.pod_uid)) < sizeof(ci.pod_uid));
	FUZZ_CHECK(strnlen(ci.id, sizeof(ci.id)) < sizeof(ci.id));
	if (ci.path) {
		size_t n = strlen(ci.path);

		FUZZ_CHECK(n > 0 && n <= CGROUP_PATH_MAX && ci.path[0] == '/');
		FUZZ_CHECK(memmem(data, size, ci.path, n) != NULL);
		found++;
	}
	if (ci.id[0]) {
		FUZZ_CHECK(strlen(ci.id) == CGROUP_ID_LEN);
		for (i = 0; i < CGROUP_ID_LEN; i++)
			FUZZ_CHECK((ci.id[i] >= '0' && ci.id[i] <= '9') || (ci.id[i] >= 'a' && ci.id[i] <= 'f'));
		FUZZ_CHECK(memmem(data, size, ci.id, CGROUP_ID_LEN) != NULL);
		FUZZ_CHECK(ci.runtime != CGROUP_RT_NONE);
	}
	if (ci.runtime != CGROUP_RT_NONE) {
		FUZZ_CHECK(cgroup_runtime_name(ci.runtime) != NULL);
		FUZZ_CHECK(ci.id[0] || ci.name[0]);
		found++;
	}
	if (ci.pod_uid[0]) {
		FUZZ_CHECK(strchr(ci.pod_uid, '_') == NULL);
		FUZZ_CHECK(cgroup_qos_name(ci.qos) != NULL);
		found++;
	}
	FUZZ_CHECK(ci.session[0] == '\0' || ci.has_uid);
	cgroup_info_free(&ci);
	return found;
}
