/*
 * Unit tests of the RemoveIPC= audit (logind.h): logind.conf as logind
 * reads it (sections, comments, bad values ignored, the drop-ins' order
 * and masking, in a fake root directory), login.defs, the sessions of
 * the processes named from their cgroup facts, and the rule on
 * hand-built segments.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup.h"
#include "facts.h"
#include "kind.h"
#include "logind.h"
#include "shm.h"
#include "tap.h"
#include "vec.h"
#include "verdict.h"
#include "xalloc.h"

static void test_bool(void)
{
	static const struct { const char *s; int want; } cases[] = {
		{ "yes", 1 }, { "YES", 1 }, { "y", 1 }, { "true", 1 }, { "t", 1 }, { "on", 1 },
		{ "1", 1 }, { "no", 0 }, { "No", 0 }, { "n", 0 }, { "false", 0 }, { "f", 0 },
		{ "off", 0 }, { "0", 0 }, { "", -1 }, { "2", -1 }, { "yess", -1 },
		{ "enabled", -1 }, { " yes", -1 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool v = false;
		int got = logind_parse_bool(cases[i].s, &v) ? v : -1;

		is_int(got, cases[i].want, "parse_bool(\"%s\")", cases[i].s);
	}
}

static void test_conf(void)
{
	static const struct {
		const char *text;
		bool before;
		bool want;
		unsigned bad;
		const char *what;
	} cases[] = {
		{ "", true, true, 0, "an empty file keeps the value" },
		{ "[Login]\nRemoveIPC=no\n", true, false, 0, "RemoveIPC=no" },
		{ "[Login]\nRemoveIPC=yes\n", false, true, 0, "RemoveIPC=yes over an earlier no" },
		{ "[Login]\n  RemoveIPC  =  off  \n", true, false, 0, "white space around" },
		{ "[Login]\n#RemoveIPC=no\n;RemoveIPC=no\n", true, true, 0, "comments" },
		{ "[Other]\nRemoveIPC=no\n", true, true, 0, "another section's key" },
		{ "[Login]\nKillUserProcesses=yes\n", true, true, 0, "another key" },
		{ "[Login]\nremoveipc=no\n", true, true, 0, "keys are case-sensitive" },
		{ "[Login]\nRemoveIPC=no\nRemoveIPC=yes\n", true, true, 0, "the last line wins" },
		{ "[Login]\nRemoveIPC=no\nRemoveIPC=maybe\n", true, false, 1,
		  "a bad value is ignored: the value before it stays" },
		{ "[Login]\nRemoveIPC=\n", true, true, 1, "an empty value is ignored" },
		{ "RemoveIPC=no\n", true, true, 1, "outside a section: ignored" },
		{ "[Login]\nRemoveIPC\n", true, true, 1, "no '=': ignored" },
		{ "[Login\nRemoveIPC=no\n", true, true, 2, "a broken header: no section" },
		{ "[Login]\n[Seat]\nRemoveIPC=no\n", true, true, 0, "a later section" },
		{ "[Login]\r\nRemoveIPC=no\r\n", true, false, 0, "CRLF lines" },
		{ "[Login]\nRemoveIPC=no", true, false, 0, "no final newline" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool v = cases[i].before;
		unsigned bad = logind_parse_conf(cases[i].text, &v);

		is_int(v, cases[i].want, "conf: %s", cases[i].what);
		is_int(bad, cases[i].bad, "conf: %s: lines ignored", cases[i].what);
	}
}

static void test_login_defs(void)
{
	static const struct { const char *text; uint32_t want; const char *what; } cases[] = {
		{ "", 999, "empty: the default" },
		{ "SYS_UID_MAX\t\t  499\n", 499, "tabs and spaces" },
		{ "#SYS_UID_MAX 499\n", 999, "a comment" },
		{ "  SYS_UID_MAX 499 # why\n", 499, "leading blanks, a trailing comment" },
		{ "SYS_UID_MAXX 499\n", 999, "another key" },
		{ "SYS_UID_MIN 100\nSYS_UID_MAX 200\nSYS_UID_MAX 300\n", 300, "the last wins" },
		{ "SYS_UID_MAX -1\n", 999, "a negative value" },
		{ "SYS_UID_MAX 4294967295\n", 999, "UINT32_MAX: not a uid" },
		{ "SYS_UID_MAX\n", 999, "no value" },
		{ "SYS_UID_MAX 12x\n", 999, "not a number" },
		{ "SYS_UID_MAX 700", 700, "no final newline" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		is_int(logind_parse_login_defs(cases[i].text, 999), cases[i].want, "login.defs: %s",
		       cases[i].what);
}

/* The sessions of the processes named, from their cgroup facts (cgroup.h). */
static void test_sessions(void)
{
	struct proc_facts procs[4] = {
		{ .pid = 10, .tgid = 10, .cgroup = { .has_uid = true, .uid = 1000, .session = "3" } },
		/* user@1000.service: under the user's slice, in no session */
		{ .pid = 11, .tgid = 11, .cgroup = { .has_uid = true, .uid = 1000 } },
		{ .pid = 12, .tgid = 12, .cgroup = { .unit = "postgresql.service" } },
		/* a thread of 10 asked by its id: the process is what holds */
		{ .pid = 13, .tgid = 10, .cgroup = { .has_uid = true, .uid = 1000, .session = "3" } },
	};
	struct facts f = { .procs = procs, .len = 4 };
	struct logind_facts lf;
	const struct logind_session_proc *sp;

	logind_facts_init(&lf);
	logind_sessions_from_facts(&f, &lf);
	is_int(lf.sessions.len, 2, "sessions: the process in the scope, and its thread asked");
	sp = lf.sessions.len ? vec_at(&lf.sessions, 0) : NULL;
	is_int(sp ? sp->pid : -1, 10, "sessions: pid 10");
	is_int(sp ? (int)sp->uid : -1, 1000, "sessions: of uid 1000");
	sp = lf.sessions.len > 1 ? vec_at(&lf.sessions, 1) : NULL;
	is_int(sp ? sp->pid : -1, 10, "sessions: the thread stands for its process, 10");
	logind_facts_free(&lf);
}

