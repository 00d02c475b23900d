/*
 * The commands: one table (commands[]) of their names, what reads the
 * operands of each (rm's targets, restore's paths) and the checks each
 * makes once the options are read: the kinds it takes (clean's policy
 * of each kind, orphans', watch's), its columns and --sort, and what
 * limits refuses itself.  cli.c reads argv against it (cli_parse).
 */
#include "config.h"

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* `rm KIND ID...`, KIND a SysV kind's --type word */
static void rm_operands(struct cli_state *st, int argc, char **argv)
{
	char names[128];
	size_t k;
	int i;

	if (optind >= argc)
		return;
	for (k = 0; k < KIND_COUNT; k++)
		if (ipc_kinds[k]->sysv && strcmp(argv[optind], ipc_kinds[k]->name) == 0)
			break;
	if (k == KIND_COUNT)
		cli_usage_error("unknown type '%s' for rm (%s)", argv[optind],
			    cli_kind_names(names, sizeof(names), cli_kinds_where(cli_kind_is_sysv),
					   ", ", " or "));
	if (optind + 1 >= argc)
		cli_usage_error("rm %s needs at least one id", argv[optind]);
	for (i = optind + 1; i < argc; i++)
		cli_add_target(&st->o, (enum kind_id)k, false, argv[i]);
	optind = argc;
}

/* `restore PATH...` */
static void restore_operands(struct cli_state *st, int argc, char **argv)
{
	if (optind >= argc)
		cli_usage_error("restore needs a backup entry or a directory of entries");
	for (; optind < argc; optind++) {
		if (!*argv[optind])
			cli_usage_error("restore: an empty path");
		cli_push(&st->o.paths, &st->o.npaths, argv[optind]);
	}
}

static void check_limits_options(const struct options *o, bool typed, const char *output)
{
	if (typed)
		cli_usage_error("'limits' does not take --type");
	if (o->filter.has_id || o->filter.has_key || o->filter.has_uid || o->filter.has_pid)
		cli_usage_error("'limits' does not take --id, --key, --user or --pid");
	if (output) {
		const struct ipc_kind *kinds[] = { &limits_kind };
		struct colsel *sels[] = { (struct colsel *)&o->limit_cols };

		cli_parse_output(output, kinds, sels, 1, true);
	}
}

/* The kinds clean takes only as files under a directory option. */
static const struct clean_dir {
	enum kind_clean clean;
	size_t ndirs_off;	/* of the option's count in struct options */
	const char *refusal;	/* when --type names such a kind without the option */
} clean_dirs[] = {
	{ KIND_CLEAN_FIFO_DIR, offsetof(struct options, nfifo_dirs),
	  "clean removes FIFO files only under a --fifo-dir" },
	{ KIND_CLEAN_SOCKET_DIR, offsetof(struct options, nsocket_dirs),
	  "clean removes socket files only under a --socket-dir" },
};

static size_t clean_ndirs(const struct options *o, const struct clean_dir *d)
{
	return *(const size_t *)((const char *)o + d->ndirs_off);
}

/* What clean may remove, as each kind's clean policy says. */
static void check_clean(struct cli_state *st)
{
	struct options *o = &st->o;
	unsigned take = 0;
	size_t i, d;

	for (i = 0; i < KIND_COUNT; i++) {
		const struct ipc_kind *k = ipc_kinds[i];

		if (st->typed && (o->kinds & (1u << i)) && k->clean == KIND_CLEAN_NEVER)
			cli_usage_error("%s: they cannot be removed",
					k->clean_refusal ? k->clean_refusal : k->title);
		/* a kind any process may open by name (KIND_CLEAN_NAMED) only when named */
		if (k->clean == KIND_CLEAN_ALWAYS)
			take |= 1u << i;
		for (d = 0; d < ARRAY_SIZE(clean_dirs); d++)
			if (k->clean == clean_dirs[d].clean && clean_ndirs(o, &clean_dirs[d]))
				take |= 1u << i;
	}
	if (!st->typed)
		o->kinds &= take;
	/* the kinds found without the scan and not taken are read too, to say
	 * what was left */
	o->report_only = ~cli_kinds_where(cli_kind_is_scanned) & KINDS_ALL & ~o->kinds;
	for (d = 0; d < ARRAY_SIZE(clean_dirs); d++)
		for (i = 0; i < KIND_COUNT; i++)
			if ((o->kinds & (1u << i)) && ipc_kinds[i]->clean == clean_dirs[d].clean &&
			    !clean_ndirs(o, &clean_dirs[d]))
				cli_usage_error("%s", clean_dirs[d].refusal);
	check_kinds(st);
	cli_select_columns(o, st->output, st->typed);
}

static void check_list(struct cli_state *st)
{
	check_kinds(st);
	cli_select_columns(&st->o, st->output, st->typed);
	cli_check_sort(&st->o);
}

static void check_orphans(struct cli_state *st)
{
	struct options *o = &st->o;
	size_t i;

	for (i = 0; i < KIND_COUNT && !st->typed; i++)
		if (ipc_kinds[i]->never_orphan)
			o->kinds &= ~(1u << i);
	/* read to say what -t left out */
	o->report_only = ~cli_kinds_where(cli_kind_is_scanned) & KINDS_ALL & ~o->kinds;
	check_list(st);
}

static void check_limits(struct cli_state *st)
{
	cli_colsel_defaults(&limits_kind, limits_kind.defaults, &st->o.limit_cols);
	if (st->o.render.json)
		colsel_all(&limits_kind, &st->o.limit_cols);
	check_limits_options(&st->o, st->typed, st->output);
	cli_check_sort(&st->o);
}

/*
 * watch: by default the kinds read without the process scan (SysV and
 * POSIX), which a cheap look can see change; the others churn on a real
 * host and are seen only at the full looks' cadence (ipcinspect(1)).
 */
static void check_watch(struct cli_state *st)
{
	if (!st->typed)
		st->o.kinds &= ~cli_kinds_where(cli_kind_is_scanned);
	if (!st->o.interval_ms)
		st->o.interval_ms = 1000;
	check_kinds(st);
}

static void check_rm(struct cli_state *st)
{
	char names[128];

	if (st->o.ntargets == 0)
		cli_usage_error("rm needs an object: -m, -M, -q, -Q, -s or -S, or %s ID...",
			    cli_kind_names(names, sizeof(names), cli_kinds_where(cli_kind_is_sysv),
					   "|", "|"));
}

/* The commands, by enum command (struct cli_command in cli.h). */
const struct cli_command commands[] = {
	[CMD_LIST] = { "list", NULL, NULL, check_list },
	[CMD_LIMITS] = { "limits", NULL, check_limits, NULL },
	[CMD_ORPHANS] = { "orphans", NULL, NULL, check_orphans },
	[CMD_CLEAN] = { "clean", NULL, NULL, check_clean },
	[CMD_RM] = { "rm", rm_operands, NULL, check_rm },
	[CMD_RESTORE] = { "restore", restore_operands, NULL, NULL },
	[CMD_METRICS] = { "metrics", NULL, NULL, check_kinds },
	[CMD_WATCH] = { "watch", NULL, NULL, check_watch },
};

enum command parse_command(const char *word)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (strcmp(word, commands[i].name) == 0)
			return (enum command)i;
	cli_usage_error("unknown command '%s'", word);
}
