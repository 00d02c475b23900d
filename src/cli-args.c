/*
 * The arguments of the options, and what they select: comma lists,
 * --type's kinds, -o's columns, users, numbers and durations.  A bad
 * argument is a usage error: one line, then exit 2 (cli_usage_error).
 */
#include "config.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "strutils.h"
#include "xalloc.h"

/*
 * The next item of a comma list, or NULL at the end.  Unlike strtok, an
 * empty item ("shm,,msg") is returned as "" so it can be refused: it is
 * a typo, not a separator to skip.
 */
static char *next_item(char **cursor)
{
	char *item = *cursor, *comma;

	if (!item)
		return NULL;
	comma = strchr(item, ',');
	if (comma) {
		*comma = '\0';
		*cursor = comma + 1;
	} else
		*cursor = NULL;
	return item;
}

unsigned cli_parse_types(const char *arg)
{
	_cleanup_free_ char *copy = xstrdup(arg);
	char *cursor = copy, *w, names[256];
	unsigned mask = 0;
	size_t i;

	cli_kind_names(names, sizeof(names), KINDS_ALL, ", ", ", ");
	if (!*arg)
		cli_usage_error("--type needs at least one of %s", names);
	while ((w = next_item(&cursor))) {
		if (!*w)
			cli_usage_error("empty item in --type list '%s'", arg);
		for (i = 0; i < KIND_COUNT; i++)
			if (strcmp(w, ipc_kinds[i]->name) == 0)
				break;
		if (i == KIND_COUNT)
			cli_usage_error("unknown type '%s' (known: %s)", w, names);
		mask |= 1u << i;
	}
	return mask;
}

/* Adds a column once: a JSON object cannot hold a key twice either. */
static void colsel_add(struct colsel *sel, size_t idx)
{
	size_t i;

	for (i = 0; i < sel->n; i++)
		if (sel->idx[i] == idx)
			return;
	if (sel->n < COLSEL_MAX)
		sel->idx[sel->n++] = idx;
}

/* The columns named in defaults (a NULL-terminated list of kind's names). */
void cli_colsel_defaults(const struct ipc_kind *kind, const char *const *defaults,
			    struct colsel *ret)
{
	size_t i;

	ret->n = 0;
	for (i = 0; defaults[i]; i++)
		colsel_add(ret, (size_t)kind_column_index(kind, defaults[i]));
}

/* The kinds of the registry with a column called name, as a mask. */
static unsigned kinds_with_column(const char *name)
{
	unsigned mask = 0;
	size_t i;

	for (i = 0; i < KIND_COUNT; i++)
		if (kind_column_index(ipc_kinds[i], name) >= 0)
			mask |= 1u << i;
	return mask;
}

/* A name of -o that none of the kinds has: refused, saying which kinds have it. */
static void check_column(const char *w, const struct ipc_kind **kinds, size_t nkinds,
			 unsigned lacking)
{
	unsigned elsewhere = kinds_with_column(w);
	char lack[256], have[256];

	if (lacking != (1u << nkinds) - 1)
		return;
	if (!elsewhere)
		cli_usage_error("unknown column '%s'", w);
	cli_usage_error("unknown column '%s' for %s (a column of %s)", w,
			cli_join_names(lack, sizeof(lack), kinds, nkinds, lacking, ", ", " and "),
			cli_kind_names(have, sizeof(have), elsewhere, ", ", " and "));
}

/*
 * Applies -o to the selected kinds: every name must be a column of at
 * least one of them; each kind shows the names it has, in the given order
 * (a kind left with none is then not shown).  With every (--type named
 * the kinds), each kind must have one of the names at least: a kind named
 * and then left without any of them would be a listing that silently
 * misses what was asked for.
 */
void cli_parse_output(const char *arg, const struct ipc_kind **kinds, struct colsel **sels,
		      size_t nkinds, bool every)
{
	bool append = arg[0] == '+';
	_cleanup_free_ char *copy = xstrdup(append ? arg + 1 : arg);
	char *cursor = copy, *w, names[256];
	unsigned took_none = (1u << nkinds) - 1;
	size_t k;

	if (!*copy)
		cli_usage_error("--output needs at least one column");
	for (k = 0; k < nkinds; k++)
		if (!append)
			sels[k]->n = 0;
	while ((w = next_item(&cursor))) {
		unsigned lacking = 0;

		if (!*w)
			cli_usage_error("empty item in --output list '%s'", arg);
		for (k = 0; k < nkinds; k++) {
			int idx = kind_column_index(kinds[k], w);

			if (idx < 0)
				lacking |= 1u << k;
			else
				colsel_add(sels[k], (size_t)idx);
		}
		check_column(w, kinds, nkinds, lacking);
		took_none &= lacking;
	}
	if (every && took_none)
		cli_usage_error("--output %s: %s %s none of these columns (named by --type)", arg,
				cli_join_names(names, sizeof(names), kinds, nkinds, took_none, ", ", " and "),
				took_none & (took_none - 1) ? "have" : "has");
	for (k = 0; k < nkinds; k++)
		if (sels[k]->n)
			return;
	cli_usage_error("--output needs at least one column");
}

uint32_t cli_parse_user(const char *arg)
{
	struct passwd *pw = getpwnam(arg);
	uint64_t uid;

	if (pw)
		return pw->pw_uid;
	if (parse_u64(arg, &uid) == 0 && uid < UINT32_MAX)
		return (uint32_t)uid;
	cli_usage_error("unknown user '%s'", arg);
}

/* An int option's argument: what names it in the message ("pid"), the
 * words after the quoted argument, and whether 0 is refused. */
