/*
 * restore: see restore.h.  The manifest is read with jansson (a parser we
 * did not write, for a file that may have been edited by hand); the
 * content is checked against its SHA-256 before anything is created, and
 * again as it is copied into the new object.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "backup.h"
#include "jsonw.h"
#include "model.h"
#include "render.h"
#include "restore.h"
#include "strutils.h"
#include "xalloc.h"

#define SEMVMX 32767	/* the largest semaphore value */
#define MANIFEST_MAX (64 << 20)

union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
};

/* One backup entry: what its manifest says, then what became of it. */
struct entry {
	char *path;		/* for messages and the report */
	int fd;			/* the entry's directory */
	const struct ipc_kind *kind;
	uint32_t key, uid, gid;
	int old_id;
	unsigned mode;
	uint64_t size;		/* shm */
	uint64_t qbytes;	/* msg */
	long *types;		/* msg */
	size_t *sizes;
	size_t nmsgs;
	unsigned short *values;	/* sem */
	size_t nvalues;
	uint64_t data_bytes;	/* shm, msg: the data file */
	char data_sha[65];
	/* the outcome */
	const char *action;
	char *why;
	int new_id;
};

static void entry_free(struct entry *e)
{
	if (e->fd >= 0)
		close(e->fd);
	free(e->path);
	free(e->types);
	free(e->sizes);
	free(e->values);
	free(e->why);
}

/* ---- finding and verifying entries ---------------------------------------- */

/* A small file of the entry, whole and NUL-terminated. */
static int read_small(int dirfd, const char *name, size_t max, char **ret, size_t *ret_len)
{
	struct stat st;
	char *buf;
	ssize_t n;
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > max) {
		close(fd);
		return -EFBIG;
	}
	buf = xmalloc((size_t)st.st_size + 1);
	n = read(fd, buf, (size_t)st.st_size);
	close(fd);
	if (n != st.st_size) {
		free(buf);
		return -EIO;
	}
	buf[n] = '\0';
	*ret = buf;
	*ret_len = (size_t)n;
	return 0;
}

/* The hash SHA256SUMS gives name, or NULL. */
static bool sums_lookup(const char *sums, const char *name, char ret[65])
{
	const char *line;

	for (line = sums; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		size_t n = strlen(name);

		if (strspn(line, "0123456789abcdef") == 64 && strncmp(line + 64, "  ", 2) == 0 &&
		    strncmp(line + 66, name, n) == 0 && (line[66 + n] == '\n' || !line[66 + n])) {
			memcpy(ret, line, 64);
			ret[64] = '\0';
			return true;
		}
	}
	return false;
}

static bool get_u64(json_t *obj, const char *key, uint64_t max, uint64_t *ret)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    (uint64_t)json_integer_value(v) > max)
		return false;
	*ret = (uint64_t)json_integer_value(v);
	return true;
}

