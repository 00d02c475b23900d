/*
 * Writing backup entries: see backup.h and doc/backup-format.md.  The
 * kind reads its object's content and writes its own members of the
 * manifest (its backup hooks); this file makes the entry around them.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "act.h"
#include "backup.h"
#include "jsonw.h"
#include "model.h"
#include "render.h"
#include "strutils.h"
#include "xalloc.h"

int backup_dir_open(const char *arg, struct backup_dir *ret, char **ret_why)
{
	_cleanup_free_ char *path = path_dir_normal(arg);
	struct stat st;
	int fd;

	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
			*ret_why = xstrdup("a symbolic link, not followed");
		else
			*ret_why = xstrdup(strerror(e));
		return -e;
	}
	if (fstat(fd, &st) < 0) {
		int e = errno;

		close(fd);
		*ret_why = xstrdup(strerror(e));
		return -e;
	}
	if (st.st_uid != geteuid()) {
		close(fd);
		*ret_why = xasprintf("owned by uid %u, not by you (uid %u): backups can hold secrets",
				     (unsigned)st.st_uid, (unsigned)geteuid());
		return -EPERM;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		close(fd);
		*ret_why = xasprintf("mode %04o: group or others may write it (backups can hold "
				     "secrets)", (unsigned)(st.st_mode & 07777));
		return -EPERM;
	}
	*ret = (struct backup_dir){ .fd = fd, .path = path };
	path = NULL;	/* the backup_dir's now */
	return 0;
}

void backup_dir_close(struct backup_dir *d)
{
	if (d->fd >= 0)
		close(d->fd);
	free(d->path);
	d->fd = -1;
	d->path = NULL;
}

const struct ipc_kind *backup_kind(const char *name)
{
	size_t i;

	for (i = 0; i < KIND_COUNT; i++)
		if (ipc_kinds[i]->backup && strcmp(ipc_kinds[i]->name, name) == 0)
			return ipc_kinds[i];
	return NULL;
}

static void hex_of(const uint8_t *digest, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < SHA256_DIGEST_SIZE; i++) {
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 0xf];
	}
	out[64] = '\0';
}

void backup_sha256_hex(const void *data, size_t n, char out[65])
{
	struct sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];

	sha256_init(&ctx);
	sha256_update(&ctx, n, data);
	sha256_digest(&ctx, sizeof(digest), digest);
	hex_of(digest, out);
}

int backup_sha256_fd(int fd, uint64_t *ret_size, char ret_hex[65])
{
	struct sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];
	char buf[65536];
	uint64_t size = 0;

	sha256_init(&ctx);
	for (;;) {
		ssize_t n = pread(fd, buf, sizeof(buf), (off_t)size);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		sha256_update(&ctx, (size_t)n, (const uint8_t *)buf);
		size += (uint64_t)n;
	}
	sha256_digest(&ctx, sizeof(digest), digest);
	hex_of(digest, ret_hex);
	*ret_size = size;
	return 0;
}

/* A file of the entry: created 0600, written whole, fsync'ed.  -errno. */
static int write_file(int dirfd, const char *name, const void *data, size_t n)
{
	const char *p = data;
	int fd, e = 0;

	fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (fchmod(fd, 0600) < 0)	/* whatever the umask */
		e = errno;
	while (!e && n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			e = w < 0 ? errno : ENOSPC;
			break;
		}
		p += w;
		n -= (size_t)w;
	}
	if (!e && fsync(fd) < 0)
		e = errno;
	if (close(fd) < 0 && !e)
		e = errno;
	return -e;
}

void backup_write_ipc_common(struct jw *w, const struct ipc_common *ic)
{
	struct value v;

	jw_key(w, "id");
	jw_s64(w, ic->id);
	jw_key(w, "key");
	VALUE_U32(&v, VAL_KEY, ic->key);
	value_write_json(w, &v, NULL);
	jw_key(w, "mode");
	VALUE_U32(&v, VAL_PERMS, ic->mode & IPC_PERM_BITS);
	value_write_json(w, &v, NULL);
	jw_key(w, "uid");
	jw_u64(w, ic->uid);
	jw_key(w, "gid");
	jw_u64(w, ic->gid);
	jw_key(w, "cuid");
	jw_u64(w, ic->cuid);
	jw_key(w, "cgid");
	jw_u64(w, ic->cgid);
	jw_key(w, "ctime");
	jw_s64(w, ic->ctime);
}

