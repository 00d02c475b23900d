/*
 * Remembered creators (creators.h): the state file read with its
 * refusals, written atomically, and the set kept in step with the
 * snapshots a watcher takes.  The text itself is creatorsfmt.c's to read
 * and jsonw.c's to write.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"
#include "creators.h"
#include "facts.h"
#include "idcache.h"
#include "jsonw.h"
#include "model.h"
#include "xalloc.h"

size_t creators_count(const struct creators *c)
{
	return c->n;
}

void creators_clear(struct creators *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		creator_memory_free(&c->v[i]);
	free(c->v);
	free(c->host);
	if (c->users)
		idcache_free(c->users);
	*c = (struct creators){ 0 };
}

void creators_free(struct creators *c)
{
	if (!c)
		return;
	creators_clear(c);
	free(c);
}

static const char *owner_name(uid_t uid, char *buf, size_t size)
{
	if (uid == 0)
		return "root";
	snprintf(buf, size, "uid %u", (unsigned)uid);
	return buf;
}

/* Why the file open at fd is not to be trusted, or NULL. */
static char *distrust(int fd)
{
	struct stat st;
	char who[32];

	if (fstat(fd, &st) < 0)
		return xasprintf("cannot stat it: %s", strerror(errno));
	if (!S_ISREG(st.st_mode))
		return xstrdup("not a regular file");
	if (st.st_uid != geteuid())
		return xasprintf("owned by uid %u, not by %s", (unsigned)st.st_uid,
				 owner_name(geteuid(), who, sizeof(who)));
	if (st.st_mode & 077)
		return xasprintf("mode %04o: others than its owner may read or write it (0600 at "
				 "most)", (unsigned)(st.st_mode & 07777));
	/* read_bounded() stops there too: a file may grow after fstat */
	if (st.st_size > (off_t)CREATORS_FILE_MAX)
		return xstrdup("larger than 64 MiB");
	return NULL;
}

/* Reads at most CREATORS_FILE_MAX bytes of fd: whatever st_size says. */
static int read_bounded(int fd, char **ret, size_t *ret_len)
{
	size_t cap = 65536, len = 0;
	char *buf = xmalloc(cap);

	for (;;) {
		ssize_t r;

		if (len == cap) {
			if (cap > CREATORS_FILE_MAX) {
				free(buf);
				return -EFBIG;
			}
			cap *= 2;
			buf = xreallocarray(buf, cap, 1);
		}
		r = read(fd, buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int err = errno;

			free(buf);
			return -err;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	if (len > CREATORS_FILE_MAX) {
		free(buf);
		return -EFBIG;
	}
	*ret = buf;
	*ret_len = len;
	return 0;
}

int creators_load(const char *path, struct creators **ret, char **ret_why)
{
	struct creators *c = xcalloc(1, sizeof(*c));
	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	int fd, r;

	*ret = NULL;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		if (r == -ENOENT) {	/* the first run */
			*ret = c;
			return 0;
		}
		free(c);
		*ret_why = r == -ELOOP ? xstrdup("a symbolic link: not followed")
				       : xasprintf("cannot open it: %s", strerror(-r));
		return r;
	}
	*ret_why = distrust(fd);
	r = *ret_why ? -EPERM : read_bounded(fd, &text, &len);
	close(fd);
	if (r == -EFBIG)
		*ret_why = xstrdup("larger than 64 MiB");
	else if (r < 0 && !*ret_why)
		*ret_why = xasprintf("cannot read it: %s", strerror(-r));
	if (r == 0)
		r = creatorsfmt_parse(text, len, &c->v, &c->n, ret_why);
	if (r < 0) {
		creators_free(c);
		return r;
	}
	*ret = c;
	return 0;
}

void creator_memory_write(struct jw *w, const struct creator_memory *m, bool file)
{
	size_t i;

	jw_obj_begin(w);
	if (file) {
		jw_key(w, "ipc_ns");
		jw_u64(w, m->ipc_ns);
		jw_key(w, "kind");
		jw_str(w, ipc_kinds[m->kind]->name);
		jw_key(w, "id");
		jw_s64(w, m->id);
		jw_key(w, "ctime");
		jw_s64(w, m->ctime);
	}
	jw_key(w, "pid");
	jw_s64(w, m->pid);
	jw_key(w, file ? "start_ms" : "start");
	jw_s64(w, file ? m->start_ms : m->start_ms / 1000);
	jw_key(w, "comm");
	jw_str_or_null(w, m->comm);
	jw_key(w, "argv");
	jw_arr_begin(w);
	for (i = 0; m->argv[i]; i++)
		jw_str(w, m->argv[i]);
	jw_arr_end(w);
	jw_key(w, "uid");
	jw_u64(w, m->euid);
	jw_key(w, "user");
	jw_str_or_null(w, m->user);
	jw_key(w, "unit");
	jw_str_or_null(w, m->unit);
	jw_key(w, "container");
	jw_str_or_null(w, m->container);
	jw_key(w, "seen");
	jw_s64(w, m->seen);
	jw_obj_end(w);
}

/* The file's text (caller frees): one entry a line. */
static char *creators_text(const struct creators *c)
{
	struct jw w;
	size_t i;

	jw_init(&w, NULL);
	jw_obj_begin(&w);
	jw_lines(&w, 4);
	jw_key(&w, "format");
	jw_str(&w, CREATORS_FORMAT);
	jw_key(&w, "version");
	jw_s64(&w, CREATORS_VERSION);
	jw_key(&w, "host");
	jw_str_or_null(&w, c->host);
	jw_key(&w, "entries");
	jw_arr_begin(&w);
	jw_lines(&w, c->n);
	for (i = 0; i < c->n; i++)
		creator_memory_write(&w, &c->v[i], true);
	jw_lines_end(&w, c->n);
	jw_arr_end(&w);
	jw_lines_end(&w, 4);
	jw_obj_end(&w);
	jw_raws(&w, "\n");
	return jw_take(&w);
}

int creators_save(const struct creators *c, const char *path, char **ret_why)
{
	static const char *const steps[] = {
		[ATOMICFILE_CREATE] = "cannot create a temporary file beside it",
		[ATOMICFILE_WRITE] = "cannot write the temporary file",
		[ATOMICFILE_RENAME] = "cannot rename the temporary file over it",
	};
	_cleanup_free_ char *text = creators_text(c);
	_cleanup_free_ char *d = xstrdup(path), *b = xstrdup(path);
	enum atomicfile_step step;
	int r;

	/* what creators_load() would refuse is never written */
	if (strlen(text) > CREATORS_FILE_MAX) {
		*ret_why = xstrdup("it would be larger than 64 MiB: not written, the old file kept");
		return -EFBIG;
	}
	r = atomicfile_write(dirname(d), basename(b), text, strlen(text), 0600, &step);
	if (r < 0)
		*ret_why = xasprintf("%s: %s", steps[step], strerror(-r));
	return r;
}
