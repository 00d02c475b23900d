/*
 * Turning values into JSON and table text: the one place that knows how a
 * size, a time, a key, a name or an untrusted string is shown.
 */
#include "config.h"

#include <inttypes.h>
#include <langinfo.h>
#include <stdio.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <time.h>

#include "column.h"
#include "creators.h"
#include "facts.h"
#include "idcache.h"
#include "jsonw.h"
#include "model.h"
#include "owners.h"
#include "reasons.h"
#include "strutils.h"
#include "xalloc.h"

static void name_write_json(struct jw *w, struct idcache *cache, uint32_t id)
{
	const char *name = idcache_name(cache, id);

	if (name)
		jw_str(w, name);
	else
		jw_null(w);
}

void actor_write_json(struct jw *w, const struct actor *a)
{
	char buf[ACTOR_WHY_MAX];
	const char *why;

	if (a->state == ACTOR_UNJUDGED || a->state == ACTOR_NONE) {
		jw_null(w);
		return;
	}
	why = actor_why_into(a, buf);
	jw_obj_begin(w);
	jw_key(w, "pid");
	jw_s64(w, a->pid);
	jw_key(w, "tgid");
	if (a->proc)
		jw_s64(w, a->proc->tgid);
	else
		jw_null(w);
	jw_key(w, "alive");
	if (a->state == ACTOR_ALIVE || a->state == ACTOR_GONE)
		jw_bool(w, a->state == ACTOR_ALIVE);
	else
		jw_null(w);
	jw_key(w, "comm");
	if (a->proc)
		jw_str(w, a->proc->comm);
	else
		jw_null(w);
	jw_key(w, "why");
	if (why)
		jw_str(w, why);
	else
		jw_null(w);
	if (a->remembered) {
		jw_key(w, "remembered");
		creator_memory_write(w, a->remembered, false);
	}
	jw_obj_end(w);
}

