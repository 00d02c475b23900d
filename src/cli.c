/*
 * Command-line parsing, in util-linux's style, as data: one table of
 * options (what each takes, which commands accept it, what sets it), one
 * of commands (their operands and checks, in cli-commands.c) and one of
 * the options that exclude each other; one generic pass reads argv
 * against them.  What the checks say of the kinds comes from the
 * registry.  The options' arguments are read in cli-args.c, --help is in
 * cli-help.c.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "strutils.h"
#include "xalloc.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

void cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("ipcinspect: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'ipcinspect --help' for more information.\n", stderr);
	exit(EXIT_USAGE);
}

/*
 * One option: its long name, whether it takes an argument, getopt's value
 * (the short letter, or one of OPT_*), the commands that take it, and
 * what sets it (set_flag: the bool at offset off of struct cli_state;
 * rm's targets: the kind off).  A refusal names an option by its long
 * form, rm's targets (as_typed) as the user typed them.
 */
struct cli_opt {
	const char *name;
	int has_arg;
	int val;
	unsigned cmds;
	void (*set)(struct cli_state *st, const struct cli_opt *opt, const char *arg);
	size_t off;
	bool as_typed;
};

static void set_flag(struct cli_state *st, const struct cli_opt *opt, const char *arg)
{
	(void)arg;
	*(bool *)((char *)st + opt->off) = true;
}

/* Each -t adds its kinds, as ipcs -m -q shows both (and --fifo-dir adds a directory). */
static void set_type(struct cli_state *st, const struct cli_opt *opt, const char *arg)
{
	unsigned kinds = cli_parse_types(arg);

	(void)opt;
	st->o.kinds = st->typed ? st->o.kinds | kinds : kinds;
	st->typed = true;
}

static void set_output(struct cli_state *st, const struct cli_opt *opt, const char *arg)
{
	(void)opt;
	st->output = arg;
}

/* --time-format's words, as lsipc has them */
static void set_time_format(struct cli_state *st, const struct cli_opt *opt, const char *arg)
{
	static const char *const words[] = {
		[TIME_SHORT] = "short", [TIME_FULL] = "full", [TIME_ISO] = "iso",
	};
	size_t i;

	(void)opt;
	for (i = 0; i < ARRAY_SIZE(words); i++)
		if (strcmp(arg, words[i]) == 0) {
			st->o.render.time_format = (enum time_format)i;
			return;
		}
	cli_usage_error("invalid time format '%s' (short, full or iso)", arg);
}

static void set_sort(struct cli_state *st, const struct cli_opt *opt, const char *arg)
{
	(void)opt;
	if (!*arg)
		cli_usage_error("--sort needs a column");
	st->o.render.sort = arg;
}

static void set_id(struct cli_state *st, const struct cli_opt *opt, const char *arg)
{
	(void)opt;
	st->o.filter.id = cli_parse_int_arg(arg, "id", "", false);
	st->o.filter.has_id = true;
}

static void set_key(struct cli_state *st, const struct cli_opt *opt, const char *arg)
{
	int r = parse_ipc_key(arg, &st->o.filter.key);

	(void)opt;
	if (r < 0)
		cli_usage_error("invalid key '%s'%s", arg, r == -ERANGE ? ": out of range" : "");
	st->o.filter.has_key = true;
}

static void set_user(struct cli_state *st, const struct cli_opt *opt, const char *arg)
{
	(void)opt;
	st->o.filter.uid = cli_parse_user(arg);
	st->o.filter.has_uid = true;
}

static void set_pid(struct cli_state *st, const struct cli_opt *opt, const char *arg)
{
	(void)opt;
	st->o.filter.pid = cli_parse_int_arg(arg, "pid", "", true);
	st->o.filter.has_pid = true;
}

static void set_namespace(struct cli_state *st, const struct cli_opt *opt, const char *arg)
{
	(void)opt;
	st->o.ns_pid = cli_parse_int_arg(arg, "pid", " for --namespace", true);
}

static void set_container(struct cli_state *st, const struct cli_opt *opt, const char *arg)
{
	(void)opt;
	if (!*arg)
		cli_usage_error("--container needs a container id or name");
	st->o.container = arg;
}

static void set_fifo_dir(struct cli_state *st, const struct cli_opt *opt, const char *arg)
{
	(void)opt;
	cli_push(&st->o.fifo_dirs, &st->o.nfifo_dirs, arg);
}

