/*
 * Unit tests of the remembered creators (creators.h, creatorsfmt.h): the
 * reader's exact entries (escaped bytes back to raw, sorted by key) and
 * every refusal (not JSON, truncated, another format or version, a wrong
 * type or range in any member, a bad escape, two entries of one object,
 * too many entries, too large); a save and load round trip through a
 * real file, the file checks of load (missing, symbolic link, mode,
 * directory, another owner when run as root) and a save into a missing
 * directory; the words people see; and record, prune and attach on
 * hand-built snapshots: a live creator recorded once, a gone one never,
 * a key matched only with the same namespace, kind, id, ctime and pid,
 * the entries of namespaces not read kept unless every namespace was.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "creators.h"
#include "facts.h"
#include "idcache.h"
#include "model.h"
#include "shm.h"
#include "tap.h"
#include "xalloc.h"

#define ENTRY(ns, id, ctime, pid) \
	"{\"ipc_ns\":" #ns ",\"kind\":\"shm\",\"id\":" #id ",\"ctime\":" #ctime \
	",\"pid\":" #pid ",\"start_ms\":1700000000123,\"comm\":\"postgres\"," \
	"\"argv\":[\"postgres: checkpointer\",\"a\\\\\\\\b\\\\xff\"],\"uid\":105," \
	"\"user\":\"postgres\",\"unit\":\"postgresql@15-main.service\",\"container\":null," \
	"\"seen\":1700000100}"
#define DOC(entries) \
	"{\"format\":\"ipcinspect-creators\",\"version\":1,\"host\":\"h\",\"entries\":[" entries "]}"

static int parse(const char *text, struct creator_memory **m, size_t *n, char **why)
{
	*why = NULL;
	return creatorsfmt_parse(text, strlen(text), m, n, why);
}

static void free_all(struct creator_memory *m, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		creator_memory_free(&m[i]);
	free(m);
}

static void test_parse(void)
{
	struct creator_memory *m;
	size_t n;
	char *why;
	int r = parse(DOC(ENTRY(7, 5, 1700000050, 42) "," ENTRY(7, 3, 1700000040, 41)), &m, &n,
		      &why);

	is_int(r, 0, "a file of two entries is read");
	if (r < 0)
		return;
	is_int((long)n, 2, "two entries");
	is_int(m[0].id, 3, "sorted by key: id 3 first");
	is_int(m[1].id, 5, "then id 5");
	ok(m[0].ipc_ns == 7 && m[0].kind == KIND_SHM && m[0].ctime == 1700000040,
	   "the key of the first");
	is_int(m[0].pid, 41, "pid");
	ok(m[0].start_ms == 1700000000123 && m[0].seen == 1700000100 && m[0].euid == 105,
	   "start_ms, seen, uid");
	is_str(m[0].comm, "postgres", "comm");
	is_str(m[0].argv[0], "postgres: checkpointer", "argv[0]");
	is_str(m[0].argv[1], "a\\b\xff", "argv[1]: the escapes undone, raw bytes");
	ok(m[0].argv[2] == NULL, "argv ends");
	is_str(m[0].user, "postgres", "user");
	is_str(m[0].unit, "postgresql@15-main.service", "unit");
	ok(m[0].container == NULL, "container null");
	free_all(m, n);
}

static void refused(const char *text, const char *want, const char *name)
{
	struct creator_memory *m = (void *)1;
	size_t n = 1;
	char *why;
	int r = parse(text, &m, &n, &why);

	ok(r == -EBADMSG && m == NULL && n == 0, "refused: %s", name);
	is_str(why ? why : "", want, "the reason: %s", name);
	free(why);
}

static void test_refusals(void)
{
	char *big, *o;
	size_t i, len;

	refused("{\"format\":\"ipcinspect-cr",
		"not JSON (line 1: premature end of input near '\"ipcinspect-cr')", "truncated");
	refused("", "not JSON (line 1: '[' or '{' expected near end of file)", "empty");
	refused("{\"format\":\"ipcinspect-backup\",\"version\":1,\"entries\":[]}",
		"not an ipcinspect creators file", "another format");
	refused("{\"format\":\"ipcinspect-creators\",\"version\":2,\"entries\":[]}",
		"not format version 1, the one this ipcinspect reads", "version 2");
	refused("{\"format\":\"ipcinspect-creators\",\"version\":1}", "no entries array",
		"no entries");
	refused(DOC(ENTRY(7, 5, 1700000050, "42")), "entry 1: a bad pid", "a pid as a string");
	refused(DOC(ENTRY(7, 5, 1700000050, 0)), "entry 1: a bad pid", "pid 0");
	refused(DOC(ENTRY(7, 5, 1700000050, 4194305)), "entry 1: a bad pid", "pid past PID_MAX_LIMIT");
	refused(DOC(ENTRY(7, -1, 1700000050, 42)), "entry 1: a bad id", "a negative id");
	refused(DOC(ENTRY(0, 5, 1700000050, 42)), "entry 1: a bad ipc_ns", "ipc_ns 0");
	refused(DOC(ENTRY(7, 5, 1.5, 42)), "entry 1: a bad ctime", "a real ctime");
	refused(DOC(ENTRY(7, 5, 1700000050, 42) ",[]"), "entry 2: a bad entry", "an array entry");
	refused(DOC("{\"ipc_ns\":7,\"kind\":\"nope\"}"), "entry 1: a bad kind", "an unknown kind");
	refused(DOC(ENTRY(7, 5, 1700000050, 42) "," ENTRY(7, 5, 1700000050, 43)),
		"two entries of the same object", "two entries of one key");
	refused(DOC("{\"ipc_ns\":7,\"kind\":\"shm\",\"id\":1,\"ctime\":2,\"pid\":3,"
		    "\"start_ms\":4,\"comm\":\"a\\\\q\"}"), "entry 1: a bad comm", "a bad escape");
	refused(DOC("{\"ipc_ns\":7,\"kind\":\"shm\",\"id\":1,\"ctime\":2,\"pid\":3,"
		    "\"start_ms\":4,\"comm\":\"a\\u0000b\"}"),
		"not JSON (line 1: \\u0000 is not allowed without JSON_ALLOW_NUL near '\"a\\u0000b\"')",
		"a NUL in comm");
	refused(DOC("{\"ipc_ns\":7,\"kind\":\"shm\",\"id\":1,\"ctime\":2,\"pid\":3,"
		    "\"start_ms\":4,\"comm\":\"a\\\\x00b\"}"), "entry 1: a bad comm",
		"an escaped NUL in comm");
	refused(DOC("{\"ipc_ns\":7,\"kind\":\"shm\",\"id\":1,\"ctime\":2,\"pid\":3,"
		    "\"start_ms\":4,\"comm\":\"a\",\"argv\":[\"x\",1]}"), "entry 1: a bad argv",
		"an argv of a number");
	refused(DOC("{\"ipc_ns\":7,\"kind\":\"shm\",\"id\":1,\"ctime\":2,\"pid\":3,"
		    "\"start_ms\":4,\"comm\":\"a\",\"argv\":[],\"uid\":4294967295}"),
		"entry 1: a bad uid", "uid -1");
	refused("{\"format\":\"ipcinspect-creators\",\"version\":1,\"version\":1,\"entries\":[]}",
		"not JSON (line 1: duplicate object key near '\"version\"')", "a member twice");

	/* more entries than the bound: refused before any is looked at */
	len = strlen(DOC("")) + 2 * (CREATORS_ENTRIES_MAX + 1);
	big = xmalloc(len + 1);
	o = big + sprintf(big, "{\"format\":\"ipcinspect-creators\",\"version\":1,\"entries\":[0");
	for (i = 1; i <= CREATORS_ENTRIES_MAX; i++)
		o = (char *)memcpy(o, ",0", 2) + 2;
	strcpy(o, "]}");
	refused(big, "more than 262144 entries", "too many entries");
	free(big);
}