/* The manifest's ipc and content members into e; a problem, or NULL. */
static char *manifest_fields(struct entry *e, json_t *m)
{
	json_t *ipc = json_object_get(m, "ipc"), *content = json_object_get(m, "content");
	const char *key = json_string_value(json_object_get(ipc, "key"));
	const char *mode = json_string_value(json_object_get(ipc, "mode"));
	uint64_t id, uid, gid, n;
	size_t i;

	if (!json_is_object(ipc) || !json_is_object(content))
		return xstrdup("manifest.json: no ipc or content object");
	if (!key || parse_ipc_key(key, &e->key) < 0 || !mode || parse_octal(mode, &e->mode) < 0 ||
	    e->mode > 0777 || !get_u64(ipc, "id", INT32_MAX, &id) ||
	    !get_u64(ipc, "uid", UINT32_MAX - 1, &uid) || !get_u64(ipc, "gid", UINT32_MAX - 1, &gid))
		return xstrdup("manifest.json: a bad ipc member (key, mode, id, uid or gid)");
	e->old_id = (int)id;
	e->uid = (uint32_t)uid;
	e->gid = (uint32_t)gid;
	if (e->kind == &sem_kind) {
		json_t *values = json_object_get(content, "values");

		if (!get_u64(ipc, "nsems", 32000, &n) || !json_is_array(values) ||
		    json_array_size(values) != n || n == 0)
			return xstrdup("manifest.json: nsems and the values do not agree");
		e->nvalues = n;
		e->values = xcalloc(n, sizeof(*e->values));
		for (i = 0; i < n; i++) {
			json_t *v = json_array_get(values, i);

			if (!json_is_integer(v) || json_integer_value(v) < 0 ||
			    json_integer_value(v) > SEMVMX)
				return xasprintf("manifest.json: semaphore %zu has a bad value", i);
			e->values[i] = (unsigned short)json_integer_value(v);
		}
		return NULL;
	}
	{
		const char *sha = json_string_value(json_object_get(content, "sha256"));

		if (!get_u64(content, "bytes", UINT64_MAX >> 1, &e->data_bytes) || !sha ||
		    strlen(sha) != 64 || strspn(sha, "0123456789abcdef") != 64)
			return xstrdup("manifest.json: content needs bytes and sha256");
		memcpy(e->data_sha, sha, 65);
	}
	if (e->kind == &shm_kind) {
		if (!get_u64(ipc, "size", UINT64_MAX >> 1, &e->size) || e->size == 0 ||
		    e->size != e->data_bytes)
			return xstrdup("manifest.json: the segment's size and content bytes differ");
		return NULL;
	}
	{
		json_t *msgs = json_object_get(content, "messages");
		uint64_t sum = 0;

		if (!get_u64(ipc, "qbytes", UINT64_MAX >> 1, &e->qbytes) || !json_is_array(msgs))
			return xstrdup("manifest.json: a queue needs qbytes and messages");
		e->nmsgs = json_array_size(msgs);
		e->types = xcalloc(e->nmsgs + 1, sizeof(*e->types));
		e->sizes = xcalloc(e->nmsgs + 1, sizeof(*e->sizes));
		for (i = 0; i < e->nmsgs; i++) {
			json_t *one = json_array_get(msgs, i);
			uint64_t type, bytes;

			if (!get_u64(one, "type", LONG_MAX, &type) || type == 0 ||
			    !get_u64(one, "bytes", e->data_bytes, &bytes))
				return xasprintf("manifest.json: message %zu: a bad type or size", i);
			e->types[i] = (long)type;
			e->sizes[i] = (size_t)bytes;
			sum += bytes;
		}
		if (sum != e->data_bytes)
			return xstrdup("manifest.json: the messages' sizes do not add up to bytes");
	}
	return NULL;
}