/* A fake root directory with files: "path=text", or "path->target" for a symlink. */
static char *make_root(const char *const *files)
{
	char *root = xstrdup("/tmp/test-logind.XXXXXX");
	size_t i;

	if (!mkdtemp(root))
		abort();
	for (i = 0; files[i]; i++) {
		const char *sep = strstr(files[i], "->"), *eq = strchr(files[i], '=');
		size_t len = sep ? (size_t)(sep - files[i]) : (size_t)(eq - files[i]);
		_cleanup_free_ char *path = xasprintf("%s/%.*s", root, (int)len, files[i]);
		char *slash;
		FILE *f;

		for (slash = strchr(path + strlen(root) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
			*slash = '\0';
			mkdir(path, 0755);
			*slash = '/';
		}
		if (sep) {
			if (symlink(sep + 2, path) < 0)
				abort();
			continue;
		}
		f = fopen(path, "w");
		if (!f)
			abort();
		fputs(eq + 1, f);
		fclose(f);
	}
	return root;
}

static void remove_root(char *root)
{
	_cleanup_free_ char *cmd = xasprintf("rm -rf '%s'", root);

	if (system(cmd) != 0)
		abort();
	free(root);
}

static void read_root(const char *const *files, struct logind_facts *lf)
{
	char *root = make_root(files);
	int fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);

	logind_facts_init(lf);
	logind_read_config(fd, lf);
	close(fd);
	remove_root(root);
}