static void test_too_large(void)
{
	char *big = xcalloc(CREATORS_FILE_MAX + 1, 1);
	struct creator_memory *m;
	size_t n;
	char *why = NULL;
	int r = creatorsfmt_parse(big, CREATORS_FILE_MAX + 1, &m, &n, &why);

	ok(r == -EBADMSG, "one byte above 64 MiB is refused");
	is_str(why ? why : "", "larger than 64 MiB", "its reason");
	free(why);
	free(big);
}

static void test_text(void)
{
	char *argv[] = { (char *)"postgres: checkpointer", NULL }, *none[] = { NULL };
	struct creator_memory m = {
		.comm = (char *)"postgres", .argv = argv,
		.unit = (char *)"postgresql@15-main.service", .container = (char *)"docker:0123456789ab",
	};
	char *t = creator_memory_text(&m);

	is_str(t, "was postgres: checkpointer, unit postgresql@15-main.service, container "
		  "docker:0123456789ab", "the words: argv, unit, container");
	free(t);
	m.argv = none;
	m.unit = m.container = NULL;
	t = creator_memory_text(&m);
	is_str(t, "was postgres", "no argv: comm");
	free(t);
}

static char dir[] = "/tmp/test-creators.XXXXXX";

static char *path_in(const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

static void load_refused(const char *path, const char *want, const char *name)
{
	struct creators *c = (void *)1;
	char *why = NULL;
	int r = creators_load(path, &c, &why);

	ok(r < 0 && c == NULL, "load refuses %s", name);
	is_str(why ? why : "", want, "the reason: %s", name);
	free(why);
}

static void test_files(void)
{
	char *argv[] = { (char *)"/usr/bin/x", (char *)"-c", (char *)"a\nb\\\xff", NULL };
	struct creator_memory one = {
		.ipc_ns = 4026531839u, .kind = KIND_SHM, .id = 32769, .ctime = 1700000000,
		.pid = 77, .start_ms = 1699999999990, .comm = (char *)"x\x01y", .argv = argv,
		.euid = 1000, .user = NULL, .unit = (char *)"a.service", .container = NULL,
		.seen = 1700000001,
	};
	struct creators c = { .v = &one, .n = 1, .host = (char *)"h" }, *back = NULL;
	_cleanup_free_ char *file = path_in("creators.json"), *link = path_in("link");
	_cleanup_free_ char *nodir = path_in("nodir/creators.json"), *why = NULL;
	int r;

	load_refused(dir, "not a regular file", "a directory");
	r = creators_load(file, &back, &why);
	ok(r == 0 && back && creators_count(back) == 0, "a missing file: an empty set");
	creators_free(back);
	back = NULL;
	r = creators_save(&c, file, &why);
	is_int(r, 0, "saved");
	r = creators_load(file, &back, &why);
	is_int(r, 0, "loaded back");
	if (r == 0 && creators_count(back) == 1) {
		const struct creator_memory *m = &back->v[0];

		ok(m->ipc_ns == one.ipc_ns && m->kind == one.kind && m->id == one.id &&
		   m->ctime == one.ctime && m->pid == one.pid && m->start_ms == one.start_ms &&
		   m->euid == one.euid && m->seen == one.seen, "the numbers survive the file");
		is_str(m->comm, "x\x01y", "comm with a control character survives");
		is_str(m->argv[2], "a\nb\\\xff", "argv with newline, backslash, bad UTF-8 survives");
		ok(m->argv[3] == NULL && m->user == NULL && m->container == NULL, "the nulls survive");
		is_str(m->unit, "a.service", "unit survives");
		is_str(back->host ? back->host : "(null)", "(null)", "host is not read back");
	} else {
		ok(0, "one entry back");
	}
	creators_free(back);
	back = NULL;
	chmod(file, 0644);
	load_refused(file, "mode 0644: others than its owner may read or write it (0600 at most)",
		     "mode 0644");
	chmod(file, 0600);
	if (symlink(file, link) == 0)
		load_refused(link, "a symbolic link: not followed", "a symbolic link");
	if (geteuid() == 0 && chown(file, 1000, 1000) == 0)
		load_refused(file, "owned by uid 1000, not by root", "a file of uid 1000");
	free(why);
	why = NULL;
	r = creators_save(&c, nodir, &why);
	ok(r == -ENOENT, "a save into a missing directory fails");
	is_str(why ? why : "", "cannot create a temporary file beside it: No such file or directory",
	       "its reason");
	unlink(link);
	unlink(file);
}

static struct proc_facts pf = {
	.pid = 50, .tgid = 50, .comm = (char *)"maker", .euid = 0, .start_ms = 1690000000000,
};

static void add_seg(struct snapshot *s, int id, int64_t ctime, int pid, enum actor_state st)
{
	struct shm_seg seg = { .c = { .id = id, .ctime = ctime }, .cpid = pid };

	seg.creator.pid = pid;
	seg.creator.state = (unsigned char)st;
	seg.creator.proc = st == ACTOR_ALIVE ? &pf : NULL;
	vec_push(&s->kinds[KIND_SHM].objs, &seg);
}

static void snap_init(struct snapshot *s, uint64_t ns)
{
	memset(s, 0, sizeof(*s));
	s->has_ipc_ns = true;
	s->ipc_ns = ns;
	s->time = 1700000500;
	s->kinds[KIND_SHM].kind = &shm_kind;
	s->kinds[KIND_SHM].objs = (struct vec)VEC_INIT(struct shm_seg);
}

static const struct creator_memory *remembered(struct snapshot *s, size_t i)
{
	return ((struct shm_seg *)vec_at(&s->kinds[KIND_SHM].objs, i))->creator.remembered;
}

static void test_record(void)
{
	char *argv[] = { (char *)"maker", (char *)"-x", NULL };
	struct creators c = { 0 };
	struct snapshot s;

	pf.argv = argv;
	snap_init(&s, 7);
	add_seg(&s, 1, 1700000000, 50, ACTOR_ALIVE);
	add_seg(&s, 2, 1700000000, 51, ACTOR_GONE);
	ok(creators_record(&c, &s), "a live creator: the set changed");
	is_int((long)c.n, 1, "one entry: the gone creator is not recorded");
	ok(c.n == 1 && c.v[0].id == 1 && c.v[0].pid == 50 && c.v[0].seen == 1700000500 &&
	   c.v[0].start_ms == 1690000000000, "its key, pid, start and first look");
	is_str(c.n ? c.v[0].argv[1] : "", "-x", "its argv");
	is_str(c.n && c.v[0].user ? c.v[0].user : "", "root", "its user");
	ok(!creators_record(&c, &s), "the same look again: unchanged");
	vec_free(&s.kinds[KIND_SHM].objs);

	/* the creator gone: attached by the same key and pid only */
	snap_init(&s, 7);
	add_seg(&s, 1, 1700000000, 50, ACTOR_GONE);
	add_seg(&s, 1, 1700000009, 50, ACTOR_GONE);	/* reused id, later ctime */
	add_seg(&s, 1, 1700000000, 60, ACTOR_GONE);	/* another cpid */
	add_seg(&s, 1, 1700000000, 50, ACTOR_UNKNOWN);
	creators_attach(&c, &s);
	ok(remembered(&s, 0) == &c.v[0], "the same key and pid: remembered");
	ok(remembered(&s, 1) == NULL, "a later ctime (reused id): not attributed");
	ok(remembered(&s, 2) == NULL, "another pid: not attributed");
	ok(remembered(&s, 3) == NULL, "a creator not known gone: nothing");
	vec_free(&s.kinds[KIND_SHM].objs);
	snap_init(&s, 8);
	add_seg(&s, 1, 1700000000, 50, ACTOR_GONE);
	creators_attach(&c, &s);
	ok(remembered(&s, 0) == NULL, "another IPC namespace: not attributed");
	ok(!creators_record(&c, &s), "a look at another namespace keeps the entry of ns 7");
	is_int((long)c.n, 1, "still one entry");
	s.all_namespaces = true;
	ok(creators_record(&c, &s), "every namespace read, ns 7 not in use: pruned");
	is_int((long)c.n, 0, "no entry left");
	vec_free(&s.kinds[KIND_SHM].objs);

	snap_init(&s, 7);
	add_seg(&s, 1, 1700000000, 50, ACTOR_ALIVE);
	creators_record(&c, &s);
	vec_free(&s.kinds[KIND_SHM].objs);
	snap_init(&s, 7);
	s.kinds[KIND_SHM].kind = NULL;
	ok(!creators_record(&c, &s) && c.n == 1, "shm not read: its entries stay");
	s.kinds[KIND_SHM].kind = &shm_kind;
	ok(creators_record(&c, &s) && c.n == 0, "the segment gone: its entry pruned");
	vec_free(&s.kinds[KIND_SHM].objs);
	creators_clear(&c);
}

/* Any user's command line is kept to CREATORS_ARGV_BYTES in all. */
static void test_argv_bounded(void)
{
	static char big[3000];
	char *argv[] = { big, big, big, big, big, NULL };
	struct creators c = { 0 };
	struct snapshot s;
	size_t i, total = 0;

	memset(big, 'a', sizeof(big) - 1);
	pf.argv = argv;
	snap_init(&s, 7);
	add_seg(&s, 1, 1700000000, 50, ACTOR_ALIVE);
	creators_record(&c, &s);
	for (i = 0; c.n && c.v[0].argv[i]; i++)
		total += strlen(c.v[0].argv[i]);
	ok(c.n == 1 && c.v[0].argv[0] && strlen(c.v[0].argv[0]) == CREATORS_STR_MAX,
	   "an argument: its first 1024 bytes");
	is_int((long)i, 4, "four arguments of 1024 bytes are kept, the fifth left out");
	is_int((long)total, CREATORS_ARGV_BYTES, "4096 bytes in all");
	vec_free(&s.kinds[KIND_SHM].objs);
	creators_clear(&c);
}

/*
 * An entry of another pid under the same key gives way to the creator
 * alive now; and an attach forgets what an earlier one pointed at.
 */
static void test_give_way(void)
{
	char *argv[] = { (char *)"maker", NULL };
	struct creators c = { 0 };
	struct snapshot s;

	pf.argv = argv;
	snap_init(&s, 7);
	add_seg(&s, 1, 1700000000, 50, ACTOR_GONE);
	pf.pid = 60;
	add_seg(&s, 2, 1700000000, 60, ACTOR_ALIVE);
	creators_record(&c, &s);
	vec_free(&s.kinds[KIND_SHM].objs);
	snap_init(&s, 7);
	add_seg(&s, 2, 1700000000, 50, ACTOR_ALIVE);	/* same key, pid 50 alive */
	pf.pid = 50;
	ok(creators_record(&c, &s) && c.n == 1 && c.v[0].pid == 50,
	   "another pid alive under the same key: the entry gives way");
	vec_free(&s.kinds[KIND_SHM].objs);
	snap_init(&s, 7);
	add_seg(&s, 2, 1700000000, 50, ACTOR_GONE);
	creators_attach(&c, &s);
	ok(remembered(&s, 0) == &c.v[0], "the gone creator: remembered");
	creators_clear(&c);
	creators_attach(&c, &s);
	ok(remembered(&s, 0) == NULL, "attached again to a set without it: the pointer is cleared");
	vec_free(&s.kinds[KIND_SHM].objs);
}

/* What creators_load() would refuse is never written. */
static void test_save_bounded(void)
{
	static char ff[1025];
	char *argv[] = { ff, ff, ff, ff, NULL };
	struct creators c = { 0 };
	char path[sizeof(dir) + 16], *why = NULL;
	size_t i, n = 3500;	/* 4 KiB of \xff each, 20 KiB escaped: 70 MiB */
	int r;

	memset(ff, 0xff, sizeof(ff) - 1);
	c.v = xcalloc(n, sizeof(*c.v));
	for (i = 0; i < n; i++) {
		c.v[i] = (struct creator_memory){ .ipc_ns = 1, .kind = KIND_SHM, .id = (int)i,
						  .pid = 1, .comm = xstrdup("x") };
		c.v[i].argv = xcalloc(5, sizeof(char *));
		for (int a = 0; a < 4; a++)
			c.v[i].argv[a] = xstrdup(argv[a]);
	}
	c.n = n;
	snprintf(path, sizeof(path), "%s/big.json", dir);
	r = creators_save(&c, path, &why);
	is_int(r, -EFBIG, "a set whose file would pass 64 MiB: not written");
	is_str(why ? why : "", "it would be larger than 64 MiB: not written, the old file kept",
	       "... and why");
	ok(access(path, F_OK) < 0, "... no file made");
	free(why);
	creators_clear(&c);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 99;
	test_parse();
	test_refusals();
	test_too_large();
	test_text();
	test_files();
	test_record();
	test_argv_bounded();
	test_give_way();
	test_save_bounded();
	rmdir(dir);
	return tap_done();
}