/* Checks the entry's files and reads its manifest; a problem, or NULL. */
static char *verify_entry(struct entry *e)
{
	_cleanup_free_ char *sums = NULL, *text = NULL;
	char want[65], got[65];
	size_t len;
	uint64_t size;
	json_error_t err;
	json_t *m;
	const char *format, *kind;
	char *problem = NULL;
	int r;

	if (read_small(e->fd, "SHA256SUMS", 4096, &sums, &len) < 0)
		return xstrdup("SHA256SUMS: missing or unreadable");
	if (!sums_lookup(sums, "manifest.json", want))
		return xstrdup("SHA256SUMS: no line for manifest.json");
	r = read_small(e->fd, "manifest.json", MANIFEST_MAX, &text, &len);
	if (r < 0)
		return xasprintf("manifest.json: %s", strerror(-r));
	backup_sha256_hex(text, len, got);
	if (strcmp(got, want) != 0)
		return xstrdup("manifest.json: sha256 does not match SHA256SUMS (changed or damaged)");
	m = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
	if (!m)
		return xasprintf("manifest.json: not JSON (line %d: %s)", err.line, err.text);
	format = json_string_value(json_object_get(m, "format"));
	kind = json_string_value(json_object_get(m, "kind"));
	if (!format || strcmp(format, BACKUP_FORMAT) != 0)
		problem = xstrdup("manifest.json: not an ipcinspect backup");
	else if (!json_is_integer(json_object_get(m, "version")) ||
		 json_integer_value(json_object_get(m, "version")) != BACKUP_VERSION)
		problem = xasprintf("manifest.json: not format version %d, the one this "
				    "ipcinspect reads", BACKUP_VERSION);
	else if (!kind || !(e->kind = strcmp(kind, "shm") == 0 ? &shm_kind :
				      strcmp(kind, "msg") == 0 ? &msg_kind :
				      strcmp(kind, "sem") == 0 ? &sem_kind : NULL))
		problem = xstrdup("manifest.json: kind is not shm, msg or sem");
	else
		problem = manifest_fields(e, m);
	json_decref(m);
	if (problem || e->kind == &sem_kind)
		return problem;
	if (!sums_lookup(sums, "data", want) || strcmp(want, e->data_sha) != 0)
		return xstrdup("SHA256SUMS and manifest.json disagree on data's sha256");
	r = backup_sha256_file(e->fd, "data", &size, got);
	if (r < 0)
		return xasprintf("data: %s", strerror(-r));
	if (size != e->data_bytes)
		return xasprintf("data: %" PRIu64 " bytes, the manifest says %" PRIu64 " (truncated "
				 "or damaged)", size, e->data_bytes);
	if (strcmp(got, e->data_sha) != 0)
		return xstrdup("data: sha256 does not match (changed or damaged)");
	return NULL;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void add_entry(struct vec *entries, int fd, char *path)
{
	struct entry e = { .path = path, .fd = fd, .new_id = -1 };

	vec_push(entries, &e);
}

/*
 * PATH is an entry (it holds manifest.json) or a directory of entries:
 * each subdirectory holding one, in name order; names starting with '.'
 * (an entry being written) and symbolic links are passed over.
 */
static int find_entries(const char *path, struct vec *entries, char **ret_why)
{
	_cleanup_free_ char **names = NULL;
	size_t n = 0, cap = 0, i;
	struct dirent *de;
	struct stat st;
	DIR *dir;
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC), dfd;

	if (fd < 0) {
		*ret_why = xstrdup(strerror(errno));
		return -errno;
	}
	if (fstatat(fd, "manifest.json", &st, AT_SYMLINK_NOFOLLOW) == 0) {
		add_entry(entries, fd, xstrdup(path));
		return 0;
	}
	dfd = dup(fd);
	dir = dfd < 0 ? NULL : fdopendir(dfd);
	if (!dir) {
		*ret_why = xstrdup(strerror(errno));
		if (dfd >= 0)
			close(dfd);
		close(fd);
		return -errno;
	}
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			names = xreallocarray(names, cap, sizeof(*names));
		}
		names[n++] = xstrdup(de->d_name);
	}
	closedir(dir);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n; i++) {
		int efd = openat(fd, names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

		if (efd >= 0 && fstatat(efd, "manifest.json", &st, AT_SYMLINK_NOFOLLOW) == 0)
			add_entry(entries, efd, xasprintf("%s/%s", path, names[i]));
		else if (efd >= 0)
			close(efd);
		free(names[i]);
	}
	close(fd);
	if (n == 0 || entries->len == 0) {
		*ret_why = xstrdup("no backup entry here (no manifest.json)");
		return -ENOENT;
	}
	return 0;
}

/* ---- recreating ------------------------------------------------------------ */

/* The id of the object holding key now, or -1 (key 0 never collides). */
static int key_holder(const struct entry *e)
{
	int id;

	if (e->key == IPC_PRIVATE)
		return -1;
	if (e->kind == &shm_kind)
		id = shmget((key_t)e->key, 0, 0);
	else if (e->kind == &msg_kind)
		id = msgget((key_t)e->key, 0);
	else
		id = semget((key_t)e->key, 0, 0);
	return id;
}

static int remove_id(const struct ipc_kind *kind, int id)
{
	union semun arg = { 0 };

	if (kind == &shm_kind)
		return shmctl(id, IPC_RMID, NULL);
	if (kind == &msg_kind)
		return msgctl(id, IPC_RMID, NULL);
	return semctl(id, 0, IPC_RMID, arg);
}