static void set_socket_dir(struct cli_state *st, const struct cli_opt *opt, const char *arg)
{
	(void)opt;
	cli_push(&st->o.socket_dirs, &st->o.nsocket_dirs, arg);
}

static void set_min_age(struct cli_state *st, const struct cli_opt *opt, const char *arg)
{
	(void)opt;
	if (parse_duration(arg, &st->o.min_age) < 0)
		cli_usage_error("invalid duration '%s' (like 90s, 10m, 2h, 1d, 1h30m, or 0)", arg);
}

static void set_interval(struct cli_state *st, const struct cli_opt *opt, const char *arg)
{
	(void)opt;
	if (parse_interval_ms(arg, &st->o.interval_ms) < 0)
		cli_usage_error("invalid interval '%s' (like 500ms, 1s, 90s, 10m; not 0)", arg);
}

static void set_backup(struct cli_state *st, const struct cli_opt *opt, const char *arg)
{
	(void)opt;
	if (!*arg)
		cli_usage_error("--backup needs a directory");
	st->o.backup_dir = arg;
}

static void set_textfile(struct cli_state *st, const struct cli_opt *opt, const char *arg)
{
	(void)opt;
	if (!*arg)
		cli_usage_error("--textfile needs a directory");
	st->o.textfile = arg;
}

static void set_state(struct cli_state *st, const struct cli_opt *opt, const char *arg)
{
	(void)opt;
	if (!*arg)
		cli_usage_error("--state needs a file");
	st->o.state = arg;
}

static void set_target_id(struct cli_state *st, const struct cli_opt *opt, const char *arg)
{
	cli_add_target(&st->o, (enum kind_id)opt->off, false, arg);
}

static void set_target_key(struct cli_state *st, const struct cli_opt *opt, const char *arg)
{
	cli_add_target(&st->o, (enum kind_id)opt->off, true, arg);
}

static void set_help(struct cli_state *st, const struct cli_opt *opt, const char *arg)
{
	(void)st, (void)opt, (void)arg;
	cli_help();
}

static void set_version(struct cli_state *st, const struct cli_opt *opt, const char *arg)
{
	(void)st, (void)opt, (void)arg;
	printf("ipcinspect %s\n", PACKAGE_VERSION);
	exit(EXIT_OK);
}

enum {
	OPT_KEY = 0x100, OPT_NO_OWNERS, OPT_NO_OUTSIDE_HOLDERS, OPT_CHECK, OPT_MIN_AGE, OPT_SUSPECTS,
	OPT_INCLUDE_ROOT, OPT_FIFO_DIR, OPT_NO_SYSLOG, OPT_BACKUP, OPT_SAME_ID, OPT_REPLACE,
	OPT_SOCKET_DIR, OPT_NAMESPACE, OPT_CONTAINER, OPT_ALL_NAMESPACES, OPT_EVEN_IF_OWNER_RUNS,
	OPT_NOTRUNCATE, OPT_TEXTFILE, OPT_TIME_FORMAT, OPT_SORT, OPT_SHELL, OPT_REMOVEIPC,
	OPT_INTERVAL,
	OPT_STATE,
};

#define C(x) (1u << (x))
#define C_LISTING (C(CMD_LIST) | C(CMD_ORPHANS))
#define C_ALL (C(CMD_LIST) | C(CMD_LIMITS) | C(CMD_ORPHANS) | C(CMD_CLEAN) | C(CMD_RM) | \
	       C(CMD_RESTORE))
/* metrics and watch: the collection options alone, no table format */
#define C_M (C(CMD_METRICS) | C(CMD_WATCH))
#define FLAG(field) set_flag, offsetof(struct cli_state, o.field)
#define C_OUTPUT (C_LISTING | C(CMD_LIMITS))	/* the commands that print a table */

/*
 * --json, --bytes, --no-outside-holders (about the namespace, not the
 * command: harmless where nothing is scanned), --help and --version go
 * with every command (metrics: no --json nor --bytes, its format is
 * Prometheus's).  limits refuses --type and the four filters itself,
 * naming them together.
 */