static void test_config_root(void)
{
	struct logind_facts lf;
	const char *const none[] = { NULL };
	const char *const main_no[] = { "etc/systemd/logind.conf=[Login]\nRemoveIPC=no\n", NULL };
	const char *const dropin_yes[] = {
		"etc/systemd/logind.conf=[Login]\nRemoveIPC=no\n",
		"usr/lib/systemd/logind.conf.d/50-x.conf=[Login]\nRemoveIPC=yes\n", NULL };
	const char *const by_name[] = {
		"etc/systemd/logind.conf.d/10-a.conf=[Login]\nRemoveIPC=yes\n",
		"usr/lib/systemd/logind.conf.d/20-b.conf=[Login]\nRemoveIPC=no\n", NULL };
	const char *const hidden[] = {
		"usr/lib/systemd/logind.conf.d/50-x.conf=[Login]\nRemoveIPC=no\n",
		"run/systemd/logind.conf.d/50-x.conf=[Login]\nRemoveIPC=yes\n", NULL };
	const char *const masked[] = {
		"usr/local/lib/systemd/logind.conf.d/50-x.conf=[Login]\nRemoveIPC=no\n",
		"etc/systemd/logind.conf.d/50-x.conf->/dev/null", NULL };
	const char *const bad[] = {
		"etc/systemd/logind.conf=[Login]\nRemoveIPC=no\n",
		"etc/systemd/logind.conf.d/50-x.conf=[Login]\nRemoveIPC=sometimes\n",
		"etc/systemd/logind.conf.d/60-x.txt=[Login]\nRemoveIPC=yes\n",
		"etc/login.defs=SYS_UID_MAX 499\n", NULL };

	const struct {
		const char *const *files;
		int want;
		const char *what;
	} cases[] = {
		{ none, 1, "nothing: RemoveIPC defaults to yes" },
		{ main_no, 0, "logind.conf says no" },
		{ dropin_yes, 1, "a drop-in overrides logind.conf" },
		{ by_name, 0, "drop-ins in name order across directories" },
		{ hidden, 1, "/run hides the same name in /usr/lib" },
		{ masked, 1, "a drop-in linked to /dev/null masks the name" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		read_root(cases[i].files, &lf);
		is_int(lf.remove_ipc, cases[i].want, "root: %s", cases[i].what);
		is_int(lf.sys_uid_max, 999, "root: %s: SYS_UID_MAX 999", cases[i].what);
		is_int(lf.notes.len, 0, "root: %s: no note", cases[i].what);
		logind_facts_free(&lf);
	}
	read_root(bad, &lf);
	is_int(lf.remove_ipc, 0, "root: a bad value is ignored, *.txt is not read");
	is_int(lf.sys_uid_max, 499, "root: login.defs");
	is_int(lf.notes.len, 1, "root: a bad value is a note");
	is_str(lf.notes.len ? *(char **)vec_at(&lf.notes, 0) : "",
	       "/etc/systemd/logind.conf.d/50-x.conf: 1 line ignored, as systemd-logind ignores "
	       "them", "root: the note names the file");
	logind_facts_free(&lf);
}

/* Segments of uid, held (mapped) by pid, judged in use; held by nobody: holds data. */
static void seg(struct shm_seg *s, struct holder *h, int id, uint32_t uid, int pid)
{
	*s = (struct shm_seg){ .c = { .id = id, .uid = uid, .cuid = uid }, .size = 4096 };
	s->verdict.value = pid ? VERDICT_IN_USE : VERDICT_ORPHAN;
	if (pid) {
		*h = (struct holder){ .pid = pid, .fd = -1, .mappings = 1 };
		s->attached = h;
		s->nattached = 1;
	}
}

static void test_rule(void)
{
	struct kind_objs kinds[KIND_COUNT] = { 0 };
	struct holder h[6];
	struct shm_seg s[6];
	struct logind_facts lf;
	struct logind_session_proc sp = { .pid = 60, .uid = 1000 };
	struct vec users = VEC_INIT(struct removeipc_user);
	uint32_t linger = 1001;
	size_t i;

	seg(&s[0], &h[0], 0, 1000, 50);		/* a service of alice's: at risk */
	seg(&s[1], &h[1], 1, 1000, 60);		/* alice's session holds it */
	seg(&s[2], &h[2], 2, 999, 50);		/* a system user */
	seg(&s[3], &h[3], 3, 0, 50);		/* root */
	seg(&s[4], &h[4], 4, 1001, 50);		/* lingers */
	seg(&s[5], &h[5], 5, 1002, 0);		/* nobody holds it: its data is lost */
	kinds[KIND_SHM].kind = &shm_kind;
	kinds[KIND_SHM].objs = (struct vec)VEC_INIT(struct shm_seg);
	for (i = 0; i < 6; i++)
		vec_push(&kinds[KIND_SHM].objs, &s[i]);
	logind_facts_init(&lf);
	vec_push(&lf.sessions, &sp);
	vec_push(&lf.lingering, &linger);

	is_int(removeipc_judge(kinds, KIND_COUNT, &lf, &users), 0, "rule: no logind: nothing");
	lf.pid = 1;
	lf.remove_ipc = false;
	is_int(removeipc_judge(kinds, KIND_COUNT, &lf, &users), 0, "rule: RemoveIPC=no: nothing");
	lf.remove_ipc = true;
	is_int(removeipc_judge(kinds, KIND_COUNT, &lf, &users), 2, "rule: two at risk");
	for (i = 0; i < 6; i++) {
		const struct shm_seg *got = vec_at(&kinds[KIND_SHM].objs, i);

		is_int(!!(got->verdict.ctx & VCTX_REMOVEIPC), i == 0 || i == 5,
		       "rule: segment %zu marked or not", i);
	}
	is_int(users.len, 2, "rule: two users");
	is_int(users.len ? ((struct removeipc_user *)vec_at(&users, 0))->uid : 0, 1000,
	       "rule: alice first");
	is_int(users.len > 1 ? ((struct removeipc_user *)vec_at(&users, 1))->uid : 0, 1002,
	       "rule: then uid 1002");
	is_int(((struct shm_seg *)vec_at(&kinds[KIND_SHM].objs, 0))->verdict.value,
	       VERDICT_IN_USE, "rule: the verdict stays");
	lf.sys_uid_max = 1000;
	vec_free(&users);
	for (i = 0; i < 6; i++)
		((struct shm_seg *)vec_at(&kinds[KIND_SHM].objs, i))->verdict.ctx = 0;
	is_int(removeipc_judge(kinds, KIND_COUNT, &lf, &users), 1,
	       "rule: SYS_UID_MAX 1000 spares alice");
	vec_free(&users);
	vec_free(&kinds[KIND_SHM].objs);
	logind_facts_free(&lf);
}

int main(void)
{
	test_bool();
	test_conf();
	test_login_defs();
	test_sessions();
	test_config_root();
	test_rule();
	return tap_done();
}
