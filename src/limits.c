/*
 * The "limits" table: every value of doc/kernel-facts.md, "Limits", with the
 * usage the kernel itself counts against it.  Usage comes from SHM_INFO,
 * MSG_INFO and SEM_INFO (the counters the kernel enforces, no permission
 * needed), not from re-adding the listing, so it is right even when the
 * listing is filtered.  It plugs in as a kind so the table, -o, --help
 * and JSON machinery is the same as for the objects.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

#include "jsonw.h"
#include "kind.h"
#include "procparse.h"
#include "strutils.h"
#include "sysvipc.h"
#include "xalloc.h"

/* ULONG_MAX - (1UL << 24): the kernel's "no limit" default of shmmax and shmall. */
#define SHM_UNLIMITED UINT64_C(18446744073692774399)

enum usage { USE_NONE, USE_SHM_SEGMENTS, USE_SHM_PAGES, USE_MSG_QUEUES, USE_SEM_SETS, USE_SEM_SEMS };
enum unlimited_rule { UNL_NEVER, UNL_SHM_DEFAULT, UNL_ZERO };

struct limit_def {
	const char *name;
	const char *path;	/* absolute, for the SOURCE column */
	int word;		/* which word of the file (kernel/sem has 4), or -1 */
	const char *unit;
	const char *description;
	enum usage usage;
	enum unlimited_rule unlimited;
};

static const struct limit_def limit_defs[] = {
	{ "shmmax", "/proc/sys/kernel/shmmax", -1, "bytes", "largest shared memory segment", USE_NONE, UNL_SHM_DEFAULT },
	{ "shmall", "/proc/sys/kernel/shmall", -1, "pages", "shared memory in all segments", USE_SHM_PAGES, UNL_SHM_DEFAULT },
	{ "shmmni", "/proc/sys/kernel/shmmni", -1, "segments", "most shared memory segments", USE_SHM_SEGMENTS, UNL_NEVER },
	{ "shm_rmid_forced", "/proc/sys/kernel/shm_rmid_forced", -1, "boolean", "segments removed when the last user exits", USE_NONE, UNL_NEVER },
	{ "shm_next_id", "/proc/sys/kernel/shm_next_id", -1, "id", "id of the next segment (-1: any)", USE_NONE, UNL_NEVER },
	{ "msgmax", "/proc/sys/kernel/msgmax", -1, "bytes", "largest message", USE_NONE, UNL_NEVER },
	{ "msgmnb", "/proc/sys/kernel/msgmnb", -1, "bytes", "default capacity of a queue", USE_NONE, UNL_NEVER },
	{ "msgmni", "/proc/sys/kernel/msgmni", -1, "queues", "most message queues", USE_MSG_QUEUES, UNL_NEVER },
	{ "msg_next_id", "/proc/sys/kernel/msg_next_id", -1, "id", "id of the next queue (-1: any)", USE_NONE, UNL_NEVER },
	{ "semmsl", "/proc/sys/kernel/sem", 0, "semaphores", "most semaphores in one set", USE_NONE, UNL_NEVER },
	{ "semmns", "/proc/sys/kernel/sem", 1, "semaphores", "most semaphores in all sets", USE_SEM_SEMS, UNL_NEVER },
	{ "semopm", "/proc/sys/kernel/sem", 2, "operations", "most operations in one semop call", USE_NONE, UNL_NEVER },
	{ "semmni", "/proc/sys/kernel/sem", 3, "sets", "most semaphore sets", USE_SEM_SETS, UNL_NEVER },
	{ "sem_next_id", "/proc/sys/kernel/sem_next_id", -1, "id", "id of the next set (-1: any)", USE_NONE, UNL_NEVER },
	{ "mqueue_queues_max", "/proc/sys/fs/mqueue/queues_max", -1, "queues", "most POSIX message queues", USE_NONE, UNL_NEVER },
	{ "mqueue_msg_max", "/proc/sys/fs/mqueue/msg_max", -1, "messages", "most messages in a POSIX queue", USE_NONE, UNL_NEVER },
	{ "mqueue_msgsize_max", "/proc/sys/fs/mqueue/msgsize_max", -1, "bytes", "largest POSIX message", USE_NONE, UNL_NEVER },
	{ "mqueue_msg_default", "/proc/sys/fs/mqueue/msg_default", -1, "messages", "default capacity of a POSIX queue", USE_NONE, UNL_NEVER },
	{ "mqueue_msgsize_default", "/proc/sys/fs/mqueue/msgsize_default", -1, "bytes", "default message size of a POSIX queue", USE_NONE, UNL_NEVER },
	{ "pipe_max_size", "/proc/sys/fs/pipe-max-size", -1, "bytes", "largest pipe buffer for unprivileged users", USE_NONE, UNL_NEVER },
	{ "pipe_user_pages_soft", "/proc/sys/fs/pipe-user-pages-soft", -1, "pages", "pipe buffer pages per user before pipes shrink", USE_NONE, UNL_ZERO },
	{ "pipe_user_pages_hard", "/proc/sys/fs/pipe-user-pages-hard", -1, "pages", "pipe buffer pages per user before pipe() fails", USE_NONE, UNL_ZERO },
};