static const struct cli_opt cli_opts[] = {
	{ "type", required_argument, 't', C_LISTING | C(CMD_CLEAN) | C_M, set_type, 0, false },
	{ "json", no_argument, 'J', C_ALL | C(CMD_WATCH), FLAG(render.json), false },
	{ "output", required_argument, 'o', C_OUTPUT, set_output, 0, false },
	{ "raw", no_argument, 'r', C_OUTPUT, FLAG(render.raw), false },
	{ "pairs", no_argument, 'P', C_OUTPUT, FLAG(render.pairs), false },
	{ "export", no_argument, 'e', C_OUTPUT, FLAG(render.pairs), false },
	{ "shell", no_argument, OPT_SHELL, C_OUTPUT, FLAG(render.shell), false },
	{ "noheadings", no_argument, 'n', C_OUTPUT, FLAG(render.noheadings), false },
	{ "notruncate", no_argument, OPT_NOTRUNCATE, C_OUTPUT, FLAG(render.notruncate), false },
	{ "time-format", required_argument, OPT_TIME_FORMAT, C_OUTPUT, set_time_format, 0, false },
	{ "sort", required_argument, OPT_SORT, C_OUTPUT, set_sort, 0, false },
	{ "list-columns", no_argument, 'H', C_OUTPUT, FLAG(render.list_columns), false },
	{ "bytes", no_argument, 'b', C_ALL, FLAG(render.bytes), false },
	{ "id", required_argument, 'i', C_LISTING | C(CMD_CLEAN) | C(CMD_LIMITS),
	  set_id, 0, false },
	{ "key", required_argument, OPT_KEY, C_LISTING | C(CMD_CLEAN) | C(CMD_LIMITS),
	  set_key, 0, false },
	{ "user", required_argument, 'u', C_LISTING | C(CMD_CLEAN) | C(CMD_LIMITS),
	  set_user, 0, false },
	{ "pid", required_argument, 'p', C_LISTING | C(CMD_LIMITS), set_pid, 0, false },
	{ "removeipc", no_argument, OPT_REMOVEIPC, C_LISTING, FLAG(filter.removeipc), false },
	{ "no-owners", no_argument, OPT_NO_OWNERS, C(CMD_LIST) | C(CMD_LIMITS),
	  FLAG(no_owners), false },
	{ "no-outside-holders", no_argument, OPT_NO_OUTSIDE_HOLDERS, C_ALL | C_M,
	  FLAG(no_outside_holders), false },
	{ "fifo-dir", required_argument, OPT_FIFO_DIR, C_LISTING | C(CMD_CLEAN) | C_M,
	  set_fifo_dir, 0, false },
	{ "socket-dir", required_argument, OPT_SOCKET_DIR, C_LISTING | C(CMD_CLEAN) | C_M,
	  set_socket_dir, 0, false },
	{ "namespace", required_argument, OPT_NAMESPACE,
	  C_LISTING | C(CMD_LIMITS) | C(CMD_CLEAN) | C(CMD_RM) | C_M, set_namespace, 0, false },
	{ "container", required_argument, OPT_CONTAINER,
	  C_LISTING | C(CMD_LIMITS) | C(CMD_CLEAN) | C(CMD_RM) | C_M, set_container, 0, false },
	{ "all-namespaces", no_argument, OPT_ALL_NAMESPACES, C_LISTING | C_M,
	  FLAG(all_namespaces), false },
	{ "check", no_argument, OPT_CHECK, C(CMD_ORPHANS), FLAG(check), false },
	{ "yes", no_argument, 'y', C(CMD_CLEAN) | C(CMD_RESTORE), FLAG(yes), false },
	{ "min-age", required_argument, OPT_MIN_AGE, C(CMD_CLEAN), set_min_age, 0, false },
	{ "suspects", no_argument, OPT_SUSPECTS, C(CMD_CLEAN), FLAG(suspects), false },
	{ "include-root", no_argument, OPT_INCLUDE_ROOT, C(CMD_CLEAN), FLAG(include_root), false },
	{ "even-if-owner-runs", no_argument, OPT_EVEN_IF_OWNER_RUNS, C(CMD_CLEAN),
	  FLAG(even_if_owner_runs), false },
	{ "force", no_argument, 'f', C(CMD_RM) | C(CMD_RESTORE), FLAG(force), false },
	{ "no-syslog", no_argument, OPT_NO_SYSLOG, C(CMD_CLEAN) | C(CMD_RM) | C(CMD_RESTORE),
	  FLAG(no_syslog), false },
	{ "backup", required_argument, OPT_BACKUP, C(CMD_CLEAN) | C(CMD_RM), set_backup, 0, false },
	{ "same-id", no_argument, OPT_SAME_ID, C(CMD_RESTORE), FLAG(same_id), false },
	{ "replace", no_argument, OPT_REPLACE, C(CMD_RESTORE), FLAG(replace), false },
	{ "shmem-id", required_argument, 'm', C(CMD_RM), set_target_id, KIND_SHM, true },
	{ "shmem-key", required_argument, 'M', C(CMD_RM), set_target_key, KIND_SHM, true },
	{ "queue-id", required_argument, 'q', C(CMD_RM), set_target_id, KIND_MSG, true },
	{ "queue-key", required_argument, 'Q', C(CMD_RM), set_target_key, KIND_MSG, true },
	{ "semaphore-id", required_argument, 's', C(CMD_RM), set_target_id, KIND_SEM, true },
	{ "semaphore-key", required_argument, 'S', C(CMD_RM), set_target_key, KIND_SEM, true },
	{ "help", no_argument, 'h', C_ALL | C_M, set_help, 0, false },
	{ "version", no_argument, 'V', C_ALL | C_M, set_version, 0, false },
	{ "textfile", required_argument, OPT_TEXTFILE, C(CMD_METRICS), set_textfile, 0, false },
	{ "interval", required_argument, OPT_INTERVAL, C(CMD_WATCH), set_interval, 0, false },
	{ "state", required_argument, OPT_STATE, C_LISTING | C(CMD_CLEAN) | C_M, set_state, 0, false },
};
#define NOPTS (sizeof(cli_opts) / sizeof(cli_opts[0]))
_Static_assert(NOPTS <= sizeof(((struct given *)0)->seq) / sizeof(size_t),
	       "struct given has a slot per option");

