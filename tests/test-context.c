/*
 * Unit tests of the context pass (context.h), rule by rule, on hand-built
 * models: name families, "created during the scan" at the second and
 * nanosecond boundaries, siblings (same family, same owner, one in use;
 * SysV segments: close creation times), the owner's processes by
 * namespace, and how verdict_context_apply() turns marks into verdicts
 * and reasons.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "procscan.h"
#include "reasons.h"
#include "tap.h"
#include "vec.h"
#include "verdict.h"

static void test_family(void)
{
	static const struct { const char *name; size_t want; } cases[] = {
		{ "PostgreSQL.1804289383", 11 },
		{ "PostgreSQL.7", 11 },
		{ "NAME-12", 5 },	/* sem.NAME-12 as psem names it */
		{ "worker_3", 7 },
		{ "app-x7Kq9Z", 4 },	/* a random suffix, 6 characters */
		{ "app.a1b2c3d4", 4 },
		{ "app-abcdef", 0 },	/* letters only: a word, not random */
		{ "app-x7K9Z", 0 },	/* 5 characters: too short to be random */
		{ "12345", 0 },		/* all digits: nothing before */
		{ "x7Kq9Zab", 0 },	/* no separator */
		{ "-x7Kq9Z", 1 },
		{ "plain", 0 },
		{ "", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		is_int(family_stem_len(cases[i].name), cases[i].want, "family stem of '%s'",
		       cases[i].name);
}

static void test_during_scan(void)
{
	struct timespec start = { .tv_sec = 1000, .tv_nsec = 500000000 };

	ok(!created_during_scan(1000, 499999999, &start), "1 ns before the start: before");
	ok(created_during_scan(1000, 500000000, &start), "at the start: during");
	ok(created_during_scan(1001, 0, &start), "the next second: during");
	ok(!created_during_scan(999, 999999999, &start), "the second before: before");
}

static struct ctx_obj obj(struct verdict *v, enum verdict_value value, const char *family,
			  uint32_t uid, const char *label, const char *use)
{
	struct ctx_obj c = { .v = v, .has_uid = true, .uid = uid, .label = label };

	*v = (struct verdict){ .value = value };
	c.family = family ? strdup(family) : NULL;
	if (use)
		snprintf(c.use, sizeof(c.use), "%s", use);
	return c;
}

static void free_objs(struct ctx_obj *o, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(o[i].family);
}

static void test_siblings(void)
{
	struct verdict v[6];
	struct ctx_obj o[6];

	/* PostgreSQL: one in use, two suspects of one owner, one of another */
	o[0] = obj(&v[0], VERDICT_SUSPECT, "PostgreSQL.", 105, "PostgreSQL.1", NULL);
	o[1] = obj(&v[1], VERDICT_IN_USE, "PostgreSQL.", 105, "PostgreSQL.123", "mapped by postgres[812]");
	o[2] = obj(&v[2], VERDICT_SUSPECT, "PostgreSQL.", 105, "PostgreSQL.9", NULL);
	o[3] = obj(&v[3], VERDICT_SUSPECT, "PostgreSQL.", 1000, "PostgreSQL.5", NULL);
	o[4] = obj(&v[4], VERDICT_SUSPECT, NULL, 105, "other", NULL);
	o[5] = obj(&v[5], VERDICT_SUSPECT, "app-", 105, "app-1", NULL);
	context_siblings(o, 6);
	is_str(v[0].sibling, "PostgreSQL.123, mapped by postgres[812]", "suspect sibling named");
	is_str(v[2].sibling, "PostgreSQL.123, mapped by postgres[812]", "second suspect too");
	ok(!v[1].sibling, "the one in use has no sibling mark");
	ok(!v[3].sibling, "another owner's object of the family: no sibling");
	ok(!v[4].sibling, "no family: no sibling");
	ok(!v[5].sibling, "a family with no member in use: no sibling");
	free_objs(o, 6);
	for (int i = 0; i < 6; i++)
		verdict_free_all(&v[i]);

	/* SysV segments of one creator pid: only close ctimes count */
	o[0] = obj(&v[0], VERDICT_ORPHAN, "cpid 40, gone", 105, NULL, NULL);
	o[0].time = 10000;
	o[1] = obj(&v[1], VERDICT_IN_USE, "cpid 40, gone", 105, NULL, "nattch 3");
	strcpy(o[1].label_buf, "shmid 7");
	o[1].time = 10000 + SIBLING_CTIME_WINDOW;
	o[2] = obj(&v[2], VERDICT_ORPHAN, "cpid 40, gone", 105, NULL, NULL);
	o[2].time = 10000 + 2 * SIBLING_CTIME_WINDOW + 1;
	o[3] = obj(&v[3], VERDICT_UNKNOWN, "cpid 40, gone", 105, NULL, NULL);
	o[3].time = 10000;
	context_siblings(o, 4);
	is_str(v[0].sibling, "shmid 7, nattch 3", "a segment of the same creator, within the window");
	ok(!v[2].sibling, "one second beyond the window: no sibling");
	ok(!v[3].sibling, "unknown stays without a mark");
	free_objs(o, 4);
	for (int i = 0; i < 4; i++)
		verdict_free_all(&v[i]);

	/* an owner not known (a FIFO held, not on disk) takes no part */
	o[0] = obj(&v[0], VERDICT_SUSPECT, "3/f", 0, "f1", NULL);
	o[0].has_uid = false;
	o[1] = obj(&v[1], VERDICT_IN_USE, "3/f", 0, "f2", "held open by cat[5]");
	context_siblings(o, 2);
	ok(!v[0].sibling, "no owner known: no sibling");
	free_objs(o, 2);
	verdict_free_all(&v[0]);
	verdict_free_all(&v[1]);
}