static void write_ipc(struct jw *w, const struct ipc_kind *kind, const void *obj,
		      const struct backup_content *c)
{
	jw_key(w, "ipc");
	jw_obj_begin(w);
	kind->backup->write_ipc(w, obj, c);
	jw_obj_end(w);
}

static void write_content(struct jw *w, const struct ipc_kind *kind,
			  const struct backup_content *c, const char *data_sha)
{
	jw_key(w, "content");
	jw_obj_begin(w);
	if (kind->backup->has_data) {
		jw_key(w, "file");
		jw_str(w, "data");
		jw_key(w, "bytes");
		jw_u64(w, c->bytes);
		jw_key(w, "sha256");
		jw_str(w, data_sha);
	}
	if (kind->backup->write_content)
		kind->backup->write_content(w, c);
	jw_obj_end(w);
}

static char *manifest_text(const struct snapshot *s, const struct kind_objs *ko, const void *obj,
			   const struct render_opts *ro, const struct backup_content *c,
			   const char *data_sha)
{
	struct jw w;

	jw_init(&w, NULL);
	jw_obj_begin(&w);
	jw_lines(&w, 1);
	jw_key(&w, "format");
	jw_str(&w, BACKUP_FORMAT);
	jw_key(&w, "version");
	jw_s64(&w, BACKUP_VERSION);
	jw_key(&w, "kind");
	jw_str(&w, ko->kind->name);
	jw_key(&w, "saved");
	jw_obj_begin(&w);
	jw_key(&w, "time");
	jw_s64(&w, (int64_t)time(NULL));
	jw_key(&w, "host");
	jw_str(&w, s->host);
	jw_key(&w, "ipc_ns");
	if (s->has_ipc_ns)
		jw_u64(&w, s->ipc_ns);
	else
		jw_null(&w);
	jw_key(&w, "by_uid");
	jw_u64(&w, geteuid());
	jw_obj_end(&w);
	write_ipc(&w, ko->kind, obj, c);
	write_content(&w, ko->kind, c, data_sha);
	jw_key(&w, "listing");
	json_write_object(&w, ko, obj, ro);
	jw_lines_end(&w, 1);
	jw_obj_end(&w);
	jw_raws(&w, "\n");
	return jw_take(&w);
}

/* Removes what a failed entry left (best effort) and the entry itself. */
static void discard_entry(int dirfd, const char *tmp)
{
	static const char *const files[] = { "data", "manifest.json", "SHA256SUMS" };
	int fd = openat(dirfd, tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	size_t i;

	if (fd >= 0) {
		for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
			unlinkat(fd, files[i], 0);
		close(fd);
	}
	unlinkat(dirfd, tmp, AT_REMOVEDIR);
}

/* The SHA-256 of a file just written in efd, read back from it. */
static int hash_written(int efd, const char *name, uint64_t *ret_size, char ret_hex[65])
{
	int fd = openat(efd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), r;

	if (fd < 0)
		return -errno;
	r = backup_sha256_fd(fd, ret_size, ret_hex);
	close(fd);
	return r;
}

/* The entry's files, in the directory efd. */
static int write_entry(int efd, const struct snapshot *s, const struct kind_objs *ko,
		       const void *obj, const struct render_opts *ro,
		       const struct backup_content *c,
		       char **ret_why)
{
	char data_sha[65], manifest_sha[65];
	_cleanup_free_ char *manifest = NULL, *sums = NULL;
	bool has_data = ko->kind->backup->has_data;
	int r;

	/*
	 * The data file is the one private copy: written from the content
	 * (for a segment, the live attachment, read this once), then hashed
	 * from what was written.  Hashing the segment and writing it are two
	 * reads of memory others may write meanwhile: a backup that fails
	 * its own checksum (issue 12).
	 */
	if (has_data) {
		const void *data = c->data ? c->data : "";	/* an empty queue */
		uint64_t size = 0;

		r = write_file(efd, "data", data, c->bytes);
		if (r == 0)
			r = hash_written(efd, "data", &size, data_sha);
		if (r == 0 && size != c->bytes)
			r = -EIO;
		if (r < 0) {
			*ret_why = xasprintf("writing data: %s", strerror(-r));
			return r;
		}
	}
	manifest = manifest_text(s, ko, obj, ro, c, data_sha);
	backup_sha256_hex(manifest, strlen(manifest), manifest_sha);
	r = write_file(efd, "manifest.json", manifest, strlen(manifest));
	if (r < 0) {
		*ret_why = xasprintf("writing manifest.json: %s", strerror(-r));
		return r;
	}
	sums = backupfmt_sums_text(manifest_sha, has_data ? data_sha : NULL);
	r = write_file(efd, "SHA256SUMS", sums, strlen(sums));
	if (r < 0) {
		*ret_why = xasprintf("writing SHA256SUMS: %s", strerror(-r));
		return r;
	}
	if (fsync(efd) < 0) {
		r = -errno;
		*ret_why = xasprintf("fsync: %s", strerror(-r));
		return r;
	}
	return 0;
}

/* "shm-5", or "shm-5.1", ... when that name is taken. */
static char *entry_name(int dirfd, const struct ipc_kind *kind, int id)
{
	struct stat st;
	unsigned n;

	for (n = 0; n < 10000; n++) {
		char *name = n ? xasprintf("%s-%d.%u", kind->name, id, n)
			       : xasprintf("%s-%d", kind->name, id);

		if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 && errno == ENOENT)
			return name;
		free(name);
	}
	return NULL;
}