/*
 * A short letter whose meaning depends on the command: the getopt value
 * of each of its options (the first is also the long option getopt
 * returns the letter for), and -y means the first whose commands take
 * the command given.  -y stays --yes for clean and restore, what every
 * script written so far means by it, and is --shell (lsblk, lsipc) for
 * the commands that print a table; no command takes both.
 */
static const struct shared_letter {
	int letter;
	int vals[2];
} shared_letters[] = {
	{ 'y', { 'y', OPT_SHELL } },
};
_Static_assert(ARRAY_SIZE(shared_letters) <= ARRAY_SIZE(((struct given *)0)->shared_seq),
	       "struct given has a slot per shared letter");

/* Two options that cannot go together, and what the refusal says. */
static const struct conflict {
	int a, b;
	const char *msg;
} conflicts[] = {
	{ 'J', 'r', "--json and --raw cannot be used together" },
	{ 'J', 'P', "--json and --pairs cannot be used together" },
	{ 'J', 'e', "--json and --export cannot be used together" },
	{ 'r', 'P', "--raw and --pairs cannot be used together" },
	{ 'r', 'e', "--raw and --export cannot be used together" },
	{ OPT_NAMESPACE, OPT_ALL_NAMESPACES,
	  "--namespace and --all-namespaces cannot be used together" },
	{ OPT_CONTAINER, OPT_NAMESPACE,
	  "--container and --namespace cannot be used together" },
	{ OPT_CONTAINER, OPT_ALL_NAMESPACES,
	  "--container and --all-namespaces cannot be used together" },
	/* raw rows and pairs do not say their namespace */
	{ OPT_ALL_NAMESPACES, 'r', "--all-namespaces cannot go with --raw: use the table or --json" },
	{ OPT_ALL_NAMESPACES, 'P', "--all-namespaces cannot go with --pairs: use the table or --json" },
	{ OPT_ALL_NAMESPACES, 'e', "--all-namespaces cannot go with --export: use the table or --json" },
	{ OPT_ALL_NAMESPACES, OPT_NO_OWNERS,
	  "--all-namespaces finds the namespaces with the process scan: it cannot go with "
	  "--no-owners" },
	{ OPT_STATE, OPT_NO_OWNERS,
	  "--state tells of creators the process scan finds gone: it cannot go with --no-owners" },
}, needs[] = {
	/* the rows of one option a: it needs one of their b; the first says the refusal */
	{ OPT_SHELL, 'P', "--shell goes with --pairs" },
	{ OPT_SHELL, 'e', NULL },
}, listing_conflicts[] = {
	/* checked with the kinds, once the command has taken its options */
	{ 'p', OPT_NO_OWNERS, "--pid needs the process scan: it cannot go with --no-owners" },
	{ OPT_REMOVEIPC, OPT_NO_OWNERS,
	  "--removeipc needs the process scan: it cannot go with --no-owners" },
};

