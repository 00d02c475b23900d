/*
 * The backup format as text: see backupfmt.h.  The manifest is read with
 * jansson (a parser we did not write, for a file that may have been
 * edited by hand), duplicate members refused.
 */
#include "config.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdbool.h>
#include <string.h>

#include "backupfmt.h"
#include "strutils.h"
#include "xalloc.h"

#define SEMVMX 32767	/* the largest semaphore value */
#define NSEMS_MAX 32000	/* SEMMSL's largest value */

static const char *const kind_names[] = {
	[BACKUPFMT_SHM] = "shm", [BACKUPFMT_MSG] = "msg", [BACKUPFMT_SEM] = "sem",
};

const char *backupfmt_kind_name(enum backupfmt_kind kind)
{
	return kind_names[kind];
}

static bool is_hex64(const char *s)
{
	return strspn(s, "0123456789abcdef") == 64;
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

void backupfmt_manifest_free(struct backupfmt_manifest *m)
{
	free(m->types);
	free(m->sizes);
	free(m->values);
	m->types = NULL;
	m->sizes = NULL;
	m->values = NULL;
}

static char *sem_fields(struct backupfmt_manifest *m, json_t *ipc, json_t *content)
{
	json_t *values = json_object_get(content, "values");
	uint64_t n;
	size_t i;

	if (!get_u64(ipc, "nsems", NSEMS_MAX, &n) || !json_is_array(values) ||
	    json_array_size(values) != n || n == 0)
		return xstrdup("manifest.json: nsems and the values do not agree");
	m->nvalues = n;
	m->values = xcalloc(n, sizeof(*m->values));
	for (i = 0; i < n; i++) {
		json_t *v = json_array_get(values, i);

		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > SEMVMX)
			return xasprintf("manifest.json: semaphore %zu has a bad value", i);
		m->values[i] = (unsigned short)json_integer_value(v);
	}
	return NULL;
}

static char *msg_fields(struct backupfmt_manifest *m, json_t *ipc, json_t *content)
{
	json_t *msgs = json_object_get(content, "messages");
	uint64_t sum = 0;
	size_t i;

	if (!get_u64(ipc, "qbytes", UINT64_MAX >> 1, &m->qbytes) || !json_is_array(msgs))
		return xstrdup("manifest.json: a queue needs qbytes and messages");
	m->nmsgs = json_array_size(msgs);
	m->types = xcalloc(m->nmsgs + 1, sizeof(*m->types));
	m->sizes = xcalloc(m->nmsgs + 1, sizeof(*m->sizes));
	for (i = 0; i < m->nmsgs; i++) {
		json_t *one = json_array_get(msgs, i);
		uint64_t type, bytes;

		if (!get_u64(one, "type", LONG_MAX, &type) || type == 0 ||
		    !get_u64(one, "bytes", m->data_bytes - sum, &bytes))
			return xasprintf("manifest.json: message %zu: a bad type or size (or the "
					 "sizes add up to more than bytes)", i);
		m->types[i] = (long)type;
		m->sizes[i] = (size_t)bytes;
		sum += bytes;
	}
	if (sum != m->data_bytes)
		return xstrdup("manifest.json: the messages' sizes do not add up to bytes");
	return NULL;
}

/* The ipc and content members into m; a problem, or NULL. */
static char *manifest_fields(struct backupfmt_manifest *m, json_t *root)
{
	json_t *ipc = json_object_get(root, "ipc"), *content = json_object_get(root, "content");
	const char *key = json_string_value(json_object_get(ipc, "key"));
	const char *mode = json_string_value(json_object_get(ipc, "mode"));
	const char *file, *sha;
	uint64_t id, uid, gid;

	if (!json_is_object(ipc) || !json_is_object(content))
		return xstrdup("manifest.json: no ipc or content object");
	if (!key || parse_ipc_key(key, &m->key) < 0 || !mode || parse_octal(mode, &m->mode) < 0 ||
	    m->mode > 0777 || !get_u64(ipc, "id", INT32_MAX, &id) ||
	    !get_u64(ipc, "uid", UINT32_MAX - 1, &uid) || !get_u64(ipc, "gid", UINT32_MAX - 1, &gid))
		return xstrdup("manifest.json: a bad ipc member (key, mode, id, uid or gid)");
	m->old_id = (int)id;
	m->uid = (uint32_t)uid;
	m->gid = (uint32_t)gid;
	if (m->kind == BACKUPFMT_SEM)
		return sem_fields(m, ipc, content);
	file = json_string_value(json_object_get(content, "file"));
	sha = json_string_value(json_object_get(content, "sha256"));
	if (!file || strcmp(file, "data") != 0 ||
	    !get_u64(content, "bytes", UINT64_MAX >> 1, &m->data_bytes) || !sha ||
	    strlen(sha) != 64 || !is_hex64(sha))
		return xstrdup("manifest.json: content needs file \"data\", bytes and sha256");
	memcpy(m->data_sha, sha, 65);
	if (m->kind == BACKUPFMT_MSG)
		return msg_fields(m, ipc, content);
	if (!get_u64(ipc, "size", UINT64_MAX >> 1, &m->size) || m->size == 0 ||
	    m->size != m->data_bytes)
		return xstrdup("manifest.json: the segment's size and content bytes differ");
	return NULL;
}