/* kernel.{shm,msg,sem}_next_id (KERNEL-NOTES 2.7); -errno. */
static int set_next_id(const struct ipc_kind *kind, int id)
{
	_cleanup_free_ char *path = xasprintf("/proc/sys/kernel/%s_next_id", kind->name);
	char text[16];
	int fd = open(path, O_WRONLY | O_CLOEXEC), n, e = 0;

	if (fd < 0)
		return -errno;
	n = snprintf(text, sizeof(text), "%d", id);
	if (write(fd, text, (size_t)n) != n)
		e = errno ? errno : EIO;
	close(fd);
	return -e;
}

/* Reads data into buf (n bytes) and checks it is still what was verified. */
static int read_data(const struct entry *e, void *buf, size_t n)
{
	char got[65];
	size_t done = 0;
	int fd = openat(e->fd, "data", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	while (done < n) {
		ssize_t r = read(fd, (char *)buf + done, n - done);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			close(fd);
			return r < 0 ? -errno : -EIO;
		}
		done += (size_t)r;
	}
	close(fd);
	backup_sha256_hex(n ? buf : "", n, got);
	return strcmp(got, e->data_sha) == 0 ? 0 : -EBADMSG;
}

/* "shmget: No space left on device", with errno kept for the caller. */
static char *get_failed(const char *what)
{
	int e = errno;
	char *why = xasprintf("%s: %s", what, strerror(e));

	errno = e;
	return why;
}

static char *create_shm(const struct entry *e, int flags, int *ret_id)
{
	struct shmid_ds ds;
	void *p;
	int id = shmget((key_t)e->key, (size_t)e->size, flags), r;

	if (id < 0)
		return get_failed("shmget");
	*ret_id = id;
	p = shmat(id, NULL, 0);
	if (p == (void *)-1)
		return xasprintf("shmat: %s", strerror(errno));
	r = read_data(e, p, (size_t)e->size);
	shmdt(p);
	if (r < 0)
		return xasprintf("data: %s", r == -EBADMSG ? "changed since it was verified"
							  : strerror(-r));
	if (shmctl(id, IPC_STAT, &ds) < 0)
		return xasprintf("shmctl IPC_STAT: %s", strerror(errno));
	ds.shm_perm.uid = e->uid;
	ds.shm_perm.gid = e->gid;
	ds.shm_perm.mode = e->mode;
	if (shmctl(id, IPC_SET, &ds) < 0)
		return xasprintf("setting the owner and mode: %s", strerror(errno));
	return NULL;
}

static char *create_msg(const struct entry *e, int flags, int *ret_id)
{
	_cleanup_free_ char *data = xmalloc(e->data_bytes + 1);
	_cleanup_free_ char *buf = xmalloc(sizeof(long) + e->data_bytes + 1);
	struct msqid_ds ds;
	size_t i, off = 0;
	int id = msgget((key_t)e->key, flags), r;

	if (id < 0)
		return get_failed("msgget");
	*ret_id = id;
	r = read_data(e, data, (size_t)e->data_bytes);
	if (r < 0)
		return xasprintf("data: %s", r == -EBADMSG ? "changed since it was verified"
							  : strerror(-r));
	if (msgctl(id, IPC_STAT, &ds) < 0)
		return xasprintf("msgctl IPC_STAT: %s", strerror(errno));
	/* room for the messages first: above msgmnb it takes CAP_SYS_RESOURCE */
	ds.msg_qbytes = e->qbytes;
	if (msgctl(id, IPC_SET, &ds) < 0)
		return xasprintf("setting qbytes to %" PRIu64 ": %s", e->qbytes, strerror(errno));
	for (i = 0; i < e->nmsgs; i++) {
		*(long *)buf = e->types[i];
		memcpy(buf + sizeof(long), data + off, e->sizes[i]);
		off += e->sizes[i];
		if (msgsnd(id, buf, e->sizes[i], IPC_NOWAIT) < 0)
			return xasprintf("msgsnd of message %zu: %s", i, strerror(errno));
	}
	if (msgctl(id, IPC_STAT, &ds) < 0)
		return xasprintf("msgctl IPC_STAT: %s", strerror(errno));
	ds.msg_perm.uid = e->uid;
	ds.msg_perm.gid = e->gid;
	ds.msg_perm.mode = e->mode;
	if (msgctl(id, IPC_SET, &ds) < 0)
		return xasprintf("setting the owner and mode: %s", strerror(errno));
	return NULL;
}

