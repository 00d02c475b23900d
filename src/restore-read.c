/*
 * restore, the reading of backup entries (see restore.h): finding them
 * under the paths given and checking each before anything is created.
 * Every file is opened without blocking and without following a link,
 * relative to the entry's directory, and checked (a regular file, the
 * trust rule) before anything is read from it; backupfmt.c parses the
 * text (it stays pure, for its fuzz targets); the content is checked
 * against its SHA-256 here, and again as it is copied into the new object
 * (restore-make.c).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backup.h"
#include "restore.h"
#include "strutils.h"
#include "xalloc.h"

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
char *restore_verify_entry(struct restore_entry *e)
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
void restore_add_problem(struct vec *problems, const char *path, char *why,
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
			restore_add_problem(problems, full, xasprintf("cannot open: %s", strerror(e)), NULL);
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
		restore_add_problem(problems, full, why, NULL);
}

/*
 * PATH is an entry (it holds manifest.json) or a directory of entries:
 * each subdirectory holding one, in name order; names starting with '.'
 * (an entry being written) and symbolic links are passed over.  PATH,
 * and the directory holding it when it is an entry, must pass the trust
 * rule; the entries are checked by restore_verify_entry().  What cannot be read
 * goes to problems.
 */
void restore_find_entries(const char *arg, struct vec *entries, struct vec *problems)
{
	_cleanup_free_ char *path = path_dir_normal(arg);
	char **names = NULL, *why = NULL;
	size_t n = 0, i, before = entries->len + problems->len;
	struct stat st, top;
	int fd = open_top(path, &top, &why), r;

	if (fd < 0) {
		restore_add_problem(problems, arg, why, NULL);
		return;
	}
	r = holds_manifest(fd, &why);
	if (r > 0) {
		/* an entry: restore_verify_entry() checks it, here what holds it */
		int up = openat(fd, "..", DIR_FLAGS);

		why = up < 0 ? xasprintf("the directory holding it: %s", strerror(errno))
			     : fstat(up, &st) < 0 ? xstrdup(strerror(errno))
			     : untrusted(&st, "the directory holding it");
		if (up >= 0)
			close(up);
		if (why) {
			close(fd);
			restore_add_problem(problems, arg, why, NULL);
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
		restore_add_problem(problems, arg, why, NULL);
		return;
	}
	for (i = 0; i < n; i++)
		find_entry(fd, path, names[i], entries, problems);
	free_names(names, n);
	close(fd);
	if (entries->len + problems->len == before)
		restore_add_problem(problems, arg, xstrdup("no backup entry here (no manifest.json)"), NULL);
}