static void test_owner_procs(void)
{
	struct procscan s = { .procs = VEC_INIT(struct scan_proc) };
	struct scan_proc p[] = {
		{ .pid = 10, .has_uid = true, .uid = 105, .has_ipc_ns = true, .ipc_ns = 1, .has_mnt_ns = true, .mnt_ns = 7 },
		{ .pid = 11, .has_uid = true, .uid = 105, .has_ipc_ns = true, .ipc_ns = 2, .has_mnt_ns = true, .mnt_ns = 7 },
		{ .pid = 12, .has_uid = true, .uid = 105, .has_ipc_ns = true, .ipc_ns = 1, .has_mnt_ns = true, .mnt_ns = 8 },
		{ .pid = 13, .has_uid = true, .uid = 0, .has_ipc_ns = true, .ipc_ns = 1, .has_mnt_ns = true, .mnt_ns = 7 },
		{ .pid = 14, .has_uid = false, .has_ipc_ns = true, .ipc_ns = 1 },
		{ .pid = 15, .has_uid = true, .uid = 105, .has_ipc_ns = true, .ipc_ns = 1, .has_mnt_ns = true, .mnt_ns = 7 },
	};

	for (size_t i = 0; i < sizeof(p) / sizeof(p[0]); i++)
		vec_push(&s.procs, &p[i]);
	is_int(context_owner_procs(&s, 105, SCOPE_IPC_NS, 1, 0), 3, "uid 105 in IPC namespace 1");
	is_int(context_owner_procs(&s, 105, SCOPE_MNT_NS, 7, 0), 3, "uid 105 in mount namespace 7");
	is_int(context_owner_procs(&s, 105, SCOPE_MNT_NS, 7, 15), 2, "ipcinspect itself left out");
	is_int(context_owner_procs(&s, 105, SCOPE_IPC_NS, 3, 0), 0, "another IPC namespace: none");
	is_int(context_owner_procs(&s, 106, SCOPE_IPC_NS, 1, 0), 0, "another user: none");
	vec_free(&s.procs);
}

/* The reasons of v in words, "; " between them: what render shows. */
static void check_words(const struct verdict *v, const char *want, const char *name)
{
	struct reason list[REASONS_LIST_MAX];
	char got[1024] = "";
	size_t i, n = verdict_reason_list(v, list);

	for (i = 0; i < n; i++) {
		char *words = reason_words(NULL, v, &list[i], NULL);

		if (i)
			strcat(got, "; ");
		strcat(got, words);
		free(words);
	}
	is_str(got, want, "%s", name);
}

static void test_apply(void)
{
	struct verdict v = { .value = VERDICT_SUSPECT, .ctx = VCTX_DURING_SCAN };

	verdict_context_apply(&v);
	is_int(v.value, VERDICT_UNKNOWN, "created during the scan: unknown");
	check_words(&v, "created during the scan (or changed since it started): its holders "
		    "may not be listed", "one reason, its words");
	verdict_free_all(&v);

	v = (struct verdict){ .value = VERDICT_ORPHAN, .sibling = strdup("shmid 7, nattch 3") };
	verdict_context_apply(&v);
	is_int(v.value, VERDICT_UNKNOWN, "an orphan with a sibling in use: unknown");
	check_words(&v, "a sibling (shmid 7, nattch 3) is in use", "the sibling's words");
	verdict_free_all(&v);

	v = (struct verdict){ .value = VERDICT_SUSPECT, .ctx = VCTX_DURING_SCAN,
			      .sibling = strdup("app-1") };
	verdict_context_apply(&v);
	is_int(v.value, VERDICT_UNKNOWN, "during the scan and a sibling: unknown");
	check_words(&v, "created during the scan (or changed since it started): its holders "
		    "may not be listed; a sibling (app-1) is in use", "both reasons, in order");
	verdict_free_all(&v);

	v = (struct verdict){ .value = VERDICT_IN_USE, .ctx = VCTX_DURING_SCAN,
			      .sibling = strdup("x") };
	verdict_context_apply(&v);
	is_int(v.value, VERDICT_IN_USE, "in use stays in use");
	check_words(&v, "", "and gets no reason");
	ok(v.sibling == NULL && v.ctx == 0, "the marks that changed nothing are cleared");
	verdict_free_all(&v);

	v = (struct verdict){ .value = VERDICT_SUSPECT, .owner_uid = 0, .owner_procs = 9 };
	verdict_context_apply(&v);
	is_int(v.value, VERDICT_SUSPECT, "the owner's processes leave a suspect a suspect");
	check_words(&v, "owner root runs 9 processes", "and say so");
	verdict_free_all(&v);

	v = (struct verdict){ .value = VERDICT_SUSPECT, .owner_uid = 4000000, .owner_procs = 1 };
	verdict_context_apply(&v);
	check_words(&v, "owner uid 4000000 runs 1 process",
		    "an owner without a name: the uid, one process");
	verdict_free_all(&v);

	v = (struct verdict){ .value = VERDICT_UNKNOWN, .owner_uid = 0, .owner_procs = 9 };
	check_words(&v, "", "the owner's processes: said only of a suspect");
}

int main(void)
{
	test_family();
	test_during_scan();
	test_siblings();
	test_owner_procs();
	test_apply();
	return tap_done();
}
