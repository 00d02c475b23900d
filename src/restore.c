/*
 * restore, the checking of entries and the report: see restore.h.  Every
 * file is opened without blocking and without following a link, relative
 * to the entry's directory, and checked (a regular file, the trust rule)
 * before anything is read from it; backupfmt.c reads the text; the
 * content is checked against its SHA-256 before anything is created, and
 * again as it is copied into the new object (restore-make.c).
 */
#include "config.h"

#include <dirent.h>
#include <signal.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backup.h"
#include "jsonw.h"
#include "model.h"
#include "render.h"
#include "restore.h"
#include "strutils.h"
#include "xalloc.h"

static void entry_free(struct restore_entry *e)
{
	if (e->fd >= 0)
		close(e->fd);
	if (e->data_fd >= 0)
		close(e->data_fd);
	free(e->path);
	backupfmt_manifest_free(&e->m);
	free(e->why);
}

/* ---- finding and verifying entries ---------------------------------------- */

static const char *file_type(mode_t mode)
{
	return S_ISFIFO(mode) ? "a FIFO" : S_ISCHR(mode) ? "a character device" :
	       S_ISBLK(mode) ? "a block device" : S_ISDIR(mode) ? "a directory" :
	       S_ISSOCK(mode) ? "a socket" : S_ISLNK(mode) ? "a symbolic link" : "not a regular file";
}

/*
 * The trust rule (ipcinspect(1), restore): what restore reads is owned by
 * root or by the user running it (the real uid) and writable by nobody
 * else.  st is of an opened fd; a problem about what, or NULL.
 */
static char *untrusted(const struct stat *st, const char *what)
{
	uid_t me = getuid();

	if (st->st_uid != 0 && st->st_uid != me)
		return xasprintf("%s is owned by uid %u, not by root or you (uid %u): not trusted",
				 what, (unsigned)st->st_uid, (unsigned)me);
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return xasprintf("%s has mode %04o, writable by its group or others: not trusted",
				 what, (unsigned)(st->st_mode & 07777));
	return NULL;
}

/* "NAME: why" for an open that failed with errno e. */
static char *open_failed(const char *name, int e)
{
	return xasprintf("%s: %s", name, e == ELOOP ? "a symbolic link, not followed" :
					 e == ENOENT ? "missing" : strerror(e));
}

/*
 * Opens the file name of the entry without blocking and without following
 * a link, and checks it is a regular file restore may trust, before any
 * read.  Returns the fd, or -1 with *ret_why.
 */
static int open_member(int dirfd, const char *name, char **ret_why)
{
	struct stat st;
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0) {
		*ret_why = open_failed(name, errno);
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		*ret_why = open_failed(name, errno);
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode))
		*ret_why = xasprintf("%s: %s, not a regular file", name, file_type(st.st_mode));
	else
		*ret_why = untrusted(&st, name);
	if (*ret_why) {
		close(fd);
		return -1;
	}
	return fd;
}

/* A checked file of the entry, whole; a problem, or NULL. */
static char *read_member(int dirfd, const char *name, size_t max, char **ret, size_t *ret_len)
{
	_cleanup_free_ char *buf = NULL;
	struct stat st;
	size_t done = 0;
	char *why = NULL;
	int fd = open_member(dirfd, name, &why);

	if (fd < 0)
		return why;
	if (fstat(fd, &st) < 0 || (uint64_t)st.st_size > max) {
		close(fd);
		return xasprintf("%s: larger than %zu bytes", name, max);
	}
	buf = xmalloc((size_t)st.st_size + 1);
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + done, (size_t)st.st_size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			why = open_failed(name, n < 0 ? errno : EIO);
			close(fd);
			return why;
		}
		done += (size_t)n;
	}
	close(fd);
	buf[done] = '\0';
	*ret = buf;
	buf = NULL;
	*ret_len = done;
	return NULL;
}