static char *create_sem(const struct entry *e, int flags, int *ret_id)
{
	struct semid_ds ds;
	union semun arg;
	int id = semget((key_t)e->key, (int)e->nvalues, flags);

	if (id < 0)
		return get_failed("semget");
	*ret_id = id;
	arg.array = e->values;
	if (semctl(id, 0, SETALL, arg) < 0)
		return xasprintf("semctl SETALL: %s", strerror(errno));
	arg.buf = &ds;
	if (semctl(id, 0, IPC_STAT, arg) < 0)
		return xasprintf("semctl IPC_STAT: %s", strerror(errno));
	ds.sem_perm.uid = e->uid;
	ds.sem_perm.gid = e->gid;
	ds.sem_perm.mode = e->mode;
	if (semctl(id, 0, IPC_SET, arg) < 0)
		return xasprintf("setting the owner and mode: %s", strerror(errno));
	return NULL;
}

static void log_restore(const struct entry *e, bool replaced)
{
	_cleanup_free_ char *path = escape_str(e->path, ESCAPE_TERM);

	openlog("ipcinspect", LOG_PID, LOG_AUTHPRIV);
	syslog(LOG_NOTICE, "restored %s id=%d key=0x%08" PRIx32 " owner=%" PRIu32 " from %s%s "
	       "by uid=%u", e->kind->name, e->new_id, e->key, e->uid, path,
	       replaced ? " (replacing the object that held the key)" : "", (unsigned)getuid());
	closelog();
}

/* Recreates one verified entry: sets e->action, e->why, e->new_id. */
static void restore_one(const struct options *o, struct entry *e)
{
	int holder = key_holder(e), flags = IPC_CREAT | (int)e->mode, id = -1;
	char *why = NULL;

	if (e->key != IPC_PRIVATE)
		flags |= IPC_EXCL;
	if (holder >= 0 && !o->replace) {
		e->action = "skipped";
		e->why = xasprintf("key 0x%08" PRIx32 " exists now (id %d): --replace removes that "
				   "object first", e->key, holder);
		return;
	}
	if (!o->yes) {
		e->action = "would-restore";
		if (holder >= 0)
			e->why = xasprintf("would remove id %d, which holds the key now", holder);
		return;
	}
	if (holder >= 0 && remove_id(e->kind, holder) < 0) {
		e->action = "failed";
		e->why = xasprintf("removing id %d, which holds the key: %s", holder, strerror(errno));
		return;
	}
	if (o->same_id) {
		int r = set_next_id(e->kind, e->old_id);

		if (r < 0) {
			e->action = "failed";
			e->why = xasprintf("--same-id: cannot set kernel.%s_next_id: %s%s", e->kind->name,
					   strerror(-r), r == -EACCES || r == -EPERM ? " (root only)" : "");
			return;
		}
	}
	why = e->kind == &shm_kind ? create_shm(e, flags, &id) :
	      e->kind == &msg_kind ? create_msg(e, flags, &id) : create_sem(e, flags, &id);
	if (o->same_id && id < 0) {
		bool taken = errno == ENOSPC;	/* the id's index is in use */

		set_next_id(e->kind, -1);	/* not used up: nobody else may get it */
		if (taken) {
			free(why);
			why = xasprintf("--same-id: id %d is taken in this namespace", e->old_id);
		}
	} else if (!why && o->same_id && id != e->old_id) {
		why = xasprintf("--same-id: got id %d, not %d", id, e->old_id);
	}
	if (why) {
		if (id >= 0)
			remove_id(e->kind, id);	/* half made: not left behind */
		e->action = "failed";
		e->why = why;
		return;
	}
	e->action = "restored";
	e->new_id = id;
	if (holder >= 0)
		e->why = xasprintf("replaced id %d, which held the key", holder);
	if (!o->no_syslog)
		log_restore(e, holder >= 0);
}