int cli_parse_int_arg(const char *arg, const char *what, const char *after, bool nonzero)
{
	int r, n = 0;

	r = parse_int(arg, &n);
	if (r < 0 || (nonzero && n == 0))
		cli_usage_error("invalid %s '%s'%s%s", what, arg, after,
			    r == -ERANGE ? ": out of range" : "");
	return n;
}

void cli_select_columns(struct options *o, const char *output, bool typed)
{
	const struct ipc_kind *kinds[KIND_COUNT];
	struct colsel *sels[KIND_COUNT];
	unsigned dropped = 0;
	size_t i, n = 0;
	char names[256];

	for (i = 0; i < KIND_COUNT; i++) {
		const char *const *defaults = ipc_kinds[i]->defaults;

		if (o->command == CMD_ORPHANS && ipc_kinds[i]->orphan_defaults)
			defaults = ipc_kinds[i]->orphan_defaults;
		cli_colsel_defaults(ipc_kinds[i], defaults, &o->cols[i]);
		/* JSON shows every column unless -o narrows it */
		if (o->render.json)
			colsel_all(ipc_kinds[i], &o->cols[i]);
	}
	for (i = 0; i < KIND_COUNT; i++) {
		if (!(o->kinds & (1u << i)))
			continue;
		kinds[n] = ipc_kinds[i];
		sels[n++] = &o->cols[i];
	}
	if (output)
		cli_parse_output(output, kinds, sels, n, typed);
	/* a kind that -o gives no column is not shown at all, and that is said */
	for (i = 0; i < KIND_COUNT; i++)
		if ((o->kinds & (1u << i)) && o->cols[i].n == 0)
			dropped |= 1u << i;
	o->kinds &= ~dropped;
	if (dropped)
		fprintf(stderr, "ipcinspect: warning: --output %s: not shown: %s (none of these "
			"columns)\n", output, cli_kind_names(names, sizeof(names), dropped, ", ",
							     " and "));
}

void cli_check_sort(const struct options *o)
{
	const struct ipc_kind *with[KIND_COUNT + 1], *without[KIND_COUNT + 1];
	size_t i, nwith = 0, nwithout = 0;
	char names_with[256], names_without[256];

	if (!o->render.sort)
		return;
	for (i = 0; i <= KIND_COUNT; i++) {
		const struct ipc_kind *k = i < KIND_COUNT ? ipc_kinds[i] : &limits_kind;

		if (o->command == CMD_LIMITS ? i < KIND_COUNT : i == KIND_COUNT ||
							       !(o->kinds & (1u << i)))
			continue;
		if (kind_column_index(k, o->render.sort) >= 0)
			with[nwith++] = k;
		else
			without[nwithout++] = k;
	}
	if (nwith == 0)
		cli_usage_error("--sort %s: unknown column", o->render.sort);
	if (nwithout == 0)
		return;
	cli_join_names(names_with, sizeof(names_with), with, nwith, (1u << nwith) - 1, ", ", ", ");
	cli_join_names(names_without, sizeof(names_without), without, nwithout,
		       (1u << nwithout) - 1, ", ", ", ");
	cli_usage_error("--sort %s: no such column for %s (it exists for %s)", o->render.sort,
			names_without, names_with);
}

void cli_push(const char ***list, size_t *n, const char *s)
{
	*list = xreallocarray(*list, *n + 1, sizeof(**list));
	(*list)[(*n)++] = s;
}

void cli_add_target(struct options *o, enum kind_id kind, bool by_key, const char *arg)
{
	struct rm_target t = { .kind = kind, .by_key = by_key, .arg = arg, .id = -1 };

	/* bad syntax is reported with the other checks of rm, not here */
	if (by_key ? parse_ipc_key(arg, &t.key) < 0 : parse_int(arg, &t.id) < 0)
		t.id = -2;	/* marks the syntax problem */
	o->targets = xreallocarray(o->targets, o->ntargets + 1, sizeof(*o->targets));
	o->targets[o->ntargets++] = t;
}

int parse_duration(const char *s, int64_t *ret)
{
	int64_t total = 0;
	bool any = false;

	while (*s) {
		int64_t n = 0, unit = 1;

		if (*s < '0' || *s > '9')
			return -EINVAL;
		for (; *s >= '0' && *s <= '9'; s++) {
			if (n > (INT64_MAX - (*s - '0')) / 10)
				return -ERANGE;
			n = n * 10 + (*s - '0');
		}
		switch (*s) {
		case 'd':
			unit = 86400;
			s++;
			break;
		case 'h':
			unit = 3600;
			s++;
			break;
		case 'm':
			unit = 60;
			s++;
			break;
		case 's':
			s++;
			break;
		case '\0':
			if (any)
				return -EINVAL;	/* "1h30": a unit is needed after the first */
			break;
		default:
			return -EINVAL;
		}
		if (n > (INT64_MAX - total) / unit)
			return -ERANGE;
		total += n * unit;
		any = true;
	}
	if (!any)
		return -EINVAL;
	*ret = total;
	return 0;
}


int parse_interval_ms(const char *s, int64_t *ret)
{
	size_t len = strlen(s);
	int64_t secs, ms;
	int r;

	/* "500ms": a whole number of milliseconds alone, no mixing */
	if (len > 2 && strcmp(s + len - 2, "ms") == 0 && strspn(s, "0123456789") == len - 2) {
		if (len - 2 > 9)
			return -ERANGE;
		ms = strtoll(s, NULL, 10);
	} else {
		r = parse_duration(s, &secs);
		if (r < 0)
			return r;
		if (secs > 86400)
			return -ERANGE;
		ms = secs * 1000;
	}
	if (ms <= 0 || ms > 86400 * 1000)
		return ms <= 0 ? -EINVAL : -ERANGE;
	*ret = ms;
	return 0;
}