static size_t opt_index(int val)
{
	size_t i;

	for (i = 0; i < NOPTS; i++)
		if (cli_opts[i].val == val)
			break;
	return i;
}

static bool given(const struct cli_state *st, int val)
{
	return st->given.seq[opt_index(val)] != 0;
}

static void check_conflicts(const struct cli_state *st, const struct conflict *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (given(st, c[i].a) && given(st, c[i].b))
			cli_usage_error("%s", c[i].msg);
}

/* Refuses an option of needs[] given without any of the ones it needs. */
static void check_needs(const struct cli_state *st)
{
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(needs); i = j) {
		bool met = false;

		for (j = i; j < ARRAY_SIZE(needs) && needs[j].a == needs[i].a; j++)
			met |= given(st, needs[j].b);
		if (given(st, needs[i].a) && !met)
			cli_usage_error("%s", needs[i].msg);
	}
}

/* getopt_long's tables, from cli_opts[]; shortopts starts with ':' so a
 * missing argument is told apart from an unknown option. */
static void getopt_tables(struct option *longopts, char *shortopts)
{
	size_t i;

	*shortopts++ = ':';
	for (i = 0; i < NOPTS; i++) {
		longopts[i] = (struct option){ cli_opts[i].name, cli_opts[i].has_arg, NULL,
					       cli_opts[i].val };
		if (cli_opts[i].val >= 0x100 || opt_index(cli_opts[i].val) != i)
			continue;
		*shortopts++ = (char)cli_opts[i].val;
		if (cli_opts[i].has_arg == required_argument)
			*shortopts++ = ':';
	}
	*shortopts = '\0';
	longopts[NOPTS] = (struct option){ NULL, 0, NULL, 0 };
}

/*
 * getopt returned '?' or ':'.  For '?', optopt is 0 for an unknown long
 * option, one of our option values for a long option given an argument
 * it does not take ("--json=x"), and the character itself for an unknown
 * short option.
 */
static void __attribute__((noreturn)) bad_option(int c, const char *arg)
{
	size_t i = opt_index(optopt);

	if (c == ':' && strncmp(arg, "--", 2) == 0)
		cli_usage_error("option '%s' requires an argument", arg);
	if (c == ':')
		cli_usage_error("option requires an argument -- '%c'", optopt);
	if (optopt == 0)
		cli_usage_error("unrecognized option '%s'", arg);
	if (i < NOPTS)
		cli_usage_error("option '--%s' doesn't allow an argument", cli_opts[i].name);
	cli_usage_error("invalid option -- '%c'", optopt);
}

static void give(struct given *g, size_t i, bool is_long)
{
	g->n++;
	if (!g->seq[i]) {
		g->seq[i] = g->n;
		g->is_long[i] = is_long;
	}
}

/* A short letter of shared_letters[]: where it stood is kept. */
static bool shared_letter(struct cli_state *st, int c)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(shared_letters); i++)
		if (shared_letters[i].letter == c) {
			st->given.n++;
			if (!st->given.shared_seq[i])
				st->given.shared_seq[i] = st->given.n;
			return true;
		}
	return false;
}

/* The shared letters given, as the option they mean for cmd. */
static void resolve_shared(struct cli_state *st, enum command cmd)
{
	struct given *g = &st->given;
	size_t i, k, row;

	for (i = 0; i < ARRAY_SIZE(shared_letters); i++) {
		if (!g->shared_seq[i])
			continue;
		row = opt_index(shared_letters[i].vals[0]);
		for (k = 0; k < ARRAY_SIZE(shared_letters[i].vals); k++)
			if (cli_opts[opt_index(shared_letters[i].vals[k])].cmds & C(cmd)) {
				row = opt_index(shared_letters[i].vals[k]);
				break;
			}
		if (!g->seq[row] || g->shared_seq[i] < g->seq[row]) {
			g->seq[row] = g->shared_seq[i];
			g->is_long[row] = false;
		}
		cli_opts[row].set(st, &cli_opts[row], NULL);
	}
}