#define N_LIMITS (sizeof(limit_defs) / sizeof(limit_defs[0]))

struct limit_row {
	const struct limit_def *def;
	bool present;		/* false: the file is missing or unreadable */
	bool negative;		/* value is svalue (e.g. next_id -1) */
	int64_t svalue;
	uint64_t value;
	bool has_used;
	uint64_t used;
};

void limits_read_usage(struct ipc_usage *u)
{
	struct shm_info si;
	struct msginfo mi;
	struct seminfo se;

	memset(u, 0, sizeof(*u));
	if (shmctl(0, SHM_INFO, (struct shmid_ds *)&si) >= 0) {
		u->shm = true;
		u->shm_segments = (uint64_t)si.used_ids;
		u->shm_pages = si.shm_tot;
	}
	if (msgctl(0, MSG_INFO, (struct msqid_ds *)&mi) >= 0) {
		u->msg = true;
		u->msg_queues = (uint64_t)mi.msgpool;
	}
	if (semctl(0, 0, SEM_INFO, &se) >= 0) {
		u->sem = true;
		u->sem_sets = (uint64_t)se.semusz;
		u->sem_sems = (uint64_t)se.semaem;
	}
}

static uint64_t usage_of(enum usage use, const struct ipc_usage *u, bool *ret_has)
{
	*ret_has = true;
	switch (use) {
	case USE_SHM_SEGMENTS:
		*ret_has = u->shm;
		return u->shm_segments;
	case USE_SHM_PAGES:
		*ret_has = u->shm;
		return u->shm_pages;
	case USE_MSG_QUEUES:
		*ret_has = u->msg;
		return u->msg_queues;
	case USE_SEM_SETS:
		*ret_has = u->sem;
		return u->sem_sets;
	case USE_SEM_SEMS:
		*ret_has = u->sem;
		return u->sem_sems;
	case USE_NONE:
		break;
	}
	*ret_has = false;
	return 0;
}

static int limits_collect(const struct collect_ctx *ctx, struct kind_objs *ret)
{
	struct ipc_usage usage;
	size_t i;

	limits_read_usage(&usage);
	for (i = 0; i < N_LIMITS; i++) {
		struct limit_row row = { .def = &limit_defs[i] };
		/* procfd is /proc: open the path relative to it */
		const char *path = limit_defs[i].path + strlen("/proc/");
		_cleanup_free_ char *text = NULL;

		struct sysctl_value v;

		if (read_whole_file_at(ctx->procfd, path, &text, NULL) == 0 &&
		    procparse_sysctl_word(text, limit_defs[i].word, &v) == 0) {
			row.present = true;
			row.negative = v.negative;
			row.svalue = v.svalue;
			row.value = v.value;
		}
		row.used = usage_of(limit_defs[i].usage, &usage, &row.has_used);
		vec_push(&ret->objs, &row);
	}
	return 0;
}

static bool limit_is_unlimited(const struct limit_row *r)
{
	if (!r->present || r->negative)
		return false;
	switch (r->def->unlimited) {
	case UNL_SHM_DEFAULT:
		return r->value >= SHM_UNLIMITED;
	case UNL_ZERO:
		return r->value == 0;
	case UNL_NEVER:
		break;
	}
	return false;
}

static void limit_value_json(struct jw *w, const void *obj, const struct render_opts *opts)
{
	const struct limit_row *r = obj;

	(void)opts;
	if (!r->present)
		jw_null(w);
	else if (r->negative)
		jw_s64(w, r->svalue);
	else
		jw_u64(w, r->value);
}

static char *limit_value_text(const void *obj, const struct render_opts *opts,
			      struct cell_list *ret_list)
{
	const struct limit_row *r = obj;
	struct value v;