/* The manifest's kind, and SHA256SUMS' data line against it; a problem, or NULL. */
static char *check_data(struct restore_entry *e, const struct backupfmt_sums *sums)
{
	char got[65];
	uint64_t size;
	char *why = NULL;
	int r;

	if (e->m.kind == BACKUPFMT_SEM)
		return *sums->data_sha ? xstrdup("SHA256SUMS lists data, but a set has none") : NULL;
	if (strcmp(sums->data_sha, e->m.data_sha) != 0)
		return xstrdup("SHA256SUMS and manifest.json disagree on data's sha256");
	e->data_fd = open_member(e->fd, "data", &why);
	if (e->data_fd < 0)
		return why;
	r = backup_sha256_fd(e->data_fd, &size, got);
	if (r < 0)
		return xasprintf("data: %s", strerror(-r));
	if (size != e->m.data_bytes)
		return xasprintf("data: %" PRIu64 " bytes, the manifest says %" PRIu64 " (truncated "
				 "or damaged)", size, e->m.data_bytes);
	if (strcmp(got, e->m.data_sha) != 0)
		return xstrdup("data: sha256 does not match (changed or damaged)");
	return NULL;
}

/* Checks the entry's files and reads its manifest; a problem, or NULL. */
static char *verify_entry(struct restore_entry *e)
{
	_cleanup_free_ char *sumstext = NULL, *text = NULL;
	struct backupfmt_sums sums;
	char got[65];
	struct stat st;
	size_t len;
	char *why;

	if (fstat(e->fd, &st) < 0)
		return xasprintf("the entry directory: %s", strerror(errno));
	why = untrusted(&st, "the entry directory");
	if (!why)
		why = read_member(e->fd, "SHA256SUMS", BACKUPFMT_SUMS_MAX, &sumstext, &len);
	if (why || backupfmt_parse_sums(sumstext, len, &sums, &why) < 0)
		return why;
	why = read_member(e->fd, "manifest.json", BACKUPFMT_MANIFEST_MAX, &text, &len);
	if (why)
		return why;
	backup_sha256_hex(text, len, got);
	if (strcmp(got, sums.manifest_sha) != 0)
		return xstrdup("manifest.json: sha256 does not match SHA256SUMS (changed or damaged)");
	if (backupfmt_parse_manifest(text, len, &e->m, &why) < 0)
		return why;
	e->parsed = true;
	e->kind = backup_kind(backupfmt_kind_name(e->m.kind));
	if (!e->kind)
		return xasprintf("manifest.json: this build cannot restore %s objects",
				 backupfmt_kind_name(e->m.kind));
	return check_data(e, &sums);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void add_entry(struct vec *entries, int fd, char *path)
{
	struct restore_entry e = { .path = path, .fd = fd, .data_fd = -1, .new_id = -1 };

	vec_push(entries, &e);
}

#define DIR_FLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)

/* Opens the directory path (not a link): the fd and *ret_st, or -1 with *ret_why. */
static int open_top(const char *path, struct stat *ret_st, char **ret_why)
{
	int fd = open(path, DIR_FLAGS);

	if (fd < 0) {
		*ret_why = errno == ELOOP ? xstrdup("a symbolic link, not followed")
					  : xstrdup(strerror(errno));
		return -1;
	}
	if (fstat(fd, ret_st) < 0) {
		*ret_why = xstrdup(strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static void free_names(char **names, size_t n)
{
	while (n)
		free(names[--n]);
	free(names);
}

/* The names in the directory fd, sorted, but those starting with '.'; -errno. */
static int sorted_names(int fd, char ***ret, size_t *ret_n)
{
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	int dfd = dup(fd), e;
	DIR *dir = dfd < 0 ? NULL : fdopendir(dfd);

	if (!dir) {
		e = errno;
		if (dfd >= 0)
			close(dfd);
		return -e;
	}
	for (errno = 0; (de = readdir(dir)); errno = 0) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			names = xreallocarray(names, cap, sizeof(*names));
		}
		names[n++] = xstrdup(de->d_name);
	}
	e = errno;	/* a failed readdir: a listing with holes is no listing */
	closedir(dir);
	if (e) {
		free_names(names, n);
		return -e;
	}
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	*ret = names;
	*ret_n = n;
	return 0;
}

/* A problem with path, reported and refused by cmd_restore (why is taken). */
static void add_problem(struct vec *problems, const char *path, char *why,
			const struct ipc_kind *kind)
{
	struct restore_entry bad = { .path = xstrdup(path), .fd = -1, .data_fd = -1,
				     .new_id = -1, .why = why, .kind = kind };

	vec_push(problems, &bad);
}

/*
 * Whether the directory fd is an entry (holds manifest.json): 1, 0, or
 * -1 with *ret_why when that cannot be told.
 */
static int holds_manifest(int fd, char **ret_why)
{
	struct stat st;
	int e = fstatat(fd, "manifest.json", &st, AT_SYMLINK_NOFOLLOW) == 0 ? 0 : errno;

	if (e == 0)
		return 1;
	if (e == ENOENT)
		return 0;
	*ret_why = open_failed("manifest.json", e);
	return -1;
}

/*
 * Adds the entry name of the backup directory fd (path) to entries.  A
 * symbolic link, a file that is no directory and a directory with no
 * manifest.json are passed over; any other failure to read it is a
 * problem: an entry not read is never passed over in silence.
 */
static void find_entry(int fd, const char *path, const char *name, struct vec *entries,
		       struct vec *problems)
{
	_cleanup_free_ char *full = xasprintf("%s/%s", path, name);
	char *why = NULL;
	int efd = openat(fd, name, DIR_FLAGS), r;

	if (efd < 0) {
		int e = errno;

		if (e != ELOOP && e != ENOTDIR)
			add_problem(problems, full, xasprintf("cannot open: %s", strerror(e)), NULL);
		return;
	}
	r = holds_manifest(efd, &why);
	if (r > 0) {
		add_entry(entries, efd, full);
		full = NULL;
		return;
	}
	close(efd);
	if (r < 0)
		add_problem(problems, full, why, NULL);
}

/*
 * PATH is an entry (it holds manifest.json) or a directory of entries:
 * each subdirectory holding one, in name order; names starting with '.'
 * (an entry being written) and symbolic links are passed over.  PATH,
 * and the directory holding it when it is an entry, must pass the trust
 * rule; the entries are checked by verify_entry().  What cannot be read
 * goes to problems.
 */
static void find_entries(const char *arg, struct vec *entries, struct vec *problems)
{
	_cleanup_free_ char *path = path_dir_normal(arg);
	char **names = NULL, *why = NULL;
	size_t n = 0, i, before = entries->len + problems->len;
	struct stat st, top;
	int fd = open_top(path, &top, &why), r;

	if (fd < 0) {
		add_problem(problems, arg, why, NULL);
		return;
	}
	r = holds_manifest(fd, &why);
	if (r > 0) {
		/* an entry: verify_entry() checks it, here what holds it */
		int up = openat(fd, "..", DIR_FLAGS);

		why = up < 0 ? xasprintf("the directory holding it: %s", strerror(errno))
			     : fstat(up, &st) < 0 ? xstrdup(strerror(errno))
			     : untrusted(&st, "the directory holding it");
		if (up >= 0)
			close(up);
		if (why) {
			close(fd);
			add_problem(problems, arg, why, NULL);
		} else {
			add_entry(entries, fd, xstrdup(path));
		}
		return;
	}
	if (r == 0)
		why = untrusted(&top, "the backup directory");
	if (!why) {
		r = sorted_names(fd, &names, &n);
		if (r < 0)
			why = xasprintf("cannot list: %s", strerror(-r));
	}
	if (why) {
		close(fd);
		add_problem(problems, arg, why, NULL);
		return;
	}
	for (i = 0; i < n; i++)
		find_entry(fd, path, names[i], entries, problems);
	free_names(names, n);
	close(fd);
	if (entries->len + problems->len == before)
		add_problem(problems, arg, xstrdup("no backup entry here (no manifest.json)"), NULL);
}

/* ---- the report -------------------------------------------------------------- */

static size_t count(const struct vec *entries, const char *action)
{
	size_t i, n = 0;

	for (i = 0; i < entries->len; i++) {
		const struct restore_entry *e = vec_at(entries, i);

		n += e->action && strcmp(e->action, action) == 0;
	}
	return n;
}

static void entry_json(struct jw *w, const struct restore_entry *e)
{
	struct value v;

	jw_obj_begin(w);
	jw_key(w, "kind");
	if (e->kind)
		jw_str(w, e->kind->name);
	else
		jw_null(w);
	jw_key(w, "entry");
	jw_str(w, e->path);
	/* a refused entry's manifest is not to be trusted: no key or id from it */
	jw_key(w, "key");
	VALUE_U32(&v, VAL_KEY, e->m.key);
	if (e->action)
		value_write_json(w, &v, NULL);
	else
		jw_null(w);
	jw_key(w, "old_id");
	if (e->action)
		jw_s64(w, e->m.old_id);
	else
		jw_null(w);
	jw_key(w, "id");
	if (e->new_id >= 0)
		jw_s64(w, e->new_id);
	else
		jw_null(w);
	jw_key(w, "action");
	jw_str(w, e->action ? e->action : "refused");
	jw_key(w, "why");
	if (e->why)
		jw_str(w, e->why);
	else
		jw_null(w);
	jw_obj_end(w);
}

static void print_json(const struct vec *entries, const struct vec *problems,
		       const struct snapshot *s, bool dry_run)
{
	static const char *const sums[] = { "restored", "would-restore", "skipped", "failed" };
	struct jw w;
	size_t i;

	jw_init(&w, stdout);
	json_doc_begin(&w, s);
	jw_key(&w, "command");
	jw_str(&w, "restore");
	jw_key(&w, "dry_run");
	jw_bool(&w, dry_run);
	jw_key(&w, "actions");
	jw_arr_begin(&w);
	jw_lines(&w, problems->len ? 0 : entries->len);
	for (i = 0; !problems->len && i < entries->len; i++)
		entry_json(&w, vec_at(entries, i));
	jw_lines_end(&w, problems->len ? 0 : entries->len);
	jw_arr_end(&w);
	jw_key(&w, "problems");
	jw_arr_begin(&w);
	jw_lines(&w, problems->len);
	for (i = 0; i < problems->len; i++)
		entry_json(&w, vec_at(problems, i));
	jw_lines_end(&w, problems->len);
	jw_arr_end(&w);
	jw_key(&w, "summary");
	jw_obj_begin(&w);
	for (i = 0; i < sizeof(sums) / sizeof(sums[0]); i++) {
		jw_key(&w, i == 1 ? "would_restore" : sums[i]);
		jw_u64(&w, problems->len ? 0 : count(entries, sums[i]));
	}
	jw_key(&w, "refused");
	jw_u64(&w, problems->len);
	jw_obj_end(&w);
	json_doc_end(&w);
	jw_finish(&w);
}

static void print_text(const struct vec *entries, bool dry_run)
{
	size_t i;

	for (i = 0; i < entries->len; i++) {
		const struct restore_entry *e = vec_at(entries, i);
		_cleanup_free_ char *path = escape_str(e->path, ESCAPE_TERM);
		_cleanup_free_ char *why = e->why ? escape_str(e->why, ESCAPE_TERM) : NULL;
		_cleanup_free_ char *id = e->new_id >= 0 ? xasprintf(" as id %d", e->new_id)
						       : xstrdup("");

		printf("%s %s %d key 0x%08" PRIx32 "%s from %s%s%s%s\n", e->action, e->kind->name,
		       e->m.old_id, e->m.key, id, path, why ? " (" : "", why ? why : "", why ? ")" : "");
	}
	if (dry_run)
		printf("dry run: %zu would be restored, %zu skipped; nothing was created%s\n",
		       count(entries, "would-restore"), count(entries, "skipped"),
		       count(entries, "would-restore") ? ": run with --yes to restore them" : "");
	else
		printf("%zu restored, %zu skipped, %zu failed\n", count(entries, "restored"),
		       count(entries, "skipped"), count(entries, "failed"));
}

/*
 * The one line on standard error after a report with entries not
 * restored, which says what the report's lines say one by one:
 * "ipcinspect: restore: 2 of 3 entries not restored (1 failed, 1
 * skipped)".  Not after a signal: end_if_caught() says that.
 */
static void report_not_restored(const struct vec *entries, bool dry_run)
{
	size_t failed = count(entries, "failed"), skipped = count(entries, "skipped");
	_cleanup_free_ char *f = failed ? xasprintf("%zu failed", failed) : NULL;
	_cleanup_free_ char *k = skipped ? xasprintf("%zu skipped", skipped) : NULL;

	if ((!failed && !skipped) || restore_caught_signal())
		return;
	fflush(stdout);	/* after the report, where both go to one place */
	fprintf(stderr, "ipcinspect: restore: %zu of %zu entr%s %s restored (%s%s%s)\n",
		failed + skipped, entries->len, entries->len == 1 ? "y" : "ies",
		dry_run ? "would not be" : "not", f ? f : "", f && k ? ", " : "", k ? k : "");
}

/*
 * After a SIGINT, SIGTERM or SIGHUP during the restore (restore-make.c
 * removed the object it was making), says so and ends by that signal.
 */
static void end_if_caught(size_t restored)
{
	int sig = restore_caught_signal();

	restore_catch_signals(false);
	if (!sig)
		return;
	fflush(stdout);
	fprintf(stderr, "ipcinspect: restore: interrupted by SIG%s: the object being made was "
		"removed, nothing more was restored (%zu restored before stay)\n", sigabbrev_np(sig),
		restored);
	raise(sig);
}

int cmd_restore(const struct options *o, const struct snapshot *s)
{
	struct vec entries = VEC_INIT(struct restore_entry), problems = VEC_INIT(struct restore_entry);
	size_t i;
	int status = EXIT_OK;

	for (i = 0; i < o->npaths; i++)
		find_entries(o->paths[i], &entries, &problems);
	/* every entry verified before anything is created: all or nothing */
	for (i = 0; i < entries.len; i++) {
		struct restore_entry *e = vec_at(&entries, i);
		char *why = verify_entry(e);

		if (why)
			add_problem(&problems, e->path, why, e->kind);
	}
	for (i = 0; i < problems.len; i++) {
		const struct restore_entry *e = vec_at(&problems, i);
		_cleanup_free_ char *path = escape_str(e->path, ESCAPE_TERM);
		_cleanup_free_ char *why = escape_str(e->why, ESCAPE_TERM);

		fprintf(stderr, "ipcinspect: restore %s: %s\n", path, why);
	}
	if (problems.len) {
		fprintf(stderr, "ipcinspect: restore: %zu of the backups %s refused: nothing was "
			"created\n", problems.len, problems.len == 1 ? "was" : "were");
		status = EXIT_DATA;
	} else {
		if (o->yes)
			restore_catch_signals(true);
		for (i = 0; i < entries.len; i++)
			restore_one(o, s, vec_at(&entries, i));
		if (count(&entries, "failed") || count(&entries, "skipped"))
			status = EXIT_DATA;
	}
	if (o->render.json)
		print_json(&entries, &problems, s, !o->yes);
	else if (!problems.len)
		print_text(&entries, !o->yes);
	report_not_restored(&entries, !o->yes);
	if (o->yes && !problems.len)
		end_if_caught(count(&entries, "restored"));
	for (i = 0; i < entries.len; i++)
		entry_free(vec_at(&entries, i));
	for (i = 0; i < problems.len; i++)
		entry_free(vec_at(&problems, i));
	vec_free(&entries);
	vec_free(&problems);
	return status;
}