/* The format, version and kind members; a problem, or NULL. */
static char *manifest_header(struct backupfmt_manifest *m, json_t *root)
{
	const char *format = json_string_value(json_object_get(root, "format"));
	const char *kind = json_string_value(json_object_get(root, "kind"));
	json_t *version = json_object_get(root, "version");
	size_t k;

	if (!json_is_object(root))
		return xstrdup("manifest.json: not a JSON object");
	if (!format || strcmp(format, BACKUP_FORMAT) != 0)
		return xstrdup("manifest.json: not an ipcinspect backup");
	if (!json_is_integer(version) || json_integer_value(version) != BACKUP_VERSION)
		return xasprintf("manifest.json: not format version %d, the one this ipcinspect "
				 "reads", BACKUP_VERSION);
	for (k = 0; kind && k < sizeof(kind_names) / sizeof(kind_names[0]); k++)
		if (strcmp(kind, kind_names[k]) == 0) {
			m->kind = (enum backupfmt_kind)k;
			return NULL;
		}
	return xstrdup("manifest.json: kind is not shm, msg or sem");
}

int backupfmt_parse_manifest(const char *text, size_t len, struct backupfmt_manifest *ret,
			     char **ret_why)
{
	struct backupfmt_manifest m = { 0 };
	json_error_t err;
	json_t *root;
	char *why;

	if (len > BACKUPFMT_MANIFEST_MAX) {
		*ret_why = xstrdup("manifest.json: too large");
		return -EBADMSG;
	}
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
	if (!root) {
		/* err.text may quote the input: escaped where it is shown */
		*ret_why = xasprintf("manifest.json: not JSON (line %d: %s)", err.line, err.text);
		return -EBADMSG;
	}
	why = manifest_header(&m, root);
	if (!why)
		why = manifest_fields(&m, root);
	json_decref(root);
	if (why) {
		backupfmt_manifest_free(&m);
		*ret_why = why;
		return -EBADMSG;
	}
	*ret = m;
	return 0;
}

/* One line "HEX  NAME" (without its newline) into s; a problem, or NULL. */
static char *sums_line(const char *line, size_t n, size_t lineno, struct backupfmt_sums *s)
{
	const char *name;
	size_t namelen;
	char *slot;

	if (n < 67 || !is_hex64(line) || line[64] != ' ' || line[65] != ' ')
		return xasprintf("SHA256SUMS: line %zu is not \"HEX  NAME\" (64 lower-case hex "
				 "digits, two spaces, a name)", lineno);
	name = line + 66;
	namelen = n - 66;
	if (namelen == strlen("manifest.json") && memcmp(name, "manifest.json", namelen) == 0)
		slot = s->manifest_sha;
	else if (namelen == strlen("data") && memcmp(name, "data", namelen) == 0)
		slot = s->data_sha;
	else
		return xasprintf("SHA256SUMS: line %zu names a file that is not manifest.json or "
				 "data", lineno);
	if (*slot)
		return xasprintf("SHA256SUMS: line %zu lists a file a second time", lineno);
	memcpy(slot, line, 64);
	slot[64] = '\0';
	return NULL;
}

int backupfmt_parse_sums(const char *text, size_t len, struct backupfmt_sums *ret,
			 char **ret_why)
{
	struct backupfmt_sums s = { "", "" };
	size_t off = 0, lineno = 0;

	if (len > BACKUPFMT_SUMS_MAX) {
		*ret_why = xstrdup("SHA256SUMS: too large");
		return -EBADMSG;
	}
	if (memchr(text, '\0', len)) {
		*ret_why = xstrdup("SHA256SUMS: holds a NUL byte");
		return -EBADMSG;
	}
	while (off < len) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - (text + off)) : len - off;
		char *why;

		lineno++;
		if (!nl) {
			*ret_why = xasprintf("SHA256SUMS: line %zu has no newline", lineno);
			return -EBADMSG;
		}
		why = sums_line(text + off, n, lineno, &s);
		if (why) {
			*ret_why = why;
			return -EBADMSG;
		}
		off += n + 1;
	}
	if (!*s.manifest_sha) {
		*ret_why = xstrdup("SHA256SUMS: no line for manifest.json");
		return -EBADMSG;
	}
	*ret = s;
	return 0;
}

char *backupfmt_sums_text(const char *manifest_sha, const char *data_sha)
{
	/* `sha256sum -c SHA256SUMS` in the entry checks it without us */
	if (data_sha)
		return xasprintf("%s  manifest.json\n%s  data\n", manifest_sha, data_sha);
	return xasprintf("%s  manifest.json\n", manifest_sha);
}
