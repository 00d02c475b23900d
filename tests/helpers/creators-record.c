/*
 * creators-record: one look of a watcher, for the live tests of the
 * state file (tests/ts-state.sh) while `ipcinspect watch` is elsewhere:
 * loads FILE (creators_load), takes a whole judged snapshot of the IPC
 * namespace it runs in (every kind, the process scan, nothing outside
 * our PID namespace holding anything, as tests/helpers/ns-ipcinspect
 * says), records it (creators_record) and saves FILE when that changed
 * something (creators_save).  Prints "changed N" or "unchanged N", N the
 * entries kept; a refusal or failure as "creators-record: WHY", exit 1.
 * A test program, never installed.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "creators.h"
#include "kind.h"
#include "snapshot.h"

int main(int argc, char **argv)
{
	struct collect_opts co = {
		.kinds = (1u << KIND_COUNT) - 1, .owners = true, .no_outside_holders = true,
		.all_namespaces = argc > 2,
	};
	struct creators *c = NULL;
	struct snapshot s;
	const char *failed = NULL;
	char *why = NULL;
	bool changed;

	if (argc < 2 || argc > 3) {
		fputs("usage: creators-record FILE [all]\n", stderr);
		return 2;
	}
	if (creators_load(argv[1], &c, &why) < 0) {
		fprintf(stderr, "creators-record: %s\n", why);
		free(why);
		return 1;
	}
	if (snapshot_collect(&s, &co, &failed) < 0) {
		fprintf(stderr, "creators-record: cannot read %s\n", failed);
		creators_free(c);
		return 1;
	}
	changed = creators_record(c, &s);
	snapshot_free(&s);
	if (changed && creators_save(c, argv[1], &why) < 0) {
		fprintf(stderr, "creators-record: %s\n", why);
		free(why);
		creators_free(c);
		return 1;
	}
	printf("%s %zu\n", changed ? "changed" : "unchanged", creators_count(c));
	creators_free(c);
	return 0;
}
