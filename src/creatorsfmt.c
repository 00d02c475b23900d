/*
 * The creators state file as text: see creatorsfmt.h.  Read with jansson
 * (a parser we did not write, for a file anybody with the right could
 * have edited), duplicate members refused; every member of every entry
 * checked for its type and range before any of it is kept.
 */
#include "config.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "creatorsfmt.h"
#include "strutils.h"
#include "xalloc.h"

#define KIND_NAME(id, name) #name,
static const char *const kind_names[KIND_COUNT] = { IPC_KINDS(KIND_NAME) };
#undef KIND_NAME

void creator_memory_free(struct creator_memory *m)
{
	size_t i;

	free(m->comm);
	for (i = 0; m->argv && m->argv[i]; i++)
		free(m->argv[i]);
	free(m->argv);
	free(m->user);
	free(m->unit);
	free(m->container);
	memset(m, 0, sizeof(*m));
}

#define CMP(x, y) ((x) < (y) ? -1 : (x) > (y))

int creator_memory_cmp(const void *a, const void *b)
{
	const struct creator_memory *x = a, *y = b;

	if (x->ipc_ns != y->ipc_ns)
		return CMP(x->ipc_ns, y->ipc_ns);
	if (x->kind != y->kind)
		return CMP(x->kind, y->kind);
	if (x->id != y->id)
		return CMP(x->id, y->id);
	return CMP(x->ctime, y->ctime);
}

char *creator_memory_text(const struct creator_memory *m)
{
	char cmd[CREATORS_TEXT_ARGV + 4] = "";
	size_t i, len = 0;

	for (i = 0; m->argv && m->argv[i] && len < CREATORS_TEXT_ARGV; i++)
		len += (size_t)snprintf(cmd + len, CREATORS_TEXT_ARGV + 1 - len, "%s%s",
					i ? " " : "", m->argv[i]);
	if (len > CREATORS_TEXT_ARGV)
		strcpy(cmd + CREATORS_TEXT_ARGV, "...");
	return xasprintf("was %s%s%s%s%s", len ? cmd : m->comm ? m->comm : "?",
			 m->unit ? ", unit " : "", m->unit ? m->unit : "",
			 m->container ? ", container " : "", m->container ? m->container : "");
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

char *creatorsfmt_unescape(const char *s, size_t n)
{
	char *ret = xmalloc(n + 1), *o = ret;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '\0')
			goto bad;
		if (s[i] != '\\') {
			*o++ = s[i];
			continue;
		}
		if (i + 1 < n && s[i + 1] == '\\') {
			*o++ = '\\';
			i++;
		} else if (i + 3 < n && s[i + 1] == 'x' && hexval(s[i + 2]) >= 0 &&
			   hexval(s[i + 3]) >= 0 && (hexval(s[i + 2]) | hexval(s[i + 3]))) {
			*o++ = (char)(hexval(s[i + 2]) << 4 | hexval(s[i + 3]));
			i += 3;
		} else {
			goto bad;
		}
	}
	*o = '\0';
	return ret;
bad:
	free(ret);
	return NULL;
}

static bool get_int(json_t *obj, const char *key, json_int_t min, json_int_t max, int64_t *ret)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
		return false;
	*ret = (int64_t)json_integer_value(v);
	return true;
}

/* A string (null allowed when nullable) into *ret, unescaped. */
static bool str_of(json_t *v, bool nullable, char **ret)
{
	*ret = NULL;
	if (nullable && json_is_null(v))
		return true;
	if (!json_is_string(v) || json_string_length(v) > CREATORS_STR_MAX * 4)
		return false;
	*ret = creatorsfmt_unescape(json_string_value(v), json_string_length(v));
	if (*ret && strlen(*ret) > CREATORS_STR_MAX) {
		free(*ret);
		*ret = NULL;
	}
	return *ret != NULL;
}

static bool get_str(json_t *obj, const char *key, bool nullable, char **ret)
{
	return str_of(json_object_get(obj, key), nullable, ret);
}

static bool get_argv(json_t *obj, char ***ret)
{
	json_t *arr = json_object_get(obj, "argv");
	size_t i, n = json_array_size(arr);
	json_t *one;

	if (!json_is_array(arr) || n > CREATORS_ARGV_MAX)
		return false;
	*ret = xcalloc(n + 1, sizeof(**ret));
	json_array_foreach(arr, i, one)
		if (!str_of(one, false, &(*ret)[i]))
			return false;
	return true;
}