	(void)ret_list;
	if (!r->present)
		return xstrdup("-");
	if (limit_is_unlimited(r))
		return xstrdup("unlimited");
	if (r->negative)
		return xasprintf("%" PRId64, r->svalue);
	if (strcmp(r->def->unit, "bytes") == 0)
		VALUE_TYPED_U64(&v, VAL_SIZE, r->value);
	else
		VALUE_U64(&v, r->value);
	return value_to_text(&v, opts);
}

bool limits_quantity(const void *row, const char **ret_name, uint64_t *ret_value,
		     bool *ret_has_used, uint64_t *ret_used)
{
	const struct limit_row *r = row;

	if (!r->present || r->negative || limit_is_unlimited(r) ||
	    strcmp(r->def->unit, "id") == 0 || strcmp(r->def->unit, "boolean") == 0)
		return false;
	*ret_name = r->def->name;
	*ret_value = r->value;
	*ret_has_used = r->has_used;
	*ret_used = r->used;
	return true;
}

enum {
	COL_NAME, COL_VALUE, COL_UNIT, COL_USED, COL_USE_PERCENT, COL_UNLIMITED,
	COL_DESCRIPTION, COL_SOURCE,
};

static const struct column limit_columns[] = {
	[COL_NAME] = { "NAME", "name", "name of the limit (the JSON key)", 12, 0, NULL, NULL, COLT_STRING },
	[COL_VALUE] = { "VALUE", "value", "the limit (null: not readable)", 9, COL_RIGHT, limit_value_json, limit_value_text, COLT_INTEGER },
	[COL_UNIT] = { "UNIT", "unit", "what the value counts", 6, 0, NULL, NULL, COLT_STRING },
	[COL_USED] = { "USED", "used", "current usage, where the kernel counts one", 5, COL_RIGHT, NULL, NULL, COLT_INTEGER },
	[COL_USE_PERCENT] = { "USE%", "use_percent", "usage in percent of the limit", 6, COL_RIGHT, NULL, NULL, COLT_NUMBER },
	[COL_UNLIMITED] = { "UNLIMITED", "unlimited", "the value means no limit", 3, 0, NULL, NULL, COLT_BOOLEAN },
	[COL_DESCRIPTION] = { "DESCRIPTION", "description", "what the limit is", 0.3, COL_WRAP, NULL, NULL, COLT_STRING },
	[COL_SOURCE] = { "SOURCE", "source", "the file it was read from", 0.2, COL_WRAP, NULL, NULL, COLT_STRING },
};

static const char *const limit_defaults[] = {
	"NAME", "VALUE", "UNIT", "USED", "USE%", "DESCRIPTION", NULL
};

static void limits_get(const void *obj, size_t col, struct value *ret)
{
	const struct limit_row *r = obj;

	switch (col) {
	case COL_NAME:
		VALUE_STR(ret, r->def->name);
		break;
	case COL_VALUE:
		value_set(ret, VAL_CUSTOM);
		break;
	case COL_UNIT:
		VALUE_STR(ret, r->def->unit);
		break;
	case COL_USED:
		if (r->has_used)
			VALUE_U64(ret, r->used);
		else
			value_set(ret, VAL_NULL);
		break;
	case COL_USE_PERCENT:
		if (!r->has_used || !r->present || r->negative || r->value == 0 || limit_is_unlimited(r)) {
			value_set(ret, VAL_NULL);
			break;
		}
		value_set(ret, VAL_PERCENT);
		/* two decimals, rounded half up, so JSON and the table agree */
		ret->u.percent = (double)(((unsigned __int128)r->used * 10000 + r->value / 2) /
					  r->value) / 100.0;
		break;
	case COL_UNLIMITED:
		value_set(ret, VAL_BOOL);
		ret->u.b = limit_is_unlimited(r);
		break;
	case COL_DESCRIPTION:
		VALUE_STR(ret, r->def->description);
		break;
	case COL_SOURCE:
		value_set(ret, VAL_STR);
		ret->u.str = r->def->path;
		break;
	default:
		value_set(ret, VAL_NULL);
		break;
	}
}

const struct ipc_kind limits_kind = {
	.name = "limits",
	.title = "Kernel limits",
	.source = "/proc/sys",
	.columns = limit_columns,
	.ncolumns = sizeof(limit_columns) / sizeof(limit_columns[0]),
	.defaults = limit_defaults,
	.objsize = sizeof(struct limit_row),
	.json_keyed = true,
	.collect = limits_collect,
	.get = limits_get,
};