static void holders_write_json(struct jw *w, const struct value *v,
			       const struct render_opts *opts)
{
	size_t i;

	if (v->u.holders.n == 0 && !v->u.holders.exhaustive) {
		jw_null(w);
		return;
	}
	jw_arr_begin(w);
	for (i = 0; i < v->u.holders.n; i++) {
		const struct holder *h = &v->u.holders.list[i];

		jw_obj_begin(w);
		jw_key(w, "pid");
		jw_s64(w, h->pid);
		jw_key(w, "comm");
		if (h->proc)
			jw_str(w, h->proc->comm);
		else
			jw_null(w);
		jw_key(w, "user");
		if (h->proc)
			name_write_json(w, opts->users, h->proc->euid);
		else
			jw_null(w);
		if (v->u.holders.fd_or_map) {
			jw_key(w, "fd");
			if (h->fd >= 0)
				jw_s64(w, h->fd);
			else
				jw_null(w);
			jw_key(w, "mapped");
			jw_bool(w, h->fd < 0);
		} else if (v->u.holders.by_fd) {
			jw_key(w, "fd");
			jw_s64(w, h->fd);
		} else {
			jw_key(w, "mappings");
			jw_s64(w, h->mappings);
		}
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

void value_write_json(struct jw *w, const struct value *v, const struct render_opts *opts)
{
	char buf[32];
	size_t i;

	switch (v->type) {
	case VAL_NULL:
	case VAL_CUSTOM:
		break;
	case VAL_S64:
	case VAL_DURATION:
		jw_s64(w, v->u.s64);
		return;
	case VAL_U64:
	case VAL_SIZE:
		jw_u64(w, v->u.u64);
		return;
	case VAL_BOOL:
		jw_bool(w, v->u.b);
		return;
	case VAL_PERCENT:
		jw_real(w, v->u.percent);
		return;
	case VAL_STR:
		jw_str(w, v->u.str);
		return;
	case VAL_KEY:
		snprintf(buf, sizeof(buf), "0x%08" PRIx32, v->u.u32);
		jw_str(w, buf);
		return;
	case VAL_PERMS:
		snprintf(buf, sizeof(buf), "%04" PRIo32, v->u.u32);
		jw_str(w, buf);
		return;
	case VAL_DEV:
		snprintf(buf, sizeof(buf), "%u:%u", major((dev_t)v->u.u64), minor((dev_t)v->u.u64));
		jw_str(w, buf);
		return;
	case VAL_TIME:
		if (v->u.s64)
			jw_s64(w, v->u.s64);
		else
			jw_null(w);
		return;
	case VAL_USER:
		name_write_json(w, opts->users, v->u.u32);
		return;
	case VAL_GROUP:
		name_write_json(w, opts->groups, v->u.u32);
		return;
	case VAL_FLAGS:
		jw_arr_begin(w);
		for (i = 0; i < v->nflags; i++)
			jw_str(w, v->flags[i]);
		jw_arr_end(w);
		return;
	case VAL_REASONS:
		reasons_write_json(w, v->u.reasons.kind, v->u.reasons.v, opts);
		return;
	case VAL_ACTOR:
		actor_write_json(w, v->u.actor);
		return;
	case VAL_HOLDERS:
		holders_write_json(w, v, opts);
		return;
	}
	jw_null(w);
}

char *value_json_text(const struct value *v, const struct render_opts *opts)
{
	struct jw w;

	jw_init(&w, NULL);
	value_write_json(&w, v, opts);
	return jw_take(&w);
}

char *time_to_text(int64_t t, int64_t now)
{
	time_t tt = (time_t)t, tn = (time_t)now;
	struct tm tm, tmnow;
	char buf[64];
	size_t n;

	if (!localtime_r(&tt, &tm) || !localtime_r(&tn, &tmnow))
		return xasprintf("%" PRId64, t);
	if (tm.tm_year == tmnow.tm_year && tm.tm_yday == tmnow.tm_yday)
		n = strftime(buf, sizeof(buf), "%H:%M:%S", &tm);
	else if (tm.tm_year == tmnow.tm_year)
		n = strftime(buf, sizeof(buf), "%b%d %H:%M", &tm);
	else
		n = strftime(buf, sizeof(buf), "%Y-%m-%d", &tm);
	if (n == 0)
		return xasprintf("%" PRId64, t);
	return xstrdup(buf);
}

/* "Sat Dec  5 18:03:02 2026" or "2026-12-05T18:03:02+01:00", local time. */
static char *time_long_text(int64_t t, bool iso)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char buf[64];
	long off, aoff;

	if (!localtime_r(&tt, &tm))
		return xasprintf("%" PRId64, t);
	if (!strftime(buf, sizeof(buf), iso ? "%Y-%m-%dT%H:%M:%S" : "%a %b %e %H:%M:%S %Y", &tm))
		return xasprintf("%" PRId64, t);
	if (!iso)
		return xstrdup(buf);
	off = tm.tm_gmtoff / 60;
	aoff = off < 0 ? -off : off;
	return xasprintf("%s%c%02ld:%02ld", buf, off < 0 ? '-' : '+', aoff / 60, aoff % 60);
}

char *time_to_text_as(int64_t t, int64_t now, enum time_format format)
{
	switch (format) {
	case TIME_SHORT:
		break;
	case TIME_FULL:
	case TIME_ISO:
		return time_long_text(t, format == TIME_ISO);
	}
	return time_to_text(t, now);
}

const char *column_type_name(enum column_type type)
{
	static const char *const names[] = {
		[COLT_STRING] = "string",	[COLT_INTEGER] = "integer",
		[COLT_NUMBER] = "number",	[COLT_BOOLEAN] = "boolean",
		[COLT_SIZE] = "size",		[COLT_TIME] = "time",
		[COLT_DURATION] = "duration",	[COLT_ARRAY] = "array",
		[COLT_OBJECT] = "object",
	};

	return (size_t)type < sizeof(names) / sizeof(names[0]) ? names[type] : NULL;
}

/*
 * Table text is raw bytes: render.c encodes every cell when it prints
 * (escape_cell(): control characters, invalid UTF-8 and bidi controls as
 * \xHH; in raw mode libsmartcols, blanks and backslashes too), the
 * util-linux convention.  Escaping here as well would escape twice
 * ("\xff" printed as "\x5cxff").
 */
static char *name_to_text(struct idcache *cache, uint32_t id)
{
	const char *name = idcache_name(cache, id);

	return name ? xstrdup(name) : xasprintf("%" PRIu32, id);
}

/* "postgres[1234]": a comm (raw: libsmartcols encodes it) with its pid. */
static char *comm_pid_text(const struct proc_facts *p, int pid)
{
	return p ? xasprintf("%s[%d]", p->comm, pid) : xasprintf("[%d]", pid);
}

/* A gone creator a watcher saw alive: "1234 exited (was postgres -D ..., unit x.service)". */
static char *remembered_text(const struct actor *a)
{
	_cleanup_free_ char *was = creator_memory_text(a->remembered);

	return xasprintf("%d %s (%s)", a->pid, a->reason == WHY_REUSED ? "reused" :
				      a->reason == WHY_ZOMBIE ? "zombie" : "exited", was);
}

/* alive "postgres[1234]", gone "1234 (exited)", unknown "1234 (?)". */
static char *actor_to_text(const struct actor *a)
{
	switch ((enum actor_state)a->state) {
	case ACTOR_UNJUDGED:
		return a->pid ? xasprintf("%d", a->pid) : xstrdup("-");
	case ACTOR_NONE:
		break;
	case ACTOR_ALIVE:
		return comm_pid_text(a->proc, a->pid);
	case ACTOR_GONE:
		if (a->remembered)
			return remembered_text(a);
		return xasprintf("%d (%s)", a->pid, a->reason == WHY_REUSED ? "reused" :
					    a->reason == WHY_ZOMBIE ? "zombie" : "exited");
	case ACTOR_UNKNOWN:
		return xasprintf("%d (?)", a->pid);
	}
	return xstrdup("-");
}

void cell_list_add(struct cell_list *l, char *item)
{
	if (l->n == l->alloc) {
		l->alloc = l->alloc ? l->alloc * 2 : 8;
		l->items = xreallocarray(l->items, l->alloc, sizeof(*l->items));
	}
	l->items[l->n++] = item;
}

void cell_list_free(struct cell_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->n = l->alloc = 0;
}

/* Item i as the table prints it: escaped, or as it is. */
static char *list_item(const struct cell_list *l, size_t i, bool escape)
{
	return escape ? escape_cell(l->items[i]) : xstrdup(l->items[i]);
}

/* What ends a list shortened to its first shown items. */
static char *list_suffix(const struct cell_list *l, size_t shown)
{
	if (shown == l->n)
		return xstrdup("");
	if (l->total)	/* an ellipsis where the terminal can show one */
		return xasprintf("%s%s (%zu)", l->sep,
				 strcmp(nl_langinfo(CODESET), "UTF-8") == 0 ? "\u2026" : "...", l->n);
	return xasprintf(" +%zu more", l->n - shown);
}

static void buf_append(char **buf, size_t *len, const char *s)
{
	size_t n = strlen(s);

	*buf = xreallocarray(*buf, *len + n + 1, 1);
	memcpy(*buf + *len, s, n + 1);
	*len += n;
}

char *cell_list_text(const struct cell_list *l, size_t budget, bool escape, bool *ret_fits)
{
	size_t i, shown = 0, width = 0, sepw = text_cells(l->sep), len = 0;
	_cleanup_free_ size_t *upto = xcalloc(l->n + 1, sizeof(size_t));
	_cleanup_free_ char *suffix = NULL;
	char *out = NULL;

	/* upto[k]: the cells of the first k items and their separators */
	for (i = 0; i < l->n; i++) {
		_cleanup_free_ char *item = list_item(l, i, escape);

		width += (i ? sepw : 0) + text_cells(item);
		upto[i + 1] = width;
	}
	/* all when all fit; else the most items that fit with the count, one at least */
	if (upto[l->n] <= budget || l->n == 1) {
		shown = l->n;
	} else {
		for (shown = l->n - 1; shown > 1; shown--) {
			_cleanup_free_ char *more = list_suffix(l, shown);

			if (upto[shown] + text_cells(more) <= budget)
				break;
		}
	}
	for (i = 0; i < shown; i++) {
		_cleanup_free_ char *item = list_item(l, i, escape);

		if (i)
			buf_append(&out, &len, l->sep);
		buf_append(&out, &len, item);
	}
	suffix = list_suffix(l, shown);
	buf_append(&out, &len, suffix);
	if (ret_fits)
		*ret_fits = text_cells(out) <= budget;
	return out;
}

/* "postgres[1234]x2", "psql[77]" (mappings) or "cat[12]:3" (fds). */
static void holders_to_list(const struct value *v, struct cell_list *ret)
{
	size_t i;

	ret->sep = ",";
	for (i = 0; i < v->u.holders.n; i++) {
		const struct holder *h = &v->u.holders.list[i];
		_cleanup_free_ char *one = comm_pid_text(h->proc, h->pid);

		cell_list_add(ret, v->u.holders.fd_or_map && h->fd < 0 ? xasprintf("%s(mapped)", one) :
				   v->u.holders.by_fd ? xasprintf("%s:%d", one, h->fd) :
				   h->mappings > 1 ? xasprintf("%sx%u", one, h->mappings) :
				   xstrdup(one));
	}
}

bool value_to_list(const struct value *v, const struct render_opts *opts, struct cell_list *ret)
{
	if (v->type == VAL_HOLDERS && v->u.holders.n > 0) {
		holders_to_list(v, ret);
		return true;
	}
	if (v->type == VAL_REASONS)
		return reasons_to_list(v->u.reasons.kind, v->u.reasons.v, opts, ret);
	return false;
}

/* "postgres[1234]x2,psql[77]"; nobody "-", not known "?". */
static char *holders_to_text(const struct value *v)
{
	struct cell_list l = { 0 };
	char *text;

	if (v->u.holders.n == 0)
		return xstrdup(v->u.holders.exhaustive ? "-" : "?");
	holders_to_list(v, &l);
	text = cell_list_text(&l, SIZE_MAX, false, NULL);
	cell_list_free(&l);
	return text;
}

char *duration_to_text(int64_t secs)
{
	if (secs < 60)
		return xasprintf("%" PRId64 "s", secs);
	if (secs < 3600)
		return xasprintf("%" PRId64 "m%02" PRId64 "s", secs / 60, secs % 60);
	if (secs < 86400)
		return xasprintf("%" PRId64 "h%02" PRId64 "m", secs / 3600, secs % 3600 / 60);
	return xasprintf("%" PRId64 "d%02" PRId64 "h", secs / 86400, secs % 86400 / 3600);
}

char *value_to_text(const struct value *v, const struct render_opts *opts)
{
	char *s;
	size_t i, len;

	switch (v->type) {
	case VAL_NULL:
	case VAL_CUSTOM:
		break;
	case VAL_S64:
		return xasprintf("%" PRId64, v->u.s64);
	case VAL_U64:
		return xasprintf("%" PRIu64, v->u.u64);
	case VAL_SIZE:
		return opts->bytes ? xasprintf("%" PRIu64, v->u.u64) : size_to_human(v->u.u64);
	case VAL_BOOL:
		return xstrdup(v->u.b ? "yes" : "no");
	case VAL_PERCENT:
		return xasprintf("%.2f%%", v->u.percent);
	case VAL_STR:
		return xstrdup(v->u.str);	/* libsmartcols encodes it */
	case VAL_KEY:
		return xasprintf("0x%08" PRIx32, v->u.u32);
	case VAL_PERMS:
		return xasprintf("%04" PRIo32, v->u.u32);
	case VAL_DEV:
		return xasprintf("%u:%u", major((dev_t)v->u.u64), minor((dev_t)v->u.u64));
	case VAL_TIME:
		return v->u.s64 ? time_to_text_as(v->u.s64, opts->now, opts->time_format) :
				  xstrdup("-");
	case VAL_USER:
		return name_to_text(opts->users, v->u.u32);
	case VAL_GROUP:
		return name_to_text(opts->groups, v->u.u32);
	case VAL_FLAGS:
		if (v->nflags == 0)
			return xstrdup("-");
		for (len = 1, i = 0; i < v->nflags; i++)
			len += strlen(v->flags[i]) + 1;
		s = xcalloc(len, 1);
		for (i = 0; i < v->nflags; i++) {
			if (i)
				strcat(s, ",");
			strcat(s, v->flags[i]);
		}
		return s;
	case VAL_DURATION:
		return duration_to_text(v->u.s64);
	case VAL_REASONS:
		return reasons_to_text(v->u.reasons.kind, v->u.reasons.v, opts);
	case VAL_ACTOR:
		return actor_to_text(v->u.actor);
	case VAL_HOLDERS:
		return holders_to_text(v);
	}
	return xstrdup("-");
}