static bool get_kind(json_t *obj, enum kind_id *ret)
{
	const char *name = json_string_value(json_object_get(obj, "kind"));
	size_t k;

	for (k = 0; name && k < KIND_COUNT; k++)
		if (strcmp(name, kind_names[k]) == 0) {
			*ret = (enum kind_id)k;
			return true;
		}
	return false;
}

/* One entry into *m; the name of the first bad member, or NULL. */
static const char *entry_fields(json_t *e, struct creator_memory *m)
{
	int64_t v;

	if (!json_is_object(e))
		return "entry";
	if (!get_int(e, "ipc_ns", 1, (json_int_t)1 << 53, &v))
		return "ipc_ns";
	m->ipc_ns = (uint64_t)v;
	if (!get_kind(e, &m->kind))
		return "kind";
	if (!get_int(e, "id", 0, INT_MAX, &v))
		return "id";
	m->id = (int)v;
	if (!get_int(e, "ctime", 1, (json_int_t)1 << 53, &m->ctime))
		return "ctime";
	if (!get_int(e, "pid", 1, CREATORS_PID_MAX, &v))
		return "pid";
	m->pid = (int)v;
	if (!get_int(e, "start_ms", 1, (json_int_t)1 << 53, &m->start_ms))
		return "start_ms";
	if (!get_str(e, "comm", false, &m->comm) || strlen(m->comm) > 64)
		return "comm";
	if (!get_argv(e, &m->argv))
		return "argv";
	if (!get_int(e, "uid", 0, UINT32_MAX - 1, &v))
		return "uid";
	m->euid = (uint32_t)v;
	if (!get_str(e, "user", true, &m->user))
		return "user";
	if (!get_str(e, "unit", true, &m->unit))
		return "unit";
	if (!get_str(e, "container", true, &m->container))
		return "container";
	if (!get_int(e, "seen", 1, (json_int_t)1 << 53, &m->seen))
		return "seen";
	return NULL;
}

/* The header and the entries of root into *ret; a problem, or NULL. */
static char *parse_root(json_t *root, struct creator_memory **ret, size_t *ret_n)
{
	const char *format = json_string_value(json_object_get(root, "format"));
	json_t *version = json_object_get(root, "version");
	json_t *entries = json_object_get(root, "entries");
	size_t i, n = json_array_size(entries);

	if (!json_is_object(root) || !format || strcmp(format, CREATORS_FORMAT) != 0)
		return xstrdup("not an ipcinspect creators file");
	if (!json_is_integer(version) || json_integer_value(version) != CREATORS_VERSION)
		return xasprintf("not format version %d, the one this ipcinspect reads",
				 CREATORS_VERSION);
	if (!json_is_array(entries))
		return xstrdup("no entries array");
	if (n > CREATORS_ENTRIES_MAX)
		return xasprintf("more than %d entries", CREATORS_ENTRIES_MAX);
	*ret = xcalloc(n ? n : 1, sizeof(**ret));
	*ret_n = n;
	for (i = 0; i < n; i++) {
		const char *bad = entry_fields(json_array_get(entries, i), &(*ret)[i]);

		if (bad)
			return xasprintf("entry %zu: a bad %s", i + 1, bad);
	}
	qsort(*ret, n, sizeof(**ret), creator_memory_cmp);
	for (i = 1; i < n; i++)
		if (creator_memory_cmp(&(*ret)[i - 1], &(*ret)[i]) == 0)
			return xstrdup("two entries of the same object");
	return NULL;
}

int creatorsfmt_parse(const char *text, size_t len, struct creator_memory **ret, size_t *ret_n,
		      char **ret_why)
{
	struct creator_memory *m = NULL;
	json_error_t err;
	json_t *root;
	size_t i, n = 0;
	char *why;

	*ret = NULL;
	*ret_n = 0;
	if (len > CREATORS_FILE_MAX) {
		*ret_why = xstrdup("larger than 64 MiB");
		return -EBADMSG;
	}
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
	if (!root) {
		/* err.text may quote the input: escaped where it is shown */
		*ret_why = xasprintf("not JSON (line %d: %s)", err.line, err.text);
		return -EBADMSG;
	}
	why = parse_root(root, &m, &n);
	json_decref(root);
	if (why) {
		for (i = 0; m && i < n; i++)
			creator_memory_free(&m[i]);
		free(m);
		*ret_why = why;
		return -EBADMSG;
	}
	*ret = m;
	*ret_n = n;
	return 0;
}
