/*
 * The memfd kind's pure parts, rule by rule, without /proc: the name in a
 * "/memfd:NAME (deleted)" link or maps line, and the judge on hand-built
 * objects (its struct is private to src/memfd.c, so the file is included
 * here whole).
 */
#include "memfd.c"

#include "reasons.h"
#include "tap.h"

static struct proc_facts pf_weston = { .pid = 40, .tgid = 40, .comm = (char *)"weston" };
static struct proc_facts pf_client = { .pid = 41, .tgid = 41, .comm = (char *)"foot" };

static void name_is(const char *text, const char *want)
{
	_cleanup_free_ char *got = memfd_name_of(text);

	if (!want)
		ok(!got, "name of '%s': not a memfd", text);
	else
		is_str(got, want, "name of '%s'", text);
}

static void test_names(void)
{
	name_is("/memfd:wayland-shm (deleted)", "wayland-shm");
	name_is("/memfd: (deleted)", "");
	name_is("/memfd:a (deleted) (deleted)", "a (deleted)");
	name_is("/memfd:no suffix", "no suffix");
	name_is("/memfd:", "");
	name_is("/dev/shm/memfd:x (deleted)", NULL);
	name_is("memfd:x (deleted)", NULL);
	name_is("anon_inode:[memfd]", NULL);
}

static void check(struct memfd_obj *m, const struct owners *o, const char *want_words,
		  const char *name)
{
	struct verdict_work w;
	_cleanup_free_ char *words = NULL;

	verdict_begin(&w, &m->verdict, m, sizeof(*m), o->arena);
	memfd_kind.decide(m, o, &w);
	words = verdict_words(&memfd_kind, m, false);
	is_str(verdict_name(m->verdict.value), "in-use", "%s: in use", name);
	is_str(words, want_words, "%s: reasons", name);
	ok(!m->verdict.has_age, "%s: no age", name);
}

static void test_judge(void)
{
	struct owners o = { .now = 1700000000 };
	struct holder h[5] = {
		{ .pid = 40, .fd = 7, .proc = &pf_weston },
		{ .pid = 41, .fd = 12, .proc = &pf_client },
		{ .pid = 41, .fd = -1, .mappings = 2, .proc = &pf_client },
		{ .pid = 40, .fd = -1, .mappings = 1, .proc = &pf_weston },
		{ .pid = 42, .fd = -1, .mappings = 1, .proc = NULL },
	};
	struct memfd_obj m;

	o.arena = reason_arena_new();

	m = (struct memfd_obj){ .holders = h, .nholders = 1, .nfds = 1, .exhaustive = true };
	check(&m, &o, "in-use: exists only while held: 1 fd, mapped by 0 processes; held open by "
	      "weston[40] (fd 7)", "one fd");

	m = (struct memfd_obj){ .holders = h + 2, .nholders = 1, .nfds = 0, .exhaustive = true };
	check(&m, &o, "in-use: exists only while held: 0 fds, mapped by 1 process; mapped by "
	      "foot[41]", "a mapping alone");

	m = (struct memfd_obj){ .holders = h, .nholders = 5, .nfds = 2, .exhaustive = true };
	check(&m, &o, "in-use: exists only while held: 2 fds, mapped by 3 processes; held open by "
	      "weston[40] (fd 7); held open by foot[41] (fd 12); mapped by foot[41]; and 2 more",
	      "five holders: three named, the rest counted");

	/* a child PID namespace: what was seen, and why the list may be short */
	o.scan.child_pidns = true;
	m = (struct memfd_obj){ .holders = h, .nholders = 1, .nfds = 1, .exhaustive = false };
	check(&m, &o, "in-use: exists only while held: 1 fd, mapped by 0 processes seen; held open "
	      "by weston[40] (fd 7); processes outside this PID namespace are not visible",
	      "holders outside not visible");
	o.scan.child_pidns = false;
	o.scan.unreadable = 3;
	check(&m, &o, "in-use: exists only while held: 1 fd, mapped by 0 processes seen; held open "
	      "by weston[40] (fd 7); 3 processes unreadable", "unreadable processes");

	ok(memfd_kind.involves(&(struct memfd_obj){ .holders = h, .nholders = 5 }, 42) &&
	   !memfd_kind.involves(&(struct memfd_obj){ .holders = h, .nholders = 5 }, 43),
	   "--pid: a holder by mapping is involved, another pid not");
	reason_arena_free(o.arena);
}

int main(void)
{
	test_names();
	test_judge();
	return tap_done();
}