/*
 * Releases what the kind's read hook kept, and the kind's own part: how
 * the kind saw the object used meanwhile (caller frees), or NULL.
 */
static char *content_release(const struct ipc_kind *kind, struct backup_content *c)
{
	char *used;

	if (kind->backup->release)
		kind->backup->release(c);
	used = c->used;
	*c = (struct backup_content){ 0 };
	return used;
}

/* The files of the entry, in tmp (made): -errno with *ret_why. */
static int write_tmp(int dirfd, const char *tmp, const struct snapshot *s,
		     const struct kind_objs *ko, const void *obj, const struct render_opts *ro,
		     const struct backup_content *c, char **ret_why)
{
	int efd = openat(dirfd, tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), r;

	if (efd < 0 || fchmod(efd, 0700) < 0) {
		r = -errno;
		*ret_why = xasprintf("opening %s: %s", tmp, strerror(-r));
	} else {
		r = write_entry(efd, s, ko, obj, ro, c, ret_why);
	}
	if (efd >= 0)
		close(efd);
	return r;
}

/* tmp, written, renamed to name and made durable: 0, or -errno and nothing left. */
static int publish(const struct backup_dir *d, const char *tmp, const char *name, char **ret_why)
{
	int r;

	/* never over an entry another run made meanwhile */
	if (renameat2(d->fd, tmp, d->fd, name, RENAME_NOREPLACE) < 0 &&
	    (errno != EINVAL || renameat(d->fd, tmp, d->fd, name) < 0)) {
		r = -errno;
		*ret_why = xasprintf("rename to %s: %s", name, strerror(-r));
		discard_entry(d->fd, tmp);
		return r;
	}
	if (fsync(d->fd) < 0) {
		r = -errno;
		*ret_why = xasprintf("fsync of %s: %s", d->path, strerror(-r));
		/* renamed but maybe not durable: not a backup to rely on */
		discard_entry(d->fd, name);
		return r;
	}
	return 0;
}

int backup_save(const struct backup_dir *d, const struct snapshot *s, const struct kind_objs *ko,
		const void *obj, const struct render_opts *ro, char **ret_entry, char **ret_why)
{
	_cleanup_free_ char *tmp = NULL, *name = NULL, *used = NULL;
	struct backup_content c = { 0 };
	struct obj_ident id;
	int r;

	if (!ko->kind->backup) {
		*ret_why = act_no_backup_why(ko->kind);
		return -EOPNOTSUPP;
	}
	act_identify(ko->kind, obj, &id);
	tmp = xasprintf(".%s-%d.tmp.%d", ko->kind->name, id.id, (int)getpid());
	r = ko->kind->backup->read(obj, &c, ret_why);
	if (r == 0 && !(name = entry_name(d->fd, ko->kind, id.id))) {
		*ret_why = xstrdup("no free entry name");
		r = -EEXIST;
	}
	if (r == 0 && mkdirat(d->fd, tmp, 0700) < 0) {
		r = -errno;
		*ret_why = xasprintf("mkdir %s: %s", tmp, strerror(-r));
	} else if (r == 0) {
		r = write_tmp(d->fd, tmp, s, ko, obj, ro, &c, ret_why);
		if (r < 0)
			discard_entry(d->fd, tmp);
	}
	/* a segment is detached here, before it is re-checked */
	used = content_release(ko->kind, &c);
	if (r == 0)
		r = publish(d, tmp, name, ret_why);
	if (r == 0)
		*ret_entry = xasprintf("%s/%s", d->path, name);
	if (r == 0 && used) {
		*ret_why = used;
		used = NULL;
		r = 1;
	}
	return r;
}