/* ---- the report -------------------------------------------------------------- */

static size_t count(const struct vec *entries, const char *action)
{
	size_t i, n = 0;

	for (i = 0; i < entries->len; i++) {
		const struct entry *e = vec_at(entries, i);

		n += e->action && strcmp(e->action, action) == 0;
	}
	return n;
}

static void entry_json(struct jw *w, const struct entry *e)
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
	VALUE_U32(&v, VAL_KEY, e->key);
	if (e->action)
		value_write_json(w, &v, NULL);
	else
		jw_null(w);
	jw_key(w, "old_id");
	if (e->action)
		jw_s64(w, e->old_id);
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
		const struct entry *e = vec_at(entries, i);
		_cleanup_free_ char *path = escape_str(e->path, ESCAPE_TERM);
		_cleanup_free_ char *why = e->why ? escape_str(e->why, ESCAPE_TERM) : NULL;
		_cleanup_free_ char *id = e->new_id >= 0 ? xasprintf(" as id %d", e->new_id)
						       : xstrdup("");

		printf("%s %s %d key 0x%08" PRIx32 "%s from %s%s%s%s\n", e->action, e->kind->name,
		       e->old_id, e->key, id, path, why ? " (" : "", why ? why : "", why ? ")" : "");
	}
	if (dry_run)
		printf("dry run: %zu would be restored, %zu skipped; nothing was created%s\n",
		       count(entries, "would-restore"), count(entries, "skipped"),
		       count(entries, "would-restore") ? ": run with --yes to restore them" : "");
	else
		printf("%zu restored, %zu skipped, %zu failed\n", count(entries, "restored"),
		       count(entries, "skipped"), count(entries, "failed"));
}

int cmd_restore(const struct options *o, const struct snapshot *s)
{
	struct vec entries = VEC_INIT(struct entry), problems = VEC_INIT(struct entry);
	size_t i;
	int status = EXIT_OK;

	for (i = 0; i < o->npaths; i++) {
		char *why = NULL;

		if (find_entries(o->paths[i], &entries, &why) < 0) {
			struct entry bad = { .path = xstrdup(o->paths[i]), .fd = -1, .new_id = -1,
					     .why = why };

			vec_push(&problems, &bad);
		}
	}
	/* every entry verified before anything is created: all or nothing */
	for (i = 0; i < entries.len; i++) {
		struct entry *e = vec_at(&entries, i);
		char *why = verify_entry(e);

		if (why) {
			struct entry bad = { .path = xstrdup(e->path), .fd = -1, .new_id = -1,
					     .why = why, .kind = e->kind };

			vec_push(&problems, &bad);
		}
	}
	for (i = 0; i < problems.len; i++) {
		const struct entry *e = vec_at(&problems, i);
		_cleanup_free_ char *path = escape_str(e->path, ESCAPE_TERM);
		_cleanup_free_ char *why = escape_str(e->why, ESCAPE_TERM);

		fprintf(stderr, "ipcinspect: restore %s: %s\n", path, why);
	}
	if (problems.len) {
		fprintf(stderr, "ipcinspect: restore: %zu of the backups %s refused: nothing was "
			"created\n", problems.len, problems.len == 1 ? "was" : "were");
		status = EXIT_DATA;
	} else {
		for (i = 0; i < entries.len; i++)
			restore_one(o, vec_at(&entries, i));
		if (count(&entries, "failed") || count(&entries, "skipped"))
			status = EXIT_DATA;
	}
	if (o->render.json)
		print_json(&entries, &problems, s, !o->yes);
	else if (!problems.len)
		print_text(&entries, !o->yes);
	for (i = 0; i < entries.len; i++)
		entry_free(vec_at(&entries, i));
	for (i = 0; i < problems.len; i++)
		entry_free(vec_at(&problems, i));
	vec_free(&entries);
	vec_free(&problems);
	return status;
}