/* Reads the options of argv, up to the first operand; getopt permutes
 * the operands to the end. */
static void read_options(struct cli_state *st, int argc, char **argv)
{
	struct option longopts[NOPTS + 1];
	char shortopts[2 * NOPTS + 2];
	int c, longindex = -1;
	size_t i;

	getopt_tables(longopts, shortopts);
	opterr = 0;	/* our own messages: they name the program, not argv[0] */
	while ((c = getopt_long(argc, argv, shortopts, longopts, &longindex)) != -1) {
		i = opt_index(c);
		if (c == ':' || c == '?' || i == NOPTS)
			bad_option(c, argv[optind - 1]);
		if (longindex < 0 && shared_letter(st, c)) {
			continue;	/* its meaning waits for the command */
		}
		give(&st->given, i, longindex >= 0);
		cli_opts[i].set(st, &cli_opts[i], optarg);
		longindex = -1;
	}
}

/* Refuses the first option given (in argv order) that cmd does not take. */
static void check_given(const struct cli_state *st, const char *cmd_name, enum command cmd)
{
	const struct given *g = &st->given;
	size_t i, first = NOPTS;

	for (i = 0; i < NOPTS; i++)
		if (g->seq[i] && !(cli_opts[i].cmds & C(cmd)) &&
		    (first == NOPTS || g->seq[i] < g->seq[first]))
			first = i;
	if (first == NOPTS)
		return;
	if (cli_opts[first].as_typed && !g->is_long[first])
		cli_usage_error("'%s' does not take -%c", cmd_name, cli_opts[first].val);
	cli_usage_error("'%s' does not take --%s", cmd_name, cli_opts[first].name);
}

/*
 * The kinds found by the process scan exist only through it, and --id,
 * --key and --user are SysV fields: by default such a listing is SysV
 * only, and asking for another kind with them is a contradiction.
 */
void check_kinds(struct cli_state *st)
{
	struct options *o = &st->o;
	bool sysv_filter = o->filter.has_id || o->filter.has_key || o->filter.has_uid;
	unsigned sysv = cli_kinds_where(cli_kind_is_sysv);
	unsigned scanned = cli_kinds_where(cli_kind_is_scanned);
	char names[256];

	check_conflicts(st, listing_conflicts, ARRAY_SIZE(listing_conflicts));
	if (!st->typed) {
		if (sysv_filter)
			o->kinds &= sysv;
		else if (o->no_owners)	/* listed without the scan: no holders then */
			o->kinds &= ~scanned;
		return;
	}
	if (o->no_owners && (o->kinds & scanned))
		cli_usage_error("%s are found by the process scan: they cannot go with --no-owners",
			    cli_kind_names(names, sizeof(names), scanned, ", ", " and "));
	if (sysv_filter && (o->kinds & ~sysv))
		cli_usage_error("--id, --key and --user select SysV objects: they cannot go with "
			    "--type %s", cli_kind_names(names, sizeof(names), KINDS_ALL & ~sysv,
							", ", " or "));
}

void cli_parse(int argc, char **argv, struct options *ret)
{
	struct cli_state st = {
		.o = { .command = CMD_LIST, .kinds = KINDS_ALL, .min_age = 600 },
	};
	const struct cli_command *cmd;

	read_options(&st, argc, argv);
	if (optind < argc)
		st.o.command = parse_command(argv[optind++]);
	cmd = &commands[st.o.command];
	if (cmd->operands)
		cmd->operands(&st, argc, argv);
	if (optind < argc)
		cli_usage_error("unexpected argument '%s'", argv[optind]);
	resolve_shared(&st, st.o.command);
	check_conflicts(&st, conflicts, ARRAY_SIZE(conflicts));
	if (cmd->precheck)
		cmd->precheck(&st);
	check_given(&st, cmd->name, st.o.command);
	check_needs(&st);
	if (cmd->check)
		cmd->check(&st);
	*ret = st.o;
}

void cli_free(struct options *o)
{
	free(o->fifo_dirs);
	free(o->socket_dirs);
	free(o->targets);
	free(o->paths);
	o->fifo_dirs = NULL;
	o->socket_dirs = NULL;
	o->targets = NULL;
	o->paths = NULL;
}

