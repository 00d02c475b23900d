/* systemd-logind's settings and sessions, as its RemoveIPC= audit needs them: see logind.h. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup.h"
#include "facts.h"
#include "logind.h"
#include "strutils.h"
#include "sysvipc.h"
#include "xalloc.h"

const char *const logind_dropin_dirs[4] = {
	"etc/systemd/logind.conf.d",
	"run/systemd/logind.conf.d",
	"usr/local/lib/systemd/logind.conf.d",
	"usr/lib/systemd/logind.conf.d",
};

static void note(struct logind_facts *lf, char *msg)
{
	vec_push(&lf->notes, &msg);
}

/*
 * A config file below rootfd, if it is a regular file: a missing one,
 * or one linked to /dev/null (how a drop-in is masked), is nothing.
 * Returns its text (caller frees) or NULL.
 */
static char *read_conf(int rootfd, const char *path, struct logind_facts *lf)
{
	struct stat st;
	char *text = NULL;
	int r;

	if (fstatat(rootfd, path, &st, 0) < 0) {
		int e = errno;

		if (e != ENOENT && e != ENOTDIR)
			note(lf, xasprintf("/%s: %s", path, strerror(e)));
		return NULL;
	}
	if (!S_ISREG(st.st_mode))
		return NULL;
	r = read_whole_file_at(rootfd, path, &text, NULL);
	if (r < 0)
		note(lf, xasprintf("/%s: %s", path, strerror(-r)));
	return r < 0 ? NULL : text;
}

/* A directory below rootfd, or NULL: none (missing or unreadable: nothing to read). */
static DIR *open_dir(int rootfd, const char *path)
{
	int fd = openat(rootfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;

	if (!dir && fd >= 0)
		close(fd);
	return dir;
}

struct dropin {
	char *name;
	size_t dir;	/* index in logind_dropin_dirs */
};

static int dropin_cmp(const void *a, const void *b)
{
	const struct dropin *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->dir > y->dir) - (x->dir < y->dir);
}

/* Every *.conf of the drop-in directories, sorted by name, the first directory's kept. */
static void list_dropins(int rootfd, struct vec *ret)
{
	size_t d, i, kept;

	for (d = 0; d < sizeof(logind_dropin_dirs) / sizeof(logind_dropin_dirs[0]); d++) {
		DIR *dir = open_dir(rootfd, logind_dropin_dirs[d]);
		struct dirent *de;

		if (!dir)
			continue;
		while ((de = readdir(dir)) != NULL) {
			size_t len = strlen(de->d_name);
			struct dropin in = { .dir = d };

			if (de->d_name[0] == '.' || len <= 5 || strcmp(de->d_name + len - 5, ".conf"))
				continue;
			in.name = xstrdup(de->d_name);
			vec_push(ret, &in);
		}
		closedir(dir);
	}
	vec_sort(ret, dropin_cmp);
	for (i = 0, kept = 0; i < ret->len; i++) {
		struct dropin *in = vec_at(ret, i);

		if (kept && strcmp(in->name, ((struct dropin *)vec_at(ret, kept - 1))->name) == 0) {
			free(in->name);	/* hidden by the same name in a directory before */
			continue;
		}
		memmove(vec_at(ret, kept++), in, sizeof(*in));
	}
	ret->len = kept;
}

/* One file's RemoveIPC=, and a note for the lines logind would ignore. */
static void apply_conf(int rootfd, const char *path, struct logind_facts *lf)
{
	_cleanup_free_ char *text = read_conf(rootfd, path, lf);
	unsigned bad = text ? logind_parse_conf(text, &lf->remove_ipc) : 0;

	if (bad)
		note(lf, xasprintf("/%s: %u line%s ignored, as systemd-logind ignores them", path,
				   bad, bad == 1 ? "" : "s"));
}

static int uid_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* var/lib/systemd/linger: a file per lingering user, named by the user. */
static void read_linger(int rootfd, struct logind_facts *lf)
{
	DIR *dir = open_dir(rootfd, "var/lib/systemd/linger");
	struct dirent *de;

	if (!dir)
		return;
	while ((de = readdir(dir)) != NULL) {
		struct passwd *pw = de->d_name[0] == '.' ? NULL : getpwnam(de->d_name);

		if (pw)
			vec_push(&lf->lingering, &pw->pw_uid);
	}
	closedir(dir);
	vec_sort(&lf->lingering, uid_cmp);
}

void logind_read_config(int rootfd, struct logind_facts *ret)
{
	struct vec dropins = VEC_INIT(struct dropin);
	_cleanup_free_ char *defs = NULL;
	size_t i;

	ret->remove_ipc = true;
	apply_conf(rootfd, "etc/systemd/logind.conf", ret);
	list_dropins(rootfd, &dropins);
	for (i = 0; i < dropins.len; i++) {
		struct dropin *in = vec_at(&dropins, i);
		_cleanup_free_ char *path = xasprintf("%s/%s", logind_dropin_dirs[in->dir], in->name);

		apply_conf(rootfd, path, ret);
		free(in->name);
	}
	vec_free(&dropins);
	defs = read_conf(rootfd, "etc/login.defs", ret);
	ret->sys_uid_max = defs ? logind_parse_login_defs(defs, LOGIND_SYS_UID_MAX)
				: LOGIND_SYS_UID_MAX;
	read_linger(rootfd, ret);
}

static int session_cmp(const void *a, const void *b)
{
	const struct logind_session_proc *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

void logind_sessions_from_facts(const struct facts *f, struct logind_facts *ret)
{
	size_t i;

	for (i = 0; i < f->len; i++) {
		const struct cgroup_info *cg = &f->procs[i].cgroup;
		struct logind_session_proc sp = { .pid = f->procs[i].tgid, .uid = cg->uid };

		if (cg->has_uid && cg->session[0])
			vec_push(&ret->sessions, &sp);
	}
	vec_sort(&ret->sessions, session_cmp);
}

bool logind_lingers(const struct logind_facts *lf, uint32_t uid)
{
	return vec_search(&lf->lingering, &uid, uid_cmp) != NULL;
}

void logind_facts_init(struct logind_facts *lf)
{
	*lf = (struct logind_facts){
		.remove_ipc = true,
		.sys_uid_max = LOGIND_SYS_UID_MAX,
		.lingering = VEC_INIT(uint32_t),
		.sessions = VEC_INIT(struct logind_session_proc),
		.notes = VEC_INIT(char *),
	};
}

void logind_facts_free(struct logind_facts *lf)
{
	size_t i;

	for (i = 0; i < lf->notes.len; i++)
		free(*(char **)vec_at(&lf->notes, i));
	vec_free(&lf->notes);
	vec_free(&lf->lingering);
	vec_free(&lf->sessions);
}
